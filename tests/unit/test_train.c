/* test_train.c - the per-epoch history of a training run. */
#include <criterion/criterion.h>
#include <math.h>

#include "assert_tensor.h"
#include "nudge/mem.h"
#include "nudge/train.h"

static TrainProgress epoch(size_t k, unsigned series)
{
    TrainProgress p = { .epoch = k, .epochs = 100, .loss = 1.0 / (double)k, .series = series, .steps = 3 * k };
    for (int s = 0; s < TRAIN_SERIES; s++)
        p.v[s] = (double)(10 * s) + (double)k;
    return p;
}

Test(train, a_history_grows_a_column_per_series_it_was_given)
{
    TrainHistory h;
    train_history_init(&h);
    unsigned series = TRAIN_BIT(TRAIN_LOSS) | TRAIN_BIT(TRAIN_VAL_ACCURACY) | TRAIN_BIT(TRAIN_LR);
    for (size_t k = 1; k <= 1000; k++) {
        TrainProgress p = epoch(k, series);
        cr_assert(train_history_add(&h, &p, NULL));
    }
    cr_assert_eq(h.n, 1000);
    cr_assert_eq(h.steps, 3000);
    cr_assert(train_history_has(&h, TRAIN_LOSS) && train_history_has(&h, TRAIN_VAL_ACCURACY));
    cr_assert(!train_history_has(&h, TRAIN_ACCURACY) && !h.v[TRAIN_ACCURACY] && !h.v[TRAIN_MISTAKES]);
    for (size_t k = 1; k <= 1000; k++) {
        cr_assert_eq(h.v[TRAIN_LOSS][k - 1], (double)k);
        cr_assert_eq(h.v[TRAIN_VAL_ACCURACY][k - 1], 30.0 + (double)k);
        cr_assert_eq(h.v[TRAIN_LR][k - 1], 40.0 + (double)k);
    }
    train_history_free(&h);
    cr_assert_eq(h.n, 0);
    cr_assert_null(h.v[TRAIN_LOSS]);
}

Test(train, every_epoch_must_report_the_first_ones_series)
{
    TrainHistory h;
    train_history_init(&h);
    TrainProgress p = epoch(1, TRAIN_BIT(TRAIN_LOSS));
    cr_assert(train_history_add(&h, &p, NULL));
    p = epoch(2, TRAIN_BIT(TRAIN_LOSS) | TRAIN_BIT(TRAIN_LR));
    Error e;
    cr_assert_not(train_history_add(&h, &p, &e));
    cr_assert_str_eq(e.msg, "train: epoch 2 reports other series than the first");
    cr_assert_eq(h.n, 1);
    /* Cleared (a restart), it takes whatever the new first epoch has. */
    train_history_clear(&h);
    cr_assert(train_history_add(&h, &p, NULL));
    cr_assert_eq(h.n, 1);
    cr_assert_eq(h.v[TRAIN_LR][0], 42);
    train_history_free(&h);
}

Test(train, running_out_of_memory_leaves_the_history_as_it_was)
{
    TrainHistory h;
    train_history_init(&h);
    unsigned series = TRAIN_BIT(TRAIN_LOSS) | TRAIN_BIT(TRAIN_ACCURACY);
    for (size_t k = 1; k <= 16; k++) {
        TrainProgress p = epoch(k, series);
        cr_assert(train_history_add(&h, &p, NULL));
    }
    for (long fail = 0; fail < 2; fail++) {
        TrainProgress p = epoch(17, series);
        Error e;
        mem_fail_after(fail);
        bool ok = train_history_add(&h, &p, &e);
        mem_fail_after(-1);
        cr_assert_not(ok);
        cr_assert_eq(e.code, ERROR_NOMEM);
        cr_assert_eq(h.n, 16);
        cr_assert_eq(h.v[TRAIN_ACCURACY][15], 26);
    }
    TrainProgress p = epoch(17, series);
    cr_assert(train_history_add(&h, &p, NULL));
    cr_assert_eq(h.v[TRAIN_LOSS][16], 17);
    train_history_free(&h);
}

Test(train, the_series_have_the_names_a_record_gives_them)
{
    const char *names[] = { "loss", "accuracy", "val_loss", "val_accuracy", "lr", "mistakes" };
    for (int s = 0; s < TRAIN_SERIES; s++)
        cr_assert_str_eq(train_series_name((TrainSeries)s), names[s]);
}
