/* The screens of :flex and :allegiance (func.h): text, maps and
 * the plot of a snapshot's multilayer partition. */
#include "neurotop/measure/func.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "func_internal.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/measure/metrics_activity.h"

/* m (p × p in unit order) with rows and columns in the fit's module order. */
static double *ordered_matrix(const FlexFit *f, const double *m)
{
    double *o = malloc(f->p * f->p * sizeof *o);
    if (o)
        for (size_t i = 0; i < f->p; i++)
            for (size_t j = 0; j < f->p; j++)
                o[i * f->p + j] = m[f->order[i] * f->p + f->order[j]];
    return o;
}

static void headline(const FlexResult *r, const FlexFit *f, const Snapshot *s, const char *what, StrBuf *t)
{
    char sel[64];
    jobs_selection_name(s, f->layer, sel, sizeof sel);
    /* Short lines: the result box keeps ~46 columns for text beside the maps. */
    strbuf_printf(t, "%s · %s (%zu units) · epoch %zu\n", what, sel, f->p, s->epoch);
    if (f->over_epochs && f->epochs[f->t - 1] - f->epochs[0] + 1 == f->t)
        strbuf_printf(t, "epochs %zu–%zu, %zu items each · ω %g γ %g · %zu runs\n", f->epochs[0],
                      f->epochs[f->t - 1], f->n, f->omega, f->gamma, f->reps);
    else if (f->over_epochs)
        strbuf_printf(t, "%zu recorded epochs %zu–%zu, %zu items each\n  ω %g γ %g · %zu runs\n", f->t,
                      f->epochs[0], f->epochs[f->t - 1], f->n, f->omega, f->gamma, f->reps);
    else
        strbuf_printf(t, "%zu windows of %zu · ω %g γ %g · %zu runs\n%s", f->t, f->len, f->omega, f->gamma,
                      f->reps, f->time ? "" : "windows of independent items: subsamples,\n  not time\n");
    if (f->regress_mean)
        strbuf_append(t, "mean activation regressed out of every unit\n");
    strbuf_printf(t, "multilayer Q %.4f, %zu communities\n", f->sum.q_best, f->communities);
    strbuf_printf(t, "  runs: %.4f ± %.4f, %.4f – %.4f\n", f->sum.q_mean, f->sum.q_sd, f->sum.q_min, f->sum.q_max);
    strbuf_printf(t, "system flexibility %.4f\n", r->system);
    strbuf_printf(t, "whole probe: mean r %+.3f, mean |r| %.3f\n", f->fc_mean, f->fc_mean_abs);
    /* Seed paper 001: one community with all-positive r is a common mode. */
    if (f->communities <= 1 || f->fc_mean > 0.5)
        strbuf_append(t, f->regress_mean ? "one dominant community even without the mean\n"
                                         : "collapsed: a common mode dominates r;\n  try :flex --regress-mean\n");
}

/* The mean flexibility of each hidden layer (every hidden layer chosen)
 * and the five most flexible units. */
static void layers_and_top(const FlexResult *r, const FlexFit *f, const Snapshot *s, StrBuf *t)
{
    if (f->layer == ACTIVITY_ALL_HIDDEN && s->config.n_layers > 3) {
        strbuf_append(t, "  per layer:");
        for (size_t h = 1, c = 0; h + 1 < s->config.n_layers; c += s->config.sizes[h], h++) {
            double sum = 0.0;
            for (size_t i = 0; i < s->config.sizes[h]; i++)
                sum += r->node[c + i];
            strbuf_printf(t, " HL%zu %.4f", h, sum / (double)s->config.sizes[h]);
        }
        strbuf_append(t, "\n");
    }
    size_t top[5], n_top = 0;
    for (size_t i = 0; i < f->p; i++) {
        size_t k = n_top < 5 ? n_top++ : 5;
        if (k == 5 && !(r->node[i] > r->node[top[4]]))
            continue;
        if (k == 5)
            k = 4;
        while (k > 0 && r->node[i] > r->node[top[k - 1]]) {
            top[k] = top[k - 1];
            k--;
        }
        top[k] = i;
    }
    strbuf_append(t, "most flexible units:\n ");
    for (size_t k = 0; k < n_top; k++) {
        char name[32];
        jobs_unit_name(s, f->layer, top[k], name, sizeof name);
        strbuf_printf(t, " %s %.2f%s", name, r->node[top[k]], k == 2 && n_top > 3 ? "\n " : "");
    }
    strbuf_append(t, "\n");
}

static const char *slice_noun(const FlexFit *f)
{
    return f->over_epochs ? "epoch" : "window";
}

/* Communities in each slice into per_window (t values), their mean and
 * range, then the module table. */
static Status windows_and_modules(const FlexResult *r, const FlexFit *f, const Snapshot *s, StrBuf *t,
                                  double *per_window)
{
    double lo = INFINITY, hi = 0.0, mean = 0.0;
    int *labels = malloc(f->p * sizeof *labels);
    if (!labels)
        return ST_ENOMEM;
    for (size_t w = 0; w < f->t; w++) {
        size_t k = 0;
        if (modmat_relabel(f->best + w * f->p, f->p, labels, &k, NULL))
            k = 0;
        per_window[w] = (double)k;
        lo = per_window[w] < lo ? per_window[w] : lo;
        hi = per_window[w] > hi ? per_window[w] : hi;
        mean += per_window[w] / (double)f->t;
    }
    free(labels);
    strbuf_printf(t, "communities per %s %.2f (%.0f – %.0f)\n\n", slice_noun(f), mean, lo, hi);
    strbuf_append(t, "modules (each unit's most frequent community)\n");
    strbuf_append(t, "module  size  flexibility  first unit\n");
    for (size_t m = 0; m < f->n_modules; m++) {
        size_t b0 = f->bounds[m], b1 = f->bounds[m + 1];
        double flex = 0.0;
        for (size_t i = b0; i < b1; i++)
            flex += r->node[f->order[i]];
        char first[32];
        jobs_unit_name(s, f->layer, f->order[b0], first, sizeof first);
        strbuf_printf(t, "%6zu %5zu %12.3f  %s\n", m + 1, b1 - b0, flex / (double)(b1 - b0), first);
    }
    return ST_OK;
}

/* The per-unit flexibility map: stacked by layer when the hidden layers
 * are equal squares, else one row. */
static void unit_map_shape(const FlexFit *f, const Snapshot *s, size_t *rows, size_t *cols)
{
    *rows = 1;
    *cols = f->p;
    if (f->layer != ACTIVITY_ALL_HIDDEN)
        return;
    size_t u = s->config.sizes[1], nh = s->config.n_layers - 2;
    size_t side = (size_t)llround(sqrt((double)u));
    for (size_t h = 2; h <= nh; h++)
        side = s->config.sizes[h] == u ? side : 0;
    if (side * side == u && u * nh == f->p) {
        *rows = side * nh;
        *cols = side;
    }
}

Status flexibility_view(const FlexResult *r, const FlexFit *f, const Snapshot *s, JobResult *out)
{
    double *ordered = ordered_matrix(f, r->matrix);
    double *win = malloc(f->p * f->t * sizeof *win);
    double *per_window = malloc(f->t * 2 * sizeof *per_window);
    Status st = !ordered || !win || !per_window ? ST_ENOMEM : ST_OK;
    if (!st) {
        headline(r, f, s, "Flexibility", &out->text);
        layers_and_top(r, f, s, &out->text);
        st = windows_and_modules(r, f, s, &out->text, per_window);
    }
    if (!st) {
        for (size_t i = 0; i < f->p; i++)
            for (size_t w = 0; w < f->t; w++)
                win[i * f->t + w] = f->best[w * f->p + f->order[i]];
        double *xs = per_window + f->t;
        for (size_t w = 0; w < f->t; w++)
            xs[w] = f->over_epochs ? (double)f->epochs[w] : (double)(w + 1);
        const double *ys[1] = {per_window};
        size_t rows, cols;
        unit_map_shape(f, s, &rows, &cols);
        char label[64];
        st = job_result_add_map(out, "allegiance, units by module", ordered, f->p, f->p, 0);
        snprintf(label, sizeof label, "community per %s (units by module)", slice_noun(f));
        if (!st)
            st = job_result_add_map(out, label, win, f->p, f->t, 0);
        if (!st)
            st = job_result_add_map(out, "flexibility per unit", r->node, rows, cols, 0);
        snprintf(label, sizeof label, "communities per %s", slice_noun(f));
        if (!st)
            st = job_result_add_lines(out, label, xs, ys, 1, f->t);
    }
    free(ordered);
    free(win);
    free(per_window);
    return st;
}

Status allegiance_view(const FlexResult *r, const FlexFit *f, const Snapshot *s, JobResult *out)
{
    double *ordered = ordered_matrix(f, r->matrix);
    if (!ordered)
        return ST_ENOMEM;
    StrBuf *t = &out->text;
    headline(r, f, s, "Allegiance", t);
    /* Mean allegiance of distinct pairs within and between modules. */
    double in = 0.0, between = 0.0, n_in = 0.0, n_between = 0.0;
    for (size_t i = 0; i < f->p; i++)
        for (size_t j = i + 1; j < f->p; j++) {
            int same = f->modal[i] == f->modal[j];
            in += same ? r->matrix[i * f->p + j] : 0.0;
            between += same ? 0.0 : r->matrix[i * f->p + j];
            n_in += same;
            n_between += !same;
        }
    strbuf_printf(t, "\nmean allegiance\n  within modules %.3f, between modules %.3f\n",
                  n_in > 0 ? in / n_in : NAN, n_between > 0 ? between / n_between : NAN);
    strbuf_printf(t, "%zu modules (each unit's most frequent\ncommunity), sizes:", f->n_modules);
    for (size_t m = 0; m < f->n_modules; m++)
        strbuf_printf(t, " %zu", f->bounds[m + 1] - f->bounds[m]);
    strbuf_printf(t, "\n\nP_ij = fraction of %ss in which\nunits i and j share a community\n", slice_noun(f));
    Status st = job_result_add_map(out, "allegiance, units by module", ordered, f->p, f->p, 0);
    free(ordered);
    return st;
}
