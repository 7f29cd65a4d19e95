/*
 * check_door.c - the door opened by card swipes.
 *
 * Every run ends with every member of staff through and the door gone (its
 * wait looks up once a tick), nobody passes after seeing the door closed,
 * and the door closes only after being open more than close_after ticks.
 * A stepped schedule shows a swipe waking the waiting door.
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
door_test_params(long *p, long staff, long tick_ms, long gap_ms)
{
	char args[160];

	snprintf(args, sizeof args, "staff=%ld tick_ms=%ld gap_ms=%ld", staff, tick_ms, gap_ms);
	return th_scenario("door", p, args);
}

/*
 * From the history: each pass follows its own check that saw the door open,
 * and the door clears the event only after saying "door opening" more than
 * close_after times since it last said it was closed.
 */
static void
door_test_history(const struct ls_model *m, long close_after)
{
	int door = ls_model_find(m, "door");
	int passed = ls_model_find(m, "passed");
	int open = 0, seen[16] = { 0 };
	long counter = 0;

	ck_assert_int_le(m->nactors, 16);
	ck_assert_uint_le(m->nhistory, LS_HISTORY);
	for (uint64_t i = 0; i < m->nhistory; i++) {
		const struct ls_event *e = &m->history[i];
		if (e->actor == LS_NO_ACTOR || e->phase != LS_PH_DONE)
			continue;
		if (e->op == LS_OP_SAY && e->actor == 0) {
			if (strstr(e->u.text, "door opening"))
				counter++;
			else if (strstr(e->u.text, "door closed"))
				counter = 0;
		} else if (e->obj == door && e->op == LS_OP_EVENT_SET) {
			open = 1;
		} else if (e->obj == door && e->op == LS_OP_EVENT_CLEAR) {
			ck_assert_int_eq(e->actor, 0);
			ck_assert_int_gt(counter, close_after);
			open = 0;
		} else if (e->obj == door && e->op == LS_OP_EVENT_TEST) {
			ck_assert_int_eq(e->u.v.b, open);
			seen[e->actor] = (int)e->u.v.b;
		} else if (e->obj == passed && e->op == LS_OP_ADD) {
			ck_assert_int_eq(seen[e->actor], 1);
		}
	}
}

static void
door_test_clean(struct ls_run *r, long staff)
{
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ck_assert_int_eq(m->ndone, staff + 1);
	ck_assert_int_eq(m->ncrashed, 0);
	ck_assert_uint_eq(m->dropped, 0);
	ck_assert_int_eq(ls_model_var(m, "passed"), staff);
	ck_assert_int_ge(ls_model_var(m, "swipes"), 1);
	ls_run_verdict(r, &v);
	ck_assert_msg(v.ok == 1, "verdict: %s / %s", v.observed, v.summary);
	ck_assert_double_eq(th_figure(&v, "passed"), (double)staff);
	ck_assert_double_eq(th_figure(&v, "passed_closed"), 0);
	ck_assert_double_eq(th_figure(&v, "order_errors"), 0);
	ck_assert_double_ge(th_figure(&v, "openings"), 1);
	door_test_history(m, 3);
}

/* Free runs; loop index: bit 0 processes, bit 1 arrival seed 2. */
START_TEST(door_free)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = door_test_params(p, 5, 2, 6);
	th_set(s, p, "arrival_seed", (_i & 2) ? 2 : 1);
	struct ls_run *r = th_start(s, p, (_i & 1) ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS,
	                            LS_POLICY_FREE, 1);

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	door_test_clean(r, 5);
	ls_run_free(r);
}
END_TEST

/* Random schedules, loop index = seed. */
START_TEST(door_random)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = door_test_params(p, 5, 500, 1000);
	struct ls_run *r = th_start(s, p, LS_ACTORS_THREADS, LS_POLICY_RANDOM, (uint64_t)_i);

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	door_test_clean(r, 5);
	ls_run_free(r);
}
END_TEST

/*
 * The door finds itself closed and waits (a timed wait: in a controlled run
 * it times out at once while the flag is clear); a swipe sets the event,
 * and the door's next look finds it open.
 */
START_TEST(door_swipe_opens)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = door_test_params(p, 1, 500, 1000);
	struct ls_run *r = th_start(s, p, LS_ACTORS_THREADS, LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	int door = ls_model_find(m, "door");
	int guard = 0;

	th_step(r, 0);   /* load passed */
	th_step(r, 0);   /* is_set: closed */
	th_step(r, 0);   /* say "door closed" */
	ck_assert_int_eq(m->actors[0].op, LS_OP_EVENT_WAIT);
	th_step(r, 0);   /* wait_for: times out (logical time) */
	ck_assert_int_eq(m->actors[0].op, LS_OP_LOAD);
	/* The staff member arrives, finds it closed, swipes. */
	while (m->objs[door].value == 0) {
		th_step(r, 1);
		ck_assert_int_lt(++guard, 20);
	}
	ck_assert_int_eq(ls_model_var(m, "swipes"), 1);
	th_step(r, 0);   /* load passed: 0 */
	th_step(r, 0);   /* wait_for: open now */
	ck_assert_int_eq(m->actors[0].state, LS_AS_GATE);
	ck_assert_int_eq(m->history[(m->nhistory - 2) % LS_HISTORY].op, LS_OP_EVENT_WAIT);
	ck_assert_int_eq(m->history[(m->nhistory - 2) % LS_HISTORY].u.v.b, 1);
	th_run_out(r, &guard, 1000);
	door_test_clean(r, 1);
	ls_run_free(r);
}
END_TEST

/*
 * The door closes on its own: the first member of staff swipes and passes,
 * the door stays open for more than close_after looks and clears the event,
 * so the second finds it closed and must swipe again.
 */
START_TEST(door_closes_after_open)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = door_test_params(p, 2, 500, 1000);
	struct ls_run *r = th_start(s, p, LS_ACTORS_THREADS, LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	int door = ls_model_find(m, "door");
	struct ls_verdict v;
	int guard = 0;

	while (ls_model_var(m, "passed") == 0) {
		th_step(r, 1);
		ck_assert_int_lt(++guard, 20);
	}
	ck_assert_int_eq(m->objs[door].value, 1);
	guard = 0;
	while (m->objs[door].value == 1) {
		th_step(r, 0);
		ck_assert_int_lt(++guard, 40);
	}
	guard = 0;
	th_run_out(r, &guard, 1000);
	door_test_clean(r, 2);
	ls_run_verdict(r, &v);
	ck_assert_double_eq(th_figure(&v, "closings"), 1);
	ck_assert_double_ge(th_figure(&v, "openings"), 2);
	ck_assert_int_eq(ls_model_var(m, "swipes"), 2);
	ls_run_free(r);
}
END_TEST

Suite *
door_suite(void)
{
	Suite *s = suite_create("door");
	TCase *tc = th_tcase(s, "stepped", 30);

	tcase_add_test(tc, door_swipe_opens);
	tcase_add_test(tc, door_closes_after_open);

	tc = th_tcase(s, "runs", 60);
	tcase_add_loop_test(tc, door_free, 0, 4);
	tcase_add_loop_test(tc, door_random, 1, 21);
	return s;
}
