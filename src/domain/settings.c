/* settings.c - the tenant's settings (settings.h): read, and the verb
 * that saves them. */
#include "domain/settings.h"

int settings_get(db *d, int64_t tenant_id, struct tenant_settings *out)
{
	int64_t on = 0, totp = 0;
	int rc = db_scalar(d, "SELECT bigscreen FROM tenant WHERE id = $1", &on, 1, tenant_id);

	if (rc == 0)
		rc = db_scalar(d, "SELECT require_totp FROM tenant WHERE id = $1", &totp, 1, tenant_id);
	out->bigscreen = on != 0;
	out->require_totp = totp != 0;
	return rc;
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
	if (was.bigscreen == in->bigscreen && was.require_totp == in->require_totp)
		return JB_OK;
	if (db_run(c->d, "UPDATE tenant SET bigscreen = $2, require_totp = $3 WHERE id = $1", "iii", c->who->tenant_id,
		   (int64_t)(in->bigscreen ? 1 : 0), (int64_t)(in->require_totp ? 1 : 0)) < 0)
		return -1;
	/* the values that changed, before and after */
	json_t *before = json_object(), *after = json_object();
	if (was.bigscreen != in->bigscreen) {
		json_object_set_new(before, "bigscreen", json_boolean(was.bigscreen));
		json_object_set_new(after, "bigscreen", json_boolean(in->bigscreen));
	}
	if (was.require_totp != in->require_totp) {
		json_object_set_new(before, "require_totp", json_boolean(was.require_totp));
		json_object_set_new(after, "require_totp", json_boolean(in->require_totp));
	}
	return ctx_audit(c, "tenant.settings", "tenant", c->who->tenant_id, before, after);
}

int settings_set(struct ctx *c, const struct tenant_settings *in)
{
	return action_run(c, set_verb, (void *)in);
}
