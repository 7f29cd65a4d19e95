/*
 * cleanup.c - signal handling.  Handlers only record (terminating signals) or
 * do async-signal-safe work on the way out (fatal ones): kill(), unlink(),
 * rmdir(), and the registered terminal restore.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/cleanup.h"
#include "engine/world.h"

/*
 * Every signal whose default action ends the process is caught: those that
 * report a fault in the program itself are handled on the spot (it cannot
 * go on), all the others only recorded for the main loop.  SIGKILL and
 * SIGSTOP cannot be caught; what SIGKILL would leave is arranged away
 * beforehand (see world.c's janitor).  SIGPIPE is ignored: a closed pipe is
 * an error return, not a death.
 */
static const int cleanup_fatal[] = {
	SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGSYS, SIGTRAP,
};
static const int cleanup_terminate[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM,
	SIGPROF, SIGXCPU, SIGXFSZ, SIGIO, SIGPWR,
#ifdef SIGSTKFLT
	SIGSTKFLT,
#endif
};

static volatile sig_atomic_t cleanup_caught;
static void (*cleanup_restore)(void);
/* The program's pid: a handler running anywhere else runs in a forked
 * actor, which keeps these handlers (resetting each of them in each of a
 * thousand children costs more than forking them) and must die of the
 * signal as if it had the default action. */
static pid_t cleanup_pid;

/* In a forked actor: the default action of sig, now (it is blocked while
 * its handler runs, so it arrives as the handler returns). */
static void
cleanup_as_default(int sig)
{
	struct sigaction sa;
	int saved = errno;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigaction(sig, &sa, NULL);
	raise(sig);
	errno = saved;
}

/*
 * The worlds a fatal signal must clean up after: a list threaded through
 * the worlds themselves, so there is no limit.  Only the main thread
 * changes it, with every signal blocked so no handler sees it half-linked;
 * actor threads block every signal, so handlers run on the main thread
 * except for a fault raised by an actor itself, which may see the list in
 * the middle of a change of the main thread's and miss a world.
 */
static struct ls_world *_Atomic cleanup_worlds;

static void
cleanup_on_terminate(int sig)
{
	if (getpid() != cleanup_pid) {
		cleanup_as_default(sig);
		return;
	}
	if (!cleanup_caught)
		cleanup_caught = sig;
}

static void
cleanup_on_crash(int sig)
{
	/* SA_RESETHAND already restored the default: an actor just dies. */
	if (getpid() != cleanup_pid) {
		raise(sig);
		return;
	}
	if (cleanup_restore)
		cleanup_restore();
	/* Acquire (seq_cst on the head, which costs nothing once): pairs with
	 * the release stores in ls_cleanup_track() and ls_cleanup_untrack(), so
	 * a world found is found whole. */
	for (struct ls_world *w = atomic_load(&cleanup_worlds); w;
	     w = atomic_load_explicit(&w->cleanup_next, memory_order_acquire)) {
		for (uint32_t a = 0; a < w->nactors; a++) {
			/* Relaxed: a pid carries no data; a stale 0 misses an actor
			 * that PR_SET_PDEATHSIG ends anyway. */
			pid_t pid = atomic_load_explicit(&w->actors[a].pid, memory_order_relaxed);
			if (pid > 0)
				kill(pid, SIGKILL);
		}
		/* The programs its actors started (ls_spawn), each in its own
		 * group: the shell and what it started, such as a sleep. */
		for (int i = 0; i < LS_PROGS_MAX; i++) {
			/* Relaxed: as the actors' pids above. */
			pid_t pid = atomic_load_explicit(&w->progs[i], memory_order_relaxed);
			if (pid > 0)
				kill(-pid, SIGKILL);
		}
		ls_world_remove_files(w);
	}
	/* SA_RESETHAND restored the default action and SA_NODEFER lets it
	 * arrive now: the program dies of the same signal. */
	raise(sig);
}

int
ls_cleanup_install(void)
{
	struct sigaction sa;

	cleanup_pid = getpid();
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = cleanup_on_terminate;
	for (size_t i = 0; i < sizeof cleanup_terminate / sizeof cleanup_terminate[0]; i++)
		if (sigaction(cleanup_terminate[i], &sa, NULL) != 0)
			return -1;
	/* Real-time signals end a process by default too.  glibc keeps the
	 * first few for itself and SIGRTMIN starts after them. */
	for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		if (sigaction(sig, &sa, NULL) != 0)
			return -1;
	sa.sa_handler = cleanup_on_crash;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	for (size_t i = 0; i < sizeof cleanup_fatal / sizeof cleanup_fatal[0]; i++)
		if (sigaction(cleanup_fatal[i], &sa, NULL) != 0)
			return -1;
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigaction(SIGPIPE, &sa, NULL);
	return 0;
}

int
ls_cleanup_handles(void (*handler)(int))
{
	return handler == cleanup_on_terminate || handler == cleanup_on_crash;
}

int
ls_cleanup_signalled(void)
{
	return cleanup_caught;
}

void
ls_cleanup_reset(void)
{
	cleanup_caught = 0;
}

void
ls_cleanup_track(struct ls_world *w)
{
	sigset_t all, old;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	/* Relaxed: next is published by the release store of the head below
	 * (the head's load is seq_cst, needlessly: one thread tracks, with
	 * signals blocked). */
	atomic_store_explicit(&w->cleanup_next, atomic_load(&cleanup_worlds), memory_order_relaxed);
	/* Pairs with the handler's acquire walk in cleanup_on_crash(): a
	 * handler that finds w finds it whole. */
	atomic_store_explicit(&cleanup_worlds, w, memory_order_release);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void
ls_cleanup_untrack(struct ls_world *w)
{
	sigset_t all, old;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	/* seq_cst loads kept (relaxed would do): the list is written only
	 * here and in ls_cleanup_track(), with signals blocked, by the thread
	 * that owns the runs; only the crash handler reads it besides. */
	for (struct ls_world *_Atomic *at = &cleanup_worlds; atomic_load(at);
	     at = &atomic_load(at)->cleanup_next) {
		if (atomic_load(at) == w) {
			/* Pairs with the handler's acquire walk in cleanup_on_crash(). */
			atomic_store_explicit(at, atomic_load(&w->cleanup_next), memory_order_release);
			break;
		}
	}
	/* seq_cst kept, though nothing pairs with it: w is off the list. */
	atomic_store(&w->cleanup_next, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void
ls_cleanup_on_fatal(void (*restore)(void))
{
	cleanup_restore = restore;
}

const char *
ls_cleanup_signal_name(int sig)
{
	static const char *const names[] = {
		[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
		[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
		[SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL",
		[SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
		[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
		[SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT", [SIGSTOP] = "SIGSTOP",
		[SIGTSTP] = "SIGTSTP", [SIGTTIN] = "SIGTTIN", [SIGTTOU] = "SIGTTOU",
		[SIGURG] = "SIGURG", [SIGXCPU] = "SIGXCPU", [SIGXFSZ] = "SIGXFSZ",
		[SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF", [SIGWINCH] = "SIGWINCH",
		[SIGIO] = "SIGIO", [SIGPWR] = "SIGPWR", [SIGSYS] = "SIGSYS",
	};
	static char rt[16];

	if (sig > 0 && (size_t)sig < sizeof names / sizeof names[0] && names[sig])
		return names[sig];
	if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
		snprintf(rt, sizeof rt, "SIGRTMIN+%d", sig - SIGRTMIN);
		return rt;
	}
	snprintf(rt, sizeof rt, "signal %d", sig);
	return rt;
}

_Noreturn void
ls_cleanup_reraise(int sig)
{
	struct sigaction sa;

	/* The one line that says why we end; the run is already cleaned up. */
	fprintf(stderr, "lockstep: stopped by %s; the run was ended and cleaned up\n",
	        ls_cleanup_signal_name(sig));
	fflush(stderr);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigaction(sig, &sa, NULL);
	raise(sig);
	_exit(128 + sig);
}
