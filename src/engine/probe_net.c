/*
 * probe_net.c - the probes of a network: a real TCP listener, connections
 * made while the run goes, framed messages over them (multiprocessing's
 * managers over a network: BaseManager(address, authkey)).
 *
 * The same rules as probe.c: each call is a step point that records in the
 * actor's own ring and, in controlled modes, parks first; the controller
 * grants a waiting operation only when the model says it can proceed.  What
 * the kernel does on its own (a connection completing in the listener's
 * backlog, a dead client's socket closing) may lag a moment behind what the
 * model already knows, so a granted operation still waits in slices, having
 * told the controller it is settled, exactly as a pipe's does (probe.c).
 * Which work a server's poll returns is decided from counters in the shared
 * world, not from the kernel's timing, so a schedule replays the same.  The
 * few helpers below repeat probe.c's so that file keeps one job.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "engine/actor.h"
#include "engine/gate.h"
#include "engine/probe_int.h"
#include "lockstep/probe.h"

#define NET_SLICE_MS 20   /* longest a wait goes without looking again */

static void
net_lock(ls_net *n)
{
	if (pthread_mutex_lock(&n->m) == EOWNERDEAD)
		pthread_mutex_consistent(&n->m);
}

/* Record under the network's mutex: events in the order it saw them. */
static void
net_emit_locked(struct ls_self *s, ls_net *n, enum ls_op op, enum ls_phase ph, int line,
                int64_t a, int64_t b)
{
	net_lock(n);
	probe_emit(s, op, ph, n->h.id, line, a, b);
	pthread_mutex_unlock(&n->m);
}

/* Say BLOCK once, settle, and wait on fds (none: a slice); leave on abort. */
static void
net_wait(struct ls_self *s, ls_net *n, enum ls_op op, int line, int64_t word, int *blocked,
         int *settled, struct pollfd *fds, nfds_t nfds)
{
	if (!*blocked)
		net_emit_locked(s, n, op, LS_PH_BLOCK, line, word, 0);
	*blocked = 1;
	probe_settle(s, settled);
	if (nfds)
		poll(fds, nfds, NET_SLICE_MS);
	else
		poll(NULL, 0, NET_SLICE_MS);
	if (probe_aborted(s))
		ls_actor_leave();
}

/* Wait on the condition for a slice, under m; leave on abort. */
static void
net_cond_slice(struct ls_self *s, ls_net *n)
{
	struct timespec until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_nsec += NET_SLICE_MS * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	if (pthread_cond_timedwait(&n->changed, &n->m, &until) == EOWNERDEAD)
		pthread_mutex_consistent(&n->m);
	if (probe_aborted(s)) {
		pthread_mutex_unlock(&n->m);
		ls_actor_leave();
	}
}

static struct sockaddr_in
net_addr(const ls_net *n, int port, int for_connect)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	/* A client of a server listening on every address connects to loopback. */
	if (for_connect && strcmp(n->host, "0.0.0.0") == 0)
		inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	else if (inet_pton(AF_INET, n->host, &a.sin_addr) != 1)
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

int
ls_probe_net_listen(ls_net *n, int line)
{
	struct ls_self *s = ls_self_tls;
	int one = 1;

	probe_gate(s, LS_OP_NET_LISTEN, n->h.id, line, n->port_asked);
	struct sockaddr_in a = net_addr(n, n->port_asked, 0);
	socklen_t alen = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 128) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &alen) != 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		net_emit_locked(s, n, LS_OP_NET_LISTEN, LS_PH_FAIL, line, err, 0);
		return -1;
	}
	net_lock(n);
	n->lfd = fd;
	n->lpid = getpid();
	/* Relaxed: published by the release store of listening just below. */
	atomic_store_explicit(&n->port, ntohs(a.sin_port), memory_order_relaxed);
	/* Pairs with the acquire load in ls_probe_net_connect(), which reads
	 * the port without the mutex. */
	atomic_store_explicit(&n->listening, 1, memory_order_release);
	probe_emit(s, LS_OP_NET_LISTEN, LS_PH_DONE, n->h.id, line, ntohs(a.sin_port), 0);
	pthread_cond_broadcast(&n->changed);
	pthread_mutex_unlock(&n->m);
	return 0;
}

int
ls_probe_net_connect(ls_net *n, int line)
{
	struct ls_self *s = ls_self_tls;
	int blocked = 0, settled = 0;

	probe_gate(s, LS_OP_NET_CONNECT, n->h.id, line, 0);
	/* Nobody listening yet: wait for the server, as a worker started by
	 * hand would be started after it. */
	/* Acquire: pairs with the release stores of listening in
	 * ls_probe_net_listen() and ls_probe_net_close(); the port is then set. */
	while (atomic_load_explicit(&n->listening, memory_order_acquire) == 0)
		net_wait(s, n, LS_OP_NET_CONNECT, line, 0, &blocked, &settled, NULL, 0);
	probe_unsettle(s, &settled);
	/* Relaxed: ordered by the acquire load of listening above. */
	struct sockaddr_in a = net_addr(n, atomic_load_explicit(&n->port, memory_order_relaxed), 1);
	socklen_t alen = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), rc;
	do
		rc = fd < 0 ? -1 : connect(fd, (struct sockaddr *)&a, sizeof a);
	while (rc != 0 && errno == EINTR);
	if (rc != 0 || getsockname(fd, (struct sockaddr *)&a, &alen) != 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		net_emit_locked(s, n, LS_OP_NET_CONNECT, LS_PH_FAIL, line,
		                err == ECONNREFUSED ? LS_NET_WHY_REFUSED : LS_NET_WHY_ERROR, err);
		return -1;
	}
	net_lock(n);
	int c = 0;
	while (c < n->nconn && n->conns[c].used)
		c++;
	if (c == n->nconn) {
		pthread_mutex_unlock(&n->m);
		close(fd);
		net_emit_locked(s, n, LS_OP_NET_CONNECT, LS_PH_FAIL, line, LS_NET_WHY_ERROR, ENOSPC);
		return -1;
	}
	struct ls_net_conn *cn = &n->conns[c];
	cn->fd[1] = fd;
	cn->pid[1] = getpid();
	cn->port = ntohs(a.sin_port);
	cn->used = 1;
	/* Relaxed: under m, as every read of connects (ls_probe_net_poll()). */
	atomic_fetch_add_explicit(&n->connects, 1, memory_order_relaxed);
	probe_emit(s, LS_OP_NET_CONNECT, LS_PH_DONE, n->h.id, line, c, cn->port);
	pthread_cond_broadcast(&n->changed);
	pthread_mutex_unlock(&n->m);
	return c;
}

/* Under m: the accepted connection whose oldest unread message came first. */
static int
net_oldest_message(ls_net *n)
{
	int best = -1;
	uint64_t best_seq = UINT64_MAX;

	for (int c = 0; c < n->nconn; c++) {
		struct ls_net_conn *cn = &n->conns[c];
		/* Relaxed, all four: closed, sent and last_seq are written under m,
		 * which we hold; taken is a count a receiver bumps before it takes
		 * m, ordered in a controlled run by the gate between the steps. */
		if (!cn->accepted || atomic_load_explicit(&cn->closed[0], memory_order_relaxed) ||
		    atomic_load_explicit(&cn->sent[1], memory_order_relaxed) <=
		    atomic_load_explicit(&cn->taken[1], memory_order_relaxed))
			continue;
		uint64_t seq = atomic_load_explicit(&cn->last_seq[1], memory_order_relaxed);
		if (best < 0 || seq < best_seq) {
			best = c;
			best_seq = seq;
		}
	}
	return best;
}

/* A connection whose client went away with nothing left unread: its end of file. */
static int
net_hung_up(ls_net *n)
{
	for (int c = 0; c < n->nconn; c++) {
		struct ls_net_conn *cn = &n->conns[c];
		/* Relaxed, as in net_oldest_message(): under m. */
		if (!cn->accepted || cn->fd[0] < 0 ||
		    atomic_load_explicit(&cn->closed[0], memory_order_relaxed) || cn->eof_seen[0] ||
		    atomic_load_explicit(&cn->sent[1], memory_order_relaxed) >
		    atomic_load_explicit(&cn->taken[1], memory_order_relaxed))
			continue;
		struct pollfd pf = { .fd = cn->fd[0], .events = POLLIN | POLLRDHUP };
		if (poll(&pf, 1, 0) == 1 && pf.revents)
			return c;
	}
	return -1;
}

int
ls_probe_net_poll(ls_net *n, int *accept, int line)
{
	struct ls_self *s = ls_self_tls;
	int blocked = 0, settled = 0;

	if (accept)
		*accept = 0;
	probe_gate(s, LS_OP_NET_POLL, n->h.id, line, 0);
	for (;;) {
		net_lock(n);
		int c = net_oldest_message(n);
		/* Relaxed: both counts change only under m, which we hold. */
		if (c >= 0 || atomic_load_explicit(&n->connects, memory_order_relaxed) >
		              atomic_load_explicit(&n->accepts, memory_order_relaxed)) {
			probe_unsettle(s, &settled);
			if (c < 0 && accept)
				*accept = 1;
			probe_emit(s, LS_OP_NET_POLL, LS_PH_DONE, n->h.id, line,
			         c >= 0 ? ls_pipe_end(c, 0) : -1, c >= 0 ? 1 : 0);
			pthread_mutex_unlock(&n->m);
			return c >= 0 ? ls_pipe_end(c, 0) : -1;
		}
		c = net_hung_up(n);
		if (c >= 0) {
			probe_unsettle(s, &settled);
			probe_emit(s, LS_OP_NET_POLL, LS_PH_DONE, n->h.id, line, ls_pipe_end(c, 0), 2);
			pthread_mutex_unlock(&n->m);
			return ls_pipe_end(c, 0);
		}
		struct pollfd fds[LS_NET_CONNS_MAX + 1];
		nfds_t k = 0;
		if (n->lfd >= 0)
			fds[k++] = (struct pollfd){ .fd = n->lfd, .events = POLLIN };
		for (int i = 0; i < n->nconn; i++)
			if (n->conns[i].accepted && n->conns[i].fd[0] >= 0 && !n->conns[i].eof_seen[0])
				fds[k++] = (struct pollfd){ .fd = n->conns[i].fd[0],
				                            .events = POLLIN | POLLRDHUP };
		pthread_mutex_unlock(&n->m);
		net_wait(s, n, LS_OP_NET_POLL, line, 0, &blocked, &settled, fds, k);
	}
}

int
ls_probe_net_accept(ls_net *n, int line)
{
	struct ls_self *s = ls_self_tls;
	int blocked = 0, settled = 0, fd;
	struct sockaddr_in a;
	socklen_t alen;

	probe_gate(s, LS_OP_NET_ACCEPT, n->h.id, line, 0);
	if (n->lfd < 0) {
		net_emit_locked(s, n, LS_OP_NET_ACCEPT, LS_PH_FAIL, line, EBADF, 0);
		return -1;
	}
	for (;;) {
		alen = sizeof a;
		fd = accept4(n->lfd, (struct sockaddr *)&a, &alen, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd >= 0)
			break;
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			int err = errno;
			probe_unsettle(s, &settled);
			net_emit_locked(s, n, LS_OP_NET_ACCEPT, LS_PH_FAIL, line, err, 0);
			return -1;
		}
		struct pollfd pf = { .fd = n->lfd, .events = POLLIN };
		net_wait(s, n, LS_OP_NET_ACCEPT, line, 0, &blocked, &settled, &pf, 1);
	}
	int port = ntohs(a.sin_port), c;
	probe_unsettle(s, &settled);
	net_lock(n);
	for (;;) {
		for (c = 0; c < n->nconn; c++)
			if (n->conns[c].used && !n->conns[c].accepted && n->conns[c].port == port)
				break;
		if (c < n->nconn)
			break;
		/* Its client has not recorded the connect yet. */
		net_cond_slice(s, n);
	}
	struct ls_net_conn *cn = &n->conns[c];
	cn->fd[0] = fd;
	cn->pid[0] = getpid();
	cn->accepted = 1;
	/* Relaxed: under m, as every read of accepts (ls_probe_net_poll()). */
	atomic_fetch_add_explicit(&n->accepts, 1, memory_order_relaxed);
	probe_emit(s, LS_OP_NET_ACCEPT, LS_PH_DONE, n->h.id, line, c, port);
	pthread_mutex_unlock(&n->m);
	return c;
}

static int
net_end_ok(const ls_net *n, int end)
{
	return end >= 0 && (end >> 1) < n->nconn && n->conns[end >> 1].used &&
	       n->conns[end >> 1].fd[end & 1] >= 0;
}

int
ls_probe_net_send(ls_net *n, int end, int tag, int64_t value, int line)
{
	struct ls_self *s = ls_self_tls;
	int blocked = 0, settled = 0, side = end & 1;
	int64_t word = LS_PIPE_WORD(end & 1023, 0, 0, tag & 15);

	probe_gate(s, LS_OP_NET_SEND, n->h.id, line, word);
	if (!net_end_ok(n, end) || tag < 0 || tag > 15) {
		net_emit_locked(s, n, LS_OP_NET_SEND, LS_PH_FAIL, line, word, LS_NET_WHY_ERROR);
		return -1;
	}
	struct ls_net_conn *cn = &n->conns[end >> 1];
	/* Relaxed: a ticket, unique by atomicity alone; it reaches the server
	 * in the frame and in last_seq, under m. */
	struct ls_pipe_frame f = {
		.value = value, .seq = atomic_fetch_add_explicit(&n->seq, 1, memory_order_relaxed),
		.size = 0, .tag = (uint32_t)tag,
	};
	size_t off = 0;
	while (off < sizeof f) {
		ssize_t wr = ls_pipe_write(cn->fd[side], &f, off);
		if (wr > 0) {
			off += (size_t)wr;
			continue;
		}
		if (wr < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			probe_unsettle(s, &settled);
			net_emit_locked(s, n, LS_OP_NET_SEND, LS_PH_FAIL, line, word,
			                errno == EPIPE || errno == ECONNRESET ? LS_NET_WHY_CLOSED
			                                                      : LS_NET_WHY_ERROR);
			return -1;
		}
		struct pollfd pf = { .fd = cn->fd[side], .events = POLLOUT };
		net_wait(s, n, LS_OP_NET_SEND, line, word, &blocked, &settled, &pf, 1);
	}
	probe_unsettle(s, &settled);
	net_lock(n);
	/* Relaxed, both: read under m (net_oldest_message(), net_recv_op()). */
	atomic_store_explicit(&cn->last_seq[side], f.seq, memory_order_relaxed);
	atomic_fetch_add_explicit(&cn->sent[side], 1, memory_order_relaxed);
	probe_emit(s, LS_OP_NET_SEND, LS_PH_DONE, n->h.id, line, word, value);
	pthread_cond_broadcast(&n->changed);
	pthread_mutex_unlock(&n->m);
	return 0;
}

/* Read exactly len bytes; 0, 1 at a clean end of file, -1 torn or reset. */
static int
net_read(struct ls_self *s, ls_net *n, enum ls_op op, int line, int64_t word, int fd,
         void *buf, size_t len, int *blocked, int *settled)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = recv(fd, (char *)buf + got, len - got, MSG_DONTWAIT);
		if (r > 0) {
			got += (size_t)r;
		} else if (r == 0) {
			return got == 0 ? 1 : -1;
		} else if (errno == ECONNRESET) {
			return got == 0 ? 1 : -1;
		} else if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
			struct pollfd pf = { .fd = fd, .events = POLLIN | POLLRDHUP };
			net_wait(s, n, op, line, word, blocked, settled, &pf, 1);
		} else {
			return -1;
		}
	}
	return 0;
}

/* A receive, as op (NET_RECV, or NET_AUTH: a FAILURE is a refusal). */
static int
net_recv_op(ls_net *n, enum ls_op op, int end, struct ls_msg *out, int line)
{
	struct ls_self *s = ls_self_tls;
	int blocked = 0, settled = 0, side = end & 1, from = side ^ 1;
	int64_t word = LS_PIPE_WORD(end & 1023, 0, 0, 0);
	struct ls_pipe_frame f;

	if (out)
		*out = (struct ls_msg){ .tag = -1, .end = end };
	probe_gate(s, op, n->h.id, line, word);
	if (!net_end_ok(n, end)) {
		net_emit_locked(s, n, op, LS_PH_FAIL, line, word, LS_NET_WHY_ERROR);
		return -1;
	}
	struct ls_net_conn *cn = &n->conns[end >> 1];
	int rc = net_read(s, n, op, line, word, cn->fd[side], &f, sizeof f, &blocked, &settled);
	probe_unsettle(s, &settled);
	if (rc == 0 && (f.size > 0 || f.tag > 15))
		rc = -1;
	if (rc != 0) {
		net_lock(n);
		if (rc == 1)
			cn->eof_seen[side] = 1;
		probe_emit(s, op, LS_PH_FAIL, n->h.id, line, word,
		         rc == 1 ? LS_NET_WHY_CLOSED : LS_NET_WHY_ERROR);
		pthread_mutex_unlock(&n->m);
		/* A handshake cut by the other end is no verdict on the key. */
		return op == LS_OP_NET_AUTH ? -2 : -1;
	}
	/* Relaxed: a count, read under m by the server's poll; it publishes
	 * nothing (the frame came through the kernel). */
	uint64_t nth = atomic_fetch_add_explicit(&cn->taken[from], 1, memory_order_relaxed) + 1;
	int64_t got = LS_PIPE_WORD(end & 1023, 0, 0, f.tag);
	int refused = op == LS_OP_NET_AUTH && f.tag != LS_MSG_WELCOME;
	net_lock(n);
	/* The message's send records before its receive does. */
	/* Relaxed: sent is written under m, which we hold (and wait on). */
	while (atomic_load_explicit(&cn->sent[from], memory_order_relaxed) < nth)
		net_cond_slice(s, n);
	probe_emit(s, op, refused ? LS_PH_FAIL : LS_PH_DONE, n->h.id, line, got, f.value);
	pthread_mutex_unlock(&n->m);
	if (out)
		*out = (struct ls_msg){ .value = f.value, .size = 0, .tag = (int)f.tag, .end = end };
	return refused ? -1 : 0;
}

int
ls_probe_net_recv(ls_net *n, int end, struct ls_msg *out, int line)
{
	return net_recv_op(n, LS_OP_NET_RECV, end, out, line);
}

int
ls_probe_net_auth(ls_net *n, int end, int line)
{
	return net_recv_op(n, LS_OP_NET_AUTH, end, NULL, line);
}

void
ls_probe_net_close(ls_net *n, int end, int line)
{
	struct ls_self *s = ls_self_tls;

	probe_gate(s, LS_OP_NET_CLOSE, n->h.id, line, end);
	net_lock(n);
	if (end < 0) {
		if (n->lfd >= 0 && n->lpid == getpid()) {
			close(n->lfd);
			n->lfd = -1;
		}
		/* Pairs with the acquire load in ls_probe_net_connect(), as the
		 * store of 1 does: a connect that sees 2 first still reads the port. */
		atomic_store_explicit(&n->listening, 2, memory_order_release);
	} else if (end >> 1 < n->nconn) {
		struct ls_net_conn *cn = &n->conns[end >> 1];
		if (cn->fd[end & 1] >= 0 && cn->pid[end & 1] == getpid()) {
			close(cn->fd[end & 1]);
			cn->fd[end & 1] = -1;
		}
		/* Relaxed: read under m (net_oldest_message(), net_hung_up()). */
		atomic_store_explicit(&cn->closed[end & 1], 1, memory_order_relaxed);
	}
	probe_emit(s, LS_OP_NET_CLOSE, LS_PH_DONE, n->h.id, line, end, 0);
	pthread_cond_broadcast(&n->changed);
	pthread_mutex_unlock(&n->m);
}
