#ifndef NEUROTOP_ANALYSIS_INFO_H
#define NEUROTOP_ANALYSIS_INFO_H

/* Information measures of seed paper 000 (Shine et al. 2021, Brain
 * Informatics 8:26, doi:10.1186/s40708-021-00147-z), docs/methods.md §17:
 * pixel information IP, specific information of the "on" state ID, and
 * hidden-node information IH. All values are plug-in estimates in bits
 * (log2, 0·log 0 = 0, no bias correction). Classes are the distinct label
 * values present; p(c) is their frequency. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"

/* Plug-in MI(B; C) in bits from a 2×k contingency table: on[c] items of
 * class c have B = 1, total[c] items have class c (on[c] <= total[c]).
 * Classes with total[c] = 0 contribute nothing. Returns a value clamped to
 * [0, 1] (B is binary). Returns 0 when there are no items. O(k). */
double info_mi_counts(const size_t *on, const size_t *total, size_t k);

/* MI([on_i != 0]; label_i) in bits over n items (n >= 1). Labels are any
 * ints; only equality matters. on and labels are borrowed.
 * ST_EINVAL when n = 0 or a pointer is NULL; ST_ENOMEM. O(n log n). */
Status info_mi_binary(const unsigned char *on, const int *labels, size_t n, double *mi,
                      char *msg);

/* IP and ID for every pixel of a uint8 image set (§17).
 * pixels: n × n_pixels row-major (item i's pixel p at pixels[i*n_pixels+p]);
 * labels: n class labels. For each pixel p and θ in 0..254 the pixel is on iff
 * x > θ (strict). ip[p] = max_θ MI(on_θ; class); θ*_p is the smallest θ with
 * MI >= ip[p] − 1e-12; id[p] = Σ_c p(c|on) log2(p(c|on)/p(c)) at θ*, and 0 when
 * no item is on at θ*. Outputs are caller-owned arrays of n_pixels values;
 * id and theta may be NULL when not wanted.
 * Method: per pixel, a class × 256-level histogram; scanning θ downward
 * accumulates the "on" counts, so all 255 thresholds cost O(256·k) and the
 * MI of each is a few table lookups (precomputed x·log2 x).
 * ST_EINVAL for n = 0, n_pixels = 0 or NULL inputs; ST_ENOMEM.
 * O(n·P + P·256·k) time, O(256·k·B + n) memory for a block of B pixels. */
Status info_pixel_ip_id(const uint8_t *pixels, const uint8_t *labels, size_t n,
                        size_t n_pixels, double *ip, double *id, int *theta, char *msg);

/* IH_j = MI([h_ij > 0.5]; class) for each of `units` columns of the float
 * activation matrix act (n × units, row stride ld >= units), over n >= 1
 * items with int labels. ih (units values) is caller-owned. Non-finite
 * activations give ST_EINVAL (a NaN is never silently "off").
 * O(n·units + n log n). */
Status info_hidden_ih(const float *act, size_t n, size_t units, size_t ld, const int *labels,
                      double *ih, char *msg);

#endif
