/*
 * main.c - entry point: locale, signal handling, then the command line.
 */
#include "config.h"

#include <stdio.h>

#include "engine/cleanup.h"
#include "cli/cli.h"
#include "tui/tui.h"

int
main(int argc, char **argv)
{
	if (ls_cli_lang(&argc, argv) != 0)
		return LS_EXIT_USAGE;
	if (ls_cleanup_install() != 0) {
		perror("lockstep: cannot install signal handlers");
		return LS_EXIT_FAIL;
	}
	ls_cleanup_on_fatal(tui_emergency_restore);
	return ls_cli_main(argc, argv);
}
