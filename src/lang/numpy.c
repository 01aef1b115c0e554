/* numpy.c - the numpy namespace (np.array, np.dot, np.random.seed, ...) and
 * the methods of arrays (a.dot, a.sum(axis=0), a.reshape, ...), with
 * numpy 1.24's names, arguments, shapes, dtypes and results, bit for bit
 * where numpy's own algorithm is known: sums are numpy's pairwise
 * summation, max and min pick between equal zeros as numpy's vector loops
 * do, np.dot keeps the quirks of the BLAS calls numpy makes.  nudge's own
 * functions (sum, mean, max, argmax, dot, outer, ...) use the same code
 * here on their float arguments.
 *
 * An operand is a Python number (numpy's 0-d case) or an array of 1 or 2
 * dimensions; a result of 0 dimensions is given back as a Python number of
 * the array's dtype (nudge has no 0-d arrays and no numpy scalars). */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nudge/builtins.h"
#include "nudge/interrupt.h"
#include "nudge/mem.h"
#include "nudge/pyformat.h"
#include "nudge/text.h"
#include "derivs.h"
#include "state.h"

/* C11 does not promise PI and EULER. */
static const double PI = 3.14159265358979323846, EULER = 2.71828182845904523536;

Tensor *value_to_tensor(const Value *v, const char *who, Error *e);
bool arith_binary(Interp *in, int op, const Value *a, const Value *b, Value *out, Error *e);

/* --- operands ------------------------------------------------------------------ */

/* An operand as numpy sees it: its array (one reference) and its number
 * of dimensions, 0 for a Python number (held as a 1-element array). */
typedef struct Arr {
    Tensor *t;
    int nd;
} Arr;

static void arr_free(Arr *x)
{
    tensor_delete(x->t);
    x->t = NULL;
}

/* Sets an error at argument i from a message made elsewhere ("tensor: ..."
 * or "who: ..." prefixes are replaced by the function's name). */
static bool rethrow(const Args *a, int i, Error *e)
{
    if (!e)
        return false;
    char msg[ERROR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", error_facts(e));
    return args_error(a, i, e, e->code ? e->code : ERROR_TYPE, "%s", msg);
}

static const char *ordinal(int i)
{
    static const char *const words[] = { "first", "second", "third", "fourth", "fifth", "sixth" };
    return i >= 0 && i < 6 ? words[i] : "next";
}

static bool arr_of(const Args *a, int i, const Value *v, Arr *x, Error *e)
{
    x->nd = 0;
    x->t = NULL;
    if (!value_is_scalar(v) && v->kind != VALUE_TENSOR && v->kind != VALUE_LIST && v->kind != VALUE_TUPLE
        && v->kind != VALUE_RANGE) {
        char d[64];
        if (i < 0)
            return args_error(a, i, e, ERROR_TYPE, "needs an array, not %s", value_describe(v, d, sizeof d));
        return args_error(a, i, e, ERROR_TYPE, "the %s argument must be a number, a list of numbers or an array, "
                          "not %s", ordinal(i), value_describe(v, d, sizeof d));
    }
    x->t = value_to_tensor(v, a->name, e);
    if (!x->t)
        return rethrow(a, i, e);
    x->nd = value_is_scalar(v) ? 0 : x->t->ndim;
    return true;
}

/* The i-th positional argument (or the receiver first, for a method). */
static const Value *arg_at(const Args *a, size_t i)
{
    if (a->self)
        return i == 0 ? a->self : i - 1 < a->n ? a->arg[i - 1].v : NULL;
    return i < a->n ? a->arg[i].v : NULL;
}

/* An argument given by position or by name (NULL when neither; None counts
 * as given). */
static const Value *arg_or_kw(const Args *a, size_t i, const char *name)
{
    const Value *v = arg_at(a, i);
    return v ? v : args_kw(a, name);
}

static int argcol(const Args *a, size_t i)
{
    return a->self ? (int)i - 1 : (int)i;
}


static Dtype scalar_dtype(const Value *v)
{
    return v->kind == VALUE_BOOL ? DTYPE_BOOL : v->kind == VALUE_INT ? DTYPE_INT64 : DTYPE_FLOAT64;
}

static int dtype_rank(Dtype d)
{
    return d == DTYPE_BOOL ? 0 : d == DTYPE_INT64 ? 1 : 2;
}

static Dtype dtype_max(Dtype a, Dtype b)
{
    return dtype_rank(a) >= dtype_rank(b) ? a : b;
}

/* A float converted to int64 as numpy's cast does on x86: toward zero, and
 * the smallest int64 for NaN, infinities and values out of range. */
static double to_int64(double x)
{
    if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0))
        return -9223372036854775808.0;
    return trunc(x) + 0.0;
}

/* A number of dtype dt holding d. */
static Value scalar_value(double d, Dtype dt)
{
    return dt == DTYPE_INT64 ? value_int((long long)to_int64(d)) : dt == DTYPE_BOOL ? value_bool(d != 0)
                                                                                  : value_number(d);
}

/* Ints and bools are stored as doubles: keep them numpy's values (no -0,
 * bools 0 or 1, ints within int64's range). */
static void canon(Tensor *t)
{
    size_t n = tensor_size(t);
    if (t->dtype == DTYPE_INT64)
        for (size_t i = 0; i < n; i++)
            t->data[i] = to_int64(t->data[i]);
    else if (t->dtype == DTYPE_BOOL)
        for (size_t i = 0; i < n; i++)
            t->data[i] = t->data[i] != 0;
}

static void cast(Tensor *t, Dtype dt)
{
    size_t n = tensor_size(t);
    if (dt == DTYPE_INT64 && t->dtype == DTYPE_FLOAT64)
        for (size_t i = 0; i < n; i++)
            t->data[i] = to_int64(t->data[i]);
    t->dtype = dt;
    canon(t);
}

/* A new array of the shape (nd 0 is a 1-element array given back as a number). */
static Tensor *new_array(int nd, size_t rows, size_t cols, Dtype dt, Error *e)
{
    Tensor *t = tensor_new(nd == 2 ? 2 : 1, nd == 2 ? rows : 1, cols, e);
    if (t)
        t->dtype = dt;
    return t;
}

/* Gives t as the result: a number when nd is 0.  Takes t. */
static bool give(Value *out, Tensor *t, int nd)
{
    if (!t)
        return false;
    canon(t);
    if (nd == 0) {
        *out = scalar_value(t->data[0], t->dtype);
        tensor_delete(t);
    } else {
        *out = value_tensor(t);
    }
    return true;
}

/* A dtype named by a string ("float64"), a type (float, int, bool) or
 * np.float64.  0 when v names none of nudge's, -1 when it names one nudge
 * does not have (float32, ...). */
static int dtype_of(const Value *v, Dtype *out)
{
    const char *name = v->kind == VALUE_STRING ? value_str(v) : v->kind == VALUE_BUILTIN ? v->as.builtin->name : NULL;
    if (!name)
        return 0;
    static const char *const floats[] = { "float", "float64", "double", "f8", "float_", "d" };
    static const char *const ints[] = { "int", "int64", "i8", "int_", "l", "intp" };
    static const char *const bools[] = { "bool", "bool_", "?", "b1" };
    for (size_t i = 0; i < sizeof floats / sizeof *floats; i++)
        if (!strcmp(name, floats[i]))
            return *out = DTYPE_FLOAT64, 1;
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
        if (!strcmp(name, ints[i]))
            return *out = DTYPE_INT64, 1;
    for (size_t i = 0; i < sizeof bools / sizeof *bools; i++)
        if (!strcmp(name, bools[i]))
            return *out = DTYPE_BOOL, 1;
    return -1;
}

/* dtype= of a call: *given false when absent or None. */
static bool dtype_kw(const Args *a, const Value *v, Dtype *dt, bool *given, Error *e)
{
    *given = false;
    if (!v || v->kind == VALUE_NONE)
        return true;
    int k = dtype_of(v, dt);
    if (k <= 0) {
        char d[64];
        return args_error(a, -1, e, ERROR_ARG, "dtype= %s is not one of nudge's: its arrays hold float64, int64 or "
                          "bool", v->kind == VALUE_STRING ? value_str(v) : value_describe(v, d, sizeof d));
    }
    *given = true;
    return true;
}

/* A shape from an int or a tuple of at most two ints. */
static bool shape_arg(const Args *a, const Value *v, int i, int *ndim, size_t *rows, size_t *cols, Error *e)
{
    long long dims[2];
    size_t n = 0;
    if (v->kind == VALUE_INT) {
        dims[n++] = v->as.integer;
    } else if (v->kind == VALUE_TUPLE || v->kind == VALUE_LIST) {
        if (v->as.list->n > 2)
            return args_error(a, i, e, ERROR_ARG, "nudge's arrays have at most 2 dimensions, not %zu", v->as.list->n);
        for (size_t k = 0; k < v->as.list->n; k++) {
            const Value *d = &v->as.list->items[k];
            if (d->kind != VALUE_INT)
                return args_error(a, i, e, ERROR_TYPE, "a shape is made of ints");
            dims[n++] = d->as.integer;
        }
    } else {
        char d[64];
        return args_error(a, i, e, ERROR_TYPE, "a shape is an int or a tuple of ints, not %s",
                          value_describe(v, d, sizeof d));
    }
    for (size_t k = 0; k < n; k++)
        if (dims[k] < 0)
            return args_error(a, i, e, ERROR_ARG, "negative dimensions are not allowed");
    if (n == 0)
        return args_error(a, i, e, ERROR_ARG, "a shape of () makes a 0-d array, which nudge does not have");
    if ((n == 2 && dims[0] && (unsigned long long)dims[1] > TENSOR_MAX_ELEMS / (unsigned long long)dims[0])
        || (unsigned long long)dims[n - 1] > TENSOR_MAX_ELEMS)
        return args_error(a, i, e, ERROR_LIMIT, "the array would be too large (at most %zu values)", TENSOR_MAX_ELEMS);
    *ndim = (int)n;
    *rows = n == 2 ? (size_t)dims[0] : 1;
    *cols = (size_t)dims[n - 1];
    return true;
}

/* Writes numpy's spelling of a shape of nd dimensions. */
static const char *shape_text(int nd, size_t rows, size_t cols, char *buf, size_t n)
{
    if (nd == 0)
        snprintf(buf, n, "()");
    else
        tensor_shape_fmt(nd, rows, cols, buf, n);
    return buf;
}

static const char *arr_shape(const Arr *x, char *buf, size_t n)
{
    return shape_text(x->nd, x->t->rows, x->t->cols, buf, n);
}

/* --- broadcasting --------------------------------------------------------------- */

typedef struct Shape {
    int nd;
    size_t rows, cols;      /* rows is 1 below 2 dimensions, cols 1 at 0 */
} Shape;

/* numpy's broadcast of n operands (NULL arrays are skipped), or an error
 * naming their shapes. */
static bool broadcast(const Args *a, const Arr *xs, int n, Shape *s, Error *e)
{
    s->nd = 0;
    s->rows = s->cols = 1;
    bool ok = true;
    for (int i = 0; i < n; i++) {
        const Arr *x = &xs[i];
        if (!x->t)
            continue;
        if (x->nd > s->nd)
            s->nd = x->nd;
        size_t r = x->nd == 2 ? x->t->rows : 1, c = x->nd >= 1 ? x->t->cols : 1;
        if (r != 1) {
            if (s->rows != 1 && s->rows != r)
                ok = false;
            s->rows = r;
        }
        if (c != 1) {
            if (s->cols != 1 && s->cols != c)
                ok = false;
            s->cols = c;
        }
    }
    if (ok)
        return true;
    char list[160] = "";
    size_t len = 0;
    for (int j = 0; j < n && len < sizeof list; j++)
        if (xs[j].t) {
            char b[48];
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", len ? " and " : "",
                                    arr_shape(&xs[j], b, sizeof b));
        }
    return args_error(a, -1, e, ERROR_SHAPE, "shapes %s do not broadcast together", list);
}

/* The element of x at (r, c) of a broadcast shape. */
static inline double bget(const Tensor *t, size_t r, size_t c)
{
    return t->data[(t->rows == 1 ? 0 : r) * t->cols + (t->cols == 1 ? 0 : c)];
}

/* --- numpy's summation, max and min ----------------------------------------------- */

/* numpy's pairwise summation (umath/loops_utils.h): blocks of at most 128
 * values summed with 8 accumulators, halves of longer runs summed
 * separately; runs under 8 values from 0 in order. */
static double pairwise(const double *p, size_t n, size_t stride)
{
    if (n < 8) {
        double s = 0.;
        for (size_t i = 0; i < n; i++)
            s += p[i * stride];
        return s;
    }
    if (n <= 128) {
        double r[8];
        for (int k = 0; k < 8; k++)
            r[k] = p[(size_t)k * stride];
        size_t i;
        for (i = 8; i < n - n % 8; i += 8)
            for (int k = 0; k < 8; k++)
                r[k] += p[(i + (size_t)k) * stride];
        double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            s += p[i * stride];
        return s;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise(p, n2, stride) + pairwise(p + n2 * stride, n - n2, stride);
}

/* numpy's maximum and minimum of two floats: the first if it is NaN, else
 * the second unless the first is strictly larger (smaller): so between
 * two equal zeros the second wins, as x86's maxsd/minsd decide. */
static inline double np_max2(double a, double b) { return isnan(a) ? a : a > b ? a : b; }
static inline double np_min2(double a, double b) { return isnan(a) ? a : a < b ? a : b; }

/* One buffer's run of values folded into io with max or min as numpy 1.24
 * does on this machine's AVX-512 loop: 8 lanes start at io; the values go
 * through them 64 at a time in a tree, then 8 at a time; the lanes are
 * folded as _mm512_reduce_max_pd does (halves, then quarters, then the
 * pair), and the last few values are taken one by one.  Only which of two
 * equal zeros comes out depends on this order. */
static double lanes_run(double io, const double *q, size_t len, size_t stride, bool largest)
{
    double (*op)(double, double) = largest ? np_max2 : np_min2;
    size_t i = 0;
    if (len < 8) {
        for (; i < len; i++)
            io = op(io, q[i * stride]);
        return io;
    }
    double acc[8];
    for (int k = 0; k < 8; k++)
        acc[k] = io;
    for (; len - i >= 64; i += 64) {
        double v[8][8];
        for (int j = 0; j < 8; j++)
            for (int k = 0; k < 8; k++)
                v[j][k] = q[(i + (size_t)(8 * j + k)) * stride];
        for (int k = 0; k < 8; k++) {
            double r01 = op(v[0][k], v[1][k]), r23 = op(v[2][k], v[3][k]);
            double r45 = op(v[4][k], v[5][k]), r67 = op(v[6][k], v[7][k]);
            acc[k] = op(acc[k], op(op(r01, r23), op(r45, r67)));
        }
    }
    for (; len - i >= 8; i += 8)
        for (int k = 0; k < 8; k++)
            acc[k] = op(acc[k], q[(i + (size_t)k) * stride]);
    double r = NAN;
    bool nan = false;
    for (int k = 0; k < 8; k++)
        nan |= isnan(acc[k]);
    if (!nan) {
        double h[4], g[2];
        for (int k = 0; k < 4; k++)
            h[k] = op(acc[k + 4], acc[k]);
        for (int k = 0; k < 2; k++)
            g[k] = op(h[k + 2], h[k]);
        r = op(g[0], g[1]);
    }
    for (; i < len; i++)
        r = op(r, q[i * stride]);
    return r;
}

/* numpy's reductions go through buffers of 8192 values. */
enum { NP_BUFSIZE = 8192 };

/* max or min of a run: the first value starts the result, and the rest go
 * in numpy's buffers (the first one value short, so that the others start
 * at multiples of 8192). */
static double lanes_extreme(const double *p, size_t n, size_t stride, bool largest)
{
    double io = p[0];
    for (size_t at = 1; at < n;) {
        size_t end = (at / NP_BUFSIZE + 1) * NP_BUFSIZE;
        size_t len = (end < n ? end : n) - at;
        io = lanes_run(io, p + at * stride, len, stride, largest);
        at += len;
    }
    return io;
}

/* A run summed as numpy does: pairwise within each buffer of 8192 values,
 * the buffers' sums added in order from 0. */
static double buffered_sum(const double *p, size_t n, size_t stride)
{
    double s = 0.0;
    for (size_t at = 0; at < n; at += NP_BUFSIZE)
        s += pairwise(p + at * stride, n - at < NP_BUFSIZE ? n - at : NP_BUFSIZE, stride);
    return s;
}

/* --- reductions ---------------------------------------------------------------------- */

enum Red { RED_SUM, RED_MEAN, RED_MAX, RED_MIN, RED_ARGMAX, RED_ARGMIN, RED_ANY, RED_ALL, RED_VAR, RED_STD };

/* One run of values a reduction folds into one result. */
typedef struct Lane {
    const double *p;
    size_t n, stride;
    bool ordered;       /* added (or compared) one after another, not pairwise */
} Lane;

static double lane_sum(const Lane *l)
{
    if (l->ordered) {
        double s = 0.0;
        for (size_t i = 0; i < l->n; i++)
            s += l->p[i * l->stride];
        return s;
    }
    return buffered_sum(l->p, l->n, l->stride);
}

static double lane_extreme(const Lane *l, bool largest)
{
    if (!l->ordered)
        return lanes_extreme(l->p, l->n, l->stride, largest);
    double r = l->p[0];
    for (size_t i = 1; i < l->n; i++)
        r = largest ? np_max2(r, l->p[i * l->stride]) : np_min2(r, l->p[i * l->stride]);
    return r;
}

/* The first index of the largest (smallest) value; a NaN counts as the
 * largest and the smallest, as in numpy. */
static size_t lane_arg(const Lane *l, bool largest)
{
    size_t best = 0;
    double b = l->p[0];
    if (isnan(b))
        return 0;
    for (size_t i = 1; i < l->n; i++) {
        double v = l->p[i * l->stride];
        if (isnan(v))
            return i;
        if (largest ? v > b : v < b) {
            b = v;
            best = i;
        }
    }
    return best;
}

/* An error about option name, pointing at it in the call. */
static bool kw_fail(const Args *a, const char *name, Error *e, ErrorCode code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static bool kw_fail(const Args *a, const char *name, Error *e, ErrorCode code, const char *fmt, ...)
{
    char msg[ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    args_error_set(a, -1, e, code, "%s", msg);
    for (size_t i = 0; e && i < a->nkw; i++)
        if (!strcmp(a->kw[i].name, name) && a->kw[i].col > 0)
            e->col = a->kw[i].col;
    return false;
}

/* axis=: -1 for all axes, else the axis.  A tuple naming every axis is
 * all of them; one naming one axis, that one. */
static bool axis_arg(const Args *a, const Value *v, int nd, int kind, int *axis, Error *e)
{
    *axis = -1;
    if (!v || v->kind == VALUE_NONE)
        return true;
    bool arg = kind == RED_ARGMAX || kind == RED_ARGMIN;
    bool counted = kind == RED_MEAN || kind == RED_VAR || kind == RED_STD;
    long long ax[2];
    size_t n = 0;
    if (v->kind == VALUE_INT) {
        ax[n++] = v->as.integer;
    } else if ((v->kind == VALUE_TUPLE || v->kind == VALUE_LIST) && !arg) {
        if (v->as.list->n > 2 || v->as.list->n == 0)
            return kw_fail(a, "axis", e, ERROR_ARG, "axis=%s: nudge's arrays have 1 or 2 axes to reduce over",
                              v->as.list->n ? "(...)" : "()");
        for (size_t i = 0; i < v->as.list->n; i++) {
            const Value *x = &v->as.list->items[i];
            if (x->kind != VALUE_INT)
                return kw_fail(a, "axis", e, ERROR_TYPE, "axis= must be an int, a tuple of ints or None");
            ax[n++] = x->as.integer;
        }
        counted = true;     /* numpy checks each axis of a tuple strictly */
    } else {
        char d[64];
        return kw_fail(a, "axis", e, ERROR_TYPE, "axis= must be an int%s or None, not %s", arg ? "" : " (or a tuple)",
                          value_describe(v, d, sizeof d));
    }
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        long long k = ax[i];
        if (nd == 0) {
            /* numpy's reduce lets a 0-d array take axis 0 or -1; mean, var
             * and std count the axis first and refuse it */
            if (counted || (k != 0 && k != -1))
                return kw_fail(a, "axis", e, ERROR_ARG, "axis %lld is out of bounds: a number has no axes", k);
            continue;
        }
        long long w = k < 0 ? k + nd : k;
        if (w < 0 || w >= nd)
            return kw_fail(a, "axis", e, ERROR_ARG, "axis %lld is out of bounds for an array of %d dimension%s (%s)",
                           k, nd, nd == 1 ? "" : "s", nd == 1 ? "axis 0, or -1" : "axes 0 and 1, or -2 and -1");
        if (seen & (1 << w))
            return kw_fail(a, "axis", e, ERROR_ARG, "duplicate value in axis=");
        seen |= 1 << w;
    }
    if (nd == 0)
        return true;
    if (seen == (1 << nd) - 1)
        *axis = -1;
    else
        *axis = seen == 1 ? 0 : 1;
    return true;
}

static const char *red_word(int kind)
{
    static const char *const w[] = { "sum", "mean", "maximum", "minimum", "argmax", "argmin", "any", "all", "var", "std" };
    return w[kind];
}

/* numpy's reduction kind of x (a number, a list or an array) with axis=,
 * keepdims= and (var, std) ddof= from the call's options. */
static bool reduce_value(const Args *a, int kind, const Value *x, int xi, Value *out, Error *e)
{
    Arr v;
    if (!arr_of(a, xi, x, &v, e))
        return false;
    const Tensor *t = v.t;
    int axis;
    bool keep = false;
    double ddof = 0;
    const Value *kv = args_kw(a, "keepdims"), *dv = args_kw(a, "ddof");
    if (!axis_arg(a, args_kw(a, "axis"), v.nd, kind, &axis, e)) {
        arr_free(&v);
        return false;
    }
    if (kv && kv->kind != VALUE_NONE) {
        if (!value_truth(kv, &keep, e)) {
            arr_free(&v);
            return rethrow(a, -1, e);
        }
    }
    if (dv && dv->kind != VALUE_NONE) {
        if (!value_is_scalar(dv)) {
            arr_free(&v);
            return args_error(a, -1, e, ERROR_TYPE, "ddof= must be a number");
        }
        ddof = value_to_double(dv);
    }
    /* The runs to fold and the result's shape. */
    size_t rows = v.nd == 2 ? t->rows : 1, cols = t->cols, nl;
    int rnd;
    size_t rr, rc;
    Lane proto = { t->data, tensor_size(t), 1, false };
    size_t step = 0;            /* between one lane's start and the next's */
    if (axis < 0 || v.nd == 1) {
        nl = 1;
        rnd = keep ? v.nd : 0;
        rr = 1;
        rc = 1;
    } else if (axis == 1) {
        nl = rows;
        proto.n = cols;
        step = cols;
        rnd = keep ? 2 : 1;
        rr = keep ? rows : 1;
        rc = keep ? 1 : rows;
    } else {
        nl = cols;
        proto.n = rows;
        proto.stride = cols;
        proto.ordered = cols > 1;   /* numpy adds the rows one after another */
        step = 1;
        rnd = keep ? 2 : 1;
        rr = 1;
        rc = cols;
    }
    bool largest = kind == RED_MAX || kind == RED_ARGMAX;
    if ((kind == RED_MAX || kind == RED_MIN || kind == RED_ARGMAX || kind == RED_ARGMIN) && nl && !proto.n) {
        arr_free(&v);
        if (kind == RED_ARGMAX || kind == RED_ARGMIN)
            return args_error(a, xi, e, ERROR_ARG, "attempt to get %s of an empty sequence", red_word(kind));
        return args_error(a, xi, e, ERROR_ARG, "zero-size array to reduction operation %s which has no identity "
                          "(the array is empty, so it has no %s element)", red_word(kind),
                          largest ? "largest" : "smallest");
    }
    Dtype dt = kind == RED_SUM ? (t->dtype == DTYPE_FLOAT64 ? DTYPE_FLOAT64 : DTYPE_INT64)
             : kind == RED_MAX || kind == RED_MIN ? t->dtype
             : kind == RED_ARGMAX || kind == RED_ARGMIN ? DTYPE_INT64
             : kind == RED_ANY || kind == RED_ALL ? DTYPE_BOOL : DTYPE_FLOAT64;
    Tensor *r = new_array(rnd, rr, rc, dt, e);
    if (!r) {
        arr_free(&v);
        return rethrow(a, xi, e);
    }
    /* var and std: the squares of the distances from the mean, folded as
     * the values are. */
    Tensor *sq = NULL;
    if (kind == RED_VAR || kind == RED_STD) {
        sq = tensor_copy(t, e);
        if (!sq) {
            tensor_delete(r);
            arr_free(&v);
            return rethrow(a, xi, e);
        }
        for (size_t k = 0; k < nl; k++) {
            Lane l = proto;
            l.p = t->data + k * step;
            double m = lane_sum(&l) / (double)l.n;
            for (size_t i = 0; i < l.n; i++) {
                double d = l.p[i * l.stride] - m;
                sq->data[(size_t)(l.p - t->data) + i * l.stride] = d * d;
            }
        }
    }
    for (size_t k = 0; k < nl; k++) {
        Lane l = proto;
        l.p = t->data + k * step;
        double res = 0;
        switch (kind) {
        case RED_SUM: res = lane_sum(&l); break;
        case RED_MEAN: res = lane_sum(&l) / (double)l.n; break;
        case RED_MAX:
        case RED_MIN: res = lane_extreme(&l, largest); break;
        case RED_ARGMAX:
        case RED_ARGMIN: res = (double)lane_arg(&l, largest); break;
        case RED_ANY:
        case RED_ALL: {
            bool any = false, all = true;
            for (size_t i = 0; i < l.n; i++) {
                bool nz = l.p[i * l.stride] != 0;
                any |= nz;
                all &= nz;
            }
            res = kind == RED_ANY ? any : all;
            break;
        }
        default: {
            l.p = sq->data + k * step;
            double dof = (double)l.n - ddof;
            res = lane_sum(&l) / (dof > 0 ? dof : 0.0);
            if (kind == RED_STD)
                res = sqrt(res);
        }
        }
        r->data[k] = res;
    }
    tensor_delete(sq);
    arr_free(&v);
    return give(out, r, rnd);
}

/* For nudge's own functions (builtins.c): the reduction named by kind on
 * x, with the call's axis= and keepdims=. */
bool numpy_reduce(const Args *a, int kind, const Value *x, Value *out, Error *e)
{
    return reduce_value(a, kind, x, 0, out, e);
}

static bool np_reduce(const Args *a, int kind, Value *out, Error *e)
{
    /* np.sum(a, axis) and a.sum(axis): the axis may come by position */
    Args b = *a;
    const Value *x = arg_at(a, 0), *pos = arg_at(a, 1);
    if (pos) {
        if (args_kw(a, "axis"))
            return args_error(a, argcol(a, 1), e, ERROR_ARG, "got axis twice, by position and by name");
        if (b.nkw >= ARGS_MAX)
            return args_error(a, -1, e, ERROR_LIMIT, "too many options");
        b.kw[b.nkw++] = (KwArg){ "axis", *pos, a->col };
    }
    return reduce_value(&b, kind, x, a->self ? -1 : 0, out, e);
}

#define REDUCER(fname, kind) \
    static bool fname(Interp *in, Args *a, Value *out, Error *e) { (void)in; return np_reduce(a, kind, out, e); }
REDUCER(np_sum, RED_SUM)
REDUCER(np_mean, RED_MEAN)
REDUCER(np_max, RED_MAX)
REDUCER(np_min, RED_MIN)
REDUCER(np_argmax, RED_ARGMAX)
REDUCER(np_argmin, RED_ARGMIN)
REDUCER(np_any, RED_ANY)
REDUCER(np_all, RED_ALL)
REDUCER(np_var, RED_VAR)
REDUCER(np_std, RED_STD)

/* --- element-wise -------------------------------------------------------------------- */

/* The row's C function on each element: numpy's float functions (exp,
 * log, sqrt, ...) give float64 whatever the input.  (numpy would compute a
 * bool array's in float16; nudge has only float64.) */
/* The row's function on each value of x, into a new array of dtype dt;
 * frees x. */
static bool map_array(Args *a, Arr *x, Dtype dt, Value *out, Error *e)
{
    Tensor *r = new_array(x->nd, x->t->rows, x->t->cols, dt, e);
    if (r && !tensor_map_into(r, x->t, a->row->map, e)) {
        tensor_delete(r);
        r = NULL;
    }
    int nd = x->nd;
    arr_free(x);
    return give(out, r, nd) || rethrow(a, 0, e);
}

static bool np_map(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    Arr x;
    return arr_of(a, 0, a->arg[0].v, &x, e) && map_array(a, &x, DTYPE_FLOAT64, out, e);
}

static double f_square(double x) { return x * x; }
static double f_sign(double x) { return x > 0 ? 1 : x < 0 ? -1 : x == 0 ? 0 : x; }
static double f_abs(double x) { return fabs(x); }

/* Functions that keep an int array's dtype: abs, square, sign. */
static bool np_keepmap(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    Arr x;
    if (!arr_of(a, 0, a->arg[0].v, &x, e))
        return false;
    Dtype dt = x.t->dtype;
    if (dt == DTYPE_BOOL && a->row->map == f_sign) {
        arr_free(&x);
        return args_error(a, 0, e, ERROR_TYPE, "numpy's sign does not work on bools (convert with .astype(int))");
    }
    if (dt == DTYPE_BOOL && a->row->map == f_square)
        dt = DTYPE_INT64;       /* numpy: int8 */
    return map_array(a, &x, dt, out, e);
}

static double f_isnan(double x) { return isnan(x); }
static double f_isinf(double x) { return isinf(x); }
static double f_isfinite(double x) { return isfinite(x); }

static bool np_test(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    Arr x;
    return arr_of(a, 0, a->arg[0].v, &x, e) && map_array(a, &x, DTYPE_BOOL, out, e);
}

typedef double (*Fn2)(double, double);

/* f of n broadcast operands (NULL Values are left out, for clip's None),
 * into an array of dtype dt. */
static bool zip_values(const Args *a, const Value *const *vs, int n, double (*f)(const double *), Dtype dt,
                       Value *out, Error *e)
{
    Arr xs[3] = { { NULL, 0 }, { NULL, 0 }, { NULL, 0 } };
    bool ok = true;
    for (int i = 0; i < n && ok; i++)
        if (vs[i])
            ok = arr_of(a, i, vs[i], &xs[i], e);
    Shape s = { 0, 1, 1 };
    Tensor *r = NULL;
    if (ok)
        ok = broadcast(a, xs, n, &s, e);
    if (ok && !(r = new_array(s.nd, s.rows, s.cols, dt, e)))
        ok = rethrow(a, -1, e);
    if (ok) {
        double v[3] = { 0, 0, 0 };
        size_t since = 0;       /* a large array polls Ctrl-C every 2^16 values */
        for (size_t i = 0; i < s.rows && ok; i++)
            for (size_t j = 0; j < s.cols && ok; j++) {
                for (int k = 0; k < n; k++)
                    v[k] = xs[k].t ? bget(xs[k].t, i, j) : NAN;
                r->data[i * s.cols + j] = f(v);
                if (++since == (size_t)1 << 16) {
                    since = 0;
                    ok = !interrupt_check(e);
                }
            }
        if (!ok) {
            tensor_delete(r);
            r = NULL;
        }
    }
    for (int i = 0; i < n; i++)
        arr_free(&xs[i]);
    return ok && give(out, r, s.nd);
}

static Dtype values_dtype(const Value *const *vs, int n)
{
    Dtype dt = DTYPE_BOOL;
    for (int i = 0; i < n; i++) {
        if (!vs[i])
            continue;
        Dtype d = vs[i]->kind == VALUE_TENSOR ? vs[i]->as.tensor->dtype : value_is_scalar(vs[i]) ? scalar_dtype(vs[i])
                : DTYPE_FLOAT64;
        if (vs[i]->kind == VALUE_LIST || vs[i]->kind == VALUE_TUPLE) {
            Tensor *t = value_to_tensor(vs[i], "", NULL);
            d = t ? t->dtype : DTYPE_FLOAT64;
            tensor_delete(t);
        }
        dt = i == 0 || (i == 1 && !vs[0]) ? d : dtype_max(dt, d);
    }
    return dt;
}

static double z_max(const double *v) { return np_max2(v[0], v[1]); }
static double z_min(const double *v) { return np_min2(v[0], v[1]); }

static bool np_maximum(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Value *vs[2] = { a->arg[0].v, a->arg[1].v };
    return zip_values(a, vs, 2, strcmp(a->name, "minimum") ? z_max : z_min, values_dtype(vs, 2), out, e);
}

/* For nudge's max(a, b) and min(a, b) of arrays (builtins.c). */
bool numpy_maximum(const Args *a, bool largest, Value *out, Error *e)
{
    const Value *vs[2] = { a->arg[0].v, a->arg[1].v };
    return zip_values(a, vs, 2, largest ? z_max : z_min, values_dtype(vs, 2), out, e);
}

static double z_where(const double *v) { return v[0] != 0 ? v[1] : v[2]; }

/* The indices of the nonzero elements: one int64 array per axis. */
static bool nonzero(const Args *a, const Value *x, Value *out, Error *e)
{
    Arr v;
    if (!arr_of(a, 0, x, &v, e))
        return false;
    if (v.nd == 0) {
        arr_free(&v);
        return args_error(a, 0, e, ERROR_ARG, "needs an array, not a number (numpy's where(x) of a 0-d array is "
                          "deprecated)");
    }
    size_t n = 0, size = tensor_size(v.t);
    for (size_t i = 0; i < size; i++)
        n += v.t->data[i] != 0;
    bool ok = value_list(out, VALUE_TUPLE, 2, e);
    for (int axis = 0; ok && axis < v.nd; axis++) {
        Tensor *r = new_array(1, 1, n, DTYPE_INT64, e);
        ok = r != NULL;
        for (size_t i = 0, k = 0; ok && i < size; i++)
            if (v.t->data[i] != 0)
                r->data[k++] = (double)(v.nd == 1 ? i : axis == 0 ? i / v.t->cols : i % v.t->cols);
        ok = ok && list_push(out, value_tensor(r), e);
    }
    arr_free(&v);
    if (!ok && out->kind == VALUE_TUPLE)
        value_free(out);
    return ok || rethrow(a, 0, e);
}

static bool np_where(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    if (a->n == 1)
        return nonzero(a, a->arg[0].v, out, e);
    if (a->n != 3)
        return args_error(a, -1, e, ERROR_ARG, "takes a condition alone, or a condition and two values to choose "
                          "from: np.where(c, x, y)");
    const Value *vs[3] = { a->arg[0].v, a->arg[1].v, a->arg[2].v };
    return zip_values(a, vs, 3, z_where, values_dtype(vs + 1, 2), out, e);
}

/* numpy's clip: min(max(x, lo), hi), each keeping a NaN in x, and a NaN
 * bound coming through (x > NaN is false). */
static double z_clip(const double *v) { return np_min2(np_max2(v[0], v[1]), v[2]); }

static double z_clip_lo(const double *v) { return np_max2(v[0], v[1]); }
static double z_clip_hi(const double *v) { return np_min2(v[0], v[2]); }

static bool clip_values(const Args *a, const Value *x, const Value *lo, const Value *hi, Value *out, Error *e)
{
    if (lo && lo->kind == VALUE_NONE)
        lo = NULL;
    if (hi && hi->kind == VALUE_NONE)
        hi = NULL;
    if (!lo && !hi)
        return args_error(a, -1, e, ERROR_ARG, "one of the bounds must be given (not both None)");
    /* numpy 1.24 reads a bound that is the number NaN as no bound (a
     * deprecated rule: a NaN inside an array bound does come through) */
    Value lo_inf = value_number(-INFINITY), hi_inf = value_number(INFINITY);
    if (lo && lo->kind == VALUE_NUMBER && isnan(lo->as.number))
        lo = &lo_inf;
    if (hi && hi->kind == VALUE_NUMBER && isnan(hi->as.number))
        hi = &hi_inf;
    const Value *vs[3] = { x, lo, hi };
    return zip_values(a, vs, 3, !lo ? z_clip_hi : !hi ? z_clip_lo : z_clip, values_dtype(vs, 3), out, e);
}

static bool np_clip(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    return clip_values(a, arg_at(a, 0), arg_or_kw(a, 1, "a_min"), arg_or_kw(a, 2, "a_max"), out, e);
}

/* np.power is the ufunc itself: it has none of ** 's shortcuts (np.power(-0.0,
 * 0.5) is pow's 0.0, where (-0.0) ** 0.5 is sqrt's -0.0).  A number as the
 * exponent of an array goes in as a 1-element array, which broadcasts the
 * same and keeps the dtype numpy gives. */
static bool np_power(Interp *in, Args *a, Value *out, Error *e)
{
    const Value *x = a->arg[0].v, *y = a->arg[1].v;
    bool sx = value_is_scalar(x), sy = value_is_scalar(y);
    if (!sy)
        return arith_binary(in, TOKEN_POW, x, y, out, e) || rethrow(a, -1, e);
    /* a number exponent goes in as an array (and so does a number base:
     * numpy's float64 or int64 power, not Python's) */
    Value xv = value_none(), yv = value_none();
    Tensor *tx = sx ? value_to_tensor(x, a->name, e) : NULL, *ty = tx || !sx ? value_to_tensor(y, a->name, e) : NULL;
    bool ok = ty && (!sx || tx);
    if (ok) {
        xv = sx ? value_tensor(tx) : value_none();
        yv = value_tensor(ty);
        ok = arith_binary(in, TOKEN_POW, sx ? &xv : x, &yv, out, e);
    } else {
        tensor_delete(tx);
    }
    value_free(&xv);
    value_free(&yv);
    if (!ok)
        return rethrow(a, -1, e);
    if (sx && out->kind == VALUE_TENSOR) {
        Tensor *r = tensor_retain(out->as.tensor);
        value_free(out);
        return give(out, r, 0);
    }
    return true;
}

/* numpy's isclose on one pair: |x - y| <= atol + rtol*|y|, infinities
 * equal only to themselves, NaN to NaN only with equal_nan. */
static bool close_pair(double x, double y, double rtol, double atol, bool equal_nan)
{
    if (isfinite(x) && isfinite(y))
        return fabs(x - y) <= atol + rtol * fabs(y);
    if (isnan(x) || isnan(y))
        return equal_nan && isnan(x) && isnan(y);
    return x == y;
}

static bool isclose_values(const Args *a, Value *out, bool all, Error *e)
{
    double rtol = 1e-05, atol = 1e-08;
    bool equal_nan = false;
    const Value *rv = arg_or_kw(a, 2, "rtol"), *av = arg_or_kw(a, 3, "atol"), *nv = arg_or_kw(a, 4, "equal_nan");
    if ((rv && !value_is_scalar(rv)) || (av && !value_is_scalar(av)))
        return args_error(a, -1, e, ERROR_TYPE, "rtol= and atol= must be numbers");
    if (rv)
        rtol = value_to_double(rv);
    if (av)
        atol = value_to_double(av);
    if (nv && !value_truth(nv, &equal_nan, e))
        return rethrow(a, -1, e);
    Arr xs[2] = { { NULL, 0 }, { NULL, 0 } };
    Shape s = { 0, 1, 1 };
    bool ok = arr_of(a, 0, a->arg[0].v, &xs[0], e) && arr_of(a, 1, a->arg[1].v, &xs[1], e) && broadcast(a, xs, 2, &s, e);
    Tensor *r = ok ? new_array(s.nd, s.rows, s.cols, DTYPE_BOOL, e) : NULL;
    bool every = true;
    if (r)
        for (size_t i = 0; i < s.rows; i++)
            for (size_t j = 0; j < s.cols; j++) {
                bool c = close_pair(bget(xs[0].t, i, j), bget(xs[1].t, i, j), rtol, atol, equal_nan);
                r->data[i * s.cols + j] = c;
                every &= c;
            }
    arr_free(&xs[0]);
    arr_free(&xs[1]);
    if (!r)
        return ok ? rethrow(a, -1, e) : false;
    if (all) {
        tensor_delete(r);
        *out = value_bool(every);
        return true;
    }
    return give(out, r, s.nd);
}

static bool np_isclose(Interp *in, Args *a, Value *out, Error *e) { (void)in; return isclose_values(a, out, false, e); }
static bool np_allclose(Interp *in, Args *a, Value *out, Error *e) { (void)in; return isclose_values(a, out, true, e); }

static bool np_array_equal(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    Arr x, y;
    if (!arr_of(a, 0, a->arg[0].v, &x, e))
        return false;
    if (!arr_of(a, 1, a->arg[1].v, &y, e)) {
        arr_free(&x);
        return false;
    }
    bool eq = x.nd == y.nd && x.t->rows == y.t->rows && x.t->cols == y.t->cols;
    for (size_t i = 0; eq && i < tensor_size(x.t); i++)
        eq = x.t->data[i] == y.t->data[i];
    arr_free(&x);
    arr_free(&y);
    *out = value_bool(eq);
    return true;
}

/* numpy's power_of_ten (multiarray/calculation.c). */
static double power_of_ten(long long n)
{
    static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8 };
    if (n < 9)
        return p10[n];
    double r = 1e9;
    while (n-- > 9)
        r *= 10.;
    return r;
}

/* numpy's round: to the nearest even at a tie, after multiplying by
 * 10**decimals (dividing for negative decimals), then back.  Ints are
 * kept for decimals >= 0, else rounded as floats and made ints again. */
static bool round_value(const Args *a, const Value *x, const Value *dv, Value *out, Error *e)
{
    long long d = 0;
    if (dv && dv->kind != VALUE_NONE) {
        if (dv->kind != VALUE_INT)
            return args_error(a, -1, e, ERROR_TYPE, "decimals= must be an int");
        d = dv->as.integer;
    }
    Arr v;
    if (!arr_of(a, a->self ? -1 : 0, x, &v, e))
        return false;
    Dtype dt = v.t->dtype;
    if (dt == DTYPE_BOOL) {
        arr_free(&v);
        return args_error(a, 0, e, ERROR_TYPE, "numpy rounds bools in float16, which nudge does not have; convert "
                          "with .astype(float) first");
    }
    Tensor *r = new_array(v.nd, v.t->rows, v.t->cols, dt, e);
    if (r) {
        size_t n = tensor_size(r);
        if (dt == DTYPE_INT64 && d >= 0) {
            memcpy(r->data, v.t->data, n * sizeof *r->data);
        } else {
            double f = power_of_ten(d >= 0 ? d : -d);
            for (size_t i = 0; i < n; i++) {
                double y = d >= 0 ? v.t->data[i] * f : v.t->data[i] / f;
                y = nearbyint(y);
                y = d >= 0 ? y / f : y * f;
                r->data[i] = dt == DTYPE_INT64 ? to_int64(y) : y;
            }
        }
    }
    int nd = v.nd;
    arr_free(&v);
    return give(out, r, nd) || rethrow(a, 0, e);
}

static bool np_round(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    return round_value(a, arg_at(a, 0), arg_or_kw(a, 1, "decimals"), out, e);
}

/* --- products -------------------------------------------------------------------------- */

static bool scalar_shaped(const Arr *x)
{
    return x->nd == 0 || tensor_size(x->t) == 1;
}

/* numpy's dot.  A number, or a float array of one element, multiplies the
 * other operand as numpy's BLAS path does it: one element is the product
 * itself (-0 stays -0); more are 0 + s*x (daxpy), and all zeros when s is
 * 0 (daxpy does nothing then, even to inf or NaN). */
static bool dot_values(Interp *in, const Args *a, const Value *x, const Value *y, Value *out, Error *e)
{
    int xi = a->self ? -1 : 0, yi = a->self ? 0 : 1;
    Arr p, q;
    if (!arr_of(a, xi, x, &p, e))
        return false;
    if (!arr_of(a, yi, y, &q, e)) {
        arr_free(&p);
        return false;
    }
    Dtype dt = dtype_max(p.t->dtype, q.t->dtype);
    bool ok = true;
    if (p.nd && q.nd) {
        size_t k1 = p.t->cols, k2 = q.nd == 1 ? q.t->cols : q.t->rows;
        if (k1 != k2 && p.nd == 1 && q.nd == 1) {
            ok = args_error(a, yi, e, ERROR_SHAPE, "vectors have different lengths (%zu and %zu)", k1, k2);
        } else if (k1 != k2) {
            char s1[48], s2[48];
            ok = args_error(a, yi, e, ERROR_SHAPE, "shapes %s and %s are not aligned: %zu %s against %zu %s",
                            arr_shape(&p, s1, sizeof s1), arr_shape(&q, s2, sizeof s2), k1,
                            p.nd == 1 ? "values" : "columns", k2, q.nd == 1 ? "values" : "rows");
        }
    }
    if (ok && (p.nd == 0 || q.nd == 0 || (dt == DTYPE_FLOAT64 && (scalar_shaped(&p) || scalar_shaped(&q))))) {
        bool swap = !(q.nd == 0 || (scalar_shaped(&q) && !(p.nd == 0)));
        const Arr *s = swap ? &p : &q, *o = swap ? &q : &p;
        int nd;
        size_t rows, cols;
        if (p.nd == 0 || q.nd == 0) {
            nd = o->nd;
            rows = o->t->rows;
            cols = o->t->cols;
        } else {
            nd = p.nd + q.nd - 2;
            rows = p.nd == 2 ? p.t->rows : 1;
            cols = q.nd == 2 ? q.t->cols : p.nd == 2 ? p.t->rows : 1;
            if (nd == 1 && p.nd == 2)
                cols = p.t->rows;
        }
        Tensor *r = new_array(nd, rows, cols, dt, e);
        if (r) {
            double sv = s->t->data[0];
            size_t n = tensor_size(r);
            for (size_t i = 0; i < n; i++) {
                double ov = o->t->data[i];
                if (dt == DTYPE_BOOL)
                    r->data[i] = sv != 0 && ov != 0;
                else if (dt != DTYPE_FLOAT64 || n == 1)
                    r->data[i] = sv * ov;
                else
                    r->data[i] = sv == 0 ? 0.0 : sv * ov + 0.0;
            }
        }
        arr_free(&p);
        arr_free(&q);
        return give(out, r, nd) || rethrow(a, -1, e);
    }
    Value vx = value_tensor(p.t), vy = value_tensor(q.t);
    if (ok && !arith_binary(in, TOKEN_AT, &vx, &vy, out, e))
        ok = rethrow(a, yi, e);
    arr_free(&p);
    arr_free(&q);
    return ok;
}

/* For nudge's dot (builtins.c). */
bool numpy_dot(Interp *in, const Args *a, Value *out, Error *e)
{
    return dot_values(in, a, a->arg[0].v, a->arg[1].v, out, e);
}

static bool np_dot(Interp *in, Args *a, Value *out, Error *e)
{
    return dot_values(in, a, arg_at(a, 0), arg_at(a, 1), out, e);
}

static bool np_matmul(Interp *in, Args *a, Value *out, Error *e)
{
    for (int i = 0; i < 2; i++)
        if (value_is_scalar(a->arg[i].v))
            return args_error(a, i, e, ERROR_ARG, "input operand %d does not have enough dimensions: matmul takes "
                              "arrays, not numbers (for a number, use *)", i);
    return arith_binary(in, TOKEN_AT, a->arg[0].v, a->arg[1].v, out, e) || rethrow(a, 1, e);
}

/* The outer product of the two operands flattened. */
bool numpy_outer(const Args *a, Value *out, Error *e)
{
    Arr p, q;
    if (!arr_of(a, 0, a->arg[0].v, &p, e))
        return false;
    if (!arr_of(a, 1, a->arg[1].v, &q, e)) {
        arr_free(&p);
        return false;
    }
    Dtype dt = dtype_max(p.t->dtype, q.t->dtype);
    size_t m = tensor_size(p.t), n = tensor_size(q.t);
    Tensor *r = new_array(2, m, n, dt, e);
    if (r)
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < n; j++)
                r->data[i * n + j] = dt == DTYPE_BOOL ? (p.t->data[i] != 0 && q.t->data[j] != 0)
                                                      : p.t->data[i] * q.t->data[j];
    arr_free(&p);
    arr_free(&q);
    return give(out, r, 2) || rethrow(a, -1, e);
}

static bool np_outer(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    return numpy_outer(a, out, e);
}

/* np.einsum with one or two operands of at most 2 dimensions, each
 * subscript a letter: the sum over the letters left out of the output of
 * the products, in the order the letters first appear, starting from 0
 * (numpy's own loops may order the sum otherwise: with exact values the
 * results are the same). */
static bool np_einsum(Interp *in, Args *a, Value *out, Error *e)
{
    if (a->arg[0].v->kind != VALUE_STRING)
        return args_error(a, 0, e, ERROR_TYPE, "the first argument is the subscripts, such as 'ij,jk->ik'");
    size_t nops = a->n - 1;
    if (nops < 1 || nops > 2)
        return args_error(a, -1, e, ERROR_ARG, "nudge's einsum takes one or two arrays, not %zu", nops);
    const char *spec = value_str(a->arg[0].v);
    char ins[2][8] = { "", "" }, outs[8] = "";
    size_t lens[2] = { 0, 0 }, olen = 0, op = 0;
    bool arrow = false;
    for (const char *p = spec; *p; p++) {
        char c = *p;
        if (c == ' ')
            continue;
        if (c == '-' && p[1] == '>') {
            if (arrow)
                return args_error(a, 0, e, ERROR_ARG, "'->' may appear once");
            arrow = true;
            p++;
            continue;
        }
        if (c == ',' && !arrow) {
            if (++op >= nops)
                return args_error(a, 0, e, ERROR_ARG, "more subscripts than the %zu array%s given", nops,
                                  nops == 1 ? "" : "s");
            continue;
        }
        if (c == '.')
            return args_error(a, 0, e, ERROR_ARG, "'...' is not part of nudge's einsum");
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return args_error(a, 0, e, ERROR_ARG, "'%c' is not a subscript letter", c);
        if (arrow) {
            if (olen >= 2)
                return args_error(a, 0, e, ERROR_ARG, "the output has more than 2 dimensions");
            if (memchr(outs, c, olen))
                return args_error(a, 0, e, ERROR_ARG, "output subscript '%c' appears more than once", c);
            outs[olen++] = c;
        } else {
            if (lens[op] >= 2)
                return args_error(a, 0, e, ERROR_ARG, "operand %zu has more than 2 subscripts (nudge's arrays have "
                                  "at most 2 dimensions)", op);
            ins[op][lens[op]++] = c;
        }
    }
    if (op + 1 != nops)
        return args_error(a, 0, e, ERROR_ARG, "%zu subscript%s for %zu arrays", op + 1, op ? "s" : "", nops);
    /* The letters, in the order they first appear. */
    char letters[8];
    size_t nlet = 0;
    for (size_t k = 0; k < nops; k++)
        for (size_t i = 0; i < lens[k]; i++)
            if (!memchr(letters, ins[k][i], nlet))
                letters[nlet++] = ins[k][i];
    if (!arrow) {
        /* implicit output: the letters used once, in alphabetical order */
        for (char c = 'A'; c <= 'z'; c++) {
            int count = 0;
            for (size_t k = 0; k < nops; k++)
                for (size_t i = 0; i < lens[k]; i++)
                    count += ins[k][i] == c;
            if (count == 1) {
                if (olen >= 2)
                    return args_error(a, 0, e, ERROR_ARG, "the output has more than 2 dimensions");
                outs[olen++] = c;
            }
        }
    }
    for (size_t i = 0; i < olen; i++)
        if (!memchr(letters, outs[i], nlet))
            return args_error(a, 0, e, ERROR_ARG, "output subscript '%c' is not among the inputs'", outs[i]);
    Arr x[2] = { { NULL, 0 }, { NULL, 0 } };
    size_t size[8] = { 0 };
    bool known[8] = { false };
    bool ok = true;
    for (size_t k = 0; k < nops && ok; k++) {
        ok = arr_of(a, (int)k + 1, a->arg[k + 1].v, &x[k], e);
        if (!ok)
            break;
        if ((size_t)x[k].nd != lens[k]) {
            ok = args_error(a, (int)k + 1, e, ERROR_SHAPE, "operand %zu has %d dimension%s but %zu subscript%s", k,
                            x[k].nd, x[k].nd == 1 ? "" : "s", lens[k], lens[k] == 1 ? "" : "s");
            break;
        }
        for (size_t i = 0; i < lens[k] && ok; i++) {
            size_t d = lens[k] == 2 && i == 0 ? x[k].t->rows : x[k].t->cols;
            size_t li = (size_t)((char *)memchr(letters, ins[k][i], nlet) - letters);
            if (known[li] && size[li] != d)
                ok = args_error(a, (int)k + 1, e, ERROR_SHAPE, "subscript '%c' has size %zu here but %zu before",
                                ins[k][i], d, size[li]);
            size[li] = d;
            known[li] = true;
        }
    }
    if (!ok) {
        arr_free(&x[0]);
        arr_free(&x[1]);
        return false;
    }
    Dtype dt = nops == 2 ? dtype_max(x[0].t->dtype, x[1].t->dtype) : x[0].t->dtype;
    size_t orows = olen == 2 ? size[(char *)memchr(letters, outs[0], nlet) - letters] : 1;
    size_t ocols = olen ? size[(char *)memchr(letters, outs[olen - 1], nlet) - letters] : 1;
    Tensor *r = new_array((int)olen, orows, ocols, dt, e);
    /* the summed letters, and whether anything is summed at all */
    size_t sum[8], nsum = 0, total = 1;
    for (size_t i = 0; i < nlet; i++)
        if (!memchr(outs, letters[i], olen)) {
            sum[nsum++] = i;
            total *= size[i];
        }
    bool copy = nops == 1 && nsum == 0;     /* numpy gives a view: values as they are */
    size_t idx[8];
    unsigned polls = 0;
    for (size_t o = 0; r && o < tensor_size(r); o++) {
        if (olen == 2) {
            idx[(char *)memchr(letters, outs[0], nlet) - letters] = o / ocols;
            idx[(char *)memchr(letters, outs[1], nlet) - letters] = o % ocols;
        } else if (olen == 1) {
            idx[(char *)memchr(letters, outs[0], nlet) - letters] = o;
        }
        double acc = dt == DTYPE_BOOL ? 0 : 0.0;
        for (size_t s = 0; s < total; s++) {
            if (interp_poll(in, &polls, e)) {   /* 'ij,jk->ik' of 4096 squares: minutes */
                tensor_delete(r);
                arr_free(&x[0]);
                arr_free(&x[1]);
                return rethrow(a, -1, e);
            }
            size_t rest = s;
            for (size_t j = nsum; j-- > 0;) {
                idx[sum[j]] = rest % size[sum[j]];
                rest /= size[sum[j]];
            }
            double prod = 1;
            for (size_t k = 0; k < nops; k++) {
                size_t at = 0;
                for (size_t i = 0; i < lens[k]; i++) {
                    size_t li = (size_t)((char *)memchr(letters, ins[k][i], nlet) - letters);
                    at = lens[k] == 2 && i == 0 ? idx[li] * x[k].t->cols : at + idx[li];
                }
                double v = x[k].t->data[at];
                prod = k == 0 ? v : dt == DTYPE_BOOL ? (prod != 0 && v != 0) : prod * v;
            }
            if (copy)
                acc = prod;
            else if (dt == DTYPE_BOOL)
                acc = acc != 0 || prod != 0;
            else
                acc += prod;
        }
        r->data[o] = acc;
    }
    arr_free(&x[0]);
    arr_free(&x[1]);
    return give(out, r, (int)olen) || rethrow(a, -1, e);
}

/* --- shapes ------------------------------------------------------------------------------- */

/* The dimensions of a shape argument: one int, a tuple, or (for
 * a.reshape(2, 3)) several ints starting at argument first. */
static bool dims_of(const Args *a, size_t first, long long *dims, size_t *n, Error *e)
{
    const Value *v = arg_at(a, first);
    if (!v)
        v = args_kw(a, "newshape");
    if (!v)
        v = args_kw(a, "shape");
    *n = 0;
    if (!v)
        return args_error(a, -1, e, ERROR_ARG, "needs a shape");
    const Value *items = v;
    size_t count = 1;
    if (v->kind == VALUE_TUPLE || v->kind == VALUE_LIST) {
        items = v->as.list->items;
        count = v->as.list->n;
    } else if (arg_at(a, first + 1)) {
        size_t k = 0;
        while (arg_at(a, first + k))
            k++;
        count = k;
        if (count > 2)
            return args_error(a, -1, e, ERROR_ARG, "nudge's arrays have 1 or 2 dimensions, not %zu", count);
        for (size_t i = 0; i < count; i++) {
            const Value *d = arg_at(a, first + i);
            if (d->kind != VALUE_INT)
                return args_error(a, argcol(a, first + i), e, ERROR_TYPE, "a shape is made of ints");
            dims[(*n)++] = d->as.integer;
        }
        return true;
    }
    if (count > 2)
        return args_error(a, argcol(a, first), e, ERROR_ARG, "nudge's arrays have 1 or 2 dimensions, not %zu", count);
    for (size_t i = 0; i < count; i++) {
        const Value *d = &items[i];
        if (d->kind != VALUE_INT)
            return args_error(a, argcol(a, first), e, ERROR_TYPE, "a shape is made of ints, not %s",
                              d->kind == VALUE_NUMBER ? "floats" : "that");
        dims[(*n)++] = d->as.integer;
    }
    return true;
}

static bool reshape_to(const Args *a, const Value *src, int si, const long long *given, size_t n, Value *out, Error *e)
{
    Arr x;
    if (!arr_of(a, si, src, &x, e))
        return false;
    size_t total = tensor_size(x.t);
    long long dims[2] = { 0, 0 };
    int unknown = -1;
    unsigned long long known = 1;
    bool ok = true;
    for (size_t k = 0; k < n && ok; k++) {
        dims[k] = given[k];
        if (given[k] == -1) {
            if (unknown >= 0)
                ok = args_error(a, -1, e, ERROR_ARG, "can only specify one unknown dimension (-1)");
            unknown = (int)k;
        } else if (given[k] < 0) {
            ok = args_error(a, -1, e, ERROR_ARG, "negative dimensions are not allowed");
        } else {
            known *= (unsigned long long)given[k];
        }
    }
    if (ok && unknown >= 0) {
        if (known == 0 || total % known)
            ok = false;
        else
            dims[unknown] = (long long)(total / known), known = total;
    }
    if (ok && known != total)
        ok = false;
    if (!ok) {
        if (e && !e->code) {
            char s1[48], s2[48];
            snprintf(s2, sizeof s2, n == 0 ? "()" : n == 1 ? "(%lld,)" : "(%lld, %lld)", given[0], n > 1 ? given[1] : 0);
            args_error_set(a, -1, e, ERROR_SHAPE, "cannot reshape array of size %zu (shape %s) into shape %s", total,
                       arr_shape(&x, s1, sizeof s1), s2);
        }
        arr_free(&x);
        return false;
    }
    Tensor *r = new_array((int)n, n == 2 ? (size_t)dims[0] : 1, n ? (size_t)dims[n - 1] : 1, x.t->dtype, e);
    if (r && total)
        memcpy(r->data, x.t->data, total * sizeof *r->data);
    arr_free(&x);
    return give(out, r, (int)n) || rethrow(a, -1, e);
}

static bool np_reshape(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    long long dims[2];
    size_t n;
    if (!dims_of(a, 1, dims, &n, e))
        return false;
    return reshape_to(a, arg_at(a, 0), a->self ? -1 : 0, dims, n, out, e);
}

static bool transpose_value(const Args *a, const Value *x, Value *out, Error *e)
{
    Arr v;
    if (!arr_of(a, a->self ? -1 : 0, x, &v, e))
        return false;
    Tensor *r = v.nd == 2 ? tensor_transpose(v.t, e) : tensor_copy(v.t, e);
    if (r)
        r->dtype = v.t->dtype;
    int nd = v.nd;
    arr_free(&v);
    return give(out, r, nd) || rethrow(a, -1, e);
}

/* For nudge's transpose (builtins.c). */
bool numpy_transpose(const Args *a, Value *out, Error *e)
{
    return transpose_value(a, a->arg[0].v, out, e);
}

static bool np_transpose(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Value *axes = arg_or_kw(a, 1, "axes");
    if (axes && axes->kind != VALUE_NONE) {
        /* only (0, 1) and (1, 0) exist for 2 dimensions */
        bool swap = axes->kind == VALUE_TUPLE || axes->kind == VALUE_LIST;
        const Value *it = swap ? axes->as.list->items : axes;
        size_t n = swap ? axes->as.list->n : 1;
        if (!swap && arg_at(a, 2)) {
            /* a.transpose(1, 0) */
            n = 2;
        }
        long long ax[2] = { -1, -1 };
        for (size_t i = 0; i < n && i < 2; i++) {
            const Value *v = swap ? &it[i] : arg_at(a, 1 + i);
            if (v->kind != VALUE_INT)
                return args_error(a, -1, e, ERROR_TYPE, "axes must be ints");
            ax[i] = v->as.integer;
        }
        Arr v;
        if (!arr_of(a, a->self ? -1 : 0, arg_at(a, 0), &v, e))
            return false;
        int nd = v.nd;
        arr_free(&v);
        bool keep = (nd == 2 && n == 2 && ax[0] == 0 && ax[1] == 1) || (nd == 1 && n == 1 && ax[0] == 0);
        bool flip = nd == 2 && n == 2 && ax[0] == 1 && ax[1] == 0;
        if (!keep && !flip)
            return args_error(a, -1, e, ERROR_ARG, "axes don't match array");
        if (keep) {
            Arr w;
            if (!arr_of(a, -1, arg_at(a, 0), &w, e))
                return false;
            Tensor *r = tensor_copy(w.t, e);
            arr_free(&w);
            return give(out, r, nd) || rethrow(a, -1, e);
        }
    }
    return transpose_value(a, arg_at(a, 0), out, e);
}

static bool np_ravel(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    long long n = -1;
    return reshape_to(a, arg_at(a, 0), a->self ? -1 : 0, &n, 1, out, e);
}

/* The arrays of a sequence argument (concatenate, stacks). */
static bool arrays_of(const Args *a, const Value *seq, Arr **xs, size_t *n, Error *e)
{
    *xs = NULL;
    *n = 0;
    if (seq->kind != VALUE_LIST && seq->kind != VALUE_TUPLE) {
        char d[64];
        return args_error(a, 0, e, ERROR_TYPE, "takes a list or tuple of arrays, not %s", value_describe(seq, d, sizeof d));
    }
    size_t k = seq->as.list->n;
    if (k == 0)
        return args_error(a, 0, e, ERROR_ARG, "need at least one array to concatenate");
    Arr *v = mem_alloc(k * sizeof *v);
    if (!v)
        return error_nomem(e, a->name);
    for (size_t i = 0; i < k; i++) {
        if (!arr_of(a, 0, &seq->as.list->items[i], &v[i], e)) {
            while (i-- > 0)
                arr_free(&v[i]);
            mem_free(v);
            return false;
        }
    }
    *xs = v;
    *n = k;
    return true;
}

static void arrays_free(Arr *xs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        arr_free(&xs[i]);
    mem_free(xs);
}

/* numpy's concatenate of n arrays along axis (-1: flattened first). */
static bool concat(const Args *a, Arr *xs, size_t n, int axis_given, bool flatten, Value *out, Error *e)
{
    int nd = flatten ? 1 : xs[0].nd;
    Dtype dt = xs[0].t->dtype;
    for (size_t i = 0; i < n; i++) {
        if (!flatten && xs[i].nd == 0)
            return args_error(a, 0, e, ERROR_ARG, "zero-dimensional arrays cannot be concatenated");
        if (!flatten && xs[i].nd != nd)
            return args_error(a, 0, e, ERROR_SHAPE, "all the input arrays must have the same number of dimensions, "
                              "but the array at index 0 has %d dimension%s and the array at index %zu has %d", nd,
                              nd == 1 ? "" : "s", i, xs[i].nd);
        dt = dtype_max(dt, xs[i].t->dtype);
    }
    int axis = flatten ? 0 : axis_given < 0 ? axis_given + nd : axis_given;
    if (axis < 0 || axis >= nd)
        return args_error(a, -1, e, ERROR_ARG, "axis %d is out of bounds for array of dimension %d", axis_given, nd);
    size_t rows = 0, cols = 0;
    for (size_t i = 0; i < n; i++) {
        size_t r = flatten || nd == 1 ? 1 : xs[i].t->rows, c = flatten ? tensor_size(xs[i].t) : xs[i].t->cols;
        if (nd == 1) {
            rows = 1;
            cols += c;
        } else if (axis == 0) {
            if (i && c != cols)
                return args_error(a, 0, e, ERROR_SHAPE, "all the input array dimensions except for the "
                                  "concatenation axis must match exactly, but along dimension 1, the array at "
                                  "index 0 has size %zu and the array at index %zu has size %zu", cols, i, c);
            rows += r;
            cols = c;
        } else {
            if (i && r != rows)
                return args_error(a, 0, e, ERROR_SHAPE, "all the input array dimensions except for the "
                                  "concatenation axis must match exactly, but along dimension 0, the array at "
                                  "index 0 has size %zu and the array at index %zu has size %zu", rows, i, r);
            rows = r;
            cols += c;
        }
    }
    Tensor *t = new_array(nd, rows, cols, dt, e);
    if (!t)
        return rethrow(a, -1, e);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        const Tensor *x = xs[i].t;
        if (nd == 1 || axis == 0) {
            memcpy(t->data + at, x->data, tensor_size(x) * sizeof *x->data);
            at += tensor_size(x);
        } else {
            for (size_t r = 0; r < rows; r++)
                memcpy(t->data + r * cols + at, x->data + r * x->cols, x->cols * sizeof *x->data);
            at += x->cols;
        }
    }
    return give(out, t, nd);
}

static bool np_concatenate(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Value *ax = arg_or_kw(a, 1, "axis");
    int axis = 0;
    bool flatten = false;
    if (ax && ax->kind == VALUE_NONE)
        flatten = true;
    else if (ax && ax->kind != VALUE_INT)
        return args_error(a, 1, e, ERROR_TYPE, "axis= must be an int or None");
    else if (ax)
        axis = (int)(ax->as.integer > 8 ? 8 : ax->as.integer < -8 ? -8 : ax->as.integer);
    Arr *xs;
    size_t n;
    if (!arrays_of(a, a->arg[0].v, &xs, &n, e))
        return false;
    bool ok = concat(a, xs, n, axis, flatten, out, e);
    arrays_free(xs, n);
    return ok;
}

/* hstack: along the columns (a 1-D sequence end to end); vstack: each
 * array made at least 2-D (a vector is a row), along the rows. */
static bool np_stack(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    Arr *xs;
    size_t n;
    if (!arrays_of(a, a->arg[0].v, &xs, &n, e))
        return false;
    bool v = !strcmp(a->name, "vstack");
    /* Only nd changes: concat reads a vector's one row as a 1 x n matrix's. */
    for (size_t i = 0; i < n; i++) {
        if (xs[i].nd == 0)
            xs[i].nd = 1;
        if (v && xs[i].nd == 1)
            xs[i].nd = 2;
    }
    bool ok = concat(a, xs, n, v ? 0 : xs[0].nd == 1 ? 0 : 1, false, out, e);
    arrays_free(xs, n);
    return ok;
}

/* --- making arrays -------------------------------------------------------------------- */

/* np.array(x, dtype=): a copy (always, or for np.asarray only when the
 * dtype changes).  A number gives a number: nudge has no 0-d arrays. */
static bool array_value(const Args *a, const Value *x, const Value *dtv, bool always_copy, Value *out, Error *e)
{
    Dtype dt;
    bool given;
    if (!dtype_kw(a, dtv, &dt, &given, e))
        return false;
    if (!given && x->kind == VALUE_TENSOR && !always_copy) {
        *out = value_ref(x);
        return true;
    }
    Arr v;
    if (!arr_of(a, 0, x, &v, e))
        return false;
    if (!given)
        dt = v.t->dtype;
    if (given && dt == v.t->dtype && x->kind == VALUE_TENSOR && !always_copy) {
        arr_free(&v);
        *out = value_ref(x);
        return true;
    }
    if (x->kind != VALUE_TENSOR && dt == DTYPE_INT64 && v.t->dtype == DTYPE_FLOAT64) {
        /* Python's numbers become ints one by one, as int() would */
        for (size_t i = 0; i < tensor_size(v.t); i++) {
            double d = v.t->data[i];
            if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) {
                arr_free(&v);
                return args_error(a, 0, e, isnan(d) ? ERROR_ARG : ERROR_NUMERIC, "cannot convert float %s to integer",
                                  isnan(d) ? "NaN" : isinf(d) ? "infinity" : "that large");
            }
        }
    }
    Tensor *r = tensor_copy(v.t, e);
    int nd = v.nd;
    arr_free(&v);
    if (!r)
        return rethrow(a, 0, e);
    cast(r, dt);
    return give(out, r, nd);
}

static bool np_array(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    return array_value(a, a->arg[0].v, args_kw(a, "dtype"), strcmp(a->name, "asarray") != 0, out, e);
}

/* An array of a shape filled with one value: zeros, ones, full and their
 * _like forms. */
static bool filled(const Args *a, const Value *shape, const Value *like, double fill, Dtype dt, Value *out, Error *e)
{
    Dtype d;
    bool given;
    if (!dtype_kw(a, args_kw(a, "dtype"), &d, &given, e))
        return false;
    int nd;
    size_t r, c;
    if (like) {
        Arr x;
        if (!arr_of(a, 0, like, &x, e))
            return false;
        nd = x.nd;
        r = x.t->rows;
        c = x.t->cols;
        if (!given)
            d = x.t->dtype;
        arr_free(&x);
    } else {
        if (!shape_arg(a, shape, 0, &nd, &r, &c, e))
            return false;
        if (!given)
            d = dt;
    }
    Tensor *t = new_array(nd, r, c, d, e);
    if (!t)
        return rethrow(a, 0, e);
    for (size_t i = 0; i < tensor_size(t); i++)
        t->data[i] = d == DTYPE_INT64 ? to_int64(fill) : fill;
    return give(out, t, nd);
}

static bool np_zeros(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    bool like = strstr(a->name, "_like") != NULL;
    double fill = !strncmp(a->name, "ones", 4) ? 1 : 0;
    return filled(a, like ? NULL : a->arg[0].v, like ? a->arg[0].v : NULL, fill, DTYPE_FLOAT64, out, e);
}

static bool np_full(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Value *f = arg_or_kw(a, 1, "fill_value");
    if (!f || !value_is_scalar(f))
        return args_error(a, 1, e, ERROR_TYPE, "the fill value must be a number");
    bool like = strstr(a->name, "_like") != NULL;
    return filled(a, like ? NULL : a->arg[0].v, like ? a->arg[0].v : NULL, value_to_double(f), scalar_dtype(f), out, e);
}

static bool int_arg(const Args *a, size_t i, const char *name, long long dflt, long long *out, Error *e)
{
    const Value *v = arg_or_kw(a, i, name);
    *out = dflt;
    if (!v || v->kind == VALUE_NONE)
        return true;
    if (v->kind != VALUE_INT)
        return args_error(a, (int)i, e, ERROR_TYPE, "%s must be an int", name);
    *out = v->as.integer;
    return true;
}

static bool np_eye(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    long long n, m, k;
    if (!int_arg(a, 0, "N", 0, &n, e) || !int_arg(a, 1, "M", -1, &m, e) || !int_arg(a, 2, "k", 0, &k, e))
        return false;
    if (m < 0)
        m = n;
    if (n < 0 || m < 0)
        return args_error(a, 0, e, ERROR_ARG, "negative dimensions are not allowed");
    if (n && (unsigned long long)m > TENSOR_MAX_ELEMS / (unsigned long long)n)
        return args_error(a, 0, e, ERROR_LIMIT, "the array would be too large");
    Dtype d;
    bool given;
    if (!dtype_kw(a, args_kw(a, "dtype"), &d, &given, e))
        return false;
    Tensor *t = new_array(2, (size_t)n, (size_t)m, given ? d : DTYPE_FLOAT64, e);
    if (!t)
        return rethrow(a, 0, e);
    for (long long i = 0; i < n; i++)
        if (i + k >= 0 && i + k < m)
            t->data[i * m + i + k] = 1;
    return give(out, t, 2);
}

static bool np_identity(Interp *in, Args *a, Value *out, Error *e)
{
    return np_eye(in, a, out, e);
}

/* numpy's arange: the length is ceil((stop - start) / step); the first
 * value is start, the second start + step (each in the result's dtype),
 * and the i-th start + i*delta with delta the difference of those two. */
static bool np_arange(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Value *start = a->n == 1 ? NULL : a->arg[0].v, *stop = a->n == 1 ? a->arg[0].v : a->arg[1].v;
    const Value *step = a->n == 3 ? a->arg[2].v : NULL;
    Dtype dt = DTYPE_INT64;
    const Value *all[3] = { start, stop, step };
    for (int i = 0; i < 3; i++) {
        if (!all[i] || all[i]->kind == VALUE_NONE)
            continue;
        if (!value_is_scalar(all[i]))
            return args_error(a, i, e, ERROR_TYPE, "needs numbers");
        if (all[i]->kind == VALUE_NUMBER)
            dt = DTYPE_FLOAT64;
    }
    double s0 = start && start->kind != VALUE_NONE ? value_to_double(start) : 0;
    double s1 = value_to_double(stop);
    double st = step && step->kind != VALUE_NONE ? value_to_double(step) : 1;
    Dtype d;
    bool given;
    if (!dtype_kw(a, args_kw(a, "dtype"), &d, &given, e))
        return false;
    if (st == 0)
        return args_error(a, 2, e, ERROR_NUMERIC, "the step cannot be zero (division by zero)");
    double len = ceil((s1 - s0) / st);
    if (isnan(len))
        return args_error(a, -1, e, ERROR_ARG, "cannot compute the length");
    if (len > (double)TENSOR_MAX_ELEMS)
        return args_error(a, -1, e, ERROR_LIMIT, "%g values are too many (at most %zu)", len, TENSOR_MAX_ELEMS);
    if (!(len > 0))
        len = 0;
    Dtype rd = given ? d : dt;
    Tensor *t = new_array(1, 1, (size_t)len, rd, e);
    if (!t)
        return rethrow(a, -1, e);
    size_t count = (size_t)len;
    double first = s0, second = s0 + st;
    if (rd == DTYPE_INT64) {
        first = to_int64(first);
        second = to_int64(second);
    } else if (rd == DTYPE_BOOL) {
        first = first != 0;
        second = second != 0;
    }
    double delta = second - first;
    for (size_t i = 0; i < count; i++)
        t->data[i] = i == 0 ? first : i == 1 ? second : first + (double)i * delta;
    if (rd == DTYPE_BOOL && count > 2)
        return tensor_delete(t), args_error(a, -1, e, ERROR_ARG, "no fill function for bool: numpy's arange makes "
                                            "at most 2 bools");
    return give(out, t, 1);
}

/* numpy's linspace: i*step + start, where step = (stop - start)/div (or
 * i/div*delta when that step is 0), and the last set to stop. */
static bool np_linspace(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Value *sv = arg_or_kw(a, 0, "start"), *ev = arg_or_kw(a, 1, "stop");
    if (!sv || !ev || !value_is_scalar(sv) || !value_is_scalar(ev))
        return args_error(a, 0, e, ERROR_TYPE, "start and stop must be numbers");
    double lo = value_to_double(sv), hi = value_to_double(ev);
    long long num;
    if (!int_arg(a, 2, "num", 50, &num, e))
        return false;
    if (num < 0)
        return args_error(a, 2, e, ERROR_ARG, "number of samples, %lld, must be non-negative", num);
    if ((unsigned long long)num > TENSOR_MAX_ELEMS)
        return args_error(a, 2, e, ERROR_LIMIT, "%lld values are too many", num);
    bool endpoint = true;
    const Value *epv = arg_or_kw(a, 3, "endpoint");
    if (epv && !value_truth(epv, &endpoint, e))
        return rethrow(a, 3, e);
    Dtype d;
    bool given;
    if (!dtype_kw(a, args_kw(a, "dtype"), &d, &given, e))
        return false;
    Tensor *t = new_array(1, 1, (size_t)num, DTYPE_FLOAT64, e);
    if (!t)
        return rethrow(a, -1, e);
    double div = endpoint ? (double)(num - 1) : (double)num;
    double delta = hi - lo;
    double step = div > 0 ? delta / div : NAN;
    for (long long i = 0; i < num; i++) {
        double y = (double)i;
        if (div > 0)
            y = step == 0 ? y / div * delta : y * step;
        else
            y = y * delta;
        t->data[i] = y + lo;
    }
    if (endpoint && num > 1)
        t->data[num - 1] = hi;
    if (given && d == DTYPE_INT64)
        for (long long i = 0; i < num; i++)
            t->data[i] = floor(t->data[i]);
    if (given)
        cast(t, d);
    return give(out, t, 1);
}

/* np.diag: a vector's values on diagonal k of a square matrix, or a
 * matrix's diagonal k as a vector. */
static bool np_diag(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    long long k;
    if (!int_arg(a, 1, "k", 0, &k, e))
        return false;
    Arr v;
    if (!arr_of(a, 0, a->arg[0].v, &v, e))
        return false;
    Tensor *r = NULL;
    int nd = 0;
    if (v.nd == 1) {
        size_t n = v.t->cols, m = n + (size_t)(k < 0 ? -k : k);
        if (m > 4096) {
            arr_free(&v);
            return args_error(a, 0, e, ERROR_LIMIT, "the matrix would be too large");
        }
        r = new_array(2, m, m, v.t->dtype, e);
        for (size_t i = 0; r && i < n; i++) {
            size_t row = k >= 0 ? i : i + (size_t)-k, col = k >= 0 ? i + (size_t)k : i;
            r->data[row * m + col] = v.t->data[i];
        }
        nd = 2;
    } else if (v.nd == 2) {
        long long rows = (long long)v.t->rows, cols = (long long)v.t->cols;
        long long r0 = k < 0 ? -k : 0, c0 = k > 0 ? k : 0;
        long long n = rows - r0 < cols - c0 ? rows - r0 : cols - c0;
        if (n < 0)
            n = 0;
        r = new_array(1, 1, (size_t)n, v.t->dtype, e);
        for (long long i = 0; r && i < n; i++)
            r->data[i] = v.t->data[(r0 + i) * cols + c0 + i];
        nd = 1;
    } else {
        arr_free(&v);
        return args_error(a, 0, e, ERROR_ARG, "input must be 1- or 2-d");
    }
    arr_free(&v);
    return give(out, r, nd) || rethrow(a, 0, e);
}


/* --- printing --------------------------------------------------------------------------- */

/* The spec inside '{: 0.3f}'.format, for formatter={'float': ...}, into
 * out (NP_SPEC_MAX bytes).  It is checked here, once, with Python's own
 * message, so that printing an array cannot fail on it later. */
static bool formatter_spec(const Value *f, char *out, bool ints, Error *e)
{
    if (f->kind != VALUE_METHOD || strcmp(f->as.method->fn->name, "format") || f->as.method->self->kind != VALUE_STRING)
        return error_set_in(e, ERROR_ARG, "set_printoptions", "a formatter must be a format string's .format, as in "
                         "'{: 0.3f}'.format");
    const char *s = value_str(f->as.method->self);
    size_t len = value_strlen(f->as.method->self);
    if (len < 2 || s[0] != '{' || s[len - 1] != '}' || memchr(s + 1, '{', len - 2))
        return error_set_in(e, ERROR_ARG, "set_printoptions", "the formatter's string must be one field such as '{: 0.3f}'");
    const char *colon = memchr(s, ':', len);
    size_t speclen = colon ? (size_t)(s + len - 1 - colon - 1) : 0;
    if (speclen >= NP_SPEC_MAX)
        return error_set_in(e, ERROR_LIMIT, "set_printoptions", "the formatter's spec is longer than %d characters",
                         NP_SPEC_MAX - 1);
    if (speclen)
        memcpy(out, colon + 1, speclen);
    out[speclen] = '\0';
    PySpec spec;
    return pyformat_spec_parse(out, ints ? PY_ARG_INT : PY_ARG_FLOAT, ints ? "int" : "float", &spec, e);
}

/* nanstr= and infstr=: a string of fewer than NP_WORD_MAX bytes. */
static bool word_option(Args *a, const char *k, const Value *v, char *out, Error *e)
{
    if (v->kind != VALUE_STRING)
        return args_error(a, -1, e, ERROR_TYPE, "%s= must be a string", k);
    if (value_strlen(v) >= NP_WORD_MAX)
        return args_error(a, -1, e, ERROR_LIMIT, "%s= is longer than %d characters", k, NP_WORD_MAX - 1);
    memcpy(out, value_str(v), value_strlen(v) + 1);
    return true;
}

static bool np_set_printoptions(Interp *in, Args *a, Value *out, Error *e)
{
    (void)out;
    NpPrintOptions o = in->printopts;   /* a plain struct: changed whole or not at all */
    bool ok = true;
    for (size_t i = 0; i < a->nkw && ok; i++) {
        const char *k = a->kw[i].name;
        const Value *v = &a->kw[i].v;
        if (!strcmp(k, "precision") || !strcmp(k, "linewidth") || !strcmp(k, "threshold") || !strcmp(k, "edgeitems")) {
            if (v->kind == VALUE_NONE)
                continue;
            if (v->kind != VALUE_INT || v->as.integer < 0 || v->as.integer > INT_MAX) {
                ok = args_error(a, -1, e, ERROR_ARG, "%s= must be a whole number from 0 to %d", k, INT_MAX);
                break;
            }
            if (!strcmp(k, "precision"))
                o.precision = (int)v->as.integer;
            else if (!strcmp(k, "linewidth"))
                o.linewidth = (int)v->as.integer;
            else if (!strcmp(k, "threshold"))
                o.threshold = (long)v->as.integer;
            else
                o.edgeitems = (int)v->as.integer;
        } else if (!strcmp(k, "suppress")) {
            bool t;
            ok = value_truth(v, &t, e);
            o.suppress = t;
        } else if (!strcmp(k, "sign")) {
            if (v->kind != VALUE_STRING || value_strlen(v) != 1 || !strchr("-+ ", value_str(v)[0]))
                ok = args_error(a, -1, e, ERROR_ARG, "sign= must be '-', '+' or ' '");
            else
                o.sign = value_str(v)[0];
        } else if (!strcmp(k, "floatmode")) {
            static const char *const modes[] = {"maxprec", "fixed", "unique", "maxprec_equal"};
            size_t m = 0;
            while (m < 4 && !(v->kind == VALUE_STRING && !strcmp(value_str(v), modes[m])))
                m++;
            if (m == 4)
                ok = args_error(a, -1, e, ERROR_ARG, "floatmode= must be one of 'fixed', 'unique', 'maxprec' or "
                                "'maxprec_equal'");
            else
                o.floatmode = (NpFloatMode)m;
        } else if (!strcmp(k, "nanstr")) {
            ok = word_option(a, k, v, o.nanstr, e);
        } else if (!strcmp(k, "infstr")) {
            ok = word_option(a, k, v, o.infstr, e);
        } else if (!strcmp(k, "formatter")) {
            o.float_spec[0] = o.int_spec[0] = '\0';
            if (v->kind == VALUE_NONE)
                continue;
            if (v->kind != VALUE_DICT) {
                ok = args_error(a, -1, e, ERROR_ARG, "formatter= must be a dict such as {'float': '{: 0.3f}'.format}");
                break;
            }
            for (size_t j = 0; j < v->as.dict->n && ok; j++) {
                const Value *key = &v->as.dict->keys[j];
                const char *kn = key->kind == VALUE_STRING ? value_str(key) : "";
                bool all = !strcmp(kn, "all");
                char *slot = !strcmp(kn, "float") || !strcmp(kn, "float_kind") || all ? o.float_spec
                           : !strcmp(kn, "int") || !strcmp(kn, "int_kind") ? o.int_spec : NULL;
                if (!slot) {
                    ok = args_error(a, -1, e, ERROR_ARG, "formatter keys nudge knows are 'float', 'int' and 'all'");
                    break;
                }
                ok = formatter_spec(&v->as.dict->vals[j], slot, slot == o.int_spec, e);
                if (ok && all)
                    memcpy(o.int_spec, o.float_spec, sizeof o.int_spec);
                if (!ok)
                    args_error_set(a, -1, e, e->code, "%s", error_facts(e));
            }
        } else if (!strcmp(k, "legacy")) {
            ok = args_error(a, -1, e, ERROR_ARG, "legacy= is not part of nudge's set_printoptions: it prints as "
                            "numpy 1.24 does");
        } else {
            ok = args_error(a, -1, e, ERROR_ARG, "set_printoptions has no option '%s'", k);
        }
    }
    if (!ok)
        return false;
    in->printopts = o;
    return true;
}


/* --- random --------------------------------------------------------------------------------- */

static bool r_seed(Interp *in, Args *a, Value *out, Error *e)
{
    (void)out;
    if (a->n == 0 || a->arg[0].v->kind == VALUE_NONE)
        return args_error(a, -1, e, ERROR_ARG, "nudge needs a seed: np.random.seed(n) with n from 0 to 4294967295");
    const Value *v = a->arg[0].v;
    if (v->kind != VALUE_INT && v->kind != VALUE_BOOL)
        return args_error(a, 0, e, ERROR_TYPE, "the seed must be a whole number (an int)");
    Rng r;
    if (!rng_seed(&r, (double)v->as.integer, NULL))
        return args_error(a, 0, e, ERROR_ARG, "%lld is not a whole number from 0 to 4294967295", v->as.integer);
    in->rng = r;
    return true;
}

/* One value of a distribution from numpy's global state; p holds its
 * parameters. */
typedef double (*Draw)(Rng *r, const double *p);

static double d_random(Rng *r, const double *p) { (void)p; return rng_random(r); }
static double d_gauss(Rng *r, const double *p) { (void)p; return rng_gauss(r); }
static double d_uniform(Rng *r, const double *p) { return p[0] + p[1] * rng_random(r); }
static double d_normal(Rng *r, const double *p) { return p[0] + p[1] * rng_gauss(r); }

static double d_randint(Rng *r, const double *p)
{
    /* p[0] is low, p[1] the number of values (both whole) */
    return p[0] + (double)rng_below64(r, (uint64_t)p[1]);
}

/* size=None gives one number, a shape an array of draws in row-major
 * order.  The draws go into a copy of the state, kept only on success. */
static bool draw_shape(Interp *in, const Args *a, const Value *size, Draw f, const double *p, Dtype dt, Value *out,
                       Error *e)
{
    Rng r = in->rng;
    if (!size || size->kind == VALUE_NONE) {
        double x = f(&r, p);
        in->rng = r;
        *out = scalar_value(x, dt);
        return true;
    }
    int nd;
    size_t rows, cols;
    if (!shape_arg(a, size, -1, &nd, &rows, &cols, e))
        return false;
    Tensor *t = new_array(nd, rows, cols, dt, e);
    if (!t)
        return rethrow(a, -1, e);
    for (size_t i = 0; i < tensor_size(t); i++)
        t->data[i] = f(&r, p);
    in->rng = r;
    return give(out, t, nd);
}

/* The dimensions given as separate ints (rand(2, 3), randn(2, 3)) as a
 * shape tuple, or NULL for none. */
static bool dims_tuple(const Args *a, Value *shape, Error *e)
{
    *shape = value_none();
    if (a->n == 0)
        return true;
    if (!value_list(shape, VALUE_TUPLE, a->n, e))
        return false;
    for (size_t i = 0; i < a->n; i++) {
        if (a->arg[i].v->kind != VALUE_INT) {
            value_free(shape);
            return args_error(a, (int)i, e, ERROR_TYPE, "the dimensions must be ints");
        }
        list_push(shape, value_ref(a->arg[i].v), e);
    }
    return true;
}

static bool r_dims(Interp *in, Args *a, Draw f, Value *out, Error *e)
{
    Value shape;
    if (!dims_tuple(a, &shape, e))
        return false;
    bool ok = draw_shape(in, a, a->n ? &shape : NULL, f, NULL, DTYPE_FLOAT64, out, e);
    value_free(&shape);
    return ok;
}

static bool r_rand(Interp *in, Args *a, Value *out, Error *e) { return r_dims(in, a, d_random, out, e); }
static bool r_randn(Interp *in, Args *a, Value *out, Error *e) { return r_dims(in, a, d_gauss, out, e); }

static bool r_random(Interp *in, Args *a, Value *out, Error *e)
{
    return draw_shape(in, a, arg_or_kw(a, 0, "size"), d_random, NULL, DTYPE_FLOAT64, out, e);
}

static bool r_standard_normal(Interp *in, Args *a, Value *out, Error *e)
{
    return draw_shape(in, a, arg_or_kw(a, 0, "size"), d_gauss, NULL, DTYPE_FLOAT64, out, e);
}

static bool number_arg(const Args *a, size_t i, const char *name, double dflt, double *out, Error *e)
{
    const Value *v = arg_or_kw(a, i, name);
    *out = dflt;
    if (!v || v->kind == VALUE_NONE)
        return true;
    if (!value_is_scalar(v))
        return args_error(a, (int)i, e, ERROR_TYPE, "%s must be a number (nudge's %s takes numbers, not arrays)",
                          name, a->name);
    *out = value_to_double(v);
    return true;
}

static bool r_uniform(Interp *in, Args *a, Value *out, Error *e)
{
    double p[2];
    if (!number_arg(a, 0, "low", 0.0, &p[0], e) || !number_arg(a, 1, "high", 1.0, &p[1], e))
        return false;
    p[1] -= p[0];
    if (!isfinite(p[1]))
        return args_error(a, -1, e, ERROR_NUMERIC, "range exceeds valid bounds");
    return draw_shape(in, a, arg_or_kw(a, 2, "size"), d_uniform, p, DTYPE_FLOAT64, out, e);
}

static bool r_normal(Interp *in, Args *a, Value *out, Error *e)
{
    double p[2];
    if (!number_arg(a, 0, "loc", 0.0, &p[0], e) || !number_arg(a, 1, "scale", 1.0, &p[1], e))
        return false;
    if (p[1] < 0)
        return args_error(a, 1, e, ERROR_ARG, "scale < 0");
    return draw_shape(in, a, arg_or_kw(a, 2, "size"), d_normal, p, DTYPE_FLOAT64, out, e);
}

static bool r_randint(Interp *in, Args *a, Value *out, Error *e)
{
    long long lo, hi;
    const Value *hv = arg_or_kw(a, 1, "high");
    if (!int_arg(a, 0, "low", 0, &lo, e) || !int_arg(a, 1, "high", 0, &hi, e))
        return false;
    if (!hv || hv->kind == VALUE_NONE) {
        hi = lo;
        lo = 0;
    }
    if (lo >= hi)
        return args_error(a, hv ? 1 : 0, e, ERROR_ARG, "low >= high (%lld >= %lld)", lo, hi);
    Dtype d;
    bool given;
    if (!dtype_kw(a, args_kw(a, "dtype"), &d, &given, e))
        return false;
    if (given && d != DTYPE_INT64)
        return args_error(a, -1, e, ERROR_ARG, "nudge's randint makes int64 values");
    double p[2] = { (double)lo, (double)((unsigned long long)hi - (unsigned long long)lo) };
    return draw_shape(in, a, arg_or_kw(a, 2, "size"), d_randint, p, DTYPE_INT64, out, e);
}

/* Fisher-Yates from the last position down, as numpy's legacy shuffle:
 * position i swaps with one drawn from 0..i.  False when Ctrl-C stopped
 * it, with the rows swapped so far. */
static bool shuffle_rows(Interp *in, Rng *r, double *data, size_t n, size_t width, Error *e)
{
    unsigned polls = 0;
    for (size_t i = n; i-- > 1;) {
        if (interp_poll(in, &polls, e))
            return false;
        size_t j = (size_t)rng_below64(r, (uint64_t)i + 1);
        if (i == j)
            continue;
        for (size_t k = 0; k < width; k++) {
            double t = data[i * width + k];
            data[i * width + k] = data[j * width + k];
            data[j * width + k] = t;
        }
    }
    return true;
}

static bool r_shuffle(Interp *in, Args *a, Value *out, Error *e)
{
    (void)out;
    Value *x = a->arg[0].v;
    /* The state moves on only when the whole shuffle is done (an
     * interrupted one is undone with the statement). */
    Rng r = in->rng;
    if (x->kind == VALUE_LIST) {
        List *l = x->as.list;
        unsigned polls = 0;
        for (size_t i = l->n; i-- > 1;) {
            if (interp_poll(in, &polls, e))
                return rethrow(a, -1, e);
            size_t j = (size_t)rng_below64(&r, (uint64_t)i + 1);
            Value t = l->items[i];
            l->items[i] = l->items[j];
            l->items[j] = t;
        }
        in->rng = r;
        return true;
    }
    if (x->kind != VALUE_TENSOR) {
        char d[64];
        return args_error(a, 0, e, ERROR_TYPE, "shuffles an array or a list in place, not %s",
                          value_describe(x, d, sizeof d));
    }
    Tensor *t = x->as.tensor;
    if (!shuffle_rows(in, &r, t->data, t->ndim == 1 ? t->cols : t->rows, t->ndim == 1 ? 1 : t->cols, e))
        return rethrow(a, -1, e);
    in->rng = r;
    return true;
}

static bool r_permutation(Interp *in, Args *a, Value *out, Error *e)
{
    const Value *x = a->arg[0].v;
    Tensor *t;
    if (x->kind == VALUE_INT) {
        if (x->as.integer < 0 || (unsigned long long)x->as.integer > TENSOR_MAX_ELEMS)
            return args_error(a, 0, e, ERROR_ARG, "%lld is not a length from 0 to %zu", x->as.integer,
                              TENSOR_MAX_ELEMS);
        t = new_array(1, 1, (size_t)x->as.integer, DTYPE_INT64, e);
        unsigned polls = 0;
        for (size_t i = 0; t && i < t->cols; i++) {
            if (interp_poll(in, &polls, e)) {
                tensor_delete(t);
                return rethrow(a, -1, e);
            }
            t->data[i] = (double)i;
        }
    } else {
        Arr v;
        if (!arr_of(a, 0, x, &v, e))
            return false;
        if (v.nd == 0) {
            arr_free(&v);
            return args_error(a, 0, e, ERROR_TYPE, "x must be an integer or at least 1-dimensional");
        }
        t = tensor_copy(v.t, e);
        arr_free(&v);
    }
    if (!t)
        return rethrow(a, 0, e);
    Rng r = in->rng;
    if (!shuffle_rows(in, &r, t->data, t->ndim == 1 ? t->cols : t->rows, t->ndim == 1 ? 1 : t->cols, e)) {
        tensor_delete(t);
        return rethrow(a, -1, e);
    }
    in->rng = r;
    return give(out, t, t->ndim);
}

/* numpy's legacy choice: with replacement randint(0, n) per value (or,
 * with p, the cumulative sum searched for uniform draws); without, the
 * first values of a permutation of range(n). */
static bool r_choice(Interp *in, Args *a, Value *out, Error *e)
{
    const Value *av = a->arg[0].v, *size = arg_or_kw(a, 1, "size"), *rv = arg_or_kw(a, 2, "replace"),
                *pv = arg_or_kw(a, 3, "p");
    bool replace = true;
    if (rv && !value_truth(rv, &replace, e))
        return rethrow(a, 2, e);
    if (pv && pv->kind == VALUE_NONE)
        pv = NULL;
    Arr pop = { NULL, 0 };
    long long n;
    if (av->kind == VALUE_INT) {
        n = av->as.integer;
    } else {
        if (!arr_of(a, 0, av, &pop, e))
            return false;
        if (pop.nd != 1) {
            arr_free(&pop);
            return args_error(a, 0, e, ERROR_ARG, "a must be 1-dimensional or an integer");
        }
        n = (long long)pop.t->cols;
    }
    int nd = 0;
    size_t rows = 1, cols = 1;
    if (size && size->kind != VALUE_NONE && !shape_arg(a, size, 1, &nd, &rows, &cols, e)) {
        arr_free(&pop);
        return false;
    }
    size_t count = rows * cols;
    if (n <= 0 && count) {
        arr_free(&pop);
        return args_error(a, 0, e, ERROR_ARG, "a must be greater than 0 unless no samples are taken");
    }
    Tensor *cdf = NULL;
    bool ok = true;
    if (pv) {
        Arr p;
        if (!replace) {
            arr_free(&pop);
            return args_error(a, 3, e, ERROR_ARG, "p= with replace=False is not part of nudge");
        }
        if (!arr_of(a, 3, pv, &p, e)) {
            arr_free(&pop);
            return false;
        }
        if (p.nd != 1)
            ok = args_error(a, 3, e, ERROR_ARG, "p must be 1-dimensional");
        else if ((long long)p.t->cols != n)
            ok = args_error(a, 3, e, ERROR_ARG, "a and p must have the same size");
        double ksum = 0, c = 0;
        for (size_t i = 0; ok && i < p.t->cols; i++) {
            double x = p.t->data[i];
            if (x < 0 || isnan(x))
                ok = args_error(a, 3, e, ERROR_ARG, "probabilities are not non-negative");
            if (i == 0) {
                ksum = x;
            } else {       /* numpy's kahan_sum */
                double y = x - c, s = ksum + y;
                c = (s - ksum) - y;
                ksum = s;
            }
        }
        if (ok && !(fabs(ksum - 1.) <= 1.4901161193847656e-08))
            ok = args_error(a, 3, e, ERROR_ARG, "probabilities do not sum to 1");
        if (ok && (cdf = tensor_copy(p.t, e)) != NULL) {
            for (size_t i = 1; i < cdf->cols; i++)
                cdf->data[i] += cdf->data[i - 1];
            double last = cdf->data[cdf->cols - 1];
            for (size_t i = 0; i < cdf->cols; i++)
                cdf->data[i] /= last;
        }
        arr_free(&p);
        if (ok && !cdf)
            ok = rethrow(a, 3, e);
    }
    if (ok && !replace && (long long)count > n)
        ok = args_error(a, 1, e, ERROR_ARG, "cannot take a larger sample than population when replace=False");
    Tensor *idx = ok ? new_array(nd ? nd : 1, rows, cols, DTYPE_INT64, e) : NULL;
    if (ok && !idx)
        ok = rethrow(a, -1, e);
    Rng r = in->rng;
    unsigned polls = 0;
    if (ok && cdf) {
        for (size_t i = 0; ok && i < count; i++) {
            ok = !interp_poll(in, &polls, e) || rethrow(a, -1, e);
            /* The first k with cdf[k] > u, by bisection as numpy's
             * searchsorted(side='right'): the cdf never falls. */
            double u = rng_random(&r);
            size_t lo = 0, hi = cdf->cols;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (cdf->data[mid] <= u)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            idx->data[i] = (double)lo;
        }
    } else if (ok && replace) {
        for (size_t i = 0; ok && i < count; i++) {
            ok = !interp_poll(in, &polls, e) || rethrow(a, -1, e);
            idx->data[i] = (double)rng_below64(&r, (uint64_t)n);
        }
    } else if (ok) {
        Tensor *perm = new_array(1, 1, (size_t)n, DTYPE_INT64, e);
        if (!perm) {
            ok = rethrow(a, -1, e);
        } else {
            for (long long i = 0; i < n; i++)
                perm->data[i] = (double)i;
            ok = shuffle_rows(in, &r, perm->data, (size_t)n, 1, e) || rethrow(a, -1, e);
            if (ok)
                memcpy(idx->data, perm->data, count * sizeof *idx->data);
            tensor_delete(perm);
        }
    }
    tensor_delete(cdf);
    if (!ok) {
        tensor_delete(idx);
        arr_free(&pop);
        return false;
    }
    in->rng = r;
    if (pop.t) {
        for (size_t i = 0; i < count; i++)
            idx->data[i] = pop.t->data[(size_t)idx->data[i]];
        idx->dtype = pop.t->dtype;
        arr_free(&pop);
    }
    return give(out, idx, nd);
}

/* --- methods of arrays ----------------------------------------------------------------------- */

static bool a_copy(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    return array_value(a, a->self, NULL, true, out, e);
}

static bool a_astype(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Value *d = arg_or_kw(a, 1, "dtype");
    if (!d)
        return args_error(a, -1, e, ERROR_ARG, "needs a dtype: float, int or bool");
    return array_value(a, a->self, d, true, out, e);
}

static bool a_tolist(Interp *in, Args *a, Value *out, Error *e)
{
    const Tensor *t = a->self->as.tensor;
    unsigned polls = 0;
    if (!value_list(out, VALUE_LIST, t->rows, e))
        return false;
    for (size_t r = 0; r < t->rows; r++) {
        Value row;
        Value *into = out;
        if (t->ndim == 2) {
            if (!value_list(&row, VALUE_LIST, t->cols, e)) {
                value_free(out);
                return false;
            }
            into = &row;
        }
        for (size_t c = 0; c < t->cols; c++) {
            if (interp_poll(in, &polls, e)) {
                if (t->ndim == 2)
                    value_free(&row);
                value_free(out);
                return rethrow(a, -1, e);
            }
            list_push(into, scalar_value(tensor_at(t, r, c), t->dtype), e);
        }
        if (t->ndim == 2)
            list_push(out, row, e);
    }
    return true;
}

static bool a_item(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Tensor *t = a->self->as.tensor;
    long long n = (long long)tensor_size(t), k;
    if (a->n == 0) {
        if (n != 1)
            return args_error(a, -1, e, ERROR_ARG, "can only convert an array of size 1 to a Python scalar (this has "
                              "%lld values); give an index", n);
        k = 0;
    } else {
        for (size_t i = 0; i < a->n; i++)
            if (a->arg[i].v->kind != VALUE_INT)
                return args_error(a, (int)i, e, ERROR_TYPE, "an index must be an int");
        if (a->n == 1) {
            k = a->arg[0].v->as.integer;
            if (k < 0)
                k += n;
            if (k < 0 || k >= n)
                return args_error(a, 0, e, ERROR_ARG, "index %lld is out of bounds for size %lld",
                                  a->arg[0].v->as.integer, n);
        } else {
            if ((int)a->n != t->ndim)
                return args_error(a, -1, e, ERROR_ARG, "incorrect number of indices for array");
            long long i = a->arg[0].v->as.integer, j = a->arg[1].v->as.integer, rows = (long long)t->rows,
                      cols = (long long)t->cols;
            if (i < 0)
                i += rows;
            if (j < 0)
                j += cols;
            if (i < 0 || i >= rows || j < 0 || j >= cols)
                return args_error(a, -1, e, ERROR_ARG, "index out of bounds");
            k = i * cols + j;
        }
    }
    *out = scalar_value(t->data[k], t->dtype);
    return true;
}

static bool a_dot(Interp *in, Args *a, Value *out, Error *e) { return dot_values(in, a, a->self, a->arg[0].v, out, e); }

static bool a_round(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    return round_value(a, a->self, arg_or_kw(a, 1, "decimals"), out, e);
}

static bool a_clip(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    return clip_values(a, a->self, arg_or_kw(a, 1, "min"), arg_or_kw(a, 2, "max"), out, e);
}

/* --- the tables ----------------------------------------------------------------------------- */

/* The gradient rule of a reduction, by its function. */
#define RED_GRAD(fn) (fn == np_sum ? &grad_sum : fn == np_mean ? &grad_mean : fn == np_max ? &grad_amax \
                      : fn == np_min ? &grad_amin : &grad_flat)
#define RED_ROW(nm, fn, usage, help) { nm, fn, 1, 2, "axis keepdims", -3, usage, help, 0, NULL, RED_GRAD(fn) }

static const Builtin numpy_table[] = {
    { "array", np_array, 1, 1, "dtype", -3, "np.array(x, dtype=None)",
      "A new array from a list (of lists) of numbers, with numpy's dtype: ints make int64, any float float64, "
      "bools bool; dtype=float (int, bool) converts. nudge's arrays have 1 or 2 dimensions and hold float64, "
      "int64 or bool (no float16 or int8: where numpy would use them, nudge gives float64 or int64). "
      "np.array of a single number gives that number: nudge has no 0-d arrays, and numpy's scalars "
      "(np.sum(a), a[0]) are Python numbers, so arithmetic on two of them follows Python: 1/np.sum(z) "
      "raises ZeroDivisionError for a zero sum where numpy gives inf. An int array is exact up to 2**53 "
      "and does not wrap around at 2**63 as numpy's does. A slice of an array is a copy, not a view.", 0,
      NULL, .grad = &grad_copy },
    { "asarray", np_array, 1, 1, "dtype", -3, "np.asarray(x, dtype=None)",
      "x as an array: the same array when it is one already (and the dtype fits), else a new one.", 0, NULL, .grad = &grad_copy },
    { "copy", np_array, 1, 1, "", -3, "np.copy(a)", "A copy of the array.", 0, NULL, .grad = &grad_copy },
    { "zeros", np_zeros, 1, 1, "dtype", -3, "np.zeros(shape, dtype=float)",
      "An array of zeros: np.zeros(3), np.zeros((2, 3)), np.zeros(3, dtype=int).", 0, NULL, .grad = &grad_flat },
    { "ones", np_zeros, 1, 1, "dtype", -3, "np.ones(shape, dtype=float)", "An array of ones.", 0, NULL, .grad = &grad_flat },
    { "zeros_like", np_zeros, 1, 1, "dtype", -3, "np.zeros_like(a)", "Zeros of a's shape and dtype.", 0, NULL, .grad = &grad_flat },
    { "ones_like", np_zeros, 1, 1, "dtype", -3, "np.ones_like(a)", "Ones of a's shape and dtype.", 0, NULL, .grad = &grad_flat },
    { "full", np_full, 1, 2, "fill_value dtype", -3, "np.full(shape, value)",
      "An array of one value; its dtype is the value's.", 0, NULL },
    { "full_like", np_full, 1, 2, "fill_value dtype", -3, "np.full_like(a, value)",
      "One value in a's shape and dtype.", 0, NULL },
    { "eye", np_eye, 1, 3, "N M k dtype", -3, "np.eye(N, M=None, k=0, dtype=float)",
      "Ones on diagonal k of an N x M matrix (N x N without M).", 0, NULL, .grad = &grad_flat },
    { "identity", np_identity, 1, 1, "dtype", -3, "np.identity(n)", "The n x n identity matrix.", 0, NULL, .grad = &grad_flat },
    { "arange", np_arange, 1, 3, "dtype", -3, "np.arange(start, stop, step)",
      "Evenly spaced values from start up to stop (left out): ints if every argument is an int. As numpy "
      "computes them: the second value is start + step and the i-th start + i*(that second - start).", 0, NULL, .grad = &grad_flat },
    { "linspace", np_linspace, 2, 4, "num endpoint dtype", -3, "np.linspace(start, stop, num=50, endpoint=True)",
      "num values from start to stop, stop included (unless endpoint=False).", 0, NULL, .grad = &grad_flat },
    { "diag", np_diag, 1, 2, "k", -3, "np.diag(v, k=0)",
      "A vector's values on diagonal k of a square matrix; a matrix's diagonal k as a vector.", 0, NULL },
    { "dot", np_dot, 2, 2, "", -3, "np.dot(a, b)",
      "The dot product of vectors, the product of matrices, a number times an array. As numpy's BLAS calls do, "
      "a float array of one element times another array adds 0 to each product (so -0 becomes 0) and gives "
      "zeros when that element is 0.", 0, NULL, .grad = &grad_dot },
    { "matmul", np_matmul, 2, 2, "", -3, "np.matmul(a, b)", "a @ b: matrices (and vectors), not numbers.", 0, NULL, .grad = &grad_matmul },
    { "outer", np_outer, 2, 2, "", -3, "np.outer(a, b)", "The outer product of a and b flattened: a[i]*b[j].", 0,
      NULL, .grad = &grad_outer },
    { "einsum", np_einsum, 2, 3, "", -3, "np.einsum('ij,jk->ik', a, b)",
      "Sums of products named by subscripts, for one or two arrays: 'i,j->ij' (outer), 'ij,jk->ik' (matrix "
      "product), 'i,i->' (dot), 'ij->ji' (transpose), 'ii->i' (diagonal). Sums go in order from 0; numpy's own "
      "order may round the last bit differently.", 0, NULL },
    { "transpose", np_transpose, 1, 2, "axes", -3, "np.transpose(a)",
      "a.T: rows become columns. nudge makes a copy in row order; numpy's is a view in column order, which its "
      "sums follow, so a sum of something computed from a transpose may differ from numpy's in the last bit.", 0,
      NULL, .grad = &grad_transpose },
    { "reshape", np_reshape, 2, 2, "", -3, "np.reshape(a, shape)",
      "The same values in another shape; one dimension may be -1 (worked out).", 0, NULL, .grad = &grad_reshape },
    { "ravel", np_ravel, 1, 1, "", -3, "np.ravel(a)", "The values as one vector, row by row.", 0, NULL, .grad = &grad_reshape },
    { "concatenate", np_concatenate, 1, 2, "axis", -3, "np.concatenate((a, b), axis=0)",
      "Arrays joined along an axis (axis=None: flattened first).", 0, NULL },
    { "hstack", np_stack, 1, 1, "", -3, "np.hstack((a, b))",
      "Arrays side by side: vectors end to end, matrices along their columns.", 0, NULL },
    { "vstack", np_stack, 1, 1, "", -3, "np.vstack((a, b))",
      "Arrays on top of each other; a vector is a row.", 0, NULL },
    { "where", np_where, 1, 3, "", -3, "np.where(cond, x, y)",
      "x where cond is true, else y, broadcast together; np.where(cond) alone gives the indices of the true "
      "elements, one array per axis.", 0, NULL },
    { "clip", np_clip, 1, 3, "a_min a_max", -3, "np.clip(a, a_min, a_max)",
      "Each element held between a_min and a_max (either may be None).", 0, NULL, .grad = &grad_clip },
    { "allclose", np_allclose, 2, 5, "rtol atol equal_nan", -3, "np.allclose(a, b, rtol=1e-05, atol=1e-08)",
      "Whether every |a - b| <= atol + rtol*|b| (infinities equal only themselves, NaN nothing).", 0, NULL, .grad = &grad_flat },
    { "isclose", np_isclose, 2, 5, "rtol atol equal_nan", -3, "np.isclose(a, b, rtol=1e-05, atol=1e-08)",
      "Element by element, whether |a - b| <= atol + rtol*|b|.", 0, NULL, .grad = &grad_flat },
    { "array_equal", np_array_equal, 2, 2, "", -3, "np.array_equal(a, b)",
      "Whether a and b have the same shape and elements.", 0, NULL, .grad = &grad_flat },
    { "exp", np_map, 1, 1, "", -3, "np.exp(x)", "e to each element.", 0, exp, .grad = &grad_exp },
    { "log", np_map, 1, 1, "", -3, "np.log(x)", "The natural log of each element.", 0, log, .grad = &grad_log },
    { "log10", np_map, 1, 1, "", -3, "np.log10(x)", "The base-10 log of each element.", 0, log10, .grad = &grad_log10 },
    { "log2", np_map, 1, 1, "", -3, "np.log2(x)", "The base-2 log of each element.", 0, log2, .grad = &grad_log2 },
    { "log1p", np_map, 1, 1, "", -3, "np.log1p(x)", "log(1 + x) of each element.", 0, log1p, .grad = &grad_log1p },
    { "expm1", np_map, 1, 1, "", -3, "np.expm1(x)", "exp(x) - 1 of each element.", 0, expm1, .grad = &grad_expm1 },
    { "sqrt", np_map, 1, 1, "", -3, "np.sqrt(x)", "The square root of each element.", 0, sqrt, .grad = &grad_sqrt },
    { "tanh", np_map, 1, 1, "", -3, "np.tanh(x)", "tanh of each element.", 0, tanh, .grad = &grad_tanh },
    { "sin", np_map, 1, 1, "", -3, "np.sin(x)", "The sine of each element.", 0, sin, .grad = &grad_sin },
    { "cos", np_map, 1, 1, "", -3, "np.cos(x)", "The cosine of each element.", 0, cos, .grad = &grad_cos },
    { "tan", np_map, 1, 1, "", -3, "np.tan(x)", "The tangent of each element.", 0, tan, .grad = &grad_tan },
    { "floor", np_map, 1, 1, "", -3, "np.floor(x)", "Each element rounded down (a float).", 0, floor, .grad = &grad_flat },
    { "ceil", np_map, 1, 1, "", -3, "np.ceil(x)", "Each element rounded up (a float).", 0, ceil, .grad = &grad_flat },
    { "square", np_keepmap, 1, 1, "", -3, "np.square(x)", "Each element squared.", 0, f_square, .grad = &grad_square },
    { "sign", np_keepmap, 1, 1, "", -3, "np.sign(x)", "-1, 0 or 1 for each element (NaN stays NaN).", 0, f_sign, .grad = &grad_flat },
    { "abs", np_keepmap, 1, 1, "", -3, "np.abs(x)", "The absolute value of each element.", 0, f_abs, .grad = &grad_abs },
    { "absolute", np_keepmap, 1, 1, "", -3, "np.absolute(x)", "The absolute value of each element.", 0, f_abs, .grad = &grad_abs },
    { "isnan", np_test, 1, 1, "", -3, "np.isnan(x)", "Whether each element is NaN.", 0, f_isnan, .grad = &grad_flat },
    { "isinf", np_test, 1, 1, "", -3, "np.isinf(x)", "Whether each element is infinite.", 0, f_isinf, .grad = &grad_flat },
    { "isfinite", np_test, 1, 1, "", -3, "np.isfinite(x)", "Whether each element is neither infinite nor NaN.", 0,
      f_isfinite, .grad = &grad_flat },
    { "maximum", np_maximum, 2, 2, "", -3, "np.maximum(a, b)",
      "The larger of each pair of elements, broadcast together; NaN if either is NaN (of two equal zeros, b's).",
      0, NULL, .grad = &grad_maximum },
    { "minimum", np_maximum, 2, 2, "", -3, "np.minimum(a, b)", "The smaller of each pair of elements.", 0, NULL, .grad = &grad_minimum },
    { "power", np_power, 2, 2, "", -3, "np.power(a, b)", "a ** b.", 0, NULL, .grad = &grad_power },
    { "round", np_round, 1, 2, "decimals", -3, "np.round(a, decimals=0)",
      "Each element rounded to decimals places, a tie to the even neighbour (np.round(2.5) is 2.0), by "
      "numpy's method: times 10**decimals, rounded, divided back.", 0, NULL, .grad = &grad_flat },
    { "around", np_round, 1, 2, "decimals", -3, "np.around(a, decimals=0)", "np.round.", 0, NULL, .grad = &grad_flat },
    RED_ROW("sum", np_sum, "np.sum(a, axis=None, keepdims=False)",
            "The sum of the elements (ints stay ints), or along an axis. Floats are summed as numpy does, in "
            "pairs of blocks (so results match numpy to the last bit), down a matrix's columns row after row."),
    RED_ROW("mean", np_mean, "np.mean(a, axis=None, keepdims=False)", "The mean (a float), or along an axis."),
    RED_ROW("max", np_max, "np.max(a, axis=None, keepdims=False)",
            "The largest element, or along an axis; NaN if there is one."),
    RED_ROW("min", np_min, "np.min(a, axis=None, keepdims=False)", "The smallest element, or along an axis."),
    RED_ROW("amax", np_max, "np.amax(a, axis=None)", "np.max."),
    RED_ROW("amin", np_min, "np.amin(a, axis=None)", "np.min."),
    RED_ROW("argmax", np_argmax, "np.argmax(a, axis=None)",
            "Where the largest element is (the first of equals; the first NaN if any), in the flattened array "
            "or along an axis."),
    RED_ROW("argmin", np_argmin, "np.argmin(a, axis=None)", "Where the smallest element is."),
    RED_ROW("any", np_any, "np.any(a, axis=None)", "Whether any element is nonzero (true)."),
    RED_ROW("all", np_all, "np.all(a, axis=None)", "Whether every element is nonzero (true)."),
    { "var", np_var, 1, 2, "axis keepdims ddof", -3, "np.var(a, axis=None, ddof=0)",
      "The variance: the mean squared distance from the mean (divided by n - ddof).", 0, NULL, .grad = &grad_var },
    { "std", np_std, 1, 2, "axis keepdims ddof", -3, "np.std(a, axis=None, ddof=0)",
      "The standard deviation: the square root of np.var.", 0, NULL, .grad = &grad_std },
    { "set_printoptions", np_set_printoptions, 0, 0, "precision suppress formatter linewidth threshold edgeitems "
      "sign floatmode legacy nanstr infstr", -3,
      "np.set_printoptions(precision=8, suppress=False, formatter=None, linewidth=75)",
      "How print shows arrays from now on, as in numpy:\n"
      "  np.set_printoptions(formatter={'float': '{: 0.3f}'.format})", 0, NULL },
    { "ndarray", NULL, 0, 0, "", -3, "np.ndarray", "The type of arrays, for isinstance(x, np.ndarray).",
      BUILTIN_TYPE, NULL },
    { "float64", NULL, 0, 0, "", -3, "np.float64", "numpy's float dtype (as in dtype=np.float64).", BUILTIN_TYPE,
      NULL },
    { "int64", NULL, 0, 0, "", -3, "np.int64", "numpy's int dtype.", BUILTIN_TYPE, NULL },
    { "bool_", NULL, 0, 0, "", -3, "np.bool_", "numpy's bool dtype.", BUILTIN_TYPE, NULL },
};

static const Builtin random_table[] = {
    { "seed", r_seed, 0, 1, "", -3, "np.random.seed(n)",
      "Seeds numpy's legacy generator as numpy does: np.random.seed(1) then np.random.random((3, 4)) gives the "
      "book's weights.", 0, NULL, .grad = &grad_flat },
    { "random", r_random, 0, 1, "size", -3, "np.random.random(size=None)",
      "Uniform numbers in [0, 1): one, or an array of the shape given.", 0, NULL },
    { "random_sample", r_random, 0, 1, "size", -3, "np.random.random_sample(size=None)", "np.random.random.", 0,
      NULL },
    { "rand", r_rand, 0, 2, "", -3, "np.random.rand(d0, d1)", "Uniform numbers in [0, 1) of shape (d0, d1).", 0,
      NULL },
    { "randn", r_randn, 0, 2, "", -3, "np.random.randn(d0, d1)",
      "Standard normal numbers of shape (d0, d1), by numpy's legacy polar method (values come in pairs; the "
      "second waits for the next call, and seed forgets it).", 0, NULL },
    { "standard_normal", r_standard_normal, 0, 1, "size", -3, "np.random.standard_normal(size=None)",
      "np.random.randn with a shape.", 0, NULL },
    { "normal", r_normal, 0, 3, "loc scale size", -3, "np.random.normal(loc=0.0, scale=1.0, size=None)",
      "loc + scale * a standard normal number, for each value.", 0, NULL },
    { "uniform", r_uniform, 0, 3, "low high size", -3, "np.random.uniform(low=0.0, high=1.0, size=None)",
      "low + (high - low) * a uniform number in [0, 1), for each value.", 0, NULL },
    { "randint", r_randint, 1, 3, "high size dtype", -3, "np.random.randint(low, high=None, size=None)",
      "Whole numbers from low up to high (left out), or from 0 up to low when high is not given.", 0, NULL, .grad = &grad_flat },
    { "choice", r_choice, 1, 4, "size replace p", -3, "np.random.choice(a, size=None, replace=True, p=None)",
      "Values drawn from a (or from range(a) for an int a), with replacement unless replace=False, with "
      "probabilities p if given.", 0, NULL },
    { "shuffle", r_shuffle, 1, 1, "", -3, "np.random.shuffle(x)",
      "Shuffles an array (a matrix by rows) or a list in place, as numpy does from the same state.",
      BUILTIN_CHANGES_FIRST, NULL },
    { "permutation", r_permutation, 1, 1, "", -3, "np.random.permutation(x)",
      "A shuffled copy of x (a matrix by rows), or of np.arange(x) for an int x.", 0, NULL },
};

static const ModuleConst consts[] = {
    { "pi", PI }, { "e", EULER }, { "inf", INFINITY }, { "nan", NAN },
};

#define METHOD_RED(nm, fn, usage) { nm, fn, 0, 1, "axis keepdims", -2, usage, "np." nm "(a, axis=...).", 0, NULL, RED_GRAD(fn) }

static const Builtin array_table[] = {
    { "dot", a_dot, 1, 1, "", -2, "a.dot(b)", "np.dot(a, b).", 0, NULL, .grad = &grad_dot },
    METHOD_RED("sum", np_sum, "a.sum(axis=None, keepdims=False)"),
    METHOD_RED("mean", np_mean, "a.mean(axis=None, keepdims=False)"),
    METHOD_RED("max", np_max, "a.max(axis=None, keepdims=False)"),
    METHOD_RED("min", np_min, "a.min(axis=None, keepdims=False)"),
    METHOD_RED("argmax", np_argmax, "a.argmax(axis=None)"),
    METHOD_RED("argmin", np_argmin, "a.argmin(axis=None)"),
    METHOD_RED("any", np_any, "a.any(axis=None)"),
    METHOD_RED("all", np_all, "a.all(axis=None)"),
    { "var", np_var, 0, 1, "axis keepdims ddof", -2, "a.var(axis=None, ddof=0)", "np.var(a, ...).", 0, NULL, .grad = &grad_var },
    { "std", np_std, 0, 1, "axis keepdims ddof", -2, "a.std(axis=None, ddof=0)", "np.std(a, ...).", 0, NULL, .grad = &grad_std },
    { "reshape", np_reshape, 1, 2, "", -2, "a.reshape(shape)", "The same values in another shape.", 0, NULL, .grad = &grad_reshape },
    { "flatten", np_ravel, 0, 0, "", -2, "a.flatten()", "The values as one vector (a copy).", 0, NULL, .grad = &grad_reshape },
    { "ravel", np_ravel, 0, 0, "", -2, "a.ravel()", "The values as one vector.", 0, NULL, .grad = &grad_reshape },
    { "copy", a_copy, 0, 0, "", -2, "a.copy()", "A copy of the array.", 0, NULL, .grad = &grad_copy },
    { "astype", a_astype, 1, 1, "", -2, "a.astype(float)",
      "A copy with another dtype: float, int (toward zero) or bool (nonzero).", 0, NULL, .grad = &grad_astype },
    { "tolist", a_tolist, 0, 0, "", -2, "a.tolist()", "The values as (nested) Python lists.", 0, NULL },
    { "item", a_item, 0, 2, "", -2, "a.item()", "The one value of a one-element array (or a.item(i)), as a number.",
      0, NULL, .grad = &grad_copy },
    { "transpose", np_transpose, 0, 2, "", -2, "a.transpose()", "a.T.", 0, NULL, .grad = &grad_transpose },
    { "round", a_round, 0, 1, "decimals", -2, "a.round(decimals=0)", "np.round(a, decimals).", 0, NULL, .grad = &grad_flat },
    { "clip", a_clip, 0, 2, "min max", -2, "a.clip(min, max)", "np.clip(a, min, max).", 0, NULL, .grad = &grad_clip },
};

const Builtin *numpy_rows(size_t *n)
{
    *n = sizeof numpy_table / sizeof numpy_table[0];
    return numpy_table;
}

const Builtin *numpy_random_rows(size_t *n)
{
    *n = sizeof random_table / sizeof random_table[0];
    return random_table;
}

const ModuleConst *numpy_consts(size_t *n)
{
    *n = sizeof consts / sizeof consts[0];
    return consts;
}

const Builtin *array_methods(size_t *n)
{
    *n = sizeof array_table / sizeof array_table[0];
    return array_table;
}
