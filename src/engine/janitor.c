/*
 * janitor.c - the helper that removes the program's temporary directories
 * when the program cannot (SIGKILL).  See janitor.h.
 *
 * The janitor is forked twice (the middle process leaves at once), so it is
 * nobody's child: the program's "no child left" checks stay true and it is
 * reaped by init.  It starts a session of its own (no Ctrl-C, no hang-up
 * from the terminal), ignores the other signals that would end it, closes
 * every descriptor but its socket, and uses only system calls: it may be
 * forked from a process with threads.  Messages are single lines written
 * with one send() each on a stream socket, and only the program's main
 * thread (or a dying handler) sends.
 *
 * It also kills, at the end, the process groups it was given: the programs
 * a lesson started (ls_spawn) run in groups of their own, and what such a
 * program started (a shell's `sleep`) has no PR_SET_PDEATHSIG to end it.
 * Those lines may come from any thread or actor process: each is one send()
 * of a few bytes on a Unix stream socket, which the kernel queues whole.
 *
 * Must never: remove anything but the files directly inside a directory it
 * was given, and that directory; signal anything but the groups it was
 * given and not told to forget.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/janitor.h"

#define JANITOR_DIRS   64
#define JANITOR_PATH   256
#define JANITOR_GROUPS 512

static int janitor_fd = -1;   /* our write end; -1 = not started (or could not) */
static int janitor_failed;

/* ---- the janitor itself ---------------------------------------------------- */

static char janitor_dirs[JANITOR_DIRS][JANITOR_PATH];
static pid_t janitor_groups[JANITOR_GROUPS];

/* "#1234": a process group to kill at the end (add), or no longer (forget). */
static void
janitor_group(const char *p, size_t n, int add)
{
	long g = 0;

	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9' || g > 100000000L)
			return;
		g = g * 10 + (p[i] - '0');
	}
	if (g <= 1)
		return;
	for (int i = 0; i < JANITOR_GROUPS; i++)
		if (add ? janitor_groups[i] == 0 : janitor_groups[i] == (pid_t)g) {
			janitor_groups[i] = add ? (pid_t)g : 0;
			return;
		}
}

static void
janitor_add(const char *p, size_t n, int add)
{
	int free_slot = -1;

	if (n == 0 || n >= JANITOR_PATH)
		return;
	for (int i = 0; i < JANITOR_DIRS; i++) {
		if (!janitor_dirs[i][0]) {
			if (free_slot < 0)
				free_slot = i;
			continue;
		}
		if (strlen(janitor_dirs[i]) == n && memcmp(janitor_dirs[i], p, n) == 0) {
			if (!add)
				janitor_dirs[i][0] = '\0';
			return;
		}
	}
	if (add && free_slot >= 0) {
		memcpy(janitor_dirs[free_slot], p, n);
		janitor_dirs[free_slot][n] = '\0';
	}
}

/* Empty one directory (files only) and remove it, with system calls only. */
static void
janitor_remove(const char *dir)
{
	char buf[4096];
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

	if (fd >= 0) {
		long n;
		while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
			for (long at = 0; at < n;) {
				struct dirent64 *d = (struct dirent64 *)(void *)(buf + at);
				if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0)
					unlinkat(fd, d->d_name, 0);
				at += d->d_reclen;
			}
		}
		close(fd);
	}
	rmdir(dir);
}

static _Noreturn void
janitor_main(int rfd)
{
	static const int quiet[] = {
		SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE,
		SIGTSTP, SIGTTIN, SIGTTOU, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGIO,
	};
	struct sigaction sa;
	sigset_t none;
	char buf[2 * JANITOR_PATH];
	size_t have = 0;

	setsid();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	for (size_t i = 0; i < sizeof quiet / sizeof quiet[0]; i++)
		sigaction(quiet[i], &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_NAME, "lockstep-clean");
	/* Keep only the socket: a copy of the terminal or of a caller's pipe
	 * would keep them open after the program is gone. */
	if (rfd != 3) {
		if (dup2(rfd, 3) < 0)
			_exit(1);
		rfd = 3;
	}
	for (int fd = 0; fd < 3; fd++)
		close(fd);
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 4u, ~0u, 0u) != 0)
#endif
	{
		struct rlimit rl;
		long max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536 ? (long)rl.rlim_cur : 65536;
		for (long fd = 4; fd < max; fd++)
			close((int)fd);
	}
	for (;;) {
		ssize_t n = read(rfd, buf + have, sizeof buf - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
		char *nl;
		while ((nl = memchr(buf, '\n', have)) != NULL) {
			size_t len = (size_t)(nl - buf);
			if (len > 2 && (buf[0] == '+' || buf[0] == '-') && buf[1] == '#')
				janitor_group(buf + 2, len - 2, buf[0] == '+');
			else if (len > 1 && (buf[0] == '+' || buf[0] == '-'))
				janitor_add(buf + 1, len - 1, buf[0] == '+');
			have -= len + 1;
			memmove(buf, nl + 1, have);
		}
		if (have == sizeof buf)
			have = 0;   /* a line longer than any path: not ours */
	}
	/* First the programs (they may still write in the directories). */
	for (int i = 0; i < JANITOR_GROUPS; i++)
		if (janitor_groups[i] > 1)
			kill(-janitor_groups[i], SIGKILL);
	for (int i = 0; i < JANITOR_DIRS; i++)
		if (janitor_dirs[i][0])
			janitor_remove(janitor_dirs[i]);
	_exit(0);
}

/* ---- the program's side ------------------------------------------------------ */

static int
janitor_start(void)
{
	int p[2];
	sigset_t all, old;

	if (janitor_fd >= 0)
		return 0;
	/* A socket rather than a pipe: send() can refuse SIGPIPE should the
	 * janitor be gone, in programs (the tests) that do not ignore it. */
	if (janitor_failed || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p) != 0)
		return -1;
	/* Signals blocked across the forks: no handler of ours runs in them. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid_t mid = fork();
	if (mid == 0) {
		close(p[1]);
		pid_t j = fork();
		if (j == 0)
			janitor_main(p[0]);
		_exit(j < 0);
	}
	close(p[0]);
	int status = 1;
	if (mid > 0)
		while (waitpid(mid, &status, 0) < 0 && errno == EINTR)
			;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (mid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		close(p[1]);
		janitor_failed = 1;   /* out of processes: do not fork on every run */
		return -1;
	}
	janitor_fd = p[1];
	return 0;
}

static void
janitor_say(char op, const char *dir)
{
	char msg[JANITOR_PATH + 2];
	size_t n = strlen(dir);

	if (janitor_fd < 0 || n == 0 || n >= JANITOR_PATH)
		return;
	msg[0] = op;
	memcpy(msg + 1, dir, n);
	msg[n + 1] = '\n';
	int saved = errno;   /* also called from signal handlers */
	while (send(janitor_fd, msg, n + 2, MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
	errno = saved;
}

int
ls_janitor_watch(const char *dir)
{
	if (strlen(dir) >= JANITOR_PATH || janitor_start() != 0)
		return -1;
	janitor_say('+', dir);
	return 0;
}

void
ls_janitor_forget(const char *dir)
{
	janitor_say('-', dir);
}

int
ls_janitor_start(void)
{
	return janitor_start();
}

static void
janitor_say_group(char op, pid_t pgid)
{
	char text[24];
	int n = 0;

	text[n++] = '#';
	char digits[16];
	int k = 0;
	for (unsigned long v = (unsigned long)pgid; v && k < (int)sizeof digits; v /= 10)
		digits[k++] = (char)('0' + v % 10);
	while (k > 0)
		text[n++] = digits[--k];
	text[n] = '\0';
	janitor_say(op, text);
}

void
ls_janitor_watch_group(pid_t pgid)
{
	if (pgid > 1)
		janitor_say_group('+', pgid);
}

void
ls_janitor_forget_group(pid_t pgid)
{
	if (pgid > 1)
		janitor_say_group('-', pgid);
}
