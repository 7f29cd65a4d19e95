/*
 * explore_rate.c - how many executions per second the explorer runs: every
 * interleaving of deposit with 2 and 3 depositors (no delay, no pruning, so
 * 6 and 90 schedules), in threads and in processes, repeated for at least
 * half a second each.  Also the cost of the parts of one run (create, start,
 * steps, free), to see where the time goes.  First, state caching with
 * symmetry (reduce) at 3, 5 and 8 depositors against the targets:
 * executions, wall time, and the ratio to the unpruned search's executions
 * (the schedules it counts: (2n)! / 2^n).  With --rates, only issue 15's two
 * rates (sleep sets, 3 depositors, threads and processes): quick enough to
 * run an old and a new binary alternately and compare them under one load.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/explore.h"
#include "engine/futex.h"
#include "engine/params.h"
#include "engine/run.h"

static const struct ls_scenario *
rate_deposit(long *p, long depositors)
{
	const struct ls_scenario *s = ls_scenario_find("deposit");
	char err[200], arg[64];

	ls_params_default(s, p);
	snprintf(arg, sizeof arg, "depositors=%ld", depositors);
	if (ls_params_set(s, p, arg, err, sizeof err) != 0 ||
	    ls_params_set(s, p, "delay_ms=0", err, sizeof err) != 0) {
		fprintf(stderr, "explore_rate: %s\n", err);
		exit(1);
	}
	return s;
}

/* prune: 0 every schedule, 1 the default pruning (reduce), 2 sleep sets alone
 * (explore --no-reduce), the one issue 15's targets are stated for. */
static void
rate_explore(long depositors, enum ls_actor_kind kind, int prune)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = rate_deposit(p, depositors);
	struct ls_explore_opts o;
	struct ls_explore_result res;
	char err[200];
	long runs = 0, reps = 0;
	uint64_t t0 = ls_now_ns();

	ls_explore_opts_default(&o, s);
	o.kind = kind;
	o.prune = prune != 0;
	if (prune == 2)
		o.reduce = 0;
	do {
		if (ls_explore(s, p, &o, &res, err, sizeof err) != 0) {
			fprintf(stderr, "explore_rate: %s\n", err);
			exit(1);
		}
		runs += res.runs + res.blocked;
		reps++;
		ls_explore_result_free(&res);
	} while (ls_now_ns() - t0 < 500000000u);
	double s_el = (double)(ls_now_ns() - t0) / 1e9;
	static const char *const how[] = { "unpruned", "pruned  ", "sleepset" };
	double rate = (double)runs / s_el;
	printf("deposit depositors=%ld delay_ms=0 %-9s %s: %5ld runs/exploration, "
	       "%7.0f executions/s", depositors,
	       kind == LS_ACTORS_PROCESSES ? "processes" : "threads",
	       how[prune], runs / reps, rate);
	if (prune == 2 && depositors == 3) {
		double want = kind == LS_ACTORS_PROCESSES ? 400 : 4000;
		printf(" (target >= %.0f/s: %s)", want, rate >= want ? "met" : "NOT met");
	}
	putchar('\n');
}

/* One run's parts, averaged: where does an execution's time go? */
static void
rate_parts(enum ls_actor_kind kind)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = rate_deposit(p, 2);
	struct ls_run_opts ro;
	char err[200];
	double t_new = 0, t_start = 0, t_steps = 0, t_free = 0;
	int n = 200;

	ls_run_opts_default(&ro, s);
	ro.kind = kind;
	ro.policy = LS_POLICY_STEP;
	ro.ring_cap = 256;
	for (int i = 0; i < n; i++) {
		uint64_t a = ls_now_ns();
		struct ls_run *r = ls_run_new(s, p, &ro, err, sizeof err);
		uint64_t b = ls_now_ns();
		if (!r || ls_run_start(r, err, sizeof err) != 0) {
			fprintf(stderr, "explore_rate: %s\n", err);
			exit(1);
		}
		uint64_t c = ls_now_ns();
		while (ls_run_step(r, -1) >= 0)
			;
		uint64_t d = ls_now_ns();
		ls_run_free(r);
		uint64_t e = ls_now_ns();
		t_new += (double)(b - a);
		t_start += (double)(c - b);
		t_steps += (double)(d - c);
		t_free += (double)(e - d);
	}
	printf("one run of 2 depositors in %s: new %.0f us, start %.0f us, 4 steps %.0f us, "
	       "free %.0f us\n", kind == LS_ACTORS_PROCESSES ? "processes" : "threads",
	       t_new / n / 1e3, t_start / n / 1e3, t_steps / n / 1e3, t_free / n / 1e3);
}

/* One reduced exploration against its targets; returns 1 when one is missed. */
static int
rate_reduce(long depositors, double min_ratio, double max_s)
{
	long p[32];
	const struct ls_scenario *s = rate_deposit(p, depositors);
	struct ls_explore_opts o;
	struct ls_explore_result res;
	char err[200];

	ls_explore_opts_default(&o, s);
	o.reduce = 1;
	o.max_runs = 0;
	if (ls_explore(s, p, &o, &res, err, sizeof err) != 0) {
		fprintf(stderr, "explore_rate: %s\n", err);
		exit(1);
	}
	long execs = res.runs + res.merged + res.blocked + res.diverged + res.too_long;
	double ratio = execs ? (double)res.schedules / (double)execs : 0;
	double secs = res.elapsed_ms / 1e3;
	int miss = !res.complete || ratio < min_ratio || (max_s > 0 && secs >= max_s);
	char ratio_t[40] = "", time_t_[40] = "";
	if (min_ratio > 0)
		snprintf(ratio_t, sizeof ratio_t, ", target >= %.0fx", min_ratio);
	if (max_s > 0)
		snprintf(time_t_, sizeof time_t_, " (target < %.0f s)", max_s);
	printf("deposit depositors=%ld delay_ms=0 reduce: %5ld executions for %llu schedules "
	       "(%.0fx fewer than unpruned%s), %.2f s%s, %ld states\n",
	       depositors, execs, (unsigned long long)res.schedules, ratio, ratio_t, secs,
	       time_t_, res.states);
	ls_explore_result_free(&res);
	return miss;
}

int
main(int argc, char **argv)
{
	int missed = 0;

	/* --rates: only issue 15's two rates (for before/after comparisons). */
	if (argc > 1 && strcmp(argv[1], "--rates") == 0) {
		rate_explore(3, LS_ACTORS_THREADS, 2);
		rate_explore(3, LS_ACTORS_PROCESSES, 2);
		return 0;
	}

	missed += rate_reduce(3, 10, 0);
	missed += rate_reduce(5, 1000, 1);
	missed += rate_reduce(8, 0, 10);
	printf("reduce targets: %s\n", missed ? "MISSED" : "met");
	for (int k = 0; k < 2; k++) {
		enum ls_actor_kind kind = k ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS;
		rate_explore(2, kind, 0);
		rate_explore(3, kind, 0);
		rate_explore(3, kind, 1);
		rate_explore(3, kind, 2);
		rate_parts(kind);
	}
	return missed ? 1 : 0;
}
