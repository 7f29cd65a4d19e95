/*
 * params.c - parsing and checking "name=value" against a descriptor.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/params.h"

void
ls_params_default(const struct ls_scenario *s, long *values)
{
	for (int i = 0; i < s->nparams; i++)
		values[i] = s->params[i].def;
}

void
ls_params_range(const struct ls_param_desc *p, char *buf, size_t len)
{
	size_t at = 0;

	if (!p->choices) {
		snprintf(buf, len, "%ld..%ld", p->min, p->max);
		return;
	}
	buf[0] = '\0';
	for (int i = 0; p->choices[i] && at < len; i++) {
		int n = snprintf(buf + at, len - at, "%s%s", i ? "|" : "", p->choices[i]);
		if (n < 0)
			break;
		at += (size_t)n;
	}
}

void
ls_params_value(const struct ls_param_desc *p, long v, char *buf, size_t len)
{
	if (p->choices && v >= p->min && v <= p->max)
		snprintf(buf, len, "%s", p->choices[v - p->min]);
	else
		snprintf(buf, len, "%ld", v);
}

static void
params_known(const struct ls_scenario *s, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < s->nparams && at < len; i++) {
		int n = snprintf(buf + at, len - at, "%s%s", i ? ", " : "", s->params[i].name);
		if (n < 0)
			break;
		at += (size_t)n;
	}
}

int
ls_params_set(const struct ls_scenario *s, long *values, const char *arg,
              char *err, size_t len)
{
	const char *eq = strchr(arg, '=');
	char name[64], range[160];

	if (!eq || eq == arg) {
		params_known(s, range, sizeof range);
		snprintf(err, len, "'%s' is not name=value (%s takes: %s)", arg, s->name,
		         s->nparams ? range : "no parameters");
		return -1;
	}
	snprintf(name, sizeof name, "%.*s", (int)(eq - arg), arg);
	int i = ls_scenario_param_index(s, name);
	if (i < 0) {
		params_known(s, range, sizeof range);
		snprintf(err, len, "%s has no parameter '%s' (it takes: %s)", s->name, name,
		         s->nparams ? range : "none");
		return -1;
	}
	const struct ls_param_desc *p = &s->params[i];
	const char *val = eq + 1;
	ls_params_range(p, range, sizeof range);
	if (p->choices) {
		for (long k = 0; p->choices[k]; k++)
			if (strcmp(p->choices[k], val) == 0) {
				values[i] = p->min + k;
				return 0;
			}
	}
	char *end;
	errno = 0;
	long v = strtol(val, &end, 10);
	if (!*val || *end || errno == ERANGE) {
		snprintf(err, len, "%s=%s is not %s (accepted: %s)", name, val,
		         p->choices ? "one of the choices" : "a whole number", range);
		return -1;
	}
	if (v < p->min || v > p->max) {
		snprintf(err, len, "%s=%s is out of range (accepted: %s)", name, val, range);
		return -1;
	}
	values[i] = v;
	return 0;
}

void
ls_params_format(const struct ls_scenario *s, const long *values, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < s->nparams && at < len; i++) {
		char v[64];
		ls_params_value(&s->params[i], values[i], v, sizeof v);
		int n = snprintf(buf + at, len - at, "%s%s=%s", i ? " " : "", s->params[i].name, v);
		if (n < 0)
			break;
		at += (size_t)n;
	}
}
