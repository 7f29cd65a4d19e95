/*
 * schedule.h - a schedule is the list of actors picked, one per step.  As a
 * file: actor names separated by white space; '#' starts a comment that runs
 * to the end of the line.
 */
#ifndef LS_SCHEDULE_H
#define LS_SCHEDULE_H

#include <stddef.h>
#include <stdio.h>

struct ls_schedule {
	int *steps;       /* actor ids */
	size_t len;
	size_t cap;
};

/* The largest schedule file read: some millions of steps. */
#define LS_SCHEDULE_FILE_MAX (16u << 20)

void ls_schedule_init(struct ls_schedule *s);
void ls_schedule_clear(struct ls_schedule *s);
int  ls_schedule_push(struct ls_schedule *s, int actor);
/* dst (initialised here) = the first n steps of src (all when n >= src->len). */
int  ls_schedule_copy(struct ls_schedule *dst, const struct ls_schedule *src, size_t n);
/*
 * Parse text naming actors from names[0..n).  On error returns -1 and writes
 * one line such as "line 3: no actor named 'T9' (this run has T1..T2)".
 */
int  ls_schedule_parse(struct ls_schedule *s, const char *text,
                       const char *const *names, int n, char *err, size_t len);
/*
 * Read and parse a file; err names the file on failure.  Only a regular
 * file is read (a FIFO would block), and what it holds is quoted in err.
 */
int  ls_schedule_load(struct ls_schedule *s, const char *path,
                      const char *const *names, int n, char *err, size_t len);
int  ls_schedule_write(const struct ls_schedule *s, FILE *f,
                       const char *const *names, const char *header);
/* Write to path whole or not at all (see outfile.h); err says why not. */
int  ls_schedule_save(const struct ls_schedule *s, const char *path,
                      const char *const *names, const char *header,
                      char *err, size_t len);

#endif
