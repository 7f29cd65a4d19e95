/*
 * run_walk.c - a narrated walkthrough on the run view: opened with its own
 * parameters (the app's stay as they were), stepped by space through the
 * engine's player (engine/walk.c, which the tests play too), and given
 * back when it ends.  What a step means, which actor it moves and what the
 * narration says is the engine's; this file only says it on screen.  Must
 * never draw.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tui/tui_int.h"

void
run_walk_end(struct run_view *rv)
{
	rv->walk = -1;
	ls_walk_init(&rv->player, NULL, -1);
	if (rv->app_params)
		rv->params = rv->app_params;
}

int
run_walk_next(const struct run_view *rv)
{
	if (!rv->run)
		return -1;
	/* In a walkthrough the script, not the policy, says who moves next. */
	if (rv->walk >= 0)
		return ls_walk_next(&rv->player, rv->run);
	return ls_run_next_pick(rv->run);
}

int
run_walk_open(struct tui *t, const struct ls_scenario *s, long *app_params,
              enum ls_actor_kind kind, int which)
{
	struct run_view *rv = &t->rv;
	char err[512];
	long *vals;
	int next;

	if (!s->walkthroughs || s->nwalkthroughs <= 0) {
		tui_message(t, C_DIM, _("%s has no walkthrough yet: s steps it yourself"), s->name);
		return -1;
	}
	which = ((which % s->nwalkthroughs) + s->nwalkthroughs) % s->nwalkthroughs;
	vals = calloc((size_t)s->nparams + 1, sizeof *vals);
	if (!vals) {
		tui_message(t, C_ERROR, _("out of memory"));
		return -1;
	}
	if (ls_walk_params(s, which, vals, err, sizeof err) < 0) {
		tui_message(t, C_ERROR, "%s", err);
		free(vals);
		return -1;
	}
	run_life_free_run(rv);
	run_life_scenario(rv, s);
	run_challenge_end(rv);
	free(rv->walk_params);
	rv->walk_params = vals;
	rv->app_params = app_params;
	rv->params = vals;
	rv->kind = kind;
	rv->policy = LS_POLICY_STEP;
	rv->walk = which;
	ls_walk_init(&rv->player, s, which);
	rv->main_pane = 0;
	if (run_life_start(rv, err, sizeof err) < 0) {
		tui_message(t, C_ERROR, "%s", err);
		run_walk_end(rv);
		return -1;
	}
	next = run_walk_next(rv);
	rv->sel = next >= 0 ? next : 0;
	tui_message(t, C_MESSAGE, _("walkthrough: space takes the next step"));
	return 0;
}

void
run_walk_step(struct tui *t)
{
	struct run_view *rv = &t->rv;
	char err[400];
	int moved, next;

	run_back_note(t);
	switch (ls_walk_step(&rv->player, rv->run, &moved, err, sizeof err)) {
	case LS_WALK_FAILED:
		if (rv->nback > 0)
			rv->nback--;
		tui_message(t, C_ERROR, "%s", err);
		return;
	case LS_WALK_SCRIPT_OVER:
		if (run_life_over(ls_run_status(rv->run))) {
			if (rv->nback > 0)
				rv->nback--;
			tui_message(t, C_DIM, _("that was the walkthrough: r shows it again%s, q leaves"),
			            rv->s->nwalkthroughs > 1 ? _(", w the next one") : "");
			return;
		}
		/* A script shorter than the run: the rest finish, in the policy's order. */
		if ((moved = ls_walk_finish(&rv->player, rv->run, 2000)) >= 0)
			rv->last_moved = moved;
		return;
	case LS_WALK_MOVED:
		rv->last_moved = moved;
		break;
	case LS_WALK_SAID:
		break;
	}
	next = run_walk_next(rv);
	if (next >= 0)
		rv->sel = next;
	else if (moved >= 0)
		rv->sel = rv->last_moved;
	t->msg[0] = '\0';
}
