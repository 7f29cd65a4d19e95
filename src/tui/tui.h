/*
 * tui.h - the interactive terminal UI, the only code that calls ncurses.
 *
 * main.c calls tui_main() when stdin and stdout are terminals, after it has
 * installed its SIGINT/SIGTERM/SIGHUP handlers (which only record the signal;
 * the UI's loop notices through ls_cleanup_signalled() and leaves cleanly).
 */
#ifndef LS_TUI_H
#define LS_TUI_H

#include <stddef.h>

#include "lockstep/scenario.h"

/*
 * Runs the interactive UI.  start may be NULL (menu) or a scenario to open
 * directly, on its scenario screen, with params (an array of start->nparams
 * longs, already validated; NULL for the defaults) and actors of kind.  With
 * start NULL, kind is ignored: every lesson starts with its own default.
 * With walkthrough set (and start having one), the run view opens on
 * start's first narrated walkthrough instead of a plain stepped run.
 * Returns the process exit code: 0, 128 + signal when a signal stopped it, or
 * 1 with one line in err when the terminal could not be used at all.  A
 * terminal that is merely too small is not an error: the UI says so and
 * waits to be resized.
 */
int tui_main(const struct ls_scenario *start, const long *params,
             enum ls_actor_kind kind, int walkthrough, char *err, size_t errlen);
/*
 * Before tui_main: open start's challenge (0-based; -1: none) instead of a
 * plain stepped run, and/or the run view in presenter mode.
 */
void tui_set_start(int challenge, int presenter);
/* The trace pane opens in predict mode: each step's values hidden until e. */
void tui_set_predict(int on);
/* The stepped run `lockstep open` starts uses these n values (a class
 * size), not the lesson's settings; NULL: the settings. */
void tui_set_run_params(const long *params, int n);

/*
 * For bench/: draw n frames of the run view of a free 100-actor deposit run
 * into a terminal writing to /dev/null, cols x rows; returns microseconds
 * per frame, or -1 with err.  Never touches the user's terminal.
 */
double tui_bench_frames(int n, int cols, int rows, char *err, size_t errlen);

/*
 * For a fatal-signal path: put the terminal back (attributes, cursor, the
 * normal screen) if the UI owns it.  Async-signal-safe: it only calls
 * tcsetattr() and write().  Safe to call when the UI never started.
 */
void tui_emergency_restore(void);

#endif
