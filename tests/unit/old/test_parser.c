/* test_parser.c - statements, expressions, precedence, errors and limits of
 * the Pratt parser (module ast). */
#include "nudge/ast.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nudge/mem.h"

#if defined(__SANITIZE_ADDRESS__)
#define NUDGE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NUDGE_LSAN 1
#endif
#endif
#ifdef NUDGE_LSAN
#include <sanitizer/lsan_interface.h>
/* Fails the test when anything allocated so far is no longer reachable. */
#define assert_no_leaks() \
    cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked: see the LeakSanitizer report above")
#else
#define assert_no_leaks() ((void)0)
#endif

/* --- helpers ------------------------------------------------------------ */

/* Copies src into a heap buffer of exactly its size, so that
 * AddressSanitizer catches any read past its end. */
static char *exact_copy(const char *src)
{
    size_t n = strlen(src);
    char *s = malloc(n + 1);
    cr_assert_not_null(s);
    memcpy(s, src, n + 1);
    return s;
}

/* Appends the S-expression of n to buf: numbers as %.17g, names bare,
 * strings quoted, "(op a b)", "(call f args)", "(index a ix)", "(: lo hi)"
 * with "_" for a missing bound, "(. a field)", "[a b]" for a list,
 * "(rows [..] [..])", "k=v" for a keyword argument, "(@ (params) body)". */
static void sexpr_into(const Node *n, char *buf, size_t cap)
{
#define PUT(...) snprintf(buf + strlen(buf), cap - strlen(buf), __VA_ARGS__)
    if (!n) {
        PUT("_");
        return;
    }
    const char *q = lexer_token_name(n->op);     /* "'+'" */
    char op[8];
    snprintf(op, sizeof op, "%.*s", (int)strlen(q) - 2, q + 1);
    switch (n->kind) {
    case NODE_NUMBER: PUT("%.17g", n->number); return;
    case NODE_STRING: PUT("\"%s\"", n->text); return;
    case NODE_NAME: PUT("%s", n->text); return;
    case NODE_KWARG: PUT("%s=", n->text); sexpr_into(n->kids[0], buf, cap); return;
    case NODE_FIELD: PUT("(. "); sexpr_into(n->kids[0], buf, cap); PUT(" %s)", n->text); return;
    case NODE_LIST:
        PUT("[");
        for (size_t i = 0; i < n->nkids; i++) {
            PUT(i ? " " : "");
            sexpr_into(n->kids[i], buf, cap);
        }
        PUT("]");
        return;
    case NODE_LAMBDA:
        PUT("(@ (");
        for (size_t i = 0; i + 1 < n->nkids; i++) {
            PUT(i ? " " : "");
            sexpr_into(n->kids[i], buf, cap);
        }
        PUT(") ");
        sexpr_into(n->kids[n->nkids - 1], buf, cap);
        PUT(")");
        return;
    case NODE_ROWS: PUT("(rows"); break;
    case NODE_UNARY: PUT("(%s", op); break;
    case NODE_BINARY: PUT("(%s", op); break;
    case NODE_CALL: PUT("(call"); break;
    case NODE_INDEX: PUT("(index"); break;
    case NODE_SLICE: PUT("(:"); break;
    }
    for (size_t i = 0; i < n->nkids; i++) {
        PUT(" ");
        sexpr_into(n->kids[i], buf, cap);
    }
    PUT(")");
#undef PUT
}

static const char *sexpr(const Node *n)
{
    static char buf[4096];
    buf[0] = '\0';
    sexpr_into(n, buf, sizeof buf);
    return buf;
}

/* The words this suite's parser calls commands; ctx is a NULL-terminated
 * list of variable names (a command word that is also a variable gives 2). */
static int is_command(void *ctx, const char *word, size_t len)
{
    static const char *const words[] = { "format", "help", "run", "clear", "vars" };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == len && !memcmp(words[i], word, len)) {
            for (const char *const *v = ctx; v && *v; v++)
                if (strlen(*v) == len && !memcmp(*v, word, len))
                    return 2;
            return 1;
        }
    return 0;
}

typedef struct Parsed {
    char *src;
    Program prog;
    Error e;
    bool ok;
} Parsed;

static Parsed parse_with(const char *src, void *vars)
{
    Parsed p = { exact_copy(src), { NULL, 0, 0 }, { 0 }, false };
    error_clear(&p.e);
    p.ok = ast_parse(p.src, is_command, vars, &p.prog, &p.e);
    return p;
}

static Parsed parse(const char *src)
{
    return parse_with(src, NULL);
}

static void parsed_free(Parsed *p)
{
    ast_program_free(&p->prog);
    free(p->src);
}

/* src must parse as n statements. */
static Parsed parse_ok(const char *src, size_t n)
{
    Parsed p = parse(src);
    cr_assert(p.ok, "\"%s\" failed: %d:%d %s", src, p.e.line, p.e.col, p.e.msg);
    cr_assert_eq(p.prog.n, n, "\"%s\" gave %zu statements, expected %zu", src, p.prog.n, n);
    return p;
}

/* The statement's text in its chunk. */
static const char *stmt_text(const Parsed *p, size_t i)
{
    static char buf[512];
    const Stmt *s = &p->prog.stmts[i];
    snprintf(buf, sizeof buf, "%.*s", (int)s->src_len, p->src + s->src_offset);
    return buf;
}

/* src, one expression, must parse to this S-expression. */
static void assert_expr(const char *src, const char *want)
{
    char *copy = exact_copy(src);
    Error e;
    error_clear(&e);
    Node *n = ast_parse_expr(copy, &e);
    cr_assert_not_null(n, "\"%s\" failed: %d:%d %s", src, e.line, e.col, e.msg);
    cr_assert_str_eq(sexpr(n), want, "\"%s\"", src);
    ast_free(n);
    free(copy);
}

/* src, a chunk, must fail at line:col with exactly this message and
 * return no program. */
static void assert_parse_error(const char *src, int line, int col, const char *msg)
{
    Parsed p = parse(src);
    cr_assert_not(p.ok, "\"%s\" parsed", src);
    cr_assert_eq(p.e.code, ERROR_SYNTAX, "\"%s\": code %d (%s)", src, p.e.code, p.e.msg);
    cr_assert_str_eq(p.e.msg, msg, "\"%s\"", src);
    cr_assert_eq(p.e.line, line, "\"%s\": line %d, expected %d", src, p.e.line, line);
    cr_assert_eq(p.e.col, col, "\"%s\": column %d, expected %d", src, p.e.col, col);
    cr_assert_eq(p.prog.n, 0);
    cr_assert_null(p.prog.stmts);
    parsed_free(&p);
}

/* A string of `prefix` repeated n times, then `middle`, then `suffix` n
 * times (caller frees). */
static char *repeat(const char *prefix, size_t n, const char *middle, const char *suffix)
{
    size_t lp = strlen(prefix), lm = strlen(middle), ls = strlen(suffix);
    char *s = malloc(n * (lp + ls) + lm + 2);
    cr_assert_not_null(s);
    char *p = s;
    for (size_t i = 0; i < n; i++, p += lp)
        memcpy(p, prefix, lp);
    memcpy(p, middle, lm);
    p += lm;
    for (size_t i = 0; i < n; i++, p += ls)
        memcpy(p, suffix, ls);
    p[0] = p[1] = '\0';
    return s;
}

/* --- precedence ------------------------------------------------------------ */

Test(parser, unary_minus_binds_looser_than_power)
{
    assert_expr("-2**2", "(- (** 2 2))");
    assert_expr("-x**2", "(- (** x 2))");
    assert_expr("(-2)**2", "(** (- 2) 2)");
}

Test(parser, a_power_may_have_a_negative_exponent)
{
    assert_expr("2**-1", "(** 2 (- 1))");
    assert_expr("2**-x**2", "(** 2 (- (** x 2)))");
}

Test(parser, power_is_right_associative)
{
    assert_expr("2**3**2", "(** 2 (** 3 2))");
}

Test(parser, the_matrix_product_binds_like_multiplication)
{
    assert_expr("a @ b + c", "(+ (@ a b) c)");
    assert_expr("a + b @ c", "(+ a (@ b c))");
    assert_expr("a * b @ c", "(@ (* a b) c)");
    assert_expr("X @ W1 @ W2", "(@ (@ X W1) W2)");
}

Test(parser, arithmetic_is_left_associative)
{
    assert_expr("1 - 2 - 3", "(- (- 1 2) 3)");
    assert_expr("8 / 4 / 2", "(/ (/ 8 4) 2)");
    assert_expr("1 + 2 * 3 - 4 / 5", "(- (+ 1 (* 2 3)) (/ 4 5))");
}

Test(parser, comparisons_bind_loosest_of_all)
{
    assert_expr("a + b < c * d", "(< (+ a b) (* c d))");
    assert_expr("a @ w >= -1", "(>= (@ a w) (- 1))");
    assert_expr("a < b == c", "(== (< a b) c)");
    assert_expr("x != y <= z", "(<= (!= x y) z)");
}

Test(parser, unary_operators_stack)
{
    assert_expr("--1", "(- (- 1))");
    assert_expr("+a", "(+ a)");
    assert_expr("2*-3", "(* 2 (- 3))");
    assert_expr("-a.T", "(- (. a T))");
}

Test(parser, postfix_operators_bind_tightest)
{
    assert_expr("f(x)**2", "(** (call f x) 2)");
    assert_expr("a**b[0]", "(** a (index b 0))");
    assert_expr("-net.W1[0]", "(- (index (. net W1) 0))");
}

Test(parser, parentheses_override_precedence)
{
    assert_expr("(1 + 2) * 3", "(* (+ 1 2) 3)");
    assert_expr("((a))", "a");
}

/* --- literals ---------------------------------------------------------------- */

Test(parser, numbers_and_strings_are_leaves)
{
    assert_expr("2.5", "2.5");
    assert_expr("\"file.nd\"", "\"file.nd\"");
    assert_expr("'x'", "\"x\"");
}

Test(parser, a_vector_is_a_list_of_expressions)
{
    assert_expr("[3, -1, 2]", "[3 (- 1) 2]");
    assert_expr("[]", "[]");
    assert_expr("[a + 1, f(b)]", "[(+ a 1) (call f b)]");
}

Test(parser, a_matrix_in_numpy_style_is_a_list_of_lists)
{
    assert_expr("[[0,0,1],[0,1,1]]", "[[0 0 1] [0 1 1]]");
}

Test(parser, a_matrix_in_octave_style_has_rows)
{
    assert_expr("[0, 0, 1; 0, 1, 1]", "(rows [0 0 1] [0 1 1])");
    assert_expr("[1; 2; 3]", "(rows [1] [2] [3])");
}

Test(parser, a_trailing_comma_is_allowed_in_lists)
{
    assert_expr("[1, 2,]", "[1 2]");
    assert_expr("[[1, 2], [3, 4],]", "[[1 2] [3 4]]");
}

Test(parser, matrices_may_span_lines)
{
    assert_expr("[[0, 0, 1],\n [0, 1, 1],\n [1, 0, 1]]", "[[0 0 1] [0 1 1] [1 0 1]]");
    assert_expr("[1, 2;\n 3, 4]", "(rows [1 2] [3 4])");
    assert_expr("[1,\n\n 2\n]", "[1 2]");
}

Test(parser, an_empty_element_is_an_error)
{
    assert_parse_error("[,]", 1, 2, "expected a value, got ','");
    assert_parse_error("a = [1,;]", 1, 8, "expected a value, got ';'");
    assert_parse_error("[1;]", 1, 4, "expected a value, got ']'");
}

/* --- calls ------------------------------------------------------------------- */

Test(parser, calls_take_positional_then_keyword_arguments)
{
    assert_expr("train(net, x, y, epochs=1000, lr=1)", "(call train net x y epochs=1000 lr=1)");
    assert_expr("f()", "(call f)");
    assert_expr("f(1,)", "(call f 1)");
    assert_expr("f(x, lr=0.5*2)", "(call f x lr=(* 0.5 2))");
}

Test(parser, a_keyword_argument_keeps_its_name_and_column)
{
    Parsed p = parse_ok("mlp(3, 4, 1, seed=1)", 1);
    const Node *call = p.prog.stmts[0].expr;
    cr_assert_eq(call->kind, NODE_CALL);
    cr_assert_eq(call->nkids, 5);
    const Node *kw = call->kids[4];
    cr_assert_eq(kw->kind, NODE_KWARG);
    cr_assert_str_eq(kw->text, "seed");
    cr_assert_eq(kw->col, 14);
    cr_assert_eq(kw->kids[0]->number, 1.0);
    parsed_free(&p);
}

Test(parser, a_positional_argument_after_a_keyword_is_an_error)
{
    assert_parse_error("f(a=1, 2)", 1, 8, "a positional argument cannot follow a keyword argument");
    assert_parse_error("train(p, X, epochs=3, y)", 1, 23, "a positional argument cannot follow a keyword argument");
}

Test(parser, calls_chain)
{
    assert_expr("f(1)(2)", "(call (call f 1) 2)");
}

/* --- indexing and fields ---------------------------------------------------- */

Test(parser, indices_may_be_negative_numbers)
{
    assert_expr("a[0]", "(index a 0)");
    assert_expr("a[-1]", "(index a (- 1))");
    assert_expr("M[1, -2]", "(index M 1 (- 2))");
}

Test(parser, slices_may_leave_out_either_bound)
{
    assert_expr("M[:, 0]", "(index M (: _ _) 0)");
    assert_expr("M[0:2]", "(index M (: 0 2))");
    assert_expr("a[-2:]", "(index a (: (- 2) _))");
    assert_expr("a[:-1]", "(index a (: _ (- 1)))");
    assert_expr("M[1:, :n-1]", "(index M (: 1 _) (: _ (- n 1)))");
}

Test(parser, more_than_two_indices_is_an_error)
{
    assert_parse_error("a[1, 2, 3]", 1, 2, "at most two indices: M[row, column]");
}

Test(parser, an_empty_index_is_an_error)
{
    assert_parse_error("a[]", 1, 3, "expected a value, got ']'");
}

Test(parser, fields_and_indices_chain_left_to_right)
{
    assert_expr("net.W2[0, 0]", "(index (. net W2) 0 0)");
    assert_expr("(M @ M)[0, 1]", "(index (@ M M) 0 1)");
    assert_expr("x.T.T", "(. (. x T) T)");
    assert_expr("net.W1.T[0]", "(index (. (. net W1) T) 0)");
    assert_expr("backward(net, X, y).dW1", "(. (call backward net X y) dW1)");
    assert_expr("a[0][1]", "(index (index a 0) 1)");
}

Test(parser, a_dot_needs_a_field_name)
{
    assert_parse_error("a.", 1, 3, "expected a field name after '.', got end of input");
    assert_parse_error("a.(1)", 1, 3, "expected a field name after '.', got '('");
}

/* --- functions ------------------------------------------------------------------ */

Test(parser, a_lambda_has_parameters_and_a_body)
{
    assert_expr("@(x, y) x + y", "(@ (x y) (+ x y))");
    assert_expr("@() 1", "(@ () 1)");
    assert_expr("@(z) z > 0", "(@ (z) (> z 0))");
}

Test(parser, a_lambda_keeps_its_source_text)
{
    Parsed p = parse_ok("f = @(x, y) x*y + 1; g = 2", 2);
    const Node *lam = p.prog.stmts[0].expr;
    cr_assert_eq(lam->kind, NODE_LAMBDA);
    cr_assert_str_eq(lam->text, "@(x, y) x*y + 1");
    parsed_free(&p);
}

Test(parser, a_lambda_text_includes_a_closing_quote_and_bracket)
{
    Parsed p = parse_ok("f = @(x) \"s\"\ng = @(z) sum(z**2)\nh = @(v) [v, 1]", 3);
    cr_assert_str_eq(p.prog.stmts[0].expr->text, "@(x) \"s\"");
    cr_assert_str_eq(p.prog.stmts[1].expr->text, "@(z) sum(z**2)");
    cr_assert_str_eq(p.prog.stmts[2].expr->text, "@(v) [v, 1]");
    parsed_free(&p);
}

Test(parser, a_lambda_inside_a_call_ends_at_the_comma)
{
    Parsed p = parse_ok("numgrad(@(w) (2*w + 1)*1.5, 0.5)", 1);
    const Node *call = p.prog.stmts[0].expr;
    cr_assert_eq(call->nkids, 3);
    cr_assert_str_eq(call->kids[1]->text, "@(w) (2*w + 1)*1.5");
    cr_assert_str_eq(sexpr(call->kids[2]), "0.5");
    parsed_free(&p);
}

Test(parser, lambda_parameters_must_be_names)
{
    assert_parse_error("@(1) x", 1, 3, "expected a parameter name in @(...), got '1'");
    assert_parse_error("f = @(x, ) x", 1, 10, "expected a parameter name in @(...), got ')'");
}

/* --- statements and assignment ---------------------------------------------------- */

Test(parser, an_assignment_to_a_name_has_a_name_target)
{
    Parsed p = parse_ok("a = [3, -1, 2]", 1);
    const Stmt *s = &p.prog.stmts[0];
    cr_assert_eq(s->kind, STMT_ASSIGN);
    cr_assert_str_eq(sexpr(s->target), "a");
    cr_assert_str_eq(sexpr(s->expr), "[3 (- 1) 2]");
    parsed_free(&p);
}

Test(parser, fields_and_elements_are_assignment_targets)
{
    Parsed p = parse_ok("net.W1 = M\na[0] = 5\nnet.W1[0, 1] = 0.5\np.w[-1] = 1", 4);
    cr_assert_str_eq(sexpr(p.prog.stmts[0].target), "(. net W1)");
    cr_assert_str_eq(sexpr(p.prog.stmts[1].target), "(index a 0)");
    cr_assert_str_eq(sexpr(p.prog.stmts[2].target), "(index (. net W1) 0 1)");
    cr_assert_str_eq(sexpr(p.prog.stmts[3].target), "(index (. p w) (- 1))");
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(p.prog.stmts[i].kind, STMT_ASSIGN);
    parsed_free(&p);
}

Test(parser, only_names_fields_and_elements_can_be_assigned)
{
    assert_parse_error("1 = 2", 1, 3, "can only assign to a name, a field (net.W1) or an element (a[0])");
    assert_parse_error("f(x) = 3", 1, 6, "can only assign to a name, a field (net.W1) or an element (a[0])");
    assert_parse_error("a + b = 3", 1, 7, "can only assign to a name, a field (net.W1) or an element (a[0])");
}

Test(parser, a_chained_assignment_is_an_error)
{
    assert_parse_error("a = b = 3", 1, 7, "expected the end of the statement, got '='");
}

Test(parser, a_bare_equals_sign_is_not_a_value)
{
    assert_parse_error("= 3", 1, 1, "expected a value, got '='");
    assert_parse_error("a == = 2", 1, 6, "expected a value, got '='");
}

Test(parser, a_bare_expression_is_an_expression_statement)
{
    Parsed p = parse_ok("dot(a, b)", 1);
    cr_assert_eq(p.prog.stmts[0].kind, STMT_EXPR);
    cr_assert_null(p.prog.stmts[0].target);
    cr_assert_not(p.prog.stmts[0].quiet);
    parsed_free(&p);
}

Test(parser, semicolons_separate_statements_and_make_them_quiet)
{
    Parsed p = parse_ok("a = 1; b = 2;", 2);
    cr_assert(p.prog.stmts[0].quiet);
    cr_assert(p.prog.stmts[1].quiet);
    cr_assert_eq(p.prog.stmts[1].line, 1);
    cr_assert_eq(p.prog.stmts[1].col, 8);
    cr_assert_str_eq(stmt_text(&p, 0), "a = 1;");
    cr_assert_str_eq(stmt_text(&p, 1), "b = 2;");
    parsed_free(&p);
}

Test(parser, the_last_statement_without_a_semicolon_is_shown)
{
    Parsed p = parse_ok("a = 1; b = 2", 2);
    cr_assert(p.prog.stmts[0].quiet);
    cr_assert_not(p.prog.stmts[1].quiet);
    cr_assert_str_eq(stmt_text(&p, 1), "b = 2");
    parsed_free(&p);
}

Test(parser, newlines_separate_statements_with_their_lines)
{
    Parsed p = parse_ok("a = 1\n  b = 2\n", 2);
    cr_assert_eq(p.prog.stmts[0].line, 1);
    cr_assert_eq(p.prog.stmts[1].line, 2);
    cr_assert_eq(p.prog.stmts[1].col, 3);
    cr_assert_not(p.prog.stmts[0].quiet);
    cr_assert_str_eq(stmt_text(&p, 0), "a = 1");
    cr_assert_str_eq(stmt_text(&p, 1), "b = 2");
    parsed_free(&p);
}

Test(parser, a_statement_spanning_lines_keeps_its_whole_text)
{
    Parsed p = parse_ok("X = [[0, 1],\n     [1, 0]]\ny = 3", 2);
    cr_assert_str_eq(stmt_text(&p, 0), "X = [[0, 1],\n     [1, 0]]");
    cr_assert_eq(p.prog.stmts[1].line, 3);
    parsed_free(&p);
}

Test(parser, empty_statements_blank_lines_and_comments_are_skipped)
{
    Parsed p = parse_ok(";; ;\n\n# a comment\na = 1;;\n\n", 1);
    cr_assert_eq(p.prog.stmts[0].line, 4);
    parsed_free(&p);
    p = parse_ok("", 0);
    parsed_free(&p);
    p = parse_ok("# nothing here", 0);
    parsed_free(&p);
}

Test(parser, two_expressions_without_a_separator_are_an_error)
{
    assert_parse_error("a = 1 2", 1, 7, "expected the end of the statement, got '2'");
    assert_parse_error("a b", 1, 3, "expected the end of the statement, got 'b'");
    assert_parse_error("a \"s\"", 1, 3, "expected the end of the statement, got a string");
}

/* --- commands ----------------------------------------------------------------- */

Test(parser, a_command_word_followed_by_a_word_is_a_command)
{
    Parsed p = parse_with("format long", NULL);
    cr_assert(p.ok, "%s", p.e.msg);
    cr_assert_eq(p.prog.n, 1);
    const Stmt *s = &p.prog.stmts[0];
    cr_assert_eq(s->kind, STMT_COMMAND);
    cr_assert_str_eq(s->command, "format");
    cr_assert_str_eq(s->arg, "long");
    cr_assert_eq(s->arg_col, 8);
    cr_assert_null(s->expr);
    parsed_free(&p);
}

Test(parser, a_command_word_followed_by_equals_is_an_assignment)
{
    Parsed p = parse_with("format = 3", NULL);
    cr_assert(p.ok, "%s", p.e.msg);
    cr_assert_eq(p.prog.stmts[0].kind, STMT_ASSIGN);
    cr_assert_str_eq(sexpr(p.prog.stmts[0].target), "format");
    parsed_free(&p);
}

Test(parser, a_command_word_alone_is_a_command_with_no_argument)
{
    Parsed p = parse_with("help", NULL);
    cr_assert(p.ok, "%s", p.e.msg);
    cr_assert_eq(p.prog.stmts[0].kind, STMT_COMMAND);
    cr_assert_str_eq(p.prog.stmts[0].command, "help");
    cr_assert_str_eq(p.prog.stmts[0].arg, "");
    parsed_free(&p);
}

Test(parser, a_command_word_followed_by_a_parenthesis_is_a_call)
{
    Parsed p = parse_with("help(3)", NULL);
    cr_assert(p.ok, "%s", p.e.msg);
    cr_assert_eq(p.prog.stmts[0].kind, STMT_EXPR);
    cr_assert_str_eq(sexpr(p.prog.stmts[0].expr), "(call help 3)");
    parsed_free(&p);
}

Test(parser, a_command_ends_at_a_semicolon_or_a_comment)
{
    Parsed p = parse_with("format long; a = 1\nclear a b # tidy up\nvars", NULL);
    cr_assert(p.ok, "%s", p.e.msg);
    cr_assert_eq(p.prog.n, 4);
    cr_assert_eq(p.prog.stmts[0].kind, STMT_COMMAND);
    cr_assert_str_eq(p.prog.stmts[0].arg, "long");
    cr_assert(p.prog.stmts[0].quiet);
    cr_assert_eq(p.prog.stmts[1].kind, STMT_ASSIGN);
    cr_assert_eq(p.prog.stmts[2].kind, STMT_COMMAND);
    cr_assert_str_eq(p.prog.stmts[2].arg, "a b");
    cr_assert_eq(p.prog.stmts[3].kind, STMT_COMMAND);
    cr_assert_str_eq(p.prog.stmts[3].command, "vars");
    parsed_free(&p);
}

Test(parser, a_command_argument_may_be_a_path_or_a_quoted_name)
{
    Parsed p = parse_with("run /tmp/demo.nd\nrun \"my file.nd\"", NULL);
    cr_assert(p.ok, "%s", p.e.msg);
    cr_assert_eq(p.prog.n, 2);
    cr_assert_str_eq(p.prog.stmts[0].arg, "/tmp/demo.nd");
    cr_assert_str_eq(p.prog.stmts[1].arg, "\"my file.nd\"");
    cr_assert_eq(p.prog.stmts[1].arg_col, 5);
    parsed_free(&p);
}

Test(parser, a_command_word_that_is_a_variable_computes_when_an_operator_follows)
{
    const char *vars[] = { "run", NULL };
    Parsed p = parse_with("run * 2", vars);
    cr_assert(p.ok, "%s", p.e.msg);
    cr_assert_eq(p.prog.stmts[0].kind, STMT_EXPR);
    cr_assert_str_eq(sexpr(p.prog.stmts[0].expr), "(* run 2)");
    parsed_free(&p);
    p = parse_with("run demo.nd", vars);
    cr_assert(p.ok, "%s", p.e.msg);
    cr_assert_eq(p.prog.stmts[0].kind, STMT_COMMAND);
    parsed_free(&p);
}

Test(parser, a_command_word_inside_an_expression_is_a_name)
{
    Parsed p = parse_with("x = format", NULL);
    cr_assert(p.ok, "%s", p.e.msg);
    cr_assert_eq(p.prog.stmts[0].kind, STMT_ASSIGN);
    cr_assert_str_eq(sexpr(p.prog.stmts[0].expr), "format");
    parsed_free(&p);
}

Test(parser, without_a_command_test_every_word_is_a_name)
{
    Program prog;
    Error e;
    char *src = exact_copy("format long");
    cr_assert_not(ast_parse(src, NULL, NULL, &prog, &e));
    cr_assert_str_eq(e.msg, "expected the end of the statement, got 'long'");
    free(src);
}

/* --- errors -------------------------------------------------------------------- */

Test(parser, a_syntax_error_in_a_later_statement_returns_no_program)
{
    assert_parse_error("a = 1; b = (2 +; c = 3", 1, 16, "expected a value, got ';'");
    assert_parse_error("a = 1\nb = 2 +\nc = 3", 2, 8, "expected a value, got end of line");
}

Test(parser, a_missing_closing_bracket_names_the_opening_one)
{
    assert_parse_error("dot(a, b c)", 1, 10, "expected ')' to close '(' at column 4, got 'c'");
    assert_parse_error("x = [1, 2 3]", 1, 11, "expected ']' to close '[' at column 5, got '3'");
    assert_parse_error("f(a + b = 1)", 1, 9, "expected ')' to close '(' at column 2, got '=' (to compare, use ==)");
    assert_parse_error("a = (1]", 1, 7, "expected ')' to close '(' at column 5, got ']'");
    assert_parse_error("M[0, 1 2]", 1, 8, "expected ']' to close '[' at column 2, got '2'");
}

Test(parser, a_bracket_that_is_never_closed_is_pointed_at)
{
    assert_parse_error("(1 + 2", 1, 1, "this '(' is never closed (expected ')')");
    assert_parse_error("a = [1, 2", 1, 5, "this '[' is never closed (expected ']')");
    assert_parse_error("f = @(x", 1, 5, "this '@(' is never closed (expected ')')");
}

Test(parser, errors_inside_a_multi_line_matrix_have_the_line_of_the_error)
{
    assert_parse_error("X = [[0, 1],\n     [1 0]]", 2, 9, "expected ']' to close '[' at column 6, got '0'");
}

Test(parser, a_bracket_opened_on_an_earlier_line_is_named_with_its_line)
{
    assert_parse_error("x = 1\ny = [1,\n 2 3]", 3, 4, "expected ']' to close '[' at line 2, column 5, got '3'");
}

Test(parser, error_columns_count_characters_after_greek_names)
{
    assert_parse_error("δ2 = (a2 - y", 1, 6, "this '(' is never closed (expected ')')");
    assert_parse_error("η = 1 2", 1, 7, "expected the end of the statement, got '2'");
}

Test(parser, lexer_errors_stop_the_parse_with_their_position)
{
    assert_parse_error("a = 1; b = $", 1, 12, "unexpected '$'");
    assert_parse_error("x = \"abc", 1, 5, "this string has no closing quote");
}

Test(parser, a_missing_operand_is_an_error)
{
    assert_parse_error("1 +", 1, 4, "expected a value, got end of input");
    assert_parse_error("x = ", 1, 4, "expected a value, got end of input");
    assert_parse_error("x = )", 1, 5, "expected a value, got ')'");
}

/* --- parsing one expression ------------------------------------------------------- */

Test(parser, parse_expr_reads_one_expression)
{
    assert_expr("net.W1 @ x", "(@ (. net W1) x)");
    assert_expr("1 + 2;\n", "(+ 1 2)");
}

Test(parser, parse_expr_rejects_what_follows_the_expression)
{
    Error e;
    char *src = exact_copy("a = 1");
    cr_assert_null(ast_parse_expr(src, &e));
    cr_assert_str_eq(e.msg, "expected the end of the expression, got '='");
    cr_assert_eq(e.col, 3);
    free(src);
}

/* --- limits -------------------------------------------------------------------- */

Test(parser, moderate_nesting_parses)
{
    char *src = repeat("(", 150, "1", ")");
    Parsed p = parse(src);
    cr_assert(p.ok, "%s", p.e.msg);
    parsed_free(&p);
    free(src);
}

/* Each of these nests far beyond AST_MAX_DEPTH: an error, never a crash. */
Test(parser, nesting_deeper_than_the_limit_is_an_error_not_a_crash)
{
    struct { const char *pre, *mid, *post; } cases[] = {
        { "(", "1", ")" }, { "[", "1", "]" }, { "-", "1", "" }, { "2**", "2", "" },
        { "f(", "1", ")" }, { "@(x) ", "x", "" }, { "a[", "0", "]" }, { "1 + (", "2", ")" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *src = repeat(cases[i].pre, 20000, cases[i].mid, cases[i].post);
        Parsed p = parse(src);
        cr_assert_not(p.ok, "\"%s...\" parsed", cases[i].pre);
        cr_assert_eq(p.e.code, ERROR_LIMIT, "\"%s...\": %s", cases[i].pre, p.e.msg);
        char want[64];
        snprintf(want, sizeof want, "nested too deeply (more than %d levels)", AST_MAX_DEPTH);
        cr_assert_str_eq(p.e.msg, want);
        cr_assert_eq(p.prog.n, 0);
        parsed_free(&p);
        free(src);
    }
    assert_no_leaks();
}

Test(parser, the_depth_limit_counts_from_each_statement)
{
    char *one = repeat("(", 150, "1", ")");
    size_t n = strlen(one);
    char *src = malloc(3 * (n + 1) + 2);
    cr_assert_not_null(src);
    snprintf(src, 3 * (n + 1) + 2, "%s\n%s\n%s", one, one, one);
    Parsed p = parse(src);
    cr_assert(p.ok, "%s", p.e.msg);
    cr_assert_eq(p.prog.n, 3);
    parsed_free(&p);
    free(src);
    free(one);
}

/* "(1+1+...+1)" with `terms` ones, 100 to a line (caller frees). */
static char *long_sum(size_t terms)
{
    char *src = malloc(2 * terms + terms / 100 + 4);
    cr_assert_not_null(src);
    char *p = src;
    *p++ = '(';
    for (size_t i = 0; i < terms; i++) {
        *p++ = '1';
        if (i + 1 < terms)
            *p++ = '+';
        if (i % 100 == 99)
            *p++ = '\n';
    }
    *p++ = ')';
    *p = '\0';
    return src;
}

/* Left-associative chains are built by a loop, so AST_MAX_DEPTH does not
 * see them, yet the tree is as deep as the chain is long: AST_MAX_CHAIN
 * refuses a sum of 400000 ones (800 KB, under the interpreter's 1 MiB
 * limit) that once overflowed the stack in ast_free. */
Test(parser, a_long_flat_chain_is_parsed_and_freed_without_a_crash)
{
    char *src = long_sum(400000);
    Parsed p = parse(src);
    if (!p.ok)
        cr_assert_eq(p.e.code, ERROR_LIMIT, "%s", p.e.msg);
    parsed_free(&p);
    free(src);
}

/* A vector of 100000 numbers pasted on one line (600 KB) parses in linear
 * time: token columns are cached, not counted from the start of the line
 * (that took about a minute). */
Test(parser, a_long_line_parses_in_linear_time, .timeout = 10)
{
    size_t n = 100000;
    char *src = malloc(6 * n + 3);
    cr_assert_not_null(src);
    char *p = src;
    *p++ = '[';
    for (size_t i = 0; i < n; i++, p += 6)
        memcpy(p, "0.25, ", 6);
    p[-2] = ']';
    p[-1] = '\0';
    Parsed r = parse(src);
    cr_assert(r.ok, "%s", r.e.msg);
    cr_assert_eq(r.prog.stmts[0].expr->nkids, n);
    parsed_free(&r);
    free(src);
}

/* --- completeness (for continuation lines) ---------------------------------------- */

Test(parser, open_brackets_make_a_chunk_incomplete)
{
    cr_assert_not(ast_is_complete("a = [1, 2"));
    cr_assert_not(ast_is_complete("f(1, (2)"));
    cr_assert_not(ast_is_complete("X = [[0, 0, 1],\n"));
    cr_assert_not(ast_is_complete("g = @(x"));
    cr_assert(ast_is_complete("a = [1, 2]"));
    cr_assert(ast_is_complete("X = [[0, 0, 1],\n [0, 1, 1]]\n"));
    cr_assert(ast_is_complete(""));
}

Test(parser, brackets_inside_strings_and_comments_do_not_count)
{
    cr_assert(ast_is_complete("s = \"(\""));
    cr_assert(ast_is_complete("s = '[' + \"]]\""));
    cr_assert(ast_is_complete("a = 1 # (unfinished"));
    cr_assert(ast_is_complete("# [\n"));
    cr_assert_not(ast_is_complete("a = \"]\" + [1"));
    cr_assert_not(ast_is_complete("a = [1, # ]\n"));
}

Test(parser, an_unclosed_string_is_complete_so_its_error_shows_at_once)
{
    /* Strings end at the end of a line, so asking for another line could
     * never close it. */
    cr_assert(ast_is_complete("s = \"abc"));
}

Test(parser, a_backslash_at_the_end_asks_for_another_line)
{
    cr_assert_not(ast_is_complete("a = 1 + \\"));
    cr_assert_not(ast_is_complete("a = 1 + \\  \n"));
    cr_assert(ast_is_complete("a = 1 + \\\n  2\n"));
    cr_assert(ast_is_complete("s = \"\\\""));
}

Test(parser, extra_closing_brackets_leave_the_error_to_the_parser)
{
    cr_assert(ast_is_complete("a = [1, 2]]"));
    cr_assert(ast_is_complete(")"));
}

/* --- copies ---------------------------------------------------------------------- */

Test(parser, ast_clone_makes_a_deep_copy)
{
    const char *src = "@(x, y) f(x[0, 1:], k=\"s\") ** -y.T + [1, 2; 3, 4]";
    char *copy = exact_copy(src);
    Error e;
    Node *n = ast_parse_expr(copy, &e);
    cr_assert_not_null(n, "%s", e.msg);
    char want[4096];
    snprintf(want, sizeof want, "%s", sexpr(n));
    Node *c = ast_clone(n);
    cr_assert_not_null(c);
    cr_assert_neq(c, n);
    cr_assert_neq(c->text, n->text, "the text is copied, not shared");
    cr_assert_str_eq(c->text, n->text);
    cr_assert_neq(c->kids, n->kids);
    cr_assert_eq(c->line, n->line);
    cr_assert_eq(c->col, n->col);
    ast_free(n);
    free(copy);
    cr_assert_str_eq(sexpr(c), want, "the copy outlives the original");
    ast_free(c);
    assert_no_leaks();
}

Test(parser, ast_clone_of_null_is_null)
{
    cr_assert_null(ast_clone(NULL));
}

Test(parser, ast_clone_returns_null_when_memory_runs_out)
{
    char *copy = exact_copy("@(x) [x, 2; f(x), \"s\"][0, :]");
    Node *n = ast_parse_expr(copy, NULL);
    cr_assert_not_null(n);
    bool done = false;
    for (long k = 0; k < 200 && !done; k++) {
        mem_fail_after(k);
        Node *c = ast_clone(n);
        mem_fail_after(-1);
        if (c) {
            cr_assert_str_eq(sexpr(c), "(@ (x) (index (rows [x 2] [(call f x) \"s\"]) 0 (: _ _)))");
            ast_free(c);
            done = true;
        }
    }
    cr_assert(done, "ast_clone never succeeded");
    ast_free(n);
    free(copy);
    assert_no_leaks();
}

/* --- running out of memory ---------------------------------------------------------- */

/* Fails every allocation from the k-th on, for k = 0, 1, ... until the
 * parse succeeds: each failure must say "out of memory", return no
 * program, and leak nothing; with check_code, its code must also be
 * ERROR_NOMEM. */
static void sweep_parse_oom(const char *src, bool check_code)
{
    char *copy = exact_copy(src);
    bool done = false;
    long k;
    for (k = 0; k < 5000 && !done; k++) {
        Program prog;
        Error e;
        error_clear(&e);
        mem_fail_after(k);
        bool ok = ast_parse(copy, is_command, NULL, &prog, &e);
        mem_fail_after(-1);
        if (ok) {
            done = true;
            ast_program_free(&prog);
            break;
        }
        cr_assert_str_eq(e.msg, "out of memory", "\"%s\" with %ld allocations: %s", src, k, e.msg);
        if (check_code)
            cr_assert_eq(e.code, ERROR_NOMEM, "\"%s\" with %ld allocations: code %d", src, k, e.code);
        cr_assert_eq(prog.n, 0);
        cr_assert_null(prog.stmts);
    }
    cr_assert(done, "\"%s\" never parsed", src);
    cr_assert_gt(k, 2, "too few allocations to be a useful sweep");
    free(copy);
    assert_no_leaks();
}

#define OOM_STATEMENT                                                                       \
    "r = train(net, [[0, 0, 1], [1, 1, 1]], [[0, 1], [1, 0]], epochs=-x.T[0] ** 2,\n"        \
    "          f=@(z, w) \"s\" + z @ w);\n"                                                    \
    "net.W1[-1, :] = [1, 2,]; p.w = q.w\n"                                                    \
    "(M @ M)[0, 1] < 3 == 1"

Test(parser, every_failed_allocation_is_out_of_memory_and_leaks_nothing)
{
    sweep_parse_oom(OOM_STATEMENT, false);
    sweep_parse_oom("format long; clear a b; x = 1", false);
    sweep_parse_oom("M[1:, :2]", false);
}

/* Fixed bug: list() leaks the first row of an Octave-style matrix when the
 * allocation of its NODE_ROWS node fails: node_add(p, rows, row) returns
 * false for rows == NULL without freeing row, and list() then drops it.
 * "[1, 2; 3, 4]" with mem_fail_after(7) leaks a NODE_LIST and its two
 * numbers (LeakSanitizer: node_new <- list). */
Test(parser, running_out_of_memory_in_octave_rows_leaks_nothing)
{
    sweep_parse_oom("[1, 2; 3, 4; 5, 6]", false);
    sweep_parse_oom("f = @(x, y) [x, y; y, x]", false);
}

/* Fixed bug: two allocation failures in the parser are reported with the message
 * "out of memory" but the code ERROR_SYNTAX instead of ERROR_NOMEM: the
 * slice node's kids in index_part() and a command's argument text in
 * command() both go through error_at(), which always sets ERROR_SYNTAX.
 * E.g. "M[1:, :2]" with mem_fail_after(7), or "format long" with
 * mem_fail_after(2). */
Test(parser, every_failed_allocation_has_the_out_of_memory_code)
{
    sweep_parse_oom(OOM_STATEMENT, true);
    sweep_parse_oom("format long; clear a b; x = 1", true);
    sweep_parse_oom("M[1:, :2]", true);
}
