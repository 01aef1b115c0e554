/* repl.h - the read-eval-print loop, the script runner and how errors are
 * shown to a person. */
#ifndef NUDGE_REPL_H
#define NUDGE_REPL_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "nudge/files.h"
#include "nudge/interp.h"

/* A recording of the session as an asciicast v2 file (the format
 * asciinema plays): a JSON header line, then one [seconds, "o", text] event
 * per piece of output, with real timings.  It is written as save writes a
 * file (files_atomic_begin): to a temporary file beside the target, renamed
 * into place when closed, through a symbolic link, never over a FIFO or a
 * device, with the old file's mode or a new file's. */
typedef struct Recorder {
    bool open;
    FilesAtomic file;
    double start;           /* CLOCK_MONOTONIC seconds at the start */
} Recorder;

bool recorder_open(Recorder *r, const char *path, int width, int height, Error *e);
/* Adds an output event (r NULL or not open: does nothing). */
void recorder_output(Recorder *r, const char *text, size_t len);
/* Adds an event of kind 'o' (output), 'i' (keys) or 'r' (a resize,
 * "COLSxROWS") with text exactly as given: a terminal's own bytes, whose
 * newlines are already "\r\n".  text must be valid UTF-8. */
void recorder_event(Recorder *r, char kind, const char *text, size_t len);
bool recorder_close(Recorder *r, Error *e);

/* Where interpreter output goes: stdout, and the recording when rec is an
 * open Recorder; error keeps the errno of the first write that failed. */
typedef struct ReplOutput {
    Recorder *rec;
    int error;
} ReplOutput;

/* Writes interpreter output (ctx: a ReplOutput, or NULL) to stdout. */
void repl_write(void *ctx, const char *text, size_t len);

/* Shows a note about the session ("note: MSG") on stderr, and in the
 * recording (ctx: a Recorder, or NULL).  For interp_set_note. */
void repl_note(void *ctx, const char *msg);

/* Waits for Enter on standard input (a terminal); false when the line
 * typed starts with q.  For Interp.pause. */
bool repl_pause(void *ctx);

/* Shows an error on stderr: the message, the line of source it is on and a
 * caret under its column.  origin is a file name (the message then starts
 * with "file:line:col:") or NULL at the prompt. */
void repl_report(void *ctx, const char *origin, const char *chunk, int first_line, const Error *e);

/* The interactive loop on a terminal: prompts, readline, continuation lines
 * ("... ", indented for a block) while brackets are open or a block is not
 * closed by an empty line, a paste run as a whole, Ctrl-C to abandon a line
 * or stop a computation.  What is typed also goes to rec (may be NULL).
 * Returns the exit status (0). */
int repl_interactive(Interp *in, Recorder *rec, volatile sig_atomic_t *interrupted);

/* Runs statements read from a stream without prompts (a pipe or
 * redirected stdin): the whole stream, by Python's rules when it imports
 * numpy or math.  Returns 0 when everything ran, 1 otherwise. */
int repl_stream(Interp *in, FILE *f, const char *origin, bool echo, bool keep_going);

/* The same for source text (-c). */
int repl_source(Interp *in, const char *src, const char *origin, bool echo, bool keep_going);

/* Echo of a statement for -e: typed out a character at a time when
 * delay_ms > 0 (--type), for a demo in front of a class; Ctrl-C finishes
 * the line at once.  ctx is a ReplEcho. */
typedef struct ReplEcho {
    Interp *in;
    int delay_ms;
    volatile sig_atomic_t *interrupted;
} ReplEcho;
void repl_echo(void *ctx, const char *text);

/* The terminal's width in columns, or 80 when stdout is not a terminal. */
int repl_terminal_width(void);

#endif
