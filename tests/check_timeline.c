/*
 * check_timeline.c - the timeline's columns against the model, step by
 * step.  The columns are sampled from the model as it applies each event,
 * so after every step the newest column must say exactly what the model
 * says: who holds a lock or semaphore, who is blocked, sleeping or done.
 * The gil lesson is the hard case (a condition wait lets go of the mutex;
 * waking takes it back), rlock the reentrant one.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "helpers.h"
#include "lockstep/model.h"
#include "suites.h"
#include "tui/timeline.h"

static uint64_t
tlt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Disagreements between the newest column and the model, after one step. */
static long
tlt_compare(const struct timeline *tl, const struct ls_model *m, long step)
{
	long bad = 0;
	uint64_t col;

	ck_assert_uint_gt(tl->ncols, 0);
	col = tl->ncols - 1;
	for (int a = 0; a < m->nactors; a++) {
		uint8_t cell = timeline_cell(tl, col, a);
		uint8_t st = cell & TL_STATE;
		int holds = m->actors[a].nholds > 0;
		uint8_t want;

		if (!!(cell & TL_HOLD) != holds) {
			if (bad < 5)
				fprintf(stderr, "step %ld: %s %s in the model, %s on the timeline\n", step,
				        m->actors[a].name, holds ? "holds" : "holds nothing",
				        cell & TL_HOLD ? "holding" : "not holding");
			bad++;
		}
		if (cell & TL_MOVED)
			continue;   /* the column says it moved, whatever it does now */
		switch (m->actors[a].state) {
		case LS_AS_BLOCKED:  want = TL_BLOCKED; break;
		case LS_AS_SLEEPING: want = TL_SLEEP; break;
		case LS_AS_DONE:     want = TL_DONE; break;
		case LS_AS_CRASHED:  want = TL_CRASH; break;
		case LS_AS_GATE:     want = ls_model_can_proceed(m, a) ? TL_READY : TL_BLOCKED; break;
		default:             continue;
		}
		if (st != want) {
			if (bad < 5)
				fprintf(stderr, "step %ld: %s is %s in the model, lane %d on the timeline\n",
				        step, m->actors[a].name, ls_model_state_word(m, a), st);
			bad++;
		}
	}
	return bad;
}

/* A seeded random run of steps, compared after every one. */
static void
tlt_run(const char *scenario, const char *params, uint64_t seed, int steps)
{
	long p[64];
	const struct ls_scenario *s = th_scenario(scenario, p, params);
	struct ls_run *r = th_start(s, p, LS_ACTORS_THREADS, LS_POLICY_RANDOM, seed);
	struct timeline tl;
	long bad = 0;
	int done = 0;

	ck_assert_int_eq(timeline_init(&tl, r), 0);
	for (int i = 0; i < steps; i++) {
		uint64_t h0 = ls_run_model(r)->nhistory;
		if (ls_run_step(r, -1) < 0)
			break;
		done++;
		timeline_feed(&tl, 0, tlt_now());
		long b = tlt_compare(&tl, ls_run_model(r), i + 1);
		if (b && bad < 2 && getenv("TLT_DEBUG")) {
			const struct ls_model *m = ls_run_model(r);
			for (uint64_t k = h0 > 6 ? h0 - 6 : 0; k < m->nhistory; k++) {
				const struct ls_event *e = &m->history[k % LS_HISTORY];
				fprintf(stderr, "  %s%llu: actor %d %s %s obj %d a %lld\n", k >= h0 ? "*" : " ",
				        (unsigned long long)k, e->actor, ls_op_name(e->op),
				        ls_phase_name(e->phase), e->obj, (long long)e->u.v.a);
			}
		}
		bad += b;
	}
	ck_assert_int_gt(done, 10);
	if (done < steps)   /* stopped early only because the run is over */
		ck_assert_int_ne(ls_run_status(r), LS_RUN_RUNNING);
	ck_assert_msg(bad == 0, "%s: %ld disagreements in %d steps", scenario, bad, done);
	ls_run_free(r);
	timeline_free(&tl);
}

START_TEST(timeline_gil_agrees_with_model)
{
	/* The case: 5,000 steps of gil with seed 7. */
	tlt_run("gil", "", 7, 5000);
}
END_TEST

START_TEST(timeline_gil_io_agrees)
{
	tlt_run("gil", "work=io io_ms=1 work_ms=20", 3, 2000);
}
END_TEST

START_TEST(timeline_rlock_agrees_with_model)
{
	tlt_run("rlock", "", 1, 200);
}
END_TEST

START_TEST(timeline_semaphore_agrees_with_model)
{
	tlt_run("semaphore", "threads=8 hold_ms=1", 5, 400);
}
END_TEST

Suite *
timeline_suite(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc = th_tcase(s, "columns", 120);

	tcase_add_test(tc, timeline_gil_agrees_with_model);
	tcase_add_test(tc, timeline_gil_io_agrees);
	tcase_add_test(tc, timeline_rlock_agrees_with_model);
	tcase_add_test(tc, timeline_semaphore_agrees_with_model);
	return s;
}
