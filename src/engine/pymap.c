/*
 * pymap.c - C probe lines to Python lines (see pymap.h).  Pure text work on
 * the embedded sources: no world, no model, no I/O.
 */
#include "config.h"

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/pymap.h"
#include "lockstep/scenario.h"

#define PYMAP_TAG_MAX 48

struct ls_pymap {
	int nc;                      /* C lines */
	int *py;                     /* [1..nc]: the Python line, or 0 */
	char (*tag)[PYMAP_TAG_MAX];  /* [1..nc]: the C line's tag, or "" */
};

/*
 * The probes a body calls (lockstep/probe.h) and the Python operations each
 * may stand for.  Mostly the same name; the GIL lesson's own probes model
 * what the interpreter does around plain Python code ("gil"), a manager's
 * proxy does a send and a receive for one subscript, a store may be the
 * second half of an augmented assignment.
 */
static const struct {
	const char *macro;
	const char *ops;             /* space-separated Python tags it may carry */
} pymap_probes[] = {
	{ "ls_load",            "load gil local" },
	{ "ls_store",           "store add" },
	{ "ls_add",             "add gil store" },
	{ "ls_lock",            "lock gil" },
	{ "ls_unlock",          "unlock gil" },
	{ "ls_rlock_acquire",   "lock" },
	{ "ls_rlock_release",   "unlock" },
	{ "ls_sem_acquire",     "sem_acquire" },
	{ "ls_sem_release",     "sem_release" },
	{ "ls_event_set",       "event_set store" },
	{ "ls_event_clear",     "event_clear" },
	{ "ls_event_wait",      "event_wait" },
	{ "ls_event_wait_for",  "event_wait" },
	{ "ls_event_is_set",    "event_test load" },
	{ "ls_cond_wait",       "cond_wait gil" },
	{ "ls_cond_notify",     "cond_notify gil" },
	{ "ls_cond_notify_all", "cond_notify gil" },
	{ "ls_sleep",           "sleep" },
	{ "ls_file_read",       "file_read" },
	{ "ls_file_write",      "file_write" },
	{ "ls_file_lock",       "file_lock" },
	{ "ls_file_unlock",     "file_unlock" },
	{ "ls_queue_put",       "queue_put" },
	{ "ls_queue_put_for",   "queue_put" },
	{ "ls_queue_get",       "queue_get" },
	{ "ls_queue_get_for",   "queue_get" },
	{ "ls_queue_task_done", "task_done" },
	{ "ls_queue_join",      "queue_join" },
	{ "ls_join",            "join pool_close" },
	{ "ls_local_get",       "local_load" },
	{ "ls_local_set",       "local_store" },
	{ "ls_pipe_send",       "pipe_send pipe_recv" },
	{ "ls_pipe_send_big",   "pipe_send pipe_recv" },
	{ "ls_pipe_send_tag",   "pipe_send pipe_recv" },
	{ "ls_pipe_recv",       "pipe_recv pipe_send" },
	{ "ls_pipe_recv_any",   "pipe_recv pipe_send" },
	{ "ls_net_listen",      "net_listen net_serve" },
	{ "ls_net_connect",     "net_connect" },
	{ "ls_net_poll",        "net_serve" },
	{ "ls_net_accept",      "net_serve" },
	{ "ls_net_send",        "net_send net_serve net_connect" },
	{ "ls_net_recv",        "net_recv net_serve net_connect" },
	{ "ls_net_auth",        "net_connect" },
	{ "ls_net_close",       "net_close net_serve net_connect" },
	{ "ls_say",             "say" },
	{ "ls_private_load",    "private_load private_store load say" },
	{ "ls_private_store",   "private_store store" },
	{ "ls_fork",            "fork" },
	{ "ls_child_exit",      "exit" },
	{ "ls_wait_child",      "waitpid join" },
	{ "ls_spawn",           "spawn" },
	{ "ls_proc_read_line",  "proc_read" },
	{ "ls_proc_communicate", "proc_read proc_wait" },
	{ "ls_proc_wait",       "proc_wait" },
	{ "ls_pool_submit",     "pool_submit" },
	{ "ls_pool_take",       "pool_take" },
	{ "ls_pool_finish",     "pool_finish" },
	{ "ls_pool_collect",    "pool_result" },
	{ "ls_pool_close",      "pool_close" },
	{ "ls_note",            "local load add store file_read pipe_send pipe_recv queue_get say "
	                        "sleep gil event_set sem_acquire" },
};

/*
 * What a Python line must say to do an operation (POSIX extended regular
 * expressions over the code, its comment cut off): the library's own
 * spellings.  A lesson whose program does an operation some other way (a
 * manager proxy's subscript is a request, joblib's Parallel submits) says so
 * beside its Python, on a line "# @says OP: REGEX" (pymap.h), not here.
 */
static const struct {
	const char *op;
	const char *re;
} pymap_says[] = {
	{ "load",        "=|(^|[^a-z_])(if|while|return|print)[ (]" },
	{ "store",       "^[ ]*[A-Za-z_][A-Za-z0-9_.]*(\\[[^]]+\\])?[ ]*[-+*/]?=[^=]" },
	{ "add",         "[-+]=|=.*[-+]|\\.add\\(" },
	{ "local",       "^[ ]*[A-Za-z_][A-Za-z0-9_]*[ ]*[-+]?=[^=]" },
	{ "lock",        "\\.acquire\\(|^[ ]*with " },
	{ "unlock",      "\\.release\\(|^[ ]*with " },
	{ "sem_acquire", "\\.acquire\\(|^[ ]*with " },
	{ "sem_release", "\\.release\\(" },
	{ "event_set",   "\\.set\\(" },
	{ "event_clear", "\\.clear\\(" },
	{ "event_wait",  "\\.wait\\(" },
	{ "event_test",  "\\.is_set\\(" },
	{ "cond_wait",   "\\.wait(_for)?\\(" },
	{ "cond_notify", "\\.notify(_all)?\\(" },
	{ "sleep",       "sleep\\(" },
	{ "say",         "print\\(|(^|[^a-z_])say\\(" },
	{ "file_read",   "\\.read\\(" },
	{ "file_write",  "\\.write\\(" },
	{ "file_lock",   "flock\\(|lockf\\(" },
	{ "file_unlock", "flock\\(|lockf\\(" },
	{ "queue_put",   "\\.put\\(" },
	{ "queue_get",   "\\.get\\(" },
	{ "task_done",   "\\.task_done\\(" },
	{ "queue_join",  "\\.join\\(" },
	{ "join",        "\\.join\\(" },
	{ "local_load",  "=|(^|[^a-z_])(if|while|return|print)[ (]" },
	{ "local_store", "^[ ]*[A-Za-z_][A-Za-z0-9_.]*[ ]*=[^=]" },
	{ "pipe_send",   "\\.send\\(" },
	{ "pipe_recv",   "\\.recv\\(" },
	{ "private_load",  "=|(^|[^a-z_])(if|while|return|print)[ (]" },
	{ "private_store", "^[ ]*[A-Za-z_][A-Za-z0-9_.]*[ ]*[-+*/]?=[^=]" },
	{ "fork",        "os\\.fork\\(" },
	{ "exit",        "_exit\\(|sys\\.exit\\(" },
	{ "waitpid",     "waitpid\\(|\\.join\\(" },
	{ "spawn",       "Popen\\(|\\.start\\(" },
	{ "proc_read",   "readline\\(|\\.read\\(|communicate\\(|\\.get\\(" },
	{ "proc_wait",   "\\.wait\\(|communicate\\(|\\.join\\(" },
	/* A pool: submitting (apply_async, submit, map), a worker starting the
	 * task's function, its return handing the result back, the parent's
	 * result handler (a callback, as_completed, a map, result() or get(),
	 * join) and close (or shutdown, a with block). */
	{ "pool_submit", "apply_async\\(|\\.submit\\(|\\.map\\(" },
	{ "pool_take",   "^[ ]*def [A-Za-z_]+\\(" },
	{ "pool_finish", "return " },
	{ "pool_result", "^[ ]*def [A-Za-z_]+\\(|as_completed\\(|\\.map\\(|\\.result\\(|\\.get\\(|\\.join\\(" },
	{ "pool_close",  "\\.close\\(|\\.shutdown\\(|^[ ]*with " },
	/* A manager over a network: its server process serves every request
	 * (started by start()), a proxy's put() and get() are a request and
	 * its reply, connect() answers the server's challenge with the key. */
	{ "net_listen",  "\\.start\\(" },
	{ "net_serve",   "\\.start\\(" },
	{ "net_connect", "\\.connect\\(" },
	{ "net_send",    "\\.put\\(|\\.get\\(|\\.shutdown\\(" },
	{ "net_recv",    "\\.put\\(|\\.get\\(|\\.shutdown\\(" },
	{ "net_close",   "\\.shutdown\\(|close\\(|os\\._exit\\(|os\\.kill\\(" },
	/* Plain Python the interpreter runs under its GIL: a loop, arithmetic. */
	{ "gil",         "[-+*&]=|^[ ]*(while|for) |= *[a-z_]+\\(" },
};

/* Split a copy of text into lines [1..n]; NULL on no memory. */
static char **
pymap_lines(const char *text, int *n, char **buf)
{
	int cap = 1;
	char **line;

	*n = 0;
	*buf = strdup(text);
	if (!*buf)
		return NULL;
	for (const char *p = text; *p; p++)
		cap += *p == '\n';
	line = calloc((size_t)cap + 2, sizeof *line);
	if (!line) {
		free(*buf);
		*buf = NULL;
		return NULL;
	}
	for (char *p = *buf, *nl; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		line[++*n] = p;
	}
	return line;
}

/* The tag a C line declares ("py:TAG" in a comment), copied into tag. */
static int
pymap_c_tag(const char *l, char *tag, size_t len)
{
	const char *p = strstr(l, "/* py:");
	size_t n = 0;

	tag[0] = '\0';
	if (!p)
		return 0;
	for (p += 6; *p == ' '; p++)
		;
	while (*p && (isalnum((unsigned char)*p) || *p == '_' || *p == ':' || *p == '#') &&
	       n + 1 < len)
		tag[n++] = *p++;
	tag[n] = '\0';
	return n > 0;
}

/* The tag a Python line ends with ("# @op:TAG"), or NULL. */
static const char *
pymap_py_tag(const char *l)
{
	const char *p = strstr(l, "# @op:");

	return p ? p + 6 : NULL;
}

/*
 * The Python line a tag names, or 0: "OP" the first line tagged OP, "OP#N"
 * the Nth (a program that does OP on several lines, in the order the C
 * body does them).
 */
static int
pymap_find(char **py, int npy, const char *tag)
{
	size_t n = strcspn(tag, "#");
	int want = tag[n] == '#' ? atoi(tag + n + 1) : 1, seen = 0;

	for (int i = 1; i <= npy; i++) {
		const char *t = pymap_py_tag(py[i]);

		if (t && strncmp(t, tag, n) == 0 && (t[n] == '\0' || isspace((unsigned char)t[n])) &&
		    ++seen == want)
			return i;
	}
	return 0;
}

struct ls_pymap *
ls_pymap_new(const char *scenario)
{
	const char *c = ls_scenario_source(scenario), *p = ls_scenario_python(scenario);
	struct ls_pymap *map;
	char **cl = NULL, **pl = NULL, *cbuf = NULL, *pbuf = NULL;
	int nc, np;

	if (!c || !p)
		return NULL;
	map = calloc(1, sizeof *map);
	cl = pymap_lines(c, &nc, &cbuf);
	pl = pymap_lines(p, &np, &pbuf);
	if (map && cl && pl) {
		map->nc = nc;
		map->py = calloc((size_t)nc + 1, sizeof *map->py);
		map->tag = calloc((size_t)nc + 1, sizeof *map->tag);
	}
	if (!map || !map->py || !map->tag) {
		ls_pymap_free(map);
		map = NULL;
		goto out;
	}
	for (int i = 1; i <= nc; i++)
		if (pymap_c_tag(cl[i], map->tag[i], sizeof map->tag[i]))
			map->py[i] = pymap_find(pl, np, map->tag[i]);
out:
	free(cl);
	free(pl);
	free(cbuf);
	free(pbuf);
	return map;
}

void
ls_pymap_free(struct ls_pymap *map)
{
	if (!map)
		return;
	free(map->py);
	free(map->tag);
	free(map);
}

int
ls_pymap_line(const struct ls_pymap *map, int c_line)
{
	return map && c_line > 0 && c_line <= map->nc ? map->py[c_line] : 0;
}

const char *
ls_pymap_tag(const struct ls_pymap *map, int c_line)
{
	return map && c_line > 0 && c_line <= map->nc && map->tag[c_line][0]
	       ? map->tag[c_line] : NULL;
}

/* The C line with comments and string literals blanked, so a probe's name
 * in a walkthrough's text or a comment is not taken for a call.  *in_comment
 * carries a block comment across lines. */
static void
pymap_code(const char *l, char *out, size_t len, int *in_comment)
{
	size_t o = 0;

	for (const char *p = l; *p && o + 1 < len; p++) {
		if (*in_comment) {
			if (p[0] == '*' && p[1] == '/') {
				*in_comment = 0;
				p++;
			}
			out[o++] = ' ';
		} else if (p[0] == '/' && p[1] == '*') {
			*in_comment = 1;
			out[o++] = ' ';
			p++;
		} else if (p[0] == '/' && p[1] == '/') {
			break;
		} else if (*p == '"' || *p == '\'') {
			char q = *p;

			out[o++] = ' ';
			for (p++; *p && *p != q; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				break;
		} else {
			out[o++] = *p;
		}
	}
	out[o] = '\0';
}

/* The probe macro a line of code calls, or -1. */
static int
pymap_probe_on(const char *code)
{
	int best = -1;
	size_t bestlen = 0;

	for (size_t k = 0; k < sizeof pymap_probes / sizeof pymap_probes[0]; k++) {
		const char *m = pymap_probes[k].macro;
		size_t n = strlen(m);

		for (const char *p = strstr(code, m); p; p = strstr(p + 1, m)) {
			const char *q = p + n;

			if (p > code && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
				continue;
			while (*q == ' ')
				q++;
			if (*q == '(' && n > bestlen) {
				best = (int)k;
				bestlen = n;
			}
		}
	}
	return best;
}

/* Does a space-separated list hold word (up to its ':' label)? */
static int
pymap_allows(const char *list, const char *tag)
{
	size_t n = strcspn(tag, ":#");

	for (const char *p = list; *p; ) {
		size_t w = strcspn(p, " ");

		if (w == n && strncmp(p, tag, n) == 0)
			return 1;
		p += w;
		while (*p == ' ')
			p++;
	}
	return 0;
}

/* Does code match the extended regular expression re?  -1: it does not compile. */
static int
pymap_match(const char *re, const char *code)
{
	regex_t rx;
	int ok;

	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0)
		return -1;
	ok = regexec(&rx, code, 0, NULL, 0) == 0;
	regfree(&rx);
	return ok;
}

/*
 * The program's own spellings of an operation: does a "# @says OP: REGEX"
 * line of it (the first n characters of tag are OP) match code?  1 yes,
 * 0 no (*had counts its patterns for OP), -1 a pattern that does not compile.
 */
static int
pymap_says_own(char **pl, int np, const char *tag, size_t n, const char *code, int *had)
{
	for (int i = 1; i <= np; i++) {
		const char *l = pl[i] + strspn(pl[i], " \t");
		int ok;

		if (strncmp(l, "# @says ", 8) != 0 || strncmp(l + 8, tag, n) != 0 || l[8 + n] != ':')
			continue;
		(*had)++;
		ok = pymap_match(l + 9 + n + strspn(l + 9 + n, " "), code);
		if (ok != 0)
			return ok;
	}
	return 0;
}

/* Does the Python line's code (before its comment) do the operation, as the
 * table or the program's own @says lines spell it? */
static int
pymap_says_it(char **pl, int np, const char *line, const char *tag, char *why, size_t len)
{
	size_t n = strcspn(tag, ":#");
	char code[512];
	const char *hash = strstr(line, "# @op:");
	size_t cl = hash ? (size_t)(hash - line) : strlen(line);
	int had = 0, own;

	if (cl >= sizeof code)
		cl = sizeof code - 1;
	memcpy(code, line, cl);
	code[cl] = '\0';
	own = pymap_says_own(pl, np, tag, n, code, &had);
	if (own != 0) {
		if (own < 0)
			snprintf(why, len, "its # @says %.*s: pattern does not compile", (int)n, tag);
		return own > 0;
	}
	for (size_t k = 0; k < sizeof pymap_says / sizeof pymap_says[0]; k++) {
		int ok;

		if (strlen(pymap_says[k].op) != n || strncmp(pymap_says[k].op, tag, n) != 0)
			continue;
		ok = pymap_match(pymap_says[k].re, code);
		if (ok < 0)
			snprintf(why, len, "the pattern for %s does not compile", pymap_says[k].op);
		else if (!ok)
			snprintf(why, len, "does not do %.*s (/%s/%s)", (int)n, tag, pymap_says[k].re,
			         had ? " nor its # @says" : "");
		return ok > 0;
	}
	if (had)
		snprintf(why, len, "does not do %.*s (its # @says)", (int)n, tag);
	else
		snprintf(why, len, "no operation is called %.*s", (int)n, tag);
	return 0;
}

/* The tagged line, or the statement it ends: a call continued from the
 * lines above (each ending in ',' or '(') is one statement. */
static int
pymap_says_it_at(char **pl, int npy, int py, const char *tag, char *why, size_t len)
{
	for (int i = py; i >= 1 && i > py - 4; i--) {
		size_t n = strlen(pl[i]);

		if (i < py && !(n && (pl[i][n - 1] == ',' || pl[i][n - 1] == '(')))
			break;
		if (pymap_says_it(pl, npy, pl[i], tag, why, len))
			return 1;
	}
	return 0;
}

int
ls_pymap_check(const char *scenario, int *probes, char *err, size_t len)
{
	return ls_pymap_check_text(scenario, ls_scenario_source(scenario),
	                           ls_scenario_python(scenario), probes, err, len);
}

int
ls_pymap_check_text(const char *scenario, const char *c, const char *p, int *probes,
                    char *err, size_t len)
{
	char **cl = NULL, **pl = NULL, *cbuf = NULL, *pbuf = NULL;
	int nc = 0, np = 0, bad = 0, comment = 0, count = 0;

	err[0] = '\0';
	if (probes)
		*probes = 0;
	if (!c || !p) {
		snprintf(err, len, "%s: %s is not built in", scenario, c ? "its Python" : "its source");
		return 1;
	}
	cl = pymap_lines(c, &nc, &cbuf);
	pl = pymap_lines(p, &np, &pbuf);
	if (!cl || !pl) {
		snprintf(err, len, "%s: out of memory", scenario);
		bad = 1;
		goto out;
	}
	for (int i = 1; i <= nc; i++) {
		char code[1024], tag[PYMAP_TAG_MAX], why[160];
		int k, py;

		pymap_code(cl[i], code, sizeof code, &comment);
		k = pymap_probe_on(code);
		if (k < 0)
			continue;
		count++;
		why[0] = '\0';
		if (!pymap_c_tag(cl[i], tag, sizeof tag))
			snprintf(why, sizeof why, "calls %s with no /* py:TAG */", pymap_probes[k].macro);
		else if (!pymap_allows(pymap_probes[k].ops, tag))
			snprintf(why, sizeof why, "%s cannot stand for Python's %s",
			         pymap_probes[k].macro, tag);
		else if (!(py = pymap_find(pl, np, tag)))
			snprintf(why, sizeof why, "no Python line ends with # @op:%s", tag);
		else if (!pymap_says_it_at(pl, np, py, tag, why, sizeof why))
			;
		else
			continue;
		if (!bad++)
			snprintf(err, len, "%s.c:%d: %s", scenario, i, why);
	}
out:
	if (probes)
		*probes = count;
	free(cl);
	free(pl);
	free(cbuf);
	free(pbuf);
	return bad;
}
