#include <criterion/criterion.h>
#include <math.h>

#include "neurotop/analysis/selectivity.h"

/* Six items of classes 0, 0, 1, 1, 2, 2 and three units. */
static const uint8_t LABELS[6] = {0, 0, 1, 1, 2, 2};

Test(selectivity, class_index_by_hand)
{
    const float acts[6 * 3] = {
        /* unit 0 answers class 1 only; unit 1 the same to all; unit 2 mixed */
        0, 1, 1, /* class 0 */
        0, 1, 3, /* class 0 */
        4, 1, 2, /* class 1 */
        2, 1, 2, /* class 1 */
        0, 1, 0, /* class 2 */
        0, 1, 0, /* class 2 */
    };
    double si[3];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(selectivity_class_index(acts, 6, 3, LABELS, si, msg), ST_OK, "%s", msg);
    /* unit 0: μ = 0, 3, 0 -> (3 - 0) / (3 + 0) = 1 */
    cr_assert_float_eq(si[0], 1.0, 1e-12);
    /* unit 1: μ = 1, 1, 1 -> 0 */
    cr_assert_float_eq(si[1], 0.0, 1e-12);
    /* unit 2: μ = 2, 2, 0: max 2, rest (2 + 0) / 2 = 1 -> (2 - 1) / (2 + 1) = 1/3 */
    cr_assert_float_eq(si[2], 1.0 / 3.0, 1e-12);
}

Test(selectivity, silent_negative_and_one_class)
{
    const float acts[6 * 2] = {0, -1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1};
    double si[2];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(selectivity_class_index(acts, 6, 2, LABELS, si, msg), ST_OK, "%s", msg);
    cr_assert_eq(si[0], 0.0, "a silent unit has index 0");
    cr_assert(isnan(si[1]), "a negative activation leaves the index undefined");
    const uint8_t same[6] = {3, 3, 3, 3, 3, 3};
    cr_assert_eq(selectivity_class_index(acts, 6, 2, same, si, msg), ST_EINVAL);
    cr_assert(strstr(msg, "two classes") != NULL, "%s", msg);
}
