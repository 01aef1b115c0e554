/* builtins.c - every built-in function, one table row each. */
#include "nudge/builtins.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nudge/activation.h"
#include "nudge/chart.h"
#include "nudge/clock.h"
#include "nudge/csv.h"
#include "nudge/gradcheck.h"
#include "nudge/graph.h"
#include "nudge/loss.h"
#include "nudge/mem.h"
#include "nudge/summary.h"
#include "nudge/text.h"
#include "derivs.h"
#include "state.h"

/* numpy.c: numpy's reductions, dot, outer and transpose, which nudge's
 * functions of the same names share.  kind: 0 sum, 1 mean, 2 max, 3 min,
 * 4 argmax (numpy.c's enum Red). */
bool numpy_reduce(const Args *a, int kind, const Value *x, Value *out, Error *e);
bool numpy_dot(Interp *in, const Args *a, Value *out, Error *e);
bool numpy_outer(const Args *a, Value *out, Error *e);
bool numpy_transpose(const Args *a, Value *out, Error *e);
bool numpy_maximum(const Args *a, bool largest, Value *out, Error *e);
enum { NP_SUM, NP_MEAN, NP_MAX, NP_MIN, NP_ARGMAX };

/* --- argument helpers ---------------------------------------------------- */

void args_error_set(const Args *a, int i, Error *e, ErrorCode code, const char *fmt, ...)
{
    if (!e)
        return;
    char msg[ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    error_set_in(e, code, a->name, "%s", msg);
    e->arg = i;
    e->col = i >= 0 && (size_t)i < a->n && a->arg[i].col > 0 ? a->arg[i].col : a->col;
}

bool builtin_named_as_itself(const Builtin *b)
{
    return builtin_lookup(b->name, strlen(b->name)) == b;
}

Value *args_kw(const Args *a, const char *name)
{
    for (size_t i = 0; i < a->nkw; i++)
        if (!strcmp(a->kw[i].name, name))
            return (Value *)&a->kw[i].v;
    return NULL;
}


bool args_kw_error(const Args *a, const char *name, Error *e, const char *fmt, ...)
{
    if (!e)
        return false;
    char msg[ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    error_set_in(e, ERROR_ARG, a->name, "%s", msg);     /* a string in the message shown escaped */
    error_at_param(e, name);
    e->col = a->col;
    for (size_t i = 0; i < a->nkw; i++)
        if (!strcmp(a->kw[i].name, name))
            e->col = a->kw[i].col;
    return false;
}

/* fmt names the option (%s) and then the detail (%s). */
static bool kw_error(const Args *a, const char *name, Error *e, const char *fmt, const char *detail)
{
    char msg[ERROR_MSG_MAX];
    snprintf(msg, sizeof msg, fmt, name, detail);
    return args_kw_error(a, name, e, "%s", msg);
}

static const char *ordinal(int i)
{
    static const char *const words[] = { "first", "second", "third", "fourth", "fifth", "sixth" };
    return i >= 0 && i < 6 ? words[i] : "next";
}

static bool want_tensor(const Args *a, int i, const Tensor **t, Error *e)
{
    const Value *v = a->arg[i].v;
    if (v->kind == VALUE_TENSOR) {
        *t = v->as.tensor;
        return true;
    }
    char d[64];
    return args_error(a, i, e, ERROR_TYPE, "the %s argument must be a vector or matrix, not %s", ordinal(i),
                      value_describe(v, d, sizeof d));
}

static bool want_number(const Args *a, int i, double *x, Error *e)
{
    *x = 0.0;   /* also on failure, so that no caller reads an unset value */
    const Value *v = a->arg[i].v;
    if (v->kind == VALUE_NUMBER) {
        *x = v->as.number;
        return true;
    }
    if (v->kind == VALUE_TENSOR && tensor_size(v->as.tensor) == 1) {
        *x = v->as.tensor->data[0];
        return true;
    }
    char d[64];
    return args_error(a, i, e, ERROR_TYPE, "the %s argument must be a number, not %s", ordinal(i),
                      value_describe(v, d, sizeof d));
}

/* A whole number in [lo, hi], for sizes and counts. */
static bool want_count(const Args *a, int i, double lo, double hi, size_t *out, Error *e)
{
    double x = 0;
    if (!want_number(a, i, &x, e))
        return false;
    if (x != floor(x) || !(x >= lo && x <= hi))
        return args_error(a, i, e, ERROR_ARG, "%g must be a whole number from %g to %g", x, lo, hi);
    *out = (size_t)x;
    return true;
}

static bool kw_number(const Args *a, const char *name, double *x, Error *e)
{
    const Value *v = args_kw(a, name);
    if (!v)
        return true;
    if (value_is_scalar(v)) {
        *x = value_to_double(v);
        return true;
    }
    char d[64];
    return kw_error(a, name, e, "%s= must be a number, not %s", value_describe(v, d, sizeof d));
}

static bool kw_count(const Args *a, const char *name, double lo, double hi, size_t *out, Error *e)
{
    if (!args_kw(a, name))
        return true;        /* *out keeps its default */
    double x = (double)*out;
    if (!kw_number(a, name, &x, e))
        return false;
    if (x != floor(x) || !(x >= lo && x <= hi)) {
        char detail[96];
        snprintf(detail, sizeof detail, "%g, not a whole number from %g to %g", x, lo, hi);
        return kw_error(a, name, e, "%s= is %s", detail);
    }
    *out = (size_t)x;
    return true;
}

static bool kw_string(const Args *a, const char *name, const char **s, Error *e)
{
    const Value *v = args_kw(a, name);
    if (!v)
        return true;
    if (v->kind == VALUE_STRING) {
        *s = value_str(v);
        return true;
    }
    char d[64];
    return kw_error(a, name, e, "%s= must be a string in quotes, not %s", value_describe(v, d, sizeof d));
}

static bool set_tensor(Value *out, Tensor *t)
{
    if (!t)
        return false;
    *out = value_tensor(t);
    return true;
}

static bool set_show(Args *a, Text *t, Error *e)
{
    char *s = text_finish(t, e);
    if (!s)
        return false;
    mem_free(a->show);
    a->show = s;
    return true;
}

/* --- element-wise functions ---------------------------------------------- */

/* Like want_tensor, for functions that take a number as well. */
static bool want_numeric(const Args *a, int i, const Tensor **t, Error *e)
{
    const Value *v = a->arg[i].v;
    if (v->kind == VALUE_TENSOR) {
        *t = v->as.tensor;
        return true;
    }
    char d[64];
    return args_error(a, i, e, ERROR_TYPE, "the %s argument must be a number, vector or matrix, not %s",
                      ordinal(i), value_describe(v, d, sizeof d));
}

static bool map1(Args *a, TensorFn f, Value *out, Error *e)
{
    const Value *v = a->arg[0].v;
    if (v->kind == VALUE_NUMBER) {
        *out = value_number(f(v->as.number));
        return true;
    }
    const Tensor *t = NULL;
    if (!want_numeric(a, 0, &t, e))
        return false;
    return set_tensor(out, tensor_map(t, f, e));
}


static bool b_sqrt(Interp *in, Args *a, Value *out, Error *e) { (void)in; return map1(a, sqrt, out, e); }
static bool b_exp(Interp *in, Args *a, Value *out, Error *e) { (void)in; return map1(a, exp, out, e); }
static bool b_log(Interp *in, Args *a, Value *out, Error *e) { (void)in; return map1(a, log, out, e); }
static bool b_step(Interp *in, Args *a, Value *out, Error *e) { (void)in; return map1(a, act_step, out, e); }
static bool b_sigmoid(Interp *in, Args *a, Value *out, Error *e) { (void)in; return map1(a, act_sigmoid, out, e); }
static bool b_dsigmoid(Interp *in, Args *a, Value *out, Error *e) { (void)in; return map1(a, act_dsigmoid, out, e); }
/* numpy's maximum(0, z): NaN stays NaN, and -0 stays -0 (of equal zeros
 * numpy keeps the second). */
static double relu_np(double z) { return 0.0 > z ? 0.0 : z; }
static bool b_relu(Interp *in, Args *a, Value *out, Error *e) { (void)in; return map1(a, relu_np, out, e); }
static bool b_drelu(Interp *in, Args *a, Value *out, Error *e) { (void)in; return map1(a, act_drelu, out, e); }
static bool b_tanh(Interp *in, Args *a, Value *out, Error *e) { (void)in; return map1(a, act_tanh, out, e); }
static bool b_cos(Interp *in, Args *a, Value *out, Error *e) { (void)in; return map1(a, cos, out, e); }
static bool b_sin(Interp *in, Args *a, Value *out, Error *e) { (void)in; return map1(a, sin, out, e); }

static double f_radians(double d) { return d * (3.14159265358979323846 / 180.0); }
static bool b_radians(Interp *in, Args *a, Value *out, Error *e) { (void)in; return map1(a, f_radians, out, e); }

/* --- chapter 1 ------------------------------------------------------------ */

/* numpy's dot on floats: vectors give a number, a matrix and a vector a
 * vector, matrices their product, a number scales. */
static bool b_dot(Interp *in, Args *a, Value *out, Error *e)
{
    return numpy_dot(in, a, out, e);
}

static bool b_norm(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    if (a->arg[0].v->kind == VALUE_NUMBER) {
        *out = value_number(fabs(a->arg[0].v->as.number));
        return true;
    }
    const Tensor *x = NULL;
    if (!want_numeric(a, 0, &x, e))
        return false;
    *out = value_number(tensor_norm(x));
    return true;
}

static bool b_angle(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Tensor *x = NULL, *y = NULL;
    if (!want_tensor(a, 0, &x, e) || !want_tensor(a, 1, &y, e))
        return false;
    double deg;
    if (!tensor_angle(x, y, &deg, e))
        return false;
    *out = value_number(deg);
    return true;
}

static bool b_outer(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    return numpy_outer(a, out, e);
}

static bool b_transpose(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    return numpy_transpose(a, out, e);
}

/* axis= came through builtin_normalize as a float: numpy wants an int. */
static void axis_as_int(Args *a)
{
    Value *ax = args_kw(a, "axis");
    if (ax && ax->kind == VALUE_NUMBER && ax->as.number == floor(ax->as.number) && fabs(ax->as.number) < 1e9)
        *ax = value_int((long long)ax->as.number);
}

/* numpy's reduction of the first argument, with axis= and keepdims=. */
static bool np_reduction(Args *a, int kind, Value *out, Error *e)
{
    axis_as_int(a);
    return numpy_reduce(a, kind, a->arg[0].v, out, e);
}

static bool b_mean(Interp *in, Args *a, Value *out, Error *e) { (void)in; return np_reduction(a, NP_MEAN, out, e); }

static bool b_shape(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Value *v = a->arg[0].v;
    if (!value_list(out, VALUE_TUPLE, 2, e))
        return false;
    if (v->kind == VALUE_NUMBER)
        return true;
    const Tensor *x = NULL;
    if (!want_numeric(a, 0, &x, e)) {
        value_free(out);
        return false;
    }
    if (x->ndim == 2)
        list_push(out, value_int((long long)x->rows), e);
    list_push(out, value_int((long long)x->cols), e);
    return true;
}

/* zeros(n) is a vector, zeros(r, c) a matrix, as numpy's zeros(n) and
 * zeros((r, c)). */
static bool sized(Args *a, double fill, Value *out, Error *e)
{
    size_t r = 0, c = 0;
    if (!want_count(a, 0, 0, 1e9, &r, e))
        return false;
    if (a->n == 1) {
        Tensor *t = tensor_vector(r, e);
        if (t)
            for (size_t i = 0; i < r; i++)
                t->data[i] = fill;
        return set_tensor(out, t) || args_error(a, 0, e, e->code, "%s", error_facts(e));
    }
    if (!want_count(a, 1, 0, 1e9, &c, e))
        return false;
    Tensor *t = tensor_matrix(r, c, e);
    if (t)
        for (size_t i = 0; i < r * c; i++)
            t->data[i] = fill;
    return set_tensor(out, t) || args_error(a, 0, e, e->code, "%s", error_facts(e));
}

static bool b_zeros(Interp *in, Args *a, Value *out, Error *e) { (void)in; return sized(a, 0.0, out, e); }
static bool b_ones(Interp *in, Args *a, Value *out, Error *e) { (void)in; return sized(a, 1.0, out, e); }

static bool b_eye(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    size_t n;
    if (!want_count(a, 0, 0, 4096, &n, e))
        return false;
    return set_tensor(out, tensor_eye(n, e));
}

static bool b_rand(Interp *in, Args *a, Value *out, Error *e)
{
    if (a->n == 0) {
        *out = value_number(rng_random(&in->rng));
        return true;
    }
    if (!sized(a, 0.0, out, e))
        return false;
    Tensor *t = out->as.tensor;
    for (size_t i = 0; i < tensor_size(t); i++)
        t->data[i] = rng_random(&in->rng);
    return true;
}

static bool b_seed(Interp *in, Args *a, Value *out, Error *e)
{
    (void)out;
    double s;
    if (!want_number(a, 0, &s, e))
        return false;
    Rng r;
    if (!rng_seed(&r, s, NULL))
        return args_error(a, 0, e, ERROR_ARG, "%g is not a whole number from 0 to 4294967295", s);
    in->rng = r;
    return true;
}

static bool b_argmax(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    return np_reduction(a, NP_ARGMAX, out, e);
}

/* --- chapter 6 and the losses -------------------------------------------- */

static bool b_softmax(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    if (a->arg[0].v->kind == VALUE_NUMBER) {
        /* one score: exp(z - z) / exp(z - z), so 1 (NaN for NaN or an infinity) */
        double z = a->arg[0].v->as.number;
        *out = value_number(exp(z - z) / exp(z - z));
        return true;
    }
    const Tensor *z = NULL;
    if (!want_tensor(a, 0, &z, e))
        return false;
    return set_tensor(out, act_softmax(z, e));
}

typedef bool (*LossFn)(const Tensor *, const Tensor *, double *, Error *);

static bool loss2(Args *a, LossFn f, Value *out, Error *e)
{
    if (a->arg[0].v->kind == VALUE_NUMBER && a->arg[1].v->kind == VALUE_NUMBER) {
        Tensor x = { .ndim = 1, .rows = 1, .cols = 1, .data = &a->arg[0].v->as.number, .refs = 1 },
               y = { .ndim = 1, .rows = 1, .cols = 1, .data = &a->arg[1].v->as.number, .refs = 1 };
        double r;
        if (!f(&x, &y, &r, e))
            return false;
        *out = value_number(r);
        return true;
    }
    const Tensor *p = NULL, *y = NULL;
    if (!want_tensor(a, 0, &p, e) || !want_tensor(a, 1, &y, e))
        return false;
    double r;
    if (!f(p, y, &r, e)) {
        e->col = a->arg[1].col;
        return false;
    }
    *out = value_number(r);
    return true;
}

static bool b_mse(Interp *in, Args *a, Value *out, Error *e) { (void)in; return loss2(a, loss_mse, out, e); }
static bool b_cross_entropy(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    return loss2(a, loss_cross_entropy, out, e);
}

/* --- numerical derivatives ------------------------------------------------ */

typedef struct FnCtx {
    Interp *in;
    const Value *fn;
    const Arg *extra;       /* the arguments after the function and x */
    size_t nextra;
    bool scalar_x;      /* x was a number: pass numbers, not 1-vectors */
} FnCtx;

static bool call_at(FnCtx *c, const Tensor *x, Value *out, Error *e)
{
    Value xv = c->scalar_x ? value_number(x->data[0]) : value_tensor((Tensor *)x);
    Value *args[8];
    args[0] = &xv;
    for (size_t i = 0; i < c->nextra; i++)
        args[i + 1] = c->extra[i].v;
    return interp_call(c->in, c->fn, args, c->nextra + 1, out, e);
}

static bool scalar_at(void *ctx, const Tensor *x, double *out, Error *e)
{
    Value r;
    if (!call_at(ctx, x, &r, e))
        return false;
    bool ok = true;
    if (r.kind == VALUE_NUMBER)
        *out = r.as.number;
    else if (r.kind == VALUE_TENSOR && tensor_size(r.as.tensor) == 1)
        *out = r.as.tensor->data[0];
    else {
        char d[64];
        ok = error_set_in(e, ERROR_TYPE, "numgrad", "the function must give a number, not %s",
                       value_describe(&r, d, sizeof d));
    }
    value_free(&r);
    return ok;
}

static Tensor *vector_at(void *ctx, const Tensor *x, Error *e)
{
    Value r;
    if (!call_at(ctx, x, &r, e))
        return NULL;
    if (r.kind == VALUE_NUMBER) {
        Tensor *t = tensor_from(1, 1, 1, &r.as.number, e);
        value_free(&r);
        return t;
    }
    if (r.kind == VALUE_TENSOR) {
        Tensor *t = r.as.tensor;
        r.as.tensor = NULL;     /* keep the numbers, drop their history */
        r.kind = VALUE_NONE;
        value_free(&r);
        return t;
    }
    char d[64];
    error_set_in(e, ERROR_TYPE, "jacobian", "the function must give numbers, not %s", value_describe(&r, d, sizeof d));
    value_free(&r);
    return NULL;
}

static bool fn_ctx(Interp *in, Args *a, const char *who, FnCtx *c, Tensor *xbuf, const Tensor **x, Error *e)
{
    const Value *f = a->arg[0].v;
    if (f->kind != VALUE_BUILTIN && f->kind != VALUE_FUNCTION && f->kind != VALUE_METHOD) {
        char d[64];
        return args_error(a, 0, e, ERROR_TYPE, "the first argument must be a function such as sigmoid or @(z) sum(z**2), not %s%s",
                          value_describe(f, d, sizeof d), strcmp(who, "numgrad") ? "" : " (or a model: numgrad(net, X, y, \"W1\"))");
    }
    c->in = in;
    c->fn = f;
    c->extra = a->arg + 2;
    c->nextra = a->n - 2;
    c->scalar_x = a->arg[1].v->kind == VALUE_NUMBER;
    if (c->scalar_x) {
        xbuf->ndim = 1;
        xbuf->rows = xbuf->cols = 1;
        xbuf->data = &a->arg[1].v->as.number;
        *x = xbuf;
        return true;
    }
    return want_numeric(a, 1, x, e);
}

static bool b_numgrad(Interp *in, Args *a, Value *out, Error *e)
{
    double h = GRADCHECK_STEP;
    if (!kw_number(a, "h", &h, e))
        return false;
    if (a->arg[0].v->kind == VALUE_MLP) {
        const Tensor *X = NULL, *Y = NULL;
        if (a->n != 4 || a->arg[3].v->kind != VALUE_STRING)
            return args_error(a, -1, e, ERROR_ARG, "for a net, use numgrad(net, X, y, \"W1\") (or \"W2\", \"b1\", \"b2\")");
        if (!want_tensor(a, 1, &X, e) || !want_tensor(a, 2, &Y, e))
            return false;
        const Mlp *net = a->arg[0].v->as.mlp;
        MlpParam w;
        bool known = mlp_param_parse(value_str(a->arg[3].v), &w);
        if (known && mlp_param(net, w))
            return set_tensor(out, gradcheck_mlp(net, X, Y, w, h, e));
        if (known && !mlp_param_is_weight(w) && !net->bias && mlp_param_layer(w) < net->n_layers)
            return args_error(a, 3, e, ERROR_NAME, "this net has no %s (make it with bias=1)", value_str(a->arg[3].v));
        /* "W1", "W2", "b1" or "b2": the names this net has. */
        char names[MLP_PARAM_END * 8] = "";
        size_t used = 0, count = 0, total = net->n_layers * (net->bias ? 2 : 1);
        for (size_t i = 0; i < total && used < sizeof names; i++) {
            size_t k = i % net->n_layers;
            MlpParam p = i < net->n_layers ? mlp_weight_param(k) : mlp_bias_param(k);
            count++;
            int n = snprintf(names + used, sizeof names - used, "%s\"%s\"", count == 1 ? "" : count == total ? " or " : ", ",
                             mlp_param_name(p));
            used += n > 0 ? (size_t)n : 0;
        }
        if (known)
            return args_error(a, 3, e, ERROR_NAME, "this net has no %s; use %s", value_str(a->arg[3].v), names);
        return args_error(a, 3, e, ERROR_ARG, "\"%s\" is not a parameter; use %s", value_str(a->arg[3].v), names);
    }
    FnCtx c;
    Tensor xbuf;
    const Tensor *x = NULL;
    if (!fn_ctx(in, a, "numgrad", &c, &xbuf, &x, e))
        return false;
    Tensor *g = gradcheck_gradient(scalar_at, &c, x, h, e);
    if (!g)
        return false;
    if (c.scalar_x) {
        *out = value_number(g->data[0]);
        tensor_delete(g);
        return true;
    }
    return set_tensor(out, g);
}

static bool b_jacobian(Interp *in, Args *a, Value *out, Error *e)
{
    double h = GRADCHECK_STEP;
    if (!kw_number(a, "h", &h, e))
        return false;
    FnCtx c;
    Tensor xbuf;
    const Tensor *x = NULL;
    if (!fn_ctx(in, a, "jacobian", &c, &xbuf, &x, e))
        return false;
    return set_tensor(out, gradcheck_jacobian(vector_at, &c, x, h, e));
}

/* --- computation graphs ----------------------------------------------------- */

static bool b_grad(Interp *in, Args *a, Value *out, Error *e)
{
    const Value *f = a->arg[0].v;
    const char *fname = a->arg[0].name ? a->arg[0].name : "the first argument";
    if (f->kind != VALUE_NUMBER && !(f->kind == VALUE_TENSOR && tensor_size(f->as.tensor) == 1)) {
        char d[64];
        return args_error(a, 0, e, ERROR_TYPE, "%s is %s; grad needs a single number such as a cost", fname,
                          value_describe(f, d, sizeof d));
    }
    if (!f->graph || (f->graph->op == GRAPH_LEAF && !f->graph->nin && a->arg[0].name && f->graph->name
                      && !strcmp(f->graph->name, a->arg[0].name)))
        return args_error(a, 0, e, ERROR_ARG, "%s has no history: it was typed in, not computed from variables; "
                                              "compute it (L = (x*w1 + b1)*w2 + b2) and ask again", fname);
    if (!a->arg[1].name)
        return args_error(a, 1, e, ERROR_ARG, "the second argument must be a variable's name, as in grad(L, w1)");
    Tensor *g = graph_grad(f->graph, fname, a->arg[1].name, interp_version(in, a->arg[1].name), e);
    if (!g)
        return args_error(a, e->arg == 0 ? 0 : 1, e, e->code, "%s", error_facts(e));
    const Value *v = a->arg[1].v;
    if (v->kind == VALUE_NUMBER) {
        *out = value_number(g->data[0]);
        tensor_delete(g);
        return true;
    }
    return set_tensor(out, g);
}

/* --- models ---------------------------------------------------------------- */

static bool b_perceptron(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    double lr = 0.1;
    if (!kw_number(a, "lr", &lr, e))
        return false;
    const Value *wv = args_kw(a, "w");
    if (wv && a->n > 0)
        return args_error(a, 0, e, ERROR_ARG, "give the weights once: perceptron([0, 0, 0]) or perceptron(w=[0, 0, 0])");
    Tensor *own = NULL;
    const Tensor *w = NULL;
    if (wv) {
        if (wv->kind != VALUE_TENSOR) {
            char d[64];
            return kw_error(a, "w", e, "%s= must be a vector of weights, not %s", value_describe(wv, d, sizeof d));
        }
        w = wv->as.tensor;
    } else if (a->n == 1 && a->arg[0].v->kind == VALUE_NUMBER) {
        size_t n;
        if (!want_count(a, 0, 1, 1e6, &n, e))
            return false;
        if (!(own = tensor_vector(n, e)))
            return false;
        w = own;
    } else if (a->n == 1) {
        if (!want_tensor(a, 0, &w, e))
            return false;
    } else {
        return args_error(a, -1, e, ERROR_ARG, "give the starting weights: perceptron(w=[0, 0, 0], lr=0.1), "
                                               "or the number of inputs: perceptron(3)");
    }
    if (!value_perceptron(out, e)) {
        tensor_delete(own);
        return false;
    }
    bool ok = perceptron_init(out->as.perceptron, w, lr, e);
    tensor_delete(own);
    if (!ok)
        value_free(out);
    return ok;
}

static bool b_mlp(Interp *in, Args *a, Value *out, Error *e)
{
    size_t sizes[MLP_MAX_LAYERS + 1];
    for (size_t i = 0; i < a->n; i++)
        if (!want_count(a, (int)i, 1, 100000, &sizes[i], e))
            return false;
    const char *output = "sigmoid", *hidden = "sigmoid", *loss = NULL;
    double bias = 0;
    if (!kw_string(a, "output", &output, e) || !kw_string(a, "hidden", &hidden, e) || !kw_string(a, "loss", &loss, e)
        || !kw_number(a, "bias", &bias, e))
        return false;
    MlpAct out_act, hid_act;
    if (!mlp_act_parse(output, &out_act) || (out_act != MLP_SIGMOID && out_act != MLP_SOFTMAX && out_act != MLP_LINEAR))
        return kw_error(a, "output", e, "%s= is \"%s\"; use \"sigmoid\", \"softmax\" or \"linear\"", output);
    if (!mlp_act_parse(hidden, &hid_act) || hid_act == MLP_SOFTMAX)
        return kw_error(a, "hidden", e, "%s= is \"%s\"; use \"sigmoid\", \"tanh\", \"relu\" or \"linear\"", hidden);
    if (loss && strcmp(loss, out_act == MLP_SOFTMAX ? "ce" : "mse"))
        return kw_error(a, "loss", e, "%s= \"%s\" does not fit this output: a sigmoid or linear output trains on "
                                      "\"mse\", a softmax output on \"ce\" (cross-entropy)", loss);
    size_t layers = a->n - 1;
    Rng local;
    Rng *rng = &in->rng;
    bool all_given = true;
    for (size_t k = 0; k < layers; k++)
        all_given = all_given && args_kw(a, mlp_param_name(mlp_weight_param(k)));
    if (all_given) {
        rng_init(&local, 0);    /* weights given (as save writes them): leave numpy's state alone */
        rng = &local;
    }
    const Value *seed = args_kw(a, "seed");
    if (seed) {
        double s = -1;
        if (!kw_number(a, "seed", &s, e))
            return false;
        if (!rng_seed(&local, s, NULL))
            return kw_error(a, "seed", e, "%s= must be a whole number from 0 to 4294967295%s", "");
        rng = &local;
    }
    if (!value_mlp(out, e))
        return false;
    Mlp *m = out->as.mlp;
    /* Draw into a copy of the generator so that a failure leaves numpy's
     * global state untouched. */
    Rng draw = *rng;
    if (!mlp_create(m, layers, sizes, hid_act, out_act, bias != 0, &draw, e)) {
        value_free(out);
        return args_error(a, -1, e, e->code, "%s", error_facts(e));
    }
    /* Weights given by name (this is how `save` writes a net). */
    for (int w = 0; w < MLP_PARAM_END; w++) {
        const char *name = mlp_param_name((MlpParam)w);
        const Value *v = args_kw(a, name);
        if (!v)
            continue;
        if (v->kind != VALUE_TENSOR || !mlp_set_param(m, (MlpParam)w, v->as.tensor, e)) {
            char msg[ERROR_MSG_MAX];
            /* "W1: the net needs shape ..." reads "W1= does not fit: the net ...". */
            const char *why = v->kind == VALUE_TENSOR ? error_facts(e) : "it must be a matrix";
            size_t len = strlen(name);
            if (!strncmp(why, name, len) && why[len] == ':')
                why += len + 2;
            snprintf(msg, sizeof msg, "%s", why);
            value_free(out);
            return kw_error(a, name, e, "%s= does not fit: %s", msg);
        }
    }
    *rng = draw;
    return true;
}

static bool want_model(const Args *a, Error *e)
{
    ValueKind k = a->arg[0].v->kind;
    if (k == VALUE_PERCEPTRON || k == VALUE_MLP)
        return true;
    char d[64];
    return args_error(a, 0, e, ERROR_TYPE, "the first argument must be a model (made with perceptron(...) or "
                                           "mlp(...)), not %s", value_describe(a->arg[0].v, d, sizeof d));
}

static void put_inline(Text *t, const Tensor *x, FormatMode mode)
{
    Error e;
    char *s = format_inline(x, mode, &e);
    if (!s) {
        t->failed = true;
        return;
    }
    text_puts(t, s);
    mem_free(s);
}

static const char *num(double x, FormatMode mode, char *buf)
{
    return format_inline_number(x, mode, buf, FORMAT_NUMBER_MAX);
}

/* learn(p, x, y): one perceptron update, explained with the numbers in. */
static bool learn_perceptron(Interp *in, Args *a, Perceptron *p, Error *e)
{
    const Tensor *x = NULL;
    double y;
    if (!want_tensor(a, 1, &x, e) || !want_number(a, 2, &y, e))
        return false;
    double lr = p->lr;
    if (!kw_number(a, "lr", &lr, e))
        return false;
    Perceptron work;
    if (!perceptron_copy(&work, p, e))
        return false;
    work.lr = lr;
    PerceptronTrace tr;
    perceptron_trace_init(&tr);
    if (!perceptron_learn(&work, x, y, &tr, e)) {
        perceptron_free(&work);
        return args_error(a, e->arg == 2 ? 2 : 1, e, e->code, "%s", error_facts(e));
    }
    FormatMode m = in->format;
    char b1[FORMAT_NUMBER_MAX], b2[FORMAT_NUMBER_MAX], b3[FORMAT_NUMBER_MAX];
    Text t = {0};
    size_t n = tensor_size(p->w);
    text_puts(&t, "w·x = ");
    if (n <= 4) {
        /* Negative factors in parentheses: 0.5·1 + (-1.5)·1. */
        for (size_t i = 0; i < n; i++)
            text_printf(&t, "%s%s%s%s·%s%s%s", i ? " + " : "", p->w->data[i] < 0 ? "(" : "",
                        num(p->w->data[i], m, b1), p->w->data[i] < 0 ? ")" : "", x->data[i] < 0 ? "(" : "",
                        num(x->data[i], m, b2), x->data[i] < 0 ? ")" : "");
        text_puts(&t, " = ");
    }
    text_printf(&t, "%s\n", num(tr.wx, m, b1));
    if (y < 0)
        text_printf(&t, "ŷ = step(%s) = %s, target y = -1 (the negative class, read as 0)\n", num(tr.wx, m, b1),
                    num(tr.prediction, m, b2));
    else
        text_printf(&t, "ŷ = step(%s) = %s, target y = %s\n", num(tr.wx, m, b1), num(tr.prediction, m, b2),
                    num(tr.target, m, b3));
    if (tr.error == 0) {
        text_printf(&t, "error = y - ŷ = 0: the prediction is right, so w stays ");
        put_inline(&t, tr.w, m);
        text_puts(&t, "\n");
    } else {
        text_printf(&t, "error = y - ŷ = %s  (a false %s: w turns %s x)\n", tr.error > 0 ? "+1" : "-1",
                    tr.error > 0 ? "negative" : "positive", tr.error > 0 ? "toward" : "away from");
        text_printf(&t, lr < 0 ? "Δw = lr·error·x = (%s)·(%s)·" : "Δw = lr·error·x = %s·(%s)·", num(lr, m, b1),
                    tr.error > 0 ? "+1" : "-1");
        put_inline(&t, x, m);
        text_puts(&t, " = ");
        put_inline(&t, tr.dw, m);
        text_puts(&t, "\nw ← w + Δw = ");
        put_inline(&t, tr.w, m);
        text_puts(&t, "\n");
    }
    perceptron_trace_free(&tr);
    if (!set_show(a, &t, e)) {
        perceptron_free(&work);
        return false;
    }
    /* Commit: the variable's weights become the new ones (lr is kept). */
    memcpy(p->w->data, work.w->data, n * sizeof(double));
    perceptron_free(&work);
    return true;
}

static bool want_data(const Args *a, const Mlp *m, const Tensor **X, const Tensor **Y, Error *e)
{
    if (!want_tensor(a, 1, X, e) || (Y && !want_tensor(a, 2, Y, e)))
        return false;
    if (Y ? mlp_check_data(m, *X, *Y, a->name, e) : (*X)->cols == m->n_in)
        return true;
    if (!Y) {
        char s[48];
        return args_error(a, 1, e, ERROR_SHAPE, "the input has shape %s but the net takes %zu values per row",
                          tensor_shape_str(*X, s, sizeof s), m->n_in);
    }
    e->col = e->arg == 2 ? a->arg[2].col : a->arg[1].col;
    return false;
}

static void put_matrix_line(Text *t, const char *label, const Tensor *x, FormatMode m, int width)
{
    char s[48];
    text_printf(t, "%s   %s\n", label, tensor_shape_str(x, s, sizeof s));
    Error e;
    char *body = format_tensor(x, m, width, &e);
    if (!body) {
        t->failed = true;
        return;
    }
    text_puts(t, body);
    text_puts(t, "\n");
    mem_free(body);
}

/* learn(net, X, y, lr=1): one step of gradient descent, explained. */
static bool learn_mlp(Interp *in, Args *a, Mlp *net, Error *e)
{
    const Tensor *X = NULL, *Y = NULL;
    double lr = 1;
    if (!want_data(a, net, &X, &Y, e) || !kw_number(a, "lr", &lr, e))
        return false;
    Mlp work;
    if (!mlp_copy(&work, net, e))
        return false;
    MlpPass pass;
    mlp_pass_init(&pass);
    Text t = {0};
    bool ok = mlp_forward(&work, X, &pass, e) && mlp_backward(&work, X, Y, &pass, e);
    size_t L = work.n_layers;
    if (ok) {
        FormatMode m = in->format;
        char b1[FORMAT_NUMBER_MAX], b2[FORMAT_NUMBER_MAX];
        double before = mlp_cost(&work, &pass, Y);
        text_printf(&t, "forward:  a%zu = ", L);
        put_inline(&t, mlp_pass_output(&pass), m);
        text_printf(&t, "   cost %s\n", num(before, m, b1));
        /* From the output layer down, as backpropagation finds them. */
        text_puts(&t, "backward:");
        for (size_t k = L; k-- > 0;)
            text_printf(&t, "%s dC/dW%zu %s", k + 1 == L ? "" : k ? "," : " and", k + 1,
                        tensor_shape_str(pass.dW[k], b2, sizeof b2));
        text_puts(&t, " (see backward(net, X, y))\nstep:    ");
        for (size_t k = L; k-- > 0;)
            text_printf(&t, "%s W%zu ← W%zu - %s·dC/dW%zu", k + 1 == L ? "" : ", ", k + 1, k + 1, num(lr, m, b1),
                        k + 1);
        text_printf(&t, "%s\n", work.bias ? " (and the biases)" : "");
        mlp_step(&work, &pass, lr);
        ok = mlp_forward(&work, X, &pass, e);
        if (ok) {
            double after = mlp_cost(&work, &pass, Y);
            text_printf(&t, "after:    a%zu = ", L);
            put_inline(&t, mlp_pass_output(&pass), m);
            text_printf(&t, "   cost %s (%s)\n", num(after, m, b1), after < before ? "lower" : after > before ? "higher: try a smaller lr" : "unchanged");
        }
    }
    mlp_pass_free(&pass);
    if (ok)
        ok = set_show(a, &t, e);
    else
        text_free(&t);
    if (ok)
        mlp_copy_weights(net, &work);   /* in place: the net keeps its arrays */
    mlp_free(&work);
    return ok;
}

static bool b_learn(Interp *in, Args *a, Value *out, Error *e)
{
    (void)out;
    if (!want_model(a, e))
        return false;
    if (a->n != 3)
        return args_error(a, -1, e, ERROR_ARG, "takes a model, an input and a target: learn(p, x, 1)");
    if (a->arg[0].v->kind == VALUE_PERCEPTRON)
        return learn_perceptron(in, a, a->arg[0].v->as.perceptron, e);
    return learn_mlp(in, a, a->arg[0].v->as.mlp, e);
}

typedef struct TrainCtx {
    Interp *in;
    bool interrupted;
    TrainHistory history;
    Error err;          /* why the history could not grow, when it could not */
    bool failed;
} TrainCtx;

static bool train_hook(void *ctx, const TrainProgress *p)
{
    TrainCtx *c = ctx;
    interp_losses_push(c->in, p->loss);
    if (!train_history_add(&c->history, p, &c->err)) {
        c->failed = true;
        return false;
    }
    if (interp_interrupted(c->in)) {
        c->interrupted = true;
        return false;
    }
    return true;
}

static bool record_series(Value *out, const TrainHistory *h, TrainSeries s, Error *e)
{
    if (!train_history_has(h, s))
        return true;
    Tensor *t = tensor_vector(h->n, e);
    if (!t)
        return false;
    if (h->n)
        memcpy(t->data, h->v[s], h->n * sizeof *t->data);
    if (s == TRAIN_MISTAKES)
        t->dtype = DTYPE_INT64;     /* counts, as numpy would keep them */
    return record_add(out, train_series_name(s), value_tensor(t), e);
}

/* train()'s record, r = train(...): what checking a run needs.  An mlp's
 * has epochs and cost (after the last step), a perceptron's epochs and
 * converged; then, with a history, one value per epoch of each series the
 * run kept (loss, mistakes, accuracy, val_loss, val_accuracy, lr) and the
 * steps; the live view hands back the same history, so `watch r =
 * train(...)` gives this record too. */
static bool train_record(Value *out, bool perceptron, const LiveResult *r, const TrainHistory *h, Error *e)
{
    if (!value_record(out, e) || !record_add(out, "epochs", value_int((long long)r->epochs), e))
        return false;
    bool ok = perceptron ? record_add(out, "converged", value_bool(r->converged), e)
                         : record_add(out, "cost", value_number(r->cost), e);
    if (!h)
        return ok && (!perceptron || record_add(out, "mistakes", value_int((long long)r->mistakes), e));
    static const TrainSeries order[] = { TRAIN_LOSS, TRAIN_MISTAKES, TRAIN_ACCURACY, TRAIN_VAL_LOSS,
                                         TRAIN_VAL_ACCURACY, TRAIN_LR };
    for (size_t i = 0; ok && i < sizeof order / sizeof order[0]; i++)
        ok = record_series(out, h, order[i], e);
    ok = ok && record_add(out, "steps", value_int((long long)h->steps), e);
    return ok && (!perceptron || record_add(out, "updates", value_int((long long)r->updates), e));
}

/* The options a net's training takes beyond epochs and lr. */
static const char *const net_only[] = { "batch", "reduction", "optimizer", "momentum", "alpha", "beta1", "beta2",
                                        "eps", "val_x", "val_y" };

/* train(net, ...)'s options into o; *Xval, *Yval the held-out data or NULL. */
static bool train_options(const Args *a, MlpOptions *o, const Tensor **Xval, const Tensor **Yval, Error *e)
{
    const char *opt = "sgd", *reduction = NULL;
    if (!kw_string(a, "optimizer", &opt, e) || !kw_string(a, "reduction", &reduction, e))
        return false;
    if (!mlp_optimizer_parse(opt, &o->optimizer))
        return kw_error(a, "optimizer", e, "%s= is \"%s\"; use \"sgd\", \"momentum\", \"rmsprop\" or \"adam\"", opt);
    /* Without lr=, each optimiser starts from a step size that suits it:
     * the book's 1 for plain descent, a tenth of that with momentum (whose
     * velocity adds up to about ten gradients), PyTorch's own defaults for
     * RMSprop (0.01) and Adam (0.001). */
    static const double default_lr[] = {
        [MLP_OPT_SGD] = 1.0, [MLP_OPT_MOMENTUM] = 0.1, [MLP_OPT_RMSPROP] = 0.01, [MLP_OPT_ADAM] = 0.001,
    };
    o->lr = default_lr[o->optimizer];
    if (!kw_count(a, "epochs", 0, 1e9, &o->epochs, e) || !kw_number(a, "lr", &o->lr, e)
        || !kw_count(a, "batch", 1, 1e9, &o->batch, e))
        return false;
    o->mean = o->batch != 0;
    if (reduction && !strcmp(reduction, "mean"))
        o->mean = true;
    else if (reduction && !strcmp(reduction, "sum"))
        o->mean = false;
    else if (reduction)
        return kw_error(a, "reduction", e, "%s= is \"%s\"; use \"mean\" (average over the batch) or \"sum\"",
                        reduction);
    /* Each setting and the optimisers that have it. */
    struct { const char *name; double *v; unsigned of; const char *names; } hyper[] = {
        { "momentum", &o->momentum, 1u << MLP_OPT_MOMENTUM, "\"momentum\"" },
        { "alpha", &o->alpha, 1u << MLP_OPT_RMSPROP, "\"rmsprop\"" },
        { "beta1", &o->beta1, 1u << MLP_OPT_ADAM, "\"adam\"" },
        { "beta2", &o->beta2, 1u << MLP_OPT_ADAM, "\"adam\"" },
        { "eps", &o->eps, 1u << MLP_OPT_RMSPROP | 1u << MLP_OPT_ADAM, "\"rmsprop\" and \"adam\"" },
    };
    for (size_t i = 0; i < sizeof hyper / sizeof hyper[0]; i++) {
        if (!args_kw(a, hyper[i].name))
            continue;
        if (!(hyper[i].of & 1u << o->optimizer))
            return kw_error(a, hyper[i].name, e, "%s= is a setting of optimizer=%s; choose one, or leave it out",
                            hyper[i].names);
        if (!kw_number(a, hyper[i].name, hyper[i].v, e))
            return false;
    }
    Error check;
    if (!mlp_options_check(o, "train", &check)) {
        /* The facts start with the option's name ("momentum=1.5 must be ..."),
         * which kw_error writes itself. */
        const char *bad = check.param[0] ? check.param : "lr";
        char msg[ERROR_MSG_MAX];
        snprintf(msg, sizeof msg, "%.300s", error_facts(&check) + strlen(bad));
        return kw_error(a, bad, e, "%s%s", msg);
    }
    const Value *vx = args_kw(a, "val_x"), *vy = args_kw(a, "val_y");
    *Xval = *Yval = NULL;
    if (!vx != !vy)
        return kw_error(a, vx ? "val_x" : "val_y", e, "%s= needs its partner: give the held-out inputs as val_x= "
                                                      "and their targets as val_y=%s", "");
    if (vx) {
        char d[64];
        if (vx->kind != VALUE_TENSOR)
            return kw_error(a, "val_x", e, "%s= must be a matrix of held-out inputs, not %s",
                            value_describe(vx, d, sizeof d));
        if (vy->kind != VALUE_TENSOR)
            return kw_error(a, "val_y", e, "%s= must be the held-out targets, not %s", value_describe(vy, d, sizeof d));
        *Xval = vx->as.tensor;
        *Yval = vy->as.tensor;
    }
    return true;
}

static bool train_perceptron(Interp *in, Args *a, const Tensor *X, const Tensor *Y, double lr, size_t epochs,
                             Value *out, Error *e)
{
    TrainCtx ctx = { .in = in };
    train_history_init(&ctx.history);
    interp_losses_reset(in);
    Text t = {0};
    FormatMode m = in->format;
    Perceptron *p = a->arg[0].v->as.perceptron;
    Perceptron work;
    if (!perceptron_copy(&work, p, e))
        return false;
    work.lr = lr;
    PerceptronReport r;
    if (!perceptron_train(&work, X, Y, epochs, train_hook, &ctx, &r, e)) {
        perceptron_free(&work);
        train_history_free(&ctx.history);
        return args_error(a, e->arg == 2 ? 2 : 1, e, e->code, "%s", error_facts(e));
    }
    if (ctx.failed) {
        perceptron_free(&work);
        train_history_free(&ctx.history);
        if (e)
            *e = ctx.err;
        return false;
    }
    memcpy(p->w->data, work.w->data, tensor_size(p->w) * sizeof(double));
    RunFacts f = { .perceptron = true, .end = ctx.interrupted ? RUN_INTERRUPTED : RUN_FINISHED,
                   .epochs_run = r.epochs_run, .epochs = epochs, .history = &ctx.history,
                   .fresh_line = in->interactive, .converged = r.converged, .updates = r.updates,
                   .last_mistakes = r.last_mistakes, .w = work.w };
    if (!summary_write(&t, &f, m, e)) {
        perceptron_free(&work);
        train_history_free(&ctx.history);
        text_free(&t);
        return false;
    }
    perceptron_free(&work);
    LiveResult res = { .epochs = r.epochs_run, .mistakes = r.last_mistakes, .updates = r.updates,
                       .converged = r.converged };
    bool ok = train_record(out, true, &res, &ctx.history, e);
    train_history_free(&ctx.history);
    if (!ok) {
        text_free(&t);
        return false;
    }
    return set_show(a, &t, e);
}

/* A net's training options, held-out data included, checked against it. */
static bool net_options(Args *a, const Mlp *net, MlpOptions *o, const Tensor **Xval, const Tensor **Yval, Error *e)
{
    mlp_options_init(o);
    if (!train_options(a, o, Xval, Yval, e))
        return false;
    if (*Xval && !mlp_check_data(net, *Xval, *Yval, "train", NULL)) {
        char detail[160], s1[48], s2[48];
        if ((*Xval)->cols != net->n_in) {
            snprintf(detail, sizeof detail, "has shape %s, but the net takes %zu inputs per row",
                     tensor_shape_str(*Xval, s1, sizeof s1), net->n_in);
            return kw_error(a, "val_x", e, "%s= %s", detail);
        }
        snprintf(detail, sizeof detail, "must have shape %s (a row of targets for each row of val_x), not %s",
                 tensor_shape_fmt(2, (*Xval)->rows, net->n_out, s1, sizeof s1),
                 tensor_shape_str(*Yval, s2, sizeof s2));
        return kw_error(a, "val_y", e, "%s= %s", detail);
    }
    return true;
}

static bool train_net(Interp *in, Args *a, const Tensor *X, const Tensor *Y, Value *out, Error *e)
{
    Mlp *net = a->arg[0].v->as.mlp;
    MlpOptions o;
    const Tensor *Xval, *Yval;
    if (!net_options(a, net, &o, &Xval, &Yval, e))
        return false;
    TrainCtx ctx = { .in = in };
    train_history_init(&ctx.history);
    interp_losses_reset(in);
    MlpTrainReport r;
    if (!mlp_fit(net, X, Y, Xval, Yval, &o, &in->rng, train_hook, &ctx, &r, e)) {
        train_history_free(&ctx.history);
        return false;
    }
    if (ctx.failed) {
        train_history_free(&ctx.history);
        if (e)
            *e = ctx.err;
        return false;
    }
    Text t = {0};
    RunFacts f = { .end = ctx.interrupted ? RUN_INTERRUPTED : RUN_FINISHED, .epochs_run = r.epochs_run,
                   .epochs = o.epochs, .history = &ctx.history, .fresh_line = in->interactive, .opt = &o,
                   .first_loss = r.first_loss, .last_loss = r.last_loss, .diverged = r.diverged };
    LiveResult res = { .epochs = r.epochs_run, .cost = r.last_loss };
    bool ok = summary_write(&t, &f, in->format, e) && train_record(out, false, &res, &ctx.history, e);
    train_history_free(&ctx.history);
    if (!ok) {
        text_free(&t);
        return false;
    }
    return set_show(a, &t, e);
}

static bool b_train(Interp *in, Args *a, Value *out, Error *e)
{
    (void)out;
    if (!want_model(a, e))
        return false;
    bool is_p = a->arg[0].v->kind == VALUE_PERCEPTRON;
    if (a->n != 3)
        return args_error(a, -1, e, ERROR_ARG, "takes a model, the inputs and the targets: train(%s, X, y, epochs=100)",
                          is_p ? "p" : "net");
    size_t epochs = is_p ? 100 : 1000;
    double lr = is_p ? a->arg[0].v->as.perceptron->lr : 1.0, live = in->live_default, speed = 0;
    if (!kw_count(a, "epochs", 0, 1e9, &epochs, e) || !kw_number(a, "lr", &lr, e) || !kw_number(a, "live", &live, e))
        return false;
    const Value *sp = args_kw(a, "speed");
    if (sp && sp->kind == VALUE_STRING && !strcmp(value_str(sp), "max"))
        speed = INFINITY;           /* unpaced */
    else if (sp && (sp->kind != VALUE_NUMBER || !(sp->as.number > 0)))
        return kw_error(a, "speed", e, "%s= is epochs per second (a positive number) or \"max\"%s", "");
    else if (sp)
        speed = sp->as.number;
    const Tensor *X = NULL, *Y = NULL;
    if (is_p) {
        if (!want_tensor(a, 1, &X, e) || !want_tensor(a, 2, &Y, e))
            return false;
        for (size_t i = 0; i < sizeof net_only / sizeof net_only[0]; i++)
            if (args_kw(a, net_only[i]))
                return kw_error(a, net_only[i], e, "%s= is for an mlp; a perceptron learns one example at a time%s",
                                "");
    } else if (!want_data(a, a->arg[0].v->as.mlp, &X, &Y, e)) {
        return false;
    }
    if (live != 0) {
        if (!in->live)
            return args_error(a, -1, e, ERROR_ARG, "the live view is not available in this program; drop live=1");
        const char *name = a->arg[0].name ? a->arg[0].name : interp_name_of(in, a->arg[0].v);
        LiveRequest req = { .model = a->arg[0].v, .name = name ? name : "model", .X = X, .Y = Y, .epochs = epochs,
                            .lr = lr, .speed = speed };
        if (!is_p) {
            if (!net_options(a, a->arg[0].v->as.mlp, &req.opt, &req.Xval, &req.Yval, e))
                return false;
            req.epochs = req.opt.epochs;
            req.lr = req.opt.lr;
        }
        LiveResult res = { 0 };
        train_history_init(&res.history);
        bool ok = in->live(in->live_ctx, in, &req, &res, e) && train_record(out, is_p, &res, &res.history, e);
        train_history_free(&res.history);
        if (!ok) {
            mem_free(res.summary);
            return false;
        }
        mem_free(a->show);
        a->show = res.summary;      /* shown as train() shows its summary */
        return true;
    }
    if (is_p)
        return train_perceptron(in, a, X, Y, lr, epochs, out, e);
    return train_net(in, a, X, Y, out, e);
}

static bool b_forward(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    if (a->arg[0].v->kind != VALUE_MLP) {
        char d[64];
        return args_error(a, 0, e, ERROR_TYPE, "the first argument must be a net made with mlp(...), not %s",
                          value_describe(a->arg[0].v, d, sizeof d));
    }
    const Mlp *net = a->arg[0].v->as.mlp;
    const Tensor *X = NULL;
    if (!want_data(a, net, &X, NULL, e))
        return false;
    MlpPass pass;
    mlp_pass_init(&pass);
    bool ok = mlp_forward(net, X, &pass, e);
    Tensor *r = NULL;
    if (ok)
        r = X->ndim == 1 ? tensor_from(1, 1, tensor_size(mlp_pass_output(&pass)), mlp_pass_output(&pass)->data, e)
                         : tensor_copy(mlp_pass_output(&pass), e);
    mlp_pass_free(&pass);
    return set_tensor(out, r);
}

static bool b_backward(Interp *in, Args *a, Value *out, Error *e)
{
    if (a->arg[0].v->kind != VALUE_MLP) {
        char d[64];
        return args_error(a, 0, e, ERROR_TYPE, "the first argument must be a net made with mlp(...), not %s",
                          value_describe(a->arg[0].v, d, sizeof d));
    }
    const Mlp *net = a->arg[0].v->as.mlp;
    const Tensor *X = NULL, *Y = NULL;
    if (!want_data(a, net, &X, &Y, e))
        return false;
    MlpPass p;
    mlp_pass_init(&p);
    if (!mlp_forward(net, X, &p, e) || !mlp_backward(net, X, Y, &p, e)) {
        mlp_pass_free(&p);
        return false;
    }
    /* From the output back: deltaL, gL, dWL, then g and dW of each layer
     * below, then the biases' gradients. */
    size_t L = net->n_layers;
    static const char *const prime[] = {
        [MLP_SIGMOID] = "σ'", [MLP_TANH] = "tanh'", [MLP_RELU] = "relu'", [MLP_LINEAR] = "", [MLP_SOFTMAX] = "",
    };
    enum { ROWS = 3 * MLP_MAX_LAYERS + 1 };
    struct { char name[32], formula[128]; const Tensor *t; } rows[ROWS];
    size_t nrows = 0;
    snprintf(rows[nrows].name, sizeof rows[0].name, "delta%zu", L);
    snprintf(rows[nrows].formula, sizeof rows[0].formula, "a%zu - y", L);
    rows[nrows++].t = p.delta;
    snprintf(rows[nrows].name, sizeof rows[0].name, "g%zu", L);
    if (net->output == MLP_SOFTMAX)
        snprintf(rows[nrows].formula, sizeof rows[0].formula, "a%zu - y  (softmax with cross-entropy)", L);
    else if (net->output == MLP_LINEAR)
        snprintf(rows[nrows].formula, sizeof rows[0].formula, "a%zu - y  (a linear output with squared error)", L);
    else
        snprintf(rows[nrows].formula, sizeof rows[0].formula, "delta%zu ⊙ σ'(z%zu)", L, L);
    rows[nrows++].t = p.g[L - 1];
    for (size_t l = L; l >= 1; l--) {
        snprintf(rows[nrows].name, sizeof rows[0].name, "dW%zu", l);
        if (l > 1)
            snprintf(rows[nrows].formula, sizeof rows[0].formula, "dC/dW%zu = a%zuᵀ · g%zu", l, l - 1, l);
        else
            snprintf(rows[nrows].formula, sizeof rows[0].formula, "dC/dW1 = xᵀ · g1");
        rows[nrows++].t = p.dW[l - 1];
        if (l == 1)
            break;
        snprintf(rows[nrows].name, sizeof rows[0].name, "g%zu", l - 1);
        if (net->hidden == MLP_LINEAR)
            snprintf(rows[nrows].formula, sizeof rows[0].formula, "g%zu · W%zuᵀ  (a linear layer)", l, l);
        else
            snprintf(rows[nrows].formula, sizeof rows[0].formula, "(g%zu · W%zuᵀ) ⊙ %s(z%zu)", l, l,
                     prime[net->hidden], l - 1);
        rows[nrows++].t = p.g[l - 2];
    }
    for (size_t l = L; net->bias && l >= 1; l--) {
        snprintf(rows[nrows].name, sizeof rows[0].name, "db%zu", l);
        snprintf(rows[nrows].formula, sizeof rows[0].formula, "dC/db%zu = g%zu summed over the batch", l, l);
        rows[nrows++].t = p.db[l - 1];
    }
    Text t = {0};
    bool ok = value_record(out, e);
    for (size_t i = 0; i < nrows && ok; i++) {
        char label[sizeof rows[0].name + sizeof rows[0].formula + 4];
        snprintf(label, sizeof label, "%.31s = %.127s", rows[i].name, rows[i].formula);
        put_matrix_line(&t, label, rows[i].t, in->format, in->width);
        Tensor *c = tensor_copy(rows[i].t, e);
        ok = c && record_add(out, rows[i].name, value_tensor(c), e);
    }
    mlp_pass_free(&p);
    if (ok) {
        text_puts(&t, "(the result is a record: g = backward(...); g.dW1)\n");
        return set_show(a, &t, e);
    }
    text_free(&t);
    return false;
}

static bool b_predict(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    if (!want_model(a, e))
        return false;
    const Tensor *X = NULL;
    if (!want_tensor(a, 1, &X, e))
        return false;
    if (a->arg[0].v->kind == VALUE_PERCEPTRON) {
        Tensor *r = perceptron_predict(a->arg[0].v->as.perceptron, X, e);
        if (!r)
            return args_error(a, 1, e, e->code, "%s", error_facts(e));
        if (X->ndim == 1) {
            *out = value_number(r->data[0]);
            tensor_delete(r);
            return true;
        }
        return set_tensor(out, r);
    }
    const Mlp *net = a->arg[0].v->as.mlp;
    if (!want_data(a, net, &X, NULL, e))
        return false;
    MlpPass pass;
    mlp_pass_init(&pass);
    if (!mlp_forward(net, X, &pass, e)) {
        mlp_pass_free(&pass);
        return false;
    }
    /* Class labels: the most probable class for softmax, output > 0.5 for
     * a sigmoid output; a linear output predicts the numbers themselves. */
    const Tensor *o = mlp_pass_output(&pass);
    Tensor *r;
    if (net->output == MLP_SOFTMAX) {
        r = tensor_vector(o->rows, e);
        for (size_t i = 0; r && i < o->rows; i++) {
            Tensor row = { .ndim = 1, .rows = 1, .cols = o->cols, .data = o->data + i * o->cols, .refs = 1 };
            r->data[i] = (double)tensor_argmax(&row);
        }
    } else {
        r = tensor_new(X->ndim == 1 ? 1 : 2, X->ndim == 1 ? 1 : o->rows, o->cols, e);
        for (size_t i = 0; r && i < tensor_size(r); i++)
            r->data[i] = net->output == MLP_LINEAR ? o->data[i] : o->data[i] > 0.5 ? 1.0 : 0.0;
    }
    mlp_pass_free(&pass);
    if (r && tensor_size(r) == 1 && X->ndim == 1) {
        *out = value_number(r->data[0]);
        tensor_delete(r);
        return true;
    }
    return set_tensor(out, r);
}

/* --- tools --------------------------------------------------------------- */

static bool b_sleep(Interp *in, Args *a, Value *out, Error *e)
{
    (void)out;
    double s;
    if (!want_number(a, 0, &s, e))
        return false;
    if (!(s >= 0 && s <= 3600))
        return args_error(a, 0, e, ERROR_ARG, "%g seconds: give 0 to 3600", s);
    /* In slices, so that Ctrl-C ends the wait at once. */
    while (s > 0 && !(in->interrupted && *in->interrupted)) {
        double step = s < 0.05 ? s : 0.05;
        clock_sleep(step);
        s -= step;
    }
    return true;
}

/* A record of two tensors, which it takes whether it succeeds or not (the
 * caller frees a half-built record in out). */
static bool record_pair(Value *out, const char *n1, Tensor *t1, const char *n2, Tensor *t2, Error *e)
{
    if (!value_record(out, e)) {
        tensor_delete(t1);
        tensor_delete(t2);
        return false;
    }
    if (!record_add(out, n1, value_tensor(t1), e)) {
        tensor_delete(t2);
        return false;
    }
    return record_add(out, n2, value_tensor(t2), e);
}

static bool b_load_csv(Interp *in, Args *a, Value *out, Error *e)
{
    if (a->arg[0].v->kind != VALUE_STRING) {
        char d[64];
        return args_error(a, 0, e, ERROR_TYPE, "the file name must be a string in quotes, not %s",
                          value_describe(a->arg[0].v, d, sizeof d));
    }
    CsvOptions opt = { false, true };
    const Value *h = args_kw(a, "header");
    if (h) {
        double x = 0;
        if (!kw_number(a, "header", &x, e))
            return false;
        opt.header = x != 0;
        opt.auto_header = false;
    }
    char *path = interp_resolve_path(in, value_str(a->arg[0].v));
    if (!path)
        return error_nomem(e, "load_csv");
    Tensor *t = csv_load(path, &opt, e);
    mem_free(path);
    if (!t) {
        /* The message names the file's line and column; the caret points
         * at the file name in the statement. */
        e->col = a->arg[0].col;
        e->line = 0;
        return false;
    }
    const Value *lab = args_kw(a, "label");
    if (!lab)
        return set_tensor(out, t);
    /* label=K splits off column K (negative counts from the end) as the
     * labels: a record with X (the other columns) and labels. */
    double k = 0;
    if (!kw_number(a, "label", &k, e)) {
        tensor_delete(t);
        return false;
    }
    double col = k < 0 ? k + (double)t->cols : k;
    if (k != floor(k) || col < 0 || col >= (double)t->cols || t->cols < 2) {
        char detail[256];
        if (t->cols < 2)
            snprintf(detail, sizeof detail, "%g, but the file has one column: nothing would be left for X", k);
        else
            snprintf(detail, sizeof detail, "%g; the file has %zu columns, so it must be a whole number from 0 to %zu "
                     "(or -%zu to -1, counting from the end)", k, t->cols, t->cols - 1, t->cols);
        tensor_delete(t);
        return kw_error(a, "label", e, "%s= is %s", detail);
    }
    size_t c = (size_t)col;
    Tensor *X = tensor_matrix(t->rows, t->cols - 1, e), *L = X ? tensor_vector(t->rows, e) : NULL;
    if (!L) {
        tensor_delete(X);
        tensor_delete(t);
        return false;
    }
    for (size_t r = 0; r < t->rows; r++)
        for (size_t j = 0, k2 = 0; j < t->cols; j++) {
            if (j == c)
                L->data[r] = tensor_at(t, r, j);
            else
                X->data[r * X->cols + k2++] = tensor_at(t, r, j);
        }
    tensor_delete(t);
    return record_pair(out, "X", X, "labels", L, e);
}

/* --- working with real data ------------------------------------------------- */

/* The class labels of a vector, or of a one-hot / one-column matrix. */
static Tensor *labels_of(const Args *a, int i, Error *e)
{
    const Tensor *t = NULL;
    if (!want_tensor(a, i, &t, e))
        return NULL;
    Tensor *l;
    if (t->ndim == 1 || t->cols == 1) {
        l = tensor_from(1, 1, tensor_size(t), t->data, e);
    } else {
        l = tensor_vector(t->rows, e);
        for (size_t r = 0; l && r < t->rows; r++) {
            Tensor row = { .ndim = 1, .rows = 1, .cols = t->cols, .data = t->data + r * t->cols, .refs = 1 };
            l->data[r] = (double)tensor_argmax(&row);
        }
    }
    return l;
}

static bool b_onehot(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Tensor *t = NULL;
    size_t k;
    if (!want_tensor(a, 0, &t, e) || !want_count(a, 1, 1, 100000, &k, e))
        return false;
    Tensor *m = tensor_matrix(tensor_size(t), k, e);
    if (!m)
        return false;
    for (size_t i = 0; i < tensor_size(t); i++) {
        double v = t->data[i];
        if (v != floor(v) || v < 0 || v >= (double)k) {
            tensor_delete(m);
            return args_error(a, 0, e, ERROR_ARG, "label %g (element %zu) is not a class from 0 to %zu", v, i, k - 1);
        }
        m->data[i * k + (size_t)v] = 1.0;
    }
    return set_tensor(out, m);
}

/* Each column to mean 0 and standard deviation 1 (a constant column to 0). */
static bool b_normalize(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Tensor *t = NULL;
    if (!want_tensor(a, 0, &t, e))
        return false;
    Tensor *r = tensor_copy(t, e);
    if (!r)
        return false;
    size_t rows = t->ndim == 1 ? t->cols : t->rows, cols = t->ndim == 1 ? 1 : t->cols;
    for (size_t c = 0; c < cols; c++) {
        double mean = 0, var = 0;
        for (size_t i = 0; i < rows; i++)
            mean += t->data[i * cols + c];
        mean /= (double)rows;
        for (size_t i = 0; i < rows; i++) {
            double d = t->data[i * cols + c] - mean;
            var += d * d;
        }
        double sd = sqrt(var / (double)rows);
        for (size_t i = 0; i < rows; i++)
            r->data[i * cols + c] = sd > 0 ? (t->data[i * cols + c] - mean) / sd : 0.0;
    }
    return set_tensor(out, r);
}

/* The first n rows and the rest, as a record {train, test}. */
static bool b_split(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Tensor *t = NULL;
    if (!want_tensor(a, 0, &t, e))
        return false;
    size_t len = t->ndim == 1 ? t->cols : t->rows, n;
    if (!want_count(a, 1, 0, (double)len, &n, e))
        return false;
    size_t width = t->ndim == 1 ? 1 : t->cols;
    Tensor *first = tensor_new(t->ndim, t->ndim == 1 ? 1 : n, t->ndim == 1 ? n : t->cols, e);
    Tensor *rest = first ? tensor_new(t->ndim, t->ndim == 1 ? 1 : len - n, t->ndim == 1 ? len - n : t->cols, e) : NULL;
    if (!rest) {
        tensor_delete(first);
        return false;
    }
    if (n)
        memcpy(first->data, t->data, n * width * sizeof(double));
    if (len > n)
        memcpy(rest->data, t->data + n * width, (len - n) * width * sizeof(double));
    return record_pair(out, "train", first, "test", rest, e);
}

/* The fraction of rows whose predicted class is the label. */
static bool b_accuracy(Interp *in, Args *a, Value *out, Error *e)
{
    Value pred = value_none();
    Args pa = *a;
    pa.n = 2;
    pa.nkw = 0;
    if (!b_predict(in, &pa, &pred, e))
        return false;
    Tensor *want = labels_of(a, 2, e);
    if (!want) {
        value_free(&pred);
        return false;
    }
    const double *p = pred.kind == VALUE_NUMBER ? &pred.as.number : pred.as.tensor->data;
    size_t n = pred.kind == VALUE_NUMBER ? 1 : tensor_size(pred.as.tensor);
    bool ok = n == tensor_size(want) || (pred.kind == VALUE_TENSOR && pred.as.tensor->rows == tensor_size(want));
    if (!ok) {
        size_t labels = tensor_size(want);
        value_free(&pred);
        tensor_delete(want);
        return args_error(a, 2, e, ERROR_SHAPE, "%zu labels for %zu predictions", labels, n);
    }
    size_t right = 0;
    for (size_t i = 0; i < tensor_size(want); i++)
        right += p[i] == want->data[i];
    *out = value_number((double)right / (double)tensor_size(want));
    value_free(&pred);
    tensor_delete(want);
    return true;
}

/* An 8 x 8 digit (64 pixels from 0 to 16, a 65th value being its label)
 * drawn with shades, two characters per pixel. */
static bool b_show_digit(Interp *in, Args *a, Value *out, Error *e)
{
    (void)out;
    const Tensor *t = NULL;
    if (!want_tensor(a, 0, &t, e))
        return false;
    size_t n = tensor_size(t);
    if (n != 64 && n != 65)
        return args_error(a, 0, e, ERROR_SHAPE, "a digit is 64 pixels (8 x 8), perhaps with its label, not %zu values", n);
    static const char *const shades[] = { "  ", "░░", "▒▒", "▓▓", "██" };
    double top = 0;
    for (size_t i = 0; i < 64; i++)
        top = fmax(top, t->data[i]);
    Text s = {0};
    text_puts(&s, "  ┌────────────────┐\n");
    for (size_t r = 0; r < 8; r++) {
        text_puts(&s, "  │");
        for (size_t c = 0; c < 8; c++) {
            double v = top > 0 ? t->data[r * 8 + c] / top : 0;
            int k = v <= 0 ? 0 : (int)ceil(v * 4);
            text_puts(&s, shades[k > 4 ? 4 : k]);
        }
        text_puts(&s, "│\n");
    }
    text_puts(&s, "  └────────────────┘\n");
    if (n == 65)
        text_printf(&s, "  label %g\n", t->data[64]);
    char *txt = text_finish(&s, e);
    if (!txt)
        return false;
    interp_write(in, txt);
    mem_free(txt);
    return true;
}

/* --- the table ------------------------------------------------------------- */

static const Builtin table[] = {
    { "dot", b_dot, 2, 2, "", 1, "dot(a, b)",
      "The dot product: multiply matching elements and add them up. Positive when a and b point "
      "roughly the same way, negative when they point apart, zero when they are perpendicular.\n"
      "  a = [3, -1, 2]; b = [1, 4, 0.5]\n  dot(a, b)      # 3·1 + (-1)·4 + 2·0.5 = 0\n"
      "a @ b gives the same for two vectors. As numpy's dot: a matrix and a vector give a vector, "
      "matrices their product (their shapes must line up: dot([[1], [2]], [[3], [4]]) is refused), "
      "a number scales.", 0, .grad = &grad_dot },
    { "norm", b_norm, 1, 1, "", 1, "norm(a)",
      "The length (Euclidean norm) of a vector: the square root of the sum of its squares; of a "
      "number, its absolute value (exactly: it is not squared first).\n"
      "  norm([3, 4])    # 5", 0, .grad = &grad_norm },
    { "angle", b_angle, 2, 2, "", 1, "angle(a, b)",
      "The angle between two vectors in degrees, from cos θ = a·b / (|a| |b|).\n"
      "  angle([1, 0], [1, 1])    # 45\n  norm(a)*norm(b)*cos(radians(angle(a, b)))    # the same as dot(a, b)", 0 },
    { "outer", b_outer, 2, 2, "", 5, "outer(a, b)",
      "The outer product: the matrix whose row i is a[i] times b (both flattened; a number is one "
      "value).\n"
      "  outer([1, 2], [3, 4, 5])    # [[3, 4, 5], [6, 8, 10]]\n"
      "Chapter 5 writes dC/dW2 as the outer product of delta2 and a1.", 0, .grad = &grad_outer },
    { "transpose", b_transpose, 1, 1, "", 1, "transpose(M)",
      "Rows become columns. The same as M.T.\n  transpose([[1, 2], [3, 4]])    # [[1, 3], [2, 4]]\n"
      "A 1-D vector is unchanged, as in numpy; write it as [[1], [2]] for a column.", 0, .grad = &grad_transpose },
    { "mean", b_mean, 1, 1, "axis keepdims", 1, "mean(x, axis=)",
      "The average of all elements, or of each column (axis=0) or row (axis=1; -1 is the last axis), "
      "as numpy's mean: a vector's mean along axis 0 is a number, and a number takes no axis.\n"
      "  mean([1, 2, 3, 4])    # 2.5", 0, .grad = &grad_mean },
    { "shape", b_shape, 1, 1, "", 1, "shape(x)",
      "The sizes of x as a tuple: (n,) for a vector, (rows, columns) for a matrix. x.shape is the same.\n"
      "  shape([[0, 0, 1], [0, 1, 1]])    # (2, 3)", 0, .grad = &grad_flat },
    { "zeros", b_zeros, 1, 2, "", 1, "zeros(n) or zeros(rows, cols)",
      "A vector of n zeros, or a rows x cols matrix of zeros.\n  w = zeros(3)    # [0, 0, 0]", 0, .grad = &grad_flat },
    { "ones", b_ones, 1, 2, "", 1, "ones(n) or ones(rows, cols)",
      "A vector or matrix of ones; handy for a bias column.\n  ones(4, 1)", 0, .grad = &grad_flat },
    { "eye", b_eye, 1, 1, "", 5, "eye(n)",
      "The n x n identity matrix: ones on the diagonal. eye(3) @ v is v again.", 0, .grad = &grad_flat },
    { "rand", b_rand, 0, 2, "", 7, "rand(), rand(n), rand(rows, cols)",
      "Uniform random numbers in [0, 1), drawn exactly as numpy's np.random.random does, from the "
      "state set by seed.\n  seed(1); W1 = rand(3, 4); W2 = rand(4, 1)    # the book's weights", 0 },
    { "seed", b_seed, 1, 1, "", 7, "seed(n)",
      "Resets the random state as np.random.seed(n) does, so the next rand draws repeat numpy's.\n"
      "  seed(1); rand()    # 0.417022004702574", 0 },
    { "sqrt", b_sqrt, 1, 1, "", 1, "sqrt(x)", "The square root of each element.\n  sqrt(16)    # 4", 0, .grad = &grad_sqrt },
    { "cos", b_cos, 1, 1, "", 1, "cos(x)",
      "The cosine of each element, in radians as in numpy (pi is π); radians(deg) converts degrees.\n"
      "  cos(radians(60))    # 0.5", 0, .grad = &grad_cos },
    { "sin", b_sin, 1, 1, "", 1, "sin(x)", "The sine of each element, in radians.\n  sin(pi/2)    # 1", 0, .grad = &grad_sin },
    { "radians", b_radians, 1, 1, "", 1, "radians(deg)",
      "Degrees to radians: deg·π/180. angle() gives degrees, cos() wants radians.\n"
      "  cos(radians(angle(a, b)))", 0, .grad = &grad_radians },
    { "exp", b_exp, 1, 1, "", 3, "exp(x)", "e to the power of each element.\n  exp(1)    # 2.7183", 0, .grad = &grad_exp },
    { "log", b_log, 1, 1, "", 6, "log(x)",
      "The natural logarithm of each element; log(0) is -Inf.\n  log(exp(2))    # 2", 0, .grad = &grad_log },
    { "argmax", b_argmax, 1, 1, "axis keepdims", 6, "argmax(x, axis=)",
      "The index of the largest element (counting from 0; the first of equals, or the first NaN), or "
      "with axis=1 of each row.\n"
      "  argmax([0.1, 0.7, 0.2])    # 1", 0, .grad = &grad_flat },
    { "step", b_step, 1, 1, "", 2, "step(v)",
      "The perceptron's activation: 1 where v > 0, else 0.\n  step([-0.5, 0, 2])    # [0, 0, 1]", 0, .grad = &grad_flat },
    { "perceptron", b_perceptron, 0, 1, "w lr", 2, "perceptron(w=[0, 0, 0], lr=0.1)",
      "A perceptron with weights w and learning rate lr. It predicts step(w·x); add a constant 1 "
      "to each input for a bias. perceptron(3) starts from three zero weights. p.w and p.lr can be "
      "read and set.\n  p = perceptron(w=[0.5, 0.5, -1.5], lr=1)\n  learn(p, [1, 1, 1], 1)", 0 },
    { "learn", b_learn, 3, 3, "lr", 2, "learn(model, x, y)",
      "One learning step on one example, printed with the numbers in. For a perceptron: w·x, the "
      "prediction, the error y - ŷ, the nudge Δw = lr·error·x and the new w. For an mlp: one step of "
      "gradient descent on the batch X, y (lr=1 unless given; the gradient of the cost summed over the "
      "rows), with the cost before and after.\n"
      "  p = perceptron(w=[0.5, 0.5, -1.5], lr=1)\n  learn(p, [1, 1, 1], 1)    # a false negative: w turns toward x", 0 },
    { "train", b_train, 3, 3,
      "epochs lr live speed batch reduction optimizer momentum alpha beta1 beta2 eps val_x val_y", 2,
      "train(model, X, y, epochs=, lr=, batch=, optimizer=)",
      "Trains a model on every row of X and updates the variable in place; Ctrl-C stops early and "
      "keeps the last whole step. live=1 (or `watch train(...)`) shows it in the live view, paced at "
      "speed= epochs per second.\n"
      "A perceptron applies its rule to each row in turn and stops after an epoch with no mistake (or "
      "after epochs=100). An mlp takes epochs=1000 steps of gradient descent at lr=1 on all the rows "
      "at once, with the gradient of the cost summed over them, as in chapter 7.\n"
      "batch=32 takes one step per 32 rows instead, in an order shuffled every epoch as numpy's "
      "np.random.shuffle would shuffle it from the state set by seed; each step then uses the cost "
      "averaged over its rows, so the step size does not grow with the batch (the costs printed are "
      "per row too). batch=1 is stochastic gradient descent. reduction=\"sum\" goes back to summing, "
      "as nudge did before; reduction=\"mean\" averages a full batch as well.\n"
      "optimizer= changes how each gradient g moves a weight w, with PyTorch's rules and defaults: "
      "\"momentum\" keeps a velocity v = momentum·v + g (momentum=0.9) and steps w -= lr·v; "
      "\"rmsprop\" keeps s = alpha·s + (1 - alpha)·g² (alpha=0.99) and steps w -= lr·g / (√s + eps); "
      "\"adam\" keeps both averages (beta1=0.9 for g, beta2=0.999 for g²), corrects them for their "
      "start at zero and steps lr·m̂ / (√v̂ + eps); eps=1e-8. Without lr= they start from 0.1 "
      "(momentum), 0.01 (rmsprop) and 0.001 (adam). val_x= and val_y= give held-out rows, measured "
      "after every epoch but never trained on.\n"
      "It gives a record. An mlp's: epochs, cost (after the last step), and one value per epoch of "
      "loss, accuracy (when the targets are 0/1 or one-hot rows: the share of rows whose predicted "
      "class, an output above 0.5 or the largest output, is the target's), val_loss and "
      "val_accuracy (with val_x=), and lr; then steps, the updates made. A perceptron's: epochs, "
      "converged, per epoch mistakes (rows that moved w during it), accuracy and lr, then steps (rows "
      "the rule was applied to) and updates. Losses and accuracies are measured on the weights each "
      "epoch ended with. The live view's record has only epochs with cost, or mistakes (the last "
      "epoch's) and converged.\n"
      "  X = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]; p = perceptron(3)\n  r = train(p, X, [0, 0, 0, 1])    # AND converges\n"
      "  r.converged    # 1\n"
      "  net = mlp(3, 4, 1, seed=1); r = train(net, X, [[0], [1], [1], [0]], optimizer=\"adam\", lr=0.1)\n"
      "  r.loss[-1]    # the cost now", 0 },
    { "predict", b_predict, 2, 2, "", 2, "predict(model, X)",
      "Class predictions: step(w·x) for each row with a perceptron; for an mlp, 1 where the output "
      "is above 0.5, the most probable class with a softmax output, and the outputs themselves with a "
      "linear one.\n  predict(p, [[1, 1, 1]])", 0, .grad = &grad_flat },
    { "sigmoid", b_sigmoid, 1, 1, "", 3, "sigmoid(z)",
      "The logistic function 1 / (1 + exp(-z)), element by element. σ(z) is the same.\n  sigmoid(0)    # 0.5", 0, .grad = &grad_sigmoid },
    { "σ", b_sigmoid, 1, 1, "", 3, "σ(z)", "Another name for sigmoid, as the book writes it.\n  σ(0)    # 0.5", 0, .grad = &grad_sigmoid },
    { "dsigmoid", b_dsigmoid, 1, 1, "", 3, "dsigmoid(z)",
      "The sigmoid's derivative σ(z)(1 - σ(z)), element by element.\n  dsigmoid(0)    # 0.25", 0, .grad = &grad_dsigmoid },
    { "relu", b_relu, 1, 1, "", 3, "relu(z)",
      "max(0, z) element by element, as numpy's np.maximum(0, z): NaN stays NaN, and -0.0 stays -0.0.\n"
      "  relu([-1, 2])    # [0, 2]", 0, .grad = &grad_relu },
    { "drelu", b_drelu, 1, 1, "", 3, "drelu(z)",
      "The ReLU's derivative: 1 where z > 0, else 0 (0 at 0, a subgradient).", 0, .grad = &grad_flat },
    { "tanh", b_tanh, 1, 1, "", 3, "tanh(z)", "The hyperbolic tangent, element by element.\n  tanh(0)    # 0", 0, .grad = &grad_tanh },
    { "mse", b_mse, 2, 2, "", 3, "mse(a, y)",
      "The squared-error cost ½ Σ (y - a)², summed over every element; a and y must have the same "
      "shape (nudge does not broadcast them, to catch a column against a row).\n  mse(3.5, 5)    # 1.125", 0, .grad = &grad_mse },
    { "numgrad", b_numgrad, 2, 6, "h", 3, "numgrad(f, x) or numgrad(net, X, y, \"W1\")",
      "A gradient by central differences, (f(x+h) - f(x-h)) / 2h one coordinate at a time (h=1e-6). "
      "f is a function giving a number; any further arguments are passed to it after x. With a net, "
      "the gradient of its cost on X, y with respect to the weights or biases the last argument names "
      "(\"W1\", \"b2\", ...).\n"
      "  L = @(w1) (2*w1 + 1)*1.5 + 0.5\n  numgrad(L, 0.5)    # 3, the chapter-3 ∂L/∂w1", 0 },
    { "grad", b_grad, 2, 2, "", 3, "grad(f, v)",
      "The gradient of the number f with respect to the variable v, by backpropagation through the "
      "history of how f was computed: the same shape as v. v is taken as it was when f was computed; "
      "if v has been given a new value since, compute f again. graph f draws the history, backprop f "
      "walks it node by node.\n"
      "  x = 2; b1 = 1; b2 = 0.5; w1 = 0.5; w2 = 1.5\n  L = (x*w1 + b1)*w2 + b2\n"
      "  grad(L, w1)    # 3 = w2·x\n  grad(L, w2)    # 2 = z", 0 },
    { "jacobian", b_jacobian, 2, 6, "h", 5, "jacobian(f, x)",
      "The matrix of partial derivatives J[i, j] = ∂f_i/∂x_j of a vector function at x, by central "
      "differences.\n  jacobian(sigmoid, [0, 1, 2])    # diagonal: dsigmoid on the diagonal", 0 },
    { "softmax", b_softmax, 1, 1, "", 6, "softmax(z)",
      "Turns scores into probabilities: exp(z) / sum(exp(z)), computed stably; each row of a matrix "
      "separately. The result sums to 1 (softmax of a single number is 1).\n"
      "  softmax([1, 2, 3])    # [0.090031, 0.244728, 0.665241]", 0, .grad = &grad_softmax },
    { "cross_entropy", b_cross_entropy, 2, 2, "", 6, "cross_entropy(p, y)",
      "The loss -Σ y log p for probabilities p against a one-hot target y. A term with y = 0 counts "
      "as 0 even where p is 0 (0·log 0 = 0; numpy's -np.sum(y * np.log(p)) would give NaN).\n"
      "  cross_entropy(softmax([1, 2, 3]), [0, 1, 0])    # 1.4076", 0, .grad = &grad_cross_entropy },
    { "mlp", b_mlp, 3, MLP_MAX_LAYERS + 1,
      "seed bias hidden output loss W1 W2 W3 W4 W5 W6 W7 W8 W9 W10 W11 W12 W13 W14 W15 W16 b1 b2 b3 b4 b5 b6 b7 b8 b9 b10 b11 b12 b13 b14 b15 b16", 7,
      "mlp(n_in, n_hidden, ..., n_out, seed=1)",
      "A network of fully connected layers with the sizes given, from the inputs to the outputs. "
      "mlp(3, 4, 1) is the two-layer sigmoid net of chapter 7: W1 is 3 x 4, W2 is 4 x 1, no biases. "
      "mlp(3, 4, 4, 1) puts a second hidden layer of 4 in between, and so on up to 16 layers of "
      "weights. The weights start uniform in [0, 1), drawn as numpy draws them: all of W1 row by row, "
      "then W2, and so on (from seed= if given, else from the state set by seed). hidden=\"tanh\", "
      "\"relu\" or \"linear\" replaces the sigmoid in every hidden layer. output=\"softmax\" turns "
      "the outputs into class probabilities trained with cross-entropy (chapter 6); output=\"linear\" "
      "leaves them as plain numbers, trained with the squared error, for regression. bias=1 adds a "
      "bias to every layer. net.W1, net.W2, ..., net.b1, ... read and set like variables; net.W[k] and "
      "net.b[k] are the same arrays by layer number, counting from 0 (net.W[-1] is the last).\n"
      "  net = mlp(3, 4, 1, seed=1)\n  net.W2\n  deep = mlp(2, 8, 8, 1, hidden=\"relu\", bias=1)", 0 },
    { "forward", b_forward, 2, 2, "", 7, "forward(net, X)",
      "The net's output for each row of X, one layer after the other: z = in·W (+ b), then a = the "
      "layer's activation of z, from in = X to the last layer. For chapter 7's net: z1 = X·W1, "
      "a1 = σ(z1), z2 = a1·W2, a2 = σ(z2).\n"
      "  forward(net, [[1, 0, 1]])", 0 },
    { "backward", b_backward, 3, 3, "", 7, "backward(net, X, y)",
      "One backward pass for the cost summed over the rows, printed step by step with each shape, "
      "from the output down: the error delta at the output, then for each layer its delta g (the "
      "gradient at its z) and dC/dW, and dC/db with biases. For chapter 7's net: delta2, g2, dW2, g1, "
      "dW1. Returns them as a record: g = backward(net, X, y); g.dW1", 0 },
    { "load_csv", b_load_csv, 1, 1, "header label", 0, "load_csv(\"file.csv\", header=, label=)",
      "Reads a CSV file of numbers into a matrix. A first line without numbers is skipped as a "
      "header (header=1 or header=0 says so explicitly). label=K takes column K (-1: the last) out "
      "as the labels and gives a record with X and labels.\n  D = load_csv(\"assets/data/iris.csv\")\n"
      "  d = load_csv(\"assets/data/digits.csv\", label=-1); d.X; d.labels", 0 },
    { "onehot", b_onehot, 2, 2, "", 6, "onehot(labels, k)",
      "One row per label with a 1 in that label's column, k columns in all.\n"
      "  onehot([2, 0], 3)    # [[0, 0, 1], [1, 0, 0]]", 0, .grad = &grad_flat },
    { "normalize", b_normalize, 1, 1, "", 0, "normalize(X)",
      "Each column moved to mean 0 and scaled to standard deviation 1 (a constant column becomes 0).\n"
      "  normalize([[1, 10], [3, 30]])    # [[-1, -1], [1, 1]]", 0 },
    { "split", b_split, 2, 2, "", 0, "split(X, n)",
      "The first n rows and the rest, as a record with fields train and test.\n"
      "  s = split(X, 1500); s.train; s.test", 0 },
    { "accuracy", b_accuracy, 3, 3, "", 7, "accuracy(model, X, labels)",
      "The fraction of rows of X whose predicted class equals its label (labels as numbers, or "
      "one-hot rows).\n  accuracy(net, Xtest, labels_test)    # 0.93 is 93% right", 0, .grad = &grad_flat },
    { "show_digit", b_show_digit, 1, 1, "", 0, "show_digit(row)",
      "Draws an 8 x 8 handwritten digit (64 pixels from 0 to 16, as in assets/data/digits.csv) in "
      "shades.\n  D = load_csv(\"assets/data/digits.csv\"); show_digit(D[0])", 0 },
    { "sleep", b_sleep, 1, 1, "", 0, "sleep(seconds)",
      "Waits a number of seconds (Ctrl-C cuts it short), for pacing a demo.\n  sleep(0.5)", 0 },
    { "plot", chart_plot, 1, ARGS_MAX, "labels title log x xlabel ylabel ylim width height", 0,
      "plot(y1, y2, ..., labels=[...], title=\"...\", log=True) or plot(f, a, b)",
      "Draws one or more series as lines on shared axes, as wide as the terminal: each series in its "
      "own colour and with its own marker (● ■ ▲ ◆ ...), so the chart reads in black and white too. "
      "x counts 0, 1, 2, ... unless x= gives it. A matrix is one series per column, as in Octave and "
      "matplotlib. A function with an interval is drawn over it. labels= names the series in the "
      "legend; title=, xlabel=, ylabel= add text; log=True makes the y axis logarithmic; ylim=(lo, hi) "
      "fixes the y axis; width= and height= set the size. The y axis includes 0 when the values come "
      "near it, and a series that barely changes is drawn nearly flat, so a height means what it seems "
      "to. `plot r.loss` is the same as plot(r.loss).\n"
      "  plot(r1.loss, r2.loss, labels=[\"lr 0.1\", \"lr 1\"], title=\"loss per epoch\")\n"
      "  plot(sigmoid, -6, 6)\n  plot(@(x) x**2 - 1, -2, 2)", 0 },
    { "scatter", chart_scatter, 1, 3, "classes model title xlabel ylabel width height", 0,
      "scatter(X, labels, model=net) or scatter(x, y, labels)",
      "Draws points in the plane, one glyph per class (○ for the lowest label, then ● ▲ ■ ...) with a "
      "legend that counts them. X has a row per point and two columns (a third column that is the same "
      "everywhere, a bias, is left out). labels gives each point's class: a vector, or one-hot rows. "
      "classes= names the classes; model= shades the plane by the class a net or perceptron gives it "
      "(· for the lowest, ░ for the next), so its decision boundary shows where the shading changes.\n"
      "  scatter(X, y)\n  scatter(X, y, model=net, title=\"what the net learned\")", 0 },
};

const Builtin *builtin_table(size_t *n)
{
    *n = sizeof table / sizeof table[0];
    return table;
}

bool builtin_changes_first(const Builtin *b)
{
    return b->fn == b_learn || b->fn == b_train;
}

const Builtin *builtin_find(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strlen(table[i].name) == len && !memcmp(table[i].name, name, len))
            return &table[i];
    return NULL;
}

/* --- what nudge's functions read ------------------------------------------------ */

bool builtin_takes_arrays(const Builtin *b)
{
    return b >= table && b < table + sizeof table / sizeof table[0];
}

/* A list or tuple of numbers (or of equal rows of numbers), as numpy reads
 * an array-like. */
static bool numeric_list(const Value *v)
{
    if (v->kind != VALUE_LIST && v->kind != VALUE_TUPLE)
        return false;
    const List *l = v->as.list;
    if (l->n == 0)
        return true;    /* np.asarray([]) is an empty float64 vector */
    bool rows = l->items[0].kind == VALUE_LIST || l->items[0].kind == VALUE_TUPLE;
    for (size_t i = 0; i < l->n; i++) {
        const Value *x = &l->items[i];
        if (rows) {
            if ((x->kind != VALUE_LIST && x->kind != VALUE_TUPLE) || x->as.list->n != l->items[0].as.list->n)
                return false;
            for (size_t k = 0; k < x->as.list->n; k++)
                if (!value_is_scalar(&x->as.list->items[k]))
                    return false;
        } else if (!value_is_scalar(x)) {
            return false;
        }
    }
    return true;
}

/* nudge's functions work on floats and arrays: before a call, an int or a
 * bool becomes a float and a list of numbers an array (temps holds them;
 * builtin_normalize_free releases them). */
bool builtin_normalize(Args *a, Value *temps, Error *e)
{
    for (size_t i = 0; i < a->n; i++) {
        temps[i] = value_none();
        Value *v = a->arg[i].v;
        if (v->kind == VALUE_INT || v->kind == VALUE_BOOL) {
            /* The float it equals, with its history: grad(L, x) of an int L. */
            temps[i] = value_number((double)v->as.integer);
            temps[i].graph = v->graph ? graph_retain(v->graph) : NULL;
            a->arg[i].v = &temps[i];
        } else if (numeric_list(v) || (v->kind == VALUE_TENSOR && v->as.tensor->dtype != DTYPE_FLOAT64)) {
            /* an int or bool array becomes a float64 copy */
            Tensor *t = value_to_tensor(v, a->name ? a->name : "call", e);
            Tensor *f = t && t->dtype != DTYPE_FLOAT64 ? tensor_copy(t, e) : t;
            if (f && f != t) {
                tensor_delete(t);
                f->dtype = DTYPE_FLOAT64;
            }
            if (!f) {
                tensor_delete(t);
                builtin_normalize_free(a, temps);
                return false;
            }
            temps[i] = value_tensor(f);
            temps[i].graph = v->graph ? graph_retain(v->graph) : NULL;
            a->arg[i].v = &temps[i];
        }
    }
    for (size_t i = 0; i < a->nkw; i++) {
        Value *v = &a->kw[i].v;
        if (v->kind == VALUE_INT || v->kind == VALUE_BOOL) {
            double d = (double)v->as.integer;
            value_free(v);      /* its history too (lr=0*25 has one) */
            *v = value_number(d);
        } else if (numeric_list(v)) {
            Tensor *t = value_to_tensor(v, a->name ? a->name : "call", e);
            if (!t) {
                builtin_normalize_free(a, temps);
                return false;
            }
            value_free(v);
            *v = value_tensor(t);
        }
    }
    return true;
}

void builtin_normalize_free(Args *a, Value *temps)
{
    for (size_t i = 0; i < a->n; i++)
        value_free(&temps[i]);
}

/* Python's max over items, with key= and default=. */
static bool python_extreme(Interp *in, Args *a, const Value *items, size_t n, bool largest, Value *out, Error *e)
{
    const Value *key = args_kw(a, "key");
    if (key && key->kind == VALUE_NONE)
        key = NULL;
    if (n == 0) {
        const Value *d = args_kw(a, "default");
        if (d) {
            *out = value_ref(d);
            return true;
        }
        return args_error(a, 0, e, ERROR_ARG, "the sequence is empty (give default= for that case)");
    }
    size_t best = 0;
    Value bestk = value_none();
    for (size_t i = 0; i < n; i++) {
        Value k;
        if (key) {
            Value *arg = (Value *)&items[i];
            if (!call_value(in, key, &arg, 1, NULL, NULL, 0, NULL, &k, e)) {
                value_free(&bestk);
                return false;
            }
        } else {
            k = value_ref(&items[i]);
        }
        if (i == 0) {
            bestk = k;
            continue;
        }
        Value r;
        if (!arith_compare(in, largest ? TOKEN_GT : TOKEN_LT, &k, &bestk, &r, e)) {
            value_free(&k);
            value_free(&bestk);
            return args_error(a, -1, e, e->code, "%s", error_facts(e));
        }
        bool better;
        bool ok = value_truth(&r, &better, e);
        value_free(&r);
        if (!ok) {
            value_free(&k);
            value_free(&bestk);
            return false;
        }
        if (better) {
            value_free(&bestk);
            bestk = k;
            best = i;
        } else {
            value_free(&k);
        }
    }
    value_free(&bestk);
    *out = value_ref(&items[best]);
    return true;
}

/* max(x) and min(x).  With axis=, numpy's max along it.  In nudge's own
 * rules an array (or a number) gives numpy's max of its elements, and two
 * arrays numpy's element-wise maximum; by Python's rules (a .py file)
 * max() walks the items with > as Python does, arrays included. */
bool nudge_extreme(Interp *in, Args *a, bool largest, Value *out, Error *e)
{
    bool any_array = false;
    for (size_t i = 0; i < a->n; i++)
        any_array |= a->arg[i].v->kind == VALUE_TENSOR;
    if (a->n == 1 && !args_kw(a, "key")) {
        const Value *x = a->arg[0].v;
        if (args_kw(a, "axis") || args_kw(a, "keepdims")
            || (!in->python && (x->kind == VALUE_TENSOR || value_is_scalar(x))))
            return numpy_reduce(a, largest ? NP_MAX : NP_MIN, x, out, e);
    }
    if (a->n >= 2 && any_array && !in->python) {
        if (a->n > 2)
            return args_error(a, 2, e, ERROR_ARG, "takes two arrays to compare element by element, not %zu", a->n);
        return numpy_maximum(a, largest, out, e);
    }
    if (a->n >= 2) {
        /* max(a, b, c): the largest of the arguments, Python's way. */
        Value items[ARGS_MAX];
        for (size_t i = 0; i < a->n; i++)
            items[i] = *a->arg[i].v;
        return python_extreme(in, a, items, a->n, largest, out, e);
    }
    const Value *x = a->arg[0].v;
    if (value_is_scalar(x)) {
        *out = value_ref(x);
        return true;
    }
    Value items;
    Iter it;
    if (!iter_init(in, x, &it, e))
        return args_error(a, 0, e, e->code, "%s", error_facts(e));
    if (!value_list(&items, VALUE_LIST, 0, e)) {
        iter_free(&it);
        return false;
    }
    Value v;
    int r;
    while ((r = iter_next(in, &it, &v, e)) == 1)
        list_push(&items, v, e);
    iter_free(&it);
    bool ok = r >= 0 && python_extreme(in, a, items.as.list->items, items.as.list->n, largest, out, e);
    value_free(&items);
    return ok;
}

/* sum(x): numpy's for an array (with axis=), Python's for a list or any
 * other iterable (with start=), and for an array in a .py file. */
bool nudge_sum(Interp *in, Args *a, Value *out, Error *e)
{
    const Value *x = a->arg[0].v;
    /* Python's sum of an array adds its items (rows) one by one from 0,
     * as numpy's own sum does not: so a .py file follows Python. */
    if (args_kw(a, "axis") || args_kw(a, "keepdims") || (!in->python && (x->kind == VALUE_TENSOR || value_is_scalar(x)))) {
        if (a->n > 1)
            return args_error(a, 1, e, ERROR_ARG, "for an array, give the axis by name: sum(x, axis=0)");
        return numpy_reduce(a, NP_SUM, x, out, e);
    }
    const Value *start = a->n > 1 ? a->arg[1].v : args_kw(a, "start");
    Value acc = start ? value_ref(start) : value_int(0);
    if (acc.kind == VALUE_STRING) {
        value_free(&acc);
        return args_error(a, 1, e, ERROR_TYPE, "cannot sum strings; use \"\".join(...)");
    }
    return fold(in, a, TOKEN_PLUS, acc, out, e);
}
