/*
 * timeline.h - the timeline's columns: a lane per actor over time, a column
 * per step (stepped runs) or per time slice (free runs).
 *
 * No ncurses here: the pane that draws the columns is in timeline.c, and
 * the tests check the columns against the model (tests/check_timeline.c).
 * The columns are a view's layout of the past, not a second fold of the
 * trace: each cell is sampled from the model (ls_model_watch) as the model
 * applies the event, so a lane is running, blocked or holding exactly when
 * the model says so.
 */
#ifndef LS_TUI_TIMELINE_H
#define LS_TUI_TIMELINE_H

#include <stdint.h>

#include "engine/run.h"

/* A cell: a state in the low bits, flags above. */
enum { TL_NONE, TL_READY, TL_RUN, TL_BLOCKED, TL_SLEEP, TL_DONE, TL_CRASH };
#define TL_STATE   0x0f
#define TL_HOLD    0x10     /* holds a lock or a semaphore */
#define TL_HANDOFF 0x20     /* took a lock or semaphore it had been waiting for */
#define TL_MOVED   0x40     /* did an operation in this column */
#define TL_CAP     1024     /* columns kept */

struct timeline_col {
	uint32_t label;             /* step number, or ms since the first event */
	int32_t mover;              /* stepped runs: who moved; -1 */
	uint8_t gap;                /* time skipped before it: a quiet spell */
};

struct timeline {
	const struct ls_run *run;   /* whose model the cells are sampled from */
	int nactors;
	uint8_t *cells;             /* column c's cells at (c % TL_CAP) * nactors */
	struct timeline_col *cols;  /* TL_CAP */
	uint64_t ncols;             /* columns closed so far */
	/* The column being gathered. */
	uint8_t *open;              /* nactors flags */
	int open_any, open_mover;
	uint64_t open_slot;         /* free runs: its time slice since t_first */
	/* Each actor's lane as the model left it after its last event. */
	uint8_t *lane;              /* nactors TL_* states, TL_HOLD */
	uint8_t *mark;              /* nactors bytes of scratch for the pane */
	int was_gated;              /* the policy of the last event: a switch restarts the clock */
	uint64_t t_first;           /* ns of the first event, 0 before it */
	uint64_t slice_ns;          /* free runs: the time a column covers */
	uint32_t steps;
	uint64_t ops;               /* operations completed, free or stepped */
};

/* Start sampling r's model: every event it applies from now on. */
int timeline_init(struct timeline *tl, struct ls_run *r);
void timeline_free(struct timeline *tl);
/*
 * Between events: over: the run ended, close what is open; now_ns: the
 * clock, which closes a free run's slice even when nothing follows it.
 */
void timeline_feed(struct timeline *tl, int over, uint64_t now_ns);
uint8_t timeline_cell(const struct timeline *tl, uint64_t col, int actor);
/* The lane the model gives an actor now (TL_* state, TL_HOLD). */
uint8_t timeline_lane(const struct ls_model *m, int actor, int gated);

#endif
