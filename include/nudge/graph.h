/* graph.h - computation graphs: how a value was made, and reverse-mode
 * differentiation over it (chapters 3 to 5).
 *
 * Every number or tensor the language computes with a differentiable
 * operation keeps a GNode: the operation, its inputs' nodes and a copy of
 * the value it produced.  Reading a variable that has no history makes a
 * leaf tagged with the variable's name and version; assigning a computed
 * value tags its root with the variable too, so grad(L, z) works for an
 * intermediate z as well as for a leaf w1.
 *
 * Nodes are shared and reference counted: a Value holds one reference to
 * its root, each node holds one to each input, and the whole history goes
 * with the last value that uses it.  A history longer than GRAPH_MAX_NODES
 * (or holding more than GRAPH_MAX_BYTES of values) is cut: the value keeps
 * a CUT leaf, and grad on it explains that it must be recomputed.
 */
#ifndef NUDGE_GRAPH_H
#define NUDGE_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/error.h"
#include "nudge/tensor.h"

#define GRAPH_MAX_NODES 100000
#define GRAPH_MAX_BYTES ((size_t)64 << 20)

typedef enum GraphOp {
    GRAPH_LEAF,         /* a variable (tagged) or a constant */
    GRAPH_CUT,          /* the history was longer than the limits */
    GRAPH_ADD, GRAPH_SUB, GRAPH_MUL, GRAPH_DIV, GRAPH_POW,
    GRAPH_MATMUL,       /* @, including vector @ vector */
    GRAPH_NEG, GRAPH_TRANSPOSE, GRAPH_INDEX,
    GRAPH_COPY,         /* a variable given another name: M = w */
    GRAPH_CALL,         /* a differentiable built-in function: its rule says how */
    GRAPH_NODIFF        /* an operation with no gradient (argmax, >, round): grad stops there and says so */
} GraphOp;

struct GNode;

/* How a built-in function differentiates.  Its table row (builtins.h)
 * points at one; every call recorded in a history keeps the pointer, so
 * adding a differentiable function is one rule and one row. */
typedef struct GraphRule {
    const char *name;   /* as graph, backprop and messages show it: "abs" */
    int nin;            /* array inputs it differentiates: 1, 2, or 0 for one or two (max(x), max(a, b)) */
    int nparams;        /* numbers after them that are parameters (clip's bounds, log's base) */
    bool reduces;       /* takes axis= (or an axis after its inputs): sum, mean, max */
    /* Adds each input's share of G, the gradient of n's value, to ga (and
     * gb for a second input; NULL with one): the vector-Jacobian product.
     * n->value is the output, n->in[i]->value the inputs, n->axis and
     * n->p the call's axis and numeric parameters.  ga and gb have the
     * inputs' shapes. */
    void (*vjp)(const struct GNode *n, const double *G, double *ga, double *gb);
    /* The local derivative of input i in words, for backprop's steps. */
    const char *local[2];
    /* The local derivative of input i when the inputs and the output are
     * single numbers a, b and o; NULL when backprop shows no number. */
    double (*scalar)(double a, double b, double o, int i);
    /* For help: the derivative and what it takes at a kink, or NULL. */
    const char *about;
    /* Keywords that may give p[0] and p[1] instead of positions, each a
     * space-separated list of names ("a_min min"), or NULL. */
    const char *param_kw[2];
} GraphRule;

typedef struct GNode {
    int refs;
    GraphOp op;
    struct GNode *in[2];
    int nin;
    Tensor *value;      /* owned copy; a number is a 1-element vector */
    bool scalar;        /* the value was a number, not a tensor */
    char *name;         /* variable tag, or NULL */
    unsigned long version;
    const GraphRule *rule;  /* GRAPH_CALL: how it differentiates */
    const char *what;   /* GRAPH_NODIFF: the operation, for the message ("argmax", ">") */
    bool opaque;        /* GRAPH_NODIFF: a function grad has no rule for (not a flat one such as argmax) */
    int axis;           /* a reduction's axis: -1 for all, else 0 or 1 */
    double p[2];        /* a call's numeric parameters after its array inputs (clip's bounds) */
    int np;             /* how many of p were given */
    size_t r0, rn, c0, cn;   /* index: the rows and columns selected */
    size_t nodes;       /* nodes in this history (an upper bound) */
    size_t bytes;       /* bytes of values in it (an upper bound) */
    Tensor *grad;       /* the last backward pass's gradient here, or NULL */
    unsigned long mark; /* traversal stamp */
    struct GNode *next; /* graph_release's list of nodes to free */
} GNode;

/* A new leaf holding a copy of value (x when value is NULL: a number).
 * name (may be NULL) and version tag it as a variable.  A value over
 * GRAPH_MAX_BYTES makes a CUT leaf.  NULL on OOM. */
GNode *graph_leaf(Tensor *value, double x, const char *name, unsigned long version);

/* A node for op applied to inputs a (and b, may be NULL) that produced
 * value (copied; x when value is NULL).  Takes new references to a and b.
 * Over the limits, returns a CUT leaf instead, which shares value rather
 * than copying it (it is shown, never differentiated).  NULL on OOM. */
GNode *graph_node(GraphOp op, GNode *a, GNode *b, Tensor *value, double x);

GNode *graph_retain(GNode *n);
void graph_release(GNode *n);

/* Tags n with a variable (the value was assigned to it). */
void graph_tag(GNode *n, const char *name, unsigned long version);

/* The index into an input of shape t for element (r, c) of an output it
 * was broadcast to: a row or column of size 1 repeats. */
static inline size_t graph_bidx(const Tensor *t, size_t r, size_t c)
{
    return (t->rows == 1 ? 0 : r) * t->cols + (t->cols == 1 ? 0 : c);
}

/* The vector-Jacobian product of A @ B (numpy's matmul for 1-D and 2-D
 * operands): adds G's share to ga and gb.  For rules that multiply
 * matrices (np.dot). */
void graph_vjp_matmul(const Tensor *A, const Tensor *B, const double *G, double *ga, double *gb);

/* Runs the reverse pass from root (a scalar) and returns the gradient of
 * root with respect to the variable `name` at `version`, summed over every
 * node tagged with it, the shape of that variable's value.  Also leaves
 * each node's gradient in node->grad for graph_draw.  A flat operation
 * (argmax, >, round: a gradient of 0 wherever it has one) passes none
 * back: where another path reaches the variable it counts as a constant
 * (as in PyTorch); where it is the only way, that is an error naming it.
 * A function grad has no rule for is an error wherever it leads to the
 * variable, since its share cannot be left out.  Errors: root not a scalar, the history cut, name
 * absent, reached only through operations with no gradient, or tagged
 * only with an older version (the variable was reassigned). */
Tensor *graph_grad(GNode *root, const char *root_name, const char *name, unsigned long version, Error *e);

/* Runs the reverse pass and describes it, one node per entry: the
 * node, its local derivative, the incoming gradient and their product,
 * with shapes.  Returns an array of n strings (each owned, the array too;
 * free with graph_free_steps), or NULL with *e set. */
char **graph_backprop_steps(GNode *root, const char *root_name, size_t *n, Error *e);
void graph_free_steps(char **steps, size_t n);

/* Draws the history of root as a tree in box-drawing characters, at most
 * width columns, each node with its operation, value and (after a grad or
 * backprop) its gradient.  Returns text owned by the caller. */
char *graph_draw(GNode *root, const char *root_name, int width, Error *e);

/* Counts the distinct nodes of a history (for tests and limits). */
size_t graph_count(GNode *root);

#endif
