/* lexer.h - turns nudge source text into tokens.
 *
 * Names are ASCII letters, digits and '_' plus the Greek letters of Unicode's
 * Greek block (UTF-8), so `η`, `δ2` and `σ` read like the book.  Columns are
 * counted in characters, not bytes, so that a caret lines up under Greek
 * text.  The lexer borrows the source: tokens point into it.
 */
#ifndef NUDGE_LEXER_H
#define NUDGE_LEXER_H

#include <stddef.h>

#include "nudge/error.h"

typedef enum TokenType {
    TOKEN_EOF,
    TOKEN_NEWLINE,
    TOKEN_NUMBER,
    TOKEN_STRING,
    TOKEN_NAME,
    TOKEN_LPAREN, TOKEN_RPAREN, TOKEN_LBRACKET, TOKEN_RBRACKET,
    TOKEN_COMMA, TOKEN_SEMICOLON, TOKEN_COLON, TOKEN_DOT, TOKEN_AT_PAREN,
    TOKEN_ASSIGN,
    TOKEN_PLUS, TOKEN_MINUS, TOKEN_STAR, TOKEN_SLASH, TOKEN_POW, TOKEN_AT,
    TOKEN_EQ, TOKEN_NE, TOKEN_LT, TOKEN_LE, TOKEN_GT, TOKEN_GE,
    TOKEN_ERROR
} TokenType;

typedef struct Token {
    TokenType type;
    const char *start;  /* into the source; a string's text excludes the quotes */
    size_t len;
    int line, col;      /* 1-based; col counts characters */
    double number;      /* TOKEN_NUMBER's value */
} Token;

typedef struct Lexer {
    const char *src;
    const char *cur;
    const char *line_start;
    int line;
    const char *col_at;     /* where col was last counted (a cache) */
    int col;
} Lexer;

/* Starts lexing src (NUL-terminated, borrowed for the lexer's lifetime). */
void lexer_init(Lexer *lx, const char *src);

/* The next token.  On bad input returns TOKEN_ERROR with *e filled in,
 * position included. */
Token lexer_next(Lexer *lx, Error *e);

/* The character column of byte p in the line that starts at line_start. */
int lexer_column(const char *line_start, const char *p);

/* How a token type reads in messages: "')'", "a number", "end of line". */
const char *lexer_token_name(TokenType type);

#endif
