/*
 * probe.h - the only API a scenario body calls.
 *
 * Every call is a step point: it records what the actor does in the actor's
 * own trace ring and, in controlled modes, parks the actor at its gate until
 * the controller lets it run to its next probe.  Each macro captures
 * __LINE__ so the views can put the actor's cursor on its line of source.
 *
 * Ordering: ls_load/ls_store are relaxed atomics (an unprotected x = x + 1 is
 * a load then a store, and updates are really lost); ls_add is one atomic
 * read-modify-write.  Lock, semaphore, event and condition operations give
 * the ordering of the real primitive underneath.
 */
#ifndef LS_PROBE_H
#define LS_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "lockstep/event.h"
#include "lockstep/objects.h"

long ls_probe_load(ls_var *v, int line);
void ls_probe_store(ls_var *v, long value, int line);
long ls_probe_add(ls_var *v, long delta, int line);
void ls_probe_lock(ls_mutex *m, int line);
void ls_probe_unlock(ls_mutex *m, int line);
void ls_probe_sem_acquire(ls_sem *s, int line);
/* Returns 0, or -1 when a bounded semaphore refuses to grow past its bound. */
int  ls_probe_sem_release(ls_sem *s, int line);
void ls_probe_event_set(ls_event_obj *e, int line);
void ls_probe_event_clear(ls_event_obj *e, int line);
/* timeout_ms < 0 waits for ever; returns 1 if the flag was set, 0 on timeout. */
int  ls_probe_event_wait(ls_event_obj *e, long timeout_ms, int line);
int  ls_probe_event_is_set(ls_event_obj *e, int line);
void ls_probe_cond_wait(ls_cond *c, ls_mutex *m, int line);
void ls_probe_cond_notify(ls_cond *c, int all, int line);
void ls_probe_sleep(long ms, int line);
/* Reads at most len-1 bytes of the file and NUL-terminates; returns length or -1. */
long ls_probe_file_read(ls_file *f, char *buf, size_t len, int line);
/* Replaces the file's contents; returns 0 or -1. */
int  ls_probe_file_write(ls_file *f, const char *data, int line);
/* flock(2) on the file, as the lesson's second kind of lock; shown as a lock. */
void ls_probe_file_lock(ls_file *f, int line);
void ls_probe_file_unlock(ls_file *f, int line);
/* queue.Queue: put and get block while full or empty (timeout_ms < 0: for
 * ever); 0, or -1 on timeout (Python's Full and Empty). */
int  ls_probe_queue_put(ls_queue *q, int64_t item, long timeout_ms, int line);
int  ls_probe_queue_get(ls_queue *q, int64_t *item, long timeout_ms, int line);
/* 0, or -1 when called more times than items were put (Python's ValueError). */
int  ls_probe_queue_task_done(ls_queue *q, int line);
void ls_probe_queue_join(ls_queue *q, int line);
/* Wait until the actor with this id (ctx->id numbering) has finished. */
void ls_probe_join(int actor, int line);
/*
 * Pipes (multiprocessing.Pipe, and a server's connections).  send writes one
 * message - value, tag and size bytes of payload - from an end and blocks
 * while the kernel's buffer toward the other end is full; 0, or -1 for a bad
 * end or size.  recv returns the oldest whole message that arrived at an end
 * (end | LS_PIPE_ANY: at any connection's end on that side, the one sent
 * first) and blocks while there is none; 0, or -1 when the bytes read are
 * not a whole message.
 */
int  ls_probe_pipe_send(ls_pipe *p, int end, int tag, int64_t value, long size, int line);
int  ls_probe_pipe_recv(ls_pipe *p, int end, struct ls_msg *out, int line);
/* A named local value, recorded for the views (the Actors pane shows each
 * actor's newest ones): not a step, never parks, as cheap as a free probe.
 * Returns value, so it wraps the expression that computes the local
 * (long n = ls_note("n", ls_load(v) + 1);) and no line of the lesson moves. */
long ls_probe_note(const char *name, long value, int line);
/*
 * Processes (src/engine/probe_proc.c).  A private variable is read and
 * written like a shared one, but each process has its own (threads share
 * theirs).  ls_probe_fork is os.fork(): the calling actor's process is
 * really copied; it returns the child's pid in the parent and 0 in the
 * child, which from then on is the actor `child` (a role marked .forked)
 * and must end with ls_child_exit(status).  ls_probe_wait_child is
 * os.waitpid(): it waits for that child and returns its exit status.
 */
long ls_probe_private_load(ls_private *l, int line);
void ls_probe_private_store(ls_private *l, long value, int line);
long ls_probe_fork(int child, int line);
_Noreturn void ls_probe_child_exit(int status, int line);
int  ls_probe_wait_child(int child, int line);
/*
 * Fresh programs (subprocess.Popen): fork, then exec argv[0] (a path) with
 * stdin and stdout on pipes, stderr to stdout; envp NULL keeps ours.  In
 * the program's own process group, killed and reaped by the engine if the
 * run ends first.  0, or -1 (recorded as a failure).  read_line returns
 * one line of its output without the newline (length), 0 at its end.
 * communicate writes input (NULL: none), closes its stdin, reads all of its
 * output into out (NUL-terminated, cut at len - 1) and waits; wait only
 * waits.  Both return the exit status, or 128 + the signal that killed it.
 */
int  ls_probe_spawn(struct ls_proc *p, const char *const argv[], const char *const envp[],
                    int line);
long ls_probe_proc_read_line(struct ls_proc *p, char *buf, size_t len, int line);
int  ls_probe_proc_communicate(struct ls_proc *p, const char *input, char *out, size_t len,
                               int line);
int  ls_probe_proc_wait(struct ls_proc *p, int line);
/* A fresh image of this very program that draws a random number at its
 * start and prints "PID VALUE": what ls_spawn runs for the fork lesson. */
#define LS_SELF_EXE "/proc/self/exe"
#define LS_DRAW_ENV "LOCKSTEP_INTERNAL=draw"
/* threading.local: this actor's own value.  set never waits and never
 * races; get returns 0 with the value, or -1 when this actor never set one
 * (Python's AttributeError), whatever the others stored. */
void ls_probe_local_set(ls_local *l, long value, int line);
int  ls_probe_local_get(ls_local *l, long *value, int line);
/*
 * Networks (src/engine/probe_net.c), over real TCP sockets.  listen binds
 * and listens (0, or -1); connect waits until the server listens, then
 * connects: the connection's number, or -1 when refused (nobody listens
 * any more).  poll is a server's wait for work: the end of a connection
 * with a message or whose client went away, or -1 with *accept set for a
 * connection to accept.  accept returns the connection.  send and recv move
 * one framed message (0, or -1: the other end closed; recv says so in
 * out->tag = -1).  auth is the client's receive of the server's verdict on
 * its digest: 0 welcome, -1 refused (wrong key), -2 closed before a verdict.  close closes an
 * end, or the listener with end -1.
 */
int  ls_probe_net_listen(ls_net *n, int line);
int  ls_probe_net_connect(ls_net *n, int line);
int  ls_probe_net_poll(ls_net *n, int *accept, int line);
int  ls_probe_net_accept(ls_net *n, int line);
int  ls_probe_net_send(ls_net *n, int end, int tag, int64_t value, int line);
int  ls_probe_net_recv(ls_net *n, int end, struct ls_msg *out, int line);
int  ls_probe_net_auth(ls_net *n, int end, int line);
void ls_probe_net_close(ls_net *n, int end, int line);
void ls_probe_say(int line, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define ls_load(v)                ls_probe_load((v), __LINE__)
#define ls_store(v, x)            ls_probe_store((v), (x), __LINE__)
#define ls_add(v, d)              ls_probe_add((v), (d), __LINE__)
#define ls_lock(m)                ls_probe_lock((m), __LINE__)
#define ls_unlock(m)              ls_probe_unlock((m), __LINE__)
/* The same probes on a reentrant lock (ls_rlock_new), named as in Python. */
#define ls_rlock_acquire(m)       ls_probe_lock((m), __LINE__)
#define ls_rlock_release(m)       ls_probe_unlock((m), __LINE__)
#define ls_sem_acquire(s)         ls_probe_sem_acquire((s), __LINE__)
#define ls_sem_release(s)         ls_probe_sem_release((s), __LINE__)
#define ls_event_set(e)           ls_probe_event_set((e), __LINE__)
#define ls_event_clear(e)         ls_probe_event_clear((e), __LINE__)
#define ls_event_wait(e)          ls_probe_event_wait((e), -1, __LINE__)
#define ls_event_wait_for(e, ms)  ls_probe_event_wait((e), (ms), __LINE__)
#define ls_event_is_set(e)        ls_probe_event_is_set((e), __LINE__)
#define ls_cond_wait(c, m)        ls_probe_cond_wait((c), (m), __LINE__)
#define ls_cond_notify(c)         ls_probe_cond_notify((c), 0, __LINE__)
#define ls_cond_notify_all(c)     ls_probe_cond_notify((c), 1, __LINE__)
#define ls_sleep(ms)              ls_probe_sleep((ms), __LINE__)
#define ls_file_read(f, b, n)     ls_probe_file_read((f), (b), (n), __LINE__)
#define ls_file_write(f, s)       ls_probe_file_write((f), (s), __LINE__)
#define ls_file_lock(f)           ls_probe_file_lock((f), __LINE__)
#define ls_file_unlock(f)         ls_probe_file_unlock((f), __LINE__)
#define ls_queue_put(q, x)        ls_probe_queue_put((q), (x), -1, __LINE__)
#define ls_queue_put_for(q, x, ms) ls_probe_queue_put((q), (x), (ms), __LINE__)
#define ls_queue_get(q, px)       ls_probe_queue_get((q), (px), -1, __LINE__)
#define ls_queue_get_for(q, px, ms) ls_probe_queue_get((q), (px), (ms), __LINE__)
#define ls_queue_task_done(q)     ls_probe_queue_task_done((q), __LINE__)
#define ls_queue_join(q)          ls_probe_queue_join((q), __LINE__)
#define ls_join(id)               ls_probe_join((id), __LINE__)
/* conn.send(x) and conn.recv() on one end of a Pipe; _big sends n bytes. */
#define ls_pipe_send(p, end, x)   ls_probe_pipe_send((p), (end), LS_MSG_VALUE, (x), 0, __LINE__)
#define ls_pipe_send_big(p, end, x, n) \
	ls_probe_pipe_send((p), (end), LS_MSG_VALUE, (x), (n), __LINE__)
#define ls_pipe_send_tag(p, end, tag, x) ls_probe_pipe_send((p), (end), (tag), (x), 0, __LINE__)
#define ls_pipe_recv(p, end, msg) ls_probe_pipe_recv((p), (end), (msg), __LINE__)
#define ls_pipe_recv_any(p, side, msg) \
	ls_probe_pipe_recv((p), (side) | LS_PIPE_ANY, (msg), __LINE__)
#define ls_local_set(l, x)        ls_probe_local_set((l), (x), __LINE__)
#define ls_local_get(l, px)       ls_probe_local_get((l), (px), __LINE__)
#define ls_note(name, x)          ls_probe_note((name), (x), __LINE__)
#define ls_net_listen(n)          ls_probe_net_listen((n), __LINE__)
#define ls_net_connect(n)         ls_probe_net_connect((n), __LINE__)
#define ls_net_poll(n, acc)       ls_probe_net_poll((n), (acc), __LINE__)
#define ls_net_accept(n)          ls_probe_net_accept((n), __LINE__)
#define ls_net_send(n, end, tag, x) ls_probe_net_send((n), (end), (tag), (x), __LINE__)
#define ls_net_recv(n, end, msg)  ls_probe_net_recv((n), (end), (msg), __LINE__)
#define ls_net_auth(n, end)       ls_probe_net_auth((n), (end), __LINE__)
#define ls_net_close(n, end)      ls_probe_net_close((n), (end), __LINE__)
#define ls_say(...)               ls_probe_say(__LINE__, __VA_ARGS__)
#define ls_private_load(l)          ls_probe_private_load((l), __LINE__)
#define ls_private_store(l, x)      ls_probe_private_store((l), (x), __LINE__)
#define ls_fork(child)            ls_probe_fork((child), __LINE__)
#define ls_child_exit(status)     ls_probe_child_exit((status), __LINE__)
#define ls_wait_child(child)      ls_probe_wait_child((child), __LINE__)
#define ls_spawn(p, argv, envp)   ls_probe_spawn((p), (argv), (envp), __LINE__)
#define ls_proc_read_line(p, b, n) ls_probe_proc_read_line((p), (b), (n), __LINE__)
#define ls_proc_communicate(p, in, out, n) \
	ls_probe_proc_communicate((p), (in), (out), (n), __LINE__)
#define ls_proc_wait(p)           ls_probe_proc_wait((p), __LINE__)

#endif
