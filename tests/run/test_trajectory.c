#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "neurotop/core/bytes.h"
#include "neurotop/model/model.h"
#include "neurotop/run/trajectory.h"
#include "support/support.h"

/* A 6-4-3 MLP: layer 1 has 4 units of 6 inputs, layer 2 3 units of 4. */
static ModelConfig small_config(void)
{
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, "mlp");
    c.n_layers = 3;
    c.sizes[0] = 6;
    c.sizes[1] = 4;
    c.sizes[2] = 3;
    return c;
}

/* params[i] = value of step s at flat index i (in the model's layout). */
static void fill_params(float *p, size_t n, int s)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (float)s * 0.5f + (float)i * 0.01f - 0.2f;
}

static void write_steps(const char *dir, int steps, int half)
{
    char msg[STATUS_MSG_LEN];
    ModelConfig c = small_config();
    size_t n = model_param_count(&c);
    float *p = malloc(n * sizeof *p);
    TrajectoryWriter *w = NULL;
    cr_assert_eq(trajectory_writer_new(dir, &c, half, &w, msg), ST_OK, "%s", msg);
    for (int s = 0; s < steps; s++) {
        fill_params(p, n, s);
        cr_assert_eq(trajectory_writer_record(w, p, (uint64_t)s * 10, (uint64_t)s * 500, (uint32_t)s / 2, msg), ST_OK);
    }
    cr_assert(trajectory_writer_bytes(w) > 0);
    trajectory_writer_free(w);
    free(p);
}

static off_t file_size(const char *path)
{
    struct stat sb;
    cr_assert_eq(stat(path, &sb), 0);
    return sb.st_size;
}

Test(trajectory, binary16_rounding_by_hand)
{
    cr_assert_eq(trajectory_half_from_float(1.0f), 0x3c00);
    cr_assert_eq(trajectory_half_from_float(-2.0f), 0xc000);
    cr_assert_eq(trajectory_half_from_float(65504.0f), 0x7bff);
    cr_assert_eq(trajectory_half_from_float(65520.0f), 0x7c00); /* halfway to the next: rounds to even = inf */
    cr_assert_eq(trajectory_half_from_float(0.1f), 0x2e66);
    cr_assert_eq(trajectory_half_from_float(1e-8f), 0x0000);   /* below half of 2^-24 */
    cr_assert_eq(trajectory_half_from_float(3e-8f), 0x0001);   /* above half of 2^-24 */
    /* ties to even, and the edges of the normal-half fast path */
    cr_assert_eq(trajectory_half_from_float(1.0f + ldexpf(1.0f, -11)), 0x3c00);
    cr_assert_eq(trajectory_half_from_float(1.0f + 3 * ldexpf(1.0f, -11)), 0x3c02);
    cr_assert_eq(trajectory_half_from_float(-ldexpf(1.0f, -14)), 0x8400);
    cr_assert_eq(trajectory_half_from_float(nextafterf(ldexpf(1.0f, -14), 0.0f)), 0x0400); /* rounds up */
    cr_assert_eq(trajectory_half_from_float(ldexpf(1.0f, -15)), 0x0200);
    cr_assert_eq(trajectory_half_from_float(nextafterf(65520.0f, 0.0f)), 0x7bff);
    cr_assert_eq(trajectory_half_from_float(65536.0f), 0x7c00);
    cr_assert_eq(trajectory_half_to_float(0x0001), ldexpf(1.0f, -24));
    cr_assert_eq(trajectory_half_to_float(0x3555), 0.333251953125f);
    for (uint32_t h = 0; h < 0x7c00; h++) /* every finite half survives the trip */
        cr_assert_eq(trajectory_half_from_float(trajectory_half_to_float((uint16_t)h)), h);
}

Test(trajectory, float_records_read_back_exactly_with_norms)
{
    char dir[256];
    support_tmpdir_make("traj", dir, sizeof dir);
    write_steps(dir, 5, 0);
    cr_assert_eq(trajectory_layers(dir), 2);
    char msg[STATUS_MSG_LEN];
    TrajectoryFile *f = NULL;
    cr_assert_eq(trajectory_open(dir, 1, &f, msg), ST_OK, "%s", msg);
    cr_assert_eq(trajectory_records(f), 5);
    cr_assert_eq(trajectory_units(f), 4);
    cr_assert_eq(trajectory_inputs(f), 6);
    ModelConfig c = small_config();
    size_t n = model_param_count(&c);
    float p[64], m[24];
    fill_params(p, n, 3);
    cr_assert_eq(trajectory_read(f, 3, m, msg), ST_OK, "%s", msg);
    /* Unit u's incoming weights are column u of the 6 × 4 block. */
    for (size_t u = 0; u < 4; u++) {
        double s = 0;
        for (size_t i = 0; i < 6; i++) {
            cr_assert_eq(m[u * 6 + i], p[i * 4 + u]);
            s += (double)p[i * 4 + u] * p[i * 4 + u];
        }
        cr_assert_float_eq(trajectory_norms(f, 3)[u], sqrt(s), 1e-6);
    }
    TrajectoryTime t = trajectory_time(f, 4);
    cr_assert_eq(t.step, 40);
    cr_assert_eq(t.examples, 2000);
    cr_assert_eq(t.epoch, 2);
    trajectory_close(f);
    support_tmpdir_remove(dir);
}

Test(trajectory, half_records_are_within_binary16_precision)
{
    char dir[256];
    support_tmpdir_make("traj", dir, sizeof dir);
    write_steps(dir, 3, 1);
    char msg[STATUS_MSG_LEN];
    TrajectoryFile *f = NULL;
    cr_assert_eq(trajectory_open(dir, 2, &f, msg), ST_OK, "%s", msg);
    cr_assert(trajectory_is_half(f));
    float p[64], m[12];
    ModelConfig c = small_config();
    fill_params(p, model_param_count(&c), 2);
    cr_assert_eq(trajectory_read(f, 2, m, msg), ST_OK, "%s", msg);
    for (size_t u = 0; u < 3; u++)
        for (size_t i = 0; i < 4; i++) {
            float want = p[24 + i * 3 + u];
            cr_assert(fabsf(m[u * 4 + i] - want) <= fabsf(want) * 0x1p-11f, "%g vs %g", m[u * 4 + i], want);
        }
    trajectory_close(f);
    support_tmpdir_remove(dir);
}

Test(trajectory, a_record_cut_short_is_ignored_and_the_rest_read)
{
    char dir[256], path[512];
    support_tmpdir_make("traj", dir, sizeof dir);
    write_steps(dir, 4, 0);
    snprintf(path, sizeof path, "%s/trajectory/layer-1.ntj", dir);
    off_t size = file_size(path);
    char msg[STATUS_MSG_LEN];
    /* Every cut inside the last record leaves exactly the first three. */
    for (off_t cut = 1; cut < 60; cut += 7) {
        cr_assert_eq(truncate(path, size - cut), 0);
        TrajectoryFile *f = NULL;
        cr_assert_eq(trajectory_open(dir, 1, &f, msg), ST_OK, "%s", msg);
        cr_assert_eq(trajectory_records(f), 3, "cut %ld", (long)cut);
        trajectory_close(f);
    }
    /* A damaged body of a middle record is refused when it is read. */
    FILE *fp = fopen(path, "r+b");
    fseek(fp, TRAJECTORY_HEADER_LEN + 20, SEEK_SET);
    fputc(0x55, fp);
    fclose(fp);
    TrajectoryFile *f = NULL;
    cr_assert_eq(trajectory_open(dir, 1, &f, msg), ST_OK, "%s", msg);
    float m[24];
    cr_assert_eq(trajectory_read(f, 0, m, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "damaged") != NULL, "%s", msg);
    cr_assert_eq(trajectory_read(f, 1, m, msg), ST_OK, "%s", msg);
    trajectory_close(f);
    support_tmpdir_remove(dir);
}

Test(trajectory, truncate_after_keeps_the_steps_up_to_a_resume_point)
{
    char dir[256];
    support_tmpdir_make("traj", dir, sizeof dir);
    write_steps(dir, 6, 0);
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(trajectory_truncate_after(dir, 25, msg), ST_OK, "%s", msg);
    for (size_t l = 1; l <= 2; l++) {
        TrajectoryFile *f = NULL;
        cr_assert_eq(trajectory_open(dir, l, &f, msg), ST_OK, "%s", msg);
        cr_assert_eq(trajectory_records(f), 3); /* steps 0, 10, 20 */
        cr_assert_eq(trajectory_time(f, 2).step, 20);
        trajectory_close(f);
    }
    /* Appending again goes on after the kept records. */
    write_steps(dir, 1, 0);
    TrajectoryFile *f = NULL;
    cr_assert_eq(trajectory_open(dir, 1, &f, msg), ST_OK, "%s", msg);
    cr_assert_eq(trajectory_records(f), 4);
    trajectory_close(f);
    support_tmpdir_remove(dir);
}

Test(trajectory, a_run_without_trajectories_says_how_to_record_them)
{
    char dir[256];
    support_tmpdir_make("traj", dir, sizeof dir);
    char msg[STATUS_MSG_LEN];
    TrajectoryFile *f = NULL;
    cr_assert_eq(trajectory_layers(dir), 0);
    cr_assert_eq(trajectory_open(dir, 1, &f, msg), ST_ENOTFOUND);
    cr_assert(strstr(msg, "--record-every") != NULL, "%s", msg);
    cr_assert_eq(trajectory_truncate_after(dir, 0, msg), ST_OK);
    support_tmpdir_remove(dir);
}

/* A record as earlier versions wrote it (flags without bit 1): the planes
 * of the units × inputs matrix m in one zlib stream. */
static void write_legacy_record(const char *path, const float *m, size_t units, size_t inputs, uint64_t step)
{
    size_t n = units * inputs;
    unsigned char planes[4 * 64], rec[TRAJECTORY_HEADER_LEN + 4 * 16 + 512];
    for (size_t i = 0; i < n; i++) {
        uint32_t x;
        memcpy(&x, &m[i], 4);
        for (size_t b = 0; b < 4; b++)
            planes[b * n + i] = (unsigned char)(x >> (8 * b));
    }
    unsigned char *norms = rec + TRAJECTORY_HEADER_LEN, *body = norms + 4 * units;
    for (size_t u = 0; u < units; u++) {
        float s = 0;
        for (size_t i = 0; i < inputs; i++)
            s += m[u * inputs + i] * m[u * inputs + i];
        s = sqrtf(s);
        memcpy(norms + 4 * u, &s, 4);
    }
    uLongf packed = 512;
    cr_assert_eq(compress(body, &packed, planes, (uLong)(4 * n)), Z_OK);
    memset(rec, 0, TRAJECTORY_HEADER_LEN);
    memcpy(rec, "NTJ1", 4);
    bytes_put_le64(rec + 8, step);
    bytes_put_le32(rec + 28, (uint32_t)units);
    bytes_put_le32(rec + 32, (uint32_t)inputs);
    bytes_put_le32(rec + 36, (uint32_t)packed);
    bytes_put_le32(rec + 40, bytes_crc32(norms, 4 * units + packed));
    bytes_put_le32(rec + 44, bytes_crc32(rec, 44));
    FILE *fp = fopen(path, "ab");
    cr_assert_not_null(fp);
    cr_assert_eq(fwrite(rec, 1, TRAJECTORY_HEADER_LEN + 4 * units + packed, fp), TRAJECTORY_HEADER_LEN + 4 * units + packed);
    fclose(fp);
}

Test(trajectory, records_of_earlier_versions_still_read)
{
    char dir[256], path[512];
    support_tmpdir_make("traj", dir, sizeof dir);
    write_steps(dir, 1, 0); /* creates the files; its records are cut away */
    snprintf(path, sizeof path, "%s/trajectory/layer-2.ntj", dir);
    cr_assert_eq(truncate(path, 0), 0);
    float old[12];
    for (size_t i = 0; i < 12; i++)
        old[i] = (float)i * 0.25f - 1.0f;
    write_legacy_record(path, old, 3, 4, 0);
    char msg[STATUS_MSG_LEN];
    TrajectoryFile *f = NULL;
    cr_assert_eq(trajectory_open(dir, 2, &f, msg), ST_OK, "%s", msg);
    cr_assert_eq(trajectory_records(f), 1);
    float m[12];
    cr_assert_eq(trajectory_read(f, 0, m, msg), ST_OK, "%s", msg);
    cr_assert_arr_eq(m, old, sizeof old);
    cr_assert_float_eq(trajectory_norms(f, 0)[2], sqrt(1.0 + 1.5625 + 2.25 + 3.0625), 1e-6);
    trajectory_close(f);
    /* A run resumed by this version appends coded records to the old ones. */
    ModelConfig c = small_config();
    float p[64];
    fill_params(p, model_param_count(&c), 7);
    TrajectoryWriter *w = NULL;
    cr_assert_eq(trajectory_writer_new(dir, &c, 0, &w, msg), ST_OK, "%s", msg);
    cr_assert_eq(trajectory_writer_record(w, p, 10, 500, 1, msg), ST_OK, "%s", msg);
    trajectory_writer_free(w);
    cr_assert_eq(trajectory_open(dir, 2, &f, msg), ST_OK, "%s", msg);
    cr_assert_eq(trajectory_records(f), 2);
    cr_assert_eq(trajectory_read(f, 0, m, msg), ST_OK, "%s", msg);
    cr_assert_arr_eq(m, old, sizeof old);
    cr_assert_eq(trajectory_read(f, 1, m, msg), ST_OK, "%s", msg);
    for (size_t u = 0; u < 3; u++)
        for (size_t i = 0; i < 4; i++)
            cr_assert_eq(m[u * 4 + i], p[24 + i * 3 + u]);
    trajectory_close(f);
    support_tmpdir_remove(dir);
}
