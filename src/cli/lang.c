/*
 * lang.c - which language the program speaks, decided once before anything
 * is printed: the environment (LANG, LC_ALL, LC_MESSAGES, LANGUAGE, as every
 * GNU program reads them), or --lang=zh_CN|en anywhere on the command line.
 */
#include "config.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lockstep/i18n.h"

/* A locale that can print Chinese when the environment's cannot (LANG=C). */
static void
lang_utf8_locale(void)
{
	const char *cur = setlocale(LC_MESSAGES, NULL);

	if (cur && strcmp(cur, "C") != 0 && strcmp(cur, "POSIX") != 0)
		return;
	if (!setlocale(LC_ALL, "zh_CN.UTF-8") && !setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
}

#if ENABLE_NLS
/*
 * Where the catalogs are: LOCKSTEP_LOCALEDIR when set; else locale/ beside
 * the program when there is one (the build tree, so ./lockstep speaks
 * Chinese before it is installed); else where `make install` puts them.
 */
static const char *
lang_localedir(char *buf, size_t len)
{
	const char *dir = getenv("LOCKSTEP_LOCALEDIR");
	struct stat st;

	if (dir && *dir)
		return dir;
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	if (n > 0) {
		buf[n] = '\0';
		char *slash = strrchr(buf, '/');
		if (slash && (size_t)(slash - buf) + sizeof "/locale" <= len) {
			strcpy(slash, "/locale");
			if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
				return buf;
		}
	}
	return LOCALEDIR;
}
#endif

int
ls_cli_lang(int *argc, char **argv)
{
	const char *want = NULL;
	int out = 1;

	/* Take --lang=X out of the arguments: every command accepts it. */
	for (int i = 1; i < *argc; i++) {
		if (strncmp(argv[i], "--lang=", 7) == 0 && want) {
			fprintf(stderr, "lockstep: '--lang=%.40s' and '%.40s': an option is given once "
			        "(see lockstep --help)\n", want, argv[i]);
			return -1;
		} else if (strncmp(argv[i], "--lang=", 7) == 0)
			want = argv[i] + 7;
		else
			argv[out++] = argv[i];
	}
	*argc = out;
	argv[out] = NULL;
	setlocale(LC_ALL, "");
	if (want) {
		if (strcmp(want, "zh_CN") == 0 || strcmp(want, "zh") == 0) {
			setenv("LANGUAGE", "zh_CN", 1);
			lang_utf8_locale();
		} else if (strcmp(want, "en") == 0 || strcmp(want, "C") == 0) {
			/* No catalog is English: every message stays as written. */
			setenv("LANGUAGE", "en", 1);
		} else {
			fprintf(stderr, "lockstep: unknown language '%.40s' for --lang "
			        "(accepted: zh_CN, en) (see lockstep --help)\n", want);
			return -1;
		}
	}
	/*
	 * --json is read by programs: its keys and values (a verdict's
	 * sentences included) stay in English whatever the language.
	 */
	for (int i = 1; i < *argc; i++)
		if (strcmp(argv[i], "--json") == 0) {
			setenv("LANGUAGE", "en", 1);
			break;
		}
#if ENABLE_NLS
	char exe_dir[PATH_MAX];
	bindtextdomain(PACKAGE, lang_localedir(exe_dir, sizeof exe_dir));
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
#endif
	return 0;
}
