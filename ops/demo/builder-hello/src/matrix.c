/* The matrix self-check over every element type. */
#include "hello.h"

int hello_matrix_check(void)
{
    uint64_t seed = 42;
    return hello_matrix_check_int(&seed) && hello_matrix_check_long(&seed) && hello_matrix_check_short(&seed)
        && hello_matrix_check_unsigned(&seed) && hello_matrix_check_float(&seed) && hello_matrix_check_double(&seed)
        && hello_matrix_check_llong(&seed) && hello_matrix_check_ushort(&seed);
}
