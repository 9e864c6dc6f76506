#ifndef NEUROTOP_RUN_EPOCHS_H
#define NEUROTOP_RUN_EPOCHS_H

/* Where the snapshot of any epoch of a run is found: the live store's ring
 * first (recent epochs, with their probe activations), then the recorded
 * run on disk, read through one Replay — the one being replayed, or the
 * live run's directory opened on first need with the data set attached so
 * probe activations can be recomputed. The UI (browsing past epochs) and
 * the `:` jobs (analyses over several epochs) share one EpochLookup, so a
 * run is opened once, not once per reader.
 *
 * Thread safety: any thread may call epoch_lookup_get and
 * epoch_lookup_replay; opening the run is done under a mutex and Replay
 * locks its own. */

#include <stddef.h>

#include "neurotop/core/status.h"
#include "neurotop/data/dataset.h"
#include "neurotop/run/replay.h"
#include "neurotop/run/snapshot.h"
#include "neurotop/run/store.h"

typedef struct EpochLookup EpochLookup;

/* store, replay, run_dir and data are borrowed and may each be NULL;
 * replay (a run being replayed) wins over run_dir (a live run's folder,
 * opened only when an epoch has left the store). n_probe: the probe items
 * to recompute activations for (0: none). *out is caller-owned. */
Status epoch_lookup_new(Store *store, Replay *replay, const char *run_dir, const Dataset *data,
                        size_t n_probe, EpochLookup **out, char *msg);
/* epoch_lookup_free(NULL) is safe. Snapshots handed out stay valid. */
void epoch_lookup_free(EpochLookup *l);

/* The snapshot of `epoch` (retained: the caller releases it). With
 * need_acts, one without probe activations counts as missing.
 * ST_ENOTFOUND with a sentence naming the epoch and why when it is nowhere
 * to be found. */
Status epoch_lookup_get(EpochLookup *l, size_t epoch, int need_acts, Snapshot **out, char *msg);

/* The run on disk behind the lookup (the given replay, or the live run's
 * folder opened now or earlier), borrowed for the lookup's life; NULL with
 * the reason in msg when there is none. */
Replay *epoch_lookup_replay(EpochLookup *l, char *msg);

#endif
