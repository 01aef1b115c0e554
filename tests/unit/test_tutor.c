/* test_tutor.c - an honest tutor (issue 13): a step passes only on what
 * the student typed in it, every mistake block keeps its step, the
 * reproducers of the walkthrough, reset, undo, solution, step N, a clean
 * workspace per chapter, messages at a precision where the values differ,
 * and --check-lessons failing on checks that cannot fail.
 *
 * The walks over every chapter use the shipped lessons/; the engine's own
 * rules use small fixture lessons written into a folder under $TMPDIR. */
#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nudge/lesson.h"
#include "nudge/mem.h"
#include "nudge/render.h"
#include "nudge/text.h"
#include "nudge/tutor.h"
#include "nudge/workspace.h"

#define LESSONS NUDGE_SOURCE_DIR "/lessons"

static void collect(void *ctx, const char *text, size_t len)
{
    text_append(ctx, text, len);
}

typedef struct Session {
    Interp *in;
    Tutor t;
    Text out;
    Error e;
    bool ok;
} Session;

static void session_open(Session *s, const char *dir, int width)
{
    memset(s, 0, sizeof *s);
    s->in = interp_new(collect, &s->out);
    cr_assert_not_null(s->in);
    interp_set_width(s->in, width);
    tutor_install(&s->t, s->in, dir, NULL, false);
}

static void session_close(Session *s)
{
    tutor_free(&s->t);
    interp_delete(s->in);
    text_free(&s->out);
}

static const char *type(Session *s, const char *chunk)
{
    text_free(&s->out);
    s->out = (Text){0};
    s->ok = interp_run_chunk(s->in, chunk, &s->e);
    return s->out.s ? s->out.s : "";
}

static const char *prompt_of(Session *s)
{
    const char *p = interp_hooks(s->in)->prompt(interp_hooks(s->in)->ctx);
    return p ? p : "(no lesson)";
}

/* Opens chapter c of the shipped lessons at step n (1-based). */
static void open_at(Session *s, int c, int n, int width)
{
    session_open(s, LESSONS, width);
    char cmd[64];
    snprintf(cmd, sizeof cmd, "lesson %d\n", c);
    type(s, cmd);
    cr_assert(s->ok, "%s", s->e.msg);
    if (n > 1) {
        snprintf(cmd, sizeof cmd, "step %d\n", n);
        type(s, cmd);
        cr_assert(s->ok, "%s", s->e.msg);
    }
    char want[32];
    snprintf(want, sizeof want, "lesson %d.%d> ", c, n);
    cr_assert_str_eq(prompt_of(s), want);
}

static void assert_at(Session *s, int c, int n)
{
    char want[32];
    snprintf(want, sizeof want, "lesson %d.%d> ", c, n);
    cr_assert_str_eq(prompt_of(s), want, "expected to be at %d.%d; the last output was:\n%s", c, n,
                     s->out.s ? s->out.s : "");
}

/* --- every chapter ---------------------------------------------------------- */

/* Statements that have nothing to do with any step. */
static const char *const unrelated[] = { "1 + 1\n", "unrelated = 12345\n", "zeros(2, 3)\n", "q9 = [1, 2, 3]\n" };

Test(tutor, no_step_of_any_chapter_passes_on_an_unrelated_statement)
{
    for (int c = 1; c <= 7; c++) {
        Session s;
        open_at(&s, c, 1, 80);
        const Lesson *l = s.t.lessons[c];
        cr_assert_not_null(l);
        for (size_t i = 0; i < l->nsteps; i++) {
            assert_at(&s, c, (int)i + 1);
            const Step *st = &l->steps[i];
            for (size_t u = 0; u < sizeof unrelated / sizeof unrelated[0]; u++) {
                const char *out = type(&s, unrelated[u]);
                cr_assert(!strstr(out, "✓"), "%d.%zu passed on %s%s", c, i + 1, unrelated[u], out);
                assert_at(&s, c, (int)i + 1);
            }
            type(&s, "reset\n");
            /* The step's own statement (or answer) then moves on. */
            char answer[256];
            snprintf(answer, sizeof answer, "%s\n", st->question ? st->answer : "");
            type(&s, answer);
            if (i + 1 < l->nsteps)
                assert_at(&s, c, (int)i + 2);
        }
        cr_assert_str_eq(prompt_of(&s), "(no lesson)", "chapter %d finished", c);
        session_close(&s);
    }
}

/* The first line of a mistake block's message as the tutor shows it. */
static char *first_line_of(const char *markdown, int width)
{
    Error e;
    char *r = render_markdown(markdown, width, false, &e);
    cr_assert_not_null(r);
    char *nl = strchr(r, '\n');
    if (nl)
        *nl = '\0';
    return r;
}

Test(tutor, every_mistake_block_keeps_its_step_and_shows_its_message)
{
    size_t total = 0;
    for (int c = 1; c <= 7; c++) {
        Session s;
        open_at(&s, c, 1, 80);
        const Lesson *l = s.t.lessons[c];
        size_t in_chapter = 0;
        for (size_t i = 0; i < l->nsteps; i++) {
            const Step *st = &l->steps[i];
            for (size_t m = 0; m < st->nmistakes; m++) {
                char chunk[512];
                snprintf(chunk, sizeof chunk, "%s\n", st->mistakes[m].code);
                const char *out = type(&s, chunk);
                assert_at(&s, c, (int)i + 1);
                cr_assert(!strstr(out, "✓"), "%d.%zu passed on its mistake %s", c, i + 1, chunk);
                char *line = first_line_of(st->mistakes[m].message, 78);
                cr_assert(strstr(out, line), "%d.%zu: the message of %s is missing:\n%s\nwanted: %s", c, i + 1, chunk, out,
                          line);
                mem_free(line);
                type(&s, "reset\n");
                in_chapter++;
            }
            char answer[256];
            snprintf(answer, sizeof answer, "%s\n", st->question ? st->answer : "");
            type(&s, answer);
        }
        cr_assert_geq(in_chapter, 5, "chapter %d has only %zu mistake blocks", c, in_chapter);
        total += in_chapter;
        session_close(&s);
    }
    cr_assert_geq(total, 50);
}

Test(tutor, check_lessons_passes_the_shipped_lessons)
{
    Text out = {0};
    int f = tutor_check_all(LESSONS, NULL, collect, &out);
    cr_assert_eq(f, 0, "%s", out.s);
    cr_assert(strstr(out.s, "all 7 lessons passed"), "%s", out.s);
    text_free(&out);
}

/* --- the walkthrough's reproducers ------------------------------------------------ */

Test(tutor, one_plus_one_at_the_last_step_of_chapter_1_does_not_finish_it)
{
    Session s;
    open_at(&s, 1, 13, 80);
    const char *out = type(&s, "1 + 1\n");
    cr_assert_str_eq(out, "ans = 2\n", "run as usual, and the step waits silently");
    cr_assert(!strstr(out, "Chapter 1 is done"));
    assert_at(&s, 1, 13);
    session_close(&s);
}

Test(tutor, variables_left_by_an_earlier_step_do_not_answer_a_later_one)
{
    /* Old 2.8: the perceptron's weights did not change, so any statement
     * passed.  Now the step waits for err. */
    Session s;
    open_at(&s, 2, 8, 80);
    cr_assert_not_null(interp_get(s.in, "p"));
    type(&s, "p\n");
    assert_at(&s, 2, 8);
    type(&s, "learn(p, X[2], y_and[2])\n");
    assert_at(&s, 2, 8);
    cr_assert(strstr(type(&s, "err = y_and[2] - step(dot(p.w, X[2]))\n"), "✓ err = 0"), "%s", s.out.s);
    assert_at(&s, 2, 9);
    session_close(&s);
}

Test(tutor, a_statement_typed_after_a_pass_is_not_the_next_steps_answer)
{
    Session s;
    open_at(&s, 3, 1, 80);
    type(&s, "x = 2; b1 = 1; b2 = 0.5; w1 = 0.5; w2 = 1.5; z = x*w1 + b1\n");
    cr_assert(strstr(type(&s, "L = z*w2 + b2\n"), "✓ z = 2, L = 3.5"), "%s", s.out.s);
    assert_at(&s, 3, 2);
    /* Typed again right after the pass: the next step (E) is not answered. */
    const char *out = type(&s, "L = z*w2 + b2\n");
    cr_assert_str_eq(out, "L = 3.5000\n");
    assert_at(&s, 3, 2);
    session_close(&s);
}

Test(tutor, a_vjp_without_its_minus_sign_is_not_ticked)
{
    Session s;
    open_at(&s, 6, 8, 80);
    const char *out = type(&s, "vjp = (Y / p) @ J\n");
    cr_assert(strstr(out, "✗ vjp should be [0.659001, -0.757567, 0.098566] (p - Y), but it is [-0.659001,\n"
                          "    0.757567, -0.098566]\n"),
              "%s", out);
    cr_assert(strstr(out, "The minus sign is missing"), "%s", out);
    assert_at(&s, 6, 8);
    /* The old reproducer, as a bare expression: not ticked either. */
    out = type(&s, "(Y / p) @ J\n");
    cr_assert(!strstr(out, "✓"), "%s", out);
    assert_at(&s, 6, 8);
    cr_assert(strstr(type(&s, "vjp = (-Y / p) @ J\n"), "✓ vjp = [0.659, -0.7576, 0.0986]"), "%s", s.out.s);
    assert_at(&s, 6, 9);
    session_close(&s);
}

Test(tutor, a_route_without_the_intermediate_z_passes_the_smaller_step)
{
    Session s;
    open_at(&s, 3, 7, 80);
    const char *out = type(&s, "w1 = 0.5 + 0.1*3; w2 = 1.5 + 0.1*2; L = (x*w1+b1)*w2+b2\n");
    cr_assert(strstr(out, "✓ w1 = 0.8, w2 = 1.7, L = 4.92"), "%s", out);
    assert_at(&s, 3, 8);
    session_close(&s);
}

Test(tutor, one_slip_is_not_a_trap_reset_puts_the_step_back)
{
    Session s;
    open_at(&s, 3, 6, 80);
    type(&s, "α = 0.2\n");
    const char *out = type(&s, "w1 = w1 - α*dL_dw1\n");
    cr_assert(strstr(out, "✗ w1 should be 1.1, but it is -0.1\n"), "%s", out);
    cr_assert(strstr(out, "Subtracting moves w1 down"), "the sign mistake is named: %s", out);
    /* The right update on top of the slip cannot reach 1.1, and says why. */
    out = type(&s, "w1 = w1 + α*dL_dw1\n");
    cr_assert(strstr(out, "✗ w1 should be 1.1, but it is 0.5\n"), "%s", out);
    cr_assert(strstr(out, "Your earlier tries in this step changed w1 (it was 0.5 when the step began):\n"
                          "    reset puts it back, then try once more.\n"),
              "%s", out);
    out = type(&s, "reset\n");
    cr_assert(strstr(out, "The variables are back as they were when step 3.6 began"), "%s", out);
    cr_assert_eq(value_to_double(interp_get(s.in, "w1")), 0.5);
    cr_assert_null(interp_get(s.in, "α"), "α was made in this step");
    type(&s, "α = 0.2\n");
    type(&s, "w1 = w1 + α*dL_dw1; w2 = w2 + α*dL_dw2\n");
    assert_at(&s, 3, 6);
    out = type(&s, "z = x*w1 + b1; L = z*w2 + b2; miss = target - L\n");
    cr_assert(strstr(out, "✓ w1 = 1.1, w2 = 1.9, z = 3.2, L = 6.58, miss = -1.58"), "%s", out);
    assert_at(&s, 3, 7);
    session_close(&s);
}

Test(tutor, undo_takes_back_the_last_statement_and_then_the_one_before)
{
    Session s;
    open_at(&s, 3, 6, 80);
    type(&s, "α = 0.2\n");
    type(&s, "w1 = w1 - α*dL_dw1\n");
    cr_assert_eq(value_to_double(interp_get(s.in, "w1")), 0.5 - 0.2 * 3);
    cr_assert_str_eq(type(&s, "undo\n"), "  Took back your last statement (w1 is as before it).\n");
    cr_assert_eq(value_to_double(interp_get(s.in, "w1")), 0.5);
    cr_assert_str_eq(type(&s, "undo\n"), "  Took back your last statement (α is as before it).\n");
    cr_assert_null(interp_get(s.in, "α"));
    type(&s, "undo\n");
    cr_assert_not(s.ok);
    cr_assert_str_eq(s.e.msg, "undo: nothing to take back in this step (reset puts the step back as it began)");
    /* After undo, the right statement passes as if the slip never was. */
    cr_assert(strstr(type(&s, "\n"), "✓ w1 = 1.1"), "%s", s.out.s);
    session_close(&s);
}

Test(tutor, a_bias_column_first_is_caught_at_the_step_that_makes_it)
{
    Session s;
    open_at(&s, 2, 1, 80);
    const char *out = type(&s, "X = [[1, 0, 0], [1, 0, 1], [1, 1, 0], [1, 1, 1]]\n");
    cr_assert(strstr(out, "✗ X[0, 0] should be 0, but it is 1 (6 of its 12 entries differ)\n"), "%s", out);
    cr_assert(strstr(out, "Put the 1 at the end of each row."), "%s", out);
    assert_at(&s, 2, 1);
    session_close(&s);
}

Test(tutor, a_cost_typed_as_a_number_is_caught_where_it_is_made)
{
    Session s;
    open_at(&s, 5, 1, 80);
    type(&s, "w = [0.5, -0.3, 0.8]; x = [1, 2, 0.5]; y = 1;\n");
    const char *out = type(&s, "C = mse(sigmoid(w @ x), y)\n");
    cr_assert(strstr(out, "✗ C(w) cannot be worked out: 'C' is a number, not a function"), "%s", out);
    cr_assert(strstr(out, "That computes the cost once, as a number."), "%s", out);
    assert_at(&s, 5, 1);
    session_close(&s);
}

Test(tutor, a_failed_check_shows_both_values_where_they_differ_and_names_the_students_quantity)
{
    Session s;
    open_at(&s, 3, 14, 80);
    /* The "g1 should be dC_dw1, but it is -0.0052". */
    const char *out = type(&s, "g1 = -0.0052\n");
    cr_assert(strstr(out, "✗ g1 should be -0.0052600 (dC_dw1), but it is -0.0052000\n"), "%s", out);
    session_close(&s);
    /* The "should be -0.0026300, but it is 0.0026". */
    open_at(&s, 3, 13, 80);
    out = type(&s, "δ1 = 0.0026\n");
    cr_assert(strstr(out, "✗ δ1 should be -0.00263, but it is 0.00260\n"), "both at the same precision: %s", out);
    session_close(&s);
    /* The student's quantity is named, never the reference's formula. */
    open_at(&s, 4, 10, 80);
    type(&s, "d2 = (W3.T @ d3) * dsigmoid(z2); dW2 = outer(d2, a1)\n");
    out = type(&s, "nW2 = numgrad(@(W) cost(W1, W, W3), W1)\n");
    cr_assert(strstr(out, "✗ nW2 should be "), "%s", out);
    cr_assert(!strstr(out, "numgrad(@(W) cost(W1, W, W3), W2) should"), "%s", out);
    session_close(&s);
}

Test(tutor, a_wrong_shape_for_dw3_says_so)
{
    Session s;
    open_at(&s, 4, 5, 80);
    const char *out = type(&s, "dW3 = d3 * a2\n");
    cr_assert(strstr(out, "✗ shape(dW3) should be [1, 2], but it is (2,)\n"), "%s", out);
    cr_assert(strstr(out, "it is a plain vector"), "%s", out);
    assert_at(&s, 4, 5);
    session_close(&s);
}

Test(tutor, a_statement_that_fails_is_explained_with_the_caret_under_its_column)
{
    Session s;
    open_at(&s, 4, 9, 80);
    const char *out = type(&s, "back = W3 @ d3\n");
    cr_assert_not(s.ok);
    cr_assert(s.e.shown, "the tutor showed it; the REPL does not repeat it");
    cr_assert(strstr(out, "  ✗ The shapes do not fit together: @: shapes (1, 2) and (1,) do not fit"), "%s", out);
    cr_assert(strstr(out, "    back = W3 @ d3\n              ^\n"), "%s", out);
    cr_assert(strstr(out, "that is the transpose"), "the forgotten transpose is named: %s", out);
    cr_assert(strstr(out, "Nothing changed."), "%s", out);
    session_close(&s);
}

Test(tutor, the_caret_stays_under_its_column_when_the_statement_is_wider_than_the_terminal)
{
    Session s;
    open_at(&s, 1, 1, 40);
    const char *out = type(&s, "a = [3, 4] + [1, 2, 3] + [100, 200, 300, 400, 500, 600, 700]\n");
    cr_assert_not(s.ok);
    /* Every line fits in 40 columns, and the caret is under the '+'. */
    const char *caret = NULL, *src = NULL;
    for (const char *line = out; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        int cols = 0;
        for (size_t i = 0; i < len; i++)
            if (((unsigned char)line[i] & 0xC0) != 0x80)
                cols++;
        cr_assert_leq(cols, 40, "a line of %d columns:\n%s", cols, out);
        if (len && line[len - 1] == '^' && strspn(line, " ") == len - 1)
            caret = line;
        else if (!caret)
            src = strstr(line, "[1, 2, 3]") && len < 60 ? line : src;
        line += len + (nl ? 1 : 0);
    }
    cr_assert_not_null(caret, "%s", out);
    cr_assert_not_null(src, "%s", out);
    size_t col = strspn(caret, " ");
    /* Count characters, not bytes, up to the caret's column in the source. */
    const char *p = src;
    for (size_t c = 0; c < col; p++)
        if (((unsigned char)*p & 0xC0) != 0x80)
            c++;
    while (((unsigned char)*p & 0xC0) == 0x80)
        p++;
    cr_assert(*p == '+' || *p == '[', "the caret points at '%c':\n%s", *p, out);
    session_close(&s);
}

Test(tutor, a_long_success_line_wraps_at_spaces_and_never_splits_a_number)
{
    Session s;
    open_at(&s, 7, 8, 60);
    const char *out = type(&s, "\n");
    cr_assert(strstr(out, "0.03346697"), "%s", out);
    cr_assert(strstr(out, "[0.00371898, 0.01307749, 0.00057177, 0.00954491]") || strstr(out, "0.00954491"), "%s",
              out);
    for (const char *line = strstr(out, "✓"); line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        int cols = 0;
        for (size_t i = 0; i < len; i++)
            if (((unsigned char)line[i] & 0xC0) != 0x80)
                cols++;
        cr_assert_leq(cols, 60, "%.*s", (int)len, line);
        if (!nl || !strncmp(nl + 1, "\n", 1))
            break;
        line = nl + 1;
    }
    session_close(&s);
}

Test(tutor, the_first_hint_of_the_length_quiz_does_not_give_the_answer)
{
    Session s;
    open_at(&s, 1, 2, 80);
    const char *out = type(&s, "hint\n");
    cr_assert(!strstr(out, "9 + 16"), "%s", out);
    cr_assert(!strstr(out, "5"), "%s", out);
    cr_assert(strstr(type(&s, "hint\n"), "√(3² + 4²)"), "the last hint may: %s", s.out.s);
    session_close(&s);
}

Test(tutor, chapter_1_no_longer_says_nudge_has_no_cos)
{
    Session s;
    session_open(&s, LESSONS, 80);
    const char *out = type(&s, "lesson 1\n");
    cr_assert(s.ok);
    type(&s, "step 7\n");
    out = type(&s, "lesson\n");
    cr_assert(!strstr(out, "no `cos`") && !strstr(out, "has no cos"), "%s", out);
    cr_assert(strstr(out, "cos(radians(45))"), "%s", out);
    cr_assert(strstr(type(&s, "geo = norm(p) * norm(q) * cos(45)\n"), "`cos(45)` takes 45 as radians"), "%s", s.out.s);
    session_close(&s);
}

Test(tutor, every_lesson_names_the_book_chapter_it_follows)
{
    for (int c = 1; c <= 7; c++) {
        Session s;
        session_open(&s, LESSONS, 80);
        char cmd[32], want[64];
        snprintf(cmd, sizeof cmd, "lesson %d\n", c);
        const char *out = type(&s, cmd);
        snprintf(want, sizeof want, "chapter %d", c + 1);
        cr_assert(strstr(out, "In the book:"), "%s", out);
        cr_assert(strstr(out, want), "lesson %d should name the book's chapter %d:\n%s", c, c + 1, out);
        session_close(&s);
    }
}

/* --- the commands ---------------------------------------------------------------- */

Test(tutor, solution_shows_the_statement_without_running_it)
{
    Session s;
    open_at(&s, 3, 4, 80);
    cr_assert_str_eq(type(&s, "solution\n"), "  The lesson's statement (not run; press Enter to run it):\n"
                                               "    dL_dw1 = w2*x\n"
                                               "    dL_dw2 = z\n");
    cr_assert_null(interp_get(s.in, "dL_dw1"));
    assert_at(&s, 3, 4);
    session_close(&s);
    open_at(&s, 3, 3, 80);
    cr_assert_str_eq(type(&s, "solution\n"), "  The answer is 3 (type it, or next to move on).\n");
    assert_at(&s, 3, 3);
    session_close(&s);
}

Test(tutor, step_n_and_goto_n_replay_the_statements_before_it)
{
    Session s;
    open_at(&s, 3, 1, 80);
    const char *out = type(&s, "goto 9\n");
    cr_assert(strstr(out, "The workspace now holds what steps 1 to 8 make"), "%s", out);
    assert_at(&s, 3, 9);
    cr_assert_eq(value_to_double(interp_get(s.in, "w1")), 0.8, "step 7's statement ran");
    out = type(&s, "step 2\n");
    assert_at(&s, 3, 2);
    cr_assert_null(interp_get(s.in, "target"), "nothing from step 2 on");
    cr_assert_not_null(interp_get(s.in, "L"));
    type(&s, "step 99\n");
    cr_assert_not(s.ok);
    cr_assert_str_eq(s.e.msg, "step: chapter 3 has steps 1 to 16");
    type(&s, "step two\n");
    cr_assert_str_eq(s.e.msg, "step: give a step number, as in step 3 (this chapter has 16 steps)");
    /* step(...) is still the perceptron's step function. */
    cr_assert_str_eq(type(&s, "step(0.5)\n"), "ans = 1\n");
    assert_at(&s, 3, 2);
    session_close(&s);
}

Test(tutor, lesson_alone_shows_the_step_again_and_says_so)
{
    Session s;
    open_at(&s, 2, 3, 80);
    const char *out = type(&s, "lesson\n");
    cr_assert(!strncmp(out, "  (step 2.3 again)\n\n── 2.3  The learning rule", strlen("  (step 2.3 again)\n\n── 2.3  The learning rule")),
              "%s", out);
    session_close(&s);
}

Test(tutor, next_runs_a_skipped_steps_statement_so_later_steps_work)
{
    Session s;
    open_at(&s, 4, 1, 80);
    type(&s, "next\n");
    type(&s, "next\n");
    assert_at(&s, 4, 3);
    cr_assert_not_null(interp_get(s.in, "a3"), "step 4.2's forward pass ran");
    session_close(&s);
}

Test(tutor, each_chapter_starts_in_a_clean_workspace_and_quit_brings_yours_back)
{
    Session s;
    session_open(&s, LESSONS, 80);
    type(&s, "mine = 42\n");
    type(&s, "r = 7\n");
    const char *out = type(&s, "lesson 2\n");
    cr_assert(strstr(out, "This chapter starts in a clean workspace: your 2 variables are set aside until\n"
                          "  you leave the lesson with quit.\n"),
              "%s", out);
    cr_assert_null(interp_get(s.in, "mine"));
    type(&s, "\n");
    /* The leftover r from chapter 2 named in a chapter-5 error. */
    out = type(&s, "lesson 5\n");
    cr_assert(strstr(out, "chapter 2's variables were cleared"), "%s", out);
    cr_assert_null(interp_get(s.in, "X"), "chapter 2's X is gone");
    cr_assert_null(interp_get(s.in, "r"));
    out = type(&s, "C = mse(sigmoid(w @ x), y)\n");
    cr_assert(!strstr(out, "'r'") && !strstr(out, " r "), "%s", out);
    out = type(&s, "quit\n");
    cr_assert(strstr(out, "Your variables from before the lesson are back (mine, r)."), "%s", out);
    cr_assert_eq(value_to_double(interp_get(s.in, "mine")), 42);
    session_close(&s);
}

/* --- --check-lessons on fixture lessons --------------------------------------------- */

static char *temp_dir(void)
{
    const char *tmp = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/nudge-tutor-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    char *d = mkdtemp(tmpl);
    cr_assert_not_null(d);
    return strdup(d);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_dir(char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

/* Runs --check-lessons on one fixture lesson; returns its report. */
static char *check_fixture(const char *md, int *failures)
{
    char *dir = temp_dir();
    write_file(dir, "01-fixture.md", md);
    Text out = {0};
    *failures = tutor_check_all(dir, NULL, collect, &out);
    remove_dir(dir);
    char *s = strdup(out.s ? out.s : "");
    text_free(&out);
    return s;
}

Test(tutor, check_lessons_fails_on_a_check_that_holds_before_its_step)
{
    /* The 1.13: the checks recompute w·[1, 1] from a w that an
     * earlier step left behind, so they hold before the step runs. */
    int f;
    char *out = check_fixture("# Fixture\n\n"
                              "## Make w\n\n```nudge\nw = [1, -1]\n```\n\n```expect\nw = [1, -1]\n```\n\n"
                              "## The line\n\n```nudge\ndot(w, [1, 1])\n```\n\n```expect\ndot(w, [1, 1]) = 0\n```\n",
                              &f);
    cr_assert_geq(f, 1, "%s", out);
    cr_assert(strstr(out, "01-fixture.md:20: step 1.2 \"The line\": the check dot(w, [1, 1]) = 0 already holds "
                          "before the step's statement runs, so it cannot tell a right answer from none\n"),
              "%s", out);
    cr_assert(strstr(out, "01-fixture.md:20: step 1.2 \"The line\": the check dot(w, [1, 1]) reads nothing the "
                          "step's statement sets, so no statement can answer it\n"),
              "%s", out);
    cr_assert(strstr(out, "FAILED"), "%s", out);
    free(out);
}

Test(tutor, check_lessons_fails_when_an_unrelated_statement_passes_a_step)
{
    /* A check on ans that 1 + 1 answers. */
    int f;
    char *out = check_fixture("# Fixture\n\n## Two\n\n```nudge\n4 - 2\n```\n\n```expect\nans = 2\n```\n", &f);
    cr_assert_geq(f, 1, "%s", out);
    cr_assert(strstr(out, "01-fixture.md:3: step 1.1 \"Two\": the step passes on the unrelated statement 1 + 1\n"), "%s",
              out);
    free(out);
}

Test(tutor, check_lessons_fails_when_a_mistake_block_passes_or_shows_no_message)
{
    int f;
    char *out = check_fixture("# Fixture\n\n## Add\n\n```nudge\ns = 2 + 3\n```\n\n```expect\ns = 5\n```\n\n"
                              "```mistake\ns = 3 + 2\n---\nNot a mistake at all.\n```\n\n"
                              "```mistake\nt = 7\n---\nThis one touches nothing the step checks.\n```\n",
                              &f);
    cr_assert_eq(f, 2, "%s", out);
    cr_assert(strstr(out, "01-fixture.md:13: step 1.1 \"Add\": the step passes on its mistake block s = 3 + 2\n"), "%s",
              out);
    cr_assert(strstr(out, "01-fixture.md:19: step 1.1 \"Add\": typing the mistake t = 7 does not show its message; "
                          "the step's checks do not tell it from a right answer\n"),
              "%s", out);
    free(out);
}

Test(tutor, check_lessons_fails_on_a_first_hint_that_gives_the_answer_away)
{
    int f;
    char *out = check_fixture("# Fixture\n\n## Q\n\n```quiz\nWhat is 6 times 7?\nanswer: 42\n```\n\n"
                              "```hint\nIt is 42.\n```\n\n```hint\n6·7.\n```\n",
                              &f);
    cr_assert_eq(f, 1, "%s", out);
    cr_assert(strstr(out, "01-fixture.md:10: step 1.1 \"Q\": the first hint gives the answer away (42); keep it for a "
                          "later hint\n"),
              "%s", out);
    free(out);
}

Test(tutor, check_lessons_fails_on_a_statement_step_without_checks)
{
    int f;
    char *out = check_fixture("# Fixture\n\n## Look\n\n```nudge\nx = 1\n```\n", &f);
    cr_assert_eq(f, 1, "%s", out);
    cr_assert(strstr(out, "a step with a statement needs an expect block, or any statement would pass it"), "%s", out);
    free(out);
}

Test(tutor, a_mistake_is_recognised_by_its_values_as_well_as_by_its_text)
{
    char *dir = temp_dir();
    write_file(dir, "01-fixture.md",
               "# Fixture\n\n## Start\n\n```nudge\nw = 0.5\n```\n\n```expect\nw = 0.5\n```\n\n"
               "## Up\n\n```nudge\nw = w + 0.6\n```\n\n```expect\nw = 1.1\n```\n\n"
               "```mistake\nw = w - 0.6\n---\nThe step goes **up**.\n```\n");
    Session s;
    session_open(&s, dir, 80);
    type(&s, "lesson 1\n");
    type(&s, "\n");
    /* Not the mistake's text, but its value. */
    const char *out = type(&s, "w = 0.5 - 0.6\n");
    cr_assert(strstr(out, "✗ w should be 1.1, but it is -0.1\n    The step goes up.\n"), "%s", out);
    cr_assert_eq(s.t.shown_mistake, 0);
    /* A different wrong value gets no mistake message. */
    out = type(&s, "w = 7\n");
    cr_assert(!strstr(out, "The step goes up"), "%s", out);
    session_close(&s);
    remove_dir(dir);
}

Test(tutor, a_step_passes_only_once_every_check_was_answered_in_it)
{
    char *dir = temp_dir();
    write_file(dir, "01-fixture.md",
               "# Fixture\n\n## Two names\n\n```nudge\nu = 1\nv = 2\n```\n\n```expect\nu = 1\nv = 2\n```\n");
    Session s;
    session_open(&s, dir, 80);
    type(&s, "lesson 1\n");
    /* Set before the step's text was shown: it cannot answer it. */
    session_close(&s);
    session_open(&s, dir, 80);
    type(&s, "u = 1\n");
    type(&s, "lesson 1\n");
    cr_assert_null(interp_get(s.in, "u"), "set aside with the clean workspace");
    cr_assert_str_eq(type(&s, "u = 1\n"), "u = 1\n", "one of two: the step waits");
    assert_at(&s, 1, 1);
    cr_assert(strstr(type(&s, "v = 2\n"), "✓ u = 1, v = 2"), "%s", s.out.s);
    session_close(&s);
    remove_dir(dir);
}

Test(tutor, help_names_every_chapter_and_the_lesson_commands)
{
    Session s;
    session_open(&s, LESSONS, 80);
    const char *out = type(&s, "help\n");
    for (int c = 1; c <= 7; c++) {
        char want[32];
        snprintf(want, sizeof want, "\nChapter %d: ", c);
        cr_assert(strstr(out, want), "help does not name chapter %d:\n%s", c, out);
    }
    cr_assert(strstr(out, "(no new functions; lesson 4 walks through the chapter)"), "%s", out);
    const char *words[] = { "solution", "reset", "undo", "goto" };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        cr_assert(strstr(out, words[i]), "help lists %s:\n%s", words[i], out);
    cr_assert(strstr(type(&s, "help reset\n"), "Puts your variables back as they were when the current step began."),
              "%s", s.out.s);
    session_close(&s);
}

/* --- the workspace snapshots behind reset and undo ------------------------------ */

Test(tutor, a_workspace_snapshot_puts_every_kind_of_value_back_and_clears_the_rest)
{
    Text out = {0};
    Interp *in = interp_new(collect, &out);
    cr_assert_not_null(in);
    Error e;
    cr_assert(interp_run(in, "n = 1; v = [1, 2]; s = \"relu\"; f = @(z) z + 1; p = perceptron(w=[0, 0, 0])", &e),
              "%s", e.msg);
    Workspace ws;
    cr_assert(workspace_take(&ws, in, &e), "%s", e.msg);
    cr_assert_eq(ws.n, 5);
    cr_assert_not(workspace_differs(&ws, in));
    cr_assert(interp_run(in, "n = 2; v[0] = 5; f = @(z) z + 2; learn(p, [1, 1, 1], 1); extra = 3", &e), "%s", e.msg);
    cr_assert(workspace_differs(&ws, in));
    const char *changed[] = { "n", "v", "f", "p", "extra" };
    for (size_t i = 0; i < 5; i++)
        cr_assert(workspace_name_changed(&ws, in, changed[i]), "%s", changed[i]);
    cr_assert_not(workspace_name_changed(&ws, in, "s"));
    cr_assert(workspace_restore(&ws, in, &e), "%s", e.msg);
    cr_assert_null(interp_get(in, "extra"));
    cr_assert_eq(value_to_double(interp_get(in, "n")), 1);
    cr_assert_eq(interp_get(in, "v")->as.tensor->data[0], 1);
    Value r;
    cr_assert(interp_eval_source(in, "f(1)", &r, &e), "%s", e.msg);
    cr_assert_eq(value_to_double(&r), 2);
    value_free(&r);
    cr_assert(interp_eval_source(in, "p.w", &r, &e), "%s", e.msg);
    cr_assert_eq(r.as.tensor->data[0], 0, "learn's change in place was taken back");
    value_free(&r);
    /* After a rebase, the restored values count as unchanged. */
    cr_assert(workspace_name_changed(&ws, in, "n"), "restoring gave n a new version");
    workspace_rebase(&ws, in);
    cr_assert_not(workspace_differs(&ws, in));
    workspace_free(&ws);
    /* Names that shared an object share it again, restored. */
    cr_assert(interp_run(in, "a = [1, 2]; b = a", &e), "%s", e.msg);
    cr_assert(workspace_take(&ws, in, &e), "%s", e.msg);
    cr_assert(interp_run(in, "a[0] = 9", &e), "%s", e.msg);
    cr_assert_eq(interp_get(in, "b")->as.tensor->data[0], 9);
    cr_assert(workspace_restore(&ws, in, &e), "%s", e.msg);
    cr_assert_eq(interp_get(in, "b")->as.tensor->data[0], 1);
    cr_assert(interp_run(in, "a[1] = 7", &e), "%s", e.msg);
    cr_assert_eq(interp_get(in, "b")->as.tensor->data[1], 7, "a and b are one array again");
    workspace_free(&ws);
    /* A net of three weight layers trained through another name: every
     * layer counts, and the restore reaches the shared net. */
    cr_assert(interp_run(in, "d = mlp(2, 3, 3, 1, seed=1); d2 = d; w_before = d.W2[0, 0]", &e), "%s", e.msg);
    cr_assert(workspace_take(&ws, in, &e), "%s", e.msg);
    cr_assert(interp_run(in, "r = train(d2, [[0, 1], [1, 0]], [[1], [0]], epochs=1, lr=1)", &e), "%s", e.msg);
    cr_assert(workspace_name_changed(&ws, in, "d"), "changed through the other name");
    cr_assert(workspace_restore(&ws, in, &e), "%s", e.msg);
    cr_assert(interp_eval_source(in, "d2.W2[0, 0] - w_before", &r, &e), "%s", e.msg);
    cr_assert_eq(value_to_double(&r), 0);
    value_free(&r);
    workspace_free(&ws);
    interp_delete(in);
    text_free(&out);
}

Test(tutor, enter_after_a_slip_runs_the_suggestion_from_where_the_step_began)
{
    /* The issue: Enter re-ran the suggestion into the same failure. */
    Session s;
    open_at(&s, 3, 6, 80);
    type(&s, "α = 0.2; w1 = w1 - α*dL_dw1\n");
    const char *out = type(&s, "\n");
    cr_assert(strstr(out, "(the variables are back as they were when this step began; now its statement\n   runs)\n"),
              "%s", out);
    cr_assert(strstr(out, "✓ w1 = 1.1, w2 = 1.9"), "%s", out);
    assert_at(&s, 3, 7);
    session_close(&s);
}
