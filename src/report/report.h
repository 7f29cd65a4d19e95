/*
 * report.h - the headless views: a run's model as text or as one JSON
 * object, and the scenario list.  Reads the model, never the world.
 */
#ifndef LS_REPORT_H
#define LS_REPORT_H

#include <stdio.h>

#include "engine/run.h"

void ls_report_text(FILE *f, const struct ls_run *r, int show_output);
void ls_report_json(FILE *f, const struct ls_run *r);
struct ls_json;
/* The run's data races as the member "races": [{var, a, b}, ...]. */
void ls_report_races_json(struct ls_json *j, const struct ls_run *r);
void ls_report_list(FILE *f, int json);
/* Lesson, parameters and the scenario's source; -1 if it has no source. */
int  ls_report_show(FILE *f, const struct ls_scenario *s);

#endif
