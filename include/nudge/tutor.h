/* tutor.h - the lesson engine: walks a student through a chapter at the
 * prompt, runs what they type, checks the step's expectations, keeps their
 * progress, and replays every lesson headless for --check-lessons.
 *
 * tutor_install adds the lesson commands (lessons, lesson, next, back,
 * hint, solution, reset, undo, step/goto, and a quit that leaves a lesson
 * before it leaves nudge) to an Interp and sets its session hooks, so that
 * while a lesson is open the prompt reads "lesson 3.4> " and Enter on an
 * empty line runs the suggestion.
 *
 * How a step is answered: when the step's text is shown, the tutor keeps a
 * snapshot of the variables.  A statement the student types runs as usual;
 * if it set or changed none of the names the step's checks read, the step
 * waits silently.  Otherwise each check whose names changed since the step
 * began is evaluated, and the step passes when every check was answered
 * that way and holds.  The values the checks expect come from a second,
 * hidden session that plays the lesson's own statements, so a check never
 * reads the lesson's formula from the student's variables and never blames
 * its reference.  A chapter starts in a clean workspace: the variables the
 * student had are set aside until the lesson is left.
 */
#ifndef NUDGE_TUTOR_H
#define NUDGE_TUTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/interp.h"
#include "nudge/lesson.h"
#include "nudge/progress.h"
#include "nudge/workspace.h"

/* Called with each new Interp the tutor makes for itself (the hidden
 * reference session, --check-lessons' sessions), to install the live view
 * headless, for example. */
typedef void (*InterpSetup)(Interp *in);

enum { TUTOR_MAX_UNDO = 10 };

/* What one check of the open step expects, computed in the reference
 * session after the lesson's own statement. */
typedef struct Want {
    Value value;
    bool ok;                    /* false: the lesson's value did not evaluate */
    char *error;                /* why, when !ok (owned) */
} Want;

/* A mistake block's effect, found by running its statement from the
 * step's starting state in a scratch session (on the first wrong try). */
typedef struct MistakeEffect {
    bool ran;                   /* the statement ran without error */
    Value *values;              /* each check's left side after it (VALUE_NONE: did not evaluate) */
    size_t nvalues;
} MistakeEffect;

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
    InterpSetup setup;                          /* for the tutor's own sessions; may be NULL */

    /* The lesson played with its own statements, hidden. */
    Interp *ref;                                /* owned; NULL until needed */
    bool ref_open;
    size_t ref_played;                          /* steps whose statements ref has run */
    Workspace ref_start;                         /* ref's variables before the open step's statement */
    bool ref_failed;                            /* the open step's own statement failed in ref */

    /* The open step. */
    Want *wants;                                /* one per check, or the quiz answer */
    size_t nwants;
    MistakeEffect *effects;                     /* one per mistake block, NULL until needed */
    size_t neffects;
    Workspace start;                             /* the student's variables as the step began */
    Workspace undo[TUTOR_MAX_UNDO];              /* before each of the step's last statements */
    size_t nundo;
    size_t attempts;                            /* statements of this step that touched its checks */
    int shown_mistake;                          /* the last mistake block whose message was shown, or -1 */
    bool passed;                                /* the last statement passed a step */

    /* The student's own variables, set aside while a lesson is open. */
    Workspace outside;
    bool outside_kept;
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

/* Plays every lesson in dir headless, through the same engine a student
 * meets, and reports through write every lesson defect with its file and
 * line: a check that does not hold after the step's own statement, a
 * check that already holds before it (it could not fail), a check that
 * reads nothing the statement sets, a step that passes on an unrelated
 * statement or on one of its mistake blocks, a mistake whose message does
 * not appear, a first hint that gives the answer away, a quiz whose answer
 * is not accepted.  Returns the number of defects (0: all passed), or -1
 * when no lesson could be found. */
int tutor_check_all(const char *dir, InterpSetup setup, WriteFn write, void *ctx);

/* Compares got with want within tol (or the default tolerance taken from
 * the text of want_src), element by element for tensors. */
bool tutor_values_match(const Value *got, const Value *want, const char *want_src, bool has_tol, double tol);

/* "got should be W, but it is G" needs W and G at a precision where they
 * differ: formats both numbers with the same number of decimals, at least
 * enough to show each to 5 significant digits (fewer when it is exact
 * with fewer) and enough to tell them apart.  Writes into wbuf and gbuf. */
void tutor_format_pair(double want, double got, char *wbuf, size_t wn, char *gbuf, size_t gn);

#endif
