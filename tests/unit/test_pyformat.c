/* test_pyformat.c - Python's text for numbers and strings.
 *
 * Every expected string here is what Python 3.11 prints for the same call
 * (checked with /usr/bin/python3); tests/diff/pyformat_cases.py compares
 * many thousands more against Python itself. */
#include "nudge/pyformat.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "nudge/mem.h"
#include "nudge/text.h"

/* --- helpers ------------------------------------------------------------ */

static void assert_repr(double x, const char *want)
{
    char buf[PYFORMAT_REPR_MAX];
    cr_assert_str_eq(pyformat_float_repr(x, buf), want, "repr(%.17g)", x);
}

static void assert_float(double x, const char *spec, const char *want)
{
    Text t = { 0 };
    Error e;
    error_clear(&e);
    cr_assert(pyformat_float(&t, x, spec, &e), "format(%.17g, '%s'): %s", x, spec, e.msg);
    cr_assert_str_eq(t.s ? t.s : "", want, "format(%.17g, '%s')", x, spec);
    text_free(&t);
}

static void assert_int(int64_t v, const char *spec, const char *want)
{
    Text t = { 0 };
    Error e;
    error_clear(&e);
    cr_assert(pyformat_int(&t, v, spec, &e), "format(%lld, '%s'): %s", (long long)v, spec, e.msg);
    cr_assert_str_eq(t.s ? t.s : "", want, "format(%lld, '%s')", (long long)v, spec);
    text_free(&t);
}

static void assert_str(const char *s, const char *spec, const char *want)
{
    Text t = { 0 };
    Error e;
    error_clear(&e);
    cr_assert(pyformat_str(&t, s, strlen(s), spec, &e), "format('%s', '%s'): %s", s, spec, e.msg);
    cr_assert_str_eq(t.s ? t.s : "", want, "format('%s', '%s')", s, spec);
    text_free(&t);
}

static void assert_float_error(double x, const char *spec, ErrorCode code, const char *msg)
{
    Text t = { 0 };
    Error e;
    error_clear(&e);
    cr_assert_not(pyformat_float(&t, x, spec, &e), "format(%.17g, '%s') should fail", x, spec);
    cr_assert_eq(e.code, code, "format(%.17g, '%s'): code %d", x, spec, (int)e.code);
    cr_assert_str_eq(e.msg, msg);
    text_free(&t);
}

static void assert_int_error(int64_t v, const char *spec, ErrorCode code, const char *msg)
{
    Text t = { 0 };
    Error e;
    error_clear(&e);
    cr_assert_not(pyformat_int(&t, v, spec, &e), "format(%lld, '%s') should fail", (long long)v, spec);
    cr_assert_eq(e.code, code);
    cr_assert_str_eq(e.msg, msg);
    text_free(&t);
}

/* fmt % (arg,) for a format string with exactly one conversion. */
static bool percent(const char *fmt, const PyArg *arg, Text *t, Error *e)
{
    PyPercent p;
    size_t pos = 0, len = strlen(fmt);
    error_clear(e);
    if (!pyformat_percent_parse(fmt, len, &pos, &p, e))
        return false;
    cr_assert_eq(pos, len, "%s has text after its conversion", fmt);
    return pyformat_percent(t, &p, arg, e);
}

static void assert_percent(const char *fmt, PyArg arg, const char *want)
{
    Text t = { 0 };
    Error e;
    cr_assert(percent(fmt, &arg, &t, &e), "'%s' %%: %s", fmt, e.msg);
    cr_assert_str_eq(t.s ? t.s : "", want, "'%s' %%", fmt);
    text_free(&t);
}

static void assert_percent_error(const char *fmt, PyArg arg, ErrorCode code, const char *msg)
{
    Text t = { 0 };
    Error e;
    cr_assert_not(percent(fmt, &arg, &t, &e), "'%s' %% should fail", fmt);
    cr_assert_eq(e.code, code, "'%s': code %d (%s)", fmt, (int)e.code, e.msg);
    cr_assert_str_eq(e.msg, msg);
    text_free(&t);
}

static PyArg F(double x) { return (PyArg){ .kind = PY_ARG_FLOAT, .f = x }; }
static PyArg I(int64_t v) { return (PyArg){ .kind = PY_ARG_INT, .i = v }; }
static PyArg S(const char *s) { return (PyArg){ .kind = PY_ARG_STR, .s = s, .n = strlen(s) }; }

static void assert_digits(double x, PyDigitsSpec spec, const char *want, int want_exp)
{
    char d[PY_DIGITS_MAX + 1];
    int exp10;
    int n = pyformat_digits(x, &spec, d, PY_DIGITS_MAX, &exp10);
    d[n] = '\0';
    cr_assert_str_eq(d, want, "digits of %.17g", x);
    cr_assert_eq(exp10, want_exp, "exponent of %.17g: %d", x, exp10);
}

/* --- digits ---------------------------------------------------------------- */

Test(pyformat, shortest_digits_read_back_and_are_closest)
{
    PyDigitsSpec u = { .unique = true, .cut = PY_CUT_NONE, .max = -1, .min = -1 };
    assert_digits(0.1, u, "1", -1);
    assert_digits(123.456, u, "123456", 2);
    /* 2^-24 is exactly 5.9604644775390625e-08; 16 digits identify it, and
     * the lower neighbour is closer than the upper (a power of two). */
    assert_digits(ldexp(1, -24), u, "5960464477539063", -8);
    assert_digits(5e-324, u, "5", -324);
    assert_digits(1.7976931348623157e308, u, "17976931348623157", 308);
    assert_digits(0, u, "0", 0);
}

Test(pyformat, exact_digits_round_half_even_at_the_cut)
{
    PyDigitsSpec f2 = { .unique = false, .cut = PY_CUT_FRACTION, .max = 2, .min = -1 };
    assert_digits(0.125, f2, "12", -1);          /* a true tie: to even */
    assert_digits(0.375, f2, "38", -1);
    assert_digits(2.675, f2, "267", 0);          /* 2.67499999...: down */
    assert_digits(0.001, f2, "0", -2);           /* rounds away */
    assert_digits(0.996, f2, "1", 0);            /* carries into a new digit */
    PyDigitsSpec t3 = { .unique = false, .cut = PY_CUT_TOTAL, .max = 3, .min = -1 };
    assert_digits(99.95, t3, "1", 2);            /* 99.9500000000000028...: up, carries to 100 */
    PyDigitsSpec all = { .unique = false, .cut = PY_CUT_NONE, .max = -1, .min = -1 };
    assert_digits(0.1, all, "1000000000000000055511151231257827021181583404541015625", -1);
}

Test(pyformat, unique_digits_stop_at_a_cut_and_pad_to_a_minimum)
{
    PyDigitsSpec cut = { .unique = true, .cut = PY_CUT_FRACTION, .max = 8, .min = -1 };
    assert_digits(1.0 / 3, cut, "33333333", -1);
    assert_digits(0.5, cut, "5", -1);
    PyDigitsSpec min = { .unique = true, .cut = PY_CUT_FRACTION, .max = 8, .min = 3 };
    assert_digits(0.5, min, "500", -1);
}

/* --- repr ------------------------------------------------------------------ */

Test(pyformat, float_repr_is_pythons)
{
    assert_repr(0.1, "0.1");
    assert_repr(1.0, "1.0");
    assert_repr(1e-05, "1e-05");
    assert_repr(0.0001, "0.0001");
    assert_repr(1e16, "1e+16");
    assert_repr(9999999999999998.0, "9999999999999998.0");
    assert_repr(123456789012345.0, "123456789012345.0");
    assert_repr(-0.0, "-0.0");
    assert_repr(INFINITY, "inf");
    assert_repr(-INFINITY, "-inf");
    assert_repr(NAN, "nan");
    assert_repr(-NAN, "nan");
    assert_repr(ldexp(1, -24), "5.960464477539063e-08");
    assert_repr(5e-324, "5e-324");
    assert_repr(-1.7976931348623157e308, "-1.7976931348623157e+308");
    assert_repr(0.1 + 0.2, "0.30000000000000004");
}

Test(pyformat, int_repr_covers_int64)
{
    char buf[PYFORMAT_REPR_MAX];
    cr_assert_str_eq(pyformat_int_repr(INT64_MIN, buf), "-9223372036854775808");
    cr_assert_str_eq(pyformat_int_repr(0, buf), "0");
}

Test(pyformat, str_repr_picks_quotes_and_escapes)
{
    Text t = { 0 };
    pyformat_str_repr(&t, "it's", 4, false);
    cr_assert_str_eq(t.s, "\"it's\"");
    t.len = 0;
    pyformat_str_repr(&t, "a'b\"c\\\n\t\x01", 9, false);
    cr_assert_str_eq(t.s, "'a\\'b\"c\\\\\\n\\t\\x01'");
    t.len = 0;
    pyformat_str_repr(&t, "caf\xc3\xa9 \xf0\x9f\x98\x80", 10, false);
    cr_assert_str_eq(t.s, "'caf\xc3\xa9 \xf0\x9f\x98\x80'");
    t.len = 0;
    pyformat_str_repr(&t, "caf\xc3\xa9 \xf0\x9f\x98\x80", 10, true);
    cr_assert_str_eq(t.s, "'caf\\xe9 \\U0001f600'");
    text_free(&t);
}

/* --- format() ----------------------------------------------------------------- */

Test(pyformat, float_types_and_precision)
{
    assert_float(1.5, "", "1.5");
    assert_float(3.14159, ".2f", "3.14");
    assert_float(3.14159, "8.3f", "   3.142");
    assert_float(0.5, ".0f", "0");
    assert_float(1.5, ".0f", "2");
    assert_float(12345.678, "e", "1.234568e+04");
    assert_float(12345.678, ".2E", "1.23E+04");
    assert_float(0.00001234, "g", "1.234e-05");
    assert_float(123456789.0, "g", "1.23457e+08");
    assert_float(100.0, "g", "100");
    assert_float(100.0, "#g", "100.000");
    assert_float(1.0, ".3", "1.0");
    assert_float(123.0, ".2", "1.2e+02");
    assert_float(1e16, "#", "1.e+16");
    assert_float(0.25, "%", "25.000000%");
    assert_float(0.125, ".1%", "12.5%");
    assert_float(1234567.0, "n", "1.23457e+06");
    assert_float(INFINITY, "F", "INF");
    assert_float(NAN, "+010", "+000000nan");
}

Test(pyformat, float_fill_align_sign_and_grouping)
{
    assert_float(-1.5, "=+10.2f", "-     1.50");
    assert_float(1.5, "*^9", "***1.5***");
    assert_float(1.5, "\xc3\xa9^9", "\xc3\xa9\xc3\xa9\xc3\xa9" "1.5\xc3\xa9\xc3\xa9\xc3\xa9");
    assert_float(1.5, " ", " 1.5");
    assert_float(1234567.891, ",.2f", "1,234,567.89");
    assert_float(1234567.891, "_.1f", "1_234_567.9");
    assert_float(1234.5, "012,.1f", "00,001,234.5");
    assert_float(-1234.5, "012,.1f", "-0,001,234.5");
    assert_float(-0.0001, "z.2f", "0.00");
    assert_float(-0.0, "z", "0.0");
    assert_float(-0.0, "", "-0.0");
}

Test(pyformat, float_errors_are_pythons)
{
    assert_float_error(1.5, "d", ERROR_ARG, "Unknown format code 'd' for object of type 'float'");
    assert_float_error(1.5, "5.2fx", ERROR_ARG, "Invalid format specifier '5.2fx' for object of type 'float'");
    assert_float_error(1.5, ".", ERROR_ARG, "Format specifier missing precision");
    assert_float_error(1.5, ",_", ERROR_ARG, "Cannot specify both ',' and '_'.");
    assert_float_error(1.5, "_n", ERROR_ARG, "Cannot specify '_' with 'n'.");
    assert_float_error(1.5, "\x01", ERROR_ARG, "Unknown format code '\\x1' for object of type 'float'");
    assert_float_error(1.5, ".2147483648f", ERROR_ARG, "precision too big");
    assert_float_error(1.5, "99999999999999999999", ERROR_ARG, "Too many decimal digits in format string");
}

Test(pyformat, int_bases_prefixes_and_grouping)
{
    assert_int(255, "", "255");
    assert_int(255, "x", "ff");
    assert_int(255, "#X", "0XFF");
    assert_int(-255, "#x", "-0xff");
    assert_int(5, "#010b", "0b00000101");
    assert_int(8, "o", "10");
    assert_int(1234567, ",", "1,234,567");
    assert_int(1234567, "_", "1_234_567");
    assert_int(0xdeadbeef, "_x", "dead_beef");
    assert_int(1234, "010,", "00,001,234");
    assert_int(65, "c", "A");
    assert_int(0x1f600, "3c", "  \xf0\x9f\x98\x80");
    assert_int(3, "=+5", "+   3");
    assert_int(3, ".2f", "3.00");
    assert_int(INT64_MAX, "e", "9.223372e+18");
    assert_int(INT64_MIN, "", "-9223372036854775808");
}

Test(pyformat, int_errors_are_pythons)
{
    assert_int_error(3, ".2", ERROR_ARG, "Precision not allowed in integer format specifier");
    assert_int_error(3, "z", ERROR_ARG, "Negative zero coercion (z) not allowed in integer format specifier");
    assert_int_error(3, ",x", ERROR_ARG, "Cannot specify ',' with 'x'.");
    assert_int_error(3, "+c", ERROR_ARG, "Sign not allowed with integer format specifier 'c'");
    assert_int_error(3, "#c", ERROR_ARG, "Alternate form (#) not allowed with integer format specifier 'c'");
    assert_int_error(-1, "c", ERROR_LIMIT, "%c arg not in range(0x110000)");
    assert_int_error(3, "s", ERROR_ARG, "Unknown format code 's' for object of type 'int'");
}

Test(pyformat, bool_is_a_word_only_with_an_empty_spec)
{
    Text t = { 0 };
    Error e;
    cr_assert(pyformat_bool(&t, true, "", &e));
    cr_assert_str_eq(t.s, "True");
    t.len = 0;
    cr_assert(pyformat_bool(&t, true, "5", &e));
    cr_assert_str_eq(t.s, "    1");
    cr_assert_not(pyformat_bool(&t, false, "s", &e));
    cr_assert_str_eq(e.msg, "Unknown format code 's' for object of type 'bool'");
    text_free(&t);
}

Test(pyformat, str_alignment_precision_and_code_points)
{
    assert_str("abc", "", "abc");
    assert_str("abc", "5", "abc  ");
    assert_str("abc", ">5", "  abc");
    assert_str("abc", "^6", " abc  ");
    assert_str("abc", ".2", "ab");
    assert_str("ab", "05", "ab000");
    assert_str("\xc3\xa9", "^5", "  \xc3\xa9  ");
    assert_str("\xc3\xa9t\xc3\xa9", ".2s", "\xc3\xa9t");
}

Test(pyformat, str_errors_are_pythons)
{
    Text t = { 0 };
    Error e;
    cr_assert_not(pyformat_str(&t, "a", 1, "=5", &e));
    cr_assert_str_eq(e.msg, "'=' alignment not allowed in string format specifier");
    cr_assert_not(pyformat_str(&t, "a", 1, "+", &e));
    cr_assert_str_eq(e.msg, "Sign not allowed in string format specifier");
    cr_assert_not(pyformat_str(&t, "a", 1, " ", &e));
    cr_assert_str_eq(e.msg, "Space not allowed in string format specifier");
    cr_assert_not(pyformat_str(&t, "a", 1, ",", &e));
    cr_assert_str_eq(e.msg, "Cannot specify ',' with 's'.");
    cr_assert_not(pyformat_str(&t, "a", 1, "d", &e));
    cr_assert_str_eq(e.msg, "Unknown format code 'd' for object of type 'str'");
    text_free(&t);
}

Test(pyformat, a_huge_width_is_refused_not_built)
{
    Text t = { 0 };
    Error e;
    cr_assert_not(pyformat_float(&t, 1.5, "999999999999", &e));
    cr_assert_eq(e.code, ERROR_LIMIT);
    text_free(&t);
}

Test(pyformat, a_long_precision_gives_the_exact_expansion)
{
    Text t = { 0 };
    Error e;
    cr_assert(pyformat_float(&t, 0.1, ".60f", &e));
    cr_assert_str_eq(t.s, "0.100000000000000005551115123125782702118158340454101562500000");
    text_free(&t);
}

/* --- % ---------------------------------------------------------------------- */

Test(pyformat, percent_numbers)
{
    assert_percent("%d", I(42), "42");
    assert_percent("%5d", I(-42), "  -42");
    assert_percent("%-5d", I(42), "42   ");
}

Test(pyformat, percent_flags_width_and_precision)
{
    assert_percent("%05d", I(-42), "-0042");
    assert_percent("%+d", I(5), "+5");
    assert_percent("% d", I(5), " 5");
    assert_percent("%.3d", I(-5), "-005");
    assert_percent("%#o", I(8), "0o10");
    assert_percent("%#.5x", I(-255), "-0x000ff");
    assert_percent("%+#010X", I(255), "+0X00000FF");
    assert_percent("%010.3f", F(-1.5), "-00001.500");
    assert_percent("%.0e", F(2.5), "2e+00");
    assert_percent("%#g", F(1.0), "1.00000");
    assert_percent("%d", F(-3.7), "-3");
    assert_percent("%d", F(1e20), "100000000000000000000");
    assert_percent("%e", (PyArg){ .kind = PY_ARG_BOOL, .b = true }, "1.000000e+00");
    assert_percent("%s", F(1e16), "1e+16");
    assert_percent("%r", S("a"), "'a'");
    assert_percent("%a", S("\xc3\xa9"), "'\\xe9'");
    assert_percent("%5.1s", S("abc"), "    a");
    assert_percent("%05s", S("ab"), "   ab");
    assert_percent("%-5c", S("x"), "x    ");
    assert_percent("%c", I(65), "A");
    assert_percent("%hd", I(5), "5");
    assert_percent("%%", I(0), "%");
}

Test(pyformat, percent_star_values)
{
    Text t = { 0 };
    Error e;
    PyPercent p;
    size_t pos = 0;
    cr_assert(pyformat_percent_parse("%*.*f", 5, &pos, &p, &e));
    cr_assert(p.width_star && p.precision_star);
    p.width = -8;          /* '*' took -8: left-justified */
    p.precision = 2;
    PyArg x = F(3.14159);
    cr_assert(pyformat_percent(&t, &p, &x, &e));
    cr_assert_str_eq(t.s, "3.14    ");
    text_free(&t);
}

Test(pyformat, percent_mapping_key_is_found)
{
    PyPercent p;
    Error e;
    size_t pos = 0;
    const char *fmt = "%(loss)8.3f rest";
    cr_assert(pyformat_percent_parse(fmt, strlen(fmt), &pos, &p, &e));
    cr_assert_eq(p.key_len, 4);
    cr_assert(strncmp(p.key, "loss", 4) == 0);
    cr_assert_eq(p.width, 8);
    cr_assert_eq(p.precision, 3);
    cr_assert_eq(p.conv, 'f');
    cr_assert_eq(pos, 11);
}

Test(pyformat, percent_errors_are_pythons)
{
    assert_percent_error("%d", S("a"), ERROR_TYPE, "%d format: a real number is required, not str");
    assert_percent_error("%x", F(3.5), ERROR_TYPE, "%x format: an integer is required, not float");
    assert_percent_error("%f", S("a"), ERROR_TYPE, "must be real number, not str");
    assert_percent_error("%c", S("ab"), ERROR_TYPE, "%c requires int or char");
    assert_percent_error("%c", I(0x110000), ERROR_LIMIT, "%c arg not in range(0x110000)");
    assert_percent_error("%d", F(NAN), ERROR_ARG, "cannot convert float NaN to integer");
    assert_percent_error("%d", F(INFINITY), ERROR_LIMIT, "cannot convert float infinity to integer");
    assert_percent_error("%q", I(3), ERROR_ARG, "unsupported format character 'q' (0x71) at index 1");
    assert_percent_error("%5%", I(3), ERROR_ARG, "unsupported format character '%' (0x25) at index 2");
    PyArg list = { .kind = PY_ARG_OBJECT, .s = "[1]", .n = 3, .repr = "[1]", .repr_n = 3, .type_name = "list" };
    assert_percent_error("%d", list, ERROR_TYPE, "%d format: a real number is required, not list");

    PyPercent p;
    Error e;
    size_t pos = 0;
    cr_assert_not(pyformat_percent_parse("%5", 2, &pos, &p, &e));
    cr_assert_str_eq(e.msg, "incomplete format");
    pos = 0;
    cr_assert_not(pyformat_percent_parse("%(a", 3, &pos, &p, &e));
    cr_assert_str_eq(e.msg, "incomplete format key");
}

Test(pyformat, running_out_of_memory_is_reported)
{
    bool succeeded = false;
    for (long k = 0; k < 50 && !succeeded; k++) {
        Text t = { 0 };
        Error e;
        error_clear(&e);
        mem_fail_after(k);
        bool ok = pyformat_float(&t, 1234567.891, "*^40,.3f", &e);
        mem_fail_after(-1);
        if (ok && !t.failed) {
            cr_assert_str_eq(t.s, "*************1,234,567.891**************");
            succeeded = true;
        } else {
            cr_assert_eq(e.code, ERROR_NOMEM, "after %ld allocations: %s", k, e.msg);
        }
        text_free(&t);
    }
    cr_assert(succeeded);
}
