/* activation.c - sigmoid, step, relu, tanh, softmax. */
#include "nudge/activation.h"

#include <math.h>

double act_sigmoid(double z)
{
    return 1.0 / (1.0 + exp(-z));
}

double act_dsigmoid(double z)
{
    double s = act_sigmoid(z);
    return s * (1.0 - s);
}

double act_step(double v)
{
    return v > 0.0 ? 1.0 : 0.0;
}

double act_relu(double z)
{
    return z > 0.0 ? z : 0.0;
}

double act_drelu(double z)
{
    return z > 0.0 ? 1.0 : 0.0;
}

double act_tanh(double z)
{
    return tanh(z);
}

double act_dtanh(double z)
{
    double t = tanh(z);
    return 1.0 - t * t;
}

void act_softmax_into(Tensor *out, const Tensor *z)
{
    for (size_t r = 0; r < z->rows; r++) {
        const double *zr = z->data + r * z->cols;
        double *o = out->data + r * z->cols;
        double max = -INFINITY;
        for (size_t c = 0; c < z->cols; c++)
            if (zr[c] > max)
                max = zr[c];
        double s = 0.0;
        for (size_t c = 0; c < z->cols; c++) {
            o[c] = exp(zr[c] - max);
            s += o[c];
        }
        for (size_t c = 0; c < z->cols; c++)
            o[c] /= s;
    }
}

Tensor *act_softmax(const Tensor *z, Error *e)
{
    Tensor *out = tensor_new(z->ndim, z->rows, z->cols, e);
    if (out)
        act_softmax_into(out, z);
    return out;
}
