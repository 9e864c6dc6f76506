#include <criterion/criterion.h>

#include "neurotop/core/rng.h"

Test(rng, same_seed_same_stream)
{
    Rng a, b, c;
    rng_seed(&a, 42, 3);
    rng_seed(&b, 42, 3);
    rng_seed(&c, 42, 4);
    int differ = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t x = rng_u64(&a);
        cr_assert_eq(x, rng_u64(&b));
        differ |= x != rng_u64(&c);
    }
    cr_assert(differ, "another stream gives another sequence");
}

Test(rng, epoch_seed)
{
    cr_assert_eq(rng_epoch_seed(0, 7), 7u);
    cr_assert_eq(rng_epoch_seed(5, 7), 5u * 1000003u + 7u);
    cr_assert_neq(rng_epoch_seed(1, 0), rng_epoch_seed(0, 1));
}
