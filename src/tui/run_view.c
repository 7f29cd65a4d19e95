/*
 * run_view.c - one run on screen: the layout of its panes (all of them on a
 * big terminal, one at a time behind tabs on a small one), the keys that
 * drive it (step, run free, pause, slow motion, reset, variant, save, load,
 * walkthroughs) and the run's life (new, start, poll, free).  It talks to
 * the engine only through run.h and reads state only through the model.
 * Must never block the main loop for long: stepping and polling are bounded
 * by the engine.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/params.h"
#include "tui/tui_int.h"

/* The slow-motion ladder, as ls_run_set_slowmo() percentages. */
static const unsigned run_view_slowmo_steps[] = {
	10, 25, 50, 100, 200, 500, 1000, 2000, 5000, 10000,
};
#define RUN_VIEW_NSLOWMO (sizeof run_view_slowmo_steps / sizeof run_view_slowmo_steps[0])

/* Every pane at once from this size up. */
#define RUN_VIEW_BIG_COLS 150
#define RUN_VIEW_BIG_ROWS 40

static const char *const run_view_pane_names[PANE__COUNT] = {
	[PANE_SOURCE] = "Source", [PANE_ACTORS] = "Actors", [PANE_OBJECTS] = "Objects",
	[PANE_TIMELINE] = "Timeline", [PANE_OUTPUT] = "Output", [PANE_LOG] = "Log",
};

static int
run_view_over(enum ls_run_status st)
{
	return st != LS_RUN_READY && st != LS_RUN_RUNNING;
}

static int
run_view_big(void)
{
	return COLS >= RUN_VIEW_BIG_COLS && LINES >= RUN_VIEW_BIG_ROWS;
}

static void
run_view_slowmo_text(unsigned pct, char *buf, size_t len)
{
	if (pct == 100)
		snprintf(buf, len, "real time");
	else if (pct > 100)
		snprintf(buf, len, "%gx slower", pct / 100.0);
	else
		snprintf(buf, len, "%gx faster", 100.0 / pct);
}

/* A seed short enough to read off a projector and type back in. */
static uint64_t
run_view_fresh_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec * 1000003u + (uint64_t)ts.tv_nsec / 1000u) % 1000000u;
}

static const struct ls_walkthrough *
run_view_walkthrough(const struct run_view *rv)
{
	if (rv->walk < 0 || !rv->s->walkthroughs || rv->walk >= rv->s->nwalkthroughs)
		return NULL;
	return &rv->s->walkthroughs[rv->walk];
}

static int
run_view_actor_id(const struct run_view *rv, const char *name)
{
	const char *const *names = ls_run_actor_names(rv->run);

	for (int i = 0; name && i < ls_run_actor_count(rv->run); i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

int
run_view_next(struct run_view *rv)
{
	const struct ls_walkthrough *wt = run_view_walkthrough(rv);

	if (!rv->run)
		return -1;
	/* In a walkthrough the script, not the policy, says who moves next. */
	if (wt) {
		if (rv->walk_at < wt->nsteps)
			return run_view_actor_id(rv, wt->steps[rv->walk_at].actor);
		return -1;
	}
	return ls_run_next_pick(rv->run);
}

static void
run_view_free_run(struct run_view *rv)
{
	if (rv->run) {
		/* ls_run_free aborts the actors, joins or reaps them, removes files. */
		ls_run_free(rv->run);
		rv->run = NULL;
	}
	free(rv->scratch);
	rv->scratch = NULL;
	timeline_free(&rv->tl);
}

/* Create and start a run from rv's settings; on failure say why. */
static int
run_view_start(struct tui *t)
{
	struct run_view *rv = &t->rv;
	struct ls_run_opts o;
	struct ls_run *r;
	char err[512];
	int n;

	ls_run_opts_default(&o, rv->s);
	o.kind = rv->kind;
	o.policy = rv->policy;
	if (rv->policy == LS_POLICY_REPLAY && !rv->replay)
		o.policy = rv->policy = LS_POLICY_STEP;
	if (rv->policy == LS_POLICY_REPLAY)
		o.replay = rv->replay;
	if (rv->policy == LS_POLICY_RANDOM)
		o.seed = rv->seed;
	else
		rv->seed = o.seed;
	if (rv->slowmo == 0)
		rv->slowmo = o.slowmo_pct ? o.slowmo_pct : 100;
	o.slowmo_pct = rv->slowmo;
	err[0] = '\0';
	r = ls_run_new(rv->s, rv->params, &o, err, sizeof err);
	if (!r) {
		tui_message(t, C_ERROR, "%s", err[0] ? err : "cannot create the run");
		return -1;
	}
	if (ls_run_start(r, err, sizeof err) < 0) {
		ls_run_free(r);
		tui_message(t, C_ERROR, "%s", err[0] ? err : "cannot start the actors");
		return -1;
	}
	n = ls_run_actor_count(r);
	rv->scratch = calloc((size_t)(n > 0 ? n : 1), sizeof *rv->scratch);
	if (!rv->scratch || timeline_init(&rv->tl, ls_run_model(r)) < 0) {
		free(rv->scratch);
		rv->scratch = NULL;
		ls_run_free(r);
		tui_message(t, C_ERROR, "out of memory");
		return -1;
	}
	rv->run = r;
	rv->sel = rv->top = rv->history_back = 0;
	rv->tl_top = rv->tl_back = 0;
	rv->last_moved = -1;
	rv->src_top = 0;
	rv->paused = rv->policy == LS_POLICY_REPLAY;
	rv->seen_events = (uint64_t)-1;     /* the first frame always draws */
	rv->seen_status = (int)ls_run_status(r);
	rv->next_step_ms = 0;
	return 0;
}

/* A new scenario: its source text, its speed. */
static void
run_view_scenario(struct run_view *rv, const struct ls_scenario *s)
{
	if (rv->s == s && rv->src.n)
		return;
	if (rv->s != s)
		rv->slowmo = 0;
	source_free(&rv->src);
	source_load(&rv->src, s->name);
	rv->s = s;
}

/* Give the app its parameter values back when a walkthrough ends. */
static void
run_view_end_walk(struct run_view *rv)
{
	rv->walk = -1;
	rv->walk_at = 0;
	if (rv->app_params)
		rv->params = rv->app_params;
}

int
run_view_open(struct tui *t, const struct ls_scenario *s, long *params,
              enum ls_actor_kind kind, enum ls_policy policy)
{
	struct run_view *rv = &t->rv;

	run_view_free_run(rv);
	run_view_scenario(rv, s);
	rv->walk = -1;
	rv->walk_at = 0;
	rv->params = rv->app_params = params;
	rv->kind = kind;
	rv->policy = policy;
	rv->seed = run_view_fresh_seed();
	rv->main_pane = PANE_SOURCE;
	t->help = 0;
	if (run_view_start(t) < 0)
		return -1;
	if (policy == LS_POLICY_STEP)
		tui_message(t, C_MESSAGE, "stepping: space moves the marked actor, Enter the "
		            "selected one; Tab: pane");
	return 0;
}

/* "depositors=2 delay_ms=10 locked=0" over the defaults. */
static int
run_view_walk_params(const struct ls_scenario *s, const char *spec, long *out,
                     char *err, size_t len)
{
	char buf[512], *save = NULL;

	ls_params_default(s, out);
	snprintf(buf, sizeof buf, "%s", spec ? spec : "");
	for (char *tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
		if (ls_params_set(s, out, tok, err, len) != 0)
			return -1;
	return 0;
}

int
run_view_walk(struct tui *t, const struct ls_scenario *s, long *app_params,
              enum ls_actor_kind kind, int which)
{
	struct run_view *rv = &t->rv;
	const struct ls_walkthrough *wt;
	char err[256];
	long *vals;

	if (!s->walkthroughs || s->nwalkthroughs <= 0) {
		tui_message(t, C_DIM, "%s has no walkthrough yet: s steps it yourself", s->name);
		return -1;
	}
	which = ((which % s->nwalkthroughs) + s->nwalkthroughs) % s->nwalkthroughs;
	wt = &s->walkthroughs[which];
	vals = calloc((size_t)s->nparams + 1, sizeof *vals);
	if (!vals) {
		tui_message(t, C_ERROR, "out of memory");
		return -1;
	}
	if (run_view_walk_params(s, wt->params, vals, err, sizeof err) < 0) {
		tui_message(t, C_ERROR, "walkthrough '%s': %s", wt->title, err);
		free(vals);
		return -1;
	}
	run_view_free_run(rv);
	run_view_scenario(rv, s);
	free(rv->walk_params);
	rv->walk_params = vals;
	rv->app_params = app_params;
	rv->params = vals;
	rv->kind = kind;
	rv->policy = LS_POLICY_STEP;
	rv->seed = run_view_fresh_seed();
	rv->walk = which;
	rv->walk_at = 0;
	rv->main_pane = PANE_SOURCE;
	t->help = 0;
	if (run_view_start(t) < 0) {
		run_view_end_walk(rv);
		return -1;
	}
	rv->sel = run_view_next(rv) >= 0 ? run_view_next(rv) : 0;
	tui_message(t, C_MESSAGE, "walkthrough: space takes the next step");
	return 0;
}

void
run_view_close(struct tui *t)
{
	run_view_free_run(&t->rv);
	source_free(&t->rv.src);
	free(t->rv.walk_params);
	t->rv.walk_params = NULL;
	if (t->rv.replay) {
		ls_schedule_clear(t->rv.replay);
		free(t->rv.replay);
		t->rv.replay = NULL;
	}
}

void
run_view_feed(struct run_view *rv)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	timeline_feed(&rv->tl, ls_run_model(rv->run), ls_run_policy(rv->run) != LS_POLICY_FREE,
	              run_view_over(ls_run_status(rv->run)),
	              (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

int
run_view_tick(struct tui *t)
{
	struct run_view *rv = &t->rv;
	const struct ls_model *m;
	enum ls_run_status st;
	enum ls_policy pol;
	uint64_t cols;
	int busy, changed;

	if (!rv->run)
		return 0;
	st = ls_run_status(rv->run);
	pol = ls_run_policy(rv->run);
	cols = rv->tl.ncols;
	if ((pol == LS_POLICY_RANDOM || pol == LS_POLICY_REPLAY) &&
	    (rv->paused || (rv->slowmo > 100 && st == LS_RUN_RUNNING))) {
		/*
		 * A slowed random or replay run is paced here, one step at a
		 * time, with the chooser the engine's own polling would use:
		 * same seed, same schedule, only watchable.  Budget 0 lets poll
		 * report without stepping.
		 */
		double now = tui_now_ms();

		if (!rv->paused && st == LS_RUN_RUNNING && now >= rv->next_step_ms) {
			ls_run_step(rv->run, -1);
			rv->next_step_ms = now + rv->slowmo / 10.0;
		}
		st = ls_run_poll(rv->run, 0);
	} else {
		busy = st == LS_RUN_RUNNING && pol != LS_POLICY_STEP;
		st = ls_run_poll(rv->run, busy ? 10 : 1);
	}
	run_view_feed(rv);
	m = ls_run_model(rv->run);
	changed = m->events != rv->seen_events || (int)st != rv->seen_status ||
	          rv->tl.ncols != cols;
	if ((int)st != rv->seen_status) {
		if (st == LS_RUN_DEADLOCK)
			tui_message(t, C_ERROR, "deadlock: no actor can move (r starts again)");
		else if (st == LS_RUN_FINISHED && rv->walk >= 0)
			tui_message(t, C_MESSAGE, "the walkthrough's run is over: the verdict is below");
		else if (st == LS_RUN_FINISHED)
			tui_message(t, C_MESSAGE, "finished in %.1f s: r runs it again%s",
			            ls_run_elapsed_ms(rv->run) / 1000.0,
			            rv->s->toggle_param >= 0 ? ", l toggles the variant" : "");
		else if (st == LS_RUN_DIVERGED)
			tui_message(t, C_ERROR, "the schedule diverged: %s", ls_run_reason(rv->run));
		else if (st == LS_RUN_ABORTED && ls_run_reason(rv->run)[0])
			tui_message(t, C_ERROR, "%s", ls_run_reason(rv->run));
	}
	rv->seen_events = m->events;
	rv->seen_status = (int)st;
	return changed;
}

int
run_view_live(const struct tui *t)
{
	const struct run_view *rv = &t->rv;

	/* The clock only matters while actors move on their own. */
	return rv->run && ls_run_status(rv->run) == LS_RUN_RUNNING &&
	       ls_run_policy(rv->run) != LS_POLICY_STEP && !rv->paused;
}

/* ---- layout ---- */

struct run_view_layout {
	int big;                        /* every pane at once */
	int tabbed;                     /* the main rectangle shows pane rv->main_pane, with tabs */
	struct rect story, verdict, main;
	int has_story, strip_y;         /* strip_y: a row of shared state, or -1 */
	struct rect pane[PANE__COUNT];
	int shown[PANE__COUNT];
};

static int
run_view_clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void
run_view_show(struct run_view_layout *L, enum tui_pane p, struct rect r)
{
	if (r.h < 3 || r.w < 8)
		return;
	L->pane[p] = r;
	L->shown[p] = 1;
}

/* Big terminals: story, source beside actors, objects and output, timeline beside the log, verdict. */
static void
run_view_layout_big(struct run_view *rv, struct run_view_layout *L, int top, int bottom)
{
	const struct ls_model *m = ls_run_model(rv->run);
	int over = run_view_over(ls_run_status(rv->run));
	int avail = bottom - top, sh, vh, th, mh, sw, rw, ah, tw;

	sh = panes_story_rows(rv, COLS);
	if (rv->walk >= 0)
		sh += panes_lesson_lines(rv->s, COLS - 2) + 1;
	sh = run_view_clamp(sh, 3, 9);
	L->has_story = 1;
	L->story = (struct rect){ top, 0, sh, COLS };
	top += sh;
	vh = run_view_clamp(panes_verdict_rows(rv, COLS, 1), 3, avail / (over ? 3 : 5));
	L->verdict = (struct rect){ bottom - vh, 0, vh, COLS };
	bottom -= vh;
	th = run_view_clamp(panes_timeline_rows(rv), 5, (bottom - top) / 3);
	tw = COLS * 62 / 100;
	run_view_show(L, PANE_TIMELINE, (struct rect){ bottom - th, 0, th, tw });
	run_view_show(L, PANE_LOG, (struct rect){ bottom - th, tw, th, COLS - tw });
	bottom -= th;
	mh = bottom - top;
	sw = run_view_clamp(COLS / 2, 72, COLS - 60);
	rw = COLS - sw;
	run_view_show(L, PANE_SOURCE, (struct rect){ top, 0, mh, sw });
	ah = run_view_clamp(m->nactors + 3, 4, mh * 55 / 100);
	run_view_show(L, PANE_ACTORS, (struct rect){ top, sw, ah, rw });
	run_view_show(L, PANE_OBJECTS, (struct rect){ top + ah, sw, mh - ah, rw / 2 });
	run_view_show(L, PANE_OUTPUT, (struct rect){ top + ah, sw + rw / 2, mh - ah, rw - rw / 2 });
}

/*
 * Small terminals: one pane in the main area behind tabs (Tab, 1-6), a
 * side column of two more from 120 columns, a row of shared state when the
 * objects are not in view, the verdict at the bottom.
 */
static void
run_view_layout_small(struct run_view *rv, struct run_view_layout *L, int top, int bottom)
{
	int over = run_view_over(ls_run_status(rv->run));
	int avail = bottom - top, vh, mw = COLS;

	if (rv->walk >= 0 || LINES >= 34) {
		int sh = run_view_clamp(panes_story_rows(rv, COLS), 3,
		                        rv->walk >= 0 ? (over ? 7 : 5) : 6);

		L->has_story = 1;
		L->story = (struct rect){ top, 0, sh, COLS };
		top += sh;
	}
	vh = run_view_clamp(panes_verdict_rows(rv, COLS, 0), 3, avail / (over ? 3 : 4));
	L->verdict = (struct rect){ bottom - vh, 0, vh, COLS };
	bottom -= vh;
	L->strip_y = -1;
	if (COLS >= 120) {
		/* The side column: the first two of these the main area is not showing. */
		static const enum tui_pane side[] = { PANE_ACTORS, PANE_OBJECTS, PANE_TIMELINE };
		int sw = COLS * 40 / 100, y = top, k = 0, h = bottom - top;

		mw = COLS - sw;
		for (size_t i = 0; i < sizeof side / sizeof side[0] && k < 2; i++) {
			int ph;

			if (side[i] == (enum tui_pane)rv->main_pane)
				continue;
			ph = k == 0 ? h / 2 : bottom - y;
			run_view_show(L, side[i], (struct rect){ y, mw, ph, sw });
			y += ph;
			k++;
		}
	}
	if (!L->shown[PANE_OBJECTS] && rv->main_pane != PANE_OBJECTS && bottom - top > 6) {
		L->strip_y = bottom - 1;
		bottom--;
	}
	L->tabbed = 1;
	L->main = (struct rect){ top, 0, bottom - top, mw };
	run_view_show(L, (enum tui_pane)rv->main_pane, L->main);
}

static void
run_view_layout(struct run_view *rv, struct run_view_layout *L)
{
	memset(L, 0, sizeof *L);
	L->strip_y = -1;
	L->big = run_view_big();
	if (L->big)
		run_view_layout_big(rv, L, 1, LINES - 2);
	else
		run_view_layout_small(rv, L, 1, LINES - 2);
}

/* ---- drawing ---- */

/* The tab bar over the main pane's top border. */
static void
run_view_tabs(struct rect b, int active)
{
	const struct theme_glyphs *g = theme_glyphs();
	int x = b.x + 1, end = b.x + b.w - 4, need = 0, shortn;
	cchar_t c;

	for (int p = 0; p < PANE__COUNT; p++)
		need += draw_width(run_view_pane_names[p]) + 4;
	shortn = need > end - x;
	theme_cchar(&c, g->h, C_BORDER, 0);
	mvwhline_set(stdscr, b.y, x, &c, (need < end - x ? need : end - x) + 1);
	for (int p = 0; p < PANE__COUNT && x < end; p++) {
		char label[32];

		/* Narrow: only the active pane keeps its name. */
		if (shortn && p != active)
			snprintf(label, sizeof label, " %d ", p + 1);
		else
			snprintf(label, sizeof label, " %d %s ", p + 1, run_view_pane_names[p]);
		x += draw_text(stdscr, b.y, x, end - x, p == active ? C_TAB_ACTIVE : C_TAB,
		               p == active ? A_BOLD : 0, label);
	}
}

static void
run_view_draw_pane(struct run_view *rv, enum tui_pane p, struct rect r)
{
	switch (p) {
	case PANE_SOURCE:   panes_source(stdscr, r, rv); break;
	case PANE_ACTORS:   panes_actors(stdscr, r, rv); break;
	case PANE_OBJECTS:  panes_objects(stdscr, r, rv); break;
	case PANE_TIMELINE: panes_timeline(stdscr, r, rv); break;
	case PANE_OUTPUT:   panes_output(stdscr, r, rv); break;
	case PANE_LOG:      panes_history(stdscr, r, rv); break;
	default: break;
	}
}

static void
run_view_header(struct tui *t)
{
	struct run_view *rv = &t->rv;
	const struct ls_scenario *s = rv->s;
	const struct ls_model *m = ls_run_model(rv->run);
	enum ls_run_status st = ls_run_status(rv->run);
	enum ls_policy pol = ls_run_policy(rv->run);
	const char *sep = theme_glyphs()->sep;
	char left[256], right[256], slow[32], tag[40], how[64];
	size_t n;
	int tw, rw;

	if (rv->walk >= 0)
		snprintf(how, sizeof how, "walkthrough %d/%d", rv->walk + 1, s->nwalkthroughs);
	else if (pol == LS_POLICY_REPLAY && rv->paused && !run_view_over(st))
		snprintf(how, sizeof how, "replay (paused)");
	else
		snprintf(how, sizeof how, "%s", ls_policy_name(pol));
	n = (size_t)snprintf(left, sizeof left, "%s%s%s%s%s", s->name, sep, how, sep,
	                     ls_run_kind(rv->run) == LS_ACTORS_PROCESSES ? "processes" : "threads");
	if (s->toggle_param >= 0 && n < sizeof left) {
		const struct ls_param_desc *p = &s->params[s->toggle_param];
		long v = ls_run_params(rv->run)[s->toggle_param];

		if (p->choices && v >= p->min && v <= p->max)
			n += (size_t)snprintf(left + n, sizeof left - n, "%s%s=%s", sep, p->name,
			                      p->choices[v - p->min]);
		else
			n += (size_t)snprintf(left + n, sizeof left - n, "%s%s=%ld", sep, p->name, v);
	}
	if (rv->policy == LS_POLICY_RANDOM && n < sizeof left)
		snprintf(left + n, sizeof left - n, "%sseed %llu", sep, (unsigned long long)ls_run_seed(rv->run));

	n = (size_t)snprintf(right, sizeof right, "steps %zu%s%.1f s",
	                     ls_run_schedule(rv->run) ? ls_run_schedule(rv->run)->len : (size_t)0,
	                     sep, ls_run_elapsed_ms(rv->run) / 1000.0);
	if (pol != LS_POLICY_STEP && n < sizeof right) {
		run_view_slowmo_text(ls_run_slowmo(rv->run), slow, sizeof slow);
		n += (size_t)snprintf(right + n, sizeof right - n, "%s%s", sep, slow);
	}
	if (m->dropped && n < sizeof right)
		snprintf(right + n, sizeof right - n, "%sdropped %llu", sep,
		         (unsigned long long)m->dropped);

	snprintf(tag, sizeof tag, " %s ", ls_run_status_name(st));
	tw = draw_width(tag);
	rw = draw_width(right);
	/* Right side first: status and counters matter more than the left's tail. */
	draw_fill(stdscr, 0, 0, COLS, C_TITLE, 0);
	draw_text(stdscr, 0, COLS - rw - 1, rw, C_TITLE, m->dropped ? A_BOLD : 0, right);
	draw_text(stdscr, 0, COLS - rw - tw - 2, tw, run_view_over(st) ? C_RUN_STOPPED : C_RUN_LIVE,
	          A_BOLD, tag);
	draw_text(stdscr, 0, 1, COLS - rw - tw - 4, C_TITLE, A_BOLD, left);
}

/* Where 'l' goes: "locked=1". */
static void
run_view_variant_text(const struct run_view *rv, char *buf, size_t len)
{
	const struct ls_param_desc *p = &rv->s->params[rv->s->toggle_param];
	long v = rv->params[rv->s->toggle_param];

	v = v >= p->max ? p->min : v + 1;
	if (p->choices)
		snprintf(buf, len, "%s=%s", p->name, p->choices[v - p->min]);
	else
		snprintf(buf, len, "%s=%ld", p->name, v);
}

static void
run_view_footer(struct tui *t, int tabbed)
{
	struct run_view *rv = &t->rv;
	enum ls_run_status st = ls_run_status(rv->run);
	enum ls_policy pol = ls_run_policy(rv->run);
	const struct ls_walkthrough *wt = run_view_walkthrough(rv);
	const char *keys[40];
	char step_sel[48], step_next[48], variant[48], walk[48];
	int k = 0, next = run_view_next(rv), has_var = rv->s->toggle_param >= 0;
	int has_walk = rv->s->nwalkthroughs > 0;

	snprintf(step_next, sizeof step_next, "step %s",
	         next >= 0 ? ls_run_actor_names(rv->run)[next] : "");
	snprintf(step_sel, sizeof step_sel, "step %s", rv->sel >= 0 &&
	         rv->sel < ls_run_actor_count(rv->run) ? ls_run_actor_names(rv->run)[rv->sel] : "");
	if (has_var)
		run_view_variant_text(rv, variant, sizeof variant);
	/* The footer drops pairs from the middle when short of room: most useful first. */
	if (wt) {
		if (rv->walk_at < wt->nsteps)
			snprintf(walk, sizeof walk, "step %d/%d", rv->walk_at + 1, wt->nsteps);
		else
			snprintf(walk, sizeof walk, "%s", run_view_over(st) ? "the end" : "finish");
		keys[k++] = "space"; keys[k++] = walk;
		if (wt && rv->s->nwalkthroughs > 1) {
			keys[k++] = "w"; keys[k++] = "next walkthrough";
		}
		keys[k++] = "r"; keys[k++] = "again";
		if (tabbed) {
			keys[k++] = "Tab"; keys[k++] = "pane";
		}
		keys[k++] = "g"; keys[k++] = "run free";
		keys[k++] = "q"; keys[k++] = "leave";
	} else if (run_view_over(st)) {
		keys[k++] = "r"; keys[k++] = "run again";
		if (has_var) {
			keys[k++] = "l"; keys[k++] = variant;
		}
		if (has_walk) {
			keys[k++] = "w"; keys[k++] = "walkthrough";
		}
		if (tabbed) {
			keys[k++] = "Tab"; keys[k++] = "pane";
		}
		if (ls_run_schedule(rv->run) && ls_run_schedule(rv->run)->len > 0) {
			keys[k++] = "s"; keys[k++] = "save schedule";
		}
		keys[k++] = "o"; keys[k++] = "load schedule";
		keys[k++] = "q"; keys[k++] = "back";
	} else if (pol == LS_POLICY_REPLAY && rv->paused) {
		keys[k++] = "space"; keys[k++] = step_next;
		keys[k++] = "g"; keys[k++] = "play";
		keys[k++] = "r"; keys[k++] = "replay again";
		if (tabbed) {
			keys[k++] = "Tab"; keys[k++] = "pane";
		}
		keys[k++] = "q"; keys[k++] = "back";
	} else if (pol != LS_POLICY_STEP) {
		keys[k++] = "p"; keys[k++] = "pause";
		keys[k++] = "space"; keys[k++] = "step";
		keys[k++] = "+/-"; keys[k++] = "slower/faster";
		if (tabbed) {
			keys[k++] = "Tab"; keys[k++] = "pane";
		}
		keys[k++] = "r"; keys[k++] = "reset";
		if (has_var) {
			keys[k++] = "l"; keys[k++] = variant;
		}
		keys[k++] = "q"; keys[k++] = "back";
	} else {
		keys[k++] = "space"; keys[k++] = next >= 0 ? step_next : "step";
		keys[k++] = "Enter"; keys[k++] = step_sel;
		keys[k++] = "g"; keys[k++] = "run free";
		if (tabbed) {
			keys[k++] = "Tab"; keys[k++] = "pane";
		}
		keys[k++] = "j/k"; keys[k++] = "select";
		if (has_walk) {
			keys[k++] = "w"; keys[k++] = "walkthrough";
		}
		keys[k++] = "r"; keys[k++] = "reset";
		if (has_var) {
			keys[k++] = "l"; keys[k++] = variant;
		}
		keys[k++] = "s"; keys[k++] = "save";
		keys[k++] = "q"; keys[k++] = "back";
	}
	keys[k++] = "?"; keys[k++] = "help";
	keys[k] = NULL;
	tui_draw_footer(t, keys);
}

void
run_view_draw(struct tui *t)
{
	struct run_view *rv = &t->rv;
	struct run_view_layout L;

	if (!rv->run) {
		tui_draw_header(t, "no run", NULL);
		tui_draw_footer(t, NULL);
		return;
	}
	run_view_header(t);
	run_view_layout(rv, &L);
	if (L.has_story)
		panes_story(stdscr, L.story, rv);
	/* Panes not drawn this frame must not answer clicks. */
	rv->hit_actors = rv->hit_lanes = rv->hit_source = (struct rect){ 0, 0, 0, 0 };
	for (int p = 0; p < PANE__COUNT; p++)
		if (L.shown[p])
			run_view_draw_pane(rv, (enum tui_pane)p, L.pane[p]);
	if (L.tabbed)
		run_view_tabs(L.main, rv->main_pane);
	if (L.strip_y >= 0)
		panes_state_strip(stdscr, L.strip_y, 1, COLS - 2, rv);
	panes_verdict(stdscr, L.verdict, rv);
	run_view_footer(t, L.tabbed);
}

/* ---- keys ---- */

/* Why a parked actor cannot move: "T2 is blocked on lock 'lock' (held by T1)". */
static void
run_view_blocked_text(const struct ls_model *m, int a, char *buf, size_t len)
{
	char detail[200];

	ls_model_detail(m, a, detail, sizeof detail);
	snprintf(buf, len, "%s cannot move: %s", m->actors[a].name,
	         detail[0] ? detail : "its operation cannot proceed");
}

/*
 * After a step: let the model catch up.  Random and replay runs take steps
 * of their own when polled with time to spare, so they get none.
 */
static void
run_view_settle(struct run_view *rv)
{
	ls_run_poll(rv->run, ls_run_policy(rv->run) == LS_POLICY_STEP ? 1 : 0);
}

/* Free mode has no steps: switch to stepping first.  Returns 1 if it did. */
static int
run_view_pause(struct tui *t)
{
	struct run_view *rv = &t->rv;
	struct ls_run *r = rv->run;

	if (ls_run_policy(r) == LS_POLICY_REPLAY) {
		/* A replay keeps its schedule: it only stops taking steps by itself. */
		int was = rv->paused;

		rv->paused = 1;
		return !was;
	}
	if (ls_run_policy(r) == LS_POLICY_STEP)
		return 0;
	ls_run_set_policy(r, LS_POLICY_STEP);
	ls_run_poll(r, 5);
	return 1;
}

static int
run_view_check_live(struct tui *t)
{
	enum ls_run_status st = ls_run_status(t->rv.run);

	if (!run_view_over(st))
		return 1;
	tui_message(t, C_DIM, "the run is over (%s): r runs it again, q goes back",
	            ls_run_status_name(st));
	return 0;
}

static void
run_view_step_pick(struct tui *t)
{
	struct run_view *rv = &t->rv;
	int moved, next;

	if (!run_view_check_live(t))
		return;
	run_view_pause(t);
	moved = ls_run_step(rv->run, -1);
	run_view_settle(rv);
	if (moved < 0) {
		tui_message(t, C_ERROR, "no actor can move%s",
		            ls_run_status(rv->run) == LS_RUN_DEADLOCK ? ": deadlock" : " yet");
		return;
	}
	rv->last_moved = moved;
	/*
	 * The selection goes where the marker is, so space and Enter agree
	 * until the reader picks someone else; the actor that just moved stays
	 * underlined and its line highlighted in the source.
	 */
	next = run_view_next(rv);
	rv->sel = next >= 0 ? next : moved;
}

static void
run_view_step_selected(struct tui *t)
{
	struct run_view *rv = &t->rv;
	const struct ls_model *m = ls_run_model(rv->run);
	const struct ls_model_actor *ac;
	char buf[256];

	if (!run_view_check_live(t))
		return;
	if (rv->sel < 0 || rv->sel >= m->nactors)
		return;
	if (ls_run_policy(rv->run) == LS_POLICY_REPLAY) {
		run_view_pause(t);
		tui_message(t, C_DIM, "replaying a schedule: space takes its next step "
		            "(another actor would leave it)");
		return;
	}
	if (run_view_pause(t)) {
		tui_message(t, C_MESSAGE, "paused; Enter again steps %s", m->actors[rv->sel].name);
		return;
	}
	ac = &m->actors[rv->sel];
	if (ac->state == LS_AS_DONE || ac->state == LS_AS_CRASHED) {
		tui_message(t, C_DIM, "%s has %s", ac->name,
		            ac->state == LS_AS_DONE ? "finished" : "crashed");
		return;
	}
	if (ac->state != LS_AS_GATE) {
		ls_model_describe(m, rv->sel, buf, sizeof buf);
		tui_message(t, C_DIM, "%s is not at a step point yet (%s)", ac->name, buf);
		return;
	}
	if (!ls_model_can_proceed(m, rv->sel)) {
		run_view_blocked_text(m, rv->sel, buf, sizeof buf);
		tui_message(t, C_ERROR, "%s", buf);
		return;
	}
	if (ls_run_step(rv->run, rv->sel) < 0)
		tui_message(t, C_ERROR, "%s cannot move now", ac->name);
	else
		rv->last_moved = rv->sel;
	run_view_settle(rv);
}

/* space in a walkthrough: the script's next step, then the ending. */
static void
run_view_walk_next(struct tui *t)
{
	struct run_view *rv = &t->rv;
	const struct ls_walkthrough *wt = run_view_walkthrough(rv);
	const struct ls_model *m = ls_run_model(rv->run);
	const struct ls_walk_step *step;
	char buf[256];
	int id, next;

	if (rv->walk_at >= wt->nsteps) {
		double until = tui_now_ms() + 2000;

		if (run_view_over(ls_run_status(rv->run))) {
			tui_message(t, C_DIM, "that was the walkthrough: r shows it again%s, q leaves",
			            rv->s->nwalkthroughs > 1 ? ", w the next one" : "");
			return;
		}
		/* A script shorter than the run: the rest finish, in the policy's order. */
		while (ls_run_status(rv->run) == LS_RUN_RUNNING && tui_now_ms() < until)
			if ((id = ls_run_step(rv->run, -1)) < 0)
				break;
			else
				rv->last_moved = id;
		run_view_settle(rv);
		return;
	}
	step = &wt->steps[rv->walk_at];
	if (step->actor) {
		id = run_view_actor_id(rv, step->actor);
		if (id < 0) {
			tui_message(t, C_ERROR, "walkthrough step %d names %s, which this run lacks",
			            rv->walk_at + 1, step->actor);
			return;
		}
		if (m->actors[id].state == LS_AS_GATE && !ls_model_can_proceed(m, id)) {
			run_view_blocked_text(m, id, buf, sizeof buf);
			tui_message(t, C_ERROR, "walkthrough step %d: %s", rv->walk_at + 1, buf);
			return;
		}
		if (ls_run_step(rv->run, id) < 0) {
			tui_message(t, C_ERROR, "walkthrough step %d: %s could not move", rv->walk_at + 1,
			            step->actor);
			return;
		}
		run_view_settle(rv);
		rv->last_moved = id;
	}
	rv->walk_at++;
	next = run_view_next(rv);
	if (next >= 0)
		rv->sel = next;
	else if (step->actor)
		rv->sel = rv->last_moved;
	t->msg[0] = '\0';
}

static void
run_view_reset(struct tui *t, const char *why)
{
	struct run_view *rv = &t->rv;

	if (rv->walk >= 0) {
		run_view_walk(t, rv->s, rv->app_params, rv->kind, rv->walk);
		return;
	}
	run_view_free_run(rv);
	if (run_view_start(t) < 0) {
		/* The error is on the message line; the scenario screen can retry. */
		t->screen = TUI_SCENARIO;
		return;
	}
	if (rv->policy == LS_POLICY_RANDOM)
		tui_message(t, C_MESSAGE, "%s (random, seed %llu again)", why,
		            (unsigned long long)rv->seed);
	else if (rv->policy == LS_POLICY_REPLAY)
		tui_message(t, C_MESSAGE, "%s (replaying %s: space steps, g plays)", why,
		            rv->replay_path);
	else
		tui_message(t, C_MESSAGE, "%s (%s)", why, ls_policy_name(rv->policy));
}

static void
run_view_toggle(struct tui *t)
{
	struct run_view *rv = &t->rv;
	const struct ls_param_desc *p;
	char why[128];
	long *v;

	if (rv->s->toggle_param < 0) {
		tui_message(t, C_DIM, "this lesson has no variant to toggle");
		return;
	}
	if (rv->walk >= 0) {
		/* The walkthrough of the other variant, when the lesson has one. */
		int tp = rv->s->toggle_param, cur = rv->walk;

		for (int i = 1; i < rv->s->nwalkthroughs; i++) {
			int j = (cur + i) % rv->s->nwalkthroughs;
			long vals[64];
			char err[128];

			if (rv->s->nparams > 64 ||
			    run_view_walk_params(rv->s, rv->s->walkthroughs[j].params, vals,
			                         err, sizeof err) < 0)
				continue;
			if (vals[tp] != rv->params[tp]) {
				run_view_walk(t, rv->s, rv->app_params, rv->kind, j);
				return;
			}
		}
		tui_message(t, C_DIM, "no walkthrough of the other variant: q leaves this one");
		return;
	}
	p = &rv->s->params[rv->s->toggle_param];
	v = &rv->params[rv->s->toggle_param];
	*v = *v >= p->max ? p->min : *v + 1;
	if (p->choices)
		snprintf(why, sizeof why, "%s = %s", p->name, p->choices[*v - p->min]);
	else
		snprintf(why, sizeof why, "%s = %ld", p->name, *v);
	run_view_reset(t, why);
}

static void
run_view_slowmo(struct tui *t, int dir)
{
	struct run_view *rv = &t->rv;
	unsigned cur = ls_run_slowmo(rv->run);
	size_t i = 0;
	char buf[32];

	/* The nearest rung, then one up or down. */
	while (i + 1 < RUN_VIEW_NSLOWMO && run_view_slowmo_steps[i] < cur)
		i++;
	if (dir > 0 && run_view_slowmo_steps[i] <= cur && i + 1 < RUN_VIEW_NSLOWMO)
		i++;
	else if (dir < 0 && i > 0)
		i--;
	rv->slowmo = run_view_slowmo_steps[i];
	ls_run_set_slowmo(rv->run, rv->slowmo);
	run_view_slowmo_text(rv->slowmo, buf, sizeof buf);
	if ((rv->policy == LS_POLICY_RANDOM || rv->policy == LS_POLICY_REPLAY) && rv->slowmo > 100)
		tui_message(t, C_MESSAGE, "slow motion: %s (a step every %g ms)", buf,
		            rv->slowmo / 10.0);
	else if (rv->policy == LS_POLICY_RANDOM || rv->policy == LS_POLICY_REPLAY)
		tui_message(t, C_MESSAGE, "slow motion: %s (steps at full speed)", buf);
	else
		tui_message(t, C_MESSAGE, "slow motion: %s%s", buf,
		            ls_run_policy(rv->run) == LS_POLICY_FREE ? "" : " (when running free)");
}

/* 'o': replay a schedule file against this run's actors. */
static void
run_view_load(struct tui *t, const char *path)
{
	struct run_view *rv = &t->rv;
	struct ls_schedule *sc;
	char err[512], why[400];

	if (!*path) {
		tui_message(t, C_DIM, "nothing loaded: no file name");
		return;
	}
	sc = calloc(1, sizeof *sc);
	if (!sc) {
		tui_message(t, C_ERROR, "out of memory");
		return;
	}
	err[0] = '\0';
	/* The new run has the same parameters, so the same actor names. */
	if (ls_schedule_load(sc, path, ls_run_actor_names(rv->run), ls_run_actor_count(rv->run),
	                     err, sizeof err) < 0) {
		ls_schedule_clear(sc);
		free(sc);
		tui_message(t, C_ERROR, "%s", err[0] ? err : "cannot load the schedule");
		return;
	}
	if (rv->replay) {
		ls_schedule_clear(rv->replay);
		free(rv->replay);
	}
	rv->replay = sc;
	snprintf(rv->replay_path, sizeof rv->replay_path, "%s", path);
	rv->policy = LS_POLICY_REPLAY;
	rv->walk = -1;     /* the walkthrough's parameters stay: the names fit them */
	snprintf(why, sizeof why, "loaded %zu steps", sc->len);
	run_view_reset(t, why);
}

void
run_view_prompt_done(struct tui *t, int purpose, const char *text)
{
	struct run_view *rv = &t->rv;
	char err[512];

	if (!rv->run)
		return;
	if (purpose == PROMPT_LOAD) {
		run_view_load(t, text);
		return;
	}
	if (!*text) {
		tui_message(t, C_DIM, "not saved: no file name");
		return;
	}
	err[0] = '\0';
	if (ls_run_save_schedule(rv->run, text, err, sizeof err) < 0)
		tui_message(t, C_ERROR, "%s", err[0] ? err : "cannot save the schedule");
	else
		tui_message(t, C_MESSAGE, "saved %zu steps to %s", ls_run_schedule(rv->run)->len, text);
}

static void
run_view_select(struct run_view *rv, int to)
{
	int n = ls_run_actor_count(rv->run);

	rv->sel = to < 0 ? 0 : to >= n ? n - 1 : to;
}

static void
run_view_tab(struct tui *t, int to)
{
	struct run_view *rv = &t->rv;

	if (run_view_big()) {
		tui_message(t, C_DIM, "every pane is in view at this size");
		return;
	}
	rv->main_pane = ((to % PANE__COUNT) + PANE__COUNT) % PANE__COUNT;
}

/* A click on an actor's row or lane selects it. */
static void
run_view_click(struct tui *t)
{
	struct run_view *rv = &t->rv;
	const struct ls_model *m = ls_run_model(rv->run);
	MEVENT ev;
	struct rect r;

	if (getmouse(&ev) != OK || !(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)))
		return;
	r = rv->hit_actors;
	if (r.h > 0 && ev.y >= r.y && ev.y < r.y + r.h && ev.x >= r.x && ev.x < r.x + r.w &&
	    rv->hit_actors_top + ev.y - r.y < m->nactors) {
		rv->sel = rv->hit_actors_top + ev.y - r.y;
		return;
	}
	r = rv->hit_lanes;
	if (r.h > 0 && ev.y >= r.y && ev.y < r.y + r.h && ev.x >= r.x && ev.x < r.x + r.w &&
	    rv->hit_lanes_top + ev.y - r.y < m->nactors) {
		rv->sel = rv->hit_lanes_top + ev.y - r.y;
		return;
	}
	r = rv->hit_source;
	if (r.h > 0 && ev.y >= r.y && ev.y < r.y + r.h && ev.x >= r.x &&
	    ev.x < r.x + rv->hit_source_gutter) {
		/* The gutter: the first actor at that line. */
		int line = rv->hit_source_top + ev.y - r.y;

		for (int a = 0; a < m->nactors; a++)
			if (m->actors[a].line == line && m->actors[a].state != LS_AS_DONE) {
				rv->sel = a;
				return;
			}
	}
}

void
run_view_key(struct tui *t, int key)
{
	struct run_view *rv = &t->rv;
	int page = LINES / 2;
	char name[300];

	if (!rv->run) {
		run_view_end_walk(rv);
		t->screen = TUI_SCENARIO;
		return;
	}
	switch (key) {
	case 'q':
	case TUI_ESC:
		if (!run_view_over(ls_run_status(rv->run)))
			tui_message(t, C_DIM, "run stopped: every actor was ended and reaped");
		run_view_free_run(rv);
		run_view_end_walk(rv);
		t->screen = t->run_back;
		t->run_back = TUI_SCENARIO;
		break;
	case ' ':
		if (rv->walk >= 0)
			run_view_walk_next(t);
		else
			run_view_step_pick(t);
		break;
	case '\n':
	case '\r':
	case TUI_FN(KEY_ENTER):
		if (rv->walk >= 0)
			run_view_walk_next(t);
		else
			run_view_step_selected(t);
		break;
	case 'k':
	case TUI_FN(KEY_UP):
		run_view_select(rv, rv->sel - 1);
		break;
	case 'j':
	case TUI_FN(KEY_DOWN):
		run_view_select(rv, rv->sel + 1);
		break;
	case TUI_FN(KEY_PPAGE):
		run_view_select(rv, rv->sel - page);
		break;
	case TUI_FN(KEY_NPAGE):
		run_view_select(rv, rv->sel + page);
		break;
	case TUI_FN(KEY_HOME):
		run_view_select(rv, 0);
		break;
	case TUI_FN(KEY_END):
		run_view_select(rv, ls_run_actor_count(rv->run) - 1);
		break;
	case '\t':
		run_view_tab(t, rv->main_pane + 1);
		break;
	case TUI_FN(KEY_BTAB):
		run_view_tab(t, rv->main_pane - 1);
		break;
	case '1': case '2': case '3': case '4': case '5': case '6':
		run_view_tab(t, key - '1');
		break;
	case '[':
		rv->history_back += 5;
		rv->tl_back += 10;
		break;
	case ']':
		rv->history_back = rv->history_back > 5 ? rv->history_back - 5 : 0;
		rv->tl_back = rv->tl_back > 10 ? rv->tl_back - 10 : 0;
		break;
	case 'g':
		if (!run_view_check_live(t))
			break;
		if (ls_run_policy(rv->run) == LS_POLICY_REPLAY) {
			rv->paused = 0;
			tui_message(t, C_MESSAGE, "playing the schedule (p pauses, +/- pace it)");
			break;
		}
		if (rv->walk >= 0) {
			rv->walk = -1;
			tui_message(t, C_MESSAGE, "left the walkthrough: running free (p pauses)");
		} else {
			tui_message(t, C_MESSAGE, "running free: the OS schedules (p pauses)");
		}
		ls_run_set_policy(rv->run, LS_POLICY_FREE);
		break;
	case 'p':
		if (!run_view_check_live(t))
			break;
		if (run_view_pause(t))
			tui_message(t, C_MESSAGE, "paused: space steps the next pick, Enter the selected actor");
		else
			tui_message(t, C_DIM, "already stepping: g runs free");
		break;
	case '+':
	case '=':
		run_view_slowmo(t, +1);
		break;
	case '-':
	case '_':
		run_view_slowmo(t, -1);
		break;
	case 'r':
		run_view_reset(t, "started again, same parameters");
		break;
	case 'l':
		run_view_toggle(t);
		break;
	case 'w':
		run_view_walk(t, rv->s, rv->app_params ? rv->app_params : rv->params, rv->kind,
		              rv->walk >= 0 ? rv->walk + 1 : 0);
		break;
	case 's':
		if (!ls_run_schedule(rv->run) || ls_run_schedule(rv->run)->len == 0) {
			tui_message(t, C_DIM, "no steps to save yet: a schedule records stepped "
			            "and random picks, not free runs");
			break;
		}
		snprintf(name, sizeof name, "lockstep-%s.schedule", rv->s->name);
		prompt_open(&t->prompt, PROMPT_SAVE, "save schedule to:", name);
		break;
	case 'o':
		if (rv->replay_path[0])
			snprintf(name, sizeof name, "%s", rv->replay_path);
		else
			snprintf(name, sizeof name, "lockstep-%s.schedule", rv->s->name);
		prompt_open(&t->prompt, PROMPT_LOAD, "replay schedule from:", name);
		break;
	case TUI_FN(KEY_MOUSE):
		run_view_click(t);
		break;
	default:
		tui_message(t, C_DIM, "? lists the keys");
		break;
	}
}
