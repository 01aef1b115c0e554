/* interrupt.h - Ctrl-C for the long computations of core and model.
 *
 * The SIGINT handler calls interrupt_request(); the loops that can run for
 * long (large matrix products, training, numerical gradients) call
 * interrupt_pending() every block of work and, when it says so, stop and
 * return an ERROR_INTERRUPT error reading "interrupted".  They leave the
 * request pending: whoever reports the error to the user, or starts the next
 * statement, clears it.  The flag behind these functions is the program's
 * one global, a volatile sig_atomic_t, the only kind of object a signal
 * handler may write.
 */
#ifndef NUDGE_INTERRUPT_H
#define NUDGE_INTERRUPT_H

#include <signal.h>
#include <stdbool.h>

#include "nudge/error.h"

/* Marks an interrupt as requested; async-signal-safe. */
void interrupt_request(void);

/* True when an interrupt was requested and not yet cleared. */
bool interrupt_pending(void);

/* Forgets a pending request. */
void interrupt_clear(void);

/* The flag itself, for code that already takes a pointer to a SIGINT flag
 * (the interpreter and the line reader read and clear it through this). */
volatile sig_atomic_t *interrupt_flag(void);

/* When an interrupt is pending, fills e with ERROR_INTERRUPT, "interrupted"
 * and returns true; the request stays pending. */
bool interrupt_check(Error *e);

#endif
