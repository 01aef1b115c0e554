/* tmpdir.h - scratch folders for the unit tests: made under $TMPDIR (or
 * /tmp when it is unset), removed with everything in them.  ctest gives
 * each run a private TMPDIR and fails when anything is left in it. */
#ifndef NUDGE_TEST_TMPDIR_H
#define NUDGE_TEST_TMPDIR_H

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Makes a new empty folder $TMPDIR/nudge-<what>-XXXXXX; returns its path
 * (owned by the caller, free()), or NULL with errno set. */
static inline char *tmpdir_make(const char *what)
{
    const char *tmp = getenv("TMPDIR");
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/nudge-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", what);
    return mkdtemp(path) ? strdup(path) : NULL;
}

/* Removes path and, when it is a folder, everything in it (a test may have
 * made parts of it read-only).  Symbolic links are removed, never followed.
 * Returns 0, or -1 when something could not be removed. */
static inline int tmpdir_remove(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    chmod(path, S_IRWXU);
    int status = 0;
    DIR *d = opendir(path);
    if (d) {
        struct dirent *ent;
        while ((ent = readdir(d))) {
            if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
                continue;
            char child[PATH_MAX];
            int n = snprintf(child, sizeof child, "%s/%s", path, ent->d_name);
            if (n < 0 || (size_t)n >= sizeof child || tmpdir_remove(child) != 0)
                status = -1;
        }
        closedir(d);
    }
    return rmdir(path) == 0 ? status : -1;
}

#endif
