/*
 * lockstep/objects.h - the shared objects a lesson declares in its setup.
 *
 * Public.  The types are opaque here: a lesson holds pointers and passes
 * them to the probes (lockstep/probe.h); what an object is made of (a robust
 * process-shared mutex, a POSIX semaphore, a file in a private directory)
 * is the engine's business (src/engine/world.h).
 */
#ifndef LOCKSTEP_OBJECTS_H
#define LOCKSTEP_OBJECTS_H

#include <stdint.h>

#define LS_NAME_MAX    24
#define LS_MAX_OBJS    64

/*
 * The kinds of shared object, once: X(NAME, what it is).  What each kind
 * is to the views (its name, its words, how it is drawn, its JSON, its
 * part of the explorer's state key) is its entry in the kind table
 * (src/model/kind.c); what its operations do is the model's.
 */
#define LS_OBJ_LIST(X)                                                        \
	X(VAR,     "a shared variable: an atomic long (ls_var_new)")            \
	X(MUTEX,   "a lock or a reentrant lock (ls_mutex_new, ls_rlock_new)")   \
	X(SEM,     "a semaphore, bounded or not (ls_sem_new)")                  \
	X(EVENT,   "an event's flag (ls_event_new)")                            \
	X(COND,    "a condition variable (ls_cond_new)")                        \
	X(FILE,    "a real file in the run's directory (ls_file_new)")          \
	X(QUEUE,   "a queue: FIFO, LIFO or priority, joinable (ls_queue_new)")  \
	X(PIPE,    "Pipe() connections over socketpairs (ls_pipe_new)")         \
	X(PRIVATE, "a process-private variable: copied by fork, shared by threads") \
	X(LOCAL,   "threading.local: a value per actor (ls_local_new)")         \
	X(POOL,    "multiprocessing.Pool: a task queue, workers, results")      \
	X(NET,     "a TCP listener and its connections (ls_net_new)")

enum ls_obj_kind {
#define LS_OBJ_ENUM(name, doc) LS_OBJ_##name,
	LS_OBJ_LIST(LS_OBJ_ENUM)
#undef LS_OBJ_ENUM
	LS_OBJ__COUNT
};

struct ls_world;
typedef struct ls_var ls_var;
typedef struct ls_mutex ls_mutex;
typedef struct ls_sem ls_sem;
typedef struct ls_event_obj ls_event_obj;
typedef struct ls_cond ls_cond;
typedef struct ls_file ls_file;
typedef struct ls_queue ls_queue;
typedef struct ls_pipe ls_pipe;
typedef struct ls_private ls_private;
typedef struct ls_local ls_local;
typedef struct ls_pool ls_pool;
typedef struct ls_net ls_net;

/* Which item a queue's get() takes: queue.Queue, LifoQueue, PriorityQueue. */
enum ls_queue_order { LS_QUEUE_FIFO, LS_QUEUE_LIFO, LS_QUEUE_PRIORITY };
/* The most items a queue holds; an unbounded queue (maxsize 0) stops here. */
#define LS_QUEUE_CAP 256

/*
 * Object constructors, for a scenario's setup.  Each returns NULL (and sets
 * errno) when the arena or the object table is full or a primitive cannot be
 * initialised; setup turns that into its error.
 */
ls_var       *ls_var_new(struct ls_world *w, const char *name, long init);
ls_mutex     *ls_mutex_new(struct ls_world *w, const char *name);
/* threading.RLock: the owner may take it again; it is free after as many
 * releases as acquires. */
ls_mutex     *ls_rlock_new(struct ls_world *w, const char *name);
/* bound > 0 makes it a BoundedSemaphore: a release past bound is refused. */
ls_sem       *ls_sem_new(struct ls_world *w, const char *name, long init, long bound);
ls_event_obj *ls_event_new(struct ls_world *w, const char *name);
/*
 * Optional: what the event's flag means in the lesson ("GREEN" when set,
 * "RED" when clear), shown instead of "set" and "clear" on screen and in the
 * log.  -1 (errno EINVAL) for an event not of this world or a word too long.
 */
int           ls_event_words(struct ls_world *w, ls_event_obj *e, const char *set_word,
                             const char *clear_word);
ls_cond      *ls_cond_new(struct ls_world *w, const char *name);
/*
 * Creates the file in the run's private directory with the given contents.
 * NULL with errno set on failure; the directory is made under
 * ls_file_dir_base() ($TMPDIR, or /tmp), which a setup's message can name.
 */
ls_file      *ls_file_new(struct ls_world *w, const char *name, const char *contents);
const char   *ls_file_dir_base(void);
/* queue.Queue(maxsize) (0: unbounded), joinable like multiprocessing's
 * JoinableQueue: task_done() and join() work on every queue. */
ls_queue     *ls_queue_new(struct ls_world *w, const char *name, long maxsize,
                           enum ls_queue_order order);
/* threading.local(): one name, a value of its own for every actor (a real
 * pthread key; each actor's value lives in storage only it points to). */
ls_local     *ls_local_new(struct ls_world *w, const char *name);
/* multiprocessing.Pool(workers) (and a ThreadPool, a concurrent.futures
 * executor): a task queue the workers take from in order, and the results
 * they hand back in the order they finish.  At most LS_QUEUE_CAP tasks in
 * all; the workers are a role of the lesson's actors. */
ls_pool      *ls_pool_new(struct ls_world *w, const char *name, int workers);

/*
 * multiprocessing.Pipe() over real AF_UNIX socketpairs: nconn connections,
 * each with two ends, ls_pipe_end(conn, 0) and ls_pipe_end(conn, 1); what one
 * end sends the other receives, whole and in order.  A Pipe() is one
 * connection (ends 0 and 1); a server with a connection per client is one
 * object with many.  Created in setup, before any actor exists, so threads
 * and forked processes share the descriptors.  msg_size is the payload the
 * lesson sends: how many such messages fit in the kernel's buffer is
 * measured on the real socket at creation (see world.c).
 */
#define LS_PIPE_CONNS_MAX 256
#define LS_PIPE_MSG_MAX   (4L << 20)   /* bytes of payload, at most */
ls_pipe      *ls_pipe_new(struct ls_world *w, const char *name, int nconn, long msg_size);
#define ls_pipe_end(conn, side) (2 * (conn) + (side))

/* What a message says, so the views can read it: a plain value, or one of
 * the requests and replies of a server (multiprocessing's managers). */
enum ls_msg_tag { LS_MSG_VALUE, LS_MSG_GET, LS_MSG_SET, LS_MSG_REPLY, LS_MSG_STOP,
                  /* a network's: the authentication, then a queue's requests */
                  LS_MSG_CHALLENGE, LS_MSG_ANSWER, LS_MSG_WELCOME, LS_MSG_FAILURE,
                  LS_MSG_PUT, LS_MSG_TASK, LS_MSG_RESULT,
                  /* a manager's list: l.append(v), and an item of a reply */
                  LS_MSG_APPEND, LS_MSG_ITEM };

/* A message as received: its value, tag, payload bytes and the end it came in at. */
struct ls_msg {
	int64_t value;
	long size;
	int tag;
	int end;
};

/*
 * A network: a real TCP listener at host:port (port 0: a free one, chosen
 * when it listens) and up to nconn connections to it, made while the run
 * goes (ls_net_listen, ls_net_connect, ls_net_accept).  Connection c has
 * ends ls_pipe_end(c, 0), the server's accepted socket, and ls_pipe_end(c,
 * 1), the client's; each descriptor lives only in the process of the actor
 * that made it.  Messages are framed as a pipe's are, and the model shows
 * them in flight the same way.  host is a numeric IPv4 address.
 */
#define LS_NET_CONNS_MAX 64
ls_net         *ls_net_new(struct ls_world *w, const char *name, int nconn, const char *host,
                           int port);
/* HMAC-SHA256(key, the 8 bytes of nonce, little-endian), its first 8 bytes:
 * the digest a client answers a challenge with (src/engine/hmac.c). */
int64_t         ls_net_digest(const char *key, int64_t nonce);

/*
 * A process-private variable: plain memory of the program, not of the
 * shared world.  Threads of one process share it; a forked child gets its
 * own copy of the value it had at fork() (copy-on-write), and a change
 * on either side is invisible to the other.  Made in setup like the rest;
 * read and written with ls_private_load() and ls_private_store().
 */
ls_private     *ls_private_new(struct ls_world *w, const char *name, long init);

/*
 * A program a body started with ls_spawn() (a fresh image: fork + exec):
 * private to the actor that started it, which reads its output and waits
 * for it.  Zeroed before use; the engine kills and reaps any left running.
 */
struct ls_proc {
	int pid;         /* 0 before it started */
	int out_fd;      /* its stdout (and stderr), read end; -1 when closed */
	int in_fd;       /* its stdin, write end; -1 when closed */
	int status;      /* wait status, once waited for */
	int slot;        /* the engine's record of it */
	char buf[512];   /* output read but not yet returned as a line */
	int nbuf;
};

/* An object kind's name: ls_obj_kind_name() in English, for --json and
 * reports read by programs; ls_obj_kind_word() in the reader's language,
 * for the screen. */
const char *ls_obj_kind_name(int kind);
const char *ls_obj_kind_word(int kind);

#endif
