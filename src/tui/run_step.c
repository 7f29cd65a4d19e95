/*
 * run_step.c - stepping a run by hand: space moves the policy's pick (the
 * marked actor), Enter the selected one, refused with the reason when it
 * cannot move; a free run is paused into stepping first; 't'/'T' run the
 * selected actor (or all) to a source line, as jBACI's breakpoints.  Must
 * never draw.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tui/tui_int.h"

#define RUN_STEP_TO_STEPS 5000      /* run to a line: at most this many steps */
#define RUN_STEP_TO_MS 5000.0

/* Why a parked actor cannot move: "T2 cannot move: wants lock 'lock' held by T1". */
static void
run_step_blocked_text(const struct ls_model *m, int a, char *buf, size_t len)
{
	char detail[200];

	ls_model_detail(m, a, detail, sizeof detail);
	snprintf(buf, len, "%s cannot move: %s", m->actors[a].name,
	         detail[0] ? detail : "its operation cannot proceed");
}

/*
 * After a step: let the model catch up.  Random and replay runs take steps
 * of their own when polled with time to spare, so they get none.
 */
static void
run_step_settle(struct run_view *rv)
{
	ls_run_poll(rv->run, ls_run_policy(rv->run) == LS_POLICY_STEP ? 1 : 0);
}

int
run_step_pause(struct tui *t)
{
	struct run_view *rv = &t->rv;
	struct ls_run *r = rv->run;

	if (ls_run_policy(r) == LS_POLICY_REPLAY) {
		/* A replay keeps its schedule: it only stops taking steps by itself. */
		int was = rv->paused;

		rv->paused = 1;
		return !was;
	}
	if (ls_run_policy(r) == LS_POLICY_STEP)
		return 0;
	ls_run_set_policy(r, LS_POLICY_STEP);
	ls_run_poll(r, 5);
	return 1;
}

int
run_step_check_live(struct tui *t)
{
	enum ls_run_status st = ls_run_status(t->rv.run);

	if (!run_life_over(st))
		return 1;
	tui_message(t, C_DIM, _("the run is over (%s): r runs it again, q goes back"),
	            ls_run_status_name(st));
	return 0;
}

void
run_step_pick(struct tui *t)
{
	struct run_view *rv = &t->rv;
	int moved, next;

	if (!run_step_check_live(t))
		return;
	run_step_pause(t);
	run_back_note(t);
	moved = ls_run_step(rv->run, -1);
	run_step_settle(rv);
	if (moved < 0) {
		if (rv->nback > 0)
			rv->nback--;
		tui_message(t, C_ERROR, _("no actor can move%s"),
		            ls_run_status(rv->run) == LS_RUN_DEADLOCK ? _(": deadlock") : _(" yet"));
		return;
	}
	rv->last_moved = moved;
	/*
	 * The selection goes where the marker is, so space and Enter agree
	 * until the reader picks someone else; the actor that just moved stays
	 * underlined and its line highlighted in the source.
	 */
	next = run_guide_next(rv);
	rv->sel = next >= 0 ? next : moved;
}

void
run_step_selected(struct tui *t)
{
	struct run_view *rv = &t->rv;
	const struct ls_model *m = ls_run_model(rv->run);
	const struct ls_model_actor *ac;
	char buf[256];

	if (!run_step_check_live(t))
		return;
	if (rv->sel < 0 || rv->sel >= m->nactors)
		return;
	if (ls_run_policy(rv->run) == LS_POLICY_REPLAY) {
		run_step_pause(t);
		tui_message(t, C_DIM, _("replaying a schedule: space takes its next step "
		            "(another actor would leave it)"));
		return;
	}
	if (run_step_pause(t)) {
		tui_message(t, C_MESSAGE, _("paused; Enter again steps %s"), m->actors[rv->sel].name);
		return;
	}
	ac = &m->actors[rv->sel];
	if (ac->state == LS_AS_DONE || ac->state == LS_AS_CRASHED) {
		tui_message(t, C_DIM, _("%s has %s"), ac->name,
		            ac->state == LS_AS_DONE ? _("finished") : _("crashed"));
		return;
	}
	if (ac->state != LS_AS_GATE) {
		ls_model_describe(m, rv->sel, buf, sizeof buf);
		tui_message(t, C_DIM, _("%s is not at a step point yet (%s)"), ac->name, buf);
		return;
	}
	if (!ls_model_can_proceed(m, rv->sel)) {
		run_step_blocked_text(m, rv->sel, buf, sizeof buf);
		tui_message(t, C_ERROR, "%s", buf);
		return;
	}
	run_back_note(t);
	if (ls_run_step(rv->run, rv->sel) < 0) {
		if (rv->nback > 0)
			rv->nback--;
		tui_message(t, C_ERROR, _("%s cannot move now"), ac->name);
	} else {
		rv->last_moved = rv->sel;
	}
	run_step_settle(rv);
}

/* ---- run to a line ---- */

void
run_step_ask_line(struct tui *t, int all)
{
	struct run_view *rv = &t->rv;
	char label[96];

	if (!run_step_check_live(t))
		return;
	rv->to_all = all;
	if (rv->to_all)
		snprintf(label, sizeof label, "run all to line:");
	else
		snprintf(label, sizeof label, "run %s to line:",
		         ls_run_actor_names(rv->run)[rv->sel]);
	prompt_open(&t->prompt, PROMPT_LINE, label, "");
}

/* Is some actor (or actor who, if >= 0) parked on line? */
static int
run_step_at_line(const struct ls_model *m, int who, int line)
{
	for (int i = 0; i < m->nactors; i++)
		if ((who < 0 || who == i) && m->actors[i].state == LS_AS_GATE &&
		    m->actors[i].line == line)
			return i;
	return -1;
}

/* The line typed, or 0 with the reason said (a walkthrough or a replay keeps its own order). */
static int
run_step_line_of(struct tui *t, const char *text)
{
	struct run_view *rv = &t->rv;
	char *end;
	long v = strtol(text, &end, 10);

	while (*end == ' ')
		end++;
	if (end == text || *end || v < 1 || v > (rv->src.n > 0 ? rv->src.n : 100000)) {
		tui_message(t, C_ERROR, _("'%s' is not a line of %s (1..%d)"), text, rv->s->name,
		            rv->src.n);
		return 0;
	}
	if (rv->walk >= 0) {
		tui_message(t, C_DIM, _("a walkthrough follows its script: space takes its next step"));
		return 0;
	}
	if (ls_run_policy(rv->run) == LS_POLICY_REPLAY) {
		tui_message(t, C_DIM, _("a replay follows its schedule: space takes its next step"));
		return 0;
	}
	return (int)v;
}

/* Step who (or the policy's pick, -1) until some actor reaches line, within bounds;
 * the actor there, or -1.  *steps counts the steps taken. */
static int
run_step_to(struct tui *t, int who, int line, int *steps)
{
	struct run_view *rv = &t->rv;
	const struct ls_model *m = ls_run_model(rv->run);
	double until = tui_now_ms() + RUN_STEP_TO_MS;
	int at = -1, moved;

	while (ls_run_status(rv->run) == LS_RUN_RUNNING && *steps < RUN_STEP_TO_STEPS &&
	       tui_now_ms() < until) {
		if (who >= 0 && (m->actors[who].state == LS_AS_DONE ||
		                 m->actors[who].state == LS_AS_CRASHED))
			break;
		if (who >= 0 && m->actors[who].state == LS_AS_GATE && !ls_model_can_proceed(m, who))
			break;
		run_back_note(t);
		moved = ls_run_step(rv->run, who);
		if (moved < 0) {
			rv->nback--;
			ls_run_poll(rv->run, 10);
			if (who >= 0 && m->actors[who].state == LS_AS_GATE)
				break;
			continue;
		}
		ls_run_poll(rv->run, 1);
		run_life_feed(rv);
		rv->last_moved = moved;
		(*steps)++;
		run_guide_check(t);
		if ((at = run_step_at_line(m, who, line)) >= 0)
			break;
	}
	return at;
}

void
run_step_line_done(struct tui *t, const char *text)
{
	struct run_view *rv = &t->rv;
	const struct ls_model *m;
	int who, line, steps = 0, at;

	if (!rv->run || !run_step_check_live(t) || !(line = run_step_line_of(t, text)))
		return;
	run_step_pause(t);
	who = rv->to_all ? -1 : rv->sel;
	m = ls_run_model(rv->run);
	if ((at = run_step_to(t, who, line, &steps)) >= 0) {
		rv->sel = at;
		tui_message(t, C_MESSAGE, P_("%s reached line %d after %d step", "%s reached line %d after %d steps",
		                                  steps), m->actors[at].name, line, steps);
	} else if (who >= 0 && m->actors[who].state == LS_AS_GATE &&
	           !ls_model_can_proceed(m, who)) {
		tui_message(t, C_ERROR, P_("%s stopped short of line %d after %d step: it cannot move",
		                                "%s stopped short of line %d after %d steps: it cannot move", steps),
		            m->actors[who].name, line, steps);
	} else {
		tui_message(t, C_DIM, P_("no actor reached line %d (%d step taken%s)",
		                              "no actor reached line %d (%d steps taken%s)", steps), line, steps,
		            run_life_over(ls_run_status(rv->run)) ? _(": the run is over") : "");
	}
}

/* Space: a walkthrough's next step, else the policy's pick. */
void
run_step_space(struct tui *t)
{
	if (!run_guide_step(t))
		run_step_pick(t);
}

/* Enter: a walkthrough's next step, else the selected actor. */
void
run_step_enter(struct tui *t)
{
	if (!run_guide_step(t))
		run_step_selected(t);
}
