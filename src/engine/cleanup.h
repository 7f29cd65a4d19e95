/*
 * cleanup.h - signals and the guarantee that nothing is left behind.
 *
 * Every signal whose default action ends the process is caught.  SIGINT,
 * SIGTERM, SIGHUP, SIGQUIT, SIGUSR1/2, SIGALRM, SIGXCPU, SIGXFSZ, the
 * real-time signals and the rest only record the signal; the main loop sees
 * it through ls_cleanup_signalled(), frees the run (which stops and reaps
 * every actor and removes its files), restores the terminal and then
 * re-raises.  A fault in the program itself (SIGSEGV, SIGABRT, SIGBUS, ...)
 * cannot wait for the main loop: its handler restores the terminal, kills
 * the tracked worlds' child processes, removes their files and re-raises.
 * Any number of worlds can be tracked.
 */
#ifndef LS_CLEANUP_H
#define LS_CLEANUP_H

struct ls_world;

int  ls_cleanup_install(void);
/* Is this one of the handlers installed above?  Those act as the default
 * action in a forked actor, so a child need not reset them. */
int  ls_cleanup_handles(void (*handler)(int));
/* The first terminating signal caught, or 0. */
int  ls_cleanup_signalled(void);
/* For tests: forget a caught signal. */
void ls_cleanup_reset(void);
void ls_cleanup_track(struct ls_world *w);
void ls_cleanup_untrack(struct ls_world *w);
/* Called first on a fatal signal (the TUI registers its terminal restore). */
void ls_cleanup_on_fatal(void (*restore)(void));
/* "SIGQUIT", "SIGRTMIN+3", ...: for the one line a program prints as it goes. */
const char *ls_cleanup_signal_name(int sig);
/* Say so on stderr (one line), then die of sig with its default action, so
 * the parent sees how we ended. */
_Noreturn void ls_cleanup_reraise(int sig);

#endif
