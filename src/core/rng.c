/* rng.c - MT19937 (Matsumoto and Nishimura's reference algorithm) with
 * numpy's legacy seeding and double conversion. */
#include "nudge/rng.h"

#include <math.h>

enum { MT_M = 397 };
#define MT_MATRIX_A 0x9908b0dfu
#define MT_UPPER 0x80000000u
#define MT_LOWER 0x7fffffffu

void rng_init(Rng *r, uint32_t seed)
{
    r->mt[0] = seed;
    for (int i = 1; i < RNG_STATE_WORDS; i++)
        r->mt[i] = 1812433253u * (r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) + (uint32_t)i;
    r->index = RNG_STATE_WORDS;
    r->has_gauss = false;
    r->gauss = 0.0;
}

bool rng_seed(Rng *r, double seed, Error *e)
{
    if (!(seed >= 0.0 && seed <= 4294967295.0) || seed != floor(seed))
        return error_set_in(e, ERROR_ARG, "seed", "%g is not a whole number from 0 to 4294967295", seed);
    rng_init(r, (uint32_t)seed);
    return true;
}

static void rng_twist(Rng *r)
{
    int n = RNG_STATE_WORDS;
    for (int i = 0; i < n; i++) {
        uint32_t y = (r->mt[i] & MT_UPPER) | (r->mt[(i + 1) % n] & MT_LOWER);
        r->mt[i] = r->mt[(i + MT_M) % n] ^ (y >> 1) ^ ((y & 1u) ? MT_MATRIX_A : 0u);
    }
    r->index = 0;
}

uint32_t rng_next_u32(Rng *r)
{
    if (r->index >= RNG_STATE_WORDS)
        rng_twist(r);
    uint32_t y = r->mt[r->index++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

double rng_random(Rng *r)
{
    uint32_t a = rng_next_u32(r) >> 5, b = rng_next_u32(r) >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
}

uint32_t rng_below(Rng *r, uint32_t n)
{
    if (n <= 1)
        return 0;
    uint32_t max = n - 1, mask = max;
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
    uint32_t v;
    while ((v = rng_next_u32(r) & mask) > max)
        ;
    return v;
}

static uint64_t mask_of(uint64_t max)
{
    uint64_t mask = max;
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
    mask |= mask >> 32;
    return mask;
}

uint64_t rng_below64(Rng *r, uint64_t n)
{
    if (n <= 1)
        return 0;
    uint64_t max = n - 1, mask = mask_of(max), v;
    if (max <= 0xffffffffu) {
        while ((v = rng_next_u32(r) & mask) > max)
            ;
        return v;
    }
    do {
        uint64_t hi = rng_next_u32(r);
        v = ((hi << 32) | rng_next_u32(r)) & mask;
    } while (v > max);
    return v;
}

double rng_gauss(Rng *r)
{
    if (r->has_gauss) {
        r->has_gauss = false;
        double g = r->gauss;
        r->gauss = 0.0;
        return g;
    }
    double x1, x2, r2;
    do {
        x1 = 2.0 * rng_random(r) - 1.0;
        x2 = 2.0 * rng_random(r) - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    double f = sqrt(-2.0 * log(r2) / r2);
    r->gauss = f * x1;
    r->has_gauss = true;
    return f * x2;
}
