/* test_lesson.c - the lesson loader, its checks' tolerance and progress, the
 * tutor as a student meets it at the prompt, --check-lessons and the
 * renderer. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <ftw.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nudge/files.h"
#include "nudge/lesson.h"
#include "nudge/mem.h"
#include "nudge/progress.h"
#include "nudge/render.h"
#include "nudge/text.h"
#include "nudge/tutor.h"
#include "tmpdir.h"

static Lesson *parse(const char *md, Error *e)
{
    error_clear(e);
    return lesson_parse(md, strlen(md), "t.md", 3, e);
}

static const char *good =
    "# Chapter 3 — The chain rule\n\nIntro text.\n\n"
    "## First step\n\nSome *text*.\n\n```nudge\nz = 2.0*0.5 + 1.0\n```\n\n"
    "```expect\nz = 2\nL = 3.5 ± 0.01\n```\n\n```hint\nMultiply first.\n```\n\n"
    "## A question\n\n```quiz\nWhat is 2 + 2?\nanswer: 4\n```\n\n"
    "## Reading only\n\nNothing to type.\n";

Test(lesson, a_well_formed_file_gives_steps_checks_hints_and_a_quiz)
{
    Error e;
    Lesson *l = parse(good, &e);
    cr_assert_not_null(l, "%s", e.msg);
    cr_assert_str_eq(l->title, "The chain rule");
    cr_assert_not_null(l->intro);
    cr_assert_eq(l->nsteps, 3);
    const Step *s = &l->steps[0];
    cr_assert_str_eq(s->title, "First step");
    cr_assert_str_eq(s->code, "z = 2.0*0.5 + 1.0\n");
    cr_assert_eq(s->nexpects, 2);
    cr_assert_str_eq(s->expects[0].lhs, "z");
    cr_assert_str_eq(s->expects[0].rhs, "2");
    cr_assert_not(s->expects[0].has_tol);
    cr_assert(s->expects[1].has_tol);
    cr_assert_float_eq(s->expects[1].tol, 0.01, 1e-15);
    cr_assert_eq(s->nhints, 1);
    cr_assert_str_eq(l->steps[1].question, "What is 2 + 2?");
    cr_assert_str_eq(l->steps[1].answer, "4");
    cr_assert_null(l->steps[2].code);
    cr_assert_null(l->steps[2].question);
    lesson_delete(l);
}

static void assert_refused(const char *md, const char *want)
{
    Error e;
    Lesson *l = parse(md, &e);
    cr_assert_null(l, "expected an error for: %s", md);
    cr_assert(strstr(e.msg, want), "message '%s' lacks '%s'", e.msg, want);
    cr_assert(strncmp(e.msg, "t.md:", 5) == 0, "message '%s' does not name the file", e.msg);
}

Test(lesson, malformed_files_are_reported_with_file_and_line)
{
    assert_refused("## Step\n\ntext\n", "needs a '#' title");
    assert_refused("just text\n", "the lesson has no '#' title");
    assert_refused("# Title\n\nno steps\n", "no steps");
    assert_refused("# T\n\n## S\n\n```nudge\nx = 1\n```\n\n```expect\nx is 1\n```\n", "NAME = VALUE");
    assert_refused("# T\n\n## S\n\n```quiz\nWhat?\n```\n", "answer: EXPR");
    assert_refused("# T\n\n## S\n\n```expect\nx = 1\n```\n", "needs a nudge block");
    assert_refused("# T\n\n```hint\nearly\n```\n\n## S\n", "must be inside a step");
    assert_refused("# T\n\n## S\n\n# Another title\n", "only one '#' title");
}

Test(lesson, a_bad_expect_line_names_its_own_line)
{
    Error e;
    cr_assert_null(parse("# T\n\n## S\n\n```nudge\nx = 1\n```\n\n```expect\nx = 1\nnonsense\n```\n", &e));
    cr_assert(strncmp(e.msg, "t.md:11:", 8) == 0, "%s", e.msg);
}

Test(lesson, split_check_finds_the_top_level_equals_and_a_tolerance)
{
    char *l, *r;
    double tol;
    bool has;
    cr_assert(lesson_split_check("net.W2[0, 0] = 0.5 ± 1e-3", &l, &r, &tol, &has));
    cr_assert_str_eq(l, "net.W2[0, 0]");
    cr_assert_str_eq(r, "0.5");
    cr_assert(has);
    cr_assert_float_eq(tol, 1e-3, 1e-18);
    mem_free(l);
    mem_free(r);
    cr_assert(lesson_split_check("(a == b) = 1 +- 0", &l, &r, &tol, &has));
    cr_assert_str_eq(l, "(a == b)");
    mem_free(l);
    mem_free(r);
    cr_assert_not(lesson_split_check("a == b", &l, &r, &tol, &has));
    cr_assert_not(lesson_split_check("x = 1 ± many", &l, &r, &tol, &has));
}

Test(lesson, the_default_tolerance_is_half_a_unit_in_the_last_printed_decimal)
{
    Value got = value_number(0.75751), want = value_number(0.758);
    cr_assert(tutor_values_match(&got, &want, "0.758", false, 0));
    got.as.number = 0.7569;
    cr_assert_not(tutor_values_match(&got, &want, "0.758", false, 0));
    /* Whole numbers and expressions are compared to about 1e-9. */
    got.as.number = 3.0000000000000004;
    want.as.number = 3;
    cr_assert(tutor_values_match(&got, &want, "3", false, 0));
    got.as.number = 3.001;
    cr_assert_not(tutor_values_match(&got, &want, "3", false, 0));
    cr_assert(tutor_values_match(&got, &want, "3", true, 0.01));
}

Test(lesson, vectors_match_one_row_or_one_column_matrices_of_the_same_values)
{
    Tensor *col = tensor_from(2, 4, 1, (double[]){ 0.7575191805921776, 0.7711, 0.7909, 0.8012 }, NULL);
    Tensor *vec = tensor_from(1, 1, 4, (double[]){ 0.758, 0.771, 0.791, 0.801 }, NULL);
    Value g = value_tensor(col), w = value_tensor(vec);
    cr_assert(tutor_values_match(&g, &w, "[0.758, 0.771, 0.791, 0.801]", false, 0));
    vec->data[3] = 0.9;
    cr_assert_not(tutor_values_match(&g, &w, "[0.758, 0.771, 0.791, 0.9]", false, 0));
    value_free(&g);
    value_free(&w);
}

/* The scratch folders of the running test, removed after it (the suite's
 * fini runs after each test, failed or not). */
static char *made[16];
static size_t nmade;

static void remove_temp_dirs(void)
{
    for (size_t i = 0; i < nmade; i++) {
        tmpdir_remove(made[i]);
        free(made[i]);
    }
    nmade = 0;
}

TestSuite(lesson, .fini = remove_temp_dirs);

/* A new empty folder under $TMPDIR (the caller frees the string; the
 * folder goes when the test ends). */
static char *temp_dir(void)
{
    cr_assert_lt(nmade, sizeof made / sizeof made[0]);
    char *d = tmpdir_make("lesson");
    cr_assert_not_null(d);
    made[nmade++] = d;
    return strdup(d);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    chmod(path, 0700);
    return remove(path);
}

static void remove_dir(char *dir)
{
    chmod(dir, 0700);
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

Test(lesson, progress_round_trips_through_its_file)
{
    char *dir = temp_dir();
    char path[512];
    snprintf(path, sizeof path, "%s/state/nudge/progress", dir);
    Progress p;
    Error e;
    cr_assert(progress_load(&p, path, &e));     /* missing: empty */
    p.ch[3].step = 4;
    p.ch[3].done = 5;
    cr_assert(progress_save(&p, &e), "%s", e.msg);
    progress_free(&p);
    Progress q;
    cr_assert(progress_load(&q, path, &e));
    cr_assert_eq(q.ch[3].step, 4);
    cr_assert_eq(q.ch[3].done, 5);
    cr_assert_eq(q.ch[1].done, 0);
    progress_free(&q);
    remove_dir(dir);
}

Test(lesson, a_corrupt_progress_file_is_moved_aside_not_overwritten)
{
    char *dir = temp_dir();
    char path[512], aside[600];
    snprintf(path, sizeof path, "%s/progress", dir);
    snprintf(aside, sizeof aside, "%s.corrupt", path);
    FILE *f = fopen(path, "w");
    fputs("3 4 5\nthis is not progress\n", f);
    fclose(f);
    Progress p;
    Error e;
    cr_assert_not(progress_load(&p, path, &e));
    cr_assert(strstr(e.msg, "line 2"), "%s", e.msg);
    cr_assert_eq(p.ch[3].step, 0);
    cr_assert_eq(access(aside, F_OK), 0);
    cr_assert_neq(access(path, F_OK), 0);
    progress_free(&p);
    remove_dir(dir);
}

Test(lesson, lesson_path_finds_a_chapter_by_its_number)
{
    char *dir = temp_dir();
    char file[512];
    snprintf(file, sizeof file, "%s/03-chain-rule.md", dir);
    FILE *f = fopen(file, "w");
    fputs(good, f);
    fclose(f);
    char *p = lesson_path(dir, 3);
    cr_assert_str_eq(p, file);
    mem_free(p);
    cr_assert_null(lesson_path(dir, 4));
    Error e;
    Lesson *l = lesson_load(file, &e);
    cr_assert_not_null(l, "%s", e.msg);
    cr_assert_eq(l->chapter, 3);
    lesson_delete(l);
    remove_dir(dir);
}

static void collect(void *ctx, const char *text, size_t len)
{
    Text *t = ctx;
    text_append(t, text, len);
}

Test(lesson, a_file_number_too_large_for_a_chapter_is_no_chapter)
{
    /* Issue 18: cut to 32 bits, 4294967297 would be chapter 1. */
    char *dir = temp_dir();
    char file[512];
    snprintf(file, sizeof file, "%s/4294967297-x.md", dir);
    FILE *f = fopen(file, "w");
    fputs(good, f);
    fclose(f);
    snprintf(file, sizeof file, "%s/99999999999999999999999-y.md", dir);
    f = fopen(file, "w");
    fputs(good, f);
    fclose(f);
    for (int c = 0; c <= LESSON_MAX_CHAPTERS + 1; c++)
        cr_assert_null(lesson_path(dir, c), "chapter %d", c);
    Error e;
    Lesson *l = lesson_load(file, &e);
    cr_assert_not_null(l, "%s", e.msg);
    cr_assert_eq(l->chapter, 0, "no chapter number");
    lesson_delete(l);
    Text out = {0};
    cr_assert_eq(tutor_check_all(dir, NULL, collect, &out), -1, "no lesson files: %s", out.s);
    text_free(&out);
    remove_dir(dir);
}

Test(lesson, check_all_reports_a_wrong_expectation_with_file_and_line)
{
    char *dir = temp_dir();
    char file[512];
    snprintf(file, sizeof file, "%s/01-x.md", dir);
    FILE *f = fopen(file, "w");
    fputs("# T\n\n## Add\n\n```nudge\nz = 1 + 1\n```\n\n```expect\nz = 3\n```\n", f);
    fclose(f);
    Text out = {0};
    cr_assert_eq(tutor_check_all(dir, NULL, collect, &out), 1);
    /* The line is the check's own. */
    cr_assert(strstr(out.s, "01-x.md:10: step 1.1 \"Add\": z should be 3, but it is 2"), "%s", out.s);
    text_free(&out);
    remove_dir(dir);
}

/* --- a student at the prompt ------------------------------------------------
 *
 * A Session is what main.c sets up: an interpreter whose output is captured,
 * with the tutor installed.  type() sends one chunk as the REPL would and
 * returns what it printed.  The lessons in tests/unit/data/lessons are small
 * and written for these tests, so they do not depend on the real lessons'
 * wording. */

#define DATA_LESSONS NUDGE_SOURCE_DIR "/tests/unit/data/lessons"

typedef struct Session {
    Interp *in;
    Tutor t;
    Text out;
    Error e;
    bool ok;            /* what the last chunk returned */
} Session;

static void session_open(Session *s, const char *dir, const char *progress, bool color)
{
    memset(s, 0, sizeof *s);
    s->in = interp_new(collect, &s->out);
    interp_set_width(s->in, 60);
    tutor_install(&s->t, s->in, dir, progress, color);
}

static void session_close(Session *s)
{
    tutor_free(&s->t);
    interp_delete(s->in);
    text_free(&s->out);
}

/* What tutor_install printed (notes about the progress file). */
static const char *printed(Session *s)
{
    return s->out.s ? s->out.s : "";
}

static const char *type(Session *s, const char *chunk)
{
    text_free(&s->out);
    s->out = (Text){0};
    s->ok = interp_run_chunk(s->in, chunk, &s->e);
    return printed(s);
}

/* Types a command that must fail, and returns its error message. */
static const char *refused(Session *s, const char *chunk)
{
    type(s, chunk);
    cr_assert_not(s->ok, "'%s' should fail, but printed: %s", chunk, printed(s));
    return s->e.msg;
}

static const char *prompt_of(Session *s)
{
    return interp_hooks(s->in)->prompt(interp_hooks(s->in)->ctx);
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

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static const char *intro_1 =
    "\n"
    "Chapter 1: Sums\n"
    "\n"
    "  Two numbers make a sum.\n"
    "\n"
    "  This chapter starts in a clean workspace.\n"
    "  Commands: hint, solution, reset (the step as it began),\n"
    "  undo, next, back, step N, lesson (this step again), quit.\n";

static const char *step_1_1 =
    "\n"
    "── 1.1  Add two numbers ─────────────────────── step 1 of 3\n"
    "\n"
    "  Add a and `b`, then keep the total in s.\n"
    "\n"
    "  Type:   a = 2\n"
    "          b = 3\n"
    "          s = a + b\n"
    "  (or press Enter to run it)\n";

static const char *step_1_2 =
    "\n"
    "── 1.2  Predict a product ───────────────────── step 2 of 3\n"
    "\n"
    "  ? What is a times b?\n"
    "    (answer with a number or an expression)\n";

static const char *step_1_3 =
    "\n"
    "── 1.3  Read this ───────────────────────────── step 3 of 3\n"
    "\n"
    "  Nothing to type here.\n"
    "\n"
    "  (press Enter to go on)\n";

static char *cat3(const char *a, const char *b, const char *c)
{
    static char buf[8192];
    snprintf(buf, sizeof buf, "%s%s%s", a, b, c);
    return buf;
}

Test(lesson, lessons_lists_every_chapter_in_the_folder_as_not_started)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    cr_assert_str_eq(printed(&s), "");
    cr_assert_null(prompt_of(&s), "no lesson open: the REPL's own prompt");
    const char *list = "  1  Sums                                                 3 steps\n"
                       "  2  Checks                                               6 steps\n"
                       "Type lesson N to start or resume chapter N.\n";
    cr_assert_str_eq(type(&s, "lessons\n"), list);
    /* lesson alone, with no lesson open, lists them too. */
    cr_assert_str_eq(type(&s, "lesson\n"), list);
    cr_assert_str_eq(refused(&s, "lessons 2\n"), "lessons takes nothing after it; to open one, type lesson 3");
    session_close(&s);
}

Test(lesson, lesson_1_shows_the_title_the_introduction_and_the_first_step)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    cr_assert_str_eq(type(&s, "lesson 1\n"), cat3(intro_1, "", step_1_1));
    cr_assert(s.ok);
    cr_assert_str_eq(prompt_of(&s), "lesson 1.1> ");
    /* lesson alone shows the current step again, and says so. */
    cr_assert_str_eq(type(&s, "lesson\n"), cat3("  (step 1.1 again)\n", step_1_1, ""));
    session_close(&s);
}

Test(lesson, a_wrong_result_says_what_was_expected_and_keeps_the_step)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    type(&s, "lesson 1\n");
    cr_assert_str_eq(type(&s, "s = 7\n"),
                     "s = 7\n"
                     "  ✗ s should be 5, but it is 7\n"
                     "  Not yet. Type hint for a hint, or press Enter to run the\n"
                     "  suggested statement.\n");
    cr_assert(s.ok);
    cr_assert_str_eq(prompt_of(&s), "lesson 1.1> ");
    session_close(&s);
}

Test(lesson, a_statement_that_fails_is_an_error_and_the_step_stays)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    type(&s, "lesson 1\n");
    cr_assert_str_eq(refused(&s, "s = a + \n"), "expected a value, got end of line");
    /* The tutor says it in its own words, with the caret under the column. */
    cr_assert_str_eq(printed(&s), "  ✗ nudge cannot read that statement: expected a value, got\n"
                                  "    end of line\n"
                                  "    s = a + \n"
                                  "           ^\n"
                                  "  Nothing changed. Type hint for a hint, or press Enter to\n"
                                  "  run the suggested statement.\n");
    cr_assert(s.e.shown, "the REPL does not show it a second time");
    cr_assert_str_eq(prompt_of(&s), "lesson 1.1> ");
    session_close(&s);
}

Test(lesson, lines_typed_one_at_a_time_wait_quietly_until_the_checks_can_run)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    type(&s, "lesson 1\n");
    cr_assert_str_eq(type(&s, "a = 2\n"), "a = 2\n", "s does not exist yet: no failure reported");
    cr_assert_str_eq(type(&s, "b = 3\n"), "b = 3\n");
    cr_assert_str_eq(type(&s, "s = a + b\n"), cat3("s = 5\n  ✓ s = 5\n", step_1_2, ""));
    cr_assert_str_eq(prompt_of(&s), "lesson 1.2> ");
    session_close(&s);
}

Test(lesson, enter_on_an_empty_line_runs_the_suggestion_and_moves_on)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    type(&s, "lesson 1\n");
    cr_assert_str_eq(type(&s, "\n"), cat3(">> a = 2\n"
                                          "... b = 3\n"
                                          "... s = a + b\n"
                                          "a = 2\n"
                                          "b = 3\n"
                                          "s = 5\n"
                                          "  ✓ s = 5\n",
                                          step_1_2, ""));
    cr_assert_not_null(interp_get(s.in, "s"), "the suggestion ran in the student's session");
    session_close(&s);
}

Test(lesson, hint_shows_the_steps_hints_one_at_a_time_then_again)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    type(&s, "lesson 1\n");
    cr_assert_str_eq(type(&s, "hint\n"), "  hint 1 of 2:\n  The sum of 2 and 3 is 5.\n\n");
    cr_assert_str_eq(type(&s, "hint\n"), "  hint 2 of 2:\n  Type s = a + b.\n\n");
    cr_assert_str_eq(type(&s, "hint\n"), "  hint 1 of 2:\n  The sum of 2 and 3 is 5.\n\n");
    /* A new step starts again from its first hint. */
    type(&s, "next\n");
    cr_assert_str_eq(type(&s, "back\n"), cat3("\nThe workspace is clean again, as the chapter starts.\n", step_1_1, ""));
    cr_assert_str_eq(type(&s, "hint\n"), "  hint 1 of 2:\n  The sum of 2 and 3 is 5.\n\n");
    session_close(&s);
}

Test(lesson, hint_on_a_step_without_one_says_so)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    type(&s, "lesson 1\n");
    type(&s, "next\n");
    cr_assert_str_eq(type(&s, "hint\n"), "  (this step has no hint; solution shows the answer)\n");
    cr_assert(s.ok);
    session_close(&s);
}

Test(lesson, a_quiz_takes_numbers_and_expressions_within_its_tolerance)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    type(&s, "lesson 1\n");
    type(&s, "\n");
    cr_assert_str_eq(type(&s, "a*b + 1\n"),
                     "  ✗ Not quite: 7 is not the answer.\n"
                     "  Try again, or type hint for a hint (next shows the answer\n"
                     "  and moves on).\n");
    /* answer: 6 ± 0.01 */
    cr_assert(strstr(type(&s, "6.02\n"), "✗ Not quite: 6.02 is not the answer."), "%s", printed(&s));
    cr_assert_str_eq(type(&s, "\n"), "  (type your answer: a number or an expression; next skips\n   the question)\n");
    cr_assert_str_eq(type(&s, "6 +\n"),
                     "  ✗ That does not work out as an answer: expected a value,\n"
                     "    got end of line\n"
                     "  Try again, or type hint for a hint (next shows the answer\n"
                     "  and moves on).\n");
    cr_assert_str_eq(prompt_of(&s), "lesson 1.2> ");
    cr_assert_str_eq(type(&s, "6.005\n"), cat3("  ✓ right: 6\n", step_1_3, ""));
    session_close(&s);
}

Test(lesson, next_on_a_quiz_shows_the_answer_and_next_on_the_last_step_finishes)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    type(&s, "lesson 1\n");
    /* A skipped step's statement is run, so later steps have its variables. */
    cr_assert_str_eq(type(&s, "next\n"), cat3("  (skipped: the step's statement was run for you, so the\n"
                                               "  next steps have its variables)\n",
                                               step_1_2, ""));
    cr_assert_eq(value_to_double(interp_get(s.in, "s")), 5);
    cr_assert_str_eq(type(&s, "next\n"), cat3("  (the answer was 6)\n", step_1_3, ""));
    cr_assert_str_eq(type(&s, "next\n"), "\n✓ Chapter 1 is done. Type lesson 2 for the next chapter, or\n  lessons to see them all.\n");
    cr_assert_null(prompt_of(&s));
    cr_assert(strstr(refused(&s, "next\n"), "next: no lesson is open"));
    session_close(&s);
}

Test(lesson, back_on_the_first_step_is_refused_and_otherwise_goes_back)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    type(&s, "lesson 1\n");
    cr_assert_str_eq(refused(&s, "back\n"), "back: this is the first step");
    cr_assert_str_eq(prompt_of(&s), "lesson 1.1> ");
    type(&s, "next\n");
    type(&s, "next\n");
    cr_assert_str_eq(prompt_of(&s), "lesson 1.3> ");
    cr_assert_str_eq(type(&s, "back\n"), cat3("\nThe workspace now holds what step 1 makes: its statement was\n"
                                               "run again for you, in a clean workspace.\n",
                                               step_1_2, ""));
    cr_assert_str_eq(prompt_of(&s), "lesson 1.2> ");
    cr_assert_eq(value_to_double(interp_get(s.in, "s")), 5, "step 1's statement made s");
    session_close(&s);
}

Test(lesson, finishing_every_step_marks_the_chapter_done)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    type(&s, "lesson 1\n");
    type(&s, "\n");
    type(&s, "6\n");
    cr_assert_str_eq(type(&s, "\n"), "\n✓ Chapter 1 is done. Type lesson 2 for the next chapter, or\n  lessons to see them all.\n");
    cr_assert_null(prompt_of(&s));
    cr_assert_str_eq(type(&s, "lessons\n"),
                     "  1  Sums                                                 done\n"
                     "  2  Checks                                               6 steps\n"
                     "Type lesson N to start or resume chapter N.\n");
    /* Opening a finished chapter starts it from the beginning. */
    cr_assert_str_eq(type(&s, "lesson 1\n"), cat3(intro_1, "", step_1_1));
    session_close(&s);
}

Test(lesson, the_last_chapter_in_the_folder_says_so_when_done)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    type(&s, "lesson 2\n");
    for (int i = 0; i < 5; i++)
        type(&s, "next\n");
    cr_assert(strstr(type(&s, "next\n"), "✓ Chapter 2 is done. That was the last chapter: well done.\n"), "%s",
              printed(&s));
    session_close(&s);
}

Test(lesson, the_folder_decides_which_chapter_comes_next_and_which_is_last)
{
    char *dir = temp_dir();
    write_file(dir, "01-first.md", "# First\n\n## Only\n\nRead.\n");
    write_file(dir, "08-eighth.md", "# Eighth\n\n## Only\n\nRead.\n");
    Session s;
    session_open(&s, dir, NULL, false);
    cr_assert_str_eq(refused(&s, "lesson 99\n"), "lesson: there is no chapter 99 (chapters are 1 to 8)");
    type(&s, "lesson 1\n");
    cr_assert_str_eq(type(&s, "\n"), "\n✓ Chapter 1 is done. Type lesson 8 for the next chapter, or\n  lessons to see them all.\n");
    type(&s, "lesson 8\n");
    cr_assert_str_eq(type(&s, "\n"), "\n✓ Chapter 8 is done. That was the last chapter: well done.\n");
    session_close(&s);
    /* With no lesson files at all there is no range to give. */
    session_open(&s, "/nonexistent/lessons", NULL, false);
    cr_assert_str_eq(refused(&s, "lesson 99\n"), "lesson: there is no chapter 99");
    session_close(&s);
    remove_dir(dir);
}

Test(lesson, commands_of_a_lesson_need_an_open_lesson)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    const char *want = ": no lesson is open; type lessons to see them, lesson 1 to begin";
    char msg[128];
    snprintf(msg, sizeof msg, "next%s", want);
    cr_assert_str_eq(refused(&s, "next\n"), msg);
    snprintf(msg, sizeof msg, "back%s", want);
    cr_assert_str_eq(refused(&s, "back\n"), msg);
    snprintf(msg, sizeof msg, "hint%s", want);
    cr_assert_str_eq(refused(&s, "hint\n"), msg);
    /* Statements run as usual. */
    cr_assert_str_eq(type(&s, "x = 1 + 1\n"), "x = 2\n");
    /* quit with no lesson open leaves nudge. */
    cr_assert_not(interp_quitting(s.in));
    type(&s, "quit\n");
    cr_assert(interp_quitting(s.in));
    session_close(&s);
}

Test(lesson, quit_leaves_the_lesson_and_keeps_the_variables)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    type(&s, "lesson 1\n");
    type(&s, "\n");
    cr_assert_str_eq(type(&s, "quit\n"),
                     "Left chapter 1 at step 2; the lesson's variables stay.\n"
                     "lesson 1 resumes.\n");
    cr_assert_not(interp_quitting(s.in), "quit in a lesson leaves the lesson, not nudge");
    cr_assert_null(prompt_of(&s));
    cr_assert_str_eq(type(&s, "s\n"), "s = 5\n");
    /* Blank lines and statements are no longer the lesson's. */
    cr_assert_str_eq(type(&s, "\n"), "");
    cr_assert(s.ok);
    session_close(&s);
}

Test(lesson, a_command_typed_after_spaces_is_still_a_command)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    type(&s, "lesson 1\n");
    cr_assert_str_eq(type(&s, "  \thint\n"), "  hint 1 of 2:\n  The sum of 2 and 3 is 5.\n\n");
    session_close(&s);
}

Test(lesson, a_variable_named_like_a_command_is_still_assigned_in_a_lesson)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    type(&s, "lesson 1\n");
    cr_assert_str_eq(type(&s, "next = 4\n"), "next = 4\nnote: next is also a command, and a line that is just next "
                                              "runs it; (next) shows the variable\n");
    cr_assert_str_eq(prompt_of(&s), "lesson 1.1> ", "the assignment did not skip the step");
    session_close(&s);
}

Test(lesson, lesson_with_a_bad_number_is_refused)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    cr_assert_str_eq(refused(&s, "lesson 99\n"), "lesson: there is no chapter 99 (chapters are 1 to 2)");
    cr_assert_str_eq(refused(&s, "lesson 0\n"), "lesson: there is no chapter 0 (chapters are 1 to 2)");
    cr_assert_str_eq(refused(&s, "lesson 5\n"), "lesson: there is no chapter 5 in '" DATA_LESSONS "'");
    cr_assert_str_eq(refused(&s, "lesson x\n"), "lesson: give a chapter number, as in lesson 3");
    cr_assert_str_eq(refused(&s, "lesson 1 again\n"), "lesson: after the number only 'restart' may follow");
    cr_assert_str_eq(refused(&s, "lesson 99 restart\n"), "lesson: there is no chapter 99 (chapters are 1 to 2)");
    cr_assert_str_eq(refused(&s, "lesson 5 restart\n"), "lesson: there is no chapter 5 in '" DATA_LESSONS "'");
    cr_assert_null(prompt_of(&s), "no lesson was opened");
    Error e;
    cr_assert_not(tutor_start(&s.t, 10, false, &e));
    cr_assert_str_eq(e.msg, "lesson: there is no chapter 10 (chapters are 1 to 2)");
    session_close(&s);
}

Test(lesson, switching_chapters_keeps_each_ones_place)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    type(&s, "lesson 1\n");
    type(&s, "\n");
    type(&s, "lesson 2\n");
    cr_assert_str_eq(prompt_of(&s), "lesson 2.1> ");
    cr_assert_str_eq(type(&s, "lessons\n"),
                     "  1  Sums                                                 1/3\n"
                     "  2  Checks                                               6 steps  (open)\n"
                     "Type lesson N to start or resume chapter N.\n");
    cr_assert(strstr(type(&s, "lesson 1\n"), "Welcome back: resuming at step 2 of 3"), "%s", printed(&s));
    cr_assert_str_eq(prompt_of(&s), "lesson 1.2> ");
    session_close(&s);
}

/* --- restarting -------------------------------------------------------------- */

Test(lesson, restart_of_an_unstarted_chapter_does_not_ask)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    cr_assert_str_eq(type(&s, "lesson 1 restart\n"), cat3(intro_1, "", step_1_1));
    cr_assert_str_eq(prompt_of(&s), "lesson 1.1> ");
    session_close(&s);
}

static const char *restart_question =
    "Start chapter 1 again from the first step? Your progress\n"
    "there (1 steps done) will be reset.\n";

static void at_step_2_of_chapter_1(Session *s, const char *progress)
{
    session_open(s, DATA_LESSONS, progress, false);
    type(s, "lesson 1\n");
    type(s, "\n");
    cr_assert_str_eq(prompt_of(s), "lesson 1.2> ");
}

Test(lesson, restart_asks_first_and_n_keeps_the_progress)
{
    Session s;
    at_step_2_of_chapter_1(&s, NULL);
    cr_assert_str_eq(type(&s, "lesson 1 restart\n"), restart_question);
    cr_assert_str_eq(prompt_of(&s), "restart? [y/N] ");
    cr_assert_str_eq(type(&s, "n\n"), "  kept your progress\n");
    cr_assert_str_eq(prompt_of(&s), "lesson 1.2> ");
    session_close(&s);
}

Test(lesson, restart_takes_enter_or_any_other_answer_as_no)
{
    Session s;
    at_step_2_of_chapter_1(&s, NULL);
    type(&s, "lesson 1 restart\n");
    cr_assert_str_eq(type(&s, "\n"), "  kept your progress\n");
    type(&s, "lesson 1 restart\n");
    cr_assert_str_eq(type(&s, "next\n"), "  kept your progress\n", "the answer is not run as a command");
    cr_assert_str_eq(prompt_of(&s), "lesson 1.2> ");
    session_close(&s);
}

Test(lesson, restart_with_yes_starts_the_chapter_again_and_resets_its_progress)
{
    char *dir = temp_dir();
    char path[600];
    snprintf(path, sizeof path, "%s/progress", dir);
    Session s;
    at_step_2_of_chapter_1(&s, path);
    cr_assert_str_eq(read_all(path), "# nudge lesson progress: chapter, step to resume at, steps done\n1 1 1\n");
    type(&s, "lesson 1 restart\n");
    cr_assert_str_eq(type(&s, "  Yes\n"), cat3(intro_1, "", step_1_1));
    cr_assert(s.ok);
    cr_assert_str_eq(prompt_of(&s), "lesson 1.1> ");
    cr_assert_str_eq(read_all(path), "# nudge lesson progress: chapter, step to resume at, steps done\n");
    session_close(&s);
    remove_dir(dir);
}

/* --- progress ----------------------------------------------------------------- */

Test(lesson, progress_is_saved_after_each_step_and_a_new_session_resumes_there)
{
    char *dir = temp_dir();
    char path[600];
    snprintf(path, sizeof path, "%s/state/nudge/progress", dir);
    Session s;
    at_step_2_of_chapter_1(&s, path);
    type(&s, "quit\n");
    session_close(&s);

    session_open(&s, DATA_LESSONS, path, false);
    cr_assert_str_eq(type(&s, "lessons\n"),
                     "  1  Sums                                                 1/3\n"
                     "  2  Checks                                               6 steps\n"
                     "Type lesson N to start or resume chapter N.\n");
    cr_assert_str_eq(type(&s, "lesson 1\n"),
                     cat3("\nChapter 1: Sums\n"
                          "\n"
                          "  This chapter starts in a clean workspace.\n"
                          "  Welcome back: resuming at step 2 of 3 (the earlier steps'\n"
                          "  statements were run again, so their variables are here).\n"
                          "  Commands: hint, solution, reset (the step as it began),\n"
                          "  undo, next, back, step N, lesson (this step again), quit.\n",
                          step_1_2, ""));
    /* The replay's output was hidden, but its variables are here. */
    cr_assert_str_eq(type(&s, "a*b\n"), cat3("  ✓ right: 6\n", step_1_3, ""));
    cr_assert_str_eq(read_all(path), "# nudge lesson progress: chapter, step to resume at, steps done\n1 2 2\n");
    type(&s, "\n");
    cr_assert_str_eq(read_all(path), "# nudge lesson progress: chapter, step to resume at, steps done\n1 0 3\n");
    session_close(&s);
    remove_dir(dir);
}

Test(lesson, a_resume_point_past_the_end_of_a_shorter_lesson_starts_again)
{
    char *dir = temp_dir();
    write_file(dir, "progress", "1 7 2\n");
    char path[600];
    snprintf(path, sizeof path, "%s/progress", dir);
    Session s;
    session_open(&s, DATA_LESSONS, path, false);
    cr_assert_str_eq(type(&s, "lesson 1\n"), cat3(intro_1, "", step_1_1));
    session_close(&s);
    remove_dir(dir);
}

Test(lesson, a_corrupt_progress_file_is_set_aside_and_reported_at_start)
{
    char *dir = temp_dir();
    write_file(dir, "progress", "1 2 2\nnot progress\n");
    char path[600], want[2048];
    snprintf(path, sizeof path, "%s/progress", dir);
    Session s;
    session_open(&s, DATA_LESSONS, path, false);
    snprintf(want, sizeof want,
             "note: progress: line 2 of '%s' is not understood; the file was moved to '%s.corrupt' and "
             "progress starts afresh\n", path, path);
    cr_assert_str_eq(printed(&s), want);
    cr_assert(strstr(type(&s, "lessons\n"), "  1  Sums                                                 3 steps\n"));
    /* The next save writes a fresh file beside the one set aside. */
    type(&s, "lesson 1\n");
    type(&s, "\n");
    cr_assert_str_eq(read_all(path), "# nudge lesson progress: chapter, step to resume at, steps done\n1 1 1\n");
    char aside[700];
    snprintf(aside, sizeof aside, "%s.corrupt", path);
    cr_assert_str_eq(read_all(aside), "1 2 2\nnot progress\n");
    session_close(&s);
    remove_dir(dir);
}

Test(lesson, a_folder_where_the_progress_file_should_be_is_set_aside_and_reported)
{
    char *dir = temp_dir();
    char path[600], aside[700], want[2048];
    snprintf(path, sizeof path, "%s/progress", dir);
    snprintf(aside, sizeof aside, "%s.corrupt", path);
    cr_assert_eq(mkdir(path, 0755), 0);
    Session s;
    session_open(&s, DATA_LESSONS, path, false);
    snprintf(want, sizeof want,
             "note: progress: cannot read '%s': Is a directory; the file was moved to '%s' and progress starts "
             "afresh\n", path, aside);
    cr_assert_str_eq(printed(&s), want);
    struct stat st;
    cr_assert(stat(aside, &st) == 0 && S_ISDIR(st.st_mode), "the folder was set aside whole");
    /* Progress is saved again from here on, without a note at every step. */
    type(&s, "lesson 1\n");
    cr_assert_not(strstr(type(&s, "\n"), "note:"), "%s", printed(&s));
    cr_assert_str_eq(read_all(path), "# nudge lesson progress: chapter, step to resume at, steps done\n1 1 1\n");
    session_close(&s);
    remove_dir(dir);
}

Test(lesson, a_progress_file_that_cannot_be_opened_is_set_aside_and_reported)
{
    char *dir = temp_dir();
    char path[600], aside[700], want[2048];
    snprintf(path, sizeof path, "%s/progress", dir);
    snprintf(aside, sizeof aside, "%s.corrupt", path);
    cr_assert_eq(symlink("progress", path), 0, "a link to itself, which no one can open");
    Progress p;
    Error e;
    cr_assert_not(progress_load(&p, path, &e));
    snprintf(want, sizeof want,
             "progress: cannot read '%s': Too many levels of symbolic links; the file was moved to '%s' and "
             "progress starts afresh", path, aside);
    cr_assert_str_eq(e.msg, want);
    char target[64] = "";
    cr_assert_gt(readlink(aside, target, sizeof target - 1), 0, "the link was kept as it was");
    cr_assert_str_eq(target, "progress");
    cr_assert_str_eq(p.path, path, "the next save writes a fresh file");
    progress_free(&p);
    remove_dir(dir);
}

Test(lesson, a_progress_file_that_cannot_be_moved_aside_is_never_written)
{
    char *dir = temp_dir();
    write_file(dir, "state", "not a folder\n");
    char path[600], want[2048];
    snprintf(path, sizeof path, "%s/state/progress", dir);
    char state[600];
    snprintf(state, sizeof state, "%s/state", dir);
    Session s;
    session_open(&s, DATA_LESSONS, path, false);
    snprintf(want, sizeof want,
             "note: progress: cannot read '%s': Not a directory, and it cannot be moved aside (Not a directory); "
             "progress is kept for this session only\n", path);
    cr_assert_str_eq(printed(&s), want);
    type(&s, "lesson 1\n");
    cr_assert_not(strstr(type(&s, "\n"), "note:"), "no note at every step: %s", printed(&s));
    cr_assert_str_eq(prompt_of(&s), "lesson 1.2> ");
    cr_assert_str_eq(read_all(state), "not a folder\n");
    session_close(&s);
    remove_dir(dir);
}

Test(lesson, progress_lines_out_of_range_are_corrupt)
{
    static const char *const bad[] = { "0 1 1\n", "10 1 1\n", "1 -1 0\n", "1 0 -2\n", "1 2\n", "1 2 3 extra\n",
                                       "1 99999999999999999999999 0\n", "1 0 18446744073709551616\n",
                                       "4294967297 1 1\n" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *dir = temp_dir();
        write_file(dir, "progress", bad[i]);
        char path[600];
        snprintf(path, sizeof path, "%s/progress", dir);
        Progress p;
        Error e;
        cr_assert_not(progress_load(&p, path, &e), "'%s' was accepted", bad[i]);
        cr_assert(strstr(e.msg, "line 1 of"), "%s", e.msg);
        progress_free(&p);
        remove_dir(dir);
    }
    /* Comments and blank lines are fine. */
    char *dir = temp_dir();
    write_file(dir, "progress", "# a comment\n\n2 3 4\n");
    char path[600];
    snprintf(path, sizeof path, "%s/progress", dir);
    Progress p;
    Error e;
    cr_assert(progress_load(&p, path, &e), "%s", e.msg);
    cr_assert_eq(p.ch[2].step, 3);
    cr_assert_eq(p.ch[2].done, 4);
    progress_free(&p);
    remove_dir(dir);
}

/* Fixed bug (issue 18): progress saved at step 10 001 of a long lesson
 * was refused as corrupt on the next start.  Whatever is written reads
 * back, up to the largest count a size_t holds. */
Test(lesson, progress_at_any_step_reads_back)
{
    char *dir = temp_dir();
    char path[600];
    snprintf(path, sizeof path, "%s/progress", dir);
    Progress p;
    Error e;
    cr_assert(progress_load(&p, path, &e), "%s", e.msg);
    p.ch[1] = (ChapterProgress){ 10001, 10001 };
    p.ch[2] = (ChapterProgress){ 0, 10002 };
    p.ch[LESSON_MAX_CHAPTERS] = (ChapterProgress){ SIZE_MAX, SIZE_MAX };
    cr_assert(progress_save(&p, &e), "%s", e.msg);
    progress_free(&p);
    cr_assert(progress_load(&p, path, &e), "%s", e.msg);
    cr_assert_eq(p.ch[1].step, 10001);
    cr_assert_eq(p.ch[1].done, 10001);
    cr_assert_eq(p.ch[2].done, 10002);
    cr_assert_eq(p.ch[LESSON_MAX_CHAPTERS].step, SIZE_MAX);
    cr_assert_eq(p.ch[LESSON_MAX_CHAPTERS].done, SIZE_MAX);
    progress_free(&p);
    free(dir);
}

Test(lesson, progress_that_cannot_be_written_is_reported_and_the_lesson_goes_on)
{
    char *dir = temp_dir();
    char path[600], want[800];
    snprintf(path, sizeof path, "%s/state/progress", dir);
    Session s;
    session_open(&s, DATA_LESSONS, path, false);
    cr_assert_str_eq(printed(&s), "");
    /* Its folder turns into a file after nudge started. */
    write_file(dir, "state", "not a folder\n");
    type(&s, "lesson 1\n");
    snprintf(want, sizeof want, "note: progress: cannot write '%s': Not a directory\n", path);
    cr_assert(strstr(type(&s, "\n"), want), "%s", printed(&s));
    cr_assert_str_eq(prompt_of(&s), "lesson 1.2> ");
    session_close(&s);
    remove_dir(dir);
}

Test(lesson, a_save_that_cannot_replace_the_file_leaves_no_temporary_file_behind)
{
    char *dir = temp_dir();
    char path[600], want[800];
    snprintf(path, sizeof path, "%s/progress", dir);
    Session s;
    session_open(&s, DATA_LESSONS, path, false);
    /* A folder appears where the file should go after nudge started. */
    cr_assert_eq(mkdir(path, 0755), 0);
    write_file(path, "keep", "x\n");
    type(&s, "lesson 1\n");
    snprintf(want, sizeof want, "note: progress: cannot write '%s': Is a directory\n", path);
    cr_assert(strstr(type(&s, "\n"), want), "%s", printed(&s));
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int entries = 0;
    /* progress.lock stays: it is the lock every nudge saves under. */
    for (struct dirent *ent; (ent = readdir(d)) != NULL;)
        if (ent->d_name[0] != '.' && strcmp(ent->d_name, "progress.lock") != 0) {
            entries++;
            cr_assert_str_eq(ent->d_name, "progress", "left behind: %s", ent->d_name);
        }
    closedir(d);
    cr_assert_eq(entries, 1);
    session_close(&s);
    remove_dir(dir);
}

Test(lesson, progress_in_memory_only_is_never_written)
{
    Progress p;
    Error e;
    cr_assert(progress_load(&p, NULL, &e));
    p.ch[1].step = 2;
    cr_assert(progress_save(&p, &e));
    cr_assert_null(p.path);
    progress_free(&p);
}

Test(lesson, the_progress_file_lives_under_xdg_state_home_or_home)
{
    char *p = files_state_path("progress", "/x/state", "/home/me");
    cr_assert_str_eq(p, "/x/state/nudge/progress");
    mem_free(p);
    p = files_state_path("progress", "", "/home/me");
    cr_assert_str_eq(p, "/home/me/.local/state/nudge/progress");
    mem_free(p);
    p = files_state_path("progress", NULL, "/home/me");
    cr_assert_str_eq(p, "/home/me/.local/state/nudge/progress");
    mem_free(p);
    cr_assert_null(files_state_path("progress", NULL, NULL));
    cr_assert_null(files_state_path("progress", "", ""));
    p = files_state_path("history", "/x/state", "/home/me");
    cr_assert_str_eq(p, "/x/state/nudge/history");
    mem_free(p);
}

/* --- where the lessons are -------------------------------------------------- */

Test(lesson, a_missing_lessons_folder_is_reported)
{
    Session s;
    session_open(&s, "/nonexistent/lessons", NULL, false);
    cr_assert_str_eq(refused(&s, "lessons\n"), "lessons: no lesson files found in /nonexistent/lessons");
    cr_assert_str_eq(refused(&s, "lesson\n"), "lessons: no lesson files found in /nonexistent/lessons");
    cr_assert_str_eq(refused(&s, "lesson 1\n"), "lesson: there is no chapter 1 in '/nonexistent/lessons'");
    session_close(&s);
}

Test(lesson, an_empty_lessons_folder_is_reported)
{
    char *dir = temp_dir();
    write_file(dir, "README.md", "# Not a lesson\n");
    write_file(dir, "notes.txt", "1\n");
    Session s;
    session_open(&s, dir, NULL, false);
    char want[600];
    snprintf(want, sizeof want, "lessons: no lesson files found in %s", dir);
    cr_assert_str_eq(refused(&s, "lessons\n"), want);
    snprintf(want, sizeof want, "lesson: there is no chapter 3 in '%s'", dir);
    cr_assert_str_eq(refused(&s, "lesson 3\n"), want);
    session_close(&s);
    Text out = {0};
    cr_assert_eq(tutor_check_all(dir, NULL, collect, &out), -1);
    snprintf(want, sizeof want, "no lesson files (NN-name.md) in '%s'\n", dir);
    cr_assert_str_eq(out.s, want);
    text_free(&out);
    remove_dir(dir);
}

Test(lesson, with_no_lessons_folder_at_all_the_student_is_told_to_set_nudge_lessons)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, false);
    /* What tutor_install leaves when lesson_find_dir finds nothing. */
    mem_free(s.t.dir);
    s.t.dir = NULL;
    cr_assert_str_eq(refused(&s, "lessons\n"), "lessons: no lesson files found");
    cr_assert_str_eq(refused(&s, "lesson 1\n"),
                     "lesson: no lessons folder found (set NUDGE_LESSONS to the folder of lesson files)");
    session_close(&s);
    Text out = {0};
    cr_assert_eq(tutor_check_all(NULL, NULL, collect, &out), -1);
    cr_assert_str_eq(out.s, "no lessons folder found (set NUDGE_LESSONS)\n");
    text_free(&out);
}

Test(lesson, nudge_lessons_names_the_folder_when_none_is_given)
{
    setenv("NUDGE_LESSONS", DATA_LESSONS, 1);
    char *d = lesson_find_dir();
    cr_assert_str_eq(d, DATA_LESSONS);
    mem_free(d);
    Session s;
    session_open(&s, NULL, NULL, false);
    cr_assert(strstr(type(&s, "lessons\n"), "  2  Checks"), "%s", printed(&s));
    session_close(&s);
    /* Without it, the source tree's lessons are found. */
    unsetenv("NUDGE_LESSONS");
    d = lesson_find_dir();
    cr_assert_str_eq(d, NUDGE_SOURCE_DIR "/lessons");
    mem_free(d);
}

Test(lesson, a_lesson_file_that_cannot_be_read_is_listed_as_such)
{
    char *dir = temp_dir();
    write_file(dir, "01-good.md", "# Good\n\n## Only step\n\nRead me.\n");
    write_file(dir, "02-bad.md", "# Bad\n\nno steps at all\n");
    Session s;
    session_open(&s, dir, NULL, false);
    char want[1200];
    snprintf(want, sizeof want,
             "  1  Good                                                 1 steps\n"
             "  2  (cannot be read: %s/02-bad.md:1: the lesson has no steps ('##' headings))\n"
             "Type lesson N to start or resume chapter N.\n", dir);
    cr_assert_str_eq(type(&s, "lessons\n"), want);
    snprintf(want, sizeof want, "%s/02-bad.md:1: the lesson has no steps ('##' headings)", dir);
    cr_assert_str_eq(refused(&s, "lesson 2\n"), want);
    session_close(&s);
    remove_dir(dir);
}

Test(lesson, a_folder_whose_only_lesson_is_broken_lists_it_rather_than_none)
{
    char *dir = temp_dir();
    write_file(dir, "01-bad.md", "# Bad\n\nno steps at all\n");
    Session s;
    session_open(&s, dir, NULL, false);
    char want[1200];
    snprintf(want, sizeof want,
             "  1  (cannot be read: %s/01-bad.md:1: the lesson has no steps ('##' headings))\n"
             "Type lesson N to start or resume chapter N.\n", dir);
    cr_assert_str_eq(type(&s, "lessons\n"), want);
    cr_assert(s.ok, "the file is there; it was listed: %s", s.e.msg);
    session_close(&s);
    remove_dir(dir);
}

Test(lesson, a_quiz_whose_question_renders_empty_shows_just_the_mark)
{
    char *dir = temp_dir();
    write_file(dir, "01-q.md", "# Q\n\n## Ask\n\n```quiz\n<!-- the question is in the picture -->\nanswer: 1\n```\n");
    Session s;
    session_open(&s, dir, NULL, false);
    cr_assert(strstr(type(&s, "lesson 1\n"), "\n  ? \n    (answer with a number or an expression)\n"), "%s",
              printed(&s));
    session_close(&s);
    remove_dir(dir);
}

Test(lesson, check_all_gives_every_failed_check_its_file_and_line)
{
    char *dir = temp_dir();
    write_file(dir, "01-two.md",
               "# Two\n\n## Both wrong\n\n```nudge\nx = 1\ny = 2\n```\n\n```expect\nx = 3\ny = 4\n```\n");
    Text out = {0};
    cr_assert_eq(tutor_check_all(dir, NULL, collect, &out), 2, "two checks failed: %s", out.s);
    char want[1400];
    snprintf(want, sizeof want,
             "%s/01-two.md:11: step 1.1 \"Both wrong\": x should be 3, but it is 1\n"
             "%s/01-two.md:12: step 1.1 \"Both wrong\": y should be 4, but it is 2\n"
             "✗ chapter 1, Two: 1 steps, 2 checks, 0 mistake blocks FAILED\n"
             "2 failures\n",
             dir, dir);
    cr_assert_str_eq(out.s, want);
    text_free(&out);
    remove_dir(dir);
}

/* --- checks: numbers, tolerances, NaN, strings, vectors ----------------------- */

static void open_chapter_2(Session *s)
{
    session_open(s, DATA_LESSONS, NULL, false);
    type(s, "lesson 2\n");
    cr_assert_str_eq(prompt_of(s), "lesson 2.1> ");
}

Test(lesson, a_number_is_checked_to_half_a_unit_in_its_last_decimal)
{
    Session s;
    open_chapter_2(&s);
    /* r = 0.667 */
    cr_assert(strstr(type(&s, "r = 0.66\n"), "  ✗ r should be 0.667, but it is 0.660\n"), "%s", printed(&s));
    cr_assert(strstr(type(&s, "r = 0.6676\n"), "✗ r should be 0.6670, but it is 0.6676\n"), "%s", printed(&s));
    cr_assert(strstr(type(&s, "r = 0.6668\n"), "  ✓ r = 0.667\n"), "%s", printed(&s));
    cr_assert_str_eq(prompt_of(&s), "lesson 2.2> ");
    session_close(&s);
}

Test(lesson, nan_is_expected_only_by_nan)
{
    Session s;
    open_chapter_2(&s);
    type(&s, "next\n");
    /* q = nan */
    cr_assert(strstr(type(&s, "q = 0\n"), "  ✗ q should be nan, but it is 0\n"), "%s", printed(&s));
    cr_assert(strstr(type(&s, "q = inf\n"), "  ✗ q should be nan, but it is inf\n"), "%s", printed(&s));
    cr_assert(strstr(type(&s, "q = sqrt(-1)\n"), "  ✓ q = NaN\n"), "%s", printed(&s));
    session_close(&s);
}

Test(lesson, a_string_is_checked_exactly)
{
    Session s;
    open_chapter_2(&s);
    type(&s, "next\n");
    type(&s, "next\n");
    cr_assert(strstr(type(&s, "name = \"gelu\"\n"), "  ✗ name should be \"relu\", but it is \"gelu\"\n"), "%s",
              printed(&s));
    cr_assert(strstr(type(&s, "name = 3\n"), "  ✗ name should be \"relu\", but it is 3\n"), "%s", printed(&s));
    cr_assert(strstr(type(&s, "name = \"relu\"\n"), "  ✓ name = \"relu\"\n"), "%s", printed(&s));
    session_close(&s);
}

Test(lesson, a_vector_is_checked_element_by_element_and_by_length)
{
    Session s;
    open_chapter_2(&s);
    for (int i = 0; i < 3; i++)
        type(&s, "next\n");
    cr_assert(strstr(type(&s, "v = [0.5, 1.3]\n"), "  ✗ v should be [0.50, 1.25], but it is [0.50, 1.30]\n"), "%s",
              printed(&s));
    cr_assert(strstr(type(&s, "v = [0.5, 1.25, 0]\n"), "✗ v should be [0.5, 1.25], but it is [0.5, 1.25, 0]\n"),
              "%s", printed(&s));
    /* A column of the same values is fine. */
    cr_assert(strstr(type(&s, "v = [0.5; 1.25]\n"), "  ✓ v = [0.5, 1.25]\n"), "%s", printed(&s));
    session_close(&s);
}

Test(lesson, a_quiz_answer_may_be_any_expression_of_the_same_value)
{
    Session s;
    open_chapter_2(&s);
    for (int i = 0; i < 4; i++)
        type(&s, "next\n");
    cr_assert_str_eq(prompt_of(&s), "lesson 2.5> ");
    /* answer: 2*1 + 1*(-3) */
    cr_assert(strstr(type(&s, "1\n"), "  ✗ Not quite: 1 is not the answer.\n"), "%s", printed(&s));
    cr_assert(strstr(type(&s, "-1.0000001\n"), "✗ Not quite: -1.0000001 is not the answer.\n"), "an expression's tolerance is relative: %s",
              printed(&s));
    cr_assert(strstr(type(&s, "dot([1, -3], [2, 1])\n"), "  ✓ right: 2*1 + 1*(-3)\n"), "%s", printed(&s));
    session_close(&s);
}

Test(lesson, a_quiz_answer_may_be_a_string)
{
    Session s;
    open_chapter_2(&s);
    for (int i = 0; i < 5; i++)
        type(&s, "next\n");
    cr_assert(strstr(type(&s, "relu\n"), "  ✗ Not quite: built-in function relu is not the answer.\n"), "%s",
              printed(&s));
    cr_assert(strstr(type(&s, "\"tanh\"\n"), "  ✗ Not quite: \"tanh\" is not the answer.\n"), "%s", printed(&s));
    cr_assert(strstr(type(&s, "\"relu\"\n"), "  ✓ right: \"relu\"\n"), "%s", printed(&s));
    session_close(&s);
}

Test(lesson, values_of_different_kinds_never_match)
{
    Value num = value_number(1), inf = value_number(INFINITY), ninf = value_number(-INFINITY);
    Value str;
    cr_assert(value_string(&str, "1", 1, NULL));
    Tensor *one = tensor_from(1, 1, 1, (double[]){ 1 }, NULL);
    Tensor *two = tensor_from(1, 1, 2, (double[]){ 1, 1 }, NULL);
    Tensor *sq = tensor_from(2, 2, 2, (double[]){ 1, 1, 1, 1 }, NULL);
    Tensor *four = tensor_from(1, 1, 4, (double[]){ 1, 1, 1, 1 }, NULL);
    Value t1 = value_tensor(one), t2 = value_tensor(two), tsq = value_tensor(sq), t4 = value_tensor(four);
    cr_assert(tutor_values_match(&t1, &num, "1", false, 0), "a one-element tensor is its number");
    cr_assert_not(tutor_values_match(&t2, &num, "1", false, 0));
    cr_assert_not(tutor_values_match(&num, &t1, "[1]", false, 0));
    cr_assert_not(tutor_values_match(&str, &num, "1", false, 0));
    cr_assert_not(tutor_values_match(&num, &str, "\"1\"", false, 0));
    cr_assert_not(tutor_values_match(&tsq, &t4, "[1, 1, 1, 1]", false, 0), "a 2x2 matrix is not a 4-vector");
    cr_assert(tutor_values_match(&inf, &inf, "inf", false, 0));
    cr_assert_not(tutor_values_match(&ninf, &inf, "inf", false, 0));
    cr_assert_not(tutor_values_match(&num, &inf, "inf", false, 0));
    value_free(&str);
    value_free(&t1);
    value_free(&t2);
    value_free(&tsq);
    value_free(&t4);
}

Test(lesson, an_exponent_or_a_whole_number_asks_for_a_relative_match)
{
    Value got = value_number(1.0005e-3), want = value_number(1e-3);
    cr_assert_not(tutor_values_match(&got, &want, "1e-3", false, 0));
    cr_assert_not(tutor_values_match(&got, &want, "1.000e-3", false, 0));
    got.as.number = 1e-3 * (1 + 1e-12);
    cr_assert(tutor_values_match(&got, &want, "1e-3", false, 0));
    /* Big numbers get a relative tolerance too. */
    got.as.number = 1e12 + 1;
    want.as.number = 1e12;
    cr_assert(tutor_values_match(&got, &want, "1000000000000", false, 0));
    got.as.number = 1e12 + 1e4;
    cr_assert_not(tutor_values_match(&got, &want, "1000000000000", false, 0));
}

Test(lesson, a_lesson_authors_mistake_is_reported_to_the_student_not_as_their_fault)
{
    char *dir = temp_dir();
    write_file(dir, "01-oops.md",
               "# Oops\n\n## A check that cannot evaluate\n\n```nudge\nx = 1\n```\n\n```expect\nx = nosuch\n```\n\n"
               "## A quiz that cannot evaluate\n\n```quiz\nWhat?\nanswer: nosuch * 2\n```\n");
    Session s;
    session_open(&s, dir, NULL, false);
    type(&s, "lesson 1\n");
    cr_assert_str_eq(type(&s, "x = 1\n"),
                     "x = 1\n"
                     "  ✗ this check is broken in the lesson, not in your work:\n"
                     "    its value nosuch does not evaluate (unknown name\n"
                     "    'nosuch')\n"
                     "  Not yet. Type hint for a hint, or press Enter to run the\n"
                     "  suggested statement.\n");
    type(&s, "next\n");
    cr_assert_str_eq(type(&s, "2\n"),
                     "  ✗ This question is broken in the lesson, not in your\n"
                     "    answer: its answer nosuch * 2 does not evaluate (unknown\n"
                     "    name 'nosuch')\n"
                     "  Try again, or type hint for a hint (next shows the answer\n"
                     "  and moves on).\n");
    session_close(&s);
    remove_dir(dir);
}

Test(lesson, the_lesson_is_styled_on_a_colour_terminal)
{
    Session s;
    session_open(&s, DATA_LESSONS, NULL, true);
    cr_assert_str_eq(type(&s, "lesson 1\n"),
                     "\n"
                     "\x1b[1mChapter 1: Sums\x1b[0m\n"
                     "\n"
                     "  Two numbers make a \x1b[1msum\x1b[22m.\n"
                     "\n"
                     "  This chapter starts in a clean workspace.\n"
                     "  Commands: hint, solution, reset (the step as it began),\n"
                     "  undo, next, back, step N, lesson (this step again), quit.\n"
                     "\n"
                     "── 1.1  Add two numbers ─────────────────────── step 1 of 3\n"
                     "\n"
                     "  Add \x1b[3ma\x1b[23m and \x1b[36mb\x1b[39m, then keep the total in s.\n"
                     "\n"
                     "  Type:   \x1b[1;36ma = 2\x1b[0m\n"
                     "          \x1b[1;36mb = 3\x1b[0m\n"
                     "          \x1b[1;36ms = a + b\x1b[0m\n"
                     "  (or press Enter to run it)\n");
    cr_assert_str_eq(type(&s, "s = 1\n"),
                     "s = 1\n"
                     "  \x1b[1;31m✗\x1b[0m s should be 5, but it is 1\n"
                     "  Not yet. Type hint for a hint, or press Enter to run the\n"
                     "  suggested statement.\n");
    cr_assert(strstr(type(&s, "\n"), "  \x1b[1;32m✓\x1b[0m s = 5\n"), "%s", printed(&s));
    cr_assert(strstr(printed(&s), "  \x1b[1;33m?\x1b[0m What is a times b?\n"), "%s", printed(&s));
    cr_assert_str_eq(type(&s, "6\n"), cat3("  \x1b[1;32m✓\x1b[0m right: 6\n", step_1_3, ""));
    cr_assert(strstr(type(&s, "\n"), "\n\x1b[1;32m✓\x1b[0m Chapter 1 is done."), "%s", printed(&s));
    session_close(&s);
}

Test(lesson, a_step_without_a_statement_says_done_when_checked)
{
    char *dir = temp_dir();
    write_file(dir, "01-x.md", "# X\n\nIntro.\n\n## Look\n\n```nudge\nx = 1\n```\n\n## End\n\nBye.\n");
    Session s;
    session_open(&s, dir, NULL, false);
    type(&s, "lesson 1\n");
    /* A nudge block with no expect: whatever runs completes it. */
    cr_assert(strstr(type(&s, "y = 2\n"), "y = 2\n  ✓ done\n"), "%s", printed(&s));
    cr_assert_str_eq(prompt_of(&s), "lesson 1.2> ");
    session_close(&s);
    remove_dir(dir);
}

/* --- --check-lessons ------------------------------------------------------------ */

Test(lesson, check_all_passes_lessons_whose_numbers_hold)
{
    Text out = {0};
    cr_assert_eq(tutor_check_all(DATA_LESSONS, NULL, collect, &out), 0, "%s", out.s);
    cr_assert_str_eq(out.s, "✓ chapter 1, Sums: 3 steps, 2 checks, 0 mistake blocks\n"
                            "✓ chapter 2, Checks: 6 steps, 6 checks, 0 mistake blocks\n"
                            "all 2 lessons passed (8 checks, 0 mistake blocks)\n");
    text_free(&out);
}

Test(lesson, check_all_fails_on_every_kind_of_broken_promise)
{
    char *dir = temp_dir();
    write_file(dir, "01-wrong.md",
               "# Wrong numbers\n\n"
               "## Right\n\n```nudge\nx = 2\n```\n\n```expect\nx = 2\n```\n\n"
               "## Wrong value\n\n```nudge\ny = x + 1\n```\n\n```expect\ny = 4\ny = 3\n```\n\n"
               "## Statement fails\n\n```nudge\nz = nosuch + 1\n```\n\n```expect\nz = 1\n```\n\n"
               "## Unknown name in a check\n\n```nudge\nw = 1\n```\n\n```expect\nww = 1\n```\n\n"
               "## Quiz\n\n```quiz\nWhat?\nanswer: nosuch * 2\n```\n");
    write_file(dir, "02-broken.md", "# Broken\n\n## S\n\n```quiz\nno answer line\n```\n");
    Text out = {0};
    cr_assert_eq(tutor_check_all(dir, NULL, collect, &out), 5, "%s", out.s);
    char want[2000];
    /* Each defect at the line of the check, the statement or the quiz. */
    snprintf(want, sizeof want,
             "%s/01-wrong.md:20: step 1.2 \"Wrong value\": y should be 4, but it is 3\n"
             "%s/01-wrong.md:24: step 1.3 \"Statement fails\": the step's own statement fails: unknown name "
             "'nosuch'\n"
             "%s/01-wrong.md:41: step 1.4 \"Unknown name in a check\": the check ww reads nothing the step's "
             "statement sets, so no statement can answer it\n"
             "%s/01-wrong.md:46: step 1.5 \"Quiz\": the quiz answer nosuch * 2 does not evaluate: unknown name "
             "'nosuch'\n"
             "✗ chapter 1, Wrong numbers: 5 steps, 6 checks, 0 mistake blocks FAILED\n"
             "%s/02-broken.md:5: a quiz block needs a line 'answer: EXPR' after its question\n"
             "5 failures\n",
             dir, dir, dir, dir, dir);
    cr_assert_str_eq(out.s, want);
    text_free(&out);
    remove_dir(dir);
}

/* A setup that the lessons below need: the command `seven` sets k = 7.
 * (A variable would not do: each chapter starts in a clean workspace.) */
static bool cmd_seven(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    (void)arg;
    return interp_set(in, "k", value_number(7), e);
}

static const Command seven_command[] = { { "seven", cmd_seven, "seven", "Sets k to 7." } };

static void define_k(Interp *in)
{
    cr_assert(interp_add_commands(in, seven_command, 1, NULL));
}

Test(lesson, check_all_sets_up_each_lessons_interpreter)
{
    char *dir = temp_dir();
    write_file(dir, "01-k.md", "# K\n\n## Uses k\n\n```nudge\nseven\nm = k * 2\n```\n\n```expect\nm = 14\n```\n");
    write_file(dir, "02-k.md", "# K again\n\n## Uses k\n\n```nudge\nseven\nm = k + 1\n```\n\n```expect\nm = 8\n```\n");
    Text out = {0};
    cr_assert_eq(tutor_check_all(dir, define_k, collect, &out), 0, "%s", out.s);
    cr_assert(strstr(out.s, "all 2 lessons passed (2 checks, 0 mistake blocks)\n"), "%s", out.s);
    text_free(&out);
    out = (Text){0};
    cr_assert_eq(tutor_check_all(dir, NULL, collect, &out), 2, "without the setup, seven is unknown: %s", out.s);
    cr_assert(strstr(out.s, "2 failures\n"), "%s", out.s);
    text_free(&out);
    remove_dir(dir);
}

Test(lesson, check_all_counts_one_failure_in_the_singular)
{
    char *dir = temp_dir();
    write_file(dir, "01-x.md", "# T\n\n## S\n\n```nudge\nz = 1\n```\n\n```expect\nz = 1.5\n```\n");
    Text out = {0};
    cr_assert_eq(tutor_check_all(dir, NULL, collect, &out), 1);
    cr_assert(strstr(out.s, "✗ chapter 1, T: 1 steps, 1 checks, 0 mistake blocks FAILED\n1 failure\n"), "%s", out.s);
    text_free(&out);
    remove_dir(dir);
}

/* --- the renderer ------------------------------------------------------------- */

static void assert_renders(const char *md, int width, bool color, const char *want)
{
    Error e;
    char *got = render_markdown(md, width, color, &e);
    cr_assert_not_null(got, "%s", e.msg);
    cr_assert_str_eq(got, want);
    mem_free(got);
}

Test(render, a_paragraph_wraps_at_the_width_with_a_two_column_margin)
{
    assert_renders("The perceptron nudges its weight vector toward every example it gets wrong, one at a time.",
                   40, false,
                   "  The perceptron nudges its weight\n"
                   "  vector toward every example it gets\n"
                   "  wrong, one at a time.\n");
    /* Lines of the source are joined; two paragraphs keep a blank line. */
    assert_renders("one\ntwo\n\nthree\n", 40, false, "  one two\n\n  three\n");
}

Test(render, a_word_longer_than_the_line_stays_whole_and_the_width_is_at_least_30)
{
    assert_renders("a-very-long-word-that-does-not-fit-in-thirty-columns-at-all and more", 10, false,
                   "  a-very-long-word-that-does-not-fit-in-thirty-columns-at-all\n"
                   "  and more\n");
    assert_renders("aaaa bbbb cccc dddd eeee ffff gggg hhhh", 10, false,
                   "  aaaa bbbb cccc dddd eeee\n"
                   "  ffff gggg hhhh\n");
}

Test(render, emphasis_strong_and_code_are_plain_without_colour_except_code_in_backticks)
{
    assert_renders("An *emphasis*, a **strong** word and `w·x`.", 60, false,
                   "  An emphasis, a strong word and `w·x`.\n");
}

Test(render, emphasis_strong_and_code_are_styled_with_colour)
{
    assert_renders("An *emphasis*, a **strong** word and `w·x`.", 60, true,
                   "  An \x1b[3memphasis\x1b[23m, a \x1b[1mstrong\x1b[22m word and \x1b[36mw·x\x1b[39m.\n");
    /* Each word is styled on its own, so a wrapped line carries its style. */
    assert_renders("**two words**", 60, true, "  \x1b[1mtwo\x1b[22m \x1b[1mwords\x1b[22m\n");
}

Test(render, headings_are_bold_and_followed_by_a_blank_line)
{
    assert_renders("### A small heading\n\ntext\n", 40, false, "  A small heading\n\n  text\n");
    assert_renders("# Top\n\n## Second\n\ntext\n", 40, true,
                   "  \x1b[1mTop\x1b[22m\n\n  \x1b[1mSecond\x1b[22m\n\n  text\n");
}

Test(render, a_link_shows_its_text_then_its_address)
{
    assert_renders("See [the book](https://example.com/book) now.", 60, false,
                   "  See the book (https://example.com/book) now.\n");
    assert_renders("See [the book](https://example.com/book) now.", 30, false,
                   "  See the book\n  (https://example.com/book)\n  now.\n");
    /* A link with no address shows its text only. */
    assert_renders("A [name]() here.", 60, false, "  A name here.\n");
    /* Styled link text is not mistaken for an autolink. */
    assert_renders("[the **book**](book)", 60, false, "  the book (book)\n");
}

Test(render, lists_hang_their_bullets_and_numbers)
{
    assert_renders("- one\n- two with `w·x`\n\nafter\n", 40, false,
                   "    • one\n    • two with `w·x`\n\n  after\n");
    assert_renders("3. three\n4. four\n", 40, false, "    3. three\n    4. four\n");
    /* A loose list keeps a blank line between its items. */
    assert_renders("1. first\n\n2. second\n\nafter\n", 40, false, "    1. first\n\n    2. second\n\n  after\n");
    /* A long item wraps under its text, not under its bullet. */
    assert_renders("- the gradient points uphill, so we step the other way\n", 40, false,
                   "    • the gradient points uphill, so we\n"
                   "      step the other way\n");
}

Test(render, an_image_shows_its_description)
{
    assert_renders("Look: ![a perceptron](p.png) here.", 60, false, "  Look: a perceptron here.\n");
}

Test(render, an_autolink_shows_its_address_once)
{
    assert_renders("Read <https://example.com/book> first.", 60, false, "  Read https://example.com/book first.\n");
    assert_renders("Mail <me@example.com>.", 60, false, "  Mail me@example.com.\n");
}

Test(render, styles_nest_so_bold_stays_bold_inside_emphasis_and_code)
{
    assert_renders("**bold *both* bold** and `code`", 60, true,
                   "  \x1b[1mbold\x1b[22m \x1b[1m\x1b[3mboth\x1b[23m\x1b[22m \x1b[1mbold\x1b[22m and "
                   "\x1b[36mcode\x1b[39m\n");
    assert_renders("**the `w·x` product**", 60, true,
                   "  \x1b[1mthe\x1b[22m \x1b[1m\x1b[36mw·x\x1b[39m\x1b[22m \x1b[1mproduct\x1b[22m\n");
    assert_renders("*see [the book](u)*", 60, true, "  \x1b[3msee\x1b[23m \x1b[3mthe\x1b[23m \x1b[3mbook\x1b[23m (u)\n");
}

Test(render, a_nested_list_stays_tight_inside_a_tight_list)
{
    assert_renders("- a\n  - b\n  - c\n- d\n\nafter\n", 40, false,
                   "    • a\n"
                   "        • b\n"
                   "        • c\n"
                   "    • d\n"
                   "\n"
                   "  after\n");
    /* In a loose list, the blank line after the nested list stays. */
    assert_renders("- a\n\n  - b\n\n- d\n", 40, false, "    • a\n\n        • b\n\n    • d\n");
}

Test(render, a_list_item_that_starts_with_code_keeps_its_bullet)
{
    assert_renders("- ```\n  x = 1\n  y = 2\n  ```\n- two\n", 40, false,
                   "    •     x = 1\n"
                   "          y = 2\n"
                   "    • two\n");
}

Test(render, a_block_quote_is_indented)
{
    assert_renders("> a quoted *line* that is long enough to wrap around the width\n\nafter\n", 40, false,
                   "    a quoted line that is long enough to\n"
                   "    wrap around the width\n"
                   "\n"
                   "  after\n");
}

Test(render, a_code_block_is_indented_and_kept_as_it_is)
{
    assert_renders("```\nplain code\n  indented   spaces\n```\n\nafter\n", 40, false,
                   "      plain code\n"
                   "        indented   spaces\n"
                   "\n"
                   "  after\n");
    assert_renders("```text\nx = 1\n```\n", 40, true, "      \x1b[36mx = 1\x1b[39m\n");
}

Test(render, the_lessons_own_blocks_are_left_to_the_tutor)
{
    assert_renders("Before.\n\n```nudge\nx = 1\n```\n\n```expect\nx = 1\n```\n\n```hint\nh\n```\n\n"
                   "```quiz\nq\nanswer: 1\n```\n\nAfter.\n",
                   40, false, "  Before.\n\n  After.\n");
}

Test(render, a_hard_line_break_is_kept_and_html_is_dropped)
{
    assert_renders("one  \ntwo\\\nthree\n\n<div>html</div>\n\nend\n", 40, false, "  one\n  two\n  three\n\n  end\n");
}

Test(render, a_thematic_break_is_a_rule)
{
    assert_renders("above\n\n---\n\nbelow\n", 40, false,
                   "  above\n\n  ──────────────────────────────────────\n\n  below\n");
}

Test(render, a_steps_text_ends_at_the_next_step)
{
    Error e;
    Lesson *l = parse("# T\n\nIntro.\n\n## One\n\nfirst\n\nsecond\n\n## Two\n\nthird\n", &e);
    cr_assert_not_null(l, "%s", e.msg);
    char *got = render_blocks(l->steps[0].first, l->steps[0].stop, 40, false, &e);
    cr_assert_str_eq(got, "  first\n\n  second\n");
    mem_free(got);
    got = render_blocks(l->intro, l->intro_stop, 40, false, &e);
    cr_assert_str_eq(got, "  Intro.\n");
    mem_free(got);
    got = render_blocks(NULL, NULL, 40, false, &e);
    cr_assert_str_eq(got, "");
    mem_free(got);
    lesson_delete(l);
}

/* Deep nesting, from issue 18: 100 000 levels of block quotes, lists,
 * emphasis or strong emphasis render without exhausting the stack, and
 * indent no further than a few levels. */
static char *repeat(const char *head, const char *middle, const char *tail, size_t n)
{
    size_t hl = strlen(head), ml = strlen(middle), tl = strlen(tail);
    char *s = malloc(hl * n + ml + tl * n + 1);
    cr_assert_not_null(s);
    char *p = s;
    for (size_t i = 0; i < n; i++, p += hl)
        memcpy(p, head, hl);
    memcpy(p, middle, ml);
    p += ml;
    for (size_t i = 0; i < n; i++, p += tl)
        memcpy(p, tail, tl);
    *p = '\0';
    return s;
}

static void assert_deep_renders(const char *head, const char *tail, bool short_lines)
{
    char *md = repeat(head, "deep", tail, 100000);
    Error e;
    char *got = render_markdown(md, 40, true, &e);
    cr_assert_not_null(got, "%s", e.msg);
    cr_assert(strstr(got, "deep"), "the innermost text is shown");
    /* Every line fits in a few levels of indent, not 100 000.  (Emphasis
     * that does not close shows its stars, one long word.) */
    for (const char *line = got; short_lines && *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        cr_assert_lt(len, 200, "a line of %zu bytes", len);
        line += len + (nl ? 1 : 0);
    }
    mem_free(got);
    /* The same text as a lesson step loads and renders as the tutor shows it. */
    Text t = {0};
    text_printf(&t, "# T\n\n## S\n\n%s\n", md);
    Lesson *l = lesson_parse(t.s, t.len, "deep.md", 1, &e);
    cr_assert_not_null(l, "%s", e.msg);
    got = render_blocks(l->steps[0].first, l->steps[0].stop, 60, false, &e);
    cr_assert_not_null(got, "%s", e.msg);
    mem_free(got);
    lesson_delete(l);
    text_free(&t);
    free(md);
}

Test(render, a_hundred_thousand_nested_block_quotes_render)
{
    assert_deep_renders("> ", "", true);
}

Test(render, a_hundred_thousand_nested_lists_render)
{
    assert_deep_renders("- ", "", true);
}

Test(render, a_hundred_thousand_nested_emphases_render)
{
    assert_deep_renders("*", "*", false);
    assert_deep_renders("**", "**", false);
    assert_deep_renders("_*", "*_", false);
}

Test(render, nesting_deeper_than_eight_levels_indents_no_further)
{
    assert_renders("> > > > > > > > > > > > x\n", 60, false, "                  x\n");
    assert_renders("- a\n  - b\n    - c\n", 60, false, "    • a\n        • b\n            • c\n");
}

Test(render, an_inline_code_span_is_never_split_across_lines)
{
    /* The span would straddle column 30: it moves to the next line whole. */
    assert_renders("Type the statement `w1 = w1 + 0.2*3` and press Enter.", 30, false,
                   "  Type the statement\n"
                   "  `w1 = w1 + 0.2*3` and press\n"
                   "  Enter.\n");
    assert_renders("Type the statement `w1 = w1 + 0.2*3` now.", 30, true,
                   "  Type the statement\n"
                   "  \x1b[36mw1 = w1 + 0.2*3\x1b[39m now.\n");
}

Test(render, numbers_and_words_stay_whole_at_every_width)
{
    const char *md = "Expect dW1[2, 1] = 0.03346697 and a3 = 0.4802, then backpropagation "
                     "hands `δ2 = (W3ᵀ δ3) ⊙ σ'(z2)` down one layer.";
    const char *pieces[] = { "dW1[2,", "1]", "0.03346697", "0.4802,", "backpropagation", "`δ2 = (W3ᵀ δ3) ⊙ σ'(z2)`" };
    for (int width = 30; width <= 90; width++) {
        Error e;
        char *got = render_markdown(md, width, false, &e);
        cr_assert_not_null(got);
        for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++)
            cr_assert(strstr(got, pieces[i]), "width %d split '%s':\n%s", width, pieces[i], got);
        mem_free(got);
    }
}

Test(render, wrap_breaks_plain_text_at_spaces_with_a_hanging_indent)
{
    Error e;
    char *got = render_wrap("g1 should be -0.0052631 (dC_dw1), but it is -0.0052000; `reset` puts the step back "
                            "as it began",
                            "  ✗ ", 4, 40, &e);
    cr_assert_str_eq(got, "  ✗ g1 should be -0.0052631 (dC_dw1),\n"
                          "    but it is -0.0052000; `reset` puts\n"
                          "    the step back as it began\n");
    mem_free(got);
    /* A backquoted span stays whole; a newline starts a hanging line. */
    got = render_wrap("run `w1 = w1 + alpha*dL_dw1` then\nlook", "> ", 2, 24, &e);
    cr_assert_str_eq(got, "> run\n  `w1 = w1 + alpha*dL_dw1`\n  then\n  look\n");
    mem_free(got);
    /* Escape sequences take no columns. */
    got = render_wrap("aaaa bbbb", "  \x1b[31m✗\x1b[0m ", 4, 20, &e);
    cr_assert_str_eq(got, "  \x1b[31m✗\x1b[0m aaaa bbbb\n");
    mem_free(got);
}

Test(render, the_caret_stays_under_its_column_in_a_window_of_a_long_line)
{
    Error e;
    char *got = render_caret("dot(a, [1, 2])", 14, 8, 4, 80, &e);
    cr_assert_str_eq(got, "    dot(a, [1, 2])\n           ^\n");
    mem_free(got);
    /* A line wider than the terminal: a window around the caret. */
    char line[201];
    for (int i = 0; i < 200; i++)
        line[i] = (char)('a' + i % 26);
    line[200] = '\0';
    line[149] = '#';
    got = render_caret(line, 200, 150, 4, 60, &e);
    const char *nl = strchr(got, '\n');
    cr_assert_not_null(nl);
    const char *caret = strchr(nl + 1, '^');
    cr_assert_not_null(caret);
    /* The caret's column on screen holds the '#'. */
    int caret_col = (int)(caret - (nl + 1));
    int col = 0;
    const char *p = got;
    for (; p < nl && col < caret_col; p++)
        if (((unsigned char)*p & 0xC0) != 0x80)
            col++;
    cr_assert_eq(*p, '#', "%s", got);
    /* Neither line is wider than the terminal. */
    cr_assert_leq(col, 60);
    cr_assert(strstr(got, "…"), "the cut ends are marked: %s", got);
    mem_free(got);
}

/* --- the loader's corner cases --------------------------------------------------- */

Test(lesson, two_nudge_blocks_in_a_step_are_run_together)
{
    Error e;
    Lesson *l = parse("# T\n\n## S\n\n```nudge\nx = 1\n```\n\nThen:\n\n```nudge\ny = x + 1\n```\n\n```nudge\n```\n", &e);
    cr_assert_not_null(l, "%s", e.msg);
    cr_assert_str_eq(l->steps[0].code, "x = 1\ny = x + 1\n");
    cr_assert_null(l->intro, "no text between the title and the first step");
    lesson_delete(l);
}

Test(lesson, expect_blocks_skip_blank_and_comment_lines)
{
    Error e;
    Lesson *l = parse("# T\n\n## S\n\n```nudge\nx = 1\n```\n\n```expect\n# the result\n\nx = 1\n\n```\n", &e);
    cr_assert_not_null(l, "%s", e.msg);
    cr_assert_eq(l->steps[0].nexpects, 1);
    cr_assert_eq(l->steps[0].expects[0].line, 12);
    lesson_delete(l);
}

Test(lesson, a_quiz_needs_one_question_and_one_answer)
{
    assert_refused("# T\n\n## S\n\n```quiz\nQ?\nanswer: 1\n```\n\n```quiz\nQ2?\nanswer: 2\n```\n",
                   "a step may hold one quiz");
    assert_refused("# T\n\n## S\n\n```quiz\nanswer: 1\n```\n", "a quiz needs a question and an answer");
    assert_refused("# T\n\n## S\n\n```quiz\nQ?\nanswer:\n```\n", "a quiz needs a question and an answer");
    assert_refused("# T\n\n## S\n\n```quiz\nQ?\nanswer: 1 ± lots\n```\n", "the quiz answer must be a value");
    assert_refused("# T\n\n## S\n\n```quiz\nQ? The answer: is in the line\n```\n", "answer: EXPR");
    Error e;
    Lesson *l = parse("# T\n\n## S\n\n```quiz\nHow far?\nanswer: 0.5 ± 0.1\n```\n", &e);
    cr_assert_not_null(l, "%s", e.msg);
    cr_assert_str_eq(l->steps[0].answer, "0.5");
    cr_assert(l->steps[0].answer_has_tol);
    cr_assert_float_eq(l->steps[0].answer_tol, 0.1, 1e-15);
    lesson_delete(l);
}

Test(lesson, a_check_needs_both_sides)
{
    char *l, *r;
    double tol;
    bool has;
    cr_assert_not(lesson_split_check("= 3", &l, &r, &tol, &has));
    cr_assert_not(lesson_split_check("x =  ", &l, &r, &tol, &has));
    cr_assert_not(lesson_split_check("x = 1 ± -2", &l, &r, &tol, &has));
    cr_assert_not(lesson_split_check("x <= 1", &l, &r, &tol, &has));
    cr_assert(lesson_split_check("f(a=1)[0] = 2", &l, &r, &tol, &has), "an = inside brackets is not the check's");
    cr_assert_str_eq(l, "f(a=1)[0]");
    cr_assert_str_eq(r, "2");
    mem_free(l);
    mem_free(r);
}

Test(lesson, the_title_keeps_only_what_follows_chapter_n)
{
    static const char *const cases[][2] = {
        { "# Chapter 3: The chain rule", "The chain rule" },
        { "# Chapter 3 – The chain rule", "The chain rule" },
        { "# Chapter 3. The chain rule", "The chain rule" },
        { "# Chapter three", "Chapter three" },
        { "# Chapter 3", "Chapter 3" },
        { "# The `dot` product", "The dot product" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char md[200];
        snprintf(md, sizeof md, "%s\n\n## S\n\ntext\n", cases[i][0]);
        Error e;
        Lesson *l = parse(md, &e);
        cr_assert_not_null(l, "%s", e.msg);
        cr_assert_str_eq(l->title, cases[i][1]);
        lesson_delete(l);
    }
}

Test(lesson, a_step_may_start_with_a_subheading_or_be_empty)
{
    Error e;
    Lesson *l = parse("# T\n\n## Empty\n## With a subheading\n\n### Part\n\ntext\n\n## Last\n", &e);
    cr_assert_not_null(l, "%s", e.msg);
    cr_assert_eq(l->nsteps, 3);
    cr_assert_null(l->steps[0].first);
    cr_assert_not_null(l->steps[1].first);
    cr_assert_null(l->steps[2].first);
    lesson_delete(l);
}

Test(lesson, a_missing_or_unreadable_lesson_file_is_an_io_error)
{
    Error e;
    cr_assert_null(lesson_load("/nonexistent/01-x.md", &e));
    cr_assert_eq(e.code, ERROR_IO);
    cr_assert_str_eq(e.msg, "lesson: cannot open '/nonexistent/01-x.md': No such file or directory");
    char *dir = temp_dir();
    cr_assert_null(lesson_load(dir, &e), "a folder is not a lesson");
    cr_assert(strstr(e.msg, "unreadable or larger than 4 MiB"), "%s", e.msg);
    /* A name without a leading number has no chapter. */
    write_file(dir, "intro.md", "# T\n\n## S\n\ntext\n");
    char path[600];
    snprintf(path, sizeof path, "%s/intro.md", dir);
    Lesson *l = lesson_load(path, &e);
    cr_assert_not_null(l, "%s", e.msg);
    cr_assert_eq(l->chapter, 0);
    lesson_delete(l);
    cr_assert_null(lesson_path("/nonexistent", 1));
    remove_dir(dir);
}

/* --- running out of memory ------------------------------------------------------
 *
 * With allocation k and every later one failing, for every k until the
 * operation succeeds: the failure is "out of memory", never a crash, a
 * misleading syntax error or a lost progress file. */

static void assert_loads_or_runs_out(const char *path, size_t nsteps)
{
    for (long k = 0;; k++) {
        cr_assert_lt(k, 100000);
        Error e;
        error_clear(&e);
        mem_fail_after(k);
        Lesson *l = lesson_load(path, &e);
        mem_fail_after(-1);
        if (l) {
            cr_assert_eq(l->nsteps, nsteps);
            lesson_delete(l);
            return;
        }
        cr_assert_eq(e.code, ERROR_NOMEM, "%s with %ld allocations: %s", path, k, e.msg);
        cr_assert_str_eq(e.msg, "out of memory");
    }
}

Test(lesson, loading_a_lesson_without_memory_is_out_of_memory)
{
    assert_loads_or_runs_out(DATA_LESSONS "/01-sums.md", 3);
    assert_loads_or_runs_out(DATA_LESSONS "/02-checks.md", 6);
}

Test(lesson, progress_without_memory_is_out_of_memory_and_the_file_survives)
{
    char *dir = temp_dir();
    char path[600], aside[700];
    snprintf(path, sizeof path, "%s/progress", dir);
    snprintf(aside, sizeof aside, "%s.corrupt", path);
    for (long k = 0;; k++) {
        cr_assert_lt(k, 1000);
        write_file(dir, "progress", "1 1 1\nnot progress\n");
        Progress p;
        Error e;
        mem_fail_after(k);
        bool ok = progress_load(&p, path, &e);
        mem_fail_after(-1);
        cr_assert_not(ok);
        if (e.code == ERROR_NOMEM) {
            /* Not set aside: then it must not be overwritten either. */
            p.ch[1].step = 2;
            cr_assert(progress_save(&p, &e), "%s", e.msg);
            progress_free(&p);
            cr_assert_str_eq(read_all(path), "1 1 1\nnot progress\n", "with %ld allocations", k);
            continue;
        }
        progress_free(&p);
        cr_assert(strstr(e.msg, "line 2 of"), "%s", e.msg);
        cr_assert_str_eq(read_all(aside), "1 1 1\nnot progress\n");
        break;
    }
    write_file(dir, "progress", "2 1 1\n");
    for (long k = 0;; k++) {
        cr_assert_lt(k, 1000);
        Progress p;
        Error e;
        cr_assert(progress_load(&p, path, &e), "%s", e.msg);
        p.ch[2].step = 2;
        mem_fail_after(k);
        bool ok = progress_save(&p, &e);
        mem_fail_after(-1);
        progress_free(&p);
        if (ok)
            break;
        cr_assert_eq(e.code, ERROR_NOMEM, "with %ld allocations: %s", k, e.msg);
        cr_assert_str_eq(read_all(path), "2 1 1\n", "a failed save leaves the file as it was");
    }
    cr_assert_str_eq(read_all(path), "# nudge lesson progress: chapter, step to resume at, steps done\n2 2 1\n");
    remove_dir(dir);
}

Test(lesson, rendering_without_memory_is_out_of_memory)
{
    const char *md = "# Head\n\n- one *two*\n- `three`\n\n> [link](u)\n\n```\ncode\n```\n";
    for (long k = 0;; k++) {
        cr_assert_lt(k, 10000);
        Error e;
        mem_fail_after(k);
        char *s = render_markdown(md, 40, false, &e);
        mem_fail_after(-1);
        if (s) {
            cr_assert_str_eq(s, "  Head\n\n    • one two\n    • `three`\n\n    link (u)\n\n      code\n");
            mem_free(s);
            break;
        }
        cr_assert_eq(e.code, ERROR_NOMEM, "with %ld allocations: %s", k, e.msg);
    }
}

Test(lesson, opening_a_lesson_without_memory_is_out_of_memory_and_opens_nothing)
{
    for (long k = 0;; k++) {
        cr_assert_lt(k, 10000);
        Session s;
        session_open(&s, DATA_LESSONS, NULL, false);
        mem_fail_after(k);
        type(&s, "lesson 1\n");
        mem_fail_after(-1);
        bool ok = s.ok;
        if (!ok) {
            cr_assert_eq(s.e.code, ERROR_NOMEM, "with %ld allocations: %s", k, s.e.msg);
            cr_assert_null(prompt_of(&s));
        } else {
            cr_assert_str_eq(prompt_of(&s), "lesson 1.1> ");
        }
        bool whole = ok && !strcmp(printed(&s), cat3(intro_1, "", step_1_1));
        session_close(&s);
        if (whole)
            break;
    }
}

Test(lesson, listing_the_lessons_without_memory_is_out_of_memory)
{
    for (long k = 0;; k++) {
        cr_assert_lt(k, 10000);
        Session s;
        session_open(&s, DATA_LESSONS, NULL, false);
        mem_fail_after(k);
        type(&s, "lessons\n");
        mem_fail_after(-1);
        bool whole = s.ok && strstr(printed(&s), "Type lesson N");
        if (!s.ok)
            cr_assert_eq(s.e.code, ERROR_NOMEM, "with %ld allocations: %s", k, s.e.msg);
        session_close(&s);
        if (whole)
            break;
    }
    /* Without memory for the folder's name, the lessons cannot be found. */
    Session s;
    memset(&s, 0, sizeof s);
    s.in = interp_new(collect, &s.out);
    mem_fail_after(0);
    tutor_install(&s.t, s.in, DATA_LESSONS, NULL, false);
    mem_fail_after(-1);
    cr_assert_str_eq(refused(&s, "lesson 1\n"), "out of memory");
    cr_assert_str_eq(refused(&s, "lessons\n"), "out of memory");
    session_close(&s);
}

Test(lesson, check_all_without_memory_reports_failures_not_a_crash)
{
    for (long k = 0;; k++) {
        cr_assert_lt(k, 100000);
        Text out = {0};
        char buf[4096];
        mem_fail_after(k);
        int failures = tutor_check_all(DATA_LESSONS, NULL, collect, &out);
        mem_fail_after(-1);
        snprintf(buf, sizeof buf, "%s", out.s ? out.s : "");
        text_free(&out);
        if (failures == 0)
            break;
        cr_assert_gt(failures, 0, "with %ld allocations: %s", k, buf);
    }
}
