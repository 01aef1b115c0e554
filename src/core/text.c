/* text.c - a growing string with a sticky failure flag. */
#include "nudge/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nudge/mem.h"

bool text_reserve(Text *t, size_t extra)
{
    if (t->failed)
        return false;
    if (t->len + extra < t->cap)
        return true;
    size_t cap = t->cap ? t->cap : 64;
    while (cap <= t->len + extra)
        cap *= 2;
    char *p = mem_realloc(t->s, cap, 1);
    if (!p) {
        t->failed = true;
        return false;
    }
    t->s = p;
    t->cap = cap;
    return true;
}

void text_append(Text *t, const char *s, size_t n)
{
    if (!text_reserve(t, n))
        return;
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

void text_puts(Text *t, const char *s)
{
    text_append(t, s, strlen(s));
}

void text_pad(Text *t, size_t n)
{
    if (!text_reserve(t, n))
        return;
    memset(t->s + t->len, ' ', n);
    t->len += n;
    t->s[t->len] = '\0';
}

void text_printf(Text *t, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        text_append(t, small, (size_t)n);
        return;
    }
    if (!text_reserve(t, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

char *text_finish(Text *t, Error *e)
{
    if (!text_reserve(t, 0)) {
        mem_free(t->s);
        t->s = NULL;
        error_nomem(e, "text");
        return NULL;
    }
    t->s[t->len] = '\0';
    char *s = t->s;
    t->s = NULL;
    t->len = t->cap = 0;
    return s;
}

void text_put_utf8(Text *t, unsigned long cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    text_append(t, b, n);
}

bool text_control_at(const char *s, size_t n, size_t *len, unsigned *code)
{
    unsigned char c = (unsigned char)s[0];
    *len = 1;
    *code = c;
    if (c < 0x80) {
        if (c == '\t' || c == '\n' || (c == '\r' && n > 1 && s[1] == '\n'))
            return false;
        return c < 0x20 || c == 0x7f;
    }
    size_t need = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (need == 0 || need > n)
        return true;
    for (size_t i = 1; i < need; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            return true;
    *len = need;
    if (need == 2) {
        unsigned cp = (unsigned)(c & 0x1F) << 6 | ((unsigned char)s[1] & 0x3F);
        *code = cp;
        return cp < 0xA0;
    }
    return false;
}

void text_put_visible(Text *t, const char *s, size_t n)
{
    size_t done = 0;    /* s up to here is in t */
    for (size_t i = 0; i < n;) {
        size_t len;
        unsigned code;
        if (text_control_at(s + i, n - i, &len, &code)) {
            text_append(t, s + done, i - done);
            text_printf(t, "\\x%02x", code);
            done = i + len;
        }
        i += len;
    }
    text_append(t, s + done, n - done);
}

void text_free(Text *t)
{
    mem_free(t->s);
    t->s = NULL;
    t->len = t->cap = 0;
    t->failed = false;
}

size_t text_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 30 || lb > 30)
        return 99;
    size_t d[32][32];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
    return d[la][lb];
}
