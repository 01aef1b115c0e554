/* progress.h - how far the student got in each chapter, kept in
 * $XDG_STATE_HOME/nudge/progress (~/.local/state/nudge/progress).
 *
 * The file is text, one line per chapter: "CHAPTER STEP DONE", where STEP
 * is the step to resume at (0-based) and DONE how many steps were
 * completed, each any count a size_t holds (whatever nudge writes, it
 * reads back).  It is written atomically (temporary file, then rename)
 * under a lock (progress.lock beside it), merged with what other nudge
 * processes saved meanwhile.  A corrupt or unreadable file is moved aside
 * to progress.corrupt (progress.corrupt.1, .2, ... when that is taken),
 * never silently overwritten.  A FIFO or device there is left alone, and
 * progress kept in memory.
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
    /* The file as this process last read or wrote it: a chapter whose
     * entry in ch differs from it was changed here since. */
    ChapterProgress base[LESSON_MAX_CHAPTERS + 1];
} Progress;

/* Loads progress from path (path is copied; NULL keeps it in memory).  A
 * missing file is an empty record.  A corrupt or unreadable one is renamed
 * to PATH.corrupt (or the first free PATH.corrupt.N) and reported in *e
 * (the record starts empty); when it cannot be renamed, or is no regular
 * file, p keeps progress in memory only (p->path NULL), so the file is
 * never overwritten.  Returns false then, but p is usable. */
bool progress_load(Progress *p, const char *path, Error *e);

/* Writes the record atomically, under the lock, after merging it with the
 * file as other processes left it: per chapter, a change made only there
 * is kept, one made only here is written, and when both changed it the
 * one further on (more steps done, then the later step) wins.  p->ch then
 * holds the merged record.  False with *e when it could not be written
 * (the file is unchanged), or when a corrupt file had to be moved aside
 * first (p was written; *e says where the bad file went). */
bool progress_save(Progress *p, Error *e);

void progress_free(Progress *p);

#endif
