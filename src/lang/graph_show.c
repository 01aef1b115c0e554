/* graph_show.c - a history in words and pictures: `graph` draws it as a
 * tree, `backprop` walks the reverse pass node by node with each local
 * derivative, and both name nodes in the language's own spelling. */
#include "nudge/graph.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nudge/format.h"
#include "nudge/mem.h"
#include "nudge/text.h"
#include "graph_walk.h"

/* --- describing nodes --------------------------------------------------------- */

static const char *op_symbol(const GNode *n)
{
    static const char *const sym[GRAPH_NODIFF + 1] = {
        [GRAPH_LEAF] = "", [GRAPH_CUT] = "(history cut)", [GRAPH_ADD] = "+", [GRAPH_SUB] = "-",
        [GRAPH_MUL] = "*", [GRAPH_DIV] = "/", [GRAPH_POW] = "**", [GRAPH_MATMUL] = "@", [GRAPH_NEG] = "negate",
        [GRAPH_TRANSPOSE] = ".T", [GRAPH_INDEX] = "[...]", [GRAPH_COPY] = "copy",
    };
    if (n->op == GRAPH_CALL)
        return n->rule->name;
    if (n->op == GRAPH_NODIFF)
        return n->what;
    return (unsigned)n->op < sizeof sym / sizeof sym[0] && sym[n->op] ? sym[n->op] : "?";
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
        text_printf(t, "[%s] ", op_symbol(n));
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
        text_printf(t, "%s(", op_symbol(g));
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
        GNode **g = mem_grow(d->later, &d->caplater, d->nlater + 1, sizeof *g, 8);
        if (g)
            d->later = g;
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
    if (!graph_topo_order(root, &o, e))
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
    graph_clear_marks(&o);
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
    double a = n->in[0]->value->data[0], b = n->nin > 1 ? n->in[1]->value->data[0] : n->p[0];
    double o = n->value->data[0];
    switch (n->op) {
    case GRAPH_ADD: *d = 1; return true;
    case GRAPH_SUB: *d = i ? -1 : 1; return true;
    case GRAPH_MUL: *d = i ? a : b; return true;
    case GRAPH_DIV: *d = i ? -a / (b * b) : 1 / b; return true;
    case GRAPH_POW: *d = i ? (a > 0 ? o * log(a) : 0) : b * pow(a, b - 1); return true;
    case GRAPH_NEG: *d = -1; return true;
    case GRAPH_TRANSPOSE: case GRAPH_COPY: *d = 1; return true;
    case GRAPH_CALL:
        if (n->nin == 1 && n->rule->reduces) {
            *d = 1;     /* the sum, mean or max of one number is that number */
            return true;
        }
        if (!n->rule->scalar)
            return false;
        *d = n->rule->scalar(a, b, o, i);
        return true;
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
    case GRAPH_CALL:
        if (scalars && !strcmp(n->rule->name, "sigmoid"))
            text_printf(t, "σ'(z) = σ(1-σ) = %s", format_inline_number(n->value->data[0] * (1 - n->value->data[0]),
                                                                     FORMAT_SHORT, num, sizeof num));
        else
            text_puts(t, n->rule->local[i] ? n->rule->local[i] : "");
        if (!scalars && !strcmp(n->rule->name, "sigmoid"))
            text_printf(t, ", %s", tensor_shape_str(A, s1, sizeof s1));
        break;
    case GRAPH_NODIFF: text_printf(t, "none: %s has no gradient, so nothing passes back", n->what); break;
    case GRAPH_LEAF: case GRAPH_CUT: break;
    }
}

char **graph_backprop_steps(GNode *root, const char *root_name, size_t *count, Error *e)
{
    Order o;
    *count = 0;
    if (!graph_backward(root, root_name, &o, e))
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
                text_printf(&t, " = %s(...) = ", op_symbol(n));
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
