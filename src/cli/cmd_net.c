/*
 * cmd_net.c - teacher mode for the distributed lesson: `lockstep serve
 * distributed` is the master and its manager's server in one process,
 * listening on a real TCP port for workers, and `lockstep worker HOST:PORT`
 * is one worker, run by each student in a terminal of their own, on this
 * machine or another.  The same wire as the lesson (scenarios/distributed.c
 * over src/engine/probe_net.c): frames of struct ls_pipe_frame, the
 * server's challenge on every connection, the client's answer HMAC-SHA256
 * (key, challenge) (src/engine/hmac.c), WELCOME or FAILURE, then GET / TASK
 * and RESULT / REPLY.  Here the challenges are drawn from the kernel's
 * random source, not from the lesson's seed.
 *
 * Safety: serve listens at 127.0.0.1 unless --listen names another address,
 * and never without --key; a client is served nothing before its digest
 * matches, and at most SERVE_CLIENTS_MAX are connected at once.  Frames are
 * in the machine's own byte order, as in the lesson: every worker of a class
 * must run on machines of one byte order (x86 and ARM Linux both are
 * little-endian).  Nothing is left listening however serve ends.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli_int.h"
#include "engine/cleanup.h"
#include "engine/params.h"
#include "engine/world.h"
#include "lockstep/objects.h"

#define SERVE_CLIENTS_MAX  LS_NET_CONNS_MAX
#define SERVE_TASKS_MAX    100
#define NET_KEY_MAX        64
#define NET_WAIT_MS        10000   /* a worker's connect, challenge and verdict */
#define NET_SLICE_MS       250     /* longest a wait goes without looking at signals */
#define NET_TASK_Q         0       /* a GET's value: which queue (as the lesson's) */

/* ---- what both share ------------------------------------------------------------ */

/* "HOST:PORT", HOST a numeric IPv4 address or localhost; 0 or -1 (bad). */
static int
net_parse_addr(const char *text, int port_zero_ok, struct sockaddr_in *a)
{
	char host[64];
	const char *colon = strrchr(text, ':');
	char *end;
	long port;

	if (!colon || colon == text || (size_t)(colon - text) >= sizeof host || !colon[1])
		return -1;
	memcpy(host, text, (size_t)(colon - text));
	host[colon - text] = '\0';
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno || *end || port < (port_zero_ok ? 0 : 1) || port > 65535)
		return -1;
	memset(a, 0, sizeof *a);
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof host, "127.0.0.1");
	return inet_pton(AF_INET, host, &a->sin_addr) == 1 ? 0 : -1;
}

static const char *
net_addr_text(const struct sockaddr_in *a)
{
	static char buf[2][64];
	static int which;
	char host[INET_ADDRSTRLEN];

	which ^= 1;
	inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
	snprintf(buf[which], sizeof buf[which], "%s:%d", host, ntohs(a->sin_port));
	return buf[which];
}

/* --key=KEY: 1..NET_KEY_MAX bytes of printable text. */
static int
net_key_ok(const char *key)
{
	size_t n = strlen(key);

	if (n == 0 || n > NET_KEY_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)key[i] < 0x20 || key[i] == 0x7f)
			return 0;
	return 1;
}

static int
net_send(int fd, int tag, int64_t value)
{
	struct ls_pipe_frame f = { .value = value, .seq = 0, .size = 0, .tag = (uint32_t)tag };
	size_t off = 0;

	while (off < sizeof f) {
		ssize_t n = send(fd, (const char *)&f + off, sizeof f - off, MSG_NOSIGNAL);
		if (n > 0)
			off += (size_t)n;
		else if (n < 0 && errno == EINTR)
			continue;
		else
			return -1;
	}
	return 0;
}

/* ---- lockstep worker ------------------------------------------------------------ */

/*
 * Wait for fd (POLLIN or POLLOUT) for at most ms (-1: for ever), looking at
 * the signals every slice: 1 ready, 0 timed out; a signal ends the worker.
 */
static int
worker_wait(int fd, short events, int ms)
{
	for (int waited = 0; ms < 0 || waited < ms; waited += NET_SLICE_MS) {
		struct pollfd p = { .fd = fd, .events = events };
		int n = poll(&p, 1, NET_SLICE_MS);
		int sig = ls_cleanup_signalled();

		if (sig) {
			close(fd);
			ls_cleanup_reraise(sig);
		}
		if (n > 0)
			return 1;
		if (n < 0 && errno != EINTR)
			return 1;   /* the read or write that follows says what */
	}
	return 0;
}

/* One frame: 0; 1 at the end of the connection; -1 torn or bad; -2 timed out. */
static int
worker_recv(int fd, struct ls_pipe_frame *f, int ms)
{
	size_t got = 0;

	while (got < sizeof *f) {
		if (!worker_wait(fd, POLLIN, ms))
			return -2;
		ssize_t n = recv(fd, (char *)f + got, sizeof *f - got, MSG_DONTWAIT);
		if (n > 0)
			got += (size_t)n;
		else if (n == 0 || (n < 0 && errno == ECONNRESET))
			return got == 0 ? 1 : -1;
		else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return -1;
	}
	return f->size == 0 && f->tag <= 15 ? 0 : -1;
}

static int
worker_connect(const struct sockaddr_in *a)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), err = 0;
	socklen_t len = sizeof err;

	if (fd < 0) {
		cli_error(_("worker: cannot make a socket: %s"), strerror(errno));
		return -1;
	}
	if (connect(fd, (const struct sockaddr *)a, sizeof *a) != 0 && errno != EINPROGRESS)
		err = errno;
	else if (!worker_wait(fd, POLLOUT, NET_WAIT_MS))
		err = ETIMEDOUT;
	else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		err = errno;
	if (err) {
		close(fd);
		if (err == ECONNREFUSED)
			cli_error(_("worker: connection refused at %s: nobody listens there"),
			          net_addr_text(a));
		else if (err == ETIMEDOUT)
			cli_error(_("worker: no answer from %s within %d s"), net_addr_text(a),
			          NET_WAIT_MS / 1000);
		else
			cli_error(_("worker: cannot connect to %s: %s"), net_addr_text(a), strerror(err));
		return -1;
	}
	return fd;
}

static int
cmd_worker_exec(int argc, char **argv)
{
	const char *addr = NULL, *key = NULL;
	long delay_ms = 1000, done = 0;
	struct sockaddr_in a;
	struct ls_pipe_frame f;

	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--key=", 6) == 0) {
			key = argv[i] + 6;
		} else if (strncmp(argv[i], "--delay-ms=", 11) == 0) {
			char *end;
			errno = 0;
			delay_ms = strtol(argv[i] + 11, &end, 10);
			if (errno || *end || end == argv[i] + 11 || delay_ms < 0 || delay_ms > 60000)
				return cli_usage_error(_("worker: %s: accepted: 0..60000 (ms a task takes)"),
				                       cli_q(argv[i]));
		} else if (argv[i][0] == '-') {
			return cli_usage_error(_("worker: unknown option '%s'"), cli_q(argv[i]));
		} else if (addr) {
			return cli_usage_error(_("worker: one address only ('%s' and '%s')"), cli_q(addr),
			                       cli_q(argv[i]));
		} else {
			addr = argv[i];
		}
	}
	if (!addr)
		return cli_usage_error(_("worker: which manager? (lockstep worker HOST:PORT --key=KEY)"));
	if (net_parse_addr(addr, 0, &a) != 0)
		return cli_usage_error(_("worker: bad address '%s' (want HOST:PORT, HOST a numeric "
		                         "IPv4 address, e.g. 127.0.0.1:5000)"), cli_q(addr));
	if (!key)
		return cli_usage_error(_("worker: --key=KEY is required (the manager's authkey)"));
	if (!net_key_ok(key))
		return cli_usage_error(_("worker: --key must be 1 to %d printable characters"),
		                       NET_KEY_MAX);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("Connect to server %s...\n", net_addr_text(&a));
	int fd = worker_connect(&a);
	if (fd < 0)
		return LS_EXIT_FAIL;
	int rc = worker_recv(fd, &f, NET_WAIT_MS);
	if (rc != 0 || f.tag != LS_MSG_CHALLENGE) {
		close(fd);
		if (rc == -2)
			cli_error(_("worker: %s sent no challenge within %d s: not a lockstep manager?"),
			          net_addr_text(&a), NET_WAIT_MS / 1000);
		else
			cli_error(_("worker: %s does not speak the manager's protocol"), net_addr_text(&a));
		return LS_EXIT_FAIL;
	}
	if (net_send(fd, LS_MSG_ANSWER, ls_net_digest(key, f.value)) != 0 ||
	    (rc = worker_recv(fd, &f, NET_WAIT_MS)) != 0 ||
	    (f.tag != LS_MSG_WELCOME && f.tag != LS_MSG_FAILURE)) {
		close(fd);
		cli_error(_("worker: %s closed the connection during the handshake"), net_addr_text(&a));
		return LS_EXIT_FAIL;
	}
	if (f.tag == LS_MSG_FAILURE) {
		close(fd);
		cli_error(_("worker: %s refused the key: its digest of the challenge did not match "
		            "(AuthenticationError)"), net_addr_text(&a));
		return 3;
	}
	printf("connected: the key is accepted\n");
	for (;;) {
		if (net_send(fd, LS_MSG_GET, NET_TASK_Q) != 0 || worker_recv(fd, &f, -1) != 0 ||
		    f.tag != LS_MSG_TASK)
			break;
		int64_t n = f.value;
		printf("Run task %lld*%lld...\n", (long long)n, (long long)n);
		struct timespec ts = { delay_ms / 1000, (delay_ms % 1000) * 1000000L };
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			if (ls_cleanup_signalled()) {
				close(fd);
				ls_cleanup_reraise(ls_cleanup_signalled());
			}
		if (net_send(fd, LS_MSG_RESULT, n * n) != 0 || worker_recv(fd, &f, -1) != 0 ||
		    f.tag != LS_MSG_REPLY) {
			printf("the manager is gone before taking the result of %lld\n", (long long)n);
			break;
		}
		printf("Put result %lld*%lld=%lld\n", (long long)n, (long long)n, (long long)(n * n));
		done++;
	}
	close(fd);
	printf("the manager is gone (EOFError): stop, %ld task%s done\n", done, done == 1 ? "" : "s");
	return LS_EXIT_OK;
}

const struct cli_cmd cli_cmd_worker = {
	.name = "worker",
	.usage = "worker HOST:PORT --key=KEY [--delay-ms=N]",
	.help = N_("teacher mode: one worker of `lockstep serve distributed`, in a terminal of its "
	           "own"),
	.options = N_("  --key=KEY              the manager's authkey (required; never sent)\n"
	              "  --delay-ms=N           time one task takes (default 1000)\n"
	              "Exit status: 0 the manager ended the work; 1 no connection or it broke;\n"
	              "2 bad usage; 3 the key was refused.\n"),
	.exec = cmd_worker_exec,
};

/* ---- lockstep serve distributed -------------------------------------------------- */

struct serve_client {
	int fd;                      /* -1: a free slot */
	int authed;
	int64_t nonce, doing;        /* doing: its task, or -1 */
	size_t got;                  /* bytes of the frame read so far */
	struct ls_pipe_frame f;
	char name[64];               /* "127.0.0.1:45678" */
};

struct serve {
	int lfd;
	const char *key;
	int requeue;
	long tasks;
	int64_t queue[SERVE_TASKS_MAX + 1];
	int nqueue;
	int getters[SERVE_CLIENTS_MAX], ngetters;
	long results, lost, refused, connections;
	struct serve_client c[SERVE_CLIENTS_MAX];
};

/* splitmix64, as the lesson draws its tasks. */
static uint64_t
serve_random(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* A challenge from the kernel's random source. */
static int64_t
serve_nonce(void)
{
	uint64_t v = 0;

	while (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v)
		if (errno != EINTR)
			break;
	return (int64_t)(v >> 1);
}

static void serve_hand_out(struct serve *sv);

/* Client i is gone (or dropped): its task put back, or lost. */
static void
serve_drop(struct serve *sv, int i, const char *why)
{
	struct serve_client *c = &sv->c[i];

	if (c->doing >= 0) {
		if (sv->requeue) {
			memmove(&sv->queue[1], &sv->queue[0], (size_t)sv->nqueue++ * sizeof sv->queue[0]);
			sv->queue[0] = c->doing;
			printf("worker %s %s mid-task: task %lld put back\n", c->name, why,
			       (long long)c->doing);
		} else {
			sv->lost++;
			printf("worker %s %s mid-task: task %lld is lost; the master will wait for its "
			       "result for ever (requeue=1 puts it back; Ctrl-C ends)\n", c->name, why,
			       (long long)c->doing);
		}
	} else if (c->authed) {
		printf("worker %s %s\n", c->name, why);
	}
	for (int k = 0; k < sv->ngetters; k++)
		if (sv->getters[k] == i) {
			memmove(&sv->getters[k], &sv->getters[k + 1],
			        (size_t)(sv->ngetters - k - 1) * sizeof sv->getters[0]);
			sv->ngetters--;
			break;
		}
	close(c->fd);
	c->fd = -1;
	/* A task put back goes to a worker already waiting for one. */
	serve_hand_out(sv);
}

/* Tasks to the workers waiting for one, in the order they asked. */
static void
serve_hand_out(struct serve *sv)
{
	while (sv->ngetters > 0 && sv->nqueue > 0) {
		int i = sv->getters[0];
		int64_t n = sv->queue[0];

		memmove(&sv->getters[0], &sv->getters[1], (size_t)--sv->ngetters * sizeof sv->getters[0]);
		memmove(&sv->queue[0], &sv->queue[1], (size_t)--sv->nqueue * sizeof sv->queue[0]);
		sv->c[i].doing = n;
		if (net_send(sv->c[i].fd, LS_MSG_TASK, n) != 0) {
			serve_drop(sv, i, "went away");
			continue;
		}
		printf("task %lld to worker %s\n", (long long)n, sv->c[i].name);
	}
}

static void
serve_accept(struct serve *sv)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	int fd = accept4(sv->lfd, (struct sockaddr *)&a, &len, SOCK_CLOEXEC | SOCK_NONBLOCK), i;

	if (fd < 0)
		return;
	for (i = 0; i < SERVE_CLIENTS_MAX && sv->c[i].fd >= 0; i++)
		;
	if (i == SERVE_CLIENTS_MAX) {
		printf("a connection from %s turned away: %d clients already\n", net_addr_text(&a),
		       SERVE_CLIENTS_MAX);
		close(fd);
		return;
	}
	struct serve_client *c = &sv->c[i];
	memset(c, 0, sizeof *c);
	c->fd = fd;
	c->doing = -1;
	c->nonce = serve_nonce();
	snprintf(c->name, sizeof c->name, "%s", net_addr_text(&a));
	sv->connections++;
	if (net_send(fd, LS_MSG_CHALLENGE, c->nonce) != 0)
		serve_drop(sv, i, "went away");
}

/* A whole frame from client i: what the manager's server does with it. */
static void
serve_frame(struct serve *sv, int i)
{
	struct serve_client *c = &sv->c[i];
	struct ls_pipe_frame f = c->f;

	c->got = 0;
	if (f.size != 0 || f.tag > 15) {
		serve_drop(sv, i, "sent what is no frame of the protocol: dropped");
		return;
	}
	if (!c->authed) {
		if (f.tag == LS_MSG_ANSWER && f.value == ls_net_digest(sv->key, c->nonce)) {
			c->authed = 1;
			printf("worker %s connected: its digest matches\n", c->name);
			if (net_send(c->fd, LS_MSG_WELCOME, 0) != 0)
				serve_drop(sv, i, "went away");
			return;
		}
		sv->refused++;
		printf("refused %s: wrong key (its digest of the challenge did not match)\n", c->name);
		net_send(c->fd, LS_MSG_FAILURE, LS_NET_WHY_KEY);
		serve_drop(sv, i, "refused");
		return;
	}
	switch (f.tag) {
	case LS_MSG_GET:
		/* One task at a time: a worker asks again only after its result. */
		for (int k = 0; k < sv->ngetters; k++)
			if (sv->getters[k] == i)
				f.value = -1;
		if (f.value != NET_TASK_Q || c->doing >= 0) {
			serve_drop(sv, i, "asked for a task it may not have: dropped");
			break;
		}
		sv->getters[sv->ngetters++] = i;
		serve_hand_out(sv);
		break;
	case LS_MSG_RESULT: {
		long n = 0;
		/* Only the square of the task it holds counts as a result. */
		if (c->doing < 0 || f.value != c->doing * c->doing) {
			serve_drop(sv, i, "sent a result that is not its task's square: dropped");
			break;
		}
		c->doing = -1;
		sv->results++;
		while ((n + 1) * (n + 1) <= f.value)
			n++;
		printf("Result: %ld*%ld=%lld (from %s)\n", n, n, (long long)f.value, c->name);
		if (net_send(c->fd, LS_MSG_REPLY, sv->results) != 0)
			serve_drop(sv, i, "went away");
		break;
	}
	default:
		serve_drop(sv, i, "asked for what a worker may not: dropped");
		break;
	}
}

static void
serve_read(struct serve *sv, int i)
{
	struct serve_client *c = &sv->c[i];

	for (;;) {
		ssize_t n = recv(c->fd, (char *)&c->f + c->got, sizeof c->f - c->got, MSG_DONTWAIT);
		if (n > 0) {
			c->got += (size_t)n;
			if (c->got == sizeof c->f) {
				serve_frame(sv, i);
				if (c->fd < 0)
					return;
			}
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0 && errno == EINTR)
			continue;
		serve_drop(sv, i, "went away");
		return;
	}
}

static void
serve_close_all(struct serve *sv)
{
	for (int i = 0; i < SERVE_CLIENTS_MAX; i++)
		if (sv->c[i].fd >= 0) {
			close(sv->c[i].fd);
			sv->c[i].fd = -1;
		}
	if (sv->lfd >= 0)
		close(sv->lfd);
	sv->lfd = -1;
}

static int
serve_listen(const struct sockaddr_in *want, struct sockaddr_in *got)
{
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	socklen_t len = sizeof *got;

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(fd, (const struct sockaddr *)want, sizeof *want) != 0 || listen(fd, 64) != 0 ||
	    getsockname(fd, (struct sockaddr *)got, &len) != 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		cli_error(_("serve: cannot listen at %s: %s"), net_addr_text(want), strerror(err));
		return -1;
	}
	return fd;
}

static int
cmd_serve_exec(int argc, char **argv)
{
	static struct serve sv;
	const struct ls_scenario *s;
	const char *listen_at = "127.0.0.1:5000";
	long p[LS_PARAMS_MAX];
	char err[CLI_ERR_MAX];
	struct sockaddr_in want, at;

	if (argc < 1 || argv[0][0] == '-')
		return cli_usage_error(_("serve: which lesson? (lockstep serve distributed --key=KEY)"));
	if (!(s = cli_scenario(argv[0])))
		return LS_EXIT_USAGE;
	if (strcmp(s->name, "distributed") != 0)
		return cli_usage_error(_("serve: only the distributed lesson serves workers over a "
		                         "network, not '%s'"), cli_q(s->name));
	memset(&sv, 0, sizeof sv);
	sv.lfd = -1;
	ls_params_default(s, p);
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--key=", 6) == 0) {
			sv.key = argv[i] + 6;
		} else if (strncmp(argv[i], "--listen=", 9) == 0) {
			listen_at = argv[i] + 9;
		} else if (argv[i][0] == '-') {
			return cli_usage_error(_("serve: unknown option '%s'"), cli_q(argv[i]));
		} else {
			const char *eq = strchr(argv[i], '=');
			size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
			if (!((n == 5 && strncmp(argv[i], "tasks", 5) == 0) ||
			      (n == 7 && strncmp(argv[i], "requeue", 7) == 0) ||
			      (n == 4 && strncmp(argv[i], "seed", 4) == 0)))
				return cli_usage_error(_("serve: '%s': serve takes tasks=, requeue=, seed= "
				                         "(the workers are the students')"), cli_q(argv[i]));
			if (ls_params_set(s, p, argv[i], err, sizeof err) != 0)
				return cli_usage_error("%s", err);
		}
	}
	if (net_parse_addr(listen_at, 1, &want) != 0)
		return cli_usage_error(_("serve: bad address '%s' for --listen (want HOST:PORT, HOST a "
		                         "numeric IPv4 address, e.g. 127.0.0.1:5000)"),
		                       cli_q(listen_at));
	if (!sv.key)
		return cli_usage_error(_("serve: --key=KEY is required: a worker must prove it knows "
		                         "it (the key itself never crosses the wire)"));
	if (!net_key_ok(sv.key))
		return cli_usage_error(_("serve: --key must be 1 to %d printable characters"),
		                       NET_KEY_MAX);
	sv.tasks = p[ls_scenario_param_index(s, "tasks")];
	sv.requeue = (int)p[ls_scenario_param_index(s, "requeue")];
	for (int i = 0; i < SERVE_CLIENTS_MAX; i++)
		sv.c[i].fd = -1;
	if ((sv.lfd = serve_listen(&want, &at)) < 0)
		return LS_EXIT_FAIL;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("serving distributed at %s (requeue=%d); workers join with:\n"
	       "  lockstep worker %s --key=KEY\n", net_addr_text(&at), sv.requeue,
	       want.sin_addr.s_addr == htonl(INADDR_ANY) ? "HOST:PORT" : net_addr_text(&at));
	uint64_t rng = (uint64_t)p[ls_scenario_param_index(s, "seed")];
	for (long i = 0; i < sv.tasks; i++) {
		sv.queue[sv.nqueue++] = (int64_t)(serve_random(&rng) % 1001);
		printf("Put task %lld...\n", (long long)sv.queue[sv.nqueue - 1]);
	}
	printf("Try get results...\n");
	while (sv.results < sv.tasks) {
		struct pollfd fds[SERVE_CLIENTS_MAX + 1];
		int who[SERVE_CLIENTS_MAX + 1], k = 0;

		fds[k] = (struct pollfd){ .fd = sv.lfd, .events = POLLIN };
		who[k++] = -1;
		for (int i = 0; i < SERVE_CLIENTS_MAX; i++)
			if (sv.c[i].fd >= 0) {
				fds[k] = (struct pollfd){ .fd = sv.c[i].fd, .events = POLLIN };
				who[k++] = i;
			}
		int n = poll(fds, (nfds_t)k, NET_SLICE_MS);
		int sig = ls_cleanup_signalled();
		if (sig) {
			serve_close_all(&sv);
			printf("stopped: %ld of %ld results\n", sv.results, sv.tasks);
			ls_cleanup_reraise(sig);
		}
		if (n < 0 && errno != EINTR) {
			cli_error(_("serve: poll: %s"), strerror(errno));
			serve_close_all(&sv);
			return LS_EXIT_FAIL;
		}
		for (int j = 0; n > 0 && j < k; j++) {
			if (!fds[j].revents)
				continue;
			if (who[j] < 0)
				serve_accept(&sv);
			else if (sv.c[who[j]].fd >= 0)
				serve_read(&sv, who[j]);
		}
	}
	/* manager.shutdown(): workers still waiting for a task read the end. */
	serve_close_all(&sv);
	printf("master end: %ld of %ld results, %ld connection%s, %ld refused (wrong key)\n",
	       sv.results, sv.tasks, sv.connections, sv.connections == 1 ? "" : "s", sv.refused);
	return LS_EXIT_OK;
}

const struct cli_cmd cli_cmd_serve = {
	.name = "serve",
	.usage = "serve distributed --key=KEY [--listen=HOST:PORT] [tasks=N] [requeue=0|1] [seed=N]",
	.help = N_("teacher mode: the master and its manager, waiting for workers on the network"),
	.options = N_("  --key=KEY              the authkey workers must prove they know (required)\n"
	              "  --listen=HOST:PORT     where to listen (default 127.0.0.1:5000, this machine\n"
	              "                         only; 0.0.0.0:5000 lets other machines in; port 0:\n"
	              "                         a free one, printed)\n"
	              "Ends when every task's result is back (exit 0); workers still waiting see\n"
	              "the connection close and stop.\n"),
	.exec = cmd_serve_exec,
};
