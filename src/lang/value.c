/* value.c - Python's objects in nudge: sharing, copying, freeing,
 * comparing, describing and showing values. */
#include "nudge/value.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "nudge/builtins.h"
#include "nudge/graph.h"
#include "nudge/mem.h"
#include "state.h"
#include "nudge/text.h"

struct Frame;
void frame_collect(struct Frame *f);     /* eval.c */

/* A model in a box with its reference count; the value points at the
 * model, and the count sits just before it. */
typedef struct PerceptronBox {
    int refs;
    Perceptron p;
} PerceptronBox;

typedef struct MlpBox {
    int refs;
    Mlp m;
} MlpBox;

static PerceptronBox *perceptron_box(Perceptron *p)
{
    return (PerceptronBox *)(void *)((char *)p - offsetof(PerceptronBox, p));
}

static MlpBox *mlp_box(Mlp *m)
{
    return (MlpBox *)(void *)((char *)m - offsetof(MlpBox, m));
}

/* --- references ----------------------------------------------------------- */

static void list_release(List *l)
{
    if (--l->refs > 0)
        return;
    gc_untrack(&l->gc);
    for (size_t i = 0; i < l->n; i++)
        value_free(&l->items[i]);
    mem_free(l->items);
    mem_free(l);
}

static void dict_release(Dict *d)
{
    if (--d->refs > 0)
        return;
    gc_untrack(&d->gc);
    for (size_t i = 0; i < d->n; i++) {
        value_free(&d->keys[i]);
        value_free(&d->vals[i]);
    }
    mem_free(d->keys);
    mem_free(d->vals);
    mem_free(d);
}

static void record_release(Record *r)
{
    if (--r->refs > 0)
        return;
    gc_untrack(&r->gc);
    for (size_t i = 0; i < r->n; i++) {
        mem_free(r->names[i]);
        value_free(&r->values[i]);
    }
    mem_free(r->names);
    mem_free(r->values);
    mem_free(r);
}

static void func_release(Func *f)
{
    if (--f->refs > 0) {
        /* Held now perhaps only by its own frame's variables: the frame
         * and it may keep each other alive and nothing else (f may be gone
         * after). */
        if (f->closure)
            frame_collect(f->closure);
        return;
    }
    gc_untrack(&f->gc);
    const Node *n = f->node;
    size_t nparams = n->fscope ? n->fscope->nparams : 0;
    if (f->defaults)
        for (size_t i = 0; i < nparams; i++)
            value_free(&f->defaults[i]);
    mem_free(f->defaults);
    frame_release(f->closure);
    ast_program_release(f->prog);
    mem_free(f->name);
    mem_free(f->qualname);
    mem_free(f);
}

void value_free(Value *v)
{
    graph_release(v->graph);
    switch (v->kind) {
    case VALUE_STRING:
        if (--v->as.string->refs == 0)
            mem_free(v->as.string);
        break;
    case VALUE_TENSOR:
        tensor_delete(v->as.tensor);
        break;
    case VALUE_LIST:
    case VALUE_TUPLE:
        list_release(v->as.list);
        break;
    case VALUE_DICT:
        dict_release(v->as.dict);
        break;
    case VALUE_RANGE:
        if (--v->as.range->refs == 0)
            mem_free(v->as.range);
        break;
    case VALUE_PERCEPTRON: {
        PerceptronBox *b = perceptron_box(v->as.perceptron);
        if (--b->refs == 0) {
            perceptron_free(&b->p);
            mem_free(b);
        }
        break;
    }
    case VALUE_MLP: {
        MlpBox *b = mlp_box(v->as.mlp);
        if (--b->refs == 0) {
            mlp_free(&b->m);
            mem_free(b);
        }
        break;
    }
    case VALUE_FUNCTION:
        func_release(v->as.func);
        break;
    case VALUE_METHOD:
        if (--v->as.method->refs == 0) {
            gc_untrack(&v->as.method->gc);
            value_free(v->as.method->self);
            mem_free(v->as.method->self);
            mem_free(v->as.method);
        }
        break;
    case VALUE_RECORD:
        record_release(v->as.record);
        break;
    case VALUE_NONE:
    case VALUE_BOOL:
    case VALUE_INT:
    case VALUE_NUMBER:
    case VALUE_BUILTIN:
    case VALUE_MODULE:
    case VALUE_UNBOUND:
        break;
    }
    *v = value_none();
}

Value value_ref(const Value *v)
{
    Value r = *v;
    r.graph = graph_retain(v->graph);
    switch (v->kind) {
    case VALUE_STRING: v->as.string->refs++; break;
    case VALUE_TENSOR: tensor_retain(v->as.tensor); break;
    case VALUE_LIST:
    case VALUE_TUPLE: v->as.list->refs++; break;
    case VALUE_DICT: v->as.dict->refs++; break;
    case VALUE_RANGE: v->as.range->refs++; break;
    case VALUE_PERCEPTRON: perceptron_box(v->as.perceptron)->refs++; break;
    case VALUE_MLP: mlp_box(v->as.mlp)->refs++; break;
    case VALUE_FUNCTION: v->as.func->refs++; break;
    case VALUE_METHOD: v->as.method->refs++; break;
    case VALUE_RECORD: v->as.record->refs++; break;
    default: break;
    }
    return r;
}

/* --- making ------------------------------------------------------------------ */

bool value_string(Value *out, const char *s, size_t len, Error *e)
{
    Str *str = mem_alloc(sizeof *str + len + 1);
    if (!str)
        return error_nomem(e, "string");
    str->refs = 1;
    str->len = len;
    if (len)
        memcpy(str->s, s, len);
    str->s[len] = '\0';
    *out = value_none();
    out->kind = VALUE_STRING;
    out->as.string = str;
    return true;
}

bool value_list(Value *out, ValueKind kind, size_t n, Error *e)
{
    List *l = mem_calloc(1, sizeof *l);
    Value *items = n ? mem_calloc(n, sizeof *items) : NULL;
    if (!l || (n && !items)) {
        mem_free(l);
        mem_free(items);
        return error_nomem(e, kind == VALUE_TUPLE ? "tuple" : "list");
    }
    l->refs = 1;
    gc_track(&l->gc, GC_LIST);
    l->items = items;
    l->cap = n;
    *out = value_none();
    out->kind = kind;
    out->as.list = l;
    return true;
}

bool list_push(Value *list, Value v, Error *e)
{
    List *l = list->as.list;
    Value *items = mem_grow(l->items, &l->cap, l->n + 1, sizeof *items, 4);
    if (!items) {
        value_free(&v);
        return error_nomem(e, "list");
    }
    l->items = items;
    l->items[l->n++] = v;
    return true;
}

bool value_dict(Value *out, Error *e)
{
    Dict *d = mem_calloc(1, sizeof *d);
    if (!d)
        return error_nomem(e, "dict");
    d->refs = 1;
    gc_track(&d->gc, GC_DICT);
    *out = value_none();
    out->kind = VALUE_DICT;
    out->as.dict = d;
    return true;
}

Value *dict_get(const Value *dict, const Value *key)
{
    const Dict *d = dict->as.dict;
    for (size_t i = 0; i < d->n; i++)
        if (value_equal(&d->keys[i], key))
            return &d->vals[i];
    return NULL;
}

bool dict_set(Value *dict, Value key, Value val, Error *e)
{
    Value *slot = dict_get(dict, &key);
    if (slot) {
        value_free(&key);
        value_free(slot);
        *slot = val;
        return true;
    }
    Dict *d = dict->as.dict;
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 4;
        Value *keys = mem_realloc(d->keys, cap, sizeof *keys);
        if (keys)
            d->keys = keys;
        Value *vals = keys ? mem_realloc(d->vals, cap, sizeof *vals) : NULL;
        if (!vals) {
            value_free(&key);
            value_free(&val);
            return error_nomem(e, "dict");
        }
        d->vals = vals;
        d->cap = cap;
    }
    d->keys[d->n] = key;
    d->vals[d->n] = val;
    d->n++;
    return true;
}

bool value_range(Value *out, long long start, long long stop, long long step, Error *e)
{
    Range *r = mem_alloc(sizeof *r);
    if (!r)
        return error_nomem(e, "range");
    *r = (Range){ 1, start, stop, step };
    *out = value_none();
    out->kind = VALUE_RANGE;
    out->as.range = r;
    return true;
}

long long range_len(const Range *r)
{
    if (r->step > 0)
        return r->stop > r->start ? (r->stop - r->start - 1) / r->step + 1 : 0;
    return r->start > r->stop ? (r->start - r->stop - 1) / -r->step + 1 : 0;
}

bool value_record(Value *out, Error *e)
{
    Record *r = mem_calloc(1, sizeof *r);
    if (!r)
        return error_nomem(e, "record");
    r->refs = 1;
    gc_track(&r->gc, GC_RECORD);
    *out = value_none();
    out->kind = VALUE_RECORD;
    out->as.record = r;
    return true;
}

bool record_add(Value *rec, const char *name, Value v, Error *e)
{
    Record *r = rec->as.record;
    char *nm = mem_strdup(name);
    char **names = nm ? mem_realloc(r->names, r->n + 1, sizeof *names) : NULL;
    if (names)
        r->names = names;
    Value *values = names ? mem_realloc(r->values, r->n + 1, sizeof *values) : NULL;
    if (!values) {
        mem_free(nm);
        value_free(&v);
        return error_nomem(e, "record");
    }
    r->values = values;
    r->names[r->n] = nm;
    r->values[r->n] = v;
    r->n++;
    return true;
}

Value *record_get(const Value *rec, const char *name)
{
    const Record *r = rec->as.record;
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->names[i], name))
            return &r->values[i];
    return NULL;
}

bool value_perceptron(Value *out, Error *e)
{
    PerceptronBox *b = mem_calloc(1, sizeof *b);
    if (!b)
        return error_nomem(e, "perceptron");
    b->refs = 1;
    *out = value_none();
    out->kind = VALUE_PERCEPTRON;
    out->as.perceptron = &b->p;
    return true;
}

bool value_mlp(Value *out, Error *e)
{
    MlpBox *b = mem_calloc(1, sizeof *b);
    if (!b)
        return error_nomem(e, "mlp");
    b->refs = 1;
    *out = value_none();
    out->kind = VALUE_MLP;
    out->as.mlp = &b->m;
    return true;
}

bool value_method(Value *out, const Value *self, const struct Builtin *fn, Error *e)
{
    Method *m = mem_alloc(sizeof *m);
    Value *s = m ? mem_alloc(sizeof *s) : NULL;
    if (!s) {
        mem_free(m);
        return error_nomem(e, fn->name);
    }
    *s = value_ref(self);
    m->refs = 1;
    gc_track(&m->gc, GC_METHOD);
    m->self = s;
    m->fn = fn;
    *out = value_none();
    out->kind = VALUE_METHOD;
    out->as.method = m;
    return true;
}

/* --- copying ----------------------------------------------------------------- */

/* How deep value_copy and value_equal follow containers inside
 * containers: a list that holds itself must not take the C stack with it. */
enum { VALUE_MAX_NESTING = 100 };

static bool copy_at(Value *dst, const Value *src, int depth, Error *e);

bool value_copy(Value *dst, const Value *src, Error *e)
{
    return copy_at(dst, src, 0, e);
}

static bool copy_at(Value *dst, const Value *src, int depth, Error *e)
{
    *dst = value_none();
    if (depth > VALUE_MAX_NESTING
        && (src->kind == VALUE_LIST || src->kind == VALUE_TUPLE || src->kind == VALUE_DICT || src->kind == VALUE_RECORD))
        return error_set_in(e, ERROR_LIMIT, "copy", "values nested more than %d deep (does a list hold itself?)",
                         VALUE_MAX_NESTING);
    switch (src->kind) {
    case VALUE_TENSOR: {
        Tensor *t = tensor_copy(src->as.tensor, e);
        if (!t)
            return false;
        *dst = value_tensor(t);
        dst->graph = graph_retain(src->graph);
        return true;
    }
    case VALUE_LIST:
    case VALUE_TUPLE: {
        const List *l = src->as.list;
        if (!value_list(dst, src->kind, l->n, e))
            return false;
        for (size_t i = 0; i < l->n; i++) {
            Value c;
            if (!copy_at(&c, &l->items[i], depth + 1, e) || !list_push(dst, c, e)) {
                value_free(dst);
                return false;
            }
        }
        return true;
    }
    case VALUE_DICT: {
        const Dict *d = src->as.dict;
        if (!value_dict(dst, e))
            return false;
        for (size_t i = 0; i < d->n; i++) {
            Value k, v;
            if (!copy_at(&k, &d->keys[i], depth + 1, e))
                goto fail;
            if (!copy_at(&v, &d->vals[i], depth + 1, e)) {
                value_free(&k);
                goto fail;
            }
            if (!dict_set(dst, k, v, e))
                goto fail;
        }
        return true;
    fail:
        value_free(dst);
        return false;
    }
    case VALUE_PERCEPTRON:
        if (!value_perceptron(dst, e))
            return false;
        if (!perceptron_copy(dst->as.perceptron, src->as.perceptron, e)) {
            mem_free(perceptron_box(dst->as.perceptron));
            *dst = value_none();
            return false;
        }
        return true;
    case VALUE_MLP:
        if (!value_mlp(dst, e))
            return false;
        if (!mlp_copy(dst->as.mlp, src->as.mlp, e)) {
            mem_free(mlp_box(dst->as.mlp));
            *dst = value_none();
            return false;
        }
        return true;
    case VALUE_RECORD: {
        if (!value_record(dst, e))
            return false;
        const Record *r = src->as.record;
        for (size_t i = 0; i < r->n; i++) {
            Value c;
            if (!copy_at(&c, &r->values[i], depth + 1, e) || !record_add(dst, r->names[i], c, e)) {
                value_free(dst);
                return false;
            }
        }
        return true;
    }
    default:
        *dst = value_ref(src);
        return true;
    }
}

static void swap_bytes(void *a, void *b, size_t n)
{
    unsigned char tmp[256];
    while (n) {
        size_t k = n < sizeof tmp ? n : sizeof tmp;
        memcpy(tmp, a, k);
        memcpy(a, b, k);
        memcpy(b, tmp, k);
        a = (char *)a + k;
        b = (char *)b + k;
        n -= k;
    }
}

/* Swaps two containers' insides; each keeps its own reference count (at
 * offset refs) and its place in the collector's list (at offset gc). */
static void swap_contents(void *a, void *b, size_t size, size_t refs, size_t gc)
{
    swap_bytes(a, b, size);
    swap_bytes((char *)a + refs, (char *)b + refs, sizeof(int));
    swap_bytes((char *)a + gc, (char *)b + gc, sizeof(GcLink));
}


void value_restore_into(Value *dst, Value *src)
{
    /* Swap the insides, keep each object's identity and count, then let
     * src take the old insides away with it. */
    switch (dst->kind) {
    case VALUE_TENSOR: {
        /* A tensor's data lives in its own allocation, after the header:
         * it is copied back, not swapped.  Changes in place keep the
         * number of elements, so the copy fits. */
        Tensor *a = dst->as.tensor;
        const Tensor *b = src->as.tensor;
        if (tensor_size(a) == tensor_size(b)) {
            memcpy(a->data, b->data, tensor_size(b) * sizeof *b->data);
            a->ndim = b->ndim;
            a->rows = b->rows;
            a->cols = b->cols;
            a->dtype = b->dtype;
        }
        break;
    }
    case VALUE_LIST:
    case VALUE_TUPLE:
        swap_contents(dst->as.list, src->as.list, sizeof(List), offsetof(List, refs), offsetof(List, gc));
        break;
    case VALUE_DICT:
        swap_contents(dst->as.dict, src->as.dict, sizeof(Dict), offsetof(Dict, refs), offsetof(Dict, gc));
        break;
    case VALUE_RECORD:
        swap_contents(dst->as.record, src->as.record, sizeof(Record), offsetof(Record, refs), offsetof(Record, gc));
        break;
    case VALUE_PERCEPTRON:
        swap_bytes(dst->as.perceptron, src->as.perceptron, sizeof(Perceptron));
        break;
    case VALUE_MLP:
        swap_bytes(dst->as.mlp, src->as.mlp, sizeof(Mlp));
        break;
    default:
        break;
    }
    value_free(src);
}

/* --- comparing ------------------------------------------------------------------ */

static bool equal_at(const Value *a, const Value *b, int depth);

bool value_equal(const Value *a, const Value *b)
{
    return equal_at(a, b, 0);
}

static bool equal_at(const Value *a, const Value *b, int depth)
{
    if (value_is_scalar(a) && value_is_scalar(b)) {
        if (a->kind != VALUE_NUMBER && b->kind != VALUE_NUMBER)
            return a->as.integer == b->as.integer;
        return value_to_double(a) == value_to_double(b);
    }
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case VALUE_NONE:
        return true;
    case VALUE_STRING:
        return a->as.string->len == b->as.string->len
            && !memcmp(a->as.string->s, b->as.string->s, a->as.string->len);
    case VALUE_LIST:
    case VALUE_TUPLE: {
        const List *x = a->as.list, *y = b->as.list;
        if (x == y)
            return true;
        if (x->n != y->n || depth > VALUE_MAX_NESTING)
            return false;       /* deeper than this counts as different: most likely a list holding itself */
        for (size_t i = 0; i < x->n; i++)
            if (!equal_at(&x->items[i], &y->items[i], depth + 1))
                return false;
        return true;
    }
    case VALUE_DICT: {
        const Dict *x = a->as.dict, *y = b->as.dict;
        if (x == y)
            return true;
        if (x->n != y->n || depth > VALUE_MAX_NESTING)
            return false;
        for (size_t i = 0; i < x->n; i++) {
            const Value *v = dict_get(b, &x->keys[i]);
            if (!v || !equal_at(&x->vals[i], v, depth + 1))
                return false;
        }
        return true;
    }
    case VALUE_RANGE: {
        const Range *x = a->as.range, *y = b->as.range;
        long long nx = range_len(x), ny = range_len(y);
        return nx == ny && (nx == 0 || (x->start == y->start && (nx == 1 || x->step == y->step)));
    }
    case VALUE_TENSOR: return a->as.tensor == b->as.tensor;
    case VALUE_PERCEPTRON: return a->as.perceptron == b->as.perceptron;
    case VALUE_MLP: return a->as.mlp == b->as.mlp;
    case VALUE_BUILTIN: return a->as.builtin == b->as.builtin;
    case VALUE_FUNCTION: return a->as.func == b->as.func;
    case VALUE_METHOD: return a->as.method == b->as.method;
    case VALUE_MODULE: return a->as.module == b->as.module;
    case VALUE_RECORD: return a->as.record == b->as.record;
    default: return false;
    }
}

bool value_hashable(const Value *v)
{
    switch (v->kind) {
    case VALUE_NONE: case VALUE_BOOL: case VALUE_INT: case VALUE_NUMBER: case VALUE_STRING:
    case VALUE_BUILTIN: case VALUE_FUNCTION: case VALUE_MODULE: case VALUE_RANGE:
        return true;
    case VALUE_TUPLE:
        for (size_t i = 0; i < v->as.list->n; i++)
            if (!value_hashable(&v->as.list->items[i]))
                return false;
        return true;
    default:
        return false;
    }
}

/* --- describing -------------------------------------------------------------------- */

const char *value_kind_name(const Value *v)
{
    switch (v->kind) {
    case VALUE_NONE: return "None";
    case VALUE_BOOL: return "bool";
    case VALUE_INT: return "int";
    case VALUE_NUMBER: return "number";
    case VALUE_STRING: return "string";
    case VALUE_TENSOR: return v->as.tensor->ndim == 1 ? "vector" : "matrix";
    case VALUE_LIST: return "list";
    case VALUE_TUPLE: return "tuple";
    case VALUE_DICT: return "dict";
    case VALUE_RANGE: return "range";
    case VALUE_PERCEPTRON: return "perceptron";
    case VALUE_MLP: return "mlp";
    case VALUE_BUILTIN: return "function";
    case VALUE_FUNCTION: return "function";
    case VALUE_METHOD: return "method";
    case VALUE_MODULE: return "module";
    case VALUE_RECORD: return "record";
    case VALUE_UNBOUND: return "unbound";
    }
    return "value";
}

const char *value_type_name(const Value *v)
{
    switch (v->kind) {
    case VALUE_NONE: return "NoneType";
    case VALUE_NUMBER: return "float";
    case VALUE_STRING: return "str";
    case VALUE_TENSOR: return "numpy.ndarray";
    case VALUE_BUILTIN: return "builtin_function_or_method";
    case VALUE_METHOD: return "builtin_function_or_method";
    default: return value_kind_name(v);
    }
}

static const char *dtype_word(Dtype d)
{
    return d == DTYPE_INT64 ? "int" : d == DTYPE_BOOL ? "bool" : "";
}

const char *value_describe(const Value *v, char *buf, size_t n)
{
    char shape[48];
    switch (v->kind) {
    case VALUE_TENSOR: {
        const char *d = dtype_word(v->as.tensor->dtype);
        snprintf(buf, n, "a %s %s%s%s", tensor_shape_str(v->as.tensor, shape, sizeof shape), d, *d ? " " : "",
                 value_kind_name(v));
        break;
    }
    case VALUE_NONE:
        snprintf(buf, n, "None");
        break;
    case VALUE_MLP:
        snprintf(buf, n, "a network (mlp)");
        break;
    case VALUE_INT:
        snprintf(buf, n, "an int");
        break;
    case VALUE_LIST:
        snprintf(buf, n, "a list of %zu", v->as.list->n);
        break;
    case VALUE_TUPLE:
        snprintf(buf, n, "a tuple of %zu", v->as.list->n);
        break;
    case VALUE_FUNCTION:
        snprintf(buf, n, "the function %s", v->as.func->qualname);
        break;
    case VALUE_BUILTIN:
        snprintf(buf, n, "the function %s", v->as.builtin->name);
        break;
    case VALUE_MODULE:
        snprintf(buf, n, "a module");
        break;
    default:
        snprintf(buf, n, "a %s", value_kind_name(v));
        break;
    }
    return buf;
}

/* --- display ------------------------------------------------------------- */

/* Appends body (lines ending in '\n', owned, freed here; NULL when it
 * could not be made) with each non-empty line indented. */
static void put_body(Text *t, char *body, int indent)
{
    if (!body) {
        t->failed = true;
        return;
    }
    for (const char *line = body; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (len)
            text_pad(t, (size_t)indent);
        text_append(t, line, len);
        text_puts(t, "\n");
        line += len + (nl ? 1 : 0);
    }
    mem_free(body);
}

static void show_tensor_body(Text *t, const Tensor *x, FormatMode mode, int width, int indent, Error *e)
{
    put_body(t, format_tensor(x, mode, width > indent ? width - indent : width, e), indent);
}

/* A tensor too large to read on screen shows its first and last few
 * elements, or a matrix its corners: the first and last few rows and
 * columns, as numpy summarises large arrays. */
static void show_large(Text *t, const char *name, const Tensor *x, FormatMode mode, int width, int indent, Error *e)
{
    char shape[48];
    if (x->ndim == 1) {
        enum { KEEP = 8 };
        text_printf(t, "%s = %s vector, %zu values: the first and last %d elements\n\n", name,
                    tensor_shape_str(x, shape, sizeof shape), tensor_size(x), KEEP);
        for (int part = 0; part < 2; part++) {
            Tensor view = *x;
            view.cols = KEEP;
            view.data = x->data + (part ? x->cols - KEEP : 0);
            show_tensor_body(t, &view, mode, width, indent, e);
            if (!part) {
                text_pad(t, (size_t)indent);
                text_puts(t, "   ...\n");
            }
        }
        text_puts(t, "\n");
        return;
    }
    enum { KEEP_ROWS = 4, KEEP_COLS = 4 };
    bool cut_rows = x->rows > 2 * KEEP_ROWS, cut_cols = x->cols > 2 * KEEP_COLS;
    text_printf(t, "%s = %s matrix, %zu values: the first and last %d %s\n\n", name,
                tensor_shape_str(x, shape, sizeof shape), tensor_size(x), cut_rows ? KEEP_ROWS : KEEP_COLS,
                cut_rows && cut_cols ? "rows and columns" : cut_rows ? "rows" : "columns");
    put_body(t, format_tensor_corners(x, mode, KEEP_ROWS, KEEP_COLS, e), indent);
    text_puts(t, "\n");
}

static void show_model_summary(Text *t, const Value *v, FormatMode mode, Error *e)
{
    char num[FORMAT_NUMBER_MAX];
    if (v->kind == VALUE_PERCEPTRON) {
        const Perceptron *p = v->as.perceptron;
        char *w = format_inline(p->w, mode, e);
        if (!w) {
            t->failed = true;
            return;
        }
        text_printf(t, "perceptron with %zu weights, lr = %s\n", tensor_size(p->w),
                    format_inline_number(p->lr, mode, num, sizeof num));
        text_printf(t, "  w = %s\n", w);
        mem_free(w);
        return;
    }
    const Mlp *m = v->as.mlp;
    char shape[16 * (MLP_MAX_LAYERS + 1)];
    text_printf(t, "mlp %s, %s hidden layer%s, %s + %s output%s\n", mlp_shape_str(m, shape, sizeof shape),
                mlp_act_name(m->hidden), m->n_layers > 2 ? "s" : "", mlp_act_name(m->output),
                m->output == MLP_SOFTMAX ? "cross-entropy" : "squared-error", m->bias ? ", with biases" : ", no biases");
}

static void show_mlp(Text *t, const Mlp *m, FormatMode mode, int width, int indent, Error *e)
{
    /* The weights layer by layer, then the biases. */
    for (size_t i = 0; i < 2 * m->n_layers; i++) {
        MlpParam w = i < m->n_layers ? mlp_weight_param(i) : mlp_bias_param(i - m->n_layers);
        const Tensor *x = mlp_param(m, w);
        if (!x)
            continue;
        char shape[48];
        text_puts(t, "\n");
        text_pad(t, (size_t)indent);
        if (tensor_size(x) > VALUE_SHOW_MAX) {
            /* Summarised as a large tensor is: mlp(3, 800, 2000) has 1.6
             * million weights, 25 MB of text. */
            show_large(t, mlp_param_name((MlpParam)w), x, mode, width, indent + 2, e);
            continue;
        }
        text_printf(t, "%s %s =\n\n", mlp_param_name((MlpParam)w), tensor_shape_str(x, shape, sizeof shape));
        show_tensor_body(t, x, mode, width, indent + 2, e);
    }
}

/* Control characters in text from data or files are shown escaped, never
 * sent to the terminal raw. */
static void put_escaped(Text *t, const char *s, size_t len)
{
    for (size_t i = 0, n; i < len; i += n) {
        unsigned code;
        bool control = text_control_at(s + i, len - i, &n, &code);
        if (s[i] == '\n')
            text_puts(t, "\\n");
        else if (s[i] == '\t')
            text_puts(t, "\\t");
        else if (s[i] == '\r' || control)
            text_printf(t, "\\x%02x", (unsigned char)s[i] == '\r' ? 0x0d : code);
        else
            text_append(t, s + i, n);
    }
}

static void show_into(Text *t, const char *name, const Value *v, FormatMode mode, int width, int indent, Error *e);

/* A list, tuple or dict on one line, its numbers as the format shows them. */
static void inline_into(Text *t, const Value *v, FormatMode mode, int depth, Error *e);

static void inline_items(Text *t, const Value *items, size_t n, FormatMode mode, int depth, Error *e)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            text_puts(t, ", ");
        if (t->len > 4096) {
            text_puts(t, "...");
            break;
        }
        inline_into(t, &items[i], mode, depth + 1, e);
    }
}

static void inline_into(Text *t, const Value *v, FormatMode mode, int depth, Error *e)
{
    char num[FORMAT_NUMBER_MAX];
    if (depth > 20) {
        text_puts(t, "...");
        return;
    }
    switch (v->kind) {
    case VALUE_NONE:
        text_puts(t, "None");
        break;
    case VALUE_BOOL:
        text_puts(t, v->as.integer ? "True" : "False");
        break;
    case VALUE_INT:
        text_printf(t, "%lld", v->as.integer);
        break;
    case VALUE_NUMBER:
        text_puts(t, format_inline_number(v->as.number, mode, num, sizeof num));
        break;
    case VALUE_STRING:
        text_puts(t, "\"");
        put_escaped(t, value_str(v), value_strlen(v));
        text_puts(t, "\"");
        break;
    case VALUE_TENSOR: {
        char *s = format_inline(v->as.tensor, mode, e);
        if (!s) {
            t->failed = true;
            return;
        }
        text_puts(t, s);
        mem_free(s);
        break;
    }
    case VALUE_LIST:
        text_puts(t, "[");
        inline_items(t, v->as.list->items, v->as.list->n, mode, depth, e);
        text_puts(t, "]");
        break;
    case VALUE_TUPLE:
        text_puts(t, "(");
        inline_items(t, v->as.list->items, v->as.list->n, mode, depth, e);
        text_puts(t, v->as.list->n == 1 ? ",)" : ")");
        break;
    case VALUE_DICT: {
        const Dict *d = v->as.dict;
        text_puts(t, "{");
        for (size_t i = 0; i < d->n; i++) {
            if (i)
                text_puts(t, ", ");
            inline_into(t, &d->keys[i], mode, depth + 1, e);
            text_puts(t, ": ");
            inline_into(t, &d->vals[i], mode, depth + 1, e);
        }
        text_puts(t, "}");
        break;
    }
    case VALUE_RANGE: {
        const Range *r = v->as.range;
        if (r->step == 1)
            text_printf(t, "range(%lld, %lld)", r->start, r->stop);
        else
            text_printf(t, "range(%lld, %lld, %lld)", r->start, r->stop, r->step);
        break;
    }
    case VALUE_PERCEPTRON:
    case VALUE_MLP: {
        Text s = {0};
        show_model_summary(&s, v, mode, e);
        if (s.failed) {
            t->failed = true;
            return;
        }
        char *nl = s.s ? strchr(s.s, '\n') : NULL;
        text_append(t, s.s ? s.s : "", nl ? (size_t)(nl - s.s) : s.len);
        text_free(&s);
        break;
    }
    case VALUE_BUILTIN:
        text_printf(t, "built-in function %s", v->as.builtin->name);
        break;
    case VALUE_FUNCTION: {
        const Func *f = v->as.func;
        if (f->node->kind == NODE_LAMBDA && f->node->src_len) {
            put_escaped(t, f->prog->src + f->node->src_offset, f->node->src_len);
        } else {
            text_printf(t, "function %s(", f->name);
            const Node *n = f->node;
            for (size_t i = 0; i + 1 < n->nkids; i++)
                text_printf(t, "%s%s%s", i ? ", " : "", n->kids[i]->op == TOKEN_STAR ? "*" : "", n->kids[i]->text);
            text_puts(t, ")");
        }
        break;
    }
    case VALUE_METHOD:
        text_printf(t, "method %s of %s", v->as.method->fn->name, value_type_name(v->as.method->self));
        break;
    case VALUE_MODULE:
        text_printf(t, "module %s", builtin_module_name(v->as.module));
        break;
    case VALUE_RECORD:
        text_puts(t, "record:");
        for (size_t i = 0; i < v->as.record->n; i++)
            text_printf(t, " %s", v->as.record->names[i]);
        break;
    case VALUE_UNBOUND:
        text_puts(t, "(unbound)");
        break;
    }
}

static void show_into(Text *t, const char *name, const Value *v, FormatMode mode, int width, int indent, Error *e)
{
    char num[FORMAT_NUMBER_MAX];
    text_pad(t, (size_t)indent);
    switch (v->kind) {
    case VALUE_NUMBER:
        text_printf(t, "%s = %s\n", name, format_number(v->as.number, mode, num, sizeof num));
        break;
    case VALUE_INT:
        text_printf(t, "%s = %lld\n", name, v->as.integer);
        break;
    case VALUE_BOOL:
        /* Octave shows a logical as 1 or 0. */
        text_printf(t, "%s = %d\n", name, (int)v->as.integer);
        break;
    case VALUE_TENSOR:
        if (tensor_size(v->as.tensor) == 0) {
            const Tensor *x = v->as.tensor;
            if (x->ndim == 1)
                text_printf(t, "%s = [](0,)\n", name);
            else
                text_printf(t, "%s = [](%zu, %zu)\n", name, x->rows, x->cols);
            break;
        }
        if (tensor_size(v->as.tensor) > VALUE_SHOW_MAX) {
            show_large(t, name, v->as.tensor, mode, width, indent, e);
            break;
        }
        text_printf(t, "%s =\n\n", name);
        show_tensor_body(t, v->as.tensor, mode, width, indent, e);
        text_puts(t, "\n");
        break;
    case VALUE_PERCEPTRON:
        text_printf(t, "%s = ", name);
        if (tensor_size(v->as.perceptron->w) > VALUE_SHOW_MAX) {
            text_printf(t, "perceptron with %zu weights\n\n", tensor_size(v->as.perceptron->w));
            show_large(t, "  w", v->as.perceptron->w, mode, width, indent, e);
            break;
        }
        show_model_summary(t, v, mode, e);
        break;
    case VALUE_MLP:
        text_printf(t, "%s = ", name);
        show_model_summary(t, v, mode, e);
        show_mlp(t, v->as.mlp, mode, width, indent + 2, e);
        text_puts(t, "\n");
        break;
    case VALUE_RECORD: {
        const Record *r = v->as.record;
        text_printf(t, "%s = record with fields:", name);
        for (size_t i = 0; i < r->n; i++)
            text_printf(t, " %s", r->names[i]);
        text_puts(t, "\n\n");
        for (size_t i = 0; i < r->n; i++) {
            const Value *f = &r->values[i];
            if (f->kind == VALUE_TENSOR && tensor_size(f->as.tensor) && tensor_size(f->as.tensor) <= VALUE_SHOW_MAX) {
                char shape[48];
                text_pad(t, (size_t)indent + 2);
                text_printf(t, "%s %s =\n\n", r->names[i], tensor_shape_str(f->as.tensor, shape, sizeof shape));
                show_tensor_body(t, f->as.tensor, mode, width, indent + 2, e);
                text_puts(t, "\n");
            } else {
                show_into(t, r->names[i], f, mode, width, indent + 2, e);
            }
        }
        break;
    }
    default:
        text_printf(t, "%s = ", name);
        inline_into(t, v, mode, 0, e);
        text_puts(t, "\n");
        break;
    }
}

char *value_show(const char *name, const Value *v, FormatMode mode, int width, Error *e)
{
    Text t = {0};
    Error local;
    error_clear(&local);
    show_into(&t, name, v, mode, width, 0, &local);
    if (t.failed || local.code) {
        text_free(&t);
        return error_nomem(e, "show"), NULL;
    }
    return text_finish(&t, e);
}

char *value_inline(const Value *v, FormatMode mode, Error *e)
{
    Text t = {0};
    Error local;
    error_clear(&local);
    inline_into(&t, v, mode, 0, &local);
    if (t.failed || local.code) {
        text_free(&t);
        return error_nomem(e, "show"), NULL;
    }
    return text_finish(&t, e);
}

/* --- source for save ----------------------------------------------------- */

/* A number as source that reads back exactly; non-finite values are
 * spelled with the names nudge has for them. */
static const char *source_number(double d, char *buf, size_t n)
{
    if (isnan(d))
        return "nan";
    if (isinf(d))
        return d > 0 ? "inf" : "-inf";
    format_repr(d, buf, n);
    /* A whole number keeps its point, so that it reads back as a float. */
    if (!strpbrk(buf, ".e") && strlen(buf) + 3 < n)
        strcat(buf, ".0");
    return buf;
}

static void source_tensor(Text *t, const Tensor *x)
{
    char num[FORMAT_NUMBER_MAX];
    /* By nudge's rules numbers in brackets make a float64 array and bools a
     * bool array; an int64 array says so with .astype(int), so that the
     * dtype comes back with the values whatever rules load the file. */
    if (tensor_size(x) == 0) {
        text_printf(t, x->ndim == 1 ? "zeros(0)" : "zeros(%zu, %zu)", x->rows, x->cols);
        if (x->dtype != DTYPE_FLOAT64)
            text_puts(t, x->dtype == DTYPE_INT64 ? ".astype(int)" : ".astype(bool)");
        return;
    }
    text_puts(t, "[");
    for (size_t r = 0; r < x->rows; r++) {
        if (x->ndim == 2)
            text_puts(t, r ? ", [" : "[");
        for (size_t c = 0; c < x->cols; c++) {
            double d = tensor_at(x, r, c);
            if (c)
                text_puts(t, ", ");
            if (x->dtype == DTYPE_BOOL)
                text_puts(t, d != 0 ? "True" : "False");
            else if (x->dtype == DTYPE_INT64)
                text_printf(t, "%.0f", d);
            else
                text_puts(t, source_number(d, num, sizeof num));
        }
        if (x->ndim == 2)
            text_puts(t, "]");
    }
    text_puts(t, "]");
    if (x->dtype == DTYPE_INT64)
        text_puts(t, ".astype(int)");
}

static bool source_into(Text *t, const Value *v, int depth, Error *e);

static bool source_items(Text *t, const Value *items, size_t n, int depth, Error *e)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            text_puts(t, ", ");
        if (!source_into(t, &items[i], depth + 1, e))
            return false;
    }
    return true;
}

static bool source_into(Text *t, const Value *v, int depth, Error *e)
{
    char num[FORMAT_NUMBER_MAX];
    if (depth > 100)
        return error_set_in(e, ERROR_LIMIT, "save", "values nested more than 100 deep cannot be saved");
    switch (v->kind) {
    case VALUE_NONE:
        text_puts(t, "None");
        return true;
    case VALUE_BOOL:
        text_puts(t, v->as.integer ? "True" : "False");
        return true;
    case VALUE_INT:
        text_printf(t, "%lld", v->as.integer);
        return true;
    case VALUE_NUMBER:
        text_puts(t, source_number(v->as.number, num, sizeof num));
        return true;
    case VALUE_STRING: {
        text_puts(t, "\"");
        const char *s = value_str(v);
        for (size_t i = 0; i < value_strlen(v); i++) {
            unsigned char c = (unsigned char)s[i];
            if (c == '"' || c == '\\')
                text_printf(t, "\\%c", c);
            else if (c == '\n')
                text_puts(t, "\\n");
            else if (c == '\t')
                text_puts(t, "\\t");
            else if (c == '\r')
                text_puts(t, "\\r");
            else {
                size_t n;
                unsigned code;
                /* C0, DEL and C1 as \xNN, which load reads back as the
                 * same character; a byte that is no UTF-8 stays as it is,
                 * so that it too loads back as it was. */
                if (text_control_at(s + i, value_strlen(v) - i, &n, &code) && (c < 0x80 || n == 2))
                    text_printf(t, "\\x%02x", code);
                else
                    text_append(t, s + i, n);
                i += n - 1;
            }
        }
        text_puts(t, "\"");
        return true;
    }
    case VALUE_TENSOR:
        source_tensor(t, v->as.tensor);
        return true;
    case VALUE_LIST:
        /* list((1, 2)), not [1, 2], which nudge's rules read as an array */
        if (v->as.list->n == 0) {
            text_puts(t, "[]");
            return true;
        }
        text_puts(t, "list((");
        if (!source_items(t, v->as.list->items, v->as.list->n, depth, e))
            return false;
        text_puts(t, v->as.list->n == 1 ? ",))" : "))");
        return true;
    case VALUE_TUPLE:
        text_puts(t, "(");
        if (!source_items(t, v->as.list->items, v->as.list->n, depth, e))
            return false;
        text_puts(t, v->as.list->n == 1 ? ",)" : ")");
        return true;
    case VALUE_DICT: {
        const Dict *d = v->as.dict;
        text_puts(t, "{");
        for (size_t i = 0; i < d->n; i++) {
            if (i)
                text_puts(t, ", ");
            if (!source_into(t, &d->keys[i], depth + 1, e))
                return false;
            text_puts(t, ": ");
            if (!source_into(t, &d->vals[i], depth + 1, e))
                return false;
        }
        text_puts(t, "}");
        return true;
    }
    case VALUE_RANGE: {
        const Range *r = v->as.range;
        text_printf(t, "range(%lld, %lld, %lld)", r->start, r->stop, r->step);
        return true;
    }
    case VALUE_PERCEPTRON:
        text_puts(t, "perceptron(w=");
        source_tensor(t, v->as.perceptron->w);
        text_printf(t, ", lr=%s)", source_number(v->as.perceptron->lr, num, sizeof num));
        return true;
    case VALUE_MLP: {
        const Mlp *m = v->as.mlp;
        text_puts(t, "mlp(");
        for (size_t k = 0; k <= m->n_layers; k++)
            text_printf(t, "%s%zu", k ? ", " : "", m->sizes[k]);
        if (m->hidden != MLP_SIGMOID)
            text_printf(t, ", hidden=\"%s\"", mlp_act_name(m->hidden));
        if (m->output != MLP_SIGMOID)
            text_printf(t, ", output=\"%s\"", mlp_act_name(m->output));
        if (m->bias)
            text_puts(t, ", bias=1");
        for (size_t i = 0; i < 2 * m->n_layers; i++) {
            MlpParam w = i < m->n_layers ? mlp_weight_param(i) : mlp_bias_param(i - m->n_layers);
            if (!mlp_param(m, w))
                continue;
            text_printf(t, ", %s=", mlp_param_name(w));
            source_tensor(t, mlp_param(m, w));
        }
        text_puts(t, ")");
        return true;
    }
    case VALUE_FUNCTION: {
        const Func *f = v->as.func;
        if (f->node->kind != NODE_LAMBDA || f->closure)
            return error_set_in(e, ERROR_TYPE, "save", "the function %s cannot be written as a value", f->qualname);
        text_append(t, f->prog->src + f->node->src_offset, f->node->src_len);
        return true;
    }
    case VALUE_BUILTIN: {
        /* Its name reads back as the same function only when that name is
         * a built-in of its own (np.exp bound by `from numpy import *` is
         * not: `exp` would load as nudge's exp, `array` not at all). */
        const char *name = v->as.builtin->name;
        if (!builtin_named_as_itself(v->as.builtin))
            return error_set_in(e, ERROR_TYPE, "save", "the function %s of a module cannot be written as a value", name);
        text_puts(t, name);
        return true;
    }
    default: {
        char d[64];
        return error_set_in(e, ERROR_TYPE, "save", "%s cannot be saved", value_describe(v, d, sizeof d));
    }
    }
}

char *value_source(const Value *v, Error *e)
{
    Text t = {0};
    if (!source_into(&t, v, 0, e)) {
        text_free(&t);
        return NULL;
    }
    return text_finish(&t, e);
}

/* --- cycles --------------------------------------------------------------------- */

/* Every tracked object, in a ring around this head. */
static GcLink gc_head = { &gc_head, &gc_head, 0, 0 };

void gc_track(GcLink *g, int type)
{
    g->type = type;
    g->gc_refs = 0;
    g->prev = &gc_head;
    g->next = gc_head.next;
    gc_head.next->prev = g;
    gc_head.next = g;
}

void gc_untrack(GcLink *g)
{
    if (!g->next)
        return;
    g->prev->next = g->next;
    g->next->prev = g->prev;
    g->next = g->prev = NULL;
}

static int *gc_refs_field(GcLink *g)
{
    switch (g->type) {
    case GC_LIST: return &((List *)(void *)g)->refs;
    case GC_DICT: return &((Dict *)(void *)g)->refs;
    case GC_RECORD: return &((Record *)(void *)g)->refs;
    case GC_FUNC: return &((Func *)(void *)g)->refs;
    case GC_METHOD: return &((Method *)(void *)g)->refs;
    default: return &((Frame *)(void *)g)->refs;
    }
}

/* The tracked object a value refers to, or NULL. */
static GcLink *gc_of(const Value *v)
{
    switch (v->kind) {
    case VALUE_LIST:
    case VALUE_TUPLE: return &v->as.list->gc;
    case VALUE_DICT: return &v->as.dict->gc;
    case VALUE_RECORD: return &v->as.record->gc;
    case VALUE_FUNCTION: return &v->as.func->gc;
    case VALUE_METHOD: return &v->as.method->gc;
    default: return NULL;
    }
}

typedef void (*GcVisit)(GcLink *child, void *ctx);

/* Calls visit for each tracked object g refers to (once per reference). */
static void gc_children(GcLink *g, GcVisit visit, void *ctx)
{
    GcLink *c;
    switch (g->type) {
    case GC_LIST: {
        const List *l = (List *)(void *)g;
        for (size_t i = 0; i < l->n; i++)
            if ((c = gc_of(&l->items[i])))
                visit(c, ctx);
        break;
    }
    case GC_DICT: {
        const Dict *d = (Dict *)(void *)g;
        for (size_t i = 0; i < d->n; i++) {
            if ((c = gc_of(&d->keys[i])))
                visit(c, ctx);
            if ((c = gc_of(&d->vals[i])))
                visit(c, ctx);
        }
        break;
    }
    case GC_RECORD: {
        const Record *r = (Record *)(void *)g;
        for (size_t i = 0; i < r->n; i++)
            if ((c = gc_of(&r->values[i])))
                visit(c, ctx);
        break;
    }
    case GC_FUNC: {
        const Func *f = (Func *)(void *)g;
        size_t np = f->defaults && f->node->fscope ? f->node->fscope->nparams : 0;
        for (size_t i = 0; i < np; i++)
            if ((c = gc_of(&f->defaults[i])))
                visit(c, ctx);
        if (f->closure)
            visit(&f->closure->gc, ctx);
        break;
    }
    case GC_METHOD:
        if ((c = gc_of(((Method *)(void *)g)->self)))
            visit(c, ctx);
        break;
    default: {
        const Frame *f = (Frame *)(void *)g;
        for (size_t i = 0; i < f->n; i++)
            if ((c = gc_of(&f->slots[i])))
                visit(c, ctx);
        if (f->up)
            visit(&f->up->gc, ctx);
        break;
    }
    }
}

static void gc_subtract(GcLink *child, void *ctx)
{
    (void)ctx;
    child->gc_refs--;
}

typedef struct GcStack {
    GcLink **items;
    size_t n;
} GcStack;

/* Marks child reachable (gc_refs -1) and queues it to mark what it holds. */
static void gc_reach(GcLink *child, void *ctx)
{
    GcStack *st = ctx;
    if (child->gc_refs < 0)
        return;
    child->gc_refs = -1;
    st->items[st->n++] = child;
}

/* Drops every reference an unreachable object holds. */
static void gc_clear(GcLink *g)
{
    switch (g->type) {
    case GC_LIST: {
        List *l = (List *)(void *)g;
        while (l->n > 0)
            value_free(&l->items[--l->n]);
        break;
    }
    case GC_DICT: {
        Dict *d = (Dict *)(void *)g;
        while (d->n > 0) {
            d->n--;
            value_free(&d->keys[d->n]);
            value_free(&d->vals[d->n]);
        }
        break;
    }
    case GC_RECORD: {
        Record *r = (Record *)(void *)g;
        for (size_t i = 0; i < r->n; i++)
            value_free(&r->values[i]);
        break;
    }
    case GC_FUNC: {
        Func *f = (Func *)(void *)g;
        size_t np = f->defaults && f->node->fscope ? f->node->fscope->nparams : 0;
        for (size_t i = 0; i < np; i++) {
            value_free(&f->defaults[i]);
            f->defaults[i].kind = VALUE_UNBOUND;
        }
        Frame *closure = f->closure;
        f->closure = NULL;
        frame_release(closure);
        break;
    }
    case GC_METHOD:
        value_free(((Method *)(void *)g)->self);
        break;
    default: {
        Frame *f = (Frame *)(void *)g;
        for (size_t i = 0; i < f->n; i++) {
            value_free(&f->slots[i]);
            f->slots[i].kind = VALUE_UNBOUND;
        }
        Frame *up = f->up;
        f->up = NULL;
        frame_release(up);
        break;
    }
    }
}

/* Drops the last reference to an object whose contents are cleared. */
static void gc_release(GcLink *g)
{
    Value v = value_none();
    switch (g->type) {
    case GC_LIST: v.kind = VALUE_LIST; v.as.list = (List *)(void *)g; break;
    case GC_DICT: v.kind = VALUE_DICT; v.as.dict = (Dict *)(void *)g; break;
    case GC_RECORD: v.kind = VALUE_RECORD; v.as.record = (Record *)(void *)g; break;
    case GC_FUNC: v.kind = VALUE_FUNCTION; v.as.func = (Func *)(void *)g; break;
    case GC_METHOD: v.kind = VALUE_METHOD; v.as.method = (Method *)(void *)g; break;
    default: frame_release((Frame *)(void *)g); return;
    }
    value_free(&v);
}

/* CPython's way: an object whose references all come from other tracked
 * objects may be garbage; what an object with a reference from elsewhere
 * (a variable, the C stack, a statement's undo) can reach is not; the rest
 * is cycles nobody can reach, freed by emptying each, then letting go. */
size_t value_collect_cycles(void)
{
    size_t n = 0;
    for (GcLink *g = gc_head.next; g != &gc_head; g = g->next)
        n++;
    if (n == 0)
        return 0;
    GcLink **all = mem_alloc(n * sizeof *all);
    GcStack st = { mem_alloc(n * sizeof *st.items), 0 };
    if (!all || !st.items) {
        mem_free(all);
        mem_free(st.items);
        return 0;       /* no memory to look: the cycles stay */
    }
    size_t k = 0;
    for (GcLink *g = gc_head.next; g != &gc_head; g = g->next) {
        all[k++] = g;
        g->gc_refs = *gc_refs_field(g);
    }
    for (size_t i = 0; i < n; i++)
        gc_children(all[i], gc_subtract, NULL);
    for (size_t i = 0; i < n; i++) {
        if (all[i]->gc_refs <= 0)
            continue;
        all[i]->gc_refs = -1;
        st.items[st.n++] = all[i];
        while (st.n > 0)
            gc_children(st.items[--st.n], gc_reach, &st);
    }
    size_t garbage = 0;
    for (size_t i = 0; i < n; i++)
        if (all[i]->gc_refs >= 0)
            all[garbage++] = all[i];
    for (size_t i = 0; i < garbage; i++)
        (*gc_refs_field(all[i]))++;     /* held until every one is cleared */
    for (size_t i = 0; i < garbage; i++)
        gc_clear(all[i]);
    for (size_t i = 0; i < garbage; i++)
        gc_release(all[i]);
    mem_free(all);
    mem_free(st.items);
    return garbage;
}
