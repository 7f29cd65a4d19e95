/*
 * race.c - see race.h.  Memory: one vector clock per actor that has acted
 * and per object that something was released through, plus per shared
 * object two epochs, and a clock per actor only while its reads (or its
 * ADDs) are concurrent.  Everything is allocated lazily, so a run that
 * shares nothing costs next to nothing.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/kind.h"
#include "model/op.h"
#include "model/race.h"

/* One access: who, at which of its clock ticks, from which line. */
struct race_epoch {
	int32_t actor;      /* -1: none */
	uint32_t clock;
	int32_t line;
	int32_t op;         /* the operation that made the access */
};

struct race_obj {
	struct race_epoch w;     /* last STORE / FILE_WRITE */
	struct race_epoch r;     /* last read, while reads are ordered */
	uint32_t *rvc;           /* concurrent reads: clock per actor, or NULL */
	int32_t *rline;
	uint32_t *avc;           /* ADDs since the last write: clock per actor */
	int32_t *aline;
	int rop, aop;            /* the operations that read it and that ADD to it */
};

struct ls_race_detector {
	int nactors;
	int nobjs;
	int kinds[LS_MAX_OBJS];
	uint32_t **vc;                  /* per actor, NULL until it acts */
	uint32_t **final;               /* per actor: its clock when it ended, for joins */
	uint32_t *sync[LS_MAX_OBJS];    /* what was released through each object */
	struct race_obj objs[LS_MAX_OBJS];
	struct ls_race races[LS_RACES_MAX];
	size_t nraces;
	uint64_t seen;
};

struct ls_race_detector *
ls_race_new(int nactors, int nobjs, const int *kinds)
{
	struct ls_race_detector *d = calloc(1, sizeof *d);

	if (!d)
		return NULL;
	d->nactors = nactors > 0 ? nactors : 1;
	d->nobjs = nobjs < 0 ? 0 : nobjs > LS_MAX_OBJS ? LS_MAX_OBJS : nobjs;
	d->vc = calloc((size_t)d->nactors, sizeof *d->vc);
	d->final = calloc((size_t)d->nactors, sizeof *d->final);
	if (!d->vc || !d->final) {
		free(d->vc);
		free(d->final);
		free(d);
		return NULL;
	}
	for (int i = 0; i < d->nobjs; i++) {
		d->kinds[i] = kinds[i];
		d->objs[i].w.actor = -1;
		d->objs[i].r.actor = -1;
	}
	return d;
}

void
ls_race_free(struct ls_race_detector *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->nactors; i++) {
		free(d->vc[i]);
		free(d->final[i]);
	}
	free(d->vc);
	free(d->final);
	for (int i = 0; i < d->nobjs; i++) {
		free(d->sync[i]);
		free(d->objs[i].rvc);
		free(d->objs[i].rline);
		free(d->objs[i].avc);
		free(d->objs[i].aline);
	}
	free(d);
}

size_t
ls_race_list(const struct ls_race_detector *d, const struct ls_race **out)
{
	if (out)
		*out = d ? d->races : NULL;
	return d ? d->nraces : 0;
}

uint64_t
ls_race_seen(const struct ls_race_detector *d)
{
	return d ? d->seen : 0;
}

/* The actor's clock; its own entry starts at 1 so its first accesses are
 * concurrent with everyone else's (who know 0 of it). */
static uint32_t *
race_clock(struct ls_race_detector *d, int t)
{
	if (!d->vc[t]) {
		d->vc[t] = calloc((size_t)d->nactors, sizeof *d->vc[t]);
		if (d->vc[t])
			d->vc[t][t] = 1;
	}
	return d->vc[t];
}

static int
race_zeroed(uint32_t **vc, int32_t **line, int n)
{
	if (*vc)
		return 0;
	*vc = calloc((size_t)n, sizeof **vc);
	*line = calloc((size_t)n, sizeof **line);
	if (*vc && *line)
		return 0;
	free(*vc);
	free(*line);
	*vc = NULL;
	*line = NULL;
	return -1;
}

static void
race_report(struct ls_race_detector *d, int obj, int ua, int la, int oa,
            int ub, int lb, int ob)
{
	int lo = la < lb ? la : lb, hi = la < lb ? lb : la;

	d->seen++;
	for (size_t i = 0; i < d->nraces; i++) {
		const struct ls_race *r = &d->races[i];
		int rlo = r->a.line < r->b.line ? r->a.line : r->b.line;
		int rhi = r->a.line < r->b.line ? r->b.line : r->a.line;
		if (r->var == obj && rlo == lo && rhi == hi)
			return;
	}
	if (d->nraces >= LS_RACES_MAX)
		return;
	struct ls_race *r = &d->races[d->nraces++];
	r->var = obj;
	r->a.actor = ua;
	r->a.line = la;
	r->a.op = oa;
	r->b.actor = ub;
	r->b.line = lb;
	r->b.op = ob;
}

/* Is the earlier access (u at clock c) ordered before t's present? */
static int
race_ordered(const uint32_t *ct, int u, uint32_t c)
{
	return c <= ct[u];
}

/* The access of t (op, line) against the last write, if that was another's. */
static void
race_check_write(struct ls_race_detector *d, int obj, const uint32_t *ct, int t,
                 int line, int op)
{
	const struct race_obj *o = &d->objs[obj];

	if (o->w.actor >= 0 && o->w.actor != t && !race_ordered(ct, o->w.actor, o->w.clock))
		race_report(d, obj, o->w.actor, o->w.line, o->w.op, t, line, op);
}

static void
race_check_adds(struct ls_race_detector *d, int obj, const uint32_t *ct, int t,
                int line, int op)
{
	const struct race_obj *o = &d->objs[obj];

	for (int u = 0; o->avc && u < d->nactors; u++)
		if (u != t && !race_ordered(ct, u, o->avc[u]))
			race_report(d, obj, u, o->aline[u], o->aop, t, line, op);
}

static void
race_check_reads(struct ls_race_detector *d, int obj, const uint32_t *ct, int t,
                 int line, int op)
{
	const struct race_obj *o = &d->objs[obj];
	int rop = o->rop;

	if (o->rvc) {
		for (int u = 0; u < d->nactors; u++)
			if (u != t && !race_ordered(ct, u, o->rvc[u]))
				race_report(d, obj, u, o->rline[u], rop, t, line, op);
	} else if (o->r.actor >= 0 && o->r.actor != t && !race_ordered(ct, o->r.actor, o->r.clock)) {
		race_report(d, obj, o->r.actor, o->r.line, rop, t, line, op);
	}
}

static void
race_read(struct ls_race_detector *d, int obj, const uint32_t *ct, int t, int line, int op)
{
	struct race_obj *o = &d->objs[obj];
	uint32_t now = ct[t];

	race_check_write(d, obj, ct, t, line, op);
	o->rop = op;
	if (o->rvc) {
		o->rvc[t] = now;
		o->rline[t] = line;
	} else if (o->r.actor < 0 || o->r.actor == t || race_ordered(ct, o->r.actor, o->r.clock)) {
		o->r.actor = t;
		o->r.clock = now;
		o->r.line = line;
	} else if (race_zeroed(&o->rvc, &o->rline, d->nactors) == 0) {
		/* Two reads neither before the other: remember both. */
		o->rvc[o->r.actor] = o->r.clock;
		o->rline[o->r.actor] = o->r.line;
		o->rvc[t] = now;
		o->rline[t] = line;
	}
}

static void
race_write(struct ls_race_detector *d, int obj, const uint32_t *ct, int t, int line, int op)
{
	struct race_obj *o = &d->objs[obj];

	race_check_write(d, obj, ct, t, line, op);
	race_check_adds(d, obj, ct, t, line, op);
	race_check_reads(d, obj, ct, t, line, op);
	/* Whatever comes after this write and is ordered after it is ordered
	 * after everything checked here; the rest was reported. */
	free(o->rvc);
	free(o->rline);
	free(o->avc);
	free(o->aline);
	o->rvc = o->avc = NULL;
	o->rline = o->aline = NULL;
	o->r.actor = -1;
	o->w.actor = t;
	o->w.clock = ct[t];
	o->w.line = line;
	o->w.op = op;
}

static void
race_add(struct ls_race_detector *d, int obj, const uint32_t *ct, int t, int line, int op)
{
	struct race_obj *o = &d->objs[obj];

	race_check_write(d, obj, ct, t, line, op);
	o->aop = op;
	if (race_zeroed(&o->avc, &o->aline, d->nactors) == 0) {
		o->avc[t] = ct[t];
		o->aline[t] = line;
	}
}

static void
race_acquire(struct ls_race_detector *d, uint32_t *ct, unsigned obj)
{
	const uint32_t *s = obj < (unsigned)d->nobjs ? d->sync[obj] : NULL;

	for (int u = 0; s && u < d->nactors; u++)
		if (s[u] > ct[u])
			ct[u] = s[u];
}

/* Publish t's clock through obj, then tick so later accesses are new. */
static void
race_release(struct ls_race_detector *d, uint32_t *ct, int t, unsigned obj)
{
	if (obj < (unsigned)d->nobjs) {
		if (!d->sync[obj])
			d->sync[obj] = calloc((size_t)d->nactors, sizeof *d->sync[obj]);
		uint32_t *s = d->sync[obj];
		for (int u = 0; s && u < d->nactors; u++)
			if (ct[u] > s[u])
				s[u] = ct[u];
	}
	ct[t]++;
}

void
ls_race_apply(struct ls_race_detector *d, const struct ls_event *e)
{
	int t = e->actor;
	unsigned obj = e->obj;
	int done = e->phase == LS_PH_DONE;

	if (!d || e->actor == LS_NO_ACTOR || t >= d->nactors)
		return;
	uint32_t *ct = race_clock(d, t);
	if (!ct)
		return;
	const struct ls_op_info *op = ls_op_info(e->op);
	int data = obj < (unsigned)d->nobjs && (ls_kind_flags(d->kinds[obj]) & LS_KINDF_DATA);
	int mutex = ls_op_mutex_arg(e);

	/* A condition wait lets go of its mutex when it blocks. */
	if (e->phase == LS_PH_BLOCK && mutex >= 0) {
		race_release(d, ct, t, (unsigned)mutex);
		return;
	}
	if (!done)
		return;
	if (data) {
		switch (op->access) {
		case LS_ACC_READ:   race_read(d, (int)obj, ct, t, e->line, e->op); break;
		case LS_ACC_WRITE:  race_write(d, (int)obj, ct, t, e->line, e->op); break;
		case LS_ACC_UPDATE: race_add(d, (int)obj, ct, t, e->line, e->op); break;
		case LS_ACC_NONE:   break;
		}
	}
	if ((op->flags & LS_OPF_JOINS) && e->u.v.a >= 0 && e->u.v.a < d->nactors &&
	    d->final[e->u.v.a]) {
		/* Everything the joined actor did comes before the join returns. */
		const uint32_t *f = d->final[e->u.v.a];
		for (int u = 0; u < d->nactors; u++)
			if (f[u] > ct[u])
				ct[u] = f[u];
	}
	if ((op->flags & LS_OPF_ENDS) && !d->final[t]) {
		d->final[t] = malloc((size_t)d->nactors * sizeof *d->final[t]);
		if (d->final[t])
			memcpy(d->final[t], ct, (size_t)d->nactors * sizeof *ct);
	}
	if ((op->flags & LS_OPF_STARTS) && e->u.v.a >= 0 && e->u.v.a < d->nactors &&
	    e->u.v.a != t && !d->vc[e->u.v.a]) {
		/* A started thread begins knowing all its starter did. */
		uint32_t *c = calloc((size_t)d->nactors, sizeof *c);
		if (c) {
			memcpy(c, ct, (size_t)d->nactors * sizeof *c);
			c[e->u.v.a]++;
			d->vc[e->u.v.a] = c;
		}
		ct[t]++;
	}
	if ((op->flags & LS_OPF_ACQUIRE) && (!(op->flags & LS_OPF_IF_SEEN) || e->u.v.b)) {
		race_acquire(d, ct, obj);
		if (mutex >= 0)   /* and the mutex back */
			race_acquire(d, ct, (unsigned)mutex);
	}
	if (op->flags & LS_OPF_RELEASE)
		race_release(d, ct, t, obj);
}
