/* gradcheck.h - numerical derivatives by central differences (chapter 5).
 *
 * Used to check analytic gradients: each entry is (f(x + h) - f(x - h)) / 2h
 * with one coordinate moved at a time.  Results are new tensors owned by the
 * caller, or NULL with *e set.
 */
#ifndef NUDGE_GRADCHECK_H
#define NUDGE_GRADCHECK_H

#include <stdbool.h>

#include "nudge/mlp.h"
#include "nudge/tensor.h"

/* The default step: small enough for accuracy, large enough for rounding. */
#define GRADCHECK_STEP 1e-6

/* A scalar function of a tensor; returns false with *e set on failure. */
typedef bool (*ScalarFn)(void *ctx, const Tensor *x, double *out, Error *e);
/* A vector function of a tensor; returns a new tensor owned by the caller. */
typedef Tensor *(*VectorFn)(void *ctx, const Tensor *x, Error *e);

/* The gradient of f at x, the same shape as x. */
Tensor *gradcheck_gradient(ScalarFn f, void *ctx, const Tensor *x, double h, Error *e);

/* The m x n Jacobian J[i][j] = d f_i / d x_j of f at x (n = size of x,
 * m = size of f(x)). */
Tensor *gradcheck_jacobian(VectorFn f, void *ctx, const Tensor *x, double h, Error *e);

/* The gradient of the net's cost on (X, Y) with respect to one parameter,
 * the parameter's shape.  net is not changed. */
Tensor *gradcheck_mlp(const Mlp *net, const Tensor *X, const Tensor *Y, MlpParam which,
                      double h, Error *e);

/* The largest |a - b| / max(|a|, |b|, tiny) over two same-shape tensors. */
double gradcheck_max_rel_error(const Tensor *a, const Tensor *b);

#endif
