/* tutor.c - the lesson engine. */
#include "nudge/tutor.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nudge/mem.h"
#include "nudge/render.h"
#include "nudge/text.h"

static Tutor *tutor_of(Interp *in)
{
    return interp_hooks(in)->ctx;
}

static int text_width(const Interp *in)
{
    int w = interp_width(in) > 0 ? interp_width(in) : 80;
    return w > 88 ? 88 : w;
}

/* --- tolerance and comparison -------------------------------------------- */

/* The largest count of decimals among the number literals of src, when src
 * is made only of numbers, brackets and separators; -1 otherwise. */
static int literal_decimals(const char *src)
{
    int best = 0;
    bool any = false;
    for (const char *p = src; *p;) {
        if (strchr(" \t[],;-+", *p)) {
            p++;
            continue;
        }
        if (!isdigit((unsigned char)*p) && *p != '.')
            return -1;
        int d = 0;
        bool frac = false;
        while (isdigit((unsigned char)*p) || *p == '.') {
            if (*p == '.')
                frac = true;
            else if (frac)
                d++;
            p++;
        }
        if (*p == 'e' || *p == 'E')
            return -1;      /* an exponent: use the relative default */
        any = true;
        best = d > best ? d : best;
    }
    return any ? best : -1;
}

static bool near(double got, double want, double tol)
{
    if (isnan(want))
        return isnan(got);
    if (isinf(want))
        return got == want;
    return fabs(got - want) <= tol;
}

/* The numbers a value holds: a number, an array's elements, or a list or
 * tuple of numbers (small ones only); vec says it is a sequence. */
static bool numbers_of(const Value *v, double *buf, size_t cap, const double **out, size_t *n, bool *vec)
{
    *vec = false;
    if (value_is_scalar(v)) {
        buf[0] = value_to_double(v);
        *out = buf;
        *n = 1;
        return true;
    }
    if (v->kind == VALUE_TENSOR) {
        *out = v->as.tensor->data;
        *n = tensor_size(v->as.tensor);
        *vec = v->as.tensor->ndim == 1 || v->as.tensor->rows == 1 || v->as.tensor->cols == 1;
        return true;
    }
    if ((v->kind == VALUE_TUPLE || v->kind == VALUE_LIST) && v->as.list->n <= cap) {
        for (size_t i = 0; i < v->as.list->n; i++) {
            if (!value_is_scalar(&v->as.list->items[i]))
                return false;
            buf[i] = value_to_double(&v->as.list->items[i]);
        }
        *out = buf;
        *n = v->as.list->n;
        *vec = true;
        return true;
    }
    return false;
}

bool tutor_values_match(const Value *got, const Value *want, const char *want_src, bool has_tol, double tol)
{
    int d = has_tol ? -1 : literal_decimals(want_src);
    bool relative = !has_tol && d <= 0;
    if (d > 0)
        tol = 0.5 * pow(10, -d) * (1 + 1e-9);   /* 0.7575 still reads as 0.758 */
    if (got->kind == VALUE_STRING || want->kind == VALUE_STRING)
        return got->kind == want->kind && !strcmp(value_str(got), value_str(want));
    /* Numbers, arrays and tuples or lists of numbers (a shape) compare by
     * their values: the student should not fail on numpy's types. */
    double gbuf[64], wbuf[64];
    const double *g, *w;
    size_t n, m;
    bool gvec, wvec;
    if (!numbers_of(got, gbuf, 64, &g, &n, &gvec) || !numbers_of(want, wbuf, 64, &w, &m, &wvec) || n != m)
        return false;
    if (got->kind == VALUE_TENSOR && want->kind == VALUE_TENSOR) {
        const Tensor *a = got->as.tensor, *b = want->as.tensor;
        /* A vector written [a, b] matches a one-row or one-column matrix of
         * the same values. */
        bool same = tensor_same_shape(a, b)
                 || ((a->ndim == 1 || b->ndim == 1) && (a->rows == 1 || a->cols == 1) && (b->rows == 1 || b->cols == 1));
        if (!same)
            return false;
    } else if (want->kind == VALUE_TENSOR && value_is_scalar(got)) {
        return false;       /* [1] was expected, a bare number is not it */
    } else if (n > 1 && !(gvec && wvec)) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        double t = relative ? 1e-9 * fmax(1.0, fabs(w[i])) : tol;
        if (!near(g[i], w[i], t))
            return false;
    }
    return true;
}

/* --- showing steps --------------------------------------------------------- */

/* True when the lessons folder has chapter c's file. */
static bool has_chapter(const Tutor *t, int c)
{
    char *path = t->dir ? lesson_path(t->dir, c) : NULL;
    mem_free(path);
    return path != NULL;
}

/* The folder decides how many chapters there are, not the book: a folder
 * may hold fewer, or more up to LESSON_MAX_CHAPTERS. */
static bool no_such_chapter(const Tutor *t, long chapter, Error *e)
{
    int last = LESSON_MAX_CHAPTERS;
    while (last > 0 && !has_chapter(t, last))
        last--;
    if (last > 0)
        return error_set(e, ERROR_ARG, "lesson: there is no chapter %ld (chapters are 1 to %d)", chapter, last);
    return error_set(e, ERROR_ARG, "lesson: there is no chapter %ld", chapter);
}

static Lesson *lesson_of(Tutor *t, int chapter, Error *e)
{
    if (chapter < 1 || chapter > LESSON_MAX_CHAPTERS) {
        no_such_chapter(t, chapter, e);
        return NULL;
    }
    if (t->lessons[chapter])
        return t->lessons[chapter];
    if (!t->dir) {
        if (t->dir_nomem)
            error_nomem(e, "lesson");
        else
            error_set(e, ERROR_IO, "lesson: no lessons folder found (set NUDGE_LESSONS to the folder of lesson files)");
        return NULL;
    }
    char *path = lesson_path(t->dir, chapter);
    if (!path && errno == ENOMEM) {
        error_nomem(e, "lesson");
        return NULL;
    }
    if (!path) {
        error_set(e, ERROR_ARG, "lesson: there is no chapter %d in '%s'", chapter, t->dir);
        return NULL;
    }
    t->lessons[chapter] = lesson_load(path, e);
    mem_free(path);
    return t->lessons[chapter];
}

static void write_rule(Interp *in, const char *label, const char *right)
{
    Text t = {0};
    int width = text_width(in);
    text_printf(&t, "── %s ", label);
    int used = 4;
    for (const char *p = label; *p; p++)
        if (((unsigned char)*p & 0xC0) != 0x80)
            used++;
    int rl = right ? (int)strlen(right) + 2 : 0;
    for (int i = used; i < width - rl; i++)
        text_puts(&t, "─");
    if (right)
        text_printf(&t, " %s", right);
    text_puts(&t, "\n");
    if (!t.failed)
        interp_write(in, t.s);
    text_free(&t);
}

static void write_code(Interp *in, const char *lead, const char *cont, const char *code, bool color)
{
    Text t = {0};
    bool first = true;
    for (const char *p = code; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        text_printf(&t, "%s%s%.*s%s\n", first ? lead : cont, color ? "\x1b[1;36m" : "", (int)len, p,
                    color ? "\x1b[0m" : "");
        first = false;
        p += len + (nl ? 1 : 0);
    }
    if (!t.failed)
        interp_write(in, t.s);
    text_free(&t);
}

static void show_step(Tutor *t)
{
    Interp *in = t->in;
    Lesson *l = t->lessons[t->chapter];
    Step *s = &l->steps[t->step];
    char label[256], right[48];
    snprintf(label, sizeof label, "%d.%zu  %s", t->chapter, t->step + 1, s->title);
    snprintf(right, sizeof right, "step %zu of %zu", t->step + 1, l->nsteps);
    interp_write(in, "\n");
    write_rule(in, label, right);
    Error e;
    char *body = s->first ? render_blocks(s->first, s->stop, text_width(in), t->color, &e) : NULL;
    if (body && *body) {
        interp_write(in, "\n");
        interp_write(in, body);
    }
    mem_free(body);
    interp_write(in, "\n");
    if (s->question) {
        /* The question's first line takes the place of the renderer's
         * margin, after the mark; a question may render to nothing (only
         * an HTML comment) or fail to render. */
        char *q = render_markdown(s->question, text_width(in) - 4, t->color, &e);
        const char *text = !q ? "" : strncmp(q, "  ", 2) ? q : q + 2;
        size_t len = strlen(text);
        interp_printf(in, "  %s?%s %s%s", t->color ? "\x1b[1;33m" : "", t->color ? "\x1b[0m" : "", text,
                      len && text[len - 1] == '\n' ? "" : "\n");
        mem_free(q);
        interp_write(in, "    (answer with a number or an expression)\n");
    } else if (s->code) {
        write_code(in, "  Type:   ", "          ", s->code, t->color);
        interp_write(in, "  (or press Enter to run it)\n");
    } else {
        interp_write(in, "  (press Enter to go on)\n");
    }
    t->hint = 0;
}

static void save_progress(Tutor *t)
{
    Error e;
    if (!progress_save(&t->progress, &e))
        interp_note(t->in, e.msg);
}

static void leave(Tutor *t)
{
    t->chapter = 0;
    t->step = 0;
}

/* Moves on after a step was completed (done) or skipped. */
static void advance(Tutor *t, bool done)
{
    Lesson *l = t->lessons[t->chapter];
    ChapterProgress *cp = &t->progress.ch[t->chapter];
    if (done && cp->done < t->step + 1)
        cp->done = t->step + 1;
    t->step++;
    if (t->step >= l->nsteps) {
        cp->step = 0;
        if (done)
            cp->done = l->nsteps;
        save_progress(t);
        int next = t->chapter + 1;
        while (next <= LESSON_MAX_CHAPTERS && !has_chapter(t, next))
            next++;
        const char *mark = t->color ? "\x1b[1;32m✓\x1b[0m" : "✓";
        if (next <= LESSON_MAX_CHAPTERS)
            interp_printf(t->in, "\n%s Chapter %d is done. Type lesson %d for the next chapter, or lessons to see "
                                 "them all.\n", mark, t->chapter, next);
        else
            interp_printf(t->in, "\n%s Chapter %d is done. That was the last chapter: well done.\n", mark, t->chapter);
        leave(t);
        return;
    }
    cp->step = t->step;
    save_progress(t);
    show_step(t);
}

static void discard_output(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    (void)text;
    (void)len;
}

/* Runs the suggested statements of the steps before the current one, with
 * their output hidden, so that a resumed lesson has its variables. */
static void replay(Tutor *t, const Lesson *l)
{
    Interp *in = t->in;
    void *write_ctx;
    WriteFn write = interp_output(in, &write_ctx);
    interp_set_output(in, discard_output, NULL);
    for (size_t i = 0; i < t->step; i++) {
        Error e;
        if (l->steps[i].code)
            interp_run(in, l->steps[i].code, &e);
    }
    interp_set_output(in, write, write_ctx);
}

bool tutor_start(Tutor *t, int chapter, bool restart, Error *e)
{
    Lesson *l = lesson_of(t, chapter, e);
    if (!l)
        return false;
    t->chapter = chapter;
    ChapterProgress *cp = &t->progress.ch[chapter];
    t->step = restart || cp->step >= l->nsteps ? 0 : cp->step;
    if (restart) {
        cp->step = 0;
        cp->done = 0;
        save_progress(t);
    }
    interp_write(t->in, "\n");
    Text head = {0};
    text_printf(&head, "%sChapter %d: %s%s\n", t->color ? "\x1b[1m" : "", chapter, l->title, t->color ? "\x1b[0m" : "");
    if (!head.failed)
        interp_write(t->in, head.s);
    text_free(&head);
    if (t->step == 0 && l->intro) {
        char *intro = render_blocks(l->intro, l->intro_stop, text_width(t->in), t->color, e);
        if (intro) {
            interp_write(t->in, "\n");
            interp_write(t->in, intro);
            mem_free(intro);
        }
    } else if (t->step > 0) {
        replay(t, l);
        interp_printf(t->in, "Welcome back: resuming at step %zu of %zu (the earlier steps' statements were run "
                             "again, so their variables are here).\n", t->step + 1, l->nsteps);
    }
    interp_write(t->in, "\n  (next, back and hint move around; quit leaves the lesson and keeps your variables)\n");
    show_step(t);
    return true;
}

/* --- checking -------------------------------------------------------------- */

/* Evaluates every expectation of the step; writes what failed to *why.
 * *pending (may be NULL) is set when a check names a variable that does not
 * exist yet: the student is still typing the step's lines one by one. */
static bool check_step(Interp *in, const Step *s, Text *why, bool *pending)
{
    bool all = true;
    for (size_t i = 0; i < s->nexpects; i++) {
        const Expect *x = &s->expects[i];
        Value got = value_none(), want = value_none();
        Error e;
        if (!interp_eval_source(in, x->lhs, &got, &e)) {
            if (pending && e.code == ERROR_NAME)
                *pending = true;
            text_printf(why, "%s: %s\n", x->lhs, e.msg);
            all = false;
            continue;
        }
        if (!interp_eval_source(in, x->rhs, &want, &e)) {
            text_printf(why, "the lesson's value %s does not evaluate: %s\n", x->rhs, e.msg);
            value_free(&got);
            all = false;
            continue;
        }
        if (!tutor_values_match(&got, &want, x->rhs, x->has_tol, x->tol)) {
            char *g = value_inline(&got, FORMAT_SHORT, &e);
            text_printf(why, "%s should be %s, but it is %s\n", x->lhs, x->rhs, g ? g : "?");
            mem_free(g);
            all = false;
        }
        value_free(&got);
        value_free(&want);
    }
    return all;
}

static bool check_answer(Interp *in, const Step *s, const char *given, Text *why)
{
    Value got = value_none(), want = value_none();
    Error e;
    bool ok = false;
    if (!interp_eval_source(in, given, &got, &e))
        text_printf(why, "that does not evaluate: %s\n", e.msg);
    else if (!interp_eval_source(in, s->answer, &want, &e))
        text_printf(why, "the lesson's answer %s does not evaluate: %s\n", s->answer, e.msg);
    else if (!(ok = tutor_values_match(&got, &want, s->answer, s->answer_has_tol, s->answer_tol))) {
        char *g = value_inline(&got, FORMAT_SHORT, &e);
        text_printf(why, "not quite: %s is not the answer\n", g ? g : given);
        mem_free(g);
    }
    value_free(&got);
    value_free(&want);
    return ok;
}

static void show_hint(Tutor *t)
{
    const Step *s = &t->lessons[t->chapter]->steps[t->step];
    if (s->nhints == 0) {
        interp_write(t->in, "  (this step has no hint; next skips it)\n");
        return;
    }
    Error e;
    char *h = render_markdown(s->hints[t->hint % s->nhints], text_width(t->in) - 4, t->color, &e);
    interp_printf(t->in, "  hint:\n%s\n", h ? h : s->hints[t->hint % s->nhints]);
    mem_free(h);
    t->hint++;
}

static void report_success(Tutor *t, const Step *s)
{
    Text line = {0};
    text_puts(&line, t->color ? "  \x1b[1;32m✓\x1b[0m" : "  ✓");
    for (size_t i = 0; i < s->nexpects; i++)
        text_printf(&line, "%s %s = %s", i ? "," : "", s->expects[i].lhs, s->expects[i].rhs);
    if (!s->nexpects)
        text_puts(&line, " done");
    text_puts(&line, "\n");
    if (!line.failed)
        interp_write(t->in, line.s);
    text_free(&line);
}

static void report_failure(Tutor *t, const Text *why, bool quiz)
{
    Text out = {0};
    const char *mark = t->color ? "\x1b[1;31m✗\x1b[0m" : "✗";
    for (const char *p = why->failed ? "out of memory" : why->s ? why->s : ""; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        text_printf(&out, "  %s %.*s\n", mark, (int)len, p);
        p += len + (nl ? 1 : 0);
    }
    text_puts(&out, quiz ? "  Try again, or type hint for a hint (next shows the answer and moves on).\n"
                         : "  Not yet. Type hint for a hint, or press Enter to run the suggested statement.\n");
    if (!out.failed)
        interp_write(t->in, out.s);
    text_free(&out);
}

static bool blank(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

/* True when the chunk starts with a command word (next, hint, vars, ...). */
static bool starts_with_command(Interp *in, const char *chunk)
{
    const char *p = chunk;
    while (*p == ' ' || *p == '\t')
        p++;
    const char *q = p;
    while (isalnum((unsigned char)*q) || *q == '_')
        q++;
    if (q == p || !interp_find_command(in, p, (size_t)(q - p)))
        return false;
    while (*q == ' ' || *q == '\t')
        q++;
    return *q != '=' && *q != '(';
}

static bool on_chunk(void *ctx, Interp *in, const char *chunk, bool *ok, Error *e)
{
    Tutor *t = ctx;
    *ok = true;
    if (t->confirm_restart) {
        int ch = t->confirm_restart;
        t->confirm_restart = 0;
        const char *p = chunk;
        while (isspace((unsigned char)*p))
            p++;
        if (*p == 'y' || *p == 'Y')
            *ok = tutor_start(t, ch, true, e);
        else
            interp_write(in, "  kept your progress\n");
        return true;
    }
    if (!t->chapter || starts_with_command(in, chunk))
        return false;
    Step *s = &t->lessons[t->chapter]->steps[t->step];
    Text why = {0};
    if (blank(chunk)) {
        if (s->question) {
            interp_write(in, "  (type your answer: a number or an expression; next skips the question)\n");
            return true;
        }
        if (!s->code) {
            advance(t, true);
            return true;
        }
        write_code(in, ">> ", ".. ", s->code, false);
        chunk = s->code;
    }
    if (s->question) {
        if (check_answer(in, s, chunk, &why)) {
            interp_printf(in, "  %s right: %s\n", t->color ? "\x1b[1;32m✓\x1b[0m" : "✓", s->answer);
            advance(t, true);
        } else {
            report_failure(t, &why, true);
        }
        text_free(&why);
        return true;
    }
    if (!interp_run(in, chunk, e)) {
        *ok = false;
        return true;
    }
    bool pending = false;
    if (check_step(in, s, &why, &pending)) {
        report_success(t, s);
        advance(t, true);
    } else if (!pending) {
        report_failure(t, &why, false);
    }
    text_free(&why);
    return true;
}

static const char *prompt(void *ctx)
{
    Tutor *t = ctx;
    if (t->confirm_restart)
        return "restart? [y/N] ";
    if (!t->chapter)
        return NULL;
    snprintf(t->prompt, sizeof t->prompt, "lesson %d.%zu> ", t->chapter, t->step + 1);
    return t->prompt;
}

/* --- commands -------------------------------------------------------------- */

static bool cmd_lessons(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    Tutor *t = tutor_of(in);
    if (*arg)
        return error_set(e, ERROR_ARG, "lessons takes nothing after it; to open one, type lesson 3");
    bool any = false;
    for (int c = 1; c <= LESSON_MAX_CHAPTERS; c++) {
        Error le;
        char *path = t->dir ? lesson_path(t->dir, c) : NULL;
        if (!path && (t->dir_nomem || (t->dir && errno == ENOMEM)))
            return error_nomem(e, "lessons");
        if (!path)
            continue;
        mem_free(path);
        any = true;
        Lesson *l = lesson_of(t, c, &le);
        if (!l) {
            interp_printf(in, "  %d  (cannot be read: %s)\n", c, le.msg);
            continue;
        }
        const ChapterProgress *cp = &t->progress.ch[c];
        char state[48];
        if (cp->done >= l->nsteps)
            snprintf(state, sizeof state, "done");
        else if (cp->done || cp->step)
            snprintf(state, sizeof state, "%zu/%zu", cp->done, l->nsteps);
        else
            snprintf(state, sizeof state, "%zu steps", l->nsteps);
        interp_printf(in, "  %d  %-52s %s%s\n", c, l->title, state, c == t->chapter ? "  (open)" : "");
    }
    if (!any)
        return error_set(e, ERROR_IO, "lessons: no lesson files found%s%s", t->dir ? " in " : "", t->dir ? t->dir : "");
    interp_write(in, "Type lesson N to start or resume chapter N.\n");
    return true;
}

static bool cmd_lesson(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    Tutor *t = tutor_of(in);
    if (!*arg) {
        if (!t->chapter)
            return cmd_lessons(in, ctx, "", e);
        show_step(t);
        return true;
    }
    char *end;
    long n = strtol(arg, &end, 10);
    while (*end == ' ')
        end++;
    if (end == arg)
        return error_set(e, ERROR_ARG, "lesson: give a chapter number, as in lesson 3");
    if (*end && strcmp(end, "restart"))
        return error_set(e, ERROR_ARG, "lesson: after the number only 'restart' may follow");
    if (n < 1 || n > LESSON_MAX_CHAPTERS)
        return no_such_chapter(t, n, e);
    if (*end) {
        if (!lesson_of(t, (int)n, e))
            return false;
        const ChapterProgress *cp = &t->progress.ch[n];
        if (cp->done == 0 && cp->step == 0)
            return tutor_start(t, (int)n, true, e);
        interp_printf(in, "Start chapter %ld again from the first step? Your progress there (%zu steps done) "
                          "will be reset.\n", n, cp->done);
        t->confirm_restart = (int)n;
        return true;
    }
    return tutor_start(t, (int)n, false, e);
}

static bool need_lesson(Tutor *t, const char *cmd, Error *e)
{
    if (t->chapter)
        return true;
    return error_set(e, ERROR_ARG, "%s: no lesson is open; type lessons to see them, lesson 1 to begin", cmd);
}

static bool cmd_next(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    (void)arg;
    Tutor *t = tutor_of(in);
    if (!need_lesson(t, "next", e))
        return false;
    const Step *s = &t->lessons[t->chapter]->steps[t->step];
    if (s->question)
        interp_printf(in, "  (the answer was %s)\n", s->answer);
    advance(t, false);
    return true;
}

static bool cmd_back(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    (void)arg;
    Tutor *t = tutor_of(in);
    if (!need_lesson(t, "back", e))
        return false;
    if (t->step == 0)
        return error_set(e, ERROR_ARG, "back: this is the first step");
    t->step--;
    t->progress.ch[t->chapter].step = t->step;
    save_progress(t);
    show_step(t);
    return true;
}

static bool cmd_hint(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    (void)arg;
    Tutor *t = tutor_of(in);
    if (!need_lesson(t, "hint", e))
        return false;
    show_hint(t);
    return true;
}

static bool cmd_quit(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    (void)arg;
    (void)e;
    Tutor *t = tutor_of(in);
    if (t->chapter) {
        interp_printf(in, "Left chapter %d at step %zu; your variables are still here. lesson %d resumes.\n",
                      t->chapter, t->step + 1, t->chapter);
        leave(t);
        return true;
    }
    interp_set_quit(in, true);
    return true;
}

static const Command commands[] = {
    { "lessons", cmd_lessons, "lessons", "Lists the chapters' lessons with your progress in each." },
    { "lesson", cmd_lesson, "lesson [N [restart]]",
      "lesson N opens chapter N's guided lesson where you left it; lesson N restart starts it again "
      "(after asking); lesson alone shows the current step again." },
    { "next", cmd_next, "next", "Skips to the next step of the lesson." },
    { "back", cmd_back, "back", "Goes back one step in the lesson." },
    { "hint", cmd_hint, "hint", "Shows a hint for the current step of the lesson." },
    { "quit", cmd_quit, "quit", "Leaves the open lesson (keeping your variables), or else leaves nudge." },
};

void tutor_install(Tutor *t, Interp *in, const char *lessons_dir, const char *progress_path, bool color)
{
    memset(t, 0, sizeof *t);
    t->in = in;
    t->color = color;
    t->dir = lessons_dir ? mem_strdup(lessons_dir) : lesson_find_dir();
    t->dir_nomem = lessons_dir && !t->dir;
    Error e;
    if (!progress_load(&t->progress, progress_path, &e))
        interp_note(in, e.msg);
    interp_add_commands(in, commands, sizeof commands / sizeof commands[0], t);
    SessionHooks hooks = { on_chunk, prompt, t };
    interp_set_hooks(in, &hooks);
}

void tutor_free(Tutor *t)
{
    for (int c = 0; c <= LESSON_MAX_CHAPTERS; c++)
        lesson_delete(t->lessons[c]);
    mem_free(t->dir);
    progress_free(&t->progress);
    memset(t, 0, sizeof *t);
}

/* --- --check-lessons --------------------------------------------------------- */

static void say(WriteFn write, void *ctx, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void say(WriteFn write, void *ctx, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0)
        write(ctx, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* Reports what failed in step i, one line per failed check, each with the
 * file, line and step, as a compiler reports its errors. */
static void say_step(WriteFn write, void *ctx, const Lesson *l, size_t i, const char *what, const Text *why)
{
    const Step *s = &l->steps[i];
    const char *p = why->failed ? "out of memory\n" : why->s ? why->s : "\n";
    for (;;) {
        const char *nl = strchr(p, '\n');
        int len = nl ? (int)(nl - p) : (int)strlen(p);
        say(write, ctx, "%s:%d: step %d.%zu \"%s\": %s%.*s\n", l->path, s->line, l->chapter, i + 1, s->title, what,
            len, p);
        if (!nl || !nl[1])
            break;
        p = nl + 1;
    }
}

/* Plays one lesson; returns its failures. */
static int check_lesson(const Lesson *l, InterpSetup setup, WriteFn write, void *ctx, size_t *checks)
{
    Interp *in = interp_new(discard_output, NULL);
    if (!in) {
        say(write, ctx, "%s: out of memory\n", l->path);
        return 1;
    }
    interp_set_width(in, 80);
    if (setup)
        setup(in);
    int failures = 0;
    for (size_t i = 0; i < l->nsteps; i++) {
        const Step *s = &l->steps[i];
        Error e;
        Text why = {0};
        if (s->code && !interp_run(in, s->code, &e)) {
            say(write, ctx, "%s:%d: step %d.%zu \"%s\": its statement fails: %s\n", l->path, s->line, l->chapter,
                i + 1, s->title, e.msg);
            failures++;
        } else if (!check_step(in, s, &why, NULL)) {
            say_step(write, ctx, l, i, "", &why);
            failures++;
        }
        *checks += s->nexpects;
        text_free(&why);
        if (s->question) {
            Text qwhy = {0};
            if (!check_answer(in, s, s->answer, &qwhy)) {
                say_step(write, ctx, l, i, "the quiz answer: ", &qwhy);
                failures++;
            }
            (*checks)++;
            text_free(&qwhy);
        }
    }
    interp_delete(in);
    return failures;
}

int tutor_check_all(const char *dir, InterpSetup setup, WriteFn write, void *ctx)
{
    if (!dir) {
        say(write, ctx, "no lessons folder found (set NUDGE_LESSONS)\n");
        return -1;
    }
    int failures = 0, lessons = 0;
    size_t total = 0;
    for (int c = 1; c <= LESSON_MAX_CHAPTERS; c++) {
        char *path = lesson_path(dir, c);
        if (!path && errno == ENOMEM) {
            say(write, ctx, "chapter %d: out of memory\n", c);
            failures++;
            lessons++;
            continue;
        }
        if (!path)
            continue;
        Error e;
        Lesson *l = lesson_load(path, &e);
        mem_free(path);
        lessons++;
        if (!l) {
            say(write, ctx, "%s\n", e.msg);
            failures++;
            continue;
        }
        size_t checks = 0, checked_steps = 0;
        for (size_t i = 0; i < l->nsteps; i++)
            if (l->steps[i].nexpects || l->steps[i].question)
                checked_steps++;
        int f = check_lesson(l, setup, write, ctx, &checks);
        failures += f;
        total += checks;
        say(write, ctx, "%s chapter %d, %s: %zu steps, %zu checked, %zu checks%s\n", f ? "✗" : "✓", c, l->title,
            l->nsteps, checked_steps, checks, f ? " FAILED" : "");
        lesson_delete(l);
    }
    if (lessons == 0) {
        say(write, ctx, "no lesson files (NN-name.md) in '%s'\n", dir);
        return -1;
    }
    if (failures)
        say(write, ctx, "%d failure%s\n", failures, failures == 1 ? "" : "s");
    else
        say(write, ctx, "all %d lessons passed (%zu checks)\n", lessons, total);
    return failures;
}
