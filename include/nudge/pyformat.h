/* pyformat.h - Python's text for numbers: repr of a float, format() with
 * a format spec, and printf-style % conversions.  Pure functions: they
 * append to a Text and return errors as values. */
#ifndef NUDGE_PYFORMAT_H
#define NUDGE_PYFORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/error.h"
#include "nudge/text.h"

enum { PYFORMAT_NUMBER_MAX = 40 };

/* repr(x) of a float, as Python 3 writes it ("0.1", "1e-05", "3.0",
 * "-0.0", "inf", "nan"); returns buf. */
const char *pyformat_float_repr(double x, char *buf, size_t n);

/* format(x, spec) for a float, an int, a bool and a str. */
bool pyformat_float(double x, const char *spec, size_t len, Text *out, Error *e);
bool pyformat_int(long long x, const char *spec, size_t len, Text *out, Error *e);
bool pyformat_bool(bool x, const char *spec, size_t len, Text *out, Error *e);
bool pyformat_str(const char *s, size_t n, const char *spec, size_t len, Text *out, Error *e);

/* One % conversion: spec is what stands between '%' and the conversion
 * letter (flags, width, precision). */
bool pyformat_percent_number(bool is_float, double x, long long i, char conv, const char *spec, size_t len,
                             Text *out, Error *e);
bool pyformat_percent_str(const char *s, size_t n, const char *spec, size_t len, Text *out, Error *e);

#endif
