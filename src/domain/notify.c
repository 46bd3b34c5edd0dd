/* notify.c - in-app notifications (notify.h). */
#include "domain/robot.h"
#include "domain/notify.h"

#include <string.h>
#include <time.h>

#include "domain/supervise.h"
#include "util/buf.h"
#include "util/log.h"

#define TZ_OFFSET (8 * 3600) /* Asia/Shanghai */
#define DIGEST_TITLES 3      /* titles named in a digest's body */

int notify(struct ctx *c, int64_t user_id, const char *kind, const char *object_type, int64_t object_id,
	   const char *title, const char *body)
{
	int64_t tenant = c->who->tenant_id, id;

	if (!user_id)
		return 0;
	if ((id = db_next_id(c->d, tenant, "notification")) < 0)
		return -1;
	return db_run(c->d, "INSERT INTO notification (tenant_id, id, user_id, kind, object_type, object_id, title, body,"
			    " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", "iiissdssi", tenant, id, user_id,
		      kind, object_type, object_id, title, body ? body : "", c->now) == DB_DONE ? 0 : -1;
}

int notify_unread(db *d, int64_t tenant_id, int64_t user_id, int64_t *n)
{
	*n = 0;
	return db_scalar(d, "SELECT count(*) FROM notification WHERE tenant_id = $1 AND user_id = $2 AND read_at IS NULL",
			 n, 2, tenant_id, user_id) < 0 ? -1 : 0;
}

int notify_list(db *d, arena *a, int64_t tenant_id, int64_t user_id, int64_t before_id,
		struct notification **out, int *n, bool *more)
{
	db_stmt *st = db_query(d, "SELECT id, kind, object_type, coalesce(object_id, 0), title, body, created_at,"
				  " coalesce(read_at, 0) FROM notification WHERE tenant_id = $1 AND user_id = $2"
				  " AND ($3 = 0 OR id < $3) ORDER BY id DESC LIMIT $4",
			       "iiii", tenant_id, user_id, before_id, (int64_t)NOTIFY_PAGE + 1);
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	*more = false;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct notification *x;
		if (*n == NOTIFY_PAGE) {
			*more = true;
			continue;
		}
		x = ARENA_PUSH(a, *out, *n, cap);
		x->id = db_col_int(st, 0);
		x->kind = arena_strdup(a, db_col_text(st, 1));
		x->object_type = arena_strdup(a, db_col_text(st, 2));
		x->object_id = db_col_int(st, 3);
		x->title = arena_strdup(a, db_col_text(st, 4));
		x->body = arena_strdup(a, db_col_text(st, 5));
		x->created_at = db_col_int(st, 6);
		x->read_at = db_col_int(st, 7);
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

static int mark_verb(struct ctx *c, void *args)
{
	int64_t id = *(int64_t *)args, tenant = c->who->tenant_id, user = c->who->user_id, found;
	int rc;

	if (!user)
		return ctx_deny(c, "notification.read", "notification", id);
	if (id) {
		rc = db_scalar(c->d, "SELECT count(*) FROM notification WHERE tenant_id = $1 AND id = $2 AND user_id = $3",
			       &found, 3, tenant, id, user);
		if (rc < 0)
			return -1;
		if (!found)
			return ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这条通知");
	}
	return db_run(c->d, "UPDATE notification SET read_at = $4 WHERE tenant_id = $1 AND user_id = $2"
			    " AND ($3 = 0 OR id = $3) AND read_at IS NULL", "iiii", tenant, user, id, c->now) == DB_DONE
		       ? JB_OK : -1;
}

int notify_mark_read(struct ctx *c, int64_t id)
{
	return action_run(c, mark_verb, &id);
}

int notify_person(struct ctx *c, int64_t person_id, const char *kind, const char *object_type, int64_t object_id,
		  const char *title, const char *body)
{
	if (!person_id)
		return 0;
	return notify_users(c, db_query(c->d, "SELECT id FROM app_user WHERE tenant_id = $1 AND person_id = $2"
						" AND disabled = 0 ORDER BY id", "ii", c->who->tenant_id, person_id),
			    kind, object_type, object_id, title, body);
}

int notify_users(struct ctx *c, db_stmt *st, const char *kind, const char *object_type, int64_t object_id,
		 const char *title, const char *body)
{
	int64_t *users = NULL;
	int rc, n = 0, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		*ARENA_PUSH(c->a, users, n, cap) = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	for (int i = 0; i < n; i++)
		if (notify(c, users[i], kind, object_type, object_id, title, body) < 0)
			return -1;
	return n;
}

/* ---- the digest ---- */

/* One user's digest of day: the unread notifications not in one yet.
 * *made: 1 when it was written. */
static int digest_user(struct ctx *c, int64_t user, const char *day, int *made)
{
	db_stmt *st = db_query(c->d, "SELECT title FROM notification WHERE tenant_id = $1 AND user_id = $2"
				     " AND read_at IS NULL AND digest_id IS NULL ORDER BY id",
			       "ii", c->who->tenant_id, user);
	buf titles = BUF_INIT;
	int64_t id;
	int rc, n = 0;

	*made = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n < DIGEST_TITLES)
			buf_printf(&titles, "%s%s", n ? "；" : "", db_col_text(st, 0));
		n++;
	}
	db_done(st);
	if (rc == DB_ERROR || !n) {
		buf_release(&titles);
		return rc == DB_ERROR ? -1 : 0;
	}
	const char *body = arena_printf(c->a, "今日待办摘要：%d 项未读通知——%s%s", n, titles.s,
					n > DIGEST_TITLES ? " 等" : "");
	buf_release(&titles);
	if ((id = db_next_id(c->d, c->who->tenant_id, "notification_digest")) < 0 ||
	    db_run(c->d, "INSERT INTO notification_digest (tenant_id, id, user_id, day, n, body, created_at)"
			 " VALUES ($1, $2, $3, $4, $5, $6, $7)", "iiisisi", c->who->tenant_id, id, user, day, (int64_t)n,
		   body, c->now) != DB_DONE ||
	    db_run(c->d, "UPDATE notification SET digest_id = $3 WHERE tenant_id = $1 AND user_id = $2"
			 " AND read_at IS NULL AND digest_id IS NULL", "iii", c->who->tenant_id, user, id) != DB_DONE)
		return -1;
	*made = 1;
	return 0;
}

/* The digests of c's tenant due at c->now (from DIGEST_HOUR local). */
static int digest_all(struct ctx *c, int *n)
{
	time_t t = (time_t)(c->now + TZ_OFFSET);
	struct tm tm;
	const char *day;
	db_stmt *st;
	int64_t *users = NULL;
	int rc, nu = 0, cap = 0;

	*n = 0;
	gmtime_r(&t, &tm);
	if (tm.tm_hour < DIGEST_HOUR)
		return 0;
	day = arena_printf(c->a, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	st = db_query(c->d, "SELECT DISTINCT n.user_id FROM notification n JOIN app_user u ON u.tenant_id = n.tenant_id"
			    " AND u.id = n.user_id WHERE n.tenant_id = $1 AND n.read_at IS NULL AND n.digest_id IS NULL"
			    " AND u.disabled = 0 AND NOT EXISTS (SELECT 1 FROM notification_digest g"
			    " WHERE g.tenant_id = n.tenant_id AND g.user_id = n.user_id AND g.day = $2) ORDER BY n.user_id",
		      "is", c->who->tenant_id, day);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		*ARENA_PUSH(c->a, users, nu, cap) = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	for (int i = 0; i < nu; i++) {
		int made;
		if (digest_user(c, users[i], day, &made) < 0)
			return -1;
		*n += made;
	}
	return 0;
}

/* One tenant's run. Nothing to write is JB_ENOTFOUND, so that the runner
 * rolls back and the data version stays. */
static int tick_verb(struct ctx *c, void *args)
{
	int *total = args, esc, rem, dig, od;

	if (supervision_escalate_due(c, &esc) < 0 || supervise_remind_due(c, &rem) < 0 || digest_all(c, &dig) < 0 ||
	    outbox_overdue_digest(c, &od) < 0)
		return -1;
	*total = esc + rem + dig + od;
	return *total ? JB_OK : JB_ENOTFOUND;
}

int notify_digest_run(db *d, int64_t now)
{
	db_stmt *st = db_query(d, "SELECT id FROM tenant ORDER BY id", "");
	arena *list = arena_new();
	int64_t *tenants = NULL;
	int rc, nt = 0, cap = 0, total = 0;

	while (st && (rc = db_step(st)) == DB_ROW)
		*ARENA_PUSH(list, tenants, nt, cap) = db_col_int(st, 0);
	if (st)
		db_done(st);
	if (!st || rc == DB_ERROR) {
		log_error("digest: cannot list tenants: %s", db_errmsg(d));
		arena_free(list);
		return -1;
	}
	for (int i = 0; i < nt; i++) {
		struct principal sys = perm_cli(tenants[i]);
		arena *a = arena_new();
		struct ctx c;
		int n = 0;

		sys.login = "system";
		ctx_init(&c, d, a, &sys, "");
		c.now = now;
		rc = action_run(&c, tick_verb, &n);
		if (rc != JB_OK && rc != JB_ENOTFOUND) {
			log_error("digest: tenant %lld: %s", (long long)tenants[i],
				  rc == JB_ESTORE ? db_errmsg(d) : ctx_message(&c, rc));
			total = -1;
		} else if (total >= 0 && rc == JB_OK) {
			total += n;
		}
		arena_free(a);
	}
	arena_free(list);
	return total;
}

int notify_digests(db *d, arena *a, int64_t tenant_id, int64_t user_id, int n_max, struct digest **out, int *n)
{
	db_stmt *st = db_query(d, "SELECT id, day, n, body, created_at FROM notification_digest WHERE tenant_id = $1"
				  " AND user_id = $2 ORDER BY id DESC LIMIT $3", "iii", tenant_id, user_id, (int64_t)n_max);
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct digest *x = ARENA_PUSH(a, *out, *n, cap);
		x->id = db_col_int(st, 0);
		x->day = arena_strdup(a, db_col_text(st, 1));
		x->n = (int)db_col_int(st, 2);
		x->body = arena_strdup(a, db_col_text(st, 3));
		x->created_at = db_col_int(st, 4);
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}
