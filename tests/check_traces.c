/*
 * check_traces.c - trace counting (src/explore/traces.c) on cases whose
 * count is worked out by hand: the orders of a run's steps that keep each
 * actor's steps in order and each dependent pair as the run took it.
 *
 *   two actors, two steps each, independent: C(4,2) = 6
 *   three actors of 1, 1 and 2 steps, independent: 4!/(1!1!2!) = 12
 *   a1 a2 by A, b1 b2 by B, b1 after a1: the 6 less the 3 that begin with
 *     b1 (b1, then a1 a2 b2 with a1 before a2: 3!/2 = 3) = 3
 *   every step depending on every earlier one: 1
 *   two actors of 30 independent steps: C(60,30) = 118264581564861424
 *   two actors of 40: C(80,40) > 2^64, so the count saturates
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "explore/traces.h"
#include "suites.h"

/* need[] for a run where each step depends only on its own actor's. */
static int *
tr_independent(int nsteps, int nactors)
{
	return calloc((size_t)nsteps * (size_t)nactors, sizeof(int));
}

static uint64_t
tr_count(int nsteps, int nactors, const int *actor, const int *need)
{
	uint64_t n = 0;
	int sat = 0;

	ck_assert_int_eq(ls_trace_count(nsteps, nactors, actor, need, 1000000, &n, &sat), 0);
	ck_assert_int_eq(sat, 0);
	return n;
}

START_TEST(traces_independent)
{
	static const int two[] = { 0, 1, 0, 1 }, three[] = { 0, 1, 2, 2 };
	int *need = tr_independent(4, 3);

	ck_assert_uint_eq(tr_count(4, 2, two, need), 6);
	ck_assert_uint_eq(tr_count(4, 3, three, need), 12);
	free(need);
}
END_TEST

START_TEST(traces_one_dependency)
{
	/* The run took a1 b1 a2 b2; b1 (step 1) depends on a1 (step 0). */
	static const int actor[] = { 0, 1, 0, 1 };
	int need[4 * 2] = { 0 };

	need[1 * 2 + 0] = 1;   /* step 1 needs 1 of actor 0's steps before it */
	need[3 * 2 + 0] = 1;   /* and so does b2, after b1 */
	ck_assert_uint_eq(tr_count(4, 2, actor, need), 3);
}
END_TEST

START_TEST(traces_chain)
{
	/* a b a b, each step after all the steps the run took before it. */
	static const int actor[] = { 0, 1, 0, 1 };
	int need[4 * 2];
	int done[2] = { 0, 0 };

	for (int j = 0; j < 4; j++) {
		need[j * 2 + 0] = done[0];
		need[j * 2 + 1] = done[1];
		done[actor[j]]++;
	}
	ck_assert_uint_eq(tr_count(4, 2, actor, need), 1);
}
END_TEST

START_TEST(traces_large_and_saturated)
{
	int actor[80];
	int *need = tr_independent(80, 2);
	uint64_t n = 0;
	int sat = 0;

	for (int j = 0; j < 80; j++)
		actor[j] = j & 1;
	ck_assert_uint_eq(tr_count(60, 2, actor, need), UINT64_C(118264581564861424));
	ck_assert_int_eq(ls_trace_count(80, 2, actor, need, 1000000, &n, &sat), 0);
	ck_assert_int_eq(sat, 1);
	ck_assert_uint_eq(n, UINT64_MAX);
	/* Too many partial orders to keep: refused, not guessed. */
	sat = 0;
	ck_assert_int_eq(ls_trace_count(60, 2, actor, need, 100, &n, &sat), -1);
	free(need);
}
END_TEST

Suite *
traces_suite(void)
{
	Suite *s = suite_create("traces");
	TCase *tc = tcase_create("count");

	tests_timeout(tc, 30);
	tcase_add_test(tc, traces_independent);
	tcase_add_test(tc, traces_one_dependency);
	tcase_add_test(tc, traces_chain);
	tcase_add_test(tc, traces_large_and_saturated);
	suite_add_tcase(s, tc);
	return s;
}
