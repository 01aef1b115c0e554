/* graph.c - computation graphs and reverse-mode differentiation; how they
 * are drawn and explained is graph_show.c. */
#include "nudge/graph.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "nudge/interrupt.h"
#include "nudge/mem.h"
#include "graph_walk.h"

/* --- making and freeing ---------------------------------------------------- */

/* The value a node keeps.  A node that can be differentiated keeps a copy,
 * since the array it was made from may change in place later; a cut one
 * is only ever shown, so it shares the array instead of copying up to
 * 128 MiB that no grad will read. */
static Tensor *keep_value(GraphOp op, Tensor *value, double x)
{
    if (value)
        return op == GRAPH_CUT ? tensor_retain(value) : tensor_copy(value, NULL);
    return tensor_from(1, 1, 1, &x, NULL);
}

static GNode *node_alloc(GraphOp op, Tensor *value, double x)
{
    GNode *n = mem_calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->value = keep_value(op, value, x);
    if (!n->value) {
        mem_free(n);
        return NULL;
    }
    n->refs = 1;
    n->op = op;
    n->scalar = value == NULL;
    n->axis = -1;
    n->p[0] = n->p[1] = NAN;
    n->nodes = 1;
    n->bytes = tensor_size(n->value) * sizeof(double) + sizeof *n;
    return n;
}

/* A value over GRAPH_MAX_BYTES cuts any history it enters, so its leaf is
 * born cut. */
GNode *graph_leaf(Tensor *value, double x, const char *name, unsigned long version)
{
    bool huge = value && tensor_size(value) > GRAPH_MAX_BYTES / sizeof(double);
    GNode *n = node_alloc(huge ? GRAPH_CUT : GRAPH_LEAF, value, x);
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

GNode *graph_node(GraphOp op, GNode *a, GNode *b, Tensor *value, double x)
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

/* --- traversal -------------------------------------------------------------- */

/* Clears the marks a traversal left on the nodes it listed. */
void graph_clear_marks(const Order *o)
{
    for (size_t i = 0; i < o->n; i++)
        o->nodes[i]->mark = 0;
}

/* Post-order without recursion; every mark is 0 again afterwards. */
bool graph_topo_order(GNode *root, Order *o, Error *e)
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
            void *g = mem_grow(stack, &cap, top + 1, sizeof *stack, 0);
            if (!g)
                goto oom;
            stack = g;
            stack[top++] = (struct Frame){ k, 0 };
            continue;
        }
        void *g = mem_grow(o->nodes, &ocap, o->n + 1, sizeof *o->nodes, 0);
        if (!g)
            goto oom;
        o->nodes = g;
        o->nodes[o->n++] = f->n;
        top--;
    }
    mem_free(stack);
    graph_clear_marks(o);
    return true;
oom:
    graph_clear_marks(o);
    mem_free(stack);
    mem_free(o->nodes);
    o->nodes = NULL;
    return error_nomem(e, "grad");
}

size_t graph_count(GNode *root)
{
    Order o;
    if (!root || !graph_topo_order(root, &o, NULL))
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

void graph_vjp_matmul(const Tensor *A, const Tensor *B, const double *G, double *ga, double *gb)
{
    if (A->ndim == 1 && B->ndim == 1) {
        for (size_t i = 0; i < A->cols; i++) {
            ga[i] += G[0] * B->data[i];
            gb[i] += G[0] * A->data[i];
        }
    } else if (A->ndim == 2 && B->ndim == 2) {
        /* Two products as large as the forward one: each row polls
         * Ctrl-C, and graph_backward reports it. */
        size_t m = A->rows, k = A->cols, p = B->cols;
        for (size_t i = 0; i < m && !interrupt_pending(); i++)        /* dA = G B^T */
            for (size_t q = 0; q < k; q++) {
                double s = 0;
                for (size_t j = 0; j < p; j++)
                    s += G[i * p + j] * B->data[q * p + j];
                ga[i * k + q] += s;
            }
        for (size_t q = 0; q < k && !interrupt_pending(); q++)        /* dB = A^T G */
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
}

/* Adds each input's share of n's gradient to the input's gradient. */
static bool propagate(GNode *n)
{
    if (n->op == GRAPH_LEAF || n->op == GRAPH_CUT || n->op == GRAPH_NODIFF)
        return true;    /* an operation with no gradient passes none back */
    const Tensor *out = n->value, *A = n->in[0]->value, *B = n->nin > 1 ? n->in[1]->value : NULL;
    const double *G = n->grad->data, *o = out->data;
    double *ga = grad_of(n->in[0]), *gb = n->nin > 1 ? grad_of(n->in[1]) : NULL;
    if (!ga || (n->nin > 1 && !gb))
        return false;
    size_t N = tensor_size(out);
    switch (n->op) {
    case GRAPH_ADD: case GRAPH_SUB: case GRAPH_MUL: case GRAPH_DIV: case GRAPH_POW:
        for (size_t r = 0; r < out->rows; r++)
            for (size_t c = 0; c < out->cols; c++) {
                size_t k = r * out->cols + c, ia = graph_bidx(A, r, c), ib = graph_bidx(B, r, c);
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
    case GRAPH_NEG:
        for (size_t i = 0; i < N; i++)
            ga[i] -= G[i];
        break;
    case GRAPH_COPY:
        for (size_t i = 0; i < N; i++)
            ga[i] += G[i];
        break;
    case GRAPH_MATMUL:
        graph_vjp_matmul(A, B, G, ga, gb);
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
    case GRAPH_CALL:
        n->rule->vjp(n, G, ga, gb);
        break;
    case GRAPH_LEAF: case GRAPH_CUT: case GRAPH_NODIFF:
        break;
    }
    return true;
}

/* Orders the history, clears old gradients and runs the reverse pass. */
bool graph_backward(GNode *root, const char *root_name, Order *o, Error *e)
{
    if (tensor_size(root->value) != 1)
        return error_set_in(e, ERROR_SHAPE, "grad", "%s must be a single number (a cost), not a %zu x %zu %s",
                            root_name, root->value->rows, root->value->cols,
                            root->value->ndim == 1 ? "vector" : "matrix") || error_at_arg(e, 0);
    if (!graph_topo_order(root, o, e))
        return false;
    for (size_t i = 0; i < o->n; i++) {
        if (o->nodes[i]->op == GRAPH_CUT) {
            mem_free(o->nodes);
            return error_set_in(e, ERROR_LIMIT, "grad", "%s has a longer history than grad keeps (more than %d "
                                "operations, or %zu MiB of arrays); recompute it from its variables in fewer "
                                "steps or on smaller arrays", root_name, GRAPH_MAX_NODES, GRAPH_MAX_BYTES >> 20) || error_at_arg(e, 0);
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
        if (interrupt_check(e)) {       /* Ctrl-C: a product above may have stopped half way */
            mem_free(o->nodes);
            return false;
        }
    }
    return true;
}

/* The first operation with no gradient (in the order o) whose inputs lead
 * to the variable name at version, or NULL.  Uses the marks, and leaves
 * them 0. */
static const char *nodiff_on_path(const Order *o, const char *name, unsigned long version, bool opaque)
{
    /* Inputs come before their users, so one pass marks every node that
     * leads to the variable. */
    const char *found = NULL;
    for (size_t i = 0; i < o->n; i++) {
        GNode *n = o->nodes[i];
        bool leads = n->name && !strcmp(n->name, name) && n->version == version;
        for (int k = 0; k < n->nin && !leads; k++)
            leads = n->in[k]->mark == 2;
        n->mark = leads ? 2 : 0;
        if (leads && n->op == GRAPH_NODIFF && (!opaque || n->opaque) && !found)
            found = n->what;
    }
    graph_clear_marks(o);
    return found;
}

Tensor *graph_grad(GNode *root, const char *root_name, const char *name, unsigned long version, Error *e)
{
    Order o;
    if (!graph_backward(root, root_name, &o, e))
        return NULL;
    Tensor *sum = NULL;
    bool stale = false, fail = false, blocked = false;
    for (size_t i = 0; i < o.n && !fail; i++) {
        GNode *n = o.nodes[i];
        if (!n->name || strcmp(n->name, name))
            continue;
        if (n->version != version) {
            stale = true;
            continue;
        }
        if (!n->grad) {
            blocked = true;     /* reached only through operations with no gradient */
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
    const char *opaque = fail ? NULL : nodiff_on_path(&o, name, version, true);
    const char *through = !sum && blocked ? nodiff_on_path(&o, name, version, false) : NULL;
    mem_free(o.nodes);
    if (fail)
        return NULL;
    if (opaque) {
        tensor_delete(sum);
        error_set_in(e, ERROR_ARG, "grad", "%s depends on %s through %s, which grad cannot differentiate (it "
                  "differentiates arithmetic, @ and the functions whose help gives a derivative); write that step "
                  "with those, or check the gradient with numgrad", root_name, name, opaque);
        return NULL;
    }
    if (through)
        error_set_in(e, ERROR_ARG, "grad", "%s depends on %s only through %s, which passes no gradient back (grad "
                  "differentiates arithmetic, @ and the functions whose help gives a derivative)", root_name, name,
                  through);
    else if (!sum && stale)
        error_set_in(e, ERROR_ARG, "grad", "%s has been given a new value since %s was computed; compute %s again, "
                                "then ask for its gradient", name, root_name, root_name);
    else if (!sum)
        error_set_in(e, ERROR_ARG, "grad", "%s was not computed from %s, so its gradient there is 0", root_name, name);
    return sum;
}

