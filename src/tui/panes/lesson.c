/*
 * lesson.c - a lesson's own text, word-wrapped: the menu shows the chosen
 * lesson's, the lesson screen scrolls it, the run view's story box holds it
 * (under a walkthrough's narration when there is room), there with the
 * counts the run chose ("3 threads", not the default's "100 threads").
 * Must never keep state: the scroll belongs to the screen that shows it.
 */
#include "config.h"

#include "tui/tui_int.h"

#define LESSON_MAX 4096

int
lesson_lines(const struct ls_scenario *s, const long *params, int width)
{
	char text[LESSON_MAX];

	ls_scenario_lesson(s, params, text, sizeof text);
	return draw_wrap(NULL, (struct rect){ 0, 0, 0, width }, 0, C_NORMAL, text);
}

void
lesson_draw(WINDOW *w, struct rect b, const struct ls_scenario *s, const long *params, int skip)
{
	char text[LESSON_MAX];

	ls_scenario_lesson(s, params, text, sizeof text);
	draw_wrap(w, b, skip, C_NORMAL, s->lesson ? text : "(this lesson has no text)");
}
