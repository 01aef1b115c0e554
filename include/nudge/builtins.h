/* builtins.h - the table of built-in functions.
 *
 * One row per function: its name, implementation, arity, accepted keyword
 * arguments, the chapter it belongs to, a usage line and a help text with a
 * worked example.  `help` and tab completion read the same table.
 */
#ifndef NUDGE_BUILTINS_H
#define NUDGE_BUILTINS_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/interp.h"
#include "nudge/value.h"

/* The arguments of one call.  Positional values are borrowed: a bare
 * variable name passes the variable itself (so that learn() and train() can
 * update a model in place); anything else passes a temporary.  Only
 * functions documented to update a model may change an argument. */
typedef struct Args {
    const char *name;       /* the function's name, for messages */
    Value **v;
    int *cols;              /* column of each positional argument */
    const char **names;     /* the variable each argument names, or NULL */
    size_t n;
    char **kwnames;
    Value *kw;
    int *kwcols;
    size_t nkw;
    int col;                /* column of the call */
    char *show;             /* set by a builtin: text shown instead of the value (owned) */
} Args;

typedef bool (*BuiltinFn)(Interp *in, Args *a, Value *out, Error *e);

typedef struct Builtin {
    const char *name;
    BuiltinFn fn;
    int min_args, max_args;
    const char *kwargs;     /* space-separated keyword names it accepts */
    int chapter;            /* 1-7 for the book's chapters, 0 for tools */
    const char *usage;
    const char *help;
} Builtin;

/* The row for name (NULL if none). */
const Builtin *builtin_find(const char *name, size_t len);
/* Whether b updates the model its first argument holds in place (learn,
 * train): the interpreter keeps a copy first, to put back should the
 * statement fail. */
bool builtin_changes_first(const Builtin *b);
/* The whole table and its length. */
const Builtin *builtin_table(size_t *n);

/* The keyword argument name, or NULL. */
Value *args_kw(const Args *a, const char *name);

/* Sets an error positioned at argument i (or at the call for i < 0). */
bool args_error(const Args *a, int i, Error *e, ErrorCode code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

#endif
