/*
 * trace.c - the trace pane ("7 Trace"), after OSTEP's x86.py: one row per
 * step, newest at the bottom, a column per actor (as many as fit: the
 * lowest-numbered and the selected one) with the operation it did and its
 * values, and a column per shared variable with its value after that step.
 * In predict mode (open --predict, or e) the values of the steps not yet
 * revealed read "?", so a class can guess before it sees; e reveals them,
 * E leaves predict mode.  Reads the model's history only; must
 * never change the run.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "model/kind.h"
#include "model/op.h"
#include "tui/tui_int.h"

#define TRACE_ACTOR_W 16    /* narrowest actor column worth drawing */
#define TRACE_VARS    6     /* variable columns at most */
#define TRACE_ROWS    128   /* rows kept for one frame */

/* Is this event a row: something an actor did (not about to, not a note)? */
static int
trace_is_row(const struct ls_model *m, const struct ls_event *e)
{
	const struct ls_op_info *op = ls_op_info(e->op);

	if (e->actor >= m->nactors || e->phase == LS_PH_BEGIN || e->phase == LS_PH_PART)
		return 0;
	return !(op->flags & (LS_OPF_ENTRY | LS_OPF_NOTE | LS_OPF_PARENT));
}

/* A row's cell: "load balance -> 0", or with its values hidden "load balance -> ?". */
static void
trace_cell(const struct ls_model *m, const struct ls_event *e, int hidden, char *buf, size_t len)
{
	const char *obj = e->obj != LS_NO_OBJ && e->obj < m->nobjs ? m->objs[e->obj].name : "";
	const char *target = (ls_op_info(e->op)->flags & LS_OPF_JOINS) && e->u.v.a >= 0 &&
	                     e->u.v.a < m->nactors ? m->actors[e->u.v.a].name : "?";
	char tmp[200];

	if (hidden) {
		/* What it did, not what it got: a sleep's length is no guess. */
		ls_op_pending_text(e->op, obj, ls_op_info(e->op)->access == LS_ACC_NONE ? e->u.v.a : 0,
		                   target, tmp, sizeof tmp);
		snprintf(buf, len, "%s -> ?", tmp);
		return;
	}
	if (!ls_op_sentence(e, "", obj, target, tmp, sizeof tmp))
		tmp[0] = '\0';
	snprintf(buf, len, "%s", tmp[0] == ' ' || tmp[0] == ':' ? tmp + 1 + (tmp[0] == ':') : tmp);
}

/* The actors that get a column: all when they fit, else the lowest and the selected. */
static int
trace_columns(const struct run_view *rv, const struct ls_model *m, int fit, int *cols)
{
	int n = 0;

	if (fit < 1)
		fit = 1;
	for (int a = 0; a < m->nactors && n < fit; a++)
		cols[n++] = a;
	if (m->nactors > fit && rv->sel >= fit && rv->sel < m->nactors)
		cols[n - 1] = rv->sel;
	return n;
}

/* Room in the title for the predict key. */
static int
in_w_wide(struct rect b)
{
	return b.w >= 30;
}

static void
trace_draw(WINDOW *w, struct rect b, const struct run_view *rv)
{
	const struct ls_model *m = ls_run_model(rv->run);
	uint64_t first = m->nhistory > LS_HISTORY ? m->nhistory - LS_HISTORY : 0;
	uint64_t rowev[TRACE_ROWS];
	long vals[LS_MAX_OBJS], rowvals[TRACE_ROWS][TRACE_VARS];
	int vars[TRACE_VARS], nvars = 0, nrows = 0, rows, stepw = 5, varw = 0, *cols = rv->scratch;
	int ncols, colw, x;
	char title[96], cell[200];
	struct rect in;

	snprintf(title, sizeof title, "%s%s", _("Trace"),
	         rv->predict ? _(" (predict: e reveals, E off)") : in_w_wide(b) ? _("  e: predict") : "");
	in = draw_box(w, b, C_BORDER, title);
	rows = in.h - 1;
	if (rows <= 0 || in.w < 20)
		return;
	if (rows > TRACE_ROWS)
		rows = TRACE_ROWS;
	for (int o = 0; o < m->nobjs && nvars < TRACE_VARS; o++)
		if (ls_kind_flags(m->objs[o].kind) & LS_KINDF_VAR) {
			int nw = draw_width(m->objs[o].name);

			vars[nvars++] = o;
			varw += (nw > 6 ? nw : 6) + 1;
		}
	/* The variables give way to the actors on a narrow pane. */
	while (nvars > 0 && in.w - stepw - varw < TRACE_ACTOR_W * (m->nactors < 2 ? 1 : 2)) {
		int nw = draw_width(m->objs[vars[--nvars]].name);
		varw -= (nw > 6 ? nw : 6) + 1;
	}
	ncols = trace_columns(rv, m, (in.w - stepw - varw) / TRACE_ACTOR_W, cols);
	colw = (in.w - stepw - varw) / (ncols ? ncols : 1);

	/* The newest rows, walking back. */
	for (uint64_t i = m->nhistory; i > first && nrows < rows; i--)
		if (trace_is_row(m, &m->history[(i - 1) % LS_HISTORY]))
			rowev[nrows++] = i - 1;
	/* Each variable's value after each row: the history forward from its start. */
	for (int o = 0; o < m->nobjs; o++)
		vals[o] = m->objs[o].init;
	for (uint64_t i = first, r = (uint64_t)nrows; i < m->nhistory && r > 0; i++) {
		const struct ls_event *e = &m->history[i % LS_HISTORY];
		const struct ls_op_info *op = ls_op_info(e->op);

		if (e->obj < m->nobjs && (ls_kind_flags(m->objs[e->obj].kind) & LS_KINDF_VAR) &&
		    e->phase == LS_PH_DONE &&
		    (op->access == LS_ACC_WRITE || op->access == LS_ACC_UPDATE ||
		     (op->flags & LS_OPF_PARENT)))
			vals[e->obj] = (long)e->u.v.a;
		if (i == rowev[r - 1]) {
			r--;
			for (int k = 0; k < nvars; k++)
				rowvals[r][k] = vals[vars[k]];
		}
	}

	/* The header: step, actors, variables. */
	draw_text(w, in.y, in.x, stepw, C_DIM, A_BOLD, _("step"));
	x = in.x + stepw;
	for (int c = 0; c < ncols; c++)
		draw_text(w, in.y, x + c * colw, colw - 1, C_PANE_TITLE,
		          A_BOLD | (cols[c] == rv->sel ? A_UNDERLINE : 0), m->actors[cols[c]].name);
	x += ncols * colw;
	for (int k = 0; k < nvars; k++) {
		int nw = draw_width(m->objs[vars[k]].name);

		draw_text(w, in.y, x, nw > 6 ? nw : 6, C_VALUE, A_BOLD, m->objs[vars[k]].name);
		x += (nw > 6 ? nw : 6) + 1;
	}
	if (nrows == 0) {
		draw_text(w, in.y + 1, in.x, in.w, C_DIM, 0, "(no step yet)");
		return;
	}
	/* Rows, oldest of those shown at the top. */
	uint64_t steps = 0;
	for (uint64_t i = first; i <= rowev[nrows - 1] && i < m->nhistory; i++)
		steps += trace_is_row(m, &m->history[i % LS_HISTORY]);
	for (int r = nrows - 1, y = in.y + 1; r >= 0; r--, y++) {
		const struct ls_event *e = &m->history[rowev[r] % LS_HISTORY];
		int hidden = rv->predict && rowev[r] >= rv->revealed;

		draw_printf(w, y, in.x, stepw, C_DIM, 0, "%4llu",
		            (unsigned long long)(steps + (uint64_t)(nrows - 1 - r)));
		x = in.x + stepw;
		for (int c = 0; c < ncols; c++) {
			if (cols[c] != e->actor)
				continue;
			trace_cell(m, e, hidden, cell, sizeof cell);
			draw_text(w, y, x + c * colw, colw - 1,
			          hidden ? C_DIM : e->phase == LS_PH_BLOCK ? C_ACTOR_BLOCKED : C_NORMAL,
			          e->actor == rv->sel ? A_BOLD : 0, cell);
		}
		x += ncols * colw;
		for (int k = 0; k < nvars; k++) {
			int nw = draw_width(m->objs[vars[k]].name);

			if (hidden)
				draw_text(w, y, x, nw > 6 ? nw : 6, C_DIM, 0, "?");
			else
				draw_printf(w, y, x, nw > 6 ? nw : 6, C_VALUE, 0, "%ld", rowvals[r][k]);
			x += (nw > 6 ? nw : 6) + 1;
		}
	}
}

/* Room for the header and the last few steps (up to TRACE_WANT). */
#define TRACE_WANT 8
static int
trace_rows(const struct run_view *rv, int width, int big)
{
	const struct ls_model *m = ls_run_model(rv->run);
	uint64_t first = m->nhistory > LS_HISTORY ? m->nhistory - LS_HISTORY : 0;
	int n = 0;

	(void)width;
	(void)big;
	for (uint64_t i = m->nhistory; i > first && n < TRACE_WANT; i--)
		n += trace_is_row(m, &m->history[(i - 1) % LS_HISTORY]);
	return 3 + (n > 3 ? n : 3);
}

const struct tui_pane trace_pane = {
	.name = N_("Trace"),
	.key = '7',
	.draw = trace_draw,
	.rows = trace_rows,
	.layouts = PANE_BIG | PANE_TAB,
	.band = BAND_BOTTOM,
	.share = 34,
};
