/* record.h - --record on a terminal: the session runs in a pseudo-terminal
 * and everything the terminal is sent is recorded, as asciinema records.
 *
 * Why a pseudo-terminal rather than recording what the interpreter prints:
 * a terminal session is more than that output.  The live view draws with
 * ncurses straight to the terminal, readline echoes and redraws the line
 * being typed, errors go to stderr, and the stepper erases its hint.  A
 * pseudo-terminal in between sees every byte of all of them, in the order
 * the terminal got them, with no change to any of those parts, and the keys
 * pressed (as "i" events) and resizes (as "r" events) too.  Teeing ncurses'
 * output (newterm with a FILE that writes to two places) would catch the
 * live view alone, and ncurses writes to the file's descriptor directly,
 * which a FILE of ours cannot intercept.
 *
 * The process forks: the child carries on as the session with the
 * pseudo-terminal as its terminal (standard output and error, and standard
 * input when that is a terminal; a piped input stays as it is); the parent
 * copies keys to it and its output to the real terminal and the recording,
 * passes on resizes and signals, and when the child ends puts the terminal
 * back, closes the recording and exits as the child did.
 */
#ifndef NUDGE_RECORD_H
#define NUDGE_RECORD_H

#include <stdbool.h>

#include "nudge/error.h"
#include "nudge/repl.h"

/* The parent's side of a session recorded through a pseudo-terminal, or a
 * sign to carry on as the session. */
enum { RECORD_CHILD = -1, RECORD_FAILED = -2 };

/* Starts recording to path (standard output must be a terminal).  Returns
 * RECORD_CHILD in the child, which then runs the session as usual;
 * in the parent, the exit status to end with once the child has ended (the
 * recording closed); RECORD_FAILED with *e set when nothing could start
 * (no child was made, and no file was left behind). */
int record_session(const char *path, Error *e);

/* Copies the bytes of text to r as one event of kind 'o' (output) or 'i'
 * (keys), as they are: valid UTF-8 (a sequence cut at the end is held back
 * in *carry until the next call; a byte that starts none becomes U+FFFD).
 * carry holds at most 4 bytes and ncarry how many; 0 to start. */
void record_bytes(Recorder *r, char kind, const char *text, size_t len, char *carry, size_t *ncarry);

#endif
