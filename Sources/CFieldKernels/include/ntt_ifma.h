/*
 * AVX-512 IFMA butterflies for NTTs over BN254's Fr (ntt_ifma.c). Elements are Fr values in Montgomery form,
 * four little-endian 64-bit limbs each; inside a transform they live in "SoA" blocks of eight (five 52-bit
 * limbs, 40 words per block). All counts and starts are multiples of 8.
 */
#ifndef ZKINFER_NTT_IFMA_H
#define ZKINFER_NTT_IFMA_H

#include <stdint.h>

/* 1 when the CPU (and OS) run AVX-512F and IFMA and ZKINFER_NO_IFMA is not 1; the other functions must not be
 * called otherwise. */
int zk_ifma_available(void);
/* Elements first ..< first + count of the input into their SoA blocks (read at bit-reversed indices of
 * log2Size bits when firstStage is 0), then stages firstStage ..< 3 inside each block of eight.
 * eighthRoots: ω_8^0 … ω_8^3 (four elements, Montgomery form). */
void zk_ifma_load_stages(const uint64_t *values, uint64_t *soa, int log2Size, int firstStage,
                         const uint64_t *eighthRoots, long first, long count);
/* Back, reduced below p. */
void zk_ifma_from_soa(const uint64_t *soa, uint64_t *values, long first, long count);
/* count twiddles (Montgomery form) into SoA blocks, times 2^4 (the products' R is 2^260). */
void zk_ifma_twiddles(const uint64_t *values, uint64_t *soa, long count);
/* Butterflies first ..< first + count of radix-2 DIT stage `stage` (half = 2^stage ≥ 8): stage s's twiddles
 * ω_(2^(s+1))^j start at element 2^s − 8 of `twiddles`. */
void zk_ifma_stage(uint64_t *soa, int stage, const uint64_t *twiddles, long first, long count);

/* out[i] = a[i]·b[i] (Montgomery products, canonical) for the first count rounded down to a multiple of 8;
 * out may be a or b. */
void zk_ifma_fr_products(const uint64_t *a, const uint64_t *b, uint64_t *out, long count);
/* out[i] = a[i]·c for one element c, the same way. */
void zk_ifma_fr_scaled(const uint64_t *a, const uint64_t *c, uint64_t *out, long count);

#endif
