/* activation.h - activation functions and their derivatives.
 *
 * The sigmoid is computed exactly as the book's code writes it,
 * 1 / (1 + exp(-z)), and its derivative as s * (1 - s) with s = sigmoid(z):
 * algebraically equal forms round differently and would break bit-exact
 * agreement with numpy.  Scalar functions are pure; the tensor forms return a
 * new tensor owned by the caller, or NULL with *e set.
 */
#ifndef NUDGE_ACTIVATION_H
#define NUDGE_ACTIVATION_H

#include "nudge/tensor.h"

double act_sigmoid(double z);
double act_dsigmoid(double z);      /* sigmoid(z) * (1 - sigmoid(z)) */
double act_step(double v);          /* 1 when v > 0, else 0 */
double act_relu(double z);          /* max(0, z) */
double act_drelu(double z);         /* 1 when z > 0, else 0 (0 at 0) */
double act_tanh(double z);
double act_dtanh(double z);         /* 1 - tanh(z)^2 */

/* --- over arrays ---------------------------------------------------------
 * y[i] = f(x[i]) for i < n, each with exactly the bits of the scalar form:
 * exp as glibc's exp() returns it, the sigmoid as act_sigmoid (1 / (1 +
 * exp(-z))), tanh as glibc's tanh().  exp and the sigmoid run in vectors
 * (AVX2 or AVX-512) where glibc's exp is its FMA build, whose every
 * operation the vectors repeat; elsewhere they call exp().  y may be x. */
void act_exp_values(double *y, const double *x, size_t n);
void act_sigmoid_values(double *y, const double *z, size_t n);
void act_tanh_values(double *y, const double *z, size_t n);
/* For tests and benchmarks: exp (or the sigmoid, when sigmoid) with the
 * kernel `isa` (TENSOR_ISA_PORTABLE calls exp() per element); false, with
 * y untouched, when this processor or C library cannot run it exactly. */
bool act_exp_kernel(double *y, const double *x, size_t n, bool sigmoid, TensorIsa isa);
bool act_exp_kernel_available(TensorIsa isa);

/* Softmax of a vector, or of each row of a matrix, computed stably by
 * subtracting the row's largest element before exp. */
Tensor *act_softmax(const Tensor *z, Error *e);
/* Writes the row-wise softmax of z into out (same shape), no allocation. */
void act_softmax_into(Tensor *out, const Tensor *z);

#endif
