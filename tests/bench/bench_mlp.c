/* bench_mlp.c - in-process timing of nudge's networks, and a process timer.
 *
 * Five modes, each printing one line of key=value pairs for run.sh:
 *
 *   bench_mlp ch7 ITERS
 *       the chapter-7 network (3-4-1, sigmoid, seed 1, lr 1, no biases) on
 *       the book's four examples: one warm-up mlp_train, then ITERS epochs
 *       timed with clock_gettime around a single mlp_train call.
 *   bench_mlp digits CSV HIDDEN EPOCHS [book|centred [BATCH]]
 *       a 64-HIDDEN-10 softmax network with biases trained on the digits
 *       (pixels / 16, one-hot labels from the last column), EPOCHS epochs
 *       timed after a warm-up; tests/bench/digits.py is the same in numpy.
 *       book (the default): the book's init, seed 1 and weights in [0, 1),
 *       lr 0.5/1797; centred: seed 0 and weights rand() - 0.5, as real
 *       networks start, lr 0.001.  BATCH (default all 1797 rows): mini-
 *       batches of that many rows, shuffled each epoch from the same seed.
 *   bench_mlp product M K N ab|tn|nt auto|sse2|avx2|avx512 THREADS REPS
 *       one matrix product, REPS times, with the given kernel and threads.
 *   bench_mlp info
 *       the kernels this processor gets for products and exp.
 *   bench_mlp exec [-o FILE] [-t] -- PROGRAM ARGS...
 *       runs PROGRAM, with its output sent to /dev/null unless -t (keep the
 *       terminal), and reports its wall time and peak resident set (from
 *       getrusage(RUSAGE_CHILDREN)) to FILE, or to standard output.
 *
 * The training modes report wall time (CLOCK_MONOTONIC, the headline figure)
 * and this process's CPU time (cpu_..., which waiting for a core on a busy
 * machine does not inflate), and their own peak RSS from getrusage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nudge/activation.h"
#include "nudge/csv.h"
#include "nudge/mlp.h"
#include "nudge/rng.h"

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static long self_maxrss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static int fail(const char *what, const Error *e)
{
    fprintf(stderr, "bench_mlp: %s: %s\n", what, e ? e->msg : strerror(errno));
    return 1;
}

/* Parses a positive count, or exits with a message naming the argument. */
static size_t count_arg(const char *s, const char *name)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v == 0) {
        fprintf(stderr, "bench_mlp: %s must be a positive whole number, not '%s'\n", name, s);
        exit(2);
    }
    return (size_t)v;
}

static int bench_ch7(size_t iters)
{
    static const double xs[] = { 0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1 };
    static const double ys[] = { 0, 1, 1, 0 };
    Error e = {0};
    Tensor *X = tensor_from(2, 4, 3, xs, &e);
    Tensor *Y = X ? tensor_from(2, 4, 1, ys, &e) : NULL;
    if (!Y)
        return fail("ch7 data", &e);
    Mlp warm, net;
    MlpTrainReport rep;
    size_t warm_iters = iters < 1000 ? iters : 1000;
    if (!mlp_init(&warm, 3, 4, 1, 1, false, MLP_SIGMOID, &e)
        || !mlp_train(&warm, X, Y, warm_iters, 1.0, NULL, NULL, &rep, &e))
        return fail("ch7 warm-up", &e);
    if (!mlp_init(&net, 3, 4, 1, 1, false, MLP_SIGMOID, &e))
        return fail("ch7 init", &e);
    double c0 = cpu_ns(), t0 = now_ns();
    if (!mlp_train(&net, X, Y, iters, 1.0, NULL, NULL, &rep, &e))
        return fail("ch7 train", &e);
    double t1 = now_ns(), c1 = cpu_ns();
    MlpPass pass;
    mlp_pass_init(&pass);
    if (!mlp_forward(&net, X, &pass, &e))
        return fail("ch7 forward", &e);
    printf("ns_per_iter=%.4f cpu_ns_per_iter=%.4f total_ms=%.3f maxrss_kb=%ld "
           "out=%.3f,%.3f,%.3f,%.3f cost=%.6g\n",
           (t1 - t0) / (double)iters, (c1 - c0) / (double)iters, (t1 - t0) / 1e6, self_maxrss_kb(),
           mlp_pass_output(&pass)->data[0],
           mlp_pass_output(&pass)->data[1], mlp_pass_output(&pass)->data[2], mlp_pass_output(&pass)->data[3], rep.last_loss);
    mlp_pass_free(&pass);
    mlp_free(&warm);
    mlp_free(&net);
    tensor_delete(X);
    tensor_delete(Y);
    return 0;
}

/* A 64-hidden-10 softmax net with biases: the book's init (seed 1, weights
 * in [0, 1)) or the centred one real networks start from (seed 0, weights
 * rand() - 0.5, then the same generator shuffles the mini-batches). */
static bool digits_net(Mlp *net, size_t hidden, bool centred, Rng *rng, Error *e)
{
    if (!centred) {
        rng_init(rng, 1);
        return mlp_init_rng(net, 64, hidden, 10, rng, true, MLP_SOFTMAX, e);
    }
    rng_init(rng, 0);
    if (!mlp_init_rng(net, 64, hidden, 10, rng, true, MLP_SOFTMAX, e))
        return false;
    for (size_t i = 0; i < tensor_size(net->W1); i++)
        net->W1->data[i] -= 0.5;
    for (size_t i = 0; i < tensor_size(net->W2); i++)
        net->W2->data[i] -= 0.5;
    return true;
}

static bool digits_train(Mlp *net, const Tensor *X, const Tensor *Y, size_t epochs, double lr, size_t batch,
                         Rng *rng, MlpTrainReport *rep, Error *e)
{
    if (batch >= X->rows)
        return mlp_train(net, X, Y, epochs, lr, NULL, NULL, rep, e);
    /* The summed gradient (digits.py's numpy steps sum it too). */
    MlpOptions o;
    mlp_options_init(&o);
    o.epochs = epochs;
    o.lr = lr;
    o.batch = batch;
    o.mean = false;
    return mlp_fit(net, X, Y, NULL, NULL, &o, rng, NULL, NULL, rep, e);
}

static int bench_digits(const char *path, size_t hidden, size_t epochs, bool centred, size_t batch)
{
    Error e = {0};
    Tensor *D = csv_load(path, NULL, &e);
    if (!D)
        return fail("digits data", &e);
    if (D->cols != 65)
        return fprintf(stderr, "bench_mlp: %s has %zu columns, not 65\n", path, D->cols), 1;
    size_t n = D->rows;
    Tensor *X = tensor_matrix(n, 64, &e);
    Tensor *Y = X ? tensor_matrix(n, 10, &e) : NULL;
    if (!Y)
        return fail("digits tensors", &e);
    for (size_t r = 0; r < n; r++) {
        for (size_t c = 0; c < 64; c++)
            X->data[r * 64 + c] = tensor_at(D, r, c) / 16.0;
        double label = tensor_at(D, r, 64);
        for (size_t c = 0; c < 10; c++)
            Y->data[r * 10 + c] = label == (double)c ? 1.0 : 0.0;
    }
    /* The cost is a sum over examples: the book's rows step by 0.5 / n; the
     * centred rows by 0.001, as in issue 20's measurements. */
    const double lr = centred ? 0.001 : 0.5 / (double)n;
    Mlp warm, net;
    Rng rng;
    MlpTrainReport rep;
    size_t warm_epochs = epochs < 20 ? epochs : 20;
    if (!digits_net(&warm, hidden, centred, &rng, &e)
        || !digits_train(&warm, X, Y, warm_epochs, lr, batch, &rng, &rep, &e))
        return fail("digits warm-up", &e);
    if (!digits_net(&net, hidden, centred, &rng, &e))
        return fail("digits init", &e);
    double c0 = cpu_ns(), t0 = now_ns();
    if (!digits_train(&net, X, Y, epochs, lr, batch, &rng, &rep, &e))
        return fail("digits train", &e);
    double t1 = now_ns(), c1 = cpu_ns();
    printf("us_per_epoch=%.3f cpu_us_per_epoch=%.3f total_ms=%.3f maxrss_kb=%ld first_cost=%.10g "
           "last_cost=%.10g epochs_run=%zu\n",
           (t1 - t0) / (double)epochs / 1e3, (c1 - c0) / (double)epochs / 1e3, (t1 - t0) / 1e6,
           self_maxrss_kb(), rep.first_loss, rep.last_loss, rep.epochs_run);
    mlp_free(&warm);
    mlp_free(&net);
    tensor_delete(D);
    tensor_delete(X);
    tensor_delete(Y);
    return 0;
}

/* One product, m x k times k x n (the kind's operands shaped to fit), with
 * the given kernel and threads, repeated reps times after one warm-up. */
static int bench_product(size_t m, size_t k, size_t n, const char *kind_s, const char *isa_s, int threads,
                         size_t reps)
{
    TensorProduct kind = !strcmp(kind_s, "tn") ? TENSOR_PRODUCT_ATB
                         : !strcmp(kind_s, "nt") ? TENSOR_PRODUCT_ABT : TENSOR_PRODUCT_AB;
    TensorIsa isa = !strcmp(isa_s, "avx512") ? TENSOR_ISA_AVX512
                    : !strcmp(isa_s, "avx2") ? TENSOR_ISA_AVX2
                    : !strcmp(isa_s, "sse2") || !strcmp(isa_s, "portable") ? TENSOR_ISA_PORTABLE : TENSOR_ISA_AUTO;
    Error e = {0};
    Tensor *a = kind == TENSOR_PRODUCT_ATB ? tensor_matrix(k, m, &e) : tensor_matrix(m, k, &e);
    Tensor *b = a ? (kind == TENSOR_PRODUCT_ABT ? tensor_matrix(n, k, &e) : tensor_matrix(k, n, &e)) : NULL;
    Tensor *out = b ? tensor_matrix(m, n, &e) : NULL;
    if (!out)
        return fail("product tensors", &e);
    for (size_t i = 0; i < tensor_size(a); i++)
        a->data[i] = (double)(i % 17) * 0.25 - 2.0;
    for (size_t i = 0; i < tensor_size(b); i++)
        b->data[i] = (double)(i % 13) * 0.5 - 3.0;
    if (!tensor_product_into(out, a, b, kind, isa, threads, &e))
        return fail("product", &e);
    double c0 = cpu_ns(), t0 = now_ns();
    for (size_t r = 0; r < reps; r++)
        tensor_product_into(out, a, b, kind, isa, threads, NULL);
    double t1 = now_ns(), c1 = cpu_ns();
    double madds = (double)m * (double)n * (double)k;
    printf("us_per_product=%.3f cpu_us_per_product=%.3f madd_per_ns=%.3f isa=%s\n", (t1 - t0) / (double)reps / 1e3,
           (c1 - c0) / (double)reps / 1e3, madds * (double)reps / (t1 - t0), tensor_isa_name(isa));
    tensor_delete(a);
    tensor_delete(b);
    tensor_delete(out);
    return 0;
}

static int bench_exec(int argc, char **argv)
{
    const char *out_path = NULL;
    int keep_tty = 0, i = 0;
    for (; i < argc && strcmp(argv[i], "--"); i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc)
            out_path = argv[++i];
        else if (!strcmp(argv[i], "-t"))
            keep_tty = 1;
        else
            return fprintf(stderr, "bench_mlp exec: unknown option '%s'\n", argv[i]), 2;
    }
    if (i + 1 >= argc)
        return fprintf(stderr, "bench_mlp exec: no program after --\n"), 2;
    char **cmd = argv + i + 1;
    double t0 = now_ns();
    pid_t pid = fork();
    if (pid < 0)
        return fail("fork", NULL);
    if (pid == 0) {
        if (!keep_tty) {
            int null = open("/dev/null", O_RDWR);
            if (null >= 0) {
                dup2(null, STDIN_FILENO);
                dup2(null, STDOUT_FILENO);
                dup2(null, STDERR_FILENO);
            }
        }
        execvp(cmd[0], cmd);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return fail("waitpid", NULL);
    double t1 = now_ns();
    /* The only child this process ever has, so the children's peak is its. */
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    FILE *f = out_path ? fopen(out_path, "w") : stdout;
    if (!f)
        return fail(out_path, NULL);
    /* CPU time (user + system) is what the program itself cost: waiting
     * for a core, which a busy machine adds to the wall time, is not in it. */
    double cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3
                    + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    fprintf(f, "wall_ms=%.3f cpu_ms=%.3f maxrss_kb=%ld status=%d\n", (t1 - t0) / 1e6, cpu_ms, ru.ru_maxrss,
            WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    if (out_path)
        fclose(f);
    return 0;
}

/* Which kernels this processor gets. */
static int bench_info(void)
{
    printf("products=%s exp=%s\n", tensor_isa_name(tensor_isa_best()),
           act_exp_kernel_available(TENSOR_ISA_AVX512) ? "avx512"
           : act_exp_kernel_available(TENSOR_ISA_AVX2) ? "avx2" : "glibc-calls");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "info"))
        return bench_info();
    if (argc == 3 && !strcmp(argv[1], "ch7"))
        return bench_ch7(count_arg(argv[2], "ITERS"));
    if (argc >= 5 && argc <= 7 && !strcmp(argv[1], "digits")) {
        bool centred = argc >= 6 && !strcmp(argv[5], "centred");
        if (argc >= 6 && !centred && strcmp(argv[5], "book"))
            return fprintf(stderr, "bench_mlp: INIT is book or centred, not '%s'\n", argv[5]), 2;
        size_t batch = argc == 7 ? count_arg(argv[6], "BATCH") : (size_t)-1;
        return bench_digits(argv[2], count_arg(argv[3], "HIDDEN"), count_arg(argv[4], "EPOCHS"), centred, batch);
    }
    if (argc == 9 && !strcmp(argv[1], "product"))
        return bench_product(count_arg(argv[2], "M"), count_arg(argv[3], "K"), count_arg(argv[4], "N"), argv[5],
                             argv[6], (int)count_arg(argv[7], "THREADS"), count_arg(argv[8], "REPS"));
    if (argc >= 2 && !strcmp(argv[1], "exec"))
        return bench_exec(argc - 2, argv + 2);
    fprintf(stderr, "usage: bench_mlp ch7 ITERS\n"
                    "       bench_mlp digits CSV HIDDEN EPOCHS [book|centred [BATCH]]\n"
                    "       bench_mlp product M K N ab|tn|nt auto|sse2|avx2|avx512 THREADS REPS\n"
                    "       bench_mlp exec [-o FILE] [-t] -- PROGRAM ARGS...\n"
                    "       bench_mlp info\n");
    return 2;
}
