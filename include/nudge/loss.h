/* loss.h - the two costs of the book and their gradients.
 *
 * mse: C = 1/2 * sum((y - a)^2) over every element (the book's
 * C = 1/2 ||y - a||^2, summed over the batch), gradient a - y.
 * cross-entropy: L = -sum(y * log(p)) against one-hot targets y, summed over
 * the batch; with a softmax output the gradient at the logits is p - y.
 * Shapes must match exactly; a mismatch is an error naming both shapes.
 */
#ifndef NUDGE_LOSS_H
#define NUDGE_LOSS_H

#include <stdbool.h>

#include "nudge/tensor.h"

bool loss_mse(const Tensor *a, const Tensor *y, double *out, Error *e);
/* a - y, a new tensor owned by the caller. */
Tensor *loss_mse_grad(const Tensor *a, const Tensor *y, Error *e);

/* Terms with y == 0 contribute nothing (so log(0) of an unused class is not
 * NaN); a target class with p == 0 gives +inf, as the formula does. */
bool loss_cross_entropy(const Tensor *p, const Tensor *y, double *out, Error *e);
/* p - y, a new tensor owned by the caller. */
Tensor *loss_cross_entropy_grad(const Tensor *p, const Tensor *y, Error *e);

#endif
