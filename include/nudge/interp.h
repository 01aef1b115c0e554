/* interp.h - the nudge interpreter: its public face for the layers above.
 *
 * An Interp holds one session: its variables, the output format, numpy's
 * global random state for seed() and rand(), and where output goes.  It
 * never prints on its own: text goes to the write function the caller sets,
 * and errors come back as Error values with the line and column of the
 * failing piece of source, for the caller to show.
 *
 * The struct is private to src/lang (state.h there).  Upper layers (REPL,
 * lessons, live view) reach it through the functions below: they add their
 * own commands with a context pointer of their own, and may set hooks; the
 * language never calls them by name, so the layers still only call
 * downward.
 */
#ifndef NUDGE_INTERP_H
#define NUDGE_INTERP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "nudge/format.h"
#include "nudge/mlp.h"
#include "nudge/rng.h"
#include "nudge/train.h"
#include "nudge/value.h"

typedef struct Interp Interp;

/* Receives output text (len bytes, not NUL-terminated). */
typedef void (*WriteFn)(void *ctx, const char *text, size_t len);

/* A command: a word at the start of a statement, followed by raw text.
 * ctx is the pointer its table was added with.  Errors in arg may set e->col
 * relative to arg (1 = its first character). */
typedef bool (*CommandFn)(Interp *in, void *ctx, const char *arg, Error *e);

typedef struct Command {
    const char *name;
    CommandFn fn;
    const char *usage;      /* "format short|long" */
    const char *help;       /* one paragraph */
} Command;

/* What `watch` and `train(..., live=1)` hand to the live view: the model
 * to train (the object itself: training updates it), its name, the data
 * (and a net's held-out data, or NULL) and the training arguments. */
typedef struct LiveRequest {
    Value *model;
    const char *name;       /* the variable that holds it, or "model" */
    const Tensor *X, *Y;
    const Tensor *Xval, *Yval;
    size_t epochs;
    double lr;
    double speed;           /* epochs per second; 0: the view's default pace; INFINITY: unpaced */
    MlpOptions opt;         /* a net's batches, averaging and optimiser (its epochs and lr are the two above) */
} LiveRequest;
/* What the live view hands back for train() to show and return: the
 * summary line(s) of the run (owned, NULL until set), the epochs run and,
 * for an mlp, the cost after the last step; for a perceptron, the mistakes
 * of the last epoch, the updates and whether it converged; and the run's
 * history as train() records it (owned: train_history_free). */
typedef struct LiveResult {
    char *summary;
    size_t epochs;
    double cost;
    size_t mistakes, updates;
    bool converged;
    TrainHistory history;
} LiveResult;
typedef bool (*LiveTrainFn)(void *ctx, Interp *in, const LiveRequest *req, LiveResult *res, Error *e);

/* What `watch for ...:` hands to the live view: a loop to run one whole
 * iteration at a time (interp_loop_step), the arrays it changes and the
 * scalars to chart. */
typedef struct LiveLoop LiveLoop;
typedef bool (*LiveLoopFn)(void *ctx, Interp *in, LiveLoop *loop, Error *e);

/* The watched loop, for the view: how many passes it has run, how many
 * it will run in all (a for loop over a range, list or array, once its
 * first pass has started; 0 when unknown), whether it is over, the names
 * its body assigns (the arrays it changes are among them), the names the
 * student asked to chart, its header line; and one more whole pass (1
 * ran, 0 the loop is over, -1 an error in *e). */
size_t interp_loop_iteration(const LiveLoop *l);
size_t interp_loop_length(const LiveLoop *l);
bool interp_loop_done(const LiveLoop *l);
const char *const *interp_loop_targets(const LiveLoop *l, size_t *n);
const char *const *interp_loop_charted(const LiveLoop *l, size_t *n);
const char *interp_loop_source(const LiveLoop *l, char *buf, size_t n);
int interp_loop_step(Interp *in, LiveLoop *l, Error *e);

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

/* Limits: command tables, nested `run`s, nested calls of functions, the
 * length of one chunk of source (1 MiB) and of a file that `run` or `load`
 * reads (16 MiB).  `save` refuses to write what `load` could not read. */
enum { INTERP_MAX_TABLES = 8, INTERP_MAX_RUN_DEPTH = 16, INTERP_MAX_CALL_DEPTH = 200, INTERP_MAX_SOURCE = 1 << 20,
       INTERP_MAX_FILE = 16 << 20 };

/* --- a session ------------------------------------------------------------- */

/* A new session with no variables, format short, the random state seeded
 * as numpy seeds it at start (seed 0 here, so runs are reproducible), and
 * output to write/ctx.  NULL when memory runs out.  interp_delete frees it
 * all. */
Interp *interp_new(WriteFn write, void *ctx);
void interp_delete(Interp *in);

/* Where output goes (both may be read and swapped, e.g. to run quietly). */
void interp_set_output(Interp *in, WriteFn write, void *ctx);
WriteFn interp_output(const Interp *in, void **ctx);

/* Terminal facts: columns for wide matrices (0: no limit), colour, and
 * whether a person is typing (interactive). */
void interp_set_width(Interp *in, int width);
int interp_width(const Interp *in);
void interp_set_color(Interp *in, bool color);
bool interp_color(const Interp *in);
void interp_set_interactive(Interp *in, bool interactive);
bool interp_interactive(const Interp *in);
FormatMode interp_format(const Interp *in);

/* The flag a SIGINT handler sets; long computations poll it (may be NULL). */
void interp_set_interrupt(Interp *in, volatile sig_atomic_t *flag);
/* True (and clears the flag) when Ctrl-C was pressed. */
bool interp_interrupted(Interp *in);

/* `quit` was run (or interp_set_quit): the session should end. */
bool interp_quitting(const Interp *in);
void interp_set_quit(Interp *in, bool quit);

void interp_set_hooks(Interp *in, const SessionHooks *hooks);
const SessionHooks *interp_hooks(const Interp *in);
/* Waits for Enter (pause, backprop); NULL: never wait. */
void interp_set_pause(Interp *in, bool (*pause)(void *ctx), void *ctx);
bool interp_has_pause(const Interp *in);
/* Shows errors inside `run` scripts. */
void interp_set_report(Interp *in, ErrorReport report, void *ctx);
void *interp_report_ctx(const Interp *in);
/* Where notes about the session itself go (a progress or history file
 * that cannot be used), apart from the statements' output: the REPL
 * shows them on stderr.  Without one, notes go to the output. */
typedef void (*NoteFn)(void *ctx, const char *msg);
void interp_set_note(Interp *in, NoteFn note, void *ctx);
/* Shows "note: MSG". */
void interp_note(Interp *in, const char *msg);
/* The live view: how to train live, how to run a watched loop, and whether
 * `train` runs live without live=1 (inside `watch`). */
void interp_set_live(Interp *in, LiveTrainFn live, LiveLoopFn loop, void *ctx);
void *interp_live_ctx(const Interp *in);
void interp_set_live_ctx(Interp *in, void *ctx);
bool interp_live_default(const Interp *in);
void interp_set_live_default(Interp *in, bool on);

/* numpy's global random state (seed(), rand(), np.random). */
Rng *interp_rng(Interp *in);

/* Adds a table of n commands (borrowed: must outlive in); ctx is passed to
 * each.  A later table's command overrides an earlier one of the same name. */
bool interp_add_commands(Interp *in, const Command *rows, size_t n, void *ctx);
const Command *interp_find_command(const Interp *in, const char *word, size_t len);

/* Calls each(ctx, name) for every command, built-in and variable whose
 * name starts with prefix (for completion). */
void interp_each_name(const Interp *in, const char *prefix, void (*each)(void *ctx, const char *name), void *ctx);

/* --- running ---------------------------------------------------------------- */

/* Runs every statement of src (a whole chunk: brackets closed, blocks
 * complete).  Stops at the first error, with e->line and e->col pointing
 * into src.  A statement that fails changes no variable. */
bool interp_run(Interp *in, const char *src, Error *e);

/* Runs one chunk of input as typed by a person: offered to the session
 * hooks first, then run with interp_run (a blank chunk does nothing). */
bool interp_run_chunk(Interp *in, const char *chunk, Error *e);

/* Evaluates one expression given as source, into *out (owned by caller). */
bool interp_eval_source(Interp *in, const char *src, Value *out, Error *e);

/* Gives the next line (with or without its '\n'), borrowed until the next
 * call; returns false at the end. */
typedef bool (*LineSource)(void *ctx, const char **text, size_t *len);

/* Echo of a statement before it runs (-e): the source lines with their
 * prompts, ending in '\n'.  Set by the REPL (which may type them out
 * slowly); NULL writes them to the output at once. */
typedef void (*EchoFn)(void *ctx, const char *text);
void interp_set_echo(Interp *in, EchoFn echo, void *ctx);

/* Runs statements from a source of lines, one top-level statement at a
 * time, echoing each first when echo is set.  origin names the source in
 * error reports ("<stdin>", "-c", a file).  python: run by Python's rules
 * (as a .py file is: no echo of results, [...] makes a list); otherwise
 * by nudge's, unless the source imports numpy or math.  On an error,
 * report is called (when given) with the origin, the chunk's source and
 * the error; it stops unless keep_going.  Returns true when nothing
 * failed. */
bool interp_run_lines(Interp *in, LineSource next, void *ctx, const char *origin, bool echo, bool keep_going,
                      bool python, ErrorReport report, void *report_ctx, Error *e);
/* The same for the lines of src, by Python's rules when it imports numpy
 * or math. */
bool interp_run_string(Interp *in, const char *src, const char *origin, bool echo, bool keep_going,
                       ErrorReport report, void *report_ctx, Error *e);

/* The same for a file.  A name ending in .py runs by Python's rules. */
bool interp_run_file(Interp *in, const char *path, bool echo, bool keep_going,
                     ErrorReport report, void *report_ctx, Error *e);

/* --- variables --------------------------------------------------------------- */

/* The version of a variable (0 when there is none): it changes on every
 * assignment to the name and on every change made in place through it. */
unsigned long interp_version(const Interp *in, const char *name);

/* interp_get returns the stored value (borrowed) or NULL; interp_set takes
 * ownership of v (also on failure, when it is freed). */
Value *interp_get(const Interp *in, const char *name);
bool interp_set(Interp *in, const char *name, Value v, Error *e);
bool interp_clear(Interp *in, const char *name);

/* Walks the variables in the order they were made, skipping cleared ones:
 * start with *cursor = 0; each call gives the next name and its value
 * (both borrowed), or false at the end. */
bool interp_var_next(const Interp *in, size_t *cursor, const char **name, Value **value);
/* The name of a variable that refers to the same object as v, or NULL. */
const char *interp_name_of(const Interp *in, const Value *v);

/* Calls a function value (built-in, def or lambda) with n arguments, which
 * are borrowed.  *out is owned by the caller. */
bool interp_call(Interp *in, const Value *fn, Value *const *args, size_t n, Value *out, Error *e);

/* --- output -------------------------------------------------------------------- */

void interp_write(Interp *in, const char *text);
void interp_printf(Interp *in, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The loss curve of the last training run (for `plot loss` and the view). */
void interp_losses_reset(Interp *in);
void interp_losses_push(Interp *in, double loss);
const double *interp_losses(const Interp *in, size_t *n);
size_t interp_nlosses(const Interp *in);

/* --- files ---------------------------------------------------------------------- */

/* A file name as a script means it: inside a script, a relative name is
 * the script's folder's.  interp_resolve_path is for reading (beside the
 * script, else from the current folder); interp_write_path for writing
 * (beside the script), so a script's save and load meet.  Strings owned by
 * the caller, or NULL when memory runs out. */
char *interp_resolve_path(const Interp *in, const char *path);
char *interp_write_path(const Interp *in, const char *path);

/* Reads a whole text file (at most limit bytes) into a string owned by the
 * caller; errors start with `who`. */
char *interp_read_file(const char *path, const char *who, size_t limit, Error *e);

/* Saves every variable as a nudge script to path, atomically (a temporary
 * file in the same directory, then rename); *saved (may be NULL) counts
 * the variables written. */
bool interp_save(Interp *in, const char *path, size_t *saved, Error *e);

#endif
