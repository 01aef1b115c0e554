/* test_graph.c - reverse-mode gradients through the language's own
 * operations, against central differences, and the model's gradients. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nudge/builtins.h"
#include "nudge/graph.h"
#include "nudge/interp.h"
#include "nudge/mem.h"
#include "nudge/text.h"

static void collect(void *ctx, const char *text, size_t len)
{
    text_append(ctx, text, len);
}

typedef struct Session {
    Interp *in;
    Text out;
} Session;

static void session_run(Session *s, const char *src)
{
    Error e;
    cr_assert(interp_run(s->in, src, &e), "%s: %s", src, e.msg);
}

static Session *session_new(void)
{
    static Session s;
    memset(&s, 0, sizeof s);
    s.in = interp_new(collect, &s.out);
    session_run(&s, "import numpy as np");
    session_run(&s, "import math");
    session_run(&s, "A = [[0.5, -1.2, 2.0], [0.3, 0.8, -0.4]]; B = [[1.5, -0.5], [0.25, 2.0], [-1.0, 0.7]];"
                    "u = [0.2, -0.7, 1.1]; w = [0.9, 0.4]; c = 1.7; P = [[0.6, 0.9, 0.3], [0.2, 0.5, 0.8]];"
                    "T = [[0, 1, 0], [1, 0, 0]]");
    return &s;
}

static void session_free(Session *s)
{
    interp_delete(s->in);
    text_free(&s->out);
}

/* grad(L, v) for L = expr must agree with numgrad of @(v) expr at v. */
static void check(const char *expr, const char *var, double tol)
{
    Session *s = session_new();
    char src[1024];
    snprintf(src, sizeof src, "L = %s; g = grad(L, %s); f = @(%s) %s; n = numgrad(f, %s); d = max(abs(g - n)); "
                              "m = max(abs(n))", expr, var, var, expr, var);
    session_run(s, src);
    double d = interp_get(s->in, "d")->as.number, m = interp_get(s->in, "m")->as.number;
    cr_assert(d <= tol * fmax(1.0, m), "%s wrt %s: analytic and numeric differ by %g (scale %g)", expr, var, d, m);
    session_free(s);
}

Test(graph, elementwise_arithmetic_with_broadcasting)
{
    check("sum(A + u)", "u", 1e-7);
    check("sum(A - u*c)", "u", 1e-7);
    check("sum(A * u)", "A", 1e-7);
    check("sum(A * u)", "u", 1e-7);
    check("sum(A / (u + 3))", "u", 1e-7);
    check("sum((A + 3) ** 2.5)", "A", 1e-7);
    check("sum(2 ** u)", "u", 1e-7);
    check("c * c - c / 4", "c", 1e-7);
    check("sum(-A)", "A", 1e-7);
}

Test(graph, matrix_products_in_every_shape)
{
    check("sum(A @ B)", "A", 1e-7);
    check("sum(A @ B)", "B", 1e-7);
    check("sum((A @ u) * w)", "A", 1e-7);
    check("sum((A @ u) * w)", "u", 1e-7);
    check("sum((w @ A) * u)", "w", 1e-7);
    check("sum((w @ A) * u)", "A", 1e-7);
    check("u @ u", "u", 1e-7);
    check("dot(u, A[0])", "u", 1e-7);
    check("sum(outer(w, u) * A)", "u", 1e-7);
    check("sum(outer(w, u) * A)", "w", 1e-7);
}

Test(graph, transposes_indexing_and_reductions)
{
    check("sum(A.T @ w)", "A", 1e-7);
    check("sum(transpose(A) * B)", "A", 1e-7);
    check("A[1, 2] * A[0, 0]", "A", 1e-7);
    check("sum(A[:, 1] * u[0:2])", "A", 1e-7);
    check("sum(A[0]) + u[-1]", "u", 1e-7);
    check("sum(sum(A, axis=0) * u)", "A", 1e-7);
    check("sum(sum(A, axis=1) * w)", "A", 1e-7);
    check("mean(A * A)", "A", 1e-7);
    check("sum(mean(A, axis=0) * u)", "A", 1e-7);
}

Test(graph, activations_and_their_derivatives)
{
    check("sum(exp(A))", "A", 1e-7);
    check("sum(log(P))", "P", 1e-7);
    check("sum(sigmoid(A) * B.T)", "A", 1e-7);
    check("sum(relu(A) * B.T)", "A", 1e-7);
    check("sum(tanh(A) * B.T)", "A", 1e-7);
    check("sum(softmax(u) * [1, 2, 3])", "u", 1e-7);
    check("sum(softmax(A) * T)", "A", 1e-7);
}

Test(graph, the_costs)
{
    check("mse(u, [1, 0, 1])", "u", 1e-7);
    check("mse([1, 0, 1], u)", "u", 1e-7);
    check("cross_entropy(softmax(u), [0, 1, 0])", "u", 1e-7);
    check("cross_entropy(P, T)", "P", 1e-7);
}

Test(graph, the_chapter_3_example_gives_3_and_2)
{
    Session *s = session_new();
    session_run(s, "x = 2; b1 = 1; b2 = 0.5; w1 = 0.5; w2 = 1.5; L = (x*w1 + b1)*w2 + b2; g1 = grad(L, w1); "
                   "g2 = grad(L, w2); z = x*w1 + b1; L2 = z*w2 + b2; gz = grad(L2, z)");
    cr_assert_eq(interp_get(s->in, "g1")->as.number, 3.0);
    cr_assert_eq(interp_get(s->in, "g2")->as.number, 2.0);
    cr_assert_eq(interp_get(s->in, "gz")->as.number, 1.5);
    session_free(s);
}

Test(graph, the_hand_written_network_matches_the_models_gradients)
{
    Session *s = session_new();
    session_run(s, "x = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]; y = [[0],[1],[1],[0]]; net = mlp(3, 4, 1, seed=1);"
                   "W1 = net.W1; W2 = net.W2; C = 0.5*sum((y - sigmoid(sigmoid(x @ W1) @ W2))**2);"
                   "g = backward(net, x, y); d1 = grad(C, W1); d2 = grad(C, W2);"
                   "n1 = numgrad(net, x, y, \"W1\"); n2 = numgrad(net, x, y, \"W2\")");
    const Tensor *d1 = interp_get(s->in, "d1")->as.tensor, *d2 = interp_get(s->in, "d2")->as.tensor;
    const Value *g = interp_get(s->in, "g");
    const Tensor *m1 = record_get(g, "dW1")->as.tensor, *m2 = record_get(g, "dW2")->as.tensor;
    const Tensor *n1 = interp_get(s->in, "n1")->as.tensor, *n2 = interp_get(s->in, "n2")->as.tensor;
    for (size_t i = 0; i < tensor_size(d1); i++) {
        cr_assert_leq(fabs(d1->data[i] - m1->data[i]), 1e-15 * fabs(m1->data[i]), "dW1[%zu]", i);
        cr_assert_leq(fabs(d1->data[i] - n1->data[i]), 1e-7 * fmax(fabs(m1->data[i]), 1e-3), "numgrad W1[%zu]", i);
    }
    for (size_t i = 0; i < tensor_size(d2); i++) {
        cr_assert_leq(fabs(d2->data[i] - m2->data[i]), 1e-15 * fabs(m2->data[i]), "dW2[%zu]", i);
        cr_assert_leq(fabs(d2->data[i] - n2->data[i]), 1e-7 * fmax(fabs(m2->data[i]), 1e-3), "numgrad W2[%zu]", i);
    }
    session_free(s);
}

Test(graph, softmax_with_cross_entropy_has_p_minus_y_at_the_logits)
{
    Session *s = session_new();
    session_run(s, "z = [0.3, -1.2, 2.0]; y = [1, 0, 0]; L = cross_entropy(softmax(z), y); "
                   "d = max(abs(grad(L, z) - (softmax(z) - y)))");
    cr_assert_leq(interp_get(s->in, "d")->as.number, 1e-15);
    session_free(s);
}

static void assert_fails(const char *src, const char *want)
{
    Session *s = session_new();
    Error e;
    cr_assert_not(interp_run(s->in, src, &e), "%s should fail", src);
    cr_assert(strstr(e.msg, want), "'%s' lacks '%s'", e.msg, want);
    session_free(s);
}

Test(graph, grad_explains_what_it_cannot_do)
{
    assert_fails("w1 = 0.5; L = 2*w1; w1 = 0.7; grad(L, w1)", "has been given a new value since L was computed");
    assert_fails("w1 = 0.5; v = 3; L = 2*w1; grad(L, v)", "L was not computed from v");
    assert_fails("L = 3.5; grad(L, L)", "has no history");
    assert_fails("A2 = [1, 2]; L = A2 * 2; grad(L, A2)", "grad needs a single number");
    assert_fails("w1 = 0.5; L = 2*w1; grad(L, 0.5)", "must be a variable's name");
}

Test(graph, a_million_statement_history_stays_bounded)
{
    Session *s = session_new();
    session_run(s, "x = 1");
    long before = 0;
    for (int i = 0; i < 120000; i++) {
        session_run(s, "x = x + 1");
        if (i == 1000)
            before = mem_count();
    }
    const Value *x = interp_get(s->in, "x");
    cr_assert_eq(value_to_double(x), 120001.0);
    cr_assert_leq(graph_count(x->graph), GRAPH_MAX_NODES + 1);
    (void)before;
    Error e;
    cr_assert_not(interp_run(s->in, "L = x * 2; grad(L, x)", &e));
    session_free(s);
}

/* An array over GRAPH_MAX_BYTES cuts any history it enters: its cut
 * nodes share the array instead of copying it (at 2^24 values a copy per
 * operation doubled the time of A + 1), and grad says why it cannot go on. */
Test(graph, a_history_through_an_array_over_the_limit_is_cut_without_a_copy)
{
    Session *s = session_new();
    session_run(s, "Big = np.ones(2**24); S = Big * 2; small = np.ones(4); s2 = small * 2");
    const Value *big = interp_get(s->in, "Big"), *S = interp_get(s->in, "S");
    const Value *small = interp_get(s->in, "small"), *s2 = interp_get(s->in, "s2");
    cr_assert_not_null(S->graph);
    cr_assert_eq(S->graph->op, GRAPH_CUT);
    cr_assert_eq(S->graph->value, S->as.tensor, "a cut node shares the array it describes");
    cr_assert_eq(S->graph->nin, 0);
    (void)big;
    cr_assert_neq(s2->graph->op, GRAPH_CUT);
    cr_assert_neq(s2->graph->value, s2->as.tensor, "a node grad will read keeps its own copy");
    (void)small;
    Error e;
    cr_assert_not(interp_run(s->in, "L = np.sum(Big * 3); grad(L, Big)", &e));
    cr_assert(strstr(e.msg, "longer history than grad keeps") && strstr(e.msg, "64 MiB of arrays"), "%s", e.msg);
    /* the array is the user's: changing it later must not reach a history */
    session_run(s, "small[0] = 5");
    const GNode *leaf = s2->graph->in[0];
    cr_assert(leaf && leaf->name && !strcmp(leaf->name, "small"));
    cr_assert_eq(leaf->value->data[0], 1.0);
    session_free(s);
}

Test(graph, graph_and_backprop_show_every_node_once)
{
    Session *s = session_new();
    session_run(s, "x = 2; b1 = 1; b2 = 0.5; w1 = 0.5; w2 = 1.5; L = (x*w1 + b1)*w2 + b2");
    text_free(&s->out);
    session_run(s, "graph L");
    cr_assert(strstr(s->out.s, "[+] L = 3.5"), "%s", s->out.s);
    cr_assert(strstr(s->out.s, "└── w1 = 0.5"), "%s", s->out.s);
    text_free(&s->out);
    session_run(s, "backprop L");
    cr_assert(strstr(s->out.s, "to w1: local 2 (the other factor); passes 1.5·2 = 3"), "%s", s->out.s);
    cr_assert(strstr(s->out.s, "9 nodes, each visited once"), "%s", s->out.s);
    session_free(s);
}

/* --- every differentiable built-in -------------------------------------------------- */

/* An expression for each differentiable function, by table: the test below
 * fails for a row that declares a gradient rule but has no case here, so a
 * new rule cannot go untested.  Each is "expression|variable". */
static const struct { const char *table, *name, *cases[3]; } differentiable[] = {
    { "nudge", "dot", { "dot(u, [0.3, 1.0, -2.0])|u", "dot(A[0], A[1])|A" } },
    { "nudge", "norm", { "norm(A)|A", "norm(u) * 2|u" } },
    { "nudge", "outer", { "sum(outer(w, u) * A)|u", "sum(outer(w, u) * A)|w" } },
    { "nudge", "transpose", { "sum(transpose(A) * B)|A" } },
    { "nudge", "mean", { "sum(mean(A, axis=1) * w)|A", "mean(A * A)|A", "sum(mean(A, axis=0) * u)|A" } },
    { "nudge", "sqrt", { "sum(sqrt(P) * B.T)|P" } },
    { "nudge", "cos", { "sum(cos(A) * B.T)|A" } },
    { "nudge", "sin", { "sum(sin(A) * B.T)|A" } },
    { "nudge", "radians", { "sum(radians(u) * u)|u" } },
    { "nudge", "exp", { "sum(exp(A) * B.T)|A" } },
    { "nudge", "log", { "sum(log(P) * B.T)|P" } },
    { "nudge", "sigmoid", { "sum(sigmoid(A) * B.T)|A" } },
    { "nudge", "σ", { "sum(σ(A) * B.T)|A" } },
    { "nudge", "dsigmoid", { "sum(dsigmoid(A) * B.T)|A" } },
    { "nudge", "relu", { "sum(relu(A) * B.T)|A" } },
    { "nudge", "tanh", { "sum(tanh(A) * B.T)|A" } },
    { "nudge", "mse", { "mse(u, [1, 0, 1])|u", "mse([1, 0, 1], u)|u" } },
    { "nudge", "softmax", { "sum(softmax(A) * T)|A", "sum(softmax(u) * [1, 2, 3])|u" } },
    { "nudge", "cross_entropy", { "cross_entropy(P, T)|P", "cross_entropy(softmax(u), [0, 1, 0])|u" } },
    { "python", "abs", { "sum(abs(A) * B.T)|A" } },
    { "python", "pow", { "pow(c, 2.5)|c", "sum(pow(P, u))|u" } },
    { "python", "sum", { "sum(A * A)|A", "sum(sum(A, axis=0) * u)|A" } },
    { "python", "max", { "max(u * u)|u", "max(c * 2, 3.0)|c", "sum(max(A, axis=1) * w)|A" } },
    { "python", "min", { "min(u)|u", "min(c * 2, 3.0)|c" } },
    { "python", "float", { "float(c * c)|c" } },
    { "numpy", "array", { "np.sum(np.array(A) * B.T)|A" } },
    { "numpy", "asarray", { "np.sum(np.asarray(A) * B.T)|A" } },
    { "numpy", "copy", { "np.sum(np.copy(A) * B.T)|A" } },
    { "numpy", "dot", { "np.sum(np.dot(A, B))|A", "np.dot(u, u)|u", "np.sum(np.dot(A, u))|u" } },
    { "numpy", "matmul", { "np.sum(np.matmul(A, B) * [[1, 2], [3, 4]])|B" } },
    { "numpy", "outer", { "np.sum(np.outer(w, u) * A)|u" } },
    { "numpy", "transpose", { "np.sum(np.transpose(A) * B)|A" } },
    { "numpy", "reshape", { "np.sum(np.reshape(A, (3, 2)) * B)|A" } },
    { "numpy", "ravel", { "np.sum(np.ravel(A) * np.ravel(B.T))|A" } },
    { "numpy", "exp", { "np.sum(np.exp(A) * B.T)|A" } },
    { "numpy", "log", { "np.sum(np.log(P) * B.T)|P" } },
    { "numpy", "log10", { "np.sum(np.log10(P) * B.T)|P" } },
    { "numpy", "log2", { "np.sum(np.log2(P) * B.T)|P" } },
    { "numpy", "log1p", { "np.sum(np.log1p(P) * B.T)|P" } },
    { "numpy", "expm1", { "np.sum(np.expm1(A) * B.T)|A" } },
    { "numpy", "sqrt", { "np.sum(np.sqrt(P) * B.T)|P" } },
    { "numpy", "tanh", { "np.sum(np.tanh(A) * B.T)|A" } },
    { "numpy", "sin", { "np.sum(np.sin(A) * B.T)|A" } },
    { "numpy", "cos", { "np.sum(np.cos(A) * B.T)|A" } },
    { "numpy", "tan", { "np.sum(np.tan(A) * B.T)|A" } },
    { "numpy", "square", { "np.sum(np.square(A) * B.T)|A" } },
    { "numpy", "abs", { "np.sum(np.abs(A) * B.T)|A" } },
    { "numpy", "absolute", { "np.sum(np.absolute(A) * B.T)|A" } },
    { "numpy", "maximum", { "np.sum(np.maximum(A, 0.1) * B.T)|A", "np.sum(np.maximum(A, u) * B.T)|u" } },
    { "numpy", "minimum", { "np.sum(np.minimum(A, 0.1) * B.T)|A", "np.sum(np.minimum(w, A.T) * B)|w" } },
    { "numpy", "power", { "np.sum(np.power(P, 1.5))|P", "np.sum(np.power(2.0, u))|u" } },
    { "numpy", "sum", { "np.sum(A * A)|A", "np.sum(np.sum(A, axis=1) * w)|A", "np.sum(np.sum(A, axis=0) * u)|A" } },
    { "numpy", "mean", { "np.mean(A * A)|A", "np.sum(np.mean(A, axis=0) * u)|A" } },
    { "numpy", "max", { "np.sum(np.max(A, axis=0) * u)|A", "np.max(A * B.T)|A" } },
    { "numpy", "min", { "np.sum(np.min(A, axis=1) * w)|A", "np.min(A * B.T)|A" } },
    { "numpy", "amax", { "np.amax(A * B.T)|A" } },
    { "numpy", "amin", { "np.amin(A * B.T)|A" } },
    { "numpy", "clip", { "np.sum(np.clip(A, -0.5, 1.0) * B.T)|A", "np.sum(np.clip(A, None, 0.4) * B.T)|A",
                         "np.sum(np.clip(A, a_min=0.0, a_max=None) * B.T)|A" } },
    { "numpy", "var", { "np.var(A)|A", "np.sum(np.var(A, axis=0) * u)|A", "np.sum(np.var(A, axis=1, ddof=1) * w)|A" } },
    { "numpy", "std", { "np.std(A)|A", "np.sum(np.std(A, axis=0) * u)|A", "np.std(u, ddof=1)|u" } },
    { "ndarray", "dot", { "A.dot(B).sum()|A", "u.dot(u)|u" } },
    { "ndarray", "sum", { "(A * A).sum()|A", "A.sum(axis=0).dot(u)|A" } },
    { "ndarray", "mean", { "(A * B.T).mean()|A", "A.mean(axis=1).dot(w)|A" } },
    { "ndarray", "max", { "A.max(axis=1).dot(w)|A" } },
    { "ndarray", "min", { "A.min(axis=0).dot(u)|A" } },
    { "ndarray", "reshape", { "(A.reshape(3, 2) * B).sum()|A" } },
    { "ndarray", "flatten", { "(A.flatten() * B.T.flatten()).sum()|A" } },
    { "ndarray", "ravel", { "(A.ravel() * B.T.ravel()).sum()|A" } },
    { "ndarray", "copy", { "(A.copy() * B.T).sum()|A" } },
    { "ndarray", "item", { "(A[0:1, 1] * 3).item()|A" } },
    { "ndarray", "transpose", { "(A.transpose() * B).sum()|A" } },
    { "ndarray", "clip", { "(A.clip(-0.5, 1.0) * B.T).sum()|A", "(A.clip(max=0.4) * B.T).sum()|A" } },
    { "ndarray", "var", { "A.var()|A", "A.var(axis=1).dot(w)|A" } },
    { "ndarray", "std", { "A.std(axis=0).dot(u)|A" } },
    { "ndarray", "astype", { "(A.astype(float) * B.T).sum()|A" } },
    { "math", "sqrt", { "math.sqrt(c)|c" } }, { "math", "exp", { "math.exp(c)|c" } },
    { "math", "expm1", { "math.expm1(c)|c" } }, { "math", "log10", { "math.log10(c)|c" } },
    { "math", "log2", { "math.log2(c)|c" } }, { "math", "log1p", { "math.log1p(c)|c" } },
    { "math", "sin", { "math.sin(c)|c" } }, { "math", "cos", { "math.cos(c)|c" } },
    { "math", "tan", { "math.tan(c)|c" } }, { "math", "asin", { "math.asin(c / 4)|c" } },
    { "math", "acos", { "math.acos(c / 4)|c" } }, { "math", "atan", { "math.atan(c)|c" } },
    { "math", "sinh", { "math.sinh(c)|c" } }, { "math", "cosh", { "math.cosh(c)|c" } },
    { "math", "tanh", { "math.tanh(c)|c" } }, { "math", "asinh", { "math.asinh(c)|c" } },
    { "math", "acosh", { "math.acosh(c)|c" } }, { "math", "atanh", { "math.atanh(c / 4)|c" } },
    { "math", "fabs", { "math.fabs(c - 3)|c" } }, { "math", "erf", { "math.erf(c)|c" } },
    { "math", "erfc", { "math.erfc(c)|c" } }, { "math", "gamma", { "math.gamma(c)|c", "math.gamma(-c)|c" } },
    { "math", "lgamma", { "math.lgamma(c)|c", "math.lgamma(c + 10)|c" } },
    { "math", "log", { "math.log(c)|c", "math.log(c, 3)|c" } },
    { "math", "pow", { "math.pow(c, 2.5)|c" } }, { "math", "atan2", { "math.atan2(c, 0.5)|c", "math.atan2(0.5, c)|c" } },
    { "math", "hypot", { "math.hypot(c, 0.5)|c" } }, { "math", "degrees", { "math.degrees(c)|c" } },
    { "math", "radians", { "math.radians(c)|c" } },
};

/* Every row of a table with a gradient rule, checked by each of its cases. */
static void check_table(const char *table, const Builtin *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].grad || !rows[i].grad->vjp)
            continue;   /* no rule, or a flat function: grad_names_the_operation_... covers those */
        size_t k = 0;
        while (k < sizeof differentiable / sizeof differentiable[0]
               && (strcmp(differentiable[k].table, table) || strcmp(differentiable[k].name, rows[i].name)))
            k++;
        cr_assert(k < sizeof differentiable / sizeof differentiable[0],
                  "%s's %s has a gradient rule but no case in test_graph.c", table, rows[i].name);
        for (int j = 0; j < 3 && differentiable[k].cases[j]; j++) {
            char expr[256];
            snprintf(expr, sizeof expr, "%s", differentiable[k].cases[j]);
            char *bar = strrchr(expr, '|');
            *bar = '\0';
            check(expr, bar + 1, 1e-6);
        }
    }
}

Test(graph, every_function_with_a_gradient_rule_agrees_with_central_differences)
{
    size_t n;
    const Builtin *rows = builtin_table(&n);
    check_table("nudge", rows, n);
    rows = pybuiltin_table(&n);
    check_table("python", rows, n);
    rows = method_table(VALUE_TENSOR, &n);
    check_table("ndarray", rows, n);
    const Module *np = module_find("numpy"), *math = module_find("math");
    check_table("numpy", np->rows, np->n);
    check_table("math", math->rows, math->n);
}

static void assert_vector(Session *s, const char *name, const double *want, size_t n)
{
    const Value *v = interp_get(s->in, name);
    cr_assert(v && v->kind == VALUE_TENSOR && tensor_size(v->as.tensor) == n, "%s is not a %zu-vector", name, n);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(v->as.tensor->data[i], want[i], "%s[%zu] is %g, not %g", name, i, v->as.tensor->data[i], want[i]);
}

Test(graph, kinks_take_the_documented_subgradient)
{
    Session *s = session_new();
    session_run(s, "z0 = [0.0, 2.0, -1.0]; La = sum(abs(z0)); ga = grad(La, z0); Lr = sum(relu(z0)); gr = grad(Lr, z0);"
                   "t = [1.0, 3.0, 3.0]; Lm = max(t); gm = grad(Lm, t); Ln = np.min(t * -1); gn = grad(Ln, t);"
                   "Lx = np.sum(np.maximum(t, 3.0)); gx = grad(Lx, t); Lq = norm(z0 * 0); gq = grad(Lq, z0)");
    assert_vector(s, "ga", (const double[]){0, 1, -1}, 3);
    assert_vector(s, "gr", (const double[]){0, 1, 0}, 3);
    assert_vector(s, "gm", (const double[]){0, 0.5, 0.5}, 3);
    assert_vector(s, "gn", (const double[]){0, -0.5, -0.5}, 3);
    assert_vector(s, "gx", (const double[]){0, 0.5, 0.5}, 3);
    assert_vector(s, "gq", (const double[]){0, 0, 0}, 3);
    session_free(s);
}

Test(graph, grad_names_the_operation_that_has_no_gradient)
{
    assert_fails("x = [1.0, 4.0, 9.0]; L = sum(x > 2); grad(L, x)", "depends on x only through >");
    assert_fails("x = [1.0, 4.0, 9.0]; L = argmax(x) * 2.0; grad(L, x)", "only through argmax");
    assert_fails("x = [1.0, 4.0, 9.0]; L = sum(step(x - 3)); grad(L, x)", "only through step");
    assert_fails("x = [1.0, 4.5, 9.0]; L = sum(x // 2); grad(L, x)", "only through //");
    assert_fails("x = [1.0, 4.5, 9.0]; L = np.sum(np.floor(x)); grad(L, x)", "only through floor");
    assert_fails("x = [1.0, 4.5, 9.0]; L = round(x[1]); grad(L, x)", "only through round");
    /* A function with no rule is refused even beside a path that has one:
     * its share of the gradient cannot be left out. */
    assert_fails("x = [1.0, 4.5, 9.0]; L = sum(x * x) + np.einsum('i,i->', x, x); grad(L, x)", "through einsum");
    assert_fails("x = [1.0, 4.5, 9.0]; L = sum(x * x) + np.sum(np.diag(x)); grad(L, x)", "through diag");
    assert_fails("x = [1.0, 4.5, 9.0]; L = sum(x) + np.sum(np.concatenate((x, x))); grad(L, x)",
                 "through concatenate, which grad cannot differentiate");
    assert_fails("x = [1.0, 4.5, 9.0]; L = sum(np.where(x > 2, x, 0.0)); grad(L, x)", "through where");
}

Test(graph, a_flat_path_beside_a_differentiable_one_counts_as_a_constant)
{
    Session *s = session_new();
    session_run(s, "x = [-1.0, 4.0, 9.0]; L = sum((x > 0) * x * x) + argmax(x); g = grad(L, x)");
    assert_vector(s, "g", (const double[]){0, 8, 18}, 3);
    session_free(s);
}

Test(graph, a_variable_passed_to_a_function_keeps_its_name_in_the_history)
{
    Session *s = session_new();
    session_run(s, "def f(v):\n    h = v * v\n    return h + 3 * v\n");
    session_run(s, "q = 2.0; F = f(q); g = grad(F, q); k = 2; K = k * 3 + abs(k); gk = grad(K, k)");
    cr_assert_eq(interp_get(s->in, "g")->as.number, 7.0);
    cr_assert_eq(value_to_double(interp_get(s->in, "gk")), 4.0);
    session_free(s);
}
