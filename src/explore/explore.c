/*
 * explore.c - see explore.h.
 *
 * The search keeps one frame per depth of the schedule being run: the
 * actors enabled there, their pending operations, the sleep set on entry,
 * the choices already taken there, and the current one.  An execution
 * replays the current choices of the existing frames, then pushes new
 * frames taking the first allowed choice until the run ends.  Backtracking
 * advances the deepest frame that has an untried, awake choice (within the
 * preemption bound) and drops the frames below it.  Re-running from the
 * start (stateless search) is what makes this work on real threads and
 * processes: nothing needs to be snapshotted, only replayed.
 */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cleanup.h"
#include "engine/clock.h"
#include "explore/explore.h"
#include "model/op.h"

#define EXPLORE_RING_CAP 256   /* a step at a time: the rings never fill */

/* How one execution ended. */
enum ex_end {
	EX_RAN,          /* to its end: an outcome */
	EX_ASLEEP,       /* every enabled actor was in the sleep set */
	EX_DIVERGED,     /* the replayed prefix did not repeat */
	EX_CRASHED,      /* an actor died (killed from outside, or a fault) */
	EX_TOO_LONG,     /* max_steps reached */
	EX_INTERRUPTED,  /* a signal asked the program to stop */
};

struct ex_op {
	int op;
	int obj;
	int obj2;    /* COND_WAIT: its mutex too */
};

struct ex_frame {
	int n;
	int *en;             /* enabled actors, ascending */
	struct ex_op *ops;   /* their pending operations */
	int *sleep;          /* asleep on entry (a subset of en) */
	int nsleep;
	int *done;           /* choices taken here so far */
	int ndone;
	int prev;            /* the actor of the step before, or -1 */
	int preempt;         /* preemptions before this step */
	int choice;
};

void
ls_explore_opts_default(struct ls_explore_opts *o, const struct ls_scenario *s)
{
	memset(o, 0, sizeof *o);
	o->kind = s ? s->kind : LS_ACTORS_THREADS;
	o->bound = -1;
	o->max_runs = 10000;
	o->max_steps = 2000;
	o->prune = 1;
}

static int
ex_has(const int *set, int n, int a)
{
	for (int i = 0; i < n; i++)
		if (set[i] == a)
			return 1;
	return 0;
}

/* Can these two steps of different actors be swapped without changing anything? */
static int
ex_independent(const struct ex_op *x, const struct ex_op *y, int fold)
{
	if (fold)
		return 0;
	unsigned fx = ls_op_info(x->op)->flags, fy = ls_op_info(y->op)->flags;

	if ((fx & LS_OPF_FREE) || (fy & LS_OPF_FREE))
		return 1;
	if ((fx & LS_OPF_ORDERED) && (fy & LS_OPF_ORDERED))
		return 0;   /* the order of said lines is part of the outcome */
	if (x->obj < 0 || y->obj < 0)
		return 1;
	int shared = x->obj == y->obj || x->obj == y->obj2 ||
	             (x->obj2 >= 0 && (x->obj2 == y->obj || x->obj2 == y->obj2));
	if (!shared)
		return 1;
	return ls_op_reads_only(x->op) && ls_op_reads_only(y->op);
}

static const struct ex_op *
ex_op_of(const struct ex_frame *f, int actor)
{
	for (int i = 0; i < f->n; i++)
		if (f->en[i] == actor)
			return &f->ops[i];
	return NULL;
}

static int
ex_preempts(const struct ex_frame *f, int actor)
{
	return f->prev >= 0 && actor != f->prev && ex_has(f->en, f->n, f->prev);
}

/* Take the next allowed choice at f, or -1 when there is none left. */
static int
ex_next(struct ex_frame *f, int bound)
{
	for (int i = 0; i < f->n; i++) {
		int a = f->en[i];
		if (ex_has(f->sleep, f->nsleep, a) || ex_has(f->done, f->ndone, a))
			continue;
		if (bound >= 0 && f->preempt + ex_preempts(f, a) > bound)
			continue;
		f->done[f->ndone++] = a;
		f->choice = a;
		return a;
	}
	return -1;
}

static void
ex_frame_free(struct ex_frame *f)
{
	free(f->en);
	free(f->ops);
	free(f->sleep);
	free(f->done);
	memset(f, 0, sizeof *f);
}

/* A new frame at the run's present state, below parent (or the root). */
static int
ex_frame_init(struct ex_frame *f, const struct ex_frame *parent, const int *en, int n,
              const struct ls_model *m, int fold, int prune)
{
	memset(f, 0, sizeof *f);
	f->n = n;
	f->en = malloc((size_t)n * sizeof *f->en);
	f->ops = malloc((size_t)n * sizeof *f->ops);
	f->sleep = malloc((size_t)n * sizeof *f->sleep);
	f->done = malloc((size_t)n * sizeof *f->done);
	if (!f->en || !f->ops || !f->sleep || !f->done) {
		ex_frame_free(f);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const struct ls_model_actor *a = &m->actors[en[i]];
		f->en[i] = en[i];
		f->ops[i].op = a->op;
		f->ops[i].obj = a->obj;
		f->ops[i].obj2 = (ls_op_info(a->op)->flags & LS_OPF_MUTEX_ARG) ? (int)a->arg : -1;
	}
	f->prev = parent ? parent->choice : -1;
	f->preempt = parent ? parent->preempt + ex_preempts(parent, parent->choice) : 0;
	f->choice = -1;
	if (!parent || !prune)
		return 0;
	/* Sleep here: what slept or was already explored at the parent and
	 * commutes with the step just taken (it is still pending, unchanged). */
	const struct ex_op *took = ex_op_of(parent, parent->choice);
	for (int pass = 0; pass < 2 && took; pass++) {
		const int *set = pass ? parent->done : parent->sleep;
		int cnt = pass ? parent->ndone : parent->nsleep;
		for (int i = 0; i < cnt; i++) {
			int u = set[i];
			const struct ex_op *uop = ex_op_of(parent, u);
			if (u == parent->choice || !uop || !ex_has(f->en, n, u) ||
			    ex_has(f->sleep, f->nsleep, u))
				continue;
			if (ex_independent(uop, took, fold))
				f->sleep[f->nsleep++] = u;
		}
	}
	return 0;
}

/* Asleep at f and never taken there: branches the sleep set cut. */
static long
ex_cut(const struct ex_frame *f)
{
	long c = 0;
	for (int i = 0; i < f->nsleep; i++)
		c += !ex_has(f->done, f->ndone, f->sleep[i]);
	return c;
}

static int
ex_record(struct ls_explore_result *res, const struct ls_run *r)
{
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;
	struct ls_outcome o;
	const struct ls_race *races;

	memset(&o, 0, sizeof o);
	for (int i = 0; i < res->nvars; i++)
		o.vars[i] = m->objs[res->var_ids[i]].value;
	ls_run_verdict(r, &v);
	o.ok = v.ok;
	o.deadlock = ls_run_status(r) == LS_RUN_DEADLOCK;
	o.raced = ls_run_races(r, &races) > 0;
	for (size_t k = 0; k < res->noutcomes; k++) {
		struct ls_outcome *x = &res->outcomes[k];
		if (x->ok == o.ok && x->deadlock == o.deadlock &&
		    memcmp(x->vars, o.vars, (size_t)res->nvars * sizeof o.vars[0]) == 0) {
			x->count++;
			x->raced |= o.raced;
			return 0;
		}
	}
	struct ls_outcome *p = realloc(res->outcomes, (res->noutcomes + 1) * sizeof *p);
	if (!p)
		return -1;
	res->outcomes = p;
	o.count = 1;
	const struct ls_schedule *taken = ls_run_schedule(r);
	if (ls_schedule_copy(&o.witness, taken, taken->len) != 0)
		return -1;
	res->outcomes[res->noutcomes++] = o;
	return 0;
}

static int
ex_names(struct ls_explore_result *res, const struct ls_run *r)
{
	const struct ls_model *m = ls_run_model(r);
	const char *const *names = ls_run_actor_names(r);

	res->nactors = ls_run_actor_count(r);
	res->actor_names = calloc((size_t)res->nactors, sizeof *res->actor_names);
	if (!res->actor_names)
		return -1;
	for (int i = 0; i < res->nactors; i++)
		snprintf(res->actor_names[i], sizeof res->actor_names[i], "%s", names[i]);
	for (int i = 0; i < m->nobjs; i++) {
		if (m->objs[i].kind != LS_OBJ_VAR)
			continue;
		res->var_ids[res->nvars] = i;
		snprintf(res->var_names[res->nvars], sizeof res->var_names[0], "%s", m->objs[i].name);
		res->nvars++;
	}
	return 0;
}

int
ls_explore(const struct ls_scenario *s, const long *params, const struct ls_explore_opts *o,
           struct ls_explore_result *res, char *err, size_t len)
{
	struct ls_run_opts ro;
	struct ex_frame *fr = NULL;
	size_t nfr = 0, capfr = 0;
	int *en = NULL;
	int fold = s->fold != NULL;
	int rc = -1;
	uint64_t t0 = ls_now_ns();

	memset(res, 0, sizeof *res);
	/* Each run allocates and frees the same few hundred kilobytes (the
	 * model's history).  Threads: keep them in the heap instead of giving
	 * the pages back and faulting them in again, thousands of times.
	 * Processes: after a fork every heap page written faults (copy on
	 * write), so a fresh mapping, touched only where used, is cheaper. */
	if (o->kind == LS_ACTORS_PROCESSES) {
		mallopt(M_MMAP_THRESHOLD, 128 << 10);
	} else {
		mallopt(M_MMAP_THRESHOLD, 4 << 20);
		mallopt(M_TRIM_THRESHOLD, 64 << 20);
	}
	ls_run_opts_default(&ro, s);
	ro.kind = o->kind;
	ro.policy = LS_POLICY_STEP;
	ro.ring_cap = o->ring_cap ? o->ring_cap : EXPLORE_RING_CAP;
	for (;;) {
		if (o->max_runs > 0 && ls_explore_executions(res) >= o->max_runs)
			break;
		if (ls_cleanup_signalled() || (o->progress && o->progress(o->progress_arg, res))) {
			res->interrupted = 1;
			break;
		}
		struct ls_run *r = ls_run_new(s, params, &ro, err, len);
		if (!r)
			goto out;
		if (!res->actor_names && ex_names(res, r) != 0) {
			ls_run_free(r);
			snprintf(err, len, "out of memory");
			goto out;
		}
		if (!en && !(en = malloc((size_t)res->nactors * sizeof *en))) {
			ls_run_free(r);
			snprintf(err, len, "out of memory");
			goto out;
		}
		if (ls_run_start(r, err, len) != 0) {
			ls_run_free(r);
			goto out;
		}
		size_t d = 0;
		enum ex_end cut = EX_RAN;
		int stop = 0;   /* each_step asked to stop the search */
		for (;;) {
			if (ls_cleanup_signalled()) {
				cut = EX_INTERRUPTED;
				break;
			}
			if (o->max_steps > 0 && (long)d >= o->max_steps) {
				cut = EX_TOO_LONG;
				break;
			}
			int n = ls_run_enabled(r, en, res->nactors);
			if (ls_run_status(r) != LS_RUN_RUNNING)
				break;
			if (n == 0) {
				cut = EX_DIVERGED;   /* neither ended nor able to move: settling failed */
				break;
			}
			int actor;
			if (d < nfr) {
				actor = fr[d].choice;
				if (!ex_has(en, n, actor)) {
					cut = EX_DIVERGED;
					break;
				}
			} else {
				if (nfr == capfr) {
					size_t cap = capfr ? capfr * 2 : 64;
					struct ex_frame *p = realloc(fr, cap * sizeof *p);
					if (!p) {
						ls_run_free(r);
						snprintf(err, len, "out of memory");
						goto out;
					}
					fr = p;
					capfr = cap;
				}
				if (ex_frame_init(&fr[nfr], nfr ? &fr[nfr - 1] : NULL, en, n,
				                  ls_run_model(r), fold, o->prune) != 0) {
					ls_run_free(r);
					snprintf(err, len, "out of memory");
					goto out;
				}
				nfr++;
				actor = ex_next(&fr[d], o->bound);
				if (actor < 0) {
					cut = EX_ASLEEP;
					break;
				}
			}
			if (ls_run_step(r, actor) != actor) {
				cut = EX_DIVERGED;
				break;
			}
			d++;
			if (o->each_step && o->each_step(o->each_step_arg, r)) {
				stop = 1;
				break;
			}
		}
		enum ls_run_status st = ls_run_status(r);
		/* Say what really happened: a signal stops the search (the run it
		 * cut short is no outcome), and a replay that went astray because
		 * an actor died is a crash, not the scenario's nondeterminism. */
		if (ls_cleanup_signalled())
			cut = EX_INTERRUPTED;
		else if (cut == EX_DIVERGED && ls_run_model(r)->ncrashed > 0)
			cut = EX_CRASHED;
		/* Stopped on purpose mid-run: no outcome, and not a divergence. */
		if (stop && cut == EX_RAN && st == LS_RUN_RUNNING)
			cut = EX_INTERRUPTED;
		if (cut == EX_RAN && st != LS_RUN_FINISHED && st != LS_RUN_DEADLOCK)
			cut = ls_run_model(r)->ncrashed > 0 ? EX_CRASHED : EX_DIVERGED;
		switch (cut) {
		case EX_RAN:
			res->runs++;
			if (ex_record(res, r) != 0) {
				ls_run_free(r);
				snprintf(err, len, "out of memory");
				goto out;
			}
			break;
		case EX_ASLEEP:
			res->blocked++;
			break;
		case EX_TOO_LONG:
			res->too_long++;
			break;
		case EX_CRASHED:
			res->crashed++;
			break;
		case EX_DIVERGED:
			res->diverged++;
			break;
		case EX_INTERRUPTED:
			break;
		}
		ls_run_free(r);
		if (cut == EX_INTERRUPTED || stop) {
			res->interrupted = 1;
			break;
		}
		if ((cut == EX_DIVERGED || cut == EX_CRASHED) && nfr > d + 1) {
			/* What lay below a divergence cannot be trusted: try again from it. */
			while (nfr > d + 1)
				ex_frame_free(&fr[--nfr]);
		}
		while (nfr > 0 && ex_next(&fr[nfr - 1], o->bound) < 0) {
			res->pruned += ex_cut(&fr[nfr - 1]);
			ex_frame_free(&fr[--nfr]);
		}
		if (nfr == 0) {
			res->complete = 1;
			break;
		}
	}
	rc = 0;
out:
	while (nfr > 0)
		ex_frame_free(&fr[--nfr]);
	free(fr);
	free(en);
	res->elapsed_ms = (double)(ls_now_ns() - t0) / 1e6;
	if (rc != 0)
		ls_explore_result_free(res);
	return rc;
}

long
ls_explore_executions(const struct ls_explore_result *res)
{
	return res->runs + res->blocked + res->diverged + res->crashed + res->too_long;
}

void
ls_explore_result_free(struct ls_explore_result *res)
{
	for (size_t i = 0; i < res->noutcomes; i++)
		ls_schedule_clear(&res->outcomes[i].witness);
	free(res->outcomes);
	free(res->actor_names);
	res->outcomes = NULL;
	res->actor_names = NULL;
	res->noutcomes = 0;
}

void
ls_explore_format_schedule(const struct ls_explore_result *res, const struct ls_schedule *s,
                           char *buf, size_t len)
{
	size_t at = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < s->len && at < len; i++) {
		int a = s->steps[i];
		const char *name = a >= 0 && a < res->nactors ? res->actor_names[a] : "?";
		int n = snprintf(buf + at, len - at, "%s%s", i ? " " : "", name);
		if (n < 0)
			break;
		at += (size_t)n;
	}
}
