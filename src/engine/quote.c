/*
 * quote.c - see quote.h.  Printable ASCII and well-formed UTF-8 for
 * printable code points (U+00A0 and up) pass through; everything else, the
 * C1 controls included, becomes an escape.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "engine/quote.h"

/* Bytes of the well-formed, printable UTF-8 sequence at s (of n), or 0. */
static size_t
quote_utf8(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1fu;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0fu;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07u;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0u) != 0x80u)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	/* Overlong forms, surrogates, beyond Unicode, and the C1 controls. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp < 0xa0)
		return 0;
	return len;
}

/* The escaped form of the character at u[i] into piece; its length, and *used bytes. */
static size_t
quote_piece(const unsigned char *u, size_t n, size_t i, char *piece, size_t *used)
{
	size_t len;

	*used = 1;
	switch (u[i]) {
	case '\\': memcpy(piece, "\\\\", 2); return 2;
	case '\n': memcpy(piece, "\\n", 2); return 2;
	case '\t': memcpy(piece, "\\t", 2); return 2;
	case '\r': memcpy(piece, "\\r", 2); return 2;
	default: break;
	}
	if (u[i] >= 0x20 && u[i] < 0x7f) {
		piece[0] = (char)u[i];
		return 1;
	}
	if ((len = quote_utf8(u + i, n - i)) > 0) {
		memcpy(piece, u + i, len);
		*used = len;
		return len;
	}
	return (size_t)snprintf(piece, 8, "\\%03o", u[i]);
}

const char *
ls_quote_n(const char *s, size_t n, char *buf, size_t len)
{
	static const char dots[] = "...";
	const unsigned char *u = (const unsigned char *)s;
	size_t at = 0, total = 0, used;
	char piece[8];

	if (!len)
		return buf;
	/* Does all of it fit?  Then no room need be kept for the dots. */
	for (size_t i = 0; i < n && total < len; i += used)
		total += quote_piece(u, n, i, piece, &used);
	size_t room = total < len ? len - 1 : len - 1 - (len > sizeof dots ? sizeof dots - 1 : 0);
	for (size_t i = 0; i < n; i += used) {
		size_t plen = quote_piece(u, n, i, piece, &used);
		if (at + plen > room)
			break;
		memcpy(buf + at, piece, plen);
		at += plen;
	}
	if (total >= len && len > sizeof dots) {
		memcpy(buf + at, dots, sizeof dots - 1);
		at += sizeof dots - 1;
	}
	buf[at] = '\0';
	return buf;
}

const char *
ls_quote(const char *s, char *buf, size_t len)
{
	return ls_quote_n(s, strlen(s), buf, len);
}
