/*
 * check_state.c - the explorer's states (src/explore/state.c): the store
 * finds what was put under a key, keeps the first items of a key put twice,
 * keeps them all as it grows past its first size, and tells keys apart
 * that share a slot; and the keyer gives a state reached by moving either
 * of two symmetric depositors the same key, so the store merges them (and
 * two keys, without symmetry).
 */
#include "config.h"

#include <string.h>

#include "explore/state.h"
#include "helpers.h"
#include "suites.h"

#define ST_KEYS (4 * LS_STATE_STORE_FIRST)

static struct ls_state_key
st_key(uint64_t i)
{
	/* Spread like a digest, and distinct in both words. */
	struct ls_state_key k = { { i * UINT64_C(0x9e3779b97f4a7c15) + 1, ~i } };
	return k;
}

START_TEST(store_put_find_grow)
{
	struct ls_state_store t;
	size_t n = 99;

	ls_state_store_init(&t, sizeof(int));
	struct ls_state_key none = st_key(ST_KEYS + 7);
	ck_assert_ptr_null(ls_state_store_find(&t, &none, &n));
	for (int i = 0; i < ST_KEYS; i++) {
		int items[3] = { i, -i, 7 * i };
		struct ls_state_key k = st_key((uint64_t)i);
		ck_assert_int_eq(ls_state_store_put(&t, &k, items, (size_t)(i % 4 == 3 ? 0 : i % 4 + 1)),
		                 0);
		if (i == LS_STATE_STORE_FIRST / 2 - 1)
			ck_assert_uint_eq(t.cap, LS_STATE_STORE_FIRST);
	}
	/* Past its first size: grown, every key still there with its items. */
	ck_assert_uint_eq(t.n, ST_KEYS);
	ck_assert_uint_gt(t.cap, LS_STATE_STORE_FIRST);
	ck_assert_uint_ge(t.cap, 2 * t.n);
	for (int i = 0; i < ST_KEYS; i++) {
		struct ls_state_key k = st_key((uint64_t)i);
		const int *got = ls_state_store_find(&t, &k, &n);
		ck_assert_msg(got != NULL, "key %d lost", i);
		ck_assert_uint_eq(n, (size_t)(i % 4 == 3 ? 0 : i % 4 + 1));
		for (size_t j = 0; j < n; j++)
			ck_assert_int_eq(got[j], j == 0 ? i : j == 1 ? -i : 7 * i);
	}
	ck_assert_ptr_null(ls_state_store_find(&t, &none, &n));
	/* Put again: the first items stay. */
	int other[2] = { 1000, 1001 };
	struct ls_state_key k5 = st_key(5);
	ck_assert_int_eq(ls_state_store_put(&t, &k5, other, 2), 0);
	ck_assert_uint_eq(t.n, ST_KEYS);
	const int *got = ls_state_store_find(&t, &k5, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(got[0], 5);
	ls_state_store_free(&t);
	ck_assert_ptr_null(ls_state_store_find(&t, &k5, &n));
}
END_TEST

/* Keys equal in their first word land in one slot: the second word tells. */
START_TEST(store_same_slot)
{
	struct ls_state_store t;
	struct ls_state_key a = { { 42, 1 } }, b = { { 42, 2 } }, c = { { 42, 3 } };
	int x = 10, y = 20;
	size_t n;

	ls_state_store_init(&t, sizeof(int));
	ck_assert_int_eq(ls_state_store_put(&t, &a, &x, 1), 0);
	ck_assert_int_eq(ls_state_store_put(&t, &b, &y, 1), 0);
	ck_assert_int_eq(*(const int *)ls_state_store_find(&t, &a, &n), 10);
	ck_assert_int_eq(*(const int *)ls_state_store_find(&t, &b, &n), 20);
	ck_assert_ptr_null(ls_state_store_find(&t, &c, &n));
	ls_state_store_free(&t);
}
END_TEST

/* The key after actor `first` of two depositors takes one step. */
static struct ls_state_key
st_after(int first, int symmetry, int *class_of_1)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_scenario("deposit", p, "depositors=2 delay_ms=0 locked=1");
	struct ls_run_opts o;
	char err[256];
	int en[2];
	uint32_t moves[2] = { 0, 0 };
	struct ls_state_key key;

	th_opts(&o, s, LS_ACTORS_THREADS, LS_POLICY_STEP);
	struct ls_run *r = ls_run_new(s, p, &o, err, sizeof err);
	ck_assert_msg(r != NULL, "%s", err);
	struct ls_state_keyer *k = ls_state_keyer_new(s, 2, symmetry);
	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(ls_run_watch(r, ls_state_keyer_watch, k), 0);
	ck_assert_msg(ls_run_start(r, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(ls_run_enabled(r, en, 2), 2);
	ls_state_keyer_key(k, ls_run_model(r), 0, -1, 0, moves, &key);
	*class_of_1 = ls_state_keyer_class(k, en, 2, 1);
	ck_assert_int_eq(ls_run_step(r, first), first);
	moves[first]++;
	ck_assert_int_gt(ls_run_enabled(r, en, 2), 0);
	struct ls_state_key start = key;
	ls_state_keyer_key(k, ls_run_model(r), 0, -1, 0, moves, &key);
	ck_assert(memcmp(&key, &start, sizeof key) != 0);   /* a step changes the state */
	ls_run_free(r);   /* first: its last events still reach the keyer */
	ls_state_keyer_free(k);
	return key;
}

START_TEST(keyer_symmetric_merged)
{
	struct ls_state_store t;
	int cls, outcome = 3;
	size_t n;

	struct ls_state_key a = st_after(0, 1, &cls);
	ck_assert_int_eq(cls, 0);   /* at the start the two are one class */
	struct ls_state_key b = st_after(1, 1, &cls);
	ck_assert(memcmp(&a, &b, sizeof a) == 0);
	ls_state_store_init(&t, sizeof(int));
	ck_assert_int_eq(ls_state_store_put(&t, &a, &outcome, 1), 0);
	const int *got = ls_state_store_find(&t, &b, &n);
	ck_assert_msg(got != NULL, "the permuted state is not merged");
	ck_assert_int_eq(*got, 3);
	ls_state_store_free(&t);
	/* Without symmetry the two are different states and classes. */
	a = st_after(0, 0, &cls);
	ck_assert_int_eq(cls, 1);
	b = st_after(1, 0, &cls);
	ck_assert(memcmp(&a, &b, sizeof a) != 0);
}
END_TEST

Suite *
state_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = th_tcase(s, "store", 60);

	tcase_add_test(tc, store_put_find_grow);
	tcase_add_test(tc, store_same_slot);
	tcase_add_test(tc, keyer_symmetric_merged);
	return s;
}
