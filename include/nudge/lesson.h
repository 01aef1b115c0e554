/* lesson.h - a chapter's lesson, loaded from its CommonMark file.
 *
 * The format (lessons/README.md has it in full): the first '#' heading is
 * the title, each '##' heading starts a step, and fenced blocks with these
 * info strings make a step interactive; everything else is the step's
 * text, rendered for the terminal by render.h.
 *
 *   nudge     the statement(s) the student is asked to type
 *   expect    checks, one a line: LEFT = RIGHT [± TOL]
 *   mistake   a wrong statement students typically type, a line "---",
 *             then the message to show for it (CommonMark)
 *   hint      a hint; several are shown one at a time, the first must not
 *             give the answer away
 *   quiz      a question, then a line "answer: EXPR [± TOL]"
 *
 * How a check names the student's answer: LEFT is read in the student's
 * session, and counts only once a statement typed in the step has set or
 * changed one of the names it reads (Expect.names, ans included), so a
 * step asks for its result by name ("keep it in dW2") and LEFT reads that
 * name, never the lesson's own formula.  RIGHT is the lesson's value: the
 * tutor evaluates it in a hidden session that plays the lesson's own
 * statements up to and including the step.  The tolerance is TOL, or half
 * a unit in the last written decimal of a number, or 1e-9 relative.
 *
 * At the prompt the student also has the commands hint, solution (show
 * the statement without running it), reset (the step's variables as it
 * began), undo (the last statement), next, back, step N / goto N (replay
 * the lesson up to step N), lesson (show the step again) and quit
 * (tutor.h).
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

/* One check: LHS = RHS, within tol (has_tol) or the default tolerance.
 * The left side names the student's answer: names lists the variables it
 * reads (ans included), and the check counts only once a statement typed
 * in the step has set or changed one of them.  The right side is the
 * lesson's value, computed by playing the lesson's own statements. */
typedef struct Expect {
    char *lhs, *rhs;
    double tol;
    bool has_tol;
    int line;           /* in the lesson file */
    char **names;       /* the names the left side reads */
    size_t nnames;
} Expect;

/* A wrong statement students typically type, and what to tell them.  For
 * a quiz, code is a wrong answer. */
typedef struct Mistake {
    char *code;
    char *message;      /* CommonMark */
    int line;
} Mistake;

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
    int *hint_lines;
    Mistake *mistakes;
    size_t nmistakes;
    char *question;              /* the quiz, or NULL */
    char *answer;
    double answer_tol;
    bool answer_has_tol;
    int quiz_line;
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

/* The names an expression reads, in order, each once: identifiers outside
 * strings that do not follow a '.' (a field) and are not a keyword
 * argument's name.  Function names are included (the tutor asks the
 * session which names are variables).  *names is owned by the caller
 * (free each string and the array with mem_free); false when memory ran
 * out. */
bool lesson_names_read(const char *expr, char ***names, size_t *n);
void lesson_names_free(char **names, size_t n);

enum { LESSON_MAX_CHAPTERS = 9 };

#endif
