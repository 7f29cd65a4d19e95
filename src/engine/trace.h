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
 *
 *   producer (the actor)                  consumer (the parent's drain)
 *   head = load(head)      (relaxed: own)
 *   ev[head] = event
 *   head = head + 1        (release) ---> head = load(head)      (acquire)
 *                                         copy ev[tail .. head)
 *   tail_seen = load(tail) (acquire) <--- tail = tail + n        (release)
 *   (only when the ring looks full)
 *
 * The release on head publishes the event written before it; the release on
 * tail says the consumer has copied the slots out, so the producer may
 * write them again.  dropped is the producer's alone (relaxed both sides:
 * a count, no data behind it).
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

/*
 * Producer side, for the probes' hot path: the slot the next event goes
 * in, written in place (no copy), then published by ls_ring_commit(); or
 * NULL when the ring is full (the drop is counted here).  Inline, as the
 * probe path is one clock read and this.
 */
static inline struct ls_event *
ls_ring_reserve(struct ls_ring *r)
{
	/* Relaxed: head is ours; nobody else writes it. */
	uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

	/* Read the consumer's index only when the ring looks full: keeps its
	 * cache line from bouncing on every push. */
	if (__builtin_expect(head - r->tail_seen >= r->cap, 0)) {
		/* Pairs with the release store of tail in ls_ring_drain(): the
		 * slots before it are copied out, ours to overwrite. */
		r->tail_seen = atomic_load_explicit(&r->tail, memory_order_acquire);
		if (head - r->tail_seen >= r->cap) {
			/* Only this producer writes dropped: a relaxed load/store
			 * pair; the consumer's relaxed read wants the count only. */
			uint64_t d = atomic_load_explicit(&r->dropped, memory_order_relaxed);
			atomic_store_explicit(&r->dropped, d + 1, memory_order_relaxed);
			r->next_seq++;
			return NULL;
		}
	}
	return &r->ev[head & (r->cap - 1)];
}

static inline void
ls_ring_commit(struct ls_ring *r, struct ls_event *e)
{
	/* Relaxed: head is ours. */
	uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

	e->seq = (uint32_t)r->next_seq++;
	/* Pairs with the acquire load of head in ls_ring_drain() and
	 * ls_ring_pending(): the event written in place is visible first. */
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
}

/* Consumer side: copies up to max events out; returns how many. */
size_t ls_ring_drain(struct ls_ring *r, struct ls_event *out, size_t max);
uint64_t ls_ring_dropped(const struct ls_ring *r);
uint64_t ls_ring_pending(const struct ls_ring *r);


#endif
