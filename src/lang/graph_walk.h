/* graph_walk.h - the traversals graph.c shares with graph_show.c.
 * Private to src/lang. */
#ifndef NUDGE_LANG_GRAPH_WALK_H
#define NUDGE_LANG_GRAPH_WALK_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/graph.h"

/* The nodes of a history, inputs before the nodes that use them. */
typedef struct Order {
    GNode **nodes;      /* owned (mem_free) */
    size_t n;
} Order;

/* Lists root's history in o, without recursion; every mark is 0 again
 * afterwards.  False with *e set when memory runs out. */
bool graph_topo_order(GNode *root, Order *o, Error *e);
/* Clears the marks a traversal left on the nodes o lists. */
void graph_clear_marks(const Order *o);
/* Orders root's history into o, clears the old gradients and runs the
 * reverse pass from root (a single number), leaving each node's gradient
 * in node->grad.  On failure o is freed and *e says why. */
bool graph_backward(GNode *root, const char *root_name, Order *o, Error *e);

#endif
