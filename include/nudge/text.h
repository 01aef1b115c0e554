/* text.h - a growing string for building output.
 *
 * Appends never fail loudly: the first failed allocation makes the Text
 * "failed" and later appends do nothing, so a builder can append freely and
 * check once at the end with text_finish.  Start with `Text t = {0};`.
 */
#ifndef NUDGE_TEXT_H
#define NUDGE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/error.h"

typedef struct Text {
    char *s;        /* NUL-terminated once anything was appended; owned */
    size_t len, cap;
    bool failed;    /* an allocation failed; later appends are ignored */
} Text;

bool text_reserve(Text *t, size_t extra);
void text_append(Text *t, const char *s, size_t n);
void text_puts(Text *t, const char *s);
/* n spaces. */
void text_pad(Text *t, size_t n);
void text_printf(Text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Hands the string to the caller (free with mem_free), or frees it and sets
 * "out of memory" in *e.  An empty text still gives an empty string. */
char *text_finish(Text *t, Error *e);

/* Frees the text without handing it over. */
void text_free(Text *t);

/* The Levenshtein distance between two short strings (99 when either is
 * longer than 30 bytes), for "did you mean" hints. */
size_t text_edit_distance(const char *a, const char *b);
/* Appends code point cp (at most 0x10FFFF) in UTF-8. */
void text_put_utf8(Text *t, unsigned long cp);

/* Whether the character at s (n > 0 bytes left) is one a terminal acts on
 * instead of showing: a C0 control other than tab, newline and a carriage
 * return that ends a line ("\r\n"), DEL, a C1 control (U+0080 to U+009F:
 * U+009B is CSI to some terminals), or a byte that starts no UTF-8
 * character.  *len is the character's length in bytes, and *code, when it
 * is one, the number to show it by as \xNN. */
bool text_control_at(const char *s, size_t n, size_t *len, unsigned *code);

/* Appends n bytes of s with each such character shown as \xNN, as a
 * string's repr shows it: text from data or files printed this way cannot
 * move the cursor, retitle the window or switch the screen. */
void text_put_visible(Text *t, const char *s, size_t n);

#endif
