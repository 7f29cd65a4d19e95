/*
 * check_futures.c - concurrent.futures on the pool lesson's Pool object, in
 * threads (a ThreadPoolExecutor) and processes (a ProcessPoolExecutor).
 *
 * A forced schedule makes the tasks finish in the reverse of submission
 * order: as_completed hands main the results in that order (main's Result
 * lines), while Parallel's list stays in submission order.  Random and free
 * runs keep the pool's invariants on the trace: never more tasks running
 * than workers, each task run exactly once, every result taken by main in
 * the order the workers handed them back.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "lockstep/lesson.h"
#include "engine/run.h"
#include "engine/walk.h"
#include "pool_trace.h"
#include "suites.h"

#define P_GUARD 4000   /* more steps than any run here takes */

static struct ls_run *
p_start(const char *args, enum ls_actor_kind kind, enum ls_policy policy, uint64_t seed)
{
	long p[16];
	const struct ls_scenario *s = th_scenario("futures", p, args);

	return th_start(s, p, kind, policy, seed);
}

/* W1, W2, W3 take tasks 0, 1, 2; they hand them back 2, 1, 0. */
static void
f_reverse(struct ls_run *r)
{
	int main_ = pt_actor(r, "main"), w[3];
	const char *names[3] = { "W1", "W2", "W3" };

	for (int k = 0; k < 3; k++)
		w[k] = pt_actor(r, names[k]);
	th_wait_parked(r);
	for (int t = 0; t < 3; t++)
		th_step(r, main_);              /* submit(task, t) */
	for (int k = 0; k < 3; k++)
		th_step(r, w[k]);               /* takes task k */
	for (int k = 2; k >= 0; k--)
		while (ls_run_model(r)->actors[w[k]].op != LS_OP_POOL_FINISH ||
		       ls_run_model(r)->actors[w[k]].state != LS_AS_GATE)
			th_step(r, w[k]);       /* started, completed */
	for (int k = 2; k >= 0; k--)
		th_step(r, w[k]);               /* hands back: 2, 1, 0 */
}

START_TEST(f_as_completed_forced)
{
	struct ls_run *r = p_start("workers=3 tasks=3 task_ms_min=0 task_ms_max=0",
	                           th_kind(_i), LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	int guard = 0, seen = 0, main_ = pt_actor(r, "main");
	int64_t back[4];
	struct ls_verdict v;

	f_reverse(r);
	th_run_out(r, &guard, P_GUARD);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	pt_trace(r, "executor", 3, 3, back);
	ck_assert_int_eq(back[0], 2);
	ck_assert_int_eq(back[2], 0);
	/* main's Result lines: 4 (task 2), 1 (task 1), 0 (task 0), in that order. */
	for (uint64_t i = 0; i < m->noutput && i < LS_OUTPUT_LINES; i++) {
		long val, task;
		if (m->output[i].actor != main_ ||
		    sscanf(m->output[i].text, "Result: %ld (task %ld)", &val, &task) != 2)
			continue;
		ck_assert_int_eq(task, 2 - seen);
		ck_assert_int_eq(val, task * task);
		seen++;
	}
	ck_assert_int_eq(seen, 3);
	pt_verdict(r, &v);
	ck_assert_msg(v.ok == 1, "%s", v.summary);
	ck_assert_int_eq((int)th_figure(&v, "first_done"), 2);
	ck_assert_int_eq((int)th_figure(&v, "out_of_order"), 2);
	ck_assert_ptr_nonnull(strstr(v.summary, "task 2 first"));
	ls_run_free(r);
}
END_TEST

START_TEST(f_parallel_forced)
{
	struct ls_run *r = p_start("form=parallel workers=3 tasks=3 task_ms_min=0 task_ms_max=0",
	                           th_kind(_i), LS_POLICY_STEP, 1);
	int guard = 0;
	int64_t back[4];
	struct ls_verdict v;

	f_reverse(r);
	th_run_out(r, &guard, P_GUARD);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	pt_trace(r, "executor", 3, 3, back);
	ck_assert_int_eq(back[0], 2);
	ck_assert_int_eq(th_said(ls_run_model(r), "[0, 1, 4]"), 1);
	pt_verdict(r, &v);
	ck_assert_msg(v.ok == 1, "%s", v.summary);
	ls_run_free(r);
}
END_TEST

/* A task waits while both workers are busy; as_completed waits for a result. */
START_TEST(f_waits)
{
	struct ls_run *r = p_start("workers=2 tasks=3 task_ms_min=0 task_ms_max=0",
	                           th_kind(_i), LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	int o = pt_obj(r, "executor"), main_ = pt_actor(r, "main"), w1 = pt_actor(r, "W1"),
	    w2 = pt_actor(r, "W2"), guard = 0;

	th_wait_parked(r);
	for (int t = 0; t < 3; t++)
		th_step(r, main_);
	ck_assert_int_eq(m->actors[main_].op, LS_OP_POOL_COLLECT);
	ck_assert_int_eq(ls_model_can_proceed(m, main_), 0);   /* nothing finished yet */
	th_step(r, w1);
	th_step(r, w2);
	ck_assert_int_eq(m->objs[o].value, 1);                  /* task 2 waits */
	ck_assert_int_eq(m->objs[o].pool->running_now, 2);
	th_step(r, w2);   /* Task 1 started */
	th_step(r, w2);   /* Task 1 completed */
	th_step(r, w2);   /* hands back */
	ck_assert_int_eq(ls_model_can_proceed(m, main_), 1);
	th_step(r, w2);   /* takes task 2 */
	ck_assert_int_eq(m->objs[o].pool->running[w2], 2);
	th_run_out(r, &guard, P_GUARD);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ls_run_free(r);
}
END_TEST

START_TEST(f_random_invariants)
{
	static const char *const forms[] = { "as_completed", "parallel" };

	for (size_t f = 0; f < 2; f++)
		for (uint64_t seed = 1; seed <= 4; seed++) {
			char args[160];
			int64_t back[16];
			struct ls_verdict v;

			snprintf(args, sizeof args, "form=%s workers=3 tasks=6 task_ms_min=0 "
			         "task_ms_max=0", forms[f]);
			struct ls_run *r = p_start(args, th_kind(_i), LS_POLICY_RANDOM, seed);
			ck_assert_msg(ls_run_finish(r) == LS_RUN_FINISHED, "%s", args);
			pt_trace(r, "executor", 3, 6, back);
			pt_verdict(r, &v);
			ck_assert_msg(v.ok == 1, "%s: %s", args, v.summary);
			if (f == 1)
				ck_assert_int_eq(th_said(ls_run_model(r), "[0, 1, 4, 9, 16, 25]"), 1);
			ls_run_free(r);
		}
}
END_TEST

START_TEST(f_free_invariants)
{
	static const char *const forms[] = { "as_completed", "parallel" };

	for (size_t f = 0; f < 2; f++) {
		char args[160];
		int64_t back[16];
		struct ls_verdict v;

		snprintf(args, sizeof args, "form=%s workers=2 tasks=10 task_ms_min=1 task_ms_max=8",
		         forms[f]);
		struct ls_run *r = p_start(args, th_kind(_i), LS_POLICY_FREE, 1);
		ck_assert_msg(ls_run_finish(r) == LS_RUN_FINISHED, "%s", args);
		pt_trace(r, "executor", 2, 10, back);
		pt_verdict(r, &v);
		ck_assert_msg(v.ok == 1, "%s: %s", args, v.summary);
		ls_run_free(r);
	}
}
END_TEST

START_TEST(f_walkthroughs_exact)
{
	const struct ls_scenario *s = ls_scenario_find("futures");

	ck_assert_ptr_nonnull(s);
	for (int w = 0; w < s->nwalkthroughs; w++) {
		long p[16];
		char err[256] = "";
		struct ls_walk walk;
		struct ls_run_opts o;
		struct ls_run *r;
		int guard = 0;

		ck_assert_msg(ls_walk_params(s, w, p, err, sizeof err) == 0, "%s", err);
		ck_assert_int_eq(ls_walk_init(&walk, s, w), 0);
		walk.patience_ms = 50000;
		th_opts(&o, s, th_kind(_i), LS_POLICY_STEP);
		r = th_start_opts(s, p, &o);
		for (int k = 0; k < s->walkthroughs[w].nsteps; k++)
			ck_assert_msg(ls_walk_step(&walk, r, NULL, err, sizeof err) != LS_WALK_FAILED,
			              "walkthrough %d step %d: %s", w + 1, k + 1, err);
		th_run_out(r, &guard, P_GUARD);
		ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
		ck_assert_int_eq(th_said(ls_run_model(r), "Result: 1 (task 1)"), 1);
		ls_run_free(r);
	}
}
END_TEST

Suite *
futures_suite(void)
{
	Suite *s = suite_create("futures");
	TCase *tc = th_tcase(s, "forced", 120);

	tcase_add_loop_test(tc, f_as_completed_forced, 0, 2);
	tcase_add_loop_test(tc, f_parallel_forced, 0, 2);
	tcase_add_loop_test(tc, f_waits, 0, 2);
	tc = th_tcase(s, "free", 180);
	tcase_add_loop_test(tc, f_random_invariants, 0, 2);
	tcase_add_loop_test(tc, f_free_invariants, 0, 2);
	tcase_add_loop_test(tc, f_walkthroughs_exact, 0, 2);
	return s;
}
