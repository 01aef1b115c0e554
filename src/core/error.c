/* error.c - filling in Error values. */
#include "nudge/error.h"

#include <stdarg.h>
#include <stdio.h>

void error_clear(Error *e)
{
    if (!e)
        return;
    e->code = ERROR_NONE;
    e->line = e->col = 0;
    e->shown = false;
    e->msg[0] = '\0';
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
