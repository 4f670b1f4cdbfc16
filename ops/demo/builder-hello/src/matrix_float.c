/* Matrices of float, sizes 2 to 9. */
#include "matrix.h"

DEFINE_MATRIX(float, 2)
DEFINE_MATRIX(float, 3)
DEFINE_MATRIX(float, 4)
DEFINE_MATRIX(float, 5)
DEFINE_MATRIX(float, 6)
DEFINE_MATRIX(float, 7)
DEFINE_MATRIX(float, 8)
DEFINE_MATRIX(float, 9)

int hello_matrix_check_float(uint64_t *seed)
{
    return check_float_2(seed)
        && check_float_3(seed)
        && check_float_4(seed)
        && check_float_5(seed)
        && check_float_6(seed)
        && check_float_7(seed)
        && check_float_8(seed)
        && check_float_9(seed);
}
