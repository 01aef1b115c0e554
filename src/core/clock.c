/* clock.c - monotonic seconds and a sleep (see clock.h). */
#include "nudge/clock.h"

#include <time.h>

double clock_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void clock_sleep(double seconds)
{
    if (!(seconds > 0))
        return;
    time_t whole = (time_t)seconds;
    struct timespec ts = { whole, (long)((seconds - (double)whole) * 1e9) };
    nanosleep(&ts, NULL);
}
