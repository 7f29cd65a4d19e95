/*
 * probe_proc.c - the probes of processes: private variables, os.fork() and
 * os.waitpid(), and fresh programs (subprocess: spawn, read a line,
 * communicate, wait).
 *
 * The same rules as probe.c: each call is a step point that records what
 * the actor does in its own ring and, in controlled modes, parks first.  A
 * program runs in real time even in a stepped run: a step that reads its
 * output or waits for it lasts as long as the program takes (the lessons'
 * programs take under a second), so the schedule stays exact.  The few
 * helpers below repeat probe.c's (recording, the gate) so that file keeps
 * one job.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/actor.h"
#include "engine/gate.h"
#include "engine/janitor.h"
#include "engine/probe_int.h"
#include "lockstep/probe.h"

#define PROC_SLICE_MS 100   /* longest a wait goes without checking abort */

extern char **environ;

/*
 * The fresh image ls_spawn runs for the fork lesson: this very program,
 * started again (/proc/self/exe) with LOCKSTEP_INTERNAL=draw.  Like a
 * spawned Python that re-imports its main module, it draws its random
 * value at its start, prints "PID VALUE" and ends, before main() runs.
 */
__attribute__((constructor)) static void
proc_internal_draw(void)
{
	const char *what = getenv("LOCKSTEP_INTERNAL");
	uint32_t v = 0;

	if (!what || strcmp(what, "draw") != 0)
		return;
	if (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v)
		_exit(1);
	printf("%d %u\n", (int)getpid(), (unsigned)(v % 1000000u));
	fflush(stdout);
	_exit(0);
}

/* ---- private variables ---------------------------------------------------- */

long
ls_probe_private_load(ls_private *l, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_PRIVATE_LOAD, l->h.id, line, 0);
	/* Relaxed: the actor's own copy (a process's memory); nobody else
	 * touches it, so it pairs with nothing. */
	long x = atomic_load_explicit(l->priv, memory_order_relaxed);
	probe_emit(s, LS_OP_PRIVATE_LOAD, LS_PH_DONE, l->h.id, line, x, 0);
	return x;
}

void
ls_probe_private_store(ls_private *l, long value, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_PRIVATE_STORE, l->h.id, line, value);
	/* Relaxed: the actor's own copy, as in ls_probe_private_load(). */
	long old = atomic_exchange_explicit(l->priv, value, memory_order_relaxed);
	probe_emit(s, LS_OP_PRIVATE_STORE, LS_PH_DONE, l->h.id, line, value, old);
}

/* ---- fork and waitpid ------------------------------------------------------- */

/*
 * multiprocessing refuses a child to a daemon process ("daemonic processes
 * are not allowed to have children", an AssertionError): it would be
 * orphaned when the daemon is ended with the main program.  A daemon thread
 * may start one.  The refusal is a FAIL with b = LS_REFUSED_DAEMON, before
 * any system call; errno is EPERM.
 */
static int
proc_daemon_refuses(struct ls_self *s, int op, int line, int64_t a)
{
	if (!s->is_process || !s->is_daemon)
		return 0;
	probe_emit(s, op, LS_PH_FAIL, LS_NO_OBJ, line, a, LS_REFUSED_DAEMON);
	errno = EPERM;
	return 1;
}

long
ls_probe_fork(int child, int line)
{
	struct ls_self *s = ls_self_tls;
	struct ls_world *w = s->world;

	probe_gate(s, LS_OP_FORK, LS_NO_OBJ, line, child);
	if (proc_daemon_refuses(s, LS_OP_FORK, line, child))
		return -1;
	/* Relaxed: no data behind it; pid is written by the child's forker
	 * (actor.c), ordered before us by program order or, in a controlled
	 * run, by the gates' handshakes with the controller. */
	if (child < 0 || (uint32_t)child >= w->nactors || child == s->id ||
	    atomic_load_explicit(&w->actors[child].pid, memory_order_relaxed) != 0) {
		probe_emit(s, LS_OP_FORK, LS_PH_FAIL, LS_NO_OBJ, line, child, 0);
		return -1;
	}
	struct ls_gate *g = &w->actors[child].gate;
	/* The child runs to its first probe: between probes until it parks. */
	ls_gate_arm_child(g);
	/* Record before the copy exists: the fork happens before all it does. */
	uint64_t t = ls_now_ns();
	pid_t pid = ls_actor_fork_child(child);
	if (pid == 0)
		return 0;   /* the child, now actor `child`, its START recorded */
	if (pid < 0) {
		ls_gate_mark_done(g);
		probe_emit(s, LS_OP_FORK, LS_PH_FAIL, LS_NO_OBJ, line, child, 0);
		return -1;
	}
	struct ls_event e;
	memset(&e, 0, sizeof e);
	e.t_ns = t;
	e.actor = s->id;
	e.op = LS_OP_FORK;
	e.phase = LS_PH_DONE;
	e.obj = LS_NO_OBJ;
	e.line = line;
	e.u.v.a = child;
	e.u.v.b = pid;
	ls_ring_push(s->slot->ring, &e);
	/* Controlled: one step is the whole fork, so the child is parked at its
	 * first probe (or done) before the controller looks again. */
	if (probe_gated(s) && ls_gate_wait_parked(g, &w->ctl.abort) != 0)
		ls_actor_leave();
	return pid;
}

_Noreturn void
ls_probe_child_exit(int status, int line)
{
	struct ls_self *s = ls_self_tls;

	(void)line;
	if (probe_aborted(s))
		ls_actor_leave();
	ls_actor_child_end(status);
}

int
ls_probe_wait_child(int child, int line)
{
	struct ls_self *s = ls_self_tls;
	struct ls_world *w = s->world;

	probe_gate(s, LS_OP_WAIT_CHILD, LS_NO_OBJ, line, child);
	/* Relaxed, both: written by this actor's own ls_probe_fork() (pid and
	 * forked_by of its child), so program order suffices. */
	pid_t pid = child >= 0 && (uint32_t)child < w->nactors
	            ? atomic_load_explicit(&w->actors[child].pid, memory_order_relaxed) : 0;
	if (pid <= 0 || atomic_load_explicit(&w->actors[child].forked_by, memory_order_relaxed) !=
	                (int32_t)s->id + 1) {
		/* Python: ChildProcessError, not a child of ours. */
		probe_emit(s, LS_OP_WAIT_CHILD, LS_PH_FAIL, LS_NO_OBJ, line, child, 0);
		return -1;
	}
	int st = 0, blocked = 0;
	for (;;) {
		pid_t got = waitpid(pid, &st, WNOHANG);
		if (got == pid)
			break;
		if (got < 0 && errno != EINTR) {
			probe_emit(s, LS_OP_WAIT_CHILD, LS_PH_FAIL, LS_NO_OBJ, line, child, 0);
			return -1;
		}
		if (!blocked)
			probe_emit(s, LS_OP_WAIT_CHILD, LS_PH_BLOCK, LS_NO_OBJ, line, child, 0);
		blocked = 1;
		/* Its gate says DONE just before it exits: wake then, look again. */
		uint32_t gs = ls_gate_state(&w->actors[child].gate);
		if (probe_aborted(s))
			ls_actor_leave();
		ls_gate_wait_change(&w->actors[child].gate, gs, 5);
	}
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	probe_emit(s, LS_OP_WAIT_CHILD, LS_PH_DONE, LS_NO_OBJ, line, child, code);
	return code;
}

/* ---- fresh programs ---------------------------------------------------------- */

/* Note the program in the world, so the run can kill it should it end first. */
static int
proc_track(struct ls_world *w, pid_t pid)
{
	for (int i = 0; i < LS_PROGS_MAX; i++) {
		int32_t none = 0;
		/* seq_cst kept: a slot is claimed by actors in several processes,
		 * emptied by the parent (ls_proc_kill_all()) and read by a fatal
		 * signal's handler (cleanup.c); the pid carries no data, so the
		 * order buys only one plain history per slot, beside a fork's cost. */
		if (atomic_compare_exchange_strong(&w->progs[i], &none, (int32_t)pid))
			return i;
	}
	return -1;
}

static void
proc_untrack(struct ls_world *w, struct ls_proc *p)
{
	if (p->slot >= 0 && p->slot < LS_PROGS_MAX) {
		int32_t pid = p->pid;
		/* Reaped: its group is gone unless something of it lives on; kill
		 * that now, so the janitor may forget the group. */
		kill(-p->pid, SIGKILL);
		/* seq_cst kept, as in proc_track(): only if the parent has not
		 * emptied the slot first. */
		atomic_compare_exchange_strong(&w->progs[p->slot], &pid, 0);
	}
	p->slot = -1;
}

static void
proc_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

int
ls_probe_spawn(struct ls_proc *p, const char *const argv[], const char *const envp[], int line)
{
	struct ls_self *s = ls_self_tls;
	int in[2] = { -1, -1 }, out[2] = { -1, -1 };

	probe_gate(s, LS_OP_SPAWN, LS_NO_OBJ, line, 0);
	memset(p, 0, sizeof *p);
	p->in_fd = p->out_fd = p->slot = -1;
	if (proc_daemon_refuses(s, LS_OP_SPAWN, line, 0))
		return -1;
	if (!argv || !argv[0] || pipe2(in, O_CLOEXEC) != 0) {
		probe_emit(s, LS_OP_SPAWN, LS_PH_FAIL, LS_NO_OBJ, line, 0, 0);
		return -1;
	}
	if (pipe2(out, O_CLOEXEC) != 0) {
		close(in[0]);
		close(in[1]);
		probe_emit(s, LS_OP_SPAWN, LS_PH_FAIL, LS_NO_OBJ, line, 0, 0);
		return -1;
	}
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pid_t pid = fork();
	if (pid == 0) {
		/* Async-signal-safe calls only: the parent may have threads. */
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = SIG_DFL;
		for (int sig = 1; sig < NSIG; sig++)
			sigaction(sig, &sa, NULL);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		setpgid(0, 0);   /* its own group: the run kills the whole command */
		sigprocmask(SIG_SETMASK, &old, NULL);
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(out[1], 2);
		execve(argv[0], (char *const *)argv, envp ? (char *const *)envp : environ);
		_exit(127);
	}
	int saved = errno;
	/* Its group now, not only once it runs (the parent's half of the usual race). */
	if (pid > 0)
		setpgid(pid, pid);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(in[0]);
	close(out[1]);
	if (pid < 0) {
		close(in[1]);
		close(out[0]);
		errno = saved;
		probe_emit(s, LS_OP_SPAWN, LS_PH_FAIL, LS_NO_OBJ, line, 0, 0);
		return -1;
	}
	p->pid = pid;
	p->in_fd = in[1];
	p->out_fd = out[0];
	p->slot = proc_track(s->world, pid);
	probe_emit(s, LS_OP_SPAWN, LS_PH_DONE, LS_NO_OBJ, line, pid, p->slot);
	return 0;
}

/* Wait for fd to be readable for a slice; leave on abort (the run kills the program). */
static void
proc_poll(struct ls_self *s, int fd)
{
	struct pollfd pf = { .fd = fd, .events = POLLIN };

	if (poll(&pf, 1, PROC_SLICE_MS) < 0 && errno != EINTR)
		return;
	if (probe_aborted(s))
		ls_actor_leave();
}

/* Read more output into p->buf; 1 when some came, 0 at its end. */
static int
proc_fill(struct ls_self *s, struct ls_proc *p, int line, int *blocked)
{
	for (;;) {
		if (p->out_fd < 0 || p->nbuf >= (int)sizeof p->buf)
			return 0;
		ssize_t r = read(p->out_fd, p->buf + p->nbuf, sizeof p->buf - (size_t)p->nbuf);
		if (r > 0) {
			p->nbuf += (int)r;
			return 1;
		}
		if (r == 0 || (errno != EAGAIN && errno != EINTR && errno != EWOULDBLOCK)) {
			proc_close(&p->out_fd);
			return 0;
		}
		/* Free runs say they wait; a stepped one takes the wait in its step. */
		if (!*blocked && !probe_gated(s))
			probe_emit(s, LS_OP_PROC_READ, LS_PH_BLOCK, LS_NO_OBJ, line, p->pid, 0);
		*blocked = 1;
		proc_poll(s, p->out_fd);
	}
}

long
ls_probe_proc_read_line(struct ls_proc *p, char *buf, size_t len, int line)
{
	struct ls_self *s = ls_self_tls;
	int blocked = 0;

	probe_gate(s, LS_OP_PROC_READ, LS_NO_OBJ, line, p->pid);
	if (p->out_fd >= 0)
		fcntl(p->out_fd, F_SETFL, fcntl(p->out_fd, F_GETFL) | O_NONBLOCK);
	for (;;) {
		char *nl = memchr(p->buf, '\n', (size_t)p->nbuf);
		int take = nl ? (int)(nl - p->buf) + 1 : 0;
		if (!nl) {
			if (p->nbuf < (int)sizeof p->buf && proc_fill(s, p, line, &blocked))
				continue;   /* more came: look for its newline */
			take = p->nbuf;   /* the end of its output, or a line too long */
		}
		if (take == 0) {
			probe_emit(s, LS_OP_PROC_READ, LS_PH_FAIL, LS_NO_OBJ, line, p->pid, 0);
			if (len)
				buf[0] = '\0';
			return 0;
		}
		size_t n = (size_t)(nl ? take - 1 : take);
		if (len) {
			size_t k = n < len - 1 ? n : len - 1;
			memcpy(buf, p->buf, k);
			buf[k] = '\0';
		}
		memmove(p->buf, p->buf + take, (size_t)(p->nbuf - take));
		p->nbuf -= take;
		probe_emit(s, LS_OP_PROC_READ, LS_PH_DONE, LS_NO_OBJ, line, p->pid, take);
		return (long)n;
	}
}

/* waitpid in slices; the exit status, or 128 + the signal. */
static int
proc_reap(struct ls_self *s, struct ls_proc *p, int *killed)
{
	int st = 0;

	for (;;) {
		pid_t got = waitpid(p->pid, &st, WNOHANG);
		if (got == p->pid)
			break;
		if (got < 0 && errno != EINTR) {
			*killed = 1;
			return 128;
		}
		struct timespec ts = { 0, 2 * 1000000L };
		nanosleep(&ts, NULL);
		if (probe_aborted(s))
			ls_actor_leave();
	}
	proc_untrack(s->world, p);
	*killed = !WIFEXITED(st);
	p->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	return p->status;
}

static int
proc_finish(struct ls_self *s, struct ls_proc *p, int line)
{
	int killed = 0;
	int code;

	proc_close(&p->in_fd);
	proc_close(&p->out_fd);
	if (p->pid <= 0) {
		probe_emit(s, LS_OP_PROC_WAIT, LS_PH_FAIL, LS_NO_OBJ, line, 0, 0);
		return -1;
	}
	code = proc_reap(s, p, &killed);
	probe_emit(s, LS_OP_PROC_WAIT, killed ? LS_PH_FAIL : LS_PH_DONE, LS_NO_OBJ, line, p->pid,
	          killed ? code - 128 : code);
	return code;
}

int
ls_probe_proc_wait(struct ls_proc *p, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_PROC_WAIT, LS_NO_OBJ, line, p->pid);
	if (!probe_gated(s) && p->pid > 0)
		probe_emit(s, LS_OP_PROC_WAIT, LS_PH_BLOCK, LS_NO_OBJ, line, p->pid, 0);
	return proc_finish(s, p, line);
}

int
ls_probe_proc_communicate(struct ls_proc *p, const char *input, char *out, size_t len, int line)
{
	struct ls_self *s = ls_self_tls;
	size_t at = 0, in_len = input ? strlen(input) : 0, in_at = 0;

	probe_gate(s, LS_OP_PROC_WAIT, LS_NO_OBJ, line, p->pid);
	if (!probe_gated(s) && p->pid > 0)
		probe_emit(s, LS_OP_PROC_WAIT, LS_PH_BLOCK, LS_NO_OBJ, line, p->pid, 0);
	/* What read_line kept comes first. */
	if (out && len) {
		size_t k = (size_t)p->nbuf < len - 1 ? (size_t)p->nbuf : len - 1;
		memcpy(out, p->buf, k);
		at = k;
	}
	p->nbuf = 0;
	if (in_len == 0)
		proc_close(&p->in_fd);
	/* Write and read together, as Popen.communicate does: a program whose
	 * output fills its pipe before it has read all its input must not hang. */
	while (p->out_fd >= 0) {
		struct pollfd pf[2] = { { .fd = p->out_fd, .events = POLLIN },
		                        { .fd = p->in_fd, .events = POLLOUT } };
		int rc = poll(pf, p->in_fd >= 0 ? 2 : 1, PROC_SLICE_MS);
		if (probe_aborted(s))
			ls_actor_leave();
		if (rc < 0 && errno != EINTR)
			break;
		if (p->in_fd >= 0 && (pf[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w = write(p->in_fd, input + in_at, in_len - in_at);
			if (w > 0)
				in_at += (size_t)w;
			if (w < 0 || in_at >= in_len)
				proc_close(&p->in_fd);
		}
		if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			char chunk[512];
			ssize_t r = read(p->out_fd, chunk, sizeof chunk);
			if (r <= 0) {
				if (r == 0 || errno != EINTR)
					proc_close(&p->out_fd);
				continue;
			}
			if (out && at + 1 < len) {
				size_t k = (size_t)r < len - 1 - at ? (size_t)r : len - 1 - at;
				memcpy(out + at, chunk, k);
				at += k;
			}
		}
	}
	if (out && len)
		out[at] = '\0';
	return proc_finish(s, p, line);
}

/* ---- the run's side: nothing left running ------------------------------------- */

/*
 * The program's main thread sees every SPAWN and PROC_WAIT as it drains:
 * a program's group is handed to the janitor (started now if need be), so
 * a SIGKILL of lockstep still ends it and all it started; and taken back
 * once the actor reaped it (and killed what was left of its group).  A
 * kill in the moment between a spawn and the next drain (milliseconds)
 * leaves the program to its PR_SET_PDEATHSIG alone.
 */
void
ls_proc_note(const struct ls_event *e)
{
	pid_t pid = (pid_t)e->u.v.a;

	if (pid <= 1)
		return;
	if (e->op == LS_OP_SPAWN && e->phase == LS_PH_DONE) {
		ls_janitor_start();
		ls_janitor_watch_group(pid);
	} else if (e->op == LS_OP_PROC_WAIT && (e->phase == LS_PH_DONE || e->phase == LS_PH_FAIL)) {
		ls_janitor_forget_group(pid);
	}
}

void
ls_proc_kill_all(struct ls_world *w)
{
	for (int i = 0; i < LS_PROGS_MAX; i++) {
		/* seq_cst kept, as in proc_track(): the slot is taken from an actor
		 * that may be untracking it at this moment; one of us gets the pid. */
		int32_t pid = atomic_exchange(&w->progs[i], 0);
		if (pid <= 0)
			continue;
		kill(-pid, SIGKILL);   /* its group: sh and whatever it started */
		kill(pid, SIGKILL);
		/* Ours to reap when a thread started it; a process actor's dies
		 * with that actor and goes to init. */
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		ls_janitor_forget_group(pid);
	}
}
