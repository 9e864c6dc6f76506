#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "neurotop/core/numparse.h"

Test(numparse, whole_numbers)
{
    char msg[STATUS_MSG_LEN];
    size_t z = 7;
    cr_assert_eq(num_parse_size("42", 1, 100, "N", &z, msg), ST_OK);
    cr_assert_eq(z, 42);
    cr_assert_eq(num_parse_size("+5", 1, 100, "N", &z, msg), ST_OK);
    cr_assert_eq(z, 5);
    const char *bad[] = {"", "-1", " 5", "5 ", "1e3", "0x10", "101", "0", "abc", "99999999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        z = 7;
        cr_assert_eq(num_parse_size(bad[i], 1, 100, "N", &z, msg), ST_EINVAL, "'%s'", bad[i]);
        cr_assert_eq(z, 7, "unchanged on a refusal");
    }
    cr_assert_str_eq(msg, "N must be a whole number from 1 to 100, not '99999999999999999999999'");
    uint64_t u;
    cr_assert_eq(num_parse_u64("18446744073709551615", 0, UINT64_MAX, "--seed", &u, msg), ST_OK);
    cr_assert_eq(u, UINT64_MAX);
}

Test(numparse, signed_whole_numbers)
{
    char msg[STATUS_MSG_LEN];
    long v = 0;
    cr_assert_eq(num_parse_long("-3", -5, 5, "K", &v, msg), ST_OK);
    cr_assert_eq(v, -3);
    cr_assert_eq(num_parse_long("-6", -5, 5, "K", &v, msg), ST_EINVAL);
    cr_assert_eq(num_parse_long("--3", -5, 5, "K", &v, msg), ST_EINVAL);
    cr_assert_eq(num_parse_long("-+3", -5, 5, "K", &v, msg), ST_EINVAL);
    cr_assert_eq(v, -3);
}

Test(numparse, reals)
{
    char msg[STATUS_MSG_LEN];
    double x = 0;
    cr_assert_eq(num_parse_real("1e-3", 0, 100, 1, "--lr", &x, msg), ST_OK);
    cr_assert_float_eq(x, 1e-3, 1e-15);
    cr_assert_eq(num_parse_real("0", 0, 100, 1, "--lr", &x, msg), ST_EINVAL);
    cr_assert_str_eq(msg, "--lr must be a number above 0 and at most 100, not '0'");
    cr_assert_eq(num_parse_real("0", 0, 100, 0, "GAMMA", &x, msg), ST_OK);
    cr_assert_eq(x, 0.0);
    const char *bad[] = {"nan", "inf", "-inf", "1e999", "", " 1", "1x", "-0.5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(num_parse_real(bad[i], 0, INFINITY, 0, "--gamma", &x, msg), ST_EINVAL, "'%s'", bad[i]);
    cr_assert_str_eq(msg, "--gamma must be a number of at least 0, not '-0.5'");
    cr_assert_eq(num_parse_real("1e300", 0, INFINITY, 0, "--gamma", &x, msg), ST_OK);
}
