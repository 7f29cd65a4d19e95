/*
 * run_challenge.c - a challenge on the run view: opened with its own
 * parameters (the app's stay as they were), its goal checked after every
 * step through the engine's player (engine/challenge.c, which the tests
 * and `lockstep challenge` use too), the winning schedule saved the moment
 * it is met, and the explorer asked on demand whether any schedule can
 * meet it.  What the goal means is the scenario's; this file only says it
 * on screen.  Must never draw.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tui/tui_int.h"

#define RUN_CHALLENGE_PROVE_RUNS 20000     /* the explorer's budget from the TUI */

void
run_challenge_end(struct run_view *rv)
{
	if (rv->challenge < 0 && !rv->play.c)
		return;
	rv->challenge = -1;
	ls_challenge_clear(&rv->play);
	rv->won_path[0] = rv->proof[0] = '\0';
	if (rv->app_params)
		rv->params = rv->app_params;
}

int
run_challenge_open(struct tui *t, const struct ls_scenario *s, long *app_params,
                   enum ls_actor_kind kind, int which)
{
	struct run_view *rv = &t->rv;
	char err[512];
	long *vals;

	if (!s->challenges || s->nchallenges <= 0) {
		tui_message(t, C_DIM, _("%s has no challenges"), s->name);
		return -1;
	}
	which = ((which % s->nchallenges) + s->nchallenges) % s->nchallenges;
	vals = calloc((size_t)s->nparams + 1, sizeof *vals);
	if (!vals) {
		tui_message(t, C_ERROR, _("out of memory"));
		return -1;
	}
	if (ls_challenge_params(s, which, vals, err, sizeof err) < 0) {
		tui_message(t, C_ERROR, "%s", err);
		free(vals);
		return -1;
	}
	run_life_free_run(rv);
	run_life_scenario(rv, s);
	run_walk_end(rv);
	run_challenge_end(rv);
	free(rv->walk_params);
	rv->walk_params = vals;
	rv->app_params = app_params;
	rv->params = vals;
	rv->kind = kind;
	rv->policy = LS_POLICY_STEP;
	rv->challenge = which;
	ls_challenge_init(&rv->play, s, which);
	rv->main_pane = 0;
	if (run_life_start(rv, err, sizeof err) < 0) {
		tui_message(t, C_ERROR, "%s", err);
		run_challenge_end(rv);
		return -1;
	}
	rv->sel = ls_run_next_pick(rv->run) >= 0 ? ls_run_next_pick(rv->run) : 0;
	tui_message(t, C_MESSAGE, _("challenge %d/%d: space or Enter steps, u steps back"),
	            which + 1, s->nchallenges);
	return 0;
}

/* Save the winning steps where the student can hand them in. */
static void
run_challenge_save(struct tui *t)
{
	struct run_view *rv = &t->rv;
	char header[300], err[400];

	snprintf(rv->won_path, sizeof rv->won_path, "lockstep-%s-challenge-%d.schedule",
	         rv->s->name, rv->challenge + 1);
	snprintf(header, sizeof header, "lockstep challenge %s %d: %s", rv->s->name,
	         rv->challenge + 1, rv->play.c->title);
	if (ls_schedule_save(&rv->play.win, rv->won_path, ls_run_actor_names(rv->run), header,
	                     err, sizeof err) != 0) {
		tui_message(t, C_ERROR, _("challenge met, but the schedule was not saved: %s"), err);
		rv->won_path[0] = '\0';
		return;
	}
	tui_message(t, C_VERDICT_OK, _("challenge met in %zu steps! saved to %s"),
	            rv->play.steps, rv->won_path);
}

void
run_challenge_check(struct tui *t)
{
	struct run_view *rv = &t->rv;
	int changed;

	if (rv->challenge < 0 || !rv->run || !rv->play.c)
		return;
	ls_challenge_update(&rv->play, rv->run, &changed);
	if (!changed)
		return;
	if (rv->play.state == LS_CHALLENGE_MET)
		run_challenge_save(t);
	else if (rv->play.state == LS_CHALLENGE_LOST)
		tui_message(t, C_ERROR, _("the goal cannot be met any more on this run: u steps "
		            "back, r starts again"));
}

void
run_challenge_key(struct tui *t, int key)
{
	struct run_view *rv = &t->rv;

	(void)key;
	run_challenge_open(t, rv->s, rv->app_params ? rv->app_params : rv->params, rv->kind,
	                   rv->challenge >= 0 ? rv->challenge + 1 : 0);
}

void
run_challenge_prove(struct tui *t, int key)
{
	struct run_view *rv = &t->rv;
	struct ls_challenge_proof proof;
	char err[400];

	(void)key;
	if (rv->challenge < 0) {
		tui_message(t, C_DIM, _("x asks the explorer about a challenge: c opens one"));
		return;
	}
	if (ls_challenge_prove(rv->s, rv->challenge, rv->kind, RUN_CHALLENGE_PROVE_RUNS, &proof,
	                       err, sizeof err) != 0) {
		tui_message(t, C_ERROR, "%s", err);
		return;
	}
	ls_challenge_proof_text(rv->s, rv->challenge, &proof, rv->proof, sizeof rv->proof);
	tui_message(t, proof.met || !proof.complete ? C_MESSAGE : C_ERROR, "explorer: %s",
	            rv->proof);
	ls_challenge_proof_clear(&proof);
}
