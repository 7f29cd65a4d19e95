/*
 * helpers.h - what the Check suites share: setting a scenario's parameters,
 * starting a run and asserting it started, stepping, waiting for every actor
 * to park, and reading a verdict's figures and a run's said lines.  Every
 * helper fails the calling test (ck_assert) instead of returning an error.
 */
#ifndef LS_TESTS_HELPERS_H
#define LS_TESTS_HELPERS_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "lockstep/model.h"
#include "engine/run.h"
#include "lockstep/scenario.h"

/* The named scenario with its defaults in p, then "name=value ..." applied. */
const struct ls_scenario *th_scenario(const char *name, long *p, const char *overrides);
/* p[name] = value; the parameter must exist. */
void th_set(const struct ls_scenario *s, long *p, const char *name, long value);
/* The deposit lesson with the three parameters most tests vary. */
const struct ls_scenario *th_deposit(long *p, long depositors, long delay_ms, long locked);

/* The scenario's default run options but for kind and policy. */
void th_opts(struct ls_run_opts *o, const struct ls_scenario *s, enum ls_actor_kind kind,
             enum ls_policy policy);
/* ls_run_new + ls_run_start with these options. */
struct ls_run *th_start_opts(const struct ls_scenario *s, const long *p,
                             const struct ls_run_opts *o);
/* The same with the default options but for kind, policy and seed. */
struct ls_run *th_start(const struct ls_scenario *s, const long *p, enum ls_actor_kind kind,
                        enum ls_policy policy, uint64_t seed);
/* A replay of steps[] (actor ids), started; the run keeps its own copy. */
struct ls_run *th_replay(const struct ls_scenario *s, const long *p, enum ls_actor_kind kind,
                         const int *steps, size_t n);
/* Step policy: poll until every actor is parked at its gate. */
void th_wait_parked(struct ls_run *r);
/* Let this actor run to its next probe; the step must be granted. */
void th_step(struct ls_run *r, int actor);
/*
 * Let the controller pick until no actor can move; every step counts on
 * *guard, which must stay below limit (a test's guard may count on from
 * its own stepping before).
 */
void th_run_out(struct ls_run *r, int *guard, int limit);
/* Threads for i == 0, processes otherwise: loops over both kinds. */
enum ls_actor_kind th_kind(int i);

/* The verdict's figure of that name; the test fails if there is none. */
double th_figure(const struct ls_verdict *v, const char *name);
int th_has_figure(const struct ls_verdict *v, const char *name);
/* How many said lines contain text. */
int th_said(const struct ls_model *m, const char *text);

/* A test case named name in suite s, with tests_timeout(seconds). */
TCase *th_tcase(Suite *s, const char *name, double seconds);

/* Open descriptors of this process (each test runs in its own), and after
 * ls_run_free: no child process left and the descriptors as before. */
int th_open_fds(void);
void th_nothing_left(int fds_before);

#endif
