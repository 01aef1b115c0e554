/* state.h - the interpreter's insides, private to src/lang (as Lua's
 * lstate.h is to its core).  Nothing outside src/lang includes this file:
 * the upper layers use interp.h. */
#ifndef NUDGE_LANG_STATE_H
#define NUDGE_LANG_STATE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "nudge/ast.h"
#include "nudge/builtins.h"
#include "nudge/interp.h"
#include "nudge/npprint.h"
#include "nudge/text.h"
#include "nudge/value.h"

/* A session variable.  Variables are never freed before the session ends:
 * `clear` unbinds one, so a name node may keep a pointer to it. */
typedef struct Var {
    char *name;
    Value value;
    unsigned long version;      /* changes on every assignment (for grad and the tutor) */
    size_t order;               /* when it was (last) bound, for vars and save */
    bool bound;
    unsigned hash;
} Var;

/* The slots of one call of a function (or one run of a comprehension).
 * Frames are reference counted: a function made inside a call keeps the
 * frame, for the names it reads from it. */
typedef struct Frame {
    GcLink gc;
    int refs;
    struct Frame *up;           /* the frame the function was made in (its closure), or NULL */
    const Scope *scope;
    const char *fname;          /* for messages */
    size_t n;
    Value slots[];
} Frame;

void frame_release(Frame *f);

/* How a statement ended. */
typedef enum Flow { FLOW_NORMAL, FLOW_BREAK, FLOW_CONTINUE, FLOW_RETURN, FLOW_ERROR } Flow;

/* An object as it was before a built-in changed it in place, to put back
 * should the statement fail. */
typedef struct Undo {
    Value obj;                  /* a reference to the object that changed */
    Value before;               /* a copy of it as it was: deep for a model or an array, of the items
                                 * themselves (shared) for a list or a dict; None when cut is set */
    bool cut;                   /* obj is a list that has only grown: undo cuts it back to keep items */
    size_t keep;
    Value *slot;                /* a name that was bound anew (a variable's value or a local's slot):
                                 * before is what it held, VALUE_UNBOUND for nothing; obj is None */
    Var *var;                   /* the variable named in the call, or NULL */
    unsigned long version;      /* its version then */
} Undo;

typedef struct CommandTable {
    const Command *rows;
    size_t n;
    void *ctx;
} CommandTable;

struct Interp {
    /* Variables: in order of creation, and a hash table to find them. */
    Var **vars;
    size_t nvars, capvars;
    Var **table;                /* open addressing, capacity a power of two */
    size_t tcap;
    unsigned long globals_gen;  /* changes when a variable is created: name caches check it */
    unsigned long versions;     /* the last version given to a variable */
    size_t order;

    FormatMode format;
    int width;                  /* terminal columns for matrices (0: none) */
    Rng rng;                    /* numpy's global state: seed(), rand() */
    NpPrintOptions printopts;   /* np.set_printoptions */
    WriteFn write;
    void *write_ctx;
    EchoFn echo;
    void *echo_ctx;
    CommandTable tables[INTERP_MAX_TABLES];
    size_t ntables;
    volatile sig_atomic_t *interrupted;
    LiveTrainFn live;
    LiveLoopFn live_loop;
    void *live_ctx;
    bool live_default;          /* `watch`: train as if live=1 were given */
    double *losses;             /* the last training run's loss per epoch */
    size_t nlosses, caplosses;
    int run_depth;              /* nested `run` / `load` */
    char *script_dir;           /* the folder of the script being run, or NULL at the prompt; owned */
    bool (*pause)(void *ctx);
    void *pause_ctx;
    bool color;
    bool quit;
    bool interactive;
    SessionHooks hooks;
    ErrorReport report;
    void *report_ctx;
    NoteFn note;
    void *note_ctx;

    /* Running. */
    Frame *frame;               /* the running function's frame, or NULL at the top level */
    int call_depth;
    bool python;                /* the running program follows Python's rules */
    int rules;                  /* interp_run_lines: 1 Python's rules, 0 nudge's, -1 by what a chunk imports */
    bool record;                /* keep computation histories (for grad) */
    bool atomic;                /* the running assignment has several targets: each keeps what it replaces */
    bool in_block;              /* a statement inside a block (a loop body, a branch of if, an else): it never echoes */
    Value retval;               /* a `return`'s value on its way out */
    Undo *undo;                 /* objects changed in place by the statements running, as they were */
    size_t nundo, capundo;
    size_t undo_mark;           /* the innermost running statement's first entry */
    Program *program;           /* the program running at the top level */
    bool noted_python;          /* told the person at the prompt about Python's rules */
};

/* --- variables (interp.c) ---------------------------------------------------- */

Var *global_find(const Interp *in, const char *name);
/* The variable called name, made (unbound) if there is none. */
Var *global_make(Interp *in, const char *name, Error *e);
/* Binds var to v (taking it) and gives it a new version. */
void global_bind(Interp *in, Var *var, Value v);

/* Keeps a copy of the object v refers to, before a built-in changes it in
 * place (learn, train, append, ...), unless the running statement kept one
 * already.  var (may be NULL) is the variable the caller named.  False (out
 * of memory) when it cannot: the change must then not be made. */
bool undo_keep(Interp *in, const Value *v, Var *var, Error *e);
/* The same before a built-in only adds items at the end of the list v
 * (append, extend): what was there is remembered by its length, in O(1). */
bool undo_keep_growth(Interp *in, const Value *v, Var *var, Error *e);
/* The same before a statement that assigns several targets (a, b[0] = ...)
 * binds a name: what slot holds now comes back should a later target fail.
 * var: the variable slot belongs to, or NULL for a local. */
bool undo_keep_binding(Interp *in, Value *slot, Var *var, Error *e);
void undo_drop(Interp *in, size_t mark);
void undo_restore(Interp *in, size_t mark);

/* --- resolving (resolve.c) ------------------------------------------------------ */

/* Fills the scopes of every function, lambda and comprehension in prog and
 * checks what only makes sense in some places (return, break, nonlocal). */
bool resolve_program(Program *prog, Error *e);
/* The same for a lone expression (interp_eval_source). */
bool resolve_expr(Node *n, Error *e);

/* --- evaluating (eval.c) --------------------------------------------------------- */

bool eval(Interp *in, const Node *n, Value *out, Error *e);
/* Python's truth of a value (an array of more than one element refuses). */
bool value_truth(const Value *v, bool *out, Error *e);
/* Calls fn with positional args (borrowed) and keyword args (names and
 * borrowed values); at (may be NULL) is the call's node, for positions. */
bool call_value(Interp *in, const Value *fn, Value *const *args, size_t n, const char *const *kwnames,
                Value *const *kwvals, size_t nkw, const Node *at, Value *out, Error *e);
/* Assigns v (taken) to a target node (name, field, index, tuple). */
bool assign_target(Interp *in, const Node *target, Value v, Error *e);
/* The global name lookup with its cache (a variable or a built-in). */
bool load_global(Interp *in, const Node *n, Value *out, Error *e);
/* The variable a global name node refers to (cached in the node until a
 * new variable is made), else NULL with *b the built-in of that name. */
Var *cached_var(Interp *in, const Node *n, const struct Builtin **b);
/* The name closest to word (one edit away for short words, two for
 * longer), for "did you mean": among the functions, and the variables
 * and commands when asked; NULL when none is that close. */
const char *closest_name(const Interp *in, const char *word, bool variables, bool commands);
/* acc op item op ... over the items of the call's first argument (sum(xs),
 * math.prod(xs)); takes acc.  Errors point at that argument. */
bool fold(Interp *in, const Args *a, int op, Value acc, Value *out, Error *e);

/* Iterating (for loops, comprehensions, list(), sum(), ...). */
typedef struct Iter {
    Value src;              /* what is iterated (a reference) */
    size_t i, n;
    long long cur, step;
    unsigned steps;         /* items given, counted to poll Ctrl-C */
} Iter;
bool iter_init(Interp *in, const Value *v, Iter *it, Error *e);
/* 1 with *out set, 0 at the end, -1 on error; an "interrupted" error
 * once Ctrl-C was pressed (interp_poll). */
int iter_next(Interp *in, Iter *it, Value *out, Error *e);
void iter_free(Iter *it);

/* For a loop whose length is the data's: counts one more item in *count
 * and every ITER_POLL of them takes a pending Ctrl-C (interp_interrupted),
 * returning true with an "interrupted" error in e.  Cheap enough for the
 * innermost loop; 64Ki items of any loop here take well under 0.1 s. */
enum { ITER_POLL = 1 << 16 };
bool interp_poll(Interp *in, unsigned *count, Error *e);

/* Sets an error at node n, printf-style; returns false. */
bool fail_at(const Node *n, Error *e, ErrorCode code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* Whether e's context holds layer ("in f()", "for loop, i = 3"): as its
 * outermost layer only, or anywhere.  A recursion adds each layer once. */
bool context_has(const Error *e, const char *layer, bool outermost);
/* Positions an error that has no position yet at node n; returns false. */
bool locate(const Node *n, Error *e);

/* --- operators (arith.c) ----------------------------------------------------------- */

bool arith_binary(Interp *in, int op, const Value *a, const Value *b, Value *out, Error *e);
bool arith_unary(Interp *in, int op, const Value *a, Value *out, Error *e);
/* < <= > >= == != and in, not in, is, is not */
bool arith_compare(Interp *in, int op, const Value *a, const Value *b, Value *out, Error *e);
/* a op= b in place on an array; *done false when a is no array. */
bool arith_inplace(Interp *in, int op, Value *a, const Value *b, bool *done, Error *e);
const char *arith_op_name(int op);
/* An array from an array-like (array, number, list of numbers, list of
 * rows, range): a new reference (the same array for an array). */
Tensor *value_to_tensor(const Value *v, const char *who, Error *e);

/* --- Python's text (pyrepr.c) -------------------------------------------------------- */

bool value_pystr(Interp *in, const Value *v, Text *out, Error *e);
bool value_pyrepr(Interp *in, const Value *v, Text *out, Error *e);
bool value_format(Interp *in, const Value *v, const char *spec, size_t speclen, Text *out, Error *e);
bool string_percent(Interp *in, const Value *fmt, const Value *args, Value *out, Error *e);

/* --- built-ins (builtins.c, pybuiltins.c) ---------------------------------------------- */

/* Whether b is one of nudge's own functions, which read ints as floats and
 * lists of numbers as arrays (builtin_normalize does that to a call's
 * arguments; builtin_normalize_free releases what it made). */
bool builtin_takes_arrays(const Builtin *b);
bool builtin_normalize(Args *a, Value *temps, Error *e);
void builtin_normalize_free(Args *a, Value *temps);
bool sort_list(Interp *in, Value *l, const Value *key, bool reverse, Error *e);

/* --- statements (exec.c) -----------------------------------------------------------*/

Flow exec_block(Interp *in, const Node *block, Error *e);
/* Runs a parsed program at the top level. */
bool exec_program(Interp *in, Program *prog, Error *e);
/* Displays `name = value` as the REPL does. */
void show_value(Interp *in, const char *name, const Value *v);

#endif
