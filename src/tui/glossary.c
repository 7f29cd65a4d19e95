/*
 * glossary.c - the 'v' overlay: every term the lessons teach, in Chinese
 * and English at once with its meaning in both and the lesson that shows
 * it, read from the same table as `lockstep glossary`.  Drawn over the
 * current screen like the help; j/k and PgUp/PgDn scroll it, any other key
 * closes it.  Must never act on the screen under it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "report/glossary.h"
#include "tui/tui_int.h"

#define GLOSSARY_TEXT 8192     /* bytes: the whole glossary, UTF-8 */

/* The glossary as one text, a blank line between terms. */
static void
glossary_text(char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < ls_glossary_count && at < len; i++) {
		const struct ls_gloss *g = &ls_glossary[i];
		int n = snprintf(buf + at, len - at, "%s%s · %s  [%s]\n%s\n%s", i ? "\n\n" : "",
		                 g->zh, g->en, g->lesson, g->zh_means, g->en_means);

		at += n > 0 ? (size_t)n : 0;
	}
}

void
keys_glossary(struct tui *t, int key)
{
	(void)key;
	t->glossary = 1;
	t->glossary_top = 0;
}

/* A key while the glossary is up: 1 when it scrolled, 0 when it closes. */
int
glossary_key(struct tui *t, int key)
{
	switch (key) {
	case 'j':
	case TUI_FN(KEY_DOWN):
		t->glossary_top++;
		return 1;
	case 'k':
	case TUI_FN(KEY_UP):
		t->glossary_top = t->glossary_top > 0 ? t->glossary_top - 1 : 0;
		return 1;
	case ' ':
	case TUI_FN(KEY_NPAGE):
		t->glossary_top += LINES / 2;
		return 1;
	case TUI_FN(KEY_PPAGE):
		t->glossary_top = t->glossary_top > LINES / 2 ? t->glossary_top - LINES / 2 : 0;
		return 1;
	default:
		t->glossary = 0;
		return 0;
	}
}

void
glossary_draw(struct tui *t)
{
	static char text[GLOSSARY_TEXT];
	int w = COLS - 4 < 100 ? COLS - 4 : 100, h = LINES - 2, x = (COLS - w) / 2, y = 1;
	int lines, room;
	struct rect in;
	char hint[64];

	glossary_text(text, sizeof text);
	for (int r = 0; r < h; r++)
		draw_fill(stdscr, y + r, x, w, C_NORMAL, 0);
	in = draw_box(stdscr, (struct rect){ y, x, h, w }, C_PANE_TITLE, _("Glossary · 术语表"));
	if (in.h <= 0)
		return;
	lines = draw_wrap(NULL, (struct rect){ 0, 0, 0, in.w }, 0, C_NORMAL, text);
	room = in.h;
	if (t->glossary_top > lines - room)
		t->glossary_top = lines - room > 0 ? lines - room : 0;
	draw_wrap(stdscr, in, t->glossary_top, C_NORMAL, text);
	snprintf(hint, sizeof hint, " %s ", _("j/k PgDn scroll, any other key closes"));
	if (draw_width(hint) + 4 < w)
		draw_text(stdscr, y + h - 1, x + w - draw_width(hint) - 2, draw_width(hint), C_DIM, 0,
		          hint);
}
