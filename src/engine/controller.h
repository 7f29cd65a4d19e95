/*
 * controller.h - who moves next.  The gates that enforce it are gate.h.
 *
 * The chooser is a pure function of the policy's state and the set of
 * actors that can proceed, so a run under random (same seed) or replay (same
 * schedule) takes the same steps in threads and in processes.
 */
#ifndef LS_CONTROLLER_H
#define LS_CONTROLLER_H

#include <stddef.h>
#include <stdint.h>

#include "engine/policy.h"
#include "engine/schedule.h"

struct ls_controller {
	enum ls_policy policy;
	uint64_t seed;
	uint64_t rng;
	struct ls_schedule replay;   /* picks to replay */
	size_t replay_at;
	struct ls_schedule taken;    /* picks made so far */
};

void ls_controller_init(struct ls_controller *c, enum ls_policy p, uint64_t seed,
                        const struct ls_schedule *replay);
void ls_controller_fini(struct ls_controller *c);
/*
 * Choose among enabled[0..n) (ascending actor ids).  Returns the actor, or -1
 * when a replayed schedule names one that cannot move (err says why).
 * Does not record the pick: ls_controller_taken() does once it happened.
 */
int ls_controller_choose(struct ls_controller *c, const int *enabled, int n,
                         const char *const *names, char *err, size_t len);
/* What choose() would return, without consuming randomness. */
int ls_controller_peek(const struct ls_controller *c, const int *enabled, int n);
void ls_controller_taken(struct ls_controller *c, int actor);

#endif
