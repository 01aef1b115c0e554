/* error.h - the error value that library code returns instead of printing.
 *
 * Library functions never print and never exit: a failing call fills an
 * Error (when the caller passed one) and returns false or NULL.  The caller
 * decides how to show it.  Messages name the function and the facts, e.g.
 * "dot: lengths differ (3 and 2)".
 */
#ifndef NUDGE_ERROR_H
#define NUDGE_ERROR_H

#include <stdbool.h>
#include <stddef.h>

typedef enum ErrorCode {
    ERROR_NONE = 0,
    ERROR_SHAPE,    /* operands whose shapes do not fit together */
    ERROR_ARG,      /* a bad argument value (negative size, bad seed, ...) */
    ERROR_NOMEM,    /* an allocation failed */
    ERROR_LIMIT,    /* a size or depth limit was reached */
    ERROR_IO,       /* a file could not be read or written */
    ERROR_SYNTAX,   /* the parser could not read a statement */
    ERROR_NAME,     /* an unknown name */
    ERROR_TYPE,     /* a value of the wrong kind */
    ERROR_NUMERIC,  /* a computation went non-finite where it must not */
    ERROR_INTERRUPT /* the user pressed Ctrl-C */
} ErrorCode;

enum { ERROR_MSG_MAX = 320 };

enum { ERROR_CONTEXT_MAX = 160 };

typedef struct Error {
    ErrorCode code;
    int line, col;          /* 1-based source position, 0 when unknown */
    bool shown;             /* already shown to the user (a nested script's error) */
    char msg[ERROR_MSG_MAX];
    /* The parts of the message a caller may act on, so that none has to
     * read the prose: msg starts with who failed ("mlp: ") for its first
     * who_len bytes (0: no name); arg is the argument at fault (0 the
     * first, -1 not known); param the keyword or option at fault
     * ("momentum"), or "". */
    int who_len;
    int arg;
    char param[24];
    /* Where it happened beyond the position, outermost first: "for loop,
     * i = 37" or "in sigmoid(), line 2"; empty when there is nothing to add. */
    char context[ERROR_CONTEXT_MAX];
} Error;

/* Resets e (may be NULL) to "no error". */
void error_clear(Error *e);

/* Fills e (may be NULL) with code and a printf-style message; returns false
 * so that callers can write `return error_set(e, ...);`.  Control
 * characters in the message (a string or a file name it quotes) are kept
 * as \xNN (text_put_visible), so any message is safe to print. */
bool error_set(Error *e, ErrorCode code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* The same, naming who failed: the message reads "who: ...", and
 * error_facts gives the part after it. */
bool error_set_in(Error *e, ErrorCode code, const char *who, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* The message without the name of who failed: "vectors have different
 * lengths (3 and 2)" of "dot: vectors have different lengths (3 and 2)". */
const char *error_facts(const Error *e);
/* Whether the message names who as the one that failed. */
bool error_from(const Error *e, const char *who);
/* Makes who the one the message names ("@" for "matmul", a builtin for
 * "tensor"); a message with no name gets one.  Keeps the facts, code,
 * argument and position. */
void error_rename(Error *e, const char *who);

/* Marks the error as about argument i (0 the first) or the keyword or
 * option param, for the caller to point at; return false. */
bool error_at_arg(Error *e, int i);
bool error_at_param(Error *e, const char *param);

/* Sets the "out of memory" error (ERROR_NOMEM); returns false.  The
 * message is the same everywhere: `who`, the function that ran out, is
 * for reading the call, not shown. */
bool error_nomem(Error *e, const char *who);

/* Adds an outer layer of context ("for loop, i = 3") in front of what e
 * has; returns false. */
bool error_add_context(Error *e, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The error as shown: its context and message, "for loop, i = 3: dot:
 * vectors have different lengths (3 and 2)".  Returns buf. */
const char *error_text(const Error *e, char *buf, size_t n);

#endif
