/*
 * Arithmetic on eight field elements at a time with AVX-512 IFMA, shared by the NTT (ntt_ifma.c) and the MSM's
 * batched additions (msm_ifma.c); private to this target.
 *
 * An element is five 52-bit limbs (zk_v5: limb k of lane e in l[k][e]). Products are Montgomery products with
 * R' = 2^260; an operand given as 16·a (still below 2^260) turns them into products at the R = 2^256 of the
 * rest of the code. Values stay in [0, 2p) between operations.
 */
#ifndef ZKINFER_IFMA_FIELD_H
#define ZKINFER_IFMA_FIELD_H

#include <stdint.h>
#include <immintrin.h>

#define ZK_IFMA_TARGET __attribute__((target("avx512f,avx512ifma"), always_inline))
#define ZK_IFMA_ENTRY __attribute__((target("avx512f,avx512ifma")))

#define ZK_M52 0xfffffffffffffULL

/* A prime below 2^254 for the vector kernels: p in 64-bit limbs; p, 2p in 52-bit limbs; −p^{-1} mod 2^52. */
typedef struct {
    uint64_t p64[4];
    uint64_t p[5], twice[5], inverse;
} zk_field52;

/* BN254's Fr and Fq, filled by zk_ifma_available() (ntt_ifma.c). */
extern zk_field52 zk_fr, zk_fq;

static inline void zk_split52(const uint64_t l[4], uint64_t out[5]) {
    out[0] = l[0] & ZK_M52;
    out[1] = ((l[0] >> 52) | (l[1] << 12)) & ZK_M52;
    out[2] = ((l[1] >> 40) | (l[2] << 24)) & ZK_M52;
    out[3] = ((l[2] >> 28) | (l[3] << 36)) & ZK_M52;
    out[4] = l[3] >> 16;
}

static inline void zk_field52_init(zk_field52 *f, const uint64_t p64[4]) {
    uint64_t twice[4], carry = 0;
    for (int i = 0; i < 4; i++) {
        f->p64[i] = p64[i];
        twice[i] = (p64[i] << 1) | carry;
        carry = p64[i] >> 63;
    }
    zk_split52(p64, f->p);
    zk_split52(twice, f->twice);
    /* −p^{-1} mod 2^64 by Newton's iteration, then its low 52 bits. */
    uint64_t inv = 1;
    for (int i = 0; i < 6; i++) inv *= 2 - p64[0] * inv;
    f->inverse = (0 - inv) & ZK_M52;
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

/* a + b and a − b for a, b in [0, 2p), each in [0, 2p): limb-wise (a − b adds 2p first), carried, and 2p
 * subtracted once if reached. */
static inline ZK_IFMA_TARGET zk_v5 zk_sum_in(const zk_field52 *f, zk_v5 a, zk_v5 b) {
    zk_v5 s;
    for (int k = 0; k < 5; k++) s.l[k] = _mm512_add_epi64(a.l[k], b.l[k]);
    return zk_subtract_if_at_least(zk_normalize(s), f->twice);
}

static inline ZK_IFMA_TARGET zk_v5 zk_difference_in(const zk_field52 *f, zk_v5 a, zk_v5 b) {
    zk_v5 d;
    for (int k = 0; k < 5; k++) {
        d.l[k] = _mm512_sub_epi64(_mm512_add_epi64(a.l[k], _mm512_set1_epi64((long long)f->twice[k])), b.l[k]);
    }
    return zk_subtract_if_at_least(zk_normalize(d), f->twice);
}

/* a·b/2^260 mod p, in [0, 2p), normalized; a, b normalized with a·b < 2^260·p (both below 2p will do). */
static inline ZK_IFMA_TARGET zk_v5 zk_mont_in(const zk_field52 *f, zk_v5 a, zk_v5 b) {
    const __m512i zero = _mm512_setzero_si512();
    const __m512i pinv = _mm512_set1_epi64((long long)f->inverse);
    __m512i p[5];
    for (int k = 0; k < 5; k++) p[k] = _mm512_set1_epi64((long long)f->p[k]);
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

/* x (in [0, 2p)) reduced below p, written as eight consecutive Montgomery-form elements. */
static inline ZK_IFMA_TARGET void zk_scatter_reduced_in(const zk_field52 *f, uint64_t *out, zk_v5 x) {
    x = zk_subtract_if_at_least(x, f->p);
    __m512i l[4];
    l[0] = _mm512_or_si512(x.l[0], _mm512_slli_epi64(x.l[1], 52));
    l[1] = _mm512_or_si512(_mm512_srli_epi64(x.l[1], 12), _mm512_slli_epi64(x.l[2], 40));
    l[2] = _mm512_or_si512(_mm512_srli_epi64(x.l[2], 24), _mm512_slli_epi64(x.l[3], 28));
    l[3] = _mm512_or_si512(_mm512_srli_epi64(x.l[3], 36), _mm512_slli_epi64(x.l[4], 16));
    zk_transpose_out(out, l);
}


#endif
