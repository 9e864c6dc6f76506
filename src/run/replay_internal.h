#ifndef NEUROTOP_RUN_REPLAY_INTERNAL_H
#define NEUROTOP_RUN_REPLAY_INTERNAL_H

/* Shared by replay.c (open, cache, cursor), replay_metrics.c
 * (metrics.jsonl) and replay_load.c (run.json, snapshot files, probe
 * activations). Not a public header. */

#include <pthread.h>

#include "neurotop/run/replay.h"

typedef struct {
    size_t epoch;
    Snapshot *s;
    unsigned long used;
} CacheSlot;

typedef struct {
    size_t *v;
    size_t n, cap;
} SizeList;

struct Replay {
    pthread_mutex_t *mu; /* a pointer, so const readers can lock it */
    char dir[1024];
    ReplayInfo info;
    SeriesTable series;
    SizeList epochs;   /* epochs with a metrics line, ascending */
    SizeList snaps;    /* epochs with a snapshot file, ascending */
    SizeList timeline; /* union of the two */
    ReplayProblem *problems;
    size_t n_problems, cap_problems;
    long metrics_offset;  /* bytes of metrics.jsonl consumed (whole lines) */
    size_t metrics_lines; /* lines consumed */
    size_t trunc_line;    /* line of a reported unfinished last line, 0 if none */
    int owe_newline;      /* the last line was taken before its line break came */
    CacheSlot *cache;
    size_t cache_cap, cache_n;
    unsigned long tick;
    float *probe_x;       /* n_probe × pixels held-out inputs */
    uint8_t *probe_y;
    size_t n_probe, pixels;
    size_t in_rows, in_cols; /* image shape of the attached data */
    const float *held_x;  /* the whole held-out set, n_held × pixels (probe_x then
                             holds it all, the probe being its first items), for kinds
                             with a state block; NULL otherwise */
    size_t n_held;
    Model *model;         /* rebuilt when a snapshot's config differs */
    size_t temps_removed; /* stale temporary files removed at open */
};

/* Sorted lists of epochs. */
int replay_list_push(SizeList *l, size_t x);
int replay_list_has(const SizeList *l, size_t x);
int replay_list_insert(SizeList *l, size_t x);
int replay_rebuild_timeline(Replay *r);

void replay_add_problem(Replay *r, ReplayProblemKind kind, size_t epoch, size_t line, Status st,
                        const char *text);
/* Index of the snapshot problem recorded for an epoch, or -1. */
long replay_snap_problem(const Replay *r, size_t epoch);
void replay_cache_clear(Replay *r);

/* Read metrics.jsonl from where the last read stopped (replay_metrics.c). */
Status replay_read_metrics(Replay *r, int at_open, char *msg);
/* Read dir/run.json into *info; field-level trouble becomes problems of r. */
Status replay_read_info(const char *dir, ReplayInfo *info, Replay *r, char *msg);
/* Load snapshots/epoch-N.nts (with activations when data is attached);
 * records the problem on failure. The caller holds the lock. */
Status replay_load_epoch(Replay *r, size_t epoch, Snapshot **out, char *msg);

#endif
