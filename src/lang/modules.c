/* modules.c - what `import` gives: Python's math module (glibc's functions,
 * as CPython calls them, so results match Python's bit for bit) and the
 * numpy namespace, whose functions are nudge's with numpy's names and
 * arguments; and the methods of arrays. */
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nudge/builtins.h"
#include "nudge/mem.h"
#include "nudge/text.h"
#include "derivs.h"
#include "state.h"

/* C11 does not promise PI and EULER. */
static const double PI = 3.14159265358979323846, EULER = 2.71828182845904523536;

Tensor *value_to_tensor(const Value *v, const char *who, Error *e);
bool value_format(Interp *in, const Value *v, const char *spec, size_t speclen, Text *out, Error *e);
bool arith_binary(Interp *in, int op, const Value *a, const Value *b, Value *out, Error *e);

/* --- math ------------------------------------------------------------------ */

static bool real_arg(const Args *a, int i, double *x, Error *e)
{
    const Value *v = a->arg[i].v;
    if (value_is_scalar(v)) {
        *x = value_to_double(v);
        return true;
    }
    if (v->kind == VALUE_TENSOR && tensor_size(v->as.tensor) == 1) {
        *x = v->as.tensor->data[0];
        return true;
    }
    char d[64];
    return args_error(a, i, e, ERROR_TYPE, "needs a number, not %s%s", value_describe(v, d, sizeof d),
                      v->kind == VALUE_TENSOR ? " (math works on numbers; np. functions work on arrays)" : "");
}

static bool domain(const Args *a, Error *e)
{
    return args_error(a, 0, e, ERROR_ARG, "math domain error (the value is outside where %s is defined)", a->name);
}

static bool range_error(const Args *a, Error *e)
{
    return args_error(a, 0, e, ERROR_NUMERIC, "math range error (the result is too large for a float)");
}

/* One-argument functions: the libm function and where it is defined. */
typedef struct MathFn {
    const char *name;
    double (*fn)(double);
    int domain;     /* 0 all reals, 1 x >= 0, 2 x > 0, 3 |x| <= 1, 4 x > -1, 5 x >= 1, 6 |x| < 1 */
    bool overflows; /* a finite x can give inf: a range error */
} MathFn;

static const MathFn math_fns[] = {
    { "sqrt", sqrt, 1, false }, { "exp", exp, 0, true }, { "expm1", expm1, 0, true }, { "log10", log10, 2, false },
    { "log2", log2, 2, false }, { "log1p", log1p, 4, false }, { "sin", sin, 0, false }, { "cos", cos, 0, false },
    { "tan", tan, 0, false }, { "asin", asin, 3, false }, { "acos", acos, 3, false }, { "atan", atan, 0, false },
    { "sinh", sinh, 0, true }, { "cosh", cosh, 0, true }, { "tanh", tanh, 0, false }, { "asinh", asinh, 0, false },
    { "acosh", acosh, 5, false }, { "atanh", atanh, 6, false }, { "fabs", fabs, 0, false }, { "erf", erf, 0, false },
    { "erfc", erfc, 0, false }, { "gamma", tgamma, 0, true }, { "lgamma", lgamma, 0, true },
};

static bool m_unary(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    double x;
    if (!real_arg(a, 0, &x, e))
        return false;
    for (size_t i = 0; i < sizeof math_fns / sizeof math_fns[0]; i++) {
        const MathFn *f = &math_fns[i];
        if (strcmp(f->name, a->name))
            continue;
        if (!isnan(x)) {
            bool bad = (f->domain == 1 && x < 0) || (f->domain == 2 && x <= 0) || (f->domain == 3 && fabs(x) > 1)
                    || (f->domain == 4 && x <= -1) || (f->domain == 5 && x < 1) || (f->domain == 6 && fabs(x) >= 1)
                    || ((!strcmp(f->name, "sin") || !strcmp(f->name, "cos") || !strcmp(f->name, "tan")) && isinf(x))
                    || ((!strcmp(f->name, "gamma") || !strcmp(f->name, "lgamma")) && x <= 0 && x == floor(x));
            if (bad)
                return domain(a, e);
        }
        double r = f->fn(x);
        if (f->overflows && isinf(r) && isfinite(x))
            return range_error(a, e);
        *out = value_number(r);
        return true;
    }
    return args_error(a, -1, e, ERROR_NAME, "no such function");
}

static bool m_log(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    double x;
    if (!real_arg(a, 0, &x, e))
        return false;
    if (x <= 0 && !isnan(x))
        return domain(a, e);
    if (a->n == 1) {
        *out = value_number(log(x));
        return true;
    }
    double b;
    if (!real_arg(a, 1, &b, e))
        return false;
    if (b <= 0 || b == 1)
        return args_error(a, 1, e, ERROR_ARG, "math domain error (a logarithm's base must be positive and not 1)");
    *out = value_number(log(x) / log(b));
    return true;
}

static bool m_pow(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    double x, y;
    if (!real_arg(a, 0, &x, e) || !real_arg(a, 1, &y, e))
        return false;
    if ((x == 0 && y < 0) || (x < 0 && isfinite(y) && y != floor(y)))
        return domain(a, e);
    double r = pow(x, y);
    if (isinf(r) && isfinite(x) && isfinite(y))
        return range_error(a, e);
    *out = value_number(r);
    return true;
}

static bool m_two(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    double x, y;
    if (!real_arg(a, 0, &x, e) || !real_arg(a, 1, &y, e))
        return false;
    if (!strcmp(a->name, "atan2"))
        *out = value_number(atan2(x, y));
    else if (!strcmp(a->name, "hypot"))
        *out = value_number(hypot(x, y));
    else if (!strcmp(a->name, "copysign"))
        *out = value_number(copysign(x, y));
    else {
        if (y == 0 || isinf(x))
            return domain(a, e);
        *out = value_number(fmod(x, y));
    }
    return true;
}

static bool m_round_to_int(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Value *v = a->arg[0].v;
    if (v->kind == VALUE_INT || v->kind == VALUE_BOOL) {
        *out = value_int(v->as.integer);
        return true;
    }
    double x;
    if (!real_arg(a, 0, &x, e))
        return false;
    if (isnan(x))
        return args_error(a, 0, e, ERROR_ARG, "cannot make an int of nan");
    if (isinf(x))
        return args_error(a, 0, e, ERROR_NUMERIC, "cannot make an int of an infinite float");
    double r = !strcmp(a->name, "floor") ? floor(x) : !strcmp(a->name, "ceil") ? ceil(x) : trunc(x);
    if (fabs(r) >= 9.2233720368547758e18)
        return args_error(a, 0, e, ERROR_NUMERIC, "the result does not fit in nudge's 64-bit ints");
    *out = value_int((long long)r);
    return true;
}

static bool m_degrees(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    double x;
    if (!real_arg(a, 0, &x, e))
        return false;
    /* CPython: x * (180 / pi) and x * (pi / 180) */
    *out = value_number(!strcmp(a->name, "degrees") ? x * (180.0 / PI) : x * (PI / 180.0));
    return true;
}

static bool m_test(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    double x;
    if (!real_arg(a, 0, &x, e))
        return false;
    *out = value_bool(!strcmp(a->name, "isnan") ? isnan(x) : !strcmp(a->name, "isinf") ? isinf(x) : isfinite(x));
    return true;
}

static bool m_isclose(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    double x, y, rel = 1e-9, abs_tol = 0;
    if (!real_arg(a, 0, &x, e) || !real_arg(a, 1, &y, e))
        return false;
    const Value *r = args_kw(a, "rel_tol"), *t = args_kw(a, "abs_tol");
    if (r && value_is_scalar(r))
        rel = value_to_double(r);
    if (t && value_is_scalar(t))
        abs_tol = value_to_double(t);
    if (rel < 0 || abs_tol < 0)
        return args_error(a, -1, e, ERROR_ARG, "tolerances must not be negative");
    if (x == y) {
        *out = value_bool(true);
        return true;
    }
    if (isinf(x) || isinf(y)) {
        *out = value_bool(false);
        return true;
    }
    double diff = fabs(y - x);
    *out = value_bool((diff <= fabs(rel * y)) || (diff <= fabs(rel * x)) || diff <= abs_tol);
    return true;
}

/* math.fsum: Shewchuk's exact partial sums, as CPython's msum. */
static bool m_fsum(Interp *in, Args *a, Value *out, Error *e)
{
    Iter it;
    if (!iter_init(in, a->arg[0].v, &it, e))
        return args_error(a, 0, e, e->code, "%s", error_facts(e));
    double partials[128];
    size_t n = 0;
    double special = 0, inf_sum = 0;
    Value x;
    int r;
    while ((r = iter_next(in, &it, &x, e)) == 1) {
        if (!value_is_scalar(&x)) {
            value_free(&x);
            iter_free(&it);
            return args_error(a, 0, e, ERROR_TYPE, "needs numbers");
        }
        double v = value_to_double(&x);
        value_free(&x);
        if (!isfinite(v)) {
            if (isinf(v))
                inf_sum += v;
            special += v;
            continue;
        }
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            double y = partials[i];
            if (fabs(v) < fabs(y)) {
                double t = v;
                v = y;
                y = t;
            }
            double hi = v + y;
            double lo = y - (hi - v);
            if (lo != 0.0)
                partials[k++] = lo;
            v = hi;
        }
        if (k >= sizeof partials / sizeof partials[0]) {
            iter_free(&it);
            return args_error(a, 0, e, ERROR_LIMIT, "too many partial sums");
        }
        n = k;
        partials[n++] = v;
    }
    iter_free(&it);
    if (r < 0)
        return false;
    if (special != 0) {
        if (isnan(inf_sum))
            return args_error(a, 0, e, ERROR_ARG, "-inf + inf in fsum");
        *out = value_number(special);
        return true;
    }
    double hi = 0.0;
    if (n > 0) {
        hi = partials[--n];
        double lo = 0;
        while (n > 0) {
            double xx = hi;
            double y = partials[--n];
            hi = xx + y;
            double yr = hi - xx;
            lo = y - yr;
            if (lo != 0.0)
                break;
        }
        if (n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0))) {
            double y = lo * 2.0;
            double xx = hi + y;
            double yr = xx - hi;
            if (y == yr)
                hi = xx;
        }
    }
    *out = value_number(hi);
    return true;
}

static bool m_factorial(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Value *v = a->arg[0].v;
    if (v->kind != VALUE_INT && v->kind != VALUE_BOOL)
        return args_error(a, 0, e, ERROR_TYPE, "needs a whole number (an int)");
    long long n = v->as.integer, r = 1;
    if (n < 0)
        return args_error(a, 0, e, ERROR_ARG, "factorial() is not defined for negative values");
    for (long long i = 2; i <= n; i++)
        if (__builtin_mul_overflow(r, i, &r))
            return args_error(a, 0, e, ERROR_NUMERIC, "%lld! does not fit in nudge's 64-bit ints (Python's ints have "
                              "no limit)", n);
    *out = value_int(r);
    return true;
}

static bool m_gcd(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    long long g = 0;
    for (size_t i = 0; i < a->n; i++) {
        if (a->arg[i].v->kind != VALUE_INT && a->arg[i].v->kind != VALUE_BOOL)
            return args_error(a, (int)i, e, ERROR_TYPE, "needs ints");
        long long x = llabs(a->arg[i].v->as.integer);
        while (x) {
            long long t = g % x;
            g = x;
            x = t;
        }
    }
    *out = value_int(g);
    return true;
}

static bool m_prod(Interp *in, Args *a, Value *out, Error *e)
{
    const Value *start = args_kw(a, "start");
    return fold(in, a, TOKEN_STAR, start ? value_ref(start) : value_int(1), out, e);
}

static bool m_comb_perm(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    if (a->arg[0].v->kind != VALUE_INT || (a->n > 1 && a->arg[1].v->kind != VALUE_INT))
        return args_error(a, 0, e, ERROR_TYPE, "needs ints");
    long long n = a->arg[0].v->as.integer, k = a->n > 1 ? a->arg[1].v->as.integer : n;
    if (n < 0 || k < 0)
        return args_error(a, 0, e, ERROR_ARG, "must not be negative");
    if (k > n) {
        *out = value_int(0);
        return true;
    }
    bool comb = !strcmp(a->name, "comb");
    if (comb && k > n - k)
        k = n - k;
    long long r = 1;
    for (long long i = 0; i < k; i++) {
        long long f = n - i;
        if (comb) {
            /* r * f / (i + 1) is whole: divide what can be divided first. */
            long long d = i + 1, g = r, h = d;
            while (h) {
                long long t = g % h;
                g = h;
                h = t;
            }
            r /= g;
            d /= g;
            f /= d;
        }
        if (__builtin_mul_overflow(r, f, &r))
            return args_error(a, 0, e, ERROR_NUMERIC, "the result does not fit in nudge's 64-bit ints");
    }
    *out = value_int(r);
    return true;
}

#define MATH1(nm, help, g) { nm, m_unary, 1, 1, "", -1, "math." nm "(x)", help, 0, .grad = g }

static const Builtin math_rows[] = {
    MATH1("sqrt", "The square root.", &grad_sqrt), MATH1("exp", "e to the power x.", &grad_exp), MATH1("expm1", "exp(x) - 1, exact near 0.", &grad_expm1),
    MATH1("log10", "The base-10 logarithm.", &grad_log10), MATH1("log2", "The base-2 logarithm.", &grad_log2),
    MATH1("log1p", "log(1 + x), exact near 0.", &grad_log1p), MATH1("sin", "The sine (radians).", &grad_sin), MATH1("cos", "The cosine.", &grad_cos),
    MATH1("tan", "The tangent.", &grad_tan), MATH1("asin", "The arc sine.", &grad_asin), MATH1("acos", "The arc cosine.", &grad_acos),
    MATH1("atan", "The arc tangent.", &grad_atan), MATH1("sinh", "The hyperbolic sine.", &grad_sinh), MATH1("cosh", "The hyperbolic cosine.", &grad_cosh),
    MATH1("tanh", "The hyperbolic tangent.", &grad_tanh), MATH1("asinh", "The inverse hyperbolic sine.", &grad_asinh),
    MATH1("acosh", "The inverse hyperbolic cosine.", &grad_acosh), MATH1("atanh", "The inverse hyperbolic tangent.", &grad_atanh),
    MATH1("fabs", "The absolute value, as a float.", &grad_abs), MATH1("erf", "The error function.", &grad_erf),
    MATH1("erfc", "1 - erf(x).", &grad_erfc), MATH1("gamma", "The gamma function.", &grad_gamma), MATH1("lgamma", "log |gamma(x)|.", &grad_lgamma),
    { "log", m_log, 1, 2, "", -1, "math.log(x, base=e)", "The natural logarithm, or to a base.", 0, .grad = &grad_log },
    { "pow", m_pow, 2, 2, "", -1, "math.pow(x, y)", "x to the power y, as a float.", 0, .grad = &grad_power },
    { "atan2", m_two, 2, 2, "", -1, "math.atan2(y, x)", "The angle of the point (x, y).", 0, .grad = &grad_atan2 },
    { "hypot", m_two, 2, 2, "", -1, "math.hypot(x, y)", "sqrt(x*x + y*y) without overflow.", 0, .grad = &grad_hypot },
    { "copysign", m_two, 2, 2, "", -1, "math.copysign(x, y)", "x with the sign of y.", 0 },
    { "fmod", m_two, 2, 2, "", -1, "math.fmod(x, y)", "C's remainder (the sign of x).", 0 },
    { "floor", m_round_to_int, 1, 1, "", -1, "math.floor(x)", "The largest int <= x.", 0, .grad = &grad_flat },
    { "ceil", m_round_to_int, 1, 1, "", -1, "math.ceil(x)", "The smallest int >= x.", 0, .grad = &grad_flat },
    { "trunc", m_round_to_int, 1, 1, "", -1, "math.trunc(x)", "x toward zero, as an int.", 0, .grad = &grad_flat },
    { "degrees", m_degrees, 1, 1, "", -1, "math.degrees(x)", "Radians to degrees.", 0, .grad = &grad_degrees },
    { "radians", m_degrees, 1, 1, "", -1, "math.radians(x)", "Degrees to radians.", 0, .grad = &grad_radians },
    { "isnan", m_test, 1, 1, "", -1, "math.isnan(x)", "Whether x is nan.", 0, .grad = &grad_flat },
    { "isinf", m_test, 1, 1, "", -1, "math.isinf(x)", "Whether x is infinite.", 0, .grad = &grad_flat },
    { "isfinite", m_test, 1, 1, "", -1, "math.isfinite(x)", "Whether x is neither infinite nor nan.", 0, .grad = &grad_flat },
    { "isclose", m_isclose, 2, 2, "rel_tol abs_tol", -1, "math.isclose(a, b, rel_tol=1e-09, abs_tol=0.0)",
      "Whether a and b are close.", 0, .grad = &grad_flat },
    { "fsum", m_fsum, 1, 1, "", -1, "math.fsum(xs)", "The exactly rounded sum of the numbers.", 0 },
    { "prod", m_prod, 1, 1, "start", -1, "math.prod(xs)", "The product of the items.", 0 },
    { "factorial", m_factorial, 1, 1, "", -1, "math.factorial(n)", "n!.", 0, .grad = &grad_flat },
    { "gcd", m_gcd, 0, ARGS_MAX, "", -1, "math.gcd(a, b)", "The greatest common divisor.", 0, .grad = &grad_flat },
    { "comb", m_comb_perm, 2, 2, "", -1, "math.comb(n, k)", "Ways to choose k of n.", 0, .grad = &grad_flat },
    { "perm", m_comb_perm, 1, 2, "", -1, "math.perm(n, k)", "Ways to arrange k of n.", 0, .grad = &grad_flat },
};

static const ModuleConst math_consts[] = {
    { "pi", PI }, { "e", EULER }, { "tau", 2 * PI }, { "inf", INFINITY }, { "nan", NAN },
};

static const Module math_module = {
    "math", math_rows, sizeof math_rows / sizeof math_rows[0], math_consts,
    sizeof math_consts / sizeof math_consts[0], NULL, 0,
    "Python's math module: functions of one number (sqrt, exp, log, sin, floor, ...) and pi, e, inf, nan.",
};

/* --- numpy --------------------------------------------------------------------- */

const Builtin *numpy_rows(size_t *n);
const Builtin *numpy_random_rows(size_t *n);
const ModuleConst *numpy_consts(size_t *n);

static const Module *numpy_random_module(void);

static const Module *numpy_module(void)
{
    static Module m;
    static const Module *subs[1];
    if (!m.name) {
        m.name = "numpy";
        m.rows = numpy_rows(&m.n);
        m.consts = numpy_consts(&m.nconsts);
        subs[0] = numpy_random_module();
        m.subs = subs;
        m.nsubs = 1;
        m.help = "numpy's names over nudge's functions: arrays, their arithmetic and reductions, and np.random.";
    }
    return &m;
}

static const Module *numpy_random_module(void)
{
    static Module m;
    if (!m.name) {
        m.name = "numpy.random";
        m.rows = numpy_random_rows(&m.n);
        m.help = "numpy's legacy random generator (np.random.seed, random, rand, ...), bit for bit.";
    }
    return &m;
}

const Module *module_find(const char *name)
{
    if (!strcmp(name, "math"))
        return &math_module;
    if (!strcmp(name, "numpy"))
        return numpy_module();
    if (!strcmp(name, "numpy.random"))
        return numpy_random_module();
    return NULL;
}

const char *builtin_module_name(const Module *m)
{
    return m->name;
}

static const Module *module_holding(const Module *m, const Builtin *b)
{
    if (b >= m->rows && b < m->rows + m->n)
        return m;
    for (size_t i = 0; i < m->nsubs; i++) {
        const Module *in = module_holding(m->subs[i], b);
        if (in)
            return in;
    }
    return NULL;
}

const Module *builtin_module_of(const Builtin *b)
{
    const Module *m = module_holding(&math_module, b);
    return m ? m : module_holding(numpy_module(), b);
}

bool module_get(const Module *m, const char *name, Value *out)
{
    *out = value_none();
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->rows[i].name, name)) {
            out->kind = VALUE_BUILTIN;
            out->as.builtin = &m->rows[i];
            return true;
        }
    for (size_t i = 0; i < m->nconsts; i++)
        if (!strcmp(m->consts[i].name, name)) {
            *out = value_number(m->consts[i].value);
            return true;
        }
    for (size_t i = 0; i < m->nsubs; i++) {
        const char *sub = strrchr(m->subs[i]->name, '.');
        if (sub && !strcmp(sub + 1, name)) {
            out->kind = VALUE_MODULE;
            out->as.module = m->subs[i];
            return true;
        }
    }
    if (!strcmp(name, "newaxis") && !strcmp(m->name, "numpy"))
        return true;    /* None */
    return false;
}
