/*
 * check_smoke.c - every registered scenario, run the moment it is
 * registered.  Nothing here names a scenario: the cases come from walking
 * ls_scenarios[] and reading each descriptor.
 *
 * For each scenario, each actor kind (the CLI's --actors accepts threads and
 * processes for every scenario, so both run) and each value of its toggle
 * (the variant 'l' cycles: unlocked and locked, Lock and RLock...), with
 * small parameters picked from the descriptor (every role's count at 2, or
 * its bounds; every *_ms and delay parameter at its minimum; the rest at
 * their defaults):
 *
 *   stepped  a seeded random schedule of at most SMOKE_STEPS steps.  After
 *            every step the model's invariants hold (one owner per lock,
 *            holding it at the lock's depth, semaphore counts sane, counts
 *            of finished actors and of holds agree with the states, waiters
 *            unfinished, nothing dropped).  The run finishes, is cut at the bound, or
 *            deadlocks where the model reports it and the verdict is
 *            decided about it (rlock's lock=lock: the lesson is the
 *            deadlock).  The same seed again gives the same schedule and
 *            the same final variables.
 *   free     the OS schedules, with a generous wall-clock bound: it finishes
 *            (or deadlocks, as above) with nothing dropped and a decided
 *            verdict.
 *
 * After either, no child process and nothing in the run's temporary
 * directory is left.  Last, every walkthrough's params line parses.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "engine/params.h"
#include "engine/run.h"
#include "helpers.h"
#include "lockstep/model.h"
#include "lockstep/scenario.h"
#include "suites.h"

#define SMOKE_STEPS      400     /* a stepped run is cut here */
#define SMOKE_ACTORS     64      /* more than small parameters ever make */
#define SMOKE_VARIANTS   4       /* a toggle with more values keeps its default */
#define SMOKE_CASES      512
/* Wall-clock bounds: these machines are loaded, and a bound only catches a hang. */
#define SMOKE_FREE_S     60      /* a free run must end within this */
#define SMOKE_STALL_S    60      /* a stepped run may wait this long for a step */
#define SMOKE_SEED       20240601u

/* One case: a scenario, an actor kind and a value of its toggle (or -1). */
struct smoke_case {
	int scenario;
	enum ls_actor_kind kind;
	long variant;
};

static struct smoke_case smoke_cases[SMOKE_CASES];
static int smoke_ncases;
static int smoke_overflow;

/* What a failure message starts with: "deposit threads depositors=2 ...". */
struct smoke_ctx {
	const struct ls_scenario *s;
	const struct smoke_case *c;
	long p[32];
	char label[512];
	char why[1024];          /* the first failure, or "" */
};

static int
smoke_fail(struct smoke_ctx *x, const char *fmt, ...)
{
	va_list ap;

	if (x->why[0])
		return -1;
	va_start(ap, fmt);
	vsnprintf(x->why, sizeof x->why, fmt, ap);
	va_end(ap);
	return -1;
}

static int
smoke_ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && strcmp(s + n - t, tail) == 0;
}

/* A parameter that only stretches time: its minimum keeps the run short. */
static int
smoke_is_delay(const struct ls_param_desc *d)
{
	return !d->choices && (smoke_ends_with(d->name, "_ms") || strstr(d->name, "delay"));
}

static int
smoke_is_count(const struct ls_scenario *s, int param)
{
	for (int r = 0; r < s->nroles; r++)
		if (s->roles[r].count_param == param)
			return 1;
	return 0;
}

static long
smoke_clamp(long v, const struct ls_param_desc *d)
{
	return v < d->min ? d->min : v > d->max ? d->max : v;
}

/* The toggle's values, when it is a variant worth running each of. */
static int
smoke_has_variants(const struct ls_scenario *s)
{
	int t = s->toggle_param;

	if (t < 0 || t >= s->nparams || smoke_is_count(s, t) || smoke_is_delay(&s->params[t]))
		return 0;
	return s->params[t].max - s->params[t].min + 1 <= SMOKE_VARIANTS;
}

static void
smoke_setup(struct smoke_ctx *x, int i)
{
	char vals[400];

	ck_assert_int_lt(i, smoke_ncases);
	memset(x, 0, sizeof *x);
	x->c = &smoke_cases[i];
	x->s = ls_scenarios[x->c->scenario];
	ck_assert_int_le(x->s->nparams, (int)(sizeof x->p / sizeof x->p[0]));
	ls_params_default(x->s, x->p);
	for (int k = 0; k < x->s->nparams; k++) {
		const struct ls_param_desc *d = &x->s->params[k];
		if (smoke_is_count(x->s, k))
			x->p[k] = smoke_clamp(2, d);
		else if (smoke_is_delay(d))
			x->p[k] = d->min;
	}
	if (x->c->variant >= 0)
		x->p[x->s->toggle_param] = x->c->variant;
	ls_params_format(x->s, x->p, vals, sizeof vals);
	snprintf(x->label, sizeof x->label, "%s %s %s", x->s->name,
	         x->c->kind == LS_ACTORS_PROCESSES ? "processes" : "threads", vals);
}

static uint64_t
smoke_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

/* ---- what must hold of any model, at any moment ------------------------- */

static int
smoke_finished(const struct ls_model_actor *a)
{
	return a->state == LS_AS_DONE || a->state == LS_AS_CRASHED;
}

/* Each actor's holds match its count; done and crashed match the model's. */
static int
smoke_actors_ok(struct smoke_ctx *x, const struct ls_model *m, const char *when)
{
	int ndone = 0, ncrashed = 0;

	for (int i = 0; i < m->nactors; i++) {
		ndone += m->actors[i].state == LS_AS_DONE;
		ncrashed += m->actors[i].state == LS_AS_CRASHED;
	}
	for (int i = 0; i < m->nactors; i++) {
		int held = 0;
		for (int o = 0; o < m->nobjs; o++)
			held += ls_model_hold_depth(m, i, o) > 0;
		if (held != m->actors[i].nholds)
			return smoke_fail(x, "%s: %s: %s holds %d objects and counts %d", x->label, when,
			                  m->actors[i].name, held, m->actors[i].nholds);
	}
	/* Finished is a state of its own: an actor counted done is not also
	 * shown waiting, and the other way round. */
	if (ndone != m->ndone || ncrashed != m->ncrashed)
		return smoke_fail(x, "%s: %s: the model counts %d done and %d crashed, its actors' "
		                  "states say %d and %d", x->label, when, m->ndone, m->ncrashed,
		                  ndone, ncrashed);
	return 0;
}

/* A lock or a locked file: one owner at most, who holds it, at depth 1 unless an RLock. */
static int
smoke_owned_ok(struct smoke_ctx *x, const struct ls_model *m, const char *when, int o,
               const int *who, int live)
{
	const struct ls_model_obj *ob = &m->objs[o];

	if (ob->owner < -1 || ob->owner >= m->nactors)
		return smoke_fail(x, "%s: %s: %s '%s' has owner %d of %d actors", x->label,
		                  when, ls_obj_kind_name(ob->kind), ob->name, ob->owner,
		                  m->nactors);
	if (live > 1)
		return smoke_fail(x, "%s: %s: %s '%s' held by %d actors at once (%s and %s)",
		                  x->label, when, ls_obj_kind_name(ob->kind), ob->name, live,
		                  m->actors[who[0]].name, m->actors[who[1]].name);
	if (ob->owner >= 0 && (live != 1 || who[0] != ob->owner))
		return smoke_fail(x, "%s: %s: %s '%s' is owned by %s, who does not hold it%s%s",
		                  x->label, when, ls_obj_kind_name(ob->kind), ob->name,
		                  m->actors[ob->owner].name, live ? "; held by " : "",
		                  live ? m->actors[who[0]].name : "");
	if (ob->owner < 0 && live)
		return smoke_fail(x, "%s: %s: %s holds %s '%s', which has no owner", x->label,
		                  when, m->actors[who[0]].name, ls_obj_kind_name(ob->kind),
		                  ob->name);
	if (ob->owner >= 0) {
		/* The object's depth is its owner's; only an RLock goes past 1. */
		unsigned depth = ls_model_hold_depth(m, ob->owner, o);
		int reentrant = ob->kind == LS_OBJ_MUTEX && ob->bound;
		if ((long)depth != ob->value || (!reentrant && depth != 1))
			return smoke_fail(x, "%s: %s: %s '%s' at depth %ld, its owner %s holds "
			                  "it %u deep", x->label, when,
			                  ls_obj_kind_name(ob->kind), ob->name, ob->value,
			                  m->actors[ob->owner].name, depth);
	}
	return 0;
}

/* A semaphore's count never below 0, a bounded one's never above its bound. */
static int
smoke_sem_ok(struct smoke_ctx *x, const struct ls_model_obj *ob, const char *when)
{
	if (ob->value < 0)
		return smoke_fail(x, "%s: %s: semaphore '%s' count %ld", x->label, when,
		                  ob->name, ob->value);
	if (ob->bound > 0 && ob->holders > ob->init)
		return smoke_fail(x, "%s: %s: bounded semaphore '%s' of %ld has %d holders",
		                  x->label, when, ob->name, ob->init, ob->holders);
	if (ob->bound > 0 && ob->value > ob->bound)
		return smoke_fail(x, "%s: %s: bounded semaphore '%s' count %ld above its "
		                  "bound %ld", x->label, when, ob->name, ob->value, ob->bound);
	return 0;
}

/* An object's waiters: as many as counted, real actors, none of them finished. */
static int
smoke_waiters_ok(struct smoke_ctx *x, const struct ls_model *m, const char *when, int o)
{
	const struct ls_model_obj *ob = &m->objs[o];
	int who[SMOKE_ACTORS];
	int n = ls_model_waiters(m, o, who, SMOKE_ACTORS);

	if (n != ls_model_nwaiters(m, o))
		return smoke_fail(x, "%s: %s: '%s' lists %d waiters and counts %d", x->label,
		                  when, ob->name, n, ls_model_nwaiters(m, o));
	for (int k = 0; k < n; k++) {
		if (who[k] < 0 || who[k] >= m->nactors)
			return smoke_fail(x, "%s: %s: '%s' lists waiter %d of %d actors", x->label,
			                  when, ob->name, who[k], m->nactors);
		if (smoke_finished(&m->actors[who[k]]))
			return smoke_fail(x, "%s: %s: %s is %s yet waits on '%s'", x->label, when,
			                  m->actors[who[k]].name,
			                  ls_actor_state_name(m->actors[who[k]].state), ob->name);
	}
	return 0;
}

static int
smoke_invariants(struct smoke_ctx *x, const struct ls_model *m, const char *when)
{
	int who[SMOKE_ACTORS];

	if (m->nactors > SMOKE_ACTORS)
		return smoke_fail(x, "%s: %s: %d actors, the test checks up to %d", x->label, when,
		                  m->nactors, SMOKE_ACTORS);
	if (m->dropped)
		return smoke_fail(x, "%s: %s: %llu events dropped (%llu to full rings)", x->label,
		                  when, (unsigned long long)m->dropped,
		                  (unsigned long long)m->ring_drops);
	if (smoke_actors_ok(x, m, when) != 0)
		return -1;
	for (int o = 0; o < m->nobjs; o++) {
		const struct ls_model_obj *ob = &m->objs[o];
		int n = ls_model_holders(m, o, who, SMOKE_ACTORS), live = 0, rc = 0;

		/* A crashed holder's lock passes on (robust mutexes): not held. */
		for (int k = 0; k < n; k++)
			if (m->actors[who[k]].state != LS_AS_CRASHED)
				who[live++] = who[k];
		switch (ob->kind) {
		case LS_OBJ_MUTEX:
		case LS_OBJ_FILE:
			rc = smoke_owned_ok(x, m, when, o, who, live);
			break;
		case LS_OBJ_SEM:
			rc = smoke_sem_ok(x, ob, when);
			break;
		default:
			break;
		}
		if (rc != 0 || smoke_waiters_ok(x, m, when, o) != 0)
			return -1;
	}
	return 0;
}

/* The actors the run offers to move are parked and able to. */
static int
smoke_enabled_sane(struct smoke_ctx *x, struct ls_run *r, const char *when)
{
	const struct ls_model *m = ls_run_model(r);
	int en[SMOKE_ACTORS];
	int n = ls_run_enabled(r, en, SMOKE_ACTORS);

	for (int k = 0; k < n; k++)
		if (m->actors[en[k]].state != LS_AS_GATE || !ls_model_can_proceed(m, en[k]))
			return smoke_fail(x, "%s: %s: %s is offered a step but is %s", x->label, when,
			                  m->actors[en[k]].name,
			                  ls_actor_state_name(m->actors[en[k]].state));
	return 0;
}

/*
 * How a run may end: finished with a decided verdict, or deadlocked where
 * the model itself reports the deadlock and the verdict has decided about
 * it (the lesson is the deadlock); cut is allowed for stepped runs.
 */
static int
smoke_ending(struct smoke_ctx *x, struct ls_run *r, int gated, int cut, struct ls_verdict *v)
{
	const struct ls_model *m = ls_run_model(r);
	enum ls_run_status st = ls_run_status(r);
	char why[512];

	ls_run_verdict(r, v);
	switch (st) {
	case LS_RUN_FINISHED:
		if (!ls_model_finished(m))
			return smoke_fail(x, "%s: finished, but the model has %d of %d actors done",
			                  x->label, m->ndone + m->ncrashed, m->nactors);
		if (m->ncrashed)
			return smoke_fail(x, "%s: %d actors crashed", x->label, m->ncrashed);
		if (v->ok == -1)
			return smoke_fail(x, "%s: finished with no verdict: %s", x->label, v->summary);
		return 0;
	case LS_RUN_DEADLOCK:
		if (!ls_model_deadlock(m, gated, why, sizeof why))
			return smoke_fail(x, "%s: the run says deadlock (%s), the model does not",
			                  x->label, ls_run_reason(r));
		if (v->ok == -1)
			return smoke_fail(x, "%s: deadlocked and the verdict has not decided: %s (%s)",
			                  x->label, v->summary, why);
		return 0;
	case LS_RUN_RUNNING:
		if (cut)
			return 0;
		/* fall through */
	default:
		return smoke_fail(x, "%s: the run ended %s: %s", x->label, ls_run_status_name(st),
		                  ls_run_reason(r));
	}
}

/* ---- what a run leaves behind ------------------------------------------- */

struct smoke_env {
	char dir[512];           /* the run's TMPDIR, private to this test */
	char *old_tmpdir;
	pid_t children[SMOKE_ACTORS];
	int nchildren;
};

/* This process's children, from /proc (zombies included). */
static int
smoke_children(pid_t *out, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t self = getpid();
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d))) {
		char path[300], buf[512], *close;
		int ppid;
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;   /* gone meanwhile */
		size_t got = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[got] = '\0';
		/* "pid (comm) state ppid": comm may hold anything, even ')'. */
		close = strrchr(buf, ')');
		if (!close || sscanf(close + 1, " %*c %d", &ppid) != 1 || ppid != self)
			continue;
		if (n < max)
			out[n] = (pid_t)atoi(de->d_name);
		n++;
	}
	closedir(d);
	return n;
}

static void
smoke_env_enter(struct smoke_env *e)
{
	const char *base = getenv("TMPDIR");

	memset(e, 0, sizeof *e);
	e->nchildren = smoke_children(e->children, SMOKE_ACTORS);
	snprintf(e->dir, sizeof e->dir, "%s/lockstep-smoke-XXXXXX", base && *base ? base : "/tmp");
	ck_assert_msg(mkdtemp(e->dir) != NULL, "mkdtemp %s: %s", e->dir, strerror(errno));
	if (base)
		e->old_tmpdir = strdup(base);
	setenv("TMPDIR", e->dir, 1);
}

/* Remove what a run left in dir (two levels: its lockstep-* directory). */
static int
smoke_sweep(const char *dir, char *left, size_t len, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char path[1024];
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (!left[0])
			snprintf(left, len, "%s", path);
		n++;
		if (depth < 2)
			smoke_sweep(path, left, len, depth + 1);
		if (unlink(path) != 0)
			rmdir(path);
	}
	closedir(d);
	return n;
}

/* After the run is freed: nothing left behind.  Cleans up either way. */
static int
smoke_env_leave(struct smoke_ctx *x, struct smoke_env *e)
{
	pid_t now[SMOKE_ACTORS];
	char left[1024] = "";
	int n = smoke_children(now, SMOKE_ACTORS), extra = -1;

	for (int i = 0; i < n && i < SMOKE_ACTORS && extra < 0; i++) {
		int known = 0;
		for (int k = 0; k < e->nchildren && k < SMOKE_ACTORS; k++)
			known |= e->children[k] == now[i];
		if (!known)
			extra = now[i];
	}
	int files = smoke_sweep(e->dir, left, sizeof left, 0);
	rmdir(e->dir);
	if (e->old_tmpdir)
		setenv("TMPDIR", e->old_tmpdir, 1);
	else
		unsetenv("TMPDIR");
	free(e->old_tmpdir);
	e->old_tmpdir = NULL;
	if (extra >= 0)
		return smoke_fail(x, "%s: child process %d left after the run was freed", x->label,
		                  extra);
	if (files)
		return smoke_fail(x, "%s: the run left %s behind", x->label, left);
	return 0;
}

/* Start a run; NULL with x->why set (the caller still leaves its env). */
static struct ls_run *
smoke_start(struct smoke_ctx *x, enum ls_policy policy, uint64_t seed)
{
	struct ls_run_opts o;
	char err[256] = "";

	th_opts(&o, x->s, x->c->kind, policy);
	o.seed = seed;
	struct ls_run *r = ls_run_new(x->s, x->p, &o, err, sizeof err);
	if (!r) {
		smoke_fail(x, "%s: ls_run_new: %s", x->label, err);
		return NULL;
	}
	if (ls_run_start(r, err, sizeof err) != 0) {
		smoke_fail(x, "%s: ls_run_start: %s", x->label, err);
		ls_run_free(r);
		return NULL;
	}
	return r;
}

/* ---- stepped ------------------------------------------------------------ */

/*
 * A variable named in a unit of time (gil's cpu_us, held_us, wait_us) holds
 * what the clock measured, which no schedule fixes: it is left out of the
 * comparison of two runs.
 */
static int
smoke_is_measured(const char *name)
{
	return smoke_ends_with(name, "_ns") || smoke_ends_with(name, "_us") ||
	       smoke_ends_with(name, "_ms");
}

struct smoke_outcome {
	enum ls_run_status status;
	int ok;
	struct ls_schedule sched;
	int nvars;
	char names[LS_MAX_OBJS][LS_NAME_MAX];
	long vars[LS_MAX_OBJS];
};

static void
smoke_capture(struct ls_run *r, const struct ls_verdict *v, struct smoke_outcome *out)
{
	const struct ls_model *m = ls_run_model(r);
	const struct ls_schedule *taken = ls_run_schedule(r);

	out->status = ls_run_status(r);
	out->ok = v->ok;
	ls_schedule_init(&out->sched);
	for (size_t i = 0; i < taken->len; i++)
		ls_schedule_push(&out->sched, taken->steps[i]);
	out->nvars = 0;
	for (int o = 0; o < m->nobjs; o++) {
		if (m->objs[o].kind != LS_OBJ_VAR || smoke_is_measured(m->objs[o].name))
			continue;
		snprintf(out->names[out->nvars], LS_NAME_MAX, "%s", m->objs[o].name);
		out->vars[out->nvars++] = m->objs[o].value;
	}
}

/*
 * One stepped run under the seeded random chooser; fills out and returns 0,
 * or -1 with x->why set.  The run is freed either way.
 */
static int
smoke_stepped_run(struct smoke_ctx *x, uint64_t seed, struct smoke_outcome *out)
{
	struct smoke_env env;
	struct ls_verdict v;
	char when[64];
	int taken = 0, rc = 0;

	smoke_env_enter(&env);
	struct ls_run *r = smoke_start(x, LS_POLICY_RANDOM, seed);
	if (!r) {
		smoke_env_leave(x, &env);
		return -1;
	}
	const struct ls_model *m = ls_run_model(r);
	uint64_t stall = smoke_now_ms() + SMOKE_STALL_S * 1000u;

	rc = smoke_invariants(x, m, "at the start");
	while (rc == 0 && taken < SMOKE_STEPS) {
		if (ls_run_step(r, -1) < 0) {
			if (ls_run_status(r) != LS_RUN_RUNNING)
				break;
			/* Not settled yet (an actor still between probes on a slow
			 * machine): try again, within the bound. */
			if (smoke_now_ms() > stall) {
				rc = smoke_fail(x, "%s: no step possible for %d s after step %d", x->label,
				                SMOKE_STALL_S, taken);
				break;
			}
			struct timespec ts = { 0, 2 * 1000000L };
			nanosleep(&ts, NULL);
			continue;
		}
		taken++;
		stall = smoke_now_ms() + SMOKE_STALL_S * 1000u;
		snprintf(when, sizeof when, "after step %d", taken);
		rc = smoke_invariants(x, m, when);
		if (rc == 0)
			rc = smoke_enabled_sane(x, r, when);
	}
	if (rc == 0) {
		/* Settle, so the last step's effects are in the model. */
		rc = smoke_enabled_sane(x, r, "at the end");
		if (rc == 0)
			rc = smoke_invariants(x, m, "at the end");
	}
	if (rc == 0)
		rc = smoke_ending(x, r, 1, taken >= SMOKE_STEPS, &v);
	if (rc == 0)
		smoke_capture(r, &v, out);
	ls_run_free(r);
	if (smoke_env_leave(x, &env) != 0 && rc == 0) {
		ls_schedule_clear(&out->sched);
		rc = -1;
	}
	return rc;
}

static void
smoke_assert_same(struct smoke_ctx *x, const struct smoke_outcome *a,
                  const struct smoke_outcome *b)
{
	ck_assert_msg(a->status == b->status, "%s: same seed, status %s then %s", x->label,
	              ls_run_status_name(a->status), ls_run_status_name(b->status));
	ck_assert_msg(a->sched.len == b->sched.len, "%s: same seed, %zu steps then %zu", x->label,
	              a->sched.len, b->sched.len);
	for (size_t i = 0; i < a->sched.len; i++)
		ck_assert_msg(a->sched.steps[i] == b->sched.steps[i],
		              "%s: same seed, step %zu took actor %d then %d", x->label, i + 1,
		              a->sched.steps[i], b->sched.steps[i]);
	ck_assert_int_eq(a->nvars, b->nvars);
	for (int i = 0; i < a->nvars; i++)
		ck_assert_msg(a->vars[i] == b->vars[i], "%s: same seed, %s ended %ld then %ld",
		              x->label, a->names[i], a->vars[i], b->vars[i]);
	ck_assert_msg(a->ok == b->ok, "%s: same seed, verdict %d then %d", x->label, a->ok, b->ok);
}

START_TEST(smoke_stepped)
{
	struct smoke_ctx x;
	struct smoke_outcome a, b;
	uint64_t seed = SMOKE_SEED + (uint64_t)_i;

	smoke_setup(&x, _i);
	ck_assert_msg(smoke_stepped_run(&x, seed, &a) == 0, "%s", x.why);
	int rc = smoke_stepped_run(&x, seed, &b);
	if (rc != 0)
		ls_schedule_clear(&a.sched);
	ck_assert_msg(rc == 0, "%s", x.why);
	smoke_assert_same(&x, &a, &b);
	ls_schedule_clear(&a.sched);
	ls_schedule_clear(&b.sched);
}
END_TEST

/* ---- free --------------------------------------------------------------- */

/*
 * A deadlocked free run (rlock lock=lock) is aborted with T1 still holding
 * its robust mutex; the next locker wins it through EOWNERDEAD, which TSan
 * does not see as an acquire.  The lock's depth and holder are relaxed
 * atomics for that reason (probe.c), so this case also runs under TSan.
 */

START_TEST(smoke_free)
{
	struct smoke_ctx x;
	struct smoke_env env;
	struct ls_verdict v;
	enum ls_run_status st;
	int rc = 0;

	smoke_setup(&x, _i);
	smoke_env_enter(&env);
	struct ls_run *r = smoke_start(&x, LS_POLICY_FREE, 1);
	if (!r) {
		smoke_env_leave(&x, &env);
		ck_abort_msg("%s", x.why);
	}
	uint64_t until = smoke_now_ms() + SMOKE_FREE_S * 1000u;

	while ((st = ls_run_poll(r, 100)) == LS_RUN_RUNNING) {
		if (smoke_now_ms() > until) {
			const struct ls_model *m = ls_run_model(r);
			char d[160];
			int k = 0;
			while (k < m->nactors && smoke_finished(&m->actors[k]))
				k++;
			if (k < m->nactors)
				ls_model_describe(m, k, d, sizeof d);
			rc = smoke_fail(&x, "%s: free run still going after %d s (%s %s)", x.label,
			                SMOKE_FREE_S, k < m->nactors ? m->actors[k].name : "",
			                k < m->nactors ? d : "");
			break;
		}
	}
	if (rc == 0)
		rc = smoke_invariants(&x, ls_run_model(r), "at the end");
	if (rc == 0)
		rc = smoke_ending(&x, r, 0, 0, &v);
	ls_run_free(r);
	smoke_env_leave(&x, &env);
	ck_assert_msg(x.why[0] == '\0', "%s", x.why);
}
END_TEST

/* ---- descriptors and walkthroughs --------------------------------------- */

/* What the smoke cases rely on in a descriptor. */
START_TEST(smoke_descriptors)
{
	ck_assert_msg(!smoke_overflow, "more than %d smoke cases", SMOKE_CASES);
	ck_assert_int_gt(smoke_ncases, 0);
	for (int i = 0; ls_scenarios[i]; i++) {
		const struct ls_scenario *s = ls_scenarios[i];
		ck_assert_ptr_nonnull(s->name);
		ck_assert_msg(ls_scenario_find(s->name) == s, "%s: another scenario has its name",
		              s->name);
		ck_assert_msg(s->nparams >= 0 && s->nparams <= 32, "%s: %d parameters", s->name,
		              s->nparams);
		ck_assert_msg(s->nroles > 0, "%s: no roles", s->name);
		ck_assert_msg(s->toggle_param >= -1 && s->toggle_param < s->nparams,
		              "%s: toggle_param %d", s->name, s->toggle_param);
		for (int k = 0; k < s->nparams; k++) {
			const struct ls_param_desc *d = &s->params[k];
			ck_assert_msg(d->min <= d->def && d->def <= d->max, "%s: %s=%ld outside %ld..%ld",
			              s->name, d->name, d->def, d->min, d->max);
			ck_assert_msg(ls_scenario_param_index(s, d->name) == k,
			              "%s: two parameters called %s", s->name, d->name);
		}
		for (int k = 0; k < s->nroles; k++)
			ck_assert_msg(s->roles[k].count_param >= -1 &&
			              s->roles[k].count_param < s->nparams && s->roles[k].body,
			              "%s: role %s", s->name, s->roles[k].name);
	}
}
END_TEST

/* Every name=value of every walkthrough names a parameter, once, in range. */
START_TEST(smoke_walkthrough_params)
{
	for (int i = 0; ls_scenarios[i]; i++) {
		const struct ls_scenario *s = ls_scenarios[i];
		ck_assert_msg(s->nwalkthroughs == 0 || s->walkthroughs, "%s: %d walkthroughs, no table",
		              s->name, s->nwalkthroughs);
		for (int w = 0; w < s->nwalkthroughs; w++) {
			const struct ls_walkthrough *wt = &s->walkthroughs[w];
			char buf[512], err[256], *save = NULL;
			int seen[32] = { 0 };
			long p[32];

			ck_assert_ptr_nonnull(wt->params);
			ck_assert_uint_lt(strlen(wt->params), sizeof buf);
			ls_params_default(s, p);
			snprintf(buf, sizeof buf, "%s", wt->params);
			for (char *tok = strtok_r(buf, " \t", &save); tok;
			     tok = strtok_r(NULL, " \t", &save)) {
				char *eq = strchr(tok, '=');
				ck_assert_msg(eq && eq != tok, "%s walkthrough %d: '%s' is not name=value",
				              s->name, w + 1, tok);
				*eq = '\0';
				int k = ls_scenario_param_index(s, tok);
				ck_assert_msg(k >= 0, "%s walkthrough %d: no parameter '%s'", s->name, w + 1,
				              tok);
				ck_assert_msg(!seen[k]++, "%s walkthrough %d: '%s' twice", s->name, w + 1, tok);
				*eq = '=';
				ck_assert_msg(ls_params_set(s, p, tok, err, sizeof err) == 0,
				              "%s walkthrough %d: %s", s->name, w + 1, err);
				ck_assert_msg(p[k] >= s->params[k].min && p[k] <= s->params[k].max,
				              "%s walkthrough %d: %s out of %ld..%ld", s->name, w + 1, tok,
				              s->params[k].min, s->params[k].max);
			}
			int n = ls_scenario_actor_count(s, p);
			ck_assert_msg(n >= 1 && n <= SMOKE_ACTORS, "%s walkthrough %d: %d actors",
			              s->name, w + 1, n);
		}
	}
}
END_TEST

/* Every scenario, both kinds, each variant of its toggle. */
static void
smoke_enumerate(void)
{
	smoke_ncases = 0;
	for (int i = 0; ls_scenarios[i]; i++) {
		const struct ls_scenario *s = ls_scenarios[i];
		int t = s->toggle_param;
		long lo = -1, hi = -1;
		if (smoke_has_variants(s)) {
			lo = s->params[t].min;
			hi = s->params[t].max;
		}
		for (int k = 0; k < 2; k++)
			for (long v = lo; v <= hi; v++) {
				if (smoke_ncases == SMOKE_CASES) {
					smoke_overflow = 1;
					return;
				}
				smoke_cases[smoke_ncases++] = (struct smoke_case){
					.scenario = i, .kind = th_kind(k), .variant = v,
				};
			}
	}
}

Suite *
smoke_suite(void)
{
	Suite *s = suite_create("smoke");

	smoke_enumerate();
	TCase *tc = th_tcase(s, "registry", 30);
	tcase_add_test(tc, smoke_descriptors);
	tcase_add_test(tc, smoke_walkthrough_params);
	/* Two stepped runs each; on a loaded machine a stalled step may take a
	 * while to be noticed (SMOKE_STALL_S), hence the wide timeouts. */
	tc = th_tcase(s, "stepped", 2.5 * SMOKE_STALL_S);
	tcase_add_loop_test(tc, smoke_stepped, 0, smoke_ncases);
	tc = th_tcase(s, "free", 1.5 * SMOKE_FREE_S);
	tcase_add_loop_test(tc, smoke_free, 0, smoke_ncases);
	return s;
}
