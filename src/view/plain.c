/* plain.c - the live view without a terminal: training runs unpaced and
 * progress is printed as lines of text, about every tenth of the epochs,
 * through the interpreter's output (so scripts and lessons can check it). */
#include "nudge/view.h"

#include <time.h>

#include "nudge/format.h"
#include "nudge/mem.h"
#include "nudge/text.h"

static void progress_line(Trainer *t)
{
    char b[FORMAT_NUMBER_MAX];
    FormatMode m = t->in->format;
    if (t->work.kind == VALUE_PERCEPTRON) {
        char *w = format_inline(t->work.as.perceptron->w, m, NULL);
        interp_printf(t->in, "epoch %zu/%zu  mistakes %zu  w = %s\n", t->epoch, t->epochs, t->last_mistakes,
                      w ? w : "?");
        mem_free(w);
        return;
    }
    interp_printf(t->in, "epoch %zu/%zu  loss %s\n", t->epoch, t->epochs,
                  format_inline_number(t->last_loss, m, b, sizeof b));
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

bool view_run_plain(Trainer *t, TrainerEnd *end, Error *e)
{
    double start = now_seconds();
    *end = TRAINER_FINISHED;
    size_t every = t->epochs >= 10 ? t->epochs / 10 : 1;
    bool ok = true;
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
        if (ran && (t->epoch % every == 0 || trainer_finished(t)))
            progress_line(t);
    }
    t->seconds = now_seconds() - start;
    return ok;
}
