/*
 * objects.c - the shared objects pane: each variable's value, each lock's
 * owner, each semaphore's count and holders, each event's flag, each
 * queue's items, with who waits for them; and its one-row form ("balance =
 * 1 · lock held by T1") for small screens that show another pane; a
 * network's listener and each connection made to it, with the messages in
 * flight each way.  Must never change the run.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "model/op.h"
#include "tui/tui_int.h"

/* A pool's rows under its own: tasks, running, results. */
#define OBJECTS_POOL_ROWS 3

/* Objects someone waits for get a second line listing the waiters. */
static int
objects_waiters(const struct run_view *rv, int o)
{
	const struct ls_model *m = ls_run_model(rv->run);
	int k = m->objs[o].kind;

	if (k != LS_OBJ_MUTEX && k != LS_OBJ_SEM && k != LS_OBJ_EVENT && k != LS_OBJ_COND &&
	    k != LS_OBJ_PIPE && k != LS_OBJ_POOL && k != LS_OBJ_NET)
		return 0;
	/* A single pipe's rows say who waits on which direction already. */
	if (k == LS_OBJ_PIPE && m->objs[o].pipe && m->objs[o].pipe->nconn == 1)
		return 0;
	ls_model_waiters(m, o, rv->scratch, m->nactors);
	return ls_model_nwaiters(m, o);
}

/* Semaphores list their holders on a line of their own. */
static int
objects_holders(const struct run_view *rv, int o)
{
	const struct ls_model *m = ls_run_model(rv->run);

	if (m->objs[o].kind != LS_OBJ_SEM)
		return 0;
	return ls_model_holders(m, o, rv->scratch, m->nactors);
}

/*
 * A queue's waiters come in three kinds, a line each: getters (empty
 * queue), putters (full queue) and joiners (q.join(), items not done).
 * Leaves the ones waiting in op in rv->scratch, in arrival order.
 */
static const int objects_queue_waits[] = { LS_OP_QUEUE_GET, LS_OP_QUEUE_PUT, LS_OP_QUEUE_JOIN };

static int
objects_queue_waiters(const struct run_view *rv, int o, int op)
{
	const struct ls_model *m = ls_run_model(rv->run);
	int n = ls_model_waiters(m, o, rv->scratch, m->nactors), k = 0;

	for (int i = 0; i < n; i++)
		if (m->actors[rv->scratch[i]].op == op)
			rv->scratch[k++] = rv->scratch[i];
	return k;
}

/* Rows a queue takes besides its own: its items, and a line per kind of waiter. */
static int
objects_queue_rows(const struct run_view *rv, int o)
{
	int rows = 1;

	for (size_t k = 0; k < sizeof objects_queue_waits / sizeof objects_queue_waits[0]; k++)
		rows += objects_queue_waiters(rv, o, objects_queue_waits[k]) > 0;
	return rows;
}

/* A pipe of one connection gets a row per direction under its own. */
static int
objects_pipe_rows(const struct ls_model *m, int o)
{
	const struct ls_model_pipe *p = m->objs[o].pipe;

	return p ? (p->nconn == 1 ? 2 : 1) : 0;
}

/* "2 msgs 112 B" or "empty": what one end has sent that is not yet received. */
static int
objects_pipe_flight(WINDOW *w, int y, int x, int width, const struct ls_model_pipe_end *pe)
{
	if (pe->msgs == 0)
		return draw_text(w, y, x, width, C_DIM, 0, _("empty"));
	return draw_printf(w, y, x, width, C_VALUE, 0, P_("%ld msg %ld B", "%ld msgs %ld B", pe->msgs),
	                   pe->msgs, pe->bytes);
}

/* The values in flight, oldest first. */
static int
objects_pipe_values(WINDOW *w, int y, int x, int width, const struct ls_model_pipe_end *pe)
{
	int x0 = x, end = x + width;

	if (pe->nlisted > 0)
		x += draw_text(w, y, x, end - x, C_DIM, 0, ":");
	for (int k = 0; k < pe->nlisted && x < end; k++)
		x += draw_printf(w, y, x, end - x, C_VALUE, 0, " %lld%s", (long long)pe->listed[k].value,
		                 pe->partial && k == pe->nlisted - 1 && k == pe->msgs - 1 ? _(" (part)") : "");
	if (pe->overflow || pe->msgs > pe->nlisted)
		x += draw_text(w, y, x, end - x, C_DIM, 0, " ...");
	return x - x0;
}

/* Who is blocked on one direction of a pipe: senders at from, receivers at from ^ 1. */
static int
objects_pipe_who(WINDOW *w, int y, int x, int width, const struct ls_model *m, int o, int from)
{
	int x0 = x, end = x + width;

	for (int i = 0; i < m->nactors && x < end; i++) {
		const struct ls_model_actor *a = &m->actors[i];
		int blocked = a->state == LS_AS_BLOCKED ||
		              (a->state == LS_AS_GATE && !ls_model_can_proceed(m, i));
		if (a->obj != o || !blocked || (a->arg & LS_PIPE_ANY))
			continue;
		/* What it waits for says which way: room to send, or data to receive. */
		enum ls_op_wait how = ls_op_info(a->op)->wait;
		if (how == LS_WAIT_PIPE_ROOM && LS_PIPE_END(a->arg) == from)
			x += draw_printf(w, y, x, end - x, C_WAITER, 0, _(", %s in send()"), a->name);
		else if (how == LS_WAIT_PIPE_DATA && LS_PIPE_END(a->arg) == (from ^ 1))
			x += draw_printf(w, y, x, end - x, C_WAITER, 0, _(", %s in recv()"), a->name);
	}
	return x - x0;
}

/* The pipe's own row, after name and kind; and its direction rows. */
static int
objects_pipe(WINDOW *w, int y, int x, int x0, int end, const struct ls_model *m, int o,
             int room)
{
	const struct ls_model_pipe *p = m->objs[o].pipe;
	int used = 1;

	if (!p)
		return 1;
	if (p->nconn > 1)
		x += draw_printf(w, y, x, end - x, C_VALUE, 0, _("%d connections%s"), p->nconn,
		                 theme_glyphs()->sep);
	if (p->cap_msgs > 0)
		x += draw_printf(w, y, x, end - x, C_DIM, 0, _("room %ld x %ld B"),
		                 p->cap_msgs, p->msg_size);
	else
		x += draw_printf(w, y, x, end - x, C_DIM, 0, _("room < one %ld B message"),
		                 p->msg_size);
	if (p->out_of_order || p->torn)
		draw_printf(w, y, x, end - x, C_ERROR, 0, _(" %ld out of order, %ld torn"),
		            p->out_of_order, p->torn);
	if (p->nconn > 1) {
		if (used < room) {
			int xx = x0 + 2;
			xx += draw_printf(w, y + used, xx, end - xx, C_DIM, 0, _("in flight: "));
			draw_printf(w, y + used, xx, end - xx, C_VALUE, 0,
			            _("%ld toward side 1, %ld toward side 0"), p->toward[1], p->toward[0]);
			used++;
		}
		return used;
	}
	for (int from = 0; from < 2 && used < room; from++, used++) {
		int xx = x0 + 2;
		xx += draw_printf(w, y + used, xx, end - xx, C_DIM, 0, "%d->%d ", from, from ^ 1);
		xx += objects_pipe_flight(w, y + used, xx, end - xx, &p->ends[from]);
		xx += objects_pipe_who(w, y + used, xx, end - xx, m, o, from);
		objects_pipe_values(w, y + used, xx, end - xx, &p->ends[from]);
	}
	return used;
}

/* A connection's line is this wide at most; narrower panes split it in two. */
#define OBJECTS_NET_WIDE 110

/* A network: a row per connection made to it under its own (two when narrow). */
static int
objects_net_rows(const struct ls_model *m, int o, int width)
{
	const struct ls_model_net *n = m->objs[o].net;
	int rows = 0;

	for (int c = 0; n && c < n->nconns; c++)
		rows += n->conns[c].used;
	return width >= OBJECTS_NET_WIDE ? rows : 2 * rows;
}

/* "listening 127.0.0.1:38773", "not listening yet", "closed (was ...)". */
static int
objects_net_head(WINDOW *w, int y, int x, int end, const struct ls_model_obj *ob)
{
	const struct ls_model_net *n = ob->net;
	const struct ls_model_pipe *p = ob->pipe;
	const char *sep = theme_glyphs()->sep;
	int x0 = x;

	if (!n)
		return 0;
	if (n->listening == 1)
		x += draw_printf(w, y, x, end - x, C_VALUE, 0, _("listening %s:%d"), ob->host, n->port);
	else if (n->listening == 2)
		x += draw_printf(w, y, x, end - x, C_DIM, 0, _("closed (was %s:%d)"), ob->host, n->port);
	else
		x += draw_printf(w, y, x, end - x, C_DIM, 0, _("not listening yet (%s, port %ld%s)"),
		                 ob->host, ob->init, ob->init ? "" : _(": a free one"));
	x += draw_printf(w, y, x, end - x, C_DIM, 0,
	                 P_("%s%ld connection", "%s%ld connections", n->connects), sep,
	                 n->connects);
	if (p && p->toward[0] + p->toward[1] > 0)
		x += draw_printf(w, y, x, end - x, C_VALUE, 0, _("%s%ld in flight"), sep,
		                 p->toward[0] + p->toward[1]);
	if (n->auth_failed > 0)
		x += draw_printf(w, y, x, end - x, C_ERROR, 0, _("%s%ld refused: wrong key"), sep,
		                 n->auth_failed);
	if (n->refused > 0)
		x += draw_printf(w, y, x, end - x, C_ERROR, 0, _("%s%ld connect refused"), sep,
		                 n->refused);
	return x - x0;
}

/* The messages in flight from end e, oldest first, "(none)" when empty;
 * then who waits to receive them. */
static int
objects_net_flight(WINDOW *w, int y, int x, int end, const struct ls_model *m, int o, int e)
{
	const struct ls_model_pipe_end *pe = &m->objs[o].pipe->ends[e];
	int x0 = x;
	char text[64];

	if (pe->msgs == 0)
		x += draw_text(w, y, x, end - x, C_DIM, 0, _("(none)"));
	for (int k = 0; k < pe->nlisted && x < end; k++) {
		ls_op_message_text(pe->listed[k].tag, (long long)pe->listed[k].value, text,
		                   sizeof text);
		x += draw_printf(w, y, x, end - x, C_VALUE, 0, "%s%s", k ? ", " : "", text);
	}
	if (pe->overflow || pe->msgs > pe->nlisted)
		x += draw_text(w, y, x, end - x, C_DIM, 0, " ...");
	for (int i = 0; i < m->nactors && x < end; i++) {
		const struct ls_model_actor *a = &m->actors[i];
		int blocked = a->state == LS_AS_BLOCKED ||
		              (a->state == LS_AS_GATE && !ls_model_can_proceed(m, i));
		if (a->obj == o && blocked && (a->op == LS_OP_NET_RECV || a->op == LS_OP_NET_AUTH) &&
		    LS_PIPE_END(a->arg) == (e ^ 1))
			x += draw_printf(w, y, x, end - x, C_WAITER, 0, _(", %s waits"), a->name);
	}
	return x - x0;
}

/*
 * One connection: "#0 W1:45678 -> server authenticated, open; to server:
 * put 240; to W1: (none), W1 waits"; when the pane is narrow, the messages
 * and the client's port on a row of their own.  Returns the rows used.
 */
static int
objects_net_conn(WINDOW *w, int y, int x, int end, const struct ls_model *m, int o, int c,
                 int room)
{
	int x0 = x, used = 1, wide = end - x0 >= OBJECTS_NET_WIDE;

	const struct ls_model_net *n = m->objs[o].net;
	const struct ls_model_conn *k = &n->conns[c];
	const char *state = ls_model_conn_state(n, c);
	const char *client = k->client >= 0 ? panes_actor_name(m, k->client) : "?";
	const char *server = k->server >= 0 ? panes_actor_name(m, k->server) : "?";
	/* Before a server accepted it, the other end is the listener's. */
	const char *to = k->accepted ? server : _("server");
	int bad = strcmp(state, "refused") == 0 || strcmp(state, "reset") == 0;

	x += draw_printf(w, y, x, end - x, C_DIM, 0, "#%d ", c);
	x += draw_text(w, y, x, end - x, C_OWNER, 0, client);
	if (wide)
		x += draw_printf(w, y, x, end - x, C_DIM, 0, ":%d", k->port);
	x += draw_text(w, y, x, end - x, C_DIM, 0, " -> ");
	if (k->accepted)
		x += draw_text(w, y, x, end - x, C_OWNER, 0, server);
	else
		x += draw_text(w, y, x, end - x, C_DIM, 0, _("(not accepted)"));
	x += draw_printf(w, y, x, end - x, bad ? C_ERROR : C_VALUE, 0, " %s", _(state));
	if (k->closed[0] && k->closed[1])
		x += draw_text(w, y, x, end - x, C_DIM, 0, _(", closed"));
	else if (k->closed[0] || k->closed[1])
		x += draw_printf(w, y, x, end - x, C_DIM, 0, _(", closed by %s"),
		                 k->closed[0] ? server : client);
	else if (strcmp(state, "reset") != 0)
		x += draw_text(w, y, x, end - x, C_VALUE, 0, _(", open"));
	if (!wide) {
		if (room < 2)
			return 1;
		y++;
		x = x0 + 3;
		used = 2;
		x += draw_printf(w, y, x, end - x, C_DIM, 0, _("to %s: "), to);
	} else {
		x += draw_printf(w, y, x, end - x, C_DIM, 0, _("; to %s: "), to);
	}
	x += objects_net_flight(w, y, x, end, m, o, 2 * c + 1);
	x += draw_printf(w, y, x, end - x, C_DIM, 0, _("; to %s: "), client);
	x += objects_net_flight(w, y, x, end, m, o, 2 * c);
	if (!wide)
		draw_printf(w, y, x, end - x, C_DIM, 0, _("; from port %d"), k->port);
	return used;
}

/* A row an object, and one more for its holders and one for its waiters. */
static int
objects_rows(const struct run_view *rv, int width, int big)
{
	const struct ls_model *m = ls_run_model(rv->run);
	int rows = 0;

	(void)big;
	for (int o = 0; o < m->nobjs; o++) {
		if (m->objs[o].kind == LS_OBJ_QUEUE)
			rows += 1 + objects_queue_rows(rv, o);
		else if (m->objs[o].kind == LS_OBJ_POOL)
			rows += 1 + OBJECTS_POOL_ROWS + (objects_waiters(rv, o) > 0);
		else if (m->objs[o].kind == LS_OBJ_NET)
			rows += 1 + objects_net_rows(m, o, width - 4) + (objects_waiters(rv, o) > 0);
		else
			rows += 1 + objects_pipe_rows(m, o) + (objects_holders(rv, o) > 0) +
			        (objects_waiters(rv, o) > 0);
	}
	return (rows > 0 ? rows : 1) + 2;
}

static const char *
objects_order_name(long order)
{
	return order == LS_QUEUE_LIFO ? _(", lifo") : order == LS_QUEUE_PRIORITY ? _(", priority")
	                                                                      : _(", fifo");
}

/* "2/5 items" (bounded: full in red) or "2 items", the order when not FIFO,
 * then "3 unfinished" while items put are not marked done. */
static int
objects_queue_head(WINDOW *w, int y, int x, int end, const struct ls_model_obj *ob)
{
	int x0 = x;

	if (ob->bound > 0)
		x += draw_printf(w, y, x, end - x, ob->value >= ob->bound ? C_ERROR : C_VALUE, 0,
		                 "%ld/%ld", ob->value, ob->bound);
	else
		x += draw_printf(w, y, x, end - x, C_VALUE, 0, "%ld", ob->value);
	/* "1 item", but "1/5 items": the word goes with the bound then. */
	x += draw_text(w, y, x, end - x, C_DIM, 0,
	               P_(" item", " items", ob->bound > 0 || ob->value != 1 ? 2 : 1));
	if (ob->init != LS_QUEUE_FIFO)
		x += draw_text(w, y, x, end - x, C_DIM, 0, objects_order_name(ob->init));
	if (ob->unfinished > 0)
		x += draw_printf(w, y, x, end - x, C_DIM, 0, _(", %ld unfinished"), ob->unfinished);
	return x - x0;
}

/*
 * The items, oldest first, None for the stop sign; what does not fit ends
 * in "+N".  get() takes from the left, from the right (LIFO), or the least.
 */
static void
objects_queue_items(WINDOW *w, int y, int x, int width, const struct ls_model_obj *ob)
{
	int end = x + width;

	x += draw_text(w, y, x, end - x, C_DIM, 0, _("items: "));
	if (ob->value == 0) {
		draw_text(w, y, x, end - x, C_DIM, 0, _("(empty)"));
		return;
	}
	for (long k = 0; k < ob->value; k++) {
		char item[24];
		int need, more = ob->value - k - 1 > 0;

		if (ob->items[k] == LS_QUEUE_NONE)
			snprintf(item, sizeof item, "%sNone", k ? " " : "");
		else
			snprintf(item, sizeof item, "%s%lld", k ? " " : "", (long long)ob->items[k]);
		need = draw_width(item) + (more ? 5 : 0);   /* room left for " +NNN" */
		if (x + need > end) {
			draw_printf(w, y, x, end - x, C_DIM, 0, " +%ld", ob->value - k);
			return;
		}
		x += draw_text(w, y, x, end - x, ob->items[k] == LS_QUEUE_NONE ? C_WAITER : C_VALUE,
		               0, item);
	}
}

/* The queue's rows after its first: items, then getters, putters, joiners. */
static int
objects_queue_more(WINDOW *w, int y, int x, int width, const struct run_view *rv, int o,
                   int room)
{
	const struct ls_model *m = ls_run_model(rv->run);
	int used = 0;

	if (used < room)
		objects_queue_items(w, y + used++, x + 2, width - 2, &m->objs[o]);
	for (size_t k = 0; k < sizeof objects_queue_waits / sizeof objects_queue_waits[0]; k++) {
		int op = objects_queue_waits[k], n = objects_queue_waiters(rv, o, op), xx = x + 2;

		if (n <= 0 || used >= room)
			continue;
		xx += draw_printf(w, y + used, xx, x + width - xx, C_DIM, 0,
		                  op == LS_OP_QUEUE_GET ? _("%d getting: ") :
		                  op == LS_OP_QUEUE_PUT ? _("%d putting: ") : _("%d joining: "), n);
		panes_actor_list(w, y + used, xx, x + width - xx, m, rv->scratch, n, C_WAITER);
		used++;
	}
	return used;
}

/*
 * A pool: its head ("4 workers, 1 queued, 3 of 5 done, closed"), then a row
 * each for the task queue, which worker runs which task, and the results in
 * the order they came back (the ones the parent has taken dim).
 */
static int
objects_pool_head(WINDOW *w, int y, int x, int end, const struct ls_model_obj *ob)
{
	const struct ls_model_pool *p = ob->pool;
	int x0 = x;

	x += draw_printf(w, y, x, end - x, C_VALUE, 0, P_("%d worker", "%d workers", p->workers),
	                 p->workers);
	x += draw_printf(w, y, x, end - x, C_DIM, 0, _(", %ld queued, %ld of %ld done"), ob->value,
	                 p->finished, p->submitted);
	if (p->closed)
		x += draw_text(w, y, x, end - x, C_DIM, 0, _(", closed"));
	return x - x0;
}

static int
objects_pool_more(WINDOW *w, int y, int x, int width, const struct ls_model *m, int o, int room)
{
	const struct ls_model_obj *ob = &m->objs[o];
	const struct ls_model_pool *p = ob->pool;
	int used = 0, end = x + width, xx;

	if (used < room) {
		xx = x + 2;
		xx += draw_text(w, y + used, xx, end - xx, C_DIM, 0, _("tasks: "));
		if (ob->value == 0)
			draw_text(w, y + used, xx, end - xx, C_DIM, 0, _("(empty)"));
		for (long k = 0; k < ob->value && xx < end; k++)
			xx += draw_printf(w, y + used, xx, end - xx, C_VALUE, 0, "%s%lld", k ? " " : "",
			                  (long long)ob->items[k]);
		used++;
	}
	if (used < room) {
		int shown = 0;
		xx = x + 2;
		xx += draw_text(w, y + used, xx, end - xx, C_DIM, 0, _("running: "));
		for (int a = 0; a < m->nactors && xx < end; a++) {
			if (p->running[a] < 0)
				continue;
			xx += draw_text(w, y + used, xx, end - xx, C_OWNER, 0, shown++ ? " " : "");
			xx += draw_text(w, y + used, xx, end - xx, C_OWNER, 0, panes_actor_name(m, a));
			xx += draw_printf(w, y + used, xx, end - xx, C_VALUE, 0, ":%lld",
			                  (long long)p->running[a]);
		}
		if (!shown)
			draw_text(w, y + used, xx, end - xx, C_DIM, 0, _("(none)"));
		used++;
	}
	if (used < room) {
		long n = p->finished < LS_QUEUE_CAP ? p->finished : LS_QUEUE_CAP;
		xx = x + 2;
		xx += draw_text(w, y + used, xx, end - xx, C_DIM, 0, _("results: "));
		if (n == 0)
			draw_text(w, y + used, xx, end - xx, C_DIM, 0, _("(none yet)"));
		for (long k = 0; k < n && xx < end; k++)
			xx += draw_printf(w, y + used, xx, end - xx, k < p->collected ? C_DIM : C_VALUE, 0,
			                  "%s%lld=%lld", k ? " " : "", (long long)p->results[k].task,
			                  (long long)p->results[k].value);
		used++;
	}
	return used;
}

/* A threading.local: "T1=1 T2=2", every actor's own value; "(none set)". */
static int
objects_locals(WINDOW *w, int y, int x, int end, const struct ls_model *m, int o)
{
	int x0 = x;

	for (int a = 0; a < m->nactors && x < end; a++) {
		long v;
		if (!ls_model_local(m, o, a, &v))
			continue;
		if (x > x0)
			x += draw_text(w, y, x, end - x, C_DIM, 0, " ");
		x += draw_text(w, y, x, end - x, C_OWNER, 0, panes_actor_name(m, a));
		x += draw_printf(w, y, x, end - x, C_VALUE, 0, "=%ld", v);
	}
	if (x == x0)
		x += draw_text(w, y, x, end - x, C_DIM, 0, _("(none set)"));
	return x - x0;
}

/* Returns the rows used: 1, plus a line of holders and one of waiters. */
static int
objects_line(WINDOW *w, int y, int x, int width, int namew, int kindw,
                  const struct run_view *rv, int o, int room)
{
	const struct ls_model *m = ls_run_model(rv->run);
	const struct ls_model_obj *ob = &m->objs[o];
	int x0 = x, end = x + width, n, used;
	char text[LS_FILE_SHOWN + 1];

	draw_text(w, y, x, namew, C_NORMAL, A_BOLD, ob->name);
	x += namew + 1;
	draw_text(w, y, x, kindw, C_DIM, 0, ls_obj_kind_word(ob->kind));
	x += kindw + 1;
	switch (ob->kind) {
	case LS_OBJ_VAR:
		draw_printf(w, y, x, end - x, C_VALUE, 0, "= %ld", ob->value);
		return 1;
	case LS_OBJ_MUTEX:
		if (ob->owner >= 0) {
			x += draw_text(w, y, x, end - x, C_DIM, 0, _("held by "));
			x += draw_text(w, y, x, end - x, C_OWNER, 0, panes_actor_name(m, ob->owner));
			/* A reentrant lock taken again by its holder. */
			if (ob->value > 1)
				x += draw_printf(w, y, x, end - x, C_DIM, 0, _(", depth %ld"), ob->value);
		} else {
			x += draw_text(w, y, x, end - x, C_DIM, 0, C_("lock", "free"));
		}
		break;
	case LS_OBJ_SEM:
		if (ob->bound > 0)
			x += draw_printf(w, y, x, end - x, C_VALUE, 0, "%ld/%ld", ob->value, ob->bound);
		else
			x += draw_printf(w, y, x, end - x, C_VALUE, 0, "%ld", ob->value);
		if (ob->refused > 0)
			x += draw_printf(w, y, x, end - x, C_ERROR, 0, _(" refused %ld"), ob->refused);
		break;
	case LS_OBJ_EVENT:
		x += draw_text(w, y, x, end - x, C_VALUE, 0,
		               _(ls_run_flag_word(rv->run, (int)(ob - m->objs), ob->value)));
		break;
	case LS_OBJ_COND:
		break;
	case LS_OBJ_LOCAL:
		objects_locals(w, y, x, end, m, o);
		return 1;
	case LS_OBJ_FILE:
		snprintf(text, sizeof text, "%s", ob->text);
		for (char *p = text; *p; p++)
			if (*p == '\n' || *p == '\r' || *p == '\t')
				*p = ' ';
		draw_printf(w, y, x, end - x, C_VALUE, 0, "\"%s\"", text);
		return 1;
	case LS_OBJ_QUEUE:
		objects_queue_head(w, y, x, end, ob);
		return 1 + objects_queue_more(w, y + 1, x0, width, rv, o, room - 1);
	case LS_OBJ_POOL:
		if (!ob->pool)
			return 1;
		objects_pool_head(w, y, x, end, ob);
		used = 1 + objects_pool_more(w, y + 1, x0, width, m, o, room - 1);
		goto waiters;
	case LS_OBJ_PIPE:
		used = objects_pipe(w, y, x, x0, end, m, o, room);
		goto waiters;
	case LS_OBJ_NET:
		objects_net_head(w, y, x, end, ob);
		used = 1;
		for (int c = 0; ob->net && c < ob->net->nconns && used < room; c++)
			if (ob->net->conns[c].used)
				used += objects_net_conn(w, y + used, x0 + 2, end, m, o, c, room - used);
		goto waiters;
	}
	used = 1;
	n = objects_holders(rv, o);
	if (n > 0 && used < room) {
		x = x0 + 2;
		x += draw_printf(w, y + used, x, end - x, C_DIM, 0, _("%d held by: "), n);
		panes_actor_list(w, y + used, x, end - x, m, rv->scratch, n, C_OWNER);
		used++;
	}
waiters:
	n = objects_waiters(rv, o);
	if (n > 0 && used < room) {
		x = x0 + 2;
		x += draw_printf(w, y + used, x, end - x, C_DIM, 0, _("%d waiting: "), n);
		panes_actor_list(w, y + used, x, end - x, m, rv->scratch, n, C_WAITER);
		used++;
	}
	return used;
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
		int nw = objects_waiters(rv, o);

		if (o)
			x += draw_text(w, y, x, end - x, C_DIM, 0, sep);
		x += draw_text(w, y, x, end - x, C_NORMAL, A_BOLD, ob->name);
		switch (ob->kind) {
		case LS_OBJ_VAR:
			x += draw_printf(w, y, x, end - x, C_VALUE, 0, " = %ld", ob->value);
			break;
		case LS_OBJ_MUTEX:
			if (ob->owner >= 0)
				x += draw_printf(w, y, x, end - x, C_OWNER, 0, ob->value > 1 ?
				                 _(" held by %s (depth %ld)") : _(" held by %s"),
				                 panes_actor_name(m, ob->owner), ob->value);
			else
				x += draw_printf(w, y, x, end - x, C_DIM, 0, " %s", C_("lock", "free"));
			break;
		case LS_OBJ_SEM:
			x += draw_printf(w, y, x, end - x, C_VALUE, 0, " %ld", ob->value);
			if (ob->bound > 0)
				x += draw_printf(w, y, x, end - x, C_VALUE, 0, "/%ld", ob->bound);
			break;
		case LS_OBJ_EVENT:
			x += draw_printf(w, y, x, end - x, C_VALUE, 0, " %s",
			                 _(ls_run_flag_word(rv->run, (int)(ob - m->objs), ob->value)));
			break;
		case LS_OBJ_QUEUE:
			if (ob->bound > 0)
				x += draw_printf(w, y, x, end - x, C_VALUE, 0, " %ld/%ld", ob->value,
				                 ob->bound);
			else
				x += draw_printf(w, y, x, end - x, C_VALUE, 0,
				                 P_(" %ld item", " %ld items", ob->value), ob->value);
			for (long k = 0; k < ob->value && x < end; k++) {
				char item[24];

				if (ob->items[k] == LS_QUEUE_NONE)
					snprintf(item, sizeof item, "None");
				else
					snprintf(item, sizeof item, "%lld", (long long)ob->items[k]);
				x += draw_printf(w, y, x, end - x, C_VALUE, 0, "%s%s", k ? " " : " [", item);
			}
			if (ob->value > 0)
				x += draw_text(w, y, x, end - x, C_VALUE, 0, "]");
			nw = ls_model_nwaiters(m, o);
			break;
		case LS_OBJ_POOL:
			if (!ob->pool)
				break;
			x += draw_printf(w, y, x, end - x, C_VALUE, 0, _(" %ld queued"), ob->value);
			for (int a = 0; a < m->nactors && x < end; a++)
				if (ob->pool->running[a] >= 0)
					x += draw_printf(w, y, x, end - x, C_OWNER, 0, " %s:%lld",
					                 panes_actor_name(m, a), (long long)ob->pool->running[a]);
			x += draw_printf(w, y, x, end - x, C_VALUE, 0, _(" %ld done"), ob->pool->finished);
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
		case LS_OBJ_PIPE:
			if (ob->pipe && ob->pipe->nconn == 1)
				x += draw_printf(w, y, x, end - x, C_VALUE, 0, " 0->1 %ld, 1->0 %ld",
				                 ob->pipe->ends[0].msgs, ob->pipe->ends[1].msgs);
			else if (ob->pipe)
				x += draw_printf(w, y, x, end - x, C_VALUE, 0, _(" %ld in flight"), ob->value);
			break;
		case LS_OBJ_LOCAL:
			x += draw_text(w, y, x, end - x, C_DIM, 0, " ");
			x += objects_locals(w, y, x, end, m, o);
			break;
		case LS_OBJ_NET:
			if (ob->net && ob->net->listening == 1)
				x += draw_printf(w, y, x, end - x, C_VALUE, 0, " %s:%d", ob->host,
				                 ob->net->port);
			else if (ob->net)
				x += draw_text(w, y, x, end - x, C_DIM, 0,
				               ob->net->listening ? _(" closed") : _(" not listening"));
			if (ob->net)
				x += draw_printf(w, y, x, end - x, C_VALUE, 0,
				                 P_(", %ld conn, %ld in flight", ", %ld conns, %ld in flight",
				                    ob->net->connects),
				                 ob->net->connects, ob->value);
			if (ob->net && ob->net->auth_failed > 0)
				x += draw_printf(w, y, x, end - x, C_ERROR, 0, _(", %ld refused"),
				                 ob->net->auth_failed);
			break;
		default:
			break;
		}
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
