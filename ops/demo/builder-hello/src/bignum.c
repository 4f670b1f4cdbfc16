/* Arbitrary-size unsigned integers in base 10^9, enough for n! in decimal. */
#include <stdio.h>
#include <string.h>
#include "hello.h"

#define LIMBS 512
#define BASE 1000000000u

void hello_factorial_decimal(unsigned n, char *out, size_t cap)
{
    static uint32_t limb[LIMBS];
    size_t used = 1;
    limb[0] = 1;
    for (unsigned f = 2; f <= n; f++) {
        uint64_t carry = 0;
        for (size_t i = 0; i < used; i++) {
            uint64_t v = (uint64_t)limb[i] * f + carry;
            limb[i] = (uint32_t)(v % BASE);
            carry = v / BASE;
        }
        while (carry && used < LIMBS) {
            limb[used++] = (uint32_t)(carry % BASE);
            carry /= BASE;
        }
    }
    size_t o = (size_t)snprintf(out, cap, "%u", limb[used - 1]);
    for (size_t i = used - 1; i-- > 0 && o + 10 <= cap;) {
        o += (size_t)snprintf(out + o, cap - o, "%09u", limb[i]);
    }
}
