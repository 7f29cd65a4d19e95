/*
 * queue.c - producers and consumers over one queue, and how the consumers
 * learn that the work is over.
 *
 * Mirrors tutorial 002's producer/consumer programs (multiprocessing.Queue;
 * 004's queue.Queue is the same with threads): three producers make their
 * food (包子, 骨头, 泔水) with random 1-3 s pauses and put each item in the
 * queue; two consumers take items and eat them, also pausing 1-3 s.  Main
 * starts everyone, then joins the producers.  The end signal is the variant:
 *
 *   end=none      nothing tells the consumers the producers are gone: once
 *                 the queue is empty they wait in get() for ever (002's first
 *                 program, which never ends);
 *   end=sentinel  main puts one None per consumer after joining the
 *                 producers, and a consumer that gets None stops (002's
 *                 program with three producers; sentinels=1 with two
 *                 consumers leaves one waiting for ever);
 *   end=join      a JoinableQueue: consumers call task_done() after each
 *                 item, each producer waits in q.join() until every item is
 *                 done, and the consumers are daemons, cut off when main ends
 *                 (002's last program).
 *
 * order=lifo|priority are 004's LifoQueue and PriorityQueue; maxsize > 0
 * bounds the queue, so put() waits while it is full.
 *
 * Items are ints: producer k (1-based) makes k*100 + i, so 201 is P2's
 * 骨头1; LS_QUEUE_NONE is Python's None.  The pauses come from a generator
 * seeded with seed= and the actor's id, so every run with the same
 * parameters pauses alike and a controlled run replays exactly.
 *
 * Shared: `q`, the queue (a ring in shared memory under a process-shared
 * robust mutex: every put and get is one recorded step).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lockstep/lesson.h"

#define QUEUE_MAX_PRODUCERS 9
#define QUEUE_MAX_ITEMS     20   /* per producer: at most 9 * 20 + 20 items, under LS_QUEUE_CAP */

enum { P_PRODUCERS, P_CONSUMERS, P_ITEMS, P_MAXSIZE, P_PAUSE_MIN, P_PAUSE_MAX, P_SEED,
       P_END, P_SENTINELS, P_ORDER };
enum { END_NONE, END_SENTINEL, END_JOIN };

static const char *const queue_end_names[] = { "none", "sentinel", "join", NULL };
static const char *const queue_order_names[] = { "fifo", "lifo", "priority", NULL };

static const struct ls_param_desc queue_params[] = {
	[P_PRODUCERS] = { "producers", N_("processes putting items (包子, 骨头, 泔水, ...)"), 3, 1, QUEUE_MAX_PRODUCERS, NULL },
	[P_CONSUMERS] = { "consumers", N_("processes taking and eating items"), 2, 1, 9, NULL },
	[P_ITEMS]     = { "items", N_("items each producer makes"), 2, 0, QUEUE_MAX_ITEMS, NULL },
	[P_MAXSIZE]   = { "maxsize", N_("Queue(maxsize): 0 unbounded, else put waits while full"), 0, 0, LS_QUEUE_CAP, NULL },
	[P_PAUSE_MIN] = { "pause_ms_min", N_("shortest pause before making or after taking an item"), 1000, 0, 60000, NULL },
	[P_PAUSE_MAX] = { "pause_ms_max", N_("longest such pause (random.randint(1, 3) s)"), 3000, 0, 60000, NULL },
	[P_SEED]      = { "seed", N_("seeds every actor's pauses"), 1, 0, 1000000, NULL },
	[P_END]       = { "end", N_("how consumers learn the work is over: none, None sentinels, JoinableQueue"),
	                  END_SENTINEL, END_NONE, END_JOIN, queue_end_names },
	[P_SENTINELS] = { "sentinels", N_("Nones main puts (end=sentinel); -1: one per consumer"), -1, -1, 20, NULL },
	[P_ORDER]     = { "order", N_("queue.Queue, LifoQueue or PriorityQueue"), LS_QUEUE_FIFO,
	                  LS_QUEUE_FIFO, LS_QUEUE_PRIORITY, queue_order_names },
};

/* 002's producers make 包子, 骨头 and 泔水; more producers, more food. */
static const char *const queue_food[QUEUE_MAX_PRODUCERS] = {
	"包子", "骨头", "泔水", "馒头", "饺子", "油条", "烧饼", "花卷", "粽子",
};

struct queue {
	ls_queue *q;
	int producers, consumers, end, sentinels;
	long items, pause_min, pause_max, seed;
};

/* ---- items and pauses ---------------------------------------------------- */

static int64_t
queue_item(int producer, long i)
{
	return (int64_t)(producer + 1) * 100 + i;
}

/* "包子1" for 101, "None" for the stop sign. */
static void
queue_item_name(int64_t item, char *buf, size_t len)
{
	int k = (int)(item / 100) - 1;

	if (item == LS_QUEUE_NONE)
		snprintf(buf, len, "None");
	else if (k >= 0 && k < QUEUE_MAX_PRODUCERS)
		snprintf(buf, len, "%s%d", queue_food[k], (int)(item % 100));
	else
		snprintf(buf, len, "%lld", (long long)item);
}

/* splitmix64: each actor's own repeatable random.randint(min, max). */
static long
queue_pause(const struct queue *s, uint64_t *rng)
{
	uint64_t z = ls_splitmix64(rng);

	return s->pause_min + (long)(z % (uint64_t)(s->pause_max - s->pause_min + 1));
}

static uint64_t
queue_rng(const struct queue *s, const struct ls_actor_ctx *ctx)
{
	return (uint64_t)s->seed * 0x100000001B3u + (uint64_t)ctx->id + 1;
}

/* A pause of 0 is no step at all, as 004's programs without a sleep. */
static void
queue_rest(const struct queue *s, uint64_t *rng)
{
	long ms = queue_pause(s, rng);

	if (ms > 0)
		ls_sleep(ms);  /* py:sleep */
}

/* ---- the actors ---------------------------------------------------------- */

static void
queue_producer(struct ls_actor_ctx *ctx)
{
	struct queue *s = ctx->state;
	uint64_t rng = queue_rng(s, ctx);
	char name[32];

	for (long i = 0; i < s->items; i++) {
		int64_t item = queue_item(ctx->index, i);

		queue_rest(s, &rng);
		ls_queue_put(s->q, item);  /* py:queue_put */
		queue_item_name(item, name, sizeof name);
		ls_say("produced %s (生产了 %s)", name, name);  /* py:say */
	}
	if (s->end == END_JOIN)
		ls_queue_join(s->q);   /* py:queue_join */ /* until every item put has been marked done */
}

static void
queue_consumer(struct ls_actor_ctx *ctx)
{
	struct queue *s = ctx->state;
	uint64_t rng = queue_rng(s, ctx);
	char name[32];

	for (;;) {
		int64_t item;

		ls_queue_get(s->q, &item);  /* py:queue_get */
		if (item == LS_QUEUE_NONE) {
			ls_say("got None: the end signal, stop (收到结束信号)");  /* py:say#2 */
			break;
		}
		queue_rest(s, &rng);
		queue_item_name(item, name, sizeof name);
		ls_say("eats %s (吃 %s)", name, name);  /* py:say#3 */
		if (s->end == END_JOIN)
			ls_queue_task_done(s->q);  /* py:task_done */
	}
}

static void
queue_main(struct ls_actor_ctx *ctx)
{
	struct queue *s = ctx->state;

	/* The producers are the first role: actors 0 .. producers-1. */
	for (int k = 0; k < s->producers; k++)
		ls_join(k);  /* py:join */
	if (s->end == END_SENTINEL)
		for (int k = 0; k < s->sentinels; k++)
			ls_queue_put(s->q, LS_QUEUE_NONE);  /* py:queue_put#2 */
	ls_say("主 (main is done)");  /* py:say#4 */
}

/* 002 makes the consumers daemons only with the JoinableQueue. */
static int
queue_consumers_daemon(const long *p)
{
	return p[P_END] == END_JOIN;
}

static const struct ls_role_desc queue_roles[] = {
	{ .name = "producer", .prefix = "P", .body = queue_producer, .count_param = P_PRODUCERS },
	{ .name = "consumer", .prefix = "C", .body = queue_consumer, .count_param = P_CONSUMERS,
	  .daemon_if = queue_consumers_daemon },
	{ .name = "main", .prefix = "main", .body = queue_main, .count_param = -1, .count = 1,
	  .single = 1 },
};

static int
queue_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct queue *s = state;

	if (p[P_PAUSE_MIN] > p[P_PAUSE_MAX]) {
		snprintf(err, len, "queue: pause_ms_min=%ld is above pause_ms_max=%ld",
		         p[P_PAUSE_MIN], p[P_PAUSE_MAX]);
		return -1;
	}
	s->q = ls_queue_new(w, "q", p[P_MAXSIZE], (enum ls_queue_order)p[P_ORDER]);
	if (!s->q) {
		snprintf(err, len, "queue: cannot create the shared queue");
		return -1;
	}
	s->producers = (int)p[P_PRODUCERS];
	s->consumers = (int)p[P_CONSUMERS];
	s->items = p[P_ITEMS];
	s->pause_min = p[P_PAUSE_MIN];
	s->pause_max = p[P_PAUSE_MAX];
	s->seed = p[P_SEED];
	s->end = (int)p[P_END];
	s->sentinels = (int)(p[P_SENTINELS] < 0 ? p[P_CONSUMERS] : p[P_SENTINELS]);
	return 0;
}

/* ---- the fold: what went in and what came out ---------------------------- */

struct queue_fold {
	int q;               /* the queue's object id + 1; 0 until found */
	long produced;       /* items (not None) put */
	long consumed;       /* items (not None) taken */
	long nones_put, nones_taken;
	long max_size;       /* most items in the queue at once */
};

static void
queue_fold(void *acc, const struct ls_model *m, const long *p, const struct ls_event *e)
{
	struct queue_fold *f = acc;
	int none;

	(void)p;
	if (!f->q)
		f->q = ls_model_find(m, "q") + 1;
	if (!f->q || (int)e->obj != f->q - 1 || e->phase != LS_PH_DONE)
		return;
	none = e->u.v.a == LS_QUEUE_NONE;
	if (e->op == LS_OP_QUEUE_PUT) {
		*(none ? &f->nones_put : &f->produced) += 1;
		if (e->u.v.b > f->max_size)
			f->max_size = e->u.v.b;
	} else if (e->op == LS_OP_QUEUE_GET) {
		*(none ? &f->nones_taken : &f->consumed) += 1;
	}
}

/* ---- the verdict ---------------------------------------------------------- */

/* "C1", "C1 and C2", "C1, C2 and C3" */
static void
queue_names(const struct ls_model *m, const int *who, int n, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && at < len; i++) {
		int k = snprintf(buf + at, len - at, "%s%s", i == 0 ? "" : i == n - 1 ? " and " : ", ",
		                 m->actors[who[i]].name);
		at += k > 0 ? (size_t)k : 0;
	}
}

/* Who a queue run left where: read once for every part of its verdict. */
struct queue_seen {
	const struct queue_fold *f;
	const struct ls_model_obj *q;
	int np, nc, end;
	long total, sent;
	int finished, over;         /* over: everyone done, or the ones left wait for nothing */
	int stuck[16], cut[16], nstuck, ncut, main_stuck;
	long left, left_none;
};

static void
queue_look(const struct ls_model *m, const long *p, struct queue_seen *w)
{
	static const struct queue_fold none;
	int qid = ls_model_find(m, "q");

	memset(w, 0, sizeof *w);
	w->f = ls_model_fold_state(m);
	w->f = w->f ? w->f : &none;
	w->np = (int)p[P_PRODUCERS];
	w->nc = (int)p[P_CONSUMERS];
	w->end = (int)p[P_END];
	w->total = w->np * p[P_ITEMS];
	w->sent = p[P_SENTINELS] < 0 ? w->nc : p[P_SENTINELS];
	w->q = qid >= 0 ? &m->objs[qid] : NULL;
	w->finished = ls_model_finished(m);
	w->over = w->finished || ls_model_deadlock(m, 1, NULL, 0);
	for (long k = 0; w->q && k < w->q->value; k++)
		*(w->q->items[k] == LS_QUEUE_NONE ? &w->left_none : &w->left) += 1;
	for (int i = w->np; i < w->np + w->nc && i < m->nactors; i++) {
		const struct ls_model_actor *a = &m->actors[i];
		if (a->state == LS_AS_DONE && a->cut && w->ncut < 16)
			w->cut[w->ncut++] = i;
		else if (w->over && a->state != LS_AS_DONE && a->state != LS_AS_CRASHED && w->nstuck < 16)
			w->stuck[w->nstuck++] = i;
	}
	w->main_stuck = w->over && !w->finished && w->np + w->nc < m->nactors &&
	                m->actors[w->np + w->nc].state != LS_AS_DONE &&
	                m->actors[w->np + w->nc].state != LS_AS_CRASHED;
}

static void
queue_expected(const struct ls_model *m, const struct queue_seen *w, struct ls_verdict *v)
{
	char names[96];

	switch (w->end) {
	case END_NONE:
		snprintf(v->expected, sizeof v->expected,
		         _("%ld items made and eaten, then the consumers stop"), w->total);
		break;
	case END_SENTINEL:
		snprintf(v->expected, sizeof v->expected,
		         _("%ld items made and eaten; each consumer stops at its None (%ld sent for %d)"),
		         w->total, w->sent, w->nc);
		break;
	default:
		snprintf(v->expected, sizeof v->expected,
		         _("%ld items made, eaten and marked done; main ends, the daemon consumers with it"),
		         w->total);
		break;
	}
	snprintf(v->observed, sizeof v->observed, _("%ld made, %ld taken, %ld left in the queue"),
	         w->f->produced, w->f->consumed, w->left);
	if (w->nstuck) {
		size_t n = strlen(v->observed);
		queue_names(m, w->stuck, w->nstuck, names, sizeof names);
		snprintf(v->observed + n, sizeof v->observed - n, "; %s stuck in get()", names);
	}
}

/* Consumers left waiting for ever, or items left uneaten: 1 when it said so. */
static int
queue_failed(const struct ls_model *m, const long *p, const struct queue_seen *w,
             struct ls_verdict *v)
{
	char names[96];

	v->ok = 0;
	queue_names(m, w->stuck, w->nstuck, names, sizeof names);
	if (w->main_stuck)
		snprintf(v->summary, sizeof v->summary,
		         _("main waits for ever to put a None: the queue is full (maxsize %ld) and "
		         "every consumer has stopped"), p[P_MAXSIZE]);
	else if (w->end == END_NONE && w->nstuck)
		snprintf(v->summary, sizeof v->summary,
		         _("the consumers wait for ever on an empty queue: %s %s stuck. Nothing tells "
		         "them the producers are done, so 002's program never ends"),
		         names, w->nstuck == 1 ? "is" : "are");
	else if (w->nstuck)
		snprintf(v->summary, sizeof v->summary,
		         _("%s never %s a None: %ld sent for %d consumers, so %s %s for ever on the "
		         "empty queue"), names, w->nstuck == 1 ? _("gets") : _("get"), w->sent, w->nc,
		         names, w->nstuck == 1 ? _("waits") : _("wait"));
	else if (w->left > 0)
		snprintf(v->summary, sizeof v->summary,
		         _("the Nones came out before %ld item%s (%s): the consumers stopped and %ld %s "
		         "left uneaten in the queue"), w->left, w->left == 1 ? "" : "s",
		         p[P_ORDER] == LS_QUEUE_LIFO ? _("a LifoQueue gives the newest first")
		                                     : _("it gives them in its own order"),
		         w->left, w->left == 1 ? "is" : "are");
	else
		return 0;
	return 1;
}

/* Every item eaten: how the run ended. */
static void
queue_ended(const struct ls_model *m, const struct queue_seen *w, struct ls_verdict *v)
{
	const struct queue_fold *f = w->f;
	char names[96];

	if (w->end == END_JOIN) {
		v->ok = f->consumed == w->total && w->q && w->q->unfinished == 0;
		if (w->ncut) {
			queue_names(m, w->cut, w->ncut, names, sizeof names);
			snprintf(v->summary, sizeof v->summary,
			         _("main ends once every item is done; the daemon consumers are cut off "
			         "while waiting (%s)"), names);
		} else {
			snprintf(v->summary, sizeof v->summary,
			         _("main ends once every item is done; %ld of %ld eaten"), f->consumed,
			         w->total);
		}
	} else {
		v->ok = f->consumed == w->total;
		snprintf(v->summary, sizeof v->summary,
		         _("every item eaten: %ld made, %ld taken; each consumer stopped at its None%s"),
		         f->produced, f->consumed,
		         w->left_none ? _(", and the extra None stays in the queue") : "");
	}
}

static void
queue_verdict(const struct ls_model *m, const long *p, struct ls_verdict *v)
{
	struct queue_seen w;
	const struct queue_fold *f;

	queue_look(m, p, &w);
	f = w.f;
	queue_expected(m, &w, v);
	if (!w.over) {
		v->ok = -1;
		snprintf(v->summary, sizeof v->summary, _("running: %ld of %ld made, %ld taken, %ld in the queue"),
		         f->produced, w.total, f->consumed, w.q ? w.q->value : 0);
	} else if (!queue_failed(m, p, &w, v)) {
		queue_ended(m, &w, v);
	}
	ls_verdict_figure(v, "produced", (double)f->produced);
	ls_verdict_figure(v, "consumed", (double)f->consumed);
	ls_verdict_figure(v, "stuck", (double)w.nstuck);
	ls_verdict_figure(v, "left", (double)w.left);
	ls_verdict_figure(v, "unfinished", w.q ? (double)w.q->unfinished : 0);
	ls_verdict_figure(v, "cut", (double)w.ncut);
	ls_verdict_figure(v, "max_size", (double)f->max_size);
}

/* ---- walkthroughs ------------------------------------------------------------ */

/* One producer making two items, one consumer, main sending one None. */
static const struct ls_walk_step queue_walk_sentinel_steps[] = {
	{ NULL, N_("Everyone is at their first step. C1 asks the queue for an item (q.get()), "
	        "but nothing has been made yet: the queue is empty, so C1 is blocked. main is "
	        "blocked too, in p1.join(): it waits for P1 to finish.") },
	{ "P1", N_("P1 puts 包子0 (item 100) in the queue. Now C1 can go on.") },
	{ "P1", N_("P1 prints that it produced 包子0 and goes on to make the next one.") },
	{ "C1", N_("C1 takes 包子0: the queue is empty again.") },
	{ "C1", N_("C1 eats it (the pause is 0 here) and says so.") },
	{ NULL, N_("C1 asks for the next item: the queue is empty, so C1 blocks in get() again. "
	        "A blocked get costs nothing; it simply waits for a put.") },
	{ "P1", N_("P1 puts 包子1, its last item.") },
	{ "P1", N_("P1 prints it and returns: the producer is finished.") },
	{ "C1", N_("C1 takes 包子1.") },
	{ "C1", N_("C1 eats it, and blocks in get() again. Without an end signal it would wait "
	        "here for ever: nobody is left to put anything.") },
	{ "main", N_("P1 has finished, so main's p1.join() returns.") },
	{ "main", N_("main puts None, the end signal, after every real item: one None for each "
	          "consumer.") },
	{ "C1", N_("C1 takes the None.") },
	{ "C1", N_("A None means stop: C1 breaks out of its loop and finishes.") },
	{ "main", N_("main prints 主 and finishes: every actor is done.") },
};

/* One item with a JoinableQueue: task_done, q.join, a daemon consumer. */
static const struct ls_walk_step queue_walk_join_steps[] = {
	{ "P1", N_("P1 puts 包子0 in the JoinableQueue: 1 item unfinished.") },
	{ "P1", N_("P1 prints it. Its next step is q.join(): wait until every item put is done.") },
	{ NULL, N_("P1 is blocked in q.join(): 1 item is still unfinished. main is blocked in "
	        "p1.join(), waiting for P1.") },
	{ "C1", N_("C1 (a daemon) takes 包子0. Taking it is not finishing it: still 1 unfinished.") },
	{ "C1", N_("C1 eats it and says so.") },
	{ "C1", N_("C1 calls task_done(): 0 unfinished, so P1's q.join() can return. C1 loops "
	        "back to get() and blocks on the empty queue.") },
	{ "P1", N_("P1's q.join() returns: everything it made has been eaten. P1 finishes.") },
	{ "main", N_("main's p1.join() returns.") },
	{ "main", N_("main prints 主 and ends. Only the daemon C1 is left, blocked in get(): it "
	          "ends with the main program.") },
};

static const struct ls_walkthrough queue_walkthroughs[] = {
	{ .title = N_("A None tells the consumer to stop"),
	  .params = "producers=1 consumers=1 items=2 pause_ms_min=0 pause_ms_max=0 end=sentinel",
	  .steps = queue_walk_sentinel_steps,
	  .nsteps = sizeof queue_walk_sentinel_steps / sizeof queue_walk_sentinel_steps[0],
	  .ending = N_("Both items went through the queue in the order they were made, and the "
	            "None after them stopped the consumer. get() on an empty queue blocks: "
	            "that is what makes the queue a meeting point, and why a consumer needs "
	            "an end signal. l shows the JoinableQueue way.") },
	{ .title = N_("JoinableQueue: done when every item is done"),
	  .params = "producers=1 consumers=1 items=1 pause_ms_min=0 pause_ms_max=0 end=join",
	  .steps = queue_walk_join_steps,
	  .nsteps = sizeof queue_walk_join_steps / sizeof queue_walk_join_steps[0],
	  .ending = N_("No None was needed: the producer waited in q.join() until C1 had called "
	            "task_done() for its item, main waited for the producer, and when main "
	            "ended the daemon C1 was cut off while it waited in get(). The run is "
	            "finished, not stuck. l shows the None sentinel.") },
};

/*
 * The challenges.  A LifoQueue hands out the newest entry first, so a None
 * main puts while an item still waits comes out before it; and with one
 * None too few, no order lets every consumer stop.
 */
static long
queue_left_items(const struct ls_model *m)
{
	int q = ls_model_find(m, "q");
	long n = 0;

	for (long k = 0; q >= 0 && k < m->objs[q].value; k++)
		n += m->objs[q].items[k] != LS_QUEUE_NONE;
	return n;
}

static int
queue_left_uneaten(const struct ls_model *m, const long *p)
{
	(void)p;
	return ls_model_finished(m) && queue_left_items(m) > 0;
}

/* Every item has been taken: none can be left in the queue any more. */
static int
queue_all_taken(const struct ls_model *m, const long *p)
{
	const struct queue_fold *f = ls_model_fold_state(m);

	return f && f->consumed >= p[P_PRODUCERS] * p[P_ITEMS];
}

static int
queue_everyone_stops(const struct ls_model *m, const long *p)
{
	(void)p;
	return ls_model_finished(m);
}

static const struct ls_challenge queue_challenges[] = {
	{ .title = N_("Leave an item uneaten in a LifoQueue"),
	  .params = "producers=1 consumers=1 items=1 pause_ms_min=0 pause_ms_max=0 order=lifo",
	  .hint = N_("the newest entry comes out first: let main put its None before C1 takes 包子0"),
	  .win = "P1 P1 main main C1 C1 main",
	  .lose = "P1 P1 C1 C1 main main C1 C1 main",
	  .met = queue_left_uneaten, .lost = queue_all_taken },
	{ .title = N_("Stop both consumers with one None"),
	  .params = "producers=1 consumers=2 items=1 pause_ms_min=0 pause_ms_max=0 sentinels=1",
	  .lose = "P1 P1 main main C1 C1 main",
	  .met = queue_everyone_stops, .impossible = 1 },
};

/* Small sizes the explorer's tests search whole (tests/check_explore_reduce.c). */
static const struct ls_explore_case queue_explore_cases[] = {
	{ .params = "producers=1 consumers=1 items=1 pause_ms_min=0 pause_ms_max=0" },
	{ .params = "producers=1 consumers=1 items=1 pause_ms_min=0 pause_ms_max=0 order=lifo" },
	{ .params = "producers=1 consumers=1 items=1 pause_ms_min=0 pause_ms_max=0 end=none" },
	{ .params = "producers=1 consumers=2 items=1 pause_ms_min=0 pause_ms_max=0 end=join" },
};

const struct ls_scenario ls_scenario_queue = {
	.name = "queue",
	.position = 150,
	.title = N_("Producers and consumers: a queue, and how to tell it is over"),
	.seed = "002: Queue producer/consumer (包子, 骨头, 泔水), None sentinels, JoinableQueue "
	        "with daemon consumers (and 004: queue.Queue, LifoQueue, PriorityQueue)",
	.lesson =
		N_("Three producers each make two items (包子, 骨头, 泔水), pausing 1 to 3 s "
		"before each, and put them in one queue; two consumers take items from it and "
		"eat them. Nobody talks to anybody else: the queue is the meeting point. A put "
		"never waits for a consumer (unless a maxsize is reached), and a get on an empty "
		"queue blocks until something is put. That balances fast producers against slow "
		"consumers and back.\n\n"
		"The hard part is the end. A consumer loops on get(); when the producers are gone "
		"the queue stays empty and the consumers wait for ever (end=none: lockstep reports "
		"who is stuck, as for a deadlock). 002's answer: after joining the producers, main "
		"puts one None per consumer, and a consumer stops at its None (end=sentinel, the "
		"default). One None too few and one consumer waits for ever (sentinels=1). The "
		"None goes behind every real item in a FIFO queue; in a LifoQueue it comes out "
		"first (order=lifo).\n\n"
		"A JoinableQueue (end=join) counts items put and not yet done: consumers call "
		"task_done() after each, and q.join() waits until the count is zero. The "
		"producers q.join() before they end, main joins the producers, and the consumers "
		"are daemons: they end with the main program, cut off while they wait.\n\n"
		"Items are numbers in the Objects pane: producer k's item i is k*100 + i (201 is "
		"P2's 骨头1)."),
	.params = queue_params,
	.nparams = LS_NPARAMS(queue_params),
	.roles = queue_roles,
	.nroles = sizeof queue_roles / sizeof queue_roles[0],
	.kind = LS_ACTORS_PROCESSES,
	.toggle_param = P_END,
	.state_size = sizeof(struct queue),
	.setup = queue_setup,
	.verdict = queue_verdict,
	.fold_size = sizeof(struct queue_fold),
	.fold = queue_fold,
	.walkthroughs = queue_walkthroughs,
	.nwalkthroughs = sizeof queue_walkthroughs / sizeof queue_walkthroughs[0],
	.challenges = queue_challenges,
	.nchallenges = sizeof queue_challenges / sizeof queue_challenges[0],
	.explore_cases = queue_explore_cases,
	.nexplore_cases = sizeof queue_explore_cases / sizeof queue_explore_cases[0],
};
