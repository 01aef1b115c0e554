/* line.c - readline with completion and history, or plain getline. */
#include "nudge/line.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "nudge/files.h"
#include "nudge/builtins.h"
#include "nudge/mem.h"
#include "nudge/text.h"

enum { HISTORY_MAX = 2000 };

/* Readline's completion and line callbacks take no context pointer, so the
 * state they need lives here, set by line_init and line_read. */
static Interp *completion_interp;
static char *callback_line;
static bool callback_done;
static const char *pending_indent;   /* text a continuation line starts with */

/* --- history ------------------------------------------------------------- */

/* --- completion ---------------------------------------------------------- */

/* Appends every candidate that starts with `word` to the list. */
typedef struct Candidates {
    char **items;
    size_t n, cap;
    const char *word;
} Candidates;

static void add_candidate(Candidates *c, const char *prefix, const char *name, const char *word)
{
    size_t pl = strlen(prefix), wl = strlen(word);
    size_t nl = strlen(name);
    if (pl + nl < wl || strncmp(word, prefix, pl < wl ? pl : wl) || (wl > pl && strncmp(word + pl, name, wl - pl)))
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        char **p = realloc(c->items, cap * sizeof *p);
        if (!p)
            return;
        c->items = p;
        c->cap = cap;
    }
    char *s = malloc(pl + nl + 1);   /* readline frees these with free() */
    if (!s)
        return;
    memcpy(s, prefix, pl);
    memcpy(s + pl, name, nl + 1);
    c->items[c->n++] = s;
}

static void each_candidate(void *ctx, const char *name)
{
    Candidates *c = ctx;
    /* a name offered twice (a command that is also a function) once */
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->items[i], name))
            return;
    add_candidate(c, "", name, c->word);
}

static void field_candidates(Candidates *c, const char *word, const char *dot)
{
    char base[128];
    size_t bl = (size_t)(dot - word) + 1;
    if (bl >= sizeof base)
        return;
    memcpy(base, word, bl);
    base[bl] = '\0';
    char name[128];
    memcpy(name, word, bl - 1);
    name[bl - 1] = '\0';
    /* np.random. completes in the submodule */
    const char *inner = strrchr(name, '.');
    const Value *v = interp_get(completion_interp, inner ? "" : name);
    Value sub = value_none();
    if (inner) {
        char head[128];
        snprintf(head, sizeof head, "%.*s", (int)(inner - name), name);
        const Value *m = interp_get(completion_interp, head);
        if (m && m->kind == VALUE_MODULE && module_get(m->as.module, inner + 1, &sub) && sub.kind == VALUE_MODULE)
            v = &sub;
    }
    if (!v)
        return;
    switch (v->kind) {
    case VALUE_TENSOR: {
        static const char *const attrs[] = { "T", "shape", "ndim", "size", "dtype" };
        for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
            add_candidate(c, base, attrs[i], word);
        break;
    }
    case VALUE_PERCEPTRON:
        add_candidate(c, base, "w", word);
        add_candidate(c, base, "lr", word);
        break;
    case VALUE_MLP:
        for (int w = MLP_W1; w <= MLP_B2; w++)
            if (mlp_param(v->as.mlp, (MlpParam)w))
                add_candidate(c, base, mlp_param_name((MlpParam)w), word);
        break;
    case VALUE_RECORD:
        for (size_t i = 0; i < v->as.record->n; i++)
            add_candidate(c, base, v->as.record->names[i], word);
        break;
    case VALUE_MODULE: {
        const Module *m = v->as.module;
        for (size_t i = 0; i < m->n; i++)
            add_candidate(c, base, m->rows[i].name, word);
        for (size_t i = 0; i < m->nconsts; i++)
            add_candidate(c, base, m->consts[i].name, word);
        for (size_t i = 0; i < m->nsubs; i++) {
            const char *s = strrchr(m->subs[i]->name, '.');
            add_candidate(c, base, s ? s + 1 : m->subs[i]->name, word);
        }
        break;
    }
    default:
        break;
    }
    size_t n;
    const Builtin *methods = method_table(v->kind, &n);
    for (size_t i = 0; methods && i < n; i++)
        add_candidate(c, base, methods[i].name, word);
}

static char **complete(const char *word, int start, int end)
{
    (void)end;
    (void)start;
    rl_attempted_completion_over = 1;      /* never fall back to file names */
    rl_completion_append_character = '\0'; /* readline resets it before each call */
    Interp *in = completion_interp;
    Candidates c = {0};
    c.word = word;
    const char *dot = strrchr(word, '.');
    if (dot && in)
        field_candidates(&c, word, dot);
    else if (in)
        interp_each_name(in, word, each_candidate, &c);
    if (c.n == 0) {
        free(c.items);
        return NULL;
    }
    /* Readline wants the common prefix first, then the matches, then NULL. */
    char **out = malloc((c.n + 2) * sizeof *out);
    if (!out) {
        for (size_t i = 0; i < c.n; i++)
            free(c.items[i]);
        free(c.items);
        return NULL;
    }
    size_t common = strlen(c.items[0]);
    for (size_t i = 1; i < c.n; i++) {
        size_t k = 0;
        while (k < common && c.items[i][k] == c.items[0][k])
            k++;
        common = k;
    }
    out[0] = malloc(common + 1);
    if (out[0]) {
        memcpy(out[0], c.items[0], common);
        out[0][common] = '\0';
    }
    for (size_t i = 0; i < c.n; i++)
        out[i + 1] = c.items[i];
    out[c.n + 1] = NULL;
    free(c.items);
    if (c.n == 1) {
        /* One match: readline uses out[0] and frees the rest. */
        free(out[0]);
        out[0] = out[1];
        out[1] = NULL;
    }
    return out;
}

/* --- reading ------------------------------------------------------------- */

/* Readline calls this as each line starts: it types the indentation of a
 * block's next line, as Python's prompt does not but IPython does. */
static int insert_indent(void)
{
    if (pending_indent && *pending_indent)
        rl_insert_text(pending_indent);
    pending_indent = NULL;
    return 0;
}


void line_init(LineReader *lr, Interp *in, bool tty, volatile sig_atomic_t *interrupted)
{
    memset(lr, 0, sizeof *lr);
    lr->tty = tty;
    lr->in = stdin;
    lr->interrupted = interrupted;
    if (!tty)
        return;
    completion_interp = in;
    rl_readline_name = "nudge";
    rl_attempted_completion_function = complete;
    rl_completion_append_character = '\0';
    /* '.' is part of a word so that "net.W" completes to net.W1, net.W2. */
    rl_basic_word_break_characters = " \t\n\"'()[],;=+-*/@<>!#:";
    rl_catch_signals = 0;        /* our SIGINT handler abandons the line */
    rl_startup_hook = insert_indent;
    rl_catch_sigwinch = 1;
    lr->history_path = files_state_path("history", getenv("XDG_STATE_HOME"), getenv("HOME"));
    using_history();
    stifle_history(HISTORY_MAX);
    if (!lr->history_path)
        return;
    /* Only a regular file is read: a FIFO would block start-up forever. */
    FILE *f = files_open_regular(lr->history_path);
    if (f) {
        fclose(f);
        read_history(lr->history_path);
    } else if (errno == EINVAL || errno == EISDIR) {
        snprintf(lr->history_note, sizeof lr->history_note,
                 "history: '%s' is not a regular file; this session's lines will not be kept", lr->history_path);
        mem_free(lr->history_path);
        lr->history_path = NULL;
    }
}

static void on_line(char *line)
{
    callback_line = line;
    callback_done = true;
    rl_callback_handler_remove();
}

static LineStatus read_tty(LineReader *lr, const char *prompt, char **out)
{
    callback_done = false;
    callback_line = NULL;
    rl_callback_handler_install(prompt, on_line);
    while (!callback_done) {
        fd_set fds;
        FD_ZERO(&fds);
        FD_SET(fileno(rl_instream), &fds);
        int r = select(fileno(rl_instream) + 1, &fds, NULL, NULL, NULL);
        if (r < 0 && errno == EINTR) {
            if (lr->interrupted && *lr->interrupted) {
                *lr->interrupted = 0;
                /* Abandon the half-typed line, as a shell does: leave it on
                 * screen marked ^C and start afresh below it. */
                rl_point = rl_end;
                rl_redisplay();
                fputs("^C", rl_outstream);
                rl_crlf();
                rl_free_line_state();
                rl_callback_sigcleanup();
                rl_replace_line("", 0);
                rl_callback_handler_remove();
                return LINE_INTERRUPTED;
            }
            continue;
        }
        if (r < 0) {
            rl_callback_handler_remove();
            return LINE_EOF;
        }
        rl_callback_read_char();
    }
    if (!callback_line)
        return LINE_EOF;
    *out = callback_line;
    return LINE_OK;
}

LineStatus line_read_indented(LineReader *lr, const char *prompt, const char *indent, char **out)
{
    pending_indent = lr->tty ? indent : NULL;
    return line_read(lr, prompt, out);
}

LineStatus line_read(LineReader *lr, const char *prompt, char **out)
{
    *out = NULL;
    if (lr->tty)
        return read_tty(lr, prompt, out);
    errno = 0;
    ssize_t n = getline(&lr->buf, &lr->cap, lr->in);
    if (n < 0) {
        if (errno == EINTR && lr->interrupted && *lr->interrupted) {
            *lr->interrupted = 0;
            clearerr(lr->in);
            return LINE_INTERRUPTED;
        }
        return LINE_EOF;
    }
    while (n > 0 && (lr->buf[n - 1] == '\n' || lr->buf[n - 1] == '\r'))
        lr->buf[--n] = '\0';
    /* A NUL byte would silently end the line early; show it as the symbol
     * ␀ (U+2400) instead, which the lexer then reports. */
    size_t nuls = 0;
    for (ssize_t i = 0; i < n; i++)
        nuls += lr->buf[i] == '\0';
    char *copy = malloc((size_t)n + 2 * nuls + 1);
    if (!copy)
        return LINE_EOF;
    size_t k = 0;
    for (ssize_t i = 0; i < n; i++) {
        if (lr->buf[i] == '\0') {
            memcpy(copy + k, "\xE2\x90\x80", 3);
            k += 3;
        } else {
            copy[k++] = lr->buf[i];
        }
    }
    copy[k] = '\0';
    *out = copy;
    return LINE_OK;
}

bool line_save(LineReader *lr, const char *line, Error *e)
{
    if (!lr->tty || !*line)
        return true;
    /* Skip a repeat of the previous entry, as shells do. */
    HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
    if (last && !strcmp(last->line, line))
        return true;
    add_history(line);
    if (!lr->history_path)
        return true;
    /* Appended by hand rather than by append_history, which would block on
     * a FIFO put there since start-up; one write of the whole line, under
     * the lock, so lines of several processes never interleave. */
    int lock = files_lock(lr->history_path, "history", e);
    if (lock < 0)
        return false;
    int fd = open(lr->history_path, O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0600);
    int err = fd < 0 ? errno : 0;
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)))
        err = EINVAL;
    size_t len = strlen(line);
    char *rec = err ? NULL : malloc(len + 1);
    if (!err && !rec)
        err = ENOMEM;
    if (!err) {
        memcpy(rec, line, len);
        rec[len] = '\n';
        ssize_t w = write(fd, rec, len + 1);
        if (w != (ssize_t)len + 1)
            err = w < 0 ? errno : EIO;
        free(rec);
    }
    if (fd >= 0)
        close(fd);
    files_unlock(lock);
    if (err == EINVAL)
        return error_set_in(e, ERROR_IO, "history", "'%s' is not a regular file", lr->history_path);
    if (err)
        return error_set_in(e, ERROR_IO, "history", "cannot write '%s': %s", lr->history_path, strerror(err));
    return true;
}

void line_free_text(char *text)
{
    free(text);    /* readline's lines come from malloc */
}

void line_free(LineReader *lr)
{
    if (lr->tty && lr->history_path) {
        Error e;
        int lock = files_lock(lr->history_path, "history", &e);
        FILE *f = lock >= 0 ? files_open_regular(lr->history_path) : NULL;
        if (f) {
            fclose(f);
            history_truncate_file(lr->history_path, HISTORY_MAX);
        }
        files_unlock(lock);
    }
    free(lr->buf);
    mem_free(lr->history_path);
    if (lr->tty)
        completion_interp = NULL;
    memset(lr, 0, sizeof *lr);
}
