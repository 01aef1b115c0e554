/* mlp.c - forward, backward and gradient descent for the two-layer net. */
#include "nudge/mlp.h"

#include <math.h>
#include <string.h>

#include "nudge/activation.h"
#include "nudge/interrupt.h"
#include "nudge/mem.h"
#include "nudge/rng.h"

static const char *const param_names[] = {
    [MLP_W1] = "W1", [MLP_W2] = "W2", [MLP_B1] = "b1", [MLP_B2] = "b2",
};

const char *mlp_param_name(MlpParam which)
{
    return param_names[which];
}

Tensor *mlp_param(const Mlp *net, MlpParam which)
{
    switch (which) {
    case MLP_W1: return net->W1;
    case MLP_W2: return net->W2;
    case MLP_B1: return net->b1;
    case MLP_B2: return net->b2;
    }
    return NULL;
}

static Tensor **param_slot(Mlp *net, MlpParam which)
{
    switch (which) {
    case MLP_W1: return &net->W1;
    case MLP_W2: return &net->W2;
    case MLP_B1: return &net->b1;
    case MLP_B2: return &net->b2;
    }
    return NULL;
}

void mlp_free(Mlp *net)
{
    tensor_delete(net->W1);
    tensor_delete(net->W2);
    tensor_delete(net->b1);
    tensor_delete(net->b2);
    net->W1 = net->W2 = net->b1 = net->b2 = NULL;
}

bool mlp_init_rng(Mlp *net, size_t n_in, size_t n_hidden, size_t n_out, Rng *rng,
                  bool bias, MlpOutput output, Error *e)
{
    memset(net, 0, sizeof *net);
    if (n_in == 0 || n_hidden == 0 || n_out == 0)
        return error_set(e, ERROR_ARG, "mlp: layer sizes must be positive (got %zu, %zu, %zu)",
                         n_in, n_hidden, n_out);
    if (output == MLP_SOFTMAX && n_out < 2)
        return error_set(e, ERROR_ARG, "mlp: a softmax output needs at least 2 classes, not %zu", n_out);
    net->n_in = n_in;
    net->n_hidden = n_hidden;
    net->n_out = n_out;
    net->bias = bias;
    net->output = output;
    net->W1 = tensor_matrix(n_in, n_hidden, e);
    net->W2 = net->W1 ? tensor_matrix(n_hidden, n_out, e) : NULL;
    if (net->W2 && bias) {
        net->b1 = tensor_vector(n_hidden, e);
        net->b2 = net->b1 ? tensor_vector(n_out, e) : NULL;
    }
    if (!net->W2 || (bias && !net->b2)) {
        mlp_free(net);
        return false;
    }
    /* The book's order: np.random.random((in, hidden)) then ((hidden, out)). */
    for (size_t i = 0; i < n_in * n_hidden; i++)
        net->W1->data[i] = rng_random(rng);
    for (size_t i = 0; i < n_hidden * n_out; i++)
        net->W2->data[i] = rng_random(rng);
    return true;
}

bool mlp_init(Mlp *net, size_t n_in, size_t n_hidden, size_t n_out, double seed,
              bool bias, MlpOutput output, Error *e)
{
    Rng rng;
    memset(net, 0, sizeof *net);
    if (!rng_seed(&rng, seed, NULL))
        return error_set(e, ERROR_ARG, "mlp: seed=%g is not a whole number from 0 to 4294967295", seed);
    return mlp_init_rng(net, n_in, n_hidden, n_out, &rng, bias, output, e);
}

bool mlp_copy(Mlp *dst, const Mlp *src, Error *e)
{
    *dst = *src;
    dst->W1 = tensor_copy(src->W1, e);
    dst->W2 = dst->W1 ? tensor_copy(src->W2, e) : NULL;
    dst->b1 = dst->b2 = NULL;
    if (dst->W2 && src->bias) {
        dst->b1 = tensor_copy(src->b1, e);
        dst->b2 = dst->b1 ? tensor_copy(src->b2, e) : NULL;
    }
    if (!dst->W2 || (src->bias && !dst->b2)) {
        mlp_free(dst);
        return false;
    }
    return true;
}

bool mlp_set_param(Mlp *net, MlpParam which, const Tensor *value, Error *e)
{
    Tensor **slot = param_slot(net, which);
    if (!*slot)
        return error_set(e, ERROR_NAME, "mlp: this net has no %s (make it with bias=1)",
                         mlp_param_name(which));
    Tensor *old = *slot;
    bool fits = which == MLP_W1 || which == MLP_W2
        ? value->ndim == 2 && value->rows == old->rows && value->cols == old->cols
        : tensor_size(value) == tensor_size(old) && (value->ndim == 1 || value->rows == 1);
    if (!fits) {
        char sv[48], so[48];
        return error_set(e, ERROR_SHAPE, "%s: the net needs shape %s, not %s", mlp_param_name(which),
                         tensor_shape_str(old, so, sizeof so), tensor_shape_str(value, sv, sizeof sv));
    }
    Tensor *copy = tensor_from(old->ndim, old->rows, old->cols, value->data, e);
    if (!copy)
        return false;
    tensor_delete(old);
    *slot = copy;
    return true;
}

/* --- passes -------------------------------------------------------------- */

void mlp_pass_init(MlpPass *pass)
{
    memset(pass, 0, sizeof *pass);
}

void mlp_pass_free(MlpPass *pass)
{
    Tensor **all[] = { &pass->z1, &pass->a1, &pass->z2, &pass->a2, &pass->delta2, &pass->g2,
                       &pass->h, &pass->g1, &pass->dW1, &pass->dW2, &pass->db1, &pass->db2 };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        tensor_delete(*all[i]);
        *all[i] = NULL;
    }
    pass->batch = 0;
}

/* (Re)allocates the pass's tensors for a batch size; keeps them when the
 * size has not changed, so that the training loop allocates nothing. */
static bool pass_shape(MlpPass *pass, const Mlp *net, size_t batch, Error *e)
{
    if (pass->batch == batch && pass->z1 && pass->z1->cols == net->n_hidden
        && pass->z2->cols == net->n_out && (!net->bias || pass->db1))
        return true;
    mlp_pass_free(pass);
    size_t H = net->n_hidden, O = net->n_out, I = net->n_in;
    struct { Tensor **slot; size_t r, c; int ndim; } plan[] = {
        { &pass->z1, batch, H, 2 }, { &pass->a1, batch, H, 2 },
        { &pass->z2, batch, O, 2 }, { &pass->a2, batch, O, 2 },
        { &pass->delta2, batch, O, 2 }, { &pass->g2, batch, O, 2 },
        { &pass->h, batch, H, 2 }, { &pass->g1, batch, H, 2 },
        { &pass->dW1, I, H, 2 }, { &pass->dW2, H, O, 2 },
        { &pass->db1, 1, H, 1 }, { &pass->db2, 1, O, 1 },
    };
    size_t n = sizeof plan / sizeof plan[0] - (net->bias ? 0 : 2);
    for (size_t i = 0; i < n; i++) {
        *plan[i].slot = tensor_new(plan[i].ndim, plan[i].r, plan[i].c, e);
        if (!*plan[i].slot) {
            mlp_pass_free(pass);
            return false;
        }
    }
    pass->batch = batch;
    return true;
}

/* X as a batch x n_in matrix view (a vector is a batch of one). */
static Tensor batch_view(const Tensor *X)
{
    Tensor v = *X;
    v.ndim = 2;
    return v;
}

static bool check_input(const Mlp *net, const Tensor *X, const char *who, Error *e)
{
    if (X->cols == net->n_in)
        return true;
    char s[48];
    if (X->ndim == 1)
        return error_set(e, ERROR_SHAPE, "%s: the input has %zu values but the net takes %zu",
                         who, X->cols, net->n_in);
    return error_set(e, ERROR_SHAPE, "%s: X has shape %s, so %zu inputs per row, but the net takes %zu",
                     who, tensor_shape_str(X, s, sizeof s), X->cols, net->n_in);
}

bool mlp_check_data(const Mlp *net, const Tensor *X, const Tensor *Y, const char *who, Error *e)
{
    if (!check_input(net, X, who, e))
        return false;
    size_t batch = X->rows;
    bool fits = Y->ndim == 2 ? Y->rows == batch && Y->cols == net->n_out
                             : net->n_out == 1 ? Y->cols == batch : batch == 1 && Y->cols == net->n_out;
    if (fits)
        return true;
    char sx[48], sy[48], want[48];
    return error_set(e, ERROR_SHAPE, "%s: X has shape %s so y must be %s, not %s", who,
                     tensor_shape_str(X, sx, sizeof sx),
                     tensor_shape_fmt(2, batch, net->n_out, want, sizeof want),
                     tensor_shape_str(Y, sy, sizeof sy));
}

static void add_row_bias(Tensor *z, const Tensor *b)
{
    values_add_row(z->data, z->rows, z->cols, b->data);
}

/* mlp_forward and mlp_backward after their checks: mlp_train checks once
 * and then runs these, so its loop does no more than the arithmetic. */
static bool forward_pass(const Mlp *net, const Tensor *x, MlpPass *pass, Error *e)
{
    size_t nh = tensor_size(pass->z1), no = tensor_size(pass->z2);
    if (!tensor_matmul_into(pass->z1, x, net->W1, e))
        return false;
    if (net->bias)
        add_row_bias(pass->z1, net->b1);
    act_sigmoid_values(pass->a1->data, pass->z1->data, nh);
    if (!tensor_matmul_into(pass->z2, pass->a1, net->W2, e))
        return false;
    if (net->bias)
        add_row_bias(pass->z2, net->b2);
    if (net->output == MLP_SOFTMAX)
        act_softmax_into(pass->a2, pass->z2);
    else
        act_sigmoid_values(pass->a2->data, pass->z2->data, no);
    return true;
}

bool mlp_forward(const Mlp *net, const Tensor *X, MlpPass *pass, Error *e)
{
    if (!check_input(net, X, "forward", e) || !pass_shape(pass, net, X->rows, e))
        return false;
    Tensor x = batch_view(X);
    return forward_pass(net, &x, pass, e);
}

static void column_sums(Tensor *out, const Tensor *g)
{
    values_column_sums(out->data, g->data, g->rows, g->cols);
}

static bool backward_pass(const Mlp *net, const Tensor *x, const Tensor *Y, MlpPass *pass, Error *e)
{
    size_t no = tensor_size(pass->a2), nh = tensor_size(pass->a1);
    const double *a2 = pass->a2->data, *y = Y->data;
    double *delta2 = pass->delta2->data, *g2 = pass->g2->data;
    if (net->output == MLP_SOFTMAX) {
        for (size_t i = 0; i < no; i++)
            g2[i] = delta2[i] = a2[i] - y[i];
    } else {
        /* sigmoid'(z2) = sigmoid(z2) * (1 - sigmoid(z2)), and a2 is exactly
         * sigmoid(z2): reusing it gives the same bits without another exp. */
        for (size_t i = 0; i < no; i++) {
            double a = a2[i], d = a - y[i];
            delta2[i] = d;
            g2[i] = d * (a * (1.0 - a));
        }
    }
    if (!tensor_matmul_tn_into(pass->dW2, pass->a1, pass->g2, e)
        || !tensor_matmul_nt_into(pass->h, pass->g2, net->W2, e))
        return false;
    const double *a1 = pass->a1->data, *h = pass->h->data;
    double *g1 = pass->g1->data;
    for (size_t i = 0; i < nh; i++)
        g1[i] = h[i] * (a1[i] * (1.0 - a1[i]));
    if (!tensor_matmul_tn_into(pass->dW1, x, pass->g1, e))
        return false;
    if (net->bias) {
        column_sums(pass->db2, pass->g2);
        column_sums(pass->db1, pass->g1);
    }
    return true;
}

bool mlp_backward(const Mlp *net, const Tensor *X, const Tensor *Y, MlpPass *pass, Error *e)
{
    if (!mlp_check_data(net, X, Y, "backward", e))
        return false;
    if (pass->batch != X->rows || !pass->a2)
        return error_set(e, ERROR_ARG, "backward: run forward on the same X first");
    Tensor x = batch_view(X);
    return backward_pass(net, &x, Y, pass, e);
}

double mlp_cost(const Mlp *net, const MlpPass *pass, const Tensor *Y)
{
    size_t n = tensor_size(pass->a2);
    double s = 0.0;
    if (net->output == MLP_SOFTMAX) {
        for (size_t i = 0; i < n; i++)
            if (Y->data[i] != 0.0)
                s -= Y->data[i] * log(pass->a2->data[i]);
        return s;
    }
    for (size_t i = 0; i < n; i++) {
        double d = Y->data[i] - pass->a2->data[i];
        s += d * d;
    }
    return 0.5 * s;
}

static void descend(Tensor *w, const Tensor *g, double lr)
{
    size_t n = tensor_size(w);
    for (size_t i = 0; i < n; i++)
        w->data[i] -= lr * g->data[i];
}

void mlp_step(Mlp *net, const MlpPass *pass, double lr)
{
    /* The book updates W2 first; the order does not change any bit since
     * both gradients were computed before either update. */
    descend(net->W2, pass->dW2, lr);
    descend(net->W1, pass->dW1, lr);
    if (net->bias) {
        descend(net->b2, pass->db2, lr);
        descend(net->b1, pass->db1, lr);
    }
}

static bool all_finite(const Tensor *t)
{
    size_t n = t ? tensor_size(t) : 0;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(t->data[i]))
            return false;
    return true;
}

bool mlp_train(Mlp *net, const Tensor *X, const Tensor *Y, size_t epochs, double lr,
               TrainHook hook, void *ctx, MlpTrainReport *report, Error *e)
{
    if (!mlp_check_data(net, X, Y, "train", e))
        return false;
    MlpPass pass;
    mlp_pass_init(&pass);
    MlpTrainReport rep = {0};
    bool ok = true;
    Tensor x = batch_view(X);
    if (epochs > 0 && !pass_shape(&pass, net, X->rows, e))
        ok = false;
    for (size_t epoch = 1; ok && epoch <= epochs; epoch++) {
        if (interrupt_check(e) || !forward_pass(net, &x, &pass, e) || !backward_pass(net, &x, Y, &pass, e)) {
            ok = false;
            break;
        }
        double cost = mlp_cost(net, &pass, Y);
        if (!isfinite(cost) || !all_finite(pass.dW1) || !all_finite(pass.dW2)
            || !all_finite(pass.db1) || !all_finite(pass.db2)) {
            rep.diverged = true;
            break;
        }
        mlp_step(net, &pass, lr);
        if (epoch == 1)
            rep.first_loss = cost;
        rep.last_loss = cost;
        rep.epochs_run = epoch;
        if (hook) {
            TrainProgress pr = { epoch, epochs, cost };
            if (!hook(ctx, &pr)) {
                rep.stopped = epoch < epochs;
                break;
            }
        }
    }
    mlp_pass_free(&pass);
    if (report)
        *report = rep;
    return ok;
}

void mlp_batches_free(MlpBatches *b)
{
    mem_free(b->order);
    tensor_delete(b->xb);
    tensor_delete(b->yb);
    mlp_pass_free(&b->pass);
    memset(b, 0, sizeof *b);
    mlp_pass_init(&b->pass);
}

bool mlp_batches_init(MlpBatches *b, const Tensor *X, const Tensor *Y, size_t batch, Error *e)
{
    memset(b, 0, sizeof *b);
    mlp_pass_init(&b->pass);
    if (batch == 0)
        return error_set(e, ERROR_ARG, "train: batch= must be at least 1");
    size_t n = X->rows, out_cols = Y->ndim == 1 ? 1 : Y->cols;
    b->n = n;
    b->batch = batch > n ? n : batch;
    b->order = mem_alloc((n ? n : 1) * sizeof *b->order);
    if (!b->order)
        return error_nomem(e, "train");
    b->xb = tensor_matrix(b->batch, X->cols, e);
    b->yb = b->xb ? tensor_matrix(b->batch, out_cols, e) : NULL;
    if (!b->yb) {
        mlp_batches_free(b);
        return false;
    }
    mlp_batches_rewind(b);
    return true;
}

void mlp_batches_rewind(MlpBatches *b)
{
    for (size_t i = 0; i < b->n; i++)
        b->order[i] = i;
}

/* The rows are shuffled as numpy's legacy np.random.shuffle shuffles the
 * index array it is given (Fisher-Yates from the last row down, each j
 * drawn by randint's masked rejection from the global random state, so
 * seed() makes runs repeat), then each run of `batch` rows (the last may
 * be shorter) takes one step. */
bool mlp_minibatch_epoch(Mlp *net, const Tensor *X, const Tensor *Y, double lr, MlpBatches *b, Rng *rng,
                         double *cost, bool *diverged, Error *e)
{
    size_t n = b->n, batch = b->batch, in_cols = X->cols, out_cols = b->yb->cols;
    size_t *order = b->order;
    for (size_t i = n - 1; n > 0 && i > 0; i--) {
        size_t j = rng_below(rng, (uint32_t)(i + 1));
        size_t tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
    }
    *cost = 0;
    *diverged = false;
    for (size_t start = 0; start < n; start += batch) {
        if (interrupt_check(e))
            return false;
        size_t m = n - start < batch ? n - start : batch;
        for (size_t r = 0; r < m; r++) {
            memcpy(b->xb->data + r * in_cols, X->data + order[start + r] * in_cols, in_cols * sizeof(double));
            memcpy(b->yb->data + r * out_cols, Y->data + order[start + r] * out_cols, out_cols * sizeof(double));
        }
        Tensor xv = *b->xb, yv = *b->yb;
        xv.rows = yv.rows = m;
        if (!mlp_forward(net, &xv, &b->pass, e) || !mlp_backward(net, &xv, &yv, &b->pass, e))
            return false;
        double c = mlp_cost(net, &b->pass, &yv);
        if (!isfinite(c)) {
            *diverged = true;
            return true;
        }
        *cost += c;
        mlp_step(net, &b->pass, lr);
    }
    return true;
}

/* Epochs of mlp_minibatch_epoch on one MlpBatches; the hook sees each
 * epoch, as mlp_train's does. */
bool mlp_train_minibatch(Mlp *net, const Tensor *X, const Tensor *Y, size_t epochs, double lr, size_t batch,
                         Rng *rng, TrainHook hook, void *ctx, MlpTrainReport *rep, Error *e)
{
    if (!mlp_check_data(net, X, Y, "train", e))
        return false;
    memset(rep, 0, sizeof *rep);
    /* An epoch's cost is the sum of its batches' costs, each taken with the
     * weights of the moment; the cost before training is of all of X, so
     * that it compares with the cost the caller measures afterwards. */
    MlpPass pass;
    mlp_pass_init(&pass);
    bool ok = mlp_forward(net, X, &pass, e);
    if (ok)
        rep->first_loss = mlp_cost(net, &pass, Y);
    mlp_pass_free(&pass);
    MlpBatches b;
    if (!ok || !mlp_batches_init(&b, X, Y, batch, e))
        return false;
    for (size_t epoch = 1; epoch <= epochs; epoch++) {
        double cost;
        ok = mlp_minibatch_epoch(net, X, Y, lr, &b, rng, &cost, &rep->diverged, e);
        if (!ok || rep->diverged)
            break;
        rep->last_loss = cost;
        rep->epochs_run = epoch;
        TrainProgress pr = { epoch, epochs, cost };
        if (hook && !hook(ctx, &pr)) {
            rep->stopped = epoch < epochs;
            break;
        }
    }
    mlp_batches_free(&b);
    return ok;
}
