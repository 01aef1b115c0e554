/* test_lexer.c - tokens, numbers, strings, Greek names, columns and errors. */
#include "nudge/lexer.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* --- helpers ------------------------------------------------------------ */

enum { MAX_TOKENS = 64 };

/* A lexed source: the tokens up to and including EOF or the first error.
 * The source is copied into a heap buffer of exactly its size, so that
 * AddressSanitizer catches any read past its end. */
typedef struct Lexed {
    char *src;
    Token tok[MAX_TOKENS];
    size_t n;
    Error e;
} Lexed;

static char *exact_copy(const char *src)
{
    size_t n = strlen(src);
    char *s = malloc(n + 1);
    cr_assert_not_null(s);
    memcpy(s, src, n + 1);
    return s;
}

static Lexed *lex(const char *src)
{
    Lexed *l = calloc(1, sizeof *l);
    cr_assert_not_null(l);
    l->src = exact_copy(src);
    error_clear(&l->e);
    Lexer lx;
    lexer_init(&lx, l->src);
    for (;;) {
        cr_assert_lt(l->n, MAX_TOKENS, "too many tokens in \"%s\"", src);
        Token t = lexer_next(&lx, &l->e);
        l->tok[l->n++] = t;
        if (t.type == TOKEN_EOF || t.type == TOKEN_ERROR)
            break;
    }
    return l;
}

static void lexed_free(Lexed *l)
{
    free(l->src);
    free(l);
}

/* Asserts the token types of src, the final EOF (or ERROR) included. */
static void check_types(const char *src, const TokenType *want, size_t n)
{
    Lexed *l = lex(src);
    cr_assert_eq(l->n, n, "\"%s\" gave %zu tokens, expected %zu (error: %s)", src, l->n, n, l->e.msg);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(l->tok[i].type, want[i], "\"%s\": token %zu is %s, expected %s", src, i,
                     lexer_token_name(l->tok[i].type), lexer_token_name(want[i]));
    lexed_free(l);
}

#define assert_types(src, ...)                                                 \
    check_types((src), (const TokenType[]){ __VA_ARGS__ },                     \
                sizeof((const TokenType[]){ __VA_ARGS__ }) / sizeof(TokenType))

/* The first token of src must be a number with exactly this value (bits). */
static void assert_number_token(const char *src, double want, size_t len)
{
    Lexed *l = lex(src);
    Token t = l->tok[0];
    cr_assert_eq(t.type, TOKEN_NUMBER, "\"%s\" is %s (%s)", src, lexer_token_name(t.type), l->e.msg);
    cr_assert(t.number == want && signbit(t.number) == signbit(want), "\"%s\" read as %.17g, expected %.17g",
              src, t.number, want);
    cr_assert_eq(t.len, len, "\"%s\": length %zu, expected %zu", src, t.len, len);
    cr_assert_eq(l->tok[1].type, TOKEN_EOF, "\"%s\" did not end after the number", src);
    lexed_free(l);
}

/* Lexing src must stop with an error at line:col with this message. */
static void assert_lex_error(const char *src, int line, int col, const char *msg)
{
    Lexed *l = lex(src);
    Token last = l->tok[l->n - 1];
    cr_assert_eq(last.type, TOKEN_ERROR, "\"%s\" lexed without an error", src);
    cr_assert_eq(l->e.code, ERROR_SYNTAX);
    cr_assert_str_eq(l->e.msg, msg, "\"%s\"", src);
    cr_assert_eq(l->e.line, line, "\"%s\": error on line %d, expected %d", src, l->e.line, line);
    cr_assert_eq(l->e.col, col, "\"%s\": error at column %d, expected %d", src, l->e.col, col);
    cr_assert_eq(last.line, line);
    cr_assert_eq(last.col, col);
    lexed_free(l);
}

static bool text_is(const Token *t, const char *want)
{
    return t->len == strlen(want) && !memcmp(t->start, want, t->len);
}

/* --- token types --------------------------------------------------------- */

Test(lexer, every_punctuation_and_operator_has_its_own_token)
{
    assert_types("( ) [ ] , ; : . @( =", TOKEN_LPAREN, TOKEN_RPAREN, TOKEN_LBRACKET, TOKEN_RBRACKET,
                 TOKEN_COMMA, TOKEN_SEMICOLON, TOKEN_COLON, TOKEN_DOT, TOKEN_AT_PAREN, TOKEN_ASSIGN, TOKEN_EOF);
    assert_types("+ - * / ** @", TOKEN_PLUS, TOKEN_MINUS, TOKEN_STAR, TOKEN_SLASH, TOKEN_POW, TOKEN_AT, TOKEN_EOF);
    assert_types("== != < <= > >=", TOKEN_EQ, TOKEN_NE, TOKEN_LT, TOKEN_LE, TOKEN_GT, TOKEN_GE, TOKEN_EOF);
}

Test(lexer, literals_and_names_have_their_own_tokens)
{
    assert_types("x 2 \"s\"\n", TOKEN_NAME, TOKEN_NUMBER, TOKEN_STRING, TOKEN_NEWLINE, TOKEN_EOF);
}

Test(lexer, two_character_operators_are_one_token_each)
{
    Lexed *l = lex("a**b<=c>=d==e!=f");
    TokenType ops[] = { TOKEN_POW, TOKEN_LE, TOKEN_GE, TOKEN_EQ, TOKEN_NE };
    for (size_t i = 0; i < 5; i++) {
        const Token *t = &l->tok[2 * i + 1];
        cr_assert_eq(t->type, ops[i], "operator %zu is %s", i, lexer_token_name(t->type));
        cr_assert_eq(t->len, 2);
    }
    cr_assert_eq(l->tok[11].type, TOKEN_EOF);
    lexed_free(l);
}

Test(lexer, operators_need_no_spaces_between_them)
{
    assert_types("a**-b", TOKEN_NAME, TOKEN_POW, TOKEN_MINUS, TOKEN_NAME, TOKEN_EOF);
    assert_types("2*-3", TOKEN_NUMBER, TOKEN_STAR, TOKEN_MINUS, TOKEN_NUMBER, TOKEN_EOF);
    assert_types("x=-1", TOKEN_NAME, TOKEN_ASSIGN, TOKEN_MINUS, TOKEN_NUMBER, TOKEN_EOF);
    assert_types("a===b", TOKEN_NAME, TOKEN_EQ, TOKEN_ASSIGN, TOKEN_NAME, TOKEN_EOF);
}

Test(lexer, at_directly_before_a_parenthesis_starts_a_function)
{
    Lexed *l = lex("f = @(x) x");
    cr_assert_eq(l->tok[2].type, TOKEN_AT_PAREN);
    cr_assert_eq(l->tok[2].len, 2);
    cr_assert_eq(l->tok[2].col, 5);
    cr_assert(text_is(&l->tok[2], "@("));
    cr_assert_eq(l->tok[3].type, TOKEN_NAME);
    lexed_free(l);
}

Test(lexer, at_with_a_space_before_a_parenthesis_is_the_matrix_product)
{
    assert_types("a @ (b)", TOKEN_NAME, TOKEN_AT, TOKEN_LPAREN, TOKEN_NAME, TOKEN_RPAREN, TOKEN_EOF);
    assert_types("a@b", TOKEN_NAME, TOKEN_AT, TOKEN_NAME, TOKEN_EOF);
}

Test(lexer, the_end_of_input_repeats)
{
    Lexer lx;
    lexer_init(&lx, "");
    for (int i = 0; i < 3; i++) {
        Token t = lexer_next(&lx, NULL);
        cr_assert_eq(t.type, TOKEN_EOF);
        cr_assert_eq(t.line, 1);
        cr_assert_eq(t.col, 1);
    }
}

Test(lexer, every_token_type_has_a_name_for_messages)
{
    for (int t = TOKEN_EOF; t <= TOKEN_ERROR; t++) {
        const char *name = lexer_token_name((TokenType)t);
        cr_assert_not_null(name, "token type %d has no name", t);
        cr_assert_gt(strlen(name), 0, "token type %d has an empty name", t);
    }
    cr_assert_str_eq(lexer_token_name(TOKEN_RPAREN), "')'");
    cr_assert_str_eq(lexer_token_name(TOKEN_AT_PAREN), "'@('");
    cr_assert_str_eq(lexer_token_name(TOKEN_POW), "'**'");
    cr_assert_str_eq(lexer_token_name(TOKEN_NEWLINE), "end of line");
    cr_assert_str_eq(lexer_token_name(TOKEN_EOF), "end of input");
    cr_assert_str_eq(lexer_token_name(TOKEN_NUMBER), "a number");
    cr_assert_str_eq(lexer_token_name(TOKEN_NAME), "a name");
}

/* --- numbers --------------------------------------------------------------- */

Test(lexer, integers_read_as_doubles)
{
    assert_number_token("1", 1.0, 1);
    assert_number_token("0", 0.0, 1);
    assert_number_token("1000", 1000.0, 4);
}

Test(lexer, decimals_read_exactly_as_strtod_reads_them)
{
    assert_number_token("2.5", 2.5, 3);
    assert_number_token("0.1", strtod("0.1", NULL), 3);
    assert_number_token("0.7575191805921776", strtod("0.7575191805921776", NULL), 18);
}

Test(lexer, a_leading_dot_starts_a_number)
{
    assert_number_token(".5", 0.5, 2);
    assert_types("x = .25", TOKEN_NAME, TOKEN_ASSIGN, TOKEN_NUMBER, TOKEN_EOF);
}

Test(lexer, a_trailing_dot_belongs_to_the_number)
{
    assert_number_token("2.", 2.0, 2);
    assert_types("[2., 3.]", TOKEN_LBRACKET, TOKEN_NUMBER, TOKEN_COMMA, TOKEN_NUMBER, TOKEN_RBRACKET, TOKEN_EOF);
}

Test(lexer, a_dot_before_a_name_after_a_number_is_a_field_access)
{
    assert_types("2.T", TOKEN_NUMBER, TOKEN_DOT, TOKEN_NAME, TOKEN_EOF);
    assert_types("a2.T", TOKEN_NAME, TOKEN_DOT, TOKEN_NAME, TOKEN_EOF);
    Lexed *l = lex("2.T");
    cr_assert_eq(l->tok[0].len, 1);
    lexed_free(l);
}

Test(lexer, exponents_take_an_optional_sign)
{
    assert_number_token("1e-3", 1e-3, 4);
    assert_number_token("1E+2", 100.0, 4);
    assert_number_token("2.5e3", 2500.0, 5);
    assert_number_token("5e0", 5.0, 3);
    assert_number_token(".5e1", 5.0, 4);
}

Test(lexer, too_large_a_number_overflows_to_infinity)
{
    assert_number_token("1e400", INFINITY, 5);
    assert_number_token("1e-400", 0.0, 6);
}

Test(lexer, the_minus_of_a_negative_number_is_its_own_token)
{
    assert_types("-2", TOKEN_MINUS, TOKEN_NUMBER, TOKEN_EOF);
}

Test(lexer, a_number_running_into_a_name_is_an_error)
{
    assert_lex_error("2x", 1, 1, "'2x' is not a number or a name (names start with a letter)");
    assert_lex_error("a = 3abc", 1, 5, "'3a' is not a number or a name (names start with a letter)");
}

Test(lexer, an_exponent_without_digits_is_an_error)
{
    assert_lex_error("1e", 1, 1, "'1e' is not a number or a name (names start with a letter)");
    assert_lex_error("1e+", 1, 1, "'1e' is not a number or a name (names start with a letter)");
}

/* Fixed bug: the lexer copies at most 399 characters of a number into a buffer
 * before strtod and drops the rest, exponent included: "1" followed by 400
 * zeros and "e-400" (which is exactly 1) reads as Inf, and the decimal
 * exactly halfway between 1 and the next double, followed by a 1 in its
 * 450th digit, rounds down to 1 instead of up. */
Test(lexer, long_numbers_read_with_all_their_digits)
{
    char one[420];
    one[0] = '1';
    memset(one + 1, '0', 400);
    strcpy(one + 401, "e-400");
    assert_number_token(one, 1.0, 406);

    const char *half = "1.00000000000000011102230246251565404236316680908203125";   /* 1 + 2^-53 */
    char above[460];
    size_t n = strlen(half);
    memcpy(above, half, n);
    memset(above + n, '0', 450 - n);
    strcpy(above + 450, "1");
    assert_number_token(above, nextafter(1.0, 2.0), 451);
}

/* --- strings ---------------------------------------------------------------- */

Test(lexer, double_quoted_strings_exclude_their_quotes)
{
    Lexed *l = lex("load_csv(\"file.nd\")");
    const Token *t = &l->tok[2];
    cr_assert_eq(t->type, TOKEN_STRING);
    cr_assert(text_is(t, "file.nd"));
    cr_assert_eq(t->col, 10, "a string's column is its opening quote's");
    cr_assert_eq(l->tok[3].type, TOKEN_RPAREN);
    lexed_free(l);
}

Test(lexer, single_quoted_strings_may_hold_double_quotes)
{
    Lexed *l = lex("'say \"hi\"'");
    cr_assert_eq(l->tok[0].type, TOKEN_STRING);
    cr_assert(text_is(&l->tok[0], "say \"hi\""));
    cr_assert_eq(l->tok[1].type, TOKEN_EOF);
    lexed_free(l);
    l = lex("\"it's\"");
    cr_assert(text_is(&l->tok[0], "it's"));
    lexed_free(l);
}

Test(lexer, an_empty_string_has_length_zero)
{
    Lexed *l = lex("\"\" ''");
    cr_assert_eq(l->tok[0].type, TOKEN_STRING);
    cr_assert_eq(l->tok[0].len, 0);
    cr_assert_eq(l->tok[1].type, TOKEN_STRING);
    cr_assert_eq(l->tok[1].len, 0);
    cr_assert_eq(l->tok[1].col, 4);
    lexed_free(l);
}

Test(lexer, a_hash_inside_a_string_is_text_not_a_comment)
{
    Lexed *l = lex("\"a # b\"");
    cr_assert_eq(l->tok[0].type, TOKEN_STRING);
    cr_assert(text_is(&l->tok[0], "a # b"));
    lexed_free(l);
}

Test(lexer, an_unterminated_string_is_an_error_at_its_opening_quote)
{
    assert_lex_error("x = \"abc", 1, 5, "this string has no closing quote");
    assert_lex_error("x = 'abc", 1, 5, "this string has no closing quote");
    assert_lex_error("'abc\"", 1, 1, "this string has no closing quote");
}

Test(lexer, a_string_does_not_continue_onto_the_next_line)
{
    assert_lex_error("a\ns = \"abc\ndef\"", 2, 5, "this string has no closing quote");
}

Test(lexer, an_unterminated_string_after_greek_text_reports_its_character_column)
{
    assert_lex_error("η = \"abc", 1, 5, "this string has no closing quote");
}

/* --- names and Greek letters ------------------------------------------------ */

Test(lexer, names_are_letters_digits_and_underscores)
{
    Lexed *l = lex("_x1 W2 net_2");
    cr_assert(text_is(&l->tok[0], "_x1"));
    cr_assert(text_is(&l->tok[1], "W2"));
    cr_assert(text_is(&l->tok[2], "net_2"));
    cr_assert_eq(l->tok[3].type, TOKEN_EOF);
    lexed_free(l);
}

Test(lexer, greek_letters_are_name_characters)
{
    Lexed *l = lex("η δ2 σ");
    for (int i = 0; i < 3; i++)
        cr_assert_eq(l->tok[i].type, TOKEN_NAME, "token %d is %s", i, lexer_token_name(l->tok[i].type));
    cr_assert(text_is(&l->tok[0], "η"));
    cr_assert(text_is(&l->tok[1], "δ2"));
    cr_assert(text_is(&l->tok[2], "σ"));
    cr_assert_eq(l->tok[0].len, 2, "a name's length is in bytes");
    cr_assert_eq(l->tok[3].type, TOKEN_EOF);
    lexed_free(l);
}

Test(lexer, greek_and_latin_letters_mix_in_one_name)
{
    Lexed *l = lex("x_η1Δw");
    cr_assert_eq(l->tok[0].type, TOKEN_NAME);
    cr_assert(text_is(&l->tok[0], "x_η1Δw"));
    cr_assert_eq(l->tok[1].type, TOKEN_EOF);
    lexed_free(l);
}

Test(lexer, a_greek_name_is_called_like_any_other)
{
    assert_types("σ(z)", TOKEN_NAME, TOKEN_LPAREN, TOKEN_NAME, TOKEN_RPAREN, TOKEN_EOF);
    assert_types("η=0.1", TOKEN_NAME, TOKEN_ASSIGN, TOKEN_NUMBER, TOKEN_EOF);
}

Test(lexer, columns_are_counted_in_characters_after_greek_text)
{
    /* η = δ2 + 1: η at 1, = at 3, δ2 at 5, + at 8, 1 at 10. */
    Lexed *l = lex("η = δ2 + 1");
    int cols[] = { 1, 3, 5, 8, 10 };
    for (int i = 0; i < 5; i++)
        cr_assert_eq(l->tok[i].col, cols[i], "token %d at column %d, expected %d", i, l->tok[i].col, cols[i]);
    lexed_free(l);
}

Test(lexer, lexer_column_skips_utf8_continuation_bytes)
{
    const char *s = "ηδx";
    cr_assert_eq(lexer_column(s, s), 1);
    cr_assert_eq(lexer_column(s, s + 2), 2);
    cr_assert_eq(lexer_column(s, s + 4), 3);
    cr_assert_eq(lexer_column(s, s + 5), 4);
}

Test(lexer, accented_latin_letters_are_name_characters)
{
    Lexed *l = lex("ŷ = é1");
    cr_assert_eq(l->tok[0].type, TOKEN_NAME);
    cr_assert(text_is(&l->tok[0], "ŷ"));
    cr_assert_eq(l->tok[2].type, TOKEN_NAME);
    cr_assert(text_is(&l->tok[2], "é1"));
    cr_assert_eq(l->tok[2].col, 5);
    lexed_free(l);
}

Test(lexer, other_characters_are_errors_that_name_them)
{
    /* ж is Cyrillic; · (the book's dot), × and ÷ are symbols, not letters;
     * U+037E, the Greek question mark, looks like ';'. */
    assert_lex_error("ж", 1, 1, "unexpected character 'ж' (U+0436)");
    assert_lex_error("w·x", 1, 2, "unexpected character '·' (U+00B7)");
    assert_lex_error("a × b", 1, 3, "unexpected character '×' (U+00D7)");
    assert_lex_error("a ÷ b", 1, 3, "unexpected character '÷' (U+00F7)");
    assert_lex_error("a = 1\xCD\xBE", 1, 6, "unexpected character '\xCD\xBE' (U+037E)");
}

Test(lexer, bytes_that_are_not_utf8_are_errors_in_hex)
{
    assert_lex_error("a \xCE", 1, 3, "unexpected byte 0xCE (this is not UTF-8 text)");
    assert_lex_error("\xFF", 1, 1, "unexpected byte 0xFF (this is not UTF-8 text)");
    assert_lex_error("x = \xCE(", 1, 5, "unexpected byte 0xCE (this is not UTF-8 text)");
}

Test(lexer, a_byte_order_mark_at_the_start_is_skipped)
{
    Lexed *l = lex("\xEF\xBB\xBF" "a = 1");
    cr_assert_eq(l->tok[0].type, TOKEN_NAME);
    cr_assert(text_is(&l->tok[0], "a"));
    cr_assert_eq(l->tok[0].col, 1);
    cr_assert_eq(l->tok[2].col, 5);
    lexed_free(l);
}

/* --- lines, comments and continuations --------------------------------------- */

Test(lexer, newlines_are_tokens_and_count_lines)
{
    Lexed *l = lex("a\n  b");
    cr_assert_eq(l->tok[0].type, TOKEN_NAME);
    cr_assert_eq(l->tok[1].type, TOKEN_NEWLINE);
    cr_assert_eq(l->tok[1].line, 1);
    cr_assert_eq(l->tok[1].col, 2);
    cr_assert_eq(l->tok[2].type, TOKEN_NAME);
    cr_assert_eq(l->tok[2].line, 2);
    cr_assert_eq(l->tok[2].col, 3);
    lexed_free(l);
}

Test(lexer, carriage_returns_and_tabs_are_spaces)
{
    assert_types("a\r\nb", TOKEN_NAME, TOKEN_NEWLINE, TOKEN_NAME, TOKEN_EOF);
    assert_types("\ta\t+\tb", TOKEN_NAME, TOKEN_PLUS, TOKEN_NAME, TOKEN_EOF);
}

Test(lexer, comments_run_to_the_end_of_the_line)
{
    assert_types("a # the weights (w) [0]\nb", TOKEN_NAME, TOKEN_NEWLINE, TOKEN_NAME, TOKEN_EOF);
    assert_types("# only a comment", TOKEN_EOF);
    assert_types("x = 1 # $ and \xFF are fine here", TOKEN_NAME, TOKEN_ASSIGN, TOKEN_NUMBER, TOKEN_EOF);
}

Test(lexer, a_backslash_at_the_end_of_a_line_continues_it)
{
    Lexed *l = lex("a + \\\n   b");
    cr_assert_eq(l->n, 4, "no newline token: the statement goes on");
    cr_assert_eq(l->tok[1].type, TOKEN_PLUS);
    cr_assert_eq(l->tok[2].type, TOKEN_NAME);
    cr_assert_eq(l->tok[2].line, 2, "the continued line still counts as a line");
    cr_assert_eq(l->tok[2].col, 4);
    lexed_free(l);
    assert_types("a + \\\r\nb", TOKEN_NAME, TOKEN_PLUS, TOKEN_NAME, TOKEN_EOF);
    assert_types("a \\\n\\\n+ b", TOKEN_NAME, TOKEN_PLUS, TOKEN_NAME, TOKEN_EOF);
}

Test(lexer, a_backslash_anywhere_else_is_an_error)
{
    assert_lex_error("a \\ b", 1, 3, "unexpected '\\'");
}

/* --- errors -------------------------------------------------------------------- */

Test(lexer, unexpected_characters_are_named_with_their_column)
{
    assert_lex_error("a = $", 1, 5, "unexpected '$'");
    assert_lex_error("a ? b", 1, 3, "unexpected '?'");
    assert_lex_error("!x", 1, 1, "unexpected '!'");
    assert_lex_error("`", 1, 1, "unexpected '`'");
    assert_lex_error("a & b", 1, 3, "unexpected '&'");
}

Test(lexer, control_characters_are_named_in_hex_never_echoed)
{
    assert_lex_error("x = \x01", 1, 5, "unexpected control character (byte 0x01)");
    assert_lex_error("a\x7F", 1, 2, "unexpected control character (byte 0x7F)");
    assert_lex_error("a\x1B[2J", 1, 2, "unexpected control character (byte 0x1B)");
}

Test(lexer, an_error_on_a_later_line_has_that_line_and_column)
{
    assert_lex_error("a = 1\nb = 2\n  $", 3, 3, "unexpected '$'");
    assert_lex_error("δ2 = 1\nη $", 2, 3, "unexpected '$'");
}

Test(lexer, an_error_without_an_error_value_still_returns_an_error_token)
{
    Lexer lx;
    lexer_init(&lx, "$ ");
    Token t = lexer_next(&lx, NULL);
    cr_assert_eq(t.type, TOKEN_ERROR);
    cr_assert_eq(t.col, 1);
}

/* Every Lexed buffer is exact-size already; this names the cases that once
 * read one byte past the terminating NUL (a name or number ending the
 * input) so that AddressSanitizer points at them directly. */
Test(lexer, names_and_numbers_at_the_very_end_are_read_without_overreading)
{
    const char *cases[] = { "abc", "12", "2.", "x = η", "1e5", "\xCE" };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = strlen(cases[i]);
        char *exact = malloc(n + 1);    /* no slack: ASan sees any over-read */
        cr_assert_not_null(exact);
        memcpy(exact, cases[i], n + 1);
        Lexer lx;
        lexer_init(&lx, exact);
        Token t;
        do
            t = lexer_next(&lx, NULL);
        while (t.type != TOKEN_EOF && t.type != TOKEN_ERROR);
        cr_assert_eq(t.type, i == 5 ? TOKEN_ERROR : TOKEN_EOF, "\"%s\"", cases[i]);
        free(exact);
    }
}
