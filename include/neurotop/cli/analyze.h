#ifndef NEUROTOP_CLI_ANALYZE_H
#define NEUROTOP_CLI_ANALYZE_H

/* `neurotop analyze KIND [options]`: one JSON object on stdout, or one
 * sentence on stderr and exit 2 on bad input (METHODS.md). */

#include "neurotop/analysis/modmatrix.h"
#include "neurotop/core/json.h"
#include "neurotop/core/status.h"

/* Options a KIND may accept; the parser rejects any other. */
enum {
    AOPT_MATRIX = 1 << 0,      /* --matrix FILE */
    AOPT_PARTITION = 1 << 1,   /* --partition FILE */
    AOPT_PARTITIONS = 1 << 2,  /* --partitions FILE */
    AOPT_LAYERS = 1 << 3,      /* --layers F1,F2,... */
    AOPT_IMAGES = 1 << 4,      /* --images FILE */
    AOPT_LABELS = 1 << 5,      /* --labels FILE */
    AOPT_A = 1 << 6,           /* --a FILE */
    AOPT_B = 1 << 7,           /* --b FILE */
    AOPT_COST = 1 << 8,        /* --cost FILE */
    AOPT_GAMMA = 1 << 9,       /* --gamma G */
    AOPT_SIGNED = 1 << 10,     /* --signed none|sym|asym */
    AOPT_OMEGA = 1 << 11,      /* --omega W */
    AOPT_THRESHOLD = 1 << 12,  /* --threshold T */
    AOPT_RIDGE = 1 << 13,      /* --ridge E */
    AOPT_REPS = 1 << 14,       /* --reps R */
    AOPT_PERMS = 1 << 15,      /* --perms N */
    AOPT_SEED = 1 << 16,       /* --seed S */
    AOPT_CONSENSUS = 1 << 17,  /* --consensus (flag) */
    AOPT_STANDARDIZE = 1 << 18 /* --standardize (flag) */
};

typedef struct {
    unsigned given; /* AOPT_* bits that appeared on the command line */
    const char *matrix, *partition, *partitions, *layers, *images, *labels, *a, *b, *cost;
    double gamma;     /* default 1 */
    ModSign signed_mode; /* default none */
    double omega;     /* default 1 */
    double threshold; /* default 0 */
    double ridge;     /* default 0 */
    long reps;        /* default 10 */
    long perms;       /* default 10000 */
    unsigned long long seed; /* default 0 */
    int consensus, standardize;
} AnalyzeArgs;

/* A KIND's handler: reads its inputs, writes one JSON object into w.
 * Returns ST_OK, or a Status with one sentence in msg. */
typedef Status (*AnalyzeFn)(const AnalyzeArgs *args, JsonWriter *w, char *msg);

/* Entry point used by main: argv[0] is "analyze". Returns the exit code. */
int analyze_main(int argc, char **argv);

/* Parse options for a KIND that accepts `allowed` and requires `required`.
 * Exposed for tests. */
Status analyze_parse_args(int argc, char **argv, unsigned allowed, unsigned required,
                          AnalyzeArgs *out, char *msg);

#endif
