/*
 * wire.c - what the server and the worker share: addresses, the key's
 * form, and whole frames sent and read against a deadline.  Never blocks
 * longer than a slice without looking at the signals.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "net/net.h"
#include "net/wire.h"

int
ls_net_parse_addr(const char *text, int port_zero_ok, struct sockaddr_in *a)
{
	char host[64];
	const char *colon = strrchr(text, ':');
	char *end;
	long port;

	if (!colon || colon == text || (size_t)(colon - text) >= sizeof host || !colon[1])
		return -1;
	memcpy(host, text, (size_t)(colon - text));
	host[colon - text] = '\0';
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno || *end || colon[1] < '0' || colon[1] > '9' ||
	    port < (port_zero_ok ? 0 : 1) || port > 65535)
		return -1;
	memset(a, 0, sizeof *a);
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof host, "127.0.0.1");
	return inet_pton(AF_INET, host, &a->sin_addr) == 1 ? 0 : -1;
}

const char *
ls_net_addr_text(const struct sockaddr_in *a)
{
	static char buf[2][64];
	static int which;
	char host[INET_ADDRSTRLEN];

	which ^= 1;
	inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
	snprintf(buf[which], sizeof buf[which], "%s:%d", host, ntohs(a->sin_port));
	return buf[which];
}

int
ls_net_key_ok(const char *key)
{
	size_t n = strlen(key);

	if (n == 0 || n > LS_NET_KEY_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)key[i] < 0x20 || key[i] == 0x7f)
			return 0;
	return 1;
}

int
net_send(int fd, int tag, int64_t value)
{
	struct ls_pipe_frame f = { .value = value, .seq = 0, .size = 0, .tag = (uint32_t)tag };
	size_t off = 0;

	while (off < sizeof f) {
		ssize_t n = send(fd, (const char *)&f + off, sizeof f - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0)
			off += (size_t)n;
		else if (n < 0 && errno == EINTR)
			continue;
		else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && off > 0) {
			/* A frame is 24 bytes: a peer that lets a started one stall
			 * is waited for a moment, no more. */
			struct pollfd p = { .fd = fd, .events = POLLOUT };
			if (poll(&p, 1, NET_SLICE_MS) <= 0)
				return -1;
		} else
			return -1;
	}
	return 0;
}
