/* robot.c - group robots and webhooks: their configuration verbs
 * (robot.h). The outbox is in outbox.c. */
#include "domain/robot.h"

#include <string.h>

#include "util/egress.h"

const struct label robot_kinds[] = {
	{ "dingtalk", "钉钉群机器人" },
	{ "wecom", "企业微信群机器人" },
	{ "webhook", "通用 Webhook" },
	{ NULL, NULL },
};

const struct label robot_events[] = {
	{ "board_published", "榜单发布" },
	{ "claim_approved", "揭榜申请通过" },
	{ "supervision_issued", "督办" },
	{ "overdue_digest", "逾期汇总" },
	{ "evaluation_result", "验收结果" },
	{ "notice_opened", "公示开始" },
	{ NULL, NULL },
};

#define NAME_MAX_CHARS 64
#define URL_MAX_BYTES 1024
#define SECRET_MAX_BYTES 256

bool robot_has_event(const char *events, const char *code)
{
	size_t n = strlen(code);

	for (const char *p = events; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && !memcmp(p, code, n))
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

static void robot_fill(arena *a, db_stmt *st, struct robot *x)
{
	x->id = db_col_int(st, 0);
	x->kind = arena_strdup(a, db_col_text(st, 1));
	x->name = arena_strdup(a, db_col_text(st, 2));
	x->url = arena_strdup(a, db_col_text(st, 3));
	x->has_secret = *db_col_text(st, 4) != 0;
	x->events = arena_strdup(a, db_col_text(st, 5));
	x->enabled = db_col_int(st, 6) != 0;
	x->created_at = db_col_int(st, 7);
	x->updated_at = db_col_int(st, 8);
}

#define ROBOT_COLS "id, kind, name, url, secret, events, enabled, created_at, updated_at"

int robot_list(db *d, arena *a, int64_t tenant_id, struct robot **out, int *n)
{
	db_stmt *st = db_query(d, "SELECT " ROBOT_COLS " FROM robot WHERE tenant_id = $1 ORDER BY id", "i", tenant_id);
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		robot_fill(a, st, ARENA_PUSH(a, *out, *n, cap));
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int robot_get(db *d, arena *a, int64_t tenant_id, int64_t id, struct robot *out)
{
	db_stmt *st = db_query(d, "SELECT " ROBOT_COLS " FROM robot WHERE tenant_id = $1 AND id = $2", "ii", tenant_id, id);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		robot_fill(a, st, out);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* ---- the verbs ---- */

static bool may_manage(struct ctx *c)
{
	struct perm_target t = { c->who->tenant_id, 0, 0, false };

	return perm_check(c->who, "robot.manage", &t);
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Check in (url_why: the address policy's verdict on in->url, made
 * before the transaction); the events as a comma list in *events. JB_OK
 * or JB_EINVALID. */
static int robot_check(struct ctx *c, const struct robot_in *in, const char *url_why, const char **events)
{
	char *list = arena_strdup(c->a, "");

	if (!in->kind || !label_of(robot_kinds, in->kind))
		ctx_invalid(c, "kind", "bad_kind", "请选择机器人类型（钉钉、企业微信或通用 Webhook）");
	if (!in->name || !*in->name)
		ctx_invalid(c, "name", "missing_field", "请填写名称");
	else if (utf8_chars(in->name) > NAME_MAX_CHARS)
		ctx_invalid(c, "name", "too_long", "名称最多 64 个字");
	if (!in->url || !*in->url)
		ctx_invalid(c, "url", "missing_field", "请填写机器人或 Webhook 的地址");
	else if (strlen(in->url) > URL_MAX_BYTES)
		ctx_invalid(c, "url", "too_long", "地址太长（最多 1024 个字符）");
	else if (url_why)
		ctx_invalid(c, "url", "bad_url", url_why);
	if (in->secret && strlen(in->secret) > SECRET_MAX_BYTES)
		ctx_invalid(c, "secret", "too_long", "密钥太长（最多 256 个字符）");
	for (int i = 0; i < in->nevents; i++) {
		if (!label_of(robot_events, in->events[i])) {
			ctx_invalid(c, "events", "bad_event", "没有这种推送事件");
			break;
		}
		if (!robot_has_event(list, in->events[i]))
			list = arena_printf(c->a, "%s%s%s", list, *list ? "," : "", in->events[i]);
	}
	*events = list;
	return c->nerrs ? JB_EINVALID : JB_OK;
}

static json_t *robot_json(const char *kind, const char *name, const char *url, const char *events, bool enabled,
			  bool has_secret)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "kind", kind, "name", name, "url", url, "events", events,
			 "enabled", enabled, "secret_set", has_secret);
}

struct saving {
	int64_t id;
	const struct robot_in *in;
	const char *url_why;
	int64_t out_id;
};

static int save_verb(struct ctx *c, void *args)
{
	struct saving *x = args;
	const struct robot_in *in = x->in;
	const char *events, *secret = in->secret && *in->secret ? in->secret : NULL;
	struct robot was;
	int64_t n = 0;
	int rc;

	if (!may_manage(c))
		return ctx_deny(c, "robot.manage", "robot", x->id);
	if (x->id && (rc = robot_get(c->d, c->a, c->who->tenant_id, x->id, &was)) != 0)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个机器人");
	if ((rc = robot_check(c, in, x->url_why, &events)) != JB_OK)
		return rc;
	if (!x->id) {
		if (db_scalar(c->d, "SELECT count(*) FROM robot WHERE tenant_id = $1", &n, 1, c->who->tenant_id) < 0)
			return -1;
		if (n >= ROBOT_MAX)
			return ctx_fail(c, JB_ECONFLICT, NULL, "too_many", "机器人最多 50 个，请先删除不用的");
		if ((x->out_id = db_next_id(c->d, c->who->tenant_id, "robot")) < 0)
			return -1;
		if (db_run(c->d, "INSERT INTO robot (tenant_id, id, kind, name, url, secret, events, enabled, created_at,"
				 " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)", "iisssssii", c->who->tenant_id,
			   x->out_id, in->kind, in->name, in->url, secret ? secret : "", events, (int64_t)in->enabled,
			   c->now) != DB_DONE)
			return -1;
		return ctx_audit(c, "robot.create", "robot", x->out_id, NULL,
				 robot_json(in->kind, in->name, in->url, events, in->enabled, secret != NULL));
	}
	x->out_id = x->id;
	bool has_secret = secret ? true : in->clear_secret ? false : was.has_secret;
	if (db_run(c->d, "UPDATE robot SET kind = $3, name = $4, url = $5, events = $6, enabled = $7, updated_at = $8,"
			 " secret = CASE WHEN $9 = 1 THEN $10 WHEN $11 = 1 THEN '' ELSE secret END"
			 " WHERE tenant_id = $1 AND id = $2", "iissssiiisi", c->who->tenant_id, x->id, in->kind, in->name,
		   in->url, events, (int64_t)in->enabled, c->now, (int64_t)(secret != NULL), secret ? secret : "",
		   (int64_t)in->clear_secret) != DB_DONE)
		return -1;
	return ctx_audit(c, "robot.update", "robot", x->id,
			 robot_json(was.kind, was.name, was.url, was.events, was.enabled, was.has_secret),
			 robot_json(in->kind, in->name, in->url, events, in->enabled, has_secret));
}

int robot_save(struct ctx *c, int64_t id, const struct robot_in *in, int64_t *out_id)
{
	struct saving x = { id, in, NULL, 0 };
	int rc;

	/* The host is resolved here, outside the write transaction: a slow
	 * resolver must not hold the store's write lock. */
	if (in->url && *in->url && strlen(in->url) <= URL_MAX_BYTES && may_manage(c))
		x.url_why = egress_url_check(in->url);
	rc = action_run(c, save_verb, &x);

	*out_id = rc == JB_OK ? x.out_id : 0;
	return rc;
}

static int delete_verb(struct ctx *c, void *args)
{
	int64_t id = *(int64_t *)args;
	struct robot was;
	int rc;

	if (!may_manage(c))
		return ctx_deny(c, "robot.manage", "robot", id);
	if ((rc = robot_get(c->d, c->a, c->who->tenant_id, id, &was)) != 0)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个机器人");
	if (db_run(c->d, "DELETE FROM outbox WHERE tenant_id = $1 AND robot_id = $2", "ii", c->who->tenant_id, id) ==
		    DB_ERROR ||
	    db_run(c->d, "DELETE FROM robot WHERE tenant_id = $1 AND id = $2", "ii", c->who->tenant_id, id) == DB_ERROR)
		return -1;
	return ctx_audit(c, "robot.delete", "robot", id,
			 robot_json(was.kind, was.name, was.url, was.events, was.enabled, was.has_secret), NULL);
}

int robot_delete(struct ctx *c, int64_t id)
{
	return action_run(c, delete_verb, &id);
}
