/* chart.h - the language's charts: plot(), scatter() and `plot loss`.
 *
 * This is the language's side: which values make series (vectors, the
 * columns of a matrix, a function sampled over an interval), the options
 * by keyword, the terminal's width and colour; the drawing is plot.h's.
 * Charts are printed through the interpreter's output, never returned.
 */
#ifndef NUDGE_CHART_H
#define NUDGE_CHART_H

#include <stdbool.h>

#include "nudge/builtins.h"
#include "nudge/interp.h"

/* plot(y1, y2, ..., labels=, title=, log=, x=, xlabel=, ylabel=, ylim=,
 * width=, height=) and plot(f, [g, ...], a, b): the rows of the built-in
 * table call these. */
bool chart_plot(Interp *in, Args *a, Value *out, Error *e);
/* scatter(X, labels, classes=, model=, title=, ...) and scatter(x, y, labels). */
bool chart_scatter(Interp *in, Args *a, Value *out, Error *e);

/* `plot loss`: the loss per epoch of the last training run. */
bool chart_last_loss(Interp *in, Error *e);

#endif
