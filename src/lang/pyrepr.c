/* pyrepr.c - Python's str() and repr() of values, format() with a format
 * spec, and the % operator on strings: the text print() and f-strings
 * write.  Numbers and specs are pyformat's, arrays npprint's. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nudge/builtins.h"
#include "nudge/interrupt.h"
#include "nudge/mem.h"
#include "nudge/pyformat.h"
#include "nudge/text.h"
#include "state.h"

bool value_pystr(Interp *in, const Value *v, Text *out, Error *e);
bool value_pyrepr(Interp *in, const Value *v, Text *out, Error *e);

static bool array_text(Interp *in, const Tensor *t, bool repr, Text *out, Error *e)
{
    return repr ? npprint_repr(out, t, t->dtype, &in->printopts, e) : npprint_str(out, t, t->dtype, &in->printopts, e);
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
        /* str of a list of 10^7 items takes a second: Ctrl-C every 2^16 */
        if (i && i % ((size_t)1 << 16) == 0 && interrupt_check(e))
            return false;
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
    char num[PYFORMAT_REPR_MAX];
    switch (v->kind) {
    case VALUE_NONE:
        text_puts(out, "None");
        return true;
    case VALUE_BOOL:
        text_puts(out, v->as.integer ? "True" : "False");
        return true;
    case VALUE_INT:
        text_puts(out, pyformat_int_repr(v->as.integer, num));
        return true;
    case VALUE_NUMBER:
        text_puts(out, pyformat_float_repr(v->as.number, num));
        return true;
    case VALUE_STRING:
        if (repr)
            pyformat_str_repr(out, value_str(v), value_strlen(v), false);
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
    if (memchr(spec, '\0', speclen))
        return error_set_in(e, ERROR_ARG, "format", "the spec holds a NUL character");
    char *z = mem_alloc(speclen + 1);
    if (!z)
        return error_nomem(e, "format");
    memcpy(z, spec, speclen);
    z[speclen] = '\0';
    bool ok;
    const Tensor *t = v->kind == VALUE_TENSOR ? v->as.tensor : NULL;
    switch (v->kind) {
    case VALUE_INT:
        ok = pyformat_int(out, v->as.integer, z, e);
        break;
    case VALUE_BOOL:
        ok = pyformat_bool(out, v->as.integer != 0, z, e);
        break;
    case VALUE_NUMBER:
        ok = pyformat_float(out, v->as.number, z, e);
        break;
    case VALUE_STRING:
        ok = pyformat_str(out, value_str(v), value_strlen(v), z, e);
        break;
    case VALUE_TENSOR:
        /* nudge's numbers are one-element arrays: they format as numbers. */
        if (tensor_size(t) == 1 && t->dtype == DTYPE_FLOAT64)
            ok = pyformat_float(out, t->data[0], z, e);
        else if (tensor_size(t) == 1)
            ok = t->dtype == DTYPE_BOOL ? pyformat_bool(out, t->data[0] != 0, z, e)
                                        : pyformat_int(out, (int64_t)t->data[0], z, e);
        else
            ok = error_set(e, ERROR_TYPE, "unsupported format string passed to numpy.ndarray.__format__ (format "
                           "the elements, or set np.set_printoptions)");
        break;
    default:
        /* object.__format__ takes only the empty spec. */
        ok = error_set(e, ERROR_TYPE, "unsupported format string passed to %s.__format__", value_type_name(v));
    }
    mem_free(z);
    return ok;
}

/* A value for one % conversion, with its str() and repr() in *s and *r
 * when it is not a number or a string. */
static bool percent_arg(Interp *in, const Value *v, PyArg *arg, Text *s, Text *r, Error *e)
{
    *arg = (PyArg){.kind = PY_ARG_OBJECT};
    const Tensor *t = v->kind == VALUE_TENSOR ? v->as.tensor : NULL;
    switch (v->kind) {
    case VALUE_NUMBER:
        arg->kind = PY_ARG_FLOAT;
        arg->f = v->as.number;
        break;
    case VALUE_INT:
        arg->kind = PY_ARG_INT;
        arg->i = v->as.integer;
        break;
    case VALUE_BOOL:
        arg->kind = PY_ARG_BOOL;
        arg->b = v->as.integer != 0;
        break;
    case VALUE_STRING:
        arg->kind = PY_ARG_STR;
        arg->s = value_str(v);
        arg->n = value_strlen(v);
        break;
    default:
        /* A one-element array converts to its number, as numpy allows. */
        if (t && tensor_size(t) == 1 && t->dtype == DTYPE_FLOAT64) {
            arg->kind = PY_ARG_FLOAT;
            arg->f = t->data[0];
            break;
        }
        if (t && tensor_size(t) == 1) {
            arg->kind = t->dtype == DTYPE_BOOL ? PY_ARG_BOOL : PY_ARG_INT;
            arg->i = (int64_t)t->data[0];
            arg->b = t->data[0] != 0;
            break;
        }
        if (!value_pystr(in, v, s, e) || !value_pyrepr(in, v, r, e))
            return false;
        arg->s = s->s ? s->s : "";
        arg->n = s->len;
        arg->repr = r->s ? r->s : "";
        arg->repr_n = r->len;
        arg->type_name = value_type_name(v);
    }
    return true;
}

/* The next value of the tuple for a conversion, or Python's TypeError. */
static const Value *percent_next(const Value *items, size_t nitems, size_t *next, Error *e)
{
    if (*next >= nitems) {
        error_set(e, ERROR_TYPE, "not enough arguments for format string");
        return NULL;
    }
    return &items[(*next)++];
}

/* A '*' width or precision: the next value, which must be an int. */
static bool percent_star(const Value *items, size_t nitems, size_t *next, long *field, Error *e)
{
    const Value *v = percent_next(items, nitems, next, e);
    if (!v)
        return false;
    if (v->kind != VALUE_INT && v->kind != VALUE_BOOL)
        return error_set(e, ERROR_TYPE, "* wants int");
    if (v->as.integer > INT_MAX || v->as.integer < -INT_MAX)
        return error_set(e, ERROR_LIMIT, "Python int too large to convert to C int");
    *field = (long)v->as.integer;
    return true;
}

/* fmt % args, as Python does it: each conversion takes the next value of a
 * tuple (or the one value), or its %(key) from a dict. */
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
    bool mapping = args->kind == VALUE_DICT;
    Text t = {0};
    bool ok = true;
    size_t i = 0;
    while (ok && i < len) {
        const char *pct = memchr(s + i, '%', len - i);
        size_t stop = pct ? (size_t)(pct - s) : len;
        text_append(&t, s + i, stop - i);
        i = stop;
        if (i >= len)
            break;
        PyPercent p;
        if (!(ok = pyformat_percent_parse(s, len, &i, &p, e)))
            break;
        if (p.conv == '%' && !p.key) {
            ok = pyformat_percent(&t, &p, NULL, e);
            continue;
        }
        const Value *item;
        if (p.key) {
            if (!mapping) {
                ok = error_set(e, ERROR_TYPE, "format requires a mapping");
                break;
            }
            Value key;
            if (!(ok = value_string(&key, p.key, p.key_len, e)))
                break;
            item = dict_get(args, &key);
            value_free(&key);
            if (!item) {
                ok = error_set_in(e, ERROR_NAME, "%", "the dict has no key '%.*s'", (int)p.key_len, p.key);
                break;
            }
        } else {
            if (p.width_star && !(ok = percent_star(items, nitems, &next, &p.width, e)))
                break;
            if (p.precision_star && !(ok = percent_star(items, nitems, &next, &p.precision, e)))
                break;
            if (!(item = percent_next(items, nitems, &next, e))) {
                ok = false;
                break;
            }
        }
        PyArg arg;
        Text vs = {0}, vr = {0};
        ok = percent_arg(in, item, &arg, &vs, &vr, e) && pyformat_percent(&t, &p, &arg, e);
        text_free(&vs);
        text_free(&vr);
    }
    /* Every value must be used, unless they came in a mapping. */
    if (ok && !mapping && next < nitems && !(args->kind != VALUE_TUPLE && next == 0 && (args->kind == VALUE_LIST || args->kind == VALUE_TENSOR)))
        ok = error_set(e, ERROR_TYPE, "not all arguments converted during string formatting");
    if (ok && t.failed)
        ok = error_nomem(e, "%");
    if (ok)
        ok = value_string(out, t.s ? t.s : "", t.len, e);
    text_free(&t);
    return ok;
}
