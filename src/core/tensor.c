/* tensor.c - dense double vectors and matrices with numpy's semantics. */
#include "nudge/tensor.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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
        error_set(e, ERROR_ARG, "tensor: a vector has one row, not %zu", rows);
        return NULL;
    }
    if (ndim != 1 && ndim != 2) {
        error_set(e, ERROR_ARG, "tensor: %d dimensions; only 1 and 2 are supported", ndim);
        return NULL;
    }
    if ((cols && rows > TENSOR_MAX_ELEMS / cols) || rows * cols > TENSOR_MAX_ELEMS) {
        error_set(e, ERROR_LIMIT, "tensor: %zu x %zu is too large (at most %zu elements)",
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
        error_set(e, ERROR_SHAPE, "%s: shapes %s and %s do not broadcast", who,
                  tensor_shape_str(a, sa, sizeof sa), tensor_shape_str(b, sb, sizeof sb));
        return NULL;
    }
    int ndim = a->ndim > b->ndim ? a->ndim : b->ndim;
    Tensor *t = tensor_new(ndim, rows, cols, e);
    if (!t)
        return NULL;
    if (a->rows == b->rows && a->cols == b->cols) {
        zip_run(t->data, a->data, 1, b->data, 1, rows * cols, f);
        return t;
    }
    /* Strides of 0 repeat a row or a column without copying it. */
    size_t ars = a->rows == 1 ? 0 : a->cols, acs = a->cols == 1 ? 0 : 1;
    size_t brs = b->rows == 1 ? 0 : b->cols, bcs = b->cols == 1 ? 0 : 1;
    for (size_t r = 0; r < rows; r++)
        zip_run(t->data + r * cols, a->data + r * ars, acs, b->data + r * brs, bcs, cols, f);
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
    if (scalar_left)
        zip_run(out->data, &s, 0, t->data, 1, tensor_size(t), f);
    else
        zip_run(out->data, t->data, 1, &s, 0, tensor_size(t), f);
    return out;
}

Tensor *tensor_map(const Tensor *t, TensorFn f, Error *e)
{
    Tensor *out = tensor_new(t->ndim, t->rows, t->cols, e);
    if (!out)
        return NULL;
    size_t n = tensor_size(t);
    for (size_t i = 0; i < n; i++)
        out->data[i] = f(t->data[i]);
    return out;
}

/* --- products ------------------------------------------------------------ */

bool tensor_dot(const Tensor *a, const Tensor *b, double *out, Error *e)
{
    if (tensor_size(a) != tensor_size(b) || (a->ndim == 2 && b->ndim == 2 && !tensor_same_shape(a, b))) {
        char sa[48], sb[48];
        if (a->ndim == 1 && b->ndim == 1)
            return error_set(e, ERROR_SHAPE, "dot: vectors have different lengths (%zu and %zu)",
                             a->cols, b->cols);
        return error_set(e, ERROR_SHAPE, "dot: shapes %s and %s have different sizes",
                         tensor_shape_str(a, sa, sizeof sa), tensor_shape_str(b, sb, sizeof sb));
    }
    double s = 0.0;
    size_t n = tensor_size(a);
    for (size_t i = 0; i < n; i++)
        s += a->data[i] * b->data[i];
    *out = s;
    return true;
}

/* The three products share one blocked kernel.  Each output element is a sum
 * of k terms taken in ascending p, the first term being the product itself
 * (not 0 + product, which would turn a -0 into +0): that fixes every bit of
 * the result, so the blocking below may choose freely which elements to work
 * on and when, and may stop a sum after a block of p and pick it up again
 * from the stored partial sum, which is an exact double.
 *
 * A(i, p) = a[i * ai + p * ap], any strides; B(p, j) = b[(p - bp) * ldb + j],
 * rows contiguous so that j runs along vectors (bp is the p of b's first
 * row).  The work goes in blocks of BLOCK_P terms by BLOCK_J columns, so that
 * a block of B stays in L1 while every row of A sweeps it, and within a
 * block in tiles of up to 4 x 8 outputs held in registers across the block's
 * run of p; the unroll pragmas let gcc -O2 keep a tile there and vectorise
 * across j (check with -fopt-info-vec).  Only separate multiplies and adds
 * are emitted: C11 mode keeps contraction into fma off. */
typedef struct Operands {
    const double *a;
    size_t ai, ap;
    const double *b;
    size_t ldb, bp;
    double *out;
    size_t ldo;
} Operands;

enum {
    TILE_ROWS = 4,
    TILE_COLS = 8,
    BLOCK_P = 128,      /* a block of B: 32 KiB */
    BLOCK_J = 32,
    PANEL_P = 32,       /* the panel of b^T that tensor_matmul_nt_into copies */
    PANEL_J = 64,       /* to the stack: 16 KiB */
};

static inline void tile(const Operands *o, size_t i, size_t j, size_t p0, size_t p1,
                        const size_t tr, const size_t tc)
{
    double acc[TILE_ROWS][TILE_COLS] = {{0}};  /* only tr x tc are used */
    const double *a = o->a + i * o->ai;
    const double *b = o->b + j;
    double *out = o->out + i * o->ldo + j;
    size_t p = p0;
    if (p == 0) {           /* then bp is 0 too */
#pragma GCC unroll 8
        for (size_t r = 0; r < tr; r++)
#pragma GCC unroll 8
            for (size_t c = 0; c < tc; c++)
                acc[r][c] = a[r * o->ai] * b[c];
        p = 1;
    } else {
#pragma GCC unroll 8
        for (size_t r = 0; r < tr; r++)
#pragma GCC unroll 8
            for (size_t c = 0; c < tc; c++)
                acc[r][c] = out[r * o->ldo + c];
    }
    for (; p < p1; p++) {
        const double *br = b + (p - o->bp) * o->ldb;
#pragma GCC unroll 8
        for (size_t r = 0; r < tr; r++) {
            double av = a[r * o->ai + p * o->ap];
#pragma GCC unroll 8
            for (size_t c = 0; c < tc; c++)
                acc[r][c] += av * br[c];
        }
    }
#pragma GCC unroll 8
    for (size_t r = 0; r < tr; r++)
#pragma GCC unroll 8
        for (size_t c = 0; c < tc; c++)
            out[r * o->ldo + c] = acc[r][c];
}

/* The tiles of tr rows from row i across n columns: 8 at a time, then 4, 2, 1.
 * Each call passes constant sizes, so each tile is compiled on its own. */
static inline void tile_row(const Operands *o, size_t i, size_t n, size_t p0, size_t p1,
                            const size_t tr)
{
    size_t j = 0;
    for (; j + 8 <= n; j += 8)
        tile(o, i, j, p0, p1, tr, 8);
    if (j + 4 <= n) {
        tile(o, i, j, p0, p1, tr, 4);
        j += 4;
    }
    if (j + 2 <= n) {
        tile(o, i, j, p0, p1, tr, 2);
        j += 2;
    }
    if (j < n)
        tile(o, i, j, p0, p1, tr, 1);
}

/* On x86-64 with GCC, product is compiled twice, for SSE2 and for AVX2, and
 * the loader picks the one the processor runs (an ifunc).  Both emit only
 * separate IEEE multiplies and adds (AVX2 does not bring fma, and C11 mode
 * would not contract into it), so the bits are the same; AVX2 only does
 * four terms at a time instead of two, and has registers enough for a whole
 * 4 x 8 tile: an epoch on the digits takes 35% less time. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define PRODUCT_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define PRODUCT_CLONES
#endif

/* Terms p0 .. p1-1 of out (m x n) = A B, continuing the sums stored in out
 * unless p0 is 0; k == 0 (p1 == 0) gives zeros, as an empty sum. */
PRODUCT_CLONES
static void product(const Operands *o, size_t m, size_t n, size_t p0, size_t p1)
{
    if (p1 == 0) {
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < n; j++)
                o->out[i * o->ldo + j] = 0.0;
        return;
    }
    for (size_t q0 = p0; q0 < p1; q0 += BLOCK_P) {
        size_t q1 = p1 - q0 > BLOCK_P ? q0 + BLOCK_P : p1;
        for (size_t j0 = 0; j0 < n; j0 += BLOCK_J) {
            size_t nj = n - j0 < BLOCK_J ? n - j0 : BLOCK_J;
            Operands blk = *o;
            blk.b += j0;
            blk.out += j0;
            size_t i = 0;
            for (; i + 4 <= m; i += 4)
                tile_row(&blk, i, nj, q0, q1, 4);
            if (i + 2 <= m) {
                tile_row(&blk, i, nj, q0, q1, 2);
                i += 2;
            }
            if (i < m)
                tile_row(&blk, i, nj, q0, q1, 1);
        }
    }
}

void tensor_matmul_into(Tensor *out, const Tensor *a, const Tensor *b)
{
    Operands o = { a->data, a->cols, 1, b->data, b->cols, 0, out->data, b->cols };
    product(&o, a->rows, b->cols, 0, a->cols);
}

void tensor_matmul_tn_into(Tensor *out, const Tensor *a, const Tensor *b)
{
    /* out (a.cols x b.cols) = a^T b: out[i][j] = sum_p a[p][i] b[p][j]. */
    Operands o = { a->data, 1, a->cols, b->data, b->cols, 0, out->data, b->cols };
    product(&o, a->cols, b->cols, 0, a->rows);
}

void tensor_matmul_nt_into(Tensor *out, const Tensor *a, const Tensor *b)
{
    /* out (a.rows x b.rows) = a b^T: out[i][j] = sum_p a[i][p] b[j][p].  b^T
     * is copied a panel at a time to the stack so that its rows are
     * contiguous; each panel of p continues the sums of the one before. */
    size_t m = a->rows, k = a->cols, n = b->rows;
    double panel[PANEL_P * PANEL_J];
    if (k == 0) {
        Operands o = { a->data, 0, 1, panel, 0, 0, out->data, n };
        product(&o, m, n, 0, 0);
        return;
    }
    for (size_t j0 = 0; j0 < n; j0 += PANEL_J) {
        size_t nj = n - j0 < PANEL_J ? n - j0 : PANEL_J;
        for (size_t p0 = 0; p0 < k; p0 += PANEL_P) {
            size_t np = k - p0 < PANEL_P ? k - p0 : PANEL_P;
            for (size_t p = 0; p < np; p++)
                for (size_t j = 0; j < nj; j++)
                    panel[p * nj + j] = b->data[(j0 + j) * k + p0 + p];
            Operands o = { a->data, k, 1, panel, nj, p0, out->data + j0, n };
            product(&o, m, nj, p0, p0 + np);
        }
    }
}

Tensor *tensor_matmul(const Tensor *a, const Tensor *b, Error *e)
{
    /* A vector is a row on the left and a column on the right; the result
     * drops that axis again, as numpy's matmul does. */
    size_t ak = a->cols;
    size_t bk = b->ndim == 1 ? b->cols : b->rows;
    if (a->ndim == 1 && b->ndim == 1) {
        error_set(e, ERROR_ARG, "@: vector @ vector is a dot product; use tensor_dot");
        return NULL;
    }
    if (ak != bk) {
        char sa[48], sb[48];
        error_set(e, ERROR_SHAPE, "@: shapes %s and %s do not fit (%zu columns against %zu rows)",
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
    tensor_matmul_into(&oview, a, &bcol);
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
    for (size_t r = 0; r < t->rows; r++)
        for (size_t c = 0; c < t->cols; c++)
            out->data[c * t->rows + r] = t->data[r * t->cols + c];
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
        return error_set(e, ERROR_SHAPE, "angle: vectors have different lengths (%zu and %zu)",
                         tensor_size(a), tensor_size(b));
    double na = tensor_norm(a), nb = tensor_norm(b);
    if (na == 0.0 || nb == 0.0)
        return error_set(e, ERROR_ARG, "angle: the %s vector is zero, so it has no direction",
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
        error_set(e, ERROR_ARG, "sum: axis must be 0 or 1, not %d", axis);
        return NULL;
    }
    if (t->ndim == 1 && axis == 1) {
        error_set(e, ERROR_ARG, "sum: a vector has only axis 0");
        return NULL;
    }
    Tensor *out = tensor_vector(axis == 0 ? t->cols : t->rows, e);
    if (!out)
        return NULL;
    for (size_t r = 0; r < t->rows; r++)
        for (size_t c = 0; c < t->cols; c++)
            out->data[axis == 0 ? c : r] += t->data[r * t->cols + c];
    return out;
}
