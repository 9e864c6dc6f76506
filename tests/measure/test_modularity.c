/* The modularity analyses: one implementation for files and snapshots
 * (the JSON of a snapshot equals the JSON of its weight graph written to
 * files, apart from the context and per-layer keys), and hand-computed
 * results. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/jsonread.h"
#include "neurotop/core/rng.h"
#include "neurotop/measure/analyses.h"
#include "neurotop/measure/mod_degrees.h"
#include "neurotop/measure/mod_louvain.h"
#include "neurotop/measure/mod_multislice.h"
#include "neurotop/measure/mod_quality.h"
#include "neurotop/measure/mod_roles.h"

/* A 9-5-4-3 network with seeded random weights. */
static Snapshot *random_snapshot(void)
{
    ModelConfig c = {.kind = "mlp", .n_layers = 4, .sizes = {9, 5, 4, 3}, .seed = 5};
    size_t n = model_param_count(&c);
    Snapshot *s = snapshot_new(&c, NULL, n, 0);
    Rng r;
    rng_seed(&r, 42, 0);
    for (size_t i = 0; i < n; i++)
        s->params[i] = (float)(2.0 * rng_uniform(&r) - 1.0);
    s->epoch = 3;
    return s;
}

static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/neurotop-modularity-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
    const char *names[] = {"w.csv", "p.txt"};
    char path[128];
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

static JobResult *run(const char *name, const Snapshot *s, const AnalysisArgs *a)
{
    JobResult *r = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(analysis_run_now(analysis_find(name), s, a, &r, msg), ST_OK, "%s: %s", name, msg);
    return r;
}

/* The weight graph of a part of s as a CSV: the files form of the snapshot. */
static const char *write_graph(const Snapshot *s, GraphPart part)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/w.csv", dir);
    WeightGraph *g = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(snapshot_weight_graph(s, part, &g, msg), ST_OK);
    cr_assert_eq(csv_write_matrix(path, g->adj, msg), ST_OK, "%s", msg);
    graph_free(g);
    return path;
}

static const char *write_partition(const int *labels, size_t n)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/p.txt", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%d\n", labels[i]);
    fclose(f);
    return path;
}

static int same_value(const JsonValue *a, const JsonValue *b)
{
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case JSON_NUMBER: return a->number == b->number;
    case JSON_STRING: return strcmp(a->string, b->string) == 0;
    case JSON_BOOL: return a->boolean == b->boolean;
    case JSON_NULL: return 1;
    default: break;
    }
    if (a->count != b->count)
        return 0;
    for (size_t i = 0; i < a->count; i++)
        if ((a->type == JSON_OBJECT && strcmp(a->keys[i], b->keys[i]) != 0) ||
            !same_value(&a->items[i], &b->items[i]))
            return 0;
    return 1;
}

static int listed(const char *key, const char *const *keys)
{
    for (size_t i = 0; keys[i]; i++)
        if (strcmp(keys[i], key) == 0)
            return 1;
    return 0;
}

/* The snapshot's document has exactly the files' keys and values, plus
 * the keys in only_snapshot. */
static void expect_same_json(const JobResult *snap, const JobResult *files, const char *const *only_snapshot)
{
    char msg[STATUS_MSG_LEN];
    JsonDoc *ds = NULL, *df = NULL;
    const StrBuf *bs = &snap->json, *bf = &files->json;
    cr_assert_eq(json_parse(strbuf_cstr(bs), strlen(strbuf_cstr(bs)), "snapshot", NULL, &ds, msg), ST_OK, "%s", msg);
    cr_assert_eq(json_parse(strbuf_cstr(bf), strlen(strbuf_cstr(bf)), "files", NULL, &df, msg), ST_OK, "%s", msg);
    const JsonValue *vs = json_doc_root(ds), *vf = json_doc_root(df);
    size_t compared = 0;
    for (size_t i = 0; i < vs->count; i++) {
        const char *key = vs->keys[i];
        const JsonValue *other = json_get(vf, key);
        if (listed(key, only_snapshot)) {
            cr_assert_null(other, "%s is a snapshot key", key);
            continue;
        }
        cr_assert_not_null(other, "the files form has %s", key);
        cr_assert(same_value(&vs->items[i], other), "%s is the same on files and snapshot", key);
        compared++;
    }
    cr_assert_eq(compared, vf->count, "the files form has no key of its own");
    for (size_t i = 0; only_snapshot[i]; i++)
        cr_assert_not_null(json_get(vs, only_snapshot[i]), "the snapshot has %s", only_snapshot[i]);
    json_doc_free(ds);
    json_doc_free(df);
}

static const char *const LOUVAIN_SNAPSHOT_KEYS[] = {"epoch", "graph", "modules", NULL};

static void louvain_files_equal_snapshot(const char *name, GraphPart part, long reps)
{
    Snapshot *s = random_snapshot();
    AnalysisArgs a;
    analysis_args_init(name, &a);
    a.reps = reps;
    a.hidden = part == GRAPH_PART_HIDDEN;
    a.seed = 17;
    JobResult *rs = run(name, s, &a);
    cr_assert_eq(rs->n_nodes, part == GRAPH_PART_HIDDEN ? 12 : 21, "the partition is kept for :roles");
    a.files[PARAM_MATRIX] = write_graph(s, part);
    JobResult *rf = run(name, NULL, &a);
    cr_assert_null(rf->partition, "files leave no partition for the TUI");
    expect_same_json(rs, rf, LOUVAIN_SNAPSHOT_KEYS);
    const char *js = strbuf_cstr(&rs->json);
    cr_assert(strncmp(js, "{\"epoch\":3,\"graph\":", 19) == 0, "%s", js);
    cr_assert(strstr(js, part == GRAPH_PART_HIDDEN ? "\"graph\":\"hidden\"" : "\"graph\":\"whole\"") != NULL);
    job_result_free(rs);
    job_result_free(rf);
    snapshot_release(s);
}

Test(modularity, louvain_on_files_equals_louvain_on_the_snapshot, .init = make_dir, .fini = remove_dir)
{
    louvain_files_equal_snapshot("louvain", GRAPH_PART_WHOLE, 8);
    louvain_files_equal_snapshot("louvain", GRAPH_PART_HIDDEN, 8);
}

Test(modularity, consensus_on_files_equals_consensus_on_the_snapshot, .init = make_dir, .fini = remove_dir)
{
    louvain_files_equal_snapshot("consensus", GRAPH_PART_WHOLE, 20);
    louvain_files_equal_snapshot("consensus", GRAPH_PART_HIDDEN, 20);
}

static const char *const ROLES_SNAPSHOT_KEYS[] = {"epoch", "graph", "layer_mean_pc", "layer_mean_mz",
                                                  "partition_used", NULL};

Test(modularity, roles_on_files_equal_roles_on_the_snapshot, .init = make_dir, .fini = remove_dir)
{
    Snapshot *s = random_snapshot();
    for (GraphPart part = GRAPH_PART_WHOLE; part <= GRAPH_PART_HIDDEN; part++) {
        AnalysisArgs a;
        analysis_args_init("louvain", &a);
        a.hidden = part == GRAPH_PART_HIDDEN;
        JobResult *lv = run("louvain", s, &a);
        analysis_args_init("roles", &a);
        a.partition = lv->partition; /* as the TUI hands it on */
        a.n_nodes = lv->n_nodes;
        a.partition_epoch = s->epoch;
        a.partition_part = (int)part;
        a.hidden = part == GRAPH_PART_HIDDEN;
        JobResult *rs = run("roles", s, &a);
        cr_assert(strstr(strbuf_cstr(&rs->json), "\"source\":\":louvain\"") != NULL, "the latest partition is used: %s",
                  strbuf_cstr(&rs->json));
        a.hidden = 0;
        a.partition = NULL;
        a.files[PARAM_MATRIX] = write_graph(s, part);
        a.files[PARAM_PARTITION] = write_partition(lv->partition, lv->n_nodes);
        JobResult *rf = run("roles", NULL, &a);
        expect_same_json(rs, rf, ROLES_SNAPSHOT_KEYS);
        cr_assert_eq(rs->n_maps, part == GRAPH_PART_WHOLE ? 2 : 0, "maps over the 3x3 input of the whole graph");
        job_result_free(lv);
        job_result_free(rs);
        job_result_free(rf);
    }
    snapshot_release(s);
}

static const char *const DEGREES_SNAPSHOT_KEYS[] = {"epoch", "graph", "layer_r_strength_degree", "layer_r_pos_neg", NULL};

Test(modularity, degrees_on_files_equal_degrees_on_the_snapshot, .init = make_dir, .fini = remove_dir)
{
    Snapshot *s = random_snapshot();
    AnalysisArgs a;
    analysis_args_init("degrees", &a);
    a.theta = 0.3;
    JobResult *rs = run("degrees", s, &a);
    a.files[PARAM_MATRIX] = write_graph(s, GRAPH_PART_WHOLE);
    JobResult *rf = run("degrees", NULL, &a);
    expect_same_json(rs, rf, DEGREES_SNAPSHOT_KEYS);
    cr_assert(strstr(strbuf_cstr(&rf->json), "\"threshold\":0.29999999999999999") != NULL);
    job_result_free(rs);
    job_result_free(rf);
    snapshot_release(s);
}

/* Two triangles joined by one edge: 7 edges, 2m = 14; the two triangles
 * give Q = 2·(3/7 − (7/14)²) = 5/14. */
static Matrix *two_triangles(void)
{
    Matrix *a = NULL;
    char msg[STATUS_MSG_LEN];
    const char *csv = "0,1,1,0,0,0\n1,0,1,0,0,0\n1,1,0,1,0,0\n0,0,1,0,1,1\n0,0,0,1,0,1\n0,0,0,1,1,0\n";
    cr_assert_eq(csv_parse_matrix(csv, "two triangles", &a, msg), ST_OK, "%s", msg);
    return a;
}

Test(modularity, louvain_and_consensus_find_the_two_triangles)
{
    Matrix *adj = two_triangles();
    char msg[STATUS_MSG_LEN];
    for (int consensus = 0; consensus <= 1; consensus++) {
        AnalysisArgs a;
        params_defaults(NULL, 0, &a);
        a.reps = 5;
        a.consensus = consensus;
        WeightQ w;
        weightq_init(&w);
        LouvainResult r;
        cr_assert_eq(louvain_result_compute(&w, adj, NULL, &a, NULL, &r, msg), ST_OK, "%s", msg);
        const int want[6] = {1, 1, 1, 2, 2, 2};
        cr_assert_eq(memcmp(r.partition, want, sizeof want), 0);
        cr_assert_eq(r.k, 2);
        cr_assert_float_eq(r.q, 5.0 / 14.0, 1e-12);
        cr_assert_float_eq(r.runs.q_max, 5.0 / 14.0, 1e-12);
        cr_assert_eq(r.runs.reps, 5);
        cr_assert_eq(r.rounds, consensus ? 1u : 0u, "five equal runs agree at once");
        cr_assert_eq(r.has_modules, 0, "no layers on files");
        louvain_result_done(&r);
        weightq_done(&w);
    }
    matrix_free(adj);
}

Test(modularity, module_table_by_hand)
{
    /* nodes 0..5 in layers 0 0 1 1 1 2, modules 1 2 2 1 2 3 */
    const int layer[6] = {0, 0, 1, 1, 1, 2}, labels[6] = {1, 2, 2, 1, 2, 3};
    ModLayers l = {.n_layers = 3, .name = {"a", "b", "c"}, .of = layer, .n = 6};
    ModuleTable t;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(module_table_make(&l, labels, &t, msg), ST_OK, "%s", msg);
    cr_assert_eq(t.k, 3);
    const size_t size[3] = {2, 3, 1}, count[9] = {1, 1, 0, 1, 2, 0, 0, 0, 1};
    const int order[3] = {1, 0, 2};
    cr_assert_eq(memcmp(t.size, size, sizeof size), 0);
    cr_assert_eq(memcmp(t.count, count, sizeof count), 0);
    cr_assert_eq(memcmp(t.order, order, sizeof order), 0, "largest first");
    StrBuf b;
    strbuf_init(&b);
    JsonWriter w;
    json_init(&w, &b);
    json_object_begin(&w);
    module_table_json(&t, &w);
    json_object_end(&w);
    cr_assert_str_eq(strbuf_cstr(&b), "{\"modules\":[{\"module\":2,\"size\":3,\"per_layer\":[1,2,0]},"
                                      "{\"module\":1,\"size\":2,\"per_layer\":[1,1,0]},"
                                      "{\"module\":3,\"size\":1,\"per_layer\":[0,0,1]}]}");
    strbuf_done(&b);
    module_table_done(&t);
    const int bad[6] = {1, 0, 1, 1, 1, 1};
    cr_assert_eq(module_table_make(&l, bad, &t, msg), ST_EINVAL);
}

Test(modularity, roles_and_degrees_by_hand)
{
    /* W4 (tests/fixtures/mod_w4.csv), modules {0,1} {2,3}: node 0 has
     * positive strength 1 + 0.2 = 1.2, 1 of it inside, so
     * PC = 1 − (1/1.2)² − (0.2/1.2)² = 0.2777...; two nodes per module
     * with equal inside strengths give MZ = 0. */
    Matrix *adj = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(csv_read_matrix("tests/fixtures/mod_w4.csv", &adj, msg), ST_OK);
    const int labels[4] = {1, 1, 2, 2}, layer[4] = {0, 0, 1, 1};
    ModLayers l = {.n_layers = 2, .name = {"in", "out"}, .of = layer, .n = 4};
    RolesResult r;
    cr_assert_eq(roles_result_compute(adj, labels, &l, &r, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(r.pc[0], 1.0 - pow(1 / 1.2, 2) - pow(0.2 / 1.2, 2), 1e-12);
    cr_assert_float_eq(r.layer_pc[0], (r.pc[0] + r.pc[1]) / 2, 1e-15);
    cr_assert_eq(r.layer_mz[1], 0.0);
    roles_result_done(&r);

    /* |w| > 0.25: node 0 keeps 1 and −0.5 (one positive, one negative). */
    DegreesResult d;
    cr_assert_eq(degrees_result_compute(adj, 0.25, &l, &d, msg), ST_OK, "%s", msg);
    const int degree[4] = {2, 3, 3, 2};
    cr_assert_eq(memcmp(d.degree, degree, sizeof degree), 0);
    cr_assert_eq(d.degree_pos[0], 1);
    cr_assert_eq(d.degree_neg[0], 1);
    cr_assert_float_eq(d.strength[0], 0.7, 1e-12);
    cr_assert_float_eq(d.layer_degree[0], 2.5, 1e-15);
    cr_assert_float_eq(d.layer_strength[1], 0.6, 1e-12);
    degrees_result_done(&d);
    matrix_free(adj);

    /* One layer of four nodes: positive degrees (2, 1, 1, 0) and negative
     * degrees (1, 2, 1, 2) give r = −1/√2 by hand (deviations (1, 0, 0, −1)
     * and (−½, ½, −½, ½): Σxy = −1, Σx² = 2, Σy² = 1). */
    const double w[16] = {0, 1, 1, -1, 1, 0, -1, -1, 1, -1, 0, 0, -1, -1, 0, 0};
    Matrix *pn = matrix_new(4, 4);
    cr_assert_not_null(pn);
    memcpy(pn->data, w, sizeof w);
    const int one[4] = {0, 0, 0, 0};
    ModLayers l1 = {.n_layers = 1, .name = {"all"}, .of = one, .n = 4};
    cr_assert_eq(degrees_result_compute(pn, 0.5, &l1, &d, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(d.layer_r_pn[0], -1.0 / sqrt(2.0), 1e-12);
    degrees_result_done(&d);
    matrix_free(pn);
}

Test(modularity, quality_and_multislice_by_hand)
{
    Matrix *adj = two_triangles();
    char msg[STATUS_MSG_LEN];
    const int halves[6] = {7, 7, 7, -1, -1, -1};
    QualityResult q;
    cr_assert_eq(quality_result_compute(adj, halves, 1.0, MOD_SIGN_NONE, &q, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(q.q, 5.0 / 14.0, 1e-12);

    /* Two copies of the graph, ω = 0: 2μ = 28 and each layer adds half of
     * its own Q, so the total is again 5/14. */
    const Matrix *layers[2] = {adj, adj};
    const int given[12] = {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4};
    MultisliceResult m;
    cr_assert_eq(multislice_result_compute(layers, 2, 1.0, 0.0, MOD_SIGN_NONE, given, 0, 0, NULL, NULL, &m, msg), ST_OK,
                 "%s", msg);
    cr_assert_float_eq(m.q, 5.0 / 14.0, 1e-12);
    cr_assert_eq(m.ran, 0);
    multislice_result_done(&m);
    cr_assert_eq(multislice_result_compute(layers, 2, 1.0, 0.0, MOD_SIGN_NONE, NULL, 4, 1, NULL, NULL, &m, msg), ST_OK,
                 "%s", msg);
    cr_assert_float_eq(m.q, 5.0 / 14.0, 1e-12);
    cr_assert_eq(m.k, 4, "uncoupled layers keep their own communities");
    cr_assert_eq(m.runs.reps, 4);
    multislice_result_done(&m);
    matrix_free(adj);
}

Test(modularity, modules_and_quality_refuse_the_wrong_input)
{
    Snapshot *s = random_snapshot();
    AnalysisArgs a;
    analysis_args_init("quality", &a);
    JobResult *r = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(analysis_run_now(analysis_find("quality"), s, &a, &r, msg), ST_EINVAL);
    cr_assert_eq(analysis_run_now(analysis_find("modules"), NULL, &a, &r, msg), ST_EINVAL);
    snapshot_release(s);
}

/* Runs KIND on s with the given latest partition (of epoch e, part p) and
 * returns the result. */
static JobResult *with_latest(const char *kind, Snapshot *s, const int *labels, size_t n, size_t e, int part,
                              int hidden)
{
    AnalysisArgs a;
    analysis_args_init(kind, &a);
    a.partition = labels;
    a.n_nodes = n;
    a.partition_epoch = e;
    a.partition_part = part;
    a.hidden = hidden;
    snprintf(a.partition_source, sizeof a.partition_source, ":consensus 7%s", part ? " hidden" : "");
    JobResult *r = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(analysis_run_now(analysis_find(kind), s, &a, &r, msg), ST_OK, "%s", msg);
    return r;
}

Test(modularity, roles_and_modules_use_the_latest_partition_only_of_their_epoch_and_part)
{
    Snapshot *s = random_snapshot(); /* epoch 3, 9-5-4-3: 21 nodes, 12 hidden-graph nodes */
    int whole[21], hidden[12];
    for (size_t i = 0; i < 21; i++)
        whole[i] = i < 9 ? 1 : 2; /* inputs vs the rest: 2 modules */
    for (size_t i = 0; i < 12; i++)
        hidden[i] = i < 5 ? 1 : i < 9 ? 2 : 3;
    /* Same epoch, same part: used, and said so. */
    JobResult *r = with_latest("modules", s, whole, 21, 3, 0, 0);
    const char *json = strbuf_cstr(&r->json);
    cr_assert(strstr(json, "\"partition_used\":{\"epoch\":3,\"graph\":\"whole\",\"source\":\":consensus 7\"}") !=
                  NULL, "%s", json);
    cr_assert(strstr(json, "\"size\":12,\"per_layer\":[0,5,4,3]") != NULL, "the given modules: %s", json);
    cr_assert(strstr(strbuf_cstr(&r->text), "partition: :consensus 7 · epoch 3 · whole graph") != NULL, "%s",
              strbuf_cstr(&r->text));
    job_result_free(r);
    /* Another epoch: not used; its own 10 runs, and the text says why. */
    r = with_latest("modules", s, whole, 21, 20, 0, 0);
    json = strbuf_cstr(&r->json);
    cr_assert(strstr(json, "\"source\":\"best of 10 Louvain runs, seed 0\"") != NULL, "%s", json);
    cr_assert(strstr(strbuf_cstr(&r->text), "is of epoch 20, not used") != NULL, "%s", strbuf_cstr(&r->text));
    job_result_free(r);
    /* A hidden partition for :roles on the whole graph: not used. */
    r = with_latest("roles", s, hidden, 12, 3, 1, 0);
    cr_assert(strstr(strbuf_cstr(&r->text), "is of the hidden graph, not used") != NULL, "%s",
              strbuf_cstr(&r->text));
    cr_assert_eq(r->n_maps, 2, "the whole graph's roles map the input pixels");
    job_result_free(r);
    /* :roles hidden uses it: no input row (no "nan"), no maps, and a line
     * that says why. */
    r = with_latest("roles", s, hidden, 12, 3, 1, 1);
    const char *text = strbuf_cstr(&r->text);
    cr_assert(strstr(text, "partition: :consensus 7 hidden · epoch 3 · hidden graph") != NULL, "%s", text);
    cr_assert_null(strstr(text, "nan"), "%s", text);
    cr_assert_null(strstr(text, "\ninput"), "%s", text);
    cr_assert(strstr(text, "leaves out the input layer: no pixel maps") != NULL, "%s", text);
    cr_assert_eq(r->n_maps, 0);
    job_result_free(r);
    snapshot_release(s);
}

Test(modularity, modules_list_their_units_and_singletons_take_one_line)
{
    Snapshot *s = random_snapshot();
    /* Inputs 0-8 are single-node modules; HL1 0-1 and HL2 0-3 and output 0
     * form module 10; HL1 2-4 and outputs 1-2 form module 11. */
    int labels[21];
    for (int i = 0; i < 9; i++)
        labels[i] = i + 1;
    for (int i = 9; i < 21; i++)
        labels[i] = 10;
    labels[11] = labels[12] = labels[13] = 11; /* HL1 2, 3, 4 */
    labels[19] = labels[20] = 11;              /* output 1, 2 */
    JobResult *r = with_latest("modules", s, labels, 21, 3, 0, 0);
    const char *text = strbuf_cstr(&r->text);
    cr_assert(strstr(text, "+ 9 single-node modules: 9 input\n") != NULL, "%s", text);
    cr_assert(strstr(text, "module 10: HL1 0-1 · HL2 0-3 · output 0\n") != NULL, "%s", text);
    cr_assert(strstr(text, "module 11: HL1 2-4 · output 1-2\n") != NULL, "%s", text);
    /* One row per module of two nodes or more, not one per single node. */
    size_t rows = 0;
    for (const char *p = text; (p = strchr(p, '\n')) != NULL; p++)
        rows += p[1] == ' ';
    cr_assert_eq(rows, 2, "%s", text);
    job_result_free(r);
    snapshot_release(s);
}
