/*
 * cmd_open.c - `lockstep open`: a stepped run, or a walkthrough, in the
 * terminal.  Needs a terminal on both ends; the TUI does the rest.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_int.h"
#include "engine/params.h"
#include "tui/tui.h"

/*
 * Stepping 100 depositors is not a lesson: a role's count not given opens
 * at the count the first walkthrough steps (it was chosen for stepping), or
 * else at LS_CLASS_SIZE.  The lesson's text then says the counts chosen.
 */
static void
cmd_open_class_size(const struct cli_run_args *a, long *params)
{
	long walk[LS_PARAMS_MAX];
	char words[256], err[128];

	ls_params_default(a->s, walk);
	if (a->s->nwalkthroughs > 0 && a->s->walkthroughs[0].params) {
		snprintf(words, sizeof words, "%s", a->s->walkthroughs[0].params);
		for (char *w = strtok(words, " "); w; w = strtok(NULL, " "))
			(void)ls_params_set(a->s, walk, w, err, sizeof err);
	}
	for (int i = 0; i < a->s->nroles; i++) {
		int p = a->s->roles[i].count_param;
		long want = LS_CLASS_SIZE;

		if (p < 0 || a->given[p])
			continue;
		if (walk[p] != a->s->params[p].def)
			want = walk[p];
		if (want < a->s->params[p].min)
			want = a->s->params[p].min;
		if (params[p] > want)
			params[p] = want;
	}
}

static int
cmd_open_exec(int argc, char **argv)
{
	struct cli_run_args a;
	char err[CLI_ERR_MAX];
	int rc = cli_args_run(argc, argv, &a, CLI_MODE_OPEN);

	if (rc)
		return rc;
	if (a.walkthrough && a.s->nwalkthroughs == 0)
		return cli_usage_error(_("%s has no walkthrough yet (open it without --walkthrough)"),
		                       a.s->name);
	if (a.challenge && (a.walkthrough || a.nparams_given > 0))
		return cli_usage_error(_("--challenge=%d sets its own parameters (%s): drop %s"),
		                       a.challenge, a.s->challenges[a.challenge - 1].params,
		                       a.walkthrough ? "--walkthrough" : "PARAM=VALUE");
	if (a.walkthrough && a.nparams_given > 0)
		return cli_usage_error(_("--walkthrough sets its own parameters (%s): drop PARAM=VALUE"),
		                       a.s->walkthroughs[0].params);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		return cli_usage_error(_("no terminal for the run view (use 'lockstep run %s' for a "
		                       "headless run)"), a.s->name);
	}
	err[0] = '\0';
	tui_set_start(a.challenge - 1, a.presenter);
	tui_set_predict(a.predict);
	/* The stepped run opens at a class size; the lesson's settings keep
	 * the values given (q, then r, runs those). */
	if (!a.walkthrough && !a.challenge) {
		long run[LS_PARAMS_MAX];

		memcpy(run, a.params, sizeof run);
		cmd_open_class_size(&a, run);
		tui_set_run_params(run, LS_PARAMS_MAX);
	}
	rc = tui_main(a.s, a.params, a.opts.kind, a.walkthrough, err, sizeof err);
	if (err[0])
		cli_error(_("%s"), err);
	return rc;
}

const struct cli_cmd cli_cmd_open = {
	.name = "open",
	.usage = "open NAME [PARAM=VALUE ...] [--actors=KIND] [--walkthrough] [--challenge=N] "
	         "[--presenter] [--predict]",
	.help = N_("open a stepped run of a scenario in the terminal"),
	.options =
		N_("  --actors=threads|processes   what the actors are (default: the scenario's)\n"
		"  --walkthrough          the scenario's narrated walkthrough instead\n"
		"  --challenge=N          its challenge N (lockstep challenge NAME lists them)\n"
		"  --predict              the trace pane (7) hides each step's values until\n"
		"                         e reveals them, so a class can guess first\n"
		"  --presenter            for a projector: big narration, few panes,\n"
		"                         PgDn/PgUp step forward and back\n"),
	.exec = cmd_open_exec,
};
