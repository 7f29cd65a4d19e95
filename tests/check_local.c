/*
 * check_local.c - threading.local against a plain global.  With the local
 * the interleaving that breaks the global (both store, then both read) is
 * forced and each thread still reads its own; with the global it is forced
 * and Thread-1 greets Bob.  In processes the global is a copy per process:
 * the same schedule greets correctly.  Random and free runs of the local
 * never mix names up, in threads and processes.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "lockstep/model.h"
#include "engine/run.h"
#include "suites.h"

static struct ls_run *
lc_start(const char *args, long *p, enum ls_actor_kind kind)
{
	const struct ls_scenario *s = th_scenario("local", p, args);
	struct ls_run *r = th_start(s, p, kind, LS_POLICY_STEP, 1);

	th_wait_parked(r);
	return r;
}

/* T1 stores, T2 stores, then both read: each its own. */
START_TEST(lc_local_own_values)
{
	long p[LS_PARAMS_MAX];
	struct ls_run *r = lc_start("students=2 shared=0", p, th_kind(_i));
	const struct ls_model *m = ls_run_model(r);
	int o = ls_model_find(m, "local_school.student");
	struct ls_verdict v;
	long val;
	int steps = 0;

	ck_assert_int_ge(o, 0);
	ck_assert_int_eq(m->objs[o].kind, LS_OBJ_LOCAL);
	ck_assert_int_eq(ls_model_local(m, o, 0, &val), 0);   /* nothing stored yet */
	th_step(r, 0);   /* Thread-1: local_school.student = Alice */
	th_step(r, 1);   /* Thread-2: local_school.student = Bob */
	ck_assert_int_eq(ls_model_local(m, o, 0, &val), 1);
	ck_assert_int_eq(val, 1);
	ck_assert_int_eq(ls_model_local(m, o, 1, &val), 1);
	ck_assert_int_eq(val, 2);
	th_step(r, 0);   /* Thread-1 reads back: its own */
	ck_assert_int_eq(m->actors[0].op, LS_OP_SAY);
	th_run_out(r, &steps, 10);
	ck_assert_int_eq(steps, 3);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ck_assert_int_eq(th_said(m, "Hello, Alice (in Thread-1)"), 1);
	ck_assert_int_eq(th_said(m, "Hello, Bob (in Thread-2)"), 1);
	/* A thread's values end with it. */
	ck_assert_int_eq(ls_model_local(m, o, 0, &val), 0);
	/* Only each actor's own slot: nothing for the race detector. */
	const struct ls_race *races;
	ck_assert_uint_eq(ls_run_races(r, &races), 0);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "greeted"), 2);
	ck_assert_double_eq(th_figure(&v, "wrong"), 0);
	ls_run_free(r);
}
END_TEST

/* The same schedule over a plain global in threads: Thread-1 greets Bob. */
START_TEST(lc_shared_global_mixes_up)
{
	long p[LS_PARAMS_MAX];
	struct ls_run *r = lc_start("students=2 shared=1", p, LS_ACTORS_THREADS);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;
	int steps = 0;

	th_step(r, 0);   /* student = Alice */
	th_step(r, 1);   /* student = Bob */
	th_step(r, 0);   /* Thread-1 reads Bob */
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 0);   /* decided at the first wrong read */
	th_run_out(r, &steps, 10);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ck_assert_int_eq(ls_model_var(m, "student"), 2);
	ck_assert_int_eq(th_said(m, "Hello, Bob (in Thread-1)"), 1);
	ck_assert_int_eq(th_said(m, "Hello, Bob (in Thread-2)"), 1);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 0);
	ck_assert_msg(strstr(v.summary, "Thread-1 stored Alice, but read back Bob") != NULL,
	              "summary: %s", v.summary);
	ck_assert_double_eq(th_figure(&v, "wrong"), 1);
	ls_run_free(r);
}
END_TEST

/* Processes: the global is copied at fork; the same schedule is harmless. */
START_TEST(lc_shared_processes_copies)
{
	long p[LS_PARAMS_MAX];
	struct ls_run *r = lc_start("students=2 shared=1", p, LS_ACTORS_PROCESSES);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;
	int steps = 0;

	th_step(r, 0);
	th_step(r, 1);
	th_step(r, 0);
	th_run_out(r, &steps, 10);
	ck_assert_int_eq(th_said(m, "Hello, Alice (in Thread-1)"), 1);
	ck_assert_int_eq(th_said(m, "Hello, Bob (in Thread-2)"), 1);
	ck_assert_int_eq(ls_model_var(m, "student"), 0);   /* the shared one is never touched */
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_ptr_nonnull(strstr(v.summary, "one copy per process"));
	ck_assert_double_eq(th_figure(&v, "wrong"), 0);
	ls_run_free(r);
}
END_TEST

/* Random schedules of eight students: the local never mixes them up.
 * Loop index: seed, odd ones in processes. */
START_TEST(lc_random_local)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_scenario("local", p, "students=8 shared=0");
	struct ls_run *r = th_start(s, p, th_kind(_i & 1), LS_POLICY_RANDOM, (uint64_t)_i);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "greeted"), 8);
	ck_assert_double_eq(th_figure(&v, "wrong"), 0);
	ls_run_free(r);
}
END_TEST

/* Free runs, both variants: each greets once; the local never wrongly. */
START_TEST(lc_free)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_scenario("local", p, (_i & 2) ? "students=8 shared=1"
	                                                               : "students=8 shared=0");
	struct ls_run *r = th_start(s, p, th_kind(_i & 1), LS_POLICY_FREE, 1);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	ck_assert_double_eq(th_figure(&v, "greeted"), 8);
	if (!(_i & 2) || (_i & 1))   /* a thread-local, or a copy per process */
		ck_assert_double_eq(th_figure(&v, "wrong"), 0);
	ck_assert_int_eq(th_said(ls_run_model(r), "Hello, "), 8);
	ls_run_free(r);
}
END_TEST

Suite *
local_suite(void)
{
	Suite *s = suite_create("local");
	TCase *tc = th_tcase(s, "stepped", 30);

	tcase_add_loop_test(tc, lc_local_own_values, 0, 2);
	tcase_add_test(tc, lc_shared_global_mixes_up);
	tcase_add_test(tc, lc_shared_processes_copies);
	tc = th_tcase(s, "runs", 60);
	tcase_add_loop_test(tc, lc_random_local, 1, 21);
	tcase_add_loop_test(tc, lc_free, 0, 4);
	return s;
}
