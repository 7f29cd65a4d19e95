/*
 * timeline_pane.c - the timeline's entry in the pane table.  The pane
 * itself (its lanes, its columns, its drawing) is ../timeline.c, kept as it
 * is while the lead rewrites it against the operation table; this file only
 * says where it goes and how clicks reach it.  Must never draw by itself.
 */
#include "config.h"

#include "tui/tui_int.h"

/*
 * timeline.c still fits its own scroll (tl_back, tl_top) and records its
 * lanes for clicks while it draws, so it takes the run view as writable:
 * the one pane whose draw writes state, until its rewrite moves that into
 * an update hook like the others'.
 */
static void
timeline_pane_draw(WINDOW *w, struct rect b, const struct run_view *rv)
{
	panes_timeline(w, b, (struct run_view *)rv);
}

static int
timeline_pane_rows(const struct run_view *rv, int width, int big)
{
	(void)width;
	(void)big;
	return panes_timeline_rows(rv);
}

/* A click on a lane selects its actor (lanes in actor order only). */
static int
timeline_pane_click(struct run_view *rv, struct rect b, int y, int x)
{
	const struct ls_model *m = ls_run_model(rv->run);
	struct rect r = rv->hit_lanes;

	(void)b;
	if (r.h <= 0 || y < r.y || y >= r.y + r.h || x < r.x || x >= r.x + r.w ||
	    rv->hit_lanes_top + y - r.y >= m->nactors)
		return 0;
	rv->sel = rv->hit_lanes_top + y - r.y;
	return 1;
}

const struct tui_pane timeline_pane = {
	.name = N_("Timeline"),
	.key = '4',
	.draw = timeline_pane_draw,
	.rows = timeline_pane_rows,
	.click = timeline_pane_click,
};
