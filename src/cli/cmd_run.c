/*
 * cmd_run.c - `lockstep run`: one headless run, reported as text or JSON.
 * Also the headless run itself, which check shares: schedule file in,
 * schedule and trace files out, and one line on stderr for each thing that
 * did not go as asked (a schedule file too short or too long included).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "engine/cleanup.h"
#include "engine/outfile.h"
#include "engine/words.h"
#include "report/export.h"
#include "report/report.h"

/* Names of the actors a run of these parameters will have, for parsing a schedule. */
static char **
cmd_run_actor_names(const struct ls_scenario *s, const long *params, int *n)
{
	int count = ls_scenario_actor_count(s, params);
	char **names = calloc((size_t)(count > 0 ? count : 1), sizeof *names);
	int id = 0;

	if (!names)
		return NULL;
	for (int r = 0; r < s->nroles; r++) {
		const struct ls_role_desc *rd = &s->roles[r];
		int c = rd->count_param >= 0 ? (int)params[rd->count_param] : rd->count;
		for (int k = 0; k < c && id < count; k++, id++) {
			char buf[LS_ACTOR_NAME_MAX];
			ls_words_actor_name(rd, c, k, buf, sizeof buf);
			if (!(names[id] = strdup(buf)))
				goto fail;
		}
	}
	*n = id;
	return names;
fail:
	for (int i = 0; i < id; i++)
		free(names[i]);
	free(names);
	return NULL;
}

static int
cmd_run_load(struct cli_run_args *a, struct ls_schedule *replay)
{
	char err[CLI_ERR_MAX];
	int n = 0, rc;
	char **names = cmd_run_actor_names(a->s, a->params, &n);

	if (!names) {
		cli_error(_("out of memory"));
		return LS_EXIT_FAIL;
	}
	rc = ls_schedule_load(replay, a->schedule_file, (const char *const *)names, n,
	                      err, sizeof err);
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc != 0) {
		cli_usage_error("%s", err);
		return LS_EXIT_USAGE;
	}
	a->opts.replay = replay;
	return 0;
}

/* A replayed file that did not cover the run exactly is used, but not silently. */
static void
cmd_run_replay_fit(const struct cli_run_args *a, const struct ls_schedule *replay,
                   const struct ls_run *r)
{
	size_t want = replay->len, took = ls_run_schedule(r)->len;

	if (took > want)
		cli_error(_("schedule file '%s' ran out after %zu step%s: the run's other %zu went to "
		          "the lowest-numbered actor that could move"), cli_qpath(a->schedule_file),
		          want, ls_words_s((long)want), took - want);
	else if (took < want)
		cli_error(_("schedule file '%s' has %zu steps but the run ended after %zu: "
		          "the last %zu were not used"), cli_qpath(a->schedule_file), want, took,
		          want - took);
}

/* A run to its end: its schedule saved, its report, the replay's fit, its trace. */
static int
cmd_run_after(struct cli_run_args *a, struct ls_run *r, enum ls_run_status st,
              const struct ls_schedule *replay,
              int (*report)(const struct ls_run *r, const struct cli_run_args *a))
{
	char err[CLI_ERR_MAX];
	int rc = LS_EXIT_OK, rrc;

	if (a->save_file && ls_run_save_schedule(r, a->save_file, err, sizeof err) != 0) {
		cli_error(_("%s"), err);
		rc = LS_EXIT_FAIL;
	}
	if ((rrc = report(r, a)) != 0)
		rc = rrc;
	if (a->schedule_file && rrc != LS_EXIT_USAGE)
		cmd_run_replay_fit(a, replay, r);
	if (a->trace_file && rc != LS_EXIT_USAGE &&
	    ls_export_chrome_file(a->trace_file, r, err, sizeof err) != 0) {
		cli_error(_("%s"), err);
		rc = LS_EXIT_FAIL;
	}
	/* Ended by the engine, not by the lesson (an actor stopped or
	 * silent past its bound): the report stands, but the run could
	 * not be carried out, and the exit status says so. */
	if (st == LS_RUN_ABORTED) {
		cli_error(_("the run was ended before its end: %s"),
		          ls_run_reason(r)[0] ? ls_run_reason(r) : "stopped");
		if (rc == LS_EXIT_OK)
			rc = LS_EXIT_FAIL;
	}
	return rc;
}

/*
 * The files the run writes at its end are checked before it starts: a
 * long lesson must not run to learn at its end that its trace cannot be
 * written.  0, or LS_EXIT_FAIL after one line.
 */
static int
cmd_run_outputs_writable(const struct cli_run_args *a)
{
	if (a->trace_file && ls_outfile_check(a->trace_file) != 0) {
		cli_error(_("cannot write the trace to '%s': %s"), cli_qpath(a->trace_file),
		          strerror(errno));
		return LS_EXIT_FAIL;
	}
	if (a->save_file && ls_outfile_check(a->save_file) != 0) {
		cli_error(_("cannot write schedule file '%s': %s"), cli_qpath(a->save_file),
		          strerror(errno));
		return LS_EXIT_FAIL;
	}
	return 0;
}

int
cli_run_headless(struct cli_run_args *a,
                 int (*report)(const struct ls_run *r, const struct cli_run_args *a))
{
	struct ls_schedule replay;
	char err[CLI_ERR_MAX];
	enum ls_run_status st;
	struct ls_run *r;
	int rc, sig;

	ls_schedule_init(&replay);
	if (a->schedule_file && (rc = cmd_run_load(a, &replay)) != 0)
		return rc;
	if ((rc = cmd_run_outputs_writable(a)) != 0) {
		ls_schedule_clear(&replay);
		return rc;
	}
	r = ls_run_new(a->s, a->params, &a->opts, err, sizeof err);
	if (!r) {
		ls_schedule_clear(&replay);
		cli_error(_("%s"), err);
		return LS_EXIT_FAIL;
	}
	if (a->trace_file)
		ls_run_keep_events(r);
	if (ls_run_start(r, err, sizeof err) != 0) {
		ls_run_free(r);
		ls_schedule_clear(&replay);
		cli_error(_("%s"), err);
		return LS_EXIT_FAIL;
	}
	st = ls_run_finish(r);
	/* A deadlocked run is reported as it stands, actors still stuck, so the
	 * report shows who waits for what; ls_run_free() stops them after. */
	sig = ls_cleanup_signalled();
	rc = LS_EXIT_OK;
	if (st == LS_RUN_DIVERGED) {
		rc = cli_usage_error(_("schedule file '%s' does not fit this run: %s"),
		                     cli_qpath(a->schedule_file), ls_run_reason(r));
	} else if (!sig) {
		rc = cmd_run_after(a, r, st, &replay, report);
	}
	ls_run_free(r);
	ls_schedule_clear(&replay);
	if (sig) {
		fflush(stdout);
		ls_cleanup_reraise(sig);
	}
	return rc;
}

static int
cmd_run_report(const struct ls_run *r, const struct cli_run_args *a)
{
	if (a->json)
		ls_report_json(stdout, r);
	else
		ls_report_text(stdout, r, a->output);
	return LS_EXIT_OK;
}

static int
cmd_run_exec(int argc, char **argv)
{
	struct cli_run_args a;
	int rc = cli_args_run(argc, argv, &a, CLI_MODE_RUN);

	return rc ? rc : cli_run_headless(&a, cmd_run_report);
}

const struct cli_cmd cli_cmd_run = {
	.name = "run",
	.usage = "run NAME [PARAM=VALUE ...] [OPTIONS]",
	.help = N_("run a scenario headless and print the outcome"),
	/* Printed with "%s": "PCT%" is text, not a format. */
	.options =
		/* xgettext:no-c-format */ N_("  --actors=threads|processes   what the actors are (default: the scenario's)\n"
		"  --schedule=free|random|replay\n"
		"                         free: the OS schedules (default); random: a seeded\n"
		"                         pick at every step; replay: the steps of a file\n"
		"  --seed=N               seed for --schedule=random (implies it; default 1)\n"
		"  --schedule-file=F      replay the schedule in F (implies --schedule=replay)\n"
		"  --save-schedule=F      write the steps taken to F (random or replay)\n"
		"  --trace=FILE           write every event as Chrome trace JSON (Perfetto)\n"
		"  --slowmo=PCT           free mode: sleeps last PCT% of their time (default 100)\n"
		"  --output               also print what the actors said\n"
		"  --json                 print one JSON object instead of text\n"
		"  --steps=line|bytecode  a Python program: hold each actor before each of\n"
		"                         its lines (default) or bytecode instructions\n"),
	.exec = cmd_run_exec,
};
