/* test_interrupt.c - Ctrl-C stops the long loops of core and model. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "nudge/gradcheck.h"
#include "nudge/interrupt.h"
#include "nudge/mlp.h"
#include "nudge/perceptron.h"
#include "nudge/rng.h"
#include "nudge/tensor.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* As nudge's own SIGINT handler does. */
static void on_sigint(int sig)
{
    (void)sig;
    interrupt_request();
}

typedef struct Alarm {
    pthread_t target;
    double delay_s;
    double sent_at;
} Alarm;

/* Sends SIGINT to the test's thread after the delay, as a Ctrl-C would. */
static void *send_sigint(void *arg)
{
    Alarm *al = arg;
    struct timespec ts = { 0, (long)(al->delay_s * 1e9) };
    nanosleep(&ts, NULL);
    al->sent_at = now_s();
    pthread_kill(al->target, SIGINT);
    return NULL;
}

static void install_handler(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    cr_assert_eq(sigaction(SIGINT, &sa, NULL), 0);
    interrupt_clear();
}

Test(interrupt, a_request_stays_pending_until_cleared)
{
    interrupt_clear();
    cr_assert_not(interrupt_pending());
    Error e = { .code = ERROR_NONE };
    cr_assert_not(interrupt_check(&e));
    cr_assert_eq(e.code, ERROR_NONE);
    interrupt_request();
    cr_assert(interrupt_pending());
    cr_assert(interrupt_check(&e));
    cr_assert_eq(e.code, ERROR_INTERRUPT);
    cr_assert_str_eq(e.msg, "interrupted");
    cr_assert(interrupt_pending());
    cr_assert_eq(*interrupt_flag(), 1);
    interrupt_clear();
    cr_assert_not(interrupt_pending());
}

/* zeros(4096, 4096) @ zeros(4096, 4096) is 6.9e10 multiply-adds, seconds
 * of work even on two threads: SIGINT must end it within half a second. */
Test(interrupt, sigint_stops_a_4096_square_product_within_half_a_second, .timeout = 120)
{
    install_handler();
    Error e;
    Tensor *a = tensor_zeros(4096, 4096, &e);
    cr_assert_not_null(a, "%s", e.msg);
    Alarm al = { pthread_self(), 0.3, 0 };
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, send_sigint, &al), 0);
    double t0 = now_s();
    Tensor *p = tensor_matmul(a, a, &e);
    double t1 = now_s();
    pthread_join(t, NULL);
    cr_assert_null(p, "the product finished in %.2f s before the signal came", t1 - t0);
    cr_assert_eq(e.code, ERROR_INTERRUPT);
    cr_assert_str_eq(e.msg, "interrupted");
    cr_assert_lt(t1 - al.sent_at, 0.5, "returned %.3f s after SIGINT", t1 - al.sent_at);
    interrupt_clear();
    tensor_delete(a);
    signal(SIGINT, SIG_DFL);
}

Test(interrupt, a_small_product_finishes_even_with_a_request_pending)
{
    /* Only products that take long poll: a stale request cannot fail the
     * small ones a live view or a lesson runs after Ctrl-C stopped training. */
    Tensor *a = tensor_ones(8, 8, NULL);
    interrupt_request();
    Tensor *p = tensor_matmul(a, a, NULL);
    interrupt_clear();
    cr_assert_not_null(p);
    cr_assert_eq(p->data[0], 8.0);
    tensor_delete(a);
    tensor_delete(p);
}

Test(interrupt, a_pending_request_fails_each_long_product_kind)
{
    Tensor *a = tensor_ones(256, 256, NULL), *out = tensor_matrix(256, 256, NULL);
    interrupt_request();
    for (int kind = TENSOR_PRODUCT_AB; kind <= TENSOR_PRODUCT_ABT; kind++)
        for (int threads = 1; threads <= 2; threads++) {
            Error e;
            cr_assert_not(tensor_product_into(out, a, a, (TensorProduct)kind, TENSOR_ISA_AUTO, threads, &e));
            cr_assert_eq(e.code, ERROR_INTERRUPT);
        }
    interrupt_clear();
    cr_assert(tensor_matmul_into(out, a, a, NULL));
    cr_assert_eq(out->data[0], 256.0);
    tensor_delete(a);
    tensor_delete(out);
}

static bool sum_of_squares(void *ctx, const Tensor *x, double *out, Error *e)
{
    (void)ctx;
    (void)e;
    *out = tensor_norm(x);
    return true;
}

static Tensor *identity(void *ctx, const Tensor *x, Error *e)
{
    (void)ctx;
    return tensor_copy(x, e);
}

Test(interrupt, numerical_gradients_and_jacobians_stop)
{
    Tensor *x = tensor_ones(1, 1000, NULL);
    Error e;
    interrupt_request();
    cr_assert_null(gradcheck_gradient(sum_of_squares, NULL, x, 1e-6, &e));
    cr_assert_eq(e.code, ERROR_INTERRUPT);
    cr_assert_null(gradcheck_jacobian(identity, NULL, x, 1e-6, &e));
    cr_assert_eq(e.code, ERROR_INTERRUPT);
    interrupt_clear();
    Tensor *g = gradcheck_gradient(sum_of_squares, NULL, x, 1e-6, &e);
    cr_assert_not_null(g);
    tensor_delete(g);
    tensor_delete(x);
}

Test(interrupt, training_loops_stop_with_the_weights_of_the_last_whole_epoch)
{
    Mlp net, before;
    cr_assert(mlp_init(&net, 3, 4, 1, 1, false, MLP_SIGMOID, NULL));
    cr_assert(mlp_copy(&before, &net, NULL));
    Tensor *X = tensor_ones(4, 3, NULL), *Y = tensor_ones(4, 1, NULL);
    Error e;
    MlpTrainReport r;
    interrupt_request();
    cr_assert_not(mlp_train(&net, X, Y, 1000, 1.0, NULL, NULL, &r, &e));
    cr_assert_eq(e.code, ERROR_INTERRUPT);
    cr_assert_eq(memcmp(net.W1->data, before.W1->data, 12 * sizeof(double)), 0);
    Rng rng;
    rng_init(&rng, 0);
    MlpOptions o;
    mlp_options_init(&o);
    o.epochs = 10;
    o.batch = 2;
    cr_assert_not(mlp_fit(&net, X, Y, NULL, NULL, &o, &rng, NULL, NULL, &r, &e));
    cr_assert_eq(e.code, ERROR_INTERRUPT);
    Perceptron p;
    Tensor *w = tensor_vector(3, NULL);
    cr_assert(perceptron_init(&p, w, 1.0, NULL));
    PerceptronReport pr;
    Tensor *y = tensor_ones(1, 4, NULL);
    cr_assert_not(perceptron_train(&p, X, y, 10, NULL, NULL, &pr, &e));
    cr_assert_eq(e.code, ERROR_INTERRUPT);
    interrupt_clear();
    cr_assert(mlp_train(&net, X, Y, 3, 1.0, NULL, NULL, &r, &e));
    cr_assert_eq(r.epochs_run, 3);
    perceptron_free(&p);
    mlp_free(&net);
    mlp_free(&before);
    tensor_delete(X);
    tensor_delete(Y);
    tensor_delete(y);
    tensor_delete(w);
}
