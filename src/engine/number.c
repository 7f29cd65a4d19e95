/*
 * number.c - see number.h.  strtol/strtoull do the arithmetic; this file
 * only decides what shape of text may reach them.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "engine/number.h"

static int
number_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

enum ls_number_err
ls_number_long(const char *s, long lo, long hi, long *out)
{
	if (!number_digits(s[0] == '-' ? s + 1 : s))
		return LS_NUMBER_NOT;
	errno = 0;
	long v = strtol(s, NULL, 10);
	if (errno == ERANGE || v < lo || v > hi)
		return LS_NUMBER_RANGE;
	*out = v;
	return LS_NUMBER_OK;
}

enum ls_number_err
ls_number_u64(const char *s, uint64_t *out)
{
	if (!number_digits(s))
		return LS_NUMBER_NOT;
	errno = 0;
	unsigned long long v = strtoull(s, NULL, 10);
	if (errno == ERANGE || v > UINT64_MAX)
		return LS_NUMBER_RANGE;
	*out = (uint64_t)v;
	return LS_NUMBER_OK;
}
