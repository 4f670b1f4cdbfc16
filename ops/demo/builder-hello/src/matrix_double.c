/* Matrices of double, sizes 2 to 9. */
#include "matrix.h"

DEFINE_MATRIX(double, 2)
DEFINE_MATRIX(double, 3)
DEFINE_MATRIX(double, 4)
DEFINE_MATRIX(double, 5)
DEFINE_MATRIX(double, 6)
DEFINE_MATRIX(double, 7)
DEFINE_MATRIX(double, 8)
DEFINE_MATRIX(double, 9)

int hello_matrix_check_double(uint64_t *seed)
{
    return check_double_2(seed)
        && check_double_3(seed)
        && check_double_4(seed)
        && check_double_5(seed)
        && check_double_6(seed)
        && check_double_7(seed)
        && check_double_8(seed)
        && check_double_9(seed);
}
