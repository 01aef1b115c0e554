/* test_format.c - the format module: numbers and tensors as text. */
#include "nudge/format.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nudge/mem.h"
#include "nudge/tensor.h"

/* --- helpers ------------------------------------------------------------ */

#define assert_short(x, expected) assert_number((x), FORMAT_SHORT, (expected))
#define assert_long(x, expected) assert_number((x), FORMAT_LONG, (expected))

static void assert_number(double x, FormatMode mode, const char *expected)
{
    char buf[FORMAT_NUMBER_MAX];
    cr_assert_str_eq(format_number(x, mode, buf, sizeof buf), expected, "format_number(%.17g)",
                     x);
}

static void assert_repr(double x, const char *expected)
{
    char buf[FORMAT_NUMBER_MAX];
    cr_assert_str_eq(format_repr(x, buf, sizeof buf), expected, "format_repr(%.17g)", x);
}

static void assert_inline_number(double x, FormatMode mode, const char *expected)
{
    char buf[FORMAT_NUMBER_MAX];
    cr_assert_str_eq(format_inline_number(x, mode, buf, sizeof buf), expected,
                     "format_inline_number(%.17g)", x);
}

static Tensor *vec(size_t n, const double *values)
{
    Tensor *t = tensor_from(1, 1, n, values, NULL);
    cr_assert_not_null(t);
    return t;
}

static Tensor *mat(size_t rows, size_t cols, const double *values)
{
    Tensor *t = tensor_from(2, rows, cols, values, NULL);
    cr_assert_not_null(t);
    return t;
}

/* Formats t (which it deletes) and compares the whole display. */
static void assert_display(Tensor *t, FormatMode mode, int width, const char *expected)
{
    Error e;
    error_clear(&e);
    char *s = format_tensor(t, mode, width, &e);
    cr_assert_not_null(s, "format_tensor failed: %s", e.msg);
    cr_assert_str_eq(s, expected);
    mem_free(s);
    tensor_delete(t);
}

static void assert_inline(Tensor *t, FormatMode mode, const char *expected)
{
    Error e;
    error_clear(&e);
    char *s = format_inline(t, mode, &e);
    cr_assert_not_null(s, "format_inline failed: %s", e.msg);
    cr_assert_str_eq(s, expected);
    mem_free(s);
    tensor_delete(t);
}

/* 64-bit LCG (Knuth's MMIX constants); the top bits are the good ones. */
static uint64_t lcg_next(uint64_t *state)
{
    *state = *state * 6364136223846793005u + 1442695040888963407u;
    return *state;
}

static uint64_t bits_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static double double_of(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* Checks that s reads back as exactly x and that no string with one
 * significant digit fewer would. */
static void assert_repr_round_trips(double x)
{
    char buf[FORMAT_NUMBER_MAX];
    const char *s = format_repr(x, buf, sizeof buf);
    char *end;
    double back = strtod(s, &end);
    cr_assert_eq(*end, '\0', "format_repr(%a) = \"%s\" has trailing junk", x, s);
    cr_assert_eq(bits_of(back), bits_of(x), "format_repr(%a) = \"%s\" reads back as %a", x, s,
                 back);

    /* Significant digits: leading and trailing zeros do not count. */
    int digits = 0, last_nonzero = 0;
    for (const char *p = s; *p && *p != 'e'; p++) {
        if (*p < '0' || *p > '9' || (digits == 0 && *p == '0'))
            continue;
        digits++;
        if (*p != '0')
            last_nonzero = digits;
    }
    digits = last_nonzero;
    if (digits > 1) {
        char shorter[64];
        snprintf(shorter, sizeof shorter, "%.*e", digits - 2, x);
        cr_assert_neq(strtod(shorter, NULL), x, "format_repr(%a) = \"%s\" is not shortest", x,
                      s);
    }
}

/* --- format short: scalars ------------------------------------------------ */

Test(format, short_prints_nan_and_infinities_as_words)
{
    assert_short(NAN, "NaN");
    assert_short(INFINITY, "Inf");
    assert_short(-INFINITY, "-Inf");
}

Test(format, short_prints_integers_without_decimals)
{
    assert_short(3, "3");
    assert_short(-1, "-1");
    assert_short(0, "0");
    assert_short(100000, "100000");
    assert_short(1234567, "1234567");
}

Test(format, short_prints_integers_of_eight_digits_or_more_in_e_notation)
{
    /* Octave: ld 8 + rd 0 > 1.5 * precision */
    assert_short(12345678, "1.2346e+07");
    assert_short(9999999999.0, "1.0000e+10");
    assert_short(-9999999999.0, "-1.0000e+10");
}

Test(format, short_prints_negative_zero_as_zero)
{
    assert_short(-0.0, "0");
}

Test(format, short_prints_integers_from_1e10_in_e_notation)
{
    assert_short(1e10, "1.0000e+10");
    assert_short(-1e12, "-1.0000e+12");
    assert_short(1e300, "1.0000e+300");
}

Test(format, short_gives_four_decimals_between_a_tenth_and_ten)
{
    assert_short(0.9247976, "0.9248");
    assert_short(-0.9247976, "-0.9248");
    assert_short(0.5, "0.5000");
    assert_short(3.5, "3.5000");
    assert_short(-3.5, "-3.5000");
    assert_short(6.58, "6.5800");
    assert_short(1.125, "1.1250");
}

Test(format, short_keeps_five_significant_digits_above_ten)
{
    assert_short(12.5, "12.500");
    assert_short(123.456, "123.46");
    assert_short(-123.456, "-123.46");
    assert_short(1234.5678, "1234.6");
    /* five integer digits leave none for decimals: Octave's rd is then the
     * whole precision, and ld 5 + rd 5 is too long for fixed */
    assert_short(12345.6, "1.2346e+04");
    assert_short(-12345.6, "-1.2346e+04");
}

Test(format, short_keeps_five_digits_after_the_zeros_below_a_tenth)
{
    assert_short(0.012345, "0.012345");
    assert_short(-0.012345, "-0.012345");
    assert_short(0.05, "0.050000");
}

Test(format, short_switches_to_e_notation_when_fixed_would_be_too_long)
{
    assert_short(0.0012345678, "1.2346e-03");
    assert_short(-0.0012345678, "-1.2346e-03");
    assert_short(0.001, "1.0000e-03");
}

Test(format, short_uses_e_notation_outside_the_fixed_range)
{
    assert_short(1e-06, "1.0000e-06");
    assert_short(-2.5e-7, "-2.5000e-07");
    assert_short(123456.7, "1.2346e+05");
    assert_short(100000.5, "1.0000e+05");
    assert_short(-123456.7, "-1.2346e+05");
    assert_short(5e-324, "4.9407e-324");
}

Test(format, short_counts_digits_before_rounding_as_octave_does)
{
    /* The digits come from log10 of the value, not of what is printed:
     * 9.99996 keeps four decimals and shows as 10.0000, 0.0999999 keeps
     * six.  Octave 7 prints the same. */
    assert_short(9.99996, "10.0000");
    assert_short(0.0999999, "0.100000");
}

/* --- format short against Octave 7 ----------------------------------------- */

static double hex_double(const char *h)
{
    return double_of(strtoull(h, NULL, 16));
}

/* Whether Octave 7, which tests a matrix's integers in single precision,
 * would take these values for integers where nudge does not (a documented
 * difference: nudge tests in double precision). */
static bool octave_float_int_differs(const double *v, size_t n)
{
    bool dbl = true, flt = true;
    for (size_t i = 0; i < n; i++) {
        float f = (float)v[i];
        dbl = dbl && (isnan(v[i]) || floor(v[i] + 0.5) == v[i]);
        flt = flt && (isnan(f) || floorf(f + 0.5f) == f);
    }
    return dbl != flt;
}

/* tests/fixtures/octave_short.txt holds Octave 7.3's own `format short`
 * text for 2500 scalars and 2500 small matrices (made once by
 * octave_short.py); every one must match, except a matrix that Octave's
 * single-precision integer test takes for integers (documented in
 * format.h). */
Test(format, short_matches_octave_7_on_the_fixture)
{
    const char *path = NUDGE_SOURCE_DIR "/tests/fixtures/octave_short.txt";
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    char line[4096];
    int scalars = 0, matrices = 0, differ = 0, documented = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == 'S') {
            double x = hex_double(line + 2);
            char want[256], got[FORMAT_NUMBER_MAX];
            cr_assert_not_null(fgets(want, sizeof want, f));
            want[strcspn(want, "\n")] = '\0';
            format_number(x, FORMAT_SHORT, got, sizeof got);
            scalars++;
            if (strcmp(got, want) != 0 && differ++ < 10)
                cr_log_error("scalar %.17g: Octave \"%s\", nudge \"%s\"", x, want, got);
        } else if (line[0] == 'M') {
            size_t rows, cols;
            int used;
            cr_assert_eq(sscanf(line + 2, "%zu %zu %n", &rows, &cols, &used), 2);
            double v[64];
            const char *p = line + 2 + used;
            for (size_t i = 0; i < rows * cols; i++) {
                v[i] = double_of(strtoull(p, (char **)&p, 16));
                if (*p == ',')
                    p++;
            }
            char want[4096] = "";
            for (size_t r = 0; r < rows; r++) {
                char row[512];
                cr_assert_not_null(fgets(row, sizeof row, f));
                strcat(want, row);
            }
            matrices++;
            Tensor *t = mat(rows, cols, v);
            char *got = format_tensor(t, FORMAT_SHORT, 0, NULL);
            cr_assert_not_null(got);
            if (strcmp(got, want) != 0) {
                if (octave_float_int_differs(v, rows * cols))
                    documented++;
                else if (differ++ < 10)
                    cr_log_error("matrix %s\nOctave:\n%snudge:\n%s", line, want, got);
            }
            mem_free(got);
            tensor_delete(t);
        }
    }
    fclose(f);
    cr_log_info("format short vs Octave 7: %d scalars, %d matrices, %d differ, %d differ only "
                "by Octave's single-precision integer test", scalars, matrices, differ, documented);
    cr_assert_eq(scalars, 2500);
    cr_assert_eq(matrices, 2500);
    cr_assert_eq(differ, 0, "%d of %d cases differ from Octave", differ, scalars + matrices);
}

/* --- format_repr and format long ---------------------------------------- */

Test(format, repr_matches_python_for_everyday_numbers)
{
    assert_repr(1.1, "1.1");
    assert_repr(0.1, "0.1");
    assert_repr(-2.5, "-2.5");
    assert_repr(0.9247976287021183, "0.9247976287021183");
    assert_repr(0.1 + 0.2, "0.30000000000000004");
    assert_repr(123.456, "123.456");
    assert_repr(1234.5, "1234.5");
    assert_repr(2.0 / 3.0, "0.6666666666666666");
}

Test(format, repr_is_the_shortest_even_below_a_power_of_two)
{
    /* 2^-24 is exactly 5.9604644775390625e-08; 16 digits read back, and
     * of the two 16-digit candidates only the upper one lies inside the
     * narrower gap below a power of two. */
    assert_repr(ldexp(1, -24), "5.960464477539063e-08");
    assert_repr(ldexp(1, -1022), "2.2250738585072014e-308");
    assert_repr(9007199254740993.0, "9007199254740992");
}

Test(format, repr_prints_integers_without_point_zero)
{
    assert_repr(3, "3");
    assert_repr(-1, "-1");
    assert_repr(0, "0");
    assert_repr(100, "100");
    assert_repr(1e15, "1000000000000000");
    assert_repr(9007199254740992.0, "9007199254740992");
}

Test(format, repr_keeps_the_sign_of_negative_zero_so_it_reads_back)
{
    assert_repr(-0.0, "-0");
}

Test(format, repr_switches_to_e_notation_like_python)
{
    assert_repr(0.0001, "0.0001");
    assert_repr(0.00012345, "0.00012345");
    assert_repr(1e-05, "1e-05");
    assert_repr(-1.5e-05, "-1.5e-05");
    assert_repr(1e16, "1e+16");
    assert_repr(1.5e20, "1.5e+20");
    assert_repr(1e100, "1e+100");
    assert_repr(5e-324, "5e-324");
    assert_repr(1.7976931348623157e308, "1.7976931348623157e+308");
    assert_repr(2.2250738585072014e-308, "2.2250738585072014e-308");
}

Test(format, repr_spells_nan_and_infinities_as_short_does)
{
    assert_repr(NAN, "NaN");
    assert_repr(INFINITY, "Inf");
    assert_repr(-INFINITY, "-Inf");
}

Test(format, repr_reads_back_bit_exact_for_random_doubles)
{
    uint64_t state = 20240601u;
    for (int i = 0; i < 4000; i++) {
        /* Half random bit patterns (every exponent), half values of the
         * size training produces. */
        uint64_t u = lcg_next(&state);
        double x;
        if (i % 2 == 0) {
            x = double_of(u);
            if (!isfinite(x))
                continue;
        } else {
            double unit = (double)(u >> 11) / 9007199254740992.0;
            x = (unit - 0.5) * pow(10.0, (double)(int)(lcg_next(&state) >> 60) - 6);
        }
        assert_repr_round_trips(x);
    }
    assert_repr_round_trips(-0.0);
    assert_repr_round_trips(5e-324);
    assert_repr_round_trips(1.7976931348623157e308);
}

Test(format, long_prints_every_number_as_repr)
{
    assert_long(3, "3");
    assert_long(1.1, "1.1");
    assert_long(0.9247976287021183, "0.9247976287021183");
    assert_long(1e-05, "1e-05");
    assert_long(1e16, "1e+16");
    assert_long(NAN, "NaN");
    assert_long(INFINITY, "Inf");
    assert_long(-INFINITY, "-Inf");
}

Test(format, number_truncates_safely_in_a_small_buffer)
{
    char buf[4];
    cr_assert_str_eq(format_number(0.9247976, FORMAT_SHORT, buf, sizeof buf), "0.9");
    cr_assert_str_eq(format_repr(1234.5, buf, sizeof buf), "123");
}

/* --- inline numbers --------------------------------------------------------- */

Test(format, inline_number_strips_trailing_zeros_from_four_decimals)
{
    assert_inline_number(0.5, FORMAT_SHORT, "0.5");
    assert_inline_number(1.5, FORMAT_SHORT, "1.5");
    assert_inline_number(0.9247976, FORMAT_SHORT, "0.9248");
    assert_inline_number(-0.0001, FORMAT_SHORT, "-0.0001");
    assert_inline_number(-2.25, FORMAT_SHORT, "-2.25");
    assert_inline_number(2.99999, FORMAT_SHORT, "3");
}

Test(format, inline_number_prints_integers_bare)
{
    assert_inline_number(3, FORMAT_SHORT, "3");
    assert_inline_number(-7, FORMAT_SHORT, "-7");
    assert_inline_number(-0.0, FORMAT_SHORT, "0");
    assert_inline_number(250000, FORMAT_SHORT, "250000");
}

Test(format, inline_number_uses_stripped_e_notation_for_very_large_or_small)
{
    assert_inline_number(123456.7, FORMAT_SHORT, "1.2346e+05");
    assert_inline_number(-123456.7, FORMAT_SHORT, "-1.2346e+05");
    assert_inline_number(1e-05, FORMAT_SHORT, "1e-05");
    assert_inline_number(-1.5e-05, FORMAT_SHORT, "-1.5e-05");
    assert_inline_number(1e10, FORMAT_SHORT, "1e+10");
}

Test(format, inline_number_spells_nan_and_infinities)
{
    assert_inline_number(NAN, FORMAT_SHORT, "NaN");
    assert_inline_number(INFINITY, FORMAT_SHORT, "Inf");
    assert_inline_number(-INFINITY, FORMAT_SHORT, "-Inf");
}

Test(format, inline_number_in_long_mode_is_repr)
{
    assert_inline_number(0.9247976287021183, FORMAT_LONG, "0.9247976287021183");
    assert_inline_number(3, FORMAT_LONG, "3");
    assert_inline_number(1e-05, FORMAT_LONG, "1e-05");
}

/* --- inline tensors --------------------------------------------------------- */

Test(format, inline_writes_a_vector_as_a_list)
{
    assert_inline(vec(3, (double[]){1.5, 1.5, 1}), FORMAT_SHORT, "[1.5, 1.5, 1]");
}

Test(format, inline_writes_a_matrix_as_nested_lists)
{
    assert_inline(mat(2, 2, (double[]){0, 1, 1, 0}), FORMAT_SHORT, "[[0, 1], [1, 0]]");
    assert_inline(mat(2, 1, (double[]){0.25, -3}), FORMAT_SHORT, "[[0.25], [-3]]");
}

Test(format, inline_in_long_mode_uses_repr)
{
    assert_inline(vec(3, (double[]){0.1 + 0.2, 3, NAN}), FORMAT_LONG,
                  "[0.30000000000000004, 3, NaN]");
}

Test(format, inline_writes_empty_tensors_as_empty_lists)
{
    assert_inline(vec(0, NULL), FORMAT_SHORT, "[]");
    assert_inline(mat(0, 3, NULL), FORMAT_SHORT, "[]");
    assert_inline(mat(2, 0, NULL), FORMAT_SHORT, "[[], []]");
}

/* --- tensor display, format short --------------------------------------- */

Test(format, integer_vector_gets_a_sign_slot_and_two_spaces)
{
    assert_display(vec(3, (double[]){3, -1, 2}), FORMAT_SHORT, 0, "   3  -1   2\n");
}

Test(format, integer_matrix_prints_one_line_per_row)
{
    assert_display(mat(2, 3, (double[]){0, 0, 1, 0, 1, 1}), FORMAT_SHORT, 0,
                   "   0   0   1\n"
                   "   0   1   1\n");
}

Test(format, integer_field_fits_the_longest_number)
{
    assert_display(vec(3, (double[]){10, -200, 3}), FORMAT_SHORT, 0, "    10  -200     3\n");
    assert_display(vec(2, (double[]){-0.0, 1}), FORMAT_SHORT, 0, "   0   1\n");
}

Test(format, fractions_share_five_significant_digits)
{
    assert_display(vec(2, (double[]){0.758, 0.771}), FORMAT_SHORT, 0, "   0.7580   0.7710\n");
    assert_display(vec(2, (double[]){-0.5, 0.25}), FORMAT_SHORT, 0, "  -0.5000   0.2500\n");
}

Test(format, integer_digits_come_from_the_largest_and_decimals_from_both_ends)
{
    assert_display(vec(2, (double[]){1.5, 123.25}), FORMAT_SHORT, 0,
                   "     1.5000   123.2500\n");
    assert_display(vec(2, (double[]){0.012345, 1}), FORMAT_SHORT, 0,
                   "   0.012345   1.000000\n");
    assert_display(vec(2, (double[]){12345.6, 2}), FORMAT_SHORT, 0,
                   "   1.2346e+04   2.0000e+00\n");
}

Test(format, exact_zeros_in_a_fraction_matrix_print_as_0_like_octave)
{
    assert_display(vec(3, (double[]){-0.0, 0.5, 0.0}), FORMAT_SHORT, 0, "        0   0.5000        0\n");
    assert_display(vec(2, (double[]){0.0, 1e-7}), FORMAT_SHORT, 0, "            0   1.0000e-07\n");
}

Test(format, column_matrix_prints_one_element_per_line)
{
    assert_display(mat(3, 1, (double[]){1.5, 2, -3}), FORMAT_SHORT, 0,
                   "   1.5000\n"
                   "   2.0000\n"
                   "  -3.0000\n");
}

Test(format, large_values_switch_the_whole_tensor_to_e_notation)
{
    assert_display(vec(2, (double[]){123456.7, 1.5}), FORMAT_SHORT, 0,
                   "   1.2346e+05   1.5000e+00\n");
}

Test(format, too_many_digits_switch_the_whole_tensor_to_e_notation)
{
    /* ld 5 + rd 9 > 12 */
    assert_display(vec(2, (double[]){12345.6, 0.00001234}), FORMAT_SHORT, 0,
                   "   1.2346e+04   1.2340e-05\n");
    assert_display(vec(2, (double[]){-12345.6, 0.00001234}), FORMAT_SHORT, 0,
                   "  -1.2346e+04   1.2340e-05\n");
}

Test(format, fractions_needing_more_than_ten_decimals_use_e_notation)
{
    assert_display(vec(2, (double[]){1e-7, 0.5}), FORMAT_SHORT, 0,
                   "   1.0000e-07   5.0000e-01\n");
    assert_display(vec(2, (double[]){1e-300, INFINITY}), FORMAT_SHORT, 0,
                   "   1.0000e-300           Inf\n");
}

Test(format, nan_and_inf_align_in_a_fraction_field)
{
    assert_display(vec(3, (double[]){1.5, NAN, -INFINITY}), FORMAT_SHORT, 0,
                   "   1.5000      NaN     -Inf\n");
}

Test(format, nan_widens_an_integer_field)
{
    assert_display(vec(3, (double[]){1, NAN, 3}), FORMAT_SHORT, 0, "     1   NaN     3\n");
    assert_display(vec(2, (double[]){INFINITY, -INFINITY}), FORMAT_SHORT, 0,
                   "   Inf  -Inf\n");
}

Test(format, rounding_up_overflows_the_field_as_in_octave)
{
    /* The field comes from the digits before rounding; 10.0000 fills the
     * sign slot and a negative one pushes its row out, as Octave does. */
    assert_display(vec(2, (double[]){9.99996, 0.5}), FORMAT_SHORT, 0,
                   "  10.0000   0.5000\n");
    assert_display(vec(2, (double[]){-9.99996, 1}), FORMAT_SHORT, 0,
                   "  -10.0000   1.0000\n");
}

Test(format, empty_tensor_prints_its_shape_octave_style)
{
    assert_display(mat(0, 3, NULL), FORMAT_SHORT, 0, "[](0x3)\n");
    assert_display(mat(2, 0, NULL), FORMAT_LONG, 0, "[](2x0)\n");
    assert_display(vec(0, NULL), FORMAT_SHORT, 80, "[](1x0)\n");
}

/* --- tensor display, format long ------------------------------------------ */

Test(format, long_aligns_repr_in_the_widest_element)
{
    assert_display(vec(3, (double[]){1.5, -2, 0.1}), FORMAT_LONG, 0, "  1.5   -2  0.1\n");
    assert_display(mat(2, 2, (double[]){0.1 + 0.2, 1, NAN, -INFINITY}), FORMAT_LONG, 0,
                   "  0.30000000000000004                    1\n"
                   "                  NaN                 -Inf\n");
}

/* --- splitting wide rows ------------------------------------------------- */

static Tensor *counting_vector(size_t n)
{
    double v[32];
    for (size_t i = 0; i < n; i++)
        v[i] = (double)(i + 1);
    return vec(n, v);
}

Test(format, wide_vector_splits_into_column_chunks_at_width_40)
{
    /* fw 3 + 2 spaces = 5 columns per element, so 8 elements per chunk. */
    assert_display(counting_vector(20), FORMAT_SHORT, 40,
                   " Columns 0 through 7:\n"
                   "\n"
                   "    1    2    3    4    5    6    7    8\n"
                   "\n"
                   " Columns 8 through 15:\n"
                   "\n"
                   "    9   10   11   12   13   14   15   16\n"
                   "\n"
                   " Columns 16 through 19:\n"
                   "\n"
                   "   17   18   19   20\n");
}

Test(format, chunk_of_two_columns_says_and)
{
    assert_display(counting_vector(10), FORMAT_SHORT, 40,
                   " Columns 0 through 7:\n"
                   "\n"
                   "    1    2    3    4    5    6    7    8\n"
                   "\n"
                   " Columns 8 and 9:\n"
                   "\n"
                   "    9   10\n");
}

Test(format, chunk_of_one_column_says_column)
{
    assert_display(counting_vector(9), FORMAT_SHORT, 35,
                   " Columns 0 through 7:\n"
                   "\n"
                   "   1   2   3   4   5   6   7   8\n"
                   "\n"
                   " Column 8:\n"
                   "\n"
                   "   9\n");
}

Test(format, rows_that_fit_exactly_are_not_split)
{
    assert_display(counting_vector(8), FORMAT_SHORT, 32, "   1   2   3   4   5   6   7   8\n");
    assert_display(counting_vector(20), FORMAT_SHORT, 0,
                   "    1    2    3    4    5    6    7    8    9   10"
                   "   11   12   13   14   15   16   17   18   19   20\n");
}

Test(format, matrix_chunks_repeat_every_row)
{
    assert_display(mat(2, 3, (double[]){1, 2, 3, 4, 5, 6}), FORMAT_SHORT, 10,
                   " Columns 0 and 1:\n"
                   "\n"
                   "   1   2\n"
                   "   4   5\n"
                   "\n"
                   " Column 2:\n"
                   "\n"
                   "   3\n"
                   "   6\n");
}

Test(format, narrow_terminal_still_shows_one_column_per_chunk)
{
    assert_display(vec(2, (double[]){0.5, 0.25}), FORMAT_SHORT, 3,
                   " Column 0:\n"
                   "\n"
                   "   0.5000\n"
                   "\n"
                   " Column 1:\n"
                   "\n"
                   "   0.2500\n");
}

/* --- running out of memory ------------------------------------------------ */

Test(format, inline_reports_out_of_memory)
{
    Tensor *t = vec(3, (double[]){1.5, 1.5, 1});
    Error e;
    error_clear(&e);
    mem_fail_after(0);
    char *s = format_inline(t, FORMAT_SHORT, &e);
    mem_fail_after(-1);
    cr_assert_null(s);
    cr_assert_eq(e.code, ERROR_NOMEM);
    cr_assert_str_eq(e.msg, "out of memory");
    tensor_delete(t);
}

Test(format, tensor_reports_out_of_memory)
{
    Tensor *t = mat(2, 2, (double[]){0, 1, 1, 0});
    Error e;
    error_clear(&e);
    mem_fail_after(0);
    char *s = format_tensor(t, FORMAT_SHORT, 0, &e);
    mem_fail_after(-1);
    cr_assert_null(s);
    cr_assert_eq(e.code, ERROR_NOMEM);
    tensor_delete(t);
}

Test(format, empty_tensor_reports_out_of_memory)
{
    Tensor *t = mat(0, 3, NULL);
    Error e;
    error_clear(&e);
    mem_fail_after(0);
    char *s = format_tensor(t, FORMAT_SHORT, 0, &e);
    mem_fail_after(-1);
    cr_assert_null(s);
    cr_assert_eq(e.code, ERROR_NOMEM);
    tensor_delete(t);
}

Test(format, failure_at_any_later_allocation_is_reported_not_half_written)
{
    /* Long enough output to need several reallocations. */
    double v[300];
    for (size_t i = 0; i < 300; i++)
        v[i] = (double)i / 7.0;
    Tensor *t = vec(300, v);
    char *want = format_tensor(t, FORMAT_LONG, 80, NULL);
    cr_assert_not_null(want);
    bool succeeded = false;
    for (long k = 0; k < 100 && !succeeded; k++) {
        Error e;
        error_clear(&e);
        mem_fail_after(k);
        char *s = format_tensor(t, FORMAT_LONG, 80, &e);
        mem_fail_after(-1);
        if (s) {
            cr_assert_str_eq(s, want);
            succeeded = true;
        } else {
            cr_assert_eq(e.code, ERROR_NOMEM, "after %ld allocations", k);
        }
        mem_free(s);
    }
    cr_assert(succeeded);
    mem_free(want);
    tensor_delete(t);
}
