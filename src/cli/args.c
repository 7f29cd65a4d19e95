/*
 * args.c - option parsing shared by the commands: the scenario name, its
 * PARAM=VALUE list, the run options and the rules that tie them together.
 * Every mistake gets one line naming the problem and what is accepted.
 */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_int.h"
#include "python/pyrun.h"
#include "engine/number.h"
#include "engine/params.h"
#include "engine/quote.h"
#include "engine/words.h"

#define ARGS_QUOTES 4

void
cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("lockstep: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
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

static const char *
args_quote(const char *s, size_t limit)
{
	static char bufs[ARGS_QUOTES][LS_QUOTE_PATH];
	static unsigned next;

	return ls_quote(s, bufs[next++ % ARGS_QUOTES], limit);
}

const char *
cli_q(const char *s)
{
	return args_quote(s, LS_QUOTE_BUF);
}

const char *
cli_qpath(const char *s)
{
	return args_quote(s, LS_QUOTE_PATH);
}

int
cli_args_twice(int from, int i, char **argv)
{
	size_t n = strcspn(argv[i], "=");

	if (n == 8 && strncmp(argv[i], "--expect", 8) == 0)
		return 0;
	for (int k = from; k < i; k++)
		if (strcspn(argv[k], "=") == n && strncmp(argv[k], argv[i], n) == 0)
			return cli_usage_error(argv[i][0] == '-'
			                       ? _("'%s' and '%s': an option is given once")
			                       : _("'%s' and '%s': a parameter is given once"),
			                       cli_q(argv[k]), cli_q(argv[i]));
	return 0;
}

int
cli_params_check(const struct ls_scenario *s, const long *values)
{
	char err[CLI_ERR_MAX];

	if (ls_params_check(s, values, err, sizeof err) == 0)
		return 0;
	return cli_usage_error("%s", err);
}

const struct ls_scenario *
cli_scenario(const char *name)
{
	const struct ls_scenario *s = name ? ls_scenario_find(name) : NULL;
	char known[512];
	size_t at = 0;

	if (s)
		return s;
	if (ls_pyrun_is_path(name)) {
		char err[CLI_ERR_MAX];
		if (!(s = ls_pyrun_open(name, err, sizeof err)))
			cli_usage_error("%s", err);
		return s;
	}
	known[0] = '\0';
	for (const struct ls_scenario *const *p = ls_scenarios; *p && at < sizeof known; p++) {
		int n = snprintf(known + at, sizeof known - at, "%s%s", at ? ", " : "", (*p)->name);
		at += n > 0 ? (size_t)n : 0;
	}
	if (name)
		cli_usage_error(_("no scenario named '%s' (known: %s)"), cli_q(name), known);
	else
		cli_usage_error(_("which scenario? (known: %s)"), known);
	return NULL;
}

int
cli_steps(const struct ls_scenario *s, long *params, const char *v)
{
	char set[64], err[CLI_ERR_MAX];

	snprintf(set, sizeof set, "steps=%s", v);
	if (ls_params_set(s, params, set, err, sizeof err) != 0)
		return cli_usage_error(_("--steps=%s: accepted: line, bytecode"), cli_q(v));
	return 0;
}

const char *
cli_opt(const char *arg, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(arg, name, n) == 0 && arg[n] == '=')
		return arg + n + 1;
	return NULL;
}

int
cli_kind(const char *v, enum ls_actor_kind *k)
{
	if (ls_words_kind_parse(v, k) == 0)
		return 0;
	return cli_usage_error(_("--actors=%s: accepted: %s"), cli_q(v), ls_words_kinds_accepted);
}

int
cli_whole(const char *v, long lo, long hi, long *out)
{
	return ls_number_long(v, lo, hi, out) == LS_NUMBER_OK ? 0 : -1;
}

static const char *const args_expect_words[] = {
	"deadlock", "no-deadlock", "race", "no-race", "ok", "not-ok",
};

/* A check's expectation: one of the words, or VAR=VALUE with a whole number. */
static int
args_expect_valid(const char *v)
{
	const char *eq = strchr(v, '=');
	long x;

	for (size_t i = 0; i < sizeof args_expect_words / sizeof args_expect_words[0]; i++)
		if (strcmp(v, args_expect_words[i]) == 0)
			return 0;
	if (!eq || eq == v)
		return -1;
	return ls_number_long(eq + 1, LONG_MIN, LONG_MAX, &x) == LS_NUMBER_OK ? 0 : -1;
}

/* One option of run or check (not open); 1 when arg is none of them. */
static int
args_run_option(const char *arg, struct cli_run_args *a, enum cli_mode mode, int *rc)
{
	const char *v;
	long x = 0;

	*rc = 0;
	if ((v = cli_opt(arg, "--schedule"))) {
		if (ls_policy_parse(v, &a->opts.policy) != 0 || a->opts.policy == LS_POLICY_STEP)
			*rc = cli_usage_error(_("--schedule=%s: accepted: free, random, replay"), cli_q(v));
		a->policy_given = 1;
	} else if ((v = cli_opt(arg, "--seed"))) {
		uint64_t seed = 0;
		if (ls_number_u64(v, &seed) != LS_NUMBER_OK)
			*rc = cli_usage_error(_("--seed=%s: accepted: a whole number 0..%llu"), cli_q(v),
			                      (unsigned long long)UINT64_MAX);
		a->opts.seed = seed;
		a->seed_given = 1;
	} else if ((v = cli_opt(arg, "--schedule-file"))) {
		a->schedule_file = v;
	} else if ((v = cli_opt(arg, "--save-schedule"))) {
		a->save_file = v;
	} else if ((v = cli_opt(arg, "--slowmo"))) {
		if (cli_whole(v, 1, 100000, &x) != 0)
			*rc = cli_usage_error(_("--slowmo=%s: accepted: 1..100000 (percent)"), cli_q(v));
		a->opts.slowmo_pct = (unsigned)x;
	} else if ((v = cli_opt(arg, "--trace"))) {
		if (!*v)
			*rc = cli_usage_error(_("--trace= needs a file name"));
		a->trace_file = v;
	} else if (mode == CLI_MODE_CHECK && (v = cli_opt(arg, "--expect"))) {
		if (args_expect_valid(v) != 0)
			*rc = cli_usage_error(_("--expect=%s: accepted: VAR=VALUE (a whole number), "
			                      "deadlock, no-deadlock, race, no-race, ok, not-ok"), cli_q(v));
		else if (a->nexpect >= CLI_EXPECT_MAX)
			*rc = cli_usage_error(_("too many --expect (at most %d)"), CLI_EXPECT_MAX);
		else
			a->expect[a->nexpect++] = v;
	} else if (strcmp(arg, "--json") == 0) {
		a->json = 1;
	} else if (strcmp(arg, "--output") == 0) {
		a->output = 1;
	} else {
		return 1;
	}
	return 0;
}

/* Options that imply a policy, and combinations that make no sense. */
static int
args_run_check(struct cli_run_args *a, enum cli_mode mode)
{
	if (mode == CLI_MODE_CHECK && !a->schedule_file)
		return cli_usage_error(_("check needs --schedule-file=F (the schedule to replay)"));
	if (mode == CLI_MODE_CHECK && a->json)
		return cli_usage_error(_("check answers with its exit status and a few lines; "
		                       "--json is for run and explore"));
	if (mode == CLI_MODE_CHECK && !a->nexpect)
		return cli_usage_error(_("check needs at least one --expect=VAR=VALUE, deadlock or race"));
	if (a->schedule_file && !a->policy_given)
		a->opts.policy = LS_POLICY_REPLAY;
	if (a->seed_given && !a->policy_given && !a->schedule_file)
		a->opts.policy = LS_POLICY_RANDOM;
	if (a->opts.policy == LS_POLICY_REPLAY && !a->schedule_file)
		return cli_usage_error(_("--schedule=replay needs --schedule-file=F"));
	if (a->schedule_file && a->opts.policy != LS_POLICY_REPLAY)
		return cli_usage_error(_("--schedule-file goes with --schedule=replay, not %s"),
		                       ls_policy_name(a->opts.policy));
	if (a->seed_given && a->opts.policy != LS_POLICY_RANDOM)
		return cli_usage_error(_("--seed goes with --schedule=random, not %s"),
		                       ls_policy_name(a->opts.policy));
	if (a->save_file && a->opts.policy == LS_POLICY_FREE)
		return cli_usage_error(_("--save-schedule needs a controlled schedule "
		                       "(--schedule=random or replay)"));
	return 0;
}

int
cli_args_run(int argc, char **argv, struct cli_run_args *a, enum cli_mode mode)
{
	char err[CLI_ERR_MAX];
	int rc;

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
		if ((rc = cli_args_twice(1, i, argv)) != 0)
			return rc;
		if (arg[0] != '-') {
			if (ls_params_set(a->s, a->params, arg, err, sizeof err) != 0)
				return cli_usage_error("%s", err);
			a->nparams_given++;
			{
				size_t n = strcspn(arg, "=");
				for (int k = 0; k < a->s->nparams; k++)
					if (strlen(a->s->params[k].name) == n &&
					    strncmp(a->s->params[k].name, arg, n) == 0)
						a->given[k] = 1;
			}
		} else if ((v = cli_opt(arg, "--actors"))) {
			if ((rc = cli_kind(v, &a->opts.kind)) != 0)
				return rc;
			if (ls_pyrun_text(a->s) && a->opts.kind != LS_ACTORS_PROCESSES)
				return cli_usage_error(_("%s: a Python program's actors are its own "
				                       "threads and processes (no --actors)"), a->s->name);
		} else if (ls_pyrun_text(a->s) && (v = cli_opt(arg, "--steps"))) {
			if ((rc = cli_steps(a->s, a->params, v)) != 0)
				return rc;
			a->given[a->s->nparams - 1] = 1;
		} else if (mode == CLI_MODE_OPEN && strcmp(arg, "--walkthrough") == 0) {
			a->walkthrough = 1;
		} else if (mode == CLI_MODE_OPEN && strcmp(arg, "--presenter") == 0) {
			a->presenter = 1;
		} else if (mode == CLI_MODE_OPEN && strcmp(arg, "--predict") == 0) {
			a->predict = 1;
		} else if (mode == CLI_MODE_OPEN && (v = cli_opt(arg, "--challenge"))) {
			long n;

			if (a->s->nchallenges <= 0)
				return cli_usage_error(_("%s has no challenges"), a->s->name);
			if (cli_whole(v, 1, a->s->nchallenges, &n) != 0)
				return cli_usage_error(_("--challenge=%s: accepted: 1..%d (lockstep "
				                       "challenge %s lists them)"), cli_q(v),
				                       a->s->nchallenges, a->s->name);
			a->challenge = (int)n;
		} else if (mode == CLI_MODE_OPEN) {
			return cli_usage_error(_("unknown option '%s' for open"), cli_q(arg));
		} else if (args_run_option(arg, a, mode, &rc) != 0) {
			return cli_usage_error(_("unknown option '%s'"), cli_q(arg));
		} else if (rc) {
			return rc;
		}
	}
	if ((rc = cli_params_check(a->s, a->params)) != 0)
		return rc;
	return mode == CLI_MODE_OPEN ? 0 : args_run_check(a, mode);
}
