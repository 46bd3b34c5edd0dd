/* sessions.c - "my sessions" (ASVS 3.3.4): a user's live sessions and
 * ending any of them (session.h). A session is named by the start of its
 * token's hash, never by its token. */
#include "domain/session.h"

#include <stdio.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/password.h"

#define LIST_MAX 100

bool session_handle_ok(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");

	return n == SESSION_HANDLE_LEN && !s[n];
}

int session_list(db *d, arena *a, int64_t tenant_id, int64_t user_id, const char *current_token, int64_t now,
		 struct session_row **out, int *n)
{
	char th[TOKEN_HASH_HEX + 1] = "";
	db_stmt *st;
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (current_token && *current_token)
		token_hash(current_token, th);
	st = db_query(d, "SELECT token_hash, created_at, seen_at, client_addr, user_agent FROM user_session"
			 " WHERE tenant_id = $1 AND user_id = $2 AND seen_at > $3 AND created_at > $4"
			 " ORDER BY seen_at DESC, token_hash LIMIT $5",
		      "iiiii", tenant_id, user_id, now - SESSION_IDLE, now - SESSION_MAX, (int64_t)LIST_MAX);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct session_row *s = ARENA_PUSH(a, *out, *n, cap);
		const char *hash = db_col_text(st, 0);
		memset(s, 0, sizeof(*s));
		memcpy(s->handle, hash, SESSION_HANDLE_LEN);
		s->current = !strcmp(hash, th);
		s->created_at = db_col_int(st, 1);
		s->seen_at = db_col_int(st, 2);
		s->addr = arena_strdup(a, db_col_text(st, 3));
		s->user_agent = arena_strdup(a, db_col_text(st, 4));
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* The sessions session_end() ends: user $2's of tenant $1, all but the
 * one whose hash is $3 (OTHERS), or the one whose hash starts with $3. */
#define OTHERS " WHERE tenant_id = $1 AND user_id = $2 AND token_hash <> $3"
#define ONE " WHERE tenant_id = $1 AND user_id = $2 AND substr(token_hash, 1, 16) = $3"

int session_end(db *d, const struct actor *by, int64_t user_id, const char *handle, const char *current_token)
{
	char th[TOKEN_HASH_HEX + 1] = "", after[80];
	bool others = !strcmp(handle, "others");
	const char *key = others ? th : handle;
	int64_t n = 0;
	db_stmt *st;

	if (current_token && *current_token)
		token_hash(current_token, th);
	if (db_begin(d, DB_WRITE) < 0)
		return -1;
	st = db_query(d, others ? "SELECT count(*) FROM user_session" OTHERS : "SELECT count(*) FROM user_session" ONE, "iis",
		      by->tenant_id, user_id, key);
	if (!st)
		goto fail;
	if (db_step(st) == DB_ROW)
		n = db_col_int(st, 0);
	db_done(st);
	if (!n) {
		db_rollback(d);
		return 0;
	}
	snprintf(after, sizeof(after), "{\"ended\":%lld,\"session\":\"%s\"}", (long long)n, others ? "others" : handle);
	if (db_run(d, others ? "DELETE FROM user_session" OTHERS : "DELETE FROM user_session" ONE, "iis", by->tenant_id,
		   user_id, key) < 0 ||
	    audit_record(d, by->tenant_id, by->name, "session.end", "user", user_id, NULL, after, by->addr) < 0 ||
	    db_commit(d) < 0)
		goto fail;
	return (int)n;
fail:
	db_rollback(d);
	return -1;
}
