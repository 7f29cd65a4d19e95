/*
 * run_draw.c - one frame of the run view: the header (lesson, policy,
 * variant, steps, time, status), every pane the layout shows, the tabs over
 * the main pane on small screens, a pane's one-row form, and the footer
 * read off run_keys_table[].  Must only read: scroll and selection were
 * fitted by the update pass (run_layout_update) before the frame.
 */
#include "config.h"

#include <stdio.h>

#include "tui/tui_int.h"

static void
run_draw_header(struct tui *t)
{
	const struct run_view *rv = &t->rv;
	const struct ls_model *m = ls_run_model(rv->run);
	enum ls_run_status st = ls_run_status(rv->run);
	char left[256], right[256], tag[40];
	int tw, rw, rows = run_header_rows(rv), ry = rows - 1;

	run_header_text(rv, left, sizeof left, right, sizeof right, tag, sizeof tag);
	tw = draw_width(tag);
	rw = draw_width(right);
	for (int y = 0; y < rows; y++)
		draw_fill(stdscr, y, 0, COLS, C_TITLE, 0);
	draw_text(stdscr, ry, COLS - rw - 1, rw, C_TITLE, m->dropped ? A_BOLD : 0, right);
	draw_text(stdscr, ry, COLS - rw - tw - 2, tw, run_life_over(st) ? C_RUN_STOPPED : C_RUN_LIVE,
	          A_BOLD, tag);
	draw_text(stdscr, 0, 1, rows > 1 ? COLS - 2 : COLS - rw - tw - 4, C_TITLE, A_BOLD, left);
}

/* The tab bar over the main pane's top border: the table's panes with a key. */
static void
run_draw_tabs(struct rect b, int active)
{
	const struct theme_glyphs *g = theme_glyphs();
	int x = b.x + 1, end = b.x + b.w - 4, need = 0, shortn;
	cchar_t c;

	for (int p = 0; panes_table[p].pane; p++)
		if (panes_table[p].pane->key)
			need += draw_width(_(panes_table[p].pane->name)) + 4;
	shortn = need > end - x;
	theme_cchar(&c, g->h, C_BORDER, 0);
	mvwhline_set(stdscr, b.y, x, &c, (need < end - x ? need : end - x) + 1);
	for (int p = 0; panes_table[p].pane && x < end; p++) {
		const struct tui_pane *pn = panes_table[p].pane;
		char label[32];

		if (!pn->key)
			continue;
		/* Narrow: only the active pane keeps its name. */
		if (shortn && p != active)
			snprintf(label, sizeof label, " %c ", pn->key);
		else
			snprintf(label, sizeof label, " %c %s ", pn->key, _(pn->name));
		x += draw_text(stdscr, b.y, x, end - x, p == active ? C_TAB_ACTIVE : C_TAB,
		               p == active ? A_BOLD : 0, label);
	}
}

void
run_draw(struct tui *t)
{
	struct run_view *rv = &t->rv;
	struct run_layout L;

	rv->foot_rows = tui_foot_rows(t);
	if (!rv->run) {
		tui_draw_header(t, "no run", NULL);
		tui_draw_footer(t, NULL);
		return;
	}
	run_draw_header(t);
	run_layout_compute(rv, &L);
	for (int p = 0; panes_table[p].pane && p < RUN_LAYOUT_MAX; p++)
		if (L.shown[p])
			panes_table[p].pane->draw(stdscr, L.at[p], rv);
	if (L.tabbed)
		run_draw_tabs(L.main, rv->main_pane);
	if (L.strip >= 0)
		panes_table[L.strip].pane->strip(stdscr, L.strip_y, 1, COLS - 2, rv);
	keys_footer(t, run_keys_table, run_keys_foot_mode(t));
}
