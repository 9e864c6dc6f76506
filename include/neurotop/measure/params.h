#ifndef NEUROTOP_MEASURE_PARAMS_H
#define NEUROTOP_MEASURE_PARAMS_H

/* The parameters of the analyses, in one table. `neurotop analyze KIND
 * --name VALUE ...` and the `:` commands of the TUI read them with the same
 * names, types, limits and (per analysis) defaults, so an analysis behaves
 * alike from both. In a `:` command a parameter is given by its position
 * (`:louvain 20 1.5 sym`), by `--name VALUE`, or, for a switch, by its bare
 * name (`hidden`, `--regress-mean`); a method by its bare name too
 * (`:consensus 500 leiden iterate`).
 *
 * Adding a parameter: one PARAM_LIST line and its field in AnalysisArgs.
 * Each analysis lists the parameters it takes (ParamUse) in analyses.c. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/analysis/community.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/core/status.h"
#include "neurotop/data/dataset.h"
#include "neurotop/measure/metrics_info.h"
#include "neurotop/run/epochs.h"
#include "neurotop/run/replay.h"
#include "neurotop/run/store.h"

typedef enum {
    PARAM_TYPE_WHOLE = 0, /* a whole number in [lo, hi] */
    PARAM_TYPE_REAL,      /* a finite real in [lo, hi] */
    PARAM_TYPE_SIGN,      /* none | sym | asym (ModSign) */
    PARAM_TYPE_SWITCH,    /* present or not */
    PARAM_TYPE_LAYER,     /* a hidden layer 1..: "1", "2", ... or "all" (0) */
    PARAM_TYPE_WORD,      /* one of a list of words (ParamUse.words) */
    PARAM_TYPE_FILE       /* a path (analyze inputs) */
} ParamType;

/* X(ID, name, type, lo, hi, metavar, help) — name is the `--name` of
 * analyze and of `:` commands; metavar names the value in usage lines. */
#define PARAM_LIST(X)                                                                              \
    X(REPS, "reps", PARAM_TYPE_WHOLE, 1, 1000000, "R", "Louvain runs, the best reported")           \
    X(GAMMA, "gamma", PARAM_TYPE_REAL, 0, 1e6, "GAMMA", "resolution of the null model")                \
    X(SIGNED, "signed", PARAM_TYPE_SIGN, 0, 0, "asym|sym|none", "how negative weights enter the modularity matrix") \
    X(HIDDEN, "hidden", PARAM_TYPE_SWITCH, 0, 0, "hidden", "the hidden subgraph (every layer but the input)") \
    X(CONSENSUS, "consensus", PARAM_TYPE_SWITCH, 0, 0, "consensus", "a consensus partition of the runs") \
    X(OMEGA, "omega", PARAM_TYPE_REAL, 0, 1e6, "OMEGA", "coupling between consecutive layers or windows") \
    X(THRESHOLD, "threshold", PARAM_TYPE_REAL, 0, 1e300, "THETA", "an edge needs |w| > THETA")         \
    X(RIDGE, "ridge", PARAM_TYPE_REAL, 0, 1e300, "E", "ridge added to the covariance diagonal")         \
    X(STANDARDIZE, "standardize", PARAM_TYPE_SWITCH, 0, 0, "standardize", "scale every column to unit variance") \
    X(PERMS, "perms", PARAM_TYPE_WHOLE, 1, 100000000, "PERMS", "permutations of the test")              \
    X(ALPHA, "alpha", PARAM_TYPE_REAL, 1e-9, 0.49, "ALPHA", "significance level of each test")      \
    X(SEED, "seed", PARAM_TYPE_WHOLE, 0, 1.8446744073709552e19, "S", "seed of every random choice")    \
    X(LAYER, "layer", PARAM_TYPE_LAYER, 1, 6, "1|2|all", "hidden layer (all: every hidden layer)")      \
    X(WINDOWS, "windows", PARAM_TYPE_WHOLE, 2, 1000, "L", "slices: epochs or windows of the probe")    \
    X(SLICES, "slices", PARAM_TYPE_WORD, 0, 0, "epochs|probe", "what the slices are (default: by the kind)") \
    X(REGRESS_MEAN, "regress-mean", PARAM_TYPE_SWITCH, 0, 0, "--regress-mean",                          \
      "regress the mean activation out of every unit first")                                       \
    X(CLASS, "class", PARAM_TYPE_WHOLE, 0, 65535, "CLASS", "a class (output unit)")                     \
    X(FROM, "from", PARAM_TYPE_WHOLE, 0, 100000000, "FROM", "first epoch")                             \
    X(TO, "to", PARAM_TYPE_WHOLE, 0, 100000000, "TO", "last epoch (default: the shown one)")           \
    X(MAP1, "map1", PARAM_TYPE_WORD, 0, 0, "MAP1", "first pixel map")                                         \
    X(MAP2, "map2", PARAM_TYPE_WORD, 0, 0, "MAP2", "second pixel map")                                        \
    X(STEPS, "steps", PARAM_TYPE_WHOLE, 1, 100000, "STEPS", "Gibbs steps of the sampler")              \
    X(CLUSTERS, "clusters", PARAM_TYPE_WHOLE, 1, 100000, "K", "groups the tree is cut into")             \
    X(MATRIX, "matrix", PARAM_TYPE_FILE, 0, 0, "FILE", "a matrix (CSV or .npy)")                       \
    X(PARTITION, "partition", PARAM_TYPE_FILE, 0, 0, "FILE", "a partition, one label per line")        \
    X(PARTITIONS, "partitions", PARAM_TYPE_FILE, 0, 0, "FILE", "a multilayer partition (N x T CSV)")   \
    X(LAYERS, "layers", PARAM_TYPE_FILE, 0, 0, "F1,F2,...", "one square matrix per layer")             \
    X(IMAGES, "images", PARAM_TYPE_FILE, 0, 0, "FILE", "IDX images (raw or .gz)")                     \
    X(LABELS, "labels", PARAM_TYPE_FILE, 0, 0, "FILE", "IDX labels (raw or .gz)")                     \
    X(A, "a", PARAM_TYPE_FILE, 0, 0, "FILE", "first matrix")                                           \
    X(B, "b", PARAM_TYPE_FILE, 0, 0, "FILE", "second matrix")                                          \
    X(COST, "cost", PARAM_TYPE_FILE, 0, 0, "FILE", "a square cost matrix")                            \
    X(METHOD, "method", PARAM_TYPE_WORD, 0, 0, "louvain|leiden", "community detection: Louvain (default) or Leiden") \
    X(ITERATE, "iterate", PARAM_TYPE_SWITCH, 0, 0, "iterate", "re-run from the last partition until Q stops rising") \
    X(RANDOM_MOVES, "random-moves", PARAM_TYPE_SWITCH, 0, 0, "random-moves",                          \
      "move a node to a random improving module, not the best")                                    \
    X(POINTS, "points", PARAM_TYPE_FILE, 0, 0, "FILE", "a point cloud, one point a row (CSV or .npy)") \
    X(FILTER, "filter", PARAM_TYPE_WORD, 0, 0, "norm|time|pca1|pca2|pca3", "Mapper filter: L2 norm (default), time, or 1-3 PCs") \
    X(TIME_COLUMN, "time-column", PARAM_TYPE_WHOLE, 0, 1000000, "K", "column K (from 0) is each point's time, not a coordinate") \
    X(INTERVALS, "intervals", PARAM_TYPE_WHOLE, 1, 10000, "N", "cover intervals per filter dimension")  \
    X(OVERLAP, "overlap", PARAM_TYPE_REAL, 0, 1, "P", "fraction of its length an interval shares with the next, in [0, 1)") \
    X(CLUSTER, "cluster", PARAM_TYPE_WORD, 0, 0, "single|dbscan", "clustering of each pre-image (default single linkage)")      \
    X(EPS, "eps", PARAM_TYPE_REAL, 0, 1e300, "EPS", "absolute linkage distance (default: 5% of the largest norm)") \
    X(MIN_SAMPLES, "min-samples", PARAM_TYPE_WHOLE, 1, 1000000, "M", "DBSCAN: points within eps of a core point") \
    X(DOT, "dot", PARAM_TYPE_FILE, 0, 0, "FILE", "also write the graph as Graphviz DOT")              \
    X(THIS_EPOCH, "this-epoch", PARAM_TYPE_SWITCH, 0, 0, "this-epoch",                                 \
      "the shown epoch's weight vectors, not the recorded trajectories") \
    X(STIMULUS, "stimulus", PARAM_TYPE_WORD, 0, 0, "STIMULUS", "stimulus set (GAUSSIAN, MNIST, trMNIST, IMPULSE, IMPULSE*, CONSTANT, offGAUSSIAN, MIXED)") \
    X(N_IMAGES, "n-images", PARAM_TYPE_WHOLE, 2, 100000, "IMAGES", "stimulus images (IMPULSE has 2 per pixel whatever is asked)")

typedef enum {
#define PARAM_ENUM(id, name, type, lo, hi, meta, help) PARAM_##id,
    PARAM_LIST(PARAM_ENUM)
#undef PARAM_ENUM
        PARAM_COUNT
} ParamId;

/* The PARAM_LIST row of a parameter. */
typedef struct {
    ParamId id;
    const char *name;
    ParamType type;
    double lo, hi;
    const char *metavar;
    const char *help;
} ParamInfo;

const ParamInfo *param_info(ParamId id);

/* How one analysis takes a parameter. */
typedef struct {
    ParamId id;
    double def;       /* default of a number, a switch (0/1), a sign (ModSign) or a layer */
    int pos;          /* 1-based position among a `:` command's words; 0 = by name only */
    int required;     /* must be given where it applies (analyze: file inputs; `:corr`: its maps) */
    int on;           /* where it applies: PARAM_ON_EITHER, _FILES or _SNAPSHOT (file
                         inputs always apply to files only) */
    const char *const *words; /* PARAM_TYPE_WORD: the allowed words, NULL-terminated */
} ParamUse;

enum { PARAM_ON_EITHER = 0, PARAM_ON_FILES, PARAM_ON_SNAPSHOT };

/* 1 when the use applies to an analysis of a snapshot (on_snapshot 1) or
 * of files (0). */
int param_applies(const ParamUse *use, int on_snapshot);

/* Everything an analysis is asked to do: the parameters (set by
 * params_defaults and the parsers below) and where it finds what is not
 * in the snapshot it runs on (all borrowed, each may be NULL). */
typedef struct {
    uint64_t given;   /* bit (1 << ParamId) per parameter the user gave */
    long reps;
    double gamma;
    ModSign sign;
    int hidden;       /* 1: the hidden subgraph instead of the whole weight graph */
    int consensus;
    double omega;
    double theta;     /* degree threshold */
    double ridge;
    int standardize;
    long perms;
    double alpha;     /* significance level (phases) */
    uint64_t seed;
    int layer;        /* hidden layer h (HL h), 0 = every hidden layer */
    long windows;
    int regress_mean;
    int cls;          /* -1 = none */
    long epoch_from, epoch_to; /* -1 = default (0, the shown epoch) */
    long steps;       /* Gibbs steps (:dream) */
    long clusters;    /* groups of a cut tree (:rfclusters) */
    char map1[16], map2[16];
    char slices[16];  /* "epochs", "probe" or "" (by the model kind) */
    CommunityMethod method; /* --method: the optimiser of every partition */
    int iterate;      /* --iterate: GenLouvain's iterated scheme */
    int random_moves; /* --random-moves: GenLouvain's 'moverand' */
    char filter[16];  /* Mapper: "norm", "time", "pca1".."pca3" */
    char cluster[16]; /* Mapper: "single" or "dbscan" */
    long time_column; /* Mapper: -1 = none */
    long intervals;
    double overlap;
    double eps;       /* Mapper: 0 = 5% of the largest norm of the points */
    long min_samples;
    int this_epoch;   /* Mapper: one epoch's vectors even when trajectories were recorded */
    char stimulus[16]; /* :localize: a stimulus set name (data/stimuli.h) */
    long n_images;     /* :localize: images in the set */
    const char *files[PARAM_COUNT]; /* PARAM_TYPE_FILE values (borrowed from argv) */

    /* Context. */
    uint64_t run_seed;    /* the run's seed: the default seed of an analysis of its snapshots */
    const int *partition; /* the latest :louvain/:consensus partition, borrowed for the job's life */
    size_t n_nodes;
    size_t partition_epoch;     /* the epoch it was computed on */
    int partition_part;         /* the part of the weight graph (GraphPart) */
    char partition_source[64];  /* the command that made it (":consensus 500 hidden") */
    Store *store;         /* the live run's ring and series */
    Replay *replay;       /* a replayed run */
    EpochLookup *epochs;  /* the session's lookup of other epochs */
    const char *run_dir;
    const Dataset *data;
    PixelInfo *pixel_info;
} AnalysisArgs;

/* The optimiser a names (--method, --iterate, --random-moves). */
CommunityAlgo params_algo(const AnalysisArgs *a);

/* The words of --method, NULL-terminated. */
extern const char *const PARAM_METHOD_WORDS[];
/* The stimulus sets of :localize, NULL-terminated. */
extern const char *const PARAM_STIMULUS_WORDS[];

/* The value of a number, sign, switch or layer parameter in a (as
 * params_defaults and the parsers store it; a sign is its ModSign). */
double params_number(const AnalysisArgs *a, ParamId id);

/* Parameter defaults of an analysis: everything at its table default, then
 * the uses' own defaults. Context fields are zero. */
void params_defaults(const ParamUse *uses, size_t n_uses, AnalysisArgs *a);

/* `analyze KIND` options: argv[0..argc) as `--name VALUE` (switches take
 * no value), for an analysis of files or (on_snapshot 1) of an epoch of a
 * run; an option the analysis does not take or that does not apply to that
 * input, a missing value, a value out of range or a missing required
 * option gives ST_EINVAL with one sentence. Starts from params_defaults. */
Status params_parse_options(const ParamUse *uses, size_t n_uses, int on_snapshot, int argc,
                            const char *const *argv, AnalysisArgs *a, char *msg);

/* A `:` command's words argv[1..argc) (argv[0] is the command): switches by
 * bare name or --name anywhere, `--name VALUE` anywhere, the other words
 * in the uses' positions. Updates a (call params_defaults first). */
Status params_parse_words(const char *command, const ParamUse *uses, size_t n_uses, int argc,
                          const char *const *argv, AnalysisArgs *a, char *msg);

/* The `:` usage line, e.g. "louvain [R] [GAMMA] [asym|sym|none] [hidden]". */
void params_usage(const char *command, const ParamUse *uses, size_t n_uses, char *buf, size_t cap);

/* After parsing: a seed the user did not give becomes the run's seed
 * (a->run_seed; 0 for files), so an analysis of a recorded epoch draws the
 * same random choices from the TUI and from `analyze`. */
void params_finish(AnalysisArgs *a);

#endif
