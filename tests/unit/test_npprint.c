/* test_npprint.c - numpy's str() and repr() of arrays and scalars.
 *
 * Each expected text is what numpy 1.24 prints for the same array and
 * options (checked with /usr/bin/python3); tests/diff/npprint_cases.py
 * compares thousands of random arrays against numpy itself. */
#include "nudge/npprint.h"

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "nudge/mem.h"
#include "nudge/text.h"

static Tensor *vec(size_t n, const double *v)
{
    Tensor *t = tensor_from(1, 1, n, v, NULL);
    cr_assert_not_null(t);
    return t;
}

static Tensor *mat(size_t rows, size_t cols, const double *v)
{
    Tensor *t = tensor_from(2, rows, cols, v, NULL);
    cr_assert_not_null(t);
    return t;
}

/* Prints t (which it deletes) with str or repr and compares. */
static void assert_np(Tensor *t, Dtype dtype, const NpPrintOptions *o, bool repr, const char *want)
{
    NpPrintOptions dflt;
    npprint_options_default(&dflt);
    Text out = { 0 };
    Error e;
    error_clear(&e);
    bool ok = repr ? npprint_repr(&out, t, dtype, o ? o : &dflt, &e) : npprint_str(&out, t, dtype, o ? o : &dflt, &e);
    cr_assert(ok, "npprint failed: %s", e.msg);
    cr_assert_str_eq(out.s, want);
    text_free(&out);
    tensor_delete(t);
}

Test(npprint, floats_share_one_width_around_the_point)
{
    assert_np(vec(2, (double[]){ 1.0, 0.25 }), DTYPE_FLOAT64, NULL, false, "[1.   0.25]");
    assert_np(vec(2, (double[]){ -0.0, 1.5 }), DTYPE_FLOAT64, NULL, false, "[-0.   1.5]");
    assert_np(mat(2, 1, (double[]){ 0.758, 0.771 }), DTYPE_FLOAT64, NULL, false, "[[0.758]\n [0.771]]");
}

Test(npprint, small_and_large_together_switch_to_scientific)
{
    assert_np(vec(2, (double[]){ 1e-5, 1.0 }), DTYPE_FLOAT64, NULL, false, "[1.e-05 1.e+00]");
}

Test(npprint, nan_and_inf_take_the_same_width)
{
    assert_np(vec(3, (double[]){ NAN, 1.0, -INFINITY }), DTYPE_FLOAT64, NULL, false, "[ nan   1. -inf]");
}

Test(npprint, ints_and_bools)
{
    assert_np(mat(2, 2, (double[]){ 1, 2, 3, 4 }), DTYPE_INT64, NULL, true, "array([[1, 2],\n       [3, 4]])");
    assert_np(vec(2, (double[]){ 1, 0 }), DTYPE_BOOL, NULL, false, "[ True False]");
}

Test(npprint, empty_arrays_name_their_dtype_in_repr)
{
    Tensor *t = tensor_new(2, 0, 3, NULL);
    assert_np(t, DTYPE_FLOAT64, NULL, true, "array([], shape=(0, 3), dtype=float64)");
    assert_np(tensor_new(1, 1, 0, NULL), DTYPE_INT64, NULL, true, "array([], dtype=int64)");
    assert_np(tensor_new(1, 1, 0, NULL), DTYPE_FLOAT64, NULL, false, "[]");
}

Test(npprint, long_arrays_are_summarised_past_the_threshold)
{
    Tensor *t = tensor_new(1, 1, 1001, NULL);
    for (size_t i = 0; i < 1001; i++)
        t->data[i] = (double)i;
    assert_np(t, DTYPE_FLOAT64, NULL, false, "[   0.    1.    2. ...  998.  999. 1000.]");
}

Test(npprint, lines_wrap_at_the_width_under_the_first_element)
{
    Tensor *t = tensor_new(1, 1, 13, NULL);
    for (size_t i = 0; i < 13; i++)
        t->data[i] = (double)i / 12;
    assert_np(t, DTYPE_FLOAT64, NULL, true,
              "array([0.        , 0.08333333, 0.16666667, 0.25      , 0.33333333,\n"
              "       0.41666667, 0.5       , 0.58333333, 0.66666667, 0.75      ,\n"
              "       0.83333333, 0.91666667, 1.        ])");
}

Test(npprint, the_books_float_formatter)
{
    NpPrintOptions o;
    npprint_options_default(&o);
    strcpy(o.float_spec, " 0.3f");
    assert_np(mat(2, 2, (double[]){ 0.7581, -0.1, 1.0, 2.0 }), DTYPE_FLOAT64, &o, false,
              "[[ 0.758 -0.100]\n [ 1.000  2.000]]");
}

Test(npprint, precision_suppress_sign_and_fixed)
{
    NpPrintOptions o;
    npprint_options_default(&o);
    o.precision = 3;
    o.suppress = true;
    assert_np(vec(3, (double[]){ 1e-9, 1.23456, 1000.5 }), DTYPE_FLOAT64, &o, false, "[   0.       1.235 1000.5  ]");
    npprint_options_default(&o);
    o.sign = ' ';
    assert_np(vec(2, (double[]){ 1.5, 2.25 }), DTYPE_FLOAT64, &o, false, "[ 1.5   2.25]");
    npprint_options_default(&o);
    o.floatmode = NP_FLOATMODE_FIXED;
    o.precision = 2;
    assert_np(vec(2, (double[]){ 1.0, 0.125 }), DTYPE_FLOAT64, &o, false, "[1.00 0.12]");
}

Test(npprint, a_bad_formatter_spec_is_pythons_error)
{
    NpPrintOptions o;
    npprint_options_default(&o);
    strcpy(o.float_spec, "d");
    Tensor *t = vec(1, (double[]){ 1.5 });
    Text out = { 0 };
    Error e;
    cr_assert_not(npprint_str(&out, t, DTYPE_FLOAT64, &o, &e));
    cr_assert_str_eq(e.msg, "Unknown format code 'd' for object of type 'float'");
    text_free(&out);
    tensor_delete(t);
}

Test(npprint, scalars_print_as_python_does)
{
    Text out = { 0 };
    npprint_scalar(&out, 0.1, DTYPE_FLOAT64);
    text_puts(&out, " ");
    npprint_scalar(&out, 1e16, DTYPE_FLOAT64);
    text_puts(&out, " ");
    npprint_scalar(&out, -3, DTYPE_INT64);
    text_puts(&out, " ");
    npprint_scalar(&out, 1, DTYPE_BOOL);
    cr_assert_str_eq(out.s, "0.1 1e+16 -3 True");
    text_free(&out);
}

Test(npprint, running_out_of_memory_is_reported_never_half_written)
{
    double v[60];
    for (size_t i = 0; i < 60; i++)
        v[i] = (double)i / 7.0 - 3;
    Tensor *t = mat(6, 10, v);
    NpPrintOptions o;
    npprint_options_default(&o);
    Text want = { 0 };
    cr_assert(npprint_repr(&want, t, DTYPE_FLOAT64, &o, NULL));
    bool succeeded = false;
    for (long k = 0; k < 200 && !succeeded; k++) {
        Text out = { 0 };
        Error e;
        error_clear(&e);
        mem_fail_after(k);
        bool ok = npprint_repr(&out, t, DTYPE_FLOAT64, &o, &e);
        mem_fail_after(-1);
        if (ok) {
            cr_assert_str_eq(out.s, want.s);
            succeeded = true;
        } else {
            cr_assert_eq(e.code, ERROR_NOMEM, "after %ld allocations: %s", k, e.msg);
        }
        text_free(&out);
    }
    cr_assert(succeeded);
    text_free(&want);
    tensor_delete(t);
}

Test(npprint, a_high_precision_pads_every_element_with_its_own_digits)
{
    /* maxprec_equal makes every element as long as the longest: 0.1 and
     * 0.5 go on past their shortest digits (numpy's output). */
    NpPrintOptions o;
    npprint_options_default(&o);
    o.precision = 25;
    o.suppress = true;
    o.floatmode = NP_FLOATMODE_MAXPREC_EQUAL;
    assert_np(vec(3, (double[]){ 0.5, 1.234e-7, 0.1 }), DTYPE_FLOAT64, &o, false,
              "[0.5000000000 0.0000001234 0.1000000000]");
    o.precision = 40;
    o.suppress = false;
    assert_np(vec(3, (double[]){ 0.5, 1.234e-300, 3.0 }), DTYPE_FLOAT64, &o, false,
              "[5.000e-001 1.234e-300 3.000e+000]");
    o.precision = 60;
    o.suppress = true;
    assert_np(vec(2, (double[]){ 1e20 / 3, 1.5e-30 }), DTYPE_FLOAT64, &o, false,
              "[3.333333333333333e+19 1.500000000000000e-30]");
}
