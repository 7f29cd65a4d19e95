/*
 * controller.c - the choosers (step, random, replay) and the gate handshake.
 *
 * Handshake: the controller sets the actor's state word to RUNNING, then its
 * go word to 1 and wakes it; the actor consumes go, runs to its next probe,
 * sets state to PARKED (or DONE) and wakes the controller.  Each word is
 * written by one side only at a time, and no word is shared by two actors.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "engine/controller.h"
#include "engine/futex.h"

/* splitmix64: tiny, well mixed, and the same on every machine. */
static uint64_t
controller_next(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

void
ls_controller_init(struct ls_controller *c, enum ls_policy p, uint64_t seed,
                   const struct ls_schedule *replay)
{
	memset(c, 0, sizeof *c);
	c->policy = p;
	c->seed = seed;
	c->rng = seed;
	ls_schedule_init(&c->replay);
	ls_schedule_init(&c->taken);
	if (replay)
		for (size_t i = 0; i < replay->len; i++)
			ls_schedule_push(&c->replay, replay->steps[i]);
}

void
ls_controller_fini(struct ls_controller *c)
{
	ls_schedule_clear(&c->replay);
	ls_schedule_clear(&c->taken);
}

static int
controller_has(const int *enabled, int n, int actor)
{
	for (int i = 0; i < n; i++)
		if (enabled[i] == actor)
			return 1;
	return 0;
}

int
ls_controller_peek(const struct ls_controller *c, const int *enabled, int n)
{
	if (n <= 0)
		return -1;
	if (c->policy == LS_POLICY_REPLAY) {
		if (c->replay_at < c->replay.len)
			return c->replay.steps[c->replay_at];
		return enabled[0];
	}
	uint64_t copy = c->rng;
	return enabled[controller_next(&copy) % (uint64_t)n];
}

int
ls_controller_choose(struct ls_controller *c, const int *enabled, int n,
                     const char *const *names, char *err, size_t len)
{
	if (n <= 0)
		return -1;
	if (c->policy == LS_POLICY_REPLAY) {
		/* Past the end of the schedule the lowest-numbered actor that can
		 * proceed moves, so a short schedule still runs to completion. */
		if (c->replay_at >= c->replay.len)
			return enabled[0];
		int want = c->replay.steps[c->replay_at];
		if (!controller_has(enabled, n, want)) {
			snprintf(err, len, "schedule step %zu names %s, which cannot move then",
			         c->replay_at + 1, names[want]);
			return -1;
		}
		c->replay_at++;
		return want;
	}
	return enabled[controller_next(&c->rng) % (uint64_t)n];
}

void
ls_controller_taken(struct ls_controller *c, int actor)
{
	ls_schedule_push(&c->taken, actor);
}

void
ls_gate_grant(struct ls_actor_slot *slot)
{
	atomic_store_explicit(&slot->gate.state, LS_GATE_RUNNING, memory_order_relaxed);
	atomic_store_explicit(&slot->gate.go, 1, memory_order_release);
	ls_futex_wake(&slot->gate.go, 1);
}

uint32_t
ls_gate_state(const struct ls_actor_slot *slot)
{
	return atomic_load_explicit(&((struct ls_actor_slot *)slot)->gate.state, memory_order_acquire);
}

uint32_t
ls_gate_wait(struct ls_actor_slot *slot, int timeout_ms)
{
	uint64_t until = ls_now_ns() + (uint64_t)timeout_ms * 1000000u;
	uint32_t st;

	while ((st = ls_gate_state(slot)) == LS_GATE_RUNNING) {
		uint64_t now = ls_now_ns();
		if (now >= until)
			break;
		struct timespec left = { (time_t)((until - now) / 1000000000u),
		                         (long)((until - now) % 1000000000u) };
		ls_futex_wait(&slot->gate.state, LS_GATE_RUNNING, &left);
	}
	return st;
}
