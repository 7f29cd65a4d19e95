/*
 * check_pymap.c - every registered scenario's probe lines against its Python
 * program: each probe line declares its Python line, that line exists and
 * really does the operation.  And the map the source pane reads.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "engine/pymap.h"
#include "lockstep/scenario.h"
#include "suites.h"

START_TEST(pymap_every_probe_line_has_its_python)
{
	int registered = 0, mapped = 0;

	for (int i = 0; ls_scenarios[i]; i++) {
		const char *name = ls_scenarios[i]->name;
		char err[256];
		int probes, bad = ls_pymap_check(name, &probes, err, sizeof err);
		struct ls_pymap *map = ls_pymap_new(name);

		registered++;
		ck_assert_msg(bad == 0, "%d problem(s); first: %s", bad, err);
		ck_assert_msg(probes > 0, "%s: no probe line found in its source", name);
		/* Checked against a Python program, not passed for lack of one. */
		ck_assert_msg(map != NULL, "%s: no Python program embedded", name);
		mapped += map != NULL;
		ls_pymap_free(map);
	}
	/* Every lesson the registry lists has its Python and its map. */
	ck_assert_int_eq(mapped, registered);
	ck_assert_int_gt(registered, 0);
}
END_TEST

/* The line of text that contains needle, counted from 1, or 0. */
static int
pymap_line_of(const char *text, const char *needle)
{
	const char *hit = strstr(text, needle);
	int n = 1;

	if (!hit)
		return 0;
	for (const char *p = text; p < hit; p++)
		n += *p == '\n';
	return n;
}

/* Line n of text, up to its newline, into buf. */
static void
pymap_nth(const char *text, int n, char *buf, size_t len)
{
	const char *p = text;

	for (int i = 1; i < n && p; i++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	buf[0] = '\0';
	if (p)
		snprintf(buf, len, "%.*s", (int)strcspn(p, "\n"), p);
}

/* deposit's store is the Python assignment to the balance. */
START_TEST(pymap_deposit_store_is_the_assignment)
{
	const char *c = ls_scenario_source("deposit"), *py = ls_scenario_python("deposit");
	struct ls_pymap *map = ls_pymap_new("deposit");
	char buf[200];

	ck_assert_ptr_nonnull(map);
	ck_assert_ptr_nonnull(py);
	int cline = pymap_line_of(c, "ls_store(d->balance");
	ck_assert_int_gt(cline, 0);
	ck_assert_str_eq(ls_pymap_tag(map, cline), "store");
	int pline = ls_pymap_line(map, cline);
	ck_assert_int_gt(pline, 0);
	pymap_nth(py, pline, buf, sizeof buf);
	ck_assert_msg(strstr(buf, "self._balance = new_balance") != NULL, "line %d: %s", pline, buf);
	ck_assert_int_eq(ls_pymap_line(map, 1), 0);
	ck_assert_int_eq(ls_pymap_line(map, 100000), 0);
	ls_pymap_free(map);
	ck_assert_ptr_null(ls_pymap_new("no-such-scenario"));
}
END_TEST

/*
 * A program's own spelling of an operation: a proxy's append() is no
 * Pipe.send() by the table, so the line fails until the program says, on a
 * "# @says" line of its own, that it does pipe_send that way; a pattern
 * for another operation does not count, and one that does not compile is
 * named.
 */
START_TEST(pymap_program_says_its_own_spelling)
{
	const char *c = "\tls_pipe_send(p, 0, 1); /* py:pipe_send */\n";
	const char *py = "l.append(v)  # @op:pipe_send\n";
	const char *other = "l.append(v)  # @op:pipe_send\n# @says pipe_recv: \\.append\\(\n";
	const char *own = "l.append(v)  # @op:pipe_send\n# @says pipe_send: \\.append\\(\n";
	const char *broken = "l.append(v)  # @op:pipe_send\n# @says pipe_send: ([\n";
	char err[256];
	int probes;

	ck_assert_int_eq(ls_pymap_check_text("t", c, py, &probes, err, sizeof err), 1);
	ck_assert_int_eq(probes, 1);
	ck_assert_msg(strstr(err, "t.c:1: does not do pipe_send"), "%s", err);
	ck_assert_int_eq(ls_pymap_check_text("t", c, other, NULL, err, sizeof err), 1);
	ck_assert_int_eq(ls_pymap_check_text("t", c, own, NULL, err, sizeof err), 0);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(ls_pymap_check_text("t", c, broken, NULL, err, sizeof err), 1);
	ck_assert_msg(strstr(err, "does not compile"), "%s", err);
}
END_TEST

Suite *
pymap_suite(void)
{
	Suite *s = suite_create("pymap");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, pymap_every_probe_line_has_its_python);
	tcase_add_test(tc, pymap_deposit_store_is_the_assignment);
	tcase_add_test(tc, pymap_program_says_its_own_spelling);
	suite_add_tcase(s, tc);
	return s;
}
