/*
 * help.c - the '?' overlay: every key of the current screen, drawn over it
 * in a box.  The tables here are the reference for what each screen does;
 * keep them in step with the *_key() functions.  Must never act on a key.
 */
#include "config.h"

#include "tui/tui_int.h"

struct help_key {
	const char *key;
	const char *what;
};

static const struct help_key help_menu[] = {
	{ "Up/Down j/k", "choose a lesson" },
	{ "Enter", "open it: its text, parameters and ways to run it" },
	{ "?", "this help" },
	{ "q", "quit lockstep" },
	{ NULL, NULL }
};

static const struct help_key help_scenario[] = {
	{ "Up/Down j/k", "choose a parameter, the actor kind or a way to run" },
	{ "Left/Right - +", "change the chosen value by one" },
	{ "Enter e", "type a value for the chosen parameter (checked against its range)" },
	{ "l", "cycle the lesson's variant (e.g. locked 0/1)" },
	{ "t", "actors as threads or as forked processes" },
	{ "d", "back to the default values" },
	{ "s", "stepped run: you choose who moves, one operation at a time" },
	{ "g", "free run: real threads/processes, the OS schedules" },
	{ "r", "random run: a seeded random schedule (the seed is shown)" },
	{ "w", "walkthrough: a curated run narrated step by step (space)" },
	{ "x", "explore: run every interleaving, outcomes with a witness each" },
	{ "PgUp/PgDn", "scroll the lesson text" },
	{ "q Esc", "back to the menu" },
	{ NULL, NULL }
};

static const struct help_key help_explore[] = {
	{ "Up/Down j/k", "choose an outcome" },
	{ "Enter", "replay its witness schedule in the run view (space steps, g plays)" },
	{ "x", "explore again" },
	{ "q Esc", "stop a search that is running; then back to the lesson" },
	{ NULL, NULL }
};

/* One line each at 80 columns: the whole list fits a 24-row terminal. */
static const struct help_key help_run[] = {
	{ "space", "step the marked actor (walkthrough: the next step)" },
	{ "Enter", "step the selected actor (refused if it is blocked)" },
	{ "Up/Down j/k", "select an actor (or click it); PgUp/PgDn/Home/End" },
	{ "Tab 1-6", "small screens: the pane shown (Shift-Tab: back)" },
	{ "g", "run free: the OS schedules (a replay: play it)" },
	{ "p", "pause: back to stepping" },
	{ "+ -", "slower / faster (free sleeps, paced random/replay)" },
	{ "r", "reset: same parameters, policy, seed, schedule" },
	{ "l", "toggle the variant (e.g. locked) and reset" },
	{ "w", "narrated walkthrough; again for the next one" },
	{ "s", "save the schedule so far (for o, lockstep run)" },
	{ "o", "load a schedule file and replay it, step by step" },
	{ "[ ]", "scroll the log and the timeline back / forward" },
	{ "q Esc", "stop the run (actors ended and reaped), go back" },
	{ "Ctrl-C", "quit lockstep at once, cleaning up" },
	{ "? F1", "this help" },
	{ NULL, NULL }
};

void
help_draw(struct tui *t)
{
	const struct help_key *keys = help_menu;
	const char *title = "Keys: menu";
	int n = 0, keyw = 0, w, h, y, x, descw, lines = 0;
	struct rect in;

	if (t->screen == TUI_SCENARIO) {
		keys = help_scenario;
		title = "Keys: lesson";
	} else if (t->screen == TUI_RUN) {
		keys = help_run;
		title = "Keys: run";
	} else if (t->screen == TUI_EXPLORE) {
		keys = help_explore;
		title = "Keys: explore";
	}
	for (n = 0; keys[n].key; n++) {
		int kw = draw_width(keys[n].key);
		keyw = kw > keyw ? kw : keyw;
	}
	w = COLS - 8 < 90 ? COLS - 8 : 90;
	descw = w - keyw - 6;
	/* Descriptions wrap under themselves at narrow widths. */
	for (int i = 0; i < n; i++)
		lines += draw_wrap(NULL, (struct rect){ 0, 0, 0, descw }, 0, C_NORMAL, keys[i].what);
	h = lines + 4 < LINES - 2 ? lines + 4 : LINES - 2;
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	for (int r = 0; r < h; r++)
		draw_fill(stdscr, y + r, x, w, C_NORMAL, 0);
	in = draw_box(stdscr, (struct rect){ y, x, h, w }, C_PANE_TITLE, title);
	for (int i = 0, row = in.y + 1; i < n && row < in.y + in.h - 1; i++) {
		struct rect d = { row, in.x + keyw + 3, in.y + in.h - 1 - row, descw };

		draw_text(stdscr, row, in.x + 1, keyw, C_KEY, 0, keys[i].key);
		row += draw_wrap(stdscr, d, 0, C_NORMAL, keys[i].what);
	}
	draw_text(stdscr, y + h - 1, x + w - 22, 20, C_DIM, 0, " any key closes ");
}
