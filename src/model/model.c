/*
 * model.c - the reducer.  ls_model_apply() folds one event into the snapshot;
 * everything else here only reads the snapshot.  It must stay pure: no
 * clocks, no world, no I/O, so a trace replayed through it gives the same
 * snapshot every time.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/world.h"
#include "lockstep/i18n.h"
#include "lockstep/model.h"
#include "model/op.h"

/* Bytes a message of this payload takes in the pipe: its frame. */
static long
model_pipe_frame(long size)
{
	return (long)sizeof(struct ls_pipe_frame) + size;
}

static int model_pool_new(struct ls_model_obj *o, int nactors);
static void model_pool_effect(struct ls_model_obj *o, int actor, const struct ls_event *e);

static int
model_pipe_new(struct ls_model_obj *o, const struct ls_obj_info *info)
{
	int nconn = info->nconn > 0 ? info->nconn : 1;

	o->value = 0;
	o->pipe = calloc(1, sizeof *o->pipe);
	if (!o->pipe)
		return -1;
	o->pipe->ends = calloc((size_t)nconn * 2, sizeof *o->pipe->ends);
	if (!o->pipe->ends)
		return -1;
	o->pipe->nconn = nconn;
	o->pipe->msg_size = info->msg_size;
	o->pipe->frame = model_pipe_frame(info->msg_size);
	o->pipe->cap_msgs = info->cap_msgs;
	return 0;
}

/* The actors as the run names them, none started yet. */
static void
model_actors_init(struct ls_model *m, const char *const *names, const int *roles,
                  const int *indices)
{
	for (int i = 0; i < m->nactors; i++) {
		struct ls_model_actor *a = &m->actors[i];
		snprintf(a->name, sizeof a->name, "%s", names[i]);
		a->role = roles ? roles[i] : 0;
		a->index = indices ? indices[i] : i;
		a->state = LS_AS_NEW;
		a->obj = -1;
		a->parent = -1;
		a->exit_code = -1;
	}
}

/* The tables with a cell per actor and object, and the per-actor scratch;
 * -1 when one cannot be had (the caller frees what was). */
static int
model_cells_new(struct ls_model *m)
{
	size_t na = (size_t)(m->nactors > 0 ? m->nactors : 1);
	size_t cells = na * (size_t)(m->nobjs > 0 ? m->nobjs : 1);

	m->holds = calloc(cells, sizeof *m->holds);
	m->hold_t0 = calloc(cells, sizeof *m->hold_t0);
	m->locals = calloc(cells, sizeof *m->locals);
	m->local_has = calloc(cells, sizeof *m->local_has);
	m->scratch = calloc(na, sizeof *m->scratch);
	m->scratch_keys = calloc(na, sizeof *m->scratch_keys);
	return m->holds && m->hold_t0 && m->locals && m->local_has && m->scratch &&
	       m->scratch_keys ? 0 : -1;
}

/* A network's state: no listener, no connection; its init is the port asked for. */
static int
model_net_new(struct ls_model_obj *o, const struct ls_obj_info *info)
{
	o->net = calloc(1, sizeof *o->net);
	if (!o->net)
		return -1;
	o->net->listener = -1;
	for (int c = 0; c < LS_NET_CONNS_MAX; c++)
		o->net->conns[c].client = o->net->conns[c].server = -1;
	o->init = info->init;   /* the port asked for */
	snprintf(o->host, sizeof o->host, "%s", info->host);
	return 0;
}

/* One object as the world declares it, with the storage its kind needs;
 * -1 when that cannot be had (the caller frees what was). */
static int
model_obj_init(struct ls_model_obj *o, const struct ls_obj_info *info, int nactors)
{
	snprintf(o->name, sizeof o->name, "%s", info->name);
	o->kind = info->kind;
	o->init = info->init;
	o->bound = info->bound;
	o->value = info->init;
	o->owner = -1;
	o->last_releaser = -1;
	if (o->kind == LS_OBJ_QUEUE) {
		o->value = 0;
		o->items = calloc(LS_QUEUE_CAP, sizeof *o->items);
		if (!o->items)
			return -1;
	}
	if (o->kind == LS_OBJ_POOL && model_pool_new(o, nactors) != 0)
		return -1;
	if ((o->kind == LS_OBJ_PIPE || o->kind == LS_OBJ_NET) && model_pipe_new(o, info) != 0)
		return -1;
	if (o->kind == LS_OBJ_NET && model_net_new(o, info) != 0)
		return -1;
	snprintf(o->text, sizeof o->text, "%s", info->text);
	return 0;
}

struct ls_model *
ls_model_new(const struct ls_world *w, int nactors, const char *const *names,
             const int *roles, const int *indices)
{
	struct ls_model *m = malloc(sizeof *m);

	if (!m)
		return NULL;
	/* Zero all but the history (most of the model's megabyte): it is read
	 * only below nhistory, and the explorer makes a model per run. */
	memset(m, 0, offsetof(struct ls_model, history));
	memset(&m->nhistory, 0, sizeof *m - offsetof(struct ls_model, nhistory));
	m->actors = calloc((size_t)(nactors > 0 ? nactors : 1), sizeof *m->actors);
	if (!m->actors) {
		free(m);
		return NULL;
	}
	m->nactors = nactors;
	model_actors_init(m, names, roles, indices);
	m->nobjs = (int)w->nobjs;
	if (model_cells_new(m) != 0) {
		ls_model_free(m);
		return NULL;
	}
	for (int i = 0; i < m->nobjs; i++) {
		if (model_obj_init(&m->objs[i], &w->objs[i], nactors) != 0) {
			ls_model_free(m);
			return NULL;
		}
	}
	return m;
}

void
ls_model_free(struct ls_model *m)
{
	if (!m)
		return;
	for (int i = 0; i < m->nobjs; i++) {
		free(m->objs[i].items);
		if (m->objs[i].pipe)
			free(m->objs[i].pipe->ends);
		free(m->objs[i].pipe);
		if (m->objs[i].pool) {
			free(m->objs[i].pool->running);
			free(m->objs[i].pool->done_by);
			free(m->objs[i].pool->results);
		}
		free(m->objs[i].pool);
		free(m->objs[i].net);
	}
	free(m->actors);
	free(m->holds);
	free(m->hold_t0);
	free(m->locals);
	free(m->local_has);
	free(m->spans);
	free(m->scratch);
	free(m->scratch_keys);
	free(m->fold_state);
	free(m);
}

int
ls_model_set_fold(struct ls_model *m, size_t size,
                  void (*fold)(void *, const struct ls_model *, const long *,
                               const struct ls_event *),
                  const long *params)
{
	if (!fold)
		return 0;
	m->fold_state = calloc(1, size ? size : 1);
	if (!m->fold_state)
		return -1;
	m->fold = fold;
	m->fold_params = params;
	return 0;
}

const void *
ls_model_fold_state(const struct ls_model *m)
{
	return m->fold_state;
}

static struct ls_model_obj *
model_obj(struct ls_model *m, unsigned id)
{
	return id < (unsigned)m->nobjs ? &m->objs[id] : NULL;
}

int
ls_model_watch(struct ls_model *m, ls_model_watcher fn, void *ctx)
{
	if (m->nwatch >= LS_MODEL_WATCHERS)
		return -1;
	m->watch[m->nwatch].fn = fn;
	m->watch[m->nwatch].ctx = ctx;
	m->nwatch++;
	return 0;
}

void
ls_model_keep_spans(struct ls_model *m)
{
	m->keep_spans = 1;
}

static void
model_span(struct ls_model *m, enum ls_span_kind kind, int actor, int obj, int op,
           uint64_t t0, uint64_t t1)
{
	if (!m->keep_spans)
		return;
	if (m->nspans == m->spans_cap) {
		size_t cap = m->spans_cap ? m->spans_cap * 2 : 256;
		struct ls_span *p = realloc(m->spans, cap * sizeof *p);
		if (!p) {
			m->spans_lost++;
			return;
		}
		m->spans = p;
		m->spans_cap = cap;
	}
	m->spans[m->nspans++] = (struct ls_span){
		.t0 = t0, .t1 = t1 > t0 ? t1 : t0, .actor = actor, .obj = obj, .kind = kind, .op = op,
	};
}

static uint32_t *
model_hold_cell(const struct ls_model *m, int actor, int obj)
{
	if (actor < 0 || actor >= m->nactors || obj < 0 || obj >= m->nobjs)
		return NULL;
	return &m->holds[(size_t)actor * (size_t)m->nobjs + (size_t)obj];
}

unsigned
ls_model_hold_depth(const struct ls_model *m, int actor, int obj)
{
	const uint32_t *c = model_hold_cell(m, actor, obj);
	return c ? *c : 0;
}

/* Set actor's hold on obj to depth, keeping nholds and the spans right. */
static void
model_hold_set(struct ls_model *m, int actor, int obj, uint32_t depth, uint64_t t)
{
	uint32_t *c = model_hold_cell(m, actor, obj);
	size_t at;

	if (!c || *c == depth)
		return;
	at = (size_t)actor * (size_t)m->nobjs + (size_t)obj;
	if (*c == 0) {
		m->actors[actor].nholds++;
		m->hold_t0[at] = t;
	} else if (depth == 0) {
		m->actors[actor].nholds--;
		model_span(m, LS_SPAN_HOLDS, actor, obj, -1, m->hold_t0[at], t);
	}
	*c = depth;
}

int
ls_model_local(const struct ls_model *m, int obj, int actor, long *value)
{
	size_t at;

	if (actor < 0 || actor >= m->nactors || obj < 0 || obj >= m->nobjs)
		return 0;
	at = (size_t)actor * (size_t)m->nobjs + (size_t)obj;
	if (!m->local_has[at])
		return 0;
	if (value)
		*value = (long)m->locals[at];
	return 1;
}

/* A thread's end frees its thread-local values (the key's destructor). */
static void
model_locals_end(struct ls_model *m, int actor)
{
	memset(&m->local_has[(size_t)actor * (size_t)m->nobjs], 0, (size_t)m->nobjs);
}

/* The actor stops waiting or sleeping: close that span. */
static void
model_unblock(struct ls_model *m, int actor, uint64_t t)
{
	struct ls_model_actor *a = &m->actors[actor];

	if (a->state == LS_AS_BLOCKED || a->state == LS_AS_SLEEPING)
		model_span(m, a->state == LS_AS_SLEEPING ? LS_SPAN_SLEEPING : LS_SPAN_BLOCKED,
		           actor, a->obj, a->op, a->t_block, t);
}

/* Did this actor take obj from someone, having waited for it? */
static int
model_handoff(const struct ls_model *m, int actor, const struct ls_model_obj *o)
{
	const struct ls_model_actor *a = &m->actors[actor];

	return a->waited || (o->last_releaser >= 0 && o->last_releaser != actor &&
	                     a->begin_seq && a->begin_seq < o->last_release_seq);
}

/* Condition notify: wake the longest waiter (FIFO), or all of them. */
static void
model_notify(struct ls_model *m, int cond, int all)
{
	for (;;) {
		int best = -1;
		for (int i = 0; i < m->nactors; i++) {
			struct ls_model_actor *a = &m->actors[i];
			if (a->state == LS_AS_BLOCKED && a->op == LS_OP_COND_WAIT && a->obj == cond &&
			    !a->notified && (best < 0 || a->block_seq < m->actors[best].block_seq))
				best = i;
		}
		if (best < 0)
			return;
		m->actors[best].notified = 1;
		if (!all)
			return;
	}
}

static void
model_say(struct ls_model *m, int actor, struct ls_model_actor *a, const struct ls_event *e)
{
	size_t have = strlen(a->partial);
	size_t add = strnlen(e->u.text, LS_TEXT_MAX);

	if (have + add >= sizeof a->partial)
		add = sizeof a->partial - 1 - have;
	memcpy(a->partial + have, e->u.text, add);
	a->partial[have + add] = '\0';
	if (e->phase == LS_PH_PART)
		return;
	memcpy(a->said, a->partial, sizeof a->said);
	struct ls_output_line *out = &m->output[m->noutput % LS_OUTPUT_LINES];
	out->actor = actor;
	memcpy(out->text, a->partial, sizeof out->text);
	m->noutput++;
	a->partial[0] = '\0';
}

/* A pool's model: every actor idle, no result yet. */
static int
model_pool_new(struct ls_model_obj *o, int nactors)
{
	size_t n = (size_t)(nactors > 0 ? nactors : 1);

	o->value = 0;
	o->items = calloc(LS_QUEUE_CAP, sizeof *o->items);
	o->pool = calloc(1, sizeof *o->pool);
	if (!o->items || !o->pool)
		return -1;
	o->pool->workers = (int)o->init;
	o->pool->running = malloc(n * sizeof *o->pool->running);
	o->pool->done_by = calloc(n, sizeof *o->pool->done_by);
	o->pool->results = calloc(LS_QUEUE_CAP, sizeof *o->pool->results);
	if (!o->pool->running || !o->pool->done_by || !o->pool->results)
		return -1;
	for (size_t i = 0; i < n; i++)
		o->pool->running[i] = -1;
	return 0;
}

/* A completed pool operation: tasks queue, run, come back and are taken. */
static void
model_pool_effect(struct ls_model_obj *o, int actor, const struct ls_event *e)
{
	struct ls_model_pool *p = o->pool;

	switch (e->op) {
	case LS_OP_POOL_SUBMIT:
		if (o->value < LS_QUEUE_CAP)
			o->items[o->value++] = e->u.v.a;
		p->submitted++;
		break;
	case LS_OP_POOL_TAKE:
		for (long i = 0; i < o->value; i++)
			if (o->items[i] == e->u.v.a) {
				memmove(&o->items[i], &o->items[i + 1],
				        (size_t)(o->value - i - 1) * sizeof o->items[0]);
				o->value--;
				break;
			}
		p->taken++;
		if (p->running[actor] < 0 && ++p->running_now > p->max_running)
			p->max_running = p->running_now;
		p->running[actor] = e->u.v.a;
		break;
	case LS_OP_POOL_FINISH:
		if (p->running[actor] >= 0)
			p->running_now--;
		p->running[actor] = -1;
		p->done_by[actor]++;
		if (p->finished < LS_QUEUE_CAP)
			p->results[p->finished] = (struct ls_model_pool_result){
				.task = e->u.v.a, .value = e->u.v.b, .worker = actor,
			};
		p->finished++;
		break;
	case LS_OP_POOL_COLLECT:
		p->collected++;
		break;
	case LS_OP_POOL_CLOSE:
		p->closed = 1;
		break;
	default:
		break;
	}
}

/* get() took this item: the queue's order says from which end it came;
 * take the one nearest that end, so equal items leave in the right order. */
static void
model_queue_take(struct ls_model_obj *o, int64_t item)
{
	long at = -1;

	if (o->init == LS_QUEUE_LIFO) {
		for (long i = o->value - 1; i >= 0 && at < 0; i--)
			if (o->items[i] == item)
				at = i;
	} else {
		for (long i = 0; i < o->value && at < 0; i++)
			if (o->items[i] == item)
				at = i;
	}
	if (at < 0)
		return;
	memmove(&o->items[at], &o->items[at + 1], (size_t)(o->value - at - 1) * sizeof o->items[0]);
	o->value--;
}

/* A lock or semaphore let go of by actor: remember it for hand-offs. */
static void
model_released(struct ls_model *m, struct ls_model_obj *o, int actor)
{
	o->last_releaser = actor;
	o->last_release_seq = m->events;
}

/* A message enters the pipe at end (toward end ^ 1): partly, or whole. */
static void
model_pipe_enter(struct ls_model_pipe *p, int end, const struct ls_event *e, int partial)
{
	struct ls_model_pipe_end *pe = &p->ends[end];
	long size = LS_PIPE_SIZE(e->u.v.a);
	long in = partial ? LS_PIPE_WRITTEN(e->u.v.a) : model_pipe_frame(size);

	/* Listed only while every message in flight is: the order stays known. */
	if (pe->nlisted == pe->msgs && pe->nlisted < LS_PIPE_LISTED)
		pe->listed[pe->nlisted++] = (struct ls_pipe_msg){
			.value = e->u.v.b, .size = size, .tag = LS_PIPE_TAG(e->u.v.a),
		};
	else
		pe->overflow = 1;
	pe->msgs++;
	pe->bytes += in;
	pe->partial = partial;
	pe->partial_in = partial ? in : 0;
	p->toward[(end & 1) ^ 1]++;
}

/* A receive at end took the oldest message sent from end ^ 1. */
static void
model_pipe_leave(struct ls_model_pipe *p, int end, const struct ls_event *e)
{
	struct ls_model_pipe_end *pe = &p->ends[end ^ 1];
	long size = LS_PIPE_SIZE(e->u.v.a);

	if (pe->nlisted > 0) {
		const struct ls_pipe_msg *head = &pe->listed[0];
		if (head->value != e->u.v.b || head->size != size || head->tag != LS_PIPE_TAG(e->u.v.a))
			p->out_of_order++;
		pe->nlisted--;
		memmove(&pe->listed[0], &pe->listed[1], (size_t)pe->nlisted * sizeof pe->listed[0]);
	}
	if (pe->msgs > 0) {
		pe->msgs--;
		pe->bytes -= model_pipe_frame(size);
		p->toward[end & 1]--;
	}
	if (pe->msgs == 0) {
		pe->bytes = 0;
		pe->nlisted = 0;
		pe->overflow = 0;
		pe->partial = 0;
		pe->partial_in = 0;
	}
	pe->received++;
}

/* What a send or receive did to its pipe: its BLOCK (part of a message in),
 * its DONE (a message whole in, or out), its FAIL (a torn message). */
static void
model_pipe_effect(struct ls_model_obj *o, const struct ls_event *e)
{
	struct ls_model_pipe *p = o ? o->pipe : NULL;
	int end = LS_PIPE_END(e->u.v.a);

	if (!p || end >= 2 * p->nconn)
		return;
	if (e->op == LS_OP_NET_SEND || e->op == LS_OP_NET_RECV || e->op == LS_OP_NET_AUTH) {
		/* A network's: whole small frames, a FAIL moves nothing unless it
		 * was a refusal received (NET_AUTH's FAILURE). */
		if (e->op == LS_OP_NET_SEND && e->phase == LS_PH_DONE) {
			model_pipe_enter(p, end, e, 0);
			p->ends[end].sent++;
		} else if (e->op != LS_OP_NET_SEND && (e->phase == LS_PH_DONE ||
		           (e->phase == LS_PH_FAIL && LS_PIPE_TAG(e->u.v.a) == LS_MSG_FAILURE))) {
			model_pipe_leave(p, end, e);
		}
		o->value = p->toward[0] + p->toward[1];
		return;
	}
	if (e->op == LS_OP_PIPE_SEND) {
		struct ls_model_pipe_end *pe = &p->ends[end];
		if (e->phase == LS_PH_BLOCK) {
			if ((e->u.v.a & LS_PIPE_ENTERED) && !pe->partial)
				model_pipe_enter(p, end, e, 1);
		} else if (e->phase == LS_PH_DONE) {
			if (pe->partial) {
				/* Counted when its first bytes went in; the rest are in now. */
				pe->bytes += model_pipe_frame(LS_PIPE_SIZE(e->u.v.a)) - pe->partial_in;
				pe->partial = 0;
				pe->partial_in = 0;
			} else
				model_pipe_enter(p, end, e, 0);
			pe->sent++;
			pe->bytes_sent += LS_PIPE_SIZE(e->u.v.a);
		}
	} else if (e->op == LS_OP_PIPE_RECV) {
		if (e->phase == LS_PH_DONE)
			model_pipe_leave(p, end, e);
		else if (e->phase == LS_PH_FAIL)
			p->torn++;
	}
	o->value = p->toward[0] + p->toward[1];
}

/* An actor's process or thread ended: the ends and the listener it made
 * are closed (the kernel closes a dead process's sockets). */
static void
model_net_gone(struct ls_model *m, int actor)
{
	for (int i = 0; i < m->nobjs; i++) {
		struct ls_model_net *n = m->objs[i].net;
		if (!n)
			continue;
		if (n->listener == actor && n->listening == 1)
			n->listening = 2;
		for (int c = 0; c < n->nconns; c++) {
			if (n->conns[c].client == actor)
				n->conns[c].closed[1] = 1;
			if (n->conns[c].server == actor)
				n->conns[c].closed[0] = 1;
		}
	}
}

/* A connect: refused, or a new connection numbered a from this client. */
static void
model_net_connect(struct ls_model_net *n, int actor, const struct ls_event *e)
{
	int64_t a = e->u.v.a;
	struct ls_model_conn *c;

	if (e->phase != LS_PH_DONE) {
		n->refused++;
		return;
	}
	if (a < 0 || a >= LS_NET_CONNS_MAX)
		return;
	c = &n->conns[a];
	memset(c, 0, sizeof *c);
	c->used = 1;
	c->client = actor;
	c->server = -1;
	c->port = (int)e->u.v.b;
	if (a >= n->nconns)
		n->nconns = (int)a + 1;
	n->connects++;
}

/* An authentication or a receive on one end of a connection: authenticated,
 * refused for a wrong key, or the end that saw the other close. */
static void
model_net_conn_io(struct ls_model_net *n, const struct ls_event *e)
{
	int64_t a = e->u.v.a;
	int ok = e->phase == LS_PH_DONE;
	int end = LS_PIPE_END(a), k = end >> 1;
	struct ls_model_conn *c;

	if (k >= LS_NET_CONNS_MAX)
		return;
	c = &n->conns[k];
	if (e->op == LS_OP_NET_AUTH && ok)
		c->authed = 1;
	else if (e->op == LS_OP_NET_AUTH && LS_PIPE_TAG(a) == LS_MSG_FAILURE) {
		c->refused = 1;
		n->auth_failed++;
	} else if (!ok && e->u.v.b == LS_NET_WHY_CLOSED)
		c->eof_seen[end & 1] = 1;
}

static void
model_net_effect(struct ls_model_obj *o, int actor, const struct ls_event *e)
{
	struct ls_model_net *n = o ? o->net : NULL;
	int ok = e->phase == LS_PH_DONE;
	int64_t a = e->u.v.a;

	if (!n)
		return;
	switch ((enum ls_op)e->op) {
	case LS_OP_NET_LISTEN:
		if (ok) {
			n->listening = 1;
			n->port = (int)a;
			n->listener = actor;
		}
		break;
	case LS_OP_NET_CONNECT:
		model_net_connect(n, actor, e);
		break;
	case LS_OP_NET_ACCEPT:
		if (ok && a >= 0 && a < LS_NET_CONNS_MAX) {
			n->conns[a].accepted = 1;
			n->conns[a].server = actor;
			n->accepts++;
		}
		break;
	case LS_OP_NET_AUTH:
	case LS_OP_NET_RECV:
		model_net_conn_io(n, e);
		break;
	case LS_OP_NET_CLOSE:
		if (a < 0) {
			n->listening = 2;
		} else if ((a >> 1) < LS_NET_CONNS_MAX) {
			n->conns[a >> 1].closed[a & 1] = 1;
		}
		break;
	default:
		break;
	}
}

/*
 * The operations by family.  model_effect dispatches on these lists, and
 * each family's switch handles its own operations one by one and names
 * the other families' lists, so no switch needs a default: an operation in
 * no list, or listed in a family whose switch does not handle it, does not
 * compile (-Wswitch).
 */
#define MODEL_OPS_LIFE                                                          \
	case LS_OP_START: case LS_OP_EXIT: case LS_OP_CRASH:
#define MODEL_OPS_DATA                                                          \
	case LS_OP_LOAD: case LS_OP_STORE: case LS_OP_ADD: case LS_OP_SLEEP: case LS_OP_SAY: \
	case LS_OP_FILE_READ: case LS_OP_FILE_WRITE: case LS_OP_PRIVATE_LOAD:            \
	case LS_OP_PRIVATE_STORE: case LS_OP_LOCAL_LOAD: case LS_OP_LOCAL_STORE:          \
	case LS_OP_JOIN: case LS_OP_FINAL: case LS_OP_NOTE: case LS_OP__COUNT:          \
	case LS_OP_PY_LINE: case LS_OP_PY_INSTR: case LS_OP_OBJ_NAME:
#define MODEL_OPS_SYNC                                                          \
	case LS_OP_LOCK: case LS_OP_UNLOCK: case LS_OP_SEM_ACQUIRE: case LS_OP_SEM_RELEASE: \
	case LS_OP_EVENT_SET: case LS_OP_EVENT_CLEAR: case LS_OP_EVENT_WAIT:              \
	case LS_OP_EVENT_TEST: case LS_OP_COND_WAIT: case LS_OP_COND_SIGNAL:
#define MODEL_OPS_MSG                                                           \
	case LS_OP_QUEUE_PUT: case LS_OP_QUEUE_GET: case LS_OP_TASK_DONE:                 \
	case LS_OP_QUEUE_JOIN: case LS_OP_PIPE_SEND: case LS_OP_PIPE_RECV:
#define MODEL_OPS_PROC                                                          \
	case LS_OP_FORK: case LS_OP_WAIT_CHILD: case LS_OP_SPAWN: case LS_OP_PROC_READ:   \
	case LS_OP_PROC_WAIT: case LS_OP_POOL_SUBMIT: case LS_OP_POOL_TAKE:               \
	case LS_OP_POOL_FINISH: case LS_OP_POOL_COLLECT: case LS_OP_POOL_CLOSE:          \
	case LS_OP_THREAD_START:
#define MODEL_OPS_NET                                                           \
	case LS_OP_NET_LISTEN: case LS_OP_NET_ACCEPT: case LS_OP_NET_CONNECT:             \
	case LS_OP_NET_SEND: case LS_OP_NET_RECV: case LS_OP_NET_POLL: case LS_OP_NET_AUTH: \
	case LS_OP_NET_CLOSE:

/* An actor's start and end: done or crashed, what it leaves behind. */
static void
model_life_effect(struct ls_model *m, int actor, struct ls_model_actor *a,
                  const struct ls_event *e)
{
	switch ((enum ls_op)e->op) {
	case LS_OP_START:
		a->state = LS_AS_RUNNING;
		a->os_id = (int)e->u.v.a;
		break;
	case LS_OP_EXIT:
		if (a->state != LS_AS_DONE && a->state != LS_AS_CRASHED)
			m->ndone++;
		a->state = LS_AS_DONE;
		/* Left from inside a probe: its op and line say where it stopped. */
		a->cut = e->phase == LS_PH_FAIL;
		model_locals_end(m, actor);
		model_net_gone(m, actor);
		break;
	case LS_OP_CRASH:
		/* An actor that had finished its body is done, however its
		 * process ended afterwards (a forked child reaped late). */
		if (a->state == LS_AS_DONE)
			break;
		if (a->state != LS_AS_CRASHED)
			m->ncrashed++;
		a->state = LS_AS_CRASHED;
		a->crash_signal = (int)e->u.v.a;
		model_locals_end(m, actor);
		model_net_gone(m, actor);
		/* Robust mutexes pass to the next locker when their owner dies. */
		for (int i = 0; i < m->nobjs; i++) {
			if (m->objs[i].kind == LS_OBJ_MUTEX && m->objs[i].owner == actor) {
				m->objs[i].owner = -1;
				m->objs[i].value = 0;
				model_released(m, &m->objs[i], actor);
			}
			model_hold_set(m, actor, i, 0, e->t_ns);
		}
		break;
	MODEL_OPS_DATA MODEL_OPS_SYNC MODEL_OPS_MSG MODEL_OPS_PROC MODEL_OPS_NET
		break;
	}
}

/* Values: variables, files, private and thread-local values, what was said. */
static void
model_data_effect(struct ls_model *m, int actor, struct ls_model_actor *a,
                  struct ls_model_obj *o, const struct ls_event *e)
{
	int ok = e->phase == LS_PH_DONE;

	switch ((enum ls_op)e->op) {
	case LS_OP_STORE:
	case LS_OP_ADD:
	case LS_OP_PRIVATE_STORE:
		if (o)
			o->value = e->u.v.a;
		break;
	case LS_OP_FILE_WRITE:
		if (o && ok) {
			memcpy(o->text, e->u.text, LS_TEXT_MAX);
			o->text[strnlen(e->u.text, LS_TEXT_MAX)] = '\0';
		}
		break;
	case LS_OP_LOCAL_STORE:
		if (o && ok) {
			size_t at = (size_t)actor * (size_t)m->nobjs + (size_t)e->obj;
			m->locals[at] = e->u.v.a;
			m->local_has[at] = 1;
		}
		break;
	case LS_OP_SAY:
		model_say(m, actor, a, e);
		break;
	case LS_OP_LOAD: case LS_OP_FILE_READ: case LS_OP_SLEEP: case LS_OP_PRIVATE_LOAD:
	case LS_OP_LOCAL_LOAD: case LS_OP_JOIN: case LS_OP_FINAL:
	case LS_OP_NOTE:   /* model_apply_actor keeps it; never reaches here */
	case LS_OP_OBJ_NAME:   /* model_name keeps it; never reaches here */
	case LS_OP_PY_LINE: case LS_OP_PY_INSTR:
	case LS_OP__COUNT:
		break;
	MODEL_OPS_LIFE MODEL_OPS_SYNC MODEL_OPS_MSG MODEL_OPS_PROC MODEL_OPS_NET
		break;
	}
}

/* Locks and semaphores: taken, let go, refused. */
static void
model_lock_effect(struct ls_model *m, int actor, struct ls_model_actor *a,
                  struct ls_model_obj *o, const struct ls_event *e)
{
	int obj = (int)e->obj;
	unsigned held;

	if (e->op == LS_OP_LOCK) {
		a->handoff = model_handoff(m, actor, o);
		/* Only a reentrant lock completes a lock by its owner. */
		o->value = o->owner == actor ? o->value + 1 : 1;
		o->owner = actor;
		if (o->value > o->max_holders)
			o->max_holders = (int)o->value;
		model_hold_set(m, actor, obj, (uint32_t)o->value, e->t_ns);
	} else if (e->op == LS_OP_UNLOCK && o->owner == actor) {
		if (--o->value <= 0) {
			o->value = 0;
			o->owner = -1;
			model_released(m, o, actor);
		}
		model_hold_set(m, actor, obj, (uint32_t)o->value, e->t_ns);
	} else if (e->op == LS_OP_UNLOCK && o->owner >= 0 && o->any_releaser) {
		/* Python: any thread may release a plain Lock (a condition's
		 * notify releases its waiter's lock). */
		int holder = o->owner;
		o->value = 0;
		o->owner = -1;
		model_released(m, o, actor);
		model_hold_set(m, holder, obj, 0, e->t_ns);
	} else if (e->op == LS_OP_SEM_ACQUIRE) {
		a->handoff = model_handoff(m, actor, o);
		o->value--;
		o->holders++;
		if (o->holders > o->max_holders)
			o->max_holders = o->holders;
		model_hold_set(m, actor, obj, ls_model_hold_depth(m, actor, obj) + 1, e->t_ns);
	} else if (e->op == LS_OP_SEM_RELEASE) {
		held = ls_model_hold_depth(m, actor, obj);
		o->value++;
		/* A release by an actor that holds nothing (a semaphore used
		 * as a signal) frees no holder. */
		if (held && o->holders > 0)
			o->holders--;
		if (held)
			model_hold_set(m, actor, obj, held - 1, e->t_ns);
		model_released(m, o, actor);
	}
}

/* Synchronisation: locks, semaphores, events, conditions. */
static void
model_sync_effect(struct ls_model *m, int actor, struct ls_model_actor *a,
                  struct ls_model_obj *o, const struct ls_event *e)
{
	int ok = e->phase == LS_PH_DONE;

	switch ((enum ls_op)e->op) {
	case LS_OP_LOCK: case LS_OP_UNLOCK: case LS_OP_SEM_ACQUIRE:
		if (o && ok)
			model_lock_effect(m, actor, a, o, e);
		break;
	case LS_OP_SEM_RELEASE:
		if (o && ok)
			model_lock_effect(m, actor, a, o, e);
		else if (o)
			o->refused++;
		break;
	case LS_OP_EVENT_SET:
	case LS_OP_EVENT_CLEAR:
		if (o)
			o->value = e->op == LS_OP_EVENT_SET;
		break;
	case LS_OP_COND_WAIT: {
		struct ls_model_obj *mx = model_obj(m, (unsigned)e->u.v.a);
		a->notified = 0;
		if (mx) {
			mx->owner = actor;
			mx->value = 1;
			model_hold_set(m, actor, (int)e->u.v.a, 1, e->t_ns);
		}
		break;
	}
	case LS_OP_COND_SIGNAL:
		model_notify(m, e->obj, e->u.v.b != 0);
		break;
	case LS_OP_EVENT_WAIT: case LS_OP_EVENT_TEST:
		break;
	MODEL_OPS_LIFE MODEL_OPS_DATA MODEL_OPS_MSG MODEL_OPS_PROC MODEL_OPS_NET
		break;
	}
}

/* Messages: queues and pipes. */
static void
model_msg_effect(struct ls_model_obj *o, const struct ls_event *e)
{
	int ok = e->phase == LS_PH_DONE;

	switch ((enum ls_op)e->op) {
	case LS_OP_QUEUE_PUT:
		if (o && ok && o->items && o->value < LS_QUEUE_CAP) {
			o->items[o->value++] = e->u.v.a;
			o->unfinished++;
		}
		break;
	case LS_OP_QUEUE_GET:
		if (o && ok && o->items)
			model_queue_take(o, e->u.v.a);
		break;
	case LS_OP_TASK_DONE:
		if (o && ok)
			o->unfinished = e->u.v.a;
		break;
	case LS_OP_PIPE_SEND:
	case LS_OP_PIPE_RECV:
		model_pipe_effect(o, e);
		break;
	case LS_OP_QUEUE_JOIN:
		break;
	MODEL_OPS_LIFE MODEL_OPS_DATA MODEL_OPS_SYNC MODEL_OPS_PROC MODEL_OPS_NET
		break;
	}
}

/* A program an actor started has ended (or was killed). */
static void
model_proc_ended(struct ls_model *m, const struct ls_event *e)
{
	for (int i = 0; i < m->nprocs && i < LS_MODEL_PROCS; i++) {
		struct ls_model_proc *pr = &m->procs[i];
		if (pr->pid == (int)e->u.v.a && !pr->exited) {
			pr->exited = 1;
			pr->status = (int)e->u.v.b;
			pr->killed = e->phase != LS_PH_DONE;
			pr->t_end = e->t_ns;
			return;
		}
	}
}

/* Processes and pools: forks, waits, programs started, tasks. */
static void
model_proc_effect(struct ls_model *m, int actor, struct ls_model_obj *o,
                  const struct ls_event *e)
{
	int ok = e->phase == LS_PH_DONE;

	switch ((enum ls_op)e->op) {
	case LS_OP_FORK:
		if (ok && e->u.v.a >= 0 && e->u.v.a < m->nactors) {
			m->actors[e->u.v.a].parent = actor;
			m->actors[e->u.v.a].os_id = (int)e->u.v.b;
		}
		break;
	case LS_OP_THREAD_START:
		if (ok && e->u.v.a >= 0 && e->u.v.a < m->nactors)
			m->actors[e->u.v.a].parent = actor;
		break;
	case LS_OP_WAIT_CHILD:
		if (ok && e->u.v.a >= 0 && e->u.v.a < m->nactors)
			m->actors[e->u.v.a].exit_code = (int)e->u.v.b;
		break;
	case LS_OP_SPAWN:
		if (ok) {
			if (m->nprocs < LS_MODEL_PROCS)
				m->procs[m->nprocs] = (struct ls_model_proc){
					.pid = (int)e->u.v.a, .actor = actor, .t_start = e->t_ns,
				};
			m->nprocs++;
		}
		break;
	case LS_OP_PROC_WAIT:
		model_proc_ended(m, e);
		break;
	case LS_OP_POOL_SUBMIT: case LS_OP_POOL_TAKE: case LS_OP_POOL_FINISH:
	case LS_OP_POOL_COLLECT: case LS_OP_POOL_CLOSE:
		if (o && ok && o->pool)
			model_pool_effect(o, actor, e);
		break;
	case LS_OP_PROC_READ:
		break;
	MODEL_OPS_LIFE MODEL_OPS_DATA MODEL_OPS_SYNC MODEL_OPS_MSG MODEL_OPS_NET
		break;
	}
}

/* The network: a listener, its connections and what travels on them. */
static void
model_net_family_effect(struct ls_model_obj *o, int actor, const struct ls_event *e)
{
	switch ((enum ls_op)e->op) {
	case LS_OP_NET_SEND: case LS_OP_NET_RECV: case LS_OP_NET_AUTH:
		model_pipe_effect(o, e);
		model_net_effect(o, actor, e);
		break;
	case LS_OP_NET_LISTEN: case LS_OP_NET_CONNECT: case LS_OP_NET_ACCEPT: case LS_OP_NET_CLOSE:
		model_net_effect(o, actor, e);
		break;
	case LS_OP_NET_POLL:
		break;
	MODEL_OPS_LIFE MODEL_OPS_DATA MODEL_OPS_SYNC MODEL_OPS_MSG MODEL_OPS_PROC
		break;
	}
}

/* Effects of a completed (or refused) operation on the shared objects:
 * each family of operations has its own function. */
static void
model_effect(struct ls_model *m, int actor, struct ls_model_actor *a, const struct ls_event *e)
{
	struct ls_model_obj *o = model_obj(m, e->obj);

	if (o)
		o->nops++;
	switch ((enum ls_op)e->op) {
	MODEL_OPS_LIFE
		model_life_effect(m, actor, a, e);
		break;
	MODEL_OPS_DATA
		model_data_effect(m, actor, a, o, e);
		break;
	MODEL_OPS_SYNC
		model_sync_effect(m, actor, a, o, e);
		break;
	MODEL_OPS_MSG
		model_msg_effect(o, e);
		break;
	MODEL_OPS_PROC
		model_proc_effect(m, actor, o, e);
		break;
	MODEL_OPS_NET
		model_net_family_effect(o, actor, e);
		break;
	}
}

static void model_apply_actor(struct ls_model *m, const struct ls_event *e);

/*
 * A Python program's object gets its name (and, for a variable, its value;
 * for a lock, its holder or -1) when the program first makes or uses it:
 * the slot the runner left unnamed starts afresh.
 */
static void
model_name(struct ls_model *m, const struct ls_event *e)
{
	struct ls_model_obj *o = model_obj(m, e->obj);
	int64_t v;

	if (!o)
		return;
	memcpy(&v, e->u.text + LS_TEXT_MAX - 8, sizeof v);
	memcpy(o->name, e->u.text, LS_TEXT_MAX - 8 < LS_NAME_MAX - 1 ? LS_TEXT_MAX - 8 : LS_NAME_MAX - 1);
	o->name[LS_NAME_MAX - 1] = '\0';
	o->name[strnlen(o->name, LS_TEXT_MAX - 8)] = '\0';
	if (e->phase == LS_PH_PART)   /* named again, once the program bound it: no new state */
		return;
	if (o->kind == LS_OBJ_MUTEX) {
		o->any_releaser = 1;   /* Python's Lock: any thread may release it */
		o->owner = v >= 0 && v < m->nactors ? (int)v : -1;
		o->value = o->owner >= 0;
		if (o->owner >= 0)
			model_hold_set(m, o->owner, (int)e->obj, 1, e->t_ns);
	} else {
		o->value = o->init = (long)v;
	}
}

/* An actor's named local: the newest value under its name, the oldest name
 * giving way when there are more names than room. */
static void
model_local(struct ls_model_actor *a, const struct ls_event *e)
{
	char name[LS_NOTE_NAME_MAX];
	int k;

	memcpy(name, e->u.note.name, sizeof name);
	name[sizeof name - 1] = '\0';
	for (k = 0; k < a->nlocals; k++)
		if (strcmp(a->locals[k].name, name) == 0)
			break;
	if (k == LS_LOCALS_MAX) {
		memmove(&a->locals[0], &a->locals[1], sizeof a->locals[0] * (LS_LOCALS_MAX - 1));
		k = LS_LOCALS_MAX - 1;
	} else if (k == a->nlocals) {
		a->nlocals++;
	}
	memcpy(a->locals[k].name, name, sizeof name);
	a->locals[k].value = e->u.note.value;
}

void
ls_model_apply(struct ls_model *m, const struct ls_event *e)
{
	m->events++;
	m->history[m->nhistory % LS_HISTORY] = *e;
	m->nhistory++;
	if (!m->t_first)
		m->t_first = e->t_ns;
	if (e->t_ns > m->t_last)
		m->t_last = e->t_ns;

	if (e->actor == LS_NO_ACTOR) {
		struct ls_model_obj *o = model_obj(m, e->obj);
		if ((ls_op_info(e->op)->flags & LS_OPF_PARENT) && o)
			o->value = e->u.v.a;
	} else if (e->actor < m->nactors) {
		model_apply_actor(m, e);
	}
	if (m->fold)
		m->fold(m->fold_state, m, m->fold_params, e);
	for (int i = 0; i < m->nwatch; i++)
		m->watch[i].fn(m->watch[i].ctx, m, e);
}

/* An actor blocks (or sleeps): when, in which order among the waiters, and
 * what blocking itself does (a condition's wait releases its mutex; a pipe's
 * send may have put its first bytes in). */
static void
model_block(struct ls_model *m, int actor, const struct ls_op_info *info,
            const struct ls_event *e)
{
	struct ls_model_actor *a = &m->actors[actor];

	a->state = info->wait == LS_WAIT_TIME ? LS_AS_SLEEPING : LS_AS_BLOCKED;
	a->block_seq = ++m->wait_seq;
	a->t_block = e->t_ns;
	if (!a->begin_seq)
		a->begin_seq = m->events;
	if (info->wait != LS_WAIT_TIME)
		a->waited = 1;
	if (info->flags & LS_OPF_MUTEX_ARG) {
		/* Waiting on a condition releases its mutex. */
		int mid = ls_op_mutex_arg(e);
		struct ls_model_obj *mx = model_obj(m, (unsigned)mid);
		a->notified = 0;
		if (mx && mx->owner == actor) {
			mx->owner = -1;
			mx->value = 0;
			model_released(m, mx, actor);
		}
		model_hold_set(m, actor, mid, 0, e->t_ns);
	}
	if (info->flags & LS_OPF_BLOCK_EFFECT)
		model_pipe_effect(model_obj(m, e->obj), e);
}

static void
model_apply_actor(struct ls_model *m, const struct ls_event *e)
{
	int actor = e->actor;
	struct ls_model_actor *a = &m->actors[actor];
	const struct ls_op_info *info = ls_op_info(e->op);

	if (info->flags & LS_OPF_NAMES) {
		model_name(m, e);
		return;
	}
	if (info->flags & LS_OPF_NOTE) {
		/* A local between two steps: kept, and nothing else changes (not
		 * even the count of the actor's events, which counts its steps). */
		model_local(a, e);
		return;
	}
	a->nevents++;
	a->handoff = 0;
	if (!(info->flags & LS_OPF_LIFECYCLE)) {
		a->op = e->op;
		a->obj = e->obj == LS_NO_OBJ ? -1 : e->obj;
		a->line = e->line;
		if (!(info->flags & LS_OPF_TEXT))
			a->arg = e->u.v.a;
	}
	switch (e->phase) {
	case LS_PH_BEGIN:
		a->state = LS_AS_GATE;
		a->begin_seq = m->events;
		break;
	case LS_PH_BLOCK:
		model_block(m, actor, info, e);
		break;
	default:
		model_unblock(m, actor, e->t_ns);
		if (a->state != LS_AS_DONE && a->state != LS_AS_CRASHED)
			a->state = LS_AS_RUNNING;
		model_effect(m, actor, a, e);
		if (e->phase != LS_PH_PART) {
			a->waited = 0;
			a->begin_seq = 0;
		}
		break;
	}
}

void
ls_model_set_ring_drops(struct ls_model *m, uint64_t total)
{
	if (total > m->ring_drops) {
		m->dropped += total - m->ring_drops;
		m->ring_drops = total;
	}
}

void
ls_model_add_lost(struct ls_model *m, uint64_t n)
{
	m->dropped += n;
}

uint64_t
ls_model_history_first(const struct ls_model *m)
{
	return m->nhistory > LS_HISTORY ? m->nhistory - LS_HISTORY : 0;
}

const struct ls_event *
ls_model_history_at(const struct ls_model *m, uint64_t i)
{
	return &m->history[i % LS_HISTORY];
}

int
ls_model_finished(const struct ls_model *m)
{
	return m->ndone + m->ncrashed >= m->nactors;
}

int
ls_model_find(const struct ls_model *m, const char *name)
{
	for (int i = 0; i < m->nobjs; i++)
		if (strcmp(m->objs[i].name, name) == 0)
			return i;
	return -1;
}

long
ls_model_var(const struct ls_model *m, const char *name)
{
	int i = ls_model_find(m, name);
	return i < 0 ? 0 : m->objs[i].value;
}

/* Free, its owner died (robust), or reentrant and already this actor's. */
static int
model_lock_free_for(const struct ls_model *m, int obj, int actor)
{
	const struct ls_model_obj *o = &m->objs[obj];

	return o->owner < 0 || m->actors[o->owner].state == LS_AS_CRASHED ||
	       (o->kind == LS_OBJ_MUTEX && o->bound && o->owner == actor);
}

/* The object whose state decides a waiting actor, and how it waits on it. */
static int
model_waits_via(const struct ls_model_actor *a, enum ls_op_wait *how)
{
	const struct ls_op_info *info = ls_op_info(a->op);

	*how = info->wait;
	if (info->flags & LS_OPF_MUTEX_ARG)
		return (int)a->arg;
	return a->obj;
}

int
ls_model_wait_obj(const struct ls_model *m, int actor)
{
	enum ls_op_wait how;
	int obj;

	if (actor < 0 || actor >= m->nactors)
		return -1;
	obj = model_waits_via(&m->actors[actor], &how);
	return how != LS_WAIT_NONE && how != LS_WAIT_TIME && obj >= 0 && obj < m->nobjs ? obj : -1;
}

int
ls_model_pipe_room(const struct ls_model *m, int obj, int end, long size)
{
	const struct ls_model_pipe *p = obj >= 0 && obj < m->nobjs ? m->objs[obj].pipe : NULL;
	const struct ls_model_pipe_end *pe;

	if (!p || end < 0 || end >= 2 * p->nconn)
		return 1;   /* a bad end fails at once */
	pe = &p->ends[end];
	/* Any message starts into an empty direction, even one bigger than the
	 * buffer: it then blocks part way, and the receiver takes it piece by piece. */
	if (pe->msgs == 0)
		return 1;
	return pe->bytes + model_pipe_frame(size) <= p->cap_msgs * p->frame;
}

/* Is there a message for a receive with this word (its end, or any end)? */
static int
model_pipe_data(const struct ls_model *m, int obj, int64_t word)
{
	const struct ls_model_pipe *p = obj >= 0 && obj < m->nobjs ? m->objs[obj].pipe : NULL;
	int end = LS_PIPE_END(word);

	if (!p || end >= 2 * p->nconn)
		return 1;
	if (word & LS_PIPE_ANY)
		return p->toward[end & 1] > 0;
	return p->ends[end ^ 1].msgs > 0;
}

/* A server's work on its network: a connection to accept, a message, or a
 * client gone with nothing unread. */
static int
model_net_ready(const struct ls_model *m, int obj)
{
	const struct ls_model_net *n = m->objs[obj].net;
	const struct ls_model_pipe *p = m->objs[obj].pipe;

	if (!n || !p)
		return 1;
	if (n->connects > n->accepts)
		return 1;
	for (int c = 0; c < n->nconns; c++) {
		const struct ls_model_conn *k = &n->conns[c];
		if (!k->accepted || k->closed[0])
			continue;
		if (p->ends[2 * c + 1].msgs > 0 || (k->closed[1] && !k->eof_seen[0]))
			return 1;
	}
	return 0;
}

const char *
ls_model_conn_state(const struct ls_model_net *n, int c)
{
	const struct ls_model_conn *k;

	if (!n || c < 0 || c >= LS_NET_CONNS_MAX || !n->conns[c].used)
		return N_("none");
	k = &n->conns[c];
	if (!k->accepted)
		return n->listening == 2 ? N_("reset") : N_("backlog");
	if (k->refused)
		return N_("refused");
	return k->authed ? N_("authenticated") : N_("handshake");
}

/* A receive at a network's end: a message there, or the other end closed. */
static int
model_net_data(const struct ls_model *m, int obj, int64_t word)
{
	const struct ls_model_net *n = m->objs[obj].net;
	int end = LS_PIPE_END(word);

	if (!n || (end >> 1) >= LS_NET_CONNS_MAX || !n->conns[end >> 1].used)
		return 1;   /* a bad end fails at once */
	/* A connection still in the listener's backlog when the listener
	 * closes is reset by the kernel: its client reads an end of file. */
	if ((end & 1) && !n->conns[end >> 1].accepted && n->listening == 2)
		return 1;
	return model_pipe_data(m, obj, word) || n->conns[end >> 1].closed[(end & 1) ^ 1];
}

/* Has this actor finished (returned or crashed)?  Joining no one fails at once. */
static int
model_actor_over(const struct ls_model *m, int actor)
{
	return actor < 0 || actor >= m->nactors || m->actors[actor].state == LS_AS_DONE ||
	       m->actors[actor].state == LS_AS_CRASHED;
}

/* Could an operation that waits this way on obj complete now? */
static int
model_wait_over(const struct ls_model *m, int actor, enum ls_op_wait how, int obj)
{
	const struct ls_model_actor *a = &m->actors[actor];

	if (how == LS_WAIT_ACTOR)
		return model_actor_over(m, (int)a->arg);
	if (obj < 0 || obj >= m->nobjs)
		return 1;
	switch (how) {
	case LS_WAIT_LOCK:
		return model_lock_free_for(m, obj, actor);
	case LS_WAIT_COUNT:
		return m->objs[obj].value > 0;
	case LS_WAIT_FLAG:
		return m->objs[obj].value != 0 || a->arg >= 0;
	case LS_WAIT_NOTIFY:
		/* Woken, and its mutex free to take back. */
		return a->notified && model_lock_free_for(m, obj, actor);
	case LS_WAIT_ROOM:
		return m->objs[obj].value < (m->objs[obj].bound > 0 ? m->objs[obj].bound : LS_QUEUE_CAP) ||
		       a->arg >= 0;
	case LS_WAIT_ITEM:
		return m->objs[obj].value > 0 || a->arg >= 0;
	case LS_WAIT_DRAINED:
		return m->objs[obj].unfinished <= 0;
	case LS_WAIT_ACTOR:
		return model_actor_over(m, (int)a->arg);
	case LS_WAIT_PIPE_ROOM:
		/* Blocked part way, it finishes only as the receiver reads: until
		 * then it is stuck (and the receiver, which can read, is not). */
		return a->state != LS_AS_BLOCKED &&
		       ls_model_pipe_room(m, obj, LS_PIPE_END(a->arg), LS_PIPE_SIZE(a->arg));
	case LS_WAIT_PIPE_DATA:
		return model_pipe_data(m, obj, a->arg);
	case LS_WAIT_TASK:
		return m->objs[obj].value > 0 || (m->objs[obj].pool && m->objs[obj].pool->closed);
	case LS_WAIT_RESULT:
		return m->objs[obj].pool && m->objs[obj].pool->finished > m->objs[obj].pool->collected;
	case LS_WAIT_NET_LISTEN:
		return !m->objs[obj].net || m->objs[obj].net->listening != 0;
	case LS_WAIT_NET_PENDING:
		return !m->objs[obj].net || m->objs[obj].net->connects > m->objs[obj].net->accepts ||
		       m->objs[obj].net->listening == 2;
	case LS_WAIT_NET_READY:
		return model_net_ready(m, obj);
	case LS_WAIT_NET_DATA:
		return model_net_data(m, obj, a->arg);
	case LS_WAIT_NONE:
	case LS_WAIT_TIME:
	case LS_WAIT_PROGRAM:
		return 1;
	}
	return 1;
}

int
ls_model_can_proceed(const struct ls_model *m, int actor)
{
	const struct ls_model_actor *a;
	enum ls_op_wait how;
	int obj;

	if (actor < 0 || actor >= m->nactors)
		return 0;
	a = &m->actors[actor];
	obj = model_waits_via(a, &how);
	if (a->state == LS_AS_BLOCKED && how == LS_WAIT_NOTIFY)
		return a->arg >= 0 && a->arg < m->nobjs && model_wait_over(m, actor, how, obj);
	if (a->state != LS_AS_GATE)
		return 0;
	/* At the gate a condition wait has not begun: it can always start. */
	if (how == LS_WAIT_NOTIFY)
		return 1;
	return model_wait_over(m, actor, how, a->obj);
}

static int
model_waits_on(const struct ls_model *m, int i, int obj)
{
	const struct ls_model_actor *a = &m->actors[i];
	enum ls_op_wait how;

	if (a->obj != obj)
		return 0;
	if (a->state == LS_AS_BLOCKED)
		return 1;
	/* Parked before an operation that cannot proceed: queued in all but name. */
	model_waits_via(a, &how);
	return a->state == LS_AS_GATE && how != LS_WAIT_NOTIFY && how != LS_WAIT_NONE &&
	       how != LS_WAIT_TIME && !ls_model_can_proceed(m, i);
}

int
ls_model_waiters(const struct ls_model *m, int obj, int *out, int max)
{
	uint64_t *keys = m->scratch_keys;
	int *who = m->scratch;
	int n = 0;

	/* Actors really blocked first (by when they blocked), then parked ones
	 * (by id): insertion sort over all of them, however many. */
	for (int i = 0; i < m->nactors; i++) {
		if (!model_waits_on(m, i, obj))
			continue;
		uint64_t key = m->actors[i].state == LS_AS_BLOCKED ? m->actors[i].block_seq
		                                                   : (UINT64_C(1) << 62) + (uint64_t)i;
		int at = n;
		while (at > 0 && keys[at - 1] > key) {
			keys[at] = keys[at - 1];
			who[at] = who[at - 1];
			at--;
		}
		keys[at] = key;
		who[at] = i;
		n++;
	}
	for (int i = 0; i < n && i < max; i++)
		out[i] = who[i];
	return n < max ? n : max;
}

int
ls_model_nwaiters(const struct ls_model *m, int obj)
{
	int n = 0;

	for (int i = 0; i < m->nactors; i++)
		n += model_waits_on(m, i, obj);
	return n;
}

int
ls_model_holders(const struct ls_model *m, int obj, int *out, int max)
{
	int n = 0;

	if (obj < 0 || obj >= m->nobjs)
		return 0;
	for (int i = 0; i < m->nactors && n < max; i++)
		if (ls_model_hold_depth(m, i, obj))
			out[n++] = i;
	return n;
}

static int
model_unfinished(const struct ls_model *m, const struct ls_model_actor *a)
{
	/* A Python program's slot for a thread it never started is not waiting
	 * for anything.  A lesson's actor not started yet still counts: it may
	 * only be slow to start. */
	return a->state != LS_AS_DONE && a->state != LS_AS_CRASHED &&
	       !(m->hide_unstarted && a->state == LS_AS_NEW);
}

/* Is this actor stuck for good (ignoring actors that are merely parked)? */
static int
model_stuck(const struct ls_model *m, int i, int gated)
{
	const struct ls_model_actor *a = &m->actors[i];
	enum ls_op_wait how;
	int obj;

	if (a->state == LS_AS_GATE)
		return gated && !ls_model_can_proceed(m, i);
	if (a->state != LS_AS_BLOCKED)
		return 0;
	obj = model_waits_via(a, &how);
	if ((obj < 0 && how != LS_WAIT_ACTOR) || how == LS_WAIT_NONE || how == LS_WAIT_TIME ||
	    how == LS_WAIT_PROGRAM)
		return 0;
	return !model_wait_over(m, i, how, obj);
}

/* The actor that must act before this one can: the owner of the lock it wants. */
static int
model_waits_for(const struct ls_model *m, int i)
{
	const struct ls_model_actor *a = &m->actors[i];
	enum ls_op_wait how;
	int obj = model_waits_via(a, &how);

	if (how == LS_WAIT_ACTOR)
		return a->arg >= 0 && a->arg < m->nactors ? (int)a->arg : -1;
	if (obj < 0 || obj >= m->nobjs ||
	    (m->objs[obj].kind != LS_OBJ_MUTEX && m->objs[obj].kind != LS_OBJ_FILE))
		return -1;
	if (how != LS_WAIT_LOCK && !(how == LS_WAIT_NOTIFY && a->notified))
		return -1;
	return m->objs[obj].owner;
}

int
ls_model_deadlock(const struct ls_model *m, int gated, char *why, size_t len)
{
	int unfinished = 0;
	size_t at = 0;

	for (int i = 0; i < m->nactors; i++) {
		if (!model_unfinished(m, &m->actors[i]))
			continue;
		unfinished++;
		if (!model_stuck(m, i, gated))
			return 0;
	}
	if (!unfinished)
		return 0;
	if (!why || !len)
		return 1;
	why[0] = '\0';
	for (int i = 0; i < m->nactors && at < len; i++) {
		char d[128];
		if (!model_unfinished(m, &m->actors[i]))
			continue;
		ls_model_describe(m, i, d, sizeof d);
		int n = snprintf(why + at, len - at, "%s%s %s", at ? "; " : "", m->actors[i].name, d);
		if (n < 0)
			break;
		at += (size_t)n;
	}
	/* Follow lock owners from each actor; a return to the start is a cycle. */
	for (int start = 0; start < m->nactors && at < len; start++) {
		if (!model_unfinished(m, &m->actors[start]))
			continue;
		int cur = start, hops = 0;
		while (hops <= m->nactors) {
			cur = model_waits_for(m, cur);
			hops++;
			if (cur < 0 || cur == start)
				break;
		}
		if (cur != start)
			continue;
		int n = snprintf(why + at, len - at, "; cycle: %s", m->actors[start].name);
		at += n > 0 ? (size_t)n : 0;
		cur = start;
		do {
			cur = model_waits_for(m, cur);
			n = snprintf(why + at < why + len ? why + at : why + len - 1,
			             at < len ? len - at : 1, " -> %s", m->actors[cur].name);
			at += n > 0 ? (size_t)n : 0;
		} while (cur != start && at < len);
		break;
	}
	return 1;
}

/* Does actor i wait for a Python program's own lock (not a library's, which
 * another thread's notify may release), unable to take it? */
static int
model_waits_program_lock(const struct ls_model *m, int i)
{
	const struct ls_model_actor *a = &m->actors[i];
	enum ls_op_wait how;
	int obj = model_waits_via(a, &how);

	if (!model_unfinished(m, a) || how != LS_WAIT_LOCK || obj < 0 || obj >= m->nobjs)
		return 0;
	if (!m->objs[obj].any_releaser || m->objs[obj].name[0] == '(')
		return 0;
	return a->state == LS_AS_BLOCKED || (a->state == LS_AS_GATE && !ls_model_can_proceed(m, i));
}

int
ls_model_lock_cycle(const struct ls_model *m, char *why, size_t len)
{
	for (int start = 0; start < m->nactors; start++) {
		int cur = start, hops = 0;
		while (cur >= 0 && model_waits_program_lock(m, cur) && hops++ <= m->nactors) {
			cur = model_waits_for(m, cur);
			if (cur == start)
				break;
		}
		if (cur != start || !hops)
			continue;
		size_t at = 0;
		char d[128];
		do {
			ls_model_describe(m, cur, d, sizeof d);
			int n = snprintf(why + at, len - at, "%s%s %s", at ? "; " : "",
			                 m->actors[cur].name, d);
			at += n > 0 && (size_t)n < len - at ? (size_t)n : len - at - 1;
			cur = model_waits_for(m, cur);
		} while (cur != start && at + 1 < len);
		int n = snprintf(why + at, len - at, "; cycle: %s", m->actors[start].name);
		at += n > 0 && (size_t)n < len - at ? (size_t)n : len - at - 1;
		cur = start;
		do {
			cur = model_waits_for(m, cur);
			n = snprintf(why + at, len - at, " -> %s", m->actors[cur].name);
			at += n > 0 && (size_t)n < len - at ? (size_t)n : len - at - 1;
		} while (cur != start && at + 1 < len);
		return 1;
	}
	return 0;
}

static const char *
model_obj_name(const struct ls_model *m, int obj)
{
	return obj >= 0 && obj < m->nobjs ? m->objs[obj].name : "?";
}

const char *
ls_model_state_word(const struct ls_model *m, int actor)
{
	const struct ls_model_actor *a = &m->actors[actor];

	switch (a->state) {
	case LS_AS_NEW:      return N_("starting");
	case LS_AS_RUNNING:  return N_("running");
	/* Parked and unable to move is blocked, as far as the class can see. */
	case LS_AS_GATE:     return ls_model_can_proceed(m, actor) ? N_("ready") : N_("blocked");
	case LS_AS_BLOCKED:
		return ls_op_info(a->op)->wait == LS_WAIT_NOTIFY ? N_("waiting") : N_("blocked");
	case LS_AS_SLEEPING: return N_("sleeping");
	case LS_AS_DONE:     return a->cut ? N_("cut off") : N_("done");
	case LS_AS_CRASHED:  return N_("crashed");
	}
	return "?";
}

/* The actor a join names, or NULL. */
static const char *
model_target(const struct ls_model *m, int op, int64_t arg)
{
	if ((ls_op_info(op)->wait != LS_WAIT_ACTOR && !(ls_op_info(op)->flags & LS_OPF_ACTOR_ARG)) ||
	    arg < 0 || arg >= m->nactors)
		return NULL;
	return m->actors[arg].name;
}

int
ls_model_event_text(const struct ls_model *m, const struct ls_event *e, char *buf, size_t len)
{
	const char *who = e->actor < m->nactors ? m->actors[e->actor].name : "?";
	const char *obj = e->obj < m->nobjs ? m->objs[e->obj].name : "";

	return ls_op_sentence(e, who, obj, model_target(m, e->op, e->u.v.a), buf, len);
}

/* "load balance", "sleep 10 ms", "lock lock". */
static void
model_op_text(const struct ls_model *m, const struct ls_model_actor *a, char *buf, size_t len)
{
	const char *obj = a->obj >= 0 && a->obj < m->nobjs ? m->objs[a->obj].name : "";
	size_t n;

	ls_op_pending_text(a->op, obj, (long long)a->arg, model_target(m, a->op, a->arg), buf, len);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
}

void
ls_model_detail_at(const struct ls_model *m, int actor, int line, char *buf, size_t len)
{
	const struct ls_model_actor *a = &m->actors[actor];
	const char *on = model_obj_name(m, a->obj);
	int has_obj = a->obj >= 0 && a->obj < m->nobjs;
	const char *kind = has_obj ? ls_obj_kind_word(m->objs[a->obj].kind) : "";
	int lockish = has_obj && (m->objs[a->obj].kind == LS_OBJ_MUTEX ||
	                          ls_op_info(a->op)->wait == LS_WAIT_LOCK);
	int owner = lockish ? m->objs[a->obj].owner : -1;
	char op[96];

	buf[0] = '\0';
	model_op_text(m, a, op, sizeof op);
	switch (a->state) {
	case LS_AS_GATE:
		if (ls_model_can_proceed(m, actor))
			snprintf(buf, len, _("next: %s (line %d)"), op, line);
		else if (owner >= 0 && owner < m->nactors)
			snprintf(buf, len, _("wants %s '%s' held by %s (line %d)"), kind, on,
			         m->actors[owner].name, line);
		else if (has_obj)
			snprintf(buf, len, _("waits: %s (line %d)"), op, line);
		else
			snprintf(buf, len, _("cannot %s yet (line %d)"), op, line);
		break;
	case LS_AS_BLOCKED:
		if (owner >= 0 && owner < m->nactors)
			snprintf(buf, len, _("on %s '%s' held by %s (line %d)"), kind, on,
			         m->actors[owner].name, line);
		else if (ls_op_info(a->op)->wait == LS_WAIT_NOTIFY)
			snprintf(buf, len, _("on condition '%s'%s (line %d)"), on,
			         a->notified ? _(", notified") : "", line);
		else
			snprintf(buf, len, _("on %s '%s' (line %d)"), kind, on, line);
		break;
	case LS_AS_SLEEPING:
		snprintf(buf, len, _("%lld ms (line %d)"), (long long)a->arg, line);
		break;
	case LS_AS_RUNNING:
		if (line)
			snprintf(buf, len, _("after %s (line %d)"), op, line);
		break;
	case LS_AS_CRASHED:
		snprintf(buf, len, _("signal %d"), a->crash_signal);
		break;
	case LS_AS_DONE:
		if (a->cut && line)
			snprintf(buf, len, _("at line %d, in %s"), line, op);
		break;
	default:
		break;
	}
}

void
ls_model_detail(const struct ls_model *m, int actor, char *buf, size_t len)
{
	ls_model_detail_at(m, actor, m->actors[actor].line, buf, len);
}

void
ls_model_describe(const struct ls_model *m, int actor, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s", ls_model_state_word(m, actor));

	if (n < 0 || (size_t)n + 3 >= len)
		return;
	/* ", detail" straight after the word, or nothing when there is none;
	 * "cut off at line 57, in get q" reads on without the comma. */
	ls_model_detail(m, actor, buf + n + 2, len - (size_t)n - 2);
	if (buf[n + 2] && m->actors[actor].state == LS_AS_DONE) {
		buf[n] = ' ';
		memmove(buf + n + 1, buf + n + 2, strlen(buf + n + 2) + 1);
	} else if (buf[n + 2]) {
		buf[n] = ',';
		buf[n + 1] = ' ';
	} else {
		buf[n] = '\0';
	}
}

const char *
ls_actor_state_name(enum ls_actor_state st)
{
	static const char *const names[] = {
		[LS_AS_NEW] = "new", [LS_AS_RUNNING] = "running", [LS_AS_GATE] = "at gate",
		[LS_AS_BLOCKED] = "blocked", [LS_AS_SLEEPING] = "sleeping",
		[LS_AS_DONE] = "done", [LS_AS_CRASHED] = "crashed",
	};
	return (unsigned)st < sizeof names / sizeof names[0] ? names[st] : "?";
}
