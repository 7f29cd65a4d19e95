/*
 * panes.c - the run view's panes, each a function drawing one rectangle of
 * the run from its model (and the run's own status and verdict).  The model
 * is the only source of truth: a pane never derives state from the trace by
 * itself beyond formatting events for the interleaving.  Must never change
 * the run; keys and the controller belong to run_view.c.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "model/op.h"
#include "tui/tui_int.h"

/* ---- helpers ---- */

static int panes_object_waiters(const struct run_view *rv, int o);

static const char *
panes_actor_name(const struct ls_model *m, int a)
{
	if (a == LS_NO_ACTOR)
		return "run";
	return a >= 0 && a < m->nactors ? m->actors[a].name : "?";
}

static const char *
panes_obj_name(const struct ls_model *m, int obj)
{
	return obj >= 0 && obj < m->nobjs ? m->objs[obj].name : "?";
}

/* The absolute indices still held by the history ring: [first, m->nhistory). */
static uint64_t
panes_history_first(const struct ls_model *m)
{
	return m->nhistory > LS_HISTORY ? m->nhistory - LS_HISTORY : 0;
}

static const struct ls_event *
panes_history_at(const struct ls_model *m, uint64_t i)
{
	return &m->history[i % LS_HISTORY];
}

/* "T1 T2 T3 +7" in at most width columns; returns the columns used. */
static int
panes_actor_list(WINDOW *w, int y, int x, int width, const struct ls_model *m,
                 const int *ids, int n, enum tui_role r)
{
	int used = 0;

	for (int i = 0; i < n; i++) {
		const char *name = panes_actor_name(m, ids[i]);
		int need = draw_width(name) + (i ? 1 : 0);
		char more[24];
		int mw = snprintf(more, sizeof more, " +%d", n - i);

		/* Keep room for "+N" unless this is the last one. */
		if (used + need + (i + 1 < n ? mw : 0) > width) {
			used += draw_text(w, y, x + used, width - used, C_DIM, 0, i ? more : more + 1);
			break;
		}
		used += draw_printf(w, y, x + used, width - used, r, 0, "%s%s", i ? " " : "", name);
	}
	return used;
}

/* ---- the actors pane ---- */

void
panes_actor_summary(const struct ls_model *m, char *buf, size_t len)
{
	/* Busiest states first reads better than enum order. */
	static const char *const order[] = {
		"running", "ready", "blocked", "waiting", "sleeping", "starting", "done", "crashed",
	};
	int count[sizeof order / sizeof order[0]] = { 0 };
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < m->nactors; i++) {
		const char *w = ls_model_state_word(m, i);

		for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
			if (strcmp(w, order[k]) == 0)
				count[k]++;
	}
	for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
		if (!count[k] || used >= len)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s %d", used ? ", " : "",
		                         order[k], count[k]);
	}
	if (!buf[0])
		snprintf(buf, len, "no actors");
}

void
panes_actors(WINDOW *w, struct rect b, struct run_view *rv)
{
	const struct ls_model *m = ls_run_model(rv->run);
	const struct ls_scenario *s = rv->s;
	const struct theme_glyphs *g = theme_glyphs();
	int stepping = ls_run_policy(rv->run) != LS_POLICY_FREE;
	int next = stepping ? run_view_next(rv) : -1;
	int procs = ls_run_kind(rv->run) == LS_ACTORS_PROCESSES;
	int namew = 2, rolew = 0, rows, show_id, show_role, saidw = 0, detailw;
	char title[64], summary[256];
	struct rect in;

	snprintf(title, sizeof title, "Actors (%d %s)", m->nactors, procs ? "processes" : "threads");
	in = draw_box(w, b, C_BORDER, title);
	rv->hit_actors = (struct rect){ 0, 0, 0, 0 };
	if (in.h <= 0)
		return;
	panes_actor_summary(m, summary, sizeof summary);
	draw_text(w, in.y, in.x, in.w, C_DIM, 0, summary);
	rows = in.h - 1;
	if (rows <= 0)
		return;
	for (int i = 0; i < m->nactors; i++) {
		int n = draw_width(m->actors[i].name);
		int r = m->actors[i].role;

		namew = n > namew ? n : namew;
		if (r >= 0 && r < s->nroles && s->roles[r].name &&
		    (n = draw_width(s->roles[r].name)) > rolew)
			rolew = n;
	}
	/* What drops first when narrow: the role, then the thread id. */
	show_role = rolew > 0 && in.w >= 72;
	show_id = in.w >= 60;
	detailw = in.w - 2 - (namew + 1) - (show_role ? rolew + 1 : 0) - (show_id ? 12 : 0) - 9;
	if (m->noutput > 0 && detailw >= 54) {
		saidw = detailw / 3;
		detailw -= saidw + 1;
	}
	/* Keep the selection visible; the list scrolls under it. */
	if (rv->sel >= m->nactors)
		rv->sel = m->nactors - 1;
	if (rv->sel < 0)
		rv->sel = 0;
	if (rv->sel < rv->top)
		rv->top = rv->sel;
	if (rv->sel >= rv->top + rows)
		rv->top = rv->sel - rows + 1;
	if (rv->top > m->nactors - rows)
		rv->top = m->nactors - rows > 0 ? m->nactors - rows : 0;
	rv->hit_actors = (struct rect){ in.y + 1, in.x, rows, in.w };
	rv->hit_actors_top = rv->top;
	for (int r = 0; r < rows && rv->top + r < m->nactors; r++) {
		int a = rv->top + r, y = in.y + 1 + r, x = in.x;
		const struct ls_model_actor *ac = &m->actors[a];
		int can = ac->state == LS_AS_GATE ? ls_model_can_proceed(m, a) : 1;
		enum tui_role role = theme_actor_role(ac->state, can);
		attr_t ex = a == rv->sel ? A_REVERSE : 0;
		char desc[256];

		if (ex)
			draw_fill(w, y, in.x, in.w, role, ex);
		x += draw_printf(w, y, x, in.w, C_KEY, ex, "%lc",
		                 a == next ? (wint_t)g->pointer : (wint_t)L' ');
		x += 1;
		draw_text(w, y, x, namew, a == rv->sel ? role : C_NORMAL,
		          ex | A_BOLD | (a == rv->last_moved ? A_UNDERLINE : 0), ac->name);
		x += namew + 1;
		if (show_role) {
			if (ac->role >= 0 && ac->role < s->nroles && s->roles[ac->role].name)
				draw_text(w, y, x, rolew, C_DIM, ex, s->roles[ac->role].name);
			x += rolew + 1;
		}
		if (show_id) {
			int id = ls_run_actor_os_id(rv->run, a);

			if (id > 0)
				draw_printf(w, y, x, 11, C_DIM, ex, "%s %d", procs ? "pid" : "tid", id);
			x += 12;
		}
		draw_text(w, y, x, 8, role, ex, ls_model_state_word(m, a));
		x += 9;
		ls_model_detail(m, a, desc, sizeof desc);
		draw_text(w, y, x, detailw, a == rv->sel ? role : C_NORMAL, ex, desc);
		x += detailw + 1;
		if (saidw > 0 && ac->said[0])
			draw_printf(w, y, x, saidw, a == rv->sel ? role : C_PANE_TITLE, ex,
			            "\"%s\"", ac->said);
	}
	if (rv->top > 0)
		draw_printf(w, b.y, b.x + b.w - 3, 1, C_BORDER, 0, "%lc", (wint_t)g->more_up);
	if (rv->top + rows < m->nactors)
		draw_printf(w, b.y + b.h - 1, b.x + b.w - 3, 1, C_BORDER, 0, "%lc",
		            (wint_t)g->more_down);
}

/* One row of shared state: "balance = 1 · lock held by T1, 1 waiting". */
void
panes_state_strip(WINDOW *w, int y, int x, int width, struct run_view *rv)
{
	const struct ls_model *m = ls_run_model(rv->run);
	const char *sep = theme_glyphs()->sep;
	int end = x + width;

	draw_fill(w, y, x, width, C_NORMAL, 0);
	for (int o = 0; o < m->nobjs && x < end; o++) {
		const struct ls_model_obj *ob = &m->objs[o];
		int nw = panes_object_waiters(rv, o);

		if (o)
			x += draw_text(w, y, x, end - x, C_DIM, 0, sep);
		x += draw_text(w, y, x, end - x, C_NORMAL, A_BOLD, ob->name);
		switch (ob->kind) {
		case LS_OBJ_VAR:
			x += draw_printf(w, y, x, end - x, C_VALUE, 0, " = %ld", ob->value);
			break;
		case LS_OBJ_MUTEX:
			if (ob->owner >= 0)
				x += draw_printf(w, y, x, end - x, C_OWNER, 0, " held by %s",
				                 panes_actor_name(m, ob->owner));
			else
				x += draw_text(w, y, x, end - x, C_DIM, 0, " free");
			break;
		case LS_OBJ_SEM:
			x += draw_printf(w, y, x, end - x, C_VALUE, 0, " %ld", ob->value);
			if (ob->bound > 0)
				x += draw_printf(w, y, x, end - x, C_VALUE, 0, "/%ld", ob->bound);
			break;
		case LS_OBJ_EVENT:
			x += draw_text(w, y, x, end - x, C_VALUE, 0, ob->value ? " set" : " clear");
			break;
		case LS_OBJ_FILE: {
			char text[LS_FILE_SHOWN + 1];

			snprintf(text, sizeof text, "%s", ob->text);
			for (char *p = text; *p; p++)
				if (*p == '\n' || *p == '\r' || *p == '\t')
					*p = ' ';
			x += draw_printf(w, y, x, end - x, C_VALUE, 0, " \"%s\"", text);
			break;
		}
		default:
			break;
		}
		if (nw > 0)
			x += draw_printf(w, y, x, end - x, C_WAITER, 0, ", %d%s waiting", nw,
			                 nw >= 64 ? "+" : "");
	}
}

/* ---- the shared objects pane ---- */

/* Objects someone waits for get a second line listing the waiters. */
static int
panes_object_waiters(const struct run_view *rv, int o)
{
	const struct ls_model *m = ls_run_model(rv->run);
	int k = m->objs[o].kind;

	if (k != LS_OBJ_MUTEX && k != LS_OBJ_SEM && k != LS_OBJ_EVENT && k != LS_OBJ_COND)
		return 0;
	ls_model_waiters(m, o, rv->scratch, m->nactors);
	return ls_model_nwaiters(m, o);
}

/* Semaphores list their holders on a line of their own. */
static int
panes_object_holders(const struct run_view *rv, int o)
{
	const struct ls_model *m = ls_run_model(rv->run);

	if (m->objs[o].kind != LS_OBJ_SEM)
		return 0;
	return ls_model_holders(m, o, rv->scratch, m->nactors);
}

int
panes_objects_rows(const struct run_view *rv, int width)
{
	const struct ls_model *m = ls_run_model(rv->run);
	int rows = 0;

	(void)width;
	for (int o = 0; o < m->nobjs; o++)
		rows += 1 + (panes_object_holders(rv, o) > 0) + (panes_object_waiters(rv, o) > 0);
	return (rows > 0 ? rows : 1) + 2;
}

/* Returns the rows used: 1, plus a line of holders and one of waiters. */
static int
panes_object_line(WINDOW *w, int y, int x, int width, int namew, int kindw,
                  struct run_view *rv, int o, int room)
{
	const struct ls_model *m = ls_run_model(rv->run);
	const struct ls_model_obj *ob = &m->objs[o];
	int x0 = x, end = x + width, n, used;
	char text[LS_FILE_SHOWN + 1];

	draw_text(w, y, x, namew, C_NORMAL, A_BOLD, ob->name);
	x += namew + 1;
	draw_text(w, y, x, kindw, C_DIM, 0, ls_obj_kind_name(ob->kind));
	x += kindw + 1;
	switch (ob->kind) {
	case LS_OBJ_VAR:
		draw_printf(w, y, x, end - x, C_VALUE, 0, "= %ld", ob->value);
		return 1;
	case LS_OBJ_MUTEX:
		if (ob->owner >= 0) {
			x += draw_text(w, y, x, end - x, C_DIM, 0, "held by ");
			x += draw_text(w, y, x, end - x, C_OWNER, 0, panes_actor_name(m, ob->owner));
			/* A reentrant lock taken again by its holder. */
			if (ob->value > 1)
				x += draw_printf(w, y, x, end - x, C_DIM, 0, ", depth %ld", ob->value);
		} else {
			x += draw_text(w, y, x, end - x, C_DIM, 0, "free");
		}
		break;
	case LS_OBJ_SEM:
		if (ob->bound > 0)
			x += draw_printf(w, y, x, end - x, C_VALUE, 0, "%ld/%ld", ob->value, ob->bound);
		else
			x += draw_printf(w, y, x, end - x, C_VALUE, 0, "%ld", ob->value);
		if (ob->refused > 0)
			x += draw_printf(w, y, x, end - x, C_ERROR, 0, " refused %ld", ob->refused);
		break;
	case LS_OBJ_EVENT:
		x += draw_text(w, y, x, end - x, C_VALUE, 0, ob->value ? "set" : "clear");
		break;
	case LS_OBJ_COND:
		break;
	case LS_OBJ_FILE:
		snprintf(text, sizeof text, "%s", ob->text);
		for (char *p = text; *p; p++)
			if (*p == '\n' || *p == '\r' || *p == '\t')
				*p = ' ';
		draw_printf(w, y, x, end - x, C_VALUE, 0, "\"%s\"", text);
		return 1;
	}
	used = 1;
	n = panes_object_holders(rv, o);
	if (n > 0 && used < room) {
		x = x0 + 2;
		x += draw_printf(w, y + used, x, end - x, C_DIM, 0, "%d held by: ", n);
		panes_actor_list(w, y + used, x, end - x, m, rv->scratch, n, C_OWNER);
		used++;
	}
	n = panes_object_waiters(rv, o);
	if (n > 0 && used < room) {
		x = x0 + 2;
		x += draw_printf(w, y + used, x, end - x, C_DIM, 0, "%d waiting: ", n);
		panes_actor_list(w, y + used, x, end - x, m, rv->scratch, n, C_WAITER);
		used++;
	}
	return used;
}

void
panes_objects(WINDOW *w, struct rect b, struct run_view *rv)
{
	const struct ls_model *m = ls_run_model(rv->run);
	struct rect in = draw_box(w, b, C_BORDER, "Shared objects");
	int namew = 4, kindw = 3;

	if (in.h <= 0)
		return;
	if (m->nobjs == 0) {
		draw_text(w, in.y, in.x, in.w, C_DIM, 0, "(none)");
		return;
	}
	for (int o = 0; o < m->nobjs; o++) {
		int n = draw_width(m->objs[o].name), k = draw_width(ls_obj_kind_name(m->objs[o].kind));

		namew = n > namew ? n : namew;
		kindw = k > kindw ? k : kindw;
	}
	if (namew > in.w * 2 / 5)
		namew = in.w * 2 / 5;
	if (kindw > 9)
		kindw = 9;
	for (int o = 0, y = in.y; o < m->nobjs && y < in.y + in.h; o++) {
		if (y == in.y + in.h - 1 && o + 1 < m->nobjs) {
			draw_printf(w, y, in.x, in.w, C_DIM, 0, "+%d more", m->nobjs - o);
			break;
		}
		y += panes_object_line(w, y, in.x, in.w, namew, kindw, rv, o, in.y + in.h - y);
	}
}

/* ---- the interleaving ---- */

int
panes_event_text(const struct ls_model *m, const struct ls_event *e, int with_line,
                 char *buf, size_t len)
{
	const char *who = panes_actor_name(m, e->actor);
	const char *obj = e->obj != LS_NO_OBJ ? panes_obj_name(m, e->obj) : "";

	/* "About to" events are the actors pane's business; show what happened. */
	if (!ls_op_sentence(e, who, obj, buf, len))
		return 0;
	size_t n = strlen(buf);
	if (with_line && n < len && e->line > 0)
		snprintf(buf + n, len - n, " (line %d)", (int)e->line);
	return 1;
}

static enum tui_role
panes_event_role(const struct ls_event *e)
{
	const struct ls_op_info *op = ls_op_info(e->op);

	if (e->op == LS_OP_CRASH)
		return C_ACTOR_CRASHED;
	if (op->wait == LS_WAIT_TIME)
		return C_ACTOR_SLEEPING;
	if (e->phase == LS_PH_BLOCK)
		return C_ACTOR_BLOCKED;
	if (e->phase == LS_PH_FAIL)
		return C_ERROR;
	if (op->flags & LS_OPF_HOLD)
		return C_OWNER;
	if (op->flags & LS_OPF_LIFECYCLE)
		return C_DIM;
	if (op->access == LS_ACC_WRITE || op->access == LS_ACC_UPDATE)
		return C_VALUE;
	return C_NORMAL;
}

void
panes_history(WINDOW *w, struct rect b, struct run_view *rv)
{
	const struct ls_model *m = ls_run_model(rv->run);
	const struct theme_glyphs *g = theme_glyphs();
	uint64_t first = panes_history_first(m), i = m->nhistory;
	int rows, shown = 0, skip;
	char title[64], line[256];
	struct rect in;

	snprintf(title, sizeof title, "Interleaving (%llu events)", (unsigned long long)m->events);
	in = draw_box(w, b, C_BORDER, title);
	rows = in.h;
	if (rows <= 0)
		return;
	/* Walk back from the newest, newest at the bottom like a log. */
	skip = rv->history_back;
	while (i > first && shown < rows) {
		const struct ls_event *e = panes_history_at(m, --i);
		attr_t ex;

		if (!panes_event_text(m, e, 1, line, sizeof line))
			continue;
		if (skip > 0) {
			skip--;
			continue;
		}
		/* A narrow pane keeps the event and drops its line number. */
		if (draw_width(line) > in.w)
			panes_event_text(m, e, 0, line, sizeof line);
		ex = e->actor == rv->sel ? A_BOLD : 0;
		draw_text(w, in.y + rows - 1 - shown, in.x, in.w, panes_event_role(e), ex, line);
		shown++;
	}
	if (skip > 0 || (shown < rows && rv->history_back > 0)) {
		/* Scrolled past the oldest kept event: pull back. */
		rv->history_back -= skip;
		if (rv->history_back < 0)
			rv->history_back = 0;
	}
	if (shown == 0)
		draw_text(w, in.y, in.x, in.w, C_DIM, 0, "(nothing has happened yet)");
	if (rv->history_back > 0)
		draw_printf(w, b.y + b.h - 1, b.x + 2, b.w - 4, C_BORDER, 0,
		            " %lc %d newer: ] ", (wint_t)g->more_down, rv->history_back);
	if (first > 0 && i == first && shown == rows)
		draw_printf(w, b.y, b.x + b.w - 3, 1, C_BORDER, 0, "%lc", (wint_t)g->more_up);
}

/* ---- what the actors said ---- */

void
panes_output(WINDOW *w, struct rect b, struct run_view *rv)
{
	const struct ls_model *m = ls_run_model(rv->run);
	uint64_t first = m->noutput > LS_OUTPUT_LINES ? m->noutput - LS_OUTPUT_LINES : 0;
	uint64_t i = m->noutput;
	struct rect in = draw_box(w, b, C_BORDER, "Output");
	int shown = 0;

	if (in.h <= 0)
		return;
	while (i > first && shown < in.h) {
		const struct ls_output_line *o = &m->output[--i % LS_OUTPUT_LINES];
		int y = in.y + in.h - 1 - shown, x = in.x;

		x += draw_printf(w, y, x, in.w, C_PANE_TITLE, 0, "%s: ", panes_actor_name(m, o->actor));
		draw_text(w, y, x, in.x + in.w - x, C_NORMAL, 0, o->text);
		shown++;
	}
	if (shown == 0)
		draw_text(w, in.y, in.x, in.w, C_DIM, 0, "(no actor has said anything)");
}

/* ---- the verdict ---- */

void
panes_verdict(WINDOW *w, struct rect b, struct run_view *rv)
{
	struct ls_verdict v;
	enum ls_run_status st = ls_run_status(rv->run);
	enum tui_role role;
	const char *reason = ls_run_reason(rv->run);
	struct rect in;
	int y;

	memset(&v, 0, sizeof v);
	v.ok = -1;
	ls_run_verdict(rv->run, &v);
	role = v.ok > 0 ? C_VERDICT_OK : v.ok == 0 ? C_VERDICT_BAD : C_VERDICT_PENDING;
	if (st == LS_RUN_DEADLOCK || st == LS_RUN_DIVERGED)
		role = C_VERDICT_BAD;
	in = draw_box(w, b, role, v.ok > 0 ? "Verdict: as expected"
	              : v.ok == 0 ? "Verdict: not as expected" : "Verdict: so far");
	if (in.h <= 0)
		return;
	y = in.y;
	if ((st == LS_RUN_DEADLOCK || st == LS_RUN_DIVERGED) && reason && *reason) {
		char buf[600];

		snprintf(buf, sizeof buf, "%s: %s", ls_run_status_name(st), reason);
		y += draw_wrap(w, (struct rect){ y, in.x, in.y + in.h - y, in.w }, 0, C_ERROR, buf);
	}
	if (y < in.y + in.h && v.summary[0])
		y += draw_wrap(w, (struct rect){ y, in.x, in.y + in.h - y, in.w }, 0, role, v.summary);
	if (y < in.y + in.h && (v.expected[0] || v.observed[0])) {
		char buf[400];
		int x = in.x;

		if (draw_width(v.expected) + draw_width(v.observed) + 20 <= in.w) {
			x += draw_text(w, y, x, in.w, C_DIM, 0, "expected ");
			x += draw_text(w, y, x, in.x + in.w - x, C_NORMAL, 0, v.expected);
			x += draw_text(w, y, x + 2, in.x + in.w - x - 2, C_DIM, 0, "observed ") + 2;
			draw_text(w, y, x, in.x + in.w - x, role, 0, v.observed);
			y++;
		} else {
			/* Each on its own wrapped lines; the label is drawn over in dim. */
			snprintf(buf, sizeof buf, "expected %s", v.expected);
			draw_wrap(w, (struct rect){ y, in.x, in.y + in.h - y, in.w }, 0, C_NORMAL, buf);
			draw_text(w, y, in.x, in.w, C_DIM, 0, "expected");
			y += draw_wrap(NULL, (struct rect){ 0, 0, 0, in.w }, 0, C_NORMAL, buf);
			if (y < in.y + in.h) {
				snprintf(buf, sizeof buf, "observed %s", v.observed);
				draw_wrap(w, (struct rect){ y, in.x, in.y + in.h - y, in.w }, 0, role, buf);
				draw_text(w, y, in.x, in.w, C_DIM, 0, "observed");
				y += draw_wrap(NULL, (struct rect){ 0, 0, 0, in.w }, 0, C_NORMAL, buf);
			}
		}
	}
	if (y < in.y + in.h && v.nfigures > 0) {
		int x = in.x;

		for (int f = 0; f < v.nfigures && f < LS_FIGURES_MAX && x < in.x + in.w; f++)
			x += draw_printf(w, y, x, in.x + in.w - x, C_DIM, 0, "%s%s %g",
			                 f ? theme_glyphs()->sep : "", v.figures[f].name,
			                 v.figures[f].value);
	}
}

int
panes_verdict_rows(struct run_view *rv, int width, int figures)
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

		snprintf(buf, sizeof buf, "expected %s", v.expected);
		rows += draw_wrap(NULL, area, 0, C_NORMAL, buf);
		snprintf(buf, sizeof buf, "observed %s", v.observed);
		rows += draw_wrap(NULL, area, 0, C_NORMAL, buf);
	}
	if (figures && v.nfigures > 0)
		rows++;
	return (rows > 0 ? rows : 1) + 2;
}

/* ---- the lesson ---- */

/* ---- the story: the lesson, or a walkthrough's narration ---- */

/* What the narration says after at steps, the run over or not. */
static const char *
panes_story_text(const struct run_view *rv, int at, int over, char *buf, size_t len)
{
	const struct ls_walkthrough *wt = &rv->s->walkthroughs[rv->walk];

	if (at <= 0)
		snprintf(buf, len, "%d steps: space takes the first. The source pane marks "
		         "where each actor is; the highlighted line is the one just run.",
		         wt->nsteps);
	else if (at <= wt->nsteps && !(at == wt->nsteps && over))
		snprintf(buf, len, "%s", wt->steps[at - 1].say);
	else if (over)
		snprintf(buf, len, "%s%s%s", at == wt->nsteps ? wt->steps[wt->nsteps - 1].say : "",
		         at == wt->nsteps ? "\n" : "", wt->ending ? wt->ending : "");
	else
		snprintf(buf, len, "The script is over, the run is not: space lets the "
		         "remaining actors finish.");
	return buf;
}

static int
panes_run_over(const struct run_view *rv)
{
	enum ls_run_status st = ls_run_status(rv->run);

	return st != LS_RUN_RUNNING && st != LS_RUN_READY;
}

/*
 * While the walkthrough runs its box is as tall as its longest step, so
 * the panes under it keep still from one step to the next.
 */
int
panes_story_rows(struct run_view *rv, int width)
{
	struct rect area = { 0, 0, 0, width - 2 };
	char text[2048];
	int rows = 1;

	if (rv->walk < 0)
		return panes_lesson_lines(rv->s, width - 2) + 2;
	if (panes_run_over(rv))
		return draw_wrap(NULL, area, 0, C_NARRATION,
		                 panes_story_text(rv, rv->walk_at, 1, text, sizeof text)) + 2;
	for (int at = 0; at <= rv->s->walkthroughs[rv->walk].nsteps; at++) {
		int n = draw_wrap(NULL, area, 0, C_NARRATION,
		                  panes_story_text(rv, at, 0, text, sizeof text));

		rows = n > rows ? n : rows;
	}
	return rows + 2;
}

void
panes_story(WINDOW *w, struct rect b, struct run_view *rv)
{
	const struct ls_walkthrough *wt;
	char title[160], hint[96], text[2048];
	struct rect in;
	int used, over;

	if (rv->walk < 0) {
		in = draw_box(w, b, C_BORDER, "Lesson");
		if (in.h > 0)
			panes_lesson(w, in, rv->s, 0);
		return;
	}
	wt = &rv->s->walkthroughs[rv->walk];
	over = panes_run_over(rv);
	if (rv->s->nwalkthroughs > 1)
		snprintf(title, sizeof title, "Walkthrough %d/%d: %s", rv->walk + 1,
		         rv->s->nwalkthroughs, wt->title);
	else
		snprintf(title, sizeof title, "Walkthrough: %s", wt->title);
	in = draw_box(w, b, C_PANE_TITLE, title);
	if (in.h <= 0)
		return;
	used = draw_wrap(w, in, 0, C_NARRATION,
	                 panes_story_text(rv, rv->walk_at, over, text, sizeof text));
	/* Room to spare: the lesson under the narration. */
	if (used + 2 <= in.h)
		panes_lesson(w, (struct rect){ in.y + used + 1, in.x, in.h - used - 1, in.w },
		             rv->s, 0);
	if (rv->walk_at < wt->nsteps) {
		const char *who = wt->steps[rv->walk_at].actor;

		snprintf(hint, sizeof hint, " step %d of %d%s%s: space ", rv->walk_at, wt->nsteps,
		         who ? ", next " : "", who ? who : "");
	} else if (!over) {
		snprintf(hint, sizeof hint, " step %d of %d: space finishes ", rv->walk_at, wt->nsteps);
	} else {
		snprintf(hint, sizeof hint, " the end%s ",
		         rv->s->nwalkthroughs > 1 ? ": w for the next walkthrough" : "");
	}
	if (b.w > 20) {
		int hw = draw_width(hint);

		draw_text(w, b.y + b.h - 1, b.x + b.w - hw - 2 > b.x + 1 ? b.x + b.w - hw - 2 : b.x + 1,
		          b.w - 3, C_KEY, 0, hint);
	}
}

int
panes_lesson_lines(const struct ls_scenario *s, int width)
{
	return draw_wrap(NULL, (struct rect){ 0, 0, 0, width }, 0, C_NORMAL,
	                 s->lesson ? s->lesson : "");
}

void
panes_lesson(WINDOW *w, struct rect b, const struct ls_scenario *s, int skip)
{
	draw_wrap(w, b, skip, C_NORMAL, s->lesson ? s->lesson : "(this lesson has no text)");
}
