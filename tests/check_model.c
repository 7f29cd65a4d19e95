/*
 * check_model.c - the reducer, fed hand-built events: actor states, lock
 * owners and wait queues, semaphore counts, deadlock cycles, joined output
 * lines and the final values.  No actor runs here.
 */
#include "config.h"

#include <string.h>

#include "lockstep/model.h"
#include "helpers.h"
#include "suites.h"
#include "engine/world.h"

static const char *const model_names[] = { "T1", "T2", "T3" };

/* The objects every test here uses, with fixed ids. */
enum { OBJ_X, OBJ_A, OBJ_B, OBJ_S };

static struct ls_world *model_world;
static struct ls_model *model;
static uint64_t model_clock;

static void
model_setup(void)
{
	model_world = ls_world_new(3, 64);
	ck_assert_ptr_nonnull(model_world);
	ck_assert_ptr_nonnull(ls_var_new(model_world, "x", 5));
	ck_assert_ptr_nonnull(ls_mutex_new(model_world, "a"));
	ck_assert_ptr_nonnull(ls_mutex_new(model_world, "b"));
	ck_assert_ptr_nonnull(ls_sem_new(model_world, "s", 2, 0));
	model = ls_model_new(model_world, 3, model_names, NULL, NULL);
	ck_assert_ptr_nonnull(model);
	model_clock = 1000;
}

static void
model_teardown(void)
{
	ls_model_free(model);
	ls_world_free(model_world);
	model = NULL;
	model_world = NULL;
}

static void
model_ev(int actor, enum ls_op op, enum ls_phase ph, unsigned obj, int line,
         int64_t a, int64_t b)
{
	struct ls_event e;

	memset(&e, 0, sizeof e);
	e.t_ns = ++model_clock;
	e.actor = (uint16_t)actor;
	e.op = (uint8_t)op;
	e.phase = (uint8_t)ph;
	e.obj = (uint16_t)obj;
	e.line = line;
	e.u.v.a = a;
	e.u.v.b = b;
	ls_model_apply(model, &e);
}

static void
model_text(int actor, enum ls_phase ph, const char *text)
{
	struct ls_event e;

	memset(&e, 0, sizeof e);
	e.t_ns = ++model_clock;
	e.actor = (uint16_t)actor;
	e.op = LS_OP_SAY;
	e.phase = (uint8_t)ph;
	e.obj = LS_NO_OBJ;
	e.line = 7;
	memcpy(e.u.text, text, strnlen(text, LS_TEXT_MAX));
	ls_model_apply(model, &e);
}

START_TEST(model_objects_copied)
{
	ck_assert_int_eq(model->nactors, 3);
	ck_assert_int_eq(model->nobjs, 4);
	ck_assert_int_eq(ls_model_find(model, "x"), OBJ_X);
	ck_assert_int_eq(ls_model_find(model, "s"), OBJ_S);
	ck_assert_int_eq(ls_model_find(model, "nope"), -1);
	ck_assert_int_eq(ls_model_var(model, "x"), 5);
	ck_assert_int_eq(model->objs[OBJ_A].owner, -1);
	ck_assert_int_eq(model->objs[OBJ_S].value, 2);
	ck_assert_str_eq(model->actors[1].name, "T2");
	ck_assert_int_eq(model->actors[0].state, LS_AS_NEW);
}
END_TEST

START_TEST(model_actor_states)
{
	struct ls_model_actor *t1 = &model->actors[0];

	model_ev(0, LS_OP_START, LS_PH_DONE, LS_NO_OBJ, 0, 0, 0);
	ck_assert_int_eq(t1->state, LS_AS_RUNNING);

	model_ev(0, LS_OP_LOAD, LS_PH_BEGIN, OBJ_X, 12, 0, 0);
	ck_assert_int_eq(t1->state, LS_AS_GATE);
	ck_assert_int_eq(t1->op, LS_OP_LOAD);
	ck_assert_int_eq(t1->obj, OBJ_X);
	ck_assert_int_eq(t1->line, 12);
	ck_assert_int_eq(ls_model_can_proceed(model, 0), 1);

	model_ev(0, LS_OP_LOAD, LS_PH_DONE, OBJ_X, 12, 5, 0);
	ck_assert_int_eq(t1->state, LS_AS_RUNNING);

	model_ev(0, LS_OP_STORE, LS_PH_DONE, OBJ_X, 13, 6, 5);
	ck_assert_int_eq(ls_model_var(model, "x"), 6);

	model_ev(0, LS_OP_SLEEP, LS_PH_BLOCK, LS_NO_OBJ, 14, 10, 10);
	ck_assert_int_eq(t1->state, LS_AS_SLEEPING);
	ck_assert_int_eq(t1->arg, 10);
	ck_assert_int_eq(t1->obj, -1);
	model_ev(0, LS_OP_SLEEP, LS_PH_DONE, LS_NO_OBJ, 14, 10, 10);
	ck_assert_int_eq(t1->state, LS_AS_RUNNING);

	model_ev(1, LS_OP_LOCK, LS_PH_DONE, OBJ_A, 20, 0, 0);
	model_ev(0, LS_OP_LOCK, LS_PH_BLOCK, OBJ_A, 15, 0, 0);
	ck_assert_int_eq(t1->state, LS_AS_BLOCKED);
	ck_assert_int_eq(t1->obj, OBJ_A);

	ck_assert_int_eq(model->ndone, 0);
	model_ev(2, LS_OP_EXIT, LS_PH_DONE, LS_NO_OBJ, 0, 0, 0);
	ck_assert_int_eq(model->actors[2].state, LS_AS_DONE);
	ck_assert_int_eq(model->ndone, 1);
	ck_assert_int_eq(ls_model_finished(model), 0);
	/* A second exit (an abort after the end) does not count twice. */
	model_ev(2, LS_OP_EXIT, LS_PH_FAIL, LS_NO_OBJ, 0, 0, 0);
	ck_assert_int_eq(model->ndone, 1);
	ck_assert_uint_eq(model->events, 10);
	ck_assert_uint_eq(t1->nevents, 7);
}
END_TEST

START_TEST(model_lock_owner_and_waiters)
{
	int w[8];

	model_ev(0, LS_OP_LOCK, LS_PH_DONE, OBJ_A, 10, 0, 0);
	ck_assert_int_eq(model->objs[OBJ_A].owner, 0);
	ck_assert_uint_eq(ls_model_hold_depth(model, 0, OBJ_A), 1);
	ck_assert_int_eq(model->actors[0].nholds, 1);
	ck_assert_int_eq(ls_model_holders(model, OBJ_A, w, 8), 1);
	ck_assert_int_eq(w[0], 0);

	/* Parked before a lock another holds: cannot proceed. */
	model_ev(1, LS_OP_LOCK, LS_PH_BEGIN, OBJ_A, 10, 0, 0);
	ck_assert_int_eq(ls_model_can_proceed(model, 1), 0);
	/* The lock that is free can be taken. */
	model_ev(2, LS_OP_LOCK, LS_PH_BEGIN, OBJ_B, 11, 0, 0);
	ck_assert_int_eq(ls_model_can_proceed(model, 2), 1);

	/* T3 blocks on a before T2 does: the queue is by arrival, not by id. */
	model_ev(2, LS_OP_LOCK, LS_PH_BLOCK, OBJ_A, 10, 0, 0);
	model_ev(1, LS_OP_LOCK, LS_PH_BLOCK, OBJ_A, 10, 0, 0);
	ck_assert_int_eq(ls_model_waiters(model, OBJ_A, w, 8), 2);
	ck_assert_int_eq(w[0], 2);
	ck_assert_int_eq(w[1], 1);
	ck_assert_int_eq(ls_model_waiters(model, OBJ_A, w, 1), 1);
	ck_assert_int_eq(w[0], 2);
	ck_assert_int_eq(ls_model_waiters(model, OBJ_B, w, 8), 0);

	char d[128];
	ls_model_describe(model, 1, d, sizeof d);
	ck_assert_ptr_nonnull(strstr(d, "held by T1"));

	/* Unlock, then T3 (first in the queue) gets it. */
	model_ev(0, LS_OP_UNLOCK, LS_PH_DONE, OBJ_A, 12, 0, 0);
	ck_assert_int_eq(model->objs[OBJ_A].owner, -1);
	ck_assert_int_eq(model->actors[0].nholds, 0);
	model_ev(2, LS_OP_LOCK, LS_PH_DONE, OBJ_A, 10, 0, 0);
	ck_assert_int_eq(model->objs[OBJ_A].owner, 2);
	ck_assert_int_eq(ls_model_waiters(model, OBJ_A, w, 8), 1);
	ck_assert_int_eq(w[0], 1);

	/* An unlock by a non-owner changes nothing. */
	model_ev(0, LS_OP_UNLOCK, LS_PH_DONE, OBJ_A, 12, 0, 0);
	ck_assert_int_eq(model->objs[OBJ_A].owner, 2);
}
END_TEST

START_TEST(model_semaphore)
{
	struct ls_model_obj *s = &model->objs[OBJ_S];
	int h[8];

	model_ev(0, LS_OP_SEM_ACQUIRE, LS_PH_DONE, OBJ_S, 30, 1, 0);
	model_ev(1, LS_OP_SEM_ACQUIRE, LS_PH_DONE, OBJ_S, 30, 0, 0);
	ck_assert_int_eq(s->value, 0);
	ck_assert_int_eq(s->holders, 2);
	ck_assert_int_eq(s->max_holders, 2);
	ck_assert_int_eq(ls_model_holders(model, OBJ_S, h, 8), 2);

	/* A third acquirer at its gate must wait; when blocked it queues. */
	model_ev(2, LS_OP_SEM_ACQUIRE, LS_PH_BEGIN, OBJ_S, 30, 0, 0);
	ck_assert_int_eq(ls_model_can_proceed(model, 2), 0);
	ck_assert_int_eq(ls_model_waiters(model, OBJ_S, h, 8), 1);
	ck_assert_int_eq(h[0], 2);

	model_ev(0, LS_OP_SEM_RELEASE, LS_PH_DONE, OBJ_S, 31, 1, 0);
	ck_assert_int_eq(s->value, 1);
	ck_assert_int_eq(s->holders, 1);
	ck_assert_int_eq(s->max_holders, 2);
	ck_assert_int_eq(ls_model_can_proceed(model, 2), 1);
	ck_assert_int_eq(model->actors[0].nholds, 0);

	model_ev(2, LS_OP_SEM_ACQUIRE, LS_PH_DONE, OBJ_S, 30, 0, 0);
	ck_assert_int_eq(s->value, 0);
	ck_assert_int_eq(s->holders, 2);
	ck_assert_int_eq(s->max_holders, 2);

	/* A refused (bounded) release is counted and changes no count. */
	model_ev(1, LS_OP_SEM_RELEASE, LS_PH_FAIL, OBJ_S, 31, 0, 0);
	ck_assert_int_eq(s->refused, 1);
	ck_assert_int_eq(s->value, 0);
	ck_assert_uint_eq(s->nops, 5);
}
END_TEST

/* T1 holds a and wants b; T2 holds b and wants a; T3 has finished. */
static void
model_two_lock_cycle(enum ls_phase waiting)
{
	model_ev(0, LS_OP_LOCK, LS_PH_DONE, OBJ_A, 40, 0, 0);
	model_ev(1, LS_OP_LOCK, LS_PH_DONE, OBJ_B, 50, 0, 0);
	model_ev(2, LS_OP_EXIT, LS_PH_DONE, LS_NO_OBJ, 0, 0, 0);
	model_ev(0, LS_OP_LOCK, waiting, OBJ_B, 41, 0, 0);
	model_ev(1, LS_OP_LOCK, waiting, OBJ_A, 51, 0, 0);
}

START_TEST(model_deadlock_blocked_cycle)
{
	char why[512];

	ck_assert_int_eq(ls_model_deadlock(model, 0, why, sizeof why), 0);
	model_ev(2, LS_OP_START, LS_PH_DONE, LS_NO_OBJ, 0, 0, 0);
	model_ev(0, LS_OP_LOCK, LS_PH_DONE, OBJ_A, 40, 0, 0);
	model_ev(1, LS_OP_LOCK, LS_PH_DONE, OBJ_B, 50, 0, 0);
	model_ev(0, LS_OP_LOCK, LS_PH_BLOCK, OBJ_B, 41, 0, 0);
	model_ev(1, LS_OP_LOCK, LS_PH_BLOCK, OBJ_A, 51, 0, 0);
	/* T3 still runs: it might yet do something, so no deadlock. */
	ck_assert_int_eq(ls_model_deadlock(model, 0, why, sizeof why), 0);
	model_ev(2, LS_OP_EXIT, LS_PH_DONE, LS_NO_OBJ, 0, 0, 0);
	ck_assert_int_eq(ls_model_deadlock(model, 0, why, sizeof why), 1);
	ck_assert_ptr_nonnull(strstr(why, "T1"));
	ck_assert_ptr_nonnull(strstr(why, "T2"));
	ck_assert_ptr_nonnull(strstr(why, "cycle"));
	ck_assert_ptr_nonnull(strstr(why, "'b'"));
	ck_assert_ptr_null(strstr(why, "T3"));
	/* A NULL description still answers. */
	ck_assert_int_eq(ls_model_deadlock(model, 0, NULL, 0), 1);
}
END_TEST

/* Parked at the gate before locks they cannot take: a deadlock only when
 * parked actors count as waiting (controlled modes). */
START_TEST(model_deadlock_gated_cycle)
{
	char why[512];

	model_two_lock_cycle(LS_PH_BEGIN);
	ck_assert_int_eq(ls_model_can_proceed(model, 0), 0);
	ck_assert_int_eq(ls_model_can_proceed(model, 1), 0);
	ck_assert_int_eq(ls_model_deadlock(model, 0, why, sizeof why), 0);
	ck_assert_int_eq(ls_model_deadlock(model, 1, why, sizeof why), 1);
	ck_assert_ptr_nonnull(strstr(why, "cycle: T1 -> T2 -> T1"));
}
END_TEST

/* Both blocked, but on one lock held by a crashed actor: it will pass on. */
START_TEST(model_no_deadlock_after_crash)
{
	char why[512];

	model_ev(0, LS_OP_LOCK, LS_PH_DONE, OBJ_A, 40, 0, 0);
	model_ev(1, LS_OP_LOCK, LS_PH_BLOCK, OBJ_A, 51, 0, 0);
	model_ev(2, LS_OP_EXIT, LS_PH_DONE, LS_NO_OBJ, 0, 0, 0);
	ck_assert_int_eq(ls_model_deadlock(model, 0, why, sizeof why), 0);   /* T1 runs */
	model_ev(0, LS_OP_CRASH, LS_PH_DONE, LS_NO_OBJ, 0, 11, 0);
	ck_assert_int_eq(model->actors[0].state, LS_AS_CRASHED);
	ck_assert_int_eq(model->actors[0].crash_signal, 11);
	ck_assert_int_eq(model->ncrashed, 1);
	ck_assert_int_eq(model->objs[OBJ_A].owner, -1);
	ck_assert_int_eq(ls_model_deadlock(model, 0, why, sizeof why), 0);
}
END_TEST

START_TEST(model_say_joins_parts)
{
	/* A full 40-byte chunk is not NUL-terminated in the event. */
	const char *chunk = "0123456789abcdefghijklmnopqrstuvwxyzABCD";

	ck_assert_uint_eq(strlen(chunk), LS_TEXT_MAX);
	model_text(1, LS_PH_PART, chunk);
	ck_assert_uint_eq(model->noutput, 0);
	ck_assert_str_eq(model->actors[1].said, "");
	model_text(1, LS_PH_PART, chunk);
	model_text(1, LS_PH_DONE, " end");
	ck_assert_uint_eq(model->noutput, 1);
	ck_assert_int_eq(model->output[0].actor, 1);
	ck_assert_uint_eq(strlen(model->output[0].text), 2 * LS_TEXT_MAX + 4);
	ck_assert_int_eq(strncmp(model->output[0].text, chunk, LS_TEXT_MAX), 0);
	ck_assert_int_eq(strncmp(model->output[0].text + LS_TEXT_MAX, chunk, LS_TEXT_MAX), 0);
	ck_assert_str_eq(model->output[0].text + 2 * LS_TEXT_MAX, " end");
	ck_assert_str_eq(model->actors[1].said, model->output[0].text);
	ck_assert_str_eq(model->actors[1].partial, "");

	model_text(0, LS_PH_DONE, "hi");
	ck_assert_uint_eq(model->noutput, 2);
	ck_assert_str_eq(model->output[1].text, "hi");
	ck_assert_int_eq(model->output[1].actor, 0);
}
END_TEST

START_TEST(model_final_sets_value)
{
	model_ev(0, LS_OP_STORE, LS_PH_DONE, OBJ_X, 13, 7, 5);
	ck_assert_int_eq(ls_model_var(model, "x"), 7);
	/* The parent's FINAL carries what memory really held at the end. */
	model_ev(LS_NO_ACTOR, LS_OP_FINAL, LS_PH_DONE, OBJ_X, 0, 42, 0);
	ck_assert_int_eq(ls_model_var(model, "x"), 42);
	ck_assert_uint_eq(model->actors[0].nevents, 1);
	ck_assert_uint_eq(model->nhistory, 2);
	ck_assert_uint_eq(model->history[1].op, LS_OP_FINAL);
	ck_assert_int_eq(model->t_first, 1001);
	ck_assert_int_eq(model->t_last, 1002);
}
END_TEST

/* The process tree: a forked child under its parent, a program under the
 * actor that started it, the rest in id order; never more rows than asked. */
START_TEST(model_tree_order)
{
	struct ls_tree_row rows[8];
	int n;

	n = ls_model_tree(model, rows, 8);
	ck_assert_int_eq(n, 3);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(rows[i].actor, i);
		ck_assert_int_eq(rows[i].proc, -1);
		ck_assert_int_eq(rows[i].depth, 0);
	}
	model_ev(0, LS_OP_FORK, LS_PH_DONE, LS_NO_OBJ, 3, 2, 4242);   /* T1 forks T3 */
	model_ev(1, LS_OP_SPAWN, LS_PH_DONE, LS_NO_OBJ, 4, 5151, 0);  /* T2 starts a program */
	model_ev(2, LS_OP_SPAWN, LS_PH_DONE, LS_NO_OBJ, 5, 6161, 1);  /* T3 starts one */
	ck_assert_int_eq(ls_model_tree_size(model), 5);
	n = ls_model_tree(model, rows, 8);
	ck_assert_int_eq(n, 5);
	static const struct ls_tree_row want[] = {
		{ 0, -1, 0 }, { 2, -1, 1 }, { 2, 1, 2 }, { 1, -1, 0 }, { 1, 0, 1 },
	};
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(rows[i].actor, want[i].actor);
		ck_assert_int_eq(rows[i].proc, want[i].proc);
		ck_assert_int_eq(rows[i].depth, want[i].depth);
	}
	ck_assert_int_eq(model->procs[rows[2].proc].pid, 6161);
	ck_assert_int_eq(ls_model_tree(model, rows, 2), 2);   /* cut, not overrun */
	ck_assert_int_eq(rows[1].actor, 2);
}
END_TEST

/* Parent links a real fork cannot make (a cycle) still list every actor once. */
START_TEST(model_tree_cycle)
{
	struct ls_tree_row rows[4];
	int seen[3] = { 0 };

	model_ev(0, LS_OP_FORK, LS_PH_DONE, LS_NO_OBJ, 3, 1, 100);   /* T1 "forks" T2 */
	model_ev(1, LS_OP_FORK, LS_PH_DONE, LS_NO_OBJ, 3, 0, 101);   /* T2 "forks" T1 */
	int n = ls_model_tree(model, rows, 4);
	ck_assert_int_eq(n, 3);
	for (int i = 0; i < n; i++)
		seen[rows[i].actor]++;
	ck_assert_int_eq(seen[0] + seen[1] + seen[2], 3);
	ck_assert_int_eq(seen[0], 1);
	ck_assert_int_eq(seen[1], 1);
	ck_assert_int_eq(rows[0].actor, 2);   /* the one true root first */
}
END_TEST

Suite *
model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = th_tcase(s, "reducer", 10);

	tcase_add_checked_fixture(tc, model_setup, model_teardown);
	tcase_add_test(tc, model_objects_copied);
	tcase_add_test(tc, model_actor_states);
	tcase_add_test(tc, model_lock_owner_and_waiters);
	tcase_add_test(tc, model_semaphore);
	tcase_add_test(tc, model_deadlock_blocked_cycle);
	tcase_add_test(tc, model_deadlock_gated_cycle);
	tcase_add_test(tc, model_no_deadlock_after_crash);
	tcase_add_test(tc, model_say_joins_parts);
	tcase_add_test(tc, model_final_sets_value);
	tcase_add_test(tc, model_tree_order);
	tcase_add_test(tc, model_tree_cycle);
	return s;
}
