/*
 * run.c - one run: builds the world, spawns the actors, drains their rings
 * into the model, and lets the controller decide who moves.  Everything a
 * view shows comes from the model; this file only feeds it.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "engine/actor.h"
#include "engine/cleanup.h"
#include "engine/controller.h"
#include "engine/futex.h"
#include "engine/gate.h"
#include "lockstep/i18n.h"
#include "model/race.h"
#include "engine/run.h"

#define RING_CAP_DEFAULT  1024
#define DRAIN_BATCH       4096
#define FREE_DEADLOCK_MS  400    /* free mode: no progress this long while stuck */
#define ABORT_GRACE_MS    1500   /* then SIGKILL for process actors */
#define SIGNAL_GRACE_MS   250    /* the same when a signal stops the run */
#define STEP_WAIT_MS      2000   /* longest one ls_run_step() waits for its actor */
#define ANSWER_MS         10000  /* a granted actor silent this long is not responding */
#define STOPPED_MS        2000   /* a stopped process actor we wait for, this long */
#define INTERRUPT_AFTER_MS 200   /* waits shorter than this ignore the interrupt hook */

struct ls_run {
	const struct ls_scenario *s;
	long params[32];
	struct ls_run_opts opts;
	struct ls_world *w;
	void *state;
	int nactors;
	struct ls_actor *actors;
	char (*names)[LS_ACTOR_NAME_MAX];
	const char **cnames;
	int *roles;
	int *indices;
	int *enabled;
	/* When each actor was last asked to move (granted, started, or switched
	 * to a controlled mode) and has not answered yet; 0 = not waited for. */
	uint64_t *asked_ns;
	uint64_t *stopped_ns;     /* since when a process actor is seen stopped */
	uint64_t prog_stopped_ns[LS_PROGS_MAX];   /* the same for w->progs[k] */
	uint32_t *granted;        /* the number of each actor's last grant */
	uint32_t grants;          /* numbers the gate grants */
	struct ls_model *m;
	struct ls_controller ctl;
	enum ls_policy policy;
	enum ls_run_status status;
	char reason[512];
	uint64_t t_start, t_end;
	uint64_t last_event_ns;
	uint64_t cycle_look_ns;   /* free runs: when run_free_cycle() last looked */
	int cycle_seen;           /* ... and how many looks in a row saw a cycle */
	/* Events drained but held back until older ones cannot still arrive. */
	struct ls_event *held;
	size_t nheld, capheld;
	struct ls_event *batch;   /* DRAIN_BATCH events copied out of one ring */
	int finished_actors;
	unsigned chld_seen;       /* process actors: see run_reap_changed() */
	uint64_t chld_look_ns;
	/* Fed every applied event, like the model. */
	struct ls_race_detector *race;
	/* Every applied event, only when asked for (trace export). */
	int keep_events;
	struct ls_event *events;
	size_t nevents, capevents;
};

const char *
ls_run_status_name(enum ls_run_status st)
{
	static const char *const names[] = {
		[LS_RUN_READY] = "ready", [LS_RUN_RUNNING] = "running",
		[LS_RUN_FINISHED] = "finished", [LS_RUN_DEADLOCK] = "deadlock",
		[LS_RUN_ABORTED] = "aborted", [LS_RUN_DIVERGED] = "diverged",
	};
	return (unsigned)st < sizeof names / sizeof names[0] ? names[st] : "?";
}

void
ls_run_opts_default(struct ls_run_opts *o, const struct ls_scenario *s)
{
	memset(o, 0, sizeof *o);
	o->kind = s ? s->kind : LS_ACTORS_THREADS;
	o->policy = LS_POLICY_FREE;
	o->seed = 1;
	o->slowmo_pct = 100;
	o->ring_cap = RING_CAP_DEFAULT;
}

static int
run_is_controlled(enum ls_policy p)
{
	return p != LS_POLICY_FREE;
}

/*
 * Can this run's actors be kept alive for the next run (ls_run_opts
 * keep_actors)?  Threads always.  A process kept alive runs the next body
 * with its own memory as the run it was forked in left it, so only where
 * the lesson keeps everything in the world: no pipes (descriptors made by
 * setup), private or thread-local variables (the parent's heap and keys),
 * and no actors forked by actors.
 */
static int
run_can_keep(const struct ls_run *r)
{
	if (r->opts.kind != LS_ACTORS_PROCESSES)
		return 1;
	for (int role = 0; role < r->s->nroles; role++)
		if (r->s->roles[role].forked)
			return 0;
	for (uint32_t i = 0; i < r->w->nobjs; i++)
		switch (r->w->objs[i].kind) {
		case LS_OBJ_VAR: case LS_OBJ_MUTEX: case LS_OBJ_SEM: case LS_OBJ_EVENT:
		case LS_OBJ_COND: case LS_OBJ_FILE: case LS_OBJ_QUEUE:
			break;
		default:
			return 0;
		}
	return 1;
}

struct ls_run *
ls_run_new(const struct ls_scenario *s, const long *params,
           const struct ls_run_opts *opts, char *err, size_t len)
{
	struct ls_run *r = calloc(1, sizeof *r);
	int n = 0;

	if (!r) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	r->s = s;
	r->opts = *opts;
	if (!r->opts.ring_cap)
		r->opts.ring_cap = RING_CAP_DEFAULT;
	if (r->opts.ring_cap & (r->opts.ring_cap - 1)) {
		snprintf(err, len, "ring capacity must be a power of two");
		goto fail;
	}
	if (s->nparams > (int)(sizeof r->params / sizeof r->params[0])) {
		snprintf(err, len, "%s: too many parameters", s->name);
		goto fail;
	}
	for (int i = 0; i < s->nparams; i++) {
		const struct ls_param_desc *p = &s->params[i];
		if (params[i] < p->min || params[i] > p->max) {
			snprintf(err, len, "%s: %s=%ld is out of range (%ld..%ld)",
			         s->name, p->name, params[i], p->min, p->max);
			goto fail;
		}
		r->params[i] = params[i];
	}
	n = ls_scenario_actor_count(s, r->params);
	if (n < 1 || n > LS_MAX_ACTORS) {
		snprintf(err, len, "%s: %d actors (1..%d are possible)", s->name, n, LS_MAX_ACTORS);
		goto fail;
	}
	r->nactors = n;
	r->actors = calloc((size_t)n, sizeof *r->actors);
	r->names = calloc((size_t)n, sizeof *r->names);
	r->cnames = calloc((size_t)n, sizeof *r->cnames);
	r->roles = calloc((size_t)n, sizeof *r->roles);
	r->indices = calloc((size_t)n, sizeof *r->indices);
	r->enabled = calloc((size_t)n, sizeof *r->enabled);
	r->asked_ns = calloc((size_t)n, sizeof *r->asked_ns);
	r->stopped_ns = calloc((size_t)n, sizeof *r->stopped_ns);
	r->granted = calloc((size_t)n, sizeof *r->granted);
	r->batch = malloc(DRAIN_BATCH * sizeof *r->batch);
	if (!r->actors || !r->names || !r->cnames || !r->roles || !r->indices || !r->enabled ||
	    !r->asked_ns || !r->stopped_ns || !r->granted || !r->batch) {
		snprintf(err, len, "out of memory");
		goto fail;
	}
	r->w = s->world_file ? ls_world_new_file((uint32_t)n, r->opts.ring_cap)
	                     : ls_world_new((uint32_t)n, r->opts.ring_cap);
	if (!r->w) {
		snprintf(err, len, "cannot map the shared world: %s", strerror(errno));
		goto fail;
	}
	ls_cleanup_track(r->w);
	r->state = ls_world_alloc(r->w, s->state_size ? s->state_size : 1);
	if (!r->state) {
		snprintf(err, len, "%s: its state does not fit the shared world", s->name);
		goto fail;
	}
	err[0] = '\0';
	if (s->setup && s->setup(r->w, r->state, r->params, err, len) != 0) {
		if (!err[0])
			snprintf(err, len, "%s: setup failed", s->name);
		goto fail;
	}

	int id = 0;
	for (int role = 0; role < s->nroles; role++) {
		const struct ls_role_desc *rd = &s->roles[role];
		int count = rd->count_param >= 0 ? (int)r->params[rd->count_param] : rd->count;
		for (int k = 0; k < count; k++, id++) {
			struct ls_actor *a = &r->actors[id];
			if (rd->single && count == 1)
				snprintf(r->names[id], sizeof r->names[id], "%s", rd->prefix);
			else
				snprintf(r->names[id], sizeof r->names[id], "%s%d", rd->prefix, k + 1);
			r->cnames[id] = r->names[id];
			r->roles[id] = role;
			r->indices[id] = k;
			a->body = rd->body;
			a->ctx.state = r->state;
			a->ctx.params = r->params;
			a->ctx.id = id;
			a->ctx.role = role;
			a->ctx.index = k;
			a->ctx.name = r->names[id];
			a->ctx.kind = r->opts.kind;
			a->pooled = r->opts.keep_actors && run_can_keep(r);
			a->self.world = r->w;
			a->self.slot = &r->w->actors[id];
			a->self.id = (uint16_t)id;
			a->self.is_daemon = (uint8_t)ls_scenario_role_daemon(s, role, r->params);
		}
	}
	r->m = ls_model_new(r->w, n, r->cnames, r->roles, r->indices);
	if (r->m) {
		r->m->actor_kind = r->opts.kind;
		for (int role = 0; role < s->nroles; role++)
			r->m->hide_unstarted |= s->roles[role].unlisted;
	}
	if (!r->m || ls_model_set_fold(r->m, s->fold_size, s->fold, r->params) != 0) {
		snprintf(err, len, "out of memory");
		goto fail;
	}
	int kinds[LS_MAX_OBJS];
	for (uint32_t i = 0; i < r->w->nobjs && i < LS_MAX_OBJS; i++)
		kinds[i] = r->w->objs[i].kind;
	r->race = ls_race_new(n, (int)r->w->nobjs, kinds);
	if (!r->race) {
		snprintf(err, len, "out of memory");
		goto fail;
	}
	for (size_t i = 0; opts->replay && i < opts->replay->len; i++) {
		if (opts->replay->steps[i] < 0 || opts->replay->steps[i] >= n) {
			snprintf(err, len, "schedule step %zu names actor %d; this run has %d",
			         i + 1, opts->replay->steps[i], n);
			goto fail;
		}
	}
	ls_controller_init(&r->ctl, opts->policy, opts->seed, opts->replay);
	r->policy = opts->policy;
	r->status = LS_RUN_READY;
	return r;
fail:
	if (r->w) {
		ls_cleanup_untrack(r->w);
		ls_world_free(r->w);
	}
	/* A replay naming an actor this run lacks fails after the model exists. */
	ls_model_free(r->m);
	ls_race_free(r->race);
	free(r->actors);
	free(r->names);
	free(r->cnames);
	free(r->roles);
	free(r->indices);
	free(r->enabled);
	free(r->asked_ns);
	free(r->stopped_ns);
	free(r->granted);
	free(r->batch);
	free(r);
	return NULL;
}

/* ---- draining ----------------------------------------------------------- */

static int
run_event_cmp(const void *pa, const void *pb)
{
	const struct ls_event *a = pa, *b = pb;

	if (a->t_ns != b->t_ns)
		return a->t_ns < b->t_ns ? -1 : 1;
	if (a->actor != b->actor)
		return a->actor < b->actor ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int
run_hold(struct ls_run *r, const struct ls_event *e, size_t n)
{
	if (r->nheld + n > r->capheld) {
		size_t cap = r->capheld ? r->capheld : 1024;
		while (cap < r->nheld + n)
			cap *= 2;
		struct ls_event *p = realloc(r->held, cap * sizeof *p);
		if (!p)
			return -1;
		r->held = p;
		r->capheld = cap;
	}
	memcpy(r->held + r->nheld, e, n * sizeof *e);
	r->nheld += n;
	return 0;
}

/* One event, in the model's order, to the model and to what else watches. */
static void
run_apply(struct ls_run *r, const struct ls_event *e)
{
	ls_model_apply(r->m, e);
	ls_race_apply(r->race, e);
	ls_proc_note(e);   /* the programs' groups, for the janitor */
	if (!r->keep_events)
		return;
	if (r->nevents == r->capevents) {
		size_t cap = r->capevents ? r->capevents * 2 : 4096;
		struct ls_event *p = realloc(r->events, cap * sizeof *p);
		if (!p)
			return;   /* the export then lacks the tail; the run goes on */
		r->events = p;
		r->capevents = cap;
	}
	r->events[r->nevents++] = *e;
}

/*
 * Move events from the rings into the model in timestamp order.  An event
 * stamped after the drain began may still have an earlier one from another
 * actor in flight, so it waits for the next drain unless all is quiet.
 */
static size_t
run_drain(struct ls_run *r, int everything)
{
	struct ls_event *batch = r->batch;
	uint64_t horizon = ls_now_ns();
	uint64_t dropped = 0;
	size_t got = 0;

	for (int i = 0; i < r->nactors; i++) {
		struct ls_ring *ring = r->w->actors[i].ring;
		size_t n;
		while ((n = ls_ring_drain(ring, batch, DRAIN_BATCH)) > 0) {
			if (run_hold(r, batch, n) != 0) {
				/* Out of memory: these are off the ring and gone.  Counted,
				 * like a ring's drops; the rest stays in the ring. */
				ls_model_add_lost(r->m, n);
				break;
			}
			got += n;
		}
		dropped += ls_ring_dropped(ring);
	}
	ls_model_set_ring_drops(r->m, dropped);
	if (!r->nheld)
		return got;
	qsort(r->held, r->nheld, sizeof *r->held, run_event_cmp);
	size_t apply = r->nheld;
	if (!everything) {
		apply = 0;
		while (apply < r->nheld && r->held[apply].t_ns < horizon)
			apply++;
	}
	for (size_t i = 0; i < apply; i++)
		run_apply(r, &r->held[i]);
	memmove(r->held, r->held + apply, (r->nheld - apply) * sizeof *r->held);
	r->nheld -= apply;
	if (got)
		r->last_event_ns = ls_now_ns();
	return got;
}

static void
run_synthesize(struct ls_run *r, int actor, enum ls_op op, unsigned obj, int64_t a)
{
	struct ls_event e;

	memset(&e, 0, sizeof e);
	e.t_ns = ls_now_ns();
	e.actor = (uint16_t)actor;
	e.op = (uint8_t)op;
	e.phase = LS_PH_DONE;
	e.obj = (uint16_t)obj;
	e.u.v.a = a;
	if (run_hold(r, &e, 1) != 0)
		ls_model_add_lost(r->m, 1);
}

/* A role whose actor another actor forks (ls_fork), not the engine. */
static int
run_forked(const struct ls_run *r, int i)
{
	return r->s->roles[r->roles[i]].forked;
}

/* The pid of a forked child, 0 while it has not been forked. */
static pid_t
run_forked_pid(const struct ls_run *r, int i)
{
	/* Relaxed: stored by the forker before its PARKED or DONE (a release
	 * the controller has acquired), and a pid carries no data. */
	return atomic_load_explicit(&r->w->actors[i].pid, memory_order_relaxed);
}

/*
 * A forked child that is gone: a thread actor's is our own child, which
 * its parent may have reaped already (ECHILD) once that parent is done; a
 * process actor's is its parent's, and once gone, gone for kill(0) too.
 */
static int
run_forked_gone(struct ls_run *r, int i, int block)
{
	struct ls_actor *a = &r->actors[i];
	pid_t pid = run_forked_pid(r, i);
	/* Relaxed: as the pid in run_forked_pid(). */
	int parent = atomic_load_explicit(&r->w->actors[i].forked_by, memory_order_relaxed) - 1;

	if (pid <= 0)
		return 1;
	if (r->opts.kind == LS_ACTORS_THREADS) {
		int st;
		if (!block && parent >= 0 && parent < r->nactors &&
		    ls_gate_state(&r->w->actors[parent].gate) != LS_GATE_DONE)
			return 0;
		pid_t got = waitpid(pid, &st, block ? 0 : WNOHANG);
		if (got == pid)
			a->exit_status = st;
		return got == pid || (got < 0 && errno == ECHILD);
	}
	for (int tries = 0; kill(pid, 0) == 0; tries++) {
		if (!block || tries > 200)
			return 0;
		struct timespec ts = { 0, 10 * 1000000L };
		nanosleep(&ts, NULL);
	}
	return 1;
}

/* Reap actor i if it has ended; a process that died without finishing crashed. */
static void
run_reap_one(struct ls_run *r, int i, int block)
{
	struct ls_actor *a = &r->actors[i];
	int done = ls_gate_state(&r->w->actors[i].gate) == LS_GATE_DONE;

	if (!a->self.is_process) {
		if (done || block)
			ls_actor_reap(a, 1);
		return;
	}
	if (!ls_actor_reap(a, block))
		return;
	/* It may have marked its gate done and ended since we looked. */
	done = ls_gate_state(&r->w->actors[i].gate) == LS_GATE_DONE;
	if (!done) {
		int sig = WIFSIGNALED(a->exit_status) ? WTERMSIG(a->exit_status) : 0;
		run_synthesize(r, i, LS_OP_CRASH, LS_NO_OBJ, sig);
		/* Let the controller stop waiting for it. */
		ls_gate_mark_done(&r->w->actors[i].gate);
	}
}

static int
run_actor_by_pid(const struct ls_run *r, pid_t pid)
{
	for (int i = 0; i < r->nactors; i++)
		if (r->actors[i].started && r->actors[i].pid == pid)
			return i;
	return -1;
}

/*
 * Processes, not blocking: wait only for the children that changed state
 * since the last pass (none, most passes: see ls_actor_children_changed),
 * one by one.  Returns 1 when every actor must be looked at instead.
 */
static int
run_reap_changed(struct ls_run *r)
{
	uint64_t now = ls_now_ns();
	int changed = ls_actor_children_changed(&r->chld_seen);

	/* Now and then look anyway: a SIGCHLD may be blocked where it lands. */
	if (!changed && now - r->chld_look_ns < 100u * 1000000u)
		return 0;
	r->chld_look_ns = now;
	if (changed == 2)
		return 1;
	for (int guard = 0; guard <= 2 * r->nactors; guard++) {
		pid_t pid = ls_actor_next_changed();
		if (pid == 0)
			return 0;
		int i = pid > 0 ? run_actor_by_pid(r, pid) : -1;
		if (i < 0 || r->actors[i].reaped)
			return 1;   /* someone else's child, or cannot tell */
		run_reap_one(r, i, 0);
	}
	return 1;
}

static void
run_reap_forked(struct ls_run *r, int i, int block)
{
	struct ls_actor *a = &r->actors[i];
	int done = ls_gate_state(&r->w->actors[i].gate) == LS_GATE_DONE;

	if (a->reaped || run_forked_pid(r, i) <= 0)
		return;
	if (block && !done)
		kill(run_forked_pid(r, i), SIGKILL);
	if (!run_forked_gone(r, i, block))
		return;
	/* It may have marked its gate done and exited since we looked. */
	done = ls_gate_state(&r->w->actors[i].gate) == LS_GATE_DONE;
	a->reaped = 1;
	if (!done) {
		run_synthesize(r, i, LS_OP_CRASH, LS_NO_OBJ, SIGKILL);
		ls_gate_mark_done(&r->w->actors[i].gate);
	}
}

/*
 * Reap what has ended.  Forked roles are looked at each pass (few, and not
 * the engine's children); the engine's process actors only when a child
 * changed state (run_reap_changed).
 */
static void
run_reap(struct ls_run *r, int block)
{
	for (int i = 0; i < r->nactors; i++)
		if (run_forked(r, i))
			run_reap_forked(r, i, block);
	if (!block && r->opts.kind == LS_ACTORS_PROCESSES && !run_reap_changed(r))
		return;
	for (int i = 0; i < r->nactors; i++)
		if (!run_forked(r, i) && !r->actors[i].reaped && r->actors[i].started)
			run_reap_one(r, i, block);
}

/* Every actor has returned, crashed, or never started. */
static int
run_all_done(struct ls_run *r)
{
	for (int i = 0; i < r->nactors; i++) {
		int live = r->actors[i].started ||
		           (run_forked(r, i) && run_forked_pid(r, i) > 0 && !r->actors[i].reaped);
		if (live && ls_gate_state(&r->w->actors[i].gate) != LS_GATE_DONE)
			return 0;
	}
	return 1;
}

/*
 * Daemons (struct ls_role_desc.daemon): the run waits only for the others.
 * Every non-daemon actor has returned, crashed, or never started.
 */
static int
run_main_done(struct ls_run *r)
{
	for (int i = 0; i < r->nactors; i++)
		if (r->actors[i].started && ls_gate_state(&r->w->actors[i].gate) != LS_GATE_DONE &&
		    !ls_scenario_role_daemon(r->s, r->roles[i], r->params))
			return 0;
	return 1;
}

/* The end of a run: everyone has left; record what memory really holds. */
static void
run_conclude(struct ls_run *r, enum ls_run_status st)
{
	ls_proc_kill_all(r->w);
	run_reap(r, 1);
	run_drain(r, 1);
	for (uint32_t i = 0; i < r->w->nobjs; i++) {
		if (r->w->objs[i].kind != LS_OBJ_VAR)
			continue;
		ls_var *v = r->w->objs[i].ptr;
		/* Relaxed: every actor has ended (joined or reaped), which orders
		 * its last store before this read. */
		run_synthesize(r, LS_NO_ACTOR, LS_OP_FINAL, i,
		               atomic_load_explicit(&v->v, memory_order_relaxed));
	}
	run_drain(r, 1);
	if (r->status == LS_RUN_RUNNING || r->status == LS_RUN_READY)
		r->status = st;
	r->t_end = ls_now_ns();
}

/* ---- waiting ------------------------------------------------------------ */

/*
 * Every wait of the parent is bounded and sliced, and between slices it
 * looks at three things: a caught signal, the run's abort word, and a
 * process-wide hook a view may set (the TUI: a key is waiting), consulted
 * only once a wait has lasted INTERRUPT_AFTER_MS so that ordinary steps are
 * never cut short by typing ahead.
 */
static int (*run_interrupt)(void *);
static void *run_interrupt_arg;

void
ls_run_set_interrupt(int (*fn)(void *), void *arg)
{
	run_interrupt = fn;
	run_interrupt_arg = arg;
}

static int
run_cut(struct ls_run *r, uint64_t since)
{
	/* Relaxed: our own word (only the parent writes abort). */
	if (ls_cleanup_signalled() || atomic_load_explicit(&r->w->ctl.abort, memory_order_relaxed))
		return 1;
	return run_interrupt && ls_now_ns() - since >= (uint64_t)INTERRUPT_AFTER_MS * 1000000u &&
	       run_interrupt(run_interrupt_arg);
}

static const char *
run_stop_name(int sig)
{
	switch (sig) {
	case SIGSTOP: return "SIGSTOP";
	case SIGTSTP: return "SIGTSTP";
	case SIGTTIN: return "SIGTTIN";
	case SIGTTOU: return "SIGTTOU";
	default:      return "a signal";
	}
}

/*
 * Stop waiting for an actor that will not answer: say why, end the run.
 * bound_ms is the bound it went past (STOPPED_MS, ANSWER_MS): the time
 * told is the bound, which is what the README and the manual promise.
 */
static void
run_give_up(struct ls_run *r, int i, int bound_ms)
{
	struct ls_actor *a = &r->actors[i];
	double secs = bound_ms / 1000.0;
	int os_id = ls_run_actor_os_id(r, i);
	const char *what = a->self.is_process ? "pid" : "tid";

	if (a->stopped)
		snprintf(r->reason, sizeof r->reason,
		         "%s (%s %d) was stopped (%s) and did not answer for %.0f s; the run was ended",
		         r->names[i], what, os_id, run_stop_name(a->stopped), secs);
	else
		snprintf(r->reason, sizeof r->reason,
		         "%s (%s %d) did not answer for %.0f s (%s); the run was ended",
		         r->names[i], what, os_id, secs,
		         ls_gate_taken(&r->w->actors[i].gate) == r->granted[i] && r->granted[i]
		         ? "it took its step and never reached its next operation"
		         : "it never took its step");
	/* A stopped process cannot leave by itself; it would only cost the grace. */
	if (a->self.is_process && a->pid > 0)
		kill(a->pid, SIGKILL);
	ls_run_abort(r);
}

/* Is pid stopped (state T or t in /proc/PID/stat)? */
static int
run_pid_stopped(pid_t pid)
{
	char path[40], buf[256];
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (!(f = fopen(path, "re")))
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' && (paren[2] == 'T' || paren[2] == 't');
}

/*
 * The programs actors started (ls_spawn), in every mode: one stopped for
 * STOPPED_MS while nothing else happened ends the run, naming it and the
 * actor that started it; its group is killed (the run's end reaps it).
 */
static int
run_watch_progs(struct ls_run *r, uint64_t now)
{
	for (int k = 0; k < LS_PROGS_MAX; k++) {
		pid_t pid = atomic_load_explicit(&r->w->progs[k], memory_order_relaxed);
		if (pid <= 0 || !run_pid_stopped(pid)) {
			r->prog_stopped_ns[k] = 0;
			continue;
		}
		if (!r->prog_stopped_ns[k])
			r->prog_stopped_ns[k] = now;
		uint64_t from = r->prog_stopped_ns[k] > r->last_event_ns ? r->prog_stopped_ns[k]
		                                                          : r->last_event_ns;
		if (now - from < (uint64_t)STOPPED_MS * 1000000u)
			continue;
		const char *who = "an actor";
		for (int p = 0; p < r->m->nprocs && p < LS_MODEL_PROCS; p++)
			if (r->m->procs[p].pid == pid && r->m->procs[p].actor >= 0 &&
			    r->m->procs[p].actor < r->nactors)
				who = r->names[r->m->procs[p].actor];
		snprintf(r->reason, sizeof r->reason,
		         "the program %s started (pid %d) was stopped and did not go on for %d s; "
		         "the run was ended", who, (int)pid, STOPPED_MS / 1000);
		kill(-pid, SIGKILL);
		ls_run_abort(r);
		return 1;
	}
	return 0;
}

/*
 * The watchdog, run between the slices of every wait: an actor the run is
 * waiting for that is stopped (STOPPED_MS) or silent (ANSWER_MS) ends the
 * run with the reason.  Returns 1 when it did.  In free mode the run waits
 * for a stopped process once nothing else has happened for STOPPED_MS.
 */
static int
run_watch(struct ls_run *r)
{
	uint64_t now = ls_now_ns();
	int controlled = run_is_controlled(r->policy);

	if (r->status != LS_RUN_RUNNING)
		return 0;
	for (int i = 0; i < r->nactors; i++) {
		struct ls_actor *a = &r->actors[i];
		if (!a->started || a->reaped)
			continue;
		if (!a->stopped)
			r->stopped_ns[i] = 0;
		else if (!r->stopped_ns[i])
			r->stopped_ns[i] = now;
		if (!controlled) {
			uint64_t from = r->stopped_ns[i] > r->last_event_ns ? r->stopped_ns[i] : r->last_event_ns;
			if (a->stopped && now - from >= (uint64_t)STOPPED_MS * 1000000u) {
				run_give_up(r, i, STOPPED_MS);
				return 1;
			}
			continue;
		}
		if (ls_gate_state(&r->w->actors[i].gate) != LS_GATE_RUNNING ||
		    r->m->actors[i].state == LS_AS_BLOCKED) {
			r->asked_ns[i] = 0;
			continue;
		}
		if (!r->asked_ns[i])
			continue;
		uint64_t from = r->asked_ns[i] > r->stopped_ns[i] ? r->asked_ns[i] : r->stopped_ns[i];
		if (a->stopped && now - from >= (uint64_t)STOPPED_MS * 1000000u) {
			run_give_up(r, i, STOPPED_MS);
			return 1;
		}
		if (now - r->asked_ns[i] >= (uint64_t)ANSWER_MS * 1000000u) {
			run_give_up(r, i, ANSWER_MS);
			return 1;
		}
	}
	return run_watch_progs(r, now);
}

/* ---- starting and stopping ---------------------------------------------- */

int
ls_run_start(struct ls_run *r, char *err, size_t len)
{
	if (r->status != LS_RUN_READY) {
		snprintf(err, len, "run already started");
		return -1;
	}
	/* seq_cst kept, gated and slowmo: before any actor exists (spawning
	 * orders them); the order is free here.  Read relaxed by the probes. */
	atomic_store(&r->w->ctl.gated, run_is_controlled(r->policy) ? 1u : 0u);
	ls_ctl_publish(&r->w->ctl);
	atomic_store(&r->w->ctl.slowmo_pct, r->opts.slowmo_pct ? r->opts.slowmo_pct : 100);
	/* Flush stdio so forked children cannot write out a copy of our buffers. */
	fflush(NULL);
	r->t_start = ls_now_ns();
	r->last_event_ns = r->t_start;
	r->status = LS_RUN_RUNNING;
	if (r->opts.kind == LS_ACTORS_PROCESSES)
		ls_actor_prepare_processes();
	for (int i = 0; i < r->nactors; i++) {
		/* A thousand forks take seconds: a signal stops the spawning at
		 * once.  The run is then ABORTED and the caller, which checks for
		 * signals after starting, leaves as it would from a running run. */
		if (ls_cleanup_signalled()) {
			ls_run_abort(r);
			return 0;
		}
		/* Forked by another actor, later: until then nobody waits for it. */
		if (run_forked(r, i)) {
			ls_gate_preset_parked(&r->w->actors[i].gate);
			continue;
		}
		/* In controlled modes each must reach its first probe and park. */
		r->asked_ns[i] = ls_now_ns();
		int rc = ls_actor_spawn(&r->actors[i], r->opts.kind);
		if (rc != 0) {
			snprintf(err, len, "cannot start actor %s as a %s: %s", r->names[i],
			         r->opts.kind == LS_ACTORS_PROCESSES ? "process" : "thread",
			         strerror(rc));
			ls_run_abort(r);
			return -1;
		}
	}
	return 0;
}

/* Raise the abort word and wait for every actor to leave; SIGKILL for
 * processes that have not left after a grace period. */
static void
run_stop_actors(struct ls_run *r)
{
	/* seq_cst kept: once per run.  Read relaxed by the actors (the abort
	 * word carries no data); the futex wake and gate kicks below end their
	 * waits, and a waiter's futex compare sees the 1. */
	atomic_store(&r->w->ctl.abort, 1);
	ls_ctl_publish(&r->w->ctl);
	ls_futex_wake(&r->w->ctl.abort, INT_MAX);
	for (int i = 0; i < r->nactors; i++)
		ls_gate_kick(&r->w->actors[i].gate);
	/* After a signal the user is waiting for the prompt: a short grace. */
	int grace = ls_cleanup_signalled() ? SIGNAL_GRACE_MS : ABORT_GRACE_MS;
	uint64_t until = ls_now_ns() + (uint64_t)grace * 1000000u;
	/* Woken actors leave within microseconds: look again soon, then less
	 * often (the explorer abandons thousands of runs this way). */
	long pause_ns = 20000;
	for (;;) {
		run_reap(r, 0);
		/* A stopped process cannot leave by itself: no grace for it. */
		for (int i = 0; i < r->nactors; i++)
			if (r->actors[i].stopped && !r->actors[i].reaped)
				kill(r->actors[i].pid, SIGKILL);
		if (run_all_done(r) || ls_now_ns() >= until)
			break;
		struct timespec ts = { 0, pause_ns };
		nanosleep(&ts, NULL);
		if (pause_ns < 5 * 1000000L)
			pause_ns *= 2;
	}
	for (int i = 0; i < r->nactors; i++) {
		struct ls_actor *a = &r->actors[i];
		/* One kept alive that has left its body is waiting for the next
		 * run, not running: the reap below takes it back. */
		if (a->started && !a->reaped && a->self.is_process &&
		    !(a->proc && ls_gate_state(&r->w->actors[i].gate) == LS_GATE_DONE))
			kill(a->pid, SIGKILL);
		if (run_forked(r, i) && !a->reaped && run_forked_pid(r, i) > 0)
			kill(run_forked_pid(r, i), SIGKILL);
	}
	ls_proc_kill_all(r->w);
}

void
ls_run_abort(struct ls_run *r)
{
	if (r->status != LS_RUN_RUNNING) {
		if (r->status == LS_RUN_READY)
			r->status = LS_RUN_ABORTED;
		/* A deadlocked or diverged run still has actors parked or blocked. */
		if (run_all_done(r) && r->t_end)
			return;
	}
	run_stop_actors(r);
	if (r->status == LS_RUN_RUNNING)
		r->status = LS_RUN_ABORTED;
	run_conclude(r, LS_RUN_ABORTED);
}

/*
 * Every non-daemon actor is done: Python ends the daemons with the main
 * program, wherever they are.  They are stopped as an abort stops actors
 * (each leaves at its next probe or wait, recording EXIT with phase FAIL,
 * which the model shows as cut off), and the run is FINISHED, not ABORTED.
 */
static void
run_end_daemons(struct ls_run *r)
{
	if (!run_all_done(r))
		run_stop_actors(r);
	run_conclude(r, LS_RUN_FINISHED);
}

void
ls_run_free(struct ls_run *r)
{
	if (!r)
		return;
	if (r->status == LS_RUN_RUNNING || !run_all_done(r) || !r->t_end)
		ls_run_abort(r);
	run_reap(r, 1);
	ls_cleanup_untrack(r->w);
	ls_world_free(r->w);
	ls_model_free(r->m);
	ls_race_free(r->race);
	free(r->events);
	ls_controller_fini(&r->ctl);
	free(r->held);
	free(r->actors);
	free(r->names);
	free(r->cnames);
	free(r->roles);
	free(r->indices);
	free(r->enabled);
	free(r->asked_ns);
	free(r->stopped_ns);
	free(r->granted);
	free(r->batch);
	free(r);
}

/* ---- controlled stepping ------------------------------------------------ */

/*
 * Wait until no actor is between probes: each is parked, finished, or stuck
 * in a real primitive (possible only after a switch from free mode).
 * Returns 1 when settled, 0 when the budget ran out first.
 */
static int
run_settle(struct ls_run *r, uint64_t until)
{
	uint64_t since = ls_now_ns();

	for (;;) {
		int busy = -1;
		run_reap(r, 0);
		run_drain(r, 1);
		if (run_watch(r))
			return 0;
		for (int i = 0; i < r->nactors && busy < 0; i++) {
			if (ls_gate_state(&r->w->actors[i].gate) != LS_GATE_RUNNING)
				continue;
			if (r->m->actors[i].state != LS_AS_BLOCKED)
				busy = i;
		}
		if (busy < 0) {
			/* An actor may have parked after the drain above: its gate
			 * says PARKED but the model has not seen its BEGIN, so it
			 * would look unable to move.  Having read its gate state
			 * (acquire), its events are in its ring: drain again. */
			run_drain(r, 1);
			return 1;
		}
		uint64_t now = ls_now_ns();
		if (now >= until || run_cut(r, since))
			return 0;
		uint64_t left_ms = (until - now) / 1000000u;
		ls_gate_wait(&r->w->actors[busy].gate, left_ms > 20 ? 20 : (int)left_ms + 1);
	}
}

static int
run_enabled_set(struct ls_run *r)
{
	int n = 0;

	for (int i = 0; i < r->nactors; i++)
		if (ls_gate_state(&r->w->actors[i].gate) == LS_GATE_PARKED && ls_model_can_proceed(r->m, i))
			r->enabled[n++] = i;
	return n;
}

/* After settling: finished, deadlocked, or still running. */
static void
run_check_end(struct ls_run *r)
{
	if (r->status != LS_RUN_RUNNING)
		return;
	if (run_main_done(r)) {   /* only daemons left: the run is over */
		run_end_daemons(r);
		return;
	}
	if (run_is_controlled(r->policy) && ((run_enabled_set(r) == 0 &&
	    ls_model_deadlock(r->m, 1, r->reason, sizeof r->reason)) ||
	    ls_model_lock_cycle(r->m, r->reason, sizeof r->reason))) {
		r->status = LS_RUN_DEADLOCK;
		r->t_end = ls_now_ns();
	}
}

/* Number a grant (never 0: go = 0 means "no grant"). */
static void
run_grant(struct ls_run *r, int actor)
{
	if (++r->grants == 0)
		r->grants = 1;
	r->granted[actor] = r->grants;
	r->asked_ns[actor] = ls_now_ns();
	ls_gate_grant(&r->w->actors[actor].gate, r->grants);
}

static int
run_step_actor(struct ls_run *r, int actor)
{
	struct ls_gate *g = &r->w->actors[actor].gate;
	uint64_t since = ls_now_ns();

	run_grant(r, actor);
	ls_controller_taken(&r->ctl, actor);
	/*
	 * The actor runs alone until its next probe; a process may die
	 * instead, or be stopped.  A signal or the view cuts the wait short
	 * (the actor stays in flight and the next settle waits for it); the
	 * watchdog ends the run if the actor does not answer.
	 */
	while (ls_gate_wait(g, 50) == LS_GATE_RUNNING) {
		run_reap(r, 0);
		run_drain(r, 1);
		if (run_watch(r) || run_cut(r, since))
			break;
	}
	run_drain(r, 1);
	return actor;
}

/*
 * Settle, see whether the run ended, and fill r->enabled: how many actors
 * can move now, or -1 when none may be asked to (ended, free, not settled).
 */
static int
run_ready(struct ls_run *r)
{
	if (r->status != LS_RUN_RUNNING || !run_is_controlled(r->policy))
		return -1;
	if (!run_settle(r, ls_now_ns() + 2000u * 1000000u))
		return -1;
	run_check_end(r);
	if (r->status != LS_RUN_RUNNING)
		return -1;
	return run_enabled_set(r);
}

/*
 * The schedule names an actor that cannot move.  When an actor crashed
 * (killed from outside), that is why: the run is ended (aborted) naming
 * the crash, not blamed on the schedule file.
 */
static void
run_diverged(struct ls_run *r, const char *err)
{
	char who[200];

	if (ls_run_crashed(r, who, sizeof who) > 0) {
		snprintf(r->reason, sizeof r->reason, "%s crashed, so the schedule could not go on "
		         "(%s); the run was ended", who, err);
		r->status = LS_RUN_ABORTED;
	} else {
		snprintf(r->reason, sizeof r->reason, "%s", err);
		r->status = LS_RUN_DIVERGED;
	}
	r->t_end = ls_now_ns();
}

int
ls_run_step(struct ls_run *r, int actor)
{
	char err[200];
	int n = run_ready(r);

	if (n < 0)
		return -1;
	if (actor >= 0) {
		int ok = 0;
		for (int i = 0; i < n && !ok; i++)
			ok = r->enabled[i] == actor;
		if (!ok)
			return -1;
		/* A user's choice keeps the chooser's randomness untouched. */
	} else {
		actor = ls_controller_choose(&r->ctl, r->enabled, n, r->cnames, err, sizeof err);
		if (actor < 0) {
			if (n > 0 && r->policy == LS_POLICY_REPLAY)
				run_diverged(r, err);
			return -1;
		}
	}
	run_step_actor(r, actor);
	run_settle(r, ls_now_ns() + 50u * 1000000u);
	run_check_end(r);
	return actor;
}

const char *
ls_run_flag_word(const struct ls_run *r, int obj, long flag)
{
	const char *word = obj >= 0 && (uint32_t)obj < r->w->nobjs ? r->w->objs[obj].words[flag != 0] : "";

	return word[0] ? word : flag ? N_("set") : N_("clear");
}

int
ls_run_replay_ended(const struct ls_run *r, size_t *len)
{
	if (r->policy != LS_POLICY_REPLAY || r->ctl.policy != LS_POLICY_REPLAY ||
	    r->ctl.replay_at < r->ctl.replay.len)
		return 0;
	if (len)
		*len = r->ctl.replay.len;
	return 1;
}

int
ls_run_enabled(struct ls_run *r, int *out, int max)
{
	int n = run_ready(r);

	if (n < 0)
		return 0;
	for (int i = 0; i < n && i < max; i++)
		out[i] = r->enabled[i];
	return n < max ? n : max;
}

int
ls_run_next_pick(const struct ls_run *r)
{
	struct ls_run *w = (struct ls_run *)r;
	if (r->status != LS_RUN_RUNNING || !run_is_controlled(r->policy))
		return -1;
	int n = run_enabled_set(w);
	return ls_controller_peek(&r->ctl, r->enabled, n);
}

/* ---- polling ------------------------------------------------------------ */

/*
 * Free runs: actors waiting in a cycle for a Python program's own locks
 * are stuck however busy the others are (004's main thread spins on
 * active_count()).  A cycle seen twice, FREE_DEADLOCK_MS apart with the
 * rings drained, is a deadlock.  1 when the run ended.
 */
static int
run_free_cycle(struct ls_run *r, uint64_t now)
{
	if (now - r->cycle_look_ns < (uint64_t)FREE_DEADLOCK_MS * 1000000u)
		return 0;
	r->cycle_look_ns = now;
	run_drain(r, 1);
	if (!ls_model_lock_cycle(r->m, r->reason, sizeof r->reason)) {
		r->cycle_seen = 0;
		return 0;
	}
	if (!r->cycle_seen++)
		return 0;
	r->status = LS_RUN_DEADLOCK;
	r->t_end = now;
	return 1;
}

static void
run_poll_free(struct ls_run *r, uint64_t until)
{
	for (;;) {
		run_reap(r, 0);
		run_drain(r, 0);
		if (run_main_done(r)) {   /* only daemons left: the run is over */
			run_end_daemons(r);
			return;
		}
		if (run_watch(r))
			return;
		uint64_t now = ls_now_ns();
		if (now - r->last_event_ns > (uint64_t)FREE_DEADLOCK_MS * 1000000u) {
			run_drain(r, 1);
			if (ls_model_deadlock(r->m, 0, r->reason, sizeof r->reason)) {
				r->status = LS_RUN_DEADLOCK;
				r->t_end = now;
				return;
			}
		}
		if (run_free_cycle(r, now))
			return;
		if (now >= until)
			return;
		struct timespec ts = { 0, 2 * 1000000L };
		nanosleep(&ts, NULL);
	}
}

enum ls_run_status
ls_run_poll(struct ls_run *r, int budget_ms)
{
	uint64_t until = ls_now_ns() + (uint64_t)(budget_ms > 0 ? budget_ms : 0) * 1000000u;

	if (r->status != LS_RUN_RUNNING)
		return r->status;
	switch (r->policy) {
	case LS_POLICY_FREE:
		run_poll_free(r, until);
		break;
	case LS_POLICY_STEP:
		if (run_settle(r, until))
			run_check_end(r);
		break;
	case LS_POLICY_RANDOM:
	case LS_POLICY_REPLAY:
		/* A step that cannot be taken (an actor still between probes) is
		 * simply tried again on the next poll. */
		while (r->status == LS_RUN_RUNNING && ls_now_ns() < until)
			if (ls_run_step(r, -1) < 0)
				break;
		break;
	}
	return r->status;
}

enum ls_run_status
ls_run_finish(struct ls_run *r)
{
	enum ls_run_status st;

	while ((st = ls_run_poll(r, 100)) == LS_RUN_RUNNING) {
		if (ls_cleanup_signalled()) {
			ls_run_abort(r);
			return r->status;
		}
	}
	return st;
}

void
ls_run_set_policy(struct ls_run *r, enum ls_policy p)
{
	if (p == r->policy)
		return;
	if (p == LS_POLICY_FREE) {
		/* seq_cst kept: rare.  Read relaxed by the probes; the grants
		 * below release the parked ones, which then see it. */
		atomic_store(&r->w->ctl.gated, 0);
		ls_ctl_publish(&r->w->ctl);
		for (int i = 0; i < r->nactors; i++) {
			if (ls_gate_state(&r->w->actors[i].gate) == LS_GATE_PARKED)
				run_grant(r, i);
			r->asked_ns[i] = 0;
		}
	} else if (r->policy == LS_POLICY_FREE) {
		/* seq_cst kept: rare.  Read relaxed by the probes, which park at a
		 * later probe if they miss it; the settle waits for them. */
		atomic_store(&r->w->ctl.gated, 1);
		ls_ctl_publish(&r->w->ctl);
		/* Each running actor must now reach a probe and park. */
		for (int i = 0; i < r->nactors; i++)
			r->asked_ns[i] = ls_now_ns();
		/* Sleepers wait on the abort word: wake them so they see the gate. */
		ls_futex_wake(&r->w->ctl.abort, INT_MAX);
	}
	r->policy = p;
	r->ctl.policy = p;
	r->last_event_ns = ls_now_ns();
}

void
ls_run_set_slowmo(struct ls_run *r, unsigned pct)
{
	if (pct < 1)
		pct = 1;
	r->opts.slowmo_pct = pct;
	/* seq_cst kept: rare; read relaxed by ls_probe_sleep() (no data). */
	atomic_store(&r->w->ctl.slowmo_pct, pct);
}

/* ---- queries ------------------------------------------------------------ */

enum ls_run_status ls_run_status(const struct ls_run *r) { return r->status; }
const struct ls_model *ls_run_model(const struct ls_run *r) { return r->m; }
const struct ls_scenario *ls_run_scenario(const struct ls_run *r) { return r->s; }
const long *ls_run_params(const struct ls_run *r) { return r->params; }
enum ls_policy ls_run_policy(const struct ls_run *r) { return r->policy; }
enum ls_actor_kind ls_run_kind(const struct ls_run *r) { return r->opts.kind; }
uint64_t ls_run_seed(const struct ls_run *r) { return r->opts.seed; }
unsigned ls_run_slowmo(const struct ls_run *r) { return r->opts.slowmo_pct; }
const struct ls_schedule *ls_run_schedule(const struct ls_run *r) { return &r->ctl.taken; }
const char *const *ls_run_actor_names(const struct ls_run *r) { return r->cnames; }
int ls_run_actor_count(const struct ls_run *r) { return r->nactors; }
const char *ls_run_reason(const struct ls_run *r) { return r->reason; }

size_t
ls_run_races(const struct ls_run *r, const struct ls_race **out)
{
	return ls_race_list(r->race, out);
}

int
ls_run_watch(struct ls_run *r, ls_model_watcher fn, void *ctx)
{
	return ls_model_watch(r->m, fn, ctx);
}

void
ls_run_keep_events(struct ls_run *r)
{
	r->keep_events = 1;
	ls_model_keep_spans(r->m);
}

size_t
ls_run_events(const struct ls_run *r, const struct ls_event **out)
{
	*out = r->events;
	return r->nevents;
}

int
ls_run_actor_os_id(const struct ls_run *r, int actor)
{
	if (actor < 0 || actor >= r->nactors)
		return 0;
	const struct ls_actor_slot *s = &r->w->actors[actor];
	/* Relaxed: a number to show, no data behind it. */
	return r->opts.kind == LS_ACTORS_PROCESSES
	       ? atomic_load_explicit(&((struct ls_actor_slot *)s)->pid, memory_order_relaxed)
	       : atomic_load_explicit(&((struct ls_actor_slot *)s)->tid, memory_order_relaxed);
}

double
ls_run_elapsed_ms(const struct ls_run *r)
{
	if (!r->t_start)
		return 0;
	uint64_t end = r->t_end ? r->t_end : ls_now_ns();
	return (double)(end - r->t_start) / 1e6;
}

/* "T3 (SIGKILL), T5 (SIGSEGV)": the crashed actors; how many. */
int
ls_run_crashed(const struct ls_run *r, char *buf, size_t len)
{
	size_t at = 0;
	int n = 0;

	buf[0] = '\0';
	for (int i = 0; i < r->m->nactors; i++) {
		const struct ls_model_actor *a = &r->m->actors[i];
		if (a->state != LS_AS_CRASHED)
			continue;
		if (at < len) {
			int k = snprintf(buf + at, len - at, "%s%s (%s)", n ? ", " : "", a->name,
			                 a->crash_signal ? ls_cleanup_signal_name(a->crash_signal)
			                                 : "exited early");
			at += k > 0 ? (size_t)k : 0;
		}
		n++;
	}
	return n;
}

/* An actor killed from outside: the run shows the crash, not the lesson. */
static void
run_verdict_crashed(const struct ls_run *r, struct ls_verdict *v)
{
	char who[200];
	int n = ls_run_crashed(r, who, sizeof who);

	v->ok = 0;
	snprintf(v->summary, sizeof v->summary,
	         n == 1 ? _("%s crashed before it finished: this outcome is the crash's, not the "
	                    "lesson's") : _("%s crashed before they finished: this outcome is the "
	                                    "crashes', not the lesson's"), who);
}

void
ls_run_verdict(const struct ls_run *r, struct ls_verdict *v)
{
	memset(v, 0, sizeof *v);
	v->ok = -1;
	if (r->s->verdict)
		r->s->verdict(r->m, r->params, v);
	if (r->m->ncrashed > 0 && !v->crash_told)
		run_verdict_crashed(r, v);
}

int
ls_run_save_schedule(const struct ls_run *r, const char *path, char *err, size_t len)
{
	char header[512];
	int at = snprintf(header, sizeof header, "lockstep schedule for %s", r->s->name);

	for (int i = 0; i < r->s->nparams && at > 0 && (size_t)at < sizeof header; i++)
		at += snprintf(header + at, sizeof header - (size_t)at, " %s=%ld",
		               r->s->params[i].name, r->params[i]);
	return ls_schedule_save(&r->ctl.taken, path, r->cnames, header, err, len);
}
