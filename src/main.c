/* main.c - the command line: nudge [options] [FILE.nd [ARGS]]. */
#include <stdio.h>
#include <string.h>

static void usage(FILE *out)
{
    fputs("Usage: nudge [OPTION]... [FILE.nd [ARG]...]\n"
          "A terminal tutor for the mathematics of deep learning.\n"
          "\n"
          "  -h, --help     show this help and exit\n"
          "      --version  show the version and exit\n",
          out);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--version")) {
            printf("nudge %s\n", NUDGE_VERSION);
            return 0;
        }
        fprintf(stderr, "nudge: unknown option '%s'\n", argv[i]);
        usage(stderr);
        return 2;
    }
    usage(stdout);
    return 0;
}
