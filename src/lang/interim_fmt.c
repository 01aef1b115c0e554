/* interim_fmt.c - stand-ins for pyformat.c and npprint.c while those are
 * written; replaced wholesale. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nudge/format.h"
#include "nudge/mem.h"
#include "nudge/npprint.h"
#include "nudge/pyformat.h"

const char *pyformat_float_repr(double x, char *buf, size_t n)
{
    if (isnan(x))
        return snprintf(buf, n, "nan"), buf;
    if (isinf(x))
        return snprintf(buf, n, x > 0 ? "inf" : "-inf"), buf;
    if (x == 0)
        return snprintf(buf, n, signbit(x) ? "-0.0" : "0.0"), buf;
    format_repr(x, buf, n);
    if (!strpbrk(buf, ".e"))
        strncat(buf, ".0", n - strlen(buf) - 1);
    return buf;
}

/* Whether spec (flags, width, precision, without the type letter) can go
 * into a printf format as it is: anything else (a '%', a '*', letters) would
 * make printf read arguments that are not there. */
static bool spec_safe(const char *spec, size_t len)
{
    size_t i = 0;
    while (i < len && strchr("-+ #0", spec[i]))
        i++;
    size_t w = 0;
    while (i < len && spec[i] >= '0' && spec[i] <= '9')
        i++, w++;
    if (i < len && spec[i] == '.') {
        i++;
        size_t p = 0;
        while (i < len && spec[i] >= '0' && spec[i] <= '9')
            i++, p++;
        if (p == 0 || p > 3)
            return false;
    }
    return i == len && w <= 3;
}

static bool bad_spec(const char *spec, size_t len, Error *e)
{
    return error_set(e, ERROR_ARG, "format: '%.*s' is not a format spec nudge knows yet", (int)(len < 40 ? len : 40),
                     spec);
}

static bool spec_printf(const char *cfmt, double x, Text *out)
{
    text_printf(out, cfmt, x);
    return true;
}

bool pyformat_float(double x, const char *spec, size_t len, Text *out, Error *e)
{
    char s[64], c[80];
    if (len >= 32)
        return bad_spec(spec, len, e);
    snprintf(s, sizeof s, "%.*s", (int)len, spec);
    char type = len ? s[len - 1] : 0;
    if (!type || !strchr("eEfFgG%", type)) {
        char r[PYFORMAT_NUMBER_MAX];
        text_puts(out, pyformat_float_repr(x, r, sizeof r));
        return true;
    }
    if (!spec_safe(spec, len - 1))
        return bad_spec(spec, len, e);
    if (type == '%') {
        s[len - 1] = 'f';
        x *= 100;
    }
    snprintf(c, sizeof c, "%%%s", s);
    spec_printf(c, x, out);
    if (type == '%')
        text_puts(out, "%");
    (void)e;
    return true;
}

bool pyformat_int(long long x, const char *spec, size_t len, Text *out, Error *e)
{
    char s[64], c[80];
    if (len >= 32)
        return bad_spec(spec, len, e);
    snprintf(s, sizeof s, "%.*s", (int)len, spec);
    char type = len ? s[len - 1] : 'd';
    if (strchr("eEfFgG%", type))
        return pyformat_float((double)x, spec, len, out, e);
    if (len && !spec_safe(spec, type == 'd' ? len - 1 : len))
        return bad_spec(spec, len, e);
    if (type != 'd')
        strncat(s, "d", sizeof s - strlen(s) - 1);
    snprintf(c, sizeof c, "%%%.*slld", (int)(strlen(s) - 1), s);
    text_printf(out, c, x);
    return true;
}

bool pyformat_bool(bool x, const char *spec, size_t len, Text *out, Error *e)
{
    return pyformat_int(x, spec, len, out, e);
}

bool pyformat_str(const char *s, size_t n, const char *spec, size_t len, Text *out, Error *e)
{
    (void)e;
    long w = len ? strtol(spec[0] == '<' || spec[0] == '>' ? spec + 1 : spec, NULL, 10) : 0;
    if (w > 4096)
        w = 4096;
    bool left = !len || spec[0] != '>';
    if (left)
        text_append(out, s, n);
    for (long i = (long)n; i < w; i++)
        text_puts(out, " ");
    if (!left)
        text_append(out, s, n);
    return true;
}

bool pyformat_percent_number(bool is_float, double x, long long i, char conv, const char *spec, size_t len,
                             Text *out, Error *e)
{
    char c[64];
    if (!spec_safe(spec, len) || !strchr("diueEfFgG", conv))
        return error_set(e, ERROR_ARG, "%%: '%%%.*s%c' is not a conversion nudge knows yet", (int)(len < 40 ? len : 40),
                         spec, conv);
    if (strchr("diu", conv)) {
        snprintf(c, sizeof c, "%%%.*slld", (int)len, spec);
        text_printf(out, c, is_float ? (long long)x : i);
    } else {
        snprintf(c, sizeof c, "%%%.*s%c", (int)len, spec, conv);
        text_printf(out, c, is_float ? x : (double)i);
    }
    return true;
}

bool pyformat_percent_str(const char *s, size_t n, const char *spec, size_t len, Text *out, Error *e)
{
    return pyformat_str(s, n, spec, len, out, e);
}

void npprint_defaults(NpPrintOptions *o)
{
    memset(o, 0, sizeof *o);
    o->precision = 8;
    o->linewidth = 75;
    o->threshold = 1000;
    o->edgeitems = 3;
    o->sign = '-';
}

void npprint_free(NpPrintOptions *o)
{
    mem_free(o->float_spec);
    mem_free(o->int_spec);
    o->float_spec = o->int_spec = NULL;
}

static char *npprint_text(const Tensor *t, const NpPrintOptions *o, bool repr, Error *e)
{
    Text out = {0};
    if (repr)
        text_puts(&out, "array(");
    text_puts(&out, "[");
    for (size_t r = 0; r < t->rows; r++) {
        if (t->ndim == 2)
            text_puts(&out, r ? (repr ? ",\n       [" : "\n [") : "[");
        for (size_t c = 0; c < t->cols; c++) {
            double d = tensor_at(t, r, c);
            if (c)
                text_puts(&out, repr ? ", " : " ");
            if (t->dtype == DTYPE_BOOL)
                text_puts(&out, d != 0 ? " True" : "False");
            else if (t->dtype == DTYPE_INT64)
                text_printf(&out, "%lld", (long long)d);
            else if (o->float_spec) {
                pyformat_float(d, o->float_spec, strlen(o->float_spec), &out, e);
            } else {
                char b[40];
                snprintf(b, sizeof b, "%.*g", o->precision, d);
                text_puts(&out, b);
                if (!strpbrk(b, ".e"))
                    text_puts(&out, ".");
            }
        }
        if (t->ndim == 2)
            text_puts(&out, "]");
    }
    text_puts(&out, "]");
    if (repr)
        text_puts(&out, ")");
    return text_finish(&out, e);
}

char *npprint_str(const Tensor *t, const NpPrintOptions *o, Error *e) { return npprint_text(t, o, false, e); }
char *npprint_repr(const Tensor *t, const NpPrintOptions *o, Error *e) { return npprint_text(t, o, true, e); }
