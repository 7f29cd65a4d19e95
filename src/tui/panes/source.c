/*
 * source.c - the source pane: the scenario's own file, embedded verbatim at
 * build time so its line numbers are the ones __LINE__ gave the probes, with
 * each actor's name beside the line of its pending or current operation and
 * the line the last step executed highlighted.  Scrolls by itself to keep
 * the role functions and the cursors in view: source_update places the
 * window before each frame, so drawing only reads.  Must never change the
 * run.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/pymap.h"
#include "python/pyrun.h"
#include "model/op.h"
#include "tui/tui_int.h"

#define SOURCE_TAB 4         /* columns a tab takes: the files are indented with tabs */
#define SOURCE_SCAN 2048     /* history events searched for the executed line */

static int source_expand(const char *in, char *out, size_t len);

/* The text split in lines, numbered from 1. */
static int
source_split(struct source_text *st)
{
	int n = 1;

	for (const char *p = st->buf; *p; p++)
		n += *p == '\n';
	st->line = calloc((size_t)n + 2, sizeof *st->line);
	if (!st->line)
		return -1;
	for (char *p = st->buf, *nl; p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (!*p && !nl)
			break;              /* the newline that ends the file */
		st->line[++st->n] = p;
	}
	return 0;
}

/* Python: the lines that do shared operations are the lesson. */
static void
source_body_python(struct source_text *st)
{
	for (int i = 1; i <= st->n; i++) {
		if (!strstr(st->line[i], "# @op:"))
			continue;
		if (!st->body_lo)
			st->body_lo = i;
		st->body_hi = i;
	}
}

/*
 * The role functions are the lesson: each takes a struct ls_actor_ctx
 * and is defined at column 0 ("static void" on the line before, the
 * closing brace at column 0).  Helpers they call may lie outside; the
 * pane follows the cursors there.
 */
static void
source_body_c(struct source_text *st)
{
	for (int i = 1; i <= st->n; i++) {
		const char *l = st->line[i];
		size_t len = strlen(l);
		int lo = i, hi = i;

		if (!strstr(l, "(struct ls_actor_ctx *") || l[0] == ' ' || l[0] == '\t' ||
		    (len > 0 && l[len - 1] == ';'))
			continue;
		if (i > 1 && strncmp(st->line[i - 1], "static", 6) == 0)
			lo = i - 1;
		while (hi < st->n && st->line[hi][0] != '}')
			hi++;
		if (!st->body_lo || lo < st->body_lo)
			st->body_lo = lo;
		if (hi > st->body_hi)
			st->body_hi = hi;
	}
}

int
source_load(struct source_text *st, const char *name, int python)
{
	const char *text = ls_pyrun_text_named(name);

	if (!text)
		text = python ? ls_scenario_python(name) : ls_scenario_source(name);

	memset(st, 0, sizeof *st);
	if (!text)
		return -1;
	st->buf = strdup(text);
	if (!st->buf)
		return -1;
	if (source_split(st) != 0) {
		source_free(st);
		return -1;
	}
	if (python)
		source_body_python(st);
	else
		source_body_c(st);
	for (int i = st->body_lo ? st->body_lo : 1; i <= (st->body_hi ? st->body_hi : st->n); i++) {
		char code[1024];
		int w = source_expand(st->line[i], code, sizeof code);

		st->width = w > st->width ? w : st->width;
	}
	return 0;
}

void
source_free(struct source_text *st)
{
	free(st->line);
	free(st->buf);
	memset(st, 0, sizeof *st);
}

/* Tabs to spaces, so the code lines up as in an editor; a C line's
 * trailing py:TAG comment (pymap's, for tools) is left out. */
static int
source_expand(const char *in, char *out, size_t len)
{
	size_t o = 0;
	int col = 0;
	const char *tag = strstr(in, "  /* py:"), *end = NULL;

	if (tag && !(end = strstr(tag, "*/")))
		tag = NULL;
	else if (tag && end[2] && strncmp(end + 2, " /*", 3) != 0)
		tag = NULL;   /* not at the end, nor before the line's own comment */
	for (; *in && o + 1 < len; in++) {
		if (in == tag) {
			in = end + 1;   /* the loop steps past the '/' */
			continue;
		}
		if (*in == '\t') {
			do {
				out[o++] = ' ';
				col++;
			} while (col % SOURCE_TAB && o + 1 < len);
			continue;
		}
		out[o++] = *in;
		/* Continuation bytes of UTF-8 take no column. */
		if (((unsigned char)*in & 0xc0) != 0x80)
			col++;
	}
	out[o] = '\0';
	return col;
}

/* A C line as a line of the text shown: itself, or its Python line (0: none). */
static int
source_map(const struct run_view *rv, int c_line)
{
	return rv->src_python ? ls_pymap_line(rv->pymap, c_line) : c_line;
}

int
source_shown_line(const struct run_view *rv, int c_line)
{
	int shown = source_map(rv, c_line);

	return shown > 0 ? shown : c_line;
}

/* An actor's cursor line in the text shown, 0 when it has none there. */
static int
source_line(const struct run_view *rv, int actor)
{
	return source_map(rv, ls_run_model(rv->run)->actors[actor].line);
}

/* An actor with a cursor: started, not finished, its line known. */
static int
source_has_cursor(const struct run_view *rv, int actor)
{
	const struct ls_model_actor *a = &ls_run_model(rv->run)->actors[actor];
	int line = source_line(rv, actor);

	return line > 0 && line <= rv->src.n && a->state != LS_AS_NEW &&
	       a->state != LS_AS_DONE && a->state != LS_AS_CRASHED;
}

/*
 * The line the newest operation ran at and who ran it: the newest event
 * that is not an "about to" (a parked actor's next line is its cursor).
 */
static void
source_executed(const struct ls_model *m, int *actor, int *line)
{
	uint64_t first = m->nhistory > LS_HISTORY ? m->nhistory - LS_HISTORY : 0;
	uint64_t stop = m->nhistory > SOURCE_SCAN ? m->nhistory - SOURCE_SCAN : 0;

	*actor = -1;
	*line = 0;
	for (uint64_t i = m->nhistory; i > first && i > stop; i--) {
		const struct ls_event *e = &m->history[(i - 1) % LS_HISTORY];

		if (e->phase == LS_PH_BEGIN || e->actor >= m->nactors || e->line <= 0)
			continue;
		/* Starting, leaving and the run's end are on no line of their own. */
		if (ls_op_info(e->op)->flags & (LS_OPF_LIFECYCLE | LS_OPF_PARENT))
			continue;
		*actor = e->actor;
		*line = e->line;
		return;
	}
}

/*
 * Where the window starts: the role functions and every cursor when they
 * fit; else every cursor; else the focus line.  A window that still shows
 * what it must stays put, so the code does not jump under the reader.
 */
static int
source_place(const struct run_view *rv, int rows, int lo, int hi, int focus)
{
	const struct source_text *st = &rv->src;
	int top = rv->src_top, maxtop = st->n - rows + 1 > 1 ? st->n - rows + 1 : 1;
	int ulo = lo, uhi = hi;

	if (!ulo && focus)
		ulo = uhi = focus;
	if (st->body_lo) {
		if (!ulo || st->body_lo < ulo)
			ulo = st->body_lo;
		if (st->body_hi > uhi)
			uhi = st->body_hi;
	}
	if (!ulo) {
		top = top ? top : 1;
	} else if (uhi - ulo + 1 <= rows) {
		int slack = rows - (uhi - ulo + 1);

		if (top < 1 || ulo < top || uhi > top + rows - 1)
			top = ulo - (slack < 2 ? slack : 2);
	} else if (lo && hi - lo + 1 <= rows) {
		/*
		 * As much of the role functions as the cursors allow: from their
		 * first line if that keeps the last cursor in view, with a line
		 * of context around the cursors when there is room.
		 */
		int tmin = hi + 2 - rows, tmax = lo - 1;

		if (tmin > tmax)
			tmin = tmax = hi + 1 - rows;
		top = ulo < tmin ? tmin : ulo > tmax ? tmax : ulo;
	} else if (focus) {
		if (top < 1 || focus < top + 1 || focus > top + rows - 2)
			top = focus - rows / 3;
	}
	if (top > maxtop)
		top = maxtop;
	if (top < 1)
		top = 1;
	return top;
}

/*
 * "T1 T3 +5" in width columns: the actors whose cursor is on a line in
 * [lo, hi], the selected one first when it is there, each name in the
 * colour of its state.  Returns the columns used.
 */
static int
source_names(WINDOW *w, int y, int x, int width, const struct run_view *rv, int lo,
             int hi)
{
	const struct ls_model *m = ls_run_model(rv->run);
	int *ids = rv->scratch, n = 0, used = 0;

	for (int k = -1; k < m->nactors; k++) {
		/* k = -1 is the selected actor, taken first. */
		int a = k < 0 ? rv->sel : k;

		if (a < 0 || a >= m->nactors || (k >= 0 && a == rv->sel))
			continue;
		if (source_has_cursor(rv, a) &&
		    source_line(rv, a) >= lo && source_line(rv, a) <= hi)
			ids[n++] = a;
	}
	for (int i = 0; i < n; i++) {
		const struct ls_model_actor *ac = &m->actors[ids[i]];
		int can = ac->state == LS_AS_GATE ? ls_model_can_proceed(m, ids[i]) : 1;
		int need = draw_width(ac->name) + (i ? 1 : 0);
		char more[24];
		int mw = snprintf(more, sizeof more, " +%d", n - i);

		if (used + need + (i + 1 < n ? mw : 0) > width)
			return used + draw_text(w, y, x + used, width - used, C_DIM, 0,
			                        i ? more : more + 1);
		if (i)
			used++;
		used += draw_text(w, y, x + used, width - used,
		                  theme_actor_role(ac->state, can),
		                  ids[i] == rv->sel ? A_BOLD | A_UNDERLINE : A_BOLD, ac->name);
	}
	return used;
}

/* Cursors the window cannot show, named on its border: " T1 +2 above ". */
static void
source_elsewhere(WINDOW *w, int y, int x, int width, const struct run_view *rv, int lo,
                 int hi, const char *where)
{
	const struct ls_model *m = ls_run_model(rv->run);
	int any = 0, used;

	for (int a = 0; a < m->nactors && !any; a++)
		any = source_has_cursor(rv, a) &&
		      source_line(rv, a) >= lo && source_line(rv, a) <= hi;
	if (!any || width < 16)
		return;
	used = draw_text(w, y, x, width, C_BORDER, 0, " ");
	used += source_names(w, y, x + used, width - used - draw_width(where) - 2, rv, lo, hi);
	draw_printf(w, y, x + used, width - used, C_BORDER, 0, " %s ", where);
}

/*
 * The gutter: room for every actor's name side by side, within limits.
 * Fixed for the run, so the code does not shift as actors meet and part.
 */
static int
source_gutter(const struct ls_model *m, int width)
{
	int cap = width / 5, need = -1;

	if (cap < 6)
		cap = 6;
	if (cap > 16)
		cap = 16;
	for (int a = 0; a < m->nactors && need <= cap; a++)
		need += draw_width(m->actors[a].name) + 1;
	return need < 2 ? 2 : need < cap ? need : cap;
}

/* Is this line of the text shown one side of a data race the detector
 * found?  The detector names C lines; the Python's are theirs by the map. */
static int
source_races_on(const struct run_view *rv, const struct ls_race *races, size_t n, int line)
{
	for (size_t i = 0; i < n; i++)
		if (source_map(rv, races[i].a.line) == line || source_map(rv, races[i].b.line) == line)
			return 1;
	return 0;
}

/* A Python line as the student reads it: without the "  # @op:NAME" tag
 * that maps it to the C (the tag is for lockstep, not the lesson). */
static void
source_untag(char *code)
{
	char *tag = strstr(code, "# @op:");

	if (!tag)
		return;
	while (tag > code && tag[-1] == ' ')
		tag--;
	*tag = '\0';
}

/* The lines the cursors span, and the line to keep in view (0: none). */
static void
source_span(const struct run_view *rv, int *lo, int *hi, int *focus, int *exec_actor,
            int *exec_line)
{
	const struct ls_model *m = ls_run_model(rv->run);
	const struct source_text *st = &rv->src;

	*lo = *hi = 0;
	for (int a = 0; a < m->nactors; a++) {
		int l = source_line(rv, a);

		if (!source_has_cursor(rv, a))
			continue;
		*lo = !*lo || l < *lo ? l : *lo;
		*hi = l > *hi ? l : *hi;
	}
	source_executed(m, exec_actor, exec_line);
	*exec_line = source_map(rv, *exec_line);
	if (*exec_line > st->n)
		*exec_line = 0;
	*focus = *exec_line;
	if (rv->sel >= 0 && rv->sel < m->nactors && source_has_cursor(rv, rv->sel))
		*focus = source_line(rv, rv->sel);
}

/* Before a frame: where the window starts. */
static void
source_update(struct run_view *rv, struct rect b)
{
	struct rect in = draw_inside(b);
	int lo, hi, focus, exec_actor, exec_line;

	if (in.h <= 0 || rv->src.n == 0)
		return;
	source_span(rv, &lo, &hi, &focus, &exec_actor, &exec_line);
	rv->src_top = source_place(rv, in.h, lo, hi, focus);
}

/* A click in the gutter selects the first actor at that line. */
static int
source_click(struct run_view *rv, struct rect b, int y, int x)
{
	const struct ls_model *m = ls_run_model(rv->run);
	struct rect in = draw_inside(b);
	int line;

	if (in.h <= 0 || y < in.y || y >= in.y + in.h || x < in.x ||
	    x >= in.x + source_gutter(m, in.w))
		return 0;
	line = rv->src_top + y - in.y;
	for (int a = 0; a < m->nactors; a++)
		if (source_line(rv, a) == line && m->actors[a].state != LS_AS_DONE) {
			rv->sel = a;
			return 1;
		}
	return 0;
}

static void
source_title(const struct run_view *rv, size_t nraces, char *title, size_t len)
{
	if (ls_pyrun_text(rv->s) && nraces)
		snprintf(title, len, P_("Source: %s  ! data race (%zu)", "Source: %s  ! data races (%zu)",
		                        nraces), rv->s->name, nraces);
	else if (ls_pyrun_text(rv->s))
		snprintf(title, len, _("Source: %s"), rv->s->name);
	else if (nraces && rv->src_python)
		snprintf(title, len, P_("Source: %s.py (Python)  ! data race (%zu)  v: C",
		                        "Source: %s.py (Python)  ! data races (%zu)  v: C",
		                        nraces), rv->s->name, nraces);
	else if (nraces)
		snprintf(title, len, P_("Source: scenarios/%s.c  ! data race (%zu)  v: Python",
		                        "Source: scenarios/%s.c  ! data races (%zu)  v: Python",
		                        nraces), rv->s->name, nraces);
	else if (rv->src_python)
		snprintf(title, len, _("Source: %s.py (Python)  v: C"), rv->s->name);
	else if (rv->pymap)
		snprintf(title, len, _("Source: scenarios/%s.c  v: Python"), rv->s->name);
	else
		snprintf(title, len, _("Source: scenarios/%s.c"), rv->s->name);
}

/* What every row of one frame shares. */
struct source_rows {
	const struct ls_race *races;
	size_t nraces;
	int gut, numw, exec_line;
};

/* One line of the source at y: who is on it, its number, its mark, its text. */
static void
source_row(WINDOW *w, struct rect in, int y, int line, const struct source_rows *sr,
           const struct run_view *rv)
{
	const struct theme_glyphs *g = theme_glyphs();
	int x = in.x, exec = line == sr->exec_line;
	char code[1024];

	source_names(w, y, x, sr->gut, rv, line, line);
	x += sr->gut + 1;
	if (exec)
		draw_fill(w, y, x, in.x + in.w - x, C_SRC_EXEC, 0);
	x += draw_printf(w, y, x, sr->numw, exec ? C_SRC_EXEC : C_DIM, 0, "%*d", sr->numw, line);
	if (!exec && source_races_on(rv, sr->races, sr->nraces, line))
		x += draw_text(w, y, x, 2, C_ERROR, A_BOLD, "!") + 1;
	else
		x += draw_printf(w, y, x, 2, exec ? C_SRC_EXEC : C_DIM, exec ? A_BOLD : 0, "%lc",
		                 exec ? (wint_t)g->exec : (wint_t)g->v) + 1;
	source_expand(rv->src.line[line], code, sizeof code);
	if (rv->src_python)
		source_untag(code);
	draw_text(w, y, x, in.x + in.w - x, exec ? C_SRC_EXEC : C_NORMAL, 0, code);
}

/* The borders: scroll marks, who ran the line, who is above or below the window. */
static void
source_borders(WINDOW *w, struct rect b, struct rect in, int top, int exec_actor,
               int exec_line, const struct run_view *rv)
{
	const struct theme_glyphs *g = theme_glyphs();
	const struct ls_model *m = ls_run_model(rv->run);
	int ew;

	if (top > 1)
		draw_printf(w, b.y, b.x + b.w - 3, 1, C_BORDER, 0, "%lc", (wint_t)g->more_up);
	if (top + in.h <= rv->src.n)
		draw_printf(w, b.y + b.h - 1, b.x + b.w - 3, 1, C_BORDER, 0, "%lc",
		            (wint_t)g->more_down);
	if (exec_actor >= 0 && b.w > 40) {
		char who[64];

		snprintf(who, sizeof who, _(" %s ran line %d "), m->actors[exec_actor].name, exec_line);
		draw_text(w, b.y + b.h - 1, b.x + 2, b.w - 6, C_DIM, 0, who);
	}
	/* Clear of the title (or the tab bar over it) and of "T1 ran line 46". */
	ew = b.w - 66 < 28 ? b.w - 66 : 28;
	source_elsewhere(w, b.y, b.x + b.w - ew - 4, ew, rv, 1, top - 1, "above");
	ew = b.w - 26 < 28 ? b.w - 26 : 28;
	source_elsewhere(w, b.y + b.h - 1, b.x + b.w - ew - 4, ew, rv, top + in.h, rv->src.n,
	                 "below");
}

static void
source_draw(WINDOW *w, struct rect b, const struct run_view *rv)
{
	const struct source_text *st = &rv->src;
	struct source_rows sr = { .numw = 1 };
	int lo, hi, focus, exec_actor, top;
	char title[96];
	struct rect in;

	sr.nraces = ls_run_races(rv->run, &sr.races);
	source_title(rv, sr.nraces, title, sizeof title);
	in = draw_box(w, b, C_BORDER, title);
	if (in.h <= 0)
		return;
	if (st->n == 0) {
		draw_text(w, in.y, in.x, in.w, C_DIM, 0, _("(this scenario's source is not built in)"));
		return;
	}
	source_span(rv, &lo, &hi, &focus, &exec_actor, &sr.exec_line);
	/* Placed by source_update; a frame drawn without it still shows the top. */
	top = rv->src_top > 0 ? rv->src_top : 1;
	sr.gut = source_gutter(ls_run_model(rv->run), in.w);
	for (int n = st->n; n >= 10; n /= 10)
		sr.numw++;
	for (int r = 0; r < in.h && top + r <= st->n; r++)
		source_row(w, in, in.y + r, top + r, &sr, rv);
	source_borders(w, b, in, top, exec_actor, sr.exec_line, rv);
}

const struct tui_pane source_pane = {
	.name = N_("Source"),
	.key = '1',
	.draw = source_draw,
	.update = source_update,
	.click = source_click,
};
