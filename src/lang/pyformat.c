/* pyformat.c - Python 3.11's text for numbers and strings (see pyformat.h).
 *
 * Three layers: exact decimal digits of a double on small big integers
 * (pyformat_digits); Python's placement of those digits (the 'r', 'e',
 * 'f', 'g' layouts of its float-to-string routine); and the padding,
 * signs and grouping of the format-spec and printf-style languages.
 */
#include "nudge/pyformat.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* --- big integers ------------------------------------------------------ */

/* Enough 32-bit blocks for the largest number Dragon4 meets with a double:
 * 2^1078 for the scale of the smallest subnormal, shifted by < 32 bits. */
enum { BIG_BLOCKS = 40 };

typedef struct Big {
    int n;                      /* blocks in use; 0 for zero */
    uint32_t b[BIG_BLOCKS];     /* little-endian */
} Big;

static void big_set(Big *a, uint64_t v)
{
    a->n = 0;
    while (v) {
        a->b[a->n++] = (uint32_t)v;
        v >>= 32;
    }
}

static void big_pow2(Big *a, int k)
{
    int blocks = k / 32;
    for (int i = 0; i < blocks; i++)
        a->b[i] = 0;
    a->b[blocks] = (uint32_t)1 << (k % 32);
    a->n = blocks + 1;
}

static int big_cmp(const Big *a, const Big *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->b[i] != b->b[i])
            return a->b[i] < b->b[i] ? -1 : 1;
    return 0;
}

/* a *= m for a small m; the carry is dropped only past BIG_BLOCKS, which
 * the sizes above rule out. */
static void big_mul_small(Big *a, uint32_t m)
{
    uint64_t carry = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t p = (uint64_t)a->b[i] * m + carry;
        a->b[i] = (uint32_t)p;
        carry = p >> 32;
    }
    if (carry && a->n < BIG_BLOCKS)
        a->b[a->n++] = (uint32_t)carry;
}

static void big_mul_pow10(Big *a, int k)
{
    static const uint32_t small[10] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                        100000000, 1000000000 };
    for (; k >= 9; k -= 9)
        big_mul_small(a, small[9]);
    if (k)
        big_mul_small(a, small[k]);
}

static void big_shift_left(Big *a, int k)
{
    if (a->n == 0 || k == 0)
        return;
    int blocks = k / 32, bits = k % 32;
    int n = a->n + blocks + 1;
    if (n > BIG_BLOCKS)
        n = BIG_BLOCKS;
    for (int i = n - 1; i >= 0; i--) {
        int src = i - blocks;
        uint32_t hi = src >= 0 && src < a->n ? a->b[src] : 0;
        uint32_t lo = src - 1 >= 0 && src - 1 < a->n ? a->b[src - 1] : 0;
        a->b[i] = bits ? (hi << bits) | (lo >> (32 - bits)) : hi;
    }
    a->n = n;
    while (a->n > 0 && a->b[a->n - 1] == 0)
        a->n--;
}

/* r = a + b */
static void big_add(Big *r, const Big *a, const Big *b)
{
    const Big *lg = a->n >= b->n ? a : b, *sm = a->n >= b->n ? b : a;
    uint64_t carry = 0;
    for (int i = 0; i < lg->n; i++) {
        uint64_t s = (uint64_t)lg->b[i] + (i < sm->n ? sm->b[i] : 0) + carry;
        r->b[i] = (uint32_t)s;
        carry = s >> 32;
    }
    r->n = lg->n;
    if (carry && r->n < BIG_BLOCKS)
        r->b[r->n++] = (uint32_t)carry;
}

/* a -= b, for a >= b. */
static void big_sub(Big *a, const Big *b)
{
    int64_t borrow = 0;
    for (int i = 0; i < a->n; i++) {
        int64_t d = (int64_t)a->b[i] - (i < b->n ? b->b[i] : 0) - borrow;
        borrow = d < 0;
        a->b[i] = (uint32_t)(d + (borrow ? ((int64_t)1 << 32) : 0));
    }
    while (a->n > 0 && a->b[a->n - 1] == 0)
        a->n--;
}

/* a -= q * b for a >= q * b. */
static void big_sub_mul(Big *a, const Big *b, uint32_t q)
{
    uint64_t carry = 0;
    int64_t borrow = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t p = i < b->n ? (uint64_t)b->b[i] * q + carry : carry;
        carry = p >> 32;
        int64_t d = (int64_t)a->b[i] - (int64_t)(uint32_t)p - borrow;
        borrow = d < 0;
        a->b[i] = (uint32_t)(d + (borrow ? ((int64_t)1 << 32) : 0));
    }
    while (a->n > 0 && a->b[a->n - 1] == 0)
        a->n--;
}

/* The digit floor(r / s) for r < 10 s, leaving the remainder in r.  The
 * scale's top block holds its highest bit at position 27 (see below), so r
 * has no more blocks than s and the estimate from the top blocks is at most
 * one short. */
static uint32_t big_divmod_digit(Big *r, const Big *s)
{
    if (r->n < s->n)
        return 0;
    uint32_t q = r->b[r->n - 1] / (s->b[s->n - 1] + 1);
    if (q)
        big_sub_mul(r, s, q);
    while (big_cmp(r, s) >= 0) {
        big_sub(r, s);
        q++;
    }
    return q;
}

/* --- digits ------------------------------------------------------------ */

static int bit_length64(uint64_t v)
{
    int n = 0;
    while (v) {
        n++;
        v >>= 1;
    }
    return n;
}

/* One run of Dragon4: the value mant * 2^e2 and how to cut its digits. */
typedef struct DigitsJob {
    uint64_t mant;
    int e2;
    int top;            /* the index of mant's highest bit */
    bool unequal;       /* the gap below is half the gap above (a power of two) */
    bool even;          /* mant is even: an interval end reads back as x */
    bool unique;
    PyCutoff cut;
    int cmax, cmin;     /* the cut's counts, -1 for none */
    int cap;
} DigitsJob;

/* What a core leaves for the last digit: the digits before it in d[0..n),
 * the digit itself, and whether to round it down. */
typedef struct DigitsEnd {
    int n;
    uint32_t digit;
    bool down;
    int k;              /* the first digit's exponent plus one */
} DigitsEnd;

/* The first digit's exponent plus one, estimated from the bit length:
 * right or one short (the 0.69 keeps it from ever being one long). */
static int digits_estimate(const DigitsJob *j)
{
    int k = (int)ceil((double)(j->top + j->e2) * 0.30102999566398119521 - 0.69);
    if (j->cut == PY_CUT_FRACTION && j->cmax >= 0 && k <= -j->cmax)
        k = -j->cmax + 1;     /* nothing to print before the cut: round there */
    return k;
}

/* The exponents of the last digit allowed (cut) and of the last digit
 * before which unique mode may not stop (min), for first exponent k - 1. */
static void digits_limits(const DigitsJob *j, int k, int *cut_exp, int *min_exp)
{
    *cut_exp = k - j->cap;
    if (j->cmax >= 0) {
        int want = j->cut == PY_CUT_TOTAL ? k - j->cmax : -j->cmax;
        if (want > *cut_exp)
            *cut_exp = want;
    }
    *min_exp = k;
    if (j->cmin >= 0) {
        int want = j->cut == PY_CUT_TOTAL ? k - j->cmin : -j->cmin;
        if (want < *min_exp)
            *min_exp = want;
    }
}

/* The cores below share one rule beyond Dragon4's: a minimum digit count
 * can keep the loop going after x is identified, and the margins then grow
 * tenfold a digit without bound.  Once the upper margin reaches the scale,
 * both neighbours stay within reach for good (the true margins only grow),
 * so the cores stop multiplying them and take low and high as true; the
 * digits are unchanged and the numbers stay within their integer sizes.
 *
 * The core on big integers: any double, any cut. */
static void digits_big(const DigitsJob *j, char *d, DigitsEnd *end)
{
    /* value = r / s; the neighbours are half a gap away: mlo below and mhi
     * above, in the same scale. */
    Big r, s, mlo, mhi;
    big_set(&r, j->mant);
    if (j->e2 > 0) {
        big_shift_left(&r, j->e2 + (j->unequal ? 2 : 1));
        big_set(&s, j->unequal ? 4 : 2);
        big_pow2(&mlo, j->e2);
    } else {
        big_shift_left(&r, j->unequal ? 2 : 1);
        big_pow2(&s, -j->e2 + (j->unequal ? 2 : 1));
        big_set(&mlo, 1);
    }
    int k = digits_estimate(j);
    if (k > 0) {
        big_mul_pow10(&s, k);
    } else if (k < 0) {
        big_mul_pow10(&r, -k);
        big_mul_pow10(&mlo, -k);
    }
    if (big_cmp(&r, &s) >= 0) {
        k++;
    } else {
        big_mul_small(&r, 10);
        big_mul_small(&mlo, 10);
    }
    mhi = mlo;
    if (j->unequal)
        big_shift_left(&mhi, 1);
    int cut_exp, min_exp;
    digits_limits(j, k, &cut_exp, &min_exp);

    /* Put the scale's highest bit at bit 27 of its top block, so that a
     * digit's estimate is close and 10 r never needs a block more than s. */
    int hb = bit_length64(s.b[s.n - 1]) - 1;
    if (hb != 27) {
        int shift = (32 + 27 - hb) % 32;
        big_shift_left(&s, shift);
        big_shift_left(&r, shift);
        big_shift_left(&mlo, shift);
        big_shift_left(&mhi, shift);
    }

    int n = 0, digit_exp = k;
    uint32_t digit;
    bool low = false, high = false, saturated = false;
    if (j->unique) {
        Big up;
        for (;;) {
            digit_exp--;
            digit = big_divmod_digit(&r, &s);
            if (saturated) {
                low = high = true;
            } else {
                big_add(&up, &r, &mhi);
                int c = big_cmp(&r, &mlo);
                low = j->even ? c <= 0 : c < 0;
                c = big_cmp(&up, &s);
                high = j->even ? c >= 0 : c > 0;
            }
            if (((low || high) && digit_exp <= min_exp) || digit_exp == cut_exp)
                break;
            d[n++] = (char)('0' + digit);
            big_mul_small(&r, 10);
            if (big_cmp(&mhi, &s) >= 0) {
                saturated = true;
            } else {
                big_mul_small(&mlo, 10);
                big_mul_small(&mhi, 10);
            }
        }
    } else {
        for (;;) {
            digit_exp--;
            digit = big_divmod_digit(&r, &s);
            if (r.n == 0 || digit_exp == cut_exp)
                break;
            d[n++] = (char)('0' + digit);
            big_mul_small(&r, 10);
        }
    }
    /* Round the last digit: down when only the lower neighbour is out of
     * reach, up when only the upper is; otherwise to the nearer, ties to
     * the even digit. */
    bool down = low;
    if (low == high) {
        big_shift_left(&r, 1);
        int c = big_cmp(&r, &s);
        down = c < 0 || (c == 0 && (digit & 1) == 0);
    }
    *end = (DigitsEnd){ .n = n, .digit = digit, .down = down, .k = k };
}

/* The same steps on 64-bit integers, for the doubles whose scaled numbers
 * stay below 2^59 (most values between 2^-5 and 2^53): the common case of
 * the numbers a student prints, at half the cost of 128 bits.  Returns
 * false, having written nothing, when they would not fit. */
static const uint64_t U64_LIMIT = (uint64_t)1 << 59;

static bool u64_mul_pow10(uint64_t *a, int k)
{
    for (; k > 0; k--) {
        if (*a >= U64_LIMIT / 10)
            return false;
        *a *= 10;
    }
    return true;
}

static bool digits_u64(const DigitsJob *j, char *d, DigitsEnd *end)
{
    int shift = j->unequal ? 2 : 1;
    if (j->e2 > 0 || -j->e2 + shift >= 59 || j->top + shift >= 59)
        return false;
    uint64_t r = j->mant << shift;
    uint64_t s = (uint64_t)1 << (-j->e2 + shift);
    uint64_t mlo = 1;
    int k = digits_estimate(j);
    if (k > 0 ? !u64_mul_pow10(&s, k) : !u64_mul_pow10(&r, -k) || !u64_mul_pow10(&mlo, -k))
        return false;
    if (r >= s) {
        k++;
    } else {
        r *= 10;
        mlo *= 10;
    }
    uint64_t mhi = j->unequal ? mlo << 1 : mlo;
    int cut_exp, min_exp;
    digits_limits(j, k, &cut_exp, &min_exp);
    uint64_t s2 = s << 1, s4 = s << 2, s8 = s << 3;

    int n = 0, digit_exp = k;
    uint32_t digit;
    bool low = false, high = false, saturated = false;
    for (;;) {
        digit_exp--;
        digit = 0;
        if (r >= s8) { r -= s8; digit = 8; }
        if (r >= s4) { r -= s4; digit += 4; }
        if (r >= s2) { r -= s2; digit += 2; }
        if (r >= s) { r -= s; digit += 1; }
        if (j->unique) {
            if (saturated) {
                low = high = true;
            } else {
                low = j->even ? r <= mlo : r < mlo;
                high = j->even ? r + mhi >= s : r + mhi > s;
            }
            if (((low || high) && digit_exp <= min_exp) || digit_exp == cut_exp)
                break;
            if (mhi >= s) {
                saturated = true;
            } else {
                mlo *= 10;
                mhi *= 10;
            }
        } else if (r == 0 || digit_exp == cut_exp) {
            break;
        }
        d[n++] = (char)('0' + digit);
        r *= 10;
    }
    bool down = low;
    if (low == high)
        down = (r << 1) < s || ((r << 1) == s && (digit & 1) == 0);
    *end = (DigitsEnd){ .n = n, .digit = digit, .down = down, .k = k };
    return true;
}

#if defined(__SIZEOF_INT128__)
/* The same steps on 128-bit integers, for the doubles (most of them) whose
 * scaled numbers stay below 2^124, so that 10 r and 8 s fit.  Returns false,
 * having written nothing, when they would not. */
__extension__ typedef unsigned __int128 U128;

static const U128 U128_LIMIT = (U128)1 << 124;

static bool u128_mul_pow10(U128 *a, int k)
{
    for (; k > 0; k--) {
        if (*a >= U128_LIMIT / 10)
            return false;
        *a *= 10;
    }
    return true;
}

static bool digits_u128(const DigitsJob *j, char *d, DigitsEnd *end)
{
    int shift = j->unequal ? 2 : 1;
    if (j->e2 > 0 ? j->e2 + shift + j->top >= 123 : -j->e2 + shift >= 123)
        return false;
    U128 r = (U128)j->mant << (j->e2 > 0 ? j->e2 + shift : shift);
    U128 s = j->e2 > 0 ? (U128)(j->unequal ? 4 : 2) : (U128)1 << (-j->e2 + shift);
    U128 mlo = j->e2 > 0 ? (U128)1 << j->e2 : 1;
    int k = digits_estimate(j);
    if (k > 0 ? !u128_mul_pow10(&s, k) : !u128_mul_pow10(&r, -k) || !u128_mul_pow10(&mlo, -k))
        return false;
    if (r >= s) {
        k++;
    } else {
        r *= 10;
        mlo *= 10;
    }
    U128 mhi = j->unequal ? mlo << 1 : mlo;
    int cut_exp, min_exp;
    digits_limits(j, k, &cut_exp, &min_exp);
    U128 s2 = s << 1, s4 = s << 2, s8 = s << 3;

    int n = 0, digit_exp = k;
    uint32_t digit;
    bool low = false, high = false, saturated = false;
    for (;;) {
        digit_exp--;
        digit = 0;
        if (r >= s8) { r -= s8; digit = 8; }
        if (r >= s4) { r -= s4; digit += 4; }
        if (r >= s2) { r -= s2; digit += 2; }
        if (r >= s) { r -= s; digit += 1; }
        if (j->unique) {
            if (saturated) {
                low = high = true;
            } else {
                low = j->even ? r <= mlo : r < mlo;
                high = j->even ? r + mhi >= s : r + mhi > s;
            }
            if (((low || high) && digit_exp <= min_exp) || digit_exp == cut_exp)
                break;
            if (mhi >= s) {
                saturated = true;
            } else {
                mlo *= 10;
                mhi *= 10;
            }
        } else if (r == 0 || digit_exp == cut_exp) {
            break;
        }
        d[n++] = (char)('0' + digit);
        r *= 10;
    }
    bool down = low;
    if (low == high)
        down = (r << 1) < s || ((r << 1) == s && (digit & 1) == 0);
    *end = (DigitsEnd){ .n = n, .digit = digit, .down = down, .k = k };
    return true;
}
#endif

int pyformat_digits(double x, const PyDigitsSpec *spec, char *d, int cap, int *exp10)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    uint64_t frac = bits & (((uint64_t)1 << 52) - 1);
    int biased = (int)((bits >> 52) & 0x7ff);
    if (biased == 0 && frac == 0) {
        d[0] = '0';
        *exp10 = 0;
        return 1;
    }
    DigitsJob j = { .unique = spec->unique, .cut = spec->cut, .cap = cap < 1 ? 1 : cap };
    if (biased) {
        j.mant = frac | ((uint64_t)1 << 52);
        j.e2 = biased - 1075;
        j.top = 52;
        j.unequal = frac == 0 && biased > 1;
    } else {
        j.mant = frac;
        j.e2 = -1074;
        j.top = bit_length64(frac) - 1;
    }
    j.even = (j.mant & 1) == 0;
    j.cmax = spec->cut == PY_CUT_NONE ? -1 : spec->max;
    j.cmin = spec->cut == PY_CUT_NONE || !spec->unique ? -1 : spec->min;
    if (spec->cut == PY_CUT_TOTAL && j.cmax == 0)
        j.cmax = 1;

    DigitsEnd end;
#if defined(__SIZEOF_INT128__)
    if (!digits_u64(&j, d, &end) && !digits_u128(&j, d, &end))
        digits_big(&j, d, &end);
#else
    if (!digits_u64(&j, d, &end))
        digits_big(&j, d, &end);
#endif
    int n = end.n;
    *exp10 = end.k - 1;
    if (end.down || end.digit < 9) {
        d[n++] = (char)('0' + end.digit + (end.down ? 0 : 1));
        return n;
    }
    /* Carry the 9 into the digits before it. */
    for (;;) {
        if (n == 0) {
            d[n++] = '1';
            *exp10 += 1;
            return n;
        }
        n--;
        if (d[n] != '9') {
            d[n]++;
            return n + 1;
        }
    }
}

/* --- Python's float to string ------------------------------------------ */

enum {
    DTSF_SIGN = 1,          /* always a sign */
    DTSF_ADD_DOT_0 = 2,     /* "1.0", not "1" */
    DTSF_ALT = 4,           /* '#': keep the point and trailing zeros */
    DTSF_NO_NEG_0 = 8       /* 'z': a negative value that rounds to zero has no sign */
};

/* Where Python's float-to-string (format_float_short) puts the digits:
 * the output is the slice [vstart, vend) of the digits padded with zeros
 * on both sides, with the point after decpt of them. */
typedef struct DtoaPlan {
    bool special;           /* inf or nan: the text is in digits */
    bool neg, plus, upper, alt, use_exp;
    char digits[PY_DIGITS_MAX];
    long nd, decpt, vstart, vend, exp;
} DtoaPlan;

/* code 'r' (repr digits), 'e', 'f' or 'g' with a precision; upper for
 * E/F/G. */
static void dtoa_plan(DtoaPlan *p, double x, char code, long precision, int flags, bool upper)
{
    p->neg = signbit(x) != 0;
    p->plus = (flags & DTSF_SIGN) != 0;
    p->upper = upper;
    p->alt = (flags & DTSF_ALT) != 0;
    p->use_exp = false;
    p->special = isnan(x) || isinf(x);
    if (p->special) {
        p->neg = p->neg && isinf(x);    /* a NaN's sign is not shown */
        memcpy(p->digits, isnan(x) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf"), 3);
        p->nd = 3;
        return;
    }
    PyDigitsSpec ds = { .unique = code == 'r', .cut = PY_CUT_NONE, .max = -1, .min = -1 };
    long prec = precision;
    if (code == 'e') {
        prec = precision + 1;
        ds.cut = PY_CUT_TOTAL;
    } else if (code == 'f') {
        ds.cut = PY_CUT_FRACTION;
    } else if (code == 'g') {
        if (prec == 0)
            prec = 1;
        ds.cut = PY_CUT_TOTAL;
    }
    /* More digits than a double has change nothing but the zeros after. */
    if (ds.cut != PY_CUT_NONE)
        ds.max = (int)(prec < 2 * PY_DIGITS_MAX ? prec : 2 * PY_DIGITS_MAX);
    int exp10;
    p->nd = pyformat_digits(fabs(x), &ds, p->digits, PY_DIGITS_MAX, &exp10);
    p->decpt = exp10 + 1;
    while (p->nd > 1 && p->digits[p->nd - 1] == '0')
        p->nd--;
    if (p->nd == 1 && p->digits[0] == '0') {
        p->nd = 0;      /* zero, or rounded away: no digits, as Gay's dtoa */
        if (x == 0)
            p->decpt = 1;
    }
    if ((flags & DTSF_NO_NEG_0) && p->neg && p->nd == 0)
        p->neg = false;

    long vend = p->nd, decpt = p->decpt;
    switch (code) {
    case 'e':
        p->use_exp = true;
        vend = prec;
        break;
    case 'f':
        vend = decpt + prec;
        break;
    case 'g':
        if (decpt <= -4 || decpt > ((flags & DTSF_ADD_DOT_0) ? prec - 1 : prec))
            p->use_exp = true;
        if (flags & DTSF_ALT)
            vend = prec;
        break;
    default: /* 'r' */
        if (decpt <= -4 || decpt > 16)
            p->use_exp = true;
        break;
    }
    p->exp = 0;
    if (p->use_exp) {
        p->exp = decpt - 1;
        decpt = 1;
    }
    p->vstart = decpt <= 0 ? decpt - 1 : 0;
    if (!p->use_exp && (flags & DTSF_ADD_DOT_0))
        vend = vend > decpt ? vend : decpt + 1;
    else
        vend = vend > decpt ? vend : decpt;
    p->decpt = decpt;
    p->vend = vend;
}

/* An upper bound of the plan's text length. */
static size_t dtoa_room(const DtoaPlan *p)
{
    return p->special ? 5 : (size_t)(p->vend - p->vstart) + 10;
}

static void put_zeros(Text *t, long n)
{
    static const char z[] = "0000000000000000000000000000000000000000000000000000000000000000";
    while (n > 0) {
        long k = n < 64 ? n : 64;
        text_append(t, z, (size_t)k);
        n -= k;
    }
}

static char *fill_zeros(char *o, long n)
{
    if (n > 0) {
        memset(o, '0', (size_t)n);
        o += n;
    }
    return o;
}

/* Writes the plan's text to dst (dtoa_room bytes); returns its length. */
static size_t dtoa_write(const DtoaPlan *p, char *dst)
{
    char *o = dst;
    if (p->neg)
        *o++ = '-';
    else if (p->plus)
        *o++ = '+';
    if (p->special) {
        memcpy(o, p->digits, 3);
        return (size_t)(o + 3 - dst);
    }
    long nd = p->nd, decpt = p->decpt;
    if (decpt <= 0) {
        o = fill_zeros(o, decpt - p->vstart);
        *o++ = '.';
        o = fill_zeros(o, -decpt);
    } else {
        o = fill_zeros(o, -p->vstart);
    }
    if (0 < decpt && decpt <= nd) {
        memcpy(o, p->digits, (size_t)decpt);
        o += decpt;
        *o++ = '.';
        memcpy(o, p->digits + decpt, (size_t)(nd - decpt));
        o += nd - decpt;
    } else {
        memcpy(o, p->digits, (size_t)nd);
        o += nd;
    }
    if (nd < decpt) {
        o = fill_zeros(o, decpt - nd);
        *o++ = '.';
        o = fill_zeros(o, p->vend - decpt);
    } else {
        o = fill_zeros(o, p->vend - nd);
    }
    if (o[-1] == '.' && !p->alt)
        o--;
    if (p->use_exp) {
        long ex = p->exp < 0 ? -p->exp : p->exp;
        *o++ = p->upper ? 'E' : 'e';
        *o++ = p->exp < 0 ? '-' : '+';
        char tmp[8];
        int k = 0;
        do {
            tmp[k++] = (char)('0' + ex % 10);
            ex /= 10;
        } while (ex);
        if (k < 2)
            tmp[k++] = '0';
        while (k)
            *o++ = tmp[--k];
    }
    return (size_t)(o - dst);
}

static bool limit_error(Error *e)
{
    return error_set_in(e, ERROR_LIMIT, "format", "the result would be longer than %zu characters",
                     (size_t)PYFORMAT_OUTPUT_MAX);
}

/* Appends the plan's text to out. */
static bool dtoa_append(Text *out, const DtoaPlan *p, Error *e)
{
    size_t room = dtoa_room(p);
    if (room > PYFORMAT_OUTPUT_MAX)
        return limit_error(e);
    if (!text_reserve(out, room))
        return error_nomem(e, "format");
    size_t n = dtoa_write(p, out->s + out->len);
    out->len += n;
    out->s[out->len] = '\0';
    return true;
}

const char *pyformat_float_repr(double x, char *buf)
{
    DtoaPlan p;
    dtoa_plan(&p, x, 'r', 0, DTSF_ADD_DOT_0, false);
    size_t n = dtoa_write(&p, buf);    /* at most 24 bytes: "-1.2345678901234567e-308" */
    buf[n] = '\0';
    return buf;
}

const char *pyformat_printf(double x, char code, int precision, char *buf, size_t n)
{
    if (n == 0)
        return buf;
    DtoaPlan p;
    dtoa_plan(&p, x, code == 'e' ? 'e' : 'f', precision < 0 ? 0 : precision, 0, false);
    size_t room = dtoa_room(&p);
    if (room < n) {
        size_t len = dtoa_write(&p, buf);
        buf[len] = '\0';
        return buf;
    }
    Text t = { 0 };
    if (text_reserve(&t, room)) {
        size_t len = dtoa_write(&p, t.s);
        size_t keep = len < n - 1 ? len : n - 1;
        memcpy(buf, t.s, keep);
        buf[keep] = '\0';
    } else {
        buf[0] = '\0';
    }
    text_free(&t);
    return buf;
}

const char *pyformat_int_repr(int64_t v, char *buf)
{
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char tmp[24];
    int k = (int)sizeof tmp;
    do {
        tmp[--k] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[--k] = '-';
    memcpy(buf, tmp + k, sizeof tmp - (size_t)k);
    buf[sizeof tmp - (size_t)k] = '\0';
    return buf;
}

/* --- UTF-8 --------------------------------------------------------------- */

/* Decodes the code point at s[*i] (of n bytes) and moves *i past it; a
 * byte that does not start a valid sequence counts as one code point of
 * its own value. */
static uint32_t utf8_next(const char *s, size_t n, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c = u[*i];
    int more = c >= 0xf0 && c < 0xf8 ? 3 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xc0 && c < 0xe0 ? 1 : 0;
    if (more && *i + (size_t)more < n) {
        uint32_t cp = c & (0x3fu >> more);
        size_t j = *i + 1;
        bool ok = true;
        for (int k = 0; ok && k < more; k++, j++) {
            if ((u[j] & 0xc0) != 0x80)
                ok = false;
            else
                cp = (cp << 6) | (u[j] & 0x3f);
        }
        if (ok) {
            *i = j;
            return cp;
        }
    }
    (*i)++;
    return c;
}

static size_t utf8_count(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; count++)
        utf8_next(s, n, &i);
    return count;
}

/* The byte length of the first `chars` code points of s. */
static size_t utf8_prefix(const char *s, size_t n, size_t chars)
{
    size_t i = 0;
    while (chars-- > 0 && i < n)
        utf8_next(s, n, &i);
    return i;
}

static size_t utf8_put(char *o, uint32_t c)
{
    if (c < 0x80) {
        o[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (char)(0xc0 | (c >> 6));
        o[1] = (char)(0x80 | (c & 0x3f));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (char)(0xe0 | (c >> 12));
        o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        o[2] = (char)(0x80 | (c & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | (c >> 18));
    o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((c >> 6) & 0x3f));
    o[3] = (char)(0x80 | (c & 0x3f));
    return 4;
}

/* n copies of the fill character. */
static void put_fill(Text *t, const char *fill, long n)
{
    size_t fl = strlen(fill);
    if (n <= 0 || !text_reserve(t, (size_t)n * fl))
        return;
    for (long i = 0; i < n; i++) {
        memcpy(t->s + t->len, fill, fl);
        t->len += fl;
    }
    t->s[t->len] = '\0';
}

/* --- the format-spec mini-language -------------------------------------- */

static bool is_align(uint32_t c)
{
    return c == '<' || c == '>' || c == '=' || c == '^';
}

/* Reads decimal digits at spec[*i]; *value is -1 when there are none.
 * Python refuses a number past its Py_ssize_t. */
static bool spec_integer(const char *spec, size_t *i, long *value, Error *e)
{
    size_t start = *i;
    long v = 0;
    bool overflow = false;
    while (spec[*i] >= '0' && spec[*i] <= '9') {
        int dig = spec[*i] - '0';
        if (v > (LONG_MAX - dig) / 10)
            overflow = true;
        else
            v = v * 10 + dig;
        (*i)++;
    }
    if (overflow)
        return error_set(e, ERROR_ARG, "Too many decimal digits in format string");
    *value = *i == start ? -1 : v;
    return true;
}

static const char *printable_code(uint32_t c, char *buf, size_t n)
{
    if (c > 32 && c < 128)
        snprintf(buf, n, "%c", (char)c);
    else
        snprintf(buf, n, "\\x%x", (unsigned)c);
    return buf;
}

bool pyformat_spec_parse(const char *spec, PyArgKind kind, const char *type_name, PySpec *out, Error *e)
{
    size_t n = strlen(spec), i = 0;
    *out = (PySpec){ .fill = " ", .width = -1, .precision = -1 };
    out->type = kind == PY_ARG_STR ? 's' : kind == PY_ARG_INT || kind == PY_ARG_BOOL ? 'd' : 0;
    out->type_cp = (unsigned char)out->type;
    out->empty = n == 0;
    if (n == 0)
        return true;
    bool fill_given = false;
    size_t j = 0;
    uint32_t c0 = utf8_next(spec, n, &j);
    size_t j2 = j;
    uint32_t c1 = j < n ? utf8_next(spec, n, &j2) : 0;
    if (j < n && is_align(c1)) {
        memcpy(out->fill, spec, j);
        out->fill[j] = '\0';
        out->align = (char)c1;
        fill_given = true;
        i = j2;
    } else if (is_align(c0)) {
        out->align = (char)c0;
        i = 1;
    }
    if (spec[i] == '+' || spec[i] == '-' || spec[i] == ' ')
        out->sign = spec[i++];
    if (spec[i] == 'z') {
        out->no_neg_zero = true;
        i++;
    }
    if (spec[i] == '#') {
        out->alternate = true;
        i++;
    }
    if (!fill_given && spec[i] == '0') {
        out->zero_pad = true;
        memcpy(out->fill, "0", 2);
        i++;
    }
    if (!spec_integer(spec, &i, &out->width, e))
        return false;
    if (spec[i] == ',') {
        out->grouping = ',';
        i++;
    }
    if (spec[i] == '_') {
        if (out->grouping)
            return error_set(e, ERROR_ARG, "Cannot specify both ',' and '_'.");
        out->grouping = '_';
        i++;
    }
    if (spec[i] == ',')
        return error_set(e, ERROR_ARG, "Cannot specify both ',' and '_'.");
    if (spec[i] == '.') {
        i++;
        if (!spec_integer(spec, &i, &out->precision, e))
            return false;
        if (out->precision < 0)
            return error_set(e, ERROR_ARG, "Format specifier missing precision");
    }
    if (i < n) {
        size_t k = i;
        uint32_t t = utf8_next(spec, n, &k);
        if (k < n)
            return error_set(e, ERROR_ARG, "Invalid format specifier '%s' for object of type '%s'", spec,
                             type_name);
        out->type_cp = t;
        out->type = t < 128 ? (char)t : '?';
    }
    if (out->grouping) {
        switch (out->type) {
        case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case '\0':
            break;
        case 'b': case 'o': case 'x': case 'X':
            if (out->grouping == '_')
                break;
            /* fall through */
        default: {
            char code[16];
            return error_set(e, ERROR_ARG, "Cannot specify '%c' with '%s'.", out->grouping,
                             printable_code(out->type_cp, code, sizeof code));
        }
        }
    }
    return true;
}

static bool unknown_code(const PySpec *sp, const char *type_name, Error *e)
{
    char code[16];
    return error_set(e, ERROR_ARG, "Unknown format code '%s' for object of type '%s'",
                     printable_code(sp->type_cp, code, sizeof code), type_name);
}

/* The alignment in effect: the given one, '=' for a 0 before the width of
 * a number, else the type's default. */
static char spec_align(const PySpec *sp, char dflt)
{
    if (sp->align)
        return sp->align;
    if (sp->zero_pad && dflt == '>')
        return '=';
    return dflt;
}

/* Python's grouping of n digits (ASCII) with separator sep every `group`
 * (0 for none), padded with zeros to min_width characters, into g.  This
 * is _PyUnicode_InsertThousandsGrouping's walk: it goes from the right,
 * one group at a time, and the zeros of the padding are grouped too. */
static void group_digits(Text *g, const char *digits, long n, char sep, int group, long min_width)
{
    long cap = n + n + (min_width > 0 ? 2 * min_width : 0) + 4;
    if (!text_reserve(g, (size_t)cap))
        return;
    char *buf = g->s;
    long pos = cap, remaining = n, dpos = n;
    bool use_sep = false, last = !group;
    for (;;) {
        long l = remaining > min_width ? remaining : min_width;
        l = l > 1 ? l : 1;
        if (!last)
            l = group < l ? group : l;
        long zeros = l - remaining > 0 ? l - remaining : 0;
        long chars = remaining < l ? remaining : l;
        chars = chars > 0 ? chars : 0;
        if (use_sep)
            buf[--pos] = sep;
        for (long k = 0; k < chars; k++)
            buf[--pos] = digits[--dpos];
        for (long k = 0; k < zeros; k++)
            buf[--pos] = '0';
        if (last)
            break;
        use_sep = true;
        remaining -= chars;
        min_width -= l;
        if (remaining <= 0 && min_width <= 0)
            break;
        min_width -= 1;
    }
    memmove(buf, buf + pos, (size_t)(cap - pos));
    g->len = (size_t)(cap - pos);
    g->s[g->len] = '\0';
}

/* Lays out a number as calc_number_widths/fill_number do:
 *   <lpad> <sign> <prefix> <spad> <grouped digits> <remainder> <rpad>
 * num is the unsigned text (digits, then any ".", fraction, exponent or
 * "%"), neg its sign.  n_digits counts the leading digits that are
 * grouped (0 for 'c'); upper turns hex digits and prefix to upper case. */
static bool put_number(Text *out, const PySpec *sp, char align, bool neg, const char *prefix,
                       const char *num, size_t num_len, size_t n_digits, int group, bool upper, Error *e)
{
    char sign = 0;
    if (sp->sign == '+')
        sign = neg ? '-' : '+';
    else if (sp->sign == ' ')
        sign = neg ? '-' : ' ';
    else if (neg)
        sign = '-';
    long n_prefix = (long)strlen(prefix);
    long n_rem = (long)(num_len - n_digits);
    long n_fixed = (sign ? 1 : 0) + n_prefix + (long)utf8_count(num + n_digits, (size_t)n_rem);
    long min_width = (strcmp(sp->fill, "0") == 0 && align == '=') ? sp->width - n_fixed : 0;
    if (min_width > (long)PYFORMAT_OUTPUT_MAX || sp->width > (long)PYFORMAT_OUTPUT_MAX)
        return limit_error(e);
    Text g = { 0 };
    if (n_digits) {
        group_digits(&g, num, (long)n_digits, sp->grouping == '_' ? '_' : ',', group, min_width);
        if (g.failed) {
            text_free(&g);
            return error_nomem(e, "format");
        }
        if (upper)
            for (size_t k = 0; k < g.len; k++)
                if (g.s[k] >= 'a' && g.s[k] <= 'f')
                    g.s[k] = (char)(g.s[k] - 32);
    }
    long total = n_fixed + (long)g.len;
    long pad = sp->width - total;
    long lpad = 0, spad = 0, rpad = 0;
    if (pad > 0) {
        switch (align) {
        case '<': rpad = pad; break;
        case '^': lpad = pad / 2; rpad = pad - lpad; break;
        case '=': spad = pad; break;
        default: lpad = pad; break;
        }
    }
    put_fill(out, sp->fill, lpad);
    if (sign)
        text_append(out, &sign, 1);
    for (long k = 0; k < n_prefix; k++) {
        char ch = upper && prefix[k] >= 'a' && prefix[k] <= 'z' ? (char)(prefix[k] - 32) : prefix[k];
        text_append(out, &ch, 1);
    }
    put_fill(out, sp->fill, spad);
    text_append(out, g.s ? g.s : "", g.len);
    text_append(out, num + n_digits, (size_t)n_rem);
    put_fill(out, sp->fill, rpad);
    text_free(&g);
    if (out->failed)
        return error_nomem(e, "format");
    return true;
}

/* format(x, spec) for a float (format_float_internal). */
bool pyformat_float_spec(Text *out, double x, const PySpec *sp, const char *type_name, Error *e)
{
    if (sp->empty) {
        char buf[PYFORMAT_REPR_MAX];
        text_puts(out, pyformat_float_repr(x, buf));
        return out->failed ? error_nomem(e, "format") : true;
    }
    char type = sp->type;
    switch (type) {
    case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%':
        break;
    default:
        return unknown_code(sp, type_name, e);
    }
    if (sp->precision > INT_MAX)
        return error_set(e, ERROR_ARG, "precision too big");
    long precision = sp->precision;
    int flags = 0;
    long dflt = 6;
    if (sp->alternate)
        flags |= DTSF_ALT;
    if (sp->no_neg_zero)
        flags |= DTSF_NO_NEG_0;
    char code = type;
    if (type == 0) {
        flags |= DTSF_ADD_DOT_0;
        code = 'r';
        dflt = 0;
    }
    if (type == 'n')
        code = 'g';
    bool pct = false;
    if (type == '%') {
        code = 'f';
        x *= 100;
        pct = true;
    }
    if (precision < 0)
        precision = dflt;
    else if (code == 'r')
        code = 'g';
    bool upper = code == 'E' || code == 'F' || code == 'G';
    if (upper)
        code = (char)(code + 32);
    DtoaPlan plan;
    dtoa_plan(&plan, x, code, precision, flags, upper);
    size_t room = dtoa_room(&plan) + 1;
    if (room > PYFORMAT_OUTPUT_MAX)
        return limit_error(e);
    Text num = { 0 };
    if (!text_reserve(&num, room))
        return error_nomem(e, "format");
    size_t len = dtoa_write(&plan, num.s);
    if (pct)
        num.s[len++] = '%';
    num.s[len] = '\0';
    const char *s = num.s;
    bool neg = false;
    if (*s == '-') {
        neg = true;
        s++;
        len--;
    }
    size_t n_digits = 0;
    while (n_digits < len && s[n_digits] >= '0' && s[n_digits] <= '9')
        n_digits++;
    bool ok = put_number(out, sp, spec_align(sp, '>'), neg, "", s, len, n_digits,
                         sp->grouping && type != 'n' ? 3 : 0, false, e);
    text_free(&num);
    return ok;
}

/* The digits of |v| in base 2, 8, 10 or 16 (lower case), right-aligned in
 * buf (at least 66 bytes); returns where they start. */
static char *int_digits(uint64_t u, int base, char *end)
{
    char *p = end;
    do {
        *--p = "0123456789abcdef"[u % (unsigned)base];
        u /= (unsigned)base;
    } while (u);
    return p;
}

static uint64_t magnitude(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

bool pyformat_int_spec(Text *out, int64_t v, const PySpec *sp, const char *type_name, Error *e)
{
    if (sp->empty) {
        char buf[PYFORMAT_REPR_MAX];
        text_puts(out, strcmp(type_name, "bool") == 0 ? (v ? "True" : "False") : pyformat_int_repr(v, buf));
        return out->failed ? error_nomem(e, "format") : true;
    }
    int base = 10;
    switch (sp->type) {
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%':
        return pyformat_float_spec(out, (double)v, sp, "float", e);
    case 'b': base = 2; break;
    case 'o': base = 8; break;
    case 'x': case 'X': base = 16; break;
    case 0: case 'd': case 'n': case 'c': break;
    default:
        return unknown_code(sp, type_name, e);
    }
    if (sp->precision != -1)
        return error_set(e, ERROR_ARG, "Precision not allowed in integer format specifier");
    if (sp->no_neg_zero)
        return error_set(e, ERROR_ARG, "Negative zero coercion (z) not allowed in integer format specifier");
    char align = spec_align(sp, '>');
    if (sp->type == 'c') {
        if (sp->sign)
            return error_set(e, ERROR_ARG, "Sign not allowed with integer format specifier 'c'");
        if (sp->alternate)
            return error_set(e, ERROR_ARG, "Alternate form (#) not allowed with integer format specifier 'c'");
        if (v < 0 || v > 0x10ffff)
            return error_set(e, ERROR_LIMIT, "%%c arg not in range(0x110000)");
        char ch[5];
        size_t n = utf8_put(ch, (uint32_t)v);
        ch[n] = '\0';
        return put_number(out, sp, align, false, "", ch, n, 0, 0, false, e);
    }
    char buf[80];
    char *end = buf + sizeof buf - 1;
    *end = '\0';
    char *d = int_digits(magnitude(v), base, end);
    const char *prefix = "";
    if (sp->alternate)
        prefix = base == 2 ? "0b" : base == 8 ? "0o" : base == 16 ? "0x" : "";
    int group = 0;
    if (sp->grouping)
        group = base == 10 ? 3 : 4;
    return put_number(out, sp, align, v < 0, prefix, d, (size_t)(end - d), (size_t)(end - d), group,
                      sp->type == 'X', e);
}

bool pyformat_str_spec(Text *out, const char *s, size_t n, const PySpec *sp, Error *e)
{
    if (sp->empty) {
        text_append(out, s, n);
        return out->failed ? error_nomem(e, "format") : true;
    }
    if (sp->type != 0 && sp->type != 's')
        return unknown_code(sp, "str", e);
    if (sp->sign == ' ')
        return error_set(e, ERROR_ARG, "Space not allowed in string format specifier");
    if (sp->sign)
        return error_set(e, ERROR_ARG, "Sign not allowed in string format specifier");
    if (sp->no_neg_zero)
        return error_set(e, ERROR_ARG, "Negative zero coercion (z) not allowed in string format specifier");
    if (sp->alternate)
        return error_set(e, ERROR_ARG, "Alternate form (#) not allowed in string format specifier");
    char align = spec_align(sp, '<');
    if (align == '=')
        return error_set(e, ERROR_ARG, "'=' alignment not allowed in string format specifier");
    size_t len = utf8_count(s, n), bytes = n;
    if (sp->precision >= 0 && (long)len > sp->precision) {
        len = (size_t)sp->precision;
        bytes = utf8_prefix(s, n, len);
    }
    long pad = sp->width > (long)len ? sp->width - (long)len : 0;
    if ((size_t)pad * strlen(sp->fill) + bytes > PYFORMAT_OUTPUT_MAX)
        return limit_error(e);
    long lpad = align == '>' ? pad : align == '^' ? pad / 2 : 0;
    put_fill(out, sp->fill, lpad);
    text_append(out, s, bytes);
    put_fill(out, sp->fill, pad - lpad);
    return out->failed ? error_nomem(e, "format") : true;
}

bool pyformat_float(Text *out, double x, const char *spec, Error *e)
{
    PySpec sp;
    return pyformat_spec_parse(spec, PY_ARG_FLOAT, "float", &sp, e) && pyformat_float_spec(out, x, &sp, "float", e);
}

bool pyformat_int(Text *out, int64_t v, const char *spec, Error *e)
{
    PySpec sp;
    return pyformat_spec_parse(spec, PY_ARG_INT, "int", &sp, e) && pyformat_int_spec(out, v, &sp, "int", e);
}

bool pyformat_bool(Text *out, bool b, const char *spec, Error *e)
{
    PySpec sp;
    return pyformat_spec_parse(spec, PY_ARG_BOOL, "bool", &sp, e) && pyformat_int_spec(out, b, &sp, "bool", e);
}

bool pyformat_str(Text *out, const char *s, size_t n, const char *spec, Error *e)
{
    PySpec sp;
    return pyformat_spec_parse(spec, PY_ARG_STR, "str", &sp, e) && pyformat_str_spec(out, s, n, &sp, e);
}

/* --- repr of a str -------------------------------------------------------- */

static void put_escape(Text *t, uint32_t c)
{
    if (c < 0x100)
        text_printf(t, "\\x%02x", (unsigned)c);
    else if (c < 0x10000)
        text_printf(t, "\\u%04x", (unsigned)c);
    else
        text_printf(t, "\\U%08x", (unsigned)c);
}

void pyformat_str_repr(Text *out, const char *s, size_t n, bool ascii)
{
    bool single = memchr(s, '\'', n) != NULL, dbl = memchr(s, '"', n) != NULL;
    char quote = single && !dbl ? '"' : '\'';
    text_append(out, &quote, 1);
    for (size_t i = 0; i < n;) {
        size_t start = i;
        uint32_t c = utf8_next(s, n, &i);
        if (c == (uint32_t)quote || c == '\\') {
            char esc[2] = { '\\', (char)c };
            text_append(out, esc, 2);
        } else if (c == '\t') {
            text_puts(out, "\\t");
        } else if (c == '\n') {
            text_puts(out, "\\n");
        } else if (c == '\r') {
            text_puts(out, "\\r");
        } else if (c < 0x20 || c == 0x7f) {
            put_escape(out, c);
        } else if (c < 0x80) {
            text_append(out, s + start, 1);
        } else if (ascii || (c >= 0x80 && c <= 0xa0) || c == 0xad || i - start == 1) {
            /* not printable (C1 controls, no-break space, soft hyphen), or a
             * stray byte that is no UTF-8 */
            put_escape(out, c);
        } else {
            text_append(out, s + start, i - start);
        }
    }
    text_append(out, &quote, 1);
}

/* --- printf-style formatting ------------------------------------------- */

bool pyformat_percent_parse(const char *fmt, size_t len, size_t *pos, PyPercent *out, Error *e)
{
    size_t i = *pos + 1;
    *out = (PyPercent){ .width = -1, .precision = -1 };
    if (i < len && fmt[i] == '%') {
        out->conv = '%';
        out->conv_cp = '%';
        *pos = i + 1;
        return true;
    }
    if (i < len && fmt[i] == '(') {
        int depth = 1;
        size_t start = ++i;
        while (i < len && depth > 0) {
            if (fmt[i] == ')')
                depth--;
            else if (fmt[i] == '(')
                depth++;
            i++;
        }
        if (depth > 0)
            return error_set(e, ERROR_ARG, "incomplete format key");
        out->key = fmt + start;
        out->key_len = i - 1 - start;
    }
    for (; i < len; i++) {
        char c = fmt[i];
        if (c == '-')
            out->left = true;
        else if (c == '+')
            out->plus = true;
        else if (c == ' ')
            out->space = true;
        else if (c == '#')
            out->alternate = true;
        else if (c == '0')
            out->zero = true;
        else
            break;
    }
    if (i < len && fmt[i] == '*') {
        out->width_star = true;
        out->width = 0;
        i++;
    } else if (i < len && fmt[i] >= '0' && fmt[i] <= '9') {
        long w = 0;
        for (; i < len && fmt[i] >= '0' && fmt[i] <= '9'; i++) {
            if (w > (LONG_MAX - (fmt[i] - '0')) / 10)
                return error_set(e, ERROR_ARG, "width too big");
            w = w * 10 + (fmt[i] - '0');
        }
        out->width = w;
    }
    if (i < len && fmt[i] == '.') {
        i++;
        out->precision = 0;
        if (i < len && fmt[i] == '*') {
            out->precision_star = true;
            i++;
        } else {
            long p = 0;
            for (; i < len && fmt[i] >= '0' && fmt[i] <= '9'; i++) {
                if (p > (INT_MAX - (fmt[i] - '0')) / 10)
                    return error_set(e, ERROR_ARG, "precision too big");
                p = p * 10 + (fmt[i] - '0');
            }
            out->precision = p;
        }
    }
    if (i < len && (fmt[i] == 'h' || fmt[i] == 'l' || fmt[i] == 'L'))
        i++;
    if (i >= len)
        return error_set(e, ERROR_ARG, "incomplete format");
    out->index = utf8_count(fmt, i);
    size_t j = i;
    out->conv_cp = utf8_next(fmt, len, &j);
    out->conv = out->conv_cp < 128 ? (char)out->conv_cp : '?';
    *pos = j;
    return true;
}

/* Lays out one converted value as unicode_format_arg_output does.  text
 * is the conversion's text (with any sign and 0x prefix); number says
 * whether signs and zero padding apply. */
static bool percent_output(Text *out, const PyPercent *p, bool left, long width, const char *text,
                           size_t len_bytes, bool number, Error *e)
{
    char fill = number && p->zero ? '0' : ' ';
    const char *body = text;
    size_t body_n = len_bytes;
    char sign = 0;
    if (number) {
        if (*body == '-' || *body == '+') {
            sign = *body++;
            body_n--;
        } else if (p->plus) {
            sign = '+';
        } else if (p->space) {
            sign = ' ';
        }
    }
    bool prefix = number && p->alternate && (p->conv == 'x' || p->conv == 'X' || p->conv == 'o');
    long len = (long)utf8_count(body, body_n) + (sign ? 1 : 0);
    if (width < len)
        width = len;
    if ((size_t)width > PYFORMAT_OUTPUT_MAX)
        return limit_error(e);
    long pad = width - len;
    if (sign && fill != ' ')
        text_append(out, &sign, 1);
    if (prefix && fill != ' ') {
        text_append(out, body, 2);
        body += 2;
        body_n -= 2;
    }
    if (!left) {
        if (fill == '0')
            put_zeros(out, pad);
        else
            text_pad(out, (size_t)pad);
        pad = 0;
    }
    if (sign && fill == ' ')
        text_append(out, &sign, 1);
    text_append(out, body, body_n);
    if (pad > 0)
        text_pad(out, (size_t)pad);
    return out->failed ? error_nomem(e, "format") : true;
}

static const char *arg_type_name(const PyArg *a)
{
    switch (a->kind) {
    case PY_ARG_FLOAT: return "float";
    case PY_ARG_INT: return "int";
    case PY_ARG_BOOL: return "bool";
    case PY_ARG_STR: return "str";
    default: return a->type_name ? a->type_name : "object";
    }
}

/* The str(), repr() or ascii() of an argument, into t. */
static void arg_text(Text *t, const PyArg *a, char conv)
{
    char buf[PYFORMAT_REPR_MAX];
    switch (a->kind) {
    case PY_ARG_FLOAT:
        text_puts(t, pyformat_float_repr(a->f, buf));
        break;
    case PY_ARG_INT:
        text_puts(t, pyformat_int_repr(a->i, buf));
        break;
    case PY_ARG_BOOL:
        text_puts(t, a->b ? "True" : "False");
        break;
    case PY_ARG_STR:
        if (conv == 's')
            text_append(t, a->s, a->n);
        else
            pyformat_str_repr(t, a->s, a->n, conv == 'a');
        break;
    default:
        if (conv == 's') {
            text_append(t, a->s, a->n);
        } else if (conv == 'r') {
            text_append(t, a->repr, a->repr_n);
        } else {
            /* ascii(): the repr with every non-ASCII code point escaped */
            for (size_t i = 0; i < a->repr_n;) {
                size_t start = i;
                uint32_t c = utf8_next(a->repr, a->repr_n, &i);
                if (c < 0x80)
                    text_append(t, a->repr + start, i - start);
                else
                    put_escape(t, c);
            }
        }
        break;
    }
}

/* The integer text of %d %i %u %o %x %X (_PyUnicode_FormatLong): sign,
 * 0x/0o prefix when alternate, zeros up to precision digits, digits. */
static bool percent_integer(Text *t, const PyPercent *p, long precision, const PyArg *a, Error *e)
{
    char conv = p->conv;
    bool decimal = conv == 'd' || conv == 'i' || conv == 'u';
    char digits[PY_DIGITS_MAX + 8];
    size_t nd;
    bool neg;
    if (a->kind == PY_ARG_INT || a->kind == PY_ARG_BOOL) {
        int64_t v = a->kind == PY_ARG_INT ? a->i : a->b;
        char buf[80];
        char *end = buf + sizeof buf;
        char *d = int_digits(magnitude(v), decimal ? 10 : conv == 'o' ? 8 : 16, end);
        nd = (size_t)(end - d);
        memcpy(digits, d, nd);
        neg = v < 0;
    } else if (a->kind == PY_ARG_FLOAT && decimal) {
        double x = a->f;
        if (isnan(x))
            return error_set(e, ERROR_ARG, "cannot convert float NaN to integer");
        if (isinf(x))
            return error_set(e, ERROR_LIMIT, "cannot convert float infinity to integer");
        double w = trunc(x);
        neg = w < 0;
        PyDigitsSpec ds = { .unique = false, .cut = PY_CUT_NONE, .max = -1, .min = -1 };
        int exp10;
        int n = pyformat_digits(fabs(w), &ds, digits, PY_DIGITS_MAX, &exp10);
        nd = (size_t)n;
        while ((long)nd < exp10 + 1)
            digits[nd++] = '0';
    } else if (decimal) {
        return error_set(e, ERROR_TYPE, "%%%c format: a real number is required, not %s", conv, arg_type_name(a));
    } else {
        return error_set(e, ERROR_TYPE, "%%%c format: an integer is required, not %s", conv, arg_type_name(a));
    }
    if (neg)
        text_puts(t, "-");
    if (p->alternate && !decimal)
        text_puts(t, conv == 'o' ? "0o" : conv == 'X' ? "0X" : "0x");
    if (precision > (long)nd) {
        if ((size_t)precision > PYFORMAT_OUTPUT_MAX)
            return limit_error(e);
        put_zeros(t, precision - (long)nd);
    }
    size_t at = t->len;
    text_append(t, digits, nd);
    if (conv == 'X' && !t->failed)
        for (size_t k = at; k < t->len; k++)
            if (t->s[k] >= 'a' && t->s[k] <= 'f')
                t->s[k] = (char)(t->s[k] - 32);
    return true;
}

bool pyformat_percent(Text *out, const PyPercent *p, const PyArg *a, Error *e)
{
    if (p->conv_cp == '%' && p->index == 0) {
        text_puts(out, "%");
        return out->failed ? error_nomem(e, "format") : true;
    }
    bool left = p->left;
    long width = p->width;
    if (p->width_star && width < 0) {
        left = true;
        width = -width;
    }
    long precision = p->precision;
    if (p->precision_star && precision < 0)
        precision = 0;
    Text t = { 0 };
    bool number = false, ok = true;
    switch (p->conv_cp) {
    case 's': case 'r': case 'a':
        arg_text(&t, a, p->conv);
        if (precision >= 0 && !t.failed) {
            size_t cut = utf8_prefix(t.s ? t.s : "", t.len, (size_t)precision);
            if (cut < t.len) {
                t.len = cut;
                t.s[cut] = '\0';
            }
        }
        break;
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X':
        number = true;
        ok = percent_integer(&t, p, precision, a, e);
        break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': {
        number = true;
        double x;
        if (a->kind == PY_ARG_FLOAT)
            x = a->f;
        else if (a->kind == PY_ARG_INT)
            x = (double)a->i;
        else if (a->kind == PY_ARG_BOOL)
            x = a->b;
        else
            return error_set(e, ERROR_TYPE, "must be real number, not %s", arg_type_name(a));
        char code = p->conv;
        bool upper = code == 'E' || code == 'F' || code == 'G';
        if (upper)
            code = (char)(code + 32);
        DtoaPlan plan;
        dtoa_plan(&plan, x, code, precision < 0 ? 6 : precision, p->alternate ? DTSF_ALT : 0, upper);
        ok = dtoa_append(&t, &plan, e);
        break;
    }
    case 'c': {
        uint32_t c;
        if (a->kind == PY_ARG_INT || a->kind == PY_ARG_BOOL) {
            int64_t v = a->kind == PY_ARG_INT ? a->i : a->b;
            if (v < 0 || v > 0x10ffff)
                return error_set(e, ERROR_LIMIT, "%%c arg not in range(0x110000)");
            c = (uint32_t)v;
        } else if (a->kind == PY_ARG_STR && a->n > 0 && utf8_prefix(a->s, a->n, 1) == a->n) {
            size_t k = 0;
            c = utf8_next(a->s, a->n, &k);
        } else {
            return error_set(e, ERROR_TYPE, "%%c requires int or char");
        }
        char ch[5];
        text_append(&t, ch, utf8_put(ch, c));
        break;
    }
    default: {
        uint32_t c = p->conv_cp;
        return error_set(e, ERROR_ARG, "unsupported format character '%c' (0x%x) at index %zu",
                         c >= 31 && c <= 126 ? (char)c : '?', (unsigned)c, p->index);
    }
    }
    if (ok && t.failed)
        ok = error_nomem(e, "format");
    if (ok)
        ok = percent_output(out, p, left, width, t.s ? t.s : "", t.len, number, e);
    text_free(&t);
    return ok;
}
