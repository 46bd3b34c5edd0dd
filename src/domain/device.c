/* device.c - signed device cookies and the tenant key that signs them. */
#include "domain/device.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The MAC over everything the cookie stands for. */
static void device_mac(const unsigned char key[DEVICE_KEY_BYTES], int64_t tenant_id, const char *login,
		       int64_t issued, const char *nonce, unsigned char mac[crypto_auth_BYTES])
{
	crypto_auth_hmacsha512256_state st;
	char head[64];

	snprintf(head, sizeof(head), "jiebang-device-v1\n%" PRId64 "\n%" PRId64 "\n", tenant_id, issued);
	crypto_auth_hmacsha512256_init(&st, key, DEVICE_KEY_BYTES);
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)head, strlen(head));
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)nonce, strlen(nonce));
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)"\n", 1);
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)login, strlen(login));
	crypto_auth_hmacsha512256_final(&st, mac);
}

static int read_key(db *d, int64_t tenant_id, unsigned char key[DEVICE_KEY_BYTES])
{
	db_stmt *st = db_prepare(d, "SELECT secret FROM tenant_secret WHERE tenant_id = $1 AND name = 'device'");
	size_t n = 0;
	int rc, ok = 1;

	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		ok = sodium_hex2bin(key, DEVICE_KEY_BYTES, db_col_text(st, 0), 2 * DEVICE_KEY_BYTES, NULL, &n, NULL) == 0 &&
		     n == DEVICE_KEY_BYTES ? 0 : -1;
	db_done(st);
	return rc == DB_ERROR ? -1 : rc == DB_DONE ? 1 : ok;
}

int device_key(db *d, int64_t tenant_id, bool create, unsigned char key[DEVICE_KEY_BYTES])
{
	unsigned char fresh[DEVICE_KEY_BYTES];
	char hex[2 * DEVICE_KEY_BYTES + 1];
	db_stmt *st;
	int rc = read_key(d, tenant_id, key);

	if (rc != 1 || !create)
		return rc;
	randombytes_buf(fresh, sizeof(fresh));
	sodium_bin2hex(hex, sizeof(hex), fresh, sizeof(fresh));
	sodium_memzero(fresh, sizeof(fresh));
	st = db_prepare(d, "INSERT INTO tenant_secret (tenant_id, name, secret, created_at) VALUES ($1, 'device', $2, $3)"
			   " ON CONFLICT (tenant_id, name) DO NOTHING");
	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_text(st, 2, hex);
	db_bind_int(st, 3, (int64_t)time(NULL));
	rc = db_step(st);
	db_done(st);
	sodium_memzero(hex, sizeof(hex));
	return rc == DB_DONE ? read_key(d, tenant_id, key) : -1;
}

void device_issue(const unsigned char key[DEVICE_KEY_BYTES], int64_t tenant_id, const char *login,
		  int64_t now, char out[DEVICE_COOKIE_MAX])
{
	unsigned char raw[DEVICE_ID_HEX / 2], mac[crypto_auth_BYTES];
	char nonce[DEVICE_ID_HEX + 1], mac64[sodium_base64_ENCODED_LEN(crypto_auth_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(nonce, sizeof(nonce), raw, sizeof(raw));
	device_mac(key, tenant_id, login, now, nonce, mac);
	sodium_bin2base64(mac64, sizeof(mac64), mac, sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(out, DEVICE_COOKIE_MAX, "%" PRId64 ".%s.%s", now, nonce, mac64);
}

bool device_check(const unsigned char key[DEVICE_KEY_BYTES], int64_t tenant_id, const char *login,
		  const char *value, int64_t now, char id[DEVICE_ID_HEX + 1])
{
	unsigned char want[crypto_auth_BYTES], got[crypto_auth_BYTES];
	char nonce[DEVICE_ID_HEX + 1];
	long long issued;
	size_t n = 0;
	int used = 0;
	bool ok;

	id[0] = '\0';
	if (!value || strlen(value) >= DEVICE_COOKIE_MAX ||
	    sscanf(value, "%18lld.%32[0-9a-f].%n", &issued, nonce, &used) != 2 || !used ||
	    strlen(nonce) != DEVICE_ID_HEX || issued > now + 60 || issued + DEVICE_MAX_AGE < now)
		return false;
	if (sodium_base642bin(got, sizeof(got), value + used, strlen(value + used), NULL, &n, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || n != sizeof(got))
		return false;
	device_mac(key, tenant_id, login, (int64_t)issued, nonce, want);
	ok = sodium_memcmp(want, got, sizeof(want)) == 0;
	if (ok)
		memcpy(id, nonce, sizeof(nonce));
	return ok;
}

void device_cookie_name(const char *login, char out[DEVICE_NAME_MAX])
{
	unsigned char h[8];

	crypto_generichash(h, sizeof(h), (const unsigned char *)login, strlen(login), NULL, 0);
	memcpy(out, "jb_dev_", 7);
	sodium_bin2hex(out + 7, DEVICE_NAME_MAX - 7, h, sizeof(h));
}
