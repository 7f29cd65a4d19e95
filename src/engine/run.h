/*
 * run.h - one run of a scenario: its world, its actors, its model and the
 * controller deciding who moves.  The views drive a run through this API
 * and read it only through its model.
 *
 * Threading: a run is driven from one thread (the program's main thread).
 * Process actors are forked from that thread while the program has no other
 * threads, as fork() from a multi-threaded process is hazardous.
 */
#ifndef LS_RUN_H
#define LS_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "lockstep/model.h"
#include "model/race.h"
#include "lockstep/scenario.h"
#include "engine/policy.h"
#include "engine/schedule.h"

enum ls_run_status {
	LS_RUN_READY,       /* created, actors not started */
	LS_RUN_RUNNING,
	LS_RUN_FINISHED,    /* every actor returned or crashed */
	LS_RUN_DEADLOCK,    /* no actor can proceed, some unfinished */
	LS_RUN_ABORTED,     /* stopped by the user or a signal */
	LS_RUN_DIVERGED,    /* a replayed schedule picked an actor that cannot move */
};

struct ls_run_opts {
	enum ls_actor_kind kind;
	enum ls_policy policy;
	uint64_t seed;
	const struct ls_schedule *replay;  /* for LS_POLICY_REPLAY; copied */
	unsigned slowmo_pct;               /* free mode: 100 = the scenario's own sleeps */
	uint32_t ring_cap;                 /* 0 = default */
	/* Thread actors: keep their threads alive for the next run (the
	 * explorer's many short runs) instead of joining them; whoever sets
	 * it calls ls_actor_pool_drain() when it is done. */
	int keep_actors;
};

void ls_run_opts_default(struct ls_run_opts *o, const struct ls_scenario *s);

struct ls_run;

/* Create the world and run the scenario's setup.  NULL with err on failure. */
struct ls_run *ls_run_new(const struct ls_scenario *s, const long *params,
                          const struct ls_run_opts *opts, char *err, size_t len);
/*
 * Spawn the actors.  In controlled policies they park at their first probe.
 * A signal caught meanwhile stops the spawning: 0 is returned with the run
 * ABORTED, and the caller's signal check does the rest.
 */
int ls_run_start(struct ls_run *r, char *err, size_t len);
/*
 * Advance for at most budget_ms: drain the rings into the model and, under
 * random or replay, take steps.  Returns the status afterwards.
 */
enum ls_run_status ls_run_poll(struct ls_run *r, int budget_ms);
/* Run to the end (headless).  Returns the final status. */
enum ls_run_status ls_run_finish(struct ls_run *r);
/*
 * Controlled modes: let one actor run to its next probe.  actor < 0 takes the
 * policy's pick.  Returns the actor that moved, or -1 when none could.
 */
int ls_run_step(struct ls_run *r, int actor);
/* Switch policy mid-run (free <-> step).  Parked actors are released for free. */
void ls_run_set_policy(struct ls_run *r, enum ls_policy p);
void ls_run_set_slowmo(struct ls_run *r, unsigned pct);
/*
 * Process-wide: every long wait inside a run (a step waiting for its actor,
 * settling) also gives up when fn(arg) returns nonzero, once it has waited
 * 200 ms.  The TUI passes "a key is waiting", so q is answered even while
 * an actor does not.  Signals caught by cleanup.c always cut a wait short.
 * A waited-for actor that is stopped (2 s) or silent (10 s) ends the run as
 * ABORTED, with the reason in ls_run_reason().
 */
void ls_run_set_interrupt(int (*fn)(void *), void *arg);
/* Stop every actor now; the run's status becomes ABORTED. */
void ls_run_abort(struct ls_run *r);
/* Abort if needed, join threads, reap children, remove files, unmap. */
void ls_run_free(struct ls_run *r);

enum ls_run_status ls_run_status(const struct ls_run *r);
const char *ls_run_status_name(enum ls_run_status st);
const struct ls_model *ls_run_model(const struct ls_run *r);
const struct ls_scenario *ls_run_scenario(const struct ls_run *r);
const long *ls_run_params(const struct ls_run *r);
enum ls_policy ls_run_policy(const struct ls_run *r);
enum ls_actor_kind ls_run_kind(const struct ls_run *r);
uint64_t ls_run_seed(const struct ls_run *r);
unsigned ls_run_slowmo(const struct ls_run *r);
/* The picks so far (controlled modes). */
const struct ls_schedule *ls_run_schedule(const struct ls_run *r);
const char *const *ls_run_actor_names(const struct ls_run *r);
int ls_run_actor_count(const struct ls_run *r);
/* pid (processes) or tid (threads) of an actor, 0 before it started. */
int ls_run_actor_os_id(const struct ls_run *r, int actor);
/*
 * Controlled modes: wait until every actor is parked or done (as
 * ls_run_step() does), then write the actors that can move now to out in
 * ascending order.  Returns how many (at most max); 0 once the run ended.
 */
int ls_run_enabled(struct ls_run *r, int *out, int max);
/* The data races found in the events so far (see race.h). */
size_t ls_run_races(const struct ls_run *r, const struct ls_race **out);
/* Call fn after every event the model applies (see ls_model_watch). */
int ls_run_watch(struct ls_run *r, ls_model_watcher fn, void *ctx);
/* Keep every applied event (call before ls_run_start): for trace export. */
void ls_run_keep_events(struct ls_run *r);
/* The events kept, in the order the model saw them. */
size_t ls_run_events(const struct ls_run *r, const struct ls_event **out);
/* The actor the policy would pick next, or -1. */
int ls_run_next_pick(const struct ls_run *r);
/* Why the run stopped (deadlock description, divergence), or "". */
const char *ls_run_reason(const struct ls_run *r);
double ls_run_elapsed_ms(const struct ls_run *r);
void ls_run_verdict(const struct ls_run *r, struct ls_verdict *v);
/* The crashed actors as "T3 (SIGKILL), T5 (SIGSEGV)" in buf; how many. */
int  ls_run_crashed(const struct ls_run *r, char *buf, size_t len);
int ls_run_save_schedule(const struct ls_run *r, const char *path, char *err, size_t len);

/*
 * What object obj's flag means in the lesson when it is flag (1 set, 0
 * clear): the scenario's word (ls_event_words), else "set" or "clear".
 */
const char *ls_run_flag_word(const struct ls_run *r, int obj, long flag);
/*
 * A replay whose schedule is used up: 1 with *len its steps, once every
 * step has been taken (the run goes on in the lowest-numbered actor's
 * order); 0 otherwise, and for other policies.
 */
int ls_run_replay_ended(const struct ls_run *r, size_t *len);

#endif
