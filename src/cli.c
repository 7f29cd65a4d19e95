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

#include "cleanup.h"
#include "cli.h"
#include "params.h"
#include "report.h"
#include "run.h"
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
	"  open NAME [PARAM=VALUE ...] [--actors=KIND]\n"
	"                         open a stepped run of a scenario in the terminal\n"
	"\n"
	"run options:\n"
	"  --actors=threads|processes   what the actors are (default: the scenario's)\n"
	"  --schedule=free|random|replay\n"
	"                         free: the OS schedules (default); random: a seeded\n"
	"                         pick at every step; replay: the steps of a file\n"
	"  --seed=N               seed for --schedule=random (implies it; default 1)\n"
	"  --schedule-file=F      replay the schedule in F (implies --schedule=replay)\n"
	"  --save-schedule=F      write the steps taken to F (random or replay)\n"
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
};

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
		} else if ((v = cli_opt(arg, "--actors"))) {
			if (cli_kind(v, &a->opts.kind) != 0)
				return cli_usage_error("--actors=%s: accepted: threads, processes", v);
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

static int
cli_run(int argc, char **argv)
{
	struct cli_run_args a;
	struct ls_schedule replay;
	char err[400];
	int rc = cli_parse_run(argc, argv, &a, 1);

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
	if (ls_run_start(r, err, sizeof err) != 0) {
		ls_run_free(r);
		ls_schedule_clear(&replay);
		fprintf(stderr, "lockstep: %s\n", err);
		return LS_EXIT_FAIL;
	}
	enum ls_run_status st = ls_run_finish(r);
	/* A deadlocked run is reported like any other; its actors go now. */
	if (st != LS_RUN_FINISHED)
		ls_run_abort(r);
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
		if (a.json)
			ls_report_json(stdout, r);
		else
			ls_report_text(stdout, r, a.output);
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

static int
cli_open(int argc, char **argv)
{
	struct cli_run_args a;
	char err[400];
	int rc = cli_parse_run(argc, argv, &a, 0);

	if (rc)
		return rc;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "lockstep: no terminal for the run view (use 'lockstep run %s' "
		        "for a headless run)\n", a.s->name);
		return LS_EXIT_USAGE;
	}
	err[0] = '\0';
	rc = tui_main(a.s, a.params, a.opts.kind, err, sizeof err);
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
	int rc = tui_main(NULL, NULL, LS_ACTORS_THREADS, err, sizeof err);
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
		return cli_run(argc - 2, argv + 2);
	if (strcmp(cmd, "open") == 0)
		return cli_open(argc - 2, argv + 2);
	return cli_usage_error("unknown command '%s' (accepted: list, show, run, open)", cmd);
}
