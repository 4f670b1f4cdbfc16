/* Text utilities: word count, word-order reversal, edit distance. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "hello.h"

size_t hello_word_count(const char *text)
{
    size_t n = 0;
    int in_word = 0;
    for (; *text; text++) {
        int space = isspace((unsigned char)*text);
        n += !space && !in_word;
        in_word = !space;
    }
    return n;
}

void hello_reverse_words(const char *in, char *out, size_t cap)
{
    size_t len = strlen(in), o = 0;
    if (cap == 0) {
        return;
    }
    for (size_t end = len; end > 0;) {
        while (end > 0 && in[end - 1] == ' ') {
            end--;
        }
        size_t start = end;
        while (start > 0 && in[start - 1] != ' ') {
            start--;
        }
        if (start == end) {
            break;
        }
        if (o && o + 1 < cap) {
            out[o++] = ' ';
        }
        for (size_t i = start; i < end && o + 1 < cap; i++) {
            out[o++] = in[i];
        }
        end = start;
    }
    out[o] = '\0';
}

int hello_levenshtein(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    int *row = malloc((lb + 1) * sizeof *row);
    if (!row) {
        return -1;
    }
    for (size_t j = 0; j <= lb; j++) {
        row[j] = (int)j;
    }
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    int d = row[lb];
    free(row);
    return d;
}
