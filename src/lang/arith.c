/* arith.c - operators on values: Python's rules for numbers, strings,
 * lists and tuples; numpy's for arrays (broadcasting, and the dtype of the
 * result: bool < int64 < float64, `/` always float64, comparisons bool),
 * with a list taking part in array arithmetic as np.asarray would read it. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nudge/interrupt.h"
#include "nudge/mem.h"
#include "nudge/text.h"
#include "state.h"

/* --- spelling -------------------------------------------------------------- */

const char *arith_op_name(int op)
{
    switch (op) {
    case TOKEN_PLUS: return "+";
    case TOKEN_MINUS: return "-";
    case TOKEN_STAR: return "*";
    case TOKEN_SLASH: return "/";
    case TOKEN_DSLASH: return "//";
    case TOKEN_PERCENT: return "%";
    case TOKEN_POW: return "**";
    case TOKEN_AT: return "@";
    case TOKEN_AMP: return "&";
    case TOKEN_PIPE: return "|";
    case TOKEN_CARET: return "^";
    case TOKEN_LSHIFT: return "<<";
    case TOKEN_RSHIFT: return ">>";
    case TOKEN_TILDE: return "~";
    case TOKEN_EQ: return "==";
    case TOKEN_NE: return "!=";
    case TOKEN_LT: return "<";
    case TOKEN_LE: return "<=";
    case TOKEN_GT: return ">";
    case TOKEN_GE: return ">=";
    case CMP_IN: return "in";
    case CMP_NOT_IN: return "not in";
    case CMP_IS: return "is";
    case CMP_IS_NOT: return "is not";
    default: return "?";
    }
}

static bool type_error(Error *e, int op, const Value *a, const Value *b)
{
    char da[64], db[64];
    if (!b)
        return error_set_in(e, ERROR_TYPE, arith_op_name(op), "does not work on %s", value_describe(a, da, sizeof da));
    return error_set_in(e, ERROR_TYPE, arith_op_name(op), "does not work on %s and %s",
                     value_describe(a, da, sizeof da), value_describe(b, db, sizeof db));
}

/* --- arrays from lists (np.asarray) ------------------------------------------ */

static Dtype scalar_dtype(const Value *v)
{
    return v->kind == VALUE_BOOL ? DTYPE_BOOL : v->kind == VALUE_INT ? DTYPE_INT64 : DTYPE_FLOAT64;
}

static Dtype dtype_max(Dtype a, Dtype b)
{
    /* bool < int64 < float64 */
    int ra = a == DTYPE_BOOL ? 0 : a == DTYPE_INT64 ? 1 : 2, rb = b == DTYPE_BOOL ? 0 : b == DTYPE_INT64 ? 1 : 2;
    return ra >= rb ? a : b;
}

/* The numbers of a flat sequence of scalars (or 1-element arrays). */
static bool row_of(const Value *items, size_t n, double *out, Dtype *dt, const char *who, Error *e)
{
    for (size_t i = 0; i < n; i++) {
        const Value *x = &items[i];
        if (!value_is_scalar(x)) {
            char d[64];
            return error_set_in(e, ERROR_TYPE, who, "element %zu is %s, where a number was expected", i,
                             value_describe(x, d, sizeof d));
        }
        out[i] = value_to_double(x);
        *dt = i == 0 ? scalar_dtype(x) : dtype_max(*dt, scalar_dtype(x));
    }
    return true;
}

Tensor *value_to_tensor(const Value *v, const char *who, Error *e)
{
    if (v->kind == VALUE_TENSOR)
        return tensor_retain(v->as.tensor);
    if (value_is_scalar(v)) {
        Tensor *t = tensor_vector(1, e);
        if (t) {
            t->data[0] = value_to_double(v);
            t->dtype = scalar_dtype(v);
        }
        return t;
    }
    if (v->kind == VALUE_RANGE) {
        long long n = range_len(v->as.range);
        if (n > (long long)TENSOR_MAX_ELEMS) {
            error_set_in(e, ERROR_LIMIT, who, "range of %lld values is too large", n);
            return NULL;
        }
        Tensor *t = tensor_vector((size_t)n, e);
        if (t) {
            for (long long i = 0; i < n; i++)
                t->data[i] = (double)(v->as.range->start + i * v->as.range->step);
            t->dtype = DTYPE_INT64;
        }
        return t;
    }
    if (v->kind != VALUE_LIST && v->kind != VALUE_TUPLE) {
        char d[64];
        error_set_in(e, ERROR_TYPE, who, "needs numbers, a list of numbers or an array, not %s",
                  value_describe(v, d, sizeof d));
        return NULL;
    }
    const List *l = v->as.list;
    bool nested = l->n > 0 && (l->items[0].kind == VALUE_LIST || l->items[0].kind == VALUE_TUPLE
                               || l->items[0].kind == VALUE_TENSOR);
    if (!nested) {
        Tensor *t = tensor_vector(l->n, e);
        Dtype dt = DTYPE_FLOAT64;
        if (t && !row_of(l->items, l->n, t->data, &dt, who, e)) {
            tensor_delete(t);
            return NULL;
        }
        if (t)
            t->dtype = l->n ? dt : DTYPE_FLOAT64;
        return t;
    }
    /* Rows: each a list, tuple or vector of the same length. */
    size_t cols = 0;
    for (size_t r = 0; r < l->n; r++) {
        const Value *row = &l->items[r];
        size_t len;
        if (row->kind == VALUE_LIST || row->kind == VALUE_TUPLE)
            len = row->as.list->n;
        else if (row->kind == VALUE_TENSOR && row->as.tensor->ndim == 1)
            len = row->as.tensor->cols;
        else {
            char d[64];
            error_set_in(e, ERROR_TYPE, who, "row %zu is %s; rows must be lists or vectors of numbers (nudge's arrays "
                      "have at most 2 dimensions)", r, value_describe(row, d, sizeof d));
            return NULL;
        }
        if (r == 0)
            cols = len;
        else if (len != cols) {
            error_set_in(e, ERROR_SHAPE, who, "row %zu has %zu values, but row 0 has %zu", r, len, cols);
            return NULL;
        }
    }
    Tensor *t = tensor_matrix(l->n, cols, e);
    if (!t)
        return NULL;
    Dtype dt = DTYPE_BOOL;
    for (size_t r = 0; r < l->n; r++) {
        const Value *row = &l->items[r];
        Dtype rd = DTYPE_FLOAT64;
        if (row->kind == VALUE_TENSOR) {
            if (cols)
                memcpy(t->data + r * cols, row->as.tensor->data, cols * sizeof(double));
            rd = row->as.tensor->dtype;
        } else if (!row_of(row->as.list->items, cols, t->data + r * cols, &rd, who, e)) {
            tensor_delete(t);
            return NULL;
        }
        dt = r == 0 ? rd : dtype_max(dt, rd);
    }
    t->dtype = cols ? dt : DTYPE_FLOAT64;
    return t;
}

/* --- Python's numbers ----------------------------------------------------------- */

static bool int_overflow(Error *e, const char *op)
{
    return error_set_in(e, ERROR_NUMERIC, op, "the result does not fit in nudge's 64-bit integers (Python's ints "
                     "have no limit; use floats, e.g. 2.0**100)");
}

/* Python's float divmod (Objects/floatobject.c). */
static void float_divmod(double vx, double wx, double *floordiv, double *mod)
{
    double m = fmod(vx, wx);
    double div = (vx - m) / wx;
    if (m != 0) {
        if ((wx < 0) != (m < 0)) {
            m += wx;
            div -= 1.0;
        }
    } else {
        m = copysign(0.0, wx);
    }
    double fd;
    if (div != 0) {
        fd = floor(div);
        if (div - fd > 0.5)
            fd += 1.0;
    } else {
        fd = copysign(0.0, vx / wx);
    }
    *floordiv = fd;
    *mod = m;
}

static bool int_pow(long long b, long long x, long long *out)
{
    long long r = 1;
    while (x > 0) {
        if (x & 1) {
            if (__builtin_mul_overflow(r, b, &r))
                return false;
        }
        x >>= 1;
        if (x && __builtin_mul_overflow(b, b, &b))
            return false;
    }
    *out = r;
    return true;
}

static bool float_pow(double a, double b, double *out, Error *e)
{
    if (a == 0 && b < 0)
        return error_set_in(e, ERROR_NUMERIC, "**", "0.0 cannot be raised to a negative power");
    if (a < 0 && isfinite(b) && b != floor(b))
        return error_set_in(e, ERROR_NUMERIC, "**", "a negative number to a fractional power has no real value (%g ** %g)",
                         a, b);
    double r = pow(a, b);
    if (isinf(r) && isfinite(a) && isfinite(b))
        return error_set_in(e, ERROR_NUMERIC, "**", "the result is too large for a float (%g ** %g)", a, b);
    *out = r;
    return true;
}

static bool scalar_binary(int op, const Value *a, const Value *b, Value *out, Error *e)
{
    bool ints = a->kind != VALUE_NUMBER && b->kind != VALUE_NUMBER;
    if (ints) {
        long long x = a->as.integer, y = b->as.integer, r;
        bool both_bool = a->kind == VALUE_BOOL && b->kind == VALUE_BOOL;
        switch (op) {
        case TOKEN_PLUS:
            if (__builtin_add_overflow(x, y, &r))
                return int_overflow(e, "+");
            *out = value_int(r);
            return true;
        case TOKEN_MINUS:
            if (__builtin_sub_overflow(x, y, &r))
                return int_overflow(e, "-");
            *out = value_int(r);
            return true;
        case TOKEN_STAR:
            if (__builtin_mul_overflow(x, y, &r))
                return int_overflow(e, "*");
            *out = value_int(r);
            return true;
        case TOKEN_SLASH:
            if (y == 0)
                return error_set_in(e, ERROR_NUMERIC, "/", "division by zero");
            *out = value_number((double)x / (double)y);
            return true;
        case TOKEN_DSLASH:
        case TOKEN_PERCENT: {
            if (y == 0)
                return error_set_in(e, ERROR_NUMERIC, arith_op_name(op), "integer division or modulo by zero");
            if (x == LLONG_MIN && y == -1)
                return int_overflow(e, arith_op_name(op));
            long long q = x / y, m = x % y;
            if (m != 0 && ((m < 0) != (y < 0))) {
                q -= 1;
                m += y;
            }
            *out = value_int(op == TOKEN_DSLASH ? q : m);
            return true;
        }
        case TOKEN_POW:
            if (y < 0) {
                double d;
                if (!float_pow((double)x, (double)y, &d, e))
                    return false;
                *out = value_number(d);
                return true;
            }
            if (!int_pow(x, y, &r))
                return int_overflow(e, "**");
            *out = value_int(r);
            return true;
        case TOKEN_AMP:
            *out = both_bool ? value_bool(x & y) : value_int(x & y);
            return true;
        case TOKEN_PIPE:
            *out = both_bool ? value_bool(x | y) : value_int(x | y);
            return true;
        case TOKEN_CARET:
            *out = both_bool ? value_bool(x ^ y) : value_int(x ^ y);
            return true;
        case TOKEN_LSHIFT:
            if (y < 0)
                return error_set_in(e, ERROR_ARG, "<<", "negative shift count");
            if (y >= 63 || (x != 0 && (x > (LLONG_MAX >> y) || x < (LLONG_MIN >> y))))
                return int_overflow(e, "<<");
            *out = value_int(x * (1LL << y));
            return true;
        case TOKEN_RSHIFT:
            if (y < 0)
                return error_set_in(e, ERROR_ARG, ">>", "negative shift count");
            *out = value_int(y >= 63 ? (x < 0 ? -1 : 0) : x >> y);
            return true;
        default:
            break;
        }
    }
    double x = value_to_double(a), y = value_to_double(b), r;
    switch (op) {
    case TOKEN_PLUS: r = x + y; break;
    case TOKEN_MINUS: r = x - y; break;
    case TOKEN_STAR: r = x * y; break;
    case TOKEN_SLASH:
        if (y == 0)
            return error_set_in(e, ERROR_NUMERIC, "/", "division by zero (%s / 0)", a->kind == VALUE_NUMBER ? "float" : "int");
        r = x / y;
        break;
    case TOKEN_DSLASH:
    case TOKEN_PERCENT: {
        if (y == 0)
            return error_set_in(e, ERROR_NUMERIC, arith_op_name(op), "float division or modulo by zero");
        double fd, m;
        float_divmod(x, y, &fd, &m);
        r = op == TOKEN_DSLASH ? fd : m;
        break;
    }
    case TOKEN_POW:
        if (!float_pow(x, y, &r, e))
            return false;
        break;
    default:
        return type_error(e, op, a, b);
    }
    *out = value_number(r);
    return true;
}

/* --- numpy's arrays ----------------------------------------------------------------- */

static double op_or(double a, double b) { return (a != 0) || (b != 0); }
static double op_and(double a, double b) { return (a != 0) && (b != 0); }
static double op_xor(double a, double b) { return (a != 0) != (b != 0); }
static double op_lt(double a, double b) { return a < b; }
static double op_le(double a, double b) { return a <= b; }
static double op_gt(double a, double b) { return a > b; }
static double op_ge(double a, double b) { return a >= b; }
static double op_eq(double a, double b) { return a == b; }
static double op_ne(double a, double b) { return a != b; }

/* numpy's npy_divmod for floats: as Python's, but x // 0 is x / 0. */
static double np_floordiv(double a, double b)
{
    if (b == 0)
        return a / b;
    double fd, m;
    float_divmod(a, b, &fd, &m);
    return fd;
}

static double np_mod(double a, double b)
{
    if (b == 0)
        return fmod(a, b);
    double fd, m;
    float_divmod(a, b, &fd, &m);
    return m;
}

/* Integer division and remainder of int64 arrays: numpy gives 0 for a
 * division by zero (with a warning). */
static double np_ifloordiv(double a, double b)
{
    if (b == 0)
        return 0;
    long long x = (long long)a, y = (long long)b, q = x / y;
    if ((x % y != 0) && ((x % y < 0) != (y < 0)))
        q--;
    return (double)q;
}

static double np_imod(double a, double b)
{
    if (b == 0)
        return 0;
    long long x = (long long)a, y = (long long)b, m = x % y;
    if (m != 0 && ((m < 0) != (y < 0)))
        m += y;
    return (double)m;
}

static double np_ipow(double a, double b)
{
    long long r;
    if (!int_pow((long long)a, (long long)b, &r))
        return pow(a, b);   /* past 64 bits numpy wraps; nudge keeps the nearest double */
    return (double)r;
}

static double np_and_int(double a, double b) { return (double)((long long)a & (long long)b); }
static double np_or_int(double a, double b) { return (double)((long long)a | (long long)b); }
static double np_xor_int(double a, double b) { return (double)((long long)a ^ (long long)b); }
static double np_lshift(double a, double b) { return b >= 63 || b < 0 ? 0 : (double)((long long)a << (long long)b); }
static double np_rshift(double a, double b) { return b >= 63 || b < 0 ? (a < 0 ? -1 : 0) : (double)((long long)a >> (long long)b); }

typedef struct ArrayOp {
    TensorFn2 fn;
    Dtype dtype;
} ArrayOp;

/* The element function and result dtype of op on operands of dtypes da,
 * db (numpy's type resolution for bool, int64 and float64). */
static bool array_op(int op, Dtype da, Dtype db, ArrayOp *r, Error *e)
{
    Dtype m = dtype_max(da, db);
    bool both_bool = da == DTYPE_BOOL && db == DTYPE_BOOL;
    r->dtype = m;
    switch (op) {
    case TOKEN_PLUS: r->fn = both_bool ? op_or : tensor_op_add; return true;
    case TOKEN_STAR: r->fn = both_bool ? op_and : tensor_op_mul; return true;
    case TOKEN_MINUS:
        if (both_bool)
            return error_set_in(e, ERROR_TYPE, "-", "numpy does not subtract bool arrays; use ^ (exclusive or) or "
                             "convert them with .astype(int)");
        r->fn = tensor_op_sub;
        return true;
    case TOKEN_SLASH: r->fn = tensor_op_div; r->dtype = DTYPE_FLOAT64; return true;
    case TOKEN_DSLASH:
        r->fn = m == DTYPE_FLOAT64 ? np_floordiv : np_ifloordiv;
        r->dtype = m == DTYPE_BOOL ? DTYPE_INT64 : m;
        return true;
    case TOKEN_PERCENT:
        r->fn = m == DTYPE_FLOAT64 ? np_mod : np_imod;
        r->dtype = m == DTYPE_BOOL ? DTYPE_INT64 : m;
        return true;
    case TOKEN_POW:
        r->fn = m == DTYPE_FLOAT64 ? pow : np_ipow;
        r->dtype = m == DTYPE_BOOL ? DTYPE_INT64 : m;
        return true;
    case TOKEN_AMP:
    case TOKEN_PIPE:
    case TOKEN_CARET:
        if (m == DTYPE_FLOAT64)
            return error_set_in(e, ERROR_TYPE, arith_op_name(op), "works on bool and int arrays, not float64 ones (to combine "
                             "conditions, compare first: (a > 0) %s (b > 0))", arith_op_name(op));
        if (both_bool)
            r->fn = op == TOKEN_AMP ? op_and : op == TOKEN_PIPE ? op_or : op_xor;
        else
            r->fn = op == TOKEN_AMP ? np_and_int : op == TOKEN_PIPE ? np_or_int : np_xor_int;
        return true;
    case TOKEN_LSHIFT:
    case TOKEN_RSHIFT:
        if (m == DTYPE_FLOAT64)
            return error_set_in(e, ERROR_TYPE, arith_op_name(op), "works on int arrays, not float64 ones");
        r->fn = op == TOKEN_LSHIFT ? np_lshift : np_rshift;
        r->dtype = DTYPE_INT64;
        return true;
    case TOKEN_LT: r->fn = op_lt; r->dtype = DTYPE_BOOL; return true;
    case TOKEN_LE: r->fn = op_le; r->dtype = DTYPE_BOOL; return true;
    case TOKEN_GT: r->fn = op_gt; r->dtype = DTYPE_BOOL; return true;
    case TOKEN_GE: r->fn = op_ge; r->dtype = DTYPE_BOOL; return true;
    case TOKEN_EQ: r->fn = op_eq; r->dtype = DTYPE_BOOL; return true;
    case TOKEN_NE: r->fn = op_ne; r->dtype = DTYPE_BOOL; return true;
    default:
        return error_set_in(e, ERROR_TYPE, arith_op_name(op), "does not work on arrays");
    }
}

static bool negative_int_power(const Tensor *b, double scalar, bool is_scalar)
{
    if (is_scalar)
        return scalar < 0;
    for (size_t i = 0; i < tensor_size(b); i++)
        if (b->data[i] < 0)
            return true;
    return false;
}

/* Ints are held as doubles: 0 * -3 or -0 must not leave a -0 in an int
 * array (it would show when the array becomes float), and a result past
 * int64's range (numpy would wrap around) becomes the smallest int64, as a
 * float does when numpy casts it, so that it stays a valid int. */
static void int_canon(Tensor *t)
{
    if (t->dtype == DTYPE_FLOAT64)
        return;
    size_t n = tensor_size(t);
    for (size_t i = 0; i < n; i++) {
        double x = t->data[i] + 0.0;
        t->data[i] = x >= -9223372036854775808.0 && x < 9223372036854775808.0 ? x : -9223372036854775808.0;
    }
}

/* numpy's @: vector @ vector is a number, anything with a matrix an array. */
static bool matmul(const Tensor *x, const Tensor *y, Value *out, Error *e)
{
    Dtype dt = dtype_max(x->dtype, y->dtype);
    if (x->ndim == 1 && y->ndim == 1) {
        double d;
        if (!tensor_dot(x, y, &d, e)) {
            error_set_in(e, ERROR_SHAPE, "@", "vectors have different lengths (%zu and %zu)", x->cols, y->cols);
            return false;
        }
        if (dt == DTYPE_FLOAT64)
            *out = value_number(d + 0.0);     /* numpy's sum starts from +0 */
        else if (dt == DTYPE_INT64)
            *out = value_int(d >= -9223372036854775808.0 && d < 9223372036854775808.0 ? (long long)d : LLONG_MIN);
        else
            *out = value_bool(d != 0);
        return true;
    }
    Tensor *t = tensor_matmul(x, y, e);
    if (!t) {
        /* "matmul: ..." from the core reads as "@: ..." here. */
        if (e && error_from(e, "matmul"))
            error_rename(e, "@");
        return false;
    }
    /* numpy's sums start from +0, so a product is never -0 (nor, in an int
     * array, anything but a whole number) */
    size_t n = tensor_size(t);
    if (dt == DTYPE_BOOL)
        for (size_t i = 0; i < n; i++)
            t->data[i] = t->data[i] != 0;
    else
        for (size_t i = 0; i < n; i++)
            t->data[i] += 0.0;
    t->dtype = dt;
    int_canon(t);
    *out = value_tensor(t);
    return true;
}


/* numpy's ndarray ** number takes shortcuts (fast_scalar_power in its
 * number.c): a float array to the power 2, 0.5, 1, -1 or 0 is squared,
 * square-rooted, copied, inverted or made ones (so (-0.0) ** 0.5 is -0.0,
 * as sqrt gives, and (-inf) ** 0.5 NaN), and an int or bool array to the
 * power 2 is squared (an int array to the float 2.0 becomes float first; a
 * bool array becomes numpy's int8, nudge's int64).  *done false: none
 * applies. */
static bool fast_power(const Tensor *t, const Value *b, bool inplace, Value *out, bool *done, Error *e)
{
    *done = false;
    double x = value_to_double(b);
    Dtype dt = t->dtype;
    int kind;
    if (dt == DTYPE_FLOAT64)
        kind = x == 1.0 ? 0 : x == -1.0 ? 1 : x == 0.0 ? 2 : x == 0.5 ? 3 : x == 2.0 ? 4 : -1;
    else
        kind = x == 2.0 ? 4 : -1;
    if (kind < 0)
        return true;
    if (inplace && dt == DTYPE_BOOL)
        return error_set_in(e, ERROR_TYPE, "**=", "numpy squares bools into ints, which do not fit back into a bool array");
    if (!inplace && kind == 4 && dt == DTYPE_INT64 && b->kind == VALUE_NUMBER)
        dt = DTYPE_FLOAT64;
    else if (!inplace && kind == 4 && dt == DTYPE_BOOL)
        dt = DTYPE_INT64;
    Tensor *r = tensor_copy(t, e);
    if (!r)
        return false;
    size_t n = tensor_size(r);
    for (size_t i = 0; i < n; i++) {
        double v = r->data[i];
        r->data[i] = kind == 0 ? v : kind == 1 ? 1.0 / v : kind == 2 ? 1.0 : kind == 3 ? sqrt(v) : v * v;
    }
    r->dtype = dt;
    int_canon(r);
    *out = value_tensor(r);
    *done = true;
    return true;
}

static bool array_binary(int op, const Value *a, const Value *b, Value *out, Error *e)
{
    const char *who = arith_op_name(op);
    bool sa = value_is_scalar(a), sb = value_is_scalar(b);
    Tensor *ta = NULL, *tb = NULL;
    if (!sa && !(ta = value_to_tensor(a, who, e)))
        return false;
    if (!sb && !(tb = value_to_tensor(b, who, e))) {
        tensor_delete(ta);
        return false;
    }
    bool ok;
    if (op == TOKEN_AT) {
        if (sa || sb) {
            char d[64];
            ok = error_set_in(e, ERROR_TYPE, "@", "multiplies arrays, not %s (for a number, use *)",
                           value_describe(sa ? a : b, d, sizeof d));
        } else {
            ok = matmul(ta, tb, out, e);
        }
        tensor_delete(ta);
        tensor_delete(tb);
        return ok;
    }
    if (op == TOKEN_POW && sb && a->kind == VALUE_TENSOR) {
        bool done;
        ok = fast_power(ta, b, false, out, &done, e);
        if (!ok || done) {
            tensor_delete(ta);
            return ok;
        }
    }
    Dtype da = sa ? scalar_dtype(a) : ta->dtype, db = sb ? scalar_dtype(b) : tb->dtype;
    ArrayOp ao;
    ok = array_op(op, da, db, &ao, e);
    if (ok && op == TOKEN_POW && ao.dtype == DTYPE_INT64
        && negative_int_power(tb, sb ? value_to_double(b) : 0, sb))
        ok = error_set_in(e, ERROR_ARG, "**", "numpy does not raise integers to negative integer powers; make one side "
                       "a float (2.0 ** -1)");
    Tensor *t = NULL;
    if (ok) {
        if (sa)
            t = tensor_scalar(tb, value_to_double(a), ao.fn, true, e);
        else if (sb)
            t = tensor_scalar(ta, value_to_double(b), ao.fn, false, e);
        else
            t = tensor_zip(ta, tb, ao.fn, who, e);
        ok = t != NULL;
    }
    tensor_delete(ta);
    tensor_delete(tb);
    if (!ok)
        return false;
    t->dtype = ao.dtype;
    int_canon(t);
    *out = value_tensor(t);
    return true;
}

/* --- sequences ------------------------------------------------------------------------- */

static bool is_seq(const Value *v)
{
    return v->kind == VALUE_LIST || v->kind == VALUE_TUPLE;
}

static bool repeat(const Value *seq, long long times, Value *out, Error *e)
{
    if (times < 0)
        times = 0;
    if (seq->kind == VALUE_STRING) {
        size_t len = value_strlen(seq);
        if (len && (unsigned long long)times > (INTERP_MAX_FILE / len))
            return error_set_in(e, ERROR_LIMIT, "*", "the string would be too long");
        Text t = {0};
        for (long long i = 0; i < times; i++)
            text_append(&t, value_str(seq), len);
        if (t.failed) {
            text_free(&t);
            return error_nomem(e, "*");
        }
        bool ok = value_string(out, t.s ? t.s : "", t.len, e);
        text_free(&t);
        return ok;
    }
    const List *l = seq->as.list;
    if (l->n && (unsigned long long)times > TENSOR_MAX_ELEMS / l->n)
        return error_set_in(e, ERROR_LIMIT, "*", "the list would be too long");
    if (!value_list(out, seq->kind, l->n * (size_t)times, e))
        return false;
    for (long long i = 0; i < times; i++)
        for (size_t k = 0; k < l->n; k++)
            if (!list_push(out, value_ref(&l->items[k]), e)) {
                value_free(out);
                return false;
            }
    return true;
}

static bool concat(const Value *a, const Value *b, Value *out, Error *e)
{
    if (a->kind == VALUE_STRING) {
        size_t la = value_strlen(a), lb = value_strlen(b);
        char *buf = mem_alloc(la + lb + 1);
        if (!buf)
            return error_nomem(e, "+");
        memcpy(buf, value_str(a), la);
        memcpy(buf + la, value_str(b), lb);
        bool ok = value_string(out, buf, la + lb, e);
        mem_free(buf);
        return ok;
    }
    const List *x = a->as.list, *y = b->as.list;
    if (!value_list(out, a->kind, x->n + y->n, e))
        return false;
    /* two lists of 10^7 items take a second or two: Ctrl-C every 2^16 */
    for (size_t i = 0; i < x->n + y->n; i++) {
        list_push(out, value_ref(i < x->n ? &x->items[i] : &y->items[i - x->n]), e);
        if (i && i % ((size_t)1 << 16) == 0 && interrupt_check(e)) {
            value_free(out);
            return false;
        }
    }
    return true;
}

/* Python's ordering of two values (numbers, strings, lists, tuples):
 * <0, 0, >0, or false with *e set when they cannot be ordered. */
static bool order_at(const Value *a, const Value *b, int *cmp, bool *unordered, int depth, Error *e);

static bool order(const Value *a, const Value *b, int *cmp, bool *unordered, Error *e)
{
    return order_at(a, b, cmp, unordered, 0, e);
}

static bool order_at(const Value *a, const Value *b, int *cmp, bool *unordered, int depth, Error *e)
{
    *unordered = false;
    if (value_is_scalar(a) && value_is_scalar(b)) {
        if (a->kind != VALUE_NUMBER && b->kind != VALUE_NUMBER) {
            *cmp = a->as.integer < b->as.integer ? -1 : a->as.integer > b->as.integer;
            return true;
        }
        double x = value_to_double(a), y = value_to_double(b);
        if (isnan(x) || isnan(y)) {
            *unordered = true;
            *cmp = 0;
            return true;
        }
        *cmp = x < y ? -1 : x > y;
        return true;
    }
    if (a->kind == VALUE_STRING && b->kind == VALUE_STRING) {
        size_t la = value_strlen(a), lb = value_strlen(b);
        int c = memcmp(value_str(a), value_str(b), la < lb ? la : lb);
        *cmp = c ? c : (la > lb) - (la < lb);
        return true;
    }
    if (is_seq(a) && a->kind == b->kind) {
        const List *x = a->as.list, *y = b->as.list;
        if (depth > 100)
            return error_set(e, ERROR_LIMIT, "cannot order lists nested more than 100 deep (does a list hold itself?)");
        for (size_t i = 0; i < x->n && i < y->n; i++) {
            if (value_equal(&x->items[i], &y->items[i]))
                continue;
            return order_at(&x->items[i], &y->items[i], cmp, unordered, depth + 1, e);
        }
        *cmp = (x->n > y->n) - (x->n < y->n);
        return true;
    }
    char da[64], db[64];
    return error_set(e, ERROR_TYPE, "cannot order %s and %s", value_describe(a, da, sizeof da),
                     value_describe(b, db, sizeof db));
}

/* --- the operators -------------------------------------------------------------------- */

bool string_percent(Interp *in, const Value *fmt, const Value *args, Value *out, Error *e);

static bool is_arrayish(const Value *v)
{
    return v->kind == VALUE_TENSOR;
}

bool arith_binary(Interp *in, int op, const Value *a, const Value *b, Value *out, Error *e)
{
    *out = value_none();
    if (value_is_scalar(a) && value_is_scalar(b) && op != TOKEN_AT)
        return scalar_binary(op, a, b, out, e);
    /* str.__mod__ comes first, whatever the right side is. */
    if (op == TOKEN_PERCENT && a->kind == VALUE_STRING)
        return string_percent(in, a, b, out, e);
    /* An array on either side makes it numpy's operation, lists included. */
    if (is_arrayish(a) || is_arrayish(b)) {
        bool fits_a = is_arrayish(a) || value_is_scalar(a) || is_seq(a) || a->kind == VALUE_RANGE;
        bool fits_b = is_arrayish(b) || value_is_scalar(b) || is_seq(b) || b->kind == VALUE_RANGE;
        if (fits_a && fits_b)
            return array_binary(op, a, b, out, e);
        return type_error(e, op, a, b);
    }
    if (op == TOKEN_PLUS && a->kind == b->kind && (is_seq(a) || a->kind == VALUE_STRING))
        return concat(a, b, out, e);
    if (op == TOKEN_STAR) {
        if ((is_seq(a) || a->kind == VALUE_STRING) && (b->kind == VALUE_INT || b->kind == VALUE_BOOL))
            return repeat(a, b->as.integer, out, e);
        if ((is_seq(b) || b->kind == VALUE_STRING) && (a->kind == VALUE_INT || a->kind == VALUE_BOOL))
            return repeat(b, a->as.integer, out, e);
    }
    if (op == TOKEN_PLUS && a->kind == VALUE_STRING && value_is_scalar(b)) {
        char d[64];
        return error_set_in(e, ERROR_TYPE, "+", "cannot add a string and %s; make it text first: \"...\" + str(x), or "
                         "use an f-string", value_describe(b, d, sizeof d));
    }
    if (op == TOKEN_PLUS && a->kind == VALUE_LIST && is_seq(b) && b->kind != a->kind)
        return error_set_in(e, ERROR_TYPE, "+", "can only join a list to a list, not to a tuple");
    return type_error(e, op, a, b);
}

bool arith_unary(Interp *in, int op, const Value *a, Value *out, Error *e)
{
    (void)in;
    *out = value_none();
    if (value_is_scalar(a)) {
        if (op == TOKEN_PLUS) {
            *out = a->kind == VALUE_BOOL ? value_int(a->as.integer) : value_ref(a);
            return true;
        }
        if (op == TOKEN_MINUS) {
            if (a->kind == VALUE_NUMBER)
                *out = value_number(-a->as.number);
            else if (a->as.integer == LLONG_MIN)
                return int_overflow(e, "-");
            else
                *out = value_int(-a->as.integer);
            return true;
        }
        if (op == TOKEN_TILDE && a->kind != VALUE_NUMBER) {
            *out = value_int(~a->as.integer);
            return true;
        }
        return type_error(e, op, a, NULL);
    }
    if (a->kind == VALUE_TENSOR || is_seq(a)) {
        Tensor *x = value_to_tensor(a, arith_op_name(op), e);
        if (!x)
            return false;
        Tensor *t = NULL;
        Dtype dt = x->dtype;
        if (op == TOKEN_MINUS && dt == DTYPE_BOOL)
            error_set_in(e, ERROR_TYPE, "-", "numpy does not negate bool arrays; use ~ to flip them");
        else if (op == TOKEN_TILDE && dt == DTYPE_FLOAT64)
            error_set_in(e, ERROR_TYPE, "~", "works on bool and int arrays, not float64 ones");
        else if ((t = tensor_copy(x, e))) {
            size_t n = tensor_size(t);
            for (size_t i = 0; i < n; i++) {
                double v = t->data[i];
                t->data[i] = op == TOKEN_MINUS ? -v : op == TOKEN_PLUS ? v
                           : dt == DTYPE_BOOL ? (v == 0) : (double)~(long long)v;
            }
            int_canon(t);
        }
        tensor_delete(x);
        if (!t)
            return false;
        *out = value_tensor(t);
        return true;
    }
    return type_error(e, op, a, NULL);
}

/* x in container */
static bool contains(Interp *in, const Value *x, const Value *c, bool *out, Error *e)
{
    switch (c->kind) {
    case VALUE_LIST:
    case VALUE_TUPLE:
        for (size_t i = 0; i < c->as.list->n; i++)
            if (value_equal(x, &c->as.list->items[i])) {
                *out = true;
                return true;
            }
        *out = false;
        return true;
    case VALUE_DICT:
        *out = dict_get(c, x) != NULL;
        return true;
    case VALUE_STRING:
        if (x->kind != VALUE_STRING) {
            char d[64];
            return error_set_in(e, ERROR_TYPE, "in", "looks for a string inside a string, not %s",
                             value_describe(x, d, sizeof d));
        }
        *out = value_strlen(x) == 0 || (value_strlen(x) <= value_strlen(c)
                                        && strstr(value_str(c), value_str(x)) != NULL);
        return true;
    case VALUE_RANGE: {
        const Range *r = c->as.range;
        if (!value_is_scalar(x)) {
            *out = false;
            return true;
        }
        double v = value_to_double(x);
        long long n = range_len(r);
        *out = false;
        if (v == floor(v) && n > 0) {
            long long k = (long long)v;
            long long off = k - r->start;
            *out = off % r->step == 0 && off / r->step >= 0 && off / r->step < n;
        }
        return true;
    }
    case VALUE_TENSOR: {
        /* numpy: (a == x).any() */
        Value eq;
        if (!arith_binary(in, TOKEN_EQ, c, x, &eq, e))
            return false;
        bool any = false;
        for (size_t i = 0; i < tensor_size(eq.as.tensor) && !any; i++)
            any = eq.as.tensor->data[i] != 0;
        value_free(&eq);
        *out = any;
        return true;
    }
    default: {
        char d[64];
        return error_set_in(e, ERROR_TYPE, "in", "%s holds no items to look through", value_describe(c, d, sizeof d));
    }
    }
}

static bool same_object(const Value *a, const Value *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case VALUE_NONE: return true;
    case VALUE_BOOL:
    case VALUE_INT: return a->as.integer == b->as.integer;
    case VALUE_NUMBER: return a->as.number == b->as.number;
    default: return a->as.string == b->as.string;     /* the pointer, whichever object */
    }
}

bool arith_compare(Interp *in, int op, const Value *a, const Value *b, Value *out, Error *e)
{
    *out = value_none();
    if (op == CMP_IS || op == CMP_IS_NOT) {
        *out = value_bool(same_object(a, b) == (op == CMP_IS));
        return true;
    }
    if (op == CMP_IN || op == CMP_NOT_IN) {
        bool r = false;
        if (!contains(in, a, b, &r, e))
            return false;
        *out = value_bool(r == (op == CMP_IN));
        return true;
    }
    if (is_arrayish(a) || is_arrayish(b)) {
        bool fits_a = is_arrayish(a) || value_is_scalar(a) || is_seq(a);
        bool fits_b = is_arrayish(b) || value_is_scalar(b) || is_seq(b);
        if (fits_a && fits_b)
            return array_binary(op, a, b, out, e);
        if (op == TOKEN_EQ || op == TOKEN_NE) {
            *out = value_bool(op == TOKEN_NE);
            return true;
        }
        return type_error(e, op, a, b);
    }
    if (op == TOKEN_EQ || op == TOKEN_NE) {
        bool eq = value_equal(a, b);
        *out = value_bool(eq == (op == TOKEN_EQ));
        return true;
    }
    int cmp = 0;
    bool unordered = false;
    if (!order(a, b, &cmp, &unordered, e))
        return false;
    bool r = !unordered && (op == TOKEN_LT ? cmp < 0 : op == TOKEN_LE ? cmp <= 0 : op == TOKEN_GT ? cmp > 0 : cmp >= 0);
    *out = value_bool(r);
    return true;
}

/* a op= b on an array, in place as numpy does: the result keeps a's dtype
 * (a float result into an int array is refused, as numpy refuses the cast).
 * *done is false when a is not an array, for the caller to rebind. */
bool arith_inplace(Interp *in, int op, Value *a, const Value *b, bool *done, Error *e)
{
    *done = false;
    if (a->kind != VALUE_TENSOR)
        return true;
    Value r;
    bool fast = false;
    if (op == TOKEN_POW && value_is_scalar(b) && !fast_power(a->as.tensor, b, true, &r, &fast, e))
        return false;
    if (!fast && !arith_binary(in, op, a, b, &r, e))
        return false;
    Tensor *t = a->as.tensor;
    if (r.kind != VALUE_TENSOR || r.as.tensor->rows != t->rows || r.as.tensor->cols != t->cols
        || (r.as.tensor->ndim != t->ndim && !(t->ndim == 2))) {
        char sa[48], sr[48];
        bool ok = error_set(e, ERROR_SHAPE, "%s=: the result has shape %s, which does not fit in %s's shape %s in "
                            "place; write x = x %s y to make a new array", arith_op_name(op),
                            r.kind == VALUE_TENSOR ? tensor_shape_str(r.as.tensor, sr, sizeof sr) : "()",
                            "the array", tensor_shape_str(t, sa, sizeof sa), arith_op_name(op));
        value_free(&r);
        return ok;
    }
    Dtype rd = r.as.tensor->dtype;
    if (dtype_max(rd, t->dtype) != t->dtype) {
        value_free(&r);
        return error_set(e, ERROR_TYPE, "%s=: the result is %s but the array holds %s, and numpy does not change an "
                         "array's dtype in place; write x = x %s y, or start from a float array", arith_op_name(op),
                         rd == DTYPE_FLOAT64 ? "float64" : "int64", t->dtype == DTYPE_BOOL ? "bools" : "int64",
                         arith_op_name(op));
    }
    size_t n = tensor_size(t);
    memcpy(t->data, r.as.tensor->data, n * sizeof *t->data);
    value_free(&r);
    *done = true;
    return true;
}
