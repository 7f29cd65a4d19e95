/*
 * params.c - parsing and checking "name=value" against a descriptor.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "engine/number.h"
#include "engine/params.h"
#include "engine/quote.h"

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

/* Exactly as written in the descriptor: "OFF" is not "off". */
long
ls_params_choice(const struct ls_param_desc *p, const char *text)
{
	for (long k = 0; p->choices && p->choices[k]; k++)
		if (strcmp(p->choices[k], text) == 0)
			return k;
	return -1;
}

int
ls_params_parse(const struct ls_param_desc *p, const char *text, long *out,
                char *err, size_t len)
{
	char range[LS_PARAMS_RANGE_MAX], q[LS_QUOTE_BUF];
	long k = ls_params_choice(p, text), v = 0;

	if (k >= 0) {
		*out = p->min + k;
		return 0;
	}
	ls_params_range(p, range, sizeof range);
	ls_quote(text, q, sizeof q);
	switch (ls_number_long(text, p->min, p->max, &v)) {
	case LS_NUMBER_OK:
		*out = v;
		return 0;
	case LS_NUMBER_RANGE:
		snprintf(err, len, "%s=%s is out of range (accepted: %s)", p->name, q, range);
		return -1;
	case LS_NUMBER_NOT:
	default:
		snprintf(err, len, "%s=%s is not %s (accepted: %s)", p->name, q,
		         p->choices ? "one of the choices" : "a whole number", range);
		return -1;
	}
}

int
ls_params_set(const struct ls_scenario *s, long *values, const char *arg,
              char *err, size_t len)
{
	const char *eq = strchr(arg, '=');
	char known[LS_PARAMS_RANGE_MAX], q[LS_QUOTE_BUF];

	if (!eq || eq == arg) {
		params_known(s, known, sizeof known);
		snprintf(err, len, "'%s' is not name=value (%s takes: %s)", ls_quote(arg, q, sizeof q),
		         s->name, s->nparams ? known : "no parameters");
		return -1;
	}
	ls_quote_n(arg, (size_t)(eq - arg), q, sizeof q);
	int i = -1;
	for (int k = 0; k < s->nparams && i < 0; k++)
		if (strlen(s->params[k].name) == (size_t)(eq - arg) &&
		    strncmp(s->params[k].name, arg, (size_t)(eq - arg)) == 0)
			i = k;
	if (i < 0) {
		params_known(s, known, sizeof known);
		snprintf(err, len, "%s has no parameter '%s' (it takes: %s)", s->name, q,
		         s->nparams ? known : "none");
		return -1;
	}
	return ls_params_parse(&s->params[i], eq + 1, &values[i], err, len);
}

int
ls_params_check(const struct ls_scenario *s, const long *values, char *err, size_t len)
{
	for (int i = 0; i < s->nparams; i++) {
		const char *lo = s->params[i].name;
		size_t n = strlen(lo);
		if (n < 5 || strcmp(lo + n - 4, "_min") != 0)
			continue;
		for (int k = 0; k < s->nparams; k++) {
			const char *hi = s->params[k].name;
			if (strlen(hi) == n && strncmp(hi, lo, n - 4) == 0 && strcmp(hi + n - 4, "_max") == 0 &&
			    values[i] > values[k]) {
				snprintf(err, len, "%s=%ld is above %s=%ld", lo, values[i], hi, values[k]);
				return -1;
			}
		}
	}
	return 0;
}

void
ls_params_format(const struct ls_scenario *s, const long *values, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < s->nparams && at < len; i++) {
		char v[LS_PARAMS_VALUE_MAX];
		ls_params_value(&s->params[i], values[i], v, sizeof v);
		int n = snprintf(buf + at, len - at, "%s%s=%s", i ? " " : "", s->params[i].name, v);
		if (n < 0)
			break;
		at += (size_t)n;
	}
}

int
ls_params_line(const struct ls_scenario *s, const char *line, const char *what,
               const char *title, long *values, char *err, size_t len)
{
	char buf[512], why[256], *save = NULL;

	ls_params_default(s, values);
	if (snprintf(buf, sizeof buf, "%s", line ? line : "") >= (int)sizeof buf) {
		snprintf(err, len, "%s '%s': its parameter line is too long", what, title);
		return -1;
	}
	for (char *tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
		if (ls_params_set(s, values, tok, why, sizeof why) != 0) {
			snprintf(err, len, "%s '%s': %s", what, title, why);
			return -1;
		}
	return 0;
}
