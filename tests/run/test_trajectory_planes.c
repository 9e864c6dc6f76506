#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/bytes.h"
#include "neurotop/core/rng.h"
#include "run/trajectory_internal.h"

/* Code n bytes, check the length against want (0: any) and decode back. */
static size_t round_trip(const unsigned char *top, size_t n, size_t want)
{
    unsigned char *out = malloc(traj_top_bound(n) + 1), *back = malloc(n + 1);
    size_t len = traj_top_pack(top, n, out);
    cr_assert(len <= traj_top_bound(n));
    if (want)
        cr_assert_eq(len, want, "coded %zu bytes into %zu, not %zu", n, len, want);
    cr_assert_eq(traj_top_unpack(out, len, n, back), 0);
    cr_assert(n == 0 || memcmp(back, top, n) == 0);
    free(out);
    free(back);
    return len;
}

Test(trajectory_planes, one_value_takes_no_bits)
{
    unsigned char top[100], out[200];
    memset(top, 0x3f, sizeof top);
    cr_assert_eq(traj_top_pack(top, 100, out), TRAJ_TOP_HEAD + 1);
    cr_assert_eq(out[0], 0); /* bits */
    cr_assert_eq(out[1], 1); /* dictionary entries */
    cr_assert_eq(bytes_le32(out + 2), 0);
    cr_assert_eq(out[TRAJ_TOP_HEAD], 0x3f);
    round_trip(top, 100, TRAJ_TOP_HEAD + 1);
    round_trip(top, 0, 0);
}

Test(trajectory_planes, two_values_by_hand)
{
    /* 1 is commoner (code 0), 2 gets code 1; codes LSB first: 0b001010 */
    unsigned char top[6] = {1, 2, 1, 2, 1, 1}, out[32];
    cr_assert_eq(traj_top_pack(top, 6, out), TRAJ_TOP_HEAD + 2 + 1);
    cr_assert_eq(out[0], 1);
    cr_assert_eq(out[1], 2);
    cr_assert_eq(out[TRAJ_TOP_HEAD], 1);
    cr_assert_eq(out[TRAJ_TOP_HEAD + 1], 2);
    cr_assert_eq(out[TRAJ_TOP_HEAD + 2], 0x0a);
    round_trip(top, 6, TRAJ_TOP_HEAD + 3);
}

Test(trajectory_planes, rare_values_are_escaped)
{
    /* 1000 zeros and 1..9 once: 1 bit each (127 bytes), a dictionary of
     * {0}, code 1 = escape, 9 escaped bytes: 6 + 1 + 127 + 9. Two bits
     * would cost 6 + 3 + 253 + 7. */
    unsigned char top[1009] = {0};
    for (int v = 1; v <= 9; v++)
        top[100 * v] = (unsigned char)v;
    unsigned char out[2048];
    cr_assert_eq(traj_top_pack(top, 1009, out), 143);
    cr_assert_eq(out[0], 1);
    cr_assert_eq(out[1], 1);
    cr_assert_eq(bytes_le32(out + 2), 9);
    cr_assert_eq(out[143 - 9], 1); /* escapes in order */
    cr_assert_eq(out[142], 9);
    round_trip(top, 1009, 143);
}

Test(trajectory_planes, noise_is_stored_as_it_is)
{
    Rng r;
    rng_seed(&r, 3, 0);
    unsigned char top[4096];
    for (size_t i = 0; i < sizeof top; i++)
        top[i] = (unsigned char)(rng_uniform(&r) * 256.0);
    round_trip(top, sizeof top, TRAJ_TOP_HEAD + sizeof top);
}

Test(trajectory_planes, random_planes_round_trip_and_never_grow)
{
    Rng r;
    rng_seed(&r, 4, 0);
    unsigned char top[600];
    for (int trial = 0; trial < 400; trial++) {
        size_t n = (size_t)(rng_uniform(&r) * 600.0);
        size_t alphabet = 1 + (size_t)(rng_uniform(&r) * 256.0);
        double skew = 1.0 + 8.0 * rng_uniform(&r); /* values drawn as u^skew: a few common */
        for (size_t i = 0; i < n; i++) {
            double u = rng_uniform(&r);
            double p = u;
            for (int k = 1; k < (int)skew; k++)
                p *= u;
            top[i] = (unsigned char)(0x80 + (size_t)(p * (double)alphabet));
        }
        round_trip(top, n, 0);
    }
}

Test(trajectory_planes, damaged_codes_are_refused)
{
    unsigned char top[1009] = {0}, out[2048], back[1009];
    for (int v = 1; v <= 9; v++)
        top[100 * v] = (unsigned char)v;
    size_t len = traj_top_pack(top, 1009, out);
    for (size_t cut = 0; cut < len; cut++) /* every length but the whole */
        cr_assert_eq(traj_top_unpack(out, cut, 1009, back), -1, "cut at %zu", cut);
    cr_assert_eq(traj_top_unpack(out, len, 1008, back), -1); /* another count */
    out[0] = 9;
    cr_assert_eq(traj_top_unpack(out, len, 1009, back), -1); /* no such width */
    out[0] = 1;
    bytes_put_le32(out + 2, 8); /* one escape fewer than the codes ask for */
    cr_assert_eq(traj_top_unpack(out, len - 1, 1009, back), -1);
    bytes_put_le32(out + 2, 9);
    out[1] = 0; /* a dictionary of none: every code is past it */
    cr_assert_eq(traj_top_unpack(out + 0, len, 1009, back), -1);
    /* Two bits, one entry: code 2 or 3 is neither an entry nor the escape. */
    unsigned char bad[TRAJ_TOP_HEAD + 1 + 1] = {2, 1, 0, 0, 0, 0, 7, 0x02};
    cr_assert_eq(traj_top_unpack(bad, sizeof bad, 4, back), -1);
    bad[7] = 0x00;
    cr_assert_eq(traj_top_unpack(bad, sizeof bad, 4, back), 0);
    cr_assert_eq(back[3], 7);
}
