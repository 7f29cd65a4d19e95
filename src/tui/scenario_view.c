/*
 * scenario_view.c - one lesson before it runs: its text, its parameters
 * (edited in place, checked against their ranges), the actor kind, and the
 * ways to start it.  The values live in struct tui per scenario, so they
 * survive going back to the menu and the run view's 'l' key updates them.
 * Its keys are scenario_view_keys[]; the help and the footer read them.
 * Must never touch a run beyond asking run_state_open() for one.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/params.h"
#include "tui/tui_int.h"

/* The rows after the parameters. */
enum { ROW_KIND, ROW_STEP, ROW_FREE, ROW_RANDOM, ROW_WALK, ROW__EXTRA };

static const struct {
	enum ls_policy policy;
	const char *what;
	const char *keys;
} scenario_view_actions[] = {
	[ROW_STEP - 1]   = { LS_POLICY_STEP,   N_("step through it: you choose who moves, one operation a key"), "s Enter" },
	[ROW_FREE - 1]   = { LS_POLICY_FREE,   N_("run it free: real actors, the OS schedules"), "g" },
	[ROW_RANDOM - 1] = { LS_POLICY_RANDOM, N_("random schedule from a fresh seed, replayable"), "r" },
	[ROW_WALK - 1]   = { LS_POLICY_STEP,   N_("walk through it: a narrated run, a step per space"), "w" },
};

static const struct ls_scenario *
scenario_view_scenario(const struct tui *t)
{
	return ls_scenarios[t->sv.idx];
}

static const char *
scenario_view_kind_name(enum ls_actor_kind k)
{
	return k == LS_ACTORS_PROCESSES ? "processes" : "threads";
}

void
scenario_view_open(struct tui *t, int idx)
{
	const struct ls_scenario *s = ls_scenarios[idx];

	t->sv.idx = idx;
	/* On "step through it": Enter, Enter from the menu starts stepping. */
	t->sv.sel = s->nparams + ROW_STEP;
	t->sv.lesson_top = 0;
	tui_goto(t, TUI_SCENARIO);
}

/* "7", or for a parameter with choices one of their names. */
static int
scenario_view_parse_value(const struct ls_param_desc *p, const char *text,
                          long *out, char *err, size_t len)
{
	char buf[128], *end, *s = buf;
	long v;

	snprintf(buf, sizeof buf, "%s", text);
	while (*s == ' ')
		s++;
	end = s + strlen(s);
	while (end > s && end[-1] == ' ')
		*--end = '\0';
	if (!*s) {
		snprintf(err, len, "%s: nothing typed", p->name);
		return -1;
	}
	for (long i = 0; p->choices && p->choices[i]; i++)
		if (strcmp(s, p->choices[i]) == 0) {   /* exactly, as on the command line */
			*out = p->min + i;
			return 0;
		}
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s) {
		if (p->choices) {
			char names[256] = "";

			for (int i = 0; p->choices[i]; i++)
				snprintf(names + strlen(names), sizeof names - strlen(names),
				         "%s%s", i ? ", " : "", p->choices[i]);
			snprintf(err, len, "%s: '%s' is not one of %s", p->name, s, names);
		} else {
			snprintf(err, len, "%s: '%s' is not a number (%ld..%ld)", p->name, s,
			         p->min, p->max);
		}
		return -1;
	}
	if (v < p->min || v > p->max) {
		snprintf(err, len, "%s must be %ld..%ld, not %ld", p->name, p->min, p->max, v);
		return -1;
	}
	*out = v;
	return 0;
}

static void
scenario_view_start(struct tui *t, enum ls_policy policy)
{
	const struct ls_scenario *s = scenario_view_scenario(t);

	if (run_state_open(t, s, t->params[t->sv.idx], t->kinds[t->sv.idx], policy) == 0)
		tui_goto(t, TUI_RUN);
}

static void
scenario_view_walk(struct tui *t)
{
	const struct ls_scenario *s = scenario_view_scenario(t);

	if (run_guide_open(t, RUN_GUIDE_WALK, s, t->params[t->sv.idx], t->kinds[t->sv.idx], 0) == 0)
		tui_goto(t, TUI_RUN);
}

static void
scenario_view_change(struct tui *t, int delta)
{
	const struct ls_scenario *s = scenario_view_scenario(t);
	long *pv = t->params[t->sv.idx];
	int r = t->sv.sel;

	if (r < s->nparams) {
		const struct ls_param_desc *p = &s->params[r];
		long v = pv[r] + delta;

		if (v < p->min || v > p->max) {
			tui_message(t, C_DIM, _("%s stays within %ld..%ld"), p->name, p->min, p->max);
			return;
		}
		pv[r] = v;
	} else if (r == s->nparams + ROW_KIND) {
		t->kinds[t->sv.idx] = t->kinds[t->sv.idx] == LS_ACTORS_THREADS
			? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS;
	}
}

static void
scenario_view_edit(struct tui *t)
{
	const struct ls_scenario *s = scenario_view_scenario(t);
	const struct ls_param_desc *p;
	char label[96], init[64];

	if (t->sv.sel >= s->nparams) {
		tui_message(t, C_DIM, _("select a parameter first (up/down)"));
		return;
	}
	p = &s->params[t->sv.sel];
	if (p->choices)
		snprintf(label, sizeof label, "%s (a name or %ld..%ld):", p->name, p->min, p->max);
	else
		snprintf(label, sizeof label, "%s (%ld..%ld):", p->name, p->min, p->max);
	ls_params_value(p, t->params[t->sv.idx][t->sv.sel], init, sizeof init);
	prompt_open(&t->prompt, PROMPT_PARAM, label, init);
}

void
scenario_view_prompt_done(struct tui *t, const char *text)
{
	const struct ls_scenario *s = scenario_view_scenario(t);
	const struct ls_param_desc *p;
	char err[256], val[64];
	long v;

	if (t->sv.sel >= s->nparams)
		return;
	p = &s->params[t->sv.sel];
	if (scenario_view_parse_value(p, text, &v, err, sizeof err) < 0) {
		tui_message(t, C_ERROR, "%s", err);
		return;
	}
	t->params[t->sv.idx][t->sv.sel] = v;
	ls_params_value(p, v, val, sizeof val);
	tui_message(t, C_MESSAGE, _("%s = %s"), p->name, val);
}

/* ---- keys ---- */

static void
scenario_view_key_back(struct tui *t, int key)
{
	(void)key;
	tui_goto(t, TUI_MENU);
}

static void
scenario_view_key_move(struct tui *t, int key)
{
	int rows = scenario_view_scenario(t)->nparams + ROW__EXTRA;

	if ((key == 'k' || key == TUI_FN(KEY_UP)) && t->sv.sel > 0)
		t->sv.sel--;
	else if ((key == 'j' || key == TUI_FN(KEY_DOWN)) && t->sv.sel + 1 < rows)
		t->sv.sel++;
}

static void
scenario_view_key_change(struct tui *t, int key)
{
	scenario_view_change(t, key == '-' || key == TUI_FN(KEY_LEFT) ? -1 : +1);
}

static void
scenario_view_key_enter(struct tui *t, int key)
{
	const struct ls_scenario *s = scenario_view_scenario(t);

	if (key == 'e' || t->sv.sel < s->nparams)
		scenario_view_edit(t);
	else if (t->sv.sel == s->nparams + ROW_KIND)
		scenario_view_change(t, 1);
	else if (t->sv.sel == s->nparams + ROW_WALK)
		scenario_view_walk(t);
	else
		scenario_view_start(t, scenario_view_actions[t->sv.sel - s->nparams - 1].policy);
}

/* The same variant key as in the run view. */
static void
scenario_view_key_variant(struct tui *t, int key)
{
	const struct ls_scenario *s = scenario_view_scenario(t);
	const struct ls_param_desc *p;
	long *v;
	char val[64];

	(void)key;
	if (s->toggle_param < 0) {
		tui_message(t, C_DIM, _("this lesson has no variant to toggle"));
		return;
	}
	p = &s->params[s->toggle_param];
	v = &t->params[t->sv.idx][s->toggle_param];
	*v = *v >= p->max ? p->min : *v + 1;
	ls_params_value(p, *v, val, sizeof val);
	tui_message(t, C_MESSAGE, _("%s = %s"), p->name, val);
}

static void
scenario_view_key_kind(struct tui *t, int key)
{
	(void)key;
	t->kinds[t->sv.idx] = t->kinds[t->sv.idx] == LS_ACTORS_THREADS
		? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS;
	tui_message(t, C_MESSAGE, _("actors are %s"), scenario_view_kind_name(t->kinds[t->sv.idx]));
}

static void
scenario_view_key_defaults(struct tui *t, int key)
{
	const struct ls_scenario *s = scenario_view_scenario(t);

	(void)key;
	for (int i = 0; i < s->nparams; i++)
		t->params[t->sv.idx][i] = s->params[i].def;
	t->kinds[t->sv.idx] = s->kind;
	tui_message(t, C_MESSAGE, _("defaults restored"));
}

static void
scenario_view_key_scroll(struct tui *t, int key)
{
	if (key == TUI_FN(KEY_NPAGE))
		t->sv.lesson_top += 3;
	else
		t->sv.lesson_top = t->sv.lesson_top > 3 ? t->sv.lesson_top - 3 : 0;
}

static void
scenario_view_key_run(struct tui *t, int key)
{
	scenario_view_start(t, key == 'g' ? LS_POLICY_FREE
	                       : key == 'r' ? LS_POLICY_RANDOM : LS_POLICY_STEP);
}

static void
scenario_view_key_walk(struct tui *t, int key)
{
	(void)key;
	scenario_view_walk(t);
}

static void
scenario_view_key_explore(struct tui *t, int key)
{
	(void)key;
	explore_view_start(t);
}

/* In the help's order; the footer's order is its ranks. */
static const struct tui_key scenario_view_keys[] = {
	{ .name = "Up/Down j/k", .help = N_("choose a parameter, the actor kind or a way to run"),
	  .act = scenario_view_key_move, .keys = { 'k', TUI_FN(KEY_UP), 'j', TUI_FN(KEY_DOWN) } },
	{ .name = "Left/Right - +", .help = N_("change the chosen value by one"),
	  .act = scenario_view_key_change,
	  .keys = { '-', TUI_FN(KEY_LEFT), '+', '=', TUI_FN(KEY_RIGHT) },
	  .foot_key = "arrows", .foot = { { 6, N_("edit") } } },
	{ .name = "Enter e",
	  .help = N_("type a value for the chosen parameter (checked against its range)"),
	  .act = scenario_view_key_enter, .keys = { '\n', '\r', TUI_FN(KEY_ENTER), 'e' } },
	{ .name = "l", .help = N_("cycle the lesson's variant (e.g. locked 0/1)"),
	  .act = scenario_view_key_variant, .keys = { 'l' } },
	{ .name = "t", .help = N_("actors as threads or as forked processes"),
	  .act = scenario_view_key_kind, .keys = { 't' }, .foot = { { 7, N_("kind") } } },
	{ .name = "d", .help = N_("back to the default values"), .act = scenario_view_key_defaults,
	  .keys = { 'd' } },
	{ .name = "s", .help = N_("stepped run: you choose who moves, one operation at a time"),
	  .act = scenario_view_key_run, .keys = { 's' },
	  .foot_key = "s/Enter", .foot = { { 1, N_("step") } } },
	{ .name = "g", .help = N_("free run: real threads/processes, the OS schedules"),
	  .act = scenario_view_key_run, .keys = { 'g' }, .foot = { { 2, N_("free") } } },
	{ .name = "r", .help = N_("random run: a seeded random schedule (the seed is shown)"),
	  .act = scenario_view_key_run, .keys = { 'r' }, .foot = { { 3, N_("random") } } },
	{ .name = "w", .help = N_("walkthrough: a curated run narrated step by step (space)"),
	  .act = scenario_view_key_walk, .keys = { 'w' }, .foot = { { 4, N_("walkthrough") } } },
	{ .name = "x", .help = N_("explore: run every interleaving, outcomes with a witness each"),
	  .act = scenario_view_key_explore, .keys = { 'x' }, .foot = { { 5, N_("explore") } } },
	{ .name = "PgUp/PgDn", .help = N_("scroll the lesson text"), .act = scenario_view_key_scroll,
	  .keys = { TUI_FN(KEY_PPAGE), TUI_FN(KEY_NPAGE) } },
	{ .name = "q Esc", .help = N_("back to the menu"), .act = scenario_view_key_back,
	  .keys = { 'q', TUI_ESC, TUI_FN(KEY_BACKSPACE) },
	  .foot_key = "q", .foot = { { 8, N_("back") } } },
	{ .name = "v", .help = N_("glossary: the terms in Chinese and English (also in a run)"),
	  .act = keys_glossary,
	  .keys = { 'v' } },
	{ .name = "?", .act = keys_help, .keys = { '?', TUI_FN(KEY_F(1)) },
	  .foot = { { 9, N_("help") } } },
	{ .name = NULL }
};

/* ---- the frame ---- */

/* "mirrors tutorial 000: ..." wrapped in area (w NULL: measured); its rows. */
static int
scenario_view_seed(WINDOW *w, const struct ls_scenario *s, struct rect area, int skip)
{
	char buf[400];

	snprintf(buf, sizeof buf, _("mirrors tutorial %s (the Python program it re-enacts)"),
	         s->seed ? s->seed : "-");
	return draw_wrap(w, area, skip, C_DIM, buf);
}

#define SV_KIND_HELP _("t toggles: real pthreads or real fork()ed processes")
#define SV_HELP_ROWS 2      /* the chosen row's help, under the rows, when the column is too narrow */

/* The settings' columns: name, value, range; returns the help column's width. */
static int
scenario_view_columns(const struct tui *t, int *namew, int *valw, int *rangew)
{
	const struct ls_scenario *s = scenario_view_scenario(t);
	const long *pv = t->params[t->sv.idx];

	*namew = 10;
	*valw = 9;
	*rangew = 17;
	for (int i = 0; i < s->nparams; i++) {
		char buf[256];
		int n = draw_width(s->params[i].name);

		*namew = n > *namew ? n : *namew;
		ls_params_value(&s->params[i], pv[i], buf, sizeof buf);
		n = draw_width(buf);
		*valw = n > *valw ? n : *valw;
		ls_params_range(&s->params[i], buf, sizeof buf);
		n = draw_width(buf);
		*rangew = n > *rangew ? n : *rangew;
	}
	if (*rangew > 30)
		*rangew = 30;
	return COLS - 2 - 2 - (*namew + 2) - (*valw + 2) - (*rangew + 2);
}

/* Every parameter's help fits its column whole; else the chosen one's goes below. */
static int
scenario_view_help_fits(const struct tui *t)
{
	const struct ls_scenario *s = scenario_view_scenario(t);
	int namew, valw, rangew, hw = scenario_view_columns(t, &namew, &valw, &rangew);

	if (draw_width(SV_KIND_HELP) > hw)
		return 0;
	for (int i = 0; i < s->nparams; i++)
		if (s->params[i].help && draw_width(_(s->params[i].help)) > hw)
			return 0;
	return 1;
}

/*
 * The lesson's box takes what the settings leave, and no more than it
 * needs: its height, and the settings' below it.  *lines: the text's rows.
 */
static int
scenario_view_lesson_rows(const struct tui *t, int *set_rows, int *lines)
{
	const struct ls_scenario *s = scenario_view_scenario(t);
	int set_h = s->nparams + ROW__EXTRA + 2, avail = LINES - 1 - tui_foot_rows(t), lesson_h;

	if (!scenario_view_help_fits(t))
		set_h += SV_HELP_ROWS;

	*lines = lesson_lines(s, NULL, COLS - 2) + (s->seed ? 1 + scenario_view_seed(NULL, s,
	         (struct rect){ 0, 0, 0, COLS - 2 }, 0) : 0);
	lesson_h = avail - set_h;
	if (lesson_h < 3) {
		lesson_h = 3;
		set_h = avail - lesson_h;
	}
	if (lesson_h > *lines + 2)
		lesson_h = *lines + 2;
	*set_rows = set_h;
	return lesson_h;
}

/* Before a frame: the lesson's scroll within its text. */
static void
scenario_view_update(struct tui *t)
{
	int set_h, lines, in_h = scenario_view_lesson_rows(t, &set_h, &lines) - 2;

	if (t->sv.lesson_top > lines - in_h)
		t->sv.lesson_top = lines - in_h > 0 ? lines - in_h : 0;
}

/* The settings' columns: name, value, range, and the help when it fits. */
struct scenario_view_cols {
	int namew, valw, rangew, fits;
};

/* The lesson's box: its text, the seed program under it, the scroll marks. */
static void
scenario_view_draw_lesson(struct tui *t, int lesson_h, int lines)
{
	const struct ls_scenario *s = scenario_view_scenario(t);
	const struct theme_glyphs *g = theme_glyphs();
	struct rect in = draw_box(stdscr, (struct rect){ 1, 0, lesson_h, COLS }, C_BORDER,
	                          _("Lesson"));
	int ll = lesson_lines(s, NULL, in.w);

	lesson_draw(stdscr, in, s, NULL, t->sv.lesson_top);
	if (s->seed && ll + 1 - t->sv.lesson_top < in.h) {
		int y0 = ll + 1 - t->sv.lesson_top, skip = y0 < 0 ? -y0 : 0;

		y0 = y0 < 0 ? 0 : y0;
		scenario_view_seed(stdscr, s, (struct rect){ in.y + y0, in.x, in.h - y0, in.w }, skip);
	}
	if (t->sv.lesson_top > 0)
		draw_printf(stdscr, 1, COLS - 4, 1, C_BORDER, 0, "%lc", (wint_t)g->more_up);
	if (t->sv.lesson_top + in.h < lines)
		draw_printf(stdscr, lesson_h, COLS - 12, 10, C_BORDER, 0, "%lc PgDn", (wint_t)g->more_down);
}

/* A setting's row from x on: its name, value, accepted values and help. */
static void
scenario_view_draw_setting(int y, int x, struct rect in, const struct scenario_view_cols *c,
                           attr_t ex, const char *name, enum tui_role vrole, const char *val,
                           const char *range, const char *help)
{
	draw_text(stdscr, y, x, c->namew, C_NORMAL, ex, name);
	x += c->namew + 2;
	draw_text(stdscr, y, x, c->valw, vrole, ex, val);
	x += c->valw + 2;
	draw_text(stdscr, y, x, c->rangew, C_DIM, ex, range);
	x += c->rangew + 2;
	if (c->fits)
		draw_text(stdscr, y, x, in.x + in.w - x, C_DIM, ex, help);
}

/* Row r of the settings: a parameter, the kind of actors, or an action. */
static void
scenario_view_draw_row(struct tui *t, struct rect in, int r, const struct scenario_view_cols *c)
{
	const struct ls_scenario *s = scenario_view_scenario(t);
	const long *pv = t->params[t->sv.idx];
	int y = in.y + r, sel = r == t->sv.sel, x = in.x;
	attr_t ex = sel ? A_REVERSE : 0;
	char val[256], range[256];

	if (sel)
		draw_fill(stdscr, y, in.x, in.w, C_NORMAL, ex);
	x += draw_printf(stdscr, y, x, in.w, C_NORMAL, ex, "%lc ",
	                 sel ? (wint_t)theme_glyphs()->cursor : (wint_t)L' ');
	if (r < s->nparams) {
		const struct ls_param_desc *p = &s->params[r];

		ls_params_value(p, pv[r], val, sizeof val);
		ls_params_range(p, range, sizeof range);
		scenario_view_draw_setting(y, x, in, c, ex, p->name,
		                           pv[r] == p->def ? C_VALUE : C_MESSAGE, val, range,
		                           p->help ? _(p->help) : "");
	} else if (r == s->nparams + ROW_KIND) {
		scenario_view_draw_setting(y, x, in, c, ex, "actors", C_VALUE,
		                           scenario_view_kind_name(t->kinds[t->sv.idx]),
		                           "threads|processes", SV_KIND_HELP);
	} else {
		int a = r - s->nparams - 1;
		int none = r == s->nparams + ROW_WALK && s->nwalkthroughs <= 0;

		draw_text(stdscr, y, x, c->namew, none ? C_DIM : C_KEY, ex,
		          scenario_view_actions[a].keys);
		x += c->namew + 2;
		draw_text(stdscr, y, x, in.x + in.w - x, none ? C_DIM : C_PANE_TITLE, ex,
		          none ? _("walk through it: this lesson has no walkthrough yet")
		               : _(scenario_view_actions[a].what));
	}
}

/* Too narrow for the help column: the chosen row's help, whole, below the rows. */
static void
scenario_view_draw_help(struct tui *t, struct rect in, int rows)
{
	const struct ls_scenario *s = scenario_view_scenario(t);
	const char *help = t->sv.sel < s->nparams ? s->params[t->sv.sel].help
	                 : t->sv.sel == s->nparams + ROW_KIND ? SV_KIND_HELP : NULL;
	char buf[400];

	if (help && t->sv.sel < s->nparams)
		snprintf(buf, sizeof buf, "%s: %s", s->params[t->sv.sel].name, _(help));
	else
		snprintf(buf, sizeof buf, "%s", help ? _(help) : "");
	draw_wrap(stdscr, (struct rect){ in.y + rows, in.x + 2, in.h - rows, in.w - 2 }, 0,
	          C_DIM, buf);
}

static void
scenario_view_draw(struct tui *t)
{
	const struct ls_scenario *s = scenario_view_scenario(t);
	int rows = s->nparams + ROW__EXTRA;
	struct scenario_view_cols c;
	int set_h, lesson_h, lines;
	struct rect in;
	char title[160];

	snprintf(title, sizeof title, "%s - %s", s->name, _(s->title));
	tui_draw_header(t, title, NULL);
	c.fits = scenario_view_help_fits(t);
	scenario_view_columns(t, &c.namew, &c.valw, &c.rangew);
	lesson_h = scenario_view_lesson_rows(t, &set_h, &lines);
	scenario_view_draw_lesson(t, lesson_h, lines);
	in = draw_box(stdscr, (struct rect){ 1 + lesson_h, 0, set_h, COLS }, C_BORDER,
	              _("Settings"));
	for (int r = 0; r < rows && r < in.h; r++)
		scenario_view_draw_row(t, in, r, &c);
	if (!c.fits && in.h > rows)
		scenario_view_draw_help(t, in, rows);
	keys_footer(t, scenario_view_keys, 0);
}

const struct tui_screen scenario_view_screen = {
	.help_title = N_("Keys: lesson"),
	.keys = scenario_view_keys,
	.unbound = "s steps, g runs free, r random, w walks through; Enter edits a value; "
	           "? lists the keys",
	.update = scenario_view_update,
	.draw = scenario_view_draw,
};
