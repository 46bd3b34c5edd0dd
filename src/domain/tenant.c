/* tenant.c - tenant lookup by host, prefix or default; creating tenants. */
#include "domain/tenant.h"

#include <string.h>
#include <time.h>

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

int tenant_add_domain(db *d, int64_t id, const char *host)
{
	db_stmt *st = db_prepare(d, "SELECT count(*) FROM tenant_domain WHERE host = $1");
	int64_t taken;
	int rc;

	if (!st)
		return -1;
	db_bind_text(st, 1, host);
	rc = db_step(st);
	taken = rc == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	if (taken)
		return taken < 0 ? -1 : 1;
	st = db_prepare(d, "INSERT INTO tenant_domain (host, tenant_id) VALUES ($1, $2)");
	if (!st)
		return -1;
	db_bind_text(st, 1, host);
	db_bind_int(st, 2, id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}
