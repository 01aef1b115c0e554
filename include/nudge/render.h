/* render.h - lesson text for the terminal: CommonMark blocks wrapped to a
 * width, with bold, italic and code styled by ANSI escapes on a colour
 * terminal and left plain (code in backticks) otherwise. */
#ifndef NUDGE_RENDER_H
#define NUDGE_RENDER_H

#include <stdbool.h>

#include "nudge/error.h"

struct cmark_node;

/* Renders the sibling blocks from first up to (not including) stop.
 * Returns text owned by the caller (mem_free), or NULL with *e set. */
char *render_blocks(struct cmark_node *first, struct cmark_node *stop, int width, bool color, Error *e);

/* Parses markdown and renders all of it (for hints and quiz questions). */
char *render_markdown(const char *markdown, int width, bool color, Error *e);

#endif
