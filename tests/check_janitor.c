/*
 * check_janitor.c - the janitor (src/engine/janitor.c) on its own: a child
 * process starts a stepped run of the tickets lesson (its file in a private
 * temporary directory, its buyers forked processes parked at their gates),
 * says where things are, and is killed with SIGKILL, so none of its own
 * cleanup can run.  Within a bounded wait the directory must be gone,
 * removed by the janitor, and every actor process with it (they die with
 * their parent, PR_SET_PDEATHSIG).  A second child does the same and ends
 * normally: its directory goes too, by the ordinary path.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/clock.h"
#include "engine/params.h"
#include "helpers.h"
#include "suites.h"

#define JN_ACTORS 2
#define JN_WAIT_MS 30000   /* a loaded machine; the test's timeout is longer */

/* What the child reports: its actors' pids, then 0 once it is set up. */
struct jn_report {
	int npids;
	int pids[JN_ACTORS];
};

/* The child: never returns.  Exit codes name what failed. */
static _Noreturn void
jn_child(int wfd, int kill_me)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = ls_scenario_find("tickets");
	struct ls_run_opts o;
	char err[256];
	int en[JN_ACTORS];
	struct jn_report rep = { 0, { 0 } };

	if (!s)
		_exit(10);
	ls_params_default(s, p);
	if (ls_params_set(s, p, "buyers=2", err, sizeof err) != 0)
		_exit(11);
	ls_run_opts_default(&o, s);
	o.kind = LS_ACTORS_PROCESSES;
	o.policy = LS_POLICY_STEP;
	struct ls_run *r = ls_run_new(s, p, &o, err, sizeof err);
	if (!r || ls_run_start(r, err, sizeof err) != 0)
		_exit(12);
	/* Every buyer parked at its first probe: forked and alive. */
	if (ls_run_enabled(r, en, JN_ACTORS) != JN_ACTORS)
		_exit(13);
	rep.npids = JN_ACTORS;
	for (int i = 0; i < JN_ACTORS; i++)
		rep.pids[i] = ls_run_actor_os_id(r, i);
	if (write(wfd, &rep, sizeof rep) != (ssize_t)sizeof rep)
		_exit(14);
	if (kill_me) {
		for (;;)
			pause();   /* until the SIGKILL */
	}
	ls_run_free(r);
	_exit(0);
}

/* The lockstep-* directories in base. */
static int
jn_dirs(const char *base, char *first, size_t len)
{
	DIR *d = opendir(base);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, "lockstep-", 9) == 0 && n++ == 0 && first)
			snprintf(first, len, "%s/%s", base, e->d_name);
	closedir(d);
	return n;
}

/* Gone: no such process, or a zombie nobody reaped yet (it runs nothing). */
static int
jn_gone(int pid)
{
	char path[64], buf[256];
	FILE *f;

	if (kill(pid, 0) != 0 && errno == ESRCH)
		return 1;
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if (!(f = fopen(path, "r")))
		return 1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *close = strrchr(buf, ')');
	return close && close[1] == ' ' && (close[2] == 'Z' || close[2] == 'X');
}

static int
jn_all_gone(const char *base, const struct jn_report *rep)
{
	if (jn_dirs(base, NULL, 0) != 0)
		return 0;
	for (int i = 0; i < rep->npids; i++)
		if (!jn_gone(rep->pids[i]))
			return 0;
	return 1;
}

/* A private directory to be the child's TMPDIR (not named lockstep-*: other
 * tests look for those). */
static void
jn_base(char *base, size_t len)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(base, len, "%s/ls-janitor-test.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(base));
}

/* Start the child with TMPDIR=base; read its report. */
static pid_t
jn_start(const char *base, int kill_me, struct jn_report *rep)
{
	int fd[2];

	ck_assert_int_eq(pipe(fd), 0);
	fflush(NULL);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* Ends with the test, should the test fail before it kills it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(fd[0]);
		setenv("TMPDIR", base, 1);
		jn_child(fd[1], kill_me);
	}
	close(fd[1]);
	struct pollfd pf = { .fd = fd[0], .events = POLLIN };
	ck_assert_msg(poll(&pf, 1, JN_WAIT_MS) == 1, "the child reported nothing");
	ssize_t got = read(fd[0], rep, sizeof *rep);
	close(fd[0]);
	if (got != (ssize_t)sizeof *rep) {
		int st = 0;
		waitpid(pid, &st, 0);
		ck_abort_msg("the child failed to start its run (exit %d)",
		             WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
	}
	for (int i = 0; i < rep->npids; i++)
		ck_assert_int_gt(rep->pids[i], 0);
	return pid;
}

START_TEST(janitor_after_sigkill)
{
	char base[256], dir[512], file[600];
	struct jn_report rep;
	struct stat st;
	int status;

	/* Under CK_FORK=no an earlier test of this process may have started a
	 * janitor whose socket this process keeps open: it could never see
	 * the end.  Each test is a process of its own otherwise. */
	if (getenv("CK_FORK") && strcmp(getenv("CK_FORK"), "no") == 0) {
		fprintf(stderr, "janitor_after_sigkill: skipped under CK_FORK=no\n");
		return;
	}
	jn_base(base, sizeof base);
	pid_t pid = jn_start(base, 1, &rep);
	/* The run's directory, with the lesson's file in it. */
	ck_assert_int_eq(jn_dirs(base, dir, sizeof dir), 1);
	snprintf(file, sizeof file, "%s/db.txt", dir);
	ck_assert_int_eq(stat(file, &st), 0);
	for (int i = 0; i < rep.npids; i++)
		ck_assert_msg(!jn_gone(rep.pids[i]), "actor %d not running", i);
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	uint64_t until = ls_now_ns() + (uint64_t)JN_WAIT_MS * 1000000u;
	while (!jn_all_gone(base, &rep) && ls_now_ns() < until)
		nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
	int left = jn_dirs(base, NULL, 0);
	if (left) {   /* the failure is the test's: leave nothing behind for it */
		unlink(file);
		rmdir(dir);
		rmdir(base);
	}
	ck_assert_msg(left == 0, "%s left after SIGKILL", dir);
	for (int i = 0; i < rep.npids; i++)
		ck_assert_msg(jn_gone(rep.pids[i]), "actor process %d left after SIGKILL",
		              rep.pids[i]);
	ck_assert_int_eq(rmdir(base), 0);
}
END_TEST

/* The ordinary path: the run frees its directory itself. */
START_TEST(janitor_normal_end)
{
	char base[256];
	struct jn_report rep;
	int status;

	jn_base(base, sizeof base);
	pid_t pid = jn_start(base, 0, &rep);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(jn_dirs(base, NULL, 0), 0);
	for (int i = 0; i < rep.npids; i++)
		ck_assert(jn_gone(rep.pids[i]));
	ck_assert_int_eq(rmdir(base), 0);
}
END_TEST

Suite *
janitor_suite(void)
{
	Suite *s = suite_create("janitor");
	TCase *tc = th_tcase(s, "sigkill", 90);

	tcase_add_test(tc, janitor_after_sigkill);
	tcase_add_test(tc, janitor_normal_end);
	return s;
}
