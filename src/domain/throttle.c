/* throttle.c - failed log-in counts and the delays they impose. */
#include "domain/throttle.h"

static const char window_sql[] =
	"SELECT count(*), coalesce(max(at), 0) FROM login_failure"
	" WHERE tenant_id = $1 AND kind = $2 AND subject = $3 AND at > CAST($4 AS BIGINT)";

/* The lock lasts until the THROTTLE_LOCK-th latest failure leaves the hour. */
static const char lock_sql[] =
	"SELECT at FROM login_failure"
	" WHERE tenant_id = $1 AND kind = 'login' AND subject = $2 AND at > CAST($3 AS BIGINT)"
	" ORDER BY at DESC LIMIT 1 OFFSET $4";

static int window(db *d, int64_t tenant_id, const char *kind, const char *subject, int64_t since,
		  int64_t *count, int64_t *last)
{
	db_stmt *st = db_prepare(d, window_sql);
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, subject);
	db_bind_int(st, 4, since);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*count = db_col_int(st, 0);
		*last = db_col_int(st, 1);
	}
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

/* Seconds still to wait after count failures, the latest at last. */
static int64_t delay_left(int64_t count, int64_t free, int64_t last, int64_t now)
{
	int64_t over, wait;

	if (count < free)
		return 0;
	over = count - free;
	wait = over >= 4 ? THROTTLE_WINDOW : (int64_t)60 << over;
	return last + wait > now ? last + wait - now : 0;
}

int throttle_check(db *d, int64_t tenant_id, const char *login, const char *addr, int64_t now,
		   int64_t *wait_s)
{
	int64_t n, last, w_login, w_addr;
	db_stmt *st;
	int rc;

	*wait_s = 0;
	st = db_prepare(d, lock_sql);
	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_text(st, 2, login);
	db_bind_int(st, 3, now - THROTTLE_LOCK_WINDOW);
	db_bind_int(st, 4, THROTTLE_LOCK - 1);
	rc = db_step(st);
	if (rc == DB_ROW)
		*wait_s = db_col_int(st, 0) + THROTTLE_LOCK_WINDOW - now;
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	if (rc == DB_ROW && *wait_s > 0)
		return THROTTLE_LOCKED;
	*wait_s = 0;

	if (window(d, tenant_id, "login", login, now - THROTTLE_WINDOW, &n, &last) < 0)
		return -1;
	w_login = delay_left(n, THROTTLE_FREE_LOGIN, last, now);
	if (window(d, tenant_id, "addr", addr, now - THROTTLE_WINDOW, &n, &last) < 0)
		return -1;
	w_addr = delay_left(n, THROTTLE_FREE_ADDR, last, now);
	*wait_s = w_login > w_addr ? w_login : w_addr;
	return *wait_s > 0 ? THROTTLE_DELAYED : THROTTLE_PASS;
}

static int insert(db *d, int64_t tenant_id, const char *kind, const char *subject, int64_t now)
{
	db_stmt *st = db_prepare(d, "INSERT INTO login_failure (tenant_id, kind, subject, at) VALUES ($1, $2, $3, $4)");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, subject);
	db_bind_int(st, 4, now);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	st = db_prepare(d, "DELETE FROM login_failure WHERE tenant_id = $1 AND kind = $2 AND subject = $3"
			   " AND at <= CAST($4 AS BIGINT)");
	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, subject);
	db_bind_int(st, 4, now - THROTTLE_LOCK_WINDOW);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int throttle_fail(db *d, int64_t tenant_id, const char *login, const char *addr, int64_t now)
{
	if (insert(d, tenant_id, "login", login, now) < 0)
		return -1;
	return insert(d, tenant_id, "addr", addr, now);
}

int throttle_clear(db *d, int64_t tenant_id, const char *login)
{
	db_stmt *st = db_prepare(d, "DELETE FROM login_failure WHERE tenant_id = $1 AND kind = 'login' AND subject = $2");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_text(st, 2, login);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}
