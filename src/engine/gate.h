/*
 * gate.h - the handshake between the controller and one actor in controlled
 * modes: three futex words in the actor's slot of the shared world.
 *
 *   word   written by                    waited on by
 *   go     controller (grant n), actor   actor (park)
 *          (takes it: exchange to 0)
 *   state  controller (RUNNING on grant,  controller (wait), joiners
 *          DONE for a dead actor), actor
 *          (PARKED, DONE)
 *   step   actor (the grant it took)      nobody: read to tell "never took
 *                                         its step" from "took it, no answer"
 *
 * One controller and one actor per gate; no word is shared by two actors.
 * Nothing outside gate.c reads or writes these words or calls a futex on
 * them (tests/gate_words.test fails the build's check if anything does): a
 * front end, a probe or a runner in another language calls the functions
 * below.  Who may call what:
 *
 *   actor side       ls_gate_park, ls_gate_done (its own gate);
 *                    ls_gate_settle, ls_gate_unsettle (its own gate, while
 *                    it waits in the kernel for what the model allows);
 *                    ls_gate_arm_child, ls_gate_wait_parked (the gate of a
 *                    child it forks); ls_gate_wait_done (another actor's
 *                    gate: a join); ls_gate_wait_change (another actor's
 *                    gate, between looks at something else)
 *   controller side  ls_gate_grant, ls_gate_wait, ls_gate_kick,
 *                    ls_gate_mark_done, ls_gate_taken, ls_gate_preset_parked
 *                    (before the actor exists)
 *   either           ls_gate_state, ls_gate_init (before any actor exists)
 *
 * Nothing here blocks for ever: every wait is bounded, so each side can
 * check its own reasons to stop between slices.
 */
#ifndef LS_GATE_H
#define LS_GATE_H

#include <stdatomic.h>
#include <stdint.h>

enum ls_gate_state {
	LS_GATE_RUNNING = 0,    /* between probes (or granted, not yet answered) */
	LS_GATE_PARKED  = 1,    /* at a probe, waiting for a grant */
	LS_GATE_DONE    = 2,    /* body returned, left on abort, or died */
};

struct ls_gate {
	_Alignas(64) _Atomic uint32_t go;   /* 0, or the number of a grant not yet taken */
	_Atomic uint32_t state;             /* enum ls_gate_state */
	_Atomic uint32_t step;              /* the number of the last grant taken */
};

void ls_gate_init(struct ls_gate *g);
/* Acquire: once PARKED or DONE is seen, the actor's events before it are in its ring. */
uint32_t ls_gate_state(const struct ls_gate *g);

/* ---- actor side ---- */

/*
 * Publish PARKED and wait for a grant.  Returns 0 when granted, -1 as soon
 * as *abort_word is nonzero (the caller leaves).
 */
int ls_gate_park(struct ls_gate *g, const _Atomic uint32_t *abort_word);
/* The body returned or the actor leaves: the controller stops waiting for it. */
void ls_gate_done(struct ls_gate *g);
/*
 * Another actor's gate (join): wait until it is DONE.  0 then, -1 as soon
 * as *abort_word is nonzero.  Only reads the other gate.
 */
int ls_gate_wait_done(struct ls_gate *other, const _Atomic uint32_t *abort_word);

/*
 * Settled: the actor, granted a step, waits in the kernel (a pipe's full
 * buffer, a connection not yet in the backlog) for what the model already
 * allows.  It says PARKED without waiting for a grant, so the controller
 * stops waiting for it; the model, having seen its BLOCK, grants it nothing.
 * ls_gate_unsettle says RUNNING again, before the actor records anything
 * another actor waits for, and spends a grant made meanwhile (only a switch
 * to free mode grants an actor the model calls blocked).
 */
void ls_gate_settle(struct ls_gate *g);
void ls_gate_unsettle(struct ls_gate *g);
/*
 * A fork (the forking actor, on the child's gate): the child runs to its
 * first probe, RUNNING until it parks.  Call before the child exists.
 */
void ls_gate_arm_child(struct ls_gate *child);
/*
 * The forking actor, in a controlled mode, waits for the child it armed to
 * park at its first probe (or finish): 0 then, -1 as soon as *abort_word is
 * nonzero.
 */
int ls_gate_wait_parked(struct ls_gate *child, const _Atomic uint32_t *abort_word);
/*
 * Sleep up to timeout_ms while another gate's state is still `seen` (read
 * with ls_gate_state): for a waiter that also watches something else (a
 * child's exit status), between looks.  Returns at once if it has changed.
 */
void ls_gate_wait_change(struct ls_gate *other, uint32_t seen, int timeout_ms);

/* ---- controller side ---- */

/* Let a parked actor run to its next probe; n (nonzero) numbers the grant. */
void ls_gate_grant(struct ls_gate *g, uint32_t n);
/* Wait up to timeout_ms while the actor is RUNNING; returns its state. */
uint32_t ls_gate_wait(struct ls_gate *g, int timeout_ms);
/* Wake a parked actor without granting, so it sees the abort word now. */
void ls_gate_kick(struct ls_gate *g);
/* The actor died without saying so (a crashed or killed process). */
void ls_gate_mark_done(struct ls_gate *g);
/* The number of the last grant the actor took (0: none yet). */
uint32_t ls_gate_taken(const struct ls_gate *g);
/*
 * An actor another actor forks later: PARKED until then, so the controller
 * waits for nobody at its gate.  Before the actor exists (its forker arms
 * it with ls_gate_arm_child).
 */
void ls_gate_preset_parked(struct ls_gate *g);

#endif
