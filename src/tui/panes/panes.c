/*
 * panes.c - the run view's panes, listed once, in tab order (the number
 * keys and the tabs follow it), as tmux lists its commands in cmd.c: a new
 * pane is its own file filling one struct tui_pane, plus a line here.
 * What several panes share is names.c.  Must never draw a pane itself or
 * place one: that is each pane's file and run_layout.c.
 */
#include "config.h"

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
