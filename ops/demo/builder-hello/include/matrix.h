/* Small dense matrices, generic over element type and size: multiply, transpose, LU determinant,
 * Gauss-Jordan inverse.
 * Each matrix_<type>.c instantiates it for its type; the check multiplies random matrices and compares
 * (AB)^T with B^T A^T, det(AB) with det(A) det(B), and A A^-1 with I. */
#ifndef BUILDER_HELLO_MATRIX_H
#define BUILDER_HELLO_MATRIX_H

#include <math.h>
#include "hello.h"

/* Single-token names for the multi-word types, so they can be pasted into function names. */
typedef long long llong;
typedef unsigned short ushort;

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
    static int inverse_##T##_##N(const T in[N][N], double inv[N][N])                 \
    {                                                                                \
        double m[N][2 * N];                                                          \
        for (int i = 0; i < N; i++)                                                  \
            for (int j = 0; j < 2 * N; j++)                                          \
                m[i][j] = j < N ? (double)in[i][j] : (j - N == i);                   \
        for (int c = 0; c < N; c++) {                                                \
            int p = c;                                                               \
            for (int r = c + 1; r < N; r++) if (fabs(m[r][c]) > fabs(m[p][c])) p = r; \
            if (fabs(m[p][c]) < 1e-9) return 0;                                      \
            for (int k = 0; k < 2 * N; k++) { double t = m[p][k]; m[p][k] = m[c][k]; m[c][k] = t; } \
            double d = m[c][c];                                                      \
            for (int k = 0; k < 2 * N; k++) m[c][k] /= d;                            \
            for (int r = 0; r < N; r++) {                                            \
                if (r == c) continue;                                                \
                double f = m[r][c];                                                  \
                for (int k = 0; k < 2 * N; k++) m[r][k] -= f * m[c][k];              \
            }                                                                        \
        }                                                                            \
        for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) inv[i][j] = m[i][N + j]; \
        return 1;                                                                    \
    }                                                                                \
    static int check_inverse_##T##_##N(const T a[N][N])                              \
    {                                                                                \
        double inv[N][N];                                                            \
        if (!inverse_##T##_##N(a, inv)) return 1;                                    \
        for (int i = 0; i < N; i++)                                                  \
            for (int j = 0; j < N; j++) {                                            \
                double s = 0;                                                        \
                for (int k = 0; k < N; k++) s += (double)a[i][k] * inv[k][j];        \
                if (fabs(s - (i == j)) > 1e-6) return 0;                             \
            }                                                                        \
        return 1;                                                                    \
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
        return fabs(dab - da * db) <= 1e-6 * (1 + fabs(dab))                         \
            && check_inverse_##T##_##N((const T(*)[N])a) && check_inverse_##T##_##N((const T(*)[N])b); \
    }


#endif
