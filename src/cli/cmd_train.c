/* `neurotop train --headless`: the same trainer as the TUI, one line per
 * epoch on stdout, the run directory on disk. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "neurotop/cli/commands.h"
#include "neurotop/cli/config.h"
#include "neurotop/cli/instances.h"
#include "neurotop/cli/session.h"

static void print_epoch(const Snapshot *s, void *ctx)
{
    (void)ctx;
    double rate = snapshot_metric(s, "examples_per_sec");
    /* An unsupervised kind has a reconstruction error instead of accuracy. */
    if (isnan(s->eval.accuracy) && isfinite(s->eval.recon))
        printf("epoch %4zu  test_recon %.4f  train_loss %s", s->epoch, s->eval.recon,
               isfinite(s->train_loss) ? "" : "     -");
    else
        printf("epoch %4zu  test_acc %.4f  test_loss %.4f  train_loss %s", s->epoch,
               s->eval.accuracy, s->eval.loss, isfinite(s->train_loss) ? "" : "     -");
    if (isfinite(s->train_loss))
        printf("%.4f", s->train_loss);
    if (isfinite(rate))
        printf("  %7.0f ex/s  %6.2f s", rate, s->seconds);
    double tpr = snapshot_metric(s, "tpr"), lambda = snapshot_metric(s, "lambda");
    if (isfinite(tpr))
        printf("  tpr %.3f fpr %.3f", tpr, snapshot_metric(s, "fpr"));
    if (isfinite(lambda))
        printf("  lambda %.3f eta %+.3f", lambda, snapshot_metric(s, "eta"));
    double q = snapshot_metric(s, "q_whole");
    if (isfinite(q))
        printf("  Q %.4f  Q_hidden %.4f", q, snapshot_metric(s, "q_hidden"));
    printf("\n");
    fflush(stdout);
}

int cli_train_main(int argc, char **argv)
{
    RunOptions o;
    options_defaults(&o, 20);
    char msg[STATUS_MSG_LEN] = "";
    /* The configuration file first, so the command line overrides it. */
    static UserConfig config;
    Status st = config_read_run_options(argc, argv, 1, &config, &o, msg);
    if (st) {
        fprintf(stderr, "neurotop train: %s\n", msg);
        return 2;
    }
    if (o.help) {
        printf("usage: neurotop train --headless [options]\n\n"
               "Trains without a terminal UI: prints one line per epoch and writes the run\n"
               "directory (run.json, metrics.jsonl, snapshots/) under --runs.\n\n"
               "Options:\n%s"
               "  --headless       required: no terminal UI\n\n"
               "Defaults for runs, qreps, flexreps, fc-windows and save-every can be set in\n"
               "$XDG_CONFIG_HOME/neurotop/config (~/.config/neurotop/config).\n",
               options_help());
        return 0;
    }
    if (!o.headless) {
        fprintf(stderr, "neurotop train: add --headless (or use `neurotop tui` for the live view).\n");
        return 2;
    }
    /* --epochs 0 trains until a signal, as the help says; a batch of
     * instances needs an end to write its summary. */
    if (o.epochs == 0 && (o.instances || o.jobs)) {
        fprintf(stderr, "neurotop train: --instances needs --epochs of at least 1 (0 would never end).\n");
        return 2;
    }
    if (o.resume && (o.instances || o.jobs)) {
        fprintf(stderr, "neurotop train: --resume goes on with one run, not --instances.\n");
        return 2;
    }
    if (o.instances || o.jobs)
        return instances_main(&o);
    Session s;
    st = session_open(&s, &o, msg);
    if (st) {
        fprintf(stderr, "neurotop train: %s\n", msg);
        return status_exit_code(st);
    }
    if (o.resume) {
        Snapshot *last = store_latest(s.store);
        size_t from = last ? last->epoch : 0, limit = control_get_epochs(&s.control);
        snapshot_release(last);
        if (limit && limit <= from) {
            fprintf(stderr, "neurotop train: %s already has its %zu epochs: give --epochs N (more than %zu) to "
                            "train on.\n", o.resume, from, from);
            session_close(&s);
            return 2;
        }
        printf("run directory: %s (resumed after epoch %zu)\n", rundir_path(s.rundir), from);
    } else
        printf("run directory: %s\n", rundir_path(s.rundir));
    fflush(stdout);
    trainer_on_epoch(s.trainer, print_epoch, NULL);
    int stopping = 0;
    st = session_run_headless(&s, &stopping, msg);
    int code = 0;
    if (st) {
        fprintf(stderr, "neurotop train: %s\n", msg);
        code = status_exit_code(st);
    } else if (stopping) {
        fprintf(stderr, "neurotop train: stopped by a signal; the run directory is complete up to the last epoch.\n");
        code = 130;
    }
    session_close(&s);
    return code;
}
