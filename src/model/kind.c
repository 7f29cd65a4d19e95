/*
 * kind.c - the object-kind table (see kind.h): each kind's name and word,
 * its Objects-pane line and strip, its JSON, its report text and its part
 * of the state key.  Reads the model; draws, writes and feeds only through
 * the pen, the JSON writer and the key it is handed.  No ncurses, no world,
 * no I/O of its own.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lockstep/i18n.h"
#include "model/kind.h"
#include "model/op.h"

/* ---- the pen's helpers ---------------------------------------------------- */

static int kind_printf(struct ls_kind_pen *p, enum ls_ink ink, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
kind_printf(struct ls_kind_pen *p, enum ls_ink ink, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return p->put(p, ink, buf);
}

/* Starts a row under the line, indent cells in; 0 when the line has no room left. */
static int
kind_row(struct ls_kind_pen *p, int indent)
{
	if (p->rows >= p->room)
		return 0;
	p->rows++;
	p->x = p->left + indent;
	return 1;
}

static const char *
kind_actor(const struct ls_model *m, int a)
{
	if (a == LS_NO_ACTOR)
		return "run";
	return a >= 0 && a < m->nactors ? m->actors[a].name : "?";
}

/* Blocked on its object, or parked at a step that cannot go on. */
static int
kind_blocked(const struct ls_model *m, int i)
{
	const struct ls_model_actor *a = &m->actors[i];

	return a->state == LS_AS_BLOCKED || (a->state == LS_AS_GATE && !ls_model_can_proceed(m, i));
}

/* ---- what every kind shares ----------------------------------------------- */

static void kind_none(struct ls_kind_pen *p, const struct ls_model *m, int o) { }
static void kind_json_none(const struct ls_kind_json *w, const struct ls_model *m, int o) { }

static int
kind_waiting_all(const struct ls_model *m, int o, int *out)
{
	ls_model_waiters(m, o, out, m->nactors);
	return ls_model_nwaiters(m, o);
}

/* Value, holders, deepest hold, owned or not, refusals: every kind's shared state. */
static void
kind_key_common(struct ls_kind_key *k, const struct ls_model *m, int o)
{
	const struct ls_model_obj *x = &m->objs[o];

	k->word(k, (uint64_t)x->value);
	k->word(k, ((uint64_t)(uint32_t)x->holders << 32) | (uint32_t)x->max_holders);
	k->word(k, ((uint64_t)(x->owner >= 0) << 63) ^ (uint64_t)x->refused);
}

static void
kind_owner_json(const struct ls_kind_json *w, const struct ls_model *m,
                const struct ls_model_obj *x)
{
	if (x->owner >= 0)
		w->str(w->j, "owner", m->actors[x->owner].name);
	else
		w->null(w->j, "owner");
	w->integer(w->j, "depth", x->owner >= 0 ? x->value : 0);
	w->integer(w->j, "max_depth", x->max_holders);
}

/* ---- variables ------------------------------------------------------------ */

static void
var_line(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	kind_printf(p, LS_INK_VALUE, "= %ld", m->objs[o].value);
}

static void
var_strip(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	kind_printf(p, LS_INK_VALUE, " = %ld", m->objs[o].value);
}

static void
var_json(const struct ls_kind_json *w, const struct ls_model *m, int o)
{
	w->integer(w->j, "value", m->objs[o].value);
}

static void
var_text(FILE *f, const struct ls_model *m, int o, const struct ls_kind_json *w)
{
	fprintf(f, "%ld", m->objs[o].value);
}

/* ---- locks ---------------------------------------------------------------- */

static void
mutex_line(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	const struct ls_model_obj *ob = &m->objs[o];

	if (ob->owner < 0) {
		p->put(p, LS_INK_DIM, C_("lock", "free"));
		return;
	}
	p->put(p, LS_INK_DIM, _("held by "));
	p->put(p, LS_INK_OWNER, kind_actor(m, ob->owner));
	/* A reentrant lock taken again by its holder. */
	if (ob->value > 1)
		kind_printf(p, LS_INK_DIM, _(", depth %ld"), ob->value);
}

static void
mutex_strip(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	const struct ls_model_obj *ob = &m->objs[o];

	if (ob->owner >= 0)
		kind_printf(p, LS_INK_OWNER, ob->value > 1 ? _(" held by %s (depth %ld)") : _(" held by %s"),
		            kind_actor(m, ob->owner), ob->value);
	else
		kind_printf(p, LS_INK_DIM, " %s", C_("lock", "free"));
}

static void
mutex_json(const struct ls_kind_json *w, const struct ls_model *m, int o)
{
	w->boolean(w->j, "reentrant", m->objs[o].bound != 0);
	kind_owner_json(w, m, &m->objs[o]);
}

/* ---- semaphores ----------------------------------------------------------- */

static void
sem_line(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	const struct ls_model_obj *ob = &m->objs[o];

	if (ob->bound > 0)
		kind_printf(p, LS_INK_VALUE, "%ld/%ld", ob->value, ob->bound);
	else
		kind_printf(p, LS_INK_VALUE, "%ld", ob->value);
	if (ob->refused > 0)
		kind_printf(p, LS_INK_ERROR, _(" refused %ld"), ob->refused);
}

static void
sem_strip(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	const struct ls_model_obj *ob = &m->objs[o];

	kind_printf(p, LS_INK_VALUE, " %ld", ob->value);
	if (ob->bound > 0)
		kind_printf(p, LS_INK_VALUE, "/%ld", ob->bound);
}

static int
sem_holders(const struct ls_model *m, int o, int *out)
{
	return ls_model_holders(m, o, out, m->nactors);
}

static void
sem_json(const struct ls_kind_json *w, const struct ls_model *m, int o)
{
	const struct ls_model_obj *ob = &m->objs[o];

	w->integer(w->j, "value", ob->value);
	if (ob->bound)
		w->integer(w->j, "bound", ob->bound);
	else
		w->null(w->j, "bound");
	w->integer(w->j, "holders", ob->holders);
	w->integer(w->j, "max_holders", ob->max_holders);
	w->integer(w->j, "refused", ob->refused);
}

static void
sem_text(FILE *f, const struct ls_model *m, int o, const struct ls_kind_json *w)
{
	fprintf(f, "%ld", m->objs[o].value);
	if (m->objs[o].bound)
		fprintf(f, "/%ld", m->objs[o].bound);
}

/* ---- events --------------------------------------------------------------- */

static void
event_line(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	p->put(p, LS_INK_VALUE, p->flag(p, o, m->objs[o].value));
}

static void
event_strip(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	kind_printf(p, LS_INK_VALUE, " %s", p->flag(p, o, m->objs[o].value));
}

static void
event_json(const struct ls_kind_json *w, const struct ls_model *m, int o)
{
	w->boolean(w->j, "set", m->objs[o].value != 0);
}

static void
event_text(FILE *f, const struct ls_model *m, int o, const struct ls_kind_json *w)
{
	fputs(m->objs[o].value ? "set" : "clear", f);
}

/* ---- files ---------------------------------------------------------------- */

/* The start of its contents on one row: line breaks and tabs as spaces. */
static void
file_shown(const struct ls_model_obj *ob, char *text, size_t len)
{
	snprintf(text, len, "%s", ob->text);
	for (char *p = text; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
}

static void
file_line(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	char text[LS_FILE_SHOWN + 1];

	file_shown(&m->objs[o], text, sizeof text);
	kind_printf(p, LS_INK_VALUE, "\"%s\"", text);
}

static void
file_strip(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	char text[LS_FILE_SHOWN + 1];

	file_shown(&m->objs[o], text, sizeof text);
	kind_printf(p, LS_INK_VALUE, " \"%s\"", text);
}

static void
file_json(const struct ls_kind_json *w, const struct ls_model *m, int o)
{
	kind_owner_json(w, m, &m->objs[o]);
	w->str(w->j, "text", m->objs[o].text);
}

static void
file_text(FILE *f, const struct ls_model *m, int o, const struct ls_kind_json *w)
{
	w->escape(f, m->objs[o].text);
}

static void
file_key(struct ls_kind_key *k, const struct ls_model *m, int o)
{
	const struct ls_model_obj *x = &m->objs[o];

	kind_key_common(k, m, o);
	k->bytes(k, x->text, strnlen(x->text, sizeof x->text));
}

/* ---- threading.local ------------------------------------------------------ */

/* "T1=1 T2=2", every actor's own value; "(none set)". */
static void
local_values(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	int x0 = p->x;

	for (int a = 0; a < m->nactors && p->x < p->end; a++) {
		long v;
		if (!ls_model_local(m, o, a, &v))
			continue;
		if (p->x > x0)
			p->put(p, LS_INK_DIM, " ");
		p->put(p, LS_INK_OWNER, kind_actor(m, a));
		kind_printf(p, LS_INK_VALUE, "=%ld", v);
	}
	if (p->x == x0)
		p->put(p, LS_INK_DIM, _("(none set)"));
}

static void
local_strip(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	p->put(p, LS_INK_DIM, " ");
	local_values(p, m, o);
}

/* Actor name -> its own value, for actors that have one now. */
static void
local_json(const struct ls_kind_json *w, const struct ls_model *m, int o)
{
	w->object(w->j, "values");
	for (int a = 0; a < m->nactors; a++) {
		long v;
		if (ls_model_local(m, o, a, &v))
			w->integer(w->j, m->actors[a].name, v);
	}
	w->end(w->j, '}');
}

/* Each live actor's own value; a thread's values end with it. */
static void
local_text(FILE *f, const struct ls_model *m, int o, const struct ls_kind_json *w)
{
	int shown = 0;

	fputc('{', f);
	for (int a = 0; a < m->nactors; a++) {
		long v;
		if (ls_model_local(m, o, a, &v))
			fprintf(f, "%s%s:%ld", shown++ ? " " : "", m->actors[a].name, v);
	}
	fputc('}', f);
}

/* A threading.local's value is the actor's own state. */
static int
local_actor_key(const struct ls_model *m, int o, int a, uint64_t *v)
{
	long x;

	if (!ls_model_local(m, o, a, &x))
		return 0;
	*v = (uint64_t)x;
	return 1;
}

/* ---- queues --------------------------------------------------------------- */

/*
 * A queue's waiters come in three kinds, a row each: getters (empty
 * queue), putters (full queue) and joiners (q.join(), items not done).
 */
static const int queue_waits[] = { LS_OP_QUEUE_GET, LS_OP_QUEUE_PUT, LS_OP_QUEUE_JOIN };

/* The ones waiting in op, into out in arrival order; their count. */
static int
queue_waiters(const struct ls_model *m, int o, int op, int *out)
{
	int n = ls_model_waiters(m, o, out, m->nactors), k = 0;

	for (int i = 0; i < n; i++)
		if (m->actors[out[i]].op == op)
			out[k++] = out[i];
	return k;
}

static const char *
queue_order_name(long order)
{
	return order == LS_QUEUE_LIFO ? _(", lifo") : order == LS_QUEUE_PRIORITY ? _(", priority")
	                                                                      : _(", fifo");
}

/* "2/5 items" (bounded: full in red) or "2 items", the order when not FIFO,
 * then "3 unfinished" while items put are not marked done. */
static void
queue_head(struct ls_kind_pen *p, const struct ls_model_obj *ob)
{
	if (ob->bound > 0)
		kind_printf(p, ob->value >= ob->bound ? LS_INK_ERROR : LS_INK_VALUE, "%ld/%ld",
		            ob->value, ob->bound);
	else
		kind_printf(p, LS_INK_VALUE, "%ld", ob->value);
	/* "1 item", but "1/5 items": the word goes with the bound then. */
	p->put(p, LS_INK_DIM, P_(" item", " items", ob->bound > 0 || ob->value != 1 ? 2 : 1));
	if (ob->init != LS_QUEUE_FIFO)
		p->put(p, LS_INK_DIM, queue_order_name(ob->init));
	if (ob->unfinished > 0)
		kind_printf(p, LS_INK_DIM, _(", %ld unfinished"), ob->unfinished);
}

/*
 * The items, oldest first, None for the stop sign; what does not fit ends
 * in "+N".  get() takes from the left, from the right (LIFO), or the least.
 */
static void
queue_items(struct ls_kind_pen *p, const struct ls_model_obj *ob)
{
	p->put(p, LS_INK_DIM, _("items: "));
	if (ob->value == 0) {
		p->put(p, LS_INK_DIM, _("(empty)"));
		return;
	}
	for (long k = 0; k < ob->value; k++) {
		char item[24];
		int need, more = ob->value - k - 1 > 0;

		if (ob->items[k] == LS_QUEUE_NONE)
			snprintf(item, sizeof item, "%sNone", k ? " " : "");
		else
			snprintf(item, sizeof item, "%s%lld", k ? " " : "", (long long)ob->items[k]);
		need = p->cells(item) + (more ? 5 : 0);   /* room left for " +NNN" */
		if (p->x + need > p->end) {
			kind_printf(p, LS_INK_DIM, " +%ld", ob->value - k);
			return;
		}
		p->put(p, ob->items[k] == LS_QUEUE_NONE ? LS_INK_WAITER : LS_INK_VALUE, item);
	}
}

/* Its head; then rows for its items and for getters, putters, joiners. */
static void
queue_line(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	queue_head(p, &m->objs[o]);
	if (!kind_row(p, 2))
		return;
	queue_items(p, &m->objs[o]);
	for (size_t k = 0; k < sizeof queue_waits / sizeof queue_waits[0]; k++) {
		int op = queue_waits[k], n = queue_waiters(m, o, op, p->scratch);

		if (n <= 0 || !kind_row(p, 2))
			continue;
		kind_printf(p, LS_INK_DIM, op == LS_OP_QUEUE_GET ? _("%d getting: ") :
		            op == LS_OP_QUEUE_PUT ? _("%d putting: ") : _("%d joining: "), n);
		p->actors(p, LS_INK_WAITER, p->scratch, n);
	}
}

static void
queue_strip(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	const struct ls_model_obj *ob = &m->objs[o];

	if (ob->bound > 0)
		kind_printf(p, LS_INK_VALUE, " %ld/%ld", ob->value, ob->bound);
	else
		kind_printf(p, LS_INK_VALUE, P_(" %ld item", " %ld items", ob->value), ob->value);
	for (long k = 0; k < ob->value && p->x < p->end; k++) {
		char item[24];

		if (ob->items[k] == LS_QUEUE_NONE)
			snprintf(item, sizeof item, "None");
		else
			snprintf(item, sizeof item, "%lld", (long long)ob->items[k]);
		kind_printf(p, LS_INK_VALUE, "%s%s", k ? " " : " [", item);
	}
	if (ob->value > 0)
		p->put(p, LS_INK_VALUE, "]");
}

static void
queue_json(const struct ls_kind_json *w, const struct ls_model *m, int o)
{
	const struct ls_model_obj *ob = &m->objs[o];

	w->str(w->j, "order", ob->init == LS_QUEUE_LIFO ? "lifo"
	       : ob->init == LS_QUEUE_PRIORITY ? "priority" : "fifo");
	w->integer(w->j, "size", ob->value);
	w->integer(w->j, "maxsize", ob->bound);
	w->integer(w->j, "unfinished", ob->unfinished);
	w->array(w->j, "items");
	for (long k = 0; k < ob->value; k++) {
		if (ob->items[k] == LS_QUEUE_NONE)
			w->null(w->j, NULL);
		else
			w->integer(w->j, NULL, ob->items[k]);
	}
	w->end(w->j, ']');
}

/* ---- pipes ---------------------------------------------------------------- */

/* "2 msgs 112 B" or "empty": what one end has sent that is not yet received. */
static void
pipe_flight(struct ls_kind_pen *p, const struct ls_model_pipe_end *pe)
{
	if (pe->msgs == 0)
		p->put(p, LS_INK_DIM, _("empty"));
	else
		kind_printf(p, LS_INK_VALUE, P_("%ld msg %ld B", "%ld msgs %ld B", pe->msgs),
		            pe->msgs, pe->bytes);
}

/* The values in flight, oldest first. */
static void
pipe_values(struct ls_kind_pen *p, const struct ls_model_pipe_end *pe)
{
	if (pe->nlisted > 0)
		p->put(p, LS_INK_DIM, ":");
	for (int k = 0; k < pe->nlisted && p->x < p->end; k++)
		kind_printf(p, LS_INK_VALUE, " %lld%s", (long long)pe->listed[k].value,
		            pe->partial && k == pe->nlisted - 1 && k == pe->msgs - 1 ? _(" (part)") : "");
	if (pe->overflow || pe->msgs > pe->nlisted)
		p->put(p, LS_INK_DIM, " ...");
}

/* Who is blocked on one direction of a pipe: senders at from, receivers at from ^ 1. */
static void
pipe_who(struct ls_kind_pen *p, const struct ls_model *m, int o, int from)
{
	for (int i = 0; i < m->nactors && p->x < p->end; i++) {
		const struct ls_model_actor *a = &m->actors[i];
		if (a->obj != o || !kind_blocked(m, i) || (a->arg & LS_PIPE_ANY))
			continue;
		/* What it waits for says which way: room to send, or data to receive. */
		enum ls_op_wait how = ls_op_info(a->op)->wait;
		if (how == LS_WAIT_PIPE_ROOM && LS_PIPE_END(a->arg) == from)
			kind_printf(p, LS_INK_WAITER, _(", %s in send()"), a->name);
		else if (how == LS_WAIT_PIPE_DATA && LS_PIPE_END(a->arg) == (from ^ 1))
			kind_printf(p, LS_INK_WAITER, _(", %s in recv()"), a->name);
	}
}

/* Its room; then a row per direction (one connection) or of what is in flight. */
static void
pipe_line(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	const struct ls_model_pipe *pp = m->objs[o].pipe;

	if (!pp)
		return;
	if (pp->nconn > 1)
		kind_printf(p, LS_INK_VALUE, _("%d connections%s"), pp->nconn, p->sep);
	if (pp->cap_msgs > 0)
		kind_printf(p, LS_INK_DIM, _("room %ld x %ld B"), pp->cap_msgs, pp->msg_size);
	else
		kind_printf(p, LS_INK_DIM, _("room < one %ld B message"), pp->msg_size);
	if (pp->out_of_order || pp->torn)
		kind_printf(p, LS_INK_ERROR, _(" %ld out of order, %ld torn"), pp->out_of_order,
		            pp->torn);
	if (pp->nconn > 1) {
		if (kind_row(p, 2)) {
			p->put(p, LS_INK_DIM, _("in flight: "));
			kind_printf(p, LS_INK_VALUE, _("%ld toward side 1, %ld toward side 0"),
			            pp->toward[1], pp->toward[0]);
		}
		return;
	}
	for (int from = 0; from < 2 && kind_row(p, 2); from++) {
		kind_printf(p, LS_INK_DIM, "%d->%d ", from, from ^ 1);
		pipe_flight(p, &pp->ends[from]);
		pipe_who(p, m, o, from);
		pipe_values(p, &pp->ends[from]);
	}
}

static void
pipe_strip(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	const struct ls_model_obj *ob = &m->objs[o];

	if (ob->pipe && ob->pipe->nconn == 1)
		kind_printf(p, LS_INK_VALUE, " 0->1 %ld, 1->0 %ld", ob->pipe->ends[0].msgs,
		            ob->pipe->ends[1].msgs);
	else if (ob->pipe)
		kind_printf(p, LS_INK_VALUE, _(" %ld in flight"), ob->value);
}

/* A single pipe's rows say who waits on which direction already. */
static int
pipe_waiting(const struct ls_model *m, int o, int *out)
{
	if (m->objs[o].pipe && m->objs[o].pipe->nconn == 1)
		return 0;
	return kind_waiting_all(m, o, out);
}

/* A pipe: its measured room, and per end what it sent and what is still in flight. */
static void
pipe_json(const struct ls_kind_json *w, const struct ls_model *m, int o)
{
	const struct ls_model_pipe *p = m->objs[o].pipe;

	if (!p)
		return;
	w->integer(w->j, "connections", p->nconn);
	w->integer(w->j, "msg_size", p->msg_size);
	w->integer(w->j, "capacity_msgs", p->cap_msgs);
	w->integer(w->j, "out_of_order", p->out_of_order);
	w->integer(w->j, "torn", p->torn);
	w->array(w->j, "ends");
	for (int e = 0; e < 2 * p->nconn; e++) {
		const struct ls_model_pipe_end *pe = &p->ends[e];
		w->object(w->j, NULL);
		w->integer(w->j, "end", e);
		w->integer(w->j, "sent", pe->sent);
		w->integer(w->j, "received_from", pe->received);
		w->integer(w->j, "in_flight", pe->msgs);
		w->integer(w->j, "bytes_in_flight", pe->bytes);
		w->end(w->j, '}');
	}
	w->end(w->j, ']');
}

/* ---- pools ---------------------------------------------------------------- */

/*
 * A pool: its head ("4 workers, 1 queued, 3 of 5 done, closed"), then a row
 * each for the task queue, which worker runs which task, and the results in
 * the order they came back (the ones the parent has taken dim).
 */
static void
pool_head(struct ls_kind_pen *p, const struct ls_model_obj *ob)
{
	const struct ls_model_pool *pl = ob->pool;

	kind_printf(p, LS_INK_VALUE, P_("%d worker", "%d workers", pl->workers), pl->workers);
	kind_printf(p, LS_INK_DIM, _(", %ld queued, %ld of %ld done"), ob->value, pl->finished,
	            pl->submitted);
	if (pl->closed)
		p->put(p, LS_INK_DIM, _(", closed"));
}

static void
pool_tasks(struct ls_kind_pen *p, const struct ls_model_obj *ob)
{
	p->put(p, LS_INK_DIM, _("tasks: "));
	if (ob->value == 0)
		p->put(p, LS_INK_DIM, _("(empty)"));
	for (long k = 0; k < ob->value && p->x < p->end; k++)
		kind_printf(p, LS_INK_VALUE, "%s%lld", k ? " " : "", (long long)ob->items[k]);
}

static void
pool_running(struct ls_kind_pen *p, const struct ls_model *m, const struct ls_model_pool *pl)
{
	int shown = 0;

	p->put(p, LS_INK_DIM, _("running: "));
	for (int a = 0; a < m->nactors && p->x < p->end; a++) {
		if (pl->running[a] < 0)
			continue;
		p->put(p, LS_INK_OWNER, shown++ ? " " : "");
		p->put(p, LS_INK_OWNER, kind_actor(m, a));
		kind_printf(p, LS_INK_VALUE, ":%lld", (long long)pl->running[a]);
	}
	if (!shown)
		p->put(p, LS_INK_DIM, _("(none)"));
}

static void
pool_results(struct ls_kind_pen *p, const struct ls_model_pool *pl)
{
	long n = pl->finished < LS_QUEUE_CAP ? pl->finished : LS_QUEUE_CAP;

	p->put(p, LS_INK_DIM, _("results: "));
	if (n == 0)
		p->put(p, LS_INK_DIM, _("(none yet)"));
	for (long k = 0; k < n && p->x < p->end; k++)
		kind_printf(p, k < pl->collected ? LS_INK_DIM : LS_INK_VALUE, "%s%lld=%lld",
		            k ? " " : "", (long long)pl->results[k].task,
		            (long long)pl->results[k].value);
}

static void
pool_line(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	const struct ls_model_obj *ob = &m->objs[o];

	if (!ob->pool)
		return;
	pool_head(p, ob);
	if (kind_row(p, 2))
		pool_tasks(p, ob);
	if (kind_row(p, 2))
		pool_running(p, m, ob->pool);
	if (kind_row(p, 2))
		pool_results(p, ob->pool);
}

static void
pool_strip(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	const struct ls_model_obj *ob = &m->objs[o];

	if (!ob->pool)
		return;
	kind_printf(p, LS_INK_VALUE, _(" %ld queued"), ob->value);
	for (int a = 0; a < m->nactors && p->x < p->end; a++)
		if (ob->pool->running[a] >= 0)
			kind_printf(p, LS_INK_OWNER, " %s:%lld", kind_actor(m, a),
			            (long long)ob->pool->running[a]);
	kind_printf(p, LS_INK_VALUE, _(" %ld done"), ob->pool->finished);
}

/* Its task queue, who runs what, the tasks each worker ran, and the results
 * in the order the workers handed them back. */
static void
pool_json(const struct ls_kind_json *w, const struct ls_model *m, int o)
{
	const struct ls_model_obj *ob = &m->objs[o];
	const struct ls_model_pool *p = ob->pool;

	if (!p)
		return;
	long n = p->finished < LS_QUEUE_CAP ? p->finished : LS_QUEUE_CAP;
	w->integer(w->j, "workers", p->workers);
	w->boolean(w->j, "closed", p->closed);
	w->integer(w->j, "submitted", p->submitted);
	w->integer(w->j, "finished", p->finished);
	w->integer(w->j, "collected", p->collected);
	w->integer(w->j, "max_running", p->max_running);
	w->array(w->j, "queued");
	for (long k = 0; k < ob->value; k++)
		w->integer(w->j, NULL, ob->items[k]);
	w->end(w->j, ']');
	w->object(w->j, "running");
	for (int a = 0; a < m->nactors; a++)
		if (p->running[a] >= 0)
			w->integer(w->j, m->actors[a].name, p->running[a]);
	w->end(w->j, '}');
	w->object(w->j, "tasks_per_worker");
	for (int a = 0; a < m->nactors; a++)
		if (p->done_by[a] > 0)
			w->integer(w->j, m->actors[a].name, p->done_by[a]);
	w->end(w->j, '}');
	w->array(w->j, "completion_order");
	for (long k = 0; k < n; k++) {
		w->object(w->j, NULL);
		w->integer(w->j, "task", p->results[k].task);
		w->integer(w->j, "result", p->results[k].value);
		w->str(w->j, "worker", m->actors[p->results[k].worker].name);
		w->end(w->j, '}');
	}
	w->end(w->j, ']');
}

/* The queue's tasks and the results in the order they came back. */
static void
pool_key(struct ls_kind_key *k, const struct ls_model *m, int o)
{
	const struct ls_model_obj *x = &m->objs[o];

	kind_key_common(k, m, o);
	if (!x->pool)
		return;
	k->bytes(k, x->items, (size_t)x->value * sizeof x->items[0]);
	k->word(k, ((uint64_t)x->pool->closed << 63) ^ (uint64_t)x->pool->collected);
	for (long r = 0; r < x->pool->finished && r < LS_QUEUE_CAP; r++)
		k->word(k, (uint64_t)x->pool->results[r].task);
}

/* ---- networks ------------------------------------------------------------- */

/* A connection's row is this wide at most; narrower panes split it in two. */
#define KIND_NET_WIDE 110

/* "listening 127.0.0.1:38773", "not listening yet", "closed (was ...)". */
static void
net_head(struct ls_kind_pen *p, const struct ls_model_obj *ob)
{
	const struct ls_model_net *n = ob->net;
	const struct ls_model_pipe *pp = ob->pipe;

	if (!n)
		return;
	if (n->listening == 1)
		kind_printf(p, LS_INK_VALUE, _("listening %s:%d"), ob->host, n->port);
	else if (n->listening == 2)
		kind_printf(p, LS_INK_DIM, _("closed (was %s:%d)"), ob->host, n->port);
	else
		kind_printf(p, LS_INK_DIM, _("not listening yet (%s, port %ld%s)"), ob->host, ob->init,
		            ob->init ? "" : _(": a free one"));
	kind_printf(p, LS_INK_DIM, P_("%s%ld connection", "%s%ld connections", n->connects), p->sep,
	            n->connects);
	if (pp && pp->toward[0] + pp->toward[1] > 0)
		kind_printf(p, LS_INK_VALUE, _("%s%ld in flight"), p->sep, pp->toward[0] + pp->toward[1]);
	if (n->auth_failed > 0)
		kind_printf(p, LS_INK_ERROR, _("%s%ld refused: wrong key"), p->sep, n->auth_failed);
	if (n->refused > 0)
		kind_printf(p, LS_INK_ERROR, _("%s%ld connect refused"), p->sep, n->refused);
}

/* The messages in flight from end e, oldest first, "(none)" when empty;
 * then who waits to receive them. */
static void
net_flight(struct ls_kind_pen *p, const struct ls_model *m, int o, int e)
{
	const struct ls_model_pipe_end *pe = &m->objs[o].pipe->ends[e];
	char text[64];

	if (pe->msgs == 0)
		p->put(p, LS_INK_DIM, _("(none)"));
	for (int k = 0; k < pe->nlisted && p->x < p->end; k++) {
		ls_op_message_text(pe->listed[k].tag, (long long)pe->listed[k].value, text,
		                   sizeof text);
		kind_printf(p, LS_INK_VALUE, "%s%s", k ? ", " : "", text);
	}
	if (pe->overflow || pe->msgs > pe->nlisted)
		p->put(p, LS_INK_DIM, " ...");
	for (int i = 0; i < m->nactors && p->x < p->end; i++) {
		const struct ls_model_actor *a = &m->actors[i];
		if (a->obj == o && kind_blocked(m, i) &&
		    (a->op == LS_OP_NET_RECV || a->op == LS_OP_NET_AUTH) &&
		    LS_PIPE_END(a->arg) == (e ^ 1))
			kind_printf(p, LS_INK_WAITER, _(", %s waits"), a->name);
	}
}

/* "#0 W1:45678 -> server authenticated", then ", open" or who closed it. */
static void
net_conn_head(struct ls_kind_pen *p, const struct ls_model *m, const struct ls_model_net *n,
              int c, int wide)
{
	const struct ls_model_conn *k = &n->conns[c];
	const char *state = ls_model_conn_state(n, c);
	const char *client = k->client >= 0 ? kind_actor(m, k->client) : "?";
	const char *server = k->server >= 0 ? kind_actor(m, k->server) : "?";
	int bad = strcmp(state, "refused") == 0 || strcmp(state, "reset") == 0;

	kind_printf(p, LS_INK_DIM, "#%d ", c);
	p->put(p, LS_INK_OWNER, client);
	if (wide)
		kind_printf(p, LS_INK_DIM, ":%d", k->port);
	p->put(p, LS_INK_DIM, " -> ");
	if (k->accepted)
		p->put(p, LS_INK_OWNER, server);
	else
		p->put(p, LS_INK_DIM, _("(not accepted)"));
	kind_printf(p, bad ? LS_INK_ERROR : LS_INK_VALUE, " %s", _(state));
	if (k->closed[0] && k->closed[1])
		p->put(p, LS_INK_DIM, _(", closed"));
	else if (k->closed[0] || k->closed[1])
		kind_printf(p, LS_INK_DIM, _(", closed by %s"), k->closed[0] ? server : client);
	else if (strcmp(state, "reset") != 0)
		p->put(p, LS_INK_VALUE, _(", open"));
}

/*
 * One connection, on the row begun for it: "#0 W1:45678 -> server
 * authenticated, open; to server: put 240; to W1: (none), W1 waits"; when
 * the row is narrow, the messages and the client's port on a row of their
 * own, three cells further in.
 */
static void
net_conn(struct ls_kind_pen *p, const struct ls_model *m, int o, int c)
{
	const struct ls_model_net *n = m->objs[o].net;
	const struct ls_model_conn *k = &n->conns[c];
	const char *client = k->client >= 0 ? kind_actor(m, k->client) : "?";
	/* Before a server accepted it, the other end is the listener's. */
	const char *to = k->accepted ? (k->server >= 0 ? kind_actor(m, k->server) : "?") : _("server");
	int indent = p->x - p->left, wide = p->end - p->x >= KIND_NET_WIDE;

	net_conn_head(p, m, n, c, wide);
	if (!wide) {
		if (!kind_row(p, indent + 3))
			return;
		kind_printf(p, LS_INK_DIM, _("to %s: "), to);
	} else {
		kind_printf(p, LS_INK_DIM, _("; to %s: "), to);
	}
	net_flight(p, m, o, 2 * c + 1);
	kind_printf(p, LS_INK_DIM, _("; to %s: "), client);
	net_flight(p, m, o, 2 * c);
	if (!wide)
		kind_printf(p, LS_INK_DIM, _("; from port %d"), k->port);
}

/* Its listener; then a row per connection made to it (two when narrow). */
static void
net_line(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	const struct ls_model_obj *ob = &m->objs[o];

	net_head(p, ob);
	for (int c = 0; ob->net && c < ob->net->nconns; c++)
		if (ob->net->conns[c].used) {
			if (!kind_row(p, 2))
				return;
			net_conn(p, m, o, c);
		}
}

static void
net_strip(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	const struct ls_model_obj *ob = &m->objs[o];

	if (!ob->net)
		return;
	if (ob->net->listening == 1)
		kind_printf(p, LS_INK_VALUE, " %s:%d", ob->host, ob->net->port);
	else
		p->put(p, LS_INK_DIM, ob->net->listening ? _(" closed") : _(" not listening"));
	kind_printf(p, LS_INK_VALUE,
	            P_(", %ld conn, %ld in flight", ", %ld conns, %ld in flight", ob->net->connects),
	            ob->net->connects, ob->value);
	if (ob->net->auth_failed > 0)
		kind_printf(p, LS_INK_ERROR, _(", %ld refused"), ob->net->auth_failed);
}

/* The messages in flight from one end, oldest first, as text ("put 240"). */
static void
net_flight_json(const struct ls_kind_json *w, const char *key, const struct ls_model_pipe_end *pe)
{
	char text[64];

	w->array(w->j, key);
	for (int k = 0; k < pe->nlisted; k++) {
		ls_op_message_text(pe->listed[k].tag, (long long)pe->listed[k].value, text,
		                   sizeof text);
		w->str(w->j, NULL, text);
	}
	w->end(w->j, ']');
}

/* An actor's name, or null. */
static void
net_actor_json(const struct ls_kind_json *w, const char *key, const struct ls_model *m, int a)
{
	if (a >= 0 && a < m->nactors)
		w->str(w->j, key, m->actors[a].name);
	else
		w->null(w->j, key);
}

/* A connection: who made it from which port, who accepted it, where its
 * handshake stands, which ends are open, the messages in flight each way. */
static void
net_conn_json(const struct ls_kind_json *w, const struct ls_model *m, const struct ls_model_obj *o,
              int c)
{
	const struct ls_model_net *n = o->net;
	const struct ls_model_conn *k = &n->conns[c];

	w->object(w->j, NULL);
	w->integer(w->j, "id", c);
	net_actor_json(w, "client", m, k->client);
	w->integer(w->j, "client_port", k->port);
	net_actor_json(w, "accepted_by", m, k->accepted ? k->server : -1);
	w->str(w->j, "state", ls_model_conn_state(n, c));
	w->boolean(w->j, "open", !k->closed[0] && !k->closed[1] &&
	           strcmp(ls_model_conn_state(n, c), "reset") != 0);
	w->boolean(w->j, "client_closed", k->closed[1]);
	w->boolean(w->j, "server_closed", k->closed[0]);
	net_flight_json(w, "to_server", &o->pipe->ends[2 * c + 1]);
	net_flight_json(w, "to_client", &o->pipe->ends[2 * c]);
	w->end(w->j, '}');
}

/* Its listener (host:port, listening or not), every connection made to it
 * and the connections refused. */
static void
net_json(const struct ls_kind_json *w, const struct ls_model *m, int i)
{
	const struct ls_model_obj *o = &m->objs[i];
	const struct ls_model_net *n = o->net;
	const struct ls_model_pipe *p = o->pipe;
	char addr[80];

	if (!n || !p)
		return;
	snprintf(addr, sizeof addr, "%s:%d", o->host, n->listening ? n->port : (int)o->init);
	w->str(w->j, "listen", addr);
	w->str(w->j, "host", o->host);
	w->integer(w->j, "port", n->listening ? n->port : o->init);
	w->str(w->j, "listening", n->listening == 1 ? "yes" : n->listening == 2 ? "closed"
	       : "not yet");
	net_actor_json(w, "listener", m, n->listener);
	w->integer(w->j, "connects", n->connects);
	w->integer(w->j, "accepts", n->accepts);
	w->integer(w->j, "refused_connects", n->refused);
	w->integer(w->j, "refused_keys", n->auth_failed);
	w->integer(w->j, "in_flight", p->toward[0] + p->toward[1]);
	w->array(w->j, "connections");
	for (int c = 0; c < n->nconns && c < p->nconn; c++)
		if (n->conns[c].used)
			net_conn_json(w, m, o, c);
	w->end(w->j, ']');
}

/* ---- the table ------------------------------------------------------------ */

static const struct ls_kind_info kind_table[LS_OBJ__COUNT] = {
	[LS_OBJ_VAR] = {
		.name = "variable", .word = N_("variable"), .flags = LS_KINDF_VAR | LS_KINDF_DATA,
		.line = var_line, .strip = var_strip, .json = var_json, .text = var_text,
		.key = kind_key_common,
	},
	[LS_OBJ_MUTEX] = {
		.name = "lock", .word = N_("lock"),
		.line = mutex_line, .strip = mutex_strip, .waiting = kind_waiting_all,
		.json = mutex_json, .key = kind_key_common,
	},
	[LS_OBJ_SEM] = {
		.name = "semaphore", .word = N_("semaphore"),
		.line = sem_line, .strip = sem_strip, .holders = sem_holders,
		.waiting = kind_waiting_all, .json = sem_json, .text = sem_text,
		.key = kind_key_common,
	},
	[LS_OBJ_EVENT] = {
		.name = "event", .word = N_("event"),
		.line = event_line, .strip = event_strip, .waiting = kind_waiting_all,
		.json = event_json, .text = event_text, .key = kind_key_common,
	},
	[LS_OBJ_COND] = {
		.name = "condition", .word = N_("condition"),
		.line = kind_none, .strip = kind_none, .waiting = kind_waiting_all,
		.json = kind_json_none, .key = kind_key_common,
	},
	[LS_OBJ_FILE] = {
		.name = "file", .word = N_("file"), .flags = LS_KINDF_DATA,
		.line = file_line, .strip = file_strip, .json = file_json, .text = file_text,
		.key = file_key,
	},
	[LS_OBJ_QUEUE] = {
		.name = "queue", .word = N_("queue"), .flags = LS_KINDF_OWN_WAITERS,
		.line = queue_line, .strip = queue_strip, .waiting = kind_waiting_all,
		.json = queue_json, .key = kind_key_common,
	},
	[LS_OBJ_PIPE] = {
		.name = "pipe", .word = N_("pipe"),
		.line = pipe_line, .strip = pipe_strip, .waiting = pipe_waiting,
		.json = pipe_json, .key = kind_key_common,
	},
	[LS_OBJ_PRIVATE] = {
		.name = "private variable", .word = N_("private variable"),
		.line = kind_none, .strip = kind_none, .json = kind_json_none,
		.key = kind_key_common,
	},
	[LS_OBJ_LOCAL] = {
		.name = "local", .word = N_("local"),
		.line = local_values, .strip = local_strip, .json = local_json, .text = local_text,
		.key = kind_key_common, .actor_key = local_actor_key,
	},
	[LS_OBJ_POOL] = {
		.name = "pool", .word = N_("pool"),
		.line = pool_line, .strip = pool_strip, .waiting = kind_waiting_all,
		.json = pool_json, .key = pool_key,
	},
	[LS_OBJ_NET] = {
		.name = "network", .word = N_("network"),
		.line = net_line, .strip = net_strip, .waiting = kind_waiting_all,
		.json = net_json, .key = kind_key_common,
	},
};

/* What an unknown kind is: "?", and nothing shown. */
static const struct ls_kind_info kind_unknown = {
	.name = "?", .word = "?", .line = kind_none, .strip = kind_none, .json = kind_json_none,
	.key = kind_key_common,
};

const struct ls_kind_info *
ls_kind_info(int kind)
{
	if (kind < 0 || kind >= LS_OBJ__COUNT || !kind_table[kind].name)
		return &kind_unknown;
	return &kind_table[kind];
}

unsigned
ls_kind_flags(int kind)
{
	return ls_kind_info(kind)->flags;
}

const char *
ls_obj_kind_name(int kind)
{
	return ls_kind_info(kind)->name;
}

const char *
ls_obj_kind_word(int kind)
{
	const char *word = ls_kind_info(kind)->word;

	return strcmp(word, "?") == 0 ? word : _(word);
}

int
ls_kind_waiting(const struct ls_model *m, int o, int *scratch)
{
	const struct ls_kind_info *k = ls_kind_info(m->objs[o].kind);

	return k->waiting ? k->waiting(m, o, scratch) : 0;
}

/* A row of actors under the line: "2 held by: T1 T2", "1 waiting: T3". */
static void
kind_actors_row(struct ls_kind_pen *p, int holders, int n)
{
	if (n <= 0 || !kind_row(p, 2))
		return;
	kind_printf(p, LS_INK_DIM, holders ? _("%d held by: ") : _("%d waiting: "), n);
	p->actors(p, holders ? LS_INK_OWNER : LS_INK_WAITER, p->scratch, n);
}

void
ls_kind_line(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	const struct ls_kind_info *k = ls_kind_info(m->objs[o].kind);

	k->line(p, m, o);
	if (k->holders)
		kind_actors_row(p, 1, k->holders(m, o, p->scratch));
	if (k->waiting && !(k->flags & LS_KINDF_OWN_WAITERS))
		kind_actors_row(p, 0, k->waiting(m, o, p->scratch));
}

void
ls_kind_strip(struct ls_kind_pen *p, const struct ls_model *m, int o)
{
	ls_kind_info(m->objs[o].kind)->strip(p, m, o);
}
