/*
 * check_export.c - the Chrome trace-event export of a small stepped run,
 * parsed back (a JSON parser of its own, below) and held to its format:
 * every event has the fields its phase needs; each actor has one named
 * track, one start and one exit, and its instants in time order between
 * them; every "holds" span begins at a lock instant of its actor and ends
 * at the matching unlock, as many spans as locks taken.  Threads and
 * processes (whose tracks carry their real pids).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "report/export.h"
#include "suites.h"

/* ---- a small JSON parser: enough to read the whole document back -------- */

enum jt { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jt t;
	double num;
	char *str;
	int n;
	char **keys;        /* J_OBJ */
	struct jv *kids;    /* J_ARR, J_OBJ */
};

struct jp {
	const char *p;
	int bad;
};

static void
jp_ws(struct jp *j)
{
	while (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r')
		j->p++;
}

static char *
jp_string(struct jp *j)
{
	size_t cap = 16, n = 0;
	char *s = malloc(cap);

	if (*j->p != '"' || !s) {
		j->bad = 1;
		free(s);
		return NULL;
	}
	for (j->p++; *j->p != '"'; j->p++) {
		char c = *j->p;
		if (c == '\0' || (unsigned char)c < 0x20) {
			j->bad = 1;
			free(s);
			return NULL;
		}
		if (c == '\\') {
			c = *++j->p;
			if (c == 'u') {   /* kept as '?': only its validity matters here */
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", j->p[i]) || !j->p[i])
						j->bad = 1;
				if (j->bad) {
					free(s);
					return NULL;
				}
				j->p += 4;
				c = '?';
			} else if (strchr("\"\\/bfnrt", c) && c) {
				c = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' :
				    c == 'b' ? '\b' : c == 'f' ? '\f' : c;
			} else {
				j->bad = 1;
				free(s);
				return NULL;
			}
		}
		if (n + 2 > cap)
			s = realloc(s, cap *= 2);
		s[n++] = c;
	}
	j->p++;
	s[n] = '\0';
	return s;
}

static void jp_value(struct jp *j, struct jv *v);

static void
jp_push(struct jv *v, char *key, struct jv *kid)
{
	v->kids = realloc(v->kids, (size_t)(v->n + 1) * sizeof *v->kids);
	v->keys = realloc(v->keys, (size_t)(v->n + 1) * sizeof *v->keys);
	v->kids[v->n] = *kid;
	v->keys[v->n] = key;
	v->n++;
}

static void
jp_container(struct jp *j, struct jv *v, char close)
{
	v->t = close == '}' ? J_OBJ : J_ARR;
	j->p++;
	jp_ws(j);
	if (*j->p == close) {
		j->p++;
		return;
	}
	for (;;) {
		char *key = NULL;
		struct jv kid;
		jp_ws(j);
		if (close == '}') {
			key = jp_string(j);
			jp_ws(j);
			if (j->bad || *j->p++ != ':') {
				j->bad = 1;
				free(key);
				return;
			}
		}
		jp_value(j, &kid);
		jp_push(v, key, &kid);
		if (j->bad)
			return;
		jp_ws(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p++ != close)
			j->bad = 1;
		return;
	}
}

static void
jp_value(struct jp *j, struct jv *v)
{
	memset(v, 0, sizeof *v);
	jp_ws(j);
	if (*j->p == '{' || *j->p == '[') {
		jp_container(j, v, *j->p == '{' ? '}' : ']');
	} else if (*j->p == '"') {
		v->t = J_STR;
		v->str = jp_string(j);
	} else if (strncmp(j->p, "true", 4) == 0 || strncmp(j->p, "null", 4) == 0) {
		v->t = *j->p == 't' ? J_BOOL : J_NULL;
		j->p += 4;
	} else if (strncmp(j->p, "false", 5) == 0) {
		v->t = J_BOOL;
		j->p += 5;
	} else {
		char *end;
		v->t = J_NUM;
		v->num = strtod(j->p, &end);
		if (end == j->p)
			j->bad = 1;
		j->p = end;
	}
}

static void
jv_free(struct jv *v)
{
	for (int i = 0; i < v->n; i++) {
		jv_free(&v->kids[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->kids);
	free(v->keys);
	free(v->str);
}

static const struct jv *
jv_get(const struct jv *o, const char *key)
{
	for (int i = 0; o->t == J_OBJ && i < o->n; i++)
		if (strcmp(o->keys[i], key) == 0)
			return &o->kids[i];
	return NULL;
}

/* The field, of that type; the test fails if it is missing or another. */
static const struct jv *
jv_need(const struct jv *o, const char *key, enum jt t, int at)
{
	const struct jv *v = jv_get(o, key);

	ck_assert_msg(v != NULL, "event %d: no \"%s\"", at, key);
	ck_assert_msg(v->t == t, "event %d: \"%s\" of type %d, not %d", at, key, v->t, t);
	return v;
}

START_TEST(json_parser_refuses)
{
	static const char *bad[] = {
		"{", "{\"a\":}", "[1,]", "{\"a\" 1}", "\"x", "[1 2]", "{\"a\":\"\\q\"}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct jp j = { bad[i], 0 };
		struct jv v;
		jp_value(&j, &v);
		jp_ws(&j);
		ck_assert_msg(j.bad || *j.p, "accepted: %s", bad[i]);
		jv_free(&v);
	}
	struct jp j = { "{\"a\":[1,-2.5e3,\"x\\n\",true,null,{}]}", 0 };
	struct jv v;
	jp_value(&j, &v);
	ck_assert(!j.bad && *j.p == '\0');
	ck_assert_int_eq(jv_get(&v, "a")->n, 6);
	ck_assert(jv_get(&v, "a")->kids[1].num == -2500.0);
	jv_free(&v);
}
END_TEST

/* ---- the export --------------------------------------------------------- */

#define EX_ACTORS 2

/* Per actor: what the instants and spans of its track say. */
struct ex_track {
	int named, starts, exits, locks, unlocks, holds;
	double last_ts, start_ts, exit_ts;
	double lock_ts[16], unlock_ts[16];
};

static int
ex_near(double a, double b)
{
	return fabs(a - b) < 0.0015;   /* printed with %.3f */
}

static void
ex_instant(struct ex_track *t, const struct jv *e, const char *name, double ts, int at)
{
	jv_need(jv_need(e, "args", J_OBJ, at), "line", J_NUM, at);
	ck_assert_str_eq(jv_need(e, "s", J_STR, at)->str, "t");
	ck_assert_msg(ts >= t->last_ts, "event %d: %s at %.3f before %.3f on its track", at,
	              name, ts, t->last_ts);
	t->last_ts = ts;
	if (strcmp(name, "start") == 0) {
		t->starts++;
		t->start_ts = ts;
	} else if (strcmp(name, "exit") == 0) {
		t->exits++;
		t->exit_ts = ts;
	} else if (strcmp(name, "lock lock") == 0 && t->locks < 16) {
		t->lock_ts[t->locks++] = ts;
	} else if (strcmp(name, "unlock lock") == 0 && t->unlocks < 16) {
		t->unlock_ts[t->unlocks++] = ts;
	}
	ck_assert_msg(t->starts == 1 && t->exits <= 1, "event %d: %s outside start..exit", at,
	              name);
}

/* A "holds lock" span: it begins at a lock and ends at the unlock after it. */
static void
ex_span(struct ex_track *t, const struct jv *e, const char *name, double ts, int at)
{
	double dur = jv_need(e, "dur", J_NUM, at)->num;
	int k = -1;

	ck_assert_msg(dur >= 0, "event %d: negative duration", at);
	ck_assert_str_eq(jv_need(e, "cat", J_STR, at)->str, "span");
	if (strcmp(name, "holds lock") != 0)
		return;
	for (int i = 0; i < t->locks; i++)
		if (ex_near(t->lock_ts[i], ts))
			k = i;
	ck_assert_msg(k >= 0, "event %d: a hold at %.3f begins at no lock", at, ts);
	ck_assert_msg(k < t->unlocks && ex_near(t->unlock_ts[k], ts + dur),
	              "event %d: the hold from %.3f ends at %.3f, not at its unlock", at, ts,
	              ts + dur);
	t->holds++;
}

static void
ex_check(const char *text, const struct ls_run *r)
{
	struct jp j = { text, 0 };
	struct jv root;
	struct ex_track tr[EX_ACTORS];
	int procs = ls_run_kind(r) == LS_ACTORS_PROCESSES;

	memset(tr, 0, sizeof tr);
	jp_value(&j, &root);
	jp_ws(&j);
	ck_assert_msg(!j.bad && *j.p == '\0', "the export does not parse near: %.40s", j.p);
	const struct jv *ev = jv_need(&root, "traceEvents", J_ARR, -1);
	ck_assert_int_gt(ev->n, 0);
	for (int i = 0; i < ev->n; i++) {
		const struct jv *e = &ev->kids[i];
		const char *ph = jv_need(e, "ph", J_STR, i)->str;
		const char *name = jv_need(e, "name", J_STR, i)->str;
		int pid = (int)jv_need(e, "pid", J_NUM, i)->num;
		int tid = (int)jv_need(e, "tid", J_NUM, i)->num;
		ck_assert_msg(tid >= 0 && tid < EX_ACTORS, "event %d: tid %d", i, tid);
		/* Threads share pid 1 (so does the scenario's own process_name);
		 * a process's track is its own pid. */
		if (!(strcmp(ph, "M") == 0 && strcmp(name, "process_name") == 0 && pid == 1))
			ck_assert_int_eq(pid, procs ? ls_run_actor_os_id(r, tid) : 1);
		if (strcmp(ph, "M") == 0) {
			const struct jv *args = jv_need(e, "args", J_OBJ, i);
			if (strcmp(name, "thread_name") == 0) {
				ck_assert_str_eq(jv_need(args, "name", J_STR, i)->str,
				                 ls_run_actor_names(r)[tid]);
				tr[tid].named++;
			}
			continue;
		}
		double ts = jv_need(e, "ts", J_NUM, i)->num;
		ck_assert_msg(ts >= 0, "event %d: ts %.3f", i, ts);
		if (strcmp(ph, "i") == 0) {
			ck_assert_str_eq(jv_need(e, "cat", J_STR, i)->str, "op");
			ex_instant(&tr[tid], e, name, ts, i);
		} else {
			ck_assert_msg(strcmp(ph, "X") == 0, "event %d: phase %s", i, ph);
			ex_span(&tr[tid], e, name, ts, i);
		}
	}
	for (int a = 0; a < EX_ACTORS; a++) {
		ck_assert_int_eq(tr[a].named, 1);
		ck_assert_int_eq(tr[a].starts, 1);
		ck_assert_int_eq(tr[a].exits, 1);
		ck_assert(tr[a].start_ts <= tr[a].exit_ts);
		/* Each depositor locks once; each lock released, each hold drawn. */
		ck_assert_int_eq(tr[a].locks, 1);
		ck_assert_int_eq(tr[a].unlocks, 1);
		ck_assert_int_eq(tr[a].holds, 1);
	}
	jv_free(&root);
}

/* Two depositors stepped in turn (round robin over those who can move). */
START_TEST(export_stepped_run)
{
	long p[LS_PARAMS_MAX];
	const struct ls_scenario *s = th_scenario("deposit", p, "depositors=2 delay_ms=0 locked=1");
	struct ls_run_opts o;
	char err[256], *text = NULL;
	size_t len = 0;
	int en[EX_ACTORS], steps = 0, fds = th_open_fds();

	th_opts(&o, s, th_kind(_i), LS_POLICY_STEP);
	struct ls_run *r = ls_run_new(s, p, &o, err, sizeof err);
	ck_assert_msg(r != NULL, "%s", err);
	ls_run_keep_events(r);
	ck_assert_msg(ls_run_start(r, err, sizeof err) == 0, "%s", err);
	for (int n; (n = ls_run_enabled(r, en, EX_ACTORS)) > 0; steps++) {
		int a = en[steps % n];
		ck_assert_int_eq(ls_run_step(r, a), a);
		ck_assert_int_lt(steps, 500);
	}
	ck_assert_int_eq(ls_run_finish(r), LS_RUN_FINISHED);
	FILE *f = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(ls_export_chrome(f, r), 0);
	fclose(f);
	ex_check(text, r);
	free(text);
	ls_run_free(r);
	th_nothing_left(fds);
}
END_TEST

Suite *
export_suite(void)
{
	Suite *s = suite_create("export");
	TCase *tc = th_tcase(s, "chrome", 60);

	tcase_add_test(tc, json_parser_refuses);
	tcase_add_loop_test(tc, export_stepped_run, 0, 2);
	return s;
}
