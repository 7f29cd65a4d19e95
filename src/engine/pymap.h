/*
 * pymap.h - each probe line of a scenario's C body and the line of its
 * Python program that does the same thing.
 *
 * Declared once, in the C source: a probe line ends with a comment
 * "py:OP" or "py:OP#N", naming the first (or the Nth) line of the Python
 * program that ends with "# @op:OP" - the Python programs do their shared
 * operations in the order the C bodies do.  ls_pymap_check holds both sides to it:
 * every probe line has a tag, every tag a Python line, and the Python line's
 * text really does that operation (a lock line acquires, a store assigns).
 *
 * What "does" means is pymap.c's table of the library's spellings, plus the
 * program's own: a line "# @says OP: REGEX" anywhere in the Python (the
 * lessons put them at the end, so no line moves) adds a POSIX extended
 * regular expression by which that program does OP (manager.py: a proxy's
 * subscript, append() and copy() are requests, pipe_send).  So a new lesson
 * with a new idiom needs no change here.
 */
#ifndef LS_PYMAP_H
#define LS_PYMAP_H

#include <stddef.h>

struct ls_pymap;

/* The map for a scenario, from its embedded sources; NULL without a Python
 * program (or memory). */
struct ls_pymap *ls_pymap_new(const char *scenario);
void ls_pymap_free(struct ls_pymap *map);
/* The Python line for a C line, or 0 when the C line has no tag. */
int ls_pymap_line(const struct ls_pymap *map, int c_line);
/* The tag of a C line ("store", "lock:outer"), or NULL. */
const char *ls_pymap_tag(const struct ls_pymap *map, int c_line);

/*
 * Holds a scenario's sources to the rules above; returns the problems
 * found (0: none) and writes the first, a line for a person, into err.
 * probes, when not NULL, gets the count of probe lines checked.
 */
int ls_pymap_check(const char *scenario, int *probes, char *err, size_t len);
/* The same over a C source and a Python program given as text (either NULL:
 * not built in); scenario names them in err. */
int ls_pymap_check_text(const char *scenario, const char *c, const char *py, int *probes,
                        char *err, size_t len);

#endif
