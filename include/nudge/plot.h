/* plot.h - charts as lines of text, for plot() and scatter().
 *
 * Pure rendering: numbers in, lines of UTF-8 text out, so the same chart
 * prints into a transcript, a pipe or a recording.  Curves are drawn in
 * Braille dots (2 x 4 dots a character cell) for resolution, and each
 * series also carries a marker glyph of its own at intervals along it (●,
 * ■, ▲, ...), so series can be told apart without colour; colour, when
 * asked for, is ANSI escapes on top.  Axes have ticks at round numbers
 * (1, 2 or 5 times a power of ten, or whole decades on a log axis).
 *
 * How the y axis is chosen (plot_y_range): data on one side of zero that
 * come closer to it than a sixth of their largest size share the axis with
 * 0, so heights compare honestly (plot([3, 4]) starts at 0); data that
 * change by less than a tenth of their size are drawn on an axis a tenth
 * of their size tall, so a 0.3% wobble looks like one and not like a
 * fall; anything else spans the data.  The ends are then rounded out to
 * ticks.  An explicit range (PlotOptions.ylim) is used as it is.
 */
#ifndef NUDGE_PLOT_H
#define NUDGE_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/error.h"

enum { PLOT_MAX_SERIES = 8, PLOT_MAX_CLASSES = 8, PLOT_MAX_TICKS = 40 };

/* An axis: its ends, its ticks and how their labels are written. */
typedef struct PlotAxis {
    double lo, hi;
    bool log;                   /* values are drawn at log10(v) */
    double step;                /* linear: between ticks; log: decades between ticks (0: 1-2-5 ticks) */
    size_t nticks;
    double ticks[PLOT_MAX_TICKS];
} PlotAxis;

/* The y range shown for data from lo to hi (lo <= hi, both finite), by the
 * rules above, before rounding to ticks. */
void plot_y_range(double lo, double hi, double *out_lo, double *out_hi);

/* A linear axis over [lo, hi] with at most max_intervals gaps between
 * ticks, each 1, 2 or 5 times a power of ten (at least 1 when integer).
 * outward: the ends move out to the nearest ticks; otherwise they stay and
 * the ticks are the round numbers between them.  lo == hi is widened. */
void plot_axis_linear(double lo, double hi, int max_intervals, bool outward, bool integer, PlotAxis *a);

/* A log axis over [lo, hi] (both > 0): ticks at whole decades (every k-th
 * when there are many), or at 1, 2 and 5 times them when the range spans
 * few; outward rounds the ends out to whole decades. */
void plot_axis_log(double lo, double hi, int max_intervals, bool outward, PlotAxis *a);

/* The label of tick value v on axis a ("0.25", "200", "1e-5"), in buf. */
const char *plot_tick_label(const PlotAxis *a, double v, char *buf, size_t n);

/* One curve: n points (x[i], y[i]); x NULL means 0, 1, 2, ...  Points that
 * are not finite (and, on a log axis, not positive) break the curve. */
typedef struct PlotSeries {
    const double *x, *y;
    size_t n;
    const char *label;          /* for the legend (NULL: none) */
} PlotSeries;

typedef struct PlotOptions {
    int width;                  /* columns for the whole chart, axis labels included */
    int height;                 /* rows of the drawing area */
    const char *title, *xlabel, *ylabel;    /* may be NULL */
    bool log_y;
    bool ylim;                  /* use ylo..yhi as the y axis */
    double ylo, yhi;
    bool integer_x;             /* x are indices: ticks at whole numbers */
    bool legend;                /* a legend line (series labels, or the classes) */
    bool color;                 /* ANSI colours on top of the glyphs */
} PlotOptions;

/* A line chart of n series (at most PLOT_MAX_SERIES) on shared axes:
 * title, the drawing with its y axis, the x axis with its labels, the
 * x label and the legend, each line ending in '\n'.  Returns a string owned
 * by the caller (mem_free), or NULL with *e set. */
char *plot_lines(const PlotSeries *s, size_t n, const PlotOptions *o, Error *e);

/* 2-D points by class: n points (x[i], y[i]) of class cls[i] (0 ..
 * nclasses - 1, at most PLOT_MAX_CLASSES), named names[k] in the legend
 * (may be NULL).  Class 0 is drawn ○, class 1 ●, then ▲ ■ ◆ ...  */
typedef struct PlotPoints {
    const double *x, *y;
    const int *cls;
    size_t n;
    size_t nclasses;
    const char *const *names;
} PlotPoints;

/* Classifies n points (x[i], y[i]) into cls[i] (a class number, or -1 for
 * none): the region a model assigns to each cell of a scatter chart. */
typedef bool (*PlotRegionFn)(void *ctx, const double *x, const double *y, size_t n, int *cls, Error *e);

/* A scatter chart; when region is given, every cell is first shaded by the
 * class it gives the cell's centre (· for class 0, ░ for class 1, ▒ for
 * class 2), so the boundary shows where the shading changes. */
char *plot_scatter(const PlotPoints *p, const PlotOptions *o, PlotRegionFn region, void *ctx, Error *e);

#endif
