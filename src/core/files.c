/* files.c - mkdir -p for the directory part of a path, and the one atomic
 * write that save, the progress file and recordings share. */
#include "nudge/files.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static bool write_failed(Error *e, const char *who, const char *path, int err)
{
    if (err == EFBIG)
        return error_set_in(e, ERROR_IO, who, "file size limit reached writing '%s'; the old file is unchanged", path);
    if (err == ENOSPC)
        return error_set_in(e, ERROR_IO, who, "the disk is full writing '%s'; the old file is unchanged", path);
    return error_set_in(e, ERROR_IO, who, "cannot write '%s': %s", path, strerror(err ? err : EIO));
}

bool files_write_atomic(const char *path, const char *data, size_t len, const char *who, Error *e)
{
    /* A link is saved through, to the file it names; anything but a
     * regular file is refused, since the rename below would replace it (as
     * root, writing /dev/null would replace the device). */
    char resolved[PATH_MAX];
    const char *target = realpath(path, resolved) ? resolved : path;
    struct stat st;
    bool exists = stat(target, &st) == 0;
    if (exists && !S_ISREG(st.st_mode))
        return error_set_in(e, ERROR_IO, who, "cannot write '%s': it is not a regular file", path);
    size_t n = strlen(target) + 16;
    char *tmp = mem_alloc(n);
    if (!tmp)
        return error_nomem(e, who);
    snprintf(tmp, n, "%s.tmp-XXXXXX", target);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        bool r = write_failed(e, who, path, errno);
        mem_free(tmp);
        return r;
    }
    /* mkstemp makes the file 0600: give it the old file's mode, or the
     * mode a new file gets. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, exists ? st.st_mode & 07777 : 0666 & ~mask);
    bool ok = true;
    int err = 0;
    for (size_t done = 0; ok && done < len;) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            ok = false;
            err = w < 0 ? errno : EIO;
        } else {
            done += (size_t)w;
        }
    }
    if (ok && fsync(fd) != 0) {     /* the data is on disk before the rename */
        ok = false;
        err = errno;
    }
    if (close(fd) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (ok && rename(tmp, target) != 0) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        unlink(tmp);
        write_failed(e, who, path, err);
    }
    mem_free(tmp);
    return ok;
}
