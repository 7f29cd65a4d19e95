/*
 * check_trace.c - the per-actor event ring: order, sequence numbers,
 * wrap-around, overflow accounting, and one producer racing one consumer.
 */
#include "config.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "suites.h"
#include "engine/trace.h"

static struct ls_ring *
trace_ring_new(uint32_t cap)
{
	size_t bytes = (ls_ring_bytes(cap) + 63) & ~(size_t)63;
	struct ls_ring *r = aligned_alloc(64, bytes);

	ck_assert_ptr_nonnull(r);
	memset(r, 0, bytes);
	ls_ring_init(r, cap);
	return r;
}

static int
trace_push_value(struct ls_ring *r, int64_t value)
{
	struct ls_event e;

	memset(&e, 0, sizeof e);
	e.op = LS_OP_STORE;
	e.phase = LS_PH_DONE;
	e.obj = 3;
	e.u.v.a = value;
	e.u.v.b = -value;
	return ls_ring_push(r, &e);
}

/*
 * The probes' in-place path (reserve, fill, commit) numbers and drops
 * exactly as ls_ring_push() does: mixed with pushes, over a full ring,
 * into a ring whose slots hold an earlier run's bytes.
 */
START_TEST(trace_reserve_commit_as_push)
{
	struct ls_ring *r = trace_ring_new(8);
	struct ls_event out[8];

	memset(r->ev, 0xa5, 8 * sizeof r->ev[0]);   /* a reused world's leftovers */
	for (int i = 0; i < 10; i++) {
		if (i % 2 == 0) {
			struct ls_event *e = ls_ring_reserve(r);
			if (i < 8) {
				ck_assert_ptr_nonnull(e);
				e->t_ns = (uint64_t)i;
				e->op = LS_OP_LOAD;
				e->u.v.a = i;
				ls_ring_commit(r, e);
			} else {
				ck_assert_ptr_null(e);
			}
		} else {
			ck_assert_int_eq(trace_push_value(r, i), i < 8 ? 0 : -1);
		}
	}
	ck_assert_uint_eq(ls_ring_dropped(r), 2);
	ck_assert_uint_eq(ls_ring_drain(r, out, 8), 8);
	for (int i = 0; i < 8; i++) {
		ck_assert_uint_eq(out[i].seq, (unsigned)i);
		ck_assert_int_eq(out[i].u.v.a, i);
		ck_assert_uint_eq(out[i].op, i % 2 ? LS_OP_STORE : LS_OP_LOAD);
	}
	/* The two dropped took their numbers: the next event says so. */
	struct ls_event *e = ls_ring_reserve(r);
	ck_assert_ptr_nonnull(e);
	ls_ring_commit(r, e);
	ck_assert_uint_eq(ls_ring_drain(r, out, 8), 1);
	ck_assert_uint_eq(out[0].seq, 10);
	free(r);
}
END_TEST

START_TEST(trace_push_drain_order)
{
	struct ls_ring *r = trace_ring_new(16);
	struct ls_event out[16];

	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(trace_push_value(r, 100 + i), 0);
	ck_assert_uint_eq(ls_ring_pending(r), 5);
	ck_assert_uint_eq(ls_ring_drain(r, out, 16), 5);
	for (int i = 0; i < 5; i++) {
		ck_assert_uint_eq(out[i].seq, (unsigned)i);
		ck_assert_int_eq(out[i].u.v.a, 100 + i);
		ck_assert_int_eq(out[i].u.v.b, -(100 + i));
		ck_assert_uint_eq(out[i].op, LS_OP_STORE);
		ck_assert_uint_eq(out[i].obj, 3);
	}
	ck_assert_uint_eq(ls_ring_pending(r), 0);
	ck_assert_uint_eq(ls_ring_drain(r, out, 16), 0);
	ck_assert_uint_eq(ls_ring_dropped(r), 0);
	free(r);
}
END_TEST

/* A drain smaller than what is pending leaves the rest, in order. */
START_TEST(trace_partial_drain)
{
	struct ls_ring *r = trace_ring_new(8);
	struct ls_event out[8];

	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(trace_push_value(r, i), 0);
	ck_assert_uint_eq(ls_ring_drain(r, out, 4), 4);
	ck_assert_uint_eq(out[3].seq, 3);
	ck_assert_uint_eq(ls_ring_pending(r), 2);
	ck_assert_uint_eq(ls_ring_drain(r, out, 8), 2);
	ck_assert_uint_eq(out[0].seq, 4);
	ck_assert_int_eq(out[1].u.v.a, 5);
	free(r);
}
END_TEST

/* Indices run past the capacity many times; slots are reused in order. */
START_TEST(trace_wrap_around)
{
	struct ls_ring *r = trace_ring_new(8);
	struct ls_event out[8];
	uint32_t seq = 0;

	for (int round = 0; round < 25; round++) {
		for (int i = 0; i < 5; i++)
			ck_assert_int_eq(trace_push_value(r, round * 5 + i), 0);
		ck_assert_uint_eq(ls_ring_drain(r, out, 8), 5);
		for (int i = 0; i < 5; i++, seq++) {
			ck_assert_uint_eq(out[i].seq, seq);
			ck_assert_int_eq(out[i].u.v.a, (int64_t)seq);
		}
	}
	ck_assert_uint_eq(seq, 125);
	ck_assert_uint_eq(ls_ring_dropped(r), 0);
	free(r);
}
END_TEST

/* A full ring refuses the new event and counts it; the oldest are kept. */
START_TEST(trace_overflow_counted)
{
	struct ls_ring *r = trace_ring_new(8);
	struct ls_event out[16];
	int refused = 0;

	for (int i = 0; i < 10; i++)
		refused += trace_push_value(r, i) != 0;
	ck_assert_int_eq(refused, 2);
	ck_assert_uint_eq(ls_ring_dropped(r), 2);
	ck_assert_uint_eq(ls_ring_pending(r), 8);
	ck_assert_uint_eq(ls_ring_drain(r, out, 16), 8);
	for (int i = 0; i < 8; i++) {
		ck_assert_uint_eq(out[i].seq, (unsigned)i);
		ck_assert_int_eq(out[i].u.v.a, i);
	}
	/* After the drain there is room again; the gap in seq shows the loss. */
	ck_assert_int_eq(trace_push_value(r, 10), 0);
	ck_assert_uint_eq(ls_ring_drain(r, out, 16), 1);
	ck_assert_uint_eq(out[0].seq, 10);
	ck_assert_int_eq(out[0].u.v.a, 10);
	ck_assert_uint_eq(ls_ring_dropped(r), 2);
	free(r);
}
END_TEST

/* ---- one producer, one consumer, at the same time ------------------------ */

#define TRACE_STRESS_EVENTS 1000000u

struct trace_stress {
	struct ls_ring *ring;
	_Atomic int producer_done;
	uint64_t refused;
};

static void *
trace_producer(void *arg)
{
	struct trace_stress *st = arg;

	for (uint32_t i = 0; i < TRACE_STRESS_EVENTS; i++)
		if (trace_push_value(st->ring, (int64_t)i) != 0) {
			st->refused++;
			/* Without a pause a full ring refuses nearly everything and
			 * few events would really cross between the threads. */
			sched_yield();
		}
	atomic_store(&st->producer_done, 1);
	return NULL;
}

START_TEST(trace_spsc_stress)
{
	struct trace_stress st = { .ring = trace_ring_new(64) };
	struct ls_event out[64];
	uint64_t got = 0;
	int64_t last = -1;
	pthread_t t;

	ck_assert_int_eq(pthread_create(&t, NULL, trace_producer, &st), 0);
	for (;;) {
		/* Read done before draining, so a final drain sees every push. */
		int done = atomic_load(&st.producer_done);
		size_t n = ls_ring_drain(st.ring, out, 64);
		for (size_t i = 0; i < n; i++) {
			/* seq strictly increases, and the payload is the one pushed
			 * with it: a torn or reordered slot would show here. */
			ck_assert_int_gt((int64_t)out[i].seq, last);
			ck_assert_int_eq(out[i].u.v.a, (int64_t)out[i].seq);
			ck_assert_int_eq(out[i].u.v.b, -(int64_t)out[i].seq);
			last = out[i].seq;
		}
		got += n;
		if (done && n == 0)
			break;
	}
	pthread_join(t, NULL);
	ck_assert_uint_eq(ls_ring_pending(st.ring), 0);
	ck_assert_uint_eq(ls_ring_dropped(st.ring), st.refused);
	ck_assert_uint_eq(got + ls_ring_dropped(st.ring), TRACE_STRESS_EVENTS);
	ck_assert_int_le(last, (int64_t)TRACE_STRESS_EVENTS - 1);
	free(st.ring);
}
END_TEST

START_TEST(trace_names)
{
	ck_assert_str_eq(ls_op_name(LS_OP_LOAD), "load");
	ck_assert_str_eq(ls_op_name(LS_OP_FINAL), "final");
	ck_assert_str_eq(ls_op_name(LS_OP__COUNT), "?");
	ck_assert_str_eq(ls_phase_name(LS_PH_PART), "part");
	ck_assert_str_eq(ls_phase_name((enum ls_phase)99), "?");
	ck_assert_uint_eq(sizeof(struct ls_event), 64);
}
END_TEST

Suite *
trace_suite(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = th_tcase(s, "ring", 10);

	tcase_add_test(tc, trace_push_drain_order);
	tcase_add_test(tc, trace_reserve_commit_as_push);
	tcase_add_test(tc, trace_partial_drain);
	tcase_add_test(tc, trace_wrap_around);
	tcase_add_test(tc, trace_overflow_counted);
	tcase_add_test(tc, trace_names);

	tc = th_tcase(s, "spsc", 60);
	tcase_add_test(tc, trace_spsc_stress);
	return s;
}
