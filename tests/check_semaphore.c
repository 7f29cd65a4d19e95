/*
 * check_semaphore.c - the bounded semaphore lesson.
 *
 * On the trace of every run (free, and many random schedules, threads and
 * processes) never more than `slots` threads hold the semaphore at once, and
 * every thread finishes; under controlled schedules the slots are all used
 * and the (slots+1)th thread is held back.  Over-released, the bounded
 * semaphore refuses and keeps its count, the plain one grows past it.
 * Holding counts are recomputed here from the model's history, not only
 * taken from the model's own max_holders.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "helpers.h"
#include "lockstep/model.h"
#include "engine/params.h"
#include "engine/run.h"
#include "suites.h"

/* ---- helpers ------------------------------------------------------------ */

static const struct ls_scenario *
sm_params(long *p, long threads, long slots, long hold_ms, long overrelease, long bounded)
{
	char args[160];

	snprintf(args, sizeof args,
	         "threads=%ld slots=%ld hold_ms=%ld overrelease=%ld bounded=%ld",
	         threads, slots, hold_ms, overrelease, bounded);
	return th_scenario("semaphore", p, args);
}

struct sm_result {
	enum ls_run_status status;
	int ok;
	long max_holders, completed, count, max_count, refused;
	int has_periods;
	/* Recounted from the history. */
	long trace_max_holders, trace_max_count;
};

/* Walk the whole history: holders at once and the count, event by event. */
static void
sm_recount(const struct ls_model *m, int sem, long slots, struct sm_result *out)
{
	long holders = 0, count = slots;

	ck_assert_uint_le(m->nhistory, LS_HISTORY);
	ck_assert_uint_eq(m->dropped, 0);
	out->trace_max_holders = 0;
	out->trace_max_count = count;
	for (uint64_t i = 0; i < m->nhistory; i++) {
		const struct ls_event *e = &m->history[i];
		if (e->obj != (unsigned)sem || e->phase != LS_PH_DONE)
			continue;
		if (e->op == LS_OP_SEM_ACQUIRE) {
			holders++;
			count--;
		} else if (e->op == LS_OP_SEM_RELEASE) {
			holders -= holders > 0;
			count++;
		}
		ck_assert_int_ge(count, 0);
		if (holders > out->trace_max_holders)
			out->trace_max_holders = holders;
		if (count > out->trace_max_count)
			out->trace_max_count = count;
	}
}

static struct sm_result
sm_conclude(struct ls_run *r)
{
	const struct ls_model *m = ls_run_model(r);
	const long *p = ls_run_params(r);
	const struct ls_scenario *s = ls_run_scenario(r);
	struct ls_verdict v;
	struct sm_result out;

	ls_run_verdict(r, &v);
	out.status = ls_run_status(r);
	out.ok = v.ok;
	out.max_holders = (long)th_figure(&v, "max_holders");
	out.completed = (long)th_figure(&v, "completed");
	out.count = (long)th_figure(&v, "count");
	out.max_count = (long)th_figure(&v, "max_count");
	out.refused = (long)th_figure(&v, "refused");
	out.has_periods = th_has_figure(&v, "periods");
	int sem = ls_model_find(m, "semaphore");
	ck_assert_int_ge(sem, 0);
	sm_recount(m, sem, p[ls_scenario_param_index(s, "slots")], &out);
	ck_assert_int_eq(out.trace_max_holders, out.max_holders);
	ck_assert_int_eq(out.trace_max_count, out.max_count);
	/* Every thread says its line once. */
	ck_assert_int_eq(th_said(m, "run the thread: "), out.completed);
	return out;
}

static struct sm_result
sm_run(const struct ls_scenario *s, const long *p, const struct ls_run_opts *o)
{
	struct ls_run *r = th_start_opts(s, p, o);

	ls_run_finish(r);
	struct sm_result out = sm_conclude(r);
	ls_run_free(r);
	if (o->kind == LS_ACTORS_PROCESSES)
		ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	return out;
}

/* ---- five at a time ----------------------------------------------------- */

/* Three slots: T1..T3 get in, T4 is held back until one comes out. */
START_TEST(sm_step_fills_slots)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = sm_params(p, 7, 3, 10, 0, 1);
	struct ls_run_opts o;

	ls_run_opts_default(&o, s);
	ck_assert_int_eq(o.kind, LS_ACTORS_THREADS);
	o.kind = th_kind(_i);
	o.policy = LS_POLICY_STEP;
	struct ls_run *r = th_start_opts(s, p, &o);
	const struct ls_model *m = ls_run_model(r);
	int sem = ls_model_find(m, "semaphore");

	ck_assert_int_ge(sem, 0);
	for (int a = 0; a < 3; a++) {
		ck_assert_int_eq(ls_run_step(r, a), a);   /* acquire */
		ck_assert_int_eq(m->actors[a].op, LS_OP_SLEEP);
	}
	ck_assert_int_eq(m->objs[sem].holders, 3);
	ck_assert_int_eq(m->objs[sem].value, 0);
	for (int a = 3; a < 7; a++) {
		ck_assert_int_eq(ls_run_step(r, a), -1);
		ck_assert_int_eq(m->actors[a].op, LS_OP_SEM_ACQUIRE);
	}
	/* T2 holds, says its line, releases: now T4 may enter. */
	ck_assert_int_eq(ls_run_step(r, 1), 1);
	ck_assert_int_eq(ls_run_step(r, 1), 1);
	ck_assert_int_eq(ls_run_step(r, 3), -1);
	ck_assert_int_eq(ls_run_step(r, 1), 1);
	ck_assert_int_eq(m->objs[sem].holders, 2);
	ck_assert_int_eq(ls_run_step(r, 3), 3);
	ck_assert_int_eq(m->objs[sem].holders, 3);
	ck_assert_int_eq(ls_run_step(r, 4), -1);

	int steps = 0;
	th_run_out(r, &steps, 200);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	struct sm_result res = sm_conclude(r);
	ck_assert_int_eq(res.max_holders, 3);
	ck_assert_int_eq(res.completed, 7);
	ck_assert_int_eq(res.count, 3);
	ck_assert_int_eq(res.ok, 1);
	ck_assert(!res.has_periods);   /* sleeps took no time: no period to measure */
	ls_run_free(r);
}
END_TEST

/* Many random schedules: the slots fill, and are never exceeded. */
START_TEST(sm_random_seeds)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = sm_params(p, 22, 5, 10, 0, 1);
	struct ls_run_opts o;

	th_opts(&o, s, th_kind(_i), LS_POLICY_RANDOM);
	for (uint64_t seed = 1; seed <= 12; seed++) {
		o.seed = seed * 104729;
		struct sm_result res = sm_run(s, p, &o);
		ck_assert_int_eq(res.status, LS_RUN_FINISHED);
		ck_assert_int_le(res.max_holders, 5);
		ck_assert_msg(res.max_holders == 5, "seed %llu: at most %ld holders",
		              (unsigned long long)o.seed, res.max_holders);
		ck_assert_int_eq(res.completed, 22);
		ck_assert_int_eq(res.count, 5);
		ck_assert_int_le(res.max_count, 5);
		ck_assert_int_eq(res.refused, 0);
		ck_assert_int_eq(res.ok, 1);
	}
}
END_TEST

/* Fewer threads than slots: every thread can be inside at once. */
START_TEST(sm_few_threads)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = sm_params(p, 3, 5, 10, 0, 1);
	struct ls_run_opts o;
	struct ls_schedule sched;

	ls_schedule_init(&sched);
	for (int a = 0; a < 3; a++)
		ls_schedule_push(&sched, a);   /* each acquires; then lowest first */
	th_opts(&o, s, th_kind(_i), LS_POLICY_REPLAY);
	o.replay = &sched;
	struct sm_result res = sm_run(s, p, &o);
	ck_assert_int_eq(res.status, LS_RUN_FINISHED);
	ck_assert_int_eq(res.max_holders, 3);
	ck_assert_int_eq(res.completed, 3);
	ck_assert_int_eq(res.count, 5);
	ck_assert_int_eq(res.ok, 1);
	ls_schedule_clear(&sched);
}
END_TEST

/* Free runs: the invariants hold whatever the OS does. */
START_TEST(sm_free)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = sm_params(p, 22, 5, 10, 0, 1);
	struct ls_run_opts o;

	ls_run_opts_default(&o, s);
	o.kind = th_kind(_i);
	for (int k = 0; k < 3; k++) {
		struct sm_result res = sm_run(s, p, &o);
		ck_assert_int_eq(res.status, LS_RUN_FINISHED);
		ck_assert_int_le(res.max_holders, 5);
		ck_assert_int_ge(res.max_holders, 1);
		ck_assert_int_eq(res.completed, 22);
		ck_assert_int_eq(res.count, 5);
		ck_assert_int_le(res.max_count, 5);
		ck_assert_int_eq(res.ok, 1);
		ck_assert(res.has_periods);
	}
}
END_TEST

/* ---- one release too many ----------------------------------------------- */

static void
sm_check_overrelease(const struct sm_result *res, long bounded)
{
	ck_assert_int_eq(res->status, LS_RUN_FINISHED);
	ck_assert_int_eq(res->completed, 22);
	ck_assert_int_le(res->max_holders, 5);
	if (bounded) {
		ck_assert_int_eq(res->refused, 1);
		ck_assert_int_eq(res->count, 5);
		ck_assert_int_le(res->max_count, 5);
		ck_assert_int_eq(res->ok, 1);
	} else {
		ck_assert_int_eq(res->refused, 0);
		ck_assert_int_eq(res->count, 6);
		ck_assert_int_eq(res->max_count, 6);
		ck_assert_int_eq(res->ok, 0);
	}
}

START_TEST(sm_overrelease_seeds)
{
	long p[LS_PARAMS_MAX];
	struct ls_run_opts o;

	for (long bounded = 0; bounded <= 1; bounded++) {
		const struct ls_scenario *s = sm_params(p, 22, 5, 10, 1, bounded);
		th_opts(&o, s, th_kind(_i), LS_POLICY_RANDOM);
		for (uint64_t seed = 1; seed <= 6; seed++) {
			o.seed = seed;
			struct sm_result res = sm_run(s, p, &o);
			sm_check_overrelease(&res, bounded);
		}
	}
}
END_TEST

/* The words the learner sees, bounded and plain, from a free run. */
START_TEST(sm_overrelease_free)
{
	long p[LS_PARAMS_MAX];
	struct ls_run_opts o;
	struct ls_verdict v;

	for (long bounded = 0; bounded <= 1; bounded++) {
		const struct ls_scenario *s = sm_params(p, 22, 5, 10, 1, bounded);
		ls_run_opts_default(&o, s);
		o.kind = th_kind(_i);
		struct ls_run *r = th_start_opts(s, p, &o);
		ls_run_finish(r);
		struct sm_result res = sm_conclude(r);
		sm_check_overrelease(&res, bounded);
		const struct ls_model *m = ls_run_model(r);
		ls_run_verdict(r, &v);
		if (bounded) {
			ck_assert_int_eq(th_said(m, "ValueError: Semaphore released too many times"), 1);
			ck_assert_msg(strstr(v.summary, "refused"), "summary: %s", v.summary);
		} else {
			ck_assert_int_eq(th_said(m, "ValueError"), 0);
			ck_assert_int_eq(th_said(m, "no error"), 1);
			ck_assert_msg(strstr(v.summary, "grew to 6") && strstr(v.summary, "BoundedSemaphore"),
			              "summary: %s", v.summary);
		}
		ls_run_free(r);
	}
}
END_TEST

START_TEST(sm_descriptor)
{
	const struct ls_scenario *s = ls_scenario_find("semaphore");
	long p[LS_PARAMS_MAX];
	char buf[200];

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->kind, LS_ACTORS_THREADS);
	ck_assert_int_eq(s->toggle_param, ls_scenario_param_index(s, "overrelease"));
	ls_params_default(s, p);
	ls_params_format(s, p, buf, sizeof buf);
	ck_assert_str_eq(buf, "threads=22 slots=5 hold_ms=1000 overrelease=0 bounded=1");
	ck_assert_int_eq(ls_scenario_actor_count(s, p), 22);
}
END_TEST

Suite *
semaphore_suite(void)
{
	Suite *s = suite_create("semaphore");
	TCase *tc = th_tcase(s, "descriptor", 10);

	tcase_add_test(tc, sm_descriptor);

	tc = th_tcase(s, "slots", 90);
	tcase_add_loop_test(tc, sm_step_fills_slots, 0, 2);
	tcase_add_loop_test(tc, sm_random_seeds, 0, 2);
	tcase_add_loop_test(tc, sm_few_threads, 0, 2);
	tcase_add_loop_test(tc, sm_free, 0, 2);

	tc = th_tcase(s, "overrelease", 90);
	tcase_add_loop_test(tc, sm_overrelease_seeds, 0, 2);
	tcase_add_loop_test(tc, sm_overrelease_free, 0, 2);
	return s;
}
