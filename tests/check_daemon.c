/*
 * check_daemon.c - join and daemon workers.  Stepped: with join main's line
 * comes after every "task done"; without join main prints first and the run
 * waits for the workers; daemons are cut off the moment main ends, each
 * where it was parked (the model names the operation and line).  Free runs
 * with long sleeps: daemons are all cut off, and the run does not wait
 * their sleep out.  A daemon process is refused a child (child=1), a daemon
 * thread is not.  Threads and processes.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "lockstep/model.h"
#include "engine/run.h"
#include "suites.h"

enum { DM_MAIN, DM_T1, DM_T2 };

static struct ls_run *
dm_start(const char *args, long *p, int i)
{
	const struct ls_scenario *s = th_scenario("daemon", p, args);
	struct ls_run *r = th_start(s, p, th_kind(i), LS_POLICY_STEP, 1);

	th_wait_parked(r);
	return r;
}

/* join: main cannot move past a join until that worker is done. */
START_TEST(dm_join_waits)
{
	long p[LS_PARAMS_MAX];
	struct ls_run *r = dm_start("threads=2 sleep_ms=2000 join=1 daemon=0", p, _i);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;
	int steps = 0;

	ck_assert_int_eq(ls_run_step(r, DM_MAIN), -1);   /* join t-1: not done */
	th_step(r, DM_T1);
	th_step(r, DM_T1);
	th_step(r, DM_T1);   /* task done t-1, and it ends */
	th_step(r, DM_MAIN); /* join t-1 returns */
	ck_assert_int_eq(ls_run_step(r, DM_MAIN), -1);   /* join t-2 */
	th_run_out(r, &steps, 20);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ck_assert_int_eq(m->actors[DM_T2].cut, 0);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "done_before"), 2);
	ck_assert_double_eq(th_figure(&v, "done_after"), 0);
	ck_assert_double_eq(th_figure(&v, "cut"), 0);
	/* main's line is the last one said. */
	ck_assert_ptr_nonnull(strstr(m->output[(m->noutput - 1) % LS_OUTPUT_LINES].text,
	                             "all threads has finished"));
	ls_run_free(r);
}
END_TEST

/* No join, not daemons: main prints first, the run still waits for both. */
START_TEST(dm_nojoin_waits_for_workers)
{
	long p[LS_PARAMS_MAX];
	struct ls_run *r = dm_start("threads=2 sleep_ms=2000 join=0 daemon=0", p, _i);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;
	int steps = 0;

	th_step(r, DM_MAIN);   /* all threads has finished... (not true) */
	ck_assert_int_eq(m->actors[DM_MAIN].state, LS_AS_DONE);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_RUNNING);
	th_run_out(r, &steps, 20);
	ck_assert_int_eq(steps, 6);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ck_assert_int_eq(th_said(m, "task done"), 2);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "done_after"), 2);
	ck_assert_double_eq(th_figure(&v, "cut"), 0);
	ls_run_free(r);
}
END_TEST

/* Daemons: main ends, and t-1 (parked at its sleep) and t-2 (parked at its
 * first line) are cut off there. */
START_TEST(dm_daemons_cut_off)
{
	long p[LS_PARAMS_MAX];
	struct ls_run *r = dm_start("threads=2 sleep_ms=2000 join=0 daemon=1", p, _i);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;
	char d[160];

	th_step(r, DM_T1);     /* task t-1 */
	ck_assert_int_eq(m->actors[DM_T1].op, LS_OP_SLEEP);
	int sleep_line = m->actors[DM_T1].line;
	th_step(r, DM_MAIN);   /* main prints and ends: only daemons are left */
	for (int k = 0; k < 100 && ls_run_status(r) == LS_RUN_RUNNING; k++)
		ls_run_poll(r, 50);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ck_assert_int_eq(m->actors[DM_T1].state, LS_AS_DONE);
	ck_assert_int_eq(m->actors[DM_T1].cut, 1);
	ck_assert_int_eq(m->actors[DM_T1].line, sleep_line);
	ck_assert_int_eq(m->actors[DM_T2].cut, 1);
	ck_assert_int_eq(m->actors[DM_T2].op, LS_OP_SAY);
	ls_model_describe(m, DM_T1, d, sizeof d);
	ck_assert_msg(strstr(d, "cut off at line") && strstr(d, "sleep"), "t-1: %s", d);
	ck_assert_int_eq(th_said(m, "task done"), 0);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "cut"), 2);
	ck_assert_double_eq(th_figure(&v, "done_before") + th_figure(&v, "done_after"), 0);
	char want[32];
	snprintf(want, sizeof want, "t-1 at line %d", sleep_line);
	ck_assert_msg(strstr(v.summary, want) != NULL, "summary: %s", v.summary);
	ck_assert_msg(strstr(v.summary, "1 before printing anything") != NULL, "summary: %s",
	              v.summary);
	ls_run_free(r);
}
END_TEST

/* A daemon that finished before main ended is not cut off. */
START_TEST(dm_daemon_in_time)
{
	long p[LS_PARAMS_MAX];
	struct ls_run *r = dm_start("threads=1 sleep_ms=2000 join=0 daemon=1", p, _i);
	struct ls_verdict v;

	th_step(r, DM_T1);
	th_step(r, DM_T1);
	th_step(r, DM_T1);
	th_step(r, DM_MAIN);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 0);   /* the lesson did not show this time */
	ck_assert_ptr_nonnull(strstr(v.summary, "none was cut off"));
	ck_assert_double_eq(th_figure(&v, "cut"), 0);
	ck_assert_double_eq(th_figure(&v, "done_before"), 1);
	ls_run_free(r);
}
END_TEST

/* child=1: a daemon process is refused a child (multiprocessing's
 * AssertionError), with the reason in the log; a daemon thread is not. */
START_TEST(dm_daemon_child)
{
	long p[LS_PARAMS_MAX];
	struct ls_run *r = dm_start("threads=2 sleep_ms=2000 join=1 daemon=1 child=1", p, _i);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;
	int steps = 0, refusals = 0;
	char text[256];

	th_step(r, DM_T1);   /* task t-1 */
	th_step(r, DM_T1);   /* Process(...).start() */
	th_run_out(r, &steps, 60);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	for (uint64_t i = ls_model_history_first(m); i < m->nhistory; i++) {
		const struct ls_event *e = ls_model_history_at(m, i);
		if (e->op != LS_OP_SPAWN || e->phase != LS_PH_FAIL)
			continue;
		ck_assert_int_eq(e->u.v.b, LS_REFUSED_DAEMON);
		ck_assert_int_eq(ls_model_event_text(m, e, text, sizeof text), 1);
		ck_assert_ptr_nonnull(strstr(text, "daemonic processes are not allowed to have children"));
		refusals++;
	}
	if (th_kind(_i) == LS_ACTORS_PROCESSES) {
		ck_assert_int_eq(refusals, 2);
		ck_assert_double_eq(th_figure(&v, "refused"), 2);
		ck_assert_double_eq(th_figure(&v, "children"), 0);
		ck_assert_int_eq(th_said(m, "task done"), 0);
		ck_assert_int_eq(th_said(m, "AssertionError"), 2);
		ck_assert_ptr_nonnull(strstr(v.summary, "not allowed to have children"));
	} else {   /* a daemon thread may start a process */
		ck_assert_int_eq(refusals, 0);
		ck_assert_double_eq(th_figure(&v, "children"), 2);
		ck_assert_double_eq(th_figure(&v, "refused"), 0);
		ck_assert_double_eq(th_figure(&v, "done_before"), 2);
	}
	ls_run_free(r);
}
END_TEST

/* A process that is not a daemon may start children: free, both kinds. */
START_TEST(dm_child_allowed)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_scenario("daemon", p,
	                                          "threads=4 sleep_ms=1 join=1 daemon=0 child=1");
	struct ls_run *r = th_start(s, p, th_kind(_i), LS_POLICY_FREE, 1);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "children"), 4);
	ck_assert_double_eq(th_figure(&v, "refused"), 0);
	ck_assert_int_eq(th_said(ls_run_model(r), "'s child ran: pid"), 4);
	ls_run_free(r);
}
END_TEST

/* Free runs. Bit 0: processes; bits 1-2: join, no join, daemons. */
START_TEST(dm_free)
{
	long p[LS_PARAMS_MAX];
	int variant = _i >> 1;
	static const char *const args[] = {
		"threads=5 sleep_ms=100 join=1 daemon=0",
		"threads=5 sleep_ms=100 join=0 daemon=0",
		"threads=5 sleep_ms=60000 join=0 daemon=1",
	};
	const struct ls_scenario *s = th_scenario("daemon", p, args[variant]);
	struct ls_run *r = th_start(s, p, th_kind(_i & 1), LS_POLICY_FREE, 1);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	ck_assert_double_eq(th_figure(&v, "main_said"), 1);
	if (variant == 0)
		ck_assert_double_eq(th_figure(&v, "done_before"), 5);
	if (variant == 1)
		ck_assert_double_eq(th_figure(&v, "done_before") + th_figure(&v, "done_after"), 5);
	if (variant < 2)
		ck_assert_int_eq(v.ok, 1);
	if (variant == 2) {   /* a minute's sleep: cut off long before */
		ck_assert_int_eq(v.ok, 1);
		ck_assert_double_eq(th_figure(&v, "cut"), 5);
		ck_assert(ls_run_elapsed_ms(r) < 30000);
	}
	ls_run_free(r);
}
END_TEST

Suite *
daemon_suite(void)
{
	Suite *s = suite_create("daemon");
	TCase *tc = th_tcase(s, "stepped", 30);

	tcase_add_loop_test(tc, dm_join_waits, 0, 2);
	tcase_add_loop_test(tc, dm_nojoin_waits_for_workers, 0, 2);
	tcase_add_loop_test(tc, dm_daemons_cut_off, 0, 2);
	tcase_add_loop_test(tc, dm_daemon_in_time, 0, 2);
	tcase_add_loop_test(tc, dm_daemon_child, 0, 2);
	tc = th_tcase(s, "free", 60);
	tcase_add_loop_test(tc, dm_free, 0, 6);
	tcase_add_loop_test(tc, dm_child_allowed, 0, 2);
	return s;
}
