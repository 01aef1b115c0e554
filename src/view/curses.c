/* curses.c - the full-screen dashboard: paces training, reads keys, and
 * paints the Grid that view_draw fills, with ncurses.
 *
 * Training runs in slices between redraws: at the chosen pace (so change
 * is visible), or unpaced for 1/30 s at a time, so that drawing (at most 30
 * times a second) never slows it much.  The terminal is restored on every
 * way out: q, the end of training, Ctrl-C, an error, and SIGTERM or SIGHUP
 * (whose handlers, installed only while the view is open, just set a flag
 * the loop acts on).
 */
#include "nudge/view.h"

#include <curses.h>
#include <term.h>     /* setupterm: only to test TERM, see screen_open */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "nudge/clock.h"
#include "nudge/mem.h"
#include "nudge/text.h"

/* Set by the handlers below while the view is open; like the SIGINT flag,
 * the only state a signal handler can safely share. */
static volatile sig_atomic_t pending_signal;
static volatile sig_atomic_t pending_resize;

static void on_signal(int sig)
{
    if (sig == SIGWINCH)
        pending_resize = 1;
    else
        pending_signal = sig;
}

/* Saved on opening and restored on closing; SIGINT keeps its handler (the
 * interpreter's) but is restored too, in case curses installed its own. */
enum { NSIGNALS = 5 };
static const int caught[NSIGNALS] = { SIGTERM, SIGHUP, SIGWINCH, SIGTSTP, SIGINT };

/* The signals whose default action ends the process (SIGTERM and SIGHUP
 * aside, which the loop acts on): while the view is open, each first puts
 * the terminal back (fatal_restore), then goes on to the action it had
 * before, re-raised (SIG_DFL's end, or a sanitizer's report). */
enum { NFATAL = 14 };
static const int fatal[NFATAL] = { SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGSYS, SIGTRAP,
                                   SIGXCPU, SIGALRM, SIGUSR1, SIGUSR2, SIGVTALRM, SIGPROF };
static struct sigaction fatal_saved[NFATAL];
/* What the handler writes and sets, made ready when the view opens: the
 * terminal's own sequences to leave the alternate screen, reset colours
 * and show the cursor, and the line settings from before curses. */
static char fatal_restore[256];
static volatile sig_atomic_t fatal_restore_len;
static struct termios fatal_tty;
static volatile sig_atomic_t fatal_have_tty;

static void on_fatal(int sig)
{
    if (fatal_restore_len > 0) {
        ssize_t w = write(STDOUT_FILENO, fatal_restore, (size_t)fatal_restore_len);
        (void)w;
    }
    if (fatal_have_tty)
        tcsetattr(STDIN_FILENO, TCSANOW, &fatal_tty);
    for (int i = 0; i < NFATAL; i++)
        if (fatal[i] == sig)
            sigaction(sig, &fatal_saved[i], NULL);
    raise(sig);     /* delivered when this handler returns, to the old action */
}

typedef struct Screen {
    SCREEN *scr;
    struct sigaction saved[NSIGNALS];
    attr_t attr[ROLE_COUNT];
    short pair[ROLE_COUNT];
    bool color;
} Screen;

/* --- colours ----------------------------------------------------------------------- */

typedef struct Palette {
    short fg, bg;
    attr_t attr;
} Palette;

/* xterm-256 colours: blue for positive, orange for negative (TensorFlow
 * Playground's), green and red for better and worse. */
static const Palette palette256[ROLE_COUNT] = {
    [ROLE_TEXT] = { -1, -1, 0 },
    [ROLE_DIM] = { 245, -1, 0 },
    [ROLE_TITLE] = { 153, -1, A_BOLD },
    [ROLE_BORDER] = { 239, -1, 0 },
    [ROLE_STATUS] = { 252, 236, 0 },
    [ROLE_STATUS_VALUE] = { 229, 236, A_BOLD },
    [ROLE_RUNNING] = { 16, 114, A_BOLD },
    [ROLE_PAUSED] = { 16, 221, A_BOLD },
    [ROLE_FINISHED] = { 16, 117, A_BOLD },
    [ROLE_KEY] = { 229, 237, A_BOLD },
    [ROLE_POS1] = { 67, -1, 0 },
    [ROLE_POS2] = { 75, -1, 0 },
    [ROLE_POS3] = { 39, -1, A_BOLD },
    [ROLE_NEG1] = { 137, -1, 0 },
    [ROLE_NEG2] = { 215, -1, 0 },
    [ROLE_NEG3] = { 208, -1, A_BOLD },
    [ROLE_UP] = { 114, -1, A_BOLD },
    [ROLE_DOWN] = { 204, -1, A_BOLD },
    [ROLE_SHADE_NEG4] = { 208, 208, 0 },
    [ROLE_SHADE_NEG3] = { 172, 172, 0 },
    [ROLE_SHADE_NEG2] = { 130, 130, 0 },
    [ROLE_SHADE_NEG1] = { 94, 94, 0 },
    [ROLE_SHADE_POS1] = { 24, 24, 0 },
    [ROLE_SHADE_POS2] = { 25, 25, 0 },
    [ROLE_SHADE_POS3] = { 32, 32, 0 },
    [ROLE_SHADE_POS4] = { 33, 33, 0 },
    [ROLE_POINT_POS] = { 16, 153, A_BOLD },
    [ROLE_POINT_NEG] = { 16, 223, A_BOLD },
    [ROLE_POINT_ACTIVE] = { 16, 231, A_BOLD },
    [ROLE_BOUNDARY_NEG] = { 231, 94, A_BOLD },
    [ROLE_BOUNDARY_POS] = { 231, 24, A_BOLD },
    [ROLE_CURVE] = { 75, -1, 0 },
    [ROLE_CURVE_FILL] = { 24, 24, 0 },
    [ROLE_CURVE_VAL] = { 214, -1, A_BOLD },
    [ROLE_CURRENT] = { 229, -1, A_BOLD },
    [ROLE_GOOD] = { 114, -1, A_BOLD },
    [ROLE_BAD] = { 203, -1, A_BOLD },
};

/* Eight colours: the same roles, fewer shades. */
static const Palette palette8[ROLE_COUNT] = {
    [ROLE_TEXT] = { -1, -1, 0 },
    [ROLE_DIM] = { -1, -1, A_DIM },
    [ROLE_TITLE] = { COLOR_CYAN, -1, A_BOLD },
    [ROLE_BORDER] = { COLOR_BLUE, -1, 0 },
    [ROLE_STATUS] = { COLOR_BLACK, COLOR_WHITE, 0 },
    [ROLE_STATUS_VALUE] = { COLOR_BLACK, COLOR_WHITE, A_BOLD },
    [ROLE_RUNNING] = { COLOR_BLACK, COLOR_GREEN, A_BOLD },
    [ROLE_PAUSED] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD },
    [ROLE_FINISHED] = { COLOR_BLACK, COLOR_CYAN, A_BOLD },
    [ROLE_KEY] = { COLOR_YELLOW, -1, A_BOLD },
    [ROLE_POS1] = { COLOR_CYAN, -1, 0 },
    [ROLE_POS2] = { COLOR_CYAN, -1, 0 },
    [ROLE_POS3] = { COLOR_CYAN, -1, A_BOLD },
    [ROLE_NEG1] = { COLOR_YELLOW, -1, 0 },
    [ROLE_NEG2] = { COLOR_YELLOW, -1, 0 },
    [ROLE_NEG3] = { COLOR_YELLOW, -1, A_BOLD },
    [ROLE_UP] = { COLOR_GREEN, -1, A_BOLD },
    [ROLE_DOWN] = { COLOR_RED, -1, A_BOLD },
    [ROLE_SHADE_NEG4] = { COLOR_RED, COLOR_RED, 0 },
    [ROLE_SHADE_NEG3] = { COLOR_RED, COLOR_RED, 0 },
    [ROLE_SHADE_NEG2] = { COLOR_RED, COLOR_RED, 0 },
    [ROLE_SHADE_NEG1] = { -1, -1, 0 },
    [ROLE_SHADE_POS1] = { -1, -1, 0 },
    [ROLE_SHADE_POS2] = { COLOR_BLUE, COLOR_BLUE, 0 },
    [ROLE_SHADE_POS3] = { COLOR_BLUE, COLOR_BLUE, 0 },
    [ROLE_SHADE_POS4] = { COLOR_BLUE, COLOR_BLUE, 0 },
    [ROLE_POINT_POS] = { COLOR_WHITE, COLOR_CYAN, A_BOLD },
    [ROLE_POINT_NEG] = { COLOR_WHITE, COLOR_YELLOW, A_BOLD },
    [ROLE_POINT_ACTIVE] = { COLOR_BLACK, COLOR_WHITE, A_BOLD },
    [ROLE_BOUNDARY_NEG] = { COLOR_WHITE, -1, A_BOLD },
    [ROLE_BOUNDARY_POS] = { COLOR_WHITE, -1, A_BOLD },
    [ROLE_CURVE] = { COLOR_CYAN, -1, A_BOLD },
    [ROLE_CURVE_FILL] = { COLOR_BLUE, -1, 0 },
    [ROLE_CURVE_VAL] = { COLOR_YELLOW, -1, A_BOLD },
    [ROLE_CURRENT] = { COLOR_YELLOW, -1, A_BOLD },
    [ROLE_GOOD] = { COLOR_GREEN, -1, A_BOLD },
    [ROLE_BAD] = { COLOR_RED, -1, A_BOLD },
};

/* No colour (NO_COLOR, or a monochrome terminal): attributes only; the
 * plane carries its shading in its glyphs. */
static attr_t mono_attr(Role r)
{
    switch (r) {
    case ROLE_STATUS: return A_REVERSE;
    case ROLE_POINT_ACTIVE: return A_REVERSE | A_BOLD;
    case ROLE_STATUS_VALUE: return A_REVERSE | A_BOLD;
    case ROLE_RUNNING:
    case ROLE_PAUSED:
    case ROLE_FINISHED: return A_BOLD;
    case ROLE_TITLE:
    case ROLE_KEY:
    case ROLE_POS3:
    case ROLE_NEG3:
    case ROLE_POINT_POS:
    case ROLE_POINT_NEG:
    case ROLE_BOUNDARY_NEG:
    case ROLE_BOUNDARY_POS:
    case ROLE_CURRENT:
    case ROLE_CURVE_VAL:
    case ROLE_BAD: return A_BOLD;
    case ROLE_DIM:
    case ROLE_BORDER:
    case ROLE_CURVE_FILL: return A_DIM;
    default: return A_NORMAL;
    }
}

static void setup_colors(Screen *sc, bool want_color)
{
    sc->color = false;
    for (int r = 0; r < ROLE_COUNT; r++) {
        sc->attr[r] = mono_attr((Role)r);
        sc->pair[r] = 0;
    }
    if (!want_color || !has_colors() || start_color() == ERR)
        return;
    use_default_colors();
    const Palette *p = COLORS >= 256 ? palette256 : palette8;
    if (COLORS < 8 || COLOR_PAIRS < ROLE_COUNT + 1)
        return;
    for (int r = 0; r < ROLE_COUNT; r++) {
        init_pair((short)(r + 1), p[r].fg, p[r].bg);
        sc->pair[r] = (short)(r + 1);
        sc->attr[r] = p[r].attr;
    }
    sc->color = true;
}

/* --- the terminal ------------------------------------------------------------------- */

static void restore_signals(Screen *sc)
{
    for (int i = 0; i < NSIGNALS; i++)
        sigaction(caught[i], &sc->saved[i], NULL);
    for (int i = 0; i < NFATAL; i++) {
        struct sigaction now;
        /* One that on_fatal has not already put back. */
        if (sigaction(fatal[i], NULL, &now) == 0 && now.sa_handler == on_fatal)
            sigaction(fatal[i], &fatal_saved[i], NULL);
    }
    fatal_restore_len = 0;
}

/* Appends the terminal's capability name (rmcup, ...) to fatal_restore. */
static void add_restore(const char *cap)
{
    char *seq = tigetstr(cap);
    if (!seq || seq == (char *)-1)
        return;
    size_t have = (size_t)fatal_restore_len, n = strlen(seq);
    if (have + n >= sizeof fatal_restore)
        return;
    memcpy(fatal_restore + have, seq, n);
    fatal_restore_len = (sig_atomic_t)(have + n);
}

/* After newterm: the restoring sequences and handlers for fatal signals. */
static void catch_fatal(void)
{
    fatal_restore_len = 0;
    add_restore("sgr0");
    add_restore("cnorm");
    add_restore("rmcup");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < NFATAL; i++) {
        sigaction(fatal[i], NULL, &fatal_saved[i]);
        if (fatal_saved[i].sa_handler != SIG_IGN)
            sigaction(fatal[i], &sa, NULL);
    }
}

static bool screen_open(Screen *sc, bool want_color, Error *e)
{
    memset(sc, 0, sizeof *sc);
    fflush(stdout);
    fflush(stderr);
    pending_signal = 0;
    pending_resize = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < NSIGNALS; i++) {
        sigaction(caught[i], NULL, &sc->saved[i]);
        if (caught[i] == SIGINT)
            continue;
        /* Ctrl-Z is a key in raw mode; a SIGTSTP from elsewhere is ignored
         * rather than stopping with the terminal in full-screen mode. */
        struct sigaction mine = sa;
        if (caught[i] == SIGTSTP)
            mine.sa_handler = SIG_IGN;
        sigaction(caught[i], &mine, NULL);
    }
    /* A terminal type that terminfo does not know makes newterm fail and
     * leak the screen it began (ncurses 6.4); setupterm fails cleanly, so
     * it asks first. */
    fatal_have_tty = tcgetattr(STDIN_FILENO, &fatal_tty) == 0;
    int term_err = 0;
    if (setupterm(NULL, STDOUT_FILENO, &term_err) == OK) {
        del_curterm(cur_term);
        sc->scr = newterm(NULL, stdout, stdin);
    }
    if (!sc->scr) {
        restore_signals(sc);
        const char *term = getenv("TERM");
        return error_set(e, ERROR_IO, "watch: cannot open the terminal (TERM=%s)", term ? term : "");
    }
    set_term(sc->scr);
    catch_fatal();
    raw();      /* every key, Ctrl-C included, arrives as a key */
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    typeahead(-1);  /* no check for keys in the middle of every refresh: one poll each */
    set_escdelay(25);
    curs_set(0);
    setup_colors(sc, want_color);
    return true;
}

static void screen_close(Screen *sc)
{
    if (!sc->scr)
        return;
    curs_set(1);
    endwin();
    delscreen(sc->scr);
    sc->scr = NULL;
    restore_signals(sc);
    fflush(stdout);
}

/* Paints the cells of g that differ from shown (the grid last painted, of
 * the same size; NULL repaints all), then shows the result. */
static void paint(const Screen *sc, const Grid *g, const Grid *shown)
{
    for (int r = 0; r < g->rows && r < LINES; r++)
        for (int c = 0; c < g->cols && c < COLS; c++) {
            const Cell *cell = grid_at(g, r, c);
            if (shown) {
                const Cell *old = grid_at(shown, r, c);
                if (old->ch == cell->ch && old->role == cell->role)
                    continue;
            }
            wchar_t wc[2] = { (wchar_t)cell->ch, 0 };
            cchar_t cc;
            setcchar(&cc, wc, sc->attr[cell->role], sc->pair[cell->role], NULL);
            mvadd_wch(r, c, &cc);   /* the bottom-right cell reports ERR but is drawn */
        }
    wnoutrefresh(stdscr);
    doupdate();
}

/* Reads one key within ms milliseconds (0: do not wait); -1 when none. */
static int read_key(int ms)
{
    wtimeout(stdscr, ms);
    wint_t ch;
    int r = wget_wch(stdscr, &ch);
    if (r == ERR)
        return -1;
    if (r == KEY_CODE_YES) {
        if (ch == KEY_RIGHT)
            return VIEW_KEY_RIGHT;
        if (ch == KEY_RESIZE)
            return VIEW_KEY_RESIZE;
        if (ch == KEY_UP)
            return VIEW_KEY_UP;
        if (ch == KEY_DOWN)
            return VIEW_KEY_DOWN;
        if (ch == KEY_PPAGE)
            return VIEW_KEY_PAGE_UP;
        if (ch == KEY_NPAGE)
            return VIEW_KEY_PAGE_DOWN;
        return 0x110000;    /* another function key: "any key" */
    }
    return (int)ch;
}

/* After SIGWINCH: tell curses the new size; resizeterm queues KEY_RESIZE,
 * so the layout follows in the one place keys are handled. */
static void follow_resize(void)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
}

/* --- the loop ----------------------------------------------------------------------- */

enum { FRAME_HZ = 30, UNPACED_FRAME_HZ = 10 };
#define FRAME (1.0 / FRAME_HZ)
#define UNPACED_FRAME (1.0 / UNPACED_FRAME_HZ)
/* Seconds the finished screen stays up when nobody is there to press a key. */
#define END_HOLD 1.0
/* Above this pace, training is as fast as it goes. */
#define MAX_PACE 1e6

/* What the dashboard drives, a step at a time: a training run (a step is
 * an epoch of a net, an example for a perceptron) or a watched loop (a
 * step is a pass). */
typedef struct Driver {
    void *ctx;
    Interp *in;
    bool (*run)(void *ctx, size_t n, size_t *ran, Error *e);   /* up to n steps */
    bool (*finished)(const void *ctx);
    ViewState (*end_state)(const void *ctx);
    size_t (*per_unit)(const void *ctx);    /* steps per epoch (per pass: 1) */
    size_t (*units)(const void *ctx);       /* epochs (passes) run */
    bool (*snapshot)(void *ctx, Snapshot *s, Error *e);
    void (*restart)(void *ctx);             /* NULL: r does nothing */
    void (*set_lr)(void *ctx, bool up);     /* NULL: [ and ] do nothing */
    double *seconds;                        /* where the time spent running goes (may be NULL) */
    /* Hands the run a function to ask between the pieces of one long step
     * (mini-batches of an epoch) whether to stop there; NULL: steps are
     * not split. */
    void (*set_stop)(void *ctx, bool (*stop)(void *), void *stop_ctx);
} Driver;

typedef struct Session {
    const Driver *d;
    Screen sc;
    Grid grid;
    Grid shown;             /* what the terminal shows: grid after the last paint */
    bool shown_valid;
    Snapshot snap;
    ViewFacts facts;        /* of the last frame: how far the weights scroll */
    int scroll;
    ViewState state;
    bool log_scale;
    double pace;            /* epochs per second; INFINITY: unpaced */
    size_t steps;           /* steps run */
    double base_time;       /* pacing counts steps from here... */
    size_t base_steps;      /* ...and this many */
    double train_time;      /* seconds spent running since the (re)start */
    double run_since;       /* when running last resumed (or the last tally) */
    size_t chunk;           /* steps between clock checks */
    bool dirty;
    bool wait_at_end;       /* wait for a key when training ends (else hold the last frame) */
    double shown_end;       /* when the finished state was first on screen (0: not yet) */
    double key_polled;      /* when quit_waiting last read the keyboard */
    bool interrupted;       /* quit_waiting saw a SIGINT */
    bool quit_waiting;      /* and q or Ctrl-C: no frame is drawn before it is read */
} Session;

static void tally(Session *s, double now)
{
    if (s->state == VIEW_STATE_RUNNING)
        s->train_time += now - s->run_since;
    s->run_since = now;
    if (s->d->seconds)
        *s->d->seconds = s->train_time;
}

static void repace(Session *s, double now)
{
    s->base_time = now;
    s->base_steps = s->steps;
}

static bool resize_grid(Session *s, Error *e)
{
    grid_free(&s->grid);
    grid_free(&s->shown);
    s->shown_valid = false;
    s->dirty = true;
    clearok(curscr, TRUE);
    return grid_init(&s->grid, LINES, COLS, e) && grid_init(&s->shown, LINES, COLS, e);
}

static bool draw(Session *s, double now, Error *e)
{
    tally(s, now);
    Snapshot *p = &s->snap;
    if (!s->d->snapshot(s->d->ctx, p, e))
        return false;
    p->speed = s->pace;
    p->elapsed = s->train_time;
    p->state = s->state;
    p->log_scale = s->log_scale;
    p->color = s->sc.color;
    p->scroll = s->scroll;
    view_draw_facts(p, &s->grid, &s->facts);
    paint(&s->sc, &s->grid, s->shown_valid ? &s->shown : NULL);
    memcpy(s->shown.cells, s->grid.cells, (size_t)s->grid.rows * (size_t)s->grid.cols * sizeof *s->grid.cells);
    s->shown_valid = true;
    s->dirty = false;
    return true;
}

/* Runs what is due: at the pace, the steps up to now; unpaced, as many as
 * fit before the deadline (the next redraw). */
static bool train_slice(Session *s, double now, double deadline, Error *e)
{
    const Driver *d = s->d;
    size_t want = SIZE_MAX, per_unit = d->per_unit(d->ctx);
    if (!isinf(s->pace)) {
        double due = (double)s->base_steps + floor((now - s->base_time) * s->pace * (double)per_unit);
        want = due > (double)s->steps ? (size_t)(due - (double)s->steps) : 0;
    }
    while (want > 0 && !d->finished(d->ctx)) {
        size_t n = want < s->chunk ? want : s->chunk, ran = 0;
        double t0 = clock_seconds();
        bool ok = d->run(d->ctx, n, &ran, e);
        s->steps += ran;
        if (ran)
            s->dirty = true;
        if (!ok)
            return false;
        double t1 = clock_seconds();
        want -= ran < want ? ran : want;
        /* Aim for about a millisecond between clock checks. */
        if (t1 - t0 < 0.0005 && s->chunk < ((size_t)1 << 20))
            s->chunk *= 2;
        else if (t1 - t0 > 0.002 && s->chunk > 1)
            s->chunk /= 2;
        if (t1 >= deadline || ran == 0)
            break;
    }
    if (d->finished(d->ctx)) {
        tally(s, clock_seconds());
        s->state = d->end_state(d->ctx);
        s->dirty = true;
    }
    return true;
}

static void set_pace(Session *s, bool faster, double now)
{
    if (faster) {
        if (!isinf(s->pace)) {
            s->pace = view_ladder(s->pace, true);
            if (s->pace > MAX_PACE)
                s->pace = INFINITY;
        }
    } else {
        double from = s->pace;
        if (isinf(from)) {
            from = s->train_time > 0 ? (double)s->d->units(s->d->ctx) / s->train_time : MAX_PACE;
            if (from > MAX_PACE)
                from = MAX_PACE;
        }
        double v = view_ladder(from, false);
        s->pace = v >= 0.1 ? v : 0.1;
    }
    repace(s, now);
}

/* Scrolls the weights panel by n lines (negative: up), within its ends. */
static void scroll_by(Session *s, int n)
{
    int most = s->facts.weight_lines - s->facts.weight_rows;
    s->scroll += n;
    if (s->scroll > most)
        s->scroll = most;
    if (s->scroll < 0)
        s->scroll = 0;
}

typedef enum Outcome { GO_ON, LEAVE } Outcome;

/* Acts on one key; LEAVE ends the view with *end set. */
static Outcome on_key(Session *s, int key, TrainerEnd *end, Error *e, bool *failed)
{
    const Driver *d = s->d;
    unsigned act = view_key(key);
    double now = clock_seconds();
    if (act & VIEW_ACT_RESIZE) {
        if (!resize_grid(s, e))
            *failed = true;
        return *failed ? LEAVE : GO_ON;
    }
    if (act & VIEW_ACT_INTERRUPT) {
        *end = TRAINER_INTERRUPTED;
        return LEAVE;
    }
    if (act == 0)
        return GO_ON;
    s->dirty = true;
    bool finished = s->state != VIEW_STATE_RUNNING && s->state != VIEW_STATE_PAUSED;
    if (act & (VIEW_ACT_UP | VIEW_ACT_DOWN | VIEW_ACT_PAGE_UP | VIEW_ACT_PAGE_DOWN)) {
        int page = s->facts.weight_rows > 1 ? s->facts.weight_rows - 1 : 1;
        scroll_by(s, act & VIEW_ACT_UP ? -1 : act & VIEW_ACT_DOWN ? 1 : act & VIEW_ACT_PAGE_UP ? -page : page);
        return GO_ON;
    }
    if ((act & VIEW_ACT_RESTART) && d->restart) {
        tally(s, now);
        d->restart(d->ctx);
        snapshot_forget_changes(&s->snap);
        s->state = VIEW_STATE_RUNNING;
        s->train_time = 0;
        s->steps = 0;
        s->run_since = now;
        repace(s, now);
        return GO_ON;
    }
    if (act & VIEW_ACT_LOG) {
        s->log_scale = !s->log_scale;
        return GO_ON;
    }
    if (finished) {
        *end = TRAINER_FINISHED;
        return LEAVE;   /* any other key returns to the prompt */
    }
    if (act & VIEW_ACT_QUIT) {
        *end = TRAINER_QUIT;
        return LEAVE;
    }
    if (act & VIEW_ACT_PAUSE) {
        tally(s, now);
        s->state = s->state == VIEW_STATE_RUNNING ? VIEW_STATE_PAUSED : VIEW_STATE_RUNNING;
        repace(s, now);
    }
    if (act & VIEW_ACT_STEP) {
        tally(s, now);
        s->state = VIEW_STATE_PAUSED;
        double t0 = clock_seconds();
        size_t ran = 0;
        bool ok = d->run(d->ctx, 1, &ran, e);
        s->steps += ran;
        s->train_time += clock_seconds() - t0;
        if (!ok) {
            *failed = true;
            return LEAVE;
        }
        if (d->finished(d->ctx))
            s->state = d->end_state(d->ctx);
    }
    if (act & (VIEW_ACT_FASTER | VIEW_ACT_SLOWER))
        set_pace(s, (act & VIEW_ACT_FASTER) != 0, now);
    if ((act & (VIEW_ACT_LR_UP | VIEW_ACT_LR_DOWN)) && d->set_lr)
        d->set_lr(d->ctx, (act & VIEW_ACT_LR_UP) != 0);
    return GO_ON;
}

/* How long to wait for a key before there is something to do. */
static int wait_ms(const Session *s, double now, double next_draw)
{
    double wake;
    if (s->state == VIEW_STATE_RUNNING) {
        if (isinf(s->pace))
            return 0;
        double rate = s->pace * (double)s->d->per_unit(s->d->ctx);
        double next_due = s->base_time + ((double)(s->steps - s->base_steps) + 1) / rate;
        wake = fmax(next_due, next_draw);
    } else {
        wake = s->dirty ? next_draw : now + 0.25;
    }
    double ms = ceil((wake - now) * 1000);
    return ms < 0 ? 0 : ms > 250 ? 250 : (int)ms;
}

/* MlpRun's stop, asked between mini-batches: true when q or Ctrl-C is
 * waiting (or a signal came), so that one long epoch does not keep the
 * view from quitting.  Any other key is put back for the loop to read
 * after the epoch.  Keys are looked at 20 times a second at most, so that
 * small batches do not pay a system call each. */
static bool quit_waiting(void *ctx)
{
    Session *s = ctx;
    if (pending_signal)
        return true;
    if (interp_interrupted(s->d->in)) {
        s->interrupted = true;      /* the flag is read once: the loop acts on this */
        return true;
    }
    double now = clock_seconds();
    if (now - s->key_polled < 0.05)
        return false;
    s->key_polled = now;
    wtimeout(stdscr, 0);
    wint_t ch;
    int r = wget_wch(stdscr, &ch);
    if (r == ERR)
        return false;
    if (r == KEY_CODE_YES) {
        ungetch((int)ch);
        return false;
    }
    unget_wch((wchar_t)ch);
    s->quit_waiting = ch == 'q' || ch == 'Q' || ch == 3;
    return s->quit_waiting;
}

/* Leaves after a SIGTERM or SIGHUP: the terminal back to normal, then the
 * signal's own action (which normally ends the process). */
static void die_of(Session *s, int sig)
{
    screen_close(&s->sc);
    raise(sig);
}

/* The dashboard on the terminal until the run ends and a key is pressed
 * (or q, Ctrl-C, an error).  A pace of 0 is decided by pace(ctx) after
 * the first step, which runs at once. */
static bool run_session(const Driver *d, double speed, double (*pace)(const void *ctx), bool color, bool wait,
                        TrainerEnd *end, bool *opened, Error *e)
{
    *opened = false;
    Session s;
    memset(&s, 0, sizeof s);
    s.d = d;
    s.wait_at_end = wait;
    s.pace = speed > MAX_PACE ? INFINITY : speed;
    s.chunk = 1;
    s.state = d->finished(d->ctx) ? d->end_state(d->ctx) : VIEW_STATE_RUNNING;
    snapshot_init(&s.snap);
    *end = TRAINER_FINISHED;
    if (!screen_open(&s.sc, color, e))
        return false;
    *opened = true;
    if (d->set_stop)
        d->set_stop(d->ctx, quit_waiting, &s);
    bool failed = !resize_grid(&s, e);
    if (!failed && s.pace <= 0) {
        size_t ran = 0;
        double t0 = clock_seconds();
        failed = !d->run(d->ctx, 1, &ran, e);
        s.steps = ran;
        s.train_time = clock_seconds() - t0;
        s.pace = pace(d->ctx);
        if (d->finished(d->ctx))
            s.state = d->end_state(d->ctx);
    }
    /* Unpaced, the first frame waits a frame's time: a short run then
     * finishes before any drawing, and only its end is shown. */
    double now = clock_seconds(), next_draw = isinf(s.pace) ? now + UNPACED_FRAME : now;
    s.run_since = now;
    repace(&s, now);
    s.dirty = true;
    while (!failed) {
        if (pending_signal) {
            int sig = pending_signal;
            pending_signal = 0;
            die_of(&s, sig);
            *end = TRAINER_INTERRUPTED;     /* the signal did not end the process */
            break;
        }
        if (pending_resize) {
            pending_resize = 0;
            follow_resize();    /* curses then reports KEY_RESIZE, handled in on_key */
        }
        if (s.interrupted || interp_interrupted(d->in)) {
            *end = TRAINER_INTERRUPTED;
            break;
        }
        now = clock_seconds();
        if (s.state == VIEW_STATE_RUNNING) {
            /* Keys are read at least 20 times a second. */
            double deadline = isinf(s.pace) ? fmin(fmax(next_draw, now + 0.2 * FRAME), now + 0.05) : now + FRAME;
            if (!train_slice(&s, now, deadline, e)) {
                failed = true;
                break;
            }
            now = clock_seconds();
        }
        if (s.dirty && now >= next_draw && !s.quit_waiting && !s.interrupted) {
            if (!draw(&s, now, e)) {
                failed = true;
                break;
            }
            /* At most 30 frames a second (10 unpaced, when the terminal's
             * own work of showing frames would compete with training), and
             * fewer when drawing is slow (a big or remote terminal), so it
             * takes at most a tenth of the time. */
            double after = clock_seconds();
            double least = isinf(s.pace) && s.state == VIEW_STATE_RUNNING ? UNPACED_FRAME : FRAME;
            next_draw = after + fmin(fmax(least, 9 * (after - now)), 0.5);
        }
        /* Unattended (nobody to press a key): the finished screen stays up
         * for a moment, then the statement returns by itself. */
        bool finished = s.state != VIEW_STATE_RUNNING && s.state != VIEW_STATE_PAUSED;
        if (!finished || s.dirty)
            s.shown_end = 0;
        else if (s.shown_end == 0)
            s.shown_end = now;
        else if (!s.wait_at_end && now - s.shown_end >= END_HOLD)
            break;
        int key = read_key(wait_ms(&s, now, next_draw));
        Outcome o = GO_ON;
        for (int i = 0; key >= 0 && o == GO_ON && i < 64; i++) {
            o = on_key(&s, key, end, e, &failed);
            if (o == GO_ON)
                key = read_key(0);
        }
        if (o == LEAVE)
            break;
    }
    if (d->set_stop)
        d->set_stop(d->ctx, NULL, NULL);
    screen_close(&s.sc);
    grid_free(&s.grid);
    grid_free(&s.shown);
    snapshot_free(&s.snap);
    return !failed;
}

/* --- a training run ------------------------------------------------------------------ */

static bool trainer_steps(void *ctx, size_t n, size_t *ran, Error *e)
{
    Trainer *t = ctx;
    if (trainer_steps_per_epoch(t) == 1)
        return trainer_run(t, n, ran, e);
    *ran = 0;
    for (; *ran < n && !trainer_finished(t); (*ran)++)
        if (!trainer_step(t, e))
            return false;
    return true;
}

static bool trainer_done(const void *ctx) { return trainer_finished(ctx); }
static size_t trainer_per_epoch(const void *ctx) { return trainer_steps_per_epoch(ctx); }
static size_t trainer_epochs(const void *ctx) { return ((const Trainer *)ctx)->epoch; }
static bool trainer_snap(void *ctx, Snapshot *s, Error *e) { return trainer_snapshot(ctx, s, e); }
static void trainer_again(void *ctx) { trainer_restart(ctx); }

static void trainer_stop_by(void *ctx, bool (*stop)(void *), void *stop_ctx)
{
    Trainer *t = ctx;
    t->run.stop = stop;
    t->run.stop_ctx = stop_ctx;
}

static ViewState trainer_end_state(const void *ctx)
{
    const Trainer *t = ctx;
    return t->diverged ? VIEW_STATE_DIVERGED : t->converged ? VIEW_STATE_CONVERGED : VIEW_STATE_DONE;
}

static void trainer_lr_key(void *ctx, bool up)
{
    Trainer *t = ctx;
    trainer_set_lr(t, view_ladder(t->lr, up));
}

bool view_run_curses(Trainer *t, double speed, bool color, bool wait, TrainerEnd *end, Error *e)
{
    Driver d = { t, t->in, trainer_steps, trainer_done, trainer_end_state, trainer_per_epoch, trainer_epochs,
                 trainer_snap, trainer_again, trainer_lr_key, &t->seconds, trainer_stop_by };
    bool opened;
    return run_session(&d, speed, NULL, color, wait, end, &opened, e);
}

/* --- a watched loop ------------------------------------------------------------------ */

static bool loop_steps(void *ctx, size_t n, size_t *ran, Error *e) { return loop_run_steps(ctx, n, ran, e); }
static bool loop_done(const void *ctx) { return ((const LoopRun *)ctx)->done; }
static ViewState loop_end_state(const void *ctx) { (void)ctx; return VIEW_STATE_DONE; }
static size_t loop_per_pass(const void *ctx) { (void)ctx; return 1; }
static size_t loop_passes(const void *ctx) { return ((const LoopRun *)ctx)->passes; }
static bool loop_snap(void *ctx, Snapshot *s, Error *e) { return loop_run_snapshot(ctx, s, e); }

/* A loop of known length takes about 5 s, as a training run does; one of
 * unknown length runs 50 passes a second. */
static double loop_pace(const void *ctx)
{
    const LoopRun *r = ctx;
    size_t total = interp_loop_length(r->loop);
    if (!total)
        return 50;
    double pace = (double)total / 5;
    return pace < 1 ? 1 : pace;
}

/* What the loop's body prints while the view is open, kept for after it
 * (the screen is not the place, and the text would be lost with it). */
typedef struct Held {
    Text text;
    size_t dropped;     /* bytes beyond the limit */
} Held;

enum { HELD_MAX = 1 << 20 };

static void hold(void *ctx, const char *text, size_t len)
{
    Held *h = ctx;
    if (h->text.len + len > HELD_MAX) {
        h->dropped += len;
        return;
    }
    text_append(&h->text, text, len);
}

bool view_run_loop_curses(Interp *in, LiveLoop *loop, bool color, bool wait, Error *e)
{
    LoopRun r;
    if (!loop_run_init(&r, in, loop, e))
        return false;
    Driver d = { &r, in, loop_steps, loop_done, loop_end_state, loop_per_pass, loop_passes, loop_snap, NULL, NULL,
                 NULL };
    void *out_ctx;
    WriteFn out = interp_output(in, &out_ctx);
    Held held = { { 0 }, 0 };
    interp_set_output(in, hold, &held);
    TrainerEnd end;
    bool opened;
    bool ok = run_session(&d, 0, loop_pace, color, wait, &end, &opened, e);
    interp_set_output(in, out, out_ctx);
    if (held.text.len && out)
        out(out_ctx, held.text.s, held.text.len);
    if (held.dropped)
        interp_printf(in, "(%zu more bytes printed by the loop were not kept)\n", held.dropped);
    text_free(&held.text);
    if (!opened) {
        loop_run_free(&r);
        return false;
    }
    if (ok) {
        char *sum = loop_run_summary(&r, end, e);
        ok = sum != NULL;
        if (sum)
            interp_write(in, sum);
        mem_free(sum);
    }
    loop_run_free(&r);
    return ok;
}
