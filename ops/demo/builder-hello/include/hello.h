/* builder-hello: the small libraries the program checks before it greets. */
#ifndef BUILDER_HELLO_H
#define BUILDER_HELLO_H

#include <stddef.h>
#include <stdint.h>

/* sha256.c */
void hello_sha256(const uint8_t *data, size_t len, uint8_t out[32]);
/* crc.c */
uint32_t hello_crc32(const uint8_t *data, size_t len);
uint16_t hello_crc16_ccitt(const uint8_t *data, size_t len);
uint32_t hello_adler32(const uint8_t *data, size_t len);
/* base64.c */
size_t hello_base64_encode(const uint8_t *in, size_t len, char *out, size_t cap);
long hello_base64_decode(const char *in, uint8_t *out, size_t cap);
/* sort.c */
void hello_sort_ints(int *v, size_t n);
void hello_sort_doubles(double *v, size_t n);
void hello_sort_strings(const char **v, size_t n);
/* matrix*.c */
int hello_matrix_check(void);
int hello_matrix_check_int(uint64_t *seed);
int hello_matrix_check_long(uint64_t *seed);
int hello_matrix_check_short(uint64_t *seed);
int hello_matrix_check_unsigned(uint64_t *seed);
int hello_matrix_check_float(uint64_t *seed);
int hello_matrix_check_double(uint64_t *seed);
int hello_matrix_check_llong(uint64_t *seed);
int hello_matrix_check_ushort(uint64_t *seed);
/* bignum.c */
void hello_factorial_decimal(unsigned n, char *out, size_t cap);
/* rle.c */
size_t hello_rle_encode(const uint8_t *in, size_t len, uint8_t *out, size_t cap);
size_t hello_rle_decode(const uint8_t *in, size_t len, uint8_t *out, size_t cap);
/* sieve.c */
size_t hello_primes_below(unsigned limit);
unsigned hello_nth_prime(unsigned n);
/* text.c */
size_t hello_word_count(const char *text);
void hello_reverse_words(const char *in, char *out, size_t cap);
int hello_levenshtein(const char *a, const char *b);
/* fixed.c */
int32_t hello_fixed_sin(int32_t angle_q16);
int32_t hello_fixed_sqrt(int32_t x_q16);
/* stats.c */
int hello_stats_check(void);
/* check.c */
int hello_self_check(int verbose);

/* A 64-bit mixing PRNG shared by the checks (splitmix64). */
static inline uint64_t hello_mix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

#endif
