/* trainer.c - one training run as the live view drives it: a working copy
 * of the model trained an epoch at a time, so the view can draw, pause,
 * step and restart between epochs. */
#include "nudge/view.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "nudge/format.h"
#include "nudge/mem.h"
#include "nudge/perceptron.h"
#include "nudge/summary.h"
#include "nudge/text.h"

static bool check_perceptron_data(const Perceptron *p, const Tensor *X, const Tensor *Y, Error *e)
{
    size_t n = tensor_size(p->w);
    char s[48];
    if (X->ndim != 2 || X->cols != n)
        return error_set(e, ERROR_SHAPE, "train: X must be a matrix with %zu columns (one per weight), not %s", n,
                         tensor_shape_str(X, s, sizeof s));
    if (tensor_size(Y) != X->rows || (Y->ndim == 2 && Y->rows != 1 && Y->cols != 1))
        return error_set(e, ERROR_SHAPE, "train: y has shape %s but X has %zu rows; give one target per row",
                         tensor_shape_str(Y, s, sizeof s), X->rows);
    for (size_t r = 0; r < X->rows; r++) {
        double y = Y->data[r];
        if (y != 1.0 && y != 0.0 && y != -1.0)
            return error_set(e, ERROR_ARG, "train: target %g must be 1 (positive) or 0 / -1 (negative)", y);
    }
    return true;
}

bool trainer_init(Trainer *t, Interp *in, const LiveRequest *req, Error *e)
{
    memset(t, 0, sizeof *t);
    t->in = in;
    t->target = req->model;
    t->work = value_none();
    t->initial = value_none();
    t->X = req->X;
    t->Y = req->Y;
    t->Xval = req->Xval;
    t->Yval = req->Yval;
    t->epochs = req->epochs;
    t->lr = t->lr_start = req->lr;
    t->opt = req->opt;
    t->opt.epochs = req->epochs;
    t->opt.lr = req->lr;
    t->rng_start = *interp_rng(in);
    train_history_init(&t->history);
    snprintf(t->name, sizeof t->name, "%s", req->name ? req->name : "");
    const Value *m = req->model;
    if (m->kind == VALUE_PERCEPTRON) {
        if (!check_perceptron_data(m->as.perceptron, req->X, req->Y, e))
            return false;
    } else if (m->kind == VALUE_MLP) {
        if (!mlp_check_data(m->as.mlp, req->X, req->Y, "train", e))
            return false;
        if (req->Xval && !mlp_check_data(m->as.mlp, req->Xval, req->Yval, "train", e))
            return false;
        if (!mlp_options_check(&t->opt, "train", e))
            return false;
    } else {
        return error_set(e, ERROR_TYPE, "train: the live view trains a perceptron or an mlp");
    }
    t->last_row = SIZE_MAX;
    bool ok = value_copy(&t->work, m, e) && value_copy(&t->initial, m, e);
    if (ok && m->kind == VALUE_PERCEPTRON)
        ok = (t->x = tensor_vector(req->X->cols, e)) != NULL;
    if (ok && m->kind == VALUE_MLP)
        ok = mlp_run_init(&t->run, t->work.as.mlp, req->X, req->Y, req->Xval, req->Yval, &t->opt, e);
    if (!ok) {
        trainer_free(t);
        return false;
    }
    if (t->work.kind == VALUE_PERCEPTRON)
        t->work.as.perceptron->lr = t->lr;
    interp_losses_reset(in);
    return true;
}

void trainer_free(Trainer *t)
{
    value_free(&t->work);
    value_free(&t->initial);
    mlp_run_free(&t->run);
    train_history_free(&t->history);
    tensor_delete(t->x);
    t->x = NULL;
}

/* An epoch is over: its loss goes to the curve, its numbers to the
 * history (which, should memory run out, misses them but training goes
 * on, as the curve does). */
static void record(Trainer *t, double loss, const TrainProgress *p)
{
    if (t->epoch == 0 && t->work.kind == VALUE_PERCEPTRON)
        t->first_loss = loss;
    t->last_loss = loss;
    t->epoch++;
    interp_losses_push(t->in, loss);
    train_history_add(&t->history, p, NULL);
}

bool trainer_finished(const Trainer *t)
{
    return t->epoch >= t->epochs || t->converged || t->diverged;
}

/* mlp_fit's loop, one epoch at a time: a non-finite cost or gradient stops
 * before its step, so the weights stay finite. */
static bool run_mlp(Trainer *t, size_t n, size_t *ran, Error *e)
{
    Mlp *net = t->work.as.mlp;
    for (size_t k = 0; k < n && !trainer_finished(t); k++) {
        double acc;
        /* The cost before training, as train() reports it. */
        if (t->epoch == 0 && !mlp_run_measure(&t->run, net, &t->first_loss, &acc, e))
            return false;
        MlpEpoch ep;
        if (!mlp_run_epoch(&t->run, net, interp_rng(t->in), &ep, e))
            return false;
        if (ep.stopped) {
            /* q or Ctrl-C is waiting: the view reads it.  The steps taken
             * are kept; measuring the cost would cost another pass over
             * all the rows, which is what the person wants to skip. */
            t->partial = true;
            break;
        }
        t->partial = false;
        if (!ep.completed) {
            t->diverged = true;
            break;
        }
        TrainProgress p;
        mlp_run_progress(&t->run, &ep, &p);
        record(t, ep.loss, &p);
        (*ran)++;
        if (ep.diverged) {
            t->diverged = true;
            break;
        }
    }
    return true;
}

/* The perceptron rule on the next example, as learn() applies it; the
 * last example of an epoch closes it (its mistakes are the epoch's loss). */
static bool perceptron_step(Trainer *t, Error *e)
{
    Perceptron *p = t->work.as.perceptron;
    size_t n = t->X->cols;
    memcpy(t->x->data, t->X->data + t->row * n, n * sizeof *t->x->data);
    double y = t->Y->data[t->row], wx = 0.0;
    for (size_t i = 0; i < n; i++)
        wx += p->w->data[i] * t->x->data[i];
    bool mistake = (wx > 0) != (y > 0);
    if (!perceptron_learn(p, t->x, y, NULL, e))
        return false;
    t->mistakes += mistake;
    t->updates += mistake;
    t->last_row = t->row;
    t->steps++;
    if (++t->row == t->X->rows) {
        t->row = 0;
        t->last_mistakes = t->mistakes;
        t->converged = t->mistakes == 0;
        t->mistakes = 0;
        /* The same numbers as perceptron_train gives its hook. */
        TrainProgress pr = { .epoch = t->epoch + 1, .epochs = t->epochs, .loss = (double)t->last_mistakes,
                             .steps = t->steps };
        pr.series = TRAIN_BIT(TRAIN_MISTAKES) | TRAIN_BIT(TRAIN_ACCURACY) | TRAIN_BIT(TRAIN_LR);
        pr.v[TRAIN_MISTAKES] = (double)t->last_mistakes;
        pr.v[TRAIN_ACCURACY] = perceptron_accuracy(p, t->X, t->Y);
        pr.v[TRAIN_LR] = p->lr;
        record(t, (double)t->last_mistakes, &pr);
    }
    return true;
}

static bool run_perceptron(Trainer *t, size_t n, size_t *ran, Error *e)
{
    for (size_t k = 0; k < n && !trainer_finished(t); k++) {
        do {
            if (!perceptron_step(t, e))
                return false;
        } while (t->row != 0);
        (*ran)++;
    }
    return true;
}

bool trainer_run(Trainer *t, size_t n, size_t *ran, Error *e)
{
    *ran = 0;
    return t->work.kind == VALUE_MLP ? run_mlp(t, n, ran, e) : run_perceptron(t, n, ran, e);
}

bool trainer_step(Trainer *t, Error *e)
{
    if (trainer_finished(t))
        return true;
    if (t->work.kind == VALUE_PERCEPTRON)
        return perceptron_step(t, e);
    size_t ran;
    return run_mlp(t, 1, &ran, e);
}

size_t trainer_steps_per_epoch(const Trainer *t)
{
    return t->work.kind == VALUE_PERCEPTRON ? t->X->rows : 1;
}

static void copy_weights(Value *dst, const Value *src)
{
    if (src->kind == VALUE_PERCEPTRON) {
        const Tensor *a = src->as.perceptron->w;
        memcpy(dst->as.perceptron->w->data, a->data, tensor_size(a) * sizeof *a->data);
        return;
    }
    if (mlp_same_shape(dst->as.mlp, src->as.mlp))
        mlp_copy_weights(dst->as.mlp, src->as.mlp);
}

void trainer_restart(Trainer *t)
{
    copy_weights(&t->work, &t->initial);
    t->epoch = 0;
    t->partial = false;
    t->first_loss = t->last_loss = 0.0;
    t->updates = t->last_mistakes = 0;
    t->converged = t->diverged = false;
    t->row = t->mistakes = 0;
    t->last_row = SIZE_MAX;
    t->steps = 0;
    if (t->work.kind == VALUE_MLP)
        mlp_run_rewind(&t->run);
    if (t->opt.batch)
        *interp_rng(t->in) = t->rng_start;
    train_history_clear(&t->history);
    interp_losses_reset(t->in);
}

void trainer_set_lr(Trainer *t, double lr)
{
    t->lr = lr;
    t->run.opt.lr = lr;
    if (t->work.kind == VALUE_PERCEPTRON)
        t->work.as.perceptron->lr = lr;
}

void trainer_commit(Trainer *t)
{
    if (t->target && t->target->kind == t->work.kind)
        copy_weights(t->target, &t->work);
}

double trainer_cost_now(const Trainer *t)
{
    /* The last epoch's loss was measured after its steps. */
    if (t->partial)
        return NAN;
    if (t->work.kind != VALUE_MLP || t->epoch)
        return t->last_loss;
    double now = 0.0;
    MlpPass pass;
    mlp_pass_init(&pass);
    if (mlp_forward(t->work.as.mlp, t->X, &pass, NULL)) {
        now = mlp_cost(t->work.as.mlp, &pass, t->Y);
        if (t->opt.mean && t->X->rows)
            now /= (double)t->X->rows;
    }
    mlp_pass_free(&pass);
    return now;
}

char *trainer_summary(const Trainer *t, TrainerEnd end, Error *e)
{
    RunFacts f = { .perceptron = t->work.kind == VALUE_PERCEPTRON, .epochs_run = t->epoch, .epochs = t->epochs,
                   .history = &t->history, .converged = t->converged, .updates = t->updates,
                   .last_mistakes = t->last_mistakes, .opt = &t->opt, .diverged = t->diverged };
    f.end = end == TRAINER_QUIT ? RUN_QUIT : end == TRAINER_INTERRUPTED ? RUN_INTERRUPTED : RUN_FINISHED;
    if (f.perceptron) {
        f.w = t->work.as.perceptron->w;
    } else if (t->partial) {
        /* The epoch q cut short was not measured: the cost is the last one
         * that was. */
        f.partial = true;
        f.first_loss = t->first_loss;
        f.last_loss = t->epoch ? t->last_loss : t->first_loss;
    } else {
        f.first_loss = t->epoch ? t->first_loss : trainer_cost_now(t);
        f.last_loss = trainer_cost_now(t);
    }
    Text s = {0};
    if (!summary_write(&s, &f, interp_format(t->in), e)) {
        text_free(&s);
        return NULL;
    }
    return text_finish(&s, e);
}

bool trainer_snapshot(Trainer *t, Snapshot *p, Error *e)
{
    if (!snapshot_take(p, &t->work, t->X, t->Y, e))
        return false;
    snprintf(p->name, sizeof p->name, "%s", t->name);
    p->losses = interp_losses(t->in, &p->nlosses);
    const TrainHistory *h = &t->history;
    bool val = t->Xval && train_history_has(h, TRAIN_VAL_LOSS);
    p->val_losses = val ? h->v[TRAIN_VAL_LOSS] : NULL;
    p->nval = val ? h->n : 0;
    p->start_loss = t->work.kind == VALUE_MLP && t->epoch ? t->first_loss : NAN;
    p->epoch = t->epoch;
    p->epochs = t->epochs;
    p->lr = t->lr;
    p->lr_start = t->lr_start;
    p->mean_loss = t->work.kind == VALUE_MLP && t->opt.mean;
    p->current = t->last_row;
    return true;
}
