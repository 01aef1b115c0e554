/* test_activation.c - sigmoid, step, relu, tanh and softmax.
 *
 * Expected values come from Python with math.exp (glibc), not numpy: numpy
 * on AVX-512 machines uses its own vectorised exp, which differs in the
 * last bit. */
#include <criterion/criterion.h>

#include "assert_tensor.h"
#include "nudge/activation.h"

Test(activation, sigmoid_is_one_over_one_plus_exp_minus_z)
{
    cr_assert_eq(act_sigmoid(0), 0.5);
    cr_assert_eq(act_sigmoid(0.5), 1.0 / (1.0 + exp(-0.5)));
    cr_assert_eq(act_sigmoid(-800), 0.0);   /* exp overflows to inf: no NaN */
    cr_assert_eq(act_sigmoid(800), 1.0);
}

Test(activation, sigmoid_derivative_is_s_times_one_minus_s)
{
    double s = act_sigmoid(0.5);
    cr_assert_eq(act_dsigmoid(0.5), s * (1.0 - s));
    cr_assert_eq(act_dsigmoid(0), 0.25);
}

Test(activation, step_is_one_only_above_zero)
{
    cr_assert_eq(act_step(0.1), 1.0);
    cr_assert_eq(act_step(0.0), 0.0);
    cr_assert_eq(act_step(-0.5), 0.0);
}

Test(activation, relu_and_its_subgradient_at_zero)
{
    cr_assert_eq(act_relu(-2), 0.0);
    cr_assert_eq(act_relu(3), 3.0);
    cr_assert_eq(act_drelu(0), 0.0);
    cr_assert_eq(act_drelu(1e-9), 1.0);
}

Test(activation, tanh_derivative_is_one_minus_tanh_squared)
{
    assert_near(act_dtanh(0.3), 1 - tanh(0.3) * tanh(0.3), 0);
    cr_assert_eq(act_tanh(0), 0.0);
}

Test(activation, softmax_matches_numpy_and_sums_to_one)
{
    Tensor *z = tensor_from(1, 1, 3, (double[]){ 1, 2, 3 }, NULL);
    Tensor *p = act_softmax(z, NULL);
    assert_tensor_near(p, 1, 1, 3, ((double[]){ 0.09003057317038046, 0.24472847105479764, 0.6652409557748218 }), 0);
    assert_near(tensor_sum(p), 1.0, 1e-15);
    tensor_delete(z);
    tensor_delete(p);
}

Test(activation, softmax_of_huge_logits_is_stable)
{
    Tensor *z = tensor_from(1, 1, 3, (double[]){ 1000, 1001, 1002 }, NULL);
    Tensor *p = act_softmax(z, NULL);
    assert_tensor_near(p, 1, 1, 3, ((double[]){ 0.09003057317038046, 0.24472847105479764, 0.6652409557748218 }), 0);
    tensor_delete(z);
    tensor_delete(p);
}

Test(activation, softmax_of_a_matrix_works_row_by_row)
{
    Tensor *z = tensor_from(2, 2, 2, (double[]){ 0, 0, 5, 5 }, NULL);
    Tensor *p = act_softmax(z, NULL);
    assert_tensor_near(p, 2, 2, 2, ((double[]){ 0.5, 0.5, 0.5, 0.5 }), 0);
    tensor_delete(z);
    tensor_delete(p);
}
