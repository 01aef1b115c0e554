/* tensor.h - dense matrices and vectors of doubles, with numpy's semantics.
 *
 * A Tensor is either a 1-D vector (ndim 1, rows == 1, cols == length), which
 * is what `[3, -1, 2]` makes, or a 2-D matrix (ndim 2, rows x cols), which is
 * what `[[0,0,1],[0,1,1]]` makes.  A 1-D vector of length n behaves as numpy's
 * shape (n,): it broadcasts against a matrix as a row, and `@` treats it as a
 * row on the left and a column on the right.  Scalars are plain doubles.
 *
 * Data are row-major.  Matrix products sum their terms in ascending index
 * order starting from +0.0, so results are bit-identical to numpy's
 * reference order.
 *
 * Functions that make a tensor return a new heap object owned by the caller
 * (free with tensor_delete), or NULL with *e filled in; they never abort.
 * Functions with an `out` parameter write into a tensor the caller owns and
 * has already shaped, and do not allocate: the training loops use these.
 */
#ifndef NUDGE_TENSOR_H
#define NUDGE_TENSOR_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/error.h"

/* The largest number of elements a tensor may hold (2^24, 128 MiB). */
#define TENSOR_MAX_ELEMS ((size_t)1 << 24)

/* numpy's dtypes as far as nudge has them.  Every element is stored as a
 * double whatever the dtype: an int64 array holds whole numbers (exact up to
 * 2^53), a bool array 0 and 1.  The dtype decides how the language prints
 * the array and what type an operation on it gives, as numpy's rules do. */
typedef enum Dtype { DTYPE_FLOAT64, DTYPE_INT64, DTYPE_BOOL } Dtype;

typedef struct Tensor {
    int ndim;        /* 1 for a vector, 2 for a matrix */
    size_t rows;     /* 1 for a vector */
    size_t cols;     /* the length of a vector */
    double *data;    /* rows * cols elements, row-major, owned */
    Dtype dtype;     /* DTYPE_FLOAT64 unless the language says otherwise */
    int refs;        /* owners: tensor_retain adds one, tensor_delete drops one */
} Tensor;

typedef double (*TensorFn)(double);
typedef double (*TensorFn2)(double, double);

/* a + b, a - b, a * b and a / b as TensorFn2s: tensor_zip and tensor_scalar
 * run these four without a call per element. */
double tensor_op_add(double a, double b);
double tensor_op_sub(double a, double b);
double tensor_op_mul(double a, double b);
double tensor_op_div(double a, double b);

/* --- making and freeing ------------------------------------------------ */

/* A new zeroed float64 tensor with one reference: ndim 1 makes a vector of
 * `cols` (rows must be 1). */
Tensor *tensor_new(int ndim, size_t rows, size_t cols, Error *e);
Tensor *tensor_vector(size_t n, Error *e);
Tensor *tensor_matrix(size_t rows, size_t cols, Error *e);
/* A vector or matrix from n doubles copied from values. */
Tensor *tensor_from(int ndim, size_t rows, size_t cols, const double *values, Error *e);
/* A new tensor with t's shape, values and dtype. */
Tensor *tensor_copy(const Tensor *t, Error *e);
/* Drops one reference to t and frees it with the last (NULL is fine).  A
 * tensor starts with one reference, its maker's. */
void tensor_delete(Tensor *t);
/* Frees the calling thread's recycled small tensors (tensor_delete keeps a
 * few of each size for the next tensor_new).  Call it when done with
 * tensors, such as when an interpreter goes. */
void tensor_recycle_trim(void);
/* Adds a reference to t (the language shares arrays between names, as
 * Python does) and returns t. */
Tensor *tensor_retain(Tensor *t);

Tensor *tensor_zeros(size_t rows, size_t cols, Error *e);
Tensor *tensor_ones(size_t rows, size_t cols, Error *e);
Tensor *tensor_eye(size_t n, Error *e);

/* --- reading ------------------------------------------------------------- */

static inline size_t tensor_size(const Tensor *t) { return t->rows * t->cols; }

/* True when t is NULL or holds no NaN and no infinity. */
bool tensor_all_finite(const Tensor *t);
static inline double tensor_at(const Tensor *t, size_t r, size_t c) { return t->data[r * t->cols + c]; }
bool tensor_same_shape(const Tensor *a, const Tensor *b);
/* Writes numpy's spelling of the shape, "(3,)" or "(4, 1)", into buf. */
const char *tensor_shape_str(const Tensor *t, char *buf, size_t n);
/* The same for a shape given as parts. */
const char *tensor_shape_fmt(int ndim, size_t rows, size_t cols, char *buf, size_t n);

/* --- element-wise, with broadcasting ------------------------------------ */

/* These, and tensor_transpose, poll Ctrl-C between blocks of 2^16 values:
 * a pass over a larger array fails with ERROR_INTERRUPT when one is
 * pending (interrupt.h); a smaller one always completes. */

/* a op b element-wise with numpy broadcasting (equal sizes, or 1 against n,
 * per axis; a vector is a row).  `who` names the operation in errors. */
Tensor *tensor_zip(const Tensor *a, const Tensor *b, TensorFn2 f, const char *who, Error *e);
Tensor *tensor_add(const Tensor *a, const Tensor *b, Error *e);
Tensor *tensor_sub(const Tensor *a, const Tensor *b, Error *e);
Tensor *tensor_mul(const Tensor *a, const Tensor *b, Error *e);  /* Hadamard */
Tensor *tensor_div(const Tensor *a, const Tensor *b, Error *e);
Tensor *tensor_pow(const Tensor *a, const Tensor *b, Error *e);
/* t op s and s op t for a scalar s. */
Tensor *tensor_scalar(const Tensor *t, double s, TensorFn2 f, bool scalar_left, Error *e);
/* f applied to every element. */
Tensor *tensor_map(const Tensor *t, TensorFn f, Error *e);
/* The same into out, which has t's size (its shape and dtype are the
 * caller's); false only when interrupted. */
bool tensor_map_into(Tensor *out, const Tensor *t, TensorFn f, Error *e);

/* --- products ------------------------------------------------------------ */

/* a . b for two vectors of the same length (or two same-shape matrices
 * seen as flat lists): sum of a[i]*b[i] in ascending i. */
bool tensor_dot(const Tensor *a, const Tensor *b, double *out, Error *e);
/* numpy's matmul: vector @ vector is refused here (use tensor_dot); matrix @
 * vector gives a vector; vector @ matrix gives a vector.  Like every
 * product here, each element is a sum that starts from +0.0 (numpy's @ never
 * gives -0 from a sum) and adds its terms in ascending index order, each
 * product and sum rounded on its own.  Large products poll interrupt.h and
 * fail with ERROR_INTERRUPT "interrupted" soon after a Ctrl-C. */
Tensor *tensor_matmul(const Tensor *a, const Tensor *b, Error *e);
/* out = a @ b for matrices of fitting shapes, no allocation; false only when
 * interrupted (out is then partly written). */
bool tensor_matmul_into(Tensor *out, const Tensor *a, const Tensor *b, Error *e);
/* out = a^T @ b and out = a @ b^T without forming the transpose. */
bool tensor_matmul_tn_into(Tensor *out, const Tensor *a, const Tensor *b, Error *e);
bool tensor_matmul_nt_into(Tensor *out, const Tensor *a, const Tensor *b, Error *e);

/* How products run, for tests and benchmarks: the instruction set of the
 * kernel and the number of threads change the time, never a bit of the
 * result.  By default (TENSOR_ISA_AUTO, threads 0) the widest kernel the
 * processor runs is used, with two threads for products large enough to
 * gain from them. */
typedef enum TensorIsa {
    TENSOR_ISA_AUTO,
    TENSOR_ISA_PORTABLE,    /* vectors of 2 doubles: SSE2 on x86-64 */
    TENSOR_ISA_AVX2,        /* 4 doubles (x86-64 with AVX2) */
    TENSOR_ISA_AVX512,      /* 8 doubles (x86-64 with AVX-512F) */
} TensorIsa;
typedef enum TensorProduct {
    TENSOR_PRODUCT_AB,      /* a @ b */
    TENSOR_PRODUCT_ATB,     /* a^T @ b */
    TENSOR_PRODUCT_ABT,     /* a @ b^T */
} TensorProduct;
bool tensor_isa_available(TensorIsa isa);
/* The widest kernel this processor runs. */
TensorIsa tensor_isa_best(void);
/* "sse2", "avx2", "avx512" (a static string). */
const char *tensor_isa_name(TensorIsa isa);
/* out = the product `kind` of a and b with the kernel `isa` (an error when
 * the processor lacks it) on `threads` threads (1 or 2; 0 decides by size). */
bool tensor_product_into(Tensor *out, const Tensor *a, const Tensor *b, TensorProduct kind, TensorIsa isa,
                         int threads, Error *e);
/* The outer product of two vectors (any shape, flattened): len(a) x len(b). */
Tensor *tensor_outer(const Tensor *a, const Tensor *b, Error *e);
/* Transpose; a vector is returned as a copy, as numpy does. */
Tensor *tensor_transpose(const Tensor *t, Error *e);

/* --- reductions ---------------------------------------------------------- */

double tensor_sum(const Tensor *t);       /* ascending index order */
double tensor_mean(const Tensor *t);      /* sum / size; NaN when empty */
double tensor_norm(const Tensor *t);      /* sqrt of the sum of squares */
/* The angle between two vectors in degrees; an error when either is zero. */
bool tensor_angle(const Tensor *a, const Tensor *b, double *deg, Error *e);
/* Index of the largest element in the flattened tensor (first on ties). */
size_t tensor_argmax(const Tensor *t);
/* The same over n plain values (0 when n is 0). */
size_t values_argmax(const double *v, size_t n);
/* Sum along an axis (0: down the columns, giving a vector of cols; 1: along
 * each row, giving a vector of rows), as numpy's sum(axis=). */
Tensor *tensor_sum_axis(const Tensor *t, int axis, Error *e);
/* The same for axis 0 over a rows x cols array: out[c] = +0.0 + g[0][c] +
 * g[1][c] + ... in ascending rows.  No allocation. */
void values_column_sums(double *out, const double *g, size_t rows, size_t cols);
/* z[r][c] += row[c] for every row r of a rows x cols array (a bias). */
void values_add_row(double *z, size_t rows, size_t cols, const double *row);

#endif
