/*
 * gil.c - a global interpreter lock, built in the open.
 *
 * Mirrors the GIL passages of tutorials 000 ("every 100 bytecodes the
 * interpreter releases the GIL ... 100 threads on 100 cores use one core"),
 * 001 (CPU-bound threads gain nothing, I/O-bound ones do; use processes for
 * real parallelism) and 004 (the GIL is not part of Python, only of
 * CPython).  Workers run CPU-bound "bytecode" (ticks of real arithmetic)
 * under one interpreter lock made of real primitives shown on screen:
 *
 *   gil            the mutex held while running bytecode
 *   drop_request   how many threads are asking for the GIL
 *   switch_number  bumped by every thread that takes the GIL
 *   switch_cond    where a thread that gave the GIL up waits for a taker
 *
 * as CPython 3 does it (interval=time): a holder checks every switch
 * interval (switch_ms) whether anyone asks; if so it drops the GIL and waits
 * on switch_cond until another thread has taken it (forced switching), so
 * holding alternates.  interval=ticks is Python 2: every check_ticks ticks
 * the holder releases and at once re-takes the lock, asking nobody, so on a
 * multi-core machine it usually wins it back.  In CPython a waiter raises
 * the request after waiting one interval; here a waiter asks at once and the
 * holder looks once per interval, which gives the same rhythm.
 *
 * A tick is a chunk of arithmetic calibrated to take tick_us of CPU, and the
 * switch interval is counted in ticks (switch_ms / tick_us): in free runs
 * that is the time it says, and under a controller, where time is logical,
 * every decision still depends on the schedule alone, so a run replays.
 *
 * work=io: a worker does one tick of bytecode, then blocks in I/O (a sleep)
 * with the GIL released, as CPython releases it around blocking calls.
 * gil=off, or --actors=processes (each process is its own interpreter with
 * its own GIL that nobody else wants), runs without the shared lock.
 *
 * Measured by the workers and published with ls_add: cpu_us (their CPU
 * time), held_us (wall time holding the GIL), wait_us (time in I/O).  The
 * fold counts holders, hand-offs and how many were in bytecode at once.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "lockstep/lesson.h"

enum { P_WORKERS, P_WORK, P_GIL, P_INTERVAL, P_SWITCH_MS, P_CHECK_TICKS, P_TICK_US,
       P_WORK_MS, P_IO_MS };

static const char *const gil_work_choices[] = { "cpu", "io", NULL };
static const char *const gil_onoff_choices[] = { "off", "on", NULL };
static const char *const gil_interval_choices[] = { "time", "ticks", NULL };

static const struct ls_param_desc gil_params[] = {
	[P_WORKERS]     = { "workers", N_("worker threads (or processes)"), 2, 1, 8, NULL },
	[P_WORK]        = { "work", N_("cpu: compute; io: mostly wait for I/O"), 0, 0, 1, gil_work_choices },
	[P_GIL]         = { "gil", N_("on: one interpreter lock for all threads"), 1, 0, 1, gil_onoff_choices },
	[P_INTERVAL]    = { "interval", N_("time: Python 3 switch interval; ticks: Python 2 check interval"),
	                    0, 0, 1, gil_interval_choices },
	[P_SWITCH_MS]   = { "switch_ms", N_("Python 3 switch interval (sys.getswitchinterval)"), 5, 1, 10000, NULL },
	[P_CHECK_TICKS] = { "check_ticks", N_("Python 2 check interval in ticks (sys.setcheckinterval)"), 100, 1, 1000000, NULL },
	[P_TICK_US]     = { "tick_us", N_("CPU time of one tick of bytecode"), 50, 1, 100000, NULL },
	[P_WORK_MS]     = { "work_ms", N_("per worker: ms of computing (cpu) or of waiting (io)"), 600, 1, 600000, NULL },
	[P_IO_MS]       = { "io_ms", N_("work=io: one blocking I/O call"), 10, 1, 60000, NULL },
};

struct gil {
	ls_mutex *gil;
	ls_cond *switch_cond;
	ls_var *drop_request, *switch_number;
	ls_var *bytecodes, *in_bytecode;
	ls_var *cpu_us, *held_us, *wait_us;
	ls_var *interpreters, *cores;
	long iters_per_tick;
	long ticks;             /* work=cpu: ticks per worker */
	long requests;          /* work=io: I/O calls per worker */
	long switch_ticks;      /* Python 3 interval, in ticks */
	long check_ticks;       /* Python 2 interval */
	long io_ms;
	int io, gil_on, py2;
};

/* What one worker knows about its own turn with the GIL. */
struct gil_turn {
	uint64_t since_ns;
	long ticks;
};

static uint64_t
gil_clock_ns(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* One tick of "bytecode": arithmetic the optimizer cannot drop. */
static uint64_t
gil_bytecode(uint64_t x, long iters)
{
	for (long i = 0; i < iters; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	__asm__ __volatile__("" : "+r"(x));
	return x;
}

/* Iterations per millisecond of CPU on this machine, measured once. */
static long
gil_calibrate(void)
{
	static _Atomic long per_ms;
	/* Relaxed, here and at the store: a cached number with no data behind
	 * it; two threads calibrating at once store alike values. */
	long v = atomic_load_explicit(&per_ms, memory_order_relaxed);

	if (v)
		return v;
	long iters = 1 << 12;
	uint64_t x = 88172645463325252u, ns = 0;
	for (;;) {
		uint64_t t0 = gil_clock_ns(CLOCK_THREAD_CPUTIME_ID);
		x = gil_bytecode(x, iters);
		ns = gil_clock_ns(CLOCK_THREAD_CPUTIME_ID) - t0;
		if (ns >= 2000000u || iters >= 1L << 30)
			break;
		iters *= 2;
	}
	for (int k = 0; k < 2; k++) {   /* the fastest of three: least disturbed */
		uint64_t t0 = gil_clock_ns(CLOCK_THREAD_CPUTIME_ID);
		x = gil_bytecode(x, iters);
		uint64_t d = gil_clock_ns(CLOCK_THREAD_CPUTIME_ID) - t0;
		if (d < ns)
			ns = d;
	}
	v = (long)((double)iters * 1e6 / (double)(ns ? ns : 1));
	if (v < 1)
		v = 1;
	/* Relaxed: see the load above. */
	atomic_store_explicit(&per_ms, v, memory_order_relaxed);
	return v;
}

/* Just took the GIL (take_gil's tail): tell a thread that gave it up. */
static void
gil_took(struct gil *g, struct gil_turn *t)
{
	if (!g->py2) {
		ls_add(g->drop_request, -1);  /* py:gil */
		ls_add(g->switch_number, 1);  /* py:gil */
		ls_cond_notify_all(g->switch_cond);  /* py:gil */
	}
	ls_add(g->in_bytecode, 1);  /* py:gil */
	t->since_ns = gil_clock_ns(CLOCK_MONOTONIC);
	t->ticks = 0;
}

static void
gil_take(struct gil *g, struct gil_turn *t)
{
	if (!g->py2)
		ls_add(g->drop_request, 1);  /* py:gil */ /* ask the holder to let go */
	ls_lock(g->gil);  /* py:gil */
	gil_took(g, t);
}

/* Leaving bytecode: account for the turn, still holding the GIL. */
static void
gil_leave(struct gil *g, struct gil_turn *t)
{
	ls_add(g->in_bytecode, -1);  /* py:gil */
	ls_add(g->held_us, (long)((gil_clock_ns(CLOCK_MONOTONIC) - t->since_ns) / 1000u));  /* py:gil */
}

static void
gil_release(struct gil *g, struct gil_turn *t)
{
	gil_leave(g, t);
	ls_unlock(g->gil);  /* py:gil */
}

/* Between two ticks: the eval loop's check whether to let another run. */
static void
gil_check(struct gil *g, struct gil_turn *t)
{
	if (++t->ticks < (g->py2 ? g->check_ticks : g->switch_ticks))
		return;
	if (g->py2) {
		/* Python 2: release and re-take at once; whoever wins, wins. */
		gil_release(g, t);
		ls_lock(g->gil);  /* py:gil */
		gil_took(g, t);
		return;
	}
	if (ls_load(g->drop_request) == 0) {  /* py:gil */
		t->ticks = 0;                    /* nobody asks: another interval */
		return;
	}
	/* Python 3: drop it and wait until another thread has taken it, so
	 * this thread cannot win it straight back (FORCE_SWITCHING). */
	gil_leave(g, t);
	ls_add(g->drop_request, 1);  /* py:gil */ /* it will want the GIL back */
	long seen = ls_load(g->switch_number);  ls_note("seen", seen);  /* py:gil */
	do
		ls_cond_wait(g->switch_cond, g->gil);  /* py:gil */
	while (ls_load(g->switch_number) == seen);  /* py:gil */
	gil_took(g, t);
}

static void
gil_worker(struct ls_actor_ctx *ctx)
{
	struct gil *g = ctx->state;
	int process = ctx->kind == LS_ACTORS_PROCESSES;
	/* A process is an interpreter of its own: its GIL is never contended. */
	int locked = g->gil_on && !process;
	clockid_t cpu_clock = process ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_THREAD_CPUTIME_ID;
	uint64_t cpu0 = gil_clock_ns(cpu_clock);
	uint64_t x = 0x2545F4914F6CDD1Du + (uint64_t)ctx->id;
	struct gil_turn turn = { 0, 0 };

	if (process)
		ls_add(g->interpreters, 1);  /* py:gil */
	if (locked)
		gil_take(g, &turn);
	else
		ls_add(g->in_bytecode, 1);  /* py:gil */
	if (!g->io) {
		for (long i = 1; i <= g->ticks; i++) {
			x = gil_bytecode(x, g->iters_per_tick);
			ls_add(g->bytecodes, 1);  /* py:gil#2 */
			if (locked && i < g->ticks)
				gil_check(g, &turn);
		}
	} else {
		for (long r = 1; r <= g->requests; r++) {
			x = gil_bytecode(x, g->iters_per_tick);   /* prepare the request */
			ls_add(g->bytecodes, 1);  /* py:gil#3 */
			/* Blocking I/O runs with the GIL released. */
			if (locked)
				gil_release(g, &turn);
			else
				ls_add(g->in_bytecode, -1);  /* py:gil */
			uint64_t w0 = gil_clock_ns(CLOCK_MONOTONIC);
			ls_sleep(g->io_ms);  /* py:sleep#2 */
			ls_add(g->wait_us, (long)((gil_clock_ns(CLOCK_MONOTONIC) - w0) / 1000u));  /* py:add */
			if (r == g->requests)
				break;
			if (locked)
				gil_take(g, &turn);
			else
				ls_add(g->in_bytecode, 1);  /* py:gil */
		}
	}
	if (!g->io) {
		if (locked)
			gil_release(g, &turn);
		else
			ls_add(g->in_bytecode, -1);  /* py:gil */
	}
	ls_add(g->cpu_us, (long)((gil_clock_ns(cpu_clock) - cpu0) / 1000u));  /* py:gil */
}

static const struct ls_role_desc gil_roles[] = {
	{ .name = "worker", .prefix = "T", .body = gil_worker, .count_param = P_WORKERS },
};

static int
gil_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct gil *g = state;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	g->gil = ls_mutex_new(w, "gil");
	g->switch_cond = ls_cond_new(w, "switch_cond");
	g->drop_request = ls_var_new(w, "drop_request", 0);
	g->switch_number = ls_var_new(w, "switch_number", 0);
	g->bytecodes = ls_var_new(w, "bytecodes", 0);
	g->in_bytecode = ls_var_new(w, "in_bytecode", 0);
	g->cpu_us = ls_var_new(w, "cpu_us", 0);
	g->held_us = ls_var_new(w, "held_us", 0);
	g->wait_us = ls_var_new(w, "wait_us", 0);
	/* The program itself is one interpreter; each process actor adds one. */
	g->interpreters = ls_var_new(w, "interpreters", 1);
	g->cores = ls_var_new(w, "cores", cores > 0 ? cores : 1);
	if (!g->gil || !g->switch_cond || !g->drop_request || !g->switch_number ||
	    !g->bytecodes || !g->in_bytecode || !g->cpu_us || !g->held_us || !g->wait_us ||
	    !g->interpreters || !g->cores) {
		snprintf(err, len, "gil: cannot create the interpreter lock");
		return -1;
	}
	long tick_us = p[P_TICK_US];
	g->iters_per_tick = (long)((double)gil_calibrate() * (double)tick_us / 1000.0);
	if (g->iters_per_tick < 1)
		g->iters_per_tick = 1;
	g->io = p[P_WORK] == 1;
	g->gil_on = p[P_GIL] == 1;
	g->py2 = p[P_INTERVAL] == 1;
	g->ticks = p[P_WORK_MS] * 1000 / tick_us;
	if (g->ticks < 1)
		g->ticks = 1;
	g->io_ms = p[P_IO_MS];
	g->requests = p[P_WORK_MS] / p[P_IO_MS];
	if (g->requests < 1)
		g->requests = 1;
	g->switch_ticks = p[P_SWITCH_MS] * 1000 / tick_us;
	if (g->switch_ticks < 1)
		g->switch_ticks = 1;
	g->check_ticks = p[P_CHECK_TICKS];
	return 0;
}

/* ---- the fold: who holds the GIL ----------------------------------------- */

struct gil_fold {
	int ready;
	int gil, in_bytecode;         /* object ids */
	int holder, last_holder;      /* actors, -1 = none */
	int holders, max_holders;
	int dropper;                  /* gave the GIL up on request, -1 = none */
	int taken_since_drop;         /* another thread took it since */
	long acquisitions, switches;
	long retakes;                 /* taken again by the thread that last released it */
	long regains;                 /* a forced drop back in bytecode with no taker between */
	long max_running;             /* most actors in bytecode at once */
	uint64_t t_start, t_end;      /* first START, last EXIT */
	int stepped;                  /* an actor parked at its gate: one move at a time */
};

static void
gil_fold_acquire(struct gil_fold *f, int a)
{
	f->holders++;
	if (f->holders > f->max_holders)
		f->max_holders = f->holders;
	f->acquisitions++;
	if (f->last_holder >= 0 && f->last_holder != a)
		f->switches++;
	else if (f->last_holder == a)
		f->retakes++;
	if (a != f->dropper)
		f->taken_since_drop = 1;
	f->holder = f->last_holder = a;
}

static void
gil_fold_release(struct gil_fold *f, int a, int forced)
{
	if (f->holders > 0)
		f->holders--;
	f->holder = -1;
	if (forced) {
		f->dropper = a;
		f->taken_since_drop = 0;
	}
}

static void
gil_fold(void *acc, const struct ls_model *m, const long *p, const struct ls_event *e)
{
	struct gil_fold *f = acc;
	(void)p;

	if (!f->ready) {
		f->gil = ls_model_find(m, "gil");
		f->in_bytecode = ls_model_find(m, "in_bytecode");
		f->holder = f->last_holder = f->dropper = -1;
		f->ready = 1;
	}
	if (e->actor == LS_NO_ACTOR)
		return;
	int a = e->actor;
	/* A controlled run parks its actors: its wall time is the stepping's. */
	if (a < m->nactors && m->actors[a].state == LS_AS_GATE)
		f->stepped = 1;
	switch (e->op) {
	case LS_OP_START:
		if (!f->t_start || e->t_ns < f->t_start)
			f->t_start = e->t_ns;
		break;
	case LS_OP_EXIT:
	case LS_OP_CRASH:
		if (e->t_ns > f->t_end)
			f->t_end = e->t_ns;
		if (f->holder == a)      /* left holding it: the robust mutex frees it */
			gil_fold_release(f, a, 0);
		break;
	case LS_OP_LOCK:
		if ((int)e->obj == f->gil && e->phase == LS_PH_DONE)
			gil_fold_acquire(f, a);
		break;
	case LS_OP_UNLOCK:
		if ((int)e->obj == f->gil && e->phase == LS_PH_DONE)
			gil_fold_release(f, a, 0);
		break;
	case LS_OP_COND_WAIT:
		/* BLOCK gives the mutex up, DONE has it again (perhaps only to
		 * find no switch yet and wait again: that is not a regain). */
		if ((int)e->u.v.a == f->gil && e->phase == LS_PH_BLOCK)
			gil_fold_release(f, a, 1);
		else if ((int)e->u.v.a == f->gil && e->phase == LS_PH_DONE)
			gil_fold_acquire(f, a);
		break;
	case LS_OP_ADD:
		if ((int)e->obj != f->in_bytecode || e->phase != LS_PH_DONE)
			break;
		if (e->u.v.a > f->max_running)
			f->max_running = e->u.v.a;
		if (e->u.v.b > 0 && a == f->dropper) {
			f->regains += !f->taken_since_drop;
			f->dropper = -1;
		}
		break;
	default:
		break;
	}
}

/* Less work per worker (work_ms) is mostly start-up: its parallelism is not judged. */
#define GIL_MEASURE_MS 200

/* What a GIL run measured, read once from the model for every part of its verdict. */
struct gil_figures {
	const struct gil_fold *f;
	long workers, cores, best;
	int processes, io, locked, stepped;
	double wall_ms, cpu_ms, wait_ms, parallelism, overlap, mean_hold;
	double want;                /* one core's worth under the GIL, else one per core used */
	const char *who;
};

static void
gil_measure(const struct ls_model *m, const long *p, struct gil_figures *g)
{
	static const struct gil_fold none;
	const struct gil_fold *f = ls_model_fold_state(m);

	g->f = f = f ? f : &none;
	g->workers = p[P_WORKERS];
	g->cores = ls_model_var(m, "cores");
	g->processes = ls_model_var(m, "interpreters") > 1;
	g->io = p[P_WORK] == 1;
	g->locked = p[P_GIL] == 1 && !g->processes;
	g->wall_ms = f->t_end > f->t_start ? (double)(f->t_end - f->t_start) / 1e6 : 0;
	g->cpu_ms = (double)ls_model_var(m, "cpu_us") / 1e3;
	g->wait_ms = (double)ls_model_var(m, "wait_us") / 1e3;
	g->parallelism = g->wall_ms > 0 ? g->cpu_ms / g->wall_ms : 0;
	g->overlap = g->wall_ms > 0 ? (g->cpu_ms + g->wait_ms) / g->wall_ms : 0;
	g->mean_hold = f->acquisitions ? (double)ls_model_var(m, "held_us") / 1e3 /
	                                 (double)f->acquisitions : 0;
	g->best = g->workers < g->cores ? g->workers : g->cores;
	g->stepped = f->stepped;
	g->want = g->locked ? 1.0 : (double)g->best;
	g->who = g->processes ? _("processes") : _("threads");
}

static void
gil_expected(const long *p, const struct gil_figures *g, struct ls_verdict *v)
{
	if (g->io)
		snprintf(v->expected, sizeof v->expected,
		         _("I/O-bound %s overlap their waits%s: %ld ms of waiting each, wall near %ld ms"),
		         g->who, g->locked ? _(" even with the GIL") : "", p[P_WORK_MS], p[P_WORK_MS]);
	else if (g->locked)
		snprintf(v->expected, sizeof v->expected,
		         _("one thread in bytecode at a time: never 2 GIL holders, parallelism near 1.0"));
	else
		snprintf(v->expected, sizeof v->expected,
		         _("CPU-bound %s without a shared GIL run in parallel: parallelism near %ld.0 "
		         "(%ld workers, %ld cores)"), g->who, g->best, g->workers, g->cores);
}

static void
gil_observed(const struct gil_figures *g, struct ls_verdict *v)
{
	const struct gil_fold *f = g->f;

	if (g->io)
		snprintf(v->observed, sizeof v->observed,
		         _("wall %.0f ms for %.0f ms of waiting and %.1f ms of CPU: overlap %.2f"),
		         g->wall_ms, g->wait_ms, g->cpu_ms, g->overlap);
	else if (g->locked)
		snprintf(v->observed, sizeof v->observed,
		         _("cpu %.0f ms in %.0f ms wall: parallelism %.2f; %ld hand-off%s, at most %d "
		         "holder%s, at most %ld in bytecode"), g->cpu_ms, g->wall_ms, g->parallelism,
		         f->switches, f->switches == 1 ? "" : "s", f->max_holders,
		         f->max_holders == 1 ? "" : "s", f->max_running);
	else
		snprintf(v->observed, sizeof v->observed,
		         _("cpu %.0f ms in %.0f ms wall: parallelism %.2f; up to %ld in bytecode at once"),
		         g->cpu_ms, g->wall_ms, g->parallelism, f->max_running);
}

/* CPU-bound work whose parallelism cannot be read: stepped, too short, or a busy machine.
 * 1 when it said so. */
static int
gil_unmeasured(const long *p, const struct gil_figures *g, struct ls_verdict *v)
{
	const char *turns = g->locked ? _("never 2 GIL holders, the threads took turns")
	                    : g->processes ? _("each process is its own interpreter with its own GIL")
	                    : NULL;

	if (g->io)
		return 0;
	if (g->stepped) {
		/* One move at a time: what a stepped run can show is who was in bytecode together. */
		v->ok = 1;
		snprintf(v->summary, sizeof v->summary,
		         _("%s; a stepped run moves one actor at a time, so its parallelism (%.2f) "
		         "means nothing: run it free (g) to measure it"),
		         turns ? turns : _("the workers were in bytecode together (no shared GIL)"),
		         g->parallelism);
	} else if (p[P_WORK_MS] < GIL_MEASURE_MS) {
		v->ok = 1;
		snprintf(v->summary, sizeof v->summary,
		         _("%s; %ld ms of work is too short to measure parallelism (%.2f): start-up "
		         "dominates. Raise work_ms to see it"),
		         turns ? turns : _("no shared GIL held them back"), p[P_WORK_MS], g->parallelism);
	} else if (g->cores < 2) {
		/* The figure cannot carry the lesson: an outcome of its own, not "as expected". */
		v->ok = -1;
		snprintf(v->summary, sizeof v->summary,
		         _("could not show: this machine has 1 core, so nothing can run in "
		         "parallel (parallelism %.2f)"), g->parallelism);
	} else if (g->parallelism < g->want * 0.6) {
		v->ok = -1;
		snprintf(v->summary, sizeof v->summary,
		         _("could not show: parallelism %.2f where about %.1f was expected; the "
		         "machine was too busy (other programs had the cores). %sRun it again "
		         "on a quieter machine"), g->parallelism, g->want,
		         g->locked ? _("The GIL still never had 2 holders. ") : "");
	} else {
		return 0;
	}
	return 1;
}

/* A finished run the figures can speak for: what it shows. */
static void
gil_shown(const long *p, const struct gil_figures *g, struct ls_verdict *v)
{
	const struct gil_fold *f = g->f;

	v->ok = 1;
	if (g->io)
		snprintf(v->summary, sizeof v->summary,
		         _("%ld %s waited %.0f ms in all within %.0f ms (overlap %.2f): the GIL is "
		         "released during blocking I/O, so waiting threads do not queue behind it"),
		         g->workers, g->who, g->wait_ms, g->wall_ms, g->overlap);
	else if (g->locked)
		snprintf(v->summary, sizeof v->summary,
		         _("the GIL passed %ld time%s (turns of %.1f ms, interval %s), never 2 holders: "
		         "parallelism %.2f of %ld cores; CPU-bound threads took turns, not cores"),
		         f->switches, f->switches == 1 ? "" : "s", g->mean_hold,
		         p[P_INTERVAL] == 1 ? _("in ticks, Python 2") : _("by time, Python 3"),
		         g->parallelism, g->cores);
	else
		snprintf(v->summary, sizeof v->summary,
		         _("%s: parallelism %.2f of %ld cores (up to %ld in bytecode at once)%s"),
		         g->processes ? _("each process is its own interpreter with its own GIL")
		                      : _("no GIL: threads ran bytecode together"),
		         g->parallelism, g->cores, f->max_running,
		         g->processes ? _("; that is why multiprocessing uses many cores") : "");
}

static void
gil_figures_out(const struct gil_figures *g, struct ls_verdict *v)
{
	const struct gil_fold *f = g->f;

	ls_verdict_figure(v, "wall_ms", g->wall_ms);
	ls_verdict_figure(v, "cpu_ms", g->cpu_ms);
	ls_verdict_figure(v, "parallelism", g->parallelism);
	ls_verdict_figure(v, "overlap", g->overlap);
	ls_verdict_figure(v, "switches", (double)f->switches);
	ls_verdict_figure(v, "max_holders", (double)f->max_holders);
	ls_verdict_figure(v, "max_running", (double)f->max_running);
	ls_verdict_figure(v, "acquisitions", (double)f->acquisitions);
	ls_verdict_figure(v, "mean_hold_ms", g->mean_hold);
	ls_verdict_figure(v, "retakes", (double)f->retakes);
	ls_verdict_figure(v, "regains", (double)f->regains);
	ls_verdict_figure(v, "cores", (double)g->cores);
}

static void
gil_verdict(const struct ls_model *m, const long *p, struct ls_verdict *v)
{
	struct gil_figures g;
	const struct gil_fold *f;
	int exclusive;

	gil_measure(m, p, &g);
	f = g.f;
	gil_expected(p, &g, v);
	gil_observed(&g, v);
	exclusive = f->max_holders <= 1 && (!g.locked || f->max_running <= 1) &&
	            (p[P_INTERVAL] == 1 || f->regains == 0);
	if (!ls_model_finished(m)) {
		v->ok = -1;
		snprintf(v->summary, sizeof v->summary, _("running: %ld tick%s of bytecode, %ld hand-off%s"),
		         ls_model_var(m, "bytecodes"), ls_model_var(m, "bytecodes") == 1 ? "" : "s",
		         f->switches, f->switches == 1 ? "" : "s");
	} else if (!exclusive) {
		v->ok = 0;
		snprintf(v->summary, sizeof v->summary,
		         _("the GIL failed: %d holders at once, %ld in bytecode at once, %ld drops won back"),
		         f->max_holders, f->max_running, f->regains);
	} else if (!gil_unmeasured(p, &g, v)) {
		gil_shown(p, &g, v);
	}
	gil_figures_out(&g, v);
}

/*
 * The walkthrough: two CPU-bound threads, a switch interval of one tick.
 * T1 holds the GIL, T2 asks for it, and at its next check T1 drops it and
 * waits until T2 has taken it.
 */
static const struct ls_walk_step gil_walk_steps[] = {
	{ "T1", N_("T1 asks for the GIL: drop_request = 1.") },
	{ "T1", N_("T1 takes the gil mutex: nobody held it.") },
	{ "T1", N_("T1's request is met, so it lowers drop_request back to 0.") },
	{ "T1", N_("T1 bumps switch_number: one more thread has taken the GIL.") },
	{ "T1", N_("T1 notifies switch_cond, where a thread that gave the GIL up would "
	        "wait. Nobody waits there yet.") },
	{ "T1", N_("T1 enters bytecode: in_bytecode = 1. It computes one tick.") },
	{ "T2", N_("T2 asks for the GIL: drop_request = 1. Its next line takes the gil "
	        "mutex, which T1 holds.") },
	{ NULL, N_("T2 cannot take a step: it is blocked at ls_lock(gil) until T1 lets go. "
	        "T2 does not compute meanwhile.") },
	{ "T1", N_("T1 has finished a tick of bytecode: bytecodes = 1. Its switch interval "
	        "is one tick, so it checks.") },
	{ "T1", N_("T1 reads drop_request: 1. Someone is asking, so T1 must drop the GIL.") },
	{ "T1", N_("T1 leaves bytecode: in_bytecode = 0.") },
	{ "T1", N_("T1 adds up how long it held the GIL (held_us).") },
	{ "T1", N_("T1 will want the GIL back, so it asks too: drop_request = 2.") },
	{ "T1", N_("T1 notes switch_number (1), to know when someone else has taken it.") },
	{ "T1", N_("T1 waits on switch_cond. The wait releases the gil mutex: the GIL is "
	        "free.") },
	{ "T2", N_("T2 takes the gil mutex at last.") },
	{ "T2", N_("T2's request is met: drop_request = 1, only T1's is left.") },
	{ "T2", N_("T2 bumps switch_number to 2: the GIL has changed hands.") },
	{ "T2", N_("T2 notifies switch_cond: T1 is woken, but cannot take the gil mutex "
	        "back while T2 holds it.") },
	{ "T2", N_("T2 enters bytecode: in_bytecode = 1. Still only one thread computes.") },
	{ "T2", N_("T2 computes its first tick: bytecodes = 2.") },
	{ "T2", N_("T2's interval is up. It reads drop_request: T1 asks, so T2 must drop the "
	        "GIL in its turn.") },
	{ "T2", N_("T2 leaves bytecode: in_bytecode = 0.") },
	{ "T2", N_("T2 adds up how long it held the GIL.") },
	{ "T2", N_("T2 will want the GIL back: drop_request = 2.") },
	{ "T2", N_("T2 notes switch_number (2).") },
	{ "T2", N_("T2 waits on switch_cond, which releases the gil mutex.") },
	{ "T1", N_("T1, woken earlier, takes the gil mutex back as its wait returns.") },
	{ "T1", N_("T1 reads switch_number: 2, not the 1 it noted. Someone else had the GIL, "
	        "so T1 stops waiting.") },
	{ "T1", N_("T1's request is met: drop_request = 1, T2's is left.") },
	{ "T1", N_("T1 bumps switch_number to 3.") },
	{ "T1", N_("T1 notifies switch_cond: T2 wakes, and waits for the mutex.") },
	{ "T1", N_("T1 enters bytecode again: in_bytecode = 1.") },
	{ "T1", N_("T1 computes its second and last tick: bytecodes = 3.") },
	{ "T1", N_("T1 leaves bytecode: in_bytecode = 0.") },
	{ "T1", N_("T1 adds up its second turn.") },
	{ "T1", N_("T1 releases the GIL: its work is done.") },
	{ "T1", N_("T1 records its CPU time and finishes.") },
	{ "T2", N_("T2's wait returns with the gil mutex.") },
	{ "T2", N_("T2 reads switch_number: 3, so someone else had it. T2 stops waiting.") },
	{ "T2", N_("T2's request is met: drop_request = 0. Nobody else asks.") },
	{ "T2", N_("T2 bumps switch_number to 4.") },
	{ "T2", N_("T2 notifies switch_cond. Nobody waits there now.") },
	{ "T2", N_("T2 enters bytecode: in_bytecode = 1.") },
	{ "T2", N_("T2 computes its last tick: bytecodes = 4.") },
	{ "T2", N_("T2 leaves bytecode: in_bytecode = 0.") },
	{ "T2", N_("T2 adds up its turn.") },
	{ "T2", N_("T2 releases the GIL.") },
	{ "T2", N_("T2 records its CPU time and finishes: four ticks were computed, one "
	        "at a time.") },
};

static const struct ls_walkthrough gil_walkthroughs[] = {
	{ .title = N_("Asked to, the holder drops the GIL"),
	  .params = "workers=2 work=cpu gil=on interval=time switch_ms=1 tick_us=1000 work_ms=2",
	  .steps = gil_walk_steps,
	  .nsteps = sizeof gil_walk_steps / sizeof gil_walk_steps[0],
	  .ending = N_("The GIL passed from T1 to T2 because T2 asked and T1 checked at its "
	            "switch interval. T1 then waited until T2 had it, so it could not win "
	            "it straight back. T2 then gave it back to T1 the same way: the threads "
	            "took turns, never two in bytecode at once, so two CPU-bound threads "
	            "used one core between them.") },
};

/* The challenges: the walkthrough's two CPU-bound threads. */
/* Handed over while both still have work: a forced switch, not the end of one. */
static int
gil_handed_over(const struct ls_model *m, const long *p)
{
	const struct gil_fold *f = ls_model_fold_state(m);

	(void)p;
	return f && f->switches >= 1 && m->ndone == 0;
}

static int
gil_handed_over_lost(const struct ls_model *m, const long *p)
{
	return m->ndone > 0 && !gil_handed_over(m, p);
}

static int
gil_two_running(const struct ls_model *m, const long *p)
{
	const struct gil_fold *f = ls_model_fold_state(m);

	(void)p;
	return f && f->max_running >= 2;
}

static const struct ls_challenge gil_challenges[] = {
	{ .title = N_("Make the GIL change hands before either thread is done"),
	  .params = "workers=2 work=cpu gil=on interval=time switch_ms=1 tick_us=1000 work_ms=3",
	  .hint = N_("the holder lets go only when the other asks, at its next check"),
	  .win = "T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 T2 T2",
	  .lose = "T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 T1",
	  .met = gil_handed_over, .lost = gil_handed_over_lost },
	{ .title = N_("With the GIL on, get both threads running bytecode at once"),
	  .params = "workers=2 work=cpu gil=on interval=time switch_ms=1 tick_us=1000 work_ms=2",
	  .lose = "",
	  .met = gil_two_running, .impossible = 1 },
};

/* Small sizes the explorer's tests search whole (tests/check_explore_reduce.c). */
static const struct ls_explore_case gil_explore_cases[] = {
	{ .params = "workers=2 work_ms=1 tick_us=1000 switch_ms=1", .timed = 1 },
};

const struct ls_scenario ls_scenario_gil = {
	.name = "gil",
	.position = 60,
	.title = N_("The GIL: CPU-bound threads take turns, processes do not"),
	.seed = "000/001/004: the GIL (100 bytecodes per turn, one core for 100 threads)",
	.lesson =
		N_("CPython runs Python bytecode only while holding the global interpreter "
		"lock, the GIL. Here it is built from a real mutex, a condition and two "
		"counters. A worker holds the GIL while it computes; every switch interval "
		"(5 ms) it looks whether another thread asks (drop_request). If so it drops "
		"the GIL and waits until someone else has taken it, so the threads take "
		"turns. With two CPU-bound threads on two cores only one computes at any "
		"moment: CPU time divided by wall time, the parallelism, stays near 1.0. "
		"Turn the GIL off and the same threads run on both cores at once, "
		"parallelism near 2.0. Run them as processes (--actors=processes) and each "
		"is its own interpreter with its own GIL that nobody else wants: that is "
		"why multiprocessing, not threading, speeds up computing in Python. With "
		"work=io a thread gives the GIL up while it waits for I/O, so I/O-bound "
		"threads overlap their waits even with the GIL. interval=ticks is Python "
		"2's rule: release every 100 ticks and grab it straight back, which on a "
		"multi-core machine the same thread usually wins. The GIL protects the "
		"interpreter's own data, not yours: your x = x + 1 still needs a lock."),
	.params = gil_params,
	.nparams = LS_NPARAMS(gil_params),
	.roles = gil_roles,
	.nroles = sizeof gil_roles / sizeof gil_roles[0],
	.kind = LS_ACTORS_THREADS,
	.toggle_param = P_GIL,
	.state_size = sizeof(struct gil),
	.setup = gil_setup,
	.verdict = gil_verdict,
	.fold_size = sizeof(struct gil_fold),
	.fold = gil_fold,
	.walkthroughs = gil_walkthroughs,
	.nwalkthroughs = sizeof gil_walkthroughs / sizeof gil_walkthroughs[0],
	.challenges = gil_challenges,
	.nchallenges = sizeof gil_challenges / sizeof gil_challenges[0],
	.explore_cases = gil_explore_cases,
	.nexplore_cases = sizeof gil_explore_cases / sizeof gil_explore_cases[0],
};
