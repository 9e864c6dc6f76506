#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/jsonread.h"
#include "neurotop/run/metrics.h"

Test(metrics, keys_with_and_without_a_placeholder)
{
    char k[METRIC_KEY_LEN];
    cr_assert_str_eq(metric_key(METRIC_Q_WHOLE, NULL, k, sizeof k), "q_whole");
    cr_assert_str_eq(metric_key(METRIC_W_MEAN, "alpha", k, sizeof k), "w_alpha_mean");
    cr_assert_str_eq(metric_key(METRIC_IH_MEAN, "hl2", k, sizeof k), "ih_hl2_mean");
    cr_assert_str_eq(metric_key(METRIC_FLEX_LAYER, "hl1", k, sizeof k), "flex_hl1");
    cr_assert_eq(metric_match("w_gamma_skew")->id, METRIC_W_SKEW);
    cr_assert_eq(metric_match("flex_q")->id, METRIC_FLEX_Q, "a fixed key wins over flex_LAYER");
    cr_assert_eq(metric_match("flex_hl2")->id, METRIC_FLEX_LAYER);
    cr_assert_eq(metric_match("fc_mean")->id, METRIC_FC_MEAN);
    cr_assert_eq(metric_match("fc_mean_hl1")->id, METRIC_FC_MEAN_LAYER);
    cr_assert_null(metric_match("w__mean"), "a placeholder stands for at least one character");
    cr_assert_null(metric_match("w_Alpha_mean"));
    cr_assert_null(metric_match("no_such_key"));
}

Test(metrics, every_key_is_listed_once)
{
    for (int i = 0; i < METRIC_COUNT; i++) {
        const MetricInfo *m = metric_info((MetricId)i);
        cr_assert_eq((int)m->id, i);
        cr_assert(m->meaning[0] && m->producer[0], "%s has a meaning and a producer", m->key);
        for (int j = i + 1; j < METRIC_COUNT; j++)
            cr_assert_str_neq(m->key, metric_info((MetricId)j)->key);
    }
}

/* Every key the shipped sample runs recorded is in the table. */
static void check_run(const char *path)
{
    char msg[STATUS_MSG_LEN];
    char *text = NULL;
    size_t len = 0;
    cr_assert_eq(file_read_all(path, 64 << 20, &text, &len, msg), ST_OK, "%s", msg);
    size_t lines = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"), lines++) {
        JsonDoc *doc = NULL;
        cr_assert_eq(json_parse(line, strlen(line), path, NULL, &doc, msg), ST_OK, "%s", msg);
        const JsonValue *root = json_doc_root(doc);
        for (size_t i = 0; i < root->count; i++)
            cr_assert_not_null(metric_match(root->keys[i]), "%s: key '%s' is not in METRIC_LIST", path,
                               root->keys[i]);
        json_doc_free(doc);
    }
    cr_assert_gt(lines, 10);
    free(text);
}

Test(metrics, the_sample_runs_use_only_listed_keys)
{
    check_run("sample-runs/mlp-mnist/metrics.jsonl");
    check_run("sample-runs/hebbff-familiarity/metrics.jsonl");
}
