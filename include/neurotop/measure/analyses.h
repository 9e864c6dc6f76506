#ifndef NEUROTOP_MEASURE_ANALYSES_H
#define NEUROTOP_MEASURE_ANALYSES_H

/* The table of analyses: each is one implementation, reached from
 * `neurotop analyze NAME` and from the TUI's `:COMMAND` with the same
 * parameters (params.h), defaults, limits and JSON.
 *
 * An analysis runs on a snapshot (the shown epoch in the TUI, or
 * `analyze NAME --run DIR [--epoch E]`) or, for those that take files, on
 * the files named by its options (`analyze louvain --matrix W.csv`). It
 * fills a JobResult: the JSON document (what `analyze` prints and the TUI
 * saves under the run's analyses/), and for the screen its text, maps and
 * plots. On a snapshot the JSON starts with the epoch and, for the weight
 * graph, the part of it analysed, so `analyze NAME --run DIR --epoch E`
 * prints exactly what `:NAME` saves for epoch E. */

#include <stddef.h>

#include "neurotop/measure/jobs.h"
#include "neurotop/measure/params.h"

enum {
    ANALYSIS_ON_SNAPSHOT = 1 << 0, /* runs on a snapshot: a `:` command, `analyze --run` */
    ANALYSIS_ON_FILES = 1 << 1,    /* runs on the files of its options */
    ANALYSIS_PARTITION = 1 << 2    /* the TUI hands it the latest :louvain/:consensus partition */
};

typedef struct {
    const char *name;     /* the analyze KIND ("louvain") */
    const char *command;  /* the `:` command ("louvain", "flex"), NULL when none */
    unsigned flags;
    const ParamUse *uses;
    size_t n_uses;
    JobFn run;            /* s is NULL when the analysis runs on files */
    const char *help;     /* one line */
} AnalysisSpec;

/* The table, in help order. */
extern const AnalysisSpec analysis_specs[];
extern const size_t analysis_spec_count;

/* By analyze KIND, or by `:` command; NULL when unknown. */
const AnalysisSpec *analysis_find(const char *name);
const AnalysisSpec *analysis_find_command(const char *command);

/* The words an analysis's WORD parameter takes (for Tab completion), or
 * NULL. */
const char *const *analysis_words(const AnalysisSpec *spec, ParamId id);

/* The rules that follow from the input, applied alike for `analyze` and
 * `:` commands once the parameters are parsed: the run's seed unless
 * --seed was given (params_finish), the signed asymmetric modularity on a
 * snapshot's weight graph unless --signed was given, the consensus switch
 * of the consensus analysis, and 500 runs for a consensus unless --reps
 * was given. */
void analysis_args_finish(const AnalysisSpec *spec, AnalysisArgs *a, int on_snapshot);

/* The defaults of the analysis named `name` (a KIND or a `:` command) for
 * a snapshot, as a `:` command without arguments would run it (the seed
 * is 0): for tests and scripts. Unknown names give the generic defaults. */
void analysis_args_init(const char *name, AnalysisArgs *a);

/* Run an analysis here and now (no worker thread, no progress): on the
 * snapshot s, or on files when s is NULL. *out is caller-owned
 * (job_result_free). */
Status analysis_run_now(const AnalysisSpec *spec, const Snapshot *s, const AnalysisArgs *a,
                        JobResult **out, char *msg);

/* The parameters of an analysis of a snapshot as one JSON object, every
 * parameter of the spec that applies to a snapshot in table order with its
 * value (given or default; file inputs left out; a negative epoch or class
 * is null, layer 0 is "all"; method and iterate only when they are not
 * louvain and off, so results saved before those options existed keep their
 * names): {"reps":10,"gamma":1,"signed":"asym",...}. The same arguments give the same text, so it names a saved result. */
void analysis_args_json(const AnalysisSpec *spec, const AnalysisArgs *a, StrBuf *out);

/* Close the JSON object in json with "args": args_json (a JSON object)
 * as its last key, as `analyze KIND --run` prints and :KIND saves it.
 * ST_EINVAL when json is not an object, ST_ENOMEM. */
Status analysis_json_append_args(StrBuf *json, const char *args_json, char *msg);

#endif
