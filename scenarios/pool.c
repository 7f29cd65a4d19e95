/*
 * pool.c - a Pool of workers: tasks queue up, each free worker takes the
 * next, and the results come back in the order they finish.
 *
 * Mirrors tutorial 003's (and 000's) Pool(4) over 5 tasks: each task prints
 * "Run task x (pid:...)" with its worker's real getpid(), sleeps 2 s and
 * prints x * x; the fifth task waits until one of the four workers is free
 * and runs on it, so a pid comes back.  form=callback is 004's Pool(5) over
 * 10 tasks with apply_async(func=Foo, callback=Bar): Foo sleeps 2 s and
 * returns i + 100, and Bar prints the result with os.getpid() - the parent's
 * pid, not the worker's.  form=map is 001's pool.map(f, [1, ..., n]): the
 * list comes back in submission order however the tasks finish.
 *
 * main is the parent: it submits (apply_async), closes the pool and, in
 * join() (or map()), is the result handler: it takes each result in the
 * order the workers hand them back and runs the callback on it, in its own
 * thread or process.  The workers (a role) loop: take the next task, run it,
 * hand the result back; when the pool is closed and no task is left, a
 * worker ends (Python's None to each worker).  --actors=processes: every
 * worker is a process of its own and tasks and results cross address
 * spaces; threads: a ThreadPool, every pid the same.
 *
 * Task durations come from task_ms_min..task_ms_max, drawn per task from a
 * generator seeded with seed= (equal by default: time.sleep(2)).
 *
 * Shared: `pool`, the Pool (its task queue and its results, in shared
 * memory under a process-shared robust mutex: every submit, take, hand-back
 * and result is one recorded step).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lockstep/lesson.h"

#define POOL_MAX_WORKERS 8
#define POOL_MAX_TASKS   20

enum { P_WORKERS, P_TASKS, P_FORM, P_TASK_MS_MIN, P_TASK_MS_MAX, P_SEED };
enum { FORM_ASYNC, FORM_CALLBACK, FORM_MAP };

static const char *const pool_form_names[] = { "async", "callback", "map", NULL };

static const struct ls_param_desc pool_params[] = {
	[P_WORKERS]     = { "workers", N_("Pool(processes): workers taking tasks"), 4, 1,
	                    POOL_MAX_WORKERS, NULL },
	[P_TASKS]       = { "tasks", N_("tasks submitted"), 5, 0, POOL_MAX_TASKS, NULL },
	[P_FORM]        = { "form", N_("apply_async (003), apply_async with a callback (004), or map (001)"),
	                    FORM_ASYNC, FORM_ASYNC, FORM_MAP, pool_form_names },
	[P_TASK_MS_MIN] = { "task_ms_min", N_("shortest time a task takes"), 2000, 0, 60000, NULL },
	[P_TASK_MS_MAX] = { "task_ms_max", N_("longest time a task takes (time.sleep(2))"), 2000, 0,
	                    60000, NULL },
	[P_SEED]        = { "seed", N_("seeds every task's time"), 1, 0, 1000000, NULL },
};

/* Roles, in actor id order: main, then the workers. */
enum { POOL_ROLE_MAIN, POOL_ROLE_WORKER };
#define POOL_FIRST_WORKER 1

struct pool {
	ls_pool *pool;
	int workers, form;
	long tasks, ms_min, ms_max, seed;
};

/* What task t computes: x * x (003), i + 100 (004), or x ** 2 over 1..n (001). */
static int64_t
pool_value(const struct pool *s, int64_t t)
{
	if (s->form == FORM_CALLBACK)
		return t + 100;
	if (s->form == FORM_MAP)
		return (t + 1) * (t + 1);
	return t * t;
}

/* splitmix64 of the seed and the task: every run takes as long per task. */
static long
pool_task_ms(const struct pool *s, int64_t t)
{
	uint64_t z = ls_mix64((uint64_t)s->seed * 0x100000001B3u + (uint64_t)t + 0x9E3779B97F4A7C15u);

	return s->ms_min + (long)(z % (uint64_t)(s->ms_max - s->ms_min + 1));
}

/* ---- the actors ---------------------------------------------------------- */

static void
pool_worker(struct ls_actor_ctx *ctx)
{
	struct pool *s = ctx->state;
	int64_t t;

	while (ls_pool_take(s->pool, &t) == 0) {  /* py:pool_take */
		int64_t v = pool_value(s, t);
		long ms = pool_task_ms(s, t);

		if (s->form == FORM_CALLBACK) {
			if (ms > 0)
				ls_sleep(ms);  /* py:sleep#2 */
			ls_say("in process %d", (int)getpid());  /* py:say#3 */
		} else if (s->form == FORM_MAP) {
			if (ms > 0)
				ls_sleep(ms);  /* py:sleep#3 */
		} else {
			ls_say("Run task %lld (pid:%d)...", (long long)t, (int)getpid());  /* py:say */
			if (ms > 0)
				ls_sleep(ms);  /* py:sleep */
			ls_say("Task %lld result is: %lld", (long long)t, (long long)v);  /* py:say#2 */
		}
		ls_pool_finish(s->pool, t, v);  /* py:pool_finish */
	}
}

/* "[1, 4, 9]": map's list, in submission order. */
static void
pool_list(const int64_t *v, long n, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (long i = 0; i < n && at + 1 < len; i++) {
		int k = snprintf(buf + at, len - at, "%s%lld", i ? ", " : "[", (long long)v[i]);
		at += k > 0 ? (size_t)k : 0;
	}
	if (at + 1 < len)
		snprintf(buf + at, len - at, "%s", n ? "]" : "[]");
}

static void
pool_main(struct ls_actor_ctx *ctx)
{
	struct pool *s = ctx->state;
	int64_t got[POOL_MAX_TASKS] = { 0 };
	char list[160];

	ls_say("Parent process %d.", (int)getpid());  /* py:say#5 */
	for (long i = 0; i < s->tasks; i++)
		ls_pool_submit(s->pool, i);  /* py:pool_submit */
	if (s->form != FORM_MAP) {
		ls_say("Waiting for all subprocesses done...");  /* py:say#6 */
		ls_pool_close(s->pool);  /* py:pool_close */
	}
	/* join() (or map()): the parent's result handler, in arrival order. */
	for (long k = 0; k < s->tasks; k++) {
		int64_t t = 0, v = 0;

		ls_pool_collect(s->pool, &t, &v);  /* py:pool_result */
		if (t >= 0 && t < POOL_MAX_TASKS)
			got[t] = v;
		if (s->form == FORM_CALLBACK)
			ls_say("-->exec done: %lld %d", (long long)v, (int)getpid());  /* py:say#4 */
	}
	if (s->form == FORM_MAP) {
		pool_list(got, s->tasks, list, sizeof list);
		ls_say("%s", list);  /* py:say#7 */
		ls_pool_close(s->pool);  /* py:pool_close#2 */
	}
	for (int w = 0; w < s->workers; w++)
		ls_join(POOL_FIRST_WORKER + w);  /* py:join */
	ls_say("All subprocesses done.");  /* py:say#8 */
}

static const struct ls_role_desc pool_roles[] = {
	[POOL_ROLE_MAIN]   = { .name = "main", .prefix = "main", .body = pool_main, .count_param = -1,
	                       .count = 1, .single = 1 },
	[POOL_ROLE_WORKER] = { .name = "worker", .prefix = "W", .body = pool_worker,
	                       .count_param = P_WORKERS },
};

static int
pool_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct pool *s = state;

	if (p[P_TASK_MS_MIN] > p[P_TASK_MS_MAX]) {
		snprintf(err, len, "pool: task_ms_min=%ld is above task_ms_max=%ld",
		         p[P_TASK_MS_MIN], p[P_TASK_MS_MAX]);
		return -1;
	}
	s->pool = ls_pool_new(w, "pool", (int)p[P_WORKERS]);
	if (!s->pool) {
		snprintf(err, len, "pool: cannot create the shared pool");
		return -1;
	}
	s->workers = (int)p[P_WORKERS];
	s->tasks = p[P_TASKS];
	s->form = (int)p[P_FORM];
	s->ms_min = p[P_TASK_MS_MIN];
	s->ms_max = p[P_TASK_MS_MAX];
	s->seed = p[P_SEED];
	return 0;
}

/* ---- the fold: each task's runs, the callbacks' actors ------------------ */

struct pool_fold {
	int obj;                        /* the pool's object id + 1; 0 until found */
	int runs[POOL_MAX_TASKS];       /* times each task was taken */
	int ran_on[POOL_MAX_TASKS];     /* the actor that took it last, + 1 */
	int reused;                     /* tasks taken by a worker that had run one before */
	int collected_by_other;         /* results taken by an actor that is not main */
	int out_of_order;               /* results that came back before an older task's */
	int64_t last_back;              /* the task of the latest result, -1 before any */
	int nback;
	int worker_seen[POOL_MAX_WORKERS + 1];
};

static void
pool_fold(void *acc, const struct ls_model *m, const long *p, const struct ls_event *e)
{
	struct pool_fold *f = acc;
	int64_t t = e->u.v.a;

	(void)p;
	if (!f->obj)
		f->obj = ls_model_find(m, "pool") + 1;
	if (!f->obj || (int)e->obj != f->obj - 1 || e->phase != LS_PH_DONE)
		return;
	if (e->op == LS_OP_POOL_TAKE && t >= 0 && t < POOL_MAX_TASKS) {
		int w = e->actor - POOL_FIRST_WORKER;
		f->runs[t]++;
		f->ran_on[t] = e->actor + 1;
		if (w >= 0 && w <= POOL_MAX_WORKERS) {
			f->reused += f->worker_seen[w] != 0;
			f->worker_seen[w] = 1;
		}
	} else if (e->op == LS_OP_POOL_FINISH) {
		/* Submission order is 0, 1, 2...: a result for a task lower than
		 * the number of results back so far came after a later one. */
		f->out_of_order += t != f->nback;
		f->nback++;
	} else if (e->op == LS_OP_POOL_COLLECT) {
		f->collected_by_other += m->actors[e->actor].role != POOL_ROLE_MAIN;
	}
}

/* ---- the verdict ---------------------------------------------------------- */

/* The finished pool: every task once, within the workers; what its form shows. */
static void
pool_summary(const struct pool_fold *f, const struct ls_model_pool *pl, const long *p,
             int twice, int never, struct ls_verdict *v)
{
	int workers = (int)p[P_WORKERS], form = (int)p[P_FORM];
	long tasks = p[P_TASKS];

	v->ok = pl && pl->finished == tasks && twice == 0 && never == 0 &&
	        pl->max_running <= workers && f->collected_by_other == 0;
	if (form == FORM_MAP)
		snprintf(v->summary, sizeof v->summary,
		         _("map gave the %ld results in submission order, though %d came back "
		         "out of order"), tasks, f->out_of_order);
	else if (form == FORM_CALLBACK)
		snprintf(v->summary, sizeof v->summary,
		         _("%ld callbacks, all run by main (the parent), none by a worker; the "
		         "results came back in the order the tasks finished"), pl ? pl->collected : 0);
	else if (tasks > workers)
		snprintf(v->summary, sizeof v->summary,
		         _("%ld tasks on %d workers: %d tasks waited for a worker to be free and "
		         "ran on one that had run a task before (the same pid again)"),
		         tasks, workers, f->reused);
	else
		snprintf(v->summary, sizeof v->summary,
		         _("%ld tasks on %d workers: no task had to wait"), tasks, workers);
}

static void
pool_verdict(const struct ls_model *m, const long *p, struct ls_verdict *v)
{
	static const struct pool_fold none;
	const struct pool_fold *f = ls_model_fold_state(m);
	int workers = (int)p[P_WORKERS], form = (int)p[P_FORM];
	long tasks = p[P_TASKS];
	int o = ls_model_find(m, "pool");
	const struct ls_model_pool *pl = o >= 0 ? m->objs[o].pool : NULL;
	int finished = ls_model_finished(m), twice = 0, never = 0, busiest = 0, used = 0;

	if (!f)
		f = &none;
	for (long t = 0; t < tasks && t < POOL_MAX_TASKS; t++) {
		twice += f->runs[t] > 1;
		never += f->runs[t] == 0;
	}
	for (int a = 0; pl && a < m->nactors; a++) {
		if (pl->done_by[a] > busiest)
			busiest = (int)pl->done_by[a];
		used += pl->done_by[a] > 0;
	}
	snprintf(v->expected, sizeof v->expected,
	         _("%ld tasks, each run once, never more than %d at a time; %s"), tasks, workers,
	         form == FORM_MAP ? _("map's list in submission order")
	         : form == FORM_CALLBACK ? _("every callback run by main, the parent")
	                                 : _("a task beyond the workers waits for a free one"));
	snprintf(v->observed, sizeof v->observed,
	         _("%ld done, at most %d running at once, %d workers used, %d tasks on a reused worker"),
	         pl ? pl->finished : 0, pl ? pl->max_running : 0, used, f->reused);
	if (!finished && ls_model_deadlock(m, 1, NULL, 0)) {
		v->ok = 0;
		snprintf(v->summary, sizeof v->summary,
		         _("main waits in join() for ever: %ld of %ld results came back; %d crashed "
		         "worker(s) never handed theirs back"), pl ? pl->finished : 0, tasks,
		         m->ncrashed);
	} else if (!finished) {
		v->ok = -1;
		snprintf(v->summary, sizeof v->summary, _("running: %ld of %ld tasks done, %ld queued"),
		         pl ? pl->finished : 0, tasks, o >= 0 ? m->objs[o].value : 0);
	} else {
		pool_summary(f, pl, p, twice, never, v);
	}
	ls_verdict_figure(v, "tasks", (double)tasks);
	ls_verdict_figure(v, "done", pl ? (double)pl->finished : 0);
	ls_verdict_figure(v, "max_running", pl ? (double)pl->max_running : 0);
	ls_verdict_figure(v, "workers_used", (double)used);
	ls_verdict_figure(v, "busiest_worker", (double)busiest);
	ls_verdict_figure(v, "reused", (double)f->reused);
	ls_verdict_figure(v, "run_twice", (double)twice);
	ls_verdict_figure(v, "never_run", (double)never);
	ls_verdict_figure(v, "out_of_order", (double)f->out_of_order);
	ls_verdict_figure(v, "collected_by_main", pl ? (double)(pl->collected - f->collected_by_other) : 0);
}

/* ---- walkthroughs ------------------------------------------------------------ */

/* Pool(2) over 3 tasks, 0 ms each: the third waits for a free worker. */
static const struct ls_walk_step pool_walk_wait_steps[] = {
	{ NULL, N_("Everyone is at their first step. Both workers wait to take a task, but the "
	        "pool's task queue is empty.") },
	{ "main", N_("main, the parent, prints its pid.") },
	{ "main", N_("apply_async(foo, (0,)): task 0 goes into the pool's task queue. main does "
	          "not wait for it.") },
	{ "main", N_("Task 1 is queued too.") },
	{ "main", N_("Task 2: three tasks queued, and only two workers.") },
	{ "W1", N_("W1 takes the oldest task, 0. The Objects pane shows it under running.") },
	{ "W2", N_("W2 takes task 1. Both workers are busy: task 2 must wait in the queue.") },
	{ "W1", N_("W1 prints 'Run task 0' with its own pid.") },
	{ "W1", N_("W1 prints the result, 0 * 0.") },
	{ "W1", N_("W1 hands the result back to the pool: it is free again.") },
	{ "W1", N_("The free W1 takes task 2, the one that waited.") },
	{ "W1", N_("W1 prints 'Run task 2' with the same pid as before: one worker, a second "
	        "task. This is why a pid appears twice in the tutorial's output.") },
	{ "main", N_("main prints that it waits for all the tasks.") },
	{ "main", N_("main closes the pool: no more tasks will come.") },
	{ "main", N_("main's join() takes the first result to come back: task 0's.") },
	{ "W2", N_("W2 prints 'Run task 1' with its pid.") },
	{ "W2", N_("W2 prints its result, 1.") },
	{ "W2", N_("W2 hands task 1's result back.") },
	{ "W1", N_("W1 prints task 2's result, 4.") },
	{ "W1", N_("W1 hands it back.") },
	{ "main", N_("main takes task 1's result.") },
	{ "main", N_("main takes task 2's result: all three are back.") },
	{ "W1", N_("W1 looks for a task: the pool is closed and its queue empty, so W1 ends.") },
	{ "W2", N_("W2 ends the same way.") },
	{ "main", N_("join() waits for W1: it has ended.") },
	{ "main", N_("And for W2.") },
	{ "main", N_("main prints that all the subprocesses are done.") },
};

static const struct ls_walkthrough pool_walkthroughs[] = {
	{ .title = N_("Pool(2), three tasks: the third waits for a free worker"),
	  .params = "workers=2 tasks=3 task_ms_min=0 task_ms_max=0",
	  .steps = pool_walk_wait_steps,
	  .nsteps = sizeof pool_walk_wait_steps / sizeof pool_walk_wait_steps[0],
	  .ending = N_("Two workers ran three tasks: no more than two ran at once, and the third "
	            "ran on a worker that had finished one, with the same pid. A pool does not "
	            "start a process per task; it reuses its workers.") },
};

/*
 * The challenges: make the results come back in the reverse of submission
 * order; and run more tasks at once than there are workers, which no
 * schedule can.
 */
static int
pool_reversed(const struct ls_model *m, const long *p)
{
	int o = ls_model_find(m, "pool");
	const struct ls_model_pool *pl = o >= 0 ? m->objs[o].pool : NULL;

	if (!pl || pl->finished < p[P_TASKS])
		return 0;
	for (long k = 0; k < p[P_TASKS]; k++)
		if (pl->results[k].task != p[P_TASKS] - 1 - k)
			return 0;
	return 1;
}

static int
pool_reversed_lost(const struct ls_model *m, const long *p)
{
	int o = ls_model_find(m, "pool");
	const struct ls_model_pool *pl = o >= 0 ? m->objs[o].pool : NULL;

	if (!pl)
		return 0;
	for (long k = 0; k < pl->finished && k < p[P_TASKS]; k++)
		if (pl->results[k].task != p[P_TASKS] - 1 - k)
			return 1;
	return 0;
}

static int
pool_overfull(const struct ls_model *m, const long *p)
{
	int o = ls_model_find(m, "pool");

	return o >= 0 && m->objs[o].pool && m->objs[o].pool->max_running > p[P_WORKERS];
}

static const struct ls_challenge pool_challenges[] = {
	{ .title = N_("Make the results come back in reverse order"),
	  .params = "workers=2 tasks=2 task_ms_min=0 task_ms_max=0 form=map",
	  .hint = N_("let W1 take task 0 and W2 task 1, then let W2 hand its result back first"),
	  .win = "main main main W1 W2 W2 W1",
	  .lose = "main main main W1 W2 W1",
	  .met = pool_reversed, .lost = pool_reversed_lost },
	{ .title = N_("Run two tasks at once on one worker"),
	  .params = "workers=1 tasks=2 task_ms_min=0 task_ms_max=0 form=map",
	  .lose = "main main main W1 W1 W1",
	  .met = pool_overfull, .impossible = 1 },
};

/* Small sizes the explorer's tests search whole (tests/check_explore_reduce.c). */
static const struct ls_explore_case pool_explore_cases[] = {
	{ .params = "workers=1 tasks=2 task_ms_min=0 task_ms_max=0 form=map" },
	{ .params = "workers=2 tasks=2 task_ms_min=0 task_ms_max=0 form=map" },
};

const struct ls_scenario ls_scenario_pool = {
	.name = "pool",
	.position = 160,
	.title = N_("A Pool of workers: tasks wait for a free worker, results come back"),
	.seed = "003/000: Pool(4) over 5 tasks printing each worker's pid; 004: Pool(5), "
	        "apply_async with a callback; 001: pool.map",
	.lesson =
		N_("main, the parent, makes a Pool of 4 workers and submits 5 tasks with "
		"apply_async. Submitting never waits: each task goes into the pool's task queue. "
		"Each free worker takes the oldest task, runs it (it prints its pid and sleeps 2 s) "
		"and hands the result back. With 4 workers and 5 tasks the fifth waits in the "
		"queue until a worker is free, and runs on that worker: its pid appears a second "
		"time. A pool reuses its workers; it does not start a process per task.\n\n"
		"close() says no more tasks will come; join() waits for every task and every "
		"worker. In join main is the result handler: it takes each result in the order "
		"the workers hand them back. With form=callback (004: Pool(5), 10 tasks, "
		"callback=Bar) main runs the callback on each result: the callback prints main's "
		"pid, never a worker's. With form=map (001) main puts each result in its place: "
		"the list comes back in submission order even when the tasks finish in another "
		"order.\n\n"
		"The Objects pane shows the pool: the tasks queued, which worker runs which task, "
		"and the results in the order they came back. --actors=threads makes it a "
		"ThreadPool: every worker then has the same pid."),
	.params = pool_params,
	.nparams = LS_NPARAMS(pool_params),
	.roles = pool_roles,
	.nroles = sizeof pool_roles / sizeof pool_roles[0],
	.kind = LS_ACTORS_PROCESSES,
	.toggle_param = P_FORM,
	.state_size = sizeof(struct pool),
	.setup = pool_setup,
	.verdict = pool_verdict,
	.fold_size = sizeof(struct pool_fold),
	.fold = pool_fold,
	.walkthroughs = pool_walkthroughs,
	.nwalkthroughs = sizeof pool_walkthroughs / sizeof pool_walkthroughs[0],
	.challenges = pool_challenges,
	.nchallenges = sizeof pool_challenges / sizeof pool_challenges[0],
	.explore_cases = pool_explore_cases,
	.nexplore_cases = sizeof pool_explore_cases / sizeof pool_explore_cases[0],
};
