/*
 * cmd_show.c - `lockstep show`: a scenario's lesson, parameters and source.
 */
#include "config.h"

#include <stdio.h>

#include "cli/cli_int.h"
#include "report/report.h"

static int
cmd_show_exec(int argc, char **argv)
{
	if (argc != 1)
		return cli_usage_error(_("show takes one scenario name"));
	const struct ls_scenario *s = cli_scenario(argv[0]);
	if (!s)
		return LS_EXIT_USAGE;
	ls_report_show(stdout, s);
	return LS_EXIT_OK;
}

const struct cli_cmd cli_cmd_show = {
	.name = "show",
	.usage = "show NAME",
	.help = N_("print a scenario's lesson, parameters and source"),
	.options = NULL,
	.exec = cmd_show_exec,
};
