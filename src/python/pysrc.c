/*
 * pysrc.c - a Python program's capital constants as parameters (pysrc.h).
 * Never writes a file; never changes how many lines the text has.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "python/pysrc.h"

/* Does line (up to its newline) read NAME = <whole number> [# ...]?  Then
 * the name, the value, and where the literal starts and ends. */
static int
pysrc_line(const char *l, char *name, long *value, const char **lit, const char **lit_end)
{
	const char *p = l;
	size_t n = 0;

	if (!isupper((unsigned char)*p))
		return 0;
	while (isupper((unsigned char)p[n]) || isdigit((unsigned char)p[n]) || p[n] == '_')
		n++;
	if (n >= LS_PYSRC_NAME)
		return 0;
	memcpy(name, p, n);
	name[n] = '\0';
	p += n;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '=' || p[1] == '=')
		return 0;
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	*lit = p;
	if (*p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		p++;
	*lit_end = p;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p && *p != '\n' && *p != '#' && *p != '\r')
		return 0;
	errno = 0;
	*value = strtol(*lit, NULL, 10);
	return errno == 0;
}

int
ls_pysrc_params(const char *text, struct ls_pysrc_param *out, int max)
{
	int n = 0, line = 1;

	for (const char *l = text; l && *l && n < max; line++) {
		const char *lit, *end;
		struct ls_pysrc_param p;
		if (pysrc_line(l, p.name, &p.value, &lit, &end)) {
			int dup = 0;
			for (int i = 0; i < n; i++)
				dup |= strcmp(out[i].name, p.name) == 0;
			if (!dup) {
				p.line = line;
				out[n++] = p;
			}
		}
		l = strchr(l, '\n');
		if (l)
			l++;
	}
	return n;
}

/* The value sets gives name, or NULL. */
static const char *
pysrc_set(const char *sets, const char *name)
{
	size_t n = strlen(name);

	for (const char *s = sets; s && *s; ) {
		if (strncmp(s, name, n) == 0 && s[n] == '=')
			return s + n + 1;
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	return NULL;
}

/* Each name is set once, at its first line: 1 when it already was. */
static int
pysrc_seen(char done[][LS_PYSRC_NAME], int *ndone, const char *name)
{
	for (int i = 0; i < *ndone; i++)
		if (strcmp(done[i], name) == 0)
			return 1;
	if (*ndone < LS_PYSRC_PARAMS)
		snprintf(done[(*ndone)++], LS_PYSRC_NAME, "%s", name);
	return 0;
}

char *
ls_pysrc_apply(const char *text, const char *sets)
{
	size_t len = strlen(text), extra = sets ? strlen(sets) : 0;
	char *out = malloc(len + extra + 1), *o = out;
	char done[LS_PYSRC_PARAMS][LS_PYSRC_NAME];
	int ndone = 0;

	if (!out)
		return NULL;
	for (const char *l = text; *l; ) {
		const char *nl = strchr(l, '\n');
		const char *stop = nl ? nl + 1 : l + strlen(l);
		const char *lit, *end, *v;
		char name[LS_PYSRC_NAME];
		long value;
		if (pysrc_line(l, name, &value, &lit, &end) && (v = pysrc_set(sets, name)) &&
		    !pysrc_seen(done, &ndone, name)) {
			size_t vl = strcspn(v, "\n");
			memcpy(o, l, (size_t)(lit - l));
			o += lit - l;
			memcpy(o, v, vl);
			o += vl;
			memcpy(o, end, (size_t)(stop - end));
			o += stop - end;
		} else {
			memcpy(o, l, (size_t)(stop - l));
			o += stop - l;
		}
		l = stop;
	}
	*o = '\0';
	return out;
}
