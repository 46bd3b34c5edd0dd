/* session.c - log-in (throttled, audited), cookie sessions and API tokens. */
#include "domain/session.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/throttle.h"
#include "domain/totp.h"
#include "domain/user.h"
#include "util/log.h"

/* Columns 7 and 8: whether the user has TOTP, and whether the tenant
 * requires it of admins and unit liaisons. */
#define PRINCIPAL_COLS \
	"u.id, u.login, coalesce(u.person_id, 0), coalesce(u.unit_id, 0), u.must_change, u.disabled, " ROLE_BITS_SQL \
	", CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END," \
	" (SELECT tn.require_totp FROM tenant tn WHERE tn.id = u.tenant_id)"

static const char session_sql[] =
	"SELECT " PRINCIPAL_COLS ", s.csrf, s.created_at, s.seen_at, s.auth_at FROM user_session s"
	" JOIN app_user u ON u.tenant_id = s.tenant_id AND u.id = s.user_id"
	" WHERE s.tenant_id = $1 AND s.token_hash = $2";

static const char token_sql[] =
	"SELECT " PRINCIPAL_COLS ", t.id, coalesce(t.used_at, 0) FROM api_token t"
	" JOIN app_user u ON u.tenant_id = t.tenant_id AND u.id = t.user_id"
	" WHERE t.tenant_id = $1 AND t.token_hash = $2 AND t.revoked_at IS NULL";

static const char user_sql[] =
	"SELECT " PRINCIPAL_COLS " FROM app_user u WHERE u.tenant_id = $1 AND u.id = $2";

/* Columns 0-8 of PRINCIPAL_COLS into who; false when the user is disabled. */
static bool fill_principal(arena *a, db_stmt *st, int64_t tenant_id, enum auth_via via, struct principal *who)
{
	memset(who, 0, sizeof(*who));
	who->tenant_id = tenant_id;
	who->user_id = db_col_int(st, 0);
	who->login = arena_strdup(a, db_col_text(st, 1));
	who->person_id = db_col_int(st, 2);
	who->unit_id = db_col_int(st, 3);
	who->must_change = db_col_int(st, 4) != 0;
	who->roles = (unsigned)db_col_int(st, 6);
	who->via = via;
	who->totp = db_col_int(st, 7) != 0;
	who->totp_required = !who->totp && db_col_int(st, 8) != 0 && (who->roles & (ROLE_ADMIN | ROLE_UNIT_ADMIN));
	return db_col_int(st, 5) == 0;
}

static int exec_text(db *d, const char *sql, int64_t tenant_id, const char *text)
{
	db_stmt *st = db_prepare(d, sql);
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_text(st, 2, text);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static char *login_json(const char *login, const char *reason)
{
	json_t *o = json_pack("{s:s, s:s}", "login", login, "reason", reason);
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);

	json_decref(o);
	return s;
}

/* Settle a reserved attempt in a write transaction of its own, with the
 * audit entry of a failure (reason not NULL: actor's action on user_id). */
static int settle(db *d, const struct attempt *at, enum attempt_end how, const char *actor, const char *action,
		  int64_t user_id, const char *reason)
{
	char *detail = reason ? login_json(at->login, reason) : NULL;
	int rc = -1;

	if (db_begin(d, DB_WRITE) == 0 && throttle_settle(d, at, how) == 0 &&
	    (!reason || audit_record_outcome(d, at->tenant_id, actor, action, "user", user_id, NULL, detail,
					     at->addr, AUDIT_FAILED) == 0) &&
	    db_commit(d) == 0)
		rc = 0;
	if (rc < 0) {
		log_error("session: cannot settle a log-in attempt: %s", db_errmsg(d));
		db_rollback(d);
	}
	free(detail);
	return rc;
}

/* An attempt whose password was never checked no longer counts. */
static int release(db *d, const struct attempt *at)
{
	return settle(d, at, ATTEMPT_VOID, NULL, NULL, 0, NULL);
}

/* A User-Agent as kept: printable ASCII (anything else as '?'), cut to
 * n - 1 bytes. */
static void agent_clean(char *out, size_t n, const char *s)
{
	size_t i = 0;

	for (; s[i] && i + 1 < n; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[i] = 0;
}

static int insert_session(db *d, const struct attempt *at, int64_t user_id, const char *th, const char *csrf,
			  const char *agent)
{
	db_stmt *st = db_prepare(d, "INSERT INTO user_session (tenant_id, token_hash, user_id, csrf, created_at, seen_at,"
				    " client_addr, user_agent, auth_at) VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $5)");
	char ua[SESSION_AGENT_MAX + 1];
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, at->tenant_id);
	db_bind_text(st, 2, th);
	db_bind_int(st, 3, user_id);
	db_bind_text(st, 4, csrf);
	db_bind_int(st, 5, at->now);
	db_bind_text(st, 6, at->addr);
	agent_clean(ua, sizeof(ua), agent ? agent : "");
	db_bind_text(st, 7, ua);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Expired sessions of the tenant go at each log-in: nothing else removes them. */
static int drop_expired(db *d, int64_t tenant_id, int64_t now)
{
	db_stmt *st = db_prepare(d, "DELETE FROM user_session WHERE tenant_id = $1 AND (seen_at < $2 OR created_at < $3)");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, now - SESSION_IDLE);
	db_bind_int(st, 3, now - SESSION_MAX);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* A hash made at a lower cost is replaced, unless it changed meanwhile. */
static int store_rehash(db *d, int64_t tenant_id, int64_t user_id, const char *old_hash, const char *new_hash)
{
	db_stmt *st = db_prepare(d, "UPDATE app_user SET password_hash = $3 WHERE tenant_id = $1 AND id = $2"
				    " AND password_hash = $4");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, new_hash);
	db_bind_text(st, 4, old_hash);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* After a correct password (and, with pending_hash, the second step's
 * code): the new session, the settled attempt and the audit entry in one
 * transaction; out->who filled. With pending_hash the code in->password
 * is checked and used up first, and the pending log-in ends: taken in the
 * write transaction, so of two second steps at once one wins and a reset
 * or an expiry in between is seen. 0, 1 the code is wrong (nothing
 * written), 2 the pending log-in is gone or spent, or -1. */
static int start_session(db *d, arena *a, const struct login_request *in, const struct attempt *at,
			 int64_t user_id, const char *hash, const char *new_hash, const char *pending_hash,
			 struct login_result *out)
{
	char th[TOKEN_HASH_HEX + 1], oh[TOKEN_HASH_HEX + 1];
	unsigned char key[DEVICE_KEY_BYTES];
	const char *detail = *new_hash ? "{\"rehashed\":true}" : NULL;
	bool recovery = false;
	db_stmt *st;
	int rc;

	token_random(out->token);
	token_random(out->csrf);
	token_hash(out->token, th);
	if (db_begin(d, DB_WRITE) < 0)
		return -1;
	if (pending_hash) {
		rc = db_run(d, "DELETE FROM login_pending WHERE tenant_id = $1 AND token_hash = $2 AND user_id = $3"
			       " AND tries < $4 AND created_at >= $5 RETURNING user_id", "isiii", at->tenant_id, pending_hash,
			    user_id, (int64_t)LOGIN_PENDING_TRIES, at->now - LOGIN_PENDING_MAX);
		if (rc != DB_ROW) {
			db_rollback(d);
			sodium_memzero(out->token, sizeof(out->token));
			return rc == DB_DONE ? 2 : -1;
		}
		enum totp_result tr = totp_use(d, at->tenant_id, user_id, in->password, at->now, &recovery);
		if (tr == TOTP_BAD_CODE || tr == TOTP_NO_ENROLMENT) {
			db_rollback(d);
			sodium_memzero(out->token, sizeof(out->token));
			return 1;
		}
		if (tr != TOTP_DONE)
			goto fail;
		detail = recovery ? "{\"second_factor\":\"recovery_code\"}" : "{\"second_factor\":\"totp\"}";
		if (recovery && audit_record(d, at->tenant_id, at->login, "totp.recover", "user", user_id, NULL,
					     "{\"recovery_code\":\"used\"}", at->addr) < 0)
			goto fail;
	}
	if (insert_session(d, at, user_id, th, out->csrf, in->user_agent) < 0)
		goto fail;
	if (in->old_token && *in->old_token) {
		token_hash(in->old_token, oh);
		if (exec_text(d, "DELETE FROM user_session WHERE tenant_id = $1 AND token_hash = $2", at->tenant_id, oh) < 0)
			goto fail;
	}
	if (device_key(d, at->tenant_id, true, key) < 0)
		goto fail;
	device_issue(key, at->tenant_id, at->login, at->now, out->device);
	sodium_memzero(key, sizeof(key));
	if (drop_expired(d, at->tenant_id, at->now) < 0 ||
	    (*new_hash && store_rehash(d, at->tenant_id, user_id, hash, new_hash) < 0) ||
	    throttle_settle(d, at, ATTEMPT_OK) < 0 ||
	    audit_record(d, at->tenant_id, at->login, "session.create", "user", user_id, NULL, detail, at->addr) < 0)
		goto fail;
	st = db_prepare(d, user_sql);
	if (!st)
		goto fail;
	db_bind_int(st, 1, at->tenant_id);
	db_bind_int(st, 2, user_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		fill_principal(a, st, at->tenant_id, VIA_COOKIE, &out->who);
	db_done(st);
	if (rc != DB_ROW || db_commit(d) < 0)
		goto fail;
	out->who.auth_at = at->now;
	return 0;
fail:
	db_rollback(d);
	sodium_memzero(out->token, sizeof(out->token));
	sodium_memzero(out->device, sizeof(out->device));
	return -1;
}

/* A correct password of a user with TOTP: no session yet, but a pending
 * log-in whose token (out->token) the second step shows with the code;
 * the password attempt settles as a success. 0 or -1. */
static int start_pending(db *d, const struct attempt *at, int64_t user_id, const char *hash, const char *new_hash,
			 struct login_result *out)
{
	char th[TOKEN_HASH_HEX + 1];

	token_random(out->token);
	token_hash(out->token, th);
	if (db_begin(d, DB_WRITE) < 0)
		return -1;
	if (db_run(d, "DELETE FROM login_pending WHERE tenant_id = $1 AND created_at < $2", "ii", at->tenant_id,
		   at->now - LOGIN_PENDING_MAX) != DB_DONE ||
	    db_run(d, "INSERT INTO login_pending (tenant_id, token_hash, user_id, created_at) VALUES ($1, $2, $3, $4)",
		   "isii", at->tenant_id, th, user_id, at->now) != DB_DONE ||
	    (*new_hash && store_rehash(d, at->tenant_id, user_id, hash, new_hash) < 0) ||
	    throttle_settle(d, at, ATTEMPT_OK) < 0 || db_commit(d) < 0) {
		db_rollback(d);
		sodium_memzero(out->token, sizeof(out->token));
		return -1;
	}
	return 0;
}

/* The id of in->device when it is a valid device cookie for login: the
 * attempt's client is then trusted. "" otherwise (a store error too: the
 * client is merely counted as untrusted). */
static const char *trusted_device(db *d, const struct login_request *in, const char *login, int64_t now,
				  char id[DEVICE_ID_HEX + 1])
{
	unsigned char key[DEVICE_KEY_BYTES];
	bool ok;

	id[0] = '\0';
	if (!in->device || device_key(d, in->tenant_id, false, key) != 0)
		return id;
	ok = device_check(key, in->tenant_id, login, in->device, now, id);
	sodium_memzero(key, sizeof(key));
	return ok ? id : "";
}

void session_login(db *d, arena *a, const struct login_request *in, struct login_result *out)
{
	struct attempt at = { in->tenant_id, user_fold_login(a, in->login), in->addr, "", (int64_t)time(NULL), 0 };
	int64_t user_id = 0;
	const char *hash = NULL;
	bool disabled = false, known;
	char new_hash[PW_HASH_MAX], dev[DEVICE_ID_HEX + 1];
	int64_t second = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	at.device = trusted_device(d, in, at.login, at.now, dev);
	out->status = LOGIN_ERROR;
	rc = throttle_reserve(d, &at, in->ok_per_addr, &out->wait_s);
	if (rc != THROTTLE_PASS) {
		out->throttle = rc;
		out->status = rc < 0 ? LOGIN_ERROR : LOGIN_THROTTLED;
		return;
	}
	rc = user_login_problem(at.login) ? 1 : user_credentials(d, a, at.tenant_id, at.login, &user_id, &hash, &disabled);
	if (rc < 0) {
		release(d, &at);
		return;
	}
	known = rc == 0;
	/* The password check costs the same whether or not the login exists. */
	rc = known ? pw_verify(hash, in->password) : pw_verify_dummy(in->password);
	if (rc == PW_BUSY) {
		if (release(d, &at) == 0)
			out->status = LOGIN_BUSY;
		return;
	}
	if (!known || rc != PW_OK || disabled) {
		if (settle(d, &at, ATTEMPT_FAILED, "anonymous", "session.create", user_id,
			   !known ? "unknown" : rc != PW_OK ? "password" : "disabled") == 0)
			out->status = LOGIN_BAD;
		return;
	}
	/* Rehash when the cost setting has risen since this hash was made. */
	new_hash[0] = '\0';
	if (pw_needs_upgrade(hash) && pw_hash(in->password, new_hash) != PW_OK)
		new_hash[0] = '\0';
	rc = db_scalar(d, "SELECT CASE WHEN totp_secret IS NULL THEN 0 ELSE 1 END FROM app_user"
			  " WHERE tenant_id = $1 AND id = $2", &second, 2, at.tenant_id, user_id);
	if (rc == 0 && second)
		rc = start_pending(d, &at, user_id, hash, new_hash, out);
	else if (rc == 0)
		rc = start_session(d, a, in, &at, user_id, hash, new_hash, NULL, out);
	if (rc == 0)
		out->status = second ? LOGIN_TOTP : LOGIN_OK;
	else
		release(d, &at);
	sodium_memzero(new_hash, sizeof(new_hash));
}

void session_login_totp(db *d, arena *a, const struct login_request *in, struct login_result *out)
{
	struct attempt at = { in->tenant_id, "", in->addr, "", (int64_t)time(NULL), 0 };
	char ph[TOKEN_HASH_HEX + 1], dev[DEVICE_ID_HEX + 1];
	int64_t user_id = 0, created = 0, tries = 0, disabled = 1;
	db_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	out->status = LOGIN_ERROR;
	if (!in->pending || strlen(in->pending) != TOKEN_CHARS) {
		out->status = LOGIN_EXPIRED;
		return;
	}
	token_hash(in->pending, ph);
	st = db_query(d, "SELECT p.user_id, p.created_at, p.tries, u.login, u.disabled FROM login_pending p"
			 " JOIN app_user u ON u.tenant_id = p.tenant_id AND u.id = p.user_id"
			 " WHERE p.tenant_id = $1 AND p.token_hash = $2", "is", in->tenant_id, ph);
	if (!st)
		return;
	rc = db_step(st);
	if (rc == DB_ROW) {
		user_id = db_col_int(st, 0);
		created = db_col_int(st, 1);
		tries = db_col_int(st, 2);
		at.login = arena_strdup(a, db_col_text(st, 3));
		disabled = db_col_int(st, 4);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return;
	if (rc != DB_ROW || disabled || at.now - created > LOGIN_PENDING_MAX || tries >= LOGIN_PENDING_TRIES) {
		if (rc == DB_ROW && exec_text(d, "DELETE FROM login_pending WHERE tenant_id = $1 AND token_hash = $2",
					      in->tenant_id, ph) < 0)
			return;
		out->status = LOGIN_EXPIRED;
		return;
	}
	at.device = trusted_device(d, in, at.login, at.now, dev);
	out->who.login = at.login;
	rc = throttle_reserve(d, &at, in->ok_per_addr, &out->wait_s);
	if (rc != THROTTLE_PASS) {
		out->throttle = rc;
		out->status = rc < 0 ? LOGIN_ERROR : LOGIN_THROTTLED;
		return;
	}
	rc = start_session(d, a, in, &at, user_id, "", "", ph, out);
	if (rc == 0) {
		out->status = LOGIN_OK;
		return;
	}
	if (rc < 0 || rc == 2) {
		release(d, &at);
		if (rc == 2)
			out->status = LOGIN_EXPIRED;
		return;
	}
	if (settle(d, &at, ATTEMPT_FAILED, "anonymous", "session.create", user_id, "totp") == 0 &&
	    db_run(d, "UPDATE login_pending SET tries = tries + 1 WHERE tenant_id = $1 AND token_hash = $2", "is",
		   in->tenant_id, ph) == DB_DONE)
		out->status = LOGIN_BAD;
}

int session_fresh_auth(db *d, const struct actor *by, int64_t user_id, const char *token)
{
	char th[TOKEN_HASH_HEX + 1];

	token_hash(token, th);
	if (db_begin(d, DB_WRITE) < 0)
		return -1;
	if (db_run(d, "UPDATE user_session SET auth_at = $4 WHERE tenant_id = $1 AND token_hash = $2 AND user_id = $3",
		   "isii", by->tenant_id, th, user_id, (int64_t)time(NULL)) != DB_DONE ||
	    audit_record(d, by->tenant_id, by->name, "session.reauth", "user", user_id, NULL, NULL, by->addr) < 0 ||
	    db_commit(d) < 0) {
		db_rollback(d);
		return -1;
	}
	return 0;
}

enum login_status session_reauth(db *d, arena *a, const struct actor *by, int64_t user_id,
				 const char *password, const char *action, int ok_per_addr, int *verdict,
				 int64_t *wait_s)
{
	struct attempt at = { by->tenant_id, by->name, by->addr, "", (int64_t)time(NULL), 0 };
	const char *hash;
	int64_t id;
	bool disabled;
	int rc;

	rc = throttle_reserve(d, &at, ok_per_addr, wait_s);
	*verdict = rc;
	if (rc != THROTTLE_PASS)
		return rc < 0 ? LOGIN_ERROR : LOGIN_THROTTLED;
	rc = user_credentials(d, a, by->tenant_id, by->name, &id, &hash, &disabled);
	rc = rc != 0 || id != user_id ? PW_ERROR : pw_verify(hash, password);
	if (rc == PW_OK || rc == PW_MISMATCH) {
		if (settle(d, &at, rc == PW_OK ? ATTEMPT_OK : ATTEMPT_FAILED, by->name, action, user_id,
			   rc == PW_OK ? NULL : "password") < 0)
			return LOGIN_ERROR;
		return rc == PW_OK ? LOGIN_OK : LOGIN_BAD;
	}
	release(d, &at);
	return rc == PW_BUSY ? LOGIN_BUSY : LOGIN_ERROR;
}

int session_lookup(db *d, arena *a, int64_t tenant_id, const char *token, int64_t now,
		   struct principal *who, const char **csrf)
{
	char th[TOKEN_HASH_HEX + 1];
	int64_t created, seen;
	bool live;
	db_stmt *st;
	int rc;

	if (strlen(token) != TOKEN_CHARS)
		return 1;
	token_hash(token, th);
	st = db_prepare(d, session_sql);
	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_text(st, 2, th);
	rc = db_step(st);
	if (rc == DB_ROW) {
		live = fill_principal(a, st, tenant_id, VIA_COOKIE, who);
		*csrf = arena_strdup(a, db_col_text(st, 9));
		created = db_col_int(st, 10);
		seen = db_col_int(st, 11);
		who->auth_at = db_col_int(st, 12);
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	if (now - seen > SESSION_IDLE || now - created > SESSION_MAX) {
		/* Expired: gone on the server, whatever the browser still holds. */
		if (exec_text(d, "DELETE FROM user_session WHERE tenant_id = $1 AND token_hash = $2", tenant_id, th) < 0)
			return -1;
		memset(who, 0, sizeof(*who));
		return 1;
	}
	if (!live) {
		memset(who, 0, sizeof(*who));
		return 1;
	}
	if (now - seen >= SESSION_TOUCH) {
		st = db_prepare(d, "UPDATE user_session SET seen_at = $3 WHERE tenant_id = $1 AND token_hash = $2");
		if (!st)
			return -1;
		db_bind_int(st, 1, tenant_id);
		db_bind_text(st, 2, th);
		db_bind_int(st, 3, now);
		rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			return -1;
	}
	return 0;
}

int session_logout(db *d, const struct actor *by, const char *token)
{
	char th[TOKEN_HASH_HEX + 1];
	int64_t uid = 0;
	db_stmt *st;
	int rc;

	token_hash(token, th);
	if (db_begin(d, DB_WRITE) < 0)
		return -1;
	st = db_prepare(d, "SELECT user_id FROM user_session WHERE tenant_id = $1 AND token_hash = $2");
	if (!st)
		goto fail;
	db_bind_int(st, 1, by->tenant_id);
	db_bind_text(st, 2, th);
	rc = db_step(st);
	if (rc == DB_ROW)
		uid = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_ERROR ||
	    exec_text(d, "DELETE FROM user_session WHERE tenant_id = $1 AND token_hash = $2", by->tenant_id, th) < 0 ||
	    audit_record(d, by->tenant_id, by->name, "session.delete", "user", uid, NULL, NULL, by->addr) < 0 ||
	    db_commit(d) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(d);
	return -1;
}

/* ---- API tokens ---- */

int apitoken_create(db *d, const struct actor *by, int64_t user_id, const char *name,
		    char out[APITOKEN_CHARS + 1], int64_t *id)
{
	char raw[TOKEN_CHARS + 1], th[TOKEN_HASH_HEX + 1];
	json_t *after;
	char *aj;
	db_stmt *st;
	int rc;

	token_random(raw);
	memcpy(out, APITOKEN_PREFIX, 3);
	memcpy(out + 3, raw, TOKEN_CHARS + 1);
	sodium_memzero(raw, sizeof(raw));
	token_hash(out, th);
	if (db_begin(d, DB_WRITE) < 0)
		return -1;
	*id = db_next_id(d, by->tenant_id, "api_token");
	if (*id < 0)
		goto fail;
	st = db_prepare(d, "INSERT INTO api_token (tenant_id, id, user_id, token_hash, name, created_at)"
			   " VALUES ($1, $2, $3, $4, $5, $6)");
	if (!st)
		goto fail;
	db_bind_int(st, 1, by->tenant_id);
	db_bind_int(st, 2, *id);
	db_bind_int(st, 3, user_id);
	db_bind_text(st, 4, th);
	db_bind_text(st, 5, name);
	db_bind_int(st, 6, (int64_t)time(NULL));
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		goto fail;
	after = json_pack("{s:I, s:s}", "user_id", (json_int_t)user_id, "name", name);
	aj = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(after);
	rc = audit_record(d, by->tenant_id, by->name, "token.create", "api_token", *id, NULL, aj, by->addr);
	free(aj);
	if (rc < 0 || db_commit(d) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(d);
	sodium_memzero(out, APITOKEN_CHARS + 1);
	return -1;
}

int apitoken_lookup(db *d, arena *a, int64_t tenant_id, const char *token, int64_t now, struct principal *who)
{
	char th[TOKEN_HASH_HEX + 1];
	int64_t tid = 0, used = 0;
	bool live = false;
	db_stmt *st;
	int rc;

	if (strlen(token) != APITOKEN_CHARS || strncmp(token, APITOKEN_PREFIX, 3))
		return 1;
	token_hash(token, th);
	st = db_prepare(d, token_sql);
	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_text(st, 2, th);
	rc = db_step(st);
	if (rc == DB_ROW) {
		live = fill_principal(a, st, tenant_id, VIA_TOKEN, who);
		tid = db_col_int(st, 9);
		used = db_col_int(st, 10);
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	if (!live) {
		memset(who, 0, sizeof(*who));
		return 1;
	}
	who->token_id = tid;
	if (now - used >= SESSION_TOUCH) {
		st = db_prepare(d, "UPDATE api_token SET used_at = $3 WHERE tenant_id = $1 AND id = $2");
		if (!st)
			return -1;
		db_bind_int(st, 1, tenant_id);
		db_bind_int(st, 2, tid);
		db_bind_int(st, 3, now);
		rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			return -1;
	}
	return 0;
}

static const char token_cols[] =
	"SELECT t.id, t.user_id, t.created_at, coalesce(t.used_at, 0), coalesce(t.revoked_at, 0), t.name, u.login,"
	" coalesce(u.unit_id, 0)"
	" FROM api_token t JOIN app_user u ON u.tenant_id = t.tenant_id AND u.id = t.user_id"
	" WHERE t.tenant_id = $1 AND t.id = $2";
static const char tokens_sql[] =
	"SELECT t.id, t.user_id, t.created_at, coalesce(t.used_at, 0), coalesce(t.revoked_at, 0), t.name, u.login,"
	" coalesce(u.unit_id, 0)"
	" FROM api_token t JOIN app_user u ON u.tenant_id = t.tenant_id AND u.id = t.user_id"
	" WHERE t.tenant_id = $1 AND (CAST($2 AS BIGINT) = 0 OR t.user_id = CAST($2 AS BIGINT))"
	" ORDER BY t.id DESC LIMIT 200";

static void fill_token(arena *a, db_stmt *st, struct apitoken *t)
{
	t->id = db_col_int(st, 0);
	t->user_id = db_col_int(st, 1);
	t->created_at = db_col_int(st, 2);
	t->used_at = db_col_int(st, 3);
	t->revoked_at = db_col_int(st, 4);
	t->name = arena_strdup(a, db_col_text(st, 5));
	t->login = arena_strdup(a, db_col_text(st, 6));
	t->unit_id = db_col_int(st, 7);
}

int apitoken_get(db *d, arena *a, int64_t tenant_id, int64_t id, struct apitoken *out)
{
	db_stmt *st = db_prepare(d, token_cols);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		fill_token(a, st, out);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int apitoken_list(db *d, arena *a, int64_t tenant_id, int64_t user_id, struct apitoken **out, int *n)
{
	db_stmt *st = db_prepare(d, tokens_sql);
	int rc;

	*n = 0;
	*out = arena_alloc(a, 200 * sizeof(**out));
	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, user_id);
	while ((rc = db_step(st)) == DB_ROW && *n < 200)
		fill_token(a, st, &(*out)[(*n)++]);
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* May who revoke the tokens of user owner? Inside the transaction. 0 yes,
 * 2 no, -1 error. */
static int may_revoke(db *d, const struct principal *who, int64_t owner)
{
	struct user u;
	arena *a;
	int rc;

	if (owner == who->user_id)
		return 0;
	a = arena_new();
	rc = user_get(d, a, who->tenant_id, owner, &u);
	if (rc == 0)
		rc = user_may_manage(who, &u) ? 0 : 2;
	arena_free(a);
	return rc < 0 ? -1 : rc;
}

int apitoken_revoke(db *d, const struct principal *who, const struct actor *by, int64_t id)
{
	int64_t now = (int64_t)time(NULL), owner;
	db_stmt *st;
	int rc;

	if (db_begin(d, DB_WRITE) < 0)
		return -1;
	rc = db_scalar(d, "SELECT user_id FROM api_token WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL",
		       &owner, 2, by->tenant_id, id);
	if (rc == 0)
		rc = may_revoke(d, who, owner);
	if (rc < 0)
		goto fail;
	if (rc > 0) {
		db_rollback(d);
		return rc;
	}
	st = db_prepare(d, "UPDATE api_token SET revoked_at = $3 WHERE tenant_id = $1 AND id = $2");
	if (!st)
		goto fail;
	db_bind_int(st, 1, by->tenant_id);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, now);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE ||
	    audit_record(d, by->tenant_id, by->name, "token.revoke", "api_token", id, "{\"revoked\":false}",
			 "{\"revoked\":true}", by->addr) < 0 ||
	    db_commit(d) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(d);
	return -1;
}

int principal_of_user(db *d, arena *a, int64_t tenant_id, int64_t user_id, struct principal *who)
{
	db_stmt *st = db_prepare(d, user_sql);
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, user_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		fill_principal(a, st, tenant_id, VIA_CLI, who);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int session_count_live(db *d, int64_t now, int64_t *n)
{
	*n = 0;
	return db_scalar(d, "SELECT count(*) FROM user_session WHERE seen_at > $1 AND created_at > $2", n, 2,
			 now - SESSION_IDLE, now - SESSION_MAX) < 0 ? -1 : 0;
}
