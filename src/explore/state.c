/*
 * state.c - see state.h.  Reads the model only; never the world, never the
 * clock (a timestamp in a key would keep every state apart).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "explore/state.h"
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
		/* A threading.local's value is this actor's own state. */
		long v;
		if (m->objs[o].kind == LS_OBJ_LOCAL && ls_model_local(m, o, a, &v))
			h = state_mix(h, state_mix((uint64_t)o, (uint64_t)v));
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

/* An object's part of the key: its kind, value, holders, and what only some kinds hold. */
static uint64_t
state_obj_part(const struct ls_model_obj *x)
{
	uint64_t w = state_mix((uint64_t)x->kind, (uint64_t)x->value);

	w = state_mix(w, ((uint64_t)(uint32_t)x->holders << 32) | (uint32_t)x->max_holders);
	w = state_mix(w, ((uint64_t)(x->owner >= 0) << 63) ^ (uint64_t)x->refused);
	if (x->kind == LS_OBJ_FILE)
		w = state_bytes(w, x->text, strnlen(x->text, sizeof x->text));
	if (x->kind == LS_OBJ_POOL && x->pool) {
		/* The queue's tasks and the results in the order they came back. */
		w = state_bytes(w, x->items, (size_t)x->value * sizeof x->items[0]);
		w = state_mix(w, ((uint64_t)x->pool->closed << 63) ^ (uint64_t)x->pool->collected);
		for (long r = 0; r < x->pool->finished && r < LS_QUEUE_CAP; r++)
			w = state_mix(w, (uint64_t)x->pool->results[r].task);
	}
	return w;
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
		uint64_t w = state_obj_part(&m->objs[o]);
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
