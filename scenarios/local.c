/*
 * local.c - threading.local: one global name, a value of its own in every
 * thread.
 *
 * Mirrors tutorial 000's ThreadLocal program: local_school =
 * threading.local(); process_thread(name) stores local_school.student =
 * name, then calls process_student(), a helper that reads
 * local_school.student back and prints "Hello, Alice (in Thread-A)".  Two
 * threads, Alice and Bob: each sees its own student, with no lock and no
 * argument passed down.
 *
 * Variant shared=1: a plain global `student` instead.  Threads share it, so
 * one that stores its name and is overtaken before its helper reads it back
 * greets another thread's student; stepping shows it on demand.
 *
 * Processes: memory is copied at fork, so in multiprocessing a plain global
 * is already one copy per process, exactly like a thread-local; with
 * shared=1 the processes use `student_copy`, a per-actor object that stands
 * for those copies, and no one can see another's name (the fork lesson).
 *
 * Shared: `local_school.student` (a threading.local: a real pthread key,
 * each actor's value in its own storage, shown per actor), `student` (a
 * plain variable, threads with shared=1).  Names are numbers here (1 is
 * Alice); the lines said carry the names.
 */
#include "config.h"

#include <stdio.h>

#include "lockstep/lesson.h"

#define LOCAL_STUDENTS 8

enum { P_STUDENTS, P_SHARED };

static const char *const local_names[LOCAL_STUDENTS] = {
	"Alice", "Bob", "Carol", "Dave", "Eve", "Frank", "Grace", "Heidi",
};

static const struct ls_param_desc local_params[] = {
	[P_STUDENTS] = { "students", N_("threads, each storing its own student's name"), 2, 1,
	                 LOCAL_STUDENTS, NULL },
	[P_SHARED]   = { "shared", N_("1: a plain shared global instead of threading.local"), 0, 0, 1,
	                 NULL },
};

struct local {
	ls_local *school;      /* local_school.student, or (shared=1) each process's copy */
	ls_var *student;       /* shared=1: the plain global */
	int shared;
};

static const char *
local_name(long student)
{
	return student >= 1 && student <= LOCAL_STUDENTS ? local_names[student - 1] : "?";
}

/* process_student(): read the current thread's student back and greet. */
static void
local_process_student(struct ls_actor_ctx *ctx)
{
	struct local *l = ctx->state;
	long std = 0;

	if (l->shared && ctx->kind == LS_ACTORS_THREADS)
		std = ls_load(l->student);  /* py:load */
	else if (ls_local_get(l->school, &std) != 0)  /* py:local_load */
		return;   /* AttributeError: never happens, set comes first */
	ls_say("Hello, %s (in %s)", local_name(std), ctx->name);  /* py:say */
}

/* process_thread(name): bind the student, then call the helper. */
static void
local_process_thread(struct ls_actor_ctx *ctx)
{
	struct local *l = ctx->state;
	long mine = ctx->index + 1;

	if (l->shared && ctx->kind == LS_ACTORS_THREADS)
		ls_store(l->student, mine);  /* py:store */
	else
		ls_local_set(l->school, mine);  /* py:local_store */
	local_process_student(ctx);
}

static const struct ls_role_desc local_roles[] = {
	{ .name = "student thread", .prefix = "Thread-", .body = local_process_thread,
	  .count_param = P_STUDENTS },
};

static int
local_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct local *l = state;

	l->shared = (int)p[P_SHARED];
	if (l->shared) {
		l->student = ls_var_new(w, "student", 0);
		l->school = ls_local_new(w, "student_copy");
	} else {
		l->school = ls_local_new(w, "local_school.student");
	}
	if (!l->school || (l->shared && !l->student)) {
		snprintf(err, len, "local: cannot create the student's storage");
		return -1;
	}
	return 0;
}

/* Each read of the student: whose was it? */
struct local_fold {
	int greeted;        /* reads of the student (one per greeting) */
	int wrong;          /* reads that found another thread's student */
	int first_wrong;    /* the first reader to get another's, + 1 */
	long first_got;     /* ... and the student it got */
	int copies;         /* shared=1 reads of a per-process copy (processes) */
};

static void
local_fold(void *acc, const struct ls_model *m, const long *p, const struct ls_event *e)
{
	struct local_fold *f = acc;

	if (e->actor >= m->nactors || e->phase != LS_PH_DONE ||
	    (e->op != LS_OP_LOAD && e->op != LS_OP_LOCAL_LOAD))
		return;
	f->greeted++;
	if (p[P_SHARED] && e->op == LS_OP_LOCAL_LOAD)
		f->copies++;
	if (e->u.v.a != m->actors[e->actor].index + 1) {
		if (!f->wrong) {
			f->first_wrong = e->actor + 1;
			f->first_got = (long)e->u.v.a;
		}
		f->wrong++;
	}
}

static void
local_verdict(const struct ls_model *m, const long *p, struct ls_verdict *v)
{
	const struct local_fold *f = ls_model_fold_state(m);
	long n = p[P_STUDENTS];
	const char *how = p[P_SHARED] ? _("a plain global") : "threading.local";

	snprintf(v->expected, sizeof v->expected, _("each of %ld threads greets its own student"), n);
	snprintf(v->observed, sizeof v->observed, _("%d greeted, %d with another thread's student"),
	         f->greeted, f->wrong);
	if (f->wrong) {
		/* Settled at the first wrong greeting, finished or not. */
		const struct ls_model_actor *a = &m->actors[f->first_wrong - 1];
		v->ok = 0;
		snprintf(v->summary, sizeof v->summary,
		         _("%s stored %s, but read back %s: with %s another thread stored its name "
		         "in between"), a->name, local_name(a->index + 1), local_name(f->first_got), how);
	} else if (!ls_model_finished(m)) {
		v->ok = -1;
		snprintf(v->summary, sizeof v->summary, _("running: %d of %ld greeted"), f->greeted, n);
	} else {
		v->ok = 1;
		snprintf(v->summary, sizeof v->summary, _("every %s greeted its own student%s"),
		         f->copies ? _("process") : _("thread"),
		         !p[P_SHARED] ? _(": each reads its own local_school.student, whatever the "
		                        "others store")
		         : f->copies ? _(": a plain global is copied at fork, one copy per process")
		         : _(" this time (a plain global: another thread could have stored in between)"));
	}
	ls_verdict_figure(v, "students", (double)n);
	ls_verdict_figure(v, "greeted", f->greeted);
	ls_verdict_figure(v, "wrong", f->wrong);
}

static const struct ls_walk_step local_walk_local_steps[] = {
	{ "Thread-1", "Thread-1 binds its student: local_school.student = Alice (1). The "
	              "Objects pane shows it as Thread-1's own value." },
	{ "Thread-2", "Thread-2 binds Bob (2) to the same name. Both values are there, one per "
	              "thread: neither overwrote the other." },
	{ "Thread-1", "Thread-1's helper process_student() reads local_school.student: Alice, "
	              "its own, though Thread-2 stored after it." },
	{ "Thread-1", "Thread-1 prints \"Hello, Alice (in Thread-1)\" and ends; its value ends "
	              "with it." },
	{ "Thread-2", "Thread-2's helper reads its own value: Bob." },
	{ "Thread-2", "Thread-2 prints \"Hello, Bob (in Thread-2)\"." },
};

static const struct ls_walk_step local_walk_shared_steps[] = {
	{ "Thread-1", "Thread-1 stores its student in the plain global: student = Alice (1)." },
	{ "Thread-2", "Thread-2 stores Bob (2) in the same variable, over Alice." },
	{ "Thread-1", "Thread-1's helper reads the global back: Bob, not Alice." },
	{ "Thread-1", "Thread-1 prints \"Hello, Bob (in Thread-1)\": another thread's student." },
	{ "Thread-2", "Thread-2 reads Bob." },
	{ "Thread-2", "Thread-2 prints \"Hello, Bob (in Thread-2)\": right, by luck of order." },
};

static const struct ls_walkthrough local_walkthroughs[] = {
	{ .title = N_("threading.local: each thread sees its own student"),
	  .params = "students=2 shared=0",
	  .steps = local_walk_local_steps,
	  .nsteps = sizeof local_walk_local_steps / sizeof local_walk_local_steps[0],
	  .ending = N_("Both threads used one global name, local_school.student, and each read "
	            "back what it stored itself: a thread-local is a global with a value per "
	            "thread. No lock and no argument passed to the helper. l shows a plain "
	            "global instead.") },
	{ .title = N_("A plain global: Thread-1 greets Bob"),
	  .params = "students=2 shared=1",
	  .steps = local_walk_shared_steps,
	  .nsteps = sizeof local_walk_shared_steps / sizeof local_walk_shared_steps[0],
	  .ending = N_("Thread-2 stored between Thread-1's store and Thread-1's read, so Thread-1 "
	            "greeted Bob. That is why 000 keeps per-thread data in a threading.local. "
	            "(In processes this cannot happen: each has its own copy of the global.)") },
};

/* The challenges: a thread greets another thread's student. */
static int
local_mixed_up(const struct ls_model *m, const long *p)
{
	const struct local_fold *f = ls_model_fold_state(m);

	(void)p;
	return f->wrong > 0;
}

static const struct ls_challenge local_challenges[] = {
	{ .title = N_("With a plain global, make Thread-1 greet Bob"),
	  .params = "students=2 shared=1",
	  .hint = N_("Thread-2 must store between Thread-1's store and Thread-1's read"),
	  .win = "Thread-1 Thread-2 Thread-1 Thread-1 Thread-2 Thread-2",
	  .lose = "Thread-1 Thread-1 Thread-1 Thread-2 Thread-2 Thread-2",
	  .met = local_mixed_up },
	{ .title = N_("With threading.local, make a thread greet another's student"),
	  .params = "students=2 shared=0",
	  .hint = N_("whose value does local_school.student give a thread?"),
	  .lose = "Thread-1 Thread-2 Thread-1 Thread-1 Thread-2 Thread-2",
	  .met = local_mixed_up, .impossible = 1 },
};

/* Small sizes the explorer's tests search whole (tests/check_explore_reduce.c). */
static const struct ls_explore_case local_explore_cases[] = {
	{ .params = "students=3 shared=0" },
	{ .params = "students=2 shared=1" },
};

const struct ls_scenario ls_scenario_local = {
	.name = "local",
	.position = 130,
	.title = N_("threading.local: every thread its own student"),
	.seed = "000: local_school = threading.local(), process_thread / process_student",
	.lesson =
		N_("local_school is one global, but local_school.student has a value per thread: "
		"each thread stores its student's name and the helper process_student() reads "
		"it back without being passed anything, and each sees its own, with no lock. "
		"With a plain shared global instead (shared=1) a thread that is overtaken "
		"between storing and reading greets another thread's student. In processes "
		"memory is copied at fork, so even a plain global is one copy per process and "
		"nobody sees another's name: the same memory lesson as fork."),
	.params = local_params,
	.nparams = LS_NPARAMS(local_params),
	.roles = local_roles,
	.nroles = sizeof local_roles / sizeof local_roles[0],
	.kind = LS_ACTORS_THREADS,
	.toggle_param = P_SHARED,
	.state_size = sizeof(struct local),
	.setup = local_setup,
	.verdict = local_verdict,
	.fold_size = sizeof(struct local_fold),
	.fold = local_fold,
	.walkthroughs = local_walkthroughs,
	.challenges = local_challenges,
	.nchallenges = sizeof local_challenges / sizeof local_challenges[0],
	.explore_cases = local_explore_cases,
	.nexplore_cases = sizeof local_explore_cases / sizeof local_explore_cases[0],
	.nwalkthroughs = sizeof local_walkthroughs / sizeof local_walkthroughs[0],
};
