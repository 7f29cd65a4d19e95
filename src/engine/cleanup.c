/*
 * cleanup.c - signal handling.  Handlers only record (terminating signals) or
 * do async-signal-safe work on the way out (fatal ones): kill(), unlink(),
 * rmdir(), and the registered terminal restore.
 */
#include "config.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/cleanup.h"
#include "engine/world.h"

#define TRACKED_MAX 8

static volatile sig_atomic_t cleanup_caught;
static struct ls_world *_Atomic cleanup_worlds[TRACKED_MAX];
static void (*cleanup_restore)(void);

static void
cleanup_on_terminate(int sig)
{
	if (!cleanup_caught)
		cleanup_caught = sig;
}

static void
cleanup_on_crash(int sig)
{
	if (cleanup_restore)
		cleanup_restore();
	for (int i = 0; i < TRACKED_MAX; i++) {
		struct ls_world *w = atomic_load(&cleanup_worlds[i]);
		if (!w)
			continue;
		for (uint32_t a = 0; a < w->nactors; a++) {
			pid_t pid = atomic_load_explicit(&w->actors[a].pid, memory_order_relaxed);
			if (pid > 0)
				kill(pid, SIGKILL);
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
	static const int terminate[] = { SIGINT, SIGTERM, SIGHUP };
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = cleanup_on_terminate;
	for (size_t i = 0; i < sizeof terminate / sizeof terminate[0]; i++)
		if (sigaction(terminate[i], &sa, NULL) != 0)
			return -1;
	sa.sa_handler = cleanup_on_crash;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		if (sigaction(fatal[i], &sa, NULL) != 0)
			return -1;
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigaction(SIGPIPE, &sa, NULL);
	return 0;
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
	for (int i = 0; i < TRACKED_MAX; i++) {
		struct ls_world *none = NULL;
		if (atomic_compare_exchange_strong(&cleanup_worlds[i], &none, w))
			return;
	}
}

void
ls_cleanup_untrack(struct ls_world *w)
{
	for (int i = 0; i < TRACKED_MAX; i++) {
		struct ls_world *mine = w;
		if (atomic_compare_exchange_strong(&cleanup_worlds[i], &mine, NULL))
			return;
	}
}

void
ls_cleanup_on_fatal(void (*restore)(void))
{
	cleanup_restore = restore;
}

_Noreturn void
ls_cleanup_reraise(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigaction(sig, &sa, NULL);
	raise(sig);
	_exit(128 + sig);
}
