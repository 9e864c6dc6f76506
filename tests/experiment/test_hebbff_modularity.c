#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Window means of accuracy per instance (over the epochs where the paired
 * series is finite) for the across r:
 *   [1, 3]: 1.505/3, 2.3/3, .7     [4, 6]: .7, 2.59/3, .7 (inst 2: epochs 4, 6 for fcq)
 * fcq means: [1, 3]: .4/3, .7/3, .5   [4, 6]: .2, 2.18/3, .65
 * Pearson r over the three instances (worked out to 12 digits):
 *   r(fcq, acc)       0.519539829284, 0.612115580785
 *   r(modules, acc)   0.719413085347, 0 (acc means symmetric about modules' centre) */
#define ACROSS_FCQ_0 0.519539829284
#define ACROSS_FCQ_1 0.612115580785
#define ACROSS_MOD_0 0.719413085347

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
    const char *names[] = {SUMMARY_TABLE_NAME, HEBBFF_MODULARITY_TABLE, HEBBFF_MODULARITY_MODES};
    for (size_t i = 0; i < 3; i++) {
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
    static char buf[8192];
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

Test(hebbff_modularity, windows_within_and_across_by_hand)
{
    char *dir = make_batch(FIXTURE);
    HebbffModularityReport r;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(hebbff_modularity_run(dir, 3, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.n_inst, 4);
    cr_assert_eq(r.n_epochs, 7);
    cr_assert_eq(r.first_epoch, 1);
    cr_assert_eq(r.width, 3);
    cr_assert_eq(r.n_windows, 2);
    cr_assert_eq(r.first_late, 1);

    /* fcq is readout 0 and present; fcq_reg, flex_q, flex_system are not. */
    cr_assert_str_eq(hebbff_modularity_readout(0)->key, "fcq");
    cr_assert_str_eq(hebbff_modularity_readout(2)->key, "q_whole");
    cr_assert_null(hebbff_modularity_readout(HEBBFF_MODULARITY_READOUTS));
    cr_assert(r.readout[0].present);
    cr_assert(!r.readout[1].present);
    cr_assert(r.readout[2].present);
    cr_assert(!r.readout[3].present && !r.readout[4].present);
    cr_assert_null(r.readout[1].windows);

    const HebbffWindow *w = r.readout[0].windows;
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
    /* Window [1, 3]: r +1 (inst 0), −1 (inst 1), undefined (inst 2). */
    cr_assert_eq(w[0].corr.within_n, 2);
    cr_assert_eq(w[0].corr.within_pos, 1);
    cr_assert_float_eq(w[0].corr.within, 0.0, 1e-9);
    cr_assert_float_eq(w[0].corr.within_sd, sqrt(2.0), 1e-9);
    cr_assert_eq(w[0].corr.across_n, 3);
    cr_assert_float_eq(w[0].corr.across, ACROSS_FCQ_0, 1e-9);
    cr_assert_float_eq(w[0].modules_across, ACROSS_MOD_0, 1e-9);
    /* Window [4, 6]: r +1, +1, undefined. */
    cr_assert_eq(w[1].corr.within_n, 2);
    cr_assert_eq(w[1].corr.within_pos, 2);
    cr_assert_float_eq(w[1].corr.within, 1.0, 1e-9);
    cr_assert_float_eq(w[1].corr.within_sd, 0.0, 1e-9);
    cr_assert_float_eq(w[1].corr.across, ACROSS_FCQ_1, 1e-9);
    cr_assert_float_eq(w[1].modules_across, 0.0, 1e-9);
    /* Early = window 0 only, late = window 1 only. */
    cr_assert_float_eq(r.readout[0].early_peak[0], 0.0, 1e-9);
    cr_assert_float_eq(r.readout[0].early_peak[1], ACROSS_FCQ_0, 1e-9);
    cr_assert_float_eq(r.readout[0].late[0], 1.0, 1e-9);
    cr_assert_float_eq(r.readout[0].late[1], ACROSS_FCQ_1, 1e-9);

    /* q_whole equals accuracy: every defined r is 1; it has no modules. */
    const HebbffWindow *q = r.readout[2].windows;
    for (size_t j = 0; j < 2; j++) {
        cr_assert_float_eq(q[j].corr.within, 1.0, 1e-9);
        cr_assert_float_eq(q[j].corr.across, 1.0, 1e-9);
        cr_assert_float_eq(q[j].value, q[j].acc, 1e-12);
        cr_assert(isnan(q[j].modules) && isnan(q[j].mean_r) && isnan(q[j].modules_across));
    }
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
    cr_assert_eq(hebbff_modularity_run(dir, 0, &r, msg), ST_OK, "%s", msg);
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

Test(hebbff_modularity, writes_both_tables)
{
    char *dir = make_batch(FIXTURE);
    HebbffModularityReport r;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(hebbff_modularity_run(dir, 3, &r, msg), ST_OK, "%s", msg);
    hebbff_modularity_done(&r);

    const char *t = slurp(dir, HEBBFF_MODULARITY_TABLE);
    cr_assert_eq(count_lines(t), 5, "a header and 2 windows of fcq and q_whole:\n%s", t);
    cr_assert_eq(line_of(t, "readout,window,epoch_from,epoch_to,acc_mean,value_mean,modules_mean,mean_r_mean,"
                            "within_r,within_sd,within_n,within_pos,across_r,across_n,across_modules_r\n"),
                 t, "the header comes first");
    const char *l = line_of(t, "fcq,0,1,3,");
    cr_assert_float_eq(field(l, 4), 5.905 / 9, 1e-6);
    cr_assert_float_eq(field(l, 5), 2.6 / 9, 1e-6);
    cr_assert_float_eq(field(l, 6), 3.0, 1e-6);
    cr_assert_float_eq(field(l, 9), sqrt(2.0), 1e-5);
    cr_assert_float_eq(field(l, 10), 2.0, 0);
    cr_assert_float_eq(field(l, 11), 1.0, 0);
    cr_assert_float_eq(field(l, 12), ACROSS_FCQ_0, 1e-6);
    cr_assert_float_eq(field(l, 13), 3.0, 0);
    cr_assert_float_eq(field(l, 14), ACROSS_MOD_0, 1e-6);
    l = line_of(t, "fcq,1,4,6,");
    cr_assert_float_eq(field(l, 8), 1.0, 1e-6);
    cr_assert_float_eq(field(l, 12), ACROSS_FCQ_1, 1e-6);
    l = line_of(t, "q_whole,1,4,6,");
    cr_assert_float_eq(field(l, 4), 6.79 / 9, 1e-6);
    cr_assert(isnan(field(l, 6)) && isnan(field(l, 7)) && isnan(field(l, 14)), "no modules for q_whole: %s", l);

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

Test(hebbff_modularity, one_wide_window_has_no_early_part)
{
    char *dir = make_batch(FIXTURE);
    HebbffModularityReport r;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(hebbff_modularity_run(dir, 100, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.width, 6, "capped at the 6 trained epochs");
    cr_assert_eq(r.n_windows, 1);
    cr_assert_eq(r.first_late, 0);
    const HebbffReadoutResult *q = &r.readout[2];
    cr_assert(isnan(q->early_peak[0]) && isnan(q->early_peak[1]));
    cr_assert_float_eq(q->late[0], 1.0, 1e-9);
    cr_assert_eq(q->windows[0].epoch_from, 1);
    cr_assert_eq(q->windows[0].epoch_to, 6);
    hebbff_modularity_done(&r);
    remove_batch(dir);
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
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *dir = make_batch(bad[i].text);
        HebbffModularityReport r;
        char msg[STATUS_MSG_LEN] = "";
        cr_assert_eq(hebbff_modularity_run(dir, 0, &r, msg), bad[i].st, "case %zu: %s", i, msg);
        cr_assert(strlen(msg) > 0, "case %zu", i);
        cr_assert_null(r.modes, "case %zu", i);
        char path[128];
        snprintf(path, sizeof path, "%s/%s", dir, HEBBFF_MODULARITY_TABLE);
        cr_assert_neq(access(path, F_OK), 0, "case %zu wrote a table", i);
        remove_batch(dir);
    }
    HebbffModularityReport r;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(hebbff_modularity_run("/nonexistent-neurotop", 0, &r, msg), ST_ENOTFOUND);
}
