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
    const Mlp *net = model->as.mlp;
    size_t n = 0;
    src[n++] = (Source){ "W1", net->W1 };
    src[n++] = (Source){ "W2", net->W2 };
    if (net->b1)
        src[n++] = (Source){ "b1", net->b1 };
    if (net->b2)
        src[n++] = (Source){ "b2", net->b2 };
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

static bool take_outputs(Snapshot *s, const Value *model, const Tensor *X, Error *e)
{
    size_t rows = X->ndim == 1 ? 1 : X->rows;
    size_t len = rows * (s->is_mlp ? s->n_out : 1);
    if (len != s->out_len) {
        mem_free(s->out);
        s->out = mem_calloc(len ? len : 1, sizeof *s->out);
        s->out_len = s->out ? len : 0;
        if (!s->out)
            return error_nomem(e, "view");
    }
    if (s->is_mlp) {
        if (!mlp_forward(model->as.mlp, X, &s->pass, e))
            return false;
        memcpy(s->out, s->pass.a2->data, len * sizeof *s->out);
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
    return take_outputs(s, model, X, e);
}
