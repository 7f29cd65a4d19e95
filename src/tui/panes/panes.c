/*
 * panes.c - the run view's panes, listed once, in tab order (the number
 * keys and the tabs follow it), as tmux lists its commands in cmd.c: a new
 * pane is its own file filling one struct tui_pane, plus a line here.
 * What several panes share is names.c.  Must never draw a pane itself or
 * place one: that is each pane's file and run_layout.c.
 */
#include "config.h"

#include "tui/tui_int.h"

/*
 * One row per pane, in tab order: the pane (what it is and draws) and its
 * place in the layouts (which, the band on big terminals, its percent of
 * the band's width; the band's last pane takes the rest).  The shares of a
 * band are all here, so a new pane is one row and retunes no other file.
 */
const struct panes_row panes_table[] = {
	/* pane            layouts                           band             share */
	{ &source_pane,    PANE_BIG | PANE_TAB,              BAND_LEFT,       100 },
	{ &actors_pane,    PANE_BIG | PANE_TAB | PANE_SIDE,  BAND_RIGHT_TOP,  100 },
	{ &objects_pane,   PANE_BIG | PANE_TAB | PANE_SIDE,  BAND_RIGHT,      50 },
	{ &timeline_pane,  PANE_BIG | PANE_TAB | PANE_SIDE,  BAND_BOTTOM,     40 },
	{ &output_pane,    PANE_BIG | PANE_TAB,              BAND_RIGHT,      50 },
	{ &history_pane,   PANE_BIG | PANE_TAB,              BAND_BOTTOM,     26 },
	{ &trace_pane,     PANE_BIG | PANE_TAB,              BAND_BOTTOM,     34 },
	{ &story_pane,     PANE_TOP,                         BAND_NONE,       0 },
	{ &verdict_pane,   PANE_BOTTOM,                      BAND_NONE,       0 },
	{ NULL, 0, BAND_NONE, 0 }
};

int
panes_by_key(int key)
{
	for (int i = 0; panes_table[i].pane; i++)
		if (panes_table[i].pane->key && panes_table[i].pane->key == key)
			return i;
	return -1;
}
