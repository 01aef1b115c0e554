/* main.c - the command line: nudge [OPTION]... [FILE.nd [ARG]...]. */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "nudge/files.h"
#include "nudge/interp.h"
#include "nudge/interrupt.h"
#include "nudge/lesson.h"
#include "nudge/mem.h"
#include "nudge/progress.h"
#include "nudge/record.h"
#include "nudge/repl.h"
#include "nudge/step.h"
#include "nudge/tutor.h"
#include "nudge/view.h"

/* SIGINT sets the program's one flag (interrupt.h): the prompt, training
 * and the long loops of core and model read it. */
static void on_sigint(int sig)
{
    (void)sig;
    interrupt_request();
}

/* The terminal's settings at start.  Readline keeps the terminal raw (no
 * echo, no line editing) while a line is typed, so a signal that ends
 * nudge there would leave the shell unusable: SIGTERM, SIGHUP and SIGQUIT
 * first put these back (tcsetattr is async-signal-safe), then end nudge as
 * they would have. */
static struct termios start_tty;
static volatile sig_atomic_t have_start_tty;

static void on_fatal_signal(int sig)
{
    if (have_start_tty)
        tcsetattr(STDIN_FILENO, TCSANOW, &start_tty);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void usage(FILE *out)
{
    fputs("Usage: nudge [OPTION]... [FILE.nd [ARG]...]\n"
          "A terminal tutor for the mathematics of deep learning.\n"
          "\n"
          "With no FILE, nudge reads statements at a prompt (or from standard input\n"
          "when it is not a terminal).  With FILE, it runs the script and exits; the\n"
          "script sees its arguments as the strings arg1, arg2, ... and the number nargs.\n"
          "\n"
          "  -c STATEMENTS     run STATEMENTS, then exit\n"
          "  -i FILE           run FILE, then stay at the prompt\n"
          "  -e, --echo        show each statement of a script before its output\n"
          "  -k, --keep-going  keep running a script after an error\n"
          "      --no-pause    do not wait at pause (for unattended demo runs)\n"
          "      --type[=MS]   with --echo, type each statement out at MS ms a key (40)\n"
          "      --step        show each statement of a script and wait: Enter runs it,\n"
          "                    b goes back to the one before, q stops (implies --echo)\n"
          "      --record FILE.cast  record the session as an asciicast v2 file, which\n"
          "                    asciinema plays; on a terminal everything it shows is\n"
          "                    recorded, the live view and the keys pressed included\n"
          "      --lesson N    start chapter N's guided lesson\n"
          "      --check-lessons  play every lesson headless, check every expected\n"
          "                    number, and exit with 0 (all hold) or 1\n"
          "  -h, --help        show this help and exit\n"
          "      --version     show the version and exit\n"
          "\n"
          "Exit status: 0 when every statement ran, 1 when one failed, 2 for bad usage.\n"
          "At the prompt, type help for the list of functions and commands.\n",
          out);
}

static int bad_usage(const char *fmt, const char *arg)
{
    fputs("nudge: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'nudge --help' for more information.\n", stderr);
    return 2;
}

static void set_script_args(Interp *in, int argc, char **argv)
{
    Error e;
    for (int i = 0; i < argc; i++) {
        char name[32];
        snprintf(name, sizeof name, "arg%d", i + 1);
        Value v;
        if (value_string(&v, argv[i], strlen(argv[i]), &e))
            interp_set(in, name, v, &e);
    }
    interp_set(in, "nargs", value_int(argc), &e);
}

typedef struct Options {
    const char *command;    /* -c */
    const char *file;       /* FILE or -i FILE */
    bool stay;              /* -i */
    bool echo, keep_going;
    bool check_lessons;
    bool no_pause;
    bool step;              /* --step */
    int type_ms;            /* --type */
    const char *record;     /* --record FILE */
    int lesson;             /* --lesson N, 0 for none */
    int first_arg;          /* index of the first script argument */
} Options;

static int parse_options(int argc, char **argv, Options *o)
{
    memset(o, 0, sizeof *o);
    o->first_arg = argc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(a, "--version")) {
            printf("nudge %s\n", NUDGE_VERSION);
            return 0;
        }
        if (!strcmp(a, "-e") || !strcmp(a, "--echo")) {
            o->echo = true;
        } else if (!strcmp(a, "-k") || !strcmp(a, "--keep-going")) {
            o->keep_going = true;
        } else if (!strcmp(a, "--check-lessons")) {
            o->check_lessons = true;
        } else if (!strcmp(a, "--no-pause")) {
            o->no_pause = true;
        } else if (!strcmp(a, "--step")) {
            o->step = true;
            o->echo = true;
        } else if (!strcmp(a, "--type") || !strncmp(a, "--type=", 7)) {
            char *end;
            long ms = a[6] == '=' ? strtol(a + 7, &end, 10) : 40;
            if (a[6] == '=' && (*end || ms < 0 || ms > 2000))
                return bad_usage("--type=MS needs milliseconds from 0 to 2000, not '%s'", a + 7);
            o->type_ms = (int)ms;
            o->echo = true;
        } else if (!strcmp(a, "--record") || !strncmp(a, "--record=", 9)) {
            o->record = a[8] == '=' ? a + 9 : i + 1 < argc ? argv[++i] : NULL;
            if (!o->record || !*o->record)
                return bad_usage("%s", "--record needs a file name, as in --record demo.cast");
        } else if (!strcmp(a, "--lesson") || !strncmp(a, "--lesson=", 9)) {
            const char *n = a[8] == '=' ? a + 9 : i + 1 < argc ? argv[++i] : NULL;
            char *end;
            long v = n ? strtol(n, &end, 10) : 0;
            if (!n || *end || v < 1 || v > LESSON_MAX_CHAPTERS)
                return bad_usage("--lesson needs a chapter number, as in --lesson 3 (nudge -c lessons lists them)%s", "");
            o->lesson = (int)v;
        } else if (!strcmp(a, "-c") || !strcmp(a, "-i")) {
            if (i + 1 >= argc)
                return bad_usage("option '%s' needs an argument", a);
            if (a[1] == 'c')
                o->command = argv[++i];
            else {
                o->file = argv[++i];
                o->stay = true;
            }
        } else if (!strcmp(a, "--")) {
            if (i + 1 < argc && !o->file) {
                o->file = argv[i + 1];
                o->first_arg = i + 2;
            }
            break;
        } else if (a[0] == '-' && a[1]) {
            return bad_usage("unknown option '%s'", a);
        } else {
            if (o->file)
                return bad_usage("one script at a time ('%s' is a second one)", a);
            o->file = a;
            o->first_arg = i + 1;
            break;
        }
    }
    if (o->command && o->file)
        return bad_usage("%s", "-c and a script file cannot be used together");
    return -1;
}

static bool use_color(void)
{
    const char *term = getenv("TERM");
    return isatty(STDOUT_FILENO) && !getenv("NO_COLOR") && term && strcmp(term, "dumb") != 0;
}

int main(int argc, char **argv)
{
    /* Wide characters for the terminal, but numbers always with a '.'. */
    setlocale(LC_CTYPE, "");
    Options o;
    int status = parse_options(argc, argv, &o);
    if (status >= 0)
        return status;
    /* A write to a pipe whose reader left, or past the file size limit
     * (ulimit -f), fails with EPIPE or EFBIG and is reported, rather than
     * ending nudge with a signal: a save past the limit keeps the old file
     * and says so.  Set before the recording forks, so both sides have it. */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
    if (o.check_lessons) {
        char *dir = lesson_find_dir();
        /* A `watch` in a lesson trains with plain progress lines here. */
        int failures = tutor_check_all(dir, view_install_headless, repl_write, NULL);
        mem_free(dir);
        fflush(stdout);
        return failures == 0 ? 0 : 1;
    }

    if (o.record && isatty(STDOUT_FILENO)) {
        /* On a terminal the session runs in a pseudo-terminal and this
         * process records all the terminal is sent (record.h says why). */
        Error re;
        error_clear(&re);
        int r = record_session(o.record, &re);
        if (r == RECORD_FAILED) {
            fprintf(stderr, "nudge: %s\n", re.msg);
            return 2;
        }
        if (r != RECORD_CHILD) {
            if (re.code != ERROR_NONE)
                fprintf(stderr, "nudge: %s\n", re.msg);
            return r;
        }
        o.record = NULL;    /* the session: the parent records it */
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);     /* no SA_RESTART: reads return EINTR */
    if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &start_tty) == 0)
        have_start_tty = 1;
    sa.sa_handler = on_fatal_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);

    ReplOutput output = { NULL, 0 };
    Interp *in = interp_new(repl_write, &output);
    if (!in) {
        fputs("nudge: out of memory\n", stderr);
        return 1;
    }
    view_install(in);
    interp_set_interrupt(in, interrupt_flag());
    interp_set_width(in, repl_terminal_width());
    bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    interp_set_color(in, use_color());
    ReplEcho echo = { in, o.type_ms, interrupt_flag() };
    interp_set_echo(in, repl_echo, &echo);
    if (tty && !o.no_pause)
        interp_set_pause(in, repl_pause, NULL);
    Recorder recorder;
    memset(&recorder, 0, sizeof recorder);
    interp_set_report(in, repl_report, NULL);
    interp_set_note(in, repl_note, NULL);
    if (o.record) {
        Error re;
        struct winsize ws;
        int rows = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row ? ws.ws_row : 24;
        if (!recorder_open(&recorder, o.record, interp_width(in), rows, &re)) {
            fprintf(stderr, "nudge: %s\n", re.msg);
            interp_delete(in);
            return 2;
        }
        output.rec = &recorder;
        interp_set_report(in, repl_report, &recorder);
        interp_set_note(in, repl_note, &recorder);
    }
    char *progress = files_state_path("progress", getenv("XDG_STATE_HOME"), getenv("HOME"));
    Tutor tutor;
    tutor_install(&tutor, in, NULL, progress, use_color());
    tutor.setup = view_install_headless;     /* the tutor's hidden sessions never open a screen */
    mem_free(progress);

    status = 0;
    Error e;
    error_clear(&e);
    Recorder *rec = o.record ? &recorder : NULL;
    /* --step on a terminal: the stepper shows each statement itself. */
    Stepper stepper;
    memset(&stepper, 0, sizeof stepper);
    bool stepping = o.step && tty && (o.command || o.file);
    if (stepping)
        step_install(&stepper, in, STDIN_FILENO, &echo, interrupt_flag());
    bool echo_lines = o.echo && !stepping;
    if (o.command) {
        status = repl_source(in, o.command, NULL, echo_lines, o.keep_going);
        step_remove(&stepper);
    } else if (o.file) {
        if (argc > o.first_arg)
            set_script_args(in, argc - o.first_arg, argv + o.first_arg);
        bool ran = interp_run_file(in, o.file, echo_lines, o.keep_going, repl_report, interp_report_ctx(in), &e);
        step_remove(&stepper);
        if (!ran) {
            status = 1;
            if (e.line == 0 && !e.shown)    /* the file itself could not be read */
                fprintf(stderr, "nudge: %s\n", e.msg);
        }
        if (o.stay && !interp_quitting(in))
            status = tty ? repl_interactive(in, rec, interrupt_flag()) : repl_stream(in, stdin, "<stdin>", o.echo, o.keep_going);
    } else {
        if (tty && !o.lesson)
            printf("nudge %s: the maths of deep learning at a prompt. Type help, lessons, or try  a = [3, -1, 2]\n",
                   NUDGE_VERSION);
        if (o.lesson && !tutor_start(&tutor, o.lesson, false, &e)) {
            fprintf(stderr, "nudge: %s\n", e.msg);
            status = 1;
        } else {
            status = tty ? repl_interactive(in, rec, interrupt_flag()) : repl_stream(in, stdin, "<stdin>", o.echo, o.keep_going);
        }
    }
    tutor_free(&tutor);
    interp_delete(in);
    Error re;
    if (!recorder_close(&recorder, &re)) {
        fprintf(stderr, "nudge: %s\n", re.msg);
        status = 1;
    }
    /* Output that could not be written (a full disk, a closed stdout, a
     * reader that went away) makes the run a failure; only a reader that
     * went away (EPIPE) is not worth a message. */
    errno = 0;
    bool flushed = fflush(stdout) == 0;
    int err = output.error ? output.error : errno;
    if (!flushed || ferror(stdout)) {
        if (err != EPIPE && status == 0)
            fprintf(stderr, "nudge: write error: %s\n", strerror(err ? err : EIO));
        status = 1;
    }
    return status;
}
