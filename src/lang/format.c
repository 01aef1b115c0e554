/* format.c - numbers and tensors as text (the rules are in format.h). */
#include "nudge/format.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nudge/mem.h"
#include "nudge/pyformat.h"
#include "nudge/text.h"

/* Octave's `format short`: output_precision 5, and its limits on a
 * fixed-point field (pr-output.cc, make_real_format and
 * make_real_matrix_format). */
enum { SHORT_PREC = 5, SHORT_DIGITS10 = 16, SHORT_MAX_FIELD = 21 };

/* Integers print without decimals below this in the compact inline form;
 * above it "%.0f" would print more digits than anyone can read at a
 * glance. */
static const double INT_LIMIT = 1e10;

/* --- numbers ----------------------------------------------------------- */

static const char *nonfinite_word(double x)
{
    if (isnan(x))
        return "NaN";
    if (isinf(x))
        return x > 0 ? "Inf" : "-Inf";
    return NULL;
}

static bool is_small_int(double x)
{
    return isfinite(x) && x == trunc(x) && fabs(x) < INT_LIMIT;
}

/* Octave's num_digits: the decimal exponent of ax (> 0) plus one, from
 * the floating log10 as Octave computes it. */
static int octave_digits(double ax)
{
    return (int)floor(log10(ax)) + 1;
}

/* Octave's integer test (x_nint(x) == x, with x_nint(x) = floor(x + 0.5)). */
static bool octave_is_int(double x)
{
    return floor(x + 0.5) == x;
}

/* Whether Octave gives up on a fixed field of ld + rd digits, fw wide. */
static bool octave_wants_e(int ld, int rd, int fw)
{
    return ld + rd > SHORT_DIGITS10 || fw > SHORT_MAX_FIELD || ld + rd > 1.5 * SHORT_PREC;
}

/* A scalar as Octave's make_real_format lays it out: an integer in full,
 * else ld integer digits and rd decimals (five significant digits, more
 * below 0.1), or "%.4e" when that would be too long. */
static const char *short_number(double x, char *buf, size_t n)
{
    const char *word = nonfinite_word(x);
    if (word) {
        snprintf(buf, n, "%s", word);
        return buf;
    }
    if (x == 0) {
        snprintf(buf, n, "0");
        return buf;
    }
    int digits = octave_digits(fabs(x));
    int ld, rd;
    if (octave_is_int(x)) {
        ld = digits;
        rd = 0;
    } else if (digits > 0) {
        ld = digits;
        rd = SHORT_PREC > digits ? SHORT_PREC - digits : SHORT_PREC;
    } else {
        ld = 1;
        rd = digits < 0 ? SHORT_PREC - digits : SHORT_PREC - 1;
    }
    int fw = rd ? ld + 1 + rd : ld;
    char num[FORMAT_NUMBER_MAX];
    if (octave_wants_e(ld, rd, fw)) {
        fw = SHORT_PREC + 5;
        pyformat_printf(x, 'e', SHORT_PREC - 1, num, sizeof num);
    } else {
        pyformat_printf(x, 'f', rd, num, sizeof num);
    }
    int len = (int)strlen(num);
    snprintf(buf, n, "%*s%s", fw > len ? fw - len : 0, "", num);
    return buf;
}

const char *format_number(double x, FormatMode mode, char *buf, size_t n)
{
    if (mode == FORMAT_LONG)
        return format_repr(x, buf, n);
    return short_number(x, buf, n);
}

/* Lays out significant digits d (nd of them, no trailing zeros) times
 * 10^exp as Python's repr does: fixed for -4 <= exp < 16, else e-notation
 * with at least two exponent digits; integers without ".0". */
static void repr_layout(bool neg, const char *d, int nd, int exp, char *out)
{
    char *o = out;
    if (neg)
        *o++ = '-';
    if (exp >= 16 || exp < -4) {
        *o++ = d[0];
        if (nd > 1) {
            *o++ = '.';
            memcpy(o, d + 1, (size_t)nd - 1);
            o += nd - 1;
        }
        sprintf(o, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
        return;
    }
    if (exp < 0) {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -exp - 1; i++)
            *o++ = '0';
        memcpy(o, d, (size_t)nd);
        o += nd;
    } else {
        for (int i = 0; i <= exp; i++)
            *o++ = i < nd ? d[i] : '0';
        if (nd > exp + 1) {
            *o++ = '.';
            memcpy(o, d + exp + 1, (size_t)(nd - exp - 1));
            o += nd - exp - 1;
        }
    }
    *o = '\0';
}

const char *format_repr(double x, char *buf, size_t n)
{
    const char *word = nonfinite_word(x);
    if (word) {
        snprintf(buf, n, "%s", word);
        return buf;
    }
    /* The shortest digits that read back as x, the nearest of them when
     * several are as short: the same digits as Python's repr. */
    static const PyDigitsSpec shortest = { .unique = true, .cut = PY_CUT_NONE, .max = -1, .min = -1 };
    char digits[PY_DIGITS_MAX];
    int exp10;
    int nd = pyformat_digits(fabs(x), &shortest, digits, PY_DIGITS_MAX, &exp10);
    char out[FORMAT_NUMBER_MAX + 8];
    repr_layout(signbit(x) != 0, digits, nd, exp10, out);
    if (n > 0) {
        size_t len = strlen(out), keep = len < n - 1 ? len : n - 1;
        memcpy(buf, out, keep);
        buf[keep] = '\0';
    }
    return buf;
}

/* Removes trailing zeros after a decimal point in s (and the point itself
 * when nothing is left after it), keeping any exponent that follows. */
static void strip_zeros(char *s)
{
    char *point = strchr(s, '.');
    if (!point)
        return;
    char *ep = strchr(point, 'e');
    char *end = ep ? ep : point + strlen(point);
    char *cut = end;
    while (cut > point + 1 && cut[-1] == '0')
        cut--;
    if (cut == point + 1)
        cut = point;
    memmove(cut, end, strlen(end) + 1);
}

const char *format_inline_number(double x, FormatMode mode, char *buf, size_t n)
{
    if (mode == FORMAT_LONG)
        return format_repr(x, buf, n);
    const char *word = nonfinite_word(x);
    if (word) {
        snprintf(buf, n, "%s", word);
        return buf;
    }
    char tmp[FORMAT_NUMBER_MAX];
    double ax = fabs(x);
    if (is_small_int(x))
        snprintf(tmp, sizeof tmp, "%.0f", x == 0 ? 0.0 : x);
    else if (ax >= 1e-4 && ax < 1e5)
        snprintf(tmp, sizeof tmp, "%.4f", x);
    else
        snprintf(tmp, sizeof tmp, "%.4e", x);
    strip_zeros(tmp);
    snprintf(buf, n, "%s", tmp);
    return buf;
}

/* --- tensors ------------------------------------------------------------ */

char *format_inline(const Tensor *t, FormatMode mode, Error *e)
{
    Text out = {0};
    char num[FORMAT_NUMBER_MAX];
    text_puts(&out, "[");
    for (size_t r = 0; r < t->rows; r++) {
        if (t->ndim == 2)
            text_puts(&out, r ? ", [" : "[");
        for (size_t c = 0; c < t->cols; c++) {
            if (c)
                text_puts(&out, ", ");
            text_puts(&out, format_inline_number(tensor_at(t, r, c), mode, num, sizeof num));
        }
        if (t->ndim == 2)
            text_puts(&out, "]");
    }
    text_puts(&out, "]");
    return text_finish(&out, e);
}

typedef enum LayoutKind { LAYOUT_INT, LAYOUT_FIXED, LAYOUT_EXP, LAYOUT_REPR } LayoutKind;

/* How every element of one tensor is written: one kind, one field width. */
typedef struct Layout {
    LayoutKind kind;
    int rd;         /* decimals for LAYOUT_FIXED */
    size_t fw;      /* field width, sign slot included in short mode */
    char *cells;    /* LAYOUT_REPR: element i's text at cells + i * FORMAT_NUMBER_MAX,
                     * kept from measuring the widths (NULL: make it again) */
} Layout;

/* One element's text (not padded).  As in Octave, an exact zero is "0"
 * whatever the layout, and a number wider than the field is not cut. */
static size_t layout_element(const Layout *lay, double x, char *buf, size_t n)
{
    const char *word = nonfinite_word(x);
    if (word)
        snprintf(buf, n, "%s", word);
    else if (x == 0 && lay->kind != LAYOUT_REPR)
        snprintf(buf, n, "0");
    else if (lay->kind == LAYOUT_INT)
        pyformat_printf(x, 'f', 0, buf, n);
    else if (lay->kind == LAYOUT_FIXED)
        pyformat_printf(x, 'f', lay->rd, buf, n);
    else if (lay->kind == LAYOUT_EXP)
        pyformat_printf(x, 'e', SHORT_PREC - 1, buf, n);
    else
        format_repr(x, buf, n);
    return strlen(buf);
}

/* Octave's ld and rd for the largest or smallest magnitude, whose
 * num_digits is *x; *x becomes the value Octave then compares with 100 to
 * widen an exponent field. */
static void octave_ld_rd(int *x, int *ld, int *rd)
{
    if (*x > 0) {
        *ld = *x;
        *rd = SHORT_PREC > *x ? SHORT_PREC - *x : SHORT_PREC;
        (*x)++;
    } else if (*x < 0) {
        *ld = 1;
        *rd = SHORT_PREC > *x ? SHORT_PREC - *x : SHORT_PREC;
        *x = -*x + 1;
    } else {
        *ld = 1;
        *rd = SHORT_PREC > 1 ? SHORT_PREC - 1 : SHORT_PREC;
        *x = 1;
    }
}

/* Octave's make_real_matrix_format: the largest and smallest finite
 * magnitudes (zeros count) decide the digits before and after the point
 * for all elements; integers get a field one wider than their digits;
 * too many digits switch the whole tensor to "%.4e".  One deliberate
 * difference: nudge asks whether an element is an integer in double
 * precision, where Octave 7 asks in single precision (so that it shows
 * [3.0000001, 1] as "3   1"). */
static Layout layout_short(const Tensor *t)
{
    size_t n = tensor_size(t);
    bool all_int = true, nonfinite = false, any_finite = false;
    double maxabs = 0.0, minabs = 0.0;
    for (size_t i = 0; i < n; i++) {
        double x = t->data[i];
        if (!isfinite(x)) {
            nonfinite = true;
            continue;
        }
        all_int = all_int && octave_is_int(x);
        double ax = fabs(x);
        if (!any_finite || ax > maxabs)
            maxabs = ax;
        if (!any_finite || ax < minabs)
            minabs = ax;
        any_finite = true;
    }
    int x_max = maxabs == 0 ? 0 : octave_digits(maxabs);
    int x_min = minabs == 0 ? 0 : octave_digits(minabs);
    Layout lay = { .kind = LAYOUT_FIXED, .rd = 0, .fw = 0 };
    int ld, rd, fw;
    if (all_int) {
        int digits = x_max > x_min ? x_max : x_min;
        fw = digits <= 0 ? 2 : digits + 1;
        if (nonfinite && fw < 4)
            fw = 4;
        ld = 0;
        rd = fw;
        lay.kind = LAYOUT_INT;
    } else {
        int ld_max, rd_max, ld_min, rd_min;
        octave_ld_rd(&x_max, &ld_max, &rd_max);
        octave_ld_rd(&x_min, &ld_min, &rd_min);
        ld = ld_max > ld_min ? ld_max : ld_min;
        rd = rd_max > rd_min ? rd_max : rd_min;
        fw = 1 + ld + 1 + rd;
        if (nonfinite && fw < 4)
            fw = 4;
        lay.rd = rd;
    }
    if (octave_wants_e(ld, rd, fw)) {
        int ex = x_max > 100 || x_min > 100 ? 5 : 4;
        fw = 2 + SHORT_PREC + ex;
        lay.kind = LAYOUT_EXP;
    }
    lay.fw = (size_t)fw;
    return lay;
}

/* Up to this many elements, long mode keeps each repr from measuring the
 * widths to print it (32 bytes each). */
enum { KEEP_CELLS_MAX = 1 << 16 };

/* The shared layout of a tensor: Octave's in short mode; in long mode
 * each number's repr, right-aligned in the widest, kept in cells when
 * keep (the caller frees them). */
static Layout layout_choose(const Tensor *t, FormatMode mode, bool keep)
{
    if (mode == FORMAT_SHORT)
        return layout_short(t);
    Layout lay = { .kind = LAYOUT_REPR, .rd = 0, .fw = 0, .cells = NULL };
    size_t n = tensor_size(t);
    char *cells = keep && n <= KEEP_CELLS_MAX ? mem_calloc(n, FORMAT_NUMBER_MAX) : NULL;
    char buf[FORMAT_NUMBER_MAX];
    for (size_t i = 0; i < n; i++) {
        char *cell = cells ? cells + i * FORMAT_NUMBER_MAX : buf;
        size_t len = layout_element(&lay, t->data[i], cell, FORMAT_NUMBER_MAX);
        lay.fw = len > lay.fw ? len : lay.fw;
    }
    lay.cells = cells;
    return lay;
}

/* Appends element i of t right-aligned in the field, after the two spaces
 * between columns. */
static void put_element(Text *out, const Layout *lay, const Tensor *t, size_t i)
{
    char buf[FORMAT_NUMBER_MAX];
    const char *s = lay->cells ? lay->cells + i * FORMAT_NUMBER_MAX : buf;
    size_t len = lay->cells ? strlen(s) : layout_element(lay, t->data[i], buf, sizeof buf);
    text_pad(out, 2 + (len < lay->fw ? lay->fw - len : 0));
    text_append(out, s, len);
}

/* Column numbers count from 0, as indexing does (M[:, 8] is the first
 * column of " Columns 8 through 15"). */
static void put_chunk_header(Text *out, size_t first, size_t last)
{
    char line[80];
    if (first == last)
        snprintf(line, sizeof line, " Column %zu:\n\n", first);
    else if (last == first + 1)
        snprintf(line, sizeof line, " Columns %zu and %zu:\n\n", first, last);
    else
        snprintf(line, sizeof line, " Columns %zu through %zu:\n\n", first, last);
    text_puts(out, line);
}

static void put_rows(Text *out, const Tensor *t, const Layout *lay, size_t c0, size_t c1)
{
    for (size_t r = 0; r < t->rows; r++) {
        for (size_t c = c0; c < c1; c++)
            put_element(out, lay, t, r * t->cols + c);
        text_puts(out, "\n");
    }
}

char *format_tensor(const Tensor *t, FormatMode mode, int width, Error *e)
{
    Text out = {0};
    if (tensor_size(t) == 0) {
        char line[80];
        snprintf(line, sizeof line, "[](%zux%zu)\n", t->rows, t->cols);
        text_puts(&out, line);
        return text_finish(&out, e);
    }
    Layout lay = layout_choose(t, mode, true);
    size_t colw = 2 + lay.fw;
    size_t per = t->cols;
    if (width > 0 && t->cols * colw > (size_t)width) {
        per = (size_t)width / colw;
        per = per ? per : 1;
    }
    if (per >= t->cols) {
        put_rows(&out, t, &lay, 0, t->cols);
    } else {
        for (size_t c0 = 0; c0 < t->cols; c0 += per) {
            size_t c1 = c0 + per < t->cols ? c0 + per : t->cols;
            if (c0)
                text_puts(&out, "\n");
            put_chunk_header(&out, c0, c1 - 1);
            put_rows(&out, t, &lay, c0, c1);
        }
    }
    mem_free(lay.cells);
    return text_finish(&out, e);
}

/* The indices shown of n when keep are kept at each end: 0..keep-1, then
 * n-keep..n-1; *gap is the index after which "..." goes (n when none). */
static size_t corner_index(size_t i, size_t n, size_t keep, size_t *gap)
{
    if (n <= 2 * keep) {
        *gap = n;
        return i;
    }
    *gap = keep - 1;
    return i < keep ? i : n - 2 * keep + i;
}

char *format_tensor_corners(const Tensor *t, FormatMode mode, size_t keep_rows, size_t keep_cols, Error *e)
{
    if (tensor_size(t) == 0 || keep_rows == 0 || keep_cols == 0)
        return format_tensor(t, mode, 0, e);
    Text out = {0};
    Layout lay = layout_choose(t, mode, false);
    size_t nr = t->rows <= 2 * keep_rows ? t->rows : 2 * keep_rows;
    size_t nc = t->cols <= 2 * keep_cols ? t->cols : 2 * keep_cols;
    for (size_t i = 0; i < nr; i++) {
        size_t row_gap, col_gap;
        size_t r = corner_index(i, t->rows, keep_rows, &row_gap);
        for (size_t j = 0; j < nc; j++) {
            size_t c = corner_index(j, t->cols, keep_cols, &col_gap);
            put_element(&out, &lay, t, r * t->cols + c);
            if (j == col_gap)
                text_puts(&out, "  ...");
        }
        text_puts(&out, "\n");
        if (i == row_gap)
            text_puts(&out, "   ...\n");
    }
    return text_finish(&out, e);
}
