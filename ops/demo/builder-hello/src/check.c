/* The self-check: every library against known answers. */
#include <stdio.h>
#include <string.h>
#include "hello.h"

static int failures;

static void expect(int ok, const char *what, int verbose)
{
    if (!ok) {
        failures++;
    }
    if (verbose || !ok) {
        printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    }
}

int hello_self_check(int verbose)
{
    const uint8_t *abc = (const uint8_t *)"abc";
    uint8_t d[32];
    char hex[65];
    hello_sha256(abc, 3, d);
    for (int i = 0; i < 32; i++) {
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    }
    expect(strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0, "sha256", verbose);

    const uint8_t *digits = (const uint8_t *)"123456789";
    expect(hello_crc32(digits, 9) == 0xCBF43926u, "crc32", verbose);
    expect(hello_crc16_ccitt(digits, 9) == 0x29B1, "crc16-ccitt", verbose);
    expect(hello_adler32((const uint8_t *)"Wikipedia", 9) == 0x11E60398u, "adler32", verbose);

    char b64[32];
    uint8_t back[32];
    hello_base64_encode((const uint8_t *)"hello", 5, b64, sizeof b64);
    long n = hello_base64_decode(b64, back, sizeof back);
    expect(strcmp(b64, "aGVsbG8=") == 0 && n == 5 && memcmp(back, "hello", 5) == 0, "base64", verbose);
    expect(hello_base64_decode("a===", back, sizeof back) < 0, "base64-strict", verbose);

    int ints[200];
    uint64_t seed = 1;
    for (int i = 0; i < 200; i++) {
        ints[i] = (int)(hello_mix64(&seed) % 1000) - 500;
    }
    hello_sort_ints(ints, 200);
    int sorted = 1;
    for (int i = 1; i < 200; i++) {
        sorted &= ints[i - 1] <= ints[i];
    }
    const char *words[] = {"pear", "apple", "fig", "banana"};
    hello_sort_strings(words, 4);
    expect(sorted && strcmp(words[0], "apple") == 0 && strcmp(words[3], "pear") == 0, "sort", verbose);

    expect(hello_matrix_check(), "matrix", verbose);

    char fact[128];
    hello_factorial_decimal(25, fact, sizeof fact);
    expect(strcmp(fact, "15511210043330985984000000") == 0, "bignum", verbose);

    const uint8_t raw[] = "aaaabbbcca";
    uint8_t enc[32], dec[32];
    size_t el = hello_rle_encode(raw, 10, enc, sizeof enc);
    expect(el == 8 && hello_rle_decode(enc, el, dec, sizeof dec) == 10 && memcmp(dec, raw, 10) == 0, "rle", verbose);

    expect(hello_primes_below(100) == 25 && hello_nth_prime(1000) == 7919, "primes", verbose);

    char rev[64];
    hello_reverse_words("built in a  VM", rev, sizeof rev);
    expect(hello_word_count("  built in a  VM ") == 4 && strcmp(rev, "VM a in built") == 0, "text", verbose);
    expect(hello_levenshtein("kitten", "sitting") == 3, "levenshtein", verbose);

    int32_t s = hello_fixed_sin(102944); /* pi/2 */
    int32_t r = hello_fixed_sqrt(2 * 65536);
    expect(s > 65500 && s < 65572 && r > 92600 && r < 92700, "fixed-point", verbose);

    expect(hello_stats_check(), "stats", verbose);
    return failures;
}
