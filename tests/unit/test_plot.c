/* test_plot.c - the plot module: axis ranges, round-number ticks, their
 * labels, and the charts drawn from them. */
#include "nudge/plot.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nudge/mem.h"

/* --- helpers ---------------------------------------------------------------- */

/* Whether step is 1, 2 or 5 times a power of ten. */
static bool round_step(double step)
{
    double m = step / pow(10, floor(log10(step) + 1e-12));
    return fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9 || fabs(m - 10) < 1e-9;
}

static const char *label(const PlotAxis *a, double v)
{
    static char buf[32];
    return plot_tick_label(a, v, buf, sizeof buf);
}

/* The lines of a chart, split in place: line i starts at lines[i]. */
static size_t split_lines(char *text, char **lines, size_t max)
{
    size_t n = 0;
    for (char *p = text; *p && n < max;) {
        lines[n++] = p;
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    return n;
}

/* Whether a line holds any Braille dot (U+2801..U+28FF: E2 A0..A3 xx). */
static bool has_braille(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] >= 0xA0 && (unsigned char)s[1] <= 0xA3
            && !((unsigned char)s[1] == 0xA0 && (unsigned char)s[2] == 0x80))
            return true;
    return false;
}

static PlotOptions options(int width, int height)
{
    PlotOptions o;
    memset(&o, 0, sizeof o);
    o.width = width;
    o.height = height;
    o.integer_x = true;
    return o;
}

/* --- the y range ------------------------------------------------------------------ */

Test(plot, positive_data_near_zero_share_the_axis_with_zero)
{
    double lo, hi;
    plot_y_range(3, 4, &lo, &hi);       /* plot([3, 4]) must not start at 2.9 */
    cr_assert_eq(lo, 0);
    cr_assert_eq(hi, 4);
    plot_y_range(0.0101, 0.6559, &lo, &hi);     /* chapter 7's loss curve */
    cr_assert_eq(lo, 0);
    cr_assert_eq(hi, 0.6559);
}

Test(plot, negative_data_near_zero_share_the_axis_with_zero)
{
    double lo, hi;
    plot_y_range(-4, -3, &lo, &hi);
    cr_assert_eq(lo, -4);
    cr_assert_eq(hi, 0);
}

Test(plot, a_flat_series_gets_an_axis_a_tenth_of_its_size)
{
    /* The lr 0.1 run: 0.4998 down to 0.4982, a 0.3% change. */
    double lo, hi;
    plot_y_range(0.4982, 0.4998, &lo, &hi);
    cr_assert_float_eq(hi - lo, 0.04998, 1e-12, "span %g", hi - lo);
    cr_assert(lo < 0.4982 && hi > 0.4998);
    cr_assert_float_eq((lo + hi) / 2, 0.499, 1e-12);
    /* The change then fills at most 0.0016 / 0.04998 of the height. */
    cr_assert((0.4998 - 0.4982) / (hi - lo) < 0.033);
}

Test(plot, data_across_zero_span_themselves)
{
    double lo, hi;
    plot_y_range(-1, 3, &lo, &hi);
    cr_assert_eq(lo, -1);
    cr_assert_eq(hi, 3);
    plot_y_range(0, 0, &lo, &hi);
    cr_assert_eq(lo, 0);
    cr_assert_eq(hi, 1);
}

Test(plot, data_far_from_zero_that_vary_keep_their_own_range)
{
    double lo, hi;
    plot_y_range(90, 100, &lo, &hi);    /* a sixth of 100 is 16.7: 90 is not near 0 */
    cr_assert_eq(lo, 90);
    cr_assert_eq(hi, 100);
}

/* --- linear ticks ------------------------------------------------------------------ */

Test(plot, ticks_are_round_and_the_ends_move_out_to_them)
{
    PlotAxis a;
    plot_axis_linear(0, 4, 5, true, false, &a);
    cr_assert_eq(a.step, 1);
    cr_assert_eq(a.nticks, 5);
    for (size_t i = 0; i < 5; i++)
        cr_assert_eq(a.ticks[i], (double)i);
    /* The flat loss's widened range: 0.01 would give 6 gaps, so 0.02. */
    plot_axis_linear(0.474, 0.524, 5, true, false, &a);
    cr_assert_float_eq(a.step, 0.02, 1e-15);
    cr_assert_float_eq(a.lo, 0.46, 1e-12);
    cr_assert_float_eq(a.hi, 0.54, 1e-12);
    cr_assert_str_eq(label(&a, a.ticks[0]), "0.46");
    cr_assert_str_eq(label(&a, a.ticks[a.nticks - 1]), "0.54");
}

Test(plot, an_index_axis_has_whole_number_ticks)
{
    PlotAxis a;
    plot_axis_linear(0, 1, 7, false, true, &a);
    cr_assert_eq(a.step, 1);
    cr_assert_eq(a.nticks, 2);
    cr_assert_str_eq(label(&a, 1), "1");
    plot_axis_linear(0, 999, 7, false, true, &a);
    cr_assert_eq(a.step, 200);
    cr_assert_eq(a.nticks, 5);      /* 0 200 400 600 800: the axis ends at 999 */
    cr_assert_eq(a.lo, 0);
    cr_assert_eq(a.hi, 999);
}

Test(plot, fixed_ends_keep_their_values_with_ticks_inside)
{
    PlotAxis a;
    plot_axis_linear(0.498, 0.5, 4, false, false, &a);
    cr_assert_eq(a.lo, 0.498);
    cr_assert_eq(a.hi, 0.5);
    cr_assert_float_eq(a.step, 0.0005, 1e-15);
    cr_assert_eq(a.nticks, 5);
    cr_assert_str_eq(label(&a, a.ticks[0]), "0.4980");
    cr_assert_str_eq(label(&a, a.ticks[4]), "0.5000");
}

Test(plot, zero_is_written_without_a_sign)
{
    PlotAxis a;
    plot_axis_linear(-0.3, 0.3, 6, true, false, &a);
    bool zero = false;
    for (size_t i = 0; i < a.nticks; i++)
        if (!strcmp(label(&a, a.ticks[i]), "0.0"))
            zero = true;
    cr_assert(zero, "a tick at 0 reads 0.0");
    cr_assert_str_eq(label(&a, -1e-17), "0.0");
}

Test(plot, ticks_hold_for_many_random_ranges)
{
    /* Properties, on 20000 ranges of every size and place: the step is
     * round, the ticks are its multiples, in order, inside the axis, at
     * most max + 1 of them and at least 2; moved-out ends hold the data
     * and are ticks themselves. */
    srand(17);
    for (int k = 0; k < 20000; k++) {
        double scale = pow(10, (rand() % 24) - 12);
        double lo = ((double)rand() / RAND_MAX - 0.5) * 100 * scale;
        double hi = lo + (double)rand() / RAND_MAX * 100 * scale + scale * 1e-3;
        int max = 2 + rand() % 12;
        bool outward = rand() % 2;
        PlotAxis a;
        plot_axis_linear(lo, hi, max, outward, false, &a);
        cr_assert(round_step(a.step), "step %g for [%g, %g]", a.step, lo, hi);
        cr_assert(a.nticks >= 2, "%zu ticks for [%g, %g] max %d", a.nticks, lo, hi, max);
        /* Fixed ends may take a smaller step to have two ticks at all. */
        cr_assert(a.nticks <= (size_t)max + (outward ? 1 : 4), "%zu ticks for [%g, %g] max %d", a.nticks, lo, hi, max);
        for (size_t i = 0; i < a.nticks; i++) {
            double q = a.ticks[i] / a.step;
            cr_assert(fabs(q - round(q)) < 1e-6, "tick %g is no multiple of %g", a.ticks[i], a.step);
            cr_assert(a.ticks[i] >= a.lo - a.step * 1e-6 && a.ticks[i] <= a.hi + a.step * 1e-6);
            if (i)
                cr_assert(a.ticks[i] > a.ticks[i - 1]);
        }
        if (outward) {
            cr_assert(a.lo <= lo && a.hi >= hi, "[%g, %g] does not hold [%g, %g]", a.lo, a.hi, lo, hi);
            cr_assert(fabs(a.ticks[0] - a.lo) < a.step * 1e-6 && fabs(a.ticks[a.nticks - 1] - a.hi) < a.step * 1e-6);
        } else {
            cr_assert(a.lo == lo && a.hi == hi);
        }
        /* Neighbouring ticks never read the same. */
        for (size_t i = 1; i < a.nticks; i++) {
            char p[32], q[32];
            plot_tick_label(&a, a.ticks[i - 1], p, sizeof p);
            plot_tick_label(&a, a.ticks[i], q, sizeof q);
            cr_assert_str_neq(p, q, "[%g, %g]: two ticks read %s", lo, hi, p);
        }
    }
}

/* --- log ticks ---------------------------------------------------------------------- */

Test(plot, a_short_log_range_gets_one_two_five_ticks)
{
    PlotAxis a;
    plot_axis_log(0.43, 0.59, 4, true, &a);
    cr_assert(a.log);
    cr_assert_float_eq(a.lo, 0.2, 1e-12);
    cr_assert_float_eq(a.hi, 1, 1e-12);
    cr_assert_eq(a.nticks, 3);
    cr_assert_str_eq(label(&a, a.ticks[0]), "0.2");
    cr_assert_str_eq(label(&a, a.ticks[1]), "0.5");
    cr_assert_str_eq(label(&a, a.ticks[2]), "1");
}

Test(plot, a_long_log_range_gets_decades)
{
    PlotAxis a;
    plot_axis_log(0.0008, 0.6559, 5, true, &a);
    cr_assert_float_eq(a.lo, 1e-4, 1e-18);
    cr_assert_float_eq(a.hi, 1, 1e-12);
    cr_assert_eq(a.nticks, 5);
    cr_assert_str_eq(label(&a, a.ticks[0]), "0.0001");
    cr_assert_str_eq(label(&a, a.ticks[4]), "1");
    plot_axis_log(1e-12, 1e3, 5, true, &a);
    cr_assert_eq(a.step, 3);        /* 15 decades in at most 5 gaps */
    cr_assert_str_eq(label(&a, a.ticks[0]), "1e-12");
    cr_assert_str_eq(label(&a, a.ticks[1]), "1e-9");
}

/* --- line charts ---------------------------------------------------------------------- */

Test(plot, a_flat_series_stays_within_two_rows)
{
    double y[300];
    for (int i = 0; i < 300; i++)
        y[i] = 0.4998 - 0.0016 * i / 299;
    PlotSeries s = { NULL, y, 300, NULL };
    PlotOptions o = options(80, 16);
    Error e;
    char *text = plot_lines(&s, 1, &o, &e);
    cr_assert(text);
    char *lines[64];
    size_t n = split_lines(text, lines, 64), drawn = 0;
    for (size_t i = 0; i < 16 && i < n; i++)
        drawn += has_braille(lines[i]);
    cr_assert(drawn <= 2, "a 0.3%% change drew over %zu rows:\n%s", drawn, text);
    mem_free(text);
}

Test(plot, the_axis_of_three_and_four_reads_from_zero)
{
    double y[2] = { 3, 4 };
    PlotSeries s = { NULL, y, 2, NULL };
    PlotOptions o = options(60, 8);
    Error e;
    char *text = plot_lines(&s, 1, &o, &e);
    cr_assert(text);
    char *lines[32];
    size_t n = split_lines(text, lines, 32);
    cr_assert_eq(n, 10);    /* 8 rows, the axis, its labels */
    cr_assert(!strncmp(lines[0], "4 ┤", strlen("4 ┤")), "top: %s", lines[0]);
    cr_assert(!strncmp(lines[7], "0 ┤", strlen("0 ┤")), "bottom: %s", lines[7]);
    /* The line fills the drawing's width: 60 columns less the axis' 3 and 1 spare. */
    cr_assert(strstr(lines[0], "●") != NULL);
    mem_free(text);
}

Test(plot, series_have_their_own_markers_and_a_legend)
{
    double a[100], b[100];
    for (int i = 0; i < 100; i++) {
        a[i] = exp(-i / 20.0);
        b[i] = exp(-i / 50.0);
    }
    PlotSeries s[2] = { { NULL, a, 100, "fast" }, { NULL, b, 100, "slow" } };
    PlotOptions o = options(80, 12);
    o.legend = true;
    o.title = "two rates";
    Error e;
    char *text = plot_lines(s, 2, &o, &e);
    cr_assert(text);
    cr_assert(strstr(text, "─●─ fast") && strstr(text, "─■─ slow"), "%s", text);
    cr_assert(strstr(text, "two rates\n"));
    cr_assert(!strchr(text, '\x1b'), "no colour unless asked for");
    /* Both markers appear in the drawing, not only in the legend. */
    char *legend = strstr(text, "─●─");
    cr_assert(strstr(text, "●") < legend && strstr(text, "■") < legend);
    mem_free(text);
    o.color = true;
    text = plot_lines(s, 2, &o, &e);
    cr_assert(strstr(text, "\x1b[34m") && strstr(text, "\x1b[31m") && strstr(text, "\x1b[0m"));
    mem_free(text);
}

Test(plot, every_line_fits_the_width)
{
    double y[500];
    for (int i = 0; i < 500; i++)
        y[i] = sin(i / 30.0) * 1e4;
    PlotSeries s = { NULL, y, 500, "sine" };
    for (int width = 30; width <= 200; width += 17) {
        PlotOptions o = options(width, 10);
        o.legend = true;
        o.xlabel = "i";
        Error e;
        char *text = plot_lines(&s, 1, &o, &e);
        cr_assert(text);
        char *lines[64];
        size_t n = split_lines(text, lines, 64);
        for (size_t i = 0; i < n; i++) {
            size_t cols = 0;
            for (const char *p = lines[i]; *p; p++)
                cols += ((unsigned char)*p & 0xC0) != 0x80;
            cr_assert(cols < (size_t)width, "width %d, line %zu is %zu columns: %s", width, i, cols, lines[i]);
        }
        mem_free(text);
    }
}

Test(plot, a_log_axis_leaves_out_what_it_cannot_show)
{
    double y[4] = { 1, 0.1, 0, 0.001 };
    PlotSeries s = { NULL, y, 4, NULL };
    PlotOptions o = options(60, 8);
    o.log_y = true;
    Error e;
    char *text = plot_lines(&s, 1, &o, &e);
    cr_assert(strstr(text, "(1 value at or below 0 left out"), "%s", text);
    mem_free(text);
    double bad[2] = { NAN, INFINITY };
    s.y = bad;
    s.n = 2;
    o.log_y = false;
    text = plot_lines(&s, 1, &o, &e);
    cr_assert_str_eq(text, "  (nothing to plot: no finite values)\n");
    mem_free(text);
}

/* --- scatter charts -------------------------------------------------------------------- */

typedef struct Seen {
    size_t calls, n;
    double xlo, xhi, ylo, yhi;
} Seen;

/* Right of x = 0 is class 1. */
static bool right_half(void *ctx, const double *x, const double *y, size_t n, int *cls, Error *e)
{
    (void)e;
    Seen *s = ctx;
    s->calls++;
    s->n = n;
    s->xlo = s->ylo = INFINITY;
    s->xhi = s->yhi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        cls[i] = x[i] > 0;
        s->xlo = fmin(s->xlo, x[i]);
        s->xhi = fmax(s->xhi, x[i]);
        s->ylo = fmin(s->ylo, y[i]);
        s->yhi = fmax(s->yhi, y[i]);
    }
    return true;
}

Test(plot, scatter_draws_each_class_and_counts_it)
{
    double x[4] = { -1, -0.5, 0.5, 1 }, y[4] = { 0, 1, 0, 1 };
    int cls[4] = { 0, 0, 1, 1 };
    const char *names[2] = { "left", "right" };
    PlotPoints p = { x, y, cls, 4, 2, names };
    PlotOptions o = options(60, 10);
    o.legend = true;
    Seen seen = { 0 };
    Error e;
    char *text = plot_scatter(&p, &o, right_half, &seen, &e);
    cr_assert(text);
    cr_assert(strstr(text, "○ left: 2 points") && strstr(text, "● right: 2 points"), "%s", text);
    cr_assert(strstr(text, "· model says left") && strstr(text, "░ model says right"), "%s", text);
    cr_assert_eq(seen.calls, 1, "the model is asked once, for every cell at a time");
    /* Cell centres lie inside the data's range and its 5% margins. */
    cr_assert(seen.xlo > -1.1 && seen.xhi < 1.1 && seen.ylo > -0.05 && seen.yhi < 1.05);
    /* A ○ never sits right of a ●: rows read left to right. */
    char *lines[40];
    size_t n = split_lines(text, lines, 40);
    for (size_t i = 0; i < n; i++) {
        char *w = strstr(lines[i], "○"), *b = strstr(lines[i], "●");
        if (w && b && strstr(lines[i], "points") == NULL)
            cr_assert(w < b, "%s", lines[i]);
    }
    mem_free(text);
}
