/*
 * check_gil.c - the interpreter lock built in the scenario.
 *
 * Structure, never speed: with the GIL there is never more than one holder
 * and never more than one worker in bytecode, on random schedules and in
 * free runs (recomputed here from the history, not only from the fold);
 * Python 3's forced switching hands the GIL to the other worker every time;
 * Python 2's release-and-retake lets the same thread win it back; a worker
 * waiting for I/O has let the GIL go; without the GIL both workers are in
 * bytecode at once; processes run without the shared GIL.  Timings are
 * compared in bench/gil_compare, not here.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "lockstep/model.h"
#include "engine/params.h"
#include "engine/run.h"
#include "suites.h"

static const struct ls_scenario *
gt_params(long *p, long workers, const char *extra)
{
	char args[256];

	/* Small and quick: 20 ticks of 100 us each, a switch every 10; then extra. */
	snprintf(args, sizeof args, "workers=%ld work_ms=2 tick_us=100 switch_ms=1 io_ms=1 %s",
	         workers, extra);
	return th_scenario("gil", p, args);
}

static void
gt_run_out(struct ls_run *r)
{
	int guard = 0;

	th_run_out(r, &guard, 100000);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
}

/* What the history says about the GIL. */
struct gt_hist {
	long acquisitions, handoffs, lock_blocks;
};

/*
 * Replays the history: the GIL changes hands only when free, is released
 * only by its holder, and bytecode runs only in the holder.
 */
static struct gt_hist
gt_check_history(const struct ls_model *m)
{
	int gil = ls_model_find(m, "gil");
	int inb = ls_model_find(m, "in_bytecode");
	int holder = -1, last = -1;
	struct gt_hist h = { 0, 0, 0 };

	ck_assert_uint_le(m->nhistory, LS_HISTORY);
	for (uint64_t i = 0; i < m->nhistory; i++) {
		const struct ls_event *e = &m->history[i];
		int a = e->actor;
		int acquire = 0, release = 0;

		if (a == LS_NO_ACTOR)
			continue;
		if (e->op == LS_OP_LOCK && e->obj == gil && e->phase == LS_PH_BLOCK)
			h.lock_blocks++;
		acquire = (e->op == LS_OP_LOCK && e->obj == gil && e->phase == LS_PH_DONE) ||
		          (e->op == LS_OP_COND_WAIT && e->u.v.a == gil && e->phase == LS_PH_DONE);
		release = (e->op == LS_OP_UNLOCK && e->obj == gil && e->phase == LS_PH_DONE) ||
		          (e->op == LS_OP_COND_WAIT && e->u.v.a == gil && e->phase == LS_PH_BLOCK);
		if (acquire) {
			ck_assert_msg(holder < 0, "event %llu: %s takes the GIL held by %s",
			              (unsigned long long)i, m->actors[a].name, m->actors[holder].name);
			holder = a;
			h.acquisitions++;
			h.handoffs += last >= 0 && last != a;
			last = a;
		} else if (release) {
			ck_assert_int_eq(holder, a);
			holder = -1;
		} else if (e->op == LS_OP_ADD && e->obj == inb && e->phase == LS_PH_DONE &&
		           e->u.v.b > 0) {
			ck_assert_msg(holder == a, "event %llu: %s enters bytecode without the GIL",
			              (unsigned long long)i, m->actors[a].name);
			ck_assert_int_eq(e->u.v.a, 1);
		}
	}
	ck_assert_int_eq(holder, -1);
	return h;
}

/*
 * Random schedules with the GIL, Python 3 rule.  Loop index = seed; odd
 * seeds use three workers.  Holding passes to another worker at every
 * switch, never straight back.
 */
START_TEST(gt_random_gil)
{
	long p[LS_PARAMS_MAX];
	long workers = (_i & 1) ? 3 : 2;
	const struct ls_scenario *s = gt_params(p, workers, "");
	struct ls_run *r = th_start(s, p, LS_ACTORS_THREADS, LS_POLICY_RANDOM, (uint64_t)_i);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	ck_assert_int_eq(m->ndone, workers);
	struct gt_hist h = gt_check_history(m);
	ls_run_verdict(r, &v);
	ck_assert_msg(v.ok == 1, "verdict: %s / %s", v.observed, v.summary);
	ck_assert_double_eq(th_figure(&v, "max_holders"), 1);
	ck_assert_double_eq(th_figure(&v, "max_running"), 1);
	ck_assert_double_eq(th_figure(&v, "regains"), 0);
	ck_assert_double_eq(th_figure(&v, "retakes"), 0);
	ck_assert_double_eq(th_figure(&v, "acquisitions"), (double)h.acquisitions);
	ck_assert_double_eq(th_figure(&v, "switches"), (double)h.handoffs);
	ck_assert_double_ge(th_figure(&v, "switches"), (double)workers - 1);
	ck_assert_int_eq(h.handoffs, h.acquisitions - 1);
	ck_assert_int_eq(ls_model_var(m, "bytecodes"), workers * 20);
	ck_assert_int_eq(ls_model_var(m, "in_bytecode"), 0);
	ck_assert_int_eq(ls_model_var(m, "drop_request"), 0);
	ls_run_free(r);
}
END_TEST

/* Python 2's rule and I/O work under random schedules: still one holder. */
START_TEST(gt_random_variants)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = gt_params(p, 2, (_i & 1) ? "interval=ticks check_ticks=3"
	                                                        : "work=io");
	struct ls_run *r = th_start(s, p, LS_ACTORS_THREADS, LS_POLICY_RANDOM, (uint64_t)_i);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	struct gt_hist h = gt_check_history(ls_run_model(r));
	ls_run_verdict(r, &v);
	ck_assert_msg(v.ok == 1, "verdict: %s / %s", v.observed, v.summary);
	ck_assert_double_eq(th_figure(&v, "max_holders"), 1);
	ck_assert_double_eq(th_figure(&v, "max_running"), 1);
	ck_assert_double_eq(th_figure(&v, "switches"), (double)h.handoffs);
	ck_assert_int_ge(h.acquisitions, 2);
	ls_run_free(r);
}
END_TEST

/*
 * Forced switching, stepped: T1 takes the GIL; T2 asks and cannot go on;
 * after its interval T1 drops the GIL into a wait and cannot come back
 * until T2 has taken it and, later, let it go.
 */
START_TEST(gt_forced_switch)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = gt_params(p, 2, "");
	struct ls_run *r = th_start(s, p, LS_ACTORS_THREADS, LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	int gil = ls_model_find(m, "gil");
	int guard = 0;

	while (ls_model_var(m, "in_bytecode") == 0) {
		th_step(r, 0);
		ck_assert_int_lt(++guard, 20);
	}
	ck_assert_int_eq(m->objs[gil].owner, 0);
	th_step(r, 1);                                 /* T2 asks */
	ck_assert_int_eq(ls_model_var(m, "drop_request"), 1);
	ck_assert_int_eq(m->actors[1].op, LS_OP_LOCK);
	ck_assert_int_eq(ls_model_can_proceed(m, 1), 0);
	/* Ten ticks, then T1 sees the request and drops the GIL. */
	guard = 0;
	while (!(m->actors[0].state == LS_AS_BLOCKED && m->actors[0].op == LS_OP_COND_WAIT)) {
		th_step(r, 0);
		ck_assert_int_lt(++guard, 40);
	}
	ck_assert_int_eq(ls_model_var(m, "bytecodes"), 10);
	ck_assert_int_eq(m->objs[gil].owner, -1);
	ck_assert_int_eq(ls_model_can_proceed(m, 0), 0);
	ck_assert_int_eq(ls_run_next_pick(r), 1);
	th_step(r, 1);                                 /* T2 takes it */
	ck_assert_int_eq(m->objs[gil].owner, 1);
	guard = 0;
	while (ls_model_var(m, "in_bytecode") == 0) {
		ck_assert_int_eq(ls_model_can_proceed(m, 0), 0);
		th_step(r, 1);
		ck_assert_int_lt(++guard, 10);
	}
	/* T2 has notified T1, but holds the GIL: T1 still waits. */
	ck_assert_int_eq(m->actors[0].notified, 1);
	ck_assert_int_eq(ls_model_can_proceed(m, 0), 0);
	gt_run_out(r);
	struct gt_hist h = gt_check_history(m);
	ck_assert_int_eq(h.handoffs, h.acquisitions - 1);
	ls_run_free(r);
}
END_TEST

/* Python 2: T1 releases after its check interval and takes it straight back. */
START_TEST(gt_py2_retake)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = gt_params(p, 2, "interval=ticks check_ticks=3");
	struct ls_run *r = th_start(s, p, LS_ACTORS_THREADS, LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	int gil = ls_model_find(m, "gil");
	struct ls_verdict v;
	int guard = 0;

	th_step(r, 0);                                 /* T1 locks */
	ck_assert_int_eq(m->objs[gil].owner, 0);
	ck_assert_int_eq(ls_model_can_proceed(m, 1), 0);
	while (m->objs[gil].owner == 0) {
		th_step(r, 0);
		ck_assert_int_lt(++guard, 20);
	}
	/* Released: both may take it now; T1 does. */
	ck_assert_int_eq(m->actors[0].op, LS_OP_LOCK);
	ck_assert_int_eq(ls_model_can_proceed(m, 0), 1);
	ck_assert_int_eq(ls_model_can_proceed(m, 1), 1);
	th_step(r, 0);
	ck_assert_int_eq(m->objs[gil].owner, 0);
	gt_run_out(r);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_ge(th_figure(&v, "retakes"), 1);
	gt_check_history(m);
	ls_run_free(r);
}
END_TEST

/* work=io: while T1 waits for I/O, T2 takes the GIL and computes. */
START_TEST(gt_io_releases)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = gt_params(p, 2, "work=io");
	struct ls_run *r = th_start(s, p, LS_ACTORS_THREADS, LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	int gil = ls_model_find(m, "gil");
	int guard = 0;

	while (m->actors[0].op != LS_OP_SLEEP) {
		th_step(r, 0);
		ck_assert_int_lt(++guard, 20);
	}
	ck_assert_int_eq(m->objs[gil].owner, -1);
	ck_assert_int_eq(ls_model_var(m, "bytecodes"), 1);
	guard = 0;
	while (ls_model_var(m, "in_bytecode") == 0) {
		th_step(r, 1);
		ck_assert_int_lt(++guard, 20);
	}
	ck_assert_int_eq(m->objs[gil].owner, 1);
	ck_assert_int_eq(m->actors[0].op, LS_OP_SLEEP);   /* still in its I/O */
	gt_run_out(r);
	gt_check_history(m);
	ls_run_free(r);
}
END_TEST

/* Without the GIL both workers are in bytecode at once. */
START_TEST(gt_off_overlap)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = gt_params(p, 2, "gil=off");
	struct ls_run *r = th_start(s, p, LS_ACTORS_THREADS, LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;

	th_step(r, 0);
	th_step(r, 1);
	ck_assert_int_eq(ls_model_var(m, "in_bytecode"), 2);
	th_step(r, 0);
	th_step(r, 1);
	ck_assert_int_eq(ls_model_var(m, "bytecodes"), 2);
	gt_run_out(r);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "max_running"), 2);
	ck_assert_double_eq(th_figure(&v, "max_holders"), 0);
	ck_assert_double_eq(th_figure(&v, "acquisitions"), 0);
	ls_run_free(r);
}
END_TEST

/*
 * Free runs with the GIL (loop index: 0 Python 3, 1 Python 2, 2 I/O): one
 * holder at a time; if a worker ever had to wait for the GIL, it changed
 * hands.
 */
START_TEST(gt_free_gil)
{
	static const char *const extra[] = {
		"work_ms=20", "work_ms=20 interval=ticks check_ticks=10", "work=io work_ms=10",
	};
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = gt_params(p, 2, extra[_i]);
	struct ls_run *r = th_start(s, p, LS_ACTORS_THREADS, LS_POLICY_FREE, 1);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	ck_assert_int_eq(m->ndone, 2);
	ck_assert_uint_eq(m->dropped, 0);
	struct gt_hist h = gt_check_history(m);
	ls_run_verdict(r, &v);
	ck_assert_msg(v.ok == 1, "verdict: %s / %s", v.observed, v.summary);
	ck_assert_double_eq(th_figure(&v, "max_holders"), 1);
	ck_assert_double_eq(th_figure(&v, "max_running"), 1);
	if (h.lock_blocks > 0)
		ck_assert_int_ge(h.handoffs, 1);
	ck_assert_double_eq(th_figure(&v, "switches"), (double)h.handoffs);
	ck_assert_double_gt(th_figure(&v, "wall_ms"), 0);
	ck_assert_double_gt(th_figure(&v, "cpu_ms"), 0);
	ls_run_free(r);
}
END_TEST

/* Processes (loop 0 free, 1..3 random) and free threads without the GIL. */
START_TEST(gt_no_shared_gil)
{
	long p[LS_PARAMS_MAX];
	int processes = _i < 4;
	const struct ls_scenario *s = gt_params(p, 2, processes ? "work_ms=20" : "work_ms=20 gil=off");
	struct ls_run *r = th_start(s, p, processes ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS,
	                            (_i % 4) ? LS_POLICY_RANDOM : LS_POLICY_FREE, (uint64_t)_i);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	ck_assert_int_eq(m->ndone, 2);
	ck_assert_int_eq(m->ncrashed, 0);
	ck_assert_int_eq(ls_model_var(m, "interpreters"), processes ? 3 : 1);
	ck_assert_int_eq(ls_model_var(m, "bytecodes"), 2 * 200);
	ck_assert_int_gt(ls_model_var(m, "cpu_us"), 0);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "max_holders"), 0);
	ck_assert_double_eq(th_figure(&v, "switches"), 0);
	if (processes)
		ck_assert_ptr_nonnull(strstr(v.summary, "own interpreter"));
	ls_run_free(r);
}
END_TEST

Suite *
gil_suite(void)
{
	Suite *s = suite_create("gil");
	TCase *tc = th_tcase(s, "stepped", 30);

	tcase_add_test(tc, gt_forced_switch);
	tcase_add_test(tc, gt_py2_retake);
	tcase_add_test(tc, gt_io_releases);
	tcase_add_test(tc, gt_off_overlap);

	tc = th_tcase(s, "runs", 60);
	tcase_add_loop_test(tc, gt_random_gil, 1, 21);
	tcase_add_loop_test(tc, gt_random_variants, 1, 9);
	tcase_add_loop_test(tc, gt_free_gil, 0, 3);
	tcase_add_loop_test(tc, gt_no_shared_gil, 0, 5);
	return s;
}
