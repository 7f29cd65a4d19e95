/*
 * actors.c - the actors pane: a row per actor with its state, its next
 * operation and what it last said, the policy's next pick marked and the
 * selection reversed.  The rows are the process tree (ls_model_tree): a
 * forked child under its parent, a program an actor started under that
 * actor, each with its pid.  The list scrolls under the selection;
 * actors_update keeps it in view before each frame, so drawing only reads.
 * Must never change the run.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "engine/pymap.h"
#include "tui/tui_int.h"

/* "running 3, sleeping 90, done 7" */
static void
actors_summary(const struct ls_model *m, char *buf, size_t len)
{
	/* Busiest states first reads better than enum order. */
	static const char *const order[] = {
		"running", "ready", "blocked", "waiting", "sleeping", "starting", "done", "cut off",
		"crashed",
	};
	int count[sizeof order / sizeof order[0]] = { 0 };
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < m->nactors; i++) {
		if (!ls_model_shown(m, i))
			continue;
		const char *w = ls_model_state_word(m, i);

		for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
			if (strcmp(w, order[k]) == 0)
				count[k]++;
	}
	for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
		if (!count[k] || used >= len)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s %d", used ? ", " : "",
		                         _(order[k]), count[k]);
	}
	if (!buf[0])
		snprintf(buf, len, "no actors");
}

/* "new_balance=1 count=3": an actor's named locals (ls_local), newest last. */
static int
actors_locals(const struct ls_model_actor *ac, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int k = 0; k < ac->nlocals && used < len; k++) {
		int n = snprintf(buf + used, len - used, "%s%s=%lld", k ? " " : "",
		                 ac->locals[k].name, (long long)ac->locals[k].value);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return draw_width(buf);
}

/*
 * With the Python shown (the default), a parked actor's next operation as
 * its Python line ("next: self._balance = new_balance"); 0 when it has
 * none, or when it cannot proceed: then what it waits for says more.
 */
static int
actors_python_next(const struct run_view *rv, int a, char *buf, size_t len)
{
	const struct ls_model_actor *ac = &ls_run_model(rv->run)->actors[a];
	int py = rv->src_python ? ls_pymap_line(rv->pymap, ac->line) : 0;
	const char *code, *tag;

	if (ac->state != LS_AS_GATE || py <= 0 || py > rv->src.n ||
	    !ls_model_can_proceed(ls_run_model(rv->run), a))
		return 0;
	for (code = rv->src.line[py]; *code == ' ' || *code == '\t'; code++)
		;
	tag = strstr(code, "# @op:");
	while (tag && tag > code && tag[-1] == ' ')
		tag--;
	snprintf(buf, len, _("next: %.*s"), tag ? (int)(tag - code) : (int)strlen(code), code);
	return 1;
}

/* The tree's rows now, in rv->tree (sized for all of them). */
static int
actors_tree(const struct run_view *rv)
{
	const struct ls_model *m = ls_run_model(rv->run);

	return ls_model_tree(m, rv->tree, ls_model_tree_size(m));
}

/* The row that shows actor a (0 when the tree is not built). */
static int
actors_row_of(const struct run_view *rv, int nrows, int a)
{
	for (int i = 0; i < nrows; i++)
		if (rv->tree[i].actor == a && rv->tree[i].proc < 0)
			return i;
	return 0;
}

int
actors_order(const struct run_view *rv, int *order)
{
	int nrows = actors_tree(rv), n = 0;

	for (int i = 0; i < nrows; i++)
		if (rv->tree[i].proc < 0)
			order[n++] = rv->tree[i].actor;
	return n;
}

/* The list's rows: the inside of the box under the summary line. */
static struct rect
actors_rows_area(struct rect b)
{
	struct rect in = draw_inside(b);

	in.y++;
	in.h--;
	return in;
}

/* Before a frame: the selection an actor there is, and in view. */
static void
actors_update(struct run_view *rv, struct rect b)
{
	const struct ls_model *m = ls_run_model(rv->run);
	int rows = actors_rows_area(b).h, nrows, at;

	if (rv->sel >= m->nactors)
		rv->sel = m->nactors - 1;
	if (rv->sel < 0)
		rv->sel = 0;
	if (rows <= 0)
		return;
	nrows = actors_tree(rv);
	at = actors_row_of(rv, nrows, rv->sel);
	if (at < rv->top)
		rv->top = at;
	if (at >= rv->top + rows)
		rv->top = at - rows + 1;
	if (rv->top > nrows - rows)
		rv->top = nrows - rows > 0 ? nrows - rows : 0;
}

/* A click on an actor's row selects it. */
static int
actors_click(struct run_view *rv, struct rect b, int y, int x)
{
	struct rect r = actors_rows_area(b);
	int nrows = actors_tree(rv);

	if (r.h <= 0 || y < r.y || y >= r.y + r.h || x < r.x || x >= r.x + r.w ||
	    rv->top + y - r.y >= nrows)
		return 0;
	rv->sel = rv->tree[rv->top + y - r.y].actor;   /* a program's row: who started it */
	return 1;
}

/* A row per actor and a summary line, in a box. */
static int
actors_rows(const struct run_view *rv, int width, int big)
{
	(void)width;
	(void)big;
	return ls_model_tree_size(ls_run_model(rv->run)) + 3;
}

/* The tree's indent before a name: two columns a level, the last with the
 * corner glyph ("  └ child"). */
static int
actors_indent(WINDOW *w, int y, int x, int depth, enum tui_role r, attr_t ex)
{
	if (depth <= 0)
		return 0;
	draw_printf(w, y, x + 2 * (depth - 1), 2, r, ex, "%lc ", (wint_t)theme_glyphs()->tree);
	return 2 * depth;
}

/* A program an actor started: "└ program  pid 4242  exited  status 0, started by t-1". */
static void
actors_draw_program(WINDOW *w, int y, struct rect in, const struct ls_model *m,
                    const struct ls_tree_row *row, int namew, int rolew, int show_id, int detailw)
{
	const struct ls_model_proc *pr = &m->procs[row->proc];
	int x = in.x + 2;
	const char *state = pr->killed ? _("killed") : pr->exited ? _("exited") : _("running");
	char desc[160];

	actors_indent(w, y, x, row->depth, C_DIM, 0);
	draw_text(w, y, x + 2 * row->depth, namew - 2 * row->depth, C_DIM, 0, _("program"));
	x += namew + 1 + rolew;
	if (show_id) {
		draw_printf(w, y, x, 11, C_DIM, 0, "pid %d", pr->pid);
		x += 12;
	}
	draw_text(w, y, x, 8, C_DIM, 0, state);
	x += 9;
	if (pr->exited && !pr->killed)
		snprintf(desc, sizeof desc, _("exit status %d, started by %s"), pr->status,
		         m->actors[row->actor].name);
	else
		snprintf(desc, sizeof desc, _("a fresh program started by %s"), m->actors[row->actor].name);
	draw_text(w, y, x, detailw, C_DIM, 0, desc);
}

/* The columns of one frame: who is marked, and how wide each column is. */
struct actors_cols {
	const struct ls_model *m;
	int next;                   /* the policy's (or script's) next pick, or -1 */
	int procs;
	int namew, rolew;           /* rolew 0: the role is not shown */
	int show_id, saidw, detailw;
};

/* The widths: names and roles as wide as the widest, what drops first when narrow. */
static void
actors_widths(struct actors_cols *c, const struct run_view *rv, struct rect in, int nrows)
{
	const struct ls_model *m = c->m;
	const struct ls_scenario *s = rv->s;
	int rolew = 0;

	c->namew = 2;
	for (int i = 0; i < nrows; i++) {
		const struct ls_tree_row *t = &rv->tree[i];
		int n = 2 * t->depth + (t->proc >= 0 ? draw_width(_("program"))
		                                     : draw_width(m->actors[t->actor].name));
		int r = m->actors[t->actor].role;

		c->namew = n > c->namew ? n : c->namew;
		if (t->proc < 0 && r >= 0 && r < s->nroles && s->roles[r].name &&
		    (n = draw_width(s->roles[r].name)) > rolew)
			rolew = n;
	}
	/* What drops first when narrow: the role, then the thread id. */
	c->rolew = rolew > 0 && in.w >= 72 ? rolew : 0;
	c->show_id = in.w >= 60;
	c->detailw = in.w - 2 - (c->namew + 1) - (c->rolew ? c->rolew + 1 : 0) -
	             (c->show_id ? 12 : 0) - 9;
	c->saidw = 0;
	if (m->noutput > 0 && c->detailw >= 54) {
		c->saidw = c->detailw / 3;
		c->detailw -= c->saidw + 1;
	}
}

/* The locals the lesson turns on, beside the state, then the detail. */
static void
actors_draw_detail(WINDOW *w, int y, int x, const struct actors_cols *c,
                   const struct run_view *rv, int a, enum tui_role role, attr_t ex)
{
	const struct ls_model_actor *ac = &c->m->actors[a];
	char desc[256];
	int lw = actors_locals(ac, desc, sizeof desc), used = 0;

	if (lw > 0 && c->detailw >= 12)
		used = draw_text(w, y, x, lw < c->detailw / 2 ? lw : c->detailw / 2, C_PANE_TITLE,
		                 ex, desc) + 1;
	if (!actors_python_next(rv, a, desc, sizeof desc))
		ls_model_detail_at(c->m, a, source_shown_line(rv, ac->line), desc, sizeof desc);
	draw_text(w, y, x + used, c->detailw - used, a == rv->sel ? role : C_NORMAL, ex, desc);
}

/* An actor's row: marks, name, role, id, state, detail, what it said. */
static void
actors_draw_actor(WINDOW *w, int y, struct rect in, const struct actors_cols *c,
                  const struct run_view *rv, const struct ls_tree_row *t)
{
	const struct theme_glyphs *g = theme_glyphs();
	const struct ls_scenario *s = rv->s;
	int a = t->actor, x = in.x, ind, id;
	const struct ls_model_actor *ac = &c->m->actors[a];
	int can = ac->state == LS_AS_GATE ? ls_model_can_proceed(c->m, a) : 1;
	enum tui_role role = theme_actor_role(ac->state, can);
	attr_t ex = a == rv->sel ? A_REVERSE : 0;

	if (ex)
		draw_fill(w, y, in.x, in.w, role, ex);
	x += draw_printf(w, y, x, in.w, C_KEY, ex, "%lc",
	                 a == c->next ? (wint_t)g->pointer : (wint_t)L' ');
	x += draw_printf(w, y, x, in.w, C_KEY, ex, "%lc",
	                 a == rv->sel ? (wint_t)g->cursor : (wint_t)L' ');
	ind = actors_indent(w, y, x, t->depth, C_DIM, ex);
	draw_text(w, y, x + ind, c->namew - ind, a == rv->sel ? role : C_NORMAL,
	          ex | A_BOLD | (a == rv->last_moved ? A_UNDERLINE : 0), ac->name);
	x += c->namew + 1;
	if (c->rolew) {
		if (ac->role >= 0 && ac->role < s->nroles && s->roles[ac->role].name)
			draw_text(w, y, x, c->rolew, C_DIM, ex, s->roles[ac->role].name);
		x += c->rolew + 1;
	}
	if (c->show_id) {
		if ((id = ls_run_actor_os_id(rv->run, a)) > 0)
			draw_printf(w, y, x, 11, C_DIM, ex, "%s %d", c->procs ? "pid" : "tid", id);
		x += 12;
	}
	draw_text(w, y, x, 8, role, ex, _(ls_model_state_word(c->m, a)));
	x += 9;
	actors_draw_detail(w, y, x, c, rv, a, role, ex);
	x += c->detailw + 1;
	if (c->saidw > 0 && ac->said[0])
		draw_printf(w, y, x, c->saidw, a == rv->sel ? role : C_PANE_TITLE, ex,
		            "\"%s\"", ac->said);
}

static void
actors_draw(WINDOW *w, struct rect b, const struct run_view *rv)
{
	const struct ls_model *m = ls_run_model(rv->run);
	const struct theme_glyphs *g = theme_glyphs();
	struct actors_cols c = { .m = m, .next = -1 };
	int rows, nrows;
	char title[64], summary[256];
	struct rect in;

	c.procs = ls_run_kind(rv->run) == LS_ACTORS_PROCESSES;
	if (ls_run_policy(rv->run) != LS_POLICY_FREE)
		c.next = run_guide_next(rv);
	int shown = ls_model_nshown(m);
	snprintf(title, sizeof title, c.procs ? P_("Actors (%d process)", "Actors (%d processes)", shown)
	                                      : P_("Actors (%d thread)", "Actors (%d threads)", shown),
	         shown);
	in = draw_box(w, b, C_BORDER, title);
	if (in.h <= 0)
		return;
	actors_summary(m, summary, sizeof summary);
	draw_text(w, in.y, in.x, in.w, C_DIM, 0, summary);
	rows = in.h - 1;
	if (rows <= 0)
		return;
	nrows = actors_tree(rv);
	actors_widths(&c, rv, in, nrows);
	for (int r = 0; r < rows && rv->top + r < nrows; r++) {
		const struct ls_tree_row *t = &rv->tree[rv->top + r];

		if (t->proc >= 0)
			actors_draw_program(w, in.y + 1 + r, in, m, t, c.namew, c.rolew ? c.rolew + 1 : 0,
			                    c.show_id, c.detailw);
		else
			actors_draw_actor(w, in.y + 1 + r, in, &c, rv, t);
	}
	if (rv->top > 0)
		draw_printf(w, b.y, b.x + b.w - 3, 1, C_BORDER, 0, "%lc", (wint_t)g->more_up);
	if (rv->top + rows < nrows)
		draw_printf(w, b.y + b.h - 1, b.x + b.w - 3, 1, C_BORDER, 0, "%lc",
		            (wint_t)g->more_down);
}

const struct tui_pane actors_pane = {
	.name = N_("Actors"),
	.key = '2',
	.draw = actors_draw,
	.rows = actors_rows,
	.update = actors_update,
	.click = actors_click,
};
