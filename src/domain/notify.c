/* notify.c - in-app notifications (notify.h). */
#include "domain/notify.h"

#include <string.h>

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
