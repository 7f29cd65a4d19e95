/*
 * actor.h - actors as threads or forked processes running the same body.
 *
 * An actor knows itself through a thread-local pointer set before its body
 * runs; probes find their ring and gate through it.  Processes are forked
 * with every signal blocked, die with their parent (PR_SET_PDEATHSIG), never
 * touch stdio or ncurses, and leave with _exit().
 */
#ifndef LS_ACTOR_H
#define LS_ACTOR_H

#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

#include "lockstep/scenario.h"
#include "engine/world.h"

/* What a probe needs to know about the actor running it. */
struct ls_self {
	struct ls_world *world;
	struct ls_actor_slot *slot;
	uint16_t id;
	uint8_t is_process;
	/* A daemon (Python's daemon=True): as a process it may not start a
	 * child (multiprocessing refuses with an AssertionError). */
	uint8_t is_daemon;
	uint8_t kept;        /* a process kept alive: it leaves as a thread does */
	int32_t os_id;       /* its pid (processes) or tid (threads) */
	int32_t os_parent;   /* getppid() */
	/* Where ls_actor_leave() goes: the end of actor_main(), so a thread
	 * (or a process kept alive) leaves by returning, without pthread_exit()'s unwinder (which must
	 * load libgcc_s, and aborts when memory is short). */
	jmp_buf leave;
};

extern __thread struct ls_self *ls_self_tls;

/* Parent-side record of one actor. */
struct ls_actor {
	struct ls_actor_ctx ctx;
	void (*body)(struct ls_actor_ctx *ctx);
	struct ls_self self;
	pthread_t thread;
	struct actor_worker *worker;   /* threads: the pooled thread running it */
	_Atomic uint32_t ended;        /* threads: futex word, 1 once its worker is free */
	struct proc_worker *proc;      /* processes: its entry, when it is kept alive */
	pid_t pid;
	int pooled;          /* its thread or process may stay for the next run */
	int started;
	int reaped;          /* joined or waited for */
	int exit_status;     /* processes: wait status */
	int stopped;         /* processes: the signal that stopped it, 0 = not stopped */
};

/* Before a run forks its actors: what each child must do with the signal
 * state it inherits (worked out once here, not per signal in each child). */
void ls_actor_prepare_processes(void);
/* End the idle actors kept alive: threads joined (before forking, and at
 * the end of a search), processes told to exit and waited for. */
void ls_actor_pool_drain(void);
/* Start one actor.  Returns 0 or an errno value. */
int ls_actor_spawn(struct ls_actor *a, enum ls_actor_kind kind);
/* Leave the body now (abort): marks the gate done, exits thread or process. */
_Noreturn void ls_actor_leave(void);
/*
 * Non-blocking for processes (returns 1 when reaped); blocking join for
 * threads.  Also notes when a process actor is stopped or continued
 * (a->stopped).
 */
int ls_actor_reap(struct ls_actor *a, int block);
/*
 * Processes: has any child changed state since *seen (updated)?  0 no,
 * 1 yes, 2 cannot tell (SIGCHLD is not the engine's to count: look at each).
 */
int ls_actor_children_changed(unsigned *seen);
/*
 * A child with a state to collect (exited, stopped, continued), left for
 * the caller to wait for; 0 when none, -1 when it cannot tell.
 */
pid_t ls_actor_next_changed(void);
/*
 * os.fork() from inside an actor: copies the calling process; in the copy
 * the actor with id child (its slot, its ring) records START and is who
 * runs on.  Returns the pid in the parent, 0 in the child, -1 on failure.
 */
pid_t ls_actor_fork_child(int child);
/* A forked child's end: EXIT, its gate done, _exit(status). */
_Noreturn void ls_actor_child_end(int status);
/* Kill (SIGKILL, their process group) and reap the programs actors started
 * with ls_spawn that are still running (probe_proc.c). */
void ls_proc_kill_all(struct ls_world *w);
struct ls_event;
/* The run's main thread, for each event it applies: a program's process
 * group handed to the janitor at its SPAWN, taken back at its PROC_WAIT. */
void ls_proc_note(const struct ls_event *e);

#endif
