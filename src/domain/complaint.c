/* complaint.c - the complaint and suggestion channel (complaint.h). */
#include "domain/complaint.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/audit.h"
#include "domain/notify.h"
#include "domain/perm.h"
#include "domain/ratelimit.h"

#define TZ_OFFSET (8 * 3600) /* Asia/Shanghai, no daylight saving */

/* No 0/O, 1/I: read aloud or copied from paper without mistakes. 32
 * letters, so a random byte's low 5 bits pick one without bias. */
static const char ref_alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/* The message of a refused honeypot: says nothing of why. */
#define REFUSED "提交未成功，请刷新页面后重新填写"

const struct label complaint_kinds[] = {
	{ "complaint", "投诉" },
	{ "suggestion", "建议" },
	{ NULL, NULL },
};

const struct bind_field complaint_fields[] = {
	BIND_CHOICE(struct complaint_in, kind, "类型", BIND_REQUIRED, complaint_kinds),
	BIND_TEXT(struct complaint_in, subject, "主题", BIND_REQUIRED, 2, 60),
	BIND_TEXT(struct complaint_in, body, "内容", BIND_REQUIRED | BIND_MULTILINE, 5, 2000),
	BIND_TEXT(struct complaint_in, name, "姓名", 0, 1, 30),
	BIND_TEXT(struct complaint_in, contact, "联系方式", 0, 1, 60),
	/* Any length and lines: a robot's value must not earn a message naming the field. */
	BIND_TEXT(struct complaint_in, website, "网站", BIND_MULTILINE, 0, INT32_MAX),
	BIND_END,
};

const struct bind_field complaint_answer_fields[] = {
	BIND_TEXT(struct complaint_answer_in, answer, "答复", BIND_REQUIRED | BIND_MULTILINE, 2, 2000),
	BIND_INT(struct complaint_answer_in, answered_at, "答复时间", 0, 0, INT64_MAX),
	BIND_END,
};

static const struct rate_rule per_addr = { "complaint", COMPLAINT_PER_ADDR, 3600 };

/* Whether s holds nothing but spaces, tabs, line breaks and ideographic
 * spaces (U+3000). */
static bool blank(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			continue;
		if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) {
			p += 2;
			continue;
		}
		return false;
	}
	return true;
}

static int audit_complaint(struct ctx *c, const char *action, int64_t id, json_t *before, json_t *after)
{
	struct actor by = ctx_actor(c);
	char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char *af = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
	int rc = audit_record(c->d, by.tenant_id, by.name, action, "complaint", id, b, af, by.addr);

	free(b);
	free(af);
	json_decref(before);
	json_decref(after);
	return rc;
}

/* ---- reference numbers ---- */

/* A fresh reference for a complaint sent at now, on a. */
static const char *ref_random(arena *a, int64_t now)
{
	time_t t = (time_t)(now + TZ_OFFSET);
	unsigned char raw[8];
	char tail[sizeof(raw) + 1];
	struct tm tm;

	gmtime_r(&t, &tm);
	randombytes_buf(raw, sizeof(raw));
	for (size_t i = 0; i < sizeof(raw); i++)
		tail[i] = ref_alphabet[raw[i] & 31];
	tail[sizeof(raw)] = '\0';
	sodium_memzero(raw, sizeof(raw));
	return arena_printf(a, "TS%04d%02d%02d-%s", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tail);
}

/* A reference no complaint of the tenant has yet (a repeat is a 2^-40
 * chance a day, but a UNIQUE violation would fail the submission). */
static int ref_unused(struct ctx *c, const char **ref)
{
	for (int tries = 0; tries < 4; tries++) {
		int64_t n = -1;
		const char *r = ref_random(c->a, c->now);
		db_stmt *st = db_query(c->d, "SELECT count(*) FROM complaint WHERE tenant_id = $1 AND ref = $2", "is",
				       c->who->tenant_id, r);
		if (!st)
			return -1;
		if (db_step(st) == DB_ROW)
			n = db_col_int(st, 0);
		db_done(st);
		if (n < 0)
			return -1;
		if (n == 0) {
			*ref = r;
			return 0;
		}
	}
	return -1;
}

const char *complaint_ref_normal(arena *a, const char *typed)
{
	const char *s = typed ? typed : "";
	size_t n;
	char *out;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n != COMPLAINT_REF_LEN)
		return NULL;
	out = arena_strndup(a, s, n);
	for (size_t i = 0; i < n; i++) {
		char ch = out[i] >= 'a' && out[i] <= 'z' ? (char)(out[i] - 'a' + 'A') : out[i];
		bool ok = i < 2 ? ch == "TS"[i]
			: i < 10 ? ch >= '0' && ch <= '9'
			: i == 10 ? ch == '-'
			: strchr(ref_alphabet, ch) != NULL;
		if (!ok || !ch)
			return NULL;
		out[i] = ch;
	}
	return out;
}

/* ---- reading ---- */

/* Erased details read as 已匿名 (pii.h). */
#define COLS "SELECT c.id, c.ref, c.kind, coalesce(c.user_id, 0)," \
	     " CASE WHEN c.contact_erased_at IS NULL THEN c.name ELSE '已匿名' END," \
	     " CASE WHEN c.contact_erased_at IS NULL THEN c.contact ELSE '已匿名' END, c.subject, c.body," \
	     " c.created_at, c.answer, c.answered_by, coalesce(c.answered_at, 0), coalesce(u.login, '')" \
	     " FROM complaint c LEFT JOIN app_user u ON u.tenant_id = c.tenant_id AND u.id = c.user_id"

static void fill(arena *a, db_stmt *st, struct complaint *x)
{
	x->id = db_col_int(st, 0);
	x->ref = arena_strdup(a, db_col_text(st, 1));
	x->kind = arena_strdup(a, db_col_text(st, 2));
	x->user_id = db_col_int(st, 3);
	x->name = arena_strdup(a, db_col_text(st, 4));
	x->contact = arena_strdup(a, db_col_text(st, 5));
	x->subject = arena_strdup(a, db_col_text(st, 6));
	x->body = arena_strdup(a, db_col_text(st, 7));
	x->created_at = db_col_int(st, 8);
	x->answer = arena_strdup(a, db_col_text(st, 9));
	x->answered_by = arena_strdup(a, db_col_text(st, 10));
	x->answered_at = db_col_int(st, 11);
	x->sender = arena_strdup(a, db_col_text(st, 12));
}

/* The one row of st, stepped and done: 0, 1 none, -1. */
static int one(arena *a, db_stmt *st, struct complaint *out)
{
	int rc;

	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		fill(a, st, out);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int complaint_by_id(db *d, arena *a, int64_t tenant_id, int64_t id, struct complaint *out)
{
	return one(a, db_query(d, COLS " WHERE c.tenant_id = $1 AND c.id = $2", "ii", tenant_id, id), out);
}

int complaint_get(db *d, arena *a, int64_t tenant_id, const char *ref, struct complaint *out)
{
	const char *key = complaint_ref_normal(a, ref);
	int rc;

	if (!key)
		return 1;
	rc = one(a, db_query(d, COLS " WHERE c.tenant_id = $1 AND c.ref = $2", "is", tenant_id, key), out);
	if (rc == 0)
		out->name = out->contact = out->sender = out->answered_by = "";
	return rc;
}

/* Rows of st into out, at most COMPLAINT_PAGE (st asks for one more, to
 * know whether there are more). 0 or -1. */
static int rows(arena *a, db_stmt *st, struct complaint_page *out)
{
	int rc, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (out->n == COMPLAINT_PAGE) {
			out->more = true;
			continue;
		}
		fill(a, st, ARENA_PUSH(a, out->items, out->n, cap));
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

static int counts(db *d, int64_t tenant_id, struct complaint_page *out)
{
	db_stmt *st = db_query(d, "SELECT coalesce(sum(CASE WHEN answered_at IS NULL THEN 1 ELSE 0 END), 0), count(*)"
				  " FROM complaint WHERE tenant_id = $1", "i", tenant_id);
	int rc;

	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->open = db_col_int(st, 0);
		out->answered = db_col_int(st, 1) - out->open;
	}
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

int complaint_queue(db *d, arena *a, int64_t tenant_id, enum complaint_state state, int64_t page,
		    struct complaint_page *out)
{
	int64_t offset = (page > 1 ? page - 1 : 0) * COMPLAINT_PAGE;
	int rc;

	memset(out, 0, sizeof(*out));
	if (db_begin(d, DB_READ) < 0)
		return -1;
	rc = counts(d, tenant_id, out);
	if (rc == 0)
		rc = rows(a, db_query(d, COLS " WHERE c.tenant_id = $1 AND ($2 = 0 OR ($2 = 1 AND c.answered_at IS NULL)"
					   " OR ($2 = 2 AND c.answered_at IS NOT NULL))"
					   " ORDER BY CASE WHEN c.answered_at IS NULL THEN 0 ELSE 1 END,"
					   " CASE WHEN c.answered_at IS NULL THEN c.id ELSE 0 END, c.answered_at DESC, c.id DESC"
					   " LIMIT $3 OFFSET $4",
				      "iiii", tenant_id, (int64_t)state, (int64_t)COMPLAINT_PAGE + 1, offset), out);
	if (rc < 0) {
		db_rollback(d);
		return -1;
	}
	return db_commit(d) < 0 ? -1 : 0;
}

int complaint_mine(db *d, arena *a, int64_t tenant_id, int64_t user_id, int64_t page, struct complaint_page *out)
{
	int64_t offset = (page > 1 ? page - 1 : 0) * COMPLAINT_PAGE;

	memset(out, 0, sizeof(*out));
	return rows(a, db_query(d, COLS " WHERE c.tenant_id = $1 AND c.user_id = $2 ORDER BY c.id DESC LIMIT $3 OFFSET $4",
				"iiii", tenant_id, user_id, (int64_t)COMPLAINT_PAGE + 1, offset), out);
}

/* ---- submitting ---- */

struct submission {
	const struct complaint_in *in;
	int64_t id;
	const char *ref;
};

static int submit_verb(struct ctx *c, void *args)
{
	struct submission *x = args;
	const struct complaint_in *in = x->in;
	bool resident = c->who->user_id == 0;
	int rc = JB_OK;

	if (in->website && *in->website)
		return ctx_invalid(c, NULL, "refused", REFUSED);
	if (blank(in->subject))
		rc = ctx_invalid(c, "subject", "missing_field", "请填写主题");
	if (blank(in->body))
		rc = ctx_invalid(c, "body", "missing_field", "请填写内容");
	if (rc != JB_OK)
		return rc;
	if (resident && (rc = rate_hit(c, &per_addr)) != JB_OK)
		return rc;
	if ((x->id = db_next_id(c->d, c->who->tenant_id, "complaint")) < 0 || ref_unused(c, &x->ref) < 0)
		return -1;
	if (db_run(c->d, "INSERT INTO complaint (tenant_id, id, ref, kind, user_id, name, contact, subject, body,"
			 " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
		   "iissdssssi", c->who->tenant_id, x->id, x->ref, in->kind, c->who->user_id,
		   resident && in->name ? in->name : "", resident && in->contact ? in->contact : "", in->subject,
		   in->body, c->now) != DB_DONE)
		return -1;
	return audit_complaint(c, "complaint.create", x->id, NULL,
			       json_pack("{s:s, s:s}", "kind", in->kind, "subject", in->subject));
}

int complaint_submit(struct ctx *c, const struct complaint_in *in, int64_t *id, const char **ref)
{
	struct submission x = { in, 0, NULL };
	int rc = action_run(c, submit_verb, &x);

	*id = rc == JB_OK ? x.id : 0;
	*ref = rc == JB_OK ? x.ref : NULL;
	return rc;
}

/* ---- answering ---- */

struct answering {
	int64_t id;
	const struct complaint_answer_in *in;
};

/* Tell a signed-in sender that old has been answered (or its answer revised). */
static int tell_sender(struct ctx *c, const struct complaint *old)
{
	const char *kind = label_of(complaint_kinds, old->kind);
	const char *title = arena_printf(c->a, old->answered_at ? "您的%s的答复已更新" : "您的%s已有答复",
					 kind ? kind : "投诉建议");

	return notify(c, old->user_id, "complaint.answer", "complaint", old->id, title,
		      arena_printf(c->a, "“%s”", old->subject));
}

static int answer_verb(struct ctx *c, void *args)
{
	struct answering *x = args;
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	struct complaint old;
	int64_t at;
	int rc;

	if (!perm_check(c->who, "complaint.answer", &t))
		return ctx_deny(c, "complaint.answer", "complaint", x->id);
	rc = complaint_by_id(c->d, c->a, c->who->tenant_id, x->id, &old);
	if (rc)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这条投诉建议");
	if (blank(x->in->answer))
		return ctx_invalid(c, "answer", "missing_field", "请填写答复");
	if (old.answered_at != x->in->answered_at)
		return ctx_fail(c, JB_ECONFLICT, NULL, "answer_changed",
				"这条投诉建议刚刚已被答复或修改了答复，请阅读现在的答复后再决定是否修改");
	at = c->now > old.answered_at ? c->now : old.answered_at + 1;
	rc = db_run(c->d, "UPDATE complaint SET answer = $3, answered_by = $4, answered_at = $5"
			  " WHERE tenant_id = $1 AND id = $2 AND coalesce(answered_at, 0) = $6 RETURNING id",
		    "iissii", c->who->tenant_id, x->id, x->in->answer, ctx_actor(c).name, at, old.answered_at);
	if (rc == DB_ERROR)
		return -1;
	if (rc == DB_DONE) /* cannot happen while writers are serialized; kept as the compare-and-set */
		return ctx_fail(c, JB_ECONFLICT, NULL, "answer_changed", "这条投诉建议刚刚已被答复，请刷新后再试");
	if (tell_sender(c, &old) < 0)
		return -1;
	return audit_complaint(c, "complaint.answer", x->id,
			       old.answered_at ? json_pack("{s:s}", "answer", old.answer) : NULL,
			       json_pack("{s:s}", "answer", x->in->answer));
}

int complaint_answer(struct ctx *c, int64_t id, const struct complaint_answer_in *in)
{
	struct answering x = { id, in };

	return action_run(c, answer_verb, &x);
}
