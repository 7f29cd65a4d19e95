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

/* What one frame of the pane shows: its rows (trace events), columns and variables. */
struct trace_frame {
	const struct ls_model *m;
	uint64_t first;             /* the oldest event the history keeps */
	uint64_t rowev[TRACE_ROWS];
	long rowvals[TRACE_ROWS][TRACE_VARS];
	int vars[TRACE_VARS], nvars, varw;
	int nrows, rows, stepw;
	int *cols, ncols, colw;
};

/* A variable's column width: its name, at least 6. */
static int
trace_var_width(const struct ls_model *m, int o)
{
	int nw = draw_width(m->objs[o].name);

	return nw > 6 ? nw : 6;
}

/* The variables shown, then the actors' columns in what width they leave. */
static void
trace_layout(struct trace_frame *f, const struct run_view *rv, struct rect in)
{
	const struct ls_model *m = f->m;

	for (int o = 0; o < m->nobjs && f->nvars < TRACE_VARS; o++)
		if (ls_kind_flags(m->objs[o].kind) & LS_KINDF_VAR) {
			f->vars[f->nvars++] = o;
			f->varw += trace_var_width(m, o) + 1;
		}
	/* The variables give way to the actors on a narrow pane. */
	while (f->nvars > 0 && in.w - f->stepw - f->varw < TRACE_ACTOR_W * (m->nactors < 2 ? 1 : 2))
		f->varw -= trace_var_width(m, f->vars[--f->nvars]) + 1;
	f->cols = rv->scratch;
	f->ncols = trace_columns(rv, m, (in.w - f->stepw - f->varw) / TRACE_ACTOR_W, f->cols);
	f->colw = (in.w - f->stepw - f->varw) / (f->ncols ? f->ncols : 1);
}

/* The newest rows, walking back; then each variable's value after each row,
 * from the history forward from its start. */
static void
trace_gather(struct trace_frame *f)
{
	const struct ls_model *m = f->m;
	long vals[LS_MAX_OBJS];

	for (uint64_t i = m->nhistory; i > f->first && f->nrows < f->rows; i--)
		if (trace_is_row(m, &m->history[(i - 1) % LS_HISTORY]))
			f->rowev[f->nrows++] = i - 1;
	for (int o = 0; o < m->nobjs; o++)
		vals[o] = m->objs[o].init;
	for (uint64_t i = f->first, r = (uint64_t)f->nrows; i < m->nhistory && r > 0; i++) {
		const struct ls_event *e = &m->history[i % LS_HISTORY];
		const struct ls_op_info *op = ls_op_info(e->op);

		if (e->obj < m->nobjs && (ls_kind_flags(m->objs[e->obj].kind) & LS_KINDF_VAR) &&
		    e->phase == LS_PH_DONE &&
		    (op->access == LS_ACC_WRITE || op->access == LS_ACC_UPDATE ||
		     (op->flags & LS_OPF_PARENT)))
			vals[e->obj] = (long)e->u.v.a;
		if (i == f->rowev[r - 1]) {
			r--;
			for (int k = 0; k < f->nvars; k++)
				f->rowvals[r][k] = vals[f->vars[k]];
		}
	}
}

/* The header: step, actors, variables. */
static void
trace_header(WINDOW *w, struct rect in, const struct trace_frame *f, int sel)
{
	const struct ls_model *m = f->m;
	int x = in.x + f->stepw;

	draw_text(w, in.y, in.x, f->stepw, C_DIM, A_BOLD, _("step"));
	for (int c = 0; c < f->ncols; c++)
		draw_text(w, in.y, x + c * f->colw, f->colw - 1, C_PANE_TITLE,
		          A_BOLD | (f->cols[c] == sel ? A_UNDERLINE : 0), m->actors[f->cols[c]].name);
	x += f->ncols * f->colw;
	for (int k = 0; k < f->nvars; k++) {
		draw_text(w, in.y, x, trace_var_width(m, f->vars[k]), C_VALUE, A_BOLD,
		          m->objs[f->vars[k]].name);
		x += trace_var_width(m, f->vars[k]) + 1;
	}
}

/* Row r at y: its step number, its actor's cell, the variables after it. */
static void
trace_row(WINDOW *w, struct rect in, int y, int r, uint64_t step, const struct trace_frame *f,
          const struct run_view *rv)
{
	const struct ls_model *m = f->m;
	const struct ls_event *e = &m->history[f->rowev[r] % LS_HISTORY];
	int hidden = rv->predict && f->rowev[r] >= rv->revealed;
	int x = in.x + f->stepw;
	char cell[200];

	draw_printf(w, y, in.x, f->stepw, C_DIM, 0, "%4llu", (unsigned long long)step);
	for (int c = 0; c < f->ncols; c++) {
		if (f->cols[c] != e->actor)
			continue;
		trace_cell(m, e, hidden, cell, sizeof cell);
		draw_text(w, y, x + c * f->colw, f->colw - 1,
		          hidden ? C_DIM : e->phase == LS_PH_BLOCK ? C_ACTOR_BLOCKED : C_NORMAL,
		          e->actor == rv->sel ? A_BOLD : 0, cell);
	}
	x += f->ncols * f->colw;
	for (int k = 0; k < f->nvars; k++) {
		int vw = trace_var_width(m, f->vars[k]);

		if (hidden)
			draw_text(w, y, x, vw, C_DIM, 0, "?");
		else
			draw_printf(w, y, x, vw, C_VALUE, 0, "%ld", f->rowvals[r][k]);
		x += vw + 1;
	}
}

static void
trace_draw(WINDOW *w, struct rect b, const struct run_view *rv)
{
	struct trace_frame f;
	const struct ls_model *m = ls_run_model(rv->run);
	uint64_t steps = 0;
	char title[96];
	struct rect in;

	snprintf(title, sizeof title, "%s%s", _("Trace"),
	         rv->predict ? _(" (predict: e reveals, E off)") : in_w_wide(b) ? _("  e: predict") : "");
	in = draw_box(w, b, C_BORDER, title);
	f.m = m;
	f.nvars = f.varw = f.nrows = 0;
	f.first = m->nhistory > LS_HISTORY ? m->nhistory - LS_HISTORY : 0;
	f.stepw = 5;
	f.rows = in.h - 1;
	if (f.rows <= 0 || in.w < 20)
		return;
	if (f.rows > TRACE_ROWS)
		f.rows = TRACE_ROWS;
	trace_layout(&f, rv, in);
	trace_gather(&f);
	trace_header(w, in, &f, rv->sel);
	if (f.nrows == 0) {
		draw_text(w, in.y + 1, in.x, in.w, C_DIM, 0, "(no step yet)");
		return;
	}
	/* Rows, oldest of those shown at the top. */
	for (uint64_t i = f.first; i <= f.rowev[f.nrows - 1] && i < m->nhistory; i++)
		steps += trace_is_row(m, &m->history[i % LS_HISTORY]);
	for (int r = f.nrows - 1, y = in.y + 1; r >= 0; r--, y++)
		trace_row(w, in, y, r, steps + (uint64_t)(f.nrows - 1 - r), &f, rv);
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
};
