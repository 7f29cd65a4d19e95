/*
 * clock.h - the one monotonic clock everything measures with: event
 * timestamps, deadlines, elapsed times and frame pacing.  Never the wall
 * clock (it jumps).  Inline: a probe reads it on every event.
 */
#ifndef LS_CLOCK_H
#define LS_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Nanoseconds since an arbitrary start (CLOCK_MONOTONIC). */
static inline uint64_t
ls_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The same clock in milliseconds, for elapsed times shown to people. */
static inline double
ls_now_ms(void)
{
	return (double)ls_now_ns() / 1e6;
}

#endif
