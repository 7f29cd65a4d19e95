/*
 * probe.c - the step points a scenario body calls.
 *
 * Hot path rules (free mode): read the control block, read the clock, write
 * one event into this actor's own ring.  Never take a lock or write a word
 * that another actor writes: that would serialize the actors and hide the
 * races the lessons are about.
 *
 * Event order.  The parent merges the rings by timestamp, so timestamps must
 * respect happens-before: a release-type operation (unlock, semaphore
 * release, event set) records *before* it releases, an acquire-type one
 * (lock, semaphore acquire, a wait that returns) records *after* it acquires.
 * Event objects record under their own mutex, which orders set, clear and
 * every waiter exactly.
 *
 * Controlled modes: each probe first announces its operation (phase BEGIN)
 * and parks at the actor's gate until the controller grants one step.  The
 * controller grants a blocking operation only when the model says it can
 * proceed, so the real primitive then succeeds at once.  Sleeps and
 * timeouts are logical there: they take no wall-clock time.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "engine/actor.h"
#include "engine/futex.h"
#include "engine/gate.h"
#include "engine/probe_int.h"
#include "lockstep/probe.h"

#define SLICE_MS 100   /* longest a blocked actor goes without checking abort */

static struct timespec
probe_deadline(long ms)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

static int
probe_past(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > deadline->tv_sec ||
	       (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

/* Wait for the abort word until the deadline: an interruptible sleep. */
static void
probe_sleep_until(struct ls_self *s, const struct timespec *deadline)
{
	while (!probe_past(deadline)) {
		struct timespec now, left;

		if (probe_aborted(s))
			ls_actor_leave();
		if (probe_gated(s))
			return;   /* switched to a controlled mode: time is logical now */
		clock_gettime(CLOCK_MONOTONIC, &now);
		left.tv_sec = deadline->tv_sec - now.tv_sec;
		left.tv_nsec = deadline->tv_nsec - now.tv_nsec;
		if (left.tv_nsec < 0) {
			left.tv_sec--;
			left.tv_nsec += 1000000000L;
		}
		ls_futex_wait(&s->world->ctl.abort, 0, &left);
	}
}

/* ---- variables ---------------------------------------------------------- */

long
ls_probe_load(ls_var *v, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_LOAD, v->h.id, line, 0);
	/* Relaxed, the lesson's race: a variable pairs with nothing; what orders
	 * it is the lesson's own lock, if it takes one. */
	long x = atomic_load_explicit(&v->v, memory_order_relaxed);
	probe_emit(s, LS_OP_LOAD, LS_PH_DONE, v->h.id, line, x, 0);
	return x;
}

void
ls_probe_store(ls_var *v, long value, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_STORE, v->h.id, line, value);
	/* Relaxed, the lesson's race: a variable pairs with nothing; what orders
	 * it is the lesson's own lock, if it takes one. */
	long old = atomic_load_explicit(&v->v, memory_order_relaxed);
	atomic_store_explicit(&v->v, value, memory_order_relaxed);
	probe_emit(s, LS_OP_STORE, LS_PH_DONE, v->h.id, line, value, old);
}

long
ls_probe_add(ls_var *v, long delta, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_ADD, v->h.id, line, delta);
	/* Relaxed: one atomic update, the lesson's contrast to load then store;
	 * atomicity alone is the point, it pairs with nothing. */
	long now = atomic_fetch_add_explicit(&v->v, delta, memory_order_relaxed) + delta;
	probe_emit(s, LS_OP_ADD, LS_PH_DONE, v->h.id, line, now, delta);
	return now;
}

/* ---- mutexes ------------------------------------------------------------ */

/*
 * ThreadSanitizer intercepts pthread_mutex_timedlock but not
 * pthread_mutex_clocklock: a lock taken through the latter is invisible to
 * it, and the owner's unlock is then reported as "unlock of an unlocked
 * mutex".  Its builds wait against CLOCK_REALTIME instead; a clock jump only
 * stretches or shortens one slice.
 */
#if defined(__SANITIZE_THREAD__)
#define PROBE_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define PROBE_TSAN 1
#endif
#endif

static int
probe_mutex_slice(pthread_mutex_t *m)
{
#ifdef PROBE_TSAN
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += SLICE_MS * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	return pthread_mutex_timedlock(m, &until);
#else
	struct timespec until = probe_deadline(SLICE_MS);
	return pthread_mutex_clocklock(m, CLOCK_MONOTONIC, &until);
#endif
}

static int
probe_mutex_lock(struct ls_self *s, pthread_mutex_t *m)
{
	for (;;) {
		int rc = probe_mutex_slice(m);

		if (rc == 0 || rc == EOWNERDEAD) {
			if (rc == EOWNERDEAD)   /* its owner died: the lock is ours, make it usable */
				pthread_mutex_consistent(m);
			return 0;
		}
		if (rc == EDEADLK) {
			/* Taking a lock this actor already holds: a real threading.Lock
			 * hangs for ever.  So do we, until the run is stopped. */
			struct timespec never = probe_deadline(24L * 3600 * 1000);
			probe_sleep_until(s, &never);
		}
		if (probe_aborted(s))
			ls_actor_leave();
	}
}

void
ls_probe_lock(ls_mutex *m, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_LOCK, m->h.id, line, 0);
	int rc = pthread_mutex_trylock(&m->m);
	if (rc == EOWNERDEAD) {
		pthread_mutex_consistent(&m->m);
	} else if (rc != 0) {
		probe_emit(s, LS_OP_LOCK, LS_PH_BLOCK, m->h.id, line, 0, 0);
		probe_mutex_lock(s, &m->m);
	}
	/* Ours now.  A holder that died (robust mutex) left its count behind.
	 * Relaxed, holder and depth: written only by the holder under m, so the
	 * mutex's own lock and unlock order them for the next holder. */
	if (atomic_load_explicit(&m->holder, memory_order_relaxed) != (uint32_t)s->id + 1u) {
		atomic_store_explicit(&m->holder, (uint32_t)s->id + 1u, memory_order_relaxed);
		atomic_store_explicit(&m->depth, 0, memory_order_relaxed);
	}
	/* Relaxed: under m, as above. */
	uint32_t depth = atomic_load_explicit(&m->depth, memory_order_relaxed) + 1;
	atomic_store_explicit(&m->depth, depth, memory_order_relaxed);
	probe_emit(s, LS_OP_LOCK, LS_PH_DONE, m->h.id, line, depth, 0);
}

void
ls_probe_unlock(ls_mutex *m, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_UNLOCK, m->h.id, line, 0);
	/* holder is ours to read only when we are it; anyone else is refused
	 * below by the mutex itself (Python's RuntimeError).  Relaxed: written
	 * under m by its holder, ordered by the mutex (see ls_probe_lock()). */
	uint32_t depth = atomic_load_explicit(&m->depth, memory_order_relaxed);
	if (atomic_load_explicit(&m->holder, memory_order_relaxed) == (uint32_t)s->id + 1u &&
	    depth > 0) {
		uint32_t left = depth - 1;
		probe_emit(s, LS_OP_UNLOCK, LS_PH_DONE, m->h.id, line, left, 0);
		/* Relaxed: still under m; its unlock below orders them. */
		atomic_store_explicit(&m->depth, left, memory_order_relaxed);
		if (!left)
			atomic_store_explicit(&m->holder, 0, memory_order_relaxed);
		pthread_mutex_unlock(&m->m);
	} else {
		probe_emit(s, LS_OP_UNLOCK, LS_PH_FAIL, m->h.id, line, 0, 0);
	}
}

/*
 * The short, internal locks (a bounded semaphore's guard, an event's mutex)
 * are robust too: a process actor killed while holding one leaves it
 * EOWNERDEAD, which the next locker must make consistent or every later
 * lock fails with ENOTRECOVERABLE, without locking.  What they protect is
 * a single word, valid at every instant, so taking them over is safe.
 */
static void
probe_robust_lock(pthread_mutex_t *m)
{
	if (pthread_mutex_lock(m) == EOWNERDEAD)
		pthread_mutex_consistent(m);
}

/* The same for a wait that gives the mutex back (pthread_cond_*wait). */
static int
probe_robust_wait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *until)
{
	int rc = pthread_cond_timedwait(c, m, until);

	if (rc == EOWNERDEAD) {
		pthread_mutex_consistent(m);
		rc = 0;
	}
	return rc;
}

/* ---- semaphores --------------------------------------------------------- */

static long
probe_sem_value(ls_sem *sem)
{
	int v = 0;
	sem_getvalue(&sem->s, &v);
	return v;
}

void
ls_probe_sem_acquire(ls_sem *sem, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_SEM_ACQUIRE, sem->h.id, line, 0);
	if (sem_trywait(&sem->s) != 0) {
		probe_emit(s, LS_OP_SEM_ACQUIRE, LS_PH_BLOCK, sem->h.id, line, 0, 0);
		for (;;) {
			struct timespec until = probe_deadline(SLICE_MS);
			if (sem_clockwait(&sem->s, CLOCK_MONOTONIC, &until) == 0)
				break;
			if (probe_aborted(s))
				ls_actor_leave();
		}
	}
	probe_emit(s, LS_OP_SEM_ACQUIRE, LS_PH_DONE, sem->h.id, line, probe_sem_value(sem), 0);
}

int
ls_probe_sem_release(ls_sem *sem, int line)
{
	struct ls_self *s = ls_self_tls;
	int refused = 0;

	probe_gate(s, LS_OP_SEM_RELEASE, sem->h.id, line, 0);
	if (sem->bound > 0) {
		/* Only releases take the guard, so the value cannot grow between the
		 * check and the post; an acquire meanwhile only makes room. */
		probe_robust_lock(&sem->guard);
		long v = probe_sem_value(sem);
		if (v >= sem->bound) {
			refused = 1;
			probe_emit(s, LS_OP_SEM_RELEASE, LS_PH_FAIL, sem->h.id, line, v, 0);
		} else {
			probe_emit(s, LS_OP_SEM_RELEASE, LS_PH_DONE, sem->h.id, line, v + 1, 0);
			sem_post(&sem->s);
		}
		pthread_mutex_unlock(&sem->guard);
	} else {
		probe_emit(s, LS_OP_SEM_RELEASE, LS_PH_DONE, sem->h.id, line, probe_sem_value(sem) + 1, 0);
		sem_post(&sem->s);
	}
	return refused ? -1 : 0;
}

/* ---- events (threading.Event) ------------------------------------------- */

void
ls_probe_event_set(ls_event_obj *e, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_EVENT_SET, e->h.id, line, 0);
	probe_robust_lock(&e->m);
	e->flag = 1;
	probe_emit(s, LS_OP_EVENT_SET, LS_PH_DONE, e->h.id, line, 1, 0);
	pthread_cond_broadcast(&e->c);
	pthread_mutex_unlock(&e->m);
}

void
ls_probe_event_clear(ls_event_obj *e, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_EVENT_CLEAR, e->h.id, line, 0);
	probe_robust_lock(&e->m);
	e->flag = 0;
	probe_emit(s, LS_OP_EVENT_CLEAR, LS_PH_DONE, e->h.id, line, 0, 0);
	pthread_mutex_unlock(&e->m);
}

int
ls_probe_event_is_set(ls_event_obj *e, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_EVENT_TEST, e->h.id, line, 0);
	probe_robust_lock(&e->m);
	int flag = e->flag;
	probe_emit(s, LS_OP_EVENT_TEST, LS_PH_DONE, e->h.id, line, 0, flag);
	pthread_mutex_unlock(&e->m);
	return flag;
}

int
ls_probe_event_wait(ls_event_obj *e, long timeout_ms, int line)
{
	struct ls_self *s = ls_self_tls;
	int timed = timeout_ms >= 0;

	probe_gate(s, LS_OP_EVENT_WAIT, e->h.id, line, timeout_ms);
	struct timespec deadline = probe_deadline(timed ? timeout_ms : 0);
	probe_robust_lock(&e->m);
	/* In controlled modes a timeout is logical: when granted with the flag
	 * clear, the wait has already timed out. */
	if (!e->flag && !(timed && probe_gated(s))) {
		probe_emit(s, LS_OP_EVENT_WAIT, LS_PH_BLOCK, e->h.id, line, timeout_ms, 0);
		while (!e->flag) {
			struct timespec until = probe_deadline(SLICE_MS);
			if (timed && probe_past(&deadline))
				break;
			if (timed && (until.tv_sec > deadline.tv_sec ||
			              (until.tv_sec == deadline.tv_sec && until.tv_nsec > deadline.tv_nsec)))
				until = deadline;
			probe_robust_wait(&e->c, &e->m, &until);
			if (probe_aborted(s)) {
				pthread_mutex_unlock(&e->m);
				ls_actor_leave();
			}
		}
	}
	int flag = e->flag;
	probe_emit(s, LS_OP_EVENT_WAIT, flag ? LS_PH_DONE : LS_PH_FAIL, e->h.id, line, timeout_ms, flag);
	pthread_mutex_unlock(&e->m);
	return flag;
}

/* ---- condition variables ------------------------------------------------ */

void
ls_probe_cond_wait(ls_cond *c, ls_mutex *m, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_COND_WAIT, c->h.id, line, m->h.id);
	/* BLOCK records that the mutex is released and the actor waits on c. */
	probe_emit(s, LS_OP_COND_WAIT, LS_PH_BLOCK, c->h.id, line, m->h.id, 0);
	/* The wait lets go of m; whoever takes it meanwhile keeps its own count.
	 * Relaxed: under m, as in ls_probe_lock(). */
	uint32_t depth = atomic_load_explicit(&m->depth, memory_order_relaxed);
	atomic_store_explicit(&m->holder, 0, memory_order_relaxed);
	atomic_store_explicit(&m->depth, 0, memory_order_relaxed);
	if (probe_gated(s)) {
		/* Controlled: the controller grants this actor again only once the
		 * model has seen a notify for it and the mutex is free. */
		pthread_mutex_unlock(&m->m);
		probe_park(s);
		probe_mutex_lock(s, &m->m);
	} else {
		/* Relaxed: seq only tells a wake from a slice's timeout; the
		 * condition variable and m order the notify itself. */
		uint32_t seen = atomic_load_explicit(&c->seq, memory_order_relaxed);
		for (;;) {
			struct timespec until = probe_deadline(SLICE_MS);
			int rc = probe_robust_wait(&c->c, &m->m, &until);
			if (probe_aborted(s)) {
				pthread_mutex_unlock(&m->m);
				ls_actor_leave();
			}
			/* A slice timeout is not a wake-up; a notify bumps seq
			 * (relaxed, as above). */
			if (rc != ETIMEDOUT || atomic_load_explicit(&c->seq, memory_order_relaxed) != seen)
				break;
		}
	}
	/* Relaxed: m is ours again, as in ls_probe_lock(). */
	atomic_store_explicit(&m->holder, (uint32_t)s->id + 1u, memory_order_relaxed);
	atomic_store_explicit(&m->depth, depth ? depth : 1, memory_order_relaxed);
	probe_emit(s, LS_OP_COND_WAIT, LS_PH_DONE, c->h.id, line, m->h.id, 0);
}

void
ls_probe_cond_notify(ls_cond *c, int all, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_COND_SIGNAL, c->h.id, line, all);
	probe_emit(s, LS_OP_COND_SIGNAL, LS_PH_DONE, c->h.id, line, all, all);
	/* Relaxed: read by ls_probe_cond_wait() only to tell a wake from a
	 * timeout; the signal below carries the wake. */
	atomic_fetch_add_explicit(&c->seq, 1, memory_order_relaxed);
	if (all)
		pthread_cond_broadcast(&c->c);
	else
		pthread_cond_signal(&c->c);
}

/* ---- time --------------------------------------------------------------- */

void
ls_probe_sleep(long ms, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_SLEEP, LS_NO_OBJ, line, ms);
	if (probe_gated(s) || ms <= 0) {
		probe_emit(s, LS_OP_SLEEP, LS_PH_DONE, LS_NO_OBJ, line, ms, 0);
		return;
	}
	/* Relaxed: a setting with no data behind it; a sleep begun as it
	 * changes takes the old factor or the new. */
	unsigned pct = atomic_load_explicit(&s->world->ctl.slowmo_pct, memory_order_relaxed);
	long scaled = (long)((long long)ms * pct / 100);
	struct timespec deadline = probe_deadline(scaled);

	probe_emit(s, LS_OP_SLEEP, LS_PH_BLOCK, LS_NO_OBJ, line, ms, scaled);
	probe_sleep_until(s, &deadline);
	probe_emit(s, LS_OP_SLEEP, LS_PH_DONE, LS_NO_OBJ, line, ms, scaled);
}

/* ---- files -------------------------------------------------------------- */

long
ls_probe_file_read(ls_file *f, char *buf, size_t len, int line)
{
	struct ls_self *s = ls_self_tls;
	ssize_t n = -1;

	probe_gate(s, LS_OP_FILE_READ, f->h.id, line, 0);
	int fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		size_t got = 0;
		while (len > 1 && got < len - 1) {
			ssize_t r = read(fd, buf + got, len - 1 - got);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		n = (ssize_t)got;
		close(fd);
	}
	if (len > 0)
		buf[n > 0 ? n : 0] = '\0';
	probe_emit_text(s, LS_OP_FILE_READ, n < 0 ? LS_PH_FAIL : LS_PH_DONE, f->h.id, line,
	                buf, n > 0 ? (size_t)n : 0);
	return n;
}

int
ls_probe_file_write(ls_file *f, const char *data, int line)
{
	struct ls_self *s = ls_self_tls;
	size_t len = strlen(data);
	int ok = 0;

	probe_gate(s, LS_OP_FILE_WRITE, f->h.id, line, (int64_t)len);
	int fd = open(f->path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd >= 0) {
		size_t put = 0;
		while (put < len) {
			ssize_t w = write(fd, data + put, len - put);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			put += (size_t)w;
		}
		ok = put == len;
		close(fd);
	}
	probe_emit_text(s, LS_OP_FILE_WRITE, ok ? LS_PH_DONE : LS_PH_FAIL, f->h.id, line, data, len);
	return ok ? 0 : -1;
}

/*
 * flock() belongs to an open file description, so each actor opens the file
 * itself and keeps the descriptor from lock to unlock: thread-local, since
 * the same code runs as threads and as processes.  fd + 1, so 0 means none.
 */
static __thread int probe_flock_fd[LS_MAX_OBJS];

void
ls_probe_file_lock(ls_file *f, int line)
{
	struct ls_self *s = ls_self_tls;
	unsigned id = f->h.id;

	probe_gate(s, LS_OP_LOCK, id, line, 0);
	int fd = probe_flock_fd[id] - 1;
	if (fd < 0) {
		fd = open(f->path, O_RDONLY | O_CLOEXEC);
		probe_flock_fd[id] = fd + 1;
	}
	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0) {
		/* flock() has no timeout: poll, backing off to 10 ms, so abort is noticed. */
		long pause_us = 50;
		probe_emit(s, LS_OP_LOCK, LS_PH_BLOCK, id, line, 0, 0);
		while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			if (probe_aborted(s))
				ls_actor_leave();
			struct timespec ts = { 0, pause_us * 1000L };
			nanosleep(&ts, NULL);
			if (pause_us < 10000)
				pause_us *= 2;
		}
	}
	probe_emit(s, LS_OP_LOCK, fd >= 0 ? LS_PH_DONE : LS_PH_FAIL, id, line, fd >= 0, 0);
}

void
ls_probe_file_unlock(ls_file *f, int line)
{
	struct ls_self *s = ls_self_tls;
	unsigned id = f->h.id;
	int fd = probe_flock_fd[id] - 1;

	probe_gate(s, LS_OP_UNLOCK, id, line, 0);
	probe_emit(s, LS_OP_UNLOCK, fd >= 0 ? LS_PH_DONE : LS_PH_FAIL, id, line, 0, 0);
	if (fd >= 0) {
		flock(fd, LOCK_UN);
		close(fd);
		probe_flock_fd[id] = 0;
	}
}

/* ---- thread-local values (threading.local) ----------------------------- */

/*
 * The value is found through the object's pthread key, so it is this
 * actor's and no one else's: the probes touch no shared word at all (the
 * key itself is read-only once setup has made it).  Nothing to wait for and
 * nothing to race with; the operation table says they commute with every
 * other actor's operation.
 */
void
ls_probe_local_set(ls_local *l, long value, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_LOCAL_STORE, l->h.id, line, value);
	long *slot = pthread_getspecific(l->key);
	long old = slot ? *slot : 0;
	if (!slot) {
		slot = malloc(sizeof *slot);   /* freed by the key's destructor */
		if (!slot || pthread_setspecific(l->key, slot) != 0) {
			free(slot);
			probe_emit(s, LS_OP_LOCAL_STORE, LS_PH_FAIL, l->h.id, line, value, 0);
			return;
		}
	}
	*slot = value;
	probe_emit(s, LS_OP_LOCAL_STORE, LS_PH_DONE, l->h.id, line, value, old);
}

int
ls_probe_local_get(ls_local *l, long *value, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_LOCAL_LOAD, l->h.id, line, 0);
	const long *slot = pthread_getspecific(l->key);
	if (!slot) {
		/* Python: AttributeError, this thread never set it. */
		probe_emit(s, LS_OP_LOCAL_LOAD, LS_PH_FAIL, l->h.id, line, 0, 0);
		return -1;
	}
	if (value)
		*value = *slot;
	probe_emit(s, LS_OP_LOCAL_LOAD, LS_PH_DONE, l->h.id, line, *slot, 0);
	return 0;
}

/* ---- locals ------------------------------------------------------------- */

/* Not a step point: no gate, no park, one event, so it changes no schedule
 * and costs what a free-mode probe costs. */
long
ls_probe_note(const char *name, long value, int line)
{
	struct ls_self *s = ls_self_tls;
	struct ls_event e;
	size_t n = name ? strnlen(name, LS_NOTE_NAME_MAX - 1) : 0;

	if (probe_aborted(s))
		ls_actor_leave();
	memset(&e, 0, sizeof e);
	e.t_ns = ls_now_ns();
	e.actor = s->id;
	e.op = LS_OP_NOTE;
	e.phase = LS_PH_DONE;
	e.obj = LS_NO_OBJ;
	e.line = line;
	e.u.note.value = value;
	if (n)
		memcpy(e.u.note.name, name, n);
	ls_ring_push(s->slot->ring, &e);
	return value;
}

/* ---- output ------------------------------------------------------------- */

void
ls_probe_say(int line, const char *fmt, ...)
{
	struct ls_self *s = ls_self_tls;
	char buf[160];
	va_list ap;

	probe_gate(s, LS_OP_SAY, LS_NO_OBJ, line, 0);
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	size_t len = n < 0 ? 0 : (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1;
	size_t at = 0;
	/* Chunks of a line: every one but the last is PART; the model joins them. */
	while (len - at > LS_TEXT_MAX) {
		probe_emit_text(s, LS_OP_SAY, LS_PH_PART, LS_NO_OBJ, line, buf + at, LS_TEXT_MAX);
		at += LS_TEXT_MAX;
	}
	probe_emit_text(s, LS_OP_SAY, LS_PH_DONE, LS_NO_OBJ, line, buf + at, len - at);
}

/* ---- queues ------------------------------------------------------------- */

/*
 * A queue's operations record under its mutex, so the order of the events
 * is the order in which the real queue changed.  Blocking waits on the
 * queue's condition in slices, so an abort is noticed; in controlled modes
 * the controller grants put, get and join only when the model says they can
 * go on, and a timeout is logical (granted while full or empty: timed out).
 */
static void
probe_queue_lock(ls_queue *q)
{
	if (pthread_mutex_lock(&q->m) == EOWNERDEAD)   /* a holder died: the ring is intact */
		pthread_mutex_consistent(&q->m);
}

static int
probe_queue_full(const ls_queue *q)
{
	return q->count >= (q->maxsize > 0 ? q->maxsize : LS_QUEUE_CAP);
}

/* Wait on the queue until ready(q) or the deadline; 1 when ready. */
static int
probe_queue_wait(struct ls_self *s, ls_queue *q, int (*ready)(const ls_queue *), int timed,
                 const struct timespec *deadline)
{
	while (!ready(q)) {
		struct timespec until = probe_deadline(SLICE_MS);
		if (timed && probe_past(deadline))
			return 0;
		if (timed && (until.tv_sec > deadline->tv_sec ||
		              (until.tv_sec == deadline->tv_sec && until.tv_nsec > deadline->tv_nsec)))
			until = *deadline;
		if (pthread_cond_timedwait(&q->changed, &q->m, &until) == EOWNERDEAD)
			pthread_mutex_consistent(&q->m);
		if (probe_aborted(s)) {
			pthread_mutex_unlock(&q->m);
			ls_actor_leave();
		}
	}
	return 1;
}

static int probe_queue_room(const ls_queue *q) { return !probe_queue_full(q); }
static int probe_queue_item(const ls_queue *q) { return q->count > 0; }
static int probe_queue_drained(const ls_queue *q) { return q->unfinished <= 0; }

int
ls_probe_queue_put(ls_queue *q, int64_t item, long timeout_ms, int line)
{
	struct ls_self *s = ls_self_tls;
	int timed = timeout_ms >= 0;

	probe_gate(s, LS_OP_QUEUE_PUT, q->h.id, line, timeout_ms);
	struct timespec deadline = probe_deadline(timed ? timeout_ms : 0);
	probe_queue_lock(q);
	if (probe_queue_full(q) && !(timed && probe_gated(s))) {
		probe_emit(s, LS_OP_QUEUE_PUT, LS_PH_BLOCK, q->h.id, line, timeout_ms, item);
		probe_queue_wait(s, q, probe_queue_room, timed, &deadline);
	}
	if (probe_queue_full(q)) {
		probe_emit(s, LS_OP_QUEUE_PUT, LS_PH_FAIL, q->h.id, line, item, q->count);
		pthread_mutex_unlock(&q->m);
		return -1;
	}
	q->items[q->count++] = item;
	q->unfinished++;
	probe_emit(s, LS_OP_QUEUE_PUT, LS_PH_DONE, q->h.id, line, item, q->count);
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->m);
	return 0;
}

/*
 * The index of the item get() takes: the oldest, the newest, or the least.
 * In a PriorityQueue None comes after every item (the oldest None first):
 * Python cannot order None against a number, and its stop sign is put as
 * (float('inf'), None) so that the work before it is done first.
 */
static int
probe_queue_before(int64_t a, int64_t b)
{
	if (a == LS_QUEUE_NONE || b == LS_QUEUE_NONE)
		return b == LS_QUEUE_NONE && a != LS_QUEUE_NONE;
	return a < b;
}

static long
probe_queue_pick(const ls_queue *q)
{
	long at = 0;

	if (q->order == LS_QUEUE_LIFO)
		return q->count - 1;
	if (q->order == LS_QUEUE_PRIORITY)
		for (long i = 1; i < q->count; i++)
			if (probe_queue_before(q->items[i], q->items[at]))
				at = i;
	return at;
}

int
ls_probe_queue_get(ls_queue *q, int64_t *item, long timeout_ms, int line)
{
	struct ls_self *s = ls_self_tls;
	int timed = timeout_ms >= 0;

	probe_gate(s, LS_OP_QUEUE_GET, q->h.id, line, timeout_ms);
	struct timespec deadline = probe_deadline(timed ? timeout_ms : 0);
	probe_queue_lock(q);
	if (q->count == 0 && !(timed && probe_gated(s))) {
		probe_emit(s, LS_OP_QUEUE_GET, LS_PH_BLOCK, q->h.id, line, timeout_ms, 0);
		probe_queue_wait(s, q, probe_queue_item, timed, &deadline);
	}
	if (q->count == 0) {
		probe_emit(s, LS_OP_QUEUE_GET, LS_PH_FAIL, q->h.id, line, 0, 0);
		pthread_mutex_unlock(&q->m);
		return -1;
	}
	long at = probe_queue_pick(q);
	int64_t got = q->items[at];
	memmove(&q->items[at], &q->items[at + 1], (size_t)(q->count - at - 1) * sizeof q->items[0]);
	q->count--;
	probe_emit(s, LS_OP_QUEUE_GET, LS_PH_DONE, q->h.id, line, got, q->count);
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->m);
	if (item)
		*item = got;
	return 0;
}

int
ls_probe_queue_task_done(ls_queue *q, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_TASK_DONE, q->h.id, line, 0);
	probe_queue_lock(q);
	if (q->unfinished <= 0) {
		/* Python: ValueError('task_done() called too many times'). */
		probe_emit(s, LS_OP_TASK_DONE, LS_PH_FAIL, q->h.id, line, 0, 0);
		pthread_mutex_unlock(&q->m);
		return -1;
	}
	q->unfinished--;
	probe_emit(s, LS_OP_TASK_DONE, LS_PH_DONE, q->h.id, line, q->unfinished, 0);
	if (q->unfinished == 0)
		pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->m);
	return 0;
}

void
ls_probe_queue_join(ls_queue *q, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_QUEUE_JOIN, q->h.id, line, -1);
	probe_queue_lock(q);
	if (q->unfinished > 0) {
		probe_emit(s, LS_OP_QUEUE_JOIN, LS_PH_BLOCK, q->h.id, line, -1, q->unfinished);
		probe_queue_wait(s, q, probe_queue_drained, 0, NULL);
	}
	probe_emit(s, LS_OP_QUEUE_JOIN, LS_PH_DONE, q->h.id, line, 0, 0);
	pthread_mutex_unlock(&q->m);
}

/* ---- pools ------------------------------------------------------------------ */

static void
probe_pool_lock(ls_pool *p)
{
	if (pthread_mutex_lock(&p->m) == EOWNERDEAD)   /* a holder died: the rings are intact */
		pthread_mutex_consistent(&p->m);
}

/* Wait on the pool, its mutex held, until ready(p). */
static void
probe_pool_wait(struct ls_self *s, ls_pool *p, int (*ready)(const ls_pool *))
{
	while (!ready(p)) {
		struct timespec until = probe_deadline(SLICE_MS);
		if (pthread_cond_timedwait(&p->changed, &p->m, &until) == EOWNERDEAD)
			pthread_mutex_consistent(&p->m);
		if (probe_aborted(s)) {
			pthread_mutex_unlock(&p->m);
			ls_actor_leave();
		}
	}
}

static int probe_pool_task(const ls_pool *p) { return p->ntasks > 0 || p->closed; }
static int probe_pool_result(const ls_pool *p) { return p->nresults > p->collected; }

int
ls_probe_pool_submit(ls_pool *p, int64_t task, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_POOL_SUBMIT, p->h.id, line, task);
	probe_pool_lock(p);
	if (p->closed || p->ntasks >= LS_QUEUE_CAP || p->nresults + p->ntasks >= LS_QUEUE_CAP) {
		/* Python: ValueError("Pool not running"). */
		probe_emit(s, LS_OP_POOL_SUBMIT, LS_PH_FAIL, p->h.id, line, task, p->ntasks);
		pthread_mutex_unlock(&p->m);
		return -1;
	}
	p->tasks[p->ntasks++] = task;
	probe_emit(s, LS_OP_POOL_SUBMIT, LS_PH_DONE, p->h.id, line, task, p->ntasks);
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->m);
	return 0;
}

int
ls_probe_pool_take(ls_pool *p, int64_t *task, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_POOL_TAKE, p->h.id, line, 0);
	probe_pool_lock(p);
	if (!probe_pool_task(p)) {
		probe_emit(s, LS_OP_POOL_TAKE, LS_PH_BLOCK, p->h.id, line, 0, 0);
		probe_pool_wait(s, p, probe_pool_task);
	}
	if (p->ntasks == 0) {
		/* Closed, and nothing left: the worker's None. */
		probe_emit(s, LS_OP_POOL_TAKE, LS_PH_FAIL, p->h.id, line, 0, 0);
		pthread_mutex_unlock(&p->m);
		return -1;
	}
	int64_t got = p->tasks[0];
	memmove(&p->tasks[0], &p->tasks[1], (size_t)(p->ntasks - 1) * sizeof p->tasks[0]);
	p->ntasks--;
	probe_emit(s, LS_OP_POOL_TAKE, LS_PH_DONE, p->h.id, line, got, p->ntasks);
	pthread_mutex_unlock(&p->m);
	if (task)
		*task = got;
	return 0;
}

void
ls_probe_pool_finish(ls_pool *p, int64_t task, int64_t value, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_POOL_FINISH, p->h.id, line, task);
	probe_pool_lock(p);
	if (p->nresults < LS_QUEUE_CAP)
		p->results[p->nresults++] = (struct ls_pool_result){ task, value, s->id };
	probe_emit(s, LS_OP_POOL_FINISH, LS_PH_DONE, p->h.id, line, task, value);
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->m);
}

void
ls_probe_pool_collect(ls_pool *p, int64_t *task, int64_t *value, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_POOL_COLLECT, p->h.id, line, 0);
	probe_pool_lock(p);
	if (!probe_pool_result(p)) {
		probe_emit(s, LS_OP_POOL_COLLECT, LS_PH_BLOCK, p->h.id, line, 0, 0);
		probe_pool_wait(s, p, probe_pool_result);
	}
	struct ls_pool_result r = p->results[p->collected++];
	probe_emit(s, LS_OP_POOL_COLLECT, LS_PH_DONE, p->h.id, line, r.task, r.value);
	pthread_mutex_unlock(&p->m);
	if (task)
		*task = r.task;
	if (value)
		*value = r.value;
}

void
ls_probe_pool_close(ls_pool *p, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_POOL_CLOSE, p->h.id, line, 0);
	probe_pool_lock(p);
	p->closed = 1;
	probe_emit(s, LS_OP_POOL_CLOSE, LS_PH_DONE, p->h.id, line, p->ntasks, 0);
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->m);
}

/* ---- joining an actor --------------------------------------------------- */

void
ls_probe_join(int actor, int line)
{
	struct ls_self *s = ls_self_tls;
	struct ls_world *w = s->world;

	probe_gate(s, LS_OP_JOIN, LS_NO_OBJ, line, actor);
	if (actor < 0 || (uint32_t)actor >= w->nactors || actor == s->id) {
		/* Python: RuntimeError("cannot join current thread") and the like. */
		probe_emit(s, LS_OP_JOIN, LS_PH_FAIL, LS_NO_OBJ, line, actor, 0);
		return;
	}
	struct ls_gate *g = &w->actors[actor].gate;
	if (ls_gate_state(g) != LS_GATE_DONE) {
		/* Its exit marks the gate done after recording EXIT: waiting for the
		 * mark orders our DONE after its last event.  The parent marks a
		 * crashed process done when it reaps it. */
		probe_emit(s, LS_OP_JOIN, LS_PH_BLOCK, LS_NO_OBJ, line, actor, 0);
		if (ls_gate_wait_done(g, &w->ctl.abort) != 0)
			ls_actor_leave();
	}
	probe_emit(s, LS_OP_JOIN, LS_PH_DONE, LS_NO_OBJ, line, actor, 0);
}

/* ---- pipes -------------------------------------------------------------- */

/*
 * Bytes move through a pipe only while both ends run, so a send that finds
 * the kernel's buffer full cannot park at its gate in a controlled mode the
 * way a lock waiter never has to: the receiver, granted its step, reads
 * while the sender writes.  Instead the sender tells the controller it is
 * settled - its gate says parked while it waits in the kernel, and the
 * model, having seen its BLOCK, never lets the controller grant it - and
 * says running again before it records anything another actor waits for,
 * so the controller then waits for it to reach its next probe.  Only a
 * switch to free mode grants a parked actor the model calls blocked; that
 * grant is spent there (probe_settle and probe_unsettle, probe_int.h, over
 * ls_gate_settle and ls_gate_unsettle).
 */
static void
probe_pipe_lock(ls_pipe *p)
{
	if (pthread_mutex_lock(&p->m) == EOWNERDEAD)
		pthread_mutex_consistent(&p->m);
}

/* Record under the pipe's mutex, so events of both ends are in the order
 * the pipe saw them. */
static void
probe_pipe_emit(struct ls_self *s, ls_pipe *p, enum ls_op op, enum ls_phase ph, int line,
                int64_t word, int64_t value)
{
	probe_pipe_lock(p);
	probe_emit(s, op, ph, p->h.id, line, word, value);
	pthread_mutex_unlock(&p->m);
}

/* Take an end's lock; a wait for it is a BLOCK like any other. */
static void
probe_pipe_end_lock(struct ls_self *s, ls_pipe *p, pthread_mutex_t *m, enum ls_op op,
                    int line, int64_t word, int *blocked, int *settled)
{
	int rc = pthread_mutex_trylock(m);

	if (rc == EOWNERDEAD) {
		pthread_mutex_consistent(m);
	} else if (rc != 0) {
		if (!*blocked)
			probe_pipe_emit(s, p, op, LS_PH_BLOCK, line, word, 0);
		*blocked = 1;
		probe_settle(s, settled);
		probe_mutex_lock(s, m);
	}
}

/* Wait for fd to be readable or writable for one slice; leave on abort. */
static void
probe_pipe_poll(struct ls_self *s, struct pollfd *fds, nfds_t n, pthread_mutex_t *held)
{
	int rc;

	do
		rc = poll(fds, n, SLICE_MS);
	while (rc < 0 && errno == EINTR && !probe_aborted(s));
	if (probe_aborted(s)) {
		if (held)
			pthread_mutex_unlock(held);
		ls_actor_leave();
	}
}

int
ls_probe_pipe_send(ls_pipe *p, int end, int tag, int64_t value, long size, int line)
{
	struct ls_self *s = ls_self_tls;
	int conn = end >> 1, side = end & 1, blocked = 0, settled = 0, entered = 0;
	int64_t word = LS_PIPE_WORD(end & 1023, size > 0 ? size : 0, 0, tag & 15);

	probe_gate(s, LS_OP_PIPE_SEND, p->h.id, line, word);
	if (end < 0 || conn >= p->nconn || size < 0 || size > LS_PIPE_MSG_MAX || tag < 0 || tag > 15) {
		probe_emit(s, LS_OP_PIPE_SEND, LS_PH_FAIL, p->h.id, line, word, value);
		return -1;
	}
	struct ls_pipe_conn *c = &p->conns[conn];
	probe_pipe_end_lock(s, p, &c->send_lock[side], LS_OP_PIPE_SEND, line, word, &blocked,
	                    &settled);
	/* Relaxed: a ticket, unique by atomicity alone; it travels in the frame. */
	struct ls_pipe_frame f = {
		.value = value,
		.seq = atomic_fetch_add_explicit(&p->seq, 1, memory_order_relaxed),
		.size = (uint32_t)size, .tag = (uint32_t)tag,
	};
	size_t total = sizeof f + (size_t)size, off = 0;
	for (;;) {
		ssize_t wr = ls_pipe_write(c->fd[side], &f, off);
		if (wr > 0)
			off += (size_t)wr;
		if (off >= total)
			break;
		if (wr < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
			probe_unsettle(s, &settled);
			probe_pipe_emit(s, p, LS_OP_PIPE_SEND, LS_PH_FAIL, line, word, value);
			pthread_mutex_unlock(&c->send_lock[side]);
			return -1;
		}
		/* Full: say so, and once part of the message is in, that it is. */
		if (!blocked || (off > 0 && !entered)) {
			entered = off > 0;
			probe_pipe_emit(s, p, LS_OP_PIPE_SEND, LS_PH_BLOCK, line,
			                entered ? LS_PIPE_WITH_WRITTEN(word | LS_PIPE_ENTERED, off) : word,
			                value);
			blocked = 1;
		}
		probe_settle(s, &settled);
		struct pollfd pf = { .fd = c->fd[side], .events = POLLOUT };
		probe_pipe_poll(s, &pf, 1, &c->send_lock[side]);
	}
	probe_unsettle(s, &settled);
	probe_pipe_lock(p);
	c->sent[side]++;
	probe_emit(s, LS_OP_PIPE_SEND, LS_PH_DONE, p->h.id, line, word, value);
	pthread_cond_broadcast(&p->sent_cv);
	pthread_mutex_unlock(&p->m);
	pthread_mutex_unlock(&c->send_lock[side]);
	return 0;
}

/*
 * The end a receive reads: its own when it has bytes; for a server (any),
 * of the ends on its side that have bytes, the one whose message was sent
 * first.  -1 when none has.
 */
static int
probe_pipe_ready(ls_pipe *p, int end, int any)
{
	struct pollfd fds[LS_PIPE_CONNS_MAX];
	int side = end & 1, first = any ? 0 : end >> 1, n = any ? p->nconn : 1, best = -1;
	uint64_t best_seq = UINT64_MAX;

	for (int i = 0; i < n; i++)
		fds[i] = (struct pollfd){ .fd = p->conns[first + i].fd[side], .events = POLLIN };
	if (poll(fds, (nfds_t)n, 0) <= 0)
		return -1;
	for (int i = 0; i < n; i++) {
		struct ls_pipe_frame f;
		if (!(fds[i].revents & POLLIN))
			continue;
		ssize_t got = recv(fds[i].fd, &f, sizeof f, MSG_PEEK | MSG_DONTWAIT);
		/* A header still being written comes after every whole one. */
		uint64_t seq = got == (ssize_t)sizeof f ? f.seq : UINT64_MAX - 1;
		if (best < 0 || seq < best_seq) {
			best = ls_pipe_end(first + i, side);
			best_seq = seq;
		}
	}
	return best;
}

/* Read exactly len bytes from fd, waiting in slices; 0, or -1 at end of file. */
static int
probe_pipe_read(struct ls_self *s, int fd, void *buf, size_t len, pthread_mutex_t *held)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = recv(fd, (char *)buf + got, len - got, MSG_DONTWAIT);
		if (r > 0) {
			got += (size_t)r;
		} else if (r == 0) {
			return -1;
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			/* The rest of a message being written: it comes. */
			struct pollfd pf = { .fd = fd, .events = POLLIN };
			probe_pipe_poll(s, &pf, 1, held);
		} else if (errno != EINTR) {
			return -1;
		}
	}
	return 0;
}

/* Wait (blocked, and settled while it polls) until a message is ready at
 * end e, or at any end on its side; returns the end it is at. */
static int
probe_pipe_recv_wait(struct ls_self *s, ls_pipe *p, int e, int any, int line, int64_t word,
                     int *blocked, int *settled)
{
	int at;

	while ((at = probe_pipe_ready(p, e, any)) < 0) {
		struct pollfd fds[LS_PIPE_CONNS_MAX];
		int n = any ? p->nconn : 1, first = any ? 0 : e >> 1;

		if (!*blocked)
			probe_pipe_emit(s, p, LS_OP_PIPE_RECV, LS_PH_BLOCK, line, word, 0);
		*blocked = 1;
		probe_settle(s, settled);
		for (int i = 0; i < n; i++)
			fds[i] = (struct pollfd){ .fd = p->conns[first + i].fd[e & 1], .events = POLLIN };
		probe_pipe_poll(s, fds, (nfds_t)n, NULL);
	}
	return at;
}

/* Read one message's frame and body from c's end side (its receive lock
 * held); 1 when it is torn: cut short, too large, or a body byte that is not
 * the fill its value gives (every byte of a whole message is). */
static int
probe_pipe_recv_frame(struct ls_self *s, struct ls_pipe_conn *c, int side,
                      struct ls_pipe_frame *f)
{
	int torn = probe_pipe_read(s, c->fd[side], f, sizeof *f, &c->recv_lock[side]) != 0 ||
	           f->size > LS_PIPE_MSG_MAX || f->tag > 15;
	if (!torn) {
		unsigned char buf[LS_PIPE_CHUNK], want = ls_pipe_fill(f->value);
		for (size_t left = f->size; left > 0 && !torn;) {
			size_t k = left < sizeof buf ? left : sizeof buf;
			if (probe_pipe_read(s, c->fd[side], buf, k, &c->recv_lock[side]) != 0)
				torn = 1;
			for (size_t i = 0; i < k && !torn; i++)
				torn = buf[i] != want;
			left -= k;
		}
	}
	return torn;
}

int
ls_probe_pipe_recv(ls_pipe *p, int end, struct ls_msg *out, int line)
{
	struct ls_self *s = ls_self_tls;
	int any = (end & LS_PIPE_ANY) != 0, e = end & 1023, blocked = 0, settled = 0;
	int64_t word = LS_PIPE_WORD(e, 0, any ? LS_PIPE_ANY : 0, 0);

	probe_gate(s, LS_OP_PIPE_RECV, p->h.id, line, word);
	if (end < 0 || (e >> 1) >= p->nconn) {
		probe_emit(s, LS_OP_PIPE_RECV, LS_PH_FAIL, p->h.id, line, word, 0);
		return -1;
	}
	int at = probe_pipe_recv_wait(s, p, e, any, line, word, &blocked, &settled);
	probe_unsettle(s, &settled);
	struct ls_pipe_conn *c = &p->conns[at >> 1];
	int side = at & 1, from = side ^ 1;
	probe_pipe_end_lock(s, p, &c->recv_lock[side], LS_OP_PIPE_RECV, line, word, &blocked,
	                    &settled);
	probe_unsettle(s, &settled);

	struct ls_pipe_frame f;
	int torn = probe_pipe_recv_frame(s, c, side, &f);
	int64_t got = LS_PIPE_WORD(at, torn ? 0 : f.size, 0, torn ? 0 : f.tag);
	uint64_t nth = ++c->taken[from];
	/* The message's send records before its receive does. */
	probe_pipe_lock(p);
	while (!torn && c->sent[from] < nth) {
		struct timespec until = probe_deadline(SLICE_MS);
		if (pthread_cond_timedwait(&p->sent_cv, &p->m, &until) == EOWNERDEAD)
			pthread_mutex_consistent(&p->m);
		if (probe_aborted(s)) {
			pthread_mutex_unlock(&p->m);
			pthread_mutex_unlock(&c->recv_lock[side]);
			ls_actor_leave();
		}
	}
	probe_emit(s, LS_OP_PIPE_RECV, torn ? LS_PH_FAIL : LS_PH_DONE, p->h.id, line, got,
	           torn ? 0 : f.value);
	pthread_mutex_unlock(&p->m);
	pthread_mutex_unlock(&c->recv_lock[side]);
	if (torn)
		return -1;
	if (out)
		*out = (struct ls_msg){ .value = f.value, .size = (long)f.size, .tag = (int)f.tag,
		                        .end = at };
	return 0;
}
