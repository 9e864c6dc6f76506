#include <criterion/criterion.h>
#include <string.h>

#include "neurotop/data/familiarity.h"
#include "neurotop/data/registry.h"

static const DataParam TASK[6] = {{"task_n", 16}, {"task_r", 3},     {"task_p", 0.5},
                                  {"task_chains", 1}, {"task_train", 40}, {"task_test", 30}};

Test(registry, familiarity_is_generated_from_its_keys)
{
    cr_assert_eq(data_is_generated("familiarity"), 1);
    cr_assert_eq(data_is_generated("mnist10k"), 0);
    char msg[STATUS_MSG_LEN];
    Dataset *a = NULL, *b = NULL;
    /* The keys in any order. */
    DataParam shuffled[6];
    for (int i = 0; i < 6; i++)
        shuffled[i] = TASK[5 - i];
    cr_assert_eq(data_open("familiarity", shuffled, 6, 7, &a, msg), ST_OK, "%s", msg);
    cr_assert_eq(familiarity_dataset(&b, 16, 3, 0.5, 1, 40, 30, 7, msg), ST_OK, "%s", msg);
    cr_assert_str_eq(a->name, "familiarity");
    cr_assert_eq(a->train.n, 40);
    cr_assert_eq(a->test.n, 30);
    cr_assert_eq(a->train.rows * a->train.cols, 16);
    cr_assert_eq(memcmp(a->train.pixels, b->train.pixels, 40 * 16), 0, "the same stream as the generator");
    cr_assert_eq(memcmp(a->test.labels, b->test.labels, 30), 0);
    cr_assert_str_eq(a->source, b->source);
    dataset_free(a);
    dataset_free(b);
}

Test(registry, missing_or_malformed_parameters_are_named)
{
    char msg[STATUS_MSG_LEN];
    Dataset *d = NULL;
    cr_assert_eq(data_open("familiarity", TASK, 5, 0, &d, msg), ST_EINVAL);
    cr_assert_null(d);
    cr_assert(strstr(msg, "task_test") != NULL, "%s", msg);
    DataParam bad[6];
    memcpy(bad, TASK, sizeof bad);
    bad[1].value = 2.5;
    cr_assert_eq(data_open("familiarity", bad, 6, 0, &d, msg), ST_EINVAL);
    cr_assert(strstr(msg, "task_r") && strstr(msg, "whole"), "%s", msg);
    bad[1].value = -1;
    cr_assert_eq(data_open("familiarity", bad, 6, 0, &d, msg), ST_EINVAL);
    /* The generator's own checks still apply (R = 0). */
    bad[1].value = 0;
    cr_assert_eq(data_open("familiarity", bad, 6, 0, &d, msg), ST_EINVAL);
    cr_assert_null(d);
}

Test(registry, other_names_are_image_sets_on_disk)
{
    char msg[STATUS_MSG_LEN];
    Dataset *d = NULL;
    cr_assert_eq(data_open("/nonexistent/neurotop-data", TASK, 6, 0, &d, msg), ST_ENOTFOUND);
    cr_assert_null(d);
    cr_assert(strstr(msg, "/nonexistent/neurotop-data") != NULL, "%s", msg);
}
