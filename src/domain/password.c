/* password.c - password policy, argon2id hashing with a concurrency cap,
 * random secrets and token hashes (libsodium). */
#include "domain/password.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicase.h>
#include <uninorm.h>

#include "util/text.h"

extern const char *const pw_common[];
extern const size_t pw_common_count;

static sem_t slots;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static unsigned long long cost_t;
static size_t cost_m;
static bool cost_fast;
static char dummy_hash[PW_HASH_MAX];

static void pw_init(void)
{
	const char *fast = getenv("JIEBANG_TEST_FAST_HASH");

	cost_fast = fast && !strcmp(fast, "1");
	cost_t = cost_fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
	cost_m = cost_fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
	sem_init(&slots, 0, PW_CONCURRENCY);
	/* The dummy's password is random and thrown away: nothing matches it. */
	char secret[33];
	pw_random(secret, sizeof(secret));
	if (crypto_pwhash_str(dummy_hash, secret, strlen(secret), cost_t, cost_m) != 0)
		dummy_hash[0] = '\0';
	sodium_memzero(secret, sizeof(secret));
}

void pw_cost(unsigned long long *t, unsigned long long *m_kib, bool *fast)
{
	pthread_once(&once, pw_init);
	*t = cost_t;
	*m_kib = cost_m / 1024;
	*fast = cost_fast;
}

static int acquire(void)
{
	struct timespec until;

	pthread_once(&once, pw_init);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += PW_WAIT_SECONDS;
	while (sem_timedwait(&slots, &until) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

static void release(void)
{
	sem_post(&slots);
}

int pw_hash(const char *pw, char out[PW_HASH_MAX])
{
	int rc;

	if (acquire() < 0)
		return PW_BUSY;
	rc = crypto_pwhash_str(out, pw, strlen(pw), cost_t, cost_m);
	release();
	return rc == 0 ? PW_OK : PW_ERROR;
}

int pw_verify(const char *hash, const char *pw)
{
	int rc;

	if (strnlen(hash, PW_HASH_MAX) >= PW_HASH_MAX)
		return PW_MISMATCH;
	if (acquire() < 0)
		return PW_BUSY;
	rc = crypto_pwhash_str_verify(hash, pw, strlen(pw));
	release();
	return rc == 0 ? PW_OK : PW_MISMATCH;
}

int pw_verify_dummy(const char *pw)
{
	int rc;

	pthread_once(&once, pw_init);
	rc = pw_verify(dummy_hash, pw);
	return rc == PW_BUSY ? PW_BUSY : PW_MISMATCH;
}

/* "$argon2id$v=19$m=65536,t=2,p=1$..." -> m and t; -1 when not argon2id. */
static int parse_cost(const char *hash, unsigned long long *m, unsigned long long *t)
{
	return sscanf(hash, "$argon2id$v=19$m=%llu,t=%llu,", m, t) == 2 ? 0 : -1;
}

bool pw_needs_upgrade(const char *hash)
{
	unsigned long long m, t;

	pthread_once(&once, pw_init);
	if (strnlen(hash, PW_HASH_MAX) >= PW_HASH_MAX)
		return false;
	if (crypto_pwhash_str_needs_rehash(hash, cost_t, cost_m) == 0)
		return false;
	/* libsodium says "differs"; only a lower cost is worth a rehash. */
	if (parse_cost(hash, &m, &t) < 0)
		return true;
	return m < cost_m / 1024 || t < cost_t;
}

char *pw_fold(const char *pw)
{
	size_t n = 0;
	uint8_t *f;
	char *out;

	if (!utf8_valid(pw, strlen(pw)))
		return NULL;
	f = u8_casefold((const uint8_t *)pw, strlen(pw), NULL, UNINORM_NFKC, NULL, &n);
	if (!f)
		return NULL;
	out = realloc(f, n + 1);
	if (!out) {
		free(f);
		return NULL;
	}
	out[n] = '\0';
	return out;
}

/* Binary search of the sorted list for an already folded password. */
static bool on_common_list(const char *folded)
{
	size_t lo = 0, hi = pw_common_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(folded, pw_common[mid]);
		if (!c)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

bool pw_is_common(const char *pw)
{
	char *folded = pw_fold(pw);
	bool common;

	/* Unfoldable (invalid UTF-8, out of memory): refused as if common. */
	if (!folded)
		return true;
	common = on_common_list(folded) || !strcmp(folded, PW_DEMO);
	free(folded);
	return common;
}

/* Case-insensitive (ASCII) substring test. */
static bool contains_fold(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (!n)
		return false;
	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return true;
	return false;
}

const char *pw_policy(const char *pw, const char *login)
{
	size_t chars;
	const char *p = pw;
	uint32_t first;
	bool same = true;

	if (!pw || !utf8_valid(pw, strlen(pw)))
		return "密码必须是有效的文本";
	chars = utf8_len(pw);
	if (chars < PW_MIN_CHARS)
		return "密码至少需要 12 个字符";
	if (chars > PW_MAX_CHARS)
		return "密码最多 128 个字符";
	if (pw_is_common(pw))
		return "这个密码太常见，容易被猜到，请换一个";
	first = utf8_next(&p);
	while (*p && same)
		same = utf8_next(&p) == first;
	if (same)
		return "密码不能由同一个字符重复组成";
	if (login && strlen(login) >= 3 && contains_fold(pw, login))
		return "密码不能包含登录名";
	return NULL;
}

void pw_random(char *out, size_t n)
{
	/* No 0/O, 1/l/I: read aloud or copied from paper without mistakes. */
	static const char alphabet[] = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
	const uint32_t k = sizeof(alphabet) - 1;

	if (!n)
		return;
	for (size_t i = 0; i + 1 < n; i++)
		out[i] = alphabet[randombytes_uniform(k)];
	out[n - 1] = '\0';
}

void token_random(char out[TOKEN_CHARS + 1])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, TOKEN_CHARS + 1, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void token_hash(const char *token, char out[TOKEN_HASH_HEX + 1])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, TOKEN_HASH_HEX + 1, h, sizeof(h));
}

bool secret_equal(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (!n || n != strlen(b))
		return false;
	return sodium_memcmp(a, b, n) == 0;
}
