/* mlp.h - the two-layer network of chapter 7 (and its chapter-6 variant).
 *
 * Row-vector batches, as the book's code: X is batch x in, W1 is in x hidden,
 * W2 is hidden x out, and
 *
 *     z1 = X W1 (+ b1)   a1 = sigmoid(z1)
 *     z2 = a1 W2 (+ b2)  a2 = sigmoid(z2)          (output MLP_SIGMOID)
 *                        a2 = softmax(z2) per row  (output MLP_SOFTMAX)
 *
 * The sigmoid output is trained on C = 1/2 sum (y - a2)^2, the softmax output
 * on the cross-entropy -sum y log a2.  Backward computes exactly the book's
 * quantities, in the book's order of operations, so that results agree with
 * numpy bit for bit:
 *
 *     delta2 = a2 - y
 *     g2     = delta2 * sigmoid'(z2)     (softmax + cross-entropy: g2 = a2 - y)
 *     dW2    = a1^T g2
 *     g1     = (g2 W2^T) * sigmoid'(z1)
 *     dW1    = X^T g1
 *     db2, db1 = column sums of g2, g1  (only with biases)
 *
 * and a step is W -= lr * dW for each parameter.  Weights are drawn from
 * numpy's legacy generator: all of W1 row-major, then W2; biases start at 0.
 */
#ifndef NUDGE_MLP_H
#define NUDGE_MLP_H

#include <stdbool.h>
#include <stdint.h>

#include "nudge/tensor.h"
#include "nudge/train.h"

typedef enum MlpOutput { MLP_SIGMOID, MLP_SOFTMAX } MlpOutput;

/* The parameters, by name, for gradient checks and for the language. */
typedef enum MlpParam { MLP_W1, MLP_W2, MLP_B1, MLP_B2 } MlpParam;

typedef struct Mlp {
    size_t n_in, n_hidden, n_out;
    MlpOutput output;
    bool bias;
    Tensor *W1, *W2;    /* owned matrices */
    Tensor *b1, *b2;    /* owned vectors, NULL without biases */
} Mlp;

/* One forward and backward pass over a batch.  Every tensor is owned by the
 * pass and reused from call to call while the batch size stays the same, so
 * training does not allocate in its loop. */
typedef struct MlpPass {
    size_t batch;
    Tensor *z1, *a1, *z2, *a2;      /* forward */
    Tensor *delta2, *g2, *h, *g1;   /* backward: h = g2 W2^T */
    Tensor *dW1, *dW2, *db1, *db2;  /* gradients (db only with biases) */
} MlpPass;

typedef struct MlpTrainReport {
    size_t epochs_run;
    double first_loss;  /* cost in the first epoch's forward pass (mini-batches: of all of X before training) */
    double last_loss;   /* cost in the last epoch's forward pass */
    bool stopped;       /* the hook asked to stop */
    bool diverged;      /* a cost or gradient went non-finite: no step taken */
} MlpTrainReport;

/* Makes net with weights drawn from np.random.seed(seed) (seed a whole
 * number in [0, 2^32)).  Sizes must be positive. */
bool mlp_init(Mlp *net, size_t n_in, size_t n_hidden, size_t n_out, double seed,
              bool bias, MlpOutput output, Error *e);
/* The same, drawing the weights from r (numpy's global state). */
struct Rng;
bool mlp_init_rng(Mlp *net, size_t n_in, size_t n_hidden, size_t n_out, struct Rng *r,
                  bool bias, MlpOutput output, Error *e);
bool mlp_copy(Mlp *dst, const Mlp *src, Error *e);
/* Frees net's tensors, leaving every pointer NULL. */
void mlp_free(Mlp *net);

/* The tensor of a parameter (NULL for a bias the net does not have). */
Tensor *mlp_param(const Mlp *net, MlpParam which);
const char *mlp_param_name(MlpParam which);
/* Replaces a parameter with a copy of value, which must have its shape (a
 * vector for biases, a matrix for weights); on error nothing changes. */
bool mlp_set_param(Mlp *net, MlpParam which, const Tensor *value, Error *e);

void mlp_pass_init(MlpPass *pass);
void mlp_pass_free(MlpPass *pass);

/* Runs X (batch x n_in matrix, or one n_in vector as a batch of one) forward,
 * filling pass->z1 .. a2. */
bool mlp_forward(const Mlp *net, const Tensor *X, MlpPass *pass, Error *e);
/* After mlp_forward on the same X: fills the deltas and gradients for
 * targets Y (batch x n_out; a vector of batch entries when n_out is 1). */
bool mlp_backward(const Mlp *net, const Tensor *X, const Tensor *Y, MlpPass *pass, Error *e);
/* The cost of the pass's output against Y (shape checked by mlp_backward). */
double mlp_cost(const Mlp *net, const MlpPass *pass, const Tensor *Y);
/* W -= lr * dW for every parameter, from a pass that ran backward. */
void mlp_step(Mlp *net, const MlpPass *pass, double lr);

/* Full-batch gradient descent for `epochs` epochs at learning rate lr.
 * hook (may be NULL) sees each epoch's cost after its step. */
bool mlp_train(Mlp *net, const Tensor *X, const Tensor *Y, size_t epochs, double lr,
               TrainHook hook, void *ctx, MlpTrainReport *report, Error *e);

/* Mini-batch gradient descent.  Each epoch the rows are shuffled as
 * numpy's legacy np.random.shuffle does (Fisher-Yates from the last row
 * down, each j drawn from rng by randint's masked rejection), then each run
 * of `batch` rows (the last may be shorter) takes one step.  An epoch's
 * cost is the sum of its batches' costs; hook sees each epoch. */
bool mlp_train_minibatch(Mlp *net, const Tensor *X, const Tensor *Y, size_t epochs, double lr, size_t batch,
                         struct Rng *rng, TrainHook hook, void *ctx, MlpTrainReport *report, Error *e);

/* The same an epoch at a time, for a caller that stops between epochs (the
 * live view).  MlpBatches carries what one epoch leaves for the next: the
 * order of the rows, which each epoch shuffles further (as one index array
 * shuffled in place by numpy each epoch), so that N calls of
 * mlp_minibatch_epoch give mlp_train_minibatch's weights bit for bit.
 * mlp_batches_init (a caller-owned struct, for data checked with
 * mlp_check_data) starts with the rows in order; mlp_batches_rewind puts
 * them back in order (a restart); mlp_batches_free releases it all. */
typedef struct MlpBatches {
    size_t n, batch;    /* rows, and rows per batch (at most n) */
    size_t *order;      /* owned */
    Tensor *xb, *yb;    /* one batch of rows, owned */
    MlpPass pass;
} MlpBatches;

bool mlp_batches_init(MlpBatches *b, const Tensor *X, const Tensor *Y, size_t batch, Error *e);
void mlp_batches_rewind(MlpBatches *b);
void mlp_batches_free(MlpBatches *b);
/* One epoch: *cost is the sum of its batches' costs.  A non-finite cost
 * sets *diverged and ends the epoch before that batch's step. */
bool mlp_minibatch_epoch(Mlp *net, const Tensor *X, const Tensor *Y, double lr, MlpBatches *b,
                         struct Rng *rng, double *cost, bool *diverged, Error *e);

/* Checks that X and Y fit the net, with errors naming the shapes. */
bool mlp_check_data(const Mlp *net, const Tensor *X, const Tensor *Y, const char *who, Error *e);

#endif
