/*
 * challenge.h - a scenario's challenges played against a run: the run's
 * parameters from the challenge's line, the goal checked after every step
 * (met, or lost: no schedule can meet it any more from here), the winning
 * schedule kept, a schedule file graded, and an impossible goal proven by
 * the explorer.  No UI here: the TUI, `lockstep challenge` and
 * tests/check_challenge.c all go through it, so what the tests grade is
 * what the screen says.
 *
 * Like run.h, a challenge is driven from the one thread that drives its run.
 */
#ifndef LS_CHALLENGE_H
#define LS_CHALLENGE_H

#include <stddef.h>

#include "engine/run.h"
#include "engine/schedule.h"
#include "lockstep/scenario.h"

enum ls_challenge_state {
	LS_CHALLENGE_OPEN,          /* not met yet, still possible */
	LS_CHALLENGE_MET,           /* met: stays met, the winning schedule kept */
	LS_CHALLENGE_LOST,          /* cannot be met any more on this run */
};

struct ls_challenge_play {
	const struct ls_scenario *s;
	const struct ls_challenge *c;
	int which;                  /* its index in s->challenges */
	enum ls_challenge_state state;
	size_t steps;               /* the run's steps when it was decided */
	struct ls_schedule win;     /* met: the steps that met it */
};

/*
 * The run's parameters for challenge which of s: the defaults, then its
 * params line.  -1 with err (naming the word that is wrong) on failure.
 */
int ls_challenge_params(const struct ls_scenario *s, int which, long *out, char *err,
                        size_t len);
/* Start playing challenge which of s; -1 if s has no such challenge. */
int ls_challenge_init(struct ls_challenge_play *p, const struct ls_scenario *s, int which);
void ls_challenge_clear(struct ls_challenge_play *p);
/* Back to OPEN with nothing won (the run was made again). */
void ls_challenge_restart(struct ls_challenge_play *p);
/*
 * After a step: test the goal against the run's model.  Met wins (the
 * schedule so far is kept); otherwise the challenge's lost test, or a run
 * that is over, loses.  A decided challenge stays decided.  Returns the
 * state, and 1 in *changed (may be NULL) when this call decided it.
 */
enum ls_challenge_state ls_challenge_update(struct ls_challenge_play *p,
                                            const struct ls_run *r, int *changed);
const char *ls_challenge_state_name(enum ls_challenge_state st);

/*
 * Grade a schedule file: replay it (past its end the lowest-numbered actor
 * that can move moves, as for `lockstep run`) with the challenge's
 * parameters, testing the goal after every step.  Returns 0 when met, 1
 * when not, 2 when the input is bad (no such challenge, a file that does
 * not parse or does not fit the run); msg gets one line saying which.
 */
int ls_challenge_grade(const struct ls_scenario *s, int which, const char *path,
                       enum ls_actor_kind kind, char *msg, size_t len);
/* The same for a schedule in memory. */
int ls_challenge_grade_schedule(const struct ls_scenario *s, int which,
                                const struct ls_schedule *sched, enum ls_actor_kind kind,
                                char *msg, size_t len);

/* What the explorer found about a challenge. */
struct ls_challenge_proof {
	long runs;                  /* executions the explorer ran */
	int complete;               /* it covered every schedule */
	int met;                    /* some schedule met the goal */
	struct ls_schedule witness; /* met: the steps that did */
	double elapsed_ms;
};

/*
 * Run the explorer over every schedule of the challenge's run (no
 * preemption bound, at most max_runs executions; <= 0: no limit), testing
 * the goal after every step; it stops at the first schedule that meets it.
 * An impossible challenge is proven when it comes back complete and not
 * met.  0 with proof filled (free it with ls_challenge_proof_clear), or -1
 * with err.
 */
int ls_challenge_prove(const struct ls_scenario *s, int which, enum ls_actor_kind kind,
                       long max_runs, struct ls_challenge_proof *proof, char *err,
                       size_t len);
void ls_challenge_proof_clear(struct ls_challenge_proof *proof);
/* "no schedule of these 2 threads meets it: the explorer tried all 36" */
void ls_challenge_proof_text(const struct ls_scenario *s, int which,
                             const struct ls_challenge_proof *proof, char *buf, size_t len);

/* "T1 T2 T1": a schedule of the challenge's run in actor names. */
void ls_challenge_format_schedule(const struct ls_scenario *s, int which,
                                  const struct ls_schedule *sched, char *buf, size_t len);

#endif
