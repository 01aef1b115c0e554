/* format.c - numbers and tensors as text (the rules are in format.h). */
#include "nudge/format.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nudge/mem.h"
#include "nudge/text.h"

/* Octave switches a scalar to e-notation when ld + rd > 1.5 * precision,
 * i.e. when the fixed form would need more than 8 characters after the
 * sign; that is what turns 0.0012345678 into "1.2346e-03". */
enum { SHORT_FIXED_MAX = 8 };

/* A tensor's shared layout gives up on fixed notation past these. */
enum { MATRIX_RD_MAX = 10, MATRIX_DIGITS_MAX = 12 };

/* Integers print without decimals below this; above it "%.0f" would print
 * more digits than anyone can read at a glance. */
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

/* The decimal exponent of ax (finite, >= 0) after rounding to five
 * significant digits, so that 9.99996 counts as 10 and 0.0999999 as 0.1:
 * the number of digits shown must follow what is printed, not the value. */
static int decimal_exponent(double ax)
{
    char tmp[FORMAT_NUMBER_MAX];
    snprintf(tmp, sizeof tmp, "%.4e", ax);
    const char *ep = strchr(tmp, 'e');
    return ep ? (int)strtol(ep + 1, NULL, 10) : 0;
}

/* Octave's decimals for five significant digits at exponent p.  Between 0.1
 * and 1 Octave shows only four (0.9248), below 0.1 five after the zeros
 * (0.012345); we keep that quirk so that output matches Octave's. */
static int short_decimals(int p)
{
    if (p >= 0)
        return p + 1 >= 5 ? 1 : 5 - (p + 1);
    if (p == -1)
        return 4;
    return 4 - p;
}

static const char *short_number(double x, char *buf, size_t n)
{
    const char *word = nonfinite_word(x);
    if (word) {
        snprintf(buf, n, "%s", word);
        return buf;
    }
    if (is_small_int(x)) {
        snprintf(buf, n, "%.0f", x == 0 ? 0.0 : x);
        return buf;
    }
    double ax = fabs(x);
    if (ax >= 1e-5 && ax < 1e5) {
        char tmp[FORMAT_NUMBER_MAX];
        int dec = short_decimals(decimal_exponent(ax));
        int len = snprintf(tmp, sizeof tmp, "%.*f", dec, ax);
        if (len > 0 && len <= SHORT_FIXED_MAX) {
            snprintf(buf, n, "%s%s", x < 0 ? "-" : "", tmp);
            return buf;
        }
    }
    snprintf(buf, n, "%.4e", x);
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
    /* glibc's printf rounds correctly, so the first precision whose output
     * reads back as x gives the shortest digits, and the closest of them;
     * 17 significant digits always read back. */
    char sci[FORMAT_NUMBER_MAX];
    for (int prec = 0; prec <= 16; prec++) {
        snprintf(sci, sizeof sci, "%.*e", prec, x);
        if (strtod(sci, NULL) == x)
            break;
    }
    const char *s = sci;
    bool neg = *s == '-';
    if (neg)
        s++;
    char digits[24];
    int nd = 0;
    for (; *s && *s != 'e'; s++)
        if (*s != '.')
            digits[nd++] = *s;
    int exp = *s == 'e' ? (int)strtol(s + 1, NULL, 10) : 0;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    char out[FORMAT_NUMBER_MAX + 8];
    repr_layout(neg, digits, nd, exp, out);
    snprintf(buf, n, "%s", out);
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
} Layout;

static size_t layout_element(const Layout *lay, double x, char *buf, size_t n)
{
    const char *word = nonfinite_word(x);
    if (word)
        snprintf(buf, n, "%s", word);
    else if (lay->kind == LAYOUT_INT || (x == 0 && lay->kind != LAYOUT_REPR))
        snprintf(buf, n, "%.0f", x == 0 ? 0.0 : x);    /* an exact zero reads "0", as in Octave */
    else if (lay->kind == LAYOUT_FIXED)
        snprintf(buf, n, "%.*f", lay->rd, x);
    else if (lay->kind == LAYOUT_EXP)
        snprintf(buf, n, "%.4e", x);
    else
        format_repr(x, buf, n);
    return strlen(buf);
}

/* Picks the shared layout from the finite elements' extremes, then widens
 * the field for anything that does not fit the rule's width: a NaN/Inf word,
 * or a value that rounds up to one more integer digit. */
static Layout layout_choose(const Tensor *t, FormatMode mode)
{
    Layout lay = { .kind = LAYOUT_REPR, .rd = 0, .fw = 0 };
    size_t n = tensor_size(t);
    if (mode == FORMAT_SHORT) {
        bool all_int = true, any_nonzero = false;
        double maxabs = 0.0, minabs = 0.0;
        for (size_t i = 0; i < n; i++) {
            double x = t->data[i];
            if (!isfinite(x))
                continue;
            all_int = all_int && is_small_int(x);
            double ax = fabs(x);
            maxabs = ax > maxabs ? ax : maxabs;
            if (ax > 0 && (!any_nonzero || ax < minabs))
                minabs = ax;
            any_nonzero = any_nonzero || ax > 0;
        }
        if (all_int) {
            char tmp[FORMAT_NUMBER_MAX];
            lay.kind = LAYOUT_INT;
            lay.fw = (size_t)snprintf(tmp, sizeof tmp, "%.0f", maxabs) + 1;
        } else {
            int pmax = decimal_exponent(maxabs);
            int ld = pmax >= 0 ? pmax + 1 : 1;
            int rd = short_decimals(pmax);
            int rdmin = short_decimals(decimal_exponent(minabs));
            rd = rdmin > rd ? rdmin : rd;
            /* Too many decimals would hide the small values' digits (or
             * show them as 0): switch to e-notation instead. */
            if (rd > MATRIX_RD_MAX || ld + rd > MATRIX_DIGITS_MAX || maxabs >= 1e5) {
                lay.kind = LAYOUT_EXP;
            } else {
                lay.kind = LAYOUT_FIXED;
                lay.rd = rd;
                lay.fw = (size_t)(1 + ld + 1 + rd);
            }
        }
    }
    char buf[FORMAT_NUMBER_MAX];
    for (size_t i = 0; i < n; i++) {
        size_t len = layout_element(&lay, t->data[i], buf, sizeof buf);
        if (mode == FORMAT_SHORT && buf[0] != '-')
            len++;
        lay.fw = len > lay.fw ? len : lay.fw;
    }
    return lay;
}

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
    char buf[FORMAT_NUMBER_MAX];
    for (size_t r = 0; r < t->rows; r++) {
        for (size_t c = c0; c < c1; c++) {
            size_t len = layout_element(lay, tensor_at(t, r, c), buf, sizeof buf);
            text_pad(out, 2 + lay->fw - len);
            text_append(out, buf, len);
        }
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
    Layout lay = layout_choose(t, mode);
    size_t colw = 2 + lay.fw;
    size_t per = t->cols;
    if (width > 0 && t->cols * colw > (size_t)width) {
        per = (size_t)width / colw;
        per = per ? per : 1;
    }
    if (per >= t->cols) {
        put_rows(&out, t, &lay, 0, t->cols);
        return text_finish(&out, e);
    }
    for (size_t c0 = 0; c0 < t->cols; c0 += per) {
        size_t c1 = c0 + per < t->cols ? c0 + per : t->cols;
        if (c0)
            text_puts(&out, "\n");
        put_chunk_header(&out, c0 + 1, c1);
        put_rows(&out, t, &lay, c0, c1);
    }
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
    Layout lay = layout_choose(t, mode);
    size_t nr = t->rows <= 2 * keep_rows ? t->rows : 2 * keep_rows;
    size_t nc = t->cols <= 2 * keep_cols ? t->cols : 2 * keep_cols;
    char buf[FORMAT_NUMBER_MAX];
    for (size_t i = 0; i < nr; i++) {
        size_t row_gap, col_gap;
        size_t r = corner_index(i, t->rows, keep_rows, &row_gap);
        for (size_t j = 0; j < nc; j++) {
            size_t c = corner_index(j, t->cols, keep_cols, &col_gap);
            size_t len = layout_element(&lay, tensor_at(t, r, c), buf, sizeof buf);
            text_pad(&out, 2 + lay.fw - len);
            text_append(&out, buf, len);
            if (j == col_gap)
                text_puts(&out, "  ...");
        }
        text_puts(&out, "\n");
        if (i == row_gap)
            text_puts(&out, "   ...\n");
    }
    return text_finish(&out, e);
}
