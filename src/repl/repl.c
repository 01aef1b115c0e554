/* repl.c - the prompt loop, the stream runner and error display. */
#include "nudge/repl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "nudge/ast.h"
#include "nudge/clock.h"
#include "nudge/lexer.h"
#include "nudge/line.h"
#include "nudge/mem.h"
#include "nudge/text.h"

bool recorder_open(Recorder *r, const char *path, int width, int height, Error *e)
{
    memset(r, 0, sizeof *r);
    if (!files_atomic_begin(&r->file, path, "--record", e))
        return false;
    r->open = true;
    Text head = {0};
    text_printf(&head, "{\"version\": 2, \"width\": %d, \"height\": %d, \"timestamp\": %lld, "
                       "\"env\": {\"TERM\": \"xterm-256color\", \"SHELL\": \"/bin/sh\"}, \"title\": \"nudge\"}\n",
                width, height, (long long)time(NULL));
    if (head.failed) {
        files_atomic_abort(&r->file);
        memset(r, 0, sizeof *r);
        return error_nomem(e, "--record");
    }
    files_atomic_write(&r->file, head.s, head.len);
    text_free(&head);
    r->start = clock_seconds();
    return true;
}

/* Appends one event: [seconds, "kind", "text"], text escaped for JSON;
 * with crlf a bare newline is written as a terminal's "\r\n". */
static void put_event(Recorder *r, char kind, const char *text, size_t len, bool crlf)
{
    if (!r || !r->open || !len)
        return;
    Text ev = {0};
    text_printf(&ev, "[%.6f, \"%c\", \"", clock_seconds() - r->start, kind);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '"' || c == '\\')
            text_printf(&ev, "\\%c", c);
        else if (c == '\n' && crlf)
            text_puts(&ev, "\\r\\n");
        else if (c < 0x20 || c == 0x7f)
            text_printf(&ev, "\\u%04x", c);
        else
            text_append(&ev, (const char *)&c, 1);
    }
    text_puts(&ev, "\"]\n");
    if (ev.failed)
        r->file.err = r->file.err ? r->file.err : ENOMEM;
    else
        files_atomic_write(&r->file, ev.s, ev.len);
    text_free(&ev);
}

void recorder_output(Recorder *r, const char *text, size_t len)
{
    put_event(r, 'o', text, len, true);     /* a terminal's newline, as a recording replays it */
}

void recorder_event(Recorder *r, char kind, const char *text, size_t len)
{
    put_event(r, kind, text, len, false);
}

bool recorder_close(Recorder *r, Error *e)
{
    if (!r->open)
        return true;
    bool ok = files_atomic_end(&r->file, e);
    memset(r, 0, sizeof *r);
    return ok;
}

void repl_write(void *ctx, const char *text, size_t len)
{
    ReplOutput *o = ctx;
    if (fwrite(text, 1, len, stdout) != len && o && !o->error)
        o->error = errno ? errno : EIO;
    if (o && o->rec)
        recorder_output(o->rec, text, len);
    /* Partial lines (a prompt, typed-out echo) must show at once. */
    if (len && text[len - 1] != '\n' && fflush(stdout) != 0 && o && !o->error)
        o->error = errno ? errno : EIO;
}

void repl_note(void *ctx, const char *msg)
{
    fflush(stdout);     /* after the output that came before it */
    Text t = {0};
    text_printf(&t, "note: %s\n", msg);
    if (!t.failed) {
        fputs(t.s, stderr);
        recorder_output(ctx, t.s, t.len);
    }
    text_free(&t);
    fflush(stderr);
}

bool repl_pause(void *ctx)
{
    (void)ctx;
    fflush(stdout);
    char line[64];
    if (!fgets(line, sizeof line, stdin)) {
        clearerr(stdin);
        return false;
    }
    return line[0] != 'q' && line[0] != 'Q';
}

int repl_terminal_width(void)
{
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

/* The n-th line (1-based) of a chunk, as a pointer and a length. */
static const char *nth_line(const char *chunk, int n, size_t *len)
{
    const char *p = chunk;
    for (int i = 1; i < n && p; i++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    if (!p || !*p) {
        *len = 0;
        return NULL;
    }
    const char *nl = strchr(p, '\n');
    *len = nl ? (size_t)(nl - p) : strlen(p);
    return p;
}

void repl_report(void *ctx, const char *origin, const char *chunk, int first_line, const Error *e)
{
    if (e->shown)
        return;        /* a nested script already showed it */
    fflush(stdout);    /* keep the error after the output that came before it */
    Text t = {0};
    int line = e->line > 0 ? e->line : 1;
    /* The message with where it happened: "for loop, i = 37: ...". */
    char msg[ERROR_CONTEXT_MAX + ERROR_MSG_MAX + 4];
    error_text(e, msg, sizeof msg);
    if (origin) {
        text_put_visible(&t, origin, strlen(origin));   /* a file's name is data too */
        text_printf(&t, ":%d:", first_line + line - 1);
        if (e->col > 0)
            text_printf(&t, "%d:", e->col);
        text_puts(&t, " ");
    }
    text_printf(&t, "error: %s\n", msg);
    size_t len;
    const char *src = chunk ? nth_line(chunk, line, &len) : NULL;
    if (src && e->col > 0 && len < 400) {
        /* Control bytes are shown as '?' so that an escape sequence in a
         * script cannot repaint the terminal. */
        text_puts(&t, "    ");
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)src[i];
            char ch = c == '\t' || (c >= 0x20 && c != 0x7f) ? (char)c : '?';
            text_append(&t, &ch, 1);
        }
        text_puts(&t, "\n    ");
        /* Pad with the line's own tabs so the caret lines up. */
        int col = 1;
        for (size_t i = 0; i < len && col < e->col; i++) {
            if (((unsigned char)src[i] & 0xC0) == 0x80)
                continue;
            text_puts(&t, src[i] == '\t' ? "\t" : " ");
            col++;
        }
        while (col++ < e->col)
            text_puts(&t, " ");
        text_puts(&t, "^\n");
    }
    if (t.failed)
        fprintf(stderr, "error: %s\n", msg);
    else
        fputs(t.s, stderr);
    fflush(stderr);
    if (ctx && !t.failed)
        recorder_output(ctx, t.s, t.len);
    text_free(&t);
}

/* The indentation a block's next line starts with: the last line's, and
 * four more after a line that ends in ':'. */
static void next_indent(const char *chunk, char *buf, size_t n)
{
    const char *last = chunk, *p = chunk;
    while (*p) {
        const char *nl = strchr(p, '\n');
        if (!nl)
            break;
        if (nl > p)
            last = p;
        p = nl + 1;
    }
    size_t k = 0;
    while ((last[k] == ' ' || last[k] == '\t') && k + 5 < n) {
        buf[k] = last[k];
        k++;
    }
    const char *end = strchr(last, '\n');
    if (!end)
        end = last + strlen(last);
    while (end > last && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    /* a comment does not count */
    for (const char *q = last; q < end; q++)
        if (*q == '#') {
            end = q;
            while (end > last && (end[-1] == ' ' || end[-1] == '\t'))
                end--;
            break;
        }
    if (end > last && end[-1] == ':' && k + 5 < n) {
        memcpy(buf + k, "    ", 4);
        k += 4;
    }
    buf[k] = '\0';
}

int repl_interactive(Interp *in, Recorder *rec, volatile sig_atomic_t *interrupted)
{
    LineReader lr;
    line_init(&lr, in, true, interrupted);
    interp_set_interactive(in, true);
    bool history_failed = lr.history_note[0] != '\0';
    if (history_failed)
        fprintf(stderr, "note: %s\n", lr.history_note);
    Text chunk = {0};
    for (;;) {
        interp_set_width(in, repl_terminal_width());
        char *line = NULL;
        fflush(stdout);
        const SessionHooks *h = interp_hooks(in);
        const char *prompt = h->prompt ? h->prompt(h->ctx) : NULL;
        const char *shown = chunk.len ? "... " : prompt ? prompt : ">> ";
        char indent[64] = "";
        if (chunk.len)
            next_indent(chunk.s, indent, sizeof indent);
        LineStatus st = line_read_indented(&lr, shown, indent, &line);
        if (st == LINE_EOF) {
            fputs("\n", stdout);
            break;
        }
        if (st == LINE_INTERRUPTED) {
            text_free(&chunk);
            continue;
        }
        Error he;
        if (!line_save(&lr, line, &he) && !history_failed) {
            fprintf(stderr, "note: %s (this session's lines will not be kept)\n", he.msg);
            history_failed = true;      /* once is enough */
        }
        if (rec) {
            /* A recording sees what was typed, as the terminal showed it. */
            Text typed = {0};
            text_printf(&typed, "%s%s\n", shown, line);
            if (!typed.failed)
                recorder_output(rec, typed.s, typed.len);
            text_free(&typed);
        }
        /* A paste arrives as one line with newlines in it (bracketed
         * paste): it is a program of its own, run when its brackets close. */
        bool pasted = strchr(line, '\n') != NULL;
        text_puts(&chunk, line);
        text_puts(&chunk, "\n");
        line_free_text(line);
        if (chunk.failed) {
            fputs("error: out of memory\n", stderr);
            text_free(&chunk);
            continue;
        }
        if (pasted) {
            Text closed = {0};
            text_printf(&closed, "%s\n", chunk.s);
            bool whole = !closed.failed && lexer_is_complete(closed.s);
            text_free(&closed);
            if (!whole)
                continue;
        } else if (!lexer_is_complete(chunk.s)) {
            continue;
        }
        Error e;
        *interrupted = 0;
        /* The width now, not when the prompt was shown: the window may
         * have changed size while the line was typed. */
        interp_set_width(in, repl_terminal_width());
        if (!interp_run_chunk(in, chunk.s, &e))
            repl_report(interp_report_ctx(in), NULL, chunk.s, 1, &e);
        text_free(&chunk);
        if (interp_quitting(in))
            break;
    }
    text_free(&chunk);
    line_free(&lr);
    fflush(stdout);
    return 0;
}

int repl_source(Interp *in, const char *src, const char *origin, bool echo, bool keep_going)
{
    Error e;
    error_clear(&e);
    bool ok = interp_run_string(in, src, origin, echo, keep_going, repl_report, interp_report_ctx(in), &e);
    fflush(stdout);
    return ok ? 0 : 1;
}

int repl_stream(Interp *in, FILE *f, const char *origin, bool echo, bool keep_going)
{
    /* The whole input first, as Python reads a program from a pipe: what
     * it imports decides its rules. */
    Text t = {0};
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        text_append(&t, buf, n);
        if (t.len > INTERP_MAX_FILE) {
            fprintf(stderr, "nudge: %s: the input is larger than %d MiB\n", origin, INTERP_MAX_FILE >> 20);
            text_free(&t);
            return 1;
        }
    }
    if (t.failed) {
        fputs("nudge: out of memory\n", stderr);
        text_free(&t);
        return 1;
    }
    /* A NUL byte would silently end the text early; show it as the symbol
     * ␀ (U+2400) instead, which the lexer then reports. */
    Text clean = {0};
    for (size_t i = 0; i < t.len; i++) {
        if (t.s[i] == '\0')
            text_puts(&clean, "\xE2\x90\x80");
        else
            text_append(&clean, t.s + i, 1);
    }
    text_free(&t);
    int status = repl_source(in, clean.s ? clean.s : "", origin, echo, keep_going);
    text_free(&clean);
    return status;
}

void repl_echo(void *ctx, const char *text)
{
    ReplEcho *r = ctx;
    if (r->delay_ms <= 0) {
        interp_write(r->in, text);
        return;
    }
    void *wctx;
    WriteFn write = interp_output(r->in, &wctx);
    const char *p = text;
    if (!strncmp(p, ">> ", 3)) {
        write(wctx, p, 3);
        p += 3;
    }
    while (*p) {
        size_t n = 1;
        while (((unsigned char)p[n] & 0xC0) == 0x80)
            n++;        /* a whole UTF-8 character at a time */
        write(wctx, p, n);
        if (*p != '\n' && !(r->interrupted && *r->interrupted)) {
            clock_sleep(r->delay_ms / 1000.0);
        }
        p += n;
    }
}
