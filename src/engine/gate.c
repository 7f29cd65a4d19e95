/*
 * gate.c - the whole gate protocol: the actor parks, the controller grants
 * one step and waits for the actor to park again (or finish).
 *
 *   controller                          actor
 *   ----------                          -----
 *   state = RUNNING      (relaxed)
 *   go = n               (release) ---> x = exchange(go, 0) (acquire)
 *   futex_wake(go)                      step = x            (release)
 *                                       ... runs to its next probe,
 *                                       pushes BEGIN into its ring ...
 *   st = load(state)     (acquire) <--- state = PARKED      (release)
 *                                       futex_wake(state)
 *
 * The release on go orders the controller's RUNNING before anything the
 * actor does after taking the grant, so its PARKED cannot be overwritten by
 * a late RUNNING.  The release on PARKED/DONE orders the actor's ring
 * pushes before it, so a controller that sees PARKED finds the BEGIN event
 * in the ring.  Both waits are futex waits on the word the other side
 * stores, in bounded slices: a wake that comes before the wait is caught by
 * the futex's compare, and a lost one costs at most a slice.
 *
 * Besides that handshake: an actor waiting in the kernel for what the model
 * allows settles (PARKED, release, as if parked) and unsettles (RUNNING,
 * release) before it records anything another actor waits for; a forking
 * actor arms its child's gate (RUNNING, release) before the child exists;
 * the controller presets the gate of an actor forked later to PARKED.
 *
 * Must never: block without a bound, or touch anything but the gate's words
 * (it runs inside actors, threads and forked processes alike).
 */
#include "config.h"

#include <limits.h>

#include "engine/futex.h"
#include "engine/gate.h"

#define GATE_SLICE_MS 100   /* longest a parked actor goes without checking abort */

void
ls_gate_init(struct ls_gate *g)
{
	atomic_init(&g->go, 0);
	atomic_init(&g->state, LS_GATE_RUNNING);
	atomic_init(&g->step, 0);
}

uint32_t
ls_gate_state(const struct ls_gate *g)
{
	/* Pairs with the actor's release store of PARKED/DONE in ls_gate_park()
	 * and ls_gate_done(), and with ls_gate_mark_done(). */
	return atomic_load_explicit(&((struct ls_gate *)g)->state, memory_order_acquire);
}

/* ---- actor side ---------------------------------------------------------- */

int
ls_gate_park(struct ls_gate *g, const _Atomic uint32_t *abort_word)
{
	struct timespec slice = ls_ms_to_timespec(GATE_SLICE_MS);

	/* Pairs with the controller's acquire load in ls_gate_state(): our
	 * BEGIN event, pushed before this store, is visible once PARKED is. */
	atomic_store_explicit(&g->state, LS_GATE_PARKED, memory_order_release);
	/* All waiters: the controller and any actor joining this one. */
	ls_futex_wake(&g->state, INT_MAX);
	for (;;) {
		/* Pairs with the release store of go in ls_gate_grant(). */
		uint32_t n = atomic_exchange_explicit(&g->go, 0, memory_order_acquire);
		if (n != 0) {
			/* Pairs with the acquire load in ls_gate_taken(). */
			atomic_store_explicit(&g->step, n, memory_order_release);
			return 0;
		}
		/* Relaxed: the abort word carries no data; the parent stores it
		 * before ls_gate_kick(), whose futex wake ends our wait. */
		if (atomic_load_explicit(abort_word, memory_order_relaxed))
			return -1;
		ls_futex_wait(&g->go, 0, &slice);
	}
}

void
ls_gate_done(struct ls_gate *g)
{
	/* Pairs with the acquire load in ls_gate_state(): the EXIT event is
	 * in the ring before the controller sees DONE. */
	atomic_store_explicit(&g->state, LS_GATE_DONE, memory_order_release);
	ls_futex_wake(&g->state, INT_MAX);
}

int
ls_gate_wait_done(struct ls_gate *other, const _Atomic uint32_t *abort_word)
{
	struct timespec slice = ls_ms_to_timespec(20);

	for (;;) {
		/* Pairs with the release store of DONE in ls_gate_done() (and
		 * ls_gate_mark_done()): the joined actor's EXIT event is in its
		 * ring before we record our own DONE. */
		uint32_t st = ls_gate_state(other);
		if (st == LS_GATE_DONE)
			return 0;
		/* Relaxed, as in ls_gate_park(); abort also wakes every sleeper on
		 * the abort word, not this one, hence the short slice. */
		if (atomic_load_explicit(abort_word, memory_order_relaxed))
			return -1;
		ls_futex_wait(&other->state, st, &slice);
	}
}

/* ---- actor side: settled in the kernel, forking, watching a gate -------- */

void
ls_gate_settle(struct ls_gate *g)
{
	/* Pairs with the controller's acquire load in ls_gate_state(): the
	 * BLOCK event, pushed before this store, is in the ring once PARKED is
	 * seen, so the model knows not to grant this actor. */
	atomic_store_explicit(&g->state, LS_GATE_PARKED, memory_order_release);
	/* One waiter: the controller (a joiner waits for DONE, not this). */
	ls_futex_wake(&g->state, 1);
}

void
ls_gate_unsettle(struct ls_gate *g)
{
	/* Relaxed: a grant made while settled (only a switch to free mode) is
	 * spent here; published by the release store of state just below. */
	atomic_store_explicit(&g->go, 0, memory_order_relaxed);
	/* Pairs with the acquire load in ls_gate_state(): a controller that
	 * sees RUNNING again sees the grant spent, and waits for the next
	 * PARKED, which ls_gate_park() stores after the events it waits for. */
	atomic_store_explicit(&g->state, LS_GATE_RUNNING, memory_order_release);
}

void
ls_gate_arm_child(struct ls_gate *child)
{
	/* Pairs with the acquire load in ls_gate_state() (the controller's, and
	 * the forker's own in ls_gate_wait_parked()).  The forker's next PARKED
	 * is a release after it, so a controller that sees the forker parked
	 * sees the child RUNNING or later, never the preset PARKED. */
	atomic_store_explicit(&child->state, LS_GATE_RUNNING, memory_order_release);
}

int
ls_gate_wait_parked(struct ls_gate *child, const _Atomic uint32_t *abort_word)
{
	struct timespec slice = ls_ms_to_timespec(20);
	uint32_t st;

	/* Pairs with the child's release store of PARKED/DONE in
	 * ls_gate_park() or ls_gate_done() (ls_gate_state() is the acquire). */
	while ((st = ls_gate_state(child)) == LS_GATE_RUNNING) {
		/* Relaxed, as in ls_gate_park(): the abort word carries no data. */
		if (atomic_load_explicit(abort_word, memory_order_relaxed))
			return -1;
		ls_futex_wait(&child->state, st, &slice);
	}
	return 0;
}

void
ls_gate_wait_change(struct ls_gate *other, uint32_t seen, int timeout_ms)
{
	struct timespec slice = ls_ms_to_timespec(timeout_ms > 0 ? timeout_ms : 0);

	/* No load here: the futex compares the word with `seen` (which the
	 * caller read with ls_gate_state(), the acquire), so a change since
	 * then, and its wake, end the wait at once. */
	ls_futex_wait(&other->state, seen, &slice);
}

/* ---- controller side ----------------------------------------------------- */

void
ls_gate_grant(struct ls_gate *g, uint32_t n)
{
	/* Relaxed: published by the release store of go just below. */
	atomic_store_explicit(&g->state, LS_GATE_RUNNING, memory_order_relaxed);
	/* Pairs with the actor's acquire exchange in ls_gate_park(). */
	atomic_store_explicit(&g->go, n ? n : 1, memory_order_release);
	ls_futex_wake(&g->go, 1);
}

uint32_t
ls_gate_wait(struct ls_gate *g, int timeout_ms)
{
	uint64_t until = ls_now_ns() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0) * 1000000u;
	uint32_t st;

	while ((st = ls_gate_state(g)) == LS_GATE_RUNNING) {
		uint64_t now = ls_now_ns();
		if (now >= until)
			break;
		struct timespec left = { (time_t)((until - now) / 1000000000u),
		                         (long)((until - now) % 1000000000u) };
		ls_futex_wait(&g->state, LS_GATE_RUNNING, &left);
	}
	return st;
}

void
ls_gate_kick(struct ls_gate *g)
{
	ls_futex_wake(&g->go, 1);
}

void
ls_gate_mark_done(struct ls_gate *g)
{
	/* Pairs with the acquire load in ls_gate_state(); the actor is gone,
	 * so nothing else writes state any more. */
	atomic_store_explicit(&g->state, LS_GATE_DONE, memory_order_release);
	ls_futex_wake(&g->state, INT_MAX);
}

uint32_t
ls_gate_taken(const struct ls_gate *g)
{
	/* Pairs with the actor's release store of step in ls_gate_park(). */
	return atomic_load_explicit(&((struct ls_gate *)g)->step, memory_order_acquire);
}

void
ls_gate_preset_parked(struct ls_gate *g)
{
	/* Pairs with the acquire load in ls_gate_state().  Stored before the
	 * actor exists; its forker arms it (ls_gate_arm_child) when it forks,
	 * which in a controlled run is only after a grant, so after this. */
	atomic_store_explicit(&g->state, LS_GATE_PARKED, memory_order_release);
}
