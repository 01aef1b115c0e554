/* plot.c - line charts in Braille dots and scatter charts by class, as
 * lines of text with round-number ticks and a legend. */
#include "nudge/plot.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nudge/mem.h"
#include "nudge/text.h"

/* Glyphs and colours by series (and by class: ○ first, then ●, so the two
 * classes of a 0/1 data set read as the live view draws them). */
static const char *const series_glyph[PLOT_MAX_SERIES] = { "●", "■", "▲", "◆", "✚", "★", "○", "□" };
static const char *const class_glyph[PLOT_MAX_CLASSES] = { "○", "●", "▲", "■", "◆", "✚", "★", "□" };
static const char *const region_glyph[] = { "·", "░", "▒", "∴" };
static const int palette[PLOT_MAX_SERIES] = { 34, 31, 32, 35, 33, 36, 94, 91 };

/* --- axes -------------------------------------------------------------------- */

void plot_y_range(double lo, double hi, double *out_lo, double *out_hi)
{
    if (lo > 0 && lo < hi * 5.0 / 6.0)
        lo = 0;
    else if (hi < 0 && hi > lo * 5.0 / 6.0)
        hi = 0;
    double mag = fmax(fabs(lo), fabs(hi));
    if ((lo > 0 || hi < 0) && hi - lo < 0.1 * mag) {
        double mid = lo / 2 + hi / 2;
        lo = mid - 0.05 * mag;
        hi = mid + 0.05 * mag;
    }
    if (lo == hi) {     /* all zero */
        lo = 0;
        hi = 1;
    }
    *out_lo = lo;
    *out_hi = hi;
}

static void add_tick(PlotAxis *a, double v)
{
    if (a->nticks < PLOT_MAX_TICKS)
        a->ticks[a->nticks++] = v;
}

void plot_axis_linear(double lo, double hi, int max_intervals, bool outward, bool integer, PlotAxis *a)
{
    memset(a, 0, sizeof *a);
    if (max_intervals < 1)
        max_intervals = 1;
    if (!(hi > lo)) {
        double w = integer ? 1 : lo != 0 ? fabs(lo) * 0.1 : 1;
        lo -= w;
        hi += w;
    }
    double span = hi - lo;
    double raw = span / max_intervals;
    double mag = pow(10, floor(log10(raw)));
    static const double mult[] = { 1, 2, 5, 10, 20, 50, 100 };
    double step = 0, alo = lo, ahi = hi;
    for (size_t i = 0; i < sizeof mult / sizeof mult[0]; i++) {
        step = mult[i] * mag;
        if (integer && step < 1)
            continue;
        if (step < raw * (1 - 1e-9))
            continue;
        if (!outward)
            break;
        alo = floor(lo / step + 1e-9) * step;
        ahi = ceil(hi / step - 1e-9) * step;
        if ((ahi - alo) / step <= max_intervals + 1e-9)
            break;
    }
    if (step == 0)
        step = 1;
    /* Fixed ends: smaller steps until at least two ticks fall between. */
    while (!outward && floor(hi / step + 1e-9) - ceil(lo / step - 1e-9) < 1 && !(integer && step <= 1)) {
        double m = step / pow(10, floor(log10(step) + 1e-9));
        step *= m > 4 ? 0.4 : 0.5;     /* 5 to 2, 2 to 1, 1 to 0.5 */
    }
    a->lo = outward ? alo : lo;
    a->hi = outward ? ahi : hi;
    a->step = step;
    double k0 = ceil(a->lo / step - 1e-9), k1 = floor(a->hi / step + 1e-9);
    for (double k = k0; k <= k1 && a->nticks < PLOT_MAX_TICKS; k++) {
        double v = k * step;
        add_tick(a, fabs(v) < step * 1e-9 ? 0.0 : v);
    }
}

void plot_axis_log(double lo, double hi, int max_intervals, bool outward, PlotAxis *a)
{
    memset(a, 0, sizeof *a);
    a->log = true;
    if (max_intervals < 1)
        max_intervals = 1;
    double l0 = log10(lo), l1 = log10(hi);
    if (outward && l1 - l0 <= 2) {
        /* A short range: out to the nearest 1, 2 or 5 times a power of ten. */
        static const double m[] = { 1, 2, 5, 10 };
        double d = floor(l0 + 1e-9), nlo = pow(10, d);
        for (size_t i = 0; i < 4; i++)
            if (m[i] * pow(10, d) <= lo * (1 + 1e-9))
                nlo = m[i] * pow(10, d);
        d = floor(l1 - 1e-9);
        double nhi = pow(10, d + 1);
        for (size_t i = 4; i-- > 0;)
            if (m[i] * pow(10, d) >= hi * (1 - 1e-9))
                nhi = m[i] * pow(10, d);
        if (nhi <= nlo)
            nhi = nlo * 2;
        lo = nlo;
        hi = nhi;
        l0 = log10(lo);
        l1 = log10(hi);
    } else if (outward) {
        l0 = floor(l0 + 1e-9);
        l1 = ceil(l1 - 1e-9);
        lo = pow(10, l0);
        hi = pow(10, l1);
    } else if (!(hi > lo)) {
        lo /= 10;
        hi *= 10;
        l0 = log10(lo);
        l1 = log10(hi);
    }
    a->lo = lo;
    a->hi = hi;
    double d0 = ceil(l0 - 1e-9), d1 = floor(l1 + 1e-9);
    double decades = d1 - d0;
    if (l1 - l0 <= 2.0 + 1e-9 && max_intervals >= 2 * (l1 - l0)) {
        /* Few decades: 1, 2 and 5 times each. */
        a->step = 0;
        static const double m[] = { 1, 2, 5 };
        for (double d = floor(l0 + 1e-9); d <= l1 + 1e-9; d++)
            for (size_t i = 0; i < 3; i++) {
                double v = m[i] * pow(10, d);
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9))
                    add_tick(a, v);
            }
        return;
    }
    double every = ceil(decades / max_intervals);
    if (every < 1)
        every = 1;
    a->step = every;
    for (double d = d0; d <= d1 + 1e-9; d += every)
        add_tick(a, pow(10, d));
}

const char *plot_tick_label(const PlotAxis *a, double v, char *buf, size_t n)
{
    if (a->log) {
        double d = floor(log10(v) + 1e-9);
        double m = v / pow(10, d);
        int mi = (int)lround(m);
        if (d >= -4 && d <= 5) {
            snprintf(buf, n, "%.*f", d < 0 ? (int)-d : 0, v);
        } else if (mi == 1) {
            snprintf(buf, n, "1e%d", (int)d);
        } else {
            snprintf(buf, n, "%de%d", mi, (int)d);
        }
        return buf;
    }
    double big = fmax(fabs(a->lo), fabs(a->hi));
    if (fabs(v) < a->step * 1e-9)
        v = 0;
    int dec = a->step >= 1 ? 0 : (int)ceil(-log10(a->step) - 1e-9);
    if (big >= 1e7 || dec > 8) {
        /* Enough significant digits to tell neighbouring ticks apart. */
        int sig = (int)floor(log10(big)) - (int)floor(log10(a->step) + 1e-9) + 1;
        snprintf(buf, n, "%.*g", sig < 1 ? 1 : sig > 15 ? 15 : sig, v);
    } else {
        snprintf(buf, n, "%.*f", dec, v);
    }
    return buf;
}

/* --- text helpers --------------------------------------------------------------- */

/* Columns a UTF-8 string takes (one per character: the glyphs used here
 * are all one column wide). */
/* Columns of a title or label as put_label shows it. */
static size_t text_cols(const char *s)
{
    size_t n = 0, len = strlen(s);
    for (size_t i = 0, step; i < len; i += step) {
        unsigned code;
        n += text_control_at(s + i, len - i, &step, &code) ? 4 : 1;
    }
    return n;
}

/* A title or label is the caller's text: its control characters are
 * shown as \xNN, never sent to the terminal. */
static void put_label(Text *t, const char *s)
{
    text_put_visible(t, s, strlen(s));
}

static void put_color(Text *t, const PlotOptions *o, int code)
{
    if (o->color)
        text_printf(t, "\x1b[%dm", code);
}

static void put_reset(Text *t, const PlotOptions *o)
{
    if (o->color)
        text_puts(t, "\x1b[0m");
}

/* Where a fraction of an axis (0 at its low end, 1 at its high end) falls
 * among n positions. */
static long place(double frac, long n)
{
    if (!(frac >= 0))
        frac = 0;
    if (frac > 1)
        frac = 1;
    return lround(frac * (double)(n - 1));
}

static double axis_frac(const PlotAxis *a, double v)
{
    if (a->log)
        return (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo));
    return (v - a->lo) / (a->hi - a->lo);
}

/* The frame shared by both kinds of chart: the y axis labels on the left,
 * the drawing, the x axis below. */
typedef struct Frame {
    PlotAxis xa, ya;
    char ylab[PLOT_MAX_TICKS][32];
    int lw;                 /* width of the y labels */
    int cols, rows;         /* the drawing, in cells */
    long ytick_row[PLOT_MAX_TICKS];
    long xtick_col[PLOT_MAX_TICKS];
} Frame;

static void frame_y_labels(Frame *f)
{
    f->lw = 1;
    for (size_t i = 0; i < f->ya.nticks; i++) {
        plot_tick_label(&f->ya, f->ya.ticks[i], f->ylab[i], sizeof f->ylab[i]);
        int w = (int)strlen(f->ylab[i]);
        if (w > f->lw)
            f->lw = w;
    }
}

static void put_title(Text *t, const Frame *f, const PlotOptions *o)
{
    if (o->title && *o->title) {
        size_t tw = text_cols(o->title);
        size_t at = (size_t)f->lw + 2 + ((size_t)f->cols > tw ? ((size_t)f->cols - tw) / 2 : 0);
        text_pad(t, at);
        if (o->color)
            text_puts(t, "\x1b[1m");
        put_label(t, o->title);
        put_reset(t, o);
        text_puts(t, "\n");
    }
    if (o->ylabel && *o->ylabel) {
        put_label(t, o->ylabel);
        text_puts(t, "\n");
    }
}

/* The row's start: a y label where a tick falls on it, and the axis. */
static void put_row_start(Text *t, const Frame *f, long row)
{
    const char *label = "";
    for (size_t i = 0; i < f->ya.nticks; i++)
        if (f->ytick_row[i] == row)
            label = f->ylab[i];
    text_pad(t, (size_t)f->lw - strlen(label));
    text_puts(t, label);
    text_puts(t, *label ? " ┤" : " │");
}

static void put_x_axis(Text *t, const Frame *f, const PlotOptions *o)
{
    text_pad(t, (size_t)f->lw + 1);
    text_puts(t, "└");
    for (long c = 0; c < f->cols; c++) {
        bool tick = false;
        for (size_t i = 0; i < f->xa.nticks; i++)
            tick = tick || f->xtick_col[i] == c;
        text_puts(t, tick ? "┬" : "─");
    }
    text_puts(t, "\n");
    /* Labels centred under their ticks, skipping any that would touch the
     * one before or run off the right edge. */
    Text line = {0};
    long used = 0, left = f->lw + 2, limit = (long)o->width - 1;
    for (size_t i = 0; i < f->xa.nticks; i++) {
        char buf[32];
        plot_tick_label(&f->xa, f->xa.ticks[i], buf, sizeof buf);
        long w = (long)strlen(buf);
        long at = left + f->xtick_col[i] - (w - 1) / 2;
        if (at + w > limit)
            at = limit - w;
        if (at < (used ? used + 2 : 0))
            continue;
        text_pad(&line, (size_t)(at - used));
        text_puts(&line, buf);
        used = at + w;
    }
    if (line.s)
        text_puts(t, line.s);
    text_free(&line);
    text_puts(t, "\n");
    if (o->xlabel && *o->xlabel) {
        size_t xw = text_cols(o->xlabel);
        text_pad(t, (size_t)left + ((size_t)f->cols > xw ? ((size_t)f->cols - xw) / 2 : 0));
        put_label(t, o->xlabel);
        text_puts(t, "\n");
    }
}

/* Legend entries, wrapped at the chart's width. */
static void put_legend_entry(Text *t, const PlotOptions *o, size_t *col, const char *glyph, int color,
                             const char *before, const char *after, const char *label, bool dim)
{
    size_t w = text_cols(before) + text_cols(glyph) + text_cols(after) + 1 + text_cols(label);
    if (*col > 0 && *col + 3 + w > (size_t)o->width - 1) {
        text_puts(t, "\n");
        *col = 0;
    }
    text_pad(t, *col ? 3 : 2);
    *col += *col ? 3 : 2;
    if (o->color)
        text_printf(t, dim ? "\x1b[2;%dm" : "\x1b[%dm", color);
    text_printf(t, "%s%s%s", before, glyph, after);
    put_reset(t, o);
    text_puts(t, " ");
    put_label(t, label);
    *col += w;
}

/* --- line charts ------------------------------------------------------------- */

/* One cell of the drawing: Braille dots, the series that drew last in it,
 * and a marker glyph (a series number, or -1). */
typedef struct Cell {
    uint8_t dots;
    signed char owner, marker;
} Cell;

typedef struct Canvas {
    Cell *cells;
    long cols, rows;
} Canvas;

static void set_dot(Canvas *cv, long px, long py, int s)
{
    long w = cv->cols * 2, h = cv->rows * 4;
    if (px < 0 || py < 0 || px >= w || py >= h)
        return;
    long top = h - 1 - py;      /* py counts up from the bottom */
    Cell *c = &cv->cells[(top / 4) * cv->cols + px / 2];
    static const uint8_t bit[2][4] = { { 0x01, 0x02, 0x04, 0x40 }, { 0x08, 0x10, 0x20, 0x80 } };
    c->dots |= bit[px % 2][top % 4];
    c->owner = (signed char)s;
}

/* Draws the segment from (x0, y0) to (x1, y1), in dot coordinates, clipped
 * to the canvas (Liang-Barsky), then stepped dot by dot. */
static void draw_segment(Canvas *cv, double x0, double y0, double x1, double y1, int s)
{
    double w = (double)(cv->cols * 2) - 0.5, h = (double)(cv->rows * 4) - 0.5;
    double t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
    double p[4] = { -dx, dx, -dy, dy }, q[4] = { x0 + 0.5, w - x0, y0 + 0.5, h - y0 };
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return;
            continue;
        }
        double r = q[i] / p[i];
        if (p[i] < 0) {
            if (r > t1)
                return;
            if (r > t0)
                t0 = r;
        } else {
            if (r < t0)
                return;
            if (r < t1)
                t1 = r;
        }
    }
    long ax = lround(x0 + t0 * dx), ay = lround(y0 + t0 * dy);
    long bx = lround(x0 + t1 * dx), by = lround(y0 + t1 * dy);
    long sx = ax < bx ? 1 : -1, sy = ay < by ? 1 : -1;
    long ddx = labs(bx - ax), ddy = -labs(by - ay), err = ddx + ddy;
    for (;;) {
        set_dot(cv, ax, ay, s);
        if (ax == bx && ay == by)
            break;
        long e2 = 2 * err;
        if (e2 >= ddy) {
            err += ddy;
            ax += sx;
        }
        if (e2 <= ddx) {
            err += ddx;
            ay += sy;
        }
    }
}

static bool usable(const PlotOptions *o, double y)
{
    return isfinite(y) && (!o->log_y || y > 0);
}

static double series_x(const PlotSeries *s, size_t i)
{
    return s->x ? s->x[i] : (double)i;
}

/* The y of a series at x, by linear interpolation along its first segment
 * that spans x; false where the series does not reach x. */
static bool series_at(const PlotSeries *s, const PlotOptions *o, double x, double *y)
{
    for (size_t i = 0; i < s->n; i++) {
        double xi = series_x(s, i);
        if (!isfinite(xi) || !usable(o, s->y[i]))
            continue;
        if (xi == x) {
            *y = s->y[i];
            return true;
        }
        if (i + 1 < s->n) {
            double xj = series_x(s, i + 1);
            if (isfinite(xj) && usable(o, s->y[i + 1]) && ((xi < x && x < xj) || (xj < x && x < xi))) {
                double f = (x - xi) / (xj - xi);
                *y = o->log_y ? pow(10, log10(s->y[i]) + f * (log10(s->y[i + 1]) - log10(s->y[i])))
                              : s->y[i] + f * (s->y[i + 1] - s->y[i]);
                return true;
            }
        }
    }
    return false;
}

static void put_braille(Text *t, uint8_t dots)
{
    unsigned cp = 0x2800u + dots;
    char b[4] = { (char)(0xE0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3F)), (char)(0x80 | (cp & 0x3F)), 0 };
    text_puts(t, b);
}

char *plot_lines(const PlotSeries *s, size_t n, const PlotOptions *o, Error *e)
{
    if (n > PLOT_MAX_SERIES)
        n = PLOT_MAX_SERIES;
    Text t = {0};
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    size_t dropped = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < s[k].n; i++) {
            double x = series_x(&s[k], i), y = s[k].y[i];
            if (!isfinite(x))
                continue;
            if (!usable(o, y)) {
                if (isfinite(y))
                    dropped++;
                continue;
            }
            xlo = fmin(xlo, x);
            xhi = fmax(xhi, x);
            ylo = fmin(ylo, y);
            yhi = fmax(yhi, y);
        }
    if (!isfinite(xlo)) {
        if (o->title && *o->title) {
            put_label(&t, o->title);
            text_puts(&t, "\n");
        }
        text_puts(&t, o->log_y ? "  (nothing to plot: no positive finite values for a log axis)\n"
                               : "  (nothing to plot: no finite values)\n");
        return text_finish(&t, e);
    }

    Frame f;
    memset(&f, 0, sizeof f);
    f.rows = o->height < 4 ? 4 : o->height;
    /* About a tick every three rows, and never two on one row. */
    int yint = f.rows / 3 < 5 ? 5 : f.rows / 3;
    if (yint > f.rows - 1)
        yint = f.rows - 1;
    if (o->ylim && o->log_y)
        plot_axis_log(o->ylo, o->yhi, yint, false, &f.ya);
    else if (o->ylim)
        plot_axis_linear(o->ylo, o->yhi, yint, false, false, &f.ya);
    else if (o->log_y)
        plot_axis_log(ylo, yhi, yint, true, &f.ya);
    else {
        double a, b;
        plot_y_range(ylo, yhi, &a, &b);
        plot_axis_linear(a, b, yint, true, false, &f.ya);
    }
    frame_y_labels(&f);
    int width = o->width < 30 ? 30 : o->width;
    f.cols = width - 1 - f.lw - 2;
    if (f.cols < 10)
        f.cols = 10;
    if (xlo == xhi) {
        xlo -= o->integer_x ? 1 : 0.5;
        xhi += o->integer_x ? 1 : 0.5;
    }
    plot_axis_linear(xlo, xhi, f.cols / 10 < 1 ? 1 : f.cols / 10, false, o->integer_x, &f.xa);
    f.xa.lo = xlo;      /* the x axis spans the data exactly */
    f.xa.hi = xhi;
    long dw = (long)f.cols * 2, dh = (long)f.rows * 4;
    for (size_t i = 0; i < f.ya.nticks; i++)
        f.ytick_row[i] = f.rows - 1 - place(axis_frac(&f.ya, f.ya.ticks[i]), dh) / 4;
    for (size_t i = 0; i < f.xa.nticks; i++)
        f.xtick_col[i] = place(axis_frac(&f.xa, f.xa.ticks[i]), dw) / 2;

    Canvas cv = { mem_calloc((size_t)f.cols * (size_t)f.rows, sizeof(Cell)), f.cols, f.rows };
    if (!cv.cells) {
        error_nomem(e, "plot");
        return NULL;
    }
    for (long i = 0; i < (long)f.cols * f.rows; i++)
        cv.cells[i].owner = cv.cells[i].marker = -1;
    for (size_t k = 0; k < n; k++) {
        bool have = false;
        double px = 0, py = 0;
        for (size_t i = 0; i < s[k].n; i++) {
            double x = series_x(&s[k], i), y = s[k].y[i];
            if (!isfinite(x) || !usable(o, y)) {
                have = false;
                continue;
            }
            double qx = axis_frac(&f.xa, x) * (double)(dw - 1), qy = axis_frac(&f.ya, y) * (double)(dh - 1);
            if (have)
                draw_segment(&cv, px, py, qx, qy, (int)k);
            else
                draw_segment(&cv, qx, qy, qx, qy, (int)k);
            have = true;
            px = qx;
            py = qy;
        }
    }
    /* Markers: at every point of a short series, else at even intervals,
     * each series shifted so that markers of different series on the same
     * curve do not all land in the same columns. */
    long gap = f.cols / 7 < 5 ? 5 : f.cols / 7;
    for (size_t k = 0; k < n; k++) {
        if (s[k].n <= (size_t)f.cols / 4) {
            for (size_t i = 0; i < s[k].n; i++) {
                double x = series_x(&s[k], i), y = s[k].y[i];
                if (!isfinite(x) || !usable(o, y))
                    continue;
                double fy = axis_frac(&f.ya, y);
                if (fy < -1e-9 || fy > 1 + 1e-9)
                    continue;
                long c = place(axis_frac(&f.xa, x), dw) / 2, r = f.rows - 1 - place(fy, dh) / 4;
                cv.cells[r * f.cols + c].marker = (signed char)k;
            }
            continue;
        }
        for (long c = gap / 2 + (long)k * gap / (long)n; c < f.cols; c += gap) {
            double x = f.xa.lo + ((double)(2 * c) + 0.5) / (double)(dw - 1) * (f.xa.hi - f.xa.lo), y;
            if (!series_at(&s[k], o, x, &y))
                continue;
            double fy = axis_frac(&f.ya, y);
            if (fy < -1e-9 || fy > 1 + 1e-9)
                continue;
            long r = f.rows - 1 - place(fy, dh) / 4;
            cv.cells[r * f.cols + c].marker = (signed char)k;
        }
    }

    put_title(&t, &f, o);
    for (long r = 0; r < f.rows; r++) {
        put_row_start(&t, &f, r);
        int color = -1;
        for (long c = 0; c < f.cols; c++) {
            const Cell *cell = &cv.cells[r * f.cols + c];
            int who = cell->marker >= 0 ? cell->marker : cell->dots ? cell->owner : -1;
            int want = who >= 0 ? palette[who] : -1;
            if (o->color && want != color && (want >= 0 || color >= 0)) {
                if (want >= 0)
                    put_color(&t, o, want);
                else
                    put_reset(&t, o);
                color = want;
            }
            if (cell->marker >= 0)
                text_puts(&t, series_glyph[(int)cell->marker]);
            else if (cell->dots)
                put_braille(&t, cell->dots);
            else
                text_puts(&t, " ");
        }
        if (color >= 0)
            put_reset(&t, o);
        text_puts(&t, "\n");
    }
    mem_free(cv.cells);
    put_x_axis(&t, &f, o);
    if (o->legend) {
        size_t col = 0;
        for (size_t k = 0; k < n; k++)
            put_legend_entry(&t, o, &col, series_glyph[k], palette[k], "─", "─", s[k].label ? s[k].label : "",
                             false);
        text_puts(&t, "\n");
    }
    if (dropped)
        text_printf(&t, "  (%zu value%s at or below 0 left out: a log axis has no place for them)\n", dropped,
                    dropped == 1 ? "" : "s");
    return text_finish(&t, e);
}

/* --- scatter charts ------------------------------------------------------------- */

char *plot_scatter(const PlotPoints *p, const PlotOptions *o, PlotRegionFn region, void *ctx, Error *e)
{
    size_t nc = p->nclasses > PLOT_MAX_CLASSES ? PLOT_MAX_CLASSES : p->nclasses;
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (size_t i = 0; i < p->n; i++)
        if (isfinite(p->x[i]) && isfinite(p->y[i])) {
            xlo = fmin(xlo, p->x[i]);
            xhi = fmax(xhi, p->x[i]);
            ylo = fmin(ylo, p->y[i]);
            yhi = fmax(yhi, p->y[i]);
        }
    Text t = {0};
    if (!isfinite(xlo)) {
        if (o->title && *o->title) {
            put_label(&t, o->title);
            text_puts(&t, "\n");
        }
        text_puts(&t, "  (nothing to plot: no points with finite coordinates)\n");
        return text_finish(&t, e);
    }
    Frame f;
    memset(&f, 0, sizeof f);
    f.rows = o->height < 4 ? 4 : o->height;
    /* Points keep a margin of 5% from the edges, as matplotlib's do; the
     * ticks are the round numbers inside. */
    double my = yhi > ylo ? (yhi - ylo) * 0.05 : 0.5, mx = xhi > xlo ? (xhi - xlo) * 0.05 : 0.5;
    int yint = f.rows / 3 < 4 ? 4 : f.rows / 3;
    plot_axis_linear(ylo - my, yhi + my, yint > f.rows - 1 ? f.rows - 1 : yint, false, false, &f.ya);
    frame_y_labels(&f);
    int width = o->width < 30 ? 30 : o->width;
    f.cols = width - 1 - f.lw - 2;
    if (f.cols < 10)
        f.cols = 10;
    plot_axis_linear(xlo - mx, xhi + mx, f.cols / 10 < 1 ? 1 : f.cols / 10, false, false, &f.xa);
    /* A cell holds the values from its left (lower) edge to its right
     * (upper) one; a tick goes in the cell that holds it. */
    for (size_t i = 0; i < f.ya.nticks; i++) {
        long r = (long)floor(axis_frac(&f.ya, f.ya.ticks[i]) * f.rows + 1e-9);
        f.ytick_row[i] = f.rows - 1 - (r >= f.rows ? f.rows - 1 : r);
    }
    for (size_t i = 0; i < f.xa.nticks; i++) {
        long c = (long)floor(axis_frac(&f.xa, f.xa.ticks[i]) * f.cols + 1e-9);
        f.xtick_col[i] = c >= f.cols ? f.cols - 1 : c;
    }
    size_t ncells = (size_t)f.cols * (size_t)f.rows;
    int *shade = mem_calloc(ncells, sizeof *shade);
    size_t *count = mem_calloc(ncells * (nc ? nc : 1), sizeof *count);
    double *cx = region ? mem_calloc(ncells, sizeof *cx) : NULL, *cy = region ? mem_calloc(ncells, sizeof *cy) : NULL;
    size_t per[PLOT_MAX_CLASSES] = { 0 };
    if (!shade || !count || (region && (!cx || !cy))) {
        mem_free(shade);
        mem_free(count);
        mem_free(cx);
        mem_free(cy);
        error_nomem(e, "scatter");
        return NULL;
    }
    for (size_t i = 0; i < ncells; i++)
        shade[i] = -1;
    bool ok = true;
    if (region) {
        for (long r = 0; r < f.rows; r++)
            for (long c = 0; c < f.cols; c++) {
                size_t i = (size_t)(r * f.cols + c);
                cx[i] = f.xa.lo + ((double)c + 0.5) / f.cols * (f.xa.hi - f.xa.lo);
                cy[i] = f.ya.lo + ((double)(f.rows - 1 - r) + 0.5) / f.rows * (f.ya.hi - f.ya.lo);
            }
        ok = region(ctx, cx, cy, ncells, shade, e);
    }
    for (size_t i = 0; ok && i < p->n; i++) {
        if (!isfinite(p->x[i]) || !isfinite(p->y[i]) || p->cls[i] < 0 || (size_t)p->cls[i] >= nc)
            continue;
        long c = (long)floor(axis_frac(&f.xa, p->x[i]) * f.cols), r = (long)floor(axis_frac(&f.ya, p->y[i]) * f.rows);
        c = c >= f.cols ? f.cols - 1 : c;
        r = f.rows - 1 - (r >= f.rows ? f.rows - 1 : r);
        count[(size_t)(r * f.cols + c) * nc + (size_t)p->cls[i]]++;
        per[p->cls[i]]++;
    }
    if (ok) {
        put_title(&t, &f, o);
        for (long r = 0; r < f.rows; r++) {
            put_row_start(&t, &f, r);
            for (long c = 0; c < f.cols; c++) {
                size_t i = (size_t)(r * f.cols + c);
                int best = -1;
                for (size_t k = 0; k < nc; k++)
                    if (count[i * nc + k] && (best < 0 || count[i * nc + k] >= count[i * nc + (size_t)best]))
                        best = (int)k;
                if (best >= 0) {
                    put_color(&t, o, palette[best]);
                    text_puts(&t, class_glyph[best]);
                    put_reset(&t, o);
                } else if (shade[i] >= 0 && shade[i] < (int)(sizeof region_glyph / sizeof region_glyph[0])) {
                    if (o->color)
                        text_printf(&t, "\x1b[2;%dm", palette[shade[i] % PLOT_MAX_SERIES]);
                    text_puts(&t, region_glyph[shade[i]]);
                    put_reset(&t, o);
                } else {
                    text_puts(&t, " ");
                }
            }
            text_puts(&t, "\n");
        }
        put_x_axis(&t, &f, o);
        if (o->legend) {
            size_t col = 0;
            for (size_t k = 0; k < nc; k++) {
                char label[96];
                snprintf(label, sizeof label, "%s: %zu point%s", p->names && p->names[k] ? p->names[k] : "?", per[k],
                         per[k] == 1 ? "" : "s");
                put_legend_entry(&t, o, &col, class_glyph[k], palette[k], "", "", label, false);
            }
            if (region) {
                bool seen[sizeof region_glyph / sizeof region_glyph[0]] = { false };
                for (size_t i = 0; i < ncells; i++)
                    if (shade[i] >= 0 && shade[i] < (int)(sizeof seen / sizeof seen[0]))
                        seen[shade[i]] = true;
                for (size_t k = 0; k < sizeof seen / sizeof seen[0] && k < nc; k++) {
                    if (!seen[k])
                        continue;
                    char label[96];
                    snprintf(label, sizeof label, "model says %s", p->names && p->names[k] ? p->names[k] : "?");
                    put_legend_entry(&t, o, &col, region_glyph[k], palette[k], "", "", label, true);
                }
            }
            text_puts(&t, "\n");
        }
    }
    mem_free(shade);
    mem_free(count);
    mem_free(cx);
    mem_free(cy);
    if (!ok) {
        text_free(&t);
        return NULL;
    }
    return text_finish(&t, e);
}
