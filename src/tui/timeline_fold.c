/*
 * timeline_fold.c - the timeline's columns (see timeline.h).  Stepped runs
 * get a column per step, so the interleaving reads left to right; free runs
 * a column per time slice, quiet spells squeezed into one marked column.
 * Every state and hold is read from the model as it applies each event;
 * this file decides only where columns begin and end.  No ncurses, and it
 * never changes the run.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/op.h"
#include "tui/timeline.h"

#define TL_SLICE_NS   (1000u * 1000u)   /* a free run's column: 1 ms of real time */
#define TL_IDLE_MAX   3                 /* quiet slices drawn before one gap column */

static void timeline_watch(void *ctx, const struct ls_model *m, const struct ls_event *e);

uint8_t
timeline_lane(const struct ls_model *m, int actor, int gated)
{
	const struct ls_model_actor *a = &m->actors[actor];
	uint8_t st = TL_NONE;

	switch (a->state) {
	case LS_AS_NEW:      st = gated ? TL_READY : TL_RUN; break;
	case LS_AS_RUNNING:  st = TL_RUN; break;
	/* Parked: ready, or blocked when its operation cannot go on. */
	case LS_AS_GATE:
		st = !gated ? TL_RUN : ls_model_can_proceed(m, actor) ? TL_READY : TL_BLOCKED;
		break;
	case LS_AS_BLOCKED:  st = TL_BLOCKED; break;
	case LS_AS_SLEEPING: st = TL_SLEEP; break;
	case LS_AS_DONE:     st = TL_DONE; break;
	case LS_AS_CRASHED:  st = TL_CRASH; break;
	}
	return (uint8_t)(st | (a->nholds > 0 ? TL_HOLD : 0));
}

int
timeline_init(struct timeline *tl, struct ls_run *r)
{
	const struct ls_model *m = ls_run_model(r);
	size_t n = (size_t)(m->nactors > 0 ? m->nactors : 1);

	memset(tl, 0, sizeof *tl);
	tl->run = r;
	tl->nactors = m->nactors;
	tl->cells = calloc(TL_CAP * n, 1);
	tl->cols = calloc(TL_CAP, sizeof *tl->cols);
	tl->open = calloc(n, 1);
	tl->lane = calloc(n, 1);
	tl->mark = calloc(n, 1);
	if (!tl->cells || !tl->cols || !tl->open || !tl->lane || !tl->mark ||
	    ls_run_watch(r, timeline_watch, tl) < 0) {
		timeline_free(tl);
		return -1;
	}
	tl->open_mover = -1;
	tl->slice_ns = TL_SLICE_NS;
	/* Whatever the run's start already applied (its actors' first steps). */
	for (uint64_t i = ls_model_history_first(m); i < m->nhistory; i++)
		timeline_watch(tl, m, ls_model_history_at(m, i));
	return 0;
}

void
timeline_free(struct timeline *tl)
{
	free(tl->cells);
	free(tl->cols);
	free(tl->open);
	free(tl->lane);
	free(tl->mark);
	/* cells == NULL also tells a late call from the model to do nothing. */
	memset(tl, 0, sizeof *tl);
}

uint8_t
timeline_cell(const struct timeline *tl, uint64_t col, int actor)
{
	if (col >= tl->ncols || col + TL_CAP < tl->ncols || actor < 0 || actor >= tl->nactors)
		return TL_NONE;
	return tl->cells[(col % TL_CAP) * (size_t)tl->nactors + (size_t)actor];
}

static void
timeline_close(struct timeline *tl, const struct ls_model *m, uint32_t label, int gated)
{
	uint8_t *row = tl->cells + (tl->ncols % TL_CAP) * (size_t)tl->nactors;
	struct timeline_col *c = &tl->cols[tl->ncols % TL_CAP];

	for (int a = 0; a < tl->nactors; a++) {
		uint8_t st = tl->lane[a] & TL_STATE, f = tl->open[a];

		/* Who can go on is the model's word at the column's end. */
		if (st == TL_READY && gated && m->actors[a].state == LS_AS_GATE &&
		    !ls_model_can_proceed(m, a))
			st = TL_BLOCKED;
		/* Having moved is what the column says, unless it now waits. */
		if ((f & TL_MOVED) && (st == TL_READY || st == TL_DONE || st == TL_NONE))
			st = TL_RUN;
		f |= tl->lane[a] & TL_HOLD;
		row[a] = (uint8_t)(st | (f & (TL_HOLD | TL_HANDOFF | TL_MOVED)));
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
timeline_advance(struct timeline *tl, const struct ls_model *m, uint64_t slot)
{
	uint64_t idle;

	if (!tl->open_any) {
		if (slot > tl->open_slot)
			tl->open_slot = slot;
		return;
	}
	if (slot <= tl->open_slot)
		return;
	timeline_close(tl, m, timeline_ms(tl, tl->open_slot), 0);
	idle = slot - tl->open_slot - 1;
	if (idle > TL_IDLE_MAX) {
		timeline_gap(tl, timeline_ms(tl, tl->open_slot + 1));
	} else {
		for (uint64_t k = 0; k < idle; k++)
			timeline_close(tl, m, timeline_ms(tl, tl->open_slot + 1 + k), 0);
	}
	tl->open_slot = slot;
}

/* The model has just applied e: place it in a column. */
static void
timeline_watch(void *ctx, const struct ls_model *m, const struct ls_event *e)
{
	struct timeline *tl = ctx;
	const struct ls_op_info *info = ls_op_info(e->op);
	int a = e->actor;
	int gated;

	if (!tl->cells || e->actor == LS_NO_ACTOR || a >= tl->nactors)
		return;
	gated = ls_run_policy(tl->run) != LS_POLICY_FREE;
	if (!tl->t_first || (tl->was_gated && !gated && e->t_ns > tl->t_first)) {
		/* The start, or stepping turned into a free run: time counts from here. */
		if (tl->t_first && tl->open_any)
			timeline_close(tl, m, ++tl->steps, 1);
		if (tl->t_first && tl->ncols > 0)
			timeline_gap(tl, tl->steps);
		tl->t_first = e->t_ns ? e->t_ns : 1;
		tl->open_slot = 0;
	}
	tl->was_gated = gated;
	if (!gated && e->t_ns >= tl->t_first)
		timeline_advance(tl, m, (e->t_ns - tl->t_first) / tl->slice_ns);
	/* Stepped: another actor moving means the last step is over. */
	if (gated && tl->open_mover >= 0 && tl->open_mover != a && e->phase != LS_PH_BEGIN &&
	    !(info->flags & LS_OPF_ENTRY))
		timeline_close(tl, m, ++tl->steps, gated);
	tl->lane[a] = timeline_lane(m, a, gated);
	tl->open_any = 1;
	if (e->phase == LS_PH_BEGIN) {
		/* The mover parked at its next probe: its step is done. */
		if (gated && tl->open_mover == a)
			timeline_close(tl, m, ++tl->steps, gated);
		return;
	}
	if (e->phase == LS_PH_BLOCK) {
		/* Stepped: the actor let in went into a wait (a condition): that
		 * is its whole step. */
		if (gated && tl->open_mover < 0)
			tl->open_mover = a;
		if (gated && tl->open_mover == a)
			timeline_close(tl, m, ++tl->steps, gated);
		return;
	}
	if ((info->flags & LS_OPF_ENTRY) || e->phase == LS_PH_PART)
		return;
	/* Free runs have no steps: the header counts what they did. */
	tl->ops++;
	tl->open[a] |= (uint8_t)(TL_MOVED | (tl->lane[a] & TL_HOLD) |
	                         (m->actors[a].handoff ? TL_HANDOFF : 0));
	if (gated && tl->open_mover < 0)
		tl->open_mover = a;
	/* A step that ends the actor ends the column too. */
	if (gated && tl->open_mover == a &&
	    (m->actors[a].state == LS_AS_DONE || m->actors[a].state == LS_AS_CRASHED))
		timeline_close(tl, m, ++tl->steps, gated);
}

void
timeline_feed(struct timeline *tl, int over, uint64_t now_ns)
{
	const struct ls_model *m;
	int gated;

	if (!tl->cells)
		return;
	m = ls_run_model(tl->run);
	gated = ls_run_policy(tl->run) != LS_POLICY_FREE;
	if (!gated && tl->open_any && tl->t_first && now_ns > tl->t_first &&
	    (now_ns - tl->t_first) / tl->slice_ns > tl->open_slot)
		timeline_advance(tl, m, (now_ns - tl->t_first) / tl->slice_ns);
	if (over && tl->open_any && (!gated || tl->open_mover >= 0))
		timeline_close(tl, m, gated ? ++tl->steps : timeline_ms(tl, tl->open_slot), gated);
	/*
	 * The newest column of a stepped run is the present: who can proceed
	 * may have changed since it closed (a notify, a timeout).
	 */
	if (gated && tl->ncols > 0 && tl->open_mover < 0) {
		uint8_t *row = tl->cells + ((tl->ncols - 1) % TL_CAP) * (size_t)tl->nactors;

		for (int a = 0; a < tl->nactors && a < m->nactors; a++) {
			uint8_t st = row[a] & TL_STATE;

			if (m->actors[a].state != LS_AS_GATE || (st != TL_READY && st != TL_BLOCKED))
				continue;
			st = ls_model_can_proceed(m, a) ? TL_READY : TL_BLOCKED;
			row[a] = (uint8_t)((row[a] & ~TL_STATE) | st);
		}
	}
}
