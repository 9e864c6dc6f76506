#include "hebbff_kernels.h"

/* The per-step work is a few passes over the N × M plastic matrix; these
 * kernels fuse what can be fused and are written as four independent
 * statements so GCC packs them into SIMD at -O2 (as mlp.c does), with an
 * AVX2 clone picked at load time on x86-64. No FMA contraction in ISO C
 * mode, so both clones give the same numbers. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) /* clang 14 drops the clones from archives */
#define HEBB_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define HEBB_CLONES
#endif

/* acc += xn · row */
HEBB_CLONES void hebbff_k_axpy(double *restrict acc, double xn, const double *restrict row,
                               size_t m)
{
    size_t j = 0;
    for (; j + 4 <= m; j += 4) {
        acc[j + 0] += xn * row[j + 0];
        acc[j + 1] += xn * row[j + 1];
        acc[j + 2] += xn * row[j + 2];
        acc[j + 3] += xn * row[j + 3];
    }
    for (; j < m; j++)
        acc[j] += xn * row[j];
}

/* out = lam · in + c · h */
HEBB_CLONES void hebbff_k_decay_add(double *restrict out, double lam, const double *restrict in,
                                    double c, const double *restrict h, size_t m)
{
    size_t j = 0;
    for (; j + 4 <= m; j += 4) {
        out[j + 0] = lam * in[j + 0] + c * h[j + 0];
        out[j + 1] = lam * in[j + 1] + c * h[j + 1];
        out[j + 2] = lam * in[j + 2] + c * h[j + 2];
        out[j + 3] = lam * in[j + 3] + c * h[j + 3];
    }
    for (; j < m; j++)
        out[j] = lam * in[j] + c * h[j];
}

/* row = lam · row + c · h */
HEBB_CLONES void hebbff_k_decay_add_here(double *restrict row, double lam, double c,
                                         const double *restrict h, size_t m)
{
    size_t j = 0;
    for (; j + 4 <= m; j += 4) {
        row[j + 0] = lam * row[j + 0] + c * h[j + 0];
        row[j + 1] = lam * row[j + 1] + c * h[j + 1];
        row[j + 2] = lam * row[j + 2] + c * h[j + 2];
        row[j + 3] = lam * row[j + 3] + c * h[j + 3];
    }
    for (; j < m; j++)
        row[j] = lam * row[j] + c * h[j];
}

/* row = lam · row + c · h, then acc += xn · row (one step's memory update
 * fused with the next step's product Aᵀx). */
HEBB_CLONES void hebbff_k_decay_add_acc(double *restrict row, double lam, double c,
                                        const double *restrict h, double xn, double *restrict acc,
                                        size_t m)
{
    size_t j = 0;
    for (; j + 4 <= m; j += 4) {
        row[j + 0] = lam * row[j + 0] + c * h[j + 0];
        row[j + 1] = lam * row[j + 1] + c * h[j + 1];
        row[j + 2] = lam * row[j + 2] + c * h[j + 2];
        row[j + 3] = lam * row[j + 3] + c * h[j + 3];
        acc[j + 0] += xn * row[j + 0];
        acc[j + 1] += xn * row[j + 1];
        acc[j + 2] += xn * row[j + 2];
        acc[j + 3] += xn * row[j + 3];
    }
    for (; j < m; j++) {
        row[j] = lam * row[j] + c * h[j];
        acc[j] += xn * row[j];
    }
}

/* gx += xn · g; returns g · a. */
HEBB_CLONES double hebbff_k_acc_dot(double *restrict gx, double xn, const double *restrict g,
                                    const double *restrict a, size_t m)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    size_t j = 0;
    for (; j + 4 <= m; j += 4) {
        gx[j + 0] += xn * g[j + 0];
        gx[j + 1] += xn * g[j + 1];
        gx[j + 2] += xn * g[j + 2];
        gx[j + 3] += xn * g[j + 3];
        s0 += g[j + 0] * a[j + 0];
        s1 += g[j + 1] * a[j + 1];
        s2 += g[j + 2] * a[j + 2];
        s3 += g[j + 3] * a[j + 3];
    }
    for (; j < m; j++) {
        gx[j] += xn * g[j];
        s0 += g[j] * a[j];
    }
    return (s0 + s2) + (s1 + s3);
}

/* g = lam · g + c · ga, then gx += xn · g; returns g · a (one step's G
 * update fused with the previous step's G x and ⟨G, A⟩). */
HEBB_CLONES double hebbff_k_decay_add_acc_dot(double *restrict g, double lam, double c,
                                              const double *restrict ga, double xn,
                                              double *restrict gx, const double *restrict a,
                                              size_t m)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    size_t j = 0;
    for (; j + 4 <= m; j += 4) {
        g[j + 0] = lam * g[j + 0] + c * ga[j + 0];
        g[j + 1] = lam * g[j + 1] + c * ga[j + 1];
        g[j + 2] = lam * g[j + 2] + c * ga[j + 2];
        g[j + 3] = lam * g[j + 3] + c * ga[j + 3];
        gx[j + 0] += xn * g[j + 0];
        gx[j + 1] += xn * g[j + 1];
        gx[j + 2] += xn * g[j + 2];
        gx[j + 3] += xn * g[j + 3];
        s0 += g[j + 0] * a[j + 0];
        s1 += g[j + 1] * a[j + 1];
        s2 += g[j + 2] * a[j + 2];
        s3 += g[j + 3] * a[j + 3];
    }
    for (; j < m; j++) {
        g[j] = lam * g[j] + c * ga[j];
        gx[j] += xn * g[j];
        s0 += g[j] * a[j];
    }
    return (s0 + s2) + (s1 + s3);
}
