/*
 * export.h - a run's whole trace in the Chrome trace-event JSON format, for
 * Perfetto (ui.perfetto.dev) or chrome://tracing.  One track per actor (pid 1
 * for threads, each process's real pid for processes; tid = the actor's id,
 * named by thread_name metadata), an instant event per operation, and
 * complete ("X") spans for locks and semaphores held and for time spent
 * blocked or sleeping.  Needs the run's kept events (ls_run_keep_events).
 */
#ifndef LS_EXPORT_H
#define LS_EXPORT_H

#include <stdio.h>

#include "engine/run.h"

/* 0, or -1 when writing failed. */
int ls_export_chrome(FILE *f, const struct ls_run *r);
/* To a file; err names it on failure. */
int ls_export_chrome_file(const char *path, const struct ls_run *r, char *err, size_t len);

#endif
