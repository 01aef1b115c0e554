/* error.c - filling in Error values. */
#include "nudge/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nudge/text.h"

void error_clear(Error *e)
{
    if (!e)
        return;
    e->code = ERROR_NONE;
    e->line = e->col = 0;
    e->shown = false;
    e->msg[0] = '\0';
    e->context[0] = '\0';
    e->who_len = 0;
    e->arg = -1;
    e->param[0] = '\0';
}

/* Shows the control characters of buf from byte `from` on as \xNN
 * (text.h), cutting what no longer fits in its cap bytes: a message
 * carries names, strings and paths from data and files, and whoever shows
 * it prints it to a terminal.  No allocation, so "out of memory" can be
 * set too. */
static void make_visible(char *buf, size_t cap, size_t from)
{
    char raw[ERROR_MSG_MAX];
    size_t n = strlen(buf + from), len;
    unsigned code;
    size_t i = 0;
    while (i < n && !text_control_at(buf + from + i, n - i, &len, &code))
        i += len;
    if (i == n || n >= sizeof raw)
        return;
    memcpy(raw, buf + from, n + 1);
    size_t out = from + i;
    while (i < n) {
        char esc[8];
        const char *piece = raw + i;
        if (text_control_at(raw + i, n - i, &len, &code)) {
            snprintf(esc, sizeof esc, "\\x%02x", code);
            piece = esc;
        }
        size_t plen = piece == esc ? strlen(esc) : len;
        if (out + plen >= cap)
            break;
        memcpy(buf + out, piece, plen);
        out += plen;
        i += len;
    }
    buf[out] = '\0';
}

bool error_set(Error *e, ErrorCode code, const char *fmt, ...)
{
    if (!e)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    make_visible(e->msg, sizeof e->msg, 0);
    e->code = code;
    e->shown = false;
    e->who_len = 0;
    e->arg = -1;
    e->param[0] = '\0';
    return false;
}

bool error_set_in(Error *e, ErrorCode code, const char *who, const char *fmt, ...)
{
    if (!e)
        return false;
    error_set(e, code, "%s: ", who);
    size_t len = strlen(e->msg);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg + len, sizeof e->msg - len, fmt, ap);
    va_end(ap);
    make_visible(e->msg, sizeof e->msg, len);
    e->who_len = (int)len;
    return false;
}

bool error_at_arg(Error *e, int i)
{
    if (e)
        e->arg = i;
    return false;
}

bool error_at_param(Error *e, const char *param)
{
    if (e)
        snprintf(e->param, sizeof e->param, "%s", param);
    return false;
}

const char *error_facts(const Error *e)
{
    return e->msg + e->who_len;
}

bool error_from(const Error *e, const char *who)
{
    size_t n = strlen(who);
    return e->who_len == (int)n + 2 && !strncmp(e->msg, who, n);
}

void error_rename(Error *e, const char *who)
{
    char facts[ERROR_MSG_MAX];
    snprintf(facts, sizeof facts, "%s", error_facts(e));
    int n = snprintf(e->msg, sizeof e->msg, "%s: ", who);
    e->who_len = n > 0 && (size_t)n < sizeof e->msg ? n : 0;
    snprintf(e->msg + e->who_len, sizeof e->msg - (size_t)e->who_len, "%s", facts);
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
    make_visible(outer, sizeof outer, 0);
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
