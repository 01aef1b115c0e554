/* lexer.c - Python's tokenizer for nudge: one token per call, with the
 * INDENT/DEDENT bookkeeping of CPython's Parser/tokenizer.c. */
#include "nudge/lexer.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lexer_init(Lexer *lx, const char *src)
{
    /* A byte-order mark, as some editors write, is not part of the text. */
    if (!strncmp(src, "\xEF\xBB\xBF", 3))
        src += 3;
    memset(lx, 0, sizeof *lx);
    lx->src = lx->cur = lx->line_start = lx->col_at = src;
    lx->line = 1;
    lx->col = 1;
    lx->nindent = -1;       /* the first logical line sets the base column */
}

int lexer_column(const char *line_start, const char *p)
{
    int col = 1;
    for (const char *q = line_start; q < p; q++)
        if (((unsigned char)*q & 0xC0) != 0x80)   /* skip UTF-8 continuation bytes */
            col++;
    return col;
}

/* Decodes one UTF-8 character at p into *cp; returns its length in bytes,
 * or 0 when the bytes are not valid UTF-8. */
static size_t utf8_decode(const char *p, unsigned *cp)
{
    const unsigned char *u = (const unsigned char *)p;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    size_t n = u[0] >= 0xF0 && u[0] < 0xF5 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC2 ? 2 : 0;
    if (n == 0)
        return 0;
    unsigned c = u[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (u[i] & 0x3F);
    }
    *cp = c;
    return n;
}

/* Letters beyond ASCII that may appear in names: the Greek block (η, δ, σ)
 * and the accented Latin letters (ŷ, as the book writes the prediction). */
static size_t letter_len(const char *p)
{
    unsigned c;
    size_t n = utf8_decode(p, &c);
    if (n < 2)
        return 0;
    bool greek = c >= 0x370 && c <= 0x3FF && c != 0x37E && c != 0x387;
    bool latin = c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7;
    return greek || latin ? n : 0;
}

static size_t name_char_len(const char *p, int first)
{
    unsigned char c = (unsigned char)*p;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
        return 1;
    if (!first && c >= '0' && c <= '9')
        return 1;
    return letter_len(p);
}

/* The column of p, counted on from the last token's so that a long line
 * costs linear time, not quadratic. */
static int column_of(Lexer *lx, const char *p)
{
    if (lx->col_at < lx->line_start || lx->col_at > p) {
        lx->col_at = lx->line_start;
        lx->col = 1;
    }
    lx->col += lexer_column(lx->col_at, p) - 1;
    lx->col_at = p;
    return lx->col;
}

static Token make(Lexer *lx, TokenType type, const char *start, size_t len)
{
    Token t = { .type = type, .start = start, .len = len, .line = lx->line, .col = column_of(lx, start) };
    return t;
}

static Token fail(Lexer *lx, const char *at, Error *e, const char *fmt, const char *detail)
{
    Token t = make(lx, TOKEN_ERROR, at, 1);
    error_set(e, ERROR_SYNTAX, fmt, detail);
    if (e) {
        e->line = t.line;
        e->col = t.col;
    }
    return t;
}

static bool is_digit(char c, int base)
{
    if (base == 16)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    return c >= '0' && c < '0' + base;
}

/* Digits of one base with Python's single underscores between them; p
 * moves past them.  False on a misplaced underscore. */
static bool digits(const char **p, int base)
{
    const char *q = *p;
    while (is_digit(*q, base) || (*q == '_' && is_digit(q[1], base) && q > *p))
        q++;
    bool ok = *q != '_';
    *p = q;
    return ok;
}

/* Copies the token's characters without underscores into buf. */
static void strip_underscores(const char *s, size_t n, char *buf, size_t size)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < size; i++)
        if (s[i] != '_')
            buf[k++] = s[i];
    buf[k] = '\0';
}

static Token number(Lexer *lx, const char *start, Error *e)
{
    const char *p = start;
    bool is_int = true;
    int base = 10;
    if (*p == '0' && (p[1] == 'x' || p[1] == 'X' || p[1] == 'o' || p[1] == 'O' || p[1] == 'b' || p[1] == 'B')) {
        base = p[1] == 'x' || p[1] == 'X' ? 16 : p[1] == 'o' || p[1] == 'O' ? 8 : 2;
        p += 2;
        const char *d = p;
        if (*p == '_')
            p++;
        if (!digits(&p, base) || p == d)
            return fail(lx, start, e, "%s", "this number has no digits after its base prefix");
    } else {
        if (!digits(&p, 10))
            return fail(lx, start, e, "%s", "an underscore in a number must sit between two digits");
        if (*p == '.' && !(p[1] == '.' ) && !name_char_len(p + 1, 1)) {
            is_int = false;
            p++;
            if (is_digit(*p, 10) && !digits(&p, 10))
                return fail(lx, start, e, "%s", "an underscore in a number must sit between two digits");
        }
        if (*p == 'e' || *p == 'E') {
            const char *q = p + 1;
            if (*q == '+' || *q == '-')
                q++;
            if (is_digit(*q, 10)) {
                if (!digits(&q, 10))
                    return fail(lx, start, e, "%s", "an underscore in a number must sit between two digits");
                p = q;
                is_int = false;
            }
        }
    }
    if (*p == 'j' || *p == 'J')
        return fail(lx, start, e, "%s", "complex numbers (1j) are not part of nudge");
    if (name_char_len(p, 0)) {
        char what[64];
        size_t n = (size_t)(p - start) + 1;
        snprintf(what, sizeof what, "%.*s", (int)(n < 40 ? n : 40), start);
        return fail(lx, start, e, "'%s' is not a number or a name (names start with a letter)", what);
    }
    if (base == 10 && is_int && start[0] == '0') {
        /* Python refuses 0777 (it once meant octal); 0, 00 and 0_0 are zero. */
        for (const char *q = start; q < p; q++)
            if (*q != '0' && *q != '_')
                return fail(lx, start, e, "%s", "a whole number cannot start with 0, as in Python (leave the zeros out; 0o17 is octal)");
    }
    Token t = make(lx, TOKEN_NUMBER, start, (size_t)(p - start));
    t.is_int = is_int;
    char buf[512];
    strip_underscores(start, t.len, buf, sizeof buf);
    if (base != 10 || is_int) {
        const char *digits_at = base != 10 ? buf + 2 : buf;
        errno = 0;
        unsigned long long u = strtoull(digits_at, NULL, base);
        t.int_overflow = errno == ERANGE || u > (unsigned long long)9223372036854775807LL
                         || (base == 10 && t.len > 400);
        t.int_2_63 = errno != ERANGE && u == (unsigned long long)1 << 63 && t.len <= 400;
        t.integer = t.int_overflow ? 0 : (long long)u;
        t.number = base == 10 ? strtod(buf, NULL) : (double)u;
        if (base != 10 && (errno == ERANGE))
            t.number = (double)u;
    } else {
        /* Plain decimal (checked above), so strtod reads exactly it, however
         * long; overflow gives inf, as Python's float() does. */
        t.number = strtod(buf, NULL);
    }
    lx->cur = p;
    return t;
}

/* The letters of a string prefix (r, f, b, u and two-letter mixes) when a
 * quote follows them at p; 0 otherwise. */
static size_t string_prefix(const char *p)
{
    size_t n = 0;
    bool r = false, f = false, b = false, u = false;
    while (n < 2) {
        char c = (char)(p[n] | 0x20);
        if (c == 'r' && !r)
            r = true;
        else if (c == 'f' && !f && !b && !u)
            f = true;
        else if (c == 'b' && !b && !f && !u)
            b = true;
        else if (c == 'u' && n == 0)
            u = true;
        else
            break;
        n++;
    }
    if (u && n > 1)
        return 0;
    return n > 0 && (p[n] == '"' || p[n] == '\'') ? n : 0;
}

static Token string(Lexer *lx, const char *start, size_t prefix, Error *e)
{
    const char *q = start + prefix;
    char quote = *q;
    bool triple = q[1] == quote && q[2] == quote;
    const char *p = q + (triple ? 3 : 1);
    int line = lx->line;
    const char *line_start = lx->line_start;
    Token t = make(lx, TOKEN_STRING, start, 0);
    for (;;) {
        if (!*p) {
            lx->line = line;
            lx->line_start = line_start;
            return fail(lx, q, e, "%s", triple ? "this triple-quoted string is never closed"
                                               : "this string has no closing quote");
        }
        if (*p == '\\' && p[1]) {
            if (p[1] == '\n') {
                lx->line++;
                lx->line_start = p + 2;
            }
            p += 2;
            continue;
        }
        if (*p == '\n') {
            if (!triple) {
                lx->line = line;
                lx->line_start = line_start;
                return fail(lx, q, e, "%s", "this string has no closing quote on its line");
            }
            lx->line++;
            lx->line_start = p + 1;
        }
        if (*p == quote && (!triple || (p[1] == quote && p[2] == quote))) {
            p += triple ? 3 : 1;
            break;
        }
        p++;
    }
    t.len = (size_t)(p - start);
    lx->cur = p;
    return t;
}

void lexer_string_parts(const Token *t, StringParts *out)
{
    memset(out, 0, sizeof *out);
    const char *p = t->start;
    while (*p != '"' && *p != '\'') {
        char c = (char)(*p | 0x20);
        out->raw |= c == 'r';
        out->fmt |= c == 'f';
        out->bytes |= c == 'b';
        p++;
    }
    char quote = *p;
    out->triple = p[1] == quote && p[2] == quote && (size_t)(p - t->start) + 6 <= t->len;
    size_t q = out->triple ? 3 : 1;
    out->text = p + q;
    out->len = t->len - (size_t)(p - t->start) - 2 * q;
}

TokenType lexer_aug_op(TokenType t)
{
    switch (t) {
    case TOKEN_PLUS_ASSIGN: return TOKEN_PLUS;
    case TOKEN_MINUS_ASSIGN: return TOKEN_MINUS;
    case TOKEN_STAR_ASSIGN: return TOKEN_STAR;
    case TOKEN_SLASH_ASSIGN: return TOKEN_SLASH;
    case TOKEN_DSLASH_ASSIGN: return TOKEN_DSLASH;
    case TOKEN_PERCENT_ASSIGN: return TOKEN_PERCENT;
    case TOKEN_POW_ASSIGN: return TOKEN_POW;
    case TOKEN_AT_ASSIGN: return TOKEN_AT;
    case TOKEN_AMP_ASSIGN: return TOKEN_AMP;
    case TOKEN_PIPE_ASSIGN: return TOKEN_PIPE;
    case TOKEN_CARET_ASSIGN: return TOKEN_CARET;
    case TOKEN_LSHIFT_ASSIGN: return TOKEN_LSHIFT;
    case TOKEN_RSHIFT_ASSIGN: return TOKEN_RSHIFT;
    default: return TOKEN_ERROR;
    }
}

/* At the start of a logical line: skips blank and comment-only lines and
 * measures the indentation of the next one, leaving cur on its first
 * token.  Returns false at the end of the source. */
static bool start_line(Lexer *lx, int *col, int *altcol)
{
    for (;;) {
        const char *p = lx->cur;
        int c = 0, alt = 0;
        for (;; p++) {
            if (*p == ' ') {
                c++;
                alt++;
            } else if (*p == '\t') {
                c = (c / 8 + 1) * 8;
                alt++;
            } else if (*p == '\f') {
                c = alt = 0;
            } else {
                break;
            }
        }
        const char *q = p;
        if (*q == '#')
            while (*q && *q != '\n')
                q++;
        if (*q == '\r' && q[1] == '\n')
            q++;
        if (*q == '\n') {
            lx->cur = q + 1;
            lx->line++;
            lx->line_start = lx->cur;
            continue;
        }
        lx->cur = p;
        if (!*q)
            return false;
        *col = c;
        *altcol = alt;
        return true;
    }
}

/* At the start of a logical line outside brackets: measures its
 * indentation against the open blocks.  Returns true with *out an INDENT, a
 * DEDENT (more may be pending) or an error; false when the line continues
 * the current block (or the source ended), with nothing to give. */
static bool indentation(Lexer *lx, Token *out, Error *e)
{
    int col, alt;
    lx->line_begun = true;
    if (!start_line(lx, &col, &alt))
        return false;
    if (lx->nindent < 0) {
        /* A chunk typed or pasted with a common indent reads as if it had
         * none: its first line sets the base. */
        lx->nindent = 0;
        lx->indents[0] = col;
        lx->altindents[0] = alt;
        return false;
    }
    static const char mixed[] = "this line mixes tabs and spaces in a way that makes its indentation ambiguous; "
                                "indent with spaces only";
    int top = lx->indents[lx->nindent];
    if (col == top) {
        if (alt != lx->altindents[lx->nindent]) {
            *out = fail(lx, lx->cur, e, "%s", mixed);
            return true;
        }
        return false;
    }
    if (col > top) {
        if (lx->nindent == LEXER_MAX_INDENT) {
            *out = fail(lx, lx->cur, e, "%s", "blocks are nested too deeply (more than 100 levels)");
            if (e)
                e->code = ERROR_LIMIT;
            return true;
        }
        if (alt <= lx->altindents[lx->nindent]) {
            *out = fail(lx, lx->cur, e, "%s", mixed);
            return true;
        }
        lx->nindent++;
        lx->indents[lx->nindent] = col;
        lx->altindents[lx->nindent] = alt;
        *out = make(lx, TOKEN_INDENT, lx->cur, 0);
        return true;
    }
    int dedents = 0;
    while (lx->nindent > 0 && col < lx->indents[lx->nindent]) {
        lx->nindent--;
        dedents++;
    }
    if (col != lx->indents[lx->nindent]) {
        *out = fail(lx, lx->cur, e, "%s", "this line's indentation matches no block it could close (unindent "
                                          "to the column an outer line starts at)");
        return true;
    }
    lx->pending = -(dedents - 1);
    *out = make(lx, TOKEN_DEDENT, lx->cur, 0);
    return true;
}

static void note_open(Lexer *lx, char c)
{
    if (lx->brackets < (int)sizeof lx->open)
        lx->open[lx->brackets] = c;
    lx->brackets++;
}

static Token lex_token(Lexer *lx, Error *e);

Token lexer_next(Lexer *lx, Error *e)
{
    Token t = lex_token(lx, e);
    if (t.type != TOKEN_NEWLINE && t.type != TOKEN_INDENT && t.type != TOKEN_DEDENT && t.type != TOKEN_EOF
        && t.type != TOKEN_ERROR)
        lx->need_newline = true;
    return t;
}

static Token lex_token(Lexer *lx, Error *e)
{
    if (lx->pending < 0) {
        lx->pending++;
        return make(lx, TOKEN_DEDENT, lx->cur, 0);
    }
    if (lx->done)
        return make(lx, TOKEN_EOF, lx->cur, 0);
    if (!lx->line_begun && lx->brackets == 0) {
        Token t;
        if (indentation(lx, &t, e))
            return t;
    }
    for (;;) {
        while (*lx->cur == ' ' || *lx->cur == '\t' || *lx->cur == '\r' || *lx->cur == '\f')
            lx->cur++;
        if (*lx->cur == '#')
            while (*lx->cur && *lx->cur != '\n')
                lx->cur++;
        if (*lx->cur == '\\' && (lx->cur[1] == '\n' || (lx->cur[1] == '\r' && lx->cur[2] == '\n'))) {
            lx->cur += lx->cur[1] == '\n' ? 2 : 3;   /* a line continuation */
            lx->line++;
            lx->line_start = lx->cur;
            continue;
        }
        if (*lx->cur == '\n' && lx->brackets > 0) {
            lx->cur++;          /* inside brackets a newline is a space */
            lx->line++;
            lx->line_start = lx->cur;
            continue;
        }
        break;
    }
    const char *s = lx->cur;
    char c = *s;
    if (c == '\0') {
        if (lx->need_newline) {
            /* The last line ends without '\n': end it first. */
            lx->need_newline = false;
            return make(lx, TOKEN_NEWLINE, s, 0);
        }
        /* Close every open block, then the end. */
        lx->done = true;
        if (lx->nindent > 0) {
            lx->pending = -(lx->nindent - 1);
            lx->nindent = 0;
            return make(lx, TOKEN_DEDENT, s, 0);
        }
        return make(lx, TOKEN_EOF, s, 0);
    }
    if (c == '\n') {
        Token t = make(lx, TOKEN_NEWLINE, s, 1);
        lx->cur++;
        lx->line++;
        lx->line_start = lx->cur;
        lx->line_begun = false;
        lx->need_newline = false;
        return t;
    }
    if ((c >= '0' && c <= '9') || (c == '.' && s[1] >= '0' && s[1] <= '9'))
        return number(lx, s, e);
    size_t prefix = string_prefix(s);
    if (prefix)
        return string(lx, s, prefix, e);
    if (name_char_len(s, 1)) {
        const char *p = s;
        size_t n;
        while ((n = name_char_len(p, 0)) > 0)
            p += n;
        lx->cur = p;
        return make(lx, TOKEN_NAME, s, (size_t)(p - s));
    }
    if (c == '"' || c == '\'')
        return string(lx, s, 0, e);

    TokenType type = TOKEN_ERROR;
    size_t len = 1;
#define TWO(ch, t2, t1) (s[1] == (ch) ? (len = 2, (t2)) : (t1))
    switch (c) {
    case '(': type = TOKEN_LPAREN; note_open(lx, '('); break;
    case '[': type = TOKEN_LBRACKET; note_open(lx, '['); break;
    case '{': type = TOKEN_LBRACE; note_open(lx, '{'); break;
    case ')': type = TOKEN_RPAREN; break;
    case ']': type = TOKEN_RBRACKET; break;
    case '}': type = TOKEN_RBRACE; break;
    case ',': type = TOKEN_COMMA; break;
    case ';': type = TOKEN_SEMICOLON; break;
    case ':': type = TOKEN_COLON; break;
    case '.': type = TOKEN_DOT; break;
    case '~': type = TOKEN_TILDE; break;
    case '+': type = TWO('=', TOKEN_PLUS_ASSIGN, TOKEN_PLUS); break;
    case '-':
        type = s[1] == '>' ? (len = 2, TOKEN_ARROW) : TWO('=', TOKEN_MINUS_ASSIGN, TOKEN_MINUS);
        break;
    case '%': type = TWO('=', TOKEN_PERCENT_ASSIGN, TOKEN_PERCENT); break;
    case '&': type = TWO('=', TOKEN_AMP_ASSIGN, TOKEN_AMP); break;
    case '|': type = TWO('=', TOKEN_PIPE_ASSIGN, TOKEN_PIPE); break;
    case '^': type = TWO('=', TOKEN_CARET_ASSIGN, TOKEN_CARET); break;
    case '/':
        if (s[1] == '/')
            type = s[2] == '=' ? (len = 3, TOKEN_DSLASH_ASSIGN) : (len = 2, TOKEN_DSLASH);
        else
            type = TWO('=', TOKEN_SLASH_ASSIGN, TOKEN_SLASH);
        break;
    case '*':
        if (s[1] == '*')
            type = s[2] == '=' ? (len = 3, TOKEN_POW_ASSIGN) : (len = 2, TOKEN_POW);
        else
            type = TWO('=', TOKEN_STAR_ASSIGN, TOKEN_STAR);
        break;
    case '@':
        if (s[1] == '(') {
            type = TOKEN_AT_PAREN;
            len = 2;
            note_open(lx, '(');
        } else {
            type = TWO('=', TOKEN_AT_ASSIGN, TOKEN_AT);
        }
        break;
    case '=': type = TWO('=', TOKEN_EQ, TOKEN_ASSIGN); break;
    case '!':
        if (s[1] == '=') {
            type = TOKEN_NE;
            len = 2;
        }
        break;
    case '<':
        if (s[1] == '<')
            type = s[2] == '=' ? (len = 3, TOKEN_LSHIFT_ASSIGN) : (len = 2, TOKEN_LSHIFT);
        else
            type = TWO('=', TOKEN_LE, TOKEN_LT);
        break;
    case '>':
        if (s[1] == '>')
            type = s[2] == '=' ? (len = 3, TOKEN_RSHIFT_ASSIGN) : (len = 2, TOKEN_RSHIFT);
        else
            type = TWO('=', TOKEN_GE, TOKEN_GT);
        break;
    default:
        break;
    }
#undef TWO
    if ((type == TOKEN_RPAREN || type == TOKEN_RBRACKET || type == TOKEN_RBRACE) && lx->brackets > 0)
        lx->brackets--;
    if (type == TOKEN_ERROR) {
        char what[64];
        unsigned char u = (unsigned char)c;
        unsigned cp;
        size_t n = utf8_decode(s, &cp);
        if (c == '\'' || c == '"')
            snprintf(what, sizeof what, "quote");
        else if (c == '!')
            snprintf(what, sizeof what, "'!' (Python writes 'not')");
        else if (u >= 0x20 && u < 0x7f)
            snprintf(what, sizeof what, "'%c'", c);
        else if (u < 0x20 || u == 0x7f)
            snprintf(what, sizeof what, "control character (byte 0x%02X)", u);
        else if (n > 1)
            snprintf(what, sizeof what, "character '%.*s' (U+%04X)", (int)n, s, cp);
        else
            snprintf(what, sizeof what, "byte 0x%02X (this is not UTF-8 text)", u);
        return fail(lx, s, e, "unexpected %s", what);
    }
    lx->cur = s + len;
    return make(lx, type, s, len);
}

const char *lexer_token_name(TokenType type)
{
    static const char *const names[] = {
        [TOKEN_EOF] = "end of input", [TOKEN_NEWLINE] = "end of line",
        [TOKEN_INDENT] = "an indented block", [TOKEN_DEDENT] = "the end of a block",
        [TOKEN_NUMBER] = "a number", [TOKEN_STRING] = "a string", [TOKEN_NAME] = "a name",
        [TOKEN_LPAREN] = "'('", [TOKEN_RPAREN] = "')'", [TOKEN_LBRACKET] = "'['",
        [TOKEN_RBRACKET] = "']'", [TOKEN_LBRACE] = "'{'", [TOKEN_RBRACE] = "'}'",
        [TOKEN_COMMA] = "','", [TOKEN_SEMICOLON] = "';'",
        [TOKEN_COLON] = "':'", [TOKEN_DOT] = "'.'", [TOKEN_AT_PAREN] = "'@('", [TOKEN_ARROW] = "'->'",
        [TOKEN_ASSIGN] = "'='", [TOKEN_PLUS] = "'+'", [TOKEN_MINUS] = "'-'",
        [TOKEN_STAR] = "'*'", [TOKEN_SLASH] = "'/'", [TOKEN_DSLASH] = "'//'", [TOKEN_PERCENT] = "'%'",
        [TOKEN_POW] = "'**'", [TOKEN_AT] = "'@'",
        [TOKEN_EQ] = "'=='", [TOKEN_NE] = "'!='", [TOKEN_LT] = "'<'", [TOKEN_LE] = "'<='",
        [TOKEN_GT] = "'>'", [TOKEN_GE] = "'>='",
        [TOKEN_AMP] = "'&'", [TOKEN_PIPE] = "'|'", [TOKEN_CARET] = "'^'", [TOKEN_TILDE] = "'~'",
        [TOKEN_LSHIFT] = "'<<'", [TOKEN_RSHIFT] = "'>>'",
        [TOKEN_PLUS_ASSIGN] = "'+='", [TOKEN_MINUS_ASSIGN] = "'-='", [TOKEN_STAR_ASSIGN] = "'*='",
        [TOKEN_SLASH_ASSIGN] = "'/='", [TOKEN_DSLASH_ASSIGN] = "'//='", [TOKEN_PERCENT_ASSIGN] = "'%='",
        [TOKEN_POW_ASSIGN] = "'**='", [TOKEN_AT_ASSIGN] = "'@='", [TOKEN_AMP_ASSIGN] = "'&='",
        [TOKEN_PIPE_ASSIGN] = "'|='", [TOKEN_CARET_ASSIGN] = "'^='", [TOKEN_LSHIFT_ASSIGN] = "'<<='",
        [TOKEN_RSHIFT_ASSIGN] = "'>>='",
        [TOKEN_ERROR] = "an error",
    };
    return names[type];
}

/* --- chunks ---------------------------------------------------------------- */

/* A scan of source by logical lines, for the REPL and script runners, which
 * must know where a statement ends before parsing it. */
typedef struct LineScan {
    const char *p;          /* where the next physical line starts */
    int depth;              /* open brackets */
    bool broken;            /* a closer without its opener: let the parser say so */
} LineScan;

typedef struct LogicalLine {
    const char *start;      /* its first character (after the indentation) */
    const char *end;        /* past its last character, newline included */
    int indent;             /* its first physical line's indentation */
    bool blank;             /* only spaces or a comment */
    bool colon;             /* its last token is ':' */
    bool open;              /* it ends inside a bracket, string or after a backslash */
} LogicalLine;

static bool scan_line(LineScan *s, LogicalLine *out)
{
    const char *p = s->p;
    if (!*p)
        return false;
    int indent = 0;
    while (*p == ' ' || *p == '\t') {
        indent = *p == '\t' ? (indent / 8 + 1) * 8 : indent + 1;
        p++;
    }
    out->start = p;
    out->indent = indent;
    out->blank = true;
    out->colon = false;
    out->open = false;
    char last = 0;
    for (;;) {
        char c = *p;
        if (!c)
            break;
        if (c == '#') {
            while (*p && *p != '\n')
                p++;
            continue;
        }
        if (c == '\\' && (p[1] == '\n' || !p[1])) {
            p += p[1] ? 2 : 1;
            if (!*p) {
                out->open = true;
                break;
            }
            continue;
        }
        if (c == '\n') {
            p++;
            if (s->depth > 0)
                continue;
            break;
        }
        size_t pre = string_prefix(p);
        if (c == '"' || c == '\'' || pre) {
            const char *q = p + pre;
            char quote = *q;
            bool triple = q[1] == quote && q[2] == quote;
            q += triple ? 3 : 1;
            for (;;) {
                if (!*q) {
                    out->open = true;
                    break;
                }
                if (*q == '\\' && q[1]) {
                    q += 2;
                    continue;
                }
                if (*q == '\n' && !triple)
                    break;          /* unclosed: the parser says so */
                if (*q == quote && (!triple || (q[1] == quote && q[2] == quote))) {
                    q += triple ? 3 : 1;
                    break;
                }
                q++;
            }
            p = q;
            out->blank = false;
            last = '"';
            if (out->open)
                break;
            continue;
        }
        if (c == '(' || c == '[' || c == '{')
            s->depth++;
        else if (c == ')' || c == ']' || c == '}') {
            if (s->depth == 0)
                s->broken = true;
            else
                s->depth--;
        }
        if (c != ' ' && c != '\t' && c != '\r') {
            out->blank = false;
            last = c;
        }
        p++;
    }
    if (s->depth > 0)
        out->open = true;
    out->colon = last == ':';
    out->end = p;
    s->p = p;
    return true;
}

static bool word_at(const char *p, const char *w)
{
    size_t n = strlen(w);
    return !strncmp(p, w, n) && !name_char_len(p + n, 0);
}

/* A line that starts a compound statement, whose block may follow. */
static bool opens_block(const LogicalLine *l)
{
    static const char *const words[] = { "if", "for", "while", "def", "try", "with", "class", "async" };
    if (l->colon)
        return true;
    const char *p = l->start;
    if (word_at(p, "watch")) {
        p += 5;
        while (*p == ' ' || *p == '\t')
            p++;
    }
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (word_at(p, words[i]))
            return true;
    return false;
}

static bool continues_block(const LogicalLine *l)
{
    return word_at(l->start, "elif") || word_at(l->start, "else") || word_at(l->start, "except")
        || word_at(l->start, "finally");
}

bool lexer_is_complete(const char *src)
{
    LineScan s = { src, 0, false };
    LogicalLine l;
    bool first = true, block = false, last_blank = false;
    const char *last_end = src;
    while (scan_line(&s, &l)) {
        if (s.broken)
            return true;
        if (l.open)
            return false;
        if (first && !l.blank) {
            block = opens_block(&l);
            first = false;
        }
        last_blank = l.blank && l.start[0] != '#';
        last_end = l.end;
    }
    if (first)
        return true;        /* nothing but blanks */
    if (!block)
        return true;
    /* A block ends with an empty line, as in Python's own prompt. */
    return last_blank && last_end > src && last_end[-1] == '\n';
}

size_t lexer_statement_end(const char *src, bool at_end)
{
    LineScan s = { src, 0, false };
    LogicalLine l;
    bool started = false;
    int base = 0;
    const char *end = NULL;     /* where the statement's last line ends */
    while (scan_line(&s, &l)) {
        if (l.blank)
            continue;
        if (started && l.indent <= base && !continues_block(&l))
            return (size_t)(end - src);     /* this line starts the next statement */
        if (l.open && !s.broken)
            return at_end ? (size_t)(l.end - src) : 0;
        if (!started) {
            started = true;
            base = l.indent;
        }
        end = l.end;
        if (s.broken)
            return (size_t)(end - src);
    }
    return at_end ? strlen(src) : 0;
}
