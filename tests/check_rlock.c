/*
 * check_rlock.c - a lock taken again by its holder.
 *
 * With the reentrant lock every schedule finishes with num and num2 counted
 * once per thread and the lock free; with a plain lock the holder's second
 * acquire can never proceed, and the run ends in a deadlock whose cycle is
 * the thread itself, whether stepped or free, threads or processes.
 */
#include "config.h"

#include <string.h>

#include "helpers.h"
#include "lockstep/model.h"
#include "engine/params.h"
#include "engine/run.h"
#include "suites.h"

static const struct ls_scenario *
rl_params(long *p, long threads, const char *lock)
{
	char args[64];

	snprintf(args, sizeof args, "threads=%ld lock=%s", threads, lock);
	return th_scenario("rlock", p, args);
}

static struct ls_run *
rl_run(const char *lock, long threads, enum ls_actor_kind kind, enum ls_policy policy,
       uint64_t seed)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = rl_params(p, threads, lock);

	return th_start(s, p, kind, policy, seed);
}

static void
rl_check_counted(struct ls_run *r, long threads)
{
	const struct ls_model *m = ls_run_model(r);
	int lock = ls_model_find(m, "lock");
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	ck_assert_int_eq(ls_model_var(m, "num"), threads);
	ck_assert_int_eq(ls_model_var(m, "num2"), threads);
	ck_assert_int_eq(m->objs[lock].owner, -1);
	ck_assert_int_eq(m->objs[lock].value, 0);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
}

START_TEST(rl_reentrant_random)
{
	for (uint64_t seed = 1; seed <= 10; seed++) {
		struct ls_run *r = rl_run("rlock", 3, _i ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS,
		                          LS_POLICY_RANDOM, seed);
		rl_check_counted(r, 3);
		ls_run_free(r);
	}
}
END_TEST

START_TEST(rl_reentrant_free)
{
	struct ls_run *r = rl_run("rlock", 5, _i ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS,
	                          LS_POLICY_FREE, 1);
	rl_check_counted(r, 5);
	ls_run_free(r);
}
END_TEST

/* Stepped: after its first acquire the holder re-enters (depth 2). */
START_TEST(rl_reentrant_depth)
{
	struct ls_run *r = rl_run("rlock", 1, LS_ACTORS_THREADS, LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	int lock = ls_model_find(m, "lock");
	int depth = 0;

	while (ls_run_step(r, 0) == 0)
		if (m->objs[lock].value > depth)
			depth = (int)m->objs[lock].value;
	ck_assert_int_eq(depth, 2);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ls_run_free(r);
}
END_TEST

static void
rl_check_self_deadlock(struct ls_run *r)
{
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_DEADLOCK);
	ck_assert_ptr_nonnull(strstr(ls_run_reason(r), "cycle"));
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 0);
	ck_assert_ptr_nonnull(strstr(v.summary, "waits for itself"));
	ck_assert_int_eq(ls_model_var(m, "num"), 0);
}

START_TEST(rl_plain_stepped)
{
	struct ls_run *r = rl_run("lock", 1, _i ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS,
	                          LS_POLICY_STEP, 1);
	/* lock in run3, say in run1; then the second lock cannot be taken. */
	ck_assert_int_eq(ls_run_step(r, 0), 0);
	ck_assert_int_eq(ls_run_step(r, 0), 0);
	ck_assert_int_eq(ls_run_step(r, 0), -1);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_DEADLOCK);
	ck_assert_ptr_nonnull(strstr(ls_run_reason(r), "cycle: T1 -> T1"));
	rl_check_self_deadlock(r);
	ls_run_free(r);
}
END_TEST

START_TEST(rl_plain_free)
{
	struct ls_run *r = rl_run("lock", 3, _i ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS,
	                          LS_POLICY_FREE, 1);
	rl_check_self_deadlock(r);
	ls_run_free(r);
}
END_TEST

Suite *
rlock_suite(void)
{
	Suite *s = suite_create("rlock");
	TCase *tc = th_tcase(s, "reentrant", 60);

	tcase_add_loop_test(tc, rl_reentrant_random, 0, 2);
	tcase_add_loop_test(tc, rl_reentrant_free, 0, 2);
	tcase_add_test(tc, rl_reentrant_depth);
	tc = th_tcase(s, "plain", 60);
	tcase_add_loop_test(tc, rl_plain_stepped, 0, 2);
	tcase_add_loop_test(tc, rl_plain_free, 0, 2);
	return s;
}
