/*
 * check_op.c - the operation table, and every operation walked through
 * every consumer: the table itself (a name, a sentence for each phase it
 * can be in, a pending text), the model (BEGIN, BLOCK when it can wait,
 * DONE, FAIL), the race detector and the log.  A new operation that is
 * half handled - listed in LS_OP_LIST without its table entry, a waiting
 * operation with no sentence for waiting - fails here.
 */
#include "config.h"

#include <string.h>

#include "engine/world.h"
#include "helpers.h"
#include "lockstep/model.h"
#include "model/op.h"
#include "model/race.h"
#include "suites.h"

static const char *const op_actors[] = { "T1", "T2" };

/* One object of each kind, with fixed ids, so every operation has its own. */
enum { OP_VAR, OP_MUTEX, OP_RLOCK, OP_SEM, OP_EVENT, OP_COND, OP_FILE, OP_QUEUE, OP_PIPE,
       OP_PRIVATE, OP_LOCAL, OP_POOL, OP_NET, OP_NOBJS };

static struct ls_world *op_world;

static void
op_setup(void)
{
	op_world = ls_world_new(2, 64);
	ck_assert_ptr_nonnull(op_world);
	ck_assert_ptr_nonnull(ls_var_new(op_world, "x", 0));
	ck_assert_ptr_nonnull(ls_mutex_new(op_world, "m"));
	ck_assert_ptr_nonnull(ls_rlock_new(op_world, "r"));
	ck_assert_ptr_nonnull(ls_sem_new(op_world, "s", 1, 1));
	ck_assert_ptr_nonnull(ls_event_new(op_world, "e"));
	ck_assert_ptr_nonnull(ls_cond_new(op_world, "c"));
	ck_assert_ptr_nonnull(ls_file_new(op_world, "f", "1"));
	ck_assert_ptr_nonnull(ls_queue_new(op_world, "q", 2, LS_QUEUE_FIFO));
	ck_assert_ptr_nonnull(ls_pipe_new(op_world, "p", 1, 0));
	ck_assert_ptr_nonnull(ls_private_new(op_world, "l", 0));
	ck_assert_ptr_nonnull(ls_local_new(op_world, "tl"));
	ck_assert_ptr_nonnull(ls_pool_new(op_world, "pl", 2));
	ck_assert_ptr_nonnull(ls_net_new(op_world, "n", 2, "127.0.0.1", 0));
}

static void
op_teardown(void)
{
	ls_world_free(op_world);
	op_world = NULL;
}

/*
 * The object an operation works on here.  A switch with no default: a new
 * operation does not compile (-Wswitch, warnings are errors) until it is
 * given one, and so is walked through every consumer below.
 */
static unsigned
op_object(int op)
{
	switch ((enum ls_op)op) {
	case LS_OP_LOAD: case LS_OP_STORE: case LS_OP_ADD: case LS_OP_FINAL:
		return OP_VAR;
	case LS_OP_LOCK: case LS_OP_UNLOCK:
		return OP_MUTEX;
	case LS_OP_SEM_ACQUIRE: case LS_OP_SEM_RELEASE:
		return OP_SEM;
	case LS_OP_EVENT_SET: case LS_OP_EVENT_CLEAR: case LS_OP_EVENT_WAIT: case LS_OP_EVENT_TEST:
		return OP_EVENT;
	case LS_OP_COND_WAIT: case LS_OP_COND_SIGNAL:
		return OP_COND;
	case LS_OP_FILE_READ: case LS_OP_FILE_WRITE:
		return OP_FILE;
	case LS_OP_QUEUE_PUT: case LS_OP_QUEUE_GET: case LS_OP_TASK_DONE: case LS_OP_QUEUE_JOIN:
		return OP_QUEUE;
	case LS_OP_PIPE_SEND: case LS_OP_PIPE_RECV:
		return OP_PIPE;
	case LS_OP_PRIVATE_LOAD: case LS_OP_PRIVATE_STORE:
		return OP_PRIVATE;
	case LS_OP_FORK: case LS_OP_WAIT_CHILD: case LS_OP_SPAWN: case LS_OP_PROC_READ:
	case LS_OP_PROC_WAIT:
		return LS_NO_OBJ;
	case LS_OP_LOCAL_STORE: case LS_OP_LOCAL_LOAD:
		return OP_LOCAL;
	case LS_OP_POOL_SUBMIT: case LS_OP_POOL_TAKE: case LS_OP_POOL_FINISH:
	case LS_OP_POOL_COLLECT: case LS_OP_POOL_CLOSE:
		return OP_POOL;
	case LS_OP_NET_LISTEN: case LS_OP_NET_ACCEPT: case LS_OP_NET_CONNECT: case LS_OP_NET_SEND:
	case LS_OP_NET_RECV: case LS_OP_NET_POLL: case LS_OP_NET_AUTH: case LS_OP_NET_CLOSE:
		return OP_NET;
	case LS_OP_START: case LS_OP_EXIT: case LS_OP_CRASH: case LS_OP_SLEEP: case LS_OP_SAY:
	case LS_OP_JOIN: case LS_OP_NOTE: case LS_OP_PY_LINE: case LS_OP_PY_INSTR:
	case LS_OP_THREAD_START: case LS_OP_OBJ_NAME:
		return LS_NO_OBJ;
	case LS_OP__COUNT:
		break;
	}
	return LS_NO_OBJ;
}

static struct ls_event
op_event(int actor, int op, enum ls_phase ph, uint64_t t)
{
	struct ls_event e;

	memset(&e, 0, sizeof e);
	e.t_ns = t;
	e.actor = (uint16_t)actor;
	e.op = (uint8_t)op;
	e.phase = (uint8_t)ph;
	e.obj = (uint16_t)op_object(op);
	e.line = 10 + op;
	if (ls_op_info(op)->flags & LS_OPF_TEXT)
		memcpy(e.u.text, "hello", 5);
	else if (ls_op_info(op)->flags & LS_OPF_MUTEX_ARG)
		e.u.v.a = OP_MUTEX;
	else
		e.u.v.a = 1;
	return e;
}

START_TEST(op_every_entry_is_filled)
{
	for (int op = 0; op < LS_OP__COUNT; op++) {
		const struct ls_op_info *info = ls_op_info(op);
		ck_assert_msg(strcmp(info->name, "?") != 0, "operation %d has no table entry", op);
		ck_assert_msg(info->pending && info->pending[0], "%s has no pending text", info->name);
		ck_assert_msg(info->say[LS_PH_DONE], "%s has no sentence for when it is done",
		              info->name);
		ck_assert_msg(!info->say[LS_PH_BEGIN], "%s: BEGIN is the actors pane's business",
		              info->name);
		/* An operation that can wait can say so; one that cannot, does not. */
		int waits = info->wait != LS_WAIT_NONE;
		ck_assert_msg(waits == (info->say[LS_PH_BLOCK] != NULL),
		              "%s: wait kind and blocking sentence disagree", info->name);
		ck_assert_msg(!(info->flags & LS_OPF_HOLD) || (info->flags & LS_OPF_ACQUIRE),
		              "%s holds what it does not acquire", info->name);
		ck_assert_msg(!(info->flags & LS_OPF_UNHOLD) || (info->flags & LS_OPF_RELEASE),
		              "%s lets go of what it does not release", info->name);
		ck_assert_msg(!info->alt.say || info->say[info->alt.phase],
		              "%s: a variant of a phase it never says", info->name);
		for (int other = 0; other < op; other++)
			ck_assert_msg(strcmp(ls_op_info(other)->name, info->name) != 0,
			              "two operations are called %s", info->name);
	}
	ck_assert_str_eq(ls_op_name(LS_OP__COUNT), "?");
	ck_assert_str_eq(ls_op_name((enum ls_op)-1), "?");
}
END_TEST

/* An operation of the parent's (a value set before any actor): the variable takes it. */
static void
op_check_parent(struct ls_model *m, struct ls_race_detector *d, int op, uint64_t t)
{
	struct ls_event e = op_event(0, op, LS_PH_DONE, t);
	char buf[160];

	e.actor = LS_NO_ACTOR;
	e.obj = OP_VAR;
	e.u.v.a = 42;
	ls_model_apply(m, &e);
	ls_race_apply(d, &e);
	ck_assert_int_eq(m->objs[OP_VAR].value, 42);
	ck_assert_int_eq(ls_op_sentence(&e, "T1", "x", "T2", buf, sizeof buf), 1);
	ck_assert_ptr_nonnull(strstr(buf, "42"));
}

/* BEGIN: parked at its gate with its operation pending; BLOCK, when it can
 * wait: blocked (or sleeping) in the model. */
static void
op_check_begin_block(struct ls_model *m, struct ls_race_detector *d, int op, uint64_t *t)
{
	const struct ls_op_info *info = ls_op_info(op);
	struct ls_event e = op_event(0, op, LS_PH_BEGIN, (*t)++);
	char buf[160];

	if (!(info->flags & (LS_OPF_LIFECYCLE | LS_OPF_NOTE))) {
		ls_model_apply(m, &e);
		ck_assert_int_eq(m->actors[0].state, LS_AS_GATE);
		ck_assert_int_eq(m->actors[0].op, op);
		ck_assert_int_eq(ls_op_sentence(&e, "T1", "o", "T2", buf, sizeof buf), 0);
		ls_model_describe(m, 0, buf, sizeof buf);
		ck_assert_msg(buf[0], "%s: an actor parked before it is described", info->name);
	}
	if (info->wait == LS_WAIT_NONE)
		return;
	e = op_event(0, op, LS_PH_BLOCK, (*t)++);
	ls_model_apply(m, &e);
	ls_race_apply(d, &e);
	ck_assert_int_eq(m->actors[0].state,
	                 info->wait == LS_WAIT_TIME ? LS_AS_SLEEPING : LS_AS_BLOCKED);
	ck_assert_int_eq(ls_op_sentence(&e, "T1", "o", "T2", buf, sizeof buf), 1);
	ck_assert_ptr_nonnull(strstr(buf, "T1"));
	if (info->flags & LS_OPF_MUTEX_ARG)
		ck_assert_int_eq(m->objs[OP_MUTEX].owner, -1);   /* the wait let go */
	if (info->wait == LS_WAIT_NOTIFY) {
		/* Someone notifies: only then may it go on. */
		ck_assert_int_eq(ls_model_can_proceed(m, 0), 0);
		struct ls_event n = op_event(1, LS_OP_COND_SIGNAL, LS_PH_DONE, (*t)++);
		ls_model_apply(m, &n);
		ck_assert_int_eq(ls_model_can_proceed(m, 0), 1);
	}
}

/* DONE: its effect, its sentence, its data race bookkeeping; FAIL, where it
 * can be refused: a sentence of its own. */
static void
op_check_done(struct ls_model *m, struct ls_race_detector *d, int op, uint64_t *t)
{
	const struct ls_op_info *info = ls_op_info(op);
	struct ls_event e = op_event(0, op, LS_PH_DONE, (*t)++);
	char buf[160];

	ls_model_apply(m, &e);
	ls_race_apply(d, &e);
	ck_assert_int_eq(ls_op_sentence(&e, "T1", "o", "T2", buf, sizeof buf), 1);
	ck_assert_msg(strstr(buf, "T1") || (info->flags & LS_OPF_PARENT), "%s: \"%s\"",
	              info->name, buf);
	if (info->flags & LS_OPF_LIFECYCLE)
		ck_assert_int_ne(m->actors[0].state, LS_AS_GATE);
	else
		ck_assert_int_eq(m->actors[0].state, LS_AS_RUNNING);
	if (info->flags & LS_OPF_HOLD) {
		ck_assert_uint_ge(ls_model_hold_depth(m, 0, (int)e.obj), 1);
		ck_assert_int_eq(m->actors[0].nholds, 1);
	}
	if (info->flags & LS_OPF_MUTEX_ARG) {
		ck_assert_int_eq(m->objs[OP_MUTEX].owner, 0);   /* and took it back */
		ck_assert_uint_eq(ls_model_hold_depth(m, 0, OP_MUTEX), 1);
	}
	if (info->access == LS_ACC_WRITE || info->access == LS_ACC_UPDATE)
		ck_assert_uint_ge(m->objs[e.obj].nops, 1);
	if (info->say[LS_PH_FAIL]) {
		e = op_event(0, op, LS_PH_FAIL, (*t)++);
		ck_assert_int_eq(ls_op_sentence(&e, "T1", "o", "T2", buf, sizeof buf), 1);
		ck_assert_ptr_nonnull(strstr(buf, "T1"));
	}
}

/* Naming an object (a Python program's): no step; the object takes the
 * name, and a variable the value after it. */
static void
op_check_names(struct ls_model *m, struct ls_race_detector *d, int op, uint64_t t)
{
	struct ls_event e = op_event(0, op, LS_PH_DONE, t);
	int64_t v = 7;
	char buf[160];

	e.obj = OP_VAR;
	memset(e.u.text, 0, sizeof e.u.text);
	memcpy(e.u.text, "account._balance", 16);
	memcpy(e.u.text + LS_TEXT_MAX - 8, &v, sizeof v);
	uint64_t before = m->actors[0].nevents;
	ls_model_apply(m, &e);
	ls_race_apply(d, &e);
	ck_assert_str_eq(m->objs[OP_VAR].name, "account._balance");
	ck_assert_int_eq(m->objs[OP_VAR].value, 7);
	ck_assert_uint_eq(m->actors[0].nevents, before);
	ck_assert_int_eq(m->actors[0].state, LS_AS_RUNNING);
	ck_assert_int_eq(ls_op_sentence(&e, "T1", "o", "T2", buf, sizeof buf), 1);
}

/* Each operation, alone, through the model, the race detector and the log. */
START_TEST(op_every_operation_through_every_consumer)
{
	int op = _i;
	const struct ls_op_info *info = ls_op_info(op);
	struct ls_model *m = ls_model_new(op_world, 2, op_actors, NULL, NULL);
	int kinds[LS_MAX_OBJS];
	char buf[160];
	uint64_t t = 100;

	ck_assert_ptr_nonnull(m);
	for (uint32_t i = 0; i < op_world->nobjs; i++)
		kinds[i] = op_world->objs[i].kind;
	struct ls_race_detector *d = ls_race_new(2, (int)op_world->nobjs, kinds);
	ck_assert_ptr_nonnull(d);

	struct ls_event start = op_event(0, LS_OP_START, LS_PH_DONE, t++);
	start.obj = LS_NO_OBJ;
	ls_model_apply(m, &start);
	/* A condition wait needs its mutex held first. */
	if (info->flags & LS_OPF_MUTEX_ARG) {
		struct ls_event lk = op_event(0, LS_OP_LOCK, LS_PH_DONE, t++);
		ls_model_apply(m, &lk);
		ls_race_apply(d, &lk);
		ck_assert_int_eq(m->objs[OP_MUTEX].owner, 0);
	}
	if (info->flags & LS_OPF_NAMES) {
		op_check_names(m, d, op, t++);
	} else if (info->flags & LS_OPF_PARENT) {
		op_check_parent(m, d, op, t++);
	} else {
		op_check_begin_block(m, d, op, &t);
		op_check_done(m, d, op, &t);
		/* The pending text names the object it works on. */
		ls_op_pending_text(op, "obj", 1, "T2", buf, sizeof buf);
		if (strstr(info->pending, "%o"))
			ck_assert_ptr_nonnull(strstr(buf, "obj"));
	}
	ls_race_free(d);
	ls_model_free(m);
}
END_TEST

/* Locals: kept per actor by name, the newest value, nothing else moved. */
START_TEST(op_locals_kept_per_actor)
{
	struct ls_model *m = ls_model_new(op_world, 2, op_actors, NULL, NULL);
	struct ls_event e = op_event(1, LS_OP_LOAD, LS_PH_BEGIN, 5);
	char buf[160];

	ck_assert_ptr_nonnull(m);
	ls_model_apply(m, &e);
	for (int i = 0; i < LS_LOCALS_MAX + 2; i++) {
		struct ls_event l = op_event(1, LS_OP_NOTE, LS_PH_DONE, 10u + (unsigned)i);
		snprintf(l.u.note.name, sizeof l.u.note.name, i < 2 ? "count" : "n%d", i);
		l.u.note.value = 100 + i;
		ls_model_apply(m, &l);
		ck_assert_int_eq(ls_op_sentence(&l, "T2", NULL, NULL, buf, sizeof buf), 1);
	}
	ck_assert_str_eq(buf, "T2: n5 = 105");
	/* Still parked at its load, on its line: a local is no step. */
	ck_assert_int_eq(m->actors[1].state, LS_AS_GATE);
	ck_assert_int_eq(m->actors[1].op, LS_OP_LOAD);
	ck_assert_int_eq(m->actors[1].nlocals, LS_LOCALS_MAX);
	/* "count" (101) was the oldest name and gave way; the newest is last. */
	ck_assert_str_eq(m->actors[1].locals[LS_LOCALS_MAX - 1].name, "n5");
	ck_assert_int_eq(m->actors[1].locals[LS_LOCALS_MAX - 1].value, 105);
	for (int k = 0; k < LS_LOCALS_MAX; k++)
		ck_assert_str_ne(m->actors[1].locals[k].name, "count");
	ck_assert_int_eq(m->actors[0].nlocals, 0);
	ls_model_free(m);
}
END_TEST

/* Reentrant lock: depth in the events, the model and the log. */
START_TEST(op_rlock_depth)
{
	struct ls_model *m = ls_model_new(op_world, 2, op_actors, NULL, NULL);
	struct ls_event e;
	char buf[160];

	ck_assert_ptr_nonnull(m);
	for (int depth = 1; depth <= 2; depth++) {
		e = op_event(0, LS_OP_LOCK, LS_PH_DONE, 10u + (unsigned)depth);
		e.obj = OP_RLOCK;
		e.u.v.a = depth;
		ls_model_apply(m, &e);
		ck_assert_uint_eq(ls_model_hold_depth(m, 0, OP_RLOCK), (unsigned)depth);
		ck_assert_int_eq(m->objs[OP_RLOCK].value, depth);
	}
	ls_op_sentence(&e, "T1", "r", NULL, buf, sizeof buf);
	ck_assert_str_eq(buf, "T1 re-enters lock 'r' (depth 2)");
	e = op_event(0, LS_OP_UNLOCK, LS_PH_DONE, 20);
	e.obj = OP_RLOCK;
	e.u.v.a = 1;
	ls_model_apply(m, &e);
	ls_op_sentence(&e, "T1", "r", NULL, buf, sizeof buf);
	ck_assert_str_eq(buf, "T1 releases lock 'r' once (still held, depth 1)");
	/* Still held after the inner release, by the same actor. */
	ck_assert_int_eq(m->objs[OP_RLOCK].owner, 0);
	ck_assert_uint_eq(ls_model_hold_depth(m, 0, OP_RLOCK), 1);
	ck_assert_int_eq(m->objs[OP_RLOCK].max_holders, 2);
	e.u.v.a = 0;
	e.t_ns = 21;
	ls_model_apply(m, &e);
	ck_assert_int_eq(m->objs[OP_RLOCK].owner, -1);
	ck_assert_uint_eq(ls_model_hold_depth(m, 0, OP_RLOCK), 0);
	ck_assert_int_eq(m->actors[0].nholds, 0);
	ls_model_free(m);
}
END_TEST

/* threading.local: a value per actor, never an access to shared memory, gone
 * with its thread. */
START_TEST(op_local_values_per_actor)
{
	struct ls_model *m = ls_model_new(op_world, 2, op_actors, NULL, NULL);
	struct ls_event e;
	long v;

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(ls_op_info(LS_OP_LOCAL_STORE)->access, LS_ACC_NONE);
	ck_assert_int_eq(ls_op_info(LS_OP_LOCAL_LOAD)->access, LS_ACC_NONE);
	ck_assert(ls_op_info(LS_OP_LOCAL_STORE)->flags & LS_OPF_FREE);
	ck_assert(ls_op_info(LS_OP_LOCAL_LOAD)->flags & LS_OPF_FREE);
	for (int a = 0; a < 2; a++) {
		e = op_event(a, LS_OP_LOCAL_STORE, LS_PH_DONE, 10u + (unsigned)a);
		e.u.v.a = 7 + a;
		ls_model_apply(m, &e);
	}
	ck_assert_int_eq(ls_model_local(m, OP_LOCAL, 0, &v), 1);
	ck_assert_int_eq(v, 7);
	ck_assert_int_eq(ls_model_local(m, OP_LOCAL, 1, &v), 1);
	ck_assert_int_eq(v, 8);
	ck_assert_int_eq(ls_model_local(m, OP_VAR, 0, &v), 0);
	e = op_event(0, LS_OP_EXIT, LS_PH_DONE, 20);
	e.obj = LS_NO_OBJ;
	ls_model_apply(m, &e);
	ck_assert_int_eq(ls_model_local(m, OP_LOCAL, 0, &v), 0);
	ck_assert_int_eq(ls_model_local(m, OP_LOCAL, 1, &v), 1);
	ls_model_free(m);
}
END_TEST

/* A lock with 99 waiters says 99: no cap anywhere in the model. */
START_TEST(op_many_waiters)
{
	enum { N = 100 };
	static char names[N][16];
	const char *np[N];
	struct ls_world *w = ls_world_new(N, 64);
	int out[N];

	ck_assert_ptr_nonnull(w);
	ck_assert_ptr_nonnull(ls_mutex_new(w, "lock"));
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof names[i], "T%d", i + 1);
		np[i] = names[i];
	}
	struct ls_model *m = ls_model_new(w, N, np, NULL, NULL);
	ck_assert_ptr_nonnull(m);
	struct ls_event e;
	memset(&e, 0, sizeof e);
	e.op = LS_OP_LOCK;
	e.obj = 0;
	e.phase = LS_PH_DONE;
	e.u.v.a = 1;
	e.t_ns = 1;
	ls_model_apply(m, &e);
	for (int i = 1; i < N; i++) {
		e.actor = (uint16_t)i;
		e.phase = i % 2 ? LS_PH_BLOCK : LS_PH_BEGIN;   /* blocked, or parked behind it */
		e.t_ns = (uint64_t)i + 1;
		ls_model_apply(m, &e);
	}
	ck_assert_int_eq(ls_model_nwaiters(m, 0), N - 1);
	ck_assert_int_eq(ls_model_waiters(m, 0, out, N), N - 1);
	/* Really blocked first, in the order they blocked; then the parked ones. */
	ck_assert_int_eq(out[0], 1);
	ck_assert_int_eq(out[1], 3);
	ck_assert_int_eq(out[N / 2 - 1], N - 1);
	ck_assert_int_eq(out[N / 2], 2);
	ck_assert_int_eq(ls_model_waiters(m, 0, out, 3), 3);
	ls_model_free(m);
	ls_world_free(w);
}
END_TEST

Suite *
op_suite(void)
{
	Suite *s = suite_create("op");
	TCase *tc = th_tcase(s, "table", 30);

	tcase_add_checked_fixture(tc, op_setup, op_teardown);
	tcase_add_test(tc, op_every_entry_is_filled);
	tcase_add_loop_test(tc, op_every_operation_through_every_consumer, 0, LS_OP__COUNT);
	tcase_add_test(tc, op_rlock_depth);
	tcase_add_test(tc, op_local_values_per_actor);
	tcase_add_test(tc, op_locals_kept_per_actor);
	tcase_add_test(tc, op_many_waiters);
	return s;
}
