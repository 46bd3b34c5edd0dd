/* throttle.c - log-in attempts: the limits, their reservation and settling. */
#include "domain/throttle.h"

/* Every rule counts login_attempt rows of one subject: $1 tenant, $2 the
 * start of the rule's window, $3 the start of the delays' window (counts)
 * or the offset of the row wanted (nth), $4 and $5 the subject. */
#define COUNTS "SELECT count(*), coalesce(sum(CASE WHEN at > CAST($3 AS BIGINT) THEN 1 ELSE 0 END), 0)," \
	" coalesce(max(at), 0) FROM login_attempt WHERE tenant_id = $1 AND at > CAST($2 AS BIGINT) AND "
#define NTH "SELECT at FROM login_attempt WHERE tenant_id = $1 AND at > CAST($2 AS BIGINT) AND "
#define NTH_END " ORDER BY at DESC LIMIT 1 OFFSET $3"

#define PAIR "login = $4 AND addr = $5 AND device = '' AND state IN ('pending', 'failed')"
#define ADDR "addr = $4 AND device = '' AND state IN ('pending', 'failed', 'forgiven')"
#define ACCOUNT "login = $4 AND state IN ('pending', 'failed', 'forgiven')"
#define DEVICE "device = $4 AND state IN ('pending', 'failed')"
#define CHECKS "addr = $4 AND state IN ('pending', 'ok')"

enum subject { S_PAIR, S_ADDR, S_LOGIN, S_DEVICE };

struct rule {
	const char *counts_sql, *nth_sql;
	enum subject subject;
	int64_t delay_after;  /* rows within THROTTLE_WINDOW before delays; 0: none */
	int64_t lock_after;   /* rows within window that lock; 0: none (or given at run time) */
	int64_t window;
	int verdict;          /* what a lock is called */
};

static const struct rule untrusted_rules[] = {
	{ COUNTS PAIR, NTH PAIR NTH_END, S_PAIR, THROTTLE_FREE, THROTTLE_LOCK, THROTTLE_LOCK_WINDOW, THROTTLE_LOCKED },
	{ COUNTS ADDR, NULL, S_ADDR, THROTTLE_FREE_ADDR, 0, THROTTLE_LOCK_WINDOW, THROTTLE_LOCKED },
	{ COUNTS ACCOUNT, NTH ACCOUNT NTH_END, S_LOGIN, 0, THROTTLE_ACCOUNT_CAP, THROTTLE_LOCK_WINDOW, THROTTLE_LOCKED },
};

static const struct rule trusted_rules[] = {
	{ COUNTS DEVICE, NTH DEVICE NTH_END, S_DEVICE, THROTTLE_FREE, THROTTLE_LOCK, THROTTLE_LOCK_WINDOW, THROTTLE_LOCKED },
};

/* lock_after comes from the caller (ok_per_addr). */
static const struct rule checks_rule = {
	COUNTS CHECKS, NTH CHECKS NTH_END, S_ADDR, 0, 0, THROTTLE_OK_WINDOW, THROTTLE_FREQUENT
};

static void bind_rule(db_stmt *st, const struct attempt *at, const struct rule *ru, int64_t third)
{
	db_bind_int(st, 1, at->tenant_id);
	db_bind_int(st, 2, at->now - ru->window);
	db_bind_int(st, 3, third);
	switch (ru->subject) {
	case S_PAIR:
		db_bind_text(st, 4, at->login);
		db_bind_text(st, 5, at->addr);
		break;
	case S_ADDR:
		db_bind_text(st, 4, at->addr);
		break;
	case S_LOGIN:
		db_bind_text(st, 4, at->login);
		break;
	case S_DEVICE:
		db_bind_text(st, 4, at->device);
		break;
	}
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

/* Seconds until the lock_after-th latest row leaves the rule's window. */
static int lock_left(db *d, const struct attempt *at, const struct rule *ru, int64_t lock_after, int64_t *wait)
{
	db_stmt *st = db_prepare(d, ru->nth_sql);
	int rc;

	if (!st)
		return -1;
	bind_rule(st, at, ru, lock_after - 1);
	rc = db_step(st);
	*wait = rc == DB_ROW ? db_col_int(st, 0) + ru->window - at->now : 0;
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* One rule's verdict for at: THROTTLE_PASS or the rule's refusal with
 * *wait > 0; -1 on a store error. */
static int judge(db *d, const struct attempt *at, const struct rule *ru, int64_t lock_after, int64_t *wait)
{
	db_stmt *st = db_prepare(d, ru->counts_sql);
	int64_t in_window = 0, in_delay = 0, latest = 0, lw;
	int rc, verdict = THROTTLE_PASS;

	*wait = 0;
	if (!st)
		return -1;
	bind_rule(st, at, ru, at->now - THROTTLE_WINDOW);
	rc = db_step(st);
	if (rc == DB_ROW) {
		in_window = db_col_int(st, 0);
		in_delay = db_col_int(st, 1);
		latest = db_col_int(st, 2);
	}
	db_done(st);
	if (rc != DB_ROW)
		return -1;
	if (ru->delay_after && (*wait = delay_left(in_delay, ru->delay_after, latest, at->now)) > 0)
		verdict = THROTTLE_DELAYED;
	if (lock_after && in_window >= lock_after) {
		if (lock_left(d, at, ru, lock_after, &lw) < 0)
			return -1;
		if (lw > *wait) {
			*wait = lw;
			verdict = ru->verdict;
		}
	}
	return verdict;
}

/* The strictest verdict of every rule that applies to at. */
static int check(db *d, const struct attempt *at, int64_t ok_per_addr, int64_t *wait_s)
{
	const struct rule *rules = *at->device ? trusted_rules : untrusted_rules;
	size_t n = *at->device ? sizeof(trusted_rules) / sizeof(*rules) : sizeof(untrusted_rules) / sizeof(*rules);
	int64_t w;
	int verdict = THROTTLE_PASS, v;

	*wait_s = 0;
	for (size_t i = 0; i <= n; i++) {
		v = i < n ? judge(d, at, &rules[i], rules[i].lock_after, &w) : judge(d, at, &checks_rule, ok_per_addr, &w);
		if (v < 0)
			return -1;
		if (v != THROTTLE_PASS && w > *wait_s) {
			*wait_s = w;
			verdict = v;
		}
	}
	return verdict;
}

static int insert_pending(db *d, struct attempt *at)
{
	db_stmt *st;
	int rc;

	at->id = db_next_id(d, at->tenant_id, "login_attempt");
	if (at->id < 0)
		return -1;
	st = db_prepare(d, "INSERT INTO login_attempt (tenant_id, id, login, addr, device, state, at)"
			   " VALUES ($1, $2, $3, $4, $5, 'pending', $6)");
	if (!st)
		return -1;
	db_bind_int(st, 1, at->tenant_id);
	db_bind_int(st, 2, at->id);
	db_bind_text(st, 3, at->login);
	db_bind_text(st, 4, at->addr);
	db_bind_text(st, 5, at->device);
	db_bind_int(st, 6, at->now);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int throttle_reserve(db *d, struct attempt *at, int ok_per_addr, int64_t *wait_s)
{
	int64_t ok = ok_per_addr > 0 ? ok_per_addr : THROTTLE_OK_ADDR;
	int rc;

	at->id = 0;
	/* First without the write lock: a flood of refused attempts costs
	 * reads only. Counts only grow until rows age out, so a refusal seen
	 * here stands. */
	rc = check(d, at, ok, wait_s);
	if (rc != THROTTLE_PASS)
		return rc;
	if (db_begin(d, DB_WRITE) < 0)
		return -1;
	rc = check(d, at, ok, wait_s);
	if (rc == THROTTLE_PASS && insert_pending(d, at) < 0)
		rc = -1;
	if (rc != THROTTLE_PASS || db_commit(d) < 0) {
		db_rollback(d);
		at->id = 0;
		return rc == THROTTLE_PASS ? -1 : rc;
	}
	return THROTTLE_PASS;
}

static int exec_attempt(db *d, const char *sql, const struct attempt *at)
{
	db_stmt *st = db_prepare(d, sql);
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, at->tenant_id);
	db_bind_int(st, 2, at->id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* A success forgives its own source's failures: the (login, address) of
 * an untrusted client, or the device cookie. */
static int forgive(db *d, const struct attempt *at)
{
	db_stmt *st = db_prepare(d, "UPDATE login_attempt SET state = 'forgiven' WHERE tenant_id = $1 AND login = $2"
				    " AND state = 'failed' AND ((addr = $3 AND device = '') OR (device = $4 AND device <> ''))");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, at->tenant_id);
	db_bind_text(st, 2, at->login);
	db_bind_text(st, 3, at->addr);
	db_bind_text(st, 4, at->device);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int drop_old(db *d, const struct attempt *at)
{
	db_stmt *st = db_prepare(d, "DELETE FROM login_attempt WHERE tenant_id = $1 AND at <= CAST($2 AS BIGINT)");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, at->tenant_id);
	db_bind_int(st, 2, at->now - THROTTLE_LOCK_WINDOW);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int throttle_settle(db *d, const struct attempt *at, enum attempt_end how)
{
	int rc;

	switch (how) {
	case ATTEMPT_FAILED:
		rc = exec_attempt(d, "UPDATE login_attempt SET state = 'failed' WHERE tenant_id = $1 AND id = $2", at);
		break;
	case ATTEMPT_OK:
		rc = forgive(d, at);
		if (rc == 0)
			rc = exec_attempt(d, "UPDATE login_attempt SET state = 'ok' WHERE tenant_id = $1 AND id = $2", at);
		break;
	default:
		rc = exec_attempt(d, "DELETE FROM login_attempt WHERE tenant_id = $1 AND id = $2", at);
		break;
	}
	return rc < 0 ? -1 : drop_old(d, at);
}
