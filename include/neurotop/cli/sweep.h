#ifndef NEUROTOP_CLI_SWEEP_H
#define NEUROTOP_CLI_SWEEP_H

/* Sweep files (`neurotop sweep SPEC`): a grid of `neurotop train` options
 * expanded into numbered tasks, each one headless run.
 *
 *   # comment
 *   name   = lr-vs-seed           the sweep's name (default: the file's name)
 *   runs   = runs/sweeps          where the sweep folder goes (--runs wins)
 *   model  = hebbff               any `neurotop train` option without its
 *   epochs = 120                  dashes, with one value,
 *   lr     = [0.1, 0.3]           a list (items may be "quoted" to hold a comma),
 *   seed   = 0..119               or a range of whole numbers, both ends included
 *
 * Tasks are the product of the values, numbered from 0; like nested loops
 * over the keys in file order, the last key varies fastest. The numbering
 * depends only on the file's keys and values, so a task index names the
 * same run on every machine. */

#include <stddef.h>

#include "neurotop/core/status.h"

#define SWEEP_MAX_KEYS 24
#define SWEEP_KEY_LEN 32
#define SWEEP_MAX_VALUES 100000
#define SWEEP_MAX_TASKS 1000000
#define SWEEP_SPEC_MAX_BYTES (1 << 20)

typedef struct {
    char key[SWEEP_KEY_LEN]; /* "lr": the option is --lr */
    int line;                /* where the file sets it */
    size_t n_values;
    char **values;           /* n_values strings, each without quotes */
} SweepAxis;

typedef struct {
    char name[64];
    char *runs;              /* the file's `runs`, NULL when not set */
    size_t n_axes;
    SweepAxis axes[SWEEP_MAX_KEYS];
    size_t n_tasks;          /* the product of the axes' value counts */
} SweepSpec;

/* Parse len bytes of sweep text; file (a name) starts every message
 * ("file:LINE: ..."). Checks the syntax and the keys (a key the sweep
 * reserves for itself, like headless or resume, is refused), not the
 * option values: sweep_spec_check does that. ST_EFORMAT for a syntax error,
 * ST_EINVAL for a bad key, an empty file or too many tasks, ST_ENOMEM. */
Status sweep_spec_parse(const char *text, size_t len, const char *file, SweepSpec **out, char *msg);

/* Read and parse a sweep file (ST_EIO when unreadable); the name defaults
 * to the file's base name without its extension. */
Status sweep_spec_load(const char *path, SweepSpec **out, char *msg);

/* sweep_spec_free(NULL) is safe. */
void sweep_spec_free(SweepSpec *s);

/* The value each axis takes in task t (< n_tasks): idx[k] indexes
 * s->axes[k].values. */
void sweep_task_values(const SweepSpec *s, size_t task, size_t *idx);

/* The `neurotop train` options of task t as argv words ("--lr", "0.1",
 * ...): 2·n_axes words into argv (pointers into s). Returns the count. */
size_t sweep_task_args(const SweepSpec *s, size_t task, const char **argv, size_t cap);

/* "lr=0.1 seed=3": the keys with more than one value, for listings and
 * progress lines ("" when nothing varies). */
void sweep_task_label(const SweepSpec *s, size_t task, char *buf, size_t cap);

/* A mutable copy of n words and a NULL after them, in one block (free()
 * releases it), for parsers that take char **; NULL when out of memory. */
char **sweep_argv_dup(const char *const *words, size_t n);

/* Check every value as a `neurotop train` option would (each key's values
 * one by one, naming the line at fault), then every task's whole set of
 * options (naming the task). ST_EINVAL with "file:LINE: ..." or
 * "file: task I (label): ...". */
Status sweep_spec_check(const SweepSpec *s, const char *file, char *msg);

/* `neurotop sweep`: returns the exit code (0, 1 failure, 2 bad input, 130
 * interrupted). */
int cli_sweep_main(int argc, char **argv);

#endif
