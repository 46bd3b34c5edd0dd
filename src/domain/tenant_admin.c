/* tenant_admin.c - the operator's tenant verbs (tenant_admin.h). */
#include "domain/tenant_admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/audit.h"
#include "domain/password.h"
#include "domain/tenant.h"
#include "domain/user.h"
#include "util/buf.h"
#include "util/text.h"

const struct label tenant_zones[] = {
	{ "Asia/Shanghai", "北京时间（Asia/Shanghai）" },
	{ "Asia/Urumqi", "新疆时间（Asia/Urumqi）" },
	{ NULL, NULL },
};

const struct bind_field tenant_fields[] = {
	BIND_TEXT(struct tenant_in, name, "名称", BIND_REQUIRED, 1, 64),
	BIND_TEXT(struct tenant_in, slug, "简称（网址用）", 0, 1, TENANT_SLUG_MAX),
	BIND_ID(struct tenant_in, parent_id, "上级地区", 0),
	BIND_CHOICE(struct tenant_in, tz, "时区", BIND_REQUIRED, tenant_zones),
	BIND_TEXT(struct tenant_in, hosts, "域名", BIND_MULTILINE, 0, 2000),
	BIND_TEXT(struct tenant_in, categories, "难题类别", BIND_MULTILINE, 0, 1000),
	BIND_END,
};

static const char info_sql[] =
	"SELECT t.id, t.slug, t.name, t.tz, coalesce(t.parent_id, 0), coalesce(p.name, ''),"
	" (SELECT count(*) FROM tenant c WHERE c.parent_id = t.id)"
	" FROM tenant t LEFT JOIN tenant p ON p.id = t.parent_id WHERE ($1 = 0 OR t.id = $1) ORDER BY t.id";

/* The lines of sql's one text column for tenant id, one a line. */
static const char *lines_of(db *d, arena *a, const char *sql, int64_t id)
{
	db_stmt *st = db_query(d, sql, "i", id);
	buf b = BUF_INIT;
	const char *out;
	int rc;

	if (!st)
		return NULL;
	while ((rc = db_step(st)) == DB_ROW)
		buf_printf(&b, "%s%s", b.len ? "\n" : "", db_col_text(st, 0));
	db_done(st);
	out = rc == DB_DONE ? arena_strdup(a, b.s ? b.s : "") : NULL;
	buf_release(&b);
	return out;
}

static int infos(db *d, arena *a, int64_t id, struct tenant_info **out, int *n)
{
	db_stmt *st = db_query(d, info_sql, "i", id);
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		*ARENA_PUSH(a, *out, *n, cap) = (struct tenant_info){
			.id = db_col_int(st, 0), .slug = arena_strdup(a, db_col_text(st, 1)),
			.name = arena_strdup(a, db_col_text(st, 2)), .tz = arena_strdup(a, db_col_text(st, 3)),
			.parent_id = db_col_int(st, 4), .parent = arena_strdup(a, db_col_text(st, 5)),
			.children = db_col_int(st, 6) };
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	for (int i = 0; i < *n; i++) {
		struct tenant_info *t = &(*out)[i];
		t->hosts = lines_of(d, a, "SELECT host FROM tenant_domain WHERE tenant_id = $1 ORDER BY host", t->id);
		t->categories = lines_of(d, a, "SELECT name FROM category WHERE tenant_id = $1 ORDER BY position, id", t->id);
		if (!t->hosts || !t->categories)
			return -1;
	}
	return 0;
}

int tenant_admin_list(db *d, arena *a, struct tenant_info **out, int *n)
{
	return infos(d, a, 0, out, n);
}

int tenant_admin_get(db *d, arena *a, int64_t id, struct tenant_info *out)
{
	struct tenant_info *t;
	int n;

	if (id <= 0)
		return 1;
	if (infos(d, a, id, &t, &n) < 0)
		return -1;
	if (!n)
		return 1;
	*out = t[0];
	return 0;
}

/* The non-blank lines of text, trimmed, on a; at most max (more: -1). */
static int split_lines(arena *a, const char *text, const char **out, int max)
{
	int n = 0;

	for (const char *p = text ? text : ""; *p;) {
		size_t len = strcspn(p, "\r\n");
		const char *s = p, *e = p + len;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > s) {
			if (n == max)
				return -1;
			out[n++] = arena_strndup(a, s, (size_t)(e - s));
		}
		p += len;
		p += strspn(p, "\r\n");
	}
	return n;
}

/* The checks of in that need the store; hosts into *hosts (folded). */
static int check_in(struct ctx *c, int64_t id, struct tenant_in *in, const char **hosts, int *nhosts,
		    const char **cats, int *ncats)
{
	int64_t n, at;

	*nhosts = split_lines(c->a, in->hosts, hosts, TENANT_HOSTS_MAX);
	*ncats = split_lines(c->a, in->categories, cats, TENANT_CATEGORIES_MAX);
	if (*nhosts < 0)
		return ctx_invalid(c, "hosts", "too_many", arena_printf(c->a, "最多 %d 个域名", TENANT_HOSTS_MAX));
	if (*ncats < 0)
		return ctx_invalid(c, "categories", "too_many", arena_printf(c->a, "最多 %d 个类别", TENANT_CATEGORIES_MAX));
	for (int i = 0; i < *nhosts; i++) {
		char *h = arena_strdup(c->a, hosts[i]);
		if (!tenant_host_fold(h))
			return ctx_invalid(c, "hosts", "bad_host",
					   arena_printf(c->a, "“%s”不是域名：只能含字母、数字、点和短横线", hosts[i]));
		hosts[i] = h;
		int rc = db_scalar_text(c->d, "SELECT tenant_id FROM tenant_domain WHERE host = $1", h, &at);
		if (rc < 0)
			return -1;
		if (rc == 0 && at != id)
			return ctx_fail(c, JB_ECONFLICT, "hosts", "host_taken",
					arena_printf(c->a, "域名 %s 已用于另一个地区", h));
	}
	for (int i = 0; i < *ncats; i++)
		if (utf8_len(cats[i]) > 20)
			return ctx_invalid(c, "categories", "too_long", arena_printf(c->a, "类别“%s”超过 20 个字", cats[i]));
	/* the parent exists and is not the tenant itself or one under it */
	for (at = in->parent_id; at; at = n) {
		if (at == id)
			return ctx_invalid(c, "parent_id", "cycle", "上级地区不能是本地区或其下辖地区");
		int rc = db_scalar(c->d, "SELECT coalesce(parent_id, 0) FROM tenant WHERE id = $1", &n, 1, at);
		if (rc)
			return rc < 0 ? -1 : ctx_invalid(c, "parent_id", "unknown_parent", "没有这个上级地区");
	}
	return JB_OK;
}

/* hosts and the categories not yet there, for tenant id, and its data
 * version up (action_run bumps only the actor's tenant: none for the
 * operator; region.c depends on it). */
static int write_lists(struct ctx *c, int64_t id, const char **hosts, int nhosts, const char **cats, int ncats)
{
	int64_t have, pos;

	if (db_run(c->d, "UPDATE tenant SET data_version = data_version + 1 WHERE id = $1", "i", id) < 0 ||
	    db_run(c->d, "DELETE FROM tenant_domain WHERE tenant_id = $1", "i", id) < 0)
		return -1;
	for (int i = 0; i < nhosts; i++)
		if (db_run(c->d, "INSERT INTO tenant_domain (host, tenant_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", "si",
			   hosts[i], id) < 0)
			return -1;
	if (db_scalar(c->d, "SELECT coalesce(max(position), 0) FROM category WHERE tenant_id = $1", &pos, 1, id) < 0)
		return -1;
	for (int i = 0; i < ncats; i++) {
		db_stmt *st = db_query(c->d, "SELECT count(*) FROM category WHERE tenant_id = $1 AND name = $2", "is", id,
				       cats[i]);
		int rc = st ? db_step(st) : DB_ERROR;
		have = rc == DB_ROW ? db_col_int(st, 0) : -1;
		if (st)
			db_done(st);
		if (have < 0)
			return -1;
		if (have == 0 && db_run(c->d, "INSERT INTO category (tenant_id, id, name, position) VALUES ($1, $2, $3, $4)",
					"iisi", id, db_next_id(c->d, id, "category"), cats[i], ++pos) < 0)
			return -1;
	}
	return 0;
}

/* The audit entry of a change to tenant id, in its own log. */
static int audit_tenant(struct ctx *c, int64_t id, const char *action, const struct tenant_in *in)
{
	json_t *o = json_pack("{s:s, s:s?, s:I, s:s, s:s?, s:s?}", "name", in->name, "slug", in->slug, "parent_id",
			      (json_int_t)in->parent_id, "tz", in->tz, "hosts", in->hosts, "categories", in->categories);
	char *after = o ? json_dumps(o, JSON_COMPACT) : NULL;
	const char *actor = arena_printf(c->a, "operator %s", c->who->login ? c->who->login : "");
	int rc = after ? audit_record(c->d, id, actor, action, "tenant", id, NULL, after, c->addr) : -1;

	free(after);
	json_decref(o);
	return rc;
}

struct create_args {
	struct tenant_in *in;
	const char *hash;
	int64_t id;
};

static int create_verb(struct ctx *c, void *args)
{
	struct create_args *x = args;
	struct tenant_in *in = x->in;
	const char *hosts[TENANT_HOSTS_MAX], *cats[TENANT_CATEGORIES_MAX], *why;
	struct perm_target t = { .tenant_id = c->who->tenant_id };
	int nhosts, ncats, rc;

	if (!perm_check(c->who, "tenant.manage", &t))
		return ctx_deny(c, "tenant.manage", "tenant", 0);
	if (!in->slug || (why = tenant_slug_problem(in->slug)))
		return ctx_invalid(c, "slug", "bad_slug", "简称须为 1 到 32 个小写字母、数字或短横线");
	if ((rc = check_in(c, 0, in, hosts, &nhosts, cats, &ncats)) != JB_OK)
		return rc;
	if ((rc = tenant_create(c->d, in->slug, in->name, &x->id)) != 0)
		return rc < 0 ? -1 : ctx_fail(c, JB_ECONFLICT, "slug", "slug_taken", "这个简称已被使用");
	if (db_run(c->d, "UPDATE tenant SET tz = $2, parent_id = $3 WHERE id = $1", "isd", x->id, in->tz, in->parent_id) < 0 ||
	    write_lists(c, x->id, hosts, nhosts, cats, ncats) < 0)
		return -1;
	/* the first admin, created as the command line does, in the new tenant */
	struct principal op = { .tenant_id = x->id, .login = c->who->login, .via = VIA_CLI };
	struct user_new u = { .login = "admin", .roles = ROLE_ADMIN, .hash = x->hash, .must_change = true };
	struct ctx sub;
	ctx_init(&sub, c->d, c->a, &op, c->addr);
	if ((rc = user_create(&sub, &u)) != JB_OK)
		return rc < 0 ? -1 : ctx_fail(c, rc, NULL, "admin", "无法创建该地区的管理员");
	return audit_tenant(c, x->id, "tenant.create", in) < 0 ? -1 : JB_OK;
}

int tenant_admin_create(struct ctx *c, struct tenant_in *in, int64_t *id, char pw[17])
{
	char hash[PW_HASH_MAX];
	struct create_args x = { in, hash, 0 };
	int rc;

	/* hashed before the write transaction: argon2id takes ~100 ms */
	pw_random(pw, 17);
	if (pw_hash(pw, hash) != PW_OK)
		return ctx_fail(c, JB_ESTORE, NULL, "hash", "无法生成初始密码");
	rc = action_run(c, create_verb, &x);
	*id = rc == JB_OK ? x.id : 0;
	return rc;
}

struct update_args {
	int64_t id;
	struct tenant_in *in;
};

static int update_verb(struct ctx *c, void *args)
{
	struct update_args *x = args;
	const char *hosts[TENANT_HOSTS_MAX], *cats[TENANT_CATEGORIES_MAX];
	struct perm_target t = { .tenant_id = x->id };
	int64_t there;
	int nhosts, ncats, rc;

	if (!perm_check(c->who, "tenant.manage", &t))
		return ctx_deny(c, "tenant.manage", "tenant", x->id);
	if ((rc = db_scalar(c->d, "SELECT count(*) FROM tenant WHERE id = $1", &there, 1, x->id)) < 0)
		return -1;
	if (!there)
		return ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个地区");
	if ((rc = check_in(c, x->id, x->in, hosts, &nhosts, cats, &ncats)) != JB_OK)
		return rc;
	if (db_run(c->d, "UPDATE tenant SET name = $2, tz = $3, parent_id = $4 WHERE id = $1", "issd", x->id, x->in->name,
		   x->in->tz, x->in->parent_id) < 0 ||
	    write_lists(c, x->id, hosts, nhosts, cats, ncats) < 0)
		return -1;
	x->in->slug = NULL; /* kept */
	return audit_tenant(c, x->id, "tenant.update", x->in) < 0 ? -1 : JB_OK;
}

int tenant_admin_update(struct ctx *c, int64_t id, struct tenant_in *in)
{
	struct update_args x = { id, in };

	return action_run(c, update_verb, &x);
}
