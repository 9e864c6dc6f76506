/* The terminal view of `neurotop cohort`: one metric over epochs, per group
 * of runs its median and (for the focused group) the 25–75% band, the
 * selected run drawn over them; the runs listed with their group and last
 * value; the metric's correlation with accuracy within and across runs.
 * Runs that are still being written grow, and new ones appear, every two
 * seconds. Enter opens the selected run in the replay view. */
#include <locale.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cohort_view.h"
#include "neurotop/analysis/cohort.h"
#include "neurotop/cli/commands.h"
#include "neurotop/cli/signals.h"
#include "neurotop/tui/canvas.h"
#include "neurotop/tui/plot.h"
#include "neurotop/tui/screen.h"
#include "neurotop/tui/theme.h"

#define VIEW_MAX_METRICS 96
#define VIEW_MAX_KEYS 16
#define VIEW_PLOT_GROUPS 4

typedef struct {
    const CohortArgs *args;
    CohortRuns *runs;
    CohortGroups groups;
    char metrics[VIEW_MAX_METRICS][METRIC_KEY_LEN];
    size_t n_metrics, metric;
    char keys[VIEW_MAX_KEYS][32]; /* run.json keys that vary; the group key is keys[group_key - 1] */
    size_t n_keys, group_key;     /* 0 = no grouping */
    size_t selected;              /* index into groups.members */
    size_t focus;                 /* group with the band (overlaid) and the correlations */
    int overlaid;                 /* groups on one plot instead of side by side */
    size_t n_epochs;
    char message[160];
} View;

static const char *group_by(const View *v)
{
    return v->group_key ? v->keys[v->group_key - 1] : NULL;
}

static Status view_load(View *v, char *msg)
{
    size_t run = v->groups.members ? v->groups.members[v->selected] : 0;
    const char *selected_dir = v->groups.members ? cohort_runs_dir(v->runs, run) : NULL;
    char keep[4200] = "";
    if (selected_dir)
        snprintf(keep, sizeof keep, "%s", selected_dir);
    cohort_groups_done(&v->groups);
    Status st = cohort_groups_make(v->runs, group_by(v), &v->groups, msg);
    if (st)
        return st;
    v->n_metrics = cohort_runs_metrics(v->runs, v->metrics, VIEW_MAX_METRICS);
    /* Wall-clock keys differ between any two machines: not a metric here. */
    size_t kept = 0;
    for (size_t i = 0; i < v->n_metrics; i++)
        if (strcmp(v->metrics[i], "seconds") != 0 && strcmp(v->metrics[i], "examples_per_sec") != 0 &&
            strcmp(v->metrics[i], "examples") != 0)
            memmove(v->metrics[kept++], v->metrics[i], METRIC_KEY_LEN);
    v->n_metrics = kept;
    v->n_keys = cohort_runs_varying(v->runs, v->keys, VIEW_MAX_KEYS);
    if (v->group_key > v->n_keys)
        v->group_key = 0;
    v->n_epochs = cohort_runs_epochs(v->runs);
    if (v->metric >= v->n_metrics)
        v->metric = 0;
    if (v->focus >= v->groups.n)
        v->focus = 0;
    /* The same run stays selected when the list changes. */
    v->selected = 0;
    for (size_t i = 0; keep[0] && i < cohort_runs_count(v->runs); i++)
        if (strcmp(cohort_runs_dir(v->runs, v->groups.members[i]), keep) == 0)
            v->selected = i;
    return ST_OK;
}

static void group_name(const View *v, size_t k, char *buf, size_t cap)
{
    if (v->group_key)
        snprintf(buf, cap, "%s=%s", group_by(v), v->groups.name[k][0] ? v->groups.name[k] : "-");
    else
        snprintf(buf, cap, "all");
}

/* The last finite value of a run's metric. */
static double last_value(const View *v, size_t run, const char *key)
{
    const SeriesTable *t = cohort_runs_series(v->runs, run);
    const double *y = series_get(t, key);
    for (size_t i = t->n; y && i-- > 0;)
        if (isfinite(y[i]))
            return y[i];
    return NAN;
}

static void draw_plot(Canvas *c, Rect r, const View *v, const char *key)
{
    size_t E = v->n_epochs ? v->n_epochs : 1;
    const double q[3] = {0.25, 0.5, 0.75};
    size_t n_groups = v->groups.n < VIEW_PLOT_GROUPS ? v->groups.n : VIEW_PLOT_GROUPS;
    /* Medians of the first groups, the focused group's band, the run. */
    double *buf = calloc((n_groups * 3 + 3) * E, sizeof *buf);
    double *tmp = malloc(E * 3 * sizeof *tmp);
    PlotSeries s[PLOT_MAX_SERIES];
    char names[VIEW_PLOT_GROUPS][COHORT_GROUP_NAME + 40];
    size_t ns = 0;
    static const Role ROLES[VIEW_PLOT_GROUPS] = {ROLE_PLOT1, ROLE_PLOT2, ROLE_PLOT3, ROLE_PLOT4};
    char msg[STATUS_MSG_LEN];
    PlotSpec spec;
    plot_spec_init(&spec);
    spec.x_labels = 1;
    if (!buf || !tmp) {
        free(buf);
        free(tmp);
        return;
    }
    size_t focus = v->focus < n_groups ? v->focus : 0;
    for (size_t k = 0; k < n_groups; k++) {
        double *m = cohort_runs_matrix(v->runs, v->groups.members + v->groups.first[k], v->groups.count[k], key, E);
        if (m && cohort_bands(m, v->groups.count[k], E, q, 3, tmp, NULL, msg) == ST_OK) {
            double *med = buf + k * E;
            for (size_t e = 0; e < E; e++) {
                med[e] = tmp[e * 3 + 1];
                if (k == focus) {
                    buf[(n_groups + 0) * E + e] = tmp[e * 3];
                    buf[(n_groups + 1) * E + e] = tmp[e * 3 + 2];
                }
            }
            group_name(v, k, names[k], sizeof names[k]);
            s[ns++] = (PlotSeries){.y = med, .n = E, .role = ROLES[k], .name = names[k]};
        }
        free(m);
    }
    if (ns && v->groups.count[focus] > 1) {
        spec.band_lo = (int)ns;
        s[ns++] = (PlotSeries){.y = buf + n_groups * E, .n = E, .role = ROLE_BAND};
        spec.band_hi = (int)ns;
        s[ns++] = (PlotSeries){.y = buf + (n_groups + 1) * E, .n = E, .role = ROLE_BAND};
        spec.band_role = ROLE_BAND;
    }
    size_t run = v->groups.members[v->selected];
    double *one = cohort_runs_matrix(v->runs, &run, 1, key, E);
    if (one) {
        memcpy(buf + (n_groups + 2) * E, one, E * sizeof *one);
        s[ns++] = (PlotSeries){.y = buf + (n_groups + 2) * E, .n = E, .role = ROLE_HIGHLIGHT, .name = "selected"};
        free(one);
    }
    spec.series = s;
    spec.n_series = ns;
    plot_draw(c, r, &spec);
    free(buf);
    free(tmp);
}

/* The groups side by side: one panel each (at most VIEW_PLOT_GROUPS), the
 * median and the 25–75% band of its runs, the selected run in its own
 * group's panel; one y scale for all, so the panels compare. */
static void draw_panels(Canvas *c, Rect r, const View *v, const char *key)
{
    size_t E = v->n_epochs ? v->n_epochs : 1;
    size_t n_groups = v->groups.n < VIEW_PLOT_GROUPS ? v->groups.n : VIEW_PLOT_GROUPS;
    const double q[3] = {0.25, 0.5, 0.75};
    double *bands = malloc(n_groups * E * 3 * sizeof *bands);
    size_t run = v->groups.members[v->selected];
    double *one = cohort_runs_matrix(v->runs, &run, 1, key, E);
    char msg[STATUS_MSG_LEN];
    if (!bands || !one) {
        free(bands);
        free(one);
        return;
    }
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < n_groups; k++) {
        double *m = cohort_runs_matrix(v->runs, v->groups.members + v->groups.first[k], v->groups.count[k], key, E);
        if (!m || cohort_bands(m, v->groups.count[k], E, q, 3, bands + k * E * 3, NULL, msg) != ST_OK)
            for (size_t i = 0; i < E * 3; i++)
                bands[k * E * 3 + i] = NAN;
        free(m);
    }
    for (size_t i = 0; i < n_groups * E * 3; i++)
        if (isfinite(bands[i])) {
            lo = bands[i] < lo ? bands[i] : lo;
            hi = bands[i] > hi ? bands[i] : hi;
        }
    for (size_t e = 0; e < E; e++)
        if (isfinite(one[e])) {
            lo = one[e] < lo ? one[e] : lo;
            hi = one[e] > hi ? one[e] : hi;
        }
    double *col = malloc(E * 3 * sizeof *col);
    for (size_t k = 0; col && k < n_groups; k++) {
        Rect p = rect_split_cols(r, (int)k, (int)n_groups);
        char title[COHORT_GROUP_NAME + 64];
        char name[COHORT_GROUP_NAME + 40];
        group_name(v, k, name, sizeof name);
        snprintf(title, sizeof title, " %s · %zu ", name, v->groups.count[k]);
        Rect in = canvas_box(c, p, title, k == v->focus ? ROLE_BORDER_FOCUS : ROLE_BORDER, ROLE_TITLE);
        for (size_t e = 0; e < E; e++)
            for (int j = 0; j < 3; j++)
                col[j * E + e] = bands[(k * E + e) * 3 + (size_t)j];
        PlotSeries s[4] = {
            {.y = col, .n = E, .role = ROLE_BAND},
            {.y = col + 2 * E, .n = E, .role = ROLE_BAND},
            {.y = col + E, .n = E, .role = ROLE_PLOT1, .name = "median"},
        };
        size_t ns = 3;
        if (v->groups.of_run[run] == k)
            s[ns++] = (PlotSeries){.y = one, .n = E, .role = ROLE_HIGHLIGHT, .name = "selected"};
        PlotSpec spec;
        plot_spec_init(&spec);
        spec.series = s;
        spec.n_series = ns;
        spec.band_lo = 0;
        spec.band_hi = 1;
        spec.band_role = ROLE_BAND;
        spec.x_labels = 1;
        spec.y_labels = k == 0;
        spec.legend = k == 0;
        if (isfinite(lo)) {
            spec.y_min = lo;
            spec.y_max = hi;
        }
        plot_draw(c, in, &spec);
    }
    free(col);
    free(bands);
    free(one);
}

/* Within and across r of the metric with --against over epochs 1..E−1,
 * for the focused group (no intervals: `--headless` gives them). */
static void draw_corr(Canvas *c, Rect r, const View *v, const char *key)
{
    size_t k = v->focus < v->groups.n ? v->focus : 0, n = v->groups.count[k], E = v->n_epochs;
    const size_t *runs = v->groups.members + v->groups.first[k];
    char text[240] = "";
    if (strcmp(key, v->args->against) == 0) {
        snprintf(text, sizeof text, "%s is what the readouts are correlated with", key);
    } else if (n < 3 || E < 4) {
        snprintf(text, sizeof text, "r(%s, %s): needs 3 runs and 3 trained epochs", key, v->args->against);
    } else {
        double *x = cohort_runs_matrix(v->runs, runs, n, key, E), *y = cohort_runs_matrix(v->runs, runs, n,
                                                                                           v->args->against, E);
        CohortCorr cc;
        char msg[STATUS_MSG_LEN];
        if (x && y && cohort_corr(x, y, n, E, 1, E, NULL, &cc, msg) == ST_OK) {
            char w[16], a[16];
            canvas_format_number(w, sizeof w, "%+.2f", cc.within.est, "undefined");
            canvas_format_number(a, sizeof a, "%+.2f", cc.across.est, "undefined");
            snprintf(text, sizeof text, "r(%s, %s) epochs 1-%zu: within runs %s (%zu) · across %s", key,
                     v->args->against, E - 1, w, cc.within_n, a);
        }
        free(x);
        free(y);
    }
    canvas_text(c, r, r.x, r.y, text, ROLE_LABEL);
}

static void draw_list(Canvas *c, Rect r, const View *v, const char *key)
{
    size_t n = cohort_runs_count(v->runs), rows = (size_t)(r.h > 0 ? r.h : 0);
    size_t top = v->selected >= rows ? v->selected - rows + 1 : 0;
    for (size_t i = top; i < n && i - top < rows; i++) {
        size_t run = v->groups.members[i];
        const char *dir = cohort_runs_dir(v->runs, run);
        const char *base = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
        /* A sweep's run sits in task-NNNN/: name the task. */
        const char *task = strstr(dir, "/task-");
        char name[64], g[COHORT_GROUP_NAME + 40], val[32];
        /* Else the end of the folder's name, where runs differ
         * ("...-hebbff-i007"). */
        int room = r.w - 16 > 6 ? r.w - 16 : 6;
        if (task)
            snprintf(name, sizeof name, "%.9s", task + 1);
        else if ((int)strlen(base) > room)
            snprintf(name, sizeof name, "…%s", base + strlen(base) - (size_t)(room - 1));
        else
            snprintf(name, sizeof name, "%s", base);
        group_name(v, v->groups.of_run[run], g, sizeof g);
        canvas_format_number(val, sizeof val, "%.4g", last_value(v, run, key), "-");
        /* The run's learning mode (on --against), after its value. */
        size_t E = v->n_epochs;
        double *acc = E >= 3 ? cohort_runs_matrix(v->runs, &run, 1, v->args->against, E) : NULL;
        CohortModeRule rule;
        CohortModeResult mr;
        char why[STATUS_MSG_LEN];
        cohort_mode_rule_default(E, &rule);
        if (acc && cohort_classify(acc, E, &rule, &mr, why) == ST_OK) {
            size_t o = strlen(val);
            snprintf(val + o, sizeof val - o, " %s", cohort_mode_name(mr.mode));
        }
        free(acc);
        int y = r.y + (int)(i - top);
        Role role = i == v->selected ? ROLE_SELECTION : ROLE_DEFAULT;
        if (i == v->selected)
            canvas_fill(c, rect_make(r.x, y, r.w, 1), ' ', role);
        int nw = canvas_text_width(name);
        if (v->group_key && r.w >= 30 && task)
            canvas_printf(c, r, r.x, y, role, "%-9s %-*.*s %s", name, r.w - 23, r.w - 23, g, val);
        else
            canvas_printf(c, r, r.x, y, role, "%s%*s %s", name, room > nw ? room - nw : 0, "", val);
    }
}

static void cohort_view_draw(Canvas *c, const View *v)
{
    canvas_clear(c);
    Rect all = canvas_rect(c);
    if (all.w < 40 || all.h < 10) {
        canvas_text_wrapped(c, all, 0, 0, all.w, all.h, "cohort: the terminal is too small (40x10 at least)",
                            ROLE_WARNING);
        return;
    }
    const char *key = v->n_metrics ? v->metrics[v->metric] : "";
    Rect status = rect_take_bottom(&all, 1);
    Rect corr = rect_take_bottom(&all, 1);
    char title[256];
    snprintf(title, sizeof title, " %s · %zu runs · %s · epochs 0-%zu ", key, cohort_runs_count(v->runs),
             v->group_key ? group_by(v) : "no groups", v->n_epochs ? v->n_epochs - 1 : 0);
    int list_w = all.w >= 100 ? 34 : 24;
    Rect list = rect_take_right(&all, list_w);
    if (v->n_metrics && v->groups.n > 1 && !v->overlaid) {
        canvas_text(c, all, all.x + 1, all.y, title, ROLE_TITLE);
        rect_take_top(&all, 1);
        draw_panels(c, all, v, key);
    } else {
        Rect inner = canvas_box(c, all, title, ROLE_BORDER_FOCUS, ROLE_TITLE);
        if (v->n_metrics)
            draw_plot(c, inner, v, key);
    }
    char ltitle[64];
    snprintf(ltitle, sizeof ltitle, " runs · last %s · mode ", key);
    Rect linner = canvas_box(c, list, ltitle, ROLE_BORDER, ROLE_TITLE);
    draw_list(c, linner, v, key);
    draw_corr(c, corr, v, key);
    canvas_fill(c, status, ' ', ROLE_STATUS);
    const char *keys = v->message[0] ? v->message
                                     : "←→ metric  ↑↓ run  g group  s side/overlay  Tab group  Enter replay  q";
    canvas_text(c, status, status.x + 1, status.y, keys, ROLE_STATUS);
}

static void open_replay(Screen **scr, const Theme *theme, const char *dir, char *msg)
{
    screen_close(*scr);
    *scr = NULL;
    char a0[] = "replay", a1[4200];
    snprintf(a1, sizeof a1, "%s", dir);
    char *argv[] = {a0, a1, NULL};
    cli_replay_main(2, argv);
    screen_open(NULL, NULL, NULL, theme, scr, msg);
}

int cohort_view_main(const CohortArgs *a, CohortRuns *c)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "neurotop cohort: the view needs a terminal (--headless writes the tables without one).\n");
        return 2;
    }
    View v;
    memset(&v, 0, sizeof v);
    v.args = a;
    v.runs = c;
    char msg[STATUS_MSG_LEN] = "";
    if (a->group) {
        size_t n = cohort_runs_varying(c, v.keys, VIEW_MAX_KEYS);
        for (size_t i = 0; i < n; i++)
            if (strcmp(v.keys[i], a->group) == 0)
                v.group_key = i + 1;
        if (!v.group_key) {
            fprintf(stderr, "neurotop cohort: --group %s is not a run.json key whose value differs between the "
                            "runs\n", a->group);
            return 2;
        }
    }
    Status st = view_load(&v, msg);
    for (size_t i = 0; !st && i < v.n_metrics; i++)
        if (strcmp(v.metrics[i], a->against) == 0)
            v.metric = i;
    Theme theme;
    if (!st)
        st = theme_load_named("default", &theme, msg);
    Screen *scr = NULL;
    Canvas *canvas = NULL;
    setlocale(LC_CTYPE, "");
    if (!st)
        st = screen_open(NULL, NULL, NULL, &theme, &scr, msg);
    signals_install();
    time_t refreshed = time(NULL);
    int quit = 0;
    while (!st && !quit && !signals_pending()) {
        int w, h;
        screen_size(scr, &w, &h);
        if (!canvas)
            st = canvas_new(w, h, canvas_locale_is_utf8(), &canvas, msg);
        else
            st = canvas_resize(canvas, w, h, msg);
        if (st)
            break;
        canvas_set_colors(canvas, screen_colors(scr));
        cohort_view_draw(canvas, &v);
        screen_blit(scr, canvas);
        struct pollfd p = {.fd = screen_input_fd(scr), .events = POLLIN};
        poll(&p, 1, 500);
        if (time(NULL) - refreshed >= 2) {
            refreshed = time(NULL);
            if (cohort_runs_refresh(c, msg) == ST_OK)
                view_load(&v, msg);
        }
        for (TuiKey k = screen_read_key(scr); k.code != TUI_KEY_NONE && !quit; k = screen_read_key(scr)) {
            size_t n = cohort_runs_count(c);
            v.message[0] = '\0';
            if (k.code == TUI_KEY_ESC || (k.code == TUI_KEY_CHAR && k.ch == 'q'))
                quit = 1;
            else if (k.code == TUI_KEY_UP && v.selected > 0)
                v.selected--;
            else if (k.code == TUI_KEY_DOWN && v.selected + 1 < n)
                v.selected++;
            else if (k.code == TUI_KEY_LEFT && v.n_metrics)
                v.metric = (v.metric + v.n_metrics - 1) % v.n_metrics;
            else if (k.code == TUI_KEY_RIGHT && v.n_metrics)
                v.metric = (v.metric + 1) % v.n_metrics;
            else if (k.code == TUI_KEY_CHAR && k.ch == 's')
                v.overlaid = !v.overlaid;
            else if (k.code == TUI_KEY_TAB && v.groups.n)
                v.focus = (v.focus + 1) % (v.groups.n < VIEW_PLOT_GROUPS ? v.groups.n : VIEW_PLOT_GROUPS);
            else if (k.code == TUI_KEY_CHAR && k.ch == 'g') {
                if (!v.n_keys)
                    snprintf(v.message, sizeof v.message, "every run has the same options: nothing to group by");
                v.group_key = v.n_keys ? (v.group_key + 1) % (v.n_keys + 1) : 0;
                v.focus = 0;
                if (view_load(&v, msg)) {
                    v.group_key = 0;
                    snprintf(v.message, sizeof v.message, "%.150s", msg);
                    view_load(&v, msg);
                }
            } else if (k.code == TUI_KEY_ENTER && n) {
                open_replay(&scr, &theme, cohort_runs_dir(c, v.groups.members[v.selected]), msg);
                if (!scr)
                    st = ST_EIO;
                break;
            }
        }
    }
    canvas_free(canvas);
    screen_close(scr);
    cohort_groups_done(&v.groups);
    if (st) {
        fprintf(stderr, "neurotop cohort: %s\n", msg);
        return status_exit_code(st);
    }
    return signals_pending() ? 130 : 0;
}
