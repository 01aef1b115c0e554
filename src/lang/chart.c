/* chart.c - plot(), scatter() and `plot loss`: turning the language's
 * values into series and points for plot.c to draw. */
#include "nudge/chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nudge/mem.h"
#include "nudge/plot.h"
#include "nudge/text.h"

#include "state.h"

/* The terminal's width (80 for a pipe), within what a chart can use. */
static int chart_width(const Interp *in)
{
    int w = interp_width(in);
    if (w <= 0)
        w = 80;
    return w < 30 ? 30 : w > 400 ? 400 : w;
}

static bool kw_text(const Args *a, const char *name, const char **out, Error *e)
{
    const Value *v = args_kw(a, name);
    if (!v)
        return true;
    if (v->kind != VALUE_STRING) {
        char d[64];
        return args_kw_error(a, name, e, "%s= must be a string in quotes, not %s", name, value_describe(v, d, sizeof d));
    }
    *out = value_str(v);
    return true;
}

static bool kw_flag(const Args *a, const char *name, bool *out, Error *e)
{
    const Value *v = args_kw(a, name);
    if (!v)
        return true;
    if (!value_is_scalar(v)) {
        char d[64];
        return args_kw_error(a, name, e, "%s= must be True or False, not %s", name, value_describe(v, d, sizeof d));
    }
    *out = value_to_double(v) != 0;
    return true;
}

static bool kw_size(const Args *a, const char *name, int lo, int hi, int *out, Error *e)
{
    const Value *v = args_kw(a, name);
    if (!v)
        return true;
    double x = value_is_scalar(v) ? value_to_double(v) : NAN;
    if (!(x >= lo && x <= hi) || x != floor(x))
        return args_kw_error(a, name, e, "%s= must be a whole number from %d to %d", name, lo, hi);
    *out = (int)x;
    return true;
}

/* The options every chart shares: title=, xlabel=, ylabel=, width=,
 * height= (default_height when not given). */
static bool common_options(Interp *in, const Args *a, PlotOptions *o, int default_height, Error *e)
{
    memset(o, 0, sizeof *o);
    o->width = chart_width(in);
    o->height = default_height;
    o->color = interp_color(in);
    return kw_text(a, "title", &o->title, e) && kw_text(a, "xlabel", &o->xlabel, e)
        && kw_text(a, "ylabel", &o->ylabel, e) && kw_size(a, "width", 30, 400, &o->width, e)
        && kw_size(a, "height", 4, 100, &o->height, e);
}

static bool callable(const Value *v)
{
    return v->kind == VALUE_BUILTIN || v->kind == VALUE_FUNCTION || v->kind == VALUE_METHOD;
}

/* --- plot --------------------------------------------------------------------- */

typedef struct Series {
    PlotSeries s[PLOT_MAX_SERIES];
    size_t n;
    double *owned[PLOT_MAX_SERIES];     /* columns and samples made here */
    char label[PLOT_MAX_SERIES][64];
    bool named;                         /* every label came from a name */
} Series;

static void series_free(Series *c)
{
    for (size_t i = 0; i < PLOT_MAX_SERIES; i++)
        mem_free(c->owned[i]);
}

static bool too_many(const Args *a, int i, size_t more, const Series *c, Error *e)
{
    return args_error(a, i, e, ERROR_LIMIT, "that makes %zu series, and one chart holds at most %d",
                      c->n + more, PLOT_MAX_SERIES);
}

/* One positional argument's series: a number, a vector, a row or column
 * matrix, or a matrix of a few columns (one series each, as Octave and
 * matplotlib draw a matrix). */
static bool add_value(const Args *a, int i, Series *c, Error *e)
{
    const Value *v = a->arg[i].v;
    const char *name = a->arg[i].name;
    char d[64];
    if (v->kind == VALUE_NUMBER) {
        if (c->n >= PLOT_MAX_SERIES)
            return too_many(a, i, 1, c, e);
        c->s[c->n] = (PlotSeries){ NULL, &v->as.number, 1, NULL };
        snprintf(c->label[c->n], sizeof c->label[0], "%s", name ? name : "");
        c->n++;
        return true;
    }
    if (v->kind == VALUE_RECORD) {
        const char *field = record_get(v, "loss") ? "loss" : record_get(v, "cost") ? "cost" : NULL;
        if (field)
            return args_error(a, i, e, ERROR_TYPE, "%s is a record; plot one of its fields, such as plot(%s.%s)",
                              name ? name : "the argument", name ? name : "r", field);
        return args_error(a, i, e, ERROR_TYPE, "%s is a record; plot one of its fields", name ? name : "the argument");
    }
    if (v->kind != VALUE_TENSOR)
        return args_error(a, i, e, ERROR_TYPE, "cannot plot %s: give vectors of numbers (or a function and an "
                          "interval: plot(f, a, b))", value_describe(v, d, sizeof d));
    const Tensor *t = v->as.tensor;
    if (tensor_size(t) == 0)
        return args_error(a, i, e, ERROR_ARG, "nothing to plot: %s is empty", name ? name : "the argument");
    if (t->ndim == 1 || t->rows == 1 || t->cols == 1) {
        if (c->n >= PLOT_MAX_SERIES)
            return too_many(a, i, 1, c, e);
        c->s[c->n] = (PlotSeries){ NULL, t->data, tensor_size(t), NULL };
        snprintf(c->label[c->n], sizeof c->label[0], "%s", name ? name : "");
        c->n++;
        return true;
    }
    if (t->cols > PLOT_MAX_SERIES)
        return args_error(a, i, e, ERROR_SHAPE, "a %zu×%zu matrix is %zu series, one per column (as Octave and "
                          "matplotlib draw a matrix), and a chart holds at most %d; for one series per row give "
                          "the rows: plot(M[0], M[1]) or plot(*M)", t->rows, t->cols, t->cols, PLOT_MAX_SERIES);
    if (c->n + t->cols > PLOT_MAX_SERIES)
        return too_many(a, i, t->cols, c, e);
    for (size_t j = 0; j < t->cols; j++) {
        double *col = mem_calloc(t->rows, sizeof *col);
        if (!col)
            return error_nomem(e, "plot");
        for (size_t r = 0; r < t->rows; r++)
            col[r] = t->data[r * t->cols + j];
        c->owned[c->n] = col;
        c->s[c->n] = (PlotSeries){ NULL, col, t->rows, NULL };
        if (name)
            snprintf(c->label[c->n], sizeof c->label[0], "%s[:, %zu]", name, j);
        else
            snprintf(c->label[c->n], sizeof c->label[0], "column %zu", j);
        c->n++;
    }
    return true;
}

/* A function's value at x as a number. */
static bool sample(Interp *in, const Args *a, int i, double x, double *y, Error *e)
{
    Value xv = value_number(x), r;
    Value *args[1] = { &xv };
    if (!interp_call(in, a->arg[i].v, args, 1, &r, e)) {
        error_add_context(e, "plot, x = %g", x);
        return false;
    }
    bool ok = true;
    if (value_is_scalar(&r))
        *y = value_to_double(&r);
    else if (r.kind == VALUE_TENSOR && tensor_size(r.as.tensor) == 1)
        *y = r.as.tensor->data[0];
    else {
        char d[64];
        ok = args_error(a, i, e, ERROR_TYPE, "the function gave %s at x = %g; plot(f, a, b) needs a number "
                        "for each x", value_describe(&r, d, sizeof d), x);
    }
    value_free(&r);
    return ok;
}

static const char *function_name(const Args *a, int i)
{
    const Value *f = a->arg[i].v;
    if (a->arg[i].name)
        return a->arg[i].name;
    if (f->kind == VALUE_BUILTIN)
        return f->as.builtin->name;
    if (f->kind == VALUE_FUNCTION)
        return f->as.func->qualname;
    return "f";
}

/* plot(f, [g, ...], a, b): each function at evenly spaced x from a to b,
 * two samples for each column of the chart. */
static bool add_functions(Interp *in, const Args *a, int nf, const PlotOptions *o, Series *c, double **xs, Error *e)
{
    if ((size_t)nf + 2 != a->n || !value_is_scalar(a->arg[nf].v) || !value_is_scalar(a->arg[nf + 1].v))
        return args_error(a, nf < (int)a->n ? nf : -1, e, ERROR_ARG, "after the function%s give the two ends of "
                          "the interval, as in plot(f, -5, 5)", nf > 1 ? "s" : "");
    double lo = value_to_double(a->arg[nf].v), hi = value_to_double(a->arg[nf + 1].v);
    if (!isfinite(lo) || !isfinite(hi) || !(lo < hi))
        return args_error(a, nf, e, ERROR_ARG, "the interval runs from %g to %g; give its low end first", lo, hi);
    if (nf > PLOT_MAX_SERIES)
        return args_error(a, PLOT_MAX_SERIES, e, ERROR_LIMIT, "one chart holds at most %d functions",
                          PLOT_MAX_SERIES);
    size_t n = 2 * (size_t)o->width + 1;
    *xs = mem_calloc(n, sizeof **xs);
    if (!*xs)
        return error_nomem(e, "plot");
    for (size_t k = 0; k < n; k++)
        (*xs)[k] = k + 1 == n ? hi : lo + (hi - lo) * (double)k / (double)(n - 1);
    for (int i = 0; i < nf; i++) {
        double *y = mem_calloc(n, sizeof *y);
        if (!y)
            return error_nomem(e, "plot");
        c->owned[c->n] = y;
        c->s[c->n] = (PlotSeries){ *xs, y, n, NULL };
        snprintf(c->label[c->n], sizeof c->label[0], "%s", function_name(a, i));
        c->n++;
        for (size_t k = 0; k < n; k++)
            if (!sample(in, a, i, (*xs)[k], &y[k], e))
                return false;
    }
    return true;
}

/* labels=[...]: one string per series. */
static bool take_labels(const Args *a, Series *c, bool *given, Error *e)
{
    const Value *v = args_kw(a, "labels");
    *given = v != NULL;
    if (!v)
        return true;
    if (v->kind == VALUE_STRING && c->n == 1) {
        snprintf(c->label[0], sizeof c->label[0], "%s", value_str(v));
        return true;
    }
    if (v->kind != VALUE_LIST && v->kind != VALUE_TUPLE)
        return args_kw_error(a, "labels", e, "labels= must be a list of strings, one per series, as in "
                       "labels=[\"lr 0.1\", \"lr 1\"]");
    const List *l = v->as.list;
    if (l->n != c->n)
        return args_kw_error(a, "labels", e, "%zu label%s for %zu series", l->n, l->n == 1 ? "" : "s", c->n);
    for (size_t i = 0; i < l->n; i++) {
        if (l->items[i].kind != VALUE_STRING)
            return args_kw_error(a, "labels", e, "labels= must hold strings (label %zu is not one)", i);
        snprintf(c->label[i], sizeof c->label[0], "%s", value_str(&l->items[i]));
    }
    return true;
}

/* ylim=(lo, hi). */
static bool take_ylim(const Args *a, PlotOptions *o, Error *e)
{
    const Value *v = args_kw(a, "ylim");
    if (!v)
        return true;
    if (v->kind != VALUE_TENSOR || tensor_size(v->as.tensor) != 2)
        return args_kw_error(a, "ylim", e, "ylim= must be two numbers, the bottom and top of the y axis: ylim=(0, 1)");
    o->ylo = v->as.tensor->data[0];
    o->yhi = v->as.tensor->data[1];
    if (!isfinite(o->ylo) || !isfinite(o->yhi) || !(o->ylo < o->yhi))
        return args_kw_error(a, "ylim", e, "ylim=(%g, %g): the bottom must be below the top", o->ylo, o->yhi);
    if (o->log_y && o->ylo <= 0)
        return args_kw_error(a, "ylim", e, "ylim=(%g, %g) on a log axis: both ends must be above 0", o->ylo, o->yhi);
    o->ylim = true;
    return true;
}

static bool draw(Interp *in, const PlotSeries *s, size_t n, const PlotOptions *o, Error *e)
{
    char *text = plot_lines(s, n, o, e);
    if (!text)
        return false;
    interp_write(in, text);
    mem_free(text);
    return true;
}

bool chart_plot(Interp *in, Args *a, Value *out, Error *e)
{
    (void)out;
    int width = chart_width(in);
    PlotOptions o;
    if (!common_options(in, a, &o, width / 5 < 8 ? 8 : width / 5 > 20 ? 20 : width / 5, e)
        || !kw_flag(a, "log", &o.log_y, e) || !take_ylim(a, &o, e))
        return false;
    Series c;
    memset(&c, 0, sizeof c);
    double *xs = NULL;
    int nf = 0;
    while ((size_t)nf < a->n && callable(a->arg[nf].v))
        nf++;
    bool ok = true;
    if (nf > 0) {
        ok = add_functions(in, a, nf, &o, &c, &xs, e);
    } else {
        for (size_t i = 0; ok && i < a->n; i++)
            ok = add_value(a, (int)i, &c, e);
        o.integer_x = true;
    }
    const Value *xv = args_kw(a, "x");
    if (ok && xv) {
        if (nf > 0)
            ok = args_kw_error(a, "x", e, "x= is for series of values; a function is sampled from a to b");
        else if (xv->kind != VALUE_TENSOR && xv->kind != VALUE_NUMBER)
            ok = args_kw_error(a, "x", e, "x= must be a vector: the x of each value, the same for every series");
        else {
            const double *x = xv->kind == VALUE_NUMBER ? &xv->as.number : xv->as.tensor->data;
            size_t nx = xv->kind == VALUE_NUMBER ? 1 : tensor_size(xv->as.tensor);
            for (size_t k = 0; ok && k < c.n; k++) {
                if (c.s[k].n != nx)
                    ok = args_kw_error(a, "x", e, "x= has %zu value%s but series %zu has %zu", nx, nx == 1 ? "" : "s", k,
                                 c.s[k].n);
                c.s[k].x = x;
            }
            o.integer_x = false;
        }
    }
    bool given = false;
    if (ok)
        ok = take_labels(a, &c, &given, e);
    if (ok) {
        /* A legend when the labels were asked for, or to tell several
         * series apart (by their names where they have them). */
        o.legend = given || c.n > 1;
        for (size_t k = 0; k < c.n; k++) {
            if (!c.label[k][0])
                snprintf(c.label[k], sizeof c.label[0], "series %zu", k);
            c.s[k].label = c.label[k];
        }
        ok = draw(in, c.s, c.n, &o, e);
    }
    series_free(&c);
    mem_free(xs);
    return ok;
}

bool chart_last_loss(Interp *in, Error *e)
{
    size_t n;
    const double *loss = interp_losses(in, &n);
    if (n == 0)
        return error_set(e, ERROR_ARG, "plot loss: nothing trained yet; run train(...) first");
    double *x = mem_calloc(n, sizeof *x);
    if (!x)
        return error_nomem(e, "plot");
    for (size_t i = 0; i < n; i++)
        x[i] = (double)(i + 1);
    char title[96];
    snprintf(title, sizeof title, "loss over %zu epoch%s of the last training run", n, n == 1 ? "" : "s");
    int width = chart_width(in);
    PlotOptions o = { .width = width, .height = width / 5 < 8 ? 8 : width / 5 > 20 ? 20 : width / 5,
                      .title = title, .xlabel = "epoch", .integer_x = true, .color = interp_color(in) };
    PlotSeries s = { x, loss, n, "loss" };
    bool ok = draw(in, &s, 1, &o, e);
    mem_free(x);
    return ok;
}

/* --- scatter -------------------------------------------------------------------- */

typedef struct Classes {
    double value[PLOT_MAX_CLASSES];
    size_t n;
    char name[PLOT_MAX_CLASSES][48];
    const char *names[PLOT_MAX_CLASSES];
} Classes;

/* Each point's class number from its label: a vector (or column) of
 * labels, or one-hot rows. */
static bool classify(const Args *a, int i, size_t n, int *cls, Classes *k, Error *e)
{
    const Value *v = a->arg[i].v;
    char d[64];
    if (v->kind != VALUE_TENSOR)
        return args_error(a, i, e, ERROR_TYPE, "the labels must be a vector with one class per point, not %s",
                          value_describe(v, d, sizeof d));
    const Tensor *t = v->as.tensor;
    bool onehot = t->ndim == 2 && t->cols > 1 && t->rows == n;
    if (!onehot && tensor_size(t) != n)
        return args_error(a, i, e, ERROR_SHAPE, "%zu labels for %zu points", tensor_size(t), n);
    for (size_t p = 0; p < n; p++) {
        double lab;
        if (onehot) {
            size_t best = 0;
            for (size_t j = 1; j < t->cols; j++)
                if (t->data[p * t->cols + j] > t->data[p * t->cols + best])
                    best = j;
            lab = (double)best;
        } else {
            lab = t->data[p];
        }
        if (!isfinite(lab))
            return args_error(a, i, e, ERROR_ARG, "label %zu is %g; a class must be a number", p, lab);
        size_t j = 0;
        while (j < k->n && k->value[j] != lab)
            j++;
        if (j == k->n) {
            if (k->n == PLOT_MAX_CLASSES)
                return args_error(a, i, e, ERROR_LIMIT, "the labels hold more than %d different classes; a "
                                  "scatter chart draws at most %d", PLOT_MAX_CLASSES, PLOT_MAX_CLASSES);
            k->value[k->n++] = lab;
        }
    }
    /* Classes in ascending order, so 0 is ○ and 1 is ● whatever comes first. */
    for (size_t x = 1; x < k->n; x++)
        for (size_t y = x; y > 0 && k->value[y - 1] > k->value[y]; y--) {
            double tmp = k->value[y];
            k->value[y] = k->value[y - 1];
            k->value[y - 1] = tmp;
        }
    for (size_t p = 0; p < n; p++) {
        double lab = t->data[p];
        if (onehot) {
            size_t best = 0;
            for (size_t j = 1; j < t->cols; j++)
                if (t->data[p * t->cols + j] > t->data[p * t->cols + best])
                    best = j;
            lab = (double)best;
        }
        for (size_t j = 0; j < k->n; j++)
            if (k->value[j] == lab)
                cls[p] = (int)j;
    }
    return true;
}

/* What model= says about each cell: its class, numbered as the data's. */
typedef struct Region {
    const Value *model;
    const Classes *classes;
    size_t inputs;          /* 2, or 3 with a constant third input */
    double third;           /* that constant (the data's bias column) */
} Region;

static bool region_classes(void *ctx, const double *x, const double *y, size_t n, int *cls, Error *e)
{
    const Region *r = ctx;
    Tensor *X = tensor_matrix(n, r->inputs, e);
    if (!X)
        return false;
    for (size_t i = 0; i < n; i++) {
        X->data[i * r->inputs] = x[i];
        X->data[i * r->inputs + 1] = y[i];
        if (r->inputs == 3)
            X->data[i * 3 + 2] = r->third;
    }
    bool ok = true;
    bool binary;
    Tensor *pred = NULL;
    MlpPass pass;
    mlp_pass_init(&pass);
    if (r->model->kind == VALUE_MLP) {
        const Mlp *net = r->model->as.mlp;
        binary = net->n_out == 1;
        ok = mlp_forward(net, X, &pass, e);
        pred = ok ? mlp_pass_output(&pass) : NULL;
    } else {
        binary = true;
        pred = perceptron_predict(r->model->as.perceptron, X, e);
        ok = pred != NULL;
    }
    for (size_t i = 0; ok && i < n; i++) {
        double p;
        if (binary) {
            p = pred->data[i] >= 0.5 ? 1 : 0;
        } else {
            size_t best = 0, k = pred->cols;
            for (size_t j = 1; j < k; j++)
                if (pred->data[i * k + j] > pred->data[i * k + best])
                    best = j;
            p = (double)best;
        }
        cls[i] = -1;
        if (binary && r->classes->n == 2)
            cls[i] = (int)p;        /* the lower label is the model's 0, the higher its 1 */
        else
            for (size_t j = 0; j < r->classes->n; j++)
                if (r->classes->value[j] == p)
                    cls[i] = (int)j;
    }
    if (r->model->kind != VALUE_MLP)
        tensor_delete(pred);
    mlp_pass_free(&pass);
    tensor_delete(X);
    return ok;
}

bool chart_scatter(Interp *in, Args *a, Value *out, Error *e)
{
    (void)out;
    int width = chart_width(in);
    PlotOptions o;
    if (!common_options(in, a, &o, width / 4 < 8 ? 8 : width / 4 > 22 ? 22 : width / 4, e))
        return false;
    char d[64];
    const Tensor *X = a->arg[0].v->kind == VALUE_TENSOR ? a->arg[0].v->as.tensor : NULL;
    if (!X || tensor_size(X) == 0)
        return args_error(a, 0, e, ERROR_TYPE, "give the points as a matrix of two columns (x, y), or as two "
                          "vectors, not %s", value_describe(a->arg[0].v, d, sizeof d));
    const double *px, *py;
    size_t n, stride, labels_at;
    bool bias = false;
    double third = 1;
    if (X->ndim == 2 && X->rows > 0 && X->cols >= 2) {
        if (X->cols == 3) {
            bias = true;
            third = X->data[2];
            for (size_t r = 0; r < X->rows; r++)
                bias = bias && X->data[r * 3 + 2] == third;
        }
        if (X->cols != 2 && !bias)
            return args_error(a, 0, e, ERROR_SHAPE, "X has %zu columns; a scatter chart draws two (the first "
                              "two: X[:, :2])", X->cols);
        if (a->n > 2)
            return args_error(a, 2, e, ERROR_ARG, "scatter(X, labels) takes the points and their classes");
        px = X->data;
        py = X->data + 1;
        n = X->rows;
        stride = X->cols;
        labels_at = 1;
    } else {
        const Tensor *Y = a->n > 1 && a->arg[1].v->kind == VALUE_TENSOR ? a->arg[1].v->as.tensor : NULL;
        if (!Y)
            return args_error(a, a->n > 1 ? 1 : -1, e, ERROR_ARG, "with a vector of x, give a vector of y too: "
                              "scatter(x, y) or scatter(x, y, labels)");
        if (tensor_size(Y) != tensor_size(X))
            return args_error(a, 1, e, ERROR_SHAPE, "%zu x values but %zu y values", tensor_size(X), tensor_size(Y));
        px = X->data;
        py = Y->data;
        n = tensor_size(X);
        stride = 1;
        labels_at = 2;
    }
    double *xs = mem_calloc(n, sizeof *xs), *ys = mem_calloc(n, sizeof *ys);
    int *cls = mem_calloc(n, sizeof *cls);
    bool ok = xs && ys && cls;
    if (!ok)
        error_nomem(e, "scatter");
    for (size_t i = 0; ok && i < n; i++) {
        xs[i] = px[i * stride];
        ys[i] = py[i * stride];
    }
    Classes k;
    memset(&k, 0, sizeof k);
    if (ok && a->n > labels_at) {
        ok = classify(a, (int)labels_at, n, cls, &k, e);
        o.legend = true;
    } else {
        k.n = 1;
    }
    const Value *names = args_kw(a, "classes");
    if (ok && names) {
        if ((names->kind != VALUE_LIST && names->kind != VALUE_TUPLE) || names->as.list->n != k.n)
            ok = args_kw_error(a, "classes", e, "classes= must be a list of %zu names, one per class in ascending order", k.n);
        for (size_t j = 0; ok && j < k.n; j++) {
            if (names->as.list->items[j].kind != VALUE_STRING)
                ok = args_kw_error(a, "classes", e, "classes= must hold strings (name %zu is not one)", j);
            else
                snprintf(k.name[j], sizeof k.name[j], "%s", value_str(&names->as.list->items[j]));
        }
    } else {
        for (size_t j = 0; j < k.n; j++)
            snprintf(k.name[j], sizeof k.name[j], "%g", k.value[j]);
    }
    for (size_t j = 0; j < k.n; j++)
        k.names[j] = k.name[j];
    Region reg = { args_kw(a, "model"), &k, 2, third };
    if (ok && reg.model) {
        size_t inputs = reg.model->kind == VALUE_MLP          ? reg.model->as.mlp->n_in
                        : reg.model->kind == VALUE_PERCEPTRON ? tensor_size(reg.model->as.perceptron->w)
                                                              : 0;
        if (!inputs)
            ok = args_kw_error(a, "model", e, "model= must be a net or a perceptron, not %s",
                         value_describe(reg.model, d, sizeof d));
        else if (inputs != 2 && inputs != 3)
            ok = args_kw_error(a, "model", e, "the model takes %zu inputs; a scatter chart can shade a model of 2 (or 3 "
                         "with a bias column)", inputs);
        else if (a->n <= labels_at)
            ok = args_kw_error(a, "model", e, "model= shades the plane by class: give the labels too, scatter(X, y, "
                         "model=net)");
        reg.inputs = inputs;
        if (inputs == 3 && !bias)
            reg.third = 1;
    }
    if (ok) {
        PlotPoints p = { xs, ys, cls, n, k.n, k.names };
        char *text = plot_scatter(&p, &o, reg.model ? region_classes : NULL, &reg, e);
        ok = text != NULL;
        if (ok)
            interp_write(in, text);
        mem_free(text);
    }
    mem_free(xs);
    mem_free(ys);
    mem_free(cls);
    return ok;
}
