/* `neurotop cohort DIR... --headless`: many runs compared — per group of a
 * swept option, the per-epoch median and quantile bands of every metric
 * across runs, the correlation of each modularity readout with accuracy
 * within and across runs per window (seed paper 001, Fig. 4A/C, where the
 * two can differ in sign), and each run's learning mode (Fig. 6); written
 * as CSV and JSON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/cohort.h"
#include "neurotop/cli/commands.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/json.h"
#include "neurotop/core/numparse.h"
#include "neurotop/core/strbuf.h"
#include "neurotop/run/cohort_runs.h"
#include "cohort_view.h"

#define MAX_METRICS 96
#define MAX_GROUPS 64
static const double QUANTILES[] = {0.1, 0.25, 0.5, 0.75, 0.9};
#define N_QUANT (sizeof QUANTILES / sizeof QUANTILES[0])
/* The readouts correlated with accuracy, when the runs have them. */
static const char *const READOUTS[] = {"q_whole", "q_hidden", "fcq", "fcq_reg", "flex_system", "flex_q",
                                       "entropy_nats"};

static void usage(FILE *f)
{
    fprintf(f, "usage: neurotop cohort DIR... [--headless] [options]\n\n"
               "Compares many runs: the run directories given, or found below the folders given (a\n"
               "sweep folder, a batch of --instances, runs copied from several machines). For every\n"
               "metric, the per-epoch median and 10/25/75/90%% quantiles across runs, per group of\n"
               "--group; the correlation of each modularity readout (q_whole, q_hidden, fcq, fcq_reg,\n"
               "flex_system, flex_q, entropy_nats) with --against within runs (mean over runs of r\n"
               "over a window's epochs) and across runs (r over runs at each epoch, averaged over the\n"
               "window), each with a 95%% bootstrap interval over runs; and each run's learning mode\n"
               "(I: flat then rising, II: rising then dipping, -: neither).\n"
               "Without --headless it opens a view of the runs (works while they are written).\n\n"
               "  --headless       write the tables instead of opening the view:\n"
               "                   cohort-bands.csv, cohort-corr.csv, cohort-modes.csv, cohort.json\n"
               "  --out DIR        where the tables go (default: the first folder given)\n"
               "  --group KEY      group the runs by a run.json key (lr, seed, model, epoch-size...);\n"
               "                   default: no groups (the keys that vary are listed)\n"
               "  --against KEY    the metric the readouts are correlated with (default test_acc)\n"
               "  --window W       epochs per correlation window (default: a tenth of the epochs, at\n"
               "                   least 3)\n"
               "  --boot N         bootstrap resamples of the runs (default 1000, 0 = no intervals)\n"
               "  --boot-seed S    seed of the resamples (default 1)\n");
}

static int parse_args(int argc, char **argv, CohortArgs *a)
{
    memset(a, 0, sizeof *a);
    a->against = "test_acc";
    a->boot = 1000;
    a->boot_seed = 1;
    char msg[STATUS_MSG_LEN];
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        Status st = ST_OK;
        if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(o, "--headless") == 0) {
            a->headless = 1;
        } else if (o[0] != '-') {
            if (a->n_dirs == COHORT_MAX_DIRS) {
                fprintf(stderr, "neurotop cohort: at most %d folders\n", COHORT_MAX_DIRS);
                return 2;
            }
            a->dirs[a->n_dirs++] = o;
        } else if (i + 1 >= argc && (strcmp(o, "--out") == 0 || strcmp(o, "--group") == 0 ||
                                     strcmp(o, "--against") == 0 || strcmp(o, "--window") == 0 ||
                                     strcmp(o, "--boot") == 0 || strcmp(o, "--boot-seed") == 0)) {
            fprintf(stderr, "neurotop cohort: %s needs a value\n", o);
            return 2;
        } else if (strcmp(o, "--out") == 0) {
            a->out = argv[++i];
        } else if (strcmp(o, "--group") == 0) {
            a->group = argv[++i];
        } else if (strcmp(o, "--against") == 0) {
            a->against = argv[++i];
        } else if (strcmp(o, "--window") == 0) {
            st = num_parse_size(argv[++i], 2, 1000000, o, &a->window, msg);
        } else if (strcmp(o, "--boot") == 0) {
            st = num_parse_size(argv[++i], 0, 100000, o, &a->boot, msg);
        } else if (strcmp(o, "--boot-seed") == 0) {
            st = num_parse_u64(argv[++i], 0, UINT64_MAX / 2, o, &a->boot_seed, msg);
        } else {
            fprintf(stderr, "neurotop cohort: unknown option '%s' (see neurotop cohort --help)\n", o);
            return 2;
        }
        if (st) {
            fprintf(stderr, "neurotop cohort: %s\n", msg);
            return 2;
        }
    }
    if (!a->n_dirs) {
        fprintf(stderr, "neurotop cohort: name run directories or folders holding them (see --help)\n");
        return 2;
    }
    return -1;
}

Status cohort_groups_make(const CohortRuns *c, const char *key, CohortGroups *g, char *msg)
{
    memset(g, 0, sizeof *g);
    size_t n = cohort_runs_count(c);
    g->of_run = malloc(n * sizeof *g->of_run);
    g->members = malloc(n * sizeof *g->members);
    if (!g->of_run || !g->members) {
        cohort_groups_done(g);
        return status_fail(msg, ST_ENOMEM, "out of memory grouping the runs");
    }
    for (size_t r = 0; r < n; r++) {
        char v[COHORT_GROUP_NAME];
        if (key)
            cohort_runs_value(c, r, key, v, sizeof v);
        else
            v[0] = '\0';
        size_t k = 0;
        while (k < g->n && strcmp(g->name[k], v) != 0)
            k++;
        if (k == g->n) {
            if (g->n == COHORT_MAX_GROUPS) {
                cohort_groups_done(g);
                return status_fail(msg, ST_EINVAL, "--group %s makes more than %d groups", key, COHORT_MAX_GROUPS);
            }
            snprintf(g->name[g->n++], COHORT_GROUP_NAME, "%s", v);
        }
        g->of_run[r] = k;
    }
    if (key && g->n == 1 && !g->name[0][0]) {
        cohort_groups_done(g);
        return status_fail(msg, ST_EINVAL, "no run's run.json has the key '%s'", key);
    }
    /* Members grouped, each group's runs in path order. */
    size_t o = 0;
    for (size_t k = 0; k < g->n; k++) {
        g->first[k] = o;
        for (size_t r = 0; r < n; r++)
            if (g->of_run[r] == k)
                g->members[o++] = r;
        g->count[k] = o - g->first[k];
    }
    return ST_OK;
}

void cohort_groups_done(CohortGroups *g)
{
    free(g->of_run);
    free(g->members);
    memset(g, 0, sizeof *g);
}

static void csv_num(StrBuf *b, double v)
{
    if (isfinite(v))
        strbuf_printf(b, ",%.6g", v);
    else
        strbuf_append(b, ",");
}

static void group_label(const CohortArgs *a, const CohortGroups *g, size_t k, char *buf, size_t cap)
{
    if (a->group)
        snprintf(buf, cap, "%s=%s", a->group, g->name[k][0] ? g->name[k] : "(none)");
    else
        snprintf(buf, cap, "all");
}

static Status write_bands(const CohortArgs *a, const CohortRuns *c, const CohortGroups *g,
                          char (*metrics)[METRIC_KEY_LEN], size_t n_metrics, size_t n_epochs, const char *path,
                          char *msg)
{
    StrBuf b;
    strbuf_init(&b);
    strbuf_append(&b, "group,metric,epoch,runs,q10,q25,median,q75,q90\n");
    double *out = malloc((n_epochs ? n_epochs : 1) * N_QUANT * sizeof *out);
    size_t *count = malloc((n_epochs ? n_epochs : 1) * sizeof *count);
    Status st = out && count ? ST_OK : status_fail(msg, ST_ENOMEM, "out of memory for the bands");
    for (size_t k = 0; k < g->n && !st; k++) {
        char label[COHORT_GROUP_NAME + 40];
        group_label(a, g, k, label, sizeof label);
        for (size_t m = 0; m < n_metrics && !st; m++) {
            double *v = cohort_runs_matrix(c, g->members + g->first[k], g->count[k], metrics[m], n_epochs);
            if (!v) {
                st = status_fail(msg, ST_ENOMEM, "out of memory for the bands");
                break;
            }
            st = cohort_bands(v, g->count[k], n_epochs, QUANTILES, N_QUANT, out, count, msg);
            for (size_t e = 0; e < n_epochs && !st; e++) {
                if (!count[e])
                    continue;
                strbuf_printf(&b, "%s,%s,%zu,%zu", label, metrics[m], e, count[e]);
                for (size_t q = 0; q < N_QUANT; q++)
                    csv_num(&b, out[e * N_QUANT + q]);
                strbuf_append(&b, "\n");
            }
            free(v);
        }
    }
    free(out);
    free(count);
    if (!st)
        st = strbuf_failed(&b) ? status_fail(msg, ST_ENOMEM, "out of memory writing %s", path)
                               : file_write_atomic(path, b.data, b.len, msg);
    strbuf_done(&b);
    return st;
}

static Status write_corr(const CohortArgs *a, const CohortRuns *c, const CohortGroups *g, size_t n_epochs,
                         const char *path, StrBuf *report, char *msg)
{
    StrBuf b;
    strbuf_init(&b);
    strbuf_printf(&b, "group,readout,against,epoch_from,epoch_to,within_r,within_lo,within_hi,within_runs,"
                      "across_r,across_lo,across_hi,across_epochs\n");
    size_t trained = n_epochs > 1 ? n_epochs - 1 : 0;
    size_t w = a->window ? a->window : trained / 10 > 3 ? trained / 10 : 3;
    Status st = ST_OK;
    for (size_t k = 0; k < g->n && !st; k++) {
        char label[COHORT_GROUP_NAME + 40];
        group_label(a, g, k, label, sizeof label);
        const size_t *runs = g->members + g->first[k];
        size_t n = g->count[k];
        double *y = cohort_runs_matrix(c, runs, n, a->against, n_epochs);
        CohortPlan plan = {0};
        if (!y)
            st = status_fail(msg, ST_ENOMEM, "out of memory for the correlations");
        else if (n >= 3 && trained >= 3)
            st = cohort_plan_init(&plan, n, a->boot, a->boot_seed, NULL, msg);
        for (size_t r = 0; r < sizeof READOUTS / sizeof READOUTS[0] && !st && n >= 3 && trained >= 3; r++) {
            double *x = cohort_runs_matrix(c, runs, n, READOUTS[r], n_epochs);
            if (!x) {
                st = status_fail(msg, ST_ENOMEM, "out of memory for the correlations");
                break;
            }
            int any = 0;
            for (size_t i = 0; i < n * n_epochs && !any; i++)
                any = isfinite(x[i]);
            for (size_t e0 = 1; any && !st && e0 < n_epochs; e0 += w) {
                size_t e1 = e0 + w < n_epochs ? e0 + w : n_epochs;
                if (e1 - e0 < 3)
                    break;
                CohortCorr cc;
                st = cohort_corr(x, y, n, n_epochs, e0, e1, a->boot ? &plan : NULL, &cc, msg);
                if (st)
                    break;
                strbuf_printf(&b, "%s,%s,%s,%zu,%zu", label, READOUTS[r], a->against, e0, e1 - 1);
                csv_num(&b, cc.within.est);
                csv_num(&b, cc.within.lo);
                csv_num(&b, cc.within.hi);
                strbuf_printf(&b, ",%zu", cc.within_n);
                csv_num(&b, cc.across.est);
                csv_num(&b, cc.across.lo);
                csv_num(&b, cc.across.hi);
                strbuf_printf(&b, ",%zu\n", cc.across_epochs);
                if (e0 == 1)
                    strbuf_printf(report, "  %-14s %-12s epochs %zu-%zu: within r %+.2f, across r %+.2f\n", label,
                                  READOUTS[r], e0, e1 - 1, cc.within.est, cc.across.est);
            }
            free(x);
        }
        cohort_plan_done(&plan);
        free(y);
    }
    if (!st)
        st = strbuf_failed(&b) ? status_fail(msg, ST_ENOMEM, "out of memory writing %s", path)
                               : file_write_atomic(path, b.data, b.len, msg);
    strbuf_done(&b);
    return st;
}

static Status write_modes(const CohortArgs *a, const CohortRuns *c, const CohortGroups *g, size_t n_epochs,
                          const char *path, size_t (*mode_count)[3], char *msg)
{
    StrBuf b;
    strbuf_init(&b);
    strbuf_append(&b, "run,group,mode,rise_epoch,flat_epochs,best,best_epoch,dip_depth,final\n");
    Status st = ST_OK;
    for (size_t r = 0; r < cohort_runs_count(c) && !st; r++) {
        double *acc = cohort_runs_matrix(c, &r, 1, a->against, n_epochs);
        if (!acc) {
            st = status_fail(msg, ST_ENOMEM, "out of memory classifying the runs");
            break;
        }
        char label[COHORT_GROUP_NAME + 40], why[STATUS_MSG_LEN];
        group_label(a, g, g->of_run[r], label, sizeof label);
        CohortModeRule rule;
        cohort_mode_rule_default(n_epochs, &rule);
        CohortModeResult m;
        if (cohort_classify(acc, n_epochs, &rule, &m, why) == ST_OK) {
            mode_count[g->of_run[r]][m.mode]++;
            strbuf_printf(&b, "%s,%s,%s,%zu,%zu", cohort_runs_dir(c, r), label, cohort_mode_name(m.mode),
                          m.rise_epoch, m.flat_epochs);
            csv_num(&b, m.best);
            strbuf_printf(&b, ",%zu", m.best_epoch);
            csv_num(&b, m.dip_depth);
            csv_num(&b, acc[n_epochs - 1]);
            strbuf_append(&b, "\n");
        } else {
            strbuf_printf(&b, "%s,%s,,,,,,,\n", cohort_runs_dir(c, r), label);
        }
        free(acc);
    }
    if (!st)
        st = strbuf_failed(&b) ? status_fail(msg, ST_ENOMEM, "out of memory writing %s", path)
                               : file_write_atomic(path, b.data, b.len, msg);
    strbuf_done(&b);
    return st;
}

static int run_headless(const CohortArgs *a, CohortRuns *c)
{
    char msg[STATUS_MSG_LEN] = "";
    const char *out = a->out ? a->out : a->dirs[0];
    CohortGroups g;
    Status st = file_make_dirs(out, msg);
    if (!st)
        st = cohort_groups_make(c, a->group, &g, msg);
    if (st) {
        fprintf(stderr, "neurotop cohort: %s\n", msg);
        return status_exit_code(st);
    }
    static char metrics[MAX_METRICS][METRIC_KEY_LEN];
    size_t n_metrics = cohort_runs_metrics(c, metrics, MAX_METRICS);
    size_t n_epochs = cohort_runs_epochs(c);
    char varying[16][32];
    size_t n_varying = cohort_runs_varying(c, varying, 16);
    char p_bands[4200], p_corr[4200], p_modes[4200], p_json[4200];
    snprintf(p_bands, sizeof p_bands, "%s/cohort-bands.csv", out);
    snprintf(p_corr, sizeof p_corr, "%s/cohort-corr.csv", out);
    snprintf(p_modes, sizeof p_modes, "%s/cohort-modes.csv", out);
    snprintf(p_json, sizeof p_json, "%s/cohort.json", out);
    StrBuf report;
    strbuf_init(&report);
    size_t (*modes)[3] = calloc(COHORT_MAX_GROUPS, sizeof *modes);
    if (!modes)
        st = status_fail(msg, ST_ENOMEM, "out of memory");
    if (!st)
        st = write_bands(a, c, &g, metrics, n_metrics, n_epochs, p_bands, msg);
    if (!st)
        st = write_corr(a, c, &g, n_epochs, p_corr, &report, msg);
    if (!st)
        st = write_modes(a, c, &g, n_epochs, p_modes, modes, msg);
    if (!st) {
        StrBuf j;
        strbuf_init(&j);
        JsonWriter w;
        json_init(&w, &j);
        json_object_begin(&w);
        json_kv_int(&w, "runs", (long long)cohort_runs_count(c));
        json_kv_int(&w, "skipped", (long long)cohort_runs_skipped(c));
        json_kv_int(&w, "epochs", (long long)n_epochs);
        json_kv_string(&w, "group_by", a->group ? a->group : "");
        json_kv_string(&w, "against", a->against);
        json_key(&w, "varying");
        json_array_begin(&w);
        for (size_t i = 0; i < n_varying; i++)
            json_string(&w, varying[i]);
        json_array_end(&w);
        json_key(&w, "groups");
        json_array_begin(&w);
        for (size_t k = 0; k < g.n; k++) {
            char label[COHORT_GROUP_NAME + 40];
            group_label(a, &g, k, label, sizeof label);
            json_object_begin(&w);
            json_kv_string(&w, "name", label);
            json_kv_int(&w, "mode_I", (long long)modes[k][COHORT_MODE_I]);
            json_kv_int(&w, "mode_II", (long long)modes[k][COHORT_MODE_II]);
            json_kv_int(&w, "mode_none", (long long)modes[k][COHORT_MODE_NONE]);
            json_key(&w, "runs");
            json_array_begin(&w);
            for (size_t i = 0; i < g.count[k]; i++)
                json_string(&w, cohort_runs_dir(c, g.members[g.first[k] + i]));
            json_array_end(&w);
            json_object_end(&w);
        }
        json_array_end(&w);
        json_key(&w, "files");
        json_array_begin(&w);
        json_string(&w, "cohort-bands.csv");
        json_string(&w, "cohort-corr.csv");
        json_string(&w, "cohort-modes.csv");
        json_array_end(&w);
        json_object_end(&w);
        strbuf_append(&j, "\n");
        st = strbuf_failed(&j) ? status_fail(msg, ST_ENOMEM, "out of memory writing %s", p_json)
                               : file_write_atomic(p_json, j.data, j.len, msg);
        strbuf_done(&j);
    }
    if (!st) {
        printf("cohort: %zu runs", cohort_runs_count(c));
        if (cohort_runs_skipped(c))
            printf(" (%zu unreadable left out)", cohort_runs_skipped(c));
        printf(", epochs 0-%zu", n_epochs ? n_epochs - 1 : 0);
        if (n_varying) {
            printf("; options that vary:");
            for (size_t i = 0; i < n_varying; i++)
                printf(" %s", varying[i]);
        }
        printf("\n");
        for (size_t k = 0; k < g.n; k++) {
            char label[COHORT_GROUP_NAME + 40];
            group_label(a, &g, k, label, sizeof label);
            /* The bands of the last epoch alone. */
            size_t last = n_epochs ? n_epochs - 1 : 0, cnt = 0;
            double *acc = cohort_runs_matrix(c, g.members + g.first[k], g.count[k], a->against, n_epochs);
            double *col = malloc((g.count[k] ? g.count[k] : 1) * sizeof *col);
            double q[N_QUANT] = {NAN, NAN, NAN, NAN, NAN};
            if (acc && col && n_epochs) {
                for (size_t i = 0; i < g.count[k]; i++)
                    col[i] = acc[i * n_epochs + last];
                cohort_bands(col, g.count[k], 1, QUANTILES, N_QUANT, q, &cnt, msg);
            }
            free(acc);
            free(col);
            printf("  %-20s %3zu run%s  %s at epoch %zu: median %.4f [%.4f, %.4f] (%zu runs)  modes I %zu, II %zu, "
                   "- %zu\n",
                   label, g.count[k], g.count[k] == 1 ? "" : "s", a->against, last, q[2], q[1], q[3], cnt,
                   modes[k][COHORT_MODE_I], modes[k][COHORT_MODE_II], modes[k][COHORT_MODE_NONE]);
        }
        if (report.len)
            printf("first window, readout vs %s:\n%s", a->against, report.data);
        printf("wrote %s, %s, %s and %s\n", p_bands, p_corr, p_modes, p_json);
    }
    strbuf_done(&report);
    free(modes);
    cohort_groups_done(&g);
    if (st) {
        fprintf(stderr, "neurotop cohort: %s\n", msg);
        return status_exit_code(st);
    }
    return 0;
}

int cli_cohort_main(int argc, char **argv)
{
    CohortArgs a;
    int code = parse_args(argc, argv, &a);
    if (code >= 0)
        return code;
    char msg[STATUS_MSG_LEN] = "";
    CohortRuns *c = NULL;
    Status st = cohort_runs_open(a.dirs, a.n_dirs, &c, msg);
    if (st) {
        fprintf(stderr, "neurotop cohort: %s\n", msg);
        return status_exit_code(st);
    }
    code = a.headless ? run_headless(&a, c) : cohort_view_main(&a, c);
    cohort_runs_free(c);
    return code;
}
