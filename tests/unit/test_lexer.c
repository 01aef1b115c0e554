/* test_lexer.c - Python's tokens: operators, numbers, strings of every
 * kind, names with Greek letters, NEWLINE, INDENT and DEDENT, implicit and
 * explicit line joining, columns, errors, and the chunk helpers the prompt
 * uses (lexer_is_complete, lexer_statement_end). */
#include "nudge/lexer.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- helpers ------------------------------------------------------------ */

enum { MAX_TOKENS = 128 };

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
    for (size_t i = 0; i < n && i < l->n; i++)
        cr_assert_eq(l->tok[i].type, want[i], "\"%s\": token %zu is %s, expected %s (error: %s)", src, i,
                     lexer_token_name(l->tok[i].type), lexer_token_name(want[i]), l->e.msg);
    cr_assert_eq(l->n, n, "\"%s\" gave %zu tokens, expected %zu (error: %s)", src, l->n, n, l->e.msg);
    lexed_free(l);
}

#define assert_types(src, ...)                                                 \
    check_types((src), (const TokenType[]){ __VA_ARGS__ },                     \
                sizeof((const TokenType[]){ __VA_ARGS__ }) / sizeof(TokenType))

#define NL TOKEN_NEWLINE
#define IN TOKEN_INDENT
#define DE TOKEN_DEDENT
#define END TOKEN_EOF
#define NAME TOKEN_NAME
#define NUM TOKEN_NUMBER
#define STR TOKEN_STRING

/* The first token of src must be a float with exactly this value (bits). */
static void assert_float_token(const char *src, double want, size_t len)
{
    Lexed *l = lex(src);
    Token t = l->tok[0];
    cr_assert_eq(t.type, TOKEN_NUMBER, "\"%s\" is %s (%s)", src, lexer_token_name(t.type), l->e.msg);
    cr_assert_not(t.is_int, "\"%s\" is a float", src);
    cr_assert(t.number == want && signbit(t.number) == signbit(want), "\"%s\" read as %.17g, expected %.17g",
              src, t.number, want);
    cr_assert_eq(t.len, len, "\"%s\": length %zu, expected %zu", src, t.len, len);
    lexed_free(l);
}

/* The first token of src must be an int with this value. */
static void assert_int_token(const char *src, long long want, size_t len)
{
    Lexed *l = lex(src);
    Token t = l->tok[0];
    cr_assert_eq(t.type, TOKEN_NUMBER, "\"%s\" is %s (%s)", src, lexer_token_name(t.type), l->e.msg);
    cr_assert(t.is_int, "\"%s\" is an int", src);
    cr_assert_not(t.int_overflow, "\"%s\" fits in 64 bits", src);
    cr_assert_eq(t.integer, want, "\"%s\" read as %lld, expected %lld", src, t.integer, want);
    cr_assert_eq(t.number, (double)want);
    cr_assert_eq(t.len, len, "\"%s\": length %zu, expected %zu", src, t.len, len);
    lexed_free(l);
}

/* Lexing src must stop with an error at line:col with this message. */
static void assert_lex_error(const char *src, int line, int col, const char *msg)
{
    Lexed *l = lex(src);
    Token last = l->tok[l->n - 1];
    cr_assert_eq(last.type, TOKEN_ERROR, "\"%s\" lexed without an error", src);
    cr_assert_eq(l->e.code, ERROR_SYNTAX, "\"%s\": code %d", src, l->e.code);
    cr_assert_str_eq(l->e.msg, msg, "\"%s\"", src);
    cr_assert_eq(l->e.line, line, "\"%s\": error on line %d, expected %d", src, l->e.line, line);
    cr_assert_eq(l->e.col, col, "\"%s\": error at column %d, expected %d", src, l->e.col, col);
    lexed_free(l);
}

static bool text_is(const Token *t, const char *want)
{
    return t->len == strlen(want) && !memcmp(t->start, want, t->len);
}

/* The text between the quotes of the first token, as lexer_string_parts
 * gives it, with its flags. */
static void assert_string_parts(const char *src, const char *text, bool raw, bool fmt, bool triple)
{
    Lexed *l = lex(src);
    cr_assert_eq(l->tok[0].type, TOKEN_STRING, "\"%s\": %s", src, l->e.msg);
    cr_assert(text_is(&l->tok[0], src), "the token covers the whole literal, prefix and quotes");
    StringParts sp;
    lexer_string_parts(&l->tok[0], &sp);
    cr_assert_eq(sp.len, strlen(text), "\"%s\": %zu bytes of text, expected %zu", src, sp.len, strlen(text));
    cr_assert(!memcmp(sp.text, text, sp.len), "\"%s\": text \"%.*s\"", src, (int)sp.len, sp.text);
    cr_assert_eq(sp.raw, raw, "\"%s\" raw", src);
    cr_assert_eq(sp.fmt, fmt, "\"%s\" f", src);
    cr_assert_eq(sp.triple, triple, "\"%s\" triple", src);
    lexed_free(l);
}

/* --- operators -------------------------------------------------------------- */

Test(lexer, every_punctuation_and_operator_has_its_own_token)
{
    assert_types("( ) [ ] { } , ; : . @( = ->", TOKEN_LPAREN, TOKEN_RPAREN, TOKEN_LBRACKET, TOKEN_RBRACKET,
                 TOKEN_LBRACE, TOKEN_RBRACE, TOKEN_COMMA, TOKEN_SEMICOLON, TOKEN_COLON, TOKEN_DOT, TOKEN_AT_PAREN,
                 TOKEN_ASSIGN, TOKEN_ARROW, NL, END);
    assert_types("+ - * / // % ** @", TOKEN_PLUS, TOKEN_MINUS, TOKEN_STAR, TOKEN_SLASH, TOKEN_DSLASH, TOKEN_PERCENT,
                 TOKEN_POW, TOKEN_AT, NL, END);
    assert_types("== != < <= > >=", TOKEN_EQ, TOKEN_NE, TOKEN_LT, TOKEN_LE, TOKEN_GT, TOKEN_GE, NL, END);
    assert_types("& | ^ ~ << >>", TOKEN_AMP, TOKEN_PIPE, TOKEN_CARET, TOKEN_TILDE, TOKEN_LSHIFT, TOKEN_RSHIFT, NL, END);
}

Test(lexer, every_augmented_assignment_is_one_token_with_its_operator)
{
    static const struct { const char *src; TokenType aug, op; } cases[] = {
        { "+=", TOKEN_PLUS_ASSIGN, TOKEN_PLUS }, { "-=", TOKEN_MINUS_ASSIGN, TOKEN_MINUS },
        { "*=", TOKEN_STAR_ASSIGN, TOKEN_STAR }, { "/=", TOKEN_SLASH_ASSIGN, TOKEN_SLASH },
        { "//=", TOKEN_DSLASH_ASSIGN, TOKEN_DSLASH }, { "%=", TOKEN_PERCENT_ASSIGN, TOKEN_PERCENT },
        { "**=", TOKEN_POW_ASSIGN, TOKEN_POW }, { "@=", TOKEN_AT_ASSIGN, TOKEN_AT },
        { "&=", TOKEN_AMP_ASSIGN, TOKEN_AMP }, { "|=", TOKEN_PIPE_ASSIGN, TOKEN_PIPE },
        { "^=", TOKEN_CARET_ASSIGN, TOKEN_CARET }, { "<<=", TOKEN_LSHIFT_ASSIGN, TOKEN_LSHIFT },
        { ">>=", TOKEN_RSHIFT_ASSIGN, TOKEN_RSHIFT },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char src[16];
        snprintf(src, sizeof src, "x %s 1", cases[i].src);
        Lexed *l = lex(src);
        cr_assert_eq(l->tok[1].type, cases[i].aug, "\"%s\" is %s", src, lexer_token_name(l->tok[1].type));
        cr_assert_eq(l->tok[1].len, strlen(cases[i].src));
        cr_assert_eq(lexer_aug_op(cases[i].aug), cases[i].op, "%s", cases[i].src);
        char name[8];
        snprintf(name, sizeof name, "'%s'", cases[i].src);
        cr_assert_str_eq(lexer_token_name(cases[i].aug), name);
        lexed_free(l);
    }
    cr_assert_eq(lexer_aug_op(TOKEN_PLUS), TOKEN_ERROR);
    cr_assert_eq(lexer_aug_op(TOKEN_ASSIGN), TOKEN_ERROR);
}

Test(lexer, operators_need_no_spaces_between_them)
{
    assert_types("a**-b", NAME, TOKEN_POW, TOKEN_MINUS, NAME, NL, END);
    assert_types("2*-3", NUM, TOKEN_STAR, TOKEN_MINUS, NUM, NL, END);
    assert_types("x=-1", NAME, TOKEN_ASSIGN, TOKEN_MINUS, NUM, NL, END);
    assert_types("a===b", NAME, TOKEN_EQ, TOKEN_ASSIGN, NAME, NL, END);
    assert_types("a<<=b>>c", NAME, TOKEN_LSHIFT_ASSIGN, NAME, TOKEN_RSHIFT, NAME, NL, END);
    assert_types("a//b//=c", NAME, TOKEN_DSLASH, NAME, TOKEN_DSLASH_ASSIGN, NAME, NL, END);
}

Test(lexer, at_directly_before_a_parenthesis_starts_a_function)
{
    Lexed *l = lex("f = @(x) x");
    cr_assert_eq(l->tok[2].type, TOKEN_AT_PAREN);
    cr_assert_eq(l->tok[2].len, 2);
    cr_assert_eq(l->tok[2].col, 5);
    cr_assert_eq(l->tok[3].type, NAME);
    lexed_free(l);
    assert_types("a @ (b)", NAME, TOKEN_AT, TOKEN_LPAREN, NAME, TOKEN_RPAREN, NL, END);
    assert_types("a@b", NAME, TOKEN_AT, NAME, NL, END);
}

Test(lexer, keywords_are_names)
{
    assert_types("if x and not y: pass", NAME, NAME, NAME, NAME, NAME, TOKEN_COLON, NAME, NL, END);
    assert_types("lambda: None", NAME, TOKEN_COLON, NAME, NL, END);
}

Test(lexer, the_end_of_input_repeats)
{
    Lexer lx;
    lexer_init(&lx, "");
    for (int i = 0; i < 3; i++) {
        Token t = lexer_next(&lx, NULL);
        cr_assert_eq(t.type, TOKEN_EOF);
        cr_assert_eq(t.line, 1);
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
    cr_assert_str_eq(lexer_token_name(TOKEN_NEWLINE), "end of line");
    cr_assert_str_eq(lexer_token_name(TOKEN_INDENT), "an indented block");
    cr_assert_str_eq(lexer_token_name(TOKEN_DEDENT), "the end of a block");
    cr_assert_str_eq(lexer_token_name(TOKEN_EOF), "end of input");
}

/* --- numbers --------------------------------------------------------------- */

Test(lexer, integers_are_ints_with_their_exact_value)
{
    assert_int_token("1", 1, 1);
    assert_int_token("0", 0, 1);
    assert_int_token("00", 0, 2);
    assert_int_token("1000", 1000, 4);
    assert_int_token("9223372036854775807", 9223372036854775807LL, 19);
    assert_int_token("9007199254740993", 9007199254740993LL, 16);
}

Test(lexer, underscores_group_digits)
{
    assert_int_token("1_000_000", 1000000, 9);
    assert_int_token("0x_ff_ff", 0xffff, 8);
    assert_int_token("0b_1010", 10, 7);
    assert_float_token("1_0.2_5e1_0", 10.25e10, 11);
    assert_lex_error("1__0", 1, 1, "an underscore in a number must sit between two digits");
    assert_lex_error("x = 1_", 1, 5, "an underscore in a number must sit between two digits");
    assert_lex_error("1.5_", 1, 1, "an underscore in a number must sit between two digits");
    assert_lex_error("1e1_", 1, 1, "an underscore in a number must sit between two digits");
    assert_types("_1", NAME, NL, END);
}

Test(lexer, hex_octal_and_binary_integers)
{
    assert_int_token("0xff", 255, 4);
    assert_int_token("0XFF", 255, 4);
    assert_int_token("0o17", 15, 4);
    assert_int_token("0O17", 15, 4);
    assert_int_token("0b1011", 11, 6);
    assert_int_token("0x7fffffffffffffff", 9223372036854775807LL, 18);
    assert_lex_error("0x", 1, 1, "this number has no digits after its base prefix");
    assert_lex_error("0b2", 1, 1, "this number has no digits after its base prefix");
    assert_lex_error("0o8", 1, 1, "this number has no digits after its base prefix");
}

Test(lexer, an_integer_too_large_for_64_bits_is_marked)
{
    const char *big[] = { "9223372036854775808", "99999999999999999999", "0x8000000000000000",
                          "0xffffffffffffffffff" };
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
        Lexed *l = lex(big[i]);
        cr_assert_eq(l->tok[0].type, TOKEN_NUMBER, "%s", big[i]);
        cr_assert(l->tok[0].is_int);
        cr_assert(l->tok[0].int_overflow, "\"%s\" does not fit", big[i]);
        lexed_free(l);
    }
}

/* Fixed bug: 0777 read as 777; Python refuses leading zeros (0777 once
 * meant octal). */
Test(lexer, a_whole_number_cannot_start_with_zero)
{
    const char *msg = "a whole number cannot start with 0, as in Python (leave the zeros out; 0o17 is octal)";
    assert_lex_error("0777", 1, 1, msg);
    assert_lex_error("x = 09", 1, 5, msg);
    assert_int_token("0_0", 0, 3);
    assert_float_token("00.5", 0.5, 4);
    assert_float_token("007.0", 7.0, 5);
    assert_float_token("0e5", 0.0, 3);
}

Test(lexer, floats_read_exactly_as_strtod_reads_them)
{
    assert_float_token("2.5", 2.5, 3);
    assert_float_token("0.1", strtod("0.1", NULL), 3);
    assert_float_token("0.7575191805921776", strtod("0.7575191805921776", NULL), 18);
    assert_float_token(".5", 0.5, 2);
    assert_float_token("2.", 2.0, 2);
    assert_float_token("1e-3", 1e-3, 4);
    assert_float_token("1E+2", 100.0, 4);
    assert_float_token("5e0", 5.0, 3);
    assert_float_token(".5e1", 5.0, 4);
    assert_float_token("1e400", INFINITY, 5);
    assert_float_token("1e-400", 0.0, 6);
    assert_float_token("1e10", 1e10, 4);
    assert_types("[2., 3.]", TOKEN_LBRACKET, NUM, TOKEN_COMMA, NUM, TOKEN_RBRACKET, NL, END);
}

Test(lexer, a_dot_before_a_name_after_a_number_is_an_attribute)
{
    assert_types("2.T", NUM, TOKEN_DOT, NAME, NL, END);
    assert_types("a2.T", NAME, TOKEN_DOT, NAME, NL, END);
    assert_types("1..2", NUM, TOKEN_DOT, NUM, NL, END);
    Lexed *l = lex("2.T");
    cr_assert_eq(l->tok[0].len, 1);
    cr_assert(l->tok[0].is_int);
    lexed_free(l);
}

Test(lexer, long_numbers_read_with_all_their_digits)
{
    char one[420];
    one[0] = '1';
    memset(one + 1, '0', 400);
    strcpy(one + 401, "e-400");
    assert_float_token(one, 1.0, 406);
    const char *half = "1.00000000000000011102230246251565404236316680908203125";   /* 1 + 2^-53 */
    char above[460];
    size_t n = strlen(half);
    memcpy(above, half, n);
    memset(above + n, '0', 450 - n);
    strcpy(above + 450, "1");
    assert_float_token(above, nextafter(1.0, 2.0), 451);
}

Test(lexer, bad_numbers_are_errors)
{
    assert_lex_error("2x", 1, 1, "'2x' is not a number or a name (names start with a letter)");
    assert_lex_error("a = 3abc", 1, 5, "'3a' is not a number or a name (names start with a letter)");
    assert_lex_error("1e", 1, 1, "'1e' is not a number or a name (names start with a letter)");
    assert_lex_error("1e+", 1, 1, "'1e' is not a number or a name (names start with a letter)");
    assert_lex_error("1j", 1, 1, "complex numbers (1j) are not part of nudge");
    assert_lex_error("2.5J", 1, 1, "complex numbers (1j) are not part of nudge");
    assert_types("-2", TOKEN_MINUS, NUM, NL, END);
}

/* --- strings ---------------------------------------------------------------- */

Test(lexer, a_string_token_covers_its_prefix_and_quotes)
{
    assert_string_parts("\"file.nd\"", "file.nd", false, false, false);
    assert_string_parts("'say \"hi\"'", "say \"hi\"", false, false, false);
    assert_string_parts("\"\"", "", false, false, false);
    assert_string_parts("''", "", false, false, false);
    assert_string_parts("\"a # b\"", "a # b", false, false, false);
    assert_string_parts("r'\\n'", "\\n", true, false, false);
    assert_string_parts("R\"C:\\dir\"", "C:\\dir", true, false, false);
    assert_string_parts("f'{x}'", "{x}", false, true, false);
    assert_string_parts("F\"{x!r:>4}\"", "{x!r:>4}", false, true, false);
    assert_string_parts("rf'{x}\\d'", "{x}\\d", true, true, false);
    assert_string_parts("fR'{x}'", "{x}", true, true, false);
    assert_string_parts("u'text'", "text", false, false, false);
    assert_string_parts("'''a 'b' \"c\"\nd'''", "a 'b' \"c\"\nd", false, false, true);
    assert_string_parts("\"\"\"\"\"\"", "", false, false, true);
    assert_string_parts("f\"\"\"{a}\n{b}\"\"\"", "{a}\n{b}", false, true, true);
}

Test(lexer, a_backslash_escapes_the_quote_inside_a_string)
{
    assert_string_parts("'it\\'s'", "it\\'s", false, false, false);
    assert_string_parts("\"a\\\"b\"", "a\\\"b", false, false, false);
    assert_string_parts("r'a\\'b'", "a\\'b", true, false, false);
    assert_string_parts("'back\\\\'", "back\\\\", false, false, false);
}

Test(lexer, a_backslash_newline_inside_a_string_continues_it)
{
    Lexed *l = lex("s = 'a\\\nb'\nt = 1");
    cr_assert_eq(l->tok[2].type, STR);
    cr_assert_eq(l->tok[3].type, NL);
    cr_assert_eq(l->tok[4].type, NAME);
    cr_assert_eq(l->tok[4].line, 3, "the string's continued line still counts");
    lexed_free(l);
}

Test(lexer, triple_quoted_strings_span_lines_and_count_them)
{
    Lexed *l = lex("'''one\ntwo\nthree'''\nx");
    cr_assert_eq(l->tok[0].type, STR);
    cr_assert_eq(l->tok[1].type, NL);
    cr_assert_eq(l->tok[2].type, NAME);
    cr_assert_eq(l->tok[2].line, 4);
    cr_assert_eq(l->tok[2].col, 1);
    lexed_free(l);
}

Test(lexer, a_prefix_needs_a_quote_to_be_a_prefix)
{
    assert_types("r f b u rb", NAME, NAME, NAME, NAME, NAME, NL, END);
    assert_types("rf'x'", STR, NL, END);
    assert_types("ur'x'", NAME, STR, NL, END);
    assert_types("ff'x'", NAME, STR, NL, END);
}

Test(lexer, an_unterminated_string_is_an_error_at_its_opening_quote)
{
    assert_lex_error("x = \"abc", 1, 5, "this string has no closing quote");
    assert_lex_error("x = 'abc\"\n", 1, 5, "this string has no closing quote on its line");
    assert_lex_error("a\ns = \"abc\ndef\"", 2, 5, "this string has no closing quote on its line");
    assert_lex_error("η = \"abc\n", 1, 5, "this string has no closing quote on its line");
    assert_lex_error("x = f'abc\n", 1, 6, "this string has no closing quote on its line");
    assert_lex_error("x = '''abc\n\ndef", 1, 5, "this triple-quoted string is never closed");
    assert_lex_error("'\\'", 1, 1, "this string has no closing quote");
}

/* --- names and Greek letters ------------------------------------------------ */

Test(lexer, names_are_letters_digits_and_underscores)
{
    Lexed *l = lex("_x1 W2 net_2");
    cr_assert(text_is(&l->tok[0], "_x1"));
    cr_assert(text_is(&l->tok[1], "W2"));
    cr_assert(text_is(&l->tok[2], "net_2"));
    lexed_free(l);
}

Test(lexer, greek_and_accented_latin_letters_are_name_characters)
{
    Lexed *l = lex("η δ2 σ x_η1Δw ŷ é1");
    const char *want[] = { "η", "δ2", "σ", "x_η1Δw", "ŷ", "é1" };
    for (int i = 0; i < 6; i++) {
        cr_assert_eq(l->tok[i].type, NAME, "token %d is %s", i, lexer_token_name(l->tok[i].type));
        cr_assert(text_is(&l->tok[i], want[i]), "token %d", i);
    }
    cr_assert_eq(l->tok[0].len, 2, "a name's length is in bytes");
    lexed_free(l);
    assert_types("σ(z)", NAME, TOKEN_LPAREN, NAME, TOKEN_RPAREN, NL, END);
}

Test(lexer, columns_are_counted_in_characters_after_greek_text)
{
    Lexed *l = lex("η = δ2 + 1");
    int cols[] = { 1, 3, 5, 8, 10 };
    for (int i = 0; i < 5; i++)
        cr_assert_eq(l->tok[i].col, cols[i], "token %d at column %d, expected %d", i, l->tok[i].col, cols[i]);
    lexed_free(l);
    const char *s = "ηδx";
    cr_assert_eq(lexer_column(s, s), 1);
    cr_assert_eq(lexer_column(s, s + 2), 2);
    cr_assert_eq(lexer_column(s, s + 4), 3);
    cr_assert_eq(lexer_column(s, s + 5), 4);
}

Test(lexer, other_characters_are_errors_that_name_them)
{
    assert_lex_error("ж", 1, 1, "unexpected character 'ж' (U+0436)");
    assert_lex_error("w·x", 1, 2, "unexpected character '·' (U+00B7)");
    assert_lex_error("a × b", 1, 3, "unexpected character '×' (U+00D7)");
    assert_lex_error("a = 1\xCD\xBE", 1, 6, "unexpected character '\xCD\xBE' (U+037E)");
    assert_lex_error("a \xCE", 1, 3, "unexpected byte 0xCE (this is not UTF-8 text)");
    assert_lex_error("\xFF", 1, 1, "unexpected byte 0xFF (this is not UTF-8 text)");
    assert_lex_error("a = $", 1, 5, "unexpected '$'");
    assert_lex_error("a ? b", 1, 3, "unexpected '?'");
    assert_lex_error("!x", 1, 1, "unexpected '!' (Python writes 'not')");
    assert_lex_error("`", 1, 1, "unexpected '`'");
    assert_lex_error("a \\ b", 1, 3, "unexpected '\\'");
    assert_lex_error("x = \x01", 1, 5, "unexpected control character (byte 0x01)");
    assert_lex_error("a\x1B[2J", 1, 2, "unexpected control character (byte 0x1B)");
    assert_lex_error("a = 1\nb = 2\n$", 3, 1, "unexpected '$'");
}

Test(lexer, a_byte_order_mark_at_the_start_is_skipped)
{
    Lexed *l = lex("\xEF\xBB\xBF" "a = 1");
    cr_assert(text_is(&l->tok[0], "a"));
    cr_assert_eq(l->tok[0].col, 1);
    cr_assert_eq(l->tok[2].col, 5);
    lexed_free(l);
}

/* --- logical lines ------------------------------------------------------------ */

Test(lexer, each_logical_line_ends_with_newline_the_last_one_too)
{
    assert_types("a\nb\n", NAME, NL, NAME, NL, END);
    assert_types("a\nb", NAME, NL, NAME, NL, END);
    assert_types("", END);
    assert_types("\n\n", END);
    Lexed *l = lex("a\n  \n# c\nb");
    cr_assert_eq(l->tok[2].type, NAME, "blank and comment lines make no tokens");
    cr_assert_eq(l->tok[2].line, 4);
    lexed_free(l);
}

Test(lexer, carriage_returns_tabs_and_form_feeds_are_spaces)
{
    assert_types("a\r\nb", NAME, NL, NAME, NL, END);
    assert_types("a\t+\tb", NAME, TOKEN_PLUS, NAME, NL, END);
    assert_types("a\f+ b", NAME, TOKEN_PLUS, NAME, NL, END);
}

Test(lexer, comments_run_to_the_end_of_the_line)
{
    assert_types("a # the weights (w) [0]\nb", NAME, NL, NAME, NL, END);
    assert_types("# only a comment", END);
    assert_types("x = 1 # $ and \xFF are fine here", NAME, TOKEN_ASSIGN, NUM, NL, END);
}

Test(lexer, inside_brackets_a_newline_is_a_space)
{
    assert_types("f(1,\n  2)\n", NAME, TOKEN_LPAREN, NUM, TOKEN_COMMA, NUM, TOKEN_RPAREN, NL, END);
    assert_types("x = [1,\n# a comment\n\n     2]", NAME, TOKEN_ASSIGN, TOKEN_LBRACKET, NUM, TOKEN_COMMA, NUM,
                 TOKEN_RBRACKET, NL, END);
    assert_types("d = {\n  'a': 1,\n}\n", NAME, TOKEN_ASSIGN, TOKEN_LBRACE, STR, TOKEN_COLON, NUM, TOKEN_COMMA,
                 TOKEN_RBRACE, NL, END);
    /* no INDENT for a continuation line, however it is indented */
    assert_types("if (a and\n        b):\n    c\n", NAME, TOKEN_LPAREN, NAME, NAME, NAME, TOKEN_RPAREN, TOKEN_COLON,
                 NL, IN, NAME, NL, DE, END);
}

Test(lexer, a_backslash_at_the_end_of_a_line_joins_the_next)
{
    Lexed *l = lex("a + \\\n   b");
    cr_assert_eq(l->tok[1].type, TOKEN_PLUS);
    cr_assert_eq(l->tok[2].type, NAME);
    cr_assert_eq(l->tok[2].line, 2, "the continued line still counts as a line");
    cr_assert_eq(l->tok[2].col, 4);
    cr_assert_eq(l->tok[3].type, NL);
    lexed_free(l);
    assert_types("a + \\\r\nb", NAME, TOKEN_PLUS, NAME, NL, END);
    assert_types("a \\\n\\\n+ b", NAME, TOKEN_PLUS, NAME, NL, END);
    assert_types("if a:\n    x = 1 + \\\n2\n", NAME, NAME, TOKEN_COLON, NL, IN, NAME, TOKEN_ASSIGN, NUM, TOKEN_PLUS, NUM,
                 NL, DE, END);
}

/* --- blocks: INDENT and DEDENT --------------------------------------------------- */

Test(lexer, an_indented_line_opens_a_block_and_a_dedent_closes_it)
{
    assert_types("if a:\n    b\nc\n", NAME, NAME, TOKEN_COLON, NL, IN, NAME, NL, DE, NAME, NL, END);
    assert_types("for i in x:\n  y\n  z\n", NAME, NAME, NAME, NAME, TOKEN_COLON, NL, IN, NAME, NL, NAME, NL, DE, END);
}

Test(lexer, several_blocks_close_at_once_and_at_the_end)
{
    assert_types("if a:\n  if b:\n    c\nd", NAME, NAME, TOKEN_COLON, NL, IN, NAME, NAME, TOKEN_COLON, NL, IN, NAME, NL,
                 DE, DE, NAME, NL, END);
    assert_types("if a:\n  if b:\n      c", NAME, NAME, TOKEN_COLON, NL, IN, NAME, NAME, TOKEN_COLON, NL, IN, NAME, NL,
                 DE, DE, END);
    assert_types("if a:\n  if b:\n    c\n  d\ne\n", NAME, NAME, TOKEN_COLON, NL, IN, NAME, NAME, TOKEN_COLON, NL, IN,
                 NAME, NL, DE, NAME, NL, DE, NAME, NL, END);
}

Test(lexer, blank_and_comment_lines_do_not_change_the_indentation)
{
    assert_types("if a:\n    b\n\n  # a comment at another column\n    c\n", NAME, NAME, TOKEN_COLON, NL, IN, NAME,
                 NL, NAME, NL, DE, END);
}

Test(lexer, a_tab_counts_to_the_next_multiple_of_eight)
{
    assert_types("if a:\n\tb\n\tc\n", NAME, NAME, TOKEN_COLON, NL, IN, NAME, NL, NAME, NL, DE, END);
    /* two tabs, or a tab and a space, are deeper than one tab */
    assert_types("if a:\n\tif b:\n\t\tc\n", NAME, NAME, TOKEN_COLON, NL, IN, NAME, NAME, TOKEN_COLON, NL, IN, NAME,
                 NL, DE, DE, END);
}

Test(lexer, a_common_indent_of_the_whole_chunk_is_its_base)
{
    /* a chunk pasted with its indentation reads as if it had none */
    assert_types("    a = 1\n    b = 2\n", NAME, TOKEN_ASSIGN, NUM, NL, NAME, TOKEN_ASSIGN, NUM, NL, END);
    assert_types("  if a:\n      b\n  c\n", NAME, NAME, TOKEN_COLON, NL, IN, NAME, NL, DE, NAME, NL, END);
}

Test(lexer, tabs_and_spaces_mixed_ambiguously_are_an_error)
{
    const char *mixed = "this line mixes tabs and spaces in a way that makes its indentation ambiguous; indent with "
                        "spaces only";
    /* eight spaces, then a tab: the same column with a tab size of 8, not with 1 */
    assert_lex_error("if a:\n        b\n\tc\n", 3, 2, mixed);
    assert_lex_error("if a:\n\tb\n        c\n", 3, 9, mixed);
    /* a tab then spaces is deeper than a tab only at one tab size */
    assert_lex_error("if a:\n    \tb\n\tc\n", 3, 2, mixed);
}

Test(lexer, a_dedent_to_no_open_block_is_an_error)
{
    assert_lex_error("if a:\n    b\n  c\n", 3, 3,
                     "this line's indentation matches no block it could close (unindent to the column an outer line "
                     "starts at)");
    assert_lex_error("  a\nb\n", 2, 1,
                     "this line's indentation matches no block it could close (unindent to the column an outer line "
                     "starts at)");
}

Test(lexer, blocks_nest_to_a_hundred_levels_and_no_further)
{
    for (int depth = 100; depth <= 101; depth++) {
        size_t size = (size_t)depth * (size_t)(depth + 8) + 64;
        char *src = malloc(size);
        cr_assert_not_null(src);
        char *p = src;
        for (int i = 0; i <= depth; i++)
            p += sprintf(p, "%*sx%s\n", i, "", i < depth ? ":" : "");
        Lexer lx;
        lexer_init(&lx, src);
        Error e;
        error_clear(&e);
        Token t;
        int indents = 0;
        do {
            t = lexer_next(&lx, &e);
            indents += t.type == TOKEN_INDENT;
        } while (t.type != TOKEN_EOF && t.type != TOKEN_ERROR);
        if (depth == 100) {
            cr_assert_eq(t.type, TOKEN_EOF, "%s", e.msg);
            cr_assert_eq(indents, 100);
        } else {
            cr_assert_eq(t.type, TOKEN_ERROR);
            cr_assert_eq(e.code, ERROR_LIMIT);
            cr_assert_str_eq(e.msg, "blocks are nested too deeply (more than 100 levels)");
        }
        free(src);
    }
}

Test(lexer, an_error_without_an_error_value_still_returns_an_error_token)
{
    Lexer lx;
    lexer_init(&lx, "$ ");
    Token t = lexer_next(&lx, NULL);
    cr_assert_eq(t.type, TOKEN_ERROR);
    cr_assert_eq(t.col, 1);
}

Test(lexer, nothing_is_read_past_the_end)
{
    const char *cases[] = { "abc", "12", "2.", "x = η", "1e5", "\xCE", "'a'", "'''a'''", "a\\", "if a:\n b",
                            "0x", "r'", "f'''" };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *exact = exact_copy(cases[i]);     /* no slack: ASan sees any over-read */
        Lexer lx;
        lexer_init(&lx, exact);
        Token t;
        int guard = 0;
        do
            t = lexer_next(&lx, NULL);
        while (t.type != TOKEN_EOF && t.type != TOKEN_ERROR && ++guard < 100);
        cr_assert_lt(guard, 100, "\"%s\" never ended", cases[i]);
        free(exact);
    }
}

/* --- chunks at the prompt ------------------------------------------------------------- */

Test(lexer, a_chunk_is_complete_when_brackets_and_strings_close)
{
    cr_assert(lexer_is_complete("a = 1\n"));
    cr_assert(lexer_is_complete(""));
    cr_assert(lexer_is_complete("  # nothing\n"));
    cr_assert_not(lexer_is_complete("a = [1,\n"));
    cr_assert(lexer_is_complete("a = [1,\n 2]\n"));
    cr_assert_not(lexer_is_complete("f(1, (2,\n"));
    cr_assert(lexer_is_complete("a = '[('\n"), "brackets inside strings do not count");
    cr_assert(lexer_is_complete("a = 1 # ([{\n"), "nor inside comments");
    cr_assert_not(lexer_is_complete("s = '''one\n"));
    cr_assert(lexer_is_complete("s = '''one\ntwo'''\n"));
    cr_assert(lexer_is_complete("s = 'never closed\n"), "an unclosed string is complete, so its error shows at once");
    cr_assert_not(lexer_is_complete("a = 1 + \\\n"));
    cr_assert(lexer_is_complete("a = ]\n"), "an extra closer leaves the error to the parser");
}

Test(lexer, a_block_is_complete_after_an_empty_line)
{
    cr_assert_not(lexer_is_complete("for i in range(3):\n"));
    cr_assert_not(lexer_is_complete("for i in range(3):\n    print(i)\n"));
    cr_assert(lexer_is_complete("for i in range(3):\n    print(i)\n\n"));
    cr_assert_not(lexer_is_complete("if a:\n    b\nelse:\n    c\n"));
    cr_assert(lexer_is_complete("if a:\n    b\nelse:\n    c\n\n"));
    cr_assert_not(lexer_is_complete("def f(x):\n    return x\n"));
    cr_assert(lexer_is_complete("def f(x): return x\n\n"));
    cr_assert_not(lexer_is_complete("while True:\n    # a comment line is not empty\n"));
    cr_assert_not(lexer_is_complete("x = 1; if x:\n"), "a line ending in ':' opens a block");
    cr_assert_not(lexer_is_complete("watch for i in range(3):\n    a = i\n"));
    cr_assert(lexer_is_complete("x = {'a': 1}\n"));
}

Test(lexer, a_statement_ends_where_the_next_starts)
{
    const char *src = "a = 1\nb = [1,\n  2]\nfor i in x:\n    y\n\n    z\nelse:\n    w\nc = 3\n";
    size_t a = lexer_statement_end(src, false);
    cr_assert_eq(a, strlen("a = 1\n"));
    size_t b = lexer_statement_end(src + a, false);
    cr_assert_eq(b, strlen("b = [1,\n  2]\n"));
    size_t f = lexer_statement_end(src + a + b, false);
    cr_assert_eq(f, strlen("for i in x:\n    y\n\n    z\nelse:\n    w\n"), "the block and its else, blank line included");
    cr_assert_eq(lexer_statement_end("for i in x:\n    y\n", false), 0, "more may follow");
    cr_assert_eq(lexer_statement_end("for i in x:\n    y\n", true), strlen("for i in x:\n    y\n"));
    cr_assert_eq(lexer_statement_end("a = [1,\n", false), 0);
    cr_assert_eq(lexer_statement_end("a = [1,\n", true), strlen("a = [1,\n"));
    cr_assert_eq(lexer_statement_end("", true), 0);
    cr_assert_eq(lexer_statement_end("if a:\n  b\nelif c:\n  d\nx\n", false), strlen("if a:\n  b\nelif c:\n  d\n"));
}
