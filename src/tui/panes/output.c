/*
 * output.c - what the actors said (ls_say, the tutorials' print), newest at
 * the bottom like a terminal.  Must never change the run.
 */
#include "config.h"

#include "tui/tui_int.h"

static void
output_draw(WINDOW *w, struct rect b, const struct run_view *rv)
{
	const struct ls_model *m = ls_run_model(rv->run);
	uint64_t first = m->noutput > LS_OUTPUT_LINES ? m->noutput - LS_OUTPUT_LINES : 0;
	uint64_t i = m->noutput;
	struct rect in = draw_box(w, b, C_BORDER, _("Output"));
	int shown = 0;

	if (in.h <= 0)
		return;
	while (i > first && shown < in.h) {
		const struct ls_output_line *o = &m->output[--i % LS_OUTPUT_LINES];
		int y = in.y + in.h - 1 - shown, x = in.x;

		x += draw_printf(w, y, x, in.w, C_PANE_TITLE, 0, "%s: ", panes_actor_name(m, o->actor));
		draw_text(w, y, x, in.x + in.w - x, C_NORMAL, 0, o->text);
		shown++;
	}
	if (shown == 0)
		draw_text(w, in.y, in.x, in.w, C_DIM, 0, _("(no actor has said anything)"));
}

const struct tui_pane output_pane = {
	.name = N_("Output"),
	.key = '5',
	.draw = output_draw,
};
