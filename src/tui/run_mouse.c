/*
 * run_mouse.c - a click on the run view: the layout says which pane is
 * under it, and that pane's click hook says which actor (a row of the
 * actors pane, a lane of the timeline, a cursor in the source's gutter).
 * Must never draw, and never take a step: a click only selects.
 */
#include "config.h"

#include "tui/tui_int.h"

void
run_mouse_click(struct tui *t, int key)
{
	struct run_view *rv = &t->rv;
	struct run_layout L;
	MEVENT ev;

	(void)key;
	if (getmouse(&ev) != OK || !(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)))
		return;
	run_layout_compute(rv, &L);
	for (int p = 0; panes_table[p].pane && p < RUN_LAYOUT_MAX; p++) {
		struct rect r = L.at[p];

		if (!L.shown[p] || !panes_table[p].pane->click || ev.y < r.y || ev.y >= r.y + r.h ||
		    ev.x < r.x || ev.x >= r.x + r.w)
			continue;
		if (panes_table[p].pane->click(rv, r, ev.y, ev.x))
			return;
	}
}
