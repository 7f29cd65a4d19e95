/*
 * check_explore.c - the explorer: exact schedule and outcome counts for two
 * depositors (checked against the hand enumeration below), the preemption
 * bound, pruning that never loses an outcome, a lock-order deadlock found
 * among the interleavings, and every witness replaying to its outcome, in
 * threads and in processes.
 *
 * Hand enumeration, two depositors, delay_ms=0 (no sleep step): T1 does
 * L1 S1, T2 does L2 S2, so a schedule places T1's two steps among four:
 * C(4,2) = 6.  The balance is 2 only when one deposit is whole before the
 * other's load: L1 S1 L2 S2 and L2 S2 L1 S1.  The other four (L1 L2 S1 S2,
 * L1 L2 S2 S1, L2 L1 S1 S2, L2 L1 S2 S1) both load 0 and the balance ends
 * at 1: 6 schedules, 4 lose an update.  With the sleep (L Z S each),
 * C(6,3) = 20 schedules, and again only the two serial ones are right.
 * Pruned, L1 and L2 commute (two loads) and the sleeps commute with
 * everything: 4 runs stand for the 6, and fewer than 20 for the 20.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "explore/explore.h"
#include "helpers.h"
#include "engine/params.h"
#include "lockstep/probe.h"
#include "engine/run.h"
#include "suites.h"

/* ---- a test-only scenario: two locks taken in opposite orders ----------- */

struct xdl {
	ls_mutex *a, *b;
	ls_var *done;
};

static void
xdl_left(struct ls_actor_ctx *ctx)
{
	struct xdl *d = ctx->state;
	ls_lock(d->a);
	ls_lock(d->b);
	ls_add(d->done, 1);
	ls_unlock(d->b);
	ls_unlock(d->a);
}

static void
xdl_right(struct ls_actor_ctx *ctx)
{
	struct xdl *d = ctx->state;
	ls_lock(d->b);
	ls_lock(d->a);
	ls_add(d->done, 1);
	ls_unlock(d->a);
	ls_unlock(d->b);
}

static const struct ls_role_desc xdl_roles[] = {
	{ .name = "left", .prefix = "T1", .body = xdl_left, .count_param = -1, .count = 1, .single = 1 },
	{ .name = "right", .prefix = "T2", .body = xdl_right, .count_param = -1, .count = 1, .single = 1 },
};

static int
xdl_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct xdl *d = state;
	(void)p;
	d->a = ls_mutex_new(w, "a");
	d->b = ls_mutex_new(w, "b");
	d->done = ls_var_new(w, "done", 0);
	if (!d->a || !d->b || !d->done) {
		snprintf(err, len, "explore test: cannot create the locks");
		return -1;
	}
	return 0;
}

static void
xdl_verdict(const struct ls_model *m, const long *p, struct ls_verdict *v)
{
	(void)p;
	v->ok = ls_model_var(m, "done") == 2;
	snprintf(v->summary, sizeof v->summary, "done=%ld", ls_model_var(m, "done"));
}

/* Not in the registry: it exists for these tests only. */
static const struct ls_scenario xdl_scenario = {
	.name = "test-explore-deadlock",
	.title = "two locks in opposite orders, no pause",
	.roles = xdl_roles,
	.nroles = 2,
	.kind = LS_ACTORS_THREADS,
	.toggle_param = -1,
	.state_size = sizeof(struct xdl),
	.setup = xdl_setup,
	.verdict = xdl_verdict,
};

/* ---- helpers ------------------------------------------------------------ */

static void
x_explore(const struct ls_scenario *s, const long *p, enum ls_actor_kind kind, int prune,
          int bound, struct ls_explore_result *res)
{
	struct ls_explore_opts o;
	char err[256] = "";

	ls_explore_opts_default(&o, s);
	o.kind = kind;
	o.prune = prune;
	o.reduce = 0;   /* these are the sleep sets' tests; check_explore_reduce.c has the rest */
	o.bound = bound;
	ck_assert_msg(ls_explore(s, p, &o, res, err, sizeof err) == 0, "ls_explore: %s", err);
	ck_assert_int_eq(res->diverged, 0);
}

/* The outcome with this first variable's value, or NULL. */
static const struct ls_outcome *
x_outcome(const struct ls_explore_result *res, long var0)
{
	for (size_t i = 0; i < res->noutcomes; i++)
		if (res->outcomes[i].vars[0] == var0)
			return &res->outcomes[i];
	return NULL;
}

static long
x_total(const struct ls_explore_result *res)
{
	long n = 0;
	for (size_t i = 0; i < res->noutcomes; i++)
		n += res->outcomes[i].count;
	return n;
}

/* Same set of outcomes (values, deadlock, verdict), counts aside. */
static void
x_same_outcomes(const struct ls_explore_result *x, const struct ls_explore_result *y,
                const char *what)
{
	ck_assert_msg(x->noutcomes == y->noutcomes, "%s: %zu vs %zu outcomes", what,
	              x->noutcomes, y->noutcomes);
	for (size_t i = 0; i < x->noutcomes; i++) {
		const struct ls_outcome *a = &x->outcomes[i];
		int found = 0;
		for (size_t j = 0; j < y->noutcomes && !found; j++) {
			const struct ls_outcome *b = &y->outcomes[j];
			found = a->ok == b->ok && a->deadlock == b->deadlock &&
			        memcmp(a->vars, b->vars, (size_t)x->nvars * sizeof a->vars[0]) == 0;
		}
		ck_assert_msg(found, "%s: outcome %zu (var0=%ld deadlock=%d) lost", what, i,
		              a->vars[0], a->deadlock);
	}
}

/* Replay each witness: the same values, deadlock and verdict. */
static void
x_replay_witnesses(const struct ls_scenario *s, const long *p, enum ls_actor_kind kind,
                   const struct ls_explore_result *res)
{
	for (size_t i = 0; i < res->noutcomes; i++) {
		const struct ls_outcome *o = &res->outcomes[i];
		struct ls_run_opts ro;
		char err[256] = "";
		struct ls_verdict v;

		th_opts(&ro, s, kind, LS_POLICY_REPLAY);
		ro.replay = &o->witness;
		struct ls_run *r = ls_run_new(s, p, &ro, err, sizeof err);
		ck_assert_msg(r != NULL, "%s", err);
		ck_assert_int_eq(ls_run_start(r, err, sizeof err), 0);
		enum ls_run_status st = ls_run_finish(r);
		ck_assert_int_eq(st == LS_RUN_DEADLOCK, o->deadlock);
		ck_assert_uint_eq(ls_run_schedule(r)->len, o->witness.len);
		const struct ls_model *m = ls_run_model(r);
		for (int k = 0; k < res->nvars; k++)
			ck_assert_int_eq(m->objs[res->var_ids[k]].value, o->vars[k]);
		ls_run_verdict(r, &v);
		ck_assert_int_eq(v.ok, o->ok);
		ls_run_free(r);
	}
}

/* ---- tests -------------------------------------------------------------- */

/* 6 schedules, 4 lose an update (loop: processes). */
START_TEST(explore_deposit_six)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_deposit(p, 2, 0, 0);
	enum ls_actor_kind kind = _i ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS;
	struct ls_explore_result all, pruned;

	x_explore(s, p, kind, 0, -1, &all);
	ck_assert_int_eq(all.runs, 6);
	ck_assert(all.complete);
	ck_assert_int_eq(all.nvars, 1);
	ck_assert_str_eq(all.var_names[0], "balance");
	ck_assert_uint_eq(all.noutcomes, 2);
	const struct ls_outcome *lost = x_outcome(&all, 1), *right = x_outcome(&all, 2);
	ck_assert_ptr_nonnull(lost);
	ck_assert_ptr_nonnull(right);
	ck_assert_int_eq(lost->count, 4);
	ck_assert_int_eq(lost->ok, 0);
	ck_assert_int_eq(right->count, 2);
	ck_assert_int_eq(right->ok, 1);
	ck_assert_int_eq(lost->deadlock, 0);
	ck_assert(lost->raced && right->raced);
	ck_assert_uint_eq(lost->witness.len, 4);
	/* The first schedule run is T1 to the end, then T2. */
	ck_assert_int_eq(right->witness.steps[0], 0);
	ck_assert_int_eq(right->witness.steps[1], 0);

	x_explore(s, p, kind, 1, -1, &pruned);
	ck_assert_int_eq(pruned.runs, 4);
	ck_assert_int_gt(pruned.pruned, 0);
	ck_assert(pruned.complete);
	x_same_outcomes(&all, &pruned, "deposit 2, no delay");
	x_replay_witnesses(s, p, kind, &pruned);
	ls_explore_result_free(&all);
	ls_explore_result_free(&pruned);
}
END_TEST

/* With the sleep step: C(6,3) = 20 schedules, 18 lose. */
START_TEST(explore_deposit_twenty)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_deposit(p, 2, 10, 0);
	struct ls_explore_result all, pruned;

	x_explore(s, p, LS_ACTORS_THREADS, 0, -1, &all);
	ck_assert_int_eq(all.runs, 20);
	ck_assert_int_eq(x_outcome(&all, 1)->count, 18);
	ck_assert_int_eq(x_outcome(&all, 2)->count, 2);
	x_explore(s, p, LS_ACTORS_THREADS, 1, -1, &pruned);
	ck_assert_int_lt(pruned.runs, 20);
	ck_assert_int_gt(pruned.pruned, 0);
	x_same_outcomes(&all, &pruned, "deposit 2, 10 ms");
	x_replay_witnesses(s, p, LS_ACTORS_THREADS, &all);
	ls_explore_result_free(&all);
	ls_explore_result_free(&pruned);
}
END_TEST

/*
 * Preemption bound: 0 allows only the two serial schedules; 1 adds L1 L2 S2
 * S1 and L2 L1 S1 S2 (after the switch the other actor runs to its end), so 4.
 */
START_TEST(explore_preemption_bound)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_deposit(p, 2, 0, 0);
	struct ls_explore_result b0, b1;

	x_explore(s, p, LS_ACTORS_THREADS, 0, 0, &b0);
	ck_assert_int_eq(b0.runs, 2);
	ck_assert_uint_eq(b0.noutcomes, 1);
	ck_assert_int_eq(b0.outcomes[0].vars[0], 2);
	x_explore(s, p, LS_ACTORS_THREADS, 0, 1, &b1);
	ck_assert_int_eq(b1.runs, 4);
	ck_assert_int_eq(x_outcome(&b1, 1)->count, 2);
	ls_explore_result_free(&b0);
	ls_explore_result_free(&b1);
}
END_TEST

/* Pruning never loses an outcome: deposit 2 and 3, locked and not (loop). */
START_TEST(explore_prune_keeps_outcomes)
{
	long p[LS_PARAMS_MAX];
	long depositors = 2 + (_i & 1), locked = (_i >> 1) & 1;
	const struct ls_scenario *s = th_deposit(p, depositors, 0, locked);
	struct ls_explore_result all, pruned;
	char what[64];

	snprintf(what, sizeof what, "deposit %ld locked=%ld", depositors, locked);
	x_explore(s, p, LS_ACTORS_THREADS, 0, -1, &all);
	x_explore(s, p, LS_ACTORS_THREADS, 1, -1, &pruned);
	ck_assert(all.complete && pruned.complete);
	ck_assert_int_le(pruned.runs, all.runs);
	x_same_outcomes(&all, &pruned, what);
	ck_assert_int_eq(x_total(&all), all.runs);
	if (locked) {
		ck_assert_uint_eq(all.noutcomes, 1);
		ck_assert_int_eq(all.outcomes[0].vars[0], depositors);
		ck_assert_int_eq(all.outcomes[0].raced, 0);
	} else {
		ck_assert_uint_eq(all.noutcomes, (size_t)depositors);   /* 1..n */
		ck_assert_int_lt(pruned.runs, all.runs);
	}
	x_replay_witnesses(s, p, LS_ACTORS_THREADS, &pruned);
	ls_explore_result_free(&all);
	ls_explore_result_free(&pruned);
}
END_TEST

/* Two locks in opposite orders: some interleavings deadlock (loop: processes). */
START_TEST(explore_finds_deadlock)
{
	enum ls_actor_kind kind = _i ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS;
	struct ls_explore_result all, pruned;
	long p[1] = { 0 };
	int deadlocks = 0, fine = 0;

	x_explore(&xdl_scenario, p, kind, 0, -1, &all);
	x_explore(&xdl_scenario, p, kind, 1, -1, &pruned);
	ck_assert(all.complete);
	for (size_t i = 0; i < all.noutcomes; i++) {
		if (all.outcomes[i].deadlock) {
			deadlocks++;
			ck_assert_int_eq(all.outcomes[i].vars[0], 0);
			ck_assert_uint_eq(all.outcomes[i].witness.len, 2);   /* a then b, b then a */
		} else {
			fine++;
			ck_assert_int_eq(all.outcomes[i].vars[0], 2);
			ck_assert_int_eq(all.outcomes[i].ok, 1);
		}
	}
	ck_assert_int_eq(deadlocks, 1);
	ck_assert_int_eq(fine, 1);
	x_same_outcomes(&all, &pruned, "two locks");
	x_replay_witnesses(&xdl_scenario, p, kind, &pruned);
	ls_explore_result_free(&all);
	ls_explore_result_free(&pruned);
}
END_TEST

/* --max-runs stops the search and says it is incomplete. */
START_TEST(explore_max_runs)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_deposit(p, 3, 10, 0);
	struct ls_explore_opts o;
	struct ls_explore_result res;
	char err[256] = "";

	ls_explore_opts_default(&o, s);
	o.max_runs = 5;
	o.prune = 0;
	ck_assert_int_eq(ls_explore(s, p, &o, &res, err, sizeof err), 0);
	ck_assert_int_eq(res.runs, 5);
	ck_assert(!res.complete);
	ck_assert_int_eq(x_total(&res), 5);
	ls_explore_result_free(&res);
}
END_TEST

/* A run longer than max_steps is abandoned, not reported as an outcome. */
START_TEST(explore_max_steps)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_deposit(p, 2, 0, 0);
	struct ls_explore_opts o;
	struct ls_explore_result res;
	char err[256] = "";

	ls_explore_opts_default(&o, s);
	o.max_steps = 3;
	o.prune = 0;
	ck_assert_int_eq(ls_explore(s, p, &o, &res, err, sizeof err), 0);
	ck_assert_int_eq(res.runs, 0);
	ck_assert_int_gt(res.too_long, 0);
	ck_assert_uint_eq(res.noutcomes, 0);
	ls_explore_result_free(&res);
}
END_TEST

static void *
explore_nothing(void *arg)
{
	return arg;
}

/* How many threads this process has. */
static int
explore_threads_now(void)
{
	DIR *d = opendir("/proc/self/task");
	int n = 0;

	ck_assert_ptr_nonnull(d);
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/*
 * The explorer keeps its actors alive from run to run.  Every run here is
 * cut (max_steps) while T1 holds the lock, so the actor that held it must
 * not be handed the next run (its robust list still names the lock); the
 * search after it must come out whole; and once a search ends, no thread
 * or process of it is left.  Loop index: 1 = processes.
 */
START_TEST(explore_keeps_actors_safely)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_deposit(p, 3, 0, 1);
	struct ls_explore_opts o;
	struct ls_explore_result res;
	char err[256] = "";
	pthread_t t;

	/* A sanitizer starts a thread of its own at the first pthread_create:
	 * let it have started before counting. */
	ck_assert_int_eq(pthread_create(&t, NULL, explore_nothing, NULL), 0);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	int before = explore_threads_now();

	ls_explore_opts_default(&o, s);
	o.kind = _i ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS;
	o.prune = 0;
	o.max_steps = 2;   /* T1 locks, loads: cut holding the lock */
	ck_assert_int_eq(ls_explore(s, p, &o, &res, err, sizeof err), 0);
	ck_assert_int_gt(res.too_long, 0);
	ck_assert_int_eq(res.crashed + res.diverged, 0);
	ls_explore_result_free(&res);
	o.max_steps = 7;   /* cut after T1's whole deposit, T2's lock and load */
	ck_assert_int_eq(ls_explore(s, p, &o, &res, err, sizeof err), 0);
	ck_assert_int_gt(res.too_long, 0);
	ck_assert_int_eq(res.crashed + res.diverged, 0);
	ls_explore_result_free(&res);
	o.max_steps = 2000;
	ck_assert_int_eq(ls_explore(s, p, &o, &res, err, sizeof err), 0);
	ck_assert_int_eq(res.crashed + res.diverged + res.too_long, 0);
	ck_assert(res.complete);
	ck_assert_uint_eq(res.noutcomes, 1);
	ck_assert_int_eq(res.outcomes[0].vars[0], 3);
	ck_assert_int_eq(res.runs, 6);   /* the three orders of the locked deposits */
	ls_explore_result_free(&res);
	ck_assert_int_eq(explore_threads_now(), before);
	errno = 0;
	ck_assert_msg(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD,
	              "a child process is left (or a zombie)");
}
END_TEST

Suite *
explore_suite(void)
{
	Suite *s = suite_create("explore");
	TCase *tc = th_tcase(s, "explore", 120);

	tcase_add_loop_test(tc, explore_deposit_six, 0, 2);
	tcase_add_test(tc, explore_deposit_twenty);
	tcase_add_test(tc, explore_preemption_bound);
	tcase_add_loop_test(tc, explore_prune_keeps_outcomes, 0, 4);
	tcase_add_loop_test(tc, explore_finds_deadlock, 0, 2);
	tcase_add_test(tc, explore_max_runs);
	tcase_add_test(tc, explore_max_steps);
	tcase_add_loop_test(tc, explore_keeps_actors_safely, 0, 2);
	return s;
}
