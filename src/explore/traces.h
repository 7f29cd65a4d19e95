/*
 * traces.h - how many schedules one run stands for under sleep sets: the
 * orders of its steps that keep each actor's steps in order and every pair
 * of dependent steps of different actors in the order the run took them
 * (the linear extensions of its Mazurkiewicz trace).  Sleep sets run one
 * schedule per trace, so summing these over the runs gives the unpruned
 * search's count per outcome.
 */
#ifndef LS_EXPLORE_TRACES_H
#define LS_EXPLORE_TRACES_H

#include <stdint.h>

/*
 * nsteps steps by nactors actors: actor[j] moved at step j, and need[j *
 * nactors + b] is how many of actor b's steps must come before step j (the
 * dependent ones the run took earlier, and those before them).  Counts in
 * *out (saturating at UINT64_MAX, *saturated set) and returns 0, or -1 when
 * more than max_states partial orders would have to be kept (or memory
 * ran out).
 */
int ls_trace_count(int nsteps, int nactors, const int *actor, const int *need,
                   long max_states, uint64_t *out, int *saturated);

#endif
