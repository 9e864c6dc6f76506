#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/fc.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/core/rng.h"
#include "neurotop/measure/metrics_fcq.h"

#define T 400
#define P 10

/* Units 0-4 follow signal a, units 5-9 signal b (independent), each with
 * its own noise; every unit also carries `common` times a shared signal,
 * the common mode HebbFF develops while η grows (measured in its runs). */
static void planted(float *x, double common)
{
    Rng r;
    rng_seed(&r, 7, 0);
    for (size_t t = 0; t < T; t++) {
        double a = rng_normal(&r), b = rng_normal(&r), m = rng_normal(&r);
        for (size_t u = 0; u < P; u++)
            x[t * P + u] = (float)((u < 5 ? a : b) + 0.5 * rng_normal(&r) + common * m);
    }
}

/* Q of the planted split computed straight from the correlations. */
static double planted_q(const float *x, unsigned flags)
{
    char msg[STATUS_MSG_LEN];
    Matrix *c = matrix_new(P, P);
    cr_assert_eq(fc_correlation_f(x, T, P, P, flags | FC_ZERO_DIAGONAL, c->data, NULL, msg), ST_OK, "%s", msg);
    int labels[P];
    for (size_t u = 0; u < P; u++)
        labels[u] = u < 5 ? 1 : 2;
    double q;
    cr_assert_eq(modmat_quality_direct(c, labels, 1.0, MOD_SIGN_SYM, &q, msg), ST_OK, "%s", msg);
    matrix_free(c);
    return q;
}

Test(metrics_fcq, finds_the_planted_modules)
{
    float *x = malloc(T * P * sizeof *x);
    planted(x, 0.0);
    FcqMetric *m;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(fcq_metric_new(1, 3, 1, &m, msg), ST_OK);
    FcqValue v;
    cr_assert_eq(fcq_measure(m, x, T, P, P, 0, 5, &v, msg), ST_OK, "%s", msg);
    cr_assert_eq(v.modules, 2);
    cr_assert_float_eq(v.q, planted_q(x, 0), 1e-12);
    /* Within-module r ≈ 0.8 (1/1.25), between ≈ 0: mean over 45 pairs ≈ 20/45 · 0.8. */
    cr_assert(fabs(v.mean_r - 20.0 / 45.0 * 0.8) < 0.05, "mean r %g", v.mean_r);
    fcq_metric_free(m);
    free(x);
}

Test(metrics_fcq, regressing_the_mean_removes_the_common_mode)
{
    float *x = malloc(T * P * sizeof *x);
    planted(x, 3.0);
    FcqMetric *m;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(fcq_metric_new(1, 3, 1, &m, msg), ST_OK);
    FcqValue raw, reg;
    cr_assert_eq(fcq_measure(m, x, T, P, P, 0, 5, &raw, msg), ST_OK, "%s", msg);
    cr_assert_eq(fcq_measure(m, x, T, P, P, FC_REGRESS_MEAN, 5, &reg, msg), ST_OK, "%s", msg);
    /* A strong shared signal: every correlation positive and large, little
     * to separate; without it the two modules stand out. */
    cr_assert(raw.mean_r > 0.85, "raw mean r %g", raw.mean_r);
    cr_assert(reg.mean_r < raw.mean_r - 0.5, "regressed mean r %g", reg.mean_r);
    cr_assert(raw.q < 0.1, "raw Q %g", raw.q);
    cr_assert_eq(reg.modules, 2);
    cr_assert_float_eq(reg.q, planted_q(x, FC_REGRESS_MEAN), 1e-12);
    cr_assert(reg.q > 0.3, "regressed Q %g", reg.q);
    fcq_metric_free(m);
    free(x);
}

Test(metrics_fcq, silent_units_and_errors)
{
    float x[20 * 3] = {0};
    FcqMetric *m;
    char msg[STATUS_MSG_LEN] = "";
    cr_assert_eq(fcq_metric_new(1, 0, 1, &m, msg), ST_EINVAL);
    cr_assert_eq(fcq_metric_new(1, 1, 0, &m, msg), ST_EINVAL);
    cr_assert_eq(fcq_metric_new(1, 2, 1, &m, msg), ST_OK);
    FcqValue v;
    cr_assert_eq(fcq_measure(m, x, 20, 3, 3, 0, 0, &v, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(v.q, 0.0, 0);
    cr_assert_eq(v.modules, 3);
    cr_assert_float_eq(v.mean_r, 0.0, 0);
    cr_assert_eq(fcq_measure(m, x, 20, 1, 3, 0, 0, &v, msg), ST_EINVAL);
    x[4] = NAN;
    cr_assert_eq(fcq_measure(m, x, 20, 3, 3, 0, 0, &v, msg), ST_EINVAL);
    fcq_metric_free(m);
    fcq_metric_free(NULL);
}

Test(metrics_fcq, epoch_hook_sets_keys_on_measured_epochs)
{
    ModelConfig cfg = {.kind = "hebbff", .n_layers = 3, .sizes = {P, P, 2}};
    Snapshot *s = snapshot_new(&cfg, NULL, 0, T);
    cr_assert_not_null(s);
    planted(s->acts[0], 0.0);
    FcqMetric *m;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(fcq_metric_new(3, 2, 2, &m, msg), ST_OK);
    s->epoch = 1; /* not a multiple of every = 2 */
    cr_assert_eq(fcq_metric_epoch(s, m, msg), ST_OK, "%s", msg);
    cr_assert(isnan(snapshot_metric(s, "fcq")));
    s->epoch = 4;
    cr_assert_eq(fcq_metric_epoch(s, m, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(snapshot_metric(s, "fcq"), planted_q(s->acts[0], 0), 1e-12);
    cr_assert_float_eq(snapshot_metric(s, "fcq_modules"), 2.0, 0);
    cr_assert(isfinite(snapshot_metric(s, "fcq_mean_r")));
    cr_assert_float_eq(snapshot_metric(s, "fcq_reg_modules"), 2.0, 0);
    cr_assert(isfinite(snapshot_metric(s, "fcq_reg")) && isfinite(snapshot_metric(s, "fcq_reg_mean_r")));
    fcq_metric_free(m);
    snapshot_release(s);
}
