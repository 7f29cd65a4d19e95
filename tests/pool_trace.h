/* pool_trace.h - shared checks of runs with a Pool object (pool_trace.c). */
#ifndef LS_TEST_POOL_TRACE_H
#define LS_TEST_POOL_TRACE_H

#include <stdint.h>

#include "engine/run.h"

/* The Pool object called name (asserted to be one), and an actor by name. */
int pt_obj(const struct ls_run *r, const char *name);
int pt_actor(const struct ls_run *r, const char *name);
/* The verdict, zeroed first. */
void pt_verdict(struct ls_run *r, struct ls_verdict *v);
/*
 * Walk the whole trace: tasks running at once never above workers, each of
 * tasks taken exactly once and handed back once, by the worker that took
 * it; results taken by main only, in the order they were handed back.
 * Writes the tasks in the order they came back to back (tasks of them).
 */
void pt_trace(struct ls_run *r, const char *obj, int workers, int tasks, int64_t *back);

#endif
