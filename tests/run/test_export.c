#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "neurotop/core/fileio.h"
#include "neurotop/run/export.h"
#include "support/support.h"

/* Each test writes into a temporary folder of its own. */
TestSuite(export, .init = support_tmp_init, .fini = support_tmp_fini);

/* A table of n epochs; with_nan puts NaN in q_whole at epoch 1. */
static void table(SeriesTable *t, size_t n, int with_nan, const char *odd_key)
{
    series_init(t);
    for (size_t e = 0; e < n; e++) {
        static Snapshot s;
        memset(&s, 0, sizeof s);
        s.epoch = e;
        snapshot_set_metric(&s, "test_acc", 0.1 + 0.2 * (double)e);
        snapshot_set_metric(&s, "q_whole", with_nan && e == 1 ? NAN : 1.0 / (3.0 + (double)e));
        if (odd_key)
            snapshot_set_metric(&s, odd_key, -(double)e * 1e-300);
        cr_assert_eq(series_append(t, &s), ST_OK);
    }
}

Test(export, series_csv_text_with_nan_and_quoted_keys)
{
    SeriesTable t;
    table(&t, 3, 1, "odd,\"key\"");
    char path[128], msg[STATUS_MSG_LEN];
    snprintf(path, sizeof path, "%s/series.csv", support_tmp());
    cr_assert_eq(export_series_csv(&t, path, msg), ST_OK, "%s", msg);
    size_t len;
    char *text = support_read_file(path, &len);
    cr_assert_str_eq(text, "epoch,test_acc,q_whole,\"odd,\"\"key\"\"\"\n"
                           "0,0.10000000000000001,0.33333333333333331,-0\n"
                           "1,0.30000000000000004,,-1e-300\n"
                           "2,0.5,0.20000000000000001,-2.0000000000000001e-300\n");
    free(text);
    series_done(&t);
}

Test(export, series_csv_body_round_trips_bit_identical)
{
    SeriesTable t;
    table(&t, 5, 0, NULL);
    char path[128], msg[STATUS_MSG_LEN];
    snprintf(path, sizeof path, "%s/series.csv", support_tmp());
    cr_assert_eq(export_series_csv(&t, path, msg), ST_OK, "%s", msg);
    size_t len;
    char *text = support_read_file(path, &len);
    char *body = strchr(text, '\n') + 1;
    Matrix *m = NULL;
    cr_assert_eq(csv_parse_matrix(body, "series", &m, msg), ST_OK, "%s", msg);
    cr_assert_eq(m->rows, 5);
    cr_assert_eq(m->cols, 3);
    for (size_t i = 0; i < 5; i++) {
        cr_assert_eq(MAT_AT(m, i, 0), t.epoch[i]);
        cr_assert_eq(memcmp(&MAT_AT(m, i, 1), &t.values[0][i], sizeof(double)), 0);
        cr_assert_eq(memcmp(&MAT_AT(m, i, 2), &t.values[1][i], sizeof(double)), 0);
    }
    matrix_free(m);
    free(text);
    /* An empty table is just the header. */
    SeriesTable empty;
    series_init(&empty);
    cr_assert_eq(export_series_csv(&empty, path, msg), ST_OK);
    text = support_read_file(path, &len);
    cr_assert_str_eq(text, "epoch\n");
    free(text);
    series_done(&t);
}

Test(export, gnuplot_script_plots_the_chosen_columns)
{
    SeriesTable t;
    table(&t, 4, 1, NULL);
    char csv[128], gp[128], msg[STATUS_MSG_LEN];
    snprintf(csv, sizeof csv, "%s/series.csv", support_tmp());
    snprintf(gp, sizeof gp, "%s/plot.gp", support_tmp());
    cr_assert_eq(export_series_csv(&t, csv, msg), ST_OK, "%s", msg);
    const char *keys[] = {"q_whole"};
    cr_assert_eq(export_gnuplot(&t, keys, 1, csv, gp, msg), ST_OK, "%s", msg);
    size_t len;
    char *text = support_read_file(gp, &len);
    cr_assert(strstr(text, "set datafile separator comma\n"), "%s", text);
    cr_assert(strstr(text, "data = here . 'series.csv'\n"), "the CSV beside the script: %s", text);
    cr_assert(strstr(text, "out = here . 'plot.svg'\n"), "%s", text);
    cr_assert(strstr(text, "plot data using 1:3 skip 1 with linespoints pointsize 0.5 title 'q_whole'\n"),
              "%s", text);
    cr_assert_null(strstr(text, "1:2"), "test_acc is not plotted");
    free(text);

    /* Every key, and a CSV in another folder written as given. */
    cr_assert_eq(export_gnuplot(&t, NULL, 0, "/data/it's.csv", gp, msg), ST_OK, "%s", msg);
    text = support_read_file(gp, &len);
    cr_assert(strstr(text, "data = '/data/it''s.csv'\n"), "%s", text);
    cr_assert(strstr(text, "using 1:2 skip 1 with linespoints pointsize 0.5 title 'test_acc', \\\n"), "%s", text);
    cr_assert(strstr(text, "using 1:3 skip 1"), "%s", text);
    free(text);

    const char *bad[] = {"q_whole", "nope"};
    cr_assert_eq(export_gnuplot(&t, bad, 2, csv, gp, msg), ST_ENOTFOUND);
    cr_assert(strstr(msg, "'nope'"), "%s", msg);
    series_done(&t);
}

Test(export, gnuplot_runs_when_installed)
{
    if (access("/usr/bin/gnuplot", X_OK) != 0)
        cr_skip_test("gnuplot is not installed (optional: the product does not need it)");
    SeriesTable t;
    table(&t, 4, 1, NULL);
    char csv[128], gp[128], cmd[256], svg[128], msg[STATUS_MSG_LEN];
    snprintf(csv, sizeof csv, "%s/series.csv", support_tmp());
    snprintf(gp, sizeof gp, "%s/plot.gp", support_tmp());
    snprintf(svg, sizeof svg, "%s/plot.svg", support_tmp());
    cr_assert_eq(export_series_csv(&t, csv, msg), ST_OK, "%s", msg);
    cr_assert_eq(export_gnuplot(&t, NULL, 0, csv, gp, msg), ST_OK, "%s", msg);
    /* From another working directory: the script finds its CSV. */
    snprintf(cmd, sizeof cmd, "cd / && gnuplot '%s' 2>'%s/err.txt'", gp, support_tmp());
    cr_assert_eq(system(cmd), 0);
    size_t len;
    char *text = support_read_file(svg, &len);
    cr_assert(strstr(text, "<svg") != NULL);
    cr_assert(strstr(text, "q_whole") != NULL, "the legend names the series");
    free(text);
    snprintf(cmd, sizeof cmd, "%s/err.txt", support_tmp());
    text = support_read_file(cmd, &len);
    cr_assert_eq(len, 0, "gnuplot printed: %s", text);
    free(text);
    series_done(&t);
}

/* A run's series: accuracy and loss, Q with its band, a counter. */
static void run_table(SeriesTable *t, size_t n)
{
    series_init(t);
    for (size_t e = 0; e < n; e++) {
        static Snapshot s;
        memset(&s, 0, sizeof s);
        s.epoch = e;
        snapshot_set_metric(&s, "test_acc", 0.1 + 0.2 * (double)e);
        snapshot_set_metric(&s, "train_loss", e ? 2.0 / (double)e : NAN);
        snapshot_set_metric(&s, "q_whole", 0.1 + 0.01 * (double)e);
        snapshot_set_metric(&s, "q_whole_min", 0.09 + 0.01 * (double)e);
        snapshot_set_metric(&s, "q_whole_max", 0.11 + 0.01 * (double)e);
        snapshot_set_metric(&s, "seconds", 1.5);
        snapshot_set_metric(&s, "lr", 0.3);
        snapshot_set_metric(&s, "examples_per_sec", 1000.0 + (double)e);
        cr_assert_eq(series_append(t, &s), ST_OK);
    }
}

Test(export, gnuplot_groups_draw_one_figure_per_group)
{
    SeriesTable t;
    run_table(&t, 4);
    char csv[128], gp[128], msg[STATUS_MSG_LEN];
    snprintf(csv, sizeof csv, "%s/series.csv", support_tmp());
    snprintf(gp, sizeof gp, "%s/series.gp", support_tmp());
    size_t figures = 0;
    cr_assert_eq(export_gnuplot_groups(&t, csv, gp, &figures, msg), ST_OK, "%s", msg);
    cr_assert_eq(figures, 3, "accuracy, modularity, speed");
    size_t len;
    char *text = support_read_file(gp, &len);
    /* Accuracy on the left axis, loss on the right one. */
    cr_assert(strstr(text, "data using 1:2 skip 1 axes x1y1 with linespoints pointsize 0.5 title 'test_acc'") != NULL,
              "%s", text);
    cr_assert(strstr(text, "data using 1:3 skip 1 axes x1y2 with linespoints pointsize 0.5 title 'train_loss'") != NULL,
              "%s", text);
    cr_assert(strstr(text, "set y2label 'loss (nats)'") != NULL);
    /* Q's band of Louvain runs, under the curve. */
    cr_assert(strstr(text, "plot data using 1:5:6 skip 1 with filledcurves") != NULL, "%s", text);
    cr_assert(strstr(text, "series-modularity.' . ext") != NULL);
    /* The constant learning rate gets a range gnuplot does not warn about. */
    cr_assert(strstr(text, "set y2range [0.28499999999999998:0.315]") != NULL, "%s", text);
    cr_assert(strstr(text, "# not plotted (in the CSV): seconds") != NULL, "%s", text);
    free(text);
    series_done(&t);

    SeriesTable none;
    series_init(&none);
    cr_assert_eq(export_gnuplot_groups(&none, csv, gp, &figures, msg), ST_EINVAL);
}

Test(export, gnuplot_groups_run_from_any_folder)
{
    if (access("/usr/bin/gnuplot", X_OK) != 0)
        cr_skip_test("gnuplot is not installed (optional: the product does not need it)");
    SeriesTable t;
    run_table(&t, 4);
    char csv[128], gp[128], cmd[512], path[160], msg[STATUS_MSG_LEN];
    snprintf(csv, sizeof csv, "%s/series.csv", support_tmp());
    snprintf(gp, sizeof gp, "%s/series.gp", support_tmp());
    cr_assert_eq(export_series_csv(&t, csv, msg), ST_OK, "%s", msg);
    cr_assert_eq(export_gnuplot_groups(&t, csv, gp, NULL, msg), ST_OK, "%s", msg);
    snprintf(cmd, sizeof cmd, "cd / && gnuplot '%s' 2>'%s/err.txt'", gp, support_tmp());
    cr_assert_eq(system(cmd), 0);
    static const char *const figures[] = {"accuracy", "modularity", "speed"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/series-%s.svg", support_tmp(), figures[i]);
        size_t len;
        char *text = support_read_file(path, &len);
        cr_assert(strstr(text, "<svg") != NULL, "%s", path);
        free(text);
    }
    snprintf(path, sizeof path, "%s/err.txt", support_tmp());
    size_t len;
    char *text = support_read_file(path, &len);
    cr_assert_eq(len, 0, "gnuplot printed: %s", text);
    free(text);
    series_done(&t);
}

Test(export, matrix_csv_doubles_and_floats)
{
    double d[6] = {1.0, -0.1, 1e-310, NAN, 2.5, INFINITY};
    float f[4] = {0.1f, -3.0f, 1e-30f, 7.0f};
    char path[128], msg[STATUS_MSG_LEN];
    snprintf(path, sizeof path, "%s/m.csv", support_tmp());
    cr_assert_eq(export_matrix_csv(d, 2, 3, path, msg), ST_OK, "%s", msg);
    size_t len;
    char *text = support_read_file(path, &len);
    cr_assert_str_eq(text, "1,-0.10000000000000001,9.9999999999999694e-311\n,2.5,\n");
    free(text);
    cr_assert_eq(export_matrix_csv_f(f, 2, 2, path, msg), ST_OK, "%s", msg);
    Matrix *m = NULL;
    cr_assert_eq(csv_read_matrix(path, &m, msg), ST_OK, "%s", msg);
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(m->data[i], (double)f[i], "float %zu reads back exactly", i);
    matrix_free(m);
    cr_assert_eq(export_matrix_csv(NULL, 2, 2, path, msg), ST_EINVAL);
    cr_assert_eq(export_matrix_csv(d, SIZE_MAX, 2, path, msg), ST_EINVAL);
}

Test(export, range_for_plain_and_signed_maps)
{
    double lo, hi;
    double v[] = {-0.5, 2.0, NAN, 1.0};
    export_range(v, 4, 0, &lo, &hi);
    cr_assert_eq(lo, -0.5);
    cr_assert_eq(hi, 2.0);
    export_range(v, 4, 1, &lo, &hi);
    cr_assert_eq(lo, -2.0);
    cr_assert_eq(hi, 2.0);
    double z[3] = {0, 0, 0};
    export_range(z, 3, 1, &lo, &hi);
    cr_assert(lo == -1.0 && hi == 1.0);
    double c[2] = {3, 3};
    export_range(c, 2, 0, &lo, &hi);
    cr_assert(lo == 2.0 && hi == 4.0);
    export_range(NULL, 0, 0, &lo, &hi);
    cr_assert(lo == -1.0 && hi == 1.0);
}

Test(export, pgm_header_and_grey_levels)
{
    /* 2 rows × 3 columns in [-1, 1]: -1 → 0, 0 → round(127.5) = 128, 1 → 255. */
    double v[6] = {-1.0, 0.0, 1.0, -2.0, 0.5, NAN};
    char path[128], msg[STATUS_MSG_LEN];
    snprintf(path, sizeof path, "%s/map.pgm", support_tmp());
    cr_assert_eq(export_pgm(v, 2, 3, -1.0, 1.0, path, msg), ST_OK, "%s", msg);
    size_t len;
    char *data = support_read_file(path, &len);
    const char *head = "P5\n# neurotop lo=-1 hi=1\n3 2\n255\n";
    size_t hl = strlen(head);
    cr_assert_eq(len, hl + 6);
    cr_assert_eq(memcmp(data, head, hl), 0, "%.*s", (int)hl, data);
    const unsigned char want[6] = {0, 128, 255, 0, 191, 0};
    cr_assert_eq(memcmp(data + hl, want, 6), 0, "%u %u %u %u %u %u", (unsigned char)data[hl],
                 (unsigned char)data[hl + 1], (unsigned char)data[hl + 2], (unsigned char)data[hl + 3],
                 (unsigned char)data[hl + 4], (unsigned char)data[hl + 5]);
    free(data);
    cr_assert_eq(export_pgm(v, 2, 3, 1.0, 1.0, path, msg), ST_EINVAL);
    cr_assert_eq(export_pgm(v, 2, 3, 0.0, INFINITY, path, msg), ST_EINVAL);
    cr_assert_eq(export_pgm(v, 0, 3, 0.0, 1.0, path, msg), ST_EINVAL);
    char bad[160];
    snprintf(bad, sizeof bad, "%s/no/such/folder/map.pgm", support_tmp());
    cr_assert_eq(export_pgm(v, 2, 3, -1.0, 1.0, bad, msg), ST_EIO);
    cr_assert(access(bad, F_OK) != 0);
}

Test(export, pgm_tiles_lay_out_maps_in_a_grid)
{
    /* Three 2×2 tiles, two per row: a 5×5 image with black separators and
     * an empty (black) fourth cell. Tile t holds the value t/2 in [0, 1]. */
    double v[12];
    for (size_t t = 0; t < 3; t++)
        for (size_t i = 0; i < 4; i++)
            v[4 * t + i] = (double)t / 2.0;
    char path[128], msg[STATUS_MSG_LEN];
    snprintf(path, sizeof path, "%s/tiles.pgm", support_tmp());
    cr_assert_eq(export_pgm_tiles(v, 3, 2, 2, 2, 0.0, 1.0, path, msg), ST_OK, "%s", msg);
    size_t len;
    char *data = support_read_file(path, &len);
    const char *head = "P5\n# neurotop lo=0 hi=1\n5 5\n255\n";
    size_t hl = strlen(head);
    cr_assert_eq(len, hl + 25);
    cr_assert_eq(memcmp(data, head, hl), 0);
    const unsigned char want[25] = {
        0, 0, 0, 128, 128,
        0, 0, 0, 128, 128,
        0, 0, 0, 0,   0,
        255, 255, 0, 0, 0,
        255, 255, 0, 0, 0,
    };
    cr_assert_eq(memcmp(data + hl, want, 25), 0);
    free(data);
}
