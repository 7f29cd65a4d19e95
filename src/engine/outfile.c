/*
 * outfile.c - see outfile.h.  The temporary is created with O_EXCL and the
 * umask's mode (as fopen "w" would), in the target's directory so the
 * rename stays on one file system.  A symbolic link is followed to the file
 * it names, which is what gets replaced (the link stays a link).  Writes go
 * through a stdio cookie that keeps the first write's errno, so a full disk
 * is told as "No space left on device", not as whatever errno was by then.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/outfile.h"

#define OUTFILE_TRIES 100
#define OUTFILE_HOPS  40    /* symbolic links followed, as the kernel's limit */

/* ---- writing, keeping the first error --------------------------------------------- */

static ssize_t
outfile_cookie_write(void *cookie, const char *buf, size_t n)
{
	struct ls_outfile *o = cookie;
	size_t done = 0;

	while (done < n) {
		ssize_t w = write(o->fd, buf + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!o->err)
				o->err = w < 0 ? errno : ENOSPC;
			return done ? (ssize_t)done : -1;
		}
		done += (size_t)w;
	}
	return (ssize_t)done;
}

static int
outfile_cookie_close(void *cookie)
{
	struct ls_outfile *o = cookie;
	int rc = close(o->fd);

	if (rc != 0 && !o->err)
		o->err = errno;
	o->fd = -1;
	return rc;
}

static int
outfile_stream(struct ls_outfile *o, int fd)
{
	static const cookie_io_functions_t io = {
		.write = outfile_cookie_write, .close = outfile_cookie_close,
	};

	o->fd = fd;
	o->err = 0;
	if (!(o->f = fopencookie(o, "w", io))) {
		int e = errno;
		close(fd);
		o->fd = -1;
		errno = e;
		return -1;
	}
	return 0;
}

/* ---- where the bytes go -------------------------------------------------------------- */

/* The file path names once its symbolic links are followed (malloc'd), or NULL. */
static char *
outfile_target(const char *path)
{
	char *p = strdup(path);

	for (int hop = 0; p && hop < OUTFILE_HOPS; hop++) {
		struct stat st;
		char link[PATH_MAX];
		if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode))
			return p;
		ssize_t n = readlink(p, link, sizeof link - 1);
		if (n < 0) {
			free(p);
			return NULL;
		}
		link[n] = '\0';
		const char *slash = strrchr(p, '/');
		size_t dir = link[0] == '/' || !slash ? 0 : (size_t)(slash - p) + 1;
		char *next = malloc(dir + (size_t)n + 1);
		if (next) {
			memcpy(next, p, dir);
			memcpy(next + dir, link, (size_t)n + 1);
		}
		free(p);
		p = next;
	}
	if (p)
		errno = ELOOP;
	free(p);
	return NULL;
}

/* Open the target itself (a device, or where no file can be made beside it). */
static int
outfile_in_place(struct ls_outfile *o)
{
	int fd = open(o->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0666);

	return fd < 0 ? -1 : outfile_stream(o, fd);
}

static void
outfile_release(struct ls_outfile *o)
{
	free(o->tmp);
	o->tmp = NULL;
	free(o->target);
	o->target = NULL;
}

int
ls_outfile_open(struct ls_outfile *o, const char *path)
{
	struct stat st;
	static unsigned serial;
	int exists, e;

	memset(o, 0, sizeof *o);
	o->fd = -1;
	if (!(o->target = outfile_target(path)))
		return -1;
	o->path = o->target;
	exists = stat(o->path, &st) == 0;
	if (exists && !S_ISREG(st.st_mode)) {
		if (outfile_in_place(o) == 0)
			return 0;
		goto fail;
	}
	/* An existing file we may not write is refused now, with its own error. */
	if (exists) {
		int fd = open(o->path, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (fd < 0)
			goto fail;
		close(fd);
	}
	size_t len = strlen(o->path) + 40;
	if (!(o->tmp = malloc(len)))
		goto fail;
	for (int i = 0; i < OUTFILE_TRIES; i++) {
		snprintf(o->tmp, len, "%s.tmp-%ld-%u", o->path, (long)getpid(), serial++);
		int fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0)
			break;
		if (outfile_stream(o, fd) == 0)
			return 0;
		e = errno;
		unlink(o->tmp);
		errno = e;
		goto fail;
	}
	/* No file can be made beside it (/proc): write the file itself, which
	 * exists and opened for writing above; its writes say what goes wrong. */
	if (exists) {
		e = errno;
		free(o->tmp);
		o->tmp = NULL;
		if (outfile_in_place(o) == 0)
			return 0;
		errno = e;
	}
fail:
	e = errno;
	outfile_release(o);
	errno = e;
	return -1;
}

int
ls_outfile_check(const char *path)
{
	struct ls_outfile o;

	if (ls_outfile_open(&o, path) != 0)
		return -1;
	ls_outfile_abort(&o);
	return 0;
}

int
ls_outfile_commit(struct ls_outfile *o)
{
	int e = 0;

	if (fflush(o->f) != 0 || ferror(o->f))
		e = o->err ? o->err : errno ? errno : EIO;
	if (fclose(o->f) != 0 && !e)
		e = o->err ? o->err : errno;
	o->f = NULL;
	if (!e && o->tmp && rename(o->tmp, o->path) != 0)
		e = errno;
	if (e && o->tmp)
		unlink(o->tmp);
	outfile_release(o);
	errno = e;
	return e ? -1 : 0;
}

void
ls_outfile_abort(struct ls_outfile *o)
{
	int e = errno;

	if (o->f)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp)
		unlink(o->tmp);
	outfile_release(o);
	errno = e;
}
