/* derivs.h - the gradient rules of the built-in functions (derivs.c), for
 * their table rows.  Private to src/lang. */
#ifndef NUDGE_LANG_DERIVS_H
#define NUDGE_LANG_DERIVS_H

#include "nudge/graph.h"

/* Element by element. */
extern const GraphRule grad_exp, grad_expm1, grad_log, grad_log10, grad_log2, grad_log1p, grad_sqrt, grad_square,
    grad_sin, grad_cos, grad_tan, grad_asin, grad_acos, grad_atan, grad_sinh, grad_cosh, grad_asinh, grad_acosh,
    grad_atanh, grad_erf, grad_erfc, grad_tanh, grad_sigmoid, grad_dsigmoid, grad_relu, grad_abs, grad_radians,
    grad_degrees, grad_copy, grad_astype, grad_gamma, grad_lgamma;
/* Two inputs, element by element, broadcasting. */
extern const GraphRule grad_power, grad_maximum, grad_minimum, grad_hypot, grad_atan2;
/* Reductions (axis= or all), and the norm. */
extern const GraphRule grad_sum, grad_mean, grad_max, grad_min, grad_amax, grad_amin, grad_norm;
/* Shapes and products. */
extern const GraphRule grad_reshape, grad_transpose, grad_dot, grad_matmul, grad_outer;
/* Losses and softmax. */
extern const GraphRule grad_softmax, grad_mse, grad_cross_entropy;
/* Flat functions (argmax, round: no gradient, none needed), clip, var and std. */
extern const GraphRule grad_flat, grad_clip, grad_var, grad_std;

#endif
