/* settings.c - the tenant's settings (settings.h): read, and the verb
 * that saves them. */
#include "domain/settings.h"

#include "domain/pii.h"

int settings_get(db *d, int64_t tenant_id, struct tenant_settings *out)
{
	db_stmt *st = db_query(d, "SELECT bigscreen, require_totp, pii_retention_days FROM tenant WHERE id = $1", "i",
			       tenant_id);
	int rc;

	out->bigscreen = false;
	out->require_totp = false;
	out->pii_retention_days = PII_RETENTION_DEFAULT;
	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		out->bigscreen = db_col_int(st, 0) != 0;
		out->require_totp = db_col_int(st, 1) != 0;
		out->pii_retention_days = db_col_int(st, 2);
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

static int set_verb(struct ctx *c, void *args)
{
	const struct tenant_settings *in = args;
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	struct tenant_settings was;
	int rc;

	if (!perm_check(c->who, "tenant.settings", &t))
		return ctx_deny(c, "tenant.settings", "tenant", c->who->tenant_id);
	if ((rc = settings_get(c->d, c->who->tenant_id, &was)) != 0)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个租户");
	if (in->pii_retention_days < PII_RETENTION_MIN || in->pii_retention_days > PII_RETENTION_MAX)
		return ctx_invalid(c, "pii_retention_days", "out_of_range",
				   "保存期限须为 " PII_RETENTION_MIN_TEXT " 至 " PII_RETENTION_MAX_TEXT " 天之间的整数");
	if (was.bigscreen == in->bigscreen && was.require_totp == in->require_totp &&
	    was.pii_retention_days == in->pii_retention_days)
		return JB_OK;
	if (db_run(c->d, "UPDATE tenant SET bigscreen = $2, require_totp = $3, pii_retention_days = $4 WHERE id = $1",
		   "iiii", c->who->tenant_id, (int64_t)(in->bigscreen ? 1 : 0), (int64_t)(in->require_totp ? 1 : 0),
		   in->pii_retention_days) < 0)
		return -1;
	/* the entry names what changed, and only that */
	json_t *before = json_object(), *after = json_object();
	if (was.bigscreen != in->bigscreen) {
		json_object_set_new(before, "bigscreen", json_boolean(was.bigscreen));
		json_object_set_new(after, "bigscreen", json_boolean(in->bigscreen));
	}
	if (was.require_totp != in->require_totp) {
		json_object_set_new(before, "require_totp", json_boolean(was.require_totp));
		json_object_set_new(after, "require_totp", json_boolean(in->require_totp));
	}
	if (was.pii_retention_days != in->pii_retention_days) {
		json_object_set_new(before, "pii_retention_days", json_integer((json_int_t)was.pii_retention_days));
		json_object_set_new(after, "pii_retention_days", json_integer((json_int_t)in->pii_retention_days));
	}
	return ctx_audit(c, "tenant.settings", "tenant", c->who->tenant_id, before, after);
}

int settings_set(struct ctx *c, const struct tenant_settings *in)
{
	return action_run(c, set_verb, (void *)in);
}
