/*
 * check_pool.c - a Pool of workers, in threads and in processes.
 *
 * Forced schedules prove the lesson: with 4 workers and 5 tasks the fifth
 * stays queued while every worker is busy, and runs on the first worker to
 * hand a result back, which prints the same pid again; a callback is run by
 * main (the parent's pid, never a worker's); map's list is in submission
 * order though the results were made to come back reversed.  Random and
 * free runs keep the pool's invariants on the trace: never more tasks
 * running than workers, every task taken exactly once, every result taken
 * by main, in the order the workers handed them back.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
	const struct ls_scenario *s = th_scenario("pool", p, args);

	return th_start(s, p, kind, policy, seed);
}

/* The pid in a said line "...(pid:N)..." or "... N" at its end; -1 if none. */
static int
p_said_pid(const char *text, const char *after)
{
	const char *at = strstr(text, after);
	int pid = -1;

	if (at && sscanf(at + strlen(after), "%d", &pid) == 1)
		return pid;
	return -1;
}

/* ---- the fifth task waits for a free worker ------------------------------------ */

/* Main submits five tasks to four idle workers; each worker takes one. */
static void
p_fifth_fill(struct ls_run *r, int o, int main_, const int *w)
{
	const struct ls_model *m = ls_run_model(r);
	const struct ls_model_pool *pl = m->objs[o].pool;

	th_wait_parked(r);
	/* An empty pool: every worker waits for a task. */
	for (int k = 0; k < 4; k++) {
		ck_assert_int_eq(m->actors[w[k]].op, LS_OP_POOL_TAKE);
		ck_assert_int_eq(ls_model_can_proceed(m, w[k]), 0);
	}
	ck_assert_int_eq(ls_model_nwaiters(m, o), 4);
	th_step(r, main_);                 /* Parent process */
	for (int t = 0; t < 5; t++)
		th_step(r, main_);             /* apply_async(foo, (t,)) */
	ck_assert_int_eq(m->objs[o].value, 5);
	ck_assert_int_eq(pl->submitted, 5);
	for (int k = 0; k < 4; k++) {
		th_step(r, w[k]);              /* takes task k */
		ck_assert_int_eq(pl->running[w[k]], k);
	}
	/* Four busy workers: task 4 stays queued, nobody can take it. */
	ck_assert_int_eq(m->objs[o].value, 1);
	ck_assert_int_eq(m->objs[o].items[0], 4);
	ck_assert_int_eq(pl->running_now, 4);
	for (int k = 0; k < 4; k++)
		ck_assert_int_ne(m->actors[w[k]].op, LS_OP_POOL_TAKE);
}

/* The run over: finished, every task traced, the verdict's figures. */
static void
p_fifth_end(struct ls_run *r, int o, const int *w)
{
	const struct ls_model_pool *pl = ls_run_model(r)->objs[o].pool;
	int64_t back[8];
	struct ls_verdict v;
	int guard = 0;

	th_run_out(r, &guard, P_GUARD);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	pt_trace(r, "pool", 4, 5, back);
	ck_assert_int_eq(pl->done_by[w[1]], 2);
	pt_verdict(r, &v);
	ck_assert_msg(v.ok == 1, "%s", v.summary);
	ck_assert_int_eq((int)th_figure(&v, "reused"), 1);
	ck_assert_int_eq((int)th_figure(&v, "max_running"), 4);
	ck_assert_int_eq((int)th_figure(&v, "busiest_worker"), 2);
	ck_assert_int_eq((int)th_figure(&v, "workers_used"), 4);
}

START_TEST(p_fifth_waits)
{
	struct ls_run *r = p_start("workers=4 tasks=5 task_ms_min=0 task_ms_max=0",
	                           th_kind(_i), LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	int o = pt_obj(r, "pool"), main_ = pt_actor(r, "main"), w[4], pid_first = -1;
	const struct ls_model_pool *pl = m->objs[o].pool;
	char name[16];

	for (int k = 0; k < 4; k++) {
		snprintf(name, sizeof name, "W%d", k + 1);
		w[k] = pt_actor(r, name);
	}
	p_fifth_fill(r, o, main_, w);
	/* W2 runs task 1 and hands it back; then it is the one to take task 4. */
	th_step(r, w[1]);                  /* Run task 1 (pid:...) */
	pid_first = p_said_pid(m->actors[w[1]].said, "(pid:");
	ck_assert_int_gt(pid_first, 0);
	th_step(r, w[1]);                  /* Task 1 result is: 1 */
	th_step(r, w[1]);                  /* hands back 1 */
	ck_assert_int_eq(pl->running[w[1]], -1);
	ck_assert_int_eq(m->actors[w[1]].op, LS_OP_POOL_TAKE);
	ck_assert_int_eq(ls_model_can_proceed(m, w[1]), 1);
	th_step(r, w[1]);                  /* takes task 4 */
	ck_assert_int_eq(pl->running[w[1]], 4);
	ck_assert_int_eq(m->objs[o].value, 0);
	th_step(r, w[1]);                  /* Run task 4 (pid:...): the same pid */
	ck_assert_int_eq(p_said_pid(m->actors[w[1]].said, "(pid:"), pid_first);
	ck_assert_ptr_nonnull(strstr(m->actors[w[1]].said, "Run task 4"));
	if (th_kind(_i) == LS_ACTORS_PROCESSES) {
		/* A worker of its own: its real pid, not the parent's or W1's. */
		ck_assert_int_eq(pid_first, m->actors[w[1]].os_id);
		ck_assert_int_ne(pid_first, m->actors[main_].os_id);
		ck_assert_int_ne(pid_first, m->actors[w[0]].os_id);
	} else {
		ck_assert_int_eq(pid_first, (int)getpid());   /* a ThreadPool: one pid */
	}
	p_fifth_end(r, o, w);
	ls_run_free(r);
}
END_TEST

/* Idle workers wait for a task until close(); then each finds none and ends. */
START_TEST(p_close_ends_idle_workers)
{
	struct ls_run *r = p_start("workers=2 tasks=0 task_ms_min=0 task_ms_max=0",
	                           th_kind(_i), LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	int o = pt_obj(r, "pool"), main_ = pt_actor(r, "main"), w1 = pt_actor(r, "W1"), guard = 0;

	th_wait_parked(r);
	ck_assert_int_eq(ls_model_can_proceed(m, w1), 0);
	ck_assert_int_eq(ls_run_step(r, w1), -1);
	th_step(r, main_);   /* Parent process */
	th_step(r, main_);   /* Waiting ... */
	ck_assert_int_eq(ls_model_can_proceed(m, w1), 0);
	th_step(r, main_);   /* close */
	ck_assert_int_eq(m->objs[o].pool->closed, 1);
	ck_assert_int_eq(ls_model_can_proceed(m, w1), 1);
	th_run_out(r, &guard, P_GUARD);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ls_run_free(r);
}
END_TEST

/* ---- the callback runs in the parent ------------------------------------------ */

START_TEST(p_callback_in_parent)
{
	for (uint64_t seed = 1; seed <= 3; seed++) {
		struct ls_run *r = p_start("form=callback workers=3 tasks=5 task_ms_min=0 "
		                           "task_ms_max=0", th_kind(_i), LS_POLICY_RANDOM, seed);
		const struct ls_model *m = ls_run_model(r);
		int main_ = pt_actor(r, "main"), callbacks = 0, main_pid;
		int64_t back[8];
		struct ls_verdict v;

		ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
		pt_trace(r, "pool", 3, 5, back);
		main_pid = th_kind(_i) == LS_ACTORS_PROCESSES ? m->actors[main_].os_id : (int)getpid();
		for (uint64_t i = 0; i < m->noutput && i < LS_OUTPUT_LINES; i++) {
			const struct ls_output_line *l = &m->output[i];
			if (strncmp(l->text, "-->exec done:", 13) != 0)
				continue;
			long value;
			int pid;
			ck_assert_int_eq(sscanf(l->text, "-->exec done: %ld %d", &value, &pid), 2);
			ck_assert_int_eq(l->actor, main_);
			ck_assert_int_eq(pid, main_pid);
			/* The result it got: a task's i + 100, in arrival order. */
			ck_assert_int_eq(value, back[callbacks] + 100);
			for (int a = 0; th_kind(_i) == LS_ACTORS_PROCESSES && a < m->nactors; a++)
				if (a != main_)
					ck_assert_int_ne(pid, m->actors[a].os_id);
			callbacks++;
		}
		ck_assert_int_eq(callbacks, 5);
		ck_assert_int_eq(th_said(m, "in process"), 5);
		pt_verdict(r, &v);
		ck_assert_msg(v.ok == 1, "%s", v.summary);
		ck_assert_int_eq((int)th_figure(&v, "collected_by_main"), 5);
		ls_run_free(r);
	}
}
END_TEST

/* ---- map: submission order, whatever the completion order ----------------------- */

START_TEST(p_map_order_forced)
{
	struct ls_run *r = p_start("form=map workers=2 tasks=2 task_ms_min=0 task_ms_max=0",
	                           th_kind(_i), LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	int o = pt_obj(r, "pool"), main_ = pt_actor(r, "main"), w1 = pt_actor(r, "W1"),
	    w2 = pt_actor(r, "W2"), guard = 0;
	int64_t back[4];
	struct ls_verdict v;

	th_wait_parked(r);
	th_step(r, main_);   /* Parent process */
	th_step(r, main_);   /* task 0 (f(1)) */
	th_step(r, main_);   /* task 1 (f(2)) */
	th_step(r, w1);      /* takes 0 */
	th_step(r, w2);      /* takes 1 */
	th_step(r, w2);      /* hands back 4 first */
	th_step(r, w1);      /* then 1 */
	th_run_out(r, &guard, P_GUARD);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	pt_trace(r, "pool", 2, 2, back);
	ck_assert_int_eq(back[0], 1);
	ck_assert_int_eq(back[1], 0);
	ck_assert_int_eq(m->objs[o].pool->results[0].value, 4);
	ck_assert_str_eq(m->objs[o].pool->results[0].worker == w2 ? "W2" : "?", "W2");
	/* Completion order 1, 0; the list main prints is f(1), f(2). */
	ck_assert_int_eq(th_said(m, "[1, 4]"), 1);
	ck_assert_int_eq(th_said(m, "[4, 1]"), 0);
	pt_verdict(r, &v);
	ck_assert_msg(v.ok == 1, "%s", v.summary);
	ck_assert_int_eq((int)th_figure(&v, "out_of_order"), 2);
	ls_run_free(r);
}
END_TEST

/* ---- random and free runs keep the invariants ------------------------------------ */

START_TEST(p_random_invariants)
{
	static const char *const forms[] = { "async", "callback", "map" };

	for (size_t f = 0; f < 3; f++)
		for (uint64_t seed = 1; seed <= 4; seed++) {
			char args[160];
			int64_t back[16];
			struct ls_verdict v;

			snprintf(args, sizeof args, "form=%s workers=3 tasks=7 task_ms_min=0 "
			         "task_ms_max=0", forms[f]);
			struct ls_run *r = p_start(args, th_kind(_i), LS_POLICY_RANDOM, seed);
			ck_assert_msg(ls_run_finish(r) == LS_RUN_FINISHED, "%s seed %llu", args,
			              (unsigned long long)seed);
			pt_trace(r, "pool", 3, 7, back);
			pt_verdict(r, &v);
			ck_assert_msg(v.ok == 1, "%s: %s", args, v.summary);
			if (f == 2)
				ck_assert_int_eq(th_said(ls_run_model(r), "[1, 4, 9, 16, 25, 36, 49]"), 1);
			ls_run_free(r);
		}
}
END_TEST

START_TEST(p_free_invariants)
{
	static const char *const forms[] = { "async", "callback", "map" };

	for (size_t f = 0; f < 3; f++) {
		char args[160];
		int64_t back[16];
		struct ls_verdict v;

		snprintf(args, sizeof args, "form=%s workers=4 tasks=10 task_ms_min=1 task_ms_max=6",
		         forms[f]);
		struct ls_run *r = p_start(args, th_kind(_i), LS_POLICY_FREE, 1);
		ck_assert_msg(ls_run_finish(r) == LS_RUN_FINISHED, "%s", args);
		pt_trace(r, "pool", 4, 10, back);
		pt_verdict(r, &v);
		ck_assert_msg(v.ok == 1, "%s: %s", args, v.summary);
		ck_assert_int_le((int)th_figure(&v, "max_running"), 4);
		ls_run_free(r);
	}
}
END_TEST

/* ---- the walkthrough ends on its last step ---------------------------------------- */

START_TEST(p_walkthroughs_exact)
{
	const struct ls_scenario *s = ls_scenario_find("pool");

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
		for (int k = 0; k < s->walkthroughs[w].nsteps; k++) {
			ck_assert_msg(ls_run_status(r) == LS_RUN_RUNNING, "walkthrough %d ended at "
			              "step %d of %d", w + 1, k + 1, s->walkthroughs[w].nsteps);
			ck_assert_msg(ls_walk_step(&walk, r, NULL, err, sizeof err) != LS_WALK_FAILED,
			              "walkthrough %d step %d: %s", w + 1, k + 1, err);
		}
		th_run_out(r, &guard, P_GUARD);
		ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
		ls_run_free(r);
	}
}
END_TEST

Suite *
pool_suite(void)
{
	Suite *s = suite_create("pool");
	TCase *tc = th_tcase(s, "forced", 120);

	tcase_add_loop_test(tc, p_fifth_waits, 0, 2);
	tcase_add_loop_test(tc, p_close_ends_idle_workers, 0, 2);
	tcase_add_loop_test(tc, p_callback_in_parent, 0, 2);
	tcase_add_loop_test(tc, p_map_order_forced, 0, 2);
	tc = th_tcase(s, "free", 180);
	tcase_add_loop_test(tc, p_random_invariants, 0, 2);
	tcase_add_loop_test(tc, p_free_invariants, 0, 2);
	tcase_add_loop_test(tc, p_walkthroughs_exact, 0, 2);
	return s;
}
