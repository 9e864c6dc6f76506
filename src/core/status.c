#include "neurotop/core/status.h"

#include <stdarg.h>
#include <stdio.h>

#include "neurotop/core/sanitize.h"

const char *status_text(Status st)
{
    switch (st) {
#define STATUS_CASE(code, text) \
    case code:                  \
        return text;
        STATUS_LIST(STATUS_CASE)
#undef STATUS_CASE
    }
    return "unknown status";
}

Status status_fail(char *msg, Status st, const char *fmt, ...)
{
    if (msg) {
        /* Formatted apart first: an argument may be msg itself, and file
         * contents in it must not reach a terminal raw. */
        char raw[STATUS_MSG_LEN];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(raw, sizeof raw, fmt, ap);
        va_end(ap);
        text_sanitize(raw, msg, STATUS_MSG_LEN);
    }
    return st;
}

int status_exit_code(Status st)
{
    switch (st) {
    case ST_OK:
        return 0;
    case ST_EINVAL:
    case ST_EFORMAT:
    case ST_ENOTFOUND:
    case ST_EIO:
        return 2;
    default:
        return 1;
    }
}
