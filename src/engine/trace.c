/*
 * trace.c - the per-actor event ring.  Must never take a lock or write any
 * word another producer writes: that would serialize the actors and hide the
 * very races the scenarios exist to show.
 */
#include "config.h"

#include <string.h>

#include "engine/trace.h"

size_t
ls_ring_bytes(uint32_t cap)
{
	return sizeof(struct ls_ring) + (size_t)cap * sizeof(struct ls_event);
}

void
ls_ring_init(struct ls_ring *r, uint32_t cap)
{
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	atomic_init(&r->dropped, 0);
	r->next_seq = 0;
	r->tail_seen = 0;
	r->cap = cap;
}

int
ls_ring_push(struct ls_ring *r, struct ls_event *e)
{
	/* Relaxed: head is ours; nobody else writes it. */
	uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

	e->seq = (uint32_t)r->next_seq++;
	/* Read the consumer's index only when the ring looks full: keeps its
	 * cache line from bouncing on every push.  Pairs with the release
	 * store of tail in ls_ring_drain(): those slots are copied out. */
	if (head - r->tail_seen >= r->cap)
		r->tail_seen = atomic_load_explicit(&r->tail, memory_order_acquire);
	if (head - r->tail_seen >= r->cap) {
		/* Only this producer writes dropped: a relaxed load/store pair is
		 * enough (the consumer's relaxed read wants the count only). */
		uint64_t d = atomic_load_explicit(&r->dropped, memory_order_relaxed);
		atomic_store_explicit(&r->dropped, d + 1, memory_order_relaxed);
		return -1;
	}
	r->ev[head & (r->cap - 1)] = *e;
	/* Pairs with the acquire load of head in ls_ring_drain(): the event
	 * copied in just above is visible before the new head. */
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
	return 0;
}

size_t
ls_ring_drain(struct ls_ring *r, struct ls_event *out, size_t max)
{
	/* Relaxed: tail is ours (the one consumer's). */
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	/* Pairs with the producer's release store of head (ls_ring_push(),
	 * ls_ring_commit()): every event below head is written. */
	uint64_t head = atomic_load_explicit(&r->head, memory_order_acquire);
	size_t n = 0;

	while (tail + n < head && n < max) {
		out[n] = r->ev[(tail + n) & (r->cap - 1)];
		n++;
	}
	/* Pairs with the producer's acquire load of tail when the ring looks
	 * full: our copies are done before it overwrites those slots. */
	atomic_store_explicit(&r->tail, tail + n, memory_order_release);
	return n;
}

uint64_t
ls_ring_dropped(const struct ls_ring *r)
{
	/* Relaxed: a count its one producer bumps; no data behind it. */
	return atomic_load_explicit(&((struct ls_ring *)r)->dropped, memory_order_relaxed);
}

uint64_t
ls_ring_pending(const struct ls_ring *r)
{
	struct ls_ring *w = (struct ls_ring *)r;
	/* Acquire pairs with the producer's release store of head, as in
	 * ls_ring_drain(); tail is the consumer's own (relaxed). */
	return atomic_load_explicit(&w->head, memory_order_acquire) -
	       atomic_load_explicit(&w->tail, memory_order_relaxed);
}
