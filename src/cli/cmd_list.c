/*
 * cmd_list.c - `lockstep list`: the scenarios, as text or JSON.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli_int.h"
#include "report/report.h"

static int
cmd_list_exec(int argc, char **argv)
{
	int json = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0 && json)
			return cli_usage_error(_("'%s' and '%s': an option is given once"), "--json",
			                       "--json");
		else if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else
			return cli_usage_error(_("list: unknown argument '%s' (accepted: --json)"),
			                       cli_q(argv[i]));
	}
	ls_report_list(stdout, json);
	return LS_EXIT_OK;
}

const struct cli_cmd cli_cmd_list = {
	.name = "list",
	.usage = "list [--json]",
	.help = N_("list the scenarios"),
	.options = N_("  --json                 print a JSON array, parameters included\n"),
	.exec = cmd_list_exec,
};
