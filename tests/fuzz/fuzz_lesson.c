/* fuzz_lesson.c - fuzz target: a lesson file through the loader.
 *
 * The input is a lesson's CommonMark text.  It goes through lesson_parse;
 * a lesson that loads is then rendered as the tutor shows it (the intro and
 * every step, in colour and plain, at two widths; every hint and quiz
 * question), and each expectation's two sides and each quiz answer are
 * parsed as expressions, as the tutor does before checking them.  Inputs
 * over 256 KiB are skipped (lesson_load takes up to 4 MiB; the shipped
 * lessons are about 10 KiB).
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "nudge/ast.h"
#include "nudge/lesson.h"
#include "nudge/mem.h"
#include "nudge/render.h"

enum { FUZZ_LESSON_MAX = 256 << 10 };

static void render(struct cmark_node *first, struct cmark_node *stop)
{
    static const int widths[] = { 20, 72 };
    for (int c = 0; c < 2; c++)
        for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
            Error e;
            error_clear(&e);
            char *s = render_blocks(first, stop, widths[w], c, &e);
            if (!s)
                fuzz_check_error(&e, NULL);
            fuzz_sink(NULL, s ? s : "", s ? strlen(s) : 0);
            mem_free(s);
        }
}

static void render_text(const char *markdown)
{
    Error e;
    error_clear(&e);
    char *s = render_markdown(markdown, 40, true, &e);
    if (!s)
        fuzz_check_error(&e, NULL);
    else
        fuzz_sink(NULL, s, strlen(s));
    mem_free(s);
}

static void parse_expr(const char *src)
{
    Error e;
    error_clear(&e);
    Node *n = ast_parse_expr(src, &e);
    if (!n)
        fuzz_check_error(&e, src);
    ast_free(n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_LESSON_MAX)
        return 0;
    Error e;
    error_clear(&e);
    fuzz_alarm_start();     /* for fuzz_sink's output count */
    Lesson *l = lesson_parse((const char *)data, size, "fuzz.md", 7, &e);
    if (!l) {
        fuzz_alarm_stop();
        fuzz_check_error(&e, NULL);
        return 0;
    }
    if (!l->title || l->nsteps == 0)
        fuzz_fail("a lesson loaded without a title or steps");
    if (l->intro)
        render(l->intro, l->intro_stop);
    for (size_t i = 0; i < l->nsteps; i++) {
        const Step *s = &l->steps[i];
        if (!s->title)
            fuzz_fail("step %zu has no title", i);
        if (s->first)
            render(s->first, s->stop);
        for (size_t h = 0; h < s->nhints; h++)
            render_text(s->hints[h]);
        if (s->question)
            render_text(s->question);
        for (size_t x = 0; x < s->nexpects; x++) {
            parse_expr(s->expects[x].lhs);
            parse_expr(s->expects[x].rhs);
        }
        if (s->answer)
            parse_expr(s->answer);
    }
    lesson_delete(l);
    fuzz_alarm_stop();
    return 0;
}
