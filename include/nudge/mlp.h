/* mlp.h - fully connected networks of any depth: the two-layer net of
 * chapter 7, its chapter-6 softmax variant, and deeper ones.
 *
 * Row-vector batches, as the book's code: X is batch x in, and layer k
 * (k = 0 .. L-1, counting from zero like the arrays below; the language
 * calls its weights W1 .. WL) has weights W[k], sizes[k] x sizes[k+1]:
 *
 *     z[k] = in[k] W[k] (+ b[k])   with in[0] = X and in[k] = a[k-1]
 *     a[k] = f(z[k])               f = the hidden activation for k < L-1,
 *                                  the output activation for k = L-1
 *
 * The sigmoid and linear outputs are trained on C = 1/2 sum (y - a)^2, the
 * softmax output on the cross-entropy -sum y log a.  Backward computes the
 * book's quantities in the book's order of operations, so that results
 * agree with numpy bit for bit (the two-layer sigmoid net is chapter 7's):
 *
 *     delta      = a[L-1] - y
 *     g[L-1]     = delta * sigmoid'(z[L-1])   (softmax + cross-entropy and
 *                                             a linear output: g = delta)
 *     dW[k]      = in[k]^T g[k]
 *     h[k-1]     = g[k] W[k]^T
 *     g[k-1]     = h[k-1] * f'(z[k-1])
 *     db[k]      = column sums of g[k]   (only with biases)
 *
 * with sigmoid' = a (1 - a), tanh' = 1 - a^2 and relu' = 1 where z > 0 else
 * 0, each computed from the layer's output a as written.  The gradient is of
 * the cost summed over the batch; a training run may average it instead
 * (MlpOptions.mean).  Weights are drawn from numpy's legacy generator: all
 * of W[0] row-major, then W[1], and so on; biases start at 0.
 *
 * Training changes the weights in place: the tensors a net owns are made by
 * mlp_init and freed by mlp_free, and nothing in between replaces them, so
 * a pointer to net->W[k] stays valid (and sees every update) for the life of
 * the net.
 */
#ifndef NUDGE_MLP_H
#define NUDGE_MLP_H

#include <stdbool.h>
#include <stdint.h>

#include "nudge/tensor.h"
#include "nudge/train.h"

/* The most weight layers a net may have (so at most 17 layer sizes). */
enum { MLP_MAX_LAYERS = 16 };

/* Activations: hidden layers take sigmoid, tanh, relu or linear; the
 * output sigmoid, softmax or linear. */
typedef enum MlpAct { MLP_SIGMOID, MLP_SOFTMAX, MLP_LINEAR, MLP_TANH, MLP_RELU } MlpAct;
typedef MlpAct MlpOutput;

/* "sigmoid", "softmax", "linear", "tanh", "relu". */
const char *mlp_act_name(MlpAct a);
/* The activation named s; false when there is none. */
bool mlp_act_parse(const char *s, MlpAct *out);

/* The parameters by number, for gradient checks and for the language.
 * The chapter-7 four come first, W1 W2 b1 b2, so that a loop from MLP_W1
 * to MLP_B2 sees exactly those (all of a two-layer net); then W3 b3 W4 b4
 * and so on.  Every parameter of any net lies below MLP_PARAM_END; a net
 * returns NULL for those it lacks.  mlp_weight_param(k) and
 * mlp_bias_param(k) number the weights and biases of layer k. */
typedef enum MlpParam {
    MLP_W1 = 0,
    MLP_W2 = 1,
    MLP_B1 = 2,
    MLP_B2 = 3,
    MLP_PARAM_END = 2 * MLP_MAX_LAYERS
} MlpParam;

static inline MlpParam mlp_weight_param(size_t k) { return (MlpParam)(k < 2 ? k : 2 * k); }
static inline MlpParam mlp_bias_param(size_t k) { return (MlpParam)(k < 2 ? k + 2 : 2 * k + 1); }
static inline bool mlp_param_is_weight(MlpParam p) { return (int)p < 2 || ((int)p >= 4 && (int)p % 2 == 0); }
/* The layer k of W(k+1) or b(k+1). */
static inline size_t mlp_param_layer(MlpParam p) { return (int)p < 4 ? (size_t)p % 2 : (size_t)p / 2; }

typedef struct Mlp {
    size_t n_layers;                    /* L, the weight matrices: 2 .. MLP_MAX_LAYERS */
    size_t sizes[MLP_MAX_LAYERS + 1];   /* sizes[0] inputs, sizes[L] outputs */
    size_t n_in, n_hidden, n_out;       /* sizes[0], sizes[1] (the first hidden layer), sizes[L] */
    MlpAct hidden, output;
    bool bias;
    /* Owned; W[k] for k < L (b[k] only with biases), NULL beyond.  W1, W2,
     * b1, b2 are other names of W[0], W[1], b[0], b[1]. */
    union {
        Tensor *W[MLP_MAX_LAYERS];
        struct { Tensor *W1, *W2; };
    };
    union {
        Tensor *b[MLP_MAX_LAYERS];
        struct { Tensor *b1, *b2; };
    };
} Mlp;

/* Makes net with n_layers weight layers between the n_layers + 1 sizes
 * (each positive), drawing the weights from r (numpy's global state, or a
 * generator seeded for the net).  On failure net is left freed. */
struct Rng;
bool mlp_create(Mlp *net, size_t n_layers, const size_t *sizes, MlpAct hidden, MlpAct output, bool bias,
                struct Rng *r, Error *e);
/* The two-layer sigmoid-hidden net of chapter 7, weights drawn from
 * np.random.seed(seed) (seed a whole number in [0, 2^32)), or from r. */
bool mlp_init(Mlp *net, size_t n_in, size_t n_hidden, size_t n_out, double seed,
              bool bias, MlpOutput output, Error *e);
bool mlp_init_rng(Mlp *net, size_t n_in, size_t n_hidden, size_t n_out, struct Rng *r,
                  bool bias, MlpOutput output, Error *e);
/* A deep copy into dst (which is overwritten, not freed). */
bool mlp_copy(Mlp *dst, const Mlp *src, Error *e);
/* Whether a and b have the same layers, activations and biases. */
bool mlp_same_shape(const Mlp *a, const Mlp *b);
/* Copies src's weights into dst's tensors, in place (same shape). */
void mlp_copy_weights(Mlp *dst, const Mlp *src);
/* Frees net's tensors, leaving every pointer NULL. */
void mlp_free(Mlp *net);
/* The sizes joined by '-', "3-4-4-1", into buf. */
const char *mlp_shape_str(const Mlp *net, char *buf, size_t n);

/* The tensor of a parameter (NULL for one the net does not have). */
Tensor *mlp_param(const Mlp *net, MlpParam which);
/* "W1" .. "W16", "b1" .. "b16". */
const char *mlp_param_name(MlpParam which);
/* The parameter named s ("W3", "b1"); false when no net has one so named. */
bool mlp_param_parse(const char *s, MlpParam *out);
/* Copies value into a parameter, in place; it must have the parameter's
 * shape (a vector for biases, a matrix for weights).  On error nothing
 * changes. */
bool mlp_set_param(Mlp *net, MlpParam which, const Tensor *value, Error *e);

/* One forward and backward pass over a batch.  Every tensor is owned by the
 * pass and reused from call to call while the batch size stays the same, so
 * training does not allocate in its loop.  Index k is layer k as above; h
 * has L-1 entries. */
typedef struct MlpPass {
    size_t batch, n_layers;     /* rows in the last pass, and the net's layers */
    size_t cap;                 /* rows the tensors have room for */
    Tensor *z[MLP_MAX_LAYERS], *a[MLP_MAX_LAYERS];      /* forward */
    Tensor *delta;                                      /* a[L-1] - y */
    Tensor *g[MLP_MAX_LAYERS], *h[MLP_MAX_LAYERS];      /* backward */
    Tensor *dW[MLP_MAX_LAYERS], *db[MLP_MAX_LAYERS];    /* gradients (db only with biases) */
} MlpPass;

void mlp_pass_init(MlpPass *pass);
void mlp_pass_free(MlpPass *pass);
/* The net's output from the last forward pass (a[L-1]). */
static inline Tensor *mlp_pass_output(const MlpPass *pass)
{
    return pass->n_layers ? pass->a[pass->n_layers - 1] : NULL;
}
/* The gradient of a parameter from the last backward pass (NULL if none). */
Tensor *mlp_pass_grad(const MlpPass *pass, MlpParam which);

/* Runs X (batch x n_in matrix, or one n_in vector as a batch of one)
 * forward, filling pass->z and pass->a. */
bool mlp_forward(const Mlp *net, const Tensor *X, MlpPass *pass, Error *e);
/* After mlp_forward on the same X: fills the deltas and gradients for
 * targets Y (batch x n_out; a vector of batch entries when n_out is 1). */
bool mlp_backward(const Mlp *net, const Tensor *X, const Tensor *Y, MlpPass *pass, Error *e);
/* The cost of the pass's output against Y summed over the batch (shape
 * checked by mlp_backward or mlp_check_data). */
double mlp_cost(const Mlp *net, const MlpPass *pass, const Tensor *Y);
/* W -= lr * dW for every parameter, from a pass that ran backward. */
void mlp_step(Mlp *net, const MlpPass *pass, double lr);

/* Checks that X and Y fit the net, with errors naming the shapes. */
bool mlp_check_data(const Mlp *net, const Tensor *X, const Tensor *Y, const char *who, Error *e);

/* Whether targets Y (checked) are classes, so that an accuracy means
 * something: 0/1 values for one output, rows with a single 1 among 0s
 * for several. */
bool mlp_targets_are_classes(const Mlp *net, const Tensor *Y);
/* The rows whose output A (batch x n_out, from a forward pass) gets the
 * class of Y right: output > 0.5 for target 1 and <= 0.5 for target 0
 * with one output; the largest output where the target's 1 is with
 * several.  Meaningful when mlp_targets_are_classes. */
size_t mlp_count_right(const Mlp *net, const Tensor *A, const Tensor *Y);

/* --- training ---------------------------------------------------------------- */

typedef enum MlpOptimizer {
    MLP_OPT_SGD,        /* w -= lr g */
    MLP_OPT_MOMENTUM,   /* v = momentum v + g; w -= lr v */
    MLP_OPT_RMSPROP,    /* s = alpha s + (1 - alpha) g^2; w -= lr g / (sqrt(s) + eps) */
    MLP_OPT_ADAM,       /* m, v moving averages of g, g^2; bias-corrected; w -= lr m^ / (sqrt(v^) + eps) */
} MlpOptimizer;

/* "sgd", "momentum", "rmsprop", "adam". */
const char *mlp_optimizer_name(MlpOptimizer o);
bool mlp_optimizer_parse(const char *s, MlpOptimizer *out);

/* How to train.  mlp_options_init gives the book's chapter-7 loop (full
 * batch, summed gradient, plain gradient descent at lr 1) and PyTorch's
 * defaults for the optimisers' other parameters. */
typedef struct MlpOptions {
    size_t epochs;
    double lr;
    size_t batch;           /* rows per step, drawn in a shuffled order; 0: all rows in order */
    bool mean;              /* the cost and its gradient averaged over the rows of a step, not summed */
    MlpOptimizer optimizer;
    double momentum;        /* 0.9 */
    double alpha;           /* RMSprop's decay, 0.99 */
    double beta1, beta2;    /* Adam's decays, 0.9 and 0.999 */
    double eps;             /* RMSprop's and Adam's 1e-8 */
} MlpOptions;

void mlp_options_init(MlpOptions *o);
/* Checks the numbers (lr finite, decays in [0, 1), eps >= 0, ...); who
 * names the caller in errors. */
bool mlp_options_check(const MlpOptions *o, const char *who, Error *e);

/* One training run an epoch at a time, for a caller that stops between
 * epochs (the live view) as much as for mlp_fit.  It carries what one epoch
 * leaves the next: the row order (which each epoch shuffles further, as one
 * index array shuffled in place by numpy's legacy np.random.shuffle:
 * Fisher-Yates from the last row down, each j drawn by randint's masked
 * rejection), the optimiser's state and the step count.  X, Y and the
 * held-out Xval, Yval (both NULL without them) are borrowed for the run's
 * life; the net must change only through mlp_run_epoch (or be put back with
 * mlp_run_rewind).  opt is copied; a caller may change run->opt.lr between
 * epochs. */
typedef struct MlpRun {
    MlpOptions opt;
    const Tensor *X, *Y, *Xval, *Yval;
    size_t n;                   /* rows of X */
    size_t epoch, steps;        /* epochs and updates since the start */
    bool classes, val_classes;  /* accuracy is defined on X, on Xval */
    size_t *order;              /* with batches: the row order, owned */
    Tensor *xb, *yb;            /* one batch of rows, owned */
    MlpPass pass;               /* mini-batch steps */
    MlpPass full;               /* all of X: full-batch steps, and the cost on X */
    MlpPass eval;               /* the cost on Xval */
    bool fresh;                 /* full holds the forward pass of all of X at the current weights */
    double full_cost;           /* and this is its cost, summed over the rows */
    Tensor *m[MLP_PARAM_END];   /* per parameter: momentum's velocity, RMSprop's and Adam's averages */
    Tensor *v[MLP_PARAM_END];   /* Adam's average of g^2 */
    /* Asked between mini-batches (may be NULL): true ends the epoch there,
     * stopped, with the steps taken so far kept (the live view's q). */
    bool (*stop)(void *ctx);
    void *stop_ctx;
} MlpRun;

/* What an epoch measured, on the weights it ended with; NaN where the run
 * has no such number (accuracy of targets that are not classes, val_ ones
 * without held-out data).  Losses are summed or averaged as the run's
 * options say. */
typedef struct MlpEpoch {
    double loss, accuracy, val_loss, val_accuracy;
    bool completed;     /* every step of the epoch was taken */
    bool diverged;      /* a cost or gradient went non-finite: no further step makes sense */
    bool stopped;       /* run->stop ended it part way (not completed, not measured) */
} MlpEpoch;

bool mlp_run_init(MlpRun *r, const Mlp *net, const Tensor *X, const Tensor *Y, const Tensor *Xval,
                  const Tensor *Yval, const MlpOptions *opt, Error *e);
void mlp_run_free(MlpRun *r);
/* Back to epoch 0: rows in order, optimiser state and step count zero (the
 * caller puts the weights and the random state back). */
void mlp_run_rewind(MlpRun *r);
/* The cost (and accuracy, NaN unless classes) of the net now on the
 * training rows.  net must be the one the run was made for (its passes are
 * shaped for its layers). */
bool mlp_run_measure(MlpRun *r, const Mlp *net, double *loss, double *accuracy, Error *e);
/* One epoch: the steps, then the measurements.  A step whose cost or
 * gradient is not finite is not taken: the epoch ends there, incomplete and
 * diverged.  A completed epoch whose loss is not finite is diverged too. */
bool mlp_run_epoch(MlpRun *r, Mlp *net, struct Rng *rng, MlpEpoch *out, Error *e);
/* The epoch as a hook sees it: its numbers, the lr it used and the steps. */
void mlp_run_progress(const MlpRun *r, const MlpEpoch *ep, TrainProgress *p);

typedef struct MlpTrainReport {
    size_t epochs_run;
    double first_loss;  /* cost before training, on all of X */
    double last_loss;   /* cost after the last epoch run (first_loss if none) */
    bool stopped;       /* the hook asked to stop */
    bool diverged;      /* a cost or gradient went non-finite */
} MlpTrainReport;

/* Trains net with the options, shuffling with rng (needed only with
 * batches; may be NULL without); Xval, Yval may be NULL.  hook (may be
 * NULL) sees every completed epoch. */
bool mlp_fit(Mlp *net, const Tensor *X, const Tensor *Y, const Tensor *Xval, const Tensor *Yval,
             const MlpOptions *opt, struct Rng *rng, TrainHook hook, void *ctx, MlpTrainReport *report,
             Error *e);

/* Chapter 7's loop: full-batch gradient descent on the summed cost for
 * `epochs` epochs at learning rate lr. */
bool mlp_train(Mlp *net, const Tensor *X, const Tensor *Y, size_t epochs, double lr,
               TrainHook hook, void *ctx, MlpTrainReport *report, Error *e);

#endif
