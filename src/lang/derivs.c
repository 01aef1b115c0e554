/* derivs.c - how each differentiable built-in function passes a gradient
 * back: one GraphRule per function, named by the function's table rows
 * (builtins.h), and run by the reverse pass in graph.c.
 *
 * A rule is the function's vector-Jacobian product: given G, the gradient
 * of the cost with respect to the call's output, it adds the gradient with
 * respect to each input.  Element-wise functions only state their
 * derivative at one element and share the loop.  Where a function has a
 * kink (abs and relu at 0, max at a tie) the rule takes the subgradient
 * PyTorch and JAX take, and its `about` says which, for help.
 */
#include "derivs.h"

#include <math.h>
#include <stddef.h>

static const double PI = 3.14159265358979323846;

/* --- element by element ---------------------------------------------------------- */

/* y = f(x) element by element: dx += G · f'(x), from the rule's scalar
 * derivative (which may read the output o, and b, a parameter such as
 * log's base). */
static void unary_vjp(const GNode *n, const double *G, double *ga, double *gb)
{
    (void)gb;
    const double *a = n->in[0]->value->data, *o = n->value->data;
    size_t N = tensor_size(n->value);
    for (size_t i = 0; i < N; i++)
        ga[i] += G[i] * n->rule->scalar(a[i], n->p[0], o[i], 0);
}

/* z = f(x, y) element by element, with numpy's broadcasting: each input's
 * element collects the gradient of every output element it was repeated
 * into. */
static void binary_vjp(const GNode *n, const double *G, double *ga, double *gb)
{
    const Tensor *A = n->in[0]->value, *B = n->in[1]->value, *out = n->value;
    for (size_t r = 0; r < out->rows; r++)
        for (size_t c = 0; c < out->cols; c++) {
            size_t k = r * out->cols + c, ia = graph_bidx(A, r, c), ib = graph_bidx(B, r, c);
            double a = A->data[ia], b = B->data[ib], o = out->data[k];
            ga[ia] += G[k] * n->rule->scalar(a, b, o, 0);
            gb[ib] += G[k] * n->rule->scalar(a, b, o, 1);
        }
}

#define UNARY(id, nm, expr, loc, ab)                                                                  \
    static double d_##id(double a, double b, double o, int i)                                       \
    {                                                                                                \
        (void)a, (void)b, (void)o, (void)i;                                                          \
        return (expr);                                                                               \
    }                                                                                                \
    const GraphRule grad_##id = { .name = nm, .nin = 1, .vjp = unary_vjp, .local = { loc, NULL },    \
                                  .scalar = d_##id, .about = ab }

UNARY(exp, "exp", o, "local exp(a) (the output itself)", "d/dx exp(x) = exp(x), the output itself");
UNARY(expm1, "expm1", o + 1, "local exp(a)", "d/dx (exp(x) - 1) = exp(x)");
UNARY(log10, "log10", 1 / (a * log(10.0)), "local 1/(a·ln 10)", "d/dx log10(x) = 1/(x ln 10)");
UNARY(log2, "log2", 1 / (a * log(2.0)), "local 1/(a·ln 2)", "d/dx log2(x) = 1/(x ln 2)");
UNARY(log1p, "log1p", 1 / (1 + a), "local 1/(1 + a)", "d/dx log(1 + x) = 1/(1 + x)");
UNARY(sqrt, "sqrt", 1 / (2 * o), "local 1/(2·sqrt(a))",
      "d/dx sqrt(x) = 1/(2 sqrt(x)): infinite at 0, as numpy-based frameworks give it");
UNARY(square, "square", 2 * a, "local 2a", "d/dx x² = 2x");
UNARY(sin, "sin", cos(a), "local cos(a)", "d/dx sin(x) = cos(x)");
UNARY(cos, "cos", -sin(a), "local -sin(a)", "d/dx cos(x) = -sin(x)");
UNARY(tan, "tan", 1 + o * o, "local 1 + tan²(a)", "d/dx tan(x) = 1 + tan²(x)");
UNARY(asin, "asin", 1 / sqrt(1 - a * a), "local 1/√(1 - a²)", "d/dx asin(x) = 1/√(1 - x²)");
UNARY(acos, "acos", -1 / sqrt(1 - a * a), "local -1/√(1 - a²)", "d/dx acos(x) = -1/√(1 - x²)");
UNARY(atan, "atan", 1 / (1 + a * a), "local 1/(1 + a²)", "d/dx atan(x) = 1/(1 + x²)");
UNARY(sinh, "sinh", cosh(a), "local cosh(a)", "d/dx sinh(x) = cosh(x)");
UNARY(cosh, "cosh", sinh(a), "local sinh(a)", "d/dx cosh(x) = sinh(x)");
UNARY(asinh, "asinh", 1 / sqrt(a * a + 1), "local 1/√(a² + 1)", "d/dx asinh(x) = 1/√(x² + 1)");
UNARY(acosh, "acosh", 1 / sqrt(a * a - 1), "local 1/√(a² - 1)", "d/dx acosh(x) = 1/√(x² - 1)");
UNARY(atanh, "atanh", 1 / (1 - a * a), "local 1/(1 - a²)", "d/dx atanh(x) = 1/(1 - x²)");
UNARY(erf, "erf", 2 / sqrt(PI) * exp(-a * a), "local 2/√π · exp(-a²)", "d/dx erf(x) = 2/√π exp(-x²)");
UNARY(erfc, "erfc", -2 / sqrt(PI) * exp(-a * a), "local -2/√π · exp(-a²)", "d/dx erfc(x) = -2/√π exp(-x²)");
UNARY(tanh, "tanh", 1 - o * o, "local 1 - tanh²", "d/dx tanh(x) = 1 - tanh²(x)");
UNARY(sigmoid, "sigmoid", o * (1 - o), "Hadamard: incoming ⊙ σ'(z), σ' = σ(1-σ)", "d/dz σ(z) = σ(z)(1 - σ(z))");
UNARY(relu, "relu", a > 0 ? 1 : 0, "local 1 where the input > 0, else 0",
      "d/dz relu(z) = 1 where z > 0, else 0 (0 at z = 0, as PyTorch and JAX take it)");
UNARY(abs, "abs", a > 0 ? 1 : a < 0 ? -1 : 0, "local sign(a) (0 at 0)",
      "d/dx |x| = sign(x), 0 at x = 0 (the subgradient PyTorch and JAX take)");
UNARY(radians, "radians", PI / 180, "local π/180", "d/dx radians(x) = π/180");
UNARY(degrees, "degrees", 180 / PI, "local 180/π", "d/dx degrees(x) = 180/π");
UNARY(copy, "copy", 1, "local 1 (the same numbers)", "the same numbers: the gradient passes unchanged");
/* a.astype(float): the same numbers (astype(int) cuts them, and counts as flat). */
const GraphRule grad_astype = { .name = "astype", .nin = 1, .nparams = 1, .vjp = unary_vjp,
                                .local = { "local 1 (the same numbers)", NULL }, .scalar = d_copy,
                                .about = "to float: the gradient passes unchanged; to int or bool: none (the "
                                         "values are cut)" };
/* log(x), and math.log(x, base) with the base as a parameter (nan: none). */
static double d_log(double a, double b, double o, int i)
{
    (void)o, (void)i;
    return isnan(b) ? 1 / a : 1 / (a * log(b));
}
const GraphRule grad_log = { .name = "log", .nin = 1, .nparams = 1, .vjp = unary_vjp, .local = { "local 1/a", NULL },
                             .scalar = d_log, .about = "d/dx log(x) = 1/x (and 1/(x ln b) to a base b)" };

/* ψ(x), the digamma function (the derivative of log Γ): the recurrence
 * ψ(x) = ψ(x + 1) - 1/x up to x >= 6, then the asymptotic series; the
 * reflection ψ(1 - x) - π/tan(πx) below 0. */
static double digamma(double x)
{
    if (x <= 0 && x == floor(x))
        return NAN;
    if (x < 0)
        return digamma(1 - x) - PI / tan(PI * x);
    double r = 0;
    while (x < 6) {
        r -= 1 / x;
        x += 1;
    }
    double f = 1 / (x * x);
    return r + log(x) - 0.5 / x - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));
}

UNARY(gamma, "gamma", o * digamma(a), "local Γ(a)·ψ(a)", "d/dx Γ(x) = Γ(x)ψ(x), with ψ the digamma function");
UNARY(lgamma, "lgamma", digamma(a), "local ψ(a)", "d/dx log|Γ(x)| = ψ(x), the digamma function");

/* σ'(z) = s(1 - s) with s = σ(z); its own derivative is s(1-s)(1-2s). */
static double d_dsigmoid(double a, double b, double o, int i)
{
    (void)b, (void)i;
    double s = 1 / (1 + exp(-a));
    return o * (1 - 2 * s);
}
const GraphRule grad_dsigmoid = { .name = "dsigmoid", .nin = 1, .vjp = unary_vjp,
                                  .local = { "local σ'(z)(1 - 2σ(z))", NULL }, .scalar = d_dsigmoid,
                                  .about = "d/dz σ'(z) = σ'(z)(1 - 2σ(z))" };

/* --- two inputs, element by element -------------------------------------------------------- */

static double d_power(double a, double b, double o, int i)
{
    if (i == 0)
        return b * pow(a, b - 1);
    return a > 0 ? o * log(a) : 0;
}
const GraphRule grad_power = { .name = "power", .nin = 2, .vjp = binary_vjp,
                               .local = { "local b · a**(b-1)", "local a**b · log(a)" }, .scalar = d_power,
                               .about = "d/da a**b = b·a**(b-1); d/db a**b = a**b·log(a), taken as 0 where a <= 0" };

/* The larger (or smaller) of a and b passes the gradient; at a tie each
 * gets half, as JAX and numpy-based autograd split it; a nan takes it all. */
static double pick(double a, double b, int i, bool larger)
{
    double mine = i ? b : a, other = i ? a : b;
    if (isnan(mine) || isnan(other))
        return isnan(mine) ? 1 : 0;
    if (mine == other)
        return 0.5;
    return (mine > other) == larger ? 1 : 0;
}

static double d_maximum(double a, double b, double o, int i) { (void)o; return pick(a, b, i, true); }
static double d_minimum(double a, double b, double o, int i) { (void)o; return pick(a, b, i, false); }
static double d_hypot(double a, double b, double o, int i) { return o == 0 ? 0 : (i ? b : a) / o; }

static double d_atan2(double y, double x, double o, int i)
{
    (void)o;
    double r = x * x + y * y;
    return r == 0 ? 0 : i ? -y / r : x / r;
}

const GraphRule grad_maximum = { .name = "maximum", .nin = 2, .vjp = binary_vjp,
                                 .local = { "local 1 where a is the larger (½ at a tie)",
                                            "local 1 where b is the larger (½ at a tie)" },
                                 .scalar = d_maximum,
                                 .about = "the larger input takes the gradient; at a tie each takes half, as JAX does" };
const GraphRule grad_minimum = { .name = "minimum", .nin = 2, .vjp = binary_vjp,
                                 .local = { "local 1 where a is the smaller (½ at a tie)",
                                            "local 1 where b is the smaller (½ at a tie)" },
                                 .scalar = d_minimum,
                                 .about = "the smaller input takes the gradient; at a tie each takes half, as JAX does" };
const GraphRule grad_hypot = { .name = "hypot", .nin = 2, .vjp = binary_vjp, .local = { "local a/r", "local b/r" },
                               .scalar = d_hypot, .about = "d/da √(a² + b²) = a/√(a² + b²), and 0 at the origin" };
const GraphRule grad_atan2 = { .name = "atan2", .nin = 2, .vjp = binary_vjp,
                               .local = { "local x/(x² + y²)", "local -y/(x² + y²)" }, .scalar = d_atan2,
                               .about = "d/dy atan2(y, x) = x/(x² + y²); d/dx = -y/(x² + y²)" };

/* --- reductions -------------------------------------------------------------------------- */

/* The output element that input element (r, c) was reduced into. */
static size_t reduced_into(const GNode *n, size_t r, size_t c)
{
    return n->axis < 0 ? 0 : n->axis == 0 ? c : r;
}

static void sum_vjp(const GNode *n, const double *G, double *ga, double *gb)
{
    (void)gb;
    const Tensor *A = n->in[0]->value;
    for (size_t r = 0; r < A->rows; r++)
        for (size_t c = 0; c < A->cols; c++)
            ga[r * A->cols + c] += G[reduced_into(n, r, c)];
}

static void mean_vjp(const GNode *n, const double *G, double *ga, double *gb)
{
    (void)gb;
    const Tensor *A = n->in[0]->value;
    double count = n->axis < 0 ? (double)tensor_size(A) : n->axis == 0 ? (double)A->rows : (double)A->cols;
    for (size_t r = 0; r < A->rows; r++)
        for (size_t c = 0; c < A->cols; c++)
            ga[r * A->cols + c] += G[reduced_into(n, r, c)] / count;
}

/* Whether input element x is the extreme o it was reduced to (a nan
 * result came from the nans). */
static bool is_extreme(double x, double o)
{
    return x == o || (isnan(x) && isnan(o));
}

/* max or min over all, a column or a row: every element equal to the
 * result shares the gradient equally (JAX's and autograd's rule at ties). */
static void extreme_reduce(const GNode *n, const double *G, double *ga)
{
    const Tensor *A = n->in[0]->value;
    const double *o = n->value->data;
    size_t groups = n->axis < 0 ? 1 : n->axis == 0 ? A->cols : A->rows;
    size_t len = n->axis < 0 ? tensor_size(A) : n->axis == 0 ? A->rows : A->cols;
    for (size_t g = 0; g < groups; g++) {
        /* Element j of group g. */
#define AT(j) (n->axis < 0 ? (j) : n->axis == 0 ? (j) * A->cols + g : g * A->cols + (j))
        size_t ties = 0;
        for (size_t j = 0; j < len; j++)
            ties += is_extreme(A->data[AT(j)], o[g]);
        for (size_t j = 0; j < len && ties; j++)
            if (is_extreme(A->data[AT(j)], o[g]))
                ga[AT(j)] += G[g] / (double)ties;
#undef AT
    }
}

static void max_vjp(const GNode *n, const double *G, double *ga, double *gb)
{
    if (n->nin == 2)
        binary_vjp(n, G, ga, gb);
    else
        extreme_reduce(n, G, ga);
}

static double d_max_scalar(double a, double b, double o, int i)
{
    return d_maximum(a, b, o, i);
}

static double d_min_scalar(double a, double b, double o, int i)
{
    return d_minimum(a, b, o, i);
}

static double d_one(double a, double b, double o, int i)
{
    (void)a, (void)b, (void)o, (void)i;
    return 1;
}

const GraphRule grad_sum = { .name = "sum", .nin = 1, .reduces = true, .vjp = sum_vjp,
                             .local = { "local 1 for every element", NULL }, .scalar = d_one,
                             .about = "every element passes the gradient of its sum unchanged" };
const GraphRule grad_mean = { .name = "mean", .nin = 1, .reduces = true, .vjp = mean_vjp,
                              .local = { "local 1/n for every element", NULL }, .scalar = d_one,
                              .about = "every element gets 1/n of the gradient of its mean" };
/* A single max(x) reduces; max(a, b) is maximum (Python's and nudge's). */
const GraphRule grad_max = { .name = "max", .nin = 0, .reduces = true, .vjp = max_vjp,
                             .local = { "local 1 for the largest element (shared at a tie)", "local 1 where b is the larger" },
                             .scalar = d_max_scalar,
                             .about = "the largest element takes the gradient; tied elements share it equally, as "
                                      "JAX does" };
const GraphRule grad_min = { .name = "min", .nin = 0, .reduces = true, .vjp = max_vjp,
                             .local = { "local 1 for the smallest element (shared at a tie)", "local 1 where b is the smaller" },
                             .scalar = d_min_scalar,
                             .about = "the smallest element takes the gradient; tied elements share it equally, as "
                                      "JAX does" };

/* numpy's max and min only reduce (np.max(x, 0) takes an axis). */
const GraphRule grad_amax = { .name = "max", .nin = 1, .reduces = true, .vjp = max_vjp,
                              .local = { "local 1 for the largest element (shared at a tie)", NULL },
                              .scalar = d_max_scalar,
                              .about = "the largest element takes the gradient; tied elements share it equally, as "
                                       "JAX does" };
const GraphRule grad_amin = { .name = "min", .nin = 1, .reduces = true, .vjp = max_vjp,
                              .local = { "local 1 for the smallest element (shared at a tie)", NULL },
                              .scalar = d_min_scalar,
                              .about = "the smallest element takes the gradient; tied elements share it equally, as "
                                       "JAX does" };

/* ‖x‖, the square root of the sum of squares: x/‖x‖ (0 at x = 0). */
static void norm_vjp(const GNode *n, const double *G, double *ga, double *gb)
{
    (void)gb;
    const Tensor *A = n->in[0]->value;
    double o = n->value->data[0];
    for (size_t i = 0; o != 0 && i < tensor_size(A); i++)
        ga[i] += G[0] * A->data[i] / o;
}

static double d_norm(double a, double b, double o, int i)
{
    (void)b, (void)i;
    return o == 0 ? 0 : a / o;
}

const GraphRule grad_norm = { .name = "norm", .nin = 1, .vjp = norm_vjp, .local = { "local x/‖x‖", NULL },
                              .scalar = d_norm,
                              .about = "d/dx ‖x‖ = x/‖x‖, and 0 at x = 0 (the subgradient PyTorch takes)" };

/* --- shapes ------------------------------------------------------------------------------ */

/* The same numbers in a new shape (reshape, flatten, ravel, copy). */
static void same_order_vjp(const GNode *n, const double *G, double *ga, double *gb)
{
    (void)gb;
    size_t N = tensor_size(n->value);
    for (size_t i = 0; i < N; i++)
        ga[i] += G[i];
}

static void transpose_vjp(const GNode *n, const double *G, double *ga, double *gb)
{
    (void)gb;
    const Tensor *A = n->in[0]->value;
    if (A->ndim == 1) {
        same_order_vjp(n, G, ga, gb);
        return;
    }
    for (size_t r = 0; r < A->rows; r++)
        for (size_t c = 0; c < A->cols; c++)
            ga[r * A->cols + c] += G[c * A->rows + r];
}

/* Any arguments after the array give the new shape. */
const GraphRule grad_reshape = { .name = "reshape", .nin = 1, .nparams = 32, .vjp = same_order_vjp,
                                 .local = { "the incoming gradient in the input's shape", NULL }, .scalar = d_one,
                                 .about = "the same numbers in another shape: the gradient is reshaped back" };
const GraphRule grad_transpose = { .name = "transpose", .nin = 1, .vjp = transpose_vjp,
                                   .local = { "the incoming gradient transposed back", NULL }, .scalar = d_one,
                                   .about = "the gradient is transposed back" };

/* --- products ---------------------------------------------------------------------------- */

/* A one-element operand that was a plain number multiplies every element
 * of the other (np.dot(2, x)). */
static bool scalar_times(const GNode *n, const double *G, double *ga, double *gb)
{
    const GNode *x = n->in[0], *y = n->in[1];
    if (!x->scalar && !y->scalar)
        return false;
    const Tensor *A = x->value, *B = y->value, *out = n->value;
    for (size_t i = 0; i < tensor_size(out); i++) {
        double a = A->data[x->scalar ? 0 : i], b = B->data[y->scalar ? 0 : i];
        ga[x->scalar ? 0 : i] += G[i] * b;
        gb[y->scalar ? 0 : i] += G[i] * a;
    }
    return true;
}

/* Whether numpy's matmul rules fit the shapes (inner sizes agree). */
static bool matmul_fits(const Tensor *A, const Tensor *B)
{
    size_t inner_a = A->cols, inner_b = B->ndim == 1 ? B->cols : B->rows;
    return inner_a == inner_b;
}

/* dot: numpy's (a matrix product, an inner product of vectors, a number
 * times an array); nudge's dot of a column by a column of the same length
 * is their inner product, element by element. */
static void dot_vjp(const GNode *n, const double *G, double *ga, double *gb)
{
    if (scalar_times(n, G, ga, gb))
        return;
    const Tensor *A = n->in[0]->value, *B = n->in[1]->value;
    if (matmul_fits(A, B) && tensor_size(n->value) == (A->ndim == 2 ? A->rows : 1) * (B->ndim == 2 ? B->cols : 1)) {
        graph_vjp_matmul(A, B, G, ga, gb);
        return;
    }
    for (size_t i = 0; i < tensor_size(A); i++) {
        ga[i] += G[0] * B->data[i];
        gb[i] += G[0] * A->data[i];
    }
}

static void matmul_vjp(const GNode *n, const double *G, double *ga, double *gb)
{
    graph_vjp_matmul(n->in[0]->value, n->in[1]->value, G, ga, gb);
}

static void outer_vjp(const GNode *n, const double *G, double *ga, double *gb)
{
    const Tensor *A = n->in[0]->value, *B = n->in[1]->value;
    size_t m = tensor_size(A), p = tensor_size(B);
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < p; j++) {
            ga[i] += G[i * p + j] * B->data[j];
            gb[j] += G[i * p + j] * A->data[i];
        }
}

static double d_product(double a, double b, double o, int i)
{
    (void)o;
    return i ? a : b;
}

const GraphRule grad_dot = { .name = "dot", .nin = 2, .vjp = dot_vjp,
                             .local = { "incoming times the right side (b, or Bᵀ)", "incoming times the left side (a, or Aᵀ)" },
                             .scalar = d_product, .about = "as @: dA = G·Bᵀ and dB = Aᵀ·G; for vectors, d/da a·b = b" };
const GraphRule grad_matmul = { .name = "matmul", .nin = 2, .vjp = matmul_vjp,
                                .local = { "incoming @ Bᵀ", "Aᵀ @ incoming" }, .scalar = d_product,
                                .about = "dA = G·Bᵀ and dB = Aᵀ·G, as for @" };
const GraphRule grad_outer = { .name = "outer", .nin = 2, .vjp = outer_vjp,
                               .local = { "incoming @ b", "incomingᵀ @ a" }, .scalar = d_product,
                               .about = "d/da (a bᵀ) applied to G is G·b, and to b it is Gᵀ·a" };

/* --- losses and softmax ------------------------------------------------------------------- */

/* p = softmax(z) row by row: dz = p ⊙ (G - Σ G·p). */
static void softmax_vjp(const GNode *n, const double *G, double *ga, double *gb)
{
    (void)gb;
    const Tensor *out = n->value;
    const double *o = out->data;
    for (size_t r = 0; r < out->rows; r++) {
        const double *orow = o + r * out->cols, *grow = G + r * out->cols;
        double s = 0;
        for (size_t j = 0; j < out->cols; j++)
            s += grow[j] * orow[j];
        for (size_t j = 0; j < out->cols; j++)
            ga[r * out->cols + j] += orow[j] * (grow[j] - s);
    }
}

/* ½ Σ (a - y)²: da = a - y, dy = y - a. */
static void mse_vjp(const GNode *n, const double *G, double *ga, double *gb)
{
    const Tensor *A = n->in[0]->value, *B = n->in[1]->value;
    for (size_t i = 0; i < tensor_size(A); i++) {
        ga[i] += G[0] * (A->data[i] - B->data[i]);
        gb[i] += G[0] * (B->data[i] - A->data[i]);
    }
}

/* -Σ y log p: dp = -y/p (0 where y is 0: 0·log 0 counts as 0), dy = -log p. */
static void ce_vjp(const GNode *n, const double *G, double *ga, double *gb)
{
    const Tensor *A = n->in[0]->value, *B = n->in[1]->value;
    for (size_t i = 0; i < tensor_size(A); i++) {
        if (B->data[i] != 0)
            ga[i] -= G[0] * B->data[i] / A->data[i];
        gb[i] -= G[0] * log(A->data[i]);
    }
}

static double d_mse(double a, double b, double o, int i)
{
    (void)o;
    return i ? b - a : a - b;
}

static double d_ce(double a, double b, double o, int i)
{
    (void)o;
    return i ? -log(a) : b != 0 ? -b / a : 0;
}

const GraphRule grad_softmax = { .name = "softmax", .nin = 1, .vjp = softmax_vjp,
                                 .local = { "p ⊙ (incoming - Σ incoming·p), the softmax Jacobian applied", NULL },
                                 .about = "dz = p ⊙ (G - Σ G·p) for each row, the softmax Jacobian applied to G" };
const GraphRule grad_mse = { .name = "mse", .nin = 2, .vjp = mse_vjp, .local = { "local a - y", "local y - a" },
                             .scalar = d_mse, .about = "d/da ½Σ(a - y)² = a - y" };
const GraphRule grad_cross_entropy = { .name = "cross_entropy", .nin = 2, .vjp = ce_vjp,
                                       .local = { "local -y/p", "local -log p" }, .scalar = d_ce,
                                       .about = "d/dp -Σ y log p = -y/p (0 where y = 0, since 0·log 0 counts as 0)" };

/* --- flat, and clipped --------------------------------------------------------------------- */

/* Functions whose value moves only in jumps (argmax, round, step): a
 * gradient of 0 wherever they have one.  grad counts them as constants
 * beside a path that has a gradient, and names them where they are the
 * only way a cost depends on a variable. */
const GraphRule grad_flat = { .name = "flat", .about = "none: the value changes only in jumps, so grad passes "
                                                       "nothing back through it (a constant beside other paths)" };

/* clip(x, lo, hi): 1 inside [lo, hi] (the bounds included, as PyTorch
 * takes them), 0 outside; a NaN bound is no bound. */
static double d_clip(double a, double lo, double o, int i)
{
    (void)a, (void)lo, (void)o, (void)i;
    return 1;      /* inside the bounds, where backprop shows a number */
}

static void clip_vjp(const GNode *n, const double *G, double *ga, double *gb)
{
    (void)gb;
    const double *a = n->in[0]->value->data;
    double lo = n->p[0], hi = n->p[1];
    for (size_t i = 0; i < tensor_size(n->value); i++)
        if ((isnan(lo) || a[i] >= lo) && (isnan(hi) || a[i] <= hi))
            ga[i] += G[i];
}

const GraphRule grad_clip = { .name = "clip", .nin = 1, .nparams = 2, .vjp = clip_vjp,
                              .local = { "local 1 between the bounds, 0 outside", NULL }, .scalar = d_clip,
                              .about = "1 between the bounds (the bounds included, as PyTorch takes them), 0 outside",
                              .param_kw = { "a_min min", "a_max max" } };

/* var and std along an axis (or of all), with ddof in p[0] (nan: 0):
 * d var/dx = 2(x - mean)/(n - ddof), d std/dx = (x - mean)/((n - ddof)·std). */
static void spread_vjp(const GNode *n, const double *G, double *ga, bool std)
{
    const Tensor *A = n->in[0]->value;
    const double *o = n->value->data;
    double ddof = isnan(n->p[0]) ? 0 : n->p[0];
    size_t groups = n->axis < 0 ? 1 : n->axis == 0 ? A->cols : A->rows;
    size_t len = n->axis < 0 ? tensor_size(A) : n->axis == 0 ? A->rows : A->cols;
    for (size_t g = 0; g < groups; g++) {
#define AT(j) (n->axis < 0 ? (j) : n->axis == 0 ? (j) * A->cols + g : g * A->cols + (j))
        double mean = 0;
        for (size_t j = 0; j < len; j++)
            mean += A->data[AT(j)];
        mean /= (double)len;
        double scale = std ? 1 / (((double)len - ddof) * o[g]) : 2 / ((double)len - ddof);
        for (size_t j = 0; j < len; j++)
            ga[AT(j)] += G[g] * (A->data[AT(j)] - mean) * scale;
#undef AT
    }
}

static void var_vjp(const GNode *n, const double *G, double *ga, double *gb)
{
    (void)gb;
    spread_vjp(n, G, ga, false);
}

static void std_vjp(const GNode *n, const double *G, double *ga, double *gb)
{
    (void)gb;
    spread_vjp(n, G, ga, true);
}

const GraphRule grad_var = { .name = "var", .nin = 1, .reduces = true, .vjp = var_vjp,
                             .local = { "local 2(x - mean)/(n - ddof)", NULL },
                             .about = "d var/dx = 2(x - mean)/(n - ddof)", .param_kw = { "ddof", NULL } };
const GraphRule grad_std = { .name = "std", .nin = 1, .reduces = true, .vjp = std_vjp,
                             .local = { "local (x - mean)/((n - ddof)·std)", NULL },
                             .about = "d std/dx = (x - mean)/((n - ddof)·std): infinite where every value is equal",
                             .param_kw = { "ddof", NULL } };
