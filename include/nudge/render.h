/* render.h - lesson text for the terminal: CommonMark blocks wrapped to a
 * width, with bold, italic and code styled by ANSI escapes on a colour
 * terminal and left plain (code in backticks) otherwise.
 *
 * Lines break only at spaces: a number, a word or an inline code span is
 * never split across lines.  Any depth of nesting renders (the tree is
 * walked iteratively); beyond a few levels it indents no further. */
#ifndef NUDGE_RENDER_H
#define NUDGE_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/error.h"

struct cmark_node;

/* Renders the sibling blocks from first up to (not including) stop.
 * Returns text owned by the caller (mem_free), or NULL with *e set. */
char *render_blocks(struct cmark_node *first, struct cmark_node *stop, int width, bool color, Error *e);

/* Parses markdown and renders all of it (for hints and quiz questions). */
char *render_markdown(const char *markdown, int width, bool color, Error *e);

/* Wraps plain text to width columns at its spaces: the first line starts
 * with lead, every later line with hang spaces (a hanging indent).  A
 * '\n' in text starts a new line; a `backquoted` span is never broken;
 * ANSI escape sequences take no columns.  The result ends with '\n' and is
 * owned by the caller, or NULL with *e set. */
char *render_wrap(const char *text, const char *lead, int hang, int width, Error *e);

/* A line of source (len bytes) and a caret under its column col (1-based,
 * in characters), both indented by indent columns.  A line wider than
 * width is shown as a window around the caret with … at each cut end, so
 * the terminal never wraps it and the caret stays under its column.
 * Control bytes show as '?'.  Owned by the caller, or NULL with *e set. */
char *render_caret(const char *line, size_t len, int col, int indent, int width, Error *e);

#endif
