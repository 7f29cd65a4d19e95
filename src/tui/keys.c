/*
 * keys.c - reading a screen's key table (struct tui_key): which entry a key
 * belongs to, the footer a mode shows, and the help's name of an entry.
 * The tables themselves live beside the actions they name (menu.c,
 * scenario_view.c, explore_view.c, run_keys.c), like tmux's key-bindings.c;
 * the dispatcher (tui.c), the footer and help.c only read them, so no key
 * is written down twice.  Must never act on a key by itself.
 */
#include "config.h"

#include <stdio.h>

#include "tui/tui_int.h"

#define KEYS_FOOT_MAX 24        /* footer pairs: more than any width shows */

const struct tui_key *
keys_find(const struct tui_key *table, const struct tui *t, int key)
{
	for (const struct tui_key *k = table; k && k->name; k++) {
		if (!k->act)
			continue;
		for (int i = 0; i < (int)(sizeof k->keys / sizeof k->keys[0]) && k->keys[i]; i++)
			if (k->keys[i] == key)
				return k;
		if (k->match && k->match(t, key))
			return k;
	}
	return NULL;
}

void
keys_name(const struct tui_key *k, char *buf, size_t len)
{
	if (k->name_fn)
		k->name_fn(buf, len);
	else
		snprintf(buf, len, "%s", k->name);
}

void
keys_help(struct tui *t, int key)
{
	(void)key;
	t->help = 1;
}

void
keys_footer(struct tui *t, const struct tui_key *table, int mode)
{
	const struct tui_key *pick[KEYS_FOOT_MAX];
	const char *pairs[2 * KEYS_FOOT_MAX + 1];
	char labels[KEYS_FOOT_MAX][64];
	int n = 0;

	if (mode < 0 || mode >= TUI_FOOT_MODES)
		mode = 0;
	for (const struct tui_key *k = table; k && k->name && n < KEYS_FOOT_MAX; k++) {
		int i;

		if (k->foot[mode].rank <= 0 || (k->foot_if && !k->foot_if(t, mode)))
			continue;
		/* In rank order; a table is short, so insertion is enough. */
		for (i = n; i > 0 && pick[i - 1]->foot[mode].rank > k->foot[mode].rank; i--)
			pick[i] = pick[i - 1];
		pick[i] = k;
		n++;
	}
	for (int i = 0; i < n; i++) {
		const struct tui_key *k = pick[i];

		if (k->foot[mode].label)
			snprintf(labels[i], sizeof labels[i], "%s", _(k->foot[mode].label));
		else if (k->foot_label)
			k->foot_label(t, mode, labels[i], sizeof labels[i]);
		else
			labels[i][0] = '\0';
		pairs[2 * i] = k->foot_key ? k->foot_key : k->name;
		pairs[2 * i + 1] = labels[i];
	}
	pairs[2 * n] = NULL;
	tui_draw_footer(t, pairs);
}
