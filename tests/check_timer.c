/*
 * check_timer.c - threading.Timer.  Stepped, time is logical, so the order
 * of main's cancel() and the timer's check decides the outcome: both orders
 * are forced, in threads and processes.  Free runs use margins of seconds
 * between the interval and the cancel, and assert on the trace's order.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "lockstep/model.h"
#include "engine/run.h"
#include "suites.h"

enum { TM_MAIN, TM_TIMER };

/* Stepped, with every actor parked, or done: with cancel=never main has no
 * probe at all and simply ends. */
static struct ls_run *
tm_start(const char *args, long *p, int i)
{
	const struct ls_scenario *s = th_scenario("timer", p, args);
	struct ls_run *r = th_start(s, p, th_kind(i), LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);

	for (int a = 0; a < m->nactors; a++)
		while (m->actors[a].state != LS_AS_GATE && m->actors[a].state != LS_AS_DONE)
			ck_assert_int_eq(ls_run_poll(r, 100), LS_RUN_RUNNING);
	return r;
}

/* main cancels while the timer still waits: the wait sees the flag set. */
START_TEST(tm_cancel_before_fires)
{
	long p[LS_PARAMS_MAX];
	struct ls_run *r = tm_start("delay_ms=1000 cancel=before", p, _i);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;

	th_step(r, TM_MAIN);    /* sleep */
	th_step(r, TM_MAIN);    /* cancel(): finished.set() */
	ck_assert_int_eq(m->actors[TM_MAIN].state, LS_AS_DONE);
	th_step(r, TM_TIMER);   /* wait: set */
	th_step(r, TM_TIMER);   /* is_set(): set, so no hello() */
	ck_assert_int_eq(m->actors[TM_TIMER].op, LS_OP_EVENT_SET);
	th_step(r, TM_TIMER);   /* finished.set() */
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ck_assert_int_eq(th_said(m, "hello, world"), 0);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_ptr_nonnull(strstr(v.summary, "cancel before it fires: the function never runs"));
	ck_assert_double_eq(th_figure(&v, "fired"), 0);
	ck_assert_double_eq(th_figure(&v, "cancelled"), 1);
	ck_assert_double_eq(th_figure(&v, "when"), 1);
	ls_run_free(r);
}
END_TEST

/* The timer's wait runs out first and it fires; main's cancel does nothing. */
START_TEST(tm_cancel_after_does_nothing)
{
	long p[LS_PARAMS_MAX];
	struct ls_run *r = tm_start("delay_ms=1000 cancel=after", p, _i);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;
	int steps = 0;

	th_step(r, TM_TIMER);   /* wait: granted with the flag clear, it timed out */
	th_step(r, TM_TIMER);   /* is_set(): clear */
	ck_assert_int_eq(m->actors[TM_TIMER].op, LS_OP_SAY);
	th_step(r, TM_TIMER);   /* hello() */
	ck_assert_int_eq(th_said(m, "hello, world"), 1);
	th_run_out(r, &steps, 10);
	ck_assert_int_eq(steps, 3);   /* the timer's set, main's sleep and cancel */
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ck_assert_int_eq(th_said(m, "hello, world"), 1);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_ptr_nonnull(strstr(v.summary, "cancel after: nothing happens"));
	ck_assert_double_eq(th_figure(&v, "fired"), 1);
	ck_assert_double_eq(th_figure(&v, "cancelled"), 1);
	ck_assert_double_eq(th_figure(&v, "when"), 2);
	ls_run_free(r);
}
END_TEST

/* Asked to cancel before, but the timer looked first: the verdict says so. */
START_TEST(tm_cancel_too_late)
{
	long p[LS_PARAMS_MAX];
	struct ls_run *r = tm_start("delay_ms=1000 cancel=before", p, _i);
	struct ls_verdict v;
	int steps = 0;

	th_step(r, TM_TIMER);
	th_step(r, TM_TIMER);
	th_run_out(r, &steps, 10);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 0);
	ck_assert_ptr_nonnull(strstr(v.summary, "cancel() did nothing"));
	ck_assert_double_eq(th_figure(&v, "fired"), 1);
	ck_assert_double_eq(th_figure(&v, "when"), 2);
	ls_run_free(r);
}
END_TEST

/* No cancel: main has no step at all; the timer fires once. */
START_TEST(tm_never_fires_once)
{
	long p[LS_PARAMS_MAX];
	struct ls_run *r = tm_start("delay_ms=1000 cancel=never", p, _i);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;
	int steps = 0;

	th_run_out(r, &steps, 10);
	ck_assert_int_eq(steps, 4);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ck_assert_int_eq(th_said(m, "hello, world"), 1);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "fired"), 1);
	ck_assert_double_eq(th_figure(&v, "cancelled"), 0);
	ck_assert_double_eq(th_figure(&v, "when"), 0);
	ls_run_free(r);
}
END_TEST

/* Free runs, seconds of margin: before never fires, after fires once; the
 * trace's order agrees with the outcome. Bit 0: processes; bit 1: after. */
START_TEST(tm_free)
{
	long p[LS_PARAMS_MAX];
	int after = (_i & 2) != 0;
	const struct ls_scenario *s = th_scenario("timer", p, after
	                                          ? "delay_ms=50 cancel=after cancel_ms=2050"
	                                          : "delay_ms=5000 cancel=before cancel_ms=0");
	struct ls_run *r = th_start(s, p, th_kind(_i & 1), LS_POLICY_FREE, 1);
	struct ls_verdict v;

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "fired"), after);
	ck_assert_double_eq(th_figure(&v, "when"), after ? 2 : 1);
	ck_assert_int_eq(th_said(ls_run_model(r), "hello, world"), after);
	if (after)   /* it waited its interval for real */
		ck_assert(th_figure(&v, "fired_ms") >= 49);
	ls_run_free(r);
}
END_TEST

Suite *
timer_suite(void)
{
	Suite *s = suite_create("timer");
	TCase *tc = th_tcase(s, "stepped", 30);

	tcase_add_loop_test(tc, tm_cancel_before_fires, 0, 2);
	tcase_add_loop_test(tc, tm_cancel_after_does_nothing, 0, 2);
	tcase_add_loop_test(tc, tm_cancel_too_late, 0, 2);
	tcase_add_loop_test(tc, tm_never_fires_once, 0, 2);
	tc = th_tcase(s, "free", 60);
	tcase_add_loop_test(tc, tm_free, 0, 4);
	return s;
}
