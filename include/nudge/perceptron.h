/* perceptron.h - Rosenblatt's perceptron as the book trains it (chapter 2).
 *
 * Weights only: a bias is a constant-1 input column the caller adds to x.
 * The prediction is step(w . x), 1 when w . x > 0, else 0.  Targets are 1 for
 * the positive class and 0 (or -1, read as 0) for the negative one.  One
 * update is w <- w + lr * (y - prediction) * x: nothing happens when the
 * example is classified right, a false negative turns w toward x and a false
 * positive turns it away.
 */
#ifndef NUDGE_PERCEPTRON_H
#define NUDGE_PERCEPTRON_H

#include <stdbool.h>

#include "nudge/tensor.h"
#include "nudge/train.h"

typedef struct Perceptron {
    Tensor *w;      /* a vector, owned */
    double lr;
} Perceptron;

/* What one update did, with the numbers plugged in. */
typedef struct PerceptronTrace {
    double wx;          /* w . x before the update */
    double prediction;  /* step(w . x) */
    double target;      /* y read as 0 or 1 */
    double error;       /* target - prediction: -1, 0 or +1 */
    Tensor *dw;         /* lr * error * x, owned by the trace */
    Tensor *w;          /* w after the update, owned by the trace */
} PerceptronTrace;

typedef struct PerceptronReport {
    size_t epochs_run;
    size_t updates;         /* examples that moved w */
    size_t last_mistakes;   /* mistakes in the last epoch run */
    bool converged;         /* an epoch made no mistake */
    bool stopped;           /* the hook asked to stop */
} PerceptronReport;

/* Makes p with a copy of w (a vector) and learning rate lr. */
bool perceptron_init(Perceptron *p, const Tensor *w, double lr, Error *e);
bool perceptron_copy(Perceptron *dst, const Perceptron *src, Error *e);
/* Frees p's weights; p is left as after a failed init (w NULL). */
void perceptron_free(Perceptron *p);

void perceptron_trace_init(PerceptronTrace *t);
void perceptron_trace_free(PerceptronTrace *t);

/* Applies the rule to one example x (a vector as long as w) with target y.
 * trace may be NULL; when given, it receives the numbers (and must have been
 * initialised; its previous tensors are freed). */
bool perceptron_learn(Perceptron *p, const Tensor *x, double y, PerceptronTrace *trace, Error *e);

/* step(X @ w) for every row of X (or for X itself when it is a vector, giving
 * a vector of one element).  Returns a new vector owned by the caller. */
Tensor *perceptron_predict(const Perceptron *p, const Tensor *X, Error *e);

/* Visits the rows of X in order with targets y (a vector with one entry per
 * row, or a column), for at most max_epochs epochs, stopping after the first
 * epoch with no mistake.  hook (may be NULL) is called after each epoch with
 * the mistakes of that epoch as its loss; its series are the mistakes, the
 * accuracy on X after the epoch and lr, and its steps count every example
 * the rule was applied to. */
bool perceptron_train(Perceptron *p, const Tensor *X, const Tensor *y, size_t max_epochs,
                      TrainHook hook, void *ctx, PerceptronReport *report, Error *e);

/* The share of X's rows (checked as for perceptron_train) that step(w . x)
 * classifies as y says; NaN for no rows. */
double perceptron_accuracy(const Perceptron *p, const Tensor *X, const Tensor *y);

#endif
