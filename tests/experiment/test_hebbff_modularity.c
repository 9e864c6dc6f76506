#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neurotop/core/rng.h"
#include "neurotop/experiment/hebbff_modularity.h"

/* A batch of 4 instances × epochs 0..6, small enough to work by hand.
 * Windows of 3 epochs: [1, 3] and [4, 6] (epoch 0 is left out); the second
 * is the last third.
 *   inst 0: acc .5 .505 .5 | .6 .7 .8     fcq .1 .2 .1 | .1 .2 .3   (r +1 | +1)
 *   inst 1: acc .6 .8  .9  | .85 .88 .86  fcq .4 .2 .1 | .7 .76 .72 (fcq = 1 − acc: r −1 | fcq = 2·acc − 1: r +1)
 *   inst 2: acc .7 .7  .7  | .7 .7 .7     fcq .5 .5 .5 | .5 _ .8    (constant accuracy: r undefined)
 *   inst 3: epoch 0 only (nothing to classify or correlate)
 * fcq_modules is 2, 3, 4 and fcq_mean_r .2, .3, .4 per instance; q_whole
 * equals the accuracy; eta is given at the last epoch only. */
static const char FIXTURE[] =
    "instance,seed,epoch,test_acc,eta,fcq,fcq_modules,fcq_mean_r,q_whole\n"
    "0,10,0,0.5,,0,2,0.2,0.5\n"
    "0,10,1,0.5,,0.1,2,0.2,0.5\n"
    "0,10,2,0.505,,0.2,2,0.2,0.505\n"
    "0,10,3,0.5,,0.1,2,0.2,0.5\n"
    "0,10,4,0.6,,0.1,2,0.2,0.6\n"
    "0,10,5,0.7,,0.2,2,0.2,0.7\n"
    "0,10,6,0.8,-0.2,0.3,2,0.2,0.8\n"
    "1,11,0,0.5,,0,3,0.3,0.5\n"
    "1,11,1,0.6,,0.4,3,0.3,0.6\n"
    "1,11,2,0.8,,0.2,3,0.3,0.8\n"
    "1,11,3,0.9,,0.1,3,0.3,0.9\n"
    "1,11,4,0.85,,0.7,3,0.3,0.85\n"
    "1,11,5,0.88,,0.76,3,0.3,0.88\n"
    "1,11,6,0.86,0.1,0.72,3,0.3,0.86\n"
    "2,12,0,0.5,,0,4,0.4,0.5\n"
    "2,12,1,0.7,,0.5,4,0.4,0.7\n"
    "2,12,2,0.7,,0.5,4,0.4,0.7\n"
    "2,12,3,0.7,,0.5,4,0.4,0.7\n"
    "2,12,4,0.7,,0.5,4,0.4,0.7\n"
    "2,12,5,0.7,,,4,0.4,0.7\n"
    "2,12,6,0.7,-0.05,0.8,4,0.4,0.7\n"
    "3,13,0,0.5,,,,,\n";

/* Across r at each epoch over instances 0-2 (instance 3 has epoch 0 only),
 * worked out to 12 digits; epoch 5 of fcq has two instances (undefined):
 *   fcq      .960768922831  .182793737685  0  .953820966477  -  -.288669689692
 *   modules  1  .649879663056  .5  .397359707120  0  -.618589574132
 * (epochs 1..6). Windows [1, 3], [4, 6] and periods [1, 2], [3, 4], [5, 6]
 * average the defined ones. */
static const double R_FCQ[7] = {NAN, 0.960768922831, 0.182793737685, 0, 0.953820966477, NAN, -0.288669689692};
static const double R_MOD[7] = {NAN, 1, 0.649879663056, 0.5, 0.397359707120, 0, -0.618589574132};

static HebbffModularitySettings settings(size_t window, size_t n_boot)
{
    HebbffModularitySettings s;
    hebbff_modularity_settings_default(&s);
    s.window = window;
    s.n_boot = n_boot;
    return s;
}

static char *make_batch(const char *text)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/neurotop-hm-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, SUMMARY_TABLE_NAME);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return dir;
}

static void remove_batch(const char *dir)
{
    const char *names[] = {SUMMARY_TABLE_NAME, HEBBFF_MODULARITY_TABLE, HEBBFF_MODULARITY_EPOCHS,
                           HEBBFF_MODULARITY_MODES};
    for (size_t i = 0; i < 4; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

static char *slurp(const char *dir, const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s was not written", path);
    static char buf[16384];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

/* Field k (0-based) of a CSV line as a number, NaN when empty. */
static double field(const char *line, size_t k)
{
    for (size_t i = 0; i < k; i++) {
        line = strchr(line, ',');
        cr_assert_not_null(line, "line has no field %zu", k);
        line++;
    }
    if (*line == ',' || *line == '\n' || *line == 0)
        return NAN;
    return strtod(line, NULL);
}

/* The line that starts with prefix. */
static const char *line_of(const char *text, const char *prefix)
{
    const char *p = text;
    while (p && *p) {
        if (strncmp(p, prefix, strlen(prefix)) == 0)
            return p;
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    cr_assert_fail("no line starting with '%s' in:\n%s", prefix, text);
    return NULL;
}

static size_t count_lines(const char *text)
{
    size_t n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    return n;
}

Test(hebbff_modularity, windows_and_periods_by_hand)
{
    char *dir = make_batch(FIXTURE);
    HebbffModularityReport r;
    char msg[STATUS_MSG_LEN];
    HebbffModularitySettings set = settings(3, 0);
    cr_assert_eq(hebbff_modularity_run(dir, &set, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.n_inst, 4);
    cr_assert_eq(r.n_epochs, 7);
    cr_assert_eq(r.first_epoch, 1);
    cr_assert_eq(r.width, 3);
    cr_assert_eq(r.n_windows, 2);
    /* Seeds 10, 11, 12, 13: instances 0 and 2 even, 1 and 3 odd. */
    cr_assert_eq(r.half_n[0], 2);
    cr_assert_eq(r.half_n[1], 2);

    /* fcq is readout 0 and present; fcq_reg, flex_q, flex_system are not. */
    cr_assert_str_eq(hebbff_modularity_readout(0)->key, "fcq");
    cr_assert_str_eq(hebbff_modularity_readout(2)->key, "q_whole");
    cr_assert_null(hebbff_modularity_readout(HEBBFF_MODULARITY_READOUTS));
    cr_assert(r.readout[0].present && r.readout[0].has_modules);
    cr_assert(!r.readout[1].present);
    cr_assert(r.readout[2].present && !r.readout[2].has_modules);
    cr_assert(!r.readout[3].present && !r.readout[4].present);
    cr_assert_null(r.readout[1].windows);

    const HebbffReadoutResult *f = &r.readout[0];
    const HebbffSpan *w = f->windows;
    cr_assert_eq(w[0].epoch_from, 1);
    cr_assert_eq(w[0].epoch_to, 3);
    cr_assert_eq(w[1].epoch_from, 4);
    cr_assert_eq(w[1].epoch_to, 6);
    /* Means over every finite cell of the window (instance 3 has none). */
    cr_assert_float_eq(w[0].acc, 5.905 / 9, 1e-12);
    cr_assert_float_eq(w[0].value, 2.6 / 9, 1e-12);
    cr_assert_float_eq(w[0].modules, 3.0, 1e-12);
    cr_assert_float_eq(w[0].mean_r, 0.3, 1e-12);
    cr_assert_float_eq(w[1].acc, 6.79 / 9, 1e-12);
    cr_assert_float_eq(w[1].value, 4.08 / 8, 1e-12); /* instance 2's epoch 5 is empty */
    /* Within, window [1, 3]: r +1 (inst 0), -1 (inst 1), undefined (inst 2). */
    cr_assert_eq(w[0].corr.within_n, 2);
    cr_assert_eq(w[0].corr.within_pos, 1);
    cr_assert_float_eq(w[0].corr.within.est, 0.0, 1e-9);
    cr_assert_float_eq(w[0].corr.within_sd, sqrt(2.0), 1e-9);
    /* ... and its halves: +1 (even seeds), -1 (odd): opposite signs. */
    cr_assert_float_eq(w[0].corr.within.half[0], 1.0, 1e-9);
    cr_assert_float_eq(w[0].corr.within.half[1], -1.0, 1e-9);
    cr_assert_eq(w[0].corr.within.agree, 0);
    /* Window [4, 6]: r +1, +1, undefined; the halves agree. */
    cr_assert_eq(w[1].corr.within_pos, 2);
    cr_assert_float_eq(w[1].corr.within.est, 1.0, 1e-9);
    cr_assert_eq(w[1].corr.within.agree, 1);
    cr_assert_eq(f->halves_defined[0], 2);
    cr_assert_eq(f->halves_agree[0], 1);
    /* Across: the mean of the per-epoch r over the window's epochs. */
    cr_assert_float_eq(w[0].corr.across.est, (R_FCQ[1] + R_FCQ[2] + R_FCQ[3]) / 3, 1e-9);
    cr_assert_eq(w[0].corr.across_epochs, 3);
    cr_assert_float_eq(w[1].corr.across.est, (R_FCQ[4] + R_FCQ[6]) / 2, 1e-9);
    cr_assert_eq(w[1].corr.across_epochs, 2);
    cr_assert_float_eq(w[0].mod_corr.across.est, (R_MOD[1] + R_MOD[2] + R_MOD[3]) / 3, 1e-9);
    cr_assert_float_eq(w[1].mod_corr.across.est, (R_MOD[4] + R_MOD[5] + R_MOD[6]) / 3, 1e-9);
    cr_assert_eq(w[0].mod_corr.within_n, 0, "a constant module count has no within r");
    /* Two instances per half: no across r on a half, no interval without resamples. */
    cr_assert(isnan(w[0].corr.across.half[0]) && isnan(w[0].corr.across.lo));
    cr_assert_eq(w[0].corr.across.agree, -1);
    cr_assert_eq(f->halves_defined[1], 0);
    /* Per epoch. */
    for (size_t e = 0; e < 7; e++) {
        if (isnan(R_FCQ[e]))
            cr_assert(isnan(f->epoch_r[e]), "epoch %zu", e);
        else
            cr_assert_float_eq(f->epoch_r[e], R_FCQ[e], 1e-9, "epoch %zu", e);
        if (e > 0)
            cr_assert_float_eq(f->epoch_r_mod[e], R_MOD[e], 1e-9, "epoch %zu", e);
    }
    cr_assert_eq(f->epoch_n[1], 3);
    cr_assert_eq(f->epoch_n[5], 2);
    /* Periods: thirds of epochs 1-6. Two epochs give no within r. */
    const HebbffSpan *p = f->periods;
    cr_assert_eq(p[HEBBFF_EARLY].epoch_from, 1);
    cr_assert_eq(p[HEBBFF_EARLY].epoch_to, 2);
    cr_assert_eq(p[HEBBFF_MID].epoch_from, 3);
    cr_assert_eq(p[HEBBFF_MID].epoch_to, 4);
    cr_assert_eq(p[HEBBFF_LATE].epoch_from, 5);
    cr_assert_eq(p[HEBBFF_LATE].epoch_to, 6);
    cr_assert_float_eq(p[HEBBFF_EARLY].corr.across.est, (R_FCQ[1] + R_FCQ[2]) / 2, 1e-9);
    cr_assert_float_eq(p[HEBBFF_MID].corr.across.est, (R_FCQ[3] + R_FCQ[4]) / 2, 1e-9);
    cr_assert_float_eq(p[HEBBFF_LATE].corr.across.est, R_FCQ[6], 1e-9);
    cr_assert_float_eq(p[HEBBFF_LATE].mod_corr.across.est, (R_MOD[5] + R_MOD[6]) / 2, 1e-9);
    cr_assert(isnan(p[HEBBFF_LATE].corr.within.est));

    /* q_whole equals accuracy: every defined r is 1; it has no modules. */
    const HebbffSpan *q = r.readout[2].windows;
    for (size_t j = 0; j < 2; j++) {
        cr_assert_float_eq(q[j].corr.within.est, 1.0, 1e-9);
        cr_assert_float_eq(q[j].corr.across.est, 1.0, 1e-9);
        cr_assert_float_eq(q[j].value, q[j].acc, 1e-12);
        cr_assert(isnan(q[j].modules) && isnan(q[j].mean_r) && isnan(q[j].mod_corr.across.est));
    }
    cr_assert_null(r.readout[2].epoch_r_mod);
    hebbff_modularity_done(&r);
    hebbff_modularity_done(&r); /* twice is safe */
    hebbff_modularity_done(NULL);
    remove_batch(dir);
}

Test(hebbff_modularity, learning_modes_by_hand)
{
    char *dir = make_batch(FIXTURE);
    HebbffModularityReport r;
    char msg[STATUS_MSG_LEN];
    HebbffModularitySettings set = settings(0, 0);
    cr_assert_eq(hebbff_modularity_run(dir, &set, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.width, 3, "the default (6/10 = 0) is raised to 3");
    cr_assert_eq(r.rule.min_flat, 3);
    /* inst 0: plateau .5, flat to epoch 3, rises at 4 to .8: mode I; its
     * deepest drop is .505 -> .5 (epochs 2 -> 3). */
    const HebbffInstanceMode *m = r.modes;
    cr_assert(m[0].classified);
    cr_assert_eq(m[0].result.mode, COHORT_MODE_I);
    cr_assert_eq(m[0].result.rise_epoch, 4);
    cr_assert_eq(m[0].result.flat_epochs, 3);
    cr_assert_float_eq(m[0].result.best, 0.8, 1e-12);
    cr_assert_eq(m[0].result.best_epoch, 6);
    cr_assert_eq(m[0].result.peak_epoch, 2);
    cr_assert_eq(m[0].result.trough_epoch, 3);
    cr_assert_float_eq(m[0].result.dip_depth, 0.005, 1e-12);
    cr_assert_float_eq(m[0].final_acc, 0.8, 1e-12);
    cr_assert_float_eq(m[0].final_eta, -0.2, 1e-12);
    cr_assert_float_eq(m[0].seed, 10.0, 0);
    /* inst 1: rises at epoch 2, best .9 at 3, falls .05 to .85 at 4: mode II. */
    cr_assert_eq(m[1].result.mode, COHORT_MODE_II);
    cr_assert_eq(m[1].result.flat_epochs, 1);
    cr_assert_eq(m[1].result.peak_epoch, 3);
    cr_assert_eq(m[1].result.trough_epoch, 4);
    cr_assert_float_eq(m[1].result.dip_depth, 0.05, 1e-12);
    cr_assert_float_eq(m[1].result.final_gain, 0.01, 1e-12);
    /* inst 2 never leaves .7: neither; inst 3 has no trained epoch. */
    cr_assert(m[2].classified);
    cr_assert_eq(m[2].result.mode, COHORT_MODE_NONE);
    cr_assert_eq(m[2].result.rise_epoch, 0);
    cr_assert(!m[3].classified);
    cr_assert(strlen(m[3].problem) > 0);
    cr_assert(isnan(m[3].final_acc));
    cr_assert_float_eq(m[3].seed, 13.0, 0);
    cr_assert_eq(r.classified, 3);
    cr_assert_eq(r.mode_count[COHORT_MODE_I], 1);
    cr_assert_eq(r.mode_count[COHORT_MODE_II], 1);
    cr_assert_eq(r.mode_count[COHORT_MODE_NONE], 1);
    cr_assert_eq(r.reached90, 1, "instance 1 reaches 0.9");
    cr_assert_eq(r.negative_eta, 2, "instances 0 and 2 end with eta < 0");
    hebbff_modularity_done(&r);
    remove_batch(dir);
}

Test(hebbff_modularity, writes_the_tables)
{
    char *dir = make_batch(FIXTURE);
    HebbffModularityReport r;
    char msg[STATUS_MSG_LEN];
    HebbffModularitySettings set = settings(3, 200);
    cr_assert_eq(hebbff_modularity_run(dir, &set, &r, msg), ST_OK, "%s", msg);
    hebbff_modularity_done(&r);

    const char *t = slurp(dir, HEBBFF_MODULARITY_TABLE);
    /* fcq: value and modules, 2 windows and 3 periods each; q_whole: value. */
    cr_assert_eq(count_lines(t), 1 + 5 + 5 + 5, "%s", t);
    cr_assert_eq(line_of(t, "readout,series,span,epoch_from,epoch_to,acc_mean,series_mean,mean_r_mean,within_r,"
                            "within_lo,within_hi,within_sd,within_n,within_pos,within_even,within_odd,"
                            "within_agree,within_boot_n,across_r,across_lo,across_hi,across_epochs,across_even,"
                            "across_odd,across_agree,across_boot_n\n"),
                 t, "the header comes first");
    const char *l = line_of(t, "fcq,value,0,1,3,");
    cr_assert_float_eq(field(l, 5), 5.905 / 9, 1e-6);
    cr_assert_float_eq(field(l, 6), 2.6 / 9, 1e-6);
    cr_assert_float_eq(field(l, 7), 0.3, 1e-6);
    cr_assert_float_eq(field(l, 8), 0.0, 1e-6);
    cr_assert_float_eq(field(l, 11), sqrt(2.0), 1e-5);
    cr_assert_float_eq(field(l, 12), 2.0, 0);
    cr_assert_float_eq(field(l, 13), 1.0, 0);
    cr_assert_float_eq(field(l, 14), 1.0, 1e-6);
    cr_assert_float_eq(field(l, 15), -1.0, 1e-6);
    cr_assert_float_eq(field(l, 16), 0.0, 0);
    cr_assert_float_eq(field(l, 18), (R_FCQ[1] + R_FCQ[2] + R_FCQ[3]) / 3, 1e-6);
    cr_assert_float_eq(field(l, 21), 3.0, 0);
    cr_assert(isnan(field(l, 24)), "halves of two instances agree on nothing: %s", l);
    /* The within interval holds its estimate. A resample without instance
     * 0 or 1 has no within r: 1/16 of them are expected to lack one. */
    cr_assert(field(l, 17) >= 150 && field(l, 17) <= 200, "%s", l);
    cr_assert(field(l, 9) <= 0.0 && 0.0 <= field(l, 10), "%s", l);
    l = line_of(t, "fcq,modules,late,5,6,");
    cr_assert_float_eq(field(l, 6), 3.0, 1e-6);
    cr_assert_float_eq(field(l, 18), (R_MOD[5] + R_MOD[6]) / 2, 1e-6);
    l = line_of(t, "q_whole,value,1,4,6,");
    cr_assert_float_eq(field(l, 5), 6.79 / 9, 1e-6);
    cr_assert(isnan(field(l, 7)), "no mean r for q_whole: %s", l);

    /* One row per readout and trained epoch. */
    const char *e = slurp(dir, HEBBFF_MODULARITY_EPOCHS);
    cr_assert_eq(count_lines(e), 1 + 6 + 6, "%s", e);
    line_of(e, "readout,epoch,n,r_value,r_modules\n");
    l = line_of(e, "fcq,1,3,");
    cr_assert_float_eq(field(l, 3), R_FCQ[1], 1e-6);
    cr_assert_float_eq(field(l, 4), R_MOD[1], 1e-6);
    line_of(e, "fcq,5,2,,0\n");
    line_of(e, "q_whole,6,3,1,\n");

    /* One row per classified instance (instance 3 is left out). */
    const char *m = slurp(dir, HEBBFF_MODULARITY_MODES);
    cr_assert_eq(count_lines(m), 4, "%s", m);
    line_of(m, "instance,seed,mode,rise_epoch,flat_epochs,plateau,best,best_epoch,peak_epoch,trough_epoch,"
               "dip_depth,final_gain,final_acc,final_eta\n");
    line_of(m, "0,10,I,4,3,0.5,0.8,6,2,3,0.005,0.3,0.8,-0.2\n");
    line_of(m, "1,11,II,2,1,0.6,0.9,3,3,4,0.05,0.01,0.86,0.1\n");
    line_of(m, "2,12,-,0,0,0.7,0.7,1,0,0,0,0,0.7,-0.05\n");
    remove_batch(dir);
}

Test(hebbff_modularity, one_wide_window)
{
    char *dir = make_batch(FIXTURE);
    HebbffModularityReport r;
    char msg[STATUS_MSG_LEN];
    HebbffModularitySettings set = settings(100, 0);
    cr_assert_eq(hebbff_modularity_run(dir, &set, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.width, 6, "capped at the 6 trained epochs");
    cr_assert_eq(r.n_windows, 1);
    const HebbffReadoutResult *q = &r.readout[2];
    cr_assert_float_eq(q->windows[0].corr.within.est, 1.0, 1e-9);
    cr_assert_eq(q->windows[0].epoch_from, 1);
    cr_assert_eq(q->windows[0].epoch_to, 6);
    /* The periods do not depend on the window. */
    cr_assert_eq(q->periods[HEBBFF_LATE].epoch_from, 5);
    hebbff_modularity_done(&r);
    remove_batch(dir);
}

/* A summary table in memory: n instances (seed = 100 + i), epochs 0..ne−1,
 * columns instance, seed, epoch, test_acc, fcq. Across instances fcq and
 * accuracy correlate at rho_early in the first third of the trained epochs,
 * not at all in the middle third and at rho_late in the last, each epoch
 * drawn afresh around a per-instance level. */
static void planted_table(SummaryTable *t, size_t n, size_t ne, double rho_early, double rho_late, uint64_t seed)
{
    static char buf[5][16] = {"instance", "seed", "epoch", "test_acc", "fcq"};
    static char *names[5] = {buf[0], buf[1], buf[2], buf[3], buf[4]};
    t->cols = 5;
    t->rows = n * ne;
    t->names = names;
    t->v = malloc(t->rows * t->cols * sizeof *t->v);
    cr_assert_not_null(t->v);
    Rng g;
    rng_seed(&g, seed, 5);
    size_t trained = ne - 1;
    for (size_t i = 0; i < n; i++) {
        double a = rng_normal(&g), z = rng_normal(&g);
        for (size_t e = 0; e < ne; e++) {
            double rho = e == 0 ? 0 : e < 1 + trained / 3 ? rho_early : e < 1 + 2 * trained / 3 ? 0 : rho_late;
            double u = rng_normal(&g), v = rng_normal(&g);
            double x = 0.7 * a + sqrt(0.51) * u; /* unit variance, half of it the instance's own */
            double y = rho * x + sqrt(1 - rho * rho) * (0.7 * z + sqrt(0.51) * v);
            double *row = t->v + (i * ne + e) * t->cols;
            row[0] = (double)i;
            row[1] = 100.0 + (double)i;
            row[2] = (double)e;
            row[3] = 0.9 + 0.01 * y + 0.001 * (double)e;
            row[4] = 0.3 + 0.02 * x;
        }
    }
}

/* End to end on a planted cohort of 90 instances: the paper's "across r(Q,
 * acc) > 0 early" and "< 0 late" are reproduced exactly when planted, the
 * null middle third is not resolved, and the intervals contain the planted
 * values. */
Test(hebbff_modularity, planted_cohort_verdicts)
{
    SummaryTable t;
    planted_table(&t, 90, 31, 0.5, -0.5, 3);
    HebbffModularityReport r;
    char msg[STATUS_MSG_LEN];
    HebbffModularitySettings set = settings(0, 1000);
    cr_assert_eq(hebbff_modularity_compute(&t, &set, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.half_n[0], 45);
    const HebbffSpan *p = r.readout[0].periods;
    const double want[3] = {0.5, 0, -0.5};
    for (int k = 0; k < 3; k++) {
        const CohortStat *s = &p[k].corr.across;
        cr_assert(s->lo < want[k] && want[k] < s->hi, "period %d: %g not in [%g, %g]", k, want[k], s->lo, s->hi);
        cr_assert_eq(s->boot_n, 1000);
    }
    size_t found = 0;
    for (size_t c = 0; c < hebbff_modularity_claims(); c++) {
        const HebbffClaim *cl = hebbff_modularity_claim(c);
        cr_assert_null(hebbff_modularity_claim_stat(&r, cl, 4), "no flexibility column, no flexibility claim");
        const CohortStat *s = hebbff_modularity_claim_stat(&r, cl, 0);
        if (cl->kind != HEBBFF_KIND_Q || cl->modules) {
            cr_assert_null(s, "claim %zu does not apply to fcq without modules", c);
            continue;
        }
        cr_assert_not_null(s);
        if (cl->within)
            continue;
        CohortVerdict v = cohort_verdict(s, cl->sign);
        if (cl->period == HEBBFF_MID)
            cr_assert_eq(v, COHORT_VERDICT_UNRESOLVED, "the null middle third: [%g, %g]", s->lo, s->hi);
        else
            cr_assert_eq(v, COHORT_VERDICT_REPRODUCED, "claim %zu: [%g, %g]", c, s->lo, s->hi);
        found++;
    }
    cr_assert_eq(found, 3);
    hebbff_modularity_done(&r);
    free(t.v);
    /* Signs against the paper's: opposite. */
    planted_table(&t, 90, 31, -0.5, 0.5, 4);
    cr_assert_eq(hebbff_modularity_compute(&t, &set, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(cohort_verdict(&r.readout[0].periods[HEBBFF_LATE].corr.across, -1), COHORT_VERDICT_OPPOSITE);
    cr_assert_eq(cohort_verdict(&r.readout[0].periods[HEBBFF_EARLY].corr.across, +1), COHORT_VERDICT_OPPOSITE);
    hebbff_modularity_done(&r);
    free(t.v);
}

Test(hebbff_modularity, refuses_bad_summaries)
{
    static const struct {
        const char *text;
        Status st;
    } bad[] = {
        {"instance,seed,epoch\n0,0,0\n", ST_EFORMAT},                         /* no test_acc */
        {"instance,seed,epoch,test_acc\n", ST_EFORMAT},                       /* no rows */
        {"instance,seed,epoch,test_acc\n0.5,0,0,0.5\n", ST_EFORMAT},          /* fractional instance */
        {"instance,seed,epoch,test_acc\n0,0,-1,0.5\n", ST_EFORMAT},           /* negative epoch */
        {"instance,seed,epoch,test_acc\n,0,1,0.5\n", ST_EFORMAT},             /* empty instance */
        {"instance,seed,epoch,test_acc\n0,0,0,0.5\n0,0,2,0.6\n", ST_EINVAL}, /* 2 trained epochs */
    };
    HebbffModularitySettings set = settings(0, 10);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *dir = make_batch(bad[i].text);
        HebbffModularityReport r;
        char msg[STATUS_MSG_LEN] = "";
        cr_assert_eq(hebbff_modularity_run(dir, &set, &r, msg), bad[i].st, "case %zu: %s", i, msg);
        cr_assert(strlen(msg) > 0, "case %zu", i);
        cr_assert_null(r.modes, "case %zu", i);
        char path[128];
        snprintf(path, sizeof path, "%s/%s", dir, HEBBFF_MODULARITY_TABLE);
        cr_assert_neq(access(path, F_OK), 0, "case %zu wrote a table", i);
        remove_batch(dir);
    }
    HebbffModularityReport r;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(hebbff_modularity_run("/nonexistent-neurotop", &set, &r, msg), ST_ENOTFOUND);
}
