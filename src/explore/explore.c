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
 *
 * With state caching each frame is also a node of the state DAG: it sums,
 * per outcome, the schedules below each of its choices (times the class of
 * interchangeable actors the choice stands for).  When the frame is done
 * its sums are stored under its state's key and added to its parent's; an
 * execution that reaches a stored state adds the stored sums and stops
 * there.  No cycle can form: an actor's step count is in the key, so every
 * step leads to a state not yet on the path.
 */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/actor.h"
#include "engine/cleanup.h"
#include "engine/clock.h"
#include "explore/explore.h"
#include "explore/state.h"
#include "explore/traces.h"
#include "model/kind.h"
#include "model/op.h"

#define EXPLORE_RING_CAP 256   /* a step at a time: the rings never fill */

/* How one execution ended. */
enum ex_end {
	EX_RAN,          /* to its end: an outcome */
	EX_ASLEEP,       /* every enabled actor was in the sleep set */
	EX_DIVERGED,     /* the replayed prefix did not repeat */
	EX_CRASHED,      /* an actor died (killed from outside, or a fault) */
	EX_TOO_LONG,     /* max_steps reached */
	EX_MERGED,       /* reached a state explored before: its sums stand for it */
	EX_INTERRUPTED,  /* a signal asked the program to stop */
};
#define EXPLORE_TRACE_STATES 2000000L   /* give up counting one run's trace beyond */

/* Schedules per outcome below a state; outcome -1: abandoned at max_steps. */
struct ex_sum {
	int outcome;
	uint64_t n;
};

struct ex_sums {
	struct ex_sum *v;
	size_t n, cap;
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
	int mult;            /* interchangeable actors the choice stands for */
	int *cls;            /* reduce: each enabled actor's class (its smallest
	                      * interchangeable enabled actor) */
	struct ls_state_key key;
	struct ex_sums sums; /* reduce: schedules below, so far */
};

static uint64_t
ex_sat_add(uint64_t a, uint64_t b, int *sat)
{
	if (a > UINT64_MAX - b) {
		*sat = 1;
		return UINT64_MAX;
	}
	return a + b;
}

static uint64_t
ex_sat_mul(uint64_t a, uint64_t b, int *sat)
{
	if (a && b > UINT64_MAX / a) {
		*sat = 1;
		return UINT64_MAX;
	}
	return a * b;
}

static int
ex_sums_add(struct ex_sums *s, int outcome, uint64_t n, int *sat)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].outcome == outcome) {
			s->v[i].n = ex_sat_add(s->v[i].n, n, sat);
			return 0;
		}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4;
		struct ex_sum *p = realloc(s->v, cap * sizeof *p);
		if (!p)
			return -1;
		s->v = p;
		s->cap = cap;
	}
	s->v[s->n].outcome = outcome;
	s->v[s->n].n = n;
	s->n++;
	return 0;
}

/* to += mult * from */
static int
ex_sums_addv(struct ex_sums *to, const struct ex_sum *from, size_t n, uint64_t mult,
             int *sat)
{
	for (size_t i = 0; i < n; i++)
		if (ex_sums_add(to, from[i].outcome, ex_sat_mul(from[i].n, mult, sat), sat) != 0)
			return -1;
	return 0;
}

void
ls_explore_opts_default(struct ls_explore_opts *o, const struct ls_scenario *s)
{
	memset(o, 0, sizeof *o);
	o->kind = s ? s->kind : LS_ACTORS_THREADS;
	o->bound = -1;
	o->max_runs = 10000;
	o->max_steps = 2000;
	o->prune = 1;
	o->reduce = 1;
	o->symmetry = 1;
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
		if (f->cls && f->cls[i] != a)
			continue;   /* another of its class moves for it */
		f->done[f->ndone++] = a;
		f->choice = a;
		f->mult = 1;
		for (int j = 0; f->cls && j < f->n; j++)
			f->mult += j != i && f->cls[j] == a;
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
	free(f->cls);
	free(f->sums.v);
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

/* Count the run's end under its outcome; returns the outcome's index, or -1. */
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
			return (int)k;
		}
	}
	struct ls_outcome *p = realloc(res->outcomes, (res->noutcomes + 1) * sizeof *p);
	if (!p)
		return -1;
	res->outcomes = p;
	o.count = 1;
	ls_schedule_init(&o.witness);
	const struct ls_schedule *taken = ls_run_schedule(r);
	if (ls_schedule_copy(&o.witness, taken, taken->len) != 0)
		return -1;
	res->outcomes[res->noutcomes++] = o;
	return (int)res->noutcomes - 1;
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
		if (!(ls_kind_flags(m->objs[i].kind) & LS_KINDF_VAR))
			continue;
		res->var_ids[res->nvars] = i;
		snprintf(res->var_names[res->nvars], sizeof res->var_names[0], "%s", m->objs[i].name);
		res->nvars++;
	}
	return 0;
}

/*
 * Schedules a sleep-set run stands for: the orders of its steps that keep
 * each dependent pair as it ran (its trace's linearisations).  *exact is
 * cleared, and 1 returned, when the trace is too large to count.
 */
static uint64_t
ex_trace_schedules(const struct ex_frame *fr, size_t nfr, int nactors, int fold,
                   int *exact, int *sat)
{
	int k = nactors;
	int *actor = malloc((nfr + 1) * sizeof *actor);
	int *idx = malloc((nfr + 1) * sizeof *idx);
	int *cnt = calloc((size_t)k, sizeof *cnt);
	int *need = calloc((nfr + 1) * (size_t)k, sizeof *need);
	uint64_t n = 1;

	if (!actor || !idx || !cnt || !need) {
		*exact = 0;
		goto out;
	}
	for (size_t j = 0; j < nfr; j++) {
		int a = fr[j].choice;
		const struct ex_op *oj = ex_op_of(&fr[j], a);
		actor[j] = a;
		idx[j] = cnt[a]++;
		for (size_t i = 0; i < j; i++) {
			int b = actor[i];
			if (b == a || !oj || ex_independent(ex_op_of(&fr[i], b), oj, fold))
				continue;
			int *at = &need[j * (size_t)k + (size_t)b];
			if (*at < idx[i] + 1)
				*at = idx[i] + 1;
		}
	}
	if (ls_trace_count((int)nfr, k, actor, need, EXPLORE_TRACE_STATES, &n, sat) != 0) {
		*exact = 0;
		n = 1;
	}
out:
	free(actor);
	free(idx);
	free(cnt);
	free(need);
	return n;
}

/* Frame f is done: store its state's sums and pass them up, times the
 * actors its parent's choice stands for. */
static int
ex_settle(struct ex_frame *fr, size_t nfr, struct ls_state_store *memo, struct ex_sums *total,
          int *sat)
{
	struct ex_frame *f = &fr[nfr - 1];

	if (ls_state_store_put(memo, &f->key, f->sums.v, f->sums.n) != 0)
		return -1;
	if (nfr == 1)
		return ex_sums_addv(total, f->sums.v, f->sums.n, 1, sat);
	return ex_sums_addv(&fr[nfr - 2].sums, f->sums.v, f->sums.n, (uint64_t)fr[nfr - 2].mult, sat);
}

/* One search: what it was asked, and what it holds between runs. */
struct ex_search {
	const struct ls_scenario *s;
	const long *params;
	const struct ls_explore_opts *o;
	struct ls_explore_result *res;
	struct ls_run_opts ro;
	struct ex_frame *fr;        /* the schedule's choices so far, one frame a step */
	size_t nfr, capfr;
	int *en;                    /* the actors enabled now */
	int fold;
	int reduce;
	int sleep;
	struct ls_state_keyer *keyer;
	uint32_t *moves;            /* reduce: steps per actor in this run */
	struct ls_state_store memo;   /* reduce: states explored to the end */
	struct ex_sums total;
	int sat;
	char *err;
	size_t len;
};
#define EX_OOM (-1)             /* out of memory, from the steps below */

/*
 * Each run allocates and frees the same few hundred kilobytes (the
 * model's history).  Threads: keep them in the heap instead of giving the
 * pages back and faulting them in again, thousands of times.  Processes:
 * after a fork every heap page written faults (copy on write), so a fresh
 * mapping, touched only where used, is cheaper.
 */
static void
ex_search_init(struct ex_search *x)
{
	const struct ls_explore_opts *o = x->o;

	x->fold = x->s->fold != NULL;
	x->reduce = o->prune && o->reduce;
	/*
	 * Sleep sets are not complete under a preemption bound: a move asleep
	 * at a state may be the only way the bound allows to some schedule.
	 * Bounded searches without state caching run every schedule in bound.
	 */
	x->sleep = o->prune && !x->reduce && o->bound < 0;
	if (o->kind == LS_ACTORS_PROCESSES) {
		mallopt(M_MMAP_THRESHOLD, 128 << 10);
	} else {
		mallopt(M_MMAP_THRESHOLD, 4 << 20);
		mallopt(M_TRIM_THRESHOLD, 64 << 20);
	}
	ls_run_opts_default(&x->ro, x->s);
	x->ro.kind = o->kind;
	x->ro.policy = LS_POLICY_STEP;
	x->ro.ring_cap = o->ring_cap ? o->ring_cap : EXPLORE_RING_CAP;
	x->ro.keep_actors = 1;
}

/* What a run needs beside itself: the names, the enabled set, the keyer. */
static int
ex_search_prepare(struct ex_search *x, struct ls_run *r)
{
	struct ls_explore_result *res = x->res;

	if (!res->actor_names && ex_names(res, r) != 0)
		return -1;
	if (!x->en && !(x->en = malloc((size_t)res->nactors * sizeof *x->en)))
		return -1;
	if (!x->reduce)
		return 0;
	if (!x->keyer && !(x->keyer = ls_state_keyer_new(x->s, res->nactors, x->o->symmetry)))
		return -1;
	if (!x->moves && !(x->moves = malloc((size_t)res->nactors * sizeof *x->moves)))
		return -1;
	memset(x->moves, 0, (size_t)res->nactors * sizeof *x->moves);
	ls_state_keyer_reset(x->keyer);
	return ls_run_watch(r, ls_state_keyer_watch, x->keyer);
}

/* A new run, started; NULL with err said (oom: out of memory). */
static struct ls_run *
ex_search_run(struct ex_search *x, int *oom)
{
	struct ls_run *r = ls_run_new(x->s, x->params, &x->ro, x->err, x->len);

	*oom = 0;
	if (!r)
		return NULL;
	if (ex_search_prepare(x, r) != 0) {
		ls_run_free(r);
		*oom = 1;
		return NULL;
	}
	if (ls_run_start(r, x->err, x->len) != 0) {
		ls_run_free(r);
		return NULL;
	}
	return r;
}

/*
 * reduce: a state explored before stands for every schedule through it;
 * its sums pass up to the frame that reached it.  1 when merged.
 */
static int
ex_search_merge(struct ex_search *x, struct ls_run *r, struct ls_state_key *key)
{
	const struct ex_frame *p = x->nfr ? &x->fr[x->nfr - 1] : NULL;
	int pre = p ? p->preempt + ex_preempts(p, p->choice) : 0;
	const struct ls_race *races;
	const struct ex_sum *nd;
	size_t n = 0;

	ls_state_keyer_key(x->keyer, ls_run_model(r), x->o->bound >= 0, p ? p->choice : -1, pre,
	                   x->moves, key);
	nd = ls_state_store_find(&x->memo, key, &n);
	if (!nd || !p)
		return 0;
	if (ex_sums_addv(&x->fr[x->nfr - 1].sums, nd, n, (uint64_t)p->mult, &x->sat) != 0)
		return EX_OOM;
	/* The path here raced: so does every schedule through it. */
	for (size_t i = 0; i < n && ls_run_races(r, &races) > 0; i++)
		if (nd[i].outcome >= 0)
			x->res->outcomes[nd[i].outcome].raced = 1;
	return 1;
}

/* A new frame for the state the run stands in: its choices among en[0..n). */
static int
ex_search_push(struct ex_search *x, struct ls_run *r, int n, const struct ls_state_key *key)
{
	struct ex_frame *f;

	if (x->nfr == x->capfr) {
		size_t cap = x->capfr ? x->capfr * 2 : 64;
		struct ex_frame *p = realloc(x->fr, cap * sizeof *p);

		if (!p)
			return -1;
		x->fr = p;
		x->capfr = cap;
	}
	if (ex_frame_init(&x->fr[x->nfr], x->nfr ? &x->fr[x->nfr - 1] : NULL, x->en, n,
	                  ls_run_model(r), x->fold, x->sleep) != 0)
		return -1;
	f = &x->fr[x->nfr++];
	if (!x->reduce)
		return 0;
	f->key = *key;
	if (!(f->cls = malloc((size_t)n * sizeof *f->cls)))
		return -1;
	for (int i = 0; i < n; i++)
		f->cls[i] = ls_state_keyer_class(x->keyer, x->en, n, x->en[i]);
	return 0;
}

/*
 * Who moves at depth d: the schedule's choice replayed, or past its end a
 * new frame's first choice.  The actor, or -1 with *cut saying why the run
 * ends here (EX_OOM: out of memory).
 */
static int
ex_search_choose(struct ex_search *x, struct ls_run *r, size_t d, int n, int *cut)
{
	struct ls_state_key key = { { 0, 0 } };
	int actor, merged;

	if (d < x->nfr) {
		actor = x->fr[d].choice;
		if (ex_has(x->en, n, actor))
			return actor;
		*cut = EX_DIVERGED;
		return -1;
	}
	if (x->reduce && (merged = ex_search_merge(x, r, &key)) != 0) {
		*cut = merged < 0 ? EX_OOM : EX_MERGED;
		return -1;
	}
	if (ex_search_push(x, r, n, &key) != 0) {
		*cut = EX_OOM;
		return -1;
	}
	actor = ex_next(&x->fr[d], x->o->bound);
	if (actor < 0)
		*cut = EX_ASLEEP;
	return actor;
}

/* One run, step by step, to its end or to where it is cut; *d its depth. */
static int
ex_search_walk(struct ex_search *x, struct ls_run *r, size_t *d, int *stop)
{
	const struct ls_explore_opts *o = x->o;
	int cut = EX_RAN, n, actor;

	for (;;) {
		if (ls_cleanup_signalled())
			return EX_INTERRUPTED;
		if (o->max_steps > 0 && (long)*d >= o->max_steps)
			return EX_TOO_LONG;
		n = ls_run_enabled(r, x->en, x->res->nactors);
		if (ls_run_status(r) != LS_RUN_RUNNING)
			return EX_RAN;
		if (n == 0)
			return EX_DIVERGED;   /* neither ended nor able to move: settling failed */
		if ((actor = ex_search_choose(x, r, *d, n, &cut)) < 0)
			return cut;
		if (ls_run_step(r, actor) != actor)
			return EX_DIVERGED;
		if (x->moves)
			x->moves[actor]++;
		(*d)++;
		if (o->each_step && o->each_step(o->each_step_arg, r)) {
			*stop = 1;
			return EX_RAN;
		}
	}
}

/*
 * Say what really happened: a signal stops the search (the run it cut
 * short is no outcome), and a replay that went astray because an actor
 * died is a crash, not the scenario's nondeterminism.
 */
static int
ex_search_verdict(const struct ls_run *r, int cut, int stop)
{
	enum ls_run_status st = ls_run_status(r);

	if (ls_cleanup_signalled())
		cut = EX_INTERRUPTED;
	else if (cut == EX_DIVERGED && ls_run_model(r)->ncrashed > 0)
		cut = EX_CRASHED;
	/* Stopped on purpose mid-run: no outcome, and not a divergence. */
	if (stop && cut == EX_RAN && st == LS_RUN_RUNNING)
		cut = EX_INTERRUPTED;
	if (cut == EX_RAN && st != LS_RUN_FINISHED && st != LS_RUN_DEADLOCK)
		cut = ls_run_model(r)->ncrashed > 0 ? EX_CRASHED : EX_DIVERGED;
	return cut;
}

/* A run to its end: its outcome, and the schedules it stands for. */
static int
ex_search_outcome(struct ex_search *x, const struct ls_run *r)
{
	struct ls_explore_result *res = x->res;
	struct ex_frame *top = x->nfr ? &x->fr[x->nfr - 1] : NULL;
	int k;
	uint64_t n;

	res->runs++;
	if ((k = ex_record(res, r)) < 0)
		return -1;
	if (x->reduce)
		return ex_sums_add(top ? &top->sums : &x->total, k, top ? (uint64_t)top->mult : 1,
		                   &x->sat);
	n = x->sleep ? ex_trace_schedules(x->fr, x->nfr, res->nactors, x->fold,
	                                  &res->schedules_exact, &x->sat) : 1;
	res->outcomes[k].schedules = ex_sat_add(res->outcomes[k].schedules, n, &x->sat);
	return 0;
}

/* Count the run by how it ended. */
static int
ex_search_tally(struct ex_search *x, const struct ls_run *r, int cut)
{
	struct ls_explore_result *res = x->res;

	switch (cut) {
	case EX_RAN:
		return ex_search_outcome(x, r);
	case EX_ASLEEP:
		res->blocked++;
		break;
	case EX_TOO_LONG:
		res->too_long++;
		if (x->reduce && x->nfr &&
		    ex_sums_add(&x->fr[x->nfr - 1].sums, -1, (uint64_t)x->fr[x->nfr - 1].mult,
		                &x->sat) != 0)
			return -1;
		break;
	case EX_MERGED:
		res->merged++;
		break;
	case EX_CRASHED:
		res->crashed++;
		break;
	case EX_DIVERGED:
		res->diverged++;
		break;
	}
	return 0;
}

/* The next schedule: frames with no choice left are settled and dropped.
 * 1 when none is left (the search is complete), -1 out of memory. */
static int
ex_search_backtrack(struct ex_search *x, int cut, size_t d)
{
	if ((cut == EX_DIVERGED || cut == EX_CRASHED) && x->nfr > d + 1) {
		/* What lay below a divergence cannot be trusted: try again from it. */
		while (x->nfr > d + 1)
			ex_frame_free(&x->fr[--x->nfr]);
	}
	while (x->nfr > 0 && ex_next(&x->fr[x->nfr - 1], x->o->bound) < 0) {
		x->res->pruned += ex_cut(&x->fr[x->nfr - 1]);
		if (x->reduce && ex_settle(x->fr, x->nfr, &x->memo, &x->total, &x->sat) != 0)
			return -1;
		ex_frame_free(&x->fr[--x->nfr]);
	}
	return x->nfr == 0;
}

/* One execution of the search: 1 to go on, 0 when it ends, -1 with err. */
static int
ex_search_once(struct ex_search *x)
{
	const struct ls_explore_opts *o = x->o;
	struct ls_run *r;
	size_t d = 0;
	int oom, stop = 0, cut, done;

	if (o->max_runs > 0 && ls_explore_executions(x->res) >= o->max_runs)
		return 0;
	if (ls_cleanup_signalled() || (o->progress && o->progress(o->progress_arg, x->res))) {
		x->res->interrupted = 1;
		return 0;
	}
	if (!(r = ex_search_run(x, &oom)))
		goto fail;
	cut = ex_search_walk(x, r, &d, &stop);
	if (cut != EX_OOM)
		cut = ex_search_verdict(r, cut, stop);
	oom = cut == EX_OOM || ex_search_tally(x, r, cut) != 0;
	ls_run_free(r);
	if (oom)
		goto fail;
	if (cut == EX_INTERRUPTED || stop) {
		x->res->interrupted = 1;
		return 0;
	}
	if ((done = ex_search_backtrack(x, cut, d)) < 0) {
		oom = 1;
		goto fail;
	}
	x->res->complete = done;
	return !done;
fail:
	if (oom)
		snprintf(x->err, x->len, "out of memory");
	return -1;
}

/* reduce: what the open frames summed so far (stopped early), passed up,
 * and each outcome's schedules from the sums. */
static int
ex_search_sum_up(struct ex_search *x)
{
	struct ex_frame *fr = x->fr;
	struct ls_explore_result *res = x->res;

	for (size_t k = x->nfr; k > 1; k--)
		if (ex_sums_addv(&fr[k - 2].sums, fr[k - 1].sums.v, fr[k - 1].sums.n,
		                 (uint64_t)fr[k - 2].mult, &x->sat) != 0)
			return -1;
	if (x->nfr && ex_sums_addv(&x->total, fr[0].sums.v, fr[0].sums.n, 1, &x->sat) != 0)
		return -1;
	for (size_t i = 0; i < x->total.n; i++) {
		if (x->total.v[i].outcome >= 0)
			res->outcomes[x->total.v[i].outcome].schedules = x->total.v[i].n;
		else
			res->schedules_too_long = x->total.v[i].n;
	}
	res->states = (long)x->memo.n;
	return 0;
}

/* The search over (done, or stopped): the totals. */
static int
ex_search_finish(struct ex_search *x)
{
	struct ls_explore_result *res = x->res;

	if (x->reduce && ex_search_sum_up(x) != 0) {
		snprintf(x->err, x->len, "out of memory");
		return -1;
	}
	for (size_t k = 0; k < res->noutcomes; k++)
		res->schedules = ex_sat_add(res->schedules, res->outcomes[k].schedules, &x->sat);
	if (res->diverged)
		res->schedules_exact = 0;
	res->schedules_saturated = x->sat;
	return 0;
}

static void
ex_search_free(struct ex_search *x)
{
	ls_actor_pool_drain();   /* nothing left running once the search ends */
	while (x->nfr > 0)
		ex_frame_free(&x->fr[--x->nfr]);
	free(x->fr);
	free(x->en);
	free(x->total.v);
	ls_state_store_free(&x->memo);
	ls_state_keyer_free(x->keyer);
	free(x->moves);
}

int
ls_explore(const struct ls_scenario *s, const long *params, const struct ls_explore_opts *o,
           struct ls_explore_result *res, char *err, size_t len)
{
	struct ex_search x;
	uint64_t t0 = ls_now_ns();
	int rc;

	memset(res, 0, sizeof *res);
	memset(&x, 0, sizeof x);
	x.s = s;
	x.params = params;
	x.o = o;
	x.res = res;
	x.err = err;
	x.len = len;
	ls_state_store_init(&x.memo, sizeof(struct ex_sum));
	res->schedules_exact = 1;
	ex_search_init(&x);
	while ((rc = ex_search_once(&x)) > 0)
		;
	if (rc == 0)
		rc = ex_search_finish(&x);
	ex_search_free(&x);
	res->elapsed_ms = (double)(ls_now_ns() - t0) / 1e6;
	if (rc != 0)
		ls_explore_result_free(res);
	return rc;
}

long
ls_explore_executions(const struct ls_explore_result *res)
{
	return res->runs + res->blocked + res->diverged + res->crashed + res->too_long +
	       res->merged;
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
