/*
 * kind.h - the object-kind table: what each kind of shared object is, how
 * it shows, written once.
 *
 * One const entry per enum ls_obj_kind (the list is LS_OBJ_LIST in
 * lockstep/objects.h): its name (English: --json, reports read by
 * programs), its word (the reader's language, for the screen), what it is
 * to the views (a variable the lesson's outcome is read from, data that can
 * race), its line and its one-row strip in the Objects pane, its JSON
 * fields, its value on the report's "shared:" line and its part of the
 * explorer's state key.  The pane, the report, the explorer and the race
 * detector read it; only the model and this table switch over the kinds.
 * Adding a kind is one line in LS_OBJ_LIST, its entry in kind.c, its
 * effects in model.c and its real object in the world; tests/check_kind.c
 * walks every kind through the table and will not compile until the new
 * one is walked.
 *
 * The table draws, writes JSON and feeds keys through the small interfaces
 * below, so it needs no ncurses (the pane holds the pen), no JSON writer of
 * its own (the report lends it src/report/json.c's) and no hash (the
 * explorer mixes what it feeds).  Pure: reads the model, nothing else.
 */
#ifndef LS_KIND_H
#define LS_KIND_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lockstep/model.h"
#include "lockstep/objects.h"

/* What a span of text is, for the pane's colours. */
enum ls_ink {
	LS_INK_VALUE,     /* a value, a count, a state */
	LS_INK_DIM,       /* words around the values */
	LS_INK_ERROR,     /* something refused, lost or full */
	LS_INK_OWNER,     /* an actor that holds or runs something */
	LS_INK_WAITER,    /* an actor that waits */
};

/*
 * Where a kind draws: a line of rows, the first already started.  The
 * pane fills in the functions (they call ncurses) and the fields; put and
 * actors write at x, clip at end and move x on.  A pen whose put writes
 * nothing and returns 0 counts the rows a line takes.
 */
struct ls_kind_pen {
	/* Writes text in ink; returns the cells it took. */
	int (*put)(struct ls_kind_pen *p, enum ls_ink ink, const char *text);
	/* Writes actors' names, space-separated, "+N" for those that do not fit. */
	int (*actors)(struct ls_kind_pen *p, enum ls_ink ink, const int *ids, int n);
	/* The cells text takes on the screen. */
	int (*cells)(const char *text);
	/* An event's flag in the lesson's words ("GREEN"), translated. */
	const char *(*flag)(const struct ls_kind_pen *p, int obj, long value);
	void *ctx;        /* the pane's */
	int x, end;       /* the cursor and the rows' end, in cells */
	int left;         /* the line's left: a row under it starts here plus its indent */
	int rows, room;   /* rows used (the first included) and rows allowed */
	const char *sep;  /* the theme's separator, " · " */
	int *scratch;     /* room for one int per actor */
};

/*
 * The JSON writer lent by the report: src/report/json.c's functions and
 * its writer.  The table never includes the report; it writes through this.
 */
struct ls_json;
struct ls_kind_json {
	struct ls_json *j;
	void (*object)(struct ls_json *j, const char *key);
	void (*array)(struct ls_json *j, const char *key);
	void (*end)(struct ls_json *j, char close);
	void (*str)(struct ls_json *j, const char *key, const char *v);
	void (*integer)(struct ls_json *j, const char *key, long long v);
	void (*boolean)(struct ls_json *j, const char *key, int v);
	void (*null)(struct ls_json *j, const char *key);
	void (*escape)(FILE *f, const char *s);   /* a quoted string, for the text report */
};

/* What the explorer's state key takes in; it mixes, in the order fed. */
struct ls_kind_key {
	void (*word)(struct ls_kind_key *k, uint64_t w);
	void (*bytes)(struct ls_kind_key *k, const void *p, size_t n);
	void *ctx;        /* the explorer's */
};

/* Flags. */
enum {
	LS_KINDF_VAR        = 1u << 0,  /* a plain variable: its value is what a verdict, --expect,
	                                   the explorer's outcomes and the trace's columns read */
	LS_KINDF_DATA       = 1u << 1,  /* its reads and writes can race (race.c) */
	LS_KINDF_OWN_WAITERS = 1u << 2, /* its line lists its waiters itself (by what they wait for) */
};

struct ls_kind_info {
	const char *name;   /* "lock": JSON and reports, never translated */
	const char *word;   /* N_("lock"): the screen's, translated by ls_kind_word */
	unsigned flags;
	/* The Objects pane: the rest of its first row (after name and word) and
	 * any rows of its own under it; then its one-row form, after its name. */
	void (*line)(struct ls_kind_pen *p, const struct ls_model *m, int o);
	void (*strip)(struct ls_kind_pen *p, const struct ls_model *m, int o);
	/* Who the views list as holding it, and as waiting for it, into out
	 * (one int per actor); the count.  NULL: nobody is listed. */
	int (*holders)(const struct ls_model *m, int o, int *out);
	int (*waiting)(const struct ls_model *m, int o, int *out);
	/* Its JSON members after "name" and "kind". */
	void (*json)(const struct ls_kind_json *w, const struct ls_model *m, int o);
	/* Its value on the report's "shared:" line, after "name="; NULL: not there. */
	void (*text)(FILE *f, const struct ls_model *m, int o, const struct ls_kind_json *w);
	/* Its part of the state key (shared state), fed after its kind. */
	void (*key)(struct ls_kind_key *k, const struct ls_model *m, int o);
	/* State of its own per actor (a threading.local's value): 1 and *v when
	 * actor a has some.  NULL: none. */
	int (*actor_key)(const struct ls_model *m, int o, int a, uint64_t *v);
};

/* The entry for a kind; an unknown kind gets an entry that shows nothing. */
const struct ls_kind_info *ls_kind_info(int kind);
/* The flags of a kind (a shorthand for the views' tests). */
unsigned ls_kind_flags(int kind);

/* The Objects pane's line for object o (its kind's rows, then a row of
 * holders and one of waiters where it has them) and its strip. */
void ls_kind_line(struct ls_kind_pen *p, const struct ls_model *m, int o);
void ls_kind_strip(struct ls_kind_pen *p, const struct ls_model *m, int o);
/* Who waits for object o as the views count them (scratch: one int per actor). */
int ls_kind_waiting(const struct ls_model *m, int o, int *scratch);

#endif
