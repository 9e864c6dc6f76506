#ifndef NEUROTOP_RUN_EXPORT_H
#define NEUROTOP_RUN_EXPORT_H

/* Export for slides and papers: metric series as CSV plus a
 * gnuplot script that plots them, matrices as CSV, 2-D maps (28×28 inputs,
 * receptive fields) as binary PGM images.
 *
 * Every writer builds the whole file in memory and writes it atomically
 * (file_write_atomic: temporary file, fsync, rename), so a failure never
 * leaves half a file. Numbers are printed with %.17g in the "C" locale
 * (whatever the process locale), so they read back bit-identical. */

#include <stddef.h>

#include "neurotop/core/status.h"
#include "neurotop/run/store.h"

/* Write a SeriesTable as CSV: a header row "epoch,<key>,<key>..." (a key
 * holding a comma, quote or line break is quoted RFC 4180 style), then one
 * row per recorded epoch, epoch first. NaN and infinite values are written
 * as empty fields. Without the header row and with no NaN the body reads
 * back through csv_parse_matrix. O(epochs × keys). */
Status export_series_csv(const SeriesTable *t, const char *path, char *msg);

/* Write a gnuplot script plotting the columns of `keys` (n_keys of them;
 * n_keys = 0 means every series) of the CSV that export_series_csv writes
 * for the same table at csv_path, against epoch: one line with points per
 * key, titled with the key. The CSV itself is not written here.
 * `gnuplot SCRIPT` writes an SVG beside the script (SCRIPT with its
 * extension replaced by .svg); `gnuplot -e "out='x.svg'" SCRIPT` chooses
 * the file, `gnuplot -e "term='pngcairo'; out='x.png'" SCRIPT` the format,
 * and `gnuplot -p -e "out=''" SCRIPT` opens the default terminal instead. When the CSV is in the script's folder the script finds it
 * there from any working directory; otherwise csv_path is written as given.
 * ST_ENOTFOUND names a key that is not in the table. O(keys). */
Status export_gnuplot(const SeriesTable *t, const char *const *keys, size_t n_keys,
                      const char *csv_path, const char *script_path, char *msg);

/* Write a gnuplot script drawing the columns of the CSV that
 * export_series_csv writes for t at csv_path as one figure per group of
 * related series: accuracy with loss on a second axis; Q (with the band of
 * its Louvain runs); the module counts; flexibility and multilayer Q
 * with the community count; functional connectivity; functional
 * modularity; entropy; activation moments; information IH; the weight
 * blocks; HebbFF's rates with λ and η; training speed with the learning
 * rate. Groups without data are left out; columns in no group (counters,
 * settings) stay in the CSV only and the script names them.
 * `gnuplot SCRIPT` writes STEM-GROUP.svg beside the script (STEM: the
 * script's name without extension), from any working directory when the
 * CSV is in the script's folder; `gnuplot -e "ext='png';
 * term='pngcairo'" SCRIPT` other files; `gnuplot -p -e "ext=''" SCRIPT`
 * windows. *n_figures (may be NULL) receives the number of figures.
 * ST_EINVAL when no group has data. O(keys × groups). */
Status export_gnuplot_groups(const SeriesTable *t, const char *csv_path, const char *script_path,
                             size_t *n_figures, char *msg);

/* Write a rows×cols row-major matrix as CSV (no header, %.17g; NaN and
 * infinite values become empty fields). export_matrix_csv_f takes floats
 * (activations, weights) and prints them as the doubles they are. Without
 * non-finite values the file reads back through csv_read_matrix. */
Status export_matrix_csv(const double *v, size_t rows, size_t cols, const char *path, char *msg);
Status export_matrix_csv_f(const float *v, size_t rows, size_t cols, const char *path, char *msg);

/* The grey-level range for n values: [min, max] of the finite values, or
 * with symmetric != 0 (signed maps such as receptive fields) [-m, m] with
 * m the largest finite |value|, so that zero is mid-grey. When every value
 * is equal (or none is finite) the range is widened to have width 2
 * around it (e.g. [-1, 1] for an all-zero map). O(n). */
void export_range(const double *v, size_t n, int symmetric, double *lo, double *hi);

/* Write a binary 8-bit PGM (P5) image of rows×cols values, row-major:
 * grey = round(255 (v - lo) / (hi - lo)), clamped to 0..255; NaN is 0.
 * The header carries a comment with the range ("# neurotop lo=... hi=...").
 * Requires finite lo < hi and rows, cols >= 1. O(rows × cols). */
Status export_pgm(const double *v, size_t rows, size_t cols, double lo, double hi,
                  const char *path, char *msg);

/* Several maps of rows×cols (n_tiles of them, back to back in v) in one PGM
 * image, per_row tiles per row, separated by 1-pixel black lines; e.g. the
 * 100 receptive fields of the first hidden layer as a 10×10 sheet. Same
 * grey mapping as export_pgm. O(n_tiles × rows × cols). */
Status export_pgm_tiles(const double *v, size_t n_tiles, size_t rows, size_t cols, size_t per_row,
                        double lo, double hi, const char *path, char *msg);

#endif
