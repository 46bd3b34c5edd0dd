/* totp.c - TOTP codes through liboath, recovery codes, and the enrolment
 * stored on app_user (totp.h). */
#include "domain/totp.h"

#include <ctype.h>
#include <jansson.h>
#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "util/log.h"

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/* Recovery codes: base32's symbols in lower case (5 bits a character). */
#define REC_SYMBOLS 32
static const char rec_symbols[REC_SYMBOLS + 1] = "abcdefghijklmnopqrstuvwxyz234567";

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static bool oath_ready;

static void oath_start(void)
{
	oath_ready = oath_init() == OATH_OK;
	if (!oath_ready)
		log_error("totp: liboath does not start");
}

void totp_base32(const unsigned char *in, size_t n, char *out)
{
	unsigned acc = 0;
	int bits = 0;
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			out[k++] = b32[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[k++] = b32[(acc << (5 - bits)) & 31];
	out[k] = '\0';
}

int totp_unbase32(const char *s, unsigned char *out, size_t max)
{
	unsigned acc = 0;
	int bits = 0;
	size_t k = 0;

	for (; *s; s++) {
		const char *p = strchr(b32, toupper((unsigned char)*s));

		if (!*s || !p)
			return -1;
		acc = (acc << 5) | (unsigned)(p - b32);
		bits += 5;
		if (bits >= 8) {
			if (k >= max)
				return -1;
			out[k++] = (unsigned char)(acc >> (bits - 8));
			bits -= 8;
		}
	}
	return (int)k;
}

void totp_secret_new(char out[TOTP_B32_CHARS + 1])
{
	unsigned char key[TOTP_KEY_BYTES];

	randombytes_buf(key, sizeof(key));
	totp_base32(key, sizeof(key), out);
	sodium_memzero(key, sizeof(key));
}

int totp_code(const unsigned char *key, size_t n, int64_t now, unsigned digits, char *out)
{
	pthread_once(&oath_once, oath_start);
	if (!oath_ready)
		return -1;
	return oath_totp_generate((const char *)key, n, (time_t)now, TOTP_STEP, 0, digits, out) == OATH_OK ? 0 : -1;
}

bool totp_looks_like_code(const char *code)
{
	int digits = 0;

	for (const char *p = code; *p; p++) {
		if (*p == ' ')
			continue;
		if (*p < '0' || *p > '9')
			return false;
		digits++;
	}
	return digits == TOTP_DIGITS;
}

enum totp_verdict totp_check(const char *secret_b32, const char *code, int64_t now, int64_t last_step,
			     int64_t *step)
{
	unsigned char key[TOTP_KEY_BYTES * 2];
	char digits[TOTP_DIGITS + 1];
	int n, k = 0, pos = 0, rc;

	*step = 0;
	if (!totp_looks_like_code(code))
		return TOTP_WRONG;
	for (const char *p = code; *p; p++)
		if (*p != ' ')
			digits[k++] = *p;
	digits[k] = '\0';
	n = totp_unbase32(secret_b32, key, sizeof(key));
	pthread_once(&oath_once, oath_start);
	if (n <= 0 || !oath_ready)
		return TOTP_WRONG;
	rc = oath_totp_validate2((const char *)key, (size_t)n, (time_t)now, TOTP_STEP, 0, TOTP_WINDOW, &pos, digits);
	sodium_memzero(key, sizeof(key));
	if (rc < 0)
		return TOTP_WRONG;
	*step = now / TOTP_STEP + pos;
	return *step > last_step ? TOTP_OK : TOTP_REPLAY;
}

/* A recovery code as kept: lower case, without spaces or dashes. */
static void recovery_fold(const char *code, char *out, size_t n)
{
	size_t k = 0;

	for (; *code && k + 1 < n; code++) {
		if (*code == ' ' || *code == '-')
			continue;
		out[k++] = (char)tolower((unsigned char)*code);
	}
	out[k] = '\0';
}

void totp_recovery_hash(int64_t tenant_id, int64_t user_id, const char *code, char out[33])
{
	unsigned char h[16];
	char folded[64], in[128];

	recovery_fold(code, folded, sizeof(folded));
	snprintf(in, sizeof(in), "jiebang-recovery:%lld:%lld:%s", (long long)tenant_id, (long long)user_id, folded);
	crypto_generichash(h, sizeof(h), (const unsigned char *)in, strlen(in), NULL, 0);
	sodium_memzero(in, sizeof(in));
	sodium_memzero(folded, sizeof(folded));
	sodium_bin2hex(out, 33, h, sizeof(h));
}

/* New codes into c, their hashes space-separated into hashes. */
static void recovery_new(int64_t tenant_id, int64_t user_id, struct totp_codes *c,
			 char hashes[TOTP_RECOVERY_COUNT * 33])
{
	char h[33];

	hashes[0] = '\0';
	for (int i = 0; i < TOTP_RECOVERY_COUNT; i++) {
		unsigned char r[10];

		randombytes_buf(r, sizeof(r));
		for (int k = 0, j = 0; k < 10; k++) {
			if (k == 5)
				c->code[i][j++] = '-';
			c->code[i][j++] = rec_symbols[r[k] % REC_SYMBOLS];
		}
		c->code[i][TOTP_RECOVERY_CHARS] = '\0';
		totp_recovery_hash(tenant_id, user_id, c->code[i], h);
		if (i)
			strcat(hashes, " ");
		strcat(hashes, h);
	}
}

static int count_words(const char *s)
{
	int n = 0;

	for (const char *p = s; *p; p++)
		if (*p != ' ' && (p == s || p[-1] == ' '))
			n++;
	return n;
}

int totp_get(db *d, arena *a, int64_t tenant_id, int64_t user_id, struct totp_state *out)
{
	db_stmt *st = db_query(d, "SELECT coalesce(totp_secret, ''), coalesce(totp_pending, ''), totp_step, totp_recovery"
				  " FROM app_user WHERE tenant_id = $1 AND id = $2", "ii", tenant_id, user_id);
	int rc;

	memset(out, 0, sizeof(*out));
	out->secret = out->pending = "";
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->secret = arena_strdup(a, db_col_text(st, 0));
		out->pending = arena_strdup(a, db_col_text(st, 1));
		out->step = db_col_int(st, 2);
		out->recovery_left = count_words(db_col_text(st, 3));
		out->enabled = *out->secret != '\0';
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int totp_enrol_start(db *d, int64_t tenant_id, int64_t user_id, char out[TOTP_B32_CHARS + 1])
{
	totp_secret_new(out);
	if (db_begin(d, DB_WRITE) < 0)
		return -1;
	if (db_run(d, "UPDATE app_user SET totp_pending = $3 WHERE tenant_id = $1 AND id = $2", "iis", tenant_id,
		   user_id, out) != DB_DONE ||
	    db_commit(d) < 0) {
		db_rollback(d);
		return -1;
	}
	return 0;
}

enum totp_result totp_use(db *d, int64_t tenant_id, int64_t user_id, const char *code, int64_t now, bool *recovery)
{
	arena *a = arena_new();
	struct totp_state s;
	enum totp_result res = TOTP_ERROR;
	int64_t step;
	int rc = totp_get(d, a, tenant_id, user_id, &s);

	*recovery = false;
	if (rc != 0) {
		res = rc > 0 ? TOTP_NO_ENROLMENT : TOTP_ERROR;
		goto out;
	}
	if (!s.enabled) {
		res = TOTP_NO_ENROLMENT;
		goto out;
	}
	if (totp_looks_like_code(code)) {
		if (totp_check(s.secret, code, now, s.step, &step) != TOTP_OK) {
			res = TOTP_BAD_CODE;
			goto out;
		}
		/* Compare-and-set: two requests with one code, one wins. */
		rc = db_run(d, "UPDATE app_user SET totp_step = $3 WHERE tenant_id = $1 AND id = $2 AND totp_step < $3"
			       " RETURNING id", "iii", tenant_id, user_id, step);
		res = rc == DB_ROW ? TOTP_DONE : rc == DB_DONE ? TOTP_BAD_CODE : TOTP_ERROR;
		goto out;
	} else {
		char h[33];
		const char *kept;
		bool hit = false;
		db_stmt *st;
		buf rest = BUF_INIT;

		totp_recovery_hash(tenant_id, user_id, code, h);
		st = db_query(d, "SELECT totp_recovery FROM app_user WHERE tenant_id = $1 AND id = $2", "ii", tenant_id,
			      user_id);
		if (!st)
			goto out;
		rc = db_step(st);
		kept = rc == DB_ROW ? arena_strdup(a, db_col_text(st, 0)) : NULL;
		db_done(st);
		if (!kept)
			goto out;
		/* The kept hashes but the one matching, which goes. */
		for (const char *p = kept; *p;) {
			size_t n = strcspn(p, " ");
			if (!hit && n == 32 && sodium_memcmp(p, h, 32) == 0)
				hit = true;
			else if (n)
				buf_printf(&rest, "%s%.*s", rest.len ? " " : "", (int)n, p);
			p += n;
			p += strspn(p, " ");
		}
		if (!hit) {
			buf_release(&rest);
			res = TOTP_BAD_CODE;
			goto out;
		}
		rc = db_run(d, "UPDATE app_user SET totp_recovery = $3 WHERE tenant_id = $1 AND id = $2"
			       " AND totp_recovery = $4 RETURNING id", "iiss", tenant_id, user_id, rest.s ? rest.s : "", kept);
		buf_release(&rest);
		res = rc == DB_ROW ? TOTP_DONE : rc == DB_DONE ? TOTP_BAD_CODE : TOTP_ERROR;
		*recovery = res == TOTP_DONE;
	}
out:
	arena_free(a);
	return res;
}

static int audit_totp(db *d, const struct actor *by, const char *action, int64_t user_id, const char *before,
		      const char *after)
{
	return audit_record(d, by->tenant_id, by->name, action, "user", user_id, before, after, by->addr);
}

enum totp_result totp_enrol_confirm(db *d, const struct actor *by, int64_t user_id, const char *code,
				    struct totp_codes *codes)
{
	char hashes[TOTP_RECOVERY_COUNT * 33];
	enum totp_result res = TOTP_ERROR;
	struct totp_state s;
	int64_t step;
	arena *a = arena_new();
	int rc;

	if (db_begin(d, DB_WRITE) < 0)
		goto out;
	rc = totp_get(d, a, by->tenant_id, user_id, &s);
	if (rc != 0 || !*s.pending || s.enabled) {
		db_rollback(d);
		res = rc < 0 ? TOTP_ERROR : TOTP_NO_ENROLMENT;
		goto out;
	}
	if (totp_check(s.pending, code, (int64_t)time(NULL), 0, &step) != TOTP_OK) {
		db_rollback(d);
		res = TOTP_BAD_CODE;
		goto out;
	}
	recovery_new(by->tenant_id, user_id, codes, hashes);
	if (db_run(d, "UPDATE app_user SET totp_secret = totp_pending, totp_pending = NULL, totp_step = $3,"
		      " totp_recovery = $4 WHERE tenant_id = $1 AND id = $2", "iiis", by->tenant_id, user_id, step,
		   hashes) != DB_DONE ||
	    audit_totp(d, by, "totp.enrol", user_id, "{\"totp\":false}", "{\"totp\":true}") < 0 ||
	    db_commit(d) < 0) {
		db_rollback(d);
		sodium_memzero(codes, sizeof(*codes));
		goto out;
	}
	res = TOTP_DONE;
out:
	arena_free(a);
	return res;
}

enum totp_result totp_disable(db *d, const struct actor *by, int64_t user_id, const char *code)
{
	enum totp_result res;
	bool recovery;

	if (db_begin(d, DB_WRITE) < 0)
		return TOTP_ERROR;
	res = totp_use(d, by->tenant_id, user_id, code, (int64_t)time(NULL), &recovery);
	if (res != TOTP_DONE) {
		db_rollback(d);
		return res;
	}
	if (db_run(d, "UPDATE app_user SET totp_secret = NULL, totp_pending = NULL, totp_recovery = ''"
		      " WHERE tenant_id = $1 AND id = $2", "ii", by->tenant_id, user_id) != DB_DONE ||
	    audit_totp(d, by, "totp.disable", user_id, "{\"totp\":true}",
		       recovery ? "{\"totp\":false,\"recovery_code\":true}" : "{\"totp\":false}") < 0 ||
	    db_commit(d) < 0) {
		db_rollback(d);
		return TOTP_ERROR;
	}
	return TOTP_DONE;
}

enum totp_result totp_renew_codes(db *d, const struct actor *by, int64_t user_id, const char *code,
				  struct totp_codes *codes)
{
	char hashes[TOTP_RECOVERY_COUNT * 33];
	enum totp_result res;
	bool recovery;

	if (db_begin(d, DB_WRITE) < 0)
		return TOTP_ERROR;
	res = totp_use(d, by->tenant_id, user_id, code, (int64_t)time(NULL), &recovery);
	if (res == TOTP_DONE && recovery)
		res = TOTP_BAD_CODE; /* new codes for a code of the app only */
	if (res != TOTP_DONE) {
		db_rollback(d);
		return res;
	}
	recovery_new(by->tenant_id, user_id, codes, hashes);
	if (db_run(d, "UPDATE app_user SET totp_recovery = $3 WHERE tenant_id = $1 AND id = $2", "iis", by->tenant_id,
		   user_id, hashes) != DB_DONE ||
	    audit_totp(d, by, "totp.recovery_codes", user_id, NULL, "{\"recovery_codes\":10}") < 0 ||
	    db_commit(d) < 0) {
		db_rollback(d);
		sodium_memzero(codes, sizeof(*codes));
		return TOTP_ERROR;
	}
	return TOTP_DONE;
}

int totp_reset(db *d, const struct actor *by, int64_t user_id)
{
	int rc;

	if (db_begin(d, DB_WRITE) < 0)
		return -1;
	rc = db_run(d, "UPDATE app_user SET totp_secret = NULL, totp_pending = NULL, totp_recovery = ''"
		       " WHERE tenant_id = $1 AND id = $2 AND totp_secret IS NOT NULL RETURNING id", "ii", by->tenant_id,
		    user_id);
	if (rc == DB_DONE) {
		db_rollback(d);
		return 1;
	}
	if (rc != DB_ROW ||
	    audit_totp(d, by, "totp.disable", user_id, "{\"totp\":true}", "{\"totp\":false,\"reset\":true}") < 0 ||
	    db_commit(d) < 0) {
		db_rollback(d);
		return -1;
	}
	return 0;
}
