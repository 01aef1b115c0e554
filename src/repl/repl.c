/* repl.c - the prompt loop, the stream runner and error display. */
#include "nudge/repl.h"

#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "nudge/ast.h"
#include "nudge/line.h"
#include "nudge/mem.h"
#include "nudge/text.h"

void repl_write(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    fwrite(text, 1, len, stdout);
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
    (void)ctx;
    if (e->shown)
        return;        /* a nested script already showed it */
    fflush(stdout);    /* keep the error after the output that came before it */
    int line = e->line > 0 ? e->line : 1;
    if (origin && e->col > 0)
        fprintf(stderr, "%s:%d:%d: error: %s\n", origin, first_line + line - 1, e->col, e->msg);
    else if (origin)
        fprintf(stderr, "%s:%d: error: %s\n", origin, first_line + line - 1, e->msg);
    else
        fprintf(stderr, "error: %s\n", e->msg);
    size_t len;
    const char *src = chunk ? nth_line(chunk, line, &len) : NULL;
    if (src && e->col > 0 && len < 400) {
        /* Control bytes are shown as '?' so that an escape sequence in a
         * script cannot repaint the terminal. */
        fputs("    ", stderr);
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)src[i];
            fputc(c == '\t' || (c >= 0x20 && c != 0x7f) ? c : '?', stderr);
        }
        fputs("\n    ", stderr);
        /* Pad with the line's own tabs so the caret lines up. */
        int col = 1;
        for (size_t i = 0; i < len && col < e->col; i++) {
            if (((unsigned char)src[i] & 0xC0) == 0x80)
                continue;
            fputc(src[i] == '\t' ? '\t' : ' ', stderr);
            col++;
        }
        while (col++ < e->col)
            fputc(' ', stderr);
        fputs("^\n", stderr);
    }
    fflush(stderr);
}

int repl_interactive(Interp *in, volatile sig_atomic_t *interrupted)
{
    LineReader lr;
    line_init(&lr, in, true, interrupted);
    in->interactive = true;
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
        line_save(&lr, line);
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
            repl_report(NULL, NULL, chunk.s, 1, &e);
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
    bool ok = interp_run_lines(in, stream_next, &s, origin, echo, keep_going, repl_report, NULL, &e);
    line_free_text(s.last);
    line_free(&lr);
    fflush(stdout);
    return ok ? 0 : 1;
}
