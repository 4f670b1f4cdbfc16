/* builder-tiny: the smallest package that still takes the whole path: one compile job for the farm, one binary. */
#include <stdio.h>
#include <string.h>

static unsigned checksum(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 16777619u;
    }
    return h;
}

int main(int argc, char **argv)
{
    const char *greeting = "Hello from a tiny disposable build!";
    if (argc > 1 && strcmp(argv[1], "--check") == 0) {
        return checksum(greeting) == checksum("Hello from a tiny disposable build!") ? 0 : 1;
    }
    puts(greeting);
    return 0;
}
