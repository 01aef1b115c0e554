/* tutor.h - the lesson engine: walks a student through a chapter at the
 * prompt, runs what they type, checks the step's expectations, keeps their
 * progress, and replays every lesson headless for --check-lessons.
 *
 * tutor_install adds the commands lessons, lesson, next, back and hint
 * (and a quit that leaves a lesson before it leaves nudge) to an Interp
 * and sets its session hooks, so that while a lesson is open the prompt
 * reads "lesson 3.4> " and Enter on an empty line runs the suggestion.
 */
#ifndef NUDGE_TUTOR_H
#define NUDGE_TUTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/interp.h"
#include "nudge/lesson.h"
#include "nudge/progress.h"

typedef struct Tutor {
    Interp *in;                                 /* borrowed */
    char *dir;                                  /* where the lesson files are; owned */
    bool dir_nomem;                             /* dir is NULL because copying it failed */
    Lesson *lessons[LESSON_MAX_CHAPTERS + 1];   /* loaded on first use; owned */
    int chapter;                                /* the open lesson, 0 for none */
    size_t step;
    size_t hint;                                /* the next hint to show */
    int confirm_restart;                        /* chapter awaiting y/N, or 0 */
    Progress progress;
    bool color;
    char prompt[48];
} Tutor;

/* Sets up t for in and installs its commands and hooks.  lessons_dir NULL
 * looks for the lessons with lesson_find_dir; progress_path NULL keeps
 * progress in memory only.  Problems reading the progress file are
 * reported through interp output, not fatal.  tutor_free frees what t
 * owns (in stays the caller's). */
void tutor_install(Tutor *t, Interp *in, const char *lessons_dir, const char *progress_path, bool color);
void tutor_free(Tutor *t);

/* Opens chapter n (resuming where the student left it, or from the first
 * step when restart is set) and shows the current step.  False, with *e
 * set, when the chapter's lesson cannot be found or read. */
bool tutor_start(Tutor *t, int chapter, bool restart, Error *e);

/* Called with each new Interp that --check-lessons makes (to install the
 * live view, for example). */
typedef void (*InterpSetup)(Interp *in);

/* Plays every lesson in dir headless with the suggested statements and
 * checks every expectation and quiz answer, reporting through write.
 * Returns the number of failures (0: all passed), or -1 when dir is NULL
 * or holds no lesson file. */
int tutor_check_all(const char *dir, InterpSetup setup, WriteFn write, void *ctx);

/* Does got match want, the value of the expect line's text want_src?
 * Numbers, arrays and tuples or lists of numbers compare element by
 * element: within tol when has_tol, else within half a unit in the last
 * decimal want_src shows, or about 1e-9 relative when it shows none.  A
 * vector matches a one-row or one-column matrix of the same values;
 * strings must be equal. */
bool tutor_values_match(const Value *got, const Value *want, const char *want_src, bool has_tol, double tol);

#endif
