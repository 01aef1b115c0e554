/* assert_tensor.h - domain assertions shared by the unit tests. */
#ifndef NUDGE_ASSERT_TENSOR_H
#define NUDGE_ASSERT_TENSOR_H

#include <criterion/criterion.h>
#include <math.h>

#include "nudge/tensor.h"

/* Asserts that t has the given shape and every element is within tol of
 * expected (row-major).  tol 0 demands equal bits (up to the sign of 0). */
#define assert_tensor_near(t, ndim_, rows_, cols_, expected, tol)                         \
    do {                                                                                  \
        const Tensor *t_ = (t);                                                           \
        const double *x_ = (expected);                                                    \
        cr_assert_not_null(t_);                                                           \
        cr_assert_eq(t_->ndim, (ndim_), "ndim %d, expected %d", t_->ndim, (ndim_));      \
        cr_assert_eq(t_->rows, (size_t)(rows_), "rows %zu, expected %zu", t_->rows,      \
                     (size_t)(rows_));                                                    \
        cr_assert_eq(t_->cols, (size_t)(cols_), "cols %zu, expected %zu", t_->cols,      \
                     (size_t)(cols_));                                                    \
        for (size_t i_ = 0; i_ < tensor_size(t_); i_++)                                   \
            cr_assert(fabs(t_->data[i_] - x_[i_]) <= (tol),                               \
                      "element %zu is %.17g, expected %.17g (tol %g)", i_, t_->data[i_], \
                      x_[i_], (double)(tol));                                             \
    } while (0)

#define assert_near(got, want, tol)                                                    \
    do {                                                                               \
        double g_ = (got), w_ = (want);                                                \
        cr_assert(fabs(g_ - w_) <= (tol), "got %.17g, expected %.17g (tol %g)", g_, w_, \
                  (double)(tol));                                                      \
    } while (0)

#endif
