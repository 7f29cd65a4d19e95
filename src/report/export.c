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
#include "model/op.h"
#include "report/export.h"
#include "report/json.h"

struct export_state {
	FILE *f;
	const struct ls_model *m;
	uint64_t t0;
	int *pid;          /* per actor */
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

/* One of the model's spans, as a complete ("X") event. */
static void
export_span(struct export_state *x, const struct ls_span *sp)
{
	static const char *const what[] = {
		[LS_SPAN_BLOCKED] = "blocked", [LS_SPAN_SLEEPING] = "sleeping",
		[LS_SPAN_HOLDS] = "holds",
	};
	const char *obj = sp->kind == LS_SPAN_SLEEPING ? "" : export_obj(x, sp->obj);
	double from = export_us(x, sp->t0), to = export_us(x, sp->t1);
	char name[96];

	snprintf(name, sizeof name, "%s%s%s", what[sp->kind], obj[0] ? " " : "", obj);
	export_head(x, "X", "span", sp->actor, from);
	fprintf(x->f, ",\"dur\":%.3f,\"name\":", to > from ? to - from : 0.0);
	ls_json_escape(x->f, name);
	fputc('}', x->f);
}

static void
export_instant(struct export_state *x, const struct ls_event *e, double ts)
{
	const struct ls_op_info *op = ls_op_info(e->op);
	char name[96];
	int obj = e->obj == LS_NO_OBJ ? -1 : e->obj;

	snprintf(name, sizeof name, "%s%s%s%s", op->name, obj >= 0 ? " " : "",
	         export_obj(x, obj), e->phase == LS_PH_FAIL ? " (failed)" : "");
	export_head(x, "i", "op", e->actor, ts);
	fputs(",\"s\":\"t\",\"name\":", x->f);
	ls_json_escape(x->f, name);
	fprintf(x->f, ",\"args\":{\"line\":%d", (int)e->line);
	if (op->flags & LS_OPF_TEXT) {
		char t[LS_TEXT_MAX + 1];
		memcpy(t, e->u.text, LS_TEXT_MAX);
		t[LS_TEXT_MAX] = '\0';
		fputs(",\"text\":", x->f);
		ls_json_escape(x->f, t);
	} else if (!(op->flags & LS_OPF_LIFECYCLE) || (op->flags & LS_OPF_FATAL)) {
		fprintf(x->f, ",\"a\":%lld,\"b\":%lld", (long long)e->u.v.a, (long long)e->u.v.b);
	}
	fputs("}}", x->f);
}

/* Spans still open when the run stopped (deadlocked, stopped), to its last event. */
static void
export_open_spans(struct export_state *x, uint64_t last)
{
	const struct ls_model *m = x->m;

	for (int a = 0; a < m->nactors; a++) {
		const struct ls_model_actor *ma = &m->actors[a];
		if (ma->state == LS_AS_BLOCKED || ma->state == LS_AS_SLEEPING) {
			struct ls_span sp = {
				.t0 = ma->t_block, .t1 = last, .actor = a, .obj = ma->obj, .op = ma->op,
				.kind = ma->state == LS_AS_SLEEPING ? LS_SPAN_SLEEPING : LS_SPAN_BLOCKED,
			};
			export_span(x, &sp);
		}
		for (int o = 0; o < m->nobjs; o++) {
			if (!ls_model_hold_depth(m, a, o))
				continue;
			struct ls_span sp = {
				.t0 = m->hold_t0[(size_t)a * (size_t)m->nobjs + (size_t)o], .t1 = last,
				.actor = a, .obj = o, .kind = LS_SPAN_HOLDS,
			};
			export_span(x, &sp);
		}
	}
}

/* The metadata rows: the lesson's process, each actor's name, pid and order. */
static void
export_names(struct export_state *x, const struct ls_run *r)
{
	FILE *f = x->f;
	int nactors = ls_run_actor_count(r);
	const char *const *names = ls_run_actor_names(r);
	int procs = ls_run_kind(r) == LS_ACTORS_PROCESSES;

	fprintf(f, "{\"ph\":\"M\",\"pid\":1,\"tid\":0,\"name\":\"process_name\",\"args\":{\"name\":");
	ls_json_escape(f, ls_run_scenario(r)->name);
	fputs("}}", f);
	for (int i = 0; i < nactors; i++) {
		x->pid[i] = 1;
		if (procs && ls_run_actor_os_id(r, i) > 0) {
			x->pid[i] = ls_run_actor_os_id(r, i);
			fprintf(f, ",\n{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"name\":\"process_name\","
			        "\"args\":{\"name\":", x->pid[i], i);
			ls_json_escape(f, names[i]);
			fputs("}}", f);
		}
		fprintf(f, ",\n{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"name\":\"thread_name\",\"args\":{\"name\":",
		        x->pid[i], i);
		ls_json_escape(f, names[i]);
		fprintf(f, "}},\n{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"name\":\"thread_sort_index\","
		        "\"args\":{\"sort_index\":%d}}", x->pid[i], i, i);
	}
}

int
ls_export_chrome(FILE *f, const struct ls_run *r)
{
	const struct ls_event *ev;
	size_t n = ls_run_events(r, &ev);
	struct export_state x;
	int nactors = ls_run_actor_count(r);
	uint64_t last = 0;

	memset(&x, 0, sizeof x);
	x.f = f;
	x.m = ls_run_model(r);
	x.t0 = n ? ev[0].t_ns : 0;
	x.pid = calloc((size_t)(nactors > 0 ? nactors : 1), sizeof *x.pid);
	if (!x.pid) {
		errno = ENOMEM;
		return -1;
	}
	fprintf(f, "{\"displayTimeUnit\":\"ms\",\"otherData\":{\"scenario\":");
	ls_json_escape(f, ls_run_scenario(r)->name);
	fprintf(f, ",\"actors\":\"%s\",\"policy\":\"%s\"},\"traceEvents\":[\n",
	        ls_words_kind(ls_run_kind(r)), ls_policy_name(ls_run_policy(r)));
	export_names(&x, r);
	for (size_t i = 0; i < n; i++) {
		const struct ls_event *e = &ev[i];
		if (e->actor == LS_NO_ACTOR || e->actor >= nactors)
			continue;
		if (e->t_ns > last)
			last = e->t_ns;
		/* BEGIN: parked at the gate, not an operation yet; BLOCK: the
		 * spans draw it. */
		if (e->phase != LS_PH_BEGIN && e->phase != LS_PH_BLOCK)
			export_instant(&x, e, export_us(&x, e->t_ns));
	}
	/* The model's fold kept the spans: blocked, sleeping, holding. */
	for (size_t i = 0; i < x.m->nspans; i++)
		if (x.m->spans[i].actor < nactors)
			export_span(&x, &x.m->spans[i]);
	export_open_spans(&x, last);
	fputs("\n]}\n", f);
	free(x.pid);
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
