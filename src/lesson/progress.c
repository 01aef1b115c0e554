/* progress.c - the lesson progress file. */
#include "nudge/progress.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nudge/files.h"
#include "nudge/mem.h"
#include "nudge/text.h"

void progress_free(Progress *p)
{
    mem_free(p->path);
    memset(p, 0, sizeof *p);
}

/* Moves the file at path aside to PATH.corrupt, or PATH.corrupt.1, .2, ...
 * when that is taken, so that a second bad file never replaces the first.
 * link() refuses to replace a name, so two processes cannot pick the same
 * one.  Returns the new name (owned by the caller), or NULL with errno. */
static char *move_aside(const char *path)
{
    for (unsigned k = 0; k < 1000; k++) {
        Text t = {0};
        if (k == 0)
            text_printf(&t, "%s.corrupt", path);
        else
            text_printf(&t, "%s.corrupt.%u", path, k);
        char *name = text_finish(&t, NULL);
        if (!name) {
            errno = ENOMEM;
            return NULL;
        }
        if (link(path, name) == 0) {
            unlink(path);
            return name;
        }
        int err = errno;
        if (err != EEXIST) {
            /* A file system without hard links: rename, unless the name is
             * taken (the check and the rename are not atomic there). */
            struct stat st;
            if (lstat(name, &st) != 0 && errno == ENOENT) {
                if (rename(path, name) == 0)
                    return name;
                err = errno;
                mem_free(name);
                errno = err;
                return NULL;
            }
            if (err != EPERM && err != ENOTSUP && err != EXDEV && err != ENOSYS) {
                mem_free(name);
                errno = err;
                return NULL;
            }
        }
        mem_free(name);
    }
    errno = EEXIST;
    return NULL;
}

/* Moves an unusable progress file aside (move_aside), so that the next
 * save does not overwrite what the student may want back, and starts a
 * fresh record.  When the file cannot be moved, progress is kept in memory
 * only, for the same reason.  why says what is wrong with the file. */
static bool set_aside(Progress *p, const char *why, Error *e)
{
    memset(p->ch, 0, sizeof p->ch);
    memset(p->base, 0, sizeof p->base);
    char *moved = move_aside(p->path);
    if (moved)
        error_set_in(e, ERROR_IO, "progress", "%s; the file was moved to '%s' and progress starts afresh", why, moved);
    else if (errno == ENOMEM)
        error_nomem(e, "progress");
    else
        error_set_in(e, ERROR_IO, "progress", "%s, and it cannot be moved aside (%s); progress is kept for this "
                               "session only", why, strerror(errno));
    if (!moved) {
        mem_free(p->path);
        p->path = NULL;
    }
    mem_free(moved);
    return false;
}

/* A count as the file writes it: decimal digits that fit in a size_t. */
static bool parse_count(const char **s, size_t *out)
{
    const char *p = *s;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p < '0' || *p > '9')
        return false;
    size_t v = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        size_t d = (size_t)(*p - '0');
        if (v > (SIZE_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *s = p;
    *out = v;
    return true;
}

/* Reads the file's lines into ch.  Returns 1 when it was read, 0 when
 * there is none, -1 when it cannot be read or makes no sense, with why
 * filled in; -2 (with why) when it is a FIFO, a device or a socket, and -3
 * when it is a folder. */
static int read_file(const char *path, ChapterProgress *ch, char *why, size_t whylen)
{
    memset(ch, 0, sizeof(ChapterProgress) * (LESSON_MAX_CHAPTERS + 1));
    FILE *f = files_open_regular(path);
    if (!f) {
        if (errno == ENOENT)
            return 0;
        if (errno == EINVAL) {
            snprintf(why, whylen, "'%s' is not a regular file", path);
            return -2;
        }
        if (errno == EISDIR) {
            snprintf(why, whylen, "cannot read '%s': %s", path, strerror(errno));
            return -3;
        }
        snprintf(why, whylen, "cannot read '%s': %s", path, strerror(errno));
        return -1;
    }
    /* A line is short: "CHAPTER STEP DONE" with two 20-digit counts at
     * most.  A longer one is read in pieces and fails to parse. */
    char line[256];
    int lineno = 0;
    bool bad = false;
    while (!bad && fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        size_t len = strlen(line);
        const char *s = line;
        size_t chapter, step, done;
        if (len == sizeof line - 1 && line[len - 1] != '\n')
            bad = true;
        else if (!parse_count(&s, &chapter) || !parse_count(&s, &step) || !parse_count(&s, &done))
            bad = true;
        else {
            while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
                s++;
            if (*s || chapter < 1 || chapter > LESSON_MAX_CHAPTERS)
                bad = true;
            else
                ch[chapter] = (ChapterProgress){ step, done };
        }
    }
    /* A read error (a folder where the file should be) is as unusable as
     * a line that makes no sense. */
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (err) {
        snprintf(why, whylen, "cannot read '%s': %s", path, strerror(err));
        return -1;
    }
    if (bad) {
        snprintf(why, whylen, "line %d of '%s' is not understood", lineno, path);
        return -1;
    }
    return 1;
}

bool progress_load(Progress *p, const char *path, Error *e)
{
    memset(p, 0, sizeof *p);
    if (!path)
        return true;
    if (!(p->path = mem_strdup(path)))
        return error_nomem(e, "progress");
    char why[ERROR_MSG_MAX];
    int r = read_file(path, p->ch, why, sizeof why);
    if (r == -2) {
        /* A FIFO or a device is not ours to move: leave it, and keep
         * progress in memory. */
        error_set_in(e, ERROR_IO, "progress", "%s; progress is kept for this session only", why);
        memset(p->ch, 0, sizeof p->ch);
        mem_free(p->path);
        p->path = NULL;
        return false;
    }
    if (r < 0)
        return set_aside(p, why, e);    /* a folder too: it is in the way */
    memcpy(p->base, p->ch, sizeof p->ch);
    return true;
}

static bool further(const ChapterProgress *a, const ChapterProgress *b)
{
    return a->done != b->done ? a->done > b->done : a->step > b->step;
}

static bool same(const ChapterProgress *a, const ChapterProgress *b)
{
    return a->step == b->step && a->done == b->done;
}

bool progress_save(Progress *p, Error *e)
{
    if (!p->path)
        return true;
    int lock = files_lock(p->path, "progress", e);
    if (lock < 0)
        return false;
    /* Another nudge may have saved since this one last read the file: a
     * chapter only it changed keeps its change, one only we changed gets
     * ours, and one both changed the furthest of the two. */
    ChapterProgress theirs[LESSON_MAX_CHAPTERS + 1];
    char why[ERROR_MSG_MAX];
    int r = read_file(p->path, theirs, why, sizeof why);
    Error aside;
    error_clear(&aside);
    if (r == -2 || r == -3) {
        /* Put there since the file was read: not ours to move. */
        files_unlock(lock);
        return error_set_in(e, ERROR_IO, "progress", "cannot write '%s': %s", p->path,
                         r == -3 ? strerror(EISDIR) : "it is not a regular file");
    }
    if (r < 0) {
        /* Corrupted since it was read: keep the bad file, write ours. */
        char *moved = move_aside(p->path);
        if (!moved) {
            files_unlock(lock);
            return error_set_in(e, ERROR_IO, "progress", "%s, and it cannot be moved aside (%s); progress is not saved",
                             why, strerror(errno));
        }
        error_set(&aside, ERROR_IO, "progress: %s; the file was moved to '%s' and your progress saved afresh", why, moved);
        mem_free(moved);
        memcpy(theirs, p->base, sizeof theirs);     /* so that ours is written whole */
    }
    ChapterProgress merged[LESSON_MAX_CHAPTERS + 1];
    for (int c = 1; c <= LESSON_MAX_CHAPTERS; c++) {
        if (same(&theirs[c], &p->base[c]))
            merged[c] = p->ch[c];
        else if (same(&p->ch[c], &p->base[c]))
            merged[c] = theirs[c];
        else
            merged[c] = further(&theirs[c], &p->ch[c]) ? theirs[c] : p->ch[c];
    }
    merged[0] = (ChapterProgress){ 0, 0 };
    Text body = {0};
    text_puts(&body, "# nudge lesson progress: chapter, step to resume at, steps done\n");
    for (int c = 1; c <= LESSON_MAX_CHAPTERS; c++)
        if (merged[c].step || merged[c].done)
            text_printf(&body, "%d %zu %zu\n", c, merged[c].step, merged[c].done);
    if (body.failed) {
        files_unlock(lock);
        text_free(&body);
        return error_nomem(e, "progress");
    }
    files_make_parents(p->path);
    bool ok = files_write_atomic(p->path, body.s, body.len, "progress", e);
    files_unlock(lock);
    text_free(&body);
    if (ok) {
        memcpy(p->ch, merged, sizeof merged);
        memcpy(p->base, merged, sizeof merged);
    }
    if (ok && aside.msg[0]) {
        *e = aside;
        return false;
    }
    return ok;
}
