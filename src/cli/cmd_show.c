/*
 * cmd_show.c - `lockstep show`: a scenario's lesson, parameters and source;
 * with --python the lesson's Python program alone, with --c its C source
 * alone, both as they are (so `lockstep show deposit --python | python3 -`
 * runs the program the lesson mirrors).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli_int.h"
#include "python/pyrun.h"
#include "report/report.h"

static int
cmd_show_exec(int argc, char **argv)
{
	const char *name = NULL;
	int python = 0, c = 0;

	for (int i = 0; i < argc; i++) {
		if (argv[i][0] == '-' && cli_args_twice(0, i, argv) != 0)
			return LS_EXIT_USAGE;
		if (strcmp(argv[i], "--python") == 0)
			python = 1;
		else if (strcmp(argv[i], "--c") == 0)
			c = 1;
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("show: unknown option '%s' (it takes --python or --c)",
			                       argv[i]);
		else if (name)
			return cli_usage_error("show takes one scenario name");
		else
			name = argv[i];
	}
	if (!name)
		return cli_usage_error("show takes one scenario name");
	if (python && c)
		return cli_usage_error("show: --python and --c exclude each other");
	const struct ls_scenario *s = cli_scenario(name);
	if (!s)
		return LS_EXIT_USAGE;
	if (python || c) {
		const char *text = ls_pyrun_text(s);

		if (!text)
			text = python ? ls_scenario_python(s->name) : ls_scenario_source(s->name);

		if (!text)
			return cli_usage_error("%s has no %s program built in", s->name,
			                       python ? "Python" : "C");
		fputs(text, stdout);
		return LS_EXIT_OK;
	}
	ls_report_show(stdout, s);
	return LS_EXIT_OK;
}

const struct cli_cmd cli_cmd_show = {
	.name = "show",
	.usage = "show NAME [--python | --c]",
	.help = "print a scenario's lesson, parameters and source",
	.options = "  --python  print only the lesson's Python program\n"
	            "  --c       print only its C source (what really runs)\n",
	.exec = cmd_show_exec,
};
