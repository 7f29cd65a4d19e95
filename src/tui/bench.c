/*
 * bench.c - frame time of the run view, for bench/frame_time: the real
 * layout and panes of a live 100-actor free deposit run, drawn into a
 * terminal whose output goes to /dev/null.  Must never touch the user's
 * terminal, and never run inside the interactive UI.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/params.h"
#include "tui/tui.h"
#include "tui/tui_int.h"

static double
bench_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* A terminal type this system knows, so newterm() has something to drive. */
static SCREEN *
bench_screen(FILE *out, FILE *in)
{
	static const char *const types[] = { "xterm-256color", "xterm", "screen", "vt100" };
	SCREEN *sc;

	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if ((sc = newterm(types[i], out, in)) != NULL)
			return sc;
	return NULL;
}

/* The frames timed: the run polled and fed, the view updated and drawn, n times. */
static double
bench_frames(struct tui *t, int n)
{
	double t0 = bench_now_us();

	for (int i = 0; i < n; i++) {
		ls_run_poll(t->rv.run, 0);
		run_life_feed(&t->rv);
		werase(stdscr);
		run_layout_update(t);
		run_draw(t);
		wnoutrefresh(stdscr);
		doupdate();
	}
	return (bench_now_us() - t0) / (n > 0 ? n : 1);
}

/* A free deposit run of s's defaults on the bench's screen, in its steady state. */
static int
bench_open(struct tui *t, const struct ls_scenario *s, long *params, char *err, size_t errlen)
{
	theme_init();
	ls_params_default(s, params);       /* 100 depositors, 10 ms each */
	t->screen = TUI_RUN;     /* drawn directly: no loop, no enter */
	/* Sleeps 50 times longer, so the run stays live while the frames are timed. */
	t->rv.s = s;
	t->rv.slowmo = 5000;
	if (run_state_open(t, s, params, LS_ACTORS_THREADS, LS_POLICY_FREE) < 0) {
		snprintf(err, errlen, "cannot start the run: %s", t->msg);
		return -1;
	}
	/* Let the actors start and reach their sleeps: the steady state. */
	for (int i = 0; i < 20; i++) {
		ls_run_poll(t->rv.run, 5);
		run_life_feed(&t->rv);
	}
	return 0;
}

double
tui_bench_frames(int n, int cols, int rows, char *err, size_t errlen)
{
	const struct ls_scenario *s = ls_scenario_find("deposit");
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	struct tui *t = calloc(1, sizeof *t);
	long *params = NULL;
	SCREEN *sc = NULL;
	double us = -1;

	if (!s || !out || !in || !t || !(params = calloc((size_t)s->nparams + 1, sizeof *params))) {
		snprintf(err, errlen, "cannot set up the bench (deposit scenario, /dev/null, memory)");
		goto done;
	}
	/* Wide characters are the path worth timing: UTF-8 if the system has it. */
	if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, ""))
		setlocale(LC_ALL, "C");
	if (!(sc = bench_screen(out, in))) {
		snprintf(err, errlen, "no terminal type (xterm, screen, vt100) in terminfo");
		goto done;
	}
	set_term(sc);
	resizeterm(rows, cols);
	if (bench_open(t, s, params, err, errlen) == 0)
		us = bench_frames(t, n);
done:
	if (t)
		run_state_close(t);
	if (sc) {
		endwin();
		delscreen(sc);
	}
	free(params);
	free(t);
	if (out)
		fclose(out);
	if (in)
		fclose(in);
	return us;
}
