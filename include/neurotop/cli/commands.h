#ifndef NEUROTOP_CLI_COMMANDS_H
#define NEUROTOP_CLI_COMMANDS_H

/* Sub-command entry points. argv[0] is the command name. Each returns the
 * process exit code: 0 ok, 2 bad input or usage, 1 internal failure. */

#define NEUROTOP_VERSION "0.1.0"

/* skip_name: 1 when argv[0] is the "tui" word, 0 when argv[0] is the program
 * (plain `neurotop [options]`). */
int cli_tui_main(int argc, char **argv, int skip_name);
int cli_train_main(int argc, char **argv);
int cli_replay_main(int argc, char **argv);
/* `neurotop check RUN_DIR`: 0 and a summary line when the run is sound,
 * 2 and one line per problem when it is damaged or not a run. */
int cli_check_main(int argc, char **argv);
int cli_experiment_main(int argc, char **argv);
int cli_metrics_main(int argc, char **argv);

#endif
