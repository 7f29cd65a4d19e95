/*
 * scenario.c - small helpers shared by the descriptors, the command line and
 * the views.  Knows nothing of any particular scenario.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "lockstep/scenario.h"

int
ls_scenario_actor_count(const struct ls_scenario *s, const long *params)
{
	long n = 0;

	for (int i = 0; i < s->nroles; i++)
		n += s->roles[i].count_param >= 0 ? params[s->roles[i].count_param] : s->roles[i].count;
	return n > 1 << 30 ? 1 << 30 : (int)n;
}

int
ls_scenario_param_index(const struct ls_scenario *s, const char *name)
{
	for (int i = 0; i < s->nparams; i++)
		if (strcmp(s->params[i].name, name) == 0)
			return i;
	return -1;
}

int
ls_scenario_role_daemon(const struct ls_scenario *s, int role, const long *params)
{
	const struct ls_role_desc *rd;

	if (role < 0 || role >= s->nroles)
		return 0;
	rd = &s->roles[role];
	return rd->daemon_if ? rd->daemon_if(params) != 0 : rd->daemon != 0;
}

void
ls_verdict_figure(struct ls_verdict *v, const char *name, double value)
{
	for (int i = 0; i < v->nfigures; i++)
		if (strcmp(v->figures[i].name, name) == 0) {
			v->figures[i].value = value;
			return;
		}
	if (v->nfigures >= LS_FIGURES_MAX)
		return;
	snprintf(v->figures[v->nfigures].name, sizeof v->figures[0].name, "%s", name);
	v->figures[v->nfigures].value = value;
	v->nfigures++;
}
