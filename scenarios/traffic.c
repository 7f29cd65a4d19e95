/*
 * traffic.c - a traffic light and cars coordinated by an event.
 *
 * Mirrors tutorial 004 ("Events": lighter() and car(name) around one
 * threading.Event).  The light's counter goes up once a second: the light
 * is green (event set) for 6 seconds and red (event cleared) for the next 5,
 * then green again.  A car that sees the flag set drives for a second; one
 * that sees it clear says so and blocks in event.wait() until the light
 * turns green.  The tutorial loops for ever; here the light runs `cycles`
 * full cycles, then sets `stop` and sets the event once more so no car is
 * left waiting at a red light that will never change.
 *
 * Lesson: an event lets one thread (the light) release any number of
 * waiting threads (the cars) at once, and a thread that finds the flag clear
 * sleeps in wait() instead of polling.  The fold checks two invariants on
 * the trace: a car drives only after a check that saw green (drives_on_red
 * stays 0), and every wait at red ends only after the light has turned green
 * since it began.  It also counts the check-then-act gap the tutorial
 * leaves open: a car that saw green may already be going when the light
 * changes (red_after_check), like running an amber light.
 *
 * Shared: `light` (the event: set, clear, wait and is_set are recorded under
 * its own mutex, so their order in the trace is exact), `stop` (lockstep's
 * own addition, not the tutorial's: an event the light sets once at the end
 * and the cars test, so the test is ordered after the set and no data race is
 * marked on a correct program), `drives` and `waits` (atomic counters).
 */
#include "config.h"

#include <stdio.h>

#include "lockstep/lesson.h"

#define TRAFFIC_MAX_CARS 64

enum { P_CARS, P_CYCLES, P_TICK_MS, P_GREEN_TICKS, P_RED_TICKS };

static const struct ls_param_desc traffic_params[] = {
	[P_CARS]        = { "cars", N_("car threads"), 1, 1, TRAFFIC_MAX_CARS, NULL },
	[P_CYCLES]      = { "cycles", N_("full green-then-red cycles before the light stops"), 2, 1, 1000, NULL },
	[P_TICK_MS]     = { "tick_ms", N_("one count of the light, and one drive of a car"), 1000, 1, 60000, NULL },
	[P_GREEN_TICKS] = { "green_ticks", N_("ticks the light stays green"), 6, 1, 1000, NULL },
	[P_RED_TICKS]   = { "red_ticks", N_("ticks the light stays red"), 5, 1, 1000, NULL },
};

struct traffic {
	ls_event_obj *light;
	ls_event_obj *stop;     /* an Event, so the cars' check is ordered after the light's set */
	ls_var *drives;
	ls_var *waits;
	long cycles, tick_ms, green_ticks, red_ticks;
};

static void
traffic_lighter(struct ls_actor_ctx *ctx)
{
	struct traffic *t = ctx->state;

	for (long cycle = 0; cycle < t->cycles; cycle++) {
		ls_event_set(t->light);  ls_note("cycle", cycle);  /* py:event_set */ /* green */
		for (long count = 0; count < t->green_ticks + t->red_ticks; count++) {
			if (count == t->green_ticks)
				ls_event_clear(t->light);  /* py:event_clear */ /* red */
			if (count < t->green_ticks)
				ls_say("green light is on ...");  /* py:say */
			else
				ls_say("red light is on ...");  /* py:say#2 */
			ls_note("count", count);  ls_sleep(t->tick_ms);  /* py:sleep */
		}
	}
	/* The tutorial's light never stops.  Ours says so, then sets the event
	 * once more: a car blocked at red must wake to see `stop`. */
	ls_event_set(t->stop);  /* py:store */
	ls_event_set(t->light);  /* py:event_set#2 */
	ls_say("the light is switched off");  /* py:say#3 */
}

static void
traffic_car(struct ls_actor_ctx *ctx)
{
	struct traffic *t = ctx->state;

	while (!ls_event_is_set(t->stop)) {  /* py:load */
		if (ls_event_is_set(t->light)) {  /* py:event_test */ /* green */
			ls_add(t->drives, 1);  /* py:add */
			ls_say("[%s] running...", ctx->name);  /* py:say#4 */
			ls_sleep(t->tick_ms);  /* py:sleep#2 */
		} else {
			ls_add(t->waits, 1);  /* py:add#2 */
			ls_say("[%s] sees red light, waiting...", ctx->name);  /* py:say#5 */
			ls_event_wait(t->light);  /* py:event_wait */
			ls_say("[%s] green light is on, start going...", ctx->name);  /* py:say#6 */
		}
	}
}

static const struct ls_role_desc traffic_roles[] = {
	{ .name = "light", .prefix = "light", .body = traffic_lighter, .count = 1, .count_param = -1,
	  .single = 1 },
	{ .name = "car", .prefix = "car", .body = traffic_car, .count_param = P_CARS },
};

static int
traffic_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct traffic *t = state;

	t->light = ls_event_new(w, "light");
	t->stop = ls_event_new(w, "stop");
	/* The lesson's words for the light's flag, on screen and in the log. */
	if (t->light && ls_event_words(w, t->light, N_("GREEN"), N_("RED")) < 0)
		t->light = NULL;
	t->drives = ls_var_new(w, "drives", 0);
	t->waits = ls_var_new(w, "waits", 0);
	if (!t->light || !t->stop || !t->drives || !t->waits) {
		snprintf(err, len, "traffic: cannot create the light");
		return -1;
	}
	t->cycles = p[P_CYCLES];
	t->tick_ms = p[P_TICK_MS];
	t->green_ticks = p[P_GREEN_TICKS];
	t->red_ticks = p[P_RED_TICKS];
	return 0;
}

/* ---- the fold: invariants over the trace -------------------------------- */

struct traffic_fold {
	int ready;
	int light, drives;            /* object ids, -1 if absent */
	int green;                    /* the flag, as the trace orders set and clear */
	long sets;                    /* set events so far */
	long greens, reds;            /* changes of colour */
	long drives_on_red;           /* a drive whose check did not see green */
	long red_after_check;         /* saw green, but red by the time it drove */
	long wakes_on_red;            /* a wait that ended with the light red */
	long wakes_without_set;       /* a blocked wait that ended with no set since */
	long order_errors;            /* a check that saw other than the trace's flag */
	/* Per actor: 0 no check yet, 1 last check saw red, 2 saw green. */
	signed char seen[TRAFFIC_MAX_CARS + 1];
	signed char blocked[TRAFFIC_MAX_CARS + 1];
	long sets_at_block[TRAFFIC_MAX_CARS + 1];
};

static void
traffic_fold(void *acc, const struct ls_model *m, const long *p, const struct ls_event *e)
{
	struct traffic_fold *f = acc;
	(void)p;

	if (!f->ready) {
		f->light = ls_model_find(m, "light");
		f->drives = ls_model_find(m, "drives");
		f->ready = 1;
	}
	if (e->actor == LS_NO_ACTOR || e->actor > TRAFFIC_MAX_CARS || e->obj == LS_NO_OBJ)
		return;
	int a = e->actor;
	int on_light = (int)e->obj == f->light;

	switch (e->op) {
	case LS_OP_EVENT_SET:
		if (on_light && e->phase == LS_PH_DONE) {
			f->sets++;
			f->greens += !f->green;
			f->green = 1;
		}
		break;
	case LS_OP_EVENT_CLEAR:
		if (on_light && e->phase == LS_PH_DONE) {
			f->reds += f->green;
			f->green = 0;
		}
		break;
	case LS_OP_EVENT_TEST:
		if (on_light && e->phase == LS_PH_DONE) {
			f->seen[a] = e->u.v.b ? 2 : 1;
			f->order_errors += (e->u.v.b != 0) != f->green;
		}
		break;
	case LS_OP_ADD:
		if ((int)e->obj == f->drives && e->phase == LS_PH_DONE) {
			/* A drive is judged by the check that let the car go... */
			f->drives_on_red += f->seen[a] != 2;
			/* ...and the light may have changed since: the gap is real. */
			f->red_after_check += f->seen[a] == 2 && !f->green;
			f->seen[a] = 0;
		}
		break;
	case LS_OP_EVENT_WAIT:
		if (!on_light)
			break;
		if (e->phase == LS_PH_BLOCK) {
			f->blocked[a] = 1;
			f->sets_at_block[a] = f->sets;
		} else if (e->phase == LS_PH_DONE) {
			f->wakes_on_red += !f->green;
			f->wakes_without_set += f->blocked[a] && f->sets == f->sets_at_block[a];
			f->blocked[a] = 0;
		}
		break;
	default:
		break;
	}
}

static void
traffic_verdict(const struct ls_model *m, const long *p, struct ls_verdict *v)
{
	const struct traffic_fold *f = ls_model_fold_state(m);
	static const struct traffic_fold none;
	long drives = ls_model_var(m, "drives");
	long waits = ls_model_var(m, "waits");
	int cars_done = 0;

	if (!f)
		f = &none;
	for (int i = 0; i < m->nactors; i++)
		cars_done += m->actors[i].role == 1 && m->actors[i].state == LS_AS_DONE;
	long bad = f->drives_on_red + f->wakes_on_red + f->wakes_without_set + f->order_errors;

	snprintf(v->expected, sizeof v->expected,
	         _("%ld light cycles; cars drive only on green and every wait at red ends on green"),
	         p[P_CYCLES]);
	snprintf(v->observed, sizeof v->observed,
	         _("%ld red phase%s; %ld drive%s (%ld on red), %ld wait%s (%ld woke on red)"),
	         f->reds, f->reds == 1 ? "" : "s", drives, drives == 1 ? "" : "s",
	         f->drives_on_red, waits, waits == 1 ? "" : "s",
	         f->wakes_on_red + f->wakes_without_set);
	if (!ls_model_finished(m)) {
		v->ok = -1;
		snprintf(v->summary, sizeof v->summary,
		         _("running: %ld drive%s, %ld wait%s at red so far"), drives,
		         drives == 1 ? "" : "s", waits, waits == 1 ? "" : "s");
	} else if (bad == 0 && cars_done == (int)p[P_CARS] && f->reds == p[P_CYCLES]) {
		v->ok = 1;
		snprintf(v->summary, sizeof v->summary,
		         _("every car drove only after seeing green and every wait at red ended when "
		         "the light turned green; %ld of %ld drive%s began just as it turned red "
		         "(the gap between is_set() and driving)"), f->red_after_check, drives,
		         drives == 1 ? "" : "s");
	} else {
		v->ok = 0;
		snprintf(v->summary, sizeof v->summary,
		         _("%ld drives on red, %ld waits ended on red, %ld checks out of order, "
		         "%d of %ld cars finished, %ld of %ld red phases"),
		         f->drives_on_red, f->wakes_on_red + f->wakes_without_set, f->order_errors,
		         cars_done, p[P_CARS], f->reds, p[P_CYCLES]);
	}
	ls_verdict_figure(v, "drives", (double)drives);
	ls_verdict_figure(v, "waits", (double)waits);
	ls_verdict_figure(v, "drives_on_red", (double)f->drives_on_red);
	ls_verdict_figure(v, "wakes_on_red", (double)(f->wakes_on_red + f->wakes_without_set));
	ls_verdict_figure(v, "red_after_check", (double)f->red_after_check);
	ls_verdict_figure(v, "greens", (double)f->greens);
	ls_verdict_figure(v, "reds", (double)f->reds);
	ls_verdict_figure(v, "order_errors", (double)f->order_errors);
}

/*
 * The walkthrough: one car, one short cycle.  The car meets red, waits in
 * wait() and drives only once the light's set() has turned it green.
 */
static const struct ls_walk_step traffic_walk_steps[] = {
	{ "car1", N_("car1 checks the stop event: clear, the light is still working, so it goes on.") },
	{ "car1", N_("car1 asks the light is_set(): no. The light has not turned green yet "
	          "(an Event starts clear), so car1 is at a red light.") },
	{ "car1", N_("car1 counts a wait at red (waits = 1).") },
	{ "car1", N_("car1 prints that it sees red. Its next line is wait(): with the light "
	          "red it cannot go on, and it does not poll; it sleeps until someone "
	          "sets the event.") },
	{ "light", N_("The light calls set(): green. One set() releases every car waiting "
	           "at it.") },
	{ "car1", N_("car1's wait() returns: the light is green.") },
	{ "car1", N_("car1 prints green light is on, start going.") },
	{ "car1", N_("car1 checks the stop event again: still clear.") },
	{ "car1", N_("car1 asks is_set() again: yes, green.") },
	{ "car1", N_("Only now does car1 drive: drives = 1, right after seeing green.") },
	{ "car1", N_("car1 prints running. Its next line is its one-second drive.") },
	{ "light", N_("The light prints green light is on.") },
	{ "light", N_("The light counts one second (a sleep; stepped, it takes no time).") },
	{ "light", N_("Green time is up: the light calls clear(). Red. car1 went on "
	           "green, so no harm done.") },
	{ "light", N_("The light prints red light is on.") },
	{ "light", N_("The light counts its red second.") },
	{ "light", N_("Its cycles are done: the light sets the stop event for the cars.") },
	{ "light", N_("It sets the event once more, so no car is left waiting at a red "
	           "light that will never change.") },
	{ "light", N_("The light prints that it is switched off, and is done.") },
	{ "car1", N_("car1 finishes its second of driving.") },
	{ "car1", N_("car1 checks the stop event: set. It leaves the road.") },
};

static const struct ls_walkthrough traffic_walkthroughs[] = {
	{ .title = N_("A car waits at red and goes on green"),
	  .params = "cars=1 cycles=1 tick_ms=1000 green_ticks=1 red_ticks=1",
	  .steps = traffic_walk_steps,
	  .nsteps = sizeof traffic_walk_steps / sizeof traffic_walk_steps[0],
	  .ending = N_("car1 met red, waited in wait() without polling, and drove only after "
	            "the light's set() turned it green: 1 wait, 1 drive, none on red. One "
	            "set() wakes every waiting car at once; try more cars to see it.") },
};

/* The challenges: one car, one short cycle of the light. */
static int
traffic_car_waits(const struct ls_model *m, const long *p)
{
	(void)p;
	return ls_model_var(m, "waits") >= 1;
}

static int
traffic_amber(const struct ls_model *m, const long *p)
{
	const struct traffic_fold *f = ls_model_fold_state(m);

	(void)p;
	return f && f->red_after_check >= 1;
}

static const struct ls_challenge traffic_challenges[] = {
	{ .title = N_("Make the car wait at a red light"),
	  .params = "cars=1 cycles=1 tick_ms=1000 green_ticks=1 red_ticks=1",
	  .hint = N_("the car must look while the light is red"),
	  .win = "car1 car1 car1",
	  .lose = "",
	  .met = traffic_car_waits },
	{ .title = N_("Run the amber light: the car sees green, then drives on red"),
	  .params = "cars=1 cycles=1 tick_ms=1000 green_ticks=1 red_ticks=1",
	  .hint = N_("between the car's look and its drive, let the light change"),
	  .win = "light light light car1 car1 light light light light car1",
	  .lose = "",
	  .met = traffic_amber },
};

/* Small sizes the explorer's tests search whole (tests/check_explore_reduce.c). */
static const struct ls_explore_case traffic_explore_cases[] = {
	{ .params = "cars=1 cycles=1 green_ticks=1 red_ticks=1 tick_ms=1", .max_steps = 10 },
};

const struct ls_scenario ls_scenario_traffic = {
	.name = "traffic",
	.position = 40,
	.title = N_("Traffic light and cars coordinated by an Event"),
	.seed = "004: lighter() and car() around threading.Event (red light stop, green go)",
	.lesson =
		N_("One thread is a traffic light, the others are cars. The light is an Event: "
		"set means green, clear means red. Every second the light counts; it stays "
		"green for 6 seconds, red for 5, then turns green again. A car asks is_set(): "
		"on green it drives for a second, on red it says so and blocks in wait(). "
		"It does not poll: wait() sleeps until the light thread calls set(), and one "
		"set() releases every waiting car at once. Notice the gap between asking and "
		"driving: a car that saw green may already be on its way when the light "
		"changes, just as a real driver runs an amber light. The checks here are "
		"that no car drives after seeing red and no wait ends while the light is "
		"still red. The tutorial's light runs for ever; this one stops after a few "
		"cycles and wakes any car still waiting so that every thread finishes."),
	.params = traffic_params,
	.nparams = LS_NPARAMS(traffic_params),
	.roles = traffic_roles,
	.nroles = sizeof traffic_roles / sizeof traffic_roles[0],
	.kind = LS_ACTORS_THREADS,
	.toggle_param = -1,
	.state_size = sizeof(struct traffic),
	.setup = traffic_setup,
	.verdict = traffic_verdict,
	.fold_size = sizeof(struct traffic_fold),
	.fold = traffic_fold,
	.walkthroughs = traffic_walkthroughs,
	.nwalkthroughs = sizeof traffic_walkthroughs / sizeof traffic_walkthroughs[0],
	.challenges = traffic_challenges,
	.nchallenges = sizeof traffic_challenges / sizeof traffic_challenges[0],
	.explore_cases = traffic_explore_cases,
	.nexplore_cases = sizeof traffic_explore_cases / sizeof traffic_explore_cases[0],
};
