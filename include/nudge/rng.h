/* rng.h - numpy's legacy random generator, bit for bit.
 *
 * np.random.seed(n) seeds MT19937 with the classic init_genrand(n) for an
 * integer 0 <= n < 2^32, and np.random.random() makes each double from two
 * consecutive 32-bit outputs a, b as ((a >> 5) * 67108864 + (b >> 6)) / 2^53.
 * So seed(1) followed by 3*4 + 4*1 draws gives the book's chapter-7 weights.
 * np.random.randn uses the legacy polar method, which makes Gaussians in
 * pairs and keeps the second for the next call: that cache is part of the
 * state, and seeding clears it.
 *
 * Rng is a caller-owned value (rng_init/no free needed: it holds no heap).
 */
#ifndef NUDGE_RNG_H
#define NUDGE_RNG_H

#include <stdbool.h>
#include <stdint.h>

#include "nudge/error.h"

enum { RNG_STATE_WORDS = 624 };

typedef struct Rng {
    uint32_t mt[RNG_STATE_WORDS];
    int index;
    bool has_gauss;     /* the polar method's second value is waiting */
    double gauss;
} Rng;

/* Seeds r as np.random.seed(seed); seed must be a whole number in
 * [0, 2^32), else an error naming the value is returned. */
bool rng_seed(Rng *r, double seed, Error *e);

/* Seeds r from an integer already known to be in range. */
void rng_init(Rng *r, uint32_t seed);

/* The next raw 32-bit output of MT19937 (genrand_int32). */
uint32_t rng_next_u32(Rng *r);

/* The next double in [0, 1), as np.random.random(). */
double rng_random(Rng *r);

/* A whole number in [0, n) for 0 < n <= 2^32, by numpy's legacy
 * randint masked rejection, so shuffles can be reproduced in numpy. */
uint32_t rng_below(Rng *r, uint32_t n);

/* The same for 0 < n <= 2^64 - 1 (numpy's randint over a range wider than
 * 32 bits draws 64-bit words, high half first). */
uint64_t rng_below64(Rng *r, uint64_t n);

/* The next standard normal value, as np.random.randn() (numpy's
 * legacy_gauss: Marsaglia's polar method on two uniforms). */
double rng_gauss(Rng *r);

#endif
