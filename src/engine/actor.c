/*
 * actor.c - spawning, leaving and reaping actors.  Runs in the parent except
 * actor_main(), which is the first thing an actor runs.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/actor.h"
#include "engine/cleanup.h"
#include "engine/futex.h"
#include "lockstep/probe.h"

__thread struct ls_self *ls_self_tls;

#define ACTOR_STACK (256u * 1024u)

/*
 * Children that changed state (exited, died, stopped, continued) announce it
 * with SIGCHLD; the handler only counts.  A reap pass that finds the count
 * unchanged has nothing to wait for, so a run of many process actors makes
 * a number of wait calls proportional to its actors, not to its actors
 * times its steps.  When SIGCHLD is not ours to catch (a handler or SIG_IGN
 * set by whoever embeds the engine), every pass looks, as before.
 */
static _Atomic unsigned actor_chld_count;
static int actor_chld_ours;          /* 1: our handler, -1: not ours, 0: not tried */

static void
actor_on_chld(int sig)
{
	(void)sig;
	atomic_fetch_add_explicit(&actor_chld_count, 1, memory_order_relaxed);
}

/*
 * What a forked actor must change of the signal state it inherits, worked
 * out once per run in the parent: every signal with a handler or SIG_IGN
 * goes back to its default, except the handlers of cleanup.c, which act as
 * the default in a child (see there), and the SIGCHLD count (a child has no
 * children).  Typically one signal (SIGPIPE), not one call per signal.
 */
static int actor_sig_reset[NSIG];
static int actor_nsig_reset;

static void
actor_plan_signals(void)
{
	actor_nsig_reset = 0;
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction old;
		if (sig == SIGKILL || sig == SIGSTOP || sig == SIGINT || sig == SIGQUIT ||
		    sigaction(sig, NULL, &old) != 0)
			continue;
		if (old.sa_flags & SA_SIGINFO) {
			actor_sig_reset[actor_nsig_reset++] = sig;
			continue;
		}
		if (old.sa_handler == SIG_DFL || ls_cleanup_handles(old.sa_handler) ||
		    (sig == SIGCHLD && old.sa_handler == actor_on_chld))
			continue;
		actor_sig_reset[actor_nsig_reset++] = sig;
	}
}

/* Parent, before the first fork: count SIGCHLD if nobody else handles it. */
static void
actor_watch_children(void)
{
	struct sigaction old, sa;

	if (actor_chld_ours)
		return;
	actor_chld_ours = -1;
	if (sigaction(SIGCHLD, NULL, &old) != 0 || (old.sa_flags & SA_SIGINFO) ||
	    old.sa_handler != SIG_DFL)
		return;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = actor_on_chld;
	/* SA_RESTART: the parent's reads and waits go on as if nothing came. */
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGCHLD, &sa, NULL) == 0)
		actor_chld_ours = 1;
}

void
ls_actor_prepare_processes(void)
{
	actor_watch_children();
	actor_plan_signals();
}

int
ls_actor_children_changed(unsigned *seen)
{
	unsigned now = atomic_load_explicit(&actor_chld_count, memory_order_relaxed);

	if (actor_chld_ours <= 0)
		return 2;
	if (now == *seen)
		return 0;
	*seen = now;
	return 1;
}

pid_t
ls_actor_next_changed(void)
{
	siginfo_t info;

	memset(&info, 0, sizeof info);
	/* WNOWAIT: only look; the caller waits for the pid itself if it is one
	 * of its own, so a child of someone else's is never taken. */
	if (waitid(P_ALL, 0, &info, WEXITED | WSTOPPED | WCONTINUED | WNOHANG | WNOWAIT) != 0)
		return errno == EINTR ? -1 : (errno == ECHILD ? 0 : -1);
	return info.si_pid;
}

static void
actor_record(struct ls_self *self, enum ls_op op, enum ls_phase ph)
{
	struct ls_event e = { 0 };

	e.t_ns = ls_now_ns();
	e.actor = self->id;
	e.op = (uint8_t)op;
	e.phase = (uint8_t)ph;
	e.obj = LS_NO_OBJ;
	e.u.v.a = self->is_process ? getpid() : (int64_t)syscall(SYS_gettid);
	e.u.v.b = getppid();   /* a process's parent: the tree the views draw */
	ls_ring_push(self->slot->ring, &e);
}

_Noreturn void
ls_actor_leave(void)
{
	struct ls_self *self = ls_self_tls;

	actor_record(self, LS_OP_EXIT, LS_PH_FAIL);
	ls_gate_done(&self->slot->gate);
	if (self->is_process)
		_exit(0);
	longjmp(self->leave, 1);
}

static void
actor_main(struct ls_actor *a)
{
	struct ls_self *self = &a->self;

	ls_self_tls = self;
	atomic_store_explicit(&self->slot->tid, (int32_t)syscall(SYS_gettid), memory_order_relaxed);
	actor_record(self, LS_OP_START, LS_PH_DONE);
	/* A body left through ls_actor_leave() comes back here, done already. */
	if (setjmp(self->leave) != 0)
		return;
	a->body(&a->ctx);
	/* A forked child that returned through its parent's body is the child
	 * still: it ends as one (ls_fork). */
	if (ls_self_tls != self)
		ls_actor_child_end(0);
	actor_record(self, LS_OP_EXIT, LS_PH_DONE);
	ls_gate_done(&self->slot->gate);
}

/* Child side of a fork: default signals but Ctrl-C's, which is the parent's. */
static void
actor_child_signals(const sigset_t *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sigprocmask(SIG_SETMASK, old, NULL);
}

pid_t
ls_actor_fork_child(int child)
{
	struct ls_self *self = ls_self_tls;
	struct ls_actor *me = (struct ls_actor *)((char *)self - offsetof(struct ls_actor, self));
	struct ls_actor *c = me + (child - (int)self->id);
	sigset_t all, old;
	pid_t parent = getpid();

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	atomic_store_explicit(&c->self.slot->forked_by, (int32_t)self->id + 1, memory_order_relaxed);
	pid_t pid = fork();
	if (pid == 0) {
		/* Dies with the thread or process that forked it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		actor_child_signals(&old);
		c->self.is_process = 1;
		ls_self_tls = &c->self;
		atomic_store_explicit(&c->self.slot->pid, (int32_t)getpid(), memory_order_relaxed);
		atomic_store_explicit(&c->self.slot->tid, (int32_t)syscall(SYS_gettid),
		                      memory_order_relaxed);
		actor_record(&c->self, LS_OP_START, LS_PH_DONE);
		return 0;
	}
	int saved = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0) {
		errno = saved;
		return -1;
	}
	atomic_store_explicit(&c->self.slot->pid, (int32_t)pid, memory_order_relaxed);
	return pid;
}

_Noreturn void
ls_actor_child_end(int status)
{
	struct ls_self *self = ls_self_tls;

	actor_record(self, LS_OP_EXIT, LS_PH_DONE);
	ls_gate_done(&self->slot->gate);
	_exit(status & 0xff);
}

static void *
actor_thread(void *arg)
{
	actor_main(arg);
	return NULL;
}

static int
actor_fork(struct ls_actor *a)
{
	sigset_t all, old;
	pid_t parent = getpid();

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid_t pid = fork();
	if (pid == 0) {
		/* Child: die with the parent, leave Ctrl-C to the parent (which
		 * stops the run and reaps us), default handlers for the rest. */
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		sa.sa_handler = SIG_DFL;
		for (int k = 0; k < actor_nsig_reset; k++)
			sigaction(actor_sig_reset[k], &sa, NULL);
		sa.sa_handler = SIG_IGN;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGQUIT, &sa, NULL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		a->self.is_process = 1;
		atomic_store_explicit(&a->self.slot->pid, (int32_t)getpid(), memory_order_relaxed);
		actor_main(a);
		_exit(0);
	}
	int saved = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0)
		return saved;
	a->pid = pid;
	atomic_store_explicit(&a->self.slot->pid, (int32_t)pid, memory_order_relaxed);
	return 0;
}

static int
actor_thread_start(struct ls_actor *a)
{
	pthread_attr_t attr;
	sigset_t all, old;
	int rc;

	/* Actors never take the program's signals: the main loop handles them. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, ACTOR_STACK);
	rc = pthread_create(&a->thread, &attr, actor_thread, a);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

int
ls_actor_spawn(struct ls_actor *a, enum ls_actor_kind kind)
{
	int rc;

	a->self.is_process = kind == LS_ACTORS_PROCESSES;
	rc = kind == LS_ACTORS_PROCESSES ? actor_fork(a) : actor_thread_start(a);
	if (rc == 0)
		a->started = 1;
	return rc;
}

int
ls_actor_reap(struct ls_actor *a, int block)
{
	if (!a->started || a->reaped)
		return 1;
	if (!a->self.is_process) {
		if (!block)
			return 0;
		pthread_join(a->thread, NULL);
		a->reaped = 1;
		return 1;
	}
	for (;;) {
		int st;
		pid_t p = waitpid(a->pid, &st, WUNTRACED | WCONTINUED | (block ? 0 : WNOHANG));
		if (p == a->pid && WIFSTOPPED(st)) {
			a->stopped = WSTOPSIG(st);
			continue;
		}
		if (p == a->pid && WIFCONTINUED(st)) {
			a->stopped = 0;
			continue;
		}
		if (p == a->pid) {
			a->exit_status = st;
			a->reaped = 1;
			return 1;
		}
		if (p == 0)
			return 0;
		if (errno != EINTR) {
			a->reaped = 1;   /* not our child any more: nothing to wait for */
			return 1;
		}
	}
}
