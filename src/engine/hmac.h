/*
 * hmac.h - SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), the keyed digest
 * behind ls_net_digest() (lockstep/objects.h).  Pure: no I/O, no state.
 * Internal to the engine; tests/check_hmac.c holds them to the published
 * test vectors (FIPS 180-4's examples, RFC 4231).
 */
#ifndef LS_HMAC_H
#define LS_HMAC_H

#include <stddef.h>
#include <stdint.h>

/* SHA-256 of len bytes at data into out. */
void ls_sha256(const void *data, size_t len, uint8_t out[32]);
/* HMAC-SHA256(key, msg) into out; a key longer than 64 bytes is hashed first. */
void ls_hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen, uint8_t out[32]);

#endif
