#include <stdint.h>
// Plain C Montgomery multiplication with unsigned __int128, the yardstick for the Swift field kernels.
void yardstick_mont_mul(uint64_t out[4], const uint64_t a[4], const uint64_t b[4],
                        const uint64_t p[4], uint64_t neg_inv);
// Runs a dependent chain of `n` multiplications x = x*y and returns x (for timing without call overhead).
void yardstick_mont_chain(uint64_t x[4], const uint64_t y[4], const uint64_t p[4], uint64_t neg_inv, uint64_t n);
