/*
 * check_deposit.c - the bank deposit lesson.  A lost update is forced with a
 * controlled schedule (never left to luck); the locked deposit is exact
 * under every random schedule tried and in free runs, where the trace must
 * also show one depositor inside at a time.
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
dep_params(long *p, long depositors, long amount, long delay_ms, long locked)
{
	char args[160];

	snprintf(args, sizeof args, "depositors=%ld amount=%ld delay_ms=%ld locked=%ld",
	         depositors, amount, delay_ms, locked);
	return th_scenario("deposit", p, args);
}

/* Stepped tests here begin with every actor parked at its first gate. */
static struct ls_run *
dep_start(const struct ls_scenario *s, const long *p, enum ls_actor_kind kind,
          enum ls_policy policy, uint64_t seed)
{
	struct ls_run *r = th_start(s, p, kind, policy, seed);

	if (policy == LS_POLICY_STEP)
		th_wait_parked(r);
	return r;
}

/*
 * Both read the balance before either writes it back: T1 loads 0, T2 loads
 * 0, then each stores 0 + amount.  Whatever order the rest takes, one
 * deposit is lost.  Loop index: bit 0 processes, bit 1 a real delay and an
 * amount other than 1.
 */
START_TEST(dep_forced_lost_update)
{
	long p[LS_PARAMS_MAX];
	long amount = (_i & 2) ? 5 : 1;
	const struct ls_scenario *s = dep_params(p, 2, amount, (_i & 2) ? 10 : 0, 0);
	struct ls_run *r = dep_start(s, p, (_i & 1) ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS,
	                             LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;

	th_step(r, 0);   /* T1 loads 0 */
	th_step(r, 1);   /* T2 loads 0 */
	/* delay_ms=0 has no sleep step (004's num -= 1): the store is next. */
	ck_assert_int_eq(m->actors[0].op, (_i & 2) ? LS_OP_SLEEP : LS_OP_STORE);
	ck_assert_int_eq(m->actors[1].op, (_i & 2) ? LS_OP_SLEEP : LS_OP_STORE);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, -1);
	ck_assert_ptr_nonnull(strstr(v.summary, "running"));

	int steps = 0;
	th_run_out(r, &steps, 10);
	ck_assert_int_eq(steps, (_i & 2) ? 4 : 2);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ck_assert_int_eq(ls_model_var(m, "balance"), amount);
	ck_assert_int_eq(m->ndone, 2);

	/* The trace shows why: both loads saw 0, both stores wrote amount. */
	int loads = 0, stores = 0;
	for (uint64_t i = 0; i < m->nhistory; i++) {
		const struct ls_event *e = &m->history[i];
		if (e->phase != LS_PH_DONE)
			continue;
		if (e->op == LS_OP_LOAD) {
			ck_assert_int_eq(e->u.v.a, 0);
			loads++;
		} else if (e->op == LS_OP_STORE) {
			ck_assert_int_eq(e->u.v.a, amount);
			stores++;
		}
	}
	ck_assert_int_eq(loads, 2);
	ck_assert_int_eq(stores, 2);

	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 0);
	ck_assert_msg(strstr(v.summary, "1 deposit was lost") != NULL, "summary: '%s'", v.summary);
	ck_assert_double_eq(th_figure(&v, "expected"), 2.0 * amount);
	ck_assert_double_eq(th_figure(&v, "balance"), (double)amount);
	ck_assert_double_eq(th_figure(&v, "lost"), 1.0);
	ls_run_free(r);
}
END_TEST

/* One after the other: nothing is lost. */
START_TEST(dep_serial_schedule)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = dep_params(p, 2, 1, 10, 0);
	struct ls_run *r = dep_start(s, p, (_i & 1) ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS,
	                             LS_POLICY_STEP, 1);
	struct ls_verdict v;

	for (int k = 0; k < 3; k++)
		th_step(r, 0);
	for (int k = 0; k < 3; k++)
		th_step(r, 1);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ck_assert_int_eq(ls_model_var(ls_run_model(r), "balance"), 2);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_ptr_nonnull(strstr(v.summary, "every deposit counted"));
	ck_assert_double_eq(th_figure(&v, "expected"), 2);
	ck_assert_double_eq(th_figure(&v, "balance"), 2);
	ck_assert_double_eq(th_figure(&v, "lost"), 0);
	ls_run_free(r);
}
END_TEST

/* With the lock, T2 cannot even start its deposit while T1 is inside. */
START_TEST(dep_locked_blocks_second)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = dep_params(p, 2, 1, 10, 1);
	struct ls_run *r = dep_start(s, p, LS_ACTORS_THREADS, LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);

	th_step(r, 0);   /* T1 takes the lock */
	ck_assert_int_eq(ls_run_step(r, 1), -1);
	ck_assert_int_eq(ls_model_can_proceed(m, 1), 0);
	ck_assert_int_eq(m->objs[ls_model_find(m, "lock")].owner, 0);
	th_step(r, 0);   /* load */
	th_step(r, 0);   /* sleep */
	th_step(r, 0);   /* store */
	th_step(r, 0);   /* unlock */
	ck_assert_int_eq(m->actors[0].state, LS_AS_DONE);
	ck_assert_int_eq(ls_model_can_proceed(m, 1), 1);
	ls_run_free(r);
}
END_TEST

/* Locked: exact under every random schedule (loop index = seed). */
static void
dep_locked_random(enum ls_actor_kind kind, uint64_t seed)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = dep_params(p, 5, 3, 10, 1);
	struct ls_run *r = dep_start(s, p, kind, LS_POLICY_RANDOM, seed);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	/* lock, load, sleep, store, unlock for each of 5. */
	ck_assert_uint_eq(ls_run_schedule(r)->len, 25);
	ck_assert_int_eq(ls_model_var(ls_run_model(r), "balance"), 15);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "lost"), 0);
	ls_run_free(r);
}

START_TEST(dep_locked_random_threads)
{
	dep_locked_random(LS_ACTORS_THREADS, (uint64_t)_i);
}
END_TEST

START_TEST(dep_locked_random_processes)
{
	dep_locked_random(LS_ACTORS_PROCESSES, (uint64_t)_i);
}
END_TEST

/*
 * The free run's trace, in the model's order: the lock is held by one
 * depositor at a time, and each load reads what the previous store wrote.
 * (Lock, load, store and unlock are ordered by the lock itself, and each
 * records before it releases or after it acquires, so their order in the
 * merged trace is the real one.)
 */
static void
dep_check_locked_trace(const struct ls_model *m, long depositors, long amount)
{
	int lock = ls_model_find(m, "lock");
	int owner = -1;
	long value = 0, loads = 0, stores = 0;
	int holding_load = -1;

	ck_assert_uint_le(m->nhistory, LS_HISTORY);
	for (uint64_t i = 0; i < m->nhistory; i++) {
		const struct ls_event *e = &m->history[i];
		if (e->phase != LS_PH_DONE || e->actor == LS_NO_ACTOR)
			continue;
		switch (e->op) {
		case LS_OP_LOCK:
			ck_assert_int_eq(e->obj, lock);
			ck_assert_msg(owner < 0, "event %llu: T%d locks while T%d holds the lock",
			              (unsigned long long)i, e->actor + 1, owner + 1);
			owner = e->actor;
			break;
		case LS_OP_UNLOCK:
			ck_assert_int_eq(e->actor, owner);
			owner = -1;
			break;
		case LS_OP_LOAD:
			ck_assert_int_eq(e->actor, owner);
			ck_assert_int_eq(e->u.v.a, value);
			holding_load = e->actor;
			loads++;
			break;
		case LS_OP_STORE:
			ck_assert_int_eq(e->actor, owner);
			ck_assert_int_eq(e->actor, holding_load);
			ck_assert_int_eq(e->u.v.b, value);
			ck_assert_int_eq(e->u.v.a, value + amount);
			value = e->u.v.a;
			stores++;
			break;
		default:
			break;
		}
	}
	ck_assert_int_eq(owner, -1);
	ck_assert_int_eq(loads, depositors);
	ck_assert_int_eq(stores, depositors);
	ck_assert_int_eq(value, depositors * amount);
}

START_TEST(dep_locked_free)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = dep_params(p, 100, 1, 1, 1);
	struct ls_run *r = dep_start(s, p, _i ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS,
	                             LS_POLICY_FREE, 1);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	ck_assert_int_eq(ls_model_var(m, "balance"), 100);
	ck_assert_int_eq(m->ndone, 100);
	ck_assert_int_eq(m->ncrashed, 0);
	ck_assert_uint_eq(m->dropped, 0);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "expected"), 100);
	ck_assert_double_eq(th_figure(&v, "balance"), 100);
	ck_assert_double_eq(th_figure(&v, "lost"), 0);
	ck_assert_ptr_nonnull(strstr(v.expected, "100"));
	ck_assert_ptr_nonnull(strstr(v.observed, "100"));
	dep_check_locked_trace(m, 100, 1);
	ls_run_free(r);
}
END_TEST

/*
 * Unlocked free runs lose updates only by luck, so only what holds every
 * time is asserted: the run ends, the balance is between one deposit and
 * all of them, and the verdict's figures agree with the model.
 */
START_TEST(dep_unlocked_free_consistent)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = dep_params(p, 20, 1, 1, 0);
	struct ls_run *r = dep_start(s, p, LS_ACTORS_THREADS, LS_POLICY_FREE, 1);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	long balance = ls_model_var(m, "balance");
	ck_assert_int_ge(balance, 1);
	ck_assert_int_le(balance, 20);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, balance == 20);
	ck_assert_double_eq(th_figure(&v, "balance"), (double)balance);
	ck_assert_double_eq(th_figure(&v, "lost"), (double)(20 - balance));
	ls_run_free(r);
}
END_TEST

Suite *
deposit_suite(void)
{
	Suite *s = suite_create("deposit");
	TCase *tc = th_tcase(s, "forced", 30);

	tcase_add_loop_test(tc, dep_forced_lost_update, 0, 4);
	tcase_add_loop_test(tc, dep_serial_schedule, 0, 2);
	tcase_add_test(tc, dep_locked_blocks_second);

	tc = th_tcase(s, "locked", 60);
	tcase_add_loop_test(tc, dep_locked_random_threads, 1, 21);
	tcase_add_loop_test(tc, dep_locked_random_processes, 1, 5);
	tcase_add_loop_test(tc, dep_locked_free, 0, 2);
	tcase_add_test(tc, dep_unlocked_free_consistent);
	return s;
}
