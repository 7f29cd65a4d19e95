/*
 * manager.c - a dict held by a server process, decremented by 100 clients.
 *
 * Mirrors tutorial 002's Manager example: dic = m.dict({'count': 100}), and
 * 100 processes each run work(dic, lock): d['count'] -= 1, with the lock
 * commented out; the tutorial printed {'count': 94}.  Each request to a
 * manager is atomic - the server does one at a time - but d['count'] -= 1 is
 * two requests: a get (__getitem__) and then a set (__setitem__).  Two
 * clients that both get 100 before either sets will both set 99: a
 * decrement lost.  With the lock (a multiprocessing.Lock, as in the
 * tutorial) around the pair, none is; the count ends at exactly 0.  (001
 * says a pool needs no lock; this is when it does: a read-modify-write of
 * shared state, here through a server.)
 *
 * Shared: `manager`, the server's connections - a real AF_UNIX socketpair
 * per client (and one for the main process), one object - and `lock`.  The
 * dict itself is not shared: it lives in the server actor's own memory (its
 * stack), and only the requests reach it.  The server is an actor of its
 * own, serving requests one at a time in the order they were sent until the
 * main process, having joined every client and printed the dict, tells it
 * to stop (the end of the `with Manager()` block).
 *
 * program=list is tutorial 004's Manager example instead: d = m.dict() and
 * l = m.list(range(5)); 10 processes each do d[os.getpid()] = os.getpid(),
 * l.append(os.getpid()) and print(l); main prints both at the end.  Every
 * one of those is a single request, so nothing is lost: the list ends with
 * every pid, in the order the appends reached the server.  Reading the list
 * is a request too; the reply is its length, then each item.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lockstep/lesson.h"

enum { P_CLIENTS, P_START, P_LOCKED, P_PROGRAM };
enum { PROGRAM_COUNT, PROGRAM_LIST };

static const char *const manager_program_names[] = { "count", "list", NULL };

#define MANAGER_LIST_START 5                              /* range(5) */
#define MANAGER_LIST_MAX   (MANAGER_LIST_START + LS_PIPE_CONNS_MAX)
enum { MANAGER_READ_LIST, MANAGER_READ_DICT };            /* a GET's value in program=list */

static const struct ls_param_desc manager_params[] = {
	[P_CLIENTS] = { "clients", N_("processes, each doing d['count'] -= 1 once"), 100, 1,
	                LS_PIPE_CONNS_MAX - 1, NULL },
	[P_START]   = { "start", N_("the dict's count to begin with"), 100, -1000000, 1000000, NULL },
	[P_LOCKED]  = { "locked", N_("1 holds a lock around each get-and-set"), 0, 0, 1, NULL },
	[P_PROGRAM] = { "program", N_("count: 002's d['count'] -= 1; list: 004's d[pid] = pid and "
	                "l.append(pid) (10 clients there)"), PROGRAM_COUNT, PROGRAM_COUNT, PROGRAM_LIST,
	                manager_program_names },
};

/* Roles, in actor id order: main, the server, then the clients. */
enum { MANAGER_ROLE_MAIN, MANAGER_ROLE_SERVER, MANAGER_ROLE_CLIENT };
#define MANAGER_FIRST_CLIENT 2
#define MANAGER_CLIENT_SIDE  0
#define MANAGER_SERVER_SIDE  1

struct manager {
	ls_pipe *conns;      /* connection i: client i; the last one: main */
	ls_mutex *lock;
	long clients, start;
	int locked;
	int program;
};

/* One request: send it on the client's connection, wait for the reply. */
static int64_t
manager_call(struct manager *g, int conn, int tag, int64_t value)
{
	int end = ls_pipe_end(conn, MANAGER_CLIENT_SIDE);
	struct ls_msg reply = { 0 };

	ls_pipe_send_tag(g->conns, end, tag, value);  /* py:pipe_send */
	ls_pipe_recv(g->conns, end, &reply);  /* py:pipe_send */
	return reply.value;
}

/*
 * program=list: the server's dict {pid: pid} and list, in its own memory.
 * A set is d[v] = v, an append l.append(v), a get (value: which) reads the
 * list or the dict's keys: the reply is the length, then an item each.
 */
struct manager_store {
	int64_t list[MANAGER_LIST_MAX], keys[LS_PIPE_CONNS_MAX];
	int nlist, nkeys;
};

static void
manager_serve_list(struct manager *g, struct manager_store *st, const struct ls_msg *req)
{
	const int64_t *items = st->list;
	int n = st->nlist;

	switch (req->tag) {
	case LS_MSG_SET: {
		int k = 0;
		while (k < st->nkeys && st->keys[k] != req->value)
			k++;
		if (k == st->nkeys && st->nkeys < LS_PIPE_CONNS_MAX)
			st->keys[st->nkeys++] = req->value;
		ls_pipe_send_tag(g->conns, req->end, LS_MSG_REPLY, st->nkeys);  /* py:pipe_recv */
		return;
	}
	case LS_MSG_APPEND:
		if (st->nlist < MANAGER_LIST_MAX)
			st->list[st->nlist++] = req->value;
		ls_pipe_send_tag(g->conns, req->end, LS_MSG_REPLY, st->nlist);  /* py:pipe_recv */
		return;
	case LS_MSG_GET:
		if (req->value == MANAGER_READ_DICT) {
			items = st->keys;
			n = st->nkeys;
		}
		ls_pipe_send_tag(g->conns, req->end, LS_MSG_REPLY, n);  /* py:pipe_recv */
		for (int i = 0; i < n; i++)
			ls_pipe_send_tag(g->conns, req->end, LS_MSG_ITEM, items[i]);  /* py:pipe_recv */
		return;
	default:
		ls_pipe_send_tag(g->conns, req->end, LS_MSG_REPLY, 0);  /* py:pipe_recv */
		return;
	}
}

/* The server process: the dict lives here, in this actor's own memory. */
static void
manager_server(struct ls_actor_ctx *ctx)
{
	struct manager *g = ctx->state;
	long count = g->start;      /* {'count': start} */
	struct ls_msg req;
	struct manager_store st;   /* 4 KB, on this actor's own stack (256 KB) */

	st.nlist = st.nkeys = 0;
	for (int i = 0; i < MANAGER_LIST_START; i++)
		st.list[st.nlist++] = i;
	for (;;) {
		if (ls_pipe_recv_any(g->conns, MANAGER_SERVER_SIDE, &req) != 0)  /* py:pipe_recv */
			continue;
		/* One request at a time, each whole: that is what makes it atomic. */
		if (g->program == PROGRAM_LIST && req.tag != LS_MSG_STOP) {
			manager_serve_list(g, &st, &req);
			continue;
		}
		if (req.tag == LS_MSG_SET)
			count = (long)req.value;
		ls_pipe_send_tag(g->conns, req.end, LS_MSG_REPLY, count);  /* py:pipe_recv */
		if (req.tag == LS_MSG_STOP)
			return;
	}
}

/* One item of a list or dict read, added to buf: "[0, 1, ..., 4242]",
 * "{4242: 4242, ...}" ("..." in the middle when long). */
static size_t
manager_show(char *buf, size_t len, size_t used, long i, long n, int dict, int64_t v)
{
	if (used >= len)
		return used;
	if (i == 0)
		used += (size_t)snprintf(buf + used, len - used, "%s", dict ? "{" : "[");
	if (n > 12 && i >= 4 && i < n - 6) {   /* the head and the tail */
		if (i == 4 && used < len)
			used += (size_t)snprintf(buf + used, len - used, ", ...");
		return used;
	}
	if (used < len && dict)
		used += (size_t)snprintf(buf + used, len - used, "%s%lld: %lld", i ? ", " : "",
		                         (long long)v, (long long)v);
	else if (used < len)
		used += (size_t)snprintf(buf + used, len - used, "%s%lld", i ? ", " : "", (long long)v);
	return used;
}

static void
manager_show_end(char *buf, size_t len, size_t used, long n, int dict)
{
	if (n == 0 && used < len)
		used += (size_t)snprintf(buf + used, len - used, "%s", dict ? "{" : "[");
	if (used < len)
		snprintf(buf + used, len - used, "%s", dict ? "}" : "]");
}

/* The items of a list read (lst[:]): n of them follow the length. */
static void
manager_list_items(struct manager *g, int end, long n, char *buf, size_t len)
{
	struct ls_msg item;
	size_t used = 0;

	for (long i = 0; i < n; i++) {
		ls_pipe_recv(g->conns, end, &item);  /* py:pipe_send#6 */
		used = manager_show(buf, len, used, i, n, 0, item.value);
	}
	manager_show_end(buf, len, used, n, 0);
}

/* The keys of a dict read (d.copy()), as {key: value}: here key = value. */
static void
manager_dict_items(struct manager *g, int end, long n, char *buf, size_t len)
{
	struct ls_msg item;
	size_t used = 0;

	for (long i = 0; i < n; i++) {
		ls_pipe_recv(g->conns, end, &item);  /* py:pipe_send#7 */
		used = manager_show(buf, len, used, i, n, 1, item.value);
	}
	manager_show_end(buf, len, used, n, 1);
}

/* 004's f(d, l): d[pid] = pid; l.append(pid); print(l) - three requests,
 * each whole, none a read-modify-write. */
static void
manager_list_client(struct ls_actor_ctx *ctx, struct manager *g)
{
	int end = ls_pipe_end(ctx->index, MANAGER_CLIENT_SIDE);
	int64_t pid = (int64_t)getpid();
	struct ls_msg reply;
	char shown[LS_SAID_MAX];

	ls_pipe_send_tag(g->conns, end, LS_MSG_SET, pid);  /* py:pipe_send#4 */
	ls_pipe_recv(g->conns, end, &reply);  /* py:pipe_send#4 */
	ls_pipe_send_tag(g->conns, end, LS_MSG_APPEND, pid);  /* py:pipe_send#5 */
	ls_pipe_recv(g->conns, end, &reply);  /* py:pipe_send#5 */
	ls_pipe_send_tag(g->conns, end, LS_MSG_GET, MANAGER_READ_LIST);  /* py:pipe_send#6 */
	ls_pipe_recv(g->conns, end, &reply);  /* py:pipe_send#6 */
	manager_list_items(g, end, (long)reply.value, shown, sizeof shown);
	ls_say("%s", shown);  /* py:say#2 */
}

/* main's end of 004: print(d), print(l), then the manager shuts down. */
static void
manager_list_main(struct manager *g, int mine)
{
	int end = ls_pipe_end(mine, MANAGER_CLIENT_SIDE);
	struct ls_msg reply;
	char shown[LS_SAID_MAX];

	ls_pipe_send_tag(g->conns, end, LS_MSG_GET, MANAGER_READ_DICT);  /* py:pipe_send#7 */
	ls_pipe_recv(g->conns, end, &reply);  /* py:pipe_send#7 */
	manager_dict_items(g, end, (long)reply.value, shown, sizeof shown);
	ls_say("%s", shown);  /* py:say#3 */
	ls_pipe_send_tag(g->conns, end, LS_MSG_GET, MANAGER_READ_LIST);  /* py:pipe_send#8 */
	ls_pipe_recv(g->conns, end, &reply);  /* py:pipe_send#8 */
	manager_list_items(g, end, (long)reply.value, shown, sizeof shown);
	ls_say("%s", shown);  /* py:say#4 */
	manager_call(g, mine, LS_MSG_STOP, 0);
}

/* work(d, lock): d['count'] -= 1 */
static void
manager_client(struct ls_actor_ctx *ctx)
{
	struct manager *g = ctx->state;

	if (g->program == PROGRAM_LIST) {
		manager_list_client(ctx, g);
		return;
	}

	if (g->locked)
		ls_lock(g->lock);  /* py:lock */
	int64_t count = manager_call(g, ctx->index, LS_MSG_GET, 0);  ls_note("count", (long)count);  /* py:pipe_send */ /* d['count'] */
	manager_call(g, ctx->index, LS_MSG_SET, count - 1);             /* d['count'] = ... */
	if (g->locked)
		ls_unlock(g->lock);  /* py:unlock */
}

/* Join every client, print the dict, leave the `with` block. */
static void
manager_main(struct ls_actor_ctx *ctx)
{
	struct manager *g = ctx->state;
	int mine = (int)g->clients;

	for (int i = 0; i < g->clients; i++)
		ls_join(MANAGER_FIRST_CLIENT + i);  /* py:join */
	if (g->program == PROGRAM_LIST) {
		manager_list_main(g, mine);
		return;
	}
	int64_t count = manager_call(g, mine, LS_MSG_GET, 0);
	ls_say("{'count': %lld}", (long long)count);  /* py:say */
	manager_call(g, mine, LS_MSG_STOP, 0);
}

static const struct ls_role_desc manager_roles[] = {
	[MANAGER_ROLE_MAIN] = { .name = "main", .prefix = "main", .body = manager_main,
	                        .count_param = -1, .count = 1, .single = 1 },
	[MANAGER_ROLE_SERVER] = { .name = "manager", .prefix = "server", .body = manager_server,
	                          .count_param = -1, .count = 1, .single = 1 },
	[MANAGER_ROLE_CLIENT] = { .name = "client", .prefix = "P", .body = manager_client,
	                          .count_param = P_CLIENTS },
};

static int
manager_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct manager *g = state;

	g->conns = ls_pipe_new(w, "manager", (int)p[P_CLIENTS] + 1, 0);
	g->lock = ls_mutex_new(w, "lock");
	if (!g->conns || !g->lock) {
		snprintf(err, len, "manager: cannot create %ld connections to the server",
		         p[P_CLIENTS] + 1);
		return -1;
	}
	g->clients = p[P_CLIENTS];
	g->start = p[P_START];
	g->locked = (int)p[P_LOCKED];
	g->program = (int)p[P_PROGRAM];
	return 0;
}

/*
 * The dict as the server holds it, from the requests it received: it
 * applies each one whole, the moment it has it.  A set that does not write
 * one less than the count it replaces was computed from a stale get.
 */
struct manager_fold {
	int init;
	long count;
	long gets, sets, stale;
	/* program=list: the server's appends and dict sets, and whether the
	 * appends came in the order the clients were started. */
	long appends, dict_sets;
	int last_appender, out_of_order;
};

static void
manager_fold(void *acc, const struct ls_model *m, const long *p, const struct ls_event *e)
{
	struct manager_fold *f = acc;

	if (!f->init) {
		f->count = p[P_START];
		f->init = 1;
	}
	if (e->actor >= m->nactors || m->actors[e->actor].role != MANAGER_ROLE_SERVER ||
	    e->op != LS_OP_PIPE_RECV || e->phase != LS_PH_DONE)
		return;
	/* Requests from main (the last connection) are not the clients' work. */
	if ((LS_PIPE_END(e->u.v.a) >> 1) >= p[P_CLIENTS])
		return;
	if (p[P_PROGRAM] == PROGRAM_LIST) {
		int conn = LS_PIPE_END(e->u.v.a) >> 1;
		if (LS_PIPE_TAG(e->u.v.a) == LS_MSG_SET)
			f->dict_sets++;
		if (LS_PIPE_TAG(e->u.v.a) != LS_MSG_APPEND)
			return;
		if (f->appends++ && conn < f->last_appender)
			f->out_of_order = 1;
		f->last_appender = conn;
		return;
	}
	switch (LS_PIPE_TAG(e->u.v.a)) {
	case LS_MSG_GET:
		f->gets++;
		break;
	case LS_MSG_SET:
		f->sets++;
		if (e->u.v.b != f->count - 1)
			f->stale++;
		f->count = e->u.v.b;
		break;
	default:
		break;
	}
}

/* 004's program: every append is one request, so every one is kept. */
static void
manager_list_verdict(const struct ls_model *m, const long *p, struct ls_verdict *v,
                     const struct manager_fold *f)
{
	long n = p[P_CLIENTS], appends = f ? f->appends : 0;
	int done = ls_model_finished(m);

	snprintf(v->expected, sizeof v->expected,
	         _("l holds range(5) and all %ld pids; d a key per process"), n);
	snprintf(v->observed, sizeof v->observed, _("l has %ld items, %ld appends reached the server"),
	         MANAGER_LIST_START + appends, appends);
	if (!done) {
		v->ok = -1;
		snprintf(v->summary, sizeof v->summary, _("running: %ld of %ld appends done"), appends, n);
	} else {
		v->ok = appends == n;
		snprintf(v->summary, sizeof v->summary,
		         v->ok ? _("every l.append() kept: each is one request, done whole by the server, "
		                 "so no lock is needed; the pids are in the order the requests arrived%s")
		               : _("%s%ld of the appends never reached the server"),
		         v->ok ? (f && f->out_of_order ? _(", not the order the processes were started")
		                                       : "") : "", n - appends);
	}
	ls_verdict_figure(v, "appends", (double)appends);
	ls_verdict_figure(v, "list_len", (double)(MANAGER_LIST_START + appends));
	ls_verdict_figure(v, "dict_sets", (double)(f ? f->dict_sets : 0));
	ls_verdict_figure(v, "out_of_order", (double)(f ? f->out_of_order : 0));
}

static void
manager_verdict(const struct ls_model *m, const long *p, struct ls_verdict *v)
{
	const struct manager_fold *f = ls_model_fold_state(m);
	long expected = p[P_START] - p[P_CLIENTS];

	if (p[P_PROGRAM] == PROGRAM_LIST) {
		manager_list_verdict(m, p, v, f);
		return;
	}
	long count = f && f->init ? f->count : p[P_START];
	long lost = count - expected;
	int done = ls_model_finished(m);

	snprintf(v->expected, sizeof v->expected, _("{'count': %ld} (%ld - %ld decrements)"),
	         expected, p[P_START], p[P_CLIENTS]);
	snprintf(v->observed, sizeof v->observed, _("{'count': %ld}"), count);
	if (!done) {
		v->ok = -1;
		snprintf(v->summary, sizeof v->summary, _("running: %ld sets of %ld done, count %ld"),
		         f ? f->sets : 0, p[P_CLIENTS], count);
	} else if (count == expected) {
		v->ok = 1;
		snprintf(v->summary, sizeof v->summary,
		         _("expected %ld, got %ld: every decrement counted%s"), expected, count,
		         p[P_LOCKED] ? _(" (the lock kept each get-and-set pair together)") : "");
	} else {
		v->ok = 0;
		snprintf(v->summary, sizeof v->summary,
		         _("expected %ld, got %ld: %ld decrement%s lost. Each request was atomic, "
		         "but d['count'] -= 1 is two of them: clients got the same count and "
		         "set the same value"), expected, count, lost, lost == 1 ? "" : "s");
	}
	ls_verdict_figure(v, "expected", (double)expected);
	ls_verdict_figure(v, "count", (double)count);
	if (done)
		ls_verdict_figure(v, "lost", (double)lost);
	ls_verdict_figure(v, "requests", (double)(f ? f->gets + f->sets : 0));
	ls_verdict_figure(v, "stale_sets", (double)(f ? f->stale : 0));
}

/*
 * The walkthroughs: two clients, one request at a time.  Without the lock
 * both get 100 and both set 99; with it, the second waits for the first's
 * pair of requests.
 */
static const struct ls_walk_step manager_walk_unlocked_steps[] = {
	{ "P1", N_("P1 starts d['count'] -= 1 with its first request: get. It is a message on "
	        "P1's own connection to the server process.") },
	{ "server", N_("The server takes P1's request. It owns the dict, in its own memory, and "
	            "handles one request at a time.") },
	{ "server", N_("It replies with the count: 100.") },
	{ "P1", N_("P1 receives 100 and will ask to set 99.") },
	{ "P2", N_("Before it does, P2 sends its own get.") },
	{ "server", N_("The server takes P2's get: the dict still says 100.") },
	{ "server", N_("So the reply to P2 is 100 as well.") },
	{ "P2", N_("P2 receives 100. Both clients now hold the same old count.") },
	{ "P1", N_("P1 sends its second request: set 99.") },
	{ "server", N_("The server sets count = 99. The request was atomic; it does not know P2 "
	            "read 100 as well.") },
	{ "server", N_("It acknowledges.") },
	{ "P1", N_("P1 is done.") },
	{ "P2", N_("P2 sends set 99, computed from its stale 100.") },
	{ "server", N_("The server sets count = 99 again: P1's decrement is gone.") },
	{ "server", N_("It acknowledges.") },
	{ "P2", N_("P2 receives the acknowledgement and is done.") },
	{ "main", N_("main, the program's main process, joins P1: it has finished.") },
	{ "main", N_("main joins P2: both clients are done.") },
	{ "main", N_("main asks the server for the count: one more get.") },
	{ "server", N_("The server takes main's get...") },
	{ "server", N_("...and replies with the count.") },
	{ "main", N_("main receives it.") },
	{ "main", N_("main prints the dict, as the tutorial's print(d) does.") },
	{ "main", N_("main sends the server its stop request (the manager shutting down).") },
	{ "server", N_("The server takes the stop...") },
	{ "server", N_("...acknowledges it and ends.") },
	{ "main", N_("main receives the acknowledgement and finishes: the run is over.") },
},
manager_walk_locked_steps[] = {
	{ "P1", N_("P1 takes the lock first: its get and its set will come as a pair.") },
	{ NULL, N_("P2 wants the lock too and cannot take a step until P1 lets go.") },
	{ "P1", N_("P1 sends get.") },
	{ "server", N_("The server takes P1's get...") },
	{ "server", N_("...and replies 100.") },
	{ "P1", N_("P1 receives 100.") },
	{ "P1", N_("P1 sends set 99.") },
	{ "server", N_("The server sets count = 99...") },
	{ "server", N_("...and acknowledges.") },
	{ "P1", N_("P1 receives the acknowledgement.") },
	{ "P1", N_("P1 releases the lock.") },
	{ "P2", N_("P2 takes it.") },
	{ "P2", N_("P2 sends get.") },
	{ "server", N_("The server takes it...") },
	{ "server", N_("...and replies 99: P1's decrement is in.") },
	{ "P2", N_("P2 receives 99.") },
	{ "P2", N_("P2 sends set 98.") },
	{ "server", N_("The server sets count = 98.") },
	{ "server", N_("It acknowledges.") },
	{ "P2", N_("P2 receives the acknowledgement.") },
	{ "main", N_("main, the program's main process, joins P1: it has finished. P2 still "
	          "holds the lock.") },
	{ "P2", N_("P2 releases the lock and is done.") },
	{ "main", N_("main joins P2: both clients are done.") },
	{ "main", N_("main asks the server for the count: one more get.") },
	{ "server", N_("The server takes main's get...") },
	{ "server", N_("...and replies with the count.") },
	{ "main", N_("main receives it.") },
	{ "main", N_("main prints the dict, as the tutorial's print(d) does.") },
	{ "main", N_("main sends the server its stop request (the manager shutting down).") },
	{ "server", N_("The server takes the stop...") },
	{ "server", N_("...acknowledges it and ends.") },
	{ "main", N_("main receives the acknowledgement and finishes: the run is over.") },
};

static const struct ls_walkthrough manager_walkthroughs[] = {
	{ .title = N_("Two requests, not one: a decrement is lost"),
	  .params = "clients=2 start=100 locked=0",
	  .steps = manager_walk_unlocked_steps,
	  .nsteps = sizeof manager_walk_unlocked_steps / sizeof manager_walk_unlocked_steps[0],
	  .ending = N_("Two decrements and the count is 99, not 98. The server did every request "
	            "whole, one at a time, but d['count'] -= 1 is a get and then a set, and "
	            "the other client's get came in between. l shows the lock that keeps the "
	            "pair together.") },
	{ .title = N_("With a lock, each get-and-set is whole"),
	  .params = "clients=2 start=100 locked=1",
	  .steps = manager_walk_locked_steps,
	  .nsteps = sizeof manager_walk_locked_steps / sizeof manager_walk_locked_steps[0],
	  .ending = N_("98: both decrements counted. The lock made each client's two requests a "
	            "unit nobody else's request could come between; the price is that P2 "
	            "waited.") },
};

/*
 * The challenges: lose a decrement, met once every client is done and the
 * server's count is above what the decrements should leave.
 */
static int
manager_lost_one(const struct ls_model *m, const long *p)
{
	const struct manager_fold *f = ls_model_fold_state(m);

	return ls_model_finished(m) && f && f->init && f->count > p[P_START] - p[P_CLIENTS];
}

static const struct ls_challenge manager_challenges[] = {
	{ .title = N_("Lose a decrement: 2 clients, and the count ends at 1"),
	  .params = "clients=2 start=2 locked=0",
	  .hint = N_("each request is atomic, but d['count'] -= 1 is a get, then a set"),
	  .win =
		"P1 server server P1 P2 server server P2 P2 server server P2 P1 server server "
		"P1 main main main server server main main main server server main",
	  .lose =
		"P1 server server P1 P1 server server P1 main P2 server server P2 P2 server "
		"server P2 main main server server main main main server server main",
	  .met = manager_lost_one },
	{ .title = N_("With the lock, lose a decrement"),
	  .params = "clients=2 start=2 locked=1",
	  .hint = N_("can a second client get the count between the first one's get and set?"),
	  .lose = "",
	  .met = manager_lost_one, .impossible = 1 },
};

/* Small sizes the explorer's tests search whole (tests/check_explore_reduce.c). */
static const struct ls_explore_case manager_explore_cases[] = {
	{ .params = "clients=2 locked=0", .outcomes_only = 1 },
	{ .params = "clients=2 locked=1", .outcomes_only = 1 },
};

const struct ls_scenario ls_scenario_manager = {
	.name = "manager",
	.position = 100,
	.title = N_("Manager dict: 100 processes do d['count'] -= 1"),
	.seed = "002: Manager().dict({'count': 100}), 100 processes, the lock commented out",
	.lesson =
		N_("A Manager runs a server process that owns a dict; other processes hold a "
		"proxy and send it requests over a socket. The server handles one request at "
		"a time, so each request is atomic. But d['count'] -= 1 is two requests: get "
		"the count, then set it to one less. 100 processes doing it without a lock "
		"interleave their gets and sets: two that get the same count set the same "
		"value, and a decrement is lost (the tutorial printed {'count': 94}). With a "
		"lock around the pair the count ends at exactly 0. A pool or a manager needs "
		"no lock for one request; it needs one for a read-modify-write: program=list "
		"is 004's d[pid] = pid and l.append(pid) from 10 processes, single requests "
		"all, and every one is kept."),
	.params = manager_params,
	.nparams = sizeof manager_params / sizeof manager_params[0],
	.roles = manager_roles,
	.nroles = sizeof manager_roles / sizeof manager_roles[0],
	.kind = LS_ACTORS_PROCESSES,
	.toggle_param = P_LOCKED,
	.state_size = sizeof(struct manager),
	.setup = manager_setup,
	.verdict = manager_verdict,
	.fold_size = sizeof(struct manager_fold),
	.fold = manager_fold,
	.walkthroughs = manager_walkthroughs,
	.nwalkthroughs = sizeof manager_walkthroughs / sizeof manager_walkthroughs[0],
	.challenges = manager_challenges,
	.nchallenges = sizeof manager_challenges / sizeof manager_challenges[0],
	.explore_cases = manager_explore_cases,
	.nexplore_cases = sizeof manager_explore_cases / sizeof manager_explore_cases[0],
};
