/*
 * traces.c - see traces.h.  A forward count over the trace's prefixes
 * closed under its order (downsets): a prefix is how many steps of each
 * actor it holds, and the number of ways to reach it is summed level by
 * level (a level: prefixes of one length), so only two levels are kept.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "explore/traces.h"

struct tr_level {
	uint16_t *vec;      /* cap * nactors */
	uint64_t *ways;
	size_t n, cap;      /* cap: a power of two (open addressing) */
	int *used;          /* slots in use, in insertion order */
	char *full;
};

static uint64_t
tr_hash(const uint16_t *v, int k)
{
	uint64_t h = 1469598103934665603u;
	for (int i = 0; i < k; i++)
		h = (h ^ v[i]) * 1099511628211u;
	return h ^ (h >> 29);
}

static int
tr_level_init(struct tr_level *l, size_t cap, int k)
{
	memset(l, 0, sizeof *l);
	l->cap = cap;
	l->vec = malloc(cap * (size_t)k * sizeof *l->vec);
	l->ways = malloc(cap * sizeof *l->ways);
	l->used = malloc(cap * sizeof *l->used);
	l->full = calloc(cap, 1);
	return l->vec && l->ways && l->used && l->full ? 0 : -1;
}

static void
tr_level_free(struct tr_level *l)
{
	free(l->vec);
	free(l->ways);
	free(l->used);
	free(l->full);
	memset(l, 0, sizeof *l);
}

static void
tr_level_clear(struct tr_level *l)
{
	for (size_t i = 0; i < l->n; i++)
		l->full[l->used[i]] = 0;
	l->n = 0;
}

static uint64_t
tr_add(uint64_t a, uint64_t b, int *sat)
{
	if (a > UINT64_MAX - b) {
		*sat = 1;
		return UINT64_MAX;
	}
	return a + b;
}

/* Add ways to prefix v in l; -1 when l is full (the caller grows it). */
static int
tr_put(struct tr_level *l, const uint16_t *v, int k, uint64_t ways, int *sat)
{
	if ((l->n + 1) * 2 > l->cap)
		return -1;
	size_t at = tr_hash(v, k) & (l->cap - 1);
	while (l->full[at]) {
		if (memcmp(&l->vec[at * (size_t)k], v, (size_t)k * sizeof *v) == 0) {
			l->ways[at] = tr_add(l->ways[at], ways, sat);
			return 0;
		}
		at = (at + 1) & (l->cap - 1);
	}
	l->full[at] = 1;
	memcpy(&l->vec[at * (size_t)k], v, (size_t)k * sizeof *v);
	l->ways[at] = ways;
	l->used[l->n++] = (int)at;
	return 0;
}

static int
tr_grow(struct tr_level *l, int k)
{
	struct tr_level bigger;
	int sat = 0;

	if (tr_level_init(&bigger, l->cap * 2, k) != 0) {
		tr_level_free(&bigger);
		return -1;
	}
	for (size_t i = 0; i < l->n; i++) {
		int at = l->used[i];
		tr_put(&bigger, &l->vec[(size_t)at * (size_t)k], k, l->ways[at], &sat);
	}
	tr_level_free(l);
	*l = bigger;
	return 0;
}

int
ls_trace_count(int nsteps, int nactors, const int *actor, const int *need,
               long max_states, uint64_t *out, int *saturated)
{
	int k = nactors, rc = -1;
	/* Each actor's steps, in order: step j is actor[j]'s mine[j]-th. */
	int *len = calloc((size_t)k, sizeof *len);
	int *first = malloc((size_t)k * (size_t)(nsteps + 1) * sizeof *first);
	uint16_t *v = malloc((size_t)k * sizeof *v);
	struct tr_level cur, next;
	long seen = 0;

	memset(&cur, 0, sizeof cur);
	memset(&next, 0, sizeof next);
	if (!len || !first || !v || nsteps > 65535 ||
	    tr_level_init(&cur, 64, k) != 0 || tr_level_init(&next, 64, k) != 0)
		goto out;
	for (int j = 0; j < nsteps; j++) {
		int a = actor[j];
		first[a * (nsteps + 1) + len[a]++] = j;
	}
	memset(v, 0, (size_t)k * sizeof *v);
	tr_put(&cur, v, k, 1, saturated);
	for (int t = 0; t < nsteps; t++) {
		tr_level_clear(&next);
		for (size_t i = 0; i < cur.n; i++) {
			int at = cur.used[i];
			const uint16_t *c = &cur.vec[(size_t)at * (size_t)k];
			for (int a = 0; a < k; a++) {
				if (c[a] >= len[a])
					continue;
				int j = first[a * (nsteps + 1) + c[a]];
				int ok = 1;
				for (int b = 0; b < k && ok; b++)
					ok = b == a || c[b] >= need[(size_t)j * (size_t)k + (size_t)b];
				if (!ok)
					continue;
				memcpy(v, c, (size_t)k * sizeof *v);
				v[a]++;
				while (tr_put(&next, v, k, cur.ways[at], saturated) != 0)
					if (tr_grow(&next, k) != 0)
						goto out;
				if (++seen > max_states)
					goto out;
			}
		}
		struct tr_level swap = cur;
		cur = next;
		next = swap;
	}
	*out = cur.n == 1 ? cur.ways[cur.used[0]] : 0;
	rc = cur.n == 1 ? 0 : -1;
out:
	tr_level_free(&cur);
	tr_level_free(&next);
	free(len);
	free(first);
	free(v);
	return rc;
}
