/*
 * fork.c - os.fork() returns twice; fork against spawn.
 *
 * Mirrors tutorial 000's fork example (pid = os.fork(): the child prints
 * its pid and its parent's, the parent prints its own and its child's) and
 * tutorial 003's fork against spawn: a value drawn at random when the
 * program starts is the same in a forked child, which is a copy of the
 * parent's memory, and different in a spawned one, which is a fresh
 * program that starts from the beginning and draws its own.
 *
 * Private (not shared): `x` and `token`, plain memory of the program.  A
 * fork copies them, so the child's change of x never reaches the parent.
 * Threads of one process would share them: the same code with a thread
 * instead of a fork would see the change.  The spawned program is this
 * very program run again (/proc/self/exe), which prints its pid and the
 * value it drew; the parent reads that line back through a pipe.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "lockstep/lesson.h"

enum { P_X, P_CHILD_ADDS, P_TOKEN, P_SPAWN, P_EXIT };

static const struct ls_param_desc fork_params[] = {
	[P_X]          = { "x", N_("the private variable's value before fork()"), 100, -1000000,
	                   1000000, NULL },
	[P_CHILD_ADDS] = { "child_adds", N_("what the child adds to its x"), 1, -1000, 1000, NULL },
	[P_TOKEN]      = { "token", N_("the value drawn when the program starts (0: at random)"), 0,
	                   0, 999999, NULL },
	[P_SPAWN]      = { "spawn", N_("1 also starts a fresh program that draws its own token"), 1,
	                   0, 1, NULL },
	[P_EXIT]       = { "exit_code", N_("the child's exit status"), 0, 0, 125, NULL },
};

#define FORK_CHILD_ID 1   /* roles: parent, child */

struct fork_lesson {
	ls_private *x;
	ls_private *token;
	long child_adds;
	int spawn;
	int exit_code;
};

static void
fork_parent(struct ls_actor_ctx *ctx)
{
	struct fork_lesson *l = ctx->state;
	long mine = ls_private_load(l->token);  /* py:private_load */
	long pid = ls_fork(FORK_CHILD_ID);  /* py:fork */

	if (pid == 0) {
		/* The child: the same code, the same memory, a copy of it. */
		ls_say("child: pid %d, parent %d", (int)getpid(), (int)getppid());  /* py:say */
		long x = ls_private_load(l->x);  /* py:private_store */
		ls_private_store(l->x, x + l->child_adds);  /* py:private_store */
		ls_say("child: x = %ld, token = %ld", ls_private_load(l->x), ls_private_load(l->token));  /* py:say#2 */
		ls_child_exit(l->exit_code);  /* py:exit */
	}
	ls_say("parent: pid %d, child %ld", (int)getpid(), pid);  /* py:say#3 */
	int status = ls_wait_child(FORK_CHILD_ID);  /* py:waitpid */
	ls_say("parent: child exited with %d, my x = %ld", status, ls_private_load(l->x));  /* py:say#4 */
	if (!l->spawn)
		return;
	/* spawn: a fresh program image, which draws its own token at its start. */
	static const char *const argv[] = { LS_SELF_EXE, NULL };
	static const char *const envp[] = { LS_DRAW_ENV, NULL };
	struct ls_proc proc;
	char line[64];
	if (ls_spawn(&proc, argv, envp) != 0)  /* py:spawn */
		return;
	ls_proc_read_line(&proc, line, sizeof line);  /* py:proc_read */
	ls_proc_wait(&proc);  /* py:proc_wait */
	ls_say("spawned: %s (pid, token); my token is %ld", line, mine);  /* py:say#5 */
}

/* Never called: the child is made by the parent's ls_fork(). */
static void
fork_child(struct ls_actor_ctx *ctx)
{
	(void)ctx;
}

static const struct ls_role_desc fork_roles[] = {
	{ .name = "parent", .prefix = "parent", .body = fork_parent, .count_param = -1,
	  .count = 1, .single = 1 },
	{ .name = "child", .prefix = "child", .body = fork_child, .count_param = -1,
	  .count = 1, .single = 1, .forked = 1 },
};

static int
fork_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct fork_lesson *l = state;
	long token = p[P_TOKEN];

	if (token == 0) {   /* drawn at the program's start, as random.random() at import */
		unsigned v = 0;
		if (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v)
			v = (unsigned)getpid();
		token = 1 + (long)(v % 999999u);
	}
	l->x = ls_private_new(w, "x", p[P_X]);
	l->token = ls_private_new(w, "token", token);
	if (!l->x || !l->token) {
		snprintf(err, len, "fork: cannot create the private variables");
		return -1;
	}
	l->child_adds = p[P_CHILD_ADDS];
	l->spawn = (int)p[P_SPAWN];
	l->exit_code = (int)p[P_EXIT];
	return 0;
}

/* What each side saw, from the trace: loads of x and the spawned line. */
struct fork_fold {
	long parent_x_after;   /* the parent's load of x after waitpid */
	long child_x;          /* the child's x after its store */
	long child_token;      /* the child's load of token */
	long parent_token;     /* the parent's load of token */
	int parent_reaped;     /* waitpid returned */
	int exit_code;
	int child_pid, child_ppid, parent_pid;
	int spawned;           /* a fresh program ran and was reaped */
	long spawned_token;    /* what it printed, from the parent's said line */
	int spawned_pid;
};

static void
fork_fold(void *acc, const struct ls_model *m, const long *p, const struct ls_event *e)
{
	struct fork_fold *f = acc;
	int x = ls_model_find(m, "x"), tok = ls_model_find(m, "token");

	(void)p;
	if (e->actor == LS_NO_ACTOR || e->phase != LS_PH_DONE)
		return;
	if (e->op == LS_OP_START && e->actor == FORK_CHILD_ID) {
		f->child_pid = (int)e->u.v.a;
		f->child_ppid = (int)e->u.v.b;
	} else if (e->op == LS_OP_FORK) {
		f->parent_pid = m->actors[0].os_id;
	} else if (e->op == LS_OP_PRIVATE_LOAD && (int)e->obj == x && e->actor == FORK_CHILD_ID) {
		f->child_x = e->u.v.a;
	} else if (e->op == LS_OP_PRIVATE_LOAD && (int)e->obj == x && f->parent_reaped) {
		f->parent_x_after = e->u.v.a;
	} else if (e->op == LS_OP_PRIVATE_LOAD && (int)e->obj == tok) {
		if (e->actor == FORK_CHILD_ID)
			f->child_token = e->u.v.a;
		else
			f->parent_token = e->u.v.a;
	} else if (e->op == LS_OP_WAIT_CHILD) {
		f->parent_reaped = 1;
		f->exit_code = (int)e->u.v.b;
	} else if (e->op == LS_OP_SAY && e->actor == 0) {
		int pid;
		long v;
		const struct ls_model_actor *a = &m->actors[0];
		if (sscanf(a->said, "spawned: %d %ld", &pid, &v) == 2) {
			f->spawned = 1;
			f->spawned_pid = pid;
			f->spawned_token = v;
		}
	}
}

static void
fork_verdict(const struct ls_model *m, const long *p, struct ls_verdict *v)
{
	const struct fork_fold *f = ls_model_fold_state(m);
	long x0 = p[P_X], x1 = p[P_X] + p[P_CHILD_ADDS];

	snprintf(v->expected, sizeof v->expected,
	         _("the child's x becomes %ld, the parent's stays %ld; the forked child has the "
	         "parent's token%s"), x1, x0, p[P_SPAWN] ? _(", the spawned program its own") : "");
	snprintf(v->observed, sizeof v->observed,
	         _("child x %ld, parent x %ld; tokens: parent %ld, child %ld%s"), f->child_x,
	         f->parent_x_after, f->parent_token, f->child_token, f->spawned ? _(", spawned ") : "");
	if (f->spawned) {
		size_t n = strlen(v->observed);
		snprintf(v->observed + n, sizeof v->observed - n, "%ld", f->spawned_token);
	}
	int copied = f->child_token == f->parent_token;
	int fresh = !p[P_SPAWN] || (f->spawned && f->spawned_token != f->parent_token);
	if (!ls_model_finished(m)) {
		v->ok = -1;
		snprintf(v->summary, sizeof v->summary, _("running: %s"),
		         f->parent_reaped ? _("the child has exited") : _("the child has not exited yet"));
	} else if (f->parent_reaped && f->child_x == x1 && f->parent_x_after == x0 && copied &&
	           fresh) {
		v->ok = 1;
		snprintf(v->summary, sizeof v->summary,
		         _("fork() returned twice: pid %d in the parent, 0 in child pid %d (parent %d); "
		         "the child changed its copy of x, the parent's stayed %ld%s"),
		         f->child_pid, f->child_pid, f->child_ppid, x0,
		         p[P_SPAWN] ? _("; the spawned program drew its own token") : "");
	} else {
		v->ok = 0;
		snprintf(v->summary, sizeof v->summary,
		         _("%s"), !f->parent_reaped ? _("the parent never reaped its child")
		               : f->parent_x_after != x0 ? _("the parent saw the child's change")
		               : !copied ? _("the forked child had another token")
		               : _("the spawned program had the parent's token"));
	}
	ls_verdict_figure(v, "parent_x", (double)f->parent_x_after);
	ls_verdict_figure(v, "child_x", (double)f->child_x);
	ls_verdict_figure(v, "same_token_forked", copied ? 1.0 : 0.0);
	ls_verdict_figure(v, "same_token_spawned",
	                  f->spawned && f->spawned_token == f->parent_token ? 1.0 : 0.0);
	ls_verdict_figure(v, "exit_code", (double)f->exit_code);
	ls_verdict_figure(v, "child_pid", (double)f->child_pid);
	ls_verdict_figure(v, "child_ppid", (double)f->child_ppid);
	ls_verdict_figure(v, "spawned", f->spawned ? 1.0 : 0.0);
}

static const struct ls_walk_step fork_walk_steps[] = {
	{ "parent", N_("The parent reads its token, drawn when the program started.") },
	{ "parent", N_("fork(): the process is copied, memory and all. In the parent it returns "
	            "the child's pid; the child starts at the same line, where it returns 0.") },
	{ "child", N_("The child says who it is: its own pid, and the parent's pid as its parent.") },
	{ "child", N_("The child reads its x: the parent's value, copied at fork().") },
	{ "child", N_("It adds to its x. Its own copy: the parent's page is untouched.") },
	{ "child", N_("It reads x back: changed.") },
	{ "child", N_("Its token: the same as the parent's, copied with the rest.") },
	{ "child", N_("It says so, and exits.") },
	{ "parent", N_("Meanwhile the parent says who it is, and its child's pid. The child, "
	            "its last line said, has exited with its status.") },
	{ "parent", N_("The parent waits for its child: waitpid() reaps it and returns its status.") },
	{ "parent", N_("The parent reads its x: unchanged. The child changed only its copy.") },
	{ "parent", N_("It says so.") },
};

static const struct ls_walkthrough fork_walkthroughs[] = {
	{ .title = N_("fork() returns twice; the child's memory is a copy"),
	  .params = "x=100 child_adds=1 token=42 spawn=0",
	  .steps = fork_walk_steps,
	  .nsteps = sizeof fork_walk_steps / sizeof fork_walk_steps[0],
	  .ending = N_("Two processes ran the same code from fork() on: the parent got the child's "
	            "pid, the child 0. The child's x became 101 and the parent's stayed 100: "
	            "fork copies memory, it does not share it. Threads share it. With spawn=1 a "
	            "fresh program starts from the beginning and draws its own token.") },
};

/* Met when the parent prints before the child: fork promises no order. */
static int
fork_parent_first(const struct ls_model *m, const long *p)
{
	(void)p;
	for (uint64_t i = ls_model_history_first(m); i < m->nhistory; i++) {
		const struct ls_event *e = ls_model_history_at(m, i);
		if (e->op == LS_OP_SAY && e->phase == LS_PH_DONE)
			return e->actor == 0;
	}
	return 0;
}

/* Met when the parent sees the child's change: never, memory is copied. */
static int
fork_parent_sees_change(const struct ls_model *m, const long *p)
{
	const struct fork_fold *f = ls_model_fold_state(m);

	return ls_model_finished(m) && f->parent_reaped && f->parent_x_after != p[P_X];
}

static const struct ls_challenge fork_challenges[] = {
	{ .title = N_("Make the parent speak before its child"),
	  .params = "x=100 child_adds=1 token=42 spawn=0",
	  .hint = N_("after fork() both run: who prints first is the scheduler's choice"),
	  .win = "parent parent parent",
	  .lose = "parent parent child child",
	  .met = fork_parent_first },
	{ .title = N_("Make the parent see the child's change of x"),
	  .params = "x=100 child_adds=1 token=42 spawn=0",
	  .hint = N_("the child changes its own copy"),
	  .lose = "",
	  .met = fork_parent_sees_change, .impossible = 1 },
};

/* Small sizes the explorer's tests search whole (tests/check_explore_reduce.c). */
static const struct ls_explore_case fork_explore_cases[] = {
	{ .params = "token=7 spawn=0", .outcomes_only = 1 },
};

const struct ls_scenario ls_scenario_fork = {
	.name = "fork",
	.position = 90,
	.title = N_("fork(): one process becomes two; fork against spawn"),
	.seed = "000: os.fork() returning twice; 003: fork against spawn",
	.lesson =
		N_("os.fork() copies the running process. It returns twice: in the parent with the "
		"child's pid, in the child with 0, and both go on from the same line. The child "
		"has a copy of the parent's memory, not a share of it: here the child adds 1 to x "
		"and the parent's x stays 100 (threads of one process would share x and see the "
		"change). A value drawn at random when the program started is the same in the "
		"forked child, copied with the rest; a spawned program is a fresh image that "
		"starts from the beginning and draws its own. The parent reaps its child with "
		"waitpid(), which gives the child's exit status."),
	.params = fork_params,
	.nparams = LS_NPARAMS(fork_params),
	.roles = fork_roles,
	.nroles = sizeof fork_roles / sizeof fork_roles[0],
	.kind = LS_ACTORS_PROCESSES,
	.toggle_param = P_SPAWN,
	.state_size = sizeof(struct fork_lesson),
	.setup = fork_setup,
	.verdict = fork_verdict,
	.fold_size = sizeof(struct fork_fold),
	.fold = fork_fold,
	.walkthroughs = fork_walkthroughs,
	.nwalkthroughs = sizeof fork_walkthroughs / sizeof fork_walkthroughs[0],
	.challenges = fork_challenges,
	.nchallenges = sizeof fork_challenges / sizeof fork_challenges[0],
	.explore_cases = fork_explore_cases,
	.nexplore_cases = sizeof fork_explore_cases / sizeof fork_explore_cases[0],
};
