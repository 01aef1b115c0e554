/* mlp.c - forward, backward, optimisers and training runs for nets of any
 * depth. */
#include "nudge/mlp.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nudge/activation.h"
#include "nudge/interrupt.h"
#include "nudge/mem.h"
#include "nudge/rng.h"

/* --- names ------------------------------------------------------------------ */

static const char *const act_names[] = {
    [MLP_SIGMOID] = "sigmoid", [MLP_SOFTMAX] = "softmax", [MLP_LINEAR] = "linear",
    [MLP_TANH] = "tanh", [MLP_RELU] = "relu",
};

const char *mlp_act_name(MlpAct a)
{
    return (unsigned)a < sizeof act_names / sizeof act_names[0] ? act_names[a] : "?";
}

bool mlp_act_parse(const char *s, MlpAct *out)
{
    for (size_t i = 0; i < sizeof act_names / sizeof act_names[0]; i++)
        if (!strcmp(s, act_names[i])) {
            *out = (MlpAct)i;
            return true;
        }
    return false;
}

static const char *const param_names[MLP_PARAM_END] = {
    "W1", "W2", "b1", "b2", "W3", "b3", "W4", "b4", "W5", "b5", "W6", "b6", "W7", "b7", "W8", "b8",
    "W9", "b9", "W10", "b10", "W11", "b11", "W12", "b12", "W13", "b13", "W14", "b14", "W15", "b15", "W16", "b16",
};

const char *mlp_param_name(MlpParam which)
{
    return (unsigned)which < MLP_PARAM_END ? param_names[which] : "?";
}

bool mlp_param_parse(const char *s, MlpParam *out)
{
    for (int i = 0; i < MLP_PARAM_END; i++)
        if (!strcmp(s, param_names[i])) {
            *out = (MlpParam)i;
            return true;
        }
    return false;
}

static Tensor **param_slot(Mlp *net, MlpParam which)
{
    if ((unsigned)which >= MLP_PARAM_END)
        return NULL;
    size_t k = mlp_param_layer(which);
    return mlp_param_is_weight(which) ? &net->W[k] : &net->b[k];
}

Tensor *mlp_param(const Mlp *net, MlpParam which)
{
    Tensor **slot = param_slot((Mlp *)net, which);
    return slot ? *slot : NULL;
}

Tensor *mlp_pass_grad(const MlpPass *pass, MlpParam which)
{
    if ((unsigned)which >= MLP_PARAM_END)
        return NULL;
    size_t k = mlp_param_layer(which);
    return mlp_param_is_weight(which) ? pass->dW[k] : pass->db[k];
}

const char *mlp_shape_str(const Mlp *net, char *buf, size_t n)
{
    size_t used = 0;
    if (n)
        buf[0] = '\0';
    for (size_t k = 0; k <= net->n_layers && used < n; k++) {
        int w = snprintf(buf + used, n - used, k ? "-%zu" : "%zu", net->sizes[k]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return buf;
}

/* --- making and freeing -------------------------------------------------------- */

void mlp_free(Mlp *net)
{
    for (size_t k = 0; k < MLP_MAX_LAYERS; k++) {
        tensor_delete(net->W[k]);
        tensor_delete(net->b[k]);
        net->W[k] = net->b[k] = NULL;
    }
}

/* Sets everything but the tensors from the arguments, after checking them. */
static bool set_shape(Mlp *net, size_t n_layers, const size_t *sizes, MlpAct hidden, MlpAct output, bool bias,
                      Error *e)
{
    memset(net, 0, sizeof *net);
    if (n_layers < 2 || n_layers > MLP_MAX_LAYERS)
        return error_set_in(e, ERROR_ARG, "mlp", "give from 3 to %d layer sizes (inputs, hidden layers, outputs), not %zu",
                         MLP_MAX_LAYERS + 1, n_layers + 1);
    for (size_t k = 0; k <= n_layers; k++)
        if (sizes[k] == 0) {
            char list[160];
            size_t used = 0;
            for (size_t i = 0; i <= n_layers && used < sizeof list; i++) {
                int w = snprintf(list + used, sizeof list - used, i ? ", %zu" : "%zu", sizes[i]);
                used += w > 0 ? (size_t)w : 0;
            }
            return error_set_in(e, ERROR_ARG, "mlp", "layer sizes must be positive (got %s)", list);
        }
    if (hidden != MLP_SIGMOID && hidden != MLP_TANH && hidden != MLP_RELU && hidden != MLP_LINEAR)
        return error_set_in(e, ERROR_ARG, "mlp", "a hidden layer cannot be %s; use sigmoid, tanh, relu or linear",
                         mlp_act_name(hidden));
    if (output != MLP_SIGMOID && output != MLP_SOFTMAX && output != MLP_LINEAR)
        return error_set_in(e, ERROR_ARG, "mlp", "the output cannot be %s; use sigmoid, softmax or linear",
                         mlp_act_name(output));
    if (output == MLP_SOFTMAX && sizes[n_layers] < 2)
        return error_set_in(e, ERROR_ARG, "mlp", "a softmax output needs at least 2 classes, not %zu", sizes[n_layers]);
    net->n_layers = n_layers;
    memcpy(net->sizes, sizes, (n_layers + 1) * sizeof *sizes);
    net->n_in = sizes[0];
    net->n_hidden = sizes[1];
    net->n_out = sizes[n_layers];
    net->hidden = hidden;
    net->output = output;
    net->bias = bias;
    return true;
}

static bool alloc_params(Mlp *net, Error *e)
{
    for (size_t k = 0; k < net->n_layers; k++) {
        net->W[k] = tensor_matrix(net->sizes[k], net->sizes[k + 1], e);
        if (net->W[k] && net->bias)
            net->b[k] = tensor_vector(net->sizes[k + 1], e);
        if (!net->W[k] || (net->bias && !net->b[k])) {
            mlp_free(net);
            return false;
        }
    }
    return true;
}

bool mlp_create(Mlp *net, size_t n_layers, const size_t *sizes, MlpAct hidden, MlpAct output, bool bias, Rng *rng,
                Error *e)
{
    if (!set_shape(net, n_layers, sizes, hidden, output, bias, e) || !alloc_params(net, e))
        return false;
    /* The book's order: np.random.random((in, hidden)), then the next
     * layer's, ...; biases start at zero. */
    for (size_t k = 0; k < n_layers; k++) {
        size_t n = tensor_size(net->W[k]);
        for (size_t i = 0; i < n; i++)
            net->W[k]->data[i] = rng_random(rng);
    }
    return true;
}

bool mlp_init_rng(Mlp *net, size_t n_in, size_t n_hidden, size_t n_out, Rng *rng,
                  bool bias, MlpOutput output, Error *e)
{
    size_t sizes[3] = { n_in, n_hidden, n_out };
    return mlp_create(net, 2, sizes, MLP_SIGMOID, output, bias, rng, e);
}

bool mlp_init(Mlp *net, size_t n_in, size_t n_hidden, size_t n_out, double seed,
              bool bias, MlpOutput output, Error *e)
{
    Rng rng;
    memset(net, 0, sizeof *net);
    if (!rng_seed(&rng, seed, NULL))
        return error_set_in(e, ERROR_ARG, "mlp", "seed=%g is not a whole number from 0 to 4294967295", seed);
    return mlp_init_rng(net, n_in, n_hidden, n_out, &rng, bias, output, e);
}

bool mlp_copy(Mlp *dst, const Mlp *src, Error *e)
{
    if (!set_shape(dst, src->n_layers, src->sizes, src->hidden, src->output, src->bias, e)
        || !alloc_params(dst, e))
        return false;
    mlp_copy_weights(dst, src);
    return true;
}

bool mlp_same_shape(const Mlp *a, const Mlp *b)
{
    return a->n_layers == b->n_layers && a->hidden == b->hidden && a->output == b->output && a->bias == b->bias
           && !memcmp(a->sizes, b->sizes, (a->n_layers + 1) * sizeof a->sizes[0]);
}

void mlp_copy_weights(Mlp *dst, const Mlp *src)
{
    for (int p = 0; p < MLP_PARAM_END; p++) {
        const Tensor *s = mlp_param(src, (MlpParam)p);
        Tensor *d = mlp_param(dst, (MlpParam)p);
        if (s && d && tensor_size(s) == tensor_size(d))
            memcpy(d->data, s->data, tensor_size(s) * sizeof *s->data);
    }
}

bool mlp_set_param(Mlp *net, MlpParam which, const Tensor *value, Error *e)
{
    Tensor *old = mlp_param(net, which);
    if (!old) {
        if (!mlp_param_is_weight(which) && !net->bias && mlp_param_layer(which) < net->n_layers)
            return error_set_in(e, ERROR_NAME, "mlp", "this net has no %s (make it with bias=1)", mlp_param_name(which));
        return error_set_in(e, ERROR_NAME, "mlp", "this net has no %s (it has %zu weight layers)", mlp_param_name(which),
                         net->n_layers);
    }
    bool fits = mlp_param_is_weight(which)
        ? value->ndim == 2 && value->rows == old->rows && value->cols == old->cols
        : tensor_size(value) == tensor_size(old) && (value->ndim == 1 || value->rows == 1);
    if (!fits) {
        char sv[48], so[48];
        return error_set_in(e, ERROR_SHAPE, mlp_param_name(which), "the net needs shape %s, not %s",
                         tensor_shape_str(old, so, sizeof so), tensor_shape_str(value, sv, sizeof sv));
    }
    /* In place: whoever holds this tensor sees the new values. */
    memmove(old->data, value->data, tensor_size(old) * sizeof *old->data);
    return true;
}

/* --- passes -------------------------------------------------------------------- */

void mlp_pass_init(MlpPass *pass)
{
    memset(pass, 0, sizeof *pass);
}

void mlp_pass_free(MlpPass *pass)
{
    for (size_t k = 0; k < MLP_MAX_LAYERS; k++) {
        Tensor *all[] = { pass->z[k], pass->a[k], pass->g[k], pass->h[k], pass->dW[k], pass->db[k] };
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
            tensor_delete(all[i]);
    }
    tensor_delete(pass->delta);
    mlp_pass_init(pass);
}

/* Whether pass was made for this net's layers (at any batch size). */
static bool pass_fits(const MlpPass *pass, const Mlp *net)
{
    if (pass->n_layers != net->n_layers || !pass->delta)
        return false;
    for (size_t k = 0; k < net->n_layers; k++)
        if (pass->dW[k]->rows != net->sizes[k] || pass->dW[k]->cols != net->sizes[k + 1]
            || (pass->db[k] != NULL) != net->bias)
            return false;
    return true;
}

/* The batch-sized tensors of layer k (and delta with k = L), for setting
 * their rows. */
static size_t batch_tensors(MlpPass *pass, size_t k, Tensor **out)
{
    size_t n = 0;
    if (k == pass->n_layers) {
        out[n++] = pass->delta;
        return n;
    }
    out[n++] = pass->z[k];
    out[n++] = pass->a[k];
    out[n++] = pass->g[k];
    if (pass->h[k])
        out[n++] = pass->h[k];
    return n;
}

/* Makes the pass's tensors fit a batch of `batch` rows.  A pass made for
 * this net keeps its memory while the batch is no larger than the one it
 * was made for (it only changes how many rows its tensors show), so that a
 * training loop allocates nothing, not even for a short last batch. */
static bool pass_shape(MlpPass *pass, const Mlp *net, size_t batch, Error *e)
{
    size_t L = net->n_layers;
    if (pass_fits(pass, net) && batch <= pass->cap) {
        for (size_t k = 0; k <= L; k++) {
            Tensor *t[4];
            size_t n = batch_tensors(pass, k, t);
            for (size_t i = 0; i < n; i++)
                t[i]->rows = batch;
        }
        pass->batch = batch;
        return true;
    }
    mlp_pass_free(pass);
    pass->n_layers = L;
    bool ok = (pass->delta = tensor_matrix(batch, net->n_out, e)) != NULL;
    for (size_t k = 0; ok && k < L; k++) {
        size_t out = net->sizes[k + 1];
        ok = (pass->z[k] = tensor_matrix(batch, out, e)) && (pass->a[k] = tensor_matrix(batch, out, e))
             && (pass->g[k] = tensor_matrix(batch, out, e))
             && (k + 1 == L || (pass->h[k] = tensor_matrix(batch, out, e)))
             && (pass->dW[k] = tensor_matrix(net->sizes[k], out, e))
             && (!net->bias || (pass->db[k] = tensor_vector(out, e)));
    }
    if (!ok) {
        mlp_pass_free(pass);
        return false;
    }
    pass->batch = pass->cap = batch;
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
    /* The inputs are a model function's second argument: f(net, X, ...). */
    if (X->ndim == 1)
        return error_set_in(e, ERROR_SHAPE, who, "the input has %zu values but the net takes %zu", X->cols,
                            net->n_in) || error_at_arg(e, 1);
    return error_set_in(e, ERROR_SHAPE, who, "X has shape %s, so %zu inputs per row, but the net takes %zu",
                        tensor_shape_str(X, s, sizeof s), X->cols, net->n_in) || error_at_arg(e, 1);
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
    return error_set_in(e, ERROR_SHAPE, who, "X has shape %s so y must be %s, not %s",
                        tensor_shape_str(X, sx, sizeof sx), tensor_shape_fmt(2, batch, net->n_out, want, sizeof want),
                        tensor_shape_str(Y, sy, sizeof sy)) || error_at_arg(e, 2);
}

static void add_row_bias(Tensor *z, const Tensor *b)
{
    values_add_row(z->data, z->rows, z->cols, b->data);
}

/* a = f(z) element by element (softmax: row by row). */
static void activate(MlpAct f, Tensor *a, const Tensor *z)
{
    size_t n = tensor_size(z);
    const double *zv = z->data;
    double *av = a->data;
    switch (f) {
    case MLP_SIGMOID:
        act_sigmoid_values(av, zv, n);     /* glibc's exp, four or eight at a time */
        break;
    case MLP_SOFTMAX:
        act_softmax_into(a, z);
        break;
    case MLP_TANH:
        for (size_t i = 0; i < n; i++)
            av[i] = tanh(zv[i]);
        break;
    case MLP_RELU:
        for (size_t i = 0; i < n; i++)
            av[i] = zv[i] > 0.0 ? zv[i] : 0.0;
        break;
    case MLP_LINEAR:
        memcpy(av, zv, n * sizeof *av);
        break;
    }
}

/* g = h * f'(z), with the derivative written in terms of the layer's
 * output a = f(z) where that is how the book writes it. */
static void through_derivative(MlpAct f, Tensor *g, const Tensor *h, const Tensor *a, const Tensor *z)
{
    size_t n = tensor_size(h);
    const double *hv = h->data, *av = a->data, *zv = z->data;
    double *gv = g->data;
    switch (f) {
    case MLP_SIGMOID:
        for (size_t i = 0; i < n; i++)
            gv[i] = hv[i] * (av[i] * (1.0 - av[i]));
        break;
    case MLP_TANH:
        for (size_t i = 0; i < n; i++)
            gv[i] = hv[i] * (1.0 - av[i] * av[i]);
        break;
    case MLP_RELU:
        for (size_t i = 0; i < n; i++)
            gv[i] = hv[i] * (zv[i] > 0.0 ? 1.0 : 0.0);
        break;
    case MLP_LINEAR:
    case MLP_SOFTMAX:   /* never a hidden layer */
        memcpy(gv, hv, n * sizeof *gv);
        break;
    }
}

/* mlp_forward and mlp_backward after their checks: a training run checks
 * once and then runs these, so its loop does no more than the arithmetic. */
static bool forward_pass(const Mlp *net, const Tensor *x, MlpPass *pass, Error *e)
{
    const Tensor *in = x;
    for (size_t k = 0; k < net->n_layers; k++) {
        if (!tensor_matmul_into(pass->z[k], in, net->W[k], e))
            return false;
        if (net->bias)
            add_row_bias(pass->z[k], net->b[k]);
        activate(k + 1 == net->n_layers ? net->output : net->hidden, pass->a[k], pass->z[k]);
        in = pass->a[k];
    }
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
    size_t L = net->n_layers, no = tensor_size(pass->delta);
    const Tensor *out = pass->a[L - 1];
    const double *a = out->data, *y = Y->data;
    double *delta = pass->delta->data, *g = pass->g[L - 1]->data;
    if (net->output == MLP_SIGMOID) {
        /* sigmoid'(z) = sigmoid(z) * (1 - sigmoid(z)), and a is exactly
         * sigmoid(z): reusing it gives the same bits without another exp. */
        for (size_t i = 0; i < no; i++) {
            double d = a[i] - y[i];
            delta[i] = d;
            g[i] = d * (a[i] * (1.0 - a[i]));
        }
    } else {
        /* softmax with cross-entropy, and a linear output with squared
         * error: the gradient at z is a - y itself. */
        for (size_t i = 0; i < no; i++)
            g[i] = delta[i] = a[i] - y[i];
    }
    for (size_t k = L; k-- > 0;) {
        if (!tensor_matmul_tn_into(pass->dW[k], k ? pass->a[k - 1] : x, pass->g[k], e))
            return false;
        if (k) {
            if (!tensor_matmul_nt_into(pass->h[k - 1], pass->g[k], net->W[k], e))
                return false;
            through_derivative(net->hidden, pass->g[k - 1], pass->h[k - 1], pass->a[k - 1], pass->z[k - 1]);
        }
        if (net->bias)
            column_sums(pass->db[k], pass->g[k]);
    }
    return true;
}

bool mlp_backward(const Mlp *net, const Tensor *X, const Tensor *Y, MlpPass *pass, Error *e)
{
    if (!mlp_check_data(net, X, Y, "backward", e))
        return false;
    if (!pass_fits(pass, net) || pass->batch != X->rows)
        return error_set_in(e, ERROR_ARG, "backward", "run forward on the same X first");
    Tensor x = batch_view(X);
    return backward_pass(net, &x, Y, pass, e);
}

double mlp_cost(const Mlp *net, const MlpPass *pass, const Tensor *Y)
{
    const Tensor *out = mlp_pass_output(pass);
    size_t n = tensor_size(out);
    double s = 0.0;
    if (net->output == MLP_SOFTMAX) {
        for (size_t i = 0; i < n; i++)
            if (Y->data[i] != 0.0)
                s -= Y->data[i] * log(out->data[i]);
        return s;
    }
    for (size_t i = 0; i < n; i++) {
        double d = Y->data[i] - out->data[i];
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
     * every gradient was computed before any update. */
    for (size_t k = net->n_layers; k-- > 0;)
        descend(net->W[k], pass->dW[k], lr);
    if (net->bias)
        for (size_t k = net->n_layers; k-- > 0;)
            descend(net->b[k], pass->db[k], lr);
}

/* --- accuracy --------------------------------------------------------------------- */

bool mlp_targets_are_classes(const Mlp *net, const Tensor *Y)
{
    size_t no = net->n_out, n = tensor_size(Y), rows = no ? n / no : 0;
    if (rows == 0)
        return false;
    for (size_t r = 0; r < rows; r++) {
        size_t ones = 0;
        for (size_t k = 0; k < no; k++) {
            double y = Y->data[r * no + k];
            if (y != 0.0 && y != 1.0)
                return false;
            ones += y == 1.0;
        }
        if (no > 1 && ones != 1)
            return false;
    }
    return true;
}

size_t mlp_count_right(const Mlp *net, const Tensor *A, const Tensor *Y)
{
    size_t no = net->n_out, rows = no ? tensor_size(A) / no : 0, right = 0;
    for (size_t r = 0; r < rows; r++) {
        const double *a = A->data + r * no, *y = Y->data + r * no;
        if (no == 1)
            right += (a[0] > 0.5) == (y[0] == 1.0);
        else
            right += y[values_argmax(a, no)] == 1.0;
    }
    return right;
}

/* --- optimisers ------------------------------------------------------------------- */

static const char *const optimizer_names[] = {
    [MLP_OPT_SGD] = "sgd", [MLP_OPT_MOMENTUM] = "momentum", [MLP_OPT_RMSPROP] = "rmsprop", [MLP_OPT_ADAM] = "adam",
};

const char *mlp_optimizer_name(MlpOptimizer o)
{
    return (unsigned)o < sizeof optimizer_names / sizeof optimizer_names[0] ? optimizer_names[o] : "?";
}

bool mlp_optimizer_parse(const char *s, MlpOptimizer *out)
{
    for (size_t i = 0; i < sizeof optimizer_names / sizeof optimizer_names[0]; i++)
        if (!strcmp(s, optimizer_names[i])) {
            *out = (MlpOptimizer)i;
            return true;
        }
    return false;
}

void mlp_options_init(MlpOptions *o)
{
    *o = (MlpOptions){
        .epochs = 1000, .lr = 1.0, .batch = 0, .mean = false, .optimizer = MLP_OPT_SGD,
        .momentum = 0.9, .alpha = 0.99, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8,
    };
}

bool mlp_options_check(const MlpOptions *o, const char *who, Error *e)
{
    if (!isfinite(o->lr))
        return error_set_in(e, ERROR_ARG, who, "lr=%g must be a finite number", o->lr) || error_at_param(e, "lr");
    struct { const char *name; double v; } decays[] = {
        { "momentum", o->momentum }, { "alpha", o->alpha }, { "beta1", o->beta1 }, { "beta2", o->beta2 },
    };
    for (size_t i = 0; i < sizeof decays / sizeof decays[0]; i++)
        if (!(decays[i].v >= 0.0 && decays[i].v < 1.0))
            return error_set_in(e, ERROR_ARG, who, "%s=%g must be at least 0 and below 1", decays[i].name,
                                decays[i].v) || error_at_param(e, decays[i].name);
    if (!(o->eps >= 0.0 && isfinite(o->eps)))
        return error_set_in(e, ERROR_ARG, who, "eps=%g must be a finite number, at least 0", o->eps)
               || error_at_param(e, "eps");
    return true;
}

/* One update of every parameter from the gradients in pass, the run's
 * step-th (counting from 1, for Adam's bias correction). */
static void update(MlpRun *r, Mlp *net, const MlpPass *pass)
{
    const MlpOptions *o = &r->opt;
    if (o->optimizer == MLP_OPT_SGD) {
        mlp_step(net, pass, o->lr);
        return;
    }
    double lr = o->lr, mu = o->momentum, alpha = o->alpha, b1 = o->beta1, b2 = o->beta2, eps = o->eps;
    double t = (double)r->steps;
    double c1 = 1.0 - pow(b1, t), c2 = 1.0 - pow(b2, t);
    for (int p = 0; p < MLP_PARAM_END; p++) {
        Tensor *wt = mlp_param(net, (MlpParam)p);
        if (!wt)
            continue;
        double *w = wt->data, *m = r->m[p]->data;
        const double *g = mlp_pass_grad(pass, (MlpParam)p)->data;
        size_t n = tensor_size(wt);
        switch (o->optimizer) {
        case MLP_OPT_MOMENTUM:
            for (size_t i = 0; i < n; i++) {
                m[i] = mu * m[i] + g[i];
                w[i] -= lr * m[i];
            }
            break;
        case MLP_OPT_RMSPROP:
            for (size_t i = 0; i < n; i++) {
                m[i] = alpha * m[i] + (1.0 - alpha) * g[i] * g[i];
                w[i] -= lr * g[i] / (sqrt(m[i]) + eps);
            }
            break;
        case MLP_OPT_ADAM: {
            double *v = r->v[p]->data;
            for (size_t i = 0; i < n; i++) {
                m[i] = b1 * m[i] + (1.0 - b1) * g[i];
                v[i] = b2 * v[i] + (1.0 - b2) * g[i] * g[i];
                double mhat = m[i] / c1, vhat = v[i] / c2;
                w[i] -= lr * mhat / (sqrt(vhat) + eps);
            }
            break;
        }
        case MLP_OPT_SGD:
            break;
        }
    }
}

/* --- training runs ----------------------------------------------------------------- */

void mlp_run_free(MlpRun *r)
{
    mem_free(r->order);
    tensor_delete(r->xb);
    tensor_delete(r->yb);
    mlp_pass_free(&r->pass);
    mlp_pass_free(&r->full);
    mlp_pass_free(&r->eval);
    for (int p = 0; p < MLP_PARAM_END; p++) {
        tensor_delete(r->m[p]);
        tensor_delete(r->v[p]);
    }
    memset(r, 0, sizeof *r);
}

void mlp_run_rewind(MlpRun *r)
{
    for (size_t i = 0; r->order && i < r->n; i++)
        r->order[i] = i;
    for (int p = 0; p < MLP_PARAM_END; p++) {
        if (r->m[p])
            memset(r->m[p]->data, 0, tensor_size(r->m[p]) * sizeof(double));
        if (r->v[p])
            memset(r->v[p]->data, 0, tensor_size(r->v[p]) * sizeof(double));
    }
    r->epoch = r->steps = 0;
    r->fresh = false;
}

bool mlp_run_init(MlpRun *r, const Mlp *net, const Tensor *X, const Tensor *Y, const Tensor *Xval,
                  const Tensor *Yval, const MlpOptions *opt, Error *e)
{
    memset(r, 0, sizeof *r);
    if (!mlp_check_data(net, X, Y, "train", e) || !mlp_options_check(opt, "train", e))
        return false;
    if ((Xval == NULL) != (Yval == NULL))
        return error_set_in(e, ERROR_ARG, "train", "give both the held-out inputs and their targets");
    if (Xval && !mlp_check_data(net, Xval, Yval, "train (held-out data)", e))
        return false;
    r->opt = *opt;
    r->X = X;
    r->Y = Y;
    r->Xval = Xval;
    r->Yval = Yval;
    r->n = X->rows;
    r->classes = mlp_targets_are_classes(net, Y);
    r->val_classes = Xval && mlp_targets_are_classes(net, Yval);
    bool ok = true;
    if (opt->batch) {
        size_t n = r->n, batch = opt->batch < n ? opt->batch : n;
        size_t out_cols = n ? tensor_size(Y) / n : 1;
        r->order = mem_alloc((n ? n : 1) * sizeof *r->order);
        ok = r->order || error_nomem(e, "train");
        ok = ok && (r->xb = tensor_matrix(batch, X->cols, e)) && (r->yb = tensor_matrix(batch, out_cols, e));
    }
    /* Every pass the run makes is shaped here, once. */
    ok = ok && pass_shape(&r->full, net, r->n, e) && (!Xval || pass_shape(&r->eval, net, Xval->rows, e))
         && (!opt->batch || pass_shape(&r->pass, net, r->xb->rows, e));
    for (int p = 0; ok && p < MLP_PARAM_END; p++) {
        const Tensor *w = mlp_param(net, (MlpParam)p);
        if (!w || opt->optimizer == MLP_OPT_SGD)
            continue;
        ok = (r->m[p] = tensor_new(w->ndim, w->rows, w->cols, e)) != NULL;
        if (ok && opt->optimizer == MLP_OPT_ADAM)
            ok = (r->v[p] = tensor_new(w->ndim, w->rows, w->cols, e)) != NULL;
    }
    if (!ok) {
        mlp_run_free(r);
        return false;
    }
    mlp_run_rewind(r);
    return true;
}

static double share(size_t right, size_t n)
{
    return n ? (double)right / (double)n : NAN;
}

/* full = the forward pass of all of X at the current weights, and
 * full_cost its summed cost (the passes were shaped by mlp_run_init). */
static bool forward_all(MlpRun *r, const Mlp *net, Error *e)
{
    if (r->fresh)
        return true;
    Tensor x = batch_view(r->X);
    if (!forward_pass(net, &x, &r->full, e))
        return false;
    r->full_cost = mlp_cost(net, &r->full, r->Y);
    r->fresh = true;
    return true;
}

bool mlp_run_measure(MlpRun *r, const Mlp *net, double *loss, double *accuracy, Error *e)
{
    if (!forward_all(r, net, e))
        return false;
    *loss = r->opt.mean && r->n ? r->full_cost / (double)r->n : r->full_cost;
    *accuracy = r->classes ? share(mlp_count_right(net, mlp_pass_output(&r->full), r->Y), r->n) : NAN;
    return true;
}

/* After a backward pass over m rows whose cost was cost: false when the
 * step must not be taken; else averages the gradient if asked and takes
 * the step. */
static bool take_step(MlpRun *r, Mlp *net, MlpPass *pass, double cost, size_t m)
{
    if (!isfinite(cost))
        return false;
    for (size_t k = 0; k < net->n_layers; k++)
        if (!tensor_all_finite(pass->dW[k]) || !tensor_all_finite(pass->db[k]))
            return false;
    if (r->opt.mean && m > 1)
        for (size_t k = 0; k < net->n_layers; k++) {
            Tensor *gs[2] = { pass->dW[k], pass->db[k] };
            for (size_t j = 0; j < 2; j++)
                for (size_t i = 0; gs[j] && i < tensor_size(gs[j]); i++)
                    gs[j]->data[i] /= (double)m;
        }
    r->steps++;
    update(r, net, pass);
    return true;
}

/* The steps of one epoch of mini-batches: the rows shuffled further, then
 * each run of `batch` of them (the last may be shorter) takes a step. */
static bool batch_steps(MlpRun *r, Mlp *net, Rng *rng, bool *stepped_all, bool *stopped, Error *e)
{
    size_t n = r->n, batch = r->xb->rows, in_cols = r->X->cols, out_cols = r->yb->cols;
    size_t *order = r->order;
    for (size_t i = n - 1; n > 0 && i > 0; i--) {
        size_t j = rng_below(rng, (uint32_t)(i + 1));
        size_t tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
    }
    *stepped_all = true;
    for (size_t start = 0; start < n; start += batch) {
        if (interrupt_check(e))
            return false;
        size_t m = n - start < batch ? n - start : batch;
        for (size_t i = 0; i < m; i++) {
            memcpy(r->xb->data + i * in_cols, r->X->data + order[start + i] * in_cols, in_cols * sizeof(double));
            memcpy(r->yb->data + i * out_cols, r->Y->data + order[start + i] * out_cols, out_cols * sizeof(double));
        }
        Tensor xv = *r->xb, yv = *r->yb;
        xv.rows = yv.rows = m;
        if (!pass_shape(&r->pass, net, m, e))
            return false;
        r->fresh = false;
        if (!forward_pass(net, &xv, &r->pass, e) || !backward_pass(net, &xv, &yv, &r->pass, e))
            return false;
        if (!take_step(r, net, &r->pass, mlp_cost(net, &r->pass, &yv), m)) {
            *stepped_all = false;
            return true;
        }
        if (r->stop && start + batch < n && r->stop(r->stop_ctx)) {
            *stopped = true;
            return true;
        }
    }
    return true;
}

bool mlp_run_epoch(MlpRun *r, Mlp *net, Rng *rng, MlpEpoch *out, Error *e)
{
    *out = (MlpEpoch){ NAN, NAN, NAN, NAN, false, false, false };
    bool stepped = true;
    if (r->opt.batch) {
        if (!batch_steps(r, net, rng, &stepped, &out->stopped, e))
            return false;
        if (out->stopped)
            return true;
    } else {
        /* The forward pass that measured the last epoch is this one's. */
        Tensor x = batch_view(r->X);
        if (interrupt_check(e) || !forward_all(r, net, e) || !backward_pass(net, &x, r->Y, &r->full, e))
            return false;
        stepped = take_step(r, net, &r->full, r->full_cost, r->n);
        r->fresh = !stepped;
    }
    if (!stepped) {
        out->diverged = true;
        return true;
    }
    r->epoch++;
    out->completed = true;
    if (!mlp_run_measure(r, net, &out->loss, &out->accuracy, e))
        return false;
    if (r->Xval) {
        size_t nv = r->Xval->rows;
        Tensor x = batch_view(r->Xval);
        if (!forward_pass(net, &x, &r->eval, e))
            return false;
        double cost = mlp_cost(net, &r->eval, r->Yval);
        out->val_loss = r->opt.mean && nv ? cost / (double)nv : cost;
        out->val_accuracy = r->val_classes ? share(mlp_count_right(net, mlp_pass_output(&r->eval), r->Yval), nv)
                                           : NAN;
    }
    out->diverged = !isfinite(out->loss);
    return true;
}

void mlp_run_progress(const MlpRun *r, const MlpEpoch *ep, TrainProgress *p)
{
    memset(p, 0, sizeof *p);
    p->epoch = r->epoch;
    p->epochs = r->opt.epochs;
    p->loss = ep->loss;
    p->steps = r->steps;
    p->series = TRAIN_BIT(TRAIN_LOSS) | TRAIN_BIT(TRAIN_LR);
    p->v[TRAIN_LOSS] = ep->loss;
    p->v[TRAIN_LR] = r->opt.lr;
    if (r->classes) {
        p->series |= TRAIN_BIT(TRAIN_ACCURACY);
        p->v[TRAIN_ACCURACY] = ep->accuracy;
    }
    if (r->Xval) {
        p->series |= TRAIN_BIT(TRAIN_VAL_LOSS);
        p->v[TRAIN_VAL_LOSS] = ep->val_loss;
    }
    if (r->val_classes) {
        p->series |= TRAIN_BIT(TRAIN_VAL_ACCURACY);
        p->v[TRAIN_VAL_ACCURACY] = ep->val_accuracy;
    }
}

bool mlp_fit(Mlp *net, const Tensor *X, const Tensor *Y, const Tensor *Xval, const Tensor *Yval,
             const MlpOptions *opt, Rng *rng, TrainHook hook, void *ctx, MlpTrainReport *report, Error *e)
{
    MlpTrainReport rep = { 0 };
    if (report)
        *report = rep;
    if (opt->batch && !rng)
        return error_set_in(e, ERROR_ARG, "train", "mini-batches need a random generator to shuffle with");
    MlpRun r;
    if (!mlp_run_init(&r, net, X, Y, Xval, Yval, opt, e))
        return false;
    double acc;
    bool ok = mlp_run_measure(&r, net, &rep.first_loss, &acc, e);
    rep.last_loss = rep.first_loss;
    for (size_t epoch = 1; ok && epoch <= opt->epochs; epoch++) {
        MlpEpoch ep;
        if (!(ok = mlp_run_epoch(&r, net, rng, &ep, e)))
            break;
        if (!ep.completed) {
            rep.diverged = true;
            break;
        }
        rep.epochs_run = epoch;
        rep.last_loss = ep.loss;
        if (hook) {
            TrainProgress p;
            mlp_run_progress(&r, &ep, &p);
            if (!hook(ctx, &p)) {
                rep.stopped = epoch < opt->epochs;
                break;
            }
        }
        if (ep.diverged) {
            rep.diverged = true;
            break;
        }
    }
    mlp_run_free(&r);
    if (report)
        *report = rep;
    return ok;
}

bool mlp_train(Mlp *net, const Tensor *X, const Tensor *Y, size_t epochs, double lr,
               TrainHook hook, void *ctx, MlpTrainReport *report, Error *e)
{
    MlpOptions o;
    mlp_options_init(&o);
    o.epochs = epochs;
    o.lr = lr;
    return mlp_fit(net, X, Y, NULL, NULL, &o, NULL, hook, ctx, report, e);
}
