/* progress.h - how far the student got in each chapter, kept in
 * $XDG_STATE_HOME/nudge/progress (~/.local/state/nudge/progress).
 *
 * The file is text, one line per chapter: "CHAPTER STEP DONE", where STEP
 * is the step to resume at (0-based) and DONE how many steps were
 * completed.  It is written atomically (temporary file, then rename).  A
 * corrupt or unreadable file is moved aside to progress.corrupt, never
 * silently overwritten.
 */
#ifndef NUDGE_PROGRESS_H
#define NUDGE_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/error.h"
#include "nudge/lesson.h"

typedef struct ChapterProgress {
    size_t step;    /* where to resume */
    size_t done;    /* steps completed */
} ChapterProgress;

typedef struct Progress {
    char *path;     /* owned; NULL: keep progress in memory only */
    ChapterProgress ch[LESSON_MAX_CHAPTERS + 1];
} Progress;

/* The default path for an environment (XDG_STATE_HOME, HOME), owned by the
 * caller, or NULL. */
char *progress_default_path(const char *xdg_state_home, const char *home);

/* Loads progress from path (path is copied; NULL keeps it in memory).  A
 * missing file is an empty record.  A corrupt or unreadable one is renamed
 * to PATH.corrupt and reported in *e (the record starts empty); when it
 * cannot be renamed, p keeps progress in memory only (p->path NULL), so
 * the file is never overwritten.  Returns false then, but p is usable. */
bool progress_load(Progress *p, const char *path, Error *e);

/* Writes the record atomically. */
bool progress_save(const Progress *p, Error *e);

void progress_free(Progress *p);

#endif
