/*
 * words.h - the words every view says the same way: what actors are
 * ("threads", "a process"), what a verdict came to, and what an actor is
 * called.  One place, so the report, the JSON, the command line and the
 * terminal never drift apart.
 */
#ifndef LS_WORDS_H
#define LS_WORDS_H

#include <stddef.h>

#include "lockstep/scenario.h"

/* "threads" / "processes": also the values of --actors= and of the JSON. */
const char *ls_words_kind(enum ls_actor_kind k);
/* "thread" / "process". */
const char *ls_words_kind_one(enum ls_actor_kind k);
/* "threads" or "processes" to a kind; -1 for anything else. */
int ls_words_kind_parse(const char *s, enum ls_actor_kind *k);
/* The accepted words for ls_words_kind_parse(): "threads, processes". */
extern const char ls_words_kinds_accepted[];

/* A verdict's ok (1, 0, -1): "as expected", "NOT as expected", "undecided". */
const char *ls_words_verdict(int ok);

/* "" for one, "s" otherwise: "1 run", "2 runs". */
const char *ls_words_s(long n);

/*
 * The name of actor index (0-based) of a role that has count actors this
 * run: prefix + 1-based index ("T1"), or the bare prefix for a single actor
 * ("light").  Returns what snprintf returns.
 */
int ls_words_actor_name(const struct ls_role_desc *rd, int count, int index,
                        char *buf, size_t len);

#endif
