#include "neurotop/core/numparse.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

/* Digits only, after an optional '+': strtoull alone would take "-1" (as a
 * huge value), leading spaces and "0x10". */
static int whole_digits(const char *text)
{
    const char *p = text && *text == '+' ? text + 1 : text;
    if (!p || !*p)
        return 0;
    for (; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

Status num_parse_u64(const char *text, uint64_t lo, uint64_t hi, const char *what, uint64_t *out,
                     char *msg)
{
    unsigned long long x = 0;
    int ok = whole_digits(text);
    if (ok) {
        errno = 0;
        x = strtoull(text, NULL, 10);
        ok = errno == 0 && x >= lo && x <= hi;
    }
    if (!ok)
        return status_fail(msg, ST_EINVAL, "%s must be a whole number from %llu to %llu, not '%s'", what,
                           (unsigned long long)lo, (unsigned long long)hi, text ? text : "");
    *out = (uint64_t)x;
    return ST_OK;
}

Status num_parse_size(const char *text, size_t lo, size_t hi, const char *what, size_t *out,
                      char *msg)
{
    uint64_t x;
    Status st = num_parse_u64(text, lo, hi, what, &x, msg);
    if (!st)
        *out = (size_t)x;
    return st;
}

Status num_parse_long(const char *text, long lo, long hi, const char *what, long *out, char *msg)
{
    const char *digits = text && *text == '-' ? text + 1 : text;
    long x = 0;
    int ok = digits && *digits != '+' && whole_digits(digits);
    if (ok) {
        errno = 0;
        x = strtol(text, NULL, 10);
        ok = errno == 0 && x >= lo && x <= hi;
    }
    if (!ok)
        return status_fail(msg, ST_EINVAL, "%s must be a whole number from %ld to %ld, not '%s'", what, lo,
                           hi, text ? text : "");
    *out = x;
    return ST_OK;
}

Status num_parse_real(const char *text, double lo, double hi, int open_lo, const char *what,
                      double *out, char *msg)
{
    double x = NAN;
    int ok = text && *text && *text != ' ' && *text != '\t';
    if (ok) {
        char *end;
        errno = 0;
        x = strtod(text, &end);
        ok = *end == '\0' && errno != ERANGE && isfinite(x) && (open_lo ? x > lo : x >= lo) && x <= hi;
    }
    if (ok) {
        *out = x;
        return ST_OK;
    }
    const char *shown = text ? text : "";
    if (isinf(hi))
        return status_fail(msg, ST_EINVAL, "%s must be a number %s %g, not '%s'", what,
                           open_lo ? "above" : "of at least", lo, shown);
    if (open_lo)
        return status_fail(msg, ST_EINVAL, "%s must be a number above %g and at most %g, not '%s'", what, lo,
                           hi, shown);
    return status_fail(msg, ST_EINVAL, "%s must be a number from %g to %g, not '%s'", what, lo, hi, shown);
}
