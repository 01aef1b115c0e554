/* parser.c - a Pratt parser (clox's rule table) from tokens to ast.h trees. */
#include "nudge/ast.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nudge/mem.h"

typedef enum Prec {
    PREC_NONE,
    PREC_COMPARE,   /* < <= > >= == != */
    PREC_TERM,      /* + - */
    PREC_FACTOR,    /* * / @ */
    PREC_UNARY,     /* - + */
    PREC_POWER,     /* ** (right-associative, above unary: -2**2 is -4) */
    PREC_POSTFIX    /* call, index, field */
} Prec;

typedef struct Parser {
    Lexer lx;
    const char *src;
    Token cur, prev;
    Token last;         /* the last token that was not a newline or the end */
    int depth;          /* bracket and recursion depth */
    int brackets;       /* open ( and [: newlines inside are spaces */
    Error *e;
    bool failed;
} Parser;

typedef Node *(*PrefixFn)(Parser *p);
typedef Node *(*InfixFn)(Parser *p, Node *left);

typedef struct ParseRule {
    PrefixFn prefix;
    InfixFn infix;
    Prec prec;
} ParseRule;

static const ParseRule *rule_of(TokenType t);
static Node *expression(Parser *p);
static Node *parse_prec(Parser *p, Prec prec);

/* --- tokens -------------------------------------------------------------- */

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
        /* At the end of the input, point just past the last thing typed,
         * on its own line, rather than at an empty line below it. */
        if ((t->type == TOKEN_EOF || t->type == TOKEN_NEWLINE) && p->last.start) {
            p->e->line = p->last.line;
            p->e->col = p->last.col + lexer_column(p->last.start, p->last.start + p->last.len) - 1;
        }
    }
}

static void advance(Parser *p)
{
    if (p->cur.type != TOKEN_EOF && p->cur.type != TOKEN_NEWLINE && p->cur.start)
        p->last = p->cur;
    p->prev = p->cur;
    if (p->failed) {
        p->cur.type = TOKEN_EOF;
        return;
    }
    for (;;) {
        p->cur = lexer_next(&p->lx, p->e);
        if (p->cur.type == TOKEN_ERROR) {
            p->failed = true;
            p->cur.type = TOKEN_EOF;
            return;
        }
        if (p->cur.type == TOKEN_NEWLINE && p->brackets > 0)
            continue;       /* a matrix may span lines */
        return;
    }
}

/* After an opening bracket: the token after it was read while the bracket
 * was not counted yet, so a newline there is still pending. */
static void open_bracket(Parser *p)
{
    p->brackets++;
    while (p->cur.type == TOKEN_NEWLINE && !p->failed)
        advance(p);
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

/* A description of the current token for messages: "'foo'", "end of line". */
static const char *describe(const Token *t, char *buf, size_t n)
{
    if (t->type == TOKEN_NAME || t->type == TOKEN_NUMBER)
        snprintf(buf, n, "'%.*s'", (int)(t->len < 30 ? t->len : 30), t->start);
    else
        snprintf(buf, n, "%s", lexer_token_name(t->type));
    return buf;
}

/* Expects a closing bracket, naming the opening one and its column. */
static void expect_close(Parser *p, TokenType close, const Token *open)
{
    if (match(p, close))
        return;
    if (check(p, TOKEN_EOF) && !p->failed) {
        /* The input ended: point at the bracket that was left open. */
        error_at(p, open, "this '%.*s' is never closed (expected %s)", (int)open->len, open->start,
                 lexer_token_name(close));
        return;
    }
    char got[48], what[96];
    if (open->line != p->cur.line)
        snprintf(what, sizeof what, "%s to close '%.*s' at line %d, column %d", lexer_token_name(close),
                 (int)open->len, open->start, open->line, open->col);
    else
        snprintf(what, sizeof what, "%s to close '%.*s' at column %d", lexer_token_name(close),
                 (int)open->len, open->start, open->col);
    error_at(p, &p->cur, "expected %s, got %s%s", what, describe(&p->cur, got, sizeof got),
             p->cur.type == TOKEN_ASSIGN ? " (to compare, use ==)" : "");
}

/* --- nodes --------------------------------------------------------------- */

static Node *node_new(Parser *p, NodeKind kind, const Token *at)
{
    Node *n = mem_calloc(1, sizeof *n);
    if (!n) {
        if (!p->failed) {
            p->failed = true;
            error_nomem(p->e, "parse");
        }
        return NULL;
    }
    n->kind = kind;
    n->line = at->line;
    n->col = at->col;
    return n;
}

/* Adds kid to n; kid belongs to n afterwards, or is freed on failure (also
 * when n is NULL because making it failed). */
static bool node_add(Parser *p, Node *n, Node *kid)
{
    if (!n) {
        ast_free(kid);
        return false;
    }
    if (n->nkids == n->kcap) {
        size_t cap = n->kcap ? 2 * n->kcap : 4;
        Node **k = mem_realloc(n->kids, cap, sizeof *k);
        if (!k) {
            if (!p->failed) {
                p->failed = true;
                error_nomem(p->e, "parse");
            }
            ast_free(kid);
            return false;
        }
        n->kids = k;
        n->kcap = cap;
    }
    n->kids[n->nkids++] = kid;
    if (kid && kid->depth + 1 > n->depth)
        n->depth = kid->depth + 1;
    return true;
}

static char *token_text(Parser *p, const Token *t)
{
    char *s = mem_alloc(t->len + 1);
    if (!s) {
        if (!p->failed) {
            p->failed = true;
            error_nomem(p->e, "parse");
        }
        return NULL;
    }
    memcpy(s, t->start, t->len);
    s[t->len] = '\0';
    return s;
}

void ast_free(Node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        ast_free(n->kids[i]);
    mem_free(n->kids);
    mem_free(n->text);
    mem_free(n);
}

Node *ast_clone(const Node *n)
{
    if (!n)
        return NULL;
    Node *c = mem_calloc(1, sizeof *c);
    if (!c)
        return NULL;
    *c = *n;
    c->text = NULL;
    c->kids = NULL;
    c->nkids = c->kcap = 0;
    if (n->text && !(c->text = mem_strdup(n->text)))
        goto fail;
    if (n->nkids) {
        c->kids = mem_calloc(n->nkids, sizeof *c->kids);
        if (!c->kids)
            goto fail;
        c->nkids = c->kcap = n->nkids;
        for (size_t i = 0; i < n->nkids; i++)
            if (n->kids[i] && !(c->kids[i] = ast_clone(n->kids[i])))
                goto fail;
    }
    return c;
fail:
    ast_free(c);
    return NULL;
}

/* Guards recursion so that "((((((..." is an error, not a stack overflow.
 * The statement's own expression is not nested, so it does not count:
 * AST_MAX_DEPTH brackets (or operators) inside it are allowed. */
static bool enter(Parser *p)
{
    if (++p->depth <= AST_MAX_DEPTH + 1)
        return true;
    error_at(p, &p->cur, "nested too deeply (more than %d levels)", AST_MAX_DEPTH);
    if (p->e)
        p->e->code = ERROR_LIMIT;
    return false;
}

/* --- prefix rules -------------------------------------------------------- */

/* number -> NUMBER */
static Node *number(Parser *p)
{
    Node *n = node_new(p, NODE_NUMBER, &p->prev);
    if (n)
        n->number = p->prev.number;
    return n;
}

/* A node that keeps the previous token's text. */
static Node *text_node(Parser *p, NodeKind kind)
{
    Node *n = node_new(p, kind, &p->prev);
    if (n && !(n->text = token_text(p, &p->prev))) {
        ast_free(n);
        return NULL;
    }
    return n;
}

/* string -> STRING */
static Node *string(Parser *p)
{
    return text_node(p, NODE_STRING);
}

/* name -> NAME */
static Node *name(Parser *p)
{
    return text_node(p, NODE_NAME);
}

/* group -> '(' expr ')' */
static Node *grouping(Parser *p)
{
    Token open = p->prev;
    open_bracket(p);
    Node *n = expression(p);
    p->brackets--;
    expect_close(p, TOKEN_RPAREN, &open);
    if (p->failed) {
        ast_free(n);
        return NULL;
    }
    return n;
}

/* list -> '[' [ expr {',' expr} ] ']'
 * rows -> '[' expr {',' expr} ';' expr {',' expr} ... ']' */
static Node *list(Parser *p)
{
    Token open = p->prev;
    Node *rows = NULL, *row = node_new(p, NODE_LIST, &open);
    open_bracket(p);
    if (!check(p, TOKEN_RBRACKET)) {
        for (;;) {
            if (check(p, TOKEN_RBRACKET) && row && row->nkids > 0)
                break;      /* a trailing comma, as Python allows */
            Node *el = expression(p);
            if (!el || !node_add(p, row, el))
                break;
            if (match(p, TOKEN_COMMA))
                continue;
            if (match(p, TOKEN_SEMICOLON)) {
                if (!rows)
                    rows = node_new(p, NODE_ROWS, &open);
                if (!rows) {
                    ast_free(row);      /* out of memory */
                    row = NULL;
                    break;
                }
                if (!node_add(p, rows, row)) {
                    row = NULL;
                    break;
                }
                row = node_new(p, NODE_LIST, &p->cur);
                continue;
            }
            break;
        }
    }
    p->brackets--;
    expect_close(p, TOKEN_RBRACKET, &open);
    if (rows && row && !node_add(p, rows, row))
        row = NULL;
    Node *result = rows ? rows : row;
    if (p->failed) {
        if (rows)
            ast_free(rows);
        else
            ast_free(row);
        return NULL;
    }
    return result;
}

/* unary -> ('-' | '+') unary */
static Node *unary(Parser *p)
{
    Token op = p->prev;
    Node *operand = parse_prec(p, PREC_UNARY);
    if (!operand)
        return NULL;
    Node *n = node_new(p, NODE_UNARY, &op);
    if (!n || !node_add(p, n, operand)) {
        ast_free(n);
        if (!n)
            ast_free(operand);
        return NULL;
    }
    n->op = op.type;
    return n;
}

/* lambda -> '@(' [NAME {',' NAME}] ')' expr */
static Node *lambda(Parser *p)
{
    Token open = p->prev;
    Node *n = node_new(p, NODE_LAMBDA, &open);
    open_bracket(p);
    if (!check(p, TOKEN_RPAREN)) {
        do {
            if (!match(p, TOKEN_NAME)) {
                char got[48];
                error_at(p, &p->cur, "expected a parameter name in @(...), got %s",
                         describe(&p->cur, got, sizeof got));
                break;
            }
            node_add(p, n, name(p));
        } while (match(p, TOKEN_COMMA));
    }
    p->brackets--;
    expect_close(p, TOKEN_RPAREN, &open);
    if (!p->failed)
        node_add(p, n, expression(p));
    if (!p->failed) {
        /* Keep the source text so that the function can show itself. */
        const char *end = p->prev.start + p->prev.len;
        if (p->prev.type == TOKEN_STRING)
            end++;      /* the closing quote */
        Token span = open;
        span.len = (size_t)(end - open.start);
        n->text = token_text(p, &span);
    }
    if (p->failed) {
        ast_free(n);
        return NULL;
    }
    return n;
}

/* --- infix rules --------------------------------------------------------- */

/* binary -> expr op expr, at the operator's precedence */
static Node *binary(Parser *p, Node *left)
{
    Token op = p->prev;
    const ParseRule *r = rule_of(op.type);
    /* '**' is right-associative and lets a unary minus follow it. */
    Prec next = op.type == TOKEN_POW ? PREC_UNARY : (Prec)(r->prec + 1);
    Node *right = parse_prec(p, next);
    Node *n = right ? node_new(p, NODE_BINARY, &op) : NULL;
    if (!n) {
        ast_free(left);
        ast_free(right);
        return NULL;
    }
    n->op = op.type;
    if (!node_add(p, n, left)) {
        ast_free(right);
        ast_free(n);
        return NULL;
    }
    if (!node_add(p, n, right)) {
        ast_free(n);
        return NULL;
    }
    return n;
}

/* call -> expr '(' [arg {',' arg}] ')' ;  arg -> NAME '=' expr | expr */
static Node *call(Parser *p, Node *callee)
{
    Token open = p->prev;
    Node *n = node_new(p, NODE_CALL, &open);
    if (!n) {
        ast_free(callee);
        return NULL;
    }
    n->line = callee->line;
    n->col = callee->col;
    node_add(p, n, callee);
    open_bracket(p);
    bool seen_kw = false;
    if (!check(p, TOKEN_RPAREN)) {
        do {
            if (check(p, TOKEN_RPAREN))
                break;
            Node *arg = expression(p);
            if (!arg)
                break;
            if (arg->kind == NODE_NAME && check(p, TOKEN_ASSIGN)) {
                advance(p);
                Node *kw = node_new(p, NODE_KWARG, &p->prev);
                if (kw) {
                    kw->line = arg->line;
                    kw->col = arg->col;
                    kw->text = arg->text;
                    arg->text = NULL;
                }
                ast_free(arg);
                if (!kw || !node_add(p, kw, expression(p))) {
                    ast_free(kw);
                    break;
                }
                arg = kw;
                seen_kw = true;
            } else if (seen_kw) {
                Token at = { .type = TOKEN_NAME, .line = arg->line, .col = arg->col };
                ast_free(arg);
                error_at(p, &at, "a positional argument cannot follow a keyword argument");
                break;
            }
            if (!node_add(p, n, arg))
                break;
        } while (match(p, TOKEN_COMMA));
    }
    p->brackets--;
    expect_close(p, TOKEN_RPAREN, &open);
    if (p->failed) {
        ast_free(n);
        return NULL;
    }
    return n;
}

/* one index -> expr | [expr] ':' [expr] */
static Node *index_part(Parser *p)
{
    Node *start = NULL;
    if (!check(p, TOKEN_COLON)) {
        start = expression(p);
        if (!start)
            return NULL;
        if (!check(p, TOKEN_COLON))
            return start;
    }
    Token colon = p->cur;
    advance(p);
    Node *s = node_new(p, NODE_SLICE, &colon);
    if (!s) {
        ast_free(start);
        return NULL;
    }
    s->kids = mem_calloc(2, sizeof *s->kids);
    if (!s->kids) {
        ast_free(start);
        ast_free(s);
        error_at(p, &colon, "out of memory");
        if (p->e)
            p->e->code = ERROR_NOMEM;
        return NULL;
    }
    s->nkids = s->kcap = 2;
    s->kids[0] = start;
    if (!check(p, TOKEN_COMMA) && !check(p, TOKEN_RBRACKET)) {
        s->kids[1] = expression(p);
        if (!s->kids[1]) {
            ast_free(s);
            return NULL;
        }
    }
    return s;
}

/* index -> expr '[' index {',' index} ']' */
static Node *subscript(Parser *p, Node *target)
{
    Token open = p->prev;
    Node *n = node_new(p, NODE_INDEX, &open);
    if (!n) {
        ast_free(target);
        return NULL;
    }
    node_add(p, n, target);
    open_bracket(p);
    do {
        Node *ix = index_part(p);
        if (!ix || !node_add(p, n, ix))
            break;
    } while (match(p, TOKEN_COMMA));
    p->brackets--;
    expect_close(p, TOKEN_RBRACKET, &open);
    if (!p->failed && n->nkids > 3) {
        error_at(p, &open, "at most two indices: M[row, column]");
    }
    if (p->failed) {
        ast_free(n);
        return NULL;
    }
    return n;
}

/* field -> expr '.' NAME   (x.T is the transpose) */
static Node *field(Parser *p, Node *target)
{
    if (!match(p, TOKEN_NAME)) {
        char got[48];
        error_at(p, &p->cur, "expected a field name after '.', got %s",
                 describe(&p->cur, got, sizeof got));
        ast_free(target);
        return NULL;
    }
    Node *n = node_new(p, NODE_FIELD, &p->prev);
    if (!n || !(n->text = token_text(p, &p->prev)) || !node_add(p, n, target)) {
        if (!n || !n->text)
            ast_free(target);
        ast_free(n);
        return NULL;
    }
    return n;
}

static const ParseRule rules[] = {
    [TOKEN_NUMBER]   = { number,   NULL,      PREC_NONE },
    [TOKEN_STRING]   = { string,   NULL,      PREC_NONE },
    [TOKEN_NAME]     = { name,     NULL,      PREC_NONE },
    [TOKEN_LPAREN]   = { grouping, call,      PREC_POSTFIX },
    [TOKEN_LBRACKET] = { list,     subscript, PREC_POSTFIX },
    [TOKEN_DOT]      = { NULL,     field,     PREC_POSTFIX },
    [TOKEN_AT_PAREN] = { lambda,   NULL,      PREC_NONE },
    [TOKEN_PLUS]     = { unary,    binary,    PREC_TERM },
    [TOKEN_MINUS]    = { unary,    binary,    PREC_TERM },
    [TOKEN_STAR]     = { NULL,     binary,    PREC_FACTOR },
    [TOKEN_SLASH]    = { NULL,     binary,    PREC_FACTOR },
    [TOKEN_AT]       = { NULL,     binary,    PREC_FACTOR },
    [TOKEN_POW]      = { NULL,     binary,    PREC_POWER },
    [TOKEN_EQ]       = { NULL,     binary,    PREC_COMPARE },
    [TOKEN_NE]       = { NULL,     binary,    PREC_COMPARE },
    [TOKEN_LT]       = { NULL,     binary,    PREC_COMPARE },
    [TOKEN_LE]       = { NULL,     binary,    PREC_COMPARE },
    [TOKEN_GT]       = { NULL,     binary,    PREC_COMPARE },
    [TOKEN_GE]       = { NULL,     binary,    PREC_COMPARE },
    [TOKEN_ERROR]    = { NULL,     NULL,      PREC_NONE },
};

static const ParseRule *rule_of(TokenType t)
{
    static const ParseRule none = { NULL, NULL, PREC_NONE };
    return (size_t)t < sizeof rules / sizeof rules[0] ? &rules[t] : &none;
}

static Node *parse_prec(Parser *p, Prec prec)
{
    if (!enter(p))
        return NULL;
    advance(p);
    PrefixFn prefix = rule_of(p->prev.type)->prefix;
    if (!prefix) {
        char got[48];
        if (p->prev.type == TOKEN_ASSIGN)
            error_at(p, &p->prev, "expected a value, got '='");
        else if (p->prev.type == TOKEN_AT)
            error_at(p, &p->prev, "'@' multiplies matrices (A @ B); a function is written @(x) expr");
        else
            error_at(p, &p->prev, "expected a value, got %s", describe(&p->prev, got, sizeof got));
        p->depth--;
        return NULL;
    }
    Node *left = prefix(p);
    while (left && prec <= rule_of(p->cur.type)->prec) {
        advance(p);
        left = rule_of(p->prev.type)->infix(p, left);
        if (left && left->depth > AST_MAX_CHAIN) {
            /* A flat chain is parsed in a loop, but evaluated (and freed)
             * recursively: bound it. */
            error_at(p, &p->prev, "this expression chains more than %d operations; split it into several "
                                  "statements", AST_MAX_CHAIN);
            if (p->e)
                p->e->code = ERROR_LIMIT;
            ast_free(left);
            left = NULL;
        }
    }
    p->depth--;
    return left;
}

static Node *expression(Parser *p)
{
    return parse_prec(p, PREC_COMPARE);
}

/* --- statements ---------------------------------------------------------- */

static void stmt_free(Stmt *s)
{
    ast_free(s->target);
    ast_free(s->expr);
    mem_free(s->command);
    mem_free(s->arg);
}

void ast_program_free(Program *prog)
{
    for (size_t i = 0; i < prog->n; i++)
        stmt_free(&prog->stmts[i]);
    mem_free(prog->stmts);
    prog->stmts = NULL;
    prog->n = prog->cap = 0;
}

static bool at_statement_end(const Parser *p)
{
    return check(p, TOKEN_EOF) || check(p, TOKEN_NEWLINE) || check(p, TOKEN_SEMICOLON);
}

/* command -> NAME <raw text up to ';' at depth 0, or end of line> */
static bool command(Parser *p, Stmt *s, const Lexer *word_end)
{
    s->kind = STMT_COMMAND;
    if (!(s->command = token_text(p, &p->prev)))
        return false;
    /* A string token starts after its quote; the argument keeps it. */
    const char *a = p->cur.type == TOKEN_STRING ? p->cur.start - 1 : p->cur.start;
    int depth = 0;
    const char *q = a;
    char quote = 0;
    for (; *q && *q != '\n'; q++) {
        if (quote) {
            if (*q == quote)
                quote = 0;
            continue;
        }
        if (*q == '"' || *q == '\'')
            quote = *q;
        else if (*q == '#')
            break;
        else if (*q == '(' || *q == '[')
            depth++;
        else if ((*q == ')' || *q == ']') && depth > 0)
            depth--;
        else if (*q == ';' && depth == 0)
            break;
    }
    const char *end = q;
    while (end > a && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    s->arg_col = p->cur.type == TOKEN_EOF ? p->prev.col + (int)p->prev.len + 1 : p->cur.col;
    s->arg = mem_alloc((size_t)(end - a) + 1);
    if (!s->arg) {
        error_at(p, &p->prev, "out of memory");
        if (p->e)
            p->e->code = ERROR_NOMEM;
        return false;
    }
    memcpy(s->arg, a, (size_t)(end - a));
    s->arg[end - a] = '\0';
    /* Resume lexing after the argument text, which is on the command
     * word's line: the lexer may have gone past its newline already. */
    if (*q == '#')
        while (*q && *q != '\n')
            q++;
    p->lx = *word_end;
    p->lx.cur = q;
    advance(p);
    return true;
}

static bool assignable(const Node *n)
{
    if (n->kind == NODE_NAME)
        return true;
    if (n->kind == NODE_FIELD || n->kind == NODE_INDEX)
        return assignable(n->kids[0]);
    return false;
}

/* statement -> command | target '=' expr | expr */
static bool statement(Parser *p, Stmt *s, CommandTest is_command, void *ctx)
{
    s->line = p->cur.line;
    s->col = p->cur.col;
    s->src_offset = (size_t)(p->cur.start - p->src);
    int kind = check(p, TOKEN_NAME) && is_command ? is_command(ctx, p->cur.start, p->cur.len) : 0;
    if (kind) {
        Lexer save = p->lx;
        Token word = p->cur;
        advance(p);
        TokenType t = p->cur.type;
        bool plain = t == TOKEN_EOF || t == TOKEN_NEWLINE || t == TOKEN_SEMICOLON
                  || t == TOKEN_NAME || t == TOKEN_NUMBER || t == TOKEN_STRING;
        /* `plot(v)` is a call and `format = 3` an assignment; anything else
         * after a command word (a path such as /tmp/a.nd) is its argument. */
        bool is_cmd = plain || (kind == 1 && t != TOKEN_ASSIGN && t != TOKEN_LPAREN);
        if (is_cmd)
            return command(p, s, &save);
        p->lx = save;        /* not a command: re-read the word as a name */
        p->cur = word;
    }
    Node *left = expression(p);
    if (!left)
        return false;
    if (match(p, TOKEN_ASSIGN)) {
        Token eq = p->prev;
        if (!assignable(left)) {
            ast_free(left);
            error_at(p, &eq, "can only assign to a name, a field (net.W1) or an element (a[0])");
            return false;
        }
        s->kind = STMT_ASSIGN;
        s->target = left;
        s->expr = expression(p);
        return s->expr != NULL;
    }
    s->kind = STMT_EXPR;
    s->expr = left;
    return true;
}

bool ast_parse(const char *src, CommandTest is_command, void *ctx, Program *prog, Error *e)
{
    Parser p = { .src = src, .e = e };
    prog->stmts = NULL;
    prog->n = prog->cap = 0;
    lexer_init(&p.lx, src);
    advance(&p);
    while (!p.failed && !check(&p, TOKEN_EOF)) {
        if (match(&p, TOKEN_NEWLINE) || match(&p, TOKEN_SEMICOLON))
            continue;
        if (prog->n == prog->cap) {
            size_t cap = prog->cap ? 2 * prog->cap : 4;
            Stmt *grown = mem_realloc(prog->stmts, cap, sizeof *grown);
            if (!grown) {
                error_at(&p, &p.cur, "out of memory");
                if (e)
                    e->code = ERROR_NOMEM;
                break;
            }
            prog->stmts = grown;
            prog->cap = cap;
        }
        Stmt *s = &prog->stmts[prog->n++];
        memset(s, 0, sizeof *s);
        p.depth = 0;
        if (!statement(&p, s, is_command, ctx))
            break;
        const char *end = p.cur.type == TOKEN_EOF ? src + strlen(src) : p.cur.start;
        s->src_len = (size_t)(end - (src + s->src_offset));
        while (s->src_len && (src[s->src_offset + s->src_len - 1] == '\n' || src[s->src_offset + s->src_len - 1] == ' '))
            s->src_len--;
        if (check(&p, TOKEN_SEMICOLON)) {
            s->quiet = true;
            s->src_len = (size_t)(p.cur.start + 1 - (src + s->src_offset));
            advance(&p);
        } else if (!at_statement_end(&p)) {
            char got[48];
            error_at(&p, &p.cur, "expected the end of the statement, got %s",
                     describe(&p.cur, got, sizeof got));
        }
    }
    if (p.failed) {
        ast_program_free(prog);
        return false;
    }
    return true;
}

Node *ast_parse_expr(const char *src, Error *e)
{
    Parser p = { .src = src, .e = e };
    lexer_init(&p.lx, src);
    advance(&p);
    Node *n = expression(&p);
    while (n && (check(&p, TOKEN_NEWLINE) || check(&p, TOKEN_SEMICOLON)))
        advance(&p);
    if (n && !check(&p, TOKEN_EOF)) {
        char got[48];
        error_at(&p, &p.cur, "expected the end of the expression, got %s", describe(&p.cur, got, sizeof got));
    }
    if (p.failed) {
        ast_free(n);
        return NULL;
    }
    return n;
}

bool ast_is_complete(const char *src)
{
    /* A stack of the open brackets: a closer that does not match the last
     * opener makes the chunk "complete", so that the parser reports the
     * mismatch instead of waiting for more lines forever. */
    char open[AST_MAX_DEPTH + 1];
    int depth = 0;
    char quote = 0;
    const char *last = NULL;    /* last non-space character outside comments */
    for (const char *q = src; *q; q++) {
        if (quote) {
            if (*q == quote || *q == '\n')
                quote = 0;
            continue;
        }
        if (*q == '#') {
            while (q[1] && q[1] != '\n')
                q++;
            continue;
        }
        if (*q == '"' || *q == '\'') {
            quote = *q;
        } else if (*q == '(' || *q == '[') {
            if (depth == AST_MAX_DEPTH)
                return true;        /* too deep: let the parser say so */
            open[depth++] = *q;
        } else if (*q == ')' || *q == ']') {
            if (depth == 0 || open[depth - 1] != (*q == ')' ? '(' : '['))
                return true;
            depth--;
        }
        if (*q != ' ' && *q != '\t' && *q != '\n' && *q != '\r')
            last = q;
    }
    if (last && *last == '\\')
        return false;       /* an explicit line continuation */
    return depth == 0;
}
