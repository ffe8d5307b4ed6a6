/*
 * The MSM's batched affine additions (BucketAccumulator.flush) on AVX-512 IFMA, eight additions at a time.
 *
 * Why: each addition into a bucket costs ~6 Fq products (Montgomery's trick: one forward and two backward
 * products per element, then λ, λ² and λ·(x₁ − x₃)), a fifth of nanoGPT's prover CPU on the scalar MULX
 * product. Here the batch runs as eight interleaved chains of Montgomery's trick, one per lane, whose eight
 * products the caller inverts together; every product is an IFMA product at R' = 2^260 with one operand given
 * as 16·a, which is the product at the usual R = 2^256, so buckets and entries keep their ordinary form.
 */
#include "msm_ifma.h"

#if defined(__x86_64__)
#include <immintrin.h>

#include "ifma_field.h"

/* a·b at R = 2^256: the R' = 2^260 product of 16·a (below 2^260 for a < 2q) and b. */
static inline ZK_IFMA_TARGET zk_v5 zk_fq_product(zk_v5 a, zk_v5 b) {
    const __m512i mask = _mm512_set1_epi64(ZK_M52);
    zk_v5 s;
    s.l[0] = _mm512_and_si512(_mm512_slli_epi64(a.l[0], 4), mask);
    for (int k = 1; k < 5; k++) {
        s.l[k] = _mm512_and_si512(_mm512_or_si512(_mm512_slli_epi64(a.l[k], 4), _mm512_srli_epi64(a.l[k - 1], 48)), mask);
    }
    return zk_mont_in(&zk_fq, s, b);
}

static inline ZK_IFMA_TARGET zk_v5 zk_fq_difference(zk_v5 a, zk_v5 b) { return zk_difference_in(&zk_fq, a, b); }

/* The group's entries (lanes past `valid` repeat entry 0 of the batch, so their factors are non-zero and
 * nothing is written for them). */
static inline ZK_IFMA_TARGET void zk_group_words(const uint64_t *words, const int32_t *bucket, long first, int valid,
                                                  int byBucket, uint64_t out[32]) {
    for (int e = 0; e < 8; e++) {
        long i = e < valid ? first + e : 0;
        const uint64_t *source = words + 4 * (byBucket ? (long)bucket[i] : i);
        for (int k = 0; k < 4; k++) out[4 * e + k] = source[k];
    }
}

static inline ZK_IFMA_TARGET zk_v5 zk_group(const uint64_t *words, const int32_t *bucket, long first, long n,
                                             int byBucket) {
    uint64_t gathered[32] __attribute__((aligned(64)));
    int valid = n - first < 8 ? (int)(n - first) : 8;
    if (!byBucket && valid == 8) return zk_gather(words + 4 * first);
    zk_group_words(words, bucket, first, valid, byBucket, gathered);
    return zk_gather(gathered);
}

ZK_IFMA_ENTRY int zk_ifma_fq_batch_forward(const uint64_t *bucketX, const int32_t *bucket, const uint64_t *entryX,
                                            long n, uint64_t *scratch, uint64_t *laneProducts) {
    /* A doubling or a cancellation (x equal): the scalar path handles those batches. */
    for (long e = 0; e < n; e++) {
        const uint64_t *a = entryX + 4 * e, *b = bucketX + 4 * (long)bucket[e];
        if (a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3]) return 0;
    }
    zk_v5 product;
    for (long g = 0; 8 * g < n; g++) {
        zk_v5 d = zk_fq_difference(zk_group(entryX, bucket, 8 * g, n, 0), zk_group(bucketX, bucket, 8 * g, n, 1));
        uint64_t *slot = scratch + 80 * g;
        for (int k = 0; k < 5; k++) _mm512_storeu_si512((void *)(slot + 8 * k), d.l[k]);
        if (g == 0) {
            product = d;
        } else {
            for (int k = 0; k < 5; k++) _mm512_storeu_si512((void *)(slot + 40 + 8 * k), product.l[k]);
            product = zk_fq_product(product, d);
        }
    }
    zk_scatter_reduced_in(&zk_fq, laneProducts, product);
    return 1;
}

ZK_IFMA_ENTRY void zk_ifma_fq_batch_backward(uint64_t *bucketX, uint64_t *bucketY, uint8_t *state, const int32_t *bucket,
                                              const uint64_t *entryX, const uint64_t *entryY, long n,
                                              const uint64_t *scratch, const uint64_t *laneInverses) {
    zk_v5 inverse = zk_gather(laneInverses);
    long groups = (n + 7) / 8;
    for (long g = groups - 1; g >= 0; g--) {
        const uint64_t *slot = scratch + 80 * g;
        zk_v5 d, prefix, inv;
        for (int k = 0; k < 5; k++) d.l[k] = _mm512_loadu_si512((const void *)(slot + 8 * k));
        if (g > 0) {
            for (int k = 0; k < 5; k++) prefix.l[k] = _mm512_loadu_si512((const void *)(slot + 40 + 8 * k));
            inv = zk_fq_product(inverse, prefix);
            inverse = zk_fq_product(inverse, d);
        } else {
            inv = inverse;
        }
        zk_v5 x2 = zk_group(entryX, bucket, 8 * g, n, 0), y2 = zk_group(entryY, bucket, 8 * g, n, 0);
        zk_v5 x1 = zk_group(bucketX, bucket, 8 * g, n, 1), y1 = zk_group(bucketY, bucket, 8 * g, n, 1);
        zk_v5 lambda = zk_fq_product(zk_fq_difference(y2, y1), inv);
        zk_v5 x3 = zk_fq_difference(zk_fq_difference(zk_fq_product(lambda, lambda), x1), x2);
        zk_v5 y3 = zk_fq_difference(zk_fq_product(lambda, zk_fq_difference(x1, x3)), y1);
        uint64_t outX[32] __attribute__((aligned(64))), outY[32] __attribute__((aligned(64)));
        zk_scatter_reduced_in(&zk_fq, outX, x3);
        zk_scatter_reduced_in(&zk_fq, outY, y3);
        int valid = n - 8 * g < 8 ? (int)(n - 8 * g) : 8;
        for (int e = 0; e < valid; e++) {
            long b = bucket[8 * g + e];
            for (int k = 0; k < 4; k++) {
                bucketX[4 * b + k] = outX[4 * e + k];
                bucketY[4 * b + k] = outY[4 * e + k];
            }
            state[b] = 1;
        }
    }
}

#else

int zk_ifma_fq_batch_forward(const uint64_t *bucketX, const int32_t *bucket, const uint64_t *entryX, long n,
                             uint64_t *scratch, uint64_t *laneProducts) { return 0; }
void zk_ifma_fq_batch_backward(uint64_t *bucketX, uint64_t *bucketY, uint8_t *state, const int32_t *bucket,
                               const uint64_t *entryX, const uint64_t *entryY, long n, const uint64_t *scratch,
                               const uint64_t *laneInverses) {}

#endif
