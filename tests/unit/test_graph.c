/* test_graph.c - reverse-mode gradients through the language's own
 * operations, against central differences, and the model's gradients. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

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
