/* graph.c - computation graphs and reverse-mode differentiation. */
#include "nudge/graph.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "nudge/format.h"
#include "nudge/mem.h"
#include "nudge/text.h"

/* --- making and freeing ---------------------------------------------------- */

static Tensor *copy_value(const Tensor *value, double x)
{
    if (value)
        return tensor_copy(value, NULL);
    return tensor_from(1, 1, 1, &x, NULL);
}

static GNode *node_alloc(GraphOp op, const Tensor *value, double x)
{
    GNode *n = mem_calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->value = copy_value(value, x);
    if (!n->value) {
        mem_free(n);
        return NULL;
    }
    n->refs = 1;
    n->op = op;
    n->scalar = value == NULL;
    n->axis = -1;
    n->nodes = 1;
    n->bytes = tensor_size(n->value) * sizeof(double) + sizeof *n;
    return n;
}

GNode *graph_leaf(const Tensor *value, double x, const char *name, unsigned long version)
{
    GNode *n = node_alloc(GRAPH_LEAF, value, x);
    if (n && name)
        graph_tag(n, name, version);
    return n;
}

GNode *graph_retain(GNode *n)
{
    if (n)
        n->refs++;
    return n;
}

static size_t add_sat(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

GNode *graph_node(GraphOp op, GNode *a, GNode *b, const Tensor *value, double x)
{
    size_t nodes = add_sat(1, add_sat(a ? a->nodes : 0, b ? b->nodes : 0));
    size_t bytes = add_sat(a ? a->bytes : 0, b ? b->bytes : 0);
    bool cut = nodes > GRAPH_MAX_NODES || bytes > GRAPH_MAX_BYTES || (a && a->op == GRAPH_CUT)
            || (b && b->op == GRAPH_CUT);
    GNode *n = node_alloc(cut ? GRAPH_CUT : op, value, x);
    if (!n || cut)
        return n;
    n->in[0] = graph_retain(a);
    n->in[1] = graph_retain(b);
    n->nin = b ? 2 : a ? 1 : 0;
    n->nodes = nodes;
    n->bytes = add_sat(bytes, n->bytes);
    return n;
}

void graph_tag(GNode *n, const char *name, unsigned long version)
{
    if (!n || n->name)
        return;     /* a node keeps the first name it was given */
    n->name = mem_strdup(name);
    n->version = version;
}

/* Frees without recursion (a history may be a chain of many thousands) and
 * without allocating (memory may have run out): the nodes waiting to be
 * freed are chained through their `next` field. */
void graph_release(GNode *n)
{
    if (!n || --n->refs > 0)
        return;
    n->next = NULL;
    for (GNode *todo = n; todo;) {
        GNode *cur = todo;
        todo = cur->next;
        for (int i = 0; i < cur->nin; i++) {
            GNode *k = cur->in[i];
            if (k && --k->refs == 0) {
                k->next = todo;
                todo = k;
            }
        }
        tensor_delete(cur->value);
        tensor_delete(cur->grad);
        mem_free(cur->name);
        mem_free(cur);
    }
}

int graph_op_of_builtin(const char *name)
{
    static const struct { const char *name; GraphOp op; } ops[] = {
        { "sum", GRAPH_SUM }, { "mean", GRAPH_MEAN }, { "exp", GRAPH_EXP }, { "log", GRAPH_LOG },
        { "sigmoid", GRAPH_SIGMOID }, { "σ", GRAPH_SIGMOID }, { "relu", GRAPH_RELU }, { "tanh", GRAPH_TANH },
        { "softmax", GRAPH_SOFTMAX }, { "dot", GRAPH_DOT }, { "outer", GRAPH_OUTER }, { "mse", GRAPH_MSE },
        { "cross_entropy", GRAPH_CE }, { "transpose", GRAPH_TRANSPOSE },
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (!strcmp(ops[i].name, name))
            return (int)ops[i].op;
    return -1;
}

/* --- traversal -------------------------------------------------------------- */

typedef struct Order {
    GNode **nodes;      /* inputs before the nodes that use them */
    size_t n;
} Order;

/* Clears the marks a traversal left on the nodes it listed. */
static void clear_marks(const Order *o)
{
    for (size_t i = 0; i < o->n; i++)
        o->nodes[i]->mark = 0;
}

/* Post-order without recursion; every mark is 0 again afterwards. */
static bool topo_order(GNode *root, Order *o, Error *e)
{
    const unsigned long stamp = 1;
    size_t cap = 64, top = 0, ocap = 64;
    struct Frame { GNode *n; int next; } *stack = mem_alloc(cap * sizeof *stack);
    o->nodes = mem_alloc(ocap * sizeof *o->nodes);
    o->n = 0;
    if (!stack || !o->nodes) {
        mem_free(stack);
        mem_free(o->nodes);
        return error_nomem(e, "grad");
    }
    root->mark = stamp;
    stack[top++] = (struct Frame){ root, 0 };
    while (top) {
        struct Frame *f = &stack[top - 1];
        if (f->next < f->n->nin) {
            GNode *k = f->n->in[f->next++];
            if (k->mark == stamp)
                continue;
            k->mark = stamp;
            if (top == cap) {
                void *g = mem_realloc(stack, cap * 2, sizeof *stack);
                if (!g)
                    goto oom;
                stack = g;
                cap *= 2;
            }
            stack[top++] = (struct Frame){ k, 0 };
            continue;
        }
        if (o->n == ocap) {
            void *g = mem_realloc(o->nodes, ocap * 2, sizeof *o->nodes);
            if (!g)
                goto oom;
            o->nodes = g;
            ocap *= 2;
        }
        o->nodes[o->n++] = f->n;
        top--;
    }
    mem_free(stack);
    clear_marks(o);
    return true;
oom:
    clear_marks(o);
    mem_free(stack);
    mem_free(o->nodes);
    o->nodes = NULL;
    return error_nomem(e, "grad");
}

size_t graph_count(GNode *root)
{
    Order o;
    if (!root || !topo_order(root, &o, NULL))
        return 0;
    size_t n = o.n;
    mem_free(o.nodes);
    return n;
}

/* --- the reverse pass -------------------------------------------------------- */

static double *grad_of(GNode *n)
{
    if (!n->grad)
        n->grad = tensor_new(n->value->ndim, n->value->rows, n->value->cols, NULL);
    return n->grad ? n->grad->data : NULL;
}

/* The index into an input of shape (rows, cols) for output element (r, c),
 * repeating rows or columns of size 1 as broadcasting does. */
static size_t bidx(const Tensor *t, size_t r, size_t c)
{
    return (t->rows == 1 ? 0 : r) * t->cols + (t->cols == 1 ? 0 : c);
}

/* Adds each input's share of n's gradient to the input's gradient. */
static bool propagate(GNode *n)
{
    const Tensor *out = n->value, *A = n->nin > 0 ? n->in[0]->value : NULL, *B = n->nin > 1 ? n->in[1]->value : NULL;
    const double *G = n->grad->data, *o = out->data;
    double *ga = n->nin > 0 ? grad_of(n->in[0]) : NULL, *gb = n->nin > 1 ? grad_of(n->in[1]) : NULL;
    if ((n->nin > 0 && !ga) || (n->nin > 1 && !gb))
        return false;
    size_t N = tensor_size(out);
    switch (n->op) {
    case GRAPH_LEAF:
    case GRAPH_CUT:
        break;
    case GRAPH_ADD: case GRAPH_SUB: case GRAPH_MUL: case GRAPH_DIV: case GRAPH_POW:
        for (size_t r = 0; r < out->rows; r++)
            for (size_t c = 0; c < out->cols; c++) {
                size_t k = r * out->cols + c, ia = bidx(A, r, c), ib = bidx(B, r, c);
                double g = G[k], a = A->data[ia], b = B->data[ib];
                switch (n->op) {
                case GRAPH_ADD: ga[ia] += g; gb[ib] += g; break;
                case GRAPH_SUB: ga[ia] += g; gb[ib] -= g; break;
                case GRAPH_MUL: ga[ia] += g * b; gb[ib] += g * a; break;
                case GRAPH_DIV: ga[ia] += g / b; gb[ib] -= g * a / (b * b); break;
                default:
                    ga[ia] += g * b * pow(a, b - 1);
                    gb[ib] += a > 0 ? g * o[k] * log(a) : 0.0;
                    break;
                }
            }
        break;
    case GRAPH_NEG: case GRAPH_EXP: case GRAPH_LOG: case GRAPH_SIGMOID: case GRAPH_RELU: case GRAPH_TANH:
    case GRAPH_COPY:
        for (size_t i = 0; i < N; i++) {
            double a = A->data[i], d;
            switch (n->op) {
            case GRAPH_NEG: d = -1; break;
            case GRAPH_COPY: d = 1; break;
            case GRAPH_EXP: d = o[i]; break;
            case GRAPH_LOG: d = 1 / a; break;
            case GRAPH_SIGMOID: d = o[i] * (1 - o[i]); break;
            case GRAPH_RELU: d = a > 0; break;
            default: d = 1 - o[i] * o[i]; break;
            }
            ga[i] += G[i] * d;
        }
        break;
    case GRAPH_MATMUL:
        if (A->ndim == 1 && B->ndim == 1) {
            for (size_t i = 0; i < A->cols; i++) {
                ga[i] += G[0] * B->data[i];
                gb[i] += G[0] * A->data[i];
            }
        } else if (A->ndim == 2 && B->ndim == 2) {
            size_t m = A->rows, k = A->cols, p = B->cols;
            for (size_t i = 0; i < m; i++)        /* dA = G B^T */
                for (size_t q = 0; q < k; q++) {
                    double s = 0;
                    for (size_t j = 0; j < p; j++)
                        s += G[i * p + j] * B->data[q * p + j];
                    ga[i * k + q] += s;
                }
            for (size_t q = 0; q < k; q++)        /* dB = A^T G */
                for (size_t j = 0; j < p; j++) {
                    double s = 0;
                    for (size_t i = 0; i < m; i++)
                        s += A->data[i * k + q] * G[i * p + j];
                    gb[q * p + j] += s;
                }
        } else if (A->ndim == 2) {                /* matrix @ vector */
            size_t m = A->rows, k = A->cols;
            for (size_t i = 0; i < m; i++)
                for (size_t q = 0; q < k; q++) {
                    ga[i * k + q] += G[i] * B->data[q];
                    gb[q] += A->data[i * k + q] * G[i];
                }
        } else {                                  /* vector @ matrix */
            size_t k = B->rows, p = B->cols;
            for (size_t q = 0; q < k; q++)
                for (size_t j = 0; j < p; j++) {
                    ga[q] += B->data[q * p + j] * G[j];
                    gb[q * p + j] += A->data[q] * G[j];
                }
        }
        break;
    case GRAPH_TRANSPOSE:
        if (A->ndim == 1)
            for (size_t i = 0; i < N; i++)
                ga[i] += G[i];
        else
            for (size_t r = 0; r < A->rows; r++)
                for (size_t c = 0; c < A->cols; c++)
                    ga[r * A->cols + c] += G[c * A->rows + r];
        break;
    case GRAPH_INDEX: {
        size_t k = 0;
        for (size_t i = 0; i < n->rn; i++)
            for (size_t j = 0; j < n->cn; j++)
                ga[(n->r0 + i) * A->cols + n->c0 + j] += G[k++];
        break;
    }
    case GRAPH_SUM: case GRAPH_MEAN: {
        double scale = 1;
        if (n->op == GRAPH_MEAN)
            scale = n->axis < 0 ? (double)tensor_size(A) : n->axis == 0 ? (double)A->rows : (double)A->cols;
        for (size_t r = 0; r < A->rows; r++)
            for (size_t c = 0; c < A->cols; c++)
                ga[r * A->cols + c] += (n->axis < 0 ? G[0] : n->axis == 0 ? G[c] : G[r]) / scale;
        break;
    }
    case GRAPH_SOFTMAX:
        for (size_t r = 0; r < out->rows; r++) {
            const double *orow = o + r * out->cols, *grow = G + r * out->cols;
            double s = 0;
            for (size_t j = 0; j < out->cols; j++)
                s += grow[j] * orow[j];
            for (size_t j = 0; j < out->cols; j++)
                ga[r * out->cols + j] += orow[j] * (grow[j] - s);
        }
        break;
    case GRAPH_DOT:
        for (size_t i = 0; i < tensor_size(A); i++) {
            ga[i] += G[0] * B->data[i];
            gb[i] += G[0] * A->data[i];
        }
        break;
    case GRAPH_OUTER: {
        size_t m = tensor_size(A), p = tensor_size(B);
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < p; j++) {
                ga[i] += G[i * p + j] * B->data[j];
                gb[j] += G[i * p + j] * A->data[i];
            }
        break;
    }
    case GRAPH_MSE:
        for (size_t i = 0; i < tensor_size(A); i++) {
            ga[i] += G[0] * (A->data[i] - B->data[i]);
            gb[i] += G[0] * (B->data[i] - A->data[i]);
        }
        break;
    case GRAPH_CE:
        for (size_t i = 0; i < tensor_size(A); i++) {
            if (B->data[i] != 0)
                ga[i] -= G[0] * B->data[i] / A->data[i];
            gb[i] -= G[0] * log(A->data[i]);
        }
        break;
    }
    return true;
}

/* Orders the history, clears old gradients and runs the reverse pass. */
static bool backward(GNode *root, const char *root_name, Order *o, Error *e)
{
    if (tensor_size(root->value) != 1)
        return error_set(e, ERROR_SHAPE, "grad: %s must be a single number (a cost), not a %zu x %zu %s",
                         root_name, root->value->rows, root->value->cols,
                         root->value->ndim == 1 ? "vector" : "matrix");
    if (!topo_order(root, o, e))
        return false;
    for (size_t i = 0; i < o->n; i++) {
        if (o->nodes[i]->op == GRAPH_CUT) {
            mem_free(o->nodes);
            return error_set(e, ERROR_LIMIT, "grad: %s has a history of more than %d operations; recompute it "
                                             "from its variables", root_name, GRAPH_MAX_NODES);
        }
        tensor_delete(o->nodes[i]->grad);
        o->nodes[i]->grad = NULL;
    }
    double *g = grad_of(root);
    if (!g) {
        mem_free(o->nodes);
        return error_nomem(e, "grad");
    }
    g[0] = 1.0;
    for (size_t i = o->n; i-- > 0;) {
        GNode *n = o->nodes[i];
        if (n->grad && !propagate(n)) {
            mem_free(o->nodes);
            return error_nomem(e, "grad");
        }
    }
    return true;
}

Tensor *graph_grad(GNode *root, const char *root_name, const char *name, unsigned long version, Error *e)
{
    Order o;
    if (!backward(root, root_name, &o, e))
        return NULL;
    Tensor *sum = NULL;
    bool stale = false, fail = false;
    for (size_t i = 0; i < o.n && !fail; i++) {
        GNode *n = o.nodes[i];
        if (!n->name || strcmp(n->name, name))
            continue;
        if (n->version != version) {
            stale = true;
            continue;
        }
        if (!sum) {
            sum = tensor_copy(n->grad, e);
            fail = !sum;
        } else {
            for (size_t k = 0; k < tensor_size(sum); k++)
                sum->data[k] += n->grad->data[k];
        }
    }
    mem_free(o.nodes);
    if (fail)
        return NULL;
    if (!sum && stale)
        error_set(e, ERROR_ARG, "grad: %s has been given a new value since %s was computed; compute %s again, "
                                "then ask for its gradient", name, root_name, root_name);
    else if (!sum)
        error_set(e, ERROR_ARG, "grad: %s was not computed from %s, so its gradient there is 0", root_name, name);
    return sum;
}

/* --- describing nodes --------------------------------------------------------- */

static const char *op_symbol(GraphOp op)
{
    static const char *const sym[] = {
        [GRAPH_LEAF] = "", [GRAPH_CUT] = "(history cut)", [GRAPH_ADD] = "+", [GRAPH_SUB] = "-",
        [GRAPH_MUL] = "*", [GRAPH_DIV] = "/", [GRAPH_POW] = "**", [GRAPH_MATMUL] = "@", [GRAPH_NEG] = "negate",
        [GRAPH_TRANSPOSE] = ".T", [GRAPH_INDEX] = "[...]", [GRAPH_SUM] = "sum", [GRAPH_MEAN] = "mean",
        [GRAPH_EXP] = "exp", [GRAPH_LOG] = "log", [GRAPH_SIGMOID] = "sigmoid", [GRAPH_RELU] = "relu",
        [GRAPH_TANH] = "tanh", [GRAPH_SOFTMAX] = "softmax", [GRAPH_DOT] = "dot", [GRAPH_OUTER] = "outer",
        [GRAPH_MSE] = "mse", [GRAPH_CE] = "cross_entropy", [GRAPH_COPY] = "copy",
    };
    return sym[op];
}

/* A short form of a value: "2", or "(4, 1) [0.7575, 0.7711, …]". */
static void put_short(Text *t, const Tensor *v, bool scalar)
{
    char num[FORMAT_NUMBER_MAX], shape[48];
    if (scalar || (tensor_size(v) == 1 && v->ndim == 1)) {
        text_puts(t, format_inline_number(v->data[0], FORMAT_SHORT, num, sizeof num));
        return;
    }
    text_printf(t, "%s [", tensor_shape_str(v, shape, sizeof shape));
    size_t n = tensor_size(v), show = n < 3 ? n : 3;
    for (size_t i = 0; i < show; i++)
        text_printf(t, "%s%s", i ? ", " : "", format_inline_number(v->data[i], FORMAT_SHORT, num, sizeof num));
    text_puts(t, n > show ? ", …]" : "]");
}

static void put_label(Text *t, const GNode *n, const char *root_name, bool is_root)
{
    const char *name = n->name ? n->name : is_root ? root_name : NULL;
    if (n->op != GRAPH_LEAF)
        text_printf(t, "[%s] ", op_symbol(n->op));
    if (name)
        text_printf(t, "%s = ", name);
    else if (n->op == GRAPH_LEAF)
        text_puts(t, "constant ");
    put_short(t, n->value, n->scalar);
    if (n->grad) {
        text_puts(t, "   grad ");
        put_short(t, n->grad, n->scalar);
    }
}

/* The expression a node computes, in the language's own spelling, as far
 * as it fits in n bytes ("(x*w1 + b1)*w2"); false when it does not fit. */
static bool expr_text(const GNode *g, const GNode *root, const char *root_name, Text *t, size_t limit, bool top)
{
    if (t->len > limit)
        return false;
    if (g->name && !top) {
        text_puts(t, g->name);
        return true;
    }
    if (g == root && !top) {
        text_puts(t, root_name);
        return true;
    }
    static const char *const infix[] = {
        [GRAPH_ADD] = " + ", [GRAPH_SUB] = " - ", [GRAPH_MUL] = "*", [GRAPH_DIV] = "/",
        [GRAPH_POW] = "**", [GRAPH_MATMUL] = " @ ",
    };
    switch (g->op) {
    case GRAPH_LEAF:
    case GRAPH_CUT:
        put_short(t, g->value, g->scalar);
        return true;
    case GRAPH_ADD: case GRAPH_SUB: case GRAPH_MUL: case GRAPH_DIV: case GRAPH_POW: case GRAPH_MATMUL: {
        bool paren = !top && (g->op == GRAPH_ADD || g->op == GRAPH_SUB);
        if (paren)
            text_puts(t, "(");
        bool ok = expr_text(g->in[0], root, root_name, t, limit, false);
        text_puts(t, infix[g->op]);
        ok = ok && expr_text(g->in[1], root, root_name, t, limit, false);
        if (paren)
            text_puts(t, ")");
        return ok && t->len <= limit;
    }
    case GRAPH_NEG:
        text_puts(t, "-");
        return expr_text(g->in[0], root, root_name, t, limit, false);
    case GRAPH_COPY:
        return expr_text(g->in[0], root, root_name, t, limit, false);
    case GRAPH_TRANSPOSE:
        if (!expr_text(g->in[0], root, root_name, t, limit, false))
            return false;
        text_puts(t, ".T");
        return true;
    case GRAPH_INDEX:
        if (!expr_text(g->in[0], root, root_name, t, limit, false))
            return false;
        text_puts(t, "[...]");
        return true;
    default:
        text_printf(t, "%s(", op_symbol(g->op));
        for (int i = 0; i < g->nin; i++) {
            if (i)
                text_puts(t, ", ");
            if (!expr_text(g->in[i], root, root_name, t, limit, false))
                return false;
        }
        text_puts(t, ")");
        return t->len <= limit;
    }
}

/* --- drawing -------------------------------------------------------------------- */

typedef struct Drawing {
    Text out;
    int width;
    unsigned long stamp;    /* the mark of a node already drawn */
    GNode **later;          /* subtrees folded to keep within the width */
    size_t nlater, caplater;
} Drawing;

static void put_line(Drawing *d, const char *prefix, const char *label)
{
    /* Cut to the width, counting characters rather than bytes. */
    Text line = {0};
    text_printf(&line, "%s%s", prefix, label);
    if (line.failed) {
        d->out.failed = true;
        return;
    }
    int cols = 0;
    size_t cut = line.len;
    for (size_t i = 0; i < line.len; i++) {
        if (((unsigned char)line.s[i] & 0xC0) == 0x80)
            continue;
        if (cols == d->width - 1 && i + 1 < line.len) {
            cut = i;
            break;
        }
        cols++;
    }
    text_append(&d->out, line.s, cut);
    text_puts(&d->out, cut < line.len ? "…\n" : "\n");
    text_free(&line);
}

static void draw_tree(Drawing *d, GNode *n, const char *root_name, Text *prefix, bool last, bool is_root)
{
    Text label = {0};
    size_t keep = prefix->len;
    put_label(&label, n, root_name, is_root);
    bool seen = n->mark == d->stamp;
    bool fold = !seen && n->nin > 0 && (int)prefix->len / 3 > d->width / 2;
    if (seen && n->nin > 0)
        text_puts(&label, "  (shown above)");
    if (fold) {
        size_t k = d->nlater + 1;
        text_printf(&label, "  (continued below as [%zu])", k);
        if (d->nlater == d->caplater) {
            size_t cap = d->caplater ? d->caplater * 2 : 8;
            GNode **g = mem_realloc(d->later, cap, sizeof *g);
            if (g) {
                d->later = g;
                d->caplater = cap;
            }
        }
        if (d->nlater < d->caplater)
            d->later[d->nlater++] = n;
    }
    Text full = {0};
    if (!is_root)
        text_printf(&full, "%s%s", prefix->s ? prefix->s : "", last ? "└── " : "├── ");
    put_line(d, full.s ? full.s : "", label.s ? label.s : "");
    text_free(&full);
    text_free(&label);
    if (seen || fold)
        return;
    n->mark = d->stamp;
    if (!is_root)
        text_puts(prefix, last ? "    " : "│   ");
    for (int i = 0; i < n->nin; i++)
        draw_tree(d, n->in[i], root_name, prefix, i == n->nin - 1, false);
    prefix->len = keep;
    if (prefix->s)
        prefix->s[keep] = '\0';
}

char *graph_draw(GNode *root, const char *root_name, int width, Error *e)
{
    Order o;
    if (!topo_order(root, &o, e))
        return NULL;
    Drawing d = { .width = width < 40 ? 40 : width, .stamp = 1 };
    Text prefix = {0};
    text_puts(&prefix, "");
    draw_tree(&d, root, root_name, &prefix, true, true);
    for (size_t i = 0; i < d.nlater; i++) {
        text_printf(&d.out, "\n[%zu]\n", i + 1);
        GNode *n = d.later[i];
        n->mark = 0;
        prefix.len = 0;
        prefix.s[0] = '\0';
        draw_tree(&d, n, root_name, &prefix, true, true);
    }
    clear_marks(&o);
    mem_free(o.nodes);
    text_free(&prefix);
    mem_free(d.later);
    return text_finish(&d.out, e);
}

/* --- backprop, step by step ------------------------------------------------------ */

static void put_node_name(Text *t, const GNode *n, const GNode *root, const char *root_name, size_t id)
{
    if (n->name)
        text_puts(t, n->name);
    else if (n == root)
        text_puts(t, root_name);
    else if (n->op == GRAPH_LEAF)
        put_short(t, n->value, n->scalar);
    else {
        Text e = {0};
        if (expr_text(n, root, root_name, &e, 60, true) && !e.failed)
            text_puts(t, e.s);
        else
            text_printf(t, "node %zu", id);
        text_free(&e);
    }
}

/* The local derivative of a scalar node with respect to input i, when
 * every value involved is a single number. */
static bool scalar_local(const GNode *n, int i, double *d)
{
    if (tensor_size(n->value) != 1 || tensor_size(n->in[0]->value) != 1
        || (n->nin > 1 && tensor_size(n->in[1]->value) != 1))
        return false;
    double a = n->in[0]->value->data[0], b = n->nin > 1 ? n->in[1]->value->data[0] : 0, o = n->value->data[0];
    switch (n->op) {
    case GRAPH_ADD: *d = 1; return true;
    case GRAPH_SUB: *d = i ? -1 : 1; return true;
    case GRAPH_MUL: *d = i ? a : b; return true;
    case GRAPH_DIV: *d = i ? -a / (b * b) : 1 / b; return true;
    case GRAPH_POW: *d = i ? (a > 0 ? o * log(a) : 0) : b * pow(a, b - 1); return true;
    case GRAPH_NEG: *d = -1; return true;
    case GRAPH_EXP: *d = o; return true;
    case GRAPH_LOG: *d = 1 / a; return true;
    case GRAPH_SIGMOID: *d = o * (1 - o); return true;
    case GRAPH_RELU: *d = a > 0; return true;
    case GRAPH_TANH: *d = 1 - o * o; return true;
    case GRAPH_SUM: case GRAPH_MEAN: case GRAPH_TRANSPOSE: case GRAPH_COPY: *d = 1; return true;
    default: return false;
    }
}

static size_t index_of(const Order *o, const GNode *n)
{
    for (size_t i = 0; i < o->n; i++)
        if (o->nodes[i] == n)
            return i + 1;
    return 0;
}

/* The local derivative of n with respect to input i, in words and shapes. */
static void put_local(Text *t, const GNode *n, int i)
{
    char s1[48], s2[48], s3[48], num[FORMAT_NUMBER_MAX];
    const Tensor *A = n->in[0]->value, *B = n->nin > 1 ? n->in[1]->value : NULL, *G = n->grad;
    bool scalars = tensor_size(n->value) == 1 && (!B || tensor_size(B) == 1) && tensor_size(A) == 1;
    switch (n->op) {
    case GRAPH_ADD: text_puts(t, "local 1"); break;
    case GRAPH_SUB: text_puts(t, i ? "local -1" : "local 1"); break;
    case GRAPH_MUL:
        if (scalars)
            text_printf(t, "local %s (the other factor)", format_inline_number((i ? A : B)->data[0], FORMAT_SHORT, num, sizeof num));
        else
            text_printf(t, "Hadamard: incoming ⊙ %s", i ? "a" : "b");
        break;
    case GRAPH_DIV: text_puts(t, i ? "local -a/b²" : "local 1/b"); break;
    case GRAPH_POW: text_puts(t, i ? "local a**b · log(a)" : "local b · a**(b-1)"); break;
    case GRAPH_MATMUL:
        if (A->ndim == 2 && B->ndim == 2)
            text_printf(t, i ? "Aᵀ @ incoming: %sᵀ @ %s" : "incoming @ Bᵀ: %s @ %sᵀ",
                        tensor_shape_str(i ? A : G, s1, sizeof s1), tensor_shape_str(i ? G : B, s2, sizeof s2));
        else
            text_puts(t, i ? "incoming times the left side" : "incoming times the right side");
        (void)s3;
        break;
    case GRAPH_NEG: text_puts(t, "local -1"); break;
    case GRAPH_COPY: text_puts(t, "local 1 (the same value under another name)"); break;
    case GRAPH_TRANSPOSE: text_puts(t, "the incoming gradient transposed back"); break;
    case GRAPH_INDEX: text_puts(t, "the incoming gradient put back where the elements came from"); break;
    case GRAPH_SUM: text_puts(t, "local 1 for every element"); break;
    case GRAPH_MEAN: text_puts(t, "local 1/n for every element"); break;
    case GRAPH_EXP: text_puts(t, "local exp(a) (the output itself)"); break;
    case GRAPH_LOG: text_puts(t, "local 1/a"); break;
    case GRAPH_SIGMOID:
        if (scalars)
            text_printf(t, "σ'(z) = σ(1-σ) = %s", format_inline_number(n->value->data[0] * (1 - n->value->data[0]), FORMAT_SHORT, num, sizeof num));
        else
            text_printf(t, "Hadamard: incoming ⊙ σ'(z), σ' = σ(1-σ), %s", tensor_shape_str(A, s1, sizeof s1));
        break;
    case GRAPH_RELU: text_puts(t, "local 1 where the input > 0, else 0"); break;
    case GRAPH_TANH: text_puts(t, "local 1 - tanh²"); break;
    case GRAPH_SOFTMAX: text_puts(t, "p ⊙ (incoming - Σ incoming·p), the softmax Jacobian applied"); break;
    case GRAPH_DOT: text_puts(t, i ? "local a (the other vector)" : "local b (the other vector)"); break;
    case GRAPH_OUTER: text_puts(t, i ? "incomingᵀ @ a" : "incoming @ b"); break;
    case GRAPH_MSE: text_puts(t, i ? "local y - a" : "local a - y"); break;
    case GRAPH_CE: text_puts(t, i ? "local -log p" : "local -y/p"); break;
    case GRAPH_LEAF: case GRAPH_CUT: break;
    }
}

char **graph_backprop_steps(GNode *root, const char *root_name, size_t *count, Error *e)
{
    Order o;
    *count = 0;
    if (!backward(root, root_name, &o, e))
        return NULL;
    char **steps = mem_calloc(o.n + 1, sizeof *steps);
    if (!steps) {
        mem_free(o.nodes);
        error_nomem(e, "backprop");
        return NULL;
    }
    size_t k = 0;
    bool ok = true;
    for (size_t i = o.n; i-- > 0 && ok;) {
        GNode *n = o.nodes[i];
        Text t = {0};
        text_printf(&t, "%zu. ", k + 1);
        put_node_name(&t, n, root, root_name, i + 1);
        if (n->op == GRAPH_LEAF) {
            text_puts(&t, n->name ? " (a variable): " : " (a constant): ");
            text_puts(&t, "its gradient is the sum of what reached it, ");
            put_short(&t, n->grad, n->scalar);
            text_puts(&t, "\n");
        } else {
            Text ex = {0};
            bool named = n->name || n == root;
            if (named && expr_text(n, root, root_name, &ex, 60, true) && !ex.failed)
                text_printf(&t, " = %s = ", ex.s);
            else if (named)
                text_printf(&t, " = %s(...) = ", op_symbol(n->op));
            else
                text_puts(&t, " = ");
            text_free(&ex);
            put_short(&t, n->value, n->scalar);
            text_puts(&t, "\n   incoming gradient ");
            put_short(&t, n->grad, n->scalar);
            text_puts(&t, "\n");
            for (int j = 0; j < n->nin; j++) {
                text_puts(&t, "   to ");
                put_node_name(&t, n->in[j], root, root_name, index_of(&o, n->in[j]));
                text_puts(&t, ": ");
                put_local(&t, n, j);
                double d;
                if (scalar_local(n, j, &d)) {
                    char b1[FORMAT_NUMBER_MAX], b2[FORMAT_NUMBER_MAX], b3[FORMAT_NUMBER_MAX];
                    text_printf(&t, "; passes %s·%s = %s",
                                format_inline_number(n->grad->data[0], FORMAT_SHORT, b1, sizeof b1),
                                format_inline_number(d, FORMAT_SHORT, b2, sizeof b2),
                                format_inline_number(n->grad->data[0] * d, FORMAT_SHORT, b3, sizeof b3));
                }
                text_puts(&t, "\n");
            }
        }
        steps[k] = text_finish(&t, e);
        ok = steps[k++] != NULL;
    }
    *count = k;
    mem_free(o.nodes);
    if (!ok) {
        graph_free_steps(steps, k);
        return NULL;
    }
    return steps;
}

void graph_free_steps(char **steps, size_t n)
{
    if (!steps)
        return;
    for (size_t i = 0; i < n; i++)
        mem_free(steps[i]);
    mem_free(steps);
}
