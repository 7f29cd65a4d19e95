/*
 * panes.c - the run view's panes, listed once, in tab order (the number
 * keys and the tabs follow it), as tmux lists its commands in cmd.c: a new
 * pane is its own file filling one struct tui_pane, plus a line here.  Also
 * what several panes share.  Must never draw a pane itself or place one:
 * that is each pane's file and run_layout.c.
 */
#include "config.h"

#include <stdio.h>

#include "tui/tui_int.h"

const struct tui_pane *const panes_table[] = {
	&source_pane,
	&actors_pane,
	&objects_pane,
	&timeline_pane,
	&output_pane,
	&history_pane,
	&trace_pane,
	&story_pane,
	&verdict_pane,
	NULL
};

int
panes_by_key(int key)
{
	for (int i = 0; panes_table[i]; i++)
		if (panes_table[i]->key && panes_table[i]->key == key)
			return i;
	return -1;
}

const char *
panes_actor_name(const struct ls_model *m, int a)
{
	if (a == LS_NO_ACTOR)
		return "run";
	return a >= 0 && a < m->nactors ? m->actors[a].name : "?";
}

int
panes_actor_list(WINDOW *w, int y, int x, int width, const struct ls_model *m,
                 const int *ids, int n, enum tui_role r)
{
	int used = 0;

	for (int i = 0; i < n; i++) {
		const char *name = panes_actor_name(m, ids[i]);
		int need = draw_width(name) + (i ? 1 : 0);
		char more[24];
		int mw = snprintf(more, sizeof more, " +%d", n - i);

		/* Keep room for "+N" unless this is the last one. */
		if (used + need + (i + 1 < n ? mw : 0) > width) {
			used += draw_text(w, y, x + used, width - used, C_DIM, 0, i ? more : more + 1);
			break;
		}
		used += draw_printf(w, y, x + used, width - used, r, 0, "%s%s", i ? " " : "", name);
	}
	return used;
}
