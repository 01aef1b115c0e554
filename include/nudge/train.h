/* train.h - what a training loop tells its caller after each epoch, and
 * the history of a run.
 *
 * Models never print and never look at the terminal: a caller that wants to
 * draw, record the loss curve or stop on Ctrl-C passes a hook, which the loop
 * calls after every epoch with the model in a consistent state (a whole step
 * applied).  Returning false from the hook stops training there.
 *
 * Every number an epoch reports is measured once the epoch is over, on the
 * weights it ended with, so that a loss and an accuracy of the same epoch
 * describe the same model (and the last epoch's loss is the cost the
 * trained model has).  The one exception is a perceptron's `mistakes`: the
 * examples that moved w during the epoch, the rule's own count.
 */
#ifndef NUDGE_TRAIN_H
#define NUDGE_TRAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/error.h"

/* The per-epoch series a run can record.  Which ones a run has depends on
 * the model and the data: a perceptron has no loss, accuracy needs targets
 * that are classes, the val_ ones need held-out data. */
typedef enum TrainSeries {
    TRAIN_LOSS,             /* the training cost after the epoch */
    TRAIN_ACCURACY,         /* the share of training rows classified right after it */
    TRAIN_VAL_LOSS,         /* the cost on the held-out rows after it */
    TRAIN_VAL_ACCURACY,     /* the share of held-out rows classified right after it */
    TRAIN_LR,               /* the learning rate the epoch used */
    TRAIN_MISTAKES,         /* perceptron: examples that moved w during the epoch */
    TRAIN_SERIES            /* how many there are */
} TrainSeries;

#define TRAIN_BIT(s) (1u << (s))

typedef struct TrainProgress {
    size_t epoch;       /* 1-based number of the epoch just finished */
    size_t epochs;      /* the limit asked for */
    double loss;        /* mlp: v[TRAIN_LOSS]; perceptron: v[TRAIN_MISTAKES] */
    unsigned series;    /* TRAIN_BIT(s) for each s that v holds */
    double v[TRAIN_SERIES];
    size_t steps;       /* updates applied since the run started */
} TrainProgress;

typedef bool (*TrainHook)(void *ctx, const TrainProgress *p);

/* The history of one run: a growable column per series.  Caller-owned:
 * train_history_init makes it empty, train_history_free releases it and
 * leaves it empty again.  The first epoch added decides which series the
 * history keeps; later epochs must report the same ones. */
typedef struct TrainHistory {
    size_t n, cap;              /* epochs recorded, and room */
    unsigned series;            /* TRAIN_BIT(s) for each series kept */
    double *v[TRAIN_SERIES];    /* n values each, owned; NULL for series not kept */
    size_t steps;               /* updates applied in the whole run */
} TrainHistory;

void train_history_init(TrainHistory *h);
void train_history_free(TrainHistory *h);
/* Forgets the epochs recorded (a restart), keeping the memory. */
void train_history_clear(TrainHistory *h);
/* Appends p's epoch; on failure (out of memory, or other series than the
 * first epoch's) h is unchanged. */
bool train_history_add(TrainHistory *h, const TrainProgress *p, Error *e);
static inline bool train_history_has(const TrainHistory *h, TrainSeries s)
{
    return (h->series & TRAIN_BIT(s)) != 0;
}
/* "loss", "accuracy", "val_loss", "val_accuracy", "lr", "mistakes": the
 * names the language gives the series in a training record. */
const char *train_series_name(TrainSeries s);

#endif
