/*
 * policy.h - who decides which actor moves: the words shared by the run
 * (which applies a policy) and the controller (which implements it), kept
 * apart so neither header needs the other.
 */
#ifndef LS_POLICY_H
#define LS_POLICY_H

enum ls_policy {
	LS_POLICY_FREE,     /* the OS schedules; probes only record */
	LS_POLICY_STEP,     /* one actor moves per ls_run_step() */
	LS_POLICY_RANDOM,   /* a seeded pick among the actors that can proceed */
	LS_POLICY_REPLAY,   /* the picks of a saved schedule */
};

const char *ls_policy_name(enum ls_policy p);
/* 0, or -1 when s names no policy. */
int ls_policy_parse(const char *s, enum ls_policy *p);

#endif
