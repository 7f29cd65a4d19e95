/*
 * check_manager.c - the Manager lesson.  The server is a real actor (a
 * process when the clients are) that owns the dict; each request is one
 * message there and one back.  A forced interleaving - both clients get
 * 100, both set 99 - loses a decrement, in threads and in processes; with
 * the lock no schedule tried loses one, and free runs of 100 clients end at
 * exactly 0.  Unlocked free runs end somewhere in range, consistently
 * reported.  After every run, and after one stopped half way, no process
 * and no descriptor is left.
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
#include "suites.h"

enum { MAIN, SERVER, P1, P2 };   /* actor ids: main, the server, the clients */

/* One request of a client, stepped: its send, the server's receive and
 * reply, its receive. */
static void
mgr_request(struct ls_run *r, int client)
{
	th_step(r, client);
	th_step(r, SERVER);
	th_step(r, SERVER);
	th_step(r, client);
}

/* Both get 100 before either sets: both set 99, one decrement lost. */
START_TEST(mgr_forced_lost_decrement)
{
	int fds = th_open_fds();
	long p[8];
	const struct ls_scenario *s = th_scenario("manager", p, "clients=2 start=100 locked=0");
	struct ls_run *r = th_start(s, p, th_kind(_i), LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;

	th_wait_parked(r);
	/* The server waits for a request; main waits to join P1. */
	ck_assert_int_eq(ls_model_can_proceed(m, SERVER), 0);
	ck_assert_int_eq(ls_model_can_proceed(m, MAIN), 0);
	mgr_request(r, P1);   /* get -> 100 */
	mgr_request(r, P2);   /* get -> 100 */
	mgr_request(r, P1);   /* set 99 */
	mgr_request(r, P2);   /* set 99 */
	int steps = 0;
	th_run_out(r, &steps, 40);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ck_assert_int_eq(th_said(m, "{'count': 99}"), 1);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 0);
	ck_assert_double_eq(th_figure(&v, "count"), 99);
	ck_assert_double_eq(th_figure(&v, "expected"), 98);
	ck_assert_double_eq(th_figure(&v, "lost"), 1);
	ck_assert_double_eq(th_figure(&v, "stale_sets"), 1);
	ck_assert_double_eq(th_figure(&v, "requests"), 4);
	ck_assert_ptr_nonnull(strstr(v.summary, "two of them"));
	/* Each request was whole: every get the server took was answered
	 * before it took the next request. */
	int taken = 0, answered = 0;
	for (uint64_t i = ls_model_history_first(m); i < m->nhistory; i++) {
		const struct ls_event *e = ls_model_history_at(m, i);
		if (e->actor != SERVER || e->phase != LS_PH_DONE)
			continue;
		if (e->op == LS_OP_PIPE_RECV)
			ck_assert_int_eq(taken++, answered);
		else if (e->op == LS_OP_PIPE_SEND)
			ck_assert_int_eq(++answered, taken);
	}
	ck_assert_int_eq(taken, 6);   /* 4 from the clients, main's get and stop */
	ls_run_free(r);
	th_nothing_left(fds);
}
END_TEST

/* The same two clients one after the other: nothing lost. */
START_TEST(mgr_serial_keeps_count)
{
	long p[8];
	const struct ls_scenario *s = th_scenario("manager", p, "clients=2 start=100 locked=0");
	struct ls_run *r = th_start(s, p, th_kind(_i), LS_POLICY_STEP, 1);
	struct ls_verdict v;

	th_wait_parked(r);
	mgr_request(r, P1);
	mgr_request(r, P1);
	mgr_request(r, P2);
	mgr_request(r, P2);
	int steps = 0;
	th_run_out(r, &steps, 40);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "count"), 98);
	ls_run_free(r);
}
END_TEST

/* With the lock, no random schedule loses a decrement. */
START_TEST(mgr_locked_random)
{
	long p[8];
	const struct ls_scenario *s = th_scenario("manager", p, "clients=6 start=100 locked=1");
	struct ls_run *r = th_start(s, p, th_kind(_i & 1), LS_POLICY_RANDOM, (uint64_t)_i + 1);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "count"), 94);
	ck_assert_double_eq(th_figure(&v, "stale_sets"), 0);
	ls_run_free(r);
}
END_TEST

/* Without it, random schedules lose some, and say so consistently. */
START_TEST(mgr_unlocked_random)
{
	long p[8];
	const struct ls_scenario *s = th_scenario("manager", p, "clients=6 start=100 locked=0");
	struct ls_run *r = th_start(s, p, th_kind(_i & 1), LS_POLICY_RANDOM, (uint64_t)_i + 1);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	double count = th_figure(&v, "count");
	ck_assert(count >= 94 && count <= 99);
	ck_assert_int_eq(v.ok, count == 94);
	ck_assert_double_eq(th_figure(&v, "lost"), count - 94);
	ck_assert_int_eq(th_said(ls_run_model(r), "{'count': "), 1);
	ls_run_free(r);
}
END_TEST

/* The tutorial's size, free: 100 clients, locked exact, unlocked in range. */
START_TEST(mgr_free_hundred)
{
	int fds = th_open_fds();
	long p[8];
	enum ls_actor_kind kind = th_kind(_i & 1);
	int locked = (_i >> 1) & 1;
	char args[64];
	struct ls_verdict v;

	snprintf(args, sizeof args, "clients=100 start=100 locked=%d", locked);
	const struct ls_scenario *s = th_scenario("manager", p, args);
	struct ls_run *r = th_start(s, p, kind, LS_POLICY_FREE, 1);
	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	const struct ls_model *m = ls_run_model(r);
	ck_assert_int_eq(m->dropped, 0);
	ls_run_verdict(r, &v);
	double count = th_figure(&v, "count");
	ck_assert_double_eq(th_figure(&v, "requests"), 200);
	if (locked) {
		ck_assert_int_eq(v.ok, 1);
		ck_assert_double_eq(count, 0);
	} else {
		ck_assert(count >= 0 && count <= 99);
		ck_assert_int_eq(v.ok, count == 0);
	}
	/* The server really is another process when the clients are. */
	if (kind == LS_ACTORS_PROCESSES) {
		int server = ls_run_actor_os_id(r, SERVER);
		ck_assert_int_gt(server, 0);
		ck_assert_int_ne(server, getpid());
		ck_assert_int_ne(server, ls_run_actor_os_id(r, P1));
	}
	ls_run_free(r);
	th_nothing_left(fds);
}
END_TEST

/* Stopped half way: the server and the clients are gone, the sockets closed. */
START_TEST(mgr_abort_leaves_nothing)
{
	int fds = th_open_fds();
	long p[8];
	const struct ls_scenario *s = th_scenario("manager", p, "clients=100 locked=1");
	struct ls_run *r = th_start(s, p, th_kind(_i), LS_POLICY_FREE, 1);

	ls_run_poll(r, 20);
	ls_run_abort(r);
	ls_run_free(r);
	th_nothing_left(fds);

	/* And a stepped run freed while the server waits for requests. */
	r = th_start(s, p, th_kind(_i), LS_POLICY_STEP, 1);
	th_wait_parked(r);
	th_step(r, P1);
	ls_run_free(r);
	th_nothing_left(fds);
}
END_TEST

/* program=list (004): P2's append reaches the server before P1's; every
 * append is kept, in the order they arrived; d holds a key per pid (one
 * for threads: one process, one pid). */
START_TEST(mgr_list_forced_order)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_scenario("manager", p, "clients=2 program=list");
	struct ls_run *r = th_start(s, p, th_kind(_i), LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;
	char want[96];
	int steps = 0;

	th_wait_parked(r);
	mgr_request(r, P2);   /* d[pid] = pid */
	mgr_request(r, P2);   /* l.append(pid) */
	mgr_request(r, P1);
	mgr_request(r, P1);
	th_run_out(r, &steps, 400);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "appends"), 2);
	ck_assert_double_eq(th_figure(&v, "list_len"), 7);
	ck_assert_double_eq(th_figure(&v, "dict_sets"), 2);
	ck_assert_double_eq(th_figure(&v, "out_of_order"), 1);
	int pid1 = th_kind(_i) == LS_ACTORS_PROCESSES ? m->actors[P1].os_id : (int)getpid();
	int pid2 = th_kind(_i) == LS_ACTORS_PROCESSES ? m->actors[P2].os_id : (int)getpid();
	snprintf(want, sizeof want, "[0, 1, 2, 3, 4, %d, %d]", pid2, pid1);
	ck_assert_str_eq(m->output[(m->noutput - 1) % LS_OUTPUT_LINES].text, want);
	if (th_kind(_i) == LS_ACTORS_PROCESSES)
		snprintf(want, sizeof want, "{%d: %d, %d: %d}", pid2, pid2, pid1, pid1);
	else   /* threads share their process's pid: one key */
		snprintf(want, sizeof want, "{%d: %d}", pid1, pid1);
	ck_assert_str_eq(m->output[(m->noutput - 2) % LS_OUTPUT_LINES].text, want);
	ls_run_free(r);
}
END_TEST

/* program=list under random schedules: never an append lost. */
START_TEST(mgr_list_random)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_scenario("manager", p, "clients=4 program=list");
	struct ls_run *r = th_start(s, p, th_kind(_i & 1), LS_POLICY_RANDOM, (uint64_t)_i + 1);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "appends"), 4);
	ck_assert_double_eq(th_figure(&v, "list_len"), 9);
	ls_run_free(r);
}
END_TEST

Suite *
manager_suite(void)
{
	Suite *s = suite_create("manager");
	TCase *tc = th_tcase(s, "forced", 60);

	tcase_add_loop_test(tc, mgr_forced_lost_decrement, 0, 2);
	tcase_add_loop_test(tc, mgr_serial_keeps_count, 0, 2);
	tcase_add_loop_test(tc, mgr_locked_random, 0, 8);
	tcase_add_loop_test(tc, mgr_unlocked_random, 0, 8);
	tcase_add_loop_test(tc, mgr_list_forced_order, 0, 2);
	tcase_add_loop_test(tc, mgr_list_random, 0, 6);

	tc = th_tcase(s, "free", 120);
	tcase_add_loop_test(tc, mgr_free_hundred, 0, 4);
	tcase_add_loop_test(tc, mgr_abort_leaves_nothing, 0, 2);
	return s;
}
