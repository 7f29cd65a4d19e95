/*
 * race.h - a happens-before race detector fed the same event stream, in the
 * same order, as the model.  Pure: it sees only events, never the world.
 *
 * Accesses: LOAD (read), STORE (write) and ADD (atomic read-modify-write) of
 * a variable, FILE_READ and FILE_WRITE of a file.  Two accesses to one object
 * by different actors race when at least one writes and neither happens
 * before the other.  ADD is an atomic read-modify-write: it never loses an
 * update, so it races neither another ADD nor a LOAD (which sees the value
 * before or after it, both real states); it races a STORE it is not ordered
 * with, which can wipe it out.  ADD does not order anything either: the
 * probe's fetch_add is relaxed.
 *
 * Happens-before: program order within an actor, and these hand-offs:
 * UNLOCK -> a later LOCK of the same object (mutexes and file locks), the
 * mutex released by COND_WAIT -> its next taker, COND_WAIT's reacquire <- the
 * mutex's last release and every notify of the condition before it,
 * SEM_RELEASE -> later SEM_ACQUIREs, EVENT_SET -> an EVENT_WAIT or an
 * EVENT_TEST that saw the flag set.  Every actor starts after the scenario's
 * setup (spawn orders setup before all of them) and no actor joins another.
 *
 * Vector clocks, FastTrack-style: a variable keeps the epoch (actor, clock)
 * of its last write and of its last read, growing to one clock per actor
 * only while reads are concurrent; ADDs likewise.  Reports are deduplicated
 * by (object, the two lines in either order).
 */
#ifndef LS_RACE_H
#define LS_RACE_H

#include <stddef.h>
#include <stdint.h>

#include "lockstep/event.h"

#define LS_RACES_MAX 256   /* distinct reports kept; more are only counted */

struct ls_race_access {
	int actor;
	int line;
	int op;       /* enum ls_op: LOAD, STORE, ADD, FILE_READ or FILE_WRITE */
};

/* a happened first (in the trace's order), b second; neither before the other. */
struct ls_race {
	int var;      /* object id */
	struct ls_race_access a, b;
};

struct ls_race_detector;

/* kinds[i] is object i's enum ls_obj_kind. */
struct ls_race_detector *ls_race_new(int nactors, int nobjs, const int *kinds);
void ls_race_free(struct ls_race_detector *d);
void ls_race_apply(struct ls_race_detector *d, const struct ls_event *e);
/* The distinct races found so far, in the order found. */
size_t ls_race_list(const struct ls_race_detector *d, const struct ls_race **out);
/* Racing pairs seen, counting repeats of the same lines. */
uint64_t ls_race_seen(const struct ls_race_detector *d);

#endif
