/*
 * objects.c - the shared objects pane: each variable's value, each lock's
 * owner, each semaphore's count and holders, each event's flag, each
 * queue's items, with who waits for them; and its one-row form ("balance =
 * 1 · lock held by T1") for small screens that show another pane; a
 * network's listener and each connection made to it, with the messages in
 * flight each way.  What each kind shows is its entry in the kind table
 * (src/model/kind.c), which draws through the pen here: this file knows no
 * kind of object.  Must never change the run.
 */
#include "config.h"

#include "model/kind.h"
#include "tui/tui_int.h"

/* What the pen draws on: the pane's window and the row its line starts at. */
struct objects_pen {
	struct ls_kind_pen pen;
	WINDOW *w;          /* NULL: only count the rows */
	int y;
	const struct run_view *rv;
};

static enum tui_role
objects_role(enum ls_ink ink)
{
	switch (ink) {
	case LS_INK_VALUE:  return C_VALUE;
	case LS_INK_DIM:    return C_DIM;
	case LS_INK_ERROR:  return C_ERROR;
	case LS_INK_OWNER:  return C_OWNER;
	case LS_INK_WAITER: return C_WAITER;
	}
	return C_NORMAL;
}

static int
objects_put(struct ls_kind_pen *p, enum ls_ink ink, const char *text)
{
	struct objects_pen *op = (struct objects_pen *)p;
	int n;

	if (!op->w)
		return 0;
	n = draw_text(op->w, op->y + p->rows - 1, p->x, p->end - p->x, objects_role(ink), 0, text);
	p->x += n;
	return n;
}

static int
objects_actors(struct ls_kind_pen *p, enum ls_ink ink, const int *ids, int n)
{
	struct objects_pen *op = (struct objects_pen *)p;
	int used;

	if (!op->w)
		return 0;
	used = panes_actor_list(op->w, op->y + p->rows - 1, p->x, p->end - p->x,
	                        ls_run_model(op->rv->run), ids, n, objects_role(ink));
	p->x += used;
	return used;
}

static const char *
objects_flag(const struct ls_kind_pen *p, int obj, long value)
{
	const struct objects_pen *op = (const struct objects_pen *)p;

	return _(ls_run_flag_word(op->rv->run, obj, value));
}

/* A pen for rows from x to x + width, starting at row y of w, at most room rows. */
static struct objects_pen
objects_pen(WINDOW *w, int y, int x, int width, int room, const struct run_view *rv)
{
	struct objects_pen op = {
		.pen = {
			.put = objects_put, .actors = objects_actors, .cells = draw_width,
			.flag = objects_flag, .x = x, .end = x + width, .left = x, .rows = 1,
			.room = room, .sep = theme_glyphs()->sep, .scratch = rv->scratch,
		},
		.w = w, .y = y, .rv = rv,
	};
	return op;
}

/* Every object's rows, counted by drawing its line nowhere: a row each,
 * its kind's rows under it, a row of holders and one of waiters. */
static int
objects_rows(const struct run_view *rv, int width, int big)
{
	const struct ls_model *m = ls_run_model(rv->run);
	int rows = 0;

	(void)big;
	for (int o = 0; o < m->nobjs; o++) {
		if (!m->objs[o].name[0])   /* a slot a Python program has not used */
			continue;
		struct objects_pen op = objects_pen(NULL, 0, 0, width - 2, 1 << 20, rv);

		ls_kind_line(&op.pen, m, o);
		rows += op.pen.rows;
	}
	return (rows > 0 ? rows : 1) + 2;
}

/* Name, kind and the kind's rows; returns the rows used. */
static int
objects_line(WINDOW *w, int y, int x, int width, int namew, int kindw,
             const struct run_view *rv, int o, int room)
{
	const struct ls_model *m = ls_run_model(rv->run);
	const struct ls_model_obj *ob = &m->objs[o];
	struct objects_pen op = objects_pen(w, y, x, width, room, rv);

	draw_text(w, y, x, namew, C_NORMAL, A_BOLD, ob->name);
	draw_text(w, y, x + namew + 1, kindw, C_DIM, 0, ls_obj_kind_word(ob->kind));
	op.pen.x = x + namew + 1 + kindw + 1;
	ls_kind_line(&op.pen, m, o);
	return op.pen.rows;
}

static void
objects_draw(WINDOW *w, struct rect b, const struct run_view *rv)
{
	const struct ls_model *m = ls_run_model(rv->run);
	struct rect in = draw_box(w, b, C_BORDER, _("Shared objects"));
	int namew = 4, kindw = 3;

	if (in.h <= 0)
		return;
	if (m->nobjs == 0) {
		draw_text(w, in.y, in.x, in.w, C_DIM, 0, _("(none)"));
		return;
	}
	for (int o = 0; o < m->nobjs; o++) {
		int n = draw_width(m->objs[o].name), k = draw_width(ls_obj_kind_word(m->objs[o].kind));

		namew = n > namew ? n : namew;
		kindw = k > kindw ? k : kindw;
	}
	if (namew > in.w * 2 / 5)
		namew = in.w * 2 / 5;
	if (kindw > 9)
		kindw = 9;
	for (int o = 0, y = in.y; o < m->nobjs && y < in.y + in.h; o++) {
		if (!m->objs[o].name[0])   /* a slot a Python program has not used */
			continue;
		if (y == in.y + in.h - 1 && o + 1 < m->nobjs) {
			draw_printf(w, y, in.x, in.w, C_DIM, 0, _("+%d more"), m->nobjs - o);
			break;
		}
		y += objects_line(w, y, in.x, in.w, namew, kindw, rv, o, in.y + in.h - y);
	}
}

/* One row of shared state: "balance = 1 · lock held by T1, 1 waiting". */
static void
objects_strip(WINDOW *w, int y, int x, int width, const struct run_view *rv)
{
	const struct ls_model *m = ls_run_model(rv->run);
	const char *sep = theme_glyphs()->sep;
	int end = x + width;

	draw_fill(w, y, x, width, C_NORMAL, 0);
	for (int o = 0; o < m->nobjs && x < end; o++) {
		const struct ls_model_obj *ob = &m->objs[o];
		if (!ob->name[0])
			continue;
		int nw = ls_kind_waiting(m, o, rv->scratch);

		if (o)
			x += draw_text(w, y, x, end - x, C_DIM, 0, sep);
		x += draw_text(w, y, x, end - x, C_NORMAL, A_BOLD, ob->name);
		struct objects_pen op = objects_pen(w, y, x, end - x, 1, rv);
		ls_kind_strip(&op.pen, m, o);
		x = op.pen.x;
		if (nw > 0)
			x += draw_printf(w, y, x, end - x, C_WAITER, 0, _(", %d%s waiting"), nw,
			                 nw >= 64 ? "+" : "");
	}
}

const struct tui_pane objects_pane = {
	.name = N_("Objects"),
	.key = '3',
	.draw = objects_draw,
	.rows = objects_rows,
	.strip = objects_strip,
};
