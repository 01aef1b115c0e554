/* lexer.c - the scanner: one token per call, clox style. */
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
    lx->src = lx->cur = lx->line_start = lx->col_at = src;
    lx->line = 1;
    lx->col = 1;
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
    Token t = { type, start, len, lx->line, column_of(lx, start), 0 };
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

static Token number(Lexer *lx, const char *start, Error *e)
{
    const char *p = start;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
        p++;
        while (*p >= '0' && *p <= '9')
            p++;
    } else if (*p == '.' && !name_char_len(p + 1, 1)) {
        p++;                /* "2." as numpy reads it, but not "a2.T" */
    }
    if (*p == 'e' || *p == 'E') {
        const char *q = p + 1;
        if (*q == '+' || *q == '-')
            q++;
        if (*q >= '0' && *q <= '9') {
            while (*q >= '0' && *q <= '9')
                q++;
            p = q;
        }
    }
    if (name_char_len(p, 0)) {
        char what[64];
        size_t n = (size_t)(p - start) + 1;
        snprintf(what, sizeof what, "%.*s", (int)(n < 40 ? n : 40), start);
        return fail(lx, start, e, "'%s' is not a number or a name (names start with a letter)", what);
    }
    Token t = make(lx, TOKEN_NUMBER, start, (size_t)(p - start));
    /* The token is plain decimal (checked above), so strtod reads exactly
     * it, however long; overflow gives inf, as numpy's float() does. */
    errno = 0;
    t.number = strtod(start, NULL);
    lx->cur = p;
    return t;
}

static Token string(Lexer *lx, const char *start, Error *e)
{
    char quote = *start;
    const char *p = start + 1;
    while (*p && *p != quote && *p != '\n')
        p++;
    if (*p != quote)
        return fail(lx, start, e, "%s", "this string has no closing quote");
    Token t = make(lx, TOKEN_STRING, start + 1, (size_t)(p - start - 1));
    t.col--;            /* the column of the opening quote */
    lx->cur = p + 1;
    return t;
}

Token lexer_next(Lexer *lx, Error *e)
{
    for (;;) {
        while (*lx->cur == ' ' || *lx->cur == '\t' || *lx->cur == '\r')
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
        break;
    }
    const char *s = lx->cur;
    char c = *s;
    if (c == '\0')
        return make(lx, TOKEN_EOF, s, 0);
    if (c == '\n') {
        Token t = make(lx, TOKEN_NEWLINE, s, 1);
        lx->cur++;
        lx->line++;
        lx->line_start = lx->cur;
        return t;
    }
    if ((c >= '0' && c <= '9') || (c == '.' && s[1] >= '0' && s[1] <= '9'))
        return number(lx, s, e);
    if (name_char_len(s, 1)) {
        const char *p = s;
        size_t n;
        while ((n = name_char_len(p, 0)) > 0)
            p += n;
        lx->cur = p;
        return make(lx, TOKEN_NAME, s, (size_t)(p - s));
    }
    if (c == '"' || c == '\'')
        return string(lx, s, e);

    TokenType type = TOKEN_ERROR;
    size_t len = 1;
    switch (c) {
    case '(': type = TOKEN_LPAREN; break;
    case ')': type = TOKEN_RPAREN; break;
    case '[': type = TOKEN_LBRACKET; break;
    case ']': type = TOKEN_RBRACKET; break;
    case ',': type = TOKEN_COMMA; break;
    case ';': type = TOKEN_SEMICOLON; break;
    case ':': type = TOKEN_COLON; break;
    case '.': type = TOKEN_DOT; break;
    case '+': type = TOKEN_PLUS; break;
    case '-': type = TOKEN_MINUS; break;
    case '/': type = TOKEN_SLASH; break;
    case '*':
        type = s[1] == '*' ? TOKEN_POW : TOKEN_STAR;
        len = s[1] == '*' ? 2 : 1;
        break;
    case '@':
        type = s[1] == '(' ? TOKEN_AT_PAREN : TOKEN_AT;
        len = s[1] == '(' ? 2 : 1;
        break;
    case '=':
        type = s[1] == '=' ? TOKEN_EQ : TOKEN_ASSIGN;
        len = s[1] == '=' ? 2 : 1;
        break;
    case '!':
        if (s[1] == '=') {
            type = TOKEN_NE;
            len = 2;
        }
        break;
    case '<':
        type = s[1] == '=' ? TOKEN_LE : TOKEN_LT;
        len = s[1] == '=' ? 2 : 1;
        break;
    case '>':
        type = s[1] == '=' ? TOKEN_GE : TOKEN_GT;
        len = s[1] == '=' ? 2 : 1;
        break;
    default:
        break;
    }
    if (type == TOKEN_ERROR) {
        char what[64];
        unsigned char u = (unsigned char)c;
        unsigned cp;
        size_t n = utf8_decode(s, &cp);
        if (u >= 0x20 && u < 0x7f)
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
        [TOKEN_NUMBER] = "a number", [TOKEN_STRING] = "a string", [TOKEN_NAME] = "a name",
        [TOKEN_LPAREN] = "'('", [TOKEN_RPAREN] = "')'", [TOKEN_LBRACKET] = "'['",
        [TOKEN_RBRACKET] = "']'", [TOKEN_COMMA] = "','", [TOKEN_SEMICOLON] = "';'",
        [TOKEN_COLON] = "':'", [TOKEN_DOT] = "'.'", [TOKEN_AT_PAREN] = "'@('",
        [TOKEN_ASSIGN] = "'='", [TOKEN_PLUS] = "'+'", [TOKEN_MINUS] = "'-'",
        [TOKEN_STAR] = "'*'", [TOKEN_SLASH] = "'/'", [TOKEN_POW] = "'**'", [TOKEN_AT] = "'@'",
        [TOKEN_EQ] = "'=='", [TOKEN_NE] = "'!='", [TOKEN_LT] = "'<'", [TOKEN_LE] = "'<='",
        [TOKEN_GT] = "'>'", [TOKEN_GE] = "'>='", [TOKEN_ERROR] = "an error",
    };
    return names[type];
}
