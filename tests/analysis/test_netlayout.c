#include <criterion/criterion.h>

#include "neurotop/analysis/netlayout.h"

Test(netlayout, lenet_counts_match_seed_004)
{
    NetLayout l;
    netlayout_lenet(&l);
    cr_assert_eq(l.n_layers, 7);
    /* 784 + 11,520 + 2,880 + 3,200 + 800 + 500 + 10 */
    cr_assert_eq(netlayout_neurons(&l), 19694);
    cr_assert_eq(netlayout_layer_neurons(&l, 1), 11520);
    cr_assert_eq(netlayout_offset(&l, 0), 0);
    cr_assert_eq(netlayout_offset(&l, 2), 784 + 11520);
    cr_assert_eq(netlayout_offset(&l, 6), 19684);
    cr_assert_eq(netlayout_layer_neurons(&l, 7), 0);
}
