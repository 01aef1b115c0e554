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
    GRAPH_SUM, GRAPH_MEAN,
    GRAPH_EXP, GRAPH_LOG, GRAPH_SIGMOID, GRAPH_RELU, GRAPH_TANH, GRAPH_SOFTMAX,
    GRAPH_DOT, GRAPH_OUTER, GRAPH_MSE, GRAPH_CE,
    GRAPH_COPY          /* a variable given another name: M = w */
} GraphOp;

typedef struct GNode {
    int refs;
    GraphOp op;
    struct GNode *in[2];
    int nin;
    Tensor *value;      /* owned copy; a number is a 1-element vector */
    bool scalar;        /* the value was a number, not a tensor */
    char *name;         /* variable tag, or NULL */
    unsigned long version;
    int axis;           /* sum/mean: -1 for all, else 0 or 1 */
    size_t r0, rn, c0, cn;   /* index: the rows and columns selected */
    size_t nodes;       /* nodes in this history (an upper bound) */
    size_t bytes;       /* bytes of values in it (an upper bound) */
    Tensor *grad;       /* the last backward pass's gradient here, or NULL */
    unsigned long mark; /* traversal stamp */
    struct GNode *next; /* graph_release's list of nodes to free */
} GNode;

/* A new leaf holding a copy of value (x when value is NULL: a number).
 * name (may be NULL) and version tag it as a variable.  NULL on OOM. */
GNode *graph_leaf(const Tensor *value, double x, const char *name, unsigned long version);

/* A node for op applied to inputs a (and b, may be NULL) that produced
 * value (copied; x when value is NULL).  Takes new references to a and b.
 * Over the limits, returns a CUT leaf instead.  NULL on OOM. */
GNode *graph_node(GraphOp op, GNode *a, GNode *b, const Tensor *value, double x);

GNode *graph_retain(GNode *n);
void graph_release(GNode *n);

/* Tags n with a variable (the value was assigned to it). */
void graph_tag(GNode *n, const char *name, unsigned long version);

/* The op for a builtin's name, or -1 when it is not differentiable. */
int graph_op_of_builtin(const char *name);

/* Runs the reverse pass from root (a scalar) and returns the gradient of
 * root with respect to the variable `name` at `version`, summed over every
 * node tagged with it, the shape of that variable's value.  Also leaves
 * each node's gradient in node->grad for graph_draw.  Errors: root not a
 * scalar, the history cut, name absent, or tagged only with an older
 * version (the variable was reassigned). */
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
