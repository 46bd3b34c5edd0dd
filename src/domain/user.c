/* user.c - user accounts in the store, each change with its audit entry. */
#include "domain/user.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/action.h"
#include "domain/perm.h"
#include "domain/problem.h"

#define USER_COLS \
	"SELECT u.id, u.login, coalesce(u.person_id, 0), coalesce(u.unit_id, 0), u.must_change, u.disabled," \
	" u.created_at, u.password_at, coalesce(p.name, ''), coalesce(un.name, ''), " ROLE_BITS_SQL \
	" FROM app_user u" \
	" LEFT JOIN person p ON p.tenant_id = u.tenant_id AND p.id = u.person_id" \
	" LEFT JOIN unit un ON un.tenant_id = u.tenant_id AND un.id = u.unit_id"

static const char by_id_sql[] = USER_COLS " WHERE u.tenant_id = $1 AND u.id = $2";
static const char by_login_sql[] = USER_COLS " WHERE u.tenant_id = $1 AND u.login = $2";
static const char list_sql[] = USER_COLS
	" WHERE u.tenant_id = $1 AND (CAST($2 AS BIGINT) = 0 OR u.unit_id = CAST($2 AS BIGINT))"
	" ORDER BY u.id LIMIT $3 OFFSET $4";
static const char count_sql[] =
	"SELECT count(*) FROM app_user WHERE tenant_id = $1 AND (CAST($2 AS BIGINT) = 0 OR unit_id = CAST($2 AS BIGINT))";

const char *user_login_problem(const char *login)
{
	size_t n = login ? strlen(login) : 0;

	if (n < 2 || n > LOGIN_MAX)
		return "登录名需要 2 到 64 个字符";
	if (!((login[0] >= 'a' && login[0] <= 'z') || (login[0] >= 'A' && login[0] <= 'Z') ||
	      (login[0] >= '0' && login[0] <= '9')))
		return "登录名必须以字母或数字开头";
	for (size_t i = 0; i < n; i++) {
		char c = login[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-' || c == '@'))
			return "登录名只能包含英文字母、数字和 . _ - @";
	}
	return NULL;
}

char *user_fold_login(arena *a, const char *login)
{
	char *s = arena_strdup(a, login);

	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

const char *user_roles_csv(arena *a, unsigned roles)
{
	char *s = arena_alloc(a, 64), *w = s;

	for (int i = 0; i < ROLE_COUNT; i++) {
		if (!(roles & (1u << i)))
			continue;
		if (w != s)
			*w++ = ',';
		size_t k = strlen(role_codes[i]);
		memcpy(w, role_codes[i], k);
		w += k;
	}
	*w = '\0';
	return s;
}

static void fill(arena *a, db_stmt *st, struct user *u)
{
	u->id = db_col_int(st, 0);
	u->login = arena_strdup(a, db_col_text(st, 1));
	u->person_id = db_col_int(st, 2);
	u->unit_id = db_col_int(st, 3);
	u->must_change = db_col_int(st, 4) != 0;
	u->disabled = db_col_int(st, 5) != 0;
	u->created_at = db_col_int(st, 6);
	u->password_at = db_col_int(st, 7);
	u->person_name = arena_strdup(a, db_col_text(st, 8));
	u->unit_name = arena_strdup(a, db_col_text(st, 9));
	u->roles = (unsigned)db_col_int(st, 10);
}

static int get_one(db *d, arena *a, const char *sql, int64_t tenant_id, int64_t id, const char *login,
		   struct user *out)
{
	db_stmt *st = db_prepare(d, sql);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	if (login)
		db_bind_text(st, 2, login);
	else
		db_bind_int(st, 2, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		fill(a, st, out);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? USER_ENOTFOUND : -1;
}

int user_get(db *d, arena *a, int64_t tenant_id, int64_t id, struct user *out)
{
	return get_one(d, a, by_id_sql, tenant_id, id, NULL, out);
}

int user_by_login(db *d, arena *a, int64_t tenant_id, const char *login, struct user *out)
{
	return get_one(d, a, by_login_sql, tenant_id, 0, login, out);
}

int user_list(db *d, arena *a, int64_t tenant_id, int64_t unit_id, int64_t page, struct user **out,
	      int *n, int64_t *total)
{
	db_stmt *st;
	int rc;

	*n = 0;
	*out = arena_alloc(a, USER_PAGE * sizeof(**out));
	if (db_scalar(d, count_sql, total, 2, tenant_id, unit_id) < 0)
		return -1;
	st = db_prepare(d, list_sql);
	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, unit_id);
	db_bind_int(st, 3, USER_PAGE);
	db_bind_int(st, 4, (page < 1 ? 0 : page - 1) * USER_PAGE);
	while ((rc = db_step(st)) == DB_ROW && *n < USER_PAGE)
		fill(a, st, &(*out)[(*n)++]);
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int user_credentials(db *d, arena *a, int64_t tenant_id, const char *login, int64_t *id,
		     const char **hash, bool *disabled)
{
	db_stmt *st = db_prepare(d, "SELECT id, password_hash, disabled FROM app_user WHERE tenant_id = $1 AND login = $2");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_text(st, 2, login);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		*hash = arena_strdup(a, db_col_text(st, 1));
		*disabled = db_col_int(st, 2) != 0;
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int user_resolve_link(db *d, int64_t tenant_id, int64_t person_id, int64_t *unit_id)
{
	int64_t v;
	int rc;

	if (*unit_id) {
		rc = db_scalar(d, "SELECT id FROM unit WHERE tenant_id = $1 AND id = $2", &v, 2, tenant_id, *unit_id);
		if (rc)
			return rc < 0 ? -1 : USER_EUNIT;
	}
	if (person_id) {
		rc = db_scalar(d, "SELECT unit_id FROM person WHERE tenant_id = $1 AND id = $2", &v, 2, tenant_id, person_id);
		if (rc)
			return rc < 0 ? -1 : USER_EPERSON;
		if (*unit_id && *unit_id != v)
			return USER_EUNIT;
		*unit_id = v;
	}
	return 0;
}

/* ---- changes ---- */

json_t *user_roles_json(unsigned roles)
{
	json_t *a = json_array();

	for (int i = 0; i < ROLE_COUNT; i++)
		if (roles & (1u << i))
			json_array_append_new(a, json_string(role_codes[i]));
	return a;
}

static json_t *opt_id(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

/* Audit one change with before/after JSON (stolen; either may be NULL). */
static int audit_json(db *d, const struct actor *by, const char *action, int64_t id, json_t *before,
		      json_t *after)
{
	char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char *af = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	int rc = audit_record(d, by->tenant_id, by->name, action, "user", id, b, af, by->addr);

	free(b);
	free(af);
	json_decref(before);
	json_decref(after);
	return rc;
}

static int exec_ids(db *d, const char *sql, int64_t tenant_id, int64_t id)
{
	db_stmt *st = db_prepare(d, sql);
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int write_roles(db *d, int64_t tenant_id, int64_t id, unsigned roles)
{
	if (exec_ids(d, "DELETE FROM user_role WHERE tenant_id = $1 AND user_id = $2", tenant_id, id) < 0)
		return -1;
	for (int i = 0; i < ROLE_COUNT; i++) {
		if (!(roles & (1u << i)))
			continue;
		db_stmt *st = db_prepare(d, "INSERT INTO user_role (tenant_id, user_id, role) VALUES ($1, $2, $3)");
		if (!st)
			return -1;
		db_bind_int(st, 1, tenant_id);
		db_bind_int(st, 2, id);
		db_bind_text(st, 3, role_codes[i]);
		int rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			return -1;
	}
	return 0;
}

/* ---- who may change an account ---- */

static bool grants(const struct principal *who, unsigned roles, const struct perm_target *t)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if ((roles & (1u << i)) && !perm_check(who, role_grant_action(1u << i), t))
			return false;
	return true;
}

static struct perm_target target_of(const struct user *u, int64_t tenant_id)
{
	return (struct perm_target){ tenant_id, u->unit_id, u->id, false };
}

bool user_may_manage(const struct principal *who, const struct user *u)
{
	struct perm_target t = target_of(u, who->tenant_id);

	return perm_check(who, "user.manage", &t) && grants(who, u->roles, &t);
}

bool user_may_create(const struct principal *who, unsigned roles, int64_t unit_id)
{
	struct perm_target t = { who->tenant_id, unit_id, 0, false };

	return perm_check(who, "user.manage", &t) && grants(who, roles, &t);
}

/* ---- changes: verbs run by action_run() ---- */

/* The link's error as a field error of c. */
static int link_invalid(struct ctx *c, int rc)
{
	if (rc == USER_EPERSON)
		return ctx_invalid(c, "person", "bad_person", "没有这个人员");
	if (rc == USER_EUNIT)
		return ctx_invalid(c, "unit", "bad_unit", "没有这个单位，或该人员不属于这个单位");
	return rc < 0 ? -1 : JB_ESTORE;
}

int user_create_allowed(struct ctx *c, struct user_new *n)
{
	int rc;

	if (!n->roles)
		return ctx_invalid(c, "role", "no_role", "请至少选择一个角色；要停止某人使用系统，请停用其账号");
	if ((rc = user_resolve_link(c->d, c->who->tenant_id, n->person_id, &n->unit_id)) != 0)
		return link_invalid(c, rc);
	if (!user_may_create(c->who, n->roles, n->unit_id))
		return ctx_deny(c, "user.manage", "user", 0);
	return JB_OK;
}

static int create_verb(struct ctx *c, void *args)
{
	struct user_new *n = args;
	int64_t tenant = c->who->tenant_id, v;
	struct actor by = ctx_actor(c);
	db_stmt *st;
	int rc = user_create_allowed(c, n);

	if (rc)
		return rc;
	st = db_prepare(c->d, "SELECT count(*) FROM app_user WHERE tenant_id = $1 AND login = $2");
	if (!st)
		return -1;
	db_bind_int(st, 1, tenant);
	db_bind_text(st, 2, n->login);
	rc = db_step(st);
	v = rc == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	if (v < 0)
		return -1;
	if (v > 0)
		return ctx_fail(c, JB_ECONFLICT, "login", "login_taken", "这个登录名已被使用");
	n->id = db_next_id(c->d, tenant, "app_user");
	if (n->id < 0)
		return -1;
	st = db_prepare(c->d, "INSERT INTO app_user (tenant_id, id, login, password_hash, person_id, unit_id, must_change,"
			      " disabled, created_at, password_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $8)");
	if (!st)
		return -1;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, n->id);
	db_bind_text(st, 3, n->login);
	db_bind_text(st, 4, n->hash);
	db_bind_id(st, 5, n->person_id);
	db_bind_id(st, 6, n->unit_id);
	db_bind_int(st, 7, n->must_change);
	db_bind_int(st, 8, c->now);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE || write_roles(c->d, tenant, n->id, n->roles) < 0)
		return -1;
	return audit_json(c->d, &by, "user.create", n->id, NULL,
			  json_pack("{s:s, s:o, s:o, s:o, s:b, s:b}", "login", n->login, "roles",
				    user_roles_json(n->roles), "person_id", opt_id(n->person_id), "unit_id",
				    opt_id(n->unit_id), "must_change", n->must_change, "disabled", 0));
}

int user_create(struct ctx *c, struct user_new *n)
{
	return action_run(c, create_verb, n);
}

int user_load_managed(struct ctx *c, int64_t id, struct user *u)
{
	int rc = user_get(c->d, c->a, c->who->tenant_id, id, u);

	if (rc < 0)
		return -1;
	if (rc > 0)
		return ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个用户");
	if (!user_may_manage(c->who, u))
		return ctx_deny(c, "user.manage", "user", id);
	return JB_OK;
}

static bool is_self(const struct principal *who, const struct user *u)
{
	return who->user_id != 0 && who->user_id == u->id;
}

/* Revoke every API token and end every session of user id, except the
 * session whose token hash is keep (NULL: none kept). */
static int end_credentials(struct ctx *c, int64_t id, const char *keep)
{
	db_stmt *st = db_prepare(c->d, "UPDATE api_token SET revoked_at = $3"
				       " WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, c->who->tenant_id);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, c->now);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	st = db_prepare(c->d, "DELETE FROM user_session WHERE tenant_id = $1 AND user_id = $2 AND token_hash <> $3");
	if (!st)
		return -1;
	db_bind_int(st, 1, c->who->tenant_id);
	db_bind_int(st, 2, id);
	db_bind_text(st, 3, keep ? keep : "");
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	/* A log-in half done (the code still to come) ends too. */
	return db_run(c->d, "DELETE FROM login_pending WHERE tenant_id = $1 AND user_id = $2", "ii", c->who->tenant_id,
		      id) == DB_DONE ? 0 : -1;
}

struct change {
	int64_t id;
	bool flag;                /* disable: disabled */
	unsigned roles;           /* roles */
	int64_t person_id, unit_id;
	const char *hash, *keep;  /* passwords */
};

static int disabled_verb(struct ctx *c, void *args)
{
	struct change *x = args;
	struct actor by = ctx_actor(c);
	struct user u;
	int rc = user_load_managed(c, x->id, &u);

	if (rc)
		return rc;
	if (x->flag && is_self(c->who, &u))
		return ctx_invalid(c, NULL, "self", "不能停用自己的账号");
	if (exec_ids(c->d, x->flag ? "UPDATE app_user SET disabled = 1 WHERE tenant_id = $1 AND id = $2" :
		     "UPDATE app_user SET disabled = 0 WHERE tenant_id = $1 AND id = $2", by.tenant_id, x->id) < 0 ||
	    (x->flag && end_credentials(c, x->id, NULL) < 0))
		return -1;
	return audit_json(c->d, &by, x->flag ? "user.disable" : "user.enable", x->id,
			  json_pack("{s:b}", "disabled", u.disabled), json_pack("{s:b}", "disabled", x->flag));
}

int user_set_disabled(struct ctx *c, int64_t id, bool disabled)
{
	struct change x = { .id = id, .flag = disabled };

	return action_run(c, disabled_verb, &x);
}

static int roles_verb(struct ctx *c, void *args)
{
	struct change *x = args;
	struct actor by = ctx_actor(c);
	struct user u;
	int rc = user_load_managed(c, x->id, &u);

	if (rc)
		return rc;
	if (!x->roles)
		return ctx_invalid(c, "role", "no_role", "请至少选择一个角色；要停止某人使用系统，请停用其账号");
	if (!user_may_create(c->who, x->roles, u.unit_id))
		return ctx_deny(c, "user.manage", "user", x->id);
	if (is_self(c->who, &u) && (u.roles & ROLE_ADMIN) && !(x->roles & ROLE_ADMIN))
		return ctx_invalid(c, "role", "self", "不能取消自己的管理员角色");
	if (write_roles(c->d, by.tenant_id, x->id, x->roles) < 0)
		return -1;
	return audit_json(c->d, &by, "user.roles", x->id, json_pack("{s:o}", "roles", user_roles_json(u.roles)),
			  json_pack("{s:o}", "roles", user_roles_json(x->roles)));
}

int user_set_roles(struct ctx *c, int64_t id, unsigned roles)
{
	struct change x = { .id = id, .roles = roles };

	return action_run(c, roles_verb, &x);
}

static int link_verb(struct ctx *c, void *args)
{
	struct change *x = args;
	struct actor by = ctx_actor(c);
	struct user u, moved;
	db_stmt *st;
	int rc = user_load_managed(c, x->id, &u);

	if (rc)
		return rc;
	if ((rc = user_resolve_link(c->d, by.tenant_id, x->person_id, &x->unit_id)) != 0)
		return link_invalid(c, rc);
	/* In the unit it moves to, the account must still be one's to manage. */
	moved = u;
	moved.unit_id = x->unit_id;
	moved.id = 0;
	if (!user_may_manage(c->who, &moved))
		return ctx_deny(c, "user.manage", "user", x->id);
	st = db_prepare(c->d, "UPDATE app_user SET person_id = $3, unit_id = $4 WHERE tenant_id = $1 AND id = $2");
	if (!st)
		return -1;
	db_bind_int(st, 1, by.tenant_id);
	db_bind_int(st, 2, x->id);
	db_bind_id(st, 3, x->person_id);
	db_bind_id(st, 4, x->unit_id);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	return audit_json(c->d, &by, "user.link", x->id,
			  json_pack("{s:o, s:o}", "person_id", opt_id(u.person_id), "unit_id", opt_id(u.unit_id)),
			  json_pack("{s:o, s:o}", "person_id", opt_id(x->person_id), "unit_id", opt_id(x->unit_id)));
}

int user_set_link(struct ctx *c, int64_t id, int64_t person_id, int64_t unit_id)
{
	struct change x = { .id = id, .person_id = person_id, .unit_id = unit_id };

	return action_run(c, link_verb, &x);
}

/* Store x->hash as u's password (x->flag: must change it) and end its
 * credentials but x->keep. */
static int write_password(struct ctx *c, const struct user *u, const struct change *x)
{
	struct actor by = ctx_actor(c);
	db_stmt *st = db_prepare(c->d, "UPDATE app_user SET password_hash = $3, must_change = $4, password_at = $5"
				       " WHERE tenant_id = $1 AND id = $2");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, by.tenant_id);
	db_bind_int(st, 2, u->id);
	db_bind_text(st, 3, x->hash);
	db_bind_int(st, 4, x->flag);
	db_bind_int(st, 5, c->now);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE || end_credentials(c, u->id, x->keep) < 0)
		return -1;
	return audit_json(c->d, &by, x->flag ? "user.password_reset" : "user.password", u->id,
			  json_pack("{s:b}", "must_change", u->must_change), json_pack("{s:b}", "must_change", x->flag));
}

static int reset_verb(struct ctx *c, void *args)
{
	struct change *x = args;
	struct user u;
	int rc = user_load_managed(c, x->id, &u);

	if (rc)
		return rc;
	if (is_self(c->who, &u))
		return ctx_invalid(c, NULL, "self", "请在“我的账号”中修改自己的密码");
	return write_password(c, &u, x);
}

int user_reset_password(struct ctx *c, int64_t id, const char *hash)
{
	struct change x = { .id = id, .flag = true, .hash = hash };

	return action_run(c, reset_verb, &x);
}

static int password_verb(struct ctx *c, void *args)
{
	struct change *x = args;
	struct user u;
	int rc = user_get(c->d, c->a, c->who->tenant_id, x->id, &u);

	if (rc)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个用户");
	if (!is_self(c->who, &u) && !(c->who->via == VIA_CLI && c->who->user_id == 0))
		return ctx_deny(c, "account.password", "user", x->id);
	return write_password(c, &u, x);
}

int user_set_password(struct ctx *c, int64_t id, const char *hash, const char *keep)
{
	struct change x = { .id = id, .hash = hash, .keep = keep };

	return action_run(c, password_verb, &x);
}

int user_units(db *d, arena *a, int64_t tenant_id, int64_t only_unit, struct named **out, int *n)
{
	db_stmt *st = db_prepare(d, "SELECT id, name FROM unit WHERE tenant_id = $1"
				    " AND (CAST($2 AS BIGINT) = 0 OR id = CAST($2 AS BIGINT)) ORDER BY id");
	int rc, cap = 0;

	*n = 0;
	*out = NULL;
	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, only_unit);
	while ((rc = db_step(st)) == DB_ROW)
		*ARENA_PUSH(a, *out, *n, cap) = (struct named){ db_col_int(st, 0), arena_strdup(a, db_col_text(st, 1)) };
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}
