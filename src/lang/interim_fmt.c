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

static bool spec_printf(const char *cfmt, double x, Text *out)
{
    text_printf(out, cfmt, x);
    return true;
}

bool pyformat_float(double x, const char *spec, size_t len, Text *out, Error *e)
{
    char s[64], c[80];
    snprintf(s, sizeof s, "%.*s", (int)len, spec);
    char type = len ? s[len - 1] : 0;
    if (!strchr("eEfFgG%", type)) {
        char r[PYFORMAT_NUMBER_MAX];
        text_puts(out, pyformat_float_repr(x, r, sizeof r));
        return true;
    }
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
    snprintf(s, sizeof s, "%.*s", (int)len, spec);
    char type = len ? s[len - 1] : 'd';
    if (strchr("eEfFgG%", type))
        return pyformat_float((double)x, spec, len, out, e);
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
    int w = atoi(spec[0] == '<' || spec[0] == '>' ? spec + 1 : spec);
    bool left = !len || spec[0] != '>';
    if (left)
        text_append(out, s, n);
    for (int i = (int)n; i < w; i++)
        text_puts(out, " ");
    if (!left)
        text_append(out, s, n);
    return true;
}

bool pyformat_percent_number(bool is_float, double x, long long i, char conv, const char *spec, size_t len,
                             Text *out, Error *e)
{
    char c[64];
    (void)e;
    if (strchr("di", conv)) {
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
