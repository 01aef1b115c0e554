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
    double lo = INFINITY, hi = -INFINITY;
    for (size_t c = 0; c < cols; c++)
        if (isfinite(bucket[c])) {
            lo = fmin(lo, bucket[c]);
            hi = fmax(hi, bucket[c]);
        }
    Text t = {0};
    if (title)
        text_printf(&t, "%s\n", title);
    if (!isfinite(lo)) {
        text_puts(&t, "  (nothing to plot: no finite values)\n");
        mem_free(bucket);
        return text_finish(&t, e);
    }
    /* A flat series sits on a floor of 0 so that its bars still show. */
    double base = lo == hi ? fmin(0.0, lo) : lo, top = lo == hi && hi == 0.0 ? 1.0 : hi;
    char lab_hi[FORMAT_NUMBER_MAX], lab_lo[FORMAT_NUMBER_MAX];
    format_inline_number(top, FORMAT_SHORT, lab_hi, sizeof lab_hi);
    format_inline_number(base, FORMAT_SHORT, lab_lo, sizeof lab_lo);
    int lw = (int)(strlen(lab_hi) > strlen(lab_lo) ? strlen(lab_hi) : strlen(lab_lo));
    for (int row = height - 1; row >= 0; row--) {
        const char *label = row == height - 1 ? lab_hi : row == 0 ? lab_lo : "";
        text_printf(&t, "%*s ┤", lw, label);
        for (size_t c = 0; c < cols; c++) {
            if (!isfinite(bucket[c])) {
                text_puts(&t, " ");
                continue;
            }
            /* Bar height in eighths of a row, at least a sliver. */
            double frac = top > base ? (bucket[c] - base) / (top - base) : 1.0;
            long eighths = lround(frac * height * 8);
            if (eighths < 1)
                eighths = 1;
            long here = eighths - (long)row * 8;
            text_puts(&t, blocks[here <= 0 ? 0 : here >= 8 ? 8 : here]);
        }
        text_puts(&t, "\n");
    }
    text_printf(&t, "%*s └", lw, "");
    for (size_t c = 0; c < cols; c++)
        text_puts(&t, "─");
    text_puts(&t, "\n");
    char first[32], last[32];
    snprintf(first, sizeof first, "0");
    snprintf(last, sizeof last, "%zu", n ? n - 1 : 0);
    size_t gap = cols > strlen(last) + 1 ? cols - strlen(last) - 1 : 1;
    text_printf(&t, "%*s  %s", lw, "", first);
    text_pad(&t, gap);
    text_printf(&t, "%s\n", last);
    mem_free(bucket);
    return text_finish(&t, e);
}
