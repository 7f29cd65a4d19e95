/*
 * net/net.h - teacher mode's network: `lockstep serve distributed` (the
 * master and its manager's server on a real TCP port, serve.c) and
 * `lockstep worker` (one student's worker, worker.c), over the lesson's
 * wire (wire.c): frames of struct ls_pipe_frame in the machine's byte
 * order, the server's challenge on every connection, the client's answer
 * HMAC-SHA256(key, challenge), WELCOME or FAILURE, then GET / TASK and
 * RESULT / REPLY.  The command line (src/cli/cmd_net.c) only parses options
 * and calls these; they print the lesson's lines on stdout and hand back
 * one error line for the command to print.
 */
#ifndef LS_NET_H
#define LS_NET_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define LS_NET_KEY_MAX      64
#define LS_NET_WORKERS_MAX  64     /* workers served at once (the key proven) */
#define LS_NET_TASKS_MAX    100
#define LS_NET_TASK_MAX     INT64_C(3037000499)   /* the largest n whose n*n fits an int64 */
/* A FAILURE's value: why the server turned the client away. */
#define LS_NET_REFUSED_KEY  1      /* = LS_NET_WHY_KEY, the lesson's: a wrong key */
#define LS_NET_REFUSED_FULL 64     /* LS_NET_WORKERS_MAX workers are served already */

/* "HOST:PORT", HOST a numeric IPv4 address or localhost: 0, or -1. */
int ls_net_parse_addr(const char *text, int port_zero_ok, struct sockaddr_in *a);
/* "127.0.0.1:5000"; the text lives until the second call after. */
const char *ls_net_addr_text(const struct sockaddr_in *a);
/* A key is 1..LS_NET_KEY_MAX bytes of printable text. */
int ls_net_key_ok(const char *key);

struct ls_serve_opts {
	const char *key;
	struct sockaddr_in at;
	long tasks;
	int requeue;
	uint64_t seed;
};
/* Serve until every result is back: an exit status; err says why when not 0. */
int ls_net_serve(const struct ls_serve_opts *o, char *err, size_t len);

struct ls_worker_opts {
	const char *key;
	struct sockaddr_in at;
	long delay_ms;
};
/* Work until the manager ends: 0; 1 (no connection, broken, or a protocol
 * violation) or 3 (the key refused), with err saying why. */
int ls_net_worker(const struct ls_worker_opts *o, char *err, size_t len);

#endif
