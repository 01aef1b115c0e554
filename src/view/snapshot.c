/* snapshot.c - a copy of what the dashboard shows, taken between slices of
 * training so that drawing never looks inside a running model. */
#include "nudge/view.h"

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
} Source;

/* The model's weight tensors in display order. */
static size_t sources(const Value *model, Source *src)
{
    if (model->kind == VALUE_PERCEPTRON) {
        src[0] = (Source){ "w", model->as.perceptron->w };
        return 1;
    }
    /* The first weights and biases that fit, in the order the net lists
     * them (a two-layer net shows all four). */
    const Mlp *net = model->as.mlp;
    size_t n = 0;
    for (size_t i = 0; i < 2 * net->n_layers && n < VIEW_MAX_MATRICES; i++) {
        size_t k = i % net->n_layers;
        MlpParam p = i < net->n_layers ? mlp_weight_param(k) : mlp_bias_param(k);
        const Tensor *t = mlp_param(net, p);
        if (t)
            src[n++] = (Source){ mlp_param_name(p), t };
    }
    return n;
}

static bool same_layout(const Snapshot *s, const Source *src, size_t n)
{
    if (s->nm != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s->m[i].rows != src[i].t->rows || s->m[i].cols != src[i].t->cols || strcmp(s->m[i].name, src[i].name))
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
        m->rows = src[i].t->rows;
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

static size_t rows_of(const Tensor *X)
{
    return X->ndim == 1 ? 1 : X->rows;
}

static bool take_outputs(Snapshot *s, const Value *model, const Tensor *X, Error *e)
{
    size_t rows = rows_of(X);
    size_t len = rows * (s->is_mlp ? s->n_out : 1);
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
    if (s->is_mlp) {
        if (!mlp_forward(model->as.mlp, X, &s->pass, e))
            return false;
        memcpy(s->out, mlp_pass_output(&s->pass)->data, len * sizeof *s->out);
        return true;
    }
    const Tensor *w = model->as.perceptron->w;
    size_t n = tensor_size(w);
    for (size_t r = 0; r < rows; r++) {
        double wx = 0.0;
        for (size_t i = 0; i < n && i < X->cols; i++)
            wx += w->data[i] * X->data[r * X->cols + i];
        s->out[r] = wx;
    }
    return true;
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

/* True when every row of Y is one 1 among 0s: the targets are classes. */
static bool one_hot(const Tensor *Y, size_t rows, size_t n_out)
{
    if (n_out < 2 || tensor_size(Y) != rows * n_out)
        return false;
    for (size_t r = 0; r < rows; r++) {
        size_t ones = 0;
        for (size_t k = 0; k < n_out; k++) {
            double y = Y->data[r * n_out + k];
            if (y != 0.0 && y != 1.0)
                return false;
            ones += y == 1.0;
        }
        if (ones != 1)
            return false;
    }
    return true;
}

static bool example_right(const Snapshot *s, const Tensor *Y, size_t rows, size_t r)
{
    if (!s->is_mlp)
        return (s->out[r] > 0) == (target_at(Y, rows, r, 0) > 0);
    if (s->n_out == 1)
        return (s->out[r] > 0.5) == (target_at(Y, rows, r, 0) > 0.5);
    const double *out = s->out + r * s->n_out;
    size_t want = 0;
    for (size_t k = 1; k < s->n_out; k++)
        if (target_at(Y, rows, r, k) > target_at(Y, rows, r, want))
            want = k;
    return values_argmax(out, s->n_out) == want;
}

/* Scores the outputs just taken against Y: one pass over the rows per
 * frame drawn (or progress line printed), never per training step. */
static void take_right(Snapshot *s, const Tensor *X, const Tensor *Y)
{
    size_t rows = rows_of(X);
    s->nright = 0;
    for (size_t r = 0; r < rows; r++) {
        s->right[r] = example_right(s, Y, rows, r);
        s->nright += s->right[r];
    }
    s->has_accuracy = rows > 0 && (!s->is_mlp || one_hot(Y, rows, s->n_out));
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

bool snapshot_take(Snapshot *s, const Value *model, const Tensor *X, const Tensor *Y, Error *e)
{
    if (model->kind != VALUE_PERCEPTRON && model->kind != VALUE_MLP)
        return error_set(e, ERROR_TYPE, "view: only a perceptron or an mlp can be shown");
    Source src[VIEW_MAX_MATRICES];
    size_t n = sources(model, src);
    s->is_mlp = model->kind == VALUE_MLP;
    if (s->is_mlp) {
        const Mlp *net = model->as.mlp;
        s->n_in = net->n_in;
        s->n_hidden = net->n_hidden;
        s->n_out = net->n_out;
        s->bias = net->bias;
        s->softmax = net->output == MLP_SOFTMAX;
    } else {
        s->n_in = tensor_size(model->as.perceptron->w);
        s->n_hidden = 0;
        s->n_out = 1;
        s->bias = s->softmax = false;
    }
    if (!same_layout(s, src, n)) {
        if (!make_layout(s, src, n, e))
            return false;
    } else {
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
    }
    s->X = X;
    s->Y = Y;
    if (!take_outputs(s, model, X, e))
        return false;
    take_right(s, X, Y);
    return true;
}
