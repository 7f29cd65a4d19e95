/*
 * suites.h - the engine's Check suites, one per tests/check_*.c, all run by
 * check_main.c.  Every test case that starts threads or processes has a
 * timeout, so a hang fails the test instead of the build.
 */
#ifndef LS_TESTS_SUITES_H
#define LS_TESTS_SUITES_H

#include <check.h>
#include <stdlib.h>

Suite *trace_suite(void);
Suite *model_suite(void);
Suite *schedule_suite(void);
Suite *controller_suite(void);
Suite *deposit_suite(void);
Suite *cleanup_suite(void);
Suite *tickets_suite(void);
Suite *semaphore_suite(void);
Suite *traffic_suite(void);
Suite *door_suite(void);
Suite *timer_suite(void);
Suite *local_suite(void);
Suite *daemon_suite(void);
Suite *gil_suite(void);
Suite *race_suite(void);
Suite *explore_suite(void);
Suite *explore_reduce_suite(void);
Suite *walkthrough_suite(void);
Suite *rlock_suite(void);
Suite *helpers_suite(void);
Suite *op_suite(void);
Suite *kind_suite(void);
Suite *timeline_suite(void);
Suite *smoke_suite(void);
Suite *pipe_suite(void);
Suite *fork_suite(void);
Suite *manager_suite(void);
Suite *distributed_suite(void);
Suite *gate_suite(void);
Suite *challenge_suite(void);
Suite *queue_suite(void);
Suite *batch_suite(void);
Suite *pool_suite(void);
Suite *futures_suite(void);
Suite *pymap_suite(void);
Suite *hmac_suite(void);
Suite *export_suite(void);
Suite *state_suite(void);
Suite *traces_suite(void);
Suite *janitor_suite(void);

/*
 * A test case's timeout: its own figure, or CK_DEFAULT_TIMEOUT when that is
 * longer (the sanitizer builds set it, as they run several times slower).
 */
static inline void
tests_timeout(TCase *tc, double seconds)
{
	const char *env = getenv("CK_DEFAULT_TIMEOUT");
	double floor = env ? strtod(env, NULL) : 0;

	tcase_set_timeout(tc, floor > seconds ? floor : seconds);
}

#endif
