#ifndef NEUROTOP_TESTS_SUPPORT_H
#define NEUROTOP_TESTS_SUPPORT_H

/* Fixtures shared by the Criterion tests: temporary folders, files, toy
 * image sets, a toy recorded run, small matrices, canvases with golden
 * files, and a trained snapshot of every model kind. Every function fails
 * the calling test (cr_assert) instead of returning an error, so a test
 * reads as its checks. Tests run from the repository root, each in its own
 * process (Criterion forks), so per-test static state is private. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/matrix.h"
#include "neurotop/core/rng.h"
#include "neurotop/core/strbuf.h"
#include "neurotop/data/dataset.h"
#include "neurotop/run/store.h"
#include "neurotop/train/publisher.h"
#include "neurotop/tui/canvas.h"

/* ---- temporary folders ---- */

/* Make a new empty folder /tmp/neurotop-TAG-XXXXXX and write its name into
 * path (cap >= 64). */
void support_tmpdir_make(const char *tag, char *path, size_t cap);
/* Remove a folder and everything below it (no shell involved). */
void support_tmpdir_remove(const char *path);

/* One temporary folder per test, for suites that want one:
 * TestSuite(x, .init = support_tmp_init, .fini = support_tmp_fini), or call
 * them from the suite's own init and fini. */
void support_tmp_init(void);
void support_tmp_fini(void);
/* The folder made by support_tmp_init. */
const char *support_tmp(void);
/* support_tmp()/name, in one of 4 rotating static buffers, so up to four
 * paths may be used in one call. */
const char *support_tmp_path(const char *name);

/* ---- files ---- */

/* The whole file (at most 16 MiB) as a NUL-terminated heap string; *len
 * (may be NULL) receives its length. The caller frees. */
char *support_read_file(const char *path, size_t *len);
/* Write text to path (atomically, like the product does). */
void support_write_file(const char *path, const char *text, size_t len);

/* ---- toy image sets ---- */

/* n 2×2 images of two classes: class i % 2; class 0 lights the top row,
 * class 1 the bottom row, and each item's brightness differs a little
 * (pixels 230 - i and 20 + i), so no two items of a class are equal for
 * n <= 100. n_classes 2. Release with imageset_done. */
void support_toy_images(ImageSet *s, size_t n);
/* A Dataset named "toy" of support_toy_images for train and test. */
void support_toy_dataset(Dataset *d, size_t n_train, size_t n_test);
/* Release the two sets of a Dataset that lives on the stack. */
void support_dataset_done(Dataset *d);

/* ---- the toy recorded run ---- */

/* A run the tests record themselves: an mlp 4-3-2 (seed 7) trained
 * SUPPORT_RUN_EPOCHS epochs on the toy data set (40 train, 10 test items;
 * lr 0.5, batch 1, probe 6) with a snapshot file every epoch, in a run
 * directory below a temporary folder. run.json names model "mlp", data
 * "toy", sizes [4, 3, 2], seed 7, lr 0.5, batch 1, probe 6. */
#define SUPPORT_RUN_EPOCHS 3

typedef struct {
    char root[64];  /* the temporary folder */
    char dir[1100]; /* the run directory inside it */
    Dataset data;   /* the data it was trained on */
    Store *store;   /* the live run's snapshots (every epoch) and series */
} SupportRun;

/* Record the run; extra (may be NULL) is one more per-epoch metric hook
 * with its ctx. */
void support_run_make(SupportRun *run, EpochMetricFn extra, void *ctx);
/* Remove the folder and free what support_run_make made. */
void support_run_drop(SupportRun *run);
/* run->dir/rel into out. */
void support_run_path(const SupportRun *run, const char *rel, char *out, size_t cap);

/* ---- small matrices ---- */

/* The Zachary karate club adjacency matrix (34 × 34, tests/fixtures/karate.csv). */
Matrix *support_karate(void);
/* Its Newman modularity matrix B at resolution gamma (unsigned). */
Matrix *support_karate_modularity(double gamma);
/* The best known partition of the karate club at gamma 1 (Q = 0.4198;
 * tests/fixtures/karate_opt.txt), labels 1..4. */
extern const int SUPPORT_KARATE_OPT[34];
/* A rows × cols matrix holding a copy of v (row-major). */
Matrix *support_matrix_from(const double *v, size_t rows, size_t cols);
/* A random signed, asymmetric n × n matrix with a planted block structure:
 * entries uniform in [-1, 1), plus 0.6 where i and j fall in the same block
 * (i % blocks == j % blocks), zero diagonal. */
Matrix *support_planted(Rng *rng, size_t n, size_t blocks);
/* The least total cost of an n × n assignment (row-major costs, n <= 10) by
 * trying every permutation: the reference the solvers are checked against. */
double support_assignment_brute(const double *cost, int n);

/* ---- canvases and golden files ---- */

/* A blank w × h canvas (unicode 1: UTF-8 glyphs, 0: ASCII only). */
Canvas *support_canvas(int w, int h, int unicode);
/* The canvas dumped as text equals want. */
void support_expect_dump(const Canvas *c, const char *want);

/* Set NEUROTOP_UPDATE_GOLDEN=1 to rewrite golden files instead of
 * comparing; read the diff before committing one. */
int support_golden_updating(void);
/* Compare got with the golden file at path (or rewrite it when updating).
 * Returns 1 when they agree (or the file was rewritten); otherwise 0 with
 * why naming the file and its first differing line, expected and got. */
int support_golden_check(const char *path, const char *got, char *why, size_t cap);
/* support_golden_check that fails the test on a difference. */
void support_golden_assert(const char *path, const char *got);
/* The canvas dumped and checked against tests/golden/NAME.txt. */
void support_golden_canvas(const Canvas *c, const char *name);

/* ---- a trained snapshot of every model kind ---- */

/* The model kinds that have a fixture, in a fixed order: kind i is
 * support_kind_name(i), i < support_kind_count. Adding a model kind to
 * neurotop means adding its fixture in support_models.c. */
extern const size_t support_kind_count;
const char *support_kind_name(size_t i);

/* A small model of `kind` built with a fixed seed and trained a few epochs
 * on a small deterministic data set (mlp: 8×8 bars of three classes;
 * hebbff: the familiarity task of data/familiarity.h), with the per-epoch
 * metrics the app records (accuracy, weight moments, Q of the weight graph,
 * IH, functional connectivity, flexibility, entropy, and the functional Q
 * for hebbff). Returns the last epoch's snapshot (evaluation, probe
 * activations, metrics; one reference, the caller releases) and, when
 * series is not NULL, the series of every epoch (the caller calls
 * series_done). The wall-clock fields (seconds, examples_per_sec) are
 * dropped (NaN), so everything drawn from the fixture is reproducible.
 * Fails the test for a kind without a fixture. */
Snapshot *support_snapshot_of_kind(const char *kind, SeriesTable *series);

/* An untrained 5-3-3-2 MLP (or, for "hebbff", a 5-6-2 HebbFF) at `epoch`
 * with n_probe probe items whose six hidden units follow one of two latent
 * signals: unit j (HL1 then HL2 for the MLP) is 0.5 + signal·latent[group[j]]
 * plus noise of SD 0.03, from noise_seed; the output is a random pair summing
 * to 1. For tests of functional connectivity over epochs. */
Snapshot *support_grouped_snapshot(const char *kind, size_t epoch, size_t n_probe, const int group[6],
                                   double signal, uint64_t noise_seed);

/* ---- .npy and .npz written by hand ---- */

/* A version-1 .npy of the dtype descr ("<f4") and the shape text ("(2, 3)")
 * over raw data, appended to b. */
void support_npy(StrBuf *b, const char *descr, int fortran, const char *shape, const void *data, size_t bytes);

typedef struct {
    const char *name; /* member file name, "W0.npy" */
    StrBuf content;
    int deflate;      /* raw deflate (method 8) instead of stored */
    int zip64;        /* sizes 0xFFFFFFFF and a zip64 extra field, as numpy writes */
} SupportNpzMember;

/* A zip archive of n members (n <= 8) appended to z. */
void support_zip(StrBuf *z, SupportNpzMember *m, size_t n);

#endif
