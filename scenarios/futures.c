/*
 * futures.c - concurrent.futures: submit, and as_completed hands back the
 * results in the order the tasks finish, not the order they were submitted.
 *
 * Mirrors tutorial 001's concurrent.futures example: with an executor,
 * futures = [executor.submit(task, i) for i in range(5)], then
 * for future in as_completed(futures): print(f"Result: {future.result()}");
 * each task prints "Task i started" and "Task i completed".  --actors picks
 * the executor: threads a ThreadPoolExecutor (the tutorial's), processes a
 * ProcessPoolExecutor.  form=parallel is 001's joblib line,
 * Parallel(n_jobs=2)(delayed(my_function)(i) for i in range(10)): ten
 * squares on two workers, the list in submission order however they finish
 * (the map form; tasks=-1 gives each form its tutorial count).
 *
 * The tutorial's tasks do no waiting, so every order would look alike; here
 * each takes task_ms_min..task_ms_max, drawn per task from seed=, so that
 * they finish out of order.
 *
 * Built on the pool lesson's Pool object: main submits to it, the workers
 * (a role) take the oldest task, run it and hand the result back, and
 * main's as_completed() takes the results in the order they came back -
 * in main's own thread, as Python's does.  Leaving the with block is
 * shutdown(wait=True): close, then join every worker.
 *
 * Shared: `executor`, the Pool (its task queue and results in shared memory
 * under a process-shared robust mutex: every submit, take, hand-back and
 * result is one recorded step).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lockstep/lesson.h"

#define FUTURES_MAX_WORKERS 8
#define FUTURES_MAX_TASKS   20

enum { P_WORKERS, P_TASKS, P_FORM, P_TASK_MS_MIN, P_TASK_MS_MAX, P_SEED };
enum { FORM_AS_COMPLETED, FORM_PARALLEL };

static const char *const futures_form_names[] = { "as_completed", "parallel", NULL };

static const struct ls_param_desc futures_params[] = {
	[P_WORKERS]     = { "workers", N_("max_workers (joblib: n_jobs)"), 2, 1,
	                    FUTURES_MAX_WORKERS, NULL },
	[P_TASKS]       = { "tasks", N_("tasks submitted; -1: 5 (as_completed) or 10 (parallel)"),
	                    -1, -1, FUTURES_MAX_TASKS, NULL },
	[P_FORM]        = { "form", N_("submit and as_completed, or joblib's Parallel (a map)"),
	                    FORM_AS_COMPLETED, FORM_AS_COMPLETED, FORM_PARALLEL, futures_form_names },
	[P_TASK_MS_MIN] = { "task_ms_min", N_("shortest time a task takes"), 100, 0, 60000, NULL },
	[P_TASK_MS_MAX] = { "task_ms_max", N_("longest time a task takes"), 900, 0, 60000, NULL },
	[P_SEED]        = { "seed", N_("seeds every task's time"), 2, 0, 1000000, NULL },
};

enum { FUTURES_ROLE_MAIN, FUTURES_ROLE_WORKER };
#define FUTURES_FIRST_WORKER 1

struct futures {
	ls_pool *pool;
	int workers, form;
	long tasks, ms_min, ms_max, seed;
};

static long
futures_tasks(const long *p)
{
	return p[P_TASKS] >= 0 ? p[P_TASKS] : p[P_FORM] == FORM_PARALLEL ? 10 : 5;
}

/* splitmix64 of the seed and the task, as pool.c and futures.py. */
static long
futures_task_ms(const struct futures *s, int64_t t)
{
	uint64_t z = ls_mix64((uint64_t)s->seed * 0x100000001B3u + (uint64_t)t + 0x9E3779B97F4A7C15u);

	return s->ms_min + (long)(z % (uint64_t)(s->ms_max - s->ms_min + 1));
}

/* ---- the actors ---------------------------------------------------------- */

static void
futures_worker(struct ls_actor_ctx *ctx)
{
	struct futures *s = ctx->state;
	int64_t t;

	while (ls_pool_take(s->pool, &t) == 0) {  /* py:pool_take */
		long ms = futures_task_ms(s, t);

		if (s->form == FORM_PARALLEL) {
			if (ms > 0)
				ls_sleep(ms);  /* py:sleep#2 */
		} else {
			ls_say("Task %lld started", (long long)t);  /* py:say */
			if (ms > 0)
				ls_sleep(ms);  /* py:sleep */
			ls_say("Task %lld completed", (long long)t);  /* py:say#2 */
		}
		ls_pool_finish(s->pool, t, t * t);  /* py:pool_finish */
	}
}

static void
futures_main(struct ls_actor_ctx *ctx)
{
	struct futures *s = ctx->state;
	int64_t got[FUTURES_MAX_TASKS] = { 0 };
	char list[200];
	size_t at = 0;

	for (long i = 0; i < s->tasks; i++)
		ls_pool_submit(s->pool, i);  /* py:pool_submit */
	for (long k = 0; k < s->tasks; k++) {
		int64_t t = 0, v = 0;

		/* as_completed(): the next future to finish, whichever it is. */
		ls_pool_collect(s->pool, &t, &v);  /* py:pool_result */
		if (t >= 0 && t < FUTURES_MAX_TASKS)
			got[t] = v;
		if (s->form == FORM_AS_COMPLETED)
			ls_say("Result: %lld (task %lld)", (long long)v, (long long)t);  /* py:say#3 */
	}
	if (s->form == FORM_PARALLEL) {
		list[0] = '\0';
		for (long i = 0; i < s->tasks && at + 1 < sizeof list; i++) {
			int k = snprintf(list + at, sizeof list - at, "%s%lld", i ? ", " : "",
			                 (long long)got[i]);
			at += k > 0 ? (size_t)k : 0;
		}
		ls_say("[%s]", list);  /* py:say#4 */
	}
	/* The end of the with block: shutdown(wait=True). */
	ls_pool_close(s->pool);  /* py:pool_close */
	for (int w = 0; w < s->workers; w++)
		ls_join(FUTURES_FIRST_WORKER + w);  /* py:pool_close */
}

static const struct ls_role_desc futures_roles[] = {
	[FUTURES_ROLE_MAIN]   = { .name = "main", .prefix = "main", .body = futures_main,
	                          .count_param = -1, .count = 1, .single = 1 },
	[FUTURES_ROLE_WORKER] = { .name = "worker", .prefix = "W", .body = futures_worker,
	                          .count_param = P_WORKERS },
};

static int
futures_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct futures *s = state;

	if (p[P_TASK_MS_MIN] > p[P_TASK_MS_MAX]) {
		snprintf(err, len, "futures: task_ms_min=%ld is above task_ms_max=%ld",
		         p[P_TASK_MS_MIN], p[P_TASK_MS_MAX]);
		return -1;
	}
	s->pool = ls_pool_new(w, "executor", (int)p[P_WORKERS]);
	if (!s->pool) {
		snprintf(err, len, "futures: cannot create the shared executor");
		return -1;
	}
	s->workers = (int)p[P_WORKERS];
	s->tasks = futures_tasks(p);
	s->form = (int)p[P_FORM];
	s->ms_min = p[P_TASK_MS_MIN];
	s->ms_max = p[P_TASK_MS_MAX];
	s->seed = p[P_SEED];
	return 0;
}

/* ---- the fold: each task's runs, the order results came back -------------- */

struct futures_fold {
	int obj;                          /* the executor's object id + 1; 0 until found */
	int runs[FUTURES_MAX_TASKS];
	int out_of_order;                 /* results not in submission place */
	int nback;
	int64_t first_back;               /* the first task to finish, -1 before */
	int collected_by_other;
};

static void
futures_fold(void *acc, const struct ls_model *m, const long *p, const struct ls_event *e)
{
	struct futures_fold *f = acc;
	int64_t t = e->u.v.a;

	(void)p;
	if (!f->obj) {
		f->obj = ls_model_find(m, "executor") + 1;
		f->first_back = -1;
	}
	if (!f->obj || (int)e->obj != f->obj - 1 || e->phase != LS_PH_DONE)
		return;
	if (e->op == LS_OP_POOL_TAKE && t >= 0 && t < FUTURES_MAX_TASKS) {
		f->runs[t]++;
	} else if (e->op == LS_OP_POOL_FINISH) {
		if (f->nback == 0)
			f->first_back = t;
		f->out_of_order += t != f->nback;
		f->nback++;
	} else if (e->op == LS_OP_POOL_COLLECT) {
		f->collected_by_other += m->actors[e->actor].role != FUTURES_ROLE_MAIN;
	}
}

/* ---- the verdict ---------------------------------------------------------- */

static void
futures_verdict(const struct ls_model *m, const long *p, struct ls_verdict *v)
{
	static const struct futures_fold none = { .first_back = -1 };
	const struct futures_fold *f = ls_model_fold_state(m);
	int workers = (int)p[P_WORKERS], form = (int)p[P_FORM];
	long tasks = futures_tasks(p);
	int o = ls_model_find(m, "executor");
	const struct ls_model_pool *pl = o >= 0 ? m->objs[o].pool : NULL;
	int twice = 0, never = 0;

	if (!f || !f->obj)
		f = &none;
	for (long t = 0; t < tasks && t < FUTURES_MAX_TASKS; t++) {
		twice += f->runs[t] > 1;
		never += f->runs[t] == 0;
	}
	snprintf(v->expected, sizeof v->expected,
	         form == FORM_PARALLEL ? _("%ld squares on %d workers, the list in submission order")
	                               : _("%ld results on %d workers, each as its task finishes"),
	         tasks, workers);
	snprintf(v->observed, sizeof v->observed,
	         _("%ld done, at most %d running at once, %d came back out of submission order"),
	         pl ? pl->finished : 0, pl ? pl->max_running : 0, f->out_of_order);
	if (!ls_model_finished(m) && ls_model_deadlock(m, 1, NULL, 0)) {
		v->ok = 0;
		snprintf(v->summary, sizeof v->summary,
		         _("main waits for ever: %ld of %ld results came back; %d crashed "
		         "worker(s) never handed theirs back"), pl ? pl->finished : 0, tasks,
		         m->ncrashed);
	} else if (!ls_model_finished(m)) {
		v->ok = -1;
		snprintf(v->summary, sizeof v->summary, _("running: %ld of %ld tasks done, %ld queued"),
		         pl ? pl->finished : 0, tasks, o >= 0 ? m->objs[o].value : 0);
	} else {
		v->ok = pl && pl->finished == tasks && twice == 0 && never == 0 &&
		        pl->max_running <= workers && f->collected_by_other == 0;
		if (form == FORM_PARALLEL)
			snprintf(v->summary, sizeof v->summary,
			         _("Parallel gave the %ld squares in submission order, though %d came "
			         "back out of order"), tasks, f->out_of_order);
		else if (f->out_of_order)
			snprintf(v->summary, sizeof v->summary,
			         _("as_completed gave the %ld results in the order the tasks finished: "
			         "task %lld first, %d out of submission order"), tasks,
			         (long long)f->first_back, f->out_of_order);
		else
			snprintf(v->summary, sizeof v->summary,
			         _("as_completed gave the %ld results in the order the tasks finished, "
			         "which this time was the submission order"), tasks);
	}
	ls_verdict_figure(v, "tasks", (double)tasks);
	ls_verdict_figure(v, "done", pl ? (double)pl->finished : 0);
	ls_verdict_figure(v, "max_running", pl ? (double)pl->max_running : 0);
	ls_verdict_figure(v, "out_of_order", (double)f->out_of_order);
	ls_verdict_figure(v, "first_done", (double)f->first_back);
	ls_verdict_figure(v, "run_twice", (double)twice);
	ls_verdict_figure(v, "never_run", (double)never);
	ls_verdict_figure(v, "collected_by_main",
	                  pl ? (double)(pl->collected - f->collected_by_other) : 0);
}

/* ---- walkthrough ------------------------------------------------------------- */

/* Two tasks on two workers, 0 ms each: task 1 finishes first. */
static const struct ls_walk_step futures_walk_steps[] = {
	{ NULL, N_("Everyone is at their first step: the workers wait for a task, main is about "
	        "to submit.") },
	{ "main", N_("executor.submit(task, 0): task 0 is queued, and main gets a future for it "
	          "at once.") },
	{ "main", N_("submit(task, 1): a second future.") },
	{ "W1", N_("W1 takes task 0.") },
	{ "W2", N_("W2 takes task 1.") },
	{ "W2", N_("W2 prints 'Task 1 started'.") },
	{ "W2", N_("W2 prints 'Task 1 completed'.") },
	{ "W2", N_("W2 hands back task 1's result: task 1 finished first, though submitted "
	        "second.") },
	{ "main", N_("as_completed yields the first future to finish: task 1's.") },
	{ "main", N_("main prints its result.") },
	{ "W1", N_("W1 prints 'Task 0 started'.") },
	{ "W1", N_("W1 prints 'Task 0 completed'.") },
	{ "W1", N_("W1 hands back task 0's result.") },
	{ "main", N_("as_completed yields task 0's future, the last one.") },
	{ "main", N_("main prints its result.") },
	{ "main", N_("The with block ends: shutdown(wait=True) closes the executor.") },
	{ "W1", N_("W1 finds no task and the executor shut down: it ends.") },
	{ "W2", N_("W2 ends the same way.") },
	{ "main", N_("shutdown waits for W1.") },
	{ "main", N_("And for W2: the program is done.") },
};

static const struct ls_walkthrough futures_walkthroughs[] = {
	{ .title = N_("as_completed: the second task finishes first"),
	  .params = "workers=2 tasks=2 task_ms_min=0 task_ms_max=0",
	  .steps = futures_walk_steps,
	  .nsteps = sizeof futures_walk_steps / sizeof futures_walk_steps[0],
	  .ending = N_("main got the results in the order the tasks finished: 1, then 0. "
	            "as_completed does not wait for the first future submitted; it hands over "
	            "whichever finishes next. With form=parallel the list keeps submission "
	            "order instead.") },
};

/* The challenge: the results in the order submitted, with as_completed. */
static int
futures_in_order(const struct ls_model *m, const long *p)
{
	const struct futures_fold *f = ls_model_fold_state(m);

	return f && ls_model_finished(m) && f->nback == futures_tasks(p) && f->out_of_order == 0;
}

static int
futures_in_order_lost(const struct ls_model *m, const long *p)
{
	const struct futures_fold *f = ls_model_fold_state(m);

	(void)p;
	return f && f->out_of_order > 0;
}

static const struct ls_challenge futures_challenges[] = {
	{ .title = N_("Make as_completed give the results in submission order"),
	  .params = "workers=3 tasks=3 task_ms_min=0 task_ms_max=0",
	  .hint = N_("whatever order the workers take them in, let task 0 finish first, then 1, "
	          "then 2"),
	  .win = "main main main W1 W2 W3 W1 W1 W1 W2 W2 W2 W3 W3 W3",
	  .lose = "main main main W1 W2 W3 W2 W2 W2",
	  .met = futures_in_order, .lost = futures_in_order_lost },
};

/* Small sizes the explorer's tests search whole (tests/check_explore_reduce.c). */
static const struct ls_explore_case futures_explore_cases[] = {
	{ .params = "workers=2 tasks=2 task_ms_min=0 task_ms_max=0" },
	{ .params = "workers=2 tasks=2 task_ms_min=0 task_ms_max=0 form=parallel" },
};

const struct ls_scenario ls_scenario_futures = {
	.name = "futures",
	.position = 170,
	.title = N_("concurrent.futures: results as they complete, not as submitted"),
	.seed = "001: ThreadPoolExecutor submit + as_completed; ProcessPoolExecutor; "
	        "joblib Parallel(n_jobs=2) over 10 squares",
	.lesson =
		N_("main submits 5 tasks to an executor with 2 workers (executor.submit(task, i)) "
		"and gets a future for each at once. Each worker takes the oldest task, prints "
		"that it started and completed, and hands the result back. The tasks take "
		"different times, so they finish in another order than they were submitted.\n\n"
		"as_completed(futures) hands main each future as it finishes: the results come "
		"in completion order, not submission order, and main never waits for a slow task "
		"while a quick one is done. form=parallel is joblib's Parallel(n_jobs=2) over 10 "
		"squares, a map: it waits for them all and gives the list in submission order, "
		"whatever order they finished in.\n\n"
		"--actors=threads is a ThreadPoolExecutor (the tutorial's), --actors=processes a "
		"ProcessPoolExecutor: the same program, with tasks and results crossing between "
		"processes. The executor is the pool lesson's Pool: the Objects pane shows its "
		"queue, who runs which task and the results in arrival order."),
	.params = futures_params,
	.nparams = LS_NPARAMS(futures_params),
	.roles = futures_roles,
	.nroles = sizeof futures_roles / sizeof futures_roles[0],
	.kind = LS_ACTORS_THREADS,
	.toggle_param = P_FORM,
	.state_size = sizeof(struct futures),
	.setup = futures_setup,
	.verdict = futures_verdict,
	.fold_size = sizeof(struct futures_fold),
	.fold = futures_fold,
	.walkthroughs = futures_walkthroughs,
	.nwalkthroughs = sizeof futures_walkthroughs / sizeof futures_walkthroughs[0],
	.challenges = futures_challenges,
	.nchallenges = sizeof futures_challenges / sizeof futures_challenges[0],
	.explore_cases = futures_explore_cases,
	.nexplore_cases = sizeof futures_explore_cases / sizeof futures_explore_cases[0],
};
