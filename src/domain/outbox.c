/* outbox.c - the outbox: events rendered for each robot inside the verb's
 * transaction, the overdue digest, the admin's view and resend (robot.h).
 * Delivery is net/outbox_worker.c. */
#include "domain/config.h"
#include "domain/robot.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/asof.h"
#include "domain/notify.h"
#include "domain/state.h"
#include "util/buf.h"

#define TZ_OFFSET (8 * 3600)   /* Asia/Shanghai, as the digest */
#define DIGEST_LINES 10        /* claims named in the overdue digest */

/* The tenant's base URL for links: the public_url setting and the
 * tenant's path prefix. */
static const char *base_url(struct ctx *c, const char *slug)
{
	char pub[1024];
	size_t n;

	config_copy(CF_PUBLIC_URL, pub, sizeof(pub));
	n = strlen(pub);
	while (n && pub[n - 1] == '/')
		n--;
	return arena_printf(c->a, "%.*s/t/%s", (int)n, pub, slug);
}

static const char *new_delivery_id(struct ctx *c)
{
	unsigned char rnd[16];
	char hex[33];

	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	return arena_strdup(c->a, hex);
}

struct message {
	const char *event, *title, *text, *link, *slug;
	json_t *data;  /* borrowed */
};

/* The HTTP body for a robot of kind (a new string in c->a). */
static const char *render(struct ctx *c, const char *kind, const struct message *m, const char *delivery_id)
{
	json_t *v;
	char *s;
	const char *out;

	if (!strcmp(kind, "dingtalk"))
		v = json_pack("{s:s, s:{s:s, s:s}}", "msgtype", "markdown", "markdown", "title", m->title, "text",
			      arena_printf(c->a, "#### %s\n\n%s\n\n[查看详情](%s)", m->title, m->text, m->link));
	else if (!strcmp(kind, "wecom"))
		v = json_pack("{s:s, s:{s:s}}", "msgtype", "markdown", "markdown", "content",
			      arena_printf(c->a, "**%s**\n\n%s\n\n[查看详情](%s)", m->title, m->text, m->link));
	else {
		json_t *data = m->data ? json_deep_copy(m->data) : json_object();
		json_object_set_new(data, "title", json_string(m->title));
		json_object_set_new(data, "text", json_string(m->text));
		json_object_set_new(data, "url", json_string(m->link));
		v = json_pack("{s:s, s:s, s:s, s:I, s:o}", "event", m->event, "delivery_id", delivery_id, "tenant", m->slug,
			      "occurred_at", (json_int_t)c->now, "data", data);
	}
	s = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	out = arena_strdup(c->a, s);
	free(s);
	return out;
}

static int queue_one(struct ctx *c, int64_t robot_id, const char *kind, const struct message *m)
{
	const char *did = new_delivery_id(c);
	int64_t id = db_next_id(c->d, c->who->tenant_id, "outbox");

	if (id < 0)
		return -1;
	return db_run(c->d, "INSERT INTO outbox (tenant_id, id, robot_id, event, delivery_id, body, state, attempts,"
			    " next_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $8)", "iiisssii",
		      c->who->tenant_id, id, robot_id, m->event, did, render(c, kind, m, did), c->now * 1000,
		      c->now) == DB_DONE ? 0 : -1;
}

static int tenant_slug(struct ctx *c, const char **slug)
{
	db_stmt *st = db_query(c->d, "SELECT slug FROM tenant WHERE id = $1", "i", c->who->tenant_id);
	int rc;

	*slug = "";
	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		*slug = arena_strdup(c->a, db_col_text(st, 0));
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* Queue m to robot only (only > 0) or to every enabled robot receiving
 * m->event. How many, or -1. */
static int queue(struct ctx *c, int64_t only, struct message *m, const char *path)
{
	db_stmt *st = db_query(c->d, "SELECT id, kind, events FROM robot WHERE tenant_id = $1"
				     " AND (($2 = 0 AND enabled = 1) OR id = $2) ORDER BY id", "ii", c->who->tenant_id, only);
	struct { int64_t id; const char *kind; } *to = NULL;
	int rc, n = 0, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (!only && !robot_has_event(db_col_text(st, 2), m->event))
			continue;
		ARENA_PUSH(c->a, to, n, cap)->id = db_col_int(st, 0);
		to[n - 1].kind = arena_strdup(c->a, db_col_text(st, 1));
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	if (!n)
		return 0;
	if (tenant_slug(c, &m->slug) < 0)
		return -1;
	m->link = arena_printf(c->a, "%s%s", base_url(c, m->slug), path ? path : "/");
	for (int i = 0; i < n; i++)
		if (queue_one(c, to[i].id, to[i].kind, m) < 0)
			return -1;
	return n;
}

int outbox_event(struct ctx *c, const char *event, const char *title, const char *text, const char *path,
		 json_t *data)
{
	struct message m = { event, title, text ? text : "", NULL, NULL, data };
	int n = queue(c, 0, &m, path);

	json_decref(data);
	return n;
}

/* ---- the test message ---- */

static int test_verb(struct ctx *c, void *args)
{
	int64_t id = *(int64_t *)args;
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	struct robot r;
	struct message m = { "test", "揭榜挂帅系统测试消息", NULL, NULL, NULL, NULL };
	int rc;

	if (!perm_check(c->who, "robot.manage", &t))
		return ctx_deny(c, "robot.manage", "robot", id);
	if ((rc = robot_get(c->d, c->a, c->who->tenant_id, id, &r)) != 0)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个机器人");
	m.text = arena_printf(c->a, "这是“%s”的测试消息，由 %s 发送。收到即表示配置正确。", r.name, ctx_actor(c).name);
	if (queue(c, id, &m, "/") < 0)
		return -1;
	return ctx_audit(c, "robot.test", "robot", id, NULL, json_pack("{s:s}", "name", r.name));
}

int robot_test(struct ctx *c, int64_t id)
{
	return action_run(c, test_verb, &id);
}

/* ---- the overdue digest ---- */

int outbox_overdue_digest(struct ctx *c, int *n)
{
	time_t t = (time_t)(c->now + TZ_OFFSET);
	int64_t day_start, any = 0, count = 0;
	struct tm tm;
	buf lines = BUF_INIT;
	db_stmt *st;
	int rc, k;

	*n = 0;
	gmtime_r(&t, &tm);
	if (tm.tm_hour < DIGEST_HOUR)
		return 0;
	day_start = (c->now + TZ_OFFSET) / 86400 * 86400 - TZ_OFFSET;
	/* A robot receiving the digest that has none today. */
	if (db_scalar(c->d, "SELECT count(*) FROM robot r WHERE r.tenant_id = $1 AND r.enabled = 1"
			    " AND (',' || r.events || ',') LIKE '%,overdue_digest,%' AND NOT EXISTS (SELECT 1 FROM outbox o"
			    " WHERE o.tenant_id = r.tenant_id AND o.robot_id = r.id AND o.event = 'overdue_digest'"
			    " AND o.created_at >= $2)", &any, 2, c->who->tenant_id, day_start) < 0)
		return -1;
	if (!any)
		return 0;
	st = db_query(c->d, "SELECT c.id, p.title, c.deadline, u.name FROM claim c"
			    " JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
			    " JOIN batch b ON b.tenant_id = p.tenant_id AND b.id = p.batch_id"
			    " JOIN unit u ON u.tenant_id = c.tenant_id AND u.id = c.unit_id"
			    " WHERE c.tenant_id = $1 AND c.state IN " STATE_SQL_WORKING_CLAIMS
			    " AND NOT " BATCH_CLOSED_SQL("b", "$2") " AND c.deadline IS NOT NULL AND c.deadline < $2"
			    " ORDER BY c.deadline, c.id", "ii", c->who->tenant_id, c->now);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (count++ < DIGEST_LINES) {
			time_t dl = (time_t)(db_col_int(st, 2) + TZ_OFFSET);
			struct tm dt;
			gmtime_r(&dl, &dt);
			buf_printf(&lines, "- %s（%s，时限 %04d-%02d-%02d）\n", db_col_text(st, 1), db_col_text(st, 3),
				   dt.tm_year + 1900, dt.tm_mon + 1, dt.tm_mday);
		}
	}
	db_done(st);
	if (rc == DB_ERROR || !count) {
		buf_release(&lines);
		return rc == DB_ERROR ? -1 : 0;
	}
	if (count > DIGEST_LINES)
		buf_printf(&lines, "- 另有 %lld 项\n", (long long)(count - DIGEST_LINES));
	const char *title = arena_printf(c->a, "逾期汇总：%lld 项揭榜已超过完成时限", (long long)count);
	const char *text = arena_strdup(c->a, lines.s);
	buf_release(&lines);
	/* Only the robots without today's digest: the others got theirs. */
	struct message m = { "overdue_digest", title, text, NULL, NULL, NULL };
	json_t *data = json_pack("{s:I}", "overdue", (json_int_t)count);
	m.data = data;
	st = db_query(c->d, "SELECT r.id, r.kind FROM robot r WHERE r.tenant_id = $1 AND r.enabled = 1"
			    " AND (',' || r.events || ',') LIKE '%,overdue_digest,%' AND NOT EXISTS (SELECT 1 FROM outbox o"
			    " WHERE o.tenant_id = r.tenant_id AND o.robot_id = r.id AND o.event = 'overdue_digest'"
			    " AND o.created_at >= $2) ORDER BY r.id", "ii", c->who->tenant_id, day_start);
	struct { int64_t id; const char *kind; } *to = NULL;
	int nto = 0, cap = 0;
	if (!st) {
		json_decref(data);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		ARENA_PUSH(c->a, to, nto, cap)->id = db_col_int(st, 0);
		to[nto - 1].kind = arena_strdup(c->a, db_col_text(st, 1));
	}
	db_done(st);
	k = rc == DB_ERROR ? -1 : tenant_slug(c, &m.slug);
	if (!k) {
		m.link = arena_printf(c->a, "%s/work", base_url(c, m.slug));
		for (int i = 0; i < nto && !k; i++)
			k = queue_one(c, to[i].id, to[i].kind, &m);
	}
	json_decref(data);
	if (k < 0)
		return -1;
	*n = nto;
	return 0;
}

/* ---- the admin's view ---- */

int outbox_list(db *d, arena *a, int64_t tenant_id, const char *state, int max, struct outbox_row **out, int *n)
{
	db_stmt *st = db_query(d, "SELECT o.id, o.robot_id, o.attempts, o.next_at, o.created_at, coalesce(o.sent_at, 0),"
				  " o.event, o.delivery_id, o.state, o.last_error, r.name FROM outbox o JOIN robot r"
				  " ON r.tenant_id = o.tenant_id AND r.id = o.robot_id WHERE o.tenant_id = $1"
				  " AND ($2 = '' OR o.state = $2) ORDER BY o.id DESC LIMIT $3",
			       "isi", tenant_id, state ? state : "", (int64_t)max);
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct outbox_row *x = ARENA_PUSH(a, *out, *n, cap);
		x->id = db_col_int(st, 0);
		x->robot_id = db_col_int(st, 1);
		x->attempts = db_col_int(st, 2);
		x->next_at_ms = db_col_int(st, 3);
		x->created_at = db_col_int(st, 4);
		x->sent_at = db_col_int(st, 5);
		x->event = arena_strdup(a, db_col_text(st, 6));
		x->delivery_id = arena_strdup(a, db_col_text(st, 7));
		x->state = arena_strdup(a, db_col_text(st, 8));
		x->last_error = arena_strdup(a, db_col_text(st, 9));
		x->robot_name = arena_strdup(a, db_col_text(st, 10));
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

static int resend_verb(struct ctx *c, void *args)
{
	int64_t id = *(int64_t *)args, attempts = 0;
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	int rc;

	if (!perm_check(c->who, "robot.manage", &t))
		return ctx_deny(c, "robot.manage", "outbox", id);
	rc = db_scalar(c->d, "SELECT attempts FROM outbox WHERE tenant_id = $1 AND id = $2", &attempts, 2,
		       c->who->tenant_id, id);
	if (rc)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这条推送记录");
	rc = db_run(c->d, "UPDATE outbox SET state = 'pending', attempts = 0, next_at = $3 WHERE tenant_id = $1"
			  " AND id = $2 AND state = 'dead' RETURNING id", "iii", c->who->tenant_id, id, c->now * 1000);
	if (rc == DB_ERROR)
		return -1;
	if (rc == DB_DONE)
		return ctx_fail(c, JB_ECONFLICT, NULL, "wrong_state", "只能重新发送已失败（死信）的推送");
	return ctx_audit(c, "outbox.resend", "outbox", id, json_pack("{s:s, s:I}", "state", "dead", "attempts",
								      (json_int_t)attempts),
			 json_pack("{s:s, s:i}", "state", "pending", "attempts", 0));
}

int outbox_resend(struct ctx *c, int64_t id)
{
	return action_run(c, resend_verb, &id);
}

int outbox_counts(db *d, int64_t *pending, int64_t *dead, int64_t *sent)
{
	db_stmt *st = db_query(d, "SELECT state, count(*) FROM outbox GROUP BY state", "");
	int rc;

	*pending = *dead = *sent = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *s = db_col_text(st, 0);
		int64_t n = db_col_int(st, 1);
		*(!strcmp(s, "pending") ? pending : !strcmp(s, "dead") ? dead : sent) += n;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}
