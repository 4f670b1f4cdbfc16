/* Small dense matrices, generic over element type and size: multiply, transpose, LU determinant.
 * Each matrix_<type>.c instantiates it for its type; the check multiplies random matrices and compares
 * (AB)^T with B^T A^T and det(AB) with det(A) det(B). */
#ifndef BUILDER_HELLO_MATRIX_H
#define BUILDER_HELLO_MATRIX_H

#include <math.h>
#include "hello.h"

#define DEFINE_MATRIX(T, N)                                                          \
    static void mul_##T##_##N(const T a[N][N], const T b[N][N], T c[N][N])           \
    {                                                                                \
        for (int i = 0; i < N; i++)                                                  \
            for (int j = 0; j < N; j++) {                                            \
                T s = 0;                                                             \
                for (int k = 0; k < N; k++) s += a[i][k] * b[k][j];                  \
                c[i][j] = s;                                                         \
            }                                                                        \
    }                                                                                \
    static void transpose_##T##_##N(T a[N][N])                                       \
    {                                                                                \
        for (int i = 0; i < N; i++)                                                  \
            for (int j = i + 1; j < N; j++) { T t = a[i][j]; a[i][j] = a[j][i]; a[j][i] = t; } \
    }                                                                                \
    static double det_##T##_##N(const T in[N][N])                                    \
    {                                                                                \
        double m[N][N], d = 1;                                                       \
        for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) m[i][j] = (double)in[i][j]; \
        for (int c = 0; c < N; c++) {                                                \
            int p = c;                                                               \
            for (int r = c + 1; r < N; r++) if (fabs(m[r][c]) > fabs(m[p][c])) p = r; \
            if (m[p][c] == 0) return 0;                                              \
            if (p != c) { for (int k = 0; k < N; k++) { double t = m[p][k]; m[p][k] = m[c][k]; m[c][k] = t; } d = -d; } \
            d *= m[c][c];                                                            \
            for (int r = c + 1; r < N; r++) {                                        \
                double f = m[r][c] / m[c][c];                                        \
                for (int k = c; k < N; k++) m[r][k] -= f * m[c][k];                  \
            }                                                                        \
        }                                                                            \
        return d;                                                                    \
    }                                                                                \
    static int check_##T##_##N(uint64_t *seed)                                       \
    {                                                                                \
        T a[N][N], b[N][N], ab[N][N], bt[N][N], at[N][N], btat[N][N];                \
        for (int i = 0; i < N; i++)                                                  \
            for (int j = 0; j < N; j++) {                                            \
                a[i][j] = (T)(hello_mix64(seed) % 7);                                \
                b[i][j] = (T)(hello_mix64(seed) % 5);                                \
                at[i][j] = a[i][j];                                                  \
                bt[i][j] = b[i][j];                                                  \
            }                                                                        \
        mul_##T##_##N((const T(*)[N])a, (const T(*)[N])b, ab);                        \
        transpose_##T##_##N(at);                                                     \
        transpose_##T##_##N(bt);                                                     \
        mul_##T##_##N((const T(*)[N])bt, (const T(*)[N])at, btat);                    \
        transpose_##T##_##N(btat);                                                   \
        for (int i = 0; i < N; i++)                                                  \
            for (int j = 0; j < N; j++)                                              \
                if (ab[i][j] != btat[i][j]) return 0;                                \
        double da = det_##T##_##N((const T(*)[N])a), db = det_##T##_##N((const T(*)[N])b); \
        double dab = det_##T##_##N((const T(*)[N])ab);                               \
        return fabs(dab - da * db) <= 1e-6 * (1 + fabs(dab));                        \
    }


#endif
