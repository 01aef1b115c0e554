/* interp.c - evaluating statements: variables, operators, calls, indexing,
 * assignment, and running chunks and files. */
#include "nudge/interp.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "nudge/builtins.h"
#include "nudge/commands.h"
#include "nudge/graph.h"
#include "nudge/mem.h"
#include "nudge/text.h"

static bool eval(Interp *in, const Node *n, Value *out, Error *e);

/* --- setup --------------------------------------------------------------- */

void interp_init(Interp *in, WriteFn write, void *ctx)
{
    memset(in, 0, sizeof *in);
    in->write = write;
    in->write_ctx = ctx;
    in->format = FORMAT_SHORT;
    rng_init(&in->rng, 0);
    size_t n;
    const Command *core = commands_core(&n);
    interp_add_commands(in, core, n);
}

/* A variable as it was before a builtin changed it in place. */
typedef struct Undo {
    char *name;
    Value before;
    unsigned long version;
} Undo;

static void undo_drop(Interp *in, size_t mark);

void interp_free(Interp *in)
{
    undo_drop(in, 0);
    mem_free(in->undo);
    in->undo = NULL;
    in->capundo = 0;
    for (size_t i = 0; i < in->nvars; i++) {
        mem_free(in->vars[i].name);
        value_free(&in->vars[i].value);
    }
    mem_free(in->vars);
    mem_free(in->losses);
    in->vars = NULL;
    in->nvars = in->cap = 0;
    in->losses = NULL;
    in->nlosses = in->caplosses = 0;
}

bool interp_add_commands(Interp *in, const Command *rows, size_t n)
{
    if (in->ntables >= INTERP_MAX_TABLES)
        return false;
    in->tables[in->ntables].rows = rows;
    in->tables[in->ntables].n = n;
    in->ntables++;
    return true;
}

const Command *interp_find_command(const Interp *in, const char *word, size_t len)
{
    for (size_t t = in->ntables; t-- > 0;)
        for (size_t i = 0; i < in->tables[t].n; i++) {
            const Command *c = &in->tables[t].rows[i];
            if (strlen(c->name) == len && !memcmp(c->name, word, len))
                return c;
        }
    return NULL;
}

static int is_command(void *ctx, const char *word, size_t len)
{
    const Interp *in = ctx;
    if (!interp_find_command(in, word, len))
        return 0;
    char name[64];
    if (len >= sizeof name)
        return 1;
    memcpy(name, word, len);
    name[len] = '\0';
    return interp_get(in, name) ? 2 : 1;
}

void interp_write(Interp *in, const char *text)
{
    if (in->write)
        in->write(in->write_ctx, text, strlen(text));
}

void interp_printf(Interp *in, const char *fmt, ...)
{
    Text t = {0};
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof buf) {
        interp_write(in, buf);
        return;
    }
    if (!text_reserve(&t, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(t.s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    interp_write(in, t.s);
    text_free(&t);
}

bool interp_interrupted(Interp *in)
{
    if (in->interrupted && *in->interrupted) {
        *in->interrupted = 0;
        return true;
    }
    return false;
}

void interp_losses_reset(Interp *in)
{
    in->nlosses = 0;
}

void interp_losses_push(Interp *in, double loss)
{
    if (in->nlosses == in->caplosses) {
        size_t cap = in->caplosses ? in->caplosses * 2 : 1024;
        double *p = mem_realloc(in->losses, cap, sizeof *p);
        if (!p)
            return;     /* the curve is a convenience: drop points, not the run */
        in->losses = p;
        in->caplosses = cap;
    }
    in->losses[in->nlosses++] = loss;
}

/* --- variables ----------------------------------------------------------- */

static Var *global_var(const Interp *in, const char *name)
{
    for (size_t i = 0; i < in->nvars; i++)
        if (!strcmp(in->vars[i].name, name))
            return &in->vars[i];
    return NULL;
}

static Var *find_var(const Interp *in, const char *name)
{
    for (const Frame *f = in->frame; f; f = f->up) {
        for (size_t i = 0; i < f->n; i++)
            if (!strcmp(f->vars[i].name, name))
                return &f->vars[i];
        break;      /* only the innermost call's parameters are visible */
    }
    return global_var(in, name);
}

/* --- putting variables back ---------------------------------------------- */

/* A statement that fails changes no variable, yet learn() and train()
 * update the model a variable holds in place, before the statement is
 * over.  So they keep a copy of it first, and a failing statement puts
 * every copy back; a statement that succeeds drops them. */

/* Keeps a copy of the global variable name (at v) unless the running
 * statement already kept one.  False (out of memory) when it cannot: the
 * builtin must then not run. */
static bool undo_keep(Interp *in, const char *name, const Value *v, Error *e)
{
    Var *gv = global_var(in, name);
    if (!gv || &gv->value != v)
        return true;            /* a parameter of an @(...) or a temporary: nothing to put back */
    for (size_t i = in->undo_mark; i < in->nundo; i++)
        if (!strcmp(in->undo[i].name, name))
            return true;
    if (in->nundo == in->capundo) {
        size_t cap = in->capundo ? 2 * in->capundo : 4;
        Undo *grown = mem_realloc(in->undo, cap, sizeof *grown);
        if (!grown)
            return error_nomem(e, "undo");
        in->undo = grown;
        in->capundo = cap;
    }
    Undo *u = &in->undo[in->nundo];
    u->name = mem_strdup(name);
    if (!u->name)
        return error_nomem(e, "undo");
    if (!value_copy(&u->before, v, e)) {
        mem_free(u->name);
        return false;
    }
    u->version = gv->version;
    in->nundo++;
    return true;
}

/* Forgets the copies from mark on (the statement succeeded). */
static void undo_drop(Interp *in, size_t mark)
{
    while (in->nundo > mark) {
        Undo *u = &in->undo[--in->nundo];
        mem_free(u->name);
        value_free(&u->before);
    }
}

/* Puts the variables kept from mark on back, newest first (the statement
 * failed).  Allocates nothing, so it cannot fail. */
static void undo_restore(Interp *in, size_t mark)
{
    while (in->nundo > mark) {
        Undo *u = &in->undo[--in->nundo];
        Var *gv = global_var(in, u->name);
        if (gv) {
            value_free(&gv->value);
            gv->value = u->before;
            gv->version = u->version;
        } else {
            value_free(&u->before);
        }
        mem_free(u->name);
    }
}

Value *interp_get(const Interp *in, const char *name)
{
    Var *v = find_var(in, name);
    return v ? &v->value : NULL;
}

unsigned long interp_version(const Interp *in, const char *name)
{
    Var *v = find_var(in, name);
    return v ? v->version : 0;
}

bool interp_set(Interp *in, const char *name, Value v, Error *e)
{
    for (size_t i = 0; i < in->nvars; i++)
        if (!strcmp(in->vars[i].name, name)) {
            value_free(&in->vars[i].value);
            in->vars[i].value = v;
            in->vars[i].version = ++in->versions;
            return true;
        }
    if (in->nvars == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 16;
        Var *p = mem_realloc(in->vars, cap, sizeof *p);
        if (!p) {
            value_free(&v);
            return error_nomem(e, "assign");
        }
        in->vars = p;
        in->cap = cap;
    }
    char *nm = mem_strdup(name);
    if (!nm) {
        value_free(&v);
        return error_nomem(e, "assign");
    }
    in->vars[in->nvars].name = nm;
    in->vars[in->nvars].value = v;
    in->vars[in->nvars].version = ++in->versions;
    in->nvars++;
    return true;
}

bool interp_clear(Interp *in, const char *name)
{
    for (size_t i = 0; i < in->nvars; i++)
        if (!strcmp(in->vars[i].name, name)) {
            mem_free(in->vars[i].name);
            value_free(&in->vars[i].value);
            memmove(&in->vars[i], &in->vars[i + 1], (in->nvars - i - 1) * sizeof *in->vars);
            in->nvars--;
            return true;
        }
    return false;
}

/* --- errors -------------------------------------------------------------- */

static bool fail_at(const Node *n, Error *e, ErrorCode code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static bool fail_at(const Node *n, Error *e, ErrorCode code, const char *fmt, ...)
{
    if (!e)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->code = code;
    e->line = n->line;
    e->col = n->col;
    return false;
}

/* Positions an error that has no position yet at node n. */
static bool locate(const Node *n, Error *e)
{
    if (e && e->col == 0) {
        e->line = n->line;
        e->col = n->col;
    }
    return false;
}

static const char *closest_name(const Interp *in, const char *name)
{
    const char *best = NULL;
    size_t best_d = strlen(name) <= 3 ? 1 : 2;
    best_d++;
    for (size_t i = 0; i < in->nvars; i++) {
        size_t d = text_edit_distance(name, in->vars[i].name);
        if (d < best_d) {
            best_d = d;
            best = in->vars[i].name;
        }
    }
    size_t n;
    const Builtin *t = builtin_table(&n);
    for (size_t i = 0; i < n; i++) {
        size_t d = text_edit_distance(name, t[i].name);
        if (d < best_d) {
            best_d = d;
            best = t[i].name;
        }
    }
    return best;
}

static bool unknown_name(const Interp *in, const Node *n, Error *e)
{
    const char *near = closest_name(in, n->text);
    if (near)
        return fail_at(n, e, ERROR_NAME, "unknown name '%s' (did you mean '%s'?)", n->text, near);
    return fail_at(n, e, ERROR_NAME, "unknown name '%s'", n->text);
}

/* --- literals ------------------------------------------------------------ */

/* [a, b, c]: numbers make a vector; vectors of one length make a matrix. */
static bool eval_list(Interp *in, const Node *n, Value *out, Error *e)
{
    size_t count = n->nkids;
    if (count == 0) {
        Tensor *t = tensor_vector(0, e);
        if (!t)
            return locate(n, e);
        *out = value_tensor(t);
        return true;
    }
    Value *items = mem_calloc(count, sizeof *items);
    if (!items)
        return error_nomem(e, "list"), locate(n, e);
    bool ok = true;
    for (size_t i = 0; i < count && ok; i++)
        ok = eval(in, n->kids[i], &items[i], e);
    Tensor *t = NULL;
    if (ok) {
        ValueKind k = items[0].kind;
        if (k == VALUE_NUMBER) {
            for (size_t i = 0; i < count && ok; i++)
                if (items[i].kind != VALUE_NUMBER) {
                    char d[64];
                    ok = fail_at(n->kids[i], e, ERROR_TYPE,
                                 "[...]: element %zu is %s, but the first is a number", i,
                                 value_describe(&items[i], d, sizeof d));
                }
            if (ok && (t = tensor_vector(count, e)))
                for (size_t i = 0; i < count; i++)
                    t->data[i] = items[i].as.number;
        } else if (k == VALUE_TENSOR && items[0].as.tensor->ndim == 1) {
            size_t len = items[0].as.tensor->cols;
            for (size_t i = 0; i < count && ok; i++) {
                const Value *v = &items[i];
                if (v->kind != VALUE_TENSOR || v->as.tensor->ndim != 1) {
                    char d[64];
                    ok = fail_at(n->kids[i], e, ERROR_TYPE, "[...]: row %zu is %s, but row 0 is a vector", i,
                                 value_describe(v, d, sizeof d));
                } else if (v->as.tensor->cols != len) {
                    ok = fail_at(n->kids[i], e, ERROR_SHAPE,
                                 "[...]: row %zu has %zu values, but row 0 has %zu", i, v->as.tensor->cols, len);
                }
            }
            if (ok && (t = tensor_matrix(count, len, e)))
                for (size_t i = 0; i < count; i++)
                    if (len)
                        memcpy(t->data + i * len, items[i].as.tensor->data, len * sizeof *t->data);
        } else {
            char d[64];
            ok = fail_at(n->kids[0], e, ERROR_TYPE,
                         "[...]: elements must be numbers, or vectors to make rows, not %s",
                         value_describe(&items[0], d, sizeof d));
        }
    }
    for (size_t i = 0; i < count; i++)
        value_free(&items[i]);
    mem_free(items);
    if (!ok)
        return false;
    if (!t)
        return locate(n, e);
    *out = value_tensor(t);
    return true;
}

/* [a, b; c, d]: rows of numbers (or of vectors joined end to end). */
static bool eval_rows(Interp *in, const Node *n, Value *out, Error *e)
{
    Text buf = {0};     /* the numbers, collected as raw doubles */
    size_t cols = 0;
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
            if (v.kind == VALUE_NUMBER) {
                text_append(&buf, (const char *)&v.as.number, sizeof(double));
                here++;
            } else if (v.kind == VALUE_TENSOR && (v.as.tensor->ndim == 1 || v.as.tensor->rows == 1)) {
                text_append(&buf, (const char *)v.as.tensor->data, tensor_size(v.as.tensor) * sizeof(double));
                here += tensor_size(v.as.tensor);
            } else {
                char d[64];
                ok = fail_at(row->kids[i], e, ERROR_TYPE, "[...; ...]: a row holds numbers or vectors, not %s",
                             value_describe(&v, d, sizeof d));
            }
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
    *out = value_tensor(t);
    return true;
}

/* --- operators ----------------------------------------------------------- */

static double op_add(double a, double b) { return a + b; }
static double op_sub(double a, double b) { return a - b; }
static double op_mul(double a, double b) { return a * b; }
static double op_div(double a, double b) { return a / b; }
static double op_lt(double a, double b) { return a < b; }
static double op_le(double a, double b) { return a <= b; }
static double op_gt(double a, double b) { return a > b; }
static double op_ge(double a, double b) { return a >= b; }
static double op_eq(double a, double b) { return a == b; }
static double op_ne(double a, double b) { return a != b; }

typedef struct BinaryOp {
    TensorFn2 fn;
    const char *spelling;
} BinaryOp;

static const BinaryOp binary_ops[] = {
    [TOKEN_PLUS] = { op_add, "+" }, [TOKEN_MINUS] = { op_sub, "-" },
    [TOKEN_STAR] = { op_mul, "*" }, [TOKEN_SLASH] = { op_div, "/" },
    [TOKEN_POW] = { pow, "**" },    [TOKEN_AT] = { NULL, "@" },
    [TOKEN_LT] = { op_lt, "<" },    [TOKEN_LE] = { op_le, "<=" },
    [TOKEN_GT] = { op_gt, ">" },    [TOKEN_GE] = { op_ge, ">=" },
    [TOKEN_EQ] = { op_eq, "==" },   [TOKEN_NE] = { op_ne, "!=" },
};

static bool matmul_values(const Node *n, const Value *a, const Value *b, Value *out, Error *e)
{
    if (a->kind != VALUE_TENSOR || b->kind != VALUE_TENSOR) {
        char da[64], db[64];
        return fail_at(n, e, ERROR_TYPE, "@: multiplies matrices and vectors, not %s and %s (use * for a number)",
                       value_describe(a, da, sizeof da), value_describe(b, db, sizeof db));
    }
    const Tensor *x = a->as.tensor, *y = b->as.tensor;
    if (x->ndim == 1 && y->ndim == 1) {
        double d;
        if (!tensor_dot(x, y, &d, e)) {
            /* "dot: vectors have different lengths" reads as "@: ..." here. */
            char msg[ERROR_MSG_MAX];
            snprintf(msg, sizeof msg, "@: vectors have different lengths (%zu and %zu)", x->cols, y->cols);
            return fail_at(n, e, ERROR_SHAPE, "%s", msg);
        }
        *out = value_number(d);
        return true;
    }
    Tensor *t = tensor_matmul(x, y, e);
    if (!t)
        return locate(n, e);
    *out = value_tensor(t);
    return true;
}

static bool binary_values(const Node *n, TokenType op, const Value *a, const Value *b, Value *out, Error *e)
{
    if (op == TOKEN_AT)
        return matmul_values(n, a, b, out, e);
    const BinaryOp *bo = &binary_ops[op];
    bool ta = a->kind == VALUE_TENSOR, tb = b->kind == VALUE_TENSOR;
    if ((!ta && a->kind != VALUE_NUMBER) || (!tb && b->kind != VALUE_NUMBER)) {
        char da[64], db[64];
        return fail_at(n, e, ERROR_TYPE, "%s: works on numbers, vectors and matrices, not %s and %s", bo->spelling,
                       value_describe(a, da, sizeof da), value_describe(b, db, sizeof db));
    }
    Tensor *t;
    if (!ta && !tb) {
        *out = value_number(bo->fn(a->as.number, b->as.number));
        return true;
    }
    if (ta && tb)
        t = tensor_zip(a->as.tensor, b->as.tensor, bo->fn, bo->spelling, e);
    else if (ta)
        t = tensor_scalar(a->as.tensor, b->as.number, bo->fn, false, e);
    else
        t = tensor_scalar(b->as.tensor, a->as.number, bo->fn, true, e);
    if (!t)
        return locate(n, e);
    *out = value_tensor(t);
    return true;
}

static double op_neg(double x) { return -x; }

static bool record(const Interp *in, GraphOp op, const Node *an, const Value *a, const Node *bn, const Value *b,
                   Value *out, GNode **made, Error *e);

static bool eval_unary(Interp *in, const Node *n, Value *out, Error *e)
{
    Value v;
    if (!eval(in, n->kids[0], &v, e))
        return false;
    if (n->op == TOKEN_PLUS && (v.kind == VALUE_NUMBER || v.kind == VALUE_TENSOR)) {
        *out = v;
        return true;
    }
    if (v.kind == VALUE_NUMBER) {
        *out = value_number(-v.as.number);
        GNode *made;
        bool ok = record(in, GRAPH_NEG, n->kids[0], &v, NULL, NULL, out, &made, e);
        value_free(&v);
        return ok || locate(n, e);
    }
    if (v.kind == VALUE_TENSOR) {
        Tensor *t = tensor_map(v.as.tensor, op_neg, e);
        if (!t) {
            value_free(&v);
            return locate(n, e);
        }
        *out = value_tensor(t);
        GNode *made;
        bool ok = record(in, GRAPH_NEG, n->kids[0], &v, NULL, NULL, out, &made, e);
        value_free(&v);
        return ok || locate(n, e);
    }
    char d[64];
    fail_at(n, e, ERROR_TYPE, "-: negates numbers, vectors and matrices, not %s", value_describe(&v, d, sizeof d));
    value_free(&v);
    return false;
}

/* A borrowed view of a node's value: variables are not copied. */
typedef struct Operand {
    Value temp;
    const Value *v;
} Operand;

static bool operand(Interp *in, const Node *n, Operand *o, Error *e)
{
    o->temp = value_none();
    if (n->kind == NODE_NAME) {
        Value *v = interp_get(in, n->text);
        if (v) {
            o->v = v;
            return true;
        }
    }
    if (!eval(in, n, &o->temp, e))
        return false;
    o->v = &o->temp;
    return true;
}

/* The history of an operand: its own, or a new leaf (tagged with the
 * variable when the operand is a variable's name).  A new reference, or
 * NULL for values that are not numbers or tensors. */
static GNode *history_of(const Interp *in, const Node *ast, const Value *v)
{
    if (v->graph)
        return graph_retain(v->graph);
    if (v->kind != VALUE_NUMBER && v->kind != VALUE_TENSOR)
        return NULL;
    const char *name = ast && ast->kind == NODE_NAME && find_var(in, ast->text) ? ast->text : NULL;
    return graph_leaf(v->kind == VALUE_TENSOR ? v->as.tensor : NULL, v->as.number, name,
                      name ? interp_version(in, name) : 0);
}

static bool is_numeric(const Value *v)
{
    return v->kind == VALUE_NUMBER || v->kind == VALUE_TENSOR;
}

/* Gives out the history "op applied to a and b" (NULL in *made when a
 * value is not a number or a tensor).  Failing to record it for want of
 * memory fails the computation, and frees out: a value that silently lost
 * its history would make a later grad blame the student. */
static bool record(const Interp *in, GraphOp op, const Node *an, const Value *a, const Node *bn, const Value *b,
                   Value *out, GNode **made, Error *e)
{
    *made = NULL;
    graph_release(out->graph);
    out->graph = NULL;
    if (!is_numeric(out) || !is_numeric(a) || (b && !is_numeric(b)))
        return true;
    GNode *ga = history_of(in, an, a), *gb = b ? history_of(in, bn, b) : NULL;
    if (ga && (!b || gb))
        out->graph = graph_node(op, ga, gb, out->kind == VALUE_TENSOR ? out->as.tensor : NULL, out->as.number);
    graph_release(ga);
    graph_release(gb);
    if (!out->graph) {
        value_free(out);
        return error_nomem(e, NULL);
    }
    *made = out->graph;
    return true;
}

static const GraphOp graph_ops[] = {
    [TOKEN_PLUS] = GRAPH_ADD, [TOKEN_MINUS] = GRAPH_SUB, [TOKEN_STAR] = GRAPH_MUL,
    [TOKEN_SLASH] = GRAPH_DIV, [TOKEN_POW] = GRAPH_POW, [TOKEN_AT] = GRAPH_MATMUL,
};

static bool eval_binary(Interp *in, const Node *n, Value *out, Error *e)
{
    Operand a, b;
    if (!operand(in, n->kids[0], &a, e))
        return false;
    if (!operand(in, n->kids[1], &b, e)) {
        value_free(&a.temp);
        return false;
    }
    bool ok = binary_values(n, n->op, a.v, b.v, out, e);
    GNode *made;
    if (ok && (size_t)n->op < sizeof graph_ops / sizeof graph_ops[0] && graph_ops[n->op])
        ok = record(in, graph_ops[n->op], n->kids[0], a.v, n->kids[1], b.v, out, &made, e) || locate(n, e);
    value_free(&a.temp);
    value_free(&b.temp);
    return ok;
}

/* --- indexing ------------------------------------------------------------ */

typedef struct Range {
    size_t start, count;
    bool scalar;        /* a single index (drops the axis), not a slice */
} Range;

static bool index_number(Interp *in, const Node *n, double *out, Error *e)
{
    Value v;
    if (!eval(in, n, &v, e))
        return false;
    if (v.kind != VALUE_NUMBER) {
        char d[64];
        fail_at(n, e, ERROR_TYPE, "index: must be a whole number, not %s", value_describe(&v, d, sizeof d));
        value_free(&v);
        return false;
    }
    double x = v.as.number;
    value_free(&v);     /* its history, if any */
    if (x != floor(x) || !isfinite(x))
        return fail_at(n, e, ERROR_ARG, "index: %g is not a whole number", x);
    *out = x;
    return true;
}

/* One index or slice against an axis of length len (negative indices count
 * from the end, as in numpy; slices clamp, as in numpy). */
static bool axis_range(Interp *in, const Node *ix, size_t len, const char *axis, const char *shape, Range *r, Error *e)
{
    if (ix->kind == NODE_SLICE) {
        double lo = 0, hi = (double)len;
        if (ix->kids[0] && !index_number(in, ix->kids[0], &lo, e))
            return false;
        if (ix->kids[1] && !index_number(in, ix->kids[1], &hi, e))
            return false;
        if (lo < 0)
            lo += (double)len;
        if (hi < 0)
            hi += (double)len;
        lo = lo < 0 ? 0 : lo > (double)len ? (double)len : lo;
        hi = hi < lo ? lo : hi > (double)len ? (double)len : hi;
        r->start = (size_t)lo;
        r->count = (size_t)(hi - lo);
        r->scalar = false;
        return true;
    }
    double i;
    if (!index_number(in, ix, &i, e))
        return false;
    double k = i < 0 ? i + (double)len : i;
    if (k < 0 || k >= (double)len) {
        if (len == 0)
            return fail_at(ix, e, ERROR_ARG, "index %g is out of range: the %s is empty", i, axis);
        return fail_at(ix, e, ERROR_ARG, "index %g is out of range for %s %s (0 to %zu, or -%zu to -1)", i,
                       axis, shape, len - 1, len);
    }
    r->start = (size_t)k;
    r->count = 1;
    r->scalar = true;
    return true;
}

/* Works out the rows and columns an index expression selects. */
static bool index_ranges(Interp *in, const Node *n, const Tensor *t, Range *rows, Range *cols, Error *e)
{
    char shape[48];
    tensor_shape_str(t, shape, sizeof shape);
    size_t nix = n->nkids - 1;
    if (t->ndim == 1) {
        if (nix > 1)
            return fail_at(n->kids[2], e, ERROR_ARG, "index: a %s vector takes one index, not two", shape);
        rows->start = 0;
        rows->count = 1;
        rows->scalar = true;
        return axis_range(in, n->kids[1], t->cols, "vector", shape, cols, e);
    }
    if (!axis_range(in, n->kids[1], t->rows, "rows of", shape, rows, e))
        return false;
    if (nix == 1) {
        cols->start = 0;
        cols->count = t->cols;
        cols->scalar = false;
        return true;
    }
    return axis_range(in, n->kids[2], t->cols, "columns of", shape, cols, e);
}

static bool index_tensor(Interp *in, const Node *n, const Tensor *t, Value *out, Range *rows_out,
                         Range *cols_out, Error *e)
{
    Range rows, cols;
    if (!index_ranges(in, n, t, &rows, &cols, e))
        return false;
    *rows_out = rows;
    *cols_out = cols;
    if (rows.scalar && cols.scalar) {
        *out = value_number(tensor_at(t, rows.start, cols.start));
        return true;
    }
    /* One scalar index drops its axis, as numpy does: M[0] is a row vector,
     * M[:, 0] a column read as a vector. */
    int ndim = rows.scalar || cols.scalar || t->ndim == 1 ? 1 : 2;
    size_t outr = ndim == 1 ? 1 : rows.count, outc = ndim == 1 ? (rows.scalar ? cols.count : rows.count) : cols.count;
    Tensor *r = tensor_new(ndim, outr, outc, e);
    if (!r)
        return locate(n, e);
    size_t k = 0;
    for (size_t i = 0; i < rows.count; i++)
        for (size_t j = 0; j < cols.count; j++)
            r->data[k++] = tensor_at(t, rows.start + i, cols.start + j);
    *out = value_tensor(r);
    return true;
}

static bool eval_index(Interp *in, const Node *n, Value *out, Error *e)
{
    Operand o;
    if (!operand(in, n->kids[0], &o, e))
        return false;
    bool ok;
    if (o.v->kind != VALUE_TENSOR) {
        char d[64];
        ok = fail_at(n, e, ERROR_TYPE, "index: only vectors and matrices can be indexed, not %s",
                     value_describe(o.v, d, sizeof d));
    } else {
        Range rows, cols;
        ok = index_tensor(in, n, o.v->as.tensor, out, &rows, &cols, e);
        GNode *made = NULL;
        if (ok)
            ok = record(in, GRAPH_INDEX, n->kids[0], o.v, NULL, NULL, out, &made, e) || locate(n, e);
        if (made) {
            out->graph->r0 = rows.start;
            out->graph->rn = rows.count;
            out->graph->c0 = cols.start;
            out->graph->cn = cols.count;
        }
    }
    value_free(&o.temp);
    return ok;
}

/* --- fields -------------------------------------------------------------- */

static const char *const mlp_fields = "W1 W2 b1 b2";

/* Reads a field into *out (a copy). */
static bool field_value(const Node *n, const Value *v, const char *name, Value *out, Error *e)
{
    char d[64];
    if (v->kind == VALUE_TENSOR) {
        if (!strcmp(name, "T")) {
            Tensor *t = tensor_transpose(v->as.tensor, e);
            if (!t)
                return locate(n, e);
            *out = value_tensor(t);
            return true;
        }
        if (!strcmp(name, "shape")) {
            const Tensor *x = v->as.tensor;
            Tensor *t = x->ndim == 1 ? tensor_from(1, 1, 1, (double[]){ (double)x->cols }, e)
                                     : tensor_from(1, 1, 2, (double[]){ (double)x->rows, (double)x->cols }, e);
            if (!t)
                return locate(n, e);
            *out = value_tensor(t);
            return true;
        }
        return fail_at(n, e, ERROR_NAME, "%s has no field '%s' (try .T or .shape)", value_describe(v, d, sizeof d), name);
    }
    if (v->kind == VALUE_PERCEPTRON) {
        if (!strcmp(name, "w"))
            return value_copy(out, &(Value){ VALUE_TENSOR, { .tensor = v->as.perceptron->w }, NULL }, e) || locate(n, e);
        if (!strcmp(name, "lr")) {
            *out = value_number(v->as.perceptron->lr);
            return true;
        }
        return fail_at(n, e, ERROR_NAME, "a perceptron has fields w and lr, not '%s'", name);
    }
    if (v->kind == VALUE_MLP) {
        for (int w = MLP_W1; w <= MLP_B2; w++)
            if (!strcmp(name, mlp_param_name(w))) {
                const Tensor *t = mlp_param(v->as.mlp, w);
                if (!t)
                    return fail_at(n, e, ERROR_NAME, "this net has no %s (make it with bias=1)", name);
                return value_copy(out, &(Value){ VALUE_TENSOR, { .tensor = (Tensor *)t }, NULL }, e) || locate(n, e);
            }
        return fail_at(n, e, ERROR_NAME, "an mlp has fields %s, not '%s'",
                       v->as.mlp->bias ? mlp_fields : "W1 W2", name);
    }
    if (v->kind == VALUE_RECORD) {
        const Value *f = record_get(v, name);
        if (f)
            return value_copy(out, f, e) || locate(n, e);
        return fail_at(n, e, ERROR_NAME, "this record has no field '%s'", name);
    }
    return fail_at(n, e, ERROR_TYPE, "%s has no fields", value_describe(v, d, sizeof d));
}

static bool eval_field(Interp *in, const Node *n, Value *out, Error *e)
{
    Operand o;
    if (!operand(in, n->kids[0], &o, e))
        return false;
    bool ok = field_value(n, o.v, n->text, out, e);
    GNode *made;
    if (ok && o.v->kind == VALUE_TENSOR && !strcmp(n->text, "T"))
        ok = record(in, GRAPH_TRANSPOSE, n->kids[0], o.v, NULL, NULL, out, &made, e) || locate(n, e);
    value_free(&o.temp);
    return ok;
}

/* --- calls --------------------------------------------------------------- */

static void args_free(Args *a, Value *temps)
{
    for (size_t i = 0; i < a->n; i++)
        value_free(&temps[i]);
    for (size_t i = 0; i < a->nkw; i++)
        value_free(&a->kw[i]);
    mem_free(temps);
    mem_free(a->v);
    mem_free(a->cols);
    mem_free(a->kwnames);
    mem_free(a->kw);
    mem_free(a->kwcols);
    mem_free(a->names);
    mem_free(a->show);
}

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

static bool call_lambda(Interp *in, const Node *lam, Value *const *args, size_t n, const Node *at, Value *out, Error *e)
{
    size_t np = lam->nkids - 1;
    if (n != np)
        return fail_at(at, e, ERROR_ARG, "%s takes %zu argument%s, not %zu", lam->text ? lam->text : "@(...)", np,
                       np == 1 ? "" : "s", n);
    if (in->call_depth >= INTERP_MAX_CALL_DEPTH)
        return fail_at(at, e, ERROR_LIMIT, "calls nested too deeply (more than %d)", INTERP_MAX_CALL_DEPTH);
    Var *vars = mem_calloc(np ? np : 1, sizeof *vars);
    if (!vars)
        return error_nomem(e, "call"), locate(at, e);
    bool ok = true;
    for (size_t i = 0; i < np && ok; i++) {
        vars[i].name = lam->kids[i]->text;      /* borrowed from the tree */
        ok = value_copy(&vars[i].value, args[i], e);
    }
    if (ok) {
        Frame f = { vars, np, in->frame };
        in->frame = &f;
        in->call_depth++;
        ok = eval(in, lam->kids[np], out, e);
        in->call_depth--;
        in->frame = f.up;
        if (!ok && e && at->col == 0) {
            /* Called from a builtin (numgrad, jacobian): the builtin's call
             * is the place to point at. */
            e->line = e->col = 0;
        } else if (!ok && e && at->col > 0) {
            /* The body's positions belong to where the function was
             * written; point at the call, and say which function failed. */
            if (strncmp(e->msg, "in @(", 5)) {
                char msg[ERROR_MSG_MAX];
                snprintf(msg, sizeof msg, "in %.60s: %.250s", lam->text ? lam->text : "@(...)", e->msg);
                snprintf(e->msg, sizeof e->msg, "%s", msg);
            }
            e->line = at->line;
            e->col = at->col;
        }
    }
    for (size_t i = 0; i < np; i++)
        value_free(&vars[i].value);
    mem_free(vars);
    return ok;
}

static bool call_builtin(Interp *in, const Builtin *b, Args *a, const Node *at, Value *out, Error *e)
{
    if ((int)a->n < b->min_args || (int)a->n > b->max_args) {
        if (b->min_args == b->max_args)
            return fail_at(at, e, ERROR_ARG, "%s takes %d argument%s, not %zu (usage: %s)", b->name, b->min_args,
                           b->min_args == 1 ? "" : "s", a->n, b->usage);
        return fail_at(at, e, ERROR_ARG, "%s takes %d to %d arguments, not %zu (usage: %s)", b->name, b->min_args,
                       b->max_args, a->n, b->usage);
    }
    for (size_t i = 0; i < a->nkw; i++)
        if (!kw_allowed(b->kwargs, a->kwnames[i])) {
            Node where = *at;
            where.col = a->kwcols[i];
            if (b->kwargs && *b->kwargs)
                return fail_at(&where, e, ERROR_ARG, "%s has no option '%s' (it takes: %s)", b->name, a->kwnames[i],
                               b->kwargs);
            return fail_at(&where, e, ERROR_ARG, "%s takes no options, so '%s=' is not allowed", b->name,
                           a->kwnames[i]);
        }
    a->name = b->name;
    a->col = at->col;
    *out = value_none();
    if (builtin_changes_first(b) && a->n >= 1 && a->names && a->names[0] && !undo_keep(in, a->names[0], a->v[0], e))
        return locate(at, e);
    if (!b->fn(in, a, out, e)) {
        value_free(out);
        /* A size limit found deep in the core speaks for this function. */
        if (e && !strncmp(e->msg, "tensor: ", 8)) {
            char msg[ERROR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s: %s", b->name, e->msg + 8);
            snprintf(e->msg, sizeof e->msg, "%s", msg);
        }
        return locate(at, e);
    }
    return true;
}

bool interp_call(Interp *in, const Value *fn, Value *const *args, size_t n, Value *out, Error *e)
{
    Node at = { .line = 0, .col = 0 };
    if (fn->kind == VALUE_LAMBDA)
        return call_lambda(in, fn->as.lambda, args, n, &at, out, e);
    if (fn->kind == VALUE_BUILTIN) {
        Args a = { .v = (Value **)args, .n = n };
        int cols[8] = { 0 };
        a.cols = cols;
        if (n > 8)
            return error_set(e, ERROR_ARG, "%s: too many arguments", fn->as.builtin->name);
        bool ok = call_builtin(in, fn->as.builtin, &a, &at, out, e);
        mem_free(a.show);
        return ok;
    }
    char d[64];
    return error_set(e, ERROR_TYPE, "%s is not a function", value_describe(fn, d, sizeof d));
}

/* Evaluates a call.  show receives text a builtin asked to be shown. */
static bool eval_call(Interp *in, const Node *n, Value *out, char **show, Error *e)
{
    const Node *callee = n->kids[0];
    const Builtin *b = NULL;
    Operand f = { value_none(), NULL };
    if (callee->kind == NODE_NAME) {
        Value *v = interp_get(in, callee->text);
        if (v && v->kind != VALUE_LAMBDA && v->kind != VALUE_BUILTIN) {
            char d[64];
            if (builtin_find(callee->text, strlen(callee->text)))
                return fail_at(callee, e, ERROR_TYPE, "'%s' is %s, not a function (clear %s to use the built-in)",
                               callee->text, value_describe(v, d, sizeof d), callee->text);
            return fail_at(callee, e, ERROR_TYPE, "'%s' is %s, not a function; to index it, use %s[...]",
                           callee->text, value_describe(v, d, sizeof d), callee->text);
        }
        if (v)
            f.v = v;
        else if (!(b = builtin_find(callee->text, strlen(callee->text))))
            return unknown_name(in, callee, e);
    } else {
        if (!operand(in, callee, &f, e))
            return false;
    }
    if (f.v && f.v->kind == VALUE_BUILTIN)
        b = f.v->as.builtin;
    if (!b && f.v->kind != VALUE_LAMBDA) {
        char d[64];
        fail_at(callee, e, ERROR_TYPE, "%s is not a function", value_describe(f.v, d, sizeof d));
        value_free(&f.temp);
        return false;
    }

    size_t nargs = n->nkids - 1;
    Args a = {0};
    Value *temps = mem_calloc(nargs ? nargs : 1, sizeof *temps);
    a.v = mem_calloc(nargs ? nargs : 1, sizeof *a.v);
    a.cols = mem_calloc(nargs ? nargs : 1, sizeof *a.cols);
    a.kwnames = mem_calloc(nargs ? nargs : 1, sizeof *a.kwnames);
    a.kw = mem_calloc(nargs ? nargs : 1, sizeof *a.kw);
    a.kwcols = mem_calloc(nargs ? nargs : 1, sizeof *a.kwcols);
    a.names = mem_calloc(nargs ? nargs : 1, sizeof *a.names);
    bool ok = temps && a.v && a.cols && a.kwnames && a.kw && a.kwcols && a.names;
    if (!ok)
        error_nomem(e, "call"), locate(n, e);
    for (size_t i = 0; i < nargs && ok; i++) {
        const Node *arg = n->kids[i + 1];
        if (arg->kind == NODE_KWARG) {
            for (size_t k = 0; k < a.nkw; k++)
                if (!strcmp(a.kwnames[k], arg->text))
                    ok = fail_at(arg, e, ERROR_ARG, "option '%s' is given twice", arg->text);
            if (!ok)
                break;
            a.kwnames[a.nkw] = arg->text;
            a.kwcols[a.nkw] = arg->col;
            ok = eval(in, arg->kids[0], &a.kw[a.nkw], e);
            if (ok)
                a.nkw++;
            continue;
        }
        Value *var = arg->kind == NODE_NAME ? interp_get(in, arg->text) : NULL;
        if (var) {
            a.v[a.n] = var;
            a.names[a.n] = arg->text;
        } else {
            ok = eval(in, arg, &temps[a.n], e);
            a.v[a.n] = &temps[a.n];
        }
        a.cols[a.n] = arg->col;
        if (ok)
            a.n++;
    }
    if (ok) {
        if (b) {
            ok = call_builtin(in, b, &a, callee, out, e);
            if (ok && show) {
                *show = a.show;
                a.show = NULL;
            }
            int op = ok ? graph_op_of_builtin(b->name) : -1;
            if (op >= 0 && a.n >= 1) {
                const Node *n1 = n->nkids > 1 ? n->kids[1] : NULL, *n2 = n->nkids > 2 ? n->kids[2] : NULL;
                bool two = op == GRAPH_DOT || op == GRAPH_OUTER || op == GRAPH_MSE || op == GRAPH_CE;
                GNode *g;
                ok = record(in, (GraphOp)op, n1, a.v[0], n2, two && a.n > 1 ? a.v[1] : NULL, out, &g, e)
                     || locate(n, e);
                Value *axis = args_kw(&a, "axis");
                if (ok && g && axis && axis->kind == VALUE_NUMBER)
                    g->axis = (int)axis->as.number;
            }
        } else {
            if (a.nkw) {
                Node where = *n;
                where.col = a.kwcols[0];
                ok = fail_at(&where, e, ERROR_ARG, "@(...) functions take no options like '%s='", a.kwnames[0]);
            } else {
                ok = call_lambda(in, f.v->as.lambda, a.v, a.n, callee, out, e);
            }
        }
    }
    if (temps)
        args_free(&a, temps);
    else {
        mem_free(a.v);
        mem_free(a.cols);
        mem_free(a.kwnames);
        mem_free(a.kw);
        mem_free(a.kwcols);
        mem_free(a.names);
    }
    value_free(&f.temp);
    if (ok && !interp_interrupted(in))
        return true;
    if (ok) {
        value_free(out);
        return fail_at(n, e, ERROR_INTERRUPT, "interrupted");
    }
    return false;
}

/* --- eval ---------------------------------------------------------------- */

static bool eval_full(Interp *in, const Node *n, Value *out, char **show, Error *e)
{
    *out = value_none();
    switch (n->kind) {
    case NODE_NUMBER:
        *out = value_number(n->number);
        return true;
    case NODE_STRING:
        return value_string(out, n->text, strlen(n->text), e) || locate(n, e);
    case NODE_NAME: {
        Value *v = interp_get(in, n->text);
        if (v)
            return value_copy(out, v, e) || locate(n, e);
        const Builtin *b = builtin_find(n->text, strlen(n->text));
        if (b) {
            out->kind = VALUE_BUILTIN;
            out->as.builtin = b;
            return true;
        }
        if (!strcmp(n->text, "pi") || !strcmp(n->text, "π")) {
            *out = value_number(3.14159265358979323846);   /* unless a variable is called pi */
            return true;
        }
        return unknown_name(in, n, e);
    }
    case NODE_LIST:
        return eval_list(in, n, out, e);
    case NODE_ROWS:
        return eval_rows(in, n, out, e);
    case NODE_UNARY:
        return eval_unary(in, n, out, e);
    case NODE_BINARY:
        return eval_binary(in, n, out, e);
    case NODE_CALL:
        return eval_call(in, n, out, show, e);
    case NODE_INDEX:
        return eval_index(in, n, out, e);
    case NODE_FIELD:
        return eval_field(in, n, out, e);
    case NODE_LAMBDA: {
        Node *c = ast_clone(n);
        if (!c)
            return error_nomem(e, "function"), locate(n, e);
        out->kind = VALUE_LAMBDA;
        out->as.lambda = c;
        return true;
    }
    case NODE_KWARG:
        return fail_at(n, e, ERROR_SYNTAX, "'%s=' only makes sense inside a call's parentheses", n->text);
    case NODE_SLICE:
        return fail_at(n, e, ERROR_SYNTAX, "':' only makes sense inside an index, as in M[:, 0]");
    }
    return fail_at(n, e, ERROR_SYNTAX, "cannot evaluate this");
}

static bool eval(Interp *in, const Node *n, Value *out, Error *e)
{
    return eval_full(in, n, out, NULL, e);
}

static bool is_blank(const char *s)
{
    for (; *s; s++) {
        if (*s == '#')
            while (s[1] && s[1] != '\n')
                s++;
        else if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    }
    return true;
}

bool interp_run_chunk(Interp *in, const char *chunk, Error *e)
{
    error_clear(e);
    bool ok = true;
    if (in->hooks.chunk && in->hooks.chunk(in->hooks.ctx, in, chunk, &ok, e))
        return ok;
    return is_blank(chunk) || interp_run(in, chunk, e);
}

bool interp_eval_source(Interp *in, const char *src, Value *out, Error *e)
{
    Node *n = ast_parse_expr(src, e);
    if (!n)
        return false;
    bool ok = eval(in, n, out, e);
    ast_free(n);
    return ok;
}

/* --- assignment ---------------------------------------------------------- */

/* Writes v into the selection of an index node on tensor t (in place). */
static bool assign_index(Interp *in, const Node *n, Tensor *t, const Value *v, Error *e)
{
    Range rows, cols;
    if (!index_ranges(in, n, t, &rows, &cols, e))
        return false;
    size_t count = rows.count * cols.count;
    if (v->kind == VALUE_NUMBER) {
        for (size_t i = 0; i < rows.count; i++)
            for (size_t j = 0; j < cols.count; j++)
                t->data[(rows.start + i) * t->cols + cols.start + j] = v->as.number;
        return true;
    }
    if (v->kind != VALUE_TENSOR) {
        char d[64];
        return fail_at(n, e, ERROR_TYPE, "index: can store a number or values, not %s", value_describe(v, d, sizeof d));
    }
    if (tensor_size(v->as.tensor) != count) {
        char d[64];
        return fail_at(n, e, ERROR_SHAPE, "index: the selection holds %zu values but the right side is %s", count,
                       value_describe(v, d, sizeof d));
    }
    size_t k = 0;
    for (size_t i = 0; i < rows.count; i++)
        for (size_t j = 0; j < cols.count; j++)
            t->data[(rows.start + i) * t->cols + cols.start + j] = v->as.tensor->data[k++];
    return true;
}

/* Sets a field of a value held in a copy of the variable. */
static bool assign_field(const Node *n, Value *root, const char *name, Value *v, Error *e)
{
    char d[64];
    if (root->kind == VALUE_PERCEPTRON) {
        Perceptron *p = root->as.perceptron;
        if (!strcmp(name, "lr")) {
            if (v->kind != VALUE_NUMBER)
                return fail_at(n, e, ERROR_TYPE, "lr must be a number, not %s", value_describe(v, d, sizeof d));
            p->lr = v->as.number;
            return true;
        }
        if (!strcmp(name, "w")) {
            if (v->kind != VALUE_TENSOR)
                return fail_at(n, e, ERROR_TYPE, "w must be a vector, not %s", value_describe(v, d, sizeof d));
            if (tensor_size(v->as.tensor) != tensor_size(p->w))
                return fail_at(n, e, ERROR_SHAPE, "w: the perceptron has %zu weights, not %zu (make a new one with perceptron(w=...))",
                               tensor_size(p->w), tensor_size(v->as.tensor));
            memcpy(p->w->data, v->as.tensor->data, tensor_size(p->w) * sizeof(double));
            return true;
        }
        return fail_at(n, e, ERROR_NAME, "a perceptron has fields w and lr, not '%s'", name);
    }
    if (root->kind == VALUE_MLP) {
        for (int w = MLP_W1; w <= MLP_B2; w++)
            if (!strcmp(name, mlp_param_name(w))) {
                if (v->kind != VALUE_TENSOR)
                    return fail_at(n, e, ERROR_TYPE, "%s must be a matrix, not %s", name, value_describe(v, d, sizeof d));
                return mlp_set_param(root->as.mlp, w, v->as.tensor, e) || locate(n, e);
            }
        return fail_at(n, e, ERROR_NAME, "an mlp has fields %s, not '%s'", root->as.mlp->bias ? mlp_fields : "W1 W2", name);
    }
    if (root->kind == VALUE_RECORD) {
        Value *f = record_get(root, name);
        if (f) {
            value_free(f);
            *f = *v;
            *v = value_none();
            return true;
        }
        return record_add(root, name, *v, e) ? (*v = value_none(), true) : locate(n, e);
    }
    return fail_at(n, e, ERROR_TYPE, "%s has no fields to set", value_describe(root, d, sizeof d));
}

/* The tensor behind `name` or `name.field` inside root, for index stores. */
static Tensor *tensor_slot(const Node *n, Value *root, const Node *base, Error *e)
{
    char d[64];
    if (base->kind == NODE_NAME) {
        if (root->kind == VALUE_TENSOR)
            return root->as.tensor;
        fail_at(n, e, ERROR_TYPE, "index: '%s' is %s; only vectors and matrices can be indexed", base->text,
                value_describe(root, d, sizeof d));
        return NULL;
    }
    if (base->kind == NODE_FIELD && base->kids[0]->kind == NODE_NAME) {
        if (root->kind == VALUE_PERCEPTRON && !strcmp(base->text, "w"))
            return root->as.perceptron->w;
        if (root->kind == VALUE_MLP)
            for (int w = MLP_W1; w <= MLP_B2; w++)
                if (!strcmp(base->text, mlp_param_name(w)) && mlp_param(root->as.mlp, w))
                    return mlp_param(root->as.mlp, w);
        if (root->kind == VALUE_RECORD) {
            Value *f = record_get(root, base->text);
            if (f && f->kind == VALUE_TENSOR)
                return f->as.tensor;
        }
        fail_at(base, e, ERROR_NAME, "'%s' has no matrix field '%s' to index", base->kids[0]->text, base->text);
        return NULL;
    }
    fail_at(n, e, ERROR_SYNTAX, "can only assign to name[...] or name.field[...]");
    return NULL;
}

static const Node *root_name(const Node *t)
{
    while (t->kind != NODE_NAME)
        t = t->kids[0];
    return t;
}

/* target = v.  Works on a copy of the variable so that a failure leaves it
 * as it was. */
static bool assign(Interp *in, const Node *target, Value *v, Error *e)
{
    if (target->kind == NODE_NAME) {
        if (in->frame)
            return fail_at(target, e, ERROR_SYNTAX, "cannot assign inside an @(...) function");
        Value keep = *v;
        *v = value_none();
        if (!interp_set(in, target->text, keep, e))
            return locate(target, e);
        /* grad(L, z) can find a computed z by its name. */
        Var *var = find_var(in, target->text);
        graph_tag(var->value.graph, target->text, var->version);
        return true;
    }
    const Node *root = root_name(target);
    Value *cur = interp_get(in, root->text);
    if (!cur)
        return unknown_name(in, root, e);
    if (target->kind == NODE_FIELD && target->kids[0]->kind != NODE_NAME)
        return fail_at(target, e, ERROR_SYNTAX, "can only set a field of a variable, as in net.W1 = ...");
    Value copy;
    if (!value_copy(&copy, cur, e))
        return locate(target, e);
    bool ok;
    if (target->kind == NODE_FIELD) {
        ok = assign_field(target, &copy, target->text, v, e);
    } else {
        Tensor *t = tensor_slot(target, &copy, target->kids[0], e);
        ok = t && assign_index(in, target, t, v, e);
    }
    if (!ok) {
        value_free(&copy);
        return false;
    }
    /* Changed in place: its history no longer describes it. */
    graph_release(copy.graph);
    copy.graph = NULL;
    return interp_set(in, root->text, copy, e) || locate(target, e);
}

/* --- statements ---------------------------------------------------------- */

static void show_value(Interp *in, const char *name, const Value *v)
{
    Error e;
    error_clear(&e);
    char *s = value_show(name, v, in->format, in->width, &e);
    if (s) {
        interp_write(in, s);
        mem_free(s);
    } else {
        interp_write(in, "error: out of memory while printing\n");
    }
}

/* The source text of a target, for "net.W1 = ..." displays. */
static void target_text(const Node *t, Text *out)
{
    if (t->kind == NODE_NAME) {
        text_puts(out, t->text);
    } else if (t->kind == NODE_FIELD) {
        target_text(t->kids[0], out);
        text_printf(out, ".%s", t->text);
    } else {
        target_text(t->kids[0], out);
        text_puts(out, "[...]");
    }
}

static bool run_stmt_body(Interp *in, const Stmt *s, Error *e);

/* Runs one statement: all or nothing, as far as variables go. */
static bool run_stmt(Interp *in, const Stmt *s, Error *e)
{
    size_t outer = in->undo_mark;
    in->undo_mark = in->nundo;
    bool ok = run_stmt_body(in, s, e);
    if (ok)
        undo_drop(in, in->undo_mark);
    else
        undo_restore(in, in->undo_mark);
    in->undo_mark = outer;
    return ok;
}

static bool run_stmt_body(Interp *in, const Stmt *s, Error *e)
{
    if (s->kind == STMT_COMMAND) {
        const Command *c = interp_find_command(in, s->command, strlen(s->command));
        error_clear(e);
        if (c->fn(in, s->arg, e))
            return true;
        if (e && e->col > 0 && e->line <= 1) {
            e->col += s->arg_col - 1;
            e->line = s->line;
        } else if (e && e->col <= 0) {
            /* A complaint about the argument points at it. */
            e->line = s->line;
            e->col = *s->arg ? s->arg_col : s->col;
        }
        return false;
    }
    Value v;
    char *show = NULL;
    if (!eval_full(in, s->expr, &v, &show, e))
        return false;
    bool ok = true;
    if (s->kind == STMT_ASSIGN && v.kind == VALUE_NONE) {
        /* seed(), plot() and the like give nothing to keep. */
        const Node *c = s->expr;
        if (show && !s->quiet)
            interp_write(in, show);
        mem_free(show);
        return fail_at(s->target, e, ERROR_TYPE, "%s%s gives no value to store; call it without '%s ='",
                       c->kind == NODE_CALL && c->kids[0]->kind == NODE_NAME ? c->kids[0]->text : "this",
                       c->kind == NODE_CALL ? "(...)" : "", root_name(s->target)->text);
    }
    if (s->kind == STMT_ASSIGN) {
        if (show && !s->quiet)
            interp_write(in, show);
        Value *shown = NULL;
        const char *tname = s->target->kind == NODE_NAME ? s->target->text : NULL;
        bool existed = tname && global_var(in, tname);
        ok = assign(in, s->target, &v, e);
        /* Octave lets a variable take a command's name; the command still
         * wins a line of its own, which would surprise without a word. */
        bool shadows = ok && tname && !existed && !in->frame && interp_find_command(in, tname, strlen(tname));
        /* A builtin that explained itself (backward, learn) has said enough:
         * the value is stored without printing it a second time. */
        if (ok && !s->quiet && !show) {
            const Node *root = root_name(s->target);
            shown = interp_get(in, root->text);
            if (s->target->kind == NODE_NAME) {
                show_value(in, root->text, shown);
            } else {
                Text name = {0};
                target_text(s->target, &name);
                Value part;
                Error pe;
                error_clear(&pe);
                if (s->target->kind == NODE_FIELD && !name.failed
                    && field_value(s->target, shown, s->target->text, &part, &pe)) {
                    show_value(in, name.s, &part);
                    value_free(&part);
                } else {
                    show_value(in, root->text, shown);
                }
                text_free(&name);
            }
        }
        if (shadows)
            interp_printf(in, "note: %s is also a command, and a line that is just %s runs it; (%s) shows the "
                              "variable\n",
                          tname, tname, tname);
    } else if (show) {
        if (!s->quiet)
            interp_write(in, show);
        if (v.kind != VALUE_NONE) {
            Value keep = v;
            v = value_none();
            ok = interp_set(in, "ans", keep, e);
        }
    } else if (v.kind != VALUE_NONE) {
        const char *name = s->expr->kind == NODE_NAME ? s->expr->text : "ans";
        if (!s->quiet)
            show_value(in, name, &v);
        if (s->expr->kind != NODE_NAME) {
            Value keep = v;
            v = value_none();
            ok = interp_set(in, "ans", keep, e);
        }
    }
    value_free(&v);
    mem_free(show);
    return ok;
}

bool interp_run(Interp *in, const char *src, Error *e)
{
    Program prog;
    error_clear(e);
    if (strlen(src) > INTERP_MAX_SOURCE)
        return error_set(e, ERROR_LIMIT, "this statement is longer than %d KiB; split it, or load data with load_csv",
                         INTERP_MAX_SOURCE >> 10);
    if (!ast_parse(src, is_command, in, &prog, e))
        return false;
    bool ok = true;
    for (size_t i = 0; i < prog.n && ok && !in->quit; i++) {
        error_clear(e);
        ok = run_stmt(in, &prog.stmts[i], e);
        if (!ok && e && e->line == 0)
            e->line = prog.stmts[i].line;
    }
    ast_program_free(&prog);
    return ok;
}

/* --- files --------------------------------------------------------------- */

/* Reads a whole file into a NUL-terminated string owned by the caller. */
char *interp_read_file(const char *path, const char *who, size_t limit, Error *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        error_set(e, ERROR_IO, "%s: cannot open '%s': %s", who, path, strerror(errno));
        return NULL;
    }
    Text t = {0};
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (memchr(buf, '\0', n)) {
            fclose(f);
            text_free(&t);
            error_set(e, ERROR_IO, "%s: '%s' is not a text file (it holds a NUL byte)", who, path);
            return NULL;
        }
        text_append(&t, buf, n);
        if (t.len > limit) {
            fclose(f);
            text_free(&t);
            error_set(e, ERROR_LIMIT, "%s: '%s' is larger than %zu MiB", who, path, limit >> 20);
            return NULL;
        }
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        text_free(&t);
        error_set(e, ERROR_IO, "%s: cannot read '%s'", who, path);
        return NULL;
    }
    return text_finish(&t, e);
}

/* "... at line 2, column 5" in a message counts from the chunk's first
 * line; make it count from the file's. */
static void shift_line_in_message(Error *e, int by)
{
    char *at = by > 0 ? strstr(e->msg, "at line ") : NULL;
    if (!at)
        return;
    char *end;
    long n = strtol(at + 8, &end, 10);
    if (end == at + 8)
        return;
    char rest[ERROR_MSG_MAX];
    snprintf(rest, sizeof rest, "%s", end);
    snprintf(at + 8, sizeof e->msg - (size_t)(at + 8 - e->msg), "%ld%s", n + by, rest);
}

/* Writes text a character at a time, as if typed (--type), after the
 * prompt; Ctrl-C finishes the line at once. */
static void type_out(Interp *in, const char *text)
{
    const char *p = text;
    if (!strncmp(p, ">> ", 3)) {
        in->write(in->write_ctx, p, 3);
        p += 3;
    }
    while (*p) {
        size_t n = 1;
        while (((unsigned char)p[n] & 0xC0) == 0x80)
            n++;        /* a whole UTF-8 character at a time */
        in->write(in->write_ctx, p, n);
        if (*p != '\n' && !(in->interrupted && *in->interrupted)) {
            struct timespec ts = { 0, (long)in->type_delay_ms * 1000000L };
            nanosleep(&ts, NULL);
        }
        p += n;
    }
}

/* Runs statements from a source of lines, one chunk at a time: a chunk is
 * the lines up to the point where every bracket is closed. */
bool interp_run_lines(Interp *in, LineSource next, void *src_ctx, const char *origin, bool echo,
                      bool keep_going, ErrorReport report, void *report_ctx, Error *e)
{
    bool all_ok = true;
    Text chunk = {0};
    int first_line = 1, line = 0;
    const char *text;
    size_t len;
    bool more = true;
    while (more && !in->quit) {
        more = next(src_ctx, &text, &len);
        if (more) {
            if (chunk.len == 0)
                first_line = line + 1;
            text_append(&chunk, text, len);
            if (!len || text[len - 1] != '\n')
                text_puts(&chunk, "\n");
            line++;
            if (!chunk.failed && !ast_is_complete(chunk.s))
                continue;
        }
        if (chunk.failed) {
            all_ok = error_nomem(e, "run");
            break;
        }
        if (chunk.len == 0)
            break;
        /* Chunks of only blanks and comments are not echoed. */
        if (echo && !is_blank(chunk.s)) {
            size_t n = chunk.len;
            while (n && (chunk.s[n - 1] == '\n' || chunk.s[n - 1] == '\r'))
                n--;
            Text shown = {0};
            /* Continuation lines are echoed with the continuation prompt. */
            text_puts(&shown, ">> ");
            for (size_t i = 0; i < n; i++) {
                text_append(&shown, &chunk.s[i], 1);
                if (chunk.s[i] == '\n')
                    text_puts(&shown, ".. ");
            }
            text_puts(&shown, "\n");
            if (!shown.failed && in->type_delay_ms > 0)
                type_out(in, shown.s);
            else if (!shown.failed)
                interp_write(in, shown.s);
            text_free(&shown);
        }
        Error local;
        if (!interp_run_chunk(in, chunk.s, &local)) {
            all_ok = false;
            shift_line_in_message(&local, first_line - 1);
            if (report)
                report(report_ctx, origin, chunk.s, first_line, &local);
            if (local.line > 0)
                local.line += first_line - 1;
            if (e)
                *e = local;
            if (!keep_going || local.code == ERROR_INTERRUPT) {
                text_free(&chunk);
                break;
            }
        }
        text_free(&chunk);
    }
    text_free(&chunk);
    return all_ok;
}

typedef struct StringLines {
    const char *p;
} StringLines;

static bool string_next(void *ctx, const char **text, size_t *len)
{
    StringLines *s = ctx;
    if (!*s->p)
        return false;
    const char *nl = strchr(s->p, '\n');
    *text = s->p;
    *len = nl ? (size_t)(nl - s->p) + 1 : strlen(s->p);
    s->p += *len;
    return true;
}

char *interp_resolve_path(const Interp *in, const char *path)
{
    if (path[0] != '/' && in->script_dir) {
        Text t = {0};
        text_printf(&t, "%s/%s", in->script_dir, path);
        char *beside = text_finish(&t, NULL);
        if (beside && access(beside, F_OK) == 0)
            return beside;
        mem_free(beside);
    }
    return mem_strdup(path);
}

bool interp_run_file(Interp *in, const char *path, bool echo, bool keep_going,
                     ErrorReport report, void *report_ctx, Error *e)
{
    if (in->run_depth >= INTERP_MAX_RUN_DEPTH)
        return error_set(e, ERROR_LIMIT, "run: scripts nested more than %d deep (does '%s' run itself?)",
                         INTERP_MAX_RUN_DEPTH, path);
    char *src = interp_read_file(path, "run", INTERP_MAX_FILE, e);
    if (!src)
        return false;
    in->run_depth++;
    /* Paths inside the script are relative to its folder (see
     * interp_resolve_path) while it runs. */
    char *outer = in->script_dir;
    const char *slash = strrchr(path, '/');
    in->script_dir = slash ? mem_alloc((size_t)(slash - path) + 1) : NULL;   /* NULL: the current folder */
    if (in->script_dir && slash) {
        memcpy(in->script_dir, path, (size_t)(slash - path));
        in->script_dir[slash - path] = '\0';
    }
    StringLines lines = { src };
    bool ok = interp_run_lines(in, string_next, &lines, path, echo, keep_going, report, report_ctx, e);
    mem_free(in->script_dir);
    in->script_dir = outer;
    in->run_depth--;
    mem_free(src);
    return ok;
}

/* --- save ---------------------------------------------------------------- */

bool interp_save(Interp *in, const char *path, size_t *saved, Error *e)
{
    Text t = {0};
    text_puts(&t, "# nudge workspace: run it (or `load` it) to get these variables back.\n");
    size_t skipped = 0, unwritable = 0;
    /* The file spells values with built-ins (zeros(0), perceptron(...),
     * mlp(...)): variables that shadow a built-in come last, so that they
     * do not yet shadow it while the others are read back. */
    for (size_t k = 0; k < 2 * in->nvars; k++) {
        size_t i = k % in->nvars;
        const char *name = in->vars[i].name;
        if ((k < in->nvars) == (builtin_find(name, strlen(name)) != NULL))
            continue;
        const Value *v = &in->vars[i].value;
        if (v->kind == VALUE_RECORD || v->kind == VALUE_NONE) {
            skipped++;
            continue;
        }
        /* A string literal has no escapes: one holding a newline or both
         * kinds of quote (only a script argument can) cannot be written. */
        if (v->kind == VALUE_STRING && (strchr(v->as.string, '\n')
                                        || (strchr(v->as.string, '"') && strchr(v->as.string, '\'')))) {
            unwritable++;
            continue;
        }
        char *src = value_source(v, e);
        if (!src) {
            text_free(&t);
            return false;
        }
        /* Each variable is one statement of the file: load reads neither a
         * statement over INTERP_MAX_SOURCE nor a file over INTERP_MAX_FILE. */
        size_t len = strlen(in->vars[i].name) + strlen(src) + 5;
        if (len > INTERP_MAX_SOURCE || t.len + len > INTERP_MAX_FILE) {
            mem_free(src);
            text_free(&t);
            return error_set(e, ERROR_LIMIT, "save: '%s' is too large to save as a script (%zu KiB; load reads "
                             "statements up to %d KiB and files up to %d MiB): clear it, or save a smaller part",
                             in->vars[i].name, len >> 10, INTERP_MAX_SOURCE >> 10, INTERP_MAX_FILE >> 20);
        }
        text_printf(&t, "%s = %s;\n", in->vars[i].name, src);
        mem_free(src);
        if (saved)
            (*saved)++;
    }
    if (t.failed) {
        text_free(&t);
        return error_nomem(e, "save");
    }
    /* A link is saved through, to the file it names; anything but a
     * regular file is refused, since the rename below would replace it
     * (as root, `save /dev/full` would replace the device). */
    char resolved[PATH_MAX];
    const char *target = realpath(path, resolved) ? resolved : path;
    struct stat st;
    bool exists = stat(target, &st) == 0;
    if (exists && !S_ISREG(st.st_mode)) {
        text_free(&t);
        return error_set(e, ERROR_IO, "save: cannot write '%s': it is not a regular file", path);
    }
    /* Write beside the target and rename over it, so that a failure at any
     * point leaves the old file as it was. */
    Text tmp = {0};
    text_printf(&tmp, "%s.tmp-XXXXXX", target);
    if (tmp.failed) {
        text_free(&t);
        return error_nomem(e, "save");
    }
    int fd = mkstemp(tmp.s);
    if (fd < 0) {
        bool r = error_set(e, ERROR_IO, "save: cannot write '%s': %s", path, strerror(errno));
        text_free(&t);
        text_free(&tmp);
        return r;
    }
    /* mkstemp makes the file 0600: give it the old file's mode, or the
     * mode a new file gets. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, exists ? st.st_mode & 07777 : 0666 & ~mask);
    FILE *f = fdopen(fd, "w");
    bool ok = f && fwrite(t.s, 1, t.len, f) == t.len;
    int err = errno;
    if (f) {
        ok = fflush(f) == 0 && ok;
        ok = ok && fsync(fd) == 0;     /* the data is on disk before the rename */
        err = ok ? err : errno;
        ok = fclose(f) == 0 && ok;
    } else {
        close(fd);
    }
    if (ok && rename(tmp.s, target) != 0) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        remove(tmp.s);
        error_set(e, ERROR_IO, "save: cannot write '%s': %s", path, strerror(err ? err : EIO));
    }
    text_free(&t);
    text_free(&tmp);
    if (ok && skipped)
        interp_printf(in, "note: %zu record value%s not saved (save its fields as variables)\n", skipped,
                      skipped == 1 ? " was" : "s were");
    if (ok && unwritable)
        interp_printf(in, "note: %zu string%s not saved: a newline or both kinds of quote cannot be written in "
                          "a nudge string\n", unwritable, unwritable == 1 ? " was" : "s were");
    return ok;
}

/* --- enumerating the variables (for the lessons' snapshots) --------------- */

size_t interp_var_count(const Interp *in)
{
    return in->nvars;
}

const char *interp_var_name(const Interp *in, size_t i)
{
    return i < in->nvars ? in->vars[i].name : NULL;
}
