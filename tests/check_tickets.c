/*
 * check_tickets.c - the ticket-grabbing lesson, proved with schedules.
 *
 * Unlocked, a replayed schedule in which two buyers both read count 1 before
 * either writes back sells the one ticket twice; locked (a shared mutex or
 * flock on the file) every random schedule and every free run sells exactly
 * the tickets there were, in threads and in processes.  After every run,
 * however it ended, the run's private directory with the ticket file is gone:
 * the tests point TMPDIR at a directory of their own, emptied before each
 * test and checked empty after it.
 */
#include "config.h"

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "lockstep/model.h"
#include "engine/params.h"
#include "engine/run.h"
#include "suites.h"

/* ---- helpers ------------------------------------------------------------ */

enum { TK_NONE, TK_MUTEX, TK_FLOCK };

/*
 * A private TMPDIR, so "nothing left behind" can be checked.  It is made and
 * removed by an unchecked fixture, in the runner itself: a failed assertion
 * ends a test at once (Check's forked child calls _exit), and whatever a
 * failed run left there still goes with the directory.
 */
static char tk_dir[256];
static char *tk_old_tmpdir;

static int
tk_remove(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
tk_fixture_setup(void)
{
	const char *base = getenv("TMPDIR");

	tk_old_tmpdir = base ? strdup(base) : NULL;
	snprintf(tk_dir, sizeof tk_dir, "%s/lockstep-tickets-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tk_dir) || setenv("TMPDIR", tk_dir, 1) != 0) {
		perror("check_tickets: private TMPDIR");
		abort();
	}
}

static void
tk_fixture_teardown(void)
{
	nftw(tk_dir, tk_remove, 8, FTW_DEPTH | FTW_PHYS);
	if (tk_old_tmpdir) {
		setenv("TMPDIR", tk_old_tmpdir, 1);
		free(tk_old_tmpdir);
		tk_old_tmpdir = NULL;
	} else {
		unsetenv("TMPDIR");
	}
}

static int
tk_tmp_entries(void)
{
	DIR *d = opendir(tk_dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* Start from an empty directory, whatever an earlier failed test left. */
static void
tk_tmp_begin(void)
{
	nftw(tk_dir, tk_remove, 8, FTW_DEPTH | FTW_PHYS);
	ck_assert_int_eq(mkdir(tk_dir, 0700), 0);
	ck_assert_str_eq(getenv("TMPDIR"), tk_dir);
}

/* The run's directory must be gone again. */
static void
tk_tmp_end(void)
{
	ck_assert_msg(tk_tmp_entries() == 0, "%s still holds the run's files", tk_dir);
}

static const struct ls_scenario *
tk_params(long *p, long buyers, long tickets, long delay_ms, long lock)
{
	char args[160];

	snprintf(args, sizeof args,
	         "buyers=%ld tickets=%ld read_delay_ms=%ld write_delay_ms=%ld lock=%ld",
	         buyers, tickets, delay_ms, delay_ms, lock);
	return th_scenario("tickets", p, args);
}

/* What a finished run sold, checked against the model's own view. */
struct tk_result {
	enum ls_run_status status;
	long sold, oversold, left;
	int ok;
};

static struct tk_result
tk_conclude(struct ls_run *r)
{
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;
	struct tk_result out;

	ls_run_verdict(r, &v);
	out.status = ls_run_status(r);
	out.sold = (long)th_figure(&v, "sold");
	out.oversold = (long)th_figure(&v, "oversold");
	out.left = (long)th_figure(&v, "left");
	out.ok = v.ok;
	ck_assert_uint_eq(m->dropped, 0);
	/* Every sale is announced: the fold and the output agree. */
	ck_assert_int_eq(th_said(m, "bought a ticket"), out.sold);
	return out;
}

static struct tk_result
tk_run(const struct ls_scenario *s, const long *p, const struct ls_run_opts *o)
{
	struct ls_run *r = th_start_opts(s, p, o);

	ls_run_finish(r);
	struct tk_result out = tk_conclude(r);
	ls_run_free(r);
	return out;
}

/* ---- the race ----------------------------------------------------------- */

/*
 * P1 and P2 each search (read, say) and read count 1 in get(); then the rest
 * goes lowest-numbered first: P1 writes 0 and buys, P2 writes its stale 0 and
 * buys too, P3 reads 0.  One ticket, two sales.
 */
START_TEST(tk_unlocked_oversold)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = tk_params(p, 3, 1, 5, TK_NONE);
	static const int steps[] = { 0, 0, 0, 1, 1, 1 };
	struct ls_schedule sched;
	struct ls_run_opts o;
	struct ls_verdict v;

	tk_tmp_begin();
	ls_schedule_init(&sched);
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		ls_schedule_push(&sched, steps[i]);
	ls_run_opts_default(&o, s);
	ck_assert_int_eq(o.kind, LS_ACTORS_PROCESSES);
	o.kind = th_kind(_i);
	o.policy = LS_POLICY_REPLAY;
	o.replay = &sched;
	struct ls_run *r = th_start_opts(s, p, &o);
	ck_assert_int_eq(tk_tmp_entries(), 1);   /* the run's directory */
	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);

	const struct ls_model *m = ls_run_model(r);
	struct tk_result res = tk_conclude(r);
	ck_assert_int_eq(res.sold, 2);
	ck_assert_int_eq(res.oversold, 1);
	ck_assert_int_eq(res.left, 0);
	ck_assert_int_eq(res.ok, 0);
	ls_run_verdict(r, &v);
	ck_assert_msg(strstr(v.summary, "oversold 1 time"), "summary: %s", v.summary);
	ck_assert_int_eq(th_said(m, "tickets left: 1"), 2);
	ck_assert_int_eq(th_said(m, "tickets left: 0"), 1);
	/* The file shows what was last written: count 0. */
	int db = ls_model_find(m, "db.txt");
	ck_assert_int_ge(db, 0);
	ck_assert_str_eq(m->objs[db].text, "{\"count\": 0}");
	ck_assert_int_eq(m->actors[0].state, LS_AS_DONE);
	ls_run_free(r);
	ls_schedule_clear(&sched);
	if (o.kind == LS_ACTORS_PROCESSES)
		ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	tk_tmp_end();
}
END_TEST

/* Unlocked, some of a handful of seeds oversell; each seed always does the same. */
START_TEST(tk_unlocked_some_seed_oversells)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = tk_params(p, 4, 1, 5, TK_NONE);
	struct ls_run_opts o;
	int oversold = 0;

	tk_tmp_begin();
	th_opts(&o, s, LS_ACTORS_THREADS, LS_POLICY_RANDOM);
	for (uint64_t seed = 1; seed <= 10; seed++) {
		o.seed = seed;
		struct tk_result a = tk_run(s, p, &o);
		struct tk_result b = tk_run(s, p, &o);
		ck_assert_int_eq(a.status, LS_RUN_FINISHED);
		ck_assert_int_ge(a.sold, 1);
		ck_assert_int_le(a.sold, 4);
		ck_assert_int_eq(a.sold, b.sold);
		oversold += a.oversold > 0;
	}
	ck_assert_int_ge(oversold, 1);
	tk_tmp_end();
}
END_TEST

/* ---- locked: exact under every schedule --------------------------------- */

static void
tk_locked_seeds(long lock, enum ls_actor_kind kind, long tickets)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = tk_params(p, 4, tickets, 5, lock);
	struct ls_run_opts o;

	tk_tmp_begin();
	th_opts(&o, s, kind, LS_POLICY_RANDOM);
	for (uint64_t seed = 1; seed <= 12; seed++) {
		o.seed = seed * 7919;
		struct tk_result res = tk_run(s, p, &o);
		ck_assert_int_eq(res.status, LS_RUN_FINISHED);
		ck_assert_msg(res.sold == tickets, "lock=%ld seed %llu: %ld sold of %ld", lock,
		              (unsigned long long)o.seed, res.sold, tickets);
		ck_assert_int_eq(res.oversold, 0);
		ck_assert_int_eq(res.left, 0);
		ck_assert_int_eq(res.ok, 1);
	}
	if (kind == LS_ACTORS_PROCESSES)
		ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	tk_tmp_end();
}

START_TEST(tk_mutex_exact) { tk_locked_seeds(TK_MUTEX, th_kind(_i), 1); }
END_TEST
START_TEST(tk_flock_exact) { tk_locked_seeds(TK_FLOCK, th_kind(_i), 1); }
END_TEST
START_TEST(tk_mutex_exact_two) { tk_locked_seeds(TK_MUTEX, th_kind(_i), 2); }
END_TEST
START_TEST(tk_flock_exact_two) { tk_locked_seeds(TK_FLOCK, th_kind(_i), 2); }
END_TEST

/* While P1 holds the lock in get(), P2 cannot pass it (mutex and flock alike). */
static void
tk_lock_excludes(long lock, enum ls_actor_kind kind)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = tk_params(p, 2, 1, 5, lock);
	struct ls_run_opts o;

	tk_tmp_begin();
	th_opts(&o, s, kind, LS_POLICY_STEP);
	struct ls_run *r = th_start_opts(s, p, &o);
	const struct ls_model *m = ls_run_model(r);

	for (int a = 0; a < 2; a++) {
		ck_assert_int_eq(ls_run_step(r, a), a);   /* search: read */
		ck_assert_int_eq(ls_run_step(r, a), a);   /* search: say */
		ck_assert_int_eq(m->actors[a].op, LS_OP_LOCK);
	}
	ck_assert_int_eq(ls_run_step(r, 0), 0);       /* P1 takes the lock */
	int lk = ls_model_find(m, lock == TK_MUTEX ? "lock" : "db.txt");
	ck_assert_int_ge(lk, 0);
	ck_assert_int_eq(m->actors[1].obj, lk);
	ck_assert_int_eq(m->objs[lk].owner, 0);
	ck_assert_int_eq(ls_run_step(r, 1), -1);      /* P2 must wait */
	ck_assert_int_eq(m->actors[1].state, LS_AS_GATE);
	ck_assert_int_eq(ls_run_step(r, 0), 0);       /* P1 reads count 1 */
	ck_assert_int_eq(ls_run_step(r, 1), -1);
	/* Let P1 finish: sleep, sleep, write, say, unlock. */
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(ls_run_step(r, 0), 0);
	ck_assert_int_eq(m->objs[lk].owner, -1);
	while (ls_run_step(r, 1) == 1)
		;
	ck_assert_int_eq(ls_run_status(r), LS_RUN_FINISHED);
	struct tk_result res = tk_conclude(r);
	ck_assert_int_eq(res.sold, 1);
	ck_assert_int_eq(res.ok, 1);
	ls_run_free(r);
	tk_tmp_end();
}

START_TEST(tk_mutex_excludes) { tk_lock_excludes(TK_MUTEX, th_kind(_i)); }
END_TEST
START_TEST(tk_flock_excludes) { tk_lock_excludes(TK_FLOCK, th_kind(_i)); }
END_TEST

/* ---- free runs: invariants only ----------------------------------------- */

static void
tk_free(long lock, enum ls_actor_kind kind)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = tk_params(p, 10, 1, 5, lock);
	struct ls_run_opts o;

	tk_tmp_begin();
	ls_run_opts_default(&o, s);
	o.kind = kind;
	struct tk_result res = tk_run(s, p, &o);
	ck_assert_int_eq(res.status, LS_RUN_FINISHED);
	if (lock == TK_NONE) {
		/* Someone always buys; how many more depends on the OS. */
		ck_assert_int_ge(res.sold, 1);
		ck_assert_int_le(res.sold, 10);
		ck_assert_int_eq(res.oversold, res.sold - 1);
	} else {
		ck_assert_int_eq(res.sold, 1);
		ck_assert_int_eq(res.ok, 1);
	}
	if (kind == LS_ACTORS_PROCESSES)
		ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	tk_tmp_end();
}

START_TEST(tk_free_none) { tk_free(TK_NONE, th_kind(_i)); }
END_TEST
START_TEST(tk_free_mutex) { tk_free(TK_MUTEX, th_kind(_i)); }
END_TEST
START_TEST(tk_free_flock) { tk_free(TK_FLOCK, th_kind(_i)); }
END_TEST

/* ---- nothing left behind ------------------------------------------------ */

/* A run stopped half-way (an actor holding flock) still removes its file. */
START_TEST(tk_abort_cleans_up)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = tk_params(p, 3, 1, 5, TK_FLOCK);
	struct ls_run_opts o;

	tk_tmp_begin();
	th_opts(&o, s, th_kind(_i), LS_POLICY_STEP);
	struct ls_run *r = th_start_opts(s, p, &o);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(ls_run_step(r, 1), 1);   /* P2 holds the file lock */
	ck_assert_int_eq(tk_tmp_entries(), 1);
	ls_run_abort(r);
	ck_assert_int_eq(ls_run_status(r), LS_RUN_ABORTED);
	ls_run_free(r);
	if (o.kind == LS_ACTORS_PROCESSES)
		ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	tk_tmp_end();
}
END_TEST

/* Freed without ever being started: setup made the file, free removes it. */
START_TEST(tk_unstarted_cleans_up)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = tk_params(p, 3, 1, 5, TK_NONE);
	struct ls_run_opts o;
	char err[256] = "";

	tk_tmp_begin();
	ls_run_opts_default(&o, s);
	struct ls_run *r = ls_run_new(s, p, &o, err, sizeof err);
	ck_assert_msg(r != NULL, "%s", err);
	ck_assert_int_eq(tk_tmp_entries(), 1);
	ls_run_free(r);
	tk_tmp_end();
}
END_TEST

/* ---- the descriptor ----------------------------------------------------- */

START_TEST(tk_descriptor)
{
	const struct ls_scenario *s = ls_scenario_find("tickets");
	long p[LS_PARAMS_MAX];
	char err[200], buf[200];

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->kind, LS_ACTORS_PROCESSES);
	ck_assert_int_eq(s->toggle_param, ls_scenario_param_index(s, "lock"));
	ls_params_default(s, p);
	ls_params_format(s, p, buf, sizeof buf);
	ck_assert_str_eq(buf, "buyers=100 tickets=1 read_delay_ms=100 write_delay_ms=200 lock=none");
	ck_assert_int_eq(ls_params_set(s, p, "lock=flock", err, sizeof err), 0);
	ck_assert_int_eq(p[ls_scenario_param_index(s, "lock")], TK_FLOCK);
	ck_assert_int_eq(ls_params_set(s, p, "lock=semaphore", err, sizeof err), -1);
	ck_assert_int_eq(ls_scenario_actor_count(s, p), 100);
}
END_TEST

Suite *
tickets_suite(void)
{
	Suite *s = suite_create("tickets");
	TCase *tc = th_tcase(s, "descriptor", 10);

	tcase_add_test(tc, tk_descriptor);

	tc = th_tcase(s, "race", 60);
	tcase_add_unchecked_fixture(tc, tk_fixture_setup, tk_fixture_teardown);
	tcase_add_loop_test(tc, tk_unlocked_oversold, 0, 2);
	tcase_add_test(tc, tk_unlocked_some_seed_oversells);

	tc = th_tcase(s, "locked", 90);
	tcase_add_unchecked_fixture(tc, tk_fixture_setup, tk_fixture_teardown);
	tcase_add_loop_test(tc, tk_mutex_exact, 0, 2);
	tcase_add_loop_test(tc, tk_flock_exact, 0, 2);
	tcase_add_loop_test(tc, tk_mutex_exact_two, 0, 2);
	tcase_add_loop_test(tc, tk_flock_exact_two, 0, 2);
	tcase_add_loop_test(tc, tk_mutex_excludes, 0, 2);
	tcase_add_loop_test(tc, tk_flock_excludes, 0, 2);

	tc = th_tcase(s, "free", 60);
	tcase_add_unchecked_fixture(tc, tk_fixture_setup, tk_fixture_teardown);
	tcase_add_loop_test(tc, tk_free_none, 0, 2);
	tcase_add_loop_test(tc, tk_free_mutex, 0, 2);
	tcase_add_loop_test(tc, tk_free_flock, 0, 2);

	tc = th_tcase(s, "cleanup", 30);
	tcase_add_unchecked_fixture(tc, tk_fixture_setup, tk_fixture_teardown);
	tcase_add_loop_test(tc, tk_abort_cleans_up, 0, 2);
	tcase_add_test(tc, tk_unstarted_cleans_up);
	return s;
}
