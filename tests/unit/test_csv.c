/* test_csv.c - load_csv: the accepted format, every error message, limits. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assert_tensor.h"
#include "nudge/csv.h"
#include "nudge/mem.h"
#include "nudge/tensor.h"

/* --- helpers ------------------------------------------------------------- */

static Tensor *parse(const char *text, const CsvOptions *opt, Error *e)
{
    return csv_parse(text, strlen(text), "data.csv", opt, e);
}

/* Asserts that parsing text fails with exactly msg, code and position. */
static void assert_parse_error(const char *text, const char *msg, ErrorCode code, int line, int col)
{
    Error e;
    Tensor *t = parse(text, NULL, &e);
    cr_assert_null(t, "'%s' parsed", text);
    cr_assert_str_eq(e.msg, msg);
    cr_assert_eq(e.code, code, "code %d, expected %d", e.code, code);
    cr_assert_eq(e.line, line, "line %d, expected %d", e.line, line);
    cr_assert_eq(e.col, col, "col %d, expected %d", e.col, col);
}

/* A private directory per test for the files csv_load reads. */
typedef struct Scratch {
    char dir[256];
    char path[320];
} Scratch;

static void scratch_open(Scratch *s)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(s->dir, sizeof s->dir, "%s/nudge_csv_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    cr_assert_not_null(mkdtemp(s->dir), "mkdtemp %s", s->dir);
    s->path[0] = '\0';
}

/* Writes len bytes of text to dir/name and returns its path. */
static const char *scratch_write(Scratch *s, const char *name, const char *text, size_t len)
{
    snprintf(s->path, sizeof s->path, "%s/%s", s->dir, name);
    FILE *f = fopen(s->path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(text, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
    return s->path;
}

/* Makes dir/name a sparse file of `size` bytes: zeros, then one newline. */
static const char *scratch_sparse(Scratch *s, const char *name, size_t size)
{
    snprintf(s->path, sizeof s->path, "%s/%s", s->dir, name);
    FILE *f = fopen(s->path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fseek(f, (long)size - 1, SEEK_SET), 0);
    cr_assert_neq(fputc('\n', f), EOF);
    cr_assert_eq(fclose(f), 0);
    return s->path;
}

static void scratch_close(Scratch *s)
{
    if (s->path[0])
        unlink(s->path);
    rmdir(s->dir);
}

/* 150 rows of four measurements and a class, like iris, with a header. */
static char *iris_like_text(double *expected)
{
    size_t cap = 64 + 150 * 5 * 26, n = 0;   /* %.17g needs at most 24 bytes */
    char *text = malloc(cap);
    cr_assert_not_null(text);
    n += (size_t)snprintf(text + n, cap - n, "sepal_length,sepal_width,petal_length,petal_width,species\n");
    for (int r = 0; r < 150; r++) {
        double row[5] = { 4.3 + (r % 36) * 0.1, 2.0 + (r % 24) * 0.1, 1.0 + (r % 59) * 0.1,
                          0.1 + (r % 25) * 0.1, (double)(r / 50) };
        n += (size_t)snprintf(text + n, cap - n, "%.17g,%.17g,%.17g,%.17g,%.17g\n", row[0], row[1],
                              row[2], row[3], row[4]);
        cr_assert_lt(n, cap);
        memcpy(expected + r * 5, row, sizeof row);
    }
    return text;
}

/* --- the accepted format -------------------------------------------------- */

Test(csv, a_plain_matrix_reads_row_by_row)
{
    Tensor *t = parse("1,2,3\n4,5,6\n", NULL, NULL);
    assert_tensor_near(t, 2, 2, 3, ((double[]){ 1, 2, 3, 4, 5, 6 }), 0);
    tensor_delete(t);
}

Test(csv, the_last_line_needs_no_newline)
{
    Tensor *t = parse("1,2\n3,4", NULL, NULL);
    assert_tensor_near(t, 2, 2, 2, ((double[]){ 1, 2, 3, 4 }), 0);
    tensor_delete(t);
}

Test(csv, one_column_is_an_n_by_1_matrix_not_a_vector)
{
    Tensor *t = parse("1\n2\n3\n", NULL, NULL);
    assert_tensor_near(t, 2, 3, 1, ((double[]){ 1, 2, 3 }), 0);
    tensor_delete(t);
}

Test(csv, one_row_is_a_1_by_n_matrix)
{
    Tensor *t = parse("1,2,3\n", NULL, NULL);
    assert_tensor_near(t, 2, 1, 3, ((double[]){ 1, 2, 3 }), 0);
    tensor_delete(t);
}

Test(csv, numbers_read_as_strtod_reads_them)
{
    Tensor *t = parse("-1.5,+2,1e-3,0x10,.5,7.\n", NULL, NULL);
    assert_tensor_near(t, 2, 1, 6, ((double[]){ -1.5, 2, 1e-3, 16, 0.5, 7 }), 0);
    tensor_delete(t);
}

Test(csv, header_option_skips_the_first_line_even_when_it_is_numeric)
{
    CsvOptions opt = { .header = true };
    Tensor *t = parse("x,y\n1,2\n3,4\n", &opt, NULL);
    assert_tensor_near(t, 2, 2, 2, ((double[]){ 1, 2, 3, 4 }), 0);
    tensor_delete(t);
    t = parse("10,20\n1,2\n", &opt, NULL);
    assert_tensor_near(t, 2, 1, 2, ((double[]){ 1, 2 }), 0);
    tensor_delete(t);
}

Test(csv, header_is_the_first_line_after_comments_and_blank_lines)
{
    CsvOptions opt = { .header = true };
    Tensor *t = parse("# iris\n\nx,y,z\n1,2,3\n", &opt, NULL);
    assert_tensor_near(t, 2, 1, 3, ((double[]){ 1, 2, 3 }), 0);
    tensor_delete(t);
}

Test(csv, a_header_need_not_have_as_many_fields_as_the_data)
{
    CsvOptions opt = { .header = true };
    Tensor *t = parse("features then label\n1,2,3\n", &opt, NULL);
    assert_tensor_near(t, 2, 1, 3, ((double[]){ 1, 2, 3 }), 0);
    tensor_delete(t);
}

Test(csv, auto_header_skips_a_first_line_with_no_numbers)
{
    CsvOptions opt = { .auto_header = true };
    Tensor *t = parse("a,b\n1,2\n", &opt, NULL);
    assert_tensor_near(t, 2, 1, 2, ((double[]){ 1, 2 }), 0);
    tensor_delete(t);
}

Test(csv, auto_header_keeps_a_first_line_of_numbers)
{
    CsvOptions opt = { .auto_header = true };
    Tensor *t = parse("1,2\n3,4\n", &opt, NULL);
    assert_tensor_near(t, 2, 2, 2, ((double[]){ 1, 2, 3, 4 }), 0);
    tensor_delete(t);
}

Test(csv, auto_header_keeps_a_first_line_with_any_number_and_then_reports_it)
{
    CsvOptions opt = { .auto_header = true };
    Error e;
    cr_assert_null(parse("x,2\n3,4\n", &opt, &e));
    cr_assert_str_eq(e.msg, "load_csv: data.csv:1:1: 'x' is not a number");
}

Test(csv, auto_header_looks_only_at_the_first_data_line)
{
    CsvOptions opt = { .auto_header = true };
    Error e;
    cr_assert_null(parse("# c\nx,y\nu,v\n1,2\n", &opt, &e));
    cr_assert_str_eq(e.msg, "load_csv: data.csv:3:1: 'u' is not a number");
}

Test(csv, without_a_header_option_a_header_is_an_error)
{
    Error e;
    cr_assert_null(parse("a,b\n1,2\n", NULL, &e));
    cr_assert_str_eq(e.msg, "load_csv: data.csv:1:1: 'a' is not a number");
    CsvOptions none = { 0 };
    cr_assert_null(parse("a,b\n1,2\n", &none, &e));
    cr_assert_str_eq(e.msg, "load_csv: data.csv:1:1: 'a' is not a number");
}

Test(csv, crlf_line_ends_read_like_lf)
{
    Tensor *t = parse("1,2\r\n3,4\r\n", NULL, NULL);
    assert_tensor_near(t, 2, 2, 2, ((double[]){ 1, 2, 3, 4 }), 0);
    tensor_delete(t);
    t = parse("1,2\r\n3,4", NULL, NULL);
    assert_tensor_near(t, 2, 2, 2, ((double[]){ 1, 2, 3, 4 }), 0);
    tensor_delete(t);
    t = parse("1,2\r\n3,4\r", NULL, NULL);
    assert_tensor_near(t, 2, 2, 2, ((double[]){ 1, 2, 3, 4 }), 0);
    tensor_delete(t);
}

Test(csv, comments_and_blank_lines_are_skipped)
{
    Tensor *t = parse("# a comment\n\n1,2\n   \n\t\n  # indented comment\n3,4\n\r\n#,,,\n", NULL, NULL);
    assert_tensor_near(t, 2, 2, 2, ((double[]){ 1, 2, 3, 4 }), 0);
    tensor_delete(t);
}

Test(csv, spaces_and_tabs_around_fields_are_ignored)
{
    Tensor *t = parse("  1 ,\t2\t\n3,   4   \r\n", NULL, NULL);
    assert_tensor_near(t, 2, 2, 2, ((double[]){ 1, 2, 3, 4 }), 0);
    tensor_delete(t);
}

Test(csv, nan_and_inf_fields_are_numbers)
{
    Tensor *t = parse("nan,1\ninf,-inf\n", NULL, NULL);
    cr_assert_not_null(t);
    cr_assert_eq(t->rows, 2);
    cr_assert_eq(t->cols, 2);
    cr_assert(isnan(tensor_at(t, 0, 0)));
    cr_assert_eq(tensor_at(t, 0, 1), 1);
    cr_assert(isinf(tensor_at(t, 1, 0)) && tensor_at(t, 1, 0) > 0);
    cr_assert(isinf(tensor_at(t, 1, 1)) && tensor_at(t, 1, 1) < 0);
    tensor_delete(t);
}

Test(csv, text_need_not_end_in_a_nul)
{
    /* Only the first three bytes are the text; "9" must not join the field. */
    Tensor *t = csv_parse("1,29", 3, "data.csv", NULL, NULL);
    assert_tensor_near(t, 2, 1, 2, ((double[]){ 1, 2 }), 0);
    tensor_delete(t);
}

Test(csv, a_150_by_5_data_set_with_a_header_reads_exactly)
{
    double want[150 * 5];
    char *text = iris_like_text(want);
    CsvOptions opt = { .auto_header = true };
    Tensor *t = parse(text, &opt, NULL);
    assert_tensor_near(t, 2, 150, 5, want, 0);
    tensor_delete(t);
    free(text);
}

/* --- errors --------------------------------------------------------------- */

Test(csv, a_word_is_not_a_number_and_its_column_is_where_it_starts)
{
    assert_parse_error("1,2,3\n4,5,6\n1.5,2,abc\n", "load_csv: data.csv:3:7: 'abc' is not a number",
                       ERROR_SYNTAX, 3, 7);
}

Test(csv, the_column_of_a_bad_field_skips_its_leading_blanks)
{
    assert_parse_error("1,  x1\n", "load_csv: data.csv:1:5: 'x1' is not a number", ERROR_SYNTAX, 1, 5);
}

Test(csv, half_a_number_is_not_a_number)
{
    assert_parse_error("1,2e\n", "load_csv: data.csv:1:3: '2e' is not a number", ERROR_SYNTAX, 1, 3);
    assert_parse_error("1,2 3\n", "load_csv: data.csv:1:3: '2 3' is not a number", ERROR_SYNTAX, 1, 3);
    /* A quoted number is a number (RFC 4180), but not with text after it. */
    assert_parse_error("\"1\"x,2\n", "load_csv: data.csv:1:1: '\"1\"x' is not a number", ERROR_SYNTAX, 1, 1);
}

/* The message shows the carriage return as \x0d: printed raw, it would
 * send the cursor back over the start of the line. */
Test(csv, a_stray_carriage_return_is_not_a_blank)
{
    assert_parse_error("1,\r2\n", "load_csv: data.csv:1:3: '\\x0d2' is not a number", ERROR_SYNTAX, 1, 3);
}

Test(csv, a_long_bad_field_is_cut_short_in_the_message)
{
    char text[128];
    memset(text, 'x', 100);
    strcpy(text + 100, "\n");
    Error e;
    cr_assert_null(parse(text, NULL, &e));
    cr_assert_str_eq(e.msg, "load_csv: data.csv:1:1: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is not a number");
}

Test(csv, a_short_line_names_both_counts_and_the_first_lines_real_number)
{
    assert_parse_error("# header comment\n1,2,3,4\n5,6,7,8\n1,2,3\n",
                       "load_csv: data.csv:4: 3 values, but line 2 has 4", ERROR_SYNTAX, 4, 0);
    assert_parse_error("1,2,3,4\n5,6,7,8\n\n1,2,3\n", "load_csv: data.csv:4: 3 values, but line 1 has 4",
                       ERROR_SYNTAX, 4, 0);
}

Test(csv, a_long_line_is_an_error_too)
{
    assert_parse_error("1\n2,3\n", "load_csv: data.csv:2: 2 values, but line 1 has 1", ERROR_SYNTAX, 2, 0);
    assert_parse_error("1,2\n3\n", "load_csv: data.csv:2: 1 value, but line 1 has 2", ERROR_SYNTAX, 2, 0);
}

Test(csv, an_empty_field_is_shown_where_it_starts)
{
    assert_parse_error("1,2,3\n1,2,,4\n", "load_csv: data.csv:2:5: empty field", ERROR_SYNTAX, 2, 5);
    assert_parse_error("1,2,3\n,2,3\n", "load_csv: data.csv:2:1: empty field", ERROR_SYNTAX, 2, 1);
    assert_parse_error("1,2, \t,4\n", "load_csv: data.csv:1:5: empty field", ERROR_SYNTAX, 1, 5);
}

Test(csv, a_trailing_comma_makes_an_empty_last_field)
{
    assert_parse_error("1,2,\n", "load_csv: data.csv:1:5: empty field", ERROR_SYNTAX, 1, 5);
    assert_parse_error("1,2,\r\n", "load_csv: data.csv:1:5: empty field", ERROR_SYNTAX, 1, 5);
}

Test(csv, a_nul_byte_is_refused_with_its_position)
{
    Error e;
    const char text[] = "1,2\n3,\0\n";
    cr_assert_null(csv_parse(text, sizeof text - 1, "data.csv", NULL, &e));
    cr_assert_str_eq(e.msg, "load_csv: data.csv:2:3: unexpected byte 0x00");
    cr_assert_eq(e.code, ERROR_SYNTAX);
    cr_assert_eq(e.line, 2);
    cr_assert_eq(e.col, 3);
}

Test(csv, a_nul_byte_in_a_comment_is_refused_too)
{
    Error e;
    const char text[] = "# x\0y\n1\n";
    cr_assert_null(csv_parse(text, sizeof text - 1, "data.csv", NULL, &e));
    cr_assert_str_eq(e.msg, "load_csv: data.csv:1:4: unexpected byte 0x00");
}

Test(csv, text_with_no_data_lines_has_no_rows)
{
    Error e;
    const char *texts[] = { "", "\n\n", "# only a comment\n", "  \r\n\t\n" };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        cr_assert_null(parse(texts[i], NULL, &e));
        cr_assert_str_eq(e.msg, "load_csv: data.csv has no rows of numbers");
        cr_assert_eq(e.code, ERROR_SYNTAX);
        cr_assert_eq(e.line, 0);
        cr_assert_eq(e.col, 0);
    }
    CsvOptions opt = { .header = true };
    cr_assert_null(parse("x,y\n", &opt, &e));
    cr_assert_str_eq(e.msg, "load_csv: data.csv has no rows of numbers");
}

Test(csv, an_error_does_not_keep_the_position_of_an_earlier_one)
{
    Error e;
    cr_assert_null(parse("1,x\n", NULL, &e));
    cr_assert_eq(e.line, 1);
    cr_assert_null(parse("", NULL, &e));
    cr_assert_eq(e.line, 0);
    cr_assert_eq(e.col, 0);
}

Test(csv, text_over_64_mib_is_refused_before_it_is_read)
{
    /* calloc does not touch the pages, and the parser must not either. */
    char *big = calloc(CSV_MAX_BYTES + 1, 1);
    cr_assert_not_null(big);
    Error e;
    cr_assert_null(csv_parse(big, CSV_MAX_BYTES + 1, "data.csv", NULL, &e));
    cr_assert_str_eq(e.msg, "load_csv: data.csv is larger than 64 MiB");
    cr_assert_eq(e.code, ERROR_LIMIT);
    free(big);
}

Test(csv, more_values_than_a_tensor_holds_keeps_the_tensor_limit_error, .timeout = 120)
{
    /* 4097 rows of 4096 zeros: one row past TENSOR_MAX_ELEMS. */
    size_t rows = 4097, cols = 4096, n = rows * cols * 2;
    char *text = malloc(n + 1);
    cr_assert_not_null(text);
    for (size_t i = 0; i < n; i += 2) {
        text[i] = '0';
        text[i + 1] = (i / 2) % cols == cols - 1 ? '\n' : ',';
    }
    text[n] = '\0';
    Error e;
    cr_assert_null(csv_parse(text, n, "data.csv", NULL, &e));
    cr_assert_str_eq(e.msg, "tensor: 4097 x 4096 is too large (at most 16777216 elements)");
    cr_assert_eq(e.code, ERROR_LIMIT);
    free(text);
}

/* --- csv_load: files ------------------------------------------------------ */

Test(csv, load_reads_a_file)
{
    Scratch s;
    scratch_open(&s);
    const char *text = "# two points\r\nx,y\r\n1,2\r\n3,4\r\n";
    const char *path = scratch_write(&s, "points.csv", text, strlen(text));
    CsvOptions opt = { .auto_header = true };
    Error e;
    Tensor *t = csv_load(path, &opt, &e);
    assert_tensor_near(t, 2, 2, 2, ((double[]){ 1, 2, 3, 4 }), 0);
    tensor_delete(t);
    scratch_close(&s);
}

Test(csv, load_names_the_path_in_its_errors)
{
    Scratch s;
    scratch_open(&s);
    const char *text = "1,2,3,4\n5,6,7,8\n1.5,2,abc,4\n";
    const char *path = scratch_write(&s, "data.csv", text, strlen(text));
    Error e;
    char want[512];
    cr_assert_null(csv_load(path, NULL, &e));
    snprintf(want, sizeof want, "load_csv: %s:3:7: 'abc' is not a number", path);
    cr_assert_str_eq(e.msg, want);
    cr_assert_eq(e.line, 3);
    cr_assert_eq(e.col, 7);
    scratch_close(&s);
}

Test(csv, load_reports_each_error_as_parse_does)
{
    /* sizeof, not strlen: one text holds a NUL. */
#define CASE(text, tail) { text, sizeof text - 1, tail }
    struct {
        const char *text;
        size_t len;
        const char *tail;
    } cases[] = {
        CASE("1,2,3,4\n5,6,7,8\n\n1,2,3\n", ":4: 3 values, but line 1 has 4"),
        CASE("1,2,3\n1,2,,4\n", ":2:5: empty field"),
        CASE("1,2\n3,\0\n", ":2:3: unexpected byte 0x00"),
        CASE("# nothing\n", " has no rows of numbers"),
    };
#undef CASE
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        Scratch s;
        scratch_open(&s);
        const char *path = scratch_write(&s, "data.csv", cases[i].text, cases[i].len);
        Error e;
        char want[512];
        cr_assert_null(csv_load(path, NULL, &e));
        snprintf(want, sizeof want, "load_csv: %s%s", path, cases[i].tail);
        cr_assert_str_eq(e.msg, want);
        scratch_close(&s);
    }
}

Test(csv, a_missing_file_is_an_io_error_with_the_reason)
{
    Scratch s;
    scratch_open(&s);
    char path[512], want[600];
    snprintf(path, sizeof path, "%s/x.csv", s.dir);
    Error e;
    cr_assert_null(csv_load(path, NULL, &e));
    snprintf(want, sizeof want, "load_csv: cannot open '%s': No such file or directory", path);
    cr_assert_str_eq(e.msg, want);
    cr_assert_eq(e.code, ERROR_IO);
    scratch_close(&s);
}

Test(csv, a_directory_is_an_io_error)
{
    Scratch s;
    scratch_open(&s);
    Error e;
    char want[600];
    cr_assert_null(csv_load(s.dir, NULL, &e));
    snprintf(want, sizeof want, "load_csv: cannot read '%s': Is a directory", s.dir);
    cr_assert_str_eq(e.msg, want);
    cr_assert_eq(e.code, ERROR_IO);
    scratch_close(&s);
}

Test(csv, a_file_over_64_mib_is_refused)
{
    Scratch s;
    scratch_open(&s);
    const char *path = scratch_sparse(&s, "big.csv", CSV_MAX_BYTES + 1);
    Error e;
    char want[600];
    cr_assert_null(csv_load(path, NULL, &e));
    snprintf(want, sizeof want, "load_csv: %s is larger than 64 MiB", path);
    cr_assert_str_eq(e.msg, want);
    cr_assert_eq(e.code, ERROR_LIMIT);
    scratch_close(&s);
}

Test(csv, a_file_of_exactly_64_mib_is_read)
{
    /* It is read, so its leading zeros are what fails. */
    Scratch s;
    scratch_open(&s);
    const char *path = scratch_sparse(&s, "big.csv", CSV_MAX_BYTES);
    Error e;
    char want[600];
    cr_assert_null(csv_load(path, NULL, &e));
    snprintf(want, sizeof want, "load_csv: %s:1:1: unexpected byte 0x00", path);
    cr_assert_str_eq(e.msg, want);
    scratch_close(&s);
}

Test(csv, an_empty_file_has_no_rows)
{
    Scratch s;
    scratch_open(&s);
    const char *path = scratch_write(&s, "empty.csv", "", 0);
    Error e;
    char want[600];
    cr_assert_null(csv_load(path, NULL, &e));
    snprintf(want, sizeof want, "load_csv: %s has no rows of numbers", path);
    cr_assert_str_eq(e.msg, want);
    scratch_close(&s);
}

/* --- running out of memory ------------------------------------------------ */

Test(csv, parse_turns_any_failed_allocation_into_out_of_memory)
{
    double want[150 * 5];
    char *text = iris_like_text(want);
    CsvOptions opt = { .header = true };
    bool succeeded = false;
    for (long k = 0; k <= 10; k++) {
        Error e;
        mem_fail_after(k);
        Tensor *t = csv_parse(text, strlen(text), "data.csv", &opt, &e);
        mem_fail_after(-1);
        if (t) {
            assert_tensor_near(t, 2, 150, 5, want, 0);
            succeeded = true;
        } else {
            cr_assert_eq(e.code, ERROR_NOMEM, "after %ld allocations: %s", k, e.msg);
            cr_assert_str_eq(e.msg, "out of memory");
        }
        tensor_delete(t);
    }
    cr_assert(succeeded);
    free(text);
}

Test(csv, load_turns_any_failed_allocation_into_out_of_memory)
{
    double want[150 * 5];
    char *text = iris_like_text(want);
    Scratch s;
    scratch_open(&s);
    const char *path = scratch_write(&s, "iris.csv", text, strlen(text));
    CsvOptions opt = { .auto_header = true };
    bool succeeded = false;
    for (long k = 0; k <= 10; k++) {
        Error e;
        mem_fail_after(k);
        Tensor *t = csv_load(path, &opt, &e);
        mem_fail_after(-1);
        if (t) {
            assert_tensor_near(t, 2, 150, 5, want, 0);
            succeeded = true;
        } else {
            cr_assert_eq(e.code, ERROR_NOMEM, "after %ld allocations: %s", k, e.msg);
            cr_assert_str_eq(e.msg, "out of memory");
        }
        tensor_delete(t);
    }
    cr_assert(succeeded);
    scratch_close(&s);
    free(text);
}

/* --- quoting and the byte-order mark (issue 18) ------------------------------- */

/* Fixed bug: a quoted all-numeric first row ("1","2") was taken for a
 * header and dropped without a word.  Quoted numbers are numbers. */
Test(csv, a_quoted_first_row_of_numbers_is_data)
{
    CsvOptions opt = { .auto_header = true };
    Tensor *t = parse("\"1\",\"2\"\n3,\"4\"\n", &opt, NULL);
    assert_tensor_near(t, 2, 2, 2, ((double[]){ 1, 2, 3, 4 }), 0);
    tensor_delete(t);
}

Test(csv, a_quoted_header_with_commas_and_quotes_is_still_a_header)
{
    CsvOptions opt = { .auto_header = true };
    Tensor *t = parse("\"length, cm\",\"the \"\"class\"\"\"\n\" 5.1 \",0\n", &opt, NULL);
    assert_tensor_near(t, 2, 1, 2, ((double[]){ 5.1, 0 }), 0);
    tensor_delete(t);
}

Test(csv, a_quoted_field_may_span_lines_and_errors_keep_their_line)
{
    CsvOptions opt = { .auto_header = true };
    Error e;
    cr_assert_null(parse("\"a\nb\",c\n1,2\n3,x\n", &opt, &e));
    cr_assert_str_eq(e.msg, "load_csv: data.csv:4:3: 'x' is not a number");
    cr_assert_null(parse("1,2\n3,\"4\n", NULL, &e));
    cr_assert_str_eq(e.msg, "load_csv: data.csv:2:3: a quote (\") that is never closed");
    cr_assert_null(parse("1,\"\"\n", NULL, &e));
    cr_assert_str_eq(e.msg, "load_csv: data.csv:1:3: empty field");
    cr_assert_null(parse("1,\"x\"\n", NULL, &e));
    cr_assert_str_eq(e.msg, "load_csv: data.csv:1:3: 'x' is not a number");
}

Test(csv, a_comment_with_a_quote_is_one_line)
{
    Tensor *t = parse("# it's a \"quote\n1,2\n", NULL, NULL);
    assert_tensor_near(t, 2, 1, 2, ((double[]){ 1, 2 }), 0);
    tensor_delete(t);
}

/* Fixed bug: a file that starts with a byte-order mark failed with an
 * invisible character in its message. */
Test(csv, a_byte_order_mark_is_skipped)
{
    CsvOptions opt = { .auto_header = true };
    Tensor *t = parse("\xEF\xBB\xBF" "a,b\n1,2\n", &opt, NULL);
    assert_tensor_near(t, 2, 1, 2, ((double[]){ 1, 2 }), 0);
    tensor_delete(t);
    t = parse("\xEF\xBB\xBF" "1,2\n", NULL, NULL);
    assert_tensor_near(t, 2, 1, 2, ((double[]){ 1, 2 }), 0);
    tensor_delete(t);
    Error e;
    cr_assert_null(parse("\xEF\xBB\xBF" "1,y\n", NULL, &e));
    cr_assert_str_eq(e.msg, "load_csv: data.csv:1:3: 'y' is not a number");
}
