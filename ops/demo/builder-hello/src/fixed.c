/* Q16.16 fixed-point sine (Taylor series after range reduction) and square root (bitwise). */
#include "hello.h"

#define ONE 65536
#define PI_Q16 205887
#define TWO_PI_Q16 411775

static int32_t mul(int32_t a, int32_t b) { return (int32_t)(((int64_t)a * b) >> 16); }

int32_t hello_fixed_sin(int32_t x)
{
    x %= TWO_PI_Q16;
    if (x > PI_Q16) x -= TWO_PI_Q16;
    if (x < -PI_Q16) x += TWO_PI_Q16;
    if (x > PI_Q16 / 2) x = PI_Q16 - x;
    if (x < -PI_Q16 / 2) x = -PI_Q16 - x;
    int32_t x2 = mul(x, x), term = x, sum = x;
    for (int n = 1; n < 7; n++) {
        term = -mul(term, x2) / ((2 * n) * (2 * n + 1));
        sum += term;
    }
    return sum;
}

int32_t hello_fixed_sqrt(int32_t x)
{
    if (x <= 0) {
        return 0;
    }
    uint64_t v = (uint64_t)x << 16, r = 0, bit = (uint64_t)1 << 62;
    while (bit > v) bit >>= 2;
    while (bit) {
        if (v >= r + bit) {
            v -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
        bit >>= 2;
    }
    return (int32_t)r;
}
