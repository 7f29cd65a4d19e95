/*
 * run_view.c - the run view as a screen: the one struct tui_screen that
 * ties its parts together.  Its parts stand in layers, each calling only
 * those below it, never this file: the run's life run_life.c and the
 * header's words run_header.c; one step back run_back.c; a guided run
 * (walkthrough or challenge) run_guide.c; stepping run_step.c; the states
 * and the moves between them run_state.c; schedule files run_files.c; the
 * layout run_layout.c, the mouse run_mouse.c, the frame run_draw.c; the
 * keys run_keys.c.  Each pane is a file under panes/.  Must hold no logic
 * of its own beyond wiring.
 */
#include "config.h"

#include "tui/tui_int.h"

/* PgDn/PgUp in presenter mode: a step forward, a step back. */
static void
run_view_page(struct tui *t, int key)
{
	if (key == TUI_FN(KEY_PPAGE)) {
		run_back_step(t, key);
	} else {
		run_step_space(t);
	}
}

/* Leaving the view ends its run: actors aborted, joined or reaped. */
static void
run_view_leave(struct tui *t)
{
	run_life_free_run(&t->rv);
	run_guide_end(&t->rv);
	run_back_forget(&t->rv);
}

/* A view without a run (it failed to start again) has nothing to answer. */
static int
run_view_key(struct tui *t, int key)
{
	if (t->rv.run && t->rv.presenter &&
	    (key == TUI_FN(KEY_NPAGE) || key == TUI_FN(KEY_PPAGE))) {
		run_view_page(t, key);      /* a clicker's forward and back */
		return 1;
	}
	if (t->rv.run)
		return 0;
	tui_goto(t, TUI_SCENARIO);
	return 1;
}

const struct tui_screen run_view_screen = {
	.help_title = N_("Keys: run"),
	.keys = run_keys_table,
	.unbound = "? lists the keys",
	.key = run_view_key,
	.update = run_layout_update,
	.draw = run_draw,
	.tick = run_state_tick,
	.live = run_life_live,
	.leave = run_view_leave,
	.foot_mode = run_keys_foot_mode,
};
