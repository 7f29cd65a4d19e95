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

/* A text event's bytes, which are not NUL-terminated when full. */
static void
panes_event_bytes(const struct ls_event *e, char *buf, size_t len)
{
	size_t n = strnlen(e->u.text, LS_TEXT_MAX);

	if (n >= len)
		n = len - 1;
	memcpy(buf, e->u.text, n);
	buf[n] = '\0';
	for (char *p = buf; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
}

static const char *
panes_obj_name(const struct ls_model *m, int obj)
{
	return obj >= 0 && obj < m->nobjs ? m->objs[obj].name : "?";
}

int
panes_event_text(const struct ls_model *m, const struct ls_event *e, int with_line,
                 char *buf, size_t len)
{
	const char *who = panes_actor_name(m, e->actor);
	const char *obj = e->obj != LS_NO_OBJ ? panes_obj_name(m, e->obj) : "";
	long a = (long)e->u.v.a, b = (long)e->u.v.b;
	char text[LS_TEXT_MAX + 1];
	int n = -1;

	/* "About to" events are the actors pane's business; show what happened. */
	if (e->phase == LS_PH_BEGIN)
		return 0;
	if (e->phase == LS_PH_PART)
		return 0;
	switch (e->op) {
	case LS_OP_START:
		n = snprintf(buf, len, "%s starts", who);
		break;
	case LS_OP_EXIT:
		n = snprintf(buf, len, "%s finishes", who);
		break;
	case LS_OP_CRASH:
		n = snprintf(buf, len, "%s crashed", who);
		break;
	case LS_OP_LOAD:
		n = snprintf(buf, len, "%s load %s -> %ld", who, obj, a);
		break;
	case LS_OP_STORE:
		n = snprintf(buf, len, "%s store %s = %ld (was %ld)", who, obj, a, b);
		break;
	case LS_OP_ADD:
		n = snprintf(buf, len, "%s add %s %+ld -> %ld", who, obj, b, a);
		break;
	case LS_OP_LOCK:
		n = e->phase == LS_PH_BLOCK
			? snprintf(buf, len, "%s blocks on lock '%s'", who, obj)
			: snprintf(buf, len, "%s acquires lock '%s'", who, obj);
		break;
	case LS_OP_UNLOCK:
		n = snprintf(buf, len, "%s releases lock '%s'", who, obj);
		break;
	case LS_OP_SEM_ACQUIRE:
		n = e->phase == LS_PH_BLOCK
			? snprintf(buf, len, "%s waits on semaphore '%s'", who, obj)
			: snprintf(buf, len, "%s acquires semaphore '%s' -> %ld", who, obj, a);
		break;
	case LS_OP_SEM_RELEASE:
		n = e->phase == LS_PH_FAIL
			? snprintf(buf, len, "%s release of '%s' refused (bound)", who, obj)
			: snprintf(buf, len, "%s releases semaphore '%s' -> %ld", who, obj, a);
		break;
	case LS_OP_EVENT_SET:
		n = snprintf(buf, len, "%s sets event '%s'", who, obj);
		break;
	case LS_OP_EVENT_CLEAR:
		n = snprintf(buf, len, "%s clears event '%s'", who, obj);
		break;
	case LS_OP_EVENT_WAIT:
		if (e->phase == LS_PH_BLOCK)
			n = snprintf(buf, len, "%s waits for event '%s'", who, obj);
		else if (e->phase == LS_PH_FAIL || (e->phase == LS_PH_DONE && b == 0))
			n = snprintf(buf, len, "%s gives up waiting for '%s'", who, obj);
		else
			n = snprintf(buf, len, "%s sees event '%s' set", who, obj);
		break;
	case LS_OP_SLEEP:
		/* Free runs block for real (b = the slowed time); stepped ones only finish. */
		if (e->phase == LS_PH_BLOCK && b != a)
			n = snprintf(buf, len, "%s sleeps %ld ms (%ld slowed)", who, a, b);
		else if (e->phase == LS_PH_BLOCK)
			n = snprintf(buf, len, "%s sleeps %ld ms", who, a);
		else
			n = snprintf(buf, len, "%s slept %ld ms", who, a);
		break;
	case LS_OP_SAY:
		panes_event_bytes(e, text, sizeof text);
		n = snprintf(buf, len, "%s says \"%s\"", who, text);
		break;
	case LS_OP_COND_WAIT:
		n = e->phase == LS_PH_BLOCK
			? snprintf(buf, len, "%s waits on condition '%s'", who, obj)
			: snprintf(buf, len, "%s wakes on condition '%s'", who, obj);
		break;
	case LS_OP_COND_SIGNAL:
		n = snprintf(buf, len, "%s %s '%s'", who, b ? "notifies all on" : "notifies", obj);
		break;
	case LS_OP_FILE_READ:
		panes_event_bytes(e, text, sizeof text);
		n = snprintf(buf, len, "%s reads %s: \"%s\"", who, obj, text);
		break;
	case LS_OP_FILE_WRITE:
		panes_event_bytes(e, text, sizeof text);
		n = snprintf(buf, len, "%s writes %s: \"%s\"", who, obj, text);
		break;
	case LS_OP_EVENT_TEST:
		n = snprintf(buf, len, "%s checks event '%s': %s", who, obj, b ? "set" : "clear");
		break;
	case LS_OP_FINAL:
		n = snprintf(buf, len, "end of run: %s = %ld in memory", obj, a);
		break;
	default:
		n = snprintf(buf, len, "%s %s %s", who, ls_op_name((enum ls_op)e->op),
		             ls_phase_name((enum ls_phase)e->phase));
		break;
	}
	if (with_line && n >= 0 && (size_t)n < len && e->line > 0)
		snprintf(buf + n, len - (size_t)n, " (line %d)", (int)e->line);
	return 1;
}

static enum tui_role
panes_event_role(const struct ls_event *e)
{
	if (e->op == LS_OP_CRASH)
		return C_ACTOR_CRASHED;
	if (e->op == LS_OP_SLEEP)
		return C_ACTOR_SLEEPING;
	if (e->phase == LS_PH_BLOCK)
		return C_ACTOR_BLOCKED;
	if (e->phase == LS_PH_FAIL)
		return C_ERROR;
	if (e->op == LS_OP_STORE || e->op == LS_OP_ADD)
		return C_VALUE;
	if (e->op == LS_OP_LOCK || e->op == LS_OP_SEM_ACQUIRE)
		return C_OWNER;
	if (e->op == LS_OP_START || e->op == LS_OP_EXIT)
		return C_DIM;
	return C_NORMAL;
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

	snprintf(title, sizeof title, "Interleaving (%llu events)", (unsigned long long)m->events);
	in = draw_box(w, b, C_BORDER, title);
	rows = in.h;
	if (rows <= 0)
		return;
	/* Walk back from the newest, newest at the bottom like a log. */
	skip = rv->history_back;
	while (i > first && shown < rows) {
		const struct ls_event *e = panes_history_at(m, --i);
		attr_t ex;

		if (!panes_event_text(m, e, 1, line, sizeof line))
			continue;
		if (skip > 0) {
			skip--;
			continue;
		}
		/* A narrow pane keeps the event and drops its line number. */
		if (draw_width(line) > in.w)
			panes_event_text(m, e, 0, line, sizeof line);
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
		if (panes_event_text(m, panes_history_at(m, --i), 1, line, sizeof line))
			n++;
	rv->history_back = n;
}

const struct tui_pane history_pane = {
	.name = "Log",
	.key = '6',
	.draw = history_draw,
	.update = history_update,
	.layouts = PANE_BIG | PANE_TAB,
	.band = BAND_BOTTOM,
	.share = 38,
};
