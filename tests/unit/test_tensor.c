/* test_tensor.c - shapes, broadcasting, products and their errors. */
#include <criterion/criterion.h>
#include <string.h>

#include "assert_tensor.h"
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
    tensor_matmul_nt_into(out, a, a);   /* 1e32 + 1 + 1e32 */
    cr_assert_eq(out->data[0], (1e16 * 1e16 + 1.0) + 1e16 * 1e16);
    Tensor *at = tensor_transpose(a, NULL);
    tensor_matmul_tn_into(out, at, b);
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
    tensor_matmul_tn_into(tn, a, b);
    tensor_matmul_nt_into(nt, a, b);
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
