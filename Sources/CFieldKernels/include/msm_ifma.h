/*
 * Batched affine additions into MSM buckets on AVX-512 IFMA (msm_ifma.c): bucket[b_e] += (x_e, y_e) for every
 * entry e of a batch whose buckets are distinct. Fq elements in Montgomery form, four 64-bit limbs each. Call
 * only when zk_ifma_available() (ntt_ifma.h) says so.
 */
#ifndef ZKINFER_MSM_IFMA_H
#define ZKINFER_MSM_IFMA_H

#include <stdint.h>

/* The first half: x_e − x_(b_e) for every entry, chained per lane (entry e in lane e mod 8). Returns 0, having
 * written nothing, when some entry has its bucket's x (a doubling or a cancellation, left to the scalar
 * path); else writes the eight lanes' products to laneProducts (eight elements) and returns 1. scratch: 80
 * words per eight entries. */
int zk_ifma_fq_batch_forward(const uint64_t *bucketX, const int32_t *bucket, const uint64_t *entryX, long n,
                             uint64_t *scratch, uint64_t *laneProducts);
/* The second half, given the inverses of the eight lane products: every addition finished into its bucket
 * (state set to 1: holds a point). */
void zk_ifma_fq_batch_backward(uint64_t *bucketX, uint64_t *bucketY, uint8_t *state, const int32_t *bucket,
                               const uint64_t *entryX, const uint64_t *entryY, long n, const uint64_t *scratch,
                               const uint64_t *laneInverses);

#endif
