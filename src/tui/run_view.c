/*
 * run_view.c - one run on screen: the layout of its panes, the keys that
 * drive it (step, run free, pause, slow motion, reset, variant, save) and
 * the run's life (new, start, poll, free).  It talks to the engine only
 * through run.h and reads state only through the model.  Must never block
 * the main loop for long: stepping and polling are bounded by the engine.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/tui_int.h"

/* The slow-motion ladder, as ls_run_set_slowmo() percentages. */
static const unsigned run_view_slowmo_steps[] = {
	10, 25, 50, 100, 200, 500, 1000, 2000, 5000, 10000,
};
#define RUN_VIEW_NSLOWMO (sizeof run_view_slowmo_steps / sizeof run_view_slowmo_steps[0])

static int
run_view_over(enum ls_run_status st)
{
	return st != LS_RUN_READY && st != LS_RUN_RUNNING;
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
	if (!rv->scratch) {
		ls_run_free(r);
		tui_message(t, C_ERROR, "out of memory");
		return -1;
	}
	rv->run = r;
	rv->sel = rv->top = rv->history_back = 0;
	rv->seen_events = (uint64_t)-1;     /* the first frame always draws */
	rv->seen_status = (int)ls_run_status(r);
	rv->next_step_ms = 0;
	return 0;
}

int
run_view_open(struct tui *t, const struct ls_scenario *s, long *params,
              enum ls_actor_kind kind, enum ls_policy policy)
{
	struct run_view *rv = &t->rv;

	run_view_free_run(rv);
	if (rv->s != s)
		rv->slowmo = 0;
	rv->s = s;
	rv->params = params;
	rv->kind = kind;
	rv->policy = policy;
	rv->seed = run_view_fresh_seed();
	t->help = 0;
	if (run_view_start(t) < 0)
		return -1;
	if (policy == LS_POLICY_STEP)
		tui_message(t, C_MESSAGE, "stepping: space moves the next pick, Enter the selected actor");
	return 0;
}

void
run_view_close(struct tui *t)
{
	run_view_free_run(&t->rv);
}

int
run_view_tick(struct tui *t)
{
	struct run_view *rv = &t->rv;
	const struct ls_model *m;
	enum ls_run_status st;
	enum ls_policy pol;
	int busy, changed;

	if (!rv->run)
		return 0;
	st = ls_run_status(rv->run);
	pol = ls_run_policy(rv->run);
	if (pol == LS_POLICY_RANDOM && rv->slowmo > 100 && st == LS_RUN_RUNNING) {
		/*
		 * A slowed random run is paced here, one step at a time, with the
		 * chooser the engine's own polling would use: same seed, same
		 * schedule, only watchable.  Budget 0 lets poll report without
		 * stepping.
		 */
		double now = tui_now_ms();

		if (now >= rv->next_step_ms) {
			ls_run_step(rv->run, -1);
			rv->next_step_ms = now + rv->slowmo / 10.0;
		}
		st = ls_run_poll(rv->run, 0);
	} else {
		busy = st == LS_RUN_RUNNING && pol != LS_POLICY_STEP;
		st = ls_run_poll(rv->run, busy ? 10 : 1);
	}
	m = ls_run_model(rv->run);
	changed = m->events != rv->seen_events || (int)st != rv->seen_status;
	if ((int)st != rv->seen_status) {
		if (st == LS_RUN_DEADLOCK)
			tui_message(t, C_ERROR, "deadlock: no actor can move (r starts again)");
		else if (st == LS_RUN_FINISHED)
			tui_message(t, C_MESSAGE, "finished in %.1f s: r runs it again%s",
			            ls_run_elapsed_ms(rv->run) / 1000.0,
			            rv->s->toggle_param >= 0 ? ", l toggles the variant" : "");
		else if (st == LS_RUN_DIVERGED)
			tui_message(t, C_ERROR, "the schedule diverged: %s", ls_run_reason(rv->run));
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
	       ls_run_policy(rv->run) != LS_POLICY_STEP;
}

/* ---- drawing ---- */

struct run_view_layout {
	struct rect lesson, actors, objects, history, output, verdict;
	int has_lesson, has_output;
};

static void
run_view_layout(struct run_view *rv, struct run_view_layout *L)
{
	const struct ls_model *m = ls_run_model(rv->run);
	int top = 1, bottom = LINES - 2;        /* rows [top, bottom) */
	int wide = COLS >= 150, tall = LINES >= 40;
	int vh, oh, h;

	memset(L, 0, sizeof *L);
	/* With room to spare the lesson stays in view. */
	if (tall) {
		int lh = panes_lesson_lines(rv->s, COLS - 2) + 2;

		L->has_lesson = 1;
		L->lesson = (struct rect){ top, 0, lh < 8 ? lh : 8, COLS };
		top += L->lesson.h;
	}
	/* Once the run is over its verdict is the news: give it more room. */
	vh = panes_verdict_rows(rv, COLS, tall);
	if (vh > (bottom - top) / (run_view_over(ls_run_status(rv->run)) ? 2 : 3))
		vh = (bottom - top) / (run_view_over(ls_run_status(rv->run)) ? 2 : 3);
	L->verdict = (struct rect){ bottom - vh, 0, vh, COLS };
	bottom -= vh;
	h = bottom - top;

	if (wide) {
		int aw = COLS * 36 / 100, mw = COLS * 30 / 100, hw = COLS - aw - mw;

		L->actors = (struct rect){ top, 0, h, aw };
		oh = panes_objects_rows(rv, mw);
		if (oh > h / 2)
			oh = h / 2;
		L->objects = (struct rect){ top, aw, oh, mw };
		L->has_output = 1;
		L->output = (struct rect){ top + oh, aw, h - oh, mw };
		L->history = (struct rect){ top, aw + mw, h, hw };
	} else {
		int aw = COLS / 2, rw = COLS - aw, rest, need = m->nactors + 3;
		int ox = aw, oy = top, ow = rw, ry = top;

		need = need < 5 ? 5 : need;
		if (h - need >= 5) {
			/* Few actors: the objects go under them, the right is the log's. */
			L->actors = (struct rect){ top, 0, need, aw };
			oy = top + need;
			oh = h - need;
			ox = 0;
			ow = aw;
		} else {
			L->actors = (struct rect){ top, 0, h, aw };
			oh = panes_objects_rows(rv, rw);
			if (oh > h / 2)
				oh = h / 2;
			ry = top + oh;
		}
		L->objects = (struct rect){ oy, ox, oh, ow };
		rest = bottom - ry;
		if (m->noutput > 0 && rest >= 8) {
			L->has_output = 1;
			L->history = (struct rect){ ry, aw, rest - rest / 3, rw };
			L->output = (struct rect){ ry + L->history.h, aw, rest / 3, rw };
		} else {
			L->history = (struct rect){ ry, aw, rest, rw };
		}
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
	char left[256], right[256], slow[32], tag[40];
	size_t n;
	int tw, rw;

	n = (size_t)snprintf(left, sizeof left, "%s%s%s%s%s", s->name, sep, ls_policy_name(pol), sep,
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
	if ((pol == LS_POLICY_FREE || pol == LS_POLICY_RANDOM) && n < sizeof right) {
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

void
run_view_draw(struct tui *t)
{
	struct run_view *rv = &t->rv;
	struct run_view_layout L;
	enum ls_run_status st;
	enum ls_policy pol;
	const char *keys[24];
	char step_sel[48], step_next[48], variant[48];
	int k = 0, next;

	if (!rv->run) {
		tui_draw_header(t, "no run", NULL);
		tui_draw_footer(t, NULL);
		return;
	}
	st = ls_run_status(rv->run);
	pol = ls_run_policy(rv->run);
	run_view_header(t);
	run_view_layout(rv, &L);
	if (L.has_lesson) {
		struct rect in = draw_box(stdscr, L.lesson, C_BORDER, "Lesson");

		panes_lesson(stdscr, in, rv->s, 0);
	}
	panes_actors(stdscr, L.actors, rv);
	panes_objects(stdscr, L.objects, rv);
	panes_history(stdscr, L.history, rv);
	if (L.has_output)
		panes_output(stdscr, L.output, rv);
	panes_verdict(stdscr, L.verdict, rv);

	next = ls_run_next_pick(rv->run);
	snprintf(step_next, sizeof step_next, "step %s",
	         next >= 0 ? ls_run_actor_names(rv->run)[next] : "");
	snprintf(step_sel, sizeof step_sel, "step %s", rv->sel >= 0 &&
	         rv->sel < ls_run_actor_count(rv->run) ? ls_run_actor_names(rv->run)[rv->sel] : "");
	if (rv->s->toggle_param >= 0) {
		/* Say where 'l' goes: "locked=1". */
		const struct ls_param_desc *p = &rv->s->params[rv->s->toggle_param];
		long v = rv->params[rv->s->toggle_param];

		v = v >= p->max ? p->min : v + 1;
		if (p->choices)
			snprintf(variant, sizeof variant, "%s=%s", p->name, p->choices[v - p->min]);
		else
			snprintf(variant, sizeof variant, "%s=%ld", p->name, v);
	}
	/* The footer drops pairs from the middle when short of room: most useful first. */
	if (run_view_over(st)) {
		keys[k++] = "r"; keys[k++] = "run again";
		if (rv->s->toggle_param >= 0) {
			keys[k++] = "l"; keys[k++] = variant;
		}
		if (ls_run_schedule(rv->run) && ls_run_schedule(rv->run)->len > 0) {
			keys[k++] = "s"; keys[k++] = "save schedule";
		}
	} else if (pol == LS_POLICY_FREE || pol == LS_POLICY_RANDOM) {
		keys[k++] = "p"; keys[k++] = "pause";
		keys[k++] = "space"; keys[k++] = "step";
		keys[k++] = "+/-"; keys[k++] = "slower/faster";
		keys[k++] = "r"; keys[k++] = "reset";
		if (rv->s->toggle_param >= 0) {
			keys[k++] = "l"; keys[k++] = variant;
		}
	} else {
		keys[k++] = "space"; keys[k++] = next >= 0 ? step_next : "step";
		keys[k++] = "Enter"; keys[k++] = step_sel;
		keys[k++] = "g"; keys[k++] = "run free";
		keys[k++] = "j/k"; keys[k++] = "select";
		keys[k++] = "r"; keys[k++] = "reset";
		if (rv->s->toggle_param >= 0) {
			keys[k++] = "l"; keys[k++] = variant;
		}
		keys[k++] = "s"; keys[k++] = "save";
	}
	keys[k++] = "q"; keys[k++] = "back";
	keys[k++] = "?"; keys[k++] = "help";
	keys[k] = NULL;
	tui_draw_footer(t, keys);
}

/* ---- keys ---- */

/* Why a parked actor cannot move: "T2 is blocked on lock 'lock' (held by T1)". */
static void
run_view_blocked_text(const struct ls_model *m, int a, char *buf, size_t len)
{
	const struct ls_model_actor *ac = &m->actors[a];
	const char *what = "its next operation";
	const char *obj = ac->obj >= 0 && ac->obj < m->nobjs ? m->objs[ac->obj].name : "?";
	int owner = ac->obj >= 0 && ac->obj < m->nobjs ? m->objs[ac->obj].owner : -1;

	switch (ac->op) {
	case LS_OP_LOCK:        what = "lock"; break;
	case LS_OP_SEM_ACQUIRE: what = "semaphore"; break;
	case LS_OP_EVENT_WAIT:  what = "event"; break;
	case LS_OP_COND_WAIT:   what = "condition"; break;
	}
	if (ac->op == LS_OP_LOCK && owner >= 0 && owner < m->nactors)
		snprintf(buf, len, "%s is blocked on %s '%s' (held by %s)", ac->name, what, obj,
		         m->actors[owner].name);
	else if (ac->obj >= 0)
		snprintf(buf, len, "%s is blocked on %s '%s'", ac->name, what, obj);
	else
		snprintf(buf, len, "%s cannot proceed", ac->name);
}

/* Free mode has no steps: switch to stepping first.  Returns 1 if it did. */
static int
run_view_pause(struct tui *t)
{
	struct ls_run *r = t->rv.run;

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
	int moved;

	if (!run_view_check_live(t))
		return;
	run_view_pause(t);
	moved = ls_run_step(rv->run, -1);
	ls_run_poll(rv->run, 1);
	if (moved < 0) {
		tui_message(t, C_ERROR, "no actor can move%s",
		            ls_run_status(rv->run) == LS_RUN_DEADLOCK ? ": deadlock" : " yet");
		return;
	}
	/* Follow the actor that moved, so its new state is in view. */
	rv->sel = moved;
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
	ls_run_poll(rv->run, 1);
}

static void
run_view_reset(struct tui *t, const char *why)
{
	struct run_view *rv = &t->rv;

	run_view_free_run(rv);
	if (run_view_start(t) < 0) {
		/* The error is on the message line; the scenario screen can retry. */
		t->screen = TUI_SCENARIO;
		return;
	}
	if (rv->policy == LS_POLICY_RANDOM)
		tui_message(t, C_MESSAGE, "%s (random, seed %llu again)", why,
		            (unsigned long long)rv->seed);
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
	if (rv->policy == LS_POLICY_RANDOM && rv->slowmo > 100)
		tui_message(t, C_MESSAGE, "slow motion: %s (a random run takes a step every %g ms; "
		            "r replays the seed)", buf, rv->slowmo / 10.0);
	else if (rv->policy == LS_POLICY_RANDOM)
		tui_message(t, C_MESSAGE, "slow motion: %s (random runs at full speed)", buf);
	else
		tui_message(t, C_MESSAGE, "slow motion: %s%s", buf,
		            ls_run_policy(rv->run) == LS_POLICY_FREE ? "" : " (when running free)");
}

void
run_view_prompt_done(struct tui *t, const char *text)
{
	struct run_view *rv = &t->rv;
	char err[512];

	if (!rv->run)
		return;
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

void
run_view_key(struct tui *t, int key)
{
	struct run_view *rv = &t->rv;
	int page = LINES / 2;
	char name[300];

	if (!rv->run) {
		t->screen = TUI_SCENARIO;
		return;
	}
	switch (key) {
	case 'q':
	case TUI_ESC:
		if (!run_view_over(ls_run_status(rv->run)))
			tui_message(t, C_DIM, "run stopped: every actor was ended and reaped");
		run_view_free_run(rv);
		t->screen = TUI_SCENARIO;
		break;
	case ' ':
		run_view_step_pick(t);
		break;
	case '\n':
	case '\r':
	case TUI_FN(KEY_ENTER):
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
	case '[':
		rv->history_back += 5;
		break;
	case ']':
		rv->history_back = rv->history_back > 5 ? rv->history_back - 5 : 0;
		break;
	case 'g':
		if (!run_view_check_live(t))
			break;
		ls_run_set_policy(rv->run, LS_POLICY_FREE);
		tui_message(t, C_MESSAGE, "running free: the OS schedules (p pauses)");
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
	case 's':
		if (!ls_run_schedule(rv->run) || ls_run_schedule(rv->run)->len == 0) {
			tui_message(t, C_DIM, "no steps to save yet: a schedule records stepped "
			            "and random picks, not free runs");
			break;
		}
		snprintf(name, sizeof name, "lockstep-%s.schedule", rv->s->name);
		prompt_open(&t->prompt, PROMPT_SAVE, "save schedule to:", name);
		break;
	default:
		tui_message(t, C_DIM, "? lists the keys");
		break;
	}
}
