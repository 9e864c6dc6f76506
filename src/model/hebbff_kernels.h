#ifndef NEUROTOP_MODEL_HEBBFF_KERNELS_H
#define NEUROTOP_MODEL_HEBBFF_KERNELS_H

/* Internal to src/model/hebbff.c: the row kernels of the passes over the
 * N × M plastic matrix and its gradient (double precision, one row of M
 * values per call, no aliasing between arguments). Each is O(m). */

#include <stddef.h>

/* acc += xn · row */
void hebbff_k_axpy(double *restrict acc, double xn, const double *restrict row, size_t m);
/* out = lam · in + c · h */
void hebbff_k_decay_add(double *restrict out, double lam, const double *restrict in, double c,
                        const double *restrict h, size_t m);
/* row = lam · row + c · h */
void hebbff_k_decay_add_here(double *restrict row, double lam, double c,
                             const double *restrict h, size_t m);
/* row = lam · row + c · h, then acc += xn · row */
void hebbff_k_decay_add_acc(double *restrict row, double lam, double c, const double *restrict h,
                            double xn, double *restrict acc, size_t m);
/* gx += xn · g; returns g · a */
double hebbff_k_acc_dot(double *restrict gx, double xn, const double *restrict g,
                        const double *restrict a, size_t m);
/* g = lam · g + c · ga, then gx += xn · g; returns g · a */
double hebbff_k_decay_add_acc_dot(double *restrict g, double lam, double c,
                                  const double *restrict ga, double xn, double *restrict gx,
                                  const double *restrict a, size_t m);

#endif
