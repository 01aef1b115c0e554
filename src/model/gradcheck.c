/* gradcheck.c - central differences for gradients and Jacobians. */
#include "nudge/gradcheck.h"

#include <math.h>

#include "nudge/interrupt.h"

Tensor *gradcheck_gradient(ScalarFn f, void *ctx, const Tensor *x, double h, Error *e)
{
    Tensor *g = tensor_new(x->ndim, x->rows, x->cols, e);
    Tensor *xp = g ? tensor_copy(x, e) : NULL;
    if (!xp) {
        tensor_delete(g);
        return NULL;
    }
    size_t n = tensor_size(x);
    for (size_t i = 0; i < n; i++) {
        if (interrupt_check(e)) {
            tensor_delete(g);
            tensor_delete(xp);
            return NULL;
        }
        double keep = xp->data[i], up, down;
        xp->data[i] = keep + h;
        bool ok = f(ctx, xp, &up, e);
        xp->data[i] = keep - h;
        ok = ok && f(ctx, xp, &down, e);
        xp->data[i] = keep;
        if (!ok) {
            tensor_delete(g);
            tensor_delete(xp);
            return NULL;
        }
        g->data[i] = (up - down) / (2.0 * h);
    }
    tensor_delete(xp);
    return g;
}

Tensor *gradcheck_jacobian(VectorFn f, void *ctx, const Tensor *x, double h, Error *e)
{
    Tensor *xp = tensor_copy(x, e);
    if (!xp)
        return NULL;
    size_t n = tensor_size(x);
    Tensor *J = NULL;
    for (size_t j = 0; j < n; j++) {
        if (interrupt_check(e)) {
            tensor_delete(J);
            tensor_delete(xp);
            return NULL;
        }
        double keep = xp->data[j];
        xp->data[j] = keep + h;
        Tensor *up = f(ctx, xp, e);
        xp->data[j] = keep - h;
        Tensor *down = up ? f(ctx, xp, e) : NULL;
        xp->data[j] = keep;
        bool ok = down != NULL;
        if (ok && tensor_size(up) != tensor_size(down)) {
            error_set_in(e, ERROR_SHAPE, "jacobian", "the function's output changed size");
            ok = false;
        }
        if (ok && !J) {
            J = tensor_matrix(tensor_size(up), n, e);
            ok = J != NULL;
        }
        if (ok && tensor_size(up) != J->rows) {
            error_set_in(e, ERROR_SHAPE, "jacobian", "the function's output changed size");
            ok = false;
        }
        if (ok)
            for (size_t i = 0; i < J->rows; i++)
                J->data[i * n + j] = (up->data[i] - down->data[i]) / (2.0 * h);
        tensor_delete(up);
        tensor_delete(down);
        if (!ok) {
            tensor_delete(J);
            tensor_delete(xp);
            return NULL;
        }
    }
    tensor_delete(xp);
    if (!J)    /* x was empty */
        J = tensor_matrix(0, 0, e);
    return J;
}

typedef struct MlpCostCtx {
    Mlp net;            /* a shallow copy whose chosen parameter is swapped */
    MlpParam which;
    const Tensor *X, *Y;
    MlpPass pass;
} MlpCostCtx;

static Tensor **ctx_slot(MlpCostCtx *c)
{
    size_t k = mlp_param_layer(c->which);
    return mlp_param_is_weight(c->which) ? &c->net.W[k] : &c->net.b[k];
}

static bool mlp_cost_at(void *ctx, const Tensor *x, double *out, Error *e)
{
    MlpCostCtx *c = ctx;
    *ctx_slot(c) = (Tensor *)x;     /* read only: forward never writes weights */
    if (!mlp_forward(&c->net, c->X, &c->pass, e))
        return false;
    *out = mlp_cost(&c->net, &c->pass, c->Y);
    return true;
}

Tensor *gradcheck_mlp(const Mlp *net, const Tensor *X, const Tensor *Y, MlpParam which,
                      double h, Error *e)
{
    const Tensor *p = mlp_param(net, which);
    if (!p) {
        error_set_in(e, ERROR_NAME, "numgrad", "this net has no %s", mlp_param_name(which));
        return NULL;
    }
    if (!mlp_check_data(net, X, Y, "numgrad", e))
        return NULL;
    MlpCostCtx c = { .net = *net, .which = which, .X = X, .Y = Y };
    mlp_pass_init(&c.pass);
    Tensor *g = gradcheck_gradient(mlp_cost_at, &c, p, h, e);
    mlp_pass_free(&c.pass);
    return g;
}

double gradcheck_max_rel_error(const Tensor *a, const Tensor *b)
{
    double worst = 0.0;
    size_t n = tensor_size(a);
    for (size_t i = 0; i < n; i++) {
        double scale = fmax(fmax(fabs(a->data[i]), fabs(b->data[i])), 1e-300);
        double r = fabs(a->data[i] - b->data[i]) / scale;
        if (r > worst || isnan(r))
            worst = r;
    }
    return worst;
}
