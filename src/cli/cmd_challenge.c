/*
 * cmd_challenge.c - `lockstep challenge`: list a scenario's challenges, grade
 * a schedule file against one (exit 0 met, 1 not met, 2 bad input, so a
 * teacher can collect homework), or ask the explorer whether any schedule
 * meets it.  One function, ls_cmd_challenge(), called from the command
 * dispatch.  Never calls ncurses; every mistake gets one line and exit 2.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "engine/challenge.h"
#include "lockstep/scenario.h"

#define CMD_CHALLENGE_PROVE_RUNS 200000

static int cmd_challenge_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
cmd_challenge_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("lockstep: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (usage: lockstep challenge NAME [N --schedule-file=F | N --prove]"
	      " [--actors=threads|processes])\n", stderr);
	return LS_EXIT_USAGE;
}

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

		printf("  %d  %s\n     %s\n", i + 1, c->title, c->params ? c->params : "");
		if (c->hint)
			printf("     hint: %s\n", c->hint);
	}
	printf("grade one: lockstep challenge %s N --schedule-file=F\n", s->name);
}

static void
cmd_challenge_known(char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (const struct ls_scenario *const *p = ls_scenarios; *p && at < len; p++) {
		int n = snprintf(buf + at, len - at, "%s%s", at ? ", " : "", (*p)->name);

		at += n > 0 ? (size_t)n : 0;
	}
}

int
ls_cmd_challenge(int argc, char **argv)
{
	const struct ls_scenario *s;
	const char *file = NULL;
	enum ls_actor_kind kind;
	int which = -1, prove = 0, rc;
	char msg[600], known[512];

	if (argc < 1 || argv[0][0] == '-') {
		cmd_challenge_known(known, sizeof known);
		return cmd_challenge_usage("challenge: which scenario? (known: %s)", known);
	}
	if (!(s = ls_scenario_find(argv[0]))) {
		cmd_challenge_known(known, sizeof known);
		fprintf(stderr, "lockstep: no scenario named '%s' (known: %s)\n", argv[0], known);
		return LS_EXIT_USAGE;
	}
	kind = s->kind;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (strncmp(arg, "--schedule-file=", 16) == 0) {
			file = arg + 16;
			if (!*file)
				return cmd_challenge_usage("--schedule-file= needs a file name");
		} else if (strcmp(arg, "--prove") == 0) {
			prove = 1;
		} else if (strcmp(arg, "--actors=threads") == 0) {
			kind = LS_ACTORS_THREADS;
		} else if (strcmp(arg, "--actors=processes") == 0) {
			kind = LS_ACTORS_PROCESSES;
		} else if (strncmp(arg, "--actors=", 9) == 0) {
			return cmd_challenge_usage("%s: accepted: threads, processes", arg);
		} else if (arg[0] == '-') {
			return cmd_challenge_usage("challenge: unknown option '%s'", arg);
		} else if (which < 0) {
			char *end;
			long n = strtol(arg, &end, 10);

			if (*end || end == arg || n < 1 || n > s->nchallenges) {
				char range[64];

				if (s->nchallenges > 0)
					snprintf(range, sizeof range, "1..%d", s->nchallenges);
				else
					snprintf(range, sizeof range, "none: %s has no challenges", s->name);
				fprintf(stderr, "lockstep: challenge '%s' of %s: accepted: %s "
				        "(lockstep challenge %s lists them)\n", arg, s->name, range, s->name);
				return LS_EXIT_USAGE;
			}
			which = (int)n - 1;
		} else {
			return cmd_challenge_usage("challenge: one challenge number at a time, not '%s'",
			                           arg);
		}
	}
	if (which < 0) {
		if (file || prove)
			return cmd_challenge_usage("challenge %s: which challenge? (a number)",
			                           s->name);
		cmd_challenge_list(s);
		return fflush(stdout) != 0 ? LS_EXIT_FAIL : LS_EXIT_OK;
	}
	if (file && prove)
		return cmd_challenge_usage("challenge: --schedule-file grades a schedule, --prove "
		                           "asks the explorer: one at a time");
	if (prove) {
		struct ls_challenge_proof proof;

		if (ls_challenge_prove(s, which, kind, CMD_CHALLENGE_PROVE_RUNS, &proof, msg,
		                       sizeof msg) != 0) {
			fprintf(stderr, "lockstep: %s\n", msg);
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
	if (!file)
		return cmd_challenge_usage("challenge %s %s: grading needs --schedule-file=F (or "
		                           "--prove)", s->name, argv[1]);
	rc = ls_challenge_grade(s, which, file, kind, msg, sizeof msg);
	if (rc == 2) {
		fprintf(stderr, "lockstep: %s\n", msg);
		return LS_EXIT_USAGE;
	}
	printf("%s %d: %s\n", s->name, which + 1, msg);
	if (fflush(stdout) != 0)
		return LS_EXIT_FAIL;
	return rc == 0 ? LS_EXIT_OK : LS_EXIT_FAIL;
}
