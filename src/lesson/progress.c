/* progress.c - the lesson progress file. */
#include "nudge/progress.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nudge/files.h"
#include "nudge/mem.h"
#include "nudge/text.h"

char *progress_default_path(const char *xdg_state_home, const char *home)
{
    Text t = {0};
    if (xdg_state_home && *xdg_state_home)
        text_printf(&t, "%s/nudge/progress", xdg_state_home);
    else if (home && *home)
        text_printf(&t, "%s/.local/state/nudge/progress", home);
    else
        return NULL;
    return text_finish(&t, NULL);
}

void progress_free(Progress *p)
{
    mem_free(p->path);
    memset(p, 0, sizeof *p);
}

/* Moves an unusable progress file to PATH.corrupt, so that the next save
 * does not overwrite what the student may want back, and starts a fresh
 * record.  When the file cannot be moved, progress is kept in memory only,
 * for the same reason.  why says what is wrong with the file. */
static bool set_aside(Progress *p, const char *why, Error *e)
{
    memset(p->ch, 0, sizeof p->ch);
    Text t = {0};
    text_printf(&t, "%s.corrupt", p->path);
    bool moved = !t.failed && rename(p->path, t.s) == 0;
    if (moved)
        error_set(e, ERROR_IO, "progress: %s; the file was moved to '%s' and progress starts afresh", why, t.s);
    else if (!t.failed)
        error_set(e, ERROR_IO, "progress: %s, and it cannot be moved aside (%s); progress is kept for this "
                               "session only", why, strerror(errno));
    else
        error_nomem(e, "progress");
    if (!moved) {
        mem_free(p->path);
        p->path = NULL;
    }
    text_free(&t);
    return false;
}

bool progress_load(Progress *p, const char *path, Error *e)
{
    memset(p, 0, sizeof *p);
    if (!path)
        return true;
    if (!(p->path = mem_strdup(path)))
        return error_nomem(e, "progress");
    char why[ERROR_MSG_MAX];
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return true;
        snprintf(why, sizeof why, "cannot read '%s': %s", path, strerror(errno));
        return set_aside(p, why, e);
    }
    char line[256];
    int lineno = 0;
    bool bad = false;
    while (!bad && fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        int ch;
        long step, done;
        char extra;
        if (sscanf(line, "%d %ld %ld %c", &ch, &step, &done, &extra) != 3 || ch < 1 || ch > LESSON_MAX_CHAPTERS
            || step < 0 || done < 0 || step > 10000 || done > 10000)
            bad = true;
        else
            p->ch[ch] = (ChapterProgress){ (size_t)step, (size_t)done };
    }
    /* A read error (a folder where the file should be) is as unusable as
     * a line that makes no sense. */
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (err) {
        snprintf(why, sizeof why, "cannot read '%s': %s", path, strerror(err));
        return set_aside(p, why, e);
    }
    if (bad) {
        snprintf(why, sizeof why, "line %d of '%s' is not understood", lineno, path);
        return set_aside(p, why, e);
    }
    return true;
}

bool progress_save(const Progress *p, Error *e)
{
    if (!p->path)
        return true;
    Text body = {0};
    text_puts(&body, "# nudge lesson progress: chapter, step to resume at, steps done\n");
    for (int c = 1; c <= LESSON_MAX_CHAPTERS; c++)
        if (p->ch[c].step || p->ch[c].done)
            text_printf(&body, "%d %zu %zu\n", c, p->ch[c].step, p->ch[c].done);
    Text tmp = {0};
    text_printf(&tmp, "%s.tmp-XXXXXX", p->path);
    if (body.failed || tmp.failed) {
        text_free(&body);
        text_free(&tmp);
        return error_nomem(e, "progress");
    }
    files_make_parents(p->path);
    int fd = mkstemp(tmp.s);
    bool ok = fd >= 0;
    int err = errno;
    if (ok) {
        ok = write(fd, body.s, body.len) == (ssize_t)body.len;
        err = errno;
        ok = fsync(fd) == 0 && ok;
        ok = close(fd) == 0 && ok;
        if (ok && rename(tmp.s, p->path) != 0) {
            ok = false;
            err = errno;
        }
        if (!ok)
            unlink(tmp.s);
    }
    if (!ok)
        error_set(e, ERROR_IO, "progress: cannot write '%s': %s", p->path, strerror(err));
    text_free(&body);
    text_free(&tmp);
    return ok;
}
