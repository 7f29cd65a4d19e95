/*
 * futex.h - the two futex calls the gates and sleeps need.  Shared (not
 * FUTEX_PRIVATE) because gate words live in memory mapped by several
 * processes.
 */
#ifndef LS_FUTEX_H
#define LS_FUTEX_H

#include <errno.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "engine/clock.h"   /* ls_now_ns(), for the callers that wait */

/* Sleep while *word == expected, at most timeout (relative; NULL = for ever). */
static inline int
ls_futex_wait(_Atomic uint32_t *word, uint32_t expected, const struct timespec *timeout)
{
	return (int)syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT, expected, timeout, NULL, 0);
}

static inline void
ls_futex_wake(_Atomic uint32_t *word, int n)
{
	syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE, n, NULL, NULL, 0);
}

static inline struct timespec
ls_ms_to_timespec(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	return ts;
}

#endif
