/* plain.c - the live view without a terminal: training runs unpaced and
 * progress is printed as lines of text, about every tenth of the epochs,
 * through the interpreter's output (so scripts and lessons can check it). */
#include "nudge/view.h"

#include <stdio.h>

#include "nudge/clock.h"
#include "nudge/format.h"
#include "nudge/mem.h"
#include "nudge/text.h"

/* "epoch 300/1000  loss 0.05", with the accuracy after it when the
 * targets are classes; the snapshot scores the examples as the dashboard
 * does, once a line. */
static bool progress_line(Trainer *t, Snapshot *snap, Error *e)
{
    if (!snapshot_take(snap, &t->work, t->X, t->Y, e))
        return false;
    char b[FORMAT_NUMBER_MAX], acc[32] = "";
    if (snap->has_accuracy)
        snprintf(acc, sizeof acc, "  acc %s", snapshot_accuracy(snap, b, sizeof b));
    FormatMode m = interp_format(t->in);
    if (t->work.kind == VALUE_PERCEPTRON) {
        char *w = format_inline(t->work.as.perceptron->w, m, e);
        if (!w)
            return false;
        interp_printf(t->in, "epoch %zu/%zu  mistakes %zu%s  w = %s\n", t->epoch, t->epochs, t->last_mistakes, acc,
                      w);
        mem_free(w);
        return true;
    }
    char val[64] = "", c[FORMAT_NUMBER_MAX];
    const TrainHistory *h = &t->history;
    if (t->Xval && h->n && train_history_has(h, TRAIN_VAL_LOSS))
        snprintf(val, sizeof val, "  held-out %s",
                 format_inline_number(h->v[TRAIN_VAL_LOSS][h->n - 1], m, c, sizeof c));
    interp_printf(t->in, "epoch %zu/%zu  loss %s%s%s\n", t->epoch, t->epochs,
                  format_inline_number(t->last_loss, m, b, sizeof b), val, acc);
    return true;
}

bool view_run_plain(Trainer *t, TrainerEnd *end, Error *e)
{
    double start = clock_seconds();
    *end = TRAINER_FINISHED;
    size_t every = t->epochs >= 10 ? t->epochs / 10 : 1;
    bool ok = true;
    Snapshot snap;
    snapshot_init(&snap);
    while (!trainer_finished(t)) {
        /* Up to the next line, in pieces small enough to notice Ctrl-C. */
        size_t todo = every - t->epoch % every, ran = 0;
        if (todo > 4096)
            todo = 4096;
        if (!trainer_run(t, todo, &ran, e)) {
            ok = false;
            break;
        }
        if (interp_interrupted(t->in)) {
            *end = TRAINER_INTERRUPTED;
            break;
        }
        if (ran && (t->epoch % every == 0 || trainer_finished(t)) && !progress_line(t, &snap, e)) {
            ok = false;
            break;
        }
    }
    snapshot_free(&snap);
    t->seconds = clock_seconds() - start;
    return ok;
}

/* One progress line of a watched loop: its pass and each charted value
 * (without names, each number its body assigns, as the full screen
 * charts them). */
static void loop_line(Interp *in, LiveLoop *loop)
{
    size_t n;
    const char *const *names = interp_loop_charted(loop, &n);
    bool any = n > 0;
    if (!any)
        names = interp_loop_targets(loop, &n);
    Text t = {0};
    text_printf(&t, "pass %zu", interp_loop_iteration(loop));
    for (size_t i = 0; i < n; i++) {
        const Value *v = interp_get(in, names[i]);
        if (!any && (!v || !(value_is_scalar(v) || (v->kind == VALUE_TENSOR && tensor_size(v->as.tensor) == 1))))
            continue;
        char *s = v ? value_inline(v, interp_format(in), NULL) : NULL;
        text_printf(&t, "  %s = %s", names[i], s ? s : "(not set yet)");
        mem_free(s);
    }
    text_puts(&t, "\n");
    if (!t.failed)
        interp_write(in, t.s);
    text_free(&t);
}

bool view_run_loop_plain(Interp *in, LiveLoop *loop, Error *e)
{
    /* Lines at passes 1, 2, 5, 10, 20, 50, ... and at the end. */
    size_t next = 1, printed = 0;
    for (;;) {
        int r = interp_loop_step(in, loop, e);
        if (r < 0)
            return false;
        if (r == 0)
            break;
        size_t k = interp_loop_iteration(loop);
        if (k == next) {
            loop_line(in, loop);
            printed = k;
            size_t base = 1;
            while (base * 10 <= next)
                base *= 10;
            next = next == base ? 2 * base : next == 2 * base ? 5 * base : 10 * base;
        }
        if (interp_loop_done(loop))
            break;
    }
    size_t k = interp_loop_iteration(loop);
    if (k && k != printed)
        loop_line(in, loop);
    return true;
}
