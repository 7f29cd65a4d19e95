/*
 * cmd_challenge.c - `lockstep challenge`: list a scenario's challenges, grade
 * a schedule file against one (exit 0 met, 1 not met, 2 bad input, so a
 * teacher can collect homework), or ask the explorer whether any schedule
 * meets it.  The goals and the grading are engine/challenge.c's; this file
 * only reads the command line and prints.  Never calls ncurses.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli_int.h"
#include "engine/challenge.h"

#define CMD_CHALLENGE_PROVE_RUNS 200000

static void
cmd_challenge_list(const struct ls_scenario *s)
{
	if (s->nchallenges <= 0) {
		printf("%s has no challenges\n", s->name);
		return;
	}
	printf("%s: %d challenge%s\n", s->name, s->nchallenges, s->nchallenges == 1 ? "" : "s");
	for (int i = 0; i < s->nchallenges; i++) {
		const struct ls_challenge *c = &s->challenges[i];

		printf("  %d  %s\n     %s\n", i + 1, _(c->title), c->params ? c->params : "");
		if (c->hint)
			printf(_("     hint: %s\n"), _(c->hint));
	}
	printf("grade one: lockstep challenge %s N --schedule-file=F\n", s->name);
}

static int
cmd_challenge_prove(const struct ls_scenario *s, int which, enum ls_actor_kind kind)
{
	struct ls_challenge_proof proof;
	char msg[CLI_ERR_MAX];

	if (ls_challenge_prove(s, which, kind, CMD_CHALLENGE_PROVE_RUNS, &proof, msg,
	                       sizeof msg) != 0) {
		cli_error(_("%s"), msg);
		return LS_EXIT_FAIL;
	}
	ls_challenge_proof_text(s, which, &proof, msg, sizeof msg);
	printf("%s %d: %s\n%s\n", s->name, which + 1, s->challenges[which].title, msg);
	if (proof.met) {
		char steps[4096];

		ls_challenge_format_schedule(s, which, &proof.witness, steps, sizeof steps);
		printf("schedule: %s\n", steps);
	}
	ls_challenge_proof_clear(&proof);
	return fflush(stdout) != 0 ? LS_EXIT_FAIL : LS_EXIT_OK;
}

static int
cmd_challenge_exec(int argc, char **argv)
{
	const struct ls_scenario *s;
	const char *file = NULL, *v;
	enum ls_actor_kind kind;
	int which = -1, prove = 0, rc;
	char msg[CLI_ERR_MAX];

	if (argc < 1 || argv[0][0] == '-') {
		cli_scenario(NULL);
		return LS_EXIT_USAGE;
	}
	if (!(s = cli_scenario(argv[0])))
		return LS_EXIT_USAGE;
	kind = s->kind;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (arg[0] == '-' && (rc = cli_args_twice(1, i, argv)) != 0)
			return rc;
		if ((v = cli_opt(arg, "--schedule-file"))) {
			if (!*v)
				return cli_usage_error(_("--schedule-file= needs a file name"));
			file = v;
		} else if (strcmp(arg, "--prove") == 0) {
			prove = 1;
		} else if ((v = cli_opt(arg, "--actors"))) {
			if ((rc = cli_kind(v, &kind)) != 0)
				return rc;
		} else if (arg[0] == '-') {
			return cli_usage_error(_("unknown option '%s' for challenge"), cli_q(arg));
		} else if (which < 0) {
			long n;

			if (s->nchallenges <= 0)
				return cli_usage_error(_("%s has no challenges"), s->name);
			if (cli_whole(arg, 1, s->nchallenges, &n) != 0)
				return cli_usage_error(_("challenge '%s' of %s: accepted: 1..%d (lockstep "
				                       "challenge %s lists them)"), cli_q(arg), s->name,
				                       s->nchallenges, s->name);
			which = (int)n - 1;
		} else {
			return cli_usage_error(_("challenge: one challenge number at a time, not '%s'"),
			                       cli_q(arg));
		}
	}
	if (which < 0) {
		if (file || prove)
			return cli_usage_error(_("challenge %s: which challenge? (a number, 1..%d)"),
			                       s->name, s->nchallenges);
		cmd_challenge_list(s);
		return fflush(stdout) != 0 ? LS_EXIT_FAIL : LS_EXIT_OK;
	}
	if (file && prove)
		return cli_usage_error(_("challenge: --schedule-file grades a schedule, --prove asks "
		                       "the explorer: one at a time"));
	if (prove)
		return cmd_challenge_prove(s, which, kind);
	if (!file)
		return cli_usage_error(_("challenge %s %d: grading needs --schedule-file=F (or --prove)"),
		                       s->name, which + 1);
	rc = ls_challenge_grade(s, which, file, kind, msg, sizeof msg);
	if (rc == 2)
		return cli_usage_error("%s", msg);
	printf("%s %d: %s\n", s->name, which + 1, msg);
	if (fflush(stdout) != 0)
		return LS_EXIT_FAIL;
	return rc == 0 ? LS_EXIT_OK : LS_EXIT_FAIL;
}

const struct cli_cmd cli_cmd_challenge = {
	.name = "challenge",
	.usage = "challenge NAME [N --schedule-file=F | N --prove] [--actors=KIND]",
	.help = N_("list a scenario's challenges; grade a schedule (exit 0 met, 1 not met)"),
	.options =
		N_("  N                      the challenge, as the list numbers it\n"
		"  --schedule-file=F      replay F and test the goal after every step\n"
		"  --prove                ask the explorer whether any schedule meets it\n"
		"  --actors=threads|processes   what the actors are (default: the scenario's)\n"),
	.exec = cmd_challenge_exec,
};
