/*
 * report.c - see report.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "report/json.h"
#include "engine/params.h"
#include "engine/words.h"
#include "lockstep/i18n.h"
#include "model/kind.h"
#include "model/op.h"
#include "python/pyrun.h"
#include "report/report.h"

/* The JSON writer as the kind table writes through it. */
static struct ls_kind_json
report_kind_json(struct ls_json *j)
{
	struct ls_kind_json w = {
		.j = j, .object = ls_json_object, .array = ls_json_array, .end = ls_json_end,
		.str = ls_json_str, .integer = ls_json_int, .boolean = ls_json_bool,
		.null = ls_json_null, .escape = ls_json_escape,
	};
	return w;
}

/* Final state of the shared objects on one line, each kind that has a
 * value there (locks end free: they have none). */
static void
report_shared(FILE *f, const struct ls_model *m)
{
	struct ls_kind_json w = report_kind_json(NULL);
	int n = 0;

	for (int i = 0; i < m->nobjs; i++) {
		const struct ls_kind_info *k = ls_kind_info(m->objs[i].kind);
		if (!k->text || !m->objs[i].name[0])   /* a slot a Python program has not used */
			continue;
		fprintf(f, "%s%s=", n++ ? ", " : "  shared:   ", m->objs[i].name);
		k->text(f, m, i, &w);
	}
	if (n)
		fputc('\n', f);
}

static const char *
report_obj_name(const struct ls_model *m, int obj)
{
	return obj >= 0 && obj < m->nobjs ? m->objs[obj].name : "?";
}

static const char *
report_actor_name(const struct ls_model *m, int actor)
{
	return actor >= 0 && actor < m->nactors ? m->actors[actor].name : "?";
}

/* Data races: each pair of unordered accesses, once per pair of lines. */
static void
report_races_text(FILE *f, const struct ls_run *r)
{
	const struct ls_model *m = ls_run_model(r);
	const struct ls_race *races;
	size_t n = ls_run_races(r, &races);

	if (!n) {
		fputs("  races:    none\n", f);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct ls_race *x = &races[i];
		fprintf(f, "  %s'%s': %s %s (line %d) and %s %s (line %d), unordered\n",
		        i ? "          " : "race:     ", report_obj_name(m, x->var),
		        report_actor_name(m, x->a.actor), ls_op_name(x->a.op), x->a.line,
		        report_actor_name(m, x->b.actor), ls_op_name(x->b.op), x->b.line);
	}
}

static void
report_access_json(struct ls_json *j, const char *key, const struct ls_model *m,
                   const struct ls_race_access *a)
{
	ls_json_object(j, key);
	ls_json_str(j, "actor", report_actor_name(m, a->actor));
	ls_json_int(j, "line", a->line);
	ls_json_str(j, "op", ls_op_name(a->op));
	ls_json_end(j, '}');
}

void
ls_report_races_json(struct ls_json *j, const struct ls_run *r)
{
	const struct ls_model *m = ls_run_model(r);
	const struct ls_race *races;
	size_t n = ls_run_races(r, &races);

	ls_json_array(j, "races");
	for (size_t i = 0; i < n; i++) {
		ls_json_object(j, NULL);
		ls_json_str(j, "var", report_obj_name(m, races[i].var));
		report_access_json(j, "a", m, &races[i].a);
		report_access_json(j, "b", m, &races[i].b);
		ls_json_end(j, '}');
	}
	ls_json_end(j, ']');
}

/* Daemons cut off at the program's end (and actors an abort stopped). */
static void
report_cut_text(FILE *f, const struct ls_model *m)
{
	int n = 0;

	for (int i = 0; i < m->nactors; i++) {
		char d[160];

		if (m->actors[i].state != LS_AS_DONE || !m->actors[i].cut)
			continue;
		ls_model_describe(m, i, d, sizeof d);
		fprintf(f, "%s%s %s", n++ ? "; " : "  stopped:  ", m->actors[i].name, d);
	}
	if (n)
		fputc('\n', f);
}

void
ls_report_text(FILE *f, const struct ls_run *r, int show_output)
{
	const struct ls_scenario *s = ls_run_scenario(r);
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;
	char params[512];

	ls_params_format(s, ls_run_params(r), params, sizeof params);
	ls_run_verdict(r, &v);
	if (show_output) {
		uint64_t first = m->noutput > LS_OUTPUT_LINES ? m->noutput - LS_OUTPUT_LINES : 0;
		for (uint64_t i = first; i < m->noutput; i++) {
			const struct ls_output_line *o = &m->output[i % LS_OUTPUT_LINES];
			fprintf(f, "%s: %s\n", m->actors[o->actor].name, o->text);
		}
	}
	fprintf(f, "%s (%s)\n", s->name, params);
	fprintf(f, "  actors:   %d %s, schedule %s", ls_model_nshown(ls_run_model(r)),
	        ls_words_kind(ls_run_kind(r)), ls_policy_name(ls_run_policy(r)));
	if (ls_run_policy(r) == LS_POLICY_RANDOM)
		fprintf(f, " (seed %llu)", (unsigned long long)ls_run_seed(r));
	if (ls_run_policy(r) != LS_POLICY_FREE)
		fprintf(f, ", %zu steps", ls_run_schedule(r)->len);
	fputc('\n', f);
	report_shared(f, m);
	fprintf(f, "  status:   %s", ls_run_status_name(ls_run_status(r)));
	if (ls_run_reason(r)[0])
		fprintf(f, ": %s", ls_run_reason(r));
	fputc('\n', f);
	char crashed[200];
	if (ls_run_crashed(r, crashed, sizeof crashed) > 0)
		fprintf(f, "  crashed:  %s\n", crashed);
	report_cut_text(f, m);
	fprintf(f, "  expected: %s\n  observed: %s\n", v.expected, v.observed);
	fprintf(f, "  verdict:  %s: %s\n", ls_words_verdict(v.ok), v.summary);
	if (v.nfigures) {
		fputs("  figures: ", f);
		for (int i = 0; i < v.nfigures; i++)
			fprintf(f, "%s %s=%.6g", i ? "," : "", v.figures[i].name, v.figures[i].value);
		fputc('\n', f);
	}
	report_races_text(f, r);
	fprintf(f, "  trace:    %llu events, %llu dropped, %.1f ms\n",
	        (unsigned long long)m->events, (unsigned long long)m->dropped,
	        ls_run_elapsed_ms(r));
	if (m->dropped)
		fprintf(f, "  warning:  %llu events were lost to full trace rings; the view "
		        "may be incomplete\n", (unsigned long long)m->dropped);
}

/* Every shared object as the run left it: owners, hold depths, waiters. */
static void
report_objects_json(struct ls_json *j, const struct ls_model *m)
{
	struct ls_kind_json w = report_kind_json(j);

	ls_json_array(j, "objects");
	for (int i = 0; i < m->nobjs; i++) {
		const struct ls_model_obj *o = &m->objs[i];
		if (!o->name[0])
			continue;
		ls_json_object(j, NULL);
		ls_json_str(j, "name", o->name);
		ls_json_str(j, "kind", ls_obj_kind_name(o->kind));
		ls_kind_info(o->kind)->json(&w, m, i);
		ls_json_int(j, "waiting", ls_model_nwaiters(m, i));
		ls_json_end(j, '}');
	}
	ls_json_end(j, ']');
}

/*
 * "tree": the actors and the programs they started as the Actors pane
 * lists them, each with its pid (or tid) and who started it; null parent:
 * the run itself.
 */
static void
report_tree_json(struct ls_json *j, const struct ls_model *m, int procs)
{
	int max = ls_model_tree_size(m);
	struct ls_tree_row *rows = malloc((size_t)max * sizeof *rows);

	ls_json_array(j, "tree");
	int n = rows ? ls_model_tree(m, rows, max) : 0;
	for (int i = 0; i < n; i++) {
		const struct ls_model_actor *a = &m->actors[rows[i].actor];
		ls_json_object(j, NULL);
		if (rows[i].proc >= 0) {
			const struct ls_model_proc *pr = &m->procs[rows[i].proc];
			ls_json_str(j, "kind", "program");
			ls_json_int(j, "pid", pr->pid);
			ls_json_str(j, "parent", a->name);
			if (pr->exited && !pr->killed)
				ls_json_int(j, "exit", pr->status);
			else
				ls_json_null(j, "exit");
			ls_json_bool(j, "killed", pr->killed);
		} else {
			ls_json_str(j, "kind", "actor");
			ls_json_str(j, "name", a->name);
			if (a->os_id > 0)
				ls_json_int(j, procs ? "pid" : "tid", a->os_id);
			if (a->parent >= 0 && a->parent < m->nactors)
				ls_json_str(j, "parent", m->actors[a->parent].name);
			else
				ls_json_null(j, "parent");
			if (procs && a->exit_code >= 0)
				ls_json_int(j, "exit", a->exit_code);
		}
		ls_json_int(j, "depth", rows[i].depth);
		ls_json_end(j, '}');
	}
	ls_json_end(j, ']');
	free(rows);
}

/* "params": each parameter by name, a choice by its word. */
static void
report_params_json(struct ls_json *j, const struct ls_run *r)
{
	const struct ls_scenario *s = ls_run_scenario(r);
	const long *p = ls_run_params(r);

	ls_json_object(j, "params");
	for (int i = 0; i < s->nparams; i++) {
		if (s->params[i].choices) {
			char val[LS_PARAMS_VALUE_MAX];
			ls_params_value(&s->params[i], p[i], val, sizeof val);
			ls_json_str(j, s->params[i].name, val);
		} else {
			ls_json_int(j, s->params[i].name, p[i]);
		}
	}
	ls_json_end(j, '}');
}

/* "actors": how many, how they ended, and the tree they make. */
static void
report_actors_json(struct ls_json *j, const struct ls_run *r, const struct ls_model *m)
{
	ls_json_object(j, "actors");
	ls_json_str(j, "kind", ls_words_kind(ls_run_kind(r)));
	ls_json_int(j, "count", ls_model_nshown(m));
	ls_json_int(j, "done", m->ndone);
	ls_json_int(j, "crashed", m->ncrashed);
	ls_json_array(j, "crashed_names");
	for (int i = 0; i < m->nactors; i++)
		if (m->actors[i].state == LS_AS_CRASHED)
			ls_json_str(j, NULL, m->actors[i].name);
	ls_json_end(j, ']');
	report_tree_json(j, m, ls_run_kind(r) == LS_ACTORS_PROCESSES);
	ls_json_end(j, '}');
}

/* "schedule", then "vars": the policy, its seed when it has one, the steps;
 * the shared variables' last values. */
static void
report_schedule_json(struct ls_json *j, const struct ls_run *r, const struct ls_model *m)
{
	ls_json_object(j, "schedule");
	ls_json_str(j, "policy", ls_policy_name(ls_run_policy(r)));
	if (ls_run_policy(r) == LS_POLICY_RANDOM || ls_run_policy(r) == LS_POLICY_STEP)
		ls_json_uint(j, "seed", ls_run_seed(r));
	else
		ls_json_null(j, "seed");
	ls_json_int(j, "steps", (long long)ls_run_schedule(r)->len);
	ls_json_end(j, '}');
	ls_json_object(j, "vars");
	for (int i = 0; i < m->nobjs; i++)
		if ((ls_kind_flags(m->objs[i].kind) & LS_KINDF_VAR) && m->objs[i].name[0])
			ls_json_int(j, m->objs[i].name, m->objs[i].value);
	ls_json_end(j, '}');
}

/* "status" and "reason", "verdict" (ok null when the lesson gives none), "figures". */
static void
report_verdict_json(struct ls_json *j, const struct ls_run *r, const struct ls_verdict *v)
{
	ls_json_str(j, "status", ls_run_status_name(ls_run_status(r)));
	if (ls_run_reason(r)[0])
		ls_json_str(j, "reason", ls_run_reason(r));
	ls_json_object(j, "verdict");
	if (v->ok < 0)
		ls_json_null(j, "ok");
	else
		ls_json_bool(j, "ok", v->ok);
	ls_json_str(j, "expected", v->expected);
	ls_json_str(j, "observed", v->observed);
	ls_json_str(j, "summary", v->summary);
	ls_json_end(j, '}');
	ls_json_object(j, "figures");
	for (int i = 0; i < v->nfigures; i++)
		ls_json_num(j, v->figures[i].name, v->figures[i].value);
	ls_json_end(j, '}');
}

/* "trace" counts, then "output": the lines the ring still holds, oldest first. */
static void
report_output_json(struct ls_json *j, const struct ls_model *m)
{
	ls_json_object(j, "trace");
	ls_json_int(j, "events", (long long)m->events);
	ls_json_int(j, "dropped", (long long)m->dropped);
	ls_json_end(j, '}');
	ls_json_array(j, "output");
	uint64_t first = m->noutput > LS_OUTPUT_LINES ? m->noutput - LS_OUTPUT_LINES : 0;
	for (uint64_t i = first; i < m->noutput; i++) {
		const struct ls_output_line *o = &m->output[i % LS_OUTPUT_LINES];
		ls_json_object(j, NULL);
		ls_json_str(j, "actor", m->actors[o->actor].name);
		ls_json_str(j, "text", o->text);
		ls_json_end(j, '}');
	}
	ls_json_end(j, ']');
}

void
ls_report_json(FILE *f, const struct ls_run *r)
{
	const struct ls_model *m = ls_run_model(r);
	struct ls_verdict v;
	struct ls_json j;

	ls_run_verdict(r, &v);
	ls_json_init(&j, f);
	ls_json_object(&j, NULL);
	ls_json_str(&j, "scenario", ls_run_scenario(r)->name);
	report_params_json(&j, r);
	report_actors_json(&j, r, m);
	report_schedule_json(&j, r, m);
	report_objects_json(&j, m);
	report_verdict_json(&j, r, &v);
	ls_report_races_json(&j, r);
	report_output_json(&j, m);
	ls_json_num(&j, "elapsed_ms", ls_run_elapsed_ms(r));
	ls_json_end(&j, '}');
	fputc('\n', f);
}

/* What the lesson is made of, as doc/scenarios.md's checklist counts it
 * (tests/lessons.test reads these): its Python program, walkthroughs,
 * challenges and how many come with their solution, small explorer cases. */
static void
report_list_parts(struct ls_json *j, const struct ls_scenario *s)
{
	int solved = 0;

	for (int i = 0; i < s->nchallenges; i++)
		solved += s->challenges[i].win != NULL || s->challenges[i].impossible;
	ls_json_int(j, "position", s->position);
	ls_json_bool(j, "python", ls_scenario_python(s->name) != NULL);
	ls_json_int(j, "walkthroughs", s->nwalkthroughs);
	ls_json_int(j, "challenges", s->nchallenges);
	ls_json_int(j, "challenges_solved", solved);
	ls_json_int(j, "explore_cases", s->nexplore_cases);
}

void
ls_report_list(FILE *f, int json)
{
	struct ls_json j;

	if (!json) {
		for (const struct ls_scenario *const *s = ls_scenarios; *s; s++)
			fprintf(f, "%-12s %s\n", (*s)->name, _((*s)->title));
		return;
	}
	ls_json_init(&j, f);
	ls_json_array(&j, NULL);
	for (const struct ls_scenario *const *s = ls_scenarios; *s; s++) {
		ls_json_object(&j, NULL);
		ls_json_str(&j, "name", (*s)->name);
		ls_json_str(&j, "title", (*s)->title);
		ls_json_str(&j, "seed", (*s)->seed);
		ls_json_str(&j, "actors", ls_words_kind((*s)->kind));
		report_list_parts(&j, *s);
		ls_json_array(&j, "params");
		for (int i = 0; i < (*s)->nparams; i++) {
			const struct ls_param_desc *p = &(*s)->params[i];
			char range[LS_PARAMS_RANGE_MAX], def[LS_PARAMS_VALUE_MAX];
			ls_params_range(p, range, sizeof range);
			ls_params_value(p, p->def, def, sizeof def);
			ls_json_object(&j, NULL);
			ls_json_str(&j, "name", p->name);
			ls_json_str(&j, "default", def);
			ls_json_str(&j, "accepted", range);
			ls_json_str(&j, "help", p->help);
			ls_json_end(&j, '}');
		}
		ls_json_end(&j, ']');
		ls_json_end(&j, '}');
	}
	ls_json_end(&j, ']');
	fputc('\n', f);
}

int
ls_report_show(FILE *f, const struct ls_scenario *s)
{
	const char *src = ls_pyrun_text(s);

	if (!src)
		src = ls_scenario_source(s->name);
	fprintf(f, "%s - %s\nmirrors: %s\nactors: %s by default\n\n%s\n\nparameters:\n",
	        s->name, _(s->title), s->seed, ls_words_kind(s->kind), _(s->lesson));
	for (int i = 0; i < s->nparams; i++) {
		const struct ls_param_desc *p = &s->params[i];
		char range[LS_PARAMS_RANGE_MAX], def[LS_PARAMS_VALUE_MAX];
		ls_params_range(p, range, sizeof range);
		ls_params_value(p, p->def, def, sizeof def);
		fprintf(f, "  %-16s default %-6s accepted %-14s %s\n", p->name, def, range, _(p->help));
	}
	/* The one alias a choice has, said where the choices are listed. */
	for (int i = 0; i < s->nparams; i++)
		if (s->params[i].choices && s->params[i].choices[1]) {
			fprintf(f, _("  (a choice is written exactly as listed, or as its number: "
			             "%s=%ld is %s=%s)\n"), s->params[i].name, s->params[i].min + 1,
			        s->params[i].name, s->params[i].choices[1]);
			break;
		}
	if (!src)
		return -1;
	if (ls_pyrun_text(s))
		fprintf(f, "\nsource (%s):\n", s->name);
	else
		fprintf(f, "\nsource (scenarios/%s.c):\n", s->name);
	int line = 1;
	const char *p = src;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		fprintf(f, "%4d  %.*s\n", line++, (int)n, p);
		p += n + (nl ? 1 : 0);
	}
	return 0;
}
