/*
 * draw.c - text on a window, clipped to a width and measured in display
 * columns, through the wide-character API so UTF-8 lesson text and actor
 * output (the tutorials print Chinese) line up.  Bytes the locale cannot
 * decode are shown as '?'.  Must never refresh the screen or keep state.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui_int.h"

#define DRAW_MAX 1024   /* wide characters handled per call; text beyond is cut */

/*
 * Decode s into out (at most max-1 characters) with each one's width.  Tabs
 * become spaces; newlines too, unless keep_newlines (then they stay, width 0,
 * as hard breaks for draw_wrap).
 */
static size_t
draw_decode(const char *s, wchar_t *out, int *width, size_t max, int keep_newlines)
{
	mbstate_t st;
	size_t n = 0, left = strlen(s);

	memset(&st, 0, sizeof st);
	while (left > 0 && n + 1 < max) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, left, &st);
		int cw;

		if (k == (size_t)-1 || k == (size_t)-2) {
			memset(&st, 0, sizeof st);
			wc = L'?';
			k = 1;
		} else if (k == 0) {
			break;
		}
		if (wc == L'\t' || (!keep_newlines && (wc == L'\n' || wc == L'\r')))
			wc = L' ';
		cw = wc == L'\n' ? 0 : wcwidth(wc);
		if (cw < 0) {
			wc = L'?';
			cw = 1;
		}
		out[n] = wc;
		width[n] = cw;
		n++;
		s += k;
		left -= k;
	}
	out[n] = L'\0';
	return n;
}

int
draw_width(const char *s)
{
	wchar_t ws[DRAW_MAX];
	int wd[DRAW_MAX], total = 0;
	size_t n = draw_decode(s, ws, wd, DRAW_MAX, 0);

	for (size_t i = 0; i < n; i++)
		total += wd[i];
	return total;
}

/* Draw n decoded characters, stopping before maxw columns; returns columns. */
static int
draw_wide(WINDOW *w, int y, int x, int maxw, const wchar_t *ws, const int *wd, size_t n)
{
	int cols = 0;
	size_t k = 0;

	while (k < n && cols + wd[k] <= maxw)
		cols += wd[k++];
	if (k > 0)
		mvwaddnwstr(w, y, x, ws, (int)k);
	return cols;
}

int
draw_text(WINDOW *w, int y, int x, int maxw, enum tui_role r, attr_t extra, const char *s)
{
	wchar_t ws[DRAW_MAX];
	int wd[DRAW_MAX], cols;
	size_t n;

	if (maxw <= 0 || y < 0 || x < 0 || y >= getmaxy(w) || x >= getmaxx(w))
		return 0;
	if (x + maxw > getmaxx(w))
		maxw = getmaxx(w) - x;
	n = draw_decode(s, ws, wd, DRAW_MAX, 0);
	theme_use(w, r, extra);
	cols = draw_wide(w, y, x, maxw, ws, wd, n);
	theme_use(w, C_NORMAL, 0);
	return cols;
}

int
draw_printf(WINDOW *w, int y, int x, int maxw, enum tui_role r, attr_t extra,
            const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return draw_text(w, y, x, maxw, r, extra, buf);
}

void
draw_fill(WINDOW *w, int y, int x, int n, enum tui_role r, attr_t extra)
{
	if (y < 0 || y >= getmaxy(w) || x < 0 || x >= getmaxx(w) || n <= 0)
		return;
	if (x + n > getmaxx(w))
		n = getmaxx(w) - x;
	theme_use(w, r, extra);
	mvwhline(w, y, x, ' ', n);
	theme_use(w, C_NORMAL, 0);
}

struct rect
draw_inside(struct rect b)
{
	struct rect in = { b.y + 1, b.x + 1, b.h - 2, b.w - 2 };

	if (b.h < 2 || b.w < 2)
		in.h = in.w = 0;
	return in;
}

struct rect
draw_box(WINDOW *w, struct rect b, enum tui_role r, const char *title)
{
	const struct theme_glyphs *g = theme_glyphs();
	struct rect in = draw_inside(b);
	cchar_t c;

	if (b.h < 2 || b.w < 2)
		return in;
	theme_cchar(&c, g->h, r, 0);
	mvwhline_set(w, b.y, b.x + 1, &c, b.w - 2);
	mvwhline_set(w, b.y + b.h - 1, b.x + 1, &c, b.w - 2);
	theme_cchar(&c, g->v, r, 0);
	mvwvline_set(w, b.y + 1, b.x, &c, b.h - 2);
	mvwvline_set(w, b.y + 1, b.x + b.w - 1, &c, b.h - 2);
	theme_cchar(&c, g->tl, r, 0);
	mvwadd_wch(w, b.y, b.x, &c);
	theme_cchar(&c, g->tr, r, 0);
	mvwadd_wch(w, b.y, b.x + b.w - 1, &c);
	theme_cchar(&c, g->bl, r, 0);
	mvwadd_wch(w, b.y + b.h - 1, b.x, &c);
	theme_cchar(&c, g->br, r, 0);
	/* The bottom-right cell of the screen is drawn too; ncurses copes. */
	mvwadd_wch(w, b.y + b.h - 1, b.x + b.w - 1, &c);
	if (title && *title && b.w > 6)
		draw_printf(w, b.y, b.x + 2, b.w - 4, C_PANE_TITLE, 0, " %s ", title);
	return in;
}

/*
 * Breaks at spaces when it can, inside a word when it must (CJK text has no
 * spaces); a newline in the text is a hard break.
 */
int
draw_wrap(WINDOW *w, struct rect area, int skip, enum tui_role r, const char *s)
{
	wchar_t ws[DRAW_MAX * 4];
	int wd[DRAW_MAX * 4];
	size_t n;
	int line = 0;

	if (area.w <= 0)
		return 0;
	n = draw_decode(s, ws, wd, DRAW_MAX * 4, 1);

	for (size_t i = 0; i < n;) {
		size_t start = i, brk = 0, end;
		int cols = 0, soft = 0, after = 0;

		/*
		 * Take characters while they fit; remember the last place to
		 * break: a space (dropped), or just after a wide character, as
		 * CJK text breaks between any two characters.
		 */
		while (i < n && ws[i] != L'\n' && cols + wd[i] <= area.w) {
			if (ws[i] == L' ') {
				brk = i;
				after = 0;
			} else if (wd[i] == 2) {
				brk = i + 1;
				after = 1;
			}
			cols += wd[i++];
		}
		if (i < n && ws[i] == L' ') {
			end = i++;          /* the word ended exactly at the edge */
			soft = 1;
		} else if (i < n && ws[i] != L'\n' && brk > start) {
			end = brk;          /* break at the space, drop it, or after a wide one */
			i = after ? brk : brk + 1;
			soft = 1;
		} else if (i < n && ws[i] == L'\n') {
			end = i++;          /* a hard break */
		} else if (i == start) {
			end = ++i;          /* a character wider than the area */
		} else {
			end = i;            /* a word longer than the line, cut */
			soft = i < n;
		}
		if (w && line >= skip && line - skip < area.h) {
			theme_use(w, r, 0);
			if (end > start)
				draw_wide(w, area.y + line - skip, area.x, area.w,
				          ws + start, wd + start, end - start);
			theme_use(w, C_NORMAL, 0);
		}
		line++;
		/* Spaces that would open a wrapped line are noise. */
		while (soft && i < n && ws[i] == L' ')
			i++;
	}
	return line;
}

void
draw_centered(WINDOW *w, int y, enum tui_role r, const char *s)
{
	int cols = getmaxx(w), wd = draw_width(s);
	int x = wd >= cols ? 0 : (cols - wd) / 2;

	draw_text(w, y, x, cols - x, r, 0, s);
}
