/* interp.h - the nudge interpreter: variables, evaluation, commands.
 *
 * An Interp holds one session: its variables, the output format, numpy's
 * global random state for seed() and rand(), and where output goes.  It
 * never prints on its own: text goes to the write function the caller sets,
 * and errors come back as Error values with the line and column of the
 * failing piece of source, for the caller to show.
 *
 * Upper layers (REPL, lessons, live view) add their own commands with
 * interp_add_commands, and may set hooks; the language never calls them by
 * name, so the layers still only call downward.
 */
#ifndef NUDGE_INTERP_H
#define NUDGE_INTERP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "nudge/format.h"
#include "nudge/rng.h"
#include "nudge/value.h"

typedef struct Interp Interp;

/* Receives output text (len bytes, not NUL-terminated). */
typedef void (*WriteFn)(void *ctx, const char *text, size_t len);

/* A command: a word at the start of a statement, followed by raw text.
 * Errors in arg may set e->col relative to arg (1 = its first character). */
typedef bool (*CommandFn)(Interp *in, const char *arg, Error *e);

typedef struct Command {
    const char *name;
    CommandFn fn;
    const char *usage;      /* "format short|long" */
    const char *help;       /* one paragraph */
} Command;

/* What `watch` and `train(..., live=1)` hand to the live view: the model
 * variable to train and the training arguments.  Set by the view layer. */
typedef struct LiveRequest {
    Value *model;           /* the variable itself: training updates it */
    const Tensor *X, *Y;
    size_t epochs;
    double lr;
    double speed;           /* epochs per second; 0: the view's default pace; INFINITY: unpaced */
    size_t batch;           /* an mlp's mini-batch size, 0 for full batches */
} LiveRequest;
/* What the live view hands back for train() to show and return: the
 * summary line(s) of the run (owned, NULL until set), the epochs run and,
 * for an mlp, the cost after the last step; for a perceptron, the mistakes
 * of the last epoch and whether it converged. */
typedef struct LiveResult {
    char *summary;
    size_t epochs;
    double cost;
    size_t mistakes;
    bool converged;
} LiveResult;
typedef bool (*LiveTrainFn)(void *ctx, Interp *in, const LiveRequest *req, LiveResult *res, Error *e);

/* Shows an error found in a script: its file, the chunk of source that
 * failed (whose first line is first_line of the file) and the error. */
typedef void (*ErrorReport)(void *ctx, const char *origin, const char *chunk, int first_line, const Error *e);

/* Hooks an upper layer (the lessons) sets to take part in a session:
 * chunk sees every chunk of input before it runs, blank ones included, and
 * returns true when it took care of it (with *ok and *e saying how it
 * went); prompt gives the prompt to show (NULL: the default). */
typedef struct SessionHooks {
    bool (*chunk)(void *ctx, Interp *in, const char *chunk, bool *ok, Error *e);
    const char *(*prompt)(void *ctx);
    void *ctx;
} SessionHooks;

typedef struct Var {
    char *name;
    Value value;
    unsigned long version;          /* changes on every assignment (for grad) */
} Var;

/* The parameters of one call of an @(...) function. */
typedef struct Frame {
    Var *vars;
    size_t n;
    struct Frame *up;
} Frame;

typedef struct CommandTable {
    const Command *rows;
    size_t n;
} CommandTable;

/* Limits: command tables, nested `run`s, nested @(...) calls, the length
 * of one chunk of source (1 MiB) and of a file that `run` or `load` reads
 * (16 MiB).  `save` refuses to write what `load` could not read. */
enum { INTERP_MAX_TABLES = 8, INTERP_MAX_RUN_DEPTH = 16, INTERP_MAX_CALL_DEPTH = 64, INTERP_MAX_SOURCE = 1 << 20,
       INTERP_MAX_FILE = 16 << 20 };

struct Interp {
    Var *vars;
    size_t nvars, cap;
    FormatMode format;
    int width;                      /* terminal columns for matrices (0: none) */
    Rng rng;                        /* numpy's global state: seed(), rand() */
    WriteFn write;
    void *write_ctx;
    CommandTable tables[INTERP_MAX_TABLES];
    size_t ntables;
    volatile sig_atomic_t *interrupted;   /* set by a SIGINT handler; may be NULL */
    LiveTrainFn live;               /* set by the live view; NULL without one */
    void *live_ctx;
    bool live_default;              /* `watch`: train as if live=1 were given */
    double *losses;                 /* the last training run's loss per epoch */
    size_t nlosses, caplosses;
    int run_depth;                  /* nested `run` / `load` */
    struct Frame *frame;            /* parameters of the @(...) being called */
    unsigned long versions;         /* the last version given to a variable */
    bool (*pause)(void *ctx);       /* waits for Enter (pause, backprop); false: stop. NULL: never wait */
    void *pause_ctx;
    bool color;                     /* output goes to a colour terminal */
    int type_delay_ms;              /* --type: echo statements a character at a time */
    char *script_dir;               /* the folder of the script being run, or NULL; owned */
    int call_depth;
    bool quit;                      /* `quit` was run */
    bool interactive;               /* a person is at a terminal */
    SessionHooks hooks;
    ErrorReport report;             /* shows errors inside `run` scripts */
    void *report_ctx;
    struct Undo *undo;              /* variables changed in place by the statements running, as they were */
    size_t nundo, capundo;
    size_t undo_mark;               /* the innermost running statement's first entry */
};

/* Sets up in with no variables, format short, the random state seeded as
 * numpy seeds it at start (seed 0 here, so runs are reproducible), output
 * to write/ctx.  interp_free releases everything. */
void interp_init(Interp *in, WriteFn write, void *ctx);
void interp_free(Interp *in);

/* Adds a table of n commands (borrowed: must outlive in).  A later table's
 * command overrides an earlier one of the same name. */
bool interp_add_commands(Interp *in, const Command *rows, size_t n);
const Command *interp_find_command(const Interp *in, const char *word, size_t len);

/* Runs every statement of src (a chunk whose brackets are all closed).
 * Stops at the first error, with e->line and e->col pointing into src.
 * A statement that fails changes no variable. */
bool interp_run(Interp *in, const char *src, Error *e);

/* Runs one chunk of input as typed by a person: offered to the session
 * hooks first, then run with interp_run (a blank chunk does nothing). */
bool interp_run_chunk(Interp *in, const char *chunk, Error *e);

/* Evaluates one expression given as source, into *out (owned by caller). */
bool interp_eval_source(Interp *in, const char *src, Value *out, Error *e);

/* Runs a script file statement by statement (chunks whose brackets close),
 * echoing each with the prompt when echo is set.  On an error, report is
 * called (when given) with the file's name, the chunk's source and the
 * error; it stops unless keep_going.  Returns true when nothing failed. */
bool interp_run_file(Interp *in, const char *path, bool echo, bool keep_going,
                     ErrorReport report, void *report_ctx, Error *e);

/* Gives the next line (with or without its '\n'), borrowed until the next
 * call; returns false at the end. */
typedef bool (*LineSource)(void *ctx, const char **text, size_t *len);

/* The same as interp_run_file for lines from any source; origin names it
 * in error reports ("<stdin>", "-c"). */
bool interp_run_lines(Interp *in, LineSource next, void *ctx, const char *origin, bool echo,
                      bool keep_going, ErrorReport report, void *report_ctx, Error *e);

/* The version of a variable (0 when there is none). */
unsigned long interp_version(const Interp *in, const char *name);

/* Variables.  interp_get returns the stored value (borrowed) or NULL;
 * interp_set takes ownership of v (also on failure, when it is freed). */
Value *interp_get(const Interp *in, const char *name);
bool interp_set(Interp *in, const char *name, Value v, Error *e);
bool interp_clear(Interp *in, const char *name);

/* Calls a function value (built-in or @(...) lambda) with n arguments,
 * which are borrowed.  *out is owned by the caller. */
bool interp_call(Interp *in, const Value *fn, Value *const *args, size_t n, Value *out, Error *e);

/* Writes text to the interpreter's output. */
void interp_write(Interp *in, const char *text);
void interp_printf(Interp *in, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* True (and clears the flag) when Ctrl-C was pressed. */
bool interp_interrupted(Interp *in);

/* Records the loss curve of a training run (for `plot loss`). */
void interp_losses_reset(Interp *in);
void interp_losses_push(Interp *in, double loss);

/* A file name as a script means it: a relative name is looked up beside
 * the script being run first, then from the current folder.  Returns a
 * string owned by the caller, or NULL when memory runs out. */
char *interp_resolve_path(const Interp *in, const char *path);

/* Reads a whole text file (at most limit bytes) into a string owned by the
 * caller; errors start with `who`. */
char *interp_read_file(const char *path, const char *who, size_t limit, Error *e);

/* Saves every variable as a nudge script to path, atomically (a temporary
 * file in the same directory, then rename); *saved (may be NULL) counts
 * the variables written. */
bool interp_save(Interp *in, const char *path, size_t *saved, Error *e);

/* The session's variables in order, for the lessons' snapshots: there are
 * interp_var_count of them, and interp_var_name gives the i-th name
 * (borrowed, valid until the variables change) or NULL past the end.
 * Read their values with interp_get. */
size_t interp_var_count(const Interp *in);
const char *interp_var_name(const Interp *in, size_t i);

#endif
