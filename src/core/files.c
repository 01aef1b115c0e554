/* files.c - mkdir -p for the directory part of a path. */
#include "nudge/files.h"

#include <sys/stat.h>

#include "nudge/mem.h"

void files_make_parents(const char *path)
{
    char *p = mem_strdup(path);
    if (!p)
        return;
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0700);
            *s = '/';
        }
    mem_free(p);
}
