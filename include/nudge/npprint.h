/* npprint.h - numpy 1.24's str() and repr() of arrays and scalars.
 *
 * Byte for byte what numpy prints (numpy/core/arrayprint.py, legacy=False)
 * for float64, int64 and bool arrays of one or two dimensions and for
 * their scalars, under any print options np.set_printoptions accepts for
 * them.  Pure: the options travel as a parameter; results are appended to
 * a Text the caller owns.
 *
 * The rules, in short:
 * - float64: scientific notation when the largest non-zero |x| >= 1e8, or
 *   (suppress off) when the smallest < 1e-4 or the largest / smallest
 *   > 1000; else positional.  Digits are Dragon4's: 'maxprec' (default)
 *   the shortest unique digits cut at `precision` after the point,
 *   'unique' the shortest, 'fixed' exactly `precision`, 'maxprec_equal'
 *   as maxprec then padded with digits so all have as many.  Every element
 *   is padded to a common width around the point ("1.  ", "0.25"); the
 *   sign option reserves a column (' ') or shows '+'; -0.0 prints "-0.".
 *   nan/inf (nanstr/infstr) are right-aligned in the same width.
 * - int64: right-aligned in the width of the longest of str(max), str(min).
 * - bool: " True" and "False".
 * - More than `threshold` elements: only `edgeitems` at each end of each
 *   axis longer than 2*edgeitems, with "..." between; the widths come
 *   from the shown elements only.
 * - Lines wrap before `linewidth` columns; continuation lines are indented
 *   under the first element.  repr is "array(" ... ")" with ", " between
 *   elements, and "dtype=" only where numpy adds it (empty arrays here).
 * - A float or int formatter (a format spec, e.g. " 0.3f" for numpy's
 *   formatter={'float': '{: 0.3f}'.format}) formats every element with
 *   Python's format() instead, with no common width.
 */
#ifndef NUDGE_NPPRINT_H
#define NUDGE_NPPRINT_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/error.h"
#include "nudge/tensor.h"
#include "nudge/text.h"

typedef enum NpFloatMode {
    NP_FLOATMODE_MAXPREC,        /* 'maxprec' (numpy's default) */
    NP_FLOATMODE_FIXED,          /* 'fixed' */
    NP_FLOATMODE_UNIQUE,         /* 'unique' */
    NP_FLOATMODE_MAXPREC_EQUAL   /* 'maxprec_equal' */
} NpFloatMode;

enum { NP_WORD_MAX = 32, NP_SPEC_MAX = 64 };

/* np.set_printoptions, for what nudge's arrays can print. */
typedef struct NpPrintOptions {
    int precision;              /* 8 */
    NpFloatMode floatmode;      /* maxprec */
    bool suppress;              /* false */
    int linewidth;              /* 75 */
    long threshold;             /* 1000 */
    int edgeitems;              /* 3 */
    char sign;                  /* '-', ' ' or '+' */
    char nanstr[NP_WORD_MAX];   /* "nan" */
    char infstr[NP_WORD_MAX];   /* "inf" */
    char float_spec[NP_SPEC_MAX]; /* a format spec for floats ("" = numpy's own) */
    char int_spec[NP_SPEC_MAX];   /* likewise for int64 arrays */
} NpPrintOptions;

/* numpy's defaults. */
void npprint_options_default(NpPrintOptions *o);

/* str(a) for an array t (ndim 1 or 2) holding dtype values: "[1.   0.25]",
 * "[[1 2]\n [3 4]]", "[]".  No trailing newline.  False with *e set when a
 * formatter spec is invalid (Python's message) or memory runs out. */
bool npprint_str(Text *out, const Tensor *t, Dtype dtype, const NpPrintOptions *o, Error *e);

/* repr(a): "array([1.  , 0.25])", "array([[1, 2],\n       [3, 4]])",
 * "array([], dtype=float64)", "array([], shape=(0, 3), dtype=int64)". */
bool npprint_repr(Text *out, const Tensor *t, Dtype dtype, const NpPrintOptions *o, Error *e);

/* str() and repr() of a numpy scalar, which numpy 1.24 prints the same:
 * np.float64 as Python's float repr ("0.1", "1e-05", "-0.0", "nan"),
 * np.int64 as an int, np.bool_ as True/False.  Print options do not
 * apply. */
void npprint_scalar(Text *out, double x, Dtype dtype);

/* numpy's name of a dtype: "float64", "int64", "bool". */
const char *npprint_dtype_name(Dtype dtype);

#endif
