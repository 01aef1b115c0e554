/* test_loss.c - mean squared error and cross-entropy with their gradients. */
#include <criterion/criterion.h>

#include "assert_tensor.h"
#include "nudge/activation.h"
#include "nudge/loss.h"

Test(loss, mse_is_half_the_squared_distance)
{
    Tensor *a = tensor_from(1, 1, 2, (double[]){ 3.5, 1 }, NULL), *y = tensor_from(1, 1, 2, (double[]){ 5, 1 }, NULL);
    double c;
    cr_assert(loss_mse(a, y, &c, NULL));
    cr_assert_eq(c, 1.125);     /* chapter 3: 1/2 (3.5 - 5)^2 */
    Tensor *g = loss_mse_grad(a, y, NULL);
    assert_tensor_near(g, 1, 1, 2, ((double[]){ -1.5, 0 }), 0);
    tensor_delete(a);
    tensor_delete(y);
    tensor_delete(g);
}

Test(loss, mse_refuses_different_shapes)
{
    Tensor *a = tensor_matrix(4, 1, NULL), *y = tensor_vector(4, NULL);
    Error e;
    double c;
    cr_assert_not(loss_mse(a, y, &c, &e));
    cr_assert_str_eq(e.msg, "mse: prediction (4, 1) and target (4,) differ in shape");
    tensor_delete(a);
    tensor_delete(y);
}

Test(loss, cross_entropy_of_a_one_hot_target_is_minus_log_p)
{
    Tensor *z = tensor_from(1, 1, 3, (double[]){ 1, 2, 3 }, NULL);
    Tensor *p = act_softmax(z, NULL);
    Tensor *y = tensor_from(1, 1, 3, (double[]){ 0, 1, 0 }, NULL);
    double L;
    cr_assert(loss_cross_entropy(p, y, &L, NULL));
    cr_assert_eq(L, 1.4076059644443804);    /* -log(0.24472847105479764) */
    Tensor *g = loss_cross_entropy_grad(p, y, NULL);
    assert_tensor_near(g, 1, 1, 3, ((double[]){ 0.09003057317038046, 0.24472847105479764 - 1, 0.6652409557748218 }), 0);
    tensor_delete(z);
    tensor_delete(p);
    tensor_delete(y);
    tensor_delete(g);
}

Test(loss, cross_entropy_ignores_zero_probabilities_of_unused_classes)
{
    Tensor *p = tensor_from(1, 1, 2, (double[]){ 0, 1 }, NULL), *y = tensor_from(1, 1, 2, (double[]){ 0, 1 }, NULL);
    double L;
    cr_assert(loss_cross_entropy(p, y, &L, NULL));
    cr_assert_eq(L, 0.0);
    y->data[0] = 1;
    y->data[1] = 0;
    cr_assert(loss_cross_entropy(p, y, &L, NULL));
    cr_assert(isinf(L));
    tensor_delete(p);
    tensor_delete(y);
}

/* The softmax + cross-entropy gradient at the logits is p - y: checked
 * against central differences of the loss as a function of z. */
Test(loss, softmax_cross_entropy_gradient_is_p_minus_y)
{
    double z0[3] = { 0.3, -1.2, 2.0 }, y[3] = { 1, 0, 0 };
    Tensor *yt = tensor_from(1, 1, 3, y, NULL);
    for (int j = 0; j < 3; j++) {
        double h = 1e-6, L[2];
        for (int s = 0; s < 2; s++) {
            Tensor *z = tensor_from(1, 1, 3, z0, NULL);
            z->data[j] += s ? -h : h;
            Tensor *p = act_softmax(z, NULL);
            loss_cross_entropy(p, yt, &L[s], NULL);
            tensor_delete(z);
            tensor_delete(p);
        }
        Tensor *z = tensor_from(1, 1, 3, z0, NULL);
        Tensor *p = act_softmax(z, NULL);
        double numeric = (L[0] - L[1]) / (2 * h), analytic = p->data[j] - y[j];
        cr_assert(fabs(numeric - analytic) <= 1e-7 * fmax(1, fabs(analytic)), "z%d: %g vs %g", j, numeric, analytic);
        tensor_delete(z);
        tensor_delete(p);
    }
    tensor_delete(yt);
}
