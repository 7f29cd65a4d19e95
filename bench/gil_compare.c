/*
 * gil_compare.c - the GIL lesson in numbers: the gil scenario run free with
 * the same CPU-bound work as threads under the GIL (Python 3 and Python 2
 * rules), as threads without it, as processes, and I/O-bound under the GIL.
 * Prints wall time, CPU time and parallelism (CPU / wall) for each, then the
 * ratios the lesson rests on.  Not a test: nothing is asserted (timings
 * belong here, never in tests/); `make bench` runs it.
 *
 * Usage: gil_compare [PARAM=VALUE ...]   e.g. workers=4 work_ms=300
 * The parameters apply to every configuration.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "engine/params.h"
#include "engine/run.h"

struct gil_compare_row {
	const char *label;
	const char *extra;            /* parameters on top of the user's */
	enum ls_actor_kind kind;
	double wall_ms, cpu_ms, parallelism, overlap, switches;
	int ok;
};

static double
gil_compare_figure(const struct ls_verdict *v, const char *name)
{
	for (int i = 0; i < v->nfigures; i++)
		if (strcmp(v->figures[i].name, name) == 0)
			return v->figures[i].value;
	return 0;
}

static int
gil_compare_run(const struct ls_scenario *s, const long *base, struct gil_compare_row *row)
{
	long p[LS_PARAMS_MAX];
	char err[256], buf[128];
	struct ls_run_opts o;
	struct ls_verdict v;

	memcpy(p, base, sizeof p);
	snprintf(buf, sizeof buf, "%s", row->extra);
	for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " "))
		if (ls_params_set(s, p, tok, err, sizeof err) != 0) {
			fprintf(stderr, "gil_compare: %s\n", err);
			return -1;
		}
	ls_run_opts_default(&o, s);
	o.kind = row->kind;
	struct ls_run *r = ls_run_new(s, p, &o, err, sizeof err);
	if (!r) {
		fprintf(stderr, "gil_compare: %s\n", err);
		return -1;
	}
	if (ls_run_start(r, err, sizeof err) != 0 || ls_run_finish(r) != LS_RUN_FINISHED) {
		fprintf(stderr, "gil_compare: %s: run did not finish (%s)\n", row->label,
		        err[0] ? err : ls_run_status_name(ls_run_status(r)));
		ls_run_free(r);
		return -1;
	}
	ls_run_verdict(r, &v);
	row->wall_ms = gil_compare_figure(&v, "wall_ms");
	row->cpu_ms = gil_compare_figure(&v, "cpu_ms");
	row->parallelism = gil_compare_figure(&v, "parallelism");
	row->overlap = gil_compare_figure(&v, "overlap");
	row->switches = gil_compare_figure(&v, "switches");
	row->ok = v.ok;
	ls_run_free(r);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct ls_scenario *s = ls_scenario_find("gil");
	long base[LS_PARAMS_MAX];
	char err[256];
	struct gil_compare_row rows[] = {
		{ "threads, GIL (Python 3)", "work=cpu gil=on interval=time", LS_ACTORS_THREADS, 0, 0, 0, 0, 0, 0 },
		{ "threads, GIL (Python 2)", "work=cpu gil=on interval=ticks", LS_ACTORS_THREADS, 0, 0, 0, 0, 0, 0 },
		{ "threads, no GIL", "work=cpu gil=off", LS_ACTORS_THREADS, 0, 0, 0, 0, 0, 0 },
		{ "processes", "work=cpu gil=on", LS_ACTORS_PROCESSES, 0, 0, 0, 0, 0, 0 },
		{ "threads, GIL, I/O-bound", "work=io gil=on", LS_ACTORS_THREADS, 0, 0, 0, 0, 0, 0 },
	};
	enum { R_GIL3, R_GIL2, R_NOGIL, R_PROC, R_IO, R_N };

	if (!s) {
		fprintf(stderr, "gil_compare: the gil scenario is not registered\n");
		return 1;
	}
	ls_params_default(s, base);
	for (int i = 1; i < argc; i++)
		if (ls_params_set(s, base, argv[i], err, sizeof err) != 0) {
			fprintf(stderr, "gil_compare: %s\n", err);
			return 2;
		}
	ls_params_format(s, base, err, sizeof err);
	printf("gil_compare: %s\n", err);
	printf("  %-26s %9s %9s %11s %8s %9s\n", "configuration", "wall ms", "cpu ms",
	       "parallelism", "overlap", "hand-offs");
	for (int i = 0; i < R_N; i++) {
		if (gil_compare_run(s, base, &rows[i]) != 0)
			return 1;
		printf("  %-26s %9.0f %9.0f %11.2f %8.2f %9.0f%s\n", rows[i].label, rows[i].wall_ms,
		       rows[i].cpu_ms, rows[i].parallelism, rows[i].overlap, rows[i].switches,
		       rows[i].ok == 1 ? "" : "  (verdict: NOT as expected)");
		fflush(stdout);
	}
	printf("  speed-up without the GIL:       %.2fx (wall with GIL / wall without)\n",
	       rows[R_GIL3].wall_ms / rows[R_NOGIL].wall_ms);
	printf("  speed-up with processes:        %.2fx (wall with GIL / wall as processes)\n",
	       rows[R_GIL3].wall_ms / rows[R_PROC].wall_ms);
	printf("  parallelism, no GIL / GIL:      %.2f / %.2f\n",
	       rows[R_NOGIL].parallelism, rows[R_GIL3].parallelism);
	printf("  I/O-bound overlap with the GIL: %.2f (waiting + CPU per unit of wall time)\n",
	       rows[R_IO].overlap);
	return 0;
}
