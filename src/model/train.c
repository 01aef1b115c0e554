/* train.c - the per-epoch history of a training run. */
#include "nudge/train.h"

#include <string.h>

#include "nudge/mem.h"

static const char *const series_names[TRAIN_SERIES] = {
    [TRAIN_LOSS] = "loss",
    [TRAIN_ACCURACY] = "accuracy",
    [TRAIN_VAL_LOSS] = "val_loss",
    [TRAIN_VAL_ACCURACY] = "val_accuracy",
    [TRAIN_LR] = "lr",
    [TRAIN_MISTAKES] = "mistakes",
};

const char *train_series_name(TrainSeries s)
{
    return s < TRAIN_SERIES ? series_names[s] : "?";
}

void train_history_init(TrainHistory *h)
{
    memset(h, 0, sizeof *h);
}

void train_history_free(TrainHistory *h)
{
    for (int s = 0; s < TRAIN_SERIES; s++)
        mem_free(h->v[s]);
    train_history_init(h);
}

void train_history_clear(TrainHistory *h)
{
    h->n = 0;
    h->steps = 0;
}

/* Gives every kept column room for cap values; all or nothing. */
static bool reserve(TrainHistory *h, unsigned series, size_t cap, Error *e)
{
    double *grown[TRAIN_SERIES] = { 0 };
    for (int s = 0; s < TRAIN_SERIES; s++) {
        if (!(series & TRAIN_BIT(s)))
            continue;
        grown[s] = mem_alloc(cap * sizeof *grown[s]);
        if (!grown[s]) {
            for (int k = 0; k < s; k++)
                mem_free(grown[k]);
            return error_nomem(e, "train");
        }
        if (h->n)
            memcpy(grown[s], h->v[s], h->n * sizeof *grown[s]);
    }
    for (int s = 0; s < TRAIN_SERIES; s++) {
        mem_free(h->v[s]);
        h->v[s] = grown[s];
    }
    h->cap = cap;
    h->series = series;
    return true;
}

bool train_history_add(TrainHistory *h, const TrainProgress *p, Error *e)
{
    unsigned series = p->series & (TRAIN_BIT(TRAIN_SERIES) - 1);
    if (h->n && series != h->series)
        return error_set_in(e, ERROR_ARG, "train", "epoch %zu reports other series than the first", p->epoch);
    size_t cap = h->n < h->cap ? h->cap : h->cap ? 2 * h->cap : 16;
    if ((cap != h->cap || series != h->series) && !reserve(h, series, cap, e))
        return false;
    for (int s = 0; s < TRAIN_SERIES; s++)
        if (series & TRAIN_BIT(s))
            h->v[s][h->n] = p->v[s];
    h->n++;
    h->steps = p->steps;
    return true;
}
