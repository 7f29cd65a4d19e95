/*
 * world.c - the shared arena and the objects that live in it.  Allocation
 * happens only in the parent before actors start; nothing here runs on the
 * probe path.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "engine/janitor.h"
#include "engine/world.h"

#define WORLD_BASE_BYTES (1u << 20)   /* header, objects and scenario state */

/*
 * One freed world is kept for the next ls_world_new() of the same size: the
 * explorer makes thousands of short runs, and unmapping (a TLB shootdown on
 * every CPU the program ran on) costs more than a whole run's steps on a
 * virtual machine.  Every actor has been joined or reaped before a world is
 * freed, so nothing still uses it; it is zeroed up to its high-water mark.
 * Not under ThreadSanitizer: it tracks mutexes by address and would take a
 * new mutex for the old one, still held by an actor that left mid-run.
 */
static _Atomic(struct ls_world *) world_spare;
#if defined(__SANITIZE_THREAD__)
#define WORLD_REUSE 0
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define WORLD_REUSE 0
#endif
#endif
#ifndef WORLD_REUSE
#define WORLD_REUSE 1
#endif

static _Atomic uint64_t world_serials;

static void *world_alloc_raw(struct ls_world *w, size_t size);

/*
 * Shared memory behind a file of its own (memfd), so that a program exec'd
 * by an actor (python3 running a program under the runner) can map the same
 * world at the same address; anonymous where the kernel has no memfd.
 */
static struct ls_world *
world_map(size_t size, int file, int *fd)
{
	void *p;

	*fd = file ? memfd_create("lockstep-world", MFD_CLOEXEC) : -1;
	if (*fd >= 0 && ftruncate(*fd, (off_t)size) != 0) {
		close(*fd);
		*fd = -1;
	}
	if (*fd >= 0)
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
	else
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	return p == MAP_FAILED ? NULL : p;
}

static void
world_unmap(struct ls_world *w)
{
	int fd = w->memfd;

	munmap(w, w->size);
	if (fd >= 0)
		close(fd);
}

static struct ls_world *world_new(uint32_t nactors, uint32_t ring_cap, int file);

struct ls_world *
ls_world_new(uint32_t nactors, uint32_t ring_cap)
{
	return world_new(nactors, ring_cap, 0);
}

struct ls_world *
ls_world_new_file(uint32_t nactors, uint32_t ring_cap)
{
	return world_new(nactors, ring_cap, 1);
}

static struct ls_world *
world_new(uint32_t nactors, uint32_t ring_cap, int file)
{
	size_t per_actor = sizeof(struct ls_actor_slot) + ls_ring_bytes(ring_cap) + 128;
	size_t size = WORLD_BASE_BYTES + (size_t)nactors * per_actor;
	long page = sysconf(_SC_PAGESIZE);

	size = (size + (size_t)page - 1) & ~((size_t)page - 1);
	/* seq_cst (acquire would do): pairs with the compare-exchange in
	 * ls_world_free() that handed the mapping over, whose contents we reuse.
	 * A world with a memory file is never kept (ls_world_free). */
	struct ls_world *w = file ? NULL : atomic_exchange(&world_spare, NULL);
	uint64_t serial;
	int fd;
	if (w && w->size == size) {
		/* Everything but the header is zeroed as it is allocated again;
		 * the rings' events are never read past what was written. */
		serial = w->serial;
		fd = w->memfd;
		memset(w, 0, sizeof *w);
	} else {
		if (w)
			world_unmap(w);
		w = world_map(size, file, &fd);
		if (!w)
			return NULL;
		/* seq_cst kept though relaxed would do: a number unique by
		 * atomicity alone, taken once per new mapping, off any hot path. */
		serial = atomic_fetch_add(&world_serials, 1) + 1;
	}
	w->memfd = fd;
	w->size = size;
	w->serial = serial;
	w->used = (sizeof *w + 63) & ~(size_t)63;
	w->nactors = nactors;
	w->ring_cap = ring_cap;
	atomic_init(&w->ctl.gated, 0);
	atomic_init(&w->ctl.abort, 0);
	atomic_init(&w->ctl.busy, 0);
	atomic_init(&w->ctl.slowmo_pct, 100);
	w->actors = ls_world_alloc(w, (size_t)nactors * sizeof *w->actors);
	for (uint32_t i = 0; i < nactors; i++) {
		struct ls_actor_slot *a = &w->actors[i];
		/* Not zeroed: a ring's pages are faulted in only as its actor
		 * writes events, so an actor that writes five costs one page,
		 * not the whole ring (64 KB at the default capacity). */
		a->ring = world_alloc_raw(w, ls_ring_bytes(ring_cap));
		ls_ring_init(a->ring, ring_cap);
		ls_gate_init(&a->gate);
	}
	return w;
}

/* Bump allocation, 64-byte aligned, contents as they are. */
static void *
world_alloc_raw(struct ls_world *w, size_t size)
{
	size_t at = (w->used + 63) & ~(size_t)63;

	if (at + size > w->size) {
		errno = ENOMEM;
		return NULL;
	}
	w->used = at + size;
	return (char *)w + at;
}

void *
ls_world_alloc(struct ls_world *w, size_t size)
{
	void *p = world_alloc_raw(w, size);

	/* A reused world holds the last run's bytes; a fresh one is zero. */
	return p ? memset(p, 0, size) : NULL;
}

void
ls_world_remove_files(struct ls_world *w)
{
	/* Only unlink/rmdir: this also runs from fatal-signal handlers. */
	if (!w || !w->tmpdir[0])
		return;
	for (uint32_t i = 0; i < w->nobjs; i++) {
		if (w->objs[i].kind == LS_OBJ_FILE && w->objs[i].ptr)
			unlink(((ls_file *)w->objs[i].ptr)->path);
	}
	rmdir(w->tmpdir);
	ls_janitor_forget(w->tmpdir);
}

/* Close the pipes' descriptors (the parent's copies; actors' die with them). */
static void
world_close_pipes(struct ls_world *w)
{
	for (uint32_t i = 0; i < w->nobjs; i++) {
		ls_pipe *p = w->objs[i].kind == LS_OBJ_PIPE ? w->objs[i].ptr : NULL;
		for (int c = 0; p && p->conns && c < p->nconn; c++)
			for (int side = 0; side < 2; side++)
				if (p->conns[c].fd[side] >= 0) {
					close(p->conns[c].fd[side]);
					p->conns[c].fd[side] = -1;
				}
		/* A network's sockets that this process made and no actor closed. */
		ls_net *n = w->objs[i].kind == LS_OBJ_NET ? w->objs[i].ptr : NULL;
		pid_t me = getpid();
		for (int c = 0; n && c < n->nconn; c++)
			for (int side = 0; side < 2; side++)
				if (n->conns[c].fd[side] >= 0 && n->conns[c].pid[side] == me) {
					close(n->conns[c].fd[side]);
					n->conns[c].fd[side] = -1;
				}
		if (n && n->lfd >= 0 && n->lpid == me) {
			close(n->lfd);
			n->lfd = -1;
		}
	}
}

/* The private variables' values live in the parent's heap. */
static void
world_free_locals(struct ls_world *w)
{
	for (uint32_t i = 0; i < w->nobjs; i++) {
		ls_private *l = w->objs[i].kind == LS_OBJ_PRIVATE ? w->objs[i].ptr : NULL;
		if (l) {
			free((void *)l->priv);
			l->priv = NULL;
		}
	}
}

/* Every actor has left: give the thread-local keys back (a process has few,
 * and the explorer makes thousands of runs). */
static void
world_delete_keys(struct ls_world *w)
{
	for (uint32_t i = 0; i < w->nobjs; i++) {
		ls_local *l = w->objs[i].ptr;
		if (w->objs[i].kind == LS_OBJ_LOCAL && l && l->has_key) {
			pthread_key_delete(l->key);
			l->has_key = 0;
		}
	}
}

void
ls_world_free(struct ls_world *w)
{
	if (!w)
		return;
	world_close_pipes(w);
	world_free_locals(w);
	ls_world_remove_files(w);
	world_delete_keys(w);
	struct ls_world *none = NULL;
	/* A world with a memory file is not kept: its descriptor goes with it.
	 * seq_cst (release would do): pairs with the exchange in world_new()
	 * that takes the mapping, after our clean-up of it above. */
	if (!WORLD_REUSE || w->memfd >= 0 || !atomic_compare_exchange_strong(&world_spare, &none, w))
		world_unmap(w);
}

static void *
world_obj_new(struct ls_world *w, const char *name, enum ls_obj_kind kind,
              size_t size, long init, long bound)
{
	if (w->nobjs >= LS_MAX_OBJS || strlen(name) >= LS_NAME_MAX) {
		errno = ENOSPC;
		return NULL;
	}
	struct ls_obj_hdr *h = ls_world_alloc(w, size);
	if (!h)
		return NULL;
	struct ls_obj_info *info = &w->objs[w->nobjs];
	h->id = (uint16_t)w->nobjs;
	h->kind = (uint8_t)kind;
	snprintf(info->name, sizeof info->name, "%s", name);
	info->kind = (uint8_t)kind;
	info->init = init;
	info->bound = bound;
	info->ptr = h;
	w->nobjs++;
	return h;
}

ls_var *
ls_var_new(struct ls_world *w, const char *name, long init)
{
	ls_var *v = world_obj_new(w, name, LS_OBJ_VAR, sizeof *v, init, 0);
	if (v)
		atomic_init(&v->v, init);
	return v;
}

ls_private *
ls_private_new(struct ls_world *w, const char *name, long init)
{
	_Atomic long *priv = malloc(sizeof *priv);

	if (!priv)
		return NULL;
	ls_private *l = world_obj_new(w, name, LS_OBJ_PRIVATE, sizeof *l, init, 0);
	if (!l) {
		free(priv);
		return NULL;
	}
	atomic_init(priv, init);
	l->priv = priv;
	return l;
}

/* Process-shared and robust: a process actor that dies holding it must not
 * hang the others for ever. */
static int
world_mutex_init_type(pthread_mutex_t *m, int type)
{
	pthread_mutexattr_t a;
	int rc;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutexattr_settype(&a, type);
	rc = pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
	return rc;
}

/* Error-checking, so relocking by the owner is seen (and shown as the
 * self-deadlock a threading.Lock gives) rather than undefined. */
static int
world_mutex_init(pthread_mutex_t *m)
{
	return world_mutex_init_type(m, PTHREAD_MUTEX_ERRORCHECK);
}

static int
world_cond_init(pthread_cond_t *c)
{
	pthread_condattr_t a;
	int rc;

	pthread_condattr_init(&a);
	pthread_condattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	rc = pthread_cond_init(c, &a);
	pthread_condattr_destroy(&a);
	return rc;
}

ls_mutex *
ls_mutex_new(struct ls_world *w, const char *name)
{
	ls_mutex *m = world_obj_new(w, name, LS_OBJ_MUTEX, sizeof *m, 0, 0);
	if (m && (errno = world_mutex_init(&m->m)) != 0)
		return NULL;
	return m;
}

ls_mutex *
ls_rlock_new(struct ls_world *w, const char *name)
{
	ls_mutex *m = world_obj_new(w, name, LS_OBJ_MUTEX, sizeof *m, 0, 1);
	if (m && (errno = world_mutex_init_type(&m->m, PTHREAD_MUTEX_RECURSIVE)) != 0)
		return NULL;
	return m;
}

ls_sem *
ls_sem_new(struct ls_world *w, const char *name, long init, long bound)
{
	if (init < 0 || (bound > 0 && init > bound)) {
		errno = EINVAL;
		return NULL;
	}
	ls_sem *s = world_obj_new(w, name, LS_OBJ_SEM, sizeof *s, init, bound);
	if (!s)
		return NULL;
	s->bound = bound;
	if (sem_init(&s->s, 1, (unsigned)init) != 0)
		return NULL;
	if ((errno = world_mutex_init(&s->guard)) != 0)
		return NULL;
	return s;
}

ls_event_obj *
ls_event_new(struct ls_world *w, const char *name)
{
	ls_event_obj *e = world_obj_new(w, name, LS_OBJ_EVENT, sizeof *e, 0, 0);
	if (!e)
		return NULL;
	if ((errno = world_mutex_init(&e->m)) != 0 || (errno = world_cond_init(&e->c)) != 0)
		return NULL;
	return e;
}

int
ls_event_words(struct ls_world *w, ls_event_obj *e, const char *set_word, const char *clear_word)
{
	for (uint32_t i = 0; e && i < w->nobjs; i++) {
		struct ls_obj_info *info = &w->objs[i];

		if (info->ptr != (void *)e || info->kind != LS_OBJ_EVENT)
			continue;
		if (!set_word || !clear_word || strlen(set_word) >= sizeof info->words[0] ||
		    strlen(clear_word) >= sizeof info->words[1])
			break;
		snprintf(info->words[1], sizeof info->words[1], "%s", set_word);
		snprintf(info->words[0], sizeof info->words[0], "%s", clear_word);
		return 0;
	}
	errno = EINVAL;
	return -1;
}

ls_cond *
ls_cond_new(struct ls_world *w, const char *name)
{
	ls_cond *c = world_obj_new(w, name, LS_OBJ_COND, sizeof *c, 0, 0);
	if (c && (errno = world_cond_init(&c->c)) != 0)
		return NULL;
	return c;
}

const char *
ls_file_dir_base(void)
{
	const char *base = getenv("TMPDIR");

	return base && *base ? base : "/tmp";
}

ls_file *
ls_file_new(struct ls_world *w, const char *name, const char *contents)
{
	if (!w->tmpdir[0]) {
		char tmpl[LS_PATH_MAX];

		int n = snprintf(tmpl, sizeof tmpl, "%s/lockstep-XXXXXX", ls_file_dir_base());
		/* A long TMPDIR would cut the template short: mkdtemp would then
		 * make some other directory, or fail for the wrong reason. */
		if (n < 0 || (size_t)n >= sizeof tmpl) {
			errno = ENAMETOOLONG;
			return NULL;
		}
		if (!mkdtemp(tmpl))
			return NULL;
		snprintf(w->tmpdir, sizeof w->tmpdir, "%s", tmpl);
		/* Should we be killed outright, the janitor removes it. */
		ls_janitor_watch(w->tmpdir);
	}
	ls_file *f = world_obj_new(w, name, LS_OBJ_FILE, sizeof *f, 0, 0);
	if (!f)
		return NULL;
	int n = snprintf(f->path, sizeof f->path, "%s/%s", w->tmpdir, name);
	if (n < 0 || (size_t)n >= sizeof f->path) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	int fd = open(f->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	snprintf(w->objs[f->h.id].text, sizeof w->objs[f->h.id].text, "%s", contents);
	size_t len = strlen(contents);
	ssize_t wr = write(fd, contents, len);
	close(fd);
	if (wr != (ssize_t)len) {
		errno = EIO;
		return NULL;
	}
	return f;
}

int
ls_world_find(const struct ls_world *w, const char *name)
{
	for (uint32_t i = 0; i < w->nobjs; i++)
		if (strcmp(w->objs[i].name, name) == 0)
			return (int)i;
	return -1;
}

ls_queue *
ls_queue_new(struct ls_world *w, const char *name, long maxsize, enum ls_queue_order order)
{
	if (maxsize < 0 || maxsize > LS_QUEUE_CAP) {
		errno = EINVAL;
		return NULL;
	}
	/* info->init carries the order, info->bound the maxsize (0: unbounded). */
	ls_queue *q = world_obj_new(w, name, LS_OBJ_QUEUE, sizeof *q, order, maxsize);
	if (!q)
		return NULL;
	q->maxsize = maxsize;
	q->order = order;
	if ((errno = world_mutex_init(&q->m)) != 0 || (errno = world_cond_init(&q->changed)) != 0)
		return NULL;
	return q;
}

ls_pool *
ls_pool_new(struct ls_world *w, const char *name, int workers)
{
	if (workers < 1) {
		errno = EINVAL;
		return NULL;
	}
	/* info->init carries the number of workers. */
	ls_pool *p = world_obj_new(w, name, LS_OBJ_POOL, sizeof *p, workers, 0);
	if (!p)
		return NULL;
	p->workers = workers;
	if ((errno = world_mutex_init(&p->m)) != 0 || (errno = world_cond_init(&p->changed)) != 0)
		return NULL;
	return p;
}

/* ---- pipes --------------------------------------------------------------- */

unsigned char
ls_pipe_fill(int64_t value)
{
	return (unsigned char)(0xa5u ^ (uint64_t)value);
}

ssize_t
ls_pipe_write(int fd, const struct ls_pipe_frame *f, size_t off)
{
	unsigned char pay[LS_PIPE_CHUNK];
	struct iovec iov[LS_PIPE_IOV];
	size_t total = sizeof *f + f->size, at = off, left;
	int n = 0;
	ssize_t wr;

	if (at < sizeof *f) {
		iov[n++] = (struct iovec){ (char *)f + at, sizeof *f - at };
		at = sizeof *f;
	}
	left = total - at;
	if (left > 0)
		memset(pay, ls_pipe_fill(f->value), left < sizeof pay ? left : sizeof pay);
	while (left > 0 && n < LS_PIPE_IOV) {
		size_t k = left < sizeof pay ? left : sizeof pay;
		iov[n++] = (struct iovec){ pay, k };
		left -= k;
	}
	/* One call for a whole small frame: the kernel makes it one buffer, so
	 * the count measured below is the count that really fits. */
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = (size_t)n };
	do
		wr = sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	while (wr < 0 && errno == EINTR);
	return wr;
}

/*
 * How many whole frames of this payload fit in the socket's buffer: write
 * them without blocking until one does not go in whole, then read them all
 * back out.  Linux charges each write (one buffer for a frame up to half the
 * send buffer) its real size plus the kernel's overhead against SO_SNDBUF
 * and accepts a buffer while the total is below it, so for frames of this
 * size the count is exact and the same after any number of sends and whole
 * receives.  Frames of other sizes are charged differently: for them the
 * model's room is an estimate (see model.c), which decides only whether a
 * controlled run lets a send start at once; a send that then finds the
 * buffer full blocks in the kernel, and says so, exactly as in a free run.
 */
static long
world_pipe_measure(int wfd, int rfd, long size)
{
	struct ls_pipe_frame f = { .value = 0, .seq = 0, .size = (uint32_t)size, .tag = 0 };
	size_t total = sizeof f + (size_t)size;
	unsigned char buf[LS_PIPE_CHUNK];
	long n = 0;

	while (n < 65536 && ls_pipe_write(wfd, &f, 0) == (ssize_t)total)
		n++;
	while (recv(rfd, buf, sizeof buf, MSG_DONTWAIT) > 0)
		;
	return n;
}

ls_pipe *
ls_pipe_new(struct ls_world *w, const char *name, int nconn, long msg_size)
{
	if (nconn < 1 || nconn > LS_PIPE_CONNS_MAX || msg_size < 0 || msg_size > LS_PIPE_MSG_MAX) {
		errno = EINVAL;
		return NULL;
	}
	ls_pipe *p = world_obj_new(w, name, LS_OBJ_PIPE, sizeof *p, 0, 0);
	if (!p)
		return NULL;
	p->conns = ls_world_alloc(w, (size_t)nconn * sizeof *p->conns);
	if (!p->conns)
		return NULL;
	/* Marked closed first: a failure half way closes only what was opened. */
	for (int c = 0; c < nconn; c++)
		p->conns[c].fd[0] = p->conns[c].fd[1] = -1;
	p->nconn = nconn;
	p->msg_size = msg_size;
	if ((errno = world_mutex_init(&p->m)) != 0 || (errno = world_cond_init(&p->sent_cv)) != 0)
		return NULL;
	for (int c = 0; c < nconn; c++) {
		struct ls_pipe_conn *cn = &p->conns[c];
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, cn->fd) != 0) {
			cn->fd[0] = cn->fd[1] = -1;
			return NULL;
		}
		for (int side = 0; side < 2; side++)
			if ((errno = world_mutex_init(&cn->send_lock[side])) != 0 ||
			    (errno = world_mutex_init(&cn->recv_lock[side])) != 0)
				return NULL;
	}
	p->cap_msgs = world_pipe_measure(p->conns[0].fd[0], p->conns[0].fd[1], msg_size);
	struct ls_obj_info *info = &w->objs[p->h.id];
	info->nconn = nconn;
	info->msg_size = msg_size;
	info->cap_msgs = p->cap_msgs;
	return p;
}

/* ---- networks ------------------------------------------------------------ */

ls_net *
ls_net_new(struct ls_world *w, const char *name, int nconn, const char *host, int port)
{
	if (nconn < 1 || nconn > LS_NET_CONNS_MAX || !host || strlen(host) >= 48 ||
	    port < 0 || port > 65535) {
		errno = EINVAL;
		return NULL;
	}
	ls_net *n = world_obj_new(w, name, LS_OBJ_NET, sizeof *n, port, 0);
	if (!n)
		return NULL;
	n->lfd = -1;
	for (int c = 0; c < LS_NET_CONNS_MAX; c++)
		n->conns[c].fd[0] = n->conns[c].fd[1] = -1;
	n->nconn = nconn;
	n->port_asked = port;
	snprintf(n->host, sizeof n->host, "%s", host);
	if ((errno = world_mutex_init(&n->m)) != 0 || (errno = world_cond_init(&n->changed)) != 0)
		return NULL;
	struct ls_obj_info *info = &w->objs[n->h.id];
	info->nconn = nconn;
	info->msg_size = 0;
	/* Messages here are a few bytes, and a loopback TCP socket's buffers
	 * hold thousands of them: the model's room, never reached. */
	info->cap_msgs = 4096;
	snprintf(info->host, sizeof info->host, "%s", host);
	return n;
}

ls_local *
ls_local_new(struct ls_world *w, const char *name)
{
	ls_local *l = world_obj_new(w, name, LS_OBJ_LOCAL, sizeof *l, 0, 0);
	if (!l)
		return NULL;
	if ((errno = pthread_key_create(&l->key, free)) != 0)
		return NULL;
	l->has_key = 1;
	return l;
}
