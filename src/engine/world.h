/*
 * world.h - the shared world: one MAP_SHARED|MAP_ANONYMOUS arena mapped before
 * any actor exists, holding the scenario's named objects, the actors' gates
 * and trace rings, and the control block.  Because it is mapped before fork,
 * every pointer into it is valid in threads and forked children alike.
 *
 * Objects are allocated only by the parent, before actors start (setup);
 * after that the arena's layout is frozen.
 */
#ifndef LS_WORLD_H
#define LS_WORLD_H

#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine/gate.h"
#include "engine/trace.h"
#include "lockstep/objects.h"

#define LS_MAX_ACTORS  1024
#define LS_PATH_MAX    256

/* Every object starts with this header so a probe can name it in events. */
struct ls_obj_hdr {
	uint16_t id;
	uint8_t  kind;
};

/* A shared integer.  Relaxed atomics: racy on purpose, never undefined. */
struct ls_var {
	struct ls_obj_hdr h;
	_Atomic long v;
};

/* A process-shared, robust pthread mutex. */
struct ls_mutex {
	struct ls_obj_hdr h;
	pthread_mutex_t m;
	/* Written only by the holder, under m: who holds it (actor id + 1, 0 for
	 * nobody) and how many times (a reentrant lock's depth), so the events
	 * can say "re-enters, depth 2". */
	_Atomic uint32_t holder;
	_Atomic uint32_t depth;     /* relaxed: a robust lock's next owner rewrites it */
};

/* A process-shared POSIX semaphore; bound > 0 makes it a BoundedSemaphore. */
struct ls_sem {
	struct ls_obj_hdr h;
	sem_t s;
	long bound;
	pthread_mutex_t guard;   /* makes a bounded release's check-and-post atomic */
};

/* threading.Event: a flag, a mutex and a condition variable, all shared. */
struct ls_event_obj {
	struct ls_obj_hdr h;
	pthread_mutex_t m;
	pthread_cond_t c;
	int flag;
};

/* A condition variable used with an ls_mutex. */
struct ls_cond {
	struct ls_obj_hdr h;
	pthread_cond_t c;
	_Atomic uint32_t seq;    /* gated mode: bumped by notify */
};

/* A real file in the run's private temporary directory. */
struct ls_file {
	struct ls_obj_hdr h;
	char path[LS_PATH_MAX];
};

/*
 * queue.Queue in shared memory: a ring of items under a process-shared
 * robust mutex with two conditions, so it crosses address spaces exactly as
 * it crosses threads.  unfinished counts items put and not yet marked done.
 */
struct ls_queue {
	struct ls_obj_hdr h;
	pthread_mutex_t m;
	pthread_cond_t changed;     /* an item came or went, or a task was done */
	long maxsize;               /* 0: unbounded (up to LS_QUEUE_CAP) */
	int order;                  /* enum ls_queue_order */
	long count, unfinished;
	int64_t items[LS_QUEUE_CAP];   /* items[0..count-1], oldest first */
};

/*
 * multiprocessing.Pool's insides in shared memory: the task queue the
 * workers take from, and the results they hand back, oldest first, as the
 * parent's result handler takes them.  One process-shared robust mutex and
 * one condition, so tasks and results cross address spaces as they cross
 * threads.  closed: close() was called, and a worker that finds no task
 * left ends (Python's None sentinel to each worker).
 */
struct ls_pool_result {
	int64_t task, value;
	int32_t worker;
};

struct ls_pool {
	struct ls_obj_hdr h;
	pthread_mutex_t m;
	pthread_cond_t changed;     /* a task came or went, a result came, close() */
	int workers;
	int closed;
	long ntasks;                /* tasks[0..ntasks-1], oldest first */
	long nresults, collected;   /* results[collected..nresults-1] wait for the parent */
	int64_t tasks[LS_QUEUE_CAP];
	struct ls_pool_result results[LS_QUEUE_CAP];
};

/*
 * A pipe: nconn AF_UNIX stream socketpairs, framed so a receive returns a
 * whole message.  Each end writes (and reads) one frame at a time under its
 * own lock, so frames never interleave; the events are recorded under m, and
 * a receive records only after the send of the same frame has, so the model
 * never sees a message leave before it arrived.
 */
struct ls_pipe_frame {             /* on the wire before the payload */
	int64_t value;
	uint64_t seq;                  /* arrival order over the whole object */
	uint32_t size;
	uint32_t tag;
};

struct ls_pipe_conn {
	int fd[2];                     /* side 0 and side 1 */
	pthread_mutex_t send_lock[2];  /* by the sending side */
	pthread_mutex_t recv_lock[2];  /* by the receiving side */
	uint64_t sent[2];              /* frames whose send recorded DONE, by sending side */
	uint64_t taken[2];             /* frames read whole, by sending side */
};

struct ls_pipe {
	struct ls_obj_hdr h;
	pthread_mutex_t m;             /* records events; guards sent[] */
	pthread_cond_t sent_cv;        /* a send recorded DONE */
	_Atomic uint64_t seq;
	int nconn;
	long msg_size;                 /* the payload measured for */
	long cap_msgs;                 /* whole messages of msg_size that fit each way */
	struct ls_pipe_conn *conns;    /* nconn of them, in the arena */
};

/*
 * A network: a TCP listener and the connections made to it while the run
 * goes.  A descriptor is valid only in the process that made it (pid[]);
 * the world's teardown closes those of its own process still open (thread
 * actors cut off), and a process actor's die with it.  Events are recorded
 * under m, and a receive records only after the send of its frame has (as a
 * pipe's); an accept only after the connect it takes has.
 */
struct ls_net_conn {
	int fd[2];                     /* side 0: the server's socket; side 1: the client's */
	int32_t pid[2];                /* the process each descriptor belongs to */
	int port;                      /* the client's own port: how accept finds it */
	int used;                      /* connected (a slot taken) */
	int accepted;
	_Atomic int closed[2];         /* an end closed by its side */
	_Atomic uint64_t sent[2];      /* frames whose send recorded DONE, by sending side */
	_Atomic uint64_t taken[2];     /* frames read whole, by sending side */
	_Atomic uint64_t last_seq[2];  /* the newest frame's seq, by sending side */
	int eof_seen[2];               /* a receive at this side saw the other close */
};

struct ls_net {
	struct ls_obj_hdr h;
	pthread_mutex_t m;             /* records events; guards the table */
	pthread_cond_t changed;        /* a send or a connect recorded DONE */
	_Atomic uint64_t seq;
	int nconn;
	char host[48];
	int port_asked;
	_Atomic int port;              /* the port listened at, once listening */
	int lfd;                       /* the listener, in process lpid */
	int32_t lpid;
	_Atomic int listening;         /* 0 not yet, 1 listening, 2 closed */
	_Atomic long connects, accepts;
	struct ls_net_conn conns[LS_NET_CONNS_MAX];
};

/*
 * threading.local: a real pthread key, created by the parent in setup (a
 * forked child inherits it).  The shared world holds only the key; each
 * actor's value is a block of its own that the key points to, made at its
 * first set and freed by the key's destructor when its thread ends, so no
 * actor can reach another's value.  Deleted with the world.
 */
struct ls_local {
	struct ls_obj_hdr h;
	pthread_key_t key;
	int has_key;
};

/* What the parent knows about each object, for the model and the views. */
struct ls_obj_info {
	char name[LS_NAME_MAX];
	uint8_t kind;
	long init;     /* initial value / count / flag */
	long bound;    /* semaphore bound, 0 = unbounded; mutex: 1 = reentrant */
	void *ptr;
	char text[LS_TEXT_MAX + 1];   /* file: start of its initial contents */
	char words[2][LS_NAME_MAX];   /* event: what set and clear mean to the lesson; "" = none */
	/* pipe: connections, the payload measured and how many such fit */
	int nconn;
	long msg_size, cap_msgs;
	char host[48];   /* network: where it listens */
};

/* A process-private variable: the world knows its name and initial value;
 * the value lives in the parent's heap (priv), which threads share and a
 * fork copies. */
struct ls_private {
	struct ls_obj_hdr h;
	_Atomic long *priv;
};

#define LS_PROGS_MAX 64   /* programs started with ls_spawn at once, per run */

struct ls_actor_slot {
	struct ls_gate gate;        /* see gate.h */
	_Atomic int32_t forked_by;  /* a child made by ls_fork: its parent's id + 1 */
	_Atomic int32_t pid;       /* process actors: the child's pid */
	_Atomic int32_t tid;       /* kernel thread id of the actor */
	struct ls_ring *ring;
	char pyname[16];           /* a Python thread's own name ("Thread-1"), or "" */
};

/* The control block: written by the parent, read by the actors. */
struct ls_ctl {
	_Atomic uint32_t gated;       /* 1: every probe parks at the actor's gate */
	_Atomic uint32_t abort;       /* futex word: 1 = leave now */
	_Atomic uint32_t slowmo_pct;  /* free mode: sleeps last pct/100 of their time */
	/* Nonzero while gated or abort is: the one word a free-mode probe reads
	 * (then the two above).  Set by ls_ctl_publish() after either changes. */
	_Atomic uint32_t busy;
};

/* The parent, after storing gated or abort. */
static inline void
ls_ctl_publish(struct ls_ctl *c)
{
	/* seq_cst kept: a change of mode is rare and its order costs nothing
	 * here.  The loads need none (the parent wrote both words); the store
	 * pairs with probe_gate()'s relaxed load of busy, a hint after which
	 * the probe reads gated and abort themselves. */
	atomic_store(&c->busy, atomic_load(&c->gated) | atomic_load(&c->abort));
}

struct ls_world {
	size_t size;
	/* Which mapping this is: a new number for every mmap, kept while the
	 * mapping is reused, so process actors kept alive (which share the
	 * mapping they were forked with) know it is theirs, wherever a later
	 * mapping lands. */
	uint64_t serial;
	size_t used;
	struct ls_ctl ctl;
	uint32_t nobjs;
	struct ls_obj_info objs[LS_MAX_OBJS];
	uint32_t nactors;
	uint32_t ring_cap;
	struct ls_actor_slot *actors;
	char tmpdir[LS_PATH_MAX];     /* "" until a file object needs it */
	struct ls_world *_Atomic cleanup_next;   /* cleanup.c's list of live worlds */
	/* Programs running that actors started (ls_spawn): pids, 0 = free.  The
	 * run kills and reaps what is left when it ends. */
	_Atomic int32_t progs[LS_PROGS_MAX];
	/* Python runs: the next actor slot a started thread takes (the runner
	 * sets it to 1: actor 0 is the program's main thread). */
	_Atomic uint32_t py_next;
	/* ... and the next slot a forked process takes, and where they end. */
	_Atomic uint32_t py_next_proc;
	uint32_t py_threads_end;
	/* The object slots the runner left unnamed for the program, one bit an
	 * object id: variables, and locks (given back when a library's lock
	 * dies).  Shared by all its processes. */
	_Atomic uint64_t py_free_vars, py_free_locks;
	/* 1: a program's actors are held before each bytecode instruction, 0:
	 * before each line.  Written by the parent (its steps parameter, then
	 * the screen's key), read by the probe at each event. */
	_Atomic uint32_t py_bytecode;
	/* The memory file behind the mapping (-1: anonymous): a Python
	 * program, exec'd, maps the same world at the same address. */
	int memfd;
};

/*
 * Map a world big enough for nactors actors with rings of ring_cap events.
 * Returns NULL with errno set.
 */
struct ls_world *ls_world_new(uint32_t nactors, uint32_t ring_cap);
/* The same, in a memory file (memfd) that a program an actor execs can map
 * at the same address (w->memfd; see src/python/pyrun.c). */
struct ls_world *ls_world_new_file(uint32_t nactors, uint32_t ring_cap);
/* Remove the temporary directory (if any) and unmap. */
void ls_world_free(struct ls_world *w);
/* Async-signal-safe: unlink the world's files and its directory. */
void ls_world_remove_files(struct ls_world *w);

/* Bump allocation of zeroed, 64-byte aligned memory in the arena. */
void *ls_world_alloc(struct ls_world *w, size_t size);

int ls_world_find(const struct ls_world *w, const char *name);

/* Pipes: write frame f (its header, then f->size bytes of ls_pipe_fill) from
 * byte off on, without blocking; what write() returns.  Shared by the
 * probes and the measurement at creation, so both write the same way. */
#define LS_PIPE_CHUNK 16384
#define LS_PIPE_IOV   64
ssize_t ls_pipe_write(int fd, const struct ls_pipe_frame *f, size_t off);
unsigned char ls_pipe_fill(int64_t value);

#endif
