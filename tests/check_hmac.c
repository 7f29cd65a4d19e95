/*
 * check_hmac.c - the network's keyed digest against published vectors:
 * SHA-256 against FIPS 180-4's examples ("abc", the two-block message) and
 * the empty string, across the padding's edges (lengths 55, 56, 63, 64, 65,
 * 119, 120, 1000, digests from Python's hashlib); HMAC-SHA256 against RFC
 * 4231's test cases 1 to 7 (case 5 truncated to 128 bits, as the RFC
 * gives it); and ls_net_digest() against Python's hmac, the module a
 * student's multiprocessing authkey goes through.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "engine/hmac.h"
#include "helpers.h"
#include "lockstep/objects.h"
#include "suites.h"

static void
hex(const uint8_t *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void
check_sha(const void *msg, size_t len, const char *want)
{
	uint8_t d[32];
	char got[65];

	ls_sha256(msg, len, d);
	hex(d, 32, got);
	ck_assert_str_eq(got, want);
}

START_TEST(sha256_vectors)
{
	static const char *two_block =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	check_sha("abc", 3,
	          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check_sha("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check_sha(two_block, strlen(two_block),
	          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

/* Bytes 0, 1, 2, ... (mod 256) of each length, around the 56-byte padding
 * boundary and the 64-byte block. */
START_TEST(sha256_padding_edges)
{
	static const struct { size_t len; const char *want; } v[] = {
		{ 55, "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59" },
		{ 56, "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562" },
		{ 63, "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488" },
		{ 64, "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108" },
		{ 65, "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781" },
		{ 119, "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6" },
		{ 120, "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c" },
		{ 1000, "a8af099bf2e878609558dbf69d8f88f4a31040a8cf84b549a0cfa912f12ffc3f" },
	};
	uint8_t buf[1000];

	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)i;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		check_sha(buf, v[i].len, v[i].want);
}
END_TEST

/* RFC 4231, section 4: test cases 1 to 7. */
START_TEST(hmac_rfc4231)
{
	uint8_t k20b[20], k20a[20], k25[25], k20c[20], k131[131], d50d[50], d50c[50];
	static const char *tc6 = "Test Using Larger Than Block-Size Key - Hash Key First";
	static const char *tc7 =
		"This is a test using a larger than block-size key and a larger than block-size "
		"data. The key needs to be hashed before being used by the HMAC algorithm.";
	memset(k20b, 0x0b, sizeof k20b);
	memset(k20a, 0xaa, sizeof k20a);
	memset(k20c, 0x0c, sizeof k20c);
	memset(k131, 0xaa, sizeof k131);
	memset(d50d, 0xdd, sizeof d50d);
	memset(d50c, 0xcd, sizeof d50c);
	for (int i = 0; i < 25; i++)
		k25[i] = (uint8_t)(i + 1);
	const struct {
		const void *key;
		size_t klen;
		const void *msg;
		size_t mlen;
		size_t outlen;   /* bytes compared: case 5 is truncated */
		const char *want;
	} v[] = {
		{ k20b, 20, "Hi There", 8, 32,
		  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
		{ "Jefe", 4, "what do ya want for nothing?", 28, 32,
		  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
		{ k20a, 20, d50d, 50, 32,
		  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
		{ k25, 25, d50c, 50, 32,
		  "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
		{ k20c, 20, "Test With Truncation", 20, 16, "a3b6167473100ee06e0c796c2955552b" },
		{ k131, 131, tc6, strlen(tc6), 32,
		  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
		{ k131, 131, tc7, strlen(tc7), 32,
		  "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		uint8_t mac[32];
		char got[65];
		ls_hmac_sha256(v[i].key, v[i].klen, v[i].msg, v[i].mlen, mac);
		hex(mac, v[i].outlen, got);
		ck_assert_msg(strcmp(got, v[i].want) == 0, "RFC 4231 test case %zu: %s, not %s",
		              i + 1, got, v[i].want);
	}
}
END_TEST

/* The first 8 bytes of HMAC-SHA256(key, nonce as 8 little-endian bytes),
 * little-endian, halved to stay non-negative: Python's
 * int.from_bytes(hmac.new(b"secret", n.to_bytes(8, "little", signed=True),
 * "sha256").digest()[:8], "little") >> 1. */
START_TEST(net_digest_python)
{
	ck_assert_int_eq(ls_net_digest("secret", 123456789), 1172820331479319060LL);
	ck_assert_int_eq(ls_net_digest("secret", -1), 1566730433203470300LL);
	ck_assert_int_ne(ls_net_digest("secreT", 123456789), 1172820331479319060LL);
}
END_TEST

Suite *
hmac_suite(void)
{
	Suite *s = suite_create("hmac");
	TCase *tc = th_tcase(s, "vectors", 10);

	tcase_add_test(tc, sha256_vectors);
	tcase_add_test(tc, sha256_padding_edges);
	tcase_add_test(tc, hmac_rfc4231);
	tcase_add_test(tc, net_digest_python);
	return s;
}
