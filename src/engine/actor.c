/*
 * actor.c - spawning, leaving and reaping actors.  Runs in the parent except
 * actor_main(), which is the first thing an actor runs.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/actor.h"
#include "engine/cleanup.h"
#include "engine/futex.h"
#include "lockstep/model.h"
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
	/* Relaxed: a count compared for change only (ls_actor_children_changed());
	 * waitpid, not this, says what happened. */
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

static void actor_thread_pool_drain(void);

void
ls_actor_prepare_processes(void)
{
	/* Processes are forked while the program has no other threads. */
	actor_thread_pool_drain();
	actor_watch_children();
	actor_plan_signals();
}

int
ls_actor_children_changed(unsigned *seen)
{
	/* Relaxed: pairs with nothing; see actor_on_chld(). */
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
	e.u.v.a = self->os_id;
	e.u.v.b = self->os_parent;   /* a process's parent: the tree the views draw */
	ls_ring_push(self->slot->ring, &e);
}

_Noreturn void
ls_actor_leave(void)
{
	struct ls_self *self = ls_self_tls;

	actor_record(self, LS_OP_EXIT, LS_PH_FAIL);
	ls_gate_done(&self->slot->gate);
	if (self->is_process && !self->kept)
		_exit(0);
	longjmp(self->leave, 1);
}

static void
actor_main(struct ls_actor *a)
{
	struct ls_self *self = &a->self;

	int32_t tid = (int32_t)syscall(SYS_gettid);

	ls_self_tls = self;
	/* Asked once: START and EXIT both say who it is and who its parent is. */
	self->os_id = self->is_process ? getpid() : tid;
	self->os_parent = getppid();
	/* Relaxed: a number read by the parent for display (run.c), no data. */
	atomic_store_explicit(&self->slot->tid, tid, memory_order_relaxed);
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
	/* Relaxed: read by this actor (ls_probe_wait_child()) and by the parent
	 * after this step's PARKED, whose release store orders it. */
	atomic_store_explicit(&c->self.slot->forked_by, (int32_t)self->id + 1, memory_order_relaxed);
	pid_t pid = fork();
	if (pid == 0) {
		/* Dies with the thread or process that forked it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		actor_child_signals(&old);
		c->self.is_process = 1;
		c->self.os_id = getpid();
		c->self.os_parent = getppid();
		ls_self_tls = &c->self;
		/* Relaxed: the same value the forker stores below; either's will do. */
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
	/* Relaxed: published to the controller by our next PARKED (release). */
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


enum { WORKER_IDLE, WORKER_RUN, WORKER_QUIT };

/* Does this thread hold a robust mutex?  (Its robust list is not empty.) */
static int
actor_holds_robust(void)
{
	struct { void *next; long futex_offset; void *pending; } *head;
	size_t len;

	if (syscall(SYS_get_robust_list, 0, &head, &len) != 0 || !head)
		return 1;   /* cannot tell: do not reuse */
	return head->next != (void *)head || head->pending != NULL;
}

/*
 * Process actors kept alive across runs, like threads (see the thread pool
 * below): a forked actor whose body has ended waits for the next run's
 * actor instead of exiting, and runs its body on the world, reset in place
 * by the parent: the same mapping (its serial tells), so every pointer into
 * it still holds.  What a worker needs of the next actor (its body, its
 * context, the run's parameters and its name) the parent writes into the
 * worker's entry, in a shared mapping made before the first worker is
 * forked; the worker's own memory is that of the run it was forked in, so
 * only runs whose lesson keeps nothing outside the world (no pipes, private
 * or thread-local variables, no forked roles: see run.c) use the pool.  A
 * worker still holding a robust mutex when its body ends (it left at an
 * abort) exits, and the kernel releases the mutex as it always did.  The
 * parent learns that a worker is free from its entry's ended word, and of a
 * worker that died from SIGCHLD and waitpid, as of any process actor.
 */
#define PROC_POOL_MAX 64

enum { PW_FREE, PW_BUSY, PW_IDLE };   /* an entry, as the parent sees it */

struct proc_worker {
	_Atomic uint32_t go;       /* futex word: WORKER_IDLE, _RUN or _QUIT (parent) */
	_Atomic uint32_t ended;    /* futex word: 1 once the body ended (worker) */
	uint32_t retired;          /* the worker exits: written before ended */
	/* The job, written by the parent before go = RUN. */
	void (*body)(struct ls_actor_ctx *ctx);
	struct ls_actor_ctx ctx;
	struct ls_world *world;
	uint16_t id;
	uint8_t is_daemon;
	long params[LS_PARAMS_MAX];
	char name[LS_ACTOR_NAME_MAX];
	/* The parent's alone. */
	pid_t pid;
	int state;
	uint64_t serial;           /* the world mapping it shares */
};

static struct proc_worker *proc_pool;   /* PROC_POOL_MAX entries, shared */

static void
proc_job(struct proc_worker *pw, const struct ls_actor *a)
{
	pw->body = a->body;
	pw->ctx = a->ctx;
	memcpy(pw->params, a->ctx.params, sizeof pw->params);
	snprintf(pw->name, sizeof pw->name, "%s", a->ctx.name);
	pw->world = a->self.world;
	pw->id = a->self.id;
	pw->is_daemon = a->self.is_daemon;
}

static void
proc_quit(struct proc_worker *pw)
{
	int st;

	/* Pairs with the worker's acquire load of go in proc_worker_loop(). */
	atomic_store_explicit(&pw->go, WORKER_QUIT, memory_order_release);
	ls_futex_wake(&pw->go, 1);
	while (waitpid(pw->pid, &st, 0) < 0 && errno == EINTR)
		;
	pw->pid = 0;
	pw->state = PW_FREE;
}

/* An idle worker sharing a's world, handed a's job; or NULL. */
static struct proc_worker *
proc_take(struct ls_actor *a)
{
	uint64_t serial = a->self.world->serial;

	for (int i = 0; proc_pool && i < PROC_POOL_MAX; i++) {
		struct proc_worker *pw = &proc_pool[i];
		if (pw->state != PW_IDLE)
			continue;
		if (pw->serial != serial) {
			proc_quit(pw);   /* a world that is gone */
			continue;
		}
		pw->state = PW_BUSY;
		/* Relaxed, ended and pid: published to the worker by the release
		 * store of go below (it writes ended only after taking the job). */
		atomic_store_explicit(&pw->ended, 0, memory_order_relaxed);
		proc_job(pw, a);
		a->pid = pw->pid;
		atomic_store_explicit(&a->self.slot->pid, (int32_t)pw->pid, memory_order_relaxed);
		/* Pairs with the worker's acquire load of go. */
		atomic_store_explicit(&pw->go, WORKER_RUN, memory_order_release);
		ls_futex_wake(&pw->go, 1);
		return pw;
	}
	return NULL;
}

/* A free entry for a worker about to be forked; or NULL (fork plainly). */
static struct proc_worker *
proc_entry(void)
{
	if (!proc_pool) {
		void *p = mmap(NULL, PROC_POOL_MAX * sizeof *proc_pool, PROT_READ | PROT_WRITE,
		               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
		proc_pool = p;
	}
	for (int i = 0; i < PROC_POOL_MAX; i++)
		if (proc_pool[i].state == PW_FREE) {
			/* Relaxed: before the worker is forked; fork orders them. */
			atomic_store_explicit(&proc_pool[i].go, WORKER_IDLE, memory_order_relaxed);
			atomic_store_explicit(&proc_pool[i].ended, 0, memory_order_relaxed);
			proc_pool[i].retired = 0;
			return &proc_pool[i];
		}
	return NULL;
}

/* The worker, after its first body: wait for the next, run it, again. */
static _Noreturn void
proc_worker_loop(struct proc_worker *pw)
{
	for (;;) {
		ls_self_tls = NULL;
		pw->retired = actor_holds_robust();
		/* Relaxed: published by the release store of ended just below; the
		 * parent stores RUN only after it has seen ended, so never before. */
		atomic_store_explicit(&pw->go, WORKER_IDLE, memory_order_relaxed);
		/* Pairs with the acquire load in ls_actor_reap(). */
		atomic_store_explicit(&pw->ended, 1, memory_order_release);
		ls_futex_wake(&pw->ended, INT_MAX);
		if (pw->retired)
			_exit(0);
		uint32_t go;
		/* Pairs with the release store of go in proc_take(). */
		while ((go = atomic_load_explicit(&pw->go, memory_order_acquire)) == WORKER_IDLE)
			ls_futex_wait(&pw->go, WORKER_IDLE, NULL);
		if (go != WORKER_RUN)
			_exit(0);
		struct ls_actor a;
		memset(&a, 0, sizeof a);
		a.body = pw->body;
		a.ctx = pw->ctx;
		a.ctx.params = pw->params;
		a.ctx.name = pw->name;
		a.self.world = pw->world;
		a.self.slot = &pw->world->actors[pw->id];
		a.self.id = pw->id;
		a.self.is_process = 1;
		a.self.is_daemon = pw->is_daemon;
		a.self.kept = 1;
		/* Relaxed: the same pid proc_take() stored; either's will do. */
		atomic_store_explicit(&a.self.slot->pid, (int32_t)getpid(), memory_order_relaxed);
		actor_main(&a);
	}
}

/* Parent: a pooled process actor's worker is free again (or gone). */
static void
proc_back(struct proc_worker *pw, int gone)
{
	if (gone) {
		pw->pid = 0;
		pw->state = PW_FREE;
		return;
	}
	pw->state = PW_IDLE;
}

static void
proc_pool_drain(void)
{
	for (int i = 0; proc_pool && i < PROC_POOL_MAX; i++)
		if (proc_pool[i].state == PW_IDLE)
			proc_quit(&proc_pool[i]);
}

static int
actor_fork(struct ls_actor *a)
{
	sigset_t all, old;
	pid_t parent = getpid();
	struct proc_worker *pw = NULL;

	a->proc = NULL;
	if (a->pooled) {
		if ((a->proc = proc_take(a)) != NULL)
			return 0;
		pw = proc_entry();
	}

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
		a->self.kept = pw != NULL;
		/* Relaxed: the same pid the parent stores below; either's will do. */
		atomic_store_explicit(&a->self.slot->pid, (int32_t)getpid(), memory_order_relaxed);
		actor_main(a);
		if (pw)
			proc_worker_loop(pw);
		_exit(0);
	}
	int saved = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0)
		return saved;
	if (pw) {
		pw->pid = pid;
		pw->state = PW_BUSY;
		pw->serial = a->self.world->serial;
		a->proc = pw;
	}
	a->pid = pid;
	/* Relaxed: no data behind a pid; the parent's own reads (run.c) and the
	 * fatal-signal handler's (cleanup.c) want the number only. */
	atomic_store_explicit(&a->self.slot->pid, (int32_t)pid, memory_order_relaxed);
	return 0;
}

/*
 * Thread actors are kept alive across runs: a thread whose body has ended
 * waits in the pool for the next run's actor instead of exiting, so the
 * explorer's thousands of short runs do not create and join a thread per
 * actor per run.  A worker hands back what a thread's exit would have
 * cleaned up: its thread-local values (the lesson's threading.local keys,
 * whose destructor is free) and its robust-mutex list.  The kernel walks a
 * thread's robust list (which runs through the mutexes themselves, in the
 * world) only when the thread exits; a worker that still holds a robust
 * mutex when its body ends (it left mid-run, at an abort) must therefore
 * exit as before, before the world is reset or freed under it: it retires
 * instead of returning to the pool, and its reaper joins it.
 */
struct actor_worker {
	pthread_t thread;
	_Atomic uint32_t go;        /* futex word: WORKER_IDLE, _RUN or _QUIT */
	struct ls_actor *job;       /* written by the parent before go = RUN */
	int retired;                /* written by the worker before a->ended */
	struct actor_worker *next;  /* the idle list */
};

#define POOL_MAX 256   /* idle workers kept; more are joined */

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct actor_worker *pool_idle;
static int pool_nidle;

/* Free this thread's values of the world's threading.local keys, as the
 * keys' destructor would at thread exit. */
static void
actor_drop_locals(struct ls_world *w)
{
	for (uint32_t i = 0; i < w->nobjs; i++) {
		ls_local *l = w->objs[i].kind == LS_OBJ_LOCAL ? w->objs[i].ptr : NULL;
		void *v = l && l->has_key ? pthread_getspecific(l->key) : NULL;
		if (v) {
			pthread_setspecific(l->key, NULL);
			free(v);
		}
	}
}

static void *
actor_worker_main(void *arg)
{
	struct actor_worker *wk = arg;

	for (;;) {
		/* Pairs with the release store of go in actor_thread_start(). */
		uint32_t go = atomic_load_explicit(&wk->go, memory_order_acquire);
		if (go == WORKER_IDLE) {
			ls_futex_wait(&wk->go, WORKER_IDLE, NULL);
			continue;
		}
		if (go == WORKER_QUIT)
			return NULL;
		struct ls_actor *a = wk->job;
		actor_main(a);
		actor_drop_locals(a->self.world);
		ls_self_tls = NULL;
		wk->retired = !a->pooled || actor_holds_robust();
		wk->job = NULL;
		/* Relaxed: published by the release store of ended below; the
		 * parent stores RUN only after it has seen ended. */
		atomic_store_explicit(&wk->go, WORKER_IDLE, memory_order_relaxed);
		/* Pairs with the acquire load in ls_actor_reap(): after this the
		 * parent may hand wk the next job (or join it, retired). */
		atomic_store_explicit(&a->ended, 1, memory_order_release);
		ls_futex_wake(&a->ended, INT_MAX);
		if (wk->retired)
			return NULL;
	}
}

static int
actor_thread_start(struct ls_actor *a)
{
	pthread_attr_t attr;
	sigset_t all, old;
	struct actor_worker *wk;
	int rc;

	/* Relaxed: published to the worker by the release store of go (or by
	 * pthread_create); the worker stores 1 only after taking the job. */
	atomic_store_explicit(&a->ended, 0, memory_order_relaxed);
	pthread_mutex_lock(&pool_lock);
	wk = a->pooled ? pool_idle : NULL;
	if (wk) {
		pool_idle = wk->next;
		pool_nidle--;
	}
	pthread_mutex_unlock(&pool_lock);
	if (wk) {
		a->worker = wk;
		a->thread = wk->thread;
		wk->job = a;
		/* Pairs with the worker's acquire load of go. */
		atomic_store_explicit(&wk->go, WORKER_RUN, memory_order_release);
		ls_futex_wake(&wk->go, 1);
		return 0;
	}
	if (!(wk = calloc(1, sizeof *wk)))
		return ENOMEM;
	wk->job = a;
	atomic_init(&wk->go, WORKER_RUN);
	/* Actors never take the program's signals: the main loop handles them. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, ACTOR_STACK);
	rc = pthread_create(&wk->thread, &attr, actor_worker_main, wk);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		free(wk);
		return rc;
	}
	a->worker = wk;
	a->thread = wk->thread;
	return 0;
}

/* A worker whose actor has ended: back to the pool, or joined. */
static void
actor_worker_back(struct actor_worker *wk)
{
	if (!wk->retired) {
		pthread_mutex_lock(&pool_lock);
		if (pool_nidle < POOL_MAX) {
			wk->next = pool_idle;
			pool_idle = wk;
			pool_nidle++;
			wk = NULL;
		}
		pthread_mutex_unlock(&pool_lock);
		if (!wk)
			return;
		/* Pairs with the worker's acquire load of go in actor_worker_main(). */
		atomic_store_explicit(&wk->go, WORKER_QUIT, memory_order_release);
		ls_futex_wake(&wk->go, 1);
	}
	pthread_join(wk->thread, NULL);
	free(wk);
}

void
ls_actor_pool_drain(void)
{
	proc_pool_drain();
	actor_thread_pool_drain();
}

static void
actor_thread_pool_drain(void)
{
	pthread_mutex_lock(&pool_lock);
	struct actor_worker *wk = pool_idle;
	pool_idle = NULL;
	pool_nidle = 0;
	pthread_mutex_unlock(&pool_lock);
	while (wk) {
		struct actor_worker *next = wk->next;
		/* Pairs with the worker's acquire load of go in actor_worker_main(). */
		atomic_store_explicit(&wk->go, WORKER_QUIT, memory_order_release);
		ls_futex_wake(&wk->go, 1);
		pthread_join(wk->thread, NULL);
		free(wk);
		wk = next;
	}
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

/* A thread actor: wait (when block) until its body has ended, then give its
 * worker back to the pool. */
static int
actor_reap_thread(struct ls_actor *a, int block)
{
	if (!block)
		return 0;
	/* Pairs with the worker's release store of ended. */
	while (!atomic_load_explicit(&a->ended, memory_order_acquire))
		ls_futex_wait(&a->ended, 0, NULL);
	actor_worker_back(a->worker);
	a->worker = NULL;
	a->reaped = 1;
	return 1;
}

/* The process is gone (exited, killed, or not our child any more): reaped,
 * and its worker, if it ran on one, retired. */
static int
actor_reap_gone(struct ls_actor *a, struct proc_worker *pw)
{
	a->reaped = 1;
	if (pw) {
		proc_back(pw, 1);
		a->proc = NULL;
	}
	return 1;
}

/*
 * What waitpid's answer p (with status st) says: 1 reaped, 0 still running,
 * -1 ask again (stopped or continued, or interrupted).
 */
static int
actor_reap_status(struct ls_actor *a, struct proc_worker *pw, pid_t p, int st)
{
	if (p == a->pid && WIFSTOPPED(st)) {
		a->stopped = WSTOPSIG(st);
		return -1;
	}
	if (p == a->pid && WIFCONTINUED(st)) {
		a->stopped = 0;
		return -1;
	}
	if (p == a->pid) {
		a->exit_status = st;
		return actor_reap_gone(a, pw);
	}
	if (p == 0)
		return 0;
	if (errno != EINTR)
		return actor_reap_gone(a, pw);   /* not our child any more: nothing to wait for */
	return -1;
}

/* A process actor: its body ended on a pooled worker that stays (the worker
 * goes back), or the process itself ended and is waited for. */
static int
actor_reap_process(struct ls_actor *a, int block)
{
	struct proc_worker *pw = a->proc;
	for (;;) {
		int st = 0, rc;
		/* Pairs with the worker's release store of ended. */
		if (pw && atomic_load_explicit(&pw->ended, memory_order_acquire)) {
			if (pw->retired) {   /* it exits: wait for it as for any */
				a->proc = NULL;
				proc_back(pw, 1);
				pw = NULL;
				continue;
			}
			proc_back(pw, 0);
			a->proc = NULL;
			a->reaped = 1;
			return 1;
		}
		/* A worker is waited for a slice at a time, looking at ended. */
		pid_t p = waitpid(a->pid, &st, WUNTRACED | WCONTINUED | (block && !pw ? 0 : WNOHANG));
		if (p == 0 && pw && block) {
			struct timespec slice = { 0, 10 * 1000000L };
			ls_futex_wait(&pw->ended, 0, &slice);
			continue;
		}
		if ((rc = actor_reap_status(a, pw, p, st)) >= 0)
			return rc;
	}
}

int
ls_actor_reap(struct ls_actor *a, int block)
{
	if (!a->started || a->reaped)
		return 1;
	return a->self.is_process ? actor_reap_process(a, block) : actor_reap_thread(a, block);
}
