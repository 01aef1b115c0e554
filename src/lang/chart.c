/* chart.c - column charts in block characters. */
#include "nudge/chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nudge/format.h"
#include "nudge/mem.h"
#include "nudge/text.h"

/* Eighths of a cell, from empty to full. */
static const char *const blocks[9] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };

char *chart_columns(const double *values, size_t n, int width, int height, const char *title, Error *e)
{
    if (height < 2)
        height = 2;
    if (width < 8)
        width = 8;
    size_t cols = n < (size_t)width ? n : (size_t)width;
    double *bucket = mem_calloc(cols ? cols : 1, sizeof *bucket);
    if (!bucket) {
        error_nomem(e, "plot");
        return NULL;
    }
    /* Average the values that fall in each column. */
    for (size_t c = 0; c < cols; c++) {
        size_t lo = c * n / cols, hi = (c + 1) * n / cols;
        double s = 0;
        size_t k = 0;
        for (size_t i = lo; i < hi; i++)
            if (isfinite(values[i])) {
                s += values[i];
                k++;
            }
        bucket[c] = k ? s / (double)k : NAN;
    }
    /* The scale spans the raw values (so the labels are the true extremes),
     * and includes 0 so that signs can be read off the bars. */
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (isfinite(values[i])) {
            lo = fmin(lo, values[i]);
            hi = fmax(hi, values[i]);
        }
    Text t = {0};
    if (title)
        text_printf(&t, "%s\n", title);
    if (!isfinite(lo)) {
        text_puts(&t, "  (nothing to plot: no finite values)\n");
        mem_free(bucket);
        return text_finish(&t, e);
    }
    double base = lo < 0 && hi > 0 ? lo : fmin(0.0, lo), top = lo < 0 && hi > 0 ? hi : fmax(0.0, hi);
    if (lo > 0 && hi / lo < 1.5 && hi > lo)
        base = lo - (hi - lo) * 0.1;    /* a curve far from 0 (a loss) keeps its detail */
    if (top == base)
        top = base + 1.0;
    long total = (long)height * 8;
    long zero = lround((fmin(fmax(0.0, base), top) - base) / (top - base) * (double)total);
    char lab_hi[FORMAT_NUMBER_MAX], lab_lo[FORMAT_NUMBER_MAX];
    format_inline_number(top, FORMAT_SHORT, lab_hi, sizeof lab_hi);
    format_inline_number(base, FORMAT_SHORT, lab_lo, sizeof lab_lo);
    int lw = (int)(strlen(lab_hi) > strlen(lab_lo) ? strlen(lab_hi) : strlen(lab_lo));
    for (int row = height - 1; row >= 0; row--) {
        const char *label = row == height - 1 ? lab_hi : row == 0 ? lab_lo : "";
        text_printf(&t, "%*s ┤", lw, label);
        long cell_lo = (long)row * 8, cell_hi = cell_lo + 8;
        for (size_t c = 0; c < cols; c++) {
            if (!isfinite(bucket[c])) {
                text_puts(&t, " ");
                continue;
            }
            long y = lround((bucket[c] - base) / (top - base) * (double)total);
            long from = y >= zero ? zero : y, to = y >= zero ? y : zero;
            if (to == from)
                to = from + 1;      /* at least a sliver */
            if (y < zero)
                from = (from / 8) * 8 + (from % 8 >= 4 ? 8 : 0);   /* whole cells below 0 */
            long a = from > cell_lo ? from : cell_lo, b = to < cell_hi ? to : cell_hi;
            long filled = b > a ? b - a : 0;
            if (filled == 0)
                text_puts(&t, " ");
            else if (a == cell_lo)
                text_puts(&t, blocks[filled]);
            else
                text_puts(&t, filled >= 4 ? "▀" : "▔");
        }
        text_puts(&t, "\n");
    }
    text_printf(&t, "%*s └", lw, "");
    for (size_t c = 0; c < cols; c++)
        text_puts(&t, "─");
    text_puts(&t, "\n");
    char last[32];
    snprintf(last, sizeof last, "%zu", n ? n - 1 : 0);
    text_printf(&t, "%*s  0", lw, "");
    if (n > 1) {
        size_t gap = cols > strlen(last) + 1 ? cols - strlen(last) - 1 : 1;
        text_pad(&t, gap);
        text_puts(&t, last);
    }
    text_puts(&t, "\n");
    mem_free(bucket);
    return text_finish(&t, e);
}
