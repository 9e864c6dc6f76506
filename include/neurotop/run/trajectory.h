#ifndef NEUROTOP_RUN_TRAJECTORY_H
#define NEUROTOP_RUN_TRAJECTORY_H

/* Weight trajectories (seed paper 003): every K mini-batches the incoming
 * weight vector of every unit of every layer, appended to
 * RUN/trajectory/layer-L.ntj (L = 1 for the first hidden layer, one file per
 * dense weight block of the model's layout) as self-checking records:
 *
 *   48-byte header  "NTJ1", flags (bit 0: half precision; bit 1: top
 *                   plane coded; bit 2: input-major), step (mini-batches
 *                   trained), examples seen, epochs finished, units,
 *                   inputs, packed length, CRC-32 of the body, CRC-32 of
 *                   the header
 *   body            units float32 L2 norms (always full precision), then the
 *                   matrix of every unit's incoming weights, inputs × units
 *                   as the weights lie (bit 2; earlier records units ×
 *                   inputs), as float32 or binary16, bytes shuffled into planes: the
 *                   mantissa planes as they are, the sign/exponent plane as
 *                   b-bit indices into a dictionary of its commonest values
 *                   (records without bit 1, from earlier versions: every
 *                   plane in one zlib stream; still read)
 *
 * All integers little-endian. A record is written with one write(); one cut
 * short (kill -9, full disk) is recognised by its length or CRC and ignored,
 * so a reader sees every complete record before it. Readers stream: the
 * index and the norms are read at open, each matrix only when asked for. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"
#include "neurotop/model/model.h"

#define TRAJECTORY_DIR "trajectory"
#define TRAJECTORY_HEADER_LEN 48

typedef struct TrajectoryWriter TrajectoryWriter;

/* Start (or, with append set, go on with) the trajectory files of a model of
 * this config under run_dir/trajectory. half: store the matrices in
 * binary16 (about half the size; norms stay exact). ST_EINVAL when the
 * model has no dense weight block; ST_EIO naming the file. */
Status trajectory_writer_new(const char *run_dir, const ModelConfig *config, int half,
                             TrajectoryWriter **out, char *msg);
void trajectory_writer_free(TrajectoryWriter *w);

/* Append one record per layer for the parameters params (the model's flat
 * array) after `step` mini-batches. On a failed write (disk full) each file
 * is cut back to its last complete record, the writer stops recording
 * (trajectory_writer_active then returns 0) and the status names the
 * problem; training can go on. */
Status trajectory_writer_record(TrajectoryWriter *w, const float *params, uint64_t step,
                                uint64_t examples, uint32_t epoch, char *msg);
int trajectory_writer_active(const TrajectoryWriter *w);
/* Bytes written so far over all layers. */
unsigned long long trajectory_writer_bytes(const TrajectoryWriter *w);

/* Cut every trajectory file of run_dir to its complete records with step <=
 * max_step (a run resumed from a snapshot goes on from there). A run without
 * trajectories is fine. */
Status trajectory_truncate_after(const char *run_dir, uint64_t max_step, char *msg);

/* ---- reading ------------------------------------------------------------ */

typedef struct TrajectoryFile TrajectoryFile;

typedef struct {
    uint64_t step, examples;
    uint32_t epoch;
} TrajectoryTime;

/* Number of layers with a trajectory file in run_dir (layer-1 .. layer-N,
 * consecutive); 0 when the run recorded none. */
size_t trajectory_layers(const char *run_dir);

/* Open layer (1-based) of run_dir's trajectories: reads the index and the
 * norms, checks the last record's CRC and drops a record cut short.
 * ST_ENOENT when the run has no such layer; ST_EFORMAT naming the file. */
Status trajectory_open(const char *run_dir, size_t layer, TrajectoryFile **out, char *msg);
void trajectory_close(TrajectoryFile *f);

size_t trajectory_records(const TrajectoryFile *f);
size_t trajectory_units(const TrajectoryFile *f);
size_t trajectory_inputs(const TrajectoryFile *f);
int trajectory_is_half(const TrajectoryFile *f);
TrajectoryTime trajectory_time(const TrajectoryFile *f, size_t record);
/* Units' norms of one record (units floats, borrowed, valid until close). */
const float *trajectory_norms(const TrajectoryFile *f, size_t record);
/* The largest norm over every unit and record (the absolute scale of seed
 * 003's eps). */
double trajectory_max_norm(const TrajectoryFile *f);
/* Decompress record `record` into out (units × inputs floats, row = unit).
 * ST_EFORMAT when its CRC or length does not match. */
Status trajectory_read(TrajectoryFile *f, size_t record, float *out, char *msg);

/* IEEE 754 binary16 of a float, rounded to nearest even (overflow to
 * infinity), and back: the half-precision records' conversion. */
uint16_t trajectory_half_from_float(float f);
float trajectory_half_to_float(uint16_t h);

#endif
