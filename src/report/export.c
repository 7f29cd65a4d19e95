/*
 * export.c - see export.h.  Reads only the run's kept events and names.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/outfile.h"
#include "engine/quote.h"
#include "engine/words.h"
#include "report/export.h"
#include "report/json.h"

struct export_state {
	FILE *f;
	const struct ls_model *m;
	uint64_t t0;
	int *pid;          /* per actor */
	double *held;      /* [actor * nobjs + obj]: when it took obj, or -1 */
	double *blocked;   /* per actor: when it started waiting, or -1 */
	int *blocked_op;
	int *blocked_obj;
	int nobjs;
};

static double
export_us(const struct export_state *x, uint64_t t)
{
	return t > x->t0 ? (double)(t - x->t0) / 1000.0 : 0.0;
}

static const char *
export_obj(const struct export_state *x, int obj)
{
	return obj >= 0 && obj < x->m->nobjs ? x->m->objs[obj].name : "";
}

static void
export_head(struct export_state *x, const char *ph, const char *cat, int actor, double ts)
{
	fprintf(x->f, ",\n{\"ph\":\"%s\",\"cat\":\"%s\",\"pid\":%d,\"tid\":%d,\"ts\":%.3f", ph, cat,
	        x->pid[actor], actor, ts);
}

static void
export_span(struct export_state *x, int actor, const char *what, const char *obj,
            double from, double to)
{
	char name[96];

	snprintf(name, sizeof name, "%s%s%s", what, obj[0] ? " " : "", obj);
	export_head(x, "X", "span", actor, from);
	fprintf(x->f, ",\"dur\":%.3f,\"name\":", to > from ? to - from : 0.0);
	ls_json_escape(x->f, name);
	fputc('}', x->f);
}

static void
export_hold(struct export_state *x, int actor, int obj, double ts)
{
	if (obj >= 0 && obj < x->nobjs)
		x->held[(size_t)actor * (size_t)x->nobjs + (size_t)obj] = ts;
}

static void
export_release(struct export_state *x, int actor, int obj, double ts)
{
	if (obj < 0 || obj >= x->nobjs)
		return;
	double *h = &x->held[(size_t)actor * (size_t)x->nobjs + (size_t)obj];
	if (*h >= 0)
		export_span(x, actor, "holds", export_obj(x, obj), *h, ts);
	*h = -1;
}

static void
export_instant(struct export_state *x, const struct ls_event *e, double ts)
{
	char name[96];
	int obj = e->obj == LS_NO_OBJ ? -1 : e->obj;
	int text = e->op == LS_OP_SAY || e->op == LS_OP_FILE_READ || e->op == LS_OP_FILE_WRITE;

	snprintf(name, sizeof name, "%s%s%s%s", ls_op_name((enum ls_op)e->op), obj >= 0 ? " " : "",
	         export_obj(x, obj), e->phase == LS_PH_FAIL ? " (failed)" : "");
	export_head(x, "i", "op", e->actor, ts);
	fputs(",\"s\":\"t\",\"name\":", x->f);
	ls_json_escape(x->f, name);
	fprintf(x->f, ",\"args\":{\"line\":%d", (int)e->line);
	if (text) {
		char t[LS_TEXT_MAX + 1];
		memcpy(t, e->u.text, LS_TEXT_MAX);
		t[LS_TEXT_MAX] = '\0';
		fputs(",\"text\":", x->f);
		ls_json_escape(x->f, t);
	} else if (e->op != LS_OP_START && e->op != LS_OP_EXIT) {
		fprintf(x->f, ",\"a\":%lld,\"b\":%lld", (long long)e->u.v.a, (long long)e->u.v.b);
	}
	fputs("}}", x->f);
}

static void
export_event(struct export_state *x, const struct ls_event *e)
{
	int a = e->actor;
	double ts = export_us(x, e->t_ns);

	if (e->phase == LS_PH_BEGIN)
		return;   /* parked at the gate: not an operation yet */
	if (e->phase == LS_PH_BLOCK) {
		x->blocked[a] = ts;
		x->blocked_op[a] = e->op;
		x->blocked_obj[a] = e->obj == LS_NO_OBJ ? -1 : e->obj;
		if (e->op == LS_OP_COND_WAIT)   /* waiting lets go of the mutex */
			export_release(x, a, (int)e->u.v.a, ts);
		return;
	}
	if (x->blocked[a] >= 0 && e->phase != LS_PH_PART) {
		export_span(x, a, x->blocked_op[a] == LS_OP_SLEEP ? "sleeping" : "blocked",
		            export_obj(x, x->blocked_obj[a]), x->blocked[a], ts);
		x->blocked[a] = -1;
	}
	export_instant(x, e, ts);
	if (e->phase != LS_PH_DONE)
		return;
	switch (e->op) {
	case LS_OP_LOCK:
	case LS_OP_SEM_ACQUIRE:
		export_hold(x, a, e->obj, ts);
		break;
	case LS_OP_UNLOCK:
	case LS_OP_SEM_RELEASE:
		export_release(x, a, e->obj, ts);
		break;
	case LS_OP_COND_WAIT:
		export_hold(x, a, (int)e->u.v.a, ts);
		break;
	default:
		break;
	}
}

int
ls_export_chrome(FILE *f, const struct ls_run *r)
{
	const struct ls_event *ev;
	size_t n = ls_run_events(r, &ev);
	struct export_state x;
	int nactors = ls_run_actor_count(r);
	const char *const *names = ls_run_actor_names(r);
	int procs = ls_run_kind(r) == LS_ACTORS_PROCESSES;
	double last = 0;

	memset(&x, 0, sizeof x);
	x.f = f;
	x.m = ls_run_model(r);
	x.nobjs = x.m->nobjs;
	x.t0 = n ? ev[0].t_ns : 0;
	x.pid = calloc((size_t)nactors, sizeof *x.pid);
	x.held = malloc((size_t)nactors * (size_t)(x.nobjs ? x.nobjs : 1) * sizeof *x.held);
	x.blocked = malloc((size_t)nactors * sizeof *x.blocked);
	x.blocked_op = calloc((size_t)nactors, sizeof *x.blocked_op);
	x.blocked_obj = calloc((size_t)nactors, sizeof *x.blocked_obj);
	if (!x.pid || !x.held || !x.blocked || !x.blocked_op || !x.blocked_obj) {
		free(x.pid);
		free(x.held);
		free(x.blocked);
		free(x.blocked_op);
		free(x.blocked_obj);
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < (size_t)nactors * (size_t)(x.nobjs ? x.nobjs : 1); i++)
		x.held[i] = -1;
	fprintf(f, "{\"displayTimeUnit\":\"ms\",\"otherData\":{\"scenario\":");
	ls_json_escape(f, ls_run_scenario(r)->name);
	fprintf(f, ",\"actors\":\"%s\",\"policy\":\"%s\"},\"traceEvents\":[\n",
	        ls_words_kind(ls_run_kind(r)), ls_policy_name(ls_run_policy(r)));
	fprintf(f, "{\"ph\":\"M\",\"pid\":1,\"tid\":0,\"name\":\"process_name\",\"args\":{\"name\":");
	ls_json_escape(f, ls_run_scenario(r)->name);
	fputs("}}", f);
	for (int i = 0; i < nactors; i++) {
		x.blocked[i] = -1;
		x.pid[i] = 1;
		if (procs && ls_run_actor_os_id(r, i) > 0) {
			x.pid[i] = ls_run_actor_os_id(r, i);
			fprintf(f, ",\n{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"name\":\"process_name\","
			        "\"args\":{\"name\":", x.pid[i], i);
			ls_json_escape(f, names[i]);
			fputs("}}", f);
		}
		fprintf(f, ",\n{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"name\":\"thread_name\",\"args\":{\"name\":",
		        x.pid[i], i);
		ls_json_escape(f, names[i]);
		fprintf(f, "}},\n{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"name\":\"thread_sort_index\","
		        "\"args\":{\"sort_index\":%d}}", x.pid[i], i, i);
	}
	for (size_t i = 0; i < n; i++) {
		if (ev[i].actor == LS_NO_ACTOR || ev[i].actor >= nactors)
			continue;
		export_event(&x, &ev[i]);
		double ts = export_us(&x, ev[i].t_ns);
		if (ts > last)
			last = ts;
	}
	/* A deadlocked or stopped run leaves spans open: end them at the last event. */
	for (int a = 0; a < nactors; a++) {
		if (x.blocked[a] >= 0)
			export_span(&x, a, x.blocked_op[a] == LS_OP_SLEEP ? "sleeping" : "blocked",
			            export_obj(&x, x.blocked_obj[a]), x.blocked[a], last);
		for (int o = 0; o < x.nobjs; o++)
			export_release(&x, a, o, last);
	}
	fputs("\n]}\n", f);
	free(x.pid);
	free(x.held);
	free(x.blocked);
	free(x.blocked_op);
	free(x.blocked_obj);
	return ferror(f) ? -1 : 0;
}

int
ls_export_chrome_file(const char *path, const struct ls_run *r, char *err, size_t len)
{
	struct ls_outfile o;
	char q[LS_QUOTE_PATH];

	/* Whole or not at all: a full disk leaves no truncated JSON behind. */
	if (ls_outfile_open(&o, path) != 0) {
		snprintf(err, len, "cannot write the trace to '%s': %s", ls_quote(path, q, sizeof q),
		         strerror(errno));
		return -1;
	}
	if (ls_export_chrome(o.f, r) != 0 && !ferror(o.f)) {   /* out of memory */
		ls_outfile_abort(&o);
		snprintf(err, len, "cannot write the trace to '%s': %s", ls_quote(path, q, sizeof q),
		         strerror(ENOMEM));
		return -1;
	}
	if (ls_outfile_commit(&o) != 0) {
		snprintf(err, len, "cannot write the trace to '%s': %s", ls_quote(path, q, sizeof q),
		         strerror(errno));
		return -1;
	}
	return 0;
}
