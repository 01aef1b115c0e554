/* error.c - filling in Error values. */
#include "nudge/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void error_clear(Error *e)
{
    if (!e)
        return;
    e->code = ERROR_NONE;
    e->line = e->col = 0;
    e->shown = false;
    e->msg[0] = '\0';
    e->context[0] = '\0';
}

bool error_set(Error *e, ErrorCode code, const char *fmt, ...)
{
    if (!e)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->code = code;
    e->shown = false;
    return false;
}

bool error_nomem(Error *e, const char *who)
{
    (void)who;
    /* The message is the same everywhere so that tests and users see one
     * spelling; `who` is kept for debugging builds. */
    return error_set(e, ERROR_NOMEM, "out of memory");
}

/* Appends s to buf (of size n, holding len bytes), cutting what does not fit. */
static size_t append(char *buf, size_t n, size_t len, const char *s)
{
    while (*s && len + 1 < n)
        buf[len++] = *s++;
    buf[len] = '\0';
    return len;
}

bool error_add_context(Error *e, const char *fmt, ...)
{
    if (!e)
        return false;
    char outer[ERROR_CONTEXT_MAX], inner[ERROR_CONTEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(outer, sizeof outer, fmt, ap);
    va_end(ap);
    memcpy(inner, e->context, sizeof inner);
    size_t len = append(e->context, sizeof e->context, 0, outer);
    if (inner[0]) {
        len = append(e->context, sizeof e->context, len, ": ");
        append(e->context, sizeof e->context, len, inner);
    }
    return false;
}

const char *error_text(const Error *e, char *buf, size_t n)
{
    if (e->context[0])
        snprintf(buf, n, "%s: %s", e->context, e->msg);
    else
        snprintf(buf, n, "%s", e->msg);
    return buf;
}
