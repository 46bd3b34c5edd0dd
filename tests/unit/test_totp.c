/* test_totp.c - TOTP codes against RFC 6238's test vectors (appendix B,
 * SHA-1), the window and replay rule of totp_check(), base32 and the
 * recovery codes' hashing (domain/totp.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/totp.h"

/* RFC 6238's SHA-1 key: "12345678901234567890" (20 bytes). */
static const unsigned char rfc_key[] = "12345678901234567890";
#define RFC_B32 "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

static const struct {
	int64_t t;
	const char *code8;
} vectors[] = {
	{ 59, "94287082" },       { 1111111109, "07081804" }, { 1111111111, "14050471" },
	{ 1234567890, "89005924" }, { 2000000000, "69279037" }, { 20000000000, "65353130" },
};

static void rfc6238_vectors_eight_and_six_digits(void **state)
{
	char out[9];

	(void)state;
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		assert_int_equal(totp_code(rfc_key, 20, vectors[i].t, 8, out), 0);
		assert_string_equal(out, vectors[i].code8);
		/* 6 digits: the same truncation mod 10^6, the last six */
		assert_int_equal(totp_code(rfc_key, 20, vectors[i].t, 6, out), 0);
		assert_string_equal(out, vectors[i].code8 + 2);
	}
}

static void base32_round_trip(void **state)
{
	unsigned char back[40];
	char s[64];

	(void)state;
	totp_base32(rfc_key, 20, s);
	assert_string_equal(s, RFC_B32);
	assert_int_equal(totp_unbase32(s, back, sizeof(back)), 20);
	assert_memory_equal(back, rfc_key, 20);
	assert_int_equal(totp_unbase32("gezdgnbv", back, sizeof(back)), 5); /* lower case too */
	assert_int_equal(totp_unbase32("GEZ1", back, sizeof(back)), -1);   /* 1 is not base32 */
	assert_int_equal(totp_unbase32(RFC_B32, back, 4), -1);             /* too long for out */
	totp_secret_new(s);
	assert_int_equal(strlen(s), TOTP_B32_CHARS);
	assert_int_equal(totp_unbase32(s, back, sizeof(back)), TOTP_KEY_BYTES);
}

static void check_accepts_one_step_either_side_once(void **state)
{
	int64_t now = 1111111111, step = 0, s2;

	(void)state;
	/* "050471" is the code of 1111111111's step (37037037) */
	assert_int_equal(totp_check(RFC_B32, "050471", now, 0, &step), TOTP_OK);
	assert_int_equal(step, now / 30);
	assert_int_equal(totp_check(RFC_B32, "050 471", now, 0, &s2), TOTP_OK); /* spaces as apps group them */
	/* the same code once that step is used: a replay */
	assert_int_equal(totp_check(RFC_B32, "050471", now, step, &s2), TOTP_REPLAY);
	/* a step late or early still passes, two do not */
	assert_int_equal(totp_check(RFC_B32, "050471", now + 30, 0, &s2), TOTP_OK);
	assert_int_equal(s2, step);
	assert_int_equal(totp_check(RFC_B32, "050471", now - 30, 0, &s2), TOTP_OK);
	assert_int_equal(s2, step);
	assert_int_equal(totp_check(RFC_B32, "050471", now + 60, 0, &s2), TOTP_WRONG);
	assert_int_equal(totp_check(RFC_B32, "050471", now - 60, 0, &s2), TOTP_WRONG);
	/* a code of an earlier step than the last used one is refused */
	assert_int_equal(totp_check(RFC_B32, "050471", now + 30, step + 1, &s2), TOTP_REPLAY);
	/* wrong digits, malformed codes and secrets */
	assert_int_equal(totp_check(RFC_B32, "050472", now, 0, &s2), TOTP_WRONG);
	assert_int_equal(totp_check(RFC_B32, "05047", now, 0, &s2), TOTP_WRONG);
	assert_int_equal(totp_check(RFC_B32, "0504711", now, 0, &s2), TOTP_WRONG);
	assert_int_equal(totp_check(RFC_B32, "abcdef", now, 0, &s2), TOTP_WRONG);
	assert_int_equal(totp_check("not base32!", "050471", now, 0, &s2), TOTP_WRONG);
	assert_int_equal(totp_check("", "050471", now, 0, &s2), TOTP_WRONG);
}

static void recovery_codes_hash_per_user_ignoring_case_and_dashes(void **state)
{
	char a[33], b[33], c[33], d[33];

	(void)state;
	totp_recovery_hash(1, 7, "abcde-fghij", a);
	totp_recovery_hash(1, 7, "ABCDE FGHIJ", b);
	totp_recovery_hash(1, 8, "abcde-fghij", c);
	totp_recovery_hash(2, 7, "abcde-fghij", d);
	assert_int_equal(strlen(a), 32);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_string_not_equal(a, d);
	assert_true(totp_looks_like_code("123 456"));
	assert_false(totp_looks_like_code("abcde-fghij"));
	assert_false(totp_looks_like_code("12345"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc6238_vectors_eight_and_six_digits),
		cmocka_unit_test(base32_round_trip),
		cmocka_unit_test(check_accepts_one_step_either_side_once),
		cmocka_unit_test(recovery_codes_hash_per_user_ignoring_case_and_dashes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
