/*
 * run_layout.c - where each pane of panes_table[] goes: every pane at once
 * on a big terminal (in the bands the table names), or the story, one pane
 * behind tabs (the table's number keys), a side column from 120 columns and
 * the verdict on a small one.  A pure function of the run view and the
 * terminal's size, so the update path, the frame and a click all agree.
 * Also the update pass: each shown pane fits its scroll before a frame.
 * Must never draw and never know a pane by name.
 */
#include "config.h"

#include <string.h>

#include "tui/tui_int.h"

/* Every pane at once from this size up. */
#define RUN_LAYOUT_BIG_COLS 150
#define RUN_LAYOUT_BIG_ROWS 40
#define RUN_LAYOUT_SIDE_COLS 120    /* the small layout's side column from here */
#define RUN_LAYOUT_SIDE_PANES 2

int
run_layout_big(void)
{
	return COLS >= RUN_LAYOUT_BIG_COLS && LINES >= RUN_LAYOUT_BIG_ROWS;
}

static int
run_layout_clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void
run_layout_show(struct run_layout *L, int p, struct rect r)
{
	if (p < 0 || p >= RUN_LAYOUT_MAX || r.h < 3 || r.w < 8)
		return;
	L->at[p] = r;
	L->shown[p] = 1;
}

/* The first pane shown in the layouts of mask, or -1. */
static int
run_layout_find(unsigned mask)
{
	for (int p = 0; panes_table[p].pane && p < RUN_LAYOUT_MAX; p++)
		if (panes_table[p].layouts & mask)
			return p;
	return -1;
}

static int
run_layout_rows(const struct run_view *rv, int p, int width, int big)
{
	const struct tui_pane *pn = panes_table[p].pane;

	return pn->rows ? pn->rows(rv, width, big) : 0;
}

/* The most rows any pane of a band wants. */
static int
run_layout_band_rows(const struct run_view *rv, enum pane_band band, int width)
{
	int most = 0;

	for (int p = 0; panes_table[p].pane && p < RUN_LAYOUT_MAX; p++)
		if ((panes_table[p].layouts & PANE_BIG) && panes_table[p].band == band) {
			int r = run_layout_rows(rv, p, width, 1);

			most = r > most ? r : most;
		}
	return most;
}

/* A band's panes side by side in y, x, h, w: each its share, the last the rest. */
static void
run_layout_band(struct run_layout *L, enum pane_band band, int y, int x, int h, int w)
{
	int last = -1, at = x;

	for (int p = 0; panes_table[p].pane && p < RUN_LAYOUT_MAX; p++)
		if ((panes_table[p].layouts & PANE_BIG) && panes_table[p].band == band)
			last = p;
	for (int p = 0; p <= last; p++) {
		const struct panes_row *pn = &panes_table[p];
		int pw;

		if (!(pn->layouts & PANE_BIG) || pn->band != band)
			continue;
		pw = p == last ? x + w - at : w * pn->share / 100;
		run_layout_show(L, p, (struct rect){ y, at, h, pw });
		at += pw;
	}
}

/* Big terminals: story, source beside actors, objects and output, timeline beside the log, verdict. */
static void
run_layout_big_one(const struct run_view *rv, struct run_layout *L, int top, int bottom)
{
	int over = run_life_over(ls_run_status(rv->run));
	int story = run_layout_find(PANE_TOP), verdict = run_layout_find(PANE_BOTTOM);
	int avail = bottom - top, h, mh, sw, rw, ah;

	if (story >= 0) {
		h = run_layout_clamp(run_layout_rows(rv, story, COLS, 1), 3, 9);
		run_layout_show(L, story, (struct rect){ top, 0, h, COLS });
		top += h;
	}
	if (verdict >= 0) {
		h = run_layout_clamp(run_layout_rows(rv, verdict, COLS, 1), 3,
		                     over ? avail / 2 : avail / 5);
		run_layout_show(L, verdict, (struct rect){ bottom - h, 0, h, COLS });
		bottom -= h;
	}
	h = run_layout_clamp(run_layout_band_rows(rv, BAND_BOTTOM, COLS), 5, (bottom - top) / 3);
	run_layout_band(L, BAND_BOTTOM, bottom - h, 0, h, COLS);
	bottom -= h;
	mh = bottom - top;
	/* The source as wide as its lesson lines need (gutter, numbers, code),
	 * so no line is cut at 160 columns; the right side keeps 52. */
	sw = run_layout_clamp(rv->src.width + 16 > COLS / 2 ? rv->src.width + 16 : COLS / 2, 72,
	                      COLS - 52);
	rw = COLS - sw;
	run_layout_band(L, BAND_LEFT, top, 0, mh, sw);
	ah = run_layout_clamp(run_layout_band_rows(rv, BAND_RIGHT_TOP, rw), 4, mh * 55 / 100);
	run_layout_band(L, BAND_RIGHT_TOP, top, sw, ah, rw);
	run_layout_band(L, BAND_RIGHT, top + ah, sw, mh - ah, rw);
}

/*
 * Small terminals: one pane in the main area behind tabs (Tab, the number
 * keys), a side column of two more from 120 columns, a pane's one-row form
 * when that pane is not in view, the verdict at the bottom.
 */
static void
run_layout_small(const struct run_view *rv, struct run_layout *L, int top, int bottom)
{
	int over = run_life_over(ls_run_status(rv->run));
	int story = run_layout_find(PANE_TOP), verdict = run_layout_find(PANE_BOTTOM);
	int avail = bottom - top, h, mw = COLS;

	if (story >= 0 && (rv->walk >= 0 || rv->challenge >= 0 || LINES >= 34)) {
		h = run_layout_clamp(run_layout_rows(rv, story, COLS, 0), 3,
		                     rv->walk >= 0 ? (over ? 7 : 5) : rv->challenge >= 0 ? 5 : 6);
		run_layout_show(L, story, (struct rect){ top, 0, h, COLS });
		top += h;
	}
	if (verdict >= 0) {
		/* Over, the verdict is what a class reads: it may take all but a small pane. */
		h = run_layout_clamp(run_layout_rows(rv, verdict, COLS, 0), 3,
		                     over ? avail - 7 : avail / 4);
		run_layout_show(L, verdict, (struct rect){ bottom - h, 0, h, COLS });
		bottom -= h;
	}
	if (COLS >= RUN_LAYOUT_SIDE_COLS) {
		/* The side column: the first of the side panes the main area is not showing. */
		int sw = COLS * 40 / 100, y = top, k = 0;

		h = bottom - top;
		mw = COLS - sw;
		for (int p = 0; panes_table[p].pane && k < RUN_LAYOUT_SIDE_PANES; p++) {
			int ph;

			if (!(panes_table[p].layouts & PANE_SIDE) || p == rv->main_pane)
				continue;
			ph = k == 0 ? h / RUN_LAYOUT_SIDE_PANES : bottom - y;
			run_layout_show(L, p, (struct rect){ y, mw, ph, sw });
			y += ph;
			k++;
		}
	}
	for (int p = 0; panes_table[p].pane && p < RUN_LAYOUT_MAX && L->strip < 0; p++)
		if (panes_table[p].pane->strip && !L->shown[p] && p != rv->main_pane &&
		    bottom - top > 6) {
			L->strip = p;
			L->strip_y = bottom - 1;
			bottom--;
		}
	L->tabbed = 1;
	L->main = (struct rect){ top, 0, bottom - top, mw };
	run_layout_show(L, rv->main_pane, L->main);
}

/*
 * Presenter mode, for a projector: the story big on top (the narration, the
 * challenge or the lesson), one pane under it behind tabs, the verdict;
 * nothing at the side, no one-row forms.
 */
static void
run_layout_presenter(const struct run_view *rv, struct run_layout *L, int top, int bottom)
{
	int story = run_layout_find(PANE_TOP), verdict = run_layout_find(PANE_BOTTOM);
	int avail = bottom - top, h;

	if (story >= 0) {
		h = run_layout_clamp(run_layout_rows(rv, story, COLS, 0), 5, avail * 45 / 100);
		run_layout_show(L, story, (struct rect){ top, 0, h, COLS });
		top += h;
	}
	if (verdict >= 0) {
		h = run_layout_clamp(run_layout_rows(rv, verdict, COLS, 0), 3, avail / 5);
		run_layout_show(L, verdict, (struct rect){ bottom - h, 0, h, COLS });
		bottom -= h;
	}
	L->tabbed = 1;
	L->main = (struct rect){ top, 0, bottom - top, COLS };
	run_layout_show(L, rv->main_pane, L->main);
}

void
run_layout_compute(const struct run_view *rv, struct run_layout *L)
{
	memset(L, 0, sizeof *L);
	L->strip = L->strip_y = -1;
	L->big = run_layout_big() && !rv->presenter;
	if (rv->presenter)
		run_layout_presenter(rv, L, run_header_rows(rv), LINES - rv->foot_rows);
	else if (L->big)
		run_layout_big_one(rv, L, run_header_rows(rv), LINES - rv->foot_rows);
	else
		run_layout_small(rv, L, run_header_rows(rv), LINES - rv->foot_rows);
}

void
run_layout_update(struct tui *t)
{
	struct run_view *rv = &t->rv;
	struct run_layout L;

	rv->foot_rows = tui_foot_rows(t);
	if (!rv->run)
		return;
	run_layout_compute(rv, &L);
	for (int p = 0; panes_table[p].pane && p < RUN_LAYOUT_MAX; p++)
		if (L.shown[p] && panes_table[p].pane->update)
			panes_table[p].pane->update(rv, L.at[p]);
}

int
run_layout_tab_next(int from, int dir)
{
	int n = 0, p;

	while (panes_table[n].pane)
		n++;
	/* Around the table from from, to the next pane with a tab. */
	for (int k = 1; k <= n; k++) {
		p = (((from + dir * k) % n) + n) % n;
		if (panes_table[p].pane->key && (panes_table[p].layouts & PANE_TAB))
			return p;
	}
	return from;
}
