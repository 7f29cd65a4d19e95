/*
 * history.c - the interleaving pane ("6 Log"): every event the model kept,
 * one line each, newest at the bottom, in the words of panes_event_text()
 * (which lives here, verbatim from the old panes.c: the lead converts it to
 * the operation table).  '[' scrolls back; history_update keeps the scroll
 * within what the ring still holds, before each frame, so drawing only
 * reads.  Must never change the run.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "model/op.h"
#include "tui/tui_int.h"

/* The absolute indices still held by the history ring: [first, m->nhistory). */
static uint64_t
panes_history_first(const struct ls_model *m)
{
	return m->nhistory > LS_HISTORY ? m->nhistory - LS_HISTORY : 0;
}

static const struct ls_event *
panes_history_at(const struct ls_model *m, uint64_t i)
{
	return &m->history[i % LS_HISTORY];
}

int
panes_event_text(const struct ls_model *m, const struct ls_event *e, int line,
                 char *buf, size_t len)
{
	/* "About to" events are the actors pane's business; show what happened. */
	if (!ls_model_event_text(m, e, buf, len))
		return 0;
	size_t n = strlen(buf);
	if (line > 0 && n < len)
		snprintf(buf + n, len - n, _(" (line %d)"), line);
	return 1;
}

static enum tui_role
panes_event_role(const struct ls_event *e)
{
	const struct ls_op_info *op = ls_op_info(e->op);

	if (op->flags & LS_OPF_FATAL)
		return C_ACTOR_CRASHED;
	if (op->wait == LS_WAIT_TIME)
		return C_ACTOR_SLEEPING;
	if (e->phase == LS_PH_BLOCK)
		return C_ACTOR_BLOCKED;
	if (e->phase == LS_PH_FAIL)
		return C_ERROR;
	if (op->flags & LS_OPF_HOLD)
		return C_OWNER;
	if (op->flags & LS_OPF_LIFECYCLE)
		return C_DIM;
	if (op->access == LS_ACC_WRITE || op->access == LS_ACC_UPDATE)
		return C_VALUE;
	return C_NORMAL;
}

/*
 * An event's set and clear in the lesson's words: "light sets event
 * 'light' (GREEN)", when the scenario gave its flag words.
 */
static void
history_flag_word(const struct run_view *rv, const struct ls_event *e, char *line, size_t len)
{
	const char *word;
	size_t n = strlen(line);

	if (e->phase != LS_PH_DONE || (e->op != LS_OP_EVENT_SET && e->op != LS_OP_EVENT_CLEAR))
		return;
	word = ls_run_flag_word(rv->run, e->obj, e->op == LS_OP_EVENT_SET);
	if (strcmp(word, "set") != 0 && strcmp(word, "clear") != 0 && n + 4 < len)
		snprintf(line + n, len - n, " (%s)", _(word));
}

static void
history_draw(WINDOW *w, struct rect b, const struct run_view *rv)
{
	const struct ls_model *m = ls_run_model(rv->run);
	const struct theme_glyphs *g = theme_glyphs();
	uint64_t first = panes_history_first(m), i = m->nhistory;
	int rows, shown = 0, skip;
	char title[64], line[256];
	struct rect in;

	snprintf(title, sizeof title, P_("Interleaving (%llu event)", "Interleaving (%llu events)",
	                                 m->events), (unsigned long long)m->events);
	in = draw_box(w, b, C_BORDER, title);
	rows = in.h;
	if (rows <= 0)
		return;
	/* Walk back from the newest, newest at the bottom like a log. */
	skip = rv->history_back;
	while (i > first && shown < rows) {
		const struct ls_event *e = panes_history_at(m, --i);
		attr_t ex;

		if (!panes_event_text(m, e, source_shown_line(rv, e->line), line, sizeof line))
			continue;
		if (skip > 0) {
			skip--;
			continue;
		}
		/* A narrow pane keeps the event and drops its line number. */
		if (draw_width(line) > in.w)
			panes_event_text(m, e, 0, line, sizeof line);
		history_flag_word(rv, e, line, sizeof line);
		ex = e->actor == rv->sel ? A_BOLD : 0;
		draw_text(w, in.y + rows - 1 - shown, in.x, in.w, panes_event_role(e), ex, line);
		shown++;
	}
	if (shown == 0)
		draw_text(w, in.y, in.x, in.w, C_DIM, 0, "(nothing has happened yet)");
	if (rv->history_back > 0)
		draw_printf(w, b.y + b.h - 1, b.x + 2, b.w - 4, C_BORDER, 0,
		            " %lc %d newer: ] ", (wint_t)g->more_down, rv->history_back);
	if (first > 0 && i == first && shown == rows)
		draw_printf(w, b.y, b.x + b.w - 3, 1, C_BORDER, 0, "%lc", (wint_t)g->more_up);
}

/* Before a frame: no further back than the events the ring still holds. */
static void
history_update(struct run_view *rv, struct rect b)
{
	const struct ls_model *m = ls_run_model(rv->run);
	uint64_t first = panes_history_first(m), i = m->nhistory;
	char line[256];
	int n = 0;

	(void)b;
	if (rv->history_back <= 0) {
		rv->history_back = 0;
		return;
	}
	while (i > first && n < rv->history_back)
		if (panes_event_text(m, panes_history_at(m, --i), 0, line, sizeof line))
			n++;
	rv->history_back = n;
}

const struct tui_pane history_pane = {
	.name = N_("Log"),
	.key = '6',
	.draw = history_draw,
	.update = history_update,
};
