/* builtins.h - the tables of built-in functions, methods and modules.
 *
 * One row per function: its name, implementation, arity, accepted keyword
 * arguments, the chapter it belongs to, a usage line, a help text with a
 * worked example, and how grad differentiates it (derivs.c).  `help` and tab completion read the same tables.  The
 * tables are: nudge's functions (builtins.c), Python's (pybuiltins.c), the
 * methods of each type (methods.c) and the modules numpy and math
 * (modules.c).
 */
#ifndef NUDGE_BUILTINS_H
#define NUDGE_BUILTINS_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/interp.h"
#include "nudge/value.h"

/* The most arguments (positional, and by name) one call may pass. */
enum { ARGS_MAX = 32 };

/* The arguments of one call, all borrowed for the call.  names[i] is the
 * variable the i-th argument was written as (for messages, and so that a
 * function that changes a model in place can say which), or NULL. */
/* One argument as the caller wrote it. */
typedef struct Arg {
    Value *v;               /* the caller's value (borrowed) */
    const char *name;       /* the variable it was typed as, or NULL for an expression */
    int col;                /* its column (0: unknown) */
} Arg;

/* One option given by name (lr=0.1). */
typedef struct KwArg {
    const char *name;       /* the option's name */
    Value v;                /* its value (owned by the call) */
    int col;                /* column of the name */
} KwArg;

typedef struct Args {
    const char *name;       /* the function's name, for messages */
    Arg arg[ARGS_MAX];      /* the positional arguments, in order */
    size_t n;
    KwArg kw[ARGS_MAX];     /* the options, in the order given */
    size_t nkw;
    int col;                /* column of the call */
    char *show;             /* set by a builtin: text shown instead of the value (owned) */
    Value *self;            /* a method's receiver */
    const struct Builtin *row;  /* the row being called */
} Args;

typedef bool (*BuiltinFn)(Interp *in, Args *a, Value *out, Error *e);

/* Flags of a row. */
enum {
    BUILTIN_CHANGES_FIRST = 1,  /* updates its first argument (or receiver) in place: kept for undo */
    BUILTIN_TYPE = 2,           /* also a type, for isinstance (int, float, list, ...) */
    BUILTIN_ANY_KW = 4,         /* takes any keyword (print's sep=, end=; dict(a=1)) */
    BUILTIN_APPENDS = 8         /* with BUILTIN_CHANGES_FIRST: only adds items at the end of its list
                                 * (append, extend), so undo cuts the list back instead of copying it */
};

typedef struct Builtin {
    const char *name;
    BuiltinFn fn;
    int min_args, max_args;
    const char *kwargs;     /* space-separated keyword names it accepts */
    int chapter;            /* 1-7 for the book's chapters, 0 for tools, -1 Python, -2 methods */
    const char *usage;
    const char *help;
    unsigned flags;
    TensorFn map;           /* for functions that apply one C function to each element (np.exp) */
    /* How grad differentiates a call (graph.h); NULL: it has no gradient,
     * and grad says so by name where a cost depends on it. */
    const struct GraphRule *grad;
} Builtin;

/* A module: functions, numbers (np.pi) and submodules (np.random). */
typedef struct ModuleConst {
    const char *name;
    double value;
} ModuleConst;

typedef struct Module {
    const char *name;           /* "numpy", "numpy.random", "math" */
    const Builtin *rows;
    size_t n;
    const ModuleConst *consts;
    size_t nconsts;
    const struct Module *const *subs;
    size_t nsubs;
    const char *help;
} Module;

/* nudge's functions: the row for name (NULL if none), and the table. */
const Builtin *builtin_find(const char *name, size_t len);
const Builtin *builtin_table(size_t *n);
/* Python's built-in functions (print, len, range, ...). */
const Builtin *pybuiltin_find(const char *name, size_t len);
const Builtin *pybuiltin_table(size_t *n);
/* Any function callable by name at the top level: nudge's first, then Python's. */
const Builtin *builtin_lookup(const char *name, size_t len);

/* Whether b's own name, read at the top level, gives b back (false for a
 * module's function such as numpy's exp or array). */
bool builtin_named_as_itself(const Builtin *b);

/* Whether b updates the model its first argument holds in place. */
bool builtin_changes_first(const Builtin *b);

/* The method called name of a value's type (list.append, ndarray.dot), or NULL. */
const Builtin *method_find(const Value *self, const char *name);
/* Every method of a value's type, for help and completion. */
const Builtin *method_table(ValueKind kind, size_t *n);

/* The modules import can give: "numpy", "math" (and "numpy.random"). */
const Module *module_find(const char *name);
const char *builtin_module_name(const Module *m);
/* The module whose function b is (numpy, numpy.random, math), or NULL for
 * nudge's and Python's own functions and for methods. */
const Module *builtin_module_of(const Builtin *b);
/* A module's function, number or submodule called name, in *out; false
 * when it has none. */
bool module_get(const Module *m, const char *name, Value *out);

/* The keyword argument name, or NULL. */
Value *args_kw(const Args *a, const char *name);

/* Sets an error positioned at argument i (or at the call for i < 0).
 * args_error is the same as an expression that is always false (so
 * `return args_error(...)` fails, and the compiler can see it: an out
 * parameter left unset on that path is then not "maybe used"). */
void args_error_set(const Args *a, int i, Error *e, ErrorCode code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
#define args_error(...) (args_error_set(__VA_ARGS__), false)

/* An ERROR_ARG about the option name (lr=): it names the option as the
 * parameter at fault and points at where the call gave it (at the call
 * when it was not given).  Always false. */
bool args_kw_error(const Args *a, const char *name, Error *e, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

#endif
