/*
 * outfile.h - writing a file the user named so that it is either complete
 * or absent: the text goes to a temporary name beside it and is renamed
 * over the name only once every byte is written and flushed.  A full disk
 * leaves the old file (or none), never a truncated one.
 *
 * A name that exists and is not a regular file (/dev/full, /dev/stdout, a
 * FIFO) is written in place: renaming over a device would replace it.
 */
#ifndef LS_OUTFILE_H
#define LS_OUTFILE_H

#include <stdio.h>

struct ls_outfile {
	FILE *f;             /* write here */
	const char *path;    /* the name asked for */
	char *tmp;           /* the temporary name, NULL when writing in place */
};

/* Open for writing; 0, or -1 with errno set. */
int ls_outfile_open(struct ls_outfile *o, const char *path);
/*
 * Flush, close and rename into place; 0, or -1 with errno set (the first
 * error seen, the write's own when a write failed) and the temporary
 * removed.  Always releases o.
 */
int ls_outfile_commit(struct ls_outfile *o);
/* Give up: close and remove the temporary. */
void ls_outfile_abort(struct ls_outfile *o);

#endif
