/* test_numpy.c - numpy's semantics in nudge, one minimal reproducer per
 * class of disagreement the differential suite (tests/diff) found.  Every
 * expected value is numpy 1.24's, as /usr/bin/python3 printed it. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "nudge/interp.h"
#include "nudge/text.h"

static void discard(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    (void)text;
    (void)len;
}

static Interp *fresh(void)
{
    Interp *in = interp_new(discard, NULL);
    cr_assert(in);
    return in;
}

static void run(Interp *in, const char *src)
{
    Error e;
    cr_assert(interp_run(in, src, &e), "%s: %s", src, e.msg);
}

/* src must fail with a message containing want; nothing may change. */
static void refuse(Interp *in, const char *src, const char *want)
{
    Error e;
    cr_assert_not(interp_run(in, src, &e), "%s should fail", src);
    cr_assert(strstr(e.msg, want), "%s: the message \"%s\" lacks \"%s\"", src, e.msg, want);
}

static const Value *get(Interp *in, const char *name)
{
    const Value *v = interp_get(in, name);
    cr_assert(v, "no variable %s", name);
    return v;
}

static double num(Interp *in, const char *name)
{
    const Value *v = get(in, name);
    cr_assert(v->kind == VALUE_NUMBER, "%s is not a float (kind %d)", name, v->kind);
    return v->as.number;
}

static long long integer(Interp *in, const char *name)
{
    const Value *v = get(in, name);
    cr_assert(v->kind == VALUE_INT, "%s is not an int (kind %d)", name, v->kind);
    return v->as.integer;
}

/* name is an array of that shape and dtype holding n values. */
static const double *array(Interp *in, const char *name, int ndim, size_t rows, size_t cols, Dtype dt)
{
    const Value *v = get(in, name);
    cr_assert(v->kind == VALUE_TENSOR, "%s is not an array (kind %d)", name, v->kind);
    const Tensor *t = v->as.tensor;
    cr_assert(t->ndim == ndim && t->rows == rows && t->cols == cols, "%s has shape %d:%zux%zu", name, t->ndim,
              t->rows, t->cols);
    cr_assert(t->dtype == dt, "%s has dtype %d, not %d", name, t->dtype, dt);
    return t->data;
}

static void same_bits(double got, double want, const char *what)
{
    cr_assert((isnan(got) && isnan(want)) || (got == want && signbit(got) == signbit(want)),
              "%s: %.17g, numpy %.17g", what, got, want);
}

/* --- issue 14, item 1: a vector reduced along axis 0 is a number ---------------- */

Test(numpy, a_vector_summed_along_axis_0_is_a_number)
{
    Interp *in = fresh();
    run(in, "s = sum([1, 2, 3], axis=0); m = mean([1, 2, 4], axis=0)");
    cr_assert_eq(num(in, "s"), 6);
    cr_assert_eq(num(in, "m"), 7.0 / 3.0);
    run(in, "import numpy as np\nt = np.sum(np.array([1, 2, 3]), axis=0)\nk = np.sum(np.array([1, 2, 3]), axis=0, "
            "keepdims=True)\nc = np.array([[1, 2], [3, 4]]).sum(axis=0)");
    cr_assert_eq(integer(in, "t"), 6);
    cr_assert_eq(array(in, "k", 1, 1, 1, DTYPE_INT64)[0], 6);
    const double *c = array(in, "c", 1, 1, 2, DTYPE_INT64);
    cr_assert(c[0] == 4 && c[1] == 6);
    interp_delete(in);
}

/* --- item 3: argmax of NaN, relu of NaN ------------------------------------------------ */

Test(numpy, argmax_gives_the_first_nan_and_relu_keeps_it)
{
    Interp *in = fresh();
    run(in, "i = argmax([[1, nan, 3], [nan, 5, nan]], axis=1); r = relu(nan); z = relu(-0.0); p = relu(-2)");
    const double *i = array(in, "i", 1, 1, 2, DTYPE_INT64);
    cr_assert(i[0] == 1 && i[1] == 0);
    cr_assert(isnan(num(in, "r")));
    same_bits(num(in, "z"), -0.0, "relu(-0.0), as np.maximum(0, -0.0)");
    same_bits(num(in, "p"), 0.0, "relu(-2)");
    run(in, "import numpy as np\nj = np.argmin(np.array([2.0, np.nan, 1.0, np.nan]))");
    cr_assert_eq(integer(in, "j"), 1);
    interp_delete(in);
}

/* --- item 4: dot of matrices that do not line up --------------------------------------- */

Test(numpy, dot_follows_numpys_shapes)
{
    Interp *in = fresh();
    refuse(in, "d = dot([[1], [2]], [[3], [4]])", "not aligned");
    run(in, "d = dot([[1, 2]], [3, 4]); s = dot(2, [1, 2])");
    cr_assert_eq(array(in, "d", 1, 1, 1, DTYPE_FLOAT64)[0], 11);
    const double *s = array(in, "s", 1, 1, 2, DTYPE_FLOAT64);
    cr_assert(s[0] == 2 && s[1] == 4);
    interp_delete(in);
}

/* np.dot hands a one-element float operand to BLAS as a scalar: the bare
 * product for one value, 0 + s*x beyond, and zeros when s is 0. */
Test(numpy, np_dot_keeps_the_blas_scalar_quirks)
{
    Interp *in = fresh();
    run(in, "import numpy as np\na = np.dot(np.array([-0.0]), np.array([1.0]))\n"
            "b = np.dot(np.array([[0.0]]), np.array([[np.inf, np.nan]]))\n"
            "c = np.dot(np.array([[2.0]]), np.array([[-0.0, 1.0]]))\n"
            "d = np.array([-0.0, -0.0]).dot(np.array([1.0, 1.0]))");
    same_bits(num(in, "a"), -0.0, "np.dot([-0.], [1.])");
    const double *b = array(in, "b", 2, 1, 2, DTYPE_FLOAT64);
    same_bits(b[0], 0.0, "b[0]");
    same_bits(b[1], 0.0, "b[1]");
    same_bits(array(in, "c", 2, 1, 2, DTYPE_FLOAT64)[0], 0.0, "c[0]");
    same_bits(num(in, "d"), 0.0, "d");
    interp_delete(in);
}

/* --- item 5: a number has no axis 1 ------------------------------------------------------ */

Test(numpy, a_number_takes_axis_0_for_sum_and_none_for_mean)
{
    Interp *in = fresh();
    refuse(in, "x = sum(3, axis=1)", "out of bounds");
    refuse(in, "x = mean(3, axis=0)", "out of bounds");
    run(in, "x = sum(3.0, axis=0); y = argmax(3); z = softmax(3)");
    cr_assert_eq(num(in, "x"), 3);
    cr_assert_eq(integer(in, "y"), 0);
    cr_assert_eq(num(in, "z"), 1);
    interp_delete(in);
}

/* --- item 6: index assignment broadcasts or refuses ---------------------------------------- */

Test(numpy, index_assignment_broadcasts_a_row_and_refuses_a_wrong_shape)
{
    Interp *in = fresh();
    run(in, "M = [[1, 2, 3], [4, 5, 6]]; M[:, :] = [7, 8, 9]");
    const double *m = array(in, "M", 2, 2, 3, DTYPE_FLOAT64);
    cr_assert(m[0] == 7 && m[1] == 8 && m[2] == 9 && m[3] == 7 && m[4] == 8 && m[5] == 9);
    refuse(in, "M[:, :] = [[1, 2], [3, 4], [5, 6]]", "does not fit");
    cr_assert_eq(array(in, "M", 2, 2, 3, DTYPE_FLOAT64)[0], 7, "a refused assignment changed M");
    run(in, "M[:, 0] = [[5], [6]][0]");
    cr_assert_eq(array(in, "M", 2, 2, 3, DTYPE_FLOAT64)[3], 5);
    interp_delete(in);
}

Test(numpy, index_assignment_reads_lists_as_numpy_does)
{
    Interp *in = fresh();
    run(in, "import numpy as np\na = np.zeros(3)\nb = np.zeros(3, dtype=int)\nm = np.zeros((2, 2))");
    /* (each chunk imports numpy, so that a list stays a list by Python's rules) */
    refuse(in, "import numpy as np\na[1:] = [[5.0]]", "with a sequence");    /* deeper than the selection */
    run(in, "import numpy as np\na[1:] = np.array([[5.0]])");               /* an array's leading 1s go */
    cr_assert_eq(array(in, "a", 1, 1, 3, DTYPE_FLOAT64)[2], 5);
    refuse(in, "import numpy as np\nb[0] = np.nan", "NaN");
    refuse(in, "import numpy as np\nm[m == 0] = np.array([[1.0]])", "1-D");
    run(in, "import numpy as np\nm[m == 0] = [1, 2, 3, 4]\nb[:] = [1.5, -2.7, 2]");
    cr_assert_eq(array(in, "m", 2, 2, 2, DTYPE_FLOAT64)[3], 4);
    const double *b = array(in, "b", 1, 1, 3, DTYPE_INT64);
    cr_assert(b[0] == 1 && b[1] == -2 && b[2] == 2);
    run(in, "import numpy as np\nc = np.arange(6).reshape(2, 3)\nd = c[[0, 1], [2]]");
    const double *d = array(in, "d", 1, 1, 2, DTYPE_INT64);
    cr_assert(d[0] == 2 && d[1] == 5);
    interp_delete(in);
}

/* --- item 7: @ starts its sums from +0 ---------------------------------------------------- */

Test(numpy, matmul_never_gives_negative_zero)
{
    Interp *in = fresh();
    run(in, "z = [-0.0] @ [[1.0]]; r = 1 / z; w = [-0.0, -0.0] @ [1.0, 1.0]");
    same_bits(array(in, "z", 1, 1, 1, DTYPE_FLOAT64)[0], 0.0, "[-0.0] @ [[1.0]]");
    cr_assert_eq(array(in, "r", 1, 1, 1, DTYPE_FLOAT64)[0], INFINITY);
    same_bits(num(in, "w"), 0.0, "vector @ vector");
    interp_delete(in);
}

/* --- item 10: what used to be refused ------------------------------------------------------- */

Test(numpy, max_min_argmax_outer_and_axis_minus_1_compute)
{
    Interp *in = fresh();
    run(in, "M = [[1, 5, 2], [7, 0, 3]]; a = max(M, axis=0); b = min(M, axis=1); c = argmax([1, 3, 2], axis=0);"
            "d = outer(2, [1, 2]); e = sum(M, axis=-1); v = [0, 1, 2, 3, 4, 5]; f = v[0:5:2]; g = v[::-1]");
    const double *a = array(in, "a", 1, 1, 3, DTYPE_FLOAT64);
    cr_assert(a[0] == 7 && a[1] == 5 && a[2] == 3);
    const double *b = array(in, "b", 1, 1, 2, DTYPE_FLOAT64);
    cr_assert(b[0] == 1 && b[1] == 0);
    cr_assert_eq(integer(in, "c"), 1);
    const double *d = array(in, "d", 2, 1, 2, DTYPE_FLOAT64);
    cr_assert(d[0] == 2 && d[1] == 4);
    const double *e = array(in, "e", 1, 1, 2, DTYPE_FLOAT64);
    cr_assert(e[0] == 8 && e[1] == 10);
    const double *f = array(in, "f", 1, 1, 3, DTYPE_FLOAT64);
    cr_assert(f[0] == 0 && f[1] == 2 && f[2] == 4);
    cr_assert_eq(array(in, "g", 1, 1, 6, DTYPE_FLOAT64)[0], 5);
    interp_delete(in);
}

/* --- numpy's summation and max ---------------------------------------------------------------- */

Test(numpy, sums_are_numpys_pairwise_and_rows_add_in_order)
{
    Interp *in = fresh();
    run(in, "import numpy as np\na = np.sum(np.full(10, 0.1))\nb = np.sum(np.arange(1, 200) * 0.1)\n"
            "c = np.arange(1, 9) * 0.1\nM = np.vstack((c, np.ones(8))).T\n"
            "p = M.sum(axis=0)[0]\nq = M[:, :1].sum(axis=0)[0]\nm = np.mean(np.arange(1, 200) * 0.1)\n"
            "v = np.var(np.arange(1, 200) * 0.1)\ns = np.std(np.arange(1, 200) * 0.1, ddof=1)");
    cr_assert_eq(num(in, "a"), 1.0);                    /* in order: 0.9999999999999999 */
    cr_assert_eq(num(in, "b"), 1990.0);                 /* in order: 1990.0000000000002 */
    cr_assert_eq(num(in, "p"), 3.6000000000000005);     /* an (8, 2) matrix: rows in order */
    cr_assert_eq(num(in, "q"), 3.6);                    /* an (8, 1) column: pairwise */
    cr_assert_eq(num(in, "m"), 10.0);
    cr_assert_eq(num(in, "v"), 33.0);
    cr_assert_eq(num(in, "s"), 5.759050847723665);
    interp_delete(in);
}

Test(numpy, long_sums_go_in_numpys_buffers_of_8192)
{
    Interp *in = fresh();
    run(in, "import numpy as np\nnp.random.seed(3)\na = np.random.randn(100003) * 1e3\ns = np.sum(a)\n"
            "z = np.zeros(20001)\nz[-1] = -0.0\nm = np.max(z)");
    cr_assert_eq(num(in, "s"), -227786.10992122767);    /* one pairwise sum: -227786.10992122756 */
    same_bits(num(in, "m"), -0.0, "max of 20001 zeros, the last -0 (one run of lanes would keep +0)");
    interp_delete(in);
}

Test(numpy, max_keeps_the_zero_numpy_keeps)
{
    Interp *in = fresh();
    run(in, "import numpy as np\na = np.max(np.array([-0.0, 0.0]))\nb = np.max(np.array([0.0, -0.0]))\n"
            "c = np.zeros(9)\nc[2] = -0.0\nd = np.max(c)\ne = np.maximum(np.array([0.0]), np.array([-0.0]))");
    same_bits(num(in, "a"), 0.0, "max([-0., 0.])");
    same_bits(num(in, "b"), -0.0, "max([0., -0.])");
    same_bits(num(in, "d"), -0.0, "max of 9 zeros, the third -0");
    same_bits(array(in, "e", 1, 1, 1, DTYPE_FLOAT64)[0], -0.0, "maximum(0., -0.)");
    interp_delete(in);
}

/* --- dtypes -------------------------------------------------------------------------------------- */

Test(numpy, dtypes_follow_numpy)
{
    Interp *in = fresh();
    run(in, "import numpy as np\nx = np.array([[0, 1], [2, 3]])\ns = np.sum(x)\nm = np.mean(x)\nk = x.max()\n"
            "i = np.argmax(x, axis=0)\nc = x > 1\nd = x * 2 - 1\nq = x / 2\nb = np.array([True, False]).sum()\n"
            "t = np.array([True]) + np.array([True])");
    cr_assert_eq(integer(in, "s"), 6);
    cr_assert_eq(num(in, "m"), 1.5);
    cr_assert_eq(integer(in, "k"), 3);
    array(in, "i", 1, 1, 2, DTYPE_INT64);
    array(in, "c", 2, 2, 2, DTYPE_BOOL);
    array(in, "d", 2, 2, 2, DTYPE_INT64);
    array(in, "q", 2, 2, 2, DTYPE_FLOAT64);
    cr_assert_eq(integer(in, "b"), 1);
    array(in, "t", 1, 1, 1, DTYPE_BOOL);
    run(in, "z = np.array([0]) * -3\nf = z.astype(float)");
    same_bits(array(in, "f", 1, 1, 1, DTYPE_FLOAT64)[0], 0.0, "0 * -3 as an int, then a float");
    interp_delete(in);
}

Test(numpy, powers_take_numpys_shortcuts_and_np_power_does_not)
{
    Interp *in = fresh();
    run(in, "import numpy as np\na = np.array([-0.0, -np.inf]) ** 0.5\nb = np.power(np.array([-0.0]), 0.5)\n"
            "c = np.array([2]) ** 2.0\nd = np.power(-2, 0.5)");
    const double *a = array(in, "a", 1, 1, 2, DTYPE_FLOAT64);
    same_bits(a[0], -0.0, "(-0.0) ** 0.5 is sqrt(-0.0)");
    cr_assert(isnan(a[1]));
    same_bits(array(in, "b", 1, 1, 1, DTYPE_FLOAT64)[0], 0.0, "np.power(-0.0, 0.5) is pow's");
    cr_assert_eq(array(in, "c", 1, 1, 1, DTYPE_FLOAT64)[0], 4);
    cr_assert(isnan(num(in, "d")));
    interp_delete(in);
}

/* --- functions ------------------------------------------------------------------------------------- */

Test(numpy, arange_linspace_round_and_clip_give_numpys_numbers)
{
    Interp *in = fresh();
    run(in, "import numpy as np\na = np.arange(0.1, 1, 0.3)\nl = np.linspace(0, 1, 7)\n"
            "r = np.round(np.array([0.5, 1.5, 2.5, -0.5, 2.675]), 2)\nh = np.round(np.array([0.125, 0.375]), 2)\n"
            "c = np.clip(np.array([0, 2, -4]), np.nan, -4)\nw = np.where(np.array([1, 0, 3]) > 0)[0]");
    const double *a = array(in, "a", 1, 1, 3, DTYPE_FLOAT64);
    cr_assert(a[0] == 0.1 && a[1] == 0.4 && a[2] == 0.7000000000000001);
    const double *l = array(in, "l", 1, 1, 7, DTYPE_FLOAT64);
    cr_assert(l[1] == 0.16666666666666666 && l[4] == 0.6666666666666666 && l[6] == 1.0);
    const double *r = array(in, "r", 1, 1, 5, DTYPE_FLOAT64);
    cr_assert(r[2] == 2.5 && r[4] == 2.68);
    const double *h = array(in, "h", 1, 1, 2, DTYPE_FLOAT64);
    cr_assert(h[0] == 0.12 && h[1] == 0.38);
    const double *c = array(in, "c", 1, 1, 3, DTYPE_FLOAT64);   /* a NaN number bound is no bound */
    cr_assert(c[0] == -4 && c[1] == -4 && c[2] == -4);
    const double *w = array(in, "w", 1, 1, 2, DTYPE_INT64);
    cr_assert(w[0] == 0 && w[1] == 2);
    interp_delete(in);
}

Test(numpy, einsum_concatenate_and_diag)
{
    Interp *in = fresh();
    run(in, "import numpy as np\nA = np.array([[1, 2], [3, 4]])\nB = np.array([[5, 6], [7, 8]])\n"
            "p = np.einsum('ij,jk->ik', A, B)\no = np.einsum('i,j->ij', np.array([1, 2]), np.array([3, 4, 5]))\n"
            "t = np.einsum('i,i->', np.array([1.0, 2.0]), np.array([3.0, 4.0]))\nh = np.hstack((A, B))\n"
            "v = np.vstack((np.array([1, 2]), np.array([3, 4])))\nd = np.diag(A)\nD = np.diag(np.array([1, 2]), 1)");
    const double *p = array(in, "p", 2, 2, 2, DTYPE_INT64);
    cr_assert(p[0] == 19 && p[1] == 22 && p[2] == 43 && p[3] == 50);
    cr_assert_eq(array(in, "o", 2, 2, 3, DTYPE_INT64)[5], 10);
    cr_assert_eq(num(in, "t"), 11);
    cr_assert_eq(array(in, "h", 2, 2, 4, DTYPE_INT64)[2], 5);
    cr_assert_eq(array(in, "v", 2, 2, 2, DTYPE_INT64)[2], 3);
    const double *d = array(in, "d", 1, 1, 2, DTYPE_INT64);
    cr_assert(d[0] == 1 && d[1] == 4);
    const double *D = array(in, "D", 2, 3, 3, DTYPE_INT64);
    cr_assert(D[1] == 1 && D[5] == 2 && D[0] == 0);
    interp_delete(in);
}

Test(numpy, missing_names_say_they_are_not_part_of_nudge)
{
    Interp *in = fresh();
    refuse(in, "import numpy as np\nx = np.fft", "np.fft is not part of nudge");
    refuse(in, "import numpy as np\nx = np.random.gamma(2.0)", "not part of nudge");
    interp_delete(in);
}

/* --- np.random, bit for bit --------------------------------------------------------------------------- */

Test(numpy, np_random_draws_as_numpys_legacy_generator)
{
    Interp *in = fresh();
    run(in, "import numpy as np\nnp.random.seed(1)\ng = np.random.randn(5)\nnp.random.seed(1)\nh = np.random.randn()\n"
            "np.random.seed(2)\nn = np.random.normal(2, 3, 3)\nnp.random.seed(3)\nu = np.random.uniform(-1, 1, 3)\n"
            "np.random.seed(4)\nr = np.random.randint(0, 10, 5)\nnp.random.seed(5)\nw = np.random.randint(2**40)\n"
            "np.random.seed(6)\nc = np.random.choice(5, 3)\nnp.random.seed(6)\nk = np.random.choice(5, 3, replace=False)\n"
            "np.random.seed(7)\nq = np.random.choice(5, 3, p=[0.1, 0.2, 0.3, 0.4, 0.0])\n"
            "np.random.seed(8)\np = np.random.permutation(6)\nnp.random.seed(8)\ns = np.arange(6)\nnp.random.shuffle(s)\n"
            "np.random.seed(9)\nx1 = np.random.rand()\nx2 = np.random.randn()\nx3 = np.random.rand()");
    static const double g[5] = { 1.6243453636632417, -0.6117564136500754, -0.5281717522634557, -1.0729686221561705,
                                 0.8654076293246785 };
    const double *gv = array(in, "g", 1, 1, 5, DTYPE_FLOAT64);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(gv[i], g[i], "randn[%d]", i);
    cr_assert_eq(num(in, "h"), g[0], "seed forgets the waiting Gaussian");
    const double *n = array(in, "n", 1, 1, 3, DTYPE_FLOAT64);
    cr_assert(n[0] == 0.7497264577835883 && n[1] == 1.8311995183210117 && n[2] == -4.408588287005362);
    const double *u = array(in, "u", 1, 1, 3, DTYPE_FLOAT64);
    cr_assert(u[0] == 0.10159580514915101 && u[1] == 0.41629564523620965 && u[2] == -0.41819052217411135);
    static const double r[5] = { 7, 5, 1, 8, 7 };
    const double *rv = array(in, "r", 1, 1, 5, DTYPE_INT64);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(rv[i], r[i], "randint[%d]", i);
    cr_assert_eq(integer(in, "w"), 425438759118LL);
    const double *c = array(in, "c", 1, 1, 3, DTYPE_INT64);
    cr_assert(c[0] == 2 && c[1] == 1 && c[2] == 3);
    const double *k = array(in, "k", 1, 1, 3, DTYPE_INT64);
    cr_assert(k[0] == 3 && k[1] == 4 && k[2] == 0);
    const double *q = array(in, "q", 1, 1, 3, DTYPE_INT64);
    cr_assert(q[0] == 0 && q[1] == 3 && q[2] == 2);
    static const double perm[6] = { 0, 2, 5, 1, 4, 3 };
    const double *p = array(in, "p", 1, 1, 6, DTYPE_INT64), *s = array(in, "s", 1, 1, 6, DTYPE_INT64);
    for (int i = 0; i < 6; i++)
        cr_assert(p[i] == perm[i] && s[i] == perm[i], "permutation[%d]", i);
    cr_assert_eq(num(in, "x1"), 0.010374153885699955);
    cr_assert_eq(num(in, "x2"), -3.956558326293978);
    cr_assert_eq(num(in, "x3"), 0.13382952895927658);
    interp_delete(in);
}
