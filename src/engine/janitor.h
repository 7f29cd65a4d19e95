/*
 * janitor.h - what SIGKILL would leave behind, removed anyway.
 *
 * Nothing runs in a process killed by SIGKILL, so its temporary directories
 * are handed, while it lives, to a small helper process (the janitor,
 * started on first use, detached from the terminal).  The janitor holds one
 * end of a socket pair whose other end only this program and its actor
 * processes hold; when the last of them is gone, however it went, the socket
 * reads end-of-file and the janitor empties and removes every directory
 * still in its list, then leaves.  A directory removed the ordinary way is
 * taken off the list (after it is gone: dying in between leaves nothing).
 */
#ifndef LS_JANITOR_H
#define LS_JANITOR_H

#include <sys/types.h>

/* Watch dir (a private directory holding only files).  0, or -1 when no
 * janitor could be started: the program's own cleanup still runs. */
int ls_janitor_watch(const char *dir);
/* Async-signal-safe: dir is gone (or about to go); forget it. */
void ls_janitor_forget(const char *dir);
/* Start the janitor now, from the main thread, before anything that needs
 * it (the groups below) can happen where it cannot be started.  0 or -1. */
int ls_janitor_start(void);
/*
 * Async-signal-safe, from any thread or actor process, never starting the
 * janitor: kill process group pgid (a program a lesson started) when the
 * program is killed outright; or no longer, once the group has been killed
 * and reaped the ordinary way.
 */
void ls_janitor_watch_group(pid_t pgid);
void ls_janitor_forget_group(pid_t pgid);

#endif
