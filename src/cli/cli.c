/*
 * cli.c - parses the command line and dispatches.  Every mistake a user can
 * make gets one line naming the problem and what is accepted, and exit 2.
 * Never calls ncurses: the menu and run view live behind tui_main().
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/cleanup.h"
#include "cli/cli.h"
#include "explore/explore.h"
#include "report/export.h"
#include "report/json.h"
#include "engine/params.h"
#include "report/report.h"
#include "engine/run.h"
#include "tui/tui.h"

static const char usage_text[] =
	"usage: lockstep [COMMAND] [ARGS]\n"
	"\n"
	"Concurrency lessons run in real threads and processes.\n"
	"\n"
	"commands:\n"
	"  (none)                 open the scenario menu (needs a terminal)\n"
	"  list [--json]          list the scenarios\n"
	"  show NAME              print a scenario's lesson, parameters and source\n"
	"  run NAME [PARAM=VALUE ...] [OPTIONS]\n"
	"                         run a scenario headless and print the outcome\n"
	"  open NAME [PARAM=VALUE ...] [--actors=KIND] [--walkthrough]\n"
	"          [--challenge=N] [--presenter]\n"
	"                         open a stepped run of a scenario in the terminal;\n"
	"                         --walkthrough: its narrated walkthrough instead;\n"
	"                         --challenge=N: its challenge N; --presenter: big\n"
	"                         narration, few panes, PgDn/PgUp step and step back\n"
	"  explore NAME [PARAM=VALUE ...] [--bound=K] [--max-runs=N] [--max-steps=N]\n"
	"          [--no-prune] [--actors=KIND] [--json]\n"
	"                         run the scenario once per interleaving (all, or\n"
	"                         those with at most K preemptions) and list the\n"
	"                         distinct outcomes, each with a witness schedule\n"
	"  check NAME [PARAM=VALUE ...] --schedule-file=F --expect=E [--expect=E ...]\n"
	"                         replay a schedule; exit 0 when the outcome matches\n"
	"                         every E (VAR=VALUE, deadlock, no-deadlock, race,\n"
	"                         no-race, ok, not-ok), 1 when it does not\n"
	"  challenge NAME [N --schedule-file=F | N --prove] [--actors=KIND]\n"
	"                         list a scenario's challenges; grade a schedule\n"
	"                         against challenge N (exit 0 met, 1 not met); or\n"
	"                         ask the explorer whether any schedule meets it\n"
	"\n"
	"run options:\n"
	"  --actors=threads|processes   what the actors are (default: the scenario's)\n"
	"  --schedule=free|random|replay\n"
	"                         free: the OS schedules (default); random: a seeded\n"
	"                         pick at every step; replay: the steps of a file\n"
	"  --seed=N               seed for --schedule=random (implies it; default 1)\n"
	"  --schedule-file=F      replay the schedule in F (implies --schedule=replay)\n"
	"  --save-schedule=F      write the steps taken to F (random or replay)\n"
	"  --trace=FILE           write every event as Chrome trace JSON (Perfetto;\n"
	"                         also for check)\n"
	"  --slowmo=PCT           free mode: sleeps last PCT% of their time (default 100)\n"
	"  --output               also print what the actors said\n"
	"  --json                 print one JSON object instead of text\n"
	"\n"
	"  -h, --help             show this help\n"
	"  -V, --version          show the version\n"
	"\n"
	"A schedule file lists actor names (T1 T2 T1 ...) separated by white space;\n"
	"'#' starts a comment. Exit status: 0 when a run completed and was reported,\n"
	"whatever its verdict; 1 when it could not be carried out; 2 for bad usage.\n";

static int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static const char *
report_ok_word(int ok)
{
	return ok > 0 ? "as expected" : ok == 0 ? "NOT as expected" : "undecided";
}

static int
cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("lockstep: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see lockstep --help)\n", stderr);
	return LS_EXIT_USAGE;
}

static const struct ls_scenario *
cli_scenario(const char *name)
{
	const struct ls_scenario *s = name ? ls_scenario_find(name) : NULL;
	char known[512];
	size_t at = 0;

	if (s)
		return s;
	known[0] = '\0';
	for (const struct ls_scenario *const *p = ls_scenarios; *p && at < sizeof known; p++) {
		int n = snprintf(known + at, sizeof known - at, "%s%s", at ? ", " : "", (*p)->name);
		at += n > 0 ? (size_t)n : 0;
	}
	if (name)
		fprintf(stderr, "lockstep: no scenario named '%s' (known: %s)\n", name, known);
	else
		fprintf(stderr, "lockstep: which scenario? (known: %s)\n", known);
	return NULL;
}

static const char *
cli_opt(const char *arg, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(arg, name, n) == 0 && arg[n] == '=')
		return arg + n + 1;
	return NULL;
}

static int
cli_kind(const char *v, enum ls_actor_kind *k)
{
	if (strcmp(v, "threads") == 0)
		*k = LS_ACTORS_THREADS;
	else if (strcmp(v, "processes") == 0)
		*k = LS_ACTORS_PROCESSES;
	else
		return -1;
	return 0;
}

struct cli_run_args {
	const struct ls_scenario *s;
	long params[32];
	struct ls_run_opts opts;
	int policy_given;
	int seed_given;
	const char *schedule_file;
	const char *save_file;
	int json;
	int output;
	int walkthrough;        /* open: start the scenario's walkthrough */
	int challenge;          /* open: its challenge N (1-based), or 0 */
	int presenter;          /* open: presenter mode */
	const char *trace_file; /* run, check: Chrome trace JSON */
	const char *expect[16]; /* check */
	int nexpect;
	int nparams_given;
};

static const char *const cli_expect_words[] = {
	"deadlock", "no-deadlock", "race", "no-race", "ok", "not-ok",
};

/* A check's expectation: one of the words, or VAR=VALUE with a whole number. */
static int
cli_expect_valid(const char *v)
{
	const char *eq = strchr(v, '=');

	for (size_t i = 0; i < sizeof cli_expect_words / sizeof cli_expect_words[0]; i++)
		if (strcmp(v, cli_expect_words[i]) == 0)
			return 0;
	if (!eq || eq == v || !eq[1])
		return -1;
	char *end;
	errno = 0;
	strtol(eq + 1, &end, 10);
	return *end || errno ? -1 : 0;
}

/*
 * Does the run's outcome meet every expectation?  Prints one line per
 * expectation and a last one; returns 0 (all met), 1 (not), or 2 when an
 * expectation names a variable the scenario does not have (nothing printed
 * on stdout then, one line on stderr).
 */
static int
cli_check_outcome(FILE *f, const struct ls_run *r, const struct cli_run_args *a)
{
	const struct ls_model *m = ls_run_model(r);
	const struct ls_race *races;
	size_t nraces = ls_run_races(r, &races);
	int deadlock = ls_run_status(r) == LS_RUN_DEADLOCK;
	struct ls_verdict v;
	int failed = 0;

	ls_run_verdict(r, &v);
	for (int i = 0; i < a->nexpect; i++) {
		const char *e = a->expect[i];
		const char *eq = strchr(e, '=');
		if (!eq)
			continue;
		int obj = -1;
		for (int k = 0; k < m->nobjs; k++)
			if (m->objs[k].kind == LS_OBJ_VAR && strlen(m->objs[k].name) == (size_t)(eq - e) &&
			    strncmp(m->objs[k].name, e, (size_t)(eq - e)) == 0)
				obj = k;
		if (obj < 0) {
			char known[256];
			size_t at = 0;
			known[0] = '\0';
			for (int k = 0; k < m->nobjs && at < sizeof known; k++) {
				if (m->objs[k].kind != LS_OBJ_VAR)
					continue;
				int n = snprintf(known + at, sizeof known - at, "%s%s", at ? ", " : "",
				                 m->objs[k].name);
				at += n > 0 ? (size_t)n : 0;
			}
			cli_usage_error("--expect=%s: %s has no variable '%.*s' (it has: %s)", e,
			                ls_run_scenario(r)->name, (int)(eq - e), e, known[0] ? known : "none");
			return LS_EXIT_USAGE;
		}
	}
	fprintf(f, "%s: %s after %zu steps\n", ls_run_scenario(r)->name,
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
				         nraces, nraces == 1 ? "" : "s", m->objs[races[0].var].name,
				         races[0].a.line, races[0].b.line);
			else
				snprintf(got, sizeof got, "no data race");
		} else {
			met = strcmp(e, "ok") == 0 ? v.ok == 1 : v.ok == 0;
			snprintf(got, sizeof got, "verdict %s",
			         v.ok > 0 ? "as expected" : v.ok == 0 ? "NOT as expected" : "undecided");
		}
		fprintf(f, "  %-4s %s (%s)\n", met ? "ok" : "FAIL", e, got);
		failed += !met;
	}
	fprintf(f, "check: %s\n", failed ? "the outcome does NOT match" : "the outcome matches");
	return failed ? LS_EXIT_FAIL : LS_EXIT_OK;
}

/* Parse NAME PARAM=VALUE... and options; 0, or an exit code. */
static int
cli_parse_run(int argc, char **argv, struct cli_run_args *a, int allow_run_opts)
{
	char err[400];

	memset(a, 0, sizeof *a);
	if (argc < 1 || argv[0][0] == '-') {
		cli_scenario(NULL);
		return LS_EXIT_USAGE;
	}
	if (!(a->s = cli_scenario(argv[0])))
		return LS_EXIT_USAGE;
	ls_params_default(a->s, a->params);
	ls_run_opts_default(&a->opts, a->s);
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *v;
		if (arg[0] != '-') {
			if (ls_params_set(a->s, a->params, arg, err, sizeof err) != 0) {
				fprintf(stderr, "lockstep: %s\n", err);
				return LS_EXIT_USAGE;
			}
			a->nparams_given++;
		} else if ((v = cli_opt(arg, "--actors"))) {
			if (cli_kind(v, &a->opts.kind) != 0)
				return cli_usage_error("--actors=%s: accepted: threads, processes", v);
		} else if (!allow_run_opts && strcmp(arg, "--walkthrough") == 0) {
			a->walkthrough = 1;
		} else if (!allow_run_opts && strcmp(arg, "--presenter") == 0) {
			a->presenter = 1;
		} else if (!allow_run_opts && (v = cli_opt(arg, "--challenge"))) {
			char *end;
			long n = strtol(v, &end, 10);
			if (!*v || *end || n < 1 || n > a->s->nchallenges)
				return cli_usage_error("--challenge=%s: %s has challenges 1..%d "
				                       "(lockstep challenge %s lists them)", v, a->s->name,
				                       a->s->nchallenges, a->s->name);
			a->challenge = (int)n;
		} else if (!allow_run_opts) {
			return cli_usage_error("unknown option '%s' for open", arg);
		} else if ((v = cli_opt(arg, "--schedule"))) {
			if (ls_policy_parse(v, &a->opts.policy) != 0 || a->opts.policy == LS_POLICY_STEP)
				return cli_usage_error("--schedule=%s: accepted: free, random, replay", v);
			a->policy_given = 1;
		} else if ((v = cli_opt(arg, "--seed"))) {
			char *end;
			errno = 0;
			unsigned long long seed = strtoull(v, &end, 10);
			if (!*v || *end || errno || v[0] == '-')
				return cli_usage_error("--seed=%s: accepted: a whole number 0..18446744073709551615", v);
			a->opts.seed = seed;
			a->seed_given = 1;
		} else if ((v = cli_opt(arg, "--schedule-file"))) {
			a->schedule_file = v;
		} else if ((v = cli_opt(arg, "--save-schedule"))) {
			a->save_file = v;
		} else if ((v = cli_opt(arg, "--slowmo"))) {
			char *end;
			long pct = strtol(v, &end, 10);
			if (!*v || *end || pct < 1 || pct > 100000)
				return cli_usage_error("--slowmo=%s: accepted: 1..100000 (percent)", v);
			a->opts.slowmo_pct = (unsigned)pct;
		} else if ((v = cli_opt(arg, "--trace"))) {
			if (!*v)
				return cli_usage_error("--trace= needs a file name");
			a->trace_file = v;
		} else if (allow_run_opts == 2 && (v = cli_opt(arg, "--expect"))) {
			if (cli_expect_valid(v) != 0)
				return cli_usage_error("--expect=%s: accepted: VAR=VALUE (a whole number), "
				                       "deadlock, no-deadlock, race, no-race, ok, not-ok", v);
			if (a->nexpect >= (int)(sizeof a->expect / sizeof a->expect[0]))
				return cli_usage_error("too many --expect (at most 16)");
			a->expect[a->nexpect++] = v;
		} else if (strcmp(arg, "--json") == 0) {
			a->json = 1;
		} else if (strcmp(arg, "--output") == 0) {
			a->output = 1;
		} else {
			return cli_usage_error("unknown option '%s'", arg);
		}
	}
	if (!allow_run_opts)
		return 0;
	if (allow_run_opts == 2 && !a->schedule_file)
		return cli_usage_error("check needs --schedule-file=F (the schedule to replay)");
	if (allow_run_opts == 2 && a->json)
		return cli_usage_error("check answers with its exit status and a few lines; "
		                       "--json is for run and explore");
	if (allow_run_opts == 2 && !a->nexpect)
		return cli_usage_error("check needs at least one --expect=VAR=VALUE, deadlock or race");
	/* Options that imply a policy, and combinations that make no sense. */
	if (a->schedule_file && !a->policy_given)
		a->opts.policy = LS_POLICY_REPLAY;
	if (a->seed_given && !a->policy_given && !a->schedule_file)
		a->opts.policy = LS_POLICY_RANDOM;
	if (a->opts.policy == LS_POLICY_REPLAY && !a->schedule_file)
		return cli_usage_error("--schedule=replay needs --schedule-file=F");
	if (a->schedule_file && a->opts.policy != LS_POLICY_REPLAY)
		return cli_usage_error("--schedule-file goes with --schedule=replay, not %s",
		                       ls_policy_name(a->opts.policy));
	if (a->seed_given && a->opts.policy != LS_POLICY_RANDOM)
		return cli_usage_error("--seed goes with --schedule=random, not %s",
		                       ls_policy_name(a->opts.policy));
	if (a->save_file && a->opts.policy == LS_POLICY_FREE)
		return cli_usage_error("--save-schedule needs a controlled schedule "
		                       "(--schedule=random or replay)");
	return 0;
}

/* Names of the actors a run of these parameters will have, for parsing a schedule. */
static char **
cli_actor_names(const struct ls_scenario *s, const long *params, int *n)
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
			char buf[32];
			if (rd->single && c == 1)
				snprintf(buf, sizeof buf, "%s", rd->prefix);
			else
				snprintf(buf, sizeof buf, "%s%d", rd->prefix, k + 1);
			names[id] = strdup(buf);
		}
	}
	*n = id;
	return names;
}

/* run (mode 1) and check (mode 2). */
static int
cli_run(int argc, char **argv, int mode)
{
	struct cli_run_args a;
	struct ls_schedule replay;
	char err[400];
	int rc = cli_parse_run(argc, argv, &a, mode);

	if (rc)
		return rc;
	ls_schedule_init(&replay);
	if (a.schedule_file) {
		int n = 0;
		char **names = cli_actor_names(a.s, a.params, &n);
		rc = names ? ls_schedule_load(&replay, a.schedule_file, (const char *const *)names,
		                              n, err, sizeof err) : -1;
		for (int i = 0; names && i < n; i++)
			free(names[i]);
		free(names);
		if (rc != 0) {
			fprintf(stderr, "lockstep: %s\n", names ? err : "out of memory");
			return LS_EXIT_USAGE;
		}
		a.opts.replay = &replay;
	}
	struct ls_run *r = ls_run_new(a.s, a.params, &a.opts, err, sizeof err);
	if (!r) {
		ls_schedule_clear(&replay);
		fprintf(stderr, "lockstep: %s\n", err);
		return LS_EXIT_FAIL;
	}
	if (a.trace_file)
		ls_run_keep_events(r);
	if (ls_run_start(r, err, sizeof err) != 0) {
		ls_run_free(r);
		ls_schedule_clear(&replay);
		fprintf(stderr, "lockstep: %s\n", err);
		return LS_EXIT_FAIL;
	}
	enum ls_run_status st = ls_run_finish(r);
	/* A deadlocked run is reported as it stands, actors still stuck, so the
	 * report shows who waits for what; ls_run_free() stops them after. */
	int sig = ls_cleanup_signalled();
	rc = LS_EXIT_OK;
	if (st == LS_RUN_DIVERGED) {
		fprintf(stderr, "lockstep: schedule file '%s' does not fit this run: %s\n",
		        a.schedule_file, ls_run_reason(r));
		rc = LS_EXIT_USAGE;
	} else if (!sig) {
		if (a.save_file && ls_run_save_schedule(r, a.save_file, err, sizeof err) != 0) {
			fprintf(stderr, "lockstep: %s\n", err);
			rc = LS_EXIT_FAIL;
		}
		if (mode == 2) {
			int crc = cli_check_outcome(stdout, r, &a);
			if (crc)
				rc = crc;
		} else if (a.json) {
			ls_report_json(stdout, r);
		} else {
			ls_report_text(stdout, r, a.output);
		}
		if (a.trace_file && rc != LS_EXIT_USAGE &&
		    ls_export_chrome_file(a.trace_file, r, err, sizeof err) != 0) {
			fprintf(stderr, "lockstep: %s\n", err);
			rc = LS_EXIT_FAIL;
		}
	}
	ls_run_free(r);
	ls_schedule_clear(&replay);
	if (sig) {
		fflush(stdout);
		ls_cleanup_reraise(sig);
	}
	if (fflush(stdout) != 0)
		rc = LS_EXIT_FAIL;
	return rc;
}

static long
cli_whole(const char *v, long lo, long hi, int *bad)
{
	char *end;
	errno = 0;
	long x = strtol(v, &end, 10);
	*bad = !*v || *end || errno || x < lo || x > hi;
	return x;
}

/* One outcome's variables as "balance=1 other=2". */
static void
cli_outcome_vars(const struct ls_explore_result *res, const struct ls_outcome *o,
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
cli_witness(const struct ls_explore_result *res, const struct ls_outcome *o)
{
	size_t len = o->witness.len * (LS_ACTOR_NAME_MAX + 1) + 1;
	char *buf = malloc(len);

	if (buf)
		ls_explore_format_schedule(res, &o->witness, buf, len);
	return buf;
}

static void
cli_explore_json(FILE *f, const struct cli_run_args *a, const struct ls_explore_opts *eo,
                 const struct ls_explore_result *res)
{
	struct ls_json j;

	ls_json_init(&j, f);
	ls_json_object(&j, NULL);
	ls_json_str(&j, "scenario", a->s->name);
	ls_json_object(&j, "params");
	for (int i = 0; i < a->s->nparams; i++) {
		if (a->s->params[i].choices) {
			char val[64];
			ls_params_value(&a->s->params[i], a->params[i], val, sizeof val);
			ls_json_str(&j, a->s->params[i].name, val);
		} else {
			ls_json_int(&j, a->s->params[i].name, a->params[i]);
		}
	}
	ls_json_end(&j, '}');
	ls_json_str(&j, "actors", eo->kind == LS_ACTORS_PROCESSES ? "processes" : "threads");
	if (eo->bound >= 0)
		ls_json_int(&j, "bound", eo->bound);
	else
		ls_json_null(&j, "bound");
	ls_json_bool(&j, "prune", eo->prune);
	ls_json_int(&j, "runs", res->runs);
	ls_json_int(&j, "pruned", res->pruned);
	ls_json_int(&j, "blocked", res->blocked);
	ls_json_int(&j, "diverged", res->diverged);
	ls_json_int(&j, "too_long", res->too_long);
	ls_json_bool(&j, "complete", res->complete);
	ls_json_array(&j, "outcomes");
	for (size_t k = 0; k < res->noutcomes; k++) {
		const struct ls_outcome *o = &res->outcomes[k];
		char *w = cli_witness(res, o);
		ls_json_object(&j, NULL);
		ls_json_object(&j, "vars");
		for (int i = 0; i < res->nvars; i++)
			ls_json_int(&j, res->var_names[i], o->vars[i]);
		ls_json_end(&j, '}');
		if (o->ok < 0)
			ls_json_null(&j, "ok");
		else
			ls_json_bool(&j, "ok", o->ok);
		ls_json_bool(&j, "deadlock", o->deadlock);
		ls_json_bool(&j, "race", o->raced);
		ls_json_int(&j, "count", o->count);
		ls_json_str(&j, "witness", w ? w : "");
		ls_json_end(&j, '}');
		free(w);
	}
	ls_json_end(&j, ']');
	ls_json_num(&j, "elapsed_ms", res->elapsed_ms);
	ls_json_num(&j, "runs_per_s", res->elapsed_ms > 0
	            ? (double)(res->runs + res->blocked + res->diverged + res->too_long) * 1000.0 / res->elapsed_ms : 0);
	ls_json_end(&j, '}');
	fputc('\n', f);
}

static void
cli_explore_text(FILE *f, const struct cli_run_args *a, const struct ls_explore_opts *eo,
                 const struct ls_explore_result *res)
{
	char params[512];
	long bad = 0;

	ls_params_format(a->s, a->params, params, sizeof params);
	fprintf(f, "explore %s (%s), %s, %s%s\n", a->s->name, params,
	        eo->kind == LS_ACTORS_PROCESSES ? "processes" : "threads",
	        eo->prune ? "pruning equivalent schedules" : "no pruning",
	        eo->bound >= 0 ? "" : ", no preemption bound");
	if (eo->bound >= 0)
		fprintf(f, "  bound:    at most %d preemption%s\n", eo->bound, eo->bound == 1 ? "" : "s");
	for (size_t k = 0; k < res->noutcomes; k++)
		if (res->outcomes[k].ok == 0 || res->outcomes[k].deadlock)
			bad += res->outcomes[k].count;
	fprintf(f, "  runs:     %ld schedule%s, %ld NOT as expected\n", res->runs,
	        res->runs == 1 ? "" : "s", bad);
	if (eo->prune)
		fprintf(f, "  pruned:   %ld branch%s skipped as equivalent (sleep sets), "
		        "%ld run%s cut short\n", res->pruned, res->pruned == 1 ? "" : "es",
		        res->blocked, res->blocked == 1 ? "" : "s");
	if (res->diverged)
		fprintf(f, "  warning:  %ld replay%s did not repeat (the scenario is not "
		        "deterministic under control)\n", res->diverged, res->diverged == 1 ? "" : "s");
	if (res->too_long)
		fprintf(f, "  warning:  %ld run%s abandoned after %ld steps (--max-steps): actors that "
		        "wait by spinning never end when starved\n", res->too_long,
		        res->too_long == 1 ? "" : "s", eo->max_steps);
	fprintf(f, "  outcomes: %zu\n", res->noutcomes);
	for (size_t k = 0; k < res->noutcomes; k++) {
		const struct ls_outcome *o = &res->outcomes[k];
		char vars[512];
		char *w = cli_witness(res, o);
		cli_outcome_vars(res, o, vars, sizeof vars);
		fprintf(f, "    %s%s: %ld run%s, %s%s\n      witness: %s\n", vars,
		        o->deadlock ? " deadlock" : "", o->count, o->count == 1 ? "" : "s",
		        report_ok_word(o->ok), o->raced ? ", data race" : "", w ? w : "?");
		free(w);
	}
	fprintf(f, "  %s in %.1f ms (%.0f runs/s)\n",
	        res->complete ? "every schedule explored"
	        : res->interrupted ? "interrupted" : "stopped early (--max-runs)",
	        res->elapsed_ms, res->elapsed_ms > 0
	        ? (double)(res->runs + res->blocked + res->diverged + res->too_long) * 1000.0 / res->elapsed_ms : 0);
}

static int
cli_explore(int argc, char **argv)
{
	struct cli_run_args a;
	struct ls_explore_opts eo;
	struct ls_explore_result res;
	char err[400];

	memset(&a, 0, sizeof a);
	if (argc < 1 || argv[0][0] == '-') {
		cli_scenario(NULL);
		return LS_EXIT_USAGE;
	}
	if (!(a.s = cli_scenario(argv[0])))
		return LS_EXIT_USAGE;
	ls_params_default(a.s, a.params);
	ls_explore_opts_default(&eo, a.s);
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *v;
		int bad;
		if (arg[0] != '-') {
			if (ls_params_set(a.s, a.params, arg, err, sizeof err) != 0) {
				fprintf(stderr, "lockstep: %s\n", err);
				return LS_EXIT_USAGE;
			}
		} else if ((v = cli_opt(arg, "--actors"))) {
			if (cli_kind(v, &eo.kind) != 0)
				return cli_usage_error("--actors=%s: accepted: threads, processes", v);
		} else if ((v = cli_opt(arg, "--bound"))) {
			eo.bound = (int)cli_whole(v, 0, 1000, &bad);
			if (bad)
				return cli_usage_error("--bound=%s: accepted: 0..1000 (preemptions)", v);
		} else if ((v = cli_opt(arg, "--max-runs"))) {
			eo.max_runs = cli_whole(v, 1, 1000000000L, &bad);
			if (bad)
				return cli_usage_error("--max-runs=%s: accepted: 1..1000000000", v);
		} else if ((v = cli_opt(arg, "--max-steps"))) {
			eo.max_steps = cli_whole(v, 1, 10000000L, &bad);
			if (bad)
				return cli_usage_error("--max-steps=%s: accepted: 1..10000000", v);
		} else if (strcmp(arg, "--no-prune") == 0) {
			eo.prune = 0;
		} else if (strcmp(arg, "--json") == 0) {
			a.json = 1;
		} else {
			return cli_usage_error("unknown option '%s' for explore", arg);
		}
	}
	if (ls_explore(a.s, a.params, &eo, &res, err, sizeof err) != 0) {
		fprintf(stderr, "lockstep: %s\n", err);
		return LS_EXIT_FAIL;
	}
	if (a.json)
		cli_explore_json(stdout, &a, &eo, &res);
	else
		cli_explore_text(stdout, &a, &eo, &res);
	ls_explore_result_free(&res);
	int sig = ls_cleanup_signalled();
	if (sig) {
		fflush(stdout);
		ls_cleanup_reraise(sig);
	}
	return fflush(stdout) != 0 ? LS_EXIT_FAIL : LS_EXIT_OK;
}

static int
cli_open(int argc, char **argv)
{
	struct cli_run_args a;
	char err[400];
	int rc = cli_parse_run(argc, argv, &a, 0);

	if (rc)
		return rc;
	if (a.walkthrough && a.s->nwalkthroughs == 0)
		return cli_usage_error("%s has no walkthrough yet (open it without --walkthrough)",
		                       a.s->name);
	if (a.challenge && (a.walkthrough || a.nparams_given > 0))
		return cli_usage_error("--challenge=%d sets its own parameters (%s): drop %s",
		                       a.challenge, a.s->challenges[a.challenge - 1].params,
		                       a.walkthrough ? "--walkthrough" : "PARAM=VALUE");
	if (a.walkthrough && a.nparams_given > 0)
		return cli_usage_error("--walkthrough sets its own parameters (%s): drop PARAM=VALUE",
		                       a.s->walkthroughs[0].params);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "lockstep: no terminal for the run view (use 'lockstep run %s' "
		        "for a headless run)\n", a.s->name);
		return LS_EXIT_USAGE;
	}
	err[0] = '\0';
	tui_set_start(a.challenge - 1, a.presenter);
	rc = tui_main(a.s, a.params, a.opts.kind, a.walkthrough, err, sizeof err);
	if (err[0])
		fprintf(stderr, "lockstep: %s\n", err);
	return rc;
}

static int
cli_menu(void)
{
	char err[400];

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "lockstep: no terminal for the menu (try 'lockstep list' and "
		        "'lockstep run NAME', or see lockstep --help)\n");
		return LS_EXIT_USAGE;
	}
	err[0] = '\0';
	int rc = tui_main(NULL, NULL, LS_ACTORS_THREADS, 0, err, sizeof err);
	if (err[0])
		fprintf(stderr, "lockstep: %s\n", err);
	return rc;
}

int
ls_cli_main(int argc, char **argv)
{
	if (argc < 2)
		return cli_menu();
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage_text, stdout);
		return LS_EXIT_OK;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return LS_EXIT_OK;
	}
	if (strcmp(cmd, "list") == 0) {
		int json = 0;
		for (int i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--json") == 0)
				json = 1;
			else
				return cli_usage_error("list: unknown argument '%s' (accepted: --json)", argv[i]);
		}
		ls_report_list(stdout, json);
		return LS_EXIT_OK;
	}
	if (strcmp(cmd, "show") == 0) {
		if (argc != 3)
			return cli_usage_error("show takes one scenario name");
		const struct ls_scenario *s = cli_scenario(argv[2]);
		if (!s)
			return LS_EXIT_USAGE;
		ls_report_show(stdout, s);
		return LS_EXIT_OK;
	}
	if (strcmp(cmd, "run") == 0)
		return cli_run(argc - 2, argv + 2, 1);
	if (strcmp(cmd, "check") == 0)
		return cli_run(argc - 2, argv + 2, 2);
	if (strcmp(cmd, "explore") == 0)
		return cli_explore(argc - 2, argv + 2);
	if (strcmp(cmd, "open") == 0)
		return cli_open(argc - 2, argv + 2);
	if (strcmp(cmd, "challenge") == 0)
		return ls_cmd_challenge(argc - 2, argv + 2);
	return cli_usage_error("unknown command '%s' (accepted: list, show, run, open, explore, "
	                       "check, challenge)", cmd);
}
