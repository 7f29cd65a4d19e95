/*
 * serve.c - `lockstep serve distributed`: the master and its manager's
 * server in one process, on a real TCP port, for the class's workers.
 *
 * Safe on a class network: a connection must answer its challenge within
 * SERVE_HANDSHAKE_MS of being accepted, or it is dropped; handshakes have
 * SERVE_PENDING_MAX slots of their own, apart from the LS_NET_WORKERS_MAX
 * workers', and a new one that finds them full takes the place of the oldest
 * from the address holding the most, so idle sockets cannot shut honest
 * workers out; the answers of an address that sent a wrong key are judged no
 * sooner than its backoff allows (SERVE_BACKOFF_MS, doubling to
 * SERVE_BACKOFF_MAX_MS), right or wrong, so a key cannot be guessed online
 * at any speed; and the teacher's screen gets one line for an address's
 * first wrong key and then a count every SERVE_SUMMARY_MS, never a line a
 * try.  A client turned away because the workers' slots are full is told so
 * (FAILURE, LS_NET_REFUSED_FULL).  Nothing is left listening however serve
 * ends.  Must never: serve a client whose digest did not match.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/cleanup.h"
#include "engine/clock.h"
#include "lockstep/i18n.h"
#include "net/net.h"
#include "net/wire.h"

#define SERVE_PENDING_MAX     16      /* handshakes at once */
#define SERVE_SLOTS           (LS_NET_WORKERS_MAX + SERVE_PENDING_MAX)
#define SERVE_HANDSHAKE_MS    3000    /* from accept to an answer */
#define SERVE_BACKOFF_MS      250     /* after an address's first wrong key */
#define SERVE_BACKOFF_MAX_MS  8000
#define SERVE_HOSTS           64      /* addresses remembered for their backoff */
#define SERVE_SUMMARY_MS      5000
#define SERVE_ACCEPTS         64      /* accepted per pass at most */
#define MS                    UINT64_C(1000000)

struct serve_client {
	int fd;                      /* -1: a free slot */
	int authed;
	int held;                    /* its answer waits for its address's backoff */
	int64_t nonce, answer, doing;  /* doing: its task, or -1 */
	uint64_t since_ns;           /* accepted */
	struct in_addr host;
	size_t got;                  /* bytes of the frame read so far */
	struct ls_pipe_frame f;
	char name[64];               /* "127.0.0.1:45678" */
};

struct serve_host {
	struct in_addr a;
	unsigned fails;              /* wrong keys since its last right one */
	uint64_t until_ns, last_ns;  /* no answer judged before until */
};

struct serve_counts {
	long refused, late, evicted, full;
};

struct serve {
	int lfd;
	const struct ls_serve_opts *o;
	int64_t queue[LS_NET_TASKS_MAX + 1];
	int nqueue;
	int getters[SERVE_SLOTS], ngetters;
	long results, lost, connections;
	struct serve_counts total, shown;
	uint64_t summary_ns;
	struct serve_host hosts[SERVE_HOSTS];
	struct serve_client c[SERVE_SLOTS];
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

/* ---- addresses and their backoff ------------------------------------------------- */

/* The host's entry, made (in place of the least recently seen) if need be. */
static struct serve_host *
serve_host(struct serve *sv, struct in_addr a)
{
	struct serve_host *old = &sv->hosts[0];

	for (int i = 0; i < SERVE_HOSTS; i++) {
		struct serve_host *h = &sv->hosts[i];
		if (h->last_ns && h->a.s_addr == a.s_addr)
			return h;
		if (h->last_ns < old->last_ns)
			old = h;
	}
	memset(old, 0, sizeof *old);
	old->a = a;
	old->last_ns = ls_now_ns();
	return old;
}

static uint64_t
serve_backoff_ms(unsigned fails)
{
	uint64_t ms = SERVE_BACKOFF_MS;

	for (unsigned k = 1; k < fails && ms < SERVE_BACKOFF_MAX_MS; k++)
		ms *= 2;
	return ms < SERVE_BACKOFF_MAX_MS ? ms : SERVE_BACKOFF_MAX_MS;
}

/* ---- clients ----------------------------------------------------------------------- */

static void serve_hand_out(struct serve *sv);

/* Client i is gone (or dropped): its task put back, or lost. */
static void
serve_drop(struct serve *sv, int i, const char *why)
{
	struct serve_client *c = &sv->c[i];

	if (c->doing >= 0 && sv->o->requeue) {
		memmove(&sv->queue[1], &sv->queue[0], (size_t)sv->nqueue++ * sizeof sv->queue[0]);
		sv->queue[0] = c->doing;
		printf("worker %s %s mid-task: task %lld put back\n", c->name, why, (long long)c->doing);
	} else if (c->doing >= 0) {
		sv->lost++;
		printf("worker %s %s mid-task: task %lld is lost; the master will wait for its "
		       "result for ever (requeue=1 puts it back; Ctrl-C ends)\n", c->name, why,
		       (long long)c->doing);
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

static int
serve_count(const struct serve *sv, int authed)
{
	int n = 0;

	for (int i = 0; i < SERVE_SLOTS; i++)
		n += sv->c[i].fd >= 0 && sv->c[i].authed == authed;
	return n;
}

/* Handshakes full: the oldest of the address that holds the most makes room. */
static void
serve_evict(struct serve *sv)
{
	int worst = -1, most = 0;

	for (int i = 0; i < SERVE_SLOTS; i++) {
		const struct serve_client *c = &sv->c[i];
		int same = 0;
		if (c->fd < 0 || c->authed)
			continue;
		for (int k = 0; k < SERVE_SLOTS; k++)
			same += sv->c[k].fd >= 0 && !sv->c[k].authed &&
			        sv->c[k].host.s_addr == c->host.s_addr;
		if (same > most || (same == most && c->since_ns < sv->c[worst].since_ns)) {
			most = same;
			worst = i;
		}
	}
	if (worst >= 0) {
		sv->total.evicted++;
		serve_drop(sv, worst, "made room");
	}
}

/* Turned away: the workers' slots are all taken; the client is told. */
static void
serve_full(struct serve *sv, int fd)
{
	net_send(fd, LS_MSG_FAILURE, LS_NET_REFUSED_FULL);
	close(fd);
	if (sv->total.full++ == sv->shown.full)
		printf("a worker turned away: %d workers are served already (the most at once)\n",
		       LS_NET_WORKERS_MAX);
}

static void
serve_accept_one(struct serve *sv, int fd, const struct sockaddr_in *a)
{
	int i;

	if (serve_count(sv, 1) >= LS_NET_WORKERS_MAX) {
		serve_full(sv, fd);
		return;
	}
	if (serve_count(sv, 0) >= SERVE_PENDING_MAX)
		serve_evict(sv);
	for (i = 0; i < SERVE_SLOTS && sv->c[i].fd >= 0; i++)
		;
	struct serve_client *c = &sv->c[i];
	memset(c, 0, sizeof *c);
	c->fd = fd;
	c->doing = -1;
	c->nonce = serve_nonce();
	c->since_ns = ls_now_ns();
	c->host = a->sin_addr;
	snprintf(c->name, sizeof c->name, "%s", ls_net_addr_text(a));
	sv->connections++;
	if (net_send(fd, LS_MSG_CHALLENGE, c->nonce) != 0)
		serve_drop(sv, i, "went away");
}

static void
serve_accept(struct serve *sv)
{
	for (int k = 0; k < SERVE_ACCEPTS; k++) {
		struct sockaddr_in a;
		socklen_t len = sizeof a;
		int fd = accept4(sv->lfd, (struct sockaddr *)&a, &len, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0)
			return;
		serve_accept_one(sv, fd, &a);
	}
}

/* Client i's answer, now that its address may be judged. */
static void
serve_judge(struct serve *sv, int i)
{
	struct serve_client *c = &sv->c[i];
	struct serve_host *h = serve_host(sv, c->host);
	uint64_t now = ls_now_ns();

	c->held = 0;
	h->last_ns = now;
	if (c->answer != ls_net_digest(sv->o->key, c->nonce)) {
		h->fails++;
		h->until_ns = now + serve_backoff_ms(h->fails) * MS;
		if (sv->total.refused++ == 0 || h->fails == 1)
			printf("refused %s: wrong key (its digest of the challenge did not match); "
			       "more wrong keys are slowed down and counted\n", c->name);
		net_send(c->fd, LS_MSG_FAILURE, LS_NET_REFUSED_KEY);
		serve_drop(sv, i, "refused");
		return;
	}
	h->fails = 0;
	if (serve_count(sv, 1) >= LS_NET_WORKERS_MAX) {
		int fd = c->fd;
		c->fd = -1;
		serve_full(sv, fd);
		return;
	}
	c->authed = 1;
	printf("worker %s connected: its digest matches\n", c->name);
	if (net_send(c->fd, LS_MSG_WELCOME, 0) != 0)
		serve_drop(sv, i, "went away");
}

/* Is another answer of this address waiting longer than client i's? */
static int
serve_held_before(const struct serve *sv, int i)
{
	for (int k = 0; k < SERVE_SLOTS; k++)
		if (k != i && sv->c[k].fd >= 0 && sv->c[k].held &&
		    sv->c[k].host.s_addr == sv->c[i].host.s_addr && sv->c[k].since_ns < sv->c[i].since_ns)
			return 1;
	return 0;
}

/* An answer: judged now, or held until its address's backoff is over. */
static void
serve_answer(struct serve *sv, int i, int64_t value)
{
	struct serve_client *c = &sv->c[i];
	struct serve_host *h = serve_host(sv, c->host);

	c->answer = value;
	c->held = 1;
	if (ls_now_ns() >= h->until_ns && !serve_held_before(sv, i))
		serve_judge(sv, i);
}

/* A whole frame from client i: what the manager's server does with it. */
static void
serve_frame(struct serve *sv, int i)
{
	struct serve_client *c = &sv->c[i];
	struct ls_pipe_frame f = c->f;

	c->got = 0;
	if (f.size != 0 || f.tag > NET_TAG_MAX) {
		serve_drop(sv, i, "sent what is no frame of the protocol: dropped");
		return;
	}
	if (!c->authed) {
		if (f.tag != LS_MSG_ANSWER) {
			sv->total.late++;
			serve_drop(sv, i, "broke the handshake");
		} else {
			serve_answer(sv, i, f.value);
		}
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

	while (c->fd >= 0 && !c->held) {
		ssize_t n = recv(c->fd, (char *)&c->f + c->got, sizeof c->f - c->got, MSG_DONTWAIT);
		if (n > 0) {
			c->got += (size_t)n;
			if (c->got == sizeof c->f)
				serve_frame(sv, i);
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

/* Counts since the last summary, in one line. */
static void
serve_summary(struct serve *sv, uint64_t now)
{
	struct serve_counts d = {
		sv->total.refused - sv->shown.refused, sv->total.late - sv->shown.late,
		sv->total.evicted - sv->shown.evicted, sv->total.full - sv->shown.full,
	};

	if (now - sv->summary_ns < (uint64_t)SERVE_SUMMARY_MS * MS)
		return;
	sv->summary_ns = now;
	if (!d.refused && !d.late && !d.evicted && !d.full)
		return;
	printf("in the last %d s: %ld wrong key%s (slowed down), %ld handshake%s unfinished within "
	       "%d s, %ld dropped to make room, %ld turned away (full)\n", SERVE_SUMMARY_MS / 1000,
	       d.refused, d.refused == 1 ? "" : "s", d.late, d.late == 1 ? "" : "s",
	       SERVE_HANDSHAKE_MS / 1000, d.evicted, d.full);
	sv->shown = sv->total;
}

/* Between polls: late handshakes dropped, held answers judged, the summary. */
static void
serve_tick(struct serve *sv)
{
	uint64_t now = ls_now_ns();

	for (int i = 0; i < SERVE_SLOTS; i++) {
		struct serve_client *c = &sv->c[i];
		if (c->fd < 0 || c->authed)
			continue;
		if (c->held) {
			if (now >= serve_host(sv, c->host)->until_ns && !serve_held_before(sv, i))
				serve_judge(sv, i);
		} else if (now - c->since_ns >= (uint64_t)SERVE_HANDSHAKE_MS * MS) {
			sv->total.late++;
			serve_drop(sv, i, "too slow");
		}
	}
	serve_summary(sv, now);
}

static void
serve_close_all(struct serve *sv)
{
	for (int i = 0; i < SERVE_SLOTS; i++)
		if (sv->c[i].fd >= 0) {
			close(sv->c[i].fd);
			sv->c[i].fd = -1;
		}
	if (sv->lfd >= 0)
		close(sv->lfd);
	sv->lfd = -1;
}

static int
serve_listen(const struct sockaddr_in *want, struct sockaddr_in *got, char *err, size_t len)
{
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	socklen_t sl = sizeof *got;

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(fd, (const struct sockaddr *)want, sizeof *want) != 0 || listen(fd, 128) != 0 ||
	    getsockname(fd, (struct sockaddr *)got, &sl) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		snprintf(err, len, _("serve: cannot listen at %s: %s"), ls_net_addr_text(want),
		         strerror(e));
		return -1;
	}
	return fd;
}

/* One poll over the listener and every client not held; 0, or -1 (poll failed). */
static int
serve_poll(struct serve *sv, char *err, size_t len)
{
	struct pollfd fds[SERVE_SLOTS + 1];
	int who[SERVE_SLOTS + 1], k = 0;

	fds[k] = (struct pollfd){ .fd = sv->lfd, .events = POLLIN };
	who[k++] = -1;
	for (int i = 0; i < SERVE_SLOTS; i++)
		if (sv->c[i].fd >= 0 && !sv->c[i].held) {
			fds[k] = (struct pollfd){ .fd = sv->c[i].fd, .events = POLLIN };
			who[k++] = i;
		}
	int n = poll(fds, (nfds_t)k, NET_SLICE_MS);
	int sig = ls_cleanup_signalled();
	if (sig) {
		serve_close_all(sv);
		printf("stopped: %ld of %ld results\n", sv->results, sv->o->tasks);
		ls_cleanup_reraise(sig);
	}
	if (n < 0 && errno != EINTR) {
		snprintf(err, len, _("serve: poll: %s"), strerror(errno));
		return -1;
	}
	for (int j = 0; n > 0 && j < k; j++) {
		if (!fds[j].revents)
			continue;
		if (who[j] < 0)
			serve_accept(sv);
		else if (sv->c[who[j]].fd >= 0)
			serve_read(sv, who[j]);
	}
	serve_tick(sv);
	return 0;
}

int
ls_net_serve(const struct ls_serve_opts *o, char *err, size_t len)
{
	static struct serve sv;
	struct sockaddr_in at;

	memset(&sv, 0, sizeof sv);
	sv.o = o;
	for (int i = 0; i < SERVE_SLOTS; i++)
		sv.c[i].fd = -1;
	if ((sv.lfd = serve_listen(&o->at, &at, err, len)) < 0)
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("serving distributed at %s (requeue=%d); workers join with:\n"
	       "  lockstep worker %s --key=KEY\n", ls_net_addr_text(&at), o->requeue,
	       o->at.sin_addr.s_addr == htonl(INADDR_ANY) ? "HOST:PORT" : ls_net_addr_text(&at));
	uint64_t rng = o->seed;
	for (long i = 0; i < o->tasks && i < LS_NET_TASKS_MAX; i++) {
		sv.queue[sv.nqueue++] = (int64_t)(serve_random(&rng) % 1001);
		printf("Put task %lld...\n", (long long)sv.queue[sv.nqueue - 1]);
	}
	printf("Try get results...\n");
	sv.summary_ns = ls_now_ns();
	while (sv.results < o->tasks)
		if (serve_poll(&sv, err, len) != 0) {
			serve_close_all(&sv);
			return 1;
		}
	/* manager.shutdown(): workers still waiting for a task read the end. */
	serve_close_all(&sv);
	printf("master end: %ld of %ld results, %ld connection%s, %ld refused (wrong key)\n",
	       sv.results, o->tasks, sv.connections, sv.connections == 1 ? "" : "s", sv.total.refused);
	return 0;
}
