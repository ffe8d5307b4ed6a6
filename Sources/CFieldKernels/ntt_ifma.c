/*
 * NTT butterflies for BN254's Fr on AVX-512 IFMA, eight butterflies per instruction stream.
 *
 * Why: a butterfly is one Montgomery product and two modular sums; the scalar MULX kernel is bound by the
 * product's 32 word multiplications (~17 ns each here, `zkbench ntt-ifma`). VPMADD52LUQ/HUQ multiply eight
 * 52-bit limb pairs at once, so eight products in five 52-bit limbs cost about what two scalar ones do.
 *
 * Representation (only inside a transform): "SoA" blocks of eight elements, limb k of lane e at
 * block[8k + e], five limbs of 52 bits, values in [0, 2p) with every limb below 2^52. Products are Montgomery
 * products with R' = 2^260; the twiddles are stored times 2^4 so that x·(16w)/2^260 = x·w/2^256, and the
 * elements therefore stay in the ordinary Montgomery form (R = 2^256) of the rest of the code. The conversion
 * back subtracts p once more, so the transform's output is the canonical Montgomery form it was given.
 */
#include "ntt_ifma.h"

#include <stdlib.h>

#if defined(__x86_64__)
#include <immintrin.h>

#include "ifma_field.h"

zk_field52 zk_fr, zk_fq;

int zk_ifma_available(void) {
    static int state = -1;
    if (state >= 0) return state;
    __builtin_cpu_init();
    /* ZKINFER_NO_IFMA=1 keeps the scalar kernels (to test or time them on a machine that has IFMA). */
    const char *off = getenv("ZKINFER_NO_IFMA");
    int ok = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512ifma") && !(off && off[0] == '1');
    if (ok) {
        static const uint64_t r[4] = {0x43e1f593f0000001ULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL,
                                      0x30644e72e131a029ULL};
        static const uint64_t q[4] = {0x3c208c16d87cfd47ULL, 0x97816a916871ca8dULL, 0xb85045b68181585dULL,
                                      0x30644e72e131a029ULL};
        zk_field52_init(&zk_fr, r);
        zk_field52_init(&zk_fq, q);
    }
    state = ok;
    return ok;
}

/* Fr products and sums (the transforms and the quotient's block products). */
static inline ZK_IFMA_TARGET zk_v5 zk_mont(zk_v5 a, zk_v5 b) { return zk_mont_in(&zk_fr, a, b); }
static inline ZK_IFMA_TARGET void zk_scatter_reduced(uint64_t *out, zk_v5 x) { zk_scatter_reduced_in(&zk_fr, out, x); }

/* (u, v) ← (u + w·v, u − w·v), all in [0, 2p). */
static inline ZK_IFMA_TARGET void zk_butterfly(uint64_t *lo, uint64_t *hi, const uint64_t *w) {
    zk_v5 u = zk_load(lo);
    zk_v5 v = zk_mont(zk_load(hi), zk_load(w));
    zk_store(lo, zk_sum_in(&zk_fr, u, v));
    zk_store(hi, zk_difference_in(&zk_fr, u, v));
}

ZK_IFMA_ENTRY void zk_ifma_stage(uint64_t *soa, int stage, const uint64_t *twiddles, long first, long count) {
    const long half = 1L << stage;
    /* Stage s's twiddles start at element 2^s − 8 of the table (stages 3, 4, … back to back). */
    const uint64_t *w = twiddles + 5 * (half - 8);
    for (long t = first; t < first + count; t += 8) {
        long group = t >> stage, j = t & (half - 1);
        long lo = group * 2 * half + j;
        zk_butterfly(soa + 5 * lo, soa + 5 * (lo + half), w + 5 * j);
    }
}

ZK_IFMA_ENTRY void zk_ifma_from_soa(const uint64_t *soa, uint64_t *values, long first, long count) {
    for (long b = first; b < first + count; b += 8) {
        zk_v5 x = zk_subtract_if_at_least(zk_load(soa + 5 * b), zk_fr.p);
        uint64_t l[5][8];
        for (int k = 0; k < 5; k++) _mm512_storeu_si512((void *)l[k], x.l[k]);
        for (int e = 0; e < 8; e++) {
            uint64_t *out = values + 4 * (b + e);
            out[0] = l[0][e] | (l[1][e] << 52);
            out[1] = (l[1][e] >> 12) | (l[2][e] << 40);
            out[2] = (l[2][e] >> 24) | (l[3][e] << 28);
            out[3] = (l[3][e] >> 36) | (l[4][e] << 16);
        }
    }
}

/* 16·w mod p for one Montgomery-form w (< p) by four modular doublings, as 52-bit limbs. */
static void zk_times16_limbs(const uint64_t *w, uint64_t limbs[5]) {
    uint64_t l[4] = {w[0], w[1], w[2], w[3]};
    for (int d = 0; d < 4; d++) {
        uint64_t carry = 0, twice[4], diff[4], borrow = 0;
        for (int k = 0; k < 4; k++) {
            twice[k] = (l[k] << 1) | carry;
            carry = l[k] >> 63;
        }
        for (int k = 0; k < 4; k++) {
            unsigned __int128 t = (unsigned __int128)twice[k] - zk_fr.p64[k] - borrow;
            diff[k] = (uint64_t)t;
            borrow = (uint64_t)(t >> 64) & 1;
        }
        for (int k = 0; k < 4; k++) l[k] = borrow ? twice[k] : diff[k];
    }
    zk_split52(l, limbs);
}

ZK_IFMA_ENTRY void zk_ifma_twiddles(const uint64_t *values, uint64_t *soa, long count) {
    for (long i = 0; i < count; i++) {
        uint64_t limbs[5];
        zk_times16_limbs(values + 4 * i, limbs);
        uint64_t *block = soa + 40 * (i >> 3);
        for (int k = 0; k < 5; k++) block[8 * k + (i & 7)] = limbs[k];
    }
}

ZK_IFMA_ENTRY void zk_ifma_fr_products(const uint64_t *a, const uint64_t *b, uint64_t *out, long count) {
    for (long i = 0; i + 8 <= count; i += 8) {
        zk_scatter_reduced(out + 4 * i, zk_mont(zk_gather_times16(a + 4 * i), zk_gather(b + 4 * i)));
    }
}

ZK_IFMA_ENTRY void zk_ifma_fr_scaled(const uint64_t *a, const uint64_t *c, uint64_t *out, long count) {
    uint64_t limbs[5], shifted[4] = {c[0] << 4, (c[1] << 4) | (c[0] >> 60), (c[2] << 4) | (c[1] >> 60),
                                      (c[3] << 4) | (c[2] >> 60)};
    /* 16·c < 2^258: the split of its low 256 bits drops bits 256–257 (bits 252–253 of c), added back here. */
    zk_split52(shifted, limbs);
    limbs[4] |= (c[3] >> 60) << 48;
    zk_v5 scale;
    for (int k = 0; k < 5; k++) scale.l[k] = _mm512_set1_epi64((long long)limbs[k]);
    for (long i = 0; i + 8 <= count; i += 8) zk_scatter_reduced(out + 4 * i, zk_mont(zk_gather(a + 4 * i), scale));
}


/* Stage s < 3 inside one block of eight (butterflies between lanes e and e + 2^s), in registers: every lane
 * takes its pair's low and high values, lanes with bit s clear keep u + w·v and the others u − w·v. */
static inline ZK_IFMA_TARGET zk_v5 zk_lane_stage(zk_v5 x, int stage, const zk_v5 *w) {
    const int half = 1 << stage;
    long long low[8], high[8];
    __mmask8 upper = 0;
    for (int e = 0; e < 8; e++) {
        low[e] = e & ~half;
        high[e] = e | half;
        if (e & half) upper |= (__mmask8)(1 << e);
    }
    const __m512i lowIndex = _mm512_loadu_si512((const void *)low), highIndex = _mm512_loadu_si512((const void *)high);
    zk_v5 u, v;
    for (int k = 0; k < 5; k++) {
        u.l[k] = _mm512_permutexvar_epi64(lowIndex, x.l[k]);
        v.l[k] = _mm512_permutexvar_epi64(highIndex, x.l[k]);
    }
    if (w) v = zk_mont(v, *w);
    zk_v5 sum = zk_sum_in(&zk_fr, u, v), difference = zk_difference_in(&zk_fr, u, v);
    for (int k = 0; k < 5; k++) sum.l[k] = _mm512_mask_blend_epi64(upper, sum.l[k], difference.l[k]);
    return sum;
}

ZK_IFMA_ENTRY void zk_ifma_load_stages(const uint64_t *values, uint64_t *soa, int log2Size, int firstStage,
                                       const uint64_t *eighthRoots, long first, long count) {
    /* Stage 1's twiddles per lane are ω_8^0, ω_8^2 (= ω_4) alternating; stage 2's ω_8^(e mod 4). */
    uint64_t roots[4][5];
    for (int j = 0; j < 4; j++) zk_times16_limbs(eighthRoots + 4 * j, roots[j]);
    zk_v5 w1, w2;
    for (int k = 0; k < 5; k++) {
        long long a[8], b[8];
        for (int e = 0; e < 8; e++) {
            a[e] = (long long)roots[(e & 1) * 2][k];
            b[e] = (long long)roots[e & 3][k];
        }
        w1.l[k] = _mm512_loadu_si512((const void *)a);
        w2.l[k] = _mm512_loadu_si512((const void *)b);
    }
    const int shift = 64 - log2Size;
    uint64_t gathered[32] __attribute__((aligned(64)));
    for (long b = first; b < first + count; b += 8) {
        const uint64_t *source = values + 4 * b;
        if (firstStage == 0) {
            /* The bit reversal, read in place of a separate pass. */
            for (int e = 0; e < 8; e++) {
                uint64_t r = __builtin_bitreverse64((uint64_t)(b + e)) >> shift;
                for (int k = 0; k < 4; k++) gathered[4 * e + k] = values[4 * r + k];
            }
            source = gathered;
        }
        zk_v5 x = zk_gather(source);
        if (firstStage <= 0) x = zk_lane_stage(x, 0, 0);
        if (firstStage <= 1) x = zk_lane_stage(x, 1, &w1);
        if (firstStage <= 2) x = zk_lane_stage(x, 2, &w2);
        zk_store(soa + 5 * b, x);
    }
}

#else

void zk_ifma_load_stages(const uint64_t *values, uint64_t *soa, int log2Size, int firstStage,
                         const uint64_t *eighthRoots, long first, long count) {}
void zk_ifma_fr_products(const uint64_t *a, const uint64_t *b, uint64_t *out, long count) {}
void zk_ifma_fr_scaled(const uint64_t *a, const uint64_t *c, uint64_t *out, long count) {}
int zk_ifma_available(void) { return 0; }
void zk_ifma_stage(uint64_t *soa, int stage, const uint64_t *twiddles, long first, long count) {}
void zk_ifma_from_soa(const uint64_t *soa, uint64_t *values, long first, long count) {}
void zk_ifma_twiddles(const uint64_t *values, uint64_t *soa, long count) {}

#endif
