/*
 * menu.c - the first screen: the lessons of ls_scenarios[], one per entry,
 * with the selected one's lesson text below when there is room.  Its keys
 * are menu_keys[]; the help and the footer read them.  Must never start a
 * run: opening a lesson goes to its scenario screen.
 */
#include "config.h"

#include <string.h>

#include "tui/tui_int.h"

static void
menu_key_move(struct tui *t, int key)
{
	switch (key) {
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
	default:        /* End, G */
		t->menu_sel = t->nscen > 0 ? t->nscen - 1 : 0;
		break;
	}
}

static void
menu_key_open(struct tui *t, int key)
{
	(void)key;
	if (t->nscen > 0)
		scenario_view_open(t, t->menu_sel);
}

static void
menu_key_quit(struct tui *t, int key)
{
	(void)key;
	t->quit = 1;
}

static const struct tui_key menu_keys[] = {
	{ .name = "Up/Down j/k", .help = N_("choose a lesson"), .act = menu_key_move,
	  .keys = { 'k', TUI_FN(KEY_UP), 'j', TUI_FN(KEY_DOWN), TUI_FN(KEY_HOME), 'g',
	            TUI_FN(KEY_END), 'G' },
	  .foot_key = "j/k", .foot = { { 2, N_("move") } } },
	{ .name = "Enter", .help = N_("open it: its text, parameters and ways to run it"),
	  .act = menu_key_open,
	  .keys = { '\n', '\r', ' ', TUI_FN(KEY_ENTER), TUI_FN(KEY_RIGHT), 'l' },
	  .foot = { { 1, N_("open") } } },
	{ .name = "v", .help = N_("glossary: the terms in Chinese and English (also in a run)"),
	  .act = keys_glossary,
	  .keys = { 'v' } },
	{ .name = "?", .help = N_("this help"), .act = keys_help, .keys = { '?', TUI_FN(KEY_F(1)) },
	  .foot = { { 3, N_("help") } } },
	{ .name = "q", .help = N_("quit lockstep"), .act = menu_key_quit, .keys = { 'q' },
	  .foot = { { 4, N_("quit") } } },
	{ .name = NULL }
};

/* The list's box: two rows a lesson, the rest for the selected one's text. */
static int
menu_list_rows(const struct tui *t)
{
	int list_h = 2 * t->nscen + 2, avail = LINES - 3;

	return list_h > avail ? avail : list_h;
}

static int
menu_per_page(const struct tui *t)
{
	int in_h = menu_list_rows(t) - 2;

	return in_h / 2 > 0 ? in_h / 2 : 1;
}

/* Before a frame: the selection in view. */
static void
menu_update(struct tui *t)
{
	int per_page = menu_per_page(t);

	if (t->menu_sel < t->menu_top)
		t->menu_top = t->menu_sel;
	if (t->menu_sel >= t->menu_top + per_page)
		t->menu_top = t->menu_sel - per_page + 1;
}

static void
menu_draw(struct tui *t)
{
	const struct theme_glyphs *g = theme_glyphs();
	int avail = LINES - 3, namew = 0, per_page, list_h;
	struct rect in;
	char right[64], left[160];

	snprintf(right, sizeof right, P_("%d lesson", "%d lessons", t->nscen), t->nscen);
	snprintf(left, sizeof left, _("lockstep %s - concurrency in real threads and processes"),
	         PACKAGE_VERSION);
	tui_draw_header(t, left, right);
	for (int i = 0; i < t->nscen; i++) {
		int n = draw_width(ls_scenarios[i]->name);
		namew = n > namew ? n : namew;
	}
	/* The list first; the selected lesson's text below when 5 rows are left. */
	list_h = menu_list_rows(t);
	in = draw_box(stdscr, (struct rect){ 1, 0, list_h, COLS }, C_BORDER, _("Lessons"));
	per_page = menu_per_page(t);
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
		                 sel ? (wint_t)g->cursor : (wint_t)L' ');
		draw_text(stdscr, y, x, namew, C_PANE_TITLE, ex, s->name);
		x += namew + 2;
		draw_text(stdscr, y, x, in.x + in.w - x, C_NORMAL, ex, _(s->title));
		draw_printf(stdscr, y + 1, in.x + namew + 4, in.w - namew - 4, C_DIM, ex,
		            _("mirrors tutorial %s"), s->seed ? s->seed : "-");
	}
	if (t->menu_top > 0)
		draw_printf(stdscr, 1, COLS - 4, 1, C_BORDER, 0, "%lc", (wint_t)g->more_up);
	if (t->menu_top + per_page < t->nscen)
		draw_printf(stdscr, list_h, COLS - 4, 1, C_BORDER, 0, "%lc", (wint_t)g->more_down);
	if (avail - list_h >= 5 && t->nscen > 0) {
		const struct ls_scenario *s = ls_scenarios[t->menu_sel];
		struct rect b = { 1 + list_h, 0, avail - list_h, COLS };

		in = draw_box(stdscr, b, C_BORDER, s->name);
		lesson_draw(stdscr, in, s, NULL, 0);
	}
	keys_footer(t, menu_keys, 0);
}

const struct tui_screen menu_screen = {
	.help_title = N_("Keys: menu"),
	.keys = menu_keys,
	.unbound = "Enter opens a lesson, q quits, ? lists the keys",
	.update = menu_update,
	.draw = menu_draw,
};
