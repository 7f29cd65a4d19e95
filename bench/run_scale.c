/*
 * run_scale.c - what a large run costs: a seeded random run of deposit with
 * 1,000 depositors (delay_ms=0) in threads and in processes, side by side;
 * the shared world's resident memory per actor after such a run; and, when
 * strace is installed, the wait and sigaction calls a process run makes.
 * Not a test: nothing here is asserted; `make bench` prints it against the
 * targets of issue 15.
 *
 *   run_scale                 the figures above
 *   run_scale --one KIND N    one run (used under strace by the figures)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/clock.h"
#include "engine/params.h"
#include "engine/run.h"

#define SCALE_ACTORS 1000
#define SCALE_REPS   3

static const struct ls_scenario *
scale_deposit(long *p, long depositors)
{
	const struct ls_scenario *s = ls_scenario_find("deposit");
	char err[200], arg[64];

	ls_params_default(s, p);
	snprintf(arg, sizeof arg, "depositors=%ld", depositors);
	if (ls_params_set(s, p, arg, err, sizeof err) != 0 ||
	    ls_params_set(s, p, "delay_ms=0", err, sizeof err) != 0) {
		fprintf(stderr, "run_scale: %s\n", err);
		exit(1);
	}
	return s;
}

/*
 * The resident size of the biggest shared anonymous mapping: the world
 * (MAP_SHARED|MAP_ANONYMOUS shows as /dev/zero).  -1 when not found.
 */
static long
scale_world_rss_kb(long *size_kb)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	long best_size = -1, best_rss = -1, size = 0;
	int shared = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		long v;
		if (strchr(line, '-') && strchr(line, ' ') && strstr(line, " rw-s ")) {
			shared = strstr(line, "/dev/zero") != NULL || strstr(line, "SYSV") != NULL ||
			         strstr(line, "anon_shmem") != NULL;
			size = 0;
		} else if (sscanf(line, "Size: %ld kB", &v) == 1) {
			size = v;
		} else if (shared && sscanf(line, "Rss: %ld kB", &v) == 1) {
			if (size > best_size) {
				best_size = size;
				best_rss = v;
			}
			shared = 0;
		} else if (strstr(line, " r") == line + 0) {
			shared = 0;
		}
	}
	fclose(f);
	*size_kb = best_size;
	return best_rss;
}

struct scale_result {
	double ms;
	long events, dropped;
	long rss_kb, size_kb;
};

static void
scale_run(enum ls_actor_kind kind, long depositors, struct scale_result *out)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = scale_deposit(p, depositors);
	struct ls_run_opts o;
	char err[200];

	ls_run_opts_default(&o, s);
	o.kind = kind;
	o.policy = LS_POLICY_RANDOM;
	o.seed = 1;
	uint64_t t0 = ls_now_ns();
	struct ls_run *r = ls_run_new(s, p, &o, err, sizeof err);
	if (!r || ls_run_start(r, err, sizeof err) != 0) {
		fprintf(stderr, "run_scale: %s\n", err);
		exit(1);
	}
	enum ls_run_status st = ls_run_finish(r);
	out->ms = (double)(ls_now_ns() - t0) / 1e6;
	if (st != LS_RUN_FINISHED) {
		fprintf(stderr, "run_scale: the run ended %s\n", ls_run_status_name(st));
		exit(1);
	}
	const struct ls_model *m = ls_run_model(r);
	out->events = (long)m->events;
	out->dropped = (long)m->dropped;
	out->rss_kb = scale_world_rss_kb(&out->size_kb);
	ls_run_free(r);
}

static int
scale_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/*
 * One run in a fresh copy of this program, so that neither kind pays for
 * what the other left behind (a thousand cached thread stacks make every
 * later fork copy more page tables).
 */
static void
scale_run_apart(const char *self, enum ls_actor_kind kind, long depositors,
                struct scale_result *out)
{
	char cmd[1024];

	snprintf(cmd, sizeof cmd, "%s --one %s %ld", self,
	         kind == LS_ACTORS_PROCESSES ? "processes" : "threads", depositors);
	FILE *f = popen(cmd, "r");
	if (!f || fscanf(f, "%lf %ld %ld %ld %ld", &out->ms, &out->events, &out->dropped,
	                 &out->rss_kb, &out->size_kb) != 5) {
		fprintf(stderr, "run_scale: %s failed\n", cmd);
		exit(1);
	}
	pclose(f);
}

/* The median time of SCALE_REPS runs, threads and processes interleaved. */
static void
scale_compare(const char *self)
{
	double t[2][SCALE_REPS];
	struct scale_result res[2];

	for (int rep = 0; rep < SCALE_REPS; rep++)
		for (int k = 0; k < 2; k++) {
			scale_run_apart(self, k ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS,
			                SCALE_ACTORS, &res[k]);
			t[k][rep] = res[k].ms;
		}
	for (int k = 0; k < 2; k++)
		qsort(t[k], SCALE_REPS, sizeof t[k][0], scale_cmp);
	double th = t[0][SCALE_REPS / 2], pr = t[1][SCALE_REPS / 2];
	printf("random run, deposit depositors=%d delay_ms=0 seed=1 (median of %d, each in a "
	       "fresh process): threads %.0f ms, processes %.0f ms: %.2fx (target <= 3x: %s)\n",
	       SCALE_ACTORS, SCALE_REPS, th, pr, pr / th, pr <= 3 * th ? "met" : "NOT met");
	for (int k = 0; k < 2; k++) {
		const struct scale_result *x = &res[k];
		double per = x->rss_kb >= 0 ? (double)x->rss_kb / SCALE_ACTORS : -1;
		printf("  world memory, %-9s: %ld KB mapped, %ld KB resident: %.1f KB per actor "
		       "(target <= 16 KB: %s); %ld events, %ld dropped\n",
		       k ? "processes" : "threads", x->size_kb, x->rss_kb, per,
		       per >= 0 && per <= 16 ? "met" : "NOT met", x->events, x->dropped);
	}
}

/* Count the calls of one process run under strace, if there is one. */
static void
scale_syscalls(const char *self, long depositors)
{
	char out[] = "/tmp/lockstep-run-scale-XXXXXX";
	char cmd[1024];
	int fd = mkstemp(out);

	if (fd < 0)
		return;
	close(fd);
	snprintf(cmd, sizeof cmd,
	         "strace -f -qq -c -e trace=wait4,waitid,rt_sigaction -o %s %s --one processes %ld "
	         ">/dev/null 2>&1", out, self, depositors);
	if (system(cmd) != 0) {
		printf("  (strace not available: wait and sigaction calls not counted)\n");
		unlink(out);
		return;
	}
	FILE *f = fopen(out, "r");
	char line[256];
	long waits = 0, sigs = 0;
	while (f && fgets(line, sizeof line, f)) {
		double pct, secs;
		long usecs, calls;
		char name[64];
		/* "% time seconds usecs/call calls [errors] syscall" */
		if (sscanf(line, "%lf %lf %ld %ld %*s %63s", &pct, &secs, &usecs, &calls, name) == 5 ||
		    sscanf(line, "%lf %lf %ld %ld %63s", &pct, &secs, &usecs, &calls, name) == 5) {
			if (strcmp(name, "wait4") == 0 || strcmp(name, "waitid") == 0)
				waits += calls;
			else if (strcmp(name, "rt_sigaction") == 0)
				sigs += calls;
		}
	}
	if (f)
		fclose(f);
	unlink(out);
	printf("  one random run of %ld depositors in processes: %ld wait calls (%.1f per actor; "
	       "target: proportional to actors), %ld sigaction calls (%.1f per actor; target: "
	       "signal state set once, not per signal)\n", depositors, waits,
	       (double)waits / depositors, sigs, (double)sigs / depositors);
}

int
main(int argc, char **argv)
{
	struct scale_result one;

	if (argc == 4 && strcmp(argv[1], "--one") == 0) {
		scale_run(strcmp(argv[2], "processes") == 0 ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS,
		          strtol(argv[3], NULL, 10), &one);
		printf("%.3f %ld %ld %ld %ld\n", one.ms, one.events, one.dropped, one.rss_kb,
		       one.size_kb);
		return 0;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: run_scale\n");
		return 2;
	}
	scale_compare(argv[0]);
	scale_syscalls(argv[0], 100);
	scale_syscalls(argv[0], 1000);
	return 0;
}
