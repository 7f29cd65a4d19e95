/*
 * check_kind.c - the object-kind table, and every kind walked through it:
 * a name and a word, its line and strip in the Objects pane (through a pen
 * that records what is drawn), its JSON (through the report's writer), its
 * report text and its part of the explorer's state key.  A new kind that
 * is half handled - listed in LS_OBJ_LIST without its table entry, or
 * without what it should show - fails here, and the switch in kind_make
 * does not compile (-Wswitch) until it is walked.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/world.h"
#include "helpers.h"
#include "lockstep/model.h"
#include "model/kind.h"
#include "report/json.h"
#include "suites.h"

static const char *const kind_actors[] = { "T1", "T2" };

static struct ls_world *kind_world;

/* What the test expects of one kind's object, made as it says. */
struct kind_expect {
	const char *line;    /* in its line as drawn ("" for a kind whose line shows nothing) */
	const char *json;    /* in its JSON members ("" for a kind that has none) */
};

/*
 * Object number kind, of that kind.  A switch with no default: a new kind
 * does not compile until it is made here and given what its line and its
 * JSON must show, and so walked through every test below.
 */
static struct kind_expect
kind_make(struct ls_world *w, enum ls_obj_kind k)
{
	struct kind_expect x = { NULL, NULL };
	void *made = NULL;

	switch (k) {
	case LS_OBJ_VAR:
		made = ls_var_new(w, "x", 7);
		x = (struct kind_expect){ "= 7", "\"value\":7" };
		break;
	case LS_OBJ_MUTEX:
		made = ls_mutex_new(w, "m");
		x = (struct kind_expect){ "free", "\"reentrant\":false,\"owner\":null" };
		break;
	case LS_OBJ_SEM:
		made = ls_sem_new(w, "s", 2, 3);
		x = (struct kind_expect){ "2/3", "\"value\":2,\"bound\":3" };
		break;
	case LS_OBJ_EVENT:
		made = ls_event_new(w, "e");
		x = (struct kind_expect){ "<clear>", "\"set\":false" };
		break;
	case LS_OBJ_COND:
		made = ls_cond_new(w, "c");
		x = (struct kind_expect){ "", "" };   /* its waiters are all it shows */
		break;
	case LS_OBJ_FILE:
		made = ls_file_new(w, "f", "hi\n");
		x = (struct kind_expect){ "\"hi \"", "\"text\":\"hi\\n\"" };
		break;
	case LS_OBJ_QUEUE:
		made = ls_queue_new(w, "q", 2, LS_QUEUE_LIFO);
		x = (struct kind_expect){ "0/2 items, lifo", "\"order\":\"lifo\",\"size\":0,\"maxsize\":2" };
		break;
	case LS_OBJ_PIPE:
		made = ls_pipe_new(w, "p", 1, 8);
		x = (struct kind_expect){ "0->1 empty", "\"connections\":1,\"msg_size\":8" };
		break;
	case LS_OBJ_PRIVATE:
		made = ls_private_new(w, "pv", 3);
		x = (struct kind_expect){ "", "" };   /* a copy per process: nothing shared to show */
		break;
	case LS_OBJ_LOCAL:
		made = ls_local_new(w, "tl");
		x = (struct kind_expect){ "(none set)", "\"values\":{}" };
		break;
	case LS_OBJ_POOL:
		made = ls_pool_new(w, "pl", 2);
		x = (struct kind_expect){ "2 workers, 0 queued, 0 of 0 done", "\"workers\":2" };
		break;
	case LS_OBJ_NET:
		made = ls_net_new(w, "n", 2, "127.0.0.1", 0);
		x = (struct kind_expect){ "not listening yet (127.0.0.1, port 0", "\"listening\":\"not yet\"" };
		break;
	case LS_OBJ__COUNT:
		break;
	}
	ck_assert_msg(made != NULL, "kind %d: its object could not be made", (int)k);
	return x;
}

static struct kind_expect kind_expects[LS_OBJ__COUNT];

static void
kind_setup(void)
{
	kind_world = ls_world_new(2, 64);
	ck_assert_ptr_nonnull(kind_world);
	for (int k = 0; k < LS_OBJ__COUNT; k++)
		kind_expects[k] = kind_make(kind_world, (enum ls_obj_kind)k);
	ck_assert_int_eq((int)kind_world->nobjs, LS_OBJ__COUNT);
}

static void
kind_teardown(void)
{
	ls_world_free(kind_world);
	kind_world = NULL;
}

/* A pen that records what is drawn: each row's text, rows split by '|'. */
struct kind_rec {
	struct ls_kind_pen pen;
	char text[1024];
	int row;            /* the row text[] has reached */
	int inks;           /* how many spans were drawn */
};

static void
kind_rec_add(struct kind_rec *r, const char *s)
{
	size_t n = strlen(r->text);

	snprintf(r->text + n, sizeof r->text - n, "%s", s);
}

static int
kind_rec_put(struct ls_kind_pen *p, enum ls_ink ink, const char *text)
{
	struct kind_rec *r = (struct kind_rec *)p;
	int n = (int)strlen(text);

	ck_assert_int_le((int)ink, LS_INK_WAITER);
	for (; r->row < p->rows; r->row++)
		kind_rec_add(r, "|");
	if (n > p->end - p->x)
		n = p->end - p->x > 0 ? p->end - p->x : 0;
	char buf[512];
	snprintf(buf, sizeof buf, "%.*s", n, text);
	kind_rec_add(r, buf);
	r->inks++;
	p->x += n;
	return n;
}

/* Actors by number: "T1 T2" (actor 0 is T1). */
static int
kind_rec_actors(struct ls_kind_pen *p, enum ls_ink ink, const int *ids, int n)
{
	char names[128] = "";

	for (int i = 0; i < n; i++) {
		size_t at = strlen(names);
		snprintf(names + at, sizeof names - at, "%sT%d", i ? " " : "", ids[i] + 1);
	}
	return kind_rec_put(p, ink, names);
}

static int
kind_rec_cells(const char *text)
{
	return (int)strlen(text);
}

static const char *
kind_rec_flag(const struct ls_kind_pen *p, int obj, long value)
{
	return value ? "<set>" : "<clear>";
}

static void
kind_rec_init(struct kind_rec *r, int width, int room, int *scratch)
{
	memset(r, 0, sizeof *r);
	r->pen.put = kind_rec_put;
	r->pen.actors = kind_rec_actors;
	r->pen.cells = kind_rec_cells;
	r->pen.flag = kind_rec_flag;
	r->pen.end = width;
	r->pen.rows = 1;
	r->pen.room = room;
	r->pen.sep = " . ";
	r->pen.scratch = scratch;
	r->row = 1;
}

/* A key that counts what it is fed and sums it. */
struct kind_sum {
	int words;
	uint64_t sum;
};

static void
kind_sum_word(struct ls_kind_key *k, uint64_t w)
{
	struct kind_sum *s = k->ctx;

	s->words++;
	s->sum = s->sum * 31 + w;
}

static void
kind_sum_bytes(struct ls_kind_key *k, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		kind_sum_word(k, b[i]);
}

static struct kind_sum
kind_key_of(const struct ls_model *m, int o)
{
	struct kind_sum s = { 0, 0 };
	struct ls_kind_key k = { .word = kind_sum_word, .bytes = kind_sum_bytes, .ctx = &s };

	ls_kind_info(m->objs[o].kind)->key(&k, m, o);
	return s;
}

/* The JSON members of object o, written by the report's writer into buf. */
static void
kind_json_of(const struct ls_model *m, int o, char *buf, size_t len)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	struct ls_json j;

	ck_assert_ptr_nonnull(f);
	ls_json_init(&j, f);
	struct ls_kind_json w = {
		.j = &j, .object = ls_json_object, .array = ls_json_array, .end = ls_json_end,
		.str = ls_json_str, .integer = ls_json_int, .boolean = ls_json_bool,
		.null = ls_json_null, .escape = ls_json_escape,
	};
	ls_json_object(&j, NULL);
	ls_kind_info(m->objs[o].kind)->json(&w, m, o);
	ls_json_end(&j, '}');
	fclose(f);
	snprintf(buf, len, "%s", text);
	free(text);
}

START_TEST(kind_every_entry_is_filled)
{
	for (int k = 0; k < LS_OBJ__COUNT; k++) {
		const struct ls_kind_info *info = ls_kind_info(k);
		ck_assert_msg(info->name && strcmp(info->name, "?") != 0, "kind %d has no table entry", k);
		ck_assert_msg(info->word && info->word[0], "%s has no word", info->name);
		ck_assert_msg(info->line && info->strip, "%s has no line or no strip", info->name);
		ck_assert_msg(info->json, "%s has no JSON", info->name);
		ck_assert_msg(info->key, "%s has no state-key part", info->name);
		ck_assert_str_eq(ls_obj_kind_name(k), info->name);
		ck_assert_msg(ls_obj_kind_word(k)[0], "%s: no word on screen", info->name);
		/* The line lists waiters itself only for a kind that has them. */
		ck_assert_msg(!(info->flags & LS_KINDF_OWN_WAITERS) || info->waiting,
		              "%s lists waiters it has not", info->name);
		for (int other = 0; other < k; other++)
			ck_assert_msg(strcmp(ls_kind_info(other)->name, info->name) != 0,
			              "two kinds are called %s", info->name);
	}
	/* Only a variable is what a verdict and --expect read. */
	ck_assert_uint_eq(ls_kind_flags(LS_OBJ_VAR) & LS_KINDF_VAR, LS_KINDF_VAR);
	ck_assert_uint_eq(ls_kind_flags(LS_OBJ_PRIVATE) & LS_KINDF_VAR, 0);
	ck_assert_uint_eq(ls_kind_flags(LS_OBJ_FILE) & LS_KINDF_DATA, LS_KINDF_DATA);
	ck_assert_uint_eq(ls_kind_flags(LS_OBJ_MUTEX) & LS_KINDF_DATA, 0);
	ck_assert_str_eq(ls_obj_kind_name(LS_OBJ__COUNT), "?");
	ck_assert_str_eq(ls_obj_kind_name(-1), "?");
	ck_assert_str_eq(ls_obj_kind_word(LS_OBJ__COUNT), "?");
}
END_TEST

/* Each kind, alone, through the pane's line and strip, the JSON, the
 * report's text and the state key. */
START_TEST(kind_every_kind_through_the_table)
{
	int k = _i, scratch[8];
	const struct ls_kind_info *info = ls_kind_info(k);
	const struct kind_expect *x = &kind_expects[k];
	struct ls_model *m = ls_model_new(kind_world, 2, kind_actors, NULL, NULL);
	struct kind_rec r;
	char json[2048];

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->objs[k].kind, k);
	ck_assert_ptr_nonnull(x->line);

	/* Its line, wide and with room: what the test expects is there. */
	kind_rec_init(&r, 200, 10, scratch);
	ls_kind_line(&r.pen, m, k);
	ck_assert_msg(strstr(r.text, x->line), "%s: line \"%s\" lacks \"%s\"", info->name, r.text,
	              x->line);
	ck_assert_msg(x->line[0] == '\0' || r.inks > 0, "%s: its line drew nothing", info->name);
	ck_assert_int_ge(r.pen.rows, 1);
	ck_assert_int_le(r.pen.rows, r.pen.room);
	/* One row allowed: one row used, never more. */
	kind_rec_init(&r, 200, 1, scratch);
	ls_kind_line(&r.pen, m, k);
	ck_assert_int_eq(r.pen.rows, 1);
	ck_assert_msg(strchr(r.text, '|') == NULL, "%s: a row past the room: %s", info->name, r.text);
	/* Its strip: one row, clipped at its end. */
	kind_rec_init(&r, 12, 1, scratch);
	ls_kind_strip(&r.pen, m, k);
	ck_assert_int_eq(r.pen.rows, 1);
	ck_assert_int_le(r.pen.x, 12);

	/* Its JSON, through the report's writer. */
	kind_json_of(m, k, json, sizeof json);
	ck_assert_msg(strstr(json, x->json), "%s: JSON %s lacks %s", info->name, json, x->json);
	ck_assert_msg(x->json[0] || strcmp(json, "{}") == 0, "%s: JSON %s", info->name, json);

	/* Its text on the report's shared line, when it has one. */
	if (info->text) {
		char *text = NULL;
		size_t n = 0;
		FILE *f = open_memstream(&text, &n);
		struct ls_kind_json w = { .escape = ls_json_escape };
		ck_assert_ptr_nonnull(f);
		info->text(f, m, k, &w);
		fclose(f);
		ck_assert_msg(n > 0, "%s: empty text", info->name);
		free(text);
	}

	/* Its state-key part: fed something, and it sees the object's value. */
	struct kind_sum before = kind_key_of(m, k);
	ck_assert_int_gt(before.words, 0);
	m->objs[k].value++;
	struct kind_sum after = kind_key_of(m, k);
	ck_assert_msg(after.sum != before.sum, "%s: its key does not see its value", info->name);
	m->objs[k].value--;
	ls_model_free(m);
}
END_TEST

static struct ls_event
kind_event(int actor, int op, enum ls_phase ph, int obj, uint64_t t)
{
	struct ls_event e;

	memset(&e, 0, sizeof e);
	e.t_ns = t;
	e.actor = (uint16_t)actor;
	e.op = (uint8_t)op;
	e.phase = (uint8_t)ph;
	e.obj = (uint16_t)obj;
	e.line = 10;
	e.u.v.a = 1;
	return e;
}

/* A held lock with a waiter: its owner on its row, its waiter on a row of
 * its own, and the count on the strip (the pane adds no row of its own). */
START_TEST(kind_line_lists_owner_and_waiters)
{
	struct ls_model *m = ls_model_new(kind_world, 2, kind_actors, NULL, NULL);
	struct kind_rec r;
	int scratch[8];
	uint64_t t = 100;

	ck_assert_ptr_nonnull(m);
	for (int a = 0; a < 2; a++) {
		struct ls_event s = kind_event(a, LS_OP_START, LS_PH_DONE, LS_NO_OBJ, t++);
		ls_model_apply(m, &s);
	}
	struct ls_event e = kind_event(0, LS_OP_LOCK, LS_PH_DONE, LS_OBJ_MUTEX, t++);
	ls_model_apply(m, &e);
	e = kind_event(1, LS_OP_LOCK, LS_PH_BEGIN, LS_OBJ_MUTEX, t++);
	ls_model_apply(m, &e);
	e = kind_event(1, LS_OP_LOCK, LS_PH_BLOCK, LS_OBJ_MUTEX, t++);
	ls_model_apply(m, &e);

	kind_rec_init(&r, 200, 10, scratch);
	ls_kind_line(&r.pen, m, LS_OBJ_MUTEX);
	ck_assert_str_eq(r.text, "held by T1|1 waiting: T2");
	ck_assert_int_eq(r.pen.rows, 2);
	/* No room for the waiters' row: it is left out. */
	kind_rec_init(&r, 200, 1, scratch);
	ls_kind_line(&r.pen, m, LS_OBJ_MUTEX);
	ck_assert_str_eq(r.text, "held by T1");
	ck_assert_int_eq(ls_kind_waiting(m, LS_OBJ_MUTEX, scratch), 1);
	ck_assert_int_eq(scratch[0], 1);
	/* A variable has no waiters to count. */
	ck_assert_int_eq(ls_kind_waiting(m, LS_OBJ_VAR, scratch), 0);
	ls_model_free(m);
}
END_TEST

Suite *
kind_suite(void)
{
	Suite *s = suite_create("kind");
	TCase *tc = th_tcase(s, "table", 30);

	tcase_add_checked_fixture(tc, kind_setup, kind_teardown);
	tcase_add_test(tc, kind_every_entry_is_filled);
	tcase_add_loop_test(tc, kind_every_kind_through_the_table, 0, LS_OBJ__COUNT);
	tcase_add_test(tc, kind_line_lists_owner_and_waiters);
	return s;
}
