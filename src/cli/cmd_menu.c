/*
 * cmd_menu.c - plain `lockstep` (or `lockstep menu`): the scenario menu in
 * the terminal.
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "cli/cli_int.h"
#include "tui/tui.h"

static int
cmd_menu_exec(int argc, char **argv)
{
	char err[CLI_ERR_MAX];

	if (argc > 0)
		return cli_usage_error(_("menu: unknown argument '%s' (it takes none)"), cli_q(argv[0]));
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		return cli_usage_error(_("no terminal for the menu (try 'lockstep list' and "
		                       "'lockstep run NAME')"));
	}
	err[0] = '\0';
	int rc = tui_main(NULL, NULL, LS_ACTORS_THREADS, 0, err, sizeof err);
	if (err[0])
		cli_error(_("%s"), err);
	return rc;
}

const struct cli_cmd cli_cmd_menu = {
	.name = "menu",
	.usage = "menu",
	.help = N_("open the scenario menu (needs a terminal); plain 'lockstep' does too"),
	.options = NULL,
	.exec = cmd_menu_exec,
};
