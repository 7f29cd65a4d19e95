/*
 * keys_list.c - every key of every screen's table (struct tui_key), one
 * "SCREEN<TAB>KEY" line each, for tests/keys.test to hold the README's and
 * the man pages' key lists against.  A key is named as the help names it
 * (each word of its .name: "q", "Esc", "Up/Down" as "Up" and "Down") and
 * by what it answers ("space", "Enter", "PgDn", a pane's number).  Linked
 * with the TUI's own sources, so it reads the very tables the program does.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tui/tui_int.h"

static const struct {
	int key;
	const char *name;
} keys_list_named[] = {
	{ ' ', "space" }, { '\n', "Enter" }, { '\r', "Enter" }, { '\t', "Tab" },
	{ TUI_ESC, "Esc" }, { TUI_FN(KEY_ENTER), "Enter" }, { TUI_FN(KEY_UP), "Up" },
	{ TUI_FN(KEY_DOWN), "Down" }, { TUI_FN(KEY_PPAGE), "PgUp" },
	{ TUI_FN(KEY_NPAGE), "PgDn" }, { TUI_FN(KEY_HOME), "Home" }, { TUI_FN(KEY_END), "End" },
	{ TUI_FN(KEY_BTAB), "Shift-Tab" }, { TUI_FN(KEY_F(1)), "F1" },
	{ TUI_FN(KEY_LEFT), "Left" }, { TUI_FN(KEY_RIGHT), "Right" },
};

static void
keys_list_code(const char *screen, int k)
{
	for (size_t i = 0; i < sizeof keys_list_named / sizeof keys_list_named[0]; i++)
		if (keys_list_named[i].key == k) {
			printf("%s\t%s\n", screen, keys_list_named[i].name);
			return;
		}
	if (k > ' ' && k < 127)
		printf("%s\t%c\n", screen, k);
}

/* The words of a name: "Up/Down j/k" is Up, Down, j, k; "+ -" is + and -. */
static void
keys_list_words(const char *screen, const char *name)
{
	char buf[64], *save = NULL;

	snprintf(buf, sizeof buf, "%s", name);
	for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		printf("%s\t%s\n", screen, w);
		if (strlen(w) > 1 && strchr(w, '/') && strcmp(w, "/") != 0) {
			char part[64], *s2 = NULL;

			snprintf(part, sizeof part, "%s", w);
			for (char *p = strtok_r(part, "/", &s2); p; p = strtok_r(NULL, "/", &s2))
				printf("%s\t%s\n", screen, p);
		}
	}
}

static void
keys_list_table(const char *screen, const struct tui_key *table)
{
	struct tui t;

	memset(&t, 0, sizeof t);
	for (const struct tui_key *k = table; k->name; k++) {
		char name[64];

		keys_name(k, name, sizeof name);
		keys_list_words(screen, name);
		for (int i = 0; i < (int)(sizeof k->keys / sizeof k->keys[0]) && k->keys[i]; i++)
			keys_list_code(screen, k->keys[i]);
		for (int c = ' '; k->match && c < 127; c++)
			if (k->match(&t, c))
				keys_list_code(screen, c);
	}
}

int
main(void)
{
	keys_list_table("menu", menu_screen.keys);
	keys_list_table("lesson", scenario_view_screen.keys);
	keys_list_table("run", run_view_screen.keys);
	keys_list_table("explore", explore_view_screen.keys);
	return fflush(stdout) != 0;
}
