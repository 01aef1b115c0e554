/* product_kernel.h - the matrix-product kernel for one instruction set.
 *
 * Not a header of its own module: tensor.c includes this file once per
 * instruction set, each time with these macros defined, and undefines them
 * after.
 *
 *   KNAME(x)        x with the set's suffix
 *   KATTR           the attributes that compile a function for the set
 *   KVEC, KW        its vector type and the number of doubles in one
 *   KLOAD(p)        a vector from p (any alignment)
 *   KSTORE(p, v)    v to p
 *   KZERO           a vector of +0.0
 *   KNV             full vectors in a strip of columns
 *   KROWS(v)        rows in a tile whose strip holds v vectors
 *   KPART_T         the type that holds the last partial vector of a strip
 *   KPART_MASK(m, t)      declares m, the mask of t < KW columns
 *   KPART_LOAD(p, m)      the partial vector at p (0 in the other lanes)
 *   KPART_STORE(p, v, m)  its t columns to p
 *   KPART_ZERO      a partial vector of +0.0
 *
 * Every output element is a sum that starts from +0.0 and adds its terms
 * A(i, p) * B(p, j) in ascending p, each product and each sum rounded on
 * its own (no fma: CMake passes -ffp-contract=off).  The lanes of a vector
 * are separate elements, so the width of the vectors, the tiling and the
 * order in which elements are visited change no bit of any result.
 */

/* One tile: R rows from row i, NV full vectors and, when PART, one partial
 * vector of `tail` columns from column j; terms q0 .. q1-1.  The sums start
 * from +0.0 when q0 is 0 and from the partial sums in out otherwise. */
static inline KATTR __attribute__((always_inline)) void KNAME(tile)(const Operands *o, size_t i, size_t j, size_t q0, size_t q1,
                                     const size_t R, const size_t NV, const bool PART, size_t tail)
{
    KVEC acc[KROWS(1)][KNV];
    KPART_T accp[KROWS(1)];
    KPART_MASK(mask, tail);
    const double *a = o->a + i * o->ai;
    const double *b = o->b + j;
    double *out = o->out + i * o->ldo + j;
#pragma GCC unroll 16
    for (size_t r = 0; r < R; r++) {
#pragma GCC unroll 8
        for (size_t v = 0; v < NV; v++)
            acc[r][v] = q0 == 0 ? KZERO : KLOAD(out + r * o->ldo + v * KW);
        if (PART)
            accp[r] = q0 == 0 ? KPART_ZERO : KPART_LOAD(out + r * o->ldo + NV * KW, mask);
    }
    for (size_t p = q0; p < q1; p++) {
        const double *br = b + (p - o->bp) * o->ldb;
        KVEC bv[KNV];
        KPART_T bp = KPART_ZERO;
#pragma GCC unroll 8
        for (size_t v = 0; v < NV; v++)
            bv[v] = KLOAD(br + v * KW);
        if (PART)
            bp = KPART_LOAD(br + NV * KW, mask);
        const double *ap = a + p * o->ap;
#pragma GCC unroll 16
        for (size_t r = 0; r < R; r++) {
            double av = ap[r * o->ai];
#pragma GCC unroll 8
            for (size_t v = 0; v < NV; v++)
                acc[r][v] += av * bv[v];
            if (PART)
                accp[r] += av * bp;
        }
    }
#pragma GCC unroll 16
    for (size_t r = 0; r < R; r++) {
#pragma GCC unroll 8
        for (size_t v = 0; v < NV; v++)
            KSTORE(out + r * o->ldo + v * KW, acc[r][v]);
        if (PART)
            KPART_STORE(out + r * o->ldo + NV * KW, accp[r], mask);
    }
}

/* Rows i0 .. i1-1 of one strip, in tiles of KROWS(NV + PART) rows and then
 * of fewer; false when an interrupt came (polled every tile when poll). */
static inline KATTR __attribute__((always_inline)) bool KNAME(strip)(const Operands *o, size_t i0, size_t i1, size_t j, size_t q0, size_t q1,
                                      const size_t NV, const bool PART, size_t tail, bool poll)
{
    const size_t R = KROWS(NV + PART);
    size_t i = i0;
    for (; i + R <= i1; i += R) {
        KNAME(tile)(o, i, j, q0, q1, R, NV, PART, tail);
        if (poll && interrupt_pending())
            return false;
    }
    if (R > 4 && i + 4 <= i1) {
        KNAME(tile)(o, i, j, q0, q1, 4, NV, PART, tail);
        i += 4;
    }
    if (R > 2 && i + 2 <= i1) {
        KNAME(tile)(o, i, j, q0, q1, 2, NV, PART, tail);
        i += 2;
    }
    if (i < i1)
        KNAME(tile)(o, i, j, q0, q1, 1, NV, PART, tail);
    return true;
}

/* Terms q0 .. q1-1 (q1 > q0) of rows i0 .. i1-1 and all n columns. */
static KATTR bool KNAME(product)(const Operands *o, size_t i0, size_t i1, size_t n, size_t q0, size_t q1,
                                 bool poll)
{
    const size_t width = KNV * KW;
    for (size_t p0 = q0; p0 < q1; p0 += BLOCK_P) {
        size_t p1 = q1 - p0 > BLOCK_P ? p0 + BLOCK_P : q1;
        size_t j = 0;
        for (; j + width <= n; j += width)
            if (!KNAME(strip)(o, i0, i1, j, p0, p1, KNV, false, 0, poll))
                return false;
        size_t rest = n - j, nv = rest / KW, tail = rest % KW;
        bool ok = true;
        if (tail == 0) {
            switch (nv) {
            case 0: break;
#if KNV > 1
            case 1: ok = KNAME(strip)(o, i0, i1, j, p0, p1, 1, false, 0, poll); break;
#endif
#if KNV > 2
            case 2: ok = KNAME(strip)(o, i0, i1, j, p0, p1, 2, false, 0, poll); break;
#endif
#if KNV > 3
            case 3: ok = KNAME(strip)(o, i0, i1, j, p0, p1, 3, false, 0, poll); break;
#endif
            default: break;
            }
        } else {
            switch (nv) {
            case 0: ok = KNAME(strip)(o, i0, i1, j, p0, p1, 0, true, tail, poll); break;
#if KNV > 1
            case 1: ok = KNAME(strip)(o, i0, i1, j, p0, p1, 1, true, tail, poll); break;
#endif
#if KNV > 2
            case 2: ok = KNAME(strip)(o, i0, i1, j, p0, p1, 2, true, tail, poll); break;
#endif
#if KNV > 3
            case 3: ok = KNAME(strip)(o, i0, i1, j, p0, p1, 3, true, tail, poll); break;
#endif
            default: break;
            }
        }
        if (!ok || (poll && interrupt_pending()))
            return false;
    }
    return true;
}

#if KNARROW
/* A small product of at most KW columns, all k terms: one partial vector of
 * sums per row, four rows at a time, without the blocking's set-up. */
static KATTR void KNAME(narrow)(const Operands *o, size_t m, size_t n, size_t k)
{
    KPART_MASK(mask, n);
    const size_t ai = o->ai, ap = o->ap, ldb = o->ldb, ldo = o->ldo;
    const double *a = o->a, *b = o->b;
    double *out = o->out;
    size_t i = 0;
    for (; i + 4 <= m; i += 4, a += 4 * ai, out += 4 * ldo) {
        KPART_T acc0 = KPART_ZERO, acc1 = KPART_ZERO, acc2 = KPART_ZERO, acc3 = KPART_ZERO;
        const double *x = a, *y = b;
        for (size_t p = 0; p < k; p++, x += ap, y += ldb) {
            KPART_T bv = KPART_LOAD(y, mask);
            acc0 += x[0] * bv;
            acc1 += x[ai] * bv;
            acc2 += x[2 * ai] * bv;
            acc3 += x[3 * ai] * bv;
        }
        KPART_STORE(out, acc0, mask);
        KPART_STORE(out + ldo, acc1, mask);
        KPART_STORE(out + 2 * ldo, acc2, mask);
        KPART_STORE(out + 3 * ldo, acc3, mask);
    }
    for (; i < m; i++, a += ai, out += ldo) {
        KPART_T acc = KPART_ZERO;
        const double *x = a, *y = b;
        for (size_t p = 0; p < k; p++, x += ap, y += ldb)
            acc += *x * KPART_LOAD(y, mask);
        KPART_STORE(out, acc, mask);
    }
}
#endif
