/*
 * deposit.c - the bank account race.
 *
 * Mirrors tutorial 000 (Account.deposit, 100 AddMoneyThread, 1 yuan each):
 * deposit() reads the balance, takes 0.01 s "to process the deposit", then
 * writes balance + money.  Without a lock almost every thread reads the same
 * old balance and the account ends near 2 yuan instead of 100; with the lock
 * it is exactly 100.  Tutorial 004's `num -= 1` by 100 threads is the same
 * lesson without the sleep (delay_ms=0: not even a sleep step).
 *
 * Shared: `balance` (a plain variable: a load, then a store) and `lock` (a
 * mutex, taken around the read-sleep-write only when locked=1).
 */
#include "config.h"

#include <stdio.h>

#include "lockstep/lesson.h"

enum { P_DEPOSITORS, P_AMOUNT, P_DELAY_MS, P_LOCKED };

static const struct ls_param_desc deposit_params[] = {
	[P_DEPOSITORS] = { "depositors", N_("threads, each depositing once"), 100, 1, 1000, NULL },
	[P_AMOUNT]     = { "amount", N_("yuan each depositor adds"), 1, 1, 1000000, NULL },
	[P_DELAY_MS]   = { "delay_ms", N_("time to process a deposit, between read and write"), 10, 0, 10000, NULL },
	[P_LOCKED]     = { "locked", N_("1 protects the deposit with a lock"), 0, 0, 1, NULL },
};

struct deposit {
	ls_var *balance;
	ls_mutex *lock;
	long amount;
	long delay_ms;
	int locked;
};

static void
deposit_depositor(struct ls_actor_ctx *ctx)
{
	struct deposit *d = ctx->state;

	if (d->locked)
		ls_lock(d->lock);  /* py:lock */
	long new_balance = ls_load(d->balance) + d->amount;  ls_note("new_balance", new_balance);  /* py:load */
	if (d->delay_ms > 0)   /* 004's num -= 1 has no pause, so no step either */
		ls_sleep(d->delay_ms);  /* py:sleep */
	ls_store(d->balance, new_balance);  /* py:store */
	if (d->locked)
		ls_unlock(d->lock);  /* py:unlock */
}

static const struct ls_role_desc deposit_roles[] = {
	{ .name = "depositor", .prefix = "T", .body = deposit_depositor,
	  .count_param = P_DEPOSITORS,
	  .symmetric = 1 },
};

static int
deposit_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct deposit *d = state;

	d->balance = ls_var_new(w, "balance", 0);
	d->lock = ls_mutex_new(w, "lock");
	if (!d->balance || !d->lock) {
		snprintf(err, len, "deposit: cannot create the shared account");
		return -1;
	}
	d->amount = p[P_AMOUNT];
	d->delay_ms = p[P_DELAY_MS];
	d->locked = (int)p[P_LOCKED];
	return 0;
}

static void
deposit_verdict(const struct ls_model *m, const long *p, struct ls_verdict *v)
{
	long expected = p[P_DEPOSITORS] * p[P_AMOUNT];
	long balance = ls_model_var(m, "balance");
	long lost = (expected - balance) / p[P_AMOUNT];
	int done = ls_model_finished(m);

	snprintf(v->expected, sizeof v->expected, _("balance %ld yuan (%ld deposits of %ld)"),
	         expected, p[P_DEPOSITORS], p[P_AMOUNT]);
	snprintf(v->observed, sizeof v->observed, _("balance %ld yuan"), balance);
	if (!done) {
		v->ok = -1;
		snprintf(v->summary, sizeof v->summary,
		         _("running: balance %ld of %ld so far"), balance, expected);
	} else if (balance == expected) {
		v->ok = 1;
		snprintf(v->summary, sizeof v->summary,
		         _("expected %ld, got %ld: every deposit counted%s"), expected, balance,
		         p[P_LOCKED] ? _(" (the lock made each read-sleep-write whole)") : "");
	} else {
		v->ok = 0;
		snprintf(v->summary, sizeof v->summary,
		         _("expected %ld, got %ld: %ld deposit%s lost (depositors read the same "
		         "old balance and overwrote each other)"),
		         expected, balance, lost, lost == 1 ? " was" : "s were");
	}
	ls_verdict_figure(v, "expected", (double)expected);
	ls_verdict_figure(v, "balance", (double)balance);
	if (done)   /* mid-run the missing yuan are mostly deposits not made yet */
		ls_verdict_figure(v, "lost", (double)lost);
}

/*
 * The walkthroughs: two depositors, one step at a time, first without the
 * lock (one deposit is lost), then with it (both count).
 */
static const struct ls_walk_step deposit_walk_unlocked_steps[] = {
	{ "T1", N_("T1 reads the balance: 0 yuan. It means to write back 0 + 1 once "
	        "its deposit is processed.") },
	{ "T2", N_("T2 reads the balance too, before T1 has written anything: it also sees 0.") },
	{ "T1", N_("T1 processes its deposit for 10 ms (a sleep; stepped, it takes no time).") },
	{ "T2", N_("T2 processes its deposit as well. Both remember the same old balance, 0.") },
	{ "T1", N_("T1 writes 0 + 1: the balance is 1 yuan.") },
	{ "T2", N_("T2 writes its own 0 + 1 over it: the balance is still 1. "
	        "T1's deposit vanished.") },
};

static const struct ls_walk_step deposit_walk_locked_steps[] = {
	{ "T1", N_("T1 takes the lock: until it lets go, it is alone inside read-process-write.") },
	{ "T1", N_("T1 reads the balance: 0 yuan.") },
	{ NULL, N_("T2 wants the lock too, but T1 holds it: T2 is blocked at ls_lock and "
	        "cannot take a step.") },
	{ "T1", N_("T1 processes its deposit for 10 ms; T2 still waits.") },
	{ "T1", N_("T1 writes 0 + 1: the balance is 1 yuan.") },
	{ "T1", N_("T1 releases the lock and finishes. The lock is free for T2.") },
	{ "T2", N_("T2 takes the lock T1 handed over.") },
	{ "T2", N_("T2 reads the balance: 1 yuan, T1's deposit included.") },
	{ "T2", N_("T2 processes its deposit.") },
	{ "T2", N_("T2 writes 1 + 1: the balance is 2 yuan.") },
	{ "T2", N_("T2 releases the lock and finishes.") },
};

static const struct ls_walkthrough deposit_walkthroughs[] = {
	{ .title = N_("Without a lock, a deposit vanishes"),
	  .params = "depositors=2 amount=1 delay_ms=10 locked=0",
	  .steps = deposit_walk_unlocked_steps,
	  .nsteps = sizeof deposit_walk_unlocked_steps / sizeof deposit_walk_unlocked_steps[0],
	  .ending = N_("Two deposits of 1 yuan, and the balance is 1: T2 read before T1 "
	            "wrote, then overwrote T1's write. A lost update; with 100 "
	            "depositors nearly all are lost. l shows the locked version.") },
	{ .title = N_("With a lock, every deposit counts"),
	  .params = "depositors=2 amount=1 delay_ms=10 locked=1",
	  .steps = deposit_walk_locked_steps,
	  .nsteps = sizeof deposit_walk_locked_steps / sizeof deposit_walk_locked_steps[0],
	  .ending = N_("Both deposits counted: the balance is 2 yuan. The lock made each "
	            "read-process-write whole, so nobody read the balance in the middle "
	            "of another deposit. The price: T2 waited while T1 was inside.") },
};

/*
 * The challenges.  Without a lock and without the pause, a depositor is a
 * load then a store of what it loaded plus the amount.  The balance ends at
 * one deposit when the last store wrote amount, i.e. its depositor loaded 0.
 */
static int
deposit_end_at_one(const struct ls_model *m, const long *p)
{
	return ls_model_finished(m) && ls_model_var(m, "balance") == p[P_AMOUNT];
}

/*
 * Lost when nobody can still write `amount` last: no depositor is about to
 * store it, and none can still load 0 (the balance is 0 only until the first
 * store, and never again: every store writes at least amount).  A depositor
 * about to store amount can always be kept for last.
 */
static int
deposit_end_at_one_lost(const struct ls_model *m, const long *p)
{
	long balance = ls_model_var(m, "balance");

	for (int i = 0; i < m->nactors; i++) {
		const struct ls_model_actor *a = &m->actors[i];

		if (a->state == LS_AS_DONE || a->state == LS_AS_CRASHED)
			continue;
		if (a->state == LS_AS_GATE && a->op == LS_OP_STORE && a->arg == p[P_AMOUNT])
			return 0;
		if (balance == 0 && (a->state == LS_AS_NEW ||
		                     (a->state == LS_AS_GATE && a->op == LS_OP_LOAD)))
			return 0;
	}
	return !deposit_end_at_one(m, p);
}

/* Any deposit lost: the run over with less than every deposit counted. */
static int
deposit_lose_one(const struct ls_model *m, const long *p)
{
	return ls_model_finished(m) &&
	       ls_model_var(m, "balance") < p[P_DEPOSITORS] * p[P_AMOUNT];
}

static const struct ls_challenge deposit_challenges[] = {
	{ .title = N_("Make 3 deposits of 1 yuan end at 1 yuan"),
	  .params = "depositors=3 amount=1 delay_ms=0 locked=0",
	  .hint = N_("the last store must write what it read plus 1, and it must have read 0"),
	  .win = "T1 T2 T1 T3 T3 T2",
	  .lose = "T1 T1 T2 T2 T3 T3",
	  .met = deposit_end_at_one, .lost = deposit_end_at_one_lost },
	{ .title = N_("With the lock, lose a deposit"),
	  .params = "depositors=2 amount=1 delay_ms=0 locked=1",
	  .hint = N_("can a second depositor read the balance while the first is inside?"),
	  .lose = "",
	  .met = deposit_lose_one, .impossible = 1 },
};

/* Small sizes the explorer's tests search whole (tests/check_explore_reduce.c). */
static const struct ls_explore_case deposit_explore_cases[] = {
	{ .params = "depositors=3 delay_ms=0" },
	{ .params = "depositors=2 delay_ms=10" },
	{ .params = "depositors=3 delay_ms=0 locked=1" },
};

const struct ls_scenario ls_scenario_deposit = {
	.name = "deposit",
	.position = 10,
	.title = N_("Bank deposit race: 100 threads add 1 yuan"),
	.seed = "000: Account.deposit with 100 AddMoneyThread (and 004: num -= 1)",
	.lesson =
		N_("100 threads each deposit 1 yuan into one account. A deposit reads the "
		"balance, takes 10 ms to process, then writes the old balance plus the "
		"money. Without a lock nearly every thread reads the same old balance "
		"during those 10 ms, so their writes overwrite each other and the "
		"account ends near 2 yuan, not 100. The balance is a critical resource: "
		"with a lock around read-process-write only one depositor is inside at a "
		"time and the balance is exactly 100."),
	.params = deposit_params,
	.nparams = LS_NPARAMS(deposit_params),
	.roles = deposit_roles,
	.nroles = sizeof deposit_roles / sizeof deposit_roles[0],
	.kind = LS_ACTORS_THREADS,
	.toggle_param = P_LOCKED,
	.state_size = sizeof(struct deposit),
	.setup = deposit_setup,
	.verdict = deposit_verdict,
	.walkthroughs = deposit_walkthroughs,
	.nwalkthroughs = sizeof deposit_walkthroughs / sizeof deposit_walkthroughs[0],
	.challenges = deposit_challenges,
	.nchallenges = sizeof deposit_challenges / sizeof deposit_challenges[0],
	.explore_cases = deposit_explore_cases,
	.nexplore_cases = sizeof deposit_explore_cases / sizeof deposit_explore_cases[0],
};
