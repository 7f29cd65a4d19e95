/*
 * lesson.c - a lesson's own text, word-wrapped: the menu shows the chosen
 * lesson's, the lesson screen scrolls it, the run view's story box holds it
 * (under a walkthrough's narration when there is room).  Must never keep
 * state: the scroll belongs to the screen that shows it.
 */
#include "config.h"

#include "tui/tui_int.h"

int
lesson_lines(const struct ls_scenario *s, int width)
{
	return draw_wrap(NULL, (struct rect){ 0, 0, 0, width }, 0, C_NORMAL,
	                 s->lesson ? _(s->lesson) : "");
}

void
lesson_draw(WINDOW *w, struct rect b, const struct ls_scenario *s, int skip)
{
	draw_wrap(w, b, skip, C_NORMAL, s->lesson ? _(s->lesson) : _("(this lesson has no text)"));
}
