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

#if defined(__x86_64__)
#include <immintrin.h>

#define ZK_IFMA_TARGET __attribute__((target("avx512f,avx512ifma"), always_inline))
#define ZK_IFMA_ENTRY __attribute__((target("avx512f,avx512ifma")))

static const uint64_t zk_p64[4] = {0x43e1f593f0000001ULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL,
                                   0x30644e72e131a029ULL};
#define ZK_M52 0xfffffffffffffULL

/* p, 2p in 52-bit limbs and −p^{-1} mod 2^52. */
static uint64_t zk_p52[5], zk_2p52[5], zk_pinv52;

static void zk_split52(const uint64_t l[4], uint64_t out[5]) {
    out[0] = l[0] & ZK_M52;
    out[1] = ((l[0] >> 52) | (l[1] << 12)) & ZK_M52;
    out[2] = ((l[1] >> 40) | (l[2] << 24)) & ZK_M52;
    out[3] = ((l[2] >> 28) | (l[3] << 36)) & ZK_M52;
    out[4] = l[3] >> 16;
}

int zk_ifma_available(void) {
    static int state = -1;
    if (state >= 0) return state;
    __builtin_cpu_init();
    int ok = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512ifma");
    if (ok) {
        uint64_t twice[4], carry = 0;
        for (int i = 0; i < 4; i++) {
            twice[i] = (zk_p64[i] << 1) | carry;
            carry = zk_p64[i] >> 63;
        }
        zk_split52(zk_p64, zk_p52);
        zk_split52(twice, zk_2p52);
        /* −p^{-1} mod 2^64 by Newton's iteration, then its low 52 bits. */
        uint64_t inv = 1;
        for (int i = 0; i < 6; i++) inv *= 2 - zk_p64[0] * inv;
        zk_pinv52 = (0 - inv) & ZK_M52;
    }
    state = ok;
    return ok;
}

typedef struct { __m512i l[5]; } zk_v5;

static inline ZK_IFMA_TARGET zk_v5 zk_load(const uint64_t *block) {
    zk_v5 v;
    for (int k = 0; k < 5; k++) v.l[k] = _mm512_loadu_si512((const void *)(block + 8 * k));
    return v;
}

static inline ZK_IFMA_TARGET void zk_store(uint64_t *block, zk_v5 v) {
    for (int k = 0; k < 5; k++) _mm512_storeu_si512((void *)(block + 8 * k), v.l[k]);
}

/* Carries of limbs that may exceed 52 bits (or be negative: arithmetic shifts) into the next limb. */
static inline ZK_IFMA_TARGET zk_v5 zk_normalize(zk_v5 x) {
    const __m512i mask = _mm512_set1_epi64(ZK_M52);
    for (int k = 0; k < 4; k++) {
        x.l[k + 1] = _mm512_add_epi64(x.l[k + 1], _mm512_srai_epi64(x.l[k], 52));
        x.l[k] = _mm512_and_si512(x.l[k], mask);
    }
    return x;
}

/* x − q when x ≥ q, else x (x normalized and below 2^256, q given by its 52-bit limbs). */
static inline ZK_IFMA_TARGET zk_v5 zk_subtract_if_at_least(zk_v5 x, const uint64_t q[5]) {
    const __m512i mask = _mm512_set1_epi64(ZK_M52);
    zk_v5 d;
    __m512i borrow = _mm512_setzero_si512();
    for (int k = 0; k < 5; k++) {
        __m512i t = _mm512_sub_epi64(_mm512_sub_epi64(x.l[k], _mm512_set1_epi64((long long)q[k])), borrow);
        borrow = _mm512_srli_epi64(t, 63);
        d.l[k] = k < 4 ? _mm512_and_si512(t, mask) : t;
    }
    __mmask8 below = _mm512_cmpneq_epi64_mask(borrow, _mm512_setzero_si512());
    for (int k = 0; k < 5; k++) d.l[k] = _mm512_mask_blend_epi64(below, d.l[k], x.l[k]);
    return d;
}

/* a·b/2^260 mod p, in [0, 2p), normalized; a, b in [0, 2p) normalized. */
static inline ZK_IFMA_TARGET zk_v5 zk_mont(zk_v5 a, zk_v5 b) {
    const __m512i zero = _mm512_setzero_si512();
    const __m512i pinv = _mm512_set1_epi64((long long)zk_pinv52);
    __m512i p[5];
    for (int k = 0; k < 5; k++) p[k] = _mm512_set1_epi64((long long)zk_p52[k]);
    __m512i t0 = zero, t1 = zero, t2 = zero, t3 = zero, t4 = zero, t5 = zero;
    for (int i = 0; i < 5; i++) {
        __m512i bi = b.l[i];
        t0 = _mm512_madd52lo_epu64(t0, a.l[0], bi);
        t1 = _mm512_madd52lo_epu64(t1, a.l[1], bi);
        t2 = _mm512_madd52lo_epu64(t2, a.l[2], bi);
        t3 = _mm512_madd52lo_epu64(t3, a.l[3], bi);
        t4 = _mm512_madd52lo_epu64(t4, a.l[4], bi);
        t1 = _mm512_madd52hi_epu64(t1, a.l[0], bi);
        t2 = _mm512_madd52hi_epu64(t2, a.l[1], bi);
        t3 = _mm512_madd52hi_epu64(t3, a.l[2], bi);
        t4 = _mm512_madd52hi_epu64(t4, a.l[3], bi);
        t5 = _mm512_madd52hi_epu64(t5, a.l[4], bi);
        __m512i m = _mm512_madd52lo_epu64(zero, t0, pinv);
        t0 = _mm512_madd52lo_epu64(t0, m, p[0]);
        t1 = _mm512_madd52lo_epu64(t1, m, p[1]);
        t2 = _mm512_madd52lo_epu64(t2, m, p[2]);
        t3 = _mm512_madd52lo_epu64(t3, m, p[3]);
        t4 = _mm512_madd52lo_epu64(t4, m, p[4]);
        t1 = _mm512_madd52hi_epu64(t1, m, p[0]);
        t2 = _mm512_madd52hi_epu64(t2, m, p[1]);
        t3 = _mm512_madd52hi_epu64(t3, m, p[2]);
        t4 = _mm512_madd52hi_epu64(t4, m, p[3]);
        t5 = _mm512_madd52hi_epu64(t5, m, p[4]);
        /* t0 ≡ 0 mod 2^52 now: carry its top into t1 and drop a limb. */
        t0 = _mm512_add_epi64(t1, _mm512_srli_epi64(t0, 52));
        t1 = t2;
        t2 = t3;
        t3 = t4;
        t4 = t5;
        t5 = zero;
    }
    zk_v5 r = {{t0, t1, t2, t3, t4}};
    return zk_normalize(r);
}

/* (u, v) ← (u + w·v, u − w·v), all in [0, 2p). */
static inline ZK_IFMA_TARGET void zk_butterfly(uint64_t *lo, uint64_t *hi, const uint64_t *w) {
    zk_v5 u = zk_load(lo);
    zk_v5 v = zk_mont(zk_load(hi), zk_load(w));
    zk_v5 s, d;
    for (int k = 0; k < 5; k++) {
        s.l[k] = _mm512_add_epi64(u.l[k], v.l[k]);
        d.l[k] = _mm512_sub_epi64(_mm512_add_epi64(u.l[k], _mm512_set1_epi64((long long)zk_2p52[k])), v.l[k]);
    }
    zk_store(lo, zk_subtract_if_at_least(zk_normalize(s), zk_2p52));
    zk_store(hi, zk_subtract_if_at_least(zk_normalize(d), zk_2p52));
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
        zk_v5 x = zk_subtract_if_at_least(zk_load(soa + 5 * b), zk_p52);
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

ZK_IFMA_ENTRY void zk_ifma_twiddles(const uint64_t *values, uint64_t *soa, long count) {
    for (long i = 0; i < count; i++) {
        /* 16·w mod p by four modular doublings (w < p < 2^254). */
        uint64_t l[4] = {values[4 * i], values[4 * i + 1], values[4 * i + 2], values[4 * i + 3]};
        for (int d = 0; d < 4; d++) {
            uint64_t carry = 0, twice[4], diff[4], borrow = 0;
            for (int k = 0; k < 4; k++) {
                twice[k] = (l[k] << 1) | carry;
                carry = l[k] >> 63;
            }
            for (int k = 0; k < 4; k++) {
                unsigned __int128 t = (unsigned __int128)twice[k] - zk_p64[k] - borrow;
                diff[k] = (uint64_t)t;
                borrow = (uint64_t)(t >> 64) & 1;
            }
            for (int k = 0; k < 4; k++) l[k] = borrow ? twice[k] : diff[k];
        }
        uint64_t limbs[5];
        zk_split52(l, limbs);
        uint64_t *block = soa + 40 * (i >> 3);
        for (int k = 0; k < 5; k++) block[8 * k + (i & 7)] = limbs[k];
    }
}

/* Eight consecutive elements (four 64-bit limbs each) as four vectors of their limbs 0 … 3: two rounds of
 * two-source permutes (gathers cost several times more on this hardware). */
static inline ZK_IFMA_TARGET void zk_transpose_in(const uint64_t *a, __m512i l[4]) {
    __m512i z0 = _mm512_loadu_si512((const void *)a), z1 = _mm512_loadu_si512((const void *)(a + 8));
    __m512i z2 = _mm512_loadu_si512((const void *)(a + 16)), z3 = _mm512_loadu_si512((const void *)(a + 24));
    const __m512i low = _mm512_set_epi64(13, 9, 5, 1, 12, 8, 4, 0), high = _mm512_set_epi64(15, 11, 7, 3, 14, 10, 6, 2);
    __m512i t0 = _mm512_permutex2var_epi64(z0, low, z1), t1 = _mm512_permutex2var_epi64(z0, high, z1);
    __m512i t2 = _mm512_permutex2var_epi64(z2, low, z3), t3 = _mm512_permutex2var_epi64(z2, high, z3);
    const __m512i first = _mm512_set_epi64(11, 10, 9, 8, 3, 2, 1, 0), second = _mm512_set_epi64(15, 14, 13, 12, 7, 6, 5, 4);
    l[0] = _mm512_permutex2var_epi64(t0, first, t2);
    l[1] = _mm512_permutex2var_epi64(t0, second, t2);
    l[2] = _mm512_permutex2var_epi64(t1, first, t3);
    l[3] = _mm512_permutex2var_epi64(t1, second, t3);
}

/* The inverse of `zk_transpose_in`. */
static inline ZK_IFMA_TARGET void zk_transpose_out(uint64_t *out, const __m512i l[4]) {
    const __m512i first = _mm512_set_epi64(11, 10, 9, 8, 3, 2, 1, 0), second = _mm512_set_epi64(15, 14, 13, 12, 7, 6, 5, 4);
    __m512i t0 = _mm512_permutex2var_epi64(l[0], first, l[1]), t2 = _mm512_permutex2var_epi64(l[0], second, l[1]);
    __m512i t1 = _mm512_permutex2var_epi64(l[2], first, l[3]), t3 = _mm512_permutex2var_epi64(l[2], second, l[3]);
    /* t0 = [e0..e3 limb 0, e0..e3 limb 1], t1 = the same for limbs 2, 3; t2, t3 for e4..e7. */
    const __m512i even = _mm512_set_epi64(13, 9, 5, 1, 12, 8, 4, 0), odd = _mm512_set_epi64(15, 11, 7, 3, 14, 10, 6, 2);
    _mm512_storeu_si512((void *)out, _mm512_permutex2var_epi64(t0, even, t1));
    _mm512_storeu_si512((void *)(out + 8), _mm512_permutex2var_epi64(t0, odd, t1));
    _mm512_storeu_si512((void *)(out + 16), _mm512_permutex2var_epi64(t2, even, t3));
    _mm512_storeu_si512((void *)(out + 24), _mm512_permutex2var_epi64(t2, odd, t3));
}

/* Eight elements as 52-bit limbs of 16·a (below 2^258, so five limbs still hold it): a Montgomery product at
 * R' = 2^260 with 16·a is then the product at R = 2^256. */
static inline ZK_IFMA_TARGET zk_v5 zk_gather_times16(const uint64_t *a) {
    const __m512i mask = _mm512_set1_epi64(ZK_M52);
    __m512i l[4];
    zk_transpose_in(a, l);
    zk_v5 v;
    v.l[0] = _mm512_and_si512(_mm512_slli_epi64(l[0], 4), mask);
    v.l[1] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(l[0], 48), _mm512_slli_epi64(l[1], 16)), mask);
    v.l[2] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(l[1], 36), _mm512_slli_epi64(l[2], 28)), mask);
    v.l[3] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(l[2], 24), _mm512_slli_epi64(l[3], 40)), mask);
    v.l[4] = _mm512_srli_epi64(l[3], 12);
    return v;
}

static inline ZK_IFMA_TARGET zk_v5 zk_gather(const uint64_t *a) {
    const __m512i mask = _mm512_set1_epi64(ZK_M52);
    __m512i l[4];
    zk_transpose_in(a, l);
    zk_v5 v;
    v.l[0] = _mm512_and_si512(l[0], mask);
    v.l[1] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(l[0], 52), _mm512_slli_epi64(l[1], 12)), mask);
    v.l[2] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(l[1], 40), _mm512_slli_epi64(l[2], 24)), mask);
    v.l[3] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(l[2], 28), _mm512_slli_epi64(l[3], 36)), mask);
    v.l[4] = _mm512_srli_epi64(l[3], 16);
    return v;
}

/* x (in [0, 2p)) reduced below p, written as eight Montgomery-form elements. */
static inline ZK_IFMA_TARGET void zk_scatter_reduced(uint64_t *out, zk_v5 x) {
    x = zk_subtract_if_at_least(x, zk_p52);
    __m512i l[4];
    l[0] = _mm512_or_si512(x.l[0], _mm512_slli_epi64(x.l[1], 52));
    l[1] = _mm512_or_si512(_mm512_srli_epi64(x.l[1], 12), _mm512_slli_epi64(x.l[2], 40));
    l[2] = _mm512_or_si512(_mm512_srli_epi64(x.l[2], 24), _mm512_slli_epi64(x.l[3], 28));
    l[3] = _mm512_or_si512(_mm512_srli_epi64(x.l[3], 36), _mm512_slli_epi64(x.l[4], 16));
    zk_transpose_out(out, l);
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
            unsigned __int128 t = (unsigned __int128)twice[k] - zk_p64[k] - borrow;
            diff[k] = (uint64_t)t;
            borrow = (uint64_t)(t >> 64) & 1;
        }
        for (int k = 0; k < 4; k++) l[k] = borrow ? twice[k] : diff[k];
    }
    zk_split52(l, limbs);
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
    zk_v5 sum, difference;
    for (int k = 0; k < 5; k++) {
        sum.l[k] = _mm512_add_epi64(u.l[k], v.l[k]);
        difference.l[k] = _mm512_sub_epi64(_mm512_add_epi64(u.l[k], _mm512_set1_epi64((long long)zk_2p52[k])), v.l[k]);
    }
    sum = zk_subtract_if_at_least(zk_normalize(sum), zk_2p52);
    difference = zk_subtract_if_at_least(zk_normalize(difference), zk_2p52);
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
