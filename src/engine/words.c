/*
 * words.c - see words.h.  Only words: no formatting of whole sentences,
 * which belong to the view that says them.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "engine/words.h"

static const struct {
	const char *many;
	const char *one;
} words_kinds[] = {
	[LS_ACTORS_THREADS] = { "threads", "thread" },
	[LS_ACTORS_PROCESSES] = { "processes", "process" },
};

const char ls_words_kinds_accepted[] = "threads, processes";

const char *
ls_words_kind(enum ls_actor_kind k)
{
	return words_kinds[k == LS_ACTORS_PROCESSES ? k : LS_ACTORS_THREADS].many;
}

const char *
ls_words_kind_one(enum ls_actor_kind k)
{
	return words_kinds[k == LS_ACTORS_PROCESSES ? k : LS_ACTORS_THREADS].one;
}

int
ls_words_kind_parse(const char *s, enum ls_actor_kind *k)
{
	for (size_t i = 0; i < sizeof words_kinds / sizeof words_kinds[0]; i++)
		if (strcmp(s, words_kinds[i].many) == 0) {
			*k = (enum ls_actor_kind)i;
			return 0;
		}
	return -1;
}

const char *
ls_words_verdict(int ok)
{
	return ok > 0 ? "as expected" : ok == 0 ? "NOT as expected" : "undecided";
}

const char *
ls_words_s(long n)
{
	return n == 1 ? "" : "s";
}

int
ls_words_actor_name(const struct ls_role_desc *rd, int count, int index, char *buf, size_t len)
{
	if (rd->single && count == 1)
		return snprintf(buf, len, "%s", rd->prefix);
	return snprintf(buf, len, "%s%d", rd->prefix, index + 1);
}
