/*
 * menu.c - the first screen: the lessons of ls_scenarios[], one per entry,
 * with the selected one's lesson text below when there is room.  Must never
 * start a run: opening a lesson goes to its scenario screen.
 */
#include "config.h"

#include <string.h>

#include "tui/tui_int.h"

void
menu_draw(struct tui *t)
{
	static const char *const keys[] = {
		"Enter", "open", "j/k", "move", "?", "help", "q", "quit", NULL
	};
	const struct theme_glyphs *g = theme_glyphs();
	int avail = LINES - 3, namew = 0, per_page, list_h;
	struct rect in;
	char right[64];

	snprintf(right, sizeof right, "%d lesson%s", t->nscen, t->nscen == 1 ? "" : "s");
	tui_draw_header(t, "lockstep " PACKAGE_VERSION " - concurrency in real threads and processes",
	                right);
	for (int i = 0; i < t->nscen; i++) {
		int n = draw_width(ls_scenarios[i]->name);
		namew = n > namew ? n : namew;
	}
	/* The list first; the selected lesson's text below when 5 rows are left. */
	list_h = 2 * t->nscen + 2;
	if (list_h > avail)
		list_h = avail;
	in = draw_box(stdscr, (struct rect){ 1, 0, list_h, COLS }, C_BORDER, "Lessons");
	per_page = in.h / 2 > 0 ? in.h / 2 : 1;
	if (t->menu_sel < t->menu_top)
		t->menu_top = t->menu_sel;
	if (t->menu_sel >= t->menu_top + per_page)
		t->menu_top = t->menu_sel - per_page + 1;
	for (int i = t->menu_top; i < t->nscen && i < t->menu_top + per_page; i++) {
		const struct ls_scenario *s = ls_scenarios[i];
		int y = in.y + 2 * (i - t->menu_top), sel = i == t->menu_sel;
		attr_t ex = sel ? A_REVERSE : 0;
		int x = in.x;

		if (sel) {
			draw_fill(stdscr, y, in.x, in.w, C_NORMAL, ex);
			draw_fill(stdscr, y + 1, in.x, in.w, C_NORMAL, ex);
		}
		x += draw_printf(stdscr, y, x, in.w, C_NORMAL, ex, "%lc ",
		                 sel ? (wint_t)g->pointer : (wint_t)L' ');
		draw_text(stdscr, y, x, namew, C_PANE_TITLE, ex, s->name);
		x += namew + 2;
		draw_text(stdscr, y, x, in.x + in.w - x, C_NORMAL, ex, s->title);
		draw_printf(stdscr, y + 1, in.x + namew + 4, in.w - namew - 4, C_DIM, ex,
		            "mirrors %s", s->seed ? s->seed : "-");
	}
	if (t->menu_top > 0)
		draw_printf(stdscr, 1, COLS - 4, 1, C_BORDER, 0, "%lc", (wint_t)g->more_up);
	if (t->menu_top + per_page < t->nscen)
		draw_printf(stdscr, list_h, COLS - 4, 1, C_BORDER, 0, "%lc", (wint_t)g->more_down);
	if (avail - list_h >= 5 && t->nscen > 0) {
		const struct ls_scenario *s = ls_scenarios[t->menu_sel];
		struct rect b = { 1 + list_h, 0, avail - list_h, COLS };

		in = draw_box(stdscr, b, C_BORDER, s->name);
		panes_lesson(stdscr, in, s, 0);
	}
	tui_draw_footer(t, keys);
}

void
menu_key(struct tui *t, int key)
{
	switch (key) {
	case 'q':
		t->quit = 1;
		break;
	case 'k':
	case TUI_FN(KEY_UP):
		if (t->menu_sel > 0)
			t->menu_sel--;
		break;
	case 'j':
	case TUI_FN(KEY_DOWN):
		if (t->menu_sel + 1 < t->nscen)
			t->menu_sel++;
		break;
	case TUI_FN(KEY_HOME):
	case 'g':
		t->menu_sel = 0;
		break;
	case TUI_FN(KEY_END):
	case 'G':
		t->menu_sel = t->nscen > 0 ? t->nscen - 1 : 0;
		break;
	case '\n':
	case '\r':
	case ' ':
	case TUI_FN(KEY_ENTER):
	case TUI_FN(KEY_RIGHT):
	case 'l':
		if (t->nscen > 0)
			scenario_view_open(t, t->menu_sel);
		break;
	default:
		tui_message(t, C_DIM, "Enter opens a lesson, q quits, ? lists the keys");
		break;
	}
}
