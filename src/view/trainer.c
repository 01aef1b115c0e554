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
    t->epochs = req->epochs;
    t->lr = req->lr;
    t->batch = req->batch;
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
    } else {
        return error_set(e, ERROR_TYPE, "train: the live view trains a perceptron or an mlp");
    }
    t->last_row = SIZE_MAX;
    bool ok = value_copy(&t->work, m, e) && value_copy(&t->initial, m, e);
    if (ok && m->kind == VALUE_PERCEPTRON)
        ok = (t->x = tensor_vector(req->X->cols, e)) != NULL;
    if (ok && m->kind == VALUE_MLP) {
        /* train()'s defaults: plain gradient descent, the gradient summed
         * over a full batch and averaged over a mini-batch. */
        MlpOptions o;
        mlp_options_init(&o);
        o.epochs = t->epochs;
        o.lr = t->lr;
        o.batch = t->batch;
        o.mean = t->batch != 0;
        ok = mlp_run_init(&t->run, t->work.as.mlp, req->X, req->Y, NULL, NULL, &o, e);
    }
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
    if (t->batch)
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

static const char *num(double x, FormatMode m, char *buf)
{
    return format_inline_number(x, m, buf, FORMAT_NUMBER_MAX);
}

static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
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
        if (t->run.opt.mean && t->X->rows)
            now /= (double)t->X->rows;
    }
    mlp_pass_free(&pass);
    return now;
}

char *trainer_summary(const Trainer *t, TrainerEnd end, Error *e)
{
    Text s = {0};
    FormatMode m = interp_format(t->in);
    char b1[FORMAT_NUMBER_MAX], b2[FORMAT_NUMBER_MAX], b3[FORMAT_NUMBER_MAX];
    if (t->work.kind == VALUE_PERCEPTRON) {
        if (t->converged)
            text_printf(&s, "converged after %zu epoch%s (%zu update%s): every example is on the right side\n",
                        t->epoch, plural(t->epoch), t->updates, plural(t->updates));
        else if (end == TRAINER_INTERRUPTED)
            text_printf(&s, "stopped by Ctrl-C after %zu epoch%s\n", t->epoch, plural(t->epoch));
        else if (end == TRAINER_QUIT)
            text_printf(&s, "stopped after %zu of %zu epochs: %zu mistake%s in the last one\n", t->epoch, t->epochs,
                        t->last_mistakes, plural(t->last_mistakes));
        else
            text_printf(&s, "no convergence in %zu epoch%s: %zu mistake%s in the last one. If no line (hyperplane) "
                            "separates the classes, as for XOR, the rule never settles; if one does, more epochs "
                            "will get there.\n",
                        t->epoch, plural(t->epoch), t->last_mistakes, plural(t->last_mistakes));
        char *w = format_inline(t->work.as.perceptron->w, m, e);
        if (!w) {
            text_free(&s);
            return NULL;
        }
        text_printf(&s, "w = %s\n", w);
        mem_free(w);
        return text_finish(&s, e);
    }
    double now = trainer_cost_now(t);
    const char *cost = t->run.opt.mean ? "mean cost" : "cost";
    if (t->diverged)
        text_printf(&s, "stopped at epoch %zu: the cost is no longer a finite number. The weights are those "
                        "of the last finite step; try a smaller lr (now %s).\n",
                    t->epoch + 1, num(t->lr, m, b1));
    else if (t->partial)
        text_printf(&s, "stopped %spart way through epoch %zu of %zu (the net keeps the weights of its last "
                        "step; %s before it: %s)\n", end == TRAINER_INTERRUPTED ? "by Ctrl-C " : "", t->epoch + 1,
                    t->epochs, cost, num(t->epoch ? t->last_loss : t->first_loss, m, b1));
    else if (t->epoch == 0)
        text_puts(&s, "trained 0 epochs: nothing changed\n");
    else if (end == TRAINER_INTERRUPTED || end == TRAINER_QUIT)
        text_printf(&s, "stopped %safter %zu of %zu epochs: %s %s → %s (the net keeps these weights)\n",
                    end == TRAINER_INTERRUPTED ? "by Ctrl-C " : "", t->epoch, t->epochs, cost,
                    num(t->first_loss, m, b1), num(now, m, b2));
    else if (t->batch)
        text_printf(&s, "trained %zu epoch%s at lr = %s, batches of %zu: %s %s → %s\n", t->epoch, plural(t->epoch),
                    num(t->lr, m, b3), t->batch, cost, num(t->first_loss, m, b1), num(now, m, b2));
    else
        text_printf(&s, "trained %zu epoch%s at lr = %s: %s %s → %s\n", t->epoch, plural(t->epoch),
                    num(t->lr, m, b3), cost, num(t->first_loss, m, b1), num(now, m, b2));
    return text_finish(&s, e);
}
