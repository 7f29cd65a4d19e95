/*
 * pool_trace.c - what the pool and futures suites check of a run with a
 * Pool object: the object and actors by name, and the whole trace walked
 * against the pool's invariants.
 */
#include "config.h"

#include <string.h>

#include "helpers.h"
#include "pool_trace.h"
#include "lockstep/lesson.h"
#include "engine/run.h"

int
pt_obj(const struct ls_run *r, const char *name)
{
	int o = ls_model_find(ls_run_model(r), name);

	ck_assert_int_ge(o, 0);
	ck_assert_int_eq(ls_run_model(r)->objs[o].kind, LS_OBJ_POOL);
	ck_assert_ptr_nonnull(ls_run_model(r)->objs[o].pool);
	return o;
}

int
pt_actor(const struct ls_run *r, const char *name)
{
	const char *const *names = ls_run_actor_names(r);

	for (int i = 0; i < ls_run_actor_count(r); i++)
		if (strcmp(names[i], name) == 0)
			return i;
	ck_abort_msg("no actor %s", name);
	return -1;
}

void
pt_verdict(struct ls_run *r, struct ls_verdict *v)
{
	memset(v, 0, sizeof *v);
	ls_run_verdict(r, v);
}

/*
 * Walk the whole trace: tasks running at once never above workers, each of
 * tasks taken exactly once and handed back once, by the worker that took
 * it; results taken by main only, in the order they were handed back.
 * Writes the tasks in the order they came back to back (tasks of them).
 */
void
pt_trace(struct ls_run *r, const char *obj, int workers, int tasks, int64_t *back)
{
	const struct ls_model *m = ls_run_model(r);
	int o = pt_obj(r, obj), running = 0, most = 0, nback = 0, ncollect = 0;
	int taken[32] = { 0 }, by[32], returned[32] = { 0 };

	ck_assert_int_le(tasks, 32);
	for (uint64_t i = ls_model_history_first(m); i < m->nhistory; i++) {
		const struct ls_event *e = ls_model_history_at(m, i);
		int64_t t = e->u.v.a;

		if (e->obj != o || e->phase != LS_PH_DONE)
			continue;
		switch (e->op) {
		case LS_OP_POOL_TAKE:
			ck_assert(t >= 0 && t < tasks);
			ck_assert_msg(taken[t] == 0, "task %lld taken twice", (long long)t);
			taken[t] = 1;
			by[t] = e->actor;
			running++;
			most = running > most ? running : most;
			ck_assert_msg(running <= workers, "%d tasks running on %d workers", running,
			              workers);
			break;
		case LS_OP_POOL_FINISH:
			ck_assert(t >= 0 && t < tasks && taken[t] && !returned[t]);
			ck_assert_int_eq(by[t], e->actor);
			returned[t] = 1;
			running--;
			back[nback++] = t;
			break;
		case LS_OP_POOL_COLLECT:
			ck_assert_str_eq(m->actors[e->actor].name, "main");
			ck_assert_int_lt(ncollect, nback);
			ck_assert_int_eq(t, back[ncollect]);   /* arrival order */
			ncollect++;
			break;
		default:
			break;
		}
	}
	for (int t = 0; t < tasks; t++)
		ck_assert_msg(taken[t] && returned[t], "task %d never ran", t);
	ck_assert_int_eq(ncollect, tasks);
	ck_assert_int_eq(m->objs[o].pool->max_running, most);
	ck_assert_int_eq(m->objs[o].pool->finished, tasks);
}
