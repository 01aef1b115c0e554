/* repl.c - the prompt loop, the stream runner and error display. */
#include "nudge/repl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "nudge/ast.h"
#include "nudge/line.h"
#include "nudge/mem.h"
#include "nudge/text.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool recorder_open(Recorder *r, const char *path, int width, int height, Error *e)
{
    memset(r, 0, sizeof *r);
    Text tmp = {0};
    text_printf(&tmp, "%s.tmp-XXXXXX", path);
    r->path = mem_strdup(path);
    r->tmp = text_finish(&tmp, e);
    if (!r->path || !r->tmp) {
        mem_free(r->path);
        mem_free(r->tmp);
        return error_nomem(e, "record");
    }
    int fd = mkstemp(r->tmp);
    r->f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!r->f) {
        error_set(e, ERROR_IO, "--record: cannot write '%s': %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        mem_free(r->path);
        mem_free(r->tmp);
        memset(r, 0, sizeof *r);
        return false;
    }
    fprintf(r->f, "{\"version\": 2, \"width\": %d, \"height\": %d, \"timestamp\": %lld, "
                  "\"env\": {\"TERM\": \"xterm-256color\", \"SHELL\": \"/bin/sh\"}, \"title\": \"nudge\"}\n",
            width, height, (long long)time(NULL));
    r->start = now_seconds();
    return true;
}

void recorder_output(Recorder *r, const char *text, size_t len)
{
    if (!r || !r->f || !len)
        return;
    fprintf(r->f, "[%.6f, \"o\", \"", now_seconds() - r->start);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '"' || c == '\\')
            fprintf(r->f, "\\%c", c);
        else if (c == '\n')
            fputs("\\r\\n", r->f);      /* a terminal's newline, as a recording replays it */
        else if (c < 0x20 || c == 0x7f)
            fprintf(r->f, "\\u%04x", c);
        else
            fputc(c, r->f);
    }
    fputs("\"]\n", r->f);
}

bool recorder_close(Recorder *r, Error *e)
{
    if (!r->f)
        return true;
    bool ok = fflush(r->f) == 0;
    ok = fclose(r->f) == 0 && ok;
    if (ok && rename(r->tmp, r->path) != 0)
        ok = false;
    if (!ok) {
        error_set(e, ERROR_IO, "--record: cannot write '%s': %s", r->path, strerror(errno));
        unlink(r->tmp);
    }
    mem_free(r->path);
    mem_free(r->tmp);
    memset(r, 0, sizeof *r);
    return ok;
}

void repl_write(void *ctx, const char *text, size_t len)
{
    fwrite(text, 1, len, stdout);
    if (ctx)
        recorder_output(ctx, text, len);
    /* Partial lines (a prompt, typed-out echo) must show at once. */
    if (len && text[len - 1] != '\n')
        fflush(stdout);
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
    if (origin && e->col > 0)
        text_printf(&t, "%s:%d:%d: error: %s\n", origin, first_line + line - 1, e->col, e->msg);
    else if (origin)
        text_printf(&t, "%s:%d: error: %s\n", origin, first_line + line - 1, e->msg);
    else
        text_printf(&t, "error: %s\n", e->msg);
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
        fprintf(stderr, "error: %s\n", e->msg);
    else
        fputs(t.s, stderr);
    fflush(stderr);
    if (ctx && !t.failed)
        recorder_output(ctx, t.s, t.len);
    text_free(&t);
}

int repl_interactive(Interp *in, volatile sig_atomic_t *interrupted)
{
    LineReader lr;
    line_init(&lr, in, true, interrupted);
    in->interactive = true;
    bool history_failed = false;
    Text chunk = {0};
    for (;;) {
        in->width = repl_terminal_width();
        char *line = NULL;
        fflush(stdout);
        const char *prompt = in->hooks.prompt ? in->hooks.prompt(in->hooks.ctx) : NULL;
        LineStatus st = line_read(&lr, chunk.len ? ".. " : prompt ? prompt : ">> ", &line);
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
        if (in->write_ctx) {
            /* A recording sees what was typed, as the terminal showed it. */
            Text typed = {0};
            text_printf(&typed, "%s%s\n", chunk.len ? ".. " : prompt ? prompt : ">> ", line);
            if (!typed.failed)
                recorder_output(in->write_ctx, typed.s, typed.len);
            text_free(&typed);
        }
        text_puts(&chunk, line);
        text_puts(&chunk, "\n");
        line_free_text(line);
        if (chunk.failed) {
            fputs("error: out of memory\n", stderr);
            text_free(&chunk);
            continue;
        }
        if (!ast_is_complete(chunk.s))
            continue;
        Error e;
        *interrupted = 0;
        if (!interp_run_chunk(in, chunk.s, &e))
            repl_report(in->report_ctx, NULL, chunk.s, 1, &e);
        text_free(&chunk);
        if (in->quit)
            break;
    }
    text_free(&chunk);
    line_free(&lr);
    fflush(stdout);
    return 0;
}

typedef struct StreamLines {
    LineReader *lr;
    char *last;
} StreamLines;

static bool stream_next(void *ctx, const char **text, size_t *len)
{
    StreamLines *s = ctx;
    line_free_text(s->last);
    s->last = NULL;
    LineStatus st = line_read(s->lr, "", &s->last);
    if (st != LINE_OK)
        return false;
    *text = s->last;
    *len = strlen(s->last);
    return true;
}

int repl_stream(Interp *in, FILE *f, const char *origin, bool echo, bool keep_going)
{
    LineReader lr;
    line_init(&lr, in, false, in->interrupted);
    lr.in = f;
    StreamLines s = { &lr, NULL };
    Error e;
    error_clear(&e);
    bool ok = interp_run_lines(in, stream_next, &s, origin, echo, keep_going, repl_report, in->report_ctx, &e);
    line_free_text(s.last);
    line_free(&lr);
    fflush(stdout);
    return ok ? 0 : 1;
}
