/*
 * pysrc.h - a Python program's parameters, read from its text.
 *
 * A parameter is a module-level name in capitals assigned a whole number
 * literal on a line of its own (`DEPOSITORS = 100`, a comment may follow).
 * Setting one rewrites that literal in a copy of the text, on the same
 * line, so every line number stays the program's.  Plain C: the runner
 * (lockstep) and the probe inside CPython (_lockstep) both use it; neither
 * ever writes the program's file.
 */
#ifndef LS_PYSRC_H
#define LS_PYSRC_H

#include <stddef.h>

#define LS_PYSRC_PARAMS 32
#define LS_PYSRC_NAME   32

struct ls_pysrc_param {
	char name[LS_PYSRC_NAME];
	long value;          /* the literal in the file */
	int line;            /* 1-based */
};

/* Scan text for parameters; returns how many (at most max). */
int ls_pysrc_params(const char *text, struct ls_pysrc_param *out, int max);
/*
 * A copy of text with each NAME=VALUE of sets (a string "A=1\nB=2", or
 * NULL) written into its line.  malloc'ed; NULL when out of memory.
 */
char *ls_pysrc_apply(const char *text, const char *sets);

#endif
