/* chart.h - small text charts of a series of numbers, for plot() and
 * `plot loss`, drawn with Unicode block characters so they work in any
 * terminal and in a script's output. */
#ifndef NUDGE_CHART_H
#define NUDGE_CHART_H

#include <stddef.h>

#include "nudge/error.h"

/* A column chart of n values, `height` rows tall and at most `width`
 * columns of bars (more values than columns are averaged into buckets),
 * with the largest and smallest value labelled on the left and the index
 * range below.  title (may be NULL) goes on the first line.  Non-finite
 * values are left blank.  Returns lines ending in '\n', owned by the caller
 * (mem_free), or NULL with *e set. */
char *chart_columns(const double *values, size_t n, int width, int height, const char *title, Error *e);

#endif
