/*
 * check_challenge.c - every registered scenario's challenges: each has a
 * title, a parameter line that parses and a goal; a winning schedule for
 * every challenge that can be won (found once, kept in the challenge as
 * .win) is graded met and a losing one (.lose) not met; every challenge marked impossible is
 * proven so by the explorer; and a challenge's "lost" never speaks too early
 * (no run that it called lost goes on to meet the goal).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "engine/challenge.h"
#include "explore/explore.h"
#include "helpers.h"
#include "suites.h"

/*
 * The registry's challenges, in order, each with its scenario: the winning
 * and losing schedules are the challenge's own (win, lose), in the
 * scenario's default kind of actor.
 */
#define CH_MAX 128
static struct {
	const struct ls_scenario *s;
	int which;                  /* 0-based */
} ch_cases[CH_MAX];
static int ch_ncases;

static void
ch_collect(void)
{
	ch_ncases = 0;
	for (const struct ls_scenario *const *sp = ls_scenarios; *sp; sp++)
		for (int i = 0; i < (*sp)->nchallenges && ch_ncases < CH_MAX; i++) {
			ch_cases[ch_ncases].s = *sp;
			ch_cases[ch_ncases++].which = i;
		}
}

/* Parse text as a schedule of challenge which of s's run. */
static void
challenge_parse(const struct ls_scenario *s, int which, const char *text,
                struct ls_schedule *out)
{
	long p[64];
	char err[400];
	struct ls_run_opts o;
	struct ls_run *r;

	ck_assert_msg(ls_challenge_params(s, which, p, err, sizeof err) == 0, "%s", err);
	ls_run_opts_default(&o, s);
	o.policy = LS_POLICY_STEP;
	r = ls_run_new(s, p, &o, err, sizeof err);
	ck_assert_msg(r != NULL, "%s", err);
	ls_schedule_init(out);
	ck_assert_msg(ls_schedule_parse(out, text, ls_run_actor_names(r), ls_run_actor_count(r),
	                                err, sizeof err) == 0, "%s %d: %s", s->name, which + 1, err);
	ls_run_free(r);
}

static int
challenge_grade(const struct ls_scenario *s, int which, const char *text, char *msg,
                size_t len)
{
	struct ls_schedule sc;
	int rc;

	challenge_parse(s, which, text, &sc);
	rc = ls_challenge_grade_schedule(s, which, &sc, s->kind, msg, len);
	ls_schedule_clear(&sc);
	return rc;
}

/*
 * Every scenario has one to three challenges, each well formed, with its
 * solution: a winning schedule exactly when it is not impossible, and a
 * losing one or none.
 */
START_TEST(test_challenge_every_scenario)
{
	int n = 0;

	for (const struct ls_scenario *const *sp = ls_scenarios; *sp; sp++) {
		const struct ls_scenario *s = *sp;
		long p[64];
		char err[400];

		ck_assert_msg(s->nchallenges >= 1 && s->nchallenges <= 3 && s->challenges,
		              "%s has %d challenges (1 to 3 wanted)", s->name, s->nchallenges);
		for (int i = 0; i < s->nchallenges; i++) {
			const struct ls_challenge *c = &s->challenges[i];

			ck_assert_msg(c->title && *c->title && c->met, "%s %d: no title or goal",
			              s->name, i + 1);
			ck_assert_msg(ls_challenge_params(s, i, p, err, sizeof err) == 0, "%s", err);
			ck_assert_msg(!c->win == !!c->impossible,
			              c->impossible ? "%s %d: impossible, yet it has a .win schedule"
			                            : "%s %d: no .win schedule (the solution the tests "
			                              "grade) and not marked impossible",
			              s->name, i + 1);
			n++;
		}
	}
	ck_assert_int_le(n, CH_MAX);
	ck_assert_int_eq(n, ch_ncases);
}
END_TEST

START_TEST(test_challenge_graded)
{
	const struct ls_scenario *s = ch_cases[_i].s;
	int which = ch_cases[_i].which;
	const struct ls_challenge *c = &s->challenges[which];
	char msg[600];

	if (c->win) {
		ck_assert_msg(challenge_grade(s, which, c->win, msg, sizeof msg) == 0,
		              "%s %d: the winning schedule: %s", s->name, which + 1, msg);
		ck_assert_msg(strncmp(msg, "met: ", 5) == 0, "%s", msg);
	}
	if (c->lose) {
		ck_assert_msg(challenge_grade(s, which, c->lose, msg, sizeof msg) == 1,
		              "%s %d: the losing schedule: %s", s->name, which + 1, msg);
		ck_assert_msg(strncmp(msg, "not met: ", 9) == 0, "%s", msg);
	}
}
END_TEST

/* The impossible ones: the explorer tries every schedule and none meets the goal. */
START_TEST(test_challenge_impossible_proven)
{
	const struct ls_scenario *s = ch_cases[_i].s;
	int which = ch_cases[_i].which;
	struct ls_challenge_proof proof;
	char err[400], text[300];

	if (!s->challenges[which].impossible)
		return;
	ck_assert_msg(ls_challenge_prove(s, which, s->kind, 100000, &proof, err, sizeof err) == 0,
	              "%s", err);
	ls_challenge_proof_text(s, which, &proof, text, sizeof text);
	ck_assert_msg(proof.complete && !proof.met && proof.runs > 0, "%s %d: %s", s->name,
	              which + 1, text);
	ck_assert_msg(strstr(text, "no schedule of these") && strstr(text, "the explorer tried all"),
	              "%s", text);
	ls_challenge_proof_clear(&proof);
}
END_TEST

/* A small winnable one: the explorer finds a schedule, and it grades met. */
START_TEST(test_challenge_explorer_finds_a_win)
{
	const struct ls_scenario *s = ls_scenario_find("deposit");
	struct ls_challenge_proof proof;
	char err[400], msg[600];

	ck_assert_int_eq(ls_challenge_prove(s, 0, s->kind, 100000, &proof, err, sizeof err), 0);
	ck_assert(proof.met && !proof.complete);
	ck_assert_int_eq(ls_challenge_grade_schedule(s, 0, &proof.witness, s->kind, msg,
	                                             sizeof msg), 0);
	ls_challenge_proof_clear(&proof);
}
END_TEST

/*
 * "Cannot be met any more" must be true: over seeded random runs, after the
 * lost test first says so, the goal never becomes met.
 */
START_TEST(test_challenge_lost_is_final)
{
	for (const struct ls_scenario *const *sp = ls_scenarios; *sp; sp++) {
		const struct ls_scenario *s = *sp;

		for (int i = 0; i < s->nchallenges; i++) {
			const struct ls_challenge *c = &s->challenges[i];
			long p[64];
			char err[400];

			if (!c->lost)
				continue;
			ck_assert_int_eq(ls_challenge_params(s, i, p, err, sizeof err), 0);
			for (uint64_t seed = 1; seed <= 12; seed++) {
				struct ls_run *r = th_start(s, p, LS_ACTORS_THREADS, LS_POLICY_STEP, 0);
				uint64_t x = seed * 0x9E3779B97F4A7C15u;
				int lost_at = -1, steps = 0, en[64];

				while (ls_run_status(r) == LS_RUN_RUNNING && steps < 400) {
					int n = ls_run_enabled(r, en, 64);

					if (n <= 0) {
						ls_run_poll(r, 10);
						continue;
					}
					x ^= x << 13;
					x ^= x >> 7;
					x ^= x << 17;
					ck_assert_int_ge(ls_run_step(r, en[x % (uint64_t)n]), 0);
					steps++;
					ls_run_poll(r, 1);
					const struct ls_model *m = ls_run_model(r);
					if (lost_at < 0 && c->lost(m, p))
						lost_at = steps;
					ck_assert_msg(!(lost_at >= 0 && c->met(m, p)),
					              "%s %d, seed %llu: called lost at step %d, met at %d",
					              s->name, i + 1, (unsigned long long)seed, lost_at, steps);
				}
				ls_run_free(r);
			}
		}
	}
}
END_TEST

START_TEST(test_challenge_bad_input)
{
	const struct ls_scenario *s = ls_scenario_find("deposit");
	struct ls_schedule sc;
	char msg[600];

	ls_schedule_init(&sc);
	ck_assert_int_eq(ls_challenge_grade_schedule(s, 7, &sc, s->kind, msg, sizeof msg), 2);
	ck_assert_msg(strstr(msg, "no challenge 8 (it has 1..2)"), "%s", msg);
	/* Under the lock, T2 cannot load while T1 holds it. */
	ck_assert_int_eq(challenge_grade(s, 1, "T1 T2", msg, sizeof msg), 2);
	ck_assert_msg(strstr(msg, "does not fit"), "%s", msg);
	ck_assert_int_eq(ls_challenge_grade(s, 0, "/nonexistent/schedule", s->kind, msg,
	                                    sizeof msg), 2);
}
END_TEST

Suite *
challenge_suite(void)
{
	Suite *s = suite_create("challenge");
	TCase *tc;

	ch_collect();
	tc = th_tcase(s, "table", 30);
	tcase_add_test(tc, test_challenge_every_scenario);
	tcase_add_test(tc, test_challenge_bad_input);
	tc = th_tcase(s, "graded", 120);
	tcase_add_loop_test(tc, test_challenge_graded, 0, ch_ncases);
	tc = th_tcase(s, "proven", 300);
	tcase_add_loop_test(tc, test_challenge_impossible_proven, 0, ch_ncases);
	tcase_add_test(tc, test_challenge_explorer_finds_a_win);
	tc = th_tcase(s, "lost", 300);
	tcase_add_test(tc, test_challenge_lost_is_final);
	return s;
}
