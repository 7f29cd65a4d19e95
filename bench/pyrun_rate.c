/*
 * pyrun_rate.c - the Python runner beside plain python3, in one run: the
 * same programs (tests/py/) timed under `python3 PROGRAM` (the interpreter
 * the runner runs) and `lockstep run
 * PROGRAM` (free: record only), interleaved, the median of N each and their
 * ratio; then seeded random runs at line and bytecode steps, in steps per
 * second (the run's own steps over its elapsed time, python3's start
 * included), and `lockstep open`'s cost to its first screen is left to
 * tests/pyrun.test (a terminal is needed).  Figures, never a test.
 *
 * Usage: bench/pyrun_rate [LOCKSTEP [PYDIR [N]]]  (defaults: ./lockstep,
 * tests/py, 5).  Needs python3 and the probe module built (pylib/).
 */
#include "config.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define RUNS_MAX 21

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Run argv with its output to out (NULL: /dev/null); its wall time in ms, -1 on failure. */
static double
timed(char *const argv[], const char *out)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st;
	double t0 = now_ms();

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out ? out : "/dev/null",
	                                 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	return now_ms() - t0;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	return n ? v[n / 2] : 0;
}

/* plain python3 against lockstep's free run, interleaved, n each. */
static void
bench_free(const char *ls, const char *prog, const char *param, int n)
{
	double py[RUNS_MAX], lk[RUNS_MAX];
	char *pa[] = { LOCKSTEP_PYTHON3, (char *)prog, NULL };
	char *la[] = { (char *)ls, "run", (char *)prog, (char *)param, NULL };
	int k = 0;

	if (!param)
		la[3] = NULL;
	for (int i = 0; i < n; i++) {
		double a = timed(pa, NULL), b = timed(la, NULL);
		if (a < 0 || b < 0) {
			printf("  %-16s failed (python3 %.0f, lockstep %.0f)\n", prog, a, b);
			return;
		}
		py[k] = a;
		lk[k++] = b;
	}
	double mp = median(py, k), ml = median(lk, k);
	printf("  %-40s python3 %7.1f ms  lockstep free %7.1f ms  ratio %.2fx (target <= 3x)\n",
	       prog, mp, ml, ml / mp);
}

/* A seeded random run: its steps over its elapsed time, from --json. */
static void
bench_steps(const char *ls, const char *prog, const char *steps, int n)
{
	char out[] = "/tmp/lockstep-pyrun-rate.XXXXXX";
	int fd = mkstemp(out);
	double rate[RUNS_MAX];
	int k = 0;

	if (fd < 0)
		return;
	close(fd);
	for (int i = 0; i < n; i++) {
		char seed[32];
		snprintf(seed, sizeof seed, "--seed=%d", i + 1);
		char *la[] = { (char *)ls, "run", (char *)prog, (char *)steps, seed, "--json", NULL };
		double ms = timed(la, out);
		FILE *f = fopen(out, "r");
		char buf[1 << 16];
		size_t got = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
		if (f)
			fclose(f);
		buf[got] = '\0';
		const char *p = strstr(buf, "\"schedule\":");
		p = p ? strstr(p, "\"steps\":") : NULL;
		long nsteps = p ? strtol(p + 8, NULL, 10) : 0;
		if (ms > 0 && nsteps > 0)
			rate[k++] = (double)nsteps / (ms / 1e3);
	}
	unlink(out);
	printf("  %-40s %-16s %8.0f steps/s (median of %d; python3's start included)\n",
	       prog, steps, median(rate, k), k);
}

int
main(int argc, char **argv)
{
	const char *ls = argc > 1 ? argv[1] : "./lockstep";
	const char *dir = argc > 2 ? argv[2] : "tests/py";
	int n = argc > 3 ? atoi(argv[3]) : 5;
	char deposit[512], num[512];

	if (n < 1 || n > RUNS_MAX)
		n = 5;
	snprintf(deposit, sizeof deposit, "%s/deposit.py", dir);
	snprintf(num, sizeof num, "%s/num.py", dir);
	printf("== the Python runner against plain python3 (%d runs each, interleaved)\n", n);
	bench_free(ls, deposit, NULL, n);
	bench_free(ls, num, NULL, n);
	printf("== seeded random runs (target: >= 20,000 steps/s in threads)\n");
	bench_steps(ls, deposit, "--steps=line", n);
	bench_steps(ls, deposit, "--steps=bytecode", n);
	bench_steps(ls, num, "--steps=bytecode", n);
	return 0;
}
