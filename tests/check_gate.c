/*
 * check_gate.c - the gate protocol on its own (a real thread on the actor's
 * side, the test on the controller's), and the run's watchdog: an actor
 * process stopped while a controlled run waits for it ends the run with the
 * reason instead of hanging it; events the drain cannot hold are counted.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "engine/cleanup.h"
#include "engine/clock.h"
#include "engine/gate.h"
#include "engine/world.h"
#include "helpers.h"
#include "suites.h"

#define GATE_ROUNDS 2000

struct gate_actor {
	struct ls_gate gate;
	_Atomic uint32_t abort;
	_Atomic long counter;    /* written only while granted */
	int rounds;
	int left;                /* ls_gate_park returned -1 */
};

static void *
gate_actor_main(void *arg)
{
	struct gate_actor *a = arg;

	for (;;) {
		if (ls_gate_park(&a->gate, &a->abort) != 0) {
			a->left = 1;
			break;
		}
		/* Plain increment by design: the gate alone orders it. */
		atomic_store_explicit(&a->counter,
		                      atomic_load_explicit(&a->counter, memory_order_relaxed) + 1,
		                      memory_order_relaxed);
		if (++a->rounds == GATE_ROUNDS)
			break;
	}
	ls_gate_done(&a->gate);
	return NULL;
}

/* Grant, wait, and see exactly one step happen each time, numbered. */
START_TEST(gate_handshake)
{
	static struct gate_actor a;
	pthread_t t;

	memset(&a, 0, sizeof a);
	ls_gate_init(&a.gate);
	ck_assert_int_eq(pthread_create(&t, NULL, gate_actor_main, &a), 0);
	for (uint32_t n = 1; n <= GATE_ROUNDS; n++) {
		while (ls_gate_wait(&a.gate, 1000) == LS_GATE_RUNNING)
			;
		ck_assert_uint_eq(ls_gate_state(&a.gate), LS_GATE_PARKED);
		ck_assert_int_eq(atomic_load(&a.counter), (long)n - 1);
		ck_assert_uint_eq(ls_gate_taken(&a.gate), n - 1);
		ls_gate_grant(&a.gate, n);
	}
	while (ls_gate_wait(&a.gate, 1000) == LS_GATE_RUNNING)
		;
	ck_assert_uint_eq(ls_gate_state(&a.gate), LS_GATE_DONE);
	ck_assert_uint_eq(ls_gate_taken(&a.gate), GATE_ROUNDS);
	ck_assert_int_eq(atomic_load(&a.counter), GATE_ROUNDS);
	pthread_join(t, NULL);
}
END_TEST

/* A parked actor leaves on abort once kicked, without a grant. */
START_TEST(gate_abort)
{
	static struct gate_actor a;
	pthread_t t;

	memset(&a, 0, sizeof a);
	ls_gate_init(&a.gate);
	ck_assert_int_eq(pthread_create(&t, NULL, gate_actor_main, &a), 0);
	while (ls_gate_wait(&a.gate, 1000) == LS_GATE_RUNNING)
		;
	atomic_store(&a.abort, 1);
	ls_gate_kick(&a.gate);
	while (ls_gate_wait(&a.gate, 1000) != LS_GATE_DONE)
		;
	pthread_join(t, NULL);
	ck_assert_int_eq(a.left, 1);
	ck_assert_int_eq(atomic_load(&a.counter), 0);
}
END_TEST

/* A joiner waits for DONE; the controller's mark counts as done too. */
START_TEST(gate_join)
{
	struct ls_gate g;
	_Atomic uint32_t abort_word = 0;

	ls_gate_init(&g);
	ls_gate_mark_done(&g);
	ck_assert_int_eq(ls_gate_wait_done(&g, &abort_word), 0);
	ls_gate_init(&g);
	atomic_store(&abort_word, 1);
	ck_assert_int_eq(ls_gate_wait_done(&g, &abort_word), -1);
}
END_TEST

/* An actor settled in the kernel: its gate says PARKED without waiting for a
 * grant; a grant made meanwhile (a switch to free mode) is spent when it
 * unsettles, so its next park waits for a new one. */
struct settle_actor {
	struct ls_gate gate;
	_Atomic uint32_t abort;
	_Atomic int go_on;       /* the controller lets it leave the kernel */
	_Atomic int steps;
};

static void *
settle_actor_main(void *arg)
{
	struct settle_actor *a = arg;

	if (ls_gate_park(&a->gate, &a->abort) != 0)
		return NULL;
	ls_gate_settle(&a->gate);
	while (!atomic_load(&a->go_on))
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	ls_gate_unsettle(&a->gate);
	atomic_fetch_add(&a->steps, 1);
	if (ls_gate_park(&a->gate, &a->abort) == 0)
		atomic_fetch_add(&a->steps, 1);
	ls_gate_done(&a->gate);
	return NULL;
}

START_TEST(gate_settle)
{
	static struct settle_actor a;
	pthread_t t;

	memset(&a, 0, sizeof a);
	ls_gate_init(&a.gate);
	ck_assert_int_eq(pthread_create(&t, NULL, settle_actor_main, &a), 0);
	while (ls_gate_wait(&a.gate, 1000) == LS_GATE_RUNNING)
		;
	ls_gate_grant(&a.gate, 1);
	while (ls_gate_wait(&a.gate, 1000) == LS_GATE_RUNNING)
		;
	/* Settled: PARKED, though it took grant 1 and waits for no other. */
	ck_assert_uint_eq(ls_gate_state(&a.gate), LS_GATE_PARKED);
	ck_assert_uint_eq(ls_gate_taken(&a.gate), 1);
	ls_gate_grant(&a.gate, 2);
	atomic_store(&a.go_on, 1);
	while (ls_gate_wait(&a.gate, 1000) == LS_GATE_RUNNING)
		;
	/* Parked for real now, grant 2 spent by the unsettle, not taken. */
	ck_assert_uint_eq(ls_gate_state(&a.gate), LS_GATE_PARKED);
	ck_assert_int_eq(atomic_load(&a.steps), 1);
	ck_assert_uint_eq(ls_gate_taken(&a.gate), 1);
	ls_gate_grant(&a.gate, 3);
	while (ls_gate_wait(&a.gate, 1000) != LS_GATE_DONE)
		;
	pthread_join(t, NULL);
	ck_assert_int_eq(atomic_load(&a.steps), 2);
	ck_assert_uint_eq(ls_gate_taken(&a.gate), 3);
}
END_TEST

static void *
child_actor_main(void *arg)
{
	struct gate_actor *a = arg;

	if (ls_gate_park(&a->gate, &a->abort) != 0)
		a->left = 1;
	ls_gate_done(&a->gate);
	return NULL;
}

/* A gate preset PARKED for an actor forked later, armed RUNNING by its
 * forker, waited for until the child parks; a watcher wakes on a change. */
START_TEST(gate_fork_child)
{
	static struct gate_actor a;
	_Atomic uint32_t no_abort = 0, abort_now = 1;
	pthread_t t;

	memset(&a, 0, sizeof a);
	ls_gate_init(&a.gate);
	ls_gate_preset_parked(&a.gate);
	ck_assert_uint_eq(ls_gate_state(&a.gate), LS_GATE_PARKED);
	ls_gate_arm_child(&a.gate);
	ck_assert_uint_eq(ls_gate_state(&a.gate), LS_GATE_RUNNING);
	ck_assert_int_eq(ls_gate_wait_parked(&a.gate, &abort_now), -1);
	ck_assert_int_eq(pthread_create(&t, NULL, child_actor_main, &a), 0);
	ck_assert_int_eq(ls_gate_wait_parked(&a.gate, &no_abort), 0);
	ck_assert_uint_eq(ls_gate_state(&a.gate), LS_GATE_PARKED);
	/* Still PARKED: a bounded sleep; seen as RUNNING: back at once. */
	uint64_t t0 = ls_now_ns();
	ls_gate_wait_change(&a.gate, LS_GATE_PARKED, 30);
	ck_assert_uint_ge(ls_now_ns() - t0, 20000000u);
	t0 = ls_now_ns();
	ls_gate_wait_change(&a.gate, LS_GATE_RUNNING, 60000);
	ck_assert_uint_lt(ls_now_ns() - t0, 30000000000u);
	atomic_store(&a.abort, 1);
	ls_gate_kick(&a.gate);
	ck_assert_int_eq(ls_gate_wait_done(&a.gate, &no_abort), 0);
	pthread_join(t, NULL);
	ck_assert_int_eq(a.left, 1);
}
END_TEST

/* The watchdog: a stopped process actor that the run waits for ends the
 * run (ABORTED, with who and why) in seconds, and nothing is left. */
START_TEST(gate_stopped_child)
{
	long p[8];
	const struct ls_scenario *s = th_deposit(p, 3, 0, 0);
	struct ls_run *r = th_start(s, p, LS_ACTORS_PROCESSES, LS_POLICY_RANDOM, 1);

	/* Controlled: no step is taken before ls_run_finish(). */
	int pid = ls_run_actor_os_id(r, 0);
	for (int i = 0; i < 1000 && pid <= 0; i++) {
		struct timespec ts = { 0, 1000000L };
		nanosleep(&ts, NULL);
		pid = ls_run_actor_os_id(r, 0);
	}
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(kill(pid, SIGSTOP), 0);
	ck_assert_int_eq(ls_run_finish(r), LS_RUN_ABORTED);
	ck_assert_msg(strstr(ls_run_reason(r), "T1") &&
	              strstr(ls_run_reason(r), "was stopped (SIGSTOP)"),
	              "reason: %s", ls_run_reason(r));
	ls_run_free(r);
	errno = 0;
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
}
END_TEST

/* Any number of worlds can be tracked for a fatal signal's cleanup. */
START_TEST(gate_track_many)
{
	struct ls_world *w[20];

	for (int i = 0; i < 20; i++) {
		w[i] = ls_world_new(1, 8);
		ck_assert_ptr_nonnull(w[i]);
		ls_cleanup_track(w[i]);
	}
	for (int i = 0; i < 20; i += 2)
		ls_cleanup_untrack(w[i]);
	for (int i = 1; i < 20; i += 2)
		ls_cleanup_untrack(w[i]);
	for (int i = 0; i < 20; i++) {
		ck_assert_ptr_null(atomic_load(&w[i]->cleanup_next));
		ls_world_free(w[i]);
	}
}
END_TEST

/* A TMPDIR too long for the template is refused, not cut short. */
START_TEST(gate_long_tmpdir)
{
	char dir[LS_PATH_MAX + 64];
	struct ls_world *w = ls_world_new(1, 8);

	memset(dir, 'x', sizeof dir - 1);
	dir[0] = '/';
	dir[sizeof dir - 1] = '\0';
	ck_assert_int_eq(setenv("TMPDIR", dir, 1), 0);
	errno = 0;
	ck_assert_ptr_null(ls_file_new(w, "f", "x"));
	ck_assert_int_eq(errno, ENAMETOOLONG);
	ls_world_free(w);
}
END_TEST

Suite *
gate_suite(void)
{
	Suite *s = suite_create("gate");
	TCase *tc = th_tcase(s, "handshake", 60);

	tcase_add_test(tc, gate_handshake);
	tcase_add_test(tc, gate_abort);
	tcase_add_test(tc, gate_join);
	tcase_add_test(tc, gate_settle);
	tcase_add_test(tc, gate_fork_child);
	tc = th_tcase(s, "watchdog", 60);
	tcase_add_test(tc, gate_stopped_child);
	tc = th_tcase(s, "cleanup", 30);
	tcase_add_test(tc, gate_track_many);
	tcase_add_test(tc, gate_long_tmpdir);
	return s;
}
