/* format.h - numbers and tensors as text, in `format short` and `format long`.
 *
 * Library code never prints: these functions write into a buffer the caller
 * gives (scalars) or return a heap string the caller frees (tensors).
 *
 * format short (the default; Octave-inspired)
 *   Scalars:
 *   - NaN, +inf, -inf print "NaN", "Inf", "-Inf".
 *   - An integer value with |x| < 1e10 prints with no decimals: "3", "-1",
 *     "0" (-0.0 prints "0").
 *   - Otherwise, when 1e-5 <= |x| < 1e5, fixed notation with about five
 *     significant digits.  With p the decimal exponent of x rounded to five
 *     significant digits (x = m * 10^p, 1 <= m < 10):
 *       p >= 0  (|x| >= 1):     decimals = 5 - (p + 1), at least 1
 *       p == -1 (0.1 <= |x| < 1): decimals = 4
 *       p <= -2 (|x| < 0.1):    decimals = 5 + the zeros right after the point
 *     and fixed is kept only while the result has at most 8 characters after
 *     any sign (Octave's ld + rd <= 1.5 * precision), else "%.4e".  So
 *     0.9247976 -> "0.9248", 3.5 -> "3.5000", 6.58 -> "6.5800",
 *     123.456 -> "123.46", 12345.6 -> "12345.6", 0.05 -> "0.050000",
 *     0.012345 -> "0.012345", 0.0012345678 -> "1.2346e-03".
 *   - Everything else prints "%.4e": 1e-06 -> "1.0000e-06",
 *     1e10 -> "1.0000e+10", 123456.7 -> "1.2346e+05".
 *   Tensors (format_tensor) share one layout across all elements:
 *   - When every finite element is an integer with |x| < 1e10: field width
 *     fw = the most digits + 1 (a sign slot).  [3, -1, 2] -> "   3  -1   2".
 *   - Otherwise ld = integer digits of the largest finite |x| (at least 1),
 *     rd = the larger of the scalar decimals (above) of the largest and of
 *     the smallest non-zero finite |x|; fw = 1 + ld + 1 + rd.
 *     When rd > 10, ld + rd > 12 or the largest |x| >= 1e5, every element prints
 *     "%.4e" instead.  [0.758, 0.771] -> "   0.7580   0.7710".
 *   - NaN, Inf and -Inf print as words in the same field; the field widens
 *     when a word (or a number rounded up to one more digit) needs it, always
 *     keeping the sign slot.
 *   Each element is right-aligned in fw and preceded by two spaces; an exact
 *   zero among fractions prints "0", as Octave does.
 *
 * format long
 *   Every number is format_repr: the shortest decimal that strtod reads back
 *   as the same double, laid out as Python's repr ("1.1",
 *   "0.9247976287021183", "1e-05", "1e+16") except that integers drop ".0"
 *   ("3"), -0.0 is "-0" (so that it reads back exactly), and the non-finite
 *   values are "NaN", "Inf", "-Inf" as in short.  In a tensor each element is
 *   right-aligned in the widest element's width, preceded by two spaces.
 *
 * Scalar functions write at most n bytes (NUL included) into buf and return
 * buf; n >= 32 always suffices.
 */
#ifndef NUDGE_FORMAT_H
#define NUDGE_FORMAT_H

#include <stddef.h>

#include "nudge/error.h"
#include "nudge/tensor.h"

typedef enum FormatMode { FORMAT_SHORT, FORMAT_LONG } FormatMode;

/* A buffer size that holds any number this module writes. */
enum { FORMAT_NUMBER_MAX = 32 };

/* Writes x as `format short` or `format long` shows a scalar; returns buf. */
const char *format_number(double x, FormatMode mode, char *buf, size_t n);

/* Writes the shortest decimal that reads back (strtod) as exactly x, in
 * Python's repr layout (see above); returns buf. */
const char *format_repr(double x, char *buf, size_t n);

/* The compact form used inside explanations.  Short mode: NaN/Inf as above;
 * integers with |x| < 1e10 with no decimals ("3"); 1e-4 <= |x| < 1e5 with at
 * most 4 decimals and trailing zeros stripped ("0.5", "0.9248", "-0.0001");
 * other non-zero values in e-notation with at most 4 mantissa decimals,
 * trailing zeros stripped ("1.2346e+05", "1e-05", "1e+10").  Long mode:
 * format_repr.  Returns buf. */
const char *format_inline_number(double x, FormatMode mode, char *buf, size_t n);

/* A tensor on one line, numbers as format_inline_number: "[1.5, 1.5, 1]",
 * "[[0, 1], [1, 0]]"; an empty vector is "[]", a 2 x 0 matrix "[[], []]".
 * Returns a string owned by the caller (free with mem_free), or NULL with *e
 * set when memory runs out. */
char *format_inline(const Tensor *t, FormatMode mode, Error *e);

/* The body of a tensor's display, Octave style: one line per row, each
 * ending in '\n', with no "name =" header and no blank lines around it.  A
 * vector is one row, an n x 1 matrix a column; an empty tensor is the single
 * line "[](0x3)" (rows x cols).  width is the terminal width in columns (0 =
 * no limit): wider rows are split into chunks of columns that fit (at least
 * one column each), each chunk preceded by " Columns 1 through 8:",
 * " Columns 9 and 10:" or " Column 11:" and a blank line, with a blank line
 * between chunks.  Returns a string owned by the caller (free with
 * mem_free), or NULL with *e set when memory runs out. */
char *format_tensor(const Tensor *t, FormatMode mode, int width, Error *e);

/* The corners of a large matrix: its first and last keep_rows rows with a
 * line "   ..." between them (all rows when there are at most 2 * keep_rows)
 * and, likewise, its first and last keep_cols columns with "  ..." between
 * them.  The numbers are laid out as format_tensor lays out the whole
 * matrix, so the corners read as a part of it.  Returns a string owned by
 * the caller, or NULL with *e set when memory runs out. */
char *format_tensor_corners(const Tensor *t, FormatMode mode, size_t keep_rows, size_t keep_cols, Error *e);

#endif
