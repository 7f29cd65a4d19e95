/*
 * challenge.c - playing, grading and proving a scenario's challenges (see
 * challenge.h).  A challenge is data in the scenario's file; this is the one
 * place that reads it as a goal: its parameter line, its tests after every
 * step, its verdict on a schedule file.  Must never draw anything or know
 * about a terminal, and never decide a goal on anything but the model.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/challenge.h"
#include "engine/params.h"
#include "explore/explore.h"

#define CHALLENGE_PARAMS_MAX 64
#define CHALLENGE_GRADE_MS 60000    /* a replay that takes longer is stuck */
#define CHALLENGE_MAX_STEPS 100000

static double
challenge_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int
ls_challenge_params(const struct ls_scenario *s, int which, long *out, char *err, size_t len)
{
	const struct ls_challenge *c;

	if (!s->challenges || which < 0 || which >= s->nchallenges) {
		if (s->nchallenges > 0)
			snprintf(err, len, "%s has no challenge %d (it has 1..%d)", s->name, which + 1,
			         s->nchallenges);
		else
			snprintf(err, len, "%s has no challenges", s->name);
		return -1;
	}
	c = &s->challenges[which];
	return ls_params_line(s, c->params, "challenge", c->title, out, err, len);
}

int
ls_challenge_init(struct ls_challenge_play *p, const struct ls_scenario *s, int which)
{
	memset(p, 0, sizeof *p);
	p->which = -1;
	ls_schedule_init(&p->win);
	if (!s || !s->challenges || which < 0 || which >= s->nchallenges)
		return -1;
	p->s = s;
	p->c = &s->challenges[which];
	p->which = which;
	return 0;
}

void
ls_challenge_restart(struct ls_challenge_play *p)
{
	ls_schedule_clear(&p->win);
	ls_schedule_init(&p->win);
	p->state = LS_CHALLENGE_OPEN;
	p->steps = 0;
}

void
ls_challenge_clear(struct ls_challenge_play *p)
{
	ls_schedule_clear(&p->win);
	memset(p, 0, sizeof *p);
	p->which = -1;
	ls_schedule_init(&p->win);
}

enum ls_challenge_state
ls_challenge_update(struct ls_challenge_play *p, const struct ls_run *r, int *changed)
{
	const struct ls_model *m = ls_run_model(r);
	const struct ls_schedule *sc = ls_run_schedule(r);
	const long *params = ls_run_params(r);
	enum ls_run_status st = ls_run_status(r);

	if (changed)
		*changed = 0;
	if (!p->c || p->state != LS_CHALLENGE_OPEN)
		return p->c ? p->state : LS_CHALLENGE_OPEN;
	if (p->c->met(m, params)) {
		ls_schedule_clear(&p->win);
		ls_schedule_init(&p->win);
		for (size_t i = 0; sc && i < sc->len; i++)
			if (ls_schedule_push(&p->win, sc->steps[i]) != 0)
				break;
		p->state = LS_CHALLENGE_MET;
	} else if ((p->c->lost && p->c->lost(m, params)) ||
	           (st != LS_RUN_READY && st != LS_RUN_RUNNING)) {
		p->state = LS_CHALLENGE_LOST;
	} else {
		return p->state;
	}
	p->steps = sc ? sc->len : 0;
	if (changed)
		*changed = 1;
	return p->state;
}

const char *
ls_challenge_state_name(enum ls_challenge_state st)
{
	switch (st) {
	case LS_CHALLENGE_MET:  return "met";
	case LS_CHALLENGE_LOST: return "lost";
	default:                return "open";
	}
}

/* Replay sched under the challenge; 0 met, 1 not, 2 bad input. */
/* The grade in words: 0 met, 1 not met, 2 the schedule does not fit. */
static int
challenge_grade_say(const struct ls_scenario *s, int which, const struct ls_challenge_play *play,
                    struct ls_run *r, int steps, char *msg, size_t len)
{
	if (ls_run_status(r) == LS_RUN_DIVERGED) {
		snprintf(msg, len, "the schedule does not fit challenge %d of %s: %s", which + 1,
		         s->name, ls_run_reason(r));
		return 2;
	}
	if (play->state == LS_CHALLENGE_MET) {
		snprintf(msg, len, "met: %s (after %zu step%s)", play->c->title, play->steps,
		         play->steps == 1 ? "" : "s");
		return 0;
	}
	if (play->state == LS_CHALLENGE_OPEN && ls_run_status(r) == LS_RUN_RUNNING)
		snprintf(msg, len, "not met: %s (the run did not end within %d steps)", play->c->title,
		         steps);
	else if (ls_run_status(r) == LS_RUN_RUNNING)
		snprintf(msg, len, "not met: %s (after %zu steps it could not be met any more)",
		         play->c->title, play->steps);
	else
		snprintf(msg, len, "not met: %s (the run %s after %zu steps)", play->c->title,
		         ls_run_status(r) == LS_RUN_DEADLOCK ? "deadlocked" : "ended",
		         ls_run_schedule(r)->len);
	return 1;
}

static int
challenge_grade_run(const struct ls_scenario *s, int which, const long *params,
                    const struct ls_schedule *sched, enum ls_actor_kind kind, char *msg,
                    size_t len)
{
	struct ls_challenge_play play;
	struct ls_run_opts o;
	struct ls_run *r;
	char err[400];
	double until;
	int rc, steps = 0;

	ls_run_opts_default(&o, s);
	o.kind = kind;
	o.policy = LS_POLICY_REPLAY;
	o.replay = sched;
	err[0] = '\0';
	if (!(r = ls_run_new(s, params, &o, err, sizeof err))) {
		snprintf(msg, len, "%s", err[0] ? err : "cannot create the run");
		return 2;
	}
	if (ls_run_start(r, err, sizeof err) != 0) {
		ls_run_free(r);
		snprintf(msg, len, "%s", err[0] ? err : "cannot start the actors");
		return 2;
	}
	ls_challenge_init(&play, s, which);
	until = challenge_now_ms() + CHALLENGE_GRADE_MS;
	ls_challenge_update(&play, r, NULL);
	while (play.state == LS_CHALLENGE_OPEN && ls_run_status(r) == LS_RUN_RUNNING &&
	       steps < CHALLENGE_MAX_STEPS && challenge_now_ms() < until) {
		if (ls_run_step(r, -1) >= 0)
			steps++;
		else
			ls_run_poll(r, 10);     /* not settled yet, or the end being noticed */
		ls_challenge_update(&play, r, NULL);
	}
	rc = challenge_grade_say(s, which, &play, r, steps, msg, len);
	ls_challenge_clear(&play);
	ls_run_free(r);
	return rc;
}

int
ls_challenge_grade_schedule(const struct ls_scenario *s, int which,
                            const struct ls_schedule *sched, enum ls_actor_kind kind,
                            char *msg, size_t len)
{
	long params[CHALLENGE_PARAMS_MAX];

	if (s->nparams > CHALLENGE_PARAMS_MAX) {
		snprintf(msg, len, "%s has too many parameters", s->name);
		return 2;
	}
	if (ls_challenge_params(s, which, params, msg, len) != 0)
		return 2;
	return challenge_grade_run(s, which, params, sched, kind, msg, len);
}

/* The actor names a run of these parameters will have, as the engine names them. */
static char **
challenge_names(const struct ls_scenario *s, const long *params, int *n)
{
	int count = ls_scenario_actor_count(s, params), id = 0;
	char **names = calloc((size_t)(count > 0 ? count : 1), sizeof *names);

	if (!names)
		return NULL;
	for (int r = 0; r < s->nroles; r++) {
		const struct ls_role_desc *rd = &s->roles[r];
		int c = rd->count_param >= 0 ? (int)params[rd->count_param] : rd->count;

		for (int k = 0; k < c && id < count; k++, id++) {
			char buf[32];

			if (rd->single && c == 1)
				snprintf(buf, sizeof buf, "%s", rd->prefix);
			else
				snprintf(buf, sizeof buf, "%s%d", rd->prefix, k + 1);
			if (!(names[id] = strdup(buf))) {
				*n = id;
				return names;
			}
		}
	}
	*n = id;
	return names;
}

int
ls_challenge_grade(const struct ls_scenario *s, int which, const char *path,
                   enum ls_actor_kind kind, char *msg, size_t len)
{
	long params[CHALLENGE_PARAMS_MAX];
	struct ls_schedule sched;
	char **names;
	int n = 0, rc;

	if (s->nparams > CHALLENGE_PARAMS_MAX) {
		snprintf(msg, len, "%s has too many parameters", s->name);
		return 2;
	}
	if (ls_challenge_params(s, which, params, msg, len) != 0)
		return 2;
	if (!(names = challenge_names(s, params, &n))) {
		snprintf(msg, len, "out of memory");
		return 2;
	}
	ls_schedule_init(&sched);
	rc = ls_schedule_load(&sched, path, (const char *const *)names, n, msg, len);
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc != 0) {
		ls_schedule_clear(&sched);
		return 2;
	}
	rc = challenge_grade_run(s, which, params, &sched, kind, msg, len);
	ls_schedule_clear(&sched);
	return rc;
}

/* ---- proving: the explorer, with the goal tested after every step ---- */

struct challenge_search {
	const struct ls_challenge *c;
	struct ls_challenge_proof *proof;
};

static int
challenge_each_step(void *arg, const struct ls_run *r)
{
	struct challenge_search *cs = arg;
	const struct ls_schedule *sc;

	if (!cs->c->met(ls_run_model(r), ls_run_params(r)))
		return 0;
	sc = ls_run_schedule(r);
	cs->proof->met = 1;
	for (size_t i = 0; i < sc->len; i++)
		if (ls_schedule_push(&cs->proof->witness, sc->steps[i]) != 0)
			break;
	return 1;       /* one is enough: it can be met */
}

int
ls_challenge_prove(const struct ls_scenario *s, int which, enum ls_actor_kind kind,
                   long max_runs, struct ls_challenge_proof *proof, char *err, size_t len)
{
	long params[CHALLENGE_PARAMS_MAX];
	struct ls_explore_opts o;
	struct ls_explore_result res;
	struct challenge_search cs;

	memset(proof, 0, sizeof *proof);
	ls_schedule_init(&proof->witness);
	if (s->nparams > CHALLENGE_PARAMS_MAX) {
		snprintf(err, len, "%s has too many parameters", s->name);
		return -1;
	}
	if (ls_challenge_params(s, which, params, err, len) != 0)
		return -1;
	cs.c = &s->challenges[which];
	cs.proof = proof;
	ls_explore_opts_default(&o, s);
	o.kind = kind;
	o.bound = -1;
	/*
	 * Sleep sets alone: they skip orders of independent steps but every
	 * state is still visited, so a goal tested after every step sees them
	 * all.  State caching would stop below a state reached again with
	 * another history (a fold's counts differ), and symmetry would treat
	 * T1 and T3 as one, which a goal about T3 does not.
	 */
	o.prune = 1;
	o.reduce = 0;
	o.max_runs = max_runs;
	o.each_step = challenge_each_step;
	o.each_step_arg = &cs;
	if (ls_explore(s, params, &o, &res, err, len) != 0)
		return -1;
	proof->runs = res.runs;
	proof->complete = res.complete && !proof->met && res.too_long == 0 &&
	                  res.diverged == 0;
	proof->elapsed_ms = res.elapsed_ms;
	ls_explore_result_free(&res);
	return 0;
}

void
ls_challenge_proof_clear(struct ls_challenge_proof *proof)
{
	ls_schedule_clear(&proof->witness);
	memset(proof, 0, sizeof *proof);
}

void
ls_challenge_proof_text(const struct ls_scenario *s, int which,
                        const struct ls_challenge_proof *proof, char *buf, size_t len)
{
	long params[CHALLENGE_PARAMS_MAX];
	char err[256];
	int n = 0;
	const char *noun = "actors";

	if (s->nparams <= CHALLENGE_PARAMS_MAX &&
	    ls_challenge_params(s, which, params, err, sizeof err) == 0) {
		n = ls_scenario_actor_count(s, params);
		noun = s->kind == LS_ACTORS_PROCESSES ? "processes" : "threads";
	}
	if (proof->met)
		snprintf(buf, len, "it can be met: the explorer found a schedule of %zu steps",
		         proof->witness.len);
	else if (proof->complete)
		snprintf(buf, len, "no schedule of these %d %s meets it: the explorer tried all %ld",
		         n, noun, proof->runs);
	else
		snprintf(buf, len, "the explorer tried %ld schedules without meeting it, but not "
		         "all of them", proof->runs);
}

void
ls_challenge_format_schedule(const struct ls_scenario *s, int which,
                             const struct ls_schedule *sched, char *buf, size_t len)
{
	long params[CHALLENGE_PARAMS_MAX];
	char err[256], **names = NULL;
	size_t at = 0;
	int n = 0;

	if (len)
		buf[0] = '\0';
	if (s->nparams <= CHALLENGE_PARAMS_MAX &&
	    ls_challenge_params(s, which, params, err, sizeof err) == 0)
		names = challenge_names(s, params, &n);
	for (size_t i = 0; i < sched->len && at < len; i++) {
		int a = sched->steps[i];
		int k = snprintf(buf + at, len - at, "%s%s", i ? " " : "",
		                 names && a >= 0 && a < n && names[a] ? names[a] : "?");

		if (k < 0)
			break;
		at += (size_t)k;
	}
	for (int i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}
