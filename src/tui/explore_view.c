/*
 * explore_view.c - the explore view: the scenario run once per interleaving
 * (ls_explore), its distinct outcomes as a histogram, and any outcome's
 * witness schedule opened as a paused replay in the run view.  The search
 * runs in the main loop's thread; its progress hook draws the live counts
 * and reads q, so the screen stays alive and the search stoppable.  Its
 * keys are explore_view_keys[].  Must never drive a run itself: replays go
 * through run_state_open().
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/params.h"
#include "explore/explore.h"
#include "tui/tui_int.h"

#define EXPLORE_FRAME_MS 100    /* progress frames while searching */
#define EXPLORE_MAX_RUNS 20000  /* enough for every lesson's small settings */
#define EXPLORE_OFFER_LOG10 6   /* more interleavings than 10^this: offer a smaller class */
#define EXPLORE_SMALL_COUNT 2   /* actors per role in the smaller class */

/* The footer's modes: the search running, or its outcomes listed. */
enum { EXPLORE_FOOT_LIST, EXPLORE_FOOT_SEARCHING };

static void explore_view_update(struct tui *t);
static void explore_view_draw(struct tui *t);

static double
explore_view_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static const struct ls_scenario *
explore_view_scenario(const struct tui *t)
{
	return ls_scenarios[t->sv.idx];
}

void
explore_view_close(struct tui *t)
{
	if (t->xv.have)
		ls_explore_result_free(&t->xv.res);
	t->xv.have = 0;
	t->xv.sel = 0;
}

/* The progress hook: a frame every EXPLORE_FRAME_MS, and q (or Esc) stops. */
static int
explore_view_progress(void *arg, const struct ls_explore_result *sofar)
{
	struct tui *t = arg;
	double now = explore_view_now_ms();
	int key;

	if (now - t->xv.last_frame < EXPLORE_FRAME_MS)
		return 0;
	t->xv.last_frame = now;
	/* sofar is t->xv.res itself, filled in place: the frame reads it as is. */
	(void)sofar;
	explore_view_update(t);
	werase(stdscr);
	explore_view_draw(t);
	wnoutrefresh(stdscr);
	doupdate();
	while ((key = getch()) != ERR)
		if (key == 'q' || key == TUI_ESC)
			return 1;
	return 0;
}

/*
 * The search's size before it starts: one stepped run counts each actor's
 * steps, and the interleavings of those steps number (S)! / (k1! k2! ...)
 * (before pruning, which the explorer does as it goes).  -1 if the run
 * cannot be made.
 */
static int
explore_view_estimate(struct tui *t)
{
	const struct ls_scenario *s = explore_view_scenario(t);
	struct ls_run_opts o;
	const struct ls_schedule *sc;
	struct ls_run *r;
	char err[256];
	int n, *steps;
	double lg;

	ls_run_opts_default(&o, s);
	o.kind = t->kinds[t->sv.idx];
	/* A controlled run that steps itself to the end (a step run waits for keys). */
	o.policy = LS_POLICY_RANDOM;
	o.seed = 1;
	if (!(r = ls_run_new(s, t->params[t->sv.idx], &o, err, sizeof err)))
		return -1;
	if (ls_run_start(r, err, sizeof err) < 0 || ls_run_finish(r) == LS_RUN_RUNNING ||
	    !(sc = ls_run_schedule(r))) {
		ls_run_free(r);
		return -1;
	}
	n = ls_run_actor_count(r);
	steps = calloc((size_t)(n > 0 ? n : 1), sizeof *steps);
	if (!steps) {
		ls_run_free(r);
		return -1;
	}
	for (size_t i = 0; i < sc->len; i++)
		if (sc->steps[i] >= 0 && sc->steps[i] < n)
			steps[sc->steps[i]]++;
	lg = lgamma((double)sc->len + 1);
	for (int a = 0; a < n; a++)
		lg -= lgamma((double)steps[a] + 1);
	t->xv.log10_schedules = lg / log(10.0);
	t->xv.est_actors = n;
	t->xv.est_steps = (int)sc->len;
	free(steps);
	ls_run_free(r);
	return 0;
}

/* The class made small: each role's count parameter at EXPLORE_SMALL_COUNT. */
static int
explore_view_smaller(const struct tui *t, char *buf, size_t len)
{
	const struct ls_scenario *s = explore_view_scenario(t);
	const long *pv = t->params[t->sv.idx];
	size_t at = 0;
	int any = 0;

	buf[0] = '\0';
	for (int r = 0; r < s->nroles; r++) {
		int p = s->roles[r].count_param;
		long v = EXPLORE_SMALL_COUNT;

		if (p < 0 || p >= s->nparams || pv[p] <= v || strstr(buf, s->params[p].name))
			continue;
		if (v < s->params[p].min)
			v = s->params[p].min;
		at += (size_t)snprintf(buf + at, at < len ? len - at : 0, "%s%s=%ld", any ? " " : "",
		                       s->params[p].name, v);
		any = 1;
	}
	return any;
}

/* y: the smaller class's values into the lesson's settings, and search. */
static void
explore_view_take_smaller(struct tui *t)
{
	const struct ls_scenario *s = explore_view_scenario(t);
	char buf[sizeof t->xv.smaller], why[256], *save = NULL;

	snprintf(buf, sizeof buf, "%s", t->xv.smaller);
	for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		if (ls_params_set(s, t->params[t->sv.idx], tok, why, sizeof why) != 0) {
			tui_message(t, C_ERROR, "%s", why);
			return;
		}
	explore_view_start(t);
}

static void
explore_view_offer_smaller(struct tui *t, int key)
{
	(void)key;
	t->xv.offer = 0;
	explore_view_take_smaller(t);
}

static void
explore_view_offer_anyway(struct tui *t, int key)
{
	(void)key;
	t->xv.offer = 0;
	t->xv.forced = 1;
	explore_view_start(t);
	t->xv.forced = 0;
}

static void
explore_view_offer_back(struct tui *t, int key)
{
	(void)key;
	t->xv.offer = 0;
	explore_view_close(t);
	tui_goto(t, TUI_SCENARIO);
}

/*
 * The offer before a search too big to finish: its three keys, one table
 * that answers them, draws their footer and writes their lines of the
 * offer's text (each .help, after its key).
 */
static const struct tui_key explore_view_offer_keys[] = {
	{ .name = "y", .help = N_("explore a smaller class instead:"),
	  .act = explore_view_offer_smaller, .keys = { 'y' }, .foot = { { 1, N_("smaller class") } } },
	{ .name = "a", .help = N_("search these settings anyway (q stops it)"),
	  .act = explore_view_offer_anyway, .keys = { 'a' }, .foot = { { 2, N_("search anyway") } } },
	{ .name = "n", .help = N_("back to the lesson"),
	  .act = explore_view_offer_back, .keys = { 'n', 'q', TUI_ESC }, .foot = { { 3, N_("back") } } },
	{ .name = NULL }
};

/* While the offer stands, its keys; every other key is left alone. */
static int
explore_view_offer_key(struct tui *t, int key)
{
	const struct tui_key *k;

	if (!t->xv.offer || !(k = keys_find(explore_view_offer_keys, t, key)))
		return 0;
	k->act(t, key);
	return 1;
}

void
explore_view_start(struct tui *t)
{
	const struct ls_scenario *s = explore_view_scenario(t);
	struct ls_explore_opts o;
	char err[256];

	explore_view_close(t);
	tui_goto(t, TUI_EXPLORE);
	t->xv.why[0] = '\0';
	t->xv.offer = 0;
	/* Too big to finish: say so and offer a smaller class before searching. */
	if (!t->xv.forced && explore_view_estimate(t) == 0 &&
	    t->xv.log10_schedules > EXPLORE_OFFER_LOG10) {
		t->xv.offer = 1;
		if (!explore_view_smaller(t, t->xv.smaller, sizeof t->xv.smaller))
			t->xv.smaller[0] = '\0';
		return;
	}
	ls_explore_opts_default(&o, s);
	o.kind = t->kinds[t->sv.idx];
	o.max_runs = EXPLORE_MAX_RUNS;
	o.progress = explore_view_progress;
	o.progress_arg = t;
	t->xv.searching = 1;
	t->xv.last_frame = 0;
	t->xv.started = explore_view_now_ms();
	memset(&t->xv.res, 0, sizeof t->xv.res);
	err[0] = '\0';
	int rc = ls_explore(s, t->params[t->sv.idx], &o, &t->xv.res, err, sizeof err);
	t->xv.searching = 0;
	if (rc != 0) {
		memset(&t->xv.res, 0, sizeof t->xv.res);
		snprintf(t->xv.why, sizeof t->xv.why, "%s", err[0] ? err : "the search failed");
		tui_message(t, C_ERROR, "%s", t->xv.why);
		return;
	}
	t->xv.have = 1;
	if (t->xv.res.interrupted)
		tui_message(t, C_DIM, _("stopped: the outcomes below come from the runs made so far"));
	else if (!t->xv.res.complete)
		tui_message(t, C_DIM, _("stopped after %ld runs: not every schedule was tried"),
		            EXPLORE_MAX_RUNS + 0L);
	t->dirty = 1;
}

/* "balance=1 num=0" for an outcome. */
static void
explore_view_vars(const struct ls_explore_result *res, const struct ls_outcome *oc,
                  char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int v = 0; v < res->nvars && at < len; v++) {
		int n = snprintf(buf + at, len - at, "%s%s=%ld", v ? " " : "", res->var_names[v],
		                 oc->vars[v]);
		if (n < 0)
			break;
		at += (size_t)n;
	}
	if (!res->nvars)
		snprintf(buf, len, "(no shared variables)");
}

/* Enter: the selected outcome's witness as a paused replay. */
static void
explore_view_open_witness(struct tui *t)
{
	const struct ls_scenario *s = explore_view_scenario(t);
	struct ls_schedule *sc;

	if (!t->xv.have || t->xv.sel >= (int)t->xv.res.noutcomes)
		return;
	sc = calloc(1, sizeof *sc);
	if (!sc) {
		tui_message(t, C_ERROR, _("out of memory"));
		return;
	}
	ls_schedule_init(sc);
	const struct ls_schedule *w = &t->xv.res.outcomes[t->xv.sel].witness;
	for (size_t i = 0; i < w->len; i++)
		if (ls_schedule_push(sc, w->steps[i]) != 0) {
			ls_schedule_clear(sc);
			free(sc);
			tui_message(t, C_ERROR, _("out of memory"));
			return;
		}
	/* run_state_open() keeps what is in rv->replay for a replay run. */
	if (t->rv.replay) {
		ls_schedule_clear(t->rv.replay);
		free(t->rv.replay);
	}
	t->rv.replay = sc;
	snprintf(t->rv.replay_path, sizeof t->rv.replay_path, "outcome %d's witness", t->xv.sel + 1);
	t->rv.replay_is_file = 0;
	if (run_state_open(t, s, t->params[t->sv.idx], t->kinds[t->sv.idx], LS_POLICY_REPLAY) == 0) {
		t->run_back = TUI_EXPLORE;
		tui_goto(t, TUI_RUN);
		tui_message(t, C_MESSAGE, _("replaying the witness: space takes its next step, g plays, "
		            "q back to the outcomes"));
	}
}

/* ---- keys ---- */

static void
explore_view_key_back(struct tui *t, int key)
{
	(void)key;
	explore_view_close(t);
	tui_goto(t, TUI_SCENARIO);
}

static void
explore_view_key_move(struct tui *t, int key)
{
	int n = t->xv.have ? (int)t->xv.res.noutcomes : 0;

	if ((key == 'j' || key == TUI_FN(KEY_DOWN)) && t->xv.sel + 1 < n)
		t->xv.sel++;
	else if ((key == 'k' || key == TUI_FN(KEY_UP)) && t->xv.sel > 0)
		t->xv.sel--;
}

static void
explore_view_key_witness(struct tui *t, int key)
{
	(void)key;
	explore_view_open_witness(t);
}

static void
explore_view_key_again(struct tui *t, int key)
{
	(void)key;
	explore_view_start(t);
}

/*
 * While a search runs its progress hook reads q itself (the loop is inside
 * ls_explore); the searching footer says so.
 */
static const struct tui_key explore_view_keys[] = {
	{ .name = "Up/Down j/k", .help = N_("choose an outcome"), .act = explore_view_key_move,
	  .keys = { 'j', TUI_FN(KEY_DOWN), 'k', TUI_FN(KEY_UP) },
	  .foot_key = "j/k", .foot = { [EXPLORE_FOOT_LIST] = { 1, N_("outcome") } } },
	{ .name = "Enter",
	  .help = N_("replay its witness schedule in the run view (space steps, g plays)"),
	  .act = explore_view_key_witness, .keys = { '\n', '\r', TUI_FN(KEY_ENTER) },
	  .foot = { [EXPLORE_FOOT_LIST] = { 2, N_("replay its witness") } } },
	{ .name = "x", .help = N_("explore again"), .act = explore_view_key_again, .keys = { 'x' },
	  .foot = { [EXPLORE_FOOT_LIST] = { 3, N_("again") } } },
	{ .name = "q Esc", .help = N_("stop a search that is running; then back to the lesson"),
	  .act = explore_view_key_back, .keys = { 'q', TUI_ESC }, .foot_key = "q",
	  .foot = { [EXPLORE_FOOT_LIST] = { 4, N_("back") },
	            [EXPLORE_FOOT_SEARCHING] = { 1, N_("stop the search") } } },
	{ .name = "?", .act = keys_help, .keys = { '?', TUI_FN(KEY_F(1)) },
	  .foot = { [EXPLORE_FOOT_LIST] = { 5, N_("help") } } },
	{ .name = NULL }
};

/* ---- the frame ---- */

/* Before a frame: the selection on an outcome there is. */
static void
explore_view_update(struct tui *t)
{
	int n = (int)t->xv.res.noutcomes;

	if (t->xv.sel >= n)
		t->xv.sel = n > 0 ? n - 1 : 0;
}

static int
explore_view_foot_mode(const struct tui *t)
{
	return t->xv.searching ? EXPLORE_FOOT_SEARCHING : EXPLORE_FOOT_LIST;
}

/* The offer's text: why the search is too big, then a line per key of its table. */
static void
explore_view_draw_offer(struct tui *t, struct rect in)
{
	char offer[1000];
	size_t n;

	n = (size_t)snprintf(offer, sizeof offer,
	         "This search is too big to finish: one run here takes %d steps by %d actors, "
	         "and those steps interleave in about 10^%.0f schedules (before pruning "
	         "the equivalent ones, still far too many).\n",
	         t->xv.est_steps, t->xv.est_actors, t->xv.log10_schedules);
	for (const struct tui_key *k = explore_view_offer_keys; k->name && n < sizeof offer; k++) {
		int smaller = k->act == explore_view_offer_smaller;

		if (smaller && !t->xv.smaller[0])
			continue;
		n += (size_t)snprintf(offer + n, sizeof offer - n, "\n%s: %s%s%s", k->name, _(k->help),
		                      smaller ? " " : "", smaller ? t->xv.smaller : "");
	}
	draw_wrap(stdscr, in, 0, C_NORMAL, offer);
	keys_footer(t, explore_view_offer_keys, 0);
}

/*
 * The bars are true proportions: each outcome's count of schedules (the
 * interleavings its runs stand for, counted by the explorer), not the
 * runs it happened to make after pruning and merging.  Whole sentences,
 * wrapped; then the words they use, explained.  Returns the next row.
 */
static int
explore_view_draw_sums(struct tui *t, struct rect in)
{
	const struct ls_explore_result *res = &t->xv.res;
	long runs = ls_explore_executions(res);
	const char *end = t->xv.searching ? "" : res->complete ? "\nevery schedule covered"
	                                                       : "\nstopped before the end";
	char line[512];
	int row;

	/* Past 2^64 schedules the counts say nothing: the bars count runs then. */
	if (res->schedules_saturated)
		snprintf(line, sizeof line, "%ld run%s; more schedules than can be counted, so the "
		         "bars count runs, not schedules%s", runs, runs == 1 ? "" : "s", end);
	else
		snprintf(line, sizeof line, "%ld run%s stand for %llu schedule%s%s%s",
		         runs, runs == 1 ? "" : "s",
		         (unsigned long long)res->schedules, res->schedules == 1 ? "" : "s",
		         res->schedules_exact ? "" : " (about)", end);
	row = in.y + draw_wrap(stdscr, in, 0, C_NORMAL, line);
	row += draw_wrap(stdscr, (struct rect){ row, in.x, in.y + in.h - row, in.w }, 0, C_DIM,
	                 "stand for: schedules that only reorder independent steps must end the "
	                 "same, so one run counts for them all (the rest are pruned). witness: "
	                 "one schedule that gives the outcome (Enter replays it).");
	return row + 1;
}

/* An outcome's two rows: its bar, share, values and verdict; its witness. */
static void
explore_view_draw_outcome(struct tui *t, struct rect in, int row, size_t i, double top,
                          double all)
{
	const struct ls_explore_result *res = &t->xv.res;
	const struct theme_glyphs *g = theme_glyphs();
	const struct ls_outcome *oc = &res->outcomes[i];
	int sel = (int)i == t->xv.sel && !t->xv.searching, barw = in.w / 4;
	double n = res->schedules_saturated ? (double)oc->count : (double)oc->schedules;
	int x = in.x, len = n > 0 ? (int)(n * barw / top + 0.999) : 0;
	char vars[256], witness[256], line[512];

	explore_view_vars(res, oc, vars, sizeof vars);
	x += draw_printf(stdscr, row, x, 2, C_SELECTED, A_BOLD, "%lc",
	                 sel ? (wint_t)g->cursor : (wint_t)' ') + 1;
	for (int k = 0; k < barw; k++)
		draw_printf(stdscr, row, x + k, 1, oc->ok == 0 ? C_VERDICT_BAD : C_VERDICT_OK, 0,
		            "%lc", k < len ? (wint_t)g->tl_run_hold : (wint_t)' ');
	x += barw + 1;
	x += draw_printf(stdscr, row, x, in.x + in.w - x, C_VALUE, A_BOLD, "%5.1f%%  ",
	                 all > 0 ? 100.0 * n / all : 0.0);
	x += draw_text(stdscr, row, x, in.x + in.w - x, sel ? C_SELECTED : C_NORMAL, A_BOLD, vars);
	snprintf(line, sizeof line, "  %s%s%s", oc->ok > 0 ? "as expected" : oc->ok == 0
	         ? "NOT as expected" : "undecided", oc->deadlock ? ", deadlock" : "",
	         oc->raced ? ", data race" : "");
	draw_text(stdscr, row, x, in.x + in.w - x, oc->ok == 0 ? C_VERDICT_BAD : C_DIM, 0, line);
	ls_explore_format_schedule(res, &oc->witness, witness, sizeof witness);
	snprintf(line, sizeof line, "witness: %s", witness);
	draw_text(stdscr, row + 1, in.x + barw + 4, in.w - barw - 4, C_DIM, 0, line);
}

static void
explore_view_draw(struct tui *t)
{
	const struct ls_scenario *s = explore_view_scenario(t);
	const struct ls_explore_result *res = &t->xv.res;
	char head[200], line[512];
	double top = 1, all = 0;
	struct rect in;
	int row;

	snprintf(head, sizeof head, "%s · explore · %s", s->name,
	         t->kinds[t->sv.idx] == LS_ACTORS_PROCESSES ? "processes" : "threads");
	snprintf(line, sizeof line, "%s%ld runs · %.0f ms", t->xv.searching ? "searching… " : "",
	         res->runs, t->xv.searching ? explore_view_now_ms() - t->xv.started
	                                    : res->elapsed_ms);
	tui_draw_header(t, head, t->xv.offer ? "not started: too big" : line);
	in = draw_box(stdscr, (struct rect){ 1, 0, LINES - tui_foot_rows(t) - 1, COLS }, C_BORDER,
	              "Outcomes: every interleaving, grouped by how it ends");
	if (in.h <= 0)
		return;
	if (t->xv.offer) {
		explore_view_draw_offer(t, in);
		return;
	}
	if (!t->xv.have && !t->xv.searching) {
		draw_text(stdscr, in.y, in.x, in.w, C_DIM, 0,
		          t->xv.why[0] ? t->xv.why : "starting the search…");
		keys_footer(t, explore_view_keys, explore_view_foot_mode(t));
		return;
	}
	row = explore_view_draw_sums(t, in);
	for (size_t i = 0; i < res->noutcomes; i++) {
		double n = res->schedules_saturated ? (double)res->outcomes[i].count
		                                    : (double)res->outcomes[i].schedules;
		all += n;
		if (n > top)
			top = n;
	}
	for (size_t i = 0; i < res->noutcomes && row + 1 < in.y + in.h; i++, row += 2)
		explore_view_draw_outcome(t, in, row, i, top, all);
	keys_footer(t, explore_view_keys, explore_view_foot_mode(t));
}

const struct tui_screen explore_view_screen = {
	.help_title = N_("Keys: explore"),
	.keys = explore_view_keys,
	.key = explore_view_offer_key,
	.update = explore_view_update,
	.draw = explore_view_draw,
	.foot_mode = explore_view_foot_mode,
};
