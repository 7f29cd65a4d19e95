/*
 * check_walkthrough.c - every scenario's walkthroughs are runnable data:
 * their parameters parse, each step names an actor the run has and that can
 * move when its turn comes, and the run ends with a decided verdict.  The
 * deposit ones tell the story they narrate: unlocked, one deposit of two is
 * lost; locked, both count and T2 waited on T1's lock.  So do the others:
 * tickets sold twice, then once; the 4th thread at a 3-slot semaphore
 * blocked, then the extra release refused; a car waiting at red and driving
 * only after green; a swipe opening the door; the GIL dropped on request and
 * taken by the other worker.  Runs are stepped, so all of this is
 * deterministic.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "lockstep/model.h"
#include "engine/run.h"
#include "engine/params.h"
#include "engine/walk.h"
#include "suites.h"

/* The actor named name in r, which must exist. */
static int
walk_id(struct ls_run *r, const char *name)
{
	int a = ls_walk_actor(r, name);

	ck_assert_msg(a >= 0, "no actor %s", name);
	return a;
}

/*
 * A story's checks in the middle of the run: called after scripted step k
 * (1-based) of walkthrough w, once every actor has settled.
 */
typedef void (*walk_check_fn)(struct ls_run *r, int w, int k);

/*
 * Play walkthrough w of s through the engine's player, as the TUI does;
 * returns the run, over, for the caller to inspect and free.
 * *scripted_over: the run ended by the script itself, with no policy pick
 * after it.  check, if set, sees every step.
 */
static struct ls_run *
walk_run(const struct ls_scenario *s, int w, long *p, int *scripted_over, walk_check_fn check)
{
	const struct ls_walkthrough *wt = &s->walkthroughs[w];
	struct ls_run_opts o;
	struct ls_walk walk;
	char err[256] = "";
	struct ls_run *r;

	ck_assert_ptr_nonnull(wt->title);
	ck_assert_ptr_nonnull(wt->ending);
	ck_assert_int_gt(wt->nsteps, 0);
	ck_assert_msg(ls_walk_params(s, w, p, err, sizeof err) == 0, "%s: %s", s->name, err);
	ck_assert_int_eq(ls_walk_init(&walk, s, w), 0);
	/* The test's own timeout bounds a loaded machine, not the player's patience. */
	walk.patience_ms = 50000;
	th_opts(&o, s, LS_ACTORS_THREADS, LS_POLICY_STEP);
	r = ls_run_new(s, p, &o, err, sizeof err);
	ck_assert_msg(r != NULL, "ls_run_new: %s", err);
	ck_assert_msg(ls_run_start(r, err, sizeof err) == 0, "ls_run_start: %s", err);
	for (int k = 0; k < wt->nsteps; k++) {
		const struct ls_walk_step *st = &wt->steps[k];
		int next = ls_walk_next(&walk, r), moved;
		enum ls_walk_result res;

		ck_assert_msg(st->say && *st->say, "%s '%s' step %d says nothing", s->name,
		              wt->title, k + 1);
		ck_assert_msg(!st->actor || next >= 0, "%s '%s' step %d: no actor %s", s->name,
		              wt->title, k + 1, st->actor);
		res = ls_walk_step(&walk, r, &moved, err, sizeof err);
		ck_assert_msg(res == (st->actor ? LS_WALK_MOVED : LS_WALK_SAID), "%s '%s': %s",
		              s->name, wt->title, err);
		ck_assert_int_eq(moved, st->actor ? next : -1);
		ck_assert_int_eq(walk.at, k + 1);
		if (check) {
			int enabled[64];

			ls_run_enabled(r, enabled, 64);   /* every actor parked or done */
			ls_run_poll(r, 1);
			check(r, w, k + 1);
		}
	}
	ck_assert(ls_walk_script_over(&walk));
	ck_assert_int_eq(ls_walk_step(&walk, r, NULL, err, sizeof err), LS_WALK_SCRIPT_OVER);
	ls_run_poll(r, 1);
	*scripted_over = ls_run_status(r) != LS_RUN_RUNNING;
	ls_walk_finish(&walk, r, 50000);
	/* rlock's plain-Lock walkthrough shows a thread waiting for itself. */
	if (strcmp(s->name, "rlock") == 0 && p[ls_scenario_param_index(s, "lock")] == 0)
		ck_assert_int_eq(ls_run_status(r), LS_RUN_DEADLOCK);
	else
		ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	return r;
}

/* Walkthroughs declared in the scenario's own source: its ".ending =" lines. */
static int
walk_declared(const char *name)
{
	const char *text = ls_scenario_source(name);
	int n = 0;

	ck_assert_msg(text != NULL, "%s: no embedded source", name);
	for (const char *p = text; (p = strstr(p, ".ending")) != NULL; p += 7) {
		const char *q = p + 7;
		while (*q == ' ' || *q == '\t')
			q++;
		n += *q == '=';
	}
	return n;
}

START_TEST(walk_every_scenario)
{
	int seen = 0, declared = 0;

	for (const struct ls_scenario *const *sp = ls_scenarios; *sp; sp++) {
		const struct ls_scenario *s = *sp;

		/* The count the descriptor gives is the walkthroughs its file
		 * declares: one .ending each (a miscounted array would run fewer). */
		ck_assert_msg(s->nwalkthroughs == walk_declared(s->name),
		              "%s: nwalkthroughs is %d, its source declares %d", s->name,
		              s->nwalkthroughs, walk_declared(s->name));
		ck_assert(s->nwalkthroughs == 0 || s->walkthroughs != NULL);
		declared += s->nwalkthroughs;
		for (int w = 0; w < s->nwalkthroughs; w++) {
			long p[LS_PARAMS_MAX];
			struct ls_verdict v;
			int over;
			struct ls_run *r;

			ck_assert_int_le(s->nparams, 64);
			r = walk_run(s, w, p, &over, NULL);
			memset(&v, 0, sizeof v);
			v.ok = -1;
			ls_run_verdict(r, &v);
			ck_assert_msg(v.ok >= 0, "%s '%s': no verdict at the end", s->name,
			              s->walkthroughs[w].title);
			ls_run_free(r);
			seen++;
		}
	}
	ck_assert_int_eq(seen, declared);
	ck_assert_int_gt(seen, 0);
}
END_TEST

/*
 * What a walkthrough announces is what it plays: its script ends the run at
 * its last step (nothing runs on unnarrated after it: the run's schedule
 * holds the script's moves and no more, one per step that names an actor).
 */
START_TEST(walk_counts_are_true)
{
	for (const struct ls_scenario *const *sp = ls_scenarios; *sp; sp++) {
		const struct ls_scenario *s = *sp;

		for (int w = 0; w < s->nwalkthroughs; w++) {
			const struct ls_walkthrough *wt = &s->walkthroughs[w];
			const struct ls_schedule *sched;
			long p[64];
			int over, moves = 0;
			struct ls_run *r = walk_run(s, w, p, &over, NULL);

			for (int k = 0; k < wt->nsteps; k++)
				moves += wt->steps[k].actor != NULL;
			/* walk_run let the run finish by the policy's picks: any step it
			 * had to take after the script would show in the schedule.
			 * (Process actors may still be being reaped when the script
			 * ends, so the schedule, not the status then, is the test.) */
			sched = ls_run_schedule(r);
			(void)over;
			ck_assert_msg(sched && sched->len == (size_t)moves,
			              "%s '%s' announces %d steps (%d moves) but the run took %zu",
			              s->name, wt->title, wt->nsteps, moves,
			              sched ? sched->len : (size_t)0);
			ck_assert_int_eq(ls_walk_moves(wt), moves);
			ls_run_free(r);
		}
	}
}
END_TEST

START_TEST(walk_deposit_story)
{
	const struct ls_scenario *s = ls_scenario_find("deposit");
	long p[LS_PARAMS_MAX];
	int over;

	ck_assert_ptr_nonnull(s);
	ck_assert_int_ge(s->nwalkthroughs, 2);
	for (int w = 0; w < 2; w++) {
		struct ls_run *r = walk_run(s, w, p, &over, NULL);
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

/* ---- the other scenarios' stories ---------------------------------------- */

static const struct ls_model_actor *
walk_who(struct ls_run *r, const char *name)
{
	return &ls_run_model(r)->actors[walk_id(r, name)];
}

/* Parked before op and unable to take it: the narration's "blocked". */
static void
walk_assert_stuck(struct ls_run *r, const char *name, enum ls_op op)
{
	const struct ls_model *m = ls_run_model(r);
	int a = walk_id(r, name);

	ck_assert_int_eq(m->actors[a].op, op);
	ck_assert_msg(!ls_model_can_proceed(m, a), "%s could move", name);
}

/* Run walkthrough w of the named scenario, with its verdict. */
static struct ls_run *
walk_story(const char *name, int w, walk_check_fn check, int *over, struct ls_verdict *v)
{
	const struct ls_scenario *s = ls_scenario_find(name);
	long p[LS_PARAMS_MAX];
	struct ls_run *r;

	ck_assert_ptr_nonnull(s);
	ck_assert_int_gt(s->nwalkthroughs, w);
	r = walk_run(s, w, p, over, check);
	memset(v, 0, sizeof *v);
	v->ok = -1;
	ls_run_verdict(r, v);
	return r;
}

static void
walk_tickets_check(struct ls_run *r, int w, int k)
{
	const struct ls_model *m = ls_run_model(r);
	int db = ls_model_find(m, "db.txt");

	ck_assert_int_ge(db, 0);
	if (w == 0 && k == 6)   /* both have read count 1 in get(), nobody wrote */
		ck_assert_ptr_nonnull(strstr(m->objs[db].text, "\"count\": 1"));
	if (w == 0 && k == 13)  /* P2 wrote its 0 over P1's */
		ck_assert_ptr_nonnull(strstr(m->objs[db].text, "\"count\": 0"));
	if (w == 1 && k == 7) { /* P1 holds the lock, P2 waits for it */
		ck_assert_int_eq(m->objs[ls_model_find(m, "lock")].owner, walk_id(r, "P1"));
		walk_assert_stuck(r, "P2", LS_OP_LOCK);
	}
}

START_TEST(walk_tickets_story)
{
	for (int w = 0; w < 2; w++) {
		struct ls_verdict v;
		int over;
		struct ls_run *r = walk_story("tickets", w, walk_tickets_check, &over, &v);

		ck_assert(over);
		ck_assert_int_eq((long)th_figure(&v, "tickets"), 1);
		ck_assert_int_eq((long)th_figure(&v, "left"), 0);
		if (w == 0) {           /* lock=none: the one ticket sold twice */
			ck_assert_int_eq((long)th_figure(&v, "sold"), 2);
			ck_assert_int_eq((long)th_figure(&v, "oversold"), 1);
			ck_assert_int_eq(v.ok, 0);
		} else {                /* lock=mutex: sold once */
			ck_assert_int_eq((long)th_figure(&v, "sold"), 1);
			ck_assert_int_eq(v.ok, 1);
		}
		ls_run_free(r);
	}
}
END_TEST

static void
walk_semaphore_check(struct ls_run *r, int w, int k)
{
	const struct ls_model *m = ls_run_model(r);
	const struct ls_model_obj *sem = &m->objs[ls_model_find(m, "semaphore")];

	if (w == 0 && k == 4) {         /* three inside, the 4th blocked */
		ck_assert_int_eq(sem->holders, 3);
		ck_assert_int_eq(sem->value, 0);
		walk_assert_stuck(r, "T4", LS_OP_SEM_ACQUIRE);
	}
	if (w == 0 && k == 7)           /* T1 out: T4 may go in */
		ck_assert(ls_model_can_proceed(m, walk_id(r, "T4")));
	if (w == 0 && k == 8) {         /* T4 in, three inside again */
		ck_assert_int_eq(sem->holders, 3);
		ck_assert_int_eq(walk_who(r, "T1")->state, LS_AS_DONE);
	}
	if (w == 1 && k == 11)          /* the second release refused, count at the bound */
		ck_assert(sem->refused == 1 && sem->value == 2);
}

START_TEST(walk_semaphore_story)
{
	for (int w = 0; w < 2; w++) {
		struct ls_verdict v;
		int over;
		struct ls_run *r = walk_story("semaphore", w, walk_semaphore_check, &over, &v);

		ck_assert(over);
		ck_assert_int_eq(v.ok, 1);
		if (w == 0) {
			ck_assert_int_eq((long)th_figure(&v, "max_holders"), 3);
			ck_assert_int_eq((long)th_figure(&v, "completed"), 4);
			ck_assert_int_eq((long)th_figure(&v, "refused"), 0);
		} else {
			ck_assert_int_eq((long)th_figure(&v, "refused"), 1);
			ck_assert_int_eq((long)th_figure(&v, "max_count"), 2);
			ck_assert_int_eq((long)th_figure(&v, "count"), 2);
		}
		ls_run_free(r);
	}
}
END_TEST

static void
walk_traffic_check(struct ls_run *r, int w, int k)
{
	const struct ls_model *m = ls_run_model(r);

	(void)w;
	if (k <= 9)                     /* no drive before the check that saw green */
		ck_assert_int_eq(ls_model_var(m, "drives"), 0);
	if (k == 4) {                   /* at red, waiting in wait() */
		ck_assert_int_eq(ls_model_var(m, "light"), 0);
		ck_assert_int_eq(ls_model_var(m, "waits"), 1);
		walk_assert_stuck(r, "car1", LS_OP_EVENT_WAIT);
	}
	if (k == 5) {                   /* green: the waiting car may go */
		ck_assert_int_eq(ls_model_var(m, "light"), 1);
		ck_assert(ls_model_can_proceed(m, walk_id(r, "car1")));
	}
	if (k == 10)
		ck_assert_int_eq(ls_model_var(m, "drives"), 1);
	if (k == 14)                    /* red again: car1 went on green */
		ck_assert_int_eq(ls_model_var(m, "light"), 0);
}

START_TEST(walk_traffic_story)
{
	struct ls_verdict v;
	int over;
	struct ls_run *r = walk_story("traffic", 0, walk_traffic_check, &over, &v);

	ck_assert(over);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_int_eq((long)th_figure(&v, "waits"), 1);
	ck_assert_int_eq((long)th_figure(&v, "drives"), 1);
	ck_assert_int_eq((long)th_figure(&v, "drives_on_red"), 0);
	ck_assert_int_eq((long)th_figure(&v, "wakes_on_red"), 0);
	ck_assert_int_eq((long)th_figure(&v, "reds"), 1);
	ls_run_free(r);
}
END_TEST

static void
walk_door_check(struct ls_run *r, int w, int k)
{
	const struct ls_model *m = ls_run_model(r);

	(void)w;
	if (k == 8)                     /* closed until the swipe */
		ck_assert_int_eq(ls_model_var(m, "door"), 0);
	if (k == 9) {                   /* the swipe opened it */
		ck_assert_int_eq(ls_model_var(m, "door"), 1);
		ck_assert_int_eq(ls_model_var(m, "swipes"), 1);
		ck_assert_int_eq(walk_who(r, "door")->op, LS_OP_EVENT_WAIT);
	}
	if (k == 10)                    /* the door's wait returned: it sleeps next */
		ck_assert_int_eq(walk_who(r, "door")->op, LS_OP_SLEEP);
	if (k == 17)
		ck_assert_int_eq(ls_model_var(m, "passed"), 1);
}

START_TEST(walk_door_story)
{
	struct ls_verdict v;
	int over;
	struct ls_run *r = walk_story("door", 0, walk_door_check, &over, &v);

	ck_assert(over);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_int_eq((long)th_figure(&v, "passed"), 1);
	ck_assert_int_eq((long)th_figure(&v, "swipes"), 1);
	ck_assert_int_eq((long)th_figure(&v, "openings"), 1);
	ck_assert_int_eq((long)th_figure(&v, "passed_closed"), 0);
	ls_run_free(r);
}
END_TEST

static void
walk_gil_check(struct ls_run *r, int w, int k)
{
	const struct ls_model *m = ls_run_model(r);
	int gil = ls_model_find(m, "gil");

	(void)w;
	ck_assert_int_ge(gil, 0);
	if (k == 8) {                   /* T1 holds the GIL, T2 asked and waits */
		ck_assert_int_eq(m->objs[gil].owner, walk_id(r, "T1"));
		ck_assert_int_eq(ls_model_var(m, "drop_request"), 1);
		walk_assert_stuck(r, "T2", LS_OP_LOCK);
	}
	if (k == 10)                    /* T1 saw the request */
		ck_assert_int_eq(walk_who(r, "T1")->op, LS_OP_ADD);
	if (k == 15) {                  /* T1 dropped it and waits for a taker */
		ck_assert_int_eq(m->objs[gil].owner, -1);
		ck_assert_int_eq(walk_who(r, "T1")->state, LS_AS_BLOCKED);
		ck_assert_int_eq(walk_who(r, "T1")->op, LS_OP_COND_WAIT);
		ck_assert(ls_model_can_proceed(m, walk_id(r, "T2")));
	}
	if (k == 16)                    /* T2 took it */
		ck_assert_int_eq(m->objs[gil].owner, walk_id(r, "T2"));
	if (k == 19) {                  /* T1 notified, but T2 holds the GIL */
		ck_assert(walk_who(r, "T1")->notified);
		ck_assert(!ls_model_can_proceed(m, walk_id(r, "T1")));
		ck_assert_int_eq(ls_model_var(m, "switch_number"), 2);
	}
	if (k == 20)
		ck_assert_int_eq(ls_model_var(m, "in_bytecode"), 1);
}

START_TEST(walk_gil_story)
{
	struct ls_verdict v;
	int over;
	struct ls_run *r = walk_story("gil", 0, walk_gil_check, &over, &v);

	ck_assert_int_eq(v.ok, 1);
	ck_assert_int_ge((long)th_figure(&v, "switches"), 1);
	ck_assert_int_eq((long)th_figure(&v, "max_holders"), 1);
	ck_assert_int_eq((long)th_figure(&v, "max_running"), 1);
	ck_assert_int_eq((long)th_figure(&v, "regains"), 0);
	ls_run_free(r);
}
END_TEST

/* rlock: the depth climbs to 2 on re-entry and back to 0; a plain Lock waits for itself. */
static void
walk_rlock_check(struct ls_run *r, int w, int k)
{
	const struct ls_model *m = ls_run_model(r);
	int lock = ls_model_find(m, "lock"), t1 = walk_id(r, "T1");
	static const unsigned depth[] = { 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 1, 0, 0 };

	ck_assert_int_ge(lock, 0);
	if (w == 0 && k >= 1 && k <= 14)
		ck_assert_uint_eq(ls_model_hold_depth(m, t1, lock), depth[k - 1]);
	if (w == 1 && k == 2)
		ck_assert_int_eq(ls_run_status(r), LS_RUN_DEADLOCK);
}

START_TEST(walk_rlock_story)
{
	struct ls_verdict v;
	int over;
	struct ls_run *r = walk_story("rlock", 0, walk_rlock_check, &over, &v);

	ck_assert(over);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_int_eq(ls_model_var(ls_run_model(r), "num"), 1);
	ck_assert_int_eq(ls_model_var(ls_run_model(r), "num2"), 1);
	ls_run_free(r);
	r = walk_story("rlock", 1, walk_rlock_check, &over, &v);
	ck_assert(over);
	ck_assert_int_eq(v.ok, 0);
	ck_assert_ptr_nonnull(strstr(v.summary, "waits for itself"));
	ls_run_free(r);
}
END_TEST

/* distributed: W1 connected (in the backlog) before the server accepts,
 * refused at step 14 and never served, the listener closed at the end. */
static void
walk_distributed_check(struct ls_run *r, int w, int k)
{
	const struct ls_model *m = ls_run_model(r);
	int o = ls_model_find(m, "net"), w1 = walk_id(r, "W1");
	const struct ls_model_net *n;

	(void)w;
	ck_assert_int_ge(o, 0);
	n = m->objs[o].net;
	ck_assert_ptr_nonnull(n);
	if (k == 1)
		ck_assert_int_eq(n->listening, 1);
	if (k == 3)
		ck_assert(n->conns[0].used && !n->conns[0].accepted && n->conns[0].client == w1);
	if (k == 9)
		ck_assert_int_eq(ls_model_can_proceed(m, w1), 0);
	if (k == 14) {
		ck_assert_int_eq(n->conns[0].refused, 1);
		ck_assert_int_eq(n->conns[0].authed, 0);
	}
	if (k == 33)
		ck_assert_int_eq(n->listening, 2);
}

START_TEST(walk_distributed_story)
{
	struct ls_verdict v;
	int over;
	struct ls_run *r = walk_story("distributed", 0, walk_distributed_check, &over, &v);

	ck_assert(over);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_double_eq(th_figure(&v, "refused"), 1);
	ck_assert_double_eq(th_figure(&v, "connections"), 2);
	ck_assert_int_eq(th_said(ls_run_model(r), "AuthenticationError"), 1);
	ls_run_free(r);
}
END_TEST

/* The player's parts: its parameter line, its narration, the other variant. */
START_TEST(walk_player_parts)
{
	const struct ls_scenario *dep = ls_scenario_find("deposit");
	static const struct ls_walk_step steps[] = { { "T1", "one" }, { NULL, "two" } };
	struct ls_walkthrough bad = { "bad line", "depositors=zero", steps, 2, "the end" };
	struct ls_scenario s;
	const char *step, *ending;
	char err[256];
	long p[64];
	int locked;

	ck_assert_ptr_nonnull(dep);
	locked = ls_scenario_param_index(dep, "locked");
	ck_assert_int_eq(ls_walk_params(dep, 0, p, err, sizeof err), 0);
	ck_assert_int_eq(p[ls_scenario_param_index(dep, "depositors")], 2);
	ck_assert_int_eq(ls_walk_params(dep, dep->nwalkthroughs, p, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "no walkthrough"));
	/* Walkthrough 0 is unlocked; the other variant's is the locked one. */
	ck_assert_int_eq(ls_walk_other_variant(dep, 0, locked, p[locked]), 1);
	ck_assert_int_eq(ls_walk_other_variant(dep, 0, -1, 0), -1);

	s = *dep;
	s.walkthroughs = &bad;
	s.nwalkthroughs = 1;
	ck_assert_int_eq(ls_walk_params(&s, 0, p, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "walkthrough 'bad line'") && strstr(err, "depositors=zero"),
	              "%s", err);
	ck_assert_int_eq(ls_walk_init(&(struct ls_walk){ 0 }, &s, 1), -1);

	ck_assert_int_eq(ls_walk_narration(&bad, 0, 0, &step, &ending), LS_WALK_SAY_INTRO);
	ck_assert_int_eq(ls_walk_narration(&bad, 1, 0, &step, &ending), LS_WALK_SAY_STEP);
	ck_assert_str_eq(step, "one");
	ck_assert_int_eq(ls_walk_narration(&bad, 2, 0, &step, &ending), LS_WALK_SAY_STEP);
	ck_assert_str_eq(step, "two");
	ck_assert_int_eq(ls_walk_narration(&bad, 2, 1, &step, &ending), LS_WALK_SAY_ENDING);
	ck_assert_str_eq(step, "two");
	ck_assert_str_eq(ending, "the end");
	ck_assert_int_eq(ls_walk_narration(&bad, 1, 1, &step, &ending), LS_WALK_SAY_STEP);
	ck_assert_int_eq(ls_walk_narration(&bad, 3, 0, &step, &ending), LS_WALK_SAY_UNSCRIPTED);
}
END_TEST

/* The one reader of a guided run's parameter line (walkthroughs and challenges). */
START_TEST(walk_params_line)
{
	const struct ls_scenario *dep = ls_scenario_find("deposit");
	char err[256], longline[700];
	long p[64];
	int n;

	ck_assert_ptr_nonnull(dep);
	n = ls_scenario_param_index(dep, "depositors");
	ck_assert_int_eq(ls_params_line(dep, "depositors=4\tlocked=1", "challenge", "t", p, err,
	                                sizeof err), 0);
	ck_assert_int_eq(p[n], 4);
	ck_assert_int_eq(p[ls_scenario_param_index(dep, "locked")], 1);
	ck_assert_int_eq(ls_params_line(dep, NULL, "challenge", "t", p, err, sizeof err), 0);
	ck_assert_int_eq(p[n], dep->params[n].def);
	ck_assert_int_eq(ls_params_line(dep, "locked=1 nosuch=2", "challenge", "Goal", p, err,
	                                sizeof err), -1);
	ck_assert_msg(strstr(err, "challenge 'Goal'") && strstr(err, "nosuch"), "%s", err);
	memset(longline, 'x', sizeof longline - 1);
	longline[sizeof longline - 1] = '\0';
	ck_assert_int_eq(ls_params_line(dep, longline, "walkthrough", "W", p, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "walkthrough 'W': its parameter line is too long"), "%s", err);
}
END_TEST

Suite *
walkthrough_suite(void)
{
	Suite *s = suite_create("walkthrough");
	TCase *tc = th_tcase(s, "walkthrough", 60);

	tcase_add_test(tc, walk_player_parts);
	tcase_add_test(tc, walk_every_scenario);
	tcase_add_test(tc, walk_counts_are_true);
	tcase_add_test(tc, walk_deposit_story);
	tcase_add_test(tc, walk_tickets_story);
	tcase_add_test(tc, walk_semaphore_story);
	tcase_add_test(tc, walk_traffic_story);
	tcase_add_test(tc, walk_door_story);
	tcase_add_test(tc, walk_gil_story);
	tcase_add_test(tc, walk_rlock_story);
	tcase_add_test(tc, walk_distributed_story);
	tcase_add_test(tc, walk_params_line);
	return s;
}
