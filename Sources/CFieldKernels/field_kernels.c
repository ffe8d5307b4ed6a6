/* The kernels are static inline in include/field_kernels.h (inlined into the Swift callers); this file gives
 * the target a translation unit and checks that the header compiles on its own. */
#include "field_kernels.h"
