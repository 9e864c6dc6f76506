#ifndef NEUROTOP_MEASURE_JOBS_H
#define NEUROTOP_MEASURE_JOBS_H

/* Deep analyses typed at the `:` line run here, one at a time, on a worker
 * thread: each job reads one snapshot, reports progress (0..1), checks a
 * cancel flag, and leaves a JobResult (text, optional 2-D maps, optional
 * partition) that the UI shows and that is saved as JSON where the caller
 * says (the run's analyses/ or the per-user cache, run/rundir.h). A new
 * epoch never waits for a job. */

#include <stddef.h>

#include "neurotop/analysis/modmatrix.h"
#include "neurotop/core/json.h"
#include "neurotop/core/status.h"
#include "neurotop/core/strbuf.h"
#include "neurotop/data/dataset.h"
#include "neurotop/measure/metrics_info.h"
#include "neurotop/measure/params.h"
#include "neurotop/run/epochs.h"
#include "neurotop/run/replay.h"
#include "neurotop/run/rundir.h"
#include "neurotop/run/snapshot.h"
#include "neurotop/run/store.h"

#define JOB_MAX_MAPS 4
#define JOB_NAME_LEN 32

/* A 2-D picture of a result (e.g. participation coefficient over the 28×28
 * input pixels). */
typedef struct {
    char label[48];
    size_t rows, cols;
    double *v;     /* rows × cols, owned */
    int diverging; /* 1: signed values around 0 */
} JobMap;

/* A plot of a result: a scatter of classed points (e.g. a PCA projection
 * coloured by digit) or up to JOB_PLOT_MAX_SERIES curves over a shared x
 * (e.g. a series over epochs), with optional shaded x intervals (learning
 * phases). */
#define JOB_MAX_PLOTS 4
#define JOB_PLOT_MAX_SERIES 4
typedef enum { JOB_PLOT_SCATTER = 0, JOB_PLOT_LINES, JOB_PLOT_CLOUD } JobPlotKind;

typedef struct {
    char label[48];
    JobPlotKind kind;
    size_t n;              /* points (per curve) */
    size_t n_series;       /* LINES: 1..JOB_PLOT_MAX_SERIES curves; SCATTER: 1 */
    double *x;             /* n, owned */
    double *y;             /* n_series × n, owned (curve k at y + k*n) */
    int *cls;              /* SCATTER, CLOUD: class of each point (owned, may be NULL) */
    double *z;             /* CLOUD: the third coordinate (owned); the UI rotates the points */
    double range[3][2];    /* LINES: x interval of phase 1..3 to shade; NaN = none */
    char names[JOB_PLOT_MAX_SERIES][16]; /* LINES: legend name of each curve ("" = none) */
} JobPlot;

/* Colour in a result's text: JOB_TEXT_MARK then one byte, '0'..'9' for
 * the colour of class k, 'a'..'h' for level k of the heat ramp (low to
 * high), '.' back to plain. The screen draws it; the marks take no cell. */
#define JOB_TEXT_MARK '\x01'
#define JOB_TEXT_HEAT_LEVELS 8

typedef struct {
    char name[JOB_NAME_LEN]; /* "louvain" */
    size_t epoch;            /* snapshot the job ran on */
    StrBuf text;             /* lines for the screen */
    StrBuf json;             /* the saved JSON document */
    size_t n_maps;
    JobMap maps[JOB_MAX_MAPS];
    size_t n_plots;
    JobPlot plots[JOB_MAX_PLOTS];
    int *partition;          /* optional: a partition of the weight graph's nodes, owned */
    size_t n_nodes;
    char saved[1280];        /* where the JSON went ("" when not saved) */
    int reused;              /* 1: read back from a saved result, not computed */
    Status status;
    char message[STATUS_MSG_LEN];
} JobResult;

void job_result_free(JobResult *r);

/* The context keys that open the JSON of an analysis of a snapshot, into
 * the open object of w: "epoch", then "graph" ("whole" | "hidden") when
 * part is a GraphPart (JOB_NO_PART: none), then "layer" when layer_name is
 * not NULL (e.g. "HL1+HL2"). Nothing when s is NULL (the analysis ran on
 * files), so the keys after them are the same from both. */
#define JOB_NO_PART (-1)
void job_json_context(JsonWriter *w, const Snapshot *s, int part, const char *layer_name);
/* Add a map (copies v); ignored beyond JOB_MAX_MAPS. */
Status job_result_add_map(JobResult *r, const char *label, const double *v, size_t rows, size_t cols,
                          int diverging);

/* A 3-D point cloud (copies x, y, z and cls) that the result view draws as
 * a scatter the user can rotate. */
Status job_result_add_cloud(JobResult *r, const char *label, const double *x, const double *y,
                            const double *z, const int *cls, size_t n);

/* Add a scatter of n points (copies x, y and cls; cls may be NULL), or a
 * line plot of n_series curves ys[k][0..n) over x. Ignored beyond
 * JOB_MAX_PLOTS (returns ST_OK); ST_ENOMEM. The added plot is the last one,
 * r->plots[r->n_plots - 1], whose phase ranges start as NaN. */
Status job_result_add_scatter(JobResult *r, const char *label, const double *x, const double *y,
                              const int *cls, size_t n);
Status job_result_add_lines(JobResult *r, const char *label, const double *x, const double *const *ys,
                            size_t n_series, size_t n);

/* Where the partition of :roles, :modules or :corr pc|mz came from: the
 * session's latest :louvain/:consensus partition when it was computed on
 * the same epoch and part of the weight graph, else one the job computes. */
typedef struct {
    size_t epoch;
    int part;         /* GraphPart */
    int latest;       /* 1: the session's latest partition */
    char source[96];  /* ":consensus 500 hidden" or "best of 10 Louvain runs, seed 0" */
    char note[192];   /* why the latest partition was not used, or "" */
} JobPartitionInfo;

/* 1 when args->partition (n_nodes labels) was computed on s's epoch and on
 * `part` of its weight graph, which has n nodes; else 0, with the reason in
 * info->note when there was a partition. Fills info->epoch and part. */
int job_partition_pick(const AnalysisArgs *args, const Snapshot *s, int part, size_t n,
                       JobPartitionInfo *info);
/* info->source for a partition the job computed itself: the best of reps
 * Louvain runs with seed. */
void job_partition_own(JobPartitionInfo *info, size_t reps, uint64_t seed);
/* "partition": {"epoch", "graph", "source"} into the open object of w
 * (the note stays on the screen: `analyze` has no latest partition). */
void job_json_partition(JsonWriter *w, const JobPartitionInfo *info);
/* One line for the screen: "partition: <source> · epoch E · <part>"
 * and, when set, the note on a second line. */
void job_partition_text(const JobPartitionInfo *info, StrBuf *text);

typedef struct Job Job;
/* A job body: fill `out` from the snapshot (NULL when the analysis runs on
 * files). job is NULL when the analysis runs without a worker thread
 * (`analyze`): job_set_progress and job_cancel_flag accept NULL. Poll the
 * cancel flag in long loops. */
typedef Status (*JobFn)(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

/* For job bodies. */
void job_set_progress(Job *job, double frac);
const volatile int *job_cancel_flag(Job *job);

typedef enum { JOB_IDLE = 0, JOB_RUNNING, JOB_FINISHED } JobState;

typedef struct JobRunner JobRunner;

/* store: woken on progress and completion (borrowed). */
Status jobrunner_new(Store *store, JobRunner **out, char *msg);
/* Cancels a running job, waits for it, frees. NULL is safe. */
void jobrunner_free(JobRunner *jr);

/* Start a job on snapshot s (retained for the job's life). ST_EINVAL when a
 * job is already running. args is copied (its partition must outlive the job). */
Status jobrunner_submit(JobRunner *jr, const char *name, JobFn fn, const AnalysisArgs *args, Snapshot *s,
                        char *msg);
/* The same, and when the job succeeds: "args": args_json closes its JSON
 * (analysis_json_append_args; args_json may be NULL) and, when save_base is
 * not NULL, the result is saved as save_base.json (what `analyze KIND --run`
 * prints) and save_base.view (its screen, for job_result_load_saved); the
 * folder is created. A result that cannot be saved is still shown. */
Status jobrunner_submit_saved(JobRunner *jr, const char *name, JobFn fn, const AnalysisArgs *args, Snapshot *s,
                              const char *args_json, const char *save_base, char *msg);

/* ---- saved results ---------------------------------------------------------
 * A result of :KIND on epoch E is saved as DIR/epoch-EEEEEE-KIND-HHHHHHHH.json
 * with its screen in .view beside it; HHHHHHHH is job_key_hash of the key
 * (the arguments as JSON, plus the partition used, if any), so every
 * distinct setting keeps its own file. */
/* FNV-1a (32 bits) of a NUL-terminated text. */
uint32_t job_key_hash(const char *key);
/* "DIR/epoch-000020-louvain-1a2b3c4d" (no extension) into buf. */
void job_saved_base(const char *dir, size_t epoch, const char *name, const char *key, char *buf, size_t cap);
/* Write r's screen (text, maps, plots, partition; numbers as float32) to
 * path atomically. */
Status job_result_save_view(const JobResult *r, const char *path, char *msg);
/* The result saved as base.json and base.view, with reused = 1 and saved =
 * the JSON's path. ST_ENOTFOUND when base.json does not exist; a missing or
 * damaged view gives its nts error (ST_EIO, ST_EFORMAT): compute again. */
Status job_result_load_saved(const char *base, JobResult **out, char *msg);
void jobrunner_cancel(JobRunner *jr);
/* State, progress 0..1, seconds since start and the running job's name. */
JobState jobrunner_state(JobRunner *jr, double *progress, double *elapsed, char *name, size_t cap);
/* Take a finished job's result (the caller owns it), or NULL. */
JobResult *jobrunner_take_result(JobRunner *jr);

#endif
