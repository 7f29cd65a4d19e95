/*
 * story.c - the box above the panes: the lesson, or in a walkthrough its
 * narration (the sentence of the step just taken, from engine/walk.c) with
 * the lesson under it when there is room and the next step named on the
 * border.  Must never change the run or take a step.
 */
#include "config.h"

#include <stdio.h>

#include "tui/tui_int.h"

/* The parameters the run uses (a walkthrough's own), for the lesson's counts. */
static const long *
run_story_params(const struct run_view *rv)
{
	return rv->params;
}

/* What the narration says after at steps, the run over or not. */
static const char *
story_text(const struct run_view *rv, int at, int over, char *buf, size_t len)
{
	const struct ls_walkthrough *wt = &rv->s->walkthroughs[rv->walk];
	const char *step, *ending;

	switch (ls_walk_narration(wt, at, over, &step, &ending)) {
	case LS_WALK_SAY_INTRO:
		snprintf(buf, len, _("%d steps: space takes the first. The source pane marks "
		         "where each actor is; the highlighted line is the one just run."),
		         wt->nsteps);
		break;
	case LS_WALK_SAY_STEP:
		snprintf(buf, len, "%s", _(step));
		break;
	case LS_WALK_SAY_ENDING:
		snprintf(buf, len, "%s%s%s", step ? _(step) : "", step ? "\n" : "",
		         ending ? _(ending) : "");
		break;
	case LS_WALK_SAY_UNSCRIPTED:
		snprintf(buf, len, "%s", _("The script is over, the run is not: space lets the "
		         "remaining actors finish."));
		break;
	}
	return buf;
}

/* A challenge's box: the goal, where the run stands, the explorer's word. */
static const char *
story_challenge_text(const struct run_view *rv, char *buf, size_t len)
{
	const struct ls_challenge *c = &rv->s->challenges[rv->challenge];
	const struct ls_challenge_play *p = &rv->play;
	size_t n = 0;

	switch (p->state) {
	case LS_CHALLENGE_MET:
		n = (size_t)snprintf(buf, len, _("Met in %zu steps!%s%s%s c: the next challenge, "
		                     "u: step back."), p->steps,
		                     rv->won_path[0] ? _(" The winning schedule is in ") : "",
		                     rv->won_path, rv->won_path[0] ? _(".") : "");
		break;
	case LS_CHALLENGE_LOST:
		n = (size_t)snprintf(buf, len, _("This run can no longer meet the goal (after %zu "
		                     "steps): u steps back, r starts again."), p->steps);
		break;
	default:
		n = (size_t)snprintf(buf, len, _("Goal: %s.%s%s%s Space steps the marked actor, "
		                     "Enter the selected one, u steps back, x asks the explorer."),
		                     _(c->title), c->hint ? _(" Hint: ") : "", c->hint ? _(c->hint) : "",
		                     c->hint ? _(".") : "");
		break;
	}
	if (rv->proof[0] && n < len)
		snprintf(buf + n, len - n, _("\nExplorer: %s."), rv->proof);
	return buf;
}

static int
story_run_over(const struct run_view *rv)
{
	return run_life_over(ls_run_status(rv->run));
}

/*
 * While the walkthrough runs its box is as tall as its longest step, so
 * the panes under it keep still from one step to the next.  Big terminals
 * keep the lesson under the narration.
 */
static int
story_rows(const struct run_view *rv, int width, int big)
{
	struct rect area = { 0, 0, 0, width - 2 };
	char text[2048];
	int rows = 1;

	if (rv->challenge >= 0 && rv->walk < 0) {
		/* As tall as its longest state, so the panes under it keep still. */
		struct run_view v = *rv;
		int most = 1;

		for (int st = LS_CHALLENGE_OPEN; st <= LS_CHALLENGE_LOST; st++) {
			int n;

			v.play.state = (enum ls_challenge_state)st;
			n = draw_wrap(NULL, area, 0, C_NARRATION,
			              story_challenge_text(&v, text, sizeof text));
			most = n > most ? n : most;
		}
		return most + 2 + (rv->presenter ? 2 : 0) +
		       (big ? lesson_lines(rv->s, run_story_params(rv), width - 2) + 1 : 0);
	}
	if (rv->walk < 0)
		return lesson_lines(rv->s, run_story_params(rv), width - 2) + 2;
	if (story_run_over(rv)) {
		rows = draw_wrap(NULL, area, 0, C_NARRATION,
		                 story_text(rv, rv->player.at, 1, text, sizeof text));
	} else {
		for (int at = 0; at <= rv->s->walkthroughs[rv->walk].nsteps; at++) {
			int n = draw_wrap(NULL, area, 0, C_NARRATION,
			                  story_text(rv, at, 0, text, sizeof text));

			rows = n > rows ? n : rows;
		}
	}
	return rows + 2 + (rv->presenter ? 2 : 0) +
	       (big ? lesson_lines(rv->s, run_story_params(rv), width - 2) + 1 : 0);
}

/* Presenter mode: a blank row and two columns of air around the words. */
static struct rect
story_air(const struct run_view *rv, struct rect in)
{
	if (!rv->presenter || in.h < 3 || in.w < 20)
		return in;
	return (struct rect){ in.y + 1, in.x + 2, in.h - 2, in.w - 4 };
}

static void
story_draw_challenge(WINDOW *w, struct rect b, const struct run_view *rv)
{
	const struct ls_challenge_play *p = &rv->play;
	char title[200], text[2048], hint[64];
	struct rect in;
	int used;

	snprintf(title, sizeof title, _("Challenge %d/%d: %s"), rv->challenge + 1,
	         rv->s->nchallenges, p->c ? _(p->c->title) : "");
	in = draw_box(w, b, p->state == LS_CHALLENGE_MET ? C_VERDICT_OK
	                    : p->state == LS_CHALLENGE_LOST ? C_VERDICT_BAD : C_PANE_TITLE, title);
	if (in.h <= 0)
		return;
	in = story_air(rv, in);
	used = draw_wrap(w, in, 0, p->state == LS_CHALLENGE_MET ? C_VERDICT_OK
	                           : p->state == LS_CHALLENGE_LOST ? C_VERDICT_BAD : C_NARRATION,
	                 story_challenge_text(rv, text, sizeof text));
	if (used + 2 <= in.h)
		lesson_draw(w, (struct rect){ in.y + used + 1, in.x, in.h - used - 1, in.w },
		            rv->s, run_story_params(rv), 0);
	snprintf(hint, sizeof hint, " %s ", p->state == LS_CHALLENGE_MET ? _("met")
	         : p->state == LS_CHALLENGE_LOST ? _("cannot be met now") : _("not met yet"));
	if (b.w > 30)
		draw_text(w, b.y + b.h - 1, b.x + b.w - draw_width(hint) - 2, b.w - 3, C_KEY, 0, hint);
}

static void
story_draw(WINDOW *w, struct rect b, const struct run_view *rv)
{
	const struct ls_walkthrough *wt;
	char title[160], hint[96], text[2048];
	struct rect in;
	int used, over, at = rv->player.at;

	if (rv->walk < 0 && rv->challenge >= 0) {
		story_draw_challenge(w, b, rv);
		return;
	}
	if (rv->walk < 0) {
		in = draw_box(w, b, C_BORDER, _("Lesson"));
		if (in.h > 0)
			lesson_draw(w, in, rv->s, run_story_params(rv), 0);
		return;
	}
	wt = &rv->s->walkthroughs[rv->walk];
	over = story_run_over(rv);
	if (rv->s->nwalkthroughs > 1)
		snprintf(title, sizeof title, _("Walkthrough %d/%d: %s"), rv->walk + 1,
		         rv->s->nwalkthroughs, _(wt->title));
	else
		snprintf(title, sizeof title, _("Walkthrough: %s"), _(wt->title));
	in = draw_box(w, b, C_PANE_TITLE, title);
	if (in.h <= 0)
		return;
	in = story_air(rv, in);
	used = draw_wrap(w, in, 0, C_NARRATION, story_text(rv, at, over, text, sizeof text));
	/* Room to spare: the lesson under the narration. */
	if (used + 2 <= in.h)
		lesson_draw(w, (struct rect){ in.y + used + 1, in.x, in.h - used - 1, in.w },
		            rv->s, run_story_params(rv), 0);
	if (at < wt->nsteps) {
		const char *who = wt->steps[at].actor;

		snprintf(hint, sizeof hint, _(" step %d of %d%s%s: space "), at, wt->nsteps,
		         who ? _(", next ") : "", who ? who : "");
	} else if (!over) {
		snprintf(hint, sizeof hint, _(" step %d of %d: space finishes "), at, wt->nsteps);
	} else {
		snprintf(hint, sizeof hint, _(" the end%s "),
		         rv->s->nwalkthroughs > 1 ? _(": w for the next walkthrough") : "");
	}
	if (b.w > 20) {
		int hw = draw_width(hint);

		draw_text(w, b.y + b.h - 1, b.x + b.w - hw - 2 > b.x + 1 ? b.x + b.w - hw - 2 : b.x + 1,
		          b.w - 3, C_KEY, 0, hint);
	}
}

const struct tui_pane story_pane = {
	.name = N_("Story"),
	.draw = story_draw,
	.rows = story_rows,
};
