#ifndef NEUROTOP_CORE_DATADIR_H
#define NEUROTOP_CORE_DATADIR_H

/* Where the files neurotop ships are found: themes/, data/, sample-runs/.
 * One search order for all of them, so a source tree, an installed prefix
 * and a DESTDIR copy of one behave alike. */

#include <stddef.h>

#define DATADIR_PATH_LEN 4096
#define DATADIR_MAX 8

/* The folder `make install` puts the shipped files in: PREFIX/share/neurotop,
 * fixed when this file is compiled (default /usr/local/share/neurotop). */
const char *datadir_compiled(void);

/* The candidate folders for the shipped subfolder `sub` ("themes", "data",
 * "sample-runs"): $NEUROTOP_DATADIR/sub alone when the variable is set and
 * not empty, else in search order:
 *   1. <binary's folder>/../share/neurotop/sub: an installed tree, also one
 *      that is not at its final prefix yet (make install DESTDIR=...);
 *   2. <binary's folder>/sub, then the same in its parent and grandparent:
 *      the source tree (./neurotop, build/test/neurotop);
 *   3. datadir_compiled()/sub.
 * Entries 1 and 2 are listed only when the folder exists, 3 (and the
 * variable's) always, so a message can name them; duplicates are dropped.
 * The binary's folder comes from /proc/self/exe and is skipped without it.
 * Returns how many were written to dirs (at most max). */
size_t datadir_candidates(const char *sub, char dirs[][DATADIR_PATH_LEN], size_t max);

#endif
