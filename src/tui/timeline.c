/*
 * timeline.c - the timeline pane: a lane per actor over time, running,
 * ready, blocked and sleeping spans, critical sections (holding a lock or
 * semaphore) and lock hand-offs, drawn from the columns of timeline_fold.c.
 * Must never change the run.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui_int.h"

/* ---- the pane ---- */

int
panes_timeline_rows(const struct run_view *rv)
{
	return rv->tl.nactors + 3;
}

static wchar_t
timeline_glyph(uint8_t cell, enum tui_role *role, attr_t *attr)
{
	const struct theme_glyphs *g = theme_glyphs();
	int hold = (cell & TL_HOLD) != 0;

	*attr = 0;
	if (cell & TL_HANDOFF) {
		*role = C_OWNER;
		*attr = A_BOLD;
		return g->tl_handoff;
	}
	switch (cell & TL_STATE) {
	case TL_RUN:
		*role = hold ? C_OWNER : C_ACTOR_RUNNING;
		return hold ? g->tl_run_hold : g->tl_run;
	case TL_READY:
		*role = hold ? C_OWNER : C_DIM;
		return hold ? g->tl_idle_hold : g->tl_ready;
	case TL_BLOCKED:
		*role = C_ACTOR_BLOCKED;
		return hold ? g->tl_idle_hold : g->tl_blocked;
	case TL_SLEEP:
		*role = hold ? C_OWNER : C_ACTOR_SLEEPING;
		return g->tl_sleep;
	case TL_CRASH:
		*role = C_ACTOR_CRASHED;
		return g->tl_crash;
	}
	*role = C_NORMAL;
	return L' ';
}

/* The legend, as long as the border has room for. */
static void
timeline_legend(WINDOW *w, struct rect b)
{
	const struct theme_glyphs *g = theme_glyphs();
	static const struct { int state; const char *what; } items[] = {
		{ TL_RUN, N_("ran") },
		{ TL_RUN | TL_HOLD, N_("ran holding a lock") },
		{ TL_READY, N_("ready") },
		{ TL_BLOCKED, N_("blocked") },
		{ TL_SLEEP, N_("sleeping") },
		{ TL_READY | TL_HOLD, N_("holds, idle") },
		{ TL_HANDOFF, N_("got the lock it waited for") },
	};
	int x = b.x + 2, end = b.x + b.w - 2;

	(void)g;
	for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
		enum tui_role r;
		attr_t at;
		wchar_t ch = timeline_glyph((uint8_t)items[i].state, &r, &at);
		const char *what = _(items[i].what);
		int need = draw_width(what) + 4;

		if (x + need > end)
			break;
		x += draw_printf(w, b.y + b.h - 1, x, 2, r, at, " %lc", (wint_t)ch);
		x += draw_printf(w, b.y + b.h - 1, x, end - x, C_DIM, 0, " %s", what);
	}
	if (x > b.x + 2 && x < end)
		draw_text(w, b.y + b.h - 1, x, 1, C_DIM, 0, " ");
}

void
panes_timeline(WINDOW *w, struct rect b, struct run_view *rv)
{
	const struct ls_model *m = ls_run_model(rv->run);
	const struct timeline *tl = &rv->tl;
	const struct theme_glyphs *g = theme_glyphs();
	int gated = ls_run_policy(rv->run) != LS_POLICY_FREE;
	int namew = 2, cols, lanes, last_label_x = -100, n = 0, selpos = 0, reordered = 0;
	int *order;
	uint64_t kept = tl->ncols < TL_CAP ? tl->ncols : TL_CAP;
	uint64_t oldest = tl->ncols - kept, first, end;
	char title[96];
	struct rect in;

	if (tl->ncols == 0)
		snprintf(title, sizeof title, "%s", _("Timeline"));
	else if (gated)
		snprintf(title, sizeof title, P_("Timeline (%llu step)", "Timeline (%llu steps)", tl->ncols),
		         (unsigned long long)tl->ncols);
	else
		/* Columns are busy milliseconds; quiet spells fold into one gap column. */
		snprintf(title, sizeof title, _("Timeline (%.1f s: a column per busy ms, %lc skips quiet time)"),
		         m->t_last > m->t_first ? (double)(m->t_last - m->t_first) / 1e9 : 0.0,
		         (wint_t)g->tl_gap);
	in = draw_box(w, b, C_BORDER, title);
	rv->hit_lanes = (struct rect){ 0, 0, 0, 0 };
	if (in.h <= 0)
		return;
	if (b.w >= 30)
		timeline_legend(w, b);
	for (int a = 0; a < m->nactors; a++) {
		int nw = draw_width(m->actors[a].name);

		namew = nw > namew ? nw : namew;
	}
	cols = in.w - namew - 1;
	lanes = in.h - 1;
	if (cols <= 0 || lanes <= 0)
		return;
	/* Newest on the right once the columns fill the width; '[' goes back. */
	if ((uint64_t)rv->tl_back > kept)
		rv->tl_back = (int)kept;
	end = tl->ncols - (uint64_t)rv->tl_back;
	first = end > (uint64_t)cols ? end - (uint64_t)cols : 0;
	if (first < oldest)
		first = oldest;
	/*
	 * More actors than lanes: the ones that moved in the columns shown come
	 * first, in the order they first moved, so the interleaving still reads
	 * left to right; the rest follow.  The lanes scroll with the selection.
	 */
	order = rv->scratch;
	memset(tl->mark, 0, (size_t)tl->nactors);
	if (m->nactors > lanes) {
		for (uint64_t c = first; c < end; c++) {
			const struct timeline_col *col = &tl->cols[c % TL_CAP];

			if (col->gap)
				continue;
			if (gated && col->mover >= 0 && col->mover < m->nactors) {
				if (!tl->mark[col->mover]) {
					tl->mark[col->mover] = 1;
					order[n++] = col->mover;
				}
				continue;
			}
			for (int a = 0; a < m->nactors && a < tl->nactors; a++)
				if (!tl->mark[a] && (timeline_cell(tl, c, a) & TL_MOVED)) {
					tl->mark[a] = 1;
					order[n++] = a;
				}
		}
		reordered = n > 0;
		/* The selected actor next, in view with them. */
		if (reordered && rv->sel >= 0 && rv->sel < tl->nactors && !tl->mark[rv->sel]) {
			tl->mark[rv->sel] = 1;
			order[n++] = rv->sel;
		}
	}
	for (int a = 0; a < m->nactors; a++) {
		if ((a < tl->nactors && tl->mark[a]) || !ls_model_shown(m, a))
			continue;
		order[n++] = a;
	}
	for (int i = 0; i < n; i++)
		if (order[i] == rv->sel)
			selpos = i;
	if (selpos < rv->tl_top)
		rv->tl_top = selpos;
	if (selpos >= rv->tl_top + lanes)
		rv->tl_top = selpos - lanes + 1;
	if (rv->tl_top > n - lanes)
		rv->tl_top = n - lanes > 0 ? n - lanes : 0;
	if (rv->tl_top < 0)
		rv->tl_top = 0;
	if (reordered && b.w > 60)
		draw_text(w, b.y, b.x + 4 + draw_width(title), 16, C_DIM, 0, " movers first ");
	/* Clicks on a lane need the order, which changes: only unordered lanes answer. */
	if (!reordered) {
		rv->hit_lanes = (struct rect){ in.y + 1, in.x, lanes, in.w };
		rv->hit_lanes_top = rv->tl_top;
	}

	/* The axis: a number every ten columns (steps, or milliseconds). */
	if (namew >= 4)
		draw_text(w, in.y, in.x, namew, C_DIM, 0, gated ? "step" : "ms");
	for (uint64_t c = first; c < end; c++) {
		const struct timeline_col *col = &tl->cols[c % TL_CAP];
		int x = in.x + namew + 1 + (int)(c - first);
		char num[16];

		if (col->gap) {
			/* A label already drawn over this column keeps its digits. */
			if (x >= last_label_x)
				draw_printf(w, in.y, x, 1, C_DIM, 0, "%lc", (wint_t)g->tl_gap);
			continue;
		}
		if ((gated ? col->label % 5 != 0 && col->label != 1 : (c - oldest) % 10 != 0) ||
		    x < last_label_x)
			continue;
		snprintf(num, sizeof num, "%u", col->label);
		last_label_x = x + draw_text(w, in.y, x, in.x + in.w - x, C_DIM, 0, num) + 1;
	}
	if (tl->ncols == 0)
		draw_text(w, in.y + 1, in.x + namew + 1, cols, C_DIM, 0,
		          gated ? "(a column per step: space takes one)" : "(nothing yet)");

	for (int r = 0; r < lanes && rv->tl_top + r < n; r++) {
		int a = order[rv->tl_top + r], y = in.y + 1 + r, x = in.x + namew + 1;
		const struct ls_model_actor *ac = &m->actors[a];
		int can = ac->state == LS_AS_GATE ? ls_model_can_proceed(m, a) : 1;

		draw_text(w, y, in.x, namew, a == rv->sel ? theme_actor_role(ac->state, can) : C_NORMAL,
		          a == rv->sel ? A_REVERSE | A_BOLD : A_BOLD, ac->name);
		for (uint64_t c = first; c < end; c++, x++) {
			const struct timeline_col *col = &tl->cols[c % TL_CAP];
			cchar_t cc;
			enum tui_role role;
			attr_t at;
			wchar_t ch;

			if (col->gap) {
				theme_cchar(&cc, g->tl_gap, C_DIM, 0);
			} else {
				ch = timeline_glyph(timeline_cell(tl, c, a), &role, &at);
				if (ch == L' ')
					continue;
				theme_cchar(&cc, ch, role, at | (gated && col->mover == a ? A_BOLD : 0));
			}
			mvwadd_wch(w, y, x, &cc);
		}
	}
	if (rv->tl_top > 0)
		draw_printf(w, b.y, b.x + b.w - 3, 1, C_BORDER, 0, "%lc", (wint_t)g->more_up);
	if (rv->tl_top + lanes < n)
		draw_printf(w, b.y + b.h - 1, b.x + b.w - 3, 1, C_BORDER, 0, "%lc",
		            (wint_t)g->more_down);
	if (rv->tl_back > 0 && b.w > 30)
		draw_printf(w, b.y, b.x + b.w - 22, 18, C_BORDER, 0, " %d newer: ] ", rv->tl_back);
}
