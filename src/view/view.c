/* view.c - `watch STATEMENT` and the live-training hook the interpreter
 * calls for `train(..., live=1)`: picks the full-screen or the plain
 * backend, runs the training, prints the summary. */
#include "nudge/view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nudge/mem.h"

/* What in->live_ctx points to: whether to stay plain, and (inside `watch`)
 * a counter of training runs, so `watch` can tell when nothing trained. */
typedef struct ViewContext {
    bool plain;
    size_t *runs;
} ViewContext;

/* Never written: the shared setting of headless interpreters. */
static ViewContext headless = { true, NULL };

/* Default pace: a net's run takes about 5 s (chapter 7's 1000 epochs at
 * 200 a second); a perceptron learns one example at a time, 2 epochs a
 * second, slow enough to see each nudge turn the boundary. */
static double default_pace(const Trainer *t)
{
    if (t->work.kind == VALUE_PERCEPTRON)
        return 2;
    double pace = (double)t->epochs / 5;
    return pace < 1 ? 1 : pace;
}

static bool want_plain(const ViewContext *vc)
{
    if (vc && vc->plain)
        return true;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return true;
    const char *term = getenv("TERM");
    return !term || !*term || !strcmp(term, "dumb");
}

bool view_live(void *ctx, Interp *in, const LiveRequest *req, LiveResult *res, Error *e)
{
    const ViewContext *vc = ctx;
    if (vc && vc->runs)
        (*vc->runs)++;
    Trainer t;
    if (!trainer_init(&t, in, req, e))
        return false;
    TrainerEnd end = TRAINER_FINISHED;
    bool ok;
    if (want_plain(vc)) {
        ok = view_run_plain(&t, &end, e);
    } else {
        const char *nc = getenv("NO_COLOR");
        double speed = req->speed > 0 ? req->speed : default_pace(&t);
        /* in->pause is NULL when nobody is to be waited for (--no-pause). */
        ok = view_run_curses(&t, speed, !(nc && *nc), interp_has_pause(in), &end, e);
        if (!ok && e->code == ERROR_IO && t.epoch == 0)
            ok = view_run_plain(&t, &end, e);    /* a terminal curses cannot drive */
    }
    /* The variable takes the trained weights only when all went well, so
     * a failed statement changes nothing (as everywhere in the language). */
    char *summary = ok ? trainer_summary(&t, end, e) : NULL;
    if (summary) {
        res->summary = summary;
        res->epochs = t.epoch;
        res->cost = trainer_cost_now(&t);
        res->mistakes = t.last_mistakes;
        res->updates = t.updates;
        res->converged = t.converged;
        /* The history moves to the result: `r = watch train(...)` is
         * train()'s record, the lr of every epoch included. */
        train_history_free(&res->history);
        res->history = t.history;
        train_history_init(&t.history);
        trainer_commit(&t);
    }
    ok = summary != NULL;
    trainer_free(&t);
    return ok;
}

static bool name_start(unsigned char c)
{
    return c == '_' || c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool name_char(unsigned char c)
{
    return name_start(c) || (c >= '0' && c <= '9');
}

/* True when the statement names train() or a function value (which may
 * call it): anything else cannot start a training run. */
static bool may_train(const Interp *in, const char *src)
{
    const char *p = src;
    while (*p) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\'') {
            const char *q = strchr(p + 1, *p);
            if (!q)
                return false;
            p = q + 1;
        } else if (c == '#') {
            return false;
        } else if (name_start(c)) {
            const char *start = p;
            while (*p && name_char((unsigned char)*p))
                p++;
            char name[64];
            size_t n = (size_t)(p - start);
            if (n >= sizeof name)
                continue;
            memcpy(name, start, n);
            name[n] = '\0';
            if (!strcmp(name, "train"))
                return true;
            const Value *v = interp_get(in, name);
            if (v && (v->kind == VALUE_FUNCTION || v->kind == VALUE_METHOD))
                return true;
        } else {
            p++;
        }
    }
    return false;
}

static bool cmd_watch(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    if (!*arg)
        return error_set(e, ERROR_ARG, "watch: watch what? Give it a training statement, watch train(net, x, y, "
                                       "epochs=1000), or a loop: watch C for i in range(1000): ...");
    if (!may_train(in, arg)) {
        error_set(e, ERROR_ARG, "watch: `%.80s` trains nothing; watch shows a training run, as in "
                                "watch train(net, x, y), or a loop, as in watch C for i in range(100): ...", arg);
        e->col = 1;
        return false;
    }
    void *outer = interp_live_ctx(in);
    const ViewContext *oc = outer;
    size_t runs = 0;
    ViewContext mine = { oc ? oc->plain : false, &runs };
    bool saved = interp_live_default(in);
    interp_set_live_default(in, true);
    interp_set_live_ctx(in, &mine);
    bool ok = interp_run(in, arg, e);
    interp_set_live_default(in, saved);
    interp_set_live_ctx(in, outer);
    if (ok && runs == 0) {
        error_set(e, ERROR_ARG, "watch: `%.80s` trained nothing; watch shows a training run, as in "
                                "watch train(net, x, y)", arg);
        e->col = 1;
        return false;
    }
    return ok;
}

/* `watch NAMES for ...:` runs the loop a pass at a time, showing how the
 * named values move. */
bool view_loop(void *ctx, Interp *in, LiveLoop *loop, Error *e)
{
    const ViewContext *vc = ctx;
    const char *nc = getenv("NO_COLOR");
    if (!want_plain(vc) && view_run_loop_curses(in, loop, !(nc && *nc), interp_has_pause(in), e))
        return true;
    if (e->code && e->code != ERROR_IO)
        return false;
    error_clear(e);
    return view_run_loop_plain(in, loop, e);
}

static const Command commands[] = {
    { "watch", cmd_watch, "watch STATEMENT | watch [NAMES] for/while ...:",
      "Runs a training statement in the live view: a full-screen dashboard of the weights (coloured "
      "by sign, arrows for the last change; a heatmap when a layer is wide), the loss curve (beside "
      "it the held-out loss, with val_x= and val_y=), the predictions and, for 2-D inputs, the "
      "decision boundary over the plane. Any optimiser and batch size train() takes work live, and "
      "the record is train()'s. Keys: space pause, n step, +/- speed, [ ] learning rate, r restart, "
      "l log scale, up/down scroll the weights, q quit. In front of a for or while loop it shows the "
      "arrays the loop changes and a curve of each value named before the loop, pass by pass (s or . "
      "steps a pass); q stops the loop after a whole pass, its variables as that pass left them. "
      "Without a terminal it prints progress lines.\n"
      "  watch train(net, x, y, epochs=1000, lr=1)\n  watch C for i in range(1000):\n      ..." },
};

static void install(Interp *in, ViewContext *ctx)
{
    interp_add_commands(in, commands, sizeof commands / sizeof commands[0], NULL);
    interp_set_live(in, view_live, view_loop, ctx);
}

void view_install(Interp *in)
{
    install(in, NULL);
}

void view_install_headless(Interp *in)
{
    install(in, &headless);
}
