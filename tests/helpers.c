/*
 * helpers.c - the helpers every Check suite used to copy; see helpers.h.
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "helpers.h"
#include "engine/params.h"
#include "suites.h"

const struct ls_scenario *
th_scenario(const char *name, long *p, const char *overrides)
{
	const struct ls_scenario *s = ls_scenario_find(name);
	char err[256], buf[512];

	ck_assert_msg(s != NULL, "no scenario '%s'", name);
	ls_params_default(s, p);
	ck_assert_uint_lt(strlen(overrides), sizeof buf);
	snprintf(buf, sizeof buf, "%s", overrides);
	/* strtok_r: a test may run its own tokenizer around this call. */
	char *save = NULL;
	for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		ck_assert_msg(ls_params_set(s, p, tok, err, sizeof err) == 0, "%s", err);
	return s;
}

void
th_set(const struct ls_scenario *s, long *p, const char *name, long value)
{
	int i = ls_scenario_param_index(s, name);

	ck_assert_msg(i >= 0, "%s has no parameter '%s'", s->name, name);
	p[i] = value;
}

const struct ls_scenario *
th_deposit(long *p, long depositors, long delay_ms, long locked)
{
	char args[160];

	snprintf(args, sizeof args, "depositors=%ld delay_ms=%ld locked=%ld",
	         depositors, delay_ms, locked);
	return th_scenario("deposit", p, args);
}

void
th_opts(struct ls_run_opts *o, const struct ls_scenario *s, enum ls_actor_kind kind,
        enum ls_policy policy)
{
	ls_run_opts_default(o, s);
	o->kind = kind;
	o->policy = policy;
}

struct ls_run *
th_start_opts(const struct ls_scenario *s, const long *p, const struct ls_run_opts *o)
{
	char err[256] = "";
	struct ls_run *r = ls_run_new(s, p, o, err, sizeof err);

	ck_assert_msg(r != NULL, "ls_run_new: %s", err);
	ck_assert_msg(ls_run_start(r, err, sizeof err) == 0, "ls_run_start: %s", err);
	return r;
}

struct ls_run *
th_start(const struct ls_scenario *s, const long *p, enum ls_actor_kind kind,
         enum ls_policy policy, uint64_t seed)
{
	struct ls_run_opts o;

	th_opts(&o, s, kind, policy);
	o.seed = seed;
	return th_start_opts(s, p, &o);
}

struct ls_run *
th_replay(const struct ls_scenario *s, const long *p, enum ls_actor_kind kind,
          const int *steps, size_t n)
{
	struct ls_run_opts o;
	struct ls_schedule sched;

	ls_schedule_init(&sched);
	for (size_t i = 0; i < n; i++)
		ls_schedule_push(&sched, steps[i]);
	th_opts(&o, s, kind, LS_POLICY_REPLAY);
	o.replay = &sched;
	struct ls_run *r = th_start_opts(s, p, &o);

	ls_schedule_clear(&sched);
	return r;
}

/*
 * The engine's own wait for every actor to park is bounded (2 s); a loaded
 * machine starting processes may need longer, and the test's timeout is the
 * real bound.
 */
void
th_wait_parked(struct ls_run *r)
{
	const struct ls_model *m = ls_run_model(r);
	const struct ls_scenario *s = ls_run_scenario(r);

	for (int i = 0; i < m->nactors; i++)
		/* A forked role's actor starts when another forks it. */
		while (m->actors[i].state != LS_AS_GATE &&
		       !(s->roles[m->actors[i].role].forked && m->actors[i].state == LS_AS_NEW))
			ck_assert_int_eq(ls_run_poll(r, 100), LS_RUN_RUNNING);
}

void
th_step(struct ls_run *r, int actor)
{
	ck_assert_int_eq(ls_run_step(r, actor), actor);
}

void
th_run_out(struct ls_run *r, int *guard, int limit)
{
	while (ls_run_step(r, -1) >= 0)
		ck_assert_int_lt(++*guard, limit);
}

enum ls_actor_kind
th_kind(int i)
{
	return i ? LS_ACTORS_PROCESSES : LS_ACTORS_THREADS;
}

int
th_has_figure(const struct ls_verdict *v, const char *name)
{
	for (int i = 0; i < v->nfigures; i++)
		if (strcmp(v->figures[i].name, name) == 0)
			return 1;
	return 0;
}

double
th_figure(const struct ls_verdict *v, const char *name)
{
	for (int i = 0; i < v->nfigures; i++)
		if (strcmp(v->figures[i].name, name) == 0)
			return v->figures[i].value;
	ck_abort_msg("verdict has no figure '%s'", name);
	return 0;
}

int
th_said(const struct ls_model *m, const char *text)
{
	int n = 0;

	for (uint64_t i = 0; i < m->noutput && i < LS_OUTPUT_LINES; i++)
		n += strstr(m->output[i].text, text) != NULL;
	return n;
}

TCase *
th_tcase(Suite *s, const char *name, double seconds)
{
	TCase *tc = tcase_create(name);

	tests_timeout(tc, seconds);
	suite_add_tcase(s, tc);
	return tc;
}

int
th_open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

void
th_nothing_left(int fds_before)
{
	ck_assert_msg(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD,
	              "a child process is left");
	ck_assert_int_eq(th_open_fds(), fds_before);
}
