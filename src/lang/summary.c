/* summary.c - the words that close a training run, for train() and the
 * live view alike. */
#include "nudge/summary.h"

#include <math.h>
#include <stdio.h>

#include "nudge/mem.h"

static const char *num(double x, FormatMode m, char *buf)
{
    return format_inline_number(x, m, buf, FORMAT_NUMBER_MAX);
}

static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

/* The learning rate of the first epoch (the one asked for when no epoch
 * was recorded) and of the last. */
static double lr_first(const RunFacts *f, double asked)
{
    const TrainHistory *h = f->history;
    return h && h->n && train_history_has(h, TRAIN_LR) ? h->v[TRAIN_LR][0] : asked;
}

static double lr_last(const RunFacts *f, double asked)
{
    const TrainHistory *h = f->history;
    return h && h->n && train_history_has(h, TRAIN_LR) ? h->v[TRAIN_LR][h->n - 1] : asked;
}

static size_t lr_changes(const TrainHistory *h)
{
    size_t n = 0;
    if (h && train_history_has(h, TRAIN_LR))
        for (size_t i = 1; i < h->n; i++)
            n += h->v[TRAIN_LR][i] != h->v[TRAIN_LR][i - 1];
    return n;
}

/* " (then 5 from epoch 303)": the rates an lr changed mid-run went through,
 * each with the first epoch that used it; the first three, then how many
 * more and where it ended. */
static void lr_then(Text *t, const TrainHistory *h, FormatMode m)
{
    size_t changes = lr_changes(h);
    if (!changes)
        return;
    char b[FORMAT_NUMBER_MAX];
    const double *lr = h->v[TRAIN_LR];
    text_puts(t, " (then ");
    size_t shown = 0;
    for (size_t i = 1; i < h->n && shown < 3; i++) {
        if (lr[i] == lr[i - 1])
            continue;
        text_printf(t, "%s%s from epoch %zu", shown ? ", " : "", num(lr[i], m, b), i + 1);
        shown++;
    }
    if (changes > shown)
        text_printf(t, " and %zu more change%s, ending at %s", changes - shown, plural(changes - shown),
                    num(lr[h->n - 1], m, b));
    text_puts(t, ")");
}

/* "; held-out cost 0.25": the held-out cost after the last epoch. */
static void held_out(Text *t, const RunFacts *f, const char *cost, FormatMode m)
{
    const TrainHistory *h = f->history;
    if (!h || !h->n || !train_history_has(h, TRAIN_VAL_LOSS))
        return;
    char b[FORMAT_NUMBER_MAX];
    text_printf(t, "; held-out %s %s", cost, num(h->v[TRAIN_VAL_LOSS][h->n - 1], m, b));
}

static bool perceptron_summary(Text *t, const RunFacts *f, FormatMode m, Error *e)
{
    if (f->converged) {
        text_printf(t, "converged after %zu epoch%s (%zu update%s): every example is on the right side", f->epochs_run,
                    plural(f->epochs_run), f->updates, plural(f->updates));
        lr_then(t, f->history, m);
        text_puts(t, "\n");
    } else if (f->end != RUN_FINISHED) {
        text_printf(t, "%sstopped %safter %zu of %zu epochs", f->fresh_line ? "\n" : "",
                    f->end == RUN_INTERRUPTED ? "by Ctrl-C " : "", f->epochs_run, f->epochs);
        lr_then(t, f->history, m);
        if (f->epochs_run)
            text_printf(t, ": %zu mistake%s in the last one", f->last_mistakes, plural(f->last_mistakes));
        text_puts(t, "\n");
    } else {
        text_printf(t, "no convergence in %zu epoch%s", f->epochs_run, plural(f->epochs_run));
        lr_then(t, f->history, m);
        text_printf(t, ": %zu mistake%s in the last one. If no line (hyperplane) separates the classes, as for XOR, "
                       "the rule never settles; if one does, more epochs will get there.\n",
                    f->last_mistakes, plural(f->last_mistakes));
    }
    if (!f->w)
        return true;
    char *w = format_inline(f->w, m, e);
    if (!w)
        return false;
    text_printf(t, "w = %s\n", w);
    mem_free(w);
    return true;
}

static void net_summary(Text *t, const RunFacts *f, FormatMode m)
{
    char b1[FORMAT_NUMBER_MAX], b2[FORMAT_NUMBER_MAX];
    const MlpOptions *o = f->opt;
    const char *cost = o->mean ? "mean cost" : "cost";
    if (f->diverged) {
        text_printf(t, "stopped at epoch %zu: the cost is no longer a finite number. The weights are those of the "
                       "last finite step; try a smaller lr (now %s).\n",
                    f->epochs_run + 1, num(lr_last(f, o->lr), m, b1));
        return;
    }
    if (f->partial) {
        text_printf(t, "%sstopped %spart way through epoch %zu of %zu (the net keeps the weights of its last step; "
                       "%s before it: %s)\n",
                    f->fresh_line ? "\n" : "", f->end == RUN_INTERRUPTED ? "by Ctrl-C " : "", f->epochs_run + 1,
                    f->epochs, cost, num(f->last_loss, m, b1));
        return;
    }
    if (!f->epochs_run) {
        text_puts(t, "trained 0 epochs: nothing changed\n");
        return;
    }
    if (f->end != RUN_FINISHED) {
        text_printf(t, "%sstopped %safter %zu of %zu epochs", f->fresh_line ? "\n" : "",
                    f->end == RUN_INTERRUPTED ? "by Ctrl-C " : "", f->epochs_run, f->epochs);
        if (lr_changes(f->history)) {
            text_printf(t, " at lr = %s", num(lr_first(f, o->lr), m, b1));
            lr_then(t, f->history, m);
        }
        text_printf(t, ": %s %s → %s", cost, num(f->first_loss, m, b1), num(f->last_loss, m, b2));
        held_out(t, f, cost, m);
        text_puts(t, " (the net keeps these weights)\n");
        return;
    }
    text_printf(t, "trained %zu epoch%s", f->epochs_run, plural(f->epochs_run));
    if (o->optimizer != MLP_OPT_SGD)
        text_printf(t, " with %s", mlp_optimizer_name(o->optimizer));
    text_printf(t, " at lr = %s", num(lr_first(f, o->lr), m, b1));
    lr_then(t, f->history, m);
    if (o->batch)
        text_printf(t, ", batches of %zu", o->batch);
    /* A cost that ends higher than it started diverged without going
     * non-finite (a sigmoid saturates): say so, as for divergence. */
    text_printf(t, ": %s %s → %s%s", cost, num(f->first_loss, m, b1), num(f->last_loss, m, b2),
                f->last_loss > f->first_loss ? " (higher than at the start: try a smaller lr)" : "");
    held_out(t, f, cost, m);
    text_puts(t, "\n");
}

bool summary_write(Text *t, const RunFacts *f, FormatMode m, Error *e)
{
    if (f->perceptron) {
        if (!perceptron_summary(t, f, m, e))
            return false;
    } else {
        net_summary(t, f, m);
    }
    if (t->failed)
        return error_nomem(e, "train");
    return true;
}
