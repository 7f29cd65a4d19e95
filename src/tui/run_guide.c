/*
 * run_guide.c - a guided run on the run view: a run the lesson leads, from
 * one of two sources.  A walkthrough (engine/walk.c plays it) says who
 * moves and what each step means; a challenge (engine/challenge.c checks
 * it) sets a goal that is checked after every step, and its winning
 * schedule is saved the moment it is met.  Both open the same way (their
 * own parameters, the app's kept as they were, stepped from the start) and
 * end the same way (the app's parameters given back): one row each in
 * run_guide_sources[], one path for both.  What a step or a goal means is
 * the engine's; this file only says it on screen.  Must never draw.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tui/tui_int.h"

#define RUN_GUIDE_PROVE_RUNS 20000     /* the explorer's budget from the TUI */

/* One source of guided runs: how many a lesson has, their parameters, the player. */
struct run_guide_source {
	int (*count)(const struct ls_scenario *s);
	int (*params)(const struct ls_scenario *s, int which, long *out, char *err, size_t len);
	void (*none)(struct tui *t, const struct ls_scenario *s);  /* says s has none */
	void (*begin)(struct run_view *rv, int which);  /* its player, set up */
	void (*hello)(struct tui *t, int which);        /* its first words */
};

static int
run_guide_walk_count(const struct ls_scenario *s)
{
	return s->walkthroughs ? s->nwalkthroughs : 0;
}

static void
run_guide_walk_none(struct tui *t, const struct ls_scenario *s)
{
	tui_message(t, C_DIM, _("%s has no walkthrough yet: s steps it yourself"), s->name);
}

static void
run_guide_walk_begin(struct run_view *rv, int which)
{
	rv->walk = which;
	ls_walk_init(&rv->player, rv->s, which);
}

static void
run_guide_walk_hello(struct tui *t, int which)
{
	(void)which;
	tui_message(t, C_MESSAGE, _("walkthrough: space takes the next step"));
}

static int
run_guide_challenge_count(const struct ls_scenario *s)
{
	return s->challenges ? s->nchallenges : 0;
}

static void
run_guide_challenge_none(struct tui *t, const struct ls_scenario *s)
{
	tui_message(t, C_DIM, _("%s has no challenges"), s->name);
}

static void
run_guide_challenge_begin(struct run_view *rv, int which)
{
	rv->challenge = which;
	ls_challenge_init(&rv->play, rv->s, which);
}

static void
run_guide_challenge_hello(struct tui *t, int which)
{
	tui_message(t, C_MESSAGE, _("challenge %d/%d: space or Enter steps, u steps back"),
	            which + 1, t->rv.s->nchallenges);
}

static const struct run_guide_source run_guide_sources[RUN_GUIDE__SOURCES] = {
	[RUN_GUIDE_WALK] = {
		.count = run_guide_walk_count, .params = ls_walk_params,
		.none = run_guide_walk_none,
		.begin = run_guide_walk_begin, .hello = run_guide_walk_hello,
	},
	[RUN_GUIDE_CHALLENGE] = {
		.count = run_guide_challenge_count, .params = ls_challenge_params,
		.none = run_guide_challenge_none,
		.begin = run_guide_challenge_begin, .hello = run_guide_challenge_hello,
	},
};

void
run_guide_end(struct run_view *rv)
{
	rv->walk = -1;
	ls_walk_init(&rv->player, NULL, -1);
	if (rv->challenge >= 0 || rv->play.c) {
		rv->challenge = -1;
		ls_challenge_clear(&rv->play);
		rv->won_path[0] = rv->proof[0] = '\0';
	}
	if (rv->app_params)
		rv->params = rv->app_params;
}

int
run_guide_next(const struct run_view *rv)
{
	if (!rv->run)
		return -1;
	/* In a walkthrough the script, not the policy, says who moves next. */
	if (rv->walk >= 0)
		return ls_walk_next(&rv->player, rv->run);
	return ls_run_next_pick(rv->run);
}

/* The guided run's own parameters, or NULL with the reason said. */
static long *
run_guide_values(struct tui *t, const struct run_guide_source *g,
                 const struct ls_scenario *s, int which)
{
	char err[512];
	long *vals = calloc((size_t)s->nparams + 1, sizeof *vals);

	if (!vals) {
		tui_message(t, C_ERROR, _("out of memory"));
		return NULL;
	}
	if (g->params(s, which, vals, err, sizeof err) < 0) {
		tui_message(t, C_ERROR, "%s", err);
		free(vals);
		return NULL;
	}
	return vals;
}

int
run_guide_open(struct tui *t, enum run_guide_kind kind, const struct ls_scenario *s,
               long *app_params, enum ls_actor_kind actors, int which)
{
	const struct run_guide_source *g = &run_guide_sources[kind];
	struct run_view *rv = &t->rv;
	int n = g->count(s), next;
	char err[512];
	long *vals;

	if (n <= 0) {
		g->none(t, s);
		return -1;
	}
	which = ((which % n) + n) % n;
	if (!(vals = run_guide_values(t, g, s, which)))
		return -1;
	run_life_free_run(rv);
	run_life_scenario(rv, s);
	run_guide_end(rv);
	free(rv->walk_params);
	rv->walk_params = vals;
	rv->app_params = app_params;
	rv->params = vals;
	rv->kind = actors;
	rv->policy = LS_POLICY_STEP;
	g->begin(rv, which);
	rv->main_pane = 0;
	if (run_life_start(rv, err, sizeof err) < 0) {
		tui_message(t, C_ERROR, "%s", err);
		run_guide_end(rv);
		return -1;
	}
	next = run_guide_next(rv);
	rv->sel = next >= 0 ? next : 0;
	g->hello(t, which);
	return 0;
}

int
run_guide_again(struct tui *t)
{
	struct run_view *rv = &t->rv;

	if (rv->walk >= 0)
		run_guide_open(t, RUN_GUIDE_WALK, rv->s, rv->app_params, rv->kind, rv->walk);
	else if (rv->challenge >= 0)
		run_guide_open(t, RUN_GUIDE_CHALLENGE, rv->s, rv->app_params, rv->kind, rv->challenge);
	else
		return 0;
	return 1;
}

void
run_guide_following(struct tui *t, enum run_guide_kind kind)
{
	struct run_view *rv = &t->rv;
	int at = kind == RUN_GUIDE_WALK ? rv->walk : rv->challenge;

	run_guide_open(t, kind, rv->s, rv->app_params ? rv->app_params : rv->params, rv->kind,
	               at >= 0 ? at + 1 : 0);
}

/* ---- a walkthrough's script ---- */

/* The script is over: the rest of the run finishes in the policy's order. */
static void
run_guide_script_over(struct tui *t, int *moved)
{
	struct run_view *rv = &t->rv;

	if (run_life_over(ls_run_status(rv->run))) {
		if (rv->nback > 0)
			rv->nback--;
		tui_message(t, C_DIM, _("that was the walkthrough: r shows it again%s, q leaves"),
		            rv->s->nwalkthroughs > 1 ? _(", w the next one") : "");
		return;
	}
	/* A script shorter than the run: the rest finish, in the policy's order. */
	if ((*moved = ls_walk_finish(&rv->player, rv->run, 2000)) >= 0)
		rv->last_moved = *moved;
}

int
run_guide_step(struct tui *t)
{
	struct run_view *rv = &t->rv;
	char err[400];
	int moved, next;

	if (rv->walk < 0)
		return 0;
	run_back_note(t);
	switch (ls_walk_step(&rv->player, rv->run, &moved, err, sizeof err)) {
	case LS_WALK_FAILED:
		if (rv->nback > 0)
			rv->nback--;
		tui_message(t, C_ERROR, "%s", err);
		return 1;
	case LS_WALK_SCRIPT_OVER:
		run_guide_script_over(t, &moved);
		return 1;
	case LS_WALK_MOVED:
		rv->last_moved = moved;
		break;
	case LS_WALK_SAID:
		break;
	}
	next = run_guide_next(rv);
	if (next >= 0)
		rv->sel = next;
	else if (moved >= 0)
		rv->sel = rv->last_moved;
	t->msg[0] = '\0';
	return 1;
}

/* ---- a challenge's goal ---- */

/* Save the winning steps where the student can hand them in. */
static void
run_guide_save_win(struct tui *t)
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
run_guide_check(struct tui *t)
{
	struct run_view *rv = &t->rv;
	int changed;

	if (rv->challenge < 0 || !rv->run || !rv->play.c)
		return;
	ls_challenge_update(&rv->play, rv->run, &changed);
	if (!changed)
		return;
	if (rv->play.state == LS_CHALLENGE_MET)
		run_guide_save_win(t);
	else if (rv->play.state == LS_CHALLENGE_LOST)
		tui_message(t, C_ERROR, _("the goal cannot be met any more on this run: u steps "
		            "back, r starts again"));
}

void
run_guide_prove(struct tui *t)
{
	struct run_view *rv = &t->rv;
	struct ls_challenge_proof proof;
	char err[400];

	if (rv->challenge < 0) {
		tui_message(t, C_DIM, _("x asks the explorer about a challenge: c opens one"));
		return;
	}
	if (ls_challenge_prove(rv->s, rv->challenge, rv->kind, RUN_GUIDE_PROVE_RUNS, &proof,
	                       err, sizeof err) != 0) {
		tui_message(t, C_ERROR, "%s", err);
		return;
	}
	ls_challenge_proof_text(rv->s, rv->challenge, &proof, rv->proof, sizeof rv->proof);
	tui_message(t, proof.met || !proof.complete ? C_MESSAGE : C_ERROR, "explorer: %s",
	            rv->proof);
	ls_challenge_proof_clear(&proof);
}
