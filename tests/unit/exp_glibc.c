/* exp_glibc.c - the vector exp against glibc's exp, 10^8 inputs and every
 * special value (too long for ctest's default run: a unit test checks a
 * sample of 10^6; run this one by hand, in CI, or by ctest when configured
 * with -DNUDGE_LONG_TESTS=ON).
 *
 *   exp_glibc [COUNT [SEED]]     COUNT random inputs per kernel (10^8)
 *
 * For each vector kernel the processor runs (AVX2, AVX-512), exp and the
 * sigmoid of COUNT random inputs (COUNT / 10 for the sigmoid), in runs of
 * random length (so every tail is met) and sometimes in place, are compared
 * bit for bit with exp() and 1 / (1 + exp(-z)).  The inputs: a quarter raw
 * random bit patterns (every exponent, subnormals, infinities, NaNs), half
 * uniform over [-746, 710] (from total underflow to overflow), a quarter of
 * random sign with magnitudes spread evenly over 2^-60 .. 2^10.  Exits 0 when
 * every bit agrees, 1 on the first kernel that differs, 77 when there is no
 * vector kernel to check.
 */
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nudge/activation.h"

static uint64_t next(uint64_t *s)
{
    /* splitmix64 */
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static double from_bits(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

static double random_input(uint64_t *s)
{
    uint64_t r = next(s);
    switch (r & 3) {
    case 0:
        return from_bits(next(s));
    case 1: {
        double mag = ldexp((double)(next(s) >> 11), -53) * 70.0 - 60.0;
        return (r & 4 ? -1.0 : 1.0) * exp2(mag);
    }
    default:
        return -746.0 + ldexp((double)(next(s) >> 11), -53) * 1456.0;
    }
}

/* Appends x and its neighbours on both sides, both signs. */
static size_t add_around(double *v, size_t n, double x)
{
    double xs[2] = { x, -x };
    for (int s = 0; s < 2; s++) {
        double d = xs[s];
        v[n++] = d;
        v[n++] = nextafter(d, INFINITY);
        v[n++] = nextafter(d, -INFINITY);
        v[n++] = nextafter(nextafter(d, INFINITY), INFINITY);
        v[n++] = nextafter(nextafter(d, -INFINITY), -INFINITY);
    }
    return n;
}

/* Every special value: zeros, infinities, NaNs of every kind, the limits of
 * the double range, the edges of glibc's main path (2^-54, 512, 1024) and of
 * its results (overflow, the last normal, the last subnormal), and the
 * integers and halves from -750 to 710. */
static size_t special_inputs(double *v)
{
    size_t n = 0;
    static const uint64_t nans[] = { 0x7ff8000000000000u, 0xfff8000000000000u, 0x7ff0000000000001u,
                                     0xfff0000000000001u, 0x7ff4000000000000u, 0x7fffffffffffffffu,
                                     0xffffffffffffffffu, 0x7ff8000000000123u };
    for (size_t i = 0; i < sizeof nans / sizeof nans[0]; i++)
        v[n++] = from_bits(nans[i]);
    v[n++] = INFINITY;
    v[n++] = -INFINITY;
    static const double edges[] = { 0.0, DBL_TRUE_MIN, DBL_MIN, DBL_MAX, DBL_EPSILON, 0x1p-54, 0x1p-53,
                                    0x1p-55, 512.0, 1024.0, 1.0, 0.5, 2.0, 709.782712893383973096,
                                    708.396418532264106224, 745.133219101941108420, 744.440071921381262314,
                                    0x1.62e42fefa39efp-8, 0x1.62e42fefa39efp-9, 0x1.62e42fefa39efp-1,
                                    0x1.62e42fefa39efp+0, 1e-300, 1e-20, 30.0, 36.7368005696771 };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        n = add_around(v, n, edges[i]);
    for (int k = -1500; k <= 1420; k++)
        v[n++] = k / 2.0;
    return n;
}

static bool same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Checks n inputs with one kernel; reports the first difference. */
static bool check(const double *x, size_t n, bool sigmoid, TensorIsa isa, double *y, bool in_place)
{
    if (in_place) {
        memcpy(y, x, n * sizeof *y);
        act_exp_kernel(y, y, n, sigmoid, isa);
    } else {
        act_exp_kernel(y, x, n, sigmoid, isa);
    }
    for (size_t i = 0; i < n; i++) {
        double want = sigmoid ? 1.0 / (1.0 + exp(-x[i])) : exp(x[i]);
        if (!same_bits(y[i], want)) {
            printf("MISMATCH %s %s(%a) = %a, glibc %a\n", tensor_isa_name(isa), sigmoid ? "sigmoid" : "exp", x[i],
                   y[i], want);
            return false;
        }
    }
    return true;
}

int main(int argc, char **argv)
{
    unsigned long long count = argc > 1 ? strtoull(argv[1], NULL, 10) : 100000000ull;
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 20240601u;
    static const TensorIsa isas[] = { TENSOR_ISA_AVX2, TENSOR_ISA_AVX512 };
    enum { CHUNK = 4096 };
    static double x[CHUNK + 8], y[CHUNK + 8], specials[8192];
    size_t ns = special_inputs(specials);
    int checked = 0;
    for (size_t v = 0; v < sizeof isas / sizeof isas[0]; v++) {
        TensorIsa isa = isas[v];
        if (!act_exp_kernel_available(isa)) {
            printf("%s: not available on this processor or C library, skipped\n", tensor_isa_name(isa));
            continue;
        }
        checked++;
        clock_t c0 = clock();
        for (int sg = 0; sg < 2; sg++) {
            bool sigmoid = sg == 1;
            /* every special value, alone and in runs of each length */
            for (size_t len = 1; len <= 17; len++)
                for (size_t i = 0; i + len <= ns; i += len)
                    if (!check(specials + i, len, sigmoid, isa, y, len % 2 == 0))
                        return 1;
            uint64_t s = seed;
            unsigned long long total = sigmoid ? count / 10 : count, done = 0;
            while (done < total) {
                size_t len = 1 + next(&s) % CHUNK;
                if (len > total - done)
                    len = (size_t)(total - done);
                for (size_t i = 0; i < len; i++)
                    x[i] = random_input(&s);
                if (!check(x, len, sigmoid, isa, y, next(&s) % 4 == 0))
                    return 1;
                done += len;
            }
            printf("%s %s: %llu random inputs and %zu special values, every bit as glibc's\n",
                   tensor_isa_name(isa), sigmoid ? "sigmoid" : "exp", total, ns);
        }
        printf("%s: %.1f s of CPU\n", tensor_isa_name(isa), (double)(clock() - c0) / CLOCKS_PER_SEC);
    }
    return checked ? 0 : 77;
}
