/*
 * outfile.h - writing a file the user named so that it is either complete
 * or absent: the text goes to a temporary name beside it and is renamed
 * over the name only once every byte is written and flushed.  A full disk
 * leaves the old file (or none), never a truncated one.
 *
 * A name that exists and is not a regular file (/dev/full, /dev/stdout, a
 * FIFO) is written in place: renaming over a device would replace it.  A
 * symbolic link is followed: the file it points to is written, the link
 * stays.  Errors are the system's own words for what went wrong: an
 * existing file that cannot be written gives its open()'s error, a full
 * disk "No space left on device".
 */
#ifndef LS_OUTFILE_H
#define LS_OUTFILE_H

#include <stdio.h>

/* Not to be copied once open: the stream's cookie points at it. */
struct ls_outfile {
	FILE *f;             /* write here */
	const char *path;    /* the file written: the name asked for, links followed */
	char *target;        /* path's storage */
	char *tmp;           /* the temporary name, NULL when writing in place */
	int fd;              /* under f */
	int err;             /* the first write's errno */
};

/* Open for writing; 0, or -1 with errno set. */
int ls_outfile_open(struct ls_outfile *o, const char *path);
/*
 * Flush, close and rename into place; 0, or -1 with errno set (the first
 * error seen, the write's own when a write failed) and the temporary
 * removed.  Always releases o.
 */
int ls_outfile_commit(struct ls_outfile *o);
/* Could path be written?  Opens as above and gives up: 0, or -1 with errno
 * set.  For a file the run writes at its end, checked before it starts. */
int ls_outfile_check(const char *path);
/* Give up: close and remove the temporary. */
void ls_outfile_abort(struct ls_outfile *o);

#endif
