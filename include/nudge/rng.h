/* rng.h - numpy's legacy random generator, bit for bit.
 *
 * np.random.seed(n) seeds MT19937 with the classic init_genrand(n) for an
 * integer 0 <= n < 2^32, and np.random.random() makes each double from two
 * consecutive 32-bit outputs a, b as ((a >> 5) * 67108864 + (b >> 6)) / 2^53.
 * So seed(1) followed by 3*4 + 4*1 draws gives the book's chapter-7 weights.
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

#endif
