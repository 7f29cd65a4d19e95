/*
 * walk.c - playing a walkthrough (see walk.h).  A walkthrough is data in the
 * scenario's file; this is the one place that reads it as a script: its
 * parameter line, its steps by actor name, its narration and its end.  Must
 * never draw anything or know about a terminal, and never step an actor the
 * script did not name (except in ls_walk_finish, by the policy's pick).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "engine/params.h"
#include "engine/clock.h"
#include "engine/walk.h"
#include "engine/world.h"

#define WALK_PATIENCE_MS 2000   /* as long as ls_run_step() itself waits to settle */
#define WALK_POLL_MS 20

int
ls_walk_params(const struct ls_scenario *s, int which, long *out, char *err, size_t len)
{
	const struct ls_walkthrough *wt;

	if (which < 0 || which >= s->nwalkthroughs || !s->walkthroughs) {
		snprintf(err, len, "%s has no walkthrough %d", s->name, which + 1);
		return -1;
	}
	wt = &s->walkthroughs[which];
	return ls_params_line(s, wt->params, "walkthrough", wt->title, out, err, len);
}

int
ls_walk_init(struct ls_walk *w, const struct ls_scenario *s, int which)
{
	memset(w, 0, sizeof *w);
	w->which = -1;
	if (!s || !s->walkthroughs || which < 0 || which >= s->nwalkthroughs)
		return -1;
	w->s = s;
	w->wt = &s->walkthroughs[which];
	w->which = which;
	w->patience_ms = WALK_PATIENCE_MS;
	return 0;
}

int
ls_walk_actor(const struct ls_run *r, const char *name)
{
	const char *const *names = ls_run_actor_names(r);

	for (int i = 0; name && i < ls_run_actor_count(r); i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

int
ls_walk_next(const struct ls_walk *w, const struct ls_run *r)
{
	if (!w->wt || w->at >= w->wt->nsteps)
		return -1;
	return ls_walk_actor(r, w->wt->steps[w->at].actor);
}

int
ls_walk_moves(const struct ls_walkthrough *wt)
{
	int n = 0;

	for (int k = 0; wt && k < wt->nsteps; k++)
		n += wt->steps[k].actor != NULL;
	return n;
}

int
ls_walk_script_over(const struct ls_walk *w)
{
	return !w->wt || w->at >= w->wt->nsteps;
}

/* The actor has stopped moving: parked at its gate, or finished. */
static int
walk_parked(const struct ls_model_actor *a)
{
	return a->state == LS_AS_GATE || a->state == LS_AS_DONE || a->state == LS_AS_CRASHED;
}

/* The run would let actor id move now. */
static int
walk_enabled(struct ls_run *r, int id)
{
	int enabled[LS_MAX_ACTORS];
	int n = ls_run_enabled(r, enabled, LS_MAX_ACTORS);

	for (int i = 0; i < n; i++)
		if (enabled[i] == id)
			return 1;
	return 0;
}

enum ls_walk_result
ls_walk_step(struct ls_walk *w, struct ls_run *r, int *moved, char *err, size_t len)
{
	const struct ls_model *m = ls_run_model(r);
	const struct ls_walk_step *step;
	double until;
	int id;

	if (moved)
		*moved = -1;
	if (ls_walk_script_over(w))
		return LS_WALK_SCRIPT_OVER;
	step = &w->wt->steps[w->at];
	if (!step->actor) {
		w->at++;
		return LS_WALK_SAID;
	}
	id = ls_walk_actor(r, step->actor);
	if (id < 0) {
		snprintf(err, len, "walkthrough step %d names %s, which this run lacks", w->at + 1,
		         step->actor);
		return LS_WALK_FAILED;
	}
	/* Its previous step may still be on its way to the next probe.  An actor
	 * woken in a wait (a condition notified) still looks blocked to the
	 * model, yet the run may step it: the enabled set says so. */
	until = ls_now_ms() + w->patience_ms;
	while (!walk_parked(&m->actors[id]) && !walk_enabled(r, id) &&
	       ls_run_status(r) == LS_RUN_RUNNING && ls_now_ms() < until)
		ls_run_poll(r, WALK_POLL_MS);
	if (ls_run_status(r) != LS_RUN_RUNNING) {
		snprintf(err, len, "walkthrough step %d: the run is %s", w->at + 1,
		         ls_run_status_name(ls_run_status(r)));
		return LS_WALK_FAILED;
	}
	if (m->actors[id].state == LS_AS_GATE && !ls_model_can_proceed(m, id)) {
		char detail[200];

		ls_model_detail(m, id, detail, sizeof detail);
		snprintf(err, len, "walkthrough step %d: %s cannot move: %s", w->at + 1,
		         m->actors[id].name, detail[0] ? detail : "its operation cannot proceed");
		return LS_WALK_FAILED;
	}
	if (ls_run_step(r, id) < 0) {
		snprintf(err, len, "walkthrough step %d: %s could not move", w->at + 1, step->actor);
		return LS_WALK_FAILED;
	}
	/* Let the model catch up with what the step did. */
	ls_run_poll(r, 1);
	w->at++;
	if (moved)
		*moved = id;
	return LS_WALK_MOVED;
}

int
ls_walk_finish(struct ls_walk *w, struct ls_run *r, int budget_ms)
{
	double until = ls_now_ms() + budget_ms;
	int last = -1, id;

	(void)w;
	while (ls_run_status(r) == LS_RUN_RUNNING && ls_now_ms() < until) {
		if ((id = ls_run_step(r, -1)) >= 0)
			last = id;
		else
			ls_run_poll(r, 10);     /* not settled yet, or the end being noticed */
	}
	ls_run_poll(r, 1);
	return last;
}

enum ls_walk_say
ls_walk_narration(const struct ls_walkthrough *wt, int at, int over, const char **step,
                  const char **ending)
{
	*step = NULL;
	*ending = NULL;
	if (at <= 0)
		return LS_WALK_SAY_INTRO;
	if (at <= wt->nsteps && !(at == wt->nsteps && over)) {
		*step = wt->steps[at - 1].say;
		return LS_WALK_SAY_STEP;
	}
	if (over) {
		/* The last step's words stay above the ending they lead to. */
		if (at == wt->nsteps)
			*step = wt->steps[wt->nsteps - 1].say;
		*ending = wt->ending;
		return LS_WALK_SAY_ENDING;
	}
	return LS_WALK_SAY_UNSCRIPTED;
}

int
ls_walk_other_variant(const struct ls_scenario *s, int from, int param, long value)
{
	long vals[LS_PARAMS_MAX];
	char err[256];

	if (param < 0 || param >= s->nparams)
		return -1;
	for (int i = 1; i < s->nwalkthroughs; i++) {
		int j = (from + i) % s->nwalkthroughs;

		if (ls_walk_params(s, j, vals, err, sizeof err) == 0 && vals[param] != value)
			return j;
	}
	return -1;
}
