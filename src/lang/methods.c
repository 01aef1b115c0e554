/* methods.c - the methods of each type: list.append, str.format,
 * dict.items, ndarray.dot, ...  A method is a built-in whose receiver
 * arrives in Args.self. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nudge/builtins.h"
#include "nudge/mem.h"
#include "nudge/text.h"
#include "state.h"

bool value_pystr(Interp *in, const Value *v, Text *out, Error *e);
bool value_pyrepr(Interp *in, const Value *v, Text *out, Error *e);
bool value_format(Interp *in, const Value *v, const char *spec, size_t speclen, Text *out, Error *e);
bool sort_list(Interp *in, Value *l, const Value *key, bool reverse, Error *e);
Tensor *value_to_tensor(const Value *v, const char *who, Error *e);

static bool want_str(const Args *a, int i, Error *e)
{
    if (a->arg[i].v->kind == VALUE_STRING)
        return true;
    char d[64];
    return args_error(a, i, e, ERROR_TYPE, "needs a string, not %s", value_describe(a->arg[i].v, d, sizeof d));
}

static bool want_int(const Args *a, int i, long long *out, Error *e)
{
    if (a->arg[i].v->kind == VALUE_INT || a->arg[i].v->kind == VALUE_BOOL) {
        *out = a->arg[i].v->as.integer;
        return true;
    }
    char d[64];
    return args_error(a, i, e, ERROR_TYPE, "needs an int, not %s", value_describe(a->arg[i].v, d, sizeof d));
}

/* --- list ------------------------------------------------------------------ */

static bool l_append(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    (void)out;
    return list_push(a->self, value_ref(a->arg[0].v), e);
}

static bool l_extend(Interp *in, Args *a, Value *out, Error *e)
{
    (void)out;
    Iter it;
    if (!iter_init(in, a->arg[0].v, &it, e))
        return args_error(a, 0, e, e->code, "%s", error_facts(e));
    /* Extending a list by itself reads it as it was. */
    size_t stop = a->arg[0].v->kind == VALUE_LIST && a->arg[0].v->as.list == a->self->as.list ? a->self->as.list->n : SIZE_MAX;
    Value x;
    int r = 0;
    size_t k = 0;
    while (k++ < stop && (r = iter_next(in, &it, &x, e)) == 1)
        if (!list_push(a->self, x, e)) {
            iter_free(&it);
            return false;
        }
    iter_free(&it);
    return r >= 0;      /* an item that failed, or Ctrl-C: undo puts the list back */
}

static bool index_in(const Args *a, long long i, size_t n, size_t *out, bool insert, Error *e)
{
    long long k = i < 0 ? i + (long long)n : i;
    if (insert) {
        k = k < 0 ? 0 : k > (long long)n ? (long long)n : k;
    } else if (k < 0 || k >= (long long)n) {
        return args_error(a, 0, e, ERROR_ARG, n ? "index %lld is out of range for a list of %zu" : "the list is empty",
                          i, n);
    }
    *out = (size_t)k;
    return true;
}

static bool l_pop(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    List *l = a->self->as.list;
    long long i = -1;
    if (a->n && !want_int(a, 0, &i, e))
        return false;
    size_t k;
    if (!l->n)
        return args_error(a, -1, e, ERROR_ARG, "the list is empty");
    if (!index_in(a, i, l->n, &k, false, e))
        return false;
    *out = l->items[k];
    memmove(&l->items[k], &l->items[k + 1], (l->n - k - 1) * sizeof *l->items);
    l->n--;
    return true;
}

static bool l_insert(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    (void)out;
    long long i = 0;
    if (!want_int(a, 0, &i, e))
        return false;
    size_t k = 0;
    index_in(a, i, a->self->as.list->n, &k, true, e);
    if (!list_push(a->self, value_none(), e))
        return false;
    List *l = a->self->as.list;
    memmove(&l->items[k + 1], &l->items[k], (l->n - 1 - k) * sizeof *l->items);
    l->items[k] = value_ref(a->arg[1].v);
    return true;
}

static bool find_item(const Value *items, size_t n, const Value *x, size_t *at)
{
    for (size_t i = 0; i < n; i++)
        if (value_equal(&items[i], x)) {
            *at = i;
            return true;
        }
    return false;
}

static bool l_remove(Interp *in, Args *a, Value *out, Error *e)
{
    (void)out;
    List *l = a->self->as.list;
    size_t k;
    if (!find_item(l->items, l->n, a->arg[0].v, &k)) {
        Text t = {0};
        value_pyrepr(in, a->arg[0].v, &t, NULL);
        bool r = args_error(a, 0, e, ERROR_ARG, "%s is not in the list", t.s ? t.s : "the value");
        text_free(&t);
        return r;
    }
    value_free(&l->items[k]);
    memmove(&l->items[k], &l->items[k + 1], (l->n - k - 1) * sizeof *l->items);
    l->n--;
    return true;
}

static bool seq_index(Interp *in, Args *a, Value *out, Error *e)
{
    const List *l = a->self->as.list;
    size_t k;
    if (!find_item(l->items, l->n, a->arg[0].v, &k)) {
        Text t = {0};
        value_pyrepr(in, a->arg[0].v, &t, NULL);
        bool r = args_error(a, 0, e, ERROR_ARG, "%s is not in the %s", t.s ? t.s : "the value",
                            a->self->kind == VALUE_TUPLE ? "tuple" : "list");
        text_free(&t);
        return r;
    }
    *out = value_int((long long)k);
    return true;
}

static bool seq_count(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    (void)e;
    const List *l = a->self->as.list;
    long long c = 0;
    for (size_t i = 0; i < l->n; i++)
        c += value_equal(&l->items[i], a->arg[0].v);
    *out = value_int(c);
    return true;
}

static bool l_sort(Interp *in, Args *a, Value *out, Error *e)
{
    (void)out;
    const Value *rev = args_kw(a, "reverse");
    bool reverse = false;
    if (rev && !value_truth(rev, &reverse, e))
        return false;
    return sort_list(in, a->self, args_kw(a, "key"), reverse, e) || args_error(a, -1, e, e->code, "%s", error_facts(e));
}

static bool l_reverse(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    (void)out;
    (void)e;
    List *l = a->self->as.list;
    for (size_t i = 0; i < l->n / 2; i++) {
        Value t = l->items[i];
        l->items[i] = l->items[l->n - 1 - i];
        l->items[l->n - 1 - i] = t;
    }
    return true;
}

static bool l_copy(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const List *l = a->self->as.list;
    if (!value_list(out, VALUE_LIST, l->n, e))
        return false;
    for (size_t i = 0; i < l->n; i++)
        list_push(out, value_ref(&l->items[i]), e);
    return true;
}

static bool l_clear(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    (void)out;
    (void)e;
    List *l = a->self->as.list;
    for (size_t i = 0; i < l->n; i++)
        value_free(&l->items[i]);
    l->n = 0;
    return true;
}

static const Builtin list_methods[] = {
    { "append", l_append, 1, 1, "", -2, "xs.append(x)", "Adds x at the end of the list.\n"
      "  losses = []; losses.append(0.5)", BUILTIN_CHANGES_FIRST | BUILTIN_APPENDS },
    { "extend", l_extend, 1, 1, "", -2, "xs.extend(ys)", "Adds every item of ys at the end.",
      BUILTIN_CHANGES_FIRST | BUILTIN_APPENDS },
    { "pop", l_pop, 0, 1, "", -2, "xs.pop(i=-1)", "Removes the item at i (the last) and gives it.",
      BUILTIN_CHANGES_FIRST },
    { "insert", l_insert, 2, 2, "", -2, "xs.insert(i, x)", "Puts x before position i.", BUILTIN_CHANGES_FIRST },
    { "remove", l_remove, 1, 1, "", -2, "xs.remove(x)", "Removes the first item equal to x.", BUILTIN_CHANGES_FIRST },
    { "index", seq_index, 1, 1, "", -2, "xs.index(x)", "The position of the first item equal to x.", 0 },
    { "count", seq_count, 1, 1, "", -2, "xs.count(x)", "How many items equal x.", 0 },
    { "sort", l_sort, 0, 0, "key reverse", -2, "xs.sort(key=None, reverse=False)", "Sorts the list in place.",
      BUILTIN_CHANGES_FIRST },
    { "reverse", l_reverse, 0, 0, "", -2, "xs.reverse()", "Reverses the list in place.", BUILTIN_CHANGES_FIRST },
    { "copy", l_copy, 0, 0, "", -2, "xs.copy()", "A new list with the same items.", 0 },
    { "clear", l_clear, 0, 0, "", -2, "xs.clear()", "Removes every item.", BUILTIN_CHANGES_FIRST },
};

static const Builtin tuple_methods[] = {
    { "index", seq_index, 1, 1, "", -2, "t.index(x)", "The position of the first item equal to x.", 0 },
    { "count", seq_count, 1, 1, "", -2, "t.count(x)", "How many items equal x.", 0 },
};

/* --- str --------------------------------------------------------------------- */

static bool make_str(Value *out, Text *t, Error *e)
{
    if (t->failed) {
        text_free(t);
        return error_nomem(e, "str");
    }
    bool ok = value_string(out, t->s ? t->s : "", t->len, e);
    text_free(t);
    return ok;
}

/* "...{}...{0}...{name:spec}...".format(...) */
static bool s_format(Interp *in, Args *a, Value *out, Error *e)
{
    const char *s = value_str(a->self);
    size_t len = value_strlen(a->self);
    Text t = {0};
    size_t auto_index = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '{' && i + 1 < len && s[i + 1] == '{') {
            text_puts(&t, "{");
            i++;
            continue;
        }
        if (s[i] == '}' && i + 1 < len && s[i + 1] == '}') {
            text_puts(&t, "}");
            i++;
            continue;
        }
        if (s[i] == '}') {
            text_free(&t);
            return args_error(a, -1, e, ERROR_ARG, "a single '}' in the format string (write '}}')");
        }
        if (s[i] != '{') {
            text_append(&t, s + i, 1);
            continue;
        }
        size_t j = i + 1;
        int depth = 0;
        while (j < len && !(s[j] == '}' && depth == 0)) {
            if (s[j] == '{')
                depth++;
            else if (s[j] == '}')
                depth--;
            j++;
        }
        if (j >= len) {
            text_free(&t);
            return args_error(a, -1, e, ERROR_ARG, "a '{' in the format string has no '}'");
        }
        /* field_name [!conv] [:spec] */
        const char *f = s + i + 1;
        size_t flen = j - i - 1;
        size_t name_len = strcspn(f, "!:}");
        if (name_len > flen)
            name_len = flen;
        char conv = 0;
        const char *spec = "";
        size_t speclen = 0;
        size_t k = name_len;
        if (k < flen && f[k] == '!') {
            conv = k + 1 < flen ? f[k + 1] : 0;
            k += 2;
        }
        if (k < flen && f[k] == ':') {
            spec = f + k + 1;
            speclen = flen - k - 1;
        }
        const Value *v = NULL;
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(name_len < 63 ? name_len : 63), f);
        /* a field name may index or take an attribute: {0[1]} or {p.w} are not supported */
        if (!name[0]) {
            if (auto_index >= a->n) {
                text_free(&t);
                return args_error(a, -1, e, ERROR_ARG, "the format string has more {} fields than values (%zu)", a->n);
            }
            v = a->arg[auto_index++].v;
        } else if (name[0] >= '0' && name[0] <= '9') {
            size_t idx = (size_t)strtoul(name, NULL, 10);
            if (idx >= a->n) {
                text_free(&t);
                return args_error(a, -1, e, ERROR_ARG, "the format string asks for value {%zu}, but %zu were given",
                                  idx, a->n);
            }
            v = a->arg[idx].v;
        } else {
            v = args_kw(a, name);
            if (!v) {
                text_free(&t);
                return args_error(a, -1, e, ERROR_NAME, "the format string names {%s}, which was not given", name);
            }
        }
        /* Nested fields in the spec: {x:{w}.{p}f} */
        Text specbuf = {0};
        for (size_t q = 0; q < speclen; q++) {
            if (spec[q] == '{') {
                size_t r = q + 1;
                while (r < speclen && spec[r] != '}')
                    r++;
                const Value *sv = NULL;
                if (r == q + 1) {
                    if (auto_index < a->n)
                        sv = a->arg[auto_index++].v;
                } else {
                    char nm[64];
                    snprintf(nm, sizeof nm, "%.*s", (int)(r - q - 1 < 63 ? r - q - 1 : 63), spec + q + 1);
                    sv = nm[0] >= '0' && nm[0] <= '9' ? ((size_t)atoi(nm) < a->n ? a->arg[atoi(nm)].v : NULL)
                                                      : args_kw(a, nm);
                }
                if (sv)
                    value_pystr(in, sv, &specbuf, e);
                q = r;
            } else {
                text_append(&specbuf, spec + q, 1);
            }
        }
        bool ok = true;
        Value converted = value_none();
        if (conv == 'r' || conv == 's' || conv == 'a') {
            Text c = {0};
            ok = (conv == 's' ? value_pystr(in, v, &c, e) : value_pyrepr(in, v, &c, e))
                 && value_string(&converted, c.s ? c.s : "", c.len, e);
            text_free(&c);
            v = &converted;
        }
        if (ok)
            ok = value_format(in, v, specbuf.s ? specbuf.s : "", specbuf.len, &t, e);
        value_free(&converted);
        text_free(&specbuf);
        if (!ok) {
            text_free(&t);
            return args_error(a, -1, e, e->code, "%s", error_facts(e));
        }
        i = j;
    }
    return make_str(out, &t, e);
}

static bool s_join(Interp *in, Args *a, Value *out, Error *e)
{
    Iter it;
    if (!iter_init(in, a->arg[0].v, &it, e))
        return args_error(a, 0, e, e->code, "%s", error_facts(e));
    Text t = {0};
    Value x;
    int r;
    size_t k = 0;
    while ((r = iter_next(in, &it, &x, e)) == 1) {
        if (x.kind != VALUE_STRING) {
            char d[64];
            args_error_set(a, 0, e, ERROR_TYPE, "item %zu is %s; join takes strings (use str(x) or map(str, xs))", k,
                       value_describe(&x, d, sizeof d));
            value_free(&x);
            iter_free(&it);
            text_free(&t);
            return false;
        }
        if (k++)
            text_append(&t, value_str(a->self), value_strlen(a->self));
        text_append(&t, value_str(&x), value_strlen(&x));
        value_free(&x);
    }
    iter_free(&it);
    if (r < 0) {
        text_free(&t);
        return false;
    }
    return make_str(out, &t, e);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool s_split(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const char *s = value_str(a->self);
    size_t len = value_strlen(a->self);
    const Value *sep = a->n ? a->arg[0].v : args_kw(a, "sep");
    if (sep && sep->kind == VALUE_NONE)
        sep = NULL;
    if (sep && (sep->kind != VALUE_STRING || value_strlen(sep) == 0))
        return args_error(a, 0, e, ERROR_ARG, "the separator must be a non-empty string");
    const Value *maxv = a->n > 1 ? a->arg[1].v : args_kw(a, "maxsplit");
    if (maxv && maxv->kind != VALUE_INT)
        return args_error(a, 1, e, ERROR_TYPE, "maxsplit must be an int");
    /* At most this many splits; the rest of s is the last piece. */
    long long splits = maxv && maxv->as.integer >= 0 ? maxv->as.integer : -1;
    if (!value_list(out, VALUE_LIST, 0, e))
        return false;
    Value piece;
    if (!sep) {
        size_t i = 0;
        while (i < len) {
            while (i < len && is_space(s[i]))
                i++;
            size_t j = i;
            if (splits-- == 0) {
                j = len;
            } else {
                while (j < len && !is_space(s[j]))
                    j++;
            }
            if (j > i) {
                if (!value_string(&piece, s + i, j - i, e) || !list_push(out, piece, e)) {
                    value_free(out);
                    return false;
                }
            }
            i = j;
        }
        return true;
    }
    const char *p = value_str(sep);
    size_t plen = value_strlen(sep), start = 0;
    for (size_t i = 0; i + plen <= len && splits != 0;) {
        if (!memcmp(s + i, p, plen)) {
            splits--;
            if (!value_string(&piece, s + start, i - start, e) || !list_push(out, piece, e)) {
                value_free(out);
                return false;
            }
            i += plen;
            start = i;
        } else {
            i++;
        }
    }
    if (!value_string(&piece, s + start, len - start, e) || !list_push(out, piece, e)) {
        value_free(out);
        return false;
    }
    return true;
}

/* Whether the character of n bytes at c is one that strip removes: white
 * space, or one of the characters of its argument. */
static bool strip_chars(const Args *a, const char *c, size_t n)
{
    if (!a->n || a->arg[0].v->kind != VALUE_STRING)
        return n == 1 && is_space(*c);
    const char *set = value_str(a->arg[0].v);
    size_t len = value_strlen(a->arg[0].v);
    for (size_t i = 0; i + n <= len; i++)
        if (!memcmp(set + i, c, n) && ((unsigned char)set[i] & 0xC0) != 0x80)
            return true;
    return false;
}

static bool strip(Args *a, Value *out, bool left, bool right, Error *e)
{
    const char *s = value_str(a->self);
    size_t i = 0, j = value_strlen(a->self);
    /* A character at a time (one to four bytes of UTF-8). */
    while (left && i < j) {
        size_t n = 1;
        while (i + n < j && ((unsigned char)s[i + n] & 0xC0) == 0x80)
            n++;
        if (!strip_chars(a, s + i, n))
            break;
        i += n;
    }
    while (right && j > i) {
        size_t k = j - 1;
        while (k > i && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
        if (!strip_chars(a, s + k, j - k))
            break;
        j = k;
    }
    return value_string(out, s + i, j - i, e);
}

static bool s_strip(Interp *in, Args *a, Value *out, Error *e) { (void)in; return strip(a, out, true, true, e); }
static bool s_lstrip(Interp *in, Args *a, Value *out, Error *e) { (void)in; return strip(a, out, true, false, e); }
static bool s_rstrip(Interp *in, Args *a, Value *out, Error *e) { (void)in; return strip(a, out, false, true, e); }

static bool change_case(Args *a, Value *out, int mode, Error *e)
{
    if (!value_string(out, value_str(a->self), value_strlen(a->self), e))
        return false;
    char *s = out->as.string->s;
    bool start = true;
    for (size_t i = 0; i < out->as.string->len; i++) {
        char c = s[i];
        bool up = mode == 1 || ((mode == 2 || mode == 3) && start);
        if (mode == 3 && !start)
            up = false;
        if (up && c >= 'a' && c <= 'z')
            s[i] = (char)(c - 'a' + 'A');
        else if (!up && c >= 'A' && c <= 'Z')
            s[i] = (char)(c - 'A' + 'a');
        bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        start = mode == 2 ? !alpha : mode == 3 ? false : start;
    }
    return true;
}

static bool s_upper(Interp *in, Args *a, Value *out, Error *e) { (void)in; return change_case(a, out, 1, e); }
static bool s_lower(Interp *in, Args *a, Value *out, Error *e) { (void)in; return change_case(a, out, 0, e); }
static bool s_title(Interp *in, Args *a, Value *out, Error *e) { (void)in; return change_case(a, out, 2, e); }
static bool s_capitalize(Interp *in, Args *a, Value *out, Error *e) { (void)in; return change_case(a, out, 3, e); }

static bool s_replace(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    if (!want_str(a, 0, e) || !want_str(a, 1, e))
        return false;
    const char *s = value_str(a->self), *old = value_str(a->arg[0].v), *new = value_str(a->arg[1].v);
    size_t len = value_strlen(a->self), ol = value_strlen(a->arg[0].v), nl = value_strlen(a->arg[1].v);
    long long limit = -1;
    if (a->n == 3 && !want_int(a, 2, &limit, e))
        return false;
    Text t = {0};
    size_t i = 0;
    long long done = 0;
    while (i < len) {
        if ((limit < 0 || done < limit) && (ol == 0 || (i + ol <= len && !memcmp(s + i, old, ol)))) {
            text_append(&t, new, nl);
            done++;
            if (ol == 0) {
                text_append(&t, s + i, 1);
                i++;
            } else {
                i += ol;
            }
            continue;
        }
        text_append(&t, s + i, 1);
        i++;
    }
    if (ol == 0 && (limit < 0 || done < limit))
        text_append(&t, new, nl);
    return make_str(out, &t, e);
}

static bool s_startswith(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    if (!want_str(a, 0, e))
        return false;
    size_t n = value_strlen(a->arg[0].v);
    *out = value_bool(n <= value_strlen(a->self) && !memcmp(value_str(a->self), value_str(a->arg[0].v), n));
    return true;
}

static bool s_endswith(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    if (!want_str(a, 0, e))
        return false;
    size_t n = value_strlen(a->arg[0].v), len = value_strlen(a->self);
    *out = value_bool(n <= len && !memcmp(value_str(a->self) + len - n, value_str(a->arg[0].v), n));
    return true;
}

/* The characters (not bytes) in n bytes of UTF-8 text. */
static size_t chars_in(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static bool s_find(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    if (!want_str(a, 0, e))
        return false;
    const char *s = value_str(a->self), *p = value_str(a->arg[0].v);
    size_t len = value_strlen(a->self), n = value_strlen(a->arg[0].v);
    long long at = -1;
    for (size_t i = 0; i + n <= len; i++)
        if (!memcmp(s + i, p, n)) {
            at = (long long)chars_in(s, i);     /* Python counts characters */
            break;
        }
    *out = value_int(at);
    return true;
}

static bool s_count(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    if (!want_str(a, 0, e))
        return false;
    const char *s = value_str(a->self), *p = value_str(a->arg[0].v);
    size_t len = value_strlen(a->self), n = value_strlen(a->arg[0].v);
    long long c = 0;
    if (n == 0)
        c = (long long)len + 1;
    else
        for (size_t i = 0; i + n <= len;)
            if (!memcmp(s + i, p, n)) {
                c++;
                i += n;
            } else {
                i++;
            }
    *out = value_int(c);
    return true;
}

static bool pad(Args *a, Value *out, int where, Error *e)
{
    long long width = 0;
    if (!want_int(a, 0, &width, e))
        return false;
    const char *fill = " ";
    size_t fill_len = 1;
    if (a->n > 1) {
        if (!want_str(a, 1, e))
            return false;
        fill = value_str(a->arg[1].v);
        fill_len = value_strlen(a->arg[1].v);
        if (chars_in(fill, fill_len) != 1)
            return args_error(a, 1, e, ERROR_ARG, "the fill must be one character");
    }
    size_t len = value_strlen(a->self);
    Text t = {0};
    long long extra = width - (long long)chars_in(value_str(a->self), len);
    /* CPython's str.center: the odd space goes left when width is odd. */
    long long left = where == 0 ? extra / 2 + (extra & width & 1) : where == 1 ? extra : 0;
    for (long long i = 0; i < left; i++)
        text_append(&t, fill, fill_len);
    text_append(&t, value_str(a->self), len);
    for (long long i = left; i < extra; i++)
        text_append(&t, fill, fill_len);
    return make_str(out, &t, e);
}

static bool s_center(Interp *in, Args *a, Value *out, Error *e) { (void)in; return pad(a, out, 0, e); }
static bool s_rjust(Interp *in, Args *a, Value *out, Error *e) { (void)in; return pad(a, out, 1, e); }
static bool s_ljust(Interp *in, Args *a, Value *out, Error *e) { (void)in; return pad(a, out, 2, e); }

static bool s_zfill(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    long long width = 0;
    if (!want_int(a, 0, &width, e))
        return false;
    const char *s = value_str(a->self);
    size_t len = value_strlen(a->self);
    Text t = {0};
    size_t sign = len && (s[0] == '-' || s[0] == '+');
    text_append(&t, s, sign);
    for (long long i = (long long)chars_in(s, len); i < width; i++)
        text_puts(&t, "0");
    text_append(&t, s + sign, len - sign);
    return make_str(out, &t, e);
}

static bool s_splitlines(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const char *s = value_str(a->self);
    size_t len = value_strlen(a->self);
    if (!value_list(out, VALUE_LIST, 0, e))
        return false;
    size_t start = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n') {
            Value piece;
            size_t end = i > start && s[i - 1] == '\r' ? i - 1 : i;
            if (!value_string(&piece, s + start, end - start, e) || !list_push(out, piece, e)) {
                value_free(out);
                return false;
            }
            start = i + 1;
        }
    if (start < len) {
        Value piece;
        if (!value_string(&piece, s + start, len - start, e) || !list_push(out, piece, e)) {
            value_free(out);
            return false;
        }
    }
    return true;
}

static bool s_isdigit(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    (void)e;
    size_t len = value_strlen(a->self);
    bool all = len > 0;
    for (size_t i = 0; i < len && all; i++)
        all = value_str(a->self)[i] >= '0' && value_str(a->self)[i] <= '9';
    *out = value_bool(all);
    return true;
}

static const Builtin str_methods[] = {
    { "format", s_format, 0, ARGS_MAX, "", -2, "\"...{}...\".format(values)",
      "The string with each {} replaced by the next value, formatted by its spec.\n"
      "  \"w = {:.3f}\".format(0.12345)    # 'w = 0.123'", BUILTIN_ANY_KW },
    { "join", s_join, 1, 1, "", -2, "sep.join(strings)", "The strings joined with sep between them.", 0 },
    { "split", s_split, 0, 2, "sep maxsplit", -2, "s.split(sep=None, maxsplit=-1)",
      "The pieces of s between separators (at most maxsplit + 1 of them).", 0 },
    { "strip", s_strip, 0, 1, "", -2, "s.strip()", "s without spaces at either end.", 0 },
    { "lstrip", s_lstrip, 0, 1, "", -2, "s.lstrip()", "s without spaces at the start.", 0 },
    { "rstrip", s_rstrip, 0, 1, "", -2, "s.rstrip()", "s without spaces at the end.", 0 },
    { "upper", s_upper, 0, 0, "", -2, "s.upper()", "s in capitals.", 0 },
    { "lower", s_lower, 0, 0, "", -2, "s.lower()", "s in small letters.", 0 },
    { "title", s_title, 0, 0, "", -2, "s.title()", "Each word capitalised.", 0 },
    { "capitalize", s_capitalize, 0, 0, "", -2, "s.capitalize()", "The first letter capitalised.", 0 },
    { "replace", s_replace, 2, 3, "", -2, "s.replace(old, new)", "s with each old replaced by new.", 0 },
    { "startswith", s_startswith, 1, 1, "", -2, "s.startswith(p)", "Whether s starts with p.", 0 },
    { "endswith", s_endswith, 1, 1, "", -2, "s.endswith(p)", "Whether s ends with p.", 0 },
    { "find", s_find, 1, 1, "", -2, "s.find(p)", "Where p first starts in s, or -1.", 0 },
    { "count", s_count, 1, 1, "", -2, "s.count(p)", "How many times p occurs in s.", 0 },
    { "center", s_center, 1, 2, "", -2, "s.center(width)", "s centred in width characters.", 0 },
    { "ljust", s_ljust, 1, 2, "", -2, "s.ljust(width)", "s padded on the right to width.", 0 },
    { "rjust", s_rjust, 1, 2, "", -2, "s.rjust(width)", "s padded on the left to width.", 0 },
    { "zfill", s_zfill, 1, 1, "", -2, "s.zfill(width)", "s padded with zeros on the left.", 0 },
    { "splitlines", s_splitlines, 0, 0, "", -2, "s.splitlines()", "The lines of s.", 0 },
    { "isdigit", s_isdigit, 0, 0, "", -2, "s.isdigit()", "Whether s is all digits.", 0 },
};

/* --- dict ------------------------------------------------------------------------ */

static bool dict_parts(Args *a, Value *out, int which, Error *e)
{
    const Dict *d = a->self->as.dict;
    if (!value_list(out, VALUE_LIST, d->n, e))
        return false;
    for (size_t i = 0; i < d->n; i++) {
        Value v;
        if (which == 2) {
            if (!value_list(&v, VALUE_TUPLE, 2, e)) {
                value_free(out);
                return false;
            }
            list_push(&v, value_ref(&d->keys[i]), e);
            list_push(&v, value_ref(&d->vals[i]), e);
        } else {
            v = value_ref(which == 0 ? &d->keys[i] : &d->vals[i]);
        }
        list_push(out, v, e);
    }
    return true;
}

static bool d_keys(Interp *in, Args *a, Value *out, Error *e) { (void)in; return dict_parts(a, out, 0, e); }
static bool d_values(Interp *in, Args *a, Value *out, Error *e) { (void)in; return dict_parts(a, out, 1, e); }
static bool d_items(Interp *in, Args *a, Value *out, Error *e) { (void)in; return dict_parts(a, out, 2, e); }

static bool d_get(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    (void)e;
    const Value *v = dict_get(a->self, a->arg[0].v);
    *out = v ? value_ref(v) : a->n > 1 ? value_ref(a->arg[1].v) : value_none();
    return true;
}

static bool d_pop(Interp *in, Args *a, Value *out, Error *e)
{
    Dict *d = a->self->as.dict;
    for (size_t i = 0; i < d->n; i++)
        if (value_equal(&d->keys[i], a->arg[0].v)) {
            *out = d->vals[i];
            value_free(&d->keys[i]);
            memmove(&d->keys[i], &d->keys[i + 1], (d->n - i - 1) * sizeof *d->keys);
            memmove(&d->vals[i], &d->vals[i + 1], (d->n - i - 1) * sizeof *d->vals);
            d->n--;
            return true;
        }
    if (a->n > 1) {
        *out = value_ref(a->arg[1].v);
        return true;
    }
    Text t = {0};
    value_pyrepr(in, a->arg[0].v, &t, NULL);
    bool r = args_error(a, 0, e, ERROR_NAME, "the dict has no key %s", t.s ? t.s : "");
    text_free(&t);
    return r;
}

static bool d_update(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    (void)out;
    if (a->n && a->arg[0].v->kind == VALUE_DICT) {
        const Dict *src = a->arg[0].v->as.dict;
        for (size_t i = 0; i < src->n; i++)
            if (!dict_set(a->self, value_ref(&src->keys[i]), value_ref(&src->vals[i]), e))
                return false;
    } else if (a->n) {
        return args_error(a, 0, e, ERROR_TYPE, "needs a dict");
    }
    for (size_t i = 0; i < a->nkw; i++) {
        Value k;
        if (!value_string(&k, a->kw[i].name, strlen(a->kw[i].name), e) || !dict_set(a->self, k, value_ref(&a->kw[i].v), e))
            return false;
    }
    return true;
}

static bool d_copy(Interp *in, Args *a, Value *out, Error *e)
{
    (void)in;
    const Dict *d = a->self->as.dict;
    if (!value_dict(out, e))
        return false;
    for (size_t i = 0; i < d->n; i++)
        if (!dict_set(out, value_ref(&d->keys[i]), value_ref(&d->vals[i]), e)) {
            value_free(out);
            return false;
        }
    return true;
}

static const Builtin dict_methods[] = {
    { "keys", d_keys, 0, 0, "", -2, "d.keys()", "The keys, in the order they were added.", 0 },
    { "values", d_values, 0, 0, "", -2, "d.values()", "The values.", 0 },
    { "items", d_items, 0, 0, "", -2, "d.items()", "(key, value) pairs.\n  for k, v in d.items(): print(k, v)", 0 },
    { "get", d_get, 1, 2, "", -2, "d.get(key, default=None)", "The value for key, or the default.", 0 },
    { "pop", d_pop, 1, 2, "", -2, "d.pop(key)", "Removes key and gives its value.", BUILTIN_CHANGES_FIRST },
    { "update", d_update, 0, 1, "", -2, "d.update(other)", "Adds other's keys and values.",
      BUILTIN_CHANGES_FIRST | BUILTIN_ANY_KW },
    { "copy", d_copy, 0, 0, "", -2, "d.copy()", "A new dict with the same keys and values.", 0 },
};

/* --- lookup ------------------------------------------------------------------------- */

const Builtin *array_methods(size_t *n);

static const Builtin *find_in(const Builtin *rows, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(rows[i].name, name))
            return &rows[i];
    return NULL;
}

const Builtin *method_table(ValueKind kind, size_t *n)
{
    switch (kind) {
    case VALUE_LIST: *n = sizeof list_methods / sizeof list_methods[0]; return list_methods;
    case VALUE_TUPLE: *n = sizeof tuple_methods / sizeof tuple_methods[0]; return tuple_methods;
    case VALUE_STRING: *n = sizeof str_methods / sizeof str_methods[0]; return str_methods;
    case VALUE_DICT: *n = sizeof dict_methods / sizeof dict_methods[0]; return dict_methods;
    case VALUE_TENSOR: return array_methods(n);
    default: *n = 0; return NULL;
    }
}

const Builtin *method_find(const Value *self, const char *name)
{
    size_t n;
    const Builtin *rows = method_table(self->kind, &n);
    return rows ? find_in(rows, n, name) : NULL;
}
