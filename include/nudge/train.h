/* train.h - what a training loop tells its caller after each epoch.
 *
 * Models never print and never look at the terminal: a caller that wants to
 * draw, record the loss curve or stop on Ctrl-C passes a hook, which the loop
 * calls after every epoch with the model in a consistent state (a whole step
 * applied).  Returning false from the hook stops training there.
 */
#ifndef NUDGE_TRAIN_H
#define NUDGE_TRAIN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct TrainProgress {
    size_t epoch;       /* 1-based number of the epoch just finished */
    size_t epochs;      /* the limit asked for */
    double loss;        /* the cost measured in that epoch (perceptron: mistakes) */
} TrainProgress;

typedef bool (*TrainHook)(void *ctx, const TrainProgress *p);

#endif
