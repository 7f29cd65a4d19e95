/*
 * scenario.h - what a lesson is.  Each scenarios/NAME.c defines one const
 * struct ls_scenario ls_scenario_NAME and nothing else public; the registry
 * is generated from the files (doc/scenarios.md).  Adding a lesson never
 * edits src/.
 */
#ifndef LS_SCENARIO_H
#define LS_SCENARIO_H

#include <stddef.h>

struct ls_world;
struct ls_model;
struct ls_event;

enum ls_actor_kind {
	LS_ACTORS_THREADS,
	LS_ACTORS_PROCESSES,
};

/*
 * A parameter: an integer in [min, max].  When choices is set, the value is an
 * index into it and the user may write the name instead (lock=mutex);
 * choices has max - min + 1 entries and is NULL-terminated.
 */
struct ls_param_desc {
	const char *name;
	const char *help;
	long def;
	long min;
	long max;
	const char *const *choices;
};

/*
 * The most parameters a scenario may have: the engine and the views keep
 * values in arrays of this size (long params[LS_PARAMS_MAX]).  A descriptor
 * counts its table with LS_NPARAMS(), which fails to compile when a lesson
 * outgrows it, so raising this is the only fix and can't be forgotten.
 */
#define LS_PARAMS_MAX 32
#define LS_NPARAMS(table) \
	((int)(sizeof(table) / sizeof((table)[0]) + 0 * sizeof(struct { \
		_Static_assert(sizeof(table) / sizeof((table)[0]) <= LS_PARAMS_MAX, \
		               "a scenario has more parameters than LS_PARAMS_MAX"); \
		int ok; })))

/* What an actor's body sees. */
struct ls_actor_ctx {
	void *state;            /* the scenario's state, in the shared world */
	const long *params;     /* values, in the descriptor's order */
	int id;                 /* 0-based over all actors */
	int role;               /* index into roles */
	int index;              /* 0-based within the role */
	const char *name;       /* "T1", "P17", "light" */
	enum ls_actor_kind kind;  /* what this run's actors are */
};

struct ls_role_desc {
	const char *name;       /* "depositor" */
	const char *prefix;     /* actor names: prefix + 1-based index ("T1") */
	void (*body)(struct ls_actor_ctx *ctx);
	int count_param;        /* index of the parameter giving the count, or -1 */
	int count;              /* fixed count when count_param is -1 */
	int single;             /* one actor named just prefix ("light") */
	/*
	 * 1: this role's actors are interchangeable.  Their body never uses
	 * ctx->id, ctx->index or ctx->name (not even in what it says), the
	 * fold keeps no per-actor record of them, and the verdict treats them
	 * alike.  The explorer then takes states that differ only by a
	 * permutation of them for one state, and moves one of several such
	 * actors that stand in the same place for all of them.  Actors whose
	 * histories differ (what they read, what they said) are never merged,
	 * so a role that names its actors in said lines must leave this 0:
	 * the lines would be told apart, but the verdict could not.
	 */
	int symmetric;
	/*
	 * 1: the engine does not start this role's actor (count 1); another
	 * actor's ls_fork() makes it, as a real copy of its own process.
	 */
	int forked;
	/*
	 * 1: slots for actors another actor may start (a Python program's
	 * threads): an actor of this role that never started is not listed.
	 */
	int unlisted;
	/*
	 * A daemon (Python's daemon=True): the run does not wait for it.  Once
	 * every non-daemon actor is done, the daemons still running are cut
	 * off where they are, as Python ends daemon threads and processes with
	 * the main program, and the run is finished.
	 */
	int daemon;
	/* Optional: daemon only in some variants (002 makes its consumers
	 * daemons in the JoinableQueue program only); when set, it decides
	 * instead of daemon. */
	int (*daemon_if)(const long *params);
};

#define LS_FIGURES_MAX 12

/* Expected against observed, in words, plus the figures they rest on. */
struct ls_verdict {
	int ok;                 /* 1 as expected, 0 not, -1 not decided yet */
	char expected[160];
	char observed[160];
	char summary[320];
	/* Set by a lesson whose verdict speaks of its crashed actors itself
	 * (one that kills an actor on purpose); otherwise a crashed actor makes
	 * the engine name it in the summary and the run not as expected. */
	int crash_told;
	int nfigures;
	struct { char name[24]; double value; } figures[LS_FIGURES_MAX];
};

/*
 * A walkthrough: a curated stepped run with a sentence per step, shown by
 * the TUI ('w', or `lockstep open NAME --walkthrough`).  Data only, written
 * beside the descriptor: params sets the run (the others keep their
 * defaults), each step names the actor that moves, and ending explains the
 * verdict once the run is over.
 */
struct ls_walk_step {
	const char *actor;      /* "T1": it moves one operation; NULL: nobody moves */
	const char *say;        /* what this step shows */
};

struct ls_walkthrough {
	const char *title;      /* "Without a lock: a deposit vanishes" */
	const char *params;     /* "depositors=2 delay_ms=10 locked=0" */
	const struct ls_walk_step *steps;
	int nsteps;
	const char *ending;
};

/*
 * A challenge: a goal the student reaches by choosing the schedule, as in
 * the Deadlock Empire, on the real threads.  Data beside the descriptor:
 * params sets the run (the others keep their defaults); met reads the model
 * after every step and says the goal is reached; lost, when given, says it
 * cannot be reached any more from here (it must never say so of a state
 * from which some schedule still wins).  impossible marks a goal that no
 * schedule reaches at these parameters: the explorer proves it (every
 * schedule tried, none met it), and the tests hold the claim to that.
 * `lockstep challenge NAME N --schedule-file=F` grades a schedule.
 *
 * win and lose are the solution tests/check_challenge.c grades, actor names
 * as a schedule file has them: win meets the goal (given exactly when the
 * goal is not impossible), lose does not ("" the empty schedule; NULL when
 * no schedule loses, as when every order deadlocks).
 */
struct ls_challenge {
	const char *title;      /* "Make 3 deposits end at 1 yuan" */
	const char *params;     /* "depositors=3 amount=1 delay_ms=0 locked=0" */
	const char *hint;       /* a sentence of help, or NULL */
	int (*met)(const struct ls_model *m, const long *params);
	int (*lost)(const struct ls_model *m, const long *params);   /* NULL: only the end */
	int impossible;
	const char *win;        /* "T1 T2 T1 T3 T3 T2"; NULL when impossible */
	const char *lose;       /* "T1 T1 T2 T2 T3 T3", "", or NULL: none loses */
};

/*
 * A small configuration the explorer's tests search whole
 * (tests/check_explore_reduce.c): its reductions (sleep sets, state caching
 * with and without symmetry) must find exactly the unpruned search's
 * outcomes, and as many schedules for each.  Every lesson has at least one.
 */
struct ls_explore_case {
	const char *params;     /* "depositors=3 delay_ms=0": the others keep their defaults */
	long max_steps;         /* 0: the explorer's default; bounds actors that spin */
	/* 1: the lesson publishes measured times in its variables (the GIL's
	 * cpu_us), so only verdicts, deadlocks and totals are compared. */
	int timed;
	/*
	 * 1: compare the sets of outcomes only, not how many schedules reach
	 * each.  KNOWN GAP: a pipe send or receive that blocks in the kernel
	 * parks its actor mid-operation, which trace and state counting do not
	 * count exactly yet.
	 */
	int outcomes_only;
	/* 1: the whole space is beyond the unpruned search; search it under a
	 * preemption bound of `bound` instead. */
	int bounded;
	int bound;
};

struct ls_scenario {
	const char *name;       /* command-line name, also the file name */
	/* Where the menu lists it: the registry is sorted by it.  Written as
	 * ".position = N," on a line of its own, which scenarios/lessons.sh reads. */
	int position;
	const char *title;      /* one line for the menu */
	const char *seed;       /* the tutorial program it mirrors */
	const char *lesson;     /* a few paragraphs, plain text */
	const struct ls_param_desc *params;
	int nparams;
	const struct ls_role_desc *roles;
	int nroles;
	enum ls_actor_kind kind;        /* default actor kind */
	int toggle_param;               /* the variant the 'l' key cycles, or -1 */
	size_t state_size;              /* bytes of state allocated in the world */
	/* 1: an actor execs a program that maps the world (a Python program
	 * under the runner): the world lives in a memory file. */
	int world_file;
	/* Allocate the named shared objects; 0 or -1 with err filled. */
	int (*setup)(struct ls_world *w, void *state, const long *params,
	             char *err, size_t errlen);
	/* Read the model (never the world) and say expected against observed. */
	void (*verdict)(const struct ls_model *m, const long *params,
	                struct ls_verdict *v);
	/*
	 * Optional: the scenario's own fold over the trace, for invariants and
	 * counts the generic model does not keep (drives on red, holders at
	 * once).  Called by ls_model_apply() after the generic fold, for every
	 * event, with fold_size zeroed bytes of state; the verdict reads them
	 * back with ls_model_fold_state().  Pure: no clocks, no world, no I/O.
	 */
	size_t fold_size;
	void (*fold)(void *acc, const struct ls_model *m, const long *params,
	             const struct ls_event *e);
	/* Optional: narrated walkthroughs (NULL and 0: none). */
	const struct ls_walkthrough *walkthroughs;
	int nwalkthroughs;
	/* Optional: goals for the student (NULL and 0: none). */
	const struct ls_challenge *challenges;
	int nchallenges;
	/* Small sizes for the explorer's tests (at least one). */
	const struct ls_explore_case *explore_cases;
	int nexplore_cases;
};

/* The registry: NULL-terminated, in menu order.  Generated from the lessons
 * in scenarios/ (scenarios/lessons.sh, scenarios/embed.sh): a new
 * scenarios/NAME.c is in it without editing a list. */
extern const struct ls_scenario *const ls_scenarios[];
const struct ls_scenario *ls_scenario_find(const char *name);
/* The scenario's own source text, embedded at build time; NULL if absent. */
const char *ls_scenario_source(const char *name);
/* The lesson's Python program (scenarios/python/NAME.py), embedded the same
 * way; NULL if absent. */
const char *ls_scenario_python(const char *name);

/*
 * The lesson's text for these parameters: a whole number that is the
 * default of a role's count parameter ("100 threads") reads as the count
 * chosen ("3 threads"); params NULL: as written.  Returns its length.
 */
size_t ls_scenario_lesson(const struct ls_scenario *s, const long *params, char *buf,
                          size_t len);
/* A stepped run's class size: what `lockstep open` gives a role's count
 * parameter that was not set, so a class can follow every actor. */
#define LS_CLASS_SIZE 3

/* Helpers for descriptors and verdicts. */
int ls_scenario_actor_count(const struct ls_scenario *s, const long *params);
int ls_scenario_param_index(const struct ls_scenario *s, const char *name);
/* Are this role's actors daemons with these parameters? */
int ls_scenario_role_daemon(const struct ls_scenario *s, int role, const long *params);
void ls_verdict_figure(struct ls_verdict *v, const char *name, double value);

#endif
