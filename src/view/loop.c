/* loop.c - a watched loop as the live view drives it: `watch cost for i in
 * range(1000):` runs the loop one whole pass at a time, records each
 * charted value after every pass, and finds the arrays the body assigns
 * to show them. */
#include "nudge/view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nudge/format.h"
#include "nudge/mem.h"
#include "nudge/text.h"

/* The array a variable holds (a vector or matrix of two or more numbers),
 * or NULL: a single number is charted, not shown as an array. */
static const Tensor *array_of(const Value *v)
{
    if (!v || v->kind != VALUE_TENSOR || tensor_size(v->as.tensor) < 2)
        return NULL;
    return v->as.tensor;
}

/* A variable as one number: a scalar, or an array of one element; NaN
 * for anything else (and for a name not set yet). */
static double number_of(const Value *v, bool *is_number)
{
    *is_number = false;
    if (!v)
        return NAN;
    if (value_is_scalar(v)) {
        *is_number = true;
        return value_to_double(v);
    }
    if (v->kind == VALUE_TENSOR && tensor_size(v->as.tensor) == 1) {
        *is_number = true;
        return v->as.tensor->data[0];
    }
    return NAN;
}

static bool is_target(const LoopRun *r, const char *name)
{
    size_t n;
    const char *const *t = interp_loop_targets(r->loop, &n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(t[i], name))
            return true;
    return false;
}

static void chart(LoopRun *r, const char *name)
{
    if (r->ncharted < VIEW_MAX_CURVES)
        snprintf(r->charted[r->ncharted++], sizeof r->charted[0], "%s", name);
}

bool loop_run_init(LoopRun *r, Interp *in, LiveLoop *loop, Error *e)
{
    memset(r, 0, sizeof *r);
    r->in = in;
    r->loop = loop;
    interp_loop_source(loop, r->title, sizeof r->title);
    size_t n;
    const char *const *names = interp_loop_charted(loop, &n);
    for (size_t i = 0; i < n; i++)
        chart(r, names[i]);
    r->auto_charted = n == 0;
    /* The loop's state: what the body assigns that held an array before
     * it began, in the order the variables were made. */
    size_t cursor = 0;
    const char *name;
    Value *v;
    while (interp_var_next(in, &cursor, &name, &v)) {
        if (!array_of(v) || !is_target(r, name))
            continue;
        char **grown = mem_realloc(r->before, r->nbefore + 1, sizeof *grown);
        char *copy = grown ? mem_strdup(name) : NULL;
        if (grown)
            r->before = grown;
        if (!copy) {
            loop_run_free(r);
            return error_nomem(e, "watch");
        }
        r->before[r->nbefore++] = copy;
    }
    return true;
}

void loop_run_free(LoopRun *r)
{
    for (size_t i = 0; i < VIEW_MAX_CURVES; i++)
        mem_free(r->series[i]);
    for (size_t i = 0; i < r->nbefore; i++)
        mem_free(r->before[i]);
    mem_free(r->before);
    memset(r, 0, sizeof *r);
}

/* Without names, the numbers the body assigns are charted, as found after
 * the first pass. */
static void choose_charted(LoopRun *r)
{
    size_t n;
    const char *const *t = interp_loop_targets(r->loop, &n);
    for (size_t i = 0; i < n; i++) {
        bool num;
        number_of(interp_get(r->in, t[i]), &num);
        if (num)
            chart(r, t[i]);
    }
}

/* Each charted value after the pass just run. */
static bool record(LoopRun *r, Error *e)
{
    if (r->passes == 1 && r->auto_charted)
        choose_charted(r);
    if (r->passes > r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 1024;
        for (size_t i = 0; i < r->ncharted; i++) {
            double *grown = mem_realloc(r->series[i], cap, sizeof *grown);
            if (!grown)
                return error_nomem(e, "watch");
            r->series[i] = grown;
        }
        r->cap = cap;
    }
    for (size_t i = 0; i < r->ncharted; i++) {
        bool num;
        r->series[i][r->passes - 1] = number_of(interp_get(r->in, r->charted[i]), &num);
    }
    return true;
}

bool loop_run_steps(LoopRun *r, size_t n, size_t *ran, Error *e)
{
    *ran = 0;
    while (*ran < n && !r->done) {
        int rc = interp_loop_step(r->in, r->loop, e);
        if (rc < 0) {
            r->done = true;
            return false;
        }
        if (rc == 0) {
            r->done = true;
            break;
        }
        r->passes++;
        (*ran)++;
        if (!record(r, e)) {
            r->done = true;
            return false;
        }
        /* The last pass of a loop of known length ends it now (its else
         * clause runs), so that the view shows it done at once. */
        size_t total = interp_loop_length(r->loop);
        if (interp_loop_done(r->loop) || (total && r->passes == total)) {
            rc = interp_loop_step(r->in, r->loop, e);
            r->done = rc <= 0;
            if (rc < 0)
                return false;
        }
    }
    return true;
}

bool loop_run_snapshot(LoopRun *r, Snapshot *s, Error *e)
{
    const char *names[VIEW_MAX_MATRICES];
    const Tensor *arrays[VIEW_MAX_MATRICES];
    size_t n = 0, nstate = 0;
    for (size_t i = 0; i < r->nbefore && n < VIEW_MAX_MATRICES; i++) {
        const Tensor *t = array_of(interp_get(r->in, r->before[i]));
        if (t) {
            names[n] = r->before[i];
            arrays[n++] = t;
        }
    }
    nstate = n;
    size_t nt;
    const char *const *targets = interp_loop_targets(r->loop, &nt);
    for (size_t i = 0; i < nt && n < VIEW_MAX_MATRICES; i++) {
        bool seen = false;
        for (size_t k = 0; k < nstate; k++)
            seen = seen || !strcmp(names[k], targets[i]);
        const Tensor *t = seen ? NULL : array_of(interp_get(r->in, targets[i]));
        if (t) {
            names[n] = targets[i];
            arrays[n++] = t;
        }
    }
    if (!snapshot_take_arrays(s, names, arrays, n, e))
        return false;
    s->nstate = nstate;
    snprintf(s->title, sizeof s->title, "%s", r->title);
    s->name[0] = '\0';
    s->ncurves = r->ncharted;
    for (size_t i = 0; i < r->ncharted; i++) {
        snprintf(s->curves[i].name, sizeof s->curves[i].name, "%s", r->charted[i]);
        s->curves[i].v = r->series[i];
        s->curves[i].n = r->series[i] ? r->passes : 0;
    }
    s->auto_charted = r->auto_charted;
    s->epoch = r->passes;
    s->epochs = interp_loop_length(r->loop);
    s->losses = NULL;
    s->nlosses = 0;
    s->val_losses = NULL;
    s->lr = s->lr_start = 0;
    s->current = SIZE_MAX;
    return true;
}

static const char *plural(size_t n)
{
    return n == 1 ? "" : "es";
}

char *loop_run_summary(const LoopRun *r, TrainerEnd end, Error *e)
{
    Text t = {0};
    size_t total = interp_loop_length(r->loop);
    if (end == TRAINER_FINISHED) {
        text_printf(&t, "ran %zu pass%s of `%s`", r->passes, plural(r->passes), r->title);
    } else {
        text_printf(&t, "stopped %safter %zu ", end == TRAINER_INTERRUPTED ? "by Ctrl-C " : "", r->passes);
        if (total)
            text_printf(&t, "of %zu ", total);
        text_printf(&t, "pass%s of `%s` (its variables keep their values)", plural(total ? total : r->passes),
                    r->title);
    }
    FormatMode m = interp_format(r->in);
    for (size_t i = 0; i < r->ncharted && r->passes && r->series[i]; i++) {
        char b1[FORMAT_NUMBER_MAX], b2[FORMAT_NUMBER_MAX];
        double first = r->series[i][0], last = r->series[i][r->passes - 1];
        text_printf(&t, "%s %s %s", i ? "," : ":", r->charted[i], format_inline_number(first, m, b1, sizeof b1));
        if (r->passes > 1)
            text_printf(&t, " → %s", format_inline_number(last, m, b2, sizeof b2));
    }
    text_puts(&t, "\n");
    return text_finish(&t, e);
}
