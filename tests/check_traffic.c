/*
 * check_traffic.c - the traffic light and its cars.
 *
 * On every run (free runs with short ticks, as threads and as processes,
 * and twenty random schedules) the fold finds no drive on red, no wait that
 * ended at red and no check out of the event's order; every actor finishes
 * and the light shows `cycles` red phases.  A stepped schedule makes a car
 * arrive at red: it cannot move until the light turns green.  The fold's
 * invariants are also recomputed here from the model's history.
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
tr_params(long *p, long cars, long cycles, long tick_ms)
{
	char args[160];

	snprintf(args, sizeof args, "cars=%ld cycles=%ld tick_ms=%ld", cars, cycles, tick_ms);
	return th_scenario("traffic", p, args);
}

/*
 * The invariants again, from the history: each drive follows its car's own
 * check that saw the flag set, and every check saw the flag as the set and
 * clear events before it left it.  Returns the drives seen.
 */
static long
tr_check_history(const struct ls_model *m)
{
	int light = ls_model_find(m, "light");
	int drives = ls_model_find(m, "drives");
	int flag = 0;
	int seen[8] = { 0 };
	long n = 0;

	ck_assert_int_le(m->nactors, 8);
	ck_assert_uint_le(m->nhistory, LS_HISTORY);
	for (uint64_t i = 0; i < m->nhistory; i++) {
		const struct ls_event *e = &m->history[i];
		if (e->actor == LS_NO_ACTOR || e->phase != LS_PH_DONE)
			continue;
		if (e->obj == light && e->op == LS_OP_EVENT_SET)
			flag = 1;
		else if (e->obj == light && e->op == LS_OP_EVENT_CLEAR)
			flag = 0;
		else if (e->obj == light && e->op == LS_OP_EVENT_TEST) {
			ck_assert_int_eq(e->u.v.b, flag);
			seen[e->actor] = (int)e->u.v.b;
		} else if (e->obj == light && e->op == LS_OP_EVENT_WAIT) {
			ck_assert_int_eq(flag, 1);
		} else if (e->obj == drives && e->op == LS_OP_ADD) {
			ck_assert_msg(seen[e->actor] == 1, "event %llu: %s drives without seeing green",
			              (unsigned long long)i, m->actors[e->actor].name);
			seen[e->actor] = 0;
			n++;
		}
	}
	return n;
}

static void
tr_assert_clean(struct ls_run *r, long cars, long cycles)
{
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ck_assert_int_eq(m->ndone, cars + 1);
	ck_assert_int_eq(m->ncrashed, 0);
	ck_assert_uint_eq(m->dropped, 0);
	ck_assert_int_eq(ls_model_var(m, "stop"), 1);
	ls_run_verdict(r, &v);
	ck_assert_msg(v.ok == 1, "verdict: %s / %s", v.observed, v.summary);
	ck_assert_double_eq(th_figure(&v, "drives_on_red"), 0);
	ck_assert_double_eq(th_figure(&v, "wakes_on_red"), 0);
	ck_assert_double_eq(th_figure(&v, "order_errors"), 0);
	ck_assert_double_eq(th_figure(&v, "reds"), (double)cycles);
	ck_assert_double_eq(th_figure(&v, "drives"), (double)ls_model_var(m, "drives"));
	ck_assert_double_eq(th_figure(&v, "waits"), (double)ls_model_var(m, "waits"));
	ck_assert_int_eq(tr_check_history(m), ls_model_var(m, "drives"));
}

/* Free runs with 2 ms ticks; loop index: bit 0 processes, bit 1 three cars. */
START_TEST(tr_free)
{
	long p[LS_PARAMS_MAX];
	long cars = (_i & 2) ? 3 : 1;
	const struct ls_scenario *s = tr_params(p, cars, 2, 2);
	struct ls_run *r = th_start(s, p, (_i & 1) ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS,
	                            LS_POLICY_FREE, 1);

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	tr_assert_clean(r, cars, 2);
	/* A drive lasts one tick and red five: every car meets a red light. */
	ck_assert_int_ge(ls_model_var(ls_run_model(r), "waits"), 1);
	ls_run_free(r);
}
END_TEST

/* Random schedules, loop index = seed. */
START_TEST(tr_random)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = tr_params(p, 2, 2, 1000);
	struct ls_run *r = th_start(s, p, LS_ACTORS_THREADS, LS_POLICY_RANDOM, (uint64_t)_i);

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	tr_assert_clean(r, 2, 2);
	ck_assert_int_ge(ls_model_var(ls_run_model(r), "waits"), 1);
	ls_run_free(r);
}
END_TEST

/*
 * A car arrives at red: the light runs until it has cleared the event, then
 * the car checks, says it waits and parks before wait(), unable to move.
 * Once the light sets the event the car can go, and it drives.
 */
START_TEST(tr_car_waits_at_red)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = tr_params(p, 1, 1, 1000);
	struct ls_run *r = th_start(s, p, LS_ACTORS_THREADS, LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	int light = ls_model_find(m, "light");
	int guard = 0;

	/* The light: set, then say and sleep six times, then clear. */
	th_step(r, 0);
	ck_assert_int_eq(m->objs[light].value, 1);
	while (m->objs[light].value == 1) {
		th_step(r, 0);
		ck_assert_int_lt(++guard, 100);
	}
	/* The car: load stop, is_set (red), add waits, say; now at wait(). */
	for (int k = 0; k < 4; k++)
		th_step(r, 1);
	ck_assert_int_eq(ls_model_var(m, "waits"), 1);
	ck_assert_int_eq(m->actors[1].op, LS_OP_EVENT_WAIT);
	ck_assert_int_eq(ls_model_can_proceed(m, 1), 0);
	ck_assert_int_eq(ls_run_step(r, 1), -1);
	ck_assert_int_eq(ls_run_next_pick(r), 0);

	/* The red phase runs out; the light's final set lets the car go. */
	guard = 0;
	while (!ls_model_can_proceed(m, 1)) {
		th_step(r, 0);
		ck_assert_int_lt(++guard, 100);
	}
	ck_assert_int_eq(m->objs[light].value, 1);
	th_step(r, 1);
	ck_assert_int_eq(m->actors[1].state, LS_AS_GATE);
	th_run_out(r, &guard, 1000);
	tr_assert_clean(r, 1, 1);
	ls_run_free(r);
}
END_TEST

/* The car sees green and sets off; the light turns red before it drives. */
START_TEST(tr_gap_after_check)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = tr_params(p, 1, 1, 1000);
	struct ls_run *r = th_start(s, p, LS_ACTORS_THREADS, LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	int light = ls_model_find(m, "light");
	struct ls_verdict v;
	int guard = 0;

	th_step(r, 0);           /* green */
	th_step(r, 1);           /* car: load stop */
	th_step(r, 1);           /* car: is_set -> green */
	while (m->objs[light].value == 1) {
		th_step(r, 0);
		ck_assert_int_lt(++guard, 100);
	}
	th_step(r, 1);           /* car: the drive, now under a red light */
	th_run_out(r, &guard, 1000);
	tr_assert_clean(r, 1, 1);
	ls_run_verdict(r, &v);
	ck_assert_double_ge(th_figure(&v, "red_after_check"), 1);
	ls_run_free(r);
}
END_TEST

Suite *
traffic_suite(void)
{
	Suite *s = suite_create("traffic");
	TCase *tc = th_tcase(s, "stepped", 30);

	tcase_add_test(tc, tr_car_waits_at_red);
	tcase_add_test(tc, tr_gap_after_check);

	tc = th_tcase(s, "runs", 60);
	tcase_add_loop_test(tc, tr_free, 0, 4);
	tcase_add_loop_test(tc, tr_random, 1, 21);
	return s;
}
