/*
 * scenario.c - small helpers shared by the descriptors, the command line and
 * the views.  Knows nothing of any particular scenario.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lockstep/i18n.h"
#include "lockstep/scenario.h"

/* The registry itself is generated (scenario-sources.c, by scenarios/embed.sh). */
const struct ls_scenario *
ls_scenario_find(const char *name)
{
	for (const struct ls_scenario *const *s = ls_scenarios; *s; s++)
		if (strcmp((*s)->name, name) == 0)
			return *s;
	return NULL;
}

int
ls_scenario_actor_count(const struct ls_scenario *s, const long *params)
{
	long n = 0;

	for (int i = 0; i < s->nroles; i++)
		n += s->roles[i].count_param >= 0 ? params[s->roles[i].count_param] : s->roles[i].count;
	return n > 1 << 30 ? 1 << 30 : (int)n;
}

/* The parameter giving a role's count whose default is value, or -1. */
static int
scenario_count_default(const struct ls_scenario *s, long value)
{
	for (int i = 0; i < s->nroles; i++) {
		int p = s->roles[i].count_param;

		if (p >= 0 && p < s->nparams && s->params[p].def == value)
			return p;
	}
	return -1;
}

size_t
ls_scenario_lesson(const struct ls_scenario *s, const long *params, char *buf, size_t len)
{
	/* In the reader's language; the counts in it are the same numbers. */
	const char *start = s->lesson ? _(s->lesson) : "";
	const char *t = start;
	size_t o = 0;

	if (!len)
		return 0;
	while (*t && o + 1 < len) {
		/* A whole number, not part of a word, a version or a decimal. */
		if (params && *t >= '0' && *t <= '9' &&
		    (t == start || !(isalnum((unsigned char)t[-1]) || t[-1] == '.'))) {
			const char *e = t;
			long v = 0;

			while (*e >= '0' && *e <= '9' && v < 1000000000L)
				v = v * 10 + (*e++ - '0');
			int p = !isalnum((unsigned char)*e) && !(*e == '.' && isdigit((unsigned char)e[1]))
			        ? scenario_count_default(s, v) : -1;
			int n = p >= 0 && params[p] != v
			        ? snprintf(buf + o, len - o, "%ld", params[p])
			        : snprintf(buf + o, len - o, "%.*s", (int)(e - t), t);
			if (n < 0)
				break;
			o += (size_t)n < len - o ? (size_t)n : len - o - 1;
			t = e;
			continue;
		}
		buf[o++] = *t++;
	}
	buf[o] = '\0';
	return o;
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
