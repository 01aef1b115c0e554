/* pybuiltins.c - Python's built-in functions, as Python has them where
 * they make sense in nudge: print, len, range, enumerate, zip, str, int,
 * float, bool, list, tuple, dict, sorted, min, max, sum, abs, round, ... */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nudge/builtins.h"
#include "nudge/mem.h"
#include "nudge/text.h"
#include "derivs.h"
#include "state.h"

bool value_pystr(Interp *in, const Value *v, Text *out, Error *e);
bool value_pyrepr(Interp *in, const Value *v, Text *out, Error *e);
bool value_format(Interp *in, const Value *v, const char *spec, size_t speclen, Text *out, Error *e);
Tensor *value_to_tensor(const Value *v, const char *who, Error *e);
bool arith_compare(Interp *in, int op, const Value *a, const Value *b, Value *out, Error *e);
bool arith_binary(Interp *in, int op, const Value *a, const Value *b, Value *out, Error *e);
bool arith_unary(Interp *in, int op, const Value *a, Value *out, Error *e);
bool nudge_sum(Interp *in, Args *a, Value *out, Error *e);
bool nudge_extreme(Interp *in, Args *a, bool largest, Value *out, Error *e);

static bool type_arg(const Args *a, int i, const char *want, Error *e)
{
    char d[64];
    return args_error(a, i, e, ERROR_TYPE, "needs %s, not %s", want, value_describe(a->arg[i].v, d, sizeof d));
}

/* Collects the items of an iterable into a new list. */
static bool to_list(Interp *in, const Value *v, Value *out, Error *e)
{
    Iter it;
    if (!iter_init(in, v, &it, e))
        return false;
    if (!value_list(out, VALUE_LIST, 0, e)) {
        iter_free(&it);
        return false;
    }
    Value x;
    int r;
    while ((r = iter_next(in, &it, &x, e)) == 1)
        if (!list_push(out, x, e)) {
            r = -1;
            break;
        }
    iter_free(&it);
    if (r < 0) {
        value_free(out);
        return false;
    }
    return true;
}

/* print(*values, sep=' ', end='\n') */
static bool b_print(Interp *in, Args *a, Value *out, Error *e)
{
    (void)out;
    const Value *sep = args_kw(a, "sep"), *end = args_kw(a, "end");
    for (size_t i = 0; i < a->nkw; i++)
        if (strcmp(a->kw[i].name, "sep") && strcmp(a->kw[i].name, "end") && strcmp(a->kw[i].name, "flush")
            && strcmp(a->kw[i].name, "file"))
            return args_error(a, -1, e, ERROR_ARG, "has no option '%s' (it takes: sep end flush)", a->kw[i].name);
    if (sep && sep->kind != VALUE_STRING && sep->kind != VALUE_NONE)
        return args_error(a, -1, e, ERROR_TYPE, "sep= must be a string or None");
    if (end && end->kind != VALUE_STRING && end->kind != VALUE_NONE)
        return args_error(a, -1, e, ERROR_TYPE, "end= must be a string or None");
    const Value *file = args_kw(a, "file");
    if (file && file->kind != VALUE_NONE)
        return args_error(a, -1, e, ERROR_ARG, "nudge prints to its output only; leave out file=");
    Text t = {0};
    for (size_t i = 0; i < a->n; i++) {
        if (i) {
            if (sep && sep->kind == VALUE_STRING)
                text_append(&t, value_str(sep), value_strlen(sep));
            else
                text_puts(&t, " ");
        }
        if (!value_pystr(in, a->arg[i].v, &t, e)) {
            text_free(&t);
            return args_error(a, (int)i, e, e->code, "%s", error_facts(e));
        }
    }
    if (end && end->kind == VALUE_STRING)
        text_append(&t, value_str(end), value_strlen(end));
    else
        text_puts(&t, "\n");
    if (t.failed) {
        text_free(&t);
        return error_nomem(e, "print");
    }
    if (t.len && in->write)
        in->write(in->write_ctx, t.s, t.len);
    text_free(&t);
    return true;
}

static bool b_len(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Value *v = a->arg[0].v;
    long long n;
    switch (v->kind) {
    case VALUE_STRING: {
        n = 0;
        for (size_t i = 0; i < value_strlen(v); i++)
            n += ((unsigned char)value_str(v)[i] & 0xC0) != 0x80;
        break;
    }
    case VALUE_LIST:
    case VALUE_TUPLE: n = (long long)v->as.list->n; break;
    case VALUE_DICT: n = (long long)v->as.dict->n; break;
    case VALUE_RANGE: n = range_len(v->as.range); break;
    case VALUE_RECORD: n = (long long)v->as.record->n; break;
    case VALUE_TENSOR:
        n = (long long)(v->as.tensor->ndim == 1 ? v->as.tensor->cols : v->as.tensor->rows);
        break;
    default:
        return type_arg(a, 0, "a string, list, tuple, dict, range or array", e);
    }
    *out = value_int(n);
    return true;
}

static bool int_arg(const Args *a, int i, long long *out, Error *e)
{
    const Value *v = a->arg[i].v;
    if (v->kind == VALUE_INT || v->kind == VALUE_BOOL) {
        *out = v->as.integer;
        return true;
    }
    if (v->kind == VALUE_TENSOR && tensor_size(v->as.tensor) == 1 && v->as.tensor->dtype != DTYPE_FLOAT64) {
        *out = (long long)v->as.tensor->data[0];
        return true;
    }
    char d[64];
    if (v->kind == VALUE_NUMBER)
        return args_error(a, i, e, ERROR_TYPE, "needs whole numbers (ints), not the float %g; use int(...)",
                          v->as.number);
    return args_error(a, i, e, ERROR_TYPE, "needs whole numbers (ints), not %s", value_describe(v, d, sizeof d));
}

static bool b_range(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    long long start = 0, stop, step = 1;
    if (a->n == 1) {
        if (!int_arg(a, 0, &stop, e))
            return false;
    } else {
        if (!int_arg(a, 0, &start, e) || !int_arg(a, 1, &stop, e))
            return false;
        if (a->n == 3 && !int_arg(a, 2, &step, e))
            return false;
        if (step == 0)
            return args_error(a, 2, e, ERROR_ARG, "the step cannot be zero");
    }
    return value_range(out, start, stop, step, e);
}

static bool b_enumerate(Interp *in, Args *a, Value *out, Error *e)
{
    long long start = 0;
    const Value *s = args_kw(a, "start");
    if (a->n == 2 && !int_arg(a, 1, &start, e))
        return false;
    if (s) {
        if (s->kind != VALUE_INT)
            return args_error(a, -1, e, ERROR_TYPE, "start= must be an int");
        start = s->as.integer;
    }
    Iter it;
    if (!iter_init(in, a->arg[0].v, &it, e))
        return args_error(a, 0, e, e->code, "%s", error_facts(e));
    if (!value_list(out, VALUE_LIST, 0, e)) {
        iter_free(&it);
        return false;
    }
    Value x;
    int r;
    while ((r = iter_next(in, &it, &x, e)) == 1) {
        Value pair;
        if (!value_list(&pair, VALUE_TUPLE, 2, e)) {
            value_free(&x);
            r = -1;
            break;
        }
        list_push(&pair, value_int(start++), e);
        list_push(&pair, x, e);
        if (!list_push(out, pair, e)) {
            r = -1;
            break;
        }
    }
    iter_free(&it);
    if (r < 0) {
        value_free(out);
        return false;
    }
    return true;
}

static bool b_zip(Interp *in, Args *a, Value *out, Error *e)
{
    Iter its[ARGS_MAX];
    size_t n = a->n;
    for (size_t i = 0; i < n; i++)
        if (!iter_init(in, a->arg[i].v, &its[i], e)) {
            for (size_t k = 0; k < i; k++)
                iter_free(&its[k]);
            return args_error(a, (int)i, e, e->code, "%s", error_facts(e));
        }
    bool ok = value_list(out, VALUE_LIST, 0, e);
    while (ok && n) {
        Value t;
        if (!(ok = value_list(&t, VALUE_TUPLE, n, e)))
            break;
        bool ended = false;
        for (size_t i = 0; i < n && ok; i++) {
            Value x;
            int r = iter_next(in, &its[i], &x, e);
            if (r < 0)
                ok = false;
            else if (r == 0)
                ended = true;
            else
                list_push(&t, x, e);
            if (ended)
                break;
        }
        if (!ok || ended) {
            value_free(&t);
            break;
        }
        ok = list_push(out, t, e);
    }
    for (size_t i = 0; i < n; i++)
        iter_free(&its[i]);
    if (!ok && out->kind == VALUE_LIST)
        value_free(out);
    return ok;
}

static bool b_str(Interp *in, Args *a, Value *out, Error *e)
{
    if (a->n == 0)
        return value_string(out, "", 0, e);
    Text t = {0};
    bool ok = value_pystr(in, a->arg[0].v, &t, e) && value_string(out, t.s ? t.s : "", t.len, e);
    text_free(&t);
    return ok;
}

static bool b_repr(Interp *in, Args *a, Value *out, Error *e)
{
    Text t = {0};
    bool ok = value_pyrepr(in, a->arg[0].v, &t, e) && value_string(out, t.s ? t.s : "", t.len, e);
    text_free(&t);
    return ok;
}

static bool b_format(Interp *in, Args *a, Value *out, Error *e)
{
    const char *spec = "";
    size_t len = 0;
    if (a->n == 2) {
        if (a->arg[1].v->kind != VALUE_STRING)
            return type_arg(a, 1, "a format spec string", e);
        spec = value_str(a->arg[1].v);
        len = value_strlen(a->arg[1].v);
    }
    Text t = {0};
    bool ok = value_format(in, a->arg[0].v, spec, len, &t, e) && value_string(out, t.s ? t.s : "", t.len, e);
    text_free(&t);
    return ok;
}

/* int(x): toward zero for floats, Python's reading of a string. */
static bool b_int(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    if (a->n == 0) {
        *out = value_int(0);
        return true;
    }
    const Value *v = a->arg[0].v;
    if (v->kind == VALUE_TENSOR && tensor_size(v->as.tensor) == 1) {
        double d = v->as.tensor->data[0];
        if (!isfinite(d))
            return args_error(a, 0, e, ERROR_ARG, "cannot make an int of %g", d);
        *out = value_int((long long)trunc(d));
        return true;
    }
    if (v->kind == VALUE_INT || v->kind == VALUE_BOOL) {
        *out = value_int(v->as.integer);
        return true;
    }
    if (v->kind == VALUE_NUMBER) {
        double d = v->as.number;
        if (isnan(d))
            return args_error(a, 0, e, ERROR_ARG, "cannot make an int of nan");
        if (isinf(d))
            return args_error(a, 0, e, ERROR_ARG, "cannot make an int of an infinite float");
        if (fabs(d) >= 9.2233720368547758e18)
            return args_error(a, 0, e, ERROR_ARG, "%g is too large for nudge's 64-bit ints", d);
        *out = value_int((long long)trunc(d));
        return true;
    }
    if (v->kind == VALUE_STRING) {
        long long base = 10;
        if (a->n == 2 && !int_arg(a, 1, &base, e))
            return false;
        const char *s = value_str(v);
        while (*s == ' ' || *s == '\t' || *s == '\n')
            s++;
        char buf[128];
        size_t k = 0;
        for (const char *p = s; *p && k + 1 < sizeof buf; p++)
            if (*p != '_')
                buf[k++] = *p;
        buf[k] = '\0';
        while (k && (buf[k - 1] == ' ' || buf[k - 1] == '\n' || buf[k - 1] == '\t'))
            buf[--k] = '\0';
        char *end;
        errno = 0;
        long long x = strtoll(buf, &end, (int)base);
        if (!k || *end || errno == ERANGE)
            return args_error(a, 0, e, ERROR_ARG, "'%s' is not a whole number in base %lld", value_str(v), base);
        *out = value_int(x);
        return true;
    }
    return type_arg(a, 0, "a number or a string", e);
}

static bool b_float(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    if (a->n == 0) {
        *out = value_number(0);
        return true;
    }
    const Value *v = a->arg[0].v;
    if (value_is_scalar(v)) {
        *out = value_number(value_to_double(v));
        return true;
    }
    if (v->kind == VALUE_TENSOR && tensor_size(v->as.tensor) == 1) {
        *out = value_number(v->as.tensor->data[0]);
        return true;
    }
    if (v->kind == VALUE_STRING) {
        const char *s = value_str(v);
        while (*s == ' ' || *s == '\t' || *s == '\n')
            s++;
        char buf[256];
        snprintf(buf, sizeof buf, "%s", s);
        size_t k = strlen(buf);
        while (k && (buf[k - 1] == ' ' || buf[k - 1] == '\n' || buf[k - 1] == '\t'))
            buf[--k] = '\0';
        for (char *p = buf; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        const char *b = buf[0] == '+' || buf[0] == '-' ? buf + 1 : buf;
        if (!strcmp(b, "inf") || !strcmp(b, "infinity")) {
            *out = value_number(buf[0] == '-' ? -INFINITY : INFINITY);
            return true;
        }
        if (!strcmp(b, "nan")) {
            *out = value_number(NAN);
            return true;
        }
        char *end;
        double d = strtod(buf, &end);
        bool hex = strchr(buf, 'x') != NULL;
        if (!k || *end || hex)
            return args_error(a, 0, e, ERROR_ARG, "'%s' is not a number", value_str(v));
        *out = value_number(d);
        return true;
    }
    return type_arg(a, 0, "a number or a string", e);
}

static bool b_bool(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    bool t = false;
    if (a->n && !value_truth(a->arg[0].v, &t, e))
        return args_error(a, 0, e, e->code, "%s", error_facts(e));
    *out = value_bool(t);
    return true;
}

static bool b_list(Interp *in, Args *a, Value *out, Error *e)
{
    if (a->n == 0)
        return value_list(out, VALUE_LIST, 0, e);
    if (!to_list(in, a->arg[0].v, out, e))
        return args_error(a, 0, e, e->code, "%s", error_facts(e));
    return true;
}

static bool b_tuple(Interp *in, Args *a, Value *out, Error *e)
{
    if (a->n == 0)
        return value_list(out, VALUE_TUPLE, 0, e);
    if (!to_list(in, a->arg[0].v, out, e))
        return args_error(a, 0, e, e->code, "%s", error_facts(e));
    out->kind = VALUE_TUPLE;
    return true;
}

static bool b_dict(Interp *in, Args *a, Value *out, Error *e)
{
    if (!value_dict(out, e))
        return false;
    if (a->n == 1) {
        const Value *src = a->arg[0].v;
        if (src->kind == VALUE_DICT) {
            for (size_t i = 0; i < src->as.dict->n; i++)
                if (!dict_set(out, value_ref(&src->as.dict->keys[i]), value_ref(&src->as.dict->vals[i]), e)) {
                    value_free(out);
                    return false;
                }
        } else {
            Value items;
            if (!to_list(in, src, &items, e)) {
                value_free(out);
                return args_error(a, 0, e, e->code, "%s", error_facts(e));
            }
            for (size_t i = 0; i < items.as.list->n; i++) {
                const Value *p = &items.as.list->items[i];
                if ((p->kind != VALUE_TUPLE && p->kind != VALUE_LIST) || p->as.list->n != 2) {
                    value_free(&items);
                    value_free(out);
                    return args_error(a, 0, e, ERROR_TYPE, "needs pairs (key, value); item %zu is not one", i);
                }
                if (!dict_set(out, value_ref(&p->as.list->items[0]), value_ref(&p->as.list->items[1]), e)) {
                    value_free(&items);
                    value_free(out);
                    return false;
                }
            }
            value_free(&items);
        }
    }
    for (size_t i = 0; i < a->nkw; i++) {
        Value k;
        if (!value_string(&k, a->kw[i].name, strlen(a->kw[i].name), e)
            || !dict_set(out, k, value_ref(&a->kw[i].v), e)) {
            value_free(out);
            return false;
        }
    }
    return true;
}

/* The ordering sorted() and min()/max() use: by key(x) when key= is given. */
typedef struct SortCtx {
    Interp *in;
    Error *e;
    bool failed;
    unsigned polls;     /* comparisons, counted to poll Ctrl-C */
} SortCtx;

/* Once it fails (an error, Ctrl-C) every comparison says "equal", so the
 * merge ends quickly with the items still a permutation of the list. */
static int compare_values(SortCtx *c, const Value *x, const Value *y)
{
    if (c->failed || (c->failed = interp_poll(c->in, &c->polls, c->e)))
        return 0;
    Value r;
    if (!arith_compare(c->in, TOKEN_LT, x, y, &r, c->e)) {
        c->failed = true;
        return 0;
    }
    bool lt;
    if (!value_truth(&r, &lt, c->e)) {
        value_free(&r);
        c->failed = true;
        return 0;
    }
    value_free(&r);
    if (lt)
        return -1;
    if (!arith_compare(c->in, TOKEN_LT, y, x, &r, c->e)) {
        c->failed = true;
        return 0;
    }
    bool gt;
    value_truth(&r, &gt, c->e);
    value_free(&r);
    return gt ? 1 : 0;
}

/* A stable merge sort of keys with their items (Python's sort is stable). */
static void merge_sort(SortCtx *c, Value *keys, Value *items, Value *tk, Value *ti, size_t n, bool reverse)
{
    if (n < 2 || c->failed)
        return;
    size_t m = n / 2;
    merge_sort(c, keys, items, tk, ti, m, reverse);
    merge_sort(c, keys + m, items + m, tk, ti, n - m, reverse);
    size_t i = 0, j = m, k = 0;
    while (i < m && j < n) {
        int cmp = compare_values(c, &keys[j], &keys[i]);
        bool take_right = reverse ? cmp > 0 : cmp < 0;
        if (take_right) {
            tk[k] = keys[j];
            ti[k++] = items[j++];
        } else {
            tk[k] = keys[i];
            ti[k++] = items[i++];
        }
    }
    while (i < m) {
        tk[k] = keys[i];
        ti[k++] = items[i++];
    }
    while (j < n) {
        tk[k] = keys[j];
        ti[k++] = items[j++];
    }
    memcpy(keys, tk, n * sizeof *keys);
    memcpy(items, ti, n * sizeof *items);
}

/* Sorts the list value l in place by key (may be NULL). */
bool sort_list(Interp *in, Value *l, const Value *key, bool reverse, Error *e)
{
    size_t n = l->as.list->n;
    Value *keys = mem_calloc(n ? n : 1, sizeof *keys), *tk = mem_calloc(n ? n : 1, sizeof *tk),
          *ti = mem_calloc(n ? n : 1, sizeof *ti);
    bool ok = keys && tk && ti;
    if (!ok)
        error_nomem(e, "sort");
    size_t made = 0;
    unsigned polls = 0;
    for (; ok && made < n; made++) {
        if (key && key->kind != VALUE_NONE) {
            if (interp_poll(in, &polls, e)) {
                ok = false;
                break;
            }
            Value *arg = &l->as.list->items[made];
            ok = call_value(in, key, &arg, 1, NULL, NULL, 0, NULL, &keys[made], e);
            if (!ok)
                break;
        } else {
            keys[made] = value_ref(&l->as.list->items[made]);
        }
    }
    if (ok) {
        SortCtx c = { in, e, false, 0 };
        merge_sort(&c, keys, l->as.list->items, tk, ti, n, reverse);
        ok = !c.failed;
    }
    for (size_t i = 0; i < made; i++)
        value_free(&keys[i]);
    mem_free(keys);
    mem_free(tk);
    mem_free(ti);
    return ok;
}

static bool b_sorted(Interp *in, Args *a, Value *out, Error *e)
{
    if (!to_list(in, a->arg[0].v, out, e))
        return args_error(a, 0, e, e->code, "%s", error_facts(e));
    const Value *rev = args_kw(a, "reverse");
    bool reverse = false;
    if (rev && !value_truth(rev, &reverse, e)) {
        value_free(out);
        return false;
    }
    if (!sort_list(in, out, args_kw(a, "key"), reverse, e)) {
        value_free(out);
        return args_error(a, -1, e, e->code, "%s", error_facts(e));
    }
    return true;
}

static bool b_reversed(Interp *in, Args *a, Value *out, Error *e)
{
    if (!to_list(in, a->arg[0].v, out, e))
        return args_error(a, 0, e, e->code, "%s", error_facts(e));
    List *l = out->as.list;
    for (size_t i = 0; i < l->n / 2; i++) {
        Value t = l->items[i];
        l->items[i] = l->items[l->n - 1 - i];
        l->items[l->n - 1 - i] = t;
    }
    return true;
}

static bool any_all(Interp *in, Args *a, bool all, Value *out, Error *e)
{
    Iter it;
    if (!iter_init(in, a->arg[0].v, &it, e))
        return args_error(a, 0, e, e->code, "%s", error_facts(e));
    bool result = all;
    Value x;
    int r;
    while ((r = iter_next(in, &it, &x, e)) == 1) {
        bool t;
        bool ok = value_truth(&x, &t, e);
        value_free(&x);
        if (!ok) {
            iter_free(&it);
            return args_error(a, 0, e, e->code, "%s", error_facts(e));
        }
        if (t != all) {
            result = !all;
            break;
        }
    }
    iter_free(&it);
    if (r < 0)
        return false;
    *out = value_bool(result);
    return true;
}

static bool b_any(Interp *in, Args *a, Value *out, Error *e) { return any_all(in, a, false, out, e); }
static bool b_all(Interp *in, Args *a, Value *out, Error *e) { return any_all(in, a, true, out, e); }

/* map(f, xs, ...) and filter(f, xs): lists (Python gives iterators). */
static bool b_map(Interp *in, Args *a, Value *out, Error *e)
{
    size_t n = a->n - 1;
    Value lists[ARGS_MAX];
    size_t len = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        if (!to_list(in, a->arg[i + 1].v, &lists[i], e)) {
            for (size_t k = 0; k < i; k++)
                value_free(&lists[k]);
            return args_error(a, (int)i + 1, e, e->code, "%s", error_facts(e));
        }
        if (lists[i].as.list->n < len)
            len = lists[i].as.list->n;
    }
    bool ok = value_list(out, VALUE_LIST, len, e);
    for (size_t k = 0; ok && k < len; k++) {
        Value *args[ARGS_MAX];
        for (size_t i = 0; i < n; i++)
            args[i] = &lists[i].as.list->items[k];
        Value r;
        ok = call_value(in, a->arg[0].v, args, n, NULL, NULL, 0, NULL, &r, e) && list_push(out, r, e);
    }
    for (size_t i = 0; i < n; i++)
        value_free(&lists[i]);
    if (!ok && out->kind == VALUE_LIST)
        value_free(out);
    return ok;
}

static bool b_filter(Interp *in, Args *a, Value *out, Error *e)
{
    Value items;
    if (!to_list(in, a->arg[1].v, &items, e))
        return args_error(a, 1, e, e->code, "%s", error_facts(e));
    bool ok = value_list(out, VALUE_LIST, 0, e);
    for (size_t k = 0; ok && k < items.as.list->n; k++) {
        Value *x = &items.as.list->items[k];
        bool keep;
        if (a->arg[0].v->kind == VALUE_NONE) {
            ok = value_truth(x, &keep, e);
        } else {
            Value r;
            ok = call_value(in, a->arg[0].v, &x, 1, NULL, NULL, 0, NULL, &r, e) && value_truth(&r, &keep, e);
            value_free(&r);
        }
        if (ok && keep)
            ok = list_push(out, value_ref(x), e);
    }
    value_free(&items);
    if (!ok && out->kind == VALUE_LIST)
        value_free(out);
    return ok;
}

static bool b_abs(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Value *v = a->arg[0].v;
    if (v->kind == VALUE_INT || v->kind == VALUE_BOOL) {
        if (v->as.integer == LLONG_MIN)
            return args_error(a, 0, e, ERROR_NUMERIC, "the result does not fit in 64 bits");
        *out = value_int(v->as.integer < 0 ? -v->as.integer : v->as.integer);
        return true;
    }
    if (v->kind == VALUE_NUMBER) {
        *out = value_number(fabs(v->as.number));
        return true;
    }
    Tensor *t = value_to_tensor(v, "abs", e);
    if (!t)
        return args_error(a, 0, e, e->code, "%s", error_facts(e));
    Tensor *r = tensor_copy(t, e);
    tensor_delete(t);
    if (!r)
        return false;
    for (size_t i = 0; i < tensor_size(r); i++)
        r->data[i] = fabs(r->data[i]);
    *out = value_tensor(r);
    return true;
}

/* Python's round: to the nearest even at a tie, on the float's exact
 * value; with ndigits, a float rounded to that many decimals. */
static bool b_round(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Value *v = a->arg[0].v;
    const Value *nd = a->n > 1 ? a->arg[1].v : args_kw(a, "ndigits");
    if (nd && nd->kind == VALUE_NONE)
        nd = NULL;
    long long digits = 0;
    if (nd) {
        if (nd->kind != VALUE_INT)
            return args_error(a, 1, e, ERROR_TYPE, "ndigits must be an int");
        digits = nd->as.integer;
    }
    if (v->kind == VALUE_INT || v->kind == VALUE_BOOL) {
        if (!nd || digits >= 0) {
            *out = value_int(v->as.integer);
            return true;
        }
        /* round(1234, -2): exactly, in integers, to the nearest even at a tie. */
        long long x = v->as.integer;
        if (digits < -18) {
            /* 10**19 and beyond: 0, unless x is nearer to ±10**19, which does not fit */
            if (x > 5000000000000000000LL || x < -5000000000000000000LL)
                return args_error(a, 0, e, ERROR_NUMERIC, "the result does not fit in nudge's 64-bit ints");
            *out = value_int(0);
            return true;
        }
        long long p = 1;
        for (long long k = 0; k < -digits; k++)
            p *= 10;
        long long q = x / p, r = x % p;
        if (r < 0) {
            q--;
            r += p;
        }
        if (2 * (unsigned long long)r > (unsigned long long)p || (2 * (unsigned long long)r == (unsigned long long)p && q % 2))
            q++;
        if ((q > 0 && q > LLONG_MAX / p) || (q < 0 && q < LLONG_MIN / p))
            return args_error(a, 0, e, ERROR_NUMERIC, "the result does not fit in nudge's 64-bit ints");
        *out = value_int(q * p);
        return true;
    }
    if (v->kind != VALUE_NUMBER)
        return type_arg(a, 0, "a number (for arrays use np.round)", e);
    double x = v->as.number;
    if (!nd) {
        if (!isfinite(x))
            return args_error(a, 0, e, ERROR_ARG, "cannot round %g to an int", x);
        double r = rint(x);
        /* -2**63 converts exactly; 2**63 and beyond do not fit. */
        if (r >= 9223372036854775808.0 || r < -9223372036854775808.0)
            return args_error(a, 0, e, ERROR_NUMERIC, "%g is too large for nudge's 64-bit ints", x);
        *out = value_int((long long)r);
        return true;
    }
    if (!isfinite(x) || digits > 300) {
        *out = value_number(x);
        return true;
    }
    if (digits < -308) {
        *out = value_number(copysign(0.0, x));
        return true;
    }
    char buf[400];
    if (digits >= 0) {
        snprintf(buf, sizeof buf, "%.*f", (int)digits, x);
        *out = value_number(strtod(buf, NULL));
    } else {
        double p = pow(10, (double)-digits);
        *out = value_number(rint(x / p) * p);
    }
    return true;
}

static bool b_divmod(Interp *in, Args *a, Value *out, Error *e)
{
    Value q, m;
    if (!arith_binary(in, TOKEN_DSLASH, a->arg[0].v, a->arg[1].v, &q, e))
        return args_error(a, -1, e, e->code, "%s", error_facts(e));
    if (!arith_binary(in, TOKEN_PERCENT, a->arg[0].v, a->arg[1].v, &m, e)) {
        value_free(&q);
        return args_error(a, -1, e, e->code, "%s", error_facts(e));
    }
    if (!value_list(out, VALUE_TUPLE, 2, e)) {
        value_free(&q);
        value_free(&m);
        return false;
    }
    list_push(out, q, e);
    list_push(out, m, e);
    return true;
}

static bool b_pow(Interp *in, Args *a, Value *out, Error *e)
{
    if (a->n == 3) {
        long long b, x, m;
        if (!int_arg(a, 0, &b, e) || !int_arg(a, 1, &x, e) || !int_arg(a, 2, &m, e))
            return false;
        if (m == 0)
            return args_error(a, 2, e, ERROR_ARG, "the modulus cannot be zero");
        if (x < 0)
            return args_error(a, 1, e, ERROR_ARG, "a negative power with a modulus is not part of nudge");
        __extension__ typedef __int128 wide;
        wide r = 1, base = ((b % m) + m) % m;
        while (x > 0) {
            if (x & 1)
                r = (r * base) % m;
            base = (base * base) % m;
            x >>= 1;
        }
        long long rr = (long long)r;
        if (rr != 0 && ((rr < 0) != (m < 0)))
            rr += m;
        *out = value_int(rr);
        return true;
    }
    return arith_binary(in, TOKEN_POW, a->arg[0].v, a->arg[1].v, out, e) || args_error(a, -1, e, e->code, "%s", error_facts(e));
}

static bool b_chr(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    long long c;
    if (!int_arg(a, 0, &c, e))
        return false;
    if (c < 0 || c > 0x10FFFF)
        return args_error(a, 0, e, ERROR_ARG, "%lld is not a character code (0 to 1114111)", c);
    Text t = {0};
    text_put_utf8(&t, (unsigned long)c);
    bool ok = t.failed ? error_nomem(e, "chr") : value_string(out, t.s, t.len, e);
    text_free(&t);
    return ok;
}

static bool b_ord(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Value *v = a->arg[0].v;
    if (v->kind != VALUE_STRING)
        return type_arg(a, 0, "a one-character string", e);
    const unsigned char *s = (const unsigned char *)value_str(v);
    size_t len = value_strlen(v);
    size_t n = len == 0 ? 0 : s[0] < 0x80 ? 1 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
    if (n == 0 || n != len)
        return args_error(a, 0, e, ERROR_ARG, "needs exactly one character, not %zu bytes", len);
    unsigned long cp = n == 1 ? s[0] : (unsigned long)(s[0] & (0x7F >> n));
    for (size_t i = 1; i < n; i++)
        cp = (cp << 6) | (s[i] & 0x3F);
    *out = value_int((long long)cp);
    return true;
}

static bool int_text(const Args *a, Value *out, const char *prefix, int base, Error *e)
{
    long long x;
    if (!int_arg(a, 0, &x, e))
        return false;
    char buf[80];
    unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
    char digits[70];
    int k = 0;
    do {
        int d = (int)(u % (unsigned)base);
        digits[k++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        u /= (unsigned)base;
    } while (u);
    int p = snprintf(buf, sizeof buf, "%s%s", x < 0 ? "-" : "", prefix);
    while (k)
        buf[p++] = digits[--k];
    buf[p] = '\0';
    return value_string(out, buf, (size_t)p, e);
}

static bool b_hex(Interp *in, Args *a, Value *out, Error *e) { (void)in; return int_text(a, out, "0x", 16, e); }
static bool b_bin(Interp *in, Args *a, Value *out, Error *e) { (void)in; return int_text(a, out, "0b", 2, e); }
static bool b_oct(Interp *in, Args *a, Value *out, Error *e) { (void)in; return int_text(a, out, "0o", 8, e); }

static bool b_isinstance(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Value *x = a->arg[0].v, *t = a->arg[1].v;
    const Value *types = t->kind == VALUE_TUPLE ? t->as.list->items : t;
    size_t n = t->kind == VALUE_TUPLE ? t->as.list->n : 1;
    bool r = false;
    for (size_t i = 0; i < n && !r; i++) {
        const Value *ty = &types[i];
        if (ty->kind != VALUE_BUILTIN || !(ty->as.builtin->flags & BUILTIN_TYPE))
            return args_error(a, 1, e, ERROR_TYPE, "the second argument must be a type such as int, float, list or "
                              "np.ndarray, or a tuple of types");
        const char *name = ty->as.builtin->name;
        if (!strcmp(name, "int"))
            r = x->kind == VALUE_INT || x->kind == VALUE_BOOL;
        else if (!strcmp(name, "float"))
            r = x->kind == VALUE_NUMBER;
        else if (!strcmp(name, "bool"))
            r = x->kind == VALUE_BOOL;
        else if (!strcmp(name, "str"))
            r = x->kind == VALUE_STRING;
        else if (!strcmp(name, "list"))
            r = x->kind == VALUE_LIST;
        else if (!strcmp(name, "tuple"))
            r = x->kind == VALUE_TUPLE;
        else if (!strcmp(name, "dict"))
            r = x->kind == VALUE_DICT;
        else if (!strcmp(name, "range"))
            r = x->kind == VALUE_RANGE;
        else if (!strcmp(name, "ndarray") || !strcmp(name, "numpy.ndarray"))
            r = x->kind == VALUE_TENSOR;
    }
    *out = value_bool(r);
    return true;
}

static bool b_type(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    static const char *const kinds[] = {
        [VALUE_BOOL] = "bool", [VALUE_INT] = "int", [VALUE_NUMBER] = "float", [VALUE_STRING] = "str",
        [VALUE_LIST] = "list", [VALUE_TUPLE] = "tuple", [VALUE_DICT] = "dict", [VALUE_RANGE] = "range",
    };
    const Value *x = a->arg[0].v;
    const char *want = (size_t)x->kind < sizeof kinds / sizeof kinds[0] && kinds[x->kind] ? kinds[x->kind] : NULL;
    if (x->kind == VALUE_TENSOR) {
        /* the very np.ndarray, so that type(a) == np.ndarray */
        const Module *np = module_find("numpy");
        if (np && module_get(np, "ndarray", out) && out->kind == VALUE_BUILTIN)
            return true;
        want = "numpy.ndarray";
    }
    const Builtin *b = want ? pybuiltin_find(want, strlen(want)) : NULL;
    if (!b) {
        /* a type nudge has no object for prints as Python's does */
        char text[80];
        int n = snprintf(text, sizeof text, "<class '%s'>", value_type_name(x));
        return value_string(out, text, (size_t)n, e);
    }
    *out = value_none();
    out->kind = VALUE_BUILTIN;
    out->as.builtin = b;
    return true;
}

static bool b_callable(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    (void)e;
    ValueKind k = a->arg[0].v->kind;
    *out = value_bool(k == VALUE_BUILTIN || k == VALUE_FUNCTION || k == VALUE_METHOD);
    return true;
}

static bool b_quit(Interp *in, Args *a, Value *out, Error *e)
{
    (void)a;
    (void)out;
    (void)e;
    in->quit = true;
    return true;
}

static bool b_help(Interp *in, Args *a, Value *out, Error *e)
{
    (void)out;
    const Command *c = interp_find_command(in, "help", 4);
    void *ctx = NULL;
    for (size_t t = 0; t < in->ntables; t++)
        for (size_t i = 0; i < in->tables[t].n; i++)
            if (&in->tables[t].rows[i] == c)
                ctx = in->tables[t].ctx;
    if (!c)
        return args_error(a, -1, e, ERROR_NAME, "help is not available here");
    char topic[128] = "";
    if (a->n) {
        const Value *v = a->arg[0].v;
        const char *name = v->kind == VALUE_BUILTIN ? v->as.builtin->name : v->kind == VALUE_STRING ? value_str(v)
                         : v->kind == VALUE_FUNCTION ? v->as.func->name : v->kind == VALUE_METHOD
                         ? v->as.method->fn->name : v->kind == VALUE_MODULE ? builtin_module_name(v->as.module) : NULL;
        if (!name)
            name = a->arg[0].name;
        snprintf(topic, sizeof topic, "%s", name ? name : "");
    }
    return c->fn(in, ctx, topic, e);
}

static bool b_copy(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    return value_copy(out, a->arg[0].v, e);
}

static bool b_sum(Interp *in, Args *a, Value *out, Error *e) { return nudge_sum(in, a, out, e); }
static bool b_max(Interp *in, Args *a, Value *out, Error *e) { return nudge_extreme(in, a, true, out, e); }
static bool b_min(Interp *in, Args *a, Value *out, Error *e) { return nudge_extreme(in, a, false, out, e); }

/* The types, for isinstance and type(): each also converts. */
static bool b_ndarray(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    return args_error(a, -1, e, ERROR_ARG, "make arrays with np.array(...), np.zeros(...) or a [...] literal");
    (void)out;
}

static const Builtin table[] = {
    { "print", b_print, 0, ARGS_MAX, "sep end flush file", -1, "print(*values, sep=' ', end='\\n')",
      "Writes the values as Python's print does: each as str() shows it, separated by sep, then end. "
      "A string goes out as it is, control characters included (a value shown, say, vars and errors "
      "show them as \\x1b).\n"
      "  print(\"loss\", 0.25)        # loss 0.25\n  print(a, b, sep=\", \")", BUILTIN_ANY_KW },
    { "len", b_len, 1, 1, "", -1, "len(x)", "How many items x holds (an array: its rows).\n  len([3, 1, 2])    # 3", 0, .grad = &grad_flat },
    { "range", b_range, 1, 3, "", -1, "range(stop) or range(start, stop, step)",
      "The whole numbers from start up to (not including) stop.\n  for i in range(3): print(i)    # 0 1 2",
      BUILTIN_TYPE },
    { "enumerate", b_enumerate, 1, 2, "start", -1, "enumerate(xs, start=0)",
      "Pairs (index, item) of xs.\n  for i, x in enumerate([10, 20]): print(i, x)", 0 },
    { "zip", b_zip, 0, ARGS_MAX, "", -1, "zip(xs, ys, ...)",
      "Tuples of the items at the same place in each, as long as the shortest.\n  list(zip([1, 2], [3, 4]))", 0 },
    { "str", b_str, 0, 1, "", -1, "str(x)", "x as text, as print shows it.\n  str(0.5) + \"!\"    # '0.5!'",
      BUILTIN_TYPE },
    { "repr", b_repr, 1, 1, "", -1, "repr(x)", "x as Python writes it in source: strings in quotes.", 0 },
    { "format", b_format, 1, 2, "", -1, "format(x, spec)",
      "x formatted by a format spec, as in f-strings.\n  format(3.14159, \".2f\")    # '3.14'", 0 },
    { "int", b_int, 0, 2, "", -1, "int(x)", "A whole number: toward zero from a float, or read from text.\n"
      "  int(2.7)    # 2", BUILTIN_TYPE, .grad = &grad_flat },
    { "float", b_float, 0, 1, "", -1, "float(x)", "A float from a number or from text.\n  float(\"1e-3\")",
      BUILTIN_TYPE, .grad = &grad_copy },
    { "bool", b_bool, 0, 1, "", -1, "bool(x)", "Whether x counts as true: 0, empty and None do not.", BUILTIN_TYPE, .grad = &grad_flat },
    { "list", b_list, 0, 1, "", -1, "list(xs)", "A new list of the items of xs.\n  list(range(3))    # [0, 1, 2]",
      BUILTIN_TYPE },
    { "tuple", b_tuple, 0, 1, "", -1, "tuple(xs)", "A tuple of the items of xs.", BUILTIN_TYPE },
    { "dict", b_dict, 0, 1, "", -1, "dict(pairs) or dict(name=value, ...)",
      "A dict from (key, value) pairs or from names.\n  dict(lr=0.1, epochs=10)", BUILTIN_TYPE | BUILTIN_ANY_KW },
    { "sorted", b_sorted, 1, 1, "key reverse", -1, "sorted(xs, key=None, reverse=False)",
      "A sorted list of the items of xs.\n  sorted([3, 1, 2])    # [1, 2, 3]", 0 },
    { "reversed", b_reversed, 1, 1, "", -1, "reversed(xs)", "A list of the items of xs, last first.", 0 },
    { "any", b_any, 1, 1, "", -1, "any(xs)", "Whether any item of xs is true.", 0 },
    { "all", b_all, 1, 1, "", -1, "all(xs)", "Whether every item of xs is true.", 0 },
    { "map", b_map, 2, ARGS_MAX, "", -1, "map(f, xs)", "A list of f applied to each item (Python gives an "
      "iterator; nudge a list).\n  map(abs, [-1, 2])    # [1, 2]", 0 },
    { "filter", b_filter, 2, 2, "", -1, "filter(f, xs)", "A list of the items for which f is true.", 0 },
    { "abs", b_abs, 1, 1, "", 1, "abs(x)", "The absolute value of a number, or of each element.\n"
      "  abs([-2, 3])    # [2, 3]", 0, .grad = &grad_abs },
    { "round", b_round, 1, 2, "ndigits", -1, "round(x) or round(x, ndigits)",
      "x rounded to the nearest whole number (an int; ties go to the even one), or to ndigits decimals.\n"
      "  round(2.5)    # 2\n  round(3.14159, 2)    # 3.14", 0, .grad = &grad_flat },
    { "divmod", b_divmod, 2, 2, "", -1, "divmod(a, b)", "(a // b, a % b).", 0 },
    { "pow", b_pow, 2, 3, "", -1, "pow(a, b) or pow(a, b, m)", "a ** b, or a ** b modulo m.", 0, .grad = &grad_power },
    { "chr", b_chr, 1, 1, "", -1, "chr(n)", "The character with code n.", 0 },
    { "ord", b_ord, 1, 1, "", -1, "ord(c)", "The code of a character.", 0 },
    { "hex", b_hex, 1, 1, "", -1, "hex(n)", "n in hexadecimal.", 0 },
    { "bin", b_bin, 1, 1, "", -1, "bin(n)", "n in binary.", 0 },
    { "oct", b_oct, 1, 1, "", -1, "oct(n)", "n in octal.", 0 },
    { "isinstance", b_isinstance, 2, 2, "", -1, "isinstance(x, type)",
      "Whether x is of the type (int, float, str, list, tuple, dict, bool, np.ndarray), or of one of a tuple of "
      "them.", 0 },
    { "type", b_type, 1, 1, "", -1, "type(x)", "The type of x.\n  print(type(2))    # <class 'int'>", 0 },
    { "callable", b_callable, 1, 1, "", -1, "callable(x)", "Whether x is a function.", 0 },
    { "sum", b_sum, 1, 2, "axis start keepdims", 1, "sum(x) or sum(x, axis=0)",
      "The sum of the elements of an array (with axis=0 down the columns, axis=1 along the rows), or of the "
      "items of a list, Python's way.\n  sum([1, 2, 3])    # 6", 0, .grad = &grad_sum },
    { "max", b_max, 1, ARGS_MAX, "axis key default", 1, "max(x), max(a, b) or max(x, axis=0)",
      "The largest element; with two arrays, the element-wise larger one; with numbers, the largest.\n"
      "  max([3, 7, 2])    # 7", 0, .grad = &grad_max },
    { "min", b_min, 1, ARGS_MAX, "axis key default", 1, "min(x), min(a, b) or min(x, axis=0)",
      "The smallest element; with two arrays, the element-wise smaller one.\n  min([3, 7, 2])    # 2", 0, .grad = &grad_min },
    { "copy", b_copy, 1, 1, "", 0, "copy(x)",
      "A copy of x that shares nothing with it: names share objects, so b = a makes no copy.\n"
      "  b = copy(a); b[0] = 5    # a is unchanged", 0 },
    { "help", b_help, 0, 1, "", 0, "help(x)", "What x is and how to use it (also: help x).", 0 },
    { "quit", b_quit, 0, 1, "", 0, "quit()", "Ends the session (also: quit).", 0 },
    { "exit", b_quit, 0, 1, "", 0, "exit()", "Ends the session.", 0 },
    { "numpy.ndarray", b_ndarray, 0, 0, "", -1, "np.ndarray", "The type of arrays.", BUILTIN_TYPE },
};

const Builtin *pybuiltin_table(size_t *n)
{
    *n = sizeof table / sizeof table[0];
    return table;
}

const Builtin *pybuiltin_find(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strlen(table[i].name) == len && !memcmp(table[i].name, name, len))
            return &table[i];
    return NULL;
}

const Builtin *builtin_lookup(const char *name, size_t len)
{
    const Builtin *b = builtin_find(name, len);
    return b ? b : pybuiltin_find(name, len);
}
