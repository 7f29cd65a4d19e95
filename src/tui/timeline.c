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

/* What one frame of the pane works out before it draws. */
struct timeline_frame {
	const struct ls_model *m;
	const struct timeline *tl;
	int gated;                  /* a column per step (else per busy ms) */
	int namew, cols, lanes;
	uint64_t oldest, first, end; /* the columns kept, and those shown */
	int *order, n;              /* the lanes' actors, in order */
	int reordered;              /* movers first: more actors than lanes */
};

static void
timeline_title(const struct timeline_frame *f, char *title, size_t len)
{
	const struct ls_model *m = f->m;
	uint64_t ncols = f->tl->ncols;

	if (ncols == 0)
		snprintf(title, len, "%s", _("Timeline"));
	else if (f->gated)
		snprintf(title, len, P_("Timeline (%llu step)", "Timeline (%llu steps)", ncols),
		         (unsigned long long)ncols);
	else
		/* Columns are busy milliseconds; quiet spells fold into one gap column. */
		snprintf(title, len, _("Timeline (%.1f s: a column per busy ms, %lc skips quiet time)"),
		         m->t_last > m->t_first ? (double)(m->t_last - m->t_first) / 1e9 : 0.0,
		         (wint_t)theme_glyphs()->tl_gap);
}

/* The columns shown: newest on the right once they fill the width; '[' goes back. */
static void
timeline_columns(struct timeline_frame *f, struct run_view *rv)
{
	const struct timeline *tl = f->tl;
	uint64_t kept = tl->ncols < TL_CAP ? tl->ncols : TL_CAP;

	f->oldest = tl->ncols - kept;
	if ((uint64_t)rv->tl_back > kept)
		rv->tl_back = (int)kept;
	f->end = tl->ncols - (uint64_t)rv->tl_back;
	f->first = f->end > (uint64_t)f->cols ? f->end - (uint64_t)f->cols : 0;
	if (f->first < f->oldest)
		f->first = f->oldest;
}

/* Lane order, first the actors that moved in the columns shown, as they first moved. */
static void
timeline_movers(struct timeline_frame *f)
{
	const struct timeline *tl = f->tl;
	int na = f->m->nactors;

	for (uint64_t c = f->first; c < f->end; c++) {
		const struct timeline_col *col = &tl->cols[c % TL_CAP];

		if (col->gap)
			continue;
		if (f->gated && col->mover >= 0 && col->mover < na) {
			if (!tl->mark[col->mover]) {
				tl->mark[col->mover] = 1;
				f->order[f->n++] = col->mover;
			}
			continue;
		}
		for (int a = 0; a < na && a < tl->nactors; a++)
			if (!tl->mark[a] && (timeline_cell(tl, c, a) & TL_MOVED)) {
				tl->mark[a] = 1;
				f->order[f->n++] = a;
			}
	}
}

/*
 * More actors than lanes: the ones that moved in the columns shown come
 * first, in the order they first moved, so the interleaving still reads
 * left to right; the rest follow.  The lanes scroll with the selection.
 */
static void
timeline_order(struct timeline_frame *f, struct run_view *rv)
{
	const struct timeline *tl = f->tl;
	int selpos = 0;

	f->order = rv->scratch;
	f->n = 0;
	memset(tl->mark, 0, (size_t)tl->nactors);
	if (f->m->nactors > f->lanes) {
		timeline_movers(f);
		f->reordered = f->n > 0;
		/* The selected actor next, in view with them. */
		if (f->reordered && rv->sel >= 0 && rv->sel < tl->nactors && !tl->mark[rv->sel]) {
			tl->mark[rv->sel] = 1;
			f->order[f->n++] = rv->sel;
		}
	}
	for (int a = 0; a < f->m->nactors; a++)
		if ((a >= tl->nactors || !tl->mark[a]) && ls_model_shown(f->m, a))
			f->order[f->n++] = a;
	for (int i = 0; i < f->n; i++)
		if (f->order[i] == rv->sel)
			selpos = i;
	if (selpos < rv->tl_top)
		rv->tl_top = selpos;
	if (selpos >= rv->tl_top + f->lanes)
		rv->tl_top = selpos - f->lanes + 1;
	if (rv->tl_top > f->n - f->lanes)
		rv->tl_top = f->n - f->lanes > 0 ? f->n - f->lanes : 0;
	if (rv->tl_top < 0)
		rv->tl_top = 0;
}

/* The axis: a number every ten columns (steps, or milliseconds). */
static void
timeline_axis(WINDOW *w, struct rect in, const struct timeline_frame *f)
{
	const struct theme_glyphs *g = theme_glyphs();
	int last_label_x = -100;

	if (f->namew >= 4)
		draw_text(w, in.y, in.x, f->namew, C_DIM, 0, f->gated ? "step" : "ms");
	for (uint64_t c = f->first; c < f->end; c++) {
		const struct timeline_col *col = &f->tl->cols[c % TL_CAP];
		int x = in.x + f->namew + 1 + (int)(c - f->first);
		char num[16];

		if (col->gap) {
			/* A label already drawn over this column keeps its digits. */
			if (x >= last_label_x)
				draw_printf(w, in.y, x, 1, C_DIM, 0, "%lc", (wint_t)g->tl_gap);
			continue;
		}
		if ((f->gated ? col->label % 5 != 0 && col->label != 1 : (c - f->oldest) % 10 != 0) ||
		    x < last_label_x)
			continue;
		snprintf(num, sizeof num, "%u", col->label);
		last_label_x = x + draw_text(w, in.y, x, in.x + in.w - x, C_DIM, 0, num) + 1;
	}
	if (f->tl->ncols == 0)
		draw_text(w, in.y + 1, in.x + f->namew + 1, f->cols, C_DIM, 0,
		          f->gated ? "(a column per step: space takes one)" : "(nothing yet)");
}

/* One actor's lane at row y: its name, then a cell per column shown. */
static void
timeline_draw_lane(WINDOW *w, struct rect in, int y, int a, const struct timeline_frame *f, int sel)
{
	const struct ls_model_actor *ac = &f->m->actors[a];
	int can = ac->state == LS_AS_GATE ? ls_model_can_proceed(f->m, a) : 1;
	int x = in.x + f->namew + 1;

	draw_text(w, y, in.x, f->namew, a == sel ? theme_actor_role(ac->state, can) : C_NORMAL,
	          a == sel ? A_REVERSE | A_BOLD : A_BOLD, ac->name);
	for (uint64_t c = f->first; c < f->end; c++, x++) {
		const struct timeline_col *col = &f->tl->cols[c % TL_CAP];
		cchar_t cc;
		enum tui_role role;
		attr_t at;
		wchar_t ch;

		if (col->gap) {
			theme_cchar(&cc, theme_glyphs()->tl_gap, C_DIM, 0);
		} else {
			ch = timeline_glyph(timeline_cell(f->tl, c, a), &role, &at);
			if (ch == L' ')
				continue;
			theme_cchar(&cc, ch, role, at | (f->gated && col->mover == a ? A_BOLD : 0));
		}
		mvwadd_wch(w, y, x, &cc);
	}
}

/* The border's marks: more lanes above or below, newer columns to the right. */
static void
timeline_marks(WINDOW *w, struct rect b, const struct timeline_frame *f,
               const struct run_view *rv)
{
	const struct theme_glyphs *g = theme_glyphs();

	if (rv->tl_top > 0)
		draw_printf(w, b.y, b.x + b.w - 3, 1, C_BORDER, 0, "%lc", (wint_t)g->more_up);
	if (rv->tl_top + f->lanes < f->n)
		draw_printf(w, b.y + b.h - 1, b.x + b.w - 3, 1, C_BORDER, 0, "%lc",
		            (wint_t)g->more_down);
	if (rv->tl_back > 0 && b.w > 30)
		draw_printf(w, b.y, b.x + b.w - 22, 18, C_BORDER, 0, " %d newer: ] ", rv->tl_back);
}

void
panes_timeline(WINDOW *w, struct rect b, struct run_view *rv)
{
	struct timeline_frame f = { .m = ls_run_model(rv->run), .tl = &rv->tl, .namew = 2 };
	char title[96];
	struct rect in;

	f.gated = ls_run_policy(rv->run) != LS_POLICY_FREE;
	timeline_title(&f, title, sizeof title);
	in = draw_box(w, b, C_BORDER, title);
	rv->hit_lanes = (struct rect){ 0, 0, 0, 0 };
	if (in.h <= 0)
		return;
	if (b.w >= 30)
		timeline_legend(w, b);
	for (int a = 0; a < f.m->nactors; a++) {
		int nw = draw_width(f.m->actors[a].name);

		f.namew = nw > f.namew ? nw : f.namew;
	}
	f.cols = in.w - f.namew - 1;
	f.lanes = in.h - 1;
	if (f.cols <= 0 || f.lanes <= 0)
		return;
	timeline_columns(&f, rv);
	timeline_order(&f, rv);
	if (f.reordered && b.w > 60)
		draw_text(w, b.y, b.x + 4 + draw_width(title), 16, C_DIM, 0, " movers first ");
	/* Clicks on a lane need the order, which changes: only unordered lanes answer. */
	if (!f.reordered) {
		rv->hit_lanes = (struct rect){ in.y + 1, in.x, f.lanes, in.w };
		rv->hit_lanes_top = rv->tl_top;
	}
	timeline_axis(w, in, &f);
	for (int r = 0; r < f.lanes && rv->tl_top + r < f.n; r++)
		timeline_draw_lane(w, in, in.y + 1 + r, f.order[rv->tl_top + r], &f, rv->sel);
	timeline_marks(w, b, &f, rv);
}
