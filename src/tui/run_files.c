/*
 * run_files.c - schedules on disk from the run view: 's' saves the picks so
 * far, 'o' loads a file and replays it against this run's actors.  Both ask
 * for a file name on the message row (prompt.c) and act when it is typed.
 * Must never draw.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tui/tui_int.h"

void
run_files_ask_save(struct tui *t, int key)
{
	struct run_view *rv = &t->rv;
	char name[300];

	(void)key;
	if (!ls_run_schedule(rv->run) || ls_run_schedule(rv->run)->len == 0) {
		tui_message(t, C_DIM, _("no steps to save yet: a schedule records stepped "
		            "and random picks, not free runs"));
		return;
	}
	snprintf(name, sizeof name, "lockstep-%s.schedule", rv->s->name);
	prompt_open(&t->prompt, PROMPT_SAVE, "save schedule to:", name);
}

void
run_files_ask_load(struct tui *t, int key)
{
	struct run_view *rv = &t->rv;
	char name[300];

	(void)key;
	/* The schedule just saved, else the file replayed: a witness is no file. */
	if (rv->saved_path[0])
		snprintf(name, sizeof name, "%s", rv->saved_path);
	else if (rv->replay_path[0] && rv->replay_is_file)
		snprintf(name, sizeof name, "%s", rv->replay_path);
	else
		snprintf(name, sizeof name, "lockstep-%s.schedule", rv->s->name);
	prompt_open(&t->prompt, PROMPT_LOAD, "replay schedule from:", name);
}

/* Replay the schedule file at path against this run's actors. */
static void
run_files_load(struct tui *t, const char *path)
{
	struct run_view *rv = &t->rv;
	struct ls_schedule *sc;
	char err[512], why[400];

	if (!*path) {
		tui_message(t, C_DIM, _("nothing loaded: no file name"));
		return;
	}
	sc = calloc(1, sizeof *sc);
	if (!sc) {
		tui_message(t, C_ERROR, _("out of memory"));
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
	rv->replay_is_file = 1;
	rv->policy = LS_POLICY_REPLAY;
	rv->walk = -1;     /* the walkthrough's parameters stay: the names fit them */
	snprintf(why, sizeof why, "loaded %zu steps", sc->len);
	run_state_reset(t, why);
}

static void
run_files_save(struct tui *t, const char *path)
{
	struct run_view *rv = &t->rv;
	char err[512];

	if (!*path) {
		tui_message(t, C_DIM, _("not saved: no file name"));
		return;
	}
	err[0] = '\0';
	if (ls_run_save_schedule(rv->run, path, err, sizeof err) < 0)
		tui_message(t, C_ERROR, "%s", err[0] ? err : "cannot save the schedule");
	else {
		snprintf(rv->saved_path, sizeof rv->saved_path, "%s", path);
		tui_message(t, C_MESSAGE, _("saved %zu steps to %s"), ls_run_schedule(rv->run)->len, path);
	}
}

void
run_files_prompt_done(struct tui *t, int purpose, const char *text)
{
	if (!t->rv.run)
		return;
	if (purpose == PROMPT_LINE)
		run_step_line_done(t, text);
	else if (purpose == PROMPT_LOAD)
		run_files_load(t, text);
	else
		run_files_save(t, text);
}
