/* Matrices of long, sizes 2 to 9. */
#include "matrix.h"

DEFINE_MATRIX(long, 2)
DEFINE_MATRIX(long, 3)
DEFINE_MATRIX(long, 4)
DEFINE_MATRIX(long, 5)
DEFINE_MATRIX(long, 6)
DEFINE_MATRIX(long, 7)
DEFINE_MATRIX(long, 8)
DEFINE_MATRIX(long, 9)

int hello_matrix_check_long(uint64_t *seed)
{
    return check_long_2(seed)
        && check_long_3(seed)
        && check_long_4(seed)
        && check_long_5(seed)
        && check_long_6(seed)
        && check_long_7(seed)
        && check_long_8(seed)
        && check_long_9(seed);
}
