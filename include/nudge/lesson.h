/* lesson.h - a chapter's lesson, loaded from its CommonMark file.
 *
 * The format is described in lessons/README.md: the first '#' heading is
 * the title, each '##' heading starts a step, and fenced blocks with the
 * info strings nudge, expect, hint and quiz hold what the student types,
 * the checks, the hints and a question.  Everything else is the step's
 * text, rendered for the terminal by render.h.
 *
 * A Lesson owns its parsed document and every string in it; lesson_delete
 * frees it all.
 */
#ifndef NUDGE_LESSON_H
#define NUDGE_LESSON_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/error.h"

struct cmark_node;

/* One check: LHS = RHS, within tol (has_tol) or the default tolerance. */
typedef struct Expect {
    char *lhs, *rhs;
    double tol;
    bool has_tol;
    int line;           /* in the lesson file */
} Expect;

typedef struct Step {
    char *title;
    int line;                    /* the heading's line */
    struct cmark_node *first;    /* the step's first block after its heading (may be NULL) */
    struct cmark_node *stop;     /* the next step's heading, or NULL */
    char *code;                  /* the nudge block(s), or NULL */
    Expect *expects;
    size_t nexpects;
    char **hints;
    size_t nhints;
    char *question;              /* the quiz, or NULL */
    char *answer;
    double answer_tol;
    bool answer_has_tol;
} Step;

typedef struct Lesson {
    int chapter;                 /* from the file name's leading number */
    char *path;
    char *title;
    struct cmark_node *doc;
    struct cmark_node *intro;    /* first block after the title, or NULL */
    struct cmark_node *intro_stop;
    Step *steps;
    size_t nsteps;
} Lesson;

/* Loads a lesson file.  A malformed file (no title, no steps, a bad expect
 * or quiz line, an unknown chapter number) is an error naming the file and
 * line.  Returns a new Lesson owned by the caller, or NULL with *e set. */
Lesson *lesson_load(const char *path, Error *e);
/* The same from text in memory (name is used in messages). */
Lesson *lesson_parse(const char *text, size_t len, const char *name, int chapter, Error *e);
void lesson_delete(Lesson *l);

/* Finds the directory holding the lesson files: $NUDGE_LESSONS, then
 * where datadir_find(DATADIR_LESSONS) looks (datadir.h).  Returns a string
 * owned by the caller, or NULL. */
char *lesson_find_dir(void);

/* The path of chapter n's file in dir (NN-*.md), owned by the caller, or
 * NULL when there is none (errno 0) or memory ran out (errno ENOMEM). */
char *lesson_path(const char *dir, int chapter);

/* Splits an expect line "LHS = RHS [± TOL]" (or "+- TOL") into parts
 * (owned by the caller).  Returns false, with nothing to free, when the
 * line has no top-level '=', a side is empty, the tolerance is not a
 * number >= 0, or memory ran out. */
bool lesson_split_check(const char *line, char **lhs, char **rhs, double *tol, bool *has_tol);

enum { LESSON_MAX_CHAPTERS = 9 };

#endif
