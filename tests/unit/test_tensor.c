/* test_tensor.c - shapes, broadcasting, products and their errors. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "assert_tensor.h"
#include "nudge/interrupt.h"
#include "nudge/mem.h"
#include "nudge/tensor.h"

static Tensor *vec(size_t n, const double *v)
{
    return tensor_from(1, 1, n, v, NULL);
}

static Tensor *mat(size_t r, size_t c, const double *v)
{
    return tensor_from(2, r, c, v, NULL);
}

Test(tensor, dot_of_two_vectors_sums_the_products)
{
    Tensor *a = vec(3, (double[]){ 3, -1, 2 }), *b = vec(3, (double[]){ 1, 4, 0.5 });
    double d;
    cr_assert(tensor_dot(a, b, &d, NULL));
    cr_assert_eq(d, 3 - 4 + 1);
    tensor_delete(a);
    tensor_delete(b);
}

Test(tensor, dot_of_different_lengths_names_both_lengths)
{
    Tensor *a = vec(3, (double[]){ 1, 2, 3 }), *b = vec(2, (double[]){ 1, 2 });
    Error e;
    double d = 42;
    cr_assert_not(tensor_dot(a, b, &d, &e));
    cr_assert_str_eq(e.msg, "dot: vectors have different lengths (3 and 2)");
    cr_assert_eq(e.code, ERROR_SHAPE);
    cr_assert_eq(d, 42);
    tensor_delete(a);
    tensor_delete(b);
}

Test(tensor, the_geometric_dot_product_agrees_with_the_algebraic_one)
{
    Tensor *a = vec(2, (double[]){ 3, 0 }), *b = vec(2, (double[]){ 2, 2 });
    double d, deg;
    cr_assert(tensor_dot(a, b, &d, NULL));
    cr_assert(tensor_angle(a, b, &deg, NULL));
    assert_near(deg, 45.0, 1e-12);
    assert_near(tensor_norm(a) * tensor_norm(b) * cos(deg * 3.14159265358979323846 / 180), d, 1e-12);
    tensor_delete(a);
    tensor_delete(b);
}

Test(tensor, perpendicular_vectors_have_a_zero_dot_and_a_right_angle)
{
    Tensor *a = vec(2, (double[]){ 1, 2 }), *b = vec(2, (double[]){ -2, 1 });
    double d, deg;
    cr_assert(tensor_dot(a, b, &d, NULL));
    cr_assert_eq(d, 0);
    cr_assert(tensor_angle(a, b, &deg, NULL));
    assert_near(deg, 90.0, 1e-12);
    tensor_delete(a);
    tensor_delete(b);
}

Test(tensor, angle_of_a_zero_vector_is_an_error)
{
    Tensor *a = vec(2, (double[]){ 0, 0 }), *b = vec(2, (double[]){ 1, 1 }), *c = vec(3, (double[]){ 1, 1, 1 });
    Error e;
    double deg;
    cr_assert_not(tensor_angle(a, b, &deg, &e));
    cr_assert_str_eq(e.msg, "angle: the first vector is zero, so it has no direction");
    cr_assert_not(tensor_angle(b, c, &deg, &e));
    cr_assert_str_eq(e.msg, "angle: vectors have different lengths (2 and 3)");
    tensor_delete(a);
    tensor_delete(b);
    tensor_delete(c);
}

Test(tensor, norm_of_3_4_is_5)
{
    Tensor *a = vec(2, (double[]){ 3, 4 });
    cr_assert_eq(tensor_norm(a), 5.0);
    tensor_delete(a);
}

Test(tensor, adding_a_vector_to_a_matrix_adds_it_to_each_row)
{
    Tensor *m = mat(2, 3, (double[]){ 1, 2, 3, 4, 5, 6 }), *v = vec(3, (double[]){ 10, 20, 30 });
    Tensor *s = tensor_add(m, v, NULL);
    assert_tensor_near(s, 2, 2, 3, ((double[]){ 11, 22, 33, 14, 25, 36 }), 0);
    Tensor *s2 = tensor_add(v, m, NULL);
    assert_tensor_near(s2, 2, 2, 3, ((double[]){ 11, 22, 33, 14, 25, 36 }), 0);
    tensor_delete(m);
    tensor_delete(v);
    tensor_delete(s);
    tensor_delete(s2);
}

Test(tensor, a_column_broadcasts_across_each_column)
{
    Tensor *m = mat(2, 3, (double[]){ 1, 2, 3, 4, 5, 6 }), *c = mat(2, 1, (double[]){ 10, 100 });
    Tensor *p = tensor_mul(m, c, NULL);
    assert_tensor_near(p, 2, 2, 3, ((double[]){ 10, 20, 30, 400, 500, 600 }), 0);
    tensor_delete(m);
    tensor_delete(c);
    tensor_delete(p);
}

Test(tensor, a_column_and_a_row_broadcast_to_a_table)
{
    Tensor *c = mat(2, 1, (double[]){ 1, 2 }), *r = vec(3, (double[]){ 10, 20, 30 });
    Tensor *s = tensor_add(c, r, NULL);
    assert_tensor_near(s, 2, 2, 3, ((double[]){ 11, 21, 31, 12, 22, 32 }), 0);
    tensor_delete(c);
    tensor_delete(r);
    tensor_delete(s);
}

Test(tensor, shapes_that_do_not_broadcast_give_numpys_spelling_of_both)
{
    Tensor *a = mat(2, 3, (double[6]){ 0 }), *b = vec(2, (double[2]){ 0 });
    Error e;
    cr_assert_null(tensor_sub(a, b, &e));
    cr_assert_str_eq(e.msg, "-: shapes (2, 3) and (2,) do not broadcast");
    tensor_delete(a);
    tensor_delete(b);
}

Test(tensor, scalar_ops_keep_the_side_of_the_scalar)
{
    Tensor *v = vec(2, (double[]){ 2, 4 });
    Tensor *a = tensor_scalar(v, 1, pow, true, NULL);      /* 1 ** v */
    Tensor *b = tensor_scalar(v, 2, pow, false, NULL);     /* v ** 2 */
    assert_tensor_near(a, 1, 1, 2, ((double[]){ 1, 1 }), 0);
    assert_tensor_near(b, 1, 1, 2, ((double[]){ 4, 16 }), 0);
    tensor_delete(v);
    tensor_delete(a);
    tensor_delete(b);
}

Test(tensor, matmul_of_matrices_follows_rows_times_columns)
{
    Tensor *a = mat(2, 3, (double[]){ 1, 2, 3, 4, 5, 6 }), *b = mat(3, 2, (double[]){ 7, 8, 9, 10, 11, 12 });
    Tensor *p = tensor_matmul(a, b, NULL);
    assert_tensor_near(p, 2, 2, 2, ((double[]){ 58, 64, 139, 154 }), 0);
    tensor_delete(a);
    tensor_delete(b);
    tensor_delete(p);
}

Test(tensor, matmul_with_a_vector_drops_the_vectors_axis_as_numpy)
{
    Tensor *m = mat(2, 3, (double[]){ 1, 2, 3, 4, 5, 6 });
    Tensor *v3 = vec(3, (double[]){ 1, 0, -1 }), *v2 = vec(2, (double[]){ 1, 1 });
    Tensor *mv = tensor_matmul(m, v3, NULL), *vm = tensor_matmul(v2, m, NULL);
    assert_tensor_near(mv, 1, 1, 2, ((double[]){ -2, -2 }), 0);
    assert_tensor_near(vm, 1, 1, 3, ((double[]){ 5, 7, 9 }), 0);
    Error e;
    cr_assert_null(tensor_matmul(m, v2, &e));
    cr_assert_str_eq(e.msg, "@: shapes (2, 3) and (2,) do not fit (3 columns against 2 rows)");
    tensor_delete(m);
    tensor_delete(v3);
    tensor_delete(v2);
    tensor_delete(mv);
    tensor_delete(vm);
}

Test(tensor, matmul_sums_in_ascending_index_order)
{
    /* 1e16 + 1 - 1e16 is 0 left to right but 1 in other orders. */
    Tensor *a = mat(1, 3, (double[]){ 1e16, 1, -1e16 }), *b = mat(3, 1, (double[]){ 1, 1, 1 });
    Tensor *p = tensor_matmul(a, b, NULL);
    cr_assert_eq(p->data[0], 0.0);
    Tensor *out = tensor_matrix(1, 1, NULL);
    tensor_matmul_nt_into(out, a, a, NULL);   /* 1e32 + 1 + 1e32 */
    cr_assert_eq(out->data[0], (1e16 * 1e16 + 1.0) + 1e16 * 1e16);
    Tensor *at = tensor_transpose(a, NULL);
    tensor_matmul_tn_into(out, at, b, NULL);
    cr_assert_eq(out->data[0], 0.0);
    tensor_delete(a);
    tensor_delete(b);
    tensor_delete(p);
    tensor_delete(out);
    tensor_delete(at);
}

Test(tensor, transposed_products_equal_products_of_transposes)
{
    Tensor *a = mat(3, 2, (double[]){ 1, 2, 3, 4, 5, 6 }), *b = mat(3, 2, (double[]){ -1, 0.5, 2, 1, 0, 3 });
    Tensor *at = tensor_transpose(a, NULL), *bt = tensor_transpose(b, NULL);
    Tensor *tn = tensor_matrix(2, 2, NULL), *nt = tensor_matrix(3, 3, NULL);
    tensor_matmul_tn_into(tn, a, b, NULL);
    tensor_matmul_nt_into(nt, a, b, NULL);
    Tensor *tn2 = tensor_matmul(at, b, NULL), *nt2 = tensor_matmul(a, bt, NULL);
    assert_tensor_near(tn, 2, 2, 2, tn2->data, 0);
    assert_tensor_near(nt, 2, 3, 3, nt2->data, 0);
    Tensor *objs[] = { a, b, at, bt, tn, nt, tn2, nt2 };
    for (size_t i = 0; i < 8; i++)
        tensor_delete(objs[i]);
}

Test(tensor, transpose_swaps_rows_and_columns_and_leaves_vectors)
{
    Tensor *m = mat(2, 3, (double[]){ 1, 2, 3, 4, 5, 6 }), *v = vec(2, (double[]){ 1, 2 });
    Tensor *mt = tensor_transpose(m, NULL), *vt = tensor_transpose(v, NULL);
    assert_tensor_near(mt, 2, 3, 2, ((double[]){ 1, 4, 2, 5, 3, 6 }), 0);
    assert_tensor_near(vt, 1, 1, 2, ((double[]){ 1, 2 }), 0);
    tensor_delete(m);
    tensor_delete(v);
    tensor_delete(mt);
    tensor_delete(vt);
}

/* The transpose goes in 32 x 32 tiles: shapes that are not multiples of
 * the tile, and thin ones, must come out whole. */
Test(tensor, transpose_in_tiles_moves_every_value_of_any_shape)
{
    static const size_t shapes[][2] = { { 1, 1 }, { 1, 100 }, { 100, 1 }, { 31, 33 }, { 32, 32 }, { 70, 45 },
                                        { 3, 1000 } };
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        size_t r = shapes[k][0], c = shapes[k][1];
        Tensor *t = tensor_matrix(r, c, NULL);
        for (size_t i = 0; i < r * c; i++)
            t->data[i] = (double)i;
        Tensor *u = tensor_transpose(t, NULL);
        cr_assert_eq(u->rows, c);
        cr_assert_eq(u->cols, r);
        for (size_t i = 0; i < r; i++)
            for (size_t j = 0; j < c; j++)
                cr_assert_eq(u->data[j * r + i], (double)(i * c + j), "%zu x %zu at %zu,%zu", r, c, i, j);
        tensor_delete(t);
        tensor_delete(u);
    }
}

/* A pass over more than one block of 2^16 values takes a pending Ctrl-C
 * and fails "interrupted"; a smaller one completes, so that a small step
 * never fails for an interrupt meant for something else. */
Test(tensor, element_wise_passes_over_a_large_array_take_ctrl_c)
{
    Tensor *big = tensor_matrix(512, 512, NULL), *small = tensor_matrix(100, 100, NULL);
    cr_assert(big && small);
    interrupt_request();
    Error e;
    cr_assert_null(tensor_scalar(big, 1, tensor_op_add, false, &e));
    cr_assert_eq(e.code, ERROR_INTERRUPT);
    cr_assert_null(tensor_add(big, big, &e));
    cr_assert_eq(e.code, ERROR_INTERRUPT);
    cr_assert_null(tensor_map(big, exp, &e));
    cr_assert_eq(e.code, ERROR_INTERRUPT);
    cr_assert_null(tensor_transpose(big, &e));
    cr_assert_eq(e.code, ERROR_INTERRUPT);
    Tensor *row = tensor_matrix(1, 512, NULL);
    cr_assert_null(tensor_add(big, row, &e), "a broadcast pass polls too");
    Tensor *ok[] = { tensor_scalar(small, 1, tensor_op_add, false, &e), tensor_add(small, small, &e),
                     tensor_map(small, exp, &e), tensor_transpose(small, &e) };
    for (size_t i = 0; i < 4; i++) {
        cr_assert_not_null(ok[i], "pass %zu on 10^4 values failed: %s", i, e.msg);
        tensor_delete(ok[i]);
    }
    interrupt_clear();
    Tensor *done = tensor_transpose(big, &e);
    cr_assert_not_null(done);
    tensor_delete(done);
    tensor_delete(row);
    tensor_delete(big);
    tensor_delete(small);
}

Test(tensor, outer_product_of_a_column_and_a_row)
{
    Tensor *a = vec(2, (double[]){ 1, 2 }), *b = vec(3, (double[]){ 3, 4, 5 });
    Tensor *o = tensor_outer(a, b, NULL);
    assert_tensor_near(o, 2, 2, 3, ((double[]){ 3, 4, 5, 6, 8, 10 }), 0);
    tensor_delete(a);
    tensor_delete(b);
    tensor_delete(o);
}

Test(tensor, sum_mean_and_argmax)
{
    Tensor *m = mat(2, 2, (double[]){ 1, 7, 7, -3 });
    cr_assert_eq(tensor_sum(m), 12);
    cr_assert_eq(tensor_mean(m), 3);
    cr_assert_eq(tensor_argmax(m), 1);
    Tensor *s0 = tensor_sum_axis(m, 0, NULL), *s1 = tensor_sum_axis(m, 1, NULL);
    assert_tensor_near(s0, 1, 1, 2, ((double[]){ 8, 4 }), 0);
    assert_tensor_near(s1, 1, 1, 2, ((double[]){ 8, 4 }), 0);
    Error e;
    cr_assert_null(tensor_sum_axis(m, 2, &e));
    cr_assert_str_eq(e.msg, "sum: axis must be 0 or 1, not 2");
    tensor_delete(m);
    tensor_delete(s0);
    tensor_delete(s1);
}

Test(tensor, zeros_ones_and_eye)
{
    Tensor *z = tensor_zeros(1, 2, NULL), *o = tensor_ones(2, 1, NULL), *i = tensor_eye(2, NULL);
    assert_tensor_near(z, 2, 1, 2, ((double[]){ 0, 0 }), 0);
    assert_tensor_near(o, 2, 2, 1, ((double[]){ 1, 1 }), 0);
    assert_tensor_near(i, 2, 2, 2, ((double[]){ 1, 0, 0, 1 }), 0);
    tensor_delete(z);
    tensor_delete(o);
    tensor_delete(i);
}

Test(tensor, a_tensor_past_the_size_limit_is_refused)
{
    Error e;
    cr_assert_null(tensor_matrix(1 << 13, (1 << 11) + 1, &e));
    cr_assert_eq(e.code, ERROR_LIMIT);
    cr_assert_str_eq(e.msg, "tensor: 8192 x 2049 is too large (at most 16777216 elements)");
    cr_assert_null(tensor_matrix((size_t)1 << 40, (size_t)1 << 40, &e));
    Tensor *t = tensor_matrix(1 << 12, 1 << 12, &e);   /* exactly at the limit */
    cr_assert_not_null(t);
    tensor_delete(t);
}

Test(tensor, failed_allocation_is_an_error_not_a_crash)
{
    Error e;
    mem_fail_after(0);
    Tensor *t = tensor_vector(3, &e);    /* header and data are one allocation */
    mem_fail_after(-1);
    cr_assert_null(t);
    cr_assert_eq(e.code, ERROR_NOMEM);
    cr_assert_str_eq(e.msg, "out of memory");
}

Test(tensor, shape_strings_use_numpys_spelling)
{
    char buf[32];
    Tensor *v = tensor_vector(3, NULL), *m = tensor_matrix(4, 1, NULL);
    cr_assert_str_eq(tensor_shape_str(v, buf, sizeof buf), "(3,)");
    cr_assert_str_eq(tensor_shape_str(m, buf, sizeof buf), "(4, 1)");
    tensor_delete(v);
    tensor_delete(m);
}

Test(tensor, chapter_3_worked_example_in_scalars)
{
    /* f(x, w1) = x w1 + b1, g(z, w2) = z w2 + b2, L = g(f(x, w1), w2). */
    double x = 2.0, b1 = 1.0, b2 = 0.5, w1 = 0.5, w2 = 1.5;
    double z = x * w1 + b1, L = z * w2 + b2;
    cr_assert_eq(z, 2.0);
    cr_assert_eq(L, 3.5);
    cr_assert_eq(0.5 * (L - 5.0) * (L - 5.0), 1.125);
    double dL_dw1 = w2 * x, dL_dw2 = z;
    cr_assert_eq(dL_dw1, 3.0);
    cr_assert_eq(dL_dw2, 2.0);
    /* alpha = 0.2, stepping L up toward the target. */
    double w1b = w1 + 0.2 * dL_dw1, w2b = w2 + 0.2 * dL_dw2;
    assert_near(w1b, 1.1, 1e-15);
    assert_near(w2b, 1.9, 1e-15);
    double zb = x * w1b + b1, Lb = zb * w2b + b2;
    assert_near(zb, 3.2, 1e-15);
    assert_near(Lb, 6.58, 1e-14);
    assert_near(Lb - 5.0, 1.58, 1e-14);
    /* alpha = 0.1 lands close. */
    double w1c = w1 + 0.1 * dL_dw1, w2c = w2 + 0.1 * dL_dw2;
    assert_near(w1c, 0.8, 1e-15);
    assert_near(w2c, 1.7, 1e-15);
    assert_near(x * w1c + b1, 2.6, 1e-15);
    assert_near((x * w1c + b1) * w2c + b2, 4.92, 1e-14);
}

Test(tensor, a_recycled_tensor_starts_zeroed_with_its_new_shape)
{
    Error e = {0};
    Tensor *a = tensor_from(2, 2, 3, (const double[]){1, 2, 3, 4, 5, 6}, &e);
    cr_assert_not_null(a);
    a->dtype = DTYPE_INT64;
    tensor_delete(a);
    /* Same element count, other shape: the block comes back from the list. */
    Tensor *b = tensor_new(1, 1, 6, &e);
    cr_assert_not_null(b);
    cr_expect_eq(b->ndim, 1);
    cr_expect_eq(b->rows, 1);
    cr_expect_eq(b->cols, 6);
    cr_expect_eq(b->dtype, DTYPE_FLOAT64);
    cr_expect_eq(b->refs, 1);
    for (size_t i = 0; i < 6; i++)
        cr_expect_eq(b->data[i], 0.0, "element %zu is %g", i, b->data[i]);
    tensor_delete(b);
    tensor_recycle_trim();
}

Test(tensor, a_recycled_tensor_still_fails_when_allocation_is_made_to_fail)
{
    Error e = {0};
    tensor_delete(tensor_new(1, 1, 4, &e));
    mem_fail_after(0);
    Tensor *t = tensor_new(1, 1, 4, &e);
    mem_fail_after(-1);
    cr_expect_null(t);
    cr_expect_eq(e.code, ERROR_NOMEM);
    tensor_delete(t);
    tensor_recycle_trim();
}

/* --- every kernel, every thread count, the same bits ------------------------ */

/* A value of random sign and magnitude (2^-30 to 2^30), sometimes an exact
 * zero of either sign: sums of such terms round differently in any other
 * order, and with fused multiply-adds, so equal bits mean the same order. */
static double rand_value(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    uint64_t r = *s;
    if (r % 29 == 0)
        return r & 64 ? -0.0 : 0.0;
    double mant = (double)(r >> 11) / 9007199254740992.0 + 0.5;
    int ex = (int)((r >> 3) % 61) - 30;
    return ldexp(r & 1 ? -mant : mant, ex);
}

static Tensor *rand_matrix(size_t r, size_t c, uint64_t *s)
{
    Tensor *t = tensor_matrix(r, c, NULL);
    cr_assert_not_null(t);
    for (size_t i = 0; i < r * c; i++)
        t->data[i] = rand_value(s);
    return t;
}

/* The reference: each element 0.0 + the terms in ascending p, one line of
 * plain C per element. */
static double ref_element(const Tensor *a, const Tensor *b, TensorProduct kind, size_t i, size_t j)
{
    size_t k = kind == TENSOR_PRODUCT_ATB ? a->rows : a->cols;
    double s = 0.0;
    for (size_t p = 0; p < k; p++) {
        double x = kind == TENSOR_PRODUCT_ATB ? a->data[p * a->cols + i] : a->data[i * a->cols + p];
        double y = kind == TENSOR_PRODUCT_ABT ? b->data[j * b->cols + p] : b->data[p * b->cols + j];
        double t = x * y;
        s = s + t;
    }
    return s;
}

static const char *kind_name(TensorProduct kind)
{
    return kind == TENSOR_PRODUCT_AB ? "a @ b" : kind == TENSOR_PRODUCT_ATB ? "a.T @ b" : "a @ b.T";
}

/* Checks one product of an m x k by k x n shape with every kernel and
 * thread count against the reference, bit for bit. */
static void check_product_shape(size_t m, size_t k, size_t n, TensorProduct kind, uint64_t *s)
{
    Tensor *a = kind == TENSOR_PRODUCT_ATB ? rand_matrix(k, m, s) : rand_matrix(m, k, s);
    Tensor *b = kind == TENSOR_PRODUCT_ABT ? rand_matrix(n, k, s) : rand_matrix(k, n, s);
    Tensor *out = tensor_matrix(m, n, NULL);
    double *want = malloc((m * n > 0 ? m * n : 1) * sizeof *want);
    cr_assert(out && want);
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++)
            want[i * n + j] = ref_element(a, b, kind, i, j);
    static const TensorIsa isas[] = { TENSOR_ISA_PORTABLE, TENSOR_ISA_AVX2, TENSOR_ISA_AVX512, TENSOR_ISA_AUTO };
    for (size_t v = 0; v < sizeof isas / sizeof isas[0]; v++) {
        if (!tensor_isa_available(isas[v]))
            continue;
        for (int threads = 1; threads <= 2; threads++) {
            for (size_t i = 0; i < m * n; i++)
                out->data[i] = 12345.0;     /* nothing may be left over */
            Error e;
            cr_assert(tensor_product_into(out, a, b, kind, isas[v], threads, &e), "%s", e.msg);
            for (size_t i = 0; i < m * n; i++)
                cr_assert(memcmp(&out->data[i], &want[i], sizeof(double)) == 0,
                          "%s, %zu x %zu x %zu, %s kernel, %d thread(s): element (%zu, %zu) is %a, want %a",
                          kind_name(kind), m, k, n, tensor_isa_name(isas[v]), threads, i / n, i % n,
                          out->data[i], want[i]);
        }
    }
    free(want);
    tensor_delete(a);
    tensor_delete(b);
    tensor_delete(out);
}

Test(tensor, every_kernel_gives_the_reference_bits_at_the_edge_sizes)
{
    /* Around every vector width (2, 4, 8), strip (6, 12, 32 columns), tile
     * (1 to 8 rows), block of terms (128) and panel (32 terms, 64 columns). */
    static const size_t sizes[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 31, 32, 33, 64, 65 };
    static const size_t ks[] = { 0, 1, 2, 31, 32, 33, 127, 128, 129, 257 };
    uint64_t s = 0x9e3779b97f4a7c15u;
    size_t ns = sizeof sizes / sizeof sizes[0], nk = sizeof ks / sizeof ks[0];
    for (int kind = TENSOR_PRODUCT_AB; kind <= TENSOR_PRODUCT_ABT; kind++)
        for (size_t x = 0; x < ns; x++)
            for (size_t y = 0; y < ns; y++)
                check_product_shape(sizes[x], ks[(x + 3 * y) % nk], sizes[y], (TensorProduct)kind, &s);
}

Test(tensor, every_kernel_gives_the_reference_bits_on_random_shapes)
{
    uint64_t s = 42;
    for (int t = 0; t < 120; t++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        size_t m = 1 + s % 70, k = 1 + (s >> 8) % 300, n = 1 + (s >> 20) % 70;
        check_product_shape(m, k, n, (TensorProduct)(t % 3), &s);
    }
}

Test(tensor, a_product_large_enough_for_two_threads_gives_the_same_bits)
{
    uint64_t s = 7;
    check_product_shape(301, 140, 77, TENSOR_PRODUCT_AB, &s);
    check_product_shape(77, 301, 40, TENSOR_PRODUCT_ATB, &s);
    check_product_shape(140, 45, 130, TENSOR_PRODUCT_ABT, &s);
}

Test(tensor, a_sum_of_negative_zeros_is_positive_zero_as_in_numpy)
{
    /* numpy: np.array([-0.0]) @ np.array([[1.0]]) is array([0.]) */
    Tensor *v = vec(1, (double[]){ -0.0 }), *one = mat(1, 1, (double[]){ 1.0 });
    Tensor *negs = mat(2, 2, (double[]){ -0.0, 0.0, -0.0, -0.0 });
    Tensor *p = tensor_matmul(v, one, NULL);
    cr_assert_not_null(p);
    cr_assert_not(signbit(p->data[0]), "[-0.0] @ [[1.0]] is %g", p->data[0]);
    Tensor *q = tensor_matmul(negs, negs, NULL);     /* -0*-0 + ... and -0*0 + -0*-0 */
    Tensor *out = tensor_matrix(2, 2, NULL);
    for (size_t i = 0; i < 4; i++)
        cr_assert_not(signbit(q->data[i]), "element %zu is -0", i);
    cr_assert(tensor_matmul_tn_into(out, negs, negs, NULL));
    for (size_t i = 0; i < 4; i++)
        cr_assert_not(signbit(out->data[i]), "a.T @ b element %zu is -0", i);
    cr_assert(tensor_matmul_nt_into(out, negs, negs, NULL));
    for (size_t i = 0; i < 4; i++)
        cr_assert_not(signbit(out->data[i]), "a @ b.T element %zu is -0", i);
    double d;
    Tensor *z = vec(2, (double[]){ -0.0, -0.0 }), *o = vec(2, (double[]){ 1.0, 1.0 });
    cr_assert(tensor_dot(z, o, &d, NULL));
    cr_assert_not(signbit(d), "dot is -0");
    Tensor *objs[] = { v, one, negs, p, q, out, z, o };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++)
        tensor_delete(objs[i]);
}

Test(tensor, an_unavailable_kernel_is_an_error_not_a_crash)
{
    Tensor *a = mat(1, 1, (double[]){ 2 }), *out = tensor_matrix(1, 1, NULL);
    for (TensorIsa isa = TENSOR_ISA_PORTABLE; isa <= TENSOR_ISA_AVX512; isa++) {
        Error e;
        bool ok = tensor_product_into(out, a, a, TENSOR_PRODUCT_AB, isa, 1, &e);
        cr_assert_eq(ok, tensor_isa_available(isa));
        if (!ok)
            cr_assert(strstr(e.msg, "cannot run the"), "%s", e.msg);
        else
            cr_assert_eq(out->data[0], 4.0);
    }
    tensor_delete(a);
    tensor_delete(out);
}

Test(tensor, column_sums_and_row_adds_go_in_ascending_rows_for_any_width)
{
    /* 1e16 + 1 - 1e16 is 0 in ascending order, 1 in others; a column of -0
     * sums to +0 from the +0.0 start. */
    for (size_t cols = 1; cols <= 5; cols++) {
        double g[3 * 5], out[5], z[3 * 5], row[5];
        for (size_t c = 0; c < cols; c++) {
            g[c] = c == 0 ? -0.0 : 1e16;
            g[cols + c] = c == 0 ? -0.0 : 1.0;
            g[2 * cols + c] = c == 0 ? -0.0 : -1e16;
            row[c] = (double)c + 0.5;
        }
        values_column_sums(out, g, 3, cols);
        cr_assert_not(signbit(out[0]), "a column of -0 sums to -0 (%zu columns)", cols);
        for (size_t c = 1; c < cols; c++)
            cr_assert_eq(out[c], 0.0, "column %zu of %zu sums to %g", c, cols, out[c]);
        memcpy(z, g, sizeof z);
        values_add_row(z, 3, cols, row);
        for (size_t i = 0; i < 3 * cols; i++)
            cr_assert_eq(z[i], g[i] + row[i % cols]);
    }
}

Test(tensor, all_finite_finds_one_nan_or_infinity_anywhere)
{
    cr_assert(tensor_all_finite(NULL));
    Tensor *t = tensor_zeros(3, 4, NULL);
    cr_assert(tensor_all_finite(t));
    t->data[11] = INFINITY;
    cr_assert_not(tensor_all_finite(t));
    t->data[11] = 0.0;
    t->data[0] = NAN;
    cr_assert_not(tensor_all_finite(t));
    tensor_delete(t);
}
