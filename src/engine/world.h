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
};

/* Actor states as published through the gate (see controller.c). */
enum ls_gate_state {
	LS_GATE_RUNNING = 0,
	LS_GATE_PARKED  = 1,
	LS_GATE_DONE    = 2,
};

/*
 * One per actor.  go and state are futex words: the controller writes go and
 * waits on state; the actor writes state and waits on go.  No word is shared
 * between two actors.
 */
struct ls_gate {
	_Alignas(64) _Atomic uint32_t go;
	_Atomic uint32_t state;    /* enum ls_gate_state */
	_Atomic uint32_t step;     /* the controller's step number when granted */
};

struct ls_actor_slot {
	struct ls_gate gate;
	_Atomic int32_t pid;       /* process actors: the child's pid */
	_Atomic int32_t tid;       /* kernel thread id of the actor */
	struct ls_ring *ring;
};

/* The control block: written by the parent, read by the actors. */
struct ls_ctl {
	_Atomic uint32_t gated;       /* 1: every probe parks at the actor's gate */
	_Atomic uint32_t abort;       /* futex word: 1 = leave now */
	_Atomic uint32_t slowmo_pct;  /* free mode: sleeps last pct/100 of their time */
};

struct ls_world {
	size_t size;
	size_t used;
	struct ls_ctl ctl;
	uint32_t nobjs;
	struct ls_obj_info objs[LS_MAX_OBJS];
	uint32_t nactors;
	uint32_t ring_cap;
	struct ls_actor_slot *actors;
	char tmpdir[LS_PATH_MAX];     /* "" until a file object needs it */
};

/*
 * Map a world big enough for nactors actors with rings of ring_cap events.
 * Returns NULL with errno set.
 */
struct ls_world *ls_world_new(uint32_t nactors, uint32_t ring_cap);
/* Remove the temporary directory (if any) and unmap. */
void ls_world_free(struct ls_world *w);
/* Async-signal-safe: unlink the world's files and its directory. */
void ls_world_remove_files(struct ls_world *w);

/* Bump allocation of zeroed, 64-byte aligned memory in the arena. */
void *ls_world_alloc(struct ls_world *w, size_t size);

int ls_world_find(const struct ls_world *w, const char *name);

#endif
