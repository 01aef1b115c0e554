/* lexer.h - turns nudge source text into tokens, as Python's tokenizer does.
 *
 * The token stream is CPython's: NAME, NUMBER, STRING and operators, a
 * NEWLINE at the end of each logical line, INDENT and DEDENT when the
 * indentation of a logical line grows or shrinks, and EOF after the DEDENTs
 * that close every open block.  Blank lines and comments make no tokens;
 * inside ( [ { a newline is a space (implicit line joining) and so is a
 * backslash before the end of a line.  So the parser never counts spaces.
 *
 * Names are ASCII letters, digits and '_' plus the Greek letters of Unicode's
 * Greek block and the accented Latin letters (UTF-8), so `η`, `δ2` and `σ`
 * read like the book.  Keywords are NAME tokens; the parser knows them.
 * Columns count characters, not bytes, so that a caret lines up under Greek
 * text.  The lexer borrows the source: tokens point into it.
 *
 * A STRING token covers the whole literal, prefix and quotes included
 * (`f"x = {x}"`, `'''doc'''`); lexer_string_parts says where its text is,
 * and the parser decodes the escapes.
 */
#ifndef NUDGE_LEXER_H
#define NUDGE_LEXER_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/error.h"

typedef enum TokenType {
    TOKEN_EOF,
    TOKEN_NEWLINE,
    TOKEN_INDENT,
    TOKEN_DEDENT,
    TOKEN_NUMBER,
    TOKEN_STRING,
    TOKEN_NAME,
    TOKEN_LPAREN, TOKEN_RPAREN, TOKEN_LBRACKET, TOKEN_RBRACKET, TOKEN_LBRACE, TOKEN_RBRACE,
    TOKEN_COMMA, TOKEN_SEMICOLON, TOKEN_COLON, TOKEN_DOT, TOKEN_AT_PAREN, TOKEN_ARROW,
    TOKEN_ASSIGN,
    TOKEN_PLUS, TOKEN_MINUS, TOKEN_STAR, TOKEN_SLASH, TOKEN_DSLASH, TOKEN_PERCENT, TOKEN_POW, TOKEN_AT,
    TOKEN_EQ, TOKEN_NE, TOKEN_LT, TOKEN_LE, TOKEN_GT, TOKEN_GE,
    TOKEN_AMP, TOKEN_PIPE, TOKEN_CARET, TOKEN_TILDE, TOKEN_LSHIFT, TOKEN_RSHIFT,
    /* augmented assignment: lexer_aug_op gives each one's operator */
    TOKEN_PLUS_ASSIGN, TOKEN_MINUS_ASSIGN, TOKEN_STAR_ASSIGN, TOKEN_SLASH_ASSIGN, TOKEN_DSLASH_ASSIGN,
    TOKEN_PERCENT_ASSIGN, TOKEN_POW_ASSIGN, TOKEN_AT_ASSIGN,
    TOKEN_AMP_ASSIGN, TOKEN_PIPE_ASSIGN, TOKEN_CARET_ASSIGN, TOKEN_LSHIFT_ASSIGN, TOKEN_RSHIFT_ASSIGN,
    TOKEN_ERROR
} TokenType;

/* The deepest indentation the lexer follows (CPython's limit too). */
enum { LEXER_MAX_INDENT = 100 };

typedef struct Token {
    TokenType type;
    const char *start;  /* into the source */
    size_t len;
    int line, col;      /* 1-based; col counts characters */
    double number;      /* TOKEN_NUMBER's value */
    bool is_int;        /* TOKEN_NUMBER written as an integer (no '.', no exponent) */
    bool int_overflow;  /* an integer literal too large for 64 bits */
    bool int_2_63;      /* ... and exactly 2^63: after a minus, the smallest int */
    long long integer;  /* TOKEN_NUMBER's value when is_int */
} Token;

typedef struct Lexer {
    const char *src;
    const char *cur;
    const char *line_start;
    int line;
    const char *col_at;     /* where col was last counted (a cache) */
    int col;
    int indents[LEXER_MAX_INDENT + 1];   /* the open blocks' columns; [0] is 0 */
    int altindents[LEXER_MAX_INDENT + 1];/* the same with tabs as one column (to catch mixed tabs) */
    int nindent;
    int pending;            /* DEDENTs still to give (negative) or an INDENT (1) */
    int brackets;           /* open ( [ { */
    char open[64];          /* the innermost open brackets, for messages */
    bool line_begun;        /* the current logical line's indentation was measured */
    bool need_newline;      /* a token of the current logical line was given: it needs its NEWLINE */
    bool done;              /* EOF was given */
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

/* For a STRING token: its prefix letters (lower-cased into flags), where
 * its text starts and how long it is, between the quotes. */
typedef struct StringParts {
    bool raw, fmt, bytes;
    bool triple;
    const char *text;
    size_t len;
} StringParts;
void lexer_string_parts(const Token *t, StringParts *out);

/* The binary operator of an augmented assignment token (TOKEN_PLUS for
 * TOKEN_PLUS_ASSIGN), or TOKEN_ERROR for any other token. */
TokenType lexer_aug_op(TokenType t);

/* Whether src, as typed so far at a prompt, is a whole statement: every
 * bracket and string closed, no line continuation pending, and a block
 * opened by a line ending in ':' closed by an empty line.  A chunk that
 * cannot become whole (a closing bracket with no opener) counts as whole,
 * so that the parser reports it. */
bool lexer_is_complete(const char *src);

/* Where the first top-level statement of src ends (an offset into src), or
 * 0 when src does not hold a whole statement yet: brackets and strings
 * closed and, for a compound statement, its block followed by a line at
 * column 0 that does not continue it (elif, else, except, finally).  With
 * at_end, the end of src also closes a block.  Script runners use it to run
 * a file one statement at a time. */
size_t lexer_statement_end(const char *src, bool at_end);

#endif
