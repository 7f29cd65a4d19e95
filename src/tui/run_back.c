/*
 * run_back.c - moving through a stepped run other than one step forward:
 * 'u' steps back (a controlled run is deterministic, so the run made again
 * from its schedule minus the last step is the run as it was, and the
 * screen's own state is given back from a note taken before each step),
 * 't'/'T' run the selected actor (or all) to a source line, as jBACI's
 * breakpoints, and 'P' the presenter mode, whose PgDn/PgUp (what a clicker
 * sends) step forward and back.  Must never draw.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui_int.h"

#define RUN_BACK_TO_STEPS 5000      /* run to a line: at most this many steps */
#define RUN_BACK_TO_MS 5000.0

void
run_back_forget(struct run_view *rv)
{
	free(rv->back);
	rv->back = NULL;
	rv->nback = rv->back_cap = 0;
}

void
run_back_note(struct tui *t)
{
	struct run_view *rv = &t->rv;
	const struct ls_schedule *sc;
	struct run_back_ui *ui;

	if (!rv->run || ls_run_policy(rv->run) != LS_POLICY_STEP)
		return;
	if (rv->nback == rv->back_cap) {
		size_t cap = rv->back_cap ? rv->back_cap * 2 : 64;
		struct run_back_ui *p = realloc(rv->back, cap * sizeof *p);

		if (!p)
			return;     /* 'u' will say there is nothing to go back to */
		rv->back = p;
		rv->back_cap = cap;
	}
	sc = ls_run_schedule(rv->run);
	ui = &rv->back[rv->nback++];
	memset(ui, 0, sizeof *ui);
	ui->steps = sc ? sc->len : 0;
	ui->sel = rv->sel;
	ui->top = rv->top;
	ui->last_moved = rv->last_moved;
	ui->walk_at = rv->player.at;
	ui->history_back = rv->history_back;
	ui->tl_back = rv->tl_back;
	ui->src_top = rv->src_top;
	if (t->msg[0] && t->msg_until > tui_now_ms())
		snprintf(ui->msg, sizeof ui->msg, "%s", t->msg);
	ui->msg_role = t->msg_role;
}

/* The run made again and stepped through its first n picks. */
static int
run_back_replay(struct tui *t, const int *steps, size_t n, char *err, size_t len)
{
	struct run_view *rv = &t->rv;
	size_t keep = rv->nback;

	run_life_free_run(rv);
	if (run_life_start(rv, err, len) < 0)
		return -1;
	rv->nback = keep;
	if (rv->challenge >= 0)
		ls_challenge_restart(&rv->play);
	for (size_t i = 0; i < n; i++) {
		if (ls_run_step(rv->run, steps[i]) != steps[i]) {
			snprintf(err, len, "step %zu did not replay (%s could not move)", i + 1,
			         ls_run_actor_names(rv->run)[steps[i]]);
			return -1;
		}
		ls_run_poll(rv->run, 1);
		run_life_feed(rv);
		if (rv->challenge >= 0)
			ls_challenge_update(&rv->play, rv->run, NULL);
	}
	rv->seen_status = (int)ls_run_status(rv->run);
	return 0;
}

void
run_back_step(struct tui *t, int key)
{
	struct run_view *rv = &t->rv;
	struct run_back_ui ui;
	const struct ls_schedule *sc;
	char err[400];
	int *steps;

	(void)key;
	if (!rv->run)
		return;
	if (ls_run_policy(rv->run) != LS_POLICY_STEP) {
		tui_message(t, C_DIM, _("u steps back in stepped runs (p pauses a free run: its "
		            "steps so far were the OS's, not a schedule)"));
		return;
	}
	if (rv->nback == 0) {
		tui_message(t, C_DIM, _("nothing to step back to: this is where the run began"));
		return;
	}
	ui = rv->back[rv->nback - 1];
	sc = ls_run_schedule(rv->run);
	if (!sc || ui.steps > sc->len) {
		run_back_forget(rv);
		tui_message(t, C_ERROR, _("cannot step back: the run's schedule is shorter than noted"));
		return;
	}
	steps = malloc((ui.steps ? ui.steps : 1) * sizeof *steps);
	if (!steps) {
		tui_message(t, C_ERROR, _("out of memory"));
		return;
	}
	if (ui.steps)
		memcpy(steps, sc->steps, ui.steps * sizeof *steps);
	rv->nback--;
	if (run_back_replay(t, steps, ui.steps, err, sizeof err) < 0) {
		free(steps);
		run_back_forget(rv);
		if (!rv->run) {
			tui_goto(t, TUI_SCENARIO);
			tui_message(t, C_ERROR, "%s", err);
			return;
		}
		tui_message(t, C_ERROR, _("cannot step back: %s"), err);
		return;
	}
	free(steps);
	rv->sel = ui.sel;
	rv->top = ui.top;
	rv->last_moved = ui.last_moved;
	rv->player.at = ui.walk_at;
	rv->history_back = ui.history_back;
	rv->tl_back = ui.tl_back;
	rv->src_top = ui.src_top;
	/* The screen as it was, message line included. */
	if (ui.msg[0])
		tui_message(t, ui.msg_role, "%s", ui.msg);
	else
		t->msg[0] = '\0';
	t->dirty = 1;
}

/* ---- run to a line ---- */

void
run_back_ask_line(struct tui *t, int key)
{
	struct run_view *rv = &t->rv;
	char label[96];

	if (!run_step_check_live(t))
		return;
	rv->to_all = key == 'T';
	if (rv->to_all)
		snprintf(label, sizeof label, "run all to line:");
	else
		snprintf(label, sizeof label, "run %s to line:",
		         ls_run_actor_names(rv->run)[rv->sel]);
	prompt_open(&t->prompt, PROMPT_LINE, label, "");
}

/* Is some actor (or actor who, if >= 0) parked on line? */
static int
run_back_at_line(const struct ls_model *m, int who, int line)
{
	for (int i = 0; i < m->nactors; i++)
		if ((who < 0 || who == i) && m->actors[i].state == LS_AS_GATE &&
		    m->actors[i].line == line)
			return i;
	return -1;
}

void
run_back_prompt_done(struct tui *t, const char *text)
{
	struct run_view *rv = &t->rv;
	const struct ls_model *m;
	int who, line, steps = 0, at = -1;
	double until = tui_now_ms() + RUN_BACK_TO_MS;
	char *end;
	long v;

	if (!rv->run || !run_step_check_live(t))
		return;
	v = strtol(text, &end, 10);
	while (*end == ' ')
		end++;
	if (end == text || *end || v < 1 || v > (rv->src.n > 0 ? rv->src.n : 100000)) {
		tui_message(t, C_ERROR, _("'%s' is not a line of %s (1..%d)"), text, rv->s->name,
		            rv->src.n);
		return;
	}
	line = (int)v;
	if (rv->walk >= 0) {
		tui_message(t, C_DIM, _("a walkthrough follows its script: space takes its next step"));
		return;
	}
	if (ls_run_policy(rv->run) == LS_POLICY_REPLAY) {
		tui_message(t, C_DIM, _("a replay follows its schedule: space takes its next step"));
		return;
	}
	run_step_pause(t);
	who = rv->to_all ? -1 : rv->sel;
	m = ls_run_model(rv->run);
	while (ls_run_status(rv->run) == LS_RUN_RUNNING && steps < RUN_BACK_TO_STEPS &&
	       tui_now_ms() < until) {
		int moved, next = who;

		if (next >= 0 && (m->actors[next].state == LS_AS_DONE ||
		                  m->actors[next].state == LS_AS_CRASHED))
			break;
		if (next >= 0 && m->actors[next].state == LS_AS_GATE &&
		    !ls_model_can_proceed(m, next))
			break;
		run_back_note(t);
		moved = ls_run_step(rv->run, next);
		if (moved < 0) {
			rv->nback--;
			ls_run_poll(rv->run, 10);
			if (next >= 0 && m->actors[next].state == LS_AS_GATE)
				break;
			continue;
		}
		ls_run_poll(rv->run, 1);
		run_life_feed(rv);
		rv->last_moved = moved;
		steps++;
		run_challenge_check(t);
		if ((at = run_back_at_line(m, who, line)) >= 0)
			break;
	}
	if (at >= 0) {
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

/* ---- presenter mode ---- */

void
run_back_presenter(struct tui *t, int key)
{
	(void)key;
	t->rv.presenter = !t->rv.presenter;
	tui_message(t, C_MESSAGE, t->rv.presenter
	            ? "presenter mode: PgDn steps, PgUp steps back, P leaves it"
	            : "presenter mode off: every pane again");
}

void
run_back_page(struct tui *t, int key)
{
	if (key == TUI_FN(KEY_PPAGE)) {
		run_back_step(t, key);
	} else if (t->rv.walk >= 0) {
		run_walk_step(t);
	} else {
		run_step_pick(t);
	}
}
