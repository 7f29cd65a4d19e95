/*
 * cmd_glossary.c - `lockstep glossary`: the terms the lessons teach, each in
 * Chinese and English at once, its meaning in both, and the lesson that
 * shows it.  The same table as the TUI's glossary ('v').
 */
#include "config.h"

#include <stdio.h>

#include "cli/cli_int.h"
#include "report/glossary.h"

static int
cmd_glossary_exec(int argc, char **argv)
{
	if (argc > 0)
		return cli_usage_error(_("glossary: unknown argument '%s' (it takes none)"),
		                       cli_q(argv[0]));
	for (int i = 0; i < ls_glossary_count; i++) {
		const struct ls_gloss *g = &ls_glossary[i];

		printf("%s%s  %s  (lockstep show %s)\n    %s\n    %s\n", i ? "\n" : "", g->zh, g->en,
		       g->lesson, g->zh_means, g->en_means);
	}
	return LS_EXIT_OK;
}

const struct cli_cmd cli_cmd_glossary = {
	.name = "glossary",
	.usage = "glossary",
	.help = N_("the terms in Chinese and English, with the lesson that shows each"),
	.exec = cmd_glossary_exec,
};
