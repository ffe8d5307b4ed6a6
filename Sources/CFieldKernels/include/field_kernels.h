/*
 * Montgomery multiplication for the two BN254 fields with MULX/ADCX/ADOX (x86-64 with BMI2 and ADX, which the
 * release kernels already target: Package.swift builds them for Broadwell and later).
 *
 * Why C: Swift (and C without assembly) cannot keep two carry chains in flight; LLVM serialises every add on
 * CF. With ADCX (CF) for the low words and ADOX (OF) for the high words of each row of partial products, a
 * multiplication takes ~15 ns here instead of 23.7 (Swift) or 21.6 (C with __int128):
 * bench/results/2026-12-05-asm-field.md, `zkbench arith`.
 *
 * The algorithm is the one MontgomeryField.swift describes (CIOS, four rounds of "add a_i·b, then add m·p and
 * drop the low word", moduli below 2^254 so that the running value fits in five words and ends below 2p, then
 * one conditional subtraction). Five registers hold the running value; each round's low word becomes zero and
 * is reused as the next round's top word, so the register names rotate by one per round.
 *
 * static inline + always_inline: Swift's importer emits these into the calling module, where LLVM inlines
 * them into the hot loops.
 */
#ifndef ZKINFER_FIELD_KERNELS_H
#define ZKINFER_FIELD_KERNELS_H

#include <stdint.h>

typedef struct { uint64_t limb[4]; } zk_limbs;

#if defined(__x86_64__)
#define ZK_FIELD_KERNELS_ASM 1

#define ZK_R(name) "%[" #name "]"

/* Round 0: t = a0·b (t starts at zero, so one carry chain does). */
#define ZK_FIRST_PRODUCT(T0, T1, T2, T3, T4)                                                                  \
    "movq %[a0], %%rdx\n\t"                                                                                   \
    "mulxq %[b0], " ZK_R(T0) ", " ZK_R(T1) "\n\t"                                                             \
    "mulxq %[b1], %[lo], " ZK_R(T2) "\n\t"                                                                    \
    "addq %[lo], " ZK_R(T1) "\n\t"                                                                            \
    "mulxq %[b2], %[lo], " ZK_R(T3) "\n\t"                                                                    \
    "adcq %[lo], " ZK_R(T2) "\n\t"                                                                            \
    "mulxq %[b3], %[lo], " ZK_R(T4) "\n\t"                                                                    \
    "adcq %[lo], " ZK_R(T3) "\n\t"                                                                            \
    "adcq $0, " ZK_R(T4) "\n\t"

/* One row of products x·y_j added into T0..T4: low words on the CF chain, high words on the OF chain. The
 * caller has cleared both flags. The top word cannot overflow: the running value stays below 2^319. */
#define ZK_ROW(Y, T0, T1, T2, T3, T4)                                                                         \
    "mulxq %[" #Y "0], %[lo], %[hi]\n\t"                                                                      \
    "adcxq %[lo], " ZK_R(T0) "\n\t"                                                                           \
    "adoxq %[hi], " ZK_R(T1) "\n\t"                                                                           \
    "mulxq %[" #Y "1], %[lo], %[hi]\n\t"                                                                      \
    "adcxq %[lo], " ZK_R(T1) "\n\t"                                                                           \
    "adoxq %[hi], " ZK_R(T2) "\n\t"                                                                           \
    "mulxq %[" #Y "2], %[lo], %[hi]\n\t"                                                                      \
    "adcxq %[lo], " ZK_R(T2) "\n\t"                                                                           \
    "adoxq %[hi], " ZK_R(T3) "\n\t"                                                                           \
    "mulxq %[" #Y "3], %[lo], %[hi]\n\t"                                                                      \
    "adcxq %[lo], " ZK_R(T3) "\n\t"                                                                           \
    "adoxq %[hi], " ZK_R(T4) "\n\t"                                                                           \
    "adcq $0, " ZK_R(T4) "\n\t"

/* Rounds 1–3: t += a_i·b, with T4 (free: the previous round's zeroed low word) starting at zero. */
#define ZK_PRODUCT(I, T0, T1, T2, T3, T4)                                                                     \
    "movq %[a" #I "], %%rdx\n\t"                                                                              \
    "xorl %k[" #T4 "], %k[" #T4 "]\n\t"                                                                       \
    ZK_ROW(b, T0, T1, T2, T3, T4)

/* t += m·p with m = t0·(−p⁻¹) mod 2^64: T0 becomes zero and T1..T4 hold t / 2^64. */
#define ZK_REDUCE(T0, T1, T2, T3, T4)                                                                         \
    "movq " ZK_R(T0) ", %%rdx\n\t"                                                                            \
    "imulq %[inv], %%rdx\n\t"                                                                                 \
    "xorl %k[lo], %k[lo]\n\t"                                                                                 \
    ZK_ROW(p, T0, T1, T2, T3, T4)

/* r = a·b·2^−256 mod p for a, b < p; `p` and `inv` (−p⁻¹ mod 2^64) are static constants. */
#define ZK_DEFINE_MONTGOMERY_MULTIPLY(NAME, P, INV)                                                           \
    static inline __attribute__((always_inline)) zk_limbs NAME(zk_limbs a, zk_limbs b) {                      \
        uint64_t r0, r1, r2, r3, r4, lo, hi;                                                                  \
        __asm__(ZK_FIRST_PRODUCT(r0, r1, r2, r3, r4) ZK_REDUCE(r0, r1, r2, r3, r4)                            \
                ZK_PRODUCT(1, r1, r2, r3, r4, r0) ZK_REDUCE(r1, r2, r3, r4, r0)                               \
                ZK_PRODUCT(2, r2, r3, r4, r0, r1) ZK_REDUCE(r2, r3, r4, r0, r1)                               \
                ZK_PRODUCT(3, r3, r4, r0, r1, r2) ZK_REDUCE(r3, r4, r0, r1, r2)                               \
                /* t = (r4, r0, r1, r2) < 2p; t − p into (lo, hi, r3, rdx), kept when it does not borrow. */  \
                "movq %[r4], %[lo]\n\t"                                                                       \
                "subq %[p0], %[lo]\n\t"                                                                       \
                "movq %[r0], %[hi]\n\t"                                                                       \
                "sbbq %[p1], %[hi]\n\t"                                                                       \
                "movq %[r1], %[r3]\n\t"                                                                       \
                "sbbq %[p2], %[r3]\n\t"                                                                       \
                "movq %[r2], %%rdx\n\t"                                                                       \
                "sbbq %[p3], %%rdx\n\t"                                                                       \
                "cmovncq %[lo], %[r4]\n\t"                                                                    \
                "cmovncq %[hi], %[r0]\n\t"                                                                    \
                "cmovncq %[r3], %[r1]\n\t"                                                                    \
                "cmovncq %%rdx, %[r2]\n\t"                                                                    \
                : [r0] "=&r"(r0), [r1] "=&r"(r1), [r2] "=&r"(r2), [r3] "=&r"(r3), [r4] "=&r"(r4),             \
                  [lo] "=&r"(lo), [hi] "=&r"(hi)                                                              \
                : [a0] "r"(a.limb[0]), [a1] "r"(a.limb[1]), [a2] "r"(a.limb[2]), [a3] "r"(a.limb[3]),         \
                  [b0] "m"(b.limb[0]), [b1] "m"(b.limb[1]), [b2] "m"(b.limb[2]), [b3] "m"(b.limb[3]),         \
                  [p0] "m"(P[0]), [p1] "m"(P[1]), [p2] "m"(P[2]), [p3] "m"(P[3]), [inv] "m"(INV)              \
                : "rdx", "cc");                                                                               \
        zk_limbs r = {{r4, r0, r1, r2}};                                                                      \
        return r;                                                                                             \
    }

static const uint64_t zk_fr_modulus[4] = {0x43e1f593f0000001ULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL,
                                          0x30644e72e131a029ULL};
static const uint64_t zk_fr_neg_inverse = 0xc2e1f593efffffffULL;
static const uint64_t zk_fq_modulus[4] = {0x3c208c16d87cfd47ULL, 0x97816a916871ca8dULL, 0xb85045b68181585dULL,
                                          0x30644e72e131a029ULL};
static const uint64_t zk_fq_neg_inverse = 0x87d20782e4866389ULL;

ZK_DEFINE_MONTGOMERY_MULTIPLY(zk_fr_multiply, zk_fr_modulus, zk_fr_neg_inverse)
ZK_DEFINE_MONTGOMERY_MULTIPLY(zk_fq_multiply, zk_fq_modulus, zk_fq_neg_inverse)

#endif /* x86-64 */

#endif /* ZKINFER_FIELD_KERNELS_H */
