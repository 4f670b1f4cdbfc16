/* Matrices of int, sizes 2 to 9. */
#include "matrix.h"

DEFINE_MATRIX(int, 2)
DEFINE_MATRIX(int, 3)
DEFINE_MATRIX(int, 4)
DEFINE_MATRIX(int, 5)
DEFINE_MATRIX(int, 6)
DEFINE_MATRIX(int, 7)
DEFINE_MATRIX(int, 8)
DEFINE_MATRIX(int, 9)

int hello_matrix_check_int(uint64_t *seed)
{
    return check_int_2(seed)
        && check_int_3(seed)
        && check_int_4(seed)
        && check_int_5(seed)
        && check_int_6(seed)
        && check_int_7(seed)
        && check_int_8(seed)
        && check_int_9(seed);
}
