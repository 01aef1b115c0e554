/* test_lesson.c - the lesson loader, its checks' tolerance and progress. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nudge/lesson.h"
#include "nudge/mem.h"
#include "nudge/progress.h"
#include "nudge/text.h"
#include "nudge/tutor.h"

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

static char *temp_dir(void)
{
    char tmpl[] = "/tmp/nudge-lesson-XXXXXX";
    char *d = mkdtemp(tmpl);
    cr_assert_not_null(d);
    return strdup(d);
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
    free(dir);
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
    free(dir);
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
    free(dir);
}

static void collect(void *ctx, const char *text, size_t len)
{
    Text *t = ctx;
    text_append(t, text, len);
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
    cr_assert(strstr(out.s, "01-x.md:3: step 1.1 \"Add\": z should be 3, but it is 2"), "%s", out.s);
    text_free(&out);
    free(dir);
}
