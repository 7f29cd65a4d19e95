/*
 * model.h - a pure fold of trace events into a snapshot of the run.
 *
 * The TUI, the headless report, the verdicts and the tests all read this
 * snapshot; none of them re-derives state from the trace or the world.  The
 * model never touches the world after ls_model_new(): it sees only events.
 */
#ifndef LS_MODEL_H
#define LS_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "lockstep/event.h"
#include "lockstep/objects.h"

struct ls_world;
struct ls_model;

#define LS_ACTOR_NAME_MAX 16
#define LS_SAID_MAX       160
#define LS_HISTORY        16384  /* events kept for the timeline and for tests */
#define LS_OUTPUT_LINES   256    /* said lines kept, all actors */
#define LS_FILE_SHOWN     (LS_TEXT_MAX)

enum ls_actor_state {
	LS_AS_NEW,       /* spawned, nothing recorded yet */
	LS_AS_RUNNING,   /* between probes */
	LS_AS_GATE,      /* parked at its gate; op/obj/line is the pending operation */
	LS_AS_BLOCKED,   /* waiting in a primitive (obj says which) */
	LS_AS_SLEEPING,
	LS_AS_DONE,
	LS_AS_CRASHED,
};

/* A named local an actor recorded (ls_local): its newest value. */
#define LS_LOCALS_MAX 4
struct ls_model_local {
	char name[LS_NOTE_NAME_MAX];
	int64_t value;
};

struct ls_model_actor {
	char name[LS_ACTOR_NAME_MAX];
	int role;
	int index;
	enum ls_actor_state state;
	int op;              /* enum ls_op of the current or pending operation */
	int obj;             /* its object, or -1 */
	int line;            /* its source line, 0 before the first probe */
	int64_t arg;         /* its argument (sleep ms, timeout, value to store) */
	int notified;        /* waiting on a condition and notified */
	uint64_t block_seq;  /* when it started waiting: orders wait queues */
	uint64_t t_block;    /* when it started waiting or sleeping */
	uint64_t begin_seq;  /* the model's event count when it asked for its operation */
	int waited;          /* has waited since it last moved */
	int handoff;         /* its last event took a lock or semaphore it had waited for,
	                        or that another actor held just before */
	int nholds;          /* objects it holds (locks and semaphores) */
	uint64_t nevents;
	int crash_signal;
	int cut;             /* done, but stopped where it was (EXIT with phase FAIL): a
	                        daemon cut off at the program's end, or an abort */
	char said[LS_SAID_MAX];      /* last complete line said */
	char partial[LS_SAID_MAX];   /* a line being assembled from PART chunks */
	int nlocals;                 /* its named locals, in the order first recorded */
	struct ls_model_local locals[LS_LOCALS_MAX];
	/* Processes: its pid (a thread: its tid), the actor that forked it
	 * (-1: the engine started it) and, once reaped, its exit status. */
	int os_id;
	int parent;
	int exit_code;       /* -1 until a waitpid() saw it */
};

/* A fresh program an actor started (ls_spawn): the process tree's leaves. */
#define LS_MODEL_PROCS 64
struct ls_model_proc {
	int pid;
	int actor;           /* who started it */
	int exited;          /* reaped */
	int status;          /* exit status, or the signal (killed = 1) */
	int killed;
	uint64_t t_start, t_end;
};

/*
 * A pipe as the model sees it: per sending end (end e sends toward e ^ 1),
 * the messages in flight, oldest first, and totals.  A message is in flight
 * from the moment part of it is in the kernel's buffer (a send's BLOCK with
 * LS_PIPE_ENTERED, or its DONE) until a receive at the other end returns it.
 */
#define LS_PIPE_LISTED 64   /* messages listed per end; counts go on past it */

struct ls_pipe_msg {
	int64_t value;
	long size;
	int tag;
};

struct ls_model_pipe_end {
	long msgs, bytes;            /* in flight (bytes: of frames, header included,
	                                as far as the kernel has taken them) */
	int partial;                 /* the newest is still being written */
	long partial_in;             /* bytes of it the kernel took before it was full */
	long sent, received;         /* messages, in all */
	long long bytes_sent;        /* payload bytes, in all */
	int nlisted;                 /* the oldest min(msgs, LS_PIPE_LISTED) */
	int overflow;                /* more were in flight than listed: no order check */
	struct ls_pipe_msg listed[LS_PIPE_LISTED];
};

struct ls_model_pipe {
	int nconn;
	long msg_size;               /* the payload whose room was measured */
	long frame;                  /* its bytes on the wire, header included */
	long cap_msgs;               /* whole such messages that fit each way */
	long toward[2];              /* messages in flight toward side 0 and side 1 */
	long out_of_order;           /* receives that did not get the oldest in flight */
	long torn;                   /* receives of bytes that were not a whole message */
	struct ls_model_pipe_end *ends;   /* 2 * nconn */
};

/*
 * A pool as the model sees it: its task queue is the object's items (value
 * of them, oldest first); which task each worker runs; the results in the
 * order the workers handed them back, and how many the parent has taken.
 */
struct ls_model_pool_result {
	int64_t task, value;
	int worker;          /* the actor that ran it */
};

struct ls_model_pool {
	int workers;
	int closed;
	long submitted, taken, finished, collected;
	int running_now, max_running;   /* tasks being run at once, now and at most */
	int64_t *running;    /* per actor: the task it runs, or -1 */
	long *done_by;       /* per actor: tasks it finished */
	struct ls_model_pool_result *results;   /* finished of them, LS_QUEUE_CAP at most */
};

/*
 * A network as the model sees it: whether it listens, and each connection
 * made to it - who made it, who accepted it, whether its client passed the
 * key, which ends are closed.  The messages in flight are its pipe's (a
 * network's object has both).
 */
struct ls_model_conn {
	int used, accepted, authed, refused;
	int client, server;          /* actors, -1 */
	int port;                    /* the client's own port */
	int closed[2];               /* an end closed by its side (or its process died) */
	int eof_seen[2];             /* a receive at this side saw the other's end */
};

struct ls_model_net {
	int listening;               /* 0 not yet, 1 listening, 2 closed */
	int port;
	int listener;                /* the actor that listens, or -1 */
	long connects, accepts, refused, auth_failed;
	int nconns;                  /* slots ever used */
	struct ls_model_conn conns[LS_NET_CONNS_MAX];
};

struct ls_model_obj {
	char name[LS_NAME_MAX];
	int kind;            /* enum ls_obj_kind */
	long init;
	long bound;
	long value;          /* var: value; sem: count; event: flag; mutex: its owner's depth */
	int owner;           /* mutex: owning actor or -1 */
	int any_releaser;    /* mutex: a Python Lock, which any thread may release */
	int holders;         /* semaphore: acquired and not yet released */
	int max_holders;     /* semaphore: most holders at once; mutex: deepest hold */
	long refused;        /* bounded semaphore: releases refused */
	int last_releaser;   /* mutex, semaphore: who last let go of it, or -1 */
	uint64_t last_release_seq;  /* the model's event count then */
	uint64_t nops;
	char text[LS_FILE_SHOWN + 1];  /* file: start of its last contents */
	/* queue: value is how many items it holds, these, oldest first */
	int64_t *items;
	long unfinished;     /* queue: items put and not yet marked done */
	struct ls_model_pipe *pipe;   /* pipe: what is in flight each way */
	struct ls_model_pool *pool;   /* pool: its workers and results */
	struct ls_model_net *net;     /* network: its listener and connections */
	char host[48];                /* network: the address it listens at */
};

/*
 * A span: an actor blocked, sleeping or holding an object from t0 to t1
 * (CLOCK_MONOTONIC ns), closed when it ended.  The export draws them.
 */
enum ls_span_kind { LS_SPAN_BLOCKED, LS_SPAN_SLEEPING, LS_SPAN_HOLDS };

struct ls_span {
	uint64_t t0, t1;
	int actor;
	int obj;             /* LS_SPAN_HOLDS and LS_SPAN_BLOCKED: the object, or -1 */
	enum ls_span_kind kind;
	int op;              /* LS_SPAN_BLOCKED, LS_SPAN_SLEEPING: the operation */
};

/* Called after every event the model applies (see ls_model_watch). */
typedef void (*ls_model_watcher)(void *ctx, const struct ls_model *m,
                                 const struct ls_event *e);
#define LS_MODEL_WATCHERS 4

struct ls_output_line {
	int actor;
	char text[LS_SAID_MAX];
};

struct ls_model {
	int nactors;
	int nobjs;
	struct ls_model_actor *actors;
	struct ls_model_obj objs[LS_MAX_OBJS];
	uint64_t events;         /* events applied */
	uint64_t dropped;        /* events that never reached the model */
	uint64_t ring_drops;     /* of which lost to full rings */
	uint64_t wait_seq;
	int ndone;
	int ncrashed;
	uint64_t t_first, t_last;
	/* The last LS_HISTORY events: history[i % LS_HISTORY] for i from
	 * nhistory - min(nhistory, LS_HISTORY) up to nhistory - 1, oldest first. */
	struct ls_event history[LS_HISTORY];
	uint64_t nhistory;
	struct ls_output_line output[LS_OUTPUT_LINES];
	uint64_t noutput;
	/* Hold depth of actor a on object o: holds[a * nobjs + o]. */
	uint32_t *holds;
	uint64_t *hold_t0;       /* when that hold began, same layout */
	/* threading.local objects: actor a's own value of o, same layout, and
	 * whether it has one (set, and its thread has not ended). */
	int64_t *locals;
	uint8_t *local_has;
	/* Closed spans, kept when keep_spans is set (the export asks). */
	int keep_spans;
	struct ls_span *spans;
	size_t nspans, spans_cap;
	uint64_t spans_lost;
	int *scratch;            /* nactors ints for the readers' own sorting */
	uint64_t *scratch_keys;
	struct { ls_model_watcher fn; void *ctx; } watch[LS_MODEL_WATCHERS];
	int nwatch;
	/* The scenario's own fold (see struct ls_scenario). */
	void (*fold)(void *acc, const struct ls_model *m, const long *params,
	             const struct ls_event *e);
	void *fold_state;
	const long *fold_params;
	/* Programs started with ls_spawn, in the order they started (the
	 * first LS_MODEL_PROCS; nprocs counts on). */
	struct ls_model_proc procs[LS_MODEL_PROCS];
	int nprocs;
	/* What the actors are (enum ls_actor_kind): the run sets it, so a
	 * verdict can say what Python would do with processes, not threads. */
	int actor_kind;
	/* Actors that never started are not listed (a Python program's slots
	 * for the threads it may start): the run sets it. */
	int hide_unstarted;
};

/* One row of the process tree (tree.c): an actor (proc -1) or a program
 * it started (proc indexes m->procs), depth 0 for what the run started. */
struct ls_tree_row {
	int actor;
	int proc;
	int depth;
};

/* Objects are copied from the world's table; actor names from names[]. */
struct ls_model *ls_model_new(const struct ls_world *w, int nactors,
                              const char *const *names, const int *roles,
                              const int *indices);
void ls_model_free(struct ls_model *m);
/* Attach a scenario's fold: size bytes of zeroed state, params as the run's. */
int ls_model_set_fold(struct ls_model *m, size_t size,
                      void (*fold)(void *, const struct ls_model *, const long *,
                                   const struct ls_event *),
                      const long *params);
/* The fold's state, or NULL when the scenario has none. */
const void *ls_model_fold_state(const struct ls_model *m);
void ls_model_apply(struct ls_model *m, const struct ls_event *e);
/* Events that never reached the model: lost to full rings (the drain's
 * total so far, which only grows) and lost by the drain itself. */
void ls_model_set_ring_drops(struct ls_model *m, uint64_t total);
void ls_model_add_lost(struct ls_model *m, uint64_t n);

int ls_model_finished(const struct ls_model *m);
/* The process tree, depth first: every actor once, each after the actor
 * that forked it, and each program after the actor that started it; fills
 * at most max rows and returns how many.  ls_model_tree_size() rows hold
 * it all.  Uses the model's scratch: one reader at a time. */
int ls_model_tree(const struct ls_model *m, struct ls_tree_row *rows, int max);
int ls_model_tree_size(const struct ls_model *m);
/* Is actor a listed (see hide_unstarted)?  How many are. */
int ls_model_shown(const struct ls_model *m, int a);
int ls_model_nshown(const struct ls_model *m);
/* The oldest event still kept, and event i (first <= i < nhistory) of the
 * run: the history is a ring of the last LS_HISTORY. */
uint64_t ls_model_history_first(const struct ls_model *m);
const struct ls_event *ls_model_history_at(const struct ls_model *m, uint64_t i);
/* Index of the object called name, or -1. */
int ls_model_find(const struct ls_model *m, const char *name);
/* A variable's value by name (0 if there is none). */
long ls_model_var(const struct ls_model *m, const char *name);
/* Can this parked actor's pending operation proceed now? */
int ls_model_can_proceed(const struct ls_model *m, int actor);
/* Waiting actors of an object in arrival order; returns how many (<= max).
 * Any number of them: ls_model_nwaiters() says how many there are. */
int ls_model_waiters(const struct ls_model *m, int obj, int *out, int max);
int ls_model_nwaiters(const struct ls_model *m, int obj);
/* Where connection c of a network stands, one word for the views: "backlog"
 * (made, not yet accepted), "reset" (the listener closed before accepting
 * it), "handshake" (accepted, the key not yet checked), "authenticated" or
 * "refused" (the wrong key).  English (--json uses it); marked N_() so a
 * view shows _() of it. */
const char *ls_model_conn_state(const struct ls_model_net *n, int c);
/* Actors holding a mutex or semaphore; returns how many (<= max). */
int ls_model_holders(const struct ls_model *m, int obj, int *out, int max);
/* How many times actor holds obj (a reentrant lock: its depth); 0 if not. */
unsigned ls_model_hold_depth(const struct ls_model *m, int actor, int obj);
/* A threading.local's value as this actor sees it: 1 and *value when the
 * actor has set one and not ended, else 0. */
int ls_model_local(const struct ls_model *m, int obj, int actor, long *value);
/* Call fn after every event applied from now on (at most LS_MODEL_WATCHERS);
 * 0, or -1 when full.  For views that draw the run's past (the timeline). */
int ls_model_watch(struct ls_model *m, ls_model_watcher fn, void *ctx);
/* Keep closed spans (blocked, sleeping, holding) from now on. */
void ls_model_keep_spans(struct ls_model *m);
/* What a parked actor's pending operation is waiting for: the object whose
 * state decides it (a lock, a semaphore, an event, a condition's mutex), or -1. */
int ls_model_wait_obj(const struct ls_model *m, int actor);
/*
 * A deadlock: every unfinished actor waits and none can proceed.  With
 * gated = 1 parked actors count as waiting.  Writes who waits for what (and
 * the cycle of lock owners, when there is one) and returns 1; else 0.
 */
/*
 * Actors that wait, in a cycle, for a Python program's own locks (each held
 * by the next): stuck for good even while other actors still run (004's
 * main thread spinning on active_count()).  1 with why filled, else 0.
 */
int ls_model_lock_cycle(const struct ls_model *m, char *why, size_t len);
int ls_model_deadlock(const struct ls_model *m, int gated, char *why, size_t len);
/* One event in words ("T1 load balance -> 0"); 0 when it says nothing to
 * a person (an operation about to begin, a chunk of a longer line). */
int ls_model_event_text(const struct ls_model *m, const struct ls_event *e, char *buf,
                        size_t len);
/* The state as a class sees it: running, ready, blocked, waiting, sleeping... */
const char *ls_model_state_word(const struct ls_model *m, int actor);
/* What it is about: "next: load balance (line 46)", "on lock 'lock' held by T1
 * (line 45)", "10 ms (line 48)"; "" when there is nothing to add. */
void ls_model_detail(const struct ls_model *m, int actor, char *buf, size_t len);
/* The same, naming the line as line (the Python's, when that is shown). */
void ls_model_detail_at(const struct ls_model *m, int actor, int line, char *buf, size_t len);
/* Both: "blocked, wants lock 'lock' held by T2 (line 45)". */
void ls_model_describe(const struct ls_model *m, int actor, char *buf, size_t len);

const char *ls_actor_state_name(enum ls_actor_state st);

/* A pipe's room: would a message of size bytes sent from end fit now, or
 * start at all (an empty direction takes the first bytes of any message)? */
int ls_model_pipe_room(const struct ls_model *m, int obj, int end, long size);

#endif
