/*
 * check_distributed.c - the distributed lesson: a master, the manager's
 * server and workers over a real TCP listener.  Stepped schedules prove
 * every task's result comes back (each the square of a task put); a worker
 * with the wrong key is refused at its authentication and never served; a
 * worker killed in its first task loses it (a deadlock naming the task)
 * unless the server requeues it; when the master shuts the manager down,
 * workers waiting for tasks end.  After every run nothing listens at the
 * port, no process is left and no descriptor is open.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "lockstep/model.h"
#include "engine/run.h"
#include "explore/explore.h"
#include "suites.h"

enum { MASTER, SERVER, W1, W2, W3 };

/* Is anything in state LISTEN at this TCP port (IPv4)? */
static int
dist_listening(int port)
{
	FILE *f = fopen("/proc/net/tcp", "r");
	char line[512];
	int found = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof line, f)) {
		unsigned lport, st;
		if (sscanf(line, " %*d: %*x:%x %*x:%*x %x", &lport, &st) == 2 &&
		    (int)lport == port && st == 0x0A)
			found = 1;
	}
	fclose(f);
	return found;
}

static void
dist_nothing_left(int fds_before, int port)
{
	th_nothing_left(fds_before);
	if (port > 0)
		ck_assert_msg(!dist_listening(port), "port %d still listens", port);
}

/* The squares the master received, each of a task it put. */
static void
dist_check_results(const struct ls_model *m, long tasks)
{
	int64_t put[64];
	long nput = 0, ngot = 0;

	for (uint64_t i = ls_model_history_first(m); i < m->nhistory; i++) {
		const struct ls_event *e = ls_model_history_at(m, i);
		if (e->actor != MASTER || e->phase != LS_PH_DONE)
			continue;
		if (e->op == LS_OP_NET_SEND && LS_PIPE_TAG(e->u.v.a) == LS_MSG_PUT && nput < 64)
			put[nput++] = e->u.v.b;
		if (e->op == LS_OP_NET_RECV && LS_PIPE_TAG(e->u.v.a) == LS_MSG_RESULT) {
			int found = 0;
			for (long k = 0; k < nput && !found; k++)
				if (put[k] >= 0 && put[k] * put[k] == e->u.v.b) {
					put[k] = -1;
					found = 1;
				}
			ck_assert_msg(found, "result %lld is no task's square", (long long)e->u.v.b);
			ngot++;
		}
	}
	ck_assert_int_eq(nput, tasks);
	ck_assert_int_eq(ngot, tasks);
}

/* Stepped, one actor at a time: every task's result comes back. */
START_TEST(dist_stepped_every_result)
{
	int fds = th_open_fds();
	long p[16];
	const struct ls_scenario *s = th_scenario("distributed", p, "workers=2 tasks=4 delay_ms=0");
	struct ls_run *r = th_start(s, p, th_kind(_i), LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;

	th_wait_parked(r);
	/* Nobody listens yet: the workers' connect waits for the server. */
	ck_assert_int_eq(ls_model_can_proceed(m, SERVER), 1);
	th_step(r, W1);       /* says it connects */
	ck_assert_int_eq(ls_model_can_proceed(m, W1), 0);   /* nobody listens yet */
	th_step(r, SERVER);   /* listen */
	ck_assert_int_eq(ls_model_can_proceed(m, W1), 1);
	th_step(r, W1);       /* connect */
	ck_assert_int_eq(m->objs[ls_model_find(m, "net")].net->connects, 1);
	int steps = 0;
	th_run_out(r, &steps, 400);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "results"), 4);
	ck_assert_double_eq(th_figure(&v, "connections"), 3);
	ck_assert_double_eq(th_figure(&v, "listening"), 0);
	int port = (int)th_figure(&v, "port");
	ck_assert_int_gt(port, 0);
	dist_check_results(m, 4);
	ck_assert_int_eq(th_said(m, "master end"), 1);
	ls_run_free(r);
	dist_nothing_left(fds, port);
}
END_TEST

/* The wrong key: W2's authentication fails with the reason; never served. */
START_TEST(dist_wrong_key_refused)
{
	int fds = th_open_fds();
	long p[16];
	const struct ls_scenario *s =
		th_scenario("distributed", p, "workers=2 tasks=3 delay_ms=0 key_ok=0");
	struct ls_run *r = th_start(s, p, th_kind(_i & 1), _i < 2 ? LS_POLICY_STEP : LS_POLICY_RANDOM,
	                            (uint64_t)_i + 1);
	const struct ls_model *m;
	struct ls_verdict v;

	if (_i < 2) {
		int steps = 0;
		th_wait_parked(r);
		th_run_out(r, &steps, 400);
	} else {
		ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	}
	m = ls_run_model(r);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "refused"), 1);
	ck_assert_double_eq(th_figure(&v, "results"), 3);
	int w2_end = -1, failed = 0;
	for (uint64_t i = ls_model_history_first(m); i < m->nhistory; i++) {
		const struct ls_event *e = ls_model_history_at(m, i);
		if (e->actor == W2 && e->op == LS_OP_NET_CONNECT && e->phase == LS_PH_DONE)
			w2_end = ls_pipe_end((int)e->u.v.a, 0);
		if (e->actor == W2 && e->op == LS_OP_NET_AUTH && e->phase != LS_PH_BEGIN &&
		    e->phase != LS_PH_BLOCK) {
			ck_assert_int_eq(e->phase, LS_PH_FAIL);
			ck_assert_int_eq(e->u.v.b, LS_NET_WHY_KEY);
			failed = 1;
		}
		/* The server never hands W2's connection a task. */
		if (e->actor == SERVER && e->op == LS_OP_NET_SEND && e->phase == LS_PH_DONE &&
		    LS_PIPE_END(e->u.v.a) == w2_end)
			ck_assert_int_ne(LS_PIPE_TAG(e->u.v.a), LS_MSG_TASK);
	}
	ck_assert_int_ge(w2_end, 0);
	ck_assert_int_eq(failed, 1);
	ck_assert_int_eq(th_said(m, "AuthenticationError"), 1);
	ck_assert_ptr_nonnull(strstr(v.summary, "wrong key"));
	char text[256];
	for (uint64_t i = ls_model_history_first(m); i < m->nhistory; i++) {
		const struct ls_event *e = ls_model_history_at(m, i);
		if (e->actor == W2 && e->op == LS_OP_NET_AUTH && e->phase == LS_PH_FAIL) {
			ls_model_event_text(m, e, text, sizeof text);
			ck_assert_ptr_nonnull(strstr(text, "wrong key"));
		}
	}
	int port = (int)th_figure(&v, "port");
	ls_run_free(r);
	dist_nothing_left(fds, port);
}
END_TEST

/* Killed in its first task without requeue: that task is lost, the master
 * waits for ever (a deadlock), the verdict names the task. */
START_TEST(dist_killed_task_lost)
{
	int fds = th_open_fds();
	long p[16];
	const struct ls_scenario *s =
		th_scenario("distributed", p, "workers=2 tasks=3 delay_ms=0 kill=1 requeue=0");
	struct ls_run *r = th_start(s, p, th_kind(_i & 1), _i < 2 ? LS_POLICY_FREE : LS_POLICY_RANDOM,
	                            (uint64_t)_i + 1);
	struct ls_verdict v;

	enum ls_run_status st = ls_run_finish(r);
	ls_run_verdict(r, &v);
	if (st == LS_RUN_FINISHED) {
		/* Only when W1 never got a task (the others took them all): then
		 * it dies never, and nothing is lost. */
		const struct ls_model *m = ls_run_model(r);
		ck_assert_int_eq(v.ok, 1);
		ck_assert_double_eq(th_figure(&v, "lost"), 0);
		ck_assert_int_eq(m->ncrashed, 0);
		ck_assert_int_eq(th_said(m, "Run task"), 3);
		for (uint64_t i = ls_model_history_first(m); i < m->nhistory; i++) {
			const struct ls_event *e = ls_model_history_at(m, i);
			ck_assert(!(e->actor == W1 && e->op == LS_OP_NET_RECV && e->phase == LS_PH_DONE &&
			            LS_PIPE_TAG(e->u.v.a) == LS_MSG_TASK));
		}
		int port = (int)th_figure(&v, "port");
		ls_run_free(r);
		dist_nothing_left(fds, port);
		return;
	}
	ck_assert_int_eq(st, LS_RUN_DEADLOCK);
	ck_assert_int_eq(v.ok, 0);
	ck_assert_double_eq(th_figure(&v, "deadlock"), 1);
	ck_assert_double_eq(th_figure(&v, "lost"), 1);
	ck_assert_double_eq(th_figure(&v, "results"), 2);
	char task[32];
	snprintf(task, sizeof task, "task %.0f,", th_figure(&v, "lost_task"));
	ck_assert_msg(strstr(v.summary, task) != NULL, "'%s' not in '%s'", task, v.summary);
	ck_assert_int_eq(th_said(ls_run_model(r), "is lost"), 1);
	if (th_kind(_i & 1) == LS_ACTORS_PROCESSES)
		ck_assert_int_eq(ls_run_model(r)->ncrashed, 1);
	int port = (int)th_figure(&v, "port");
	ck_assert_int_gt(port, 0);
	ls_run_free(r);
	dist_nothing_left(fds, port);
}
END_TEST

/* With requeue=1 every task's result arrives, whatever the schedule. */
START_TEST(dist_killed_requeued)
{
	int fds = th_open_fds();
	long p[16];
	const struct ls_scenario *s =
		th_scenario("distributed", p, "workers=2 tasks=3 delay_ms=0 kill=1 requeue=1");
	struct ls_run *r = th_start(s, p, th_kind(_i & 1), _i < 2 ? LS_POLICY_FREE : LS_POLICY_RANDOM,
	                            (uint64_t)_i + 1);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "results"), 3);
	ck_assert_double_eq(th_figure(&v, "lost"), 0);
	dist_check_results(ls_run_model(r), 3);
	int port = (int)th_figure(&v, "port");
	ls_run_free(r);
	dist_nothing_left(fds, port);
}
END_TEST

/* The master shuts the manager down while workers wait for tasks: their
 * connections close and they end; nothing listens any more. */
START_TEST(dist_master_quits_workers_end)
{
	int fds = th_open_fds();
	long p[16];
	const struct ls_scenario *s = th_scenario("distributed", p, "workers=3 tasks=1 delay_ms=0");
	struct ls_run *r = th_start(s, p, th_kind(_i & 1), _i < 2 ? LS_POLICY_FREE : LS_POLICY_RANDOM,
	                            (uint64_t)_i + 1);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	/* One task, three workers: two (at least) never ran it and ended by the
	 * shutdown - waiting for a task (the manager is gone), or, in a free
	 * run, connecting only after it (refused): which, is the machine's. */
	ck_assert_int_ge(th_said(ls_run_model(r), "the manager is gone") +
	                 th_said(ls_run_model(r), "connection refused: nobody listens"), 2);
	ck_assert_double_eq(th_figure(&v, "listening"), 0);
	int port = (int)th_figure(&v, "port");
	ck_assert_msg(!dist_listening(port), "port %d still listens after shutdown", port);
	ls_run_free(r);
	dist_nothing_left(fds, port);
}
END_TEST

/* Quit half way (the TUI's q): nothing left listening, running or open. */
START_TEST(dist_abort_leaves_nothing)
{
	int fds = th_open_fds();
	long p[16];
	const struct ls_scenario *s = th_scenario("distributed", p, "workers=3 tasks=10 delay_ms=50");
	struct ls_run *r = th_start(s, p, th_kind(_i), LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);

	th_wait_parked(r);
	th_step(r, SERVER);   /* listen */
	th_step(r, W1);       /* connect */
	th_step(r, W2);
	int port = m->objs[ls_model_find(m, "net")].net->port;
	ck_assert_int_gt(port, 0);
	ck_assert(dist_listening(port));
	ls_run_free(r);
	dist_nothing_left(fds, port);

	r = th_start(s, p, th_kind(_i), LS_POLICY_FREE, 1);
	ls_run_poll(r, 100);
	ls_run_abort(r);
	ls_run_free(r);
	dist_nothing_left(fds, 0);
}
END_TEST

/*
 * Every interleaving of one worker and no task: the master's shutdown races
 * the worker's connect.  A connection made while the server still listens
 * but never accepted is reset by the kernel when the listener closes: the
 * worker reads an end of file and ends, so no schedule deadlocks (the model
 * once took that worker for stuck: the explorer found it).
 */
START_TEST(dist_explore_shutdown_race)
{
	long p[16];
	const struct ls_scenario *s = th_scenario("distributed", p, "workers=1 tasks=0 delay_ms=0");
	struct ls_explore_opts o;
	struct ls_explore_result res;
	char err[256] = "";
	int fds = th_open_fds();

	ls_explore_opts_default(&o, s);
	o.kind = LS_ACTORS_THREADS;
	o.max_runs = 5000;
	ck_assert_msg(ls_explore(s, p, &o, &res, err, sizeof err) == 0, "ls_explore: %s", err);
	ck_assert(res.complete);
	ck_assert_int_eq(res.diverged, 0);
	ck_assert_uint_gt(res.schedules, 1000000);
	for (size_t i = 0; i < res.noutcomes; i++) {
		ck_assert_msg(!res.outcomes[i].deadlock, "outcome %zu deadlocks", i);
		ck_assert_int_eq(res.outcomes[i].ok, 1);
	}
	ls_explore_result_free(&res);
	dist_nothing_left(fds, 0);
}
END_TEST

Suite *
distributed_suite(void)
{
	Suite *s = suite_create("distributed");
	TCase *tc = th_tcase(s, "stepped", 90);

	tcase_add_loop_test(tc, dist_stepped_every_result, 0, 2);
	tcase_add_loop_test(tc, dist_wrong_key_refused, 0, 6);

	tc = th_tcase(s, "kill", 120);
	tcase_add_loop_test(tc, dist_killed_task_lost, 0, 6);
	tcase_add_loop_test(tc, dist_killed_requeued, 0, 8);

	tc = th_tcase(s, "quit", 90);
	tcase_add_loop_test(tc, dist_master_quits_workers_end, 0, 6);
	tcase_add_loop_test(tc, dist_abort_leaves_nothing, 0, 2);

	tc = th_tcase(s, "explore", 120);
	tcase_add_test(tc, dist_explore_shutdown_race);
	return s;
}
