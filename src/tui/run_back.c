/*
 * run_back.c - a stepped run, one step back:
 * 'u' steps back (a controlled run is deterministic, so the run made again
 * from its schedule minus the last step is the run as it was, and the
 * screen's own state is given back from a note taken before each step).
 * Must never draw.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui_int.h"


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

/* The screen as it was before the step, message line included. */
static void
run_back_restore(struct tui *t, const struct run_back_ui *ui)
{
	struct run_view *rv = &t->rv;

	rv->sel = ui->sel;
	rv->top = ui->top;
	rv->last_moved = ui->last_moved;
	rv->player.at = ui->walk_at;
	rv->history_back = ui->history_back;
	rv->tl_back = ui->tl_back;
	rv->src_top = ui->src_top;
	if (ui->msg[0])
		tui_message(t, ui->msg_role, "%s", ui->msg);
	else
		t->msg[0] = '\0';
	t->dirty = 1;
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
	run_back_restore(t, &ui);
}
