/* step.h - stepping through a script in front of a class (--step).
 *
 * Before each statement runs, the stepper shows it at the prompt (typed
 * out at the --type pace) and waits for a key: Enter (or space, n, →) runs
 * it, b (or ←) goes back to the pause before the previous statement, so
 * that it runs again, and q stops the script as `quit` would.  It works as
 * the session's chunk hook, in front of any hook already set (a lesson's),
 * and only while a terminal is there to press keys.
 */
#ifndef NUDGE_STEP_H
#define NUDGE_STEP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "nudge/interp.h"
#include "nudge/repl.h"

typedef struct Stepper {
    Interp *in;
    SessionHooks prev;          /* the hooks it stands in front of */
    ReplEcho *echo;             /* types statements out (its delay) */
    volatile sig_atomic_t *interrupted;
    char **seen;                /* every statement shown so far, owned */
    size_t nseen, capseen;
    bool replaying;             /* running an earlier statement again */
    int fd;                     /* the terminal keys are read from */
} Stepper;

/* Puts the stepper in front of in's hooks; keys are read from fd (a
 * terminal).  echo types statements out; interrupted is the SIGINT flag
 * (Ctrl-C at a pause stops, as q does). */
void step_install(Stepper *s, Interp *in, int fd, ReplEcho *echo, volatile sig_atomic_t *interrupted);
/* Puts the hooks back as they were and frees what it kept. */
void step_remove(Stepper *s);

#endif
