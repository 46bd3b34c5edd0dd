/* password.h - the password policy, argon2id hashing (libsodium) with a cap
 * on concurrent hashes, and random secrets (initial passwords, tokens).
 *
 * Cost: libsodium's INTERACTIVE limits (argon2id, t=2, m=64 MiB), above
 * OWASP's minimum (m=19 MiB, t=2, p=1). JIEBANG_TEST_FAST_HASH=1 in the
 * environment lowers it to libsodium's minimum (t=1, m=8 KiB) so the test
 * suite stays fast under sanitizers; it is for tests and demos only, and
 * `jiebang serve` warns when it is set.
 *
 * At most PW_CONCURRENCY hashes run at once in a process (each holds its
 * memory cost); a caller waits up to PW_WAIT_SECONDS for a slot, then gets
 * PW_BUSY. The slots are a process-wide semaphore: the one piece of shared
 * mutable state here, by design. */
#ifndef JB_PASSWORD_H
#define JB_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PW_MIN_CHARS 12
#define PW_MAX_CHARS 128
#define PW_HASH_MAX 128        /* crypto_pwhash_STRBYTES */
#define PW_CONCURRENCY 2
#define PW_WAIT_SECONDS 5
#define PW_DEMO "jiebang-demo" /* the demo logins' password; refused everywhere else */

enum { PW_OK = 0, PW_MISMATCH = 1, PW_BUSY = -1, PW_ERROR = -2 };

/* NULL when pw may be chosen as a password by login, else the reason in
 * zh-CN (too short, too long, too common, contains the login...). pw must
 * be valid UTF-8; length counts code points (ASVS 2.1.1, 2.1.2, 2.1.7). */
const char *pw_policy(const char *pw, const char *login);
/* True when pw, folded (pw_fold), is on the embedded list of common
 * passwords or is the demo password: full-width digits, ligatures and any
 * case match their plain lowercase forms. */
bool pw_is_common(const char *pw);
/* pw case-folded and NFKC-normalised (Unicode compatibility caseless
 * form, libunistring), NUL-terminated; malloc'd, the caller frees it.
 * NULL when pw is not valid UTF-8 or memory runs out. */
char *pw_fold(const char *pw);

/* Hash pw into out (NUL-terminated "$argon2id$v=19$m=...,t=...,p=1$...").
 * PW_OK, PW_BUSY (no slot in time) or PW_ERROR (out of memory). */
int pw_hash(const char *pw, char out[PW_HASH_MAX]) __attribute__((warn_unused_result));
/* PW_OK when pw matches hash, PW_MISMATCH when not (or hash is malformed),
 * PW_BUSY when no slot came free in time. Constant-time in pw. */
int pw_verify(const char *hash, const char *pw) __attribute__((warn_unused_result));
/* As long as a pw_verify() at the current cost, with no answer: used for
 * unknown logins so timing does not tell whether a login exists. */
int pw_verify_dummy(const char *pw);
/* True when hash was made at a lower cost than the current setting (or by
 * another algorithm): rehash it at the next successful login. */
bool pw_needs_upgrade(const char *hash);
/* The current cost: t and m (KiB) of new hashes; fast mode or not. */
void pw_cost(unsigned long long *t, unsigned long long *m_kib, bool *fast);

/* A random password of n-1 characters from an alphabet without look-alikes
 * (about 5.8 bits each), NUL-terminated; n >= 17 gives >= 92 bits. */
void pw_random(char *out, size_t n);
/* A random token: 32 bytes (256 bits) from the CSPRNG as unpadded
 * base64url, 43 characters plus NUL; out must hold TOKEN_CHARS + 1. */
#define TOKEN_CHARS 43
void token_random(char out[TOKEN_CHARS + 1]);
/* BLAKE2b-256 of a token as 64 lowercase hex digits plus NUL: what the
 * store keeps instead of the token. */
#define TOKEN_HASH_HEX 64
void token_hash(const char *token, char out[TOKEN_HASH_HEX + 1]);
/* Constant-time comparison of two NUL-terminated secrets. */
bool secret_equal(const char *a, const char *b);

#endif
