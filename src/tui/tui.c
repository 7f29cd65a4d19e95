/*
 * tui.c - the UI's entry point, its main loop and the one function that
 * gives the terminal back.  The loop reads a key (waiting at most a tick),
 * lets the screen act on it, advances the run, and draws a frame when
 * something changed.  Signals arrive as a flag (main.c's handlers only
 * record them) and are acted on here.  Must never print to stdout or stderr
 * while ncurses owns the terminal, and never call ncurses from a signal
 * handler: tui_emergency_restore() uses only tcsetattr() and write().
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "engine/cleanup.h"
#include "python/pyrun.h"
#include "tui/tui.h"
#include "tui/tui_int.h"

#define TUI_TICK_MS    30    /* longest wait for a key: the run is polled this often */
#define TUI_FRAME_MS   40    /* at most 25 frames a second */
#define TUI_NOKEY      (-1)

/* What tui_emergency_restore() needs, prepared while it was safe to. */
static volatile sig_atomic_t tui_active;
static struct termios tui_saved_tio;
static int tui_saved_tio_ok;
static char tui_reset_seq[256];
static size_t tui_reset_len;
static SCREEN *tui_term;
static int tui_mouse;

/* Append a terminfo string capability to the emergency sequence. */
static void
tui_keep_cap(const char *name)
{
	char *s = tigetstr(name);
	size_t n;

	if (!s || s == (char *)-1)
		return;
	n = strlen(s);
	if (tui_reset_len + n < sizeof tui_reset_seq) {
		memcpy(tui_reset_seq + tui_reset_len, s, n);
		tui_reset_len += n;
	}
}

/* The run's long waits give up when this says a key is waiting (q must work
 * while an actor does not answer).  Reading nothing: the loop reads it. */
static int
tui_key_waiting(void *arg)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };

	(void)arg;
	return poll(&p, 1, 0) > 0;
}

static int
tui_start(char *err, size_t errlen)
{
	const char *term = getenv("TERM");

	tui_saved_tio_ok = tcgetattr(STDIN_FILENO, &tui_saved_tio) == 0;
	/* newterm, unlike initscr, returns instead of exiting on a bad TERM. */
	fflush(stdout);
	tui_term = newterm(NULL, stdout, stdin);
	if (!tui_term) {
		snprintf(err, errlen, "cannot drive the terminal (TERM=%s): "
		         "set TERM to a terminal type this system knows, or use a "
		         "command such as 'lockstep run deposit'", term ? term : "unset");
		return -1;
	}
	set_term(tui_term);
	tui_reset_len = 0;
	tui_keep_cap("sgr0");
	tui_keep_cap("cnorm");
	tui_keep_cap("rmkx");
	tui_keep_cap("rmcup");
	tui_active = 1;
	cbreak();     /* not raw(): Ctrl-C must reach main.c's SIGINT handler */
	noecho();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	timeout(TUI_TICK_MS);
	/* Clicks select actors; no motion events, which would flood the loop. */
	if (mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL) != 0) {
		mouseinterval(0);
		tui_mouse = 1;
	}
	theme_init();
	ls_run_set_interrupt(tui_key_waiting, NULL);
	return 0;
}

/* The one way back to a normal terminal; every exit path goes through it. */
static void
tui_restore(void)
{
	if (!tui_active)
		return;
	ls_run_set_interrupt(NULL, NULL);
	curs_set(1);
	endwin();
	tui_active = 0;
	delscreen(tui_term);
	tui_term = NULL;
	fflush(stdout);
}

void
tui_emergency_restore(void)
{
	int saved = errno;

	if (!tui_active)
		return;
	tui_active = 0;
	if (tui_reset_len > 0 && write(STDOUT_FILENO, tui_reset_seq, tui_reset_len) < 0) {
		/* Nothing more can be done from a dying process. */
	}
	/* xterm mouse reporting off, in both encodings ncurses may have asked for. */
	if (tui_mouse && write(STDOUT_FILENO, "\033[?1000l\033[?1006l", 16) < 0) {
		/* As above. */
	}
	if (tui_saved_tio_ok)
		tcsetattr(STDIN_FILENO, TCSANOW, &tui_saved_tio);
	errno = saved;
}

static void
tui_draw_too_small(void)
{
	char line[96];

	snprintf(line, sizeof line, "terminal too small: need %dx%d, have %dx%d",
	         TUI_MIN_COLS, TUI_MIN_ROWS, COLS, LINES);
	draw_centered(stdscr, LINES / 2 - 1, C_ERROR, line);
	draw_centered(stdscr, LINES / 2 + 1, C_DIM, "resize it, or press q to quit");
}

static int
tui_too_small(void)
{
	return COLS < TUI_MIN_COLS || LINES < TUI_MIN_ROWS;
}

static void
tui_draw(struct tui *t)
{
	werase(stdscr);
	if (tui_too_small()) {
		tui_draw_too_small();
		curs_set(0);
	} else {
		tui_current(t)->draw(t);
		if (t->help)
			help_draw(t);
		else if (t->glossary)
			glossary_draw(t);
		curs_set(t->prompt.active ? 1 : 0);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

static int
tui_read_key(void)
{
	wint_t wc;
	int r = get_wch(&wc);

	if (r == ERR)
		return TUI_NOKEY;
	if (r == KEY_CODE_YES)
		return TUI_FN((int)wc);
	return (int)wc;
}

static void
tui_dispatch(struct tui *t, int key)
{
	const struct tui_screen *sc;
	const struct tui_key *k;

	/* A new action: what it says may follow it onto the next screen. */
	t->action++;
	if (tui_too_small()) {
		/* Nothing to aim at on a screen that is not shown. */
		if (key == 'q')
			t->quit = 1;
		return;
	}
	if (t->prompt.active) {
		enum prompt_result pr = prompt_key(&t->prompt, key);
		char text[1024];

		if (pr == PROMPT_DONE) {
			prompt_text(&t->prompt, text, sizeof text);
			if (t->prompt.purpose == PROMPT_PARAM)
				scenario_view_prompt_done(t, text);
			else
				run_files_prompt_done(t, t->prompt.purpose, text);
		} else if (pr == PROMPT_CANCEL) {
			tui_message(t, C_DIM, _("cancelled"));
		}
		return;
	}
	if (t->help) {
		t->help = 0;
		return;
	}
	if (t->glossary) {
		glossary_key(t, key);
		return;
	}
	sc = tui_current(t);
	if (sc->key && sc->key(t, key))
		return;
	if ((k = keys_find(sc->keys, t, key)) != NULL) {
		k->act(t, key);
		return;
	}
	if (key == TUI_FN(KEY_MOUSE)) {
		MEVENT ev;

		/* A click no pane answers is not a key. */
		getmouse(&ev);
		return;
	}
	if (sc->unbound)
		tui_message(t, C_DIM, "%s", sc->unbound);
}

static int
tui_loop(struct tui *t)
{
	double last_draw = 0;

	t->dirty = 1;
	for (;;) {
		int sig = ls_cleanup_signalled();
		int key;
		double now;

		if (sig)
			return 128 + sig;
		if (t->quit)
			return 0;
		key = tui_read_key();
		if (key == TUI_FN(KEY_RESIZE)) {
			/* ncurses has already resized stdscr; repaint everything. */
			clearok(curscr, TRUE);
			t->dirty = 1;
		} else if (key != TUI_NOKEY) {
			tui_dispatch(t, key);
			t->dirty = 1;
		}
		if (tui_current(t)->tick && tui_current(t)->tick(t))
			t->dirty = 1;
		now = tui_now_ms();
		if (t->msg[0] && now >= t->msg_until) {
			t->msg[0] = '\0';
			t->dirty = 1;
		}
		if (tui_current(t)->live && tui_current(t)->live(t))
			t->dirty = 1;
		/* A key is answered at once; the run's news waits for the next frame. */
		if (t->dirty && (key != TUI_NOKEY || now - last_draw >= TUI_FRAME_MS)) {
			/* Scroll and selection fit the screen here, so drawing only reads. */
			if (!tui_too_small() && tui_current(t)->update)
				tui_current(t)->update(t);
			tui_draw(t);
			last_draw = now;
			t->dirty = 0;
		}
	}
}

/* Every screen, by its id: the loop and the dispatcher know no other. */
static const struct tui_screen *const tui_screens[TUI__SCREENS] = {
	[TUI_MENU] = &menu_screen,
	[TUI_SCENARIO] = &scenario_view_screen,
	[TUI_RUN] = &run_view_screen,
	[TUI_EXPLORE] = &explore_view_screen,
};

static int
tui_app_init(struct tui *t, const struct ls_scenario *start, const long *params,
             enum ls_actor_kind kind, char *err, size_t errlen)
{
	memset(t, 0, sizeof *t);
	t->screens = tui_screens;
	t->run_back = TUI_SCENARIO;
	while (ls_scenarios[t->nscen])
		t->nscen++;
	t->params = calloc((size_t)t->nscen + 1, sizeof *t->params);
	t->kinds = calloc((size_t)t->nscen + 1, sizeof *t->kinds);
	if (!t->params || !t->kinds)
		goto nomem;
	for (int i = 0; i < t->nscen; i++) {
		const struct ls_scenario *s = ls_scenarios[i];

		t->params[i] = calloc((size_t)s->nparams + 1, sizeof **t->params);
		if (!t->params[i])
			goto nomem;
		for (int k = 0; k < s->nparams; k++)
			t->params[i][k] = s == start && params ? params[k] : s->params[k].def;
		t->kinds[i] = s == start ? kind : s->kind;
	}
	return 0;
nomem:
	snprintf(err, errlen, "out of memory starting the interface");
	return -1;
}

static void
tui_app_free(struct tui *t)
{
	for (int i = 0; t->params && i < t->nscen; i++)
		free(t->params[i]);
	free(t->params);
	free(t->kinds);
	t->params = NULL;
	t->kinds = NULL;
}

/* What `lockstep open` asked for beyond tui_main's arguments (tui_set_start). */
static int tui_start_challenge = -1;
static int tui_start_presenter;
static int tui_start_predict;

void
tui_set_predict(int on)
{
	tui_start_predict = on;
}

static long tui_start_run[LS_PARAMS_MAX];
static int tui_start_has_run;

void
tui_set_run_params(const long *params, int n)
{
	tui_start_has_run = params != NULL;
	if (params)
		memcpy(tui_start_run, params,
		       sizeof(long) * (size_t)(n < LS_PARAMS_MAX ? n : LS_PARAMS_MAX));
}

void
tui_set_start(int challenge, int presenter)
{
	tui_start_challenge = challenge;
	tui_start_presenter = presenter;
}

/*
 * `lockstep open NAME`: straight to a stepped run (or the walkthrough, or a
 * challenge), the lesson i's scenario screen under it, so q goes back to it
 * and then the menu.
 */
static void
tui_open_start(struct tui *t, int i, int walkthrough)
{
	const struct ls_scenario *start = ls_scenarios[i];
	long *vals;
	int rc;

	t->menu_sel = i;
	scenario_view_open(t, i);
	t->rv.presenter = tui_start_presenter;
	if (tui_start_challenge >= 0 && start->nchallenges > 0)
		rc = run_guide_open(t, RUN_GUIDE_CHALLENGE, start, t->params[i], t->kinds[i],
		                    tui_start_challenge);
	else if (walkthrough && start->nwalkthroughs > 0)
		rc = run_guide_open(t, RUN_GUIDE_WALK, start, t->params[i], t->kinds[i], 0);
	else if (tui_start_has_run && (vals = malloc(sizeof tui_start_run))) {
		/* Its own values, kept where a walkthrough keeps its own:
		 * q leaves for the lesson's settings, as given. */
		memcpy(vals, tui_start_run, sizeof tui_start_run);
		free(t->rv.walk_params);
		t->rv.walk_params = vals;
		rc = run_state_open(t, start, vals, t->kinds[i], LS_POLICY_STEP);
		t->rv.app_params = t->params[i];
	} else {
		rc = run_state_open(t, start, t->params[i], t->kinds[i], LS_POLICY_STEP);
	}
	if (rc == 0) {
		t->rv.predict = tui_start_predict;
		t->rv.revealed = 0;
		tui_goto(t, TUI_RUN);
	}
}

/* `lockstep open PROGRAM.py`: its stepped run, and q leaves lockstep. */
static void
tui_open_program(struct tui *t, const struct ls_scenario *start, const long *params)
{
	static long vals[LS_PARAMS_MAX];

	memcpy(vals, tui_start_has_run ? tui_start_run : params, sizeof vals);
	if (run_state_open(t, start, vals, LS_ACTORS_PROCESSES, LS_POLICY_STEP) == 0) {
		tui_goto(t, TUI_RUN);
		t->program = 1;
	} else {
		t->quit = 1;
	}
}

int
tui_main(const struct ls_scenario *start, const long *params,
         enum ls_actor_kind kind, int walkthrough, char *err, size_t errlen)
{
	struct tui t;
	int code;

	if (err && errlen)
		err[0] = '\0';
	setlocale(LC_ALL, "");
	if (tui_app_init(&t, start, params, kind, err, errlen) < 0) {
		tui_app_free(&t);
		return 1;
	}
	if (tui_start(err, errlen) < 0) {
		tui_app_free(&t);
		return 1;
	}
	t.screen = TUI_MENU;
	for (int i = 0; start && i < t.nscen; i++)
		if (ls_scenarios[i] == start)
			tui_open_start(&t, i, walkthrough);
	if (start && t.screen == TUI_MENU && ls_pyrun_text(start))
		tui_open_program(&t, start, params);
	code = tui_loop(&t);
	/*
	 * The terminal first: freeing the run joins threads and reaps children,
	 * and whatever happens there the user should have a usable shell.
	 */
	tui_restore();
	run_state_close(&t);
	explore_view_close(&t);
	tui_app_free(&t);
	if (code > 128 && err && errlen)
		snprintf(err, errlen, "stopped by %s; the run was ended and cleaned up",
		         ls_cleanup_signal_name(code - 128));
	return code;
}
