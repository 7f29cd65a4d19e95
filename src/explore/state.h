/*
 * state.h - the explorer's state key: a 128-bit digest of everything that
 * decides how a controlled run can go on from here and what its verdict can
 * read at the end, so that two schedules reaching equal keys have the same
 * futures (the determinism replay relies on) and the explorer need only
 * search below one of them.
 *
 * A key is made of a shared part (every object's value, holders, highest
 * holders, refusals and text; the scenario's fold state; the preemptions
 * used, under a bound) and one part per actor (role, state, pending
 * operation, object, line and argument, what it holds and how deep, its
 * place in a wait queue, notified or not, its step count, a digest of every
 * operation it has completed with the values it read and the text it said,
 * and, under a bound, whether it took the last step).  An actor's body is a
 * function of its own history of results, so its part stands for its local
 * variables too.
 *
 * Symmetry: the parts of actors of a role marked symmetric (see struct
 * ls_role_desc) are sorted before they are combined, so states that differ
 * only by a permutation of those actors share a key; and enabled actors of
 * such a role whose parts are equal are one class (moving any of them
 * leads to the same state up to that permutation).  Actor identities stored
 * in the model's shared state (a lock's owner, a semaphore's holders) enter
 * through the holders' parts, never as ids, for this to hold.
 *
 * Collisions: two different states share a key with probability about
 * n^2 / 2^129 for n states (10^-29 for a million states); the explorer
 * accepts that, as storing whole states would cost more than it buys.
 */
#ifndef LS_EXPLORE_STATE_H
#define LS_EXPLORE_STATE_H

#include <stdint.h>

#include "lockstep/event.h"
#include "lockstep/model.h"
#include "lockstep/scenario.h"

struct ls_state_key {
	uint64_t h[2];
};

struct ls_state_keyer;

/* For a run of s with nactors actors; symmetry: honour symmetric roles. */
struct ls_state_keyer *ls_state_keyer_new(const struct ls_scenario *s, int nactors,
                                          int symmetry);
void ls_state_keyer_free(struct ls_state_keyer *k);
/* Forget the histories: a new run begins. */
void ls_state_keyer_reset(struct ls_state_keyer *k);
/* A model watcher (ls_run_watch): folds each actor's completed operations
 * into its history digest.  ctx is the keyer. */
void ls_state_keyer_watch(void *ctx, const struct ls_model *m, const struct ls_event *e);
/*
 * The key of the model's present (settled) state.  last: the actor of the
 * step before when a preemption bound applies, else -1; preempt: the
 * preemptions used so far.  Both count only when bounded is set (a
 * preemption bound applies: what may follow depends on them).  moves[i]:
 * the steps actor i has taken in this run (they decide how many more fit
 * under max_steps).
 */
void ls_state_keyer_key(struct ls_state_keyer *k, const struct ls_model *m, int bounded,
                        int last, int preempt, const uint32_t *moves,
                        struct ls_state_key *out);
/* After ls_state_keyer_key: the smallest actor among en[0..n) that is
 * interchangeable with actor a (a itself when none is). */
int ls_state_keyer_class(const struct ls_state_keyer *k, const int *en, int n, int a);

/*
 * The store of states explored to the end: each key with what was found
 * below it (a run of items, item bytes each, copied in), found again by key
 * when another schedule reaches the same state (or the same up to a
 * permutation of symmetric actors: their keys are equal).  Open addressing
 * with linear probing; the table doubles before it is half full, so a find
 * is a few probes however many states there are.  Zeroed by
 * ls_state_store_init: nothing is allocated until the first put.
 */
struct ls_state_node {
	struct ls_state_key key;
	size_t first, n;        /* its items: pool[first .. first + n), or n = -1: empty */
};

struct ls_state_store {
	struct ls_state_node *nodes;
	size_t n, cap;          /* cap a power of two, or 0 */
	unsigned char *pool;
	size_t npool, cappool;  /* in items */
	size_t item;            /* bytes per item */
};

#define LS_STATE_STORE_FIRST 1024   /* the table's first size */

void ls_state_store_init(struct ls_state_store *t, size_t item);
void ls_state_store_free(struct ls_state_store *t);
/* Store n items under k (a key already there keeps its first ones): 0, or
 * -1 when memory ran out (the store is unchanged then). */
int ls_state_store_put(struct ls_state_store *t, const struct ls_state_key *k, const void *items,
                       size_t n);
/* The items stored under k, their count in *n; NULL when k is not there. */
const void *ls_state_store_find(const struct ls_state_store *t, const struct ls_state_key *k,
                                size_t *n);

#endif
