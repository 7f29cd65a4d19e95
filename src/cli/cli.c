/*
 * cli.c - the command table and the dispatcher.  Each command is one const
 * struct cli_cmd in its own cmd_NAME.c; this table lists each once, and
 * --help, `lockstep help CMD`, `lockstep CMD --help` and the unknown-command
 * error all read it.  Nothing is printed to stdout unchecked: a write that
 * failed (a full disk, /dev/full) ends in one line and exit 1.
 * Never calls ncurses: the menu and run view live behind tui_main().
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_int.h"

static const struct cli_cmd *const cli_table[] = {
	&cli_cmd_list,
	&cli_cmd_show,
	&cli_cmd_run,
	&cli_cmd_open,
	&cli_cmd_explore,
	&cli_cmd_check,
	&cli_cmd_challenge,
	&cli_cmd_glossary,
	&cli_cmd_serve,
	&cli_cmd_worker,
	&cli_cmd_menu,
	NULL,
};

/* Where help text lines up: "  list [--json]          list the scenarios". */
#define CLI_HELP_COLUMN 25

static const char cli_footer[] = N_(
	"NAME may also be a Python program (PROGRAM.py): python3 runs it unmodified,\n"
	"each thread and process it starts an actor, its capital constants its\n"
	"parameters (DEPOSITORS=3); --steps=bytecode steps it by instruction.\n"
	"A schedule file lists actor names (T1 T2 T1 ...) separated by white space;\n"
	"'#' starts a comment. Exit status: 0 when a run completed and was reported,\n"
	"whatever its verdict; 1 when it could not be carried out; 2 for bad usage.\n");

static const struct cli_cmd *
cli_find(const char *name)
{
	for (const struct cli_cmd *const *c = cli_table; *c; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

static void
cli_help_line(const char *left, const char *right)
{
	if (strlen(left) < CLI_HELP_COLUMN - 2)
		printf("  %-*s%s\n", CLI_HELP_COLUMN - 2, left, right);
	else
		printf("  %s\n%*s%s\n", left, CLI_HELP_COLUMN, "", right);
}

static int
cli_help(void)
{
	fputs(_("usage: lockstep [COMMAND] [ARGS]\n\n"
	        "Concurrency lessons run in real threads and processes.\n\n"
	        "commands:\n"), stdout);
	cli_help_line("(none)", _("open the scenario menu (needs a terminal)"));
	for (const struct cli_cmd *const *c = cli_table; *c; c++)
		if (*c != &cli_cmd_menu)
			cli_help_line((*c)->usage, _((*c)->help));
	fputs("\n", stdout);
	printf(_("%s options:\n%s\n"), cli_cmd_run.name, _(cli_cmd_run.options));
	cli_help_line("help COMMAND", _("that command's usage and options (or COMMAND --help)"));
	cli_help_line("-h, --help", _("show this help"));
	cli_help_line("-V, --version", _("show the version"));
	fputs("\n", stdout);
	fputs(_(cli_footer), stdout);
	return LS_EXIT_OK;
}

static int
cli_help_cmd(const struct cli_cmd *c)
{
	printf(_("usage: lockstep %s\n\n%s\n"), c->usage, _(c->help));
	if (c->options)
		printf(_("\noptions:\n%s"), _(c->options));
	printf(_("  -h, --help             show this help\n\n%s"), _(cli_footer));
	return LS_EXIT_OK;
}

static int
cli_unknown(const char *name)
{
	char known[200];
	size_t at = 0;

	known[0] = '\0';
	for (const struct cli_cmd *const *c = cli_table; *c && at < sizeof known; c++) {
		int n = snprintf(known + at, sizeof known - at, "%s%s", at ? ", " : "", (*c)->name);
		at += n > 0 ? (size_t)n : 0;
	}
	return cli_usage_error(_("unknown command '%s' (accepted: %s)"), cli_q(name), known);
}

static int
cli_wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

static int
cli_dispatch(int argc, char **argv)
{
	const struct cli_cmd *c;

	if (argc < 2)
		return cli_cmd_menu.exec(0, argv + argc);
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0)
		return cli_help();
	if (strcmp(cmd, "help") == 0) {
		if (argc == 2)
			return cli_help();
		if (argc > 3)
			return cli_usage_error(_("help takes one command name"));
		return (c = cli_find(argv[2])) ? cli_help_cmd(c) : cli_unknown(argv[2]);
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return LS_EXIT_OK;
	}
	if (!(c = cli_find(cmd)))
		return cli_unknown(cmd);
	if (cli_wants_help(argc - 2, argv + 2))
		return cli_help_cmd(c);
	return c->exec(argc - 2, argv + 2);
}

/*
 * Whatever the command printed must have reached stdout: flush, and close,
 * so a full disk or a closed pipe is an error, not a silent truncation.
 */
static int
cli_close_stdout(int rc)
{
	int bad = ferror(stdout);

	errno = 0;
	if (fclose(stdout) != 0 || bad) {
		cli_error(_("write error: %s"), strerror(errno ? errno : EIO));
		return LS_EXIT_FAIL;
	}
	return rc;
}

int
ls_cli_main(int argc, char **argv)
{
	return cli_close_stdout(cli_dispatch(argc, argv));
}
