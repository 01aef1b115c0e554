/* repl.h - the read-eval-print loop, the script runner and how errors are
 * shown to a person. */
#ifndef NUDGE_REPL_H
#define NUDGE_REPL_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "nudge/interp.h"

/* Writes interpreter output to stdout (ctx unused). */
void repl_write(void *ctx, const char *text, size_t len);

/* Shows an error on stderr: the message, the line of source it is on and a
 * caret under its column.  origin is a file name (the message then starts
 * with "file:line:col:") or NULL at the prompt. */
void repl_report(void *ctx, const char *origin, const char *chunk, int first_line, const Error *e);

/* The interactive loop on a terminal: prompts, readline, continuation lines
 * while brackets are open, Ctrl-C to abandon a line or stop a computation.
 * Returns the exit status (0). */
int repl_interactive(Interp *in, volatile sig_atomic_t *interrupted);

/* Runs statements read from a stream without prompts (a pipe or
 * redirected stdin).  Returns 0 when everything ran, 1 otherwise. */
int repl_stream(Interp *in, FILE *f, const char *origin, bool echo, bool keep_going);

/* The terminal's width in columns, or 80 when stdout is not a terminal. */
int repl_terminal_width(void);

#endif
