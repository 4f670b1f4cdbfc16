/* Primes: a bit sieve of Eratosthenes over odd numbers. */
#include <stdlib.h>
#include <string.h>
#include "hello.h"

static uint8_t *sieve(unsigned limit)
{
    uint8_t *composite = calloc(limit / 16 + 1, 1);
    if (!composite) {
        return NULL;
    }
    for (unsigned i = 3; (uint64_t)i * i < limit; i += 2) {
        if (!(composite[i / 16] & 1u << (i / 2 % 8))) {
            for (unsigned j = i * i; j < limit; j += 2 * i) {
                composite[j / 16] |= (uint8_t)(1u << (j / 2 % 8));
            }
        }
    }
    return composite;
}

size_t hello_primes_below(unsigned limit)
{
    if (limit <= 2) {
        return 0;
    }
    uint8_t *c = sieve(limit);
    size_t count = 1;
    for (unsigned i = 3; i < limit; i += 2) {
        count += !(c[i / 16] & 1u << (i / 2 % 8));
    }
    free(c);
    return count;
}

unsigned hello_nth_prime(unsigned n)
{
    unsigned limit = 64;
    while (hello_primes_below(limit) < n) {
        limit *= 2;
    }
    uint8_t *c = sieve(limit);
    unsigned seen = 1, p = 2;
    for (unsigned i = 3; i < limit && seen < n; i += 2) {
        if (!(c[i / 16] & 1u << (i / 2 % 8))) {
            seen++;
            p = i;
        }
    }
    free(c);
    return n == 1 ? 2 : p;
}
