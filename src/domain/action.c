/* action.c - the action runner and the context's error helpers. */
#include "domain/action.h"
#include "util/clock.h"

#include <stdlib.h>
#include <time.h>

void ctx_init(struct ctx *c, db *d, arena *a, const struct principal *who, const char *addr)
{
	*c = (struct ctx){ .d = d, .a = a, .who = who, .addr = addr ? addr : "", .now = clock_now() };
}

struct actor ctx_actor(const struct ctx *c)
{
	return (struct actor){ c->who->tenant_id, c->who->login ? c->who->login : "anonymous", c->addr };
}

int ctx_invalid(struct ctx *c, const char *field, const char *code, const char *message)
{
	return ctx_fail(c, JB_EINVALID, field, code, message);
}

int ctx_deny(struct ctx *c, const char *action, const char *object_type, int64_t object_id)
{
	c->denied_action = action;
	c->object_type = object_type;
	c->object_id = object_id;
	return ctx_fail(c, JB_EDENIED, NULL, "forbidden", NULL);
}

int ctx_fail(struct ctx *c, int rc, const char *field, const char *code, const char *message)
{
	const char *m = message ? message : ctx_message(c, rc);

	if (c->nerrs < CTX_MAX_ERRORS)
		c->errs[c->nerrs++] = (struct field_error){ field, code, m };
	return rc;
}

const char *ctx_message(const struct ctx *c, int rc)
{
	if (c->nerrs)
		return c->errs[0].message;
	switch (rc) {
	case JB_OK: return "";
	case JB_EINVALID: return "提交的内容有误，请检查后再试";
	case JB_EDENIED: return "您没有权限执行此操作";
	case JB_ENOTFOUND: return "您要找的对象不存在";
	case JB_ECONFLICT: return "该内容刚被他人修改，请刷新后再试";
	case JB_EBUSY: return "服务器繁忙，请稍后再试";
	case JB_ELIMITED: return "提交过于频繁，请稍后再试";
	default: return "服务器出错了，请稍后再试";
	}
}

int ctx_audit(struct ctx *c, const char *action, const char *object_type, int64_t object_id, json_t *before,
	      json_t *after)
{
	struct actor by = ctx_actor(c);
	char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char *af = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	int rc = audit_record_at(c->d, c->now, by.tenant_id, by.name, action, object_type, object_id, b, af, by.addr);

	free(b);
	free(af);
	json_decref(before);
	json_decref(after);
	return rc;
}

int ctx_store_error(struct ctx *c)
{
	return db_errclass(c->d) == DB_EUNAVAILABLE ? JB_EBUSY : JB_ESTORE;
}

/* The tenant's data version goes up by one with every change. */
static int bump_version(struct ctx *c)
{
	db_stmt *st;
	int rc;

	if (!c->who->tenant_id)
		return 0;
	st = db_prepare(c->d, "UPDATE tenant SET data_version = data_version + 1 WHERE id = $1");
	if (!st)
		return -1;
	db_bind_int(st, 1, c->who->tenant_id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int action_run(struct ctx *c, verb_fn verb, void *args)
{
	int rc;

	if (db_begin(c->d, DB_WRITE) < 0)
		return JB_EBUSY;
	rc = verb(c, args);
	if (rc == JB_OK && bump_version(c) < 0)
		rc = -1;
	if (rc < 0)
		rc = ctx_store_error(c);
	if (rc == JB_OK && db_commit(c->d) < 0)
		rc = ctx_store_error(c);
	if (rc != JB_OK)
		db_rollback(c->d);
	if (rc == JB_EDENIED)
		ctx_log_denial(c);
	return rc;
}

void ctx_log_denial(struct ctx *c)
{
	struct actor by = ctx_actor(c);

	if (c->denial_logged)
		return;
	c->denial_logged = true;
	audit_denied(c->d, c->gate, by.tenant_id, by.name, c->denied_action ? c->denied_action : "unknown",
		     c->object_type ? c->object_type : "", c->object_id, "permission", NULL, by.addr);
}
