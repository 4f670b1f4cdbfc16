/* Run-length coding: (count, byte) pairs, runs of up to 255. */
#include "hello.h"

size_t hello_rle_encode(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        size_t run = 1;
        while (i + run < len && run < 255 && in[i + run] == in[i]) {
            run++;
        }
        if (o + 2 > cap) {
            return 0;
        }
        out[o++] = (uint8_t)run;
        out[o++] = in[i];
        i += run;
    }
    return o;
}

size_t hello_rle_decode(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i + 1 < len; i += 2) {
        if (o + in[i] > cap) {
            return 0;
        }
        for (unsigned k = 0; k < in[i]; k++) {
            out[o++] = in[i + 1];
        }
    }
    return o;
}
