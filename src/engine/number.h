/*
 * number.h - whole numbers as people type them, strictly: an optional '-'
 * and decimal digits, nothing else.  No leading blanks, no '+', no "0x",
 * no trailing junk: " 2", "+2" and "2ms" are refused, where strtol would
 * take the first two and the start of the third.
 */
#ifndef LS_NUMBER_H
#define LS_NUMBER_H

#include <stdint.h>

enum ls_number_err {
	LS_NUMBER_OK = 0,
	LS_NUMBER_NOT = -1,      /* not a whole number */
	LS_NUMBER_RANGE = -2,    /* a whole number outside [lo, hi] */
};

/* s as a long in [lo, hi]: LS_NUMBER_OK with *out set, or why not. */
enum ls_number_err ls_number_long(const char *s, long lo, long hi, long *out);
/* s as an unsigned 64-bit number (no sign at all). */
enum ls_number_err ls_number_u64(const char *s, uint64_t *out);

#endif
