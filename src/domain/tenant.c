/* tenant.c - tenant lookup. */
#include "domain/tenant.h"

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
