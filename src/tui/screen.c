/*
 * screen.c - what every screen shares: the clock, the message line, the top
 * bar and the key bar, and switching from one screen to another (through
 * the table tui.c hands over in struct tui, so this file knows no screen).
 * Must call nothing of a screen but its enter and leave.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "tui/tui_int.h"

#define TUI_MSG_MS     5000  /* how long a message stays */

double
tui_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void
tui_message(struct tui *t, enum tui_role r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_role = r;
	t->msg_until = tui_now_ms() + TUI_MSG_MS;
	t->msg_action = t->action;
	t->dirty = 1;
}

const struct tui_screen *
tui_current(const struct tui *t)
{
	return t->screens[t->screen];
}

void
tui_goto(struct tui *t, enum tui_screen_id to)
{
	const struct tui_screen *from = tui_current(t);

	/* A program opened by path has no lesson screen or menu to go back to. */
	if (t->program && to != TUI_RUN && to != TUI_EXPLORE) {
		t->quit = 1;
		return;
	}
	if (from->leave && to != t->screen)
		from->leave(t);
	/* Older news belongs to the screen it was said on. */
	if (t->msg_action != t->action)
		t->msg[0] = '\0';
	t->help = 0;
	t->screen = to;
	t->dirty = 1;
	if (tui_current(t)->enter)
		tui_current(t)->enter(t);
}

void
tui_draw_header(struct tui *t, const char *left, const char *right)
{
	int rw = right ? draw_width(right) : 0;

	(void)t;
	draw_fill(stdscr, 0, 0, COLS, C_TITLE, 0);
	draw_text(stdscr, 0, 1, COLS - rw - 3, C_TITLE, A_BOLD, left);
	if (right)
		draw_text(stdscr, 0, COLS - rw - 1, rw, C_TITLE, 0, right);
}

void
tui_draw_footer(struct tui *t, const char *const *keys)
{
	int y = LINES - 1, x = 0, n = 0, total = 0;
	char drop[32] = { 0 };

	draw_fill(stdscr, y, 0, COLS, C_STATUS, 0);
	while (keys && keys[2 * n] && keys[2 * n + 1] && n < (int)sizeof drop)
		n++;
	for (int i = 0; i < n; i++)
		total += draw_width(keys[2 * i]) + draw_width(keys[2 * i + 1]) + 3;
	/* Too many for the width: drop from the middle, keep the first and the last two. */
	for (int i = n - 3; i > 0 && total > COLS; i--) {
		drop[i] = 1;
		total -= draw_width(keys[2 * i]) + draw_width(keys[2 * i + 1]) + 3;
	}
	for (int i = 0; i < n; i++) {
		if (drop[i])
			continue;
		x += draw_text(stdscr, y, x + 1, COLS - x - 1, C_STATUS, A_BOLD, keys[2 * i]) + 1;
		x += draw_printf(stdscr, y, x, COLS - x, C_STATUS, 0, " %s ", keys[2 * i + 1]);
	}
	/* Drawn last so the cursor stays where the prompt put it. */
	if (t->prompt.active) {
		prompt_draw(&t->prompt, stdscr, LINES - 2, COLS);
	} else if (t->msg[0]) {
		int rows = tui_foot_rows(t) - 1;

		/* A message is a sentence to read whole: wrapped, never cut. */
		for (int r = LINES - 1 - rows; r < LINES - 1; r++)
			draw_fill(stdscr, r, 0, COLS, C_NORMAL, 0);
		draw_wrap(stdscr, (struct rect){ LINES - 1 - rows, 1, rows, COLS - 2 }, 0,
		          t->msg_role, t->msg);
	}
}

int
tui_foot_rows(const struct tui *t)
{
	int n;

	if (t->prompt.active || !t->msg[0])
		return 2;
	n = draw_wrap(NULL, (struct rect){ 0, 0, 0, COLS - 2 }, 0, C_NORMAL, t->msg);
	return n > 2 ? 3 : 1 + (n > 0 ? n : 1);
}
