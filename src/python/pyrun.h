/*
 * pyrun.h - a Python program as a run: `lockstep run|open|explore|check
 * PROGRAM.py`.  The machine's python3 runs the program unmodified as
 * __main__ (its own file name and lines) under the probe in _lockstep.c;
 * lockstep is the controller, the model and the screen.
 *
 * The program becomes a scenario built at run time: actor 0 is its main
 * thread (a process that execs python3), and actor slots 1.. are taken by
 * the threads it starts, in the order it starts them.  Its parameters are
 * its capital constants (pysrc.h), plus steps=line|bytecode.
 */
#ifndef LS_PYRUN_H
#define LS_PYRUN_H

#include <stddef.h>

#include "lockstep/scenario.h"

/* Threads and processes a program may start, beyond its main thread. */
#define LS_PYRUN_THREADS 128
#define LS_PYRUN_PROCS   128
/* Objects left for the program: variables and locks. */
#define LS_PYRUN_VARS  24
#define LS_PYRUN_LOCKS 36

/* Does name look like a program path rather than a lesson name? */
int ls_pyrun_is_path(const char *name);
/*
 * The scenario for the program at path (read once; kept until the process
 * ends).  NULL with err filled: no such file, a directory, not Python (a
 * syntax error: "file:line:col: message"), no python3, no probe built.
 */
const struct ls_scenario *ls_pyrun_open(const char *path, char *err, size_t len);
/* The program's text, for a scenario ls_pyrun_open made; NULL otherwise. */
const char *ls_pyrun_text(const struct ls_scenario *s);
/* The same by the scenario's name (the path): what the source pane and
 * `show` print, in place of a lesson's Python and C. */
const char *ls_pyrun_text_named(const char *name);
/* The running program's steps, flipped between lines and bytecode
 * instructions (the run view's b key): 1 bytecode now, 0 lines, -1 when s
 * is not a program. */
int ls_pyrun_toggle_bytecode(const struct ls_scenario *s);

#endif
