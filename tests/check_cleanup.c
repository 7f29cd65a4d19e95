/*
 * check_cleanup.c - nothing is left behind: stopping a run mid-way leaves no
 * process, no zombie, no thread and no file; a world's temporary directory
 * goes with it; a process actor that dies is reported as crashed, with the
 * signal that killed it.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "lockstep/model.h"
#include "engine/params.h"
#include "lockstep/probe.h"
#include "engine/run.h"
#include "engine/world.h"
#include "suites.h"

#define CLEAN_MAX_ACTORS 16

/* Every actor's pid or tid, which must all be known once started. */
static int
clean_os_ids(const struct ls_run *r, int *ids)
{
	int n = ls_run_actor_count(r);

	ck_assert_int_le(n, CLEAN_MAX_ACTORS);
	for (int i = 0; i < n; i++) {
		ids[i] = ls_run_actor_os_id(r, i);
		ck_assert_int_gt(ids[i], 0);
	}
	return n;
}

static void
clean_assert_processes_gone(const int *pids, int n)
{
	for (int i = 0; i < n; i++) {
		errno = 0;
		ck_assert_msg(kill(pids[i], 0) == -1 && errno == ESRCH,
		              "actor %d (pid %d) still exists", i, pids[i]);
	}
	errno = 0;
	ck_assert_msg(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD,
	              "a child process is left (or a zombie)");
}

/*
 * pthread_join() returns once the kernel has cleared the thread's tid word,
 * which it does on the way out, a moment before it removes the thread from
 * /proc/self/task: a joined thread may be listed there for that moment (seen
 * under ASan on a loaded machine).  So each is given up to 10 s to go; one
 * that was not joined stays, and fails.
 */
static void
clean_assert_threads_gone(const int *tids, int n)
{
	char path[64];
	struct stat st;

	for (int i = 0; i < n; i++) {
		int tries = 0;
		snprintf(path, sizeof path, "/proc/self/task/%d", tids[i]);
		while (stat(path, &st) == 0 && tries++ < 1000)
			usleep(10000);
		ck_assert_msg(stat(path, &st) != 0, "actor %d (thread %d) still exists", i, tids[i]);
	}
}

/*
 * Stuck in a 5 s sleep, mid-way through a free run.  Loop index: bit 0
 * processes, bit 1 an explicit abort before the free.
 */
START_TEST(clean_free_run_mid_way)
{
	long p[LS_PARAMS_MAX];
	int ids[CLEAN_MAX_ACTORS];
	int processes = _i & 1;
	const struct ls_scenario *s = th_deposit(p, 10, 5000, 0);
	struct ls_run *r = th_start(s, p, processes ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS,
	                            LS_POLICY_FREE, 1);

	ck_assert_int_eq(ls_run_poll(r, 100), LS_RUN_RUNNING);
	/* A thread's id is written by the thread itself: wait until every
	 * actor has started (its START event is in the model). */
	for (int i = 0; i < 10; i++)
		while (ls_run_model(r)->actors[i].state == LS_AS_NEW)
			ck_assert_int_eq(ls_run_poll(r, 10), LS_RUN_RUNNING);
	int n = clean_os_ids(r, ids);
	if (_i & 2) {
		ls_run_abort(r);
		ck_assert_int_eq(ls_run_status(r), LS_RUN_ABORTED);
		const struct ls_model *m = ls_run_model(r);
		for (int i = 0; i < n; i++)
			ck_assert_int_eq(m->actors[i].state, LS_AS_DONE);
		/* Aborted before any store: the balance never changed. */
		ck_assert_int_eq(ls_model_var(m, "balance"), 0);
	}
	ls_run_free(r);
	if (processes)
		clean_assert_processes_gone(ids, n);
	else
		clean_assert_threads_gone(ids, n);
}
END_TEST

/* A controlled run left with actors parked at their gates. */
START_TEST(clean_controlled_run_abandoned)
{
	long p[LS_PARAMS_MAX];
	int ids[CLEAN_MAX_ACTORS];
	int processes = _i & 1;
	const struct ls_scenario *s = th_deposit(p, 5, 10, 0);
	struct ls_run *r = th_start(s, p, processes ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS,
	                            (_i & 2) ? LS_POLICY_RANDOM : LS_POLICY_STEP, 1);

	if (_i & 2) {
		/* Random: a few steps, then the run is dropped mid-way. */
		while (ls_run_schedule(r)->len < 4) {
			ck_assert_int_eq(ls_run_status(r), LS_RUN_RUNNING);
			ls_run_step(r, -1);
		}
	} else {
		th_wait_parked(r);
		ck_assert_int_eq(ls_run_step(r, 2), 2);
		ck_assert_int_eq(ls_run_step(r, 2), 2);
	}
	ck_assert_int_eq(ls_run_status(r), LS_RUN_RUNNING);
	int n = clean_os_ids(r, ids);
	ls_run_free(r);
	if (processes)
		clean_assert_processes_gone(ids, n);
	else
		clean_assert_threads_gone(ids, n);
}
END_TEST

/* Created, never started: freeing it must not wait for anyone. */
START_TEST(clean_never_started)
{
	long p[LS_PARAMS_MAX];
	struct ls_run_opts o;
	char err[256] = "";
	const struct ls_scenario *s = th_deposit(p, 3, 10, 0);

	ls_run_opts_default(&o, s);
	o.kind = LS_ACTORS_PROCESSES;
	struct ls_run *r = ls_run_new(s, p, &o, err, sizeof err);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_READY);
	ck_assert_int_eq(ls_run_actor_os_id(r, 0), 0);
	ls_run_free(r);
	errno = 0;
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
}
END_TEST

START_TEST(clean_world_files_removed)
{
	struct ls_world *w = ls_world_new(1, 8);
	char dir[LS_PATH_MAX], path[LS_PATH_MAX], buf[32] = "";
	struct stat st;

	ck_assert_ptr_nonnull(w);
	ck_assert_str_eq(w->tmpdir, "");
	ls_file *f = ls_file_new(w, "ledger", "balance=7");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(ls_file_new(w, "journal", ""));
	snprintf(dir, sizeof dir, "%s", w->tmpdir);
	snprintf(path, sizeof path, "%s", f->path);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	FILE *fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(fgets(buf, sizeof buf, fp));
	fclose(fp);
	ck_assert_str_eq(buf, "balance=7");

	ls_world_free(w);
	errno = 0;
	ck_assert_int_eq(stat(path, &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	errno = 0;
	ck_assert_int_eq(stat(dir, &st), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/* ---- a test-only scenario: actors writing a real file ------------------- */

static char clean_files_dir[LS_PATH_MAX];

struct clean_files {
	ls_file *ledger;
	ls_mutex *guard;
};

static void
clean_files_writer(struct ls_actor_ctx *ctx)
{
	struct clean_files *c = ctx->state;
	char buf[64];

	ls_file_lock(c->ledger);
	ls_file_read(c->ledger, buf, sizeof buf);
	ls_file_write(c->ledger, ctx->name);
	ls_file_unlock(c->ledger);
}

static const struct ls_role_desc clean_files_roles[] = {
	{ .name = "writer", .prefix = "P", .body = clean_files_writer, .count_param = -1, .count = 3 },
};

static int
clean_files_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct clean_files *c = state;

	c->ledger = ls_file_new(w, "ledger", "empty");
	if (!c->ledger) {
		snprintf(err, len, "cannot create the ledger: %s", strerror(errno));
		return -1;
	}
	/* Kept so the test can look for the directory after the run is gone. */
	snprintf(clean_files_dir, sizeof clean_files_dir, "%s", w->tmpdir);
	return 0;
}

static const struct ls_scenario clean_files_scenario = {
	.name = "test-files",
	.title = "three writers, one file",
	.roles = clean_files_roles,
	.nroles = 1,
	.kind = LS_ACTORS_PROCESSES,
	.toggle_param = -1,
	.state_size = sizeof(struct clean_files),
	.setup = clean_files_setup,
};

START_TEST(clean_run_files_removed)
{
	long p[1] = { 0 };
	struct stat st;
	struct ls_run *r = th_start(&clean_files_scenario, p,
	                            _i ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS,
	                            LS_POLICY_FREE, 1);

	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	const struct ls_model *m = ls_run_model(r);
	int ledger = ls_model_find(m, "ledger");
	ck_assert_int_ge(ledger, 0);
	/* The last writer's name is what the file holds. */
	ck_assert_int_eq(m->objs[ledger].text[0], 'P');
	ck_assert_int_eq(m->ndone, 3);
	ck_assert_int_ne(clean_files_dir[0], '\0');
	ck_assert_int_eq(stat(clean_files_dir, &st), 0);
	ls_run_free(r);
	errno = 0;
	ck_assert_int_eq(stat(clean_files_dir, &st), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/* ---- a test-only scenario: actors that crash ---------------------------- */

enum { CRASH_HOW };

static const char *const crash_how_choices[] = { "segv", "abort", NULL };

static const struct ls_param_desc crash_params[] = {
	[CRASH_HOW] = { "how", "how the actor dies", 0, 0, 1, crash_how_choices },
};

struct crash {
	ls_var *x;
};

static void
crash_body(struct ls_actor_ctx *ctx)
{
	struct crash *c = ctx->state;

	ls_say("%s going down", ctx->name);
	ls_add(c->x, 1);
	if (ctx->params[CRASH_HOW] == 0)
		raise(SIGSEGV);
	else
		abort();
}

static const struct ls_role_desc crash_roles[] = {
	{ .name = "crasher", .prefix = "P", .body = crash_body, .count_param = -1, .count = 3 },
};

static int
crash_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct crash *c = state;

	c->x = ls_var_new(w, "x", 0);
	if (!c->x) {
		snprintf(err, len, "cannot create x");
		return -1;
	}
	return 0;
}

static const struct ls_scenario crash_scenario = {
	.name = "test-crash",
	.title = "processes that die",
	.params = crash_params,
	.nparams = 1,
	.roles = crash_roles,
	.nroles = 1,
	.kind = LS_ACTORS_PROCESSES,
	.toggle_param = -1,
	.state_size = sizeof(struct crash),
	.setup = crash_setup,
};

/* Loop index: bit 0 abort() instead of SIGSEGV, bit 1 a random schedule. */
START_TEST(clean_crashed_processes)
{
	long p[1] = { _i & 1 };
	int want = (_i & 1) ? SIGABRT : SIGSEGV;
	int ids[CLEAN_MAX_ACTORS];
	struct rlimit nocore = { 0, 0 };

	/* Dying actors must not leave core files behind either. */
	ck_assert_int_eq(setrlimit(RLIMIT_CORE, &nocore), 0);
	struct ls_run *r = th_start(&crash_scenario, p, LS_ACTORS_PROCESSES,
	                            (_i & 2) ? LS_POLICY_RANDOM : LS_POLICY_FREE, 1);
	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	const struct ls_model *m = ls_run_model(r);
	ck_assert_int_eq(m->ncrashed, 3);
	ck_assert_int_eq(m->ndone, 0);
	ck_assert_int_eq(ls_model_finished(m), 1);
	for (int i = 0; i < 3; i++) {
		char said[32];
		ck_assert_int_eq(m->actors[i].state, LS_AS_CRASHED);
		ck_assert_int_eq(m->actors[i].crash_signal, want);
		snprintf(said, sizeof said, "P%d going down", i + 1);
		ck_assert_str_eq(m->actors[i].said, said);
	}
	/* What they did before dying counts. */
	ck_assert_int_eq(ls_model_var(m, "x"), 3);
	int n = clean_os_ids(r, ids);
	ls_run_free(r);
	clean_assert_processes_gone(ids, n);
}
END_TEST

Suite *
cleanup_suite(void)
{
	Suite *s = suite_create("cleanup");
	TCase *tc = th_tcase(s, "actors", 30);

	tcase_add_loop_test(tc, clean_free_run_mid_way, 0, 4);
	tcase_add_loop_test(tc, clean_controlled_run_abandoned, 0, 4);
	tcase_add_test(tc, clean_never_started);

	tc = th_tcase(s, "files", 30);
	tcase_add_test(tc, clean_world_files_removed);
	tcase_add_loop_test(tc, clean_run_files_removed, 0, 2);

	tc = th_tcase(s, "crash", 30);
	tcase_add_loop_test(tc, clean_crashed_processes, 0, 4);
	return s;
}
