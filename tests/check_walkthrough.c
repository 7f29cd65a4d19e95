/*
 * check_walkthrough.c - every scenario's walkthroughs are runnable data:
 * their parameters parse, each step names an actor the run has and that can
 * move when its turn comes, and the run ends with a decided verdict.  The
 * deposit ones tell the story they narrate: unlocked, one deposit of two is
 * lost; locked, both count and T2 waited on T1's lock.  Runs are stepped,
 * so all of this is deterministic.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "model.h"
#include "params.h"
#include "run.h"
#include "suites.h"

static void
walk_params(const struct ls_scenario *s, const struct ls_walkthrough *wt, long *p)
{
	char buf[512], err[256], *save = NULL;

	ls_params_default(s, p);
	snprintf(buf, sizeof buf, "%s", wt->params ? wt->params : "");
	for (char *tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
		ck_assert_msg(ls_params_set(s, p, tok, err, sizeof err) == 0,
		              "%s walkthrough '%s': %s", s->name, wt->title, err);
}

static int
walk_actor(struct ls_run *r, const char *name)
{
	for (int i = 0; i < ls_run_actor_count(r); i++)
		if (strcmp(ls_run_actor_names(r)[i], name) == 0)
			return i;
	return -1;
}

/* Wait (the test's timeout is the bound) until the actor is at its gate or done. */
static void
walk_wait_parked(struct ls_run *r, int a)
{
	const struct ls_model *m = ls_run_model(r);

	while (m->actors[a].state != LS_AS_GATE && m->actors[a].state != LS_AS_DONE &&
	       m->actors[a].state != LS_AS_CRASHED)
		ck_assert_int_eq(ls_run_poll(r, 100), LS_RUN_RUNNING);
}

/*
 * Run walkthrough w of s as the TUI does; returns the run, over, for the
 * caller to inspect and free.  *scripted_over: the run ended by the script
 * itself, with no policy pick after it.
 */
static struct ls_run *
walk_run(const struct ls_scenario *s, int w, long *p, int *scripted_over)
{
	const struct ls_walkthrough *wt = &s->walkthroughs[w];
	struct ls_run_opts o;
	char err[256] = "";
	struct ls_run *r;
	int guard = 0;

	ck_assert_ptr_nonnull(wt->title);
	ck_assert_ptr_nonnull(wt->ending);
	ck_assert_int_gt(wt->nsteps, 0);
	walk_params(s, wt, p);
	ls_run_opts_default(&o, s);
	o.kind = LS_ACTORS_THREADS;
	o.policy = LS_POLICY_STEP;
	r = ls_run_new(s, p, &o, err, sizeof err);
	ck_assert_msg(r != NULL, "ls_run_new: %s", err);
	ck_assert_msg(ls_run_start(r, err, sizeof err) == 0, "ls_run_start: %s", err);
	for (int k = 0; k < wt->nsteps; k++) {
		const struct ls_walk_step *st = &wt->steps[k];
		int a;

		ck_assert_msg(st->say && *st->say, "%s '%s' step %d says nothing", s->name,
		              wt->title, k + 1);
		if (!st->actor)
			continue;
		a = walk_actor(r, st->actor);
		ck_assert_msg(a >= 0, "%s '%s' step %d: no actor %s", s->name, wt->title, k + 1,
		              st->actor);
		walk_wait_parked(r, a);
		ck_assert_msg(ls_run_status(r) == LS_RUN_RUNNING &&
		              ls_model_can_proceed(ls_run_model(r), a),
		              "%s '%s' step %d: %s cannot move", s->name, wt->title, k + 1,
		              st->actor);
		ck_assert_int_eq(ls_run_step(r, a), a);
	}
	ls_run_poll(r, 1);
	*scripted_over = ls_run_status(r) != LS_RUN_RUNNING;
	while (ls_run_status(r) == LS_RUN_RUNNING && guard++ < 100000)
		if (ls_run_step(r, -1) < 0)
			ls_run_poll(r, 10);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	return r;
}

START_TEST(walk_every_scenario)
{
	int seen = 0;

	for (const struct ls_scenario *const *sp = ls_scenarios; *sp; sp++) {
		const struct ls_scenario *s = *sp;

		ck_assert_int_ge(s->nwalkthroughs, 0);
		ck_assert(s->nwalkthroughs == 0 || s->walkthroughs != NULL);
		for (int w = 0; w < s->nwalkthroughs; w++) {
			long p[64];
			struct ls_verdict v;
			int over;
			struct ls_run *r;

			ck_assert_int_le(s->nparams, 64);
			r = walk_run(s, w, p, &over);
			memset(&v, 0, sizeof v);
			v.ok = -1;
			ls_run_verdict(r, &v);
			ck_assert_msg(v.ok >= 0, "%s '%s': no verdict at the end", s->name,
			              s->walkthroughs[w].title);
			ls_run_free(r);
			seen++;
		}
	}
	ck_assert_int_gt(seen, 0);
}
END_TEST

START_TEST(walk_deposit_story)
{
	const struct ls_scenario *s = ls_scenario_find("deposit");
	long p[16];
	int over;

	ck_assert_ptr_nonnull(s);
	ck_assert_int_ge(s->nwalkthroughs, 2);
	for (int w = 0; w < 2; w++) {
		struct ls_run *r = walk_run(s, w, p, &over);
		const struct ls_model *m = ls_run_model(r);
		int locked = (int)p[ls_scenario_param_index(s, "locked")];
		struct ls_verdict v;

		/* The script is the whole run: its last step ends it. */
		ck_assert(over);
		ck_assert_int_eq(p[ls_scenario_param_index(s, "depositors")], 2);
		memset(&v, 0, sizeof v);
		ls_run_verdict(r, &v);
		if (!locked) {
			ck_assert_int_eq(ls_model_var(m, "balance"), 1);
			ck_assert_int_eq(v.ok, 0);
			ck_assert_ptr_nonnull(strstr(v.summary, "1 deposit was lost"));
		} else {
			ck_assert_int_eq(ls_model_var(m, "balance"), 2);
			ck_assert_int_eq(v.ok, 1);
		}
		ls_run_free(r);
	}
}
END_TEST

Suite *
walkthrough_suite(void)
{
	Suite *s = suite_create("walkthrough");
	TCase *tc = tcase_create("walkthrough");

	tests_timeout(tc, 60);
	tcase_add_test(tc, walk_every_scenario);
	tcase_add_test(tc, walk_deposit_story);
	suite_add_tcase(s, tc);
	return s;
}
