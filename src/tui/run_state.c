/*
 * run_state.c - the run view's states and the moves between them: a run
 * opened from a lesson's settings, started again ('r', a loaded schedule,
 * a guided run's own again), toggled to the other variant ('l'), advanced
 * each tick (paced when slowed) with what became of it said once, and
 * closed.  The keys, the schedule files and the other screens ask for
 * these moves; nothing below this file calls it.  Must never draw.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "engine/pymap.h"
#include "tui/tui_int.h"

/* A free run busy this long (at real speed) with nobody finishing is called stalled. */
#define RUN_STATE_STALL_MS 20000

/* A seed short enough to read off a projector and type back in. */
static uint64_t
run_state_fresh_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec * 1000003u + (uint64_t)ts.tv_nsec / 1000u) % 1000000u;
}

int
run_state_open(struct tui *t, const struct ls_scenario *s, long *params,
              enum ls_actor_kind kind, enum ls_policy policy)
{
	struct run_view *rv = &t->rv;
	char err[512];

	run_life_free_run(rv);
	run_life_scenario(rv, s);
	run_guide_end(rv);
	rv->params = rv->app_params = params;
	rv->kind = kind;
	rv->policy = policy;
	rv->seed = run_state_fresh_seed();
	rv->main_pane = 0;
	if (run_life_start(rv, err, sizeof err) < 0) {
		tui_message(t, C_ERROR, "%s", err);
		return -1;
	}
	if (policy == LS_POLICY_STEP)
		tui_message(t, C_MESSAGE, _("stepping: space moves the marked actor, Enter the "
		            "selected one; Tab: pane"));
	return 0;
}

void
run_state_close(struct tui *t)
{
	run_life_free_run(&t->rv);
	run_guide_end(&t->rv);
	run_back_forget(&t->rv);
	source_free(&t->rv.src);
	ls_pymap_free(t->rv.pymap);
	t->rv.pymap = NULL;
	free(t->rv.walk_params);
	t->rv.walk_params = NULL;
	if (t->rv.replay) {
		ls_schedule_clear(t->rv.replay);
		free(t->rv.replay);
		t->rv.replay = NULL;
	}
}

void
run_state_reset(struct tui *t, const char *why)
{
	struct run_view *rv = &t->rv;
	char err[512];

	if (run_guide_again(t))
		return;
	run_life_free_run(rv);
	if (run_life_start(rv, err, sizeof err) < 0) {
		/* The scenario screen can retry; the error goes with the user. */
		tui_goto(t, TUI_SCENARIO);
		tui_message(t, C_ERROR, "%s", err);
		return;
	}
	if (rv->policy == LS_POLICY_RANDOM)
		tui_message(t, C_MESSAGE, _("%s (random, seed %llu again)"), why,
		            (unsigned long long)rv->seed);
	else if (rv->policy == LS_POLICY_REPLAY)
		tui_message(t, C_MESSAGE, _("%s (replaying %s: space steps, g plays)"), why,
		            rv->replay_path);
	else
		tui_message(t, C_MESSAGE, _("%s (%s)"), why, ls_policy_name(rv->policy));
}

void
run_state_toggle(struct tui *t)
{
	struct run_view *rv = &t->rv;
	const struct ls_param_desc *p;
	char why[128];
	long *v;
	int tp = rv->s->toggle_param;

	if (tp < 0) {
		tui_message(t, C_DIM, _("this lesson has no variant to toggle"));
		return;
	}
	if (rv->challenge >= 0) {
		tui_message(t, C_DIM, _("a challenge sets its own parameters: c for the next one"));
		return;
	}
	if (rv->walk >= 0) {
		/* The walkthrough of the other variant, when the lesson has one. */
		int j = ls_walk_other_variant(rv->s, rv->walk, tp, rv->params[tp]);

		if (j >= 0)
			run_guide_open(t, RUN_GUIDE_WALK, rv->s, rv->app_params, rv->kind, j);
		else
			tui_message(t, C_DIM, _("no walkthrough of the other variant: q leaves this one"));
		return;
	}
	p = &rv->s->params[tp];
	v = &rv->params[tp];
	*v = *v >= p->max ? p->min : *v + 1;
	if (p->choices)
		snprintf(why, sizeof why, "%s = %s", p->name, p->choices[*v - p->min]);
	else
		snprintf(why, sizeof why, "%s = %ld", p->name, *v);
	run_state_reset(t, why);
}

/*
 * A free run that keeps busy without any actor finishing for a while makes
 * no progress toward its verdict: say so once (the verdict box may name
 * what is happening, as door's does for its livelock).
 */
static void
run_state_stall(struct tui *t)
{
	struct run_view *rv = &t->rv;
	const struct ls_model *m = ls_run_model(rv->run);
	double now = tui_now_ms(), limit = RUN_STATE_STALL_MS * (rv->slowmo > 0 ? rv->slowmo : 100) / 100.0;

	if (ls_run_policy(rv->run) != LS_POLICY_FREE || ls_run_status(rv->run) != LS_RUN_RUNNING ||
	    m->ndone != rv->stall_done || rv->stall_since == 0) {
		rv->stall_done = m->ndone;
		rv->stall_since = now;
		return;
	}
	if (rv->stall_said || now - rv->stall_since < limit)
		return;
	rv->stall_said = 1;
	tui_message(t, C_ERROR, _("%.0f s and no actor has finished, though they keep working: the "
	            "run is not getting closer to its end (a livelock?). The verdict says what it "
	            "sees; p pauses, r starts again"), (now - rv->stall_since) / 1000.0);
}

/*
 * A slowed random or replay run is paced here, one step at a time, with
 * the chooser the engine's own polling would use: same seed, same
 * schedule, only watchable.  Budget 0 lets poll report without stepping.
 * Any other run is polled, with time to spare while actors move on their own.
 */
static enum ls_run_status
run_state_advance(struct run_view *rv)
{
	enum ls_run_status st = ls_run_status(rv->run);
	enum ls_policy pol = ls_run_policy(rv->run);
	double now;

	if ((pol == LS_POLICY_RANDOM || pol == LS_POLICY_REPLAY) &&
	    (rv->paused || (rv->slowmo > 100 && st == LS_RUN_RUNNING))) {
		now = tui_now_ms();
		if (!rv->paused && st == LS_RUN_RUNNING && now >= rv->next_step_ms) {
			ls_run_step(rv->run, -1);
			rv->next_step_ms = now + rv->slowmo / 10.0;
		}
		return ls_run_poll(rv->run, 0);
	}
	return ls_run_poll(rv->run, st == LS_RUN_RUNNING && pol != LS_POLICY_STEP ? 10 : 1);
}

/* A schedule shorter than the run: say where it stopped guiding it. */
static void
run_state_replay_news(struct tui *t, enum ls_run_status st)
{
	struct run_view *rv = &t->rv;
	size_t len;

	if (rv->replay_ended || !ls_run_replay_ended(rv->run, &len))
		return;
	rv->replay_ended = 1;
	if (st == LS_RUN_RUNNING)
		tui_message(t, C_MESSAGE, _("the schedule (%s) ran out after step %zu: from here "
		            "the lowest-numbered actor that can move goes next"), rv->replay_path, len);
	else
		tui_message(t, C_MESSAGE, _("the run ended at step %zu, the schedule's last (%s)"),
		            len, rv->replay_path);
}

/* The run's status changed: say how it ended. */
static void
run_state_status_news(struct tui *t, enum ls_run_status st)
{
	struct run_view *rv = &t->rv;

	if ((int)st == rv->seen_status)
		return;
	if (st == LS_RUN_DEADLOCK)
		tui_message(t, C_ERROR, _("deadlock: no actor can move (r starts again)"));
	else if (st == LS_RUN_FINISHED && rv->walk >= 0)
		tui_message(t, C_MESSAGE, _("the walkthrough's run is over: the verdict is below"));
	else if (st == LS_RUN_FINISHED)
		tui_message(t, C_MESSAGE, _("finished in %.1f s: r runs it again%s"),
		            ls_run_elapsed_ms(rv->run) / 1000.0,
		            rv->s->toggle_param >= 0 ? _(", l toggles the variant") : "");
	else if (st == LS_RUN_DIVERGED)
		tui_message(t, C_ERROR, _("the schedule diverged: %s"), ls_run_reason(rv->run));
	else if (st == LS_RUN_ABORTED && ls_run_reason(rv->run)[0])
		tui_message(t, C_ERROR, "%s", ls_run_reason(rv->run));   /* an actor did not answer */
}

int
run_state_tick(struct tui *t)
{
	struct run_view *rv = &t->rv;
	const struct ls_model *m;
	enum ls_run_status st;
	uint64_t cols;
	int changed;

	if (!rv->run)
		return 0;
	cols = rv->tl.ncols;
	st = run_state_advance(rv);
	run_life_feed(rv);
	m = ls_run_model(rv->run);
	changed = m->events != rv->seen_events || (int)st != rv->seen_status ||
	          rv->tl.ncols != cols;
	run_state_stall(t);
	run_state_replay_news(t, st);
	run_state_status_news(t, st);
	/* After the run's own news: a goal met at the end says so last. */
	run_guide_check(t);
	rv->seen_events = m->events;
	rv->seen_status = (int)st;
	return changed;
}
