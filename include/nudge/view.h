/* view.h - the live view: a model's weights, loss curve, predictions and
 * decision boundary, changing on screen while it trains.
 *
 * `watch train(net, x, y)` (or `train(..., live=1)`) hands the interpreter's
 * LiveRequest to view_live, which trains a working copy of the model in
 * small slices between redraws and writes the weights back to the variable
 * when it returns.  The pieces, from the bottom up:
 *
 *   Trainer   one training run: a working copy, the initial weights (for
 *             `r`), the loss curve; a step at a time (an epoch of a net, one
 *             example for a perceptron), no terminal.
 *   Snapshot  what is on screen: copies of the weights with the direction
 *             of their last change, outputs per example and whether each
 *             is right (the accuracy), the status.
 *   Grid      rows x cols cells, each a character and a colour Role.
 *   view_draw the pure layout step: Snapshot -> Grid (tests read the grid).
 *   backends  curses.c paints a Grid full screen and reads keys; plain.c
 *             prints progress lines when there is no terminal.
 *
 * The view calls the language and the models; nothing below it calls the
 * view (the interpreter knows it only through the hooks interp_set_live
 * installs).
 */
#ifndef NUDGE_VIEW_H
#define NUDGE_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nudge/error.h"
#include "nudge/interp.h"
#include "nudge/mlp.h"
#include "nudge/rng.h"
#include "nudge/value.h"

/* --- installing ------------------------------------------------------------ */

/* Adds the `watch` command to in and makes the live view in's training
 * hooks (interp_set_live, with the view's state as their context).  With a terminal on stdin and
 * stdout the view is full screen (without colour when NO_COLOR is set);
 * without one, or with TERM=dumb, it prints plain progress lines.
 * view_install_headless always prints plain lines (for --check-lessons). */
void view_install(Interp *in);
void view_install_headless(Interp *in);

/* The hook itself (a LiveTrainFn): trains req->model in place, then fills
 * *res: the run's summary (for train() to show) and its facts.  ctx is
 * what view_install set. */
bool view_live(void *ctx, Interp *in, const LiveRequest *req, LiveResult *res, Error *e);

/* The hook for `watch ... for/while ...:` (a LiveLoopFn): runs the loop a
 * pass at a time on screen, or with plain progress lines. */
bool view_loop(void *ctx, Interp *in, LiveLoop *loop, Error *e);

/* --- the character grid ------------------------------------------------------ */

/* What a cell means; the backend turns roles into colours (or, without
 * colour, into bold/reverse/dim). */
typedef enum Role {
    ROLE_TEXT,
    ROLE_DIM,           /* labels, axes, units */
    ROLE_TITLE,         /* panel titles */
    ROLE_BORDER,
    ROLE_STATUS,        /* the status bar */
    ROLE_STATUS_VALUE,  /* numbers in the status bar */
    ROLE_RUNNING,       /* the state chip in the status bar */
    ROLE_PAUSED,
    ROLE_FINISHED,
    ROLE_KEY,           /* a key in the help line */
    ROLE_POS1, ROLE_POS2, ROLE_POS3,    /* a weight > 0, weak to strong */
    ROLE_NEG1, ROLE_NEG2, ROLE_NEG3,    /* a weight < 0, weak to strong */
    ROLE_UP, ROLE_DOWN,                 /* arrows: direction of the last change */
    ROLE_SHADE_NEG4, ROLE_SHADE_NEG3, ROLE_SHADE_NEG2, ROLE_SHADE_NEG1,    /* the plane: output */
    ROLE_SHADE_POS1, ROLE_SHADE_POS2, ROLE_SHADE_POS3, ROLE_SHADE_POS4,    /* below / above 0.5 */
    ROLE_POINT_POS,     /* a data point with target 1 */
    ROLE_POINT_NEG,     /* a data point with target 0 */
    ROLE_POINT_ACTIVE,  /* the example a perceptron just learned */
    ROLE_BOUNDARY_NEG,  /* the boundary (w·x = 0, or output = 0.5), */
    ROLE_BOUNDARY_POS,  /* drawn in a cell just below / above it */
    ROLE_CURVE,         /* the loss curve: its top edge */
    ROLE_CURVE_FILL,    /* the area under it */
    ROLE_CURVE_VAL,     /* the held-out curve beside it */
    ROLE_CURRENT,       /* the current loss label */
    ROLE_GOOD,          /* a prediction on the right side */
    ROLE_BAD,           /* a prediction on the wrong side */
    ROLE_COUNT
} Role;

typedef struct Cell {
    uint32_t ch;        /* a Unicode code point, one column wide */
    uint8_t role;       /* a Role */
} Cell;

typedef struct Grid {
    int rows, cols;
    Cell *cells;        /* rows * cols, row-major, owned */
} Grid;

/* Makes g rows x cols blank cells (a caller-owned struct; grid_free releases
 * it).  Resizing is grid_free then grid_init. */
bool grid_init(Grid *g, int rows, int cols, Error *e);
void grid_free(Grid *g);
/* Every cell a space of ROLE_TEXT. */
void grid_clear(Grid *g);
static inline Cell *grid_at(const Grid *g, int row, int col) { return &g->cells[(size_t)row * (size_t)g->cols + (size_t)col]; }
/* Writes UTF-8 text from (row, col), one column per character, clipped at
 * the grid's right edge (and at max_cols columns when max_cols >= 0).
 * Returns the columns written. */
int grid_put(Grid *g, int row, int col, Role role, const char *utf8);
int grid_putn(Grid *g, int row, int col, int max_cols, Role role, const char *utf8);
int grid_printf(Grid *g, int row, int col, Role role, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* Sets one cell (ignored outside the grid). */
void grid_set(Grid *g, int row, int col, uint32_t ch, Role role);
/* Fills a rectangle with one character. */
void grid_fill(Grid *g, int row, int col, int height, int width, uint32_t ch, Role role);
/* A light box with a title in its top edge. */
void grid_box(Grid *g, int row, int col, int height, int width, const char *title);
/* The characters as UTF-8 text, one line per row with trailing spaces
 * removed, each ending in '\n'.  Owned by the caller (mem_free). */
char *grid_dump(const Grid *g, Error *e);
/* Columns of a UTF-8 string (one per character). */
int grid_width(const char *utf8);

/* --- what is drawn ------------------------------------------------------------ */

typedef enum ViewState {
    VIEW_STATE_RUNNING,
    VIEW_STATE_PAUSED,
    VIEW_STATE_DONE,        /* all epochs ran (a loop: all its passes) */
    VIEW_STATE_CONVERGED,   /* a perceptron epoch made no mistake */
    VIEW_STATE_DIVERGED,    /* the cost went non-finite: no step taken */
} ViewState;

typedef enum ViewKind {
    VIEW_PERCEPTRON,
    VIEW_MLP,
    VIEW_LOOP,              /* `watch NAMES for ...:`: the loop's arrays and charted values */
} ViewKind;

/* Every weight and bias of the deepest net, or the arrays of a loop. */
enum { VIEW_MAX_MATRICES = 2 * MLP_MAX_LAYERS, VIEW_MAX_CURVES = 8 };

/* One matrix as shown: a vector (a bias, w, a loop's 1-D array) is one
 * row. */
typedef struct ViewMatrix {
    char name[32];          /* "W1", "b2", "w", or a loop's variable */
    size_t layer;           /* a net's: the layer k of W(k+1) and b(k+1) */
    bool vector;            /* a 1-D array: one row, labelled by its name */
    size_t rows, cols;
    double *v;              /* rows * cols, owned */
    signed char *dir;       /* -1, 0, +1: the sign of the last change, owned */
} ViewMatrix;

/* A scalar over time: a loop's charted value, pass by pass. */
typedef struct ViewCurve {
    char name[32];
    const double *v;        /* one value per pass, borrowed (NaN: not a number then) */
    size_t n;
} ViewCurve;

typedef struct Snapshot {
    ViewKind kind;
    char name[32];          /* the model variable ("net"), or "" */
    char title[96];         /* a loop's header line */
    /* A net's shape: sizes[0] inputs .. sizes[n_layers] outputs. */
    size_t n_layers, sizes[MLP_MAX_LAYERS + 1];
    size_t n_in, n_out;
    bool bias, softmax;
    MlpAct hidden;
    Mlp net;                /* a copy of the net's weights, for the plane (owned) */
    bool has_net;
    ViewMatrix m[VIEW_MAX_MATRICES];
    size_t nm;
    size_t nstate;          /* a loop's: the first nstate arrays held values before it began */
    const Tensor *X, *Y;    /* the data, borrowed (NULL for a loop) */
    double *out;            /* mlp: the output (rows x n_out); perceptron: w·x per row; owned */
    size_t out_len;
    /* Whether each example is predicted right, by the rule train()'s
     * accuracy uses: w·x > 0 against y > 0 for a perceptron, output > 0.5
     * against a target of 1 for one output, the target's 1 at the largest
     * output for several. */
    unsigned char *right;   /* one per row of X, owned */
    size_t right_len;       /* the rows of X */
    size_t nright;          /* how many are right */
    bool has_accuracy;      /* targets are classes, so nright / rows is an accuracy worth showing */
    /* The loss curve: start (the cost before the first epoch, NaN when
     * there is none) and then the loss of every epoch so far; a net's
     * held-out loss per epoch beside it. */
    double start_loss;
    const double *losses;   /* borrowed */
    size_t nlosses;
    const double *val_losses;   /* borrowed; NULL without held-out data */
    size_t nval;
    ViewCurve curves[VIEW_MAX_CURVES];  /* a loop's charted values */
    size_t ncurves;
    bool auto_charted;      /* a loop named no value: the curves are the scalars its body assigns */
    size_t epoch, epochs;   /* epochs run, and the limit (a loop: passes, and how many in all or 0) */
    double lr, lr_start;    /* now, and when the run started (a change by key shows) */
    bool mean_loss;         /* the cost is averaged over the rows, not summed */
    double speed;           /* epochs per second; INFINITY: unpaced ("max") */
    double elapsed;         /* seconds spent training (0: not shown) */
    size_t current;         /* the example a perceptron learned last (SIZE_MAX: none) */
    ViewState state;
    bool log_scale;         /* the loss axis */
    bool color;             /* the backend shows colour (the plane's glyphs differ) */
    int scroll;             /* the first line of the weights panel shown (↑/↓) */
    MlpPass pass;           /* for the outputs; internal */
} Snapshot;

/* snapshot_init makes an empty snapshot; snapshot_take copies model (a
 * perceptron or mlp value, borrowed) and its outputs on X into s, scores
 * them against Y (a pass over the rows: take it per frame drawn, never per
 * training step), and keeps for each weight the direction it moved since
 * the previous take (or the one before that, when it did not move); X and
 * Y are borrowed until the next take.  The status fields are the caller's
 * to fill.  snapshot_take_arrays does the same for the arrays a loop
 * changes: n named tensors (borrowed for the call).  snapshot_free leaves
 * s as snapshot_init does. */
void snapshot_init(Snapshot *s);
bool snapshot_take(Snapshot *s, const Value *model, const Tensor *X, const Tensor *Y, Error *e);
bool snapshot_take_arrays(Snapshot *s, const char *const *names, const Tensor *const *arrays, size_t n, Error *e);
/* The accuracy as the view writes it, "93.4%" (rounded down, so "100%"
 * only when every example is right), into buf; "" without has_accuracy. */
const char *snapshot_accuracy(const Snapshot *s, char *buf, size_t n);
/* Forgets the directions of change (after a restart). */
void snapshot_forget_changes(Snapshot *s);
void snapshot_free(Snapshot *s);

/* The smallest terminal the dashboard is laid out for; below it view_draw
 * shows a "terminal too small" screen. */
enum { VIEW_MIN_COLS = 60, VIEW_MIN_ROWS = 16 };

/* What a layout left for the backend to know: how many lines the weights
 * panel has and how many it shows, so that ↑/↓ stop at its ends. */
typedef struct ViewFacts {
    int weight_lines;       /* lines of the whole weights panel */
    int weight_rows;        /* lines it shows */
} ViewFacts;

/* The layout: fills all of g from s (facts, when not NULL, says what it
 * left out).  Pure: no terminal, no clock. */
void view_draw(const Snapshot *s, Grid *g);
void view_draw_facts(const Snapshot *s, Grid *g, ViewFacts *facts);

/* --- keys ------------------------------------------------------------------------ */

/* Key codes beyond Unicode for the keys a backend translates. */
enum { VIEW_KEY_RIGHT = 0x110001, VIEW_KEY_RESIZE = 0x110002, VIEW_KEY_UP = 0x110003, VIEW_KEY_DOWN = 0x110004,
       VIEW_KEY_PAGE_UP = 0x110005, VIEW_KEY_PAGE_DOWN = 0x110006 };

/* What a key asks for, as flags. */
enum {
    VIEW_ACT_PAUSE = 1 << 0,    /* space: pause / resume */
    VIEW_ACT_STEP = 1 << 1,     /* n, s, . or →: one step (pausing first) */
    VIEW_ACT_FASTER = 1 << 2,   /* + */
    VIEW_ACT_SLOWER = 1 << 3,   /* - */
    VIEW_ACT_LR_DOWN = 1 << 4,  /* [ */
    VIEW_ACT_LR_UP = 1 << 5,    /* ] */
    VIEW_ACT_RESTART = 1 << 6,  /* r */
    VIEW_ACT_LOG = 1 << 7,      /* l */
    VIEW_ACT_QUIT = 1 << 8,     /* q or Esc */
    VIEW_ACT_INTERRUPT = 1 << 9,/* Ctrl-C */
    VIEW_ACT_RESIZE = 1 << 10,  /* the terminal changed size */
    VIEW_ACT_OTHER = 1 << 11,   /* any other key ("press a key to return") */
    VIEW_ACT_UP = 1 << 12,      /* ↑ or k: the weights panel up a line */
    VIEW_ACT_DOWN = 1 << 13,    /* ↓ or j: down a line */
    VIEW_ACT_PAGE_UP = 1 << 14, /* PgUp: up a panel's height */
    VIEW_ACT_PAGE_DOWN = 1 << 15,   /* PgDn */
};
unsigned view_key(int key);

/* The next value of a 1-2-5 ladder (..., 0.1, 0.2, 0.5, 1, 2, 5, ...) above
 * x (up) or below it, for the speed and learning-rate keys. */
double view_ladder(double x, bool up);

/* --- a training run ------------------------------------------------------------ */

typedef enum TrainerEnd {
    TRAINER_FINISHED,       /* ran to its end (epochs, convergence, divergence) */
    TRAINER_QUIT,           /* q before the end */
    TRAINER_INTERRUPTED,    /* Ctrl-C */
} TrainerEnd;

typedef struct Trainer {
    Interp *in;
    Value *target;          /* the model variable (borrowed): trainer_commit writes it */
    char name[32];          /* its name, or "" */
    Value work;             /* the copy being trained, owned */
    Value initial;          /* the weights to restart from, owned */
    const Tensor *X, *Y;    /* borrowed from the request */
    const Tensor *Xval, *Yval;  /* a net's held-out data, or NULL */
    size_t epochs;          /* the limit */
    size_t epoch;           /* epochs run since the (re)start */
    double lr, lr_start;    /* now (the keys change it), and as asked */
    MlpOptions opt;         /* a net's options as asked (opt.lr: the lr asked for) */
    MlpRun run;             /* a net's training run: row order, optimiser state, steps */
    Rng rng_start;          /* the interpreter's random state at the start, for `r` */
    double first_loss, last_loss;
    size_t updates, last_mistakes;  /* perceptron */
    bool converged, diverged;
    double seconds;         /* wall time spent running (a backend's clock), for rates */
    TrainHistory history;   /* every epoch since the (re)start, as train() records it */
    size_t steps;           /* perceptron: examples the rule was applied to */
    /* A perceptron learns one example per step, as learn() does: */
    size_t row;             /* the next example of the epoch in progress */
    size_t mistakes;        /* mistakes so far in that epoch */
    size_t last_row;        /* the example learned last (SIZE_MAX: none yet) */
    Tensor *x;              /* that example, owned */
    bool partial;           /* a net's epoch was stopped part way (q): its cost is not measured */
} Trainer;

/* Checks the request and makes the working copy; losses are reset.
 * trainer_free releases what init made (not the target). */
bool trainer_init(Trainer *t, Interp *in, const LiveRequest *req, Error *e);
void trainer_free(Trainer *t);
/* Runs up to n epochs, fewer when training finishes; *ran counts them.
 * Each epoch's loss goes to interp_losses_push.  An epoch a perceptron has
 * started with trainer_step is finished first (and counts as one). */
bool trainer_run(Trainer *t, size_t n, size_t *ran, Error *e);
/* One step: an epoch of gradient descent for a net; one example (the
 * perceptron rule applied once, as learn() does) for a perceptron. */
bool trainer_step(Trainer *t, Error *e);
/* Steps in an epoch: 1 for a net, the number of examples for a perceptron. */
size_t trainer_steps_per_epoch(const Trainer *t);
bool trainer_finished(const Trainer *t);
/* Back to the initial weights, epoch 0, an empty loss curve, and for
 * mini-batches the random state and row order of the start, so the run
 * repeats (lr is kept). */
void trainer_restart(Trainer *t);
void trainer_set_lr(Trainer *t, double lr);
/* Writes the working weights into the target variable. */
void trainer_commit(Trainer *t);
/* Takes the snapshot of the run now and fills its status fields (all
 * but the backend's: speed, elapsed, state, log scale, colour, scroll). */
bool trainer_snapshot(Trainer *t, Snapshot *s, Error *e);
/* The line printed after the run, as train() prints it ("trained 1000
 * epochs at lr = 1: cost 0.6559 → 0.0101\n").  Owned by the caller, or
 * NULL. */
char *trainer_summary(const Trainer *t, TrainerEnd end, Error *e);
/* An mlp's cost after its last epoch (before the first: now); a
 * perceptron's last loss. */
double trainer_cost_now(const Trainer *t);

/* --- a watched loop ------------------------------------------------------------ */

/* `watch NAMES for ...:` as the view drives it: one whole pass of the loop
 * per step, the charted values recorded after each pass, and the arrays
 * the body assigns found again after each (the body may make new ones).
 * The arrays that existed before the loop began (its state: weights) come
 * first, then those made in a pass. */
typedef struct LoopRun {
    Interp *in;
    LiveLoop *loop;         /* borrowed */
    char title[96];         /* the loop's header line */
    size_t passes;          /* passes run */
    bool done;              /* the loop is over */
    bool auto_charted;      /* no value named: the scalars the body assigns are charted */
    size_t ncharted;
    char charted[VIEW_MAX_CURVES][32];
    double *series[VIEW_MAX_CURVES];    /* one value per pass, owned (NaN: not a number then) */
    size_t cap;
    char **before;          /* the body's targets that held arrays before the loop began, owned */
    size_t nbefore;
} LoopRun;

bool loop_run_init(LoopRun *r, Interp *in, LiveLoop *loop, Error *e);
void loop_run_free(LoopRun *r);
/* Up to n passes, fewer when the loop ends; *ran counts them.  An error in
 * the loop's body ends it (false, with the error). */
bool loop_run_steps(LoopRun *r, size_t n, size_t *ran, Error *e);
/* The loop's arrays and charted values as a snapshot, with its status
 * fields filled (all but the backend's). */
bool loop_run_snapshot(LoopRun *r, Snapshot *s, Error *e);
/* The lines printed after a watched loop: how many passes ran, how it
 * ended, and each charted value from first to last.  Owned, or NULL. */
char *loop_run_summary(const LoopRun *r, TrainerEnd end, Error *e);

/* --- backends ---------------------------------------------------------------------- */

/* The backends train t's working copy and say how the run ended; the
 * caller commits it.  view_run_curses shows the full-screen dashboard on
 * the terminal (colour when asked for and the terminal has it; speed as in
 * LiveRequest); when training ends it waits for a key, or without `wait`
 * shows the end for a second and returns.  It fails with ERROR_IO, having
 * trained nothing, when the terminal cannot be opened.  view_run_plain
 * prints progress lines through the interpreter's output, unpaced. */
bool view_run_curses(Trainer *t, double speed, bool color, bool wait, TrainerEnd *end, Error *e);
bool view_run_plain(Trainer *t, TrainerEnd *end, Error *e);

/* A watched loop, full screen (false with ERROR_IO, having run nothing,
 * when the terminal cannot be opened), or as progress lines; either way
 * the summary is printed after it. */
bool view_run_loop_curses(Interp *in, LiveLoop *loop, bool color, bool wait, Error *e);
bool view_run_loop_plain(Interp *in, LiveLoop *loop, Error *e);

#endif
