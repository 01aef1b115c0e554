/* test_perceptron.c - the chapter-2 learning rule, one nudge at a time. */
#include <criterion/criterion.h>

#include "assert_tensor.h"
#include "nudge/perceptron.h"

/* Two inputs and a constant-1 bias column, as the book adds the bias. */
static const double gates_x[12] = { 0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1 };

static Perceptron make(double w0, double w1, double w2, double lr)
{
    Perceptron p;
    Tensor *w = tensor_from(1, 1, 3, (double[]){ w0, w1, w2 }, NULL);
    cr_assert(perceptron_init(&p, w, lr, NULL));
    tensor_delete(w);
    return p;
}

Test(perceptron, false_negative_rotates_w_toward_x)
{
    Perceptron p = make(0.5, 0.5, -1.5, 1);
    Tensor *x = tensor_from(1, 1, 3, (double[]){ 1, 1, 1 }, NULL);
    PerceptronTrace t;
    perceptron_trace_init(&t);
    cr_assert(perceptron_learn(&p, x, 1, &t, NULL));
    cr_assert_eq(t.wx, -0.5);
    cr_assert_eq(t.prediction, 0);
    cr_assert_eq(t.error, 1);
    assert_tensor_near(t.dw, 1, 1, 3, ((double[]){ 1, 1, 1 }), 0);
    assert_tensor_near(t.w, 1, 1, 3, ((double[]){ 1.5, 1.5, -0.5 }), 0);
    assert_tensor_near(p.w, 1, 1, 3, ((double[]){ 1.5, 1.5, -0.5 }), 0);
    perceptron_trace_free(&t);
    tensor_delete(x);
    perceptron_free(&p);
}

Test(perceptron, false_positive_rotates_w_away_from_x)
{
    Perceptron p = make(1, 1, 0, 1);
    Tensor *x = tensor_from(1, 1, 3, (double[]){ 1, 0, 1 }, NULL);
    PerceptronTrace t;
    perceptron_trace_init(&t);
    cr_assert(perceptron_learn(&p, x, 0, &t, NULL));
    cr_assert_eq(t.wx, 1);
    cr_assert_eq(t.prediction, 1);
    cr_assert_eq(t.error, -1);
    assert_tensor_near(p.w, 1, 1, 3, ((double[]){ 0, 1, -1 }), 0);
    perceptron_trace_free(&t);
    tensor_delete(x);
    perceptron_free(&p);
}

Test(perceptron, a_correct_answer_leaves_w_alone)
{
    Perceptron p = make(1, 1, -1.5, 0.1);
    Tensor *x = tensor_from(1, 1, 3, (double[]){ 1, 1, 1 }, NULL);
    PerceptronTrace t;
    perceptron_trace_init(&t);
    cr_assert(perceptron_learn(&p, x, 1, &t, NULL));
    cr_assert_eq(t.error, 0);
    assert_tensor_near(t.dw, 1, 1, 3, ((double[]){ 0, 0, 0 }), 0);
    assert_tensor_near(p.w, 1, 1, 3, ((double[]){ 1, 1, -1.5 }), 0);
    perceptron_trace_free(&t);
    tensor_delete(x);
    perceptron_free(&p);
}

Test(perceptron, the_learning_rate_scales_the_nudge)
{
    Perceptron p = make(0, 0, 0, 0.1);
    Tensor *x = tensor_from(1, 1, 3, (double[]){ 1, 1, 1 }, NULL);
    cr_assert(perceptron_learn(&p, x, 1, NULL, NULL));     /* w.x = 0 predicts 0 */
    assert_tensor_near(p.w, 1, 1, 3, ((double[]){ 0.1, 0.1, 0.1 }), 0);
    tensor_delete(x);
    perceptron_free(&p);
}

Test(perceptron, minus_one_targets_count_as_the_negative_class)
{
    Perceptron p = make(-1, 0, 0, 1);
    Tensor *x = tensor_from(1, 1, 3, (double[]){ 1, 0, 1 }, NULL);
    cr_assert(perceptron_learn(&p, x, -1, NULL, NULL));
    assert_tensor_near(p.w, 1, 1, 3, ((double[]){ -1, 0, 0 }), 0);
    tensor_delete(x);
    perceptron_free(&p);
}

Test(perceptron, learn_refuses_a_bad_shape_or_target_and_changes_nothing)
{
    Perceptron p = make(1, 2, 3, 1);
    Tensor *x2 = tensor_from(1, 1, 2, (double[]){ 1, 1 }, NULL), *x3 = tensor_from(1, 1, 3, (double[]){ 1, 1, 1 }, NULL);
    Error e;
    cr_assert_not(perceptron_learn(&p, x2, 1, NULL, &e));
    cr_assert_str_eq(e.msg, "learn: x has shape (2,) but w has 3 weights");
    cr_assert_not(perceptron_learn(&p, x3, 0.5, NULL, &e));
    cr_assert_str_eq(e.msg, "learn: target 0.5 must be 1 (positive) or 0 / -1 (negative)");
    assert_tensor_near(p.w, 1, 1, 3, ((double[]){ 1, 2, 3 }), 0);
    tensor_delete(x2);
    tensor_delete(x3);
    perceptron_free(&p);
}

static void train_gate(const double y4[4], size_t epochs, Perceptron *p, PerceptronReport *r)
{
    Tensor *X = tensor_from(2, 4, 3, gates_x, NULL), *y = tensor_from(1, 1, 4, y4, NULL);
    cr_assert(perceptron_train(p, X, y, epochs, NULL, NULL, r, NULL));
    Tensor *pred = perceptron_predict(p, X, NULL);
    if (r->converged)
        assert_tensor_near(pred, 1, 1, 4, y4, 0);
    tensor_delete(pred);
    tensor_delete(X);
    tensor_delete(y);
}

Test(perceptron, training_converges_on_and)
{
    Perceptron p = make(0, 0, 0, 0.1);
    PerceptronReport r;
    train_gate((double[]){ 0, 0, 0, 1 }, 100, &p, &r);
    cr_assert(r.converged);
    cr_assert_eq(r.last_mistakes, 0);
    cr_assert_lt(r.epochs_run, 100);
    perceptron_free(&p);
}

Test(perceptron, training_converges_on_or)
{
    Perceptron p = make(0, 0, 0, 0.1);
    PerceptronReport r;
    train_gate((double[]){ 0, 1, 1, 1 }, 100, &p, &r);
    cr_assert(r.converged);
    perceptron_free(&p);
}

Test(perceptron, training_never_settles_on_xor)
{
    Perceptron p = make(0, 0, 0, 0.1);
    PerceptronReport r;
    train_gate((double[]){ 0, 1, 1, 0 }, 1000, &p, &r);
    cr_assert_not(r.converged);
    cr_assert_eq(r.epochs_run, 1000);
    cr_assert_gt(r.last_mistakes, 0);
    perceptron_free(&p);
}

static bool stop_at_three(void *ctx, const TrainProgress *pr)
{
    *(size_t *)ctx = pr->epoch;
    return pr->epoch < 3;
}

Test(perceptron, a_hook_can_stop_training_between_epochs)
{
    Perceptron p = make(0, 0, 0, 0.1);
    Tensor *X = tensor_from(2, 4, 3, gates_x, NULL), *y = tensor_from(1, 1, 4, (double[]){ 0, 1, 1, 0 }, NULL);
    PerceptronReport r;
    size_t seen = 0;
    cr_assert(perceptron_train(&p, X, y, 1000, stop_at_three, &seen, &r, NULL));
    cr_assert_eq(seen, 3);
    cr_assert_eq(r.epochs_run, 3);
    cr_assert(r.stopped);
    tensor_delete(X);
    tensor_delete(y);
    perceptron_free(&p);
}

Test(perceptron, train_names_the_shapes_that_do_not_fit)
{
    Perceptron p = make(0, 0, 0, 0.1);
    Tensor *X = tensor_from(2, 4, 3, gates_x, NULL), *y = tensor_vector(3, NULL), *X2 = tensor_matrix(4, 2, NULL);
    Error e;
    cr_assert_not(perceptron_train(&p, X, y, 10, NULL, NULL, NULL, &e));
    cr_assert_str_eq(e.msg, "train: y has shape (3,) but X has 4 rows; give one target per row");
    cr_assert_not(perceptron_train(&p, X2, y, 10, NULL, NULL, NULL, &e));
    cr_assert_str_eq(e.msg, "train: X must be a matrix with 3 columns (one per weight), not (4, 2)");
    tensor_delete(X);
    tensor_delete(X2);
    tensor_delete(y);
    perceptron_free(&p);
}

Test(perceptron, predict_takes_one_example_or_a_batch)
{
    Perceptron p = make(1, 1, -1.5, 0.1);
    Tensor *x = tensor_from(1, 1, 3, (double[]){ 1, 1, 1 }, NULL), *X = tensor_from(2, 4, 3, gates_x, NULL);
    Tensor *one = perceptron_predict(&p, x, NULL), *all = perceptron_predict(&p, X, NULL);
    assert_tensor_near(one, 1, 1, 1, ((double[]){ 1 }), 0);
    assert_tensor_near(all, 1, 1, 4, ((double[]){ 0, 0, 0, 1 }), 0);
    tensor_delete(x);
    tensor_delete(X);
    tensor_delete(one);
    tensor_delete(all);
    perceptron_free(&p);
}

static bool keep(void *ctx, const TrainProgress *p)
{
    return train_history_add(ctx, p, NULL);
}

/* Per epoch: the mistakes made while w moved, then the accuracy of the w
 * the epoch ended with, as worked out by hand for AND from w = 0 at 0.1. */
Test(perceptron, training_reports_each_epochs_mistakes_and_accuracy)
{
    Perceptron p = make(0, 0, 0, 0.1);
    Tensor *X = tensor_from(2, 4, 3, gates_x, NULL), *y = tensor_from(1, 1, 4, (double[]){ 0, 0, 0, 1 }, NULL);
    TrainHistory h;
    train_history_init(&h);
    PerceptronReport r;
    cr_assert(perceptron_train(&p, X, y, 100, keep, &h, &r, NULL));
    cr_assert(r.converged);
    cr_assert_eq(h.n, 6);
    cr_assert_eq(h.series, TRAIN_BIT(TRAIN_MISTAKES) | TRAIN_BIT(TRAIN_ACCURACY) | TRAIN_BIT(TRAIN_LR));
    const double mistakes[6] = { 1, 3, 3, 2, 1, 0 }, accuracy[6] = { 0.25, 0.5, 0.75, 0.5, 1, 1 };
    for (size_t k = 0; k < 6; k++) {
        cr_assert_eq(h.v[TRAIN_MISTAKES][k], mistakes[k], "epoch %zu", k + 1);
        cr_assert_eq(h.v[TRAIN_ACCURACY][k], accuracy[k], "epoch %zu", k + 1);
        cr_assert_eq(h.v[TRAIN_LR][k], 0.1);
    }
    cr_assert_eq(h.steps, 24);
    cr_assert_eq(perceptron_accuracy(&p, X, y), 1);
    train_history_free(&h);
    tensor_delete(X);
    tensor_delete(y);
    perceptron_free(&p);
}
