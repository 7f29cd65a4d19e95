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
#include "suites.h"

#define P_GUARD 4000   /* more steps than any run here takes */

static struct ls_run *
p_start(const char *args, enum ls_actor_kind kind, enum ls_policy policy, uint64_t seed)
{
	long p[16];
	const struct ls_scenario *s = th_scenario("futures", p, args);

	return th_start(s, p, kind, policy, seed);
}

static int
p_obj(const struct ls_run *r)
{
	int o = ls_model_find(ls_run_model(r), "executor");

	ck_assert_int_ge(o, 0);
	ck_assert_int_eq(ls_run_model(r)->objs[o].kind, LS_OBJ_POOL);
	ck_assert_ptr_nonnull(ls_run_model(r)->objs[o].pool);
	return o;
}

static int
p_actor(const struct ls_run *r, const char *name)
{
	const char *const *names = ls_run_actor_names(r);

	for (int i = 0; i < ls_run_actor_count(r); i++)
		if (strcmp(names[i], name) == 0)
			return i;
	ck_abort_msg("no actor %s", name);
	return -1;
}

static void
p_verdict(struct ls_run *r, struct ls_verdict *v)
{
	memset(v, 0, sizeof *v);
	ls_run_verdict(r, v);
}

/*
 * Walk the whole trace: tasks running at once never above workers, each of
 * tasks taken exactly once and handed back once, by the worker that took
 * it; results taken by main only, in the order they were handed back.
 * Writes the tasks in the order they came back to back (tasks of them).
 */
static void
p_trace(struct ls_run *r, int workers, int tasks, int64_t *back)
{
	const struct ls_model *m = ls_run_model(r);
	int o = p_obj(r), running = 0, most = 0, nback = 0, ncollect = 0;
	int taken[32] = { 0 }, by[32], returned[32] = { 0 };

	ck_assert_int_le(tasks, 32);
	for (uint64_t i = ls_model_history_first(m); i < m->nhistory; i++) {
		const struct ls_event *e = ls_model_history_at(m, i);
		int64_t t = e->u.v.a;

		if (e->obj != o || e->phase != LS_PH_DONE)
			continue;
		switch (e->op) {
		case LS_OP_POOL_TAKE:
			ck_assert(t >= 0 && t < tasks);
			ck_assert_msg(taken[t] == 0, "task %lld taken twice", (long long)t);
			taken[t] = 1;
			by[t] = e->actor;
			running++;
			most = running > most ? running : most;
			ck_assert_msg(running <= workers, "%d tasks running on %d workers", running,
			              workers);
			break;
		case LS_OP_POOL_FINISH:
			ck_assert(t >= 0 && t < tasks && taken[t] && !returned[t]);
			ck_assert_int_eq(by[t], e->actor);
			returned[t] = 1;
			running--;
			back[nback++] = t;
			break;
		case LS_OP_POOL_COLLECT:
			ck_assert_str_eq(m->actors[e->actor].name, "main");
			ck_assert_int_lt(ncollect, nback);
			ck_assert_int_eq(t, back[ncollect]);   /* arrival order */
			ncollect++;
			break;
		default:
			break;
		}
	}
	for (int t = 0; t < tasks; t++)
		ck_assert_msg(taken[t] && returned[t], "task %d never ran", t);
	ck_assert_int_eq(ncollect, tasks);
	ck_assert_int_eq(m->objs[o].pool->max_running, most);
	ck_assert_int_eq(m->objs[o].pool->finished, tasks);
}

/* W1, W2, W3 take tasks 0, 1, 2; they hand them back 2, 1, 0. */
static void
f_reverse(struct ls_run *r)
{
	int main_ = p_actor(r, "main"), w[3];
	const char *names[3] = { "W1", "W2", "W3" };

	for (int k = 0; k < 3; k++)
		w[k] = p_actor(r, names[k]);
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
	int guard = 0, seen = 0, main_ = p_actor(r, "main");
	int64_t back[4];
	struct ls_verdict v;

	f_reverse(r);
	th_run_out(r, &guard, P_GUARD);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	p_trace(r, 3, 3, back);
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
	p_verdict(r, &v);
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
	p_trace(r, 3, 3, back);
	ck_assert_int_eq(back[0], 2);
	ck_assert_int_eq(th_said(ls_run_model(r), "[0, 1, 4]"), 1);
	p_verdict(r, &v);
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
	int o = p_obj(r), main_ = p_actor(r, "main"), w1 = p_actor(r, "W1"),
	    w2 = p_actor(r, "W2"), guard = 0;

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
			p_trace(r, 3, 6, back);
			p_verdict(r, &v);
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
		p_trace(r, 2, 10, back);
		p_verdict(r, &v);
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
