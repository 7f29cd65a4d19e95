/*
 * explore.h - run a scenario once per schedule, enumerating its
 * interleavings: a stateless depth-first search over the real code, each
 * execution a fresh controlled run (LS_POLICY_STEP) that replays the chosen
 * prefix and then extends it.
 *
 * A step is one probe: the actor performs its pending operation and runs to
 * its next probe.  Two depositors without delay (load, store each) have
 * C(4,2) = 6 schedules; with the 10 ms sleep (load, sleep, store) C(6,3) = 20.
 *
 * Pruning (on by default): sleep sets.  Two pending operations of different
 * actors are independent when they touch different objects, when both only
 * read the same object (two loads, two event tests or waits), or when one of
 * them is a sleep (logical under control: it touches nothing).  Schedules
 * that differ only by swapping adjacent independent steps end in the same
 * state, so one of them is run.  Scenarios with a fold see the order of
 * every event, so for them nothing is independent and nothing is pruned.
 *
 * Preemption bounding (CHESS): with bound K, only schedules that switch away
 * from a still-enabled actor at most K times are run.
 *
 * State caching (reduce, on by default; `explore --no-reduce` for sleep sets alone): after each
 * step the run's state is keyed (explore/state.h); a state reached again
 * is not searched below a second time, and actors of a symmetric role that
 * stand in the same place are moved once for all of them.  Sleep sets are
 * off then: a state first reached with a sleep set would have skipped
 * moves that a later path to it needs, and counting needs every move.  The
 * explored states form a DAG, and the number of schedules from a state is
 * the sum over its moves (times how many interchangeable actors each
 * stands for) of the numbers from the states they lead to, memoized per
 * outcome: so each outcome's exact number of schedules comes out of far
 * fewer executions.  Under a bound, the actor of the last step and the
 * preemptions used are part of the key, so the bounded space is searched
 * whole.  Deposit, no delay: 6 executions for the 90 schedules of 3
 * depositors, 79 for the 113,400 of 5.
 *
 * Schedules per outcome (ls_outcome.schedules): unpruned, one per run;
 * with state caching, counted on the DAG; with sleep sets, the number of
 * orders of each run's steps that keep every pair of dependent steps in
 * place (its Mazurkiewicz trace's linearisations), counted per run.  Either
 * way they are the interleavings an unpruned search would run to each
 * outcome, and their shares the outcome's true frequency under a uniformly
 * random choice of schedule.
 */
#ifndef LS_EXPLORE_H
#define LS_EXPLORE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/run.h"
#include "lockstep/scenario.h"
#include "engine/schedule.h"

struct ls_explore_result;

struct ls_explore_opts {
	enum ls_actor_kind kind;
	int bound;          /* preemptions allowed; < 0: unbounded */
	long max_runs;      /* stop after this many executions; <= 0: no limit */
	long max_steps;     /* abandon an execution this long (actors that spin
	                     * on a flag never end under a starving schedule) */
	int prune;          /* 0: every schedule; else sleep sets, or reduce */
	int reduce;         /* with prune: state caching (and symmetry) instead
	                     * of sleep sets */
	int symmetry;       /* with reduce: honour symmetric roles (default 1) */
	/*
	 * Called before each execution with the results so far (live progress
	 * for the TUI); a non-zero return stops the search, which then counts
	 * as interrupted.  NULL: none.
	 */
	int (*progress)(void *arg, const struct ls_explore_result *sofar);
	void *progress_arg;
	/*
	 * Called after every step of every execution with its run, as it
	 * stands (a challenge tests its goal there: a state, not only an end);
	 * a non-zero return stops the search, which then counts as
	 * interrupted.  NULL: none.
	 */
	int (*each_step)(void *arg, const struct ls_run *r);
	void *each_step_arg;
	uint32_t ring_cap;  /* 0 = the run's default */
};

void ls_explore_opts_default(struct ls_explore_opts *o, const struct ls_scenario *s);

/* A distinct end state: every variable's final value, deadlock, verdict. */
struct ls_outcome {
	long vars[LS_MAX_OBJS];  /* in the order of ls_explore_result.var_ids */
	int ok;                  /* verdict: 1, 0, or -1 undecided */
	int deadlock;
	int raced;               /* some run reaching it had a data race */
	long count;              /* runs that reached it */
	/*
	 * Schedules (interleavings) that end here: what an unpruned search
	 * would count.  Saturates at UINT64_MAX (ls_explore_result says when).
	 */
	uint64_t schedules;
	struct ls_schedule witness;  /* the first of them */
};

struct ls_explore_result {
	long runs;           /* complete executions */
	long pruned;         /* branches the sleep sets cut */
	long blocked;        /* executions abandoned: every enabled actor slept */
	long diverged;       /* replays that did not go as before (nondeterminism) */
	long crashed;        /* executions in which an actor died (a fault, or
	                      * killed from outside): no outcome */
	long too_long;       /* executions abandoned at max_steps */
	long merged;         /* executions stopped at a state already explored */
	long states;         /* distinct states explored (reduce) */
	uint64_t schedules;  /* sum of the outcomes' schedules */
	uint64_t schedules_too_long;  /* schedules abandoned at max_steps (reduce) */
	int schedules_exact; /* 1: the schedule counts are exact (else a run's
	                      * trace was too large to count: then 1 per run) */
	int schedules_saturated;  /* some count passed UINT64_MAX */
	int interrupted;     /* stopped by a signal */
	int complete;        /* every schedule (within the bound) was covered */
	int nvars;
	int var_ids[LS_MAX_OBJS];
	char var_names[LS_MAX_OBJS][LS_NAME_MAX];
	int nactors;
	char (*actor_names)[LS_ACTOR_NAME_MAX];
	struct ls_outcome *outcomes;
	size_t noutcomes;
	double elapsed_ms;
};

/*
 * Explore.  Returns 0 (res filled; free it with ls_explore_result_free),
 * or -1 with err when no run could be made at all.
 */
int ls_explore(const struct ls_scenario *s, const long *params,
               const struct ls_explore_opts *o, struct ls_explore_result *res,
               char *err, size_t len);
void ls_explore_result_free(struct ls_explore_result *res);
/* Executions made, however each ended (what max_runs counts). */
long ls_explore_executions(const struct ls_explore_result *res);
/* "T1 T2 T1" into buf. */
void ls_explore_format_schedule(const struct ls_explore_result *res,
                                const struct ls_schedule *s, char *buf, size_t len);

#endif
