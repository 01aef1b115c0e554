/* repl.h - the read-eval-print loop, the script runner and how errors are
 * shown to a person. */
#ifndef NUDGE_REPL_H
#define NUDGE_REPL_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "nudge/interp.h"

/* A recording of the session as an asciicast v2 file (the format
 * asciinema plays): a JSON header line, then one [seconds, "o", text] event
 * per piece of output, with real timings.  It is written to a temporary
 * file beside the target and renamed into place when closed. */
typedef struct Recorder {
    FILE *f;
    char *path, *tmp;       /* owned */
    double start;           /* CLOCK_MONOTONIC seconds at the start */
} Recorder;

bool recorder_open(Recorder *r, const char *path, int width, int height, Error *e);
/* Adds an output event (ctx: a Recorder, or NULL to do nothing). */
void recorder_output(Recorder *r, const char *text, size_t len);
bool recorder_close(Recorder *r, Error *e);

/* Writes interpreter output to stdout, and to the recording when ctx is an
 * open Recorder. */
void repl_write(void *ctx, const char *text, size_t len);

/* Waits for Enter on standard input (a terminal); false when the line
 * typed starts with q.  For Interp.pause. */
bool repl_pause(void *ctx);

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
