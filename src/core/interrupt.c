/* interrupt.c - the SIGINT flag that long computations poll. */
#include "nudge/interrupt.h"

static volatile sig_atomic_t requested;

void interrupt_request(void)
{
    requested = 1;
}

bool interrupt_pending(void)
{
    return requested != 0;
}

void interrupt_clear(void)
{
    requested = 0;
}

volatile sig_atomic_t *interrupt_flag(void)
{
    return &requested;
}

bool interrupt_check(Error *e)
{
    if (!requested)
        return false;
    error_set(e, ERROR_INTERRUPT, "interrupted");
    return true;
}
