/* test_mlp.c - the chapter-7 network, bit for bit, and its variants.
 *
 * Full-precision expectations come from the book's numpy code run with
 * dot products summed in ascending index order and glibc's exp. */
#include <criterion/criterion.h>

#include "assert_tensor.h"
#include "nudge/mlp.h"

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
