/* clock.h - the one clock: monotonic seconds, and a sleep.
 *
 * Elapsed times (the recorder's timestamps, the live view's frame pacing,
 * training's wall time) all come from clock_seconds, so that they agree and
 * never jump with the wall clock.
 */
#ifndef NUDGE_CLOCK_H
#define NUDGE_CLOCK_H

/* Seconds on a monotonic clock from an arbitrary start. */
double clock_seconds(void);

/* Sleeps for seconds (0 or less returns at once).  A signal may end the
 * sleep early; callers that wait for long do so in slices and check the
 * interrupt flag in between. */
void clock_sleep(double seconds);

#endif
