/*
 * cmd_explore.c - `lockstep explore`: every interleaving (or those within a
 * preemption bound), summed up as distinct outcomes with a witness each.
 * Says plainly why runs were lost: too long, an actor killed, a replay that
 * did not repeat, or the whole search interrupted.
 */
#include "config.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "python/pyrun.h"
#include "engine/cleanup.h"
#include "engine/params.h"
#include "engine/words.h"
#include "explore/explore.h"
#include "report/json.h"

/* One outcome's variables as "balance=1 other=2". */
static void
cmd_explore_vars(const struct ls_explore_result *res, const struct ls_outcome *o,
                 char *buf, size_t len)
{
	size_t at = 0;

	snprintf(buf, len, "(no shared variables)");
	for (int i = 0; i < res->nvars && at < len; i++) {
		int n = snprintf(buf + at, len - at, "%s%s=%ld", i ? " " : "", res->var_names[i],
		                 o->vars[i]);
		at += n > 0 ? (size_t)n : 0;
	}
}

static char *
cmd_explore_witness(const struct ls_explore_result *res, const struct ls_outcome *o)
{
	size_t len = o->witness.len * (LS_ACTOR_NAME_MAX + 1) + 1;
	char *buf = malloc(len);

	if (buf)
		ls_explore_format_schedule(res, &o->witness, buf, len);
	return buf;
}

static double
cmd_explore_rate(const struct ls_explore_result *res)
{
	return res->elapsed_ms > 0 ? (double)ls_explore_executions(res) * 1000.0 / res->elapsed_ms : 0;
}

/* A count that may pass what a double holds exactly: as a whole number. */
static void
cmd_explore_json_u64(struct ls_json *j, const char *key, uint64_t v)
{
	if (v <= (uint64_t)LLONG_MAX)
		ls_json_int(j, key, (long long)v);
	else
		ls_json_num(j, key, (double)v);
}

/* "params": each parameter as the user writes it (a choice's name, or a number). */
static void
cmd_explore_json_params(struct ls_json *j, const struct cli_run_args *a)
{
	ls_json_object(j, "params");
	for (int i = 0; i < a->s->nparams; i++) {
		if (a->s->params[i].choices) {
			char val[LS_PARAMS_VALUE_MAX];
			ls_params_value(&a->s->params[i], a->params[i], val, sizeof val);
			ls_json_str(j, a->s->params[i].name, val);
		} else {
			ls_json_int(j, a->s->params[i].name, a->params[i]);
		}
	}
	ls_json_end(j, '}');
}

/* The search's counts. */
static void
cmd_explore_json_counts(struct ls_json *j, const struct ls_explore_result *res)
{
	ls_json_int(j, "runs", res->runs);
	ls_json_int(j, "pruned", res->pruned);
	ls_json_int(j, "blocked", res->blocked);
	ls_json_int(j, "diverged", res->diverged);
	ls_json_int(j, "crashed", res->crashed);
	ls_json_int(j, "too_long", res->too_long);
	ls_json_int(j, "merged", res->merged);
	ls_json_int(j, "states", res->states);
	ls_json_int(j, "executions", ls_explore_executions(res));
	cmd_explore_json_u64(j, "schedules", res->schedules);
	cmd_explore_json_u64(j, "schedules_too_long", res->schedules_too_long);
	ls_json_bool(j, "schedules_exact", res->schedules_exact);
	ls_json_bool(j, "schedules_saturated", res->schedules_saturated);
	ls_json_bool(j, "complete", res->complete);
	ls_json_bool(j, "interrupted", res->interrupted);
}

static void
cmd_explore_json_outcome(struct ls_json *j, const struct ls_explore_result *res,
                         const struct ls_outcome *o)
{
	char *w = cmd_explore_witness(res, o);

	ls_json_object(j, NULL);
	ls_json_object(j, "vars");
	for (int i = 0; i < res->nvars; i++)
		ls_json_int(j, res->var_names[i], o->vars[i]);
	ls_json_end(j, '}');
	if (o->ok < 0)
		ls_json_null(j, "ok");
	else
		ls_json_bool(j, "ok", o->ok);
	ls_json_bool(j, "deadlock", o->deadlock);
	ls_json_bool(j, "race", o->raced);
	ls_json_int(j, "count", o->count);
	cmd_explore_json_u64(j, "schedules", o->schedules);
	if (res->schedules_saturated)
		ls_json_null(j, "share");
	else
		ls_json_num(j, "share", res->schedules ? (double)o->schedules / (double)res->schedules : 0);
	ls_json_str(j, "witness", w ? w : "");
	ls_json_end(j, '}');
	free(w);
}

static void
cmd_explore_json(FILE *f, const struct cli_run_args *a, const struct ls_explore_opts *eo,
                 const struct ls_explore_result *res)
{
	struct ls_json j;

	ls_json_init(&j, f);
	ls_json_object(&j, NULL);
	ls_json_str(&j, "scenario", a->s->name);
	cmd_explore_json_params(&j, a);
	ls_json_str(&j, "actors", ls_words_kind(eo->kind));
	if (eo->bound >= 0)
		ls_json_int(&j, "bound", eo->bound);
	else
		ls_json_null(&j, "bound");
	ls_json_bool(&j, "prune", eo->prune);
	ls_json_bool(&j, "reduce", eo->prune && eo->reduce);
	ls_json_bool(&j, "symmetry", eo->prune && eo->reduce && eo->symmetry);
	cmd_explore_json_counts(&j, res);
	ls_json_array(&j, "outcomes");
	for (size_t k = 0; k < res->noutcomes; k++)
		cmd_explore_json_outcome(&j, res, &res->outcomes[k]);
	ls_json_end(&j, ']');
	ls_json_num(&j, "elapsed_ms", res->elapsed_ms);
	ls_json_num(&j, "runs_per_s", cmd_explore_rate(res));
	ls_json_end(&j, '}');
	fputc('\n', f);
}

/* The warnings: runs lost or abandoned, replays that did not repeat. */
static void
cmd_explore_text_warnings(FILE *f, const struct ls_explore_opts *eo,
                          const struct ls_explore_result *res)
{
	if (res->diverged)
		fprintf(f, "  warning:  %ld replay%s did not repeat (the scenario is not "
		        "deterministic under control)\n", res->diverged, ls_words_s(res->diverged));
	if (res->crashed)
		fprintf(f, "  warning:  %ld run%s lost: an actor died (killed from outside, or a "
		        "crash) before the run could end\n", res->crashed, ls_words_s(res->crashed));
	if (res->too_long)
		fprintf(f, "  warning:  %ld run%s abandoned after %ld steps (--max-steps): actors that "
		        "wait by spinning never end when starved\n", res->too_long,
		        ls_words_s(res->too_long), eo->max_steps);
}

/* The search's counts: runs, merges, schedules, pruning. */
static void
cmd_explore_text_counts(FILE *f, const struct ls_explore_opts *eo,
                        const struct ls_explore_result *res)
{
	long bad = 0;

	for (size_t k = 0; k < res->noutcomes; k++)
		if (res->outcomes[k].ok == 0 || res->outcomes[k].deadlock)
			bad += res->outcomes[k].count;
	fprintf(f, "  runs:     %ld schedule%s, %ld %s\n", res->runs, ls_words_s(res->runs), bad,
	        ls_words_verdict(0));
	if (eo->prune && eo->reduce)
		fprintf(f, "  merged:   %ld run%s stopped at one of %ld states already explored%s\n",
		        res->merged, ls_words_s(res->merged), res->states,
		        eo->symmetry ? " (interchangeable actors taken as one)" : "");
	if (res->schedules_saturated)
		fprintf(f, "  schedules: more than %" PRIu64 " (the counts saturated)\n", UINT64_MAX);
	else
		fprintf(f, "  schedules: %" PRIu64 " interleaving%s behind these runs%s\n",
		        res->schedules, res->schedules == 1 ? "" : "s",
		        res->schedules_exact ? "" : " (not exact: counted as one per run where a "
		        "trace was too large or a replay diverged)");
	if (eo->prune && !eo->reduce)
		fprintf(f, "  pruned:   %ld branch%s skipped as equivalent (sleep sets), "
		        "%ld run%s cut short\n", res->pruned, res->pruned == 1 ? "" : "es",
		        res->blocked, ls_words_s(res->blocked));
}

/* One outcome: its values, runs, share of the schedules, verdict and witness. */
static void
cmd_explore_text_outcome(FILE *f, const struct ls_explore_result *res,
                         const struct ls_outcome *o)
{
	char vars[512], sched[96] = "";
	char *w = cmd_explore_witness(res, o);

	cmd_explore_vars(res, o, vars, sizeof vars);
	/* Saturated counts say nothing about proportions: leave them out. */
	if (!res->schedules_saturated)
		snprintf(sched, sizeof sched, ", %" PRIu64 " schedule%s (%.1f%%)", o->schedules,
		         o->schedules == 1 ? "" : "s",
		         res->schedules ? 100.0 * (double)o->schedules / (double)res->schedules : 0);
	fprintf(f, "    %s%s: %ld run%s%s, %s%s\n      witness: %s\n", vars,
	        o->deadlock ? " deadlock" : "", o->count, ls_words_s(o->count), sched,
	        ls_words_verdict(o->ok), o->raced ? ", data race" : "", w ? w : "?");
	free(w);
}

static void
cmd_explore_text(FILE *f, const struct cli_run_args *a, const struct ls_explore_opts *eo,
                 const struct ls_explore_result *res)
{
	char params[512];
	/* A lost run's schedule was not tried again: complete, but not quite. */
	long lost = res->diverged + res->crashed;

	ls_params_format(a->s, a->params, params, sizeof params);
	fprintf(f, "explore %s (%s), %s, %s%s\n", a->s->name, params, ls_words_kind(eo->kind),
	        !eo->prune ? "no pruning"
	        : eo->reduce ? "merging states already explored"
	        : "pruning equivalent schedules",
	        eo->bound >= 0 ? "" : ", no preemption bound");
	if (eo->bound >= 0)
		fprintf(f, "  bound:    at most %d preemption%s\n", eo->bound, ls_words_s(eo->bound));
	cmd_explore_text_counts(f, eo, res);
	cmd_explore_text_warnings(f, eo, res);
	fprintf(f, "  outcomes: %zu\n", res->noutcomes);
	for (size_t k = 0; k < res->noutcomes; k++)
		cmd_explore_text_outcome(f, res, &res->outcomes[k]);
	fprintf(f, "  %s%s in %.1f ms (%.0f runs/s)\n",
	        res->complete ? "every schedule explored"
	        : res->interrupted ? "interrupted by a signal" : "stopped early (--max-runs)",
	        res->complete && lost ? ", but for the lost runs" : "",
	        res->elapsed_ms, cmd_explore_rate(res));
}

/* One argument after the lesson: a parameter or an option; 0, or the exit code. */
static int
cmd_explore_arg(const char *arg, struct cli_run_args *a, struct ls_explore_opts *eo)
{
	char err[CLI_ERR_MAX];
	const char *v;
	long x = 0;

	if (arg[0] != '-') {
		if (ls_params_set(a->s, a->params, arg, err, sizeof err) != 0)
			return cli_usage_error("%s", err);
	} else if ((v = cli_opt(arg, "--actors"))) {
		int rc = cli_kind(v, &eo->kind);
		if (rc == 0 && ls_pyrun_text(a->s) && eo->kind != LS_ACTORS_PROCESSES)
			rc = cli_usage_error(_("%s: a Python program's actors are its own "
			                     "threads and processes (no --actors)"), a->s->name);
		return rc;
	} else if (ls_pyrun_text(a->s) && (v = cli_opt(arg, "--steps"))) {
		return cli_steps(a->s, a->params, v);
	} else if ((v = cli_opt(arg, "--bound"))) {
		if (cli_whole(v, 0, 1000, &x) != 0)
			return cli_usage_error(_("--bound=%s: accepted: 0..1000 (preemptions)"), cli_q(v));
		eo->bound = (int)x;
	} else if ((v = cli_opt(arg, "--max-runs"))) {
		if (cli_whole(v, 1, 1000000000L, &x) != 0)
			return cli_usage_error(_("--max-runs=%s: accepted: 1..1000000000"), cli_q(v));
		eo->max_runs = x;
	} else if ((v = cli_opt(arg, "--max-steps"))) {
		if (cli_whole(v, 1, 10000000L, &x) != 0)
			return cli_usage_error(_("--max-steps=%s: accepted: 1..10000000"), cli_q(v));
		eo->max_steps = x;
	} else if (strcmp(arg, "--no-prune") == 0) {
		eo->prune = 0;
	} else if (strcmp(arg, "--reduce") == 0) {
		eo->reduce = 1;
	} else if (strcmp(arg, "--no-reduce") == 0) {
		eo->reduce = 0;
	} else if (strcmp(arg, "--no-symmetry") == 0) {
		eo->symmetry = 0;
	} else if (strcmp(arg, "--json") == 0) {
		a->json = 1;
	} else {
		return cli_usage_error(_("unknown option '%s' for explore"), cli_q(arg));
	}
	return 0;
}

static int
cmd_explore_exec(int argc, char **argv)
{
	struct cli_run_args a;
	struct ls_explore_opts eo;
	struct ls_explore_result res;
	char err[CLI_ERR_MAX];
	int rc;

	memset(&a, 0, sizeof a);
	if (argc < 1 || argv[0][0] == '-') {
		cli_scenario(NULL);
		return LS_EXIT_USAGE;
	}
	if (!(a.s = cli_scenario(argv[0])))
		return LS_EXIT_USAGE;
	ls_params_default(a.s, a.params);
	ls_explore_opts_default(&eo, a.s);
	for (int i = 1; i < argc; i++)
		if ((rc = cli_args_twice(1, i, argv)) != 0 ||
		    (rc = cmd_explore_arg(argv[i], &a, &eo)) != 0)
			return rc;
	if ((rc = cli_params_check(a.s, a.params)) != 0)
		return rc;
	if (ls_explore(a.s, a.params, &eo, &res, err, sizeof err) != 0) {
		cli_error(_("%s"), err);
		return LS_EXIT_FAIL;
	}
	if (a.json)
		cmd_explore_json(stdout, &a, &eo, &res);
	else
		cmd_explore_text(stdout, &a, &eo, &res);
	ls_explore_result_free(&res);
	int sig = ls_cleanup_signalled();
	if (sig) {
		fflush(stdout);
		ls_cleanup_reraise(sig);
	}
	return LS_EXIT_OK;
}

const struct cli_cmd cli_cmd_explore = {
	.name = "explore",
	.usage = "explore NAME [PARAM=VALUE ...] [OPTIONS]",
	.help = N_("try every interleaving; list outcomes and witnesses"),
	.options =
		N_("  --bound=K              only schedules with at most K preemptions\n"
		"  --max-runs=N           stop after N runs (default 10000)\n"
		"  --max-steps=N          abandon a run after N steps (default 2000)\n"
		"  --no-prune             run every schedule, equivalent ones too\n"
		"  --no-reduce            prune with sleep sets only, not by states already seen\n"
		"  --reduce               merge states already explored (the default)\n"
		"  --no-symmetry          keep interchangeable actors apart when merging\n"
		"  --actors=threads|processes   what the actors are (default: the scenario's)\n"
		"  --json                 print one JSON object instead of text\n"),
	.exec = cmd_explore_exec,
};
