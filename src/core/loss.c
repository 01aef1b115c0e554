/* loss.c - mean squared error and cross-entropy. */
#include "nudge/loss.h"

#include <math.h>

static bool same_shape(const char *who, const Tensor *a, const Tensor *y, Error *e)
{
    if (tensor_same_shape(a, y))
        return true;
    char sa[48], sy[48];
    return error_set_in(e, ERROR_SHAPE, who, "prediction %s and target %s differ in shape",
                     tensor_shape_str(a, sa, sizeof sa), tensor_shape_str(y, sy, sizeof sy));
}

bool loss_mse(const Tensor *a, const Tensor *y, double *out, Error *e)
{
    if (!same_shape("mse", a, y, e))
        return false;
    double s = 0.0;
    size_t n = tensor_size(a);
    for (size_t i = 0; i < n; i++) {
        double d = y->data[i] - a->data[i];
        s += d * d;
    }
    *out = 0.5 * s;
    return true;
}

Tensor *loss_mse_grad(const Tensor *a, const Tensor *y, Error *e)
{
    if (!same_shape("mse", a, y, e))
        return NULL;
    return tensor_sub(a, y, e);
}

bool loss_cross_entropy(const Tensor *p, const Tensor *y, double *out, Error *e)
{
    if (!same_shape("cross_entropy", p, y, e))
        return false;
    double s = 0.0;
    size_t n = tensor_size(p);
    for (size_t i = 0; i < n; i++)
        if (y->data[i] != 0.0)
            s -= y->data[i] * log(p->data[i]);
    *out = s;
    return true;
}

Tensor *loss_cross_entropy_grad(const Tensor *p, const Tensor *y, Error *e)
{
    if (!same_shape("cross_entropy", p, y, e))
        return NULL;
    return tensor_sub(p, y, e);
}
