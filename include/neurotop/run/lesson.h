#ifndef NEUROTOP_RUN_LESSON_H
#define NEUROTOP_RUN_LESSON_H

/* Lesson files (docs/lessons.md): a guided walk through a recorded run that
 * `neurotop replay RUN --lesson FILE` steps through with Enter.
 *
 * The format (docs/lessons.md has a full example). Plain UTF-8 text, one
 * step per paragraph; paragraphs are separated by blank lines. A paragraph
 * starts with directive lines, and everything after them is the text shown
 * to the class:
 *
 *     # Lines starting with '#' are comments, anywhere.
 *     epoch: 12
 *     zoom: modularity
 *     command: :louvain 20
 *     Q starts to rise here: the hidden layers split into modules.
 *     A second line of text joins the first with a space.
 *
 * Directives (lower case, at the start of a paragraph, before any text;
 * the ':' is optional, so `epoch 12` works too):
 *   epoch: N      the epoch to show (a whole number, or `last` for the
 *                 run's last epoch). A step without one keeps the epoch of
 *                 the step before; the first step must name one.
 *   zoom: PANE    zoom a pane full screen (a pane name such as accuracy,
 *                 modularity, fields, weights); `zoom: none` un-zooms.
 *   command: CMD  run a `:` command on that epoch (the leading ':' may be
 *                 left out). `run:` is the same directive.
 * A directive given twice in one step, an unknown lower-case word followed
 * by ':' at the start of a paragraph ("pane: fields"), a bad epoch or a
 * value that is too long is an error naming the file and line. Text lines
 * may begin with anything else, including capitalised directive names
 * ("Epoch 12 is where..."). A step may have no text; a paragraph of
 * comments only is no step. Files are at most LESSON_MAX_BYTES, without NUL
 * bytes and in valid UTF-8; Windows line ends are accepted. */

#include <stddef.h>

#include "neurotop/core/status.h"

#define LESSON_MAX_BYTES ((size_t)1 << 20)
#define LESSON_PANE_LEN 32
#define LESSON_COMMAND_LEN 256
/* epoch value of `epoch: last`. */
#define LESSON_LAST_EPOCH ((size_t)-1)

typedef struct {
    size_t line;       /* first line of the paragraph (1-based) */
    size_t epoch_line, zoom_line, command_line; /* lines of the directives, 0 when absent */
    size_t epoch;      /* LESSON_LAST_EPOCH for `last` */
    int epoch_given;   /* 0 when inherited from the step before */
    char zoom[LESSON_PANE_LEN];       /* "" when none */
    char command[LESSON_COMMAND_LEN]; /* "" when none, else starts with ':' */
    char *text;        /* the sentences, lines joined by one space ("" when none); owned */
} LessonStep;

typedef struct {
    size_t n_steps;
    LessonStep *steps; /* owned */
} Lesson;

/* Parse len bytes of lesson text; name (a file name) starts every error
 * message ("name:LINE: ..."). *out is caller-owned (lesson_free), NULL on
 * failure. ST_EFORMAT for a syntax error, ST_EINVAL for an empty lesson
 * or a text over LESSON_MAX_BYTES, ST_ENOMEM. O(len). */
Status lesson_parse(const char *text, size_t len, const char *name, Lesson **out, char *msg);

/* Read and parse a lesson file (ST_EIO when unreadable). */
Status lesson_load(const char *path, Lesson **out, char *msg);

/* lesson_free(NULL) is safe. */
void lesson_free(Lesson *l);

/* What the player knows to check a lesson against; a NULL member is not
 * checked. */
typedef struct {
    const char *const *panes;  /* the pane names zoom may give */
    size_t n_panes;
    const size_t *epochs;      /* the run's recorded epochs, ascending */
    size_t n_epochs;
    /* 1 when the run keeps the weights (a snapshot file) of epoch e. */
    int (*has_snapshot)(void *ctx, size_t epoch);
    /* 0 when the command (without its ':') runs in the player, setting
     * *needs_snapshot to 1 when it analyses the shown epoch's weights;
     * else nonzero and one sentence in why. */
    int (*check_command)(void *ctx, const char *command, int *needs_snapshot, char *why, size_t cap);
    void *ctx;
} LessonContext;

/* Check a parsed lesson when it is loaded, so a class never meets a broken
 * step: every epoch is one the run recorded (`last` is its last), every
 * zoom names a pane (or "none"), every command is known with good
 * arguments, and a command that analyses weights has a snapshot at its
 * step's epoch. ST_EINVAL with "name:LINE: ..." naming the line of the
 * directive at fault (the epoch line for an epoch without a snapshot when
 * the step names its epoch, else the command line). */
Status lesson_check(const Lesson *l, const char *name, const LessonContext *c, char *msg);

#endif
