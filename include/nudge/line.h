/* line.h - reading input lines: GNU Readline on a terminal, getline
 * otherwise.  Readline sits behind these few functions so that nothing
 * else in nudge depends on it.
 *
 * Ctrl-C while a line is being typed abandons that line: line_read returns
 * LINE_INTERRUPTED and the caller shows a fresh prompt.
 */
#ifndef NUDGE_LINE_H
#define NUDGE_LINE_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "nudge/interp.h"

typedef enum LineStatus { LINE_OK, LINE_EOF, LINE_INTERRUPTED } LineStatus;

typedef struct LineReader {
    bool tty;                           /* readline in use */
    FILE *in;                           /* the getline path's stream */
    char *buf;                          /* the getline buffer */
    size_t cap;
    char *history_path;                 /* owned; NULL when there is no history */
    /* Why the history file is not used, found by line_init ("" when it
     * is), for the caller to show once. */
    char history_note[ERROR_MSG_MAX];
    volatile sig_atomic_t *interrupted; /* the SIGINT flag */
} LineReader;

/* Sets up reading from stdin (readline when tty).  Completion reads the
 * names of in (borrowed: it must outlive the reader).  The history file is
 * $XDG_STATE_HOME/nudge/history (~/.local/state/nudge/history); anything
 * there but a regular file (a FIFO would block start-up) is left alone,
 * and history_note says so.  Every change to the file is made under the
 * lock history.lock (files_lock), so several nudge processes can share it
 * without losing lines. */
void line_init(LineReader *lr, Interp *in, bool tty, volatile sig_atomic_t *interrupted);

/* Reads one line without its newline into *out (owned by the caller: free
 * with line_free_text). */
LineStatus line_read(LineReader *lr, const char *prompt, char **out);
/* The same for a continuation line of a block: on a terminal the line
 * starts with indent already typed (the student may delete it). */
LineStatus line_read_indented(LineReader *lr, const char *prompt, const char *indent, char **out);

/* Adds a non-empty line to the history (and the history file).  Returns
 * false with *e set when the history file cannot be written (the line is
 * still in this session's history). */
bool line_save(LineReader *lr, const char *line, Error *e);

void line_free_text(char *text);

/* Releases the reader. */
void line_free(LineReader *lr);

#endif
