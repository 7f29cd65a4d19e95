/*
 * params.h - scenario parameters from the command line ("name=value"), with
 * one clear line for every way they can be wrong.
 */
#ifndef LS_PARAMS_H
#define LS_PARAMS_H

#include <stddef.h>

#include "lockstep/scenario.h"

/* Buffers for ls_params_value() and ls_params_range() that always suffice. */
#define LS_PARAMS_VALUE_MAX 64
#define LS_PARAMS_RANGE_MAX 160

/* Fill values with the defaults. */
void ls_params_default(const struct ls_scenario *s, long *values);
/* Apply one "name=value"; -1 with err naming the problem and what is accepted. */
int  ls_params_set(const struct ls_scenario *s, long *values, const char *arg,
                   char *err, size_t len);
/*
 * The defaults, then a line of "name=value" words ("depositors=2 locked=0"),
 * as a guided run (a walkthrough, a challenge) states its own: what is
 * "walkthrough" or "challenge", title its title, for the error.  -1 with err.
 */
int  ls_params_line(const struct ls_scenario *s, const char *line, const char *what,
                    const char *title, long *values, char *err, size_t len);
/*
 * One parameter's value as typed: a choice's name exactly as listed
 * ("Mutex" is not "mutex"), a choice's number (min + its index: lock=1 is
 * mutex, the alias `show` documents), or a whole number in range, strictly
 * (no blanks, no '+').  -1 with err naming the problem and what is accepted.
 */
int  ls_params_parse(const struct ls_param_desc *p, const char *text, long *out,
                     char *err, size_t len);
/* The index of the choice text names (exactly), or -1. */
long ls_params_choice(const struct ls_param_desc *p, const char *text);
/*
 * The rules between parameters: a parameter NAME_min may not be above its
 * NAME_max (pause_ms_min, task_ms_min).  -1 with err naming both.
 */
int  ls_params_check(const struct ls_scenario *s, const long *values, char *err, size_t len);
/* "depositors=100 amount=1 ..." */
void ls_params_format(const struct ls_scenario *s, const long *values, char *buf, size_t len);
/* The accepted values of one parameter: "0..1" or "none|mutex|flock". */
void ls_params_range(const struct ls_param_desc *p, char *buf, size_t len);
/* A value as the user writes it: "17" or "mutex". */
void ls_params_value(const struct ls_param_desc *p, long v, char *buf, size_t len);

#endif
