/*
 * cmd_check.c - `lockstep check`: replay a schedule and say whether the
 * outcome meets every --expect; the answer is the exit status, for scripts
 * and for grading.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "engine/words.h"
#include "model/kind.h"

/* The variable an expectation VAR=VALUE names, or -1. */
static int
cmd_check_var(const struct ls_model *m, const char *e, size_t n)
{
	for (int k = 0; k < m->nobjs; k++)
		if ((ls_kind_flags(m->objs[k].kind) & LS_KINDF_VAR) && strlen(m->objs[k].name) == n &&
		    strncmp(m->objs[k].name, e, n) == 0)
			return k;
	return -1;
}

/* An expectation naming a variable the scenario lacks: usage, before any output. */
static int
cmd_check_vars_known(const struct ls_run *r, const struct cli_run_args *a)
{
	const struct ls_model *m = ls_run_model(r);

	for (int i = 0; i < a->nexpect; i++) {
		const char *e = a->expect[i];
		const char *eq = strchr(e, '=');
		if (!eq || cmd_check_var(m, e, (size_t)(eq - e)) >= 0)
			continue;
		char known[256], name[LS_NAME_MAX + 1];
		size_t at = 0;
		known[0] = '\0';
		for (int k = 0; k < m->nobjs && at < sizeof known; k++) {
			if (!(ls_kind_flags(m->objs[k].kind) & LS_KINDF_VAR))
				continue;
			int n = snprintf(known + at, sizeof known - at, "%s%s", at ? ", " : "",
			                 m->objs[k].name);
			at += n > 0 ? (size_t)n : 0;
		}
		snprintf(name, sizeof name, "%.*s", (int)(eq - e), e);
		return cli_usage_error(_("--expect=%s: %s has no variable '%s' (it has: %s)"), cli_q(e),
		                       ls_run_scenario(r)->name, cli_q(name), known[0] ? known : "none");
	}
	return 0;
}

/*
 * Does the run's outcome meet every expectation?  Prints one line per
 * expectation and a last one; LS_EXIT_OK (all met), LS_EXIT_FAIL (not), or
 * LS_EXIT_USAGE when an expectation names a variable the scenario lacks.
 */
static int
cmd_check_report(const struct ls_run *r, const struct cli_run_args *a)
{
	const struct ls_model *m = ls_run_model(r);
	const struct ls_race *races;
	size_t nraces = ls_run_races(r, &races);
	int deadlock = ls_run_status(r) == LS_RUN_DEADLOCK;
	struct ls_verdict v;
	int failed = 0, rc;

	if ((rc = cmd_check_vars_known(r, a)) != 0)
		return rc;
	ls_run_verdict(r, &v);
	printf("%s: %s after %zu steps\n", ls_run_scenario(r)->name,
	       ls_run_status_name(ls_run_status(r)), ls_run_schedule(r)->len);
	for (int i = 0; i < a->nexpect; i++) {
		const char *e = a->expect[i];
		const char *eq = strchr(e, '=');
		char got[200];
		int met;
		if (eq) {
			char name[LS_NAME_MAX + 1];
			snprintf(name, sizeof name, "%.*s", (int)(eq - e), e);
			long val = ls_model_var(m, name);
			met = val == strtol(eq + 1, NULL, 10);
			snprintf(got, sizeof got, "%s is %ld", name, val);
		} else if (strcmp(e, "deadlock") == 0 || strcmp(e, "no-deadlock") == 0) {
			met = deadlock == (e[0] == 'd');
			snprintf(got, sizeof got, "%s", deadlock ? "deadlocked" : "no deadlock");
		} else if (strcmp(e, "race") == 0 || strcmp(e, "no-race") == 0) {
			met = (nraces > 0) == (e[0] == 'r');
			if (nraces)
				snprintf(got, sizeof got, "%zu race%s, first on '%s' at lines %d and %d",
				         nraces, ls_words_s((long)nraces), m->objs[races[0].var].name,
				         races[0].a.line, races[0].b.line);
			else
				snprintf(got, sizeof got, "no data race");
		} else {
			met = strcmp(e, "ok") == 0 ? v.ok == 1 : v.ok == 0;
			snprintf(got, sizeof got, "verdict %s", ls_words_verdict(v.ok));
		}
		printf("  %-4s %s (%s)\n", met ? "ok" : "FAIL", e, got);
		failed += !met;
	}
	printf("check: %s\n", failed ? "the outcome does NOT match" : "the outcome matches");
	return failed ? LS_EXIT_FAIL : LS_EXIT_OK;
}

static int
cmd_check_exec(int argc, char **argv)
{
	struct cli_run_args a;
	int rc = cli_args_run(argc, argv, &a, CLI_MODE_CHECK);

	return rc ? rc : cli_run_headless(&a, cmd_check_report);
}

const struct cli_cmd cli_cmd_check = {
	.name = "check",
	.usage = "check NAME [PARAM=VALUE ...] --schedule-file=F --expect=E [--expect=E ...]",
	.help = N_("replay a schedule; exit 0 if it meets every E, else 1"),
	.options =
		N_("  --schedule-file=F      the schedule to replay (required)\n"
		"  --expect=E             VAR=VALUE (a whole number), deadlock, no-deadlock,\n"
		"                         race, no-race, ok, not-ok; up to 16\n"
		"  --actors=threads|processes   what the actors are (default: the scenario's)\n"
		"  --save-schedule=F      write the steps taken to F\n"
		"  --trace=FILE           write every event as Chrome trace JSON (Perfetto)\n"
		"  --output               accepted, as for run\n"),
	.exec = cmd_check_exec,
};
