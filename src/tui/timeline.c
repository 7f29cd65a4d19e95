/*
 * timeline.c - a lane per actor over time: running, ready, blocked and
 * sleeping spans, critical sections (holding a lock or semaphore) and lock
 * hand-offs.  Stepped runs get a column per step, so the interleaving reads
 * left to right; free runs a column per time slice, quiet spells squeezed
 * into one marked column.  The columns are built from the model's history
 * ring as it grows (a small fold of its own over the events, since the
 * model keeps only the present) and kept in a ring of TL_CAP columns.
 * Must never change the run.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui_int.h"

#define TL_SLICE_NS   (1000u * 1000u)   /* a free run's column: 1 ms of real time */
#define TL_IDLE_MAX   3                 /* quiet slices drawn before one gap column */

int
timeline_init(struct timeline *tl, const struct ls_model *m)
{
	size_t n = (size_t)(m->nactors > 0 ? m->nactors : 1);

	memset(tl, 0, sizeof *tl);
	tl->nactors = m->nactors;
	tl->nobjs = m->nobjs;
	tl->cells = calloc(TL_CAP * n, 1);
	tl->cols = calloc(TL_CAP, sizeof *tl->cols);
	tl->open = calloc(n, 1);
	tl->lane = calloc(n, 1);
	tl->waited = calloc(n, 1);
	tl->mark = calloc(n, 1);
	tl->lane_op = calloc(n, sizeof *tl->lane_op);
	tl->lane_obj = calloc(n, sizeof *tl->lane_obj);
	tl->lane_arg = calloc(n, sizeof *tl->lane_arg);
	tl->holds = calloc(n, sizeof *tl->holds);
	if (!tl->cells || !tl->cols || !tl->open || !tl->lane || !tl->waited || !tl->mark ||
	    !tl->lane_op ||
	    !tl->lane_obj || !tl->lane_arg || !tl->holds) {
		timeline_free(tl);
		return -1;
	}
	for (int o = 0; o < m->nobjs && o < LS_MAX_OBJS; o++) {
		tl->owner[o] = -1;
		tl->count[o] = m->objs[o].init;
	}
	tl->open_mover = -1;
	tl->slice_ns = TL_SLICE_NS;
	return 0;
}

void
timeline_free(struct timeline *tl)
{
	free(tl->cells);
	free(tl->cols);
	free(tl->open);
	free(tl->lane);
	free(tl->waited);
	free(tl->mark);
	free(tl->lane_op);
	free(tl->lane_obj);
	free(tl->lane_arg);
	free(tl->holds);
	memset(tl, 0, sizeof *tl);
}

uint8_t
timeline_cell(const struct timeline *tl, uint64_t col, int actor)
{
	if (col >= tl->ncols || col + TL_CAP < tl->ncols || actor < 0 || actor >= tl->nactors)
		return TL_NONE;
	return tl->cells[(col % TL_CAP) * (size_t)tl->nactors + (size_t)actor];
}

/* A parked actor whose operation cannot go on yet, by the events so far. */
static int
timeline_gate_blocked(const struct timeline *tl, int a)
{
	int o = tl->lane_obj[a];

	if (o < 0 || o >= tl->nobjs || o >= LS_MAX_OBJS)
		return 0;
	switch (tl->lane_op[a]) {
	case LS_OP_LOCK:
		return tl->owner[o] >= 0 && tl->owner[o] != a;
	case LS_OP_SEM_ACQUIRE:
		return tl->count[o] <= 0;
	case LS_OP_EVENT_WAIT:
		return !tl->count[o] && tl->lane_arg[a] < 0;
	}
	return 0;
}

static void
timeline_close(struct timeline *tl, uint32_t label, int gated)
{
	uint8_t *row = tl->cells + (tl->ncols % TL_CAP) * (size_t)tl->nactors;
	struct timeline_col *c = &tl->cols[tl->ncols % TL_CAP];

	for (int a = 0; a < tl->nactors; a++) {
		uint8_t st = tl->lane[a], f = tl->open[a];

		if (st == TL_READY && gated && timeline_gate_blocked(tl, a))
			st = TL_BLOCKED;
		/* Having moved is what the column says, unless it now waits. */
		if ((f & TL_MOVED) && (st == TL_READY || st == TL_DONE || st == TL_NONE))
			st = TL_RUN;
		if (tl->holds[a])
			f |= TL_HOLD;
		row[a] = (uint8_t)(st | (f & (TL_HOLD | TL_HANDOFF | TL_MOVED)));
		if (st == TL_BLOCKED)
			tl->waited[a] = 1;
		else if (f & TL_MOVED)
			tl->waited[a] = 0;
	}
	c->label = label;
	c->mover = gated ? tl->open_mover : -1;
	c->gap = 0;
	tl->ncols++;
	memset(tl->open, 0, (size_t)tl->nactors);
	tl->open_any = 0;
	tl->open_mover = -1;
}

/* A column of its own marking time or events left out (drawn as a dotted line). */
static void
timeline_gap(struct timeline *tl, uint32_t label)
{
	uint8_t *row = tl->cells + (tl->ncols % TL_CAP) * (size_t)tl->nactors;
	struct timeline_col *c = &tl->cols[tl->ncols % TL_CAP];

	if (tl->ncols > 0 && tl->cols[(tl->ncols - 1) % TL_CAP].gap)
		return;     /* one is enough */
	memcpy(row, tl->lane, (size_t)tl->nactors);
	c->label = label;
	c->mover = -1;
	c->gap = 1;
	tl->ncols++;
}

/* A free run's label: milliseconds since the first event. */
static uint32_t
timeline_ms(const struct timeline *tl, uint64_t slot)
{
	return (uint32_t)(slot * tl->slice_ns / 1000000u);
}

/*
 * Free runs: an event in a later slice closes the open one; slices with
 * nothing in them are drawn as they were, up to a few, then as one gap.
 */
static void
timeline_advance(struct timeline *tl, uint64_t slot)
{
	uint64_t idle;

	if (!tl->open_any) {
		if (slot > tl->open_slot)
			tl->open_slot = slot;
		return;
	}
	if (slot <= tl->open_slot)
		return;
	timeline_close(tl, timeline_ms(tl, tl->open_slot), 0);
	idle = slot - tl->open_slot - 1;
	if (idle > TL_IDLE_MAX) {
		timeline_gap(tl, timeline_ms(tl, tl->open_slot + 1));
	} else {
		for (uint64_t k = 0; k < idle; k++)
			timeline_close(tl, timeline_ms(tl, tl->open_slot + 1 + k), 0);
	}
	tl->open_slot = slot;
}

static void
timeline_apply(struct timeline *tl, const struct ls_event *e, int gated)
{
	int a = e->actor, o = e->obj != LS_NO_OBJ ? e->obj : -1;
	uint64_t bit = o >= 0 && o < 64 ? UINT64_C(1) << o : 0;
	int moved = 0;

	if (e->actor == LS_NO_ACTOR || a >= tl->nactors)
		return;
	if (!tl->t_first || (tl->was_gated && !gated && e->t_ns > tl->t_first)) {
		/* The start, or stepping turned into a free run: time counts from here. */
		if (tl->t_first && tl->open_any)
			timeline_close(tl, ++tl->steps, 1);
		if (tl->t_first && tl->ncols > 0)
			timeline_gap(tl, tl->steps);
		tl->t_first = e->t_ns ? e->t_ns : 1;
		tl->open_slot = 0;
	}
	tl->was_gated = gated;
	if (!gated && e->t_ns >= tl->t_first)
		timeline_advance(tl, (e->t_ns - tl->t_first) / tl->slice_ns);
	/* Stepped: another actor moving means the last step is over. */
	if (gated && tl->open_mover >= 0 && tl->open_mover != a && e->phase != LS_PH_BEGIN &&
	    e->op != LS_OP_START)
		timeline_close(tl, ++tl->steps, gated);
	if (o >= LS_MAX_OBJS)
		o = -1;
	switch (e->phase) {
	case LS_PH_BEGIN:
		tl->lane[a] = gated ? TL_READY : TL_RUN;
		tl->lane_op[a] = e->op;
		tl->lane_obj[a] = o;
		tl->lane_arg[a] = e->u.v.a;
		tl->open_any = 1;
		/* The mover parked at its next probe: its step is done. */
		if (gated && tl->open_mover == a)
			timeline_close(tl, ++tl->steps, gated);
		return;
	case LS_PH_BLOCK:
		tl->lane[a] = e->op == LS_OP_SLEEP ? TL_SLEEP : TL_BLOCKED;
		tl->open_any = 1;
		return;
	default:
		break;
	}
	switch (e->op) {
	case LS_OP_START:
		tl->lane[a] = gated ? TL_READY : TL_RUN;
		tl->open_any = 1;
		return;
	case LS_OP_EXIT:
		tl->lane[a] = TL_DONE;
		moved = 1;
		break;
	case LS_OP_CRASH:
		tl->lane[a] = TL_CRASH;
		tl->holds[a] = 0;
		moved = 1;
		break;
	case LS_OP_LOCK:
		if (e->phase == LS_PH_DONE && o >= 0) {
			if (tl->waited[a] || tl->lane[a] == TL_BLOCKED ||
			    (tl->owner[o] >= 0 && tl->owner[o] != a))
				tl->open[a] |= TL_HANDOFF;
			tl->owner[o] = a;
			tl->holds[a] |= bit;
		}
		break;
	case LS_OP_UNLOCK:
		if (o >= 0) {
			if (tl->owner[o] == a)
				tl->owner[o] = -1;
			tl->holds[a] &= ~bit;
		}
		break;
	case LS_OP_SEM_ACQUIRE:
		if (e->phase == LS_PH_DONE && o >= 0) {
			tl->count[o] = (long)e->u.v.a;
			tl->holds[a] |= bit;
		}
		break;
	case LS_OP_SEM_RELEASE:
		if (e->phase == LS_PH_DONE && o >= 0) {
			tl->count[o] = (long)e->u.v.a;
			tl->holds[a] &= ~bit;
		}
		break;
	case LS_OP_EVENT_SET:
	case LS_OP_EVENT_CLEAR:
		if (o >= 0)
			tl->count[o] = e->op == LS_OP_EVENT_SET;
		break;
	default:
		break;
	}
	if (e->op != LS_OP_EXIT && e->op != LS_OP_CRASH)
		tl->lane[a] = TL_RUN;
	tl->open[a] |= TL_MOVED | (tl->holds[a] ? TL_HOLD : 0);
	tl->open_any = 1;
	if (gated && tl->open_mover < 0)
		tl->open_mover = a;
	/* A step that ends the actor ends the column too. */
	if (gated && moved && tl->open_mover == a)
		timeline_close(tl, ++tl->steps, gated);
}

void
timeline_feed(struct timeline *tl, const struct ls_model *m, int gated, int over,
              uint64_t now_ns)
{
	uint64_t first = m->nhistory > LS_HISTORY ? m->nhistory - LS_HISTORY : 0;

	if (!tl->cells)
		return;
	if (tl->seen < first) {
		/* Events went by faster than the frames: say so with a gap. */
		tl->seen = first;
		if (tl->ncols > 0)
			timeline_gap(tl, tl->cols[(tl->ncols - 1) % TL_CAP].label);
	}
	for (; tl->seen < m->nhistory; tl->seen++)
		timeline_apply(tl, &m->history[tl->seen % LS_HISTORY], gated);
	if (!gated && tl->open_any && tl->t_first && now_ns > tl->t_first &&
	    (now_ns - tl->t_first) / tl->slice_ns > tl->open_slot)
		timeline_advance(tl, (now_ns - tl->t_first) / tl->slice_ns);
	if (over && tl->open_any && (!gated || tl->open_mover >= 0))
		timeline_close(tl, gated ? ++tl->steps : timeline_ms(tl, tl->open_slot), gated);
	/*
	 * The newest column of a stepped run is the present: the model knows
	 * exactly who can proceed (conditions, timeouts), the events only
	 * nearly.  Older columns keep what the events said.
	 */
	if (gated && tl->ncols > 0 && tl->open_mover < 0) {
		uint8_t *row = tl->cells + ((tl->ncols - 1) % TL_CAP) * (size_t)tl->nactors;

		for (int a = 0; a < tl->nactors && a < m->nactors; a++) {
			uint8_t st = row[a] & TL_STATE;

			if (m->actors[a].state != LS_AS_GATE || (st != TL_READY && st != TL_BLOCKED))
				continue;
			st = ls_model_can_proceed(m, a) ? TL_READY : TL_BLOCKED;
			row[a] = (uint8_t)((row[a] & ~TL_STATE) | st);
			if (st == TL_BLOCKED)
				tl->waited[a] = 1;
		}
	}
}

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
		{ TL_RUN, "ran" },
		{ TL_RUN | TL_HOLD, "ran holding a lock" },
		{ TL_READY, "ready" },
		{ TL_BLOCKED, "blocked" },
		{ TL_SLEEP, "sleeping" },
		{ TL_READY | TL_HOLD, "holds, idle" },
		{ TL_HANDOFF, "got the lock it waited for" },
	};
	int x = b.x + 2, end = b.x + b.w - 2;

	(void)g;
	for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
		enum tui_role r;
		attr_t at;
		wchar_t ch = timeline_glyph((uint8_t)items[i].state, &r, &at);
		int need = draw_width(items[i].what) + 4;

		if (x + need > end)
			break;
		x += draw_printf(w, b.y + b.h - 1, x, 2, r, at, " %lc", (wint_t)ch);
		x += draw_printf(w, b.y + b.h - 1, x, end - x, C_DIM, 0, " %s", items[i].what);
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
		snprintf(title, sizeof title, "Timeline");
	else
		snprintf(title, sizeof title, "Timeline (%llu %s)", (unsigned long long)tl->ncols,
		         gated ? (tl->ncols == 1 ? "step" : "steps") : "slices of 1 ms");
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
		if (a < tl->nactors && tl->mark[a])
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
