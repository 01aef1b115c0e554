/* eval.c - evaluating expressions: names, literals, operators, calls,
 * indexing, attributes, functions and comprehensions. */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nudge/builtins.h"
#include "nudge/graph.h"
#include "nudge/mem.h"
#include "nudge/text.h"
#include "derivs.h"
#include "state.h"

/* --- errors ---------------------------------------------------------------- */

bool fail_at(const Node *n, Error *e, ErrorCode code, const char *fmt, ...)
{
    if (!e)
        return false;
    char msg[ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    error_set(e, code, "%s", msg);     /* control characters shown escaped */
    e->line = n->line;
    e->col = n->col;
    e->context[0] = '\0';
    return false;
}

bool context_has(const Error *e, const char *layer, bool outermost)
{
    size_t n = strlen(layer);
    for (const char *p = e->context; *p;) {
        if (!strncmp(p, layer, n) && (p[n] == '\0' || !strncmp(p + n, ": ", 2)))
            return true;
        if (outermost)
            return false;
        const char *next = strstr(p, ": ");
        if (!next)
            break;
        p = next + 2;
    }
    return false;
}

bool locate(const Node *n, Error *e)
{
    if (e && e->col == 0) {
        e->line = n->line;
        e->col = n->col;
    }
    return false;
}


static bool unknown_name(const Interp *in, const Node *n, Error *e)
{
    if (!strcmp(n->text, "np") || !strcmp(n->text, "numpy") || !strcmp(n->text, "math"))
        return fail_at(n, e, ERROR_NAME, "unknown name '%s': run `import %s%s` first", n->text,
                       !strcmp(n->text, "np") ? "numpy as np" : n->text, "");
    const char *near = closest_name(in, n->text, true, false);
    if (near)
        return fail_at(n, e, ERROR_NAME, "unknown name '%s' (did you mean '%s'?)", n->text, near);
    return fail_at(n, e, ERROR_NAME, "unknown name '%s'", n->text);
}

/* --- names ------------------------------------------------------------------- */

/* The built-in constants: pi (and π), inf, nan. */
static bool builtin_constant(const char *name, Value *out)
{
    if (!strcmp(name, "pi") || !strcmp(name, "π")) {
        *out = value_number(3.14159265358979323846);
        return true;
    }
    if (!strcmp(name, "inf")) {
        *out = value_number(INFINITY);
        return true;
    }
    if (!strcmp(name, "nan")) {
        *out = value_number(NAN);
        return true;
    }
    return false;
}

/* What a global name node refers to, cached in the node until a new
 * variable is made: the variable, else the built-in. */
Var *cached_var(Interp *in, const Node *n, const Builtin **b)
{
    Node *m = (Node *)n;    /* the cache is the interpreter's, not the tree's meaning */
    if (m->cache_gen != in->globals_gen || !m->cache_gen) {
        Var *v = global_find(in, n->text);
        const Builtin *found = NULL;
        if (!v)
            found = builtin_lookup(n->text, strlen(n->text));
        m->cache = v ? (void *)v : (void *)found;
        m->cache_gen = in->globals_gen;
        m->slot = v ? 1 : found ? 2 : 0;
    }
    *b = m->slot == 2 ? (const Builtin *)m->cache : NULL;
    return m->slot == 1 ? (Var *)m->cache : NULL;
}

bool load_global(Interp *in, const Node *n, Value *out, Error *e)
{
    const Builtin *b;
    Var *v = cached_var(in, n, &b);
    if (v && v->bound) {
        *out = value_ref(&v->value);
        return true;
    }
    if (v)
        b = builtin_lookup(n->text, strlen(n->text));
    if (b) {
        *out = value_none();
        out->kind = VALUE_BUILTIN;
        out->as.builtin = b;
        return true;
    }
    if (builtin_constant(n->text, out))
        return true;
    return unknown_name(in, n, e);
}

static Frame *frame_up(Frame *f, int up)
{
    while (up-- > 0 && f)
        f = f->up;
    return f;
}

static bool load_name(Interp *in, const Node *n, Value *out, Error *e)
{
    if (n->scope == SCOPE_GLOBAL)
        return load_global(in, n, out, e);
    Frame *f = n->scope == SCOPE_LOCAL ? in->frame : frame_up(in->frame, n->up);
    const Value *v = f ? &f->slots[n->slot] : NULL;
    if (!v || v->kind == VALUE_UNBOUND)
        return fail_at(n, e, ERROR_NAME, "'%s' has no value yet here: it is assigned later in this function "
                       "(a name assigned anywhere in a function is that function's own, unless declared global)",
                       n->text);
    *out = value_ref(v);
    return true;
}

/* acc op item op item ... over the items of the call's first argument
 * (sum's and math.prod's loop); takes acc.  Errors point at that argument. */
bool fold(Interp *in, const Args *a, int op, Value acc, Value *out, Error *e)
{
    Iter it;
    if (!iter_init(in, a->arg[0].v, &it, e)) {
        value_free(&acc);
        return args_error(a, 0, e, e->code, "%s", error_facts(e));
    }
    Value x;
    int r;
    bool ok = true;
    while (ok && (r = iter_next(in, &it, &x, e)) == 1) {
        Value next;
        ok = arith_binary(in, op, &acc, &x, &next, e);
        value_free(&x);
        value_free(&acc);
        acc = ok ? next : value_none();
    }
    iter_free(&it);
    if (!ok || r < 0) {
        value_free(&acc);
        return ok ? false : args_error(a, 0, e, e->code, "%s", error_facts(e));
    }
    *out = acc;
    return true;
}

/* --- histories (grad) ------------------------------------------------------------ */

/* Numbers and arrays of any dtype: what a history can hold (a bool mask
 * made by a comparison keeps one too, so grad can name the comparison). */
static bool is_numeric(const Value *v)
{
    return v->kind == VALUE_NUMBER || v->kind == VALUE_TENSOR || v->kind == VALUE_INT || v->kind == VALUE_BOOL;
}

/* The version grad should find for a name node's variable. */
static unsigned long name_version(const Interp *in, const Node *n)
{
    if (n->scope != SCOPE_GLOBAL)
        return 0;
    const Var *v = global_find(in, n->text);
    return v ? v->version : 0;
}

/* The history of an operand: its own, or a new leaf (tagged with the
 * variable when the operand is a variable's name).  A new reference, or
 * NULL for values that are not numbers or arrays. */
static GNode *history_of(const Interp *in, const Node *ast, const Value *v)
{
    if (v->graph)
        return graph_retain(v->graph);
    if (!is_numeric(v))
        return NULL;
    const char *name = ast && ast->kind == NODE_NAME ? ast->text : NULL;
    double x = v->kind == VALUE_INT || v->kind == VALUE_BOOL ? (double)v->as.integer : v->as.number;
    return graph_leaf(v->kind == VALUE_TENSOR ? v->as.tensor : NULL, x, name, name ? name_version(in, ast) : 0);
}

/* Gives out the history "op applied to a and b" when histories are kept.
 * Failing to record it for want of memory fails the computation: a value
 * that silently lost its history would make a later grad blame the
 * student. */
static bool record(const Interp *in, GraphOp op, const Node *an, const Value *a, const Node *bn, const Value *b,
                   Value *out, GNode **made, Error *e)
{
    *made = NULL;
    if (!in->record)
        return true;
    graph_release(out->graph);
    out->graph = NULL;
    if (!is_numeric(out) || !is_numeric(a) || (b && !is_numeric(b)))
        return true;
    GNode *ga = history_of(in, an, a), *gb = b ? history_of(in, bn, b) : NULL;
    /* An int result joins histories as the float it equals, and stays an int. */
    double x = out->kind == VALUE_INT || out->kind == VALUE_BOOL ? (double)out->as.integer : out->as.number;
    if (ga && (!b || gb))
        out->graph = graph_node(op, ga, gb, out->kind == VALUE_TENSOR ? out->as.tensor : NULL, x);
    graph_release(ga);
    graph_release(gb);
    if (!out->graph) {
        value_free(out);
        return error_nomem(e, NULL);
    }
    *made = out->graph;
    return true;
}

/* Records that out came from an operation with no gradient (what names
 * it: "argmax", ">"), so that a grad that needs one can say which. */
static bool record_nodiff(const Interp *in, const char *what, const Node *an, const Value *a, const Node *bn,
                          const Value *b, Value *out, Error *e)
{
    GNode *made;
    if (!record(in, GRAPH_NODIFF, an, a, bn, b, out, &made, e))
        return false;
    if (made && made->op == GRAPH_NODIFF)
        made->what = what;
    return true;
}

/* --- literals --------------------------------------------------------------------- */

Tensor *value_to_tensor(const Value *v, const char *who, Error *e);

/* [a, b, c] by nudge's rules: numbers make a vector, vectors of one length
 * make a matrix, anything else a list.  Numbers make a float64 array, as
 * in Octave, so that [0, 0, 0] can take 0.5 and be differentiated (only
 * bools make a bool array); np.array([1, 2]) keeps numpy's int64. */
static bool make_array_literal(Value *items, size_t count, Value *out, bool *made, size_t *bad, Error *e)
{
    *made = false;
    *bad = 0;
    if (count == 0)
        return true;
    bool scalars = true, vectors = true;
    size_t len = 0;
    for (size_t i = 0; i < count; i++) {
        const Value *v = &items[i];
        if (!value_is_scalar(v))
            scalars = false;
        if (v->kind != VALUE_TENSOR || v->as.tensor->ndim != 1 || (i && v->as.tensor->cols != len))
            vectors = false;
        else if (i == 0)
            len = v->as.tensor->cols;
    }
    if (!scalars && !vectors) {
        /* Rows of numbers of different lengths are a mistake, not a list. */
        bool rows = true;
        for (size_t i = 0; i < count && rows; i++)
            rows = items[i].kind == VALUE_TENSOR && items[i].as.tensor->ndim == 1;
        if (rows && count > 1)
            for (size_t i = 1; i < count; i++)
                if (items[i].as.tensor->cols != items[0].as.tensor->cols) {
                    *bad = i;
                    return error_set_in(e, ERROR_SHAPE, "[...]", "row %zu has %zu values, but row 0 has %zu", i,
                                     items[i].as.tensor->cols, items[0].as.tensor->cols);
                }
        return true;
    }
    Value tmp;
    if (!value_list(&tmp, VALUE_LIST, count, e))
        return false;
    for (size_t i = 0; i < count; i++)
        list_push(&tmp, value_ref(&items[i]), e);
    Tensor *t = value_to_tensor(&tmp, "[...]", e);
    value_free(&tmp);
    if (!t)
        return false;
    if (scalars && t->dtype == DTYPE_INT64)
        t->dtype = DTYPE_FLOAT64;
    *out = value_tensor(t);
    *made = true;
    return true;
}

static bool eval_list(Interp *in, const Node *n, Value *out, Error *e)
{
    size_t count = n->nkids;
    if (!value_list(out, VALUE_LIST, count, e))
        return locate(n, e);
    for (size_t i = 0; i < count; i++) {
        Value v;
        if (!eval(in, n->kids[i], &v, e)) {
            value_free(out);
            return false;
        }
        if (!list_push(out, v, e)) {
            value_free(out);
            return locate(n, e);
        }
    }
    if (in->python || count == 0)
        return true;
    Value arr;
    bool made;
    size_t bad;
    if (!make_array_literal(out->as.list->items, count, &arr, &made, &bad, e)) {
        value_free(out);
        return locate(n->kids[bad], e);
    }
    if (made) {
        value_free(out);
        *out = arr;
    }
    return true;
}

/* [a, b; c, d]: rows of numbers (or of vectors joined end to end). */
static bool eval_rows(Interp *in, const Node *n, Value *out, Error *e)
{
    Text buf = {0};     /* the numbers, collected as raw doubles */
    size_t cols = 0;
    Dtype dt = DTYPE_BOOL;
    bool ok = true;
    for (size_t r = 0; r < n->nkids && ok; r++) {
        const Node *row = n->kids[r];
        size_t here = 0;
        for (size_t i = 0; i < row->nkids && ok; i++) {
            Value v;
            if (!eval(in, row->kids[i], &v, e)) {
                ok = false;
                break;
            }
            Dtype vd;
            if (value_is_scalar(&v)) {
                double d = value_to_double(&v);
                text_append(&buf, (const char *)&d, sizeof(double));
                here++;
                vd = v.kind == VALUE_BOOL ? DTYPE_BOOL : v.kind == VALUE_INT ? DTYPE_INT64 : DTYPE_FLOAT64;
            } else if (v.kind == VALUE_TENSOR && (v.as.tensor->ndim == 1 || v.as.tensor->rows == 1)) {
                text_append(&buf, (const char *)v.as.tensor->data, tensor_size(v.as.tensor) * sizeof(double));
                here += tensor_size(v.as.tensor);
                vd = v.as.tensor->dtype;
            } else {
                char d[64];
                ok = fail_at(row->kids[i], e, ERROR_TYPE, "[...; ...]: a row holds numbers or vectors, not %s",
                             value_describe(&v, d, sizeof d));
                vd = DTYPE_FLOAT64;
            }
            dt = (r == 0 && i == 0) ? vd
               : (dt == DTYPE_FLOAT64 || vd == DTYPE_FLOAT64) ? DTYPE_FLOAT64
               : (dt == DTYPE_INT64 || vd == DTYPE_INT64) ? DTYPE_INT64 : DTYPE_BOOL;
            value_free(&v);
        }
        if (ok && r == 0)
            cols = here;
        else if (ok && here != cols)
            ok = fail_at(row->nkids ? row->kids[0] : n, e, ERROR_SHAPE,
                         "[...; ...]: row %zu has %zu values, but row 0 has %zu", r, here, cols);
    }
    if (ok && buf.failed)
        ok = error_nomem(e, "matrix"), locate(n, e);
    Tensor *t = ok ? tensor_from(2, n->nkids, cols, (const double *)buf.s, e) : NULL;
    text_free(&buf);
    if (!ok)
        return false;
    if (!t)
        return locate(n, e);
    t->dtype = cols ? dt : DTYPE_FLOAT64;
    *out = value_tensor(t);
    return true;
}

static bool eval_tuple(Interp *in, const Node *n, Value *out, Error *e)
{
    if (!value_list(out, VALUE_TUPLE, n->nkids, e))
        return locate(n, e);
    for (size_t i = 0; i < n->nkids; i++) {
        Value v;
        if (n->kids[i]->kind == NODE_STARRED) {
            value_free(out);
            return fail_at(n->kids[i], e, ERROR_SYNTAX, "*unpacking is only allowed in a call's arguments");
        }
        if (!eval(in, n->kids[i], &v, e)) {
            value_free(out);
            return false;
        }
        if (!list_push(out, v, e)) {
            value_free(out);
            return locate(n, e);
        }
    }
    return true;
}

static bool eval_dict(Interp *in, const Node *n, Value *out, Error *e)
{
    if (!value_dict(out, e))
        return locate(n, e);
    for (size_t i = 0; i + 1 < n->nkids; i += 2) {
        Value k, v;
        if (!eval(in, n->kids[i], &k, e)) {
            value_free(out);
            return false;
        }
        if (!value_hashable(&k)) {
            char d[64];
            fail_at(n->kids[i], e, ERROR_TYPE, "a dict key must be a number, a string or a tuple, not %s",
                    value_describe(&k, d, sizeof d));
            value_free(&k);
            value_free(out);
            return false;
        }
        if (!eval(in, n->kids[i + 1], &v, e)) {
            value_free(&k);
            value_free(out);
            return false;
        }
        if (!dict_set(out, k, v, e)) {
            value_free(out);
            return locate(n, e);
        }
    }
    return true;
}

bool value_pystr(Interp *in, const Value *v, Text *out, Error *e);
bool value_pyrepr(Interp *in, const Value *v, Text *out, Error *e);
bool value_format(Interp *in, const Value *v, const char *spec, size_t speclen, Text *out, Error *e);

/* f"...{x!r:>8.3f}..." */
static bool eval_fstring(Interp *in, const Node *n, Value *out, Error *e)
{
    Text t = {0};
    for (size_t i = 0; i < n->nkids; i++) {
        const Node *part = n->kids[i];
        if (part->kind == NODE_STRING) {
            text_append(&t, part->text, part->len);
            continue;
        }
        Value v;
        if (!eval(in, part->kids[0], &v, e)) {
            text_free(&t);
            return false;
        }
        Value spec = value_none();
        bool ok = true;
        if (part->nkids > 1 && part->kids[1])
            ok = eval_fstring(in, part->kids[1], &spec, e);
        if (ok && part->op) {
            Text conv = {0};
            ok = part->op == 's' ? value_pystr(in, &v, &conv, e) : value_pyrepr(in, &v, &conv, e);
            value_free(&v);
            if (ok)
                ok = value_string(&v, conv.s ? conv.s : "", conv.len, e);
            text_free(&conv);
        }
        if (ok)
            ok = value_format(in, &v, spec.kind == VALUE_STRING ? value_str(&spec) : "",
                              spec.kind == VALUE_STRING ? value_strlen(&spec) : 0, &t, e);
        value_free(&v);
        value_free(&spec);
        if (!ok) {
            text_free(&t);
            return locate(part, e);
        }
    }
    if (t.failed) {
        text_free(&t);
        return error_nomem(e, "f-string"), locate(n, e);
    }
    bool ok = value_string(out, t.s ? t.s : "", t.len, e);
    text_free(&t);
    return ok || locate(n, e);
}

/* --- truth and iteration ------------------------------------------------------------- */

bool value_truth(const Value *v, bool *out, Error *e)
{
    switch (v->kind) {
    case VALUE_NONE: *out = false; return true;
    case VALUE_BOOL:
    case VALUE_INT: *out = v->as.integer != 0; return true;
    case VALUE_NUMBER: *out = v->as.number != 0; return true;
    case VALUE_STRING: *out = value_strlen(v) != 0; return true;
    case VALUE_LIST:
    case VALUE_TUPLE: *out = v->as.list->n != 0; return true;
    case VALUE_DICT: *out = v->as.dict->n != 0; return true;
    case VALUE_RANGE: *out = range_len(v->as.range) != 0; return true;
    case VALUE_TENSOR: {
        size_t n = tensor_size(v->as.tensor);
        if (n == 1) {
            *out = v->as.tensor->data[0] != 0;
            return true;
        }
        if (n == 0)
            return error_set(e, ERROR_ARG, "the truth of an empty array is not defined; test its size instead");
        return error_set(e, ERROR_ARG, "an array of %zu values is neither true nor false; say which you mean: "
                         "a.any() or a.all()", n);
    }
    default:
        *out = true;
        return true;
    }
}

bool interp_poll(Interp *in, unsigned *count, Error *e)
{
    if (++*count % ITER_POLL != 0 || !interp_interrupted(in))
        return false;
    error_set(e, ERROR_INTERRUPT, "interrupted");
    return true;
}

bool iter_init(Interp *in, const Value *v, Iter *it, Error *e)
{
    (void)in;
    memset(it, 0, sizeof *it);
    switch (v->kind) {
    case VALUE_RANGE:
        it->src = value_ref(v);
        it->cur = v->as.range->start;
        it->step = v->as.range->step;
        it->n = (size_t)range_len(v->as.range);
        return true;
    case VALUE_LIST:
    case VALUE_TUPLE:
    case VALUE_DICT:
        it->src = value_ref(v);
        return true;
    case VALUE_STRING:
        it->src = value_ref(v);
        it->n = value_strlen(v);
        return true;
    case VALUE_TENSOR:
        it->src = value_ref(v);
        it->n = v->as.tensor->ndim == 1 ? v->as.tensor->cols : v->as.tensor->rows;
        return true;
    default: {
        char d[64];
        return error_set(e, ERROR_TYPE, "%s cannot be looped over (a range, list, tuple, dict, string or array can)",
                         value_describe(v, d, sizeof d));
    }
    }
}

static Value scalar_of(const Tensor *t, size_t i)
{
    double d = t->data[i];
    if (t->dtype == DTYPE_INT64)
        return value_int((long long)d);
    if (t->dtype == DTYPE_BOOL)
        return value_bool(d != 0);
    return value_number(d);
}

int iter_next(Interp *in, Iter *it, Value *out, Error *e)
{
    /* Every loop over a range, list, string or array comes through here:
     * for, comprehensions, sum(), max(), list(), sorted(), zip() ... so a
     * long one stops at Ctrl-C within a fraction of a second. */
    if (interp_poll(in, &it->steps, e))
        return -1;
    const Value *s = &it->src;
    switch (s->kind) {
    case VALUE_RANGE:
        if (it->i >= it->n)
            return 0;
        *out = value_int(it->cur);
        it->cur += it->step;
        it->i++;
        return 1;
    case VALUE_LIST:
    case VALUE_TUPLE:
        /* A list that grows while it is looped over is followed, as in Python. */
        if (it->i >= s->as.list->n)
            return 0;
        *out = value_ref(&s->as.list->items[it->i++]);
        return 1;
    case VALUE_DICT:
        if (it->i >= s->as.dict->n)
            return 0;
        *out = value_ref(&s->as.dict->keys[it->i++]);
        return 1;
    case VALUE_STRING: {
        if (it->i >= it->n)
            return 0;
        const char *p = value_str(s) + it->i;
        size_t len = 1;
        while (it->i + len < it->n && ((unsigned char)p[len] & 0xC0) == 0x80)
            len++;
        it->i += len;
        return value_string(out, p, len, e) ? 1 : -1;
    }
    case VALUE_TENSOR: {
        const Tensor *t = s->as.tensor;
        if (it->i >= it->n || it->n != (t->ndim == 1 ? t->cols : t->rows))
            return 0;
        size_t i = it->i++;
        if (t->ndim == 1) {
            *out = scalar_of(t, i);
            return 1;
        }
        Tensor *row = tensor_from(1, 1, t->cols, t->data + i * t->cols, e);
        if (!row)
            return -1;
        row->dtype = t->dtype;
        *out = value_tensor(row);
        return 1;
    }
    default:
        return 0;
    }
}

void iter_free(Iter *it)
{
    value_free(&it->src);
}

/* --- functions ------------------------------------------------------------------------- */

void frame_release(Frame *f)
{
    while (f && --f->refs == 0) {
        gc_untrack(&f->gc);
        Frame *up = f->up;
        for (size_t i = 0; i < f->n; i++)
            value_free(&f->slots[i]);
        mem_free(f);
        f = up;
    }
}

/* A function made inside a call keeps the call's frame (its closure), and
 * the frame keeps the function when a local names it (def inner, or
 * step = lambda ...): a cycle that reference counts never free.  When
 * every reference to the frame comes from such functions, each held by
 * nothing but the frame's slots, nothing else can reach them: the slots are
 * emptied, which frees the functions and then the frame.  (Cycles through
 * lists, or through frames of calls nested deeper, are not found.) */
void frame_collect(Frame *f)
{
    if (!f)
        return;
    int held = 0;
    for (size_t i = 0; i < f->n; i++) {
        const Value *v = &f->slots[i];
        if (v->kind != VALUE_FUNCTION || v->as.func->closure != f)
            continue;
        /* count each function once, at its first slot, and only if its
         * slots hold all its references (g = h names it twice) */
        int seen = 0, in_slots = 0;
        for (size_t k = 0; k < f->n; k++)
            if (f->slots[k].kind == VALUE_FUNCTION && f->slots[k].as.func == v->as.func) {
                seen += k < i;
                in_slots++;
            }
        if (!seen && in_slots == v->as.func->refs)
            held++;
    }
    if (held == 0 || held != f->refs)
        return;
    f->refs++;      /* kept until every slot is empty */
    for (size_t i = 0; i < f->n; i++) {
        value_free(&f->slots[i]);
        f->slots[i].kind = VALUE_UNBOUND;
    }
    frame_release(f);
}

static Frame *frame_new(const Scope *s, Frame *up, const char *fname, Error *e)
{
    Frame *f = mem_alloc(sizeof *f + s->nslots * sizeof(Value));
    if (!f) {
        error_nomem(e, "call");
        return NULL;
    }
    f->refs = 1;
    gc_track(&f->gc, GC_FRAME);
    f->up = up;
    if (up)
        up->refs++;
    f->scope = s;
    f->fname = fname;
    f->n = s->nslots;
    for (size_t i = 0; i < f->n; i++) {
        f->slots[i] = value_none();
        f->slots[i].kind = VALUE_UNBOUND;
    }
    return f;
}

/* def NAME(...) or lambda: a function value closing over the running frame. */
bool make_def(Interp *in, const Node *n, Value *out, Error *e)
{
    size_t nparams = n->nkids - 1;
    Func *f = mem_calloc(1, sizeof *f);
    if (!f)
        return error_nomem(e, "def"), locate(n, e);
    f->refs = 1;
    gc_track(&f->gc, GC_FUNC);
    f->node = n;
    f->prog = ast_program_retain(in->program);
    f->closure = in->frame;
    if (f->closure)
        f->closure->refs++;
    const char *name = n->kind == NODE_DEF ? n->text : n->text ? n->text : "<lambda>";
    f->name = mem_strdup(name);
    Text q = {0};
    if (n->kind == NODE_DEF)
        text_printf(&q, "%s()", name);
    else if (n->src_len && in->program && n->src_len < 60)
        text_printf(&q, "%.*s", (int)n->src_len, in->program->src + n->src_offset);
    else
        text_puts(&q, name);
    f->qualname = text_finish(&q, NULL);
    f->defaults = nparams ? mem_calloc(nparams, sizeof *f->defaults) : NULL;
    Value v = value_none();
    v.kind = VALUE_FUNCTION;
    v.as.func = f;
    if (!f->name || !f->qualname || (nparams && !f->defaults)) {
        if (!f->defaults)
            nparams = 0;
        for (size_t i = 0; i < nparams; i++)
            f->defaults[i].kind = VALUE_UNBOUND;
        value_free(&v);
        return error_nomem(e, "def"), locate(n, e);
    }
    for (size_t i = 0; i < nparams; i++)
        f->defaults[i].kind = VALUE_UNBOUND;
    for (size_t i = 0; i < nparams; i++) {
        const Node *p = n->kids[i];
        if (p->nkids && p->kids[0]) {
            Value d;
            if (!eval(in, p->kids[0], &d, e)) {
                value_free(&v);
                return false;
            }
            f->defaults[i] = d;
        }
    }
    *out = v;
    return true;
}

/* The line of a function's source that holds position line, for messages. */
static void source_line(const Program *prog, int line, char *buf, size_t n)
{
    const char *p = prog->src;
    for (int l = 1; l < line && p; l++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    buf[0] = '\0';
    if (!p)
        return;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t len = strcspn(p, "\n");
    if (len > 60) {
        snprintf(buf, n, "%.57s...", p);
        return;
    }
    snprintf(buf, n, "%.*s", (int)len, p);
}

static bool call_function(Interp *in, const Func *fn, Value *const *args, size_t nargs, const char *const *kwnames,
                          Value *const *kwvals, size_t nkw, const Node *at, Value *out, Error *e)
{
    const Node *node = fn->node;
    const Scope *s = node->fscope;
    size_t np = s->nparams;
    size_t fixed = s->star ? np - 1 : np;
    if (nargs > fixed && !s->star) {
        if (fixed == 0)
            return error_set(e, ERROR_ARG, "%s takes no arguments, but %zu were given", fn->qualname, nargs);
        return error_set(e, ERROR_ARG, "%s takes %zu argument%s, but %zu were given", fn->qualname, fixed,
                         fixed == 1 ? "" : "s", nargs);
    }
    if (in->call_depth >= INTERP_MAX_CALL_DEPTH)
        return error_set(e, ERROR_LIMIT, "calls nested more than %d deep (does %s call itself without end?)",
                         INTERP_MAX_CALL_DEPTH, fn->qualname);
    Frame *f = frame_new(s, fn->closure, fn->qualname, e);
    if (!f)
        return false;
    for (size_t i = 0; i < nargs && i < fixed; i++)
        f->slots[i] = value_ref(args[i]);
    if (s->star) {
        Value rest;
        if (!value_list(&rest, VALUE_TUPLE, nargs > fixed ? nargs - fixed : 0, e)) {
            frame_release(f);
            return false;
        }
        for (size_t i = fixed; i < nargs; i++)
            list_push(&rest, value_ref(args[i]), e);
        f->slots[np - 1] = rest;
    }
    for (size_t k = 0; k < nkw; k++) {
        size_t i = 0;
        for (; i < fixed; i++)
            if (!strcmp(s->names[i], kwnames[k]))
                break;
        if (i == fixed) {
            frame_release(f);
            return error_set(e, ERROR_ARG, "%s has no parameter called '%s'", fn->qualname, kwnames[k]);
        }
        if (f->slots[i].kind != VALUE_UNBOUND) {
            frame_release(f);
            return error_set(e, ERROR_ARG, "%s got two values for '%s'", fn->qualname, kwnames[k]);
        }
        f->slots[i] = value_ref(kwvals[k]);
    }
    for (size_t i = 0; i < fixed; i++) {
        if (f->slots[i].kind != VALUE_UNBOUND)
            continue;
        if (fn->defaults[i].kind == VALUE_UNBOUND) {
            size_t missing = 0;
            for (size_t j = i; j < fixed; j++)
                missing += f->slots[j].kind == VALUE_UNBOUND && fn->defaults[j].kind == VALUE_UNBOUND;
            bool r = error_set(e, ERROR_ARG, "%s is missing %zu argument%s, starting with '%s'", fn->qualname,
                               missing, missing == 1 ? "" : "s", s->names[i]);
            frame_release(f);
            return r;
        }
        f->slots[i] = value_ref(&fn->defaults[i]);
    }
    Frame *saved = in->frame;
    Program *saved_prog = in->program;
    bool saved_record = in->record, saved_loop = in->in_block, saved_atomic = in->atomic;
    in->atomic = false;
    in->frame = f;
    in->program = fn->prog;
    in->record = saved_record || s->uses_grad;
    in->in_block = false;
    in->call_depth++;
    bool ok;
    if (node->kind == NODE_LAMBDA) {
        ok = eval(in, node->kids[np], out, e);
    } else {
        Flow flow = exec_block(in, node->kids[np], e);
        ok = flow != FLOW_ERROR;
        if (flow == FLOW_RETURN) {
            *out = in->retval;
            in->retval = value_none();
        } else {
            *out = value_none();
        }
    }
    in->call_depth--;
    in->frame = saved;
    in->program = saved_prog;
    in->record = saved_record;
    in->in_block = saved_loop;
    in->atomic = saved_atomic;
    if (!ok && e && e->code != ERROR_INTERRUPT && !e->shown) {
        /* The body's positions belong to where the function was written:
         * say which function and line, and point at the call. */
        char line[80], layer[ERROR_CONTEXT_MAX];
        source_line(fn->prog, e->line, line, sizeof line);
        if (node->kind == NODE_LAMBDA || !line[0])
            snprintf(layer, sizeof layer, "in %s", fn->qualname);
        else
            snprintf(layer, sizeof layer, "in %s, at `%s`", fn->qualname, line);
        /* A function that calls itself is named once, not once a call. */
        if (!context_has(e, layer, false))
            error_add_context(e, "%s", layer);
        e->line = at ? at->line : 0;
        e->col = at ? at->col : 0;
    }
    /* The functions the call made and did not hand out go with its frame. */
    if (f->refs > 1) {
        f->refs--;          /* the call's own reference: others remain */
        frame_collect(f);   /* frees f when they are only its own functions */
    } else {
        frame_release(f);
    }
    return ok;
}

/* --- built-in calls ---------------------------------------------------------------------- */

static bool kw_allowed(const char *list, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = list ? list : ""; *p;) {
        while (*p == ' ')
            p++;
        const char *q = p;
        while (*q && *q != ' ')
            q++;
        if ((size_t)(q - p) == len && !memcmp(p, name, len))
            return true;
        p = q;
    }
    return false;
}

/* Put back the caller's values after normalising swapped some for arrays. */
static void restore_args(Args *a, Value *const *given)
{
    for (size_t i = 0; i < a->n; i++)
        a->arg[i].v = given[i];
}

static bool call_builtin(Interp *in, const Builtin *b, Args *a, const Node *at, Value *out, Error *e)
{
    int col = at ? at->col : 0;
    if ((int)a->n < b->min_args || (b->max_args >= 0 && (int)a->n > b->max_args)) {
        bool r;
        if (b->min_args == b->max_args)
            r = error_set(e, ERROR_ARG, "%s takes %d argument%s, not %zu (usage: %s)", b->name, b->min_args,
                          b->min_args == 1 ? "" : "s", a->n, b->usage);
        else if (b->max_args < 0)
            r = error_set(e, ERROR_ARG, "%s takes at least %d argument%s, not %zu (usage: %s)", b->name, b->min_args,
                          b->min_args == 1 ? "" : "s", a->n, b->usage);
        else
            r = error_set(e, ERROR_ARG, "%s takes %d to %d arguments, not %zu (usage: %s)", b->name, b->min_args,
                          b->max_args, a->n, b->usage);
        if (e) {
            e->line = at ? at->line : 0;
            e->col = col;
        }
        return r;
    }
    if (!(b->flags & BUILTIN_ANY_KW))
        for (size_t i = 0; i < a->nkw; i++)
            if (!kw_allowed(b->kwargs, a->kw[i].name)) {
                if (b->kwargs && *b->kwargs)
                    error_set(e, ERROR_ARG, "%s has no option '%s' (it takes: %s)", b->name, a->kw[i].name, b->kwargs);
                else
                    error_set(e, ERROR_ARG, "%s takes no options, so '%s=' is not allowed", b->name, a->kw[i].name);
                if (e) {
                    e->line = at ? at->line : 0;
                    e->col = a->kw[i].col;
                }
                return false;
            }
    if (!b->fn) {
        if (e) {
            error_set(e, ERROR_TYPE, "%s is a type, not a function to call", b->name);
            e->line = at ? at->line : 0;
            e->col = col;
        }
        return false;
    }
    a->name = b->name;
    a->row = b;
    a->col = col;
    *out = value_none();
    Value temps[ARGS_MAX];
    Value *given[ARGS_MAX];
    for (size_t i = 0; i < a->n; i++)
        given[i] = a->arg[i].v;
    bool normalized = builtin_takes_arrays(b);
    if (normalized && !builtin_normalize(a, temps, e))
        return at ? locate(at, e) : false;
    if ((b->flags & BUILTIN_CHANGES_FIRST) || builtin_changes_first(b)) {
        Value *target = a->self ? a->self : a->n ? a->arg[0].v : NULL;
        const char *vname = a->self ? NULL : a->arg[0].name;
        Var *var = vname && in->frame == NULL ? global_find(in, vname) : NULL;
        bool kept = !target || ((b->flags & BUILTIN_APPENDS) && target->kind == VALUE_LIST
                                    ? undo_keep_growth(in, target, var, e) : undo_keep(in, target, var, e));
        if (!kept) {
            if (normalized)
                builtin_normalize_free(a, temps);
            restore_args(a, given);
            return at ? locate(at, e) : false;
        }
    }
    bool ok = b->fn(in, a, out, e);
    if (normalized)
        builtin_normalize_free(a, temps);
    restore_args(a, given);
    if (!ok) {
        value_free(out);
        /* A size limit found deep in the core speaks for this function. */
        if (e && error_from(e, "tensor"))
            error_rename(e, b->name);
        if (e && e->col == 0 && at) {
            e->line = at->line;
            e->col = col;
        }
        return false;
    }
    if (in->interrupted && *in->interrupted) {
        *in->interrupted = 0;
        value_free(out);
        error_set(e, ERROR_INTERRUPT, "interrupted");
        if (e && at) {
            e->line = at->line;
            e->col = col;
        }
        return false;
    }
    return true;
}

bool call_value(Interp *in, const Value *fn, Value *const *args, size_t n, const char *const *kwnames,
                Value *const *kwvals, size_t nkw, const Node *at, Value *out, Error *e)
{
    *out = value_none();
    if (fn->kind == VALUE_FUNCTION)
        return call_function(in, fn->as.func, args, n, kwnames, kwvals, nkw, at, out, e);
    if (fn->kind == VALUE_BUILTIN || fn->kind == VALUE_METHOD) {
        if (n > ARGS_MAX || nkw > ARGS_MAX)
            return error_set(e, ERROR_LIMIT, "at most %d arguments in one call", ARGS_MAX);
        Args a;
        memset(&a, 0, sizeof a);
        for (size_t i = 0; i < n; i++)
            a.arg[i].v = args[i];
        a.n = n;
        for (size_t i = 0; i < nkw; i++) {
            a.kw[i].name = kwnames[i];
            a.kw[i].v = value_ref(kwvals[i]);
        }
        a.nkw = nkw;
        const Builtin *b = fn->kind == VALUE_BUILTIN ? fn->as.builtin : fn->as.method->fn;
        if (fn->kind == VALUE_METHOD)
            a.self = fn->as.method->self;
        bool ok = call_builtin(in, b, &a, at, out, e);
        for (size_t i = 0; i < nkw; i++)
            value_free(&a.kw[i].v);
        mem_free(a.show);
        return ok;
    }
    char d[64];
    return error_set(e, ERROR_TYPE, "%s is not a function", value_describe(fn, d, sizeof d));
}

bool interp_call(Interp *in, const Value *fn, Value *const *args, size_t n, Value *out, Error *e)
{
    return call_value(in, fn, args, n, NULL, NULL, 0, NULL, out, e);
}

/* --- calls ----------------------------------------------------------------------------------- */

static bool field_value(Interp *in, const Node *n, const Value *v, const char *name, Value *out, Error *e);

/* The arguments of a call node, evaluated into a (values owned by temps). */
typedef struct CallArgs {
    Args a;
    Value temps[ARGS_MAX];
    size_t ntemps;
    const Node *nodes[ARGS_MAX];    /* where each positional argument was written (for histories) */
} CallArgs;

static void call_args_free(CallArgs *c)
{
    for (size_t i = 0; i < c->ntemps; i++)
        value_free(&c->temps[i]);
    for (size_t i = 0; i < c->a.nkw; i++)
        value_free(&c->a.kw[i].v);
    mem_free(c->a.show);
}

static bool push_arg(CallArgs *c, Value v, const Node *at, const char *name, Error *e)
{
    if (c->a.n >= ARGS_MAX) {
        value_free(&v);
        return fail_at(at, e, ERROR_LIMIT, "at most %d arguments in one call", ARGS_MAX);
    }
    c->temps[c->ntemps] = v;
    c->a.arg[c->a.n].v = &c->temps[c->ntemps];
    c->a.arg[c->a.n].col = at->col;
    c->a.arg[c->a.n].name = name;
    c->nodes[c->a.n] = at;
    c->ntemps++;
    c->a.n++;
    return true;
}

/* np.array([[0, 1], [1, 0]]) reads its literal as Python would (a list
 * of ints makes an int64 array), whatever rules the program runs by. */
static bool python_literal_arg(const Builtin *b, const Node *arg)
{
    return b && (arg->kind == NODE_LIST || arg->kind == NODE_TUPLE) && b->chapter == -3
        && (!strcmp(b->name, "array") || !strcmp(b->name, "asarray"));
}

static bool eval_args(Interp *in, const Node *n, CallArgs *c, const Builtin *callee, Error *e)
{
    /* Only the counts and the pointers read before they are written are
     * cleared: the arrays fill as the arguments come. */
    c->a.n = c->a.nkw = 0;
    c->a.name = NULL;
    c->a.show = NULL;
    c->a.self = NULL;
    c->a.row = NULL;
    c->a.col = 0;
    c->ntemps = 0;
    for (size_t i = 1; i < n->nkids; i++) {
        const Node *arg = n->kids[i];
        if (arg->kind == NODE_KWARG) {
            if (c->a.nkw >= ARGS_MAX)
                return fail_at(arg, e, ERROR_LIMIT, "at most %d options in one call", ARGS_MAX);
            Value v;
            if (!eval(in, arg->kids[0], &v, e))
                return false;
            c->a.kw[c->a.nkw].name = arg->text;
            c->a.kw[c->a.nkw].col = arg->col;
            c->a.kw[c->a.nkw++].v = v;
            continue;
        }
        if (arg->kind == NODE_STARRED) {
            Value seq;
            if (!eval(in, arg->kids[0], &seq, e))
                return false;
            Iter it;
            if (!iter_init(in, &seq, &it, e)) {
                value_free(&seq);
                return locate(arg, e);
            }
            value_free(&seq);
            Value item;
            int r;
            while ((r = iter_next(in, &it, &item, e)) == 1)
                if (!push_arg(c, item, arg, NULL, e)) {
                    iter_free(&it);
                    return false;
                }
            iter_free(&it);
            if (r < 0)
                return locate(arg, e);
            continue;
        }
        Value v;
        bool saved = in->python;
        if (python_literal_arg(callee, arg))
            in->python = true;
        bool ok = eval(in, arg, &v, e);
        in->python = saved;
        if (!ok)
            return false;
        if (!push_arg(c, v, arg, arg->kind == NODE_NAME ? arg->text : NULL, e))
            return false;
    }
    return true;
}

/* The axis a reduction was asked for, as the graph keeps it: -1 for all
 * (and for any axis of a vector), else 0 or 1 of a matrix. */
static int graph_axis(const Value *axis, const Value *input)
{
    if (!axis || !value_is_scalar(axis) || input->kind != VALUE_TENSOR || input->as.tensor->ndim != 2)
        return -1;
    long long k = (long long)value_to_double(axis);
    return (int)(((k % 2) + 2) % 2);
}

/* The value of a rule's parameter given by keyword (names: "a_min min"). */
static const Value *param_kw(const Args *a, const char *names)
{
    char one[24];
    for (const char *p = names; p && *p;) {
        size_t len = strcspn(p, " ");
        if (len < sizeof one) {
            memcpy(one, p, len);
            one[len] = '\0';
            const Value *v = args_kw(a, one);
            if (v)
                return v;
        }
        p += len;
        while (*p == ' ')
            p++;
    }
    return NULL;
}

/* Records the call of b in out's history when histories are kept: by b's
 * gradient rule, over its array inputs (a method's receiver first), with
 * its axis and numeric parameters.  A flat function (argmax), and a call
 * whose int result cut float inputs to whole numbers, pass no gradient;
 * a function with no rule is recorded as one grad cannot differentiate, so
 * that grad refuses, by name, any cost that depends on it. */
static bool record_builtin(Interp *in, const Builtin *b, const Node *n, const CallArgs *c, Value *out, Error *e)
{
    if (!in->record || !is_numeric(out))
        return true;
    const Args *a = &c->a;
    const Value *vals[ARGS_MAX + 1];
    const Node *nodes[ARGS_MAX + 1];
    size_t k = 0;
    if (a->self) {
        vals[k] = a->self;
        nodes[k++] = n->kids[0]->kind == NODE_FIELD ? n->kids[0]->kids[0] : NULL;
    }
    for (size_t i = 0; i < a->n; i++) {
        vals[k] = a->arg[i].v;
        nodes[k++] = c->nodes[i];
    }
    /* Inputs: the numbers and arrays among the first arguments. */
    size_t nin = 0;
    while (nin < k && nin < 2 && is_numeric(vals[nin]))
        nin++;
    const GraphRule *rule = b->grad;
    bool flat = rule == &grad_flat;
    if (rule && !flat) {
        size_t want = rule->nin ? (size_t)rule->nin : nin;
        size_t rest = k - (want < k ? want : k);
        /* Numbers after the inputs are parameters (or a reduction's axis). */
        bool fits = want >= 1 && want <= 2 && nin >= want && rest <= (size_t)rule->nparams + rule->reduces;
        if (fits && (rule->nin == 0 && k > 2))
            fits = false;
        /* An int result from float inputs was cut to whole numbers. */
        if (fits && out->kind == VALUE_TENSOR && out->as.tensor->dtype != DTYPE_FLOAT64)
            for (size_t i = 0; i < want; i++)
                if (vals[i]->kind == VALUE_NUMBER
                    || (vals[i]->kind == VALUE_TENSOR && vals[i]->as.tensor->dtype == DTYPE_FLOAT64))
                    flat = true;
        if (fits && !flat) {
            GNode *g;
            if (!record(in, GRAPH_CALL, nodes[0], vals[0], want > 1 ? nodes[1] : NULL, want > 1 ? vals[1] : NULL,
                        out, &g, e))
                return locate(n, e);
            if (!g || g->op != GRAPH_CALL)
                return true;
            g->rule = rule;
            const Value *axis = args_kw((Args *)a, "axis");
            size_t next = want;
            if (rule->reduces && !axis && next < k && !rule->nparams)
                axis = vals[next++];
            g->axis = rule->reduces ? graph_axis(axis, vals[0]) : -1;
            /* Python's sum(M) walks M's rows: a sum down the columns. */
            if (rule->reduces && g->axis < 0 && tensor_size(g->value) > 1) {
                const Tensor *in0 = g->in[0]->value;
                if (in0->ndim == 2 && tensor_size(g->value) == in0->cols)
                    g->axis = 0;
                else
                    g->op = GRAPH_NODIFF, g->what = b->name, g->opaque = true;
            }
            for (int j = 0; j < 2; j++) {
                const Value *pv = next < k ? vals[next++] : rule->param_kw[j] ? param_kw(a, rule->param_kw[j]) : NULL;
                if (pv && value_is_scalar(pv))
                    g->p[j] = value_to_double(pv);
                g->np += pv != NULL;
            }
            return true;
        }
    }
    /* No gradient: the inputs are the first two numbers or arrays among the
     * arguments, or the items of a list or tuple written there
     * (np.concatenate((x, y))). */
    const Node *an = NULL, *bn = NULL;
    const Value *av = NULL, *bv = NULL;
    for (size_t i = 0; i < k && !bv; i++) {
        if (!is_numeric(vals[i]))
            continue;
        if (!av) {
            av = vals[i];
            an = nodes[i];
        } else {
            bv = vals[i];
            bn = nodes[i];
        }
    }
    for (size_t i = 0; !av && i < k; i++) {
        const Node *lit = nodes[i];
        if (!lit || (lit->kind != NODE_TUPLE && lit->kind != NODE_LIST)
            || (vals[i]->kind != VALUE_TUPLE && vals[i]->kind != VALUE_LIST) || vals[i]->as.list->n != lit->nkids)
            continue;
        for (size_t j = 0; j < lit->nkids && !bv; j++) {
            const Value *item = &vals[i]->as.list->items[j];
            if (!is_numeric(item) || (!item->graph && lit->kids[j]->kind != NODE_NAME))
                continue;
            if (!av) {
                av = item;
                an = lit->kids[j];
            } else {
                bv = item;
                bn = lit->kids[j];
            }
        }
    }
    if (!av)
        return true;
    GNode *made;
    if (!record(in, GRAPH_NODIFF, an, av, bn, bv, out, &made, e))
        return locate(n, e);
    if (made && made->op == GRAPH_NODIFF) {
        made->what = b->name;
        made->opaque = !flat;
    }
    return true;
}

static bool eval_call(Interp *in, const Node *n, Value *out, char **show, Error *e)
{
    const Node *callee = n->kids[0];
    Value fn = value_none();
    Value self = value_none();
    const Builtin *method = NULL;
    *out = value_none();
    if (callee->kind == NODE_NAME && callee->scope == SCOPE_GLOBAL) {
        const Builtin *b;
        Var *v = cached_var(in, callee, &b);
        if (v && v->bound) {
            fn = value_ref(&v->value);
        } else {
            if (v)
                b = builtin_lookup(callee->text, strlen(callee->text));
            if (!b)
                return unknown_name(in, callee, e);
            fn.kind = VALUE_BUILTIN;
            fn.as.builtin = b;
        }
    } else if (callee->kind == NODE_FIELD) {
        /* obj.method(...): no bound method object is made; np.dot(...): the
         * module's function, found once and kept in the node. */
        if (!eval(in, callee->kids[0], &self, e))
            return false;
        Node *c = (Node *)callee;
        if (self.kind == VALUE_MODULE) {
            if (c->cache_key != self.as.module || !c->cache) {
                Value f;
                c->cache = module_get(self.as.module, c->text, &f) && f.kind == VALUE_BUILTIN
                         ? (void *)f.as.builtin : NULL;
                c->cache_key = self.as.module;
            }
            if (c->cache) {
                fn.kind = VALUE_BUILTIN;
                fn.as.builtin = c->cache;
                value_free(&self);
                goto have_callee;
            }
        } else if (self.kind != VALUE_RECORD && self.kind != VALUE_PERCEPTRON && self.kind != VALUE_MLP) {
            if (c->cache_gen == (unsigned long)self.kind + 1 && c->cache_key == NULL) {
                method = c->cache;
            } else {
                method = method_find(&self, callee->text);
                c->cache = (void *)method;
                c->cache_gen = (unsigned long)self.kind + 1;
                c->cache_key = NULL;
            }
        }
        if (!method) {
            bool ok = field_value(in, callee, &self, callee->text, &fn, e);
            value_free(&self);
            if (!ok)
                return false;
        }
    } else if (!eval(in, callee, &fn, e)) {
        return false;
    }
have_callee:
    if (!method && fn.kind != VALUE_BUILTIN && fn.kind != VALUE_FUNCTION && fn.kind != VALUE_METHOD) {
        char d[64];
        bool r;
        if (callee->kind == NODE_NAME && builtin_lookup(callee->text, strlen(callee->text)))
            r = fail_at(callee, e, ERROR_TYPE, "'%s' is %s, not a function (del %s, or clear %s, to use the built-in)",
                        callee->text, value_describe(&fn, d, sizeof d), callee->text, callee->text);
        else if (callee->kind == NODE_NAME)
            r = fail_at(callee, e, ERROR_TYPE, "'%s' is %s, not a function; to index it, use %s[...]", callee->text,
                        value_describe(&fn, d, sizeof d), callee->text);
        else
            r = fail_at(callee, e, ERROR_TYPE, "%s is not a function", value_describe(&fn, d, sizeof d));
        value_free(&fn);
        return r;
    }
    CallArgs c;
    const Builtin *target = method ? method : fn.kind == VALUE_BUILTIN ? fn.as.builtin : NULL;
    bool ok = eval_args(in, n, &c, target, e);
    if (ok) {
        const Builtin *b = method ? method : fn.kind == VALUE_BUILTIN ? fn.as.builtin
                         : fn.kind == VALUE_METHOD ? fn.as.method->fn : NULL;
        if (b) {
            c.a.self = method ? &self : fn.kind == VALUE_METHOD ? fn.as.method->self : NULL;
            ok = call_builtin(in, b, &c.a, callee, out, e);
            if (ok && show) {
                *show = c.a.show;
                c.a.show = NULL;
            }
            if (ok)
                ok = record_builtin(in, b, n, &c, out, e);
        } else {
            Value *pos[ARGS_MAX], *kwv[ARGS_MAX];
            const char *kwn[ARGS_MAX];
            for (size_t i = 0; i < c.a.n; i++)
                pos[i] = c.a.arg[i].v;
            for (size_t i = 0; i < c.a.nkw; i++) {
                kwn[i] = c.a.kw[i].name;
                kwv[i] = &c.a.kw[i].v;
            }
            /* A variable passed in keeps its name in the history, so that
             * grad(f(w), w) finds w behind the parameter's own name. */
            for (size_t i = 0; in->record && i < c.a.n; i++)
                if (!c.a.arg[i].v->graph && c.nodes[i]->kind == NODE_NAME && is_numeric(c.a.arg[i].v)
                    && !(c.a.arg[i].v->graph = history_of(in, c.nodes[i], c.a.arg[i].v)))
                    ok = error_nomem(e, NULL);
            ok = ok && (call_function(in, fn.as.func, pos, c.a.n, kwn, kwv, c.a.nkw, callee, out, e)
                        || locate(callee, e));
        }
    }
    call_args_free(&c);
    value_free(&fn);
    value_free(&self);
    return ok;
}

/* --- indexing ----------------------------------------------------------------------------------- */

/* Python's slice.indices(): start, stop, step against a length. */
static bool slice_bounds(Interp *in, const Node *s, long long len, long long *start, long long *stop, long long *step,
                         long long *count, Error *e)
{
    long long v[3];
    bool given[3];
    for (int k = 0; k < 3; k++) {
        given[k] = false;
        const Node *x = s->kids[k];
        if (!x)
            continue;
        Value iv;
        if (!eval(in, x, &iv, e))
            return false;
        if (iv.kind == VALUE_NONE)
            continue;
        if (iv.kind != VALUE_INT && iv.kind != VALUE_BOOL) {
            char d[64];
            fail_at(x, e, ERROR_TYPE, "a slice's bounds must be whole numbers (ints) or None, not %s",
                    value_describe(&iv, d, sizeof d));
            value_free(&iv);
            return false;
        }
        v[k] = iv.as.integer;
        given[k] = true;
        value_free(&iv);    /* an int may carry a history */
    }
    long long st = given[2] ? v[2] : 1;
    if (st == 0)
        return fail_at(s, e, ERROR_ARG, "a slice's step cannot be zero");
    long long lo, hi;
    if (st > 0) {
        lo = given[0] ? v[0] : 0;
        hi = given[1] ? v[1] : len;
        if (lo < 0) lo += len;
        if (lo < 0) lo = 0;
        if (lo > len) lo = len;
        if (hi < 0) hi += len;
        if (hi < 0) hi = 0;
        if (hi > len) hi = len;
        *count = hi > lo ? (hi - lo - 1) / st + 1 : 0;
    } else {
        lo = given[0] ? v[0] : len - 1;
        hi = given[1] ? v[1] : -1 - len;
        if (lo < 0) lo += len;
        if (lo < 0) lo = -1;
        if (lo >= len) lo = len - 1;
        if (hi < 0) hi += len;
        if (hi < -1) hi = -1;
        if (hi >= len) hi = len - 1;
        *count = lo > hi ? (lo - hi - 1) / -st + 1 : 0;
    }
    *start = lo;
    *stop = hi;
    *step = st;
    return true;
}

/* A whole-number index against a length (negative counts from the end). */
static bool whole_index(const Node *at, const Value *iv, long long len, const char *what, long long *out, Error *e)
{
    if (iv->kind != VALUE_INT && iv->kind != VALUE_BOOL) {
        char d[64];
        if (iv->kind == VALUE_NUMBER && iv->as.number == floor(iv->as.number))
            return fail_at(at, e, ERROR_TYPE, "an index must be an int, not the float %g (use int(...))", iv->as.number);
        if (iv->kind == VALUE_NUMBER)
            return fail_at(at, e, ERROR_TYPE, "an index must be a whole number (an int), not %g", iv->as.number);
        return fail_at(at, e, ERROR_TYPE, "an index must be a whole number, not %s", value_describe(iv, d, sizeof d));
    }
    long long i = iv->as.integer, k = i < 0 ? i + len : i;
    if (k < 0 || k >= len) {
        if (len == 0)
            return fail_at(at, e, ERROR_ARG, "index %lld is out of range: the %s is empty", i, what);
        return fail_at(at, e, ERROR_ARG, "index %lld is out of range for %s (0 to %lld, or -%lld to -1)",
                       i, what, len - 1, len);
    }
    *out = k;
    return true;
}

/* One axis of an array selection: the positions it picks along an axis of
 * length len, and whether it drops the axis (a single index) or adds one
 * (None). */
typedef struct Axis {
    size_t *pos;        /* owned */
    size_t n;
    bool drop;          /* a single index: the axis goes */
    bool newaxis;       /* None: a new axis of length 1 */
    bool fancy;         /* an array (or list) of indices or of bools */
    bool mask;          /* of bools */
} Axis;

static bool axis_of(Interp *in, const Node *ix, const Value *iv, size_t len, const char *what, Axis *ax, Error *e)
{
    memset(ax, 0, sizeof *ax);
    if (ix->kind == NODE_SLICE) {
        long long lo, hi, st, cnt;
        if (!slice_bounds(in, ix, (long long)len, &lo, &hi, &st, &cnt, e))
            return false;
        ax->pos = mem_alloc((size_t)(cnt ? cnt : 1) * sizeof *ax->pos);
        if (!ax->pos)
            return error_nomem(e, "index"), locate(ix, e);
        for (long long k = 0; k < cnt; k++)
            ax->pos[k] = (size_t)(lo + k * st);
        ax->n = (size_t)cnt;
        return true;
    }
    if (iv->kind == VALUE_NONE) {
        ax->newaxis = true;
        return true;
    }
    if (iv->kind == VALUE_INT || iv->kind == VALUE_BOOL || iv->kind == VALUE_NUMBER) {
        long long k;
        if (!whole_index(ix, iv, (long long)len, what, &k, e))
            return false;
        ax->pos = mem_alloc(sizeof *ax->pos);
        if (!ax->pos)
            return error_nomem(e, "index"), locate(ix, e);
        ax->pos[0] = (size_t)k;
        ax->n = 1;
        ax->drop = true;
        return true;
    }
    /* An array or list of indices, or of bools (a mask). */
    if (iv->kind != VALUE_TENSOR && iv->kind != VALUE_LIST && iv->kind != VALUE_TUPLE && iv->kind != VALUE_RANGE) {
        char d[64];
        return fail_at(ix, e, ERROR_TYPE, "an index must be a whole number, a slice or an array of them, not %s",
                       value_describe(iv, d, sizeof d));
    }
    Tensor *t = value_to_tensor(iv, "index", e);
    if (!t)
        return locate(ix, e);
    if (t->ndim != 1) {
        tensor_delete(t);
        return fail_at(ix, e, ERROR_SHAPE, "an index array along one axis must be 1-D");
    }
    size_t cnt = 0;
    ax->fancy = true;
    ax->mask = t->dtype == DTYPE_BOOL;
    if (t->dtype == DTYPE_BOOL) {
        if (t->cols != len) {
            size_t c = t->cols;
            tensor_delete(t);
            return fail_at(ix, e, ERROR_SHAPE, "a boolean index of length %zu does not match the %s's length %zu", c,
                           what, len);
        }
        for (size_t i = 0; i < len; i++)
            cnt += t->data[i] != 0;
    } else if (t->dtype == DTYPE_FLOAT64 && t->cols) {
        tensor_delete(t);
        return fail_at(ix, e, ERROR_TYPE, "arrays used as indices must hold ints or bools, not floats");
    } else {
        cnt = t->cols;
    }
    ax->pos = mem_alloc((cnt ? cnt : 1) * sizeof *ax->pos);
    if (!ax->pos) {
        tensor_delete(t);
        return error_nomem(e, "index"), locate(ix, e);
    }
    size_t k = 0;
    for (size_t i = 0; i < t->cols; i++) {
        if (t->dtype == DTYPE_BOOL) {
            if (t->data[i] != 0)
                ax->pos[k++] = i;
            continue;
        }
        long long v = (long long)t->data[i], w = v < 0 ? v + (long long)len : v;
        if (w < 0 || w >= (long long)len) {
            tensor_delete(t);
            mem_free(ax->pos);
            ax->pos = NULL;
            return fail_at(ix, e, ERROR_ARG, "index %lld is out of range for a %s of length %zu", v, what, len);
        }
        ax->pos[k++] = (size_t)w;
    }
    ax->n = k;
    tensor_delete(t);
    return true;
}

/* A selection in an array: rows x cols positions and the shape it has. */
typedef struct Selection {
    Axis r, c;
    bool flat;          /* a 2-D boolean mask: positions in r.pos are flat indices */
    int ndim;           /* 0 (one element), 1 or 2 */
    size_t rows, cols;  /* the result's shape (rows is 1 for 1-D) */
    bool col_vector;    /* 1-D result taken down a column (M[:, j]) */
    bool fancy;         /* an index array took part (numpy's advanced indexing) */
    bool mask;          /* a boolean mask of the array's own shape */
} Selection;

static void selection_free(Selection *s)
{
    mem_free(s->r.pos);
    mem_free(s->c.pos);
}

/* The index items of a subscript: a tuple's parts, or the one index. */
static void index_items(const Node *idx, const Node **items, size_t *n)
{
    if (idx->kind == NODE_TUPLE) {
        *n = idx->nkids;
        for (size_t i = 0; i < idx->nkids && i < 3; i++)
            items[i] = idx->kids[i];
    } else {
        *n = 1;
        items[0] = idx;
    }
}

static bool select_array(Interp *in, const Node *at, const Node *idx, const Tensor *t, Selection *s, Error *e)
{
    memset(s, 0, sizeof *s);
    const Node *items[3];
    size_t nitems;
    index_items(idx, items, &nitems);
    /* Evaluate the index values that are not slices. */
    Value vals[3] = { value_none(), value_none(), value_none() };
    if (nitems > 3) {
        return fail_at(at, e, ERROR_ARG, "nudge's arrays have at most 2 dimensions, so an index has at most 2 parts");
    }
    for (size_t i = 0; i < nitems; i++)
        if (items[i]->kind != NODE_SLICE && items[i]->kind != NODE_ELLIPSIS && !eval(in, items[i], &vals[i], e)) {
            for (size_t k = 0; k < i; k++)
                value_free(&vals[k]);
            return false;
        }
    bool ok = true;
    char shape[48];
    tensor_shape_str(t, shape, sizeof shape);
    /* A lone Ellipsis selects everything. */
    if (nitems == 1 && items[0]->kind == NODE_ELLIPSIS) {
        nitems = 0;
    }
    int newaxes = 0;
    for (size_t i = 0; i < nitems; i++)
        newaxes += vals[i].kind == VALUE_NONE && items[i]->kind != NODE_SLICE;
    if (nitems == 1 && vals[0].kind == VALUE_TENSOR && vals[0].as.tensor->dtype == DTYPE_BOOL
        && vals[0].as.tensor->ndim == 2 && t->ndim == 2) {
        /* M[mask]: a mask of M's shape picks elements, in order, as a vector. */
        const Tensor *m = vals[0].as.tensor;
        if (m->rows != t->rows || m->cols != t->cols) {
            char ms[48];
            ok = fail_at(items[0], e, ERROR_SHAPE, "a boolean mask of shape %s does not match the array's shape %s",
                         tensor_shape_str(m, ms, sizeof ms), shape);
        } else {
            size_t cnt = 0;
            for (size_t i = 0; i < tensor_size(m); i++)
                cnt += m->data[i] != 0;
            s->r.pos = mem_alloc((cnt ? cnt : 1) * sizeof *s->r.pos);
            if (!s->r.pos)
                ok = error_nomem(e, "index"), locate(at, e);
            else {
                size_t k = 0;
                for (size_t i = 0; i < tensor_size(m); i++)
                    if (m->data[i] != 0)
                        s->r.pos[k++] = i;
                s->r.n = cnt;
                s->flat = true;
                s->fancy = s->mask = true;
                s->ndim = 1;
                s->rows = 1;
                s->cols = cnt;
            }
        }
    } else if (t->ndim == 1) {
        size_t real = nitems - (size_t)newaxes;
        if (real > 1) {
            ok = fail_at(items[1], e, ERROR_ARG, "a %s vector takes one index, not %s", shape, real == 2 ? "two" : "more");
        } else {
            const Node *ix = NULL;
            Value *iv = NULL;
            int pos_new = -1;
            for (size_t i = 0; i < nitems; i++) {
                if (vals[i].kind == VALUE_NONE && items[i]->kind != NODE_SLICE)
                    pos_new = pos_new < 0 ? (int)i : pos_new;
                else {
                    ix = items[i];
                    iv = &vals[i];
                }
            }
            s->r.n = 1;
            if (ix) {
                char what[64];
                snprintf(what, sizeof what, "vector %s", shape);
                ok = axis_of(in, ix, iv, t->cols, what, &s->c, e);
            } else {
                /* x[None] or x[...]: all of it */
                s->c.pos = mem_alloc((t->cols ? t->cols : 1) * sizeof *s->c.pos);
                if (!s->c.pos)
                    ok = error_nomem(e, "index");
                else
                    for (size_t i = 0; i < t->cols; i++)
                        s->c.pos[i] = i;
                s->c.n = t->cols;
            }
            if (ok) {
                if (newaxes > 1 || (newaxes == 1 && s->c.drop))
                    ok = fail_at(at, e, ERROR_ARG, "nudge's arrays have at most 2 dimensions");
                else if (newaxes == 1) {
                    /* x[None] is a row (1, n); x[:, None] a column (n, 1). */
                    s->ndim = 2;
                    bool column = ix && pos_new > 0;
                    s->rows = column ? s->c.n : 1;
                    s->cols = column ? 1 : s->c.n;
                    s->col_vector = column;
                } else {
                    s->ndim = s->c.drop ? 0 : 1;
                    s->rows = 1;
                    s->cols = s->c.n;
                }
            }
        }
    } else {
        if (newaxes)
            ok = fail_at(at, e, ERROR_ARG, "nudge's arrays have at most 2 dimensions, so a matrix takes no None index");
        else if (nitems > 2)
            ok = fail_at(items[2], e, ERROR_ARG, "a %s matrix takes at most two indices", shape);
        else {
            char rows_what[64], cols_what[64];
            snprintf(rows_what, sizeof rows_what, "rows of %s", shape);
            snprintf(cols_what, sizeof cols_what, "columns of %s", shape);
            if (nitems >= 1 && !(nitems == 1 && items[0]->kind == NODE_ELLIPSIS))
                ok = axis_of(in, items[0], &vals[0], t->rows, rows_what, &s->r, e);
            else {
                s->r.pos = mem_alloc((t->rows ? t->rows : 1) * sizeof *s->r.pos);
                ok = s->r.pos != NULL;
                for (size_t i = 0; ok && i < t->rows; i++)
                    s->r.pos[i] = i;
                s->r.n = t->rows;
            }
            if (ok && nitems == 2 && items[1]->kind != NODE_ELLIPSIS)
                ok = axis_of(in, items[1], &vals[1], t->cols, cols_what, &s->c, e);
            else if (ok) {
                s->c.pos = mem_alloc((t->cols ? t->cols : 1) * sizeof *s->c.pos);
                ok = s->c.pos != NULL;
                for (size_t i = 0; ok && i < t->cols; i++)
                    s->c.pos[i] = i;
                s->c.n = t->cols;
            }
            if (!ok && e && !e->code)
                error_nomem(e, "index");
            if (ok) {
                bool rd = s->r.drop, cd = s->c.drop;
                /* Two index arrays pair up, as numpy's do. */
                bool rfancy = nitems >= 1 && vals[0].kind != VALUE_NONE && !rd && items[0]->kind != NODE_SLICE;
                bool cfancy = nitems == 2 && vals[1].kind != VALUE_NONE && !cd && items[1]->kind != NODE_SLICE;
                if (rfancy && cfancy) {
                    /* they broadcast: one of length 1 pairs with each of the other's */
                    size_t rn = s->r.n, cn = s->c.n, n = rn == 1 ? cn : rn;
                    if (rn != cn && rn != 1 && cn != 1)
                        ok = fail_at(at, e, ERROR_SHAPE, "shape mismatch: index arrays of lengths %zu and %zu do not "
                                     "broadcast together", rn, cn);
                    else {
                        size_t *flat = mem_alloc((n ? n : 1) * sizeof *flat);
                        if (!flat)
                            ok = error_nomem(e, "index");
                        else {
                            for (size_t i = 0; i < n; i++)
                                flat[i] = s->r.pos[rn == 1 ? 0 : i] * t->cols + s->c.pos[cn == 1 ? 0 : i];
                            mem_free(s->r.pos);
                            s->r.pos = flat;
                            s->r.n = n;
                            s->flat = true;
                            s->ndim = 1;
                            s->rows = 1;
                            s->cols = n;
                        }
                    }
                } else if (rd && cd) {
                    s->ndim = 0;
                    s->rows = s->cols = 1;
                } else if (rd) {
                    s->ndim = 1;
                    s->rows = 1;
                    s->cols = s->c.n;
                } else if (cd) {
                    s->ndim = 1;
                    s->rows = 1;
                    s->cols = s->r.n;
                    s->col_vector = true;
                } else {
                    s->ndim = 2;
                    s->rows = s->r.n;
                    s->cols = s->c.n;
                }
            }
        }
    }
    for (size_t i = 0; i < nitems && i < 3; i++)
        value_free(&vals[i]);
    if (!ok) {
        selection_free(s);
        return false;
    }
    s->fancy = s->fancy || s->r.fancy || s->c.fancy;
    s->mask = s->mask || (t->ndim == 1 && s->c.mask);
    return true;
}

/* The flat position in t of the k-th element of a selection. */
static size_t selection_at(const Selection *s, const Tensor *t, size_t k)
{
    if (s->flat)
        return s->r.pos[k];
    if (t->ndim == 1)
        return s->c.pos[k];
    size_t i, j;
    if (s->col_vector) {
        i = k;
        j = 0;
    } else {
        i = k / s->c.n;
        j = k % s->c.n;
    }
    return s->r.pos[s->r.n == 1 ? 0 : i] * t->cols + s->c.pos[s->c.n == 1 && s->col_vector ? 0 : j];
}

static size_t selection_size(const Selection *s)
{
    if (s->flat)
        return s->r.n;
    return s->ndim == 0 ? 1 : s->rows * s->cols;
}

static bool index_array(Interp *in, const Node *at, const Node *idx, const Tensor *t, Value *out, Error *e)
{
    /* The fast cases: a[i] of a vector, M[i, j] and M[i]. */
    if (idx->kind == NODE_NUMBER && idx->is_int) {
        long long len = t->ndim == 1 ? (long long)t->cols : (long long)t->rows, k = idx->integer;
        if (k < 0)
            k += len;
        if (k >= 0 && k < len) {
            if (t->ndim == 1) {
                *out = scalar_of(t, (size_t)k);
                return true;
            }
            Tensor *row = tensor_from(1, 1, t->cols, t->data + (size_t)k * t->cols, e);
            if (!row)
                return locate(at, e);
            row->dtype = t->dtype;
            *out = value_tensor(row);
            return true;
        }
    }
    Selection s;
    if (!select_array(in, at, idx, t, &s, e))
        return false;
    if (s.ndim == 0) {
        *out = scalar_of(t, selection_at(&s, t, 0));
        selection_free(&s);
        return true;
    }
    size_t n = selection_size(&s);
    Tensor *r = tensor_new(s.ndim, s.ndim == 1 ? 1 : s.rows, s.ndim == 1 ? n : s.cols, e);
    if (!r) {
        selection_free(&s);
        return locate(at, e);
    }
    for (size_t k = 0; k < n; k++)
        r->data[k] = t->data[selection_at(&s, t, k)];
    r->dtype = t->dtype;
    selection_free(&s);
    *out = value_tensor(r);
    return true;
}

/* Where each character of a string starts (UTF-8: η is two bytes, one
 * character, as Python counts it), with the string's length last: n + 1
 * offsets in a new array, or NULL when memory runs out. */
static size_t *char_starts(const Value *v, size_t *n, Error *e)
{
    const char *s = value_str(v);
    size_t bytes = value_strlen(v), count = 0;
    for (size_t i = 0; i < bytes; i++)
        count += ((unsigned char)s[i] & 0xC0) != 0x80;
    size_t *at = mem_calloc(count + 1, sizeof *at);
    if (!at) {
        error_nomem(e, "string index");
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < bytes; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            at[k++] = i;
    at[count] = bytes;
    *n = count;
    return at;
}

/* s[i] and s[a:b:c] of a string, by characters. */
static bool index_string(Interp *in, const Node *at, const Node *idx, const Value *v, Value *out, Error *e)
{
    size_t nchars;
    size_t *starts = char_starts(v, &nchars, e);
    if (!starts)
        return locate(at, e);
    const char *s = value_str(v);
    long long len = (long long)nchars;
    char what[64];
    snprintf(what, sizeof what, "a string of length %lld", len);
    bool ok;
    if (idx->kind == NODE_TUPLE) {
        ok = fail_at(idx, e, ERROR_TYPE, "%s takes one index, not %zu", what, idx->nkids);
    } else if (idx->kind == NODE_SLICE) {
        long long lo, hi, st, cnt;
        ok = slice_bounds(in, idx, len, &lo, &hi, &st, &cnt, e);
        Text t = {0};
        for (long long k = 0; ok && k < cnt; k++) {
            size_t c = (size_t)(lo + k * st);
            text_append(&t, s + starts[c], starts[c + 1] - starts[c]);
        }
        if (ok && t.failed)
            ok = error_nomem(e, "slice"), locate(at, e);
        if (ok)
            ok = value_string(out, t.s ? t.s : "", t.len, e) || locate(at, e);
        text_free(&t);
    } else {
        Value iv;
        long long k = 0;
        ok = eval(in, idx, &iv, e);
        if (ok) {
            ok = whole_index(idx, &iv, len, what, &k, e);
            value_free(&iv);
        }
        if (ok)
            ok = value_string(out, s + starts[k], starts[k + 1] - starts[k], e) || locate(at, e);
    }
    mem_free(starts);
    return ok;
}

static bool index_sequence(Interp *in, const Node *at, const Node *idx, const Value *v, Value *out, Error *e)
{
    if (v->kind == VALUE_STRING)
        return index_string(in, at, idx, v, out, e);
    long long len = v->kind == VALUE_RANGE ? range_len(v->as.range) : (long long)v->as.list->n;
    char what[64];
    snprintf(what, sizeof what, "a %s of length %lld", v->kind == VALUE_RANGE ? "range"
             : v->kind == VALUE_TUPLE ? "tuple" : "list", len);
    if (idx->kind == NODE_TUPLE)
        return fail_at(idx, e, ERROR_TYPE, "%s takes one index, not %zu (lists of lists: x[i][j])", what, idx->nkids);
    if (idx->kind == NODE_SLICE) {
        long long lo, hi, st, cnt;
        if (!slice_bounds(in, idx, len, &lo, &hi, &st, &cnt, e))
            return false;
        if (v->kind == VALUE_RANGE) {
            const Range *r = v->as.range;
            return value_range(out, r->start + lo * r->step, r->start + (lo + cnt * st) * r->step, r->step * st, e)
                || locate(at, e);
        }
        if (!value_list(out, v->kind, (size_t)cnt, e))
            return locate(at, e);
        for (long long k = 0; k < cnt; k++)
            list_push(out, value_ref(&v->as.list->items[lo + k * st]), e);
        return true;
    }
    Value iv;
    if (!eval(in, idx, &iv, e))
        return false;
    long long k;
    bool ok = whole_index(idx, &iv, len, what, &k, e);
    value_free(&iv);
    if (!ok)
        return false;
    if (v->kind == VALUE_RANGE) {
        *out = value_int(v->as.range->start + k * v->as.range->step);
        return true;
    }
    *out = value_ref(&v->as.list->items[k]);
    return true;
}

static bool eval_index(Interp *in, const Node *n, Value *out, Error *e)
{
    Value base;
    if (!eval(in, n->kids[0], &base, e))
        return false;
    const Node *idx = n->kids[1];
    bool ok;
    switch (base.kind) {
    case VALUE_TENSOR:
        ok = index_array(in, n, idx, base.as.tensor, out, e);
        if (ok && in->record && out->kind != VALUE_TENSOR && out->kind != VALUE_NUMBER)
            break;
        if (ok && in->record) {
            /* Only plain rectangles of rows and columns keep a history. */
            const Node *items[3];
            size_t nitems;
            index_items(idx, items, &nitems);
            Selection s;
            Error ignore;
            error_clear(&ignore);
            if (nitems <= 2 && select_array(in, n, idx, base.as.tensor, &s, &ignore)) {
                bool rect = !s.flat && !s.col_vector;
                for (size_t k = 1; rect && k < s.r.n; k++)
                    rect = s.r.pos[k] == s.r.pos[0] + k;
                for (size_t k = 1; rect && k < s.c.n; k++)
                    rect = s.c.pos[k] == s.c.pos[0] + k;
                rect = rect || (s.col_vector && !s.flat);
                if (rect && s.r.n && s.c.n) {
                    GNode *made;
                    ok = record(in, GRAPH_INDEX, n->kids[0], &base, NULL, NULL, out, &made, e) || locate(n, e);
                    if (made) {
                        made->r0 = base.as.tensor->ndim == 1 ? 0 : s.r.pos[0];
                        made->rn = base.as.tensor->ndim == 1 ? 1 : s.r.n;
                        made->c0 = s.c.pos[0];
                        made->cn = s.c.n;
                    }
                }
                selection_free(&s);
            }
        }
        break;
    case VALUE_LIST:
    case VALUE_TUPLE:
    case VALUE_STRING:
    case VALUE_RANGE:
        ok = index_sequence(in, n, idx, &base, out, e);
        break;
    case VALUE_DICT: {
        Value k;
        ok = eval(in, idx, &k, e);
        if (ok) {
            Value *v = dict_get(&base, &k);
            if (v) {
                *out = value_ref(v);
            } else {
                Text t = {0};
                value_pyrepr(in, &k, &t, NULL);
                ok = fail_at(idx, e, ERROR_NAME, "the dict has no key %s", t.s ? t.s : "?");
                text_free(&t);
            }
            value_free(&k);
        }
        break;
    }
    default: {
        char d[64];
        ok = fail_at(n, e, ERROR_TYPE, "%s cannot be indexed (arrays, lists, tuples, strings and dicts can)",
                     value_describe(&base, d, sizeof d));
    }
    }
    value_free(&base);
    return ok;
}

/* Writes v into the selection of an index on array t, in place, by
 * numpy's rules for setitem: a number fills the selection; an array
 * broadcasts to its shape (leading 1s may go); a list is read with no more
 * dimensions than the selection has, unless an index array takes part; a
 * boolean mask of the array's own shape takes a number or a 1-D array.
 * Values take t's dtype: a float goes toward zero into an int array, and a
 * NaN or an infinity given as a number or in a list is refused (from an
 * array it becomes the smallest int64, as numpy's cast makes it).  Nothing
 * is written unless all of it can be. */
static bool store_array(Interp *in, const Node *at, const Node *idx, Tensor *t, const Value *v, Error *e)
{
    Selection s;
    if (!select_array(in, at, idx, t, &s, e))
        return false;
    size_t n = selection_size(&s);
    Tensor *src = NULL;
    bool ok = true;
    bool seq = v->kind == VALUE_LIST || v->kind == VALUE_TUPLE;
    if (!value_is_scalar(v) && v->kind != VALUE_TENSOR && !seq) {
        char d[64];
        ok = fail_at(at, e, ERROR_TYPE, "an array holds numbers, so it cannot store %s", value_describe(v, d, sizeof d));
    } else if (!(src = value_to_tensor(v, "index", e))) {
        ok = locate(at, e);
    }
    int sn = s.ndim, vn = src && !value_is_scalar(v) ? src->ndim : 0;
    size_t sr = sn == 2 ? s.rows : 1, sc = sn == 2 ? s.cols : sn == 1 ? n : 1;
    size_t vr = src && vn == 2 ? src->rows : 1, vc = src && vn >= 1 ? src->cols : 1;
    char vs[48], ss[48];
    if (src)
        tensor_shape_fmt(vn, vr, vc, vs, sizeof vs);
    if (sn == 0)
        snprintf(ss, sizeof ss, "()");
    else
        tensor_shape_fmt(sn, sr, sc, ss, sizeof ss);
    if (ok && s.mask && vn > 1) {
        ok = fail_at(at, e, ERROR_TYPE, "a boolean mask assignment takes a number or a 1-D array of values, not shape %s",
                     vs);
    } else if (ok && seq && !s.fancy && vn > sn) {
        ok = fail_at(at, e, ERROR_SHAPE, "setting an array element with a sequence: the list has %d dimension%s, the "
                     "selection %d", vn, vn == 1 ? "" : "s", sn);
    } else if (ok) {
        /* leading 1s of the value go; then each axis is equal or 1 */
        int wn = vn;
        while (wn > sn && (wn == 2 ? vr : vc) == 1)
            wn--;
        bool fits = wn <= sn && (wn < 2 || vr == sr || vr == 1) && (wn < 1 || vc == sc || vc == 1);
        if (!fits)
            ok = fail_at(at, e, ERROR_SHAPE, "the right side has shape %s, which does not fit the selection's shape %s",
                         vs, ss);
    }
    if (ok && t->dtype == DTYPE_INT64 && v->kind != VALUE_TENSOR && src->dtype == DTYPE_FLOAT64)
        for (size_t k = 0; k < tensor_size(src) && ok; k++) {
            double d = src->data[k];
            if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
                ok = fail_at(at, e, isnan(d) ? ERROR_ARG : ERROR_NUMERIC, "cannot convert float %s to integer (the "
                             "array holds int64)", isnan(d) ? "NaN" : isinf(d) ? "infinity" : "that large");
        }
    for (size_t k = 0; ok && k < n; k++) {
        size_t i = sn == 2 ? k / sc : 0, j = sn == 2 ? k % sc : k;
        double d = src->data[(vn == 2 && vr != 1 ? i * src->cols : 0) + (vn >= 1 && vc != 1 ? j : 0)];
        if (t->dtype == DTYPE_BOOL)
            d = d != 0;
        else if (t->dtype == DTYPE_INT64)
            d = d >= -9223372036854775808.0 && d < 9223372036854775808.0 ? trunc(d) + 0.0 : -9223372036854775808.0;
        t->data[selection_at(&s, t, k)] = d;
    }
    tensor_delete(src);
    selection_free(&s);
    return ok;
}

static bool store_sequence(Interp *in, const Node *at, const Node *idx, Value *seq, Value v, Error *e)
{
    if (seq->kind == VALUE_DICT) {
        Value k;
        if (!eval(in, idx, &k, e)) {
            value_free(&v);
            return false;
        }
        if (!value_hashable(&k)) {
            char d[64];
            fail_at(idx, e, ERROR_TYPE, "a dict key must be a number, a string or a tuple, not %s",
                    value_describe(&k, d, sizeof d));
            value_free(&k);
            value_free(&v);
            return false;
        }
        return dict_set(seq, k, v, e) || locate(at, e);
    }
    if (seq->kind != VALUE_LIST) {
        char d[64];
        value_free(&v);
        return fail_at(at, e, ERROR_TYPE, "%s cannot be changed by index%s", value_describe(seq, d, sizeof d),
                       seq->kind == VALUE_TUPLE || seq->kind == VALUE_STRING ? " (it is immutable)" : "");
    }
    List *l = seq->as.list;
    if (idx->kind == NODE_SLICE) {
        long long lo, hi, st, cnt;
        if (!slice_bounds(in, idx, (long long)l->n, &lo, &hi, &st, &cnt, e)) {
            value_free(&v);
            return false;
        }
        Value items;
        if (!value_list(&items, VALUE_LIST, 0, e)) {
            value_free(&v);
            return locate(at, e);
        }
        Iter it;
        bool ok = iter_init(in, &v, &it, e);
        value_free(&v);
        Value x;
        int r = 0;
        while (ok && (r = iter_next(in, &it, &x, e)) == 1)
            ok = list_push(&items, x, e);
        if (ok)
            iter_free(&it);
        ok = ok && r >= 0;
        if (ok && st != 1 && (long long)items.as.list->n != cnt)
            ok = fail_at(at, e, ERROR_SHAPE, "a slice with a step holds %lld items, so it takes %lld, not %zu", cnt,
                         cnt, items.as.list->n);
        if (ok && st != 1) {
            for (long long k = 0; k < cnt; k++) {
                value_free(&l->items[lo + k * st]);
                l->items[lo + k * st] = items.as.list->items[k];
                items.as.list->items[k] = value_none();
            }
        } else if (ok) {
            /* Replace l[lo:lo+cnt] with the new items. */
            size_t m = items.as.list->n, old = (size_t)cnt, newn = l->n - old + m;
            if (newn > l->cap) {
                Value *grown = mem_realloc(l->items, newn, sizeof *grown);
                if (!grown)
                    ok = error_nomem(e, "list");
                else {
                    l->items = grown;
                    l->cap = newn;
                }
            }
            if (ok) {
                for (size_t k = 0; k < old; k++)
                    value_free(&l->items[lo + (long long)k]);
                memmove(&l->items[lo + (long long)m], &l->items[lo + (long long)old],
                        (l->n - (size_t)lo - old) * sizeof *l->items);
                for (size_t k = 0; k < m; k++) {
                    l->items[lo + (long long)k] = items.as.list->items[k];
                    items.as.list->items[k] = value_none();
                }
                l->n = newn;
            }
        }
        value_free(&items);
        return ok || locate(at, e);
    }
    Value iv;
    if (!eval(in, idx, &iv, e)) {
        value_free(&v);
        return false;
    }
    long long k;
    bool ok = whole_index(idx, &iv, (long long)l->n, "list", &k, e);
    value_free(&iv);
    if (!ok) {
        value_free(&v);
        return false;
    }
    value_free(&l->items[k]);
    l->items[k] = v;
    return true;
}

/* --- attributes ---------------------------------------------------------------------------------- */

static const char *dtype_name(Dtype d)
{
    return d == DTYPE_INT64 ? "int64" : d == DTYPE_BOOL ? "bool" : "float64";
}

static bool shape_tuple(const Tensor *x, Value *out, Error *e)
{
    if (!value_list(out, VALUE_TUPLE, 2, e))
        return false;
    if (x->ndim == 2)
        list_push(out, value_int((long long)x->rows), e);
    list_push(out, value_int((long long)x->cols), e);
    return true;
}

/* --- a net's parameters ---------------------------------------------------------------------------- */

/* "W1 W2 W3 b1 b2 b3": the parameters net has, for messages, in buf
 * (no allocation: an error message must not fail for want of memory). */
static const char *net_param_names(const Mlp *net, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < 2 * net->n_layers && used < n; i++) {
        if (i >= net->n_layers && !net->bias)
            break;
        MlpParam w = i < net->n_layers ? mlp_weight_param(i) : mlp_bias_param(i - net->n_layers);
        int k = snprintf(buf + used, n - used, "%s%s", i ? " " : "", mlp_param_name(w));
        used += k > 0 ? (size_t)k : 0;
    }
    return buf;
}

/* net.W1 .. net.W16, net.b1 ..: the net's own arrays (shared, as numpy
 * shares an attribute's array); net.W and net.b: a list of every layer's,
 * counting from 0.  With out NULL, only the error for a name net lacks. */
static bool net_field(const Mlp *net, const Node *n, const char *name, Value *out, Error *e)
{
    MlpParam w;
    bool known = mlp_param_parse(name, &w);
    if (out && known && mlp_param(net, w)) {
        *out = value_tensor(tensor_retain(mlp_param(net, w)));
        return true;
    }
    bool weights = !strcmp(name, "W");
    if (out && (weights || !strcmp(name, "b")) && (weights || net->bias)) {
        if (!value_list(out, VALUE_LIST, net->n_layers, e))
            return locate(n, e);
        for (size_t k = 0; k < net->n_layers; k++)
            list_push(out, value_tensor(tensor_retain(weights ? net->W[k] : net->b[k])), e);
        return true;
    }
    if (!strcmp(name, "b") || (known && !mlp_param_is_weight(w) && mlp_param_layer(w) < net->n_layers))
        return fail_at(n, e, ERROR_NAME, "this net has no biases (make it with bias=1)");
    char names[8 * MLP_PARAM_END];
    return fail_at(n, e, ERROR_NAME, "this net has fields %s%s, not '%s'", net_param_names(net, names, sizeof names),
                   net->bias ? " W b" : " W", name);
}

/* Copies v into the net's parameter w, in place (other names that share
 * the array see the change); consumes v. */
static bool set_net_param(Mlp *net, MlpParam w, const Node *n, const char *name, Value v, Error *e)
{
    char d[64];
    bool ok;
    Tensor *t = v.kind == VALUE_TENSOR || v.kind == VALUE_LIST ? value_to_tensor(&v, name, e) : NULL;
    if (!t)
        ok = v.kind == VALUE_TENSOR || v.kind == VALUE_LIST ? locate(n, e)
           : fail_at(n, e, ERROR_TYPE, "%s must be a matrix, not %s", name, value_describe(&v, d, sizeof d));
    else if (t == mlp_param(net, w))
        ok = true;      /* changed in place already (net.W[0] -= g) */
    else
        ok = mlp_set_param(net, w, t, e) || locate(n, e);
    tensor_delete(t);
    value_free(&v);
    return ok;
}

/* net.W[k] = v and net.b[k] = v: the layer's array, k counting from 0
 * (negative from the end, as for a list).  Consumes v. */
static bool store_net_layer(Interp *in, const Node *target, Mlp *net, bool weights, Value v, Error *e)
{
    const Node *idx = target->kids[1];
    Value iv;
    if (!eval(in, idx, &iv, e)) {
        value_free(&v);
        return false;
    }
    char d[64];
    bool whole = iv.kind == VALUE_INT || iv.kind == VALUE_BOOL;
    long long k = whole ? iv.as.integer : 0;
    bool ok = true;
    if (!whole)
        ok = fail_at(idx, e, ERROR_TYPE, "a layer is chosen by a whole number, not %s", value_describe(&iv, d, sizeof d));
    value_free(&iv);
    long long given = k;
    if (ok && k < 0)
        k += (long long)net->n_layers;
    if (ok && (k < 0 || k >= (long long)net->n_layers))
        ok = fail_at(idx, e, ERROR_ARG, "index %lld is out of range: this net has layers 0 to %zu", given,
                     net->n_layers - 1);
    if (ok && !weights && !net->bias)
        ok = fail_at(target->kids[0], e, ERROR_NAME, "this net has no biases (make it with bias=1)");
    if (!ok) {
        value_free(&v);
        return false;
    }
    MlpParam w = weights ? mlp_weight_param((size_t)k) : mlp_bias_param((size_t)k);
    return set_net_param(net, w, target, mlp_param_name(w), v, e);
}

static bool field_value(Interp *in, const Node *n, const Value *v, const char *name, Value *out, Error *e)
{
    char d[64];
    (void)in;
    *out = value_none();
    switch (v->kind) {
    case VALUE_TENSOR: {
        const Tensor *x = v->as.tensor;
        if (!strcmp(name, "T")) {
            Tensor *t = tensor_transpose(x, e);
            if (!t)
                return locate(n, e);
            t->dtype = x->dtype;
            *out = value_tensor(t);
            return true;
        }
        if (!strcmp(name, "shape"))
            return shape_tuple(x, out, e) || locate(n, e);
        if (!strcmp(name, "ndim")) {
            *out = value_int(x->ndim);
            return true;
        }
        if (!strcmp(name, "size")) {
            *out = value_int((long long)tensor_size(x));
            return true;
        }
        if (!strcmp(name, "dtype"))
            return value_string(out, dtype_name(x->dtype), strlen(dtype_name(x->dtype)), e) || locate(n, e);
        break;
    }
    case VALUE_PERCEPTRON:
        if (!strcmp(name, "w")) {
            *out = value_tensor(tensor_retain(v->as.perceptron->w));
            return true;
        }
        if (!strcmp(name, "lr")) {
            *out = value_number(v->as.perceptron->lr);
            return true;
        }
        return fail_at(n, e, ERROR_NAME, "a perceptron has fields w and lr, not '%s'", name);
    case VALUE_MLP:
        return net_field(v->as.mlp, n, name, out, e);
    case VALUE_RECORD: {
        const Value *f = record_get(v, name);
        if (f) {
            *out = value_ref(f);
            return true;
        }
        Text t = {0};
        for (size_t i = 0; i < v->as.record->n; i++)
            text_printf(&t, "%s%s", i ? ", " : "", v->as.record->names[i]);
        bool r = fail_at(n, e, ERROR_NAME, "this record has no field '%s' (it has: %s)", name, t.s ? t.s : "none");
        text_free(&t);
        return r;
    }
    case VALUE_MODULE:
        if (module_get(v->as.module, name, out))
            return true;
        return fail_at(n, e, ERROR_NAME, "%s.%s is not part of nudge (help %s lists what it has)",
                       !strcmp(builtin_module_name(v->as.module), "numpy") ? "np" : builtin_module_name(v->as.module),
                       name, !strcmp(builtin_module_name(v->as.module), "numpy") ? "np" : builtin_module_name(v->as.module));
    case VALUE_FUNCTION:
        if (!strcmp(name, "__name__"))
            return value_string(out, v->as.func->name, strlen(v->as.func->name), e) || locate(n, e);
        break;
    default:
        break;
    }
    const Builtin *m = method_find(v, name);
    if (m)
        return value_method(out, v, m, e) || locate(n, e);
    if (v->kind == VALUE_TENSOR)
        return fail_at(n, e, ERROR_NAME, "arrays have no attribute '%s' (help ndarray lists them)", name);
    return fail_at(n, e, ERROR_NAME, "%s has no attribute '%s'", value_describe(v, d, sizeof d), name);
}

static bool eval_field(Interp *in, const Node *n, Value *out, Error *e)
{
    Value base;
    if (!eval(in, n->kids[0], &base, e))
        return false;
    bool ok = field_value(in, n, &base, n->text, out, e);
    GNode *made;
    if (ok && base.kind == VALUE_TENSOR && !strcmp(n->text, "T"))
        ok = record(in, GRAPH_TRANSPOSE, n->kids[0], &base, NULL, NULL, out, &made, e) || locate(n, e);
    value_free(&base);
    return ok;
}

/* --- assignment --------------------------------------------------------------------------------- */

static bool set_field(Interp *in, const Node *n, Value *root, const char *name, Value v, Error *e)
{
    char d[64];
    (void)in;
    bool ok;
    switch (root->kind) {
    case VALUE_PERCEPTRON: {
        Perceptron *p = root->as.perceptron;
        if (!strcmp(name, "lr")) {
            if (!value_is_scalar(&v))
                ok = fail_at(n, e, ERROR_TYPE, "lr must be a number, not %s", value_describe(&v, d, sizeof d));
            else {
                p->lr = value_to_double(&v);
                ok = true;
            }
        } else if (!strcmp(name, "w")) {
            Tensor *w = v.kind == VALUE_TENSOR || v.kind == VALUE_LIST ? value_to_tensor(&v, "w", e) : NULL;
            if (!w)
                ok = v.kind == VALUE_TENSOR || v.kind == VALUE_LIST ? locate(n, e)
                   : fail_at(n, e, ERROR_TYPE, "w must be a vector, not %s", value_describe(&v, d, sizeof d));
            else if (tensor_size(w) != tensor_size(p->w))
                ok = fail_at(n, e, ERROR_SHAPE, "w: the perceptron has %zu weights, not %zu (make a new one with "
                             "perceptron(w=...))", tensor_size(p->w), tensor_size(w));
            else {
                memcpy(p->w->data, w->data, tensor_size(p->w) * sizeof(double));
                ok = true;
            }
            tensor_delete(w);
        } else {
            ok = fail_at(n, e, ERROR_NAME, "a perceptron has fields w and lr, not '%s'", name);
        }
        break;
    }
    case VALUE_MLP: {
        MlpParam w;
        if (!mlp_param_parse(name, &w) || !mlp_param(root->as.mlp, w)) {
            value_free(&v);
            return net_field(root->as.mlp, n, name, NULL, e);
        }
        return set_net_param(root->as.mlp, w, n, name, v, e);
    }
    case VALUE_RECORD: {
        Value *f = record_get(root, name);
        if (f) {
            value_free(f);
            *f = v;
            return true;
        }
        return record_add(root, name, v, e) || locate(n, e);
    }
    default:
        ok = fail_at(n, e, ERROR_TYPE, "%s has no fields to set", value_describe(root, d, sizeof d));
    }
    value_free(&v);
    return ok;
}

/* The variable a target's root name refers to (for versions), or NULL. */
static Var *root_var(Interp *in, const Node *t)
{
    while (t->kind == NODE_FIELD || t->kind == NODE_INDEX)
        t = t->kids[0];
    if (t->kind != NODE_NAME || t->scope != SCOPE_GLOBAL)
        return NULL;
    const Builtin *b;
    return cached_var(in, t, &b);
}

static bool bind_name(Interp *in, const Node *target, Value v, Error *e)
{
    if (target->scope == SCOPE_GLOBAL) {
        Var *var;
        if (target->cache_gen == in->globals_gen && target->slot == 1 && target->cache_gen) {
            var = target->cache;
        } else if (!(var = global_make(in, target->text, e))) {
            value_free(&v);
            return locate(target, e);
        } else {
            Node *t = (Node *)target;
            t->cache = var;
            t->cache_gen = in->globals_gen;
            t->slot = 1;
        }
        if (in->atomic && !undo_keep_binding(in, &var->value, var, e)) {
            value_free(&v);
            return locate(target, e);
        }
        global_bind(in, var, v);
        /* grad(L, z) can find a computed z by its name. */
        graph_tag(var->value.graph, target->text, var->version);
        return true;
    }
    Frame *f = target->scope == SCOPE_LOCAL ? in->frame : frame_up(in->frame, target->up);
    if (in->atomic && !undo_keep_binding(in, &f->slots[target->slot], NULL, e)) {
        value_free(&v);
        return locate(target, e);
    }
    value_free(&f->slots[target->slot]);
    f->slots[target->slot] = v;
    return true;
}

static bool unpack(Interp *in, const Node *target, Value v, Error *e)
{
    Iter it;
    if (!iter_init(in, &v, &it, e)) {
        value_free(&v);
        return locate(target, e);
    }
    value_free(&v);
    size_t want = target->nkids;
    Value items[64];
    if (want > 64) {
        iter_free(&it);
        return fail_at(target, e, ERROR_LIMIT, "at most 64 names on the left of '='");
    }
    size_t got = 0;
    int r;
    Value extra;
    while (got < want && (r = iter_next(in, &it, &items[got], e)) == 1)
        got++;
    bool ok = true;
    if (got == want && (r = iter_next(in, &it, &extra, e)) == 1) {
        value_free(&extra);
        size_t total = want + 1;
        while ((r = iter_next(in, &it, &extra, e)) == 1) {
            value_free(&extra);
            total++;
        }
        ok = fail_at(target, e, ERROR_ARG, "%zu names on the left, but %zu values on the right", want, total);
    } else if (got < want) {
        ok = r < 0 ? locate(target, e)
                   : fail_at(target, e, ERROR_ARG, "%zu names on the left, but only %zu value%s on the right", want, got,
                             got == 1 ? "" : "s");
    }
    iter_free(&it);
    for (size_t i = 0; i < got; i++) {
        if (ok)
            ok = assign_target(in, target->kids[i], items[i], e);
        else
            value_free(&items[i]);
    }
    return ok;
}

bool assign_target(Interp *in, const Node *target, Value v, Error *e)
{
    switch (target->kind) {
    case NODE_NAME:
        return bind_name(in, target, v, e);
    case NODE_TUPLE:
    case NODE_LIST:
        return unpack(in, target, v, e);
    case NODE_FIELD: {
        Value root;
        if (!eval(in, target->kids[0], &root, e)) {
            value_free(&v);
            return false;
        }
        if (in->atomic && !undo_keep(in, &root, root_var(in, target), e)) {
            value_free(&v);
            value_free(&root);
            return locate(target, e);
        }
        bool ok = set_field(in, target, &root, target->text, v, e);
        value_free(&root);
        Var *var = ok ? root_var(in, target) : NULL;
        if (var)
            var->version = ++in->versions;
        return ok;
    }
    case NODE_INDEX: {
        Value root;
        const Node *c = target->kids[0];
        if (c->kind == NODE_FIELD && (!strcmp(c->text, "W") || !strcmp(c->text, "b"))) {
            /* net.W[k] = v sets the layer's array; anything else with a
             * field W or b is an ordinary item assignment. */
            Value base;
            if (!eval(in, c->kids[0], &base, e)) {
                value_free(&v);
                return false;
            }
            if (base.kind == VALUE_MLP) {
                bool ok = store_net_layer(in, target, base.as.mlp, c->text[0] == 'W', v, e);
                value_free(&base);
                Var *var = ok ? root_var(in, target) : NULL;
                if (var)
                    var->version = ++in->versions;
                return ok;
            }
            bool ok = field_value(in, c, &base, c->text, &root, e);
            value_free(&base);
            if (!ok) {
                value_free(&v);
                return false;
            }
        } else if (!eval(in, target->kids[0], &root, e)) {
            value_free(&v);
            return false;
        }
        if (in->atomic && !undo_keep(in, &root, root_var(in, target), e)) {
            value_free(&v);
            value_free(&root);
            return locate(target, e);
        }
        bool ok;
        if (root.kind == VALUE_TENSOR) {
            ok = store_array(in, target, target->kids[1], root.as.tensor, &v, e);
            value_free(&v);
            /* Changed in place: its history no longer describes it. */
            Var *var = ok ? root_var(in, target) : NULL;
            if (var) {
                var->version = ++in->versions;
                if (var->value.kind == VALUE_TENSOR && var->value.as.tensor == root.as.tensor) {
                    graph_release(var->value.graph);
                    var->value.graph = NULL;
                }
            }
        } else {
            ok = store_sequence(in, target, target->kids[1], &root, v, e);
            Var *var = ok ? root_var(in, target) : NULL;
            if (var)
                var->version = ++in->versions;
        }
        value_free(&root);
        return ok;
    }
    default:
        value_free(&v);
        return fail_at(target, e, ERROR_SYNTAX, "cannot assign to this");
    }
}

/* --- comprehensions -------------------------------------------------------------------------------- */

/* Runs the for/if clauses from k on, calling emit for every pass. */
static bool comp_loop(Interp *in, const Node *comp, size_t k, Value *acc, Error *e)
{
    if (k == comp->nkids) {
        if (comp->kind == NODE_DICTCOMP) {
            Value key, val;
            if (!eval(in, comp->kids[0], &key, e))
                return false;
            if (!eval(in, comp->kids[1], &val, e)) {
                value_free(&key);
                return false;
            }
            return dict_set(acc, key, val, e) || locate(comp, e);
        }
        Value v;
        if (!eval(in, comp->kids[0], &v, e))
            return false;
        return list_push(acc, v, e) || locate(comp, e);
    }
    const Node *cl = comp->kids[k];
    if (cl->kind == NODE_COMPIF) {
        Value c;
        if (!eval(in, cl->kids[0], &c, e))
            return false;
        bool t;
        bool ok = value_truth(&c, &t, e) || locate(cl->kids[0], e);
        value_free(&c);
        if (!ok)
            return false;
        return !t || comp_loop(in, comp, k + 1, acc, e);
    }
    Value seq;
    if (!eval(in, cl->kids[1], &seq, e))
        return false;
    Iter it;
    bool ok = iter_init(in, &seq, &it, e) || locate(cl->kids[1], e);
    value_free(&seq);
    if (!ok)
        return false;
    Value item;
    int r;
    while (ok && (r = iter_next(in, &it, &item, e)) == 1) {
        ok = assign_target(in, cl->kids[0], item, e) && comp_loop(in, comp, k + 1, acc, e);
        if (ok && in->interrupted && *in->interrupted) {
            *in->interrupted = 0;
            ok = fail_at(comp, e, ERROR_INTERRUPT, "interrupted");
        }
    }
    if (ok && r < 0)
        ok = locate(cl, e);
    iter_free(&it);
    return ok;
}

static bool eval_comprehension(Interp *in, const Node *n, Value *out, Error *e)
{
    Frame *f = frame_new(n->fscope, in->frame, "comprehension", e);
    if (!f)
        return locate(n, e);
    bool ok = n->kind == NODE_DICTCOMP ? value_dict(out, e) : value_list(out, VALUE_LIST, 0, e);
    if (!ok) {
        frame_release(f);
        return locate(n, e);
    }
    Frame *saved = in->frame;
    bool saved_record = in->record;
    in->frame = f;
    in->record = saved_record && n->fscope->uses_grad;
    size_t first = n->kind == NODE_DICTCOMP ? 2 : 1;
    ok = comp_loop(in, n, first, out, e);
    in->frame = saved;
    in->record = saved_record;
    frame_release(f);
    if (!ok)
        value_free(out);
    return ok;
}

/* --- operators ---------------------------------------------------------------------------------- */

bool arith_binary(Interp *in, int op, const Value *a, const Value *b, Value *out, Error *e);
bool arith_unary(Interp *in, int op, const Value *a, Value *out, Error *e);
bool arith_compare(Interp *in, int op, const Value *a, const Value *b, Value *out, Error *e);

static const GraphOp graph_ops[] = {
    [TOKEN_PLUS] = GRAPH_ADD, [TOKEN_MINUS] = GRAPH_SUB, [TOKEN_STAR] = GRAPH_MUL,
    [TOKEN_SLASH] = GRAPH_DIV, [TOKEN_POW] = GRAPH_POW, [TOKEN_AT] = GRAPH_MATMUL,
};

static bool eval_binary(Interp *in, const Node *n, Value *out, Error *e)
{
    Value a, b;
    if (!eval(in, n->kids[0], &a, e))
        return false;
    if (!eval(in, n->kids[1], &b, e)) {
        value_free(&a);
        return false;
    }
    bool ok = arith_binary(in, n->op, &a, &b, out, e) || locate(n, e);
    GNode *made;
    if (ok && in->record && (size_t)n->op < sizeof graph_ops / sizeof graph_ops[0] && graph_ops[n->op])
        ok = record(in, graph_ops[n->op], n->kids[0], &a, n->kids[1], &b, out, &made, e) || locate(n, e);
    else if (ok && in->record)
        ok = record_nodiff(in, arith_op_name(n->op), n->kids[0], &a, n->kids[1], &b, out, e) || locate(n, e);
    value_free(&a);
    value_free(&b);
    return ok;
}

static bool eval_unary(Interp *in, const Node *n, Value *out, Error *e)
{
    Value v;
    if (!eval(in, n->kids[0], &v, e))
        return false;
    bool ok = arith_unary(in, n->op, &v, out, e) || locate(n, e);
    if (ok && n->op == TOKEN_MINUS) {
        GNode *made;
        ok = record(in, GRAPH_NEG, n->kids[0], &v, NULL, NULL, out, &made, e) || locate(n, e);
    } else if (ok && n->op == TOKEN_PLUS && v.graph && !out->graph) {
        out->graph = graph_retain(v.graph);
    }
    value_free(&v);
    return ok;
}

static bool eval_compare(Interp *in, const Node *n, Value *out, Error *e)
{
    Value left;
    if (!eval(in, n->kids[0], &left, e))
        return false;
    *out = value_none();
    for (size_t i = 1; i < n->nkids; i++) {
        Value right;
        if (!eval(in, n->kids[i], &right, e)) {
            value_free(&left);
            value_free(out);
            return false;
        }
        Value r;
        bool ok = arith_compare(in, n->ops[i - 1], &left, &right, &r, e) || locate(n, e);
        /* A comparison passes no gradient back; grad names it where a cost
         * depends on a variable only through one. */
        if (ok && in->record)
            ok = record_nodiff(in, arith_op_name(n->ops[i - 1]), n->kids[i - 1], &left, n->kids[i], &right, &r, e)
                 || locate(n, e);
        value_free(&left);
        left = right;
        if (!ok) {
            value_free(&left);
            value_free(out);
            return false;
        }
        value_free(out);
        *out = r;
        if (n->nkids > 2 && i + 1 < n->nkids) {
            bool t;
            if (!value_truth(&r, &t, e)) {
                value_free(&left);
                value_free(out);
                return locate(n, e);
            }
            if (!t)
                break;      /* a < b < c stops at the first false */
        }
    }
    value_free(&left);
    return true;
}

static bool eval_bool(Interp *in, const Node *n, Value *out, Error *e)
{
    bool want = n->kind == NODE_OR;
    for (size_t i = 0; i < n->nkids; i++) {
        if (!eval(in, n->kids[i], out, e))
            return false;
        if (i + 1 == n->nkids)
            return true;
        bool t;
        if (!value_truth(out, &t, e)) {
            value_free(out);
            return locate(n->kids[i], e);
        }
        if (t == want)
            return true;
        value_free(out);
    }
    return true;
}

/* --- eval ------------------------------------------------------------------------------------------- */

static bool eval_full(Interp *in, const Node *n, Value *out, char **show, Error *e)
{
    *out = value_none();
    switch (n->kind) {
    case NODE_NUMBER:
        *out = n->is_int ? value_int(n->integer) : value_number(n->number);
        return true;
    case NODE_STRING:
        return value_string(out, n->text, n->len, e) || locate(n, e);
    case NODE_FSTRING:
        return eval_fstring(in, n, out, e);
    case NODE_CONST:
        *out = n->op == CONST_NONE ? value_none() : value_bool(n->op == CONST_TRUE);
        return true;
    case NODE_NAME:
        return load_name(in, n, out, e);
    case NODE_LIST:
        return eval_list(in, n, out, e);
    case NODE_ROWS:
        return eval_rows(in, n, out, e);
    case NODE_TUPLE:
        return eval_tuple(in, n, out, e);
    case NODE_DICT:
        return eval_dict(in, n, out, e);
    case NODE_UNARY:
        return eval_unary(in, n, out, e);
    case NODE_NOT: {
        Value v;
        if (!eval(in, n->kids[0], &v, e))
            return false;
        bool t;
        bool ok = value_truth(&v, &t, e) || locate(n, e);
        value_free(&v);
        if (ok)
            *out = value_bool(!t);
        return ok;
    }
    case NODE_BINARY:
        return eval_binary(in, n, out, e);
    case NODE_COMPARE:
        return eval_compare(in, n, out, e);
    case NODE_AND:
    case NODE_OR:
        return eval_bool(in, n, out, e);
    case NODE_IFEXP: {
        Value c;
        if (!eval(in, n->kids[0], &c, e))
            return false;
        bool t;
        bool ok = value_truth(&c, &t, e) || locate(n->kids[0], e);
        value_free(&c);
        return ok && eval_full(in, n->kids[t ? 1 : 2], out, show, e);
    }
    case NODE_CALL:
        return eval_call(in, n, out, show, e);
    case NODE_INDEX:
        return eval_index(in, n, out, e);
    case NODE_FIELD:
        return eval_field(in, n, out, e);
    case NODE_LAMBDA:
        return make_def(in, n, out, e);
    case NODE_LISTCOMP:
    case NODE_GENEXP:
    case NODE_DICTCOMP:
        return eval_comprehension(in, n, out, e);
    case NODE_KWARG:
        return fail_at(n, e, ERROR_SYNTAX, "'%s=' only makes sense inside a call's parentheses", n->text);
    case NODE_SLICE:
        return fail_at(n, e, ERROR_SYNTAX, "':' only makes sense inside an index, as in M[:, 0]");
    case NODE_STARRED:
        return fail_at(n, e, ERROR_SYNTAX, "*unpacking is only allowed in a call's arguments");
    case NODE_ELLIPSIS:
        return fail_at(n, e, ERROR_SYNTAX, "'...' only makes sense inside an index");
    default:
        return fail_at(n, e, ERROR_SYNTAX, "this is a statement, not a value");
    }
}

bool eval(Interp *in, const Node *n, Value *out, Error *e)
{
    return eval_full(in, n, out, NULL, e);
}

/* The value of an expression statement, with the text a builtin asked to
 * show instead (backward, learn). */
bool eval_shown(Interp *in, const Node *n, Value *out, char **show, Error *e)
{
    return eval_full(in, n, out, show, e);
}

/* a op= b: in place for arrays and lists (as Python and numpy do), else a
 * new value bound to the target. */
bool eval_augassign(Interp *in, const Node *n, Error *e)
{
    const Node *target = n->kids[0];
    Value rhs;
    if (!eval(in, n->kids[1], &rhs, e))
        return false;
    Value cur;
    if (target->kind == NODE_NAME) {
        if (!load_name(in, target, &cur, e)) {
            value_free(&rhs);
            return false;
        }
    } else if (!eval(in, target, &cur, e)) {
        value_free(&rhs);
        return false;
    }
    bool ok = true, done = false;
    if (cur.kind == VALUE_TENSOR && target->kind != NODE_INDEX) {
        ok = arith_inplace(in, n->op, &cur, &rhs, &done, e) || locate(n, e);
        if (ok && done) {
            Var *var = root_var(in, target);
            if (var) {
                var->version = ++in->versions;
                if (var->value.kind == VALUE_TENSOR && var->value.as.tensor == cur.as.tensor) {
                    graph_release(var->value.graph);
                    var->value.graph = NULL;
                }
            }
        }
    } else if (cur.kind == VALUE_LIST && n->op == TOKEN_PLUS) {
        /* list += iterable extends the list itself */
        Iter it;
        bool started = iter_init(in, &rhs, &it, e);
        ok = started || locate(n->kids[1], e);
        /* xs += xs reads xs as it was, as Python does: not for ever. */
        size_t stop = rhs.kind == VALUE_LIST && rhs.as.list == cur.as.list ? cur.as.list->n : SIZE_MAX;
        Value item;
        int r = 0;
        for (size_t k = 0; ok && k < stop && (r = iter_next(in, &it, &item, e)) == 1; k++)
            ok = list_push(&cur, item, e);
        if (started)
            iter_free(&it);
        ok = (ok && r >= 0) || locate(n, e);
        Var *var = ok ? root_var(in, target) : NULL;
        if (var)
            var->version = ++in->versions;
        done = true;
    }
    if (ok && !done) {
        Value r;
        ok = arith_binary(in, n->op, &cur, &rhs, &r, e) || locate(n, e);
        GNode *made;
        if (ok && in->record && (size_t)n->op < sizeof graph_ops / sizeof graph_ops[0] && graph_ops[n->op])
            ok = record(in, graph_ops[n->op], target, &cur, n->kids[1], &rhs, &r, &made, e) || locate(n, e);
        else if (ok && in->record)
            ok = record_nodiff(in, arith_op_name(n->op), target, &cur, n->kids[1], &rhs, &r, e) || locate(n, e);
        if (ok)
            ok = assign_target(in, target, r, e);
    }
    value_free(&cur);
    value_free(&rhs);
    return ok;
}
