/* `neurotop metrics`: the keys of metrics.jsonl with their meaning, unit
 * and producer, as the Markdown table the README carries. */
#include <stdio.h>
#include <string.h>

#include "neurotop/cli/commands.h"
#include "neurotop/run/metrics.h"

int cli_metrics_main(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: neurotop metrics\n\n"
               "Prints the keys of a run's metrics.jsonl as a Markdown table: meaning, unit and\n"
               "the source file that sets each. BLOCK stands for a weight block (alpha, beta, ...),\n"
               "LAYER for a hidden layer (hl1, hl2, ...).\n");
        return 0;
    }
    if (argc > 1) {
        fprintf(stderr, "neurotop metrics: unexpected argument '%s' (see --help).\n", argv[1]);
        return 2;
    }
    StrBuf out;
    strbuf_init(&out);
    metric_table_markdown(&out);
    int failed = strbuf_failed(&out);
    if (!failed)
        fputs(strbuf_cstr(&out), stdout);
    strbuf_done(&out);
    if (failed) {
        fprintf(stderr, "neurotop metrics: out of memory.\n");
        return 1;
    }
    return 0;
}
