/* test_mlp.c - the chapter-7 network, bit for bit, and its variants.
 *
 * Full-precision expectations come from the book's numpy code run with
 * dot products summed in ascending index order and glibc's exp. */
#include <criterion/criterion.h>
#include <stdio.h>

#include "assert_tensor.h"
#include "nudge/mlp.h"
#include "nudge/rng.h"

static const double book_x[12] = { 0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1 };
static const double book_y[4] = { 0, 1, 1, 0 };

typedef struct Book {
    Mlp net;
    Tensor *X, *Y;
    MlpPass pass;
} Book;

static Book book(void)
{
    Book b;
    cr_assert(mlp_init(&b.net, 3, 4, 1, 1, false, MLP_SIGMOID, NULL));
    b.X = tensor_from(2, 4, 3, book_x, NULL);
    b.Y = tensor_from(2, 4, 1, book_y, NULL);
    mlp_pass_init(&b.pass);
    return b;
}

static void book_free(Book *b)
{
    mlp_free(&b->net);
    mlp_pass_free(&b->pass);
    tensor_delete(b->X);
    tensor_delete(b->Y);
}

Test(mlp, seed_one_draws_w1_then_w2_as_numpy)
{
    Book b = book();
    assert_tensor_near(b.net.W1, 2, 3, 4, ((double[]){
        0.417022004702574, 0.7203244934421581, 0.00011437481734488664, 0.30233257263183977,
        0.14675589081711304, 0.0923385947687978, 0.1862602113776709, 0.34556072704304774,
        0.39676747423066994, 0.538816734003357, 0.4191945144032948, 0.6852195003967595 }), 0);
    assert_tensor_near(b.net.W2, 2, 4, 1, ((double[]){
        0.20445224973151743, 0.8781174363909454, 0.027387593197926163, 0.6704675101784022 }), 0);
    book_free(&b);
}

Test(mlp, output_before_training_is_the_books)
{
    Book b = book();
    cr_assert(mlp_forward(&b.net, b.X, &b.pass, NULL));
    assert_tensor_near(mlp_pass_output(&b.pass), 2, 4, 1, ((double[]){
        0.7575191805921776, 0.7710822052903523, 0.7909470926587305, 0.8011843927440397 }), 0);
    /* The book prints them to three decimals. */
    assert_tensor_near(mlp_pass_output(&b.pass), 2, 4, 1, ((double[]){ 0.758, 0.771, 0.791, 0.801 }), 5e-4);
    book_free(&b);
}

Test(mlp, first_backward_pass_gives_the_books_gradients)
{
    Book b = book();
    cr_assert(mlp_forward(&b.net, b.X, &b.pass, NULL));
    cr_assert(mlp_backward(&b.net, b.X, b.Y, &b.pass, NULL));
    assert_tensor_near(b.pass.delta, 2, 4, 1, ((double[]){
        0.7575191805921776, 0.7710822052903523 - 1, 0.7909470926587305 - 1, 0.8011843927440397 }), 0);
    assert_tensor_near(b.pass.dW[1], 2, 4, 1, ((double[]){
        0.12597888858343465, 0.13595226077659123, 0.11951037392210084, 0.13854077164933473 }), 0);
    assert_tensor_near(b.pass.dW[0], 2, 3, 4, ((double[]){
        0.0037189841609088755, 0.013077490447606099, 0.0005717696676812968, 0.009544914462606614,
        0.0033027673723340658, 0.010262546222409076, 0.0005455574236818432, 0.00887736631391584,
        0.008638328993677571, 0.03346697387777972, 0.00123103518409935, 0.025080575758153603 }), 0);
    cr_assert_eq(mlp_cost(&b.net, &b.pass, b.Y), 0.6559191074721229);
    book_free(&b);
}

static bool keep_last_a2(void *ctx, const TrainProgress *p)
{
    (void)ctx;
    (void)p;
    return true;
}

Test(mlp, a_thousand_iterations_reproduce_the_books_printed_results)
{
    Book b = book();
    /* The 1000th iteration's forward pass runs on the weights after 999
     * steps; then the 1000th step is applied. */
    MlpTrainReport r;
    cr_assert(mlp_train(&b.net, b.X, b.Y, 999, 1.0, keep_last_a2, NULL, &r, NULL));
    cr_assert_eq(r.epochs_run, 999);
    cr_assert(mlp_forward(&b.net, b.X, &b.pass, NULL));
    assert_tensor_near(mlp_pass_output(&b.pass), 2, 4, 1, ((double[]){
        0.027584569834385633, 0.9249026828973759, 0.9247200031949275, 0.09004723987502593 }), 0);
    assert_tensor_near(mlp_pass_output(&b.pass), 2, 4, 1, ((double[]){ 0.028, 0.925, 0.925, 0.090 }), 5e-4);
    cr_assert(mlp_backward(&b.net, b.X, b.Y, &b.pass, NULL));
    mlp_step(&b.net, &b.pass, 1.0);

    Tensor *x = tensor_from(1, 1, 3, (double[]){ 1, 0, 1 }, NULL);
    cr_assert(mlp_forward(&b.net, x, &b.pass, NULL));
    cr_assert_eq(mlp_pass_output(&b.pass)->data[0], 0.9247976287021183);
    tensor_delete(x);
    book_free(&b);
}

Test(mlp, train_for_a_thousand_epochs_equals_a_thousand_manual_steps)
{
    Book a = book(), b = book();
    MlpTrainReport r;
    cr_assert(mlp_train(&a.net, a.X, a.Y, 1000, 1.0, NULL, NULL, &r, NULL));
    for (int i = 0; i < 1000; i++) {
        cr_assert(mlp_forward(&b.net, b.X, &b.pass, NULL));
        cr_assert(mlp_backward(&b.net, b.X, b.Y, &b.pass, NULL));
        mlp_step(&b.net, &b.pass, 1.0);
    }
    assert_tensor_near(a.net.W1, 2, 3, 4, b.net.W1->data, 0);
    assert_tensor_near(a.net.W2, 2, 4, 1, b.net.W2->data, 0);
    cr_assert_eq(r.first_loss, 0.6559191074721229);
    /* The last epoch's cost is measured after its step, on the weights
     * training leaves. */
    cr_assert(mlp_forward(&b.net, b.X, &b.pass, NULL));
    cr_assert_eq(r.last_loss, mlp_cost(&b.net, &b.pass, b.Y));
    cr_assert_not(r.diverged);
    book_free(&a);
    book_free(&b);
}

Test(mlp, a_scalar_net_with_biases_follows_chapter_3s_deltas)
{
    /* z1 = w1 x + b1, a1 = s(z1), z2 = w2 a1 + b2, a2 = s(z2), C = (y - a2)^2 / 2 */
    Mlp net;
    cr_assert(mlp_init(&net, 1, 1, 1, 0, true, MLP_SIGMOID, NULL));
    double w1 = 0.5, b1 = 1.0, w2 = 1.5, b2 = 0.5, x = 2.0, y = 1.0;
    Tensor *t = tensor_from(2, 1, 1, &w1, NULL);
    cr_assert(mlp_set_param(&net, MLP_W1, t, NULL));
    t->data[0] = w2;
    cr_assert(mlp_set_param(&net, MLP_W2, t, NULL));
    tensor_delete(t);
    Tensor *bb = tensor_from(1, 1, 1, &b1, NULL);
    cr_assert(mlp_set_param(&net, MLP_B1, bb, NULL));
    bb->data[0] = b2;
    cr_assert(mlp_set_param(&net, MLP_B2, bb, NULL));
    tensor_delete(bb);
    Tensor *X = tensor_from(2, 1, 1, &x, NULL), *Y = tensor_from(2, 1, 1, &y, NULL);
    MlpPass p;
    mlp_pass_init(&p);
    cr_assert(mlp_forward(&net, X, &p, NULL));
    cr_assert(mlp_backward(&net, X, Y, &p, NULL));

    double z1 = w1 * x + b1, a1 = 1 / (1 + exp(-z1)), z2 = w2 * a1 + b2, a2 = 1 / (1 + exp(-z2));
    double d2 = -(y - a2) * (a2 * (1 - a2));
    double d1 = d2 * w2 * (a1 * (1 - a1));
    assert_near(mlp_pass_output(&p)->data[0], a2, 1e-15);
    assert_near(p.dW[1]->data[0], d2 * a1, 1e-15);
    assert_near(p.db[1]->data[0], d2, 1e-15);
    assert_near(p.dW[0]->data[0], d1 * x, 1e-15);
    assert_near(p.db[0]->data[0], d1, 1e-15);
    mlp_pass_free(&p);
    tensor_delete(X);
    tensor_delete(Y);
    mlp_free(&net);
}

Test(mlp, shapes_that_do_not_fit_the_net_are_named)
{
    Book b = book();
    Error e;
    Tensor *X2 = tensor_matrix(4, 2, NULL), *Yv = tensor_vector(3, NULL), *x = tensor_vector(2, NULL);
    cr_assert_not(mlp_forward(&b.net, X2, &b.pass, &e));
    cr_assert_str_eq(e.msg, "forward: X has shape (4, 2), so 2 inputs per row, but the net takes 3");
    cr_assert_not(mlp_forward(&b.net, x, &b.pass, &e));
    cr_assert_str_eq(e.msg, "forward: the input has 2 values but the net takes 3");
    cr_assert_not(mlp_train(&b.net, b.X, Yv, 10, 1, NULL, NULL, NULL, &e));
    cr_assert_str_eq(e.msg, "train: X has shape (4, 3) so y must be (4, 1), not (3,)");
    cr_assert_not(mlp_set_param(&b.net, MLP_W1, X2, &e));
    cr_assert_str_eq(e.msg, "W1: the net needs shape (3, 4), not (4, 2)");
    cr_assert_not(mlp_set_param(&b.net, MLP_B1, x, &e));
    cr_assert_str_eq(e.msg, "mlp: this net has no b1 (make it with bias=1)");
    tensor_delete(X2);
    tensor_delete(Yv);
    tensor_delete(x);
    book_free(&b);
}

Test(mlp, a_vector_of_targets_works_for_one_output)
{
    Book a = book(), b = book();
    Tensor *yv = tensor_from(1, 1, 4, book_y, NULL);
    cr_assert(mlp_train(&a.net, a.X, yv, 5, 1, NULL, NULL, NULL, NULL));
    cr_assert(mlp_train(&b.net, b.X, b.Y, 5, 1, NULL, NULL, NULL, NULL));
    assert_tensor_near(a.net.W1, 2, 3, 4, b.net.W1->data, 0);
    tensor_delete(yv);
    book_free(&a);
    book_free(&b);
}

Test(mlp, bad_sizes_and_seeds_are_refused)
{
    Mlp net;
    Error e;
    cr_assert_not(mlp_init(&net, 3, 0, 1, 1, false, MLP_SIGMOID, &e));
    cr_assert_str_eq(e.msg, "mlp: layer sizes must be positive (got 3, 0, 1)");
    cr_assert_not(mlp_init(&net, 3, 4, 1, -2, false, MLP_SIGMOID, &e));
    cr_assert_str_eq(e.msg, "mlp: seed=-2 is not a whole number from 0 to 4294967295");
    cr_assert_not(mlp_init(&net, 3, 4, 1, 1, false, MLP_SOFTMAX, &e));
    cr_assert_str_eq(e.msg, "mlp: a softmax output needs at least 2 classes, not 1");
}

Test(mlp, a_non_finite_cost_stops_training_before_any_step)
{
    Book b = book();
    b.X->data[0] = NAN;
    Tensor *before = tensor_copy(b.net.W1, NULL);
    MlpTrainReport r;
    cr_assert(mlp_train(&b.net, b.X, b.Y, 10, 1, NULL, NULL, &r, NULL));
    cr_assert(r.diverged);
    cr_assert_eq(r.epochs_run, 0);
    assert_tensor_near(b.net.W1, 2, 3, 4, before->data, 0);
    tensor_delete(before);
    book_free(&b);
}

Test(mlp, copies_are_independent)
{
    Book b = book();
    Mlp c;
    cr_assert(mlp_copy(&c, &b.net, NULL));
    c.W1->data[0] = 42;
    cr_assert_eq(b.net.W1->data[0], 0.417022004702574);
    mlp_free(&c);
    cr_assert_null(c.W1);
    book_free(&b);
}

/* --- nets of any depth ------------------------------------------------------ */

Test(mlp, a_deep_net_draws_every_layer_in_the_books_order)
{
    Mlp net;
    Rng rng, ref;
    rng_init(&rng, 1);
    rng_init(&ref, 1);
    cr_assert(mlp_create(&net, 3, (size_t[]){ 3, 4, 4, 1 }, MLP_RELU, MLP_LINEAR, true, &rng, NULL));
    cr_assert_eq(net.n_layers, 3);
    cr_assert(net.W1 == net.W[0] && net.W2 == net.W[1] && net.b1 == net.b[0] && net.b2 == net.b[1]);
    size_t shapes[3][2] = { { 3, 4 }, { 4, 4 }, { 4, 1 } };
    for (size_t k = 0; k < 3; k++) {
        cr_assert_eq(net.W[k]->rows, shapes[k][0]);
        cr_assert_eq(net.W[k]->cols, shapes[k][1]);
        for (size_t i = 0; i < tensor_size(net.W[k]); i++)
            cr_assert_eq(net.W[k]->data[i], rng_random(&ref), "W%zu[%zu]", k + 1, i);
        for (size_t i = 0; i < tensor_size(net.b[k]); i++)
            cr_assert_eq(net.b[k]->data[i], 0);
    }
    cr_assert_null(net.W[3]);
    char s[32];
    cr_assert_str_eq(mlp_shape_str(&net, s, sizeof s), "3-4-4-1");
    mlp_free(&net);
}

Test(mlp, parameters_have_one_name_each_and_the_chapter_7_four_come_first)
{
    cr_assert_str_eq(mlp_param_name(MLP_W1), "W1");
    cr_assert_str_eq(mlp_param_name(MLP_W2), "W2");
    cr_assert_str_eq(mlp_param_name(MLP_B1), "b1");
    cr_assert_str_eq(mlp_param_name(MLP_B2), "b2");
    bool seen[MLP_PARAM_END] = { 0 };
    for (size_t k = 0; k < MLP_MAX_LAYERS; k++) {
        MlpParam w = mlp_weight_param(k), b = mlp_bias_param(k);
        char want[8];
        snprintf(want, sizeof want, "W%zu", k + 1);
        cr_assert_str_eq(mlp_param_name(w), want);
        snprintf(want, sizeof want, "b%zu", k + 1);
        cr_assert_str_eq(mlp_param_name(b), want);
        cr_assert(mlp_param_is_weight(w) && !mlp_param_is_weight(b));
        cr_assert_eq(mlp_param_layer(w), k);
        cr_assert_eq(mlp_param_layer(b), k);
        cr_assert(!seen[w] && !seen[b]);
        seen[w] = seen[b] = true;
        MlpParam back;
        cr_assert(mlp_param_parse(mlp_param_name(w), &back) && back == w);
        cr_assert(mlp_param_parse(mlp_param_name(b), &back) && back == b);
    }
    MlpParam p;
    cr_assert_not(mlp_param_parse("W17", &p));
    cr_assert_not(mlp_param_parse("w1", &p));
}

Test(mlp, shapes_and_activations_that_cannot_be_made_are_refused)
{
    Mlp net;
    Rng rng;
    rng_init(&rng, 0);
    Error e;
    size_t sizes[MLP_MAX_LAYERS + 2];
    for (size_t i = 0; i < MLP_MAX_LAYERS + 2; i++)
        sizes[i] = 2;
    cr_assert_not(mlp_create(&net, 1, sizes, MLP_SIGMOID, MLP_SIGMOID, false, &rng, &e));
    cr_assert_str_eq(e.msg, "mlp: give from 3 to 17 layer sizes (inputs, hidden layers, outputs), not 2");
    cr_assert_not(mlp_create(&net, MLP_MAX_LAYERS + 1, sizes, MLP_SIGMOID, MLP_SIGMOID, false, &rng, &e));
    cr_assert_str_eq(e.msg, "mlp: give from 3 to 17 layer sizes (inputs, hidden layers, outputs), not 18");
    cr_assert(mlp_create(&net, MLP_MAX_LAYERS, sizes, MLP_TANH, MLP_SOFTMAX, true, &rng, NULL));
    mlp_free(&net);
    cr_assert_not(mlp_create(&net, 3, (size_t[]){ 2, 3, 0, 1 }, MLP_SIGMOID, MLP_SIGMOID, false, &rng, &e));
    cr_assert_str_eq(e.msg, "mlp: layer sizes must be positive (got 2, 3, 0, 1)");
    cr_assert_not(mlp_create(&net, 2, sizes, MLP_SOFTMAX, MLP_SIGMOID, false, &rng, &e));
    cr_assert_str_eq(e.msg, "mlp: a hidden layer cannot be softmax; use sigmoid, tanh, relu or linear");
    cr_assert_not(mlp_create(&net, 2, sizes, MLP_SIGMOID, MLP_RELU, false, &rng, &e));
    cr_assert_str_eq(e.msg, "mlp: the output cannot be relu; use sigmoid, softmax or linear");
    cr_assert_null(net.W[0]);
}

Test(mlp, a_deep_nets_missing_parameters_are_named)
{
    Mlp net;
    Rng rng;
    rng_init(&rng, 0);
    Error e;
    cr_assert(mlp_create(&net, 3, (size_t[]){ 2, 3, 3, 1 }, MLP_TANH, MLP_SIGMOID, false, &rng, NULL));
    Tensor *t = tensor_matrix(3, 1, NULL);
    cr_assert(mlp_set_param(&net, mlp_weight_param(2), t, NULL));
    cr_assert_not(mlp_set_param(&net, mlp_weight_param(3), t, &e));
    cr_assert_str_eq(e.msg, "mlp: this net has no W4 (it has 3 weight layers)");
    cr_assert_not(mlp_set_param(&net, mlp_bias_param(2), t, &e));
    cr_assert_str_eq(e.msg, "mlp: this net has no b3 (make it with bias=1)");
    tensor_delete(t);
    mlp_free(&net);
}

/* The language moves to Python's object model, where W = net.W1 shares
 * the array: nothing that changes weights may replace them. */
Test(mlp, weights_change_in_place_and_are_never_replaced)
{
    Book b = book();
    double *w[2] = { b.net.W[0]->data, b.net.W[1]->data };
    Tensor *W = tensor_matrix(3, 4, NULL);
    cr_assert(mlp_set_param(&b.net, MLP_W1, W, NULL));
    cr_assert_eq(b.net.W[0]->data, w[0]);
    cr_assert_eq(b.net.W[0]->data[5], 0);
    tensor_delete(W);
    const MlpOptimizer all[] = { MLP_OPT_SGD, MLP_OPT_MOMENTUM, MLP_OPT_RMSPROP, MLP_OPT_ADAM };
    for (size_t i = 0; i < 4; i++) {
        MlpOptions o;
        mlp_options_init(&o);
        o.epochs = 3;
        o.batch = 2;
        o.mean = true;
        o.optimizer = all[i];
        Rng rng;
        rng_init(&rng, 0);
        double before = b.net.W[1]->data[0];
        cr_assert(mlp_fit(&b.net, b.X, b.Y, b.X, b.Y, &o, &rng, NULL, NULL, NULL, NULL));
        cr_assert_neq(b.net.W[1]->data[0], before, "%s moved nothing", mlp_optimizer_name(all[i]));
        cr_assert(b.net.W[0]->data == w[0] && b.net.W[1]->data == w[1], "%s replaced the weights",
                  mlp_optimizer_name(all[i]));
    }
    book_free(&b);
}

Test(mlp, a_pass_keeps_its_memory_for_smaller_batches)
{
    Book b = book();
    cr_assert(mlp_forward(&b.net, b.X, &b.pass, NULL));
    double *z = b.pass.z[0]->data;
    Tensor x = *b.X;
    x.rows = 3;
    cr_assert(mlp_forward(&b.net, &x, &b.pass, NULL));
    cr_assert_eq(b.pass.z[0]->data, z);
    cr_assert_eq(mlp_pass_output(&b.pass)->rows, 3);
    /* The same numbers as the first three rows of the whole batch. */
    assert_tensor_near(mlp_pass_output(&b.pass), 2, 3, 1, ((double[]){
        0.7575191805921776, 0.7710822052903523, 0.7909470926587305 }), 0);
    book_free(&b);
}

/* Averaging divides the summed gradient by the rows: one step at lr 4 on
 * the mean cost of the four examples is one step at lr 1 on their sum. */
Test(mlp, the_mean_cost_steps_by_the_summed_gradient_over_the_rows)
{
    Book a = book(), b = book();
    MlpOptions o;
    mlp_options_init(&o);
    o.epochs = 1;
    o.lr = 4;
    o.mean = true;
    MlpTrainReport ra, rb;
    cr_assert(mlp_fit(&a.net, a.X, a.Y, NULL, NULL, &o, NULL, NULL, NULL, &ra, NULL));
    cr_assert(mlp_train(&b.net, b.X, b.Y, 1, 1, NULL, NULL, &rb, NULL));
    assert_tensor_near(a.net.W1, 2, 3, 4, b.net.W1->data, 1e-15);
    assert_tensor_near(a.net.W2, 2, 4, 1, b.net.W2->data, 1e-15);
    cr_assert_eq(ra.first_loss, 0.6559191074721229 / 4);
    assert_near(ra.last_loss, rb.last_loss / 4, 1e-16);
    book_free(&a);
    book_free(&b);
}

static bool keep_progress(void *ctx, const TrainProgress *p)
{
    TrainHistory *h = ctx;
    return train_history_add(h, p, NULL);
}

/* The hook sees, for each epoch, the cost and the accuracy of the weights
 * the epoch ended with, the lr and the steps so far. */
Test(mlp, each_epoch_reports_what_its_weights_do)
{
    Book b = book(), c = book();
    TrainHistory h;
    train_history_init(&h);
    MlpTrainReport r;
    cr_assert(mlp_train(&b.net, b.X, b.Y, 3, 1, keep_progress, &h, &r, NULL));
    cr_assert_eq(h.n, 3);
    cr_assert_eq(h.series, TRAIN_BIT(TRAIN_LOSS) | TRAIN_BIT(TRAIN_ACCURACY) | TRAIN_BIT(TRAIN_LR));
    cr_assert_eq(h.steps, 3);
    for (size_t k = 0; k < 3; k++) {
        cr_assert(mlp_forward(&c.net, c.X, &c.pass, NULL) && mlp_backward(&c.net, c.X, c.Y, &c.pass, NULL));
        mlp_step(&c.net, &c.pass, 1);
        cr_assert(mlp_forward(&c.net, c.X, &c.pass, NULL));
        cr_assert_eq(h.v[TRAIN_LOSS][k], mlp_cost(&c.net, &c.pass, c.Y));
        const Tensor *a = mlp_pass_output(&c.pass);
        double right = 0;
        for (size_t i = 0; i < 4; i++)
            right += (a->data[i] > 0.5) == (book_y[i] == 1);
        cr_assert_eq(h.v[TRAIN_ACCURACY][k], right / 4);
        cr_assert_eq(h.v[TRAIN_LR][k], 1);
    }
    cr_assert_eq(r.last_loss, h.v[TRAIN_LOSS][2]);
    train_history_free(&h);
    book_free(&b);
    book_free(&c);
}

Test(mlp, targets_are_classes_when_they_are_0_1_or_one_hot)
{
    Mlp one, three;
    cr_assert(mlp_init(&one, 2, 2, 1, 0, false, MLP_SIGMOID, NULL));
    cr_assert(mlp_init(&three, 2, 2, 3, 0, false, MLP_SOFTMAX, NULL));
    Tensor *y01 = tensor_from(1, 1, 3, (double[]){ 0, 1, 1 }, NULL);
    Tensor *yreal = tensor_from(1, 1, 3, (double[]){ 0, 0.5, 1 }, NULL);
    Tensor *hot = tensor_from(2, 2, 3, (double[]){ 0, 1, 0, 1, 0, 0 }, NULL);
    Tensor *two = tensor_from(2, 2, 3, (double[]){ 0, 1, 1, 1, 0, 0 }, NULL);
    cr_assert(mlp_targets_are_classes(&one, y01));
    cr_assert_not(mlp_targets_are_classes(&one, yreal));
    cr_assert(mlp_targets_are_classes(&three, hot));
    cr_assert_not(mlp_targets_are_classes(&three, two));
    Tensor *a1 = tensor_from(2, 3, 1, (double[]){ 0.5, 0.5000001, 0.4 }, NULL);
    cr_assert_eq(mlp_count_right(&one, a1, y01), 2);  /* 0.5 is not above 0.5: class 0 */
    Tensor *a3 = tensor_from(2, 2, 3, (double[]){ 0.2, 0.5, 0.3, 0.4, 0.4, 0.2 }, NULL);
    cr_assert_eq(mlp_count_right(&three, a3, hot), 2);  /* a tie goes to the first */
    Tensor *all[] = { y01, yreal, hot, two, a1, a3 };
    for (size_t i = 0; i < 6; i++)
        tensor_delete(all[i]);
    mlp_free(&one);
    mlp_free(&three);
}

/* A run rewound (with the weights and random state put back) repeats
 * itself bit for bit, optimiser state included: the live view's restart. */
Test(mlp, a_rewound_run_repeats_itself)
{
    Book b = book();
    Mlp start;
    cr_assert(mlp_copy(&start, &b.net, NULL));
    MlpOptions o;
    mlp_options_init(&o);
    o.batch = 3;
    o.mean = true;
    o.optimizer = MLP_OPT_ADAM;
    o.lr = 0.05;
    MlpRun run;
    cr_assert(mlp_run_init(&run, &b.net, b.X, b.Y, NULL, NULL, &o, NULL));
    Rng rng, rng0;
    rng_init(&rng, 5);
    rng0 = rng;
    MlpEpoch ep;
    for (int i = 0; i < 7; i++)
        cr_assert(mlp_run_epoch(&run, &b.net, &rng, &ep, NULL) && ep.completed);
    Mlp first;
    cr_assert(mlp_copy(&first, &b.net, NULL));
    double loss = ep.loss;
    cr_assert_eq(run.steps, 14);
    mlp_copy_weights(&b.net, &start);
    mlp_run_rewind(&run);
    rng = rng0;
    for (int i = 0; i < 7; i++)
        cr_assert(mlp_run_epoch(&run, &b.net, &rng, &ep, NULL));
    cr_assert_eq(ep.loss, loss);
    assert_tensor_near(b.net.W1, 2, 3, 4, first.W1->data, 0);
    assert_tensor_near(b.net.W2, 2, 4, 1, first.W2->data, 0);
    mlp_run_free(&run);
    mlp_free(&first);
    mlp_free(&start);
    book_free(&b);
}

Test(mlp, a_step_that_would_go_non_finite_is_not_taken)
{
    Book b = book();
    Rng init;
    rng_init(&init, 1);
    mlp_free(&b.net);
    cr_assert(mlp_create(&b.net, 2, (size_t[]){ 3, 4, 1 }, MLP_LINEAR, MLP_LINEAR, false, &init, NULL));
    MlpOptions o;
    mlp_options_init(&o);
    o.lr = 1e300;
    o.batch = 2;
    o.epochs = 50;
    Rng rng;
    rng_init(&rng, 0);
    MlpTrainReport r;
    cr_assert(mlp_fit(&b.net, b.X, b.Y, NULL, NULL, &o, &rng, NULL, NULL, &r, NULL));
    cr_assert(r.diverged);
    cr_assert_lt(r.epochs_run, 50);
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < tensor_size(b.net.W[k]); i++)
            cr_assert(isfinite(b.net.W[k]->data[i]));
    book_free(&b);
}

Test(mlp, optimiser_settings_out_of_range_are_refused)
{
    Book b = book();
    MlpOptions o;
    mlp_options_init(&o);
    Error e;
    o.momentum = 1;
    cr_assert_not(mlp_fit(&b.net, b.X, b.Y, NULL, NULL, &o, NULL, NULL, NULL, NULL, &e));
    cr_assert_str_eq(e.msg, "train: momentum=1 must be at least 0 and below 1");
    mlp_options_init(&o);
    o.eps = -1;
    cr_assert_not(mlp_fit(&b.net, b.X, b.Y, NULL, NULL, &o, NULL, NULL, NULL, NULL, &e));
    cr_assert_str_eq(e.msg, "train: eps=-1 must be a finite number, at least 0");
    mlp_options_init(&o);
    o.batch = 2;
    cr_assert_not(mlp_fit(&b.net, b.X, b.Y, NULL, NULL, &o, NULL, NULL, NULL, NULL, &e));
    cr_assert_str_eq(e.msg, "train: mini-batches need a random generator to shuffle with");
    MlpOptimizer k;
    cr_assert(mlp_optimizer_parse("rmsprop", &k) && k == MLP_OPT_RMSPROP);
    cr_assert_not(mlp_optimizer_parse("nesterov", &k));
    book_free(&b);
}
