/* files.c - mkdir -p for the directory part of a path, the one atomic
 * write that save, the progress file and recordings share, a read that a
 * FIFO cannot block, and the lock that state files are updated under. */
#include "nudge/files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nudge/clock.h"
#include "nudge/mem.h"
#include "nudge/text.h"

char *files_state_path(const char *name, const char *xdg_state_home, const char *home)
{
    Text t = {0};
    if (xdg_state_home && *xdg_state_home)
        text_printf(&t, "%s/nudge/%s", xdg_state_home, name);
    else if (home && *home)
        text_printf(&t, "%s/.local/state/nudge/%s", home, name);
    else
        return NULL;
    return text_finish(&t, NULL);
}

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

bool files_atomic_begin(FilesAtomic *fa, const char *path, const char *who, Error *e)
{
    memset(fa, 0, sizeof *fa);
    fa->fd = -1;
    fa->who = who;
    /* A link is saved through, to the file it names; anything but a
     * regular file is refused, since the rename at the end would replace
     * it (as root, writing /dev/null would replace the device). */
    char resolved[PATH_MAX];
    const char *target = realpath(path, resolved) ? resolved : path;
    struct stat st;
    bool exists = stat(target, &st) == 0;
    if (exists && !S_ISREG(st.st_mode))
        return error_set_in(e, ERROR_IO, who, "cannot write '%s': it is not a regular file", path);
    fa->path = mem_strdup(path);
    fa->target = mem_strdup(target);
    size_t n = strlen(target) + 16;
    fa->tmp = mem_alloc(n);
    if (!fa->path || !fa->target || !fa->tmp) {
        files_atomic_abort(fa);
        return error_nomem(e, who);
    }
    snprintf(fa->tmp, n, "%s.tmp-XXXXXX", target);
    fa->fd = mkstemp(fa->tmp);
    if (fa->fd < 0) {
        write_failed(e, who, path, errno);
        fa->tmp[0] = '\0';     /* nothing to remove */
        files_atomic_abort(fa);
        return false;
    }
    /* mkstemp makes the file 0600: give it the old file's mode, or the
     * mode a new file gets. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fa->fd, exists ? st.st_mode & 07777 : 0666 & ~mask);
    return true;
}

bool files_atomic_write(FilesAtomic *fa, const char *data, size_t len)
{
    for (size_t done = 0; !fa->err && done < len;) {
        ssize_t w = write(fa->fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            fa->err = w < 0 ? errno : EIO;
        else
            done += (size_t)w;
    }
    return !fa->err;
}

bool files_atomic_end(FilesAtomic *fa, Error *e)
{
    if (fa->fd < 0) {
        files_atomic_abort(fa);
        return error_set_in(e, ERROR_IO, fa->who ? fa->who : "write", "the file was never opened");
    }
    int err = fa->err;
    if (!err && fsync(fa->fd) != 0)     /* the data is on disk before the rename */
        err = errno;
    if (close(fa->fd) != 0 && !err)
        err = errno;
    fa->fd = -1;
    if (!err && rename(fa->tmp, fa->target) != 0)
        err = errno;
    if (err) {
        write_failed(e, fa->who, fa->path, err);
        files_atomic_abort(fa);
        return false;
    }
    fa->tmp[0] = '\0';
    files_atomic_abort(fa);
    return true;
}

void files_atomic_abort(FilesAtomic *fa)
{
    if (fa->fd >= 0)
        close(fa->fd);
    if (fa->tmp && fa->tmp[0])
        unlink(fa->tmp);
    mem_free(fa->path);
    mem_free(fa->target);
    mem_free(fa->tmp);
    memset(fa, 0, sizeof *fa);
    fa->fd = -1;
}

bool files_write_atomic(const char *path, const char *data, size_t len, const char *who, Error *e)
{
    FilesAtomic fa;
    if (!files_atomic_begin(&fa, path, who, e))
        return false;
    files_atomic_write(&fa, data, len);
    return files_atomic_end(&fa, e);
}

FILE *files_open_regular(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        return NULL;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags != -1)
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "r");
    if (!f) {
        int err = errno;
        close(fd);
        errno = err;
    }
    return f;
}

int files_lock(const char *path, const char *who, Error *e)
{
    size_t n = strlen(path) + 6;
    char *name = mem_alloc(n);
    if (!name) {
        error_nomem(e, who);
        return -1;
    }
    snprintf(name, n, "%s.lock", path);
    files_make_parents(name);
    /* O_NOFOLLOW and the check below: a lock is only ever a plain file of
     * our own, never a FIFO to block on or a link to somewhere else. */
    int fd = open(name, O_RDWR | O_CREAT | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC, 0600);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        /* Named after the file it guards: the reason (a folder that is
         * read-only or missing) is almost always the file's too. */
        if (fd >= 0) {
            close(fd);
            error_set_in(e, ERROR_IO, who, "cannot write '%s': its lock '%s' is not a regular file", path, name);
        } else {
            error_set_in(e, ERROR_IO, who, "cannot write '%s': %s", path, strerror(errno));
        }
        mem_free(name);
        return -1;
    }
    for (int tries = 0;; tries++) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            break;
        if ((errno != EWOULDBLOCK && errno != EINTR) || tries >= 1000) {
            error_set_in(e, ERROR_IO, who, "cannot write '%s': %s", path,
                      errno == EWOULDBLOCK ? "another nudge has held its lock for over 5 s" : strerror(errno));
            close(fd);
            mem_free(name);
            return -1;
        }
        clock_sleep(0.005);
    }
    mem_free(name);
    return fd;
}

void files_unlock(int fd)
{
    if (fd >= 0)
        close(fd);      /* closing the only descriptor releases the flock */
}
