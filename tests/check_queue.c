/*
 * check_queue.c - producers and consumers over one queue, and daemon actors.
 *
 * Forced and random schedules, in threads and in processes: a FIFO queue
 * gives each producer's items in the order made, a bounded queue never holds
 * more than maxsize, get on an empty queue cannot move until a put, LIFO
 * gives the newest first and a PriorityQueue the least with None last.  The
 * end variants: without a signal the consumers are reported stuck, one None
 * too few leaves exactly one consumer stuck, a JoinableQueue run finishes
 * with its daemon consumers cut off.  task_done() once too often is refused.
 * Free runs with short pauses keep the queue's invariants on the trace.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "lockstep/lesson.h"
#include "engine/run.h"
#include "engine/walk.h"
#include "suites.h"

#define Q_GUARD 4000   /* more steps than any run here takes */

static const struct ls_scenario *
q_params(long *p, const char *args)
{
	return th_scenario("queue", p, args);
}

static struct ls_run *
q_start(const char *args, enum ls_actor_kind kind, enum ls_policy policy, uint64_t seed)
{
	long p[16];
	const struct ls_scenario *s = q_params(p, args);

	return th_start(s, p, kind, policy, seed);
}

static int
q_obj(const struct ls_run *r)
{
	int q = ls_model_find(ls_run_model(r), "q");

	ck_assert_int_ge(q, 0);
	return q;
}

static int
q_actor(const struct ls_run *r, const char *name)
{
	const char *const *names = ls_run_actor_names(r);

	for (int i = 0; i < ls_run_actor_count(r); i++)
		if (strcmp(names[i], name) == 0)
			return i;
	ck_abort_msg("no actor %s", name);
	return -1;
}

static void
q_verdict(struct ls_run *r, struct ls_verdict *v)
{
	memset(v, 0, sizeof *v);
	ls_run_verdict(r, v);
}

/*
 * Walk the whole trace: the queue's size after every put and get is the one
 * the event reports, never negative, never above bound (when > 0); with
 * fifo set, each producer's items leave in the order it made them.  Writes
 * the items taken, in order, to got (at most max) and returns how many.
 */
static int
q_trace(struct ls_run *r, long bound, int fifo, int64_t *got, int max)
{
	const struct ls_model *m = ls_run_model(r);
	int q = q_obj(r), n = 0;
	long size = 0, next[10] = { 0 };

	ck_assert_uint_le(m->nhistory, LS_HISTORY);
	ck_assert_uint_eq(m->dropped, 0);
	for (uint64_t i = 0; i < m->nhistory; i++) {
		const struct ls_event *e = &m->history[i];

		if ((int)e->obj != q || e->phase != LS_PH_DONE)
			continue;
		if (e->op == LS_OP_QUEUE_PUT)
			size++;
		else if (e->op == LS_OP_QUEUE_GET)
			size--;
		else
			continue;
		ck_assert_int_eq(e->u.v.b, size);
		ck_assert_int_ge(size, 0);
		if (bound > 0)
			ck_assert_int_le(size, bound);
		if (e->op != LS_OP_QUEUE_GET)
			continue;
		if (n < max)
			got[n++] = e->u.v.a;
		if (fifo && e->u.v.a != LS_QUEUE_NONE) {
			int k = (int)(e->u.v.a / 100) - 1;
			ck_assert(k >= 0 && k < 10);
			ck_assert_msg(e->u.v.a % 100 == next[k], "P%d's item %lld taken before %ld",
			              k + 1, (long long)(e->u.v.a % 100), next[k]);
			next[k]++;
		}
	}
	ck_assert_int_eq(m->objs[q].value, size);
	return n;
}

/* produced == consumed + left, and the queue's own count agrees. */
static void
q_check_balance(struct ls_run *r, long produced)
{
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;
	long nones = 0;
	int q = q_obj(r);

	q_verdict(r, &v);
	for (long k = 0; k < m->objs[q].value; k++)
		nones += m->objs[q].items[k] == LS_QUEUE_NONE;
	ck_assert_int_eq((long)th_figure(&v, "produced"), produced);
	ck_assert_int_eq((long)th_figure(&v, "produced"),
	                 (long)th_figure(&v, "consumed") + (long)th_figure(&v, "left"));
	ck_assert_int_eq((long)th_figure(&v, "left"), m->objs[q].value - nones);
}

/* ---- orders ---------------------------------------------------------------- */

START_TEST(q_fifo_random)
{
	for (uint64_t seed = 1; seed <= 6; seed++) {
		struct ls_run *r = q_start("producers=3 consumers=2 items=3 pause_ms_min=1 pause_ms_max=5",
		                           th_kind(_i), LS_POLICY_RANDOM, seed);
		struct ls_verdict v;
		int64_t got[32];

		ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
		ck_assert_int_eq(q_trace(r, 0, 1, got, 32), 9 + 2);
		q_check_balance(r, 9);
		q_verdict(r, &v);
		ck_assert_int_eq(v.ok, 1);
		ck_assert_int_eq((long)th_figure(&v, "consumed"), 9);
		ck_assert_int_eq((long)th_figure(&v, "stuck"), 0);
		ls_run_free(r);
	}
}
END_TEST

/* Step one actor until it has finished. */
static void
q_step_out(struct ls_run *r, int actor)
{
	const struct ls_model *m = ls_run_model(r);
	int guard = 0;

	while (m->actors[actor].state != LS_AS_DONE) {
		th_step(r, actor);
		ck_assert_int_lt(++guard, Q_GUARD);
	}
}

/* P1 makes three items before anyone takes one: a LifoQueue gives 102 first. */
START_TEST(q_lifo_forced)
{
	struct ls_run *r = q_start("producers=1 consumers=1 items=3 pause_ms_min=0 pause_ms_max=0 "
	                           "order=lifo", th_kind(_i), LS_POLICY_STEP, 1);
	int64_t got[8];
	int guard = 0;

	th_wait_parked(r);
	q_step_out(r, q_actor(r, "P1"));
	for (int k = 0; k < 6; k++)   /* C1 takes and eats all three before main's None */
		th_step(r, q_actor(r, "C1"));
	th_run_out(r, &guard, Q_GUARD);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ck_assert_int_eq(q_trace(r, 0, 0, got, 8), 4);
	ck_assert_int_eq(got[0], 102);
	ck_assert_int_eq(got[1], 101);
	ck_assert_int_eq(got[2], 100);
	ck_assert(got[3] == LS_QUEUE_NONE);
	ck_assert_int_eq(th_said(ls_run_model(r), "eats 包子2"), 1);
	ls_run_free(r);
}
END_TEST

/* With LIFO the None main puts on top of a waiting item comes out first. */
START_TEST(q_lifo_sentinel_first)
{
	struct ls_run *r = q_start("producers=1 consumers=1 items=1 pause_ms_min=0 pause_ms_max=0 "
	                           "order=lifo", th_kind(_i), LS_POLICY_STEP, 1);
	int p1 = q_actor(r, "P1"), c1 = q_actor(r, "C1"), main = q_actor(r, "main");
	struct ls_verdict v;
	int guard = 0;

	th_wait_parked(r);
	q_step_out(r, p1);
	th_step(r, main);   /* join P1 */
	th_step(r, main);   /* put None on top of 包子0 */
	th_step(r, c1);     /* takes the None */
	th_run_out(r, &guard, Q_GUARD);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	q_verdict(r, &v);
	ck_assert_int_eq(v.ok, 0);
	ck_assert_int_eq((long)th_figure(&v, "left"), 1);
	ck_assert_int_eq((long)th_figure(&v, "consumed"), 0);
	ck_assert_ptr_nonnull(strstr(v.summary, "LifoQueue gives the newest first"));
	q_check_balance(r, 1);
	ls_run_free(r);
}
END_TEST

/* P2's items are put first, yet a PriorityQueue gives the least; None last. */
START_TEST(q_priority_forced)
{
	struct ls_run *r = q_start("producers=2 consumers=1 items=2 pause_ms_min=0 pause_ms_max=0 "
	                           "order=priority", th_kind(_i), LS_POLICY_STEP, 1);
	int c1 = q_actor(r, "C1"), main = q_actor(r, "main");
	const int64_t want[] = { 100, 101, 200, 201, LS_QUEUE_NONE };
	int64_t got[8];
	int guard = 0;

	th_wait_parked(r);
	q_step_out(r, q_actor(r, "P2"));
	q_step_out(r, q_actor(r, "P1"));
	for (int k = 0; k < 3; k++)   /* join P1, join P2, put None */
		th_step(r, main);
	ck_assert_int_eq(ls_run_model(r)->objs[q_obj(r)].value, 5);
	q_step_out(r, c1);
	th_run_out(r, &guard, Q_GUARD);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ck_assert_int_eq(q_trace(r, 0, 0, got, 8), 5);
	for (int k = 0; k < 5; k++)
		ck_assert_msg(got[k] == want[k], "get %d took %lld", k + 1, (long long)got[k]);
	ls_run_free(r);
}
END_TEST

/* ---- blocking ---------------------------------------------------------------- */

/* C1's get cannot move on the empty queue until P1 puts. */
START_TEST(q_get_blocks_on_empty)
{
	struct ls_run *r = q_start("producers=1 consumers=1 items=1 pause_ms_min=0 pause_ms_max=0",
	                           th_kind(_i), LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	int p1 = q_actor(r, "P1"), c1 = q_actor(r, "C1"), q = q_obj(r), who[8];
	int64_t got[4];
	char d[200];

	th_wait_parked(r);
	ck_assert_int_eq(m->actors[c1].op, LS_OP_QUEUE_GET);
	ck_assert_int_eq(m->actors[c1].state, LS_AS_GATE);
	ck_assert_int_eq(ls_model_can_proceed(m, c1), 0);
	ck_assert_int_eq(ls_model_wait_obj(m, c1), q);
	ck_assert_int_eq(ls_model_waiters(m, q, who, 8), 1);
	ck_assert_int_eq(who[0], c1);
	ck_assert_str_eq(ls_model_state_word(m, c1), "blocked");
	ls_model_describe(m, c1, d, sizeof d);
	ck_assert_ptr_nonnull(strstr(d, "get from q"));
	ck_assert_int_eq(ls_run_step(r, c1), -1);   /* refused: it cannot move */
	th_step(r, p1);                             /* put 包子0 */
	ck_assert_int_eq(m->objs[q].value, 1);
	ck_assert_int_eq(ls_model_can_proceed(m, c1), 1);
	ck_assert_int_eq(ls_model_nwaiters(m, q), 0);
	th_step(r, c1);
	ck_assert_int_eq(m->objs[q].value, 0);
	ck_assert_int_eq(q_trace(r, 0, 1, got, 4), 1);
	ck_assert_int_eq(got[0], 100);
	ls_run_free(r);
}
END_TEST

/* maxsize=1: P1's second put waits until C1 has taken the first item. */
START_TEST(q_put_blocks_when_full)
{
	struct ls_run *r = q_start("producers=1 consumers=1 items=2 maxsize=1 pause_ms_min=0 "
	                           "pause_ms_max=0", th_kind(_i), LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	int p1 = q_actor(r, "P1"), c1 = q_actor(r, "C1"), q = q_obj(r), who[8];
	int guard = 0;

	th_wait_parked(r);
	th_step(r, p1);   /* put 包子0: full */
	th_step(r, p1);   /* say; next: put 包子1 */
	ck_assert_int_eq(m->actors[p1].op, LS_OP_QUEUE_PUT);
	ck_assert_int_eq(ls_model_can_proceed(m, p1), 0);
	ck_assert_int_eq(ls_model_waiters(m, q, who, 8), 1);
	ck_assert_int_eq(who[0], p1);
	ck_assert_int_eq(ls_run_step(r, p1), -1);
	th_step(r, c1);   /* takes 包子0: room again */
	ck_assert_int_eq(ls_model_can_proceed(m, p1), 1);
	th_run_out(r, &guard, Q_GUARD);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	q_trace(r, 1, 1, (int64_t[4]){ 0 }, 4);
	ls_run_free(r);
}
END_TEST

/* A bounded queue, every step of random schedules: never above maxsize. */
START_TEST(q_bounded_every_step)
{
	for (long bound = 1; bound <= 2; bound++) {
		for (uint64_t seed = 1; seed <= 4; seed++) {
			char args[160];
			snprintf(args, sizeof args, "producers=3 consumers=2 items=3 maxsize=%ld "
			         "pause_ms_min=0 pause_ms_max=2", bound);
			struct ls_run *r = q_start(args, th_kind(_i), LS_POLICY_RANDOM, seed);
			const struct ls_model *m = ls_run_model(r);
			int q = q_obj(r), guard = 0, full_put = 0;

			while (ls_run_step(r, -1) >= 0) {
				ck_assert_int_le(m->objs[q].value, bound);
				for (int a = 0; a < m->nactors; a++)
					full_put |= m->actors[a].state == LS_AS_GATE &&
					            m->actors[a].op == LS_OP_QUEUE_PUT &&
					            !ls_model_can_proceed(m, a);
				ck_assert_int_lt(++guard, Q_GUARD);
			}
			ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
			/* Nine items through one or two slots: some put had to wait. */
			ck_assert(full_put);
			q_trace(r, bound, 1, (int64_t[16]){ 0 }, 16);
			q_check_balance(r, 9);
			ls_run_free(r);
		}
	}
}
END_TEST

/* ---- the end signal ---------------------------------------------------------- */

static void
q_check_none(struct ls_run *r)
{
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_DEADLOCK);
	ck_assert_ptr_nonnull(strstr(ls_run_reason(r), "C1 blocked"));
	ck_assert_ptr_nonnull(strstr(ls_run_reason(r), "C2 blocked"));
	/* Parked at its gate it "waits: get from q"; blocked it is "on queue 'q'". */
	ck_assert(strstr(ls_run_reason(r), "get from q") || strstr(ls_run_reason(r), "queue 'q'"));
	ck_assert_ptr_null(strstr(ls_run_reason(r), "P1"));
	ck_assert_ptr_null(strstr(ls_run_reason(r), "main"));
	for (int a = 0; a < m->nactors; a++)
		if (m->actors[a].name[0] == 'C')
			ck_assert_int_eq(m->actors[a].op, LS_OP_QUEUE_GET);
		else
			ck_assert_int_eq(m->actors[a].state, LS_AS_DONE);
	q_verdict(r, &v);
	ck_assert_int_eq(v.ok, 0);
	ck_assert_int_eq((long)th_figure(&v, "stuck"), 2);
	ck_assert_ptr_nonnull(strstr(v.summary, "the consumers wait for ever on an empty queue: "
	                                        "C1 and C2 are stuck"));
	q_check_balance(r, 4);
	ck_assert_int_eq((long)th_figure(&v, "left"), 0);
}

START_TEST(q_none_stepped)
{
	struct ls_run *r = q_start("producers=2 consumers=2 items=2 pause_ms_min=1 pause_ms_max=3 "
	                           "end=none", th_kind(_i), LS_POLICY_RANDOM, 7);
	q_check_none(r);
	ls_run_free(r);
}
END_TEST

START_TEST(q_none_free)
{
	struct ls_run *r = q_start("producers=2 consumers=2 items=2 pause_ms_min=1 pause_ms_max=5 "
	                           "end=none", th_kind(_i), LS_POLICY_FREE, 1);
	const struct ls_model *m = ls_run_model(r);

	q_check_none(r);
	/* Free: really blocked in the queue's wait, not parked at a gate. */
	ck_assert_int_eq(m->actors[q_actor(r, "C1")].state, LS_AS_BLOCKED);
	ls_run_free(r);
}
END_TEST

/* One None for two consumers: exactly one of them waits for ever. */
static void
q_check_one_short(struct ls_run *r)
{
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;
	int stuck = -1, n = 0;
	char want[64];

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_DEADLOCK);
	for (int a = 0; a < m->nactors; a++)
		if (m->actors[a].state != LS_AS_DONE) {
			stuck = a;
			n++;
		}
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(m->actors[stuck].name[0], 'C');
	ck_assert_int_eq(m->actors[stuck].op, LS_OP_QUEUE_GET);
	q_verdict(r, &v);
	ck_assert_int_eq(v.ok, 0);
	ck_assert_int_eq((long)th_figure(&v, "stuck"), 1);
	snprintf(want, sizeof want, "%s never gets a None", m->actors[stuck].name);
	ck_assert_ptr_nonnull(strstr(v.summary, want));
	ck_assert_ptr_nonnull(strstr(ls_run_reason(r), m->actors[stuck].name));
	q_check_balance(r, 6);
}

START_TEST(q_sentinel_short_random)
{
	for (uint64_t seed = 1; seed <= 4; seed++) {
		struct ls_run *r = q_start("producers=3 consumers=2 items=2 pause_ms_min=1 "
		                           "pause_ms_max=3 sentinels=1", th_kind(_i),
		                           LS_POLICY_RANDOM, seed);
		q_check_one_short(r);
		ls_run_free(r);
	}
}
END_TEST

START_TEST(q_sentinel_short_free)
{
	struct ls_run *r = q_start("producers=3 consumers=2 items=2 pause_ms_min=1 pause_ms_max=5 "
	                           "sentinels=1", th_kind(_i), LS_POLICY_FREE, 1);
	q_check_one_short(r);
	ls_run_free(r);
}
END_TEST

/* JoinableQueue: finished, every item done, the daemon consumers cut off. */
static void
q_check_join(struct ls_run *r)
{
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;
	int q = q_obj(r), cut_exits = 0;
	char d[200];

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	ck_assert(ls_model_finished(m));
	ck_assert_int_eq(m->objs[q].unfinished, 0);
	for (int a = 0; a < m->nactors; a++) {
		const struct ls_model_actor *ac = &m->actors[a];
		ck_assert_int_eq(ac->state, LS_AS_DONE);
		ck_assert_int_eq(ac->cut, ac->name[0] == 'C');
	}
	ls_model_describe(m, q_actor(r, "C1"), d, sizeof d);
	ck_assert_msg(strncmp(d, "cut off at line ", 16) == 0, "C1: %s", d);
	ck_assert_str_eq(ls_model_state_word(m, q_actor(r, "C2")), "cut off");
	for (uint64_t i = 0; i < m->nhistory; i++)
		cut_exits += m->history[i].op == LS_OP_EXIT && m->history[i].phase == LS_PH_FAIL;
	ck_assert_int_eq(cut_exits, 2);
	q_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_int_eq((long)th_figure(&v, "cut"), 2);
	ck_assert_int_eq((long)th_figure(&v, "unfinished"), 0);
	ck_assert_int_eq((long)th_figure(&v, "consumed"), 6);
	ck_assert_ptr_nonnull(strstr(v.summary, "main ends once every item is done; the daemon "
	                                        "consumers are cut off while waiting"));
	q_check_balance(r, 6);
}

START_TEST(q_join_random)
{
	for (uint64_t seed = 1; seed <= 4; seed++) {
		struct ls_run *r = q_start("producers=3 consumers=2 items=2 pause_ms_min=1 "
		                           "pause_ms_max=3 end=join", th_kind(_i), LS_POLICY_RANDOM, seed);
		q_check_join(r);
		ls_run_free(r);
	}
}
END_TEST

START_TEST(q_join_free)
{
	struct ls_run *r = q_start("producers=3 consumers=2 items=2 pause_ms_min=1 pause_ms_max=5 "
	                           "end=join", th_kind(_i), LS_POLICY_FREE, 1);
	q_check_join(r);
	ls_run_free(r);
}
END_TEST

/* Forced: the run ends the moment main does, with C1 parked at its get. */
START_TEST(q_join_daemon_forced)
{
	struct ls_run *r = q_start("producers=1 consumers=1 items=1 pause_ms_min=0 pause_ms_max=0 "
	                           "end=join", th_kind(_i), LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	int p1 = q_actor(r, "P1"), c1 = q_actor(r, "C1"), main = q_actor(r, "main");

	th_wait_parked(r);
	th_step(r, p1);   /* put */
	th_step(r, p1);   /* say; next: q.join() with 1 unfinished */
	ck_assert_int_eq(m->actors[p1].op, LS_OP_QUEUE_JOIN);
	ck_assert_int_eq(ls_model_can_proceed(m, p1), 0);
	th_step(r, c1);   /* get */
	ck_assert_int_eq(ls_model_can_proceed(m, p1), 0);   /* taken is not done */
	th_step(r, c1);   /* say */
	th_step(r, c1);   /* task_done */
	ck_assert_int_eq(m->objs[q_obj(r)].unfinished, 0);
	ck_assert_int_eq(ls_model_can_proceed(m, p1), 1);
	th_step(r, p1);   /* q.join() returns; P1 ends */
	th_step(r, main); /* join P1 */
	ck_assert_int_eq(ls_run_status(r), LS_RUN_RUNNING);
	ck_assert_int_eq(m->actors[c1].state, LS_AS_GATE);   /* in get, on the empty queue */
	th_step(r, main); /* says 主 and ends: only the daemon is left */
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ck_assert_int_eq(m->actors[c1].state, LS_AS_DONE);
	ck_assert_int_eq(m->actors[c1].cut, 1);
	ck_assert_int_eq(m->actors[c1].op, LS_OP_QUEUE_GET);
	ck_assert_int_eq(m->actors[main].cut, 0);
	ck_assert_uint_eq(ls_run_schedule(r)->len, 8);
	ls_run_free(r);
}
END_TEST

/* ---- task_done() once too often (a scenario of the test's own) ---------------- */

struct q_td {
	ls_queue *q;
	ls_var *first, *second;
};

static void
q_td_body(struct ls_actor_ctx *ctx)
{
	struct q_td *t = ctx->state;
	int64_t item;

	ls_queue_put(t->q, 7);
	ls_queue_get(t->q, &item);
	ls_store(t->first, ls_queue_task_done(t->q));
	ls_store(t->second, ls_queue_task_done(t->q));   /* Python: ValueError */
}

static int
q_td_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct q_td *t = state;

	(void)p;
	t->q = ls_queue_new(w, "q", 0, LS_QUEUE_FIFO);
	t->first = ls_var_new(w, "first", 9);
	t->second = ls_var_new(w, "second", 9);
	if (!t->q || !t->first || !t->second) {
		snprintf(err, len, "cannot create the queue");
		return -1;
	}
	return 0;
}

static const struct ls_role_desc q_td_roles[] = {
	{ .name = "worker", .prefix = "W", .body = q_td_body, .count_param = -1, .count = 1 },
};

static const struct ls_scenario q_td_scenario = {
	.name = "task_done_twice",
	.roles = q_td_roles,
	.nroles = 1,
	.toggle_param = -1,
	.state_size = sizeof(struct q_td),
	.setup = q_td_setup,
};

START_TEST(q_task_done_refused)
{
	for (int policy = 0; policy < 2; policy++) {
		long p[1] = { 0 };
		struct ls_run *r = th_start(&q_td_scenario, p, th_kind(_i),
		                            policy ? LS_POLICY_RANDOM : LS_POLICY_FREE, 1);
		const struct ls_model *m = ls_run_model(r);
		int fails = 0, dones = 0;

		ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
		for (uint64_t i = 0; i < m->nhistory; i++) {
			const struct ls_event *e = &m->history[i];
			if (e->op != LS_OP_TASK_DONE)
				continue;
			fails += e->phase == LS_PH_FAIL;
			dones += e->phase == LS_PH_DONE;
		}
		ck_assert_int_eq(dones, 1);
		ck_assert_int_eq(fails, 1);
		ck_assert_int_eq(ls_model_var(m, "first"), 0);
		ck_assert_int_eq(ls_model_var(m, "second"), -1);
		ck_assert_int_eq(m->objs[ls_model_find(m, "q")].unfinished, 0);
		ls_run_free(r);
	}
}
END_TEST

/* ---- free runs ------------------------------------------------------------------ */

START_TEST(q_free_invariants)
{
	static const char *const variants[] = {
		"end=sentinel order=fifo", "end=sentinel order=priority", "end=sentinel maxsize=2",
		"end=join order=fifo", "end=join order=lifo maxsize=3", "end=sentinel order=lifo",
	};

	for (size_t k = 0; k < sizeof variants / sizeof variants[0]; k++) {
		char args[200];
		snprintf(args, sizeof args, "producers=3 consumers=2 items=3 pause_ms_min=1 "
		         "pause_ms_max=5 %s", variants[k]);
		struct ls_run *r = q_start(args, th_kind(_i), LS_POLICY_FREE, 1);
		long p[16];
		int lifo = strstr(variants[k], "lifo") != NULL;
		int fifo = strstr(variants[k], "fifo") || strstr(variants[k], "maxsize=2");
		enum ls_run_status st = ls_run_finish(r);

		q_params(p, args);
		/* A LifoQueue's None may come out before the last items: still finished. */
		ck_assert_msg(st == LS_RUN_FINISHED, "%s: %s", args, ls_run_status_name(st));
		q_trace(r, p[ls_scenario_param_index(ls_run_scenario(r), "maxsize")], fifo,
		        (int64_t[32]){ 0 }, 32);
		q_check_balance(r, 9);
		if (!lifo) {
			struct ls_verdict v;
			q_verdict(r, &v);
			ck_assert_msg(v.ok == 1, "%s: %s", args, v.summary);
		}
		ls_run_free(r);
	}
}
END_TEST

/* ---- the walkthroughs end on their last step ------------------------------------ */

START_TEST(q_walkthroughs_exact)
{
	const struct ls_scenario *s = ls_scenario_find("queue");

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->nwalkthroughs, 2);
	for (int w = 0; w < s->nwalkthroughs; w++) {
		long p[16];
		char err[256] = "";
		struct ls_walk walk;
		struct ls_run_opts o;
		struct ls_run *r;

		ck_assert_msg(ls_walk_params(s, w, p, err, sizeof err) == 0, "%s", err);
		ck_assert_int_eq(ls_walk_init(&walk, s, w), 0);
		walk.patience_ms = 50000;
		th_opts(&o, s, th_kind(_i), LS_POLICY_STEP);
		r = th_start_opts(s, p, &o);
		for (int k = 0; k < s->walkthroughs[w].nsteps; k++) {
			ck_assert_msg(ls_run_status(r) == LS_RUN_RUNNING, "walkthrough %d ended at "
			              "step %d of %d", w + 1, k + 1, s->walkthroughs[w].nsteps);
			ck_assert_msg(ls_walk_step(&walk, r, NULL, err, sizeof err) != LS_WALK_FAILED,
			              "walkthrough %d: %s", w + 1, err);
		}
		ls_run_poll(r, 1);
		ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
		ls_run_free(r);
	}
}
END_TEST

Suite *
queue_suite(void)
{
	Suite *s = suite_create("queue");
	TCase *tc = th_tcase(s, "order", 120);

	tcase_add_loop_test(tc, q_fifo_random, 0, 2);
	tcase_add_loop_test(tc, q_lifo_forced, 0, 2);
	tcase_add_loop_test(tc, q_lifo_sentinel_first, 0, 2);
	tcase_add_loop_test(tc, q_priority_forced, 0, 2);
	tc = th_tcase(s, "blocking", 120);
	tcase_add_loop_test(tc, q_get_blocks_on_empty, 0, 2);
	tcase_add_loop_test(tc, q_put_blocks_when_full, 0, 2);
	tcase_add_loop_test(tc, q_bounded_every_step, 0, 2);
	tc = th_tcase(s, "end", 120);
	tcase_add_loop_test(tc, q_none_stepped, 0, 2);
	tcase_add_loop_test(tc, q_none_free, 0, 2);
	tcase_add_loop_test(tc, q_sentinel_short_random, 0, 2);
	tcase_add_loop_test(tc, q_sentinel_short_free, 0, 2);
	tcase_add_loop_test(tc, q_join_random, 0, 2);
	tcase_add_loop_test(tc, q_join_free, 0, 2);
	tcase_add_loop_test(tc, q_join_daemon_forced, 0, 2);
	tcase_add_loop_test(tc, q_task_done_refused, 0, 2);
	tc = th_tcase(s, "free", 120);
	tcase_add_loop_test(tc, q_free_invariants, 0, 2);
	tcase_add_loop_test(tc, q_walkthroughs_exact, 0, 2);
	return s;
}
