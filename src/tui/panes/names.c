/*
 * names.c - what several panes share: an actor's name, and a list of
 * actors cut to a width ("T1 T2 T3 +7").  Below every pane; knows none.
 */
#include "config.h"

#include <stdio.h>

#include "tui/tui_int.h"

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
