/*
 * probe_cost.c - what a probe costs in free mode, against the clock read it
 * cannot avoid.  Not a test: nothing here is asserted; `make bench` prints it.
 *
 * A bench-only scenario (never registered) runs actors whose body is one
 * loop of N ls_load()s, timed inside the body, so thread start-up and the
 * run's bookkeeping are not counted.  Measured:
 *
 *   clock    a bare clock_gettime(CLOCK_MONOTONIC) loop, the floor: every
 *            probe reads the clock once for its timestamp;
 *   push     every event really pushed into a warm ring: each actor thread
 *            empties its own ring between timed chunks of 512 probes (the
 *            world and actor context set up by hand, the way run.c does);
 *   full     a real run (ls_run_*) that nobody drains: after the first 1024
 *            events the ring is full and every event is counted as dropped
 *            (the cheap path: no event copy);
 *   drained  a real run whose main thread drains the rings into the model
 *            (ls_run_poll) the whole time, with big rings: pushes into cold
 *            memory while the drain reads it; the dropped count says how
 *            many the drain could not keep up with.
 *
 * Each is run with 1 and with 2 actors on their own threads: the per-probe
 * cost should not grow with 2, as no word is shared between actors.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "engine/actor.h"
#include "lockstep/model.h"
#include "lockstep/probe.h"
#include "engine/run.h"

enum { P_ACTORS, P_LOOPS_K, P_CLOCK_ONLY };

static const struct ls_param_desc bench_params[] = {
	[P_ACTORS]     = { "actors", "actors timing in parallel", 1, 1, 8, NULL },
	[P_LOOPS_K]    = { "loops_k", "thousands of probes per actor", 10000, 1, 1000000, NULL },
	[P_CLOCK_ONLY] = { "clock_only", "1 times bare clock reads instead", 0, 0, 1, NULL },
};

struct bench {
	ls_var *x;
	_Atomic int finished;
	double ns_per_op[8];
	long sink[8];
};

static double
bench_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void
bench_body(struct ls_actor_ctx *ctx)
{
	struct bench *b = ctx->state;
	long n = ctx->params[P_LOOPS_K] * 1000;
	long sink = 0;
	double t0, t1;

	if (ctx->params[P_CLOCK_ONLY]) {
		struct timespec ts;
		t0 = bench_now();
		for (long i = 0; i < n; i++) {
			clock_gettime(CLOCK_MONOTONIC, &ts);
			sink += ts.tv_nsec;
		}
		t1 = bench_now();
	} else {
		t0 = bench_now();
		for (long i = 0; i < n; i++)
			sink += ls_load(b->x);
		t1 = bench_now();
	}
	/* Each actor writes only its own slot. */
	b->ns_per_op[ctx->id] = (t1 - t0) / (double)n;
	b->sink[ctx->id] = sink;
	atomic_fetch_add(&b->finished, 1);
}

static const struct ls_role_desc bench_roles[] = {
	{ .name = "prober", .prefix = "B", .body = bench_body, .count_param = P_ACTORS },
};

/* The run's state lives in its world; setup (in this process) says where. */
static struct bench *bench_state;

static int
bench_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct bench *b = state;

	bench_state = b;
	if (!(b->x = ls_var_new(w, "x", 1))) {
		snprintf(err, len, "bench: cannot create x");
		return -1;
	}
	return 0;
}

static const struct ls_scenario bench_scenario = {
	.name = "probe_cost",
	.title = "probe cost benchmark",
	.seed = "none",
	.lesson = "none",
	.params = bench_params,
	.nparams = LS_NPARAMS(bench_params),
	.roles = bench_roles,
	.nroles = 1,
	.kind = LS_ACTORS_THREADS,
	.toggle_param = -1,
	.state_size = sizeof(struct bench),
	.setup = bench_setup,
};

struct result {
	double ratio;       /* push only: median of the interleaved probe/clock ratios */
	double best_ratio;  /* push only: fastest probe chunk / fastest clock chunk */
	double ns;          /* mean over the actors */
	double ns_max;      /* the slowest actor */
	unsigned long long events, dropped;
};

/*
 * One run.  drain: the main thread polls (drains) the whole time; otherwise
 * it only sleeps until every actor has finished timing, then ends the run.
 */
static int
bench_run(int actors, long loops_k, int clock_only, int drain, struct result *out)
{
	long p[3] = { actors, loops_k, clock_only };
	struct ls_run_opts o;
	char err[256];

	ls_run_opts_default(&o, &bench_scenario);
	o.kind = LS_ACTORS_THREADS;
	o.policy = LS_POLICY_FREE;
	/* Big rings when drained, so that pushes rather than drops are timed. */
	o.ring_cap = drain ? 1u << 20 : 0;
	struct ls_run *r = ls_run_new(&bench_scenario, p, &o, err, sizeof err);
	if (!r) {
		fprintf(stderr, "probe_cost: %s\n", err);
		return -1;
	}
	struct bench *b = bench_state;
	if (ls_run_start(r, err, sizeof err) != 0) {
		fprintf(stderr, "probe_cost: %s\n", err);
		ls_run_free(r);
		return -1;
	}
	if (drain) {
		while (ls_run_poll(r, 100) == LS_RUN_RUNNING)
			;
	} else {
		/* Sleep, not spin: the main thread must not take an actor's core. */
		struct timespec ms = { 0, 1000000L };
		while (atomic_load(&b->finished) < actors)
			nanosleep(&ms, NULL);
	}
	ls_run_finish(r);
	const struct ls_model *m = ls_run_model(r);
	out->ns = out->ns_max = 0;
	for (int i = 0; i < actors; i++) {
		out->ns += b->ns_per_op[i] / actors;
		if (b->ns_per_op[i] > out->ns_max)
			out->ns_max = b->ns_per_op[i];
	}
	out->events = (unsigned long long)m->events;
	out->dropped = (unsigned long long)m->dropped;
	ls_run_free(r);
	return 0;
}

/* ---- push path: a world and actor contexts set up by hand ------------- */

#define CHUNK 512   /* half the default ring: a chunk never finds it full */

#define REPS 15   /* interleaved repetitions; the ratio reported is their median */

struct direct {
	struct ls_world *w;
	ls_var *x;
	pthread_barrier_t *start;
	int id;
	long n;
	double ns;
	double ratio[REPS];   /* per repetition: probe time / clock time, same thread */
	double best_probe, best_clock;   /* the fastest chunk of each */
	long sink;
};

static void *
direct_main(void *arg)
{
	struct direct *d = arg;
	struct ls_self self = { .world = d->w, .slot = &d->w->actors[d->id],
	                        .id = (uint16_t)d->id, .is_process = 0 };
	static __thread struct ls_event out[CHUNK];
	double total = 0;
	long sink = 0;

	ls_self_tls = &self;
	d->best_probe = d->best_clock = 1e30;
	pthread_barrier_wait(d->start);
	/*
	 * Clock and probe chunks alternate, so a change in the machine's load
	 * (these are shared virtual machines) falls on both alike; each
	 * repetition gives one ratio.
	 */
	long per_rep = d->n / REPS / CHUNK * CHUNK;
	if (per_rep < CHUNK)
		per_rep = CHUNK;
	for (int rep = 0; rep < REPS; rep++) {
		double probe = 0, clock = 0;
		for (long done = 0; done < per_rep; done += CHUNK) {
			struct timespec ts;
			double t0 = bench_now();
			for (int i = 0; i < CHUNK; i++) {
				clock_gettime(CLOCK_MONOTONIC, &ts);
				sink += ts.tv_nsec;
			}
			double t1 = bench_now();
			for (int i = 0; i < CHUNK; i++)
				sink += ls_load(d->x);
			double t2 = bench_now();
			clock += t1 - t0;
			probe += t2 - t1;
			if (t1 - t0 < d->best_clock)
				d->best_clock = t1 - t0;
			if (t2 - t1 < d->best_probe)
				d->best_probe = t2 - t1;
			/* The consumer's work, untimed, on this thread: the ring stays warm. */
			ls_ring_drain(self.slot->ring, out, CHUNK);
		}
		total += probe;
		d->ratio[rep] = probe / clock;
	}
	d->ns = total / (double)(per_rep * REPS);
	d->sink = sink;
	return NULL;
}

static int
bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int
bench_direct(int actors, long loops_k, struct result *out)
{
	struct ls_world *w = ls_world_new((uint32_t)actors, 1024);
	struct direct d[8];
	pthread_t t[8];
	pthread_barrier_t start;

	if (!w) {
		perror("probe_cost: world");
		return -1;
	}
	ls_var *x = ls_var_new(w, "x", 1);
	pthread_barrier_init(&start, NULL, (unsigned)actors);
	for (int i = 0; i < actors; i++) {
		d[i] = (struct direct){ .w = w, .x = x, .start = &start, .id = i,
		                        .n = (loops_k * 1000 + CHUNK - 1) / CHUNK * CHUNK };
		if (pthread_create(&t[i], NULL, direct_main, &d[i]) != 0) {
			fprintf(stderr, "probe_cost: cannot start a thread\n");
			exit(1);
		}
	}
	out->ns = out->ns_max = 0;
	out->events = out->dropped = 0;
	double ratios[8 * REPS];
	int nratios = 0;
	for (int i = 0; i < actors; i++) {
		pthread_join(t[i], NULL);
		for (int k = 0; k < REPS; k++)
			ratios[nratios++] = d[i].ratio[k];
		out->ns += d[i].ns / actors;
		if (d[i].ns > out->ns_max)
			out->ns_max = d[i].ns;
		out->events += (unsigned long long)d[i].n;
		out->dropped += ls_ring_dropped(w->actors[i].ring);
	}
	qsort(ratios, (size_t)nratios, sizeof ratios[0], bench_cmp);
	out->ratio = ratios[nratios / 2];
	out->best_ratio = d[0].best_probe / d[0].best_clock;
	pthread_barrier_destroy(&start);
	ls_world_free(w);
	return 0;
}

static void
bench_print(const char *what, int actors, const struct result *res, double floor)
{
	printf("  %-34s %d actor%s  %6.1f ns/op", what, actors, actors == 1 ? " " : "s",
	       res->ns);
	if (actors > 1)
		printf(" (slowest %5.1f)", res->ns_max);
	else
		printf("                 ");
	if (floor > 0)
		printf("  %4.2fx clock", res->ns / floor);
	if (res->events || res->dropped)
		printf("  [%llu events kept, %llu dropped]", res->events, res->dropped);
	putchar('\n');
}

int
main(int argc, char **argv)
{
	long loops_k = 10000;
	struct result clk[2], push[2], full[2], drained[2];

	if (argc > 2 || (argc == 2 && (loops_k = strtol(argv[1], NULL, 10) / 1000) < 1)) {
		fprintf(stderr, "usage: probe_cost [PROBES-PER-ACTOR (default 10000000)]\n");
		return 2;
	}
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	printf("probe_cost: %ld probes per actor, free mode, threads, %ld cores online\n",
	       loops_k * 1000, cores);
	for (int a = 1; a <= 2; a++) {
		if (bench_run(a, loops_k, 1, 0, &clk[a - 1]) != 0 ||
		    bench_direct(a, loops_k, &push[a - 1]) != 0 ||
		    bench_run(a, loops_k, 0, 0, &full[a - 1]) != 0 ||
		    bench_run(a, loops_k, 0, 1, &drained[a - 1]) != 0)
			return 1;
	}
	for (int a = 1; a <= 2; a++) {
		struct result c = clk[a - 1];
		c.events = c.dropped = 0;
		bench_print("clock_gettime(CLOCK_MONOTONIC)", a, &c, 0);
		bench_print("ls_load, push (warm ring)", a, &push[a - 1], c.ns);
		bench_print("ls_load, ring full (drop path)", a, &full[a - 1], c.ns);
		bench_print("ls_load, run drained live", a, &drained[a - 1], c.ns);
	}
	printf("ls_load / clock_gettime, 1 actor, median of %d interleaved repetitions: "
	       "%.2fx (target <= 1.2x: %s)\n", REPS, push[0].ratio,
	       push[0].ratio <= 1.2 ? "met" : "NOT met");
	printf("ls_load / clock_gettime, 1 actor, fastest chunk of %d against fastest chunk "
	       "(little moved by load): %.2fx\n", CHUNK, push[0].best_ratio);
	printf("ls_load / clock_gettime, 1 actor, separate runs: %.2fx ring full, %.2fx drained live\n",
	       full[0].ns / clk[0].ns, drained[0].ns / clk[0].ns);
	printf("2 actors / 1 actor (contention):  %.2fx push, %.2fx ring full, %.2fx drained live "
	       "(clock alone %.2fx)\n", push[1].ns / push[0].ns, full[1].ns / full[0].ns,
	       drained[1].ns / drained[0].ns, clk[1].ns / clk[0].ns);
	if (cores < 3)
		printf("note: with %ld cores the drain thread shares a core with the actors in "
		       "the drained 2-actor run\n", cores);
	return 0;
}
