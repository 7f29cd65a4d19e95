/*
 * check_schedule.c - schedules as text and as files: names, comments, white
 * space, errors that point at the line, round trips.  Files live in a
 * private temporary directory removed by the teardown.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/schedule.h"
#include "helpers.h"
#include "suites.h"

static const char *const schedule_names[] = { "T1", "T2", "T10" };
#define NNAMES 3

static char schedule_dir[256];
static char schedule_path[300];

static void
schedule_setup(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(schedule_dir, sizeof schedule_dir, "%s/lockstep-test-XXXXXX",
	         base && *base ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(schedule_dir));
	snprintf(schedule_path, sizeof schedule_path, "%s/sched.txt", schedule_dir);
}

static void
schedule_teardown(void)
{
	unlink(schedule_path);
	ck_assert_int_eq(rmdir(schedule_dir), 0);
}

static void
schedule_write_file(const char *data, size_t len)
{
	FILE *f = fopen(schedule_path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(schedule_parse_names)
{
	struct ls_schedule s;
	char err[200] = "";
	const char *text =
		"# a saved schedule\n"
		"T1 T2\tT10   T1\n"
		"\n"
		"   # an indented comment naming T9\n"
		"T2#no space before the comment\n"
		"  T10\r\n"
		"T1";
	static const int want[] = { 0, 1, 2, 0, 1, 2, 0 };

	ck_assert_int_eq(ls_schedule_parse(&s, text, schedule_names, NNAMES, err, sizeof err), 0);
	ck_assert_uint_eq(s.len, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < s.len; i++)
		ck_assert_int_eq(s.steps[i], want[i]);
	ls_schedule_clear(&s);
	ck_assert_ptr_null(s.steps);
	ck_assert_uint_eq(s.len, 0);
}
END_TEST

START_TEST(schedule_parse_empty)
{
	struct ls_schedule s;
	char err[200] = "";

	ck_assert_int_eq(ls_schedule_parse(&s, "", schedule_names, NNAMES, err, sizeof err), 0);
	ck_assert_uint_eq(s.len, 0);
	ck_assert_int_eq(ls_schedule_parse(&s, "  # only a comment\n\n", schedule_names, NNAMES,
	                                   err, sizeof err), 0);
	ck_assert_uint_eq(s.len, 0);
	ls_schedule_clear(&s);
}
END_TEST

START_TEST(schedule_unknown_name)
{
	struct ls_schedule s;
	char err[200] = "";

	ck_assert_int_eq(ls_schedule_parse(&s, "T1 T2\n# T1\n  T2 T9 T1\n",
	                                   schedule_names, NNAMES, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "line 3"));
	ck_assert_ptr_nonnull(strstr(err, "'T9'"));
	ck_assert_ptr_nonnull(strstr(err, "T1..T10"));
	ck_assert_uint_eq(s.len, 0);
	ck_assert_ptr_null(s.steps);

	/* A prefix of a name is not the name. */
	ck_assert_int_eq(ls_schedule_parse(&s, "T", schedule_names, NNAMES, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "line 1"));
	ck_assert_ptr_nonnull(strstr(err, "'T'"));
}
END_TEST

START_TEST(schedule_write_parse_round_trip)
{
	struct ls_schedule s, back;
	char err[200] = "";
	char *text = NULL;
	size_t len = 0;

	ls_schedule_init(&s);
	/* Long enough to wrap over several lines. */
	for (int i = 0; i < 200; i++)
		ck_assert_int_eq(ls_schedule_push(&s, (i * 7 + i / 3) % NNAMES), 0);
	FILE *f = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(ls_schedule_write(&s, f, schedule_names, "deposit depositors=3"), 0);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_ptr_nonnull(strstr(text, "# deposit depositors=3\n"));
	ck_assert_ptr_nonnull(strstr(text, "200 steps"));
	for (char *p = text, *nl; (nl = strchr(p, '\n')); p = nl + 1)
		ck_assert_int_le(nl - p, 80);

	ck_assert_int_eq(ls_schedule_parse(&back, text, schedule_names, NNAMES, err, sizeof err), 0);
	ck_assert_uint_eq(back.len, s.len);
	ck_assert_int_eq(memcmp(back.steps, s.steps, s.len * sizeof *s.steps), 0);
	free(text);
	ls_schedule_clear(&back);

	/* The same through a file. */
	ck_assert_int_eq(ls_schedule_save(&s, schedule_path, schedule_names, NULL, err, sizeof err), 0);
	ck_assert_int_eq(ls_schedule_load(&back, schedule_path, schedule_names, NNAMES, err,
	                                  sizeof err), 0);
	ck_assert_uint_eq(back.len, s.len);
	ck_assert_int_eq(memcmp(back.steps, s.steps, s.len * sizeof *s.steps), 0);
	ls_schedule_clear(&back);
	ls_schedule_clear(&s);
}
END_TEST

START_TEST(schedule_load_missing_file)
{
	struct ls_schedule s;
	char err[400] = "";

	ck_assert_int_eq(ls_schedule_load(&s, schedule_path, schedule_names, NNAMES, err,
	                                  sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, schedule_path));
	ck_assert_ptr_nonnull(strstr(err, strerror(ENOENT)));
	ck_assert_uint_eq(s.len, 0);
}
END_TEST

START_TEST(schedule_load_rejects_nul)
{
	struct ls_schedule s;
	char err[400] = "";
	static const char data[] = "T1 T2\0T1\n";

	schedule_write_file(data, sizeof data - 1);
	ck_assert_int_eq(ls_schedule_load(&s, schedule_path, schedule_names, NNAMES, err,
	                                  sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, schedule_path));
	ck_assert_ptr_nonnull(strstr(err, "not text"));
	ck_assert_uint_eq(s.len, 0);
}
END_TEST

/* An unknown name in a file: the error names the file and the line. */
START_TEST(schedule_load_bad_name)
{
	struct ls_schedule s;
	char err[400] = "";
	static const char data[] = "# header\nT1\nT2 P1\n";

	schedule_write_file(data, sizeof data - 1);
	ck_assert_int_eq(ls_schedule_load(&s, schedule_path, schedule_names, NNAMES, err,
	                                  sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, schedule_path));
	ck_assert_ptr_nonnull(strstr(err, "line 3"));
	ck_assert_ptr_nonnull(strstr(err, "'P1'"));
}
END_TEST

/* A file with no step (empty, blanks, comments) is refused: nothing to replay. */
START_TEST(schedule_load_rejects_no_steps)
{
	static const char *const data[] = { "", " \n\t\n", "# header\n  # 0 steps\n" };

	for (size_t i = 0; i < sizeof data / sizeof data[0]; i++) {
		struct ls_schedule s;
		char err[400] = "";
		schedule_write_file(data[i], strlen(data[i]));
		ck_assert_int_eq(ls_schedule_load(&s, schedule_path, schedule_names, NNAMES, err,
		                                  sizeof err), -1);
		ck_assert_ptr_nonnull(strstr(err, schedule_path));
		ck_assert_ptr_nonnull(strstr(err, "holds no steps"));
		ck_assert_uint_eq(s.len, 0);
	}
}
END_TEST

START_TEST(schedule_save_unwritable)
{
	struct ls_schedule s;
	char err[400] = "", path[400];

	ls_schedule_init(&s);
	ck_assert_int_eq(ls_schedule_push(&s, 0), 0);
	snprintf(path, sizeof path, "%s/no/such/dir", schedule_dir);
	ck_assert_int_eq(ls_schedule_save(&s, path, schedule_names, NULL, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, path));
	ls_schedule_clear(&s);
}
END_TEST

Suite *
schedule_suite(void)
{
	Suite *s = suite_create("schedule");
	TCase *tc = th_tcase(s, "text", 10);

	tcase_add_checked_fixture(tc, schedule_setup, schedule_teardown);
	tcase_add_test(tc, schedule_parse_names);
	tcase_add_test(tc, schedule_parse_empty);
	tcase_add_test(tc, schedule_unknown_name);
	tcase_add_test(tc, schedule_write_parse_round_trip);
	tcase_add_test(tc, schedule_load_missing_file);
	tcase_add_test(tc, schedule_load_rejects_nul);
	tcase_add_test(tc, schedule_load_bad_name);
	tcase_add_test(tc, schedule_load_rejects_no_steps);
	tcase_add_test(tc, schedule_save_unwritable);
	return s;
}
