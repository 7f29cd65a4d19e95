/*
 * check_controller.c - who moves next: the same seed gives the same run, a
 * replayed schedule gives the same run again (threads and processes alike),
 * a schedule that cannot be followed diverges, one step moves one actor, and
 * a lock-order deadlock is found under a controlled schedule and in free
 * mode, with the run still freed without a hang.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/controller.h"
#include "helpers.h"
#include "lockstep/model.h"
#include "engine/params.h"
#include "lockstep/probe.h"
#include "engine/run.h"
#include "suites.h"

/* ---- a test-only scenario: two locks taken in opposite orders ----------- */

enum { DL_DELAY_MS };

static const struct ls_param_desc dl_params[] = {
	[DL_DELAY_MS] = { "delay_ms", "pause between the two locks", 50, 0, 1000, NULL },
};

struct dl {
	ls_mutex *a, *b;
	ls_var *ready;
	long delay_ms;
};

/*
 * Take first, pause, take second.  The pause waits until both actors hold
 * their first lock, so in free mode the deadlock does not depend on how the
 * OS happens to start the two.
 */
static void
dl_take(struct dl *d, ls_mutex *first, ls_mutex *second)
{
	ls_lock(first);
	ls_add(d->ready, 1);
	do
		ls_sleep(d->delay_ms);
	while (ls_load(d->ready) < 2);
	ls_lock(second);
	ls_unlock(second);
	ls_unlock(first);
}

static void
dl_left(struct ls_actor_ctx *ctx)
{
	struct dl *d = ctx->state;
	dl_take(d, d->a, d->b);
}

static void
dl_right(struct ls_actor_ctx *ctx)
{
	struct dl *d = ctx->state;
	dl_take(d, d->b, d->a);
}

static const struct ls_role_desc dl_roles[] = {
	{ .name = "left", .prefix = "T1", .body = dl_left, .count_param = -1, .count = 1, .single = 1 },
	{ .name = "right", .prefix = "T2", .body = dl_right, .count_param = -1, .count = 1, .single = 1 },
};

static int
dl_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct dl *d = state;

	d->a = ls_mutex_new(w, "a");
	d->b = ls_mutex_new(w, "b");
	d->ready = ls_var_new(w, "ready", 0);
	if (!d->a || !d->b || !d->ready) {
		snprintf(err, len, "deadlock test: cannot create the locks");
		return -1;
	}
	d->delay_ms = p[DL_DELAY_MS];
	return 0;
}

/* Not in the registry: it exists for these tests only. */
static const struct ls_scenario dl_scenario = {
	.name = "test-deadlock",
	.title = "two locks in opposite orders",
	.params = dl_params,
	.nparams = 1,
	.roles = dl_roles,
	.nroles = 2,
	.kind = LS_ACTORS_THREADS,
	.toggle_param = -1,
	.state_size = sizeof(struct dl),
	.setup = dl_setup,
};

/* ---- helpers ------------------------------------------------------------ */

/* One event as the comparisons see it: values only where deterministic
 * (START and EXIT carry a pid or tid). */
struct ctl_ev {
	int actor, op, phase, line;
	int64_t a;
};

struct ctl_outcome {
	enum ls_run_status status;
	long balance;
	struct ls_schedule sched;
	size_t nev;
	struct ctl_ev ev[LS_HISTORY];
};

static int
ctl_ev_actor_cmp(const void *pa, const void *pb)
{
	const struct ctl_ev *a = pa, *b = pb;

	if (a->actor != b->actor)
		return a->actor < b->actor ? -1 : 1;
	/* Within one actor START comes before its first BEGIN. */
	return (a->op != LS_OP_START) - (b->op != LS_OP_START);
}

/*
 * The model's history as a canonical sequence.  Before the first step every
 * actor runs on its own to its first gate (START, then BEGIN): how those
 * 2n events interleave is up to the OS, so that block is put in actor order.
 * Everything after it happens one granted actor at a time.
 */
static void
ctl_capture(const struct ls_run *r, struct ctl_outcome *out)
{
	const struct ls_model *m = ls_run_model(r);
	const struct ls_schedule *taken = ls_run_schedule(r);
	size_t startup = 2 * (size_t)m->nactors;

	out->status = ls_run_status(r);
	out->balance = ls_model_var(m, "balance");
	ls_schedule_init(&out->sched);
	for (size_t i = 0; i < taken->len; i++)
		ls_schedule_push(&out->sched, taken->steps[i]);
	ck_assert_uint_le(m->nhistory, LS_HISTORY);
	ck_assert_uint_eq(m->dropped, 0);
	out->nev = m->nhistory;
	for (size_t i = 0; i < m->nhistory; i++) {
		const struct ls_event *e = &m->history[i];
		struct ctl_ev *c = &out->ev[i];
		c->actor = e->actor;
		c->op = e->op;
		c->phase = e->phase;
		c->line = e->line;
		c->a = e->op == LS_OP_START || e->op == LS_OP_EXIT || e->op == LS_OP_SAY ? 0 : e->u.v.a;
		if (i < startup)
			ck_assert_msg(e->op == LS_OP_START || e->phase == LS_PH_BEGIN,
			              "event %zu (%s %s by %d) before every actor reached its gate",
			              i, ls_op_name(e->op), ls_phase_name(e->phase), e->actor);
	}
	ck_assert_msg(out->nev >= startup, "only %zu events (status %s: %s)", out->nev,
	              ls_run_status_name(out->status), ls_run_reason(r));
	qsort(out->ev, startup, sizeof out->ev[0], ctl_ev_actor_cmp);
}

static void
ctl_outcome_free(struct ctl_outcome *o)
{
	ls_schedule_clear(&o->sched);
	free(o);
}

/* Run deposit to the end under opts; the outcome is freed by the caller. */
static struct ctl_outcome *
ctl_run(const struct ls_scenario *s, const long *p, const struct ls_run_opts *o)
{
	struct ctl_outcome *out = calloc(1, sizeof *out);
	struct ls_run *r = th_start_opts(s, p, o);

	ck_assert_ptr_nonnull(out);
	ls_run_finish(r);
	ctl_capture(r, out);
	ls_run_free(r);
	return out;
}

static void
ctl_assert_same(const struct ctl_outcome *x, const struct ctl_outcome *y, const char *what)
{
	ck_assert_msg(x->status == y->status, "%s: status %s vs %s", what,
	              ls_run_status_name(x->status), ls_run_status_name(y->status));
	ck_assert_msg(x->balance == y->balance, "%s: balance %ld vs %ld", what, x->balance, y->balance);
	ck_assert_msg(x->sched.len == y->sched.len, "%s: %zu vs %zu steps", what,
	              x->sched.len, y->sched.len);
	for (size_t i = 0; i < x->sched.len; i++)
		ck_assert_msg(x->sched.steps[i] == y->sched.steps[i], "%s: step %zu: %d vs %d",
		              what, i + 1, x->sched.steps[i], y->sched.steps[i]);
	ck_assert_msg(x->nev == y->nev, "%s: %zu vs %zu events", what, x->nev, y->nev);
	for (size_t i = 0; i < x->nev; i++) {
		const struct ctl_ev *a = &x->ev[i], *b = &y->ev[i];
		ck_assert_msg(a->actor == b->actor && a->op == b->op && a->phase == b->phase &&
		              a->line == b->line && a->a == b->a,
		              "%s: event %zu: actor %d %s %s line %d (%lld) vs actor %d %s %s line %d (%lld)",
		              what, i, a->actor, ls_op_name(a->op), ls_phase_name(a->phase), a->line,
		              (long long)a->a, b->actor, ls_op_name(b->op), ls_phase_name(b->phase),
		              b->line, (long long)b->a);
	}
}

/* ---- determinism and replay --------------------------------------------- */

START_TEST(ctl_same_seed_same_run)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_deposit(p, 3, 10, 0);
	struct ls_run_opts o;

	th_opts(&o, s, th_kind(_i), LS_POLICY_RANDOM);
	o.seed = 12345;
	struct ctl_outcome *x = ctl_run(s, p, &o);
	struct ctl_outcome *y = ctl_run(s, p, &o);

	ck_assert_int_eq(x->status, LS_RUN_FINISHED);
	/* 3 depositors, each: load, sleep, store. */
	ck_assert_uint_eq(x->sched.len, 9);
	ck_assert_int_ge(x->balance, 1);
	ck_assert_int_le(x->balance, 3);
	ctl_assert_same(x, y, "same seed");
	ctl_outcome_free(x);
	ctl_outcome_free(y);
}
END_TEST

/* The chooser is pure: threads and processes take the same steps. */
START_TEST(ctl_kinds_agree)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_deposit(p, 3, 10, 1);
	struct ls_run_opts o;

	th_opts(&o, s, LS_ACTORS_THREADS, LS_POLICY_RANDOM);
	o.seed = 7;
	struct ctl_outcome *x = ctl_run(s, p, &o);
	o.kind = LS_ACTORS_PROCESSES;
	struct ctl_outcome *y = ctl_run(s, p, &o);

	ck_assert_int_eq(x->status, LS_RUN_FINISHED);
	ck_assert_int_eq(x->balance, 3);
	ctl_assert_same(x, y, "threads vs processes");
	ctl_outcome_free(x);
	ctl_outcome_free(y);
}
END_TEST

START_TEST(ctl_seeds_differ)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_deposit(p, 3, 10, 0);
	struct ls_run_opts o;
	struct ctl_outcome *runs[10];
	int distinct = 1;

	ls_run_opts_default(&o, s);
	o.policy = LS_POLICY_RANDOM;
	for (int i = 0; i < 10; i++) {
		o.seed = (uint64_t)i + 1;
		runs[i] = ctl_run(s, p, &o);
		ck_assert_int_eq(runs[i]->status, LS_RUN_FINISHED);
		ck_assert_uint_eq(runs[i]->sched.len, 9);
	}
	for (int i = 1; i < 10; i++) {
		int seen = 0;
		for (int j = 0; j < i && !seen; j++)
			seen = memcmp(runs[i]->sched.steps, runs[j]->sched.steps,
			              9 * sizeof *runs[i]->sched.steps) == 0;
		distinct += !seen;
	}
	ck_assert_int_ge(distinct, 2);
	for (int i = 0; i < 10; i++)
		ctl_outcome_free(runs[i]);
}
END_TEST

START_TEST(ctl_replay_same_run)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_deposit(p, 3, 10, 0);
	struct ls_run_opts o;

	th_opts(&o, s, th_kind(_i), LS_POLICY_RANDOM);
	o.seed = 99;
	struct ctl_outcome *x = ctl_run(s, p, &o);

	o.policy = LS_POLICY_REPLAY;
	o.seed = 1;   /* ignored by replay */
	o.replay = &x->sched;
	struct ctl_outcome *y = ctl_run(s, p, &o);

	ck_assert_int_eq(y->status, LS_RUN_FINISHED);
	ctl_assert_same(x, y, "replay");
	ctl_outcome_free(x);
	ctl_outcome_free(y);
}
END_TEST

/* A schedule through a file replays the same as one in memory. */
START_TEST(ctl_replay_from_file)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_deposit(p, 2, 10, 0);
	struct ls_run_opts o;
	char err[400] = "", dir[256], path[300];
	const char *base = getenv("TMPDIR");

	snprintf(dir, sizeof dir, "%s/lockstep-test-XXXXXX", base && *base ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/run.schedule", dir);

	ls_run_opts_default(&o, s);
	o.policy = LS_POLICY_RANDOM;
	o.seed = 3;
	struct ls_run *r = th_start_opts(s, p, &o);
	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	struct ctl_outcome *x = calloc(1, sizeof *x);
	ck_assert_ptr_nonnull(x);
	ctl_capture(r, x);
	ck_assert_int_eq(ls_run_save_schedule(r, path, err, sizeof err), 0);

	struct ls_schedule loaded;
	int rc = ls_schedule_load(&loaded, path, ls_run_actor_names(r), ls_run_actor_count(r),
	                          err, sizeof err);
	ls_run_free(r);
	unlink(path);
	rmdir(dir);
	ck_assert_msg(rc == 0, "%s", err);

	o.policy = LS_POLICY_REPLAY;
	o.replay = &loaded;
	struct ctl_outcome *y = ctl_run(s, p, &o);
	ctl_assert_same(x, y, "replay from file");
	ls_schedule_clear(&loaded);
	ctl_outcome_free(x);
	ctl_outcome_free(y);
}
END_TEST

/* Past the end of a short schedule the lowest-numbered able actor moves. */
START_TEST(ctl_replay_short_schedule)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_deposit(p, 2, 10, 0);
	struct ls_run_opts o;
	struct ls_schedule prefix;

	ls_schedule_init(&prefix);
	ls_schedule_push(&prefix, 1);
	ls_schedule_push(&prefix, 1);
	ls_run_opts_default(&o, s);
	o.policy = LS_POLICY_REPLAY;
	o.replay = &prefix;
	struct ctl_outcome *x = ctl_run(s, p, &o);
	static const int want[] = { 1, 1, 0, 0, 0, 1 };

	ck_assert_int_eq(x->status, LS_RUN_FINISHED);
	ck_assert_uint_eq(x->sched.len, 6);
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(x->sched.steps[i], want[i]);
	/* T2 read 0, T1 read 0 and stored 1, then T2 stored its stale 1. */
	ck_assert_int_eq(x->balance, 1);
	ls_schedule_clear(&prefix);
	ctl_outcome_free(x);
}
END_TEST

static void
ctl_expect_diverged(const long *p, const struct ls_scenario *s, const int *steps, size_t n,
                    size_t taken, const char *who, const char *step)
{
	struct ls_run *r = th_replay(s, p, LS_ACTORS_THREADS, steps, n);

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_DIVERGED);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_DIVERGED);
	ck_assert_msg(strstr(ls_run_reason(r), who) && strstr(ls_run_reason(r), step),
	              "reason: '%s'", ls_run_reason(r));
	ck_assert_uint_eq(ls_run_schedule(r)->len, taken);
	ls_run_free(r);
}

/* T2 is named while T1 holds the lock it needs. */
START_TEST(ctl_replay_diverges_blocked)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_deposit(p, 2, 10, 1);
	static const int steps[] = { 0, 1, 0 };

	ctl_expect_diverged(p, s, steps, 3, 1, "T2", "step 2");
}
END_TEST

/* T1 is named again after it has finished (load, sleep, store). */
START_TEST(ctl_replay_diverges_finished)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_deposit(p, 2, 10, 0);
	static const int steps[] = { 0, 0, 0, 0, 1 };

	ctl_expect_diverged(p, s, steps, 5, 3, "T1", "step 4");
}
END_TEST

/* A replay naming an actor the run does not have is refused up front. */
START_TEST(ctl_replay_out_of_range)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_deposit(p, 2, 10, 0);
	struct ls_run_opts o;
	struct ls_schedule sched;
	char err[256] = "";

	ls_schedule_init(&sched);
	ls_schedule_push(&sched, 0);
	ls_schedule_push(&sched, 5);
	ls_run_opts_default(&o, s);
	o.policy = LS_POLICY_REPLAY;
	o.replay = &sched;
	ck_assert_ptr_null(ls_run_new(s, p, &o, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "step 2"));
	ls_schedule_clear(&sched);
}
END_TEST

/* ---- stepping ----------------------------------------------------------- */

START_TEST(ctl_step_moves_one_actor)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_deposit(p, 3, 10, 0);
	struct ls_run_opts o;

	th_opts(&o, s, th_kind(_i), LS_POLICY_STEP);
	struct ls_run *r = th_start_opts(s, p, &o);
	const struct ls_model *m = ls_run_model(r);

	th_wait_parked(r);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(m->actors[i].state, LS_AS_GATE);
		ck_assert_int_eq(m->actors[i].op, LS_OP_LOAD);
	}
	int load_line = m->actors[0].line;
	ck_assert_int_gt(load_line, 0);

	ck_assert_int_eq(ls_run_step(r, 1), 1);
	ck_assert_int_eq(m->actors[1].state, LS_AS_GATE);
	ck_assert_int_eq(m->actors[1].op, LS_OP_SLEEP);
	ck_assert_int_gt(m->actors[1].line, load_line);
	ck_assert_uint_eq(m->actors[1].nevents, 4);   /* start, load begin+done, sleep begin */
	for (int i = 0; i < 3; i += 2) {
		ck_assert_int_eq(m->actors[i].state, LS_AS_GATE);
		ck_assert_int_eq(m->actors[i].op, LS_OP_LOAD);
		ck_assert_int_eq(m->actors[i].line, load_line);
		ck_assert_uint_eq(m->actors[i].nevents, 2);
	}
	ck_assert_uint_eq(ls_run_schedule(r)->len, 1);
	ck_assert_int_eq(ls_run_schedule(r)->steps[0], 1);

	/* Two more steps and T2 is done; it cannot be picked again. */
	ck_assert_int_eq(ls_run_step(r, 1), 1);
	ck_assert_int_eq(m->actors[1].op, LS_OP_STORE);
	ck_assert_int_eq(ls_run_step(r, 1), 1);
	ck_assert_int_eq(m->actors[1].state, LS_AS_DONE);
	ck_assert_int_eq(ls_model_var(m, "balance"), 1);
	ck_assert_int_eq(ls_run_step(r, 1), -1);
	ck_assert_int_eq(ls_run_step(r, 7), -1);
	ck_assert_int_eq(m->actors[0].state, LS_AS_GATE);
	ck_assert_uint_eq(m->actors[0].nevents, 2);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_RUNNING);
	ck_assert_uint_eq(ls_run_schedule(r)->len, 3);

	/* Under step, polling takes no step of its own. */
	ck_assert_int_eq(ls_run_poll(r, 50), LS_RUN_RUNNING);
	ck_assert_uint_eq(ls_run_schedule(r)->len, 3);
	ls_run_free(r);
}
END_TEST

/* ---- deadlock ----------------------------------------------------------- */

START_TEST(ctl_deadlock_controlled)
{
	long p[1] = { 50 };
	struct ls_run_opts o;

	th_opts(&o, &dl_scenario, th_kind(_i), LS_POLICY_STEP);
	struct ls_run *r = th_start_opts(&dl_scenario, p, &o);
	const struct ls_model *m = ls_run_model(r);
	int a = ls_model_find(m, "a"), b = ls_model_find(m, "b");

	th_wait_parked(r);
	ck_assert_int_eq(ls_run_step(r, 0), 0);   /* T1 locks a */
	ck_assert_int_eq(ls_run_step(r, 1), 1);   /* T2 locks b */
	ck_assert_int_eq(m->objs[a].owner, 0);
	ck_assert_int_eq(m->objs[b].owner, 1);
	/* Whatever order the rest takes, both end up wanting the other's lock. */
	int steps = 0;
	th_run_out(r, &steps, 100);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_DEADLOCK);
	const char *why = ls_run_reason(r);
	ck_assert_msg(strstr(why, "cycle") && strstr(why, "T1") && strstr(why, "T2"),
	              "reason: '%s'", why);
	ck_assert_int_eq(m->actors[0].op, LS_OP_LOCK);
	ck_assert_int_eq(m->actors[0].obj, b);
	ck_assert_int_eq(m->actors[1].op, LS_OP_LOCK);
	ck_assert_int_eq(m->actors[1].obj, a);
	ck_assert_int_eq(ls_run_poll(r, 10), LS_RUN_DEADLOCK);
	ls_run_free(r);
	if (o.kind == LS_ACTORS_PROCESSES)
		ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
}
END_TEST

START_TEST(ctl_deadlock_free)
{
	long p[1] = { 50 };
	struct ls_run_opts o;
	int polls = 0;

	th_opts(&o, &dl_scenario, th_kind(_i), LS_POLICY_FREE);
	struct ls_run *r = th_start_opts(&dl_scenario, p, &o);

	while (ls_run_poll(r, 100) == LS_RUN_RUNNING)
		ck_assert_int_lt(++polls, 200);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_DEADLOCK);
	const char *why = ls_run_reason(r);
	ck_assert_msg(strstr(why, "cycle") && strstr(why, "T1") && strstr(why, "T2"),
	              "reason: '%s'", why);
	const struct ls_model *m = ls_run_model(r);
	ck_assert_int_eq(m->actors[0].state, LS_AS_BLOCKED);
	ck_assert_int_eq(m->actors[1].state, LS_AS_BLOCKED);
	/* The actors are really stuck in pthread_mutex_lock: free must stop them. */
	ls_run_free(r);
	if (o.kind == LS_ACTORS_PROCESSES)
		ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
}
END_TEST

/* ---- the chooser on its own --------------------------------------------- */

START_TEST(ctl_chooser_pure)
{
	struct ls_controller x, y;
	static const int enabled[] = { 0, 2, 5 };
	static const char *const names[] = { "A", "B", "C", "D", "E", "F" };
	char err[100];

	ls_controller_init(&x, LS_POLICY_RANDOM, 42, NULL);
	ls_controller_init(&y, LS_POLICY_RANDOM, 42, NULL);
	for (int i = 0; i < 100; i++) {
		int peek = ls_controller_peek(&x, enabled, 3);
		int a = ls_controller_choose(&x, enabled, 3, names, err, sizeof err);
		int b = ls_controller_choose(&y, enabled, 3, names, err, sizeof err);
		ck_assert_int_eq(a, peek);
		ck_assert_int_eq(a, b);
		ck_assert(a == 0 || a == 2 || a == 5);
	}
	ck_assert_int_eq(ls_controller_choose(&x, enabled, 0, names, err, sizeof err), -1);
	ls_controller_fini(&x);
	ls_controller_fini(&y);
}
END_TEST

Suite *
controller_suite(void)
{
	Suite *s = suite_create("controller");
	TCase *tc = th_tcase(s, "chooser", 10);

	tcase_add_test(tc, ctl_chooser_pure);

	tc = th_tcase(s, "determinism", 60);
	tcase_add_loop_test(tc, ctl_same_seed_same_run, 0, 2);
	tcase_add_test(tc, ctl_kinds_agree);
	tcase_add_test(tc, ctl_seeds_differ);
	tcase_add_loop_test(tc, ctl_replay_same_run, 0, 2);
	tcase_add_test(tc, ctl_replay_from_file);
	tcase_add_test(tc, ctl_replay_short_schedule);
	tcase_add_test(tc, ctl_replay_diverges_blocked);
	tcase_add_test(tc, ctl_replay_diverges_finished);
	tcase_add_test(tc, ctl_replay_out_of_range);

	tc = th_tcase(s, "step", 30);
	tcase_add_loop_test(tc, ctl_step_moves_one_actor, 0, 2);

	tc = th_tcase(s, "deadlock", 30);
	tcase_add_loop_test(tc, ctl_deadlock_controlled, 0, 2);
	tcase_add_loop_test(tc, ctl_deadlock_free, 0, 2);
	return s;
}
