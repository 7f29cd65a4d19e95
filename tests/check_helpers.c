/*
 * check_helpers.c - the small engine helpers every view shares: strict
 * numbers, quoting for messages, the words, parameter values and ranges
 * with one case rule, schedule copies, files written whole or not at all.
 * Pure functions and a private temporary directory; no actors.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/number.h"
#include "engine/outfile.h"
#include "engine/params.h"
#include "engine/quote.h"
#include "engine/schedule.h"
#include "engine/words.h"
#include "lockstep/model.h"
#include "suites.h"

START_TEST(number_strict)
{
	long v = 7;
	uint64_t u = 7;

	ck_assert_int_eq(ls_number_long("42", 0, 100, &v), LS_NUMBER_OK);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(ls_number_long("-3", -5, 5, &v), LS_NUMBER_OK);
	ck_assert_int_eq(v, -3);
	ck_assert_int_eq(ls_number_long(" 2", 0, 100, &v), LS_NUMBER_NOT);
	ck_assert_int_eq(ls_number_long("+2", 0, 100, &v), LS_NUMBER_NOT);
	ck_assert_int_eq(ls_number_long("2 ", 0, 100, &v), LS_NUMBER_NOT);
	ck_assert_int_eq(ls_number_long("", 0, 100, &v), LS_NUMBER_NOT);
	ck_assert_int_eq(ls_number_long("-", 0, 100, &v), LS_NUMBER_NOT);
	ck_assert_int_eq(ls_number_long("0x10", 0, 100, &v), LS_NUMBER_NOT);
	ck_assert_int_eq(ls_number_long("101", 0, 100, &v), LS_NUMBER_RANGE);
	ck_assert_int_eq(ls_number_long("99999999999999999999", 0, 100, &v), LS_NUMBER_RANGE);
	ck_assert_int_eq(v, -3);   /* untouched on failure */
	ck_assert_int_eq(ls_number_u64("18446744073709551615", &u), LS_NUMBER_OK);
	ck_assert(u == UINT64_MAX);
	ck_assert_int_eq(ls_number_u64("18446744073709551616", &u), LS_NUMBER_RANGE);
	ck_assert_int_eq(ls_number_u64("-1", &u), LS_NUMBER_NOT);
	ck_assert_int_eq(ls_number_u64(" 1", &u), LS_NUMBER_NOT);
}
END_TEST

START_TEST(quote_escapes_and_cuts)
{
	char buf[LS_QUOTE_BUF], big[1000];

	ck_assert_str_eq(ls_quote("T1", buf, sizeof buf), "T1");
	ck_assert_str_eq(ls_quote("a\033]0;x\007b", buf, sizeof buf), "a\\033]0;x\\007b");
	ck_assert_str_eq(ls_quote("a\\b\n", buf, sizeof buf), "a\\\\b\\n");
	ck_assert_str_eq(ls_quote("d\xc3\xa9p\xc3\xb4t", buf, sizeof buf), "d\xc3\xa9p\xc3\xb4t");
	ck_assert_str_eq(ls_quote("\xc2\x9b", buf, sizeof buf), "\\302\\233");   /* C1 CSI */
	ck_assert_str_eq(ls_quote("\xff", buf, sizeof buf), "\\377");
	ck_assert_str_eq(ls_quote_n("T1 T2", 2, buf, sizeof buf), "T1");
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	ls_quote(big, buf, sizeof buf);
	ck_assert_uint_eq(strlen(buf), sizeof buf - 1);
	ck_assert_str_eq(buf + strlen(buf) - 3, "...");
	/* Exactly fitting text is not cut. */
	big[sizeof buf - 1] = '\0';
	ls_quote(big, buf, sizeof buf);
	ck_assert_str_eq(buf, big);
	/* An escape is never cut in half. */
	memset(big, '\033', 40);
	big[40] = '\0';
	ls_quote(big, buf, sizeof buf);
	ck_assert_str_eq(buf + strlen(buf) - 7, "\\033...");
}
END_TEST

START_TEST(words_are_one)
{
	enum ls_actor_kind k = LS_ACTORS_THREADS;
	const struct ls_role_desc many = { .name = "d", .prefix = "T", .count_param = -1, .count = 2 };
	const struct ls_role_desc one = { .name = "l", .prefix = "light", .count_param = -1,
	                                  .count = 1, .single = 1 };
	char buf[LS_ACTOR_NAME_MAX];

	ck_assert_str_eq(ls_words_kind(LS_ACTORS_PROCESSES), "processes");
	ck_assert_str_eq(ls_words_kind_one(LS_ACTORS_THREADS), "thread");
	ck_assert_int_eq(ls_words_kind_parse("processes", &k), 0);
	ck_assert_int_eq(k, LS_ACTORS_PROCESSES);
	ck_assert_int_eq(ls_words_kind_parse("Process", &k), -1);
	ck_assert_str_eq(ls_words_verdict(1), "as expected");
	ck_assert_str_eq(ls_words_verdict(0), "NOT as expected");
	ck_assert_str_eq(ls_words_verdict(-1), "undecided");
	ls_words_actor_name(&many, 2, 1, buf, sizeof buf);
	ck_assert_str_eq(buf, "T2");
	ls_words_actor_name(&one, 1, 0, buf, sizeof buf);
	ck_assert_str_eq(buf, "light");
	ls_words_actor_name(&one, 2, 0, buf, sizeof buf);
	ck_assert_str_eq(buf, "light1");
}
END_TEST

START_TEST(params_one_case_rule)
{
	static const char *const choices[] = { "none", "mutex", "flock", NULL };
	const struct ls_param_desc lock = { "lock", "", 0, 0, 2, choices };
	const struct ls_param_desc n = { "n", "", 5, 1, 10, NULL };
	char buf[LS_PARAMS_RANGE_MAX], err[200];
	long v = -1;

	/* Choices are exact: no case folding; the number is the one alias (show says so). */
	ck_assert_int_eq(ls_params_choice(&lock, "mutex"), 1);
	ck_assert_int_eq(ls_params_choice(&lock, "MUTEX"), -1);
	ck_assert_int_eq(ls_params_choice(&lock, "Flock"), -1);
	ck_assert_int_eq(ls_params_choice(&lock, "mutexes"), -1);
	ck_assert_int_eq(ls_params_parse(&lock, "Mutex", &v, err, sizeof err), -1);
	ck_assert_str_eq(err, "lock=Mutex is not one of the choices (accepted: none|mutex|flock)");
	ck_assert_int_eq(ls_params_parse(&lock, "2", &v, err, sizeof err), 0);
	ck_assert_int_eq(v, 2);
	ck_assert_int_eq(ls_params_parse(&n, "+3", &v, err, sizeof err), -1);
	ck_assert_str_eq(err, "n=+3 is not a whole number (accepted: 1..10)");
	ck_assert_int_eq(ls_params_parse(&n, "11", &v, err, sizeof err), -1);
	ck_assert_str_eq(err, "n=11 is out of range (accepted: 1..10)");
	ls_params_value(&lock, 1, buf, sizeof buf);
	ck_assert_str_eq(buf, "mutex");
	ls_params_range(&lock, buf, sizeof buf);
	ck_assert_str_eq(buf, "none|mutex|flock");
	ls_params_range(&n, buf, sizeof buf);
	ck_assert_str_eq(buf, "1..10");
}
END_TEST

START_TEST(schedule_copy_prefix)
{
	struct ls_schedule a, b;

	ls_schedule_init(&a);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(ls_schedule_push(&a, i), 0);
	ck_assert_int_eq(ls_schedule_copy(&b, &a, 3), 0);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_int_eq(b.steps[2], 2);
	ls_schedule_clear(&b);
	ck_assert_int_eq(ls_schedule_copy(&b, &a, 99), 0);
	ck_assert_uint_eq(b.len, 5);
	ck_assert_int_eq(ls_schedule_push(&b, 9), 0);   /* still growable */
	ck_assert_int_eq(b.steps[5], 9);
	ls_schedule_clear(&b);
	ck_assert_int_eq(ls_schedule_copy(&b, &a, 0), 0);
	ck_assert_uint_eq(b.len, 0);
	ls_schedule_clear(&b);
	ls_schedule_clear(&a);
}
END_TEST

/* Written whole, renamed into place, nothing left beside it. */
START_TEST(outfile_whole_or_nothing)
{
	const char *base = getenv("TMPDIR");
	char dir[256], path[300], line[32];
	struct ls_outfile o;

	snprintf(dir, sizeof dir, "%s/lockstep-test-XXXXXX", base && *base ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/out", dir);
	ck_assert_int_eq(ls_outfile_open(&o, path), 0);
	fputs("new\n", o.f);
	ck_assert_int_eq(access(path, F_OK), -1);   /* not there until complete */
	ck_assert_int_eq(ls_outfile_commit(&o), 0);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
	fclose(f);
	ck_assert_str_eq(line, "new\n");
	/* Given up: the old file stays, the temporary goes. */
	ck_assert_int_eq(ls_outfile_open(&o, path), 0);
	fputs("half", o.f);
	ls_outfile_abort(&o);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
	fclose(f);
	ck_assert_str_eq(line, "new\n");
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);   /* empty: no temporary left */
	/* A device is written in place, and its error reported. */
	if (access("/dev/full", W_OK) == 0) {
		ck_assert_int_eq(ls_outfile_open(&o, "/dev/full"), 0);
		fputs("x", o.f);
		ck_assert_int_eq(ls_outfile_commit(&o), -1);
		ck_assert_int_eq(errno, ENOSPC);
	}
}
END_TEST

Suite *
helpers_suite(void)
{
	Suite *s = suite_create("helpers");
	TCase *tc = tcase_create("helpers");

	tcase_add_test(tc, number_strict);
	tcase_add_test(tc, quote_escapes_and_cuts);
	tcase_add_test(tc, words_are_one);
	tcase_add_test(tc, params_one_case_rule);
	tcase_add_test(tc, schedule_copy_prefix);
	tcase_add_test(tc, outfile_whole_or_nothing);
	suite_add_tcase(s, tc);
	return s;
}
