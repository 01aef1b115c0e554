/* tutor.c - the lesson engine.
 *
 * Two sessions take part in an open lesson: the student's own, and a
 * hidden reference session that plays the lesson's suggested statements.
 * A check's left side is read from the student's session, its right side
 * from the reference one.  The student's variables are snapshotted when a
 * step's text is shown (for reset, and to tell which names a statement
 * changed) and before each statement (for undo). */
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

#define MARK_OK "✓"
#define MARK_BAD "✗"

static Tutor *tutor_of(Interp *in)
{
    return interp_hooks(in)->ctx;
}

static int text_width(const Interp *in)
{
    int w = interp_width(in) > 0 ? interp_width(in) : 80;
    return w > 88 ? 88 : w;
}

static const char *green(const Tutor *t)
{
    return t->color ? "\x1b[1;32m" MARK_OK "\x1b[0m" : MARK_OK;
}

static const char *red(const Tutor *t)
{
    return t->color ? "\x1b[1;31m" MARK_BAD "\x1b[0m" : MARK_BAD;
}

/* Writes text wrapped to the terminal: the first line after lead, the
 * rest with a hanging indent of hang columns. */
static void write_wrapped(Interp *in, const char *lead, int hang, const char *text)
{
    Error e;
    char *s = render_wrap(text, lead, hang, text_width(in), &e);
    if (s)
        interp_write(in, s);
    mem_free(s);
}

static void write_wrappedf(Interp *in, const char *lead, int hang, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void write_wrappedf(Interp *in, const char *lead, int hang, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    write_wrapped(in, lead, hang, buf);
}

static void discard_output(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    (void)text;
    (void)len;
}

/* Runs src in in with its output hidden.  (A `pause` or `backprop` in it
 * still waits for Enter where the session has a pause set: the tutor's own
 * sessions have none.) */
static bool run_quietly(Interp *in, const char *src, Error *e)
{
    void *ctx;
    WriteFn write = interp_output(in, &ctx);
    interp_set_output(in, discard_output, NULL);
    bool ok = interp_run(in, src, e);
    interp_set_output(in, write, ctx);
    return ok;
}

/* A new session of the tutor's own: output hidden, 80 columns, set up as
 * the caller asked (the live view headless).  NULL when memory ran out. */
static Interp *own_session(const Tutor *t)
{
    Interp *in = interp_new(discard_output, NULL);
    if (!in)
        return NULL;
    interp_set_width(in, 80);
    if (t->setup)
        t->setup(in);
    return in;
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

/* The tolerance of a check: absolute (*tol) or, when *relative, 1e-9 of
 * the expected magnitude. */
static void tolerance(const char *want_src, bool has_tol, double tol_in, double *tol, bool *relative)
{
    int d = has_tol ? -1 : literal_decimals(want_src);
    *relative = !has_tol && d <= 0;
    *tol = tol_in;
    if (d > 0)
        *tol = 0.5 * pow(10, -d) * (1 + 1e-9);   /* 0.7575 still reads as 0.758 */
}

static bool near(double got, double want, double tol, bool relative)
{
    if (isnan(want))
        return isnan(got);
    if (isinf(want))
        return got == want;
    double t = relative ? 1e-9 * fmax(1.0, fabs(want)) : tol;
    return fabs(got - want) <= t;
}

/* The numbers a value holds: a number, an array's elements, or a list or
 * tuple of numbers (a shape); vec says it is a sequence. */
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

enum { SMALL_SEQ = 64 };

/* The numbers of two values that are compared entry by entry: numbers,
 * arrays and tuples or lists of numbers (a shape) of the same length; a
 * vector matches a one-row or one-column matrix of the same values; an
 * expected [1] is not matched by a bare number.  gbuf and wbuf hold
 * SMALL_SEQ numbers each.  False when they cannot be compared. */
static bool comparable(const Value *got, const Value *want, double *gbuf, double *wbuf, const double **g,
                       const double **w, size_t *n)
{
    size_t m;
    bool gvec, wvec;
    if (!numbers_of(got, gbuf, SMALL_SEQ, g, n, &gvec) || !numbers_of(want, wbuf, SMALL_SEQ, w, &m, &wvec) || *n != m)
        return false;
    if (got->kind == VALUE_TENSOR && want->kind == VALUE_TENSOR) {
        const Tensor *a = got->as.tensor, *b = want->as.tensor;
        return tensor_same_shape(a, b)
            || ((a->ndim == 1 || b->ndim == 1) && (a->rows == 1 || a->cols == 1) && (b->rows == 1 || b->cols == 1));
    }
    if (want->kind == VALUE_TENSOR && value_is_scalar(got))
        return false;
    return *n <= 1 || (gvec && wvec);
}

bool tutor_values_match(const Value *got, const Value *want, const char *want_src, bool has_tol, double tol)
{
    if (got->kind == VALUE_STRING || want->kind == VALUE_STRING)
        return got->kind == want->kind && !strcmp(value_str(got), value_str(want));
    double gbuf[SMALL_SEQ], wbuf[SMALL_SEQ];
    const double *g, *w;
    size_t n;
    if (!comparable(got, want, gbuf, wbuf, &g, &w, &n))
        return false;
    bool relative;
    tolerance(want_src, has_tol, tol, &tol, &relative);
    for (size_t i = 0; i < n; i++)
        if (!near(g[i], w[i], tol, relative))
            return false;
    return true;
}

/* --- numbers in messages ------------------------------------------------- */

static int sig_decimals(double x)
{
    if (x == 0 || !isfinite(x))
        return 0;
    int d = 4 - (int)floor(log10(fabs(x)));
    return d < 0 ? 0 : d > 17 ? 17 : d;
}

static int exact_decimals(double x)
{
    if (!isfinite(x))
        return 0;
    char buf[64];
    for (int k = 0; k < 17; k++) {
        snprintf(buf, sizeof buf, "%.*f", k, x);
        if (fabs(strtod(buf, NULL) - x) <= 1e-12 * fmax(1.0, fabs(x)))
            return k;
    }
    return 17;
}

/* Decimals enough to show x: 5 significant digits, fewer when x is exact
 * with fewer. */
static int show_decimals(double x)
{
    int s = sig_decimals(x), x_ = exact_decimals(x);
    return s < x_ ? s : x_;
}

static int differ_decimals(double want, double got)
{
    char a[400], b[400];
    for (int k = 0; k <= 17; k++) {
        snprintf(a, sizeof a, "%.*f", k, want);
        snprintf(b, sizeof b, "%.*f", k, got);
        if (strcmp(a, b))
            return k;
    }
    return 17;
}

static bool use_exponent(double want, double got)
{
    double big = fmax(fabs(want), fabs(got));
    return big >= 1e9 || (big > 0 && big < 1e-6);
}

void tutor_format_pair(double want, double got, char *wbuf, size_t wn, char *gbuf, size_t gn)
{
    if (!isfinite(want) || !isfinite(got) || use_exponent(want, got)) {
        int p = 4;
        for (; p < 17; p++) {
            snprintf(wbuf, wn, "%.*e", p, want);
            snprintf(gbuf, gn, "%.*e", p, got);
            if (strcmp(wbuf, gbuf))
                break;
        }
        if (!isfinite(want) || !isfinite(got)) {
            if (isnan(want))
                snprintf(wbuf, wn, "nan");
            if (isnan(got))
                snprintf(gbuf, gn, "nan");
            if (isfinite(want) && !isnan(got))
                snprintf(wbuf, wn, "%.*g", 6, want);
            if (isfinite(got) && !isnan(want))
                snprintf(gbuf, gn, "%.*g", 6, got);
            if (isinf(want))
                snprintf(wbuf, wn, "%s", want > 0 ? "inf" : "-inf");
            if (isinf(got))
                snprintf(gbuf, gn, "%s", got > 0 ? "inf" : "-inf");
            if (isnan(want) && isfinite(got))
                snprintf(gbuf, gn, "%.*g", 6, got);
            if (isnan(got) && isfinite(want))
                snprintf(wbuf, wn, "%.*g", 6, want);
        }
        return;
    }
    int k = differ_decimals(want, got);
    int kw = show_decimals(want), kg = show_decimals(got);
    k = k > kw ? k : kw;
    k = k > kg ? k : kg;
    snprintf(wbuf, wn, "%.*f", k, want);
    snprintf(gbuf, gn, "%.*f", k, got);
}

static void entry_index(char *buf, size_t n, const Tensor *x, size_t i)
{
    if (x->ndim == 1)
        snprintf(buf, n, "[%zu]", i);
    else
        snprintf(buf, n, "[%zu, %zu]", i / x->cols, i % x->cols);
}

/* Appends "V" for one number written with k decimals (or an exponent). */
static void number_text(Text *t, double v, int k, bool exponent)
{
    if (isnan(v))
        text_puts(t, "nan");
    else if (isinf(v))
        text_puts(t, v > 0 ? "inf" : "-inf");
    else if (exponent)
        text_printf(t, "%.*e", k, v);
    else
        text_printf(t, "%.*f", k, v);
}

static void values_text(Text *t, const Tensor *x, const double *d, int k, bool exponent)
{
    size_t n = tensor_size(x);
    if (x->ndim == 2)
        text_puts(t, "[");
    for (size_t r = 0; r < x->rows; r++) {
        if (r)
            text_puts(t, ", ");
        text_puts(t, "[");
        for (size_t c = 0; c < x->cols && r * x->cols + c < n; c++) {
            if (c)
                text_puts(t, ", ");
            number_text(t, d[r * x->cols + c], k, exponent);
        }
        text_puts(t, "]");
    }
    if (x->ndim == 2)
        text_puts(t, "]");
}

/* "LHS should be WANT (RHS), but it is GOT" with both values at a
 * precision where they differ. */
static void describe_mismatch(Text *why, const Expect *x, const Value *got, const Value *want, bool literal_rhs)
{
    char ref[200] = "";
    if (!literal_rhs)
        snprintf(ref, sizeof ref, " (%s)", x->rhs);
    double gbuf[SMALL_SEQ], wbuf[SMALL_SEQ];
    const double *g, *w;
    size_t n;
    char db[96], dg[96];
    if (got->kind == VALUE_STRING && want->kind == VALUE_STRING) {
        text_printf(why, "%s should be \"%s\"%s, but it is \"%s\"", x->lhs, value_str(want), ref, value_str(got));
        return;
    }
    if (!comparable(got, want, gbuf, wbuf, &g, &w, &n)) {
        /* Different kinds or shapes: say which, with the values when they
         * are short enough to read. */
        Error e;
        char *wi = value_inline(want, FORMAT_SHORT, &e), *gi = value_inline(got, FORMAT_SHORT, &e);
        value_describe(want, db, sizeof db);
        value_describe(got, dg, sizeof dg);
        if (wi && gi && strlen(wi) <= 40 && strlen(gi) <= 40 && strcmp(wi, gi))
            text_printf(why, "%s should be %s%s, but it is %s", x->lhs, wi, ref, gi);
        else if (wi && gi && strlen(wi) <= 40)
            text_printf(why, "%s should be %s%s, but it is %s, with the same entries", x->lhs, db, ref, dg);
        else
            text_printf(why, "%s should be %s%s, but it is %s", x->lhs, db, ref, dg);
        mem_free(wi);
        mem_free(gi);
        return;
    }
    double tol;
    bool relative;
    tolerance(x->rhs, x->has_tol, x->tol, &tol, &relative);
    size_t first = n, bad = 0;
    for (size_t i = 0; i < n; i++)
        if (!near(g[i], w[i], tol, relative)) {
            if (first == n)
                first = i;
            bad++;
        }
    if (first == n)
        first = 0;
    char wb[96], gb[96];
    tutor_format_pair(w[first], g[first], wb, sizeof wb, gb, sizeof gb);
    if (!strcmp(wb, x->rhs))
        ref[0] = '\0';       /* "nan (nan)" says nothing more */
    if (n == 1 || want->kind == VALUE_NUMBER) {
        text_printf(why, "%s should be %s%s, but it is %s", x->lhs, wb, ref, gb);
        return;
    }
    const Tensor *wt = want->as.tensor;
    if (n <= 8) {
        /* The whole value, every entry at the precision of the first that
         * differs. */
        bool exponent = use_exponent(w[first], g[first]) || !isfinite(w[first]) || !isfinite(g[first]);
        int k;
        if (exponent) {
            const char *dot = strchr(wb, '.'), *ex = strchr(wb, 'e');
            k = dot && ex ? (int)(ex - dot - 1) : 4;
        } else {
            const char *dot = strchr(wb, '.');
            k = dot ? (int)strlen(dot + 1) : 0;
            for (size_t i = 0; i < n; i++) {
                int kw = show_decimals(w[i]), kg = show_decimals(g[i]);
                k = kw > k ? kw : k;
                k = kg > k ? kg : k;
            }
        }
        text_printf(why, "%s should be ", x->lhs);
        values_text(why, wt, w, k, exponent);
        text_printf(why, "%s, but it is ", ref);
        values_text(why, got->kind == VALUE_TENSOR ? got->as.tensor : wt, g, k, exponent);
        return;
    }
    char idx[64];
    entry_index(idx, sizeof idx, wt, first);
    text_printf(why, "%s%s should be %s%s, but it is %s (%zu of its %zu entries differ)", x->lhs, idx, wb, ref, gb,
                bad, n);
}

/* True when the right side of a check is a number or a list of numbers,
 * not an expression. */
static bool is_literal(const char *src)
{
    size_t n = strlen(src);
    if (n >= 2 && (src[0] == '"' || src[0] == '\'') && strchr(src + 1, src[0]) == src + n - 1)
        return true;
    return literal_decimals(src) >= 0;
}

/* --- finding lessons --------------------------------------------------------- */

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

static Lesson *open_lesson(const Tutor *t)
{
    return t->lessons[t->chapter];
}

static Step *open_step(const Tutor *t)
{
    return &t->lessons[t->chapter]->steps[t->step];
}

/* --- showing steps --------------------------------------------------------- */

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

/* The width in columns of the widest line of text. */
static int widest_line(const char *text)
{
    int best = 0, cols = 0;
    for (const char *p = text;; p++) {
        if (!*p || *p == '\n') {
            best = cols > best ? cols : best;
            cols = 0;
            if (!*p)
                break;
        } else if (((unsigned char)*p & 0xC0) != 0x80) {
            cols++;
        }
    }
    return best;
}

static void show_commands(Tutor *t)
{
    write_wrapped(t->in, "  ", 2,
                  "Commands: hint, solution, reset (the step as it began), undo, next, back, step N, lesson (this "
                  "step again), quit.");
}

static void show_step(Tutor *t)
{
    Interp *in = t->in;
    Lesson *l = open_lesson(t);
    Step *s = open_step(t);
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
        /* Code is never wrapped (a break would change the statement): on a
         * narrow terminal it moves under its label, to start further left. */
        if (widest_line(s->code) + 10 > text_width(in)) {
            interp_write(in, "  Type:\n");
            write_code(in, "    ", "    ", s->code, t->color);
        } else {
            write_code(in, "  Type:   ", "          ", s->code, t->color);
        }
        interp_write(in, "  (or press Enter to run it)\n");
    } else {
        interp_write(in, "  (press Enter to go on)\n");
    }
}

static void save_progress(Tutor *t)
{
    Error e;
    if (!progress_save(&t->progress, &e))
        interp_note(t->in, e.msg);
}

/* --- the workspace ------------------------------------------------------------ */

static void clear_all(Interp *in)
{
    size_t cursor = 0;
    const char *name;
    Value *v;
    /* A cleared variable is skipped by the walk, so the walk goes on. */
    while (interp_var_next(in, &cursor, &name, &v)) {
        char *copy = mem_strdup(name);
        if (copy)
            interp_clear(in, copy);
        mem_free(copy);
    }
}

/* Sets the student's variables aside, once, when a lesson opens. */
static bool set_aside(Tutor *t, Error *e)
{
    if (t->outside_kept)
        return true;
    if (!workspace_take(&t->outside, t->in, e))
        return false;
    t->outside_kept = true;
    return true;
}

/* Brings back the variables set aside, except those the lesson made. */
static void bring_back(Tutor *t)
{
    if (!t->outside_kept)
        return;
    Text kept = {0}, replaced = {0};
    size_t nkept = 0, nreplaced = 0;
    for (size_t i = 0; i < t->outside.n; i++) {
        WorkspaceVar *v = &t->outside.vars[i];
        if (interp_get(t->in, v->name)) {
            text_printf(&replaced, "%s%s", nreplaced++ ? ", " : "", v->name);
            continue;
        }
        Value copy;
        Error e;
        if (workspace_copy_value(&copy, &v->value, &e) && interp_set(t->in, v->name, copy, &e))
            text_printf(&kept, "%s%s", nkept++ ? ", " : "", v->name);
    }
    if (nkept && nreplaced)
        write_wrappedf(t->in, "", 0, "Your variables from before the lesson are back (%s), except %s, which the "
                                     "lesson's replaced.", kept.s, replaced.s);
    else if (nkept)
        write_wrappedf(t->in, "", 0, "Your variables from before the lesson are back (%s).", kept.s);
    else if (nreplaced)
        write_wrappedf(t->in, "", 0, "Your variables from before the lesson (%s) were replaced by the lesson's.",
                       replaced.s);
    text_free(&kept);
    text_free(&replaced);
    workspace_free(&t->outside);
    t->outside_kept = false;
}

/* --- the reference session ------------------------------------------------------ */

static void ref_close(Tutor *t)
{
    interp_delete(t->ref);
    t->ref = NULL;
    t->ref_open = false;
    t->ref_played = 0;
}

/* Brings the reference session to the state after the statements of the
 * steps before step n.  Fails only when memory runs out. */
static bool ref_to(Tutor *t, size_t n, Error *e)
{
    const Lesson *l = open_lesson(t);
    if (t->ref_open && t->ref_played > n)
        ref_close(t);
    if (!t->ref_open) {
        if (!(t->ref = own_session(t)))
            return error_nomem(e, "lesson");
        t->ref_open = true;
        t->ref_played = 0;
    }
    for (; t->ref_played < n && t->ref_played < l->nsteps; t->ref_played++) {
        Error re;
        if (l->steps[t->ref_played].code && !run_quietly(t->ref, l->steps[t->ref_played].code, &re)
            && re.code == ERROR_NOMEM) {
            ref_close(t);       /* half played: start again next time */
            return error_nomem(e, "lesson");
        }
    }
    return true;
}

/* --- the open step ---------------------------------------------------------------- */

static void free_effects(Tutor *t)
{
    for (size_t m = 0; t->effects && m < t->neffects; m++) {
        for (size_t k = 0; k < t->effects[m].nvalues; k++)
            value_free(&t->effects[m].values[k]);
        mem_free(t->effects[m].values);
    }
    mem_free(t->effects);
    t->effects = NULL;
    t->neffects = 0;
}

static void clear_undo(Tutor *t)
{
    for (size_t i = 0; i < t->nundo; i++)
        workspace_free(&t->undo[i]);
    t->nundo = 0;
}

/* Forgets everything about the open step (before the step changes). */
static void end_step(Tutor *t)
{
    free_effects(t);
    for (size_t k = 0; k < t->nwants; k++) {
        value_free(&t->wants[k].value);
        mem_free(t->wants[k].error);
    }
    mem_free(t->wants);
    t->wants = NULL;
    t->nwants = 0;
    workspace_free(&t->start);
    workspace_free(&t->ref_start);
    clear_undo(t);
}

/* Makes the open step ready to be answered: the student's variables as
 * it begins, and what each check expects, from the reference session
 * after the lesson's own statement.  Fails only when memory runs out. */
static bool begin_step(Tutor *t, Error *e)
{
    end_step(t);
    Step *s = open_step(t);
    t->hint = 0;
    t->attempts = 0;
    t->shown_mistake = -1;
    t->ref_failed = false;
    if (!workspace_take(&t->start, t->in, e))
        return false;
    if (!ref_to(t, t->step, e) || !workspace_take(&t->ref_start, t->ref, e))
        return false;
    Error re;
    bool ran = true;
    if (s->code) {
        ran = run_quietly(t->ref, s->code, &re);
        t->ref_played = t->step + 1;
        t->ref_failed = !ran;
        if (!ran && re.code == ERROR_NOMEM)
            return error_nomem(e, "lesson");
    }
    size_t n = s->question ? 1 : s->nexpects;
    t->wants = n ? mem_calloc(n, sizeof *t->wants) : NULL;
    if (n && !t->wants)
        return error_nomem(e, "lesson");
    t->nwants = n;
    for (size_t k = 0; k < n; k++) {
        Want *w = &t->wants[k];
        const char *src = s->question ? s->answer : s->expects[k].rhs;
        w->value = value_none();
        Error we;
        if (!ran) {
            error_set(&we, ERROR_ARG, "the lesson's own statement fails: %s", re.msg);
        } else {
            w->ok = interp_eval_source(t->ref, src, &w->value, &we);
            if (!w->ok && we.code == ERROR_NOMEM)
                return error_nomem(e, "lesson");
        }
        if (!w->ok) {
            w->value = value_none();
            if (!(w->error = mem_strdup(we.msg)))
                return error_nomem(e, "lesson");
        }
    }
    return true;
}

/* --- checking ---------------------------------------------------------------------- */

typedef struct Result {
    bool answered;      /* a name the check reads changed during the step */
    bool evaluated;     /* the left side evaluated */
    bool holds;
    Value got;
    char *error;        /* why it did not evaluate (owned) */
} Result;

static void results_free(Result *r, size_t n)
{
    for (size_t i = 0; r && i < n; i++) {
        value_free(&r[i].got);
        mem_free(r[i].error);
    }
    mem_free(r);
}

/* True when one of the names x reads changed since snapshot s. */
static bool reads_changed(const Interp *in, const Workspace *s, const Expect *x)
{
    for (size_t i = 0; i < x->nnames; i++)
        if (workspace_name_changed(s, in, x->names[i]))
            return true;
    return false;
}

/* Evaluates the step's checks in the student's session. */
static Result *evaluate(Tutor *t, bool *all_answered, bool *all_hold, bool *any_failed)
{
    const Step *s = open_step(t);
    Result *r = mem_calloc(s->nexpects ? s->nexpects : 1, sizeof *r);
    *all_answered = *all_hold = true;
    *any_failed = false;
    if (!r) {
        *all_answered = *all_hold = false;
        return NULL;
    }
    for (size_t k = 0; k < s->nexpects; k++) {
        const Expect *x = &s->expects[k];
        r[k].got = value_none();
        r[k].answered = reads_changed(t->in, &t->start, x);
        if (!r[k].answered) {
            *all_answered = false;
            *all_hold = false;
            continue;
        }
        Error e;
        r[k].evaluated = interp_eval_source(t->in, x->lhs, &r[k].got, &e);
        if (!r[k].evaluated) {
            r[k].got = value_none();
            r[k].error = mem_strdup(e.msg);
        } else if (k < t->nwants && t->wants[k].ok) {
            r[k].holds = tutor_values_match(&r[k].got, &t->wants[k].value, x->rhs, x->has_tol, x->tol);
        }
        if (!r[k].holds) {
            *all_hold = false;
            *any_failed = true;
        }
    }
    return r;
}

/* Text with no white space, for comparing a typed statement with a
 * mistake block's. */
static void squeeze(const char *s, char *out, size_t n)
{
    size_t j = 0;
    for (; *s && j + 1 < n; s++)
        if (!isspace((unsigned char)*s))
            out[j++] = *s;
    while (j > 0 && out[j - 1] == ';')
        j--;
    out[j] = '\0';
}

static bool same_statement(const char *a, const char *b)
{
    static char sa[4096], sb[4096];
    squeeze(a, sa, sizeof sa);
    squeeze(b, sb, sizeof sb);
    return *sa && !strcmp(sa, sb);
}

/* Runs each mistake block from the step's starting state (the reference
 * session's, before the lesson's statement) in a scratch session, and
 * keeps what each check's left side gives after it. */
static void find_effects(Tutor *t)
{
    const Step *s = open_step(t);
    if (t->effects || !s->nmistakes)
        return;
    t->effects = mem_calloc(s->nmistakes, sizeof *t->effects);
    if (!t->effects)
        return;
    t->neffects = s->nmistakes;
    for (size_t m = 0; m < s->nmistakes; m++) {
        MistakeEffect *fx = &t->effects[m];
        if (s->question || !s->nexpects)
            continue;
        Interp *scratch = own_session(t);
        Error e;
        if (scratch && workspace_restore(&t->ref_start, scratch, &e) && run_quietly(scratch, s->mistakes[m].code, &e)) {
            fx->ran = true;
            fx->values = mem_calloc(s->nexpects, sizeof *fx->values);
            fx->nvalues = fx->values ? s->nexpects : 0;
            for (size_t k = 0; fx->values && k < s->nexpects; k++)
                if (!interp_eval_source(scratch, s->expects[k].lhs, &fx->values[k], &e))
                    fx->values[k] = value_none();
        }
        interp_delete(scratch);
    }
}

/* The mistake block whose statement, run on top of the student's own
 * variables, assigns every failed check's names again and leaves their
 * values as they are: the student's state is what the mistake makes there.
 * This finds a mistake that needs the step's earlier lines (target = 5;
 * E = (L - target)**2), which cannot run from the step's starting state. */
static int fixed_point_mistake(Tutor *t, const Result *r)
{
    const Step *s = open_step(t);
    if (!s->nmistakes)
        return -1;
    Workspace now;
    Error e;
    if (!workspace_take(&now, t->in, &e))
        return -1;
    int found = -1;
    for (size_t m = 0; m < s->nmistakes && found < 0; m++) {
        Interp *scratch = own_session(t);
        Workspace before;
        bool ok = scratch && workspace_restore(&now, scratch, &e) && workspace_take(&before, scratch, &e);
        if (ok && run_quietly(scratch, s->mistakes[m].code, &e)) {
            bool any = false, all = true;
            for (size_t k = 0; k < s->nexpects && all; k++) {
                if (!r[k].answered || r[k].holds)
                    continue;
                any = true;
                bool assigned = false;
                for (size_t i = 0; i < s->expects[k].nnames && !assigned; i++)
                    assigned = interp_get(scratch, s->expects[k].names[i])
                               && interp_version(scratch, s->expects[k].names[i])
                                      != (workspace_find(&before, s->expects[k].names[i])
                                              ? workspace_find(&before, s->expects[k].names[i])->version : 0);
                Value v = value_none();
                all = assigned && r[k].evaluated && interp_eval_source(scratch, s->expects[k].lhs, &v, &e)
                   && tutor_values_match(&r[k].got, &v, s->expects[k].rhs, s->expects[k].has_tol, s->expects[k].tol);
                value_free(&v);
            }
            if (any && all)
                found = (int)m;
        }
        if (ok)
            workspace_free(&before);
        interp_delete(scratch);
    }
    workspace_free(&now);
    return found;
}

/* The mistake block the student's wrong try matches, or -1: the same
 * statement, the same values in every check that failed as the mistake
 * gives from the step's start, or a state the mistake leaves as it is. */
static int match_mistake(Tutor *t, const char *chunk, const Result *r)
{
    const Step *s = open_step(t);
    for (size_t m = 0; m < s->nmistakes; m++)
        if (same_statement(chunk, s->mistakes[m].code))
            return (int)m;
    if (!r)
        return -1;
    find_effects(t);
    for (size_t m = 0; t->effects && m < s->nmistakes; m++) {
        const MistakeEffect *fx = &t->effects[m];
        if (!fx->ran || !fx->values)
            continue;
        bool any = false, all = true;
        for (size_t k = 0; k < s->nexpects && all; k++) {
            if (!r[k].answered || r[k].holds)
                continue;
            if (!r[k].evaluated || fx->values[k].kind == VALUE_NONE) {
                all = false;
                continue;
            }
            any = true;
            all = tutor_values_match(&r[k].got, &fx->values[k], s->expects[k].rhs, s->expects[k].has_tol,
                                     s->expects[k].tol);
        }
        if (any && all)
            return (int)m;
    }
    return fixed_point_mistake(t, r);
}

/* A quiz answer that matches a mistake block's value (or its text). */
static int match_quiz_mistake(Tutor *t, const char *given, const Value *got)
{
    const Step *s = open_step(t);
    for (size_t m = 0; m < s->nmistakes; m++) {
        if (same_statement(given, s->mistakes[m].code))
            return (int)m;
        Value v = value_none();
        Error e;
        if (got && t->ref_open && interp_eval_source(t->ref, s->mistakes[m].code, &v, &e)) {
            bool same = tutor_values_match(got, &v, s->mistakes[m].code, s->answer_has_tol, s->answer_tol);
            value_free(&v);
            if (same)
                return (int)m;
        }
    }
    return -1;
}

static void show_mistake(Tutor *t, int m)
{
    const Step *s = open_step(t);
    if (m < 0 || (size_t)m >= s->nmistakes)
        return;
    Error e;
    char *msg = render_markdown(s->mistakes[m].message, text_width(t->in) - 2, t->color, &e);
    if (msg) {
        /* The renderer's margin is two columns; the message sits under
         * the ✗ lines, two further in. */
        Text out = {0};
        for (const char *p = msg; *p;) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            if (len)
                text_printf(&out, "  %.*s\n", (int)len, p);
            else
                text_puts(&out, "\n");
            p += len + (nl ? 1 : 0);
        }
        if (!out.failed)
            interp_write(t->in, out.s);
        text_free(&out);
    }
    mem_free(msg);
    t->shown_mistake = m;
}

static void report_checks(Tutor *t, const Result *r, int mistake)
{
    const Step *s = open_step(t);
    char lead[48];
    snprintf(lead, sizeof lead, "  %s ", red(t));
    for (size_t k = 0; k < s->nexpects; k++) {
        if (!r[k].answered || r[k].holds)
            continue;
        const Expect *x = &s->expects[k];
        Text why = {0};
        if (!r[k].evaluated)
            text_printf(&why, "%s cannot be worked out: %s", x->lhs, r[k].error ? r[k].error : "?");
        else if (k >= t->nwants || !t->wants[k].ok)
            text_printf(&why, "this check is broken in the lesson, not in your work: its value %s does not evaluate (%s)",
                        x->rhs, k < t->nwants && t->wants[k].error ? t->wants[k].error : "?");
        else
            describe_mismatch(&why, x, &r[k].got, &t->wants[k].value, is_literal(x->rhs));
        if (!why.failed)
            write_wrapped(t->in, lead, 4, why.s);
        text_free(&why);
        /* A name the student changed more than once in this step. */
        for (size_t i = 0; t->attempts >= 2 && i < x->nnames; i++) {
            WorkspaceVar *was = workspace_find(&t->start, x->names[i]);
            if (!was || !workspace_name_changed(&t->start, t->in, x->names[i]) || !strcmp(x->names[i], "ans"))
                continue;
            Error e;
            char *v = value_inline(&was->value, FORMAT_SHORT, &e);
            write_wrappedf(t->in, "    ", 4, "Your earlier tries in this step changed %s (it was %s when the step "
                                              "began): reset puts it back, then try once more.", x->names[i], v ? v : "?");
            mem_free(v);
        }
    }
    show_mistake(t, mistake);
    write_wrapped(t->in, "  ", 2, "Not yet. Type hint for a hint, or press Enter to run the suggested statement.");
}

static void report_success(Tutor *t)
{
    const Step *s = open_step(t);
    Text line = {0};
    for (size_t i = 0; i < s->nexpects; i++) {
        const Expect *x = &s->expects[i];
        text_printf(&line, "%s%s = ", i ? ", " : "", x->lhs);
        /* A literal as written; a reference by its value, or, for a
         * matrix too big to read on one line, by its name. */
        const Value *w = i < t->nwants && t->wants[i].ok ? &t->wants[i].value : NULL;
        if (is_literal(x->rhs) || !w || (w->kind == VALUE_TENSOR && tensor_size(w->as.tensor) > 4)) {
            text_puts(&line, x->rhs);
        } else {
            Error e;
            char *v = value_inline(&t->wants[i].value, FORMAT_SHORT, &e);
            text_puts(&line, v ? v : x->rhs);
            mem_free(v);
        }
    }
    if (!s->nexpects)
        text_puts(&line, "done");
    char lead[48];
    snprintf(lead, sizeof lead, "  %s ", green(t));
    if (!line.failed)
        write_wrapped(t->in, lead, 4, line.s);
    text_free(&line);
}

/* A statement that did not run, in the tutor's words, with the caret
 * under the column it points at. */
static void report_error(Tutor *t, const char *chunk, Error *e)
{
    const char *lead;
    switch (e->code) {
    case ERROR_SHAPE: lead = "The shapes do not fit together"; break;
    case ERROR_NAME: lead = "A name there is not known"; break;
    case ERROR_SYNTAX: lead = "nudge cannot read that statement"; break;
    case ERROR_TYPE: lead = "A value there is of the wrong kind"; break;
    case ERROR_ARG: lead = "An argument there is not right"; break;
    case ERROR_INTERRUPT: lead = "Stopped"; break;
    default: lead = "That did not run"; break;
    }
    char mark[48];
    snprintf(mark, sizeof mark, "  %s ", red(t));
    write_wrappedf(t->in, mark, 4, "%s: %s", lead, e->msg);
    if (e->col > 0) {
        const char *p = chunk;
        for (int i = 1; i < (e->line > 0 ? e->line : 1) && p; i++) {
            p = strchr(p, '\n');
            if (p)
                p++;
        }
        if (p && *p) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            Error re;
            char *c = render_caret(p, len, e->col, 4, text_width(t->in), &re);
            if (c)
                interp_write(t->in, c);
            mem_free(c);
        }
    }
    const Step *s = open_step(t);
    int m = -1;
    for (size_t i = 0; i < s->nmistakes && m < 0; i++)
        if (same_statement(chunk, s->mistakes[i].code))
            m = (int)i;
    show_mistake(t, m);
    write_wrapped(t->in, "  ", 2, "Nothing changed. Type hint for a hint, or press Enter to run the suggested statement.");
    e->shown = true;
}

/* --- moving between steps -------------------------------------------------------- */

static void leave(Tutor *t)
{
    end_step(t);
    ref_close(t);
    t->chapter = 0;
    t->step = 0;
}

static void show_hint(Tutor *t)
{
    const Step *s = open_step(t);
    if (s->nhints == 0) {
        interp_printf(t->in, "  (this step has no hint; solution shows the %s)\n", s->question ? "answer" : "statement");
        return;
    }
    Error e;
    char *h = render_markdown(s->hints[t->hint % s->nhints], text_width(t->in) - 4, t->color, &e);
    interp_printf(t->in, "  hint %zu of %zu:\n%s\n", t->hint % s->nhints + 1, s->nhints, h ? h : s->hints[t->hint % s->nhints]);
    mem_free(h);
    t->hint++;
}

/* Closes the lesson after memory ran out where it must not. */
static void give_up(Tutor *t, const Error *e)
{
    write_wrappedf(t->in, "error: ", 2, "%s; the lesson is closed (lesson %d resumes it)", e->msg, t->chapter);
    leave(t);
}

/* Moves on after a step was completed (done) or skipped. */
static void advance(Tutor *t, bool done)
{
    Lesson *l = open_lesson(t);
    ChapterProgress *cp = &t->progress.ch[t->chapter];
    if (done && cp->done < t->step + 1)
        cp->done = t->step + 1;
    end_step(t);
    t->step++;
    if (t->step >= l->nsteps) {
        cp->step = 0;
        if (done)
            cp->done = l->nsteps;
        save_progress(t);
        int next = t->chapter + 1;
        while (next <= LESSON_MAX_CHAPTERS && !has_chapter(t, next))
            next++;
        char lead[48];
        snprintf(lead, sizeof lead, "%s ", green(t));
        interp_write(t->in, "\n");
        if (next <= LESSON_MAX_CHAPTERS)
            write_wrappedf(t->in, lead, 2, "Chapter %d is done. Type lesson %d for the next chapter, or lessons to "
                                           "see them all.", t->chapter, next);
        else
            write_wrappedf(t->in, lead, 2, "Chapter %d is done. That was the last chapter: well done.", t->chapter);
        leave(t);
        return;
    }
    cp->step = t->step;
    save_progress(t);
    Error e;
    if (!begin_step(t, &e)) {
        give_up(t, &e);
        return;
    }
    show_step(t);
}

/* Puts the workspace in the state the lesson's own statements give before
 * step n: a clean workspace, then every earlier step's statement, quietly.
 * Fails only when memory runs out. */
static bool replay_to(Tutor *t, size_t n, Error *e)
{
    const Lesson *l = open_lesson(t);
    clear_all(t->in);
    for (size_t i = 0; i < n && i < l->nsteps; i++) {
        Error re;
        if (l->steps[i].code && !run_quietly(t->in, l->steps[i].code, &re) && re.code == ERROR_NOMEM)
            return error_nomem(e, "lesson");
    }
    return true;
}

/* Jumps to step n (0-based) of the open chapter. */
static bool go_to(Tutor *t, size_t n, bool say, Error *e)
{
    end_step(t);
    t->step = n;
    t->progress.ch[t->chapter].step = n;
    save_progress(t);
    if (!replay_to(t, n, e) || !begin_step(t, e)) {
        give_up(t, e);
        return false;
    }
    if (say && n == 1)
        write_wrapped(t->in, "", 0, "\nThe workspace now holds what step 1 makes: its statement was run again for "
                                    "you, in a clean workspace.");
    else if (say && n > 1)
        write_wrappedf(t->in, "", 0, "\nThe workspace now holds what steps 1 to %zu make: their statements were run "
                                     "again for you, in a clean workspace.", n);
    else if (say)
        write_wrapped(t->in, "", 0, "\nThe workspace is clean again, as the chapter starts.");
    show_step(t);
    return true;
}

bool tutor_start(Tutor *t, int chapter, bool restart, Error *e)
{
    Lesson *l = lesson_of(t, chapter, e);
    if (!l)
        return false;
    int was_open = t->chapter;
    if (was_open)
        leave(t);
    else if (!set_aside(t, e))
        return false;
    size_t outside = t->outside_kept ? t->outside.n : 0;
    ChapterProgress *cp = &t->progress.ch[chapter];
    t->chapter = chapter;
    t->step = restart || cp->step >= l->nsteps ? 0 : cp->step;
    if (!replay_to(t, t->step, e) || !begin_step(t, e)) {
        /* Nothing opens, and the student's own variables come back. */
        leave(t);
        clear_all(t->in);
        if (t->outside_kept) {
            Error we;
            workspace_restore(&t->outside, t->in, &we);
            workspace_free(&t->outside);
            t->outside_kept = false;
        }
        return false;
    }
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
        Error re;
        char *intro = render_blocks(l->intro, l->intro_stop, text_width(t->in), t->color, &re);
        if (intro) {
            interp_write(t->in, "\n");
            interp_write(t->in, intro);
            mem_free(intro);
        }
    }
    interp_write(t->in, "\n");
    if (was_open && was_open != chapter)
        write_wrappedf(t->in, "  ", 2, "This chapter starts in a clean workspace (chapter %d's variables were "
                                       "cleared; lesson %d brings them back).", was_open, was_open);
    else if (outside && !was_open)
        write_wrappedf(t->in, "  ", 2, "This chapter starts in a clean workspace: your %zu variable%s %s set aside "
                                       "until you leave the lesson with quit.", outside, outside == 1 ? "" : "s",
                       outside == 1 ? "is" : "are");
    else
        write_wrapped(t->in, "  ", 2, "This chapter starts in a clean workspace.");
    if (t->step > 0)
        write_wrappedf(t->in, "  ", 2, "Welcome back: resuming at step %zu of %zu (the earlier steps' statements "
                                       "were run again, so their variables are here).", t->step + 1, l->nsteps);
    show_commands(t);
    show_step(t);
    return true;
}

/* --- the student's input ----------------------------------------------------------- */

static bool blank(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

/* The tutor's own command words: they act on the lesson, never as a
 * statement of the step. */
static const char *const tutor_words[] = { "lessons", "lesson", "next", "back", "hint", "solution",
                                           "reset", "undo", "step", "goto", "quit" };

/* True when the chunk starts with one of the tutor's own command words
 * (next, hint, reset, ...). */
static bool starts_with_tutor_command(Interp *in, const char *chunk)
{
    const char *p = chunk;
    while (*p == ' ' || *p == '\t')
        p++;
    const char *q = p;
    while (isalnum((unsigned char)*q) || *q == '_')
        q++;
    if (q == p)
        return false;
    if (!interp_find_command(in, p, (size_t)(q - p)))
        return false;
    bool ours = false;
    for (size_t i = 0; i < sizeof tutor_words / sizeof tutor_words[0] && !ours; i++)
        ours = strlen(tutor_words[i]) == (size_t)(q - p) && !strncmp(tutor_words[i], p, (size_t)(q - p));
    if (!ours)
        return false;
    while (*q == ' ' || *q == '\t')
        q++;
    return *q != '=' && *q != '(';
}

static bool check_answer(Tutor *t, const char *given)
{
    Interp *in = t->in;
    const Step *s = open_step(t);
    Value got = value_none();
    Error e;
    char lead[48];
    snprintf(lead, sizeof lead, "  %s ", red(t));
    bool ok = false;
    int m = -1;
    if (!interp_eval_source(in, given, &got, &e)) {
        write_wrappedf(in, lead, 4, "That does not work out as an answer: %s", e.msg);
        m = match_quiz_mistake(t, given, NULL);
    } else if (!t->nwants || !t->wants[0].ok) {
        write_wrappedf(in, lead, 4, "This question is broken in the lesson, not in your answer: its answer %s does "
                                    "not evaluate (%s)", s->answer, t->nwants && t->wants[0].error ? t->wants[0].error : "?");
    } else if (!(ok = tutor_values_match(&got, &t->wants[0].value, s->answer, s->answer_has_tol, s->answer_tol))) {
        /* The student's value, at a precision where it differs from the
         * answer (which it does not give away). */
        double gbuf[SMALL_SEQ], wbuf[SMALL_SEQ];
        const double *g, *w;
        size_t n = 0;
        char wb[96], gb[96];
        char *gi = NULL;
        if (comparable(&got, &t->wants[0].value, gbuf, wbuf, &g, &w, &n) && n == 1)
            tutor_format_pair(*w, *g, wb, sizeof wb, gb, sizeof gb);
        else
            gi = value_inline(&got, FORMAT_SHORT, &e);
        write_wrappedf(in, lead, 4, "Not quite: %s is not the answer.", gi ? gi : n == 1 ? gb : given);
        mem_free(gi);
        m = match_quiz_mistake(t, given, &got);
    }
    value_free(&got);
    if (!ok) {
        show_mistake(t, m);
        write_wrapped(in, "  ", 2, "Try again, or type hint for a hint (next shows the answer and moves on).");
    }
    return ok;
}

static bool reset_step(Tutor *t, bool say, Error *e);

/* Runs one statement of the student's in a step with checks. */
static bool answer_step(Tutor *t, const char *chunk, bool *ok, Error *e)
{
    Interp *in = t->in;
    const Step *s = open_step(t);
    Workspace before;
    Error se;
    bool have_before = workspace_take(&before, in, &se);
    if (!interp_run(in, chunk, e)) {
        /* A failed statement changes nothing. */
        if (have_before)
            workspace_free(&before);
        report_error(t, chunk, e);
        *ok = false;
        return true;
    }
    if (!have_before) {
        write_wrappedf(in, "note: ", 2, "%s (undo will not work for this statement)", se.msg);
        before.vars = NULL;
        before.n = 0;
    } else if (!workspace_differs(&before, in)) {
        workspace_free(&before);
        return true;        /* nothing changed: nothing to check or undo */
    }
    bool touched = false;
    for (size_t k = 0; k < s->nexpects && !touched; k++)
        touched = reads_changed(in, &before, &s->expects[k]);
    if (have_before) {
        if (t->nundo == TUTOR_MAX_UNDO) {
            workspace_free(&t->undo[0]);
            memmove(&t->undo[0], &t->undo[1], (TUTOR_MAX_UNDO - 1) * sizeof t->undo[0]);
            t->nundo--;
        }
        t->undo[t->nundo++] = before;
    }
    if (!touched && s->nexpects)
        return true;        /* unrelated to this step: it waits, silently */
    t->attempts++;
    bool all_answered, all_hold, any_failed;
    Result *r = evaluate(t, &all_answered, &all_hold, &any_failed);
    if (all_answered && all_hold) {
        results_free(r, s->nexpects);
        report_success(t);
        t->passed = true;
        advance(t, true);
        return true;
    }
    if (any_failed && r)
        report_checks(t, r, match_mistake(t, chunk, r));
    results_free(r, s->nexpects);
    return true;
}

static bool on_chunk(void *ctx, Interp *in, const char *chunk, bool *ok, Error *e)
{
    Tutor *t = ctx;
    *ok = true;
    t->passed = false;
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
    if (!t->chapter || starts_with_tutor_command(in, chunk))
        return false;
    const Step *s = open_step(t);
    if (blank(chunk)) {
        if (s->question) {
            write_wrapped(in, "  (", 3, "type your answer: a number or an expression; next skips the question)");
            return true;
        }
        if (!s->code) {
            advance(t, true);
            return true;
        }
        /* The suggestion runs from where the step began, so that an
         * earlier slip in this step cannot make it fail too. */
        if (workspace_differs(&t->start, in)) {
            Error re;
            if (reset_step(t, false, &re))
                write_wrapped(in, "  (", 3, "the variables are back as they were when this step began; now its "
                                            "statement runs)");
        }
        write_code(in, ">> ", "... ", s->code, false);
        chunk = s->code;
    }
    if (s->question) {
        if (check_answer(t, chunk)) {
            interp_printf(in, "  %s right: %s\n", green(t), s->answer);
            t->passed = true;
            advance(t, true);
        }
        return true;
    }
    if (!s->code) {
        /* A step to read: statements run as usual; Enter moves on. */
        if (!interp_run(in, chunk, e))
            *ok = false;
        return true;
    }
    return answer_step(t, chunk, ok, e);
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
        interp_printf(in, "  (step %d.%zu again)\n", t->chapter, t->step + 1);
        show_step(t);
        return true;
    }
    char *end;
    errno = 0;
    long n = strtol(arg, &end, 10);
    while (*end == ' ')
        end++;
    if (end == arg)
        return error_set(e, ERROR_ARG, "lesson: give a chapter number, as in lesson 3");
    if (*end && strcmp(end, "restart"))
        return error_set(e, ERROR_ARG, "lesson: after the number only 'restart' may follow");
    if (errno == ERANGE || n < 1 || n > LESSON_MAX_CHAPTERS)
        return no_such_chapter(t, n, e);
    if (*end) {
        if (!lesson_of(t, (int)n, e))
            return false;
        const ChapterProgress *cp = &t->progress.ch[n];
        if (cp->done == 0 && cp->step == 0)
            return tutor_start(t, (int)n, true, e);
        write_wrappedf(in, "", 0, "Start chapter %ld again from the first step? Your progress there (%zu steps done) "
                                  "will be reset.", n, cp->done);
        t->confirm_restart = (int)n;
        return true;
    }
    return tutor_start(t, (int)n, false, e);
}

static bool need_lesson(Tutor *t, const char *cmd, Error *e)
{
    if (t->chapter)
        return true;
    return error_set_in(e, ERROR_ARG, cmd, "no lesson is open; type lessons to see them, lesson 1 to begin");
}

static bool no_argument(const char *cmd, const char *arg, Error *e)
{
    if (!*arg)
        return true;
    return error_set(e, ERROR_ARG, "%s takes nothing after it", cmd);
}

/* Lists, comma-separated, the variables whose value differs between ws
 * and in (added, removed or changed); returns how many. */
static size_t list_changes(const Workspace *ws, const Interp *in, Text *names)
{
    size_t n = 0, cursor = 0;
    const char *name;
    Value *now;
    while (interp_var_next(in, &cursor, &name, &now)) {
        const WorkspaceVar *was = workspace_find(ws, name);
        if (!was || !workspace_same_value(now, &was->value))
            text_printf(names, "%s%s", n++ ? ", " : "", name);
    }
    for (size_t i = 0; i < ws->n; i++)
        if (!interp_get(in, ws->vars[i].name))
            text_printf(names, "%s%s", n++ ? ", " : "", ws->vars[i].name);
    return n;
}

/* Puts the step's variables back as they were when it began. */
static bool reset_step(Tutor *t, bool say, Error *e)
{
    Text names = {0};
    size_t n = list_changes(&t->start, t->in, &names);
    if (!workspace_restore(&t->start, t->in, e)) {
        text_free(&names);
        return false;
    }
    workspace_rebase(&t->start, t->in);
    clear_undo(t);
    t->attempts = 0;
    if (say && n)
        write_wrappedf(t->in, "  ", 2, "The variables are back as they were when step %d.%zu began (%s).", t->chapter,
                       t->step + 1, names.s);
    else if (say)
        write_wrappedf(t->in, "  ", 2, "Nothing to put back: the variables are as they were when step %d.%zu began.",
                       t->chapter, t->step + 1);
    text_free(&names);
    return true;
}

static bool cmd_reset(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    Tutor *t = tutor_of(in);
    if (!need_lesson(t, "reset", e) || !no_argument("reset", arg, e))
        return false;
    return reset_step(t, true, e);
}

static bool cmd_undo(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    Tutor *t = tutor_of(in);
    if (!need_lesson(t, "undo", e) || !no_argument("undo", arg, e))
        return false;
    if (!t->nundo)
        return error_set(e, ERROR_ARG, "undo: nothing to take back in this step (reset puts the step back as it began)");
    Workspace *top = &t->undo[t->nundo - 1];
    Text names = {0};
    size_t n = list_changes(top, in, &names);
    if (!workspace_restore(top, in, e)) {
        text_free(&names);
        return false;
    }
    workspace_free(top);
    t->nundo--;
    workspace_rebase(&t->start, in);
    write_wrappedf(in, "  ", 2, "Took back your last statement (%s %s as before it).", n ? names.s : "nothing",
                   n == 1 ? "is" : "are");
    text_free(&names);
    return true;
}

static bool cmd_solution(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    Tutor *t = tutor_of(in);
    if (!need_lesson(t, "solution", e) || !no_argument("solution", arg, e))
        return false;
    const Step *s = open_step(t);
    if (s->question)
        interp_printf(in, "  The answer is %s (type it, or next to move on).\n", s->answer);
    else if (s->code) {
        interp_write(in, "  The lesson's statement (not run; press Enter to run it):\n");
        write_code(in, "    ", "    ", s->code, t->color);
    } else
        interp_write(in, "  This step has nothing to type: press Enter to go on.\n");
    return true;
}

static bool cmd_next(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    Tutor *t = tutor_of(in);
    if (!need_lesson(t, "next", e) || !no_argument("next", arg, e))
        return false;
    const Step *s = open_step(t);
    if (s->question) {
        interp_printf(in, "  (the answer was %s)\n", s->answer);
    } else if (s->code) {
        /* Later steps build on this one's variables: run its statement
         * from where the step began. */
        Error re;
        reset_step(t, false, &re);
        if (run_quietly(in, s->code, &re))
            write_wrapped(in, "  ", 2, "(skipped: the step's statement was run for you, so the next steps have "
                                       "its variables)");
    }
    advance(t, false);
    return true;
}

static bool cmd_back(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    Tutor *t = tutor_of(in);
    if (!need_lesson(t, "back", e) || !no_argument("back", arg, e))
        return false;
    if (t->step == 0)
        return error_set(e, ERROR_ARG, "back: this is the first step");
    return go_to(t, t->step - 1, true, e);
}

static bool cmd_step(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    Tutor *t = tutor_of(in);
    if (!need_lesson(t, "step", e))
        return false;
    const Lesson *l = open_lesson(t);
    char *end;
    errno = 0;
    long n = strtol(arg, &end, 10);
    while (*end == ' ')
        end++;
    if (end == arg || *end)
        return error_set(e, ERROR_ARG, "step: give a step number, as in step 3 (this chapter has %zu steps)", l->nsteps);
    if (errno == ERANGE || n < 1 || (size_t)n > l->nsteps)
        return error_set(e, ERROR_ARG, "step: chapter %d has steps 1 to %zu", t->chapter, l->nsteps);
    return go_to(t, (size_t)n - 1, true, e);
}

static bool cmd_hint(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    Tutor *t = tutor_of(in);
    if (!need_lesson(t, "hint", e) || !no_argument("hint", arg, e))
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
        write_wrappedf(in, "", 0, "Left chapter %d at step %zu; the lesson's variables stay. lesson %d resumes.",
                       t->chapter, t->step + 1, t->chapter);
        leave(t);
        bring_back(t);
        return true;
    }
    interp_set_quit(in, true);
    return true;
}

static const Command commands[] = {
    { "lessons", cmd_lessons, "lessons", "Lists the chapters' lessons with your progress in each." },
    { "lesson", cmd_lesson, "lesson [N [restart]]",
      "lesson N opens chapter N's guided lesson where you left it, in a clean workspace; lesson N restart "
      "starts it again (after asking); lesson alone shows the current step again." },
    { "next", cmd_next, "next",
      "Skips to the next step of the lesson (a skipped step's statement is run for you, so later steps "
      "have its variables)." },
    { "back", cmd_back, "back", "Goes back one step in the lesson, replaying the steps before it." },
    { "hint", cmd_hint, "hint", "Shows a hint for the current step of the lesson, the next one each time." },
    { "solution", cmd_solution, "solution",
      "Shows the current step's suggested statement (or a question's answer) without running it." },
    { "reset", cmd_reset, "reset", "Puts your variables back as they were when the current step began." },
    { "undo", cmd_undo, "undo", "Takes back your last statement in the current step." },
    { "step", cmd_step, "step N", "Jumps to step N of the open chapter, replaying the lesson's statements before it." },
    { "goto", cmd_step, "goto N", "The same as step N." },
    { "quit", cmd_quit, "quit",
      "Leaves the open lesson (keeping its variables and bringing back yours), or else leaves nudge." },
};
static const size_t ncommands = sizeof commands / sizeof commands[0];

void tutor_install(Tutor *t, Interp *in, const char *lessons_dir, const char *progress_path, bool color)
{
    memset(t, 0, sizeof *t);
    t->in = in;
    t->color = color;
    t->shown_mistake = -1;
    t->dir = lessons_dir ? mem_strdup(lessons_dir) : lesson_find_dir();
    t->dir_nomem = lessons_dir && !t->dir;
    Error e;
    if (!progress_load(&t->progress, progress_path, &e))
        interp_note(in, e.msg);
    interp_add_commands(in, commands, ncommands, t);
    SessionHooks hooks = { on_chunk, prompt, t };
    interp_set_hooks(in, &hooks);
}

void tutor_free(Tutor *t)
{
    if (t->chapter)
        leave(t);
    ref_close(t);
    workspace_free(&t->outside);
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
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0)
        write(ctx, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

typedef struct Checker {
    const Lesson *l;
    WriteFn write;
    void *ctx;
    int defects;
    size_t checks, mistakes;
    bool nomem;         /* memory ran out: later findings are not the lesson's */
} Checker;

/* True when memory has run out.  The engine turns a failed allocation
 * into quieter output or an unanswered check, which would read as a
 * lesson defect (or, worse, as a pass); so before a finding or a verdict
 * is reported, a small allocation is tried. */
static bool out_of_memory(void)
{
    void *p = mem_alloc(1);
    mem_free(p);
    return p == NULL;
}

static void defect(Checker *c, size_t step, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* One lesson defect, as a compiler reports an error: file, line, step. */
static void defect(Checker *c, size_t step, int line, const char *fmt, ...)
{
    char buf[1536];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    const Step *s = &c->l->steps[step];
    c->defects++;
    if (c->nomem || out_of_memory()) {
        if (!c->nomem)
            say(c->write, c->ctx, "%s:%d: step %d.%zu \"%s\": out of memory\n", c->l->path, line, c->l->chapter,
                step + 1, s->title);
        c->nomem = true;
        return;
    }
    say(c->write, c->ctx, "%s:%d: step %d.%zu \"%s\": %s\n", c->l->path, line, c->l->chapter, step + 1, s->title, buf);
}

/* Statements that answer no step: typed at every step, none may pass it. */
static const char *const unrelated[] = { "1 + 1", "nudge_unrelated = 12345", "zeros(2, 3)" };

static void collect_output(void *ctx, const char *text, size_t len)
{
    text_append(ctx, text, len);
}

static bool type_chunk(Interp *in, Text *out, const char *chunk, Error *e)
{
    text_free(out);
    *out = (Text){0};
    return interp_run_chunk(in, chunk, e);
}

/* True when text holds tok as a whole token (not inside a longer number or
 * name). */
static bool has_token(const char *text, const char *tok)
{
    size_t n = strlen(tok);
    for (const char *p = strstr(text, tok); p; p = strstr(p + 1, tok)) {
        /* A '.' belongs to the number only when a digit follows it: "42."
         * ends a sentence, "42.5" is another number. */
        bool left = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_'
                                   || (p[-1] == '.' && p - 1 > text && isdigit((unsigned char)p[-2])));
        bool right = !(isalnum((unsigned char)p[n]) || p[n] == '_'
                       || (p[n] == '.' && isdigit((unsigned char)p[n + 1])));
        if (left && right)
            return true;
    }
    return false;
}

/* The first hint leads to the answer without giving it: it may not hold
 * the suggested statement, nor an expected number of two or more
 * characters, nor the quiz's answer. */
static void check_first_hint(Checker *c, size_t i)
{
    const Step *s = &c->l->steps[i];
    if (!s->nhints)
        return;
    const char *h = s->hints[0];
    if (s->code) {
        for (const char *p = s->code; *p;) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            char line[512];
            snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
            if (strlen(line) > 6 && strstr(h, line))
                defect(c, i, s->hint_lines[0], "the first hint gives the statement away (%s); keep it for a later hint",
                       line);
            p += len + (nl ? 1 : 0);
        }
    }
    for (size_t k = 0; k < s->nexpects; k++) {
        const char *v = s->expects[k].rhs;
        if (literal_decimals(v) >= 0 && !strchr(v, '[') && strlen(v) >= 2 && has_token(h, v))
            defect(c, i, s->hint_lines[0], "the first hint gives the answer away (%s); keep it for a later hint", v);
    }
    if (s->question && literal_decimals(s->answer) >= 0 && strlen(s->answer) >= 1 && has_token(h, s->answer))
        defect(c, i, s->hint_lines[0], "the first hint gives the answer away (%s); keep it for a later hint", s->answer);
}

enum { TUTOR_MAX_CODE_COLUMNS = 70 };

static void check_static(Checker *c, size_t i)
{
    const Step *s = &c->l->steps[i];
    if (s->code && !s->nexpects)
        defect(c, i, s->line, "a step with a statement needs an expect block, or any statement would pass it");
    if (s->nmistakes && !s->nexpects && !s->question)
        defect(c, i, s->mistakes[0].line, "a mistake block needs checks or a quiz in its step");
    for (const char *p = s->code; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        int cols = 0;
        for (size_t k = 0; k < len; k++)
            if (((unsigned char)p[k] & 0xC0) != 0x80)
                cols++;
        if (cols > TUTOR_MAX_CODE_COLUMNS)
            defect(c, i, s->line, "a suggested line of %d columns wraps on an 80-column terminal (at most %d): %.40s…",
                   cols, TUTOR_MAX_CODE_COLUMNS, p);
        p += len + (nl ? 1 : 0);
    }
    check_first_hint(c, i);
}

/* Says why the step's own statement did not pass it, check by check. */
static void explain_failure(Checker *c, Tutor *t, size_t i)
{
    const Step *s = &c->l->steps[i];
    bool all_answered, all_hold, any_failed;
    Result *r = evaluate(t, &all_answered, &all_hold, &any_failed);
    bool said = false;
    for (size_t k = 0; r && k < s->nexpects; k++) {
        const Expect *x = &s->expects[k];
        if (!r[k].answered) {
            defect(c, i, x->line, "the check %s reads nothing the step's statement sets, so no statement can answer it",
                   x->lhs);
        } else if (!r[k].evaluated) {
            defect(c, i, x->line, "%s: %s", x->lhs, r[k].error ? r[k].error : "?");
        } else if (k >= t->nwants || !t->wants[k].ok) {
            defect(c, i, x->line, "the lesson's value %s does not evaluate: %s", x->rhs,
                   k < t->nwants && t->wants[k].error ? t->wants[k].error : "?");
        } else if (!r[k].holds) {
            Text why = {0};
            describe_mismatch(&why, x, &r[k].got, &t->wants[k].value, is_literal(x->rhs));
            defect(c, i, x->line, "%s", why.failed ? "out of memory" : why.s);
            text_free(&why);
        } else {
            continue;
        }
        said = true;
    }
    results_free(r, s->nexpects);
    if (!said)
        defect(c, i, s->line, "the step's own statement does not pass it");
}

/* Opens step i again after a statement moved past it. */
static bool return_to(Tutor *t, const Lesson *l, size_t i, Error *e)
{
    if (t->chapter != l->chapter && !tutor_start(t, l->chapter, false, e))
        return false;
    return go_to(t, i, false, e);
}

/* Plays one lesson through the engine; returns its defects. */
static int check_lesson(Lesson *l, const char *dir, InterpSetup setup, WriteFn write, void *ctx, Checker *c)
{
    Text out = {0};
    Interp *in = interp_new(collect_output, &out);
    if (!in) {
        say(write, ctx, "%s: out of memory\n", l->path);
        c->nomem = true;
        return 1;
    }
    interp_set_width(in, 80);
    if (setup)
        setup(in);
    Tutor t;
    tutor_install(&t, in, dir, NULL, false);
    t.setup = setup;
    t.lessons[l->chapter] = l;          /* borrowed: handed back before tutor_free */
    c->l = l;
    c->write = write;
    c->ctx = ctx;
    Error e;
    if (!tutor_start(&t, l->chapter, true, &e)) {
        say(write, ctx, "%s: %s\n", l->path, e.msg);
        c->defects++;
    }
    for (size_t i = 0; i < l->nsteps && t.chapter == l->chapter && t.step == i; i++) {
        const Step *s = &l->steps[i];
        check_static(c, i);
        c->checks += s->nexpects + (s->question ? 1 : 0);
        c->mistakes += s->nmistakes;
        /* What the checks expect must exist. */
        for (size_t k = 0; k < t.nwants && !s->question && !t.ref_failed; k++)
            if (!t.wants[k].ok)
                defect(c, i, s->expects[k].line, "the lesson's value %s does not evaluate after the step's statement: %s",
                       s->expects[k].rhs, t.wants[k].error ? t.wants[k].error : "?");
        if (s->question && (!t.nwants || !t.wants[0].ok))
            defect(c, i, s->quiz_line, "the quiz answer %s does not evaluate: %s", s->answer,
                   t.nwants && t.wants[0].error ? t.wants[0].error : "?");
        /* Each check must be able to fail: it may not hold already. */
        for (size_t k = 0; k < s->nexpects && k < t.nwants; k++) {
            Value got = value_none();
            Error ge;
            if (t.wants[k].ok && interp_eval_source(in, s->expects[k].lhs, &got, &ge)
                && tutor_values_match(&got, &t.wants[k].value, s->expects[k].rhs, s->expects[k].has_tol,
                                      s->expects[k].tol))
                defect(c, i, s->expects[k].line,
                       "the check %s = %s already holds before the step's statement runs, so it cannot tell a right "
                       "answer from none", s->expects[k].lhs, s->expects[k].rhs);
            value_free(&got);
        }
        /* A statement step without checks is reported above; any
         * statement would pass it, so the walks below would only repeat
         * that. */
        bool has_work = (s->code && s->nexpects) || s->question;
        /* No unrelated statement passes the step. */
        for (size_t u = 0; has_work && u < sizeof unrelated / sizeof unrelated[0]; u++) {
            type_chunk(in, &out, unrelated[u], &e);
            if (t.chapter != l->chapter || t.step != i) {
                defect(c, i, s->line, "the step passes on the unrelated statement %s", unrelated[u]);
                if (!return_to(&t, l, i, &e))
                    break;
            } else {
                reset_step(&t, false, &e);
            }
        }
        /* Each mistake block keeps the step and shows its message. */
        for (size_t m = 0; m < s->nmistakes; m++) {
            t.shown_mistake = -1;
            type_chunk(in, &out, s->mistakes[m].code, &e);
            if (t.chapter != l->chapter || t.step != i) {
                defect(c, i, s->mistakes[m].line, "the step passes on its mistake block %s", s->mistakes[m].code);
                if (!return_to(&t, l, i, &e))
                    break;
                continue;
            }
            if (t.shown_mistake != (int)m)
                defect(c, i, s->mistakes[m].line, "typing the mistake %s does not show its message%s%s",
                       s->mistakes[m].code, t.shown_mistake >= 0 ? " (another mistake block's shows)" : "",
                       t.shown_mistake >= 0 ? "" : "; the step's checks do not tell it from a right answer");
            reset_step(&t, false, &e);
        }
        /* The lesson's own statement (or answer) passes. */
        bool ran = type_chunk(in, &out, s->question ? s->answer : "", &e);
        if (t.chapter == l->chapter && t.step == i) {
            if (s->question && t.nwants && t.wants[0].ok)
                defect(c, i, s->quiz_line, "the quiz does not accept its own answer %s", s->answer);
            else if (s->question)
                ;       /* its answer does not evaluate: said above */
            else if (!ran)
                defect(c, i, s->line, "the step's own statement fails: %s", e.msg);
            else
                explain_failure(c, &t, i);
            type_chunk(in, &out, "next", &e);
        }
    }
    t.lessons[l->chapter] = NULL;
    tutor_free(&t);
    interp_delete(in);
    text_free(&out);
    return c->defects;
}

int tutor_check_all(const char *dir, InterpSetup setup, WriteFn write, void *ctx)
{
    if (!dir) {
        say(write, ctx, "no lessons folder found (set NUDGE_LESSONS)\n");
        return -1;
    }
    int failures = 0, lessons = 0;
    size_t total = 0, total_mistakes = 0;
    for (int ch = 1; ch <= LESSON_MAX_CHAPTERS; ch++) {
        char *path = lesson_path(dir, ch);
        if (!path && errno == ENOMEM) {
            say(write, ctx, "chapter %d: out of memory\n", ch);
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
        Checker c;
        memset(&c, 0, sizeof c);
        int f = check_lesson(l, dir, setup, write, ctx, &c);
        if (!c.nomem && out_of_memory()) {
            c.nomem = true;
            f++;
        }
        if (c.nomem) {
            say(write, ctx, "%s chapter %d, %s: out of memory\n", MARK_BAD, ch, l->title);
            failures += f ? f : 1;
            lesson_delete(l);
            continue;
        }
        failures += f;
        total += c.checks;
        total_mistakes += c.mistakes;
        say(write, ctx, "%s chapter %d, %s: %zu steps, %zu checks, %zu mistake block%s%s\n", f ? MARK_BAD : MARK_OK, ch,
            l->title, l->nsteps, c.checks, c.mistakes, c.mistakes == 1 ? "" : "s", f ? " FAILED" : "");
        lesson_delete(l);
    }
    if (lessons == 0) {
        say(write, ctx, "no lesson files (NN-name.md) in '%s'\n", dir);
        return -1;
    }
    if (failures)
        say(write, ctx, "%d failure%s\n", failures, failures == 1 ? "" : "s");
    else
        say(write, ctx, "all %d lessons passed (%zu checks, %zu mistake blocks)\n", lessons, total, total_mistakes);
    return failures;
}
