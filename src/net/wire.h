/*
 * net/wire.h - inside src/net/ only: the frame and its helpers (wire.c).
 */
#ifndef LS_NET_WIRE_H
#define LS_NET_WIRE_H

#include <stdint.h>

#include "engine/world.h"     /* struct ls_pipe_frame */
#include "lockstep/objects.h" /* enum ls_msg_tag */

#define NET_SLICE_MS 250      /* longest a wait goes without looking at signals */
#define NET_TASK_Q   0        /* a GET's value: which queue (as the lesson's) */
#define NET_TAG_MAX  15       /* tags above are no frame of the protocol */

/* Send one whole frame without payload: 0, or -1 (the peer is gone or stuck). */
int net_send(int fd, int tag, int64_t value);

#endif
