/*
 * tree.c - the actors as a process tree: each actor under the one that
 * forked it (ls_fork), each fresh program (ls_spawn) under the actor that
 * started it.  What the Actors pane lists, in the order it lists them, and
 * what `run --json` calls "tree".  Read from the model only.
 */
#include "config.h"

#include "lockstep/model.h"

/* The parent link of a, when it names another actor. */
static int
tree_parent(const struct ls_model *m, int a)
{
	int p = m->actors[a].parent;

	return p >= 0 && p < m->nactors && p != a ? p : -1;
}

int
ls_model_tree_size(const struct ls_model *m)
{
	return m->nactors + (m->nprocs < LS_MODEL_PROCS ? m->nprocs : LS_MODEL_PROCS);
}

int
ls_model_shown(const struct ls_model *m, int a)
{
	return !m->hide_unstarted || m->actors[a].state != LS_AS_NEW;
}

int
ls_model_nshown(const struct ls_model *m)
{
	int n = 0;

	for (int a = 0; a < m->nactors; a++)
		n += ls_model_shown(m, a);
	return n;
}

/* Row for actor a at depth, then rows for the programs it started. */
static int
tree_emit(const struct ls_model *m, int a, int depth, struct ls_tree_row *rows, int n, int max)
{
	int nprocs = m->nprocs < LS_MODEL_PROCS ? m->nprocs : LS_MODEL_PROCS;

	if (!ls_model_shown(m, a))
		return n;
	if (n < max)
		rows[n] = (struct ls_tree_row){ .actor = a, .proc = -1, .depth = depth };
	n++;
	for (int k = 0; k < nprocs; k++)
		if (m->procs[k].actor == a) {
			if (n < max)
				rows[n] = (struct ls_tree_row){ .actor = a, .proc = k, .depth = depth + 1 };
			n++;
		}
	return n;
}

/*
 * Depth first, children in id order, with no stack: first[] and next[]
 * (the model's scratch, kept per call) link each actor's children, and the
 * walk climbs back up by the parent links.  Linear in actors and programs
 * times actors with programs.  An actor a broken link would hide (a cycle
 * of parents, which a real fork cannot make) is still listed, at the end.
 */
int
ls_model_tree(const struct ls_model *m, struct ls_tree_row *rows, int max)
{
	int *next = m->scratch;
	uint64_t *first = m->scratch_keys;   /* child + 1, 0: none; bit 32: listed */
	int n = 0, forked = 0;

	for (int a = 0; a < m->nactors; a++) {
		first[a] = 0;
		next[a] = -1;
	}
	for (int a = m->nactors - 1; a >= 0; a--) {
		int p = tree_parent(m, a);
		if (p < 0)
			continue;
		next[a] = first[p] ? (int)(first[p] & 0xffffffffu) - 1 : -1;
		first[p] = (uint64_t)(a + 1);
		forked = 1;
	}
	for (int root = 0; root < m->nactors; root++) {
		if (forked && tree_parent(m, root) >= 0)
			continue;
		int a = root, depth = 0;
		for (;;) {
			n = tree_emit(m, a, depth, rows, n, max);
			first[a] |= UINT64_C(1) << 32;
			int child = (int)(first[a] & 0xffffffffu) - 1;
			if (child >= 0 && !(first[child] >> 32)) {
				a = child;
				depth++;
				continue;
			}
			while (a != root && next[a] < 0) {
				a = tree_parent(m, a);
				depth--;
			}
			if (a == root)
				break;
			a = next[a];
		}
	}
	if (forked)
		for (int a = 0; a < m->nactors; a++)
			if (!(first[a] >> 32))
				n = tree_emit(m, a, 0, rows, n, max);
	return n < max ? n : max;
}
