/* harness.c - the alarm, sink, scratch directory and confined commands
 * that the fuzz targets share (see harness.h). */
#include "harness.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "nudge/commands.h"
#include "nudge/mem.h"
#include "nudge/text.h"

volatile sig_atomic_t fuzz_interrupted;
static size_t output_bytes;

static void on_alarm(int sig)
{
    (void)sig;
    fuzz_interrupted = 1;
}

void fuzz_alarm_start(void)
{
    static bool installed;
    if (!installed) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_alarm;
        sa.sa_flags = SA_RESTART;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGPROF, &sa, NULL);
        installed = true;
    }
    fuzz_interrupted = 0;
    output_bytes = 0;
    struct itimerval t = {
        .it_interval = { 0, FUZZ_EVERY_MS * 1000 },
        .it_value = { 0, FUZZ_FIRST_MS * 1000 },
    };
    setitimer(ITIMER_PROF, &t, NULL);
}

void fuzz_alarm_stop(void)
{
    struct itimerval t;
    memset(&t, 0, sizeof t);
    setitimer(ITIMER_PROF, &t, NULL);
    fuzz_interrupted = 0;
}

void fuzz_sink(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    volatile unsigned char sum = 0;
    for (size_t i = 0; i < len; i++)
        sum ^= (unsigned char)text[i];
    (void)sum;
    output_bytes += len;
    if (output_bytes > FUZZ_MAX_OUTPUT)
        fuzz_fail("one input printed more than %zu MiB", FUZZ_MAX_OUTPUT >> 20);
}

void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz: invariant broken: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fflush(stderr);
    abort();
}

void fuzz_check_error(const Error *e, const char *src)
{
    if (!memchr(e->msg, '\0', sizeof e->msg))
        fuzz_fail("an error message is not terminated");
    if (e->code == ERROR_NONE)
        fuzz_fail("a call failed with no error code (message '%s')", e->msg);
    if (!e->msg[0])
        fuzz_fail("a call failed with an empty message (code %d)", (int)e->code);
    if (e->line < 0 || e->col < 0)
        fuzz_fail("an error has a negative position %d:%d ('%s')", e->line, e->col, e->msg);
    if (src) {
        int lines = 1;
        for (const char *p = src; *p; p++)
            lines += *p == '\n';
        if (e->line > lines)
            fuzz_fail("an error points at line %d of a %d-line text ('%s')", e->line, lines, e->msg);
    }
}

/* --- the scratch directory ----------------------------------------------- */

static char scratch[4096];

static void scratch_remove(void)
{
    if (!scratch[0])
        return;
    fuzz_scratch_clean();
    rmdir(scratch);
    scratch[0] = '\0';
}

const char *fuzz_scratch(void)
{
    if (scratch[0])
        return scratch;
    const char *tmp = getenv("TMPDIR");
    snprintf(scratch, sizeof scratch, "%s/nudge-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(scratch)) {
        perror("fuzz: mkdtemp");
        abort();
    }
    atexit(scratch_remove);
    return scratch;
}

char *fuzz_scratch_path(const char *name)
{
    size_t n = strlen(fuzz_scratch()) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p)
        abort();
    snprintf(p, n, "%s/%s", scratch, name);
    return p;
}

void fuzz_scratch_clean(void)
{
    DIR *d = opendir(fuzz_scratch());
    if (!d)
        return;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
            continue;
        char *p = fuzz_scratch_path(ent->d_name);
        unlink(p);
        free(p);
    }
    closedir(d);
}

/* --- confined save, run and load ----------------------------------------- */

static const Command *core_command(const char *name)
{
    size_t n;
    const Command *rows = commands_core(&n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(rows[i].name, name))
            return &rows[i];
    abort();
}

/* Runs the core command `who` on the scratch file named by arg. */
static bool confined(Interp *in, const char *arg, const char *who, Error *e)
{
    char *name = commands_path_arg(arg, who, e);
    if (!name)
        return false;
    if (strchr(name, '/') || strchr(name, '"') || name[0] == '.') {
        mem_free(name);
        return error_set(e, ERROR_ARG, "%s: the fuzz harness allows plain file names only", who);
    }
    Text t = {0};
    text_printf(&t, "\"%s/%s\"", fuzz_scratch(), name);
    mem_free(name);
    if (t.failed) {
        text_free(&t);
        return error_nomem(e, who);
    }
    bool ok = core_command(who)->fn(in, NULL, t.s, e);
    text_free(&t);
    return ok;
}

static bool cmd_save(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    return confined(in, arg, "save", e);
}

static bool cmd_run(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    return confined(in, arg, "run", e);
}

static bool cmd_load(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    return confined(in, arg, "load", e);
}

static const Command confined_commands[] = {
    { "save", cmd_save, "save FILE", "save, confined to the fuzz harness's scratch directory" },
    { "run", cmd_run, "run FILE", "run, confined to the fuzz harness's scratch directory" },
    { "load", cmd_load, "load FILE", "load, confined to the fuzz harness's scratch directory" },
};

void fuzz_interp_setup(Interp *in)
{
    interp_set_output(in, fuzz_sink, NULL);
    interp_set_interrupt(in, &fuzz_interrupted);
    interp_set_width(in, 80);
    if (!interp_add_commands(in, confined_commands, sizeof confined_commands / sizeof confined_commands[0], NULL))
        abort();
}

bool fuzz_names_outside(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '"' && text[i] != '\'')
            continue;
        char q = text[i];
        size_t j = i + 1;
        while (j < len && text[j] != q && text[j] != '\n') {
            if (text[j] == '/')
                return true;
            j++;
        }
        i = j;
    }
    return false;
}
