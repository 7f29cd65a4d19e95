/*
 * run_keys.c - the run view's keys, one table (run_keys_table[]) that the
 * dispatcher, the footer and the '?' help all read, as tmux's
 * key-bindings.c: each entry its keys, the help's name and line, the
 * footer's word in each footer mode (stepping, free, a paused replay, the
 * run over, a walkthrough), and the action.  The actions here are the small
 * ones; stepping, the walkthrough, the run's life, schedule files and the
 * mouse have files of their own.  Must never draw.
 */
#include "config.h"

#include <stdio.h>

#include "engine/pymap.h"
#include "lockstep/i18n.h"
#include "python/pyrun.h"
#include "tui/tui_int.h"

/* The footer's modes, most specific first (run_keys_foot_mode). */
enum { RUN_FOOT_STEP, RUN_FOOT_FREE, RUN_FOOT_REPLAY, RUN_FOOT_OVER, RUN_FOOT_WALK };

/* The slow-motion ladder, as ls_run_set_slowmo() percentages. */
static const unsigned run_keys_slowmo_steps[] = {
	10, 25, 50, 100, 200, 500, 1000, 2000, 5000, 10000,
};
#define RUN_KEYS_NSLOWMO (sizeof run_keys_slowmo_steps / sizeof run_keys_slowmo_steps[0])

int
run_keys_foot_mode(const struct tui *t)
{
	const struct run_view *rv = &t->rv;

	if (rv->walk >= 0)
		return RUN_FOOT_WALK;
	if (run_life_over(ls_run_status(rv->run)))
		return RUN_FOOT_OVER;
	if (ls_run_policy(rv->run) == LS_POLICY_REPLAY && rv->paused)
		return RUN_FOOT_REPLAY;
	if (ls_run_policy(rv->run) != LS_POLICY_STEP)
		return RUN_FOOT_FREE;
	return RUN_FOOT_STEP;
}

/* ---- actions ---- */

static void
run_keys_space(struct tui *t, int key)
{
	(void)key;
	run_step_space(t);
}

static void
run_keys_enter(struct tui *t, int key)
{
	(void)key;
	run_step_enter(t);
}

static void
run_keys_select(struct tui *t, int key)
{
	struct run_view *rv = &t->rv;
	int page = LINES / 2, *order = rv->scratch, n = actors_order(rv, order), to = 0;

	/* Up and down go by the rows as the pane shows them: the process tree. */
	while (to < n && order[to] != rv->sel)
		to++;
	switch (key) {
	case 'k':
	case TUI_FN(KEY_UP):    to--; break;
	case 'j':
	case TUI_FN(KEY_DOWN):  to++; break;
	case TUI_FN(KEY_PPAGE): to -= page; break;
	case TUI_FN(KEY_NPAGE): to += page; break;
	case TUI_FN(KEY_HOME):  to = 0; break;
	default:                to = n - 1; break;      /* End */
	}
	if (n > 0)
		rv->sel = order[to < 0 ? 0 : to >= n ? n - 1 : to];
}

static int
run_keys_is_pane(const struct tui *t, int key)
{
	(void)t;
	return panes_by_key(key) >= 0;
}

/* Small screens only: every pane is in view on a big one (presenter mode aside). */
static int
run_keys_tabs_shown(struct tui *t)
{
	if (run_layout_big() && !t->rv.presenter) {
		tui_message(t, C_DIM, _("every pane is in view at this size"));
		return 0;
	}
	return 1;
}

/* Tab: the next pane in the main area. */
static void
run_keys_tab(struct tui *t, int key)
{
	(void)key;
	if (run_keys_tabs_shown(t))
		t->rv.main_pane = run_layout_tab_next(t->rv.main_pane, +1);
}

/* Shift-Tab: the one before. */
static void
run_keys_backtab(struct tui *t, int key)
{
	(void)key;
	if (run_keys_tabs_shown(t))
		t->rv.main_pane = run_layout_tab_next(t->rv.main_pane, -1);
}

/* A pane's number key: that pane. */
static void
run_keys_pane(struct tui *t, int key)
{
	if (run_keys_tabs_shown(t))
		t->rv.main_pane = panes_by_key(key);
}

/* "Tab 1-6": the first and the last number key of the table. */
static void
run_keys_tab_name(char *buf, size_t len)
{
	int first = 0, last = 0;

	for (int p = 0; panes_table[p].pane; p++)
		if (panes_table[p].pane->key) {
			first = first ? first : panes_table[p].pane->key;
			last = panes_table[p].pane->key;
		}
	snprintf(buf, len, "Tab %c-%c", first, last);
}

/* [: the log and the timeline back (fitted to what is kept by the panes' update). */
static void
run_keys_older(struct tui *t, int key)
{
	(void)key;
	t->rv.history_back += 5;
	t->rv.tl_back += 10;
}

/* ]: forward again, stopping at the newest. */
static void
run_keys_newer(struct tui *t, int key)
{
	struct run_view *rv = &t->rv;

	(void)key;
	rv->history_back = rv->history_back > 5 ? rv->history_back - 5 : 0;
	rv->tl_back = rv->tl_back > 10 ? rv->tl_back - 10 : 0;
}

static void
run_keys_go(struct tui *t, int key)
{
	struct run_view *rv = &t->rv;

	(void)key;
	if (!run_step_check_live(t))
		return;
	if (ls_run_policy(rv->run) == LS_POLICY_REPLAY) {
		rv->paused = 0;
		tui_message(t, C_MESSAGE, _("playing the schedule (p pauses, +/- pace it)"));
		return;
	}
	if (rv->walk >= 0) {
		rv->walk = -1;
		tui_message(t, C_MESSAGE, _("left the walkthrough: running free (p pauses)"));
	} else {
		tui_message(t, C_MESSAGE, _("running free: the OS schedules (p pauses)"));
	}
	ls_run_set_policy(rv->run, LS_POLICY_FREE);
}

static void
run_keys_pause(struct tui *t, int key)
{
	(void)key;
	if (!run_step_check_live(t))
		return;
	if (run_step_pause(t))
		tui_message(t, C_MESSAGE, _("paused: space steps the next pick, Enter the selected actor"));
	else
		tui_message(t, C_DIM, _("already stepping: g runs free"));
}

/* One rung of the slow-motion ladder up (dir +1: slower) or down. */
static void
run_keys_slowmo(struct tui *t, int dir)
{
	struct run_view *rv = &t->rv;
	unsigned cur = ls_run_slowmo(rv->run);
	size_t i = 0;
	char buf[32];

	/* The nearest rung, then one up or down. */
	while (i + 1 < RUN_KEYS_NSLOWMO && run_keys_slowmo_steps[i] < cur)
		i++;
	if (dir > 0 && run_keys_slowmo_steps[i] <= cur && i + 1 < RUN_KEYS_NSLOWMO)
		i++;
	else if (dir < 0 && i > 0)
		i--;
	rv->slowmo = run_keys_slowmo_steps[i];
	ls_run_set_slowmo(rv->run, rv->slowmo);
	run_header_slowmo_text(rv->slowmo, buf, sizeof buf);
	if ((rv->policy == LS_POLICY_RANDOM || rv->policy == LS_POLICY_REPLAY) && rv->slowmo > 100)
		tui_message(t, C_MESSAGE, _("slow motion: %s (a step every %g ms)"), buf,
		            rv->slowmo / 10.0);
	else if (rv->policy == LS_POLICY_RANDOM || rv->policy == LS_POLICY_REPLAY)
		tui_message(t, C_MESSAGE, _("slow motion: %s (steps at full speed)"), buf);
	else
		tui_message(t, C_MESSAGE, _("slow motion: %s%s"), buf,
		            ls_run_policy(rv->run) == LS_POLICY_FREE ? "" : _(" (when running free)"));
}

static void
run_keys_slower(struct tui *t, int key)
{
	(void)key;
	run_keys_slowmo(t, +1);
}

static void
run_keys_faster(struct tui *t, int key)
{
	(void)key;
	run_keys_slowmo(t, -1);
}

static void
run_keys_reset(struct tui *t, int key)
{
	(void)key;
	run_state_reset(t, "started again, same parameters");
}

static void
run_keys_toggle(struct tui *t, int key)
{
	(void)key;
	run_state_toggle(t);
}

/* v: the source pane between the Python program and the C that really runs. */
/* A Python program: hold its actors before each line or each instruction. */
static void
run_keys_bytecode(struct tui *t, int key)
{
	int on = ls_pyrun_toggle_bytecode(t->rv.s);

	(void)key;
	if (on < 0)
		tui_message(t, C_ERROR, "%s", _("only a Python program steps by bytecode"));
	else
		tui_message(t, C_MESSAGE, "%s", on ? _("steps: each bytecode instruction (b: lines)")
		                                : _("steps: each line (b: bytecode instructions)"));
}

static int
run_keys_is_program(const struct tui *t, int mode)
{
	(void)mode;
	return ls_pyrun_text(t->rv.s) != NULL;
}

static void
run_keys_source(struct tui *t, int key)
{
	struct run_view *rv = &t->rv;

	(void)key;
	if (!rv->pymap) {
		tui_message(t, C_ERROR, "%s", _("this lesson has no Python program built in"));
		return;
	}
	rv->src_python = !rv->src_python;
	rv->src_c_chosen = !rv->src_python;
	source_free(&rv->src);
	source_load(&rv->src, rv->s->name, rv->src_python);
	rv->src_top = 0;
	tui_message(t, C_MESSAGE, "%s", rv->src_python ? _("source: the Python program (v: the C)")
	                                               : _("source: the C that runs (v: the Python)"));
}

/* E: predict mode off, every value shown. */
static void
run_keys_predict_off(struct tui *t, int key)
{
	struct run_view *rv = &t->rv;

	(void)key;
	rv->revealed = ls_run_model(rv->run)->nhistory;
	rv->predict = 0;
	tui_message(t, C_MESSAGE, "%s", _("predict mode off: the trace shows every value"));
}

/* e: the trace pane's hidden values shown (and predict mode on). */
static void
run_keys_predict(struct tui *t, int key)
{
	struct run_view *rv = &t->rv;

	(void)key;
	rv->revealed = ls_run_model(rv->run)->nhistory;
	if (!rv->predict) {
		rv->predict = 1;
		tui_message(t, C_MESSAGE, "%s",
		            _("predict mode: the trace hides each new step's values; e reveals"));
	} else {
		tui_message(t, C_MESSAGE, "%s", _("revealed: was your guess right?"));
	}
}

static void
run_keys_walk(struct tui *t, int key)
{
	(void)key;
	run_guide_following(t, RUN_GUIDE_WALK);
}

static void
run_keys_quit(struct tui *t, int key)
{
	int live = !run_life_over(ls_run_status(t->rv.run));
	enum tui_screen_id back = t->run_back;

	(void)key;
	t->run_back = TUI_SCENARIO;
	/* Leaving frees the run: every actor ended and reaped. */
	tui_goto(t, back);
	if (live)
		tui_message(t, C_DIM, _("run stopped: every actor was ended and reaped"));
}

/* P: presenter mode, whose PgDn/PgUp (what a clicker sends) step. */
static void
run_keys_presenter(struct tui *t, int key)
{
	(void)key;
	t->rv.presenter = !t->rv.presenter;
	tui_message(t, C_MESSAGE, t->rv.presenter
	            ? "presenter mode: PgDn steps, PgUp steps back, P leaves it"
	            : "presenter mode off: every pane again");
}

/* ---- the footer's words that depend on the run ---- */

static const char *
run_keys_actor(const struct run_view *rv, int a)
{
	return a >= 0 && a < ls_run_actor_count(rv->run) ? ls_run_actor_names(rv->run)[a] : "";
}

static void
run_keys_space_label(const struct tui *t, int mode, char *buf, size_t len)
{
	const struct run_view *rv = &t->rv;
	const struct ls_walkthrough *wt = rv->player.wt;
	int next = run_guide_next(rv);

	if (mode == RUN_FOOT_WALK && wt && rv->player.at < wt->nsteps)
		snprintf(buf, len, _("step %d/%d"), rv->player.at + 1, wt->nsteps);
	else if (mode == RUN_FOOT_WALK)
		snprintf(buf, len, "%s", run_life_over(ls_run_status(rv->run)) ? _("the end") : _("finish"));
	else if (mode == RUN_FOOT_STEP && next < 0)
		snprintf(buf, len, "%s", _("step"));
	else
		snprintf(buf, len, _("step %s"), run_keys_actor(rv, next));
}

static void
run_keys_enter_label(const struct tui *t, int mode, char *buf, size_t len)
{
	(void)mode;
	snprintf(buf, len, _("step %s"), run_keys_actor(&t->rv, t->rv.sel));
}

/* Where 'l' goes: "locked=1". */
static void
run_keys_variant_label(const struct tui *t, int mode, char *buf, size_t len)
{
	const struct run_view *rv = &t->rv;
	const struct ls_param_desc *p = &rv->s->params[rv->s->toggle_param];
	long v = rv->params[rv->s->toggle_param];

	(void)mode;
	v = v >= p->max ? p->min : v + 1;
	if (p->choices)
		snprintf(buf, len, "%s=%s", p->name, p->choices[v - p->min]);
	else
		snprintf(buf, len, "%s=%ld", p->name, v);
}

static int
run_keys_tabbed(const struct tui *t, int mode)
{
	(void)mode;
	return !run_layout_big() || t->rv.presenter;
}

static int
run_keys_has_variant(const struct tui *t, int mode)
{
	(void)mode;
	return t->rv.s->toggle_param >= 0 && t->rv.challenge < 0;
}

static int
run_keys_has_walk(const struct tui *t, int mode)
{
	return t->rv.s->nwalkthroughs > (mode == RUN_FOOT_WALK ? 1 : 0);
}

static int
run_keys_has_challenge(const struct tui *t, int mode)
{
	(void)mode;
	return t->rv.s->nchallenges > 0;
}

/* c opens the next challenge. */
static void
run_keys_challenge(struct tui *t, int key)
{
	(void)key;
	run_guide_following(t, RUN_GUIDE_CHALLENGE);
}

/* x asks the explorer about the challenge shown. */
static void
run_keys_prove(struct tui *t, int key)
{
	(void)key;
	run_guide_prove(t);
}

/* t: the selected actor to a line; T: all of them. */
static void
run_keys_line_one(struct tui *t, int key)
{
	(void)key;
	run_step_ask_line(t, 0);
}

static void
run_keys_line_all(struct tui *t, int key)
{
	(void)key;
	run_step_ask_line(t, 1);
}

static int
run_keys_has_steps(const struct tui *t, int mode)
{
	const struct ls_schedule *sc = ls_run_schedule(t->rv.run);

	return mode != RUN_FOOT_OVER || (sc && sc->len > 0);
}

/* ---- the table ---- */

#define STEP RUN_FOOT_STEP
#define FREE RUN_FOOT_FREE
#define REPLAY RUN_FOOT_REPLAY
#define OVER RUN_FOOT_OVER
#define WALK RUN_FOOT_WALK

/*
 * In the help's order: one line each at 80 columns, so the whole list fits
 * a 24-row terminal.  The footer drops pairs from its middle when short of
 * room, so each mode ranks the most useful first and q, ? last.
 */
const struct tui_key run_keys_table[] = {
	{ .name = "space", .help = N_("step the marked actor (walkthrough: the next step)"),
	  .act = run_keys_space, .keys = { ' ' }, .foot_label = run_keys_space_label,
	  .foot = { [STEP] = { 1, NULL }, [FREE] = { 2, N_("step") }, [REPLAY] = { 1, NULL },
	            [WALK] = { 1, NULL } } },
	{ .name = "Enter", .help = N_("step the selected actor (refused if it is blocked)"),
	  .act = run_keys_enter, .keys = { '\n', '\r', TUI_FN(KEY_ENTER) },
	  .foot_label = run_keys_enter_label, .foot = { [STEP] = { 2, NULL } } },
	{ .name = "u", .help = N_("step back: the run as it was one step ago"),
	  .act = run_back_step, .keys = { 'u' },
	  .foot = { [STEP] = { 3, N_("back") }, [OVER] = { 2, N_("step back") }, [WALK] = { 2, N_("back") } } },
	{ .name = "Up/Down j/k", .help = N_("select an actor (or click it); PgUp/PgDn/Home/End"),
	  .act = run_keys_select,
	  .keys = { 'k', TUI_FN(KEY_UP), 'j', TUI_FN(KEY_DOWN), TUI_FN(KEY_PPAGE),
	            TUI_FN(KEY_NPAGE), TUI_FN(KEY_HOME), TUI_FN(KEY_END) },
	  .foot_key = "j/k", .foot = { [STEP] = { 5, N_("select") } } },
	{ .name = "Tab", .name_fn = run_keys_tab_name,
	  .help = N_("small screens: the pane shown (Shift-Tab: back)"),
	  .act = run_keys_tab, .keys = { '\t' }, .foot_if = run_keys_tabbed,
	  .foot = { [STEP] = { 4, N_("pane") }, [FREE] = { 4, N_("pane") }, [REPLAY] = { 4, N_("pane") },
	            [OVER] = { 4, N_("pane") }, [WALK] = { 4, N_("pane") } } },
	{ .name = "Shift-Tab", .act = run_keys_backtab, .keys = { TUI_FN(KEY_BTAB) } },
	{ .name = "1-9", .act = run_keys_pane, .match = run_keys_is_pane },  /* in the line above */
	{ .name = "g", .help = N_("run free: the OS schedules (a replay: play it)"),
	  .act = run_keys_go, .keys = { 'g' },
	  .foot = { [STEP] = { 3, N_("run free") }, [REPLAY] = { 2, N_("play") },
	            [WALK] = { 5, N_("run free") } } },
	{ .name = "p", .help = N_("pause: back to stepping"), .act = run_keys_pause, .keys = { 'p' },
	  .foot = { [FREE] = { 1, N_("pause") } } },
	{ .name = "+ -", .help = N_("slower / faster (free sleeps, paced random/replay)"),
	  .act = run_keys_slower, .keys = { '+', '=' },
	  .foot_key = "+/-", .foot = { [FREE] = { 3, N_("slower/faster") } } },
	{ .name = "-", .act = run_keys_faster, .keys = { '-', '_' } },     /* in the line above */
	{ .name = "r", .help = N_("reset: same parameters, policy, seed, schedule"),
	  .act = run_keys_reset, .keys = { 'r' },
	  .foot = { [STEP] = { 7, N_("reset") }, [FREE] = { 5, N_("reset") },
	            [REPLAY] = { 3, N_("replay again") }, [OVER] = { 1, N_("run again") },
	            [WALK] = { 3, N_("again") } } },
	{ .name = "l", .help = N_("toggle the variant (e.g. locked) and reset"),
	  .act = run_keys_toggle, .keys = { 'l' },
	  .foot_if = run_keys_has_variant, .foot_label = run_keys_variant_label,
	  .foot = { [STEP] = { 8, NULL }, [FREE] = { 6, NULL }, [OVER] = { 2, NULL } } },
	{ .name = "w", .help = N_("narrated walkthrough; again for the next one"),
	  .act = run_keys_walk, .keys = { 'w' }, .foot_if = run_keys_has_walk,
	  .foot = { [STEP] = { 6, N_("walkthrough") }, [OVER] = { 3, N_("walkthrough") },
	            [WALK] = { 2, N_("next walkthrough") } } },
	{ .name = "c x", .help = N_("challenge: a goal to reach; x asks the explorer"),
	  .act = run_keys_challenge, .keys = { 'c' }, .foot_if = run_keys_has_challenge,
	  .foot_key = "c", .foot = { [STEP] = { 6, N_("challenge") }, [OVER] = { 3, N_("challenge") } } },
	{ .name = "x", .act = run_keys_prove, .keys = { 'x' } },          /* in the line above */
	{ .name = "v e E", .help = "source: Python / C; trace: predict, e reveals, E off",
	  .act = run_keys_source, .keys = { 'v' }, .spare = 1 },
	{ .name = "e", .act = run_keys_predict, .keys = { 'e' } },        /* in the line above */
	{ .name = "E", .act = run_keys_predict_off, .keys = { 'E' } },
	{ .name = "b", .help = N_("a Python program: step by line / by bytecode instruction"),
	  .act = run_keys_bytecode, .keys = { 'b' }, .spare = 1, .foot_if = run_keys_is_program,
	  .foot = { [STEP] = { 8, N_("bytecode") } } },
	{ .name = "t T", .help = "run the selected actor (T: all) to a source line",
	  .act = run_keys_line_one, .keys = { 't' } },
	{ .name = "T", .act = run_keys_line_all, .keys = { 'T' } },       /* in the line above */
	{ .name = "P", .help = N_("presenter: big story, few panes, PgDn/PgUp step"),
	  .act = run_keys_presenter, .keys = { 'P' } },
	{ .name = "s", .help = N_("save the schedule so far (for o, lockstep run)"),
	  .act = run_files_ask_save, .keys = { 's' }, .foot_if = run_keys_has_steps,
	  .foot = { [STEP] = { 9, N_("save") }, [OVER] = { 5, N_("save schedule") } } },
	{ .name = "o", .help = N_("load a schedule file and replay it, step by step"),
	  .act = run_files_ask_load, .keys = { 'o' }, .foot = { [OVER] = { 6, N_("load schedule") } } },
	{ .name = "[ ]", .help = N_("scroll the log and the timeline back / forward"),
	  .act = run_keys_older, .keys = { '[' } },
	{ .name = "]", .act = run_keys_newer, .keys = { ']' } },          /* in the line above */
	{ .name = "q Esc", .help = N_("stop the run (actors ended and reaped), go back"),
	  .act = run_keys_quit, .keys = { 'q', TUI_ESC }, .foot_key = "q",
	  .foot = { [STEP] = { 10, N_("back") }, [FREE] = { 10, N_("back") }, [REPLAY] = { 10, N_("back") },
	            [OVER] = { 10, N_("back") }, [WALK] = { 10, N_("leave") } } },
	/* A signal, not a key: main.c's handler records it, the loop leaves. */
	{ .name = "Ctrl-C", .help = N_("quit lockstep at once, cleaning up")},
	{ .name = "? F1", .help = N_("this help"), .act = keys_help, .keys = { '?', TUI_FN(KEY_F(1)) },
	  .foot_key = "?",
	  .foot = { [STEP] = { 99, N_("help") }, [FREE] = { 99, N_("help") }, [REPLAY] = { 99, N_("help") },
	            [OVER] = { 99, N_("help") }, [WALK] = { 99, N_("help") } } },
	{ .name = "click", .act = run_mouse_click, .keys = { TUI_FN(KEY_MOUSE) } },
	{ .name = NULL }
};
