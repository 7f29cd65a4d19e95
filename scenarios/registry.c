/*
 * registry.c - the one table of lessons.  Adding a scenario adds a line here,
 * its file, its test and its entries in Makefile.am; nothing in src/.
 */
#include "config.h"

#include <string.h>

#include "lockstep/lesson.h"

extern const struct ls_scenario ls_scenario_deposit;
extern const struct ls_scenario ls_scenario_tickets;
extern const struct ls_scenario ls_scenario_semaphore;
extern const struct ls_scenario ls_scenario_traffic;
extern const struct ls_scenario ls_scenario_door;
extern const struct ls_scenario ls_scenario_gil;
extern const struct ls_scenario ls_scenario_rlock;
extern const struct ls_scenario ls_scenario_pipe;
extern const struct ls_scenario ls_scenario_fork;
extern const struct ls_scenario ls_scenario_manager;
extern const struct ls_scenario ls_scenario_distributed;
extern const struct ls_scenario ls_scenario_timer;
extern const struct ls_scenario ls_scenario_local;
extern const struct ls_scenario ls_scenario_daemon;
extern const struct ls_scenario ls_scenario_queue;
extern const struct ls_scenario ls_scenario_pool;
extern const struct ls_scenario ls_scenario_futures;
extern const struct ls_scenario ls_scenario_batch;

const struct ls_scenario *const ls_scenarios[] = {
	&ls_scenario_deposit,
	&ls_scenario_tickets,
	&ls_scenario_semaphore,
	&ls_scenario_traffic,
	&ls_scenario_door,
	&ls_scenario_gil,
	&ls_scenario_rlock,
	&ls_scenario_pipe,
	&ls_scenario_fork,
	&ls_scenario_manager,
	&ls_scenario_distributed,
	&ls_scenario_timer,
	&ls_scenario_local,
	&ls_scenario_daemon,
	&ls_scenario_queue,
	&ls_scenario_pool,
	&ls_scenario_futures,
	&ls_scenario_batch,
	NULL,
};

const struct ls_scenario *
ls_scenario_find(const char *name)
{
	for (const struct ls_scenario *const *s = ls_scenarios; *s; s++)
		if (strcmp((*s)->name, name) == 0)
			return *s;
	return NULL;
}
