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

/* Watch dir (a private directory holding only files).  0, or -1 when no
 * janitor could be started: the program's own cleanup still runs. */
int ls_janitor_watch(const char *dir);
/* Async-signal-safe: dir is gone (or about to go); forget it. */
void ls_janitor_forget(const char *dir);

#endif
