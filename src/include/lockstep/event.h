/*
 * lockstep/event.h - what an actor did, as one trace event.
 *
 * Public: a scenario's fold (struct ls_scenario) sees these events.  What
 * each operation means - what it reads and writes, what it acquires or
 * releases, what it may wait for, how it reads to a person - is written once,
 * in the operation table (src/model/op.h); nothing else switches over ops.
 *
 * The list of operations is an X-macro so that the enum, the table and the
 * test that walks every operation through every consumer cannot drift.
 */
#ifndef LOCKSTEP_EVENT_H
#define LOCKSTEP_EVENT_H

#include <stdint.h>

/* X(NAME, what its fields carry) */
#define LS_OP_LIST(X)                                                         \
	X(START,       "actor began its body")                                   \
	X(EXIT,        "actor returned from its body")                           \
	X(CRASH,       "actor died (synthesized by the parent): a = signal")     \
	X(LOAD,        "a = value read")                                         \
	X(STORE,       "a = value written, b = value overwritten")               \
	X(ADD,         "atomic read-modify-write: a = new value, b = delta")     \
	X(LOCK,        "DONE: a = depth held after (1, or more on re-entry)")    \
	X(UNLOCK,      "DONE: a = depth held after; FAIL = not the owner")       \
	X(SEM_ACQUIRE, "a = count after")                                        \
	X(SEM_RELEASE, "a = count after; FAIL = refused (bounded)")              \
	X(EVENT_SET,   "")                                                       \
	X(EVENT_CLEAR, "")                                                       \
	X(EVENT_WAIT,  "a = timeout in ms or -1; DONE b = 1 set, FAIL timed out") \
	X(SLEEP,       "a = milliseconds asked, b = milliseconds slept")         \
	X(SAY,         "text; phase PART for all but the last chunk")            \
	X(COND_WAIT,   "obj = condition, a = mutex object id")                   \
	X(COND_SIGNAL, "b = 1 for broadcast")                                    \
	X(FILE_READ,   "text = first bytes read")                                \
	X(FILE_WRITE,  "text = first bytes written")                             \
	X(EVENT_TEST,  "is_set(): b = flag seen")                                \
	X(FINAL,       "the run's end, from the parent: a = a variable's value")    \
	X(QUEUE_PUT,   "BEGIN a = timeout or -1; DONE a = item, b = size after; FAIL = full") \
	X(QUEUE_GET,   "BEGIN a = timeout or -1; DONE a = item, b = size after; FAIL = empty") \
	X(TASK_DONE,   "DONE a = unfinished tasks after; FAIL = more than were put") \
	X(QUEUE_JOIN,  "waits until every item put has been marked done")          \
	X(JOIN,        "Thread.join / Process.join: a = the actor waited for")   \
	X(PIPE_SEND,   "a = LS_PIPE_WORD(end, size, flags, tag), b = value; BLOCK with LS_PIPE_ENTERED: partly written") \
	X(PIPE_RECV,   "a = LS_PIPE_WORD(end, size, flags, tag), b = value; FAIL = a torn message") \
	X(PRIVATE_LOAD,"a process-private variable (obj) read: a = value")      \
	X(PRIVATE_STORE,"a process-private variable (obj) written: a = value, b = value overwritten") \
	X(FORK,        "os.fork(): DONE a = the child actor, b = its pid; FAIL b = LS_REFUSED_DAEMON: refused") \
	X(WAIT_CHILD,  "os.waitpid(): a = the child actor; DONE b = its exit status") \
	X(SPAWN,       "a fresh program started (fork + exec): DONE a = its pid, b = its slot; FAIL = cannot (b = LS_REFUSED_DAEMON: refused)") \
	X(PROC_READ,   "a line of a started program's output: a = its pid, b = bytes; FAIL = end of output") \
	X(PROC_WAIT,   "communicate() / wait(): a = its pid; DONE b = its exit status, FAIL = killed") \
	X(LOCAL_STORE, "threading.local, this actor's own slot: a = value, b = its old one") \
	X(LOCAL_LOAD,  "threading.local, this actor's own slot: a = value; FAIL = never set") \
	X(NOTE,        "a named local value (u.note): recorded, not a step")              \
	X(POOL_SUBMIT, "apply_async: DONE a = task, b = tasks queued after; FAIL = the pool is closed") \
	X(POOL_TAKE,   "a worker takes the next task: DONE a = task, b = queued after; FAIL = closed, none left") \
	X(POOL_FINISH, "a worker hands back its task's result: a = task, b = result") \
	X(POOL_COLLECT,"the parent takes the oldest result: DONE a = task, b = result") \
	X(POOL_CLOSE,  "close(): no more tasks; idle workers end") \
	X(NET_LISTEN,  "a TCP listener: DONE a = its port; FAIL a = errno")            \
	X(NET_ACCEPT,  "DONE a = the connection, b = the client's port; FAIL a = errno") \
	X(NET_CONNECT, "DONE a = the connection, b = its own port; FAIL a = LS_NET_WHY_*, b = errno") \
	X(NET_SEND,    "a = LS_PIPE_WORD(end, size, 0, tag), b = value; FAIL b = LS_NET_WHY_*") \
	X(NET_RECV,    "a = LS_PIPE_WORD(end, size, 0, tag), b = value; FAIL b = LS_NET_WHY_*") \
	X(NET_POLL,    "a server's wait for work: DONE a = the end with a message (b = 1) or its end of file (b = 2), or -1: a connection to accept (b = 0)") \
	X(NET_AUTH,    "a client's wait for the verdict on its digest: a = LS_PIPE_WORD; DONE welcome; FAIL b = LS_NET_WHY_*") \
	X(NET_CLOSE,   "a = the end closed, or -1: the listener")                \
	X(PY_LINE,     "a Python program's line about to run: a = the line")        \
	X(PY_INSTR,    "a Python bytecode instruction about to run: text = as dis names it") \
	X(THREAD_START,"Thread.start(): DONE a = the new thread's actor")          \
	X(OBJ_NAME,    "an object of a Python program named: text = the name, then its value (8 bytes); not a step")

enum ls_op {
#define LS_OP_ENUM(name, doc) LS_OP_##name,
	LS_OP_LIST(LS_OP_ENUM)
#undef LS_OP_ENUM
	LS_OP__COUNT
};

/* Where in the operation the actor is. */
enum ls_phase {
	LS_PH_BEGIN,  /* about to do it (in controlled modes: parked at its gate) */
	LS_PH_BLOCK,  /* could not proceed at once and is waiting */
	LS_PH_DONE,   /* completed (lock acquired, value read, ...) */
	LS_PH_FAIL,   /* refused or timed out */
	LS_PH_PART,   /* a chunk of text continued by the next event */
	LS_PH__COUNT
};

#define LS_NO_OBJ   0xffffu
#define LS_NO_ACTOR 0xffffu   /* events the parent observes itself */
#define LS_TEXT_MAX 40
#define LS_NOTE_NAME_MAX 24   /* a local's name, NUL included */
/* A fork's or spawn's FAIL with this b: refused because the caller is a
 * daemon process (multiprocessing: "daemonic processes are not allowed to
 * have children"). */
#define LS_REFUSED_DAEMON 1
/* A queue item that stands for Python's None (a consumer's stop sign). */
#define LS_QUEUE_NONE INT64_MIN

/*
 * A pipe operation's a: the end it uses, the message's payload bytes, its
 * tag (enum ls_msg_tag) and flags; a send's BLOCK with LS_PIPE_ENTERED also
 * says how many bytes of the message (header included) the kernel took
 * before it was full.  Carried by every phase, so the model knows which end
 * a parked or blocked actor waits on.  A receive with LS_PIPE_ANY takes from
 * any connection's end on the side (end & 1); its DONE names the end the
 * message came in at.  Payloads are below 1 << 23 bytes.
 */
#define LS_PIPE_ANY      (1 << 10)
#define LS_PIPE_ENTERED  (1 << 11)   /* a send's BLOCK: part of it is in the pipe */
#define LS_PIPE_WORD(end, size, flags, tag) \
	(((int64_t)(size) << 16) | ((int64_t)(tag) << 12) | (int64_t)(flags) | (int64_t)(end))
#define LS_PIPE_WITH_WRITTEN(w, n) ((w) | ((int64_t)(n) << 40))
#define LS_PIPE_END(w)     ((int)((w) & 1023))
#define LS_PIPE_TAG(w)     ((int)(((w) >> 12) & 15))
#define LS_PIPE_SIZE(w)    ((long)(((w) >> 16) & 0xffffff))
#define LS_PIPE_WRITTEN(w) ((long)(((w) >> 40) & 0x7fffff))

/* Why a network operation failed (a connect's a, a receive's or send's b). */
enum ls_net_why {
	LS_NET_WHY_NONE,
	LS_NET_WHY_KEY,       /* the server said the digest does not match its key */
	LS_NET_WHY_CLOSED,    /* the other end closed the connection (end of file) */
	LS_NET_WHY_REFUSED,   /* nobody listens at the address any more */
	LS_NET_WHY_ERROR,     /* another error (errno in the other value) */
};

/* One event: 64 bytes, one cache line. */
struct ls_event {
	uint64_t t_ns;      /* CLOCK_MONOTONIC */
	uint32_t seq;       /* per-actor sequence number, from 0 */
	uint16_t actor;
	uint8_t  op;        /* enum ls_op */
	uint8_t  phase;     /* enum ls_phase */
	uint16_t obj;       /* object id or LS_NO_OBJ */
	uint16_t pad;
	int32_t  line;      /* scenario source line */
	union {
		struct { int64_t a, b; } v;
		char text[LS_TEXT_MAX];  /* not NUL-terminated when full */
		struct {                 /* LS_OP_NOTE: value in a, as in v */
			int64_t value, pad;
			char name[LS_NOTE_NAME_MAX];
		} note;
	} u;
};

_Static_assert(sizeof(struct ls_event) == 64, "an event is one cache line");

const char *ls_op_name(enum ls_op op);
const char *ls_phase_name(enum ls_phase ph);

#endif
