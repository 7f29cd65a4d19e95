/*
 * schedule.c - reading and writing schedules.  Pure data: no run, no world.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/outfile.h"
#include "engine/quote.h"
#include "engine/schedule.h"

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
ls_schedule_copy(struct ls_schedule *dst, const struct ls_schedule *src, size_t n)
{
	ls_schedule_init(dst);
	if (n > src->len)
		n = src->len;
	if (n == 0)
		return 0;
	if (!(dst->steps = malloc(n * sizeof *dst->steps)))
		return -1;
	memcpy(dst->steps, src->steps, n * sizeof *dst->steps);
	dst->len = dst->cap = n;
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
			char q[LS_QUOTE_BUF];
			ls_quote_n(start, wl, q, sizeof q);
			if (n > 1)
				snprintf(err, len, "line %d: no actor named '%s' (this run has %s..%s)",
				         line, q, names[0], names[n - 1]);
			else
				snprintf(err, len, "line %d: no actor named '%s' (this run has %s)",
				         line, q, n ? names[0] : "no actors");
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

/*
 * Only a regular file: a FIFO would block in open() until a writer came,
 * a device could be endless.  Opened without blocking, then checked.
 */
static int
schedule_open(const char *path, struct stat *st, char *err, size_t len)
{
	char q[LS_QUOTE_PATH];
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		snprintf(err, len, "cannot read schedule file '%s': %s", ls_quote(path, q, sizeof q),
		         strerror(errno));
		return -1;
	}
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		snprintf(err, len, "schedule file '%s' is not a regular file",
		         ls_quote(path, q, sizeof q));
		close(fd);
		return -1;
	}
	return fd;
}

int
ls_schedule_load(struct ls_schedule *s, const char *path,
                 const char *const *names, int n, char *err, size_t len)
{
	char sub[200], q[LS_QUOTE_PATH];
	struct stat st;
	int fd;

	ls_schedule_init(s);
	if ((fd = schedule_open(path, &st, err, len)) < 0)
		return -1;
	ls_quote(path, q, sizeof q);
	if (st.st_size > LS_SCHEDULE_FILE_MAX) {
		snprintf(err, len, "schedule file '%s' is larger than %u MiB", q,
		         LS_SCHEDULE_FILE_MAX >> 20);
		close(fd);
		return -1;
	}
	/* Sized to the file; one byte more tells a file that grew meanwhile. */
	size_t cap = (size_t)st.st_size + 1, got = 0;
	char *text = malloc(cap + 1);
	ssize_t r = 0;
	while (text && got < cap && (r = read(fd, text + got, cap - got)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		got += (size_t)r;
	}
	int e = errno;
	close(fd);
	if (!text || r < 0) {
		snprintf(err, len, "cannot read schedule file '%s': %s", q,
		         text ? strerror(e) : "out of memory");
		free(text);
		return -1;
	}
	if (got == cap) {
		snprintf(err, len, "schedule file '%s' changed while it was read", q);
		free(text);
		return -1;
	}
	if (memchr(text, '\0', got)) {
		snprintf(err, len, "schedule file '%s' is not text", q);
		free(text);
		return -1;
	}
	text[got] = '\0';
	int rc = ls_schedule_parse(s, text, names, n, sub, sizeof sub);
	free(text);
	if (rc != 0)
		snprintf(err, len, "schedule file '%s': %s", q, sub);
	else if (s->len == 0) {
		/* Nothing to replay: a run would take steps no file asked for. */
		snprintf(err, len, "schedule file '%s' holds no steps (only blanks and comments): "
		         "a schedule names one actor per step", q);
		rc = -1;
	}
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
	struct ls_outfile o;
	char q[LS_QUOTE_PATH];

	if (ls_outfile_open(&o, path) != 0) {
		snprintf(err, len, "cannot write schedule file '%s': %s", ls_quote(path, q, sizeof q),
		         strerror(errno));
		return -1;
	}
	ls_schedule_write(s, o.f, names, header);
	if (ls_outfile_commit(&o) != 0) {
		snprintf(err, len, "cannot write schedule file '%s': %s", ls_quote(path, q, sizeof q),
		         strerror(errno));
		return -1;
	}
	return 0;
}
