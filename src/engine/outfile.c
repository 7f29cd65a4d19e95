/*
 * outfile.c - see outfile.h.  The temporary is created with O_EXCL and the
 * umask's mode (as fopen "w" would), in the same directory so the rename
 * stays on one file system.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/outfile.h"

#define OUTFILE_TRIES 100

int
ls_outfile_open(struct ls_outfile *o, const char *path)
{
	struct stat st;
	static unsigned serial;

	memset(o, 0, sizeof *o);
	o->path = path;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (!(o->f = fopen(path, "w")))
			return -1;
		errno = 0;
		return 0;
	}
	size_t len = strlen(path) + 40;
	if (!(o->tmp = malloc(len)))
		return -1;
	for (int i = 0; i < OUTFILE_TRIES; i++) {
		snprintf(o->tmp, len, "%s.tmp-%ld-%u", path, (long)getpid(), serial++);
		int fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0)
			break;
		if ((o->f = fdopen(fd, "w"))) {
			errno = 0;   /* so commit sees only the writes' own errors */
			return 0;
		}
		int e = errno;
		close(fd);
		unlink(o->tmp);
		errno = e;
		break;
	}
	int e = errno;
	free(o->tmp);
	o->tmp = NULL;
	errno = e;
	return -1;
}

int
ls_outfile_commit(struct ls_outfile *o)
{
	int e = 0;

	/* A failed write leaves its errno; ferror() alone does not say it. */
	if (ferror(o->f))
		e = errno ? errno : EIO;
	if (fflush(o->f) != 0 && !e)
		e = errno;
	if (fclose(o->f) != 0 && !e)
		e = errno;
	o->f = NULL;
	if (!e && o->tmp && rename(o->tmp, o->path) != 0)
		e = errno;
	if (e && o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
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
	free(o->tmp);
	o->tmp = NULL;
	errno = e;
}
