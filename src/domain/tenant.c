/* tenant.c - tenant lookup by host, prefix or default; creating tenants. */
#include "domain/tenant.h"

#include <string.h>
#include <time.h>

#include "domain/action.h"
#include "domain/audit.h"
#include "util/log.h"

int tenant_find(db *d, arena *a, const char *slug, int64_t *id, const char **name)
{
	db_stmt *st = db_prepare(d, "SELECT id, name FROM tenant WHERE ($1 = '' OR slug = $1) ORDER BY id LIMIT 1");
	int rc;

	if (!st)
		return -1;
	db_bind_text(st, 1, slug ? slug : "");
	rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		*name = arena_strdup(a, db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int tenant_resolve(db *d, arena *a, const char *host, const char *slug, int64_t *id, const char **name)
{
	db_stmt *st;
	int rc;

	if (host && *host) {
		st = db_prepare(d, "SELECT t.id, t.name FROM tenant_domain h JOIN tenant t ON t.id = h.tenant_id"
				   " WHERE h.host = $1");
		if (!st)
			return -1;
		db_bind_text(st, 1, host);
		rc = db_step(st);
		if (rc == DB_ROW) {
			*id = db_col_int(st, 0);
			*name = arena_strdup(a, db_col_text(st, 1));
		}
		db_done(st);
		if (rc == DB_ERROR)
			return -1;
		if (rc == DB_ROW)
			return slug ? 1 : 0;
	}
	if (slug && !*slug)
		return 1;
	return tenant_find(d, a, slug, id, name);
}

char *tenant_host_fold(char *h)
{
	size_t n = strlen(h);

	if (!n || n > 253)
		return NULL;
	for (char *p = h; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
		else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
			return NULL;
	}
	return h;
}

const char *tenant_slug_problem(const char *slug)
{
	size_t n = strlen(slug);

	if (!n || n > TENANT_SLUG_MAX)
		return "the slug must be 1 to 32 characters";
	for (size_t i = 0; i < n; i++)
		if (!((slug[i] >= 'a' && slug[i] <= 'z') || (slug[i] >= '0' && slug[i] <= '9') || slug[i] == '-'))
			return "the slug may hold only a-z, 0-9 and -";
	return NULL;
}

int tenant_create(db *d, const char *slug, const char *name, int64_t *id)
{
	int64_t taken;
	db_stmt *st;
	int rc;

	st = db_prepare(d, "SELECT count(*) FROM tenant WHERE slug = $1");
	if (!st)
		return -1;
	db_bind_text(st, 1, slug);
	rc = db_step(st);
	taken = rc == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	if (taken)
		return taken < 0 ? -1 : 1;
	if (db_scalar(d, "SELECT coalesce(max(id), 0) + 1 FROM tenant", id, 0) != 0)
		return -1;
	st = db_prepare(d, "INSERT INTO tenant (id, slug, name, created_at) VALUES ($1, $2, $3, $4)");
	if (!st)
		return -1;
	db_bind_int(st, 1, *id);
	db_bind_text(st, 2, slug);
	db_bind_text(st, 3, name);
	db_bind_int(st, 4, (int64_t)time(NULL));
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int tenant_count(db *d, int64_t *n)
{
	return db_scalar(d, "SELECT count(*) FROM tenant", n, 0) == 0 ? 0 : -1;
}

int tenant_list(db *d, arena *a, struct tenant_row **out, int *n)
{
	db_stmt *st = db_prepare(d, "SELECT t.id, t.slug, t.name, coalesce(h.host, '') FROM tenant t"
				    " LEFT JOIN tenant_domain h ON h.tenant_id = t.id ORDER BY t.id, h.host");
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		*ARENA_PUSH(a, *out, *n, cap) = (struct tenant_row){ db_col_int(st, 0), arena_strdup(a, db_col_text(st, 1)),
						      arena_strdup(a, db_col_text(st, 2)),
						      arena_strdup(a, db_col_text(st, 3)) };
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

struct domain_change {
	const char *slug, *host;
};

static bool is_cli(const struct ctx *c)
{
	return c->who->via == VIA_CLI && c->who->user_id == 0;
}

/* The audit entry of a domain change of tenant id. */
/* The audit entry of a host name added or removed, and tenant id's data
 * version up (action_run bumps only the actor's tenant: none for the CLI). */
static int audit_domain(struct ctx *c, int64_t id, bool add, const char *host)
{
	char *json = arena_printf(c->a, "{\"host\":\"%s\"}", host); /* host is [a-z0-9.-] only */

	if (db_run(c->d, "UPDATE tenant SET data_version = data_version + 1 WHERE id = $1", "i", id) < 0)
		return -1;
	return audit_record(c->d, id, "cli", add ? "tenant.domain_add" : "tenant.domain_remove", "tenant", id,
			    add ? NULL : json, add ? json : NULL, "");
}

static int add_verb(struct ctx *c, void *args)
{
	struct domain_change *x = args;
	const char *name;
	int64_t id, taken;
	db_stmt *st;
	int rc;

	if (!is_cli(c))
		return ctx_deny(c, "tenant.domain_add", "tenant", 0);
	rc = tenant_find(c->d, c->a, x->slug, &id, &name);
	if (rc)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, "slug", "no_tenant", "没有这个租户");
	st = db_prepare(c->d, "SELECT count(*) FROM tenant_domain WHERE host = $1");
	if (!st)
		return -1;
	db_bind_text(st, 1, x->host);
	rc = db_step(st);
	taken = rc == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	if (taken)
		return taken < 0 ? -1 : ctx_fail(c, JB_ECONFLICT, "host", "host_taken", "该域名已用于一个租户");
	st = db_prepare(c->d, "INSERT INTO tenant_domain (host, tenant_id) VALUES ($1, $2)");
	if (!st)
		return -1;
	db_bind_text(st, 1, x->host);
	db_bind_int(st, 2, id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? audit_domain(c, id, true, x->host) : -1;
}

static int remove_verb(struct ctx *c, void *args)
{
	struct domain_change *x = args;
	int64_t id = 0;
	db_stmt *st;
	int rc;

	if (!is_cli(c))
		return ctx_deny(c, "tenant.domain_remove", "tenant", 0);
	rc = db_scalar_text(c->d, "SELECT tenant_id FROM tenant_domain WHERE host = $1", x->host, &id);
	if (rc)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, "host", "no_host", "没有租户使用这个域名");
	st = db_prepare(c->d, "DELETE FROM tenant_domain WHERE host = $1");
	if (!st)
		return -1;
	db_bind_text(st, 1, x->host);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? audit_domain(c, id, false, x->host) : -1;
}

int tenant_domain_add(struct ctx *c, const char *slug, const char *host)
{
	struct domain_change x = { slug, host };

	return action_run(c, add_verb, &x);
}

int tenant_domain_remove(struct ctx *c, const char *host)
{
	struct domain_change x = { NULL, host };

	return action_run(c, remove_verb, &x);
}

int tenant_row_exists(db *d, int64_t tenant_id, const char *table, int64_t id)
{
	/* Static texts: the stores cache statements by their text's address. */
	static const struct {
		const char *table, *sql;
	} q[] = {
		{ "problem", "SELECT 1 FROM problem WHERE tenant_id = $1 AND id = $2" },
		{ "batch", "SELECT 1 FROM batch WHERE tenant_id = $1 AND id = $2" },
		{ "notice", "SELECT 1 FROM notice WHERE tenant_id = $1 AND id = $2" },
	};
	int64_t one;

	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		if (!strcmp(q[i].table, table))
			return db_scalar(d, q[i].sql, &one, 2, tenant_id, id);
	log_error("tenant_row_exists: no query for table %s", table);
	return -1;
}
