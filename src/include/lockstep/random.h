/*
 * lockstep/random.h - the lessons' repeatable random numbers: splitmix64,
 * one step of which is ls_splitmix64().  A lesson seeds a state from its
 * `seed` parameter so a run replays the same pauses, tasks and challenges;
 * its Python program computes the same numbers.
 */
#ifndef LOCKSTEP_RANDOM_H
#define LOCKSTEP_RANDOM_H

#include <stdint.h>

/* splitmix64's finalizer: a well-mixed 64-bit value of z. */
static inline uint64_t
ls_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* The next number of the sequence in *state. */
static inline uint64_t
ls_splitmix64(uint64_t *state)
{
	return ls_mix64(*state += UINT64_C(0x9e3779b97f4a7c15));
}

#endif
