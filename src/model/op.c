/*
 * op.c - the operation table (see op.h) and the sentences built from it.
 * Pure data and string formatting: no model, no world, no I/O.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "lockstep/i18n.h"
#include "lockstep/objects.h"
#include "model/op.h"

#define SAY(b, k, d, f, p) { [LS_PH_BEGIN] = (b), [LS_PH_BLOCK] = (k), \
                             [LS_PH_DONE] = (d), [LS_PH_FAIL] = (f), [LS_PH_PART] = (p) }

static const struct ls_op_info op_table[LS_OP__COUNT] = {
	[LS_OP_START] = {
		.name = "start", .flags = LS_OPF_LIFECYCLE | LS_OPF_ENTRY, .pending = N_("start"),
		.say = SAY(NULL, NULL, N_("%w starts"), NULL, NULL),
	},
	[LS_OP_EXIT] = {
		.name = "exit", .flags = LS_OPF_LIFECYCLE | LS_OPF_ENDS, .pending = N_("exit"),
		/* FAIL: left from inside a probe (a daemon at the program's end, an abort) */
		.say = SAY(NULL, NULL, N_("%w finishes"), N_("%w is cut off"), NULL),
	},
	[LS_OP_CRASH] = {
		.name = "crash", .flags = LS_OPF_LIFECYCLE | LS_OPF_FATAL | LS_OPF_ENDS, .pending = N_("crash"),
		.say = SAY(NULL, NULL, N_("%w crashed (signal %a)"), N_("%w crashed (signal %a)"), NULL),
	},
	[LS_OP_LOAD] = {
		.name = "load", .access = LS_ACC_READ, .pending = N_("load %o"),
		.say = SAY(NULL, NULL, N_("%w load %o -> %a"), NULL, NULL),
	},
	[LS_OP_STORE] = {
		.name = "store", .access = LS_ACC_WRITE, .pending = N_("store %o"),
		.say = SAY(NULL, NULL, N_("%w store %o = %a (was %b)"), NULL, NULL),
	},
	[LS_OP_ADD] = {
		.name = "add", .access = LS_ACC_UPDATE, .pending = N_("add %o"),
		.say = SAY(NULL, NULL, N_("%w add %o %+b -> %a"), NULL, NULL),
	},
	[LS_OP_LOCK] = {
		.name = "lock", .wait = LS_WAIT_LOCK,
		.flags = LS_OPF_ACQUIRE | LS_OPF_HOLD, .pending = N_("lock %o"),
		.say = SAY(NULL, N_("%w blocks on lock '%o'"), N_("%w acquires lock '%o'"),
		           N_("%w could not take lock '%o'"), NULL),
		.alt = { LS_PH_DONE, LS_WHEN_A_ABOVE_1, N_("%w re-enters lock '%o' (depth %a)") },
	},
	[LS_OP_UNLOCK] = {
		.name = "unlock", .flags = LS_OPF_RELEASE | LS_OPF_UNHOLD, .pending = N_("unlock %o"),
		.say = SAY(NULL, NULL, N_("%w releases lock '%o'"),
		           N_("%w may not release lock '%o': it does not hold it"), NULL),
		.alt = { LS_PH_DONE, LS_WHEN_A_ABOVE_0, N_("%w releases lock '%o' once (still held, depth %a)") },
	},
	[LS_OP_SEM_ACQUIRE] = {
		.name = "acquire", .wait = LS_WAIT_COUNT,
		.flags = LS_OPF_ACQUIRE | LS_OPF_HOLD, .pending = N_("acquire %o"),
		.say = SAY(NULL, N_("%w waits on semaphore '%o'"), N_("%w acquires semaphore '%o' -> %a"),
		           NULL, NULL),
	},
	[LS_OP_SEM_RELEASE] = {
		.name = "release", .flags = LS_OPF_RELEASE | LS_OPF_UNHOLD,
		.pending = N_("release %o"),
		.say = SAY(NULL, NULL, N_("%w releases semaphore '%o' -> %a"),
		           N_("%w release of '%o' refused (bound)"), NULL),
	},
	[LS_OP_EVENT_SET] = {
		.name = "set", .access = LS_ACC_WRITE, .flags = LS_OPF_RELEASE,
		.pending = N_("set %o"),
		.say = SAY(NULL, NULL, N_("%w sets event '%o'"), NULL, NULL),
	},
	[LS_OP_EVENT_CLEAR] = {
		.name = "clear", .access = LS_ACC_WRITE, .pending = N_("clear %o"),
		.say = SAY(NULL, NULL, N_("%w clears event '%o'"), NULL, NULL),
	},
	[LS_OP_EVENT_WAIT] = {
		.name = "wait", .access = LS_ACC_READ, .wait = LS_WAIT_FLAG,
		.flags = LS_OPF_ACQUIRE | LS_OPF_IF_SEEN, .pending = N_("wait %o"),
		.say = SAY(NULL, N_("%w waits for event '%o'"), N_("%w sees event '%o' set"),
		           N_("%w gives up waiting for '%o'"), NULL),
		.alt = { LS_PH_DONE, LS_WHEN_B_ZERO, N_("%w gives up waiting for '%o'") },
	},
	[LS_OP_SLEEP] = {
		.name = "sleep", .wait = LS_WAIT_TIME, .flags = LS_OPF_FREE,
		.pending = N_("sleep %a ms"),
		.say = SAY(NULL, N_("%w sleeps %a ms"), N_("%w slept %a ms"), NULL, NULL),
		/* Free runs block for real (b = the slowed time). */
		.alt = { LS_PH_BLOCK, LS_WHEN_B_NOT_A, N_("%w sleeps %a ms (%b slowed)") },
	},
	[LS_OP_SAY] = {
		.name = "say", .flags = LS_OPF_TEXT | LS_OPF_ORDERED, .pending = N_("say"),
		.say = SAY(NULL, NULL, N_("%w says \"%t\""), NULL, NULL),
	},
	[LS_OP_COND_WAIT] = {
		.name = "cond-wait", .wait = LS_WAIT_NOTIFY,
		.flags = LS_OPF_ACQUIRE | LS_OPF_MUTEX_ARG, .pending = N_("cond-wait %o"),
		.say = SAY(NULL, N_("%w waits on condition '%o'"), N_("%w wakes on condition '%o'"),
		           NULL, NULL),
	},
	[LS_OP_COND_SIGNAL] = {
		.name = "notify", .flags = LS_OPF_RELEASE, .pending = N_("notify %o"),
		.say = SAY(NULL, NULL, N_("%w notifies '%o'"), NULL, NULL),
		.alt = { LS_PH_DONE, LS_WHEN_B_NONZERO, N_("%w notifies all on '%o'") },
	},
	[LS_OP_FILE_READ] = {
		.name = "read", .access = LS_ACC_READ, .flags = LS_OPF_TEXT,
		.pending = N_("read %o"),
		.say = SAY(NULL, NULL, N_("%w reads %o: \"%t\""), N_("%w cannot read %o"), NULL),
	},
	[LS_OP_FILE_WRITE] = {
		.name = "write", .access = LS_ACC_WRITE, .flags = LS_OPF_TEXT,
		.pending = N_("write %o"),
		.say = SAY(NULL, NULL, N_("%w writes %o: \"%t\""), N_("%w cannot write %o"), NULL),
	},
	[LS_OP_EVENT_TEST] = {
		.name = "is_set", .access = LS_ACC_READ,
		.flags = LS_OPF_ACQUIRE | LS_OPF_IF_SEEN, .pending = N_("is_set %o"),
		.say = SAY(NULL, NULL, N_("%w checks event '%o': clear"), NULL, NULL),
		.alt = { LS_PH_DONE, LS_WHEN_B_NONZERO, N_("%w checks event '%o': set") },
	},
	[LS_OP_QUEUE_PUT] = {
		.name = "put", .access = LS_ACC_WRITE, .wait = LS_WAIT_ROOM,
		.flags = LS_OPF_RELEASE, .pending = N_("put into %o"),
		.say = SAY(NULL, N_("%w waits: queue '%o' is full"), N_("%w puts %i into '%o' (%b in it)"),
		           N_("%w gives up: queue '%o' is full (queue.Full)"), NULL),
	},
	[LS_OP_QUEUE_GET] = {
		.name = "get", .access = LS_ACC_WRITE, .wait = LS_WAIT_ITEM,
		.flags = LS_OPF_ACQUIRE, .pending = N_("get from %o"),
		.say = SAY(NULL, N_("%w waits: queue '%o' is empty"), N_("%w gets %i from '%o' (%b left)"),
		           N_("%w gives up: queue '%o' is empty (queue.Empty)"), NULL),
	},
	[LS_OP_TASK_DONE] = {
		.name = "task_done", .access = LS_ACC_WRITE, .flags = LS_OPF_RELEASE,
		.pending = N_("task_done %o"),
		.say = SAY(NULL, NULL, N_("%w marks a task of '%o' done (%a unfinished)"),
		           N_("%w: task_done() called too many times on '%o' (ValueError)"), NULL),
	},
	[LS_OP_QUEUE_JOIN] = {
		.name = "join", .access = LS_ACC_READ, .wait = LS_WAIT_DRAINED,
		.flags = LS_OPF_ACQUIRE, .pending = N_("join %o"),
		.say = SAY(NULL, N_("%w waits until every task of '%o' is done"),
		           N_("%w sees every task of '%o' done"), NULL, NULL),
	},
	[LS_OP_JOIN] = {
		.name = "join_actor", .wait = LS_WAIT_ACTOR, .flags = LS_OPF_JOINS,
		.pending = N_("join %A"),
		.say = SAY(NULL, N_("%w waits for %A to finish"), N_("%w has seen %A finish"),
		           N_("%w cannot join %A"), NULL),
	},
	[LS_OP_PIPE_SEND] = {
		.name = "send", .access = LS_ACC_WRITE, .wait = LS_WAIT_PIPE_ROOM,
		.flags = LS_OPF_RELEASE | LS_OPF_BLOCK_EFFECT, .pending = N_("send from %E of %o"),
		.say = SAY(NULL, N_("%w blocks sending %m from %E of '%o': the pipe is full"),
		           N_("%w sends %m from %E of '%o'%N"),
		           N_("%w cannot send through '%o' (no such end, or too big)"), NULL),
	},
	[LS_OP_PIPE_RECV] = {
		.name = "recv", .access = LS_ACC_WRITE, .wait = LS_WAIT_PIPE_DATA,
		.flags = LS_OPF_ACQUIRE, .pending = N_("recv at %E of %o"),
		.say = SAY(NULL, N_("%w waits at %E of '%o': nothing to receive"),
		           N_("%w receives %m at %E of '%o'%N"),
		           N_("%w receives a torn message at %E of '%o'"), NULL),
	},
	[LS_OP_POOL_SUBMIT] = {
		.name = "apply_async", .access = LS_ACC_WRITE, .flags = LS_OPF_RELEASE,
		.pending = N_("submit to %o"),
		.say = SAY(NULL, NULL, N_("%w submits task %a to '%o' (%b queued)"),
		           N_("%w cannot submit task %a: pool '%o' is closed (ValueError)"), NULL),
	},
	[LS_OP_POOL_TAKE] = {
		.name = "take_task", .access = LS_ACC_WRITE, .wait = LS_WAIT_TASK,
		.flags = LS_OPF_ACQUIRE, .pending = N_("take a task from %o"),
		.say = SAY(NULL, N_("%w waits for a task of '%o'"),
		           N_("%w takes task %a from '%o' (%b queued)"),
		           N_("%w finds '%o' closed and empty: the worker ends"), NULL),
	},
	[LS_OP_POOL_FINISH] = {
		.name = "hand_back", .access = LS_ACC_WRITE, .flags = LS_OPF_RELEASE,
		.pending = N_("hand back a result to %o"),
		.say = SAY(NULL, NULL, N_("%w hands back task %a's result %b to '%o'"), NULL, NULL),
	},
	[LS_OP_POOL_COLLECT] = {
		.name = "result", .access = LS_ACC_WRITE, .wait = LS_WAIT_RESULT,
		.flags = LS_OPF_ACQUIRE, .pending = N_("take a result from %o"),
		.say = SAY(NULL, N_("%w waits for a result from '%o'"),
		           N_("%w gets task %a's result %b from '%o'"), NULL, NULL),
	},
	[LS_OP_POOL_CLOSE] = {
		.name = "close", .access = LS_ACC_WRITE, .flags = LS_OPF_RELEASE,
		.pending = N_("close %o"),
		.say = SAY(NULL, NULL, N_("%w closes '%o': no more tasks (%a still queued)"), NULL, NULL),
	},
	[LS_OP_PY_LINE] = {
		/* Two lines of a program never commute: a line may touch anything. */
		.name = "line", .flags = LS_OPF_ORDERED, .pending = N_("its next line"),
		.say = SAY(NULL, NULL, N_("%w steps"), NULL, NULL),
	},
	[LS_OP_PY_INSTR] = {
		.name = "instruction", .flags = LS_OPF_TEXT | LS_OPF_ORDERED,
		.pending = N_("the next instruction"),
		.say = SAY(NULL, NULL, N_("%w runs %t"), NULL, NULL),
	},
	[LS_OP_THREAD_START] = {
		.name = "thread_start", .flags = LS_OPF_ACTOR_ARG | LS_OPF_STARTS | LS_OPF_ORDERED,
		.pending = N_("start a thread"),
		.say = SAY(NULL, NULL, N_("%w starts thread %A"), NULL, NULL),
	},
	[LS_OP_OBJ_NAME] = {
		.name = "name", .flags = LS_OPF_TEXT | LS_OPF_NAMES, .pending = "name",
		.say = SAY(NULL, NULL, N_("%w makes '%o'"), NULL, NULL),
	},
	[LS_OP_NOTE] = {
		.name = "note", .flags = LS_OPF_NOTE, .pending = "note",
		.say = SAY(NULL, NULL, "%w: %n = %a", NULL, NULL),
	},
	[LS_OP_PRIVATE_LOAD] = {
		.name = "private_load", .pending = N_("load own %o"),
		.say = SAY(NULL, NULL, N_("%w load own %o -> %a"), NULL, NULL),
	},
	[LS_OP_PRIVATE_STORE] = {
		.name = "private_store", .pending = N_("store own %o"),
		.say = SAY(NULL, NULL, N_("%w store own %o = %a (was %b)"), NULL, NULL),
	},
	[LS_OP_FORK] = {
		.name = "fork", .flags = LS_OPF_ACTOR_ARG, .pending = N_("fork"),
		.say = SAY(NULL, NULL, N_("%w forks: child %A is pid %b"),
		           N_("%w cannot fork"), NULL),
		.alt = { LS_PH_FAIL, LS_WHEN_B_NONZERO, N_("%w may not start a child: daemonic "
		         "processes are not allowed to have children (AssertionError)") },
	},
	[LS_OP_WAIT_CHILD] = {
		.name = "waitpid", .wait = LS_WAIT_ACTOR, .flags = LS_OPF_JOINS,
		.pending = N_("waitpid %A"),
		.say = SAY(NULL, N_("%w waits for its child %A to exit"),
		           N_("%w reaps %A: exit status %b"), N_("%w cannot wait for %A"), NULL),
	},
	[LS_OP_SPAWN] = {
		.name = "spawn", .pending = N_("spawn a program"),
		.say = SAY(NULL, NULL, N_("%w starts a fresh program: pid %a"),
		           N_("%w cannot start its program"), NULL),
		.alt = { LS_PH_FAIL, LS_WHEN_B_NONZERO, N_("%w may not start a child: daemonic "
		         "processes are not allowed to have children (AssertionError)") },
	},
	[LS_OP_PROC_READ] = {
		.name = "proc_read", .wait = LS_WAIT_PROGRAM, .pending = N_("read from pid %a"),
		.say = SAY(NULL, N_("%w waits for output of pid %a"), N_("%w reads %b bytes from pid %a"),
		           N_("%w reads the end of pid %a's output"), NULL),
	},
	[LS_OP_PROC_WAIT] = {
		.name = "proc_wait", .wait = LS_WAIT_PROGRAM, .pending = N_("wait for pid %a"),
		.say = SAY(NULL, N_("%w waits for pid %a to exit"), N_("%w reaps pid %a: exit status %b"),
		           N_("%w reaps pid %a: killed by signal %b"), NULL),
	},
	/*
	 * threading.local: each actor reads and writes only its own slot,
	 * which no other actor can see.  So no access to a shared value (the
	 * race detector has nothing to check), nothing to wait for, and FREE:
	 * they commute with every operation of every other actor.
	 */
	[LS_OP_LOCAL_STORE] = {
		.name = "local_store", .flags = LS_OPF_FREE, .pending = N_("set own %o"),
		.say = SAY(NULL, NULL, N_("%w sets its own %o = %a"),
		           N_("%w cannot set its own %o (out of memory)"), NULL),
	},
	[LS_OP_LOCAL_LOAD] = {
		.name = "local_load", .flags = LS_OPF_FREE, .pending = N_("read own %o"),
		.say = SAY(NULL, NULL, N_("%w reads its own %o -> %a"),
		           N_("%w has no %o of its own (AttributeError)"), NULL),
	},
	/*
	 * A network (TCP): a listener, connections made while the run goes,
	 * framed messages.  A connect waits for the server to listen; an
	 * accept for a connection in the backlog; a server's poll for any work;
	 * a receive (and a client's wait for the verdict on its key) for a
	 * message at its end or the other end's close.
	 */
	[LS_OP_NET_LISTEN] = {
		.name = "listen", .access = LS_ACC_WRITE, .flags = LS_OPF_RELEASE,
		.pending = N_("listen on %o"),
		.say = SAY(NULL, NULL, N_("%w listens on '%o', port %a"),
		           N_("%w cannot listen on '%o' (error %a)"), NULL),
	},
	[LS_OP_NET_ACCEPT] = {
		.name = "accept", .access = LS_ACC_WRITE, .wait = LS_WAIT_NET_PENDING,
		.flags = LS_OPF_ACQUIRE, .pending = N_("accept on %o"),
		.say = SAY(NULL, N_("%w waits for a connection on '%o'"),
		           N_("%w accepts connection %a on '%o' (from port %b)"),
		           N_("%w cannot accept on '%o' (error %a)"), NULL),
	},
	[LS_OP_NET_CONNECT] = {
		.name = "connect", .access = LS_ACC_WRITE, .wait = LS_WAIT_NET_LISTEN,
		.flags = LS_OPF_ACQUIRE | LS_OPF_RELEASE, .pending = N_("connect to %o"),
		.say = SAY(NULL, N_("%w waits for '%o' to listen"),
		           N_("%w connects to '%o': connection %a, from port %b"),
		           N_("%w cannot connect to '%o': %r"), NULL),
	},
	[LS_OP_NET_SEND] = {
		.name = "net_send", .access = LS_ACC_WRITE, .wait = LS_WAIT_PIPE_ROOM,
		.flags = LS_OPF_RELEASE, .pending = N_("send on %C of %o"),
		.say = SAY(NULL, N_("%w blocks sending on %C of '%o': its buffer is full"),
		           N_("%w sends %m on %C of '%o'"),
		           N_("%w cannot send on %C of '%o': %R"), NULL),
	},
	[LS_OP_NET_RECV] = {
		.name = "net_recv", .access = LS_ACC_WRITE, .wait = LS_WAIT_NET_DATA,
		.flags = LS_OPF_ACQUIRE, .pending = N_("recv on %C of %o"),
		.say = SAY(NULL, N_("%w waits on %C of '%o': nothing to receive"),
		           N_("%w receives %m on %C of '%o'"),
		           N_("%w receives nothing on %C of '%o': %R"), NULL),
	},
	[LS_OP_NET_POLL] = {
		.name = "poll", .access = LS_ACC_READ, .wait = LS_WAIT_NET_READY,
		.flags = LS_OPF_ACQUIRE, .pending = N_("poll %o"),
		.say = SAY(NULL, N_("%w waits for work on '%o'"),
		           N_("%w polls '%o': a message on connection %P"),
		           NULL, NULL),
		.alt = { LS_PH_DONE, LS_WHEN_B_NOT_1, N_("%w polls '%o': %Q") },
	},
	[LS_OP_NET_AUTH] = {
		.name = "auth", .access = LS_ACC_WRITE, .wait = LS_WAIT_NET_DATA,
		.flags = LS_OPF_ACQUIRE, .pending = N_("await the verdict on %C of %o"),
		.say = SAY(NULL, N_("%w waits for the verdict on its key on %C of '%o'"),
		           N_("%w is welcome on %C of '%o': its digest matched the key"),
		           N_("%w is refused on %C of '%o': %R"), NULL),
	},
	[LS_OP_NET_CLOSE] = {
		.name = "net_close", .access = LS_ACC_WRITE, .flags = LS_OPF_RELEASE,
		.pending = N_("close %o"),
		.say = SAY(NULL, NULL, N_("%w closes %C of '%o'"), NULL, NULL),
		.alt = { LS_PH_DONE, LS_WHEN_A_NEG, N_("%w closes the listener of '%o': nothing listens now") },
	},
	[LS_OP_FINAL] = {
		.name = "final", .flags = LS_OPF_PARENT, .pending = N_("end"),
		.say = SAY(NULL, NULL, N_("end of run: %o = %a in memory"), NULL, NULL),
	},
};

static const struct ls_op_info op_unknown = {
	.name = "?", .pending = N_("?"),
	.say = SAY(NULL, N_("%w ? (blocked)"), N_("%w ?"), N_("%w ? (refused)"), NULL),
};

const struct ls_op_info *
ls_op_info(int op)
{
	if (op < 0 || op >= LS_OP__COUNT || !op_table[op].name)
		return &op_unknown;
	return &op_table[op];
}

const char *
ls_op_name(enum ls_op op)
{
	return ls_op_info((int)op)->name;
}

const char *
ls_phase_name(enum ls_phase ph)
{
	static const char *const names[LS_PH__COUNT] = {
		[LS_PH_BEGIN] = "begin", [LS_PH_BLOCK] = "block", [LS_PH_DONE] = "done",
		[LS_PH_FAIL] = "fail", [LS_PH_PART] = "part",
	};
	return (unsigned)ph < LS_PH__COUNT ? names[ph] : "?";
}

int
ls_op_reads_only(int op)
{
	return ls_op_info(op)->access == LS_ACC_READ;
}

int
ls_op_mutex_arg(const struct ls_event *e)
{
	return (ls_op_info(e->op)->flags & LS_OPF_MUTEX_ARG) ? (int)e->u.v.a : -1;
}

static int
op_when(enum ls_op_when when, long long a, long long b)
{
	switch (when) {
	case LS_WHEN_NEVER:     return 0;
	case LS_WHEN_B_ZERO:    return b == 0;
	case LS_WHEN_B_NONZERO: return b != 0;
	case LS_WHEN_B_NOT_A:   return b != a;
	case LS_WHEN_A_ABOVE_1: return a > 1;
	case LS_WHEN_A_ABOVE_0: return a > 0;
	case LS_WHEN_A_NEG:     return a < 0;
	case LS_WHEN_B_NOT_1:   return b != 1;
	}
	return 0;
}

/* Printable text of an event: stops at NUL or the end; white space as a
 * space, other control bytes as '?', so nothing reaches a terminal raw. */
static void
op_event_text(const struct ls_event *e, char *buf, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < LS_TEXT_MAX && e->u.text[i] && n + 1 < len; i++) {
		unsigned char c = (unsigned char)e->u.text[i];
		buf[n++] = c == '\n' || c == '\r' || c == '\t' ? ' '
		           : c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	buf[n] = '\0';
}

/* A pipe message by its tag (enum ls_msg_tag): what a person reads. */
static void
op_message(int tag, long long value, char *buf, size_t len)
{
	switch (tag) {
	case LS_MSG_GET:   snprintf(buf, len, value == 1 ? "get result" : "get"); break;
	case LS_MSG_SET:   snprintf(buf, len, "set %lld", value); break;
	case LS_MSG_REPLY: snprintf(buf, len, "reply %lld", value); break;
	case LS_MSG_STOP:  snprintf(buf, len, "stop"); break;
	case LS_MSG_CHALLENGE: snprintf(buf, len, "challenge %llx", (unsigned long long)value); break;
	case LS_MSG_ANSWER:    snprintf(buf, len, "digest %llx", (unsigned long long)value); break;
	case LS_MSG_WELCOME:   snprintf(buf, len, "WELCOME"); break;
	case LS_MSG_FAILURE:   snprintf(buf, len, "FAILURE"); break;
	case LS_MSG_PUT:       snprintf(buf, len, "put %lld", value); break;
	case LS_MSG_TASK:      snprintf(buf, len, "task %lld", value); break;
	case LS_MSG_RESULT:    snprintf(buf, len, "result %lld", value); break;
	case LS_MSG_APPEND:    snprintf(buf, len, "append %lld", value); break;
	case LS_MSG_ITEM:      snprintf(buf, len, "item %lld", value); break;
	default:           snprintf(buf, len, "%lld", value); break;
	}
}

void
ls_op_message_text(int tag, long long value, char *buf, size_t len)
{
	op_message(tag, value, buf, len);
}

/* The text of a network or pipe directive (%E %N %m %C %P %Q %r %R) into piece;
 * returns 0 when c is not one of them. */
static int
op_expand_wire(char c, long long a, long long b, char *piece, size_t size)
{
	switch (c) {
	case 'E':
		if (a & LS_PIPE_ANY)
			snprintf(piece, size, "any end on side %d", LS_PIPE_END(a) & 1);
		else
			snprintf(piece, size, "end %d", LS_PIPE_END(a));
		return 1;
	case 'N':
		piece[0] = '\0';
		if (LS_PIPE_SIZE(a) > 0)
			snprintf(piece, size, ", %ld bytes", LS_PIPE_SIZE(a));
		return 1;
	case 'm':
		op_message(LS_PIPE_TAG(a), b, piece, size);
		return 1;
	case 'C':
		/* a network's end: its connection, and which side */
		snprintf(piece, size, (LS_PIPE_END(a) & 1) ? _("connection %d (client)")
		         : _("connection %d (server)"), LS_PIPE_END(a) >> 1);
		return 1;
	case 'P':
		snprintf(piece, size, "%d", LS_PIPE_END(a) >> 1);
		return 1;
	case 'Q':
		if (b == 0)
			snprintf(piece, size, "%s", _("a connection is waiting to be accepted"));
		else
			snprintf(piece, size, _("the client of connection %d has gone"),
			         LS_PIPE_END(a) >> 1);
		return 1;
	case 'r':
	case 'R': {
		/* why a network operation failed: a for a connect, b otherwise */
		long long why = c == 'r' ? a : b;
		snprintf(piece, size, "%s",
		         why == LS_NET_WHY_KEY ? _("wrong key (its digest did not match)")
		         : why == LS_NET_WHY_CLOSED ? _("the other end closed the connection")
		         : why == LS_NET_WHY_REFUSED ? _("connection refused: nobody listens there")
		         : _("a network error"));
		return 1;
	}
	default:
		return 0;
	}
}

/* The text one directive stands for: a pointer to one of the names, or piece
 * filled in.  *p points at the directive's letter and moves past a "%+b"'s b. */
static const char *
op_expand_piece(const char **p, const struct ls_event *e, const char *who, const char *obj,
                const char *target, long long a, long long b, char *piece, size_t size)
{
	switch (**p) {
	case 'w': return who;
	case 'o': return obj;
	case 'A': return target;
	case 'a': snprintf(piece, size, "%lld", a); break;
	case 'b': snprintf(piece, size, "%lld", b); break;
	case 'i':
		if (a == (long long)LS_QUEUE_NONE)
			snprintf(piece, size, "None");
		else
			snprintf(piece, size, "%lld", a);
		break;
	case '+':
		/* "%+b": a signed delta */
		if ((*p)[1] == 'b')
			(*p)++;
		snprintf(piece, size, "%+lld", b);
		break;
	case 't': op_event_text(e, piece, size); break;
	case 'n':
		snprintf(piece, size, "%.*s", LS_NOTE_NAME_MAX - 1, e->u.note.name);
		break;
	default:
		if (!op_expand_wire(**p, a, b, piece, size)) {
			piece[0] = **p;
			piece[1] = '\0';
		}
		break;
	}
	return piece;
}

/* Expand a template into buf; returns the length written. */
static size_t
op_expand(const char *tpl, const struct ls_event *e, const char *who, const char *obj,
          const char *target, long long a, long long b, char *buf, size_t len)
{
	size_t at = 0;

	if (!len)
		return 0;
	buf[0] = '\0';
	for (const char *p = tpl; *p && at + 1 < len; p++) {
		char piece[LS_TEXT_MAX + 32];
		const char *add;

		if (*p != '%' || !p[1]) {
			buf[at++] = *p;
			buf[at] = '\0';
			continue;
		}
		p++;
		add = op_expand_piece(&p, e, who, obj, target, a, b, piece, sizeof piece);
		int n = snprintf(buf + at, len - at, "%s", add ? add : "");
		if (n < 0)
			break;
		at += (size_t)n < len - at ? (size_t)n : len - at - 1;
	}
	return at;
}

int
ls_op_sentence(const struct ls_event *e, const char *who, const char *obj,
               const char *target, char *buf, size_t len)
{
	const struct ls_op_info *op = ls_op_info(e->op);
	const char *tpl;
	int text = (op->flags & LS_OPF_TEXT) != 0;
	long long a = text ? 0 : (long long)e->u.v.a, b = text ? 0 : (long long)e->u.v.b;

	if (e->phase >= LS_PH__COUNT)
		return 0;
	tpl = op->say[e->phase];
	if (op->alt.say && op->alt.phase == e->phase && !text && op_when(op->alt.when, a, b))
		tpl = op->alt.say;
	if (!tpl)
		return 0;
	op_expand(_(tpl), e, who ? who : "?", obj ? obj : "", target ? target : "?", a, b, buf, len);
	return 1;
}

void
ls_op_pending_text(int op, const char *obj, long long arg, const char *target,
                   char *buf, size_t len)
{
	struct ls_event e;

	memset(&e, 0, sizeof e);
	e.op = (uint8_t)op;
	op_expand(_(ls_op_info(op)->pending), &e, "", obj ? obj : "", target ? target : "?", arg, 0,
	          buf, len);
}
