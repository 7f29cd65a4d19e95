/*
 * check_main.c - the one runner: every suite in one SRunner, each test in
 * its own forked child (Check's default), non-zero exit on any failure.
 */
#include "config.h"

#include <stdlib.h>

#include "suites.h"

int
main(void)
{
	SRunner *sr = srunner_create(trace_suite());

	srunner_add_suite(sr, model_suite());
	srunner_add_suite(sr, schedule_suite());
	srunner_add_suite(sr, controller_suite());
	srunner_add_suite(sr, deposit_suite());
	srunner_add_suite(sr, cleanup_suite());
	srunner_add_suite(sr, tickets_suite());
	srunner_add_suite(sr, semaphore_suite());
	srunner_add_suite(sr, traffic_suite());
	srunner_add_suite(sr, door_suite());
	srunner_add_suite(sr, timer_suite());
	srunner_add_suite(sr, local_suite());
	srunner_add_suite(sr, daemon_suite());
	srunner_add_suite(sr, gil_suite());
	srunner_add_suite(sr, race_suite());
	srunner_add_suite(sr, explore_suite());
	srunner_add_suite(sr, explore_reduce_suite());
	srunner_add_suite(sr, walkthrough_suite());
	srunner_add_suite(sr, rlock_suite());
	srunner_add_suite(sr, helpers_suite());
	srunner_add_suite(sr, op_suite());
	srunner_add_suite(sr, kind_suite());
	srunner_add_suite(sr, timeline_suite());
	srunner_add_suite(sr, queue_suite());
	srunner_add_suite(sr, batch_suite());
	srunner_add_suite(sr, pool_suite());
	srunner_add_suite(sr, futures_suite());
	srunner_add_suite(sr, smoke_suite());
	srunner_add_suite(sr, pipe_suite());
	srunner_add_suite(sr, fork_suite());
	srunner_add_suite(sr, manager_suite());
	srunner_add_suite(sr, distributed_suite());
	srunner_add_suite(sr, gate_suite());
	srunner_add_suite(sr, challenge_suite());
	srunner_add_suite(sr, pymap_suite());
	srunner_add_suite(sr, hmac_suite());
	srunner_add_suite(sr, export_suite());
	srunner_add_suite(sr, state_suite());
	srunner_add_suite(sr, traces_suite());
	srunner_add_suite(sr, janitor_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
