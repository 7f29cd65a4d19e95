/*
 * rlock.c - a lock taken again by its own holder: RLock against Lock.
 *
 * Mirrors tutorial 004's RLock program: run3() takes the lock, then calls
 * run1() and run2(), which each take the same lock again to add 1 to num and
 * num2.  With threading.RLock the holder may re-enter, so every thread
 * finishes and prints num and num2.  With a plain threading.Lock the thread
 * blocks on the lock it already holds: nobody will ever release it, and the
 * tutorial's main loop printing active_count() never ends.  lockstep sees
 * the thread wait for itself and reports the deadlock (cycle T1 -> T1).
 *
 * Shared: `num` and `num2` (plain variables, changed only under the lock)
 * and `lock`, a reentrant mutex (lock=rlock) or an error-checking one
 * (lock=lock, where relocking by the owner never succeeds).
 */
#include "config.h"

#include <stdio.h>

#include "lockstep/lesson.h"

enum { P_THREADS, P_LOCK };
enum { RLOCK_PLAIN, RLOCK_REENTRANT };

static const char *const rlock_lock_choices[] = { "lock", "rlock", NULL };

static const struct ls_param_desc rlock_params[] = {
	[P_THREADS] = { "threads", N_("threads running run3() (the tutorial starts 1)"), 1, 1, 50, NULL },
	[P_LOCK]    = { "lock", N_("rlock: threading.RLock; lock: threading.Lock"), RLOCK_REENTRANT,
	                0, 1, rlock_lock_choices },
};

struct rlock {
	ls_var *num;
	ls_var *num2;
	ls_mutex *lock;
};

static long
rlock_run1(struct rlock *r)
{
	ls_say("grab the first part data");  /* py:say */
	ls_rlock_acquire(r->lock);  /* py:lock */
	long num = ls_load(r->num) + 1;  ls_note("num", num);  /* py:load */
	ls_store(r->num, num);  /* py:store */
	ls_rlock_release(r->lock);  /* py:unlock */
	return num;
}

static long
rlock_run2(struct rlock *r)
{
	ls_say("grab the second part data");  /* py:say#2 */
	ls_rlock_acquire(r->lock);  /* py:lock#2 */
	long num2 = ls_load(r->num2) + 1;  ls_note("num2", num2);  /* py:load#2 */
	ls_store(r->num2, num2);  /* py:store#2 */
	ls_rlock_release(r->lock);  /* py:unlock#2 */
	return num2;
}

static void
rlock_run3(struct ls_actor_ctx *ctx)
{
	struct rlock *r = ctx->state;

	ls_rlock_acquire(r->lock);  /* py:lock#3 */
	long res = rlock_run1(r);
	ls_say("--------between run1 and run2-----");  /* py:say#3 */
	long res2 = rlock_run2(r);
	ls_rlock_release(r->lock);  /* py:unlock#3 */
	ls_say("%ld %ld", res, res2);  /* py:say#4 */
}

static const struct ls_role_desc rlock_roles[] = {
	{ .name = "run3", .prefix = "T", .body = rlock_run3, .count_param = P_THREADS,
	  .symmetric = 1 },
};

static int
rlock_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct rlock *r = state;

	r->num = ls_var_new(w, "num", 0);
	r->num2 = ls_var_new(w, "num2", 0);
	r->lock = p[P_LOCK] == RLOCK_REENTRANT ? ls_rlock_new(w, "lock") : ls_mutex_new(w, "lock");
	if (!r->num || !r->num2 || !r->lock) {
		snprintf(err, len, "rlock: cannot create the shared objects");
		return -1;
	}
	return 0;
}

/* The actor waiting for a lock it holds itself, or -1. */
static int
rlock_self_waiter(const struct ls_model *m)
{
	for (int i = 0; i < m->nactors; i++) {
		const struct ls_model_actor *a = &m->actors[i];
		if (a->op == LS_OP_LOCK && a->obj >= 0 && m->objs[a->obj].owner == i &&
		    (a->state == LS_AS_BLOCKED || (a->state == LS_AS_GATE && !ls_model_can_proceed(m, i))))
			return i;
	}
	return -1;
}

static void
rlock_verdict(const struct ls_model *m, const long *p, struct ls_verdict *v)
{
	long threads = p[P_THREADS];
	long num = ls_model_var(m, "num"), num2 = ls_model_var(m, "num2");
	int stuck = rlock_self_waiter(m);

	snprintf(v->expected, sizeof v->expected, p[P_LOCK] == RLOCK_REENTRANT
	         ? _("num %ld and num2 %ld: the holder re-enters its RLock")
	         : _("num %ld and num2 %ld, if a Lock could be re-entered (it cannot)"),
	         threads, threads);
	snprintf(v->observed, sizeof v->observed, _("num %ld, num2 %ld%s"), num, num2,
	         stuck >= 0 ? _(", a thread waits for itself") : "");
	ls_verdict_figure(v, "num", (double)num);
	ls_verdict_figure(v, "num2", (double)num2);
	ls_verdict_figure(v, "self_deadlocked", stuck >= 0);
	if (stuck >= 0) {
		v->ok = 0;
		snprintf(v->summary, sizeof v->summary,
		         _("deadlock: %s holds 'lock' and asks for it again in run1(); a plain Lock "
		         "does not know its owner, so %s waits for itself for ever (an RLock "
		         "counts the re-entry instead)"), m->actors[stuck].name, m->actors[stuck].name);
	} else if (!ls_model_finished(m)) {
		v->ok = -1;
		snprintf(v->summary, sizeof v->summary, _("running: num %ld, num2 %ld so far"), num, num2);
	} else {
		v->ok = num == threads && num2 == threads;
		snprintf(v->summary, sizeof v->summary, v->ok
		         ? _("expected %ld and %ld, got %ld and %ld: each thread re-entered the lock it held and released it as often as it took it")
		         : _("expected %ld and %ld, got %ld and %ld"),
		         threads, threads, num, num2);
	}
}

/*
 * The walkthroughs: one thread through run3() with an RLock, the depth
 * counted up and down on the Objects pane; then the same with a plain Lock,
 * where the second acquire never returns.
 */
static const struct ls_walk_step rlock_walk_rlock_steps[] = {
	{ "T1", N_("T1 takes the RLock in run3(): lock is held by T1, depth 1.") },
	{ "T1", N_("T1 calls run1(), which says what it is about to do.") },
	{ "T1", N_("run1() takes the lock again. T1 already holds it, and an RLock knows its "
	        "owner: the acquire returns at once and the depth goes to 2.") },
	{ "T1", N_("T1 reads num: 0.") },
	{ "T1", N_("T1 writes num = 1, inside the lock.") },
	{ "T1", N_("run1() releases once: depth 1. The lock is still T1's; nobody else could "
	        "take it now.") },
	{ "T1", N_("Back in run3(), T1 prints the line between run1 and run2.") },
	{ "T1", N_("T1 calls run2(), which says what it is about to do.") },
	{ "T1", N_("run2() takes the lock again: depth 2.") },
	{ "T1", N_("T1 reads num2: 0.") },
	{ "T1", N_("T1 writes num2 = 1.") },
	{ "T1", N_("run2() releases once: depth 1.") },
	{ "T1", N_("run3() releases the last hold: depth 0, the lock is free. It was released "
	        "as often as it was taken.") },
	{ "T1", N_("T1 prints num and num2: 1 1.") },
};

static const struct ls_walk_step rlock_walk_lock_steps[] = {
	{ "T1", N_("T1 takes the plain Lock in run3(): lock is held by T1.") },
	{ "T1", N_("T1 calls run1(), which says what it is about to do. Its next line asks "
	        "for the lock again.") },
	{ NULL, N_("A plain Lock does not remember who holds it, only that it is held: T1 "
	        "must wait until the holder lets go, and the holder is T1 itself. Nobody "
	        "else will ever release it: a deadlock with a cycle of one, T1 -> T1.") },
};

static const struct ls_walkthrough rlock_walkthroughs[] = {
	{ .title = N_("An RLock is re-entered: the depth counts"),
	  .params = "threads=1 lock=rlock",
	  .steps = rlock_walk_rlock_steps,
	  .nsteps = sizeof rlock_walk_rlock_steps / sizeof rlock_walk_rlock_steps[0],
	  .ending = N_("Every acquire of the RLock by its holder went through and raised the "
	            "depth; every release lowered it; the lock was free again at depth 0. "
	            "num and num2 are 1 each, as the tutorial prints.") },
	{ .title = N_("A plain Lock taken twice: the thread waits for itself"),
	  .params = "threads=1 lock=lock",
	  .steps = rlock_walk_lock_steps,
	  .nsteps = sizeof rlock_walk_lock_steps / sizeof rlock_walk_lock_steps[0],
	  .ending = N_("T1 holds the lock and waits for it: a deadlock of one thread. The "
	            "tutorial's program hangs here for ever; threading.RLock is the fix.") },
};

/* The challenges: deadlock is met when every unfinished thread waits for ever. */
static int
rlock_deadlocked(const struct ls_model *m, const long *p)
{
	char why[256];

	(void)p;
	return ls_model_deadlock(m, 1, why, sizeof why);
}

static const struct ls_challenge rlock_challenges[] = {
	{ .title = N_("Deadlock the plain lock"),
	  .params = "threads=1 lock=lock",
	  .hint = N_("run3() takes the lock, then run1() takes it again"),
	  .win = "T1 T1",
	  .met = rlock_deadlocked },
	{ .title = N_("Deadlock the RLock with two threads"),
	  .params = "threads=2 lock=rlock",
	  .lose = "T1 T1 T1",
	  .met = rlock_deadlocked, .impossible = 1 },
};

/* Small sizes the explorer's tests search whole (tests/check_explore_reduce.c). */
static const struct ls_explore_case rlock_explore_cases[] = {
	{ .params = "threads=2 lock=rlock" },
	{ .params = "threads=2 lock=lock" },
};

const struct ls_scenario ls_scenario_rlock = {
	.name = "rlock",
	.position = 70,
	.title = N_("RLock: a lock taken again by its holder"),
	.seed = "004: run3() takes the lock, then run1() and run2() take it again (RLock)",
	.lesson =
		N_("run3() takes the lock, then calls run1() and run2(), which take the same "
		"lock again to change num and num2. A threading.RLock remembers its owner "
		"and counts: its holder may take it again and it is free once released as "
		"often as taken, so every thread finishes with num and num2 counted. "
		"Switch to a plain threading.Lock (l) and the thread blocks in run1() on "
		"the lock it already holds: nobody else can release it, so it waits for "
		"itself for ever. The tutorial's program just hangs; lockstep shows the "
		"thread waiting on its own lock and reports the deadlock."),
	.params = rlock_params,
	.nparams = LS_NPARAMS(rlock_params),
	.roles = rlock_roles,
	.nroles = sizeof rlock_roles / sizeof rlock_roles[0],
	.kind = LS_ACTORS_THREADS,
	.toggle_param = P_LOCK,
	.state_size = sizeof(struct rlock),
	.setup = rlock_setup,
	.verdict = rlock_verdict,
	.walkthroughs = rlock_walkthroughs,
	.nwalkthroughs = sizeof rlock_walkthroughs / sizeof rlock_walkthroughs[0],
	.challenges = rlock_challenges,
	.nchallenges = sizeof rlock_challenges / sizeof rlock_challenges[0],
	.explore_cases = rlock_explore_cases,
	.nexplore_cases = sizeof rlock_explore_cases / sizeof rlock_explore_cases[0],
};
