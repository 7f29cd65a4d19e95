/*
 * verdict.c - the verdict under the panes: expected against observed in
 * words, the figures, and why a run stopped (deadlock, divergence).  Must
 * never change the run.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "model/op.h"
#include "model/race.h"
#include "tui/tui_int.h"

/* "read", "wrote", "changed" for the operation of a racing access. */
static const char *
verdict_access_verb(int op)
{
	switch (ls_op_info(op)->access) {
	case LS_ACC_READ:  return _("read");
	case LS_ACC_WRITE: return _("wrote");
	default:           return _("changed");
	}
}

/*
 * The first data race found, in words, with its lines: a teacher must be
 * able to see why the source pane marks them.  0 when there is none.
 */
static int
verdict_race_text(const struct run_view *rv, char *buf, size_t len)
{
	const struct ls_model *m = ls_run_model(rv->run);
	const struct ls_race *races = NULL;
	size_t n = ls_run_races(rv->run, &races);
	const struct ls_race *r;
	const char *obj;

	if (n == 0)
		return 0;
	r = &races[0];
	obj = r->var >= 0 && r->var < m->nobjs ? m->objs[r->var].name : "?";
	snprintf(buf, len, _("! data race on %s: %s %s it at line %d and %s %s it at line %d, and "
	         "no lock, event or join orders one before the other%s"), obj,
	         panes_actor_name(m, r->a.actor), verdict_access_verb(r->a.op), r->a.line,
	         panes_actor_name(m, r->b.actor), verdict_access_verb(r->b.op), r->b.line,
	         n > 1 ? _(" (more on the source pane's ! lines)") : "");
	return 1;
}

/*
 * What the run view's signs mean, on the verdict's bottom border: the one
 * box every layout shows, so the legend is there at every size.
 */
static void
verdict_legend(WINDOW *w, struct rect b)
{
	const struct theme_glyphs *g = theme_glyphs();
	char legend[160];
	int lw;

	snprintf(legend, sizeof legend, _(" %lc next to move  %lc line just run  %lc selected  "
	         "! data race "), (wint_t)g->pointer, (wint_t)g->exec, (wint_t)g->cursor);
	lw = draw_width(legend);
	if (b.w >= lw + 4)
		draw_text(w, b.y + b.h - 1, b.x + b.w - lw - 2, lw, C_DIM, 0, legend);
}

/* "expected ..." and "observed ...": side by side when they fit, else each wrapped.
 * Returns the row after them. */
static int
verdict_draw_sides(WINDOW *w, struct rect in, int y, const struct ls_verdict *v,
                   enum tui_role role)
{
	char buf[400];
	int x = in.x;

	if (draw_width(v->expected) + draw_width(v->observed) + 20 <= in.w) {
		x += draw_text(w, y, x, in.w, C_DIM, 0, _("expected "));
		x += draw_text(w, y, x, in.x + in.w - x, C_NORMAL, 0, v->expected);
		x += draw_text(w, y, x + 2, in.x + in.w - x - 2, C_DIM, 0, _("observed ")) + 2;
		draw_text(w, y, x, in.x + in.w - x, role, 0, v->observed);
		return y + 1;
	}
	/* Each on its own wrapped lines; the label is drawn over in dim. */
	snprintf(buf, sizeof buf, _("expected %s"), v->expected);
	draw_wrap(w, (struct rect){ y, in.x, in.y + in.h - y, in.w }, 0, C_NORMAL, buf);
	draw_text(w, y, in.x, in.w, C_DIM, 0, _("expected"));
	y += draw_wrap(NULL, (struct rect){ 0, 0, 0, in.w }, 0, C_NORMAL, buf);
	if (y < in.y + in.h) {
		snprintf(buf, sizeof buf, _("observed %s"), v->observed);
		draw_wrap(w, (struct rect){ y, in.x, in.y + in.h - y, in.w }, 0, role, buf);
		draw_text(w, y, in.x, in.w, C_DIM, 0, _("observed"));
		y += draw_wrap(NULL, (struct rect){ 0, 0, 0, in.w }, 0, C_NORMAL, buf);
	}
	return y;
}

static void
verdict_draw_figures(WINDOW *w, struct rect in, int y, const struct ls_verdict *v)
{
	int x = in.x;

	for (int f = 0; f < v->nfigures && f < LS_FIGURES_MAX && x < in.x + in.w; f++)
		x += draw_printf(w, y, x, in.x + in.w - x, C_DIM, 0, "%s%s %g",
		                 f ? theme_glyphs()->sep : "", v->figures[f].name, v->figures[f].value);
}

static void
verdict_draw(WINDOW *w, struct rect b, const struct run_view *rv)
{
	struct ls_verdict v;
	enum ls_run_status st = ls_run_status(rv->run);
	enum tui_role role;
	const char *reason = ls_run_reason(rv->run);
	struct rect in;
	char buf[600];
	int y;

	memset(&v, 0, sizeof v);
	v.ok = -1;
	ls_run_verdict(rv->run, &v);
	role = v.ok > 0 ? C_VERDICT_OK : v.ok == 0 ? C_VERDICT_BAD : C_VERDICT_PENDING;
	if (st == LS_RUN_DEADLOCK || st == LS_RUN_DIVERGED)
		role = C_VERDICT_BAD;
	/* Over and still undecided: the run could not show the lesson (its summary says why). */
	in = draw_box(w, b, role, v.ok > 0 ? _("Verdict: as expected")
	              : v.ok == 0 ? _("Verdict: not as expected")
	              : run_life_over(st) ? _("Verdict: could not show it") : _("Verdict: so far"));
	if (in.h <= 0)
		return;
	verdict_legend(w, b);
	y = in.y;
	if ((st == LS_RUN_DEADLOCK || st == LS_RUN_DIVERGED) && reason && *reason) {
		snprintf(buf, sizeof buf, "%s: %s", ls_run_status_name(st), reason);
		y += draw_wrap(w, (struct rect){ y, in.x, in.y + in.h - y, in.w }, 0, C_ERROR, buf);
	}
	if (y < in.y + in.h && v.summary[0])
		y += draw_wrap(w, (struct rect){ y, in.x, in.y + in.h - y, in.w }, 0, role, v.summary);
	if (y < in.y + in.h && (v.expected[0] || v.observed[0]))
		y = verdict_draw_sides(w, in, y, &v, role);
	if (y < in.y + in.h && verdict_race_text(rv, buf, sizeof buf))
		y += draw_wrap(w, (struct rect){ y, in.x, in.y + in.h - y, in.w }, 0, C_ERROR, buf);
	if (y < in.y + in.h && v.nfigures > 0)
		verdict_draw_figures(w, in, y, &v);
}

/* Rows the verdict wants at this width (border included); big: with its figures. */
static int
verdict_rows(const struct run_view *rv, int width, int big)
{
	struct ls_verdict v;
	enum ls_run_status st = ls_run_status(rv->run);
	const char *reason = ls_run_reason(rv->run);
	struct rect area = { 0, 0, 0, width - 2 };
	int rows = 0;

	memset(&v, 0, sizeof v);
	v.ok = -1;
	ls_run_verdict(rv->run, &v);
	if ((st == LS_RUN_DEADLOCK || st == LS_RUN_DIVERGED) && reason && *reason) {
		char buf[600];

		snprintf(buf, sizeof buf, "%s: %s", ls_run_status_name(st), reason);
		rows += draw_wrap(NULL, area, 0, C_ERROR, buf);
	}
	if (v.summary[0])
		rows += draw_wrap(NULL, area, 0, C_NORMAL, v.summary);
	if (draw_width(v.expected) + draw_width(v.observed) + 20 <= area.w) {
		rows += v.expected[0] || v.observed[0];
	} else {
		char buf[400];

		snprintf(buf, sizeof buf, _("expected %s"), v.expected);
		rows += draw_wrap(NULL, area, 0, C_NORMAL, buf);
		snprintf(buf, sizeof buf, _("observed %s"), v.observed);
		rows += draw_wrap(NULL, area, 0, C_NORMAL, buf);
	}
	{
		char buf[600];

		if (verdict_race_text(rv, buf, sizeof buf))
			rows += draw_wrap(NULL, area, 0, C_ERROR, buf);
	}
	if (big && v.nfigures > 0)
		rows++;
	return (rows > 0 ? rows : 1) + 2;
}

const struct tui_pane verdict_pane = {
	.name = N_("Verdict"),
	.draw = verdict_draw,
	.rows = verdict_rows,
};
