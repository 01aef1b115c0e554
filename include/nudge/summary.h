/* summary.h - the words that close a training run.
 *
 * train() and the live view (`watch train(...)`) end a run with the same
 * summary, composed here from the facts of the run: how it ended, the
 * epochs, the cost before and after (a net) or the mistakes and updates (a
 * perceptron), and, from the run's history, the learning rates it used
 * (an lr changed by key is named with the epoch it took effect) and the
 * held-out cost.  Numbers are written as the session's format writes them,
 * so the summary agrees with what the view and the record show.
 */
#ifndef NUDGE_SUMMARY_H
#define NUDGE_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/format.h"
#include "nudge/mlp.h"
#include "nudge/tensor.h"
#include "nudge/text.h"
#include "nudge/train.h"

typedef enum RunEnd {
    RUN_FINISHED,       /* ran to its end: the epochs, convergence or divergence */
    RUN_QUIT,           /* stopped by the student (q in the view) */
    RUN_INTERRUPTED,    /* stopped by Ctrl-C */
} RunEnd;

/* The facts of one run; everything is borrowed. */
typedef struct RunFacts {
    bool perceptron;
    RunEnd end;
    size_t epochs_run, epochs;      /* epochs run, and the limit asked for */
    const TrainHistory *history;    /* per-epoch lr and held-out cost; may be NULL */
    bool fresh_line;                /* start on a new line (Ctrl-C typed at a prompt left a ^C) */
    /* A perceptron: */
    bool converged;
    size_t updates, last_mistakes;
    const Tensor *w;                /* its weights after the run */
    /* A net: */
    const MlpOptions *opt;          /* the options it trained with (lr: the one it started with) */
    double first_loss, last_loss;   /* the cost before the first epoch and after the last */
    bool diverged;
    bool partial;                   /* stopped part way through epoch epochs_run + 1 (last_loss: before it) */
} RunFacts;

/* Appends the summary, one or two lines each ending in '\n', to t.  Fails
 * only when memory runs out (then t is failed too). */
bool summary_write(Text *t, const RunFacts *f, FormatMode m, Error *e);

#endif
