#ifndef NEUROTOP_CLI_COMMANDS_H
#define NEUROTOP_CLI_COMMANDS_H

/* Sub-command entry points. argv[0] is the command name. Each returns the
 * process exit code: 0 ok, 2 bad input or usage, 1 internal failure. */

#include <stddef.h>
#include <stdio.h>

#define NEUROTOP_VERSION "0.1.0"

/* One sub-command: `neurotop NAME ...` runs run(argc, argv) with argv[0]
 * the command's name. */
typedef struct {
    const char *name;
    const char *help; /* one line for `neurotop --help` */
    int (*run)(int argc, char **argv);
} CliCommand;

/* Every sub-command in help order: main dispatches through this table, the
 * usage text and the shell completions list it, so they cannot disagree. */
extern const CliCommand cli_commands[];
extern const size_t cli_command_count;
/* By name; NULL when unknown. */
const CliCommand *cli_command_find(const char *name);
/* The top-level usage text (`neurotop --help`). */
void cli_print_usage(FILE *f);

/* The experiments of `neurotop experiment NAME`, NULL-terminated. */
extern const char *const cli_experiment_names[];

/* skip_name: 1 when argv[0] is the "tui" word, 0 when argv[0] is the program
 * (plain `neurotop [options]`). */
int cli_tui_main(int argc, char **argv, int skip_name);
int cli_train_main(int argc, char **argv);
int cli_replay_main(int argc, char **argv);
/* Messages for the next replay view's message line: its follower calls
 * next(ctx, buf, cap) twice a second until it returns 0 (neurotop watch
 * reports skipped steps this way). next must be thread-safe. */
void cli_replay_relay_messages(int (*next)(void *ctx, char *buf, size_t cap), void *ctx);
/* `neurotop check RUN_DIR`: 0 and a summary line when the run is sound,
 * 2 and one line per problem when it is damaged or not a run. */
int cli_check_main(int argc, char **argv);
/* `neurotop cohort DIR...`: many runs compared, in a view or --headless. */
int cli_cohort_main(int argc, char **argv);
/* `neurotop watch DIR`: a run recorded by another framework, followed. */
int cli_watch_main(int argc, char **argv);
int cli_experiment_main(int argc, char **argv);
int cli_metrics_main(int argc, char **argv);
/* `neurotop --version`: the version and the libraries it runs with
 * (ncurses, OpenBLAS with its core type and threads, zlib). */
int cli_version_main(int argc, char **argv);
/* `neurotop --complete -- WORD...` (hidden, for the shell completions):
 * the candidates for the word after WORD... (the words after `neurotop`),
 * one a line; "@files" / "@dirs" ask the shell to add file or folder names.
 * Options come from the commands' own --help texts, names from the tables
 * (commands, analyses, experiments, model kinds, themes, sample runs). */
int cli_complete_main(int argc, char **argv);

#endif
