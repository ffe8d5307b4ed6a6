#include "yardstick.h"

typedef unsigned __int128 u128;

// CIOS Montgomery multiplication, 4 limbs, for moduli with two spare top bits (BN254).
static inline void mont_mul(uint64_t out[4], const uint64_t a[4], const uint64_t b[4],
                            const uint64_t p[4], uint64_t neg_inv) {
    uint64_t t[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4; i++) {
        u128 acc = 0;
        uint64_t carry = 0;
        for (int j = 0; j < 4; j++) {
            acc = (u128)a[j] * b[i] + t[j] + carry;
            t[j] = (uint64_t)acc;
            carry = (uint64_t)(acc >> 64);
        }
        uint64_t high = carry;
        uint64_t m = t[0] * neg_inv;
        acc = (u128)m * p[0] + t[0];
        carry = (uint64_t)(acc >> 64);
        for (int j = 1; j < 4; j++) {
            acc = (u128)m * p[j] + t[j] + carry;
            t[j - 1] = (uint64_t)acc;
            carry = (uint64_t)(acc >> 64);
        }
        t[3] = carry + high;
    }
    uint64_t d[4];
    uint64_t borrow = 0;
    for (int j = 0; j < 4; j++) {
        u128 diff = (u128)t[j] - p[j] - borrow;
        d[j] = (uint64_t)diff;
        borrow = (uint64_t)(diff >> 64) & 1;
    }
    for (int j = 0; j < 4; j++) out[j] = borrow ? t[j] : d[j];
}

void yardstick_mont_mul(uint64_t out[4], const uint64_t a[4], const uint64_t b[4],
                        const uint64_t p[4], uint64_t neg_inv) {
    mont_mul(out, a, b, p, neg_inv);
}

void yardstick_mont_chain(uint64_t x[4], const uint64_t y[4], const uint64_t p[4], uint64_t neg_inv, uint64_t n) {
    uint64_t v[4] = {x[0], x[1], x[2], x[3]};
    for (uint64_t k = 0; k < n; k++) mont_mul(v, v, y, p, neg_inv);
    for (int j = 0; j < 4; j++) x[j] = v[j];
}
