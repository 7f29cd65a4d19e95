/*
 * trace.h - per-actor single-producer/single-consumer event rings.
 *
 * Each actor owns one ring in the shared world, so forked children write to
 * it exactly as threads do.  The producer (the actor) and the consumer (the
 * parent's drain) touch disjoint indices: no lock and no counter shared
 * between actors is ever written on the probe path.  A full ring drops the
 * new event and counts it; the count is reported, never hidden.
 */
#ifndef LS_TRACE_H
#define LS_TRACE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "lockstep/event.h"

/*
 * The ring.  head is written only by the producer, tail only by the consumer;
 * they sit on separate cache lines so the two sides do not false-share.
 */
struct ls_ring {
	_Alignas(64) _Atomic uint64_t head;
	uint64_t next_seq;                 /* producer private */
	uint64_t tail_seen;                /* producer private: last tail read */
	_Atomic uint64_t dropped;          /* producer writes, consumer reads */
	_Alignas(64) _Atomic uint64_t tail;
	_Alignas(64) uint32_t cap;         /* power of two */
	struct ls_event ev[];
};

size_t ls_ring_bytes(uint32_t cap);
void ls_ring_init(struct ls_ring *r, uint32_t cap);

/* Producer side: fills seq; returns 0, or -1 when the event was dropped. */
int ls_ring_push(struct ls_ring *r, struct ls_event *e);

/* Consumer side: copies up to max events out; returns how many. */
size_t ls_ring_drain(struct ls_ring *r, struct ls_event *out, size_t max);
uint64_t ls_ring_dropped(const struct ls_ring *r);
uint64_t ls_ring_pending(const struct ls_ring *r);


#endif
