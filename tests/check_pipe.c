/*
 * check_pipe.c - the Pipe lesson, and the pipe object under it.  Controlled
 * schedules, in threads and in processes, force each point: recv() on an
 * empty pipe cannot move until the other end sends; messages arrive whole
 * and in order with real payload bytes; the room measured at creation is
 * exact (a granted send never blocks, the next one waits); both ends
 * sending a megabyte first is a deadlock the model reports.  Free runs are
 * bounded by the test's timeout, and after every run no child process and
 * no descriptor of the pipe is left.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "helpers.h"
#include "lockstep/model.h"
#include "engine/run.h"
#include "engine/world.h"
#include "suites.h"

enum { PARENT, CHILD };   /* actor ids: the roles' order */

static struct ls_run *
pipe_stepped(long *p, const char *args, int i)
{
	const struct ls_scenario *s = th_scenario("pipe", p, args);
	struct ls_run *r = th_start(s, p, th_kind(i), LS_POLICY_STEP, 1);

	th_wait_parked(r);
	return r;
}

static const struct ls_model_pipe *
pipe_of(const struct ls_model *m)
{
	int o = ls_model_find(m, "pipe");

	ck_assert_int_ge(o, 0);
	ck_assert_int_eq(m->objs[o].kind, LS_OBJ_PIPE);
	ck_assert_ptr_nonnull(m->objs[o].pipe);
	return m->objs[o].pipe;
}

static int
pipe_enabled(struct ls_run *r, int actor)
{
	int en[8], n = ls_run_enabled(r, en, 8);

	for (int k = 0; k < n; k++)
		if (en[k] == actor)
			return 1;
	return 0;
}

/* Values received at an end, in the order the model saw them. */
static int
pipe_received(const struct ls_model *m, int end, int64_t *out, int max)
{
	int n = 0;

	for (uint64_t i = ls_model_history_first(m); i < m->nhistory; i++) {
		const struct ls_event *e = ls_model_history_at(m, i);
		if (e->op == LS_OP_PIPE_RECV && e->phase == LS_PH_DONE &&
		    LS_PIPE_END(e->u.v.a) == end && n < max)
			out[n++] = e->u.v.b;
	}
	return n;
}

static int
pipe_count(const struct ls_model *m, int op, int phase)
{
	int n = 0;

	for (uint64_t i = ls_model_history_first(m); i < m->nhistory; i++)
		n += ls_model_history_at(m, i)->op == op && ls_model_history_at(m, i)->phase == phase;
	return n;
}

/* The tutorial's order: the parent's recv() waits for the child's send. */
START_TEST(pipe_recv_on_empty_blocks)
{
	int fds = th_open_fds();
	long p[8];
	struct ls_run *r = pipe_stepped(p, "child_msgs=2 parent_msgs=1 size=32 order=recv_first", _i);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;
	int o = ls_model_find(m, "pipe"), who[4];

	/* Parked before recv on the empty pipe: it cannot move, and waits on it. */
	ck_assert_int_eq(m->actors[PARENT].op, LS_OP_PIPE_RECV);
	ck_assert_int_eq(ls_model_can_proceed(m, PARENT), 0);
	ck_assert(!pipe_enabled(r, PARENT));
	ck_assert(pipe_enabled(r, CHILD));
	ck_assert_int_eq(ls_model_waiters(m, o, who, 4), 1);
	ck_assert_int_eq(who[0], PARENT);

	th_step(r, CHILD);   /* sends 42 */
	ck_assert_int_eq(pipe_of(m)->ends[CHILD].msgs, 1);
	ck_assert_int_eq(pipe_of(m)->ends[CHILD].bytes, 24 + 32);
	ck_assert(pipe_enabled(r, PARENT));
	th_step(r, PARENT);  /* receives it */
	ck_assert_int_eq(pipe_of(m)->ends[CHILD].msgs, 0);
	int64_t got[4];
	ck_assert_int_eq(pipe_received(m, PARENT, got, 4), 1);
	ck_assert_int_eq(got[0], 42);

	int steps = 0;
	th_run_out(r, &steps, 40);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ck_assert_int_eq(th_said(m, "from parent: 100"), 1);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "to_parent"), 2);
	ck_assert_double_eq(th_figure(&v, "to_child"), 1);
	ck_assert_double_eq(th_figure(&v, "bytes_in_flight"), 0);
	ck_assert_double_eq(th_figure(&v, "deadlock"), 0);
	ls_run_free(r);
	th_nothing_left(fds);
}
END_TEST

/*
 * Five messages of 5000 real bytes in flight at once, then received: whole
 * (the payload checked byte by byte), in order, counted in bytes.
 */
START_TEST(pipe_whole_and_in_order)
{
	int fds = th_open_fds();
	long p[8];
	struct ls_run *r = pipe_stepped(p, "child_msgs=5 parent_msgs=0 size=5000", _i);
	const struct ls_model *m = ls_run_model(r);
	const struct ls_model_pipe *pp = pipe_of(m);
	int64_t got[8];

	for (int k = 0; k < 5; k++)
		th_step(r, CHILD);
	ck_assert_int_eq(pp->ends[CHILD].msgs, 5);
	ck_assert_int_eq(pp->ends[CHILD].bytes, 5 * (24 + 5000));
	ck_assert_int_eq(pp->ends[CHILD].nlisted, 5);
	for (int k = 0; k < 5; k++) {
		ck_assert_int_eq(pp->ends[CHILD].listed[k].value, 42 + k);
		ck_assert_int_eq(pp->ends[CHILD].listed[k].size, 5000);
	}
	int steps = 0;
	th_run_out(r, &steps, 40);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ck_assert_int_eq(pipe_received(m, PARENT, got, 8), 5);
	for (int k = 0; k < 5; k++)
		ck_assert_int_eq(got[k], 42 + k);
	ck_assert_int_eq(pp->out_of_order, 0);
	ck_assert_int_eq(pp->torn, 0);
	ck_assert_int_eq(pipe_count(m, LS_OP_PIPE_SEND, LS_PH_BLOCK), 0);
	ls_run_free(r);
	th_nothing_left(fds);
}
END_TEST

/*
 * The room measured at creation is the room there is: a send the model
 * grants never blocks in the kernel, and the one after the last that fits
 * must wait until the parent receives one.
 */
START_TEST(pipe_room_is_exact)
{
	int fds = th_open_fds();
	long p[8];
	struct ls_run *r = pipe_stepped(p, "child_msgs=50 parent_msgs=0 size=8000", _i);
	const struct ls_model *m = ls_run_model(r);
	const struct ls_model_pipe *pp = pipe_of(m);
	long cap = pp->cap_msgs;

	ck_assert_int_gt(cap, 0);
	ck_assert_int_lt(cap, 50);
	for (long k = 0; k < cap; k++)
		th_step(r, CHILD);
	ck_assert_int_eq(pp->ends[CHILD].msgs, cap);
	ck_assert(!pipe_enabled(r, CHILD));       /* full: the next send waits */
	ck_assert_int_eq(ls_model_can_proceed(m, CHILD), 0);
	th_step(r, PARENT);                        /* receives one... */
	th_step(r, PARENT);                        /* ...and prints it */
	ck_assert(pipe_enabled(r, CHILD));        /* room for exactly one more */
	th_step(r, CHILD);
	ck_assert(!pipe_enabled(r, CHILD));
	ck_assert_int_eq(pipe_count(m, LS_OP_PIPE_SEND, LS_PH_BLOCK), 0);
	int steps = 0;
	th_run_out(r, &steps, 400);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	/* The whole run: the kernel never refused a send the model let start. */
	ck_assert_int_eq(pipe_count(m, LS_OP_PIPE_SEND, LS_PH_BLOCK), 0);
	ck_assert_int_eq(pp->ends[CHILD].received, 50);
	ck_assert_int_eq(pp->out_of_order, 0);
	ls_run_free(r);
	th_nothing_left(fds);
}
END_TEST

/* Both send a megabyte first: each blocks part way, and the model says deadlock. */
START_TEST(pipe_big_sends_deadlock)
{
	int fds = th_open_fds();
	long p[8];
	struct ls_run *r = pipe_stepped(p, "child_msgs=1 parent_msgs=1 size=1000000 "
	                                   "order=send_first", _i);
	const struct ls_model *m = ls_run_model(r);
	const struct ls_model_pipe *pp = pipe_of(m);
	struct ls_verdict v;

	ck_assert_int_eq(pp->cap_msgs, 0);   /* a megabyte never fits whole */
	th_step(r, PARENT);
	ck_assert_int_eq(m->actors[PARENT].state, LS_AS_BLOCKED);
	ck_assert_int_eq(pp->ends[PARENT].msgs, 1);
	ck_assert_int_gt(pp->ends[PARENT].bytes, 0);
	ck_assert_int_lt(pp->ends[PARENT].bytes, 1000000);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_RUNNING);
	th_step(r, CHILD);
	ck_assert_int_eq(m->actors[CHILD].state, LS_AS_BLOCKED);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_DEADLOCK);
	ck_assert_ptr_nonnull(strstr(ls_run_reason(r), "pipe 'pipe'"));
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 0);
	ck_assert_ptr_nonnull(strstr(v.summary, "deadlock"));
	ck_assert_double_eq(th_figure(&v, "deadlock"), 1);
	ck_assert_double_gt(th_figure(&v, "bytes_in_flight"), 0);
	ls_run_free(r);
	th_nothing_left(fds);
}
END_TEST

/* One end sends a megabyte the other receives: it goes through piece by
 * piece while both run, stepped as well as free. */
START_TEST(pipe_big_message_goes_through)
{
	int fds = th_open_fds();
	long p[8];
	struct ls_run *r = pipe_stepped(p, "child_msgs=2 parent_msgs=1 size=1000000", _i);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;

	th_step(r, CHILD);   /* part of 42 goes in; the child blocks */
	ck_assert_int_eq(m->actors[CHILD].state, LS_AS_BLOCKED);
	th_step(r, PARENT);  /* receives all of it, while the child writes the rest */
	ck_assert_int_eq(pipe_of(m)->ends[CHILD].received, 1);
	int steps = 0;
	th_run_out(r, &steps, 40);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_int_eq(pipe_of(m)->torn, 0);
	ls_run_free(r);
	th_nothing_left(fds);
}
END_TEST

/* Free runs: the kernel schedules; bounded by the test's timeout. */
START_TEST(pipe_free_runs)
{
	int fds = th_open_fds();
	enum ls_actor_kind kind = th_kind(_i & 1);
	long p[8];
	struct ls_verdict v;

	/* Many big messages one way while the other end reads them. */
	const struct ls_scenario *s = th_scenario("pipe", p, "child_msgs=20 parent_msgs=3 "
	                                          "size=300000 order=recv_first");
	struct ls_run *r = th_start(s, p, kind, LS_POLICY_FREE, 1);
	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_int_eq(pipe_of(ls_run_model(r))->ends[CHILD].received, 20);
	ls_run_free(r);
	th_nothing_left(fds);

	/* Small messages sent first both ways: the buffers hold them. */
	s = th_scenario("pipe", p, "child_msgs=5 parent_msgs=5 size=100 order=send_first");
	r = th_start(s, p, kind, LS_POLICY_FREE, 1);
	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ls_run_free(r);
	th_nothing_left(fds);

	/* Big ones: the kernel really blocks both, and the model says so. */
	s = th_scenario("pipe", p, "child_msgs=1 parent_msgs=1 size=1000000 order=send_first");
	r = th_start(s, p, kind, LS_POLICY_FREE, 1);
	ck_assert_int_eq(ls_run_finish(r), LS_RUN_DEADLOCK);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 0);
	ck_assert_double_eq(th_figure(&v, "deadlock"), 1);
	ls_run_free(r);
	th_nothing_left(fds);
}
END_TEST

/* Random schedules of the tutorial: every one finishes, in order. */
START_TEST(pipe_random_schedules)
{
	long p[8];
	const struct ls_scenario *s = th_scenario("pipe", p, "child_msgs=4 parent_msgs=3 size=2000");
	struct ls_run *r = th_start(s, p, th_kind(_i & 1), LS_POLICY_RANDOM, (uint64_t)_i + 1);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ls_run_free(r);
}
END_TEST

/* The pipe object alone: a bad end is refused, and sizes are bounded. */
START_TEST(pipe_object_bounds)
{
	struct ls_world *w = ls_world_new(1, 64);

	ck_assert_ptr_nonnull(w);
	ck_assert_ptr_null(ls_pipe_new(w, "p0", 0, 0));
	ck_assert_ptr_null(ls_pipe_new(w, "p1", 1, LS_PIPE_MSG_MAX + 1));
	ck_assert_ptr_null(ls_pipe_new(w, "p2", LS_PIPE_CONNS_MAX + 1, 0));
	ls_pipe *pp = ls_pipe_new(w, "p", 3, 100);
	ck_assert_ptr_nonnull(pp);
	int o = ls_world_find(w, "p");
	ck_assert_int_eq(w->objs[o].nconn, 3);
	ck_assert_int_gt(w->objs[o].cap_msgs, 10);
	ls_world_free(w);
}
END_TEST

Suite *
pipe_suite(void)
{
	Suite *s = suite_create("pipe");
	TCase *tc = th_tcase(s, "stepped", 60);

	tcase_add_loop_test(tc, pipe_recv_on_empty_blocks, 0, 2);
	tcase_add_loop_test(tc, pipe_whole_and_in_order, 0, 2);
	tcase_add_loop_test(tc, pipe_room_is_exact, 0, 2);
	tcase_add_loop_test(tc, pipe_big_sends_deadlock, 0, 2);
	tcase_add_loop_test(tc, pipe_big_message_goes_through, 0, 2);
	tcase_add_loop_test(tc, pipe_random_schedules, 0, 8);
	tcase_add_test(tc, pipe_object_bounds);

	tc = th_tcase(s, "free", 120);
	tcase_add_loop_test(tc, pipe_free_runs, 0, 2);
	return s;
}
