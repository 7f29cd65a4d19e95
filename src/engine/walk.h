/*
 * walk.h - a narrated walkthrough played against a run: its parameter line
 * read by the engine's own parser, its steps taken one at a time by actor
 * name, which sentence of its narration applies, and its end.  No UI here:
 * the TUI's walkthrough and tests/check_walkthrough.c both play through it,
 * so a script the tests accept is the script the screen shows.
 *
 * Like run.h, a walk is driven from the one thread that drives its run.
 */
#ifndef LS_WALK_H
#define LS_WALK_H

#include <stddef.h>

#include "engine/run.h"
#include "lockstep/scenario.h"

struct ls_walk {
	const struct ls_scenario *s;
	const struct ls_walkthrough *wt;
	int which;                  /* its index in s->walkthroughs */
	int at;                     /* steps taken */
	int patience_ms;            /* how long a step waits for its actor to park */
};

/* What ls_walk_step() did. */
enum ls_walk_result {
	LS_WALK_MOVED,              /* the step's actor took one operation */
	LS_WALK_SAID,               /* a step that moves nobody: only its words */
	LS_WALK_SCRIPT_OVER,        /* no step left: ls_walk_finish() ends the run */
	LS_WALK_FAILED,             /* the step cannot be taken; err says why */
};

/* Which sentence the narration shows after some steps. */
enum ls_walk_say {
	LS_WALK_SAY_INTRO,          /* no step taken yet */
	LS_WALK_SAY_STEP,           /* *step: the sentence of the last step taken */
	LS_WALK_SAY_ENDING,         /* the run is over: *step (the last, or NULL) and *ending */
	LS_WALK_SAY_UNSCRIPTED,     /* the script is over, the run is not */
};

/*
 * The run's parameters for walkthrough which of s: the defaults, then its
 * params line ("depositors=2 delay_ms=10 locked=0") through ls_params_set().
 * -1 with err (naming the walkthrough's word that is wrong) on failure.
 */
int ls_walk_params(const struct ls_scenario *s, int which, long *out, char *err, size_t len);
/* Start walkthrough which of s at step 0; -1 if s has no such walkthrough. */
int ls_walk_init(struct ls_walk *w, const struct ls_scenario *s, int which);
/* The actor of r named name, or -1. */
int ls_walk_actor(const struct ls_run *r, const char *name);
/* Who the next step moves: an actor id, or -1 (no step left, or nobody moves). */
int ls_walk_next(const struct ls_walk *w, const struct ls_run *r);
/*
 * The steps of wt that move an actor: what the run's step counter reads when
 * the script is over (a step that only speaks moves nobody).
 */
int ls_walk_moves(const struct ls_walkthrough *wt);
/* Every step taken. */
int ls_walk_script_over(const struct ls_walk *w);
/*
 * Take the next step: wait (at most patience_ms) for its actor to reach a
 * step point, refuse with err if it cannot move (blocked, missing, the run
 * over), else step it through ls_run_step().  *moved (may be NULL) gets the
 * actor that moved, or -1.
 */
enum ls_walk_result ls_walk_step(struct ls_walk *w, struct ls_run *r, int *moved,
                                 char *err, size_t len);
/*
 * A script shorter than the run: let the remaining actors finish in the
 * policy's order, for at most budget_ms.  Returns the last actor that moved,
 * or -1.
 */
int ls_walk_finish(struct ls_walk *w, struct ls_run *r, int budget_ms);
/* What the narration says after at steps, with the run over or not. */
enum ls_walk_say ls_walk_narration(const struct ls_walkthrough *wt, int at, int over,
                                   const char **step, const char **ending);
/*
 * The next walkthrough after from (cyclically) whose run sets parameter
 * param to a value other than value: 'l' in a walkthrough goes to the other
 * variant's.  -1 when there is none.
 */
int ls_walk_other_variant(const struct ls_scenario *s, int from, int param, long value);

#endif
