/* test_gradcheck.c - analytic gradients against central differences. */
#include <criterion/criterion.h>
#include <math.h>

#include "assert_tensor.h"
#include "nudge/activation.h"
#include "nudge/gradcheck.h"
#include "nudge/rng.h"

static void check_net(Mlp *net, const Tensor *X, const Tensor *Y)
{
    MlpPass p;
    mlp_pass_init(&p);
    cr_assert(mlp_forward(net, X, &p, NULL));
    cr_assert(mlp_backward(net, X, Y, &p, NULL));
    for (MlpParam w = 0; w < MLP_PARAM_END; w++) {
        if (!mlp_param(net, w))
            continue;
        Tensor *num = gradcheck_mlp(net, X, Y, w, GRADCHECK_STEP, NULL);
        cr_assert_not_null(num);
        double rel = gradcheck_max_rel_error(num, mlp_pass_grad(&p, w));
        cr_assert_lt(rel, 1e-7, "%s: relative error %g", mlp_param_name(w), rel);
        tensor_delete(num);
    }
    mlp_pass_free(&p);
}

Test(gradcheck, sigmoid_net_gradients_agree_with_central_differences)
{
    Mlp net;
    cr_assert(mlp_init(&net, 3, 4, 1, 1, false, MLP_SIGMOID, NULL));
    Tensor *X = tensor_from(2, 4, 3, (double[]){ 0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1 }, NULL);
    Tensor *Y = tensor_from(2, 4, 1, (double[]){ 0, 1, 1, 0 }, NULL);
    check_net(&net, X, Y);
    mlp_free(&net);
    tensor_delete(X);
    tensor_delete(Y);
}

Test(gradcheck, softmax_net_with_biases_agrees_with_central_differences)
{
    Mlp net;
    cr_assert(mlp_init(&net, 2, 5, 3, 7, true, MLP_SOFTMAX, NULL));
    net.b1->data[0] = 0.3;  /* biases start at 0; move them off it */
    net.b2->data[2] = -0.4;
    Tensor *X = tensor_from(2, 3, 2, (double[]){ 0.5, -1, 2, 0.25, -0.75, 1.5 }, NULL);
    Tensor *Y = tensor_from(2, 3, 3, (double[]){ 1, 0, 0, 0, 0, 1, 0, 1, 0 }, NULL);
    check_net(&net, X, Y);
    mlp_free(&net);
    tensor_delete(X);
    tensor_delete(Y);
}

/* Every hidden activation under every output, three layers of weights
 * with biases, weights moved to both signs so that ReLUs are on and off. */
Test(gradcheck, deep_nets_of_every_activation_agree_with_central_differences)
{
    const MlpAct hidden[] = { MLP_SIGMOID, MLP_TANH, MLP_RELU, MLP_LINEAR };
    const MlpAct output[] = { MLP_SIGMOID, MLP_SOFTMAX, MLP_LINEAR };
    Tensor *X = tensor_from(2, 4, 3, (double[]){ 0.5, -1, 2, 0.25, -0.75, 1.5, 1, 1, -1, -0.3, 0.2, 0.9 }, NULL);
    Tensor *Y = tensor_from(2, 4, 2, (double[]){ 1, 0, 0, 1, 0, 1, 1, 0 }, NULL);
    for (size_t h = 0; h < sizeof hidden / sizeof hidden[0]; h++)
        for (size_t o = 0; o < sizeof output / sizeof output[0]; o++) {
            Mlp net;
            Rng rng;
            rng_init(&rng, (uint32_t)(10 * h + o));
            cr_assert(mlp_create(&net, 3, (size_t[]){ 3, 5, 4, 2 }, hidden[h], output[o], true, &rng, NULL));
            for (size_t k = 0; k < 3; k++) {
                for (size_t i = 0; i < tensor_size(net.W[k]); i++)
                    net.W[k]->data[i] -= 0.5;
                for (size_t i = 0; i < tensor_size(net.b[k]); i++)
                    net.b[k]->data[i] = 0.1 * (double)i - 0.15;
            }
            /* Central differences are good to about 1e-10 here (the cost is
             * about 1, h = 1e-6): an absolute bound, since some entries of
             * the gradient are as small as 1e-5. */
            MlpPass p;
            mlp_pass_init(&p);
            cr_assert(mlp_forward(&net, X, &p, NULL) && mlp_backward(&net, X, Y, &p, NULL));
            for (MlpParam w = 0; w < MLP_PARAM_END; w++) {
                if (!mlp_param(&net, w))
                    continue;
                Tensor *num = gradcheck_mlp(&net, X, Y, w, GRADCHECK_STEP, NULL);
                const Tensor *an = mlp_pass_grad(&p, w);
                for (size_t i = 0; i < tensor_size(num); i++)
                    cr_assert_leq(fabs(num->data[i] - an->data[i]), 1e-8 + 1e-6 * fabs(an->data[i]),
                                  "%s hidden, %s output, %s[%zu]: %.10g by differences, %.10g by backward",
                                  mlp_act_name(hidden[h]), mlp_act_name(output[o]), mlp_param_name(w), i,
                                  num->data[i], an->data[i]);
                tensor_delete(num);
            }
            mlp_pass_free(&p);
            mlp_free(&net);
        }
    tensor_delete(X);
    tensor_delete(Y);
}

Test(gradcheck, numgrad_leaves_the_net_unchanged)
{
    Mlp net;
    cr_assert(mlp_init(&net, 3, 4, 1, 1, false, MLP_SIGMOID, NULL));
    Tensor *before = tensor_copy(net.W1, NULL);
    Tensor *X = tensor_from(2, 1, 3, (double[]){ 1, 0, 1 }, NULL), *Y = tensor_from(2, 1, 1, (double[]){ 1 }, NULL);
    Tensor *g = gradcheck_mlp(&net, X, Y, MLP_W1, GRADCHECK_STEP, NULL);
    assert_tensor_near(net.W1, 2, 3, 4, before->data, 0);
    Error e;
    cr_assert_null(gradcheck_mlp(&net, X, Y, MLP_B1, GRADCHECK_STEP, &e));
    cr_assert_str_eq(e.msg, "numgrad: this net has no b1");
    tensor_delete(g);
    tensor_delete(before);
    tensor_delete(X);
    tensor_delete(Y);
    mlp_free(&net);
}

static Tensor *sigmoid_of(void *ctx, const Tensor *x, Error *e)
{
    (void)ctx;
    return tensor_map(x, act_sigmoid, e);
}

Test(gradcheck, the_jacobian_of_an_elementwise_sigmoid_is_diagonal)
{
    Tensor *z = tensor_from(1, 1, 3, (double[]){ -1, 0, 2 }, NULL);
    Tensor *J = gradcheck_jacobian(sigmoid_of, NULL, z, GRADCHECK_STEP, NULL);
    cr_assert_eq(J->rows, 3);
    cr_assert_eq(J->cols, 3);
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 3; j++) {
            double want = i == j ? act_dsigmoid(z->data[i]) : 0.0;
            assert_near(tensor_at(J, i, j), want, 1e-9);
        }
    tensor_delete(z);
    tensor_delete(J);
}

static Tensor *matvec(void *ctx, const Tensor *x, Error *e)
{
    return tensor_matmul(ctx, x, e);
}

Test(gradcheck, the_jacobian_of_a_linear_map_is_its_matrix)
{
    Tensor *A = tensor_from(2, 2, 3, (double[]){ 1, 2, 3, -4, 0.5, 6 }, NULL);
    Tensor *x = tensor_from(1, 1, 3, (double[]){ 0.1, 0.2, 0.3 }, NULL);
    Tensor *J = gradcheck_jacobian(matvec, A, x, GRADCHECK_STEP, NULL);
    assert_tensor_near(J, 2, 2, 3, A->data, 1e-9);
    tensor_delete(A);
    tensor_delete(x);
    tensor_delete(J);
}

static bool sum_of_squares(void *ctx, const Tensor *x, double *out, Error *e)
{
    (void)ctx;
    (void)e;
    *out = tensor_norm(x) * tensor_norm(x);
    return true;
}

Test(gradcheck, the_gradient_of_a_squared_norm_is_twice_x)
{
    Tensor *x = tensor_from(2, 2, 2, (double[]){ 1, -2, 0.5, 3 }, NULL);
    Tensor *g = gradcheck_gradient(sum_of_squares, NULL, x, GRADCHECK_STEP, NULL);
    assert_tensor_near(g, 2, 2, 2, ((double[]){ 2, -4, 1, 6 }), 1e-8);
    tensor_delete(x);
    tensor_delete(g);
}
