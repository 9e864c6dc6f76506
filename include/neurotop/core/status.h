#ifndef NEUROTOP_CORE_STATUS_H
#define NEUROTOP_CORE_STATUS_H

/* Status codes and human-readable error messages.
 *
 * Every fallible function returns a Status and, when it fails, writes one
 * sentence naming the problem into a caller-supplied buffer of at least
 * STATUS_MSG_LEN bytes (the buffer may be NULL when the caller does not care).
 * Only cli/ turns a Status into an exit code. */

#include <stddef.h>

#define STATUS_MSG_LEN 512

#define STATUS_LIST(X)                                   \
    X(ST_OK, "ok")                                       \
    X(ST_EINVAL, "invalid argument")                     \
    X(ST_ENOMEM, "out of memory")                        \
    X(ST_EIO, "input/output error")                      \
    X(ST_EFORMAT, "malformed input")                     \
    X(ST_ENOTFOUND, "not found")                         \
    X(ST_ECANCELED, "canceled")                          \
    X(ST_ENUMERIC, "numerical failure")                  \
    X(ST_EINTERNAL, "internal error")

typedef enum {
#define STATUS_ENUM(code, text) code,
    STATUS_LIST(STATUS_ENUM)
#undef STATUS_ENUM
} Status;

/* Short fixed description of a code ("malformed input"). Never NULL. */
const char *status_text(Status st);

/* Format a message into msg (if msg is not NULL) and return st, so callers
 * can write `return status_fail(msg, ST_EINVAL, "bad %s", x);`. Control
 * characters and invalid UTF-8 in the result are written as "\xHH"
 * (core/sanitize.h): a message may quote a file. */
Status status_fail(char *msg, Status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Exit code policy used by cli/: 0 ok, 2 bad input or usage, 1 internal. */
int status_exit_code(Status st);

#endif
