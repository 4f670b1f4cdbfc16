/* builder-hello: checks its libraries, then greets. */
#include <stdio.h>
#include <string.h>
#include "hello.h"

int main(int argc, char **argv)
{
    int verbose = argc > 1 && strcmp(argv[1], "--check") == 0;
    int failures = hello_self_check(verbose);
    if (failures) {
        fprintf(stderr, "builder-hello: %d self-checks failed\n", failures);
        return 1;
    }
    puts("Hello from a disposable build VM!");
    return 0;
}
