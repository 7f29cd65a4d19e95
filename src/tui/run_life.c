/*
 * run_life.c - the run view's run: created from the view's settings,
 * started, polled each tick (paced when slowed), reset, toggled to the
 * other variant, freed.  It talks to the engine only through run.h and
 * reads state only through the model.  Must never draw, and never block
 * the main loop for long: stepping and polling are bounded by the engine.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/pymap.h"
#include "tui/tui_int.h"

/* A free run busy this long (at real speed) with nobody finishing is called stalled. */
#define RUN_LIFE_STALL_MS 20000

int
run_life_over(enum ls_run_status st)
{
	return st != LS_RUN_READY && st != LS_RUN_RUNNING;
}

/* A seed short enough to read off a projector and type back in. */
static uint64_t
run_life_fresh_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec * 1000003u + (uint64_t)ts.tv_nsec / 1000u) % 1000000u;
}

void
run_life_free_run(struct run_view *rv)
{
	if (rv->run) {
		/* ls_run_free aborts the actors, joins or reaps them, removes files. */
		ls_run_free(rv->run);
		rv->run = NULL;
	}
	free(rv->scratch);
	rv->scratch = NULL;
	free(rv->tree);
	rv->tree = NULL;
	timeline_free(&rv->tl);
}

int
run_life_start(struct run_view *rv, char *err, size_t len)
{
	struct ls_run_opts o;
	struct ls_run *r;
	int n;

	ls_run_opts_default(&o, rv->s);
	o.kind = rv->kind;
	o.policy = rv->policy;
	if (rv->policy == LS_POLICY_REPLAY && !rv->replay)
		o.policy = rv->policy = LS_POLICY_STEP;
	if (rv->policy == LS_POLICY_REPLAY)
		o.replay = rv->replay;
	if (rv->policy == LS_POLICY_RANDOM)
		o.seed = rv->seed;
	else
		rv->seed = o.seed;
	if (rv->slowmo == 0)
		rv->slowmo = o.slowmo_pct ? o.slowmo_pct : 100;
	o.slowmo_pct = rv->slowmo;
	err[0] = '\0';
	r = ls_run_new(rv->s, rv->params, &o, err, len);
	if (!r) {
		if (!err[0])
			snprintf(err, len, "cannot create the run");
		return -1;
	}
	if (ls_run_start(r, err, len) < 0) {
		ls_run_free(r);
		if (!err[0])
			snprintf(err, len, "cannot start the actors");
		return -1;
	}
	rv->replay_ended = 0;
	rv->stall_done = 0;
	rv->stall_since = 0;
	rv->stall_said = 0;
	n = ls_run_actor_count(r);
	rv->scratch = calloc((size_t)(n > 0 ? n : 1), sizeof *rv->scratch);
	rv->tree = calloc((size_t)n + LS_MODEL_PROCS, sizeof *rv->tree);
	if (!rv->scratch || !rv->tree || timeline_init(&rv->tl, r) < 0) {
		free(rv->scratch);
		free(rv->tree);
		rv->scratch = NULL;
		rv->tree = NULL;
		ls_run_free(r);
		snprintf(err, len, "out of memory");
		return -1;
	}
	rv->run = r;
	rv->revealed = 0;   /* a new run: its steps are hidden again in predict mode */
	rv->sel = rv->top = rv->history_back = 0;
	rv->tl_top = rv->tl_back = 0;
	rv->last_moved = -1;
	rv->src_top = 0;
	rv->paused = rv->policy == LS_POLICY_REPLAY;
	rv->seen_events = (uint64_t)-1;     /* the first frame always draws */
	rv->seen_status = (int)ls_run_status(r);
	rv->next_step_ms = 0;
	rv->nback = 0;      /* a new run: nothing to step back to ('u' keeps its own) */
	return 0;
}

void
run_life_scenario(struct run_view *rv, const struct ls_scenario *s)
{
	if (rv->s == s && rv->src.n)
		return;
	if (rv->s != s)
		rv->slowmo = 0;
	source_free(&rv->src);
	ls_pymap_free(rv->pymap);
	rv->pymap = ls_pymap_new(s->name);
	/* The student reads the lesson's Python; the C that runs it is a 'v' away. */
	rv->src_python = rv->pymap && !rv->src_c_chosen;
	source_load(&rv->src, s->name, rv->src_python);
	rv->s = s;
}

int
run_life_open(struct tui *t, const struct ls_scenario *s, long *params,
              enum ls_actor_kind kind, enum ls_policy policy)
{
	struct run_view *rv = &t->rv;
	char err[512];

	run_life_free_run(rv);
	run_life_scenario(rv, s);
	run_walk_end(rv);
	run_challenge_end(rv);
	rv->params = rv->app_params = params;
	rv->kind = kind;
	rv->policy = policy;
	rv->seed = run_life_fresh_seed();
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
run_life_close(struct tui *t)
{
	run_life_free_run(&t->rv);
	run_challenge_end(&t->rv);
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
run_life_reset(struct tui *t, const char *why)
{
	struct run_view *rv = &t->rv;
	char err[512];

	if (rv->walk >= 0) {
		run_walk_open(t, rv->s, rv->app_params, rv->kind, rv->walk);
		return;
	}
	if (rv->challenge >= 0) {
		run_challenge_open(t, rv->s, rv->app_params, rv->kind, rv->challenge);
		return;
	}
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
run_life_toggle(struct tui *t)
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
			run_walk_open(t, rv->s, rv->app_params, rv->kind, j);
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
	run_life_reset(t, why);
}

void
run_life_feed(struct run_view *rv)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	timeline_feed(&rv->tl, run_life_over(ls_run_status(rv->run)),
	              (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

/*
 * A free run that keeps busy without any actor finishing for a while makes
 * no progress toward its verdict: say so once (the verdict box may name
 * what is happening, as door's does for its livelock).
 */
static void
run_life_stall(struct tui *t)
{
	struct run_view *rv = &t->rv;
	const struct ls_model *m = ls_run_model(rv->run);
	double now = tui_now_ms(), limit = RUN_LIFE_STALL_MS * (rv->slowmo > 0 ? rv->slowmo : 100) / 100.0;

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

int
run_life_tick(struct tui *t)
{
	struct run_view *rv = &t->rv;
	const struct ls_model *m;
	enum ls_run_status st;
	enum ls_policy pol;
	uint64_t cols;
	size_t len;
	int busy, changed;

	if (!rv->run)
		return 0;
	st = ls_run_status(rv->run);
	pol = ls_run_policy(rv->run);
	cols = rv->tl.ncols;
	if ((pol == LS_POLICY_RANDOM || pol == LS_POLICY_REPLAY) &&
	    (rv->paused || (rv->slowmo > 100 && st == LS_RUN_RUNNING))) {
		/*
		 * A slowed random or replay run is paced here, one step at a
		 * time, with the chooser the engine's own polling would use:
		 * same seed, same schedule, only watchable.  Budget 0 lets poll
		 * report without stepping.
		 */
		double now = tui_now_ms();

		if (!rv->paused && st == LS_RUN_RUNNING && now >= rv->next_step_ms) {
			ls_run_step(rv->run, -1);
			rv->next_step_ms = now + rv->slowmo / 10.0;
		}
		st = ls_run_poll(rv->run, 0);
	} else {
		busy = st == LS_RUN_RUNNING && pol != LS_POLICY_STEP;
		st = ls_run_poll(rv->run, busy ? 10 : 1);
	}
	run_life_feed(rv);
	m = ls_run_model(rv->run);
	changed = m->events != rv->seen_events || (int)st != rv->seen_status ||
	          rv->tl.ncols != cols;
	run_life_stall(t);
	if (!rv->replay_ended && ls_run_replay_ended(rv->run, &len)) {
		/* A schedule shorter than the run: say where it stopped guiding it. */
		rv->replay_ended = 1;
		if (st == LS_RUN_RUNNING)
			tui_message(t, C_MESSAGE, _("the schedule (%s) ran out after step %zu: from here "
			            "the lowest-numbered actor that can move goes next"), rv->replay_path, len);
		else
			tui_message(t, C_MESSAGE, _("the run ended at step %zu, the schedule's last (%s)"),
			            len, rv->replay_path);
	}
	if ((int)st != rv->seen_status) {
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
	/* After the run's own news: a goal met at the end says so last. */
	run_challenge_check(t);
	rv->seen_events = m->events;
	rv->seen_status = (int)st;
	return changed;
}

int
run_life_live(const struct tui *t)
{
	const struct run_view *rv = &t->rv;

	/* The clock only matters while actors move on their own. */
	return rv->run && ls_run_status(rv->run) == LS_RUN_RUNNING &&
	       ls_run_policy(rv->run) != LS_POLICY_STEP && !rv->paused;
}
