/*
 * schedule.c - reading and writing schedules.  Pure data: no run, no world.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/schedule.h"

#define SCHEDULE_FILE_MAX (16u << 20)

void
ls_schedule_init(struct ls_schedule *s)
{
	memset(s, 0, sizeof *s);
}

void
ls_schedule_clear(struct ls_schedule *s)
{
	free(s->steps);
	ls_schedule_init(s);
}

int
ls_schedule_push(struct ls_schedule *s, int actor)
{
	if (s->len == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		int *p = realloc(s->steps, cap * sizeof *p);
		if (!p)
			return -1;
		s->steps = p;
		s->cap = cap;
	}
	s->steps[s->len++] = actor;
	return 0;
}

int
ls_schedule_parse(struct ls_schedule *s, const char *text,
                  const char *const *names, int n, char *err, size_t len)
{
	int line = 1;

	ls_schedule_init(s);
	for (const char *p = text; *p;) {
		if (*p == '\n') {
			line++;
			p++;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (*p == '#') {
			while (*p && *p != '\n')
				p++;
			continue;
		}
		const char *start = p;
		while (*p && !isspace((unsigned char)*p) && *p != '#')
			p++;
		size_t wl = (size_t)(p - start);
		int found = -1;
		for (int i = 0; i < n && found < 0; i++)
			if (strlen(names[i]) == wl && strncmp(names[i], start, wl) == 0)
				found = i;
		if (found < 0) {
			if (n > 1)
				snprintf(err, len, "line %d: no actor named '%.*s' (this run has %s..%s)",
				         line, (int)(wl > 40 ? 40 : wl), start, names[0], names[n - 1]);
			else
				snprintf(err, len, "line %d: no actor named '%.*s' (this run has %s)",
				         line, (int)(wl > 40 ? 40 : wl), start, n ? names[0] : "no actors");
			ls_schedule_clear(s);
			return -1;
		}
		if (ls_schedule_push(s, found) != 0) {
			snprintf(err, len, "out of memory");
			ls_schedule_clear(s);
			return -1;
		}
	}
	return 0;
}

int
ls_schedule_load(struct ls_schedule *s, const char *path,
                 const char *const *names, int n, char *err, size_t len)
{
	FILE *f = fopen(path, "r");
	char sub[200];

	ls_schedule_init(s);
	if (!f) {
		snprintf(err, len, "cannot read schedule file '%s': %s", path, strerror(errno));
		return -1;
	}
	char *text = malloc(SCHEDULE_FILE_MAX + 1);
	size_t got = text ? fread(text, 1, SCHEDULE_FILE_MAX + 1, f) : 0;
	int bad = ferror(f);
	fclose(f);
	if (!text || bad) {
		snprintf(err, len, "cannot read schedule file '%s'", path);
		free(text);
		return -1;
	}
	if (got > SCHEDULE_FILE_MAX) {
		snprintf(err, len, "schedule file '%s' is larger than %u MiB", path, SCHEDULE_FILE_MAX >> 20);
		free(text);
		return -1;
	}
	if (memchr(text, '\0', got)) {
		snprintf(err, len, "schedule file '%s' is not text", path);
		free(text);
		return -1;
	}
	text[got] = '\0';
	int rc = ls_schedule_parse(s, text, names, n, sub, sizeof sub);
	free(text);
	if (rc != 0)
		snprintf(err, len, "schedule file '%s': %s", path, sub);
	return rc;
}

int
ls_schedule_write(const struct ls_schedule *s, FILE *f, const char *const *names,
                  const char *header)
{
	size_t col = 0;

	if (header)
		fprintf(f, "# %s\n", header);
	fprintf(f, "# %zu steps: one actor name per step, '#' starts a comment\n", s->len);
	for (size_t i = 0; i < s->len; i++) {
		const char *name = names[s->steps[i]];
		if (col && col + strlen(name) + 1 > 72) {
			fputc('\n', f);
			col = 0;
		}
		col += (size_t)fprintf(f, "%s%s", col ? " " : "", name);
	}
	if (col)
		fputc('\n', f);
	return ferror(f) ? -1 : 0;
}

int
ls_schedule_save(const struct ls_schedule *s, const char *path, const char *const *names,
                 const char *header, char *err, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		snprintf(err, len, "cannot write schedule file '%s': %s", path, strerror(errno));
		return -1;
	}
	int rc = ls_schedule_write(s, f, names, header);
	if (fclose(f) != 0 || rc != 0) {
		snprintf(err, len, "cannot write schedule file '%s'", path);
		return -1;
	}
	return 0;
}
