/*
 * probe_int.h - what every probe file shares (probe.c, probe_proc.c,
 * probe_net.c): recording an event into the actor's own ring, and the gate
 * every probe passes first.  Internal to the engine.
 */
#ifndef LS_PROBE_INT_H
#define LS_PROBE_INT_H

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "engine/actor.h"
#include "engine/clock.h"
#include "engine/gate.h"
#include "engine/trace.h"
#include "engine/world.h"
#include "lockstep/event.h"

static inline void
probe_emit(struct ls_self *s, enum ls_op op, enum ls_phase ph, unsigned obj,
           int line, int64_t a, int64_t b)
{
	struct ls_ring *r = s->slot->ring;
	uint64_t t = ls_now_ns();
	struct ls_event *e = ls_ring_reserve(r);

	if (!e)
		return;
	/* Written in place: the ring's slot is the event. */
	e->t_ns = t;
	e->actor = s->id;
	e->op = (uint8_t)op;
	e->phase = (uint8_t)ph;
	e->obj = (uint16_t)obj;
	e->pad = 0;
	e->line = line;
	e->u.v.a = a;
	e->u.v.b = b;
	ls_ring_commit(r, e);
}

static inline void
probe_emit_text(struct ls_self *s, enum ls_op op, enum ls_phase ph, unsigned obj,
                int line, const char *text, size_t len)
{
	struct ls_event e;

	memset(&e, 0, sizeof e);
	e.t_ns = ls_now_ns();
	e.actor = s->id;
	e.op = (uint8_t)op;
	e.phase = (uint8_t)ph;
	e.obj = (uint16_t)obj;
	e.line = line;
	memcpy(e.u.text, text, len < LS_TEXT_MAX ? len : LS_TEXT_MAX);
	ls_ring_push(s->slot->ring, &e);
}

static inline int
probe_aborted(const struct ls_self *s)
{
	/* Relaxed, as in gate.c: the abort word carries no data; the parent's
	 * futex wake and gate kicks end the waits that should see it. */
	return atomic_load_explicit(&s->world->ctl.abort, memory_order_relaxed) != 0;
}

static inline int
probe_gated(const struct ls_self *s)
{
	/* Relaxed: a mode with no data behind it; a probe that reads it late
	 * parks at a later probe, and the controller settles (waits for every
	 * actor to park or block) before it grants anything. */
	return atomic_load_explicit(&s->world->ctl.gated, memory_order_relaxed) != 0;
}

/* Wait at the gate until the controller grants a step (see gate.c); leave on abort. */
static void
probe_park(struct ls_self *s)
{
	if (ls_gate_park(&s->slot->gate, &s->world->ctl.abort) != 0)
		ls_actor_leave();
}

/*
 * Waiting in the kernel (a pipe's full buffer, a connection not yet made)
 * for what the model already allows, in a controlled mode: the actor cannot
 * park, since the peer it waits for runs only while it waits.  It settles
 * instead (ls_gate_settle: its gate says parked, and the model, having seen
 * its BLOCK, never lets the controller grant it) and unsettles before it
 * records anything another actor waits for.  *settled remembers which.
 */
static inline void
probe_settle(struct ls_self *s, int *settled)
{
	if (*settled || !probe_gated(s))
		return;
	ls_gate_settle(&s->slot->gate);
	*settled = 1;
}

static inline void
probe_unsettle(struct ls_self *s, int *settled)
{
	if (!*settled)
		return;
	ls_gate_unsettle(&s->slot->gate);
	*settled = 0;
}

/* Controlled modes or abort: leave on abort; else announce and park.  Out
 * of line, so that the free-mode path around it keeps few registers. */
static __attribute__((noinline, cold)) void
probe_gate_slow(struct ls_self *s, enum ls_op op, unsigned obj, int line, int64_t arg)
{
	if (probe_aborted(s))
		ls_actor_leave();
	if (!probe_gated(s))
		return;
	probe_emit(s, op, LS_PH_BEGIN, obj, line, arg, 0);
	probe_park(s);
}

/* The start of every probe: in free mode one relaxed load of one word. */
static inline void
probe_gate(struct ls_self *s, enum ls_op op, unsigned obj, int line, int64_t arg)
{
	/* Relaxed: a hint (ls_ctl_publish()); the slow path reads gated and abort
	 * themselves, and a change missed here is seen at a later probe. */
	if (__builtin_expect(atomic_load_explicit(&s->world->ctl.busy, memory_order_relaxed) != 0, 0))
		probe_gate_slow(s, op, obj, line, arg);
}

#endif
