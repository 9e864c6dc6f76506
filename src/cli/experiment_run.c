#include "neurotop/cli/experiment_run.h"

#include <stdlib.h>

int cli_experiment_open(Status st, char *msg, int help, void (*usage)(FILE *f), char **rest, int n_rest,
                        Status (*adjust)(RunOptions *o, char *msg), RunOptions *o, Session *s)
{
    if (!st && !help)
        st = options_parse(n_rest, rest, 1, o, 1, msg);
    free(rest);
    if (help && !st) {
        usage(stdout);
        return 0;
    }
    if (!st && adjust)
        st = adjust(o, msg);
    if (!st)
        st = options_finish(o, msg);
    if (st) {
        fprintf(stderr, "neurotop experiment: %s\n", msg);
        return 2;
    }
    if ((st = session_open(s, o, msg))) {
        fprintf(stderr, "neurotop experiment: %s\n", msg);
        return status_exit_code(st);
    }
    return -1;
}
