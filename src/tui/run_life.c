/*
 * run_life.c - the run view's run: created and started from the view's
 * settings, its lesson's source loaded, fed to the timeline, freed.  The
 * run view (run_view.c) decides when; this file only does it, and calls
 * nothing else of the run view.  It talks to the engine only through run.h and
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

int
run_life_over(enum ls_run_status st)
{
	return st != LS_RUN_READY && st != LS_RUN_RUNNING;
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

/* The engine's options from the view's settings (a replay without a schedule steps). */
static void
run_life_opts(struct run_view *rv, struct ls_run_opts *o)
{
	ls_run_opts_default(o, rv->s);
	o->kind = rv->kind;
	o->policy = rv->policy;
	if (rv->policy == LS_POLICY_REPLAY && !rv->replay)
		o->policy = rv->policy = LS_POLICY_STEP;
	if (rv->policy == LS_POLICY_REPLAY)
		o->replay = rv->replay;
	if (rv->policy == LS_POLICY_RANDOM)
		o->seed = rv->seed;
	else
		rv->seed = o->seed;
	if (rv->slowmo == 0)
		rv->slowmo = o->slowmo_pct ? o->slowmo_pct : 100;
	o->slowmo_pct = rv->slowmo;
}

/* The view's memory of a run, as a new run begins. */
static void
run_life_fresh(struct run_view *rv, struct ls_run *r)
{
	rv->run = r;
	rv->replay_ended = 0;
	rv->stall_done = 0;
	rv->stall_since = 0;
	rv->stall_said = 0;
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
}

int
run_life_start(struct run_view *rv, char *err, size_t len)
{
	struct ls_run_opts o;
	struct ls_run *r;
	int n;

	run_life_opts(rv, &o);
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
	run_life_fresh(rv, r);
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

void
run_life_feed(struct run_view *rv)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	timeline_feed(&rv->tl, run_life_over(ls_run_status(rv->run)),
	              (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

int
run_life_live(const struct tui *t)
{
	const struct run_view *rv = &t->rv;

	/* The clock only matters while actors move on their own. */
	return rv->run && ls_run_status(rv->run) == LS_RUN_RUNNING &&
	       ls_run_policy(rv->run) != LS_POLICY_STEP && !rv->paused;
}
