/*
 * run_draw.c - one frame of the run view: the header (lesson, policy,
 * variant, steps, time, status), every pane the layout shows, the tabs over
 * the main pane on small screens, a pane's one-row form, and the footer
 * read off run_keys_table[].  Must only read: scroll and selection were
 * fitted by the update pass (run_layout_update) before the frame.
 */
#include "config.h"

#include <stdio.h>

#include "tui/tui_int.h"

void
run_draw_slowmo_text(unsigned pct, char *buf, size_t len)
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
static void
run_draw_header_text(const struct run_view *rv, char *left, size_t llen, char *right,
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
		run_draw_slowmo_text(ls_run_slowmo(rv->run), slow, sizeof slow);
		n += (size_t)snprintf(right + n, rlen - n, "%s%s", sep, slow);
	}
	if (m->dropped && n < rlen)
		snprintf(right + n, rlen - n, "%sdropped %llu", sep, (unsigned long long)m->dropped);
	snprintf(tag, tlen, " %s ", ls_run_status_name(st));
}

int
run_draw_header_rows(const struct run_view *rv)
{
	char left[256], right[256], tag[40];

	if (!rv->run)
		return 1;
	run_draw_header_text(rv, left, sizeof left, right, sizeof right, tag, sizeof tag);
	/* Never cut: what does not fit beside the status goes on a second row. */
	return draw_width(left) + draw_width(tag) + draw_width(right) + 4 <= COLS ? 1 : 2;
}

static void
run_draw_header(struct tui *t)
{
	const struct run_view *rv = &t->rv;
	const struct ls_model *m = ls_run_model(rv->run);
	enum ls_run_status st = ls_run_status(rv->run);
	char left[256], right[256], tag[40];
	int tw, rw, rows = run_draw_header_rows(rv), ry = rows - 1;

	run_draw_header_text(rv, left, sizeof left, right, sizeof right, tag, sizeof tag);
	tw = draw_width(tag);
	rw = draw_width(right);
	for (int y = 0; y < rows; y++)
		draw_fill(stdscr, y, 0, COLS, C_TITLE, 0);
	draw_text(stdscr, ry, COLS - rw - 1, rw, C_TITLE, m->dropped ? A_BOLD : 0, right);
	draw_text(stdscr, ry, COLS - rw - tw - 2, tw, run_life_over(st) ? C_RUN_STOPPED : C_RUN_LIVE,
	          A_BOLD, tag);
	draw_text(stdscr, 0, 1, rows > 1 ? COLS - 2 : COLS - rw - tw - 4, C_TITLE, A_BOLD, left);
}

/* The tab bar over the main pane's top border: the table's panes with a key. */
static void
run_draw_tabs(struct rect b, int active)
{
	const struct theme_glyphs *g = theme_glyphs();
	int x = b.x + 1, end = b.x + b.w - 4, need = 0, shortn;
	cchar_t c;

	for (int p = 0; panes_table[p]; p++)
		if (panes_table[p]->key)
			need += draw_width(_(panes_table[p]->name)) + 4;
	shortn = need > end - x;
	theme_cchar(&c, g->h, C_BORDER, 0);
	mvwhline_set(stdscr, b.y, x, &c, (need < end - x ? need : end - x) + 1);
	for (int p = 0; panes_table[p] && x < end; p++) {
		const struct tui_pane *pn = panes_table[p];
		char label[32];

		if (!pn->key)
			continue;
		/* Narrow: only the active pane keeps its name. */
		if (shortn && p != active)
			snprintf(label, sizeof label, " %c ", pn->key);
		else
			snprintf(label, sizeof label, " %c %s ", pn->key, _(pn->name));
		x += draw_text(stdscr, b.y, x, end - x, p == active ? C_TAB_ACTIVE : C_TAB,
		               p == active ? A_BOLD : 0, label);
	}
}

void
run_draw(struct tui *t)
{
	struct run_view *rv = &t->rv;
	struct run_layout L;

	rv->foot_rows = tui_foot_rows(t);
	if (!rv->run) {
		tui_draw_header(t, "no run", NULL);
		tui_draw_footer(t, NULL);
		return;
	}
	run_draw_header(t);
	run_layout_compute(rv, &L);
	for (int p = 0; panes_table[p] && p < RUN_LAYOUT_MAX; p++)
		if (L.shown[p])
			panes_table[p]->draw(stdscr, L.at[p], rv);
	if (L.tabbed)
		run_draw_tabs(L.main, rv->main_pane);
	if (L.strip >= 0)
		panes_table[L.strip]->strip(stdscr, L.strip_y, 1, COLS - 2, rv);
	keys_footer(t, run_keys_table, run_keys_foot_mode(t));
}
