/*
 * main.c - entry point: signal handling, locale, then the command line.
 *
 * The handlers are installed before main(), by a constructor, and then
 * the signal mask is emptied: a signal in the program's first moments is
 * caught like any other (recorded, acted on, re-raised), and one inherited
 * blocked and pending from the parent arrives now instead of never.  A
 * signal caught while a command that runs nothing was at work ends the
 * program by it when the command is done (the terminal view, which answers
 * a signal by exiting 128 + its number, is left to do so).
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>

#include "engine/cleanup.h"
#include "cli/cli.h"
#include "tui/tui.h"

static int main_handlers;   /* 0 installed, -1 not */

__attribute__((constructor)) static void
main_signals_first(void)
{
	sigset_t none;

	main_handlers = ls_cleanup_install();
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

int
main(int argc, char **argv)
{
	if (main_handlers != 0) {
		perror("lockstep: cannot install signal handlers");
		return LS_EXIT_FAIL;
	}
	ls_cleanup_on_fatal(tui_emergency_restore);
	int rc = ls_cli_lang(&argc, argv) != 0 ? LS_EXIT_USAGE : ls_cli_main(argc, argv);
	int sig = ls_cleanup_signalled();
	/* The terminal view answers a signal itself, exiting 128 + its number. */
	if (sig && rc != 128 + sig)
		ls_cleanup_reraise(sig);
	return rc;
}
