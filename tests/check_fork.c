/*
 * check_fork.c - the fork lesson and the process operations under it.
 * Controlled schedules, with the parent a thread and a process: fork()
 * returns the child's pid in the parent and makes the child an actor whose
 * START names the parent's pid; the child's change of its private x never
 * reaches the parent; the child waits to be forked (it cannot be stepped
 * before) and the parent's waitpid cannot move before the child exits; the
 * exit status comes back.  Fork against spawn: the forked child has the
 * parent's token, a spawned fresh program draws its own.  Free runs are
 * bounded by the test's timeout; after every run no child process is left.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "lockstep/model.h"
#include "engine/run.h"
#include "suites.h"

enum { PARENT, CHILD };

static void
fork_nothing_left(void)
{
	ck_assert_msg(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD,
	              "a child process is left");
}

static int
fork_enabled(struct ls_run *r, int actor)
{
	int en[8], n = ls_run_enabled(r, en, 8);

	for (int k = 0; k < n; k++)
		if (en[k] == actor)
			return 1;
	return 0;
}

/* The walkthrough's schedule, step by step, with the parent of both kinds. */
START_TEST(fork_returns_twice_memory_copied)
{
	long p[8];
	const struct ls_scenario *s = th_scenario("fork", p, "x=100 child_adds=5 token=42 spawn=0 "
	                                          "exit_code=3");
	struct ls_run *r = th_start(s, p, th_kind(_i), LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;

	th_wait_parked(r);
	/* Not forked yet: the child cannot be stepped. */
	ck_assert_int_eq(m->actors[CHILD].state, LS_AS_NEW);
	ck_assert(!fork_enabled(r, CHILD));
	th_step(r, PARENT);   /* loads its token */
	th_step(r, PARENT);   /* fork() */
	ck_assert_int_eq(m->actors[CHILD].parent, PARENT);
	ck_assert_int_gt(m->actors[CHILD].os_id, 0);
	ck_assert(fork_enabled(r, CHILD));
	ck_assert(fork_enabled(r, PARENT));
	th_step(r, PARENT);   /* says who it is */
	/* waitpid before the child exits: it cannot move. */
	ck_assert_int_eq(m->actors[PARENT].op, LS_OP_WAIT_CHILD);
	ck_assert(!fork_enabled(r, PARENT));
	for (int k = 0; k < 6; k++)
		th_step(r, CHILD);
	int steps = 0;
	th_run_out(r, &steps, 40);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	ck_assert_msg(v.ok == 1, "%s", v.summary);
	ck_assert_double_eq(th_figure(&v, "parent_x"), 100);
	ck_assert_double_eq(th_figure(&v, "child_x"), 105);
	ck_assert_double_eq(th_figure(&v, "same_token_forked"), 1);
	ck_assert_double_eq(th_figure(&v, "exit_code"), 3);
	ck_assert_int_eq(m->actors[CHILD].exit_code, 3);
	/* The child's parent is the parent actor's process (the program itself
	 * when the parent is a thread). */
	int ppid = (int)th_figure(&v, "child_ppid");
	if (th_kind(_i) == LS_ACTORS_THREADS)
		ck_assert_int_eq(ppid, (int)getpid());
	else
		ck_assert_int_eq(ppid, m->actors[PARENT].os_id);
	ck_assert_int_eq((int)th_figure(&v, "child_pid"), m->actors[CHILD].os_id);
	char line[64];
	snprintf(line, sizeof line, "child: pid %d, parent %d", m->actors[CHILD].os_id, ppid);
	ck_assert_int_eq(th_said(m, line), 1);
	ck_assert_int_eq(th_said(m, "my x = 100"), 1);
	ls_run_free(r);
	fork_nothing_left();
}
END_TEST

/* Fork against spawn: a fresh image of the program draws its own token. */
START_TEST(fork_against_spawn)
{
	long p[8];
	const struct ls_scenario *s = th_scenario("fork", p, "token=424242 spawn=1");
	struct ls_run *r = th_start(s, p, th_kind(_i), LS_POLICY_STEP, 1);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;
	int steps = 0;

	th_wait_parked(r);
	th_run_out(r, &steps, 60);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	ls_run_verdict(r, &v);
	ck_assert_msg(v.ok == 1, "%s", v.summary);
	ck_assert_double_eq(th_figure(&v, "spawned"), 1);
	ck_assert_double_eq(th_figure(&v, "same_token_forked"), 1);
	/* One chance in a million that it draws 424242 too. */
	ck_assert_double_eq(th_figure(&v, "same_token_spawned"), 0);
	ck_assert_int_eq(m->nprocs, 1);
	ck_assert(m->procs[0].exited);
	ck_assert_int_eq(m->procs[0].status, 0);
	ck_assert_int_eq(m->procs[0].actor, PARENT);
	ck_assert_int_ne(m->procs[0].pid, m->actors[CHILD].os_id);
	ls_run_free(r);
	fork_nothing_left();
}
END_TEST

/* Free runs finish with the lesson's outcome; many seeds, both kinds. */
START_TEST(fork_free_and_seeded)
{
	long p[8];
	const struct ls_scenario *s = th_scenario("fork", p, "spawn=1");
	struct ls_verdict v;

	for (int k = 0; k < 4; k++) {
		struct ls_run *r = th_start(s, p, th_kind(_i),
		                            k == 0 ? LS_POLICY_FREE : LS_POLICY_RANDOM, (uint64_t)k + 1);
		for (int t = 0; t < 3000 && ls_run_status(r) == LS_RUN_RUNNING; t++)
			ls_run_poll(r, 10);
		ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
		ls_run_verdict(r, &v);
		ck_assert_msg(v.ok == 1, "%s", v.summary);
		ls_run_free(r);
		fork_nothing_left();
	}
}
END_TEST

/* A run stopped in the middle leaves no child and no program behind. */
START_TEST(fork_abort_leaves_nothing)
{
	long p[8];
	const struct ls_scenario *s = th_scenario("fork", p, "spawn=1");
	struct ls_run *r = th_start(s, p, th_kind(_i), LS_POLICY_STEP, 1);

	th_wait_parked(r);
	th_step(r, PARENT);
	th_step(r, PARENT);   /* forked: the child is parked at its first probe */
	ls_run_free(r);
	fork_nothing_left();
}
END_TEST

Suite *
fork_suite(void)
{
	Suite *s = suite_create("fork");
	TCase *tc = th_tcase(s, "stepped", 60);

	tcase_add_loop_test(tc, fork_returns_twice_memory_copied, 0, 2);
	tcase_add_loop_test(tc, fork_against_spawn, 0, 2);
	tcase_add_loop_test(tc, fork_abort_leaves_nothing, 0, 2);
	tc = th_tcase(s, "free", 120);
	tcase_add_loop_test(tc, fork_free_and_seeded, 0, 2);
	return s;
}
