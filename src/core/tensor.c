/* tensor.c - dense double vectors and matrices with numpy's semantics. */
#include "nudge/tensor.h"

#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nudge/interrupt.h"
#include "nudge/mem.h"

/* --- making and freeing ------------------------------------------------ */

/* Freed tensors of up to RECYCLE_ELEMS elements wait here, one list per
 * element count, for the next tensor of that size: CPython keeps free
 * lists of its small objects for the same reason.  Each thread has its
 * own lists, so no locking; tensor_recycle_trim gives them back. */
enum { RECYCLE_ELEMS = 64, RECYCLE_DEPTH = 32 };

static _Thread_local struct {
    void *head[RECYCLE_ELEMS + 1];
    int count[RECYCLE_ELEMS + 1];
} recycle;

/* A zeroed block for a tensor of n elements from the lists, or NULL.  It
 * counts as an allocation, so that tests which make the n-th allocation
 * fail still reach this one. */
static Tensor *recycled(size_t n)
{
    if (n > RECYCLE_ELEMS || !recycle.head[n] || !mem_charge())
        return NULL;
    Tensor *t = recycle.head[n];
    recycle.head[n] = *(void **)(void *)t;
    recycle.count[n]--;
    memset(t, 0, sizeof *t + (n ? n : 1) * sizeof(double));
    return t;
}

Tensor *tensor_new(int ndim, size_t rows, size_t cols, Error *e)
{
    if (ndim == 1 && rows != 1) {
        error_set_in(e, ERROR_ARG, "tensor", "a vector has one row, not %zu", rows);
        return NULL;
    }
    if (ndim != 1 && ndim != 2) {
        error_set_in(e, ERROR_ARG, "tensor", "%d dimensions; only 1 and 2 are supported", ndim);
        return NULL;
    }
    if ((cols && rows > TENSOR_MAX_ELEMS / cols) || rows * cols > TENSOR_MAX_ELEMS) {
        error_set_in(e, ERROR_LIMIT, "tensor", "%zu x %zu is too large (at most %zu elements)",
                  rows, cols, TENSOR_MAX_ELEMS);
        return NULL;
    }
    /* One allocation holds the header and the data (a tensor's data never
     * moves), and small ones are recycled: a training loop makes and drops
     * thousands of arrays of a few elements each. */
    size_t n = rows * cols;
    Tensor *t = recycled(n);
    if (!t)
        t = mem_calloc(1, sizeof *t + (n ? n : 1) * sizeof(double));
    if (!t) {
        error_nomem(e, "tensor");
        return NULL;
    }
    t->data = (double *)(void *)(t + 1);
    t->ndim = ndim;
    t->rows = rows;
    t->cols = cols;
    t->dtype = DTYPE_FLOAT64;
    t->refs = 1;
    return t;
}

Tensor *tensor_vector(size_t n, Error *e)
{
    return tensor_new(1, 1, n, e);
}

Tensor *tensor_matrix(size_t rows, size_t cols, Error *e)
{
    return tensor_new(2, rows, cols, e);
}

Tensor *tensor_from(int ndim, size_t rows, size_t cols, const double *values, Error *e)
{
    Tensor *t = tensor_new(ndim, rows, cols, e);
    if (t && rows * cols != 0)
        memcpy(t->data, values, rows * cols * sizeof *values);
    return t;
}

Tensor *tensor_copy(const Tensor *t, Error *e)
{
    Tensor *c = tensor_from(t->ndim, t->rows, t->cols, t->data, e);
    if (c)
        c->dtype = t->dtype;
    return c;
}

void tensor_delete(Tensor *t)
{
    if (!t || --t->refs > 0)
        return;
    size_t n = t->rows * t->cols;
    if (n <= RECYCLE_ELEMS && recycle.count[n] < RECYCLE_DEPTH) {
        *(void **)(void *)t = recycle.head[n];
        recycle.head[n] = t;
        recycle.count[n]++;
        return;
    }
    mem_free(t);
}

void tensor_recycle_trim(void)
{
    for (size_t n = 0; n <= RECYCLE_ELEMS; n++) {
        while (recycle.head[n]) {
            void *next = *(void **)recycle.head[n];
            mem_free(recycle.head[n]);
            recycle.head[n] = next;
        }
        recycle.count[n] = 0;
    }
}

Tensor *tensor_retain(Tensor *t)
{
    t->refs++;
    return t;
}

Tensor *tensor_zeros(size_t rows, size_t cols, Error *e)
{
    return tensor_matrix(rows, cols, e);
}

Tensor *tensor_ones(size_t rows, size_t cols, Error *e)
{
    Tensor *t = tensor_matrix(rows, cols, e);
    if (t)
        for (size_t i = 0; i < rows * cols; i++)
            t->data[i] = 1.0;
    return t;
}

Tensor *tensor_eye(size_t n, Error *e)
{
    Tensor *t = tensor_matrix(n, n, e);
    if (t)
        for (size_t i = 0; i < n; i++)
            t->data[i * n + i] = 1.0;
    return t;
}

/* --- reading ------------------------------------------------------------- */

bool tensor_same_shape(const Tensor *a, const Tensor *b)
{
    return a->ndim == b->ndim && a->rows == b->rows && a->cols == b->cols;
}

const char *tensor_shape_fmt(int ndim, size_t rows, size_t cols, char *buf, size_t n)
{
    if (ndim == 1)
        snprintf(buf, n, "(%zu,)", cols);
    else
        snprintf(buf, n, "(%zu, %zu)", rows, cols);
    return buf;
}

const char *tensor_shape_str(const Tensor *t, char *buf, size_t n)
{
    return tensor_shape_fmt(t->ndim, t->rows, t->cols, buf, n);
}

/* --- element-wise, with broadcasting ------------------------------------ */

double tensor_op_add(double a, double b) { return a + b; }
double tensor_op_sub(double a, double b) { return a - b; }
double tensor_op_mul(double a, double b) { return a * b; }
double tensor_op_div(double a, double b) { return a / b; }

/* Element-wise passes over a large array (2^24 values take a good part of
 * a second) check Ctrl-C after each block of POLL_BLOCK values; passes
 * smaller than a block never poll, so they never fail. */
enum { POLL_BLOCK = 1 << 16 };

/* Counts values done; true (with e set) when a block is complete and an
 * interrupt is pending. */
static bool poll_due(size_t *since, size_t done, Error *e)
{
    *since += done;
    if (*since < POLL_BLOCK)
        return false;
    *since = 0;
    return interrupt_check(e);
}

/* z[i] = f(x[i * xs], y[i * ys]) for i < n.  The four arithmetic
 * operations run inline: a call per element costs more than the
 * arithmetic on the few elements a training loop's arrays hold. */
static void zip_run(double *z, const double *x, size_t xs, const double *y, size_t ys, size_t n, TensorFn2 f)
{
    if (f == tensor_op_add)
        for (size_t i = 0; i < n; i++)
            z[i] = x[i * xs] + y[i * ys];
    else if (f == tensor_op_sub)
        for (size_t i = 0; i < n; i++)
            z[i] = x[i * xs] - y[i * ys];
    else if (f == tensor_op_mul)
        for (size_t i = 0; i < n; i++)
            z[i] = x[i * xs] * y[i * ys];
    else if (f == tensor_op_div)
        for (size_t i = 0; i < n; i++)
            z[i] = x[i * xs] / y[i * ys];
    else
        for (size_t i = 0; i < n; i++)
            z[i] = f(x[i * xs], y[i * ys]);
}

/* zip_run in blocks, polling Ctrl-C between them. */
static bool zip_blocks(double *z, const double *x, size_t xs, const double *y, size_t ys, size_t n, TensorFn2 f,
                       size_t *since, Error *e)
{
    for (size_t i = 0; i < n; i += POLL_BLOCK) {
        size_t m = n - i < POLL_BLOCK ? n - i : POLL_BLOCK;
        zip_run(z + i, x + i * xs, xs, y + i * ys, ys, m, f);
        if (poll_due(since, m, e))
            return false;
    }
    return true;
}

/* numpy's rule per axis: equal, or one side is 1 (a vector is a 1 x n row). */
static bool broadcast_dim(size_t a, size_t b, size_t *out)
{
    if (a == b || b == 1) {
        *out = a;
        return true;
    }
    if (a == 1) {
        *out = b;
        return true;
    }
    return false;
}

Tensor *tensor_zip(const Tensor *a, const Tensor *b, TensorFn2 f, const char *who, Error *e)
{
    size_t rows, cols;
    if (!broadcast_dim(a->rows, b->rows, &rows) || !broadcast_dim(a->cols, b->cols, &cols)) {
        char sa[48], sb[48];
        error_set_in(e, ERROR_SHAPE, who, "shapes %s and %s do not broadcast",
                  tensor_shape_str(a, sa, sizeof sa), tensor_shape_str(b, sb, sizeof sb));
        return NULL;
    }
    int ndim = a->ndim > b->ndim ? a->ndim : b->ndim;
    Tensor *t = tensor_new(ndim, rows, cols, e);
    if (!t)
        return NULL;
    size_t since = 0;
    bool ok = true;
    if (a->rows == b->rows && a->cols == b->cols) {
        ok = zip_blocks(t->data, a->data, 1, b->data, 1, rows * cols, f, &since, e);
    } else {
        /* Strides of 0 repeat a row or a column without copying it. */
        size_t ars = a->rows == 1 ? 0 : a->cols, acs = a->cols == 1 ? 0 : 1;
        size_t brs = b->rows == 1 ? 0 : b->cols, bcs = b->cols == 1 ? 0 : 1;
        for (size_t r = 0; r < rows && ok; r++)
            ok = zip_blocks(t->data + r * cols, a->data + r * ars, acs, b->data + r * brs, bcs, cols, f, &since, e);
    }
    if (!ok) {
        tensor_delete(t);
        return NULL;
    }
    return t;
}

Tensor *tensor_add(const Tensor *a, const Tensor *b, Error *e) { return tensor_zip(a, b, tensor_op_add, "+", e); }
Tensor *tensor_sub(const Tensor *a, const Tensor *b, Error *e) { return tensor_zip(a, b, tensor_op_sub, "-", e); }
Tensor *tensor_mul(const Tensor *a, const Tensor *b, Error *e) { return tensor_zip(a, b, tensor_op_mul, "*", e); }
Tensor *tensor_div(const Tensor *a, const Tensor *b, Error *e) { return tensor_zip(a, b, tensor_op_div, "/", e); }
Tensor *tensor_pow(const Tensor *a, const Tensor *b, Error *e) { return tensor_zip(a, b, pow, "**", e); }

Tensor *tensor_scalar(const Tensor *t, double s, TensorFn2 f, bool scalar_left, Error *e)
{
    Tensor *out = tensor_new(t->ndim, t->rows, t->cols, e);
    if (!out)
        return NULL;
    size_t since = 0;
    bool ok = scalar_left ? zip_blocks(out->data, &s, 0, t->data, 1, tensor_size(t), f, &since, e)
                          : zip_blocks(out->data, t->data, 1, &s, 0, tensor_size(t), f, &since, e);
    if (!ok) {
        tensor_delete(out);
        return NULL;
    }
    return out;
}

bool tensor_map_into(Tensor *out, const Tensor *t, TensorFn f, Error *e)
{
    size_t n = tensor_size(t), since = 0;
    for (size_t i = 0; i < n; i++) {
        out->data[i] = f(t->data[i]);
        if (poll_due(&since, 1, e))
            return false;
    }
    return true;
}

Tensor *tensor_map(const Tensor *t, TensorFn f, Error *e)
{
    Tensor *out = tensor_new(t->ndim, t->rows, t->cols, e);
    if (out && !tensor_map_into(out, t, f, e)) {
        tensor_delete(out);
        return NULL;
    }
    return out;
}

/* --- products ------------------------------------------------------------ */

bool tensor_dot(const Tensor *a, const Tensor *b, double *out, Error *e)
{
    if (tensor_size(a) != tensor_size(b) || (a->ndim == 2 && b->ndim == 2 && !tensor_same_shape(a, b))) {
        char sa[48], sb[48];
        if (a->ndim == 1 && b->ndim == 1)
            return error_set_in(e, ERROR_SHAPE, "dot", "vectors have different lengths (%zu and %zu)",
                             a->cols, b->cols);
        return error_set_in(e, ERROR_SHAPE, "dot", "shapes %s and %s have different sizes",
                         tensor_shape_str(a, sa, sizeof sa), tensor_shape_str(b, sb, sizeof sb));
    }
    double s = 0.0;
    size_t n = tensor_size(a);
    for (size_t i = 0; i < n; i++)
        s += a->data[i] * b->data[i];
    *out = s;
    return true;
}

/* The three products share one blocked kernel (product_kernel.h), compiled
 * for the portable baseline (SSE2 on x86-64) and, on x86-64, for AVX2 and
 * AVX-512, which are chosen at run time when the processor has them.  Each
 * output element is a sum that starts from +0.0 (so that, as in numpy, a sum
 * of negative zeros is +0) and adds its k terms in ascending p, each
 * multiply and add rounded on its own: that fixes every bit of the result,
 * so the kernels may vectorise across output columns, tile, block and split
 * the rows between threads as they please, and may stop a sum after a block
 * of p and pick it up again from the stored partial sum, an exact double.
 *
 * A(i, p) = a[i * ai + p * ap], any strides; B(p, j) = b[(p - bp) * ldb + j],
 * rows contiguous so that j runs along vectors (bp is the p of b's first
 * row).  The work goes in blocks of BLOCK_P terms by a strip of columns, so
 * that a block of B stays in L1 while every row of A sweeps it, and within
 * a strip in tiles of rows whose sums stay in registers across the block. */
typedef struct Operands {
    const double *a;
    size_t ai, ap;
    const double *b;
    size_t ldb, bp;
    double *out;
    size_t ldo;
} Operands;

enum {
    BLOCK_P = 128,
    PANEL_P = 32,       /* the panel of b^T that an a @ b^T product copies */
    PANEL_J = 64,       /* to the stack: 16 KiB */
};

/* Products of at least this many multiply-adds poll for Ctrl-C every tile;
 * a smaller one takes under a millisecond. */
#define POLL_MIN_WORK 2097152.0
/* Products of at least this many multiply-adds, with at least THREAD_MIN_ROWS
 * rows, share their rows between two threads when a second processor is
 * free (tests/bench/run.sh --threads measures where that pays). */
#define THREAD_MIN_WORK 16777216.0
#define THREAD_MIN_ROWS 32
#define THREAD_CHUNK_ROWS 16

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#define HAVE_X86_KERNELS 1
#include <immintrin.h>
#else
#define HAVE_X86_KERNELS 0
#endif

/* The portable kernel: vectors of two doubles (SSE2 on x86-64), and a plain
 * double for an odd last column. */
typedef double V2D __attribute__((vector_size(16)));

static inline V2D v2d_load(const double *p)
{
    V2D v;
    memcpy(&v, p, sizeof v);
    return v;
}

#define KNAME(x) x##_base
#define KATTR
#define KVEC V2D
#define KW 2
#define KLOAD(p) v2d_load(p)
#define KSTORE(p, v) memcpy((p), &(v), sizeof(V2D))
#define KZERO ((V2D){ 0.0, 0.0 })
#define KNV 3
#define KROWS(v) ((v) <= 1 ? 8 : (v) == 2 ? 6 : 4)
#define KPART_T double
#define KPART_MASK(m, t) (void)(t)
#define KPART_LOAD(p, m) (*(p))
#define KPART_STORE(p, v, m) (*(p) = (v))
#define KPART_ZERO 0.0
#define KNARROW 0
#include "product_kernel.h"
#undef KNAME
#undef KATTR
#undef KVEC
#undef KW
#undef KLOAD
#undef KSTORE
#undef KZERO
#undef KNV
#undef KROWS
#undef KPART_T
#undef KPART_MASK
#undef KPART_LOAD
#undef KPART_STORE
#undef KPART_ZERO
#undef KNARROW

#if HAVE_X86_KERNELS
/* AVX2: 16 registers of four doubles; the last partial vector goes through
 * vmaskmovpd, which neither reads nor writes the lanes it leaves out. */
#define KNAME(x) x##_avx2
#define KATTR __attribute__((target("avx2")))
#define KVEC __m256d
#define KW 4
#define KLOAD(p) _mm256_loadu_pd(p)
#define KSTORE(p, v) _mm256_storeu_pd((p), (v))
#define KZERO _mm256_setzero_pd()
#define KNV 3
#define KROWS(v) ((v) <= 1 ? 8 : (v) == 2 ? 6 : 4)
#define KPART_T __m256d
#define KPART_MASK(m, t) \
    const __m256i m = _mm256_cmpgt_epi64(_mm256_set1_epi64x((long long)(t)), _mm256_setr_epi64x(0, 1, 2, 3))
#define KPART_LOAD(p, m) _mm256_maskload_pd((p), (m))
#define KPART_STORE(p, v, m) _mm256_maskstore_pd((p), (m), (v))
#define KPART_ZERO _mm256_setzero_pd()
#define KNARROW 1
#include "product_kernel.h"
#undef KNAME
#undef KATTR
#undef KVEC
#undef KW
#undef KLOAD
#undef KSTORE
#undef KZERO
#undef KNV
#undef KROWS
#undef KPART_T
#undef KPART_MASK
#undef KPART_LOAD
#undef KPART_STORE
#undef KPART_ZERO
#undef KNARROW

/* AVX-512: 32 registers of eight doubles; the partial vector is masked. */
#define KNAME(x) x##_avx512
#define KATTR __attribute__((target("avx512f")))
#define KVEC __m512d
#define KW 8
#define KLOAD(p) _mm512_loadu_pd(p)
#define KSTORE(p, v) _mm512_storeu_pd((p), (v))
#define KZERO _mm512_setzero_pd()
#define KNV 4
#define KROWS(v) ((v) <= 3 ? 8 : 6)
#define KPART_T __m512d
#define KPART_MASK(m, t) const __mmask8 m = (__mmask8)((1u << (t)) - 1u)
#define KPART_LOAD(p, m) _mm512_maskz_loadu_pd((m), (p))
#define KPART_STORE(p, v, m) _mm512_mask_storeu_pd((p), (m), (v))
#define KPART_ZERO _mm512_setzero_pd()
#define KNARROW 1
#include "product_kernel.h"
#undef KNAME
#undef KATTR
#undef KVEC
#undef KW
#undef KLOAD
#undef KSTORE
#undef KZERO
#undef KNV
#undef KROWS
#undef KPART_T
#undef KPART_MASK
#undef KPART_LOAD
#undef KPART_STORE
#undef KPART_ZERO
#undef KNARROW
#endif

bool tensor_isa_available(TensorIsa isa)
{
    switch (isa) {
    case TENSOR_ISA_AUTO:
    case TENSOR_ISA_PORTABLE:
        return true;
#if HAVE_X86_KERNELS
    case TENSOR_ISA_AVX2:
        return __builtin_cpu_supports("avx2");
    case TENSOR_ISA_AVX512:
        return __builtin_cpu_supports("avx512f");
#else
    case TENSOR_ISA_AVX2:
    case TENSOR_ISA_AVX512:
        return false;
#endif
    }
    return false;
}

const char *tensor_isa_name(TensorIsa isa)
{
    switch (isa) {
    case TENSOR_ISA_AUTO: return tensor_isa_name(tensor_isa_best());
    case TENSOR_ISA_PORTABLE: return HAVE_X86_KERNELS ? "sse2" : "portable";
    case TENSOR_ISA_AVX2: return "avx2";
    case TENSOR_ISA_AVX512: return "avx512";
    }
    return "?";
}

TensorIsa tensor_isa_best(void)
{
    if (tensor_isa_available(TENSOR_ISA_AVX512))
        return TENSOR_ISA_AVX512;
    if (tensor_isa_available(TENSOR_ISA_AVX2))
        return TENSOR_ISA_AVX2;
    return TENSOR_ISA_PORTABLE;
}

/* Rows i0 .. i1-1 of out = A B (m x n), terms q0 .. q1-1 (q1 > q0). */
static bool run_kernel(TensorIsa isa, const Operands *o, size_t i0, size_t i1, size_t n, size_t q0, size_t q1,
                       bool poll)
{
    switch (isa) {
#if HAVE_X86_KERNELS
    case TENSOR_ISA_AVX512: return product_avx512(o, i0, i1, n, q0, q1, poll);
    case TENSOR_ISA_AVX2: return product_avx2(o, i0, i1, n, q0, q1, poll);
#endif
    default: return product_base(o, i0, i1, n, q0, q1, poll);
    }
}

/* One thread's share of a product: the rows i0 .. i1-1 of out. */
typedef struct Job {
    TensorProduct kind;
    const Tensor *a, *b;
    Tensor *out;
    TensorIsa isa;
    bool poll;
    size_t i0, i1;
} Job;

static bool job_run(const Job *jb)
{
    const Tensor *a = jb->a, *b = jb->b;
    size_t n = jb->out->cols, rows = jb->i1 - jb->i0;
    size_t k = jb->kind == TENSOR_PRODUCT_ATB ? a->rows : a->cols;
    double *out = jb->out->data + jb->i0 * n;
    if (k == 0) {       /* an empty sum */
        for (size_t i = 0; i < rows * n; i++)
            out[i] = 0.0;
        return true;
    }
    if (jb->kind == TENSOR_PRODUCT_AB) {
        Operands o = { a->data + jb->i0 * k, k, 1, b->data, n, 0, out, n };
        return run_kernel(jb->isa, &o, 0, rows, n, 0, k, jb->poll);
    }
    if (jb->kind == TENSOR_PRODUCT_ATB) {
        /* out[i][j] = sum_p a[p][i] b[p][j] */
        Operands o = { a->data + jb->i0, 1, a->cols, b->data, n, 0, out, n };
        return run_kernel(jb->isa, &o, 0, rows, n, 0, k, jb->poll);
    }
    /* out[i][j] = sum_p a[i][p] b[j][p]: b^T is copied a panel at a time to
     * the stack so that its rows are contiguous; each panel of p continues
     * the sums of the one before. */
    double panel[PANEL_P * PANEL_J];
    for (size_t j0 = 0; j0 < n; j0 += PANEL_J) {
        size_t nj = n - j0 < PANEL_J ? n - j0 : PANEL_J;
        for (size_t p0 = 0; p0 < k; p0 += PANEL_P) {
            size_t np = k - p0 < PANEL_P ? k - p0 : PANEL_P;
            for (size_t p = 0; p < np; p++)
                for (size_t j = 0; j < nj; j++)
                    panel[p * nj + j] = b->data[(j0 + j) * k + p0 + p];
            Operands o = { a->data + jb->i0 * k, k, 1, panel, nj, p0, out + j0, n };
            if (!run_kernel(jb->isa, &o, 0, rows, nj, p0, p0 + np, jb->poll))
                return false;
        }
    }
    return true;
}

/* Two threads share a product's rows in chunks, each taking the next chunk
 * when it is done with one: when the machine is busy and the helper gets a
 * processor late, or never, the calling thread does the rest itself. */
typedef struct Shared {
    Job job;                    /* the whole product */
    size_t chunk;               /* rows per chunk */
    atomic_size_t next;         /* the first row not yet taken */
    atomic_bool failed;         /* a chunk was interrupted */
} Shared;

static void run_chunks(Shared *sh)
{
    Job jb = sh->job;
    while (!atomic_load(&sh->failed)) {
        size_t i0 = atomic_fetch_add(&sh->next, sh->chunk);
        if (i0 >= sh->job.i1)
            break;
        jb.i0 = i0;
        jb.i1 = sh->job.i1 - i0 > sh->chunk ? i0 + sh->chunk : sh->job.i1;
        if (!job_run(&jb))
            atomic_store(&sh->failed, true);
    }
}

static void *chunk_thread(void *arg)
{
    run_chunks(arg);
    return NULL;
}

/* Runs jb's rows, on two threads when asked to.  Every element is computed
 * the same way whichever thread computes it. */
static bool job_split(Job *jb, int threads)
{
    size_t rows = jb->i1 - jb->i0;
    if (threads < 2 || rows < 2 * THREAD_CHUNK_ROWS)
        return job_run(jb);
    Shared sh = { .job = *jb };
    /* about 8 chunks a thread, each a whole number of 8-row tiles */
    sh.chunk = (rows / 16 + 7) / 8 * 8;
    if (sh.chunk < THREAD_CHUNK_ROWS)
        sh.chunk = THREAD_CHUNK_ROWS;
    atomic_init(&sh.next, jb->i0);
    atomic_init(&sh.failed, false);
    /* The helper thread blocks every signal, so that SIGINT still reaches
     * the main thread and its handler, and reads that wait see EINTR. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_t t;
    int rc = pthread_create(&t, NULL, chunk_thread, &sh);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    run_chunks(&sh);            /* with no helper, all of them */
    if (rc == 0)
        pthread_join(t, NULL);
    return !atomic_load(&sh.failed);
}

/* Products of at most this many multiply-adds skip the blocking (chapter
 * 7's are 4 x 3 by 3 x 4): with AVX2 or AVX-512 when out has no more columns
 * than a vector, each row's sums in one vector, else each element summed on
 * its own; from +0.0 in ascending p either way. */
#define SMALL_WORK 256

static void small_product(const Tensor *a, const Tensor *b, Tensor *out, TensorProduct kind, TensorIsa isa)
{
    size_t m = out->rows, n = out->cols;
    size_t k = kind == TENSOR_PRODUCT_ATB ? a->rows : a->cols;
    /* A(i, p) = a[i * ai + p * ap], B(p, j) = b[j * bj + p * bp] */
    size_t ai = kind == TENSOR_PRODUCT_ATB ? 1 : k, ap = kind == TENSOR_PRODUCT_ATB ? m : 1;
    size_t bj = kind == TENSOR_PRODUCT_ABT ? k : 1, bp = kind == TENSOR_PRODUCT_ABT ? 1 : n;
#if HAVE_X86_KERNELS
    size_t width = isa == TENSOR_ISA_AVX512 ? 8 : isa == TENSOR_ISA_AVX2 ? 4 : 0;
    if (n <= width && k > 0 && n * k <= SMALL_WORK) {
        double bt[SMALL_WORK];      /* b^T made contiguous along j */
        for (size_t p = 0; p < k; p++)
            for (size_t j = 0; j < n; j++)
                bt[p * n + j] = b->data[j * bj + p * bp];
        Operands o = { a->data, ai, ap, bt, n, 0, out->data, n };
        if (isa == TENSOR_ISA_AVX512)
            narrow_avx512(&o, m, n, k);
        else
            narrow_avx2(&o, m, n, k);
        return;
    }
#else
    (void)isa;
#endif
    double *o = out->data;
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            const double *x = a->data + i * ai, *y = b->data + j * bj;
            double s = 0.0;
            for (size_t p = 0; p < k; p++, x += ap, y += bp)
                s += *x * *y;
            *o++ = s;
        }
}

/* Whether a second thread would find a processor free now: two or more
 * online and, where Linux counts them in /proc/loadavg ("0.50 0.40 0.30
 * 2/180 ..." has 2 runnable, this thread one of them), fewer runnable
 * threads than processors.  On a busy machine the helper would wait for a
 * turn and the product for it, so it runs on one thread there. */
static bool processor_free(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus < 2)
        return false;
    int fd = open("/proc/loadavg", O_RDONLY);
    if (fd < 0)
        return true;
    char buf[128];
    ssize_t got = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (got <= 0)
        return true;
    buf[got] = '\0';
    const char *slash = strchr(buf, '/');
    const char *p = slash;
    while (p && p > buf && p[-1] >= '0' && p[-1] <= '9')
        p--;
    if (!p || p == slash)
        return true;
    return strtol(p, NULL, 10) < cpus;
}

/* A product too large for small_product, after its checks. */
static bool large_product(Tensor *out, const Tensor *a, const Tensor *b, TensorProduct kind, TensorIsa isa,
                          int threads, Error *e)
{
    size_t m = out->rows, n = out->cols;
    size_t k = kind == TENSOR_PRODUCT_ATB ? a->rows : a->cols;
    double work = (double)m * (double)n * (double)k;
    if (threads <= 0)
        threads = work >= THREAD_MIN_WORK && m >= THREAD_MIN_ROWS && processor_free() ? 2 : 1;
    Job jb = { kind, a, b, out, isa, work >= POLL_MIN_WORK, 0, m };
    if (job_split(&jb, threads))
        return true;
    return error_set(e, ERROR_INTERRUPT, "interrupted");
}

bool tensor_product_into(Tensor *out, const Tensor *a, const Tensor *b, TensorProduct kind, TensorIsa isa,
                         int threads, Error *e)
{
    size_t m = out->rows, n = out->cols;
    size_t k = kind == TENSOR_PRODUCT_ATB ? a->rows : a->cols;
    if (isa != TENSOR_ISA_AUTO) {
        if (!tensor_isa_available(isa))
            return error_set_in(e, ERROR_ARG, "product", "this processor cannot run the %s kernel",
                             tensor_isa_name(isa));
        return large_product(out, a, b, kind, isa, threads, e);
    }
    isa = tensor_isa_best();
    if (threads > 1 || m > SMALL_WORK || n > SMALL_WORK || k > SMALL_WORK || m * n * k > SMALL_WORK)
        return large_product(out, a, b, kind, isa, threads, e);
#if HAVE_X86_KERNELS
    /* the commonest small case, a @ b or a^T @ b of a few columns */
    if (kind != TENSOR_PRODUCT_ABT && isa != TENSOR_ISA_PORTABLE && n <= 4 && k > 0) {
        bool t = kind == TENSOR_PRODUCT_ATB;
        Operands o = { a->data, t ? 1 : k, t ? m : 1, b->data, n, 0, out->data, n };
        if (isa == TENSOR_ISA_AVX512)
            narrow_avx512(&o, m, n, k);
        else
            narrow_avx2(&o, m, n, k);
        return true;
    }
#endif
    small_product(a, b, out, kind, isa);
    return true;
}

bool tensor_matmul_into(Tensor *out, const Tensor *a, const Tensor *b, Error *e)
{
    return tensor_product_into(out, a, b, TENSOR_PRODUCT_AB, TENSOR_ISA_AUTO, 0, e);
}

bool tensor_matmul_tn_into(Tensor *out, const Tensor *a, const Tensor *b, Error *e)
{
    return tensor_product_into(out, a, b, TENSOR_PRODUCT_ATB, TENSOR_ISA_AUTO, 0, e);
}

bool tensor_matmul_nt_into(Tensor *out, const Tensor *a, const Tensor *b, Error *e)
{
    return tensor_product_into(out, a, b, TENSOR_PRODUCT_ABT, TENSOR_ISA_AUTO, 0, e);
}

Tensor *tensor_matmul(const Tensor *a, const Tensor *b, Error *e)
{
    /* A vector is a row on the left and a column on the right; the result
     * drops that axis again, as numpy's matmul does. */
    size_t ak = a->cols;
    size_t bk = b->ndim == 1 ? b->cols : b->rows;
    if (a->ndim == 1 && b->ndim == 1) {
        error_set_in(e, ERROR_ARG, "@", "vector @ vector is a dot product; use tensor_dot");
        return NULL;
    }
    if (ak != bk) {
        char sa[48], sb[48];
        error_set_in(e, ERROR_SHAPE, "@", "shapes %s and %s do not fit (%zu columns against %zu rows)",
                  tensor_shape_str(a, sa, sizeof sa), tensor_shape_str(b, sb, sizeof sb), ak, bk);
        return NULL;
    }
    Tensor bcol = *b;
    if (b->ndim == 1) {       /* view the vector as a column */
        bcol.ndim = 2;
        bcol.rows = b->cols;
        bcol.cols = 1;
    }
    Tensor *out;
    if (a->ndim == 1)
        out = tensor_vector(bcol.cols, e);
    else if (b->ndim == 1)
        out = tensor_vector(a->rows, e);
    else
        out = tensor_matrix(a->rows, bcol.cols, e);
    if (!out)
        return NULL;
    Tensor oview = *out;
    oview.rows = a->rows;
    oview.cols = bcol.cols;
    if (!tensor_matmul_into(&oview, a, &bcol, e)) {
        tensor_delete(out);
        return NULL;
    }
    return out;
}

Tensor *tensor_outer(const Tensor *a, const Tensor *b, Error *e)
{
    size_t m = tensor_size(a), n = tensor_size(b);
    Tensor *t = tensor_matrix(m, n, e);
    if (!t)
        return NULL;
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++)
            t->data[i * n + j] = a->data[i] * b->data[j];
    return t;
}

Tensor *tensor_transpose(const Tensor *t, Error *e)
{
    if (t->ndim == 1)
        return tensor_copy(t, e);
    Tensor *out = tensor_matrix(t->cols, t->rows, e);
    if (!out)
        return NULL;
    /* In tiles, so that both sides stay in the cache; a large matrix read
     * row by row and written column by column missed on every value. */
    enum { TILE = 32 };
    size_t since = 0;
    for (size_t r0 = 0; r0 < t->rows; r0 += TILE) {
        size_t r1 = t->rows - r0 < TILE ? t->rows : r0 + TILE;
        for (size_t c0 = 0; c0 < t->cols; c0 += TILE) {
            size_t c1 = t->cols - c0 < TILE ? t->cols : c0 + TILE;
            for (size_t r = r0; r < r1; r++)
                for (size_t c = c0; c < c1; c++)
                    out->data[c * t->rows + r] = t->data[r * t->cols + c];
        }
        if (poll_due(&since, (r1 - r0) * t->cols, e)) {
            tensor_delete(out);
            return NULL;
        }
    }
    return out;
}

/* --- reductions ---------------------------------------------------------- */

double tensor_sum(const Tensor *t)
{
    double s = 0.0;
    size_t n = tensor_size(t);
    for (size_t i = 0; i < n; i++)
        s += t->data[i];
    return s;
}

double tensor_mean(const Tensor *t)
{
    size_t n = tensor_size(t);
    return n ? tensor_sum(t) / (double)n : NAN;
}

double tensor_norm(const Tensor *t)
{
    double s = 0.0;
    size_t n = tensor_size(t);
    for (size_t i = 0; i < n; i++)
        s += t->data[i] * t->data[i];
    return sqrt(s);
}

bool tensor_angle(const Tensor *a, const Tensor *b, double *deg, Error *e)
{
    size_t n = tensor_size(a);
    if (n != tensor_size(b))
        return error_set_in(e, ERROR_SHAPE, "angle", "vectors have different lengths (%zu and %zu)",
                         tensor_size(a), tensor_size(b));
    double na = tensor_norm(a), nb = tensor_norm(b);
    if (na == 0.0 || nb == 0.0)
        return error_set_in(e, ERROR_ARG, "angle", "the %s vector is zero, so it has no direction",
                         na == 0.0 ? "first" : "second");
    /* Kahan's form, 2 atan2(|u - v|, |u + v|) for the unit vectors u and v:
     * acos(a.b / |a||b|) loses most of its digits near 0 and 180 degrees,
     * where parallel vectors would come out as 1e-6 degrees apart. */
    double diff = 0.0, sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        double u = a->data[i] / na, v = b->data[i] / nb;
        diff += (u - v) * (u - v);
        sum += (u + v) * (u + v);
    }
    *deg = 2.0 * atan2(sqrt(diff), sqrt(sum)) * (180.0 / 3.14159265358979323846);
    return true;
}

size_t values_argmax(const double *v, size_t n)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (v[i] > v[best] || (isnan(v[i]) && !isnan(v[best])))
            best = i;
    return best;
}

size_t tensor_argmax(const Tensor *t)
{
    return values_argmax(t->data, tensor_size(t));
}

Tensor *tensor_sum_axis(const Tensor *t, int axis, Error *e)
{
    if (axis != 0 && axis != 1) {
        error_set_in(e, ERROR_ARG, "sum", "axis must be 0 or 1, not %d", axis);
        return NULL;
    }
    if (t->ndim == 1 && axis == 1) {
        error_set_in(e, ERROR_ARG, "sum", "a vector has only axis 0");
        return NULL;
    }
    Tensor *out = tensor_vector(axis == 0 ? t->cols : t->rows, e);
    if (!out)
        return NULL;
    if (axis == 0) {
        values_column_sums(out->data, t->data, t->rows, t->cols);
        return out;
    }
    for (size_t r = 0; r < t->rows; r++)
        for (size_t c = 0; c < t->cols; c++)
            out->data[r] += t->data[r * t->cols + c];
    return out;
}

/* gcc -O2 leaves loops like these scalar (its cheap cost model refuses a
 * loop whose length is not a known multiple of the vector): these go two
 * columns at a time, each column's work in the same order as one at a time. */
void values_column_sums(double *out, const double *g, size_t rows, size_t cols)
{
    for (size_t c = 0; c < cols; c++)
        out[c] = 0.0;
    for (size_t r = 0; r < rows; r++) {      /* row by row, as the data lie */
        const double *gr = g + r * cols;
        size_t c = 0;
        for (; c + 2 <= cols; c += 2) {
            V2D v = v2d_load(out + c) + v2d_load(gr + c);
            memcpy(out + c, &v, sizeof v);
        }
        for (; c < cols; c++)
            out[c] += gr[c];
    }
}

void values_add_row(double *z, size_t rows, size_t cols, const double *row)
{
    for (size_t r = 0; r < rows; r++) {
        double *zr = z + r * cols;
        size_t c = 0;
        for (; c + 2 <= cols; c += 2) {
            V2D v = v2d_load(zr + c) + v2d_load(row + c);
            memcpy(zr + c, &v, sizeof v);
        }
        for (; c < cols; c++)
            zr[c] += row[c];
    }
}

bool tensor_all_finite(const Tensor *t)
{
    size_t n = t ? tensor_size(t) : 0;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(t->data[i]))
            return false;
    return true;
}
