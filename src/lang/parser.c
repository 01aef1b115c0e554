/* parser.c - a recursive-descent parser for Python's statements and
 * expressions (the shape of CPython's Grammar/python.gram), plus nudge's
 * matrices, @(...) functions and commands.  Each parse function starts with
 * the production it reads. */
#include "nudge/ast.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nudge/mem.h"
#include "nudge/text.h"

typedef struct Parser {
    Lexer lx;
    const char *src;
    Token cur, prev;
    Token last;         /* the last token that was not a newline, block mark or the end */
    int depth;          /* recursion depth */
    Error *e;
    bool failed;
    CommandTest is_command;
    void *ctx;
    bool in_fstring;    /* parsing an f-string field: a '!' or ':' ends the expression */
} Parser;

static Node *expression(Parser *p);
static Node *star_expressions(Parser *p);
static Node *block(Parser *p, const Token *header, const char *what);
static bool statements(Parser *p, Node *into, bool top);

/* --- errors and tokens ------------------------------------------------------ */

static void error_at(Parser *p, const Token *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void error_at(Parser *p, const Token *t, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    char msg[ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    error_set(p->e, ERROR_SYNTAX, "%s", msg);
    if (p->e) {
        p->e->line = t->line;
        p->e->col = t->col;
        /* At the end of a line or of the input, point just past the last
         * thing typed, on its own line, rather than at the next line. */
        if ((t->type == TOKEN_EOF || t->type == TOKEN_NEWLINE || t->type == TOKEN_DEDENT) && p->last.start) {
            p->e->line = p->last.line;
            p->e->col = p->last.col + lexer_column(p->last.start, p->last.start + p->last.len) - 1;
            /* A token spanning lines (a triple-quoted string) ends elsewhere. */
            if (memchr(p->last.start, '\n', p->last.len))
                p->e->col = p->last.col;
        }
    }
}

/* The same for a position that is not a token's (a node's). */
static void error_node(Parser *p, const Node *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void error_node(Parser *p, const Node *n, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    char msg[ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    error_set(p->e, ERROR_SYNTAX, "%s", msg);
    if (p->e) {
        p->e->line = n->line;
        p->e->col = n->col;
    }
}

static void nomem(Parser *p)
{
    if (!p->failed) {
        p->failed = true;
        error_nomem(p->e, "parse");
    }
}

static void advance(Parser *p)
{
    if (p->cur.type != TOKEN_EOF && p->cur.type != TOKEN_NEWLINE && p->cur.type != TOKEN_INDENT
        && p->cur.type != TOKEN_DEDENT && p->cur.start)
        p->last = p->cur;
    p->prev = p->cur;
    if (p->failed) {
        p->cur.type = TOKEN_EOF;
        return;
    }
    p->cur = lexer_next(&p->lx, p->e);
    if (p->cur.type == TOKEN_ERROR) {
        p->failed = true;
        p->cur.type = TOKEN_EOF;
    }
}

static bool check(const Parser *p, TokenType t)
{
    return p->cur.type == t;
}

static bool match(Parser *p, TokenType t)
{
    if (!check(p, t))
        return false;
    advance(p);
    return true;
}

static bool is_word(const Token *t, const char *w)
{
    return t->type == TOKEN_NAME && strlen(w) == t->len && !memcmp(t->start, w, t->len);
}

static bool check_word(const Parser *p, const char *w)
{
    return is_word(&p->cur, w);
}

static bool match_word(Parser *p, const char *w)
{
    if (!check_word(p, w))
        return false;
    advance(p);
    return true;
}

static const char *const keywords[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
    "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
};

static bool is_keyword(const Token *t)
{
    if (t->type != TOKEN_NAME)
        return false;
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (is_word(t, keywords[i]))
            return true;
    return false;
}

/* A description of a token for messages: "'foo'", "end of line". */
static const char *describe(const Token *t, char *buf, size_t n)
{
    if (t->type == TOKEN_NAME || t->type == TOKEN_NUMBER)
        snprintf(buf, n, "'%.*s'", (int)(t->len < 30 ? t->len : 30), t->start);
    else
        snprintf(buf, n, "%s", lexer_token_name(t->type));
    return buf;
}

static void expected(Parser *p, const char *what)
{
    char got[48];
    error_at(p, &p->cur, "expected %s, got %s", what, describe(&p->cur, got, sizeof got));
}

/* Expects a closing bracket, naming the opening one and its column. */
static void expect_close(Parser *p, TokenType close, const Token *open)
{
    if (match(p, close))
        return;
    if (p->failed)
        return;
    if (check(p, TOKEN_EOF) || check(p, TOKEN_NEWLINE) || check(p, TOKEN_DEDENT)) {
        error_at(p, open, "this '%.*s' is never closed (expected %s)", (int)open->len, open->start,
                 lexer_token_name(close));
        return;
    }
    char got[48], what[96];
    if (open->line != p->cur.line)
        snprintf(what, sizeof what, "%s to close the '%.*s' %d line%s up, at column %d", lexer_token_name(close),
                 (int)open->len, open->start, p->cur.line - open->line, p->cur.line - open->line == 1 ? "" : "s",
                 open->col);
    else
        snprintf(what, sizeof what, "%s to close '%.*s' at column %d", lexer_token_name(close),
                 (int)open->len, open->start, open->col);
    error_at(p, &p->cur, "expected %s, got %s%s", what, describe(&p->cur, got, sizeof got),
             p->cur.type == TOKEN_ASSIGN ? " (to compare, use ==)" : "");
}

/* --- nodes ------------------------------------------------------------------- */

static Node *node_new(Parser *p, NodeKind kind, const Token *at)
{
    Node *n = mem_calloc(1, sizeof *n);
    if (!n) {
        nomem(p);
        return NULL;
    }
    n->kind = kind;
    n->line = at->line;
    n->col = at->col;
    return n;
}

/* Adds kid (may be NULL) to n; kid belongs to n afterwards, or is freed on
 * failure (also when n is NULL because making it failed). */
static bool node_add(Parser *p, Node *n, Node *kid)
{
    if (!n) {
        ast_free(kid);
        return false;
    }
    Node **k = mem_grow(n->kids, &n->kcap, n->nkids + 1, sizeof *k, 4);
    if (!k) {
        nomem(p);
        ast_free(kid);
        return false;
    }
    n->kids = k;
    n->kids[n->nkids++] = kid;
    if (kid && kid->depth + 1 > n->depth)
        n->depth = kid->depth + 1;
    return true;
}

static Node *node2(Parser *p, NodeKind kind, const Token *at, Node *a, Node *b)
{
    Node *n = node_new(p, kind, at);
    if (!n) {
        ast_free(a);
        ast_free(b);
        return NULL;
    }
    node_add(p, n, a);
    node_add(p, n, b);
    if (p->failed) {
        ast_free(n);
        return NULL;
    }
    return n;
}

static char *copy_text(Parser *p, const char *s, size_t len)
{
    char *c = mem_alloc(len + 1);
    if (!c) {
        nomem(p);
        return NULL;
    }
    memcpy(c, s, len);
    c[len] = '\0';
    return c;
}

static Node *text_node(Parser *p, NodeKind kind, const Token *t)
{
    Node *n = node_new(p, kind, t);
    if (n && !(n->text = copy_text(p, t->start, t->len))) {
        mem_free(n);
        return NULL;
    }
    return n;
}

static void scope_free(Scope *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nslots; i++)
        mem_free(s->names[i]);
    mem_free(s->names);
    mem_free(s);
}

void ast_free(Node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        ast_free(n->kids[i]);
    mem_free(n->kids);
    mem_free(n->text);
    mem_free(n->text2);
    mem_free(n->ops);
    scope_free(n->fscope);
    mem_free(n);
}

/* Guards recursion so that "((((((..." is an error, not a stack overflow. */
static bool enter(Parser *p)
{
    if (++p->depth <= AST_MAX_DEPTH + 1)
        return true;
    bool first = !p->failed;     /* a limit met after an earlier error keeps that error's code */
    error_at(p, &p->cur, "nested too deeply (more than %d levels)", AST_MAX_DEPTH);
    if (first && p->e)
        p->e->code = ERROR_LIMIT;
    return false;
}

/* --- strings ----------------------------------------------------------------- */


static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes Python's escapes in s[0..len) into out.  at points at the string
 * token, for errors. */
static bool unescape(Parser *p, const Token *at, const char *s, size_t len, bool raw, Text *out)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\r' && i + 1 < len && s[i + 1] == '\n')
            continue;
        if (c != '\\' || raw) {
            if (raw && c == '\\' && i + 1 < len) {
                text_append(out, s + i, 2);
                i++;
                continue;
            }
            text_append(out, &c, 1);
            continue;
        }
        if (++i >= len)
            break;
        c = s[i];
        switch (c) {
        case '\n': break;
        case '\\': text_puts(out, "\\"); break;
        case '\'': text_puts(out, "'"); break;
        case '"': text_puts(out, "\""); break;
        case 'a': text_puts(out, "\a"); break;
        case 'b': text_puts(out, "\b"); break;
        case 'f': text_puts(out, "\f"); break;
        case 'n': text_puts(out, "\n"); break;
        case 'r': text_puts(out, "\r"); break;
        case 't': text_puts(out, "\t"); break;
        case 'v': text_puts(out, "\v"); break;
        case 'x': case 'u': case 'U': {
            size_t want = c == 'x' ? 2 : c == 'u' ? 4 : 8;
            unsigned long cp = 0;
            size_t k = 0;
            for (; k < want && i + 1 + k < len && hexval(s[i + 1 + k]) >= 0; k++)
                cp = cp * 16 + (unsigned long)hexval(s[i + 1 + k]);
            if (k != want || cp > 0x10FFFF) {
                error_at(p, at, "this string has a bad \\%c escape (it takes %zu hex digits)", c, want);
                return false;
            }
            i += want;
            text_put_utf8(out, cp);
            break;
        }
        case 'N':
            error_at(p, at, "\\N{...} escapes are not part of nudge; type the character itself");
            return false;
        default:
            if (c >= '0' && c <= '7') {
                unsigned long cp = (unsigned long)(c - '0');
                for (int k = 0; k < 2 && i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '7'; k++)
                    cp = cp * 8 + (unsigned long)(s[++i] - '0');
                text_put_utf8(out, cp);
            } else {
                /* Python keeps an unknown escape as it is (with a warning). */
                text_puts(out, "\\");
                text_append(out, &c, 1);
            }
        }
    }
    return true;
}

static Node *parse_fstring(Parser *p, const Token *at, const char *s, size_t len, bool raw);

/* fstring field -> '{' expression ['=']? ['!' NAME] [':' fstring] '}' */
static Node *fstring_field(Parser *p, const Token *at, const char *s, size_t len, size_t *used)
{
    /* Find the end of the expression: a '!', ':' or '}' at depth 0 outside
     * strings ('!=' is an operator). */
    size_t i = 0;
    int depth = 0;
    char quote = 0;
    for (; i < len; i++) {
        char c = s[i];
        if (quote) {
            if (c == '\\')
                i++;
            else if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '\'' || c == '"')
            quote = c;
        else if (c == '(' || c == '[' || c == '{')
            depth++;
        else if ((c == ')' || c == ']' || c == '}') && depth > 0)
            depth--;
        else if (depth == 0 && (c == '}' || c == ':' || (c == '!' && (i + 1 >= len || s[i + 1] != '='))))
            break;
    }
    if (i >= len) {
        error_at(p, at, "this f-string has a '{' with no closing '}'");
        return NULL;
    }
    char *expr_src = copy_text(p, s, i);
    if (!expr_src)
        return NULL;
    Error sub;
    error_clear(&sub);
    Node *expr = ast_parse_expr(expr_src, &sub);
    mem_free(expr_src);
    if (!expr) {
        error_at(p, at, "in this f-string's {%.*s}: %s", (int)(i < 40 ? i : 40), s, sub.msg);
        if (p->e && sub.code == ERROR_NOMEM)
            p->e->code = ERROR_NOMEM;
        return NULL;
    }
    Node *f = node_new(p, NODE_FORMAT, at);
    if (!node_add(p, f, expr)) {
        ast_free(f);
        return NULL;
    }
    if (s[i] == '!') {
        if (i + 2 >= len || (s[i + 1] != 'r' && s[i + 1] != 's' && s[i + 1] != 'a')) {
            error_at(p, at, "in an f-string, '!' must be followed by r, s or a");
            ast_free(f);
            return NULL;
        }
        f->op = s[i + 1];
        i += 2;
    }
    Node *spec = NULL;
    if (i < len && s[i] == ':') {
        /* The format spec runs to the matching '}' and may hold fields. */
        size_t j = i + 1;
        int d = 0;
        for (; j < len; j++) {
            if (s[j] == '{')
                d++;
            else if (s[j] == '}') {
                if (d == 0)
                    break;
                d--;
            }
        }
        if (j >= len) {
            error_at(p, at, "this f-string has a '{' with no closing '}'");
            ast_free(f);
            return NULL;
        }
        spec = parse_fstring(p, at, s + i + 1, j - i - 1, true);
        if (!spec) {
            ast_free(f);
            return NULL;
        }
        i = j;
    }
    if (i >= len || s[i] != '}') {
        error_at(p, at, "this f-string field is not closed with '}'");
        ast_free(f);
        ast_free(spec);
        return NULL;
    }
    node_add(p, f, spec);
    *used = i + 1;
    return p->failed ? (ast_free(f), NULL) : f;
}

static bool add_literal(Parser *p, const Token *at, Node *into, Text *lit)
{
    if (lit->len == 0 && !lit->failed)
        return true;
    if (lit->failed) {
        nomem(p);
        return false;
    }
    Node *n = node_new(p, NODE_STRING, at);
    if (!n)
        return false;
    n->len = lit->len;
    n->text = text_finish(lit, NULL);
    *lit = (Text){0};
    if (!n->text) {
        mem_free(n);
        nomem(p);
        return false;
    }
    return node_add(p, into, n);
}

/* fstring -> (literal | '{{' | '}}' | field)* */
static Node *parse_fstring(Parser *p, const Token *at, const char *s, size_t len, bool raw)
{
    Node *f = node_new(p, NODE_FSTRING, at);
    if (!f)
        return NULL;
    Text lit = {0};
    size_t start = 0;
    for (size_t i = 0; i < len && !p->failed;) {
        if (s[i] == '{' && i + 1 < len && s[i + 1] == '{') {
            unescape(p, at, s + start, i - start, raw, &lit);
            text_puts(&lit, "{");
            i += 2;
            start = i;
        } else if (s[i] == '}' && i + 1 < len && s[i + 1] == '}') {
            unescape(p, at, s + start, i - start, raw, &lit);
            text_puts(&lit, "}");
            i += 2;
            start = i;
        } else if (s[i] == '{') {
            unescape(p, at, s + start, i - start, raw, &lit);
            if (!add_literal(p, at, f, &lit))
                break;
            size_t used = 0;
            Node *field = fstring_field(p, at, s + i + 1, len - i - 1, &used);
            if (!field || !node_add(p, f, field))
                break;
            i += 1 + used;
            start = i;
        } else if (s[i] == '}') {
            error_at(p, at, "a single '}' is not allowed in an f-string (write '}}')");
            break;
        } else {
            i++;
        }
    }
    if (!p->failed) {
        unescape(p, at, s + start, len - start, raw, &lit);
        add_literal(p, at, f, &lit);
    }
    text_free(&lit);
    if (p->failed) {
        ast_free(f);
        return NULL;
    }
    return f;
}

/* strings -> STRING+ (adjacent literals join, as in Python) */
static Node *strings(Parser *p)
{
    Token first = p->prev;
    Node *fs = NULL;        /* the joined pieces, when an f-string takes part */
    Text plain = {0};
    bool any_f = false;
    for (;;) {
        Token t = p->prev;
        StringParts sp;
        lexer_string_parts(&t, &sp);
        if (sp.bytes) {
            error_at(p, &t, "bytes literals (b'...') are not part of nudge");
            break;
        }
        if (sp.fmt) {
            any_f = true;
            if (!fs && !(fs = node_new(p, NODE_FSTRING, &first)))
                break;
            if (!add_literal(p, &first, fs, &plain))
                break;
            Node *part = parse_fstring(p, &t, sp.text, sp.len, sp.raw);
            if (!part)
                break;
            for (size_t i = 0; i < part->nkids; i++)
                node_add(p, fs, part->kids[i]);
            part->nkids = 0;
            ast_free(part);
        } else if (!unescape(p, &t, sp.text, sp.len, sp.raw, &plain)) {
            break;
        }
        if (!match(p, TOKEN_STRING))
            break;
    }
    if (p->failed) {
        text_free(&plain);
        ast_free(fs);
        return NULL;
    }
    if (any_f) {
        add_literal(p, &first, fs, &plain);
        text_free(&plain);
        return p->failed ? (ast_free(fs), NULL) : fs;
    }
    Node *n = node_new(p, NODE_STRING, &first);
    if (!n) {
        text_free(&plain);
        return NULL;
    }
    n->len = plain.len;
    n->text = plain.len || plain.failed ? text_finish(&plain, NULL) : mem_strdup("");
    if (!n->text) {
        mem_free(n);
        nomem(p);
        return NULL;
    }
    return n;
}

/* --- atoms ------------------------------------------------------------------- */

/* The rest of a comprehension after its element:
 * for_if_clauses -> ('for' targets 'in' disjunction ('if' disjunction)*)+ */
static Node *target_list(Parser *p, bool stop_at_in);
static Node *disjunction(Parser *p);

static bool comp_clauses(Parser *p, Node *comp)
{
    while (check_word(p, "for")) {
        Token at = p->cur;
        advance(p);
        Node *target = target_list(p, true);
        if (!target)
            return false;
        if (!match_word(p, "in")) {
            ast_free(target);
            expected(p, "'in' in this comprehension's 'for'");
            return false;
        }
        Node *iter = disjunction(p);
        if (!iter) {
            ast_free(target);
            return false;
        }
        if (!node_add(p, comp, node2(p, NODE_COMPFOR, &at, target, iter)))
            return false;
        while (check_word(p, "if")) {
            Token ifat = p->cur;
            advance(p);
            Node *cond = disjunction(p);
            if (!cond || !node_add(p, comp, node2(p, NODE_COMPIF, &ifat, cond, NULL)))
                return false;
        }
    }
    return !p->failed;
}

/* group, tuple or genexp -> '(' ')' | '(' expr ')' | '(' expr ',' ... ')' | '(' expr for ... ')' */
static Node *paren(Parser *p)
{
    Token open = p->prev;
    if (match(p, TOKEN_RPAREN))
        return node_new(p, NODE_TUPLE, &open);
    Node *first = check(p, TOKEN_STAR) ? NULL : expression(p);
    if (check(p, TOKEN_STAR)) {
        error_at(p, &p->cur, "*unpacking inside ( ) is not part of nudge");
        return NULL;
    }
    if (!first)
        return NULL;
    if (check_word(p, "for")) {
        Node *g = node_new(p, NODE_GENEXP, &open);
        if (!node_add(p, g, first) || !comp_clauses(p, g)) {
            ast_free(g);
            return NULL;
        }
        expect_close(p, TOKEN_RPAREN, &open);
        return p->failed ? (ast_free(g), NULL) : g;
    }
    if (!check(p, TOKEN_COMMA)) {
        expect_close(p, TOKEN_RPAREN, &open);
        if (p->failed) {
            ast_free(first);
            return NULL;
        }
        return first;
    }
    Node *t = node_new(p, NODE_TUPLE, &open);
    node_add(p, t, first);
    while (match(p, TOKEN_COMMA) && !check(p, TOKEN_RPAREN)) {
        Node *el = expression(p);
        if (!el || !node_add(p, t, el))
            break;
    }
    expect_close(p, TOKEN_RPAREN, &open);
    return p->failed ? (ast_free(t), NULL) : t;
}

/* list, listcomp or rows ->
 *   '[' [expr (',' expr)* [',']] ']'
 *   '[' expr 'for' ... ']'
 *   '[' expr (',' expr)* ';' expr (',' expr)* ... ']'   (nudge's matrix rows) */
static Node *list(Parser *p)
{
    Token open = p->prev;
    Node *rows = NULL, *row = node_new(p, NODE_LIST, &open);
    if (match(p, TOKEN_RBRACKET))
        return row;
    for (;;) {
        if (check(p, TOKEN_RBRACKET) && row && row->nkids > 0)
            break;      /* a trailing comma, as Python allows */
        if (check(p, TOKEN_STAR)) {
            error_at(p, &p->cur, "*unpacking inside [ ] is not part of nudge");
            break;
        }
        Node *el = expression(p);
        if (!el || !node_add(p, row, el))
            break;
        if (!rows && row->nkids == 1 && check_word(p, "for")) {
            row->kind = NODE_LISTCOMP;
            if (!comp_clauses(p, row))
                break;
            expect_close(p, TOKEN_RBRACKET, &open);
            return p->failed ? (ast_free(row), NULL) : row;
        }
        if (match(p, TOKEN_COMMA))
            continue;
        if (match(p, TOKEN_SEMICOLON)) {
            if (!rows)
                rows = node_new(p, NODE_ROWS, &open);
            if (!node_add(p, rows, row)) {
                row = NULL;
                break;
            }
            row = node_new(p, NODE_LIST, &p->cur);
            if (check(p, TOKEN_RBRACKET))
                break;      /* [1, 2;] ends with its last row */
            continue;
        }
        break;
    }
    expect_close(p, TOKEN_RBRACKET, &open);
    if (p->failed) {
        ast_free(rows);
        ast_free(row);
        return NULL;
    }
    if (!rows)
        return row;
    if (row && row->nkids > 0)
        node_add(p, rows, row);
    else
        ast_free(row);
    return rows;
}

/* dict or dictcomp -> '{' [expr ':' expr (',' expr ':' expr)* [',']] '}' | '{' expr ':' expr for ... '}' */
static Node *dict(Parser *p)
{
    Token open = p->prev;
    Node *d = node_new(p, NODE_DICT, &open);
    while (!check(p, TOKEN_RBRACE) && !p->failed) {
        if (check(p, TOKEN_POW)) {
            error_at(p, &p->cur, "**unpacking inside { } is not part of nudge");
            break;
        }
        Node *k = expression(p);
        if (!k)
            break;
        if (!match(p, TOKEN_COLON)) {
            ast_free(k);
            if (check(p, TOKEN_COMMA) || check(p, TOKEN_RBRACE))
                error_at(p, &open, "sets ({1, 2}) are not part of nudge; use a list, or a dict with key: value");
            else
                expected(p, "':' between a key and its value");
            break;
        }
        Node *v = expression(p);
        if (!node_add(p, d, k)) {
            ast_free(v);        /* k went with the failure; v is ours still */
            break;
        }
        if (!v || !node_add(p, d, v))
            break;
        if (d->nkids == 2 && check_word(p, "for")) {
            d->kind = NODE_DICTCOMP;
            if (!comp_clauses(p, d))
                break;
            break;
        }
        if (!match(p, TOKEN_COMMA))
            break;
    }
    expect_close(p, TOKEN_RBRACE, &open);
    return p->failed ? (ast_free(d), NULL) : d;
}

/* params -> param (',' param)* ; param -> NAME ['=' expression] | '*' NAME */
static bool params(Parser *p, Node *fn, TokenType close)
{
    bool defaults = false, star = false;
    while (!check(p, close) && !p->failed) {
        Token at = p->cur;
        bool is_star = match(p, TOKEN_STAR);
        if (check(p, TOKEN_POW)) {
            error_at(p, &p->cur, "**kwargs parameters are not part of nudge");
            return false;
        }
        if (!check(p, TOKEN_NAME) || is_keyword(&p->cur)) {
            expected(p, "a parameter name");
            return false;
        }
        if (star) {
            error_at(p, &p->cur, "no parameter can follow *%s", fn->kids[fn->nkids - 1]->text);
            return false;
        }
        Node *prm = text_node(p, NODE_PARAM, &p->cur);
        if (!prm)
            return false;
        prm->col = at.col;
        advance(p);
        if (is_star) {
            prm->op = TOKEN_STAR;
            star = true;
        } else if (match(p, TOKEN_ASSIGN)) {
            Node *dflt = expression(p);
            if (!dflt) {
                ast_free(prm);
                return false;
            }
            node_add(p, prm, dflt);
            defaults = true;
        } else if (defaults) {
            error_at(p, &at, "parameter '%s' needs a default, since one before it has one", prm->text);
            ast_free(prm);
            return false;
        }
        for (size_t i = 0; i < fn->nkids; i++)
            if (!strcmp(fn->kids[i]->text, prm->text)) {
                error_at(p, &at, "parameter '%s' appears twice", prm->text);
                ast_free(prm);
                return false;
            }
        if (!node_add(p, fn, prm))
            return false;
        if (!match(p, TOKEN_COMMA))
            break;
    }
    return !p->failed;
}

/* lambda -> 'lambda' [params] ':' expression */
static Node *lambda(Parser *p)
{
    Token at = p->prev;
    Node *fn = node_new(p, NODE_LAMBDA, &at);
    if (!fn)
        return NULL;
    fn->text = mem_strdup("<lambda>");
    if (!fn->text || !params(p, fn, TOKEN_COLON)) {
        if (!fn->text)
            nomem(p);
        ast_free(fn);
        return NULL;
    }
    if (!match(p, TOKEN_COLON)) {
        expected(p, "':' after the lambda's parameters");
        ast_free(fn);
        return NULL;
    }
    Node *body = expression(p);
    if (!body || !node_add(p, fn, body)) {
        ast_free(fn);
        return NULL;
    }
    fn->src_offset = (size_t)(at.start - p->src);
    fn->src_len = (size_t)(p->prev.start + p->prev.len - at.start);
    return fn;
}

/* at_lambda -> '@(' [params] ')' expression   (nudge's and Octave's spelling) */
static Node *at_lambda(Parser *p)
{
    Token at = p->prev;
    Node *fn = node_new(p, NODE_LAMBDA, &at);
    if (!fn)
        return NULL;
    if (!params(p, fn, TOKEN_RPAREN)) {
        ast_free(fn);
        return NULL;
    }
    expect_close(p, TOKEN_RPAREN, &at);
    Text name = {0};
    text_puts(&name, "@(");
    for (size_t i = 0; i < fn->nkids; i++)
        text_printf(&name, "%s%s", i ? ", " : "", fn->kids[i]->text);
    text_puts(&name, ")");
    fn->text = text_finish(&name, NULL);
    if (!fn->text)
        nomem(p);
    Node *body = p->failed ? NULL : expression(p);
    if (!body || !node_add(p, fn, body)) {
        ast_free(fn);
        return NULL;
    }
    fn->src_offset = (size_t)(at.start - p->src);
    fn->src_len = (size_t)(p->prev.start + p->prev.len - at.start);
    return fn;
}

static void too_large_int(Parser *p, const Token *t)
{
    error_at(p, t, "%.*s is too large for nudge's integers (at most 9223372036854775807); write it "
                          "with a decimal point to make it a float", (int)(t->len < 40 ? t->len : 40), t->start);
}

/* atom -> NAME | NUMBER | strings | 'None' | 'True' | 'False' | '...' | paren | list | dict | lambda */
static Node *atom(Parser *p)
{
    Token t = p->cur;
    switch (t.type) {
    case TOKEN_NUMBER: {
        advance(p);
        Node *n = node_new(p, NODE_NUMBER, &t);
        if (n) {
            n->number = t.number;
            n->is_int = t.is_int && !t.int_overflow;
            n->integer = t.integer;
            if (t.is_int && t.int_overflow) {
                too_large_int(p, &t);
                ast_free(n);
                return NULL;
            }
        }
        return n;
    }
    case TOKEN_STRING:
        advance(p);
        return strings(p);
    case TOKEN_LPAREN:
        advance(p);
        return paren(p);
    case TOKEN_LBRACKET:
        advance(p);
        return list(p);
    case TOKEN_LBRACE:
        advance(p);
        return dict(p);
    case TOKEN_AT_PAREN:
        advance(p);
        return at_lambda(p);
    case TOKEN_DOT:
        if (t.len == 1 && t.start[1] == '.' && t.start[2] == '.') {
            advance(p);
            advance(p);
            advance(p);
            return node_new(p, NODE_ELLIPSIS, &t);
        }
        break;
    case TOKEN_NAME: {
        if (is_word(&t, "None") || is_word(&t, "True") || is_word(&t, "False")) {
            advance(p);
            Node *n = node_new(p, NODE_CONST, &t);
            if (n)
                n->op = is_word(&t, "None") ? CONST_NONE : is_word(&t, "True") ? CONST_TRUE : CONST_FALSE;
            return n;
        }
        if (is_word(&t, "lambda")) {
            advance(p);
            return lambda(p);
        }
        if (is_word(&t, "yield") || is_word(&t, "await")) {
            error_at(p, &t, "'%.*s' is not part of nudge (it has no generators or coroutines; build a list "
                            "instead)", (int)t.len, t.start);
            return NULL;
        }
        if (is_keyword(&t)) {
            error_at(p, &t, "'%.*s' is a keyword, so it cannot start an expression here", (int)t.len, t.start);
            return NULL;
        }
        advance(p);
        return text_node(p, NODE_NAME, &t);
    }
    default:
        break;
    }
    char got[48];
    if (t.type == TOKEN_INDENT)
        error_at(p, &t, "this line is indented, but nothing before it opens a block (a line ending in ':')");
    else
        error_at(p, &t, "expected a value, got %s", describe(&t, got, sizeof got));
    return NULL;
}

/* subscript -> slice (',' slice)* [','] ; slice -> [expr] ':' [expr] [':' [expr]] | expr */
static Node *subscript_item(Parser *p)
{
    Token at = p->cur;
    Node *lo = NULL;
    if (!check(p, TOKEN_COLON)) {
        lo = expression(p);
        if (!lo || !check(p, TOKEN_COLON))
            return lo;
    }
    advance(p);     /* ':' */
    Node *s = node_new(p, NODE_SLICE, &at);
    node_add(p, s, lo);
    Node *hi = NULL, *step = NULL;
    if (!check(p, TOKEN_COLON) && !check(p, TOKEN_COMMA) && !check(p, TOKEN_RBRACKET))
        hi = expression(p);
    node_add(p, s, hi);
    if (match(p, TOKEN_COLON) && !check(p, TOKEN_COMMA) && !check(p, TOKEN_RBRACKET))
        step = expression(p);
    node_add(p, s, step);
    return p->failed ? (ast_free(s), NULL) : s;
}

static Node *subscript(Parser *p, Node *obj, const Token *open)
{
    Node *idx = subscript_item(p);
    if (!idx) {
        ast_free(obj);
        return NULL;
    }
    if (check(p, TOKEN_COMMA)) {
        Node *t = node_new(p, NODE_TUPLE, open);
        node_add(p, t, idx);
        while (match(p, TOKEN_COMMA) && !check(p, TOKEN_RBRACKET)) {
            Node *k = subscript_item(p);
            if (!k || !node_add(p, t, k))
                break;
        }
        idx = t;
    }
    expect_close(p, TOKEN_RBRACKET, open);
    Node *n = node2(p, NODE_INDEX, open, obj, idx);
    return p->failed ? (ast_free(n), NULL) : n;
}

/* arguments -> arg (',' arg)* [','] ; arg -> NAME '=' expression | '*' expression | expression [for ...] */
static Node *call(Parser *p, Node *callee, const Token *open)
{
    Node *n = node_new(p, NODE_CALL, open);
    if (!node_add(p, n, callee)) {
        ast_free(n);
        return NULL;
    }
    bool kw = false;
    while (!check(p, TOKEN_RPAREN) && !p->failed) {
        Token at = p->cur;
        if (check(p, TOKEN_POW)) {
            error_at(p, &at, "**unpacking in a call is not part of nudge; pass options by name");
            break;
        }
        if (match(p, TOKEN_STAR)) {
            Node *v = expression(p);
            Node *star = v ? node2(p, NODE_STARRED, &at, v, NULL) : NULL;    /* NULL when v ended in an error */
            if (!star || !node_add(p, n, star))
                break;
        } else if (check(p, TOKEN_NAME) && !is_keyword(&p->cur)) {
            Lexer save = p->lx;
            Token name = p->cur;
            advance(p);
            if (match(p, TOKEN_ASSIGN)) {
                Node *v = expression(p);
                Node *k = v ? text_node(p, NODE_KWARG, &name) : NULL;
                if (!k) {
                    ast_free(v);
                    break;
                }
                node_add(p, k, v);
                for (size_t i = 1; i < n->nkids; i++)
                    if (n->kids[i]->kind == NODE_KWARG && !strcmp(n->kids[i]->text, k->text)) {
                        error_at(p, &name, "option '%s' is given twice", k->text);
                        break;
                    }
                if (!node_add(p, n, k))
                    break;
                kw = true;
                if (!match(p, TOKEN_COMMA))
                    break;
                continue;
            }
            p->lx = save;
            p->cur = name;
            Node *v = expression(p);
            if (!v || !node_add(p, n, v))
                break;
        } else {
            Node *v = expression(p);
            if (!v || !node_add(p, n, v))
                break;
        }
        Node *last = n->kids[n->nkids - 1];
        if (kw && last->kind != NODE_KWARG && !p->failed) {
            error_at(p, &at, "a positional argument cannot follow an option given by name");
            break;
        }
        if (n->nkids == 2 && check_word(p, "for")) {
            /* f(x for x in xs): one generator argument */
            Node *g = node_new(p, NODE_GENEXP, &at);
            n->kids[1] = NULL;
            if (!node_add(p, g, last) || !comp_clauses(p, g)) {
                ast_free(g);
                break;
            }
            n->kids[1] = g;
            break;
        }
        if (!match(p, TOKEN_COMMA))
            break;
    }
    expect_close(p, TOKEN_RPAREN, open);
    return p->failed ? (ast_free(n), NULL) : n;
}

/* primary -> atom ('(' arguments ')' | '[' subscript ']' | '.' NAME)* */
static Node *primary(Parser *p)
{
    Node *n = atom(p);
    size_t chain = 0;
    while (n && !p->failed) {
        Token at = p->cur;
        if (match(p, TOKEN_LPAREN)) {
            n = call(p, n, &at);
        } else if (match(p, TOKEN_LBRACKET)) {
            n = subscript(p, n, &at);
        } else if (match(p, TOKEN_DOT)) {
            if (!check(p, TOKEN_NAME)) {
                expected(p, "a field name after '.'");
                ast_free(n);
                return NULL;
            }
            Node *f = text_node(p, NODE_FIELD, &p->cur);
            advance(p);
            if (!f) {
                ast_free(n);
                return NULL;
            }
            node_add(p, f, n);
            n = f;
        } else {
            break;
        }
        if (++chain > AST_MAX_CHAIN) {
            bool first = !p->failed;
            error_at(p, &at, "this expression chains more than %d operations; split it into several statements",
                     AST_MAX_CHAIN);
            if (first && p->e)
                p->e->code = ERROR_LIMIT;
            ast_free(n);
            return NULL;
        }
    }
    return n;
}

static Node *factor(Parser *p);

/* power -> primary ['**' factor] */
static Node *power(Parser *p)
{
    Node *base = primary(p);
    if (!base || !check(p, TOKEN_POW))
        return base;
    Token at = p->cur;
    advance(p);
    if (!enter(p)) {
        ast_free(base);
        return NULL;
    }
    Node *exp = factor(p);
    p->depth--;
    if (!exp) {
        ast_free(base);
        return NULL;
    }
    Node *n = node2(p, NODE_BINARY, &at, base, exp);
    if (n)
        n->op = TOKEN_POW;
    return n;
}

/* factor -> ('+' | '-' | '~') factor | power */
static Node *factor(Parser *p)
{
    if (check(p, TOKEN_MINUS) || check(p, TOKEN_PLUS) || check(p, TOKEN_TILDE)) {
        Token at = p->cur;
        advance(p);
        /* -9223372036854775808, the smallest int, is read whole (as save
         * writes it): its digits alone are one past the largest. */
        if (at.type == TOKEN_MINUS && check(p, TOKEN_NUMBER) && p->cur.int_2_63 && p->cur.line == at.line
            && p->cur.col == at.col + 1) {
            Token t = p->cur;
            advance(p);
            if (check(p, TOKEN_POW)) {      /* -(2^63 ** y): the power comes first, and overflows */
                too_large_int(p, &t);
                return NULL;
            }
            Node *n = node_new(p, NODE_NUMBER, &at);
            if (n) {
                n->is_int = true;
                n->integer = LLONG_MIN;
                n->number = -9223372036854775808.0;
            }
            return n;
        }
        if (!enter(p))
            return NULL;
        Node *x = factor(p);
        p->depth--;
        if (!x)
            return NULL;
        /* -2 is a number, as Python folds it (so -2**2 stays -4: ** binds first). */
        if (x->kind == NODE_NUMBER && at.type == TOKEN_MINUS && x->line == at.line && x->col == at.col + 1) {
            x->number = -x->number;
            x->integer = -x->integer;
            x->col = at.col;
            return x;
        }
        Node *n = node2(p, NODE_UNARY, &at, x, NULL);
        if (n)
            n->op = (int)at.type;
        return n;
    }
    return power(p);
}

typedef Node *(*Level)(Parser *p);

/* A left-associative chain of binary operators from ops over `next`. */
static Node *binary_chain(Parser *p, Level next, const TokenType *ops, size_t nops)
{
    Node *left = next(p);
    size_t chain = 0;
    while (left && !p->failed) {
        TokenType op = TOKEN_ERROR;
        for (size_t i = 0; i < nops; i++)
            if (check(p, ops[i]))
                op = ops[i];
        if (op == TOKEN_ERROR)
            break;
        Token at = p->cur;
        advance(p);
        Node *right = next(p);
        if (!right) {
            ast_free(left);
            left = NULL;
            break;
        }
        left = node2(p, NODE_BINARY, &at, left, right);
        if (left)
            left->op = (int)op;
        if (++chain > AST_MAX_CHAIN) {
            bool first = !p->failed;
            error_at(p, &at, "this expression chains more than %d operations; split it into several statements",
                     AST_MAX_CHAIN);
            if (first && p->e)
                p->e->code = ERROR_LIMIT;
            ast_free(left);
            left = NULL;
        }
    }
    return left;
}

/* term -> factor (('*' | '/' | '//' | '%' | '@') factor)* */
static Node *term(Parser *p)
{
    static const TokenType ops[] = { TOKEN_STAR, TOKEN_SLASH, TOKEN_DSLASH, TOKEN_PERCENT, TOKEN_AT };
    return binary_chain(p, factor, ops, 5);
}

/* sum -> term (('+' | '-') term)* */
static Node *sum(Parser *p)
{
    static const TokenType ops[] = { TOKEN_PLUS, TOKEN_MINUS };
    return binary_chain(p, term, ops, 2);
}

static Node *shift(Parser *p)
{
    static const TokenType ops[] = { TOKEN_LSHIFT, TOKEN_RSHIFT };
    return binary_chain(p, sum, ops, 2);
}

static Node *bitand(Parser *p)
{
    static const TokenType ops[] = { TOKEN_AMP };
    return binary_chain(p, shift, ops, 1);
}

static Node *bitxor(Parser *p)
{
    static const TokenType ops[] = { TOKEN_CARET };
    return binary_chain(p, bitand, ops, 1);
}

/* bitwise_or -> bitwise_or '|' bitwise_xor | ... */
static Node *bitor(Parser *p)
{
    static const TokenType ops[] = { TOKEN_PIPE };
    return binary_chain(p, bitxor, ops, 1);
}

/* The comparison operator at the current token, consuming it; -1 if none. */
static int compare_op(Parser *p)
{
    TokenType t = p->cur.type;
    if (t == TOKEN_EQ || t == TOKEN_NE || t == TOKEN_LT || t == TOKEN_LE || t == TOKEN_GT || t == TOKEN_GE) {
        advance(p);
        return (int)t;
    }
    if (match_word(p, "in"))
        return CMP_IN;
    if (check_word(p, "not")) {
        Lexer save = p->lx;
        Token word = p->cur;
        advance(p);
        if (match_word(p, "in"))
            return CMP_NOT_IN;
        p->lx = save;
        p->cur = word;
        return -1;
    }
    if (match_word(p, "is"))
        return match_word(p, "not") ? CMP_IS_NOT : CMP_IS;
    return -1;
}

/* comparison -> bitwise_or (compare_op bitwise_or)* */
static Node *comparison(Parser *p)
{
    Node *left = bitor(p);
    if (!left || p->failed)
        return left;
    Token at = p->cur;
    int op = compare_op(p);
    if (op < 0)
        return left;
    Node *n = node_new(p, NODE_COMPARE, &at);
    if (!node_add(p, n, left)) {
        ast_free(n);
        return NULL;
    }
    size_t cap = 0;
    while (op >= 0 && !p->failed) {
        int *ops = mem_grow(n->ops, &cap, n->nkids, sizeof *ops, 4);
        if (!ops) {
            nomem(p);
            break;
        }
        n->ops = ops;
        n->ops[n->nkids - 1] = op;
        Node *right = bitor(p);
        if (!right || !node_add(p, n, right))
            break;
        op = compare_op(p);
    }
    return p->failed ? (ast_free(n), NULL) : n;
}

/* inversion -> 'not' inversion | comparison */
static Node *inversion(Parser *p)
{
    if (check_word(p, "not")) {
        Token at = p->cur;
        advance(p);
        if (!enter(p))
            return NULL;
        Node *x = inversion(p);
        p->depth--;
        return x ? node2(p, NODE_NOT, &at, x, NULL) : NULL;
    }
    return comparison(p);
}

static Node *bool_chain(Parser *p, const char *word, NodeKind kind, Level next)
{
    Node *left = next(p);
    if (!left || !check_word(p, word))
        return left;
    Node *n = node_new(p, kind, &p->cur);
    if (n)
        n->line = left->line, n->col = left->col;
    node_add(p, n, left);
    while (match_word(p, word) && !p->failed) {
        Node *right = next(p);
        if (!right || !node_add(p, n, right))
            break;
    }
    return p->failed ? (ast_free(n), NULL) : n;
}

static Node *conjunction(Parser *p)
{
    return bool_chain(p, "and", NODE_AND, inversion);
}

/* disjunction -> conjunction ('or' conjunction)* */
static Node *disjunction(Parser *p)
{
    return bool_chain(p, "or", NODE_OR, conjunction);
}

/* expression -> disjunction ['if' disjunction 'else' expression] | lambda */
static Node *expression(Parser *p)
{
    if (!enter(p))
        return NULL;
    Node *body = disjunction(p);
    if (body && check_word(p, "if") && !p->failed) {
        Token at = p->cur;
        advance(p);
        Node *cond = disjunction(p);
        if (!cond || !match_word(p, "else")) {
            if (cond)
                expected(p, "'else' in this conditional expression (a if c else b)");
            ast_free(body);
            ast_free(cond);
            p->depth--;
            return NULL;
        }
        Node *other = expression(p);
        Node *n = node_new(p, NODE_IFEXP, &at);
        if (n)
            n->line = body->line, n->col = body->col;
        node_add(p, n, cond);
        node_add(p, n, body);
        node_add(p, n, other);
        if (p->failed) {
            ast_free(n);
            n = NULL;
        }
        body = n;
    }
    if (body && check(p, TOKEN_COLON) && p->cur.start[1] == '=' && !p->failed) {
        error_at(p, &p->cur, "':=' is not part of nudge; assign on a line of its own");
        ast_free(body);
        body = NULL;
    }
    p->depth--;
    return body;
}

/* star_expressions -> expression (',' expression)* [','] : several make a tuple */
static Node *star_expressions(Parser *p)
{
    Token at = p->cur;
    Node *first;
    if (match(p, TOKEN_STAR)) {
        Node *v = expression(p);
        first = v ? node2(p, NODE_STARRED, &at, v, NULL) : NULL;
    } else {
        first = expression(p);
    }
    if (!first || !check(p, TOKEN_COMMA))
        return first;
    Node *t = node_new(p, NODE_TUPLE, &at);
    node_add(p, t, first);
    while (match(p, TOKEN_COMMA)) {
        if (check(p, TOKEN_NEWLINE) || check(p, TOKEN_SEMICOLON) || check(p, TOKEN_EOF) || check(p, TOKEN_ASSIGN)
            || check(p, TOKEN_COLON) || check_word(p, "in") || check(p, TOKEN_RPAREN))
            break;
        Token sat = p->cur;
        Node *el;
        if (match(p, TOKEN_STAR)) {
            Node *v = expression(p);
            el = v ? node2(p, NODE_STARRED, &sat, v, NULL) : NULL;
        } else {
            el = expression(p);
        }
        if (!el || !node_add(p, t, el))
            break;
    }
    return p->failed ? (ast_free(t), NULL) : t;
}

/* target_list -> target (',' target)* : for the names of a 'for' */
static Node *target_list(Parser *p, bool stop_at_in)
{
    (void)stop_at_in;
    Token at = p->cur;
    Node *first = bitor(p);
    if (!first || !check(p, TOKEN_COMMA))
        return first;
    Node *t = node_new(p, NODE_TUPLE, &at);
    node_add(p, t, first);
    while (match(p, TOKEN_COMMA) && !check_word(p, "in")) {
        Node *el = bitor(p);
        if (!el || !node_add(p, t, el))
            break;
    }
    return p->failed ? (ast_free(t), NULL) : t;
}

/* --- statements -------------------------------------------------------------- */

/* Whether n can be assigned to; says why not when it cannot. */
static bool check_target(Parser *p, const Node *n, bool aug)
{
    switch (n->kind) {
    case NODE_NAME:
        return true;
    case NODE_FIELD:
    case NODE_INDEX:
        return true;
    case NODE_TUPLE:
    case NODE_LIST:
        if (aug) {
            error_node(p, n, "an augmented assignment (+=) takes one target, not several");
            return false;
        }
        for (size_t i = 0; i < n->nkids; i++) {
            const Node *k = n->kids[i];
            if (k->kind == NODE_STARRED) {
                error_node(p, k, "starred targets (a, *rest = ...) are not part of nudge; slice instead");
                return false;
            }
            if (!check_target(p, k, false))
                return false;
        }
        return true;
    default: {
        const char *what = n->kind == NODE_CALL ? "a function call" : n->kind == NODE_NUMBER ? "a number"
                         : n->kind == NODE_STRING ? "a string" : n->kind == NODE_CONST ? "a constant" : "an expression";
        error_node(p, n, "cannot assign to %s; the left of '=' must be a name, a field (net.W1) or an element "
                   "(a[0])%s", what,
                 n->kind == NODE_COMPARE || n->kind == NODE_BINARY ? " (to compare, use ==)" : "");
        return false;
    }
    }
}

/* command -> NAME <raw text up to ';' at bracket depth 0, or the end of the line> */
static Node *command(Parser *p, const Token *word, const Lexer *after_word)
{
    Node *n = text_node(p, NODE_COMMAND, word);
    if (!n)
        return NULL;
    const char *a = after_word->cur;
    while (*a == ' ' || *a == '\t')
        a++;
    int depth = 0;
    const char *q = a;
    char quote = 0;
    for (; *q && *q != '\n'; q++) {
        if (quote) {
            if (*q == '\\' && q[1] && q[1] != '\n')
                q++;
            else if (*q == quote)
                quote = 0;
            continue;
        }
        if (*q == '"' || *q == '\'')
            quote = *q;
        else if (*q == '#' && (q == a || q[-1] == ' ' || q[-1] == '\t'))
            break;      /* a comment starts with '#' after a space: `save work#1.nd` keeps its name */
        else if (*q == '(' || *q == '[' || *q == '{')
            depth++;
        else if ((*q == ')' || *q == ']' || *q == '}') && depth > 0)
            depth--;
        else if (*q == ';' && depth == 0)
            break;
    }
    const char *end = q;
    while (end > a && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    n->op = (int)(a - after_word->line_start);      /* byte offset of the argument in its line */
    n->number = lexer_column(after_word->line_start, a);   /* its column */
    n->text2 = copy_text(p, a, (size_t)(end - a));
    if (!n->text2) {
        ast_free(n);
        return NULL;
    }
    if (*q == '#')
        while (*q && *q != '\n')
            q++;
    /* Resume lexing after the argument text, on the command word's line. */
    p->lx = *after_word;
    p->lx.cur = q;
    advance(p);
    return n;
}

static Node *simple_stmt(Parser *p);

/* watch_stmt -> 'watch' [NAME (',' NAME)*] (for_stmt | while_stmt) */
static bool watch_loop_ahead(const char *a)
{
    /* Names (the scalars to chart) may come before the loop keyword. */
    const char *q = a;
    for (;;) {
        while (*q == ' ' || *q == '\t' || *q == ',')
            q++;
        if (!strncmp(q, "for", 3) && (q[3] == ' ' || q[3] == '\t' || q[3] == '('))
            return true;
        if (!strncmp(q, "while", 5) && (q[5] == ' ' || q[5] == '\t' || q[5] == '('))
            return true;
        const char *s = q;
        while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_'
               || (unsigned char)*q >= 0x80)
            q++;
        if (q == s)
            return false;
    }
}

static Node *compound_stmt(Parser *p);

static Node *watch_stmt(Parser *p, const Token *word)
{
    Node *w = node_new(p, NODE_WATCH, word);
    if (!w)
        return NULL;
    Text names = {0};
    while (!check_word(p, "for") && !check_word(p, "while") && !p->failed) {
        if (match(p, TOKEN_COMMA))
            continue;
        if (!check(p, TOKEN_NAME)) {
            expected(p, "the names of the values to chart, then a for or while loop");
            break;
        }
        text_printf(&names, "%s%.*s", names.len ? " " : "", (int)p->cur.len, p->cur.start);
        advance(p);
    }
    if (p->failed) {
        text_free(&names);
        ast_free(w);
        return NULL;
    }
    w->text2 = names.len ? text_finish(&names, NULL) : mem_strdup("");
    text_free(&names);
    Node *loop = w->text2 ? compound_stmt(p) : NULL;
    if (!w->text2)
        nomem(p);
    if (!loop || !node_add(p, w, loop)) {
        ast_free(w);
        return NULL;
    }
    return w;
}

/* simple_stmt -> command | assignment | star_expressions | 'return' ... | 'pass' | ... */
static Node *simple_stmt(Parser *p)
{
    Token t = p->cur;
    const char *src_start = t.start;
    Node *n = NULL;
    if (t.type == TOKEN_NAME && !is_keyword(&t) && p->is_command) {
        int kind = p->is_command(p->ctx, t.start, t.len);
        if (kind) {
            Lexer save = p->lx;
            advance(p);
            TokenType nt = p->cur.type;
            bool plain = nt == TOKEN_EOF || nt == TOKEN_NEWLINE || nt == TOKEN_SEMICOLON || nt == TOKEN_DEDENT
                      || nt == TOKEN_NAME || nt == TOKEN_NUMBER || nt == TOKEN_STRING;
            /* `plot(v)` is a call and `format = 3` an assignment; anything
             * else after a command word (a path such as /tmp/a.nd) is its
             * argument.  `watch for ...:` wraps a loop. */
            bool is_cmd = plain || (kind == 1 && nt != TOKEN_ASSIGN && nt != TOKEN_LPAREN && nt != TOKEN_DOT
                                    && nt != TOKEN_LBRACKET && lexer_aug_op(nt) == TOKEN_ERROR);
            if (is_cmd && is_word(&t, "watch") && watch_loop_ahead(save.cur)) {
                n = watch_stmt(p, &t);
                goto done;
            }
            if (is_cmd) {
                n = command(p, &t, &save);
                goto done;
            }
            p->lx = save;        /* not a command: read the word again as a name */
            p->cur = t;
        }
    }
    if (t.type == TOKEN_NAME) {
        if (match_word(p, "pass")) {
            n = node_new(p, NODE_PASS, &t);
            goto done;
        }
        if (match_word(p, "break")) {
            n = node_new(p, NODE_BREAK, &t);
            goto done;
        }
        if (match_word(p, "continue")) {
            n = node_new(p, NODE_CONTINUE, &t);
            goto done;
        }
        if (match_word(p, "return")) {
            n = node_new(p, NODE_RETURN, &t);
            if (n && !check(p, TOKEN_NEWLINE) && !check(p, TOKEN_SEMICOLON) && !check(p, TOKEN_EOF)
                && !check(p, TOKEN_DEDENT))
                node_add(p, n, star_expressions(p));
            goto done;
        }
        if (match_word(p, "raise")) {
            n = node_new(p, NODE_RAISE, &t);
            if (n && !check(p, TOKEN_NEWLINE) && !check(p, TOKEN_SEMICOLON) && !check(p, TOKEN_EOF))
                node_add(p, n, expression(p));
            if (check_word(p, "from"))
                error_at(p, &p->cur, "'raise ... from' is not part of nudge");
            goto done;
        }
        if (is_word(&t, "global") || is_word(&t, "nonlocal")) {
            advance(p);
            n = node_new(p, is_word(&t, "global") ? NODE_GLOBAL : NODE_NONLOCAL, &t);
            do {
                if (!check(p, TOKEN_NAME) || is_keyword(&p->cur)) {
                    expected(p, "a variable name");
                    break;
                }
                node_add(p, n, text_node(p, NODE_NAME, &p->cur));
                advance(p);
            } while (match(p, TOKEN_COMMA));
            goto done;
        }
        if (match_word(p, "assert")) {
            n = node_new(p, NODE_ASSERT, &t);
            node_add(p, n, expression(p));
            node_add(p, n, match(p, TOKEN_COMMA) ? expression(p) : NULL);
            goto done;
        }
        if (match_word(p, "del")) {
            n = node_new(p, NODE_DEL, &t);
            do {
                Node *target = bitor(p);
                if (!target || !node_add(p, n, target))
                    break;
                if (!check_target(p, target, true))
                    break;
            } while (match(p, TOKEN_COMMA) && !check(p, TOKEN_NEWLINE));
            goto done;
        }
        if (is_word(&t, "import") || is_word(&t, "from")) {
            bool from = is_word(&t, "from");
            advance(p);
            n = node_new(p, from ? NODE_FROM : NODE_IMPORT, &t);
            Text module = {0};
            /* dotted_name -> NAME ('.' NAME)* */
            #define DOTTED(into)                                                              \
                do {                                                                          \
                    if (!check(p, TOKEN_NAME)) {                                              \
                        expected(p, "a module name");                                         \
                        break;                                                                \
                    }                                                                         \
                    text_append(&(into), p->cur.start, p->cur.len);                           \
                    advance(p);                                                               \
                    while (match(p, TOKEN_DOT) && check(p, TOKEN_NAME)) {                     \
                        text_puts(&(into), ".");                                              \
                        text_append(&(into), p->cur.start, p->cur.len);                       \
                        advance(p);                                                           \
                    }                                                                         \
                } while (0)
            if (from) {
                DOTTED(module);
                if (!p->failed && !match_word(p, "import"))
                    expected(p, "'import' after the module's name");
                if (n && !p->failed) {
                    n->text = text_finish(&module, NULL);
                    if (!n->text)
                        nomem(p);
                }
                bool paren = match(p, TOKEN_LPAREN);
                do {
                    if (paren && check(p, TOKEN_RPAREN))
                        break;
                    Token at = p->cur;
                    Node *al = node_new(p, NODE_ALIAS, &at);
                    if (match(p, TOKEN_STAR)) {
                        if (al)
                            al->text = mem_strdup("*");
                    } else if (check(p, TOKEN_NAME)) {
                        if (al)
                            al->text = copy_text(p, p->cur.start, p->cur.len);
                        advance(p);
                    } else {
                        expected(p, "a name to import");
                    }
                    if (al && match_word(p, "as")) {
                        if (check(p, TOKEN_NAME)) {
                            al->text2 = copy_text(p, p->cur.start, p->cur.len);
                            advance(p);
                        } else {
                            expected(p, "a name after 'as'");
                        }
                    }
                    if (!node_add(p, n, al))
                        break;
                } while (match(p, TOKEN_COMMA));
                if (paren && !p->failed && !match(p, TOKEN_RPAREN))
                    expected(p, "')' after the imported names");
            } else {
                do {
                    Token at = p->cur;
                    Text name = {0};
                    DOTTED(name);
                    Node *al = node_new(p, NODE_ALIAS, &at);
                    if (al) {
                        al->text = text_finish(&name, NULL);
                        if (!al->text)
                            nomem(p);
                    } else {
                        text_free(&name);
                    }
                    if (al && match_word(p, "as")) {
                        if (check(p, TOKEN_NAME)) {
                            al->text2 = copy_text(p, p->cur.start, p->cur.len);
                            advance(p);
                        } else {
                            expected(p, "a name after 'as'");
                        }
                    }
                    if (!node_add(p, n, al))
                        break;
                } while (match(p, TOKEN_COMMA));
            }
            #undef DOTTED
            text_free(&module);
            goto done;
        }
    }
    /* assignment -> (star_targets '=')+ star_expressions | target augassign expression */
    Node *first = star_expressions(p);
    if (!first)
        return NULL;
    TokenType aug = lexer_aug_op(p->cur.type);
    if (aug != TOKEN_ERROR) {
        Token at = p->cur;
        advance(p);
        if (!check_target(p, first, true)) {
            ast_free(first);
            return NULL;
        }
        Node *value = star_expressions(p);
        n = node2(p, NODE_AUGASSIGN, &at, first, value);
        if (n) {
            n->op = (int)aug;
            n->line = first->line;
            n->col = first->col;
        }
        goto done;
    }
    if (check(p, TOKEN_ASSIGN)) {
        n = node_new(p, NODE_ASSIGN, &p->cur);
        if (n) {
            n->line = first->line;
            n->col = first->col;
        }
        node_add(p, n, first);
        while (match(p, TOKEN_ASSIGN) && !p->failed) {
            if (!check_target(p, n->kids[n->nkids - 1], false))
                break;
            Node *v = star_expressions(p);
            if (!v || !node_add(p, n, v))
                break;
        }
        goto done;
    }
    if (check(p, TOKEN_COLON) && first->kind == NODE_NAME && !p->failed) {
        error_at(p, &p->cur, "annotations (x: int) are not part of nudge");
        ast_free(first);
        return NULL;
    }
    n = node2(p, NODE_EXPR_STMT, &t, first, NULL);
    if (n) {
        n->line = first->line;
        n->col = first->col;
    }
done:
    if (p->failed) {
        ast_free(n);
        return NULL;
    }
    if (n) {
        n->src_offset = (size_t)(src_start - p->src);
        const char *end = p->prev.start + p->prev.len;
        n->src_len = end > src_start ? (size_t)(end - src_start) : 0;
    }
    return n;
}

/* simple_stmts -> simple_stmt (';' simple_stmt)* [';'] NEWLINE */
static bool simple_stmts(Parser *p, Node *into)
{
    for (;;) {
        Node *s = simple_stmt(p);
        if (!s || !node_add(p, into, s))
            return false;
        /* `watch NAMES for ...:` is a compound statement: its block has
         * consumed the end of its lines. */
        if (s->kind == NODE_WATCH)
            return true;
        if (match(p, TOKEN_SEMICOLON)) {
            s->quiet = true;
            if (check(p, TOKEN_NEWLINE) || check(p, TOKEN_EOF) || check(p, TOKEN_DEDENT))
                break;
            continue;
        }
        break;
    }
    if (match(p, TOKEN_NEWLINE) || check(p, TOKEN_EOF) || check(p, TOKEN_DEDENT))
        return true;
    char got[48];
    if (check(p, TOKEN_INDENT)) {
        error_at(p, &p->cur, "this line is indented, but the line before it does not open a block (end it with "
                             "':' to make one)");
        return false;
    }
    error_at(p, &p->cur, "expected the end of the statement, got %s%s", describe(&p->cur, got, sizeof got),
             p->cur.type == TOKEN_NAME && p->prev.type == TOKEN_NAME ? " (a missing operator or comma?)" : "");
    return false;
}

/* block -> NEWLINE INDENT statements DEDENT | simple_stmts */
static Node *block(Parser *p, const Token *header, const char *what)
{
    if (!match(p, TOKEN_COLON)) {
        char got[48];
        error_at(p, &p->cur, "expected ':' to end the %s line, got %s", what, describe(&p->cur, got, sizeof got));
        return NULL;
    }
    Node *b = node_new(p, NODE_BLOCK, &p->cur);
    if (!b)
        return NULL;
    if (!match(p, TOKEN_NEWLINE)) {
        if (check(p, TOKEN_EOF)) {
            error_at(p, header, "this %s has no body: write it after the ':' or on indented lines below", what);
            ast_free(b);
            return NULL;
        }
        if (!simple_stmts(p, b)) {
            ast_free(b);
            return NULL;
        }
        return b;
    }
    if (!match(p, TOKEN_INDENT)) {
        error_at(p, header, "expected an indented block after this %s (line %d)", what, header->line);
        if (p->e && !check(p, TOKEN_EOF)) {
            p->e->line = p->cur.line;
            p->e->col = p->cur.col;
        }
        ast_free(b);
        return NULL;
    }
    if (!enter(p)) {
        ast_free(b);
        return NULL;
    }
    bool ok = statements(p, b, false);
    p->depth--;
    if (!ok) {
        ast_free(b);
        return NULL;
    }
    return b;
}

bool ast_uses_grad(const Node *n)
{
    if (!n)
        return false;
    if ((n->kind == NODE_NAME || n->kind == NODE_COMMAND)
        && (!strcmp(n->text, "grad") || !strcmp(n->text, "graph") || !strcmp(n->text, "backprop")))
        return true;
    for (size_t i = 0; i < n->nkids; i++)
        if (ast_uses_grad(n->kids[i]))
            return true;
    return false;
}

/* if_stmt -> 'if' named_expression ':' block elif_stmt | 'if' ... ':' block [else_block] */
static Node *if_stmt(Parser *p, const Token *at, const char *what)
{
    Node *n = node_new(p, NODE_IF, at);
    node_add(p, n, expression(p));
    if (p->failed) {
        ast_free(n);
        return NULL;
    }
    node_add(p, n, block(p, at, what));
    if (p->failed) {
        ast_free(n);
        return NULL;
    }
    Token t = p->cur;
    if (match_word(p, "elif")) {
        node_add(p, n, if_stmt(p, &t, "elif"));
    } else if (match_word(p, "else")) {
        node_add(p, n, block(p, &t, "else"));
    } else {
        node_add(p, n, NULL);
    }
    return p->failed ? (ast_free(n), NULL) : n;
}

/* compound_stmt -> def | if | for | while | (class, with, try: refused with a reason) */
static Node *compound_stmt(Parser *p)
{
    Token t = p->cur;
    Node *n = NULL;
    if (match_word(p, "if"))
        return if_stmt(p, &t, "if");
    if (match_word(p, "while")) {
        n = node_new(p, NODE_WHILE, &t);
        node_add(p, n, expression(p));
        if (!p->failed)
            node_add(p, n, block(p, &t, "while"));
        Token et = p->cur;
        if (!p->failed)
            node_add(p, n, match_word(p, "else") ? block(p, &et, "else") : NULL);
        if (n && !p->failed)
            n->uses_grad = ast_uses_grad(n);
        return p->failed ? (ast_free(n), NULL) : n;
    }
    if (match_word(p, "for")) {
        n = node_new(p, NODE_FOR, &t);
        Node *target = target_list(p, true);
        node_add(p, n, target);
        if (target && !p->failed)
            check_target(p, target, false);
        if (!p->failed && !match_word(p, "in"))
            expected(p, "'in' after the loop variable (for i in range(10):)");
        if (!p->failed)
            node_add(p, n, star_expressions(p));
        if (!p->failed)
            node_add(p, n, block(p, &t, "for"));
        Token et = p->cur;
        if (!p->failed)
            node_add(p, n, match_word(p, "else") ? block(p, &et, "else") : NULL);
        if (n && !p->failed)
            n->uses_grad = ast_uses_grad(n);
        return p->failed ? (ast_free(n), NULL) : n;
    }
    if (match_word(p, "def")) {
        if (!check(p, TOKEN_NAME) || is_keyword(&p->cur)) {
            expected(p, "the function's name after 'def'");
            return NULL;
        }
        n = text_node(p, NODE_DEF, &p->cur);
        advance(p);
        Token open = p->cur;
        if (!match(p, TOKEN_LPAREN)) {
            expected(p, "'(' and the parameters after the function's name");
            ast_free(n);
            return NULL;
        }
        if (n && params(p, n, TOKEN_RPAREN))
            expect_close(p, TOKEN_RPAREN, &open);
        if (match(p, TOKEN_ARROW)) {
            Node *ann = expression(p);      /* a return annotation is read and ignored */
            ast_free(ann);
        }
        if (!p->failed)
            node_add(p, n, block(p, &t, "def"));
        return p->failed ? (ast_free(n), NULL) : n;
    }
    if (is_word(&t, "class"))
        error_at(p, &t, "classes are not part of nudge: it has functions, lists, dicts, arrays and its own models");
    else if (is_word(&t, "with"))
        error_at(p, &t, "'with' blocks are not part of nudge");
    else if (is_word(&t, "try") || is_word(&t, "except") || is_word(&t, "finally"))
        error_at(p, &t, "try/except is not part of nudge: an error stops the statement and leaves the variables as "
                        "they were");
    else if (is_word(&t, "async"))
        error_at(p, &t, "'async' is not part of nudge");
    else if (is_word(&t, "elif") || is_word(&t, "else"))
        error_at(p, &t, "this '%.*s' has no 'if' (or loop) just above it at the same indentation", (int)t.len, t.start);
    return NULL;
}

static bool starts_compound(const Parser *p)
{
    static const char *const words[] = { "if", "while", "for", "def", "class", "with", "try", "except",
                                         "finally", "async", "elif", "else" };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (check_word(p, words[i]))
            return true;
    return false;
}

/* statements -> statement+ ; statement -> compound_stmt | simple_stmts */
static bool statements(Parser *p, Node *into, bool top)
{
    while (!p->failed) {
        if (check(p, TOKEN_EOF))
            break;
        if (!top && match(p, TOKEN_DEDENT))
            break;
        if (top && check(p, TOKEN_DEDENT)) {
            advance(p);
            continue;
        }
        if (match(p, TOKEN_NEWLINE) || match(p, TOKEN_SEMICOLON))
            continue;
        if (check(p, TOKEN_INDENT)) {
            error_at(p, &p->cur, "this line is indented, but the line before it does not open a block (end it with "
                                 "':' to make one)");
            return false;
        }
        if (check(p, TOKEN_AT) && p->cur.col == 1) {
            error_at(p, &p->cur, "decorators (@name) are not part of nudge");
            return false;
        }
        if (starts_compound(p)) {
            Token at = p->cur;
            const char *src_start = at.start;
            Node *s = compound_stmt(p);
            if (!s)
                return false;
            s->src_offset = (size_t)(src_start - p->src);
            const char *end = p->prev.start + p->prev.len;
            s->src_len = end > src_start ? (size_t)(end - src_start) : 0;
            if (!node_add(p, into, s))
                return false;
            continue;
        }
        if (!simple_stmts(p, into))
            return false;
    }
    return !p->failed;
}

Program *ast_parse(const char *src, CommandTest is_command, void *ctx, Error *e)
{
    error_clear(e);
    Token start = { .line = 1, .col = 1 };
    Parser p = { .e = e, .is_command = is_command, .ctx = ctx };
    /* The program keeps its own copy of the source: statements point into
     * it (for echo) and functions outlive the caller's text. */
    char *copy = mem_strdup(src);
    Node *body = copy ? node_new(&p, NODE_BLOCK, &start) : NULL;
    Program *prog = body ? mem_calloc(1, sizeof *prog) : NULL;
    if (!prog) {
        ast_free(body);
        mem_free(copy);
        return error_nomem(e, "parse"), NULL;
    }
    lexer_init(&p.lx, copy);
    p.src = p.lx.src;
    advance(&p);
    if (!statements(&p, body, true) || p.failed) {
        ast_free(body);
        mem_free(prog);
        mem_free(copy);
        return NULL;
    }
    prog->refs = 1;
    prog->body = body;
    prog->src = copy;
    prog->first_line = 1;
    return prog;
}

Node *ast_parse_expr(const char *src, Error *e)
{
    error_clear(e);
    Parser p = { .src = src, .e = e };
    lexer_init(&p.lx, src);
    p.lx.brackets = 1;      /* an expression may span lines, as inside brackets */
    p.lx.line_begun = true;
    p.lx.nindent = 0;
    advance(&p);
    Node *n = p.failed ? NULL : star_expressions(&p);
    if (n && !p.failed && !check(&p, TOKEN_EOF) && !check(&p, TOKEN_NEWLINE)) {
        char got[48];
        error_at(&p, &p.cur, "expected the end of the expression, got %s", describe(&p.cur, got, sizeof got));
    }
    if (p.failed) {
        ast_free(n);
        return NULL;
    }
    return n;
}

Program *ast_program_retain(Program *prog)
{
    prog->refs++;
    return prog;
}

void ast_program_release(Program *prog)
{
    if (!prog || --prog->refs > 0)
        return;
    ast_free(prog->body);
    mem_free(prog->src);
    mem_free(prog->origin);
    mem_free(prog);
}

bool ast_is_complete(const char *src)
{
    return lexer_is_complete(src);
}

bool ast_imports_python(const char *src)
{
    static const char *const imports[] = { "import numpy", "from numpy", "import math" };
    for (const char *line = src; line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
        /* Only lines at the top level count; an indented import is inside a block. */
        for (size_t i = 0; i < sizeof imports / sizeof imports[0]; i++) {
            size_t n = strlen(imports[i]);
            if (!strncmp(line, imports[i], n) && strchr(" \t\r\n,;.", line[n] ? line[n] : '\n'))
                return true;
        }
    }
    return false;
}
