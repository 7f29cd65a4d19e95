/*
 * prompt.c - a one-line text editor drawn on the message row, so the main
 * loop keeps polling the run while the user types (a blocking getstr() would
 * freeze the run and the signal checks).  Must never act on what is typed:
 * the screen that opened it does, through its purpose tag.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui/tui_int.h"

void
prompt_open(struct prompt *p, int purpose, const char *label, const char *init)
{
	mbstate_t st;
	const char *src = init ? init : "";
	size_t n;

	memset(p, 0, sizeof *p);
	p->active = 1;
	p->purpose = purpose;
	strncpy(p->label, label, sizeof p->label - 1);
	memset(&st, 0, sizeof st);
	n = mbsrtowcs(p->buf, &src, sizeof p->buf / sizeof p->buf[0] - 1, &st);
	p->len = n == (size_t)-1 ? 0 : n;
	p->buf[p->len] = L'\0';
}

enum prompt_result
prompt_key(struct prompt *p, int key)
{
	switch (key) {
	case '\n':
	case '\r':
	case TUI_FN(KEY_ENTER):
		p->active = 0;
		return PROMPT_DONE;
	case TUI_ESC:
	case TUI_CTRL('g'):
		p->active = 0;
		return PROMPT_CANCEL;
	case TUI_FN(KEY_BACKSPACE):
	case 127:
	case TUI_CTRL('h'):
		if (p->len > 0)
			p->buf[--p->len] = L'\0';
		return PROMPT_EDITING;
	case TUI_CTRL('u'):
		p->len = 0;
		p->buf[0] = L'\0';
		return PROMPT_EDITING;
	}
	if (!TUI_IS_FN(key) && key >= ' ' && wcwidth((wchar_t)key) > 0 &&
	    p->len + 1 < sizeof p->buf / sizeof p->buf[0]) {
		p->buf[p->len++] = (wchar_t)key;
		p->buf[p->len] = L'\0';
	}
	return PROMPT_EDITING;
}

void
prompt_text(const struct prompt *p, char *out, size_t len)
{
	const wchar_t *src = p->buf;
	mbstate_t st;
	size_t n;

	memset(&st, 0, sizeof st);
	n = wcsrtombs(out, &src, len - 1, &st);
	if (n == (size_t)-1)
		n = 0;
	out[n] = '\0';
}

void
prompt_draw(const struct prompt *p, WINDOW *w, int y, int cols)
{
	char text[sizeof p->buf];
	int x;

	draw_fill(w, y, 0, cols, C_NORMAL, 0);
	x = draw_printf(w, y, 0, cols, C_MESSAGE, 0, "%s ", p->label);
	prompt_text(p, text, sizeof text);
	/* Show the end of a long entry: that is where the cursor is. */
	while (*text && draw_width(text) > cols - x - 1) {
		int k = mblen(text, strlen(text));

		memmove(text, text + (k > 0 ? k : 1), strlen(text) - (size_t)(k > 0 ? k : 1) + 1);
	}
	x += draw_text(w, y, x, cols - x, C_NORMAL, A_UNDERLINE, text);
	wmove(w, y, x < cols ? x : cols - 1);
}
