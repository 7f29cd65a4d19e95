/*
 * timer.c - threading.Timer: a function that runs once, later, in a thread
 * of its own, unless it is cancelled first.
 *
 * Mirrors tutorial 004's Timer (t = Timer(30.0, hello); t.start(): "after
 * 30 seconds, hello, world will be printed"), built the way CPython builds
 * it (Lib/threading.py): the timer thread waits on an Event called finished
 * for at most the interval; if the event is still clear it calls the
 * function; then it sets the event.  cancel() only sets the event.  So a
 * cancel that comes while the timer waits wakes it with the flag set and
 * the function never runs; a cancel after the timer has looked at the flag
 * changes nothing.
 *
 * Roles: main starts the timer (all actors start together here), then,
 * unless cancel=never, sleeps cancel_ms and calls t.cancel().
 *
 * Shared: `finished` (a threading.Event: the real engine event, waited on
 * with a timeout).  The fold reads the order of main's set against the
 * timer's is_set() check, which decides the lesson.
 */
#include "config.h"

#include <stdio.h>

#include "lockstep/lesson.h"

enum { P_DELAY_MS, P_CANCEL, P_CANCEL_MS };
enum { CANCEL_NEVER, CANCEL_BEFORE, CANCEL_AFTER };

static const char *const timer_cancel_choices[] = { "never", "before", "after", NULL };

static const struct ls_param_desc timer_params[] = {
	[P_DELAY_MS]  = { "delay_ms", N_("the timer's interval: hello() runs this long after start()"),
	                  30000, 0, 600000, NULL },
	[P_CANCEL]    = { "cancel", "never; before: cancel() while the timer waits; after: once "
	                  "it has fired", 0, 0, 2, timer_cancel_choices },
	[P_CANCEL_MS] = { "cancel_ms", "how long main sleeps before cancel(); -1: half the "
	                  "interval (before) or the interval and a second (after)", -1, -1, 600000,
	                  NULL },
};

struct timer {
	ls_event_obj *finished;
	long delay_ms;
	long cancel;
	long cancel_ms;
};

/* Timer.run(): wait(interval); if not finished.is_set(): function(); set(). */
static void
timer_timer(struct ls_actor_ctx *ctx)
{
	struct timer *t = ctx->state;

	ls_event_wait_for(t->finished, t->delay_ms);  /* py:event_wait */
	if (!ls_event_is_set(t->finished))  /* py:event_test */
		ls_say("hello, world");  /* py:say */
	ls_event_set(t->finished);  /* py:event_set#2 */
}

/* t.start(); then, in the cancelling variants, time.sleep(); t.cancel(). */
static void
timer_main(struct ls_actor_ctx *ctx)
{
	struct timer *t = ctx->state;

	if (t->cancel == CANCEL_NEVER)
		return;
	ls_sleep(t->cancel_ms);  /* py:sleep */
	ls_event_set(t->finished);   /* py:event_set */ /* Timer.cancel(): self.finished.set() */
}

enum { ROLE_MAIN, ROLE_TIMER };

static const struct ls_role_desc timer_roles[] = {
	[ROLE_MAIN]  = { .name = "main", .prefix = "main", .body = timer_main,
	                 .count_param = -1, .count = 1, .single = 1 },
	[ROLE_TIMER] = { .name = "timer", .prefix = "timer", .body = timer_timer,
	                 .count_param = -1, .count = 1, .single = 1 },
};

static int
timer_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct timer *t = state;

	t->finished = ls_event_new(w, "finished");
	if (!t->finished) {
		snprintf(err, len, "timer: cannot create the timer's event");
		return -1;
	}
	t->delay_ms = p[P_DELAY_MS];
	t->cancel = p[P_CANCEL];
	t->cancel_ms = p[P_CANCEL_MS];
	if (t->cancel_ms < 0)
		t->cancel_ms = t->cancel == CANCEL_AFTER ? t->delay_ms + 1000 : t->delay_ms / 2;
	return 0;
}

/*
 * What happened, from the trace: whether the timer checked the flag and
 * found it clear (so the function runs), whether it said hello, whether and
 * when main cancelled.  when: 0 no cancel, 1 before the timer's check, 2
 * after it (the choice that really happened).
 */
struct timer_fold {
	int checked;        /* the timer's is_set() has returned */
	int will_fire;      /* ... and found the flag clear */
	int fired;
	int cancelled;
	int when;
};

static void
timer_fold(void *acc, const struct ls_model *m, const long *p, const struct ls_event *e)
{
	struct timer_fold *f = acc;

	(void)p;
	if (e->actor >= m->nactors || e->phase != LS_PH_DONE)
		return;
	int role = m->actors[e->actor].role;
	if (role == ROLE_TIMER) {
		if (e->op == LS_OP_EVENT_TEST) {
			f->checked = 1;
			f->will_fire = e->u.v.b == 0;
		} else if (e->op == LS_OP_SAY) {
			f->fired = 1;
		}
	} else if (role == ROLE_MAIN && e->op == LS_OP_EVENT_SET && !f->cancelled) {
		f->cancelled = 1;
		f->when = f->checked && f->will_fire ? CANCEL_AFTER : CANCEL_BEFORE;
	}
}

/* How long after its start the timer said hello, in ms, from the history's
 * timestamps (kept out of the fold: a clock in its state would make every
 * state of a search differ); -1 when it is not there. */
static double
timer_fired_ms(const struct ls_model *m)
{
	uint64_t t0 = 0;

	for (uint64_t i = ls_model_history_first(m); i < m->nhistory; i++) {
		const struct ls_event *e = ls_model_history_at(m, i);
		if (e->actor >= m->nactors || m->actors[e->actor].role != ROLE_TIMER)
			continue;
		if (e->op == LS_OP_START)
			t0 = e->t_ns;
		else if (e->op == LS_OP_SAY && e->phase == LS_PH_DONE && t0 && e->t_ns >= t0)
			return (double)(e->t_ns - t0) / 1e6;
	}
	return -1;
}

static void
timer_verdict(const struct ls_model *m, const long *p, struct ls_verdict *v)
{
	const struct timer_fold *f = ls_model_fold_state(m);
	long cancel = p[P_CANCEL];
	static const char *const expect[] = {
		[CANCEL_NEVER]  = "hello() runs once, after the interval",
		[CANCEL_BEFORE] = "cancel before it fires: the function never runs",
		[CANCEL_AFTER]  = "cancel after it fired: nothing happens (hello() ran once)",
	};

	snprintf(v->expected, sizeof v->expected, _("%s"), expect[cancel]);
	snprintf(v->observed, sizeof v->observed, _("hello() %s; %s"), f->fired ? _("ran") : _("did not run"),
	         !f->cancelled ? _("no cancel()")
	         : f->when == CANCEL_BEFORE ? _("cancel() came while the timer waited")
	                                    : _("cancel() came after the timer had fired"));
	if (!ls_model_finished(m)) {
		v->ok = -1;
		snprintf(v->summary, sizeof v->summary, _("running: %s"),
		         f->fired ? _("hello() has run") : f->cancelled ? _("cancel() has set finished")
		         : _("the timer waits on finished"));
	} else if (f->when == cancel && f->fired == (cancel != CANCEL_BEFORE)) {
		v->ok = 1;
		snprintf(v->summary, sizeof v->summary, _("%s"),
		         cancel == CANCEL_NEVER
		         ? _("the timer's wait ran out with finished clear, so it called hello() once")
		         : cancel == CANCEL_BEFORE
		         ? _("cancel before it fires: the function never runs (cancel() set finished, "
		           "the timer woke and saw it set)")
		         : _("cancel after: nothing happens (the timer had already seen finished "
		           "clear and called hello())"));
	} else {
		v->ok = 0;
		snprintf(v->summary, sizeof v->summary, _("asked for cancel=%s, but %s"),
		         timer_cancel_choices[cancel],
		         !f->cancelled ? _("main never cancelled")
		         : f->when == CANCEL_BEFORE
		         ? _("cancel() set finished before the timer looked: hello() never ran")
		         : _("the timer looked before cancel(): hello() ran, cancel() did nothing"));
	}
	ls_verdict_figure(v, "fired", f->fired);
	ls_verdict_figure(v, "cancelled", f->cancelled);
	ls_verdict_figure(v, "when", f->when);
	double fired_ms = f->fired ? timer_fired_ms(m) : -1;
	if (fired_ms >= 0)
		ls_verdict_figure(v, "fired_ms", fired_ms);
}

/* Stepped, time is logical: the timer's wait, granted with the flag clear,
 * has run out.  So the order of the steps decides the lesson. */
static const struct ls_walk_step timer_walk_before_steps[] = {
	{ NULL, N_("The timer thread is about to wait on its event 'finished' for at most "
	        "delay_ms. Stepped, the wait is logical: granting it now would mean the interval "
	        "ran out, so main goes first.") },
	{ "main", N_("main sleeps: less than the interval (cancel=before).") },
	{ "main", N_("main calls t.cancel(), which only sets 'finished'. main is done.") },
	{ "timer", N_("The timer's wait returns at once: 'finished' is set.") },
	{ "timer", N_("Timer.run() checks finished.is_set(): set, so hello() is skipped.") },
	{ "timer", N_("It sets 'finished' again on its way out. hello() never ran.") },
};

static const struct ls_walk_step timer_walk_after_steps[] = {
	{ "timer", N_("The timer waits on 'finished' for delay_ms; we grant it: the interval "
	           "runs out with the flag clear.") },
	{ "timer", N_("Timer.run() checks finished.is_set(): clear, so the function will run.") },
	{ "timer", N_("hello() prints \"hello, world\".") },
	{ "timer", N_("The timer sets 'finished' and is done.") },
	{ "main", N_("main has slept past the interval (cancel=after).") },
	{ "main", N_("main calls t.cancel(): it sets 'finished', which nobody waits on any more. "
	          "Nothing happens.") },
};

static const struct ls_walkthrough timer_walkthroughs[] = {
	{ .title = N_("cancel() in time: the function never runs"),
	  .params = "delay_ms=1000 cancel=before",
	  .steps = timer_walk_before_steps,
	  .nsteps = sizeof timer_walk_before_steps / sizeof timer_walk_before_steps[0],
	  .ending = N_("cancel() set the event the timer was waiting on, so its wait ended early "
	            "with the flag set and Timer.run() skipped the function. A Timer is only a "
	            "thread, an Event and an if.") },
	{ .title = N_("cancel() too late: nothing happens"),
	  .params = "delay_ms=1000 cancel=after",
	  .steps = timer_walk_after_steps,
	  .nsteps = sizeof timer_walk_after_steps / sizeof timer_walk_after_steps[0],
	  .ending = N_("The timer looked at 'finished' while it was still clear and ran hello(). "
	            "cancel() afterwards only sets a flag no one reads again: it cannot undo "
	            "a function that has run.") },
};

/* The challenge: make hello() run though main cancels "before". */
static int
timer_fires_anyway(const struct ls_model *m, const long *p)
{
	const struct timer_fold *f = ls_model_fold_state(m);

	(void)p;
	return ls_model_finished(m) && f->fired && f->cancelled;
}

static const struct ls_challenge timer_challenges[] = {
	{ .title = N_("main cancels, and hello() runs anyway"),
	  .params = "delay_ms=1000 cancel=before",
	  .hint = N_("stepped, time is logical: what if the timer looks before main cancels?"),
	  .win = "timer timer timer timer main main",
	  .lose = "main main timer timer timer",
	  .met = timer_fires_anyway },
};

/* Small sizes the explorer's tests search whole (tests/check_explore_reduce.c). */
static const struct ls_explore_case timer_explore_cases[] = {
	{ .params = "delay_ms=1000 cancel=before" },
	{ .params = "delay_ms=1000 cancel=after" },
};

const struct ls_scenario ls_scenario_timer = {
	.name = "timer",
	.position = 120,
	.title = N_("threading.Timer: run once after a delay, unless cancelled"),
	.seed = "004: Timer(30.0, hello); t.start(); and cancel()",
	.lesson =
		N_("A Timer is a thread that runs a function once, after an interval. CPython builds "
		"it from an Event called finished: the timer thread waits on finished for the "
		"interval, calls the function only if finished is still clear, then sets it. "
		"cancel() just sets finished. Cancel before it fires and the wait ends early with "
		"the flag set: the function never runs. Cancel after it fired and nothing "
		"happens: the function has already run. Stepped, time is logical, so the order "
		"of main's cancel and the timer's check decides which one you see."),
	.params = timer_params,
	.nparams = LS_NPARAMS(timer_params),
	.roles = timer_roles,
	.nroles = sizeof timer_roles / sizeof timer_roles[0],
	.kind = LS_ACTORS_THREADS,
	.toggle_param = P_CANCEL,
	.state_size = sizeof(struct timer),
	.setup = timer_setup,
	.verdict = timer_verdict,
	.fold_size = sizeof(struct timer_fold),
	.fold = timer_fold,
	.walkthroughs = timer_walkthroughs,
	.challenges = timer_challenges,
	.nchallenges = sizeof timer_challenges / sizeof timer_challenges[0],
	.explore_cases = timer_explore_cases,
	.nexplore_cases = sizeof timer_explore_cases / sizeof timer_explore_cases[0],
	.nwalkthroughs = sizeof timer_walkthroughs / sizeof timer_walkthroughs[0],
};
