/* replay_main.c - runs saved inputs through a fuzz target without
 * libFuzzer, so that regressions replay in the ordinary build.
 *
 * Usage: replay_TARGET PATH...  Each PATH is a file or a directory whose
 * files are replayed in name order (names starting with '.' and README*
 * are skipped).  Each input is read into a buffer of exactly its size, as
 * libFuzzer passes it, so ASan sees a read past its end.  Exits 0 when every
 * input ran (a finding aborts the program), 2 on a usage or file error.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 4096, n = 0, got;
    unsigned char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            unsigned char *more = realloc(buf, cap * 2);
            if (!more) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = more;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf) {
        fprintf(stderr, "%s: out of memory\n", path);
        return -1;
    }
    /* Exactly n bytes, as libFuzzer hands them over. */
    unsigned char *exact = malloc(n ? n : 1);
    if (!exact) {
        free(buf);
        return -1;
    }
    memcpy(exact, buf, n);
    free(buf);
    fprintf(stderr, "replay %s (%zu bytes)\n", path, n);
    LLVMFuzzerTestOneInput(exact, n);
    free(exact);
    return 1;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return run_file(path);
    struct dirent **list;
    int n = scandir(path, &list, NULL, by_name);
    if (n < 0) {
        perror(path);
        return -1;
    }
    int count = 0;
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        if (name[0] != '.' && strncmp(name, "README", 6) != 0 && count >= 0) {
            size_t len = strlen(path) + strlen(name) + 2;
            char *full = malloc(len);
            if (full) {
                snprintf(full, len, "%s/%s", path, name);
                int r = run_path(full);
                count = r < 0 ? -1 : count + r;
                free(full);
            }
        }
        free(list[i]);
    }
    free(list);
    return count;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE_OR_DIRECTORY...\n", argv[0]);
        return 2;
    }
    int total = 0;
    for (int i = 1; i < argc; i++) {
        int r = run_path(argv[i]);
        if (r < 0)
            return 2;
        total += r;
    }
    printf("%s: replayed %d input%s, no finding\n", argv[0], total, total == 1 ? "" : "s");
    return 0;
}
