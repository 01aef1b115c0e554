/* record.c - --record on a terminal: the session in a pseudo-terminal,
 * everything sent to the terminal recorded (see record.h for why). */
#include "nudge/record.h"

/* posix_openpt, grantpt, unlockpt and ptsname are XSI: the _XOPEN_SOURCE
 * that ncursesw's pkg-config flags define (CMakeLists.txt) makes them visible. */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "nudge/mem.h"
#include "nudge/text.h"

/* --- events as valid UTF-8 ------------------------------------------------------ */

/* The length of the UTF-8 sequence at s (n bytes available): 1..4 when it
 * is whole and valid, 0 when it is cut short by the end, -1 when invalid. */
static int utf8_length(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    int len;
    unsigned char lo = 0x80, hi = 0xBF;     /* the second byte's range */
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;      /* no overlong forms */
        if (c == 0xED)
            hi = 0x9F;      /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F;
    } else {
        return -1;
    }
    for (int i = 1; i < len; i++) {
        if ((size_t)i >= n)
            return 0;
        unsigned char b = s[i];
        if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF))
            return -1;
    }
    return len;
}

void record_bytes(Recorder *r, char kind, const char *text, size_t len, char *carry, size_t *ncarry)
{
    Text whole = {0}, clean = {0};
    if (*ncarry)
        text_append(&whole, carry, *ncarry);
    if (len)
        text_append(&whole, text, len);
    *ncarry = 0;
    const unsigned char *s = (const unsigned char *)whole.s;
    for (size_t i = 0; s && i < whole.len;) {
        int n = utf8_length(s + i, whole.len - i);
        if (n == 0 && text) {
            /* Cut by the end of this read: the rest comes with the next. */
            *ncarry = whole.len - i;
            memcpy(carry, s + i, *ncarry);
            break;
        }
        if (n <= 0) {
            text_puts(&clean, "\xEF\xBF\xBD");
            i++;
            continue;
        }
        text_append(&clean, (const char *)s + i, (size_t)n);
        i += (size_t)n;
    }
    if (!clean.failed && clean.len)
        recorder_event(r, kind, clean.s, clean.len);
    text_free(&whole);
    text_free(&clean);
}

/* --- the relay ------------------------------------------------------------------------ */

/* Set by the parent's signal handlers, read by its relay loop. */
static volatile sig_atomic_t got_winch, got_signal;

static void on_winch(int sig)
{
    (void)sig;
    got_winch = 1;
}

static void on_signal(int sig)
{
    got_signal = sig;
}

static void write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;     /* the terminal went away: the recording goes on */
        buf += w;
        n -= (size_t)w;
    }
}

/* The terminal as a pseudo-terminal's parent uses it: every byte passed on
 * as it comes, nothing echoed, no signals from keys (the child's terminal
 * makes those). */
static void make_raw(struct termios *t)
{
    t->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t->c_oflag &= ~(tcflag_t)OPOST;
    t->c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t->c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
    t->c_cflag |= CS8;
    t->c_cc[VMIN] = 1;
    t->c_cc[VTIME] = 0;
}

static int relay(int master, pid_t child, Recorder *rec, bool keys)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_winch;
    sigaction(SIGWINCH, &sa, NULL);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    char out_carry[4], in_carry[4];
    size_t nout = 0, nin = 0;
    bool reading_keys = keys;
    for (;;) {
        if (got_winch) {
            got_winch = 0;
            struct winsize ws;
            if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
                ioctl(master, TIOCSWINSZ, &ws);     /* the child gets SIGWINCH */
                char size[32];
                int n = snprintf(size, sizeof size, "%ux%u", (unsigned)ws.ws_col, (unsigned)ws.ws_row);
                recorder_event(rec, 'r', size, (size_t)n);
            }
        }
        if (got_signal) {
            /* Passed on: the session ends its own way, then so does this. */
            kill(child, got_signal);
            got_signal = 0;
        }
        struct pollfd p[2] = { { master, POLLIN, 0 }, { reading_keys ? STDIN_FILENO : -1, POLLIN, 0 } };
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (p[0].revents) {
            char buf[8192];
            ssize_t n = read(master, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;      /* EIO: the session has ended and all it wrote was read */
            write_all(STDOUT_FILENO, buf, (size_t)n);
            record_bytes(rec, 'o', buf, (size_t)n, out_carry, &nout);
        }
        if (p[1].revents) {
            char buf[1024];
            ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                reading_keys = false;   /* the terminal is gone; the session will see its hangup */
                continue;
            }
            write_all(master, buf, (size_t)n);
            record_bytes(rec, 'i', buf, (size_t)n, in_carry, &nin);
        }
    }
    /* Bytes still held back were never completed. */
    record_bytes(rec, 'o', NULL, 0, out_carry, &nout);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
}

int record_session(const char *path, Error *e)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0) {
        memset(&ws, 0, sizeof ws);
        ws.ws_col = 80;
        ws.ws_row = 24;
    }
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    const char *name = master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0 ? ptsname(master) : NULL;
    char *slave = name ? mem_strdup(name) : NULL;
    int sync[2] = { -1, -1 };
    if (!slave || pipe(sync) != 0) {
        error_set(e, ERROR_IO, "--record: cannot make a pseudo-terminal: %s", strerror(errno ? errno : ENOMEM));
        if (master >= 0)
            close(master);
        mem_free(slave);
        return RECORD_FAILED;
    }
    ioctl(master, TIOCSWINSZ, &ws);
    struct termios tio;
    bool keys = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &tio) == 0;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        error_set(e, ERROR_IO, "--record: cannot start the session: %s", strerror(errno));
        close(master);
        close(sync[0]);
        close(sync[1]);
        mem_free(slave);
        return RECORD_FAILED;
    }
    if (pid == 0) {
        /* The session: a new session whose controlling terminal is the
         * pseudo-terminal; it waits until the recording is open. */
        close(master);
        close(sync[1]);
        setsid();
        int fd = open(slave, O_RDWR);
        mem_free(slave);
        char go = 0;
        ssize_t got;
        while ((got = read(sync[0], &go, 1)) < 0 && errno == EINTR)
            ;
        close(sync[0]);
        if (fd < 0 || got != 1 || go != 'g')
            _exit(2);
        if (keys) {
            /* The same modes as the real terminal, but Ctrl-Z does
             * nothing: a stopped session could not be resumed from here. */
            tio.c_cc[VSUSP] = _POSIX_VDISABLE;
            tcsetattr(fd, TCSANOW, &tio);
            dup2(fd, STDIN_FILENO);
        }
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        if (fd > STDERR_FILENO)
            close(fd);
        return RECORD_CHILD;
    }
    close(sync[0]);
    mem_free(slave);
    Recorder rec;
    if (!recorder_open(&rec, path, ws.ws_col, ws.ws_row, e)) {
        close(sync[1]);     /* the session ends without a word */
        close(master);
        waitpid(pid, NULL, 0);
        return RECORD_FAILED;
    }
    struct termios raw = tio;
    if (keys) {
        make_raw(&raw);
        tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    }
    write_all(sync[1], "g", 1);
    close(sync[1]);
    int status = relay(master, pid, &rec, keys);
    close(master);
    if (keys)
        tcsetattr(STDIN_FILENO, TCSANOW, &tio);
    error_clear(e);
    if (!recorder_close(&rec, e) && status == 0)
        status = 1;
    return status;
}
