/*
 * suites.h - the engine's Check suites, one per tests/check_*.c, all run by
 * check_main.c; the list is generated, so a new check_NAME.c is run as it is.  Every test case that starts threads or processes has a
 * timeout, so a hang fails the test instead of the build.
 */
#ifndef LS_TESTS_SUITES_H
#define LS_TESTS_SUITES_H

#include <check.h>
#include <stdlib.h>

/* Every suite, one LS_SUITE(name) per tests/check_NAME.c (the build
 * generates tests/suite-list.h from the files: tests/suites.sh). */
#define LS_SUITE(name) Suite *name##_suite(void);
#include "tests/suite-list.h"
#undef LS_SUITE

/*
 * A test case's timeout: its own figure, or CK_DEFAULT_TIMEOUT when that is
 * longer (the sanitizer builds set it, as they run several times slower).
 */
static inline void
tests_timeout(TCase *tc, double seconds)
{
	const char *env = getenv("CK_DEFAULT_TIMEOUT");
	double floor = env ? strtod(env, NULL) : 0;

	tcase_set_timeout(tc, floor > seconds ? floor : seconds);
}

#endif
