/* HebbFF's read-out w2 as what it is: M edges into one output node. It is
 * stored M × 2 with column 0 the mirror of column 1 (model/hebbff.h); the
 * weight graph, the weight moments and the edge change must see column 1
 * alone, and the hidden subgraph (a star) has no Q. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/core/jsonread.h"
#include "neurotop/measure/analyses.h"
#include "neurotop/measure/func.h"
#include "neurotop/measure/info_edges.h"
#include "neurotop/measure/metrics_epoch.h"
#include "neurotop/measure/metrics_modularity.h"
#include "neurotop/measure/weightgraph.h"
#include "neurotop/measure/weightq.h"
#include "neurotop/model/hebbff.h"
#include "neurotop/run/metrics.h"

#define HN 2
#define HM 5

static char msg[STATUS_MSG_LEN];

static ModelConfig hconfig(void)
{
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, "hebbff");
    c.n_layers = 3;
    c.sizes[0] = HN;
    c.sizes[1] = HM;
    c.sizes[2] = 2;
    return c;
}

/* A HebbFF snapshot whose read-out w2 (column 1) is v, stored as the model
 * stores it (column 0 = −v); W1 is a fixed pattern, the rest 0. */
static Snapshot *with_readout_probe(const double *v, size_t n_probe)
{
    ModelConfig c = hconfig();
    HebbffLayout L;
    cr_assert_eq(hebbff_layout(&c, &L), 0);
    float p[64] = {0};
    cr_assert(L.total <= 64);
    for (size_t k = 0; k < HN * HM; k++)
        p[L.w1 + k] = (float)(0.25 * (double)(k % 3) - 0.3);
    for (size_t j = 0; j < HM; j++) {
        p[L.w2 + 2 * j + 1] = (float)v[j];
        p[L.w2 + 2 * j] = (float)-v[j];
    }
    Snapshot *s = snapshot_new(&c, p, L.total, n_probe);
    cr_assert_not_null(s);
    return s;
}

static Snapshot *with_readout(const double *v)
{
    return with_readout_probe(v, 0);
}

Test(hebbff_readout, weight_moments_are_those_of_w2)
{
    /* w2 = 1, 2, 3, 4, 10: mean 4, population std √10, skewness
     * m3/m2^1.5 = 36/10^1.5 (docs/methods.md §15). The mirrored M × 2
     * storage gave mean 0, skewness 0 and the RMS √26 as "std". */
    const double v[HM] = {1, 2, 3, 4, 10};
    Snapshot *s = with_readout(v);
    cr_assert_eq(metrics_epoch_weights(s, NULL, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(snapshot_metric(s, "w_beta_mean"), 4.0, 1e-12);
    cr_assert_float_eq(snapshot_metric(s, "w_beta_std"), sqrt(10.0), 1e-12);
    cr_assert_float_eq(snapshot_metric(s, "w_beta_skew"), 36.0 / pow(10.0, 1.5), 1e-12);
    /* alpha is W1 as before: 0.25·(k mod 3) − 0.3 over k = 0..9. */
    double sum = 0;
    for (size_t k = 0; k < HN * HM; k++)
        sum += (double)(float)(0.25 * (double)(k % 3) - 0.3);
    cr_assert_float_eq(snapshot_metric(s, "w_alpha_mean"), sum / (HN * HM), 1e-12);
    snapshot_release(s);
}

Test(hebbff_readout, the_weight_graph_has_one_output_node_carrying_w2)
{
    const double v[HM] = {0.5, -1.5, 2, -0.25, 1};
    Snapshot *s = with_readout(v);
    cr_assert_eq(snapshot_graph_nodes(s, GRAPH_PART_WHOLE), HN + HM + 1);
    WeightGraph *g = NULL;
    cr_assert_eq(snapshot_weight_graph(s, GRAPH_PART_WHOLE, &g, msg), ST_OK, "%s", msg);
    cr_assert_eq(g->adj->rows, HN + HM + 1);
    const size_t out = HN + HM;
    cr_assert_eq(g->layer[out], 2);
    for (size_t j = 0; j < HM; j++) {
        cr_assert_eq(MAT_AT(g->adj, HN + j, out), (double)(float)v[j]);
        cr_assert_eq(MAT_AT(g->adj, out, HN + j), (double)(float)v[j]);
    }
    /* Input -> hidden is W1; input and output are not joined. */
    cr_assert_eq(MAT_AT(g->adj, 1, HN + 2), (double)(float)(0.25 * 1 - 0.3)); /* k = 1·5 + 2 = 7 */
    cr_assert_eq(MAT_AT(g->adj, 0, out), 0.0);
    graph_free(g);
    snapshot_release(s);
}

Test(hebbff_readout, hidden_q_is_absent_and_whole_q_is_measured)
{
    const double v[HM] = {0.5, -1.5, 2, -0.25, 1};
    Snapshot *s = with_readout(v);
    ModularitySettings set;
    atomic_init(&set.qreps, 3);
    ModularityMetric *m = NULL;
    cr_assert_eq(modularity_metric_new(&set, 1, &m, msg), ST_OK);
    cr_assert_eq(modularity_metric_epoch(s, m, msg), ST_OK, "%s", msg);
    cr_assert(isfinite(snapshot_metric(s, "q_whole")));
    cr_assert(snapshot_metric(s, "modules_whole") >= 1);
    const char *hidden[] = {"q_hidden", "q_hidden_min", "q_hidden_max", "q_hidden_mean", "modules_hidden"};
    for (size_t k = 0; k < 5; k++)
        cr_assert(isnan(snapshot_metric(s, hidden[k])), "%s is null for HebbFF", hidden[k]);
    modularity_metric_free(m);

    /* The analyses on the hidden part refuse it with one sentence. */
    cr_assert_eq(snapshot_graph_part_defined(s, GRAPH_PART_HIDDEN), 0);
    cr_assert_eq(snapshot_graph_part_defined(s, GRAPH_PART_WHOLE), 1);
    WeightQ w;
    weightq_init(&w);
    cr_assert_eq(weightq_load(&w, s, GRAPH_PART_HIDDEN, msg), ST_EINVAL);
    cr_assert(strstr(msg, "star") != NULL, "%s", msg);
    weightq_done(&w);
    snapshot_release(s);
}

/* The best asym Q of a star with leaf weights v (hub = node 0). */
static double star_q(const double *v, size_t n)
{
    Matrix *a = matrix_new(n + 1, n + 1);
    cr_assert_not_null(a);
    for (size_t j = 0; j < n; j++) {
        MAT_AT(a, 0, j + 1) = v[j];
        MAT_AT(a, j + 1, 0) = v[j];
    }
    WeightQ w;
    weightq_init(&w);
    WeightQOptions o;
    weightq_options_default(&o);
    o.reps = 20;
    cr_assert_eq(weightq_run(&w, a, &o, msg), ST_OK, "%s", msg);
    double q = w.sum.q_best;
    weightq_done(&w);
    matrix_free(a);
    return q;
}

Test(hebbff_readout, why_hidden_q_is_dropped_a_star_q_is_its_sign_balance)
{
    /* With a = Σ positive and b = Σ |negative| leaf weights, the best
     * partition is {hub + positive leaves}, {negative leaves}: Σ B⁺δ = 0,
     * Σ B⁻δ = −b, s⁺ + s⁻ = 2(a + b), so Q = b / (2(a + b))
     * (docs/methods.md §3), whatever the individual weights. Three stars
     * with a = b = 4. */
    const double s1[4] = {3, 1, -2, -2}, s2[4] = {2, 2, -1, -3}, s3[5] = {0.5, 3.5, -3.9, -0.05, -0.05};
    cr_assert_float_eq(star_q(s1, 4), 0.25, 1e-12);
    cr_assert_float_eq(star_q(s2, 4), 0.25, 1e-12);
    cr_assert_float_eq(star_q(s3, 5), 0.25, 1e-9);
    /* a = 3, b = 1: 1/8. */
    const double s4[4] = {1, 1, 1, -1};
    cr_assert_float_eq(star_q(s4, 4), 0.125, 1e-12);
}

Test(hebbff_readout, edge_change_of_the_readout_counts_each_edge_once)
{
    const double v0[HM] = {0.5, -1.5, 2, -0.25, 1}, v1[HM] = {0.75, -1.5, 1, 0.25, 1};
    Snapshot *s0 = with_readout(v0), *s1 = with_readout(v1);
    s1->epoch = 3;
    EdgesResult r;
    cr_assert_eq(edges_compute(s0, s1, NULL, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.n_blocks, 2);
    cr_assert_str_eq(r.blocks[1].name, "beta");
    cr_assert_eq(r.blocks[1].rows, HM);
    cr_assert_eq(r.blocks[1].cols, 1);
    const double want[HM] = {0.25, 0, 1, 0.5, 0};
    for (size_t j = 0; j < HM; j++)
        cr_assert_float_eq(r.blocks[1].per_source[j], want[j], 1e-7, "hidden unit %zu", j);
    cr_assert_float_eq(r.blocks[1].sum, 1.75, 1e-7);
    cr_assert_float_eq(r.blocks[0].sum, 0.0, 0.0);
    edges_result_done(&r);
    snapshot_release(s0);
    snapshot_release(s1);
}

Test(hebbff_readout, moments_see_the_readout_as_one_output_node)
{
    /* Output activations [1 − p, p] with p = .1, .2, .3, .8: the output row
     * of :moments is p alone (mean .35, population std √.0725, 4 values),
     * not the mirrored pair (mean exactly .5, a singular covariance). */
    const double v[HM] = {1, 2, 3, 4, 10}, p[4] = {0.1, 0.2, 0.3, 0.8};
    Snapshot *s = with_readout_probe(v, 4);
    for (size_t i = 0; i < 4; i++) {
        for (size_t j = 0; j < HM; j++)
            s->acts[0][i * HM + j] = (float)(0.1 * (double)((i * 7 + j * 3) % 11));
        s->acts[1][2 * i] = (float)(1.0 - p[i]);
        s->acts[1][2 * i + 1] = (float)p[i];
    }
    char m2[STATUS_MSG_LEN];
    Store *store = store_new(2, m2);
    JobRunner *jr = NULL;
    cr_assert_eq(jobrunner_new(store, &jr, m2), ST_OK);
    AnalysisArgs a;
    analysis_args_init("moments", &a);
    cr_assert_eq(jobrunner_submit(jr, "moments", job_moments, &a, s, m2), ST_OK, "%s", m2);
    JobResult *r = NULL;
    for (int i = 0; i < 20000 && !r; i++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
        r = jobrunner_take_result(jr);
    }
    cr_assert_not_null(r);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    JsonDoc *doc = NULL;
    cr_assert_eq(json_parse(strbuf_cstr(&r->json), r->json.len, "moments", NULL, &doc, m2), ST_OK, "%s", m2);
    const JsonValue *rows = json_get(json_doc_root(doc), "layers");
    cr_assert_eq(rows->count, 2, "HL1, output");
    const JsonValue *out = json_at(rows, 1);
    cr_assert_str_eq(json_as_string(json_get(out, "layer"), ""), "output");
    cr_assert_eq(json_integer(json_get(out, "units"), -1), 1);
    cr_assert_eq(json_integer(json_get(out, "n"), -1), 4);
    cr_assert_float_eq(json_number(json_get(out, "mean"), NAN), 0.35, 1e-7);
    cr_assert_float_eq(json_number(json_get(out, "std"), NAN), sqrt(0.0725), 1e-7);
    cr_assert_eq(json_get(out, "ridge_needed")->boolean, 0);
    json_doc_free(doc);
    job_result_free(r);
    jobrunner_free(jr);
    store_free(store);
    snapshot_release(s);
}
