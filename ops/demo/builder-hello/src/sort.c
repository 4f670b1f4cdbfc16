/* Sorting: an introsort-like quicksort with insertion sort for short runs, instantiated per element type. */
#include <string.h>
#include "hello.h"

#define DEFINE_SORT(NAME, T0, LESS)                                                  \
    typedef T0 NAME##_t;                                                             \
    static void NAME##_insertion(NAME##_t *v, size_t n)                                     \
    {                                                                                \
        for (size_t i = 1; i < n; i++) {                                             \
            NAME##_t x = v[i];                                                              \
            size_t j = i;                                                            \
            while (j > 0 && LESS(x, v[j - 1])) {                                     \
                v[j] = v[j - 1];                                                     \
                j--;                                                                 \
            }                                                                        \
            v[j] = x;                                                                \
        }                                                                            \
    }                                                                                \
    static void NAME##_heapify(NAME##_t *v, size_t n, size_t i)                             \
    {                                                                                \
        for (;;) {                                                                   \
            size_t l = 2 * i + 1, r = l + 1, m = i;                                  \
            if (l < n && LESS(v[m], v[l])) m = l;                                    \
            if (r < n && LESS(v[m], v[r])) m = r;                                    \
            if (m == i) return;                                                      \
            NAME##_t t = v[i]; v[i] = v[m]; v[m] = t;                                       \
            i = m;                                                                   \
        }                                                                            \
    }                                                                                \
    static void NAME##_heapsort(NAME##_t *v, size_t n)                                      \
    {                                                                                \
        for (size_t i = n / 2; i-- > 0;) NAME##_heapify(v, n, i);                    \
        for (size_t e = n; e-- > 1;) {                                               \
            NAME##_t t = v[0]; v[0] = v[e]; v[e] = t;                                       \
            NAME##_heapify(v, e, 0);                                                 \
        }                                                                            \
    }                                                                                \
    static void NAME##_intro(NAME##_t *v, size_t n, int depth)                              \
    {                                                                                \
        while (n > 16) {                                                             \
            if (depth-- == 0) { NAME##_heapsort(v, n); return; }                     \
            NAME##_t a = v[0], b = v[n / 2], c = v[n - 1];                                  \
            NAME##_t p = LESS(a, b) ? (LESS(b, c) ? b : (LESS(a, c) ? c : a))               \
                             : (LESS(a, c) ? a : (LESS(b, c) ? c : b));              \
            size_t i = 0, j = n - 1;                                                 \
            for (;;) {                                                               \
                while (LESS(v[i], p)) i++;                                           \
                while (LESS(p, v[j])) j--;                                           \
                if (i >= j) break;                                                   \
                NAME##_t t = v[i]; v[i] = v[j]; v[j] = t;                                   \
                i++; j--;                                                            \
            }                                                                        \
            NAME##_intro(v, j + 1, depth);                                           \
            v += j + 1;                                                              \
            n -= j + 1;                                                              \
        }                                                                            \
        NAME##_insertion(v, n);                                                      \
    }                                                                                \
    static void NAME(NAME##_t *v, size_t n)                                                 \
    {                                                                                \
        int depth = 0;                                                               \
        for (size_t m = n; m > 1; m >>= 1) depth += 2;                               \
        NAME##_intro(v, n, depth);                                                   \
    }

#define NUM_LESS(a, b) ((a) < (b))
#define STR_LESS(a, b) (strcmp((a), (b)) < 0)

DEFINE_SORT(sort_int, int, NUM_LESS)
DEFINE_SORT(sort_double, double, NUM_LESS)
DEFINE_SORT(sort_str, const char *, STR_LESS)

void hello_sort_ints(int *v, size_t n) { sort_int(v, n); }
void hello_sort_doubles(double *v, size_t n) { sort_double(v, n); }
void hello_sort_strings(const char **v, size_t n) { sort_str(v, n); }
