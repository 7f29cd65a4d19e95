/*
 * check_explore_reduce.c - the explorer's reductions against the unpruned
 * search: state caching with symmetry (reduce) and sleep sets must find
 * exactly the unpruned search's outcomes and deadlocks, and count exactly
 * its schedules per outcome, for every registered scenario at small sizes;
 * under a preemption bound too.  Deposit: the trace classes sleep sets run
 * (36 at 3 depositors, 576 at 4), the true proportions behind the pruned
 * runs (6 / 270 / 1404 of 1680 with the 10 ms step), and the executions
 * state caching needs against the targets (>= 10x fewer than the
 * 90 schedules at 3 depositors, >= 1,000x fewer than the 113,400 at 5).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/explore.h"
#include "helpers.h"
#include "engine/params.h"
#include "suites.h"

/*
 * The registry's small configurations (each lesson's explore_cases), with
 * their scenario: searched whole, or under a preemption bound when the
 * lesson marks the case bounded (its whole space is beyond the unpruned
 * search).  Every registered scenario must have at least one (the first
 * test fails on a scenario without), so a new lesson is checked too.
 */
#define RX_MAX 128
struct rx_case {
	const struct ls_scenario *s;
	const struct ls_explore_case *c;
};
static struct rx_case rx_cases[RX_MAX], rx_bounded_cases[RX_MAX];
static int rx_ncases, rx_nbounded;

static void
rx_collect(void)
{
	rx_ncases = rx_nbounded = 0;
	for (const struct ls_scenario *const *s = ls_scenarios; *s; s++)
		for (int i = 0; i < (*s)->nexplore_cases; i++) {
			const struct ls_explore_case *c = &(*s)->explore_cases[i];
			struct rx_case *to = c->bounded ? &rx_bounded_cases[rx_nbounded++]
			                                : &rx_cases[rx_ncases++];

			to->s = *s;
			to->c = c;
			if (rx_ncases == RX_MAX || rx_nbounded == RX_MAX)
				return;
		}
}

static const struct ls_scenario *
rx_params(const struct ls_scenario *s, const char *params, long *p)
{
	char buf[256], err[256];

	ls_params_default(s, p);
	snprintf(buf, sizeof buf, "%s", params);
	for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
		ck_assert_msg(ls_params_set(s, p, t, err, sizeof err) == 0, "%s: %s", s->name, err);
	return s;
}

enum rx_mode { RX_ALL, RX_SLEEP, RX_REDUCE, RX_REDUCE_NOSYM };

static void
rx_explore(const struct ls_scenario *s, const long *p, enum rx_mode mode, int bound,
           long max_steps, enum ls_actor_kind kind, struct ls_explore_result *res)
{
	struct ls_explore_opts o;
	char err[256] = "";

	ls_explore_opts_default(&o, s);
	o.kind = kind;
	o.prune = mode != RX_ALL;
	o.reduce = mode == RX_REDUCE || mode == RX_REDUCE_NOSYM;
	o.symmetry = mode == RX_REDUCE;
	o.bound = bound;
	o.max_runs = 100000;
	if (max_steps > 0)
		o.max_steps = max_steps;
	ck_assert_msg(ls_explore(s, p, &o, res, err, sizeof err) == 0, "ls_explore: %s", err);
	ck_assert_msg(res->complete, "%s: search incomplete", s->name);
	ck_assert_int_eq(res->diverged, 0);
	ck_assert(res->schedules_exact);
	ck_assert(!res->schedules_saturated);
}

static const struct ls_outcome *
rx_find(const struct ls_explore_result *res, const struct ls_outcome *a)
{
	for (size_t j = 0; j < res->noutcomes; j++) {
		const struct ls_outcome *b = &res->outcomes[j];
		if (a->ok == b->ok && a->deadlock == b->deadlock &&
		    memcmp(a->vars, b->vars, (size_t)res->nvars * sizeof a->vars[0]) == 0)
			return b;
	}
	return NULL;
}

/* Schedules ending with this verdict and deadlock, whatever the values. */
static uint64_t
rx_by_verdict(const struct ls_explore_result *res, int ok, int deadlock)
{
	uint64_t n = 0;
	for (size_t i = 0; i < res->noutcomes; i++)
		if (res->outcomes[i].ok == ok && res->outcomes[i].deadlock == deadlock)
			n += res->outcomes[i].schedules;
	return n;
}

/*
 * y found exactly x's outcomes (values, verdict, deadlock), each with as
 * many schedules; with as many schedules abandoned as too long.  x is the
 * unpruned search, where every run is one schedule.
 */
static void
rx_same_outcomes(const struct ls_explore_result *x, const struct ls_explore_result *y,
                 const char *what)
{
	ck_assert_msg(x->noutcomes == y->noutcomes, "%s: %zu outcomes, unpruned %zu", what,
	              y->noutcomes, x->noutcomes);
	for (size_t i = 0; i < x->noutcomes; i++)
		ck_assert_msg(rx_find(y, &x->outcomes[i]) != NULL,
		              "%s: outcome %zu (var0=%ld deadlock=%d) lost", what, i,
		              x->outcomes[i].vars[0], x->outcomes[i].deadlock);
}

static void
rx_same(const struct ls_explore_result *x, const struct ls_explore_result *y, int timed,
        int too_long, const char *what)
{
	ck_assert_msg(y->schedules == x->schedules, "%s: %llu schedules, unpruned %llu", what,
	              (unsigned long long)y->schedules, (unsigned long long)x->schedules);
	if (too_long)
		ck_assert_msg(y->schedules_too_long == (uint64_t)x->too_long,
		              "%s: %llu schedules too long, unpruned %ld", what,
		              (unsigned long long)y->schedules_too_long, x->too_long);
	if (timed) {
		for (int ok = -1; ok <= 1; ok++)
			for (int dl = 0; dl <= 1; dl++)
				ck_assert_msg(rx_by_verdict(x, ok, dl) == rx_by_verdict(y, ok, dl),
				              "%s: ok=%d deadlock=%d counts differ", what, ok, dl);
		return;
	}
	ck_assert_msg(x->noutcomes == y->noutcomes, "%s: %zu outcomes, unpruned %zu", what,
	              y->noutcomes, x->noutcomes);
	for (size_t i = 0; i < x->noutcomes; i++) {
		const struct ls_outcome *a = &x->outcomes[i], *b = rx_find(y, a);
		ck_assert_msg(b != NULL, "%s: outcome %zu (var0=%ld deadlock=%d) lost", what, i,
		              a->vars[0], a->deadlock);
		ck_assert_msg(b->schedules == (uint64_t)a->count && a->schedules == (uint64_t)a->count,
		              "%s: outcome %zu (var0=%ld): %llu schedules, unpruned %ld", what, i,
		              a->vars[0], (unsigned long long)b->schedules, a->count);
		ck_assert_msg(b->raced == a->raced, "%s: outcome %zu race %d, unpruned %d", what, i,
		              b->raced, a->raced);
	}
}

/* ---- tests -------------------------------------------------------------- */

/* Every registered scenario has a small case, and every case fits here. */
START_TEST(reduce_cases_cover_registry)
{
	int n = 0;

	for (const struct ls_scenario *const *s = ls_scenarios; *s; s++) {
		ck_assert_msg((*s)->nexplore_cases >= 1 && (*s)->explore_cases,
		              "scenario %s has no explore_cases (small sizes for the explorer's tests)",
		              (*s)->name);
		for (int i = 0; i < (*s)->nexplore_cases; i++)
			ck_assert_msg((*s)->explore_cases[i].params, "%s: explore case %d has no params",
			              (*s)->name, i + 1);
		n += (*s)->nexplore_cases;
	}
	ck_assert_int_lt(n, RX_MAX);
	ck_assert_int_eq(n, rx_ncases + rx_nbounded);
}
END_TEST

/* One case (loop index): sleep sets, reduce, reduce without symmetry. */
START_TEST(reduce_matches_unpruned)
{
	const struct ls_explore_case *c = rx_cases[_i].c;
	long p[32];
	const struct ls_scenario *s = rx_params(rx_cases[_i].s, c->params, p);
	struct ls_explore_result all, sleep, red, nosym;
	char what[3][320];

	rx_explore(s, p, RX_ALL, -1, c->max_steps, LS_ACTORS_THREADS, &all);
	ck_assert_int_eq(all.runs + all.too_long, (long)all.schedules + all.too_long);
	rx_explore(s, p, RX_SLEEP, -1, c->max_steps, LS_ACTORS_THREADS, &sleep);
	rx_explore(s, p, RX_REDUCE, -1, c->max_steps, LS_ACTORS_THREADS, &red);
	rx_explore(s, p, RX_REDUCE_NOSYM, -1, c->max_steps, LS_ACTORS_THREADS, &nosym);
	snprintf(what[0], sizeof what[0], "%s %s, sleep sets", s->name, c->params);
	snprintf(what[1], sizeof what[1], "%s %s, reduce", s->name, c->params);
	snprintf(what[2], sizeof what[2], "%s %s, reduce without symmetry", s->name, c->params);
	if (c->outcomes_only) {
		rx_same_outcomes(&all, &sleep, what[0]);
		rx_same_outcomes(&all, &red, what[1]);
		rx_same_outcomes(&all, &nosym, what[2]);
	} else {
		rx_same(&all, &sleep, c->timed, 0, what[0]);
		rx_same(&all, &red, c->timed, 1, what[1]);
		rx_same(&all, &nosym, c->timed, 1, what[2]);
		ck_assert_int_le(red.runs + red.merged, all.runs + all.too_long);
	}
	ls_explore_result_free(&all);
	ls_explore_result_free(&sleep);
	ls_explore_result_free(&red);
	ls_explore_result_free(&nosym);
}
END_TEST

/* A bounded case (loop index): sleep sets (off under a bound), reduce with
 * and without symmetry find the unpruned bounded search's outcomes, each
 * with as many schedules. */
START_TEST(reduce_bounded_cases)
{
	const struct ls_explore_case *c = rx_bounded_cases[_i].c;
	long p[32];
	const struct ls_scenario *s = rx_params(rx_bounded_cases[_i].s, c->params, p);
	struct ls_explore_result all, red, nosym;
	char what[2][320];

	rx_explore(s, p, RX_ALL, c->bound, 0, LS_ACTORS_THREADS, &all);
	ck_assert_int_eq(all.runs + all.too_long, (long)all.schedules + all.too_long);
	ck_assert_int_gt(all.runs, 1);
	rx_explore(s, p, RX_REDUCE, c->bound, 0, LS_ACTORS_THREADS, &red);
	rx_explore(s, p, RX_REDUCE_NOSYM, c->bound, 0, LS_ACTORS_THREADS, &nosym);
	snprintf(what[0], sizeof what[0], "%s %s bound=%d, reduce", s->name, c->params, c->bound);
	snprintf(what[1], sizeof what[1], "%s %s bound=%d, reduce without symmetry", s->name,
	         c->params, c->bound);
	rx_same(&all, &red, 0, 1, what[0]);
	rx_same(&all, &nosym, 0, 1, what[1]);
	ck_assert_int_lt(red.runs, all.runs);
	ls_explore_result_free(&all);
	ls_explore_result_free(&red);
	ls_explore_result_free(&nosym);
}
END_TEST

/* Under preemption bounds 0, 1 and 2: reduce covers the bounded space whole. */
START_TEST(reduce_bounded)
{
	long p[16];
	const struct ls_scenario *s = th_deposit(p, 3, 0, (long)(_i & 1));
	int bound = _i >> 1;
	struct ls_explore_result all, red;
	char what[64];

	snprintf(what, sizeof what, "deposit 3 locked=%d bound=%d", _i & 1, bound);
	rx_explore(s, p, RX_ALL, bound, 0, LS_ACTORS_THREADS, &all);
	rx_explore(s, p, RX_REDUCE, bound, 0, LS_ACTORS_THREADS, &red);
	rx_same(&all, &red, 0, 1, what);
	ls_explore_result_free(&all);
	ls_explore_result_free(&red);
	/* Sleep sets are off under a bound (they are not complete there). */
	rx_explore(s, p, RX_SLEEP, bound, 0, LS_ACTORS_THREADS, &red);
	ck_assert_int_eq(red.pruned, 0);
	ls_explore_result_free(&red);
}
END_TEST

/* Sleep sets: one run per Mazurkiewicz trace, and the schedules behind them. */
START_TEST(reduce_sleep_trace_classes)
{
	long p[16];
	long depositors = 3 + _i;
	const struct ls_scenario *s = th_deposit(p, depositors, 0, 0);
	struct ls_explore_result res;

	rx_explore(s, p, RX_SLEEP, -1, 0, LS_ACTORS_THREADS, &res);
	ck_assert_int_eq(res.runs, depositors == 3 ? 36 : 576);
	ck_assert_uint_eq(res.schedules, depositors == 3 ? 90u : 2520u);
	ls_explore_result_free(&res);
}
END_TEST

/* The figures: 6 / 270 / 1404 of 1680, whichever way they are found. */
START_TEST(reduce_true_proportions)
{
	long p[16];
	const struct ls_scenario *s = th_deposit(p, 3, 10, 0);
	static const uint64_t want[4] = { 0, 1404, 270, 6 };   /* by balance */

	for (int mode = RX_SLEEP; mode <= RX_REDUCE; mode++) {
		struct ls_explore_result res;
		rx_explore(s, p, (enum rx_mode)mode, -1, 0, LS_ACTORS_THREADS, &res);
		ck_assert_uint_eq(res.noutcomes, 3);
		for (size_t i = 0; i < res.noutcomes; i++) {
			long b = res.outcomes[i].vars[0];
			ck_assert(b >= 1 && b <= 3);
			ck_assert_uint_eq(res.outcomes[i].schedules, want[b]);
		}
		ck_assert_uint_eq(res.schedules, 1680);
		ls_explore_result_free(&res);
	}
}
END_TEST

/* Executions against the targets: >= 10x fewer at 3, >= 1,000x at 5. */
START_TEST(reduce_deposit_targets)
{
	long p[16];
	struct ls_explore_result res;
	const struct ls_scenario *s = th_deposit(p, 3, 0, 0);

	rx_explore(s, p, RX_REDUCE, -1, 0, LS_ACTORS_THREADS, &res);
	ck_assert_uint_eq(res.schedules, 90);
	ck_assert_int_le(res.runs + res.merged, 90 / 10);
	ck_assert_uint_eq(res.noutcomes, 3);
	ls_explore_result_free(&res);

	s = th_deposit(p, 5, 0, 0);
	rx_explore(s, p, RX_REDUCE, -1, 0, LS_ACTORS_THREADS, &res);
	ck_assert_uint_eq(res.schedules, 113400);
	ck_assert_int_le(res.runs + res.merged, 113400 / 1000);
	ck_assert_uint_eq(res.noutcomes, 5);
	for (size_t i = 0; i < res.noutcomes; i++)
		if (res.outcomes[i].vars[0] == 5)
			ck_assert_uint_eq(res.outcomes[i].schedules, 120);   /* 5! serial orders */
	ls_explore_result_free(&res);
}
END_TEST

/* Processes: the same counts as threads. */
START_TEST(reduce_processes)
{
	long p[16];
	const struct ls_scenario *s = th_deposit(p, 3, 0, 0);
	struct ls_explore_result thr, proc;

	rx_explore(s, p, RX_REDUCE, -1, 0, LS_ACTORS_THREADS, &thr);
	rx_explore(s, p, RX_REDUCE, -1, 0, LS_ACTORS_PROCESSES, &proc);
	ck_assert_uint_eq(thr.noutcomes, proc.noutcomes);
	for (size_t i = 0; i < thr.noutcomes; i++) {
		const struct ls_outcome *b = rx_find(&proc, &thr.outcomes[i]);
		ck_assert_ptr_nonnull(b);
		ck_assert_uint_eq(b->schedules, thr.outcomes[i].schedules);
	}
	ls_explore_result_free(&thr);
	ls_explore_result_free(&proc);
}
END_TEST

Suite *
explore_reduce_suite(void)
{
	Suite *s = suite_create("explore_reduce");
	TCase *tc = th_tcase(s, "explore_reduce", 300);

	rx_collect();

	tcase_add_test(tc, reduce_cases_cover_registry);
	tcase_add_loop_test(tc, reduce_matches_unpruned, 0, rx_ncases);
	tcase_add_loop_test(tc, reduce_bounded, 0, 6);
	tcase_add_loop_test(tc, reduce_bounded_cases, 0, rx_nbounded);
	tcase_add_loop_test(tc, reduce_sleep_trace_classes, 0, 2);
	tcase_add_test(tc, reduce_true_proportions);
	tcase_add_test(tc, reduce_deposit_targets);
	tcase_add_test(tc, reduce_processes);
	return s;
}
