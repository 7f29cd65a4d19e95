/*
 * run_header.c - the run view's top bar in words: what runs (lesson, how it
 * is led, the kind of actors, the variant, the seed), how far it got, its
 * status, and how many rows that takes.  The layout asks the rows, the
 * frame draws the words.  Must never draw.
 */
#include "config.h"

#include <stdio.h>

#include "tui/tui_int.h"

void
run_header_slowmo_text(unsigned pct, char *buf, size_t len)
{
	if (pct == 100)
		snprintf(buf, len, "real time");
	else if (pct > 100)
		snprintf(buf, len, "%gx slower", pct / 100.0);
	else
		snprintf(buf, len, "%gx faster", 100.0 / pct);
}

/*
 * The header's words: left, what runs (lesson, policy, kind, the variant's
 * parameter, the seed); right, how far it got; tag, its status.
 */
void
run_header_text(const struct run_view *rv, char *left, size_t llen, char *right,
                     size_t rlen, char *tag, size_t tlen)
{
	const struct ls_scenario *s = rv->s;
	const struct ls_model *m = ls_run_model(rv->run);
	enum ls_run_status st = ls_run_status(rv->run);
	enum ls_policy pol = ls_run_policy(rv->run);
	const char *sep = theme_glyphs()->sep;
	char slow[32], how[64];
	size_t n, len;

	if (rv->walk >= 0)
		snprintf(how, sizeof how, "walkthrough %d/%d", rv->walk + 1, s->nwalkthroughs);
	else if (rv->challenge >= 0)
		snprintf(how, sizeof how, "challenge %d/%d", rv->challenge + 1, s->nchallenges);
	else if (pol == LS_POLICY_REPLAY && ls_run_replay_ended(rv->run, &len))
		snprintf(how, sizeof how, "replay ended at step %zu", len);
	else if (pol == LS_POLICY_REPLAY && rv->paused && !run_life_over(st))
		snprintf(how, sizeof how, "replay (paused)");
	else
		snprintf(how, sizeof how, "%s", ls_policy_name(pol));
	n = (size_t)snprintf(left, llen, "%s%s%s%s%s", s->name, sep, how, sep,
	                     ls_run_kind(rv->run) == LS_ACTORS_PROCESSES ? "processes" : "threads");
	if (s->toggle_param >= 0 && n < llen) {
		const struct ls_param_desc *p = &s->params[s->toggle_param];
		long v = ls_run_params(rv->run)[s->toggle_param];

		if (p->choices && v >= p->min && v <= p->max)
			n += (size_t)snprintf(left + n, llen - n, "%s%s=%s", sep, p->name,
			                      p->choices[v - p->min]);
		else
			n += (size_t)snprintf(left + n, llen - n, "%s%s=%ld", sep, p->name, v);
	}
	if (rv->policy == LS_POLICY_RANDOM && n < llen)
		snprintf(left + n, llen - n, "%sseed %llu", sep, (unsigned long long)ls_run_seed(rv->run));

	/* The count people can check: the walkthrough's own steps, the run's
	 * steps, or in a free run the operations done. */
	if (rv->walk >= 0)
		n = (size_t)snprintf(right, rlen, "step %d of %d", rv->player.at,
		                     rv->player.wt ? rv->player.wt->nsteps : 0);
	else if (pol == LS_POLICY_FREE && (!ls_run_schedule(rv->run) || !ls_run_schedule(rv->run)->len))
		n = (size_t)snprintf(right, rlen, "%llu %s", (unsigned long long)rv->tl.ops,
		                     rv->tl.ops == 1 ? "operation" : "operations");
	else
		n = (size_t)snprintf(right, rlen, "steps %zu",
		                     ls_run_schedule(rv->run) ? ls_run_schedule(rv->run)->len : (size_t)0);
	if (n < rlen)
		n += (size_t)snprintf(right + n, rlen - n, "%s%.1f s", sep,
		                      ls_run_elapsed_ms(rv->run) / 1000.0);
	if (pol != LS_POLICY_STEP && n < rlen) {
		run_header_slowmo_text(ls_run_slowmo(rv->run), slow, sizeof slow);
		n += (size_t)snprintf(right + n, rlen - n, "%s%s", sep, slow);
	}
	if (m->dropped && n < rlen)
		snprintf(right + n, rlen - n, "%sdropped %llu", sep, (unsigned long long)m->dropped);
	snprintf(tag, tlen, " %s ", ls_run_status_name(st));
}

int
run_header_rows(const struct run_view *rv)
{
	char left[256], right[256], tag[40];

	if (!rv->run)
		return 1;
	run_header_text(rv, left, sizeof left, right, sizeof right, tag, sizeof tag);
	/* Never cut: what does not fit beside the status goes on a second row. */
	return draw_width(left) + draw_width(tag) + draw_width(right) + 4 <= COLS ? 1 : 2;
}
