/* Running statistics (Welford), generic over the sample type, checked against two-pass results. */
#include <math.h>
#include <stdlib.h>
#include "hello.h"

#define DEFINE_STATS(T)                                                              \
    struct stats_##T { size_t n; double mean, m2; T min, max; };                     \
    static void add_##T(struct stats_##T *s, T x)                                    \
    {                                                                                \
        if (s->n == 0 || x < s->min) s->min = x;                                     \
        if (s->n == 0 || x > s->max) s->max = x;                                     \
        s->n++;                                                                      \
        double d = (double)x - s->mean;                                              \
        s->mean += d / (double)s->n;                                                 \
        s->m2 += d * ((double)x - s->mean);                                          \
    }                                                                                \
    static int check_##T(uint64_t *seed, size_t n)                                   \
    {                                                                                \
        T *v = malloc(n * sizeof *v);                                                \
        if (!v) return 0;                                                            \
        struct stats_##T s = {0, 0, 0, 0, 0};                                        \
        double sum = 0;                                                              \
        for (size_t i = 0; i < n; i++) {                                             \
            v[i] = (T)(hello_mix64(seed) % 1000);                                    \
            add_##T(&s, v[i]);                                                       \
            sum += (double)v[i];                                                     \
        }                                                                            \
        double mean = sum / (double)n, m2 = 0;                                       \
        for (size_t i = 0; i < n; i++) m2 += ((double)v[i] - mean) * ((double)v[i] - mean); \
        free(v);                                                                     \
        return fabs(mean - s.mean) < 1e-6 && fabs(m2 - s.m2) < 1e-3 * (1 + m2) && s.min <= s.max; \
    }

DEFINE_STATS(int)
DEFINE_STATS(long)
DEFINE_STATS(float)
DEFINE_STATS(double)

int hello_stats_check(void)
{
    uint64_t seed = 7;
    return check_int(&seed, 1000) && check_long(&seed, 1000) && check_float(&seed, 1000) && check_double(&seed, 1000);
}
