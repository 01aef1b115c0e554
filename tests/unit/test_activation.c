/* test_activation.c - sigmoid, step, relu, tanh and softmax.
 *
 * Expected values come from Python with math.exp (glibc), not numpy: numpy
 * on AVX-512 machines uses its own vectorised exp, which differs in the
 * last bit. */
#include <criterion/criterion.h>
#include <float.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* --- exp, the sigmoid and tanh over arrays: glibc's bits ------------------- */

static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Raw bit patterns, uniform over [-746, 710], and magnitudes 2^-60 .. 2^10. */
static double any_input(uint64_t *s)
{
    uint64_t r = mix(s), u = mix(s);
    double d;
    switch (r & 3) {
    case 0:
        memcpy(&d, &u, sizeof d);
        return d;
    case 1:
        return (r & 4 ? -1.0 : 1.0) * exp2(ldexp((double)(u >> 11), -53) * 70.0 - 60.0);
    default:
        return -746.0 + ldexp((double)(u >> 11), -53) * 1456.0;
    }
}

static bool same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* n inputs with the kernel isa, in runs of every length up to 40, a third
 * of them in place; every result must be what glibc gives. */
static void check_kernel(TensorIsa isa, bool sigmoid, const double *x, size_t n)
{
    double y[64], buf[64];
    size_t i = 0;
    for (size_t len = 1; i < n; len = len % 40 + 1) {
        size_t m = n - i < len ? n - i : len;
        double *out = y;
        if (len % 3 == 0) {
            memcpy(buf, x + i, m * sizeof *buf);
            out = buf;
        }
        cr_assert(act_exp_kernel(out, out == buf ? buf : x + i, m, sigmoid, isa));
        for (size_t j = 0; j < m; j++) {
            double v = x[i + j], want = sigmoid ? 1.0 / (1.0 + exp(-v)) : exp(v);
            cr_assert(same_bits(out[j], want), "%s %s(%a) is %a, glibc gives %a", tensor_isa_name(isa),
                      sigmoid ? "sigmoid" : "exp", v, out[j], want);
        }
        i += m;
    }
}

Test(activation, every_exp_kernel_gives_glibcs_bits_on_a_million_inputs_and_the_special_values)
{
    enum { N = 1000000 };
    double *x = malloc(N * sizeof *x);
    cr_assert_not_null(x);
    uint64_t s = 1;
    for (size_t i = 0; i < N; i++)
        x[i] = any_input(&s);
    static const double special[] = { 0.0, -0.0, INFINITY, -INFINITY, NAN, -NAN, DBL_MIN, -DBL_MIN,
                                      DBL_TRUE_MIN, -DBL_TRUE_MIN, DBL_MAX, -DBL_MAX, 0x1p-54, -0x1p-54,
                                      0x1.fffffffffffffp-55, 512.0, -512.0, 0x1.fffffffffffffp8, 1024.0,
                                      709.782712893384, 709.7827128933841, -708.3964185322641,
                                      -745.1332191019411, -745.1332191019412, -746.0, 1.0, -1.0 };
    size_t ns = sizeof special / sizeof special[0];
    static const TensorIsa isas[] = { TENSOR_ISA_PORTABLE, TENSOR_ISA_AVX2, TENSOR_ISA_AVX512, TENSOR_ISA_AUTO };
    int vector_kernels = 0;
    for (size_t v = 0; v < sizeof isas / sizeof isas[0]; v++) {
        if (!act_exp_kernel_available(isas[v]))
            continue;
        vector_kernels += isas[v] == TENSOR_ISA_AVX2 || isas[v] == TENSOR_ISA_AVX512;
        check_kernel(isas[v], false, special, ns);
        check_kernel(isas[v], true, special, ns);
        check_kernel(isas[v], false, x, N);
        check_kernel(isas[v], true, x, N / 5);
    }
    cr_log_info("%d vector exp kernels checked", vector_kernels);
    free(x);
}

Test(activation, the_array_forms_equal_the_scalar_functions)
{
    double z[37], y[37];
    uint64_t s = 9;
    for (size_t i = 0; i < 37; i++)
        z[i] = any_input(&s) / 1e3;
    act_sigmoid_values(y, z, 37);
    for (size_t i = 0; i < 37; i++)
        cr_assert(same_bits(y[i], act_sigmoid(z[i])), "sigmoid(%a)", z[i]);
    act_tanh_values(y, z, 37);
    for (size_t i = 0; i < 37; i++)
        cr_assert(same_bits(y[i], act_tanh(z[i])), "tanh(%a)", z[i]);
    act_exp_values(y, z, 37);
    for (size_t i = 0; i < 37; i++)
        cr_assert(same_bits(y[i], exp(z[i])), "exp(%a)", z[i]);
}

Test(activation, softmax_of_many_rows_is_exp_and_division_row_by_row)
{
    enum { R = 53, C = 11 };
    Tensor *z = tensor_matrix(R, C, NULL);
    uint64_t s = 5;
    for (size_t i = 0; i < R * C; i++)
        z->data[i] = (double)(int64_t)(mix(&s) % 4000) / 97.0 - 20.0;
    Tensor *p = act_softmax(z, NULL);
    cr_assert_not_null(p);
    for (size_t r = 0; r < R; r++) {
        double max = -INFINITY, e[C], sum = 0.0;
        for (size_t c = 0; c < C; c++)
            max = fmax(max, z->data[r * C + c]);
        for (size_t c = 0; c < C; c++) {
            e[c] = exp(z->data[r * C + c] - max);
            sum += e[c];
        }
        for (size_t c = 0; c < C; c++)
            cr_assert(same_bits(p->data[r * C + c], e[c] / sum), "row %zu column %zu", r, c);
    }
    tensor_delete(z);
    tensor_delete(p);
}
