#ifndef NEUROTOP_CLI_CONFIG_H
#define NEUROTOP_CLI_CONFIG_H

/* The user's configuration file, $XDG_CONFIG_HOME/neurotop/config (default
 * ~/.config/neurotop/config): defaults for some options of `tui`, `train`
 * and `replay`, as `key = value` lines. Blank lines and lines starting with
 * '#' are skipped, and " #" starts a comment after a value. The keys are
 * option names without their dashes (CONFIG_KEYS); each value is checked
 * as the option's would be, and the command line takes precedence.
 * `experiment` ignores the file: its defaults are the papers' settings. */

#include <stddef.h>

#include "neurotop/cli/options.h"
#include "neurotop/core/status.h"

/* The keys, in the order `neurotop --help` and the manual list them. */
#define CONFIG_KEYS "theme, runs, qreps, flexreps, fc-windows, save-every"

#define CONFIG_MAX_ENTRIES 32
#define CONFIG_KEY_LEN 16
#define CONFIG_VALUE_LEN 1024
#define CONFIG_PATH_LEN 1024
#define CONFIG_FILE_MAX (64 * 1024)

typedef struct {
    char key[CONFIG_KEY_LEN];     /* "qreps" */
    char value[CONFIG_VALUE_LEN]; /* "5"; a leading ~/ is expanded with $HOME */
    int line;                     /* 1-based line in the file */
} ConfigEntry;

typedef struct {
    char path[CONFIG_PATH_LEN]; /* the file read, "" when none */
    size_t n;
    ConfigEntry e[CONFIG_MAX_ENTRIES]; /* one per key: a later line replaces an earlier one */
} UserConfig;

/* The file's path from $XDG_CONFIG_HOME (absolute values only, as the XDG
 * specification says) or $HOME; "" when neither names a folder. */
void config_default_path(char *out, size_t cap);

/* Parse the text of a configuration file named `file` (for messages) into
 * *c. Every value is checked as its option's (numbers by core/numparse.h).
 * A bad line gives ST_EINVAL and one sentence "FILE:LINE: ..."; *c is then
 * empty. O(text length). */
Status config_parse(const char *text, const char *file, UserConfig *c, char *msg);

/* Read and parse the file at config_default_path. A missing file (or no
 * HOME) is an empty configuration, not an error; a file that cannot be
 * read or holds a bad line gives ST_EINVAL with one sentence naming it. */
Status config_load(UserConfig *c, char *msg);

/* config_load, except that a command line asking for help (--help, -h in
 * argv[1..argc)) gets an empty configuration: help never fails on a bad file. */
Status config_load_unless_help(int argc, char **argv, UserConfig *c, char *msg);

/* The value of key, or NULL when the file does not set it; *line (may be
 * NULL) gets its line. */
const char *config_get(const UserConfig *c, const char *key, int *line);

/* Set the options the file gives in *o, as if they came first on the
 * command line (so the command line, parsed afterwards, wins). Values point
 * into *c, which must outlive *o. */
Status config_apply(UserConfig *c, RunOptions *o, char *msg);

/* The run options of `neurotop` and `neurotop train`: the file's settings
 * (config_load_unless_help, config_apply), then the command line
 * (options_parse with `headless`), then options_finish unless help was
 * asked for. *o starts from its defaults (options_defaults); *c must
 * outlive it. */
Status config_read_run_options(int argc, char **argv, int headless, UserConfig *c, RunOptions *o, char *msg);

#endif
