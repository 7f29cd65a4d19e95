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

/* What the command line asked: which challenge, a file to grade, or a proof. */
struct cmd_challenge_args {
	const struct ls_scenario *s;
	const char *file;
	enum ls_actor_kind kind;
	int which, prove;
};

/* The challenge's number, 1-based on the command line. */
static int
cmd_challenge_number(const char *arg, struct cmd_challenge_args *c)
{
	const struct ls_scenario *s = c->s;
	long n;

	if (c->which >= 0)
		return cli_usage_error(_("challenge: one challenge number at a time, not '%s'"),
		                       cli_q(arg));
	if (s->nchallenges <= 0)
		return cli_usage_error(_("%s has no challenges"), s->name);
	if (cli_whole(arg, 1, s->nchallenges, &n) != 0)
		return cli_usage_error(_("challenge '%s' of %s: accepted: 1..%d (lockstep "
		                       "challenge %s lists them)"), cli_q(arg), s->name,
		                       s->nchallenges, s->name);
	c->which = (int)n - 1;
	return 0;
}

/* One argument after the lesson; 0, or the exit code. */
static int
cmd_challenge_arg(const char *arg, struct cmd_challenge_args *c)
{
	const char *v;

	if ((v = cli_opt(arg, "--schedule-file"))) {
		if (!*v)
			return cli_usage_error(_("--schedule-file= needs a file name"));
		c->file = v;
	} else if (strcmp(arg, "--prove") == 0) {
		c->prove = 1;
	} else if ((v = cli_opt(arg, "--actors"))) {
		return cli_kind(v, &c->kind);
	} else if (arg[0] == '-') {
		return cli_usage_error(_("unknown option '%s' for challenge"), cli_q(arg));
	} else {
		return cmd_challenge_number(arg, c);
	}
	return 0;
}

/* Grade the schedule file against the challenge. */
static int
cmd_challenge_grade(const struct cmd_challenge_args *c)
{
	char msg[CLI_ERR_MAX];
	int rc = ls_challenge_grade(c->s, c->which, c->file, c->kind, msg, sizeof msg);

	if (rc == 2)
		return cli_usage_error("%s", msg);
	printf("%s %d: %s\n", c->s->name, c->which + 1, msg);
	if (fflush(stdout) != 0)
		return LS_EXIT_FAIL;
	return rc == 0 ? LS_EXIT_OK : LS_EXIT_FAIL;
}

static int
cmd_challenge_exec(int argc, char **argv)
{
	struct cmd_challenge_args c = { .which = -1 };
	const struct ls_scenario *s;
	int rc;

	if (argc < 1 || argv[0][0] == '-') {
		cli_scenario(NULL);
		return LS_EXIT_USAGE;
	}
	if (!(s = c.s = cli_scenario(argv[0])))
		return LS_EXIT_USAGE;
	c.kind = s->kind;
	for (int i = 1; i < argc; i++)
		if ((argv[i][0] == '-' && (rc = cli_args_twice(1, i, argv)) != 0) ||
		    (rc = cmd_challenge_arg(argv[i], &c)) != 0)
			return rc;
	if (c.which < 0) {
		if (c.file || c.prove)
			return cli_usage_error(_("challenge %s: which challenge? (a number, 1..%d)"),
			                       s->name, s->nchallenges);
		cmd_challenge_list(s);
		return fflush(stdout) != 0 ? LS_EXIT_FAIL : LS_EXIT_OK;
	}
	if (c.file && c.prove)
		return cli_usage_error(_("challenge: --schedule-file grades a schedule, --prove asks "
		                       "the explorer: one at a time"));
	if (c.prove)
		return cmd_challenge_prove(s, c.which, c.kind);
	if (!c.file)
		return cli_usage_error(_("challenge %s %d: grading needs --schedule-file=F (or --prove)"),
		                       s->name, c.which + 1);
	return cmd_challenge_grade(&c);
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
