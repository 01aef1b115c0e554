/* perceptron.c - the perceptron learning rule of chapter 2. */
#include "nudge/perceptron.h"

#include <math.h>
#include <string.h>

#include "nudge/activation.h"
#include "nudge/interrupt.h"

bool perceptron_init(Perceptron *p, const Tensor *w, double lr, Error *e)
{
    p->w = NULL;
    p->lr = lr;
    if (w->ndim != 1 && w->rows != 1 && w->cols != 1) {
        char s[48];
        return error_set_in(e, ERROR_SHAPE, "perceptron", "w must be a vector, not a %s matrix",
                         tensor_shape_str(w, s, sizeof s));
    }
    if (tensor_size(w) == 0)
        return error_set_in(e, ERROR_ARG, "perceptron", "w is empty; give one weight per input");
    p->w = tensor_from(1, 1, tensor_size(w), w->data, e);
    return p->w != NULL;
}

bool perceptron_copy(Perceptron *dst, const Perceptron *src, Error *e)
{
    return perceptron_init(dst, src->w, src->lr, e);
}

void perceptron_free(Perceptron *p)
{
    tensor_delete(p->w);
    p->w = NULL;
}

void perceptron_trace_init(PerceptronTrace *t)
{
    memset(t, 0, sizeof *t);
}

void perceptron_trace_free(PerceptronTrace *t)
{
    tensor_delete(t->dw);
    tensor_delete(t->w);
    perceptron_trace_init(t);
}

static bool check_input(const Perceptron *p, const Tensor *x, const char *who, Error *e)
{
    if (tensor_size(x) == tensor_size(p->w) && (x->ndim == 1 || x->rows == 1 || x->cols == 1))
        return true;
    char s[48];
    return error_set_in(e, ERROR_SHAPE, who, "x has shape %s but w has %zu weights",
                        tensor_shape_str(x, s, sizeof s), tensor_size(p->w)) || error_at_arg(e, 1);
}

static double target_of(double y)
{
    return y > 0.0 ? 1.0 : 0.0;
}

static bool check_target(double y, const char *who, Error *e)
{
    if (y == 1.0 || y == 0.0 || y == -1.0)
        return true;
    return error_set_in(e, ERROR_ARG, who, "target %g must be 1 (positive) or 0 / -1 (negative)", y)
           || error_at_arg(e, 2);
}

/* One update in place; returns the error (target - prediction). */
static double learn_one(Perceptron *p, const double *x, double y, double *wx_out, double *pred_out)
{
    size_t n = tensor_size(p->w);
    double wx = 0.0;
    for (size_t i = 0; i < n; i++)
        wx += p->w->data[i] * x[i];
    double pred = act_step(wx);
    double err = target_of(y) - pred;
    if (err != 0.0)
        for (size_t i = 0; i < n; i++)
            p->w->data[i] += p->lr * err * x[i];
    if (wx_out)
        *wx_out = wx;
    if (pred_out)
        *pred_out = pred;
    return err;
}

bool perceptron_learn(Perceptron *p, const Tensor *x, double y, PerceptronTrace *trace, Error *e)
{
    if (!check_input(p, x, "learn", e) || !check_target(y, "learn", e))
        return false;
    size_t n = tensor_size(p->w);
    Tensor *dw = NULL, *w = NULL;
    if (trace) {
        /* Allocate before touching w so that a failure changes nothing. */
        dw = tensor_vector(n, e);
        w = dw ? tensor_vector(n, e) : NULL;
        if (!w) {
            tensor_delete(dw);
            return false;
        }
    }
    double wx, pred;
    double err = learn_one(p, x->data, y, &wx, &pred);
    if (trace) {
        perceptron_trace_free(trace);
        for (size_t i = 0; i < n; i++)
            dw->data[i] = p->lr * err * x->data[i];
        memcpy(w->data, p->w->data, n * sizeof *w->data);
        trace->wx = wx;
        trace->prediction = pred;
        trace->target = target_of(y);
        trace->error = err;
        trace->dw = dw;
        trace->w = w;
    }
    return true;
}

Tensor *perceptron_predict(const Perceptron *p, const Tensor *X, Error *e)
{
    size_t n = tensor_size(p->w);
    bool single = X->ndim == 1 || (X->rows == 1 && X->cols == n);
    if (single && !check_input(p, X, "predict", e))
        return NULL;
    if (!single && X->cols != n) {
        char s[48];
        error_set_in(e, ERROR_SHAPE, "predict", "X has shape %s, so %zu inputs per row, but w has %zu weights",
                     tensor_shape_str(X, s, sizeof s), X->cols, n);
        error_at_arg(e, 1);
        return NULL;
    }
    size_t rows = single ? 1 : X->rows;
    Tensor *out = tensor_vector(rows, e);
    if (!out)
        return NULL;
    for (size_t r = 0; r < rows; r++) {
        double wx = 0.0;
        for (size_t i = 0; i < n; i++)
            wx += p->w->data[i] * X->data[r * n + i];
        out->data[r] = act_step(wx);
    }
    return out;
}

bool perceptron_train(Perceptron *p, const Tensor *X, const Tensor *y, size_t max_epochs,
                      TrainHook hook, void *ctx, PerceptronReport *report, Error *e)
{
    size_t n = tensor_size(p->w);
    if (X->ndim != 2 || X->cols != n) {
        char s[48];
        return error_set_in(e, ERROR_SHAPE, "train", "X must be a matrix with %zu columns (one per weight), not %s",
                            n, tensor_shape_str(X, s, sizeof s)) || error_at_arg(e, 1);
    }
    if (tensor_size(y) != X->rows || (y->ndim == 2 && y->rows != 1 && y->cols != 1)) {
        char s[48];
        return error_set_in(e, ERROR_SHAPE, "train", "y has shape %s but X has %zu rows; give one target per row",
                            tensor_shape_str(y, s, sizeof s), X->rows) || error_at_arg(e, 2);
    }
    for (size_t r = 0; r < X->rows; r++)
        if (!check_target(y->data[r], "train", e))
            return false;
    PerceptronReport rep = {0};
    size_t steps = 0;
    for (size_t epoch = 1; epoch <= max_epochs; epoch++) {
        if (interrupt_check(e))
            return false;
        size_t mistakes = 0;
        for (size_t r = 0; r < X->rows; r++)
            if (learn_one(p, X->data + r * n, y->data[r], NULL, NULL) != 0.0)
                mistakes++;
        steps += X->rows;
        rep.epochs_run = epoch;
        rep.updates += mistakes;
        rep.last_mistakes = mistakes;
        if (mistakes == 0)
            rep.converged = true;
        if (hook) {
            TrainProgress pr = { .epoch = epoch, .epochs = max_epochs, .loss = (double)mistakes, .steps = steps };
            pr.series = TRAIN_BIT(TRAIN_MISTAKES) | TRAIN_BIT(TRAIN_ACCURACY) | TRAIN_BIT(TRAIN_LR);
            pr.v[TRAIN_MISTAKES] = (double)mistakes;
            pr.v[TRAIN_ACCURACY] = perceptron_accuracy(p, X, y);
            pr.v[TRAIN_LR] = p->lr;
            if (!hook(ctx, &pr) && !rep.converged) {
                rep.stopped = true;
                break;
            }
        }
        if (rep.converged)
            break;
    }
    if (report)
        *report = rep;
    return true;
}

double perceptron_accuracy(const Perceptron *p, const Tensor *X, const Tensor *y)
{
    size_t n = tensor_size(p->w), rows = X->rows, right = 0;
    if (rows == 0)
        return NAN;
    for (size_t r = 0; r < rows; r++) {
        double wx = 0.0;
        for (size_t i = 0; i < n; i++)
            wx += p->w->data[i] * X->data[r * n + i];
        right += act_step(wx) == target_of(y->data[r]);
    }
    return (double)right / (double)rows;
}
