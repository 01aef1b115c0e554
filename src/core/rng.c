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
}

bool rng_seed(Rng *r, double seed, Error *e)
{
    if (!(seed >= 0.0 && seed <= 4294967295.0) || seed != floor(seed))
        return error_set(e, ERROR_ARG, "seed: %g is not a whole number from 0 to 4294967295", seed);
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
