/*
 * state.c - see state.h.  Reads the model only; never the world, never the
 * clock (a timestamp in a key would keep every state apart).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "explore/state.h"
#include "model/kind.h"
#include "model/op.h"

struct ls_state_keyer {
	const struct ls_scenario *s;
	int nactors;
	uint64_t *hist;     /* per actor: digest of its completed operations */
	uint64_t *steps;    /* per actor: records folded into hist */
	uint64_t *part;     /* per actor: its part of the last key */
	int *sym;           /* per actor: 1 when its role is symmetric (and honoured) */
	int *role;
	int *order;         /* scratch: actors in canonical order */
	int symmetry;       /* honour symmetric roles */
	int resolved;       /* role[] and sym[] filled from the model */
};

/* 64-bit finaliser (murmur3's fmix64): every input bit reaches every output bit. */
static uint64_t
state_fmix(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

/* Fold one word into a digest; the order of words matters. */
static uint64_t
state_mix(uint64_t h, uint64_t x)
{
	return state_fmix(h ^ (x + UINT64_C(0x9e3779b97f4a7c15) + (h << 6) + (h >> 2)));
}

static uint64_t
state_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t w = 0;
	size_t i;

	h = state_mix(h, n);
	for (i = 0; i < n; i++) {
		w = (w << 8) | b[i];
		if ((i & 7) == 7) {
			h = state_mix(h, w);
			w = 0;
		}
	}
	return (i & 7) ? state_mix(h, w) : h;
}

/* The kind table's key, folded into the digest ctx points at. */
static void
state_key_word(struct ls_kind_key *k, uint64_t w)
{
	uint64_t *h = k->ctx;

	*h = state_mix(*h, w);
}

static void
state_key_bytes(struct ls_kind_key *k, const void *p, size_t n)
{
	uint64_t *h = k->ctx;

	*h = state_bytes(*h, p, n);
}

struct ls_state_keyer *
ls_state_keyer_new(const struct ls_scenario *s, int nactors, int symmetry)
{
	struct ls_state_keyer *k = calloc(1, sizeof *k);

	if (!k)
		return NULL;
	k->s = s;
	k->nactors = nactors;
	k->hist = calloc((size_t)nactors + 1, sizeof *k->hist);
	k->steps = calloc((size_t)nactors + 1, sizeof *k->steps);
	k->part = calloc((size_t)nactors + 1, sizeof *k->part);
	k->sym = calloc((size_t)nactors + 1, sizeof *k->sym);
	k->role = calloc((size_t)nactors + 1, sizeof *k->role);
	k->order = calloc((size_t)nactors + 1, sizeof *k->order);
	if (!k->hist || !k->steps || !k->part || !k->sym || !k->role || !k->order) {
		ls_state_keyer_free(k);
		return NULL;
	}
	k->symmetry = symmetry;
	return k;
}

void
ls_state_keyer_free(struct ls_state_keyer *k)
{
	if (!k)
		return;
	free(k->hist);
	free(k->steps);
	free(k->part);
	free(k->sym);
	free(k->role);
	free(k->order);
	free(k);
}

void
ls_state_keyer_reset(struct ls_state_keyer *k)
{
	memset(k->hist, 0, (size_t)k->nactors * sizeof *k->hist);
	memset(k->steps, 0, (size_t)k->nactors * sizeof *k->steps);
}

void
ls_state_keyer_watch(void *ctx, const struct ls_model *m, const struct ls_event *e)
{
	struct ls_state_keyer *k = ctx;
	(void)m;

	if (e->actor == LS_NO_ACTOR || e->actor >= k->nactors)
		return;
	/* BEGIN is the pending operation, in the actor's part already; BLOCK
	 * says only that it had to wait, which depends on the others. */
	if (e->phase == LS_PH_BEGIN || e->phase == LS_PH_BLOCK)
		return;
	const struct ls_op_info *oi = ls_op_info(e->op);
	/* A local is no step, and its value follows from what the actor read. */
	if (oi->flags & LS_OPF_NOTE)
		return;
	uint64_t h = k->hist[e->actor];
	h = state_mix(h, ((uint64_t)e->op << 32) | ((uint64_t)e->phase << 16) | e->obj);
	if (oi->flags & LS_OPF_TEXT) {
		size_t n = strnlen(e->u.text, LS_TEXT_MAX);
		h = state_bytes(h, e->u.text, n);
	} else if (oi->access == LS_ACC_READ || oi->access == LS_ACC_UPDATE ||
	           e->phase == LS_PH_FAIL) {
		/* What the body got back.  A write's values follow from earlier
		 * reads (and what it overwrote is not the writer's business). */
		h = state_mix(h, (uint64_t)e->u.v.a);
		h = state_mix(h, (uint64_t)e->u.v.b);
	}
	k->hist[e->actor] = h;
	k->steps[e->actor]++;
}

/* Actor a's place among those blocked on its object, by when they blocked. */
static int
state_queue_rank(const struct ls_model *m, int a)
{
	const struct ls_model_actor *x = &m->actors[a];
	int rank = 0;

	if (x->state != LS_AS_BLOCKED || x->obj < 0)
		return -1;
	for (int i = 0; i < m->nactors; i++) {
		const struct ls_model_actor *y = &m->actors[i];
		if (i != a && y->state == LS_AS_BLOCKED && y->obj == x->obj &&
		    y->block_seq < x->block_seq)
			rank++;
	}
	return rank;
}

static uint64_t
state_actor_part(const struct ls_state_keyer *k, const struct ls_model *m, int a, int last,
                 uint32_t moves)
{
	const struct ls_model_actor *x = &m->actors[a];
	uint64_t h = UINT64_C(0x243f6a8885a308d3);

	h = state_mix(h, (uint64_t)x->role);
	h = state_mix(h, ((uint64_t)x->state << 48) ^ ((uint64_t)(uint32_t)x->op << 32) ^
	                 (uint32_t)x->obj);
	h = state_mix(h, (uint64_t)(uint32_t)x->line);
	h = state_mix(h, (uint64_t)x->arg);
	h = state_mix(h, ((uint64_t)x->notified << 1) | (uint64_t)(a == last));
	h = state_mix(h, (uint64_t)(int64_t)state_queue_rank(m, a));
	h = state_mix(h, k->hist[a]);
	h = state_mix(h, (k->steps[a] << 32) ^ moves);
	for (int o = 0; o < m->nobjs; o++) {
		unsigned d = ls_model_hold_depth(m, a, o);
		if (d)
			h = state_mix(h, ((uint64_t)o << 32) | d);
		/* State of the actor's own in a shared object (a threading.local's value). */
		const struct ls_kind_info *ki = ls_kind_info(m->objs[o].kind);
		uint64_t v;
		if (ki->actor_key && ki->actor_key(m, o, a, &v))
			h = state_mix(h, state_mix((uint64_t)o, v));
	}
	return h;
}

/* Canonical order: by role, then (symmetric roles) by part, then by id. */
static int
state_before(const struct ls_state_keyer *k, int a, int b)
{
	if (k->role[a] != k->role[b])
		return k->role[a] < k->role[b];
	if (k->sym[a] && k->part[a] != k->part[b])
		return k->part[a] < k->part[b];
	return a < b;
}

/* The roles are the model's, fixed for the search: read once. */
static void
state_resolve(struct ls_state_keyer *k, const struct ls_model *m, int n)
{
	for (int i = 0; i < n; i++) {
		int r = m->actors[i].role;
		k->role[i] = r;
		k->sym[i] = k->symmetry && r >= 0 && r < k->s->nroles && k->s->roles[r].symmetric;
	}
	k->resolved = 1;
}

void
ls_state_keyer_key(struct ls_state_keyer *k, const struct ls_model *m, int bounded,
                   int last, int preempt, const uint32_t *moves, struct ls_state_key *out)
{
	int n = k->nactors < m->nactors ? k->nactors : m->nactors;
	uint64_t h0 = UINT64_C(0x13198a2e03707344), h1 = UINT64_C(0xa4093822299f31d0);

	if (!k->resolved)
		state_resolve(k, m, n);
	if (!bounded)
		last = -1;
	for (int i = 0; i < n; i++) {
		k->part[i] = state_actor_part(k, m, i, last, moves[i]);
		/* insertion sort into canonical order */
		int at = i;
		while (at > 0 && state_before(k, i, k->order[at - 1])) {
			k->order[at] = k->order[at - 1];
			at--;
		}
		k->order[at] = i;
	}
	for (int o = 0; o < m->nobjs; o++) {
		/* Its kind, then what the kind table says its state is. */
		uint64_t w = (uint64_t)m->objs[o].kind;
		struct ls_kind_key kk = { .word = state_key_word, .bytes = state_key_bytes, .ctx = &w };
		ls_kind_info(m->objs[o].kind)->key(&kk, m, o);
		h0 = state_mix(h0, w);
		h1 = state_mix(h1 ^ UINT64_C(0x5bd1e995), w);
	}
	const void *fold = ls_model_fold_state(m);
	if (fold && k->s->fold_size) {
		/* The fold's invariants are the verdict's business: states that
		 * fold differently are different states. */
		uint64_t w = state_bytes(0, fold, k->s->fold_size);
		h0 = state_mix(h0, w);
		h1 = state_mix(h1, ~w);
	}
	if (bounded) {
		h0 = state_mix(h0, (uint64_t)preempt);
		h1 = state_mix(h1, (uint64_t)preempt ^ UINT64_C(0xdeadbeef));
	}
	for (int i = 0; i < n; i++) {
		uint64_t w = k->part[k->order[i]];
		h0 = state_mix(h0, w);
		h1 = state_mix(h1 ^ UINT64_C(0x2545f4914f6cdd1d), w);
	}
	out->h[0] = h0;
	out->h[1] = h1;
}

int
ls_state_keyer_class(const struct ls_state_keyer *k, const int *en, int n, int a)
{
	if (a < 0 || a >= k->nactors || !k->sym[a])
		return a;
	for (int i = 0; i < n; i++) {
		int b = en[i];
		if (b == a)
			return a;
		if (b >= 0 && b < k->nactors && k->sym[b] && k->role[b] == k->role[a] &&
		    k->part[b] == k->part[a])
			return b;
	}
	return a;
}

/* ---- the store ---------------------------------------------------------- */

void
ls_state_store_init(struct ls_state_store *t, size_t item)
{
	memset(t, 0, sizeof *t);
	t->item = item;
}

void
ls_state_store_free(struct ls_state_store *t)
{
	free(t->nodes);
	free(t->pool);
	ls_state_store_init(t, t->item);
}

static size_t
state_store_slot(const struct ls_state_store *t, const struct ls_state_key *k)
{
	size_t at = (size_t)(k->h[0] ^ (k->h[0] >> 31)) & (t->cap - 1);
	while (t->nodes[at].n != (size_t)-1 &&
	       (t->nodes[at].key.h[0] != k->h[0] || t->nodes[at].key.h[1] != k->h[1]))
		at = (at + 1) & (t->cap - 1);
	return at;
}

const void *
ls_state_store_find(const struct ls_state_store *t, const struct ls_state_key *k, size_t *n)
{
	if (!t->cap)
		return NULL;
	const struct ls_state_node *x = &t->nodes[state_store_slot(t, k)];
	if (x->n == (size_t)-1)
		return NULL;
	*n = x->n;
	return t->pool + x->first * t->item;
}

static int
state_store_grow(struct ls_state_store *t)
{
	size_t cap = t->cap ? t->cap * 2 : LS_STATE_STORE_FIRST;
	struct ls_state_node *old = t->nodes;
	size_t oldcap = t->cap;

	t->nodes = malloc(cap * sizeof *t->nodes);
	if (!t->nodes) {
		t->nodes = old;
		return -1;
	}
	for (size_t i = 0; i < cap; i++)
		t->nodes[i].n = (size_t)-1;   /* empty */
	t->cap = cap;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].n != (size_t)-1)
			t->nodes[state_store_slot(t, &old[i].key)] = old[i];
	free(old);
	return 0;
}

int
ls_state_store_put(struct ls_state_store *t, const struct ls_state_key *k, const void *items,
                   size_t n)
{
	if ((t->n + 1) * 2 > t->cap && state_store_grow(t) != 0)
		return -1;
	if (t->npool + n > t->cappool) {
		size_t cap = t->cappool ? t->cappool * 2 : 4096;
		while (cap < t->npool + n)
			cap *= 2;
		unsigned char *p = realloc(t->pool, cap * t->item);
		if (!p)
			return -1;
		t->pool = p;
		t->cappool = cap;
	}
	struct ls_state_node *x = &t->nodes[state_store_slot(t, k)];
	if (x->n != (size_t)-1)
		return 0;   /* already there (a divergence retried it) */
	x->key = *k;
	x->first = t->npool;
	x->n = n;
	if (n)
		memcpy(t->pool + t->npool * t->item, items, n * t->item);
	t->npool += n;
	t->n++;
	return 0;
}
