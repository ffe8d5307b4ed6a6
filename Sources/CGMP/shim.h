// GMP's mpz_* names are macros Swift cannot import; the real __gmpz_* symbols are used directly.
#include <gmp.h>
