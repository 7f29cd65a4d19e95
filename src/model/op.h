/*
 * op.h - the operation table: what each operation means, written once.
 *
 * One const entry per enum ls_op (lockstep/event.h).  The model, the race
 * detector, the explorer's independence test, the Chrome export, the log
 * sentences and the report all read it; none of them switches over the
 * operation kinds.  Adding an operation is one line in LS_OP_LIST, one entry
 * here and its effect in model.c; tests/check_op.c walks every operation
 * through every consumer and fails on a half-handled one.
 */
#ifndef LS_OP_H
#define LS_OP_H

#include <stddef.h>

#include "lockstep/event.h"

/* How a completed operation touches its object's value. */
enum ls_op_access {
	LS_ACC_NONE,
	LS_ACC_READ,      /* reads it (load, file read, is_set, a wait that sees it) */
	LS_ACC_WRITE,     /* overwrites it (store, file write, set, clear) */
	LS_ACC_UPDATE,    /* one atomic read-modify-write (add) */
};

/* What an operation may wait for before it completes. */
enum ls_op_wait {
	LS_WAIT_NONE,
	LS_WAIT_LOCK,     /* its object (a mutex, or a file's flock) to be free */
	LS_WAIT_COUNT,    /* its semaphore's count to be above zero */
	LS_WAIT_FLAG,     /* its event's flag to be set (or its timeout) */
	LS_WAIT_NOTIFY,   /* a notify on its condition, then the mutex back */
	LS_WAIT_TIME,     /* a sleep */
	LS_WAIT_ROOM,     /* room in its queue (or its timeout) */
	LS_WAIT_ITEM,     /* an item in its queue (or its timeout) */
	LS_WAIT_DRAINED,  /* every item put in its queue marked done */
	LS_WAIT_ACTOR,    /* the actor named by a to finish */
	LS_WAIT_PIPE_ROOM,  /* room for its message in its pipe (a names the end) */
	LS_WAIT_PIPE_DATA,  /* a message arriving at its end of a pipe */
	LS_WAIT_PROGRAM,  /* a program it started, running in real time even when
	                     stepped: never stuck, never waits for an actor */
	LS_WAIT_TASK,     /* a task in its pool's queue, or the pool closed */
	LS_WAIT_RESULT,   /* a result handed back to its pool and not yet taken */
	LS_WAIT_NET_LISTEN,   /* its network to be listening (or closed: refused at once) */
	LS_WAIT_NET_PENDING,  /* a connection to its network not yet accepted */
	LS_WAIT_NET_READY,    /* a server's work: a connection, a message, a client gone */
	LS_WAIT_NET_DATA,     /* a message at its end (a names it), or the other end closed */
};

/* Flags. */
enum {
	LS_OPF_LIFECYCLE  = 1u << 0,  /* start, exit, crash: no object, no cursor move */
	LS_OPF_PARENT     = 1u << 1,  /* recorded by the parent, not an actor */
	LS_OPF_TEXT       = 1u << 2,  /* carries text, not values */
	LS_OPF_ACQUIRE    = 1u << 3,  /* DONE: takes what was released through obj */
	LS_OPF_RELEASE    = 1u << 4,  /* DONE: publishes through obj */
	LS_OPF_IF_SEEN    = 1u << 5,  /* ACQUIRE only when b says the flag was set */
	LS_OPF_HOLD       = 1u << 6,  /* DONE: the actor holds obj (lock, semaphore) */
	LS_OPF_UNHOLD     = 1u << 7,  /* DONE: the actor lets go of obj */
	LS_OPF_MUTEX_ARG  = 1u << 8,  /* a names a mutex: let go on BLOCK, retaken on DONE */
	LS_OPF_ORDERED    = 1u << 9,  /* two of these never commute (said lines) */
	LS_OPF_FREE       = 1u << 10, /* commutes with everything (a sleep) */
	LS_OPF_ENTRY      = 1u << 11, /* the actor's first record: not a step of its own */
	LS_OPF_FATAL      = 1u << 12, /* the actor died */
	LS_OPF_ENDS       = 1u << 13, /* the actor's last event: publishes all it did */
	LS_OPF_JOINS      = 1u << 14, /* DONE: takes all that actor a did */
	LS_OPF_BLOCK_EFFECT = 1u << 15, /* BLOCK changes the object too (a send partly in) */
	LS_OPF_ACTOR_ARG  = 1u << 16, /* a names an actor (%A), without waiting for it */
	LS_OPF_NOTE       = 1u << 17, /* records a value between steps: no step, no cursor move */
	LS_OPF_STARTS     = 1u << 18, /* DONE: the actor a starts after all this one did */
	LS_OPF_NAMES      = 1u << 19, /* names its object (text): no step, no cursor move */
};

/* When a phase's other sentence applies instead of its usual one. */
enum ls_op_when {
	LS_WHEN_NEVER,
	LS_WHEN_B_ZERO,
	LS_WHEN_B_NONZERO,
	LS_WHEN_B_NOT_A,
	LS_WHEN_A_ABOVE_1,
	LS_WHEN_A_ABOVE_0,
	LS_WHEN_A_NEG,
	LS_WHEN_B_NOT_1,
};

/*
 * Sentences are templates: %w the actor, %o the object, %a and %b the
 * event's values, %i the value a as a queue item (None for LS_QUEUE_NONE),
 * for pipes (a = LS_PIPE_WORD, b = the value): %E the end ("end 1", "any end
 * on side 1"), %m the message by its tag ("42", "get", "set 99"), %N its
 * size (", 100000 bytes", nothing for none),
 * %A the actor that a names, %n a local's name (LS_OP_NOTE), %t its text, %% a percent sign.  NULL: the phase says
 * nothing in the log (BEGIN is the actors pane's business).
 */
struct ls_op_info {
	const char *name;             /* "load": the JSON, export and log word */
	enum ls_op_access access;
	enum ls_op_wait wait;
	unsigned flags;
	const char *pending;          /* "load %o": what a parked actor will do */
	const char *say[LS_PH__COUNT];
	struct {                      /* one conditional variant of one phase */
		enum ls_phase phase;
		enum ls_op_when when;
		const char *say;
	} alt;
};

const struct ls_op_info *ls_op_info(int op);
/* The sentence for a completed, blocked or refused event ("T1 load balance
 * -> 0"), with the names of the actor, its object and (a join's) target; returns 0 when the event says
 * nothing to a person (BEGIN, PART), else 1. */
int ls_op_sentence(const struct ls_event *e, const char *who, const char *obj,
                   const char *target, char *buf, size_t len);
/* What a parked actor is about to do ("load balance", "sleep 10 ms");
 * target: the actor arg names, for a join. */
void ls_op_pending_text(int op, const char *obj, long long arg, const char *target,
                        char *buf, size_t len);
/* Reads of the object that commute with each other. */
int ls_op_reads_only(int op);
/* The mutex a phase of this event takes or lets go of, through a, or -1. */
int ls_op_mutex_arg(const struct ls_event *e);

/* A message in flight by its tag (enum ls_msg_tag): "put 240", "digest 3f2a...". */
void ls_op_message_text(int tag, long long value, char *buf, size_t len);

#endif
