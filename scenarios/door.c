/*
 * door.c - a door opened by card swipes, coordinated by an event.
 *
 * Mirrors tutorial 004's second Event program (door() and staff(n) around
 * door_swiping_event): the door checks the event every half second; while
 * it is set the door is open and counts, and once it has been open for more
 * than 3 counts it clears the event (closes).  While it is clear the door
 * resets its counter and waits.  Five staff arrive 0, 1 or 2 seconds apart;
 * one who finds the door closed swipes the card (sets the event) and looks
 * again half a second later; one who finds it open passes and is done.
 *
 * The tutorial's door waits for ever and never stops.  Here its wait has a
 * timeout of one tick so that, once every member of staff is through, it
 * notices and leaves; otherwise a last person who saw the door open just
 * before it closed could leave the door waiting for a swipe that never
 * comes.
 *
 * Lesson: an event can be set by many threads (every swipe) and cleared by
 * one (the door); whoever waits on it is released by the first set.  The
 * fold checks on the trace that nobody passes after seeing the door closed.
 *
 * Shared: `door` (the event, recorded under its own mutex), `passed` and
 * `swipes` (atomic counters).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "lockstep/lesson.h"

#define DOOR_MAX_STAFF 64

enum { P_STAFF, P_TICK_MS, P_CLOSE_AFTER, P_GAP_MS, P_ARRIVAL_SEED };

static const struct ls_param_desc door_params[] = {
	[P_STAFF]        = { "staff", N_("staff threads coming to the door"), 5, 1, DOOR_MAX_STAFF, NULL },
	[P_TICK_MS]      = { "tick_ms", N_("how often the door and the staff look"), 500, 1, 60000, NULL },
	[P_CLOSE_AFTER]  = { "close_after", N_("the door closes once open more than this many ticks"), 3, 0, 1000, NULL },
	[P_GAP_MS]       = { "gap_ms", N_("arrivals are 0, 1 or 2 times this apart"), 1000, 0, 60000, NULL },
	[P_ARRIVAL_SEED] = { "arrival_seed", N_("picks the gaps between arrivals"), 1, 0, 1000000, NULL },
};

struct door {
	ls_event_obj *door;
	ls_var *passed;
	ls_var *swipes;
	long staff, tick_ms, close_after, gap_ms, arrival_seed;
};

/* The tutorial's random.randrange(3) between starts, made repeatable. */
static long
door_arrival_ms(const struct door *d, int index)
{
	uint64_t x = (uint64_t)d->arrival_seed * 0x9E3779B97F4A7C15u + 1;
	long at = 0;

	for (int i = 0; i <= index; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		at += (long)(x % 3) * d->gap_ms;
	}
	return at;
}

static void
door_door(struct ls_actor_ctx *ctx)
{
	struct door *d = ctx->state;
	long counter = 0;

	while (ls_load(d->passed) < d->staff) {  /* py:load */
		if (ls_event_is_set(d->door)) {  /* py:event_test */
			ls_say("door opening....");  /* py:say */
			counter++;
		} else {
			ls_say("door closed...., swipe to open.");  /* py:say#2 */
			counter = 0;
			/* door_swiping_event.wait(), looking up once a tick so the
			 * door can stop when everyone is through. */
			while (!ls_event_wait_for(d->door, d->tick_ms))  /* py:event_wait */
				if (ls_load(d->passed) >= d->staff)  /* py:load#2 */
					return;
		}
		if (counter > d->close_after)                 /* open long enough: close */
			ls_event_clear(d->door);  /* py:event_clear */
		ls_sleep(d->tick_ms);  /* py:sleep */
	}
}

static void
door_staff(struct ls_actor_ctx *ctx)
{
	struct door *d = ctx->state;
	int n = ctx->index;     /* printed 1-based, as the actor's name numbers it */

	ls_sleep(door_arrival_ms(d, n));  /* py:sleep#2 */
	ls_say("staff [%d] is coming...", n + 1);  /* py:say#3 */
	for (;;) {
		if (ls_event_is_set(d->door)) {  /* py:event_test#2 */
			ls_add(d->passed, 1);  /* py:add */
			ls_say("staff [%d]: door is opened, passing.....", n + 1);  /* py:say#4 */
			break;
		}
		ls_say("staff [%d] sees door got closed, swiping the card.....", n + 1);  /* py:say#5 */
		ls_add(d->swipes, 1);  /* py:add#2 */
		ls_event_set(d->door);  /* py:event_set */
		ls_sleep(d->tick_ms);  /* py:sleep#3 */
	}
}

static const struct ls_role_desc door_roles[] = {
	{ .name = "door", .prefix = "door", .body = door_door, .count = 1, .count_param = -1,
	  .single = 1 },
	{ .name = "staff", .prefix = "staff", .body = door_staff, .count_param = P_STAFF },
};

static int
door_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct door *d = state;

	d->door = ls_event_new(w, "door");
	d->passed = ls_var_new(w, "passed", 0);
	d->swipes = ls_var_new(w, "swipes", 0);
	if (!d->door || !d->passed || !d->swipes) {
		snprintf(err, len, "door: cannot create the door");
		return -1;
	}
	d->staff = p[P_STAFF];
	d->tick_ms = p[P_TICK_MS];
	d->close_after = p[P_CLOSE_AFTER];
	d->gap_ms = p[P_GAP_MS];
	d->arrival_seed = p[P_ARRIVAL_SEED];
	return 0;
}

/* ---- the fold ------------------------------------------------------------ */

struct door_fold {
	int ready;
	int door, passed;             /* object ids */
	int open;                     /* the flag as the trace orders set and clear */
	long openings, closings;
	long passed_closed;           /* a pass whose check saw the door closed */
	long order_errors;            /* a check that saw other than the trace's flag */
	signed char seen[DOOR_MAX_STAFF + 1];   /* 0 none, 1 saw closed, 2 saw open */
};

static void
door_fold(void *acc, const struct ls_model *m, const long *p, const struct ls_event *e)
{
	struct door_fold *f = acc;
	(void)p;

	if (!f->ready) {
		f->door = ls_model_find(m, "door");
		f->passed = ls_model_find(m, "passed");
		f->ready = 1;
	}
	if (e->actor == LS_NO_ACTOR || e->actor > DOOR_MAX_STAFF || e->phase != LS_PH_DONE ||
	    e->obj == LS_NO_OBJ)
		return;
	int a = e->actor;

	if ((int)e->obj == f->door) {
		switch (e->op) {
		case LS_OP_EVENT_SET:
			f->openings += !f->open;
			f->open = 1;
			break;
		case LS_OP_EVENT_CLEAR:
			f->closings += f->open;
			f->open = 0;
			break;
		case LS_OP_EVENT_TEST:
			f->seen[a] = e->u.v.b ? 2 : 1;
			f->order_errors += (e->u.v.b != 0) != f->open;
			break;
		default:
			break;
		}
	} else if ((int)e->obj == f->passed && e->op == LS_OP_ADD) {
		f->passed_closed += f->seen[a] != 2;
	}
}

/* Swipes per member of staff still outside beyond which the run is stuck. */
#define DOOR_LIVELOCK_SWIPES 8

static void
door_verdict(const struct ls_model *m, const long *p, struct ls_verdict *v)
{
	const struct door_fold *f = ls_model_fold_state(m);
	static const struct door_fold none;
	long passed = ls_model_var(m, "passed");
	long swipes = ls_model_var(m, "swipes");

	if (!f)
		f = &none;
	snprintf(v->expected, sizeof v->expected,
	         _("all %ld staff pass, each through an open door"), p[P_STAFF]);
	snprintf(v->observed, sizeof v->observed,
	         _("%ld passed (%ld through a closed door) after %ld swipe%s; door opened %ld and "
	         "closed %ld time%s"), passed, f->passed_closed, swipes, swipes == 1 ? "" : "s",
	         f->openings, f->closings, f->closings == 1 ? "" : "s");
	if (!ls_model_finished(m)) {
		v->ok = -1;
		/*
		 * Many more swipes than the staff still outside: the door's
		 * counter only resets in its closed branch, so swipes that keep
		 * the event set keep it clearing once a tick, each time just
		 * before the staff look again.  Nobody gets through: a livelock.
		 */
		if (swipes > DOOR_LIVELOCK_SWIPES * (p[P_STAFF] - passed) && f->closings > 2)
			snprintf(v->summary, sizeof v->summary,
			         _("running, but stuck: %ld of %ld staff through after %ld swipes. The door "
			         "closes again just before each look (its counter resets only while "
			         "closed, and every swipe keeps it open-and-closing), so the staff "
			         "swipe for ever: a livelock, which the tutorial's door() can fall "
			         "into too"), passed, p[P_STAFF], swipes);
		else
			snprintf(v->summary, sizeof v->summary, _("running: %ld of %ld staff through"),
			         passed, p[P_STAFF]);
	} else if (passed == p[P_STAFF] && f->passed_closed == 0 && f->order_errors == 0) {
		v->ok = 1;
		snprintf(v->summary, sizeof v->summary,
		         _("all %ld staff passed through an open door; %ld swipe%s opened it %ld "
		         "time%s (a swipe on an open door changes nothing)"),
		         passed, swipes, swipes == 1 ? "" : "s", f->openings,
		         f->openings == 1 ? "" : "s");
	} else {
		v->ok = 0;
		snprintf(v->summary, sizeof v->summary,
		         _("%ld of %ld passed, %ld through a closed door, %ld checks out of order"),
		         passed, p[P_STAFF], f->passed_closed, f->order_errors);
	}
	ls_verdict_figure(v, "passed", (double)passed);
	ls_verdict_figure(v, "swipes", (double)swipes);
	ls_verdict_figure(v, "openings", (double)f->openings);
	ls_verdict_figure(v, "closings", (double)f->closings);
	ls_verdict_figure(v, "passed_closed", (double)f->passed_closed);
	ls_verdict_figure(v, "order_errors", (double)f->order_errors);
}

/*
 * The walkthrough: one member of staff finds the door closed, swipes, and
 * the swipe (a set) wakes the door waiting on the event.
 */
static const struct ls_walk_step door_walk_steps[] = {
	{ "door", N_("The door checks whether everyone is through: passed = 0 of 1.") },
	{ "door", N_("The door asks is_set(): no, it is closed.") },
	{ "door", N_("The door prints door closed, swipe to open. Its next line waits on "
	          "the event for a swipe.") },
	{ "staff1", N_("staff1 (staff [1] in its messages) arrives: its delay before coming "
	            "is a sleep, 0 s for the first one this time.") },
	{ "staff1", N_("staff1 prints that it is coming.") },
	{ "staff1", N_("staff1 asks is_set(): the door is closed.") },
	{ "staff1", N_("staff1 prints that the door is closed and reaches for its card.") },
	{ "staff1", N_("staff1 counts the swipe: swipes = 1.") },
	{ "staff1", N_("The swipe: staff1 calls set(). The door is open, and the door "
	            "waiting on the event can go on.") },
	{ "door", N_("The door's wait returns at once: the swipe set the event.") },
	{ "door", N_("The door waits one tick, half a second, before looking again.") },
	{ "door", N_("The door checks passed: still 0.") },
	{ "door", N_("The door asks is_set(): open.") },
	{ "door", N_("The door prints door opening.... It has been open 1 tick; after more "
	          "than 3 it would close.") },
	{ "staff1", N_("staff1 has waited half a second after its swipe.") },
	{ "staff1", N_("staff1 asks is_set(): open.") },
	{ "staff1", N_("staff1 walks through: passed = 1.") },
	{ "staff1", N_("staff1 prints that it is passing, and is done.") },
	{ "door", N_("The door finishes its tick.") },
	{ "door", N_("The door checks passed: 1 of 1, everyone is through, so it stops.") },
};

static const struct ls_walkthrough door_walkthroughs[] = {
	{ .title = N_("A swipe opens the door"),
	  .params = "staff=1 tick_ms=500 close_after=3 gap_ms=1000 arrival_seed=1",
	  .steps = door_walk_steps,
	  .nsteps = sizeof door_walk_steps / sizeof door_walk_steps[0],
	  .ending = N_("One swipe set the event and the door, waiting on it, went on at "
	            "once; staff1 passed through an open door. Anyone may set the event, "
	            "only the door clears it. With the default 5 staff you can see a "
	            "swipe on an open door change nothing.") },
};

/* The challenge: one member of staff, a door that closes after one tick. */
static int
door_swipe_twice(const struct ls_model *m, const long *p)
{
	(void)p;
	return ls_model_var(m, "swipes") >= 2;
}

/* Staff who have passed swipe no more: lost once all are through. */
static int
door_swipe_twice_lost(const struct ls_model *m, const long *p)
{
	return ls_model_var(m, "passed") >= p[P_STAFF] && !door_swipe_twice(m, p);
}

static const struct ls_challenge door_challenges[] = {
	{ .title = N_("Make the staff member swipe the card twice"),
	  .params = "staff=1 tick_ms=500 close_after=0 gap_ms=0 arrival_seed=1",
	  .hint = N_("the door must close again between the swipe and the second look"),
	  .win =
		"staff1 staff1 staff1 staff1 staff1 staff1 door door door door staff1 staff1 "
		"staff1 staff1",
	  .lose = "staff1 staff1 staff1 staff1 staff1 staff1 staff1 staff1 staff1",
	  .met = door_swipe_twice, .lost = door_swipe_twice_lost },
};

/* Small sizes the explorer's tests search whole (tests/check_explore_reduce.c). */
static const struct ls_explore_case door_explore_cases[] = {
	{ .params = "staff=1 close_after=0 tick_ms=1 gap_ms=0", .max_steps = 10 },
};

const struct ls_scenario ls_scenario_door = {
	.name = "door",
	.position = 50,
	.title = N_("A door opened by card swipes (Event set by many)"),
	.seed = "004: door() and staff(n) around door_swiping_event",
	.lesson =
		N_("One thread is a door, five are staff arriving 0 to 2 seconds apart. The "
		"door is an Event: set means open. A member of staff who finds the door "
		"closed swipes a card, which sets the event, and looks again half a second "
		"later; finding it open, they pass. The door looks every half second: while "
		"open it counts, and after more than 3 counts it clears the event and "
		"closes; while closed it waits on the event, so the first swipe wakes it. "
		"Anyone may set an event and a swipe on an open door changes nothing; only "
		"the door clears it. The check here is that nobody passes after seeing the "
		"door closed. The tutorial's door runs for ever; this one stops once "
		"everybody is through."),
	.params = door_params,
	.nparams = LS_NPARAMS(door_params),
	.roles = door_roles,
	.nroles = sizeof door_roles / sizeof door_roles[0],
	.kind = LS_ACTORS_THREADS,
	.toggle_param = -1,
	.state_size = sizeof(struct door),
	.setup = door_setup,
	.verdict = door_verdict,
	.fold_size = sizeof(struct door_fold),
	.fold = door_fold,
	.walkthroughs = door_walkthroughs,
	.nwalkthroughs = sizeof door_walkthroughs / sizeof door_walkthroughs[0],
	.challenges = door_challenges,
	.nchallenges = sizeof door_challenges / sizeof door_challenges[0],
	.explore_cases = door_explore_cases,
	.nexplore_cases = sizeof door_explore_cases / sizeof door_explore_cases[0],
};
