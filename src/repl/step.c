/* step.c - --step: a key before each statement of a script runs. */
#include "nudge/step.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "nudge/mem.h"
#include "nudge/text.h"

typedef enum StepKey { STEP_RUN, STEP_BACK, STEP_STOP } StepKey;

/* Whether a chunk holds nothing but blanks and comments. */
static bool blank(const char *s)
{
    while (*s) {
        if (*s == '#') {
            while (*s && *s != '\n')
                s++;
        } else if (isspace((unsigned char)*s)) {
            s++;
        } else {
            return false;
        }
    }
    return true;
}

/* Whether a chunk is the `pause` command, which waits on its own. */
static bool is_pause(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    if (strncmp(s, "pause", 5) != 0 || isalnum((unsigned char)s[5]) || s[5] == '_')
        return false;
    s += 5;
    while (*s == ' ' || *s == '\t')
        s++;
    return *s != '=' && *s != '(' && *s != '[' && *s != '.';
}

/* The statement as the prompt shows it: ">> " and "... " before its lines. */
static char *shown_text(const char *chunk)
{
    size_t len = strlen(chunk);
    while (len && (chunk[len - 1] == '\n' || chunk[len - 1] == '\r'))
        len--;
    Text t = {0};
    text_puts(&t, ">> ");
    for (size_t i = 0; i < len; i++) {
        text_append(&t, &chunk[i], 1);
        if (chunk[i] == '\n')
            text_puts(&t, "... ");
    }
    text_puts(&t, "\n");
    return text_finish(&t, NULL);
}

/* The terminal rows a text takes at width columns. */
static int rows_of(const char *s, int width)
{
    int rows = 0, cols = 0;
    for (; *s; s++) {
        if (*s == '\n') {
            rows += width > 0 && cols > width ? (cols - 1) / width + 1 : 1;
            cols = 0;
        } else if (((unsigned char)*s & 0xC0) != 0x80) {
            cols++;
        }
    }
    return rows;
}

/* One key from the terminal, without echo and without waiting for Enter. */
static StepKey read_key(Stepper *s)
{
    struct termios old, raw;
    bool is_tty = tcgetattr(s->fd, &old) == 0;
    if (is_tty) {
        raw = old;
        raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        tcsetattr(s->fd, TCSANOW, &raw);
    }
    StepKey key = STEP_STOP;
    for (;;) {
        char buf[16];
        ssize_t n = read(s->fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR && !(s->interrupted && *s->interrupted))
            continue;
        if (n <= 0)
            break;      /* Ctrl-C, or the end of input: stop */
        if (buf[0] == '\x1b' && n >= 3 && buf[1] == '[') {
            if (buf[2] == 'C') {
                key = STEP_RUN;
                break;
            }
            if (buf[2] == 'D') {
                key = STEP_BACK;
                break;
            }
            continue;
        }
        char c = buf[0];
        if (c == '\r' || c == '\n' || c == ' ' || c == 'n' || c == 'N') {
            key = STEP_RUN;
            break;
        }
        if (c == 'b' || c == 'B') {
            key = STEP_BACK;
            break;
        }
        if (c == 'q' || c == 'Q' || c == 0x03 || c == 0x04)
            break;
    }
    if (s->interrupted)
        *s->interrupted = 0;
    if (is_tty)
        tcsetattr(s->fd, TCSANOW, &old);
    return key;
}

static void show(Stepper *s, const char *text, bool typed)
{
    if (typed && s->echo && s->echo->delay_ms > 0)
        repl_echo(s->echo, text);
    else
        interp_write(s->in, text);
    bool color = interp_color(s->in);
    interp_printf(s->in, "%s(press Enter to run it, b to go back, q to stop)%s", color ? "\x1b[2m" : "",
                  color ? "\x1b[0m" : "");
}

static bool pass_on(Stepper *s, Interp *in, const char *chunk, bool *ok, Error *e)
{
    return s->prev.chunk ? s->prev.chunk(s->prev.ctx, in, chunk, ok, e) : false;
}

static bool keep(Stepper *s, const char *chunk)
{
    char **grown = mem_grow(s->seen, &s->capseen, s->nseen + 1, sizeof *grown, 16);
    if (!grown)
        return false;
    s->seen = grown;
    char *copy = mem_strdup(chunk);
    if (!copy)
        return false;
    s->seen[s->nseen++] = copy;
    return true;
}

static bool on_chunk(void *ctx, Interp *in, const char *chunk, bool *ok, Error *e)
{
    Stepper *s = ctx;
    if (s->replaying || blank(chunk) || is_pause(chunk) || !keep(s, chunk))
        return pass_on(s, in, chunk, ok, e);
    size_t at = s->nseen - 1;
    bool first = true;
    for (;;) {
        char *text = shown_text(s->seen[at]);
        if (!text)
            return pass_on(s, in, chunk, ok, e);
        show(s, text, first);
        first = false;
        StepKey key = read_key(s);
        interp_write(in, "\r\x1b[K");       /* the hint goes */
        if (key == STEP_STOP) {
            mem_free(text);
            interp_printf(in, "%s(stopped)%s\n", interp_color(in) ? "\x1b[2m" : "",
                          interp_color(in) ? "\x1b[0m" : "");
            interp_set_quit(in, true);
            *ok = true;
            return true;
        }
        if (key == STEP_BACK) {
            /* The statement shown has not run: take it off the screen and
             * show the one before, to run again. */
            interp_printf(in, "\x1b[%dA\x1b[J", rows_of(text, interp_width(in)));
            mem_free(text);
            if (at > 0)
                at--;
            continue;
        }
        mem_free(text);
        if (at + 1 == s->nseen)
            return pass_on(s, in, chunk, ok, e);
        /* An earlier statement, run again as it ran the first time. */
        Error le;
        s->replaying = true;
        if (!interp_run_chunk(in, s->seen[at], &le))
            repl_report(interp_report_ctx(in), NULL, s->seen[at], 1, &le);
        s->replaying = false;
        if (interp_quitting(in)) {
            *ok = true;
            return true;
        }
        at++;
    }
}

static const char *on_prompt(void *ctx)
{
    Stepper *s = ctx;
    return s->prev.prompt ? s->prev.prompt(s->prev.ctx) : NULL;
}

void step_install(Stepper *s, Interp *in, int fd, ReplEcho *echo, volatile sig_atomic_t *interrupted)
{
    memset(s, 0, sizeof *s);
    s->in = in;
    s->fd = fd;
    s->echo = echo;
    s->interrupted = interrupted;
    s->prev = *interp_hooks(in);
    SessionHooks mine = { on_chunk, on_prompt, s };
    interp_set_hooks(in, &mine);
}

void step_remove(Stepper *s)
{
    if (!s->in)
        return;
    interp_set_hooks(s->in, &s->prev);
    for (size_t i = 0; i < s->nseen; i++)
        mem_free(s->seen[i]);
    mem_free(s->seen);
    memset(s, 0, sizeof *s);
}
