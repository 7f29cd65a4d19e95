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

/* What an actor did.  Keep in step with trace_op_name(). */
enum ls_op {
	LS_OP_START,        /* actor began its body */
	LS_OP_EXIT,         /* actor returned from its body */
	LS_OP_CRASH,        /* actor died (synthesized by the parent) */
	LS_OP_LOAD,         /* a = value read */
	LS_OP_STORE,        /* a = value written, b = value overwritten */
	LS_OP_ADD,          /* atomic read-modify-write: a = new value, b = delta */
	LS_OP_LOCK,
	LS_OP_UNLOCK,
	LS_OP_SEM_ACQUIRE,  /* a = count after */
	LS_OP_SEM_RELEASE,  /* a = count after; phase FAIL = refused (bounded) */
	LS_OP_EVENT_SET,
	LS_OP_EVENT_CLEAR,
	LS_OP_EVENT_WAIT,   /* a = timeout in ms or -1; DONE b = 1 set, 0 timed out */
	LS_OP_SLEEP,        /* a = milliseconds asked */
	LS_OP_SAY,          /* text; phase PART for all but the last chunk */
	LS_OP_COND_WAIT,    /* obj = condition, a = mutex object id */
	LS_OP_COND_SIGNAL,  /* b = 1 for broadcast */
	LS_OP_FILE_READ,    /* text = first bytes read, a = length */
	LS_OP_FILE_WRITE,   /* text = first bytes written, a = length */
	LS_OP_EVENT_TEST,   /* is_set(): b = flag seen */
	LS_OP_FINAL,        /* the run's end: a = the variable's real final value */
	LS_OP__COUNT
};

/* Where in the operation the actor is. */
enum ls_phase {
	LS_PH_BEGIN,  /* about to do it (in controlled modes: parked at its gate) */
	LS_PH_BLOCK,  /* could not proceed at once and is waiting */
	LS_PH_DONE,   /* completed (lock acquired, value read, ...) */
	LS_PH_FAIL,   /* refused or timed out */
	LS_PH_PART,   /* a chunk of text continued by the next event */
};

#define LS_NO_OBJ   0xffffu
#define LS_NO_ACTOR 0xffffu   /* events the parent observes itself */
#define LS_TEXT_MAX 40

/* One event: 64 bytes, one cache line. */
struct ls_event {
	uint64_t t_ns;      /* CLOCK_MONOTONIC */
	uint32_t seq;       /* per-actor sequence number, from 0 */
	uint16_t actor;
	uint8_t  op;        /* enum ls_op */
	uint8_t  phase;     /* enum ls_phase */
	uint16_t obj;       /* object id or LS_NO_OBJ */
	uint16_t pad;
	int32_t  line;      /* scenario source line */
	union {
		struct { int64_t a, b; } v;
		char text[LS_TEXT_MAX];  /* not NUL-terminated when full */
	} u;
};

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

const char *ls_op_name(enum ls_op op);
const char *ls_phase_name(enum ls_phase ph);

#endif
