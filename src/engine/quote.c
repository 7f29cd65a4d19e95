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

const char *
ls_quote_n(const char *s, size_t n, char *buf, size_t len)
{
	static const char dots[] = "...";
	const unsigned char *u = (const unsigned char *)s;
	size_t at = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < n;) {
		char piece[8];
		size_t plen, used = 1;

		if (u[i] == '\\') {
			memcpy(piece, "\\\\", plen = 2);
		} else if (u[i] == '\n') {
			memcpy(piece, "\\n", plen = 2);
		} else if (u[i] == '\t') {
			memcpy(piece, "\\t", plen = 2);
		} else if (u[i] == '\r') {
			memcpy(piece, "\\r", plen = 2);
		} else if (u[i] >= 0x20 && u[i] < 0x7f) {
			piece[0] = (char)u[i];
			plen = 1;
		} else if ((used = quote_utf8(u + i, n - i)) > 0) {
			memcpy(piece, u + i, plen = used);
		} else {
			used = 1;
			plen = (size_t)snprintf(piece, sizeof piece, "\\%03o", u[i]);
		}
		/* Room for this piece, and for the dots should more follow. */
		size_t need = at + plen + (i + used < n ? sizeof dots - 1 : 0);
		if (need >= len) {
			if (at + sizeof dots <= len)
				memcpy(buf + at, dots, sizeof dots - 1), at += sizeof dots - 1;
			else if (len >= sizeof dots)
				memcpy(buf + len - sizeof dots, dots, sizeof dots - 1), at = len - 1;
			break;
		}
		memcpy(buf + at, piece, plen);
		at += plen;
		i += used;
	}
	buf[at < len ? at : len - 1] = '\0';
	return buf;
}

const char *
ls_quote(const char *s, char *buf, size_t len)
{
	return ls_quote_n(s, strlen(s), buf, len);
}
