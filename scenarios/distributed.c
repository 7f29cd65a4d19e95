/*
 * distributed.c - a master and workers over a network queue.
 *
 * Mirrors tutorial 000's distributed processes (分布式进程): the master
 * registers a task queue and a result queue with a BaseManager at
 * ('127.0.0.1', 5000) with authkey b'abc', starts it, puts 10 random
 * numbers (randint(0, 1000)) as tasks and gets 10 results; a worker, a
 * separate program, connects with the same key, takes tasks, computes
 * n * n, sleeps 1 s and puts '%d*%d=%d' in the result queue.  The tutorial
 * starts one worker and says to start several; two are the default here, so
 * the queue is seen shared.
 *
 * Lessons: the queues live in the manager's server process and every put()
 * and get() is a request over a real TCP connection; the server checks the
 * key with a challenge (HMAC-SHA256 of a fresh number, so the key itself
 * never crosses the wire), and refuses a worker with the wrong key
 * (key_ok=0); a worker that dies mid-task (kill=1, it SIGKILLs itself)
 * loses that task unless the server puts it back (requeue=1) - without,
 * the master waits for a result that never comes: a deadlock the model
 * reports; when the master shuts the manager down, workers still waiting
 * for a task see their connection close and end.
 *
 * Shared: `net`, a real TCP listener (port= 0: a free port, chosen when the
 * server listens; listen=loopback, or all for a class on one network) and
 * the connections made to it while the run goes.  The queues are not
 * shared: they live in the server actor's own memory, as in the manager's
 * process, and only the requests reach them.  As threads, a worker cannot
 * SIGKILL itself without killing the program: kill=1 makes it drop its
 * connection and end instead, which is all the server sees either way.
 */
#include "config.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lockstep/lesson.h"

#define DIST_MAX_TASKS   100
#define DIST_MAX_WORKERS 16

enum { P_WORKERS, P_TASKS, P_DELAY_MS, P_KEY_OK, P_KILL, P_REQUEUE, P_PORT, P_LISTEN, P_SEED };
enum { DIST_LOOPBACK, DIST_ALL };

static const char *const dist_listen_names[] = { "loopback", "all", NULL };

static const struct ls_param_desc dist_params[] = {
	[P_WORKERS]  = { "workers", N_("worker processes that connect and take tasks"), 2, 1,
	                 DIST_MAX_WORKERS, NULL },
	[P_TASKS]    = { "tasks", N_("random numbers the master puts as tasks"), 10, 0,
	                 DIST_MAX_TASKS, NULL },
	[P_DELAY_MS] = { "delay_ms", N_("time a worker takes for one task (time.sleep(1))"), 1000, 0,
	                 60000, NULL },
	[P_KEY_OK]   = { "key_ok", N_("0 gives the last worker a wrong authkey"), 1, 0, 1, NULL },
	[P_KILL]     = { "kill", N_("1 kills the first worker in the middle of its first task"), 0,
	                 0, 1, NULL },
	[P_REQUEUE]  = { "requeue", N_("1 puts a dead worker's task back in the queue"), 0, 0, 1,
	                 NULL },
	[P_PORT]     = { "port", N_("TCP port to listen at (0: a free one)"), 0, 0, 65535, NULL },
	[P_LISTEN]   = { "listen", N_("loopback (127.0.0.1) or all (0.0.0.0: other machines too)"),
	                 DIST_LOOPBACK, DIST_LOOPBACK, DIST_ALL, dist_listen_names },
	[P_SEED]     = { "seed", N_("seeds the random numbers (the tasks and the challenges)"), 1, 0,
	                 1000000, NULL },
};

/* Roles, in actor id order: the master, the manager's server, the workers. */
enum { DIST_ROLE_MASTER, DIST_ROLE_SERVER, DIST_ROLE_WORKER };

#define DIST_KEY       "abc"   /* authkey=b'abc' */
#define DIST_WRONG_KEY "abd"
#define DIST_TASK_Q    0       /* a GET's value: which queue */
#define DIST_RESULT_Q  1

struct dist {
	ls_net *net;
	long workers, tasks, delay_ms, seed;
	int key_ok, kill, requeue;
};

/* splitmix64: the seeded random numbers (random.randint, a challenge's). */
static uint64_t
dist_random(uint64_t *state)
{
	return ls_splitmix64(state);
}

/* What connect() can end in, besides the connection's end. */
enum { DIST_REFUSED = -1, DIST_WRONG_KEY_REFUSED = -2, DIST_GONE = -3 };

/* connect(): a TCP connection, then the answer to the server's challenge.
 * A manager shut down mid-handshake is gone, not a verdict on the key. */
static int
dist_connect(struct dist *g, const char *key)
{
	struct ls_msg m;
	int c = ls_net_connect(g->net);  /* py:net_connect */
	int why = DIST_GONE;

	if (c < 0)
		return DIST_REFUSED;
	int end = ls_pipe_end(c, 1);
	if (ls_net_recv(g->net, end, &m) == 0) {  /* py:net_connect */
		ls_net_send(g->net, end, LS_MSG_ANSWER, ls_net_digest(key, m.value));  /* py:net_connect */
		int verdict = ls_net_auth(g->net, end);  /* py:net_connect */
		if (verdict == 0)
			return end;
		if (verdict == -1)
			why = DIST_WRONG_KEY_REFUSED;
	}
	ls_net_close(g->net, end);  /* py:net_connect */
	return why;
}

/* One request and its reply over the client's connection: -1 when closed. */
static int
dist_call(struct dist *g, int end, int tag, int64_t value, struct ls_msg *reply)
{
	if (ls_net_send(g->net, end, tag, value) != 0)  /* py:net_send */
		return -1;
	return ls_net_recv(g->net, end, reply);  /* py:net_recv */
}

/*
 * The manager's server process: the two queues live here.  One request at
 * a time, from whichever connection sent first; a get on an empty queue
 * waits, its reply sent when an item comes (the manager's thread per
 * connection does the same).
 */
struct dist_server {
	int64_t tasks[DIST_MAX_TASKS + 1], results[DIST_MAX_TASKS + 1];
	int ntasks, nresults;
	int getters[LS_NET_CONNS_MAX], ngetters;   /* ends waiting for a task */
	int master_waits;                          /* its end, or -1 */
	int64_t nonce[LS_NET_CONNS_MAX], doing[LS_NET_CONNS_MAX];
	int authed[LS_NET_CONNS_MAX], open[LS_NET_CONNS_MAX];
};

static void
dist_hand_out(struct dist *g, struct dist_server *sv)
{
	while (sv->ngetters > 0 && sv->ntasks > 0) {
		int end = sv->getters[0];
		int64_t n = sv->tasks[0];
		memmove(&sv->getters[0], &sv->getters[1], (size_t)--sv->ngetters * sizeof sv->getters[0]);
		memmove(&sv->tasks[0], &sv->tasks[1], (size_t)--sv->ntasks * sizeof sv->tasks[0]);
		sv->doing[end >> 1] = n;
		ls_net_send(g->net, end, LS_MSG_TASK, n);  /* py:net_serve */
	}
	if (sv->master_waits >= 0 && sv->nresults > 0) {
		int64_t r = sv->results[0];
		memmove(&sv->results[0], &sv->results[1], (size_t)--sv->nresults * sizeof sv->results[0]);
		ls_net_send(g->net, sv->master_waits, LS_MSG_RESULT, r);  /* py:net_serve */
		sv->master_waits = -1;
	}
}

/* A client gone: its task, if it had one, is lost or put back. */
static void
dist_gone(struct dist *g, struct dist_server *sv, int end)
{
	int c = end >> 1;

	if (sv->doing[c] >= 0) {
		if (g->requeue && sv->ntasks <= DIST_MAX_TASKS) {
			memmove(&sv->tasks[1], &sv->tasks[0], (size_t)sv->ntasks++ * sizeof sv->tasks[0]);
			sv->tasks[0] = sv->doing[c];
			ls_say("connection %d dropped mid-task: task %lld put back", c, (long long)sv->doing[c]);  /* py:say#5 */
		} else {
			ls_say("connection %d dropped mid-task: task %lld is lost", c, (long long)sv->doing[c]);  /* py:say#6 */
		}
		sv->doing[c] = -1;
	}
	for (int i = 0; i < sv->ngetters; i++)
		if (sv->getters[i] == end) {
			memmove(&sv->getters[i], &sv->getters[i + 1],
			        (size_t)(sv->ngetters - i - 1) * sizeof sv->getters[0]);
			sv->ngetters--;
			break;
		}
	sv->open[c] = 0;
	ls_net_close(g->net, end);  /* py:net_serve */
	dist_hand_out(g, sv);
}

/* A client's answer to its challenge: welcomed with the right key, else refused. */
static void
dist_answer(struct dist *g, struct dist_server *sv, int end, const struct ls_msg *m)
{
	int c = end >> 1;

	if (m->value == ls_net_digest(DIST_KEY, sv->nonce[c])) {
		sv->authed[c] = 1;
		ls_net_send(g->net, end, LS_MSG_WELCOME, 0);  /* py:net_serve */
	} else {
		ls_net_send(g->net, end, LS_MSG_FAILURE, LS_NET_WHY_KEY);  /* py:net_serve */
		sv->open[c] = 0;
		ls_net_close(g->net, end);  /* py:net_serve */
	}
}

/* manager.shutdown(): reply, close every connection and the listener. */
static void
dist_shutdown(struct dist *g, struct dist_server *sv, int end)
{
	ls_net_send(g->net, end, LS_MSG_REPLY, 0);  /* py:net_serve */
	for (int k = 0; k < LS_NET_CONNS_MAX; k++)
		if (sv->open[k]) {
			sv->open[k] = 0;
			ls_net_close(g->net, ls_pipe_end(k, 0));  /* py:net_close */
		}
	ls_net_close(g->net, -1);  /* py:net_close */
}

/* One message from an authenticated client (or its answer); 1 when the server stops. */
static int
dist_serve(struct dist *g, struct dist_server *sv, int end, const struct ls_msg *m)
{
	int c = end >> 1;

	switch (m->tag) {
	case LS_MSG_ANSWER:
		dist_answer(g, sv, end, m);
		break;
	case LS_MSG_PUT:
		if (sv->ntasks <= DIST_MAX_TASKS)
			sv->tasks[sv->ntasks++] = m->value;
		ls_net_send(g->net, end, LS_MSG_REPLY, sv->ntasks);  /* py:net_serve */
		dist_hand_out(g, sv);
		break;
	case LS_MSG_GET:
		if (m->value == DIST_RESULT_Q)
			sv->master_waits = end;
		else if (sv->ngetters < LS_NET_CONNS_MAX)
			sv->getters[sv->ngetters++] = end;
		dist_hand_out(g, sv);
		break;
	case LS_MSG_RESULT:
		sv->doing[c] = -1;
		if (sv->nresults <= DIST_MAX_TASKS)
			sv->results[sv->nresults++] = m->value;
		ls_net_send(g->net, end, LS_MSG_REPLY, sv->nresults);  /* py:net_serve */
		dist_hand_out(g, sv);
		break;
	case LS_MSG_STOP:
		dist_shutdown(g, sv, end);
		return 1;
	default:
		break;
	}
	return 0;
}

static void
dist_server(struct ls_actor_ctx *ctx)
{
	struct dist *g = ctx->state;
	struct dist_server sv;
	uint64_t rng = (uint64_t)g->seed * 7919 + 17;
	struct ls_msg m;
	int accept;

	memset(&sv, 0, sizeof sv);
	sv.master_waits = -1;
	for (int c = 0; c < LS_NET_CONNS_MAX; c++)
		sv.doing[c] = -1;
	if (ls_net_listen(g->net) != 0) {  /* py:net_serve */
		ls_say("cannot listen: the port is taken?");  /* py:say */
		return;
	}
	for (;;) {
		int end = ls_net_poll(g->net, &accept);  /* py:net_serve */
		if (accept) {
			int c = ls_net_accept(g->net);  /* py:net_serve */
			if (c < 0)
				continue;
			sv.open[c] = 1;
			sv.nonce[c] = (int64_t)(dist_random(&rng) >> 1);
			ls_net_send(g->net, ls_pipe_end(c, 0), LS_MSG_CHALLENGE, sv.nonce[c]);  /* py:net_serve */
			continue;
		}
		if (ls_net_recv(g->net, end, &m) != 0 ||  /* py:net_serve */
		    (!sv.authed[end >> 1] && m.tag != LS_MSG_ANSWER)) {
			dist_gone(g, &sv, end);
			continue;
		}
		if (dist_serve(g, &sv, end, &m))
			return;
	}
}

static void
dist_master(struct ls_actor_ctx *ctx)
{
	struct dist *g = ctx->state;
	uint64_t rng = (uint64_t)g->seed;
	struct ls_msg m;
	int end = dist_connect(g, DIST_KEY);

	if (end < 0) {
		ls_say("cannot reach the manager");  /* py:say */
		return;
	}
	for (long i = 0; i < g->tasks; i++) {
		long n = ls_note("n", (long)(dist_random(&rng) % 1001));  /* py:local */
		ls_say("Put task %ld...", n);  /* py:say#2 */
		dist_call(g, end, LS_MSG_PUT, n, &m);
	}
	ls_say("Try get results...");  /* py:say#3 */
	for (long i = 0; i < g->tasks; i++) {
		if (dist_call(g, end, LS_MSG_GET, DIST_RESULT_Q, &m) != 0)
			break;
		long n = 0;
		while ((n + 1) * (n + 1) <= m.value)
			n++;
		ls_say("Result: %ld*%ld=%lld", n, n, (long long)m.value);  /* py:say#4 */
	}
	dist_call(g, end, LS_MSG_STOP, 0, &m);   /* manager.shutdown() */
	ls_net_close(g->net, end);  /* py:net_close */
	ls_say("master end");  /* py:say#7 */
}

static void
dist_worker(struct ls_actor_ctx *ctx)
{
	struct dist *g = ctx->state;
	int wrong = !g->key_ok && ctx->index == g->workers - 1;
	struct ls_msg m;

	ls_say("Connect to server%s...", wrong ? " with the wrong key" : "");  /* py:say#8 */
	int end = dist_connect(g, wrong ? DIST_WRONG_KEY : DIST_KEY);
	if (end == DIST_REFUSED) {
		ls_say("connection refused: nobody listens");  /* py:say#9 */
		return;
	}
	if (end == DIST_WRONG_KEY_REFUSED) {
		ls_say("AuthenticationError: digest sent was rejected");  /* py:say#10 */
		return;
	}
	if (end == DIST_GONE) {
		ls_say("the manager is gone (EOFError): stop");  /* py:say#12 */
		return;
	}
	for (long i = 0; i < g->tasks; i++) {
		if (dist_call(g, end, LS_MSG_GET, DIST_TASK_Q, &m) != 0) {
			ls_say("the manager is gone (EOFError): stop");  /* py:say#12 */
			ls_net_close(g->net, end);  /* py:net_close#3 */
			return;
		}
		long n = ls_note("n", (long)m.value);  /* py:local#2 */
		ls_say("Run task %ld*%ld...", n, n);  /* py:say#11 */
		if (g->kill && ctx->index == 0 && i == 0) {
			if (ctx->kind == LS_ACTORS_PROCESSES)
				kill(getpid(), SIGKILL);
			/* A thread cannot die alone: it drops its connection instead. */
			ls_net_close(g->net, end);  /* py:net_close#2 */
			return;
		}
		ls_sleep(g->delay_ms);  /* py:sleep */
		dist_call(g, end, LS_MSG_RESULT, (int64_t)n * n, &m);
	}
	ls_say("work done");  /* py:say#13 */
	ls_net_close(g->net, end);  /* py:net_close#3 */
}

static const struct ls_role_desc dist_roles[] = {
	[DIST_ROLE_MASTER] = { .name = "master", .prefix = "master", .body = dist_master,
	                       .count_param = -1, .count = 1, .single = 1 },
	[DIST_ROLE_SERVER] = { .name = "manager", .prefix = "server", .body = dist_server,
	                       .count_param = -1, .count = 1, .single = 1 },
	[DIST_ROLE_WORKER] = { .name = "worker", .prefix = "W", .body = dist_worker,
	                       .count_param = P_WORKERS },
};

static int
dist_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct dist *g = state;
	const char *host = p[P_LISTEN] == DIST_ALL ? "0.0.0.0" : "127.0.0.1";

	g->net = ls_net_new(w, "net", (int)p[P_WORKERS] + 1, host, (int)p[P_PORT]);
	if (!g->net) {
		snprintf(err, len, "distributed: cannot make the network at %s:%ld", host, p[P_PORT]);
		return -1;
	}
	g->workers = p[P_WORKERS];
	g->tasks = p[P_TASKS];
	g->delay_ms = p[P_DELAY_MS];
	g->seed = p[P_SEED];
	g->key_ok = (int)p[P_KEY_OK];
	g->kill = (int)p[P_KILL];
	g->requeue = (int)p[P_REQUEUE];
	return 0;
}

/*
 * The fold: the tasks the master put, the results it got, what the server
 * handed each connection and whether a client went away holding it.
 */
struct dist_fold {
	long put, got, lost, requeued, refused, connects;
	int64_t tasks[DIST_MAX_TASKS];
	int have[DIST_MAX_TASKS];
	int64_t doing[LS_NET_CONNS_MAX];
	int init;
	int64_t last_lost;
};

static void
dist_fold(void *acc, const struct ls_model *m, const long *p, const struct ls_event *e)
{
	struct dist_fold *f = acc;

	if (!f->init) {
		for (int c = 0; c < LS_NET_CONNS_MAX; c++)
			f->doing[c] = -1;
		f->last_lost = -1;
		f->init = 1;
	}
	if (e->actor >= m->nactors)
		return;
	int role = m->actors[e->actor].role;
	int end = LS_PIPE_END(e->u.v.a), c = end >> 1, tag = LS_PIPE_TAG(e->u.v.a);
	if (c >= LS_NET_CONNS_MAX)
		return;
	if (e->op == LS_OP_NET_CONNECT && e->phase == LS_PH_DONE)
		f->connects++;
	if (e->op == LS_OP_NET_AUTH && e->phase == LS_PH_FAIL && tag == LS_MSG_FAILURE)
		f->refused++;
	if (e->op == LS_OP_NET_SEND && e->phase == LS_PH_DONE) {
		if (role == DIST_ROLE_MASTER && tag == LS_MSG_PUT && f->put < DIST_MAX_TASKS)
			f->tasks[f->put++] = e->u.v.b;
		if (role == DIST_ROLE_SERVER && tag == LS_MSG_TASK)
			f->doing[c] = e->u.v.b;
	}
	if (e->op == LS_OP_NET_RECV && role == DIST_ROLE_SERVER) {
		if (e->phase == LS_PH_DONE && tag == LS_MSG_RESULT)
			f->doing[c] = -1;
		if (e->phase == LS_PH_FAIL && f->doing[c] >= 0) {
			if (p[P_REQUEUE])
				f->requeued++;
			else {
				f->lost++;
				f->last_lost = f->doing[c];
			}
			f->doing[c] = -1;
		}
	}
	if (e->op == LS_OP_NET_RECV && e->phase == LS_PH_DONE && role == DIST_ROLE_MASTER &&
	    tag == LS_MSG_RESULT) {
		f->got++;
		for (long i = 0; i < f->put; i++)
			if (!f->have[i] && f->tasks[i] * f->tasks[i] == e->u.v.b) {
				f->have[i] = 1;
				break;
			}
	}
}

static void
dist_verdict(const struct ls_model *m, const long *p, struct ls_verdict *v)
{
	const struct dist_fold *f = ls_model_fold_state(m);
	int o = ls_model_find(m, "net");
	const struct ls_model_net *n = o >= 0 ? m->objs[o].net : NULL;
	long put = f ? f->put : 0, got = f ? f->got : 0, lost = f ? f->lost : 0;
	int stuck = !ls_model_finished(m) &&
	            (ls_model_deadlock(m, 0, NULL, 0) || ls_model_deadlock(m, 1, NULL, 0));
	char missing[96] = "";

	for (long i = 0, at = 0; f && i < f->put && at < (long)sizeof missing - 8; i++)
		if (!f->have[i])
			at += snprintf(missing + at, sizeof missing - (size_t)at, "%s%lld", at ? ", " : "",
			               (long long)f->tasks[i]);
	snprintf(v->expected, sizeof v->expected,
	         _("%ld results, each n*n of a task the master put"), p[P_TASKS]);
	snprintf(v->observed, sizeof v->observed, _("%ld of %ld results%s"), got, put,
	         stuck ? _(", then a deadlock") : "");
	if (stuck) {
		v->ok = 0;
		snprintf(v->summary, sizeof v->summary,
		         _("deadlock: the master waits for the result of task %s, which will never "
		         "come: the worker that held it died and the server did not put it back "
		         "(requeue=1 does)"), missing[0] ? missing : "?");
	} else if (!ls_model_finished(m)) {
		v->ok = -1;
		snprintf(v->summary, sizeof v->summary,
		         _("running: %ld tasks put, %ld results back, %ld in flight"), put, got,
		         o >= 0 ? m->objs[o].value : 0);
	} else if (got == p[P_TASKS] && put == p[P_TASKS]) {
		v->ok = 1;
		snprintf(v->summary, sizeof v->summary,
		         _("every task's result came back over the network%s%s"),
		         f && f->requeued ? _("; the dead worker's task was put back and done by "
		                              "another") : "",
		         f && f->refused ? _("; the worker with the wrong key was refused: its "
		                             "digest of the challenge did not match") : "");
	} else {
		v->ok = 0;
		snprintf(v->summary, sizeof v->summary,
		         _("%ld of %ld results came back; missing: %s"), got, put,
		         missing[0] ? missing : "-");
	}
	/* kill=1 kills a worker on purpose: the summary above speaks of it. */
	v->crash_told = p[P_KILL] != 0;
	ls_verdict_figure(v, "tasks", (double)put);
	ls_verdict_figure(v, "results", (double)got);
	ls_verdict_figure(v, "lost", (double)lost);
	ls_verdict_figure(v, "lost_task", (double)(f ? f->last_lost : -1));
	ls_verdict_figure(v, "requeued", (double)(f ? f->requeued : 0));
	ls_verdict_figure(v, "refused", (double)(f ? f->refused : 0));
	ls_verdict_figure(v, "connections", (double)(f ? f->connects : 0));
	ls_verdict_figure(v, "listening", n && n->listening == 1 ? 1.0 : 0.0);
	ls_verdict_figure(v, "port", n ? (double)n->port : 0.0);
	ls_verdict_figure(v, "deadlock", stuck ? 1.0 : 0.0);
}

/* ---- walkthrough ---------------------------------------------------------------- */

/* One worker with the wrong key, no task: refused at the handshake, then the
 * master connects with the right key and shuts the manager down. */
static const struct ls_walk_step dist_walk_key_steps[] = {
	{ "server", N_("The manager's server listens: a real TCP socket at 127.0.0.1, on a free "
	            "port the kernel chose (port=0). The Objects pane shows it as net, "
	            "listening at host:port.") },
	{ "W1", N_("W1 says it connects. It holds the key b'abd', not the master's b'abc'.") },
	{ "W1", N_("W1 connects: the kernel completes the TCP handshake at once, but the "
	        "connection waits in the listener's backlog until the server accepts it.") },
	{ "server", N_("The server looks for work (a connection to accept, a message, a client "
	            "gone) and finds W1's connection waiting.") },
	{ "server", N_("It accepts it: connection 0, W1 to the server.") },
	{ "server", N_("Before serving anything it sends a challenge: a fresh random number. "
	            "The key itself never crosses the wire.") },
	{ "W1", N_("W1 receives the challenge.") },
	{ "W1", N_("W1 answers with HMAC-SHA256(its key, the number): a digest only someone "
	        "who knows the key can make.") },
	{ NULL, N_("W1 now waits for the verdict on its digest: it cannot move until the server "
	        "answers. The message is in flight, toward the server.") },
	{ "server", N_("The server looks for work: W1's answer has arrived.") },
	{ "server", N_("It reads the digest and computes its own with b'abc': they differ.") },
	{ "server", N_("So it sends FAILURE: the key is wrong.") },
	{ "server", N_("And it closes its end of W1's connection. W1 was never served: no "
	            "queue, no task.") },
	{ "W1", N_("W1 reads the verdict: refused (multiprocessing raises AuthenticationError).") },
	{ "W1", N_("W1 closes its end: the connection is closed at both ends now.") },
	{ "W1", N_("W1 prints the error and ends.") },
	{ "master", N_("The master connects, with the right key.") },
	{ "server", N_("The server finds the master's connection waiting.") },
	{ "server", N_("It accepts it: connection 1.") },
	{ "server", N_("And sends the master a new challenge.") },
	{ "master", N_("The master receives it.") },
	{ "master", N_("The master answers with the HMAC of it under b'abc'.") },
	{ "server", N_("The server finds the answer.") },
	{ "server", N_("It reads it: the digests match.") },
	{ "server", N_("It sends WELCOME: the master may use the queues.") },
	{ "master", N_("The master reads the welcome: it is authenticated.") },
	{ "master", N_("tasks=0: no task to put, so it goes straight to the results, none to "
	            "wait for.") },
	{ "master", N_("manager.shutdown(): the master sends the server a request to stop.") },
	{ "server", N_("The server finds the request.") },
	{ "server", N_("It reads it.") },
	{ "server", N_("It replies, so the master knows the stop was heard.") },
	{ "server", N_("It closes its end of every open connection: only the master's is left.") },
	{ "server", N_("It closes the listener and ends: nothing listens at the port any more.") },
	{ "master", N_("The master reads the reply: the reply was already in flight, so closing "
	            "after it lost nothing.") },
	{ "master", N_("The master closes its end.") },
	{ "master", N_("The master prints that it ends: every actor is done.") },
};

static const struct ls_walkthrough dist_walkthroughs[] = {
	{ .title = N_("The wrong key is refused at the handshake"),
	  .params = "workers=1 tasks=0 delay_ms=0 key_ok=0",
	  .steps = dist_walk_key_steps,
	  .nsteps = sizeof dist_walk_key_steps / sizeof dist_walk_key_steps[0],
	  .ending = N_("The worker with the wrong key got as far as a TCP connection and a "
	            "challenge, and no further: its digest did not match, so the server "
	            "refused it before serving one request. The key never crossed the wire, "
	            "only a digest of a random number, new for every connection, so a digest "
	            "seen once cannot be replayed. Try kill=1 to lose a task instead.") },
};

/* The challenge: a task's result never comes (the master stuck waiting for
 * it, or ending without it). */
static int
dist_lost_one(const struct ls_model *m, const long *p)
{
	const struct dist_fold *f = ls_model_fold_state(m);

	if (!f)
		return 0;
	if (ls_model_finished(m))
		return f->got < p[P_TASKS];
	return ls_model_deadlock(m, 1, NULL, 0);
}

static const struct ls_challenge dist_challenges[] = {
	{ .title = N_("Lose a task: a worker dies holding it"),
	  .params = "workers=2 tasks=1 delay_ms=0 kill=1 requeue=0",
	  .hint = N_("the first worker dies in its first task; who does the server give a task?"),
	  .win =
		"server master server server server master master server server server master "
		"master master server server server master master master server server W1 W1 "
		"server server server W1 W1 server server server W1 W1",
	  .met = dist_lost_one },
};

/* Small sizes the explorer's tests search (tests/check_explore_reduce.c): a
 * handshake per connection puts even one worker and no task beyond the
 * unpruned search (453,593,538 schedules), so under a preemption bound of 0
 * (364): the shutdown races the worker's connect (welcomed and closed,
 * reset in the listener's backlog, or refused). */
static const struct ls_explore_case distributed_explore_cases[] = {
	{ .params = "workers=1 tasks=0 delay_ms=0", .bounded = 1, .bound = 0 },
};

const struct ls_scenario ls_scenario_distributed = {
	.name = "distributed",
	.position = 110,
	.title = N_("Distributed processes: a master and workers over a network queue"),
	.seed = "000: BaseManager at ('127.0.0.1', 5000), authkey b'abc', 10 tasks n*n",
	.lesson =
		N_("The master puts its task queue and result queue behind a BaseManager: a "
		"server process listening on a TCP port, with an authkey. Workers are separate "
		"processes (on this machine or others) that connect, prove they know the key, "
		"get tasks, compute n*n and put the results back; the master puts 10 random "
		"numbers and gets 10 results. Every put() and get() is a message over a real "
		"connection. The key never crosses the wire: the server sends a random challenge "
		"and the client answers with an HMAC of it, so a worker with the wrong key "
		"(key_ok=0) is refused. A worker that dies in the middle of a task (kill=1) "
		"takes the task with it: the master waits for a result that never comes, "
		"unless the server puts the task back when the connection drops (requeue=1). "
		"When the master shuts the manager down, workers still waiting for a task see "
		"their connection close and stop."),
	.params = dist_params,
	.nparams = sizeof dist_params / sizeof dist_params[0],
	.roles = dist_roles,
	.nroles = sizeof dist_roles / sizeof dist_roles[0],
	.kind = LS_ACTORS_PROCESSES,
	.toggle_param = P_REQUEUE,
	.state_size = sizeof(struct dist),
	.setup = dist_setup,
	.verdict = dist_verdict,
	.fold_size = sizeof(struct dist_fold),
	.fold = dist_fold,
	.walkthroughs = dist_walkthroughs,
	.nwalkthroughs = sizeof dist_walkthroughs / sizeof dist_walkthroughs[0],
	.challenges = dist_challenges,
	.nchallenges = sizeof dist_challenges / sizeof dist_challenges[0],
	.explore_cases = distributed_explore_cases,
	.nexplore_cases = sizeof distributed_explore_cases / sizeof distributed_explore_cases[0],
};
