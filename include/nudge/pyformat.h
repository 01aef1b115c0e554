/* pyformat.h - Python 3.11's text for numbers and strings.
 *
 * What Python prints, byte for byte: repr()/str() of a float and of an int,
 * format(value, spec) (which is what f"{v:spec}" and "{:spec}".format(v)
 * do) for float, int, bool and str, and printf-style "%" conversions one
 * value at a time.  The module is pure: no interpreter, no globals, no
 * printing; results are appended to a Text the caller owns.
 *
 * It also owns nudge's one decimal-digit generator (pyformat_digits), which
 * npprint (numpy's array text) and format (`format long`) use too.
 *
 * Errors come back in *e with Python's own message (without the exception
 * name) and a code that says which exception Python raises:
 *   ValueError     -> ERROR_ARG      ("Unknown format code 'd' for object of type 'float'")
 *   TypeError      -> ERROR_TYPE     ("%d format: a real number is required, not str")
 *   OverflowError  -> ERROR_LIMIT    ("%c arg not in range(0x110000)")
 * A width or precision whose output would pass PYFORMAT_OUTPUT_MAX
 * characters is refused with ERROR_LIMIT (Python would try to build it).
 * Text is UTF-8; widths and precisions count code points, as Python does.
 */
#ifndef NUDGE_PYFORMAT_H
#define NUDGE_PYFORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nudge/error.h"
#include "nudge/text.h"

/* The longest text (in bytes) one call may produce: 16 MiB. */
#define PYFORMAT_OUTPUT_MAX ((size_t)1 << 24)

/* --- digits ------------------------------------------------------------ */

/* How pyformat_digits cuts the digit string. */
typedef enum PyCutoff {
    PY_CUT_NONE,        /* no limit: all digits (exact) or the shortest (unique) */
    PY_CUT_TOTAL,       /* max counts significant digits */
    PY_CUT_FRACTION     /* max counts digits after the decimal point */
} PyCutoff;

typedef struct PyDigitsSpec {
    bool unique;        /* the shortest digits that read back as x; else exact */
    PyCutoff cut;
    int max;            /* the cut: at most this many digits (rounded); -1 none */
    int min;            /* unique only: at least this many, same unit (with
                         * PY_CUT_TOTAL or _FRACTION; max may be -1); -1 none */
} PyDigitsSpec;

/* Room for every digit a double can need (the exact expansion of the
 * smallest subnormal has 751 significant digits). */
enum { PY_DIGITS_MAX = 800 };

/* The decimal digits of |x| (x finite), as Dragon4 (Steele & White, Burger
 * & Dybvig) generates them on exact big integers.  Unique mode stops at
 * the shortest prefix that identifies x among its neighbours (an interval
 * end counts when x's significand is even, as round-half-even reading
 * does); exact mode stops when the remainder is zero.  At the cut, or when
 * both neighbours are out of reach, the last digit is rounded on the exact
 * value, ties to the even digit, carrying into the digits before it.  So:
 *   unique, PY_CUT_NONE          -> Python's repr digits
 *   exact,  PY_CUT_TOTAL, p      -> printf's "%.{p-1}e" digits
 *   exact,  PY_CUT_FRACTION, p   -> printf's "%.{p}f" digits
 * and numpy's dragon4_positional/scientific with the same options.
 * Writes the digits (ASCII, no point, no NUL) to d, at most cap of them,
 * and returns how many (at least 1); *exp10 is the decimal exponent of the
 * first digit: x ~ d[0].d[1]d[2]... * 10^*exp10.  Zero is "0" with exponent 0;
 * a value that rounds away at a fraction cut is the single digit "0" with
 * exponent -max.  Trailing zeros may be present (exact mode at a cut). */
int pyformat_digits(double x, const PyDigitsSpec *spec, char *d, int cap, int *exp10);

/* --- repr -------------------------------------------------------------- */

/* Enough for any float or int repr, NUL included. */
enum { PYFORMAT_REPR_MAX = 32 };

/* repr(x) == str(x) for a Python float: "0.1", "1.0", "1e-05", "1e+16",
 * "123456789012345.0", "-0.0", "inf", "-inf", "nan".  Shortest round-trip
 * digits; positional when -4 <= exponent < 16.  buf holds at least
 * PYFORMAT_REPR_MAX bytes; returns buf. */
const char *pyformat_float_repr(double x, char *buf);

/* What C's printf gives for "%.{precision}e" (code 'e') or
 * "%.{precision}f" (code 'f') of a finite x, from pyformat_digits (glibc
 * prints the same digits, faster here).  Writes at most n bytes (NUL
 * included) into buf; returns buf. */
const char *pyformat_printf(double x, char code, int precision, char *buf, size_t n);

/* repr(v) of a Python int: "-9223372036854775808".  Returns buf (at least
 * PYFORMAT_REPR_MAX bytes). */
const char *pyformat_int_repr(int64_t v, char *buf);

/* repr(s) of a Python str (s holds n bytes of UTF-8): quoted with ' unless
 * s has a ' and no ", with \\, \n, \r, \t, \xhh for other control
 * characters (and U+007F..U+009F, U+00AD).  ascii=true gives ascii(s):
 * every non-ASCII code point as \xhh, \uhhhh or \Uhhhhhhhh. */
void pyformat_str_repr(Text *out, const char *s, size_t n, bool ascii);

/* --- format(value, spec) ----------------------------------------------- */

/* The Python type of a value to format. */
typedef enum PyArgKind {
    PY_ARG_FLOAT, PY_ARG_INT, PY_ARG_BOOL, PY_ARG_STR,
    PY_ARG_OBJECT       /* anything else: the caller gives its str() and repr() */
} PyArgKind;

/* A parsed format spec:
 *   [[fill]align][sign][z][#][0][width][grouping][.precision][type] */
typedef struct PySpec {
    char fill[5];       /* the fill character, UTF-8, NUL-terminated */
    char align;         /* '<' '>' '^' '=', or 0 for the type's default */
    char sign;          /* '+' '-' ' ', or 0 */
    bool no_neg_zero;   /* z */
    bool alternate;     /* # */
    bool zero_pad;      /* a 0 before the width set the fill (and maybe '=') */
    long width;         /* -1 when absent */
    char grouping;      /* ',' '_' or 0 */
    long precision;     /* -1 when absent */
    char type;          /* the type letter, the kind's default, or 0 ('?' when not ASCII) */
    uint32_t type_cp;   /* the type's code point (for the error of a non-ASCII one) */
    bool empty;         /* the spec was "" (format gives str(value)) */
} PySpec;

/* Parses spec (NUL-terminated) for a value of the given kind (which sets
 * the default type: 's' for str, 'd' for int and bool, none for float),
 * whose Python type is type_name ("float", "int", "bool", "str"; used in
 * the error messages; numpy's scalars say "float" and "int" too).  Python
 * checks the fields in this order and says, e.g., "Invalid format specifier
 * '5.2fx' for object of type 'float'", "Format specifier missing precision",
 * "Cannot specify both ',' and '_'.", "Cannot specify ',' with 'x'.". */
bool pyformat_spec_parse(const char *spec, PyArgKind kind, const char *type_name, PySpec *out, Error *e);

/* format(x, spec) for a parsed spec; type_name ("float") appears in
 * "Unknown format code" errors. */
bool pyformat_float_spec(Text *out, double x, const PySpec *spec, const char *type_name, Error *e);
/* format(v, spec) for an int (type_name "int") or a bool (type_name "bool":
 * an empty spec gives "True"/"False", any other formats 1/0 as an int).
 * Float types (e E f F g G n %) convert v to the nearest double first. */
bool pyformat_int_spec(Text *out, int64_t v, const PySpec *spec, const char *type_name, Error *e);
/* format(s, spec) for a str of n bytes of UTF-8. */
bool pyformat_str_spec(Text *out, const char *s, size_t n, const PySpec *spec, Error *e);

/* Parse and format in one call. */
bool pyformat_float(Text *out, double x, const char *spec, Error *e);
bool pyformat_int(Text *out, int64_t v, const char *spec, Error *e);
bool pyformat_bool(Text *out, bool b, const char *spec, Error *e);
bool pyformat_str(Text *out, const char *s, size_t n, const char *spec, Error *e);

/* --- printf-style "%" formatting --------------------------------------- */

/* One conversion of a format string: %[(key)][flags][width][.precision][lenmod]conv */
typedef struct PyPercent {
    const char *key;    /* the mapping key inside %(...), not NUL-terminated; NULL when none */
    size_t key_len;
    bool left;          /* - */
    bool plus;          /* + */
    bool space;         /* ' ' */
    bool alternate;     /* # */
    bool zero;          /* 0 */
    long width;         /* -1 when absent */
    long precision;     /* -1 when absent */
    bool width_star;    /* the width was '*': the caller stores the value in width */
    bool precision_star; /* likewise for the precision */
    char conv;          /* d i u o x X e E f F g G c r s a, '%' for "%%";
                         * any other character is kept and refused by
                         * pyformat_percent, after the caller fetched the
                         * value, which is when Python refuses it */
    uint32_t conv_cp;   /* the conversion's code point */
    size_t index;       /* its index in fmt, in code points (for the error);
                         * 0 for the literal "%%" */
} PyPercent;

/* Parses the conversion that starts at fmt[*pos] (which must be '%') of
 * the format string fmt (len bytes), and moves *pos past it.  "%%" gives
 * conv '%' and takes no value.  Errors are Python's: "incomplete format",
 * "incomplete format key", "width too big", "precision too big".  For a
 * '*' width or precision the caller takes the next value of its tuple
 * (Python: "* wants int" unless it is an int) and stores it in the field
 * before calling pyformat_percent. */
bool pyformat_percent_parse(const char *fmt, size_t len, size_t *pos, PyPercent *out, Error *e);

/* The value one conversion formats. */
typedef struct PyArg {
    PyArgKind kind;
    double f;           /* PY_ARG_FLOAT */
    int64_t i;          /* PY_ARG_INT */
    bool b;             /* PY_ARG_BOOL */
    const char *s;      /* PY_ARG_STR: the string; PY_ARG_OBJECT: its str() */
    size_t n;           /* bytes of s */
    const char *repr;   /* PY_ARG_OBJECT: its repr() */
    size_t repr_n;
    const char *type_name; /* PY_ARG_OBJECT: Python's type name for errors ("list") */
} PyArg;

/* Appends what Python's `"%<spec>" % (arg,)` gives for the one conversion
 * p (as parsed, with the value of any '*' stored: a negative '*' width
 * means left-justified, a negative '*' precision counts as 0).  conv '%'
 * (from "%%") appends "%" and ignores arg.  An unknown conversion is
 * "unsupported format character 'q' (0x71) at index 3". */
bool pyformat_percent(Text *out, const PyPercent *p, const PyArg *arg, Error *e);

#endif
