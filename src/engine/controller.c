/*
 * controller.c - the choosers (step, random, replay) and the policies' names.
 * Pure: no gate, no world, no clock.  The handshake that makes a choice
 * happen is gate.c.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "engine/controller.h"

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
	uint64_t draw = controller_next(&copy);
	/* Stepping opens on the lowest ready actor (T1, not T66): a class
	 * follows from the top.  The draw is still used up, so the steps after
	 * it are the ones the seed always gave. */
	if (c->policy == LS_POLICY_STEP && c->taken.len == 0)
		return enabled[0];
	return enabled[draw % (uint64_t)n];
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
	uint64_t draw = controller_next(&c->rng);
	if (c->policy == LS_POLICY_STEP && c->taken.len == 0)
		return enabled[0];   /* see ls_controller_peek */
	return enabled[draw % (uint64_t)n];
}

void
ls_controller_taken(struct ls_controller *c, int actor)
{
	ls_schedule_push(&c->taken, actor);
}

const char *
ls_policy_name(enum ls_policy p)
{
	static const char *const names[] = {
		[LS_POLICY_FREE] = "free", [LS_POLICY_STEP] = "step",
		[LS_POLICY_RANDOM] = "random", [LS_POLICY_REPLAY] = "replay",
	};
	return (unsigned)p < sizeof names / sizeof names[0] ? names[p] : "?";
}

int
ls_policy_parse(const char *s, enum ls_policy *p)
{
	for (int i = LS_POLICY_FREE; i <= LS_POLICY_REPLAY; i++)
		if (strcmp(s, ls_policy_name((enum ls_policy)i)) == 0) {
			*p = (enum ls_policy)i;
			return 0;
		}
	return -1;
}
