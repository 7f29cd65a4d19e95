/*
 * check_race.c - the happens-before race detector: unit cases over made-up
 * event streams (each hand-off orders, its absence does not, ADDs do not
 * race each other, reports are deduplicated), then the deposit lesson: the
 * unlocked deposit races even on a serial schedule whose balance comes out
 * right, the locked one never does, in threads and in processes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "engine/params.h"
#include "model/race.h"
#include "engine/run.h"
#include "suites.h"

/* ---- made-up streams ------------------------------------------------------ */

/* Objects of the unit cases. */
enum { X, Y, M, S, E, C, F, NOBJ };
static const int race_kinds[NOBJ] = {
	[X] = LS_OBJ_VAR, [Y] = LS_OBJ_VAR, [M] = LS_OBJ_MUTEX, [S] = LS_OBJ_SEM,
	[E] = LS_OBJ_EVENT, [C] = LS_OBJ_COND, [F] = LS_OBJ_FILE,
};

static void
ev(struct ls_race_detector *d, int actor, int op, int phase, int obj, int line, long a, long b)
{
	struct ls_event e;

	memset(&e, 0, sizeof e);
	e.actor = (uint16_t)actor;
	e.op = (uint8_t)op;
	e.phase = (uint8_t)phase;
	e.obj = (uint16_t)obj;
	e.line = line;
	e.u.v.a = a;
	e.u.v.b = b;
	ls_race_apply(d, &e);
}

#define DONE LS_PH_DONE

static size_t
nraces(const struct ls_race_detector *d)
{
	return ls_race_list(d, NULL);
}

START_TEST(race_unordered_store_load)
{
	struct ls_race_detector *d = ls_race_new(2, NOBJ, race_kinds);
	const struct ls_race *r;

	ev(d, 0, LS_OP_STORE, DONE, X, 10, 1, 0);
	ev(d, 1, LS_OP_LOAD, DONE, X, 20, 1, 0);
	ck_assert_uint_eq(ls_race_list(d, &r), 1);
	ck_assert_int_eq(r[0].var, X);
	ck_assert_int_eq(r[0].a.actor, 0);
	ck_assert_int_eq(r[0].a.line, 10);
	ck_assert_int_eq(r[0].a.op, LS_OP_STORE);
	ck_assert_int_eq(r[0].b.actor, 1);
	ck_assert_int_eq(r[0].b.line, 20);
	ck_assert_int_eq(r[0].b.op, LS_OP_LOAD);
	ls_race_free(d);
}
END_TEST

START_TEST(race_reads_and_own_accesses)
{
	struct ls_race_detector *d = ls_race_new(3, NOBJ, race_kinds);

	/* Loads never race each other; an actor never races itself. */
	ev(d, 0, LS_OP_LOAD, DONE, X, 1, 0, 0);
	ev(d, 1, LS_OP_LOAD, DONE, X, 2, 0, 0);
	ev(d, 2, LS_OP_LOAD, DONE, X, 3, 0, 0);
	ev(d, 0, LS_OP_STORE, DONE, Y, 4, 0, 0);
	ev(d, 0, LS_OP_LOAD, DONE, Y, 5, 0, 0);
	ev(d, 0, LS_OP_STORE, DONE, Y, 6, 0, 0);
	ck_assert_uint_eq(nraces(d), 0);
	/* A store after concurrent loads races with each of them. */
	ev(d, 0, LS_OP_STORE, DONE, X, 7, 0, 0);
	ck_assert_uint_eq(nraces(d), 2);
	ls_race_free(d);
}
END_TEST

START_TEST(race_lock_handoff_orders)
{
	struct ls_race_detector *d = ls_race_new(2, NOBJ, race_kinds);

	ev(d, 0, LS_OP_LOCK, DONE, M, 1, 0, 0);
	ev(d, 0, LS_OP_LOAD, DONE, X, 2, 0, 0);
	ev(d, 0, LS_OP_STORE, DONE, X, 3, 1, 0);
	ev(d, 0, LS_OP_UNLOCK, DONE, M, 4, 0, 0);
	ev(d, 1, LS_OP_LOCK, DONE, M, 1, 0, 0);
	ev(d, 1, LS_OP_LOAD, DONE, X, 2, 1, 0);
	ev(d, 1, LS_OP_STORE, DONE, X, 3, 2, 0);
	ev(d, 1, LS_OP_UNLOCK, DONE, M, 4, 0, 0);
	ck_assert_uint_eq(nraces(d), 0);
	/* T1 touching X again, outside the lock, after T2's store: T1 never
	 * acquired anything from T2, so that races. */
	ev(d, 0, LS_OP_LOAD, DONE, X, 9, 2, 0);
	ck_assert_uint_eq(nraces(d), 1);
	ls_race_free(d);
}
END_TEST

START_TEST(race_lock_taken_before_store_does_not_order)
{
	struct ls_race_detector *d = ls_race_new(2, NOBJ, race_kinds);

	/* T2 takes the lock first, T1's store comes after T2's unlock: no edge
	 * runs from T1's store to T2's load. */
	ev(d, 1, LS_OP_LOCK, DONE, M, 1, 0, 0);
	ev(d, 1, LS_OP_UNLOCK, DONE, M, 2, 0, 0);
	ev(d, 0, LS_OP_LOCK, DONE, M, 1, 0, 0);
	ev(d, 0, LS_OP_UNLOCK, DONE, M, 2, 0, 0);
	ev(d, 0, LS_OP_STORE, DONE, X, 3, 1, 0);
	ev(d, 1, LS_OP_LOAD, DONE, X, 4, 1, 0);
	ck_assert_uint_eq(nraces(d), 1);
	ls_race_free(d);
}
END_TEST

START_TEST(race_semaphore_event_cond_order)
{
	struct ls_race_detector *d = ls_race_new(2, NOBJ, race_kinds);

	/* Semaphore: release -> acquire. */
	ev(d, 0, LS_OP_STORE, DONE, X, 1, 1, 0);
	ev(d, 0, LS_OP_SEM_RELEASE, DONE, S, 2, 1, 0);
	ev(d, 1, LS_OP_SEM_ACQUIRE, DONE, S, 3, 0, 0);
	ev(d, 1, LS_OP_LOAD, DONE, X, 4, 1, 0);
	ck_assert_uint_eq(nraces(d), 0);
	/* Event: set -> a wait that saw it set. */
	ev(d, 1, LS_OP_STORE, DONE, Y, 5, 1, 0);
	ev(d, 1, LS_OP_EVENT_SET, DONE, E, 6, 1, 0);
	ev(d, 0, LS_OP_EVENT_WAIT, DONE, E, 7, -1, 1);
	ev(d, 0, LS_OP_LOAD, DONE, Y, 8, 1, 0);
	ck_assert_uint_eq(nraces(d), 0);
	/* Condition: the notifier's store, then wait's reacquire. */
	ev(d, 0, LS_OP_LOCK, DONE, M, 9, 0, 0);
	ev(d, 0, LS_OP_COND_WAIT, LS_PH_BLOCK, C, 10, M, 0);
	ev(d, 1, LS_OP_LOCK, DONE, M, 11, 0, 0);
	ev(d, 1, LS_OP_STORE, DONE, X, 12, 2, 0);
	ev(d, 1, LS_OP_COND_SIGNAL, DONE, C, 13, 0, 0);
	ev(d, 1, LS_OP_UNLOCK, DONE, M, 14, 0, 0);
	ev(d, 0, LS_OP_COND_WAIT, DONE, C, 10, M, 0);
	ev(d, 0, LS_OP_LOAD, DONE, X, 15, 2, 0);
	ev(d, 0, LS_OP_UNLOCK, DONE, M, 16, 0, 0);
	ck_assert_uint_eq(nraces(d), 0);
	ls_race_free(d);
}
END_TEST

START_TEST(race_event_test_unset_does_not_order)
{
	struct ls_race_detector *d = ls_race_new(2, NOBJ, race_kinds);

	ev(d, 0, LS_OP_STORE, DONE, X, 1, 1, 0);
	ev(d, 0, LS_OP_EVENT_SET, DONE, E, 2, 1, 0);
	ev(d, 1, LS_OP_EVENT_TEST, DONE, E, 3, 0, 0);   /* saw it clear */
	ev(d, 1, LS_OP_LOAD, DONE, X, 4, 1, 0);
	ck_assert_uint_eq(nraces(d), 1);
	ev(d, 1, LS_OP_EVENT_TEST, DONE, E, 3, 0, 1);   /* saw it set */
	ev(d, 1, LS_OP_STORE, DONE, X, 5, 1, 0);
	ck_assert_uint_eq(nraces(d), 1);
	ls_race_free(d);
}
END_TEST

START_TEST(race_adds)
{
	struct ls_race_detector *d = ls_race_new(3, NOBJ, race_kinds);
	const struct ls_race *r;

	ev(d, 0, LS_OP_ADD, DONE, X, 1, 1, 1);
	ev(d, 1, LS_OP_ADD, DONE, X, 2, 2, 1);
	ev(d, 2, LS_OP_LOAD, DONE, X, 4, 2, 0);   /* sees a whole state either way */
	ev(d, 0, LS_OP_ADD, DONE, X, 5, 3, 1);
	ck_assert_uint_eq(nraces(d), 0);
	ev(d, 2, LS_OP_STORE, DONE, X, 3, 0, 2);   /* wipes out both adds */
	/* Against each actor's latest unordered add: lines 5 and 2. */
	ck_assert_uint_eq(ls_race_list(d, &r), 2);
	ck_assert_int_eq(r[0].a.op, LS_OP_ADD);
	ck_assert_int_eq(r[0].b.op, LS_OP_STORE);
	ls_race_free(d);
}
END_TEST

START_TEST(race_files_and_dedupe)
{
	struct ls_race_detector *d = ls_race_new(2, NOBJ, race_kinds);
	const struct ls_race *r;

	for (int i = 0; i < 5; i++) {
		ev(d, 0, LS_OP_FILE_READ, DONE, F, 30, 0, 0);
		ev(d, 1, LS_OP_FILE_WRITE, DONE, F, 40, 0, 0);
	}
	/* Read-write and write-read of the same two lines: one report. */
	ck_assert_uint_eq(ls_race_list(d, &r), 1);
	ck_assert_uint_gt(ls_race_seen(d), 2);
	ck_assert_int_eq(r[0].a.op, LS_OP_FILE_READ);
	ck_assert_int_eq(r[0].b.op, LS_OP_FILE_WRITE);
	ls_race_free(d);
}
END_TEST

/* ---- the deposit lesson ---------------------------------------------------- */

/* Replay names[] (actor ids) to the end. */
static struct ls_run *
race_replay(const struct ls_scenario *s, const long *p, enum ls_actor_kind kind,
            const int *steps, size_t n)
{
	struct ls_run *r = th_replay(s, p, kind, steps, n);

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	return r;
}

/* Every race of a deposit run is on balance, between two different depositors. */
static size_t
race_check_balance(const struct ls_run *r)
{
	const struct ls_model *m = ls_run_model(r);
	const struct ls_race *races;
	size_t n = ls_run_races(r, &races);
	int store = 0;

	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(m->objs[races[i].var].name, "balance");
		ck_assert_int_ne(races[i].a.actor, races[i].b.actor);
		ck_assert_int_gt(races[i].a.line, 0);
		ck_assert_int_gt(races[i].b.line, 0);
		store |= races[i].a.op == LS_OP_STORE || races[i].b.op == LS_OP_STORE;
	}
	if (n)
		ck_assert(store);
	return n;
}

/* T1 T1 T1 T2 T2 T2: serial, balance right, and still a race (loop: processes). */
START_TEST(race_deposit_serial_still_races)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_deposit(p, 2, 10, 0);
	static const int steps[] = { 0, 0, 0, 1, 1, 1 };
	struct ls_run *r = race_replay(s, p, _i ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS,
	                               steps, 6);
	struct ls_verdict v;

	ck_assert_int_eq(ls_model_var(ls_run_model(r), "balance"), 2);
	ls_run_verdict(r, &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_uint_ge(race_check_balance(r), 1);
	ls_run_free(r);
}
END_TEST

START_TEST(race_deposit_lost_update_races)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_deposit(p, 2, 10, 0);
	static const int steps[] = { 0, 1, 0, 1, 0, 1 };
	struct ls_run *r = race_replay(s, p, _i ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS,
	                               steps, 6);

	ck_assert_int_eq(ls_model_var(ls_run_model(r), "balance"), 1);
	ck_assert_uint_ge(race_check_balance(r), 1);
	ls_run_free(r);
}
END_TEST

/* Locked: no race, under several random schedules and a free run. */
START_TEST(race_deposit_locked_none)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_deposit(p, 4, 1, 1);
	enum ls_actor_kind kind = (_i & 1) ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS;
	char err[256] = "";

	for (int seed = 0; seed < 4; seed++) {
		struct ls_run_opts o;
		th_opts(&o, s, kind, seed ? LS_POLICY_RANDOM : LS_POLICY_FREE);
		o.seed = (uint64_t)seed;
		struct ls_run *r = ls_run_new(s, p, &o, err, sizeof err);
		ck_assert_msg(r != NULL, "%s", err);
		ck_assert_int_eq(ls_run_start(r, err, sizeof err), 0);
		ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
		ck_assert_int_eq(ls_model_var(ls_run_model(r), "balance"), 4);
		ck_assert_uint_eq(ls_run_races(r, NULL), 0);
		ls_run_free(r);
	}
}
END_TEST

/* Free mode unlocked: whatever the OS does, the accesses are unordered. */
START_TEST(race_deposit_free_races)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_deposit(p, 10, 1, 0);
	struct ls_run_opts o;
	char err[256] = "";

	ls_run_opts_default(&o, s);
	struct ls_run *r = ls_run_new(s, p, &o, err, sizeof err);
	ck_assert_msg(r != NULL, "%s", err);
	ck_assert_int_eq(ls_run_start(r, err, sizeof err), 0);
	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	ck_assert_uint_ge(race_check_balance(r), 1);
	ls_run_free(r);
}
END_TEST

Suite *
race_suite(void)
{
	Suite *s = suite_create("race");
	TCase *unit = th_tcase(s, "unit", 10);
	TCase *dep = th_tcase(s, "deposit", 60);

	tcase_add_test(unit, race_unordered_store_load);
	tcase_add_test(unit, race_reads_and_own_accesses);
	tcase_add_test(unit, race_lock_handoff_orders);
	tcase_add_test(unit, race_lock_taken_before_store_does_not_order);
	tcase_add_test(unit, race_semaphore_event_cond_order);
	tcase_add_test(unit, race_event_test_unset_does_not_order);
	tcase_add_test(unit, race_adds);
	tcase_add_test(unit, race_files_and_dedupe);

	tcase_add_loop_test(dep, race_deposit_serial_still_races, 0, 2);
	tcase_add_loop_test(dep, race_deposit_lost_update_races, 0, 2);
	tcase_add_loop_test(dep, race_deposit_locked_none, 0, 2);
	tcase_add_test(dep, race_deposit_free_races);
	return s;
}
