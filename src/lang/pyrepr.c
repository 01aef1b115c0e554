/* pyrepr.c - Python's str() and repr() of values, format() with a format
 * spec, and the % operator on strings: the text print() and f-strings
 * write.  Numbers and specs are pyformat's, arrays npprint's. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nudge/builtins.h"
#include "nudge/mem.h"
#include "nudge/pyformat.h"
#include "nudge/text.h"
#include "state.h"

bool value_pystr(Interp *in, const Value *v, Text *out, Error *e);
bool value_pyrepr(Interp *in, const Value *v, Text *out, Error *e);

/* repr of a str: single quotes unless the text holds one and no double. */
static void str_repr(Text *out, const char *s, size_t len)
{
    bool has_single = memchr(s, '\'', len) != NULL, has_double = memchr(s, '"', len) != NULL;
    char q = has_single && !has_double ? '"' : '\'';
    text_append(out, &q, 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == (unsigned char)q || c == '\\')
            text_printf(out, "\\%c", c);
        else if (c == '\n')
            text_puts(out, "\\n");
        else if (c == '\r')
            text_puts(out, "\\r");
        else if (c == '\t')
            text_puts(out, "\\t");
        else if (c < 0x20 || c == 0x7f)
            text_printf(out, "\\x%02x", c);
        else
            text_append(out, s + i, 1);
    }
    text_append(out, &q, 1);
}

static bool array_text(Interp *in, const Tensor *t, bool repr, Text *out, Error *e)
{
    char *s = repr ? npprint_repr(t, &in->printopts, e) : npprint_str(t, &in->printopts, e);
    if (!s)
        return false;
    text_puts(out, s);
    mem_free(s);
    return true;
}

enum { MAX_NESTING = 100 };

/* The containers being written, outermost first: one that holds itself
 * shows as [...] or {...} inside, as in Python. */
typedef struct Open {
    const void *obj[MAX_NESTING + 2];
    int n;
} Open;

static bool text_of(Interp *in, const Value *v, bool repr, Text *out, Open *open, Error *e);

static bool items_text(Interp *in, const Value *items, size_t n, Text *out, Open *open, Error *e)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            text_puts(out, ", ");
        if (!text_of(in, &items[i], true, out, open, e))
            return false;
    }
    return true;
}

/* Whether obj is being written already (further out). */
static bool is_open(const Open *open, const void *obj)
{
    for (int i = 0; i < open->n; i++)
        if (open->obj[i] == obj)
            return true;
    return false;
}

/* The text of v: repr when repr is set, else str; they differ for strings
 * and arrays, and for what containers hold (always repr). */
static bool text_body(Interp *in, const Value *v, bool repr, Text *out, Open *open, Error *e);

static bool text_of(Interp *in, const Value *v, bool repr, Text *out, Open *open, Error *e)
{
    const void *obj = v->kind == VALUE_LIST || v->kind == VALUE_TUPLE ? (const void *)v->as.list
                    : v->kind == VALUE_DICT ? (const void *)v->as.dict
                    : v->kind == VALUE_RECORD ? (const void *)v->as.record : NULL;
    if (!obj)
        return text_body(in, v, repr, out, open, e);
    if (is_open(open, obj)) {
        text_puts(out, v->kind == VALUE_LIST ? "[...]" : v->kind == VALUE_TUPLE ? "(...)" : "{...}");
        return true;
    }
    if (open->n > MAX_NESTING)
        return error_set(e, ERROR_LIMIT, "values nested more than %d deep", MAX_NESTING);
    open->obj[open->n++] = obj;
    bool ok = text_body(in, v, repr, out, open, e);
    open->n--;
    return ok;
}

static bool text_body(Interp *in, const Value *v, bool repr, Text *out, Open *open, Error *e)
{
    char num[PYFORMAT_NUMBER_MAX];
    switch (v->kind) {
    case VALUE_NONE:
        text_puts(out, "None");
        return true;
    case VALUE_BOOL:
        text_puts(out, v->as.integer ? "True" : "False");
        return true;
    case VALUE_INT:
        text_printf(out, "%lld", v->as.integer);
        return true;
    case VALUE_NUMBER:
        text_puts(out, pyformat_float_repr(v->as.number, num, sizeof num));
        return true;
    case VALUE_STRING:
        if (repr)
            str_repr(out, value_str(v), value_strlen(v));
        else
            text_append(out, value_str(v), value_strlen(v));
        return true;
    case VALUE_TENSOR:
        return array_text(in, v->as.tensor, repr, out, e);
    case VALUE_LIST:
        text_puts(out, "[");
        if (!items_text(in, v->as.list->items, v->as.list->n, out, open, e))
            return false;
        text_puts(out, "]");
        return true;
    case VALUE_TUPLE:
        text_puts(out, "(");
        if (!items_text(in, v->as.list->items, v->as.list->n, out, open, e))
            return false;
        text_puts(out, v->as.list->n == 1 ? ",)" : ")");
        return true;
    case VALUE_DICT: {
        const Dict *d = v->as.dict;
        text_puts(out, "{");
        for (size_t i = 0; i < d->n; i++) {
            if (i)
                text_puts(out, ", ");
            if (!text_of(in, &d->keys[i], true, out, open, e))
                return false;
            text_puts(out, ": ");
            if (!text_of(in, &d->vals[i], true, out, open, e))
                return false;
        }
        text_puts(out, "}");
        return true;
    }
    case VALUE_RANGE: {
        const Range *r = v->as.range;
        if (r->step == 1)
            text_printf(out, "range(%lld, %lld)", r->start, r->stop);
        else
            text_printf(out, "range(%lld, %lld, %lld)", r->start, r->stop, r->step);
        return true;
    }
    case VALUE_BUILTIN:
        if (v->as.builtin->flags & BUILTIN_TYPE)
            text_printf(out, "<class '%s%s'>", !strcmp(v->as.builtin->name, "ndarray") ? "numpy." : "",
                        v->as.builtin->name);
        else
            text_printf(out, "<built-in function %s>", v->as.builtin->name);
        return true;
    case VALUE_FUNCTION:
        text_printf(out, "<function %s>", v->as.func->name);
        return true;
    case VALUE_METHOD:
        text_printf(out, "<built-in method %s of %s object>", v->as.method->fn->name,
                    value_type_name(v->as.method->self));
        return true;
    case VALUE_MODULE:
        text_printf(out, "<module '%s'>", builtin_module_name(v->as.module));
        return true;
    case VALUE_RECORD: {
        const Record *r = v->as.record;
        text_puts(out, "record(");
        for (size_t i = 0; i < r->n; i++) {
            text_printf(out, "%s%s=", i ? ", " : "", r->names[i]);
            if (!text_of(in, &r->values[i], true, out, open, e))
                return false;
        }
        text_puts(out, ")");
        return true;
    }
    case VALUE_PERCEPTRON:
    case VALUE_MLP: {
        char *s = value_inline(v, in->format, e);
        if (!s)
            return false;
        text_printf(out, "<%s>", s);
        mem_free(s);
        return true;
    }
    case VALUE_UNBOUND:
        text_puts(out, "<unbound>");
        return true;
    }
    return true;
}

bool value_pystr(Interp *in, const Value *v, Text *out, Error *e)
{
    Open open = { .n = 0 };
    if (!text_of(in, v, false, out, &open, e))
        return false;
    return !out->failed || error_nomem(e, "str");
}

bool value_pyrepr(Interp *in, const Value *v, Text *out, Error *e)
{
    Open open = { .n = 0 };
    if (!text_of(in, v, true, out, &open, e))
        return false;
    return !out->failed || error_nomem(e, "repr");
}

/* format(v, spec): Python's format-spec mini-language on numbers, bools
 * and strings; an empty spec is str(v). */
bool value_format(Interp *in, const Value *v, const char *spec, size_t speclen, Text *out, Error *e)
{
    if (speclen == 0)
        return value_pystr(in, v, out, e);
    switch (v->kind) {
    case VALUE_INT:
        return pyformat_int(v->as.integer, spec, speclen, out, e);
    case VALUE_BOOL:
        return pyformat_bool(v->as.integer != 0, spec, speclen, out, e);
    case VALUE_NUMBER:
        return pyformat_float(v->as.number, spec, speclen, out, e);
    case VALUE_STRING:
        return pyformat_str(value_str(v), value_strlen(v), spec, speclen, out, e);
    case VALUE_TENSOR:
        if (tensor_size(v->as.tensor) == 1 && v->as.tensor->dtype == DTYPE_FLOAT64)
            return pyformat_float(v->as.tensor->data[0], spec, speclen, out, e);
        return error_set(e, ERROR_TYPE, "format: an array takes no format spec ('%.*s'); format its elements, or "
                         "set np.set_printoptions", (int)speclen, spec);
    default: {
        /* Python formats other objects with str() and a string spec. */
        Text s = {0};
        bool ok = value_pystr(in, v, &s, e)
               && pyformat_str(s.s ? s.s : "", s.len, spec, speclen, out, e);
        text_free(&s);
        return ok;
    }
    }
}

/* fmt % args: printf-style conversions, one value each from a tuple (or
 * the one value), or by name from a dict. */
bool string_percent(Interp *in, const Value *fmt, const Value *args, Value *out, Error *e)
{
    const char *s = value_str(fmt);
    size_t len = value_strlen(fmt);
    const Value *items = args;
    size_t nitems = 1, next = 0;
    if (args->kind == VALUE_TUPLE) {
        items = args->as.list->items;
        nitems = args->as.list->n;
    }
    bool by_name = args->kind == VALUE_DICT;
    Text t = {0};
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '%') {
            text_append(&t, s + i, 1);
            continue;
        }
        size_t j = i + 1;
        const Value *item = NULL;
        if (j < len && s[j] == '(' && by_name) {
            size_t close = j + 1;
            while (close < len && s[close] != ')')
                close++;
            if (close >= len) {
                text_free(&t);
                return error_set(e, ERROR_ARG, "%%: a '(' in the format has no ')'");
            }
            Value key;
            if (!value_string(&key, s + j + 1, close - j - 1, e)) {
                text_free(&t);
                return false;
            }
            item = dict_get(args, &key);
            value_free(&key);
            if (!item) {
                text_free(&t);
                return error_set(e, ERROR_NAME, "%%: the dict has no key '%.*s'", (int)(close - j - 1), s + j + 1);
            }
            j = close + 1;
        }
        /* flags, width, precision, conversion */
        size_t spec_start = j;
        while (j < len && strchr("-+ #0", s[j]))
            j++;
        while (j < len && s[j] >= '0' && s[j] <= '9')
            j++;
        if (j < len && s[j] == '.') {
            j++;
            while (j < len && s[j] >= '0' && s[j] <= '9')
                j++;
        }
        if (j >= len) {
            text_free(&t);
            return error_set(e, ERROR_ARG, "%%: the format ends in the middle of a conversion");
        }
        char conv = s[j];
        if (conv == '%') {
            text_puts(&t, "%");
            i = j;
            continue;
        }
        if (!item) {
            if (by_name) {
                text_free(&t);
                return error_set(e, ERROR_ARG, "%%: with a dict, each conversion names its key: %%(name)s");
            }
            if (next >= nitems) {
                text_free(&t);
                return error_set(e, ERROR_ARG, "%%: not enough values for the format (%zu given)", nitems);
            }
            item = &items[next++];
        }
        bool ok;
        if (conv == 's' || conv == 'r' || conv == 'a') {
            Text v = {0};
            ok = conv == 's' ? value_pystr(in, item, &v, e) : value_pyrepr(in, item, &v, e);
            if (ok)
                ok = pyformat_percent_str(v.s ? v.s : "", v.len, s + spec_start, j - spec_start, &t, e);
            text_free(&v);
        } else if (value_is_scalar(item)) {
            ok = pyformat_percent_number(item->kind == VALUE_NUMBER, value_to_double(item),
                                         item->kind == VALUE_NUMBER ? 0 : item->as.integer, conv, s + spec_start,
                                         j - spec_start, &t, e);
        } else if (item->kind == VALUE_TENSOR && tensor_size(item->as.tensor) == 1) {
            const Tensor *x = item->as.tensor;
            ok = pyformat_percent_number(x->dtype == DTYPE_FLOAT64, x->data[0], (long long)x->data[0], conv,
                                         s + spec_start, j - spec_start, &t, e);
        } else {
            char d[64];
            ok = error_set(e, ERROR_TYPE, "%%%c: needs a number, not %s", conv, value_describe(item, d, sizeof d));
        }
        if (!ok) {
            text_free(&t);
            return false;
        }
        i = j;
    }
    if (!by_name && next < nitems && args->kind == VALUE_TUPLE) {
        text_free(&t);
        return error_set(e, ERROR_ARG, "%%: not all of the %zu values were used by the format", nitems);
    }
    if (t.failed) {
        text_free(&t);
        return error_nomem(e, "%");
    }
    bool ok = value_string(out, t.s ? t.s : "", t.len, e);
    text_free(&t);
    return ok;
}
