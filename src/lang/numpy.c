/* numpy.c - the numpy namespace (np.array, np.dot, np.random.seed, ...) and
 * the methods of arrays (a.dot, a.sum(axis=0), a.reshape, ...), with
 * numpy's names, arguments and dtypes over nudge's computations. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nudge/activation.h"
#include "nudge/builtins.h"
#include "nudge/mem.h"
#include "nudge/text.h"
#include "state.h"

/* C11 does not promise PI and EULER. */
static const double PI = 3.14159265358979323846, EULER = 2.71828182845904523536;

Tensor *value_to_tensor(const Value *v, const char *who, Error *e);
bool arith_binary(Interp *in, int op, const Value *a, const Value *b, Value *out, Error *e);
bool builtin_normalize(Args *a, Value *temps, Error *e);
void builtin_normalize_free(Args *a, Value *temps);

/* --- helpers ------------------------------------------------------------------ */

/* Calls nudge's built-in of the same name with a's arguments, read as
 * numpy reads array-likes. */
static bool via(Interp *in, const char *name, Args *a, Value *out, Error *e)
{
    const Builtin *b = builtin_lookup(name, strlen(name));
    if (!b)
        return args_error(a, -1, e, ERROR_NAME, "no such function");
    Value temps[ARGS_MAX];
    if (!builtin_normalize(a, temps, e))
        return false;
    const char *saved = a->name;
    bool ok = b->fn(in, a, out, e);
    a->name = saved;
    builtin_normalize_free(a, temps);
    return ok;
}

static bool np_same(Interp *in, Args *a, Value *out, Error *e)
{
    return via(in, a->name, a, out, e);
}

static Tensor *array_arg(const Args *a, int i, Error *e)
{
    Tensor *t = value_to_tensor(a->v[i], a->name, e);
    if (!t)
        args_error(a, i, e, e ? e->code : ERROR_TYPE, "%s", e ? e->msg : "");
    return t;
}

static Value scalar_value(double d, Dtype dt)
{
    return dt == DTYPE_INT64 ? value_int((long long)d) : dt == DTYPE_BOOL ? value_bool(d != 0) : value_number(d);
}

/* A dtype named by a string ("float64"), a type (float, int, bool) or
 * np.float64.  false when v names none. */
static bool dtype_of(const Value *v, Dtype *out)
{
    const char *name = v->kind == VALUE_STRING ? value_str(v) : v->kind == VALUE_BUILTIN ? v->as.builtin->name : NULL;
    if (!name)
        return false;
    if (!strcmp(name, "float") || !strcmp(name, "float64") || !strcmp(name, "double") || !strcmp(name, "f8")) {
        *out = DTYPE_FLOAT64;
        return true;
    }
    if (!strcmp(name, "int") || !strcmp(name, "int64") || !strcmp(name, "i8")) {
        *out = DTYPE_INT64;
        return true;
    }
    if (!strcmp(name, "bool") || !strcmp(name, "bool_")) {
        *out = DTYPE_BOOL;
        return true;
    }
    return false;
}

static void cast(Tensor *t, Dtype dt)
{
    if (dt == DTYPE_INT64)
        for (size_t i = 0; i < tensor_size(t); i++)
            t->data[i] = trunc(t->data[i]);
    else if (dt == DTYPE_BOOL)
        for (size_t i = 0; i < tensor_size(t); i++)
            t->data[i] = t->data[i] != 0;
    t->dtype = dt;
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
    if (n == 0) {
        *ndim = 1;
        *rows = 1;
        *cols = 1;
        return true;
    }
    *ndim = (int)n;
    *rows = n == 2 ? (size_t)dims[0] : 1;
    *cols = (size_t)dims[n - 1];
    return true;
}

/* --- making arrays ----------------------------------------------------------------- */

static bool np_array(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    Tensor *t = array_arg(a, 0, e);
    if (!t)
        return false;
    Tensor *c = a->v[0]->kind == VALUE_TENSOR || !strcmp(a->name, "copy") ? tensor_copy(t, e) : tensor_retain(t);
    tensor_delete(t);
    if (!c)
        return false;
    const Value *dt = args_kw(a, "dtype");
    if (dt && dt->kind != VALUE_NONE) {
        Dtype d;
        if (!dtype_of(dt, &d)) {
            tensor_delete(c);
            return args_error(a, -1, e, ERROR_ARG, "dtype= must be float, int or bool (nudge's arrays hold float64, "
                              "int64 or bool)");
        }
        cast(c, d);
    }
    *out = value_tensor(c);
    return true;
}

static bool np_asarray(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    if (a->v[0]->kind == VALUE_TENSOR && !args_kw(a, "dtype")) {
        *out = value_ref(a->v[0]);
        return true;
    }
    return np_array(in, a, out, e);
}

static bool filled(Args *a, double fill, Value *out, Error *e)
{
    int ndim;
    size_t r, c;
    if (!shape_arg(a, a->v[0], 0, &ndim, &r, &c, e))
        return false;
    Tensor *t = tensor_new(ndim, r, c, e);
    if (!t)
        return args_error(a, 0, e, e->code, "%s", e->msg);
    for (size_t i = 0; i < r * c; i++)
        t->data[i] = fill;
    const Value *dt = args_kw(a, "dtype");
    Dtype d;
    if (dt && dtype_of(dt, &d))
        cast(t, d);
    *out = value_tensor(t);
    return true;
}

static bool np_zeros(Interp *in, Args *a, Value *out, Error *e) { (void)in; return filled(a, 0, out, e); }
static bool np_ones(Interp *in, Args *a, Value *out, Error *e) { (void)in; return filled(a, 1, out, e); }

static bool np_arange(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    double start = 0, stop, step = 1;
    bool ints = true;
    for (size_t i = 0; i < a->n; i++) {
        if (!value_is_scalar(a->v[i]))
            return args_error(a, (int)i, e, ERROR_TYPE, "needs numbers");
        ints = ints && a->v[i]->kind != VALUE_NUMBER;
    }
    if (a->n == 1)
        stop = value_to_double(a->v[0]);
    else {
        start = value_to_double(a->v[0]);
        stop = value_to_double(a->v[1]);
        if (a->n == 3)
            step = value_to_double(a->v[2]);
    }
    if (step == 0)
        return args_error(a, 2, e, ERROR_ARG, "the step cannot be zero");
    double len = ceil((stop - start) / step);
    if (!(len >= 0))
        len = 0;
    if (len > (double)TENSOR_MAX_ELEMS)
        return args_error(a, -1, e, ERROR_LIMIT, "%g values are too many (at most %zu)", len, TENSOR_MAX_ELEMS);
    Tensor *t = tensor_vector((size_t)len, e);
    if (!t)
        return false;
    for (size_t i = 0; i < (size_t)len; i++)
        t->data[i] = start + (double)i * step;
    t->dtype = ints ? DTYPE_INT64 : DTYPE_FLOAT64;
    *out = value_tensor(t);
    return true;
}

static bool np_linspace(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    if (!value_is_scalar(a->v[0]) || !value_is_scalar(a->v[1]))
        return args_error(a, 0, e, ERROR_TYPE, "needs numbers");
    double lo = value_to_double(a->v[0]), hi = value_to_double(a->v[1]);
    long long num = 50;
    const Value *nv = a->n > 2 ? a->v[2] : args_kw(a, "num");
    if (nv) {
        if (nv->kind != VALUE_INT || nv->as.integer < 0)
            return args_error(a, 2, e, ERROR_ARG, "num must be a whole number >= 0");
        num = nv->as.integer;
    }
    Tensor *t = tensor_vector((size_t)num, e);
    if (!t)
        return false;
    /* numpy: start + arange(num) * step, the last set to stop */
    double div = num > 1 ? (double)(num - 1) : 1;
    double step = (hi - lo) / div;
    for (long long i = 0; i < num; i++)
        t->data[i] = lo + (double)i * step;
    if (num > 1)
        t->data[num - 1] = hi;
    *out = value_tensor(t);
    return true;
}

static bool np_eye(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    if (a->v[0]->kind != VALUE_INT || a->v[0]->as.integer < 0)
        return args_error(a, 0, e, ERROR_ARG, "needs a whole number >= 0");
    return (*out = value_tensor(tensor_eye((size_t)a->v[0]->as.integer, e))).as.tensor != NULL;
}

/* --- products ------------------------------------------------------------------------ */

/* numpy's dot: vectors give their dot product, matrices their product,
 * a number scales. */
static bool np_dot(Interp *in, Args *a, Value *out, Error *e)
{
    const Value *x = a->self ? a->self : a->v[0], *y = a->self ? a->v[0] : a->v[1];
    if (value_is_scalar(x) || value_is_scalar(y))
        return arith_binary(in, TOKEN_STAR, x, y, out, e) || args_error(a, -1, e, e->code, "%s", e->msg);
    if (!arith_binary(in, TOKEN_AT, x, y, out, e))
        return args_error(a, a->self ? 0 : 1, e, e->code, "%s", strncmp(e->msg, "@: ", 3) ? e->msg : e->msg + 3);
    return true;
}

static bool np_matmul(Interp *in, Args *a, Value *out, Error *e)
{
    if (value_is_scalar(a->v[0]) || value_is_scalar(a->v[1]))
        return args_error(a, -1, e, ERROR_ARG, "matmul takes arrays, not numbers (for a number, use *)");
    return arith_binary(in, TOKEN_AT, a->v[0], a->v[1], out, e) || args_error(a, 1, e, e->code, "%s", e->msg);
}

/* --- element-wise ---------------------------------------------------------------------- */

typedef double (*Fn1)(double);

static bool map_values(Args *a, const Value *v, Fn1 f, Value *out, Error *e)
{
    if (value_is_scalar(v)) {
        *out = value_number(f(value_to_double(v)));
        return true;
    }
    Tensor *t = value_to_tensor(v, a->name, e);
    if (!t)
        return args_error(a, 0, e, e->code, "%s", e->msg);
    Tensor *r = tensor_map(t, f, e);
    tensor_delete(t);
    if (!r)
        return false;
    *out = value_tensor(r);
    return true;
}

static double f_square(double x) { return x * x; }
static double f_sign(double x) { return x > 0 ? 1 : x < 0 ? -1 : x == 0 ? 0 : x; }

/* The row's own C function on each element (np.exp, np.sqrt, ...). */
static bool np_map(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    if (!map_values(a, a->v[0], a->row->map, out, e))
        return false;
    if (out->kind == VALUE_TENSOR && (a->row->map == f_square || a->row->map == f_sign)) {
        /* square and sign keep an int array's dtype */
        Tensor *src = value_to_tensor(a->v[0], a->name, e);
        if (src) {
            out->as.tensor->dtype = src->dtype == DTYPE_BOOL ? DTYPE_INT64 : src->dtype;
            tensor_delete(src);
        }
    }
    return true;
}

static bool np_abs(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Value *v = a->v[0];
    if (value_is_scalar(v)) {
        *out = v->kind == VALUE_NUMBER ? value_number(fabs(v->as.number)) : value_int(llabs(v->as.integer));
        return true;
    }
    Tensor *t = array_arg(a, 0, e);
    if (!t)
        return false;
    Tensor *r = tensor_copy(t, e);
    tensor_delete(t);
    if (!r)
        return false;
    for (size_t i = 0; i < tensor_size(r); i++)
        r->data[i] = fabs(r->data[i]);
    *out = value_tensor(r);
    return true;
}

static double f_maximum(double x, double y) { return isnan(x) || isnan(y) ? x + y : x >= y ? x : y; }
static double f_minimum(double x, double y) { return isnan(x) || isnan(y) ? x + y : x <= y ? x : y; }

static bool np_extreme2(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    TensorFn2 f = !strcmp(a->name, "maximum") ? f_maximum : f_minimum;
    bool sx = value_is_scalar(a->v[0]), sy = value_is_scalar(a->v[1]);
    if (sx && sy) {
        double r = f(value_to_double(a->v[0]), value_to_double(a->v[1]));
        *out = a->v[0]->kind == VALUE_NUMBER || a->v[1]->kind == VALUE_NUMBER ? value_number(r) : value_int((long long)r);
        return true;
    }
    Tensor *x = array_arg(a, 0, e);
    Tensor *y = x ? array_arg(a, 1, e) : NULL;
    if (!y) {
        tensor_delete(x);
        return false;
    }
    Tensor *r = tensor_zip(x, y, f, a->name, e);
    Dtype dt = x->dtype == DTYPE_FLOAT64 || y->dtype == DTYPE_FLOAT64 ? DTYPE_FLOAT64
             : x->dtype == DTYPE_INT64 || y->dtype == DTYPE_INT64 ? DTYPE_INT64 : DTYPE_BOOL;
    tensor_delete(x);
    tensor_delete(y);
    if (!r)
        return args_error(a, 1, e, e->code, "%s", e->msg);
    r->dtype = dt;
    *out = value_tensor(r);
    return true;
}

static bool np_power(Interp *in, Args *a, Value *out, Error *e)
{
    return arith_binary(in, TOKEN_POW, a->v[0], a->v[1], out, e) || args_error(a, -1, e, e->code, "%s", e->msg);
}

/* --- reshaping -------------------------------------------------------------------------- */

static bool reshape(Args *a, const Value *src, const Value *shape, int argi, Value *out, Error *e)
{
    Tensor *t = value_to_tensor(src, "reshape", e);
    if (!t)
        return args_error(a, 0, e, e->code, "%s", e->msg);
    long long dims[2];
    size_t n = 0;
    if (shape->kind == VALUE_INT)
        dims[n++] = shape->as.integer;
    else if (shape->kind == VALUE_TUPLE || shape->kind == VALUE_LIST) {
        for (size_t k = 0; k < shape->as.list->n && n < 3; k++) {
            const Value *d = &shape->as.list->items[k];
            if (d->kind != VALUE_INT) {
                tensor_delete(t);
                return args_error(a, argi, e, ERROR_TYPE, "a shape is made of ints");
            }
            if (n < 2)
                dims[n] = d->as.integer;
            n++;
        }
    }
    if (n == 0 || n > 2) {
        tensor_delete(t);
        return args_error(a, argi, e, ERROR_ARG, "nudge's arrays have 1 or 2 dimensions");
    }
    size_t total = tensor_size(t);
    int unknown = -1;
    long long known = 1;
    for (size_t k = 0; k < n; k++) {
        if (dims[k] == -1) {
            if (unknown >= 0) {
                tensor_delete(t);
                return args_error(a, argi, e, ERROR_ARG, "only one dimension can be -1");
            }
            unknown = (int)k;
        } else if (dims[k] < 0) {
            tensor_delete(t);
            return args_error(a, argi, e, ERROR_ARG, "negative dimensions are not allowed");
        } else {
            known *= dims[k];
        }
    }
    if (unknown >= 0) {
        if (known == 0 || total % (size_t)known) {
            tensor_delete(t);
            return args_error(a, argi, e, ERROR_SHAPE, "cannot reshape %zu values into that shape", total);
        }
        dims[unknown] = (long long)total / known;
        known = (long long)total;
    }
    if ((size_t)known != total) {
        char sh[48];
        bool r = args_error(a, argi, e, ERROR_SHAPE, "cannot reshape an array of %zu values (shape %s) into %lld%s%lld",
                            total, tensor_shape_str(t, sh, sizeof sh), dims[0], n == 2 ? " x " : "",
                            n == 2 ? dims[1] : 0);
        tensor_delete(t);
        return r;
    }
    Tensor *r = tensor_from((int)n, n == 2 ? (size_t)dims[0] : 1, (size_t)dims[n - 1], t->data, e);
    if (r)
        r->dtype = t->dtype;
    tensor_delete(t);
    if (!r)
        return false;
    *out = value_tensor(r);
    return true;
}

static bool np_reshape(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    return reshape(a, a->v[0], a->v[1], 1, out, e);
}

static bool np_transpose(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    Tensor *t = array_arg(a, 0, e);
    if (!t)
        return false;
    Tensor *r = tensor_transpose(t, e);
    if (r)
        r->dtype = t->dtype;
    tensor_delete(t);
    if (!r)
        return false;
    *out = value_tensor(r);
    return true;
}

/* --- printing --------------------------------------------------------------------------- */

/* The spec inside '{: 0.3f}'.format, for formatter={'float': ...}. */
static bool formatter_spec(const Value *f, char **out, Error *e)
{
    if (f->kind != VALUE_METHOD || strcmp(f->as.method->fn->name, "format") || f->as.method->self->kind != VALUE_STRING)
        return error_set(e, ERROR_ARG, "set_printoptions: a formatter must be a format string's .format, as in "
                         "'{: 0.3f}'.format");
    const char *s = value_str(f->as.method->self);
    size_t len = value_strlen(f->as.method->self);
    if (len < 2 || s[0] != '{' || s[len - 1] != '}' || memchr(s + 1, '{', len - 2))
        return error_set(e, ERROR_ARG, "set_printoptions: the formatter's string must be one field such as '{: 0.3f}'");
    const char *colon = memchr(s, ':', len);
    size_t speclen = colon ? (size_t)(s + len - 1 - colon - 1) : 0;
    char *spec = mem_alloc(speclen + 1);
    if (!spec)
        return error_nomem(e, "set_printoptions");
    if (speclen)
        memcpy(spec, colon + 1, speclen);
    spec[speclen] = '\0';
    *out = spec;
    return true;
}

static bool np_set_printoptions(Interp *in, Args *a, Value *out, Error *e)
{
    (void)out;
    NpPrintOptions o = in->printopts;
    o.float_spec = o.float_spec ? mem_strdup(o.float_spec) : NULL;
    o.int_spec = o.int_spec ? mem_strdup(o.int_spec) : NULL;
    bool ok = true;
    for (size_t i = 0; i < a->nkw && ok; i++) {
        const char *k = a->kwnames[i];
        const Value *v = &a->kw[i];
        if (!strcmp(k, "precision") || !strcmp(k, "linewidth") || !strcmp(k, "threshold") || !strcmp(k, "edgeitems")) {
            if (v->kind == VALUE_NONE)
                continue;
            if (v->kind != VALUE_INT || v->as.integer < 0) {
                ok = args_error(a, -1, e, ERROR_ARG, "%s= must be a whole number", k);
                break;
            }
            if (!strcmp(k, "precision"))
                o.precision = (int)v->as.integer;
            else if (!strcmp(k, "linewidth"))
                o.linewidth = (int)v->as.integer;
            else if (!strcmp(k, "threshold"))
                o.threshold = (size_t)v->as.integer;
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
        } else if (!strcmp(k, "formatter")) {
            mem_free(o.float_spec);
            mem_free(o.int_spec);
            o.float_spec = o.int_spec = NULL;
            if (v->kind == VALUE_NONE)
                continue;
            if (v->kind != VALUE_DICT) {
                ok = args_error(a, -1, e, ERROR_ARG, "formatter= must be a dict such as {'float': '{: 0.3f}'.format}");
                break;
            }
            for (size_t j = 0; j < v->as.dict->n && ok; j++) {
                const Value *key = &v->as.dict->keys[j];
                const char *kn = key->kind == VALUE_STRING ? value_str(key) : "";
                char **slot = !strcmp(kn, "float") || !strcmp(kn, "float_kind") ? &o.float_spec
                            : !strcmp(kn, "int") || !strcmp(kn, "int_kind") ? &o.int_spec : NULL;
                if (!strcmp(kn, "all")) {
                    ok = formatter_spec(&v->as.dict->vals[j], &o.float_spec, e)
                         && (o.int_spec = mem_strdup(o.float_spec)) != NULL;
                    continue;
                }
                if (!slot) {
                    ok = args_error(a, -1, e, ERROR_ARG, "formatter keys nudge knows are 'float', 'int' and 'all'");
                    break;
                }
                ok = formatter_spec(&v->as.dict->vals[j], slot, e);
                if (!ok)
                    args_error(a, -1, e, e->code, "%s", e->msg + (strncmp(e->msg, "set_printoptions: ", 18) ? 0 : 18));
            }
        } else if (!strcmp(k, "floatmode") || !strcmp(k, "legacy") || !strcmp(k, "nanstr") || !strcmp(k, "infstr")) {
            ok = args_error(a, -1, e, ERROR_ARG, "%s= is not part of nudge's set_printoptions", k);
        } else {
            ok = args_error(a, -1, e, ERROR_ARG, "set_printoptions has no option '%s'", k);
        }
    }
    if (!ok) {
        mem_free(o.float_spec);
        mem_free(o.int_spec);
        return false;
    }
    npprint_free(&in->printopts);
    in->printopts = o;
    return true;
}

/* --- random --------------------------------------------------------------------------------- */

static bool r_seed(Interp *in, Args *a, Value *out, Error *e)
{
    (void)out;
    if (a->n == 0 || a->v[0]->kind == VALUE_NONE)
        return args_error(a, -1, e, ERROR_ARG, "nudge needs a seed: np.random.seed(n) with n from 0 to 4294967295");
    const Value *v = a->v[0];
    if (v->kind != VALUE_INT && v->kind != VALUE_BOOL)
        return args_error(a, 0, e, ERROR_TYPE, "the seed must be a whole number (an int)");
    Rng r;
    if (!rng_seed(&r, (double)v->as.integer, NULL))
        return args_error(a, 0, e, ERROR_ARG, "%lld is not a whole number from 0 to 4294967295", v->as.integer);
    in->rng = r;
    return true;
}

static bool random_shape(Interp *in, Args *a, const Value *size, Value *out, Error *e)
{
    if (!size || size->kind == VALUE_NONE) {
        *out = value_number(rng_random(&in->rng));
        return true;
    }
    int ndim;
    size_t r, c;
    if (!shape_arg(a, size, 0, &ndim, &r, &c, e))
        return false;
    Tensor *t = tensor_new(ndim, r, c, e);
    if (!t)
        return args_error(a, 0, e, e->code, "%s", e->msg);
    for (size_t i = 0; i < r * c; i++)
        t->data[i] = rng_random(&in->rng);
    *out = value_tensor(t);
    return true;
}

static bool r_random(Interp *in, Args *a, Value *out, Error *e)
{
    return random_shape(in, a, a->n ? a->v[0] : args_kw(a, "size"), out, e);
}

static bool r_rand(Interp *in, Args *a, Value *out, Error *e)
{
    if (a->n == 0)
        return random_shape(in, a, NULL, out, e);
    Value shape;
    if (!value_list(&shape, VALUE_TUPLE, a->n, e))
        return false;
    for (size_t i = 0; i < a->n; i++)
        list_push(&shape, value_ref(a->v[i]), e);
    bool ok = random_shape(in, a, &shape, out, e);
    value_free(&shape);
    return ok;
}

/* --- methods of arrays ----------------------------------------------------------------------- */

/* Calls a numpy or nudge function with the receiver as its first argument. */
static bool with_self(Interp *in, Args *a, BuiltinFn fn, const char *name, Value *out, Error *e)
{
    Args b = *a;
    if (a->n + 1 > ARGS_MAX)
        return args_error(a, -1, e, ERROR_LIMIT, "too many arguments");
    b.v[0] = a->self;
    b.cols[0] = a->col;
    b.names[0] = NULL;
    for (size_t i = 0; i < a->n; i++) {
        b.v[i + 1] = a->v[i];
        b.cols[i + 1] = a->cols[i];
        b.names[i + 1] = a->names[i];
    }
    b.n = a->n + 1;
    b.self = NULL;
    b.name = name;
    b.show = NULL;
    bool ok = fn ? fn(in, &b, out, e) : via(in, name, &b, out, e);
    a->show = b.show;
    return ok;
}

static bool a_reduce(Interp *in, Args *a, Value *out, Error *e)
{
    return with_self(in, a, NULL, a->name, out, e);
}

static bool a_reshape(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    if (a->n == 1)
        return reshape(a, a->self, a->v[0], 0, out, e);
    Value shape;
    if (!value_list(&shape, VALUE_TUPLE, a->n, e))
        return false;
    for (size_t i = 0; i < a->n; i++)
        list_push(&shape, value_ref(a->v[i]), e);
    bool ok = reshape(a, a->self, &shape, 0, out, e);
    value_free(&shape);
    return ok;
}

static bool a_flatten(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Tensor *t = a->self->as.tensor;
    Tensor *r = tensor_from(1, 1, tensor_size(t), t->data, e);
    if (!r)
        return false;
    r->dtype = t->dtype;
    *out = value_tensor(r);
    return true;
}

static bool a_copy(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    Tensor *r = tensor_copy(a->self->as.tensor, e);
    if (!r)
        return false;
    *out = value_tensor(r);
    return true;
}

static bool a_astype(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    Dtype d;
    if (!dtype_of(a->v[0], &d))
        return args_error(a, 0, e, ERROR_ARG, "needs float, int or bool");
    Tensor *r = tensor_copy(a->self->as.tensor, e);
    if (!r)
        return false;
    cast(r, d);
    *out = value_tensor(r);
    return true;
}

static bool a_tolist(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Tensor *t = a->self->as.tensor;
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
        for (size_t c = 0; c < t->cols; c++)
            list_push(into, scalar_value(tensor_at(t, r, c), t->dtype), e);
        if (t->ndim == 2)
            list_push(out, row, e);
    }
    return true;
}

static bool a_item(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Tensor *t = a->self->as.tensor;
    if (a->n == 0) {
        if (tensor_size(t) != 1)
            return args_error(a, -1, e, ERROR_ARG, "item() needs an array of one value (this has %zu); give an index",
                              tensor_size(t));
        *out = scalar_value(t->data[0], t->dtype);
        return true;
    }
    if (a->v[0]->kind != VALUE_INT)
        return args_error(a, 0, e, ERROR_TYPE, "needs an int");
    long long i = a->v[0]->as.integer, n = (long long)tensor_size(t);
    if (i < 0)
        i += n;
    if (i < 0 || i >= n)
        return args_error(a, 0, e, ERROR_ARG, "index out of range");
    *out = scalar_value(t->data[i], t->dtype);
    return true;
}

/* np.any(a), np.all(a): whether any (every) element is non-zero. */
static bool truth_of(Args *a, const Value *x, bool any, Value *out, Error *e)
{
    Tensor *t = value_to_tensor(x, a->name, e);
    if (!t)
        return args_error(a, 0, e, e ? e->code : ERROR_TYPE, "%s", e ? e->msg : "");
    bool r = !any;
    for (size_t i = 0; i < tensor_size(t); i++)
        if ((t->data[i] != 0) == any) {     /* NaN counts as true, as in numpy */
            r = any;
            break;
        }
    tensor_delete(t);
    *out = value_bool(r);
    return true;
}

static bool np_any(Interp *in, Args *a, Value *out, Error *e) { (void)in; return truth_of(a, a->v[0], true, out, e); }
static bool np_all(Interp *in, Args *a, Value *out, Error *e) { (void)in; return truth_of(a, a->v[0], false, out, e); }
static bool a_any(Interp *in, Args *a, Value *out, Error *e) { (void)in; return truth_of(a, a->self, true, out, e); }
static bool a_all(Interp *in, Args *a, Value *out, Error *e) { (void)in; return truth_of(a, a->self, false, out, e); }

static bool a_dot(Interp *in, Args *a, Value *out, Error *e) { return np_dot(in, a, out, e); }
static bool a_transpose(Interp *in, Args *a, Value *out, Error *e) { return with_self(in, a, np_transpose, "transpose", out, e); }

static const Builtin numpy_table[] = {
    { "array", np_array, 1, 1, "dtype", -3, "np.array(x, dtype=None)",
      "A new array from a list (of lists) of numbers, with numpy's dtype: ints make int64, any float float64.", 0 },
    { "asarray", np_asarray, 1, 1, "dtype", -3, "np.asarray(x)", "x as an array (the same one if it is one).", 0 },
    { "copy", np_array, 1, 1, "", -3, "np.copy(a)", "A copy of the array.", 0 },
    { "zeros", np_zeros, 1, 1, "dtype", -3, "np.zeros(shape)", "An array of zeros: np.zeros(3), np.zeros((2, 3)).", 0 },
    { "ones", np_ones, 1, 1, "dtype", -3, "np.ones(shape)", "An array of ones.", 0 },
    { "eye", np_eye, 1, 1, "", -3, "np.eye(n)", "The n x n identity.", 0 },
    { "arange", np_arange, 1, 3, "", -3, "np.arange(start, stop, step)", "Evenly spaced values, stop excluded.", 0 },
    { "linspace", np_linspace, 2, 3, "num", -3, "np.linspace(a, b, num=50)", "num values from a to b.", 0 },
    { "dot", np_dot, 2, 2, "", -3, "np.dot(a, b)", "The dot product of vectors, the product of matrices.", 0 },
    { "matmul", np_matmul, 2, 2, "", -3, "np.matmul(a, b)", "a @ b.", 0 },
    { "outer", np_same, 2, 2, "", -3, "np.outer(a, b)", "The outer product.", 0 },
    { "transpose", np_transpose, 1, 1, "", -3, "np.transpose(a)", "a.T.", 0 },
    { "reshape", np_reshape, 2, 2, "", -3, "np.reshape(a, shape)", "The same values in another shape.", 0 },
    { "exp", np_map, 1, 1, "", -3, "np.exp(x)", "e to each element.", 0, exp },
    { "log", np_map, 1, 1, "", -3, "np.log(x)", "The natural log of each element.", 0, log },
    { "log10", np_map, 1, 1, "", -3, "np.log10(x)", "The base-10 log of each element.", 0, log10 },
    { "log2", np_map, 1, 1, "", -3, "np.log2(x)", "The base-2 log of each element.", 0, log2 },
    { "log1p", np_map, 1, 1, "", -3, "np.log1p(x)", "log(1 + x) of each element.", 0, log1p },
    { "expm1", np_map, 1, 1, "", -3, "np.expm1(x)", "exp(x) - 1 of each element.", 0, expm1 },
    { "sqrt", np_map, 1, 1, "", -3, "np.sqrt(x)", "The square root of each element.", 0, sqrt },
    { "tanh", np_map, 1, 1, "", -3, "np.tanh(x)", "tanh of each element.", 0, act_tanh },
    { "sin", np_map, 1, 1, "", -3, "np.sin(x)", "The sine of each element.", 0, sin },
    { "cos", np_map, 1, 1, "", -3, "np.cos(x)", "The cosine of each element.", 0, cos },
    { "tan", np_map, 1, 1, "", -3, "np.tan(x)", "The tangent of each element.", 0, tan },
    { "square", np_map, 1, 1, "", -3, "np.square(x)", "Each element squared.", 0, f_square },
    { "sign", np_map, 1, 1, "", -3, "np.sign(x)", "-1, 0 or 1 for each element.", 0, f_sign },
    { "floor", np_map, 1, 1, "", -3, "np.floor(x)", "Each element rounded down.", 0, floor },
    { "ceil", np_map, 1, 1, "", -3, "np.ceil(x)", "Each element rounded up.", 0, ceil },
    { "abs", np_abs, 1, 1, "", -3, "np.abs(x)", "The absolute value of each element.", 0 },
    { "absolute", np_abs, 1, 1, "", -3, "np.absolute(x)", "The absolute value of each element.", 0 },
    { "maximum", np_extreme2, 2, 2, "", -3, "np.maximum(a, b)", "The larger of each pair of elements.", 0 },
    { "minimum", np_extreme2, 2, 2, "", -3, "np.minimum(a, b)", "The smaller of each pair of elements.", 0 },
    { "power", np_power, 2, 2, "", -3, "np.power(a, b)", "a ** b.", 0 },
    { "sum", np_same, 1, 1, "axis keepdims", -3, "np.sum(a, axis=None)", "The sum of the elements.", 0 },
    { "mean", np_same, 1, 1, "axis keepdims", -3, "np.mean(a, axis=None)", "The mean of the elements.", 0 },
    { "max", np_same, 1, 1, "axis keepdims", -3, "np.max(a, axis=None)", "The largest element.", 0 },
    { "min", np_same, 1, 1, "axis keepdims", -3, "np.min(a, axis=None)", "The smallest element.", 0 },
    { "amax", np_same, 1, 1, "axis", -3, "np.amax(a)", "The largest element.", 0 },
    { "amin", np_same, 1, 1, "axis", -3, "np.amin(a)", "The smallest element.", 0 },
    { "argmax", np_same, 1, 1, "axis", -3, "np.argmax(a, axis=None)", "Where the largest element is.", 0 },
    { "any", np_any, 1, 1, "", -3, "np.any(a)", "Whether any element is true (not zero).", 0 },
    { "all", np_all, 1, 1, "", -3, "np.all(a)", "Whether every element is true (not zero).", 0 },
    { "set_printoptions", np_set_printoptions, 0, 0, "precision suppress formatter linewidth threshold edgeitems "
      "sign floatmode legacy nanstr infstr", -3,
      "np.set_printoptions(precision=8, suppress=False, formatter=None, linewidth=75)",
      "How print shows arrays from now on, as in numpy:\n"
      "  np.set_printoptions(formatter={'float': '{: 0.3f}'.format})", 0 },
    { "ndarray", NULL, 0, 0, "", -3, "np.ndarray", "The type of arrays, for isinstance(x, np.ndarray).", BUILTIN_TYPE },
    { "float64", NULL, 0, 0, "", -3, "np.float64", "numpy's float dtype (as in dtype=np.float64).", BUILTIN_TYPE },
    { "int64", NULL, 0, 0, "", -3, "np.int64", "numpy's int dtype.", BUILTIN_TYPE },
    { "bool_", NULL, 0, 0, "", -3, "np.bool_", "numpy's bool dtype.", BUILTIN_TYPE },
};

static const Builtin random_table[] = {
    { "seed", r_seed, 0, 1, "", -3, "np.random.seed(n)",
      "Seeds numpy's legacy generator as numpy does: np.random.seed(1) then np.random.random((3, 4)) gives the "
      "book's weights.", 0 },
    { "random", r_random, 0, 1, "size", -3, "np.random.random(size=None)",
      "Uniform numbers in [0, 1): one, or an array of the shape given.", 0 },
    { "rand", r_rand, 0, 2, "", -3, "np.random.rand(d0, d1)", "Uniform numbers in [0, 1) of shape (d0, d1).", 0 },
};

static const ModuleConst consts[] = {
    { "pi", PI }, { "e", EULER }, { "inf", INFINITY }, { "nan", NAN },
};

static const Builtin array_table[] = {
    { "dot", a_dot, 1, 1, "", -2, "a.dot(b)", "np.dot(a, b).", 0 },
    { "sum", a_reduce, 0, 0, "axis keepdims", -2, "a.sum(axis=None)", "np.sum(a, axis=...).", 0 },
    { "mean", a_reduce, 0, 0, "axis keepdims", -2, "a.mean(axis=None)", "np.mean(a, axis=...).", 0 },
    { "max", a_reduce, 0, 0, "axis keepdims", -2, "a.max(axis=None)", "np.max(a, axis=...).", 0 },
    { "min", a_reduce, 0, 0, "axis keepdims", -2, "a.min(axis=None)", "np.min(a, axis=...).", 0 },
    { "argmax", a_reduce, 0, 0, "axis", -2, "a.argmax(axis=None)", "np.argmax(a, axis=...).", 0 },
    { "any", a_any, 0, 0, "", -2, "a.any()", "Whether any element is true (not zero): if (a > 0).any(): ...", 0 },
    { "all", a_all, 0, 0, "", -2, "a.all()", "Whether every element is true (not zero): if (a == b).all(): ...", 0 },
    { "reshape", a_reshape, 1, 2, "", -2, "a.reshape(shape)", "The same values in another shape.", 0 },
    { "flatten", a_flatten, 0, 0, "", -2, "a.flatten()", "The values as one vector.", 0 },
    { "ravel", a_flatten, 0, 0, "", -2, "a.ravel()", "The values as one vector.", 0 },
    { "copy", a_copy, 0, 0, "", -2, "a.copy()", "A copy of the array.", 0 },
    { "astype", a_astype, 1, 1, "", -2, "a.astype(float)", "A copy with another dtype (float, int or bool).", 0 },
    { "tolist", a_tolist, 0, 0, "", -2, "a.tolist()", "The values as (nested) Python lists.", 0 },
    { "item", a_item, 0, 1, "", -2, "a.item()", "The one value of a one-element array, as a number.", 0 },
    { "transpose", a_transpose, 0, 0, "", -2, "a.transpose()", "a.T.", 0 },
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
