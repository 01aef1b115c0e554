/* snapshot.c - a copy of what the dashboard shows, taken between slices of
 * training (or passes of a watched loop) so that drawing never looks inside
 * a running model. */
#include "nudge/view.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "nudge/mem.h"

void snapshot_init(Snapshot *s)
{
    memset(s, 0, sizeof *s);
    mlp_pass_init(&s->pass);
    s->state = VIEW_STATE_RUNNING;
    s->current = SIZE_MAX;
    s->start_loss = NAN;
}

static void free_matrices(Snapshot *s)
{
    for (size_t i = 0; i < s->nm; i++) {
        mem_free(s->m[i].v);
        mem_free(s->m[i].dir);
    }
    memset(s->m, 0, sizeof s->m);
    s->nm = 0;
}

void snapshot_free(Snapshot *s)
{
    free_matrices(s);
    mem_free(s->out);
    mem_free(s->right);
    mlp_pass_free(&s->pass);
    if (s->has_net)
        mlp_free(&s->net);
    snapshot_init(s);
}

void snapshot_forget_changes(Snapshot *s)
{
    for (size_t i = 0; i < s->nm; i++)
        memset(s->m[i].dir, 0, s->m[i].rows * s->m[i].cols);
}

typedef struct Source {
    const char *name;
    const Tensor *t;
    size_t layer;
} Source;

/* The model's weight tensors in display order: a net's W1 .. WL, then its
 * biases b1 .. bL. */
static size_t sources(const Value *model, Source *src)
{
    if (model->kind == VALUE_PERCEPTRON) {
        src[0] = (Source){ "w", model->as.perceptron->w, 0 };
        return 1;
    }
    const Mlp *net = model->as.mlp;
    size_t n = 0;
    for (size_t i = 0; i < 2 * net->n_layers && n < VIEW_MAX_MATRICES; i++) {
        size_t k = i % net->n_layers;
        MlpParam p = i < net->n_layers ? mlp_weight_param(k) : mlp_bias_param(k);
        const Tensor *t = mlp_param(net, p);
        if (t)
            src[n++] = (Source){ mlp_param_name(p), t, k };
    }
    return n;
}

static bool same_layout(const Snapshot *s, const Source *src, size_t n)
{
    if (s->nm != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s->m[i].rows != (src[i].t->ndim == 1 ? 1 : src[i].t->rows) || s->m[i].cols != src[i].t->cols
            || strcmp(s->m[i].name, src[i].name) || s->m[i].vector != (src[i].t->ndim == 1))
            return false;
    return true;
}

static bool make_layout(Snapshot *s, const Source *src, size_t n, Error *e)
{
    free_matrices(s);
    for (size_t i = 0; i < n; i++) {
        ViewMatrix *m = &s->m[i];
        size_t len = tensor_size(src[i].t);
        snprintf(m->name, sizeof m->name, "%s", src[i].name);
        m->layer = src[i].layer;
        m->vector = src[i].t->ndim == 1;
        m->rows = m->vector ? 1 : src[i].t->rows;
        m->cols = src[i].t->cols;
        m->v = mem_calloc(len ? len : 1, sizeof *m->v);
        m->dir = mem_calloc(len ? len : 1, 1);
        s->nm = i + 1;
        if (!m->v || !m->dir) {
            free_matrices(s);
            return error_nomem(e, "view");
        }
        memcpy(m->v, src[i].t->data, len * sizeof *m->v);
    }
    return true;
}

/* New values for the matrices, each remembering which way it moved. */
static bool take_matrices(Snapshot *s, const Source *src, size_t n, Error *e)
{
    if (!same_layout(s, src, n))
        return make_layout(s, src, n, e);
    for (size_t i = 0; i < n; i++) {
        ViewMatrix *m = &s->m[i];
        for (size_t k = 0; k < m->rows * m->cols; k++) {
            double now = src[i].t->data[k];
            if (now > m->v[k])
                m->dir[k] = 1;
            else if (now < m->v[k])
                m->dir[k] = -1;
            m->v[k] = now;
        }
    }
    return true;
}

static size_t rows_of(const Tensor *X)
{
    return X->ndim == 1 ? 1 : X->rows;
}

/* Target k of example r, for Y of any shape train() accepts: a vector or
 * a row or column of one target per example, or rows x outputs. */
static double target_at(const Tensor *Y, size_t rows, size_t r, size_t k)
{
    size_t per = rows ? tensor_size(Y) / rows : 0;
    if (per == 0)
        return 0.0;
    return Y->data[r * per + (k < per ? k : 0)];
}

/* The outputs on X, each scored against Y as train()'s accuracy scores it
 * (mlp_count_right, perceptron_accuracy): one pass over the rows per frame
 * drawn (or progress line printed), never per training step. */
static bool take_outputs(Snapshot *s, const Value *model, const Tensor *X, const Tensor *Y, Error *e)
{
    size_t rows = rows_of(X);
    size_t len = rows * (s->kind == VIEW_MLP ? s->n_out : 1);
    if (len != s->out_len || rows != s->right_len) {
        mem_free(s->out);
        mem_free(s->right);
        s->out = mem_calloc(len ? len : 1, sizeof *s->out);
        s->right = mem_calloc(rows ? rows : 1, 1);
        bool ok = s->out && s->right;
        s->out_len = ok ? len : 0;
        s->right_len = ok ? rows : 0;
        if (!ok)
            return error_nomem(e, "view");
    }
    s->nright = 0;
    if (s->kind == VIEW_MLP) {
        const Mlp *net = model->as.mlp;
        if (!mlp_forward(net, X, &s->pass, e))
            return false;
        const Tensor *A = mlp_pass_output(&s->pass);
        memcpy(s->out, A->data, len * sizeof *s->out);
        /* Each row by the rule that, for targets that are classes, is
         * mlp_count_right's: output > 0.5 against target > 0.5, or the
         * largest output where the largest target is (for other targets,
         * what the predictions panel's ✓ says); the count is the model's
         * own when there is an accuracy. */
        size_t no = s->n_out, sum = 0;
        for (size_t r = 0; r < rows; r++) {
            const double *a = s->out + r * no;
            if (no == 1) {
                s->right[r] = (a[0] > 0.5) == (target_at(Y, rows, r, 0) > 0.5);
            } else {
                size_t want = 0;
                for (size_t k = 1; k < no; k++)
                    if (target_at(Y, rows, r, k) > target_at(Y, rows, r, want))
                        want = k;
                s->right[r] = values_argmax(a, no) == want;
            }
            sum += s->right[r];
        }
        s->has_accuracy = rows > 0 && mlp_targets_are_classes(net, Y);
        s->nright = s->has_accuracy ? mlp_count_right(net, A, Y) : sum;
        return true;
    }
    const Tensor *w = model->as.perceptron->w;
    size_t n = tensor_size(w);
    for (size_t r = 0; r < rows; r++) {
        double wx = 0.0;
        for (size_t i = 0; i < n && i < X->cols; i++)
            wx += w->data[i] * X->data[r * X->cols + i];
        s->out[r] = wx;
        s->right[r] = (wx > 0) == (target_at(Y, rows, r, 0) > 0);
        s->nright += s->right[r];
    }
    s->has_accuracy = rows > 0;
    return true;
}

const char *snapshot_accuracy(const Snapshot *s, char *buf, size_t n)
{
    size_t rows = s->right_len;
    if (!s->has_accuracy || rows == 0)
        snprintf(buf, n, "%s", "");
    else if (s->nright == rows)
        snprintf(buf, n, "100%%");
    else {
        size_t permille = s->nright * 1000 / rows;
        snprintf(buf, n, "%zu.%zu%%", permille / 10, permille % 10);
    }
    return buf;
}

/* The snapshot's own copy of a net, for the plane's forward passes. */
static bool take_net(Snapshot *s, const Mlp *net, Error *e)
{
    if (s->has_net && mlp_same_shape(&s->net, net)) {
        mlp_copy_weights(&s->net, net);
        return true;
    }
    if (s->has_net)
        mlp_free(&s->net);
    s->has_net = mlp_copy(&s->net, net, e);
    return s->has_net;
}

bool snapshot_take(Snapshot *s, const Value *model, const Tensor *X, const Tensor *Y, Error *e)
{
    if (model->kind != VALUE_PERCEPTRON && model->kind != VALUE_MLP)
        return error_set(e, ERROR_TYPE, "view: only a perceptron or an mlp can be shown");
    Source src[VIEW_MAX_MATRICES];
    size_t n = sources(model, src);
    s->kind = model->kind == VALUE_MLP ? VIEW_MLP : VIEW_PERCEPTRON;
    if (s->kind == VIEW_MLP) {
        const Mlp *net = model->as.mlp;
        s->n_layers = net->n_layers;
        memcpy(s->sizes, net->sizes, sizeof s->sizes);
        s->n_in = net->n_in;
        s->n_out = net->n_out;
        s->bias = net->bias;
        s->softmax = net->output == MLP_SOFTMAX;
        s->hidden = net->hidden;
        if (!take_net(s, net, e))
            return false;
    } else {
        s->n_in = tensor_size(model->as.perceptron->w);
        s->n_layers = 1;
        s->sizes[0] = s->n_in;
        s->sizes[1] = 1;
        s->n_out = 1;
        s->bias = s->softmax = false;
        if (s->has_net) {
            mlp_free(&s->net);
            s->has_net = false;
        }
    }
    if (!take_matrices(s, src, n, e))
        return false;
    s->X = X;
    s->Y = Y;
    return take_outputs(s, model, X, Y, e);
}

bool snapshot_take_arrays(Snapshot *s, const char *const *names, const Tensor *const *arrays, size_t n, Error *e)
{
    Source src[VIEW_MAX_MATRICES];
    if (n > VIEW_MAX_MATRICES)
        n = VIEW_MAX_MATRICES;
    for (size_t i = 0; i < n; i++)
        src[i] = (Source){ names[i], arrays[i], 0 };
    s->kind = VIEW_LOOP;
    s->X = s->Y = NULL;
    s->nright = s->right_len = 0;
    s->has_accuracy = false;
    return take_matrices(s, src, n, e);
}
