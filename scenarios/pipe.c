/*
 * pipe.c - two processes talking both ways through one Pipe().
 *
 * Mirrors tutorial 004's Pipes example: parent_conn, child_conn = Pipe();
 * the child sends [42, None, 'hello from child1'] and [..child2] and then
 * receives "from parent"; the parent receives twice, sends "hhh" back and
 * joins the child.  Lessons: a Pipe is duplex (each end sends and
 * receives); recv() on an empty pipe blocks until the other end sends;
 * messages arrive whole and in order.  And the variant order=send_first,
 * where the parent also sends before it receives: harmless for small
 * messages, which the kernel's buffer holds, but with messages bigger than
 * that buffer (size=1000000) both ends block in send() with nobody left to
 * receive - a deadlock the model reports.
 *
 * Shared: `pipe`, one real AF_UNIX socketpair (a Pipe() is one in CPython
 * too): end 0 is parent_conn, end 1 child_conn.  A message is a value plus
 * `size` bytes of payload really written and read; how many such messages
 * fit in the kernel's buffer is measured when the pipe is made.
 */
#include "config.h"

#include <stdio.h>

#include "lockstep/lesson.h"

enum { P_CHILD_MSGS, P_PARENT_MSGS, P_SIZE, P_ORDER };

enum { PIPE_RECV_FIRST, PIPE_SEND_FIRST };

static const char *const pipe_orders[] = { "recv_first", "send_first", NULL };

static const struct ls_param_desc pipe_params[] = {
	[P_CHILD_MSGS]  = { "child_msgs", N_("messages the child sends the parent"), 2, 0, 50, NULL },
	[P_PARENT_MSGS] = { "parent_msgs", N_("messages the parent sends the child"), 1, 0, 50, NULL },
	[P_SIZE]        = { "size", "payload bytes of every message (1000000: bigger than the "
	                    "kernel's buffer)", 32, 0, LS_PIPE_MSG_MAX, NULL },
	[P_ORDER]       = { "order", "recv_first: the parent receives, then sends (the tutorial); "
	                    "send_first: it sends first too", PIPE_RECV_FIRST, PIPE_RECV_FIRST,
	                    PIPE_SEND_FIRST, pipe_orders },
};

#define PIPE_PARENT_END 0   /* parent_conn */
#define PIPE_CHILD_END  1   /* child_conn */
#define PIPE_CHILD_ID   1   /* the child's actor id: roles are parent, child */

struct pipe_lesson {
	ls_pipe *pipe;
	long child_msgs, parent_msgs, size;
	int order;
};

static void
pipe_child(struct ls_actor_ctx *ctx)
{
	struct pipe_lesson *l = ctx->state;
	struct ls_msg msg;

	for (long i = 0; i < l->child_msgs; i++)
		ls_pipe_send_big(l->pipe, PIPE_CHILD_END, 42 + i, l->size);  /* py:pipe_send */
	for (long i = 0; i < l->parent_msgs; i++)
		if (ls_pipe_recv(l->pipe, PIPE_CHILD_END, &msg) == 0)  /* py:pipe_recv */
			ls_say("from parent: %lld", (long long)ls_note("msg", (long)msg.value));  /* py:say */
}

static void
pipe_parent(struct ls_actor_ctx *ctx)
{
	struct pipe_lesson *l = ctx->state;
	struct ls_msg msg;

	if (l->order == PIPE_SEND_FIRST)
		for (long i = 0; i < l->parent_msgs; i++)
			ls_pipe_send_big(l->pipe, PIPE_PARENT_END, 100 + i, l->size);  /* py:pipe_send#2 */
	for (long i = 0; i < l->child_msgs; i++)
		if (ls_pipe_recv(l->pipe, PIPE_PARENT_END, &msg) == 0)  /* py:pipe_recv#2 */
			ls_say("%lld", (long long)ls_note("msg", (long)msg.value));  /* py:say#2 */
	if (l->order == PIPE_RECV_FIRST)
		for (long i = 0; i < l->parent_msgs; i++)
			ls_pipe_send_big(l->pipe, PIPE_PARENT_END, 100 + i, l->size);  /* py:pipe_send#3 */
	ls_join(PIPE_CHILD_ID);  /* py:join */
}

static const struct ls_role_desc pipe_roles[] = {
	{ .name = "parent", .prefix = "parent", .body = pipe_parent, .count_param = -1,
	  .count = 1, .single = 1 },
	{ .name = "child", .prefix = "child", .body = pipe_child, .count_param = -1,
	  .count = 1, .single = 1 },
};

static int
pipe_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct pipe_lesson *l = state;

	l->pipe = ls_pipe_new(w, "pipe", 1, p[P_SIZE]);
	if (!l->pipe) {
		snprintf(err, len, "pipe: cannot create the socketpair");
		return -1;
	}
	l->child_msgs = p[P_CHILD_MSGS];
	l->parent_msgs = p[P_PARENT_MSGS];
	l->size = p[P_SIZE];
	l->order = (int)p[P_ORDER];
	return 0;
}

static void
pipe_verdict(const struct ls_model *m, const long *p, struct ls_verdict *v)
{
	int o = ls_model_find(m, "pipe");
	const struct ls_model_pipe *pp = o >= 0 ? m->objs[o].pipe : NULL;
	char why[256];

	if (!pp)
		return;
	long to_parent = pp->ends[PIPE_CHILD_END].received;
	long to_child = pp->ends[PIPE_PARENT_END].received;
	long bytes = pp->ends[0].bytes + pp->ends[1].bytes;
	int stuck = !ls_model_finished(m) && ls_model_deadlock(m, 0, why, sizeof why);

	snprintf(v->expected, sizeof v->expected,
	         _("%ld message%s to the parent, %ld to the child, whole and in order"),
	         p[P_CHILD_MSGS], p[P_CHILD_MSGS] == 1 ? "" : "s", p[P_PARENT_MSGS]);
	snprintf(v->observed, sizeof v->observed, _("%ld to the parent, %ld to the child%s"),
	         to_parent, to_child, stuck ? _(", then a deadlock") : "");
	if (stuck) {
		v->ok = 0;
		snprintf(v->summary, sizeof v->summary,
		         _("deadlock: both ends are blocked in send() with %ld bytes in flight, and "
		         "neither receives; the kernel's buffer holds %ld message%s of %ld bytes "
		         "each way, and these do not fit"),
		         bytes, pp->cap_msgs, pp->cap_msgs == 1 ? "" : "s", p[P_SIZE]);
	} else if (!ls_model_finished(m)) {
		v->ok = -1;
		snprintf(v->summary, sizeof v->summary,
		         _("running: %ld of %ld to the parent, %ld of %ld to the child, %ld bytes in "
		         "flight"), to_parent, p[P_CHILD_MSGS], to_child, p[P_PARENT_MSGS], bytes);
	} else if (to_parent == p[P_CHILD_MSGS] && to_child == p[P_PARENT_MSGS] &&
	           !pp->out_of_order && !pp->torn) {
		v->ok = 1;
		snprintf(v->summary, sizeof v->summary,
		         _("every message arrived whole and in order, both ways through one pipe%s"),
		         p[P_ORDER] == PIPE_SEND_FIRST ? _(" (the kernel's buffer held what was sent "
		                                         "before anyone received)") : "");
	} else {
		v->ok = 0;
		snprintf(v->summary, sizeof v->summary,
		         _("%ld to the parent and %ld to the child arrived, %ld out of order, %ld torn"),
		         to_parent, to_child, pp->out_of_order, pp->torn);
	}
	ls_verdict_figure(v, "to_parent", (double)to_parent);
	ls_verdict_figure(v, "to_child", (double)to_child);
	ls_verdict_figure(v, "bytes_in_flight", (double)bytes);
	ls_verdict_figure(v, "capacity_msgs", (double)pp->cap_msgs);
	ls_verdict_figure(v, "out_of_order", (double)pp->out_of_order);
	ls_verdict_figure(v, "torn", (double)pp->torn);
	ls_verdict_figure(v, "deadlock", stuck ? 1.0 : 0.0);
}

/*
 * The walkthroughs: the tutorial's order, where the parent's first recv()
 * waits for the child; then a megabyte each way, which goes through only
 * while the other end reads (a walkthrough ends with a finished run, so the
 * deadlock itself is the tests' and `lockstep run`'s to show).
 */
static const struct ls_walk_step pipe_walk_tutorial_steps[] = {
	{ NULL, N_("The parent's first move is recv() at its end (0). Nothing has been sent: "
	        "it cannot take a step. recv() on an empty pipe blocks.") },
	{ "child", N_("The child sends 42 from its end (1): 32 bytes of payload go into the "
	           "kernel's buffer, toward the parent.") },
	{ "parent", N_("Now the parent's recv() can return: it gets 42, the whole message.") },
	{ "parent", N_("It prints 42.") },
	{ "child", N_("The child sends 43. Nobody has to be receiving: the buffer holds it.") },
	{ NULL, N_("The child's next move is recv() at its own end. The parent has sent nothing "
	        "yet, so the child cannot move: it waits, as the parent did.") },
	{ "parent", N_("The parent receives 43: the messages came in the order they were sent.") },
	{ "parent", N_("It prints 43.") },
	{ "parent", N_("The parent sends 100 back through its end. The same pipe carries it the "
	            "other way: a Pipe() is duplex.") },
	{ "child", N_("The child's recv() returns 100.") },
	{ "child", N_("It prints \"from parent: 100\".") },
	{ "parent", N_("The parent joins the child, as p.join() does: the child has finished, "
	            "so it returns at once and the run is over.") },
};

static const struct ls_walk_step pipe_walk_big_steps[] = {
	{ "child", N_("The child sends 42 with 1,000,000 bytes of payload. The kernel's buffer "
	           "takes a couple of hundred kilobytes and is full: send() blocks until "
	           "someone reads at the other end.") },
	{ NULL, N_("The child is blocked, but not stuck: the parent can receive, and reading "
	        "is what makes room.") },
	{ "parent", N_("The parent's recv() reads the message while the child writes the rest "
	            "into the room it makes. Both finish: the parent has all of 42, whole.") },
	{ "parent", N_("It prints 42.") },
	{ "parent", N_("The parent sends its own megabyte back. The child is not receiving yet, "
	            "so this send blocks part way in its turn.") },
	{ "child", N_("The child's recv() takes it, and the parent's send() returns.") },
	{ "child", N_("It prints \"from parent: 100\".") },
	{ "parent", N_("The parent joins the child: it has finished, so join() returns at once.") },
};

static const struct ls_walkthrough pipe_walkthroughs[] = {
	{ .title = N_("recv() waits; messages arrive whole, in order, both ways"),
	  .params = "child_msgs=2 parent_msgs=1 size=32 order=recv_first",
	  .steps = pipe_walk_tutorial_steps,
	  .nsteps = sizeof pipe_walk_tutorial_steps / sizeof pipe_walk_tutorial_steps[0],
	  .ending = N_("Two messages to the parent and one back, each whole and in order, through "
	            "one pipe. Whoever called recv() first waited until the other end sent.") },
	{ .title = N_("A megabyte goes through only while the other end reads"),
	  .params = "child_msgs=1 parent_msgs=1 size=1000000 order=recv_first",
	  .steps = pipe_walk_big_steps,
	  .nsteps = sizeof pipe_walk_big_steps / sizeof pipe_walk_big_steps[0],
	  .ending = N_("Each megabyte went through because the other end was receiving. Had both "
	            "sent first (order=send_first size=1000000), each would sit in send() "
	            "waiting for a recv() that never comes: a deadlock, which the model "
	            "reports. Small messages fit in the buffers; big ones do not. Receive "
	            "before you send, or send from another thread.") },
};

/*
 * The challenges.  A deadlock is met when every unfinished end waits for
 * ever: both sides blocked sending into a full kernel buffer.  With the
 * parent receiving first, no order of steps gets there, and the explorer
 * can show it.
 */
static int
pipe_deadlocked(const struct ls_model *m, const long *p)
{
	(void)p;
	return ls_model_deadlock(m, 1, NULL, 0);
}

static const struct ls_challenge pipe_challenges[] = {
	{ .title = N_("Deadlock the pipe: both ends send 1 MB before either receives"),
	  .params = "child_msgs=1 parent_msgs=1 size=1000000 order=send_first",
	  .hint = N_("a send of more than the kernel's buffer waits for the other end to read"),
	  .win = "parent child",
	  .met = pipe_deadlocked },
	{ .title = N_("Deadlock it with the parent receiving first"),
	  .params = "child_msgs=1 parent_msgs=1 size=1000000 order=recv_first",
	  .hint = N_("while the parent receives, the child's send can always finish"),
	  .lose = "child parent parent",
	  .met = pipe_deadlocked, .impossible = 1 },
};

/* Small sizes the explorer's tests search whole (tests/check_explore_reduce.c). */
static const struct ls_explore_case pipe_explore_cases[] = {
	{ .params = "child_msgs=1 parent_msgs=1 size=8", .outcomes_only = 1 },
	{ .params = "child_msgs=1 parent_msgs=1 size=8 order=send_first", .outcomes_only = 1 },
};

const struct ls_scenario ls_scenario_pipe = {
	.name = "pipe",
	.position = 80,
	.title = N_("Pipe: a parent and a child talking both ways"),
	.seed = "004: Pipe(), parent_conn and child_conn, send() and recv()",
	.lesson =
		N_("Pipe() returns two connected ends; each can send() and recv(), so one pipe "
		"carries messages both ways. Here the child sends the parent two messages and "
		"waits for one back. The parent's recv() on the empty pipe blocks until the "
		"child sends; messages arrive whole and in the order they were sent. Sending "
		"does not wait for a receiver as long as the kernel's buffer has room - but a "
		"message bigger than the buffer is taken only as the other end reads it. With "
		"order=send_first and size=1000000 both ends send a megabyte before either "
		"receives: both block in send() and the run deadlocks."),
	.params = pipe_params,
	.nparams = sizeof pipe_params / sizeof pipe_params[0],
	.roles = pipe_roles,
	.nroles = sizeof pipe_roles / sizeof pipe_roles[0],
	.kind = LS_ACTORS_PROCESSES,
	.toggle_param = P_ORDER,
	.state_size = sizeof(struct pipe_lesson),
	.setup = pipe_setup,
	.verdict = pipe_verdict,
	.walkthroughs = pipe_walkthroughs,
	.nwalkthroughs = sizeof pipe_walkthroughs / sizeof pipe_walkthroughs[0],
	.challenges = pipe_challenges,
	.nchallenges = sizeof pipe_challenges / sizeof pipe_challenges[0],
	.explore_cases = pipe_explore_cases,
	.nexplore_cases = sizeof pipe_explore_cases / sizeof pipe_explore_cases[0],
};
