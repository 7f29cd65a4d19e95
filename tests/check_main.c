/*
 * check_main.c - the one runner: every suite in one SRunner (the list is
 * generated from tests/check_*.c), each test in its own forked child
 * (Check's default), non-zero exit on any failure.
 */
#include "config.h"

#include <stdlib.h>

#include "suites.h"

int
main(void)
{
	SRunner *sr = srunner_create(NULL);

#define LS_SUITE(name) srunner_add_suite(sr, name##_suite());
#include "tests/suite-list.h"
#undef LS_SUITE
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
