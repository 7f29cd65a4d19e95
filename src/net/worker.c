/*
 * worker.c - `lockstep worker`: one student's worker.  It trusts nothing
 * the server sends: every frame is checked against what the protocol allows
 * at that point (the tag, no payload, the value's range: a task n whose n*n
 * would not fit is refused), the whole handshake (connect, challenge,
 * verdict) has one deadline, and every violation ends the worker with one
 * line and exit 1.  Only the end of the connection while it waits for a
 * task is the manager's normal end (exit 0).
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "engine/cleanup.h"
#include "engine/clock.h"
#include "engine/world.h"
#include "lockstep/i18n.h"
#include "net/net.h"
#include "net/wire.h"

#define WORKER_HANDSHAKE_MS 10000   /* connect, challenge and verdict, all of it */

enum { RECV_OK, RECV_END, RECV_TORN, RECV_LATE };

/* The signals, looked at between slices: a caught one ends the worker by it. */
static void
worker_signals(int fd)
{
	int sig = ls_cleanup_signalled();

	if (sig) {
		close(fd);
		ls_cleanup_reraise(sig);
	}
}

/* Wait for fd until deadline_ns (0: for ever): 1 ready, 0 past the deadline. */
static int
worker_wait(int fd, short events, uint64_t deadline_ns)
{
	for (;;) {
		uint64_t now = ls_now_ns();
		int ms = NET_SLICE_MS;
		if (deadline_ns) {
			if (now >= deadline_ns)
				return 0;
			if ((deadline_ns - now) / 1000000u < (uint64_t)ms)
				ms = (int)((deadline_ns - now) / 1000000u) + 1;
		}
		struct pollfd p = { .fd = fd, .events = events };
		int n = poll(&p, 1, ms);
		worker_signals(fd);
		if (n > 0 || (n < 0 && errno != EINTR))
			return 1;   /* the read or write that follows says what */
	}
}

/* One whole frame by deadline_ns (0: none). */
static int
worker_recv(int fd, struct ls_pipe_frame *f, uint64_t deadline_ns)
{
	size_t got = 0;

	while (got < sizeof *f) {
		if (!worker_wait(fd, POLLIN, deadline_ns))
			return RECV_LATE;
		ssize_t n = recv(fd, (char *)f + got, sizeof *f - got, MSG_DONTWAIT);
		if (n > 0)
			got += (size_t)n;
		else if (n == 0 || (n < 0 && errno == ECONNRESET))
			return got == 0 ? RECV_END : RECV_TORN;
		else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return RECV_TORN;
	}
	return RECV_OK;
}

static const char *
worker_tag_name(uint32_t tag)
{
	static const char *const names[] = {
		[LS_MSG_VALUE] = "VALUE", [LS_MSG_GET] = "GET", [LS_MSG_SET] = "SET",
		[LS_MSG_REPLY] = "REPLY", [LS_MSG_STOP] = "STOP", [LS_MSG_CHALLENGE] = "CHALLENGE",
		[LS_MSG_ANSWER] = "ANSWER", [LS_MSG_WELCOME] = "WELCOME", [LS_MSG_FAILURE] = "FAILURE",
		[LS_MSG_PUT] = "PUT", [LS_MSG_TASK] = "TASK", [LS_MSG_RESULT] = "RESULT",
		[LS_MSG_APPEND] = "APPEND", [LS_MSG_ITEM] = "ITEM",
	};

	return tag < sizeof names / sizeof names[0] && names[tag] ? names[tag] : "an unknown tag";
}

/*
 * A frame that is not what the protocol allows now (want: the tags that
 * are, for the message): one line in err, exit 1.
 */
static int
worker_violation(const struct ls_worker_opts *o, const struct ls_pipe_frame *f, const char *want,
                 char *err, size_t len)
{
	if (f->size != 0)
		snprintf(err, len, _("worker: %s broke the protocol: a frame with %u bytes of payload "
		                     "where %s was due"), ls_net_addr_text(&o->at), (unsigned)f->size, want);
	else
		snprintf(err, len, _("worker: %s broke the protocol: %s (%lld) where %s was due"),
		         ls_net_addr_text(&o->at), worker_tag_name(f->tag), (long long)f->value, want);
	return 1;
}

/* A broken read (rc not RECV_OK) while `doing`: one line in err, exit 1. */
static int
worker_broken(const struct ls_worker_opts *o, int rc, const char *doing, char *err, size_t len)
{
	if (rc == RECV_LATE)
		snprintf(err, len, _("worker: %s did not finish the handshake within %d s: not a "
		                     "lockstep manager?"), ls_net_addr_text(&o->at),
		         WORKER_HANDSHAKE_MS / 1000);
	else if (rc == RECV_TORN)
		snprintf(err, len, _("worker: %s broke the protocol: the connection ended inside a "
		                     "frame (%s)"), ls_net_addr_text(&o->at), doing);
	else
		snprintf(err, len, _("worker: %s closed the connection during %s"),
		         ls_net_addr_text(&o->at), doing);
	return 1;
}

static int
worker_connect(const struct ls_worker_opts *o, uint64_t deadline, char *err, size_t len)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), e = 0;
	socklen_t sl = sizeof e;

	if (fd < 0) {
		snprintf(err, len, _("worker: cannot make a socket: %s"), strerror(errno));
		return -1;
	}
	if (connect(fd, (const struct sockaddr *)&o->at, sizeof o->at) != 0 && errno != EINPROGRESS)
		e = errno;
	else if (!worker_wait(fd, POLLOUT, deadline))
		e = ETIMEDOUT;
	else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &sl) != 0)
		e = errno;
	if (!e)
		return fd;
	close(fd);
	if (e == ECONNREFUSED)
		snprintf(err, len, _("worker: connection refused at %s: nobody listens there"),
		         ls_net_addr_text(&o->at));
	else if (e == ETIMEDOUT)
		snprintf(err, len, _("worker: no answer from %s within %d s"), ls_net_addr_text(&o->at),
		         WORKER_HANDSHAKE_MS / 1000);
	else
		snprintf(err, len, _("worker: cannot connect to %s: %s"), ls_net_addr_text(&o->at),
		         strerror(e));
	return -1;
}

/* Challenge, answer, verdict, all by one deadline: 0, or an exit status. */
static int
worker_handshake(const struct ls_worker_opts *o, int fd, uint64_t deadline, char *err, size_t len)
{
	struct ls_pipe_frame f;
	int rc = worker_recv(fd, &f, deadline);

	if (rc != RECV_OK)
		return worker_broken(o, rc, _("the handshake"), err, len);
	if (f.size == 0 && f.tag == LS_MSG_FAILURE && f.value == LS_NET_REFUSED_FULL) {
		snprintf(err, len, _("worker: %s is full: %d workers are served already; try again "
		                     "when one has ended"), ls_net_addr_text(&o->at), LS_NET_WORKERS_MAX);
		return 1;
	}
	if (f.size != 0 || f.tag != LS_MSG_CHALLENGE)
		return worker_violation(o, &f, "CHALLENGE", err, len);
	if (net_send(fd, LS_MSG_ANSWER, ls_net_digest(o->key, f.value)) != 0)
		return worker_broken(o, RECV_END, _("the handshake"), err, len);
	if ((rc = worker_recv(fd, &f, deadline)) != RECV_OK)
		return worker_broken(o, rc, _("the handshake"), err, len);
	if (f.size == 0 && f.tag == LS_MSG_WELCOME && f.value == 0)
		return 0;
	if (f.size == 0 && f.tag == LS_MSG_FAILURE && f.value == LS_NET_REFUSED_KEY) {
		snprintf(err, len, _("worker: %s refused the key: its digest of the challenge did not "
		                     "match (AuthenticationError)"), ls_net_addr_text(&o->at));
		return 3;
	}
	if (f.size == 0 && f.tag == LS_MSG_FAILURE && f.value == LS_NET_REFUSED_FULL) {
		snprintf(err, len, _("worker: %s is full: %d workers are served already; try again "
		                     "when one has ended"), ls_net_addr_text(&o->at), LS_NET_WORKERS_MAX);
		return 1;
	}
	return worker_violation(o, &f, "WELCOME or FAILURE", err, len);
}

/* The task's time, ended early only by a signal. */
static void
worker_sleep(int fd, long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		worker_signals(fd);
}

/* GET, TASK, the work, RESULT, REPLY until the manager ends: an exit status. */
static int
worker_loop(const struct ls_worker_opts *o, int fd, char *err, size_t len)
{
	struct ls_pipe_frame f;
	long done = 0;
	int rc;

	for (;;) {
		if (net_send(fd, LS_MSG_GET, NET_TASK_Q) != 0 || (rc = worker_recv(fd, &f, 0)) == RECV_END)
			break;
		if (rc != RECV_OK)
			return worker_broken(o, rc, "GET", err, len);
		if (f.size != 0 || f.tag != LS_MSG_TASK)
			return worker_violation(o, &f, "TASK", err, len);
		if (f.value < 0 || f.value > LS_NET_TASK_MAX) {
			snprintf(err, len, _("worker: %s broke the protocol: task %lld is outside "
			                     "0..%lld (its square would not fit)"), ls_net_addr_text(&o->at),
			         (long long)f.value, (long long)LS_NET_TASK_MAX);
			return 1;
		}
		int64_t n = f.value, sq = n * n;
		printf("Run task %lld*%lld...\n", (long long)n, (long long)n);
		worker_sleep(fd, o->delay_ms);
		if (net_send(fd, LS_MSG_RESULT, sq) != 0 || (rc = worker_recv(fd, &f, 0)) == RECV_END) {
			printf("the manager is gone before taking the result of %lld\n", (long long)n);
			break;
		}
		if (rc != RECV_OK)
			return worker_broken(o, rc, "RESULT", err, len);
		if (f.size != 0 || f.tag != LS_MSG_REPLY || f.value < 1)
			return worker_violation(o, &f, "REPLY", err, len);
		printf("Put result %lld*%lld=%lld\n", (long long)n, (long long)n, (long long)sq);
		done++;
	}
	printf("the manager is gone (EOFError): stop, %ld task%s done\n", done, done == 1 ? "" : "s");
	return 0;
}

int
ls_net_worker(const struct ls_worker_opts *o, char *err, size_t len)
{
	uint64_t deadline = ls_now_ns() + (uint64_t)WORKER_HANDSHAKE_MS * 1000000u;
	int fd, rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("Connect to server %s...\n", ls_net_addr_text(&o->at));
	if ((fd = worker_connect(o, deadline, err, len)) < 0)
		return 1;
	if ((rc = worker_handshake(o, fd, deadline, err, len)) == 0) {
		printf("connected: the key is accepted\n");
		rc = worker_loop(o, fd, err, len);
	}
	close(fd);
	return rc;
}
