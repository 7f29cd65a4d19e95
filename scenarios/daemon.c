/*
 * daemon.c - join and daemon threads: who waits for whom at the end.
 *
 * Mirrors tutorial 004's "join & Daemon" programs: run(n) prints "task n",
 * sleeps 2 s and prints "task done n"; main starts 20 of them and prints
 * "all threads has finished...".  With join (the first program) main joins
 * every thread first, so its line comes last.  Without join main prints at
 * once, while they all sleep, and the program still waits for them: they
 * are not daemons.  With t.setDaemon(True) (the second program) nothing
 * waits for them: when main ends, the daemons are cut off wherever they
 * are, mid-sleep, and never print "task done".  Tutorial 002's daemon
 * process (p.daemon = True; p.start(); print(...)) is the same lesson in
 * processes: the daemon process ends with the main one.  002 adds that a
 * daemon process may not start a child (AssertionError: daemonic processes
 * are not allowed to have children): with child=1 each worker tries, after
 * its first line, and a daemon process is refused (a daemon thread is not).
 *
 * Roles: main (joins the workers when join=1, then prints), worker t-1 ..
 * t-N (daemons when daemon=1: struct ls_role_desc.daemon_if).
 *
 * Shared: nothing but the terminal (the lines said).  The model marks the
 * daemons cut off, with the line each was stopped at.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lockstep/lesson.h"

#define DAEMON_MAX_THREADS 200

enum { P_THREADS, P_SLEEP_MS, P_JOIN, P_DAEMON, P_CHILD };

static const struct ls_param_desc daemon_params[] = {
	[P_THREADS]  = { "threads", N_("workers main starts"), 20, 1, DAEMON_MAX_THREADS, NULL },
	[P_SLEEP_MS] = { "sleep_ms", N_("each worker's sleep between its two lines"), 2000, 0, 600000,
	                 NULL },
	[P_JOIN]     = { "join", N_("1: main joins every worker before its last line"), 1, 0, 1, NULL },
	[P_DAEMON]   = { "daemon", N_("1: the workers are daemons (setDaemon(True))"), 0, 0, 1, NULL },
	[P_CHILD]    = { "child", N_("1: each worker starts a child process after its first line"),
	                 0, 0, 1, NULL },
};

enum { ROLE_MAIN, ROLE_WORKER };

struct daemon {
	long threads;
	long sleep_ms;
	int join;
	int child;
};

static const char daemon_refusal[] = "daemonic processes are not allowed to have children";

/* Process(target=...).start() from inside a worker: a fresh program that
 * prints its pid.  0 when it ran; -1 when refused (a daemon process) or it
 * could not start. */
static int
daemon_start_child(struct ls_actor_ctx *ctx)
{
	static const char *const argv[] = { LS_SELF_EXE, NULL };
	static const char *const envp[] = { LS_DRAW_ENV, NULL };
	struct ls_proc proc;

	if (ls_spawn(&proc, argv, envp) != 0) {  /* py:spawn */
		if (errno == EPERM)  /* Python's words, as the worker's traceback ends */
			ls_say("t-%d: AssertionError: %s", ctx->index + 1, daemon_refusal);  /* py:say#4 */
		return -1;
	}
	ls_proc_wait(&proc);  /* py:proc_wait */
	ls_say("t-%d's child ran: pid %d", ctx->index + 1, (int)proc.pid);  /* py:say#5 */
	return 0;
}

/* run(n): print, sleep, print. */
static void
daemon_worker(struct ls_actor_ctx *ctx)
{
	struct daemon *d = ctx->state;

	ls_say("task t-%d", ctx->index + 1);  /* py:say */
	if (d->child && daemon_start_child(ctx) != 0)
		return;   /* Python: the exception ends the worker */
	ls_sleep(d->sleep_ms);  /* py:sleep */
	ls_say("task done t-%d", ctx->index + 1);  /* py:say#2 */
}

/* The main program, after starting them: join each (join=1), then print.
 * Workers come after main, so worker k has actor id k + 1. */
static void
daemon_main(struct ls_actor_ctx *ctx)
{
	struct daemon *d = ctx->state;

	if (d->join)
		for (long k = 0; k < d->threads; k++)
			ls_join((int)k + 1);  /* py:join */
	ls_say("-----all threads has finished...");  /* py:say#3 */
}

static int
daemon_workers_are_daemons(const long *p)
{
	return p[P_DAEMON] != 0;
}

static const struct ls_role_desc daemon_roles[] = {
	[ROLE_MAIN]   = { .name = "main", .prefix = "main", .body = daemon_main,
	                  .count_param = -1, .count = 1, .single = 1 },
	[ROLE_WORKER] = { .name = "worker", .prefix = "t-", .body = daemon_worker,
	                  .count_param = P_THREADS, .daemon_if = daemon_workers_are_daemons },
};

static int
daemon_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct daemon *d = state;

	(void)w;
	(void)err;
	(void)len;
	d->threads = p[P_THREADS];
	d->sleep_ms = p[P_SLEEP_MS];
	d->join = (int)p[P_JOIN];
	d->child = (int)p[P_CHILD];
	return 0;
}

/* The order of the lines said, and who was cut off where. */
struct daemon_fold {
	int main_said;       /* main's last line has been printed */
	int done_before;     /* workers whose "task done" came before it */
	int done_after;      /* ... and after it */
	uint8_t says[DAEMON_MAX_THREADS + 1];   /* lines each actor has said */
	int cut;             /* workers stopped mid-body (EXIT with phase FAIL) */
	int first_cut;       /* the lowest of them stopped at a line, + 1 */
	int cut_line;        /* the line it was stopped at */
	int cut_unstarted;   /* stopped before they printed anything */
	int children;        /* children the workers started */
	int refused;         /* ... and were refused (daemon processes) */
};

static void
daemon_fold(void *acc, const struct ls_model *m, const long *p, const struct ls_event *e)
{
	struct daemon_fold *f = acc;

	(void)p;
	if (e->actor >= m->nactors)
		return;
	const struct ls_model_actor *a = &m->actors[e->actor];
	if (a->role == ROLE_MAIN) {
		if (e->op == LS_OP_SAY && e->phase == LS_PH_DONE)
			f->main_said = 1;
		return;
	}
	if (e->op == LS_OP_SAY && e->phase == LS_PH_DONE) {
		/* The fold runs after the model: said is the whole line. */
		if (e->actor <= DAEMON_MAX_THREADS)
			f->says[e->actor] = 1;
		if (strncmp(a->said, "task done", 9) == 0)
			*(f->main_said ? &f->done_after : &f->done_before) += 1;
	} else if (e->op == LS_OP_SPAWN && e->phase == LS_PH_DONE) {
		f->children++;
	} else if (e->op == LS_OP_SPAWN && e->phase == LS_PH_FAIL && e->u.v.b == LS_REFUSED_DAEMON) {
		f->refused++;
	} else if (e->op == LS_OP_EXIT && e->phase == LS_PH_FAIL) {
		/* Main can end before a daemon printed anything, or reached a probe. */
		if (e->actor <= DAEMON_MAX_THREADS && !f->says[e->actor])
			f->cut_unstarted++;
		/* Named: the first worker, whichever left first. */
		if (a->line && (!f->first_cut || e->actor + 1 < f->first_cut)) {
			f->first_cut = e->actor + 1;
			f->cut_line = a->line;
		}
		f->cut++;
	}
}

static void
daemon_expected(const long *p, int refusal, struct ls_verdict *v)
{
	long n = p[P_THREADS];

	if (refusal)
		snprintf(v->expected, sizeof v->expected,
		         _("a daemon process may not start a child: each one that tries is refused"));
	else if (p[P_JOIN])
		snprintf(v->expected, sizeof v->expected,
		         _("main joins all %ld, so its line comes after every \"task done\""), n);
	else if (!p[P_DAEMON])
		snprintf(v->expected, sizeof v->expected,
		         _("main prints first; the program still waits for all %ld (not daemons)"), n);
	else
		snprintf(v->expected, sizeof v->expected,
		         _("main prints and ends; the daemons still sleeping are cut off"));
}

/* Daemons and main ended: who was cut off, and where. */
static void
daemon_cut_summary(const struct ls_model *m, const struct daemon_fold *f, int done,
                   struct ls_verdict *v)
{
	char where[96] = "";

	if (!f->cut) {
		v->ok = 0;
		snprintf(v->summary, sizeof v->summary,
		         _("every daemon finished before main ended: none was cut off this time"));
		return;
	}
	v->ok = 1;
	if (f->first_cut)
		snprintf(where, sizeof where, _(" (%s at line %d)"), m->actors[f->first_cut - 1].name,
		         f->cut_line);
	snprintf(v->summary, sizeof v->summary,
	         _("main ended and %d daemon%s %s cut off mid-body%s, %d before printing "
	         "anything; %d finished in time"), f->cut, f->cut == 1 ? "" : "s",
	         f->cut == 1 ? "was" : "were", where, f->cut_unstarted, done);
}

static void
daemon_verdict(const struct ls_model *m, const long *p, struct ls_verdict *v)
{
	const struct daemon_fold *f = ls_model_fold_state(m);
	long n = p[P_THREADS];
	int done = f->done_before + f->done_after;
	int refusal = p[P_CHILD] && p[P_DAEMON] && m->actor_kind == LS_ACTORS_PROCESSES;

	daemon_expected(p, refusal, v);
	snprintf(v->observed, sizeof v->observed,
	         _("%d done before main's line, %d after, %d cut off"), f->done_before,
	         f->done_after, f->cut);
	if (!ls_model_finished(m)) {
		v->ok = -1;
		snprintf(v->summary, sizeof v->summary, _("running: %d of %ld workers done%s"), done, n,
		         f->main_said ? _(", main has printed its line") : "");
	} else if (refusal) {
		v->ok = f->refused > 0 && f->children == 0;
		snprintf(v->summary, sizeof v->summary,
		         P_("%d daemon process was refused a child (AssertionError: daemonic processes "
		            "are not allowed to have children) and ended there; %d cut off when main ended",
		            "%d daemon processes were refused a child (AssertionError: daemonic processes "
		            "are not allowed to have children) and ended there; %d cut off when main ended",
		            f->refused), f->refused, f->cut);
	} else if (p[P_JOIN]) {
		v->ok = f->done_before == n;
		snprintf(v->summary, sizeof v->summary, _("%s"),
		         v->ok ? _("join() waited for every worker: \"all threads has finished\" is "
		                 "true when it is printed")
		               : _("main printed before every worker was done"));
	} else if (!p[P_DAEMON]) {
		v->ok = done == n;
		snprintf(v->summary, sizeof v->summary,
		         _("%d worker%s finished after main's line: without join main does not wait, "
		         "but the program does (they are not daemons)"), f->done_after,
		         f->done_after == 1 ? "" : "s");
	} else {
		daemon_cut_summary(m, f, done, v);
	}
	ls_verdict_figure(v, "threads", (double)n);
	ls_verdict_figure(v, "done_before", f->done_before);
	ls_verdict_figure(v, "done_after", f->done_after);
	ls_verdict_figure(v, "cut", f->cut);
	ls_verdict_figure(v, "main_said", f->main_said);
	ls_verdict_figure(v, "children", f->children);
	ls_verdict_figure(v, "refused", f->refused);
}

static const struct ls_walk_step daemon_walk_join_steps[] = {
	{ "t-1", "t-1 prints \"task t-1\"." },
	{ "t-2", "t-2 prints \"task t-2\"." },
	{ NULL, N_("main's next step is t.join() on t-1: it cannot move until t-1 has finished "
	        "(the Actors pane shows what it waits for).") },
	{ "t-1", "t-1 sleeps 2 s (stepped: no time at all)." },
	{ "t-1", "t-1 prints \"task done t-1\" and ends." },
	{ "main", N_("main's join on t-1 returns.") },
	{ "t-2", "t-2 sleeps; main's join on t-2 waits for it." },
	{ "t-2", "t-2 prints \"task done t-2\" and ends." },
	{ "main", N_("main's join on t-2 returns.") },
	{ "main", N_("main prints its line, and now it is true: every worker has finished.") },
};

static const struct ls_walk_step daemon_walk_daemon_steps[] = {
	{ "t-1", "t-1, a daemon, prints \"task t-1\"." },
	{ "t-2", "t-2 prints \"task t-2\"." },
	{ "t-1", "t-1 sleeps 2 s." },
	{ "main", N_("main does not join: it prints \"all threads has finished\" at once, and "
	          "ends. Only daemons are left, so the program ends too: t-1 is cut off after "
	          "its sleep, t-2 mid-body before it (the Actors pane says at which line).") },
};

static const struct ls_walkthrough daemon_walkthroughs[] = {
	{ .title = N_("join(): main's last line comes last"),
	  .params = "threads=2 sleep_ms=2000 join=1 daemon=0",
	  .steps = daemon_walk_join_steps,
	  .nsteps = sizeof daemon_walk_join_steps / sizeof daemon_walk_join_steps[0],
	  .ending = N_("main joined each worker, so it printed only when both were done. Without "
	            "join it would print first, and the program would still wait for them.") },
	{ .title = N_("Daemons: cut off when main ends"),
	  .params = "threads=2 sleep_ms=2000 join=0 daemon=1",
	  .steps = daemon_walk_daemon_steps,
	  .nsteps = sizeof daemon_walk_daemon_steps / sizeof daemon_walk_daemon_steps[0],
	  .ending = N_("No \"task done\" was ever printed: when the last non-daemon (main) ended, "
	            "the daemons were stopped where they were. Their files, locks and half-done "
	            "work are left as they were; stop a thread that must finish with an Event.") },
};

/* The challenges: every daemon finishes in time; a daemon cut off despite join. */
static int
daemon_all_in_time(const struct ls_model *m, const long *p)
{
	const struct daemon_fold *f = ls_model_fold_state(m);

	return ls_model_finished(m) && f->cut == 0 && f->done_before == p[P_THREADS];
}

static int
daemon_one_cut(const struct ls_model *m, const long *p)
{
	const struct daemon_fold *f = ls_model_fold_state(m);

	(void)p;
	return f->cut > 0;
}

static const struct ls_challenge daemon_challenges[] = {
	{ .title = N_("Daemons, no join: let both finish before main ends"),
	  .params = "threads=2 sleep_ms=2000 join=0 daemon=1",
	  .hint = N_("nothing waits for a daemon, but nothing stops you running it first"),
	  .win = "t-1 t-1 t-1 t-2 t-2 t-2 main",
	  .lose = "t-1 main",
	  .met = daemon_all_in_time },
	{ .title = N_("Daemons with join: get one cut off"),
	  .params = "threads=2 sleep_ms=2000 join=1 daemon=1",
	  .hint = N_("when can main end?"),
	  .lose = "",
	  .met = daemon_one_cut, .impossible = 1 },
};

/* Small sizes the explorer's tests search whole (tests/check_explore_reduce.c). */
static const struct ls_explore_case daemon_explore_cases[] = {
	{ .params = "threads=2 sleep_ms=1 join=1 daemon=0" },
	{ .params = "threads=2 sleep_ms=1 join=0 daemon=1" },
};

const struct ls_scenario ls_scenario_daemon = {
	.name = "daemon",
	.position = 140,
	.title = N_("join and daemon threads: who waits for whom at the end"),
	.seed = "004: join & Daemon (20 threads, sleep 2 s); 002: a daemon process ends with main",
	.lesson =
		N_("main starts 20 threads; each prints, sleeps 2 s and prints again. With join() "
		"main waits for each, so its \"all threads has finished\" comes last. Without "
		"join main prints at once, while they sleep, and yet the program waits for "
		"them: they are not daemons. Make them daemons and nothing waits: when main "
		"ends they are cut off wherever they are, mid-sleep, and never print \"task "
		"done\". In processes (002) a daemon process likewise ends with the main one; "
		"multiprocessing also forbids a daemon process to start children "
		"(AssertionError: daemonic processes are not allowed to have children)."),
	.params = daemon_params,
	.nparams = LS_NPARAMS(daemon_params),
	.roles = daemon_roles,
	.nroles = sizeof daemon_roles / sizeof daemon_roles[0],
	.kind = LS_ACTORS_THREADS,
	.toggle_param = P_DAEMON,
	.state_size = sizeof(struct daemon),
	.setup = daemon_setup,
	.verdict = daemon_verdict,
	.fold_size = sizeof(struct daemon_fold),
	.fold = daemon_fold,
	.walkthroughs = daemon_walkthroughs,
	.challenges = daemon_challenges,
	.nchallenges = sizeof daemon_challenges / sizeof daemon_challenges[0],
	.explore_cases = daemon_explore_cases,
	.nexplore_cases = sizeof daemon_explore_cases / sizeof daemon_explore_cases[0],
	.nwalkthroughs = sizeof daemon_walkthroughs / sizeof daemon_walkthroughs[0],
};
