/* The code of a trajectory record's top byte plane (trajectory_internal.h).
 * The plane of signs and exponents takes few values: the most frequent go
 * into a small dictionary and each value is written as a b-bit index into
 * it, the rest escaped. A histogram pass and a packing pass: a 784-100-10
 * record took 1.24 ms with zlib's Huffman coding and takes ~0.35 ms now
 * (bench_record), for records about 2% larger. */
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/bytes.h"
#include "trajectory_internal.h"

/* The plane's values by falling count (ties by value) into order. */
static void values_by_count(const size_t *count, unsigned char *order, size_t *distinct)
{
    size_t k = 0;
    for (size_t v = 0; v < 256; v++)
        if (count[v])
            order[k++] = (unsigned char)v;
    for (size_t i = 1; i < k; i++) { /* insertion sort: at most 256 values */
        unsigned char v = order[i];
        size_t j = i;
        while (j > 0 && count[order[j - 1]] < count[v]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
    *distinct = k;
}

/* Dictionary size for b bits: every value when they fit, else 2^b − 1
 * entries and the last code for an escape. */
static size_t dict_size(size_t bits, size_t distinct)
{
    size_t codes = (size_t)1 << bits;
    return distinct <= codes ? distinct : codes - 1;
}

size_t traj_top_bound(size_t n)
{
    return TRAJ_TOP_HEAD + n;
}

size_t traj_top_pack(const unsigned char *top, size_t n, unsigned char *out)
{
    /* Four histograms, so runs of one value do not wait on one counter. */
    size_t count[256] = {0}, part[4][256] = {{0}};
    size_t i4 = n - n % 4;
    for (size_t i = 0; i < i4; i += 4) {
        part[0][top[i]]++;
        part[1][top[i + 1]]++;
        part[2][top[i + 2]]++;
        part[3][top[i + 3]]++;
    }
    for (size_t i = i4; i < n; i++)
        part[0][top[i]]++;
    for (size_t v = 0; v < 256; v++)
        count[v] = part[0][v] + part[1][v] + part[2][v] + part[3][v];
    unsigned char order[256];
    size_t distinct;
    values_by_count(count, order, &distinct);
    /* The width of smallest output; 8 bits is the plane itself. */
    size_t best_bits = 8, best = n, best_dict = 0;
    size_t covered = 0, d_prev = 0;
    for (size_t bits = 0; bits < 8; bits++) {
        size_t d = dict_size(bits, distinct);
        if (bits == 0 && distinct > 1)
            continue; /* no room for an escape code */
        for (size_t i = d_prev; i < d; i++)
            covered += count[order[i]];
        d_prev = d;
        size_t size = d + (n * bits + 7) / 8 + (n - covered);
        if (size < best) {
            best = size;
            best_bits = bits;
            best_dict = d;
        }
    }
    out[0] = (unsigned char)best_bits;
    if (best_bits == 8) {
        out[1] = 0;
        bytes_put_le32(out + 2, 0);
        memcpy(out + TRAJ_TOP_HEAD, top, n);
        return TRAJ_TOP_HEAD + n;
    }
    unsigned char code[256];
    size_t escape = best_dict; /* the code of a value outside the dictionary */
    for (size_t v = 0; v < 256; v++)
        code[v] = (unsigned char)escape;
    for (size_t i = 0; i < best_dict; i++)
        code[order[i]] = (unsigned char)i;
    out[1] = (unsigned char)best_dict;
    unsigned char *dict = out + TRAJ_TOP_HEAD, *packed = dict + best_dict;
    memcpy(dict, order, best_dict);
    size_t packed_len = (n * best_bits + 7) / 8;
    unsigned char *esc = packed + packed_len;
    /* Eight codes fill exactly `bits` bytes, LSB first; a group with an
     * escape code is looked at again for its escaped bytes, in order. */
    unsigned char *p = packed;
    size_t n_esc = 0;
    for (size_t i = 0; i < n; i += 8) {
        size_t m = n - i < 8 ? n - i : 8;
        uint64_t acc = 0;
        unsigned hit = 0;
        for (size_t j = 0; j < m; j++) {
            unsigned c = code[top[i + j]];
            hit |= c == escape;
            acc |= (uint64_t)c << (j * best_bits);
        }
        for (size_t b = 0; b < (m * best_bits + 7) / 8; b++)
            *p++ = (unsigned char)(acc >> (8 * b));
        if (hit)
            for (size_t j = 0; j < m; j++)
                if (code[top[i + j]] == escape)
                    esc[n_esc++] = top[i + j];
    }
    bytes_put_le32(out + 2, (uint32_t)n_esc);
    return TRAJ_TOP_HEAD + best_dict + packed_len + n_esc;
}

int traj_top_unpack(const unsigned char *in, size_t len, size_t n, unsigned char *top)
{
    if (len < TRAJ_TOP_HEAD)
        return -1;
    size_t bits = in[0], d = in[1], n_esc = bytes_le32(in + 2);
    if (bits > 8)
        return -1;
    if (bits == 8)
        return d == 0 && n_esc == 0 && len == TRAJ_TOP_HEAD + n ? (memcpy(top, in + TRAJ_TOP_HEAD, n), 0) : -1;
    if (d > ((size_t)1 << bits) || (d == 0 && n > 0) || n_esc > n)
        return -1;
    size_t packed_len = (n * bits + 7) / 8;
    if (len != TRAJ_TOP_HEAD + d + packed_len + n_esc)
        return -1;
    const unsigned char *dict = in + TRAJ_TOP_HEAD, *packed = dict + d, *esc = packed + packed_len;
    size_t used = 0, bit = 0;
    unsigned mask = (1u << bits) - 1;
    for (size_t i = 0; i < n; i++, bit += bits) {
        unsigned c = 0;
        if (bits) { /* a code spans at most two bytes (bits <= 7) */
            size_t at = bit / 8;
            unsigned two = packed[at] | (at + 1 < packed_len ? (unsigned)packed[at + 1] << 8 : 0u);
            c = (two >> (bit % 8)) & mask;
        }
        if (c < d)
            top[i] = dict[c];
        else if (c == d && used < n_esc)
            top[i] = esc[used++];
        else
            return -1;
    }
    return used == n_esc ? 0 : -1;
}
