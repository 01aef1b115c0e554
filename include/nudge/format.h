/* format.h - numbers and tensors as text, in `format short` and `format long`.
 *
 * Library code never prints: these functions write into a buffer the caller
 * gives (scalars) or return a heap string the caller frees (tensors).
 *
 * format short (the default): Octave 7's `format short`, number for number
 * (the rules of its pr-output.cc, output_precision 5).
 *   Scalars:
 *   - NaN, +inf, -inf print "NaN", "Inf", "-Inf"; zero (either sign) "0".
 *   - With d = floor(log10(|x|)) + 1 (the digits before the point, from
 *     the value before rounding):
 *     an integer prints in full ("3", "-1", "1234567");
 *     otherwise ld = max(d, 1) integer digits and rd decimals, rd = 5 - d
 *     for 0 < d < 5, 4 for d = 0, 5 - d for d < 0 (more below 0.1), and 5
 *     for d >= 5.  So 0.9247976 -> "0.9248", 3.5 -> "3.5000", 123.456 ->
 *     "123.46", 0.05 -> "0.050000", 9.99996 -> "10.0000".
 *   - When ld + rd > 7 (or the field passes 21 columns) the number prints
 *     "%.4e" instead: 12345.6 -> "1.2346e+04", 0.0012345678 ->
 *     "1.2346e-03", 12345678 -> "1.2346e+07", 1e-06 -> "1.0000e-06".
 *   Tensors (format_tensor) share one layout across all elements:
 *   - d_max and d_min from the largest and smallest finite |x| (an exact
 *     zero counts, with d = 0).
 *   - All integers (NaN and Inf allowed): fw = max(d_max, d_min) + 1 (at
 *     least 2, at least 4 with NaN/Inf).  [3, -1, 2] -> "   3  -1   2".
 *   - Otherwise ld and rd as for scalars, the larger of the two ends each,
 *     and fw = 1 + ld + 1 + rd (a sign slot).  [0.758, 0.771] ->
 *     "   0.7580   0.7710".
 *   - Too many digits (as for scalars; for integers when fw > 7) switch
 *     every element to "%.4e" in a field of 11, or 12 when an exponent
 *     needs three digits: [0.001, 1] -> "   1.0000e-03   1.0000e+00".
 *   - An exact zero prints "0"; NaN, Inf and -Inf as words; each element
 *     right-aligned in fw after two spaces.  A number that rounds up to
 *     more digits than the field holds is not cut, and pushes its row
 *     out, as in Octave ([-9.99996, 1] -> "  -10.0000   1.0000").
 *   One deliberate difference: whether all elements are integers is asked
 *   in double precision; Octave 7 asks in single precision, so it shows
 *   [3.0000001, 1] as "3   1" and [1e-50, 1] as "1e-50   1" where nudge
 *   shows "3.0000   1.0000" and e-notation.
 *
 * format long
 *   Every number is format_repr: the shortest decimal that strtod reads back
 *   as the same double (pyformat_digits, the digits of Python's repr: of
 *   two equally short, the nearer), laid out as Python's repr ("1.1",
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
