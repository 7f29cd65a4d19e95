/*
 * help.c - the '?' overlay: every key of the current screen, drawn over it
 * in a box, read off the screen's own key table (the one the dispatcher
 * and the footer read), so the help cannot drift from what the keys do.
 * Must never act on a key.
 */
#include "config.h"

#include "tui/tui_int.h"

#define HELP_ROWS 32            /* entries shown: more than any screen has */

void
help_draw(struct tui *t)
{
	const struct tui_screen *sc = tui_current(t);
	const struct tui_key *rows[HELP_ROWS];
	char names[HELP_ROWS][32];
	int n = 0, keyw = 0, w, h, y, x, descw, lines = 0, pad;
	struct rect in;

	int all = 0, room;

	for (const struct tui_key *k = sc->keys; k && k->name; k++)
		all += k->help != NULL;
	/* A 24-row terminal holds the essential keys; spare ones need more. */
	room = all + 4 <= LINES;
	for (const struct tui_key *k = sc->keys; k && k->name && n < HELP_ROWS; k++) {
		int kw;

		if (!k->help || (k->spare && !room))
			continue;
		keys_name(k, names[n], sizeof names[n]);
		kw = draw_width(names[n]);
		keyw = kw > keyw ? kw : keyw;
		rows[n++] = k;
	}
	w = COLS - 8 < 90 ? COLS - 8 : 90;
	descw = w - keyw - 6;
	/* Descriptions wrap under themselves at narrow widths. */
	for (int i = 0; i < n; i++)
		lines += draw_wrap(NULL, (struct rect){ 0, 0, 0, descw }, 0, C_NORMAL, _(rows[i]->help));
	/* Tight: over the header and the footer too, then without the blank rows. */
	pad = lines + 4 <= LINES ? 1 : 0;
	h = lines + 2 + 2 * pad;
	h = h < LINES ? h : LINES;
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	for (int r = 0; r < h; r++)
		draw_fill(stdscr, y + r, x, w, C_NORMAL, 0);
	in = draw_box(stdscr, (struct rect){ y, x, h, w }, C_PANE_TITLE, _(sc->help_title));
	for (int i = 0, row = in.y + pad; i < n && row < in.y + in.h - pad; i++) {
		struct rect d = { row, in.x + keyw + 3, in.y + in.h - 1 - row, descw };

		draw_text(stdscr, row, in.x + 1, keyw, C_KEY, 0, names[i]);
		row += draw_wrap(stdscr, d, 0, C_NORMAL, _(rows[i]->help));
	}
	draw_text(stdscr, y + h - 1, x + w - 22, 20, C_DIM, 0, _(" any key closes "));
}
