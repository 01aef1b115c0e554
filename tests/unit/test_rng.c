/* test_rng.c - numpy's legacy MT19937, draw for draw. */
#include <criterion/criterion.h>

#include "assert_tensor.h"
#include "nudge/rng.h"

Test(rng, seed_one_gives_the_books_first_three_draws)
{
    Rng r;
    rng_init(&r, 1);
    cr_assert_eq(rng_random(&r), 0.417022004702574);
    cr_assert_eq(rng_random(&r), 0.7203244934421581);
    cr_assert_eq(rng_random(&r), 0.00011437481734488664);
}

Test(rng, seed_one_gives_the_chapter_7_weights_in_order)
{
    /* np.random.seed(1); random((3,4)); random((4,1)), printed by numpy. */
    static const double expected[16] = {
        0.417022004702574, 0.7203244934421581, 0.00011437481734488664, 0.30233257263183977,
        0.14675589081711304, 0.0923385947687978, 0.1862602113776709, 0.34556072704304774,
        0.39676747423066994, 0.538816734003357, 0.4191945144032948, 0.6852195003967595,
        0.20445224973151743, 0.8781174363909454, 0.027387593197926163, 0.6704675101784022,
    };
    Rng r;
    rng_init(&r, 1);
    for (int i = 0; i < 16; i++)
        cr_assert_eq(rng_random(&r), expected[i], "draw %d", i);
}

Test(rng, other_seeds_match_numpy)
{
    /* np.random.seed(s); np.random.random() for s = 0, 42, 2**32 - 1. */
    Rng r;
    rng_init(&r, 0);
    cr_assert_eq(rng_random(&r), 0.5488135039273248);
    cr_assert_eq(rng_random(&r), 0.7151893663724195);
    rng_init(&r, 42);
    cr_assert_eq(rng_random(&r), 0.3745401188473625);
    rng_init(&r, 4294967295u);
    cr_assert_eq(rng_random(&r), 0.0976320289940138);
}

Test(rng, draws_past_the_first_twist_still_match)
{
    /* The 1000th double from seed 1 (2000 outputs: the state is twisted
     * more than once): np.random.seed(1); np.random.random(1000)[-1]. */
    Rng r;
    rng_init(&r, 1);
    double last = 0;
    for (int i = 0; i < 1000; i++)
        last = rng_random(&r);
    cr_assert_eq(last, 0.7744772660150796);
}

Test(rng, seed_rejects_negative_fractional_and_huge_values)
{
    Rng r;
    Error e;
    error_clear(&e);
    cr_assert_not(rng_seed(&r, -1, &e));
    cr_assert_str_eq(e.msg, "seed: -1 is not a whole number from 0 to 4294967295");
    cr_assert_not(rng_seed(&r, 1.5, &e));
    cr_assert_not(rng_seed(&r, 4294967296.0, &e));
    cr_assert_not(rng_seed(&r, NAN, &e));
    cr_assert(rng_seed(&r, 4294967295.0, &e));
}

Test(rng, below_matches_numpys_masked_rejection)
{
    /* np.random.seed(1); [np.random.randint(0, 10) for _ in range(5)] */
    Rng r;
    rng_init(&r, 1);
    uint32_t expected[5] = { 5, 8, 9, 5, 0 };
    for (int i = 0; i < 5; i++)
        cr_assert_eq(rng_below(&r, 10), expected[i], "draw %d", i);
}

Test(rng, gaussians_come_in_pairs_as_numpys_legacy_randn)
{
    /* np.random.seed(1); np.random.randn(5) */
    static const double expected[5] = { 1.6243453636632417, -0.6117564136500754, -0.5281717522634557,
                                         -1.0729686221561705, 0.8654076293246785 };
    Rng r;
    rng_init(&r, 1);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(rng_gauss(&r), expected[i], "draw %d", i);
    cr_assert(r.has_gauss, "the sixth value waits");
    rng_init(&r, 1);
    cr_assert_not(r.has_gauss, "seeding forgets it");
    cr_assert_eq(rng_gauss(&r), expected[0]);
}

Test(rng, wide_ranges_draw_64_bit_words)
{
    /* np.random.seed(5); np.random.randint(2**40) */
    Rng r;
    rng_init(&r, 5);
    cr_assert_eq(rng_below64(&r, (uint64_t)1 << 40), 425438759118u);
    /* np.random.seed(4); np.random.randint(0, 10, 5) */
    static const uint64_t small[5] = { 7, 5, 1, 8, 7 };
    rng_init(&r, 4);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(rng_below64(&r, 10), small[i], "draw %d", i);
}
