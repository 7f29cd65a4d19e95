/*
 * semaphore.c - five at a time: threading.BoundedSemaphore(5) over 22 threads.
 *
 * Mirrors tutorial 004 (十、Semaphore): each of 22 threads acquires the
 * semaphore, sleeps 1 s, prints "run the thread: n" and releases.  A mutex
 * lets one thread in; a semaphore lets a fixed number in (the tutorial's
 * toilet with 3 stalls), so the threads pass in waves of 5 and the run takes
 * about ceil(22/5) = 5 seconds, never more than 5 inside at once.
 *
 * overrelease=1 adds the bug BoundedSemaphore exists for: the last thread to
 * finish calls release() a second time.  Every slot is free by then, so the
 * bounded semaphore refuses (Python raises ValueError: Semaphore released too
 * many times) and its count stays at 5.  With bounded=0 (a plain
 * threading.Semaphore) the same release is silently accepted: the count
 * becomes 6, and from then on 6 threads could be inside at once.
 *
 * Shared: `semaphore`, a process-shared POSIX semaphore (bounded: its
 * release checks the bound under a guard); with overrelease=1 also
 * `finished`, an atomic counter that tells a thread it is the last one.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "lockstep/lesson.h"

enum { P_THREADS, P_SLOTS, P_HOLD_MS, P_OVERRELEASE, P_BOUNDED };

#define SEMAPHORE_NAME "semaphore"

static const struct ls_param_desc semaphore_params[] = {
	[P_THREADS]     = { "threads", N_("threads, each holding the semaphore once"), 22, 1, 1000, NULL },
	[P_SLOTS]       = { "slots", N_("how many may hold it at once (its initial count)"), 5, 1, 1000, NULL },
	[P_HOLD_MS]     = { "hold_ms", N_("how long each thread holds it"), 1000, 0, 60000, NULL },
	[P_OVERRELEASE] = { "overrelease", N_("1: the last thread to finish releases once too often"), 0, 0, 1, NULL },
	[P_BOUNDED]     = { "bounded", N_("1: BoundedSemaphore, 0: a plain Semaphore"), 1, 0, 1, NULL },
};

struct semaphore {
	ls_sem *sem;
	ls_var *finished;
	long threads;
	long hold_ms;
	int overrelease;
};

static void
semaphore_thread(struct ls_actor_ctx *ctx)
{
	struct semaphore *s = ctx->state;

	ls_sem_acquire(s->sem);  ls_note("n", ctx->index + 1);  /* py:sem_acquire */
	ls_sleep(s->hold_ms);  /* py:sleep */
	ls_say("run the thread: %d", ctx->index + 1);  /* py:say */ /* numbered as its name */
	ls_sem_release(s->sem);  /* py:sem_release */
	if (!s->overrelease)
		return;
	/* The last one out: every slot is free, so one more release is a bug. */
	if (ls_add(s->finished, 1) == s->threads) {  /* py:add */
		if (ls_sem_release(s->sem) != 0)  /* py:sem_release#2 */
			ls_say("ValueError: Semaphore released too many times");  /* py:say#2 */
		else
			ls_say("released it a second time: no error, one slot too many now");  /* py:say#3 */
	}
}

static const struct ls_role_desc semaphore_roles[] = {
	{ .name = "thread", .prefix = "T", .body = semaphore_thread, .count_param = P_THREADS },
};

static int
semaphore_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct semaphore *s = state;

	s->sem = ls_sem_new(w, SEMAPHORE_NAME, p[P_SLOTS], p[P_BOUNDED] ? p[P_SLOTS] : 0);
	if (!s->sem) {
		snprintf(err, len, "semaphore: cannot create the semaphore");
		return -1;
	}
	s->threads = p[P_THREADS];
	s->hold_ms = p[P_HOLD_MS];
	s->overrelease = (int)p[P_OVERRELEASE];
	if (s->overrelease) {
		s->finished = ls_var_new(w, "finished", 0);
		if (!s->finished) {
			snprintf(err, len, "semaphore: cannot create the counter");
			return -1;
		}
	}
	return 0;
}

/*
 * Over the trace: the highest count the semaphore ever had, and how long the
 * holding lasted in units of one hold.  Time means something only when the
 * sleeps were real (free mode: their BLOCK event carries the slowed-down
 * length); under a controlled schedule sleeps take no time.
 */
struct semaphore_fold {
	int sem;                /* object id + 1, 0 until looked up */
	int controlled;         /* saw a parked (BEGIN) event */
	long max_count;
	long hold_ms;           /* the length a hold really slept */
	uint64_t t_first_acquire, t_last_release;
};

static void
semaphore_fold(void *acc, const struct ls_model *m, const long *p, const struct ls_event *e)
{
	struct semaphore_fold *f = acc;

	if (!f->sem) {
		f->sem = ls_model_find(m, SEMAPHORE_NAME) + 1;
		if (f->sem > 0)
			f->max_count = m->objs[f->sem - 1].value;
	}
	if (e->phase == LS_PH_BEGIN)
		f->controlled = 1;
	if (e->op == LS_OP_SLEEP && e->phase == LS_PH_BLOCK && e->u.v.a == p[P_HOLD_MS])
		f->hold_ms = (long)e->u.v.b;
	if (f->sem <= 0 || e->obj != (unsigned)(f->sem - 1) || e->phase != LS_PH_DONE)
		return;
	long count = m->objs[f->sem - 1].value;
	if (count > f->max_count)
		f->max_count = count;
	if (e->op == LS_OP_SEM_ACQUIRE && !f->t_first_acquire)
		f->t_first_acquire = e->t_ns;
	if (e->op == LS_OP_SEM_RELEASE)
		f->t_last_release = e->t_ns;
}

/* What a semaphore run counted, read once for every part of its verdict. */
struct semaphore_seen {
	long threads, slots, reach, waves;
	long max_holders, refused, count, max_count, completed;
	int holders;
	double periods;             /* holding periods the free run took, or -1 */
	char extra[160];            /* ", in 2.1 holding periods (at least 2)" */
};

static void
semaphore_look(const struct ls_model *m, const long *p, struct semaphore_seen *w)
{
	const struct semaphore_fold *f = ls_model_fold_state(m);
	int id = ls_model_find(m, SEMAPHORE_NAME);
	const struct ls_model_obj *o = id < 0 ? NULL : &m->objs[id];

	w->threads = p[P_THREADS];
	w->slots = p[P_SLOTS];
	w->reach = w->threads < w->slots ? w->threads : w->slots;
	w->waves = (w->threads + w->slots - 1) / w->slots;
	w->max_holders = o ? o->max_holders : 0;
	w->refused = o ? o->refused : 0;
	w->count = o ? o->value : 0;
	w->holders = o ? o->holders : 0;
	w->max_count = f && f->max_count > w->count ? f->max_count : w->count;
	w->completed = m->ndone;
	w->periods = -1;
	w->extra[0] = '\0';
	if (f && !f->controlled && f->hold_ms > 0 && f->t_last_release > f->t_first_acquire)
		w->periods = (double)(f->t_last_release - f->t_first_acquire) /
		             ((double)f->hold_ms * 1e6);
	if (w->periods >= 0)
		snprintf(w->extra, sizeof w->extra, ", in %.1f holding periods (at least %ld)",
		         w->periods, w->waves);
}

/* The finished run: too many holders, a count grown past its bound, or as taught. */
static void
semaphore_summary(const long *p, const struct semaphore_seen *w, struct ls_verdict *v)
{
	const char *kind = p[P_BOUNDED] ? "BoundedSemaphore" : "Semaphore";

	v->ok = 0;
	if (w->max_holders > w->slots) {
		snprintf(v->summary, sizeof v->summary,
		         _("%ld threads held the %s at once, more than its %ld slots (it was "
		         "released more often than acquired)"), w->max_holders, kind, w->slots);
	} else if (w->max_count > w->slots) {
		snprintf(v->summary, sizeof v->summary,
		         _("the plain Semaphore took the extra release without a word: its count "
		         "grew to %ld, past the %ld it started with, so %ld threads could now "
		         "hold it at once; a BoundedSemaphore raises ValueError instead"),
		         w->max_count, w->slots, w->max_count);
	} else if (w->completed != w->threads) {
		snprintf(v->summary, sizeof v->summary, _("only %ld of %ld threads finished"),
		         w->completed, w->threads);
	} else if (p[P_OVERRELEASE] && w->refused > 0) {
		v->ok = 1;
		snprintf(v->summary, sizeof v->summary,
		         _("never more than %ld holders at once%s; the extra release was refused "
		         "(ValueError: Semaphore released too many times), so the count stayed at %ld"),
		         w->max_holders, w->extra, w->count);
	} else {
		v->ok = 1;
		snprintf(v->summary, sizeof v->summary,
		         _("never more than %ld of %ld threads held it at once (%ld allowed%s)%s"),
		         w->max_holders, w->threads, w->slots,
		         w->max_holders == w->reach ? _(", all used") : "", w->extra);
	}
}

static void
semaphore_verdict(const struct ls_model *m, const long *p, struct ls_verdict *v)
{
	struct semaphore_seen w;

	semaphore_look(m, p, &w);
	snprintf(v->expected, sizeof v->expected,
	         _("at most %ld holders at once, %ld threads finish in about %ld waves%s"),
	         w.slots, w.threads, w.waves,
	         p[P_OVERRELEASE] ? _(", the extra release refused, count never above the bound") : "");
	snprintf(v->observed, sizeof v->observed,
	         _("at most %ld holders at once, %ld finished, count ended at %ld (highest %ld), %ld release%s refused"),
	         w.max_holders, w.completed, w.count, w.max_count, w.refused, w.refused == 1 ? "" : "s");
	if (!ls_model_finished(m)) {
		v->ok = -1;
		snprintf(v->summary, sizeof v->summary,
		         _("running: %d holding now (at most %ld so far, %ld allowed), %ld finished"),
		         w.holders, w.max_holders, w.slots, w.completed);
	} else {
		semaphore_summary(p, &w, v);
	}
	ls_verdict_figure(v, "max_holders", (double)w.max_holders);
	ls_verdict_figure(v, "slots", (double)w.slots);
	ls_verdict_figure(v, "completed", (double)w.completed);
	ls_verdict_figure(v, "count", (double)w.count);
	ls_verdict_figure(v, "max_count", (double)w.max_count);
	ls_verdict_figure(v, "refused", (double)w.refused);
	if (w.periods >= 0)
		ls_verdict_figure(v, "periods", w.periods);
}

/*
 * The walkthroughs: four threads at a semaphore with three slots (the 4th
 * waits for the first to come out), then the one release too many that a
 * BoundedSemaphore refuses.
 */
static const struct ls_walk_step semaphore_walk_slots_steps[] = {
	{ "T1", N_("T1 acquires the semaphore: it had 3 slots, 2 are left.") },
	{ "T2", N_("T2 acquires it too: 1 slot left.") },
	{ "T3", N_("T3 takes the last slot: the count is 0 and three threads are inside at "
	        "once. A lock would have let in only one.") },
	{ NULL, N_("T4 wants in as well, but all 3 slots are taken: T4 is blocked at "
	        "ls_sem_acquire and cannot take a step.") },
	{ "T1", N_("T1 holds the semaphore for 1 s (a sleep; stepped, it takes no time). T4 "
	        "still waits.") },
	{ "T1", N_("T1 prints run the thread: 1.") },
	{ "T1", N_("T1 releases the semaphore and is done: one slot is free again.") },
	{ "T4", N_("Now T4 can acquire it: three inside again, T2, T3 and T4.") },
	{ "T2", N_("T2 holds it for its second.") },
	{ "T2", N_("T2 prints run the thread: 2.") },
	{ "T2", N_("T2 releases: one slot free, and nobody is waiting for it.") },
	{ "T3", N_("T3 holds it for its second.") },
	{ "T3", N_("T3 prints run the thread: 3.") },
	{ "T3", N_("T3 releases: two slots free.") },
	{ "T4", N_("T4 holds it for its second.") },
	{ "T4", N_("T4 prints run the thread: 4.") },
	{ "T4", N_("T4 releases: the count is back to 3, where it started.") },
};

static const struct ls_walk_step semaphore_walk_bounded_steps[] = {
	{ "T1", N_("T1 acquires the BoundedSemaphore(2): 1 slot left.") },
	{ "T2", N_("T2 acquires the other slot: the count is 0.") },
	{ "T1", N_("T1 holds it for its second (a sleep; stepped, it takes no time).") },
	{ "T1", N_("T1 prints run the thread: 1.") },
	{ "T1", N_("T1 releases it once, as it should: the count is 1.") },
	{ "T1", N_("T1 counts itself finished (finished = 1). It is not the last one out, "
	        "so it is done.") },
	{ "T2", N_("T2 holds it for its second.") },
	{ "T2", N_("T2 prints run the thread: 2.") },
	{ "T2", N_("T2 releases it: the count is 2, every slot is free.") },
	{ "T2", N_("T2 counts itself finished: finished = 2, it is the last one out. Here "
	        "is the bug: its next line calls release() again.") },
	{ "T2", N_("T2 releases a second time. The count is already 2, the bound, so the "
	        "BoundedSemaphore refuses and the count stays 2.") },
	{ "T2", N_("T2 prints ValueError: Semaphore released too many times.") },
};

static const struct ls_walkthrough semaphore_walkthroughs[] = {
	{ .title = N_("Three slots, four threads: the fourth waits"),
	  .params = "threads=4 slots=3 hold_ms=1000 overrelease=0 bounded=1",
	  .steps = semaphore_walk_slots_steps,
	  .nsteps = sizeof semaphore_walk_slots_steps / sizeof semaphore_walk_slots_steps[0],
	  .ending = N_("Four threads, three slots: never more than 3 inside at once, and T4 "
	            "went in only when T1 came out. With 22 threads and 5 slots they pass "
	            "in waves of 5, about 5 s in all.") },
	{ .title = N_("One release too many: the bound refuses it"),
	  .params = "threads=2 slots=2 hold_ms=1000 overrelease=1 bounded=1",
	  .steps = semaphore_walk_bounded_steps,
	  .nsteps = sizeof semaphore_walk_bounded_steps / sizeof semaphore_walk_bounded_steps[0],
	  .ending = N_("The extra release was refused, so no more than 2 threads can ever "
	            "hold it, as promised. With bounded=0 (a plain Semaphore) the same "
	            "release is silently accepted: the count grows to 3, and from then on "
	            "3 threads could be inside at once.") },
};

/*
 * The challenges: three threads at a semaphore of two slots, holding it for
 * no time.  Keeping T3 out takes two acquires first; getting all three in
 * would take a semaphore that lets in more than its count.
 */
#define SEMAPHORE_T3 2

static int
semaphore_t3_waits(const struct ls_model *m, const long *p)
{
	const struct ls_model_actor *a;

	(void)p;
	if (m->nactors <= SEMAPHORE_T3)
		return 0;
	a = &m->actors[SEMAPHORE_T3];
	return a->op == LS_OP_SEM_ACQUIRE &&
	       (a->state == LS_AS_BLOCKED ||
	        (a->state == LS_AS_GATE && !ls_model_can_proceed(m, SEMAPHORE_T3)));
}

/* T3 got past its acquire: it will never wait for it again. */
static int
semaphore_t3_waits_lost(const struct ls_model *m, const long *p)
{
	const struct ls_model_actor *a;

	(void)p;
	if (m->nactors <= SEMAPHORE_T3)
		return 1;
	a = &m->actors[SEMAPHORE_T3];
	return a->state == LS_AS_DONE || a->state == LS_AS_CRASHED ||
	       (a->state == LS_AS_GATE && a->op != LS_OP_SEM_ACQUIRE);
}

static int
semaphore_over_full(const struct ls_model *m, const long *p)
{
	int id = ls_model_find(m, SEMAPHORE_NAME);

	return id >= 0 && m->objs[id].max_holders > p[P_SLOTS];
}

static const struct ls_challenge semaphore_challenges[] = {
	{ .title = N_("Keep T3 waiting: fill both slots before it gets in"),
	  .params = "threads=3 slots=2 hold_ms=0 overrelease=0 bounded=1",
	  .hint = N_("T3 waits only while two others hold the semaphore"),
	  .win = "T1 T1 T1 T2",
	  .lose = "T3",
	  .met = semaphore_t3_waits, .lost = semaphore_t3_waits_lost },
	{ .title = N_("Get 3 threads inside a semaphore of 2 slots"),
	  .params = "threads=3 slots=2 hold_ms=0 overrelease=0 bounded=1",
	  .lose = "T1 T1 T2 T2",
	  .met = semaphore_over_full, .impossible = 1 },
};

/* Small sizes the explorer's tests search whole (tests/check_explore_reduce.c). */
static const struct ls_explore_case semaphore_explore_cases[] = {
	{ .params = "threads=2 slots=1 hold_ms=1 overrelease=1 bounded=0" },
	{ .params = "threads=2 slots=1 hold_ms=1 overrelease=1 bounded=1" },
};

const struct ls_scenario ls_scenario_semaphore = {
	.name = "semaphore",
	.position = 30,
	.title = N_("Bounded semaphore: 22 threads, 5 at a time"),
	.seed = "004: threading.BoundedSemaphore(5) over 22 threads",
	.lesson =
		N_("A lock lets one thread in; a semaphore lets a fixed number in, like a "
		"toilet with 5 stalls. 22 threads each acquire BoundedSemaphore(5), hold "
		"it for 1 s, print and release. The first 5 get in at once, the 6th waits "
		"until one of them comes out, and so on: never more than 5 inside, and the "
		"22 pass in waves of 5, about 5 s in all. "
		"overrelease=1 shows why it is *bounded*: the last thread to finish calls "
		"release() once more. A BoundedSemaphore refuses to rise above the count it "
		"started with (ValueError: Semaphore released too many times); a plain "
		"Semaphore (bounded=0) silently grows to 6, and from then on 6 threads "
		"could be inside at once."),
	.params = semaphore_params,
	.nparams = LS_NPARAMS(semaphore_params),
	.roles = semaphore_roles,
	.nroles = sizeof semaphore_roles / sizeof semaphore_roles[0],
	.kind = LS_ACTORS_THREADS,
	.toggle_param = P_OVERRELEASE,
	.state_size = sizeof(struct semaphore),
	.setup = semaphore_setup,
	.verdict = semaphore_verdict,
	.fold_size = sizeof(struct semaphore_fold),
	.fold = semaphore_fold,
	.walkthroughs = semaphore_walkthroughs,
	.nwalkthroughs = sizeof semaphore_walkthroughs / sizeof semaphore_walkthroughs[0],
	.challenges = semaphore_challenges,
	.nchallenges = sizeof semaphore_challenges / sizeof semaphore_challenges[0],
	.explore_cases = semaphore_explore_cases,
	.nexplore_cases = sizeof semaphore_explore_cases / sizeof semaphore_explore_cases[0],
};
