/* comment.c - comments on a problem (comment.h). */
#include "domain/comment.h"

#include <string.h>

#include "domain/perm.h"
#include "domain/state.h"

const struct bind_field comment_fields[] = {
	BIND_TEXT(struct comment_in, body, "意见内容", BIND_REQUIRED | BIND_MULTILINE, 1, COMMENT_MAX),
	BIND_END,
};

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

/* Whether who is on the team of problem_id: on the task force of one of
 * its counted claims, or the applicant of one. */
static int on_team(db *d, const struct principal *who, int64_t problem_id, bool *yes)
{
	int64_t n = 0;

	*yes = false;
	if (!who->user_id)
		return 0;
	if (db_scalar(d, "SELECT count(*) FROM claim c WHERE c.tenant_id = $1 AND c.problem_id = $2"
			 " AND c.state IN " STATE_SQL_COUNTED_CLAIMS " AND (c.applicant_user_id = $3"
			 " OR EXISTS (SELECT 1 FROM claim_member m WHERE m.tenant_id = c.tenant_id"
			 " AND m.claim_id = c.id AND m.person_id = $4))",
		      &n, 4, who->tenant_id, problem_id, who->user_id, who->person_id ? who->person_id : (int64_t)-1) < 0)
		return -1;
	*yes = n > 0;
	return 0;
}

int comment_may(db *d, const struct principal *who, int64_t problem_id, const char *action, bool *ok)
{
	struct perm_target t = { who->tenant_id, 0, 0, false };

	*ok = false;
	if (!who->user_id)
		return 0;
	if (perm_check(who, action, &t)) {
		*ok = true;
		return 0;
	}
	if (on_team(d, who, problem_id, &t.member) < 0)
		return -1;
	*ok = perm_check(who, action, &t);
	return 0;
}

static int problem_exists(db *d, int64_t tenant_id, int64_t id)
{
	int64_t n;

	return db_scalar(d, "SELECT count(*) FROM problem WHERE tenant_id = $1 AND id = $2", &n, 2, tenant_id, id) < 0
		       ? -1 : n > 0;
}

#define COLS "SELECT k.id, k.problem_id, k.user_id, k.created_at, coalesce(k.edited_at, 0)," \
	     " coalesce(k.removed_at, 0), k.removed_by, k.body, coalesce(p.name, u.login)" \
	     " FROM problem_comment k JOIN app_user u ON u.tenant_id = k.tenant_id AND u.id = k.user_id" \
	     " LEFT JOIN person p ON p.tenant_id = u.tenant_id AND p.id = u.person_id"

static void fill(arena *a, db_stmt *st, const struct principal *who, int64_t now, struct comment *x)
{
	x->id = db_col_int(st, 0);
	x->problem_id = db_col_int(st, 1);
	x->user_id = db_col_int(st, 2);
	x->created_at = db_col_int(st, 3);
	x->edited_at = db_col_int(st, 4);
	x->removed_at = db_col_int(st, 5);
	x->removed_by = arena_strdup(a, db_col_text(st, 6));
	x->body = x->removed_at ? "" : arena_strdup(a, db_col_text(st, 7));
	x->author = arena_strdup(a, db_col_text(st, 8));
	x->editable = !x->removed_at && x->user_id == who->user_id && now - x->created_at <= COMMENT_EDIT_SECONDS;
}

int comment_get(db *d, arena *a, const struct principal *who, int64_t id, int64_t now, struct comment *out)
{
	db_stmt *st = db_query(d, COLS " WHERE k.tenant_id = $1 AND k.id = $2", "ii", who->tenant_id, id);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		fill(a, st, who, now, out);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int comment_list(db *d, arena *a, const struct principal *who, int64_t problem_id, int64_t now, struct comment **out,
		 int *n)
{
	db_stmt *st;
	bool ok;
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if ((rc = problem_exists(d, who->tenant_id, problem_id)) <= 0)
		return rc < 0 ? -1 : JB_ENOTFOUND;
	if (comment_may(d, who, problem_id, "comment.read", &ok) < 0)
		return -1;
	if (!ok)
		return JB_EDENIED;
	st = db_query(d, COLS " WHERE k.tenant_id = $1 AND k.problem_id = $2 ORDER BY k.id", "ii", who->tenant_id,
		      problem_id);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		fill(a, st, who, now, ARENA_PUSH(a, *out, *n, cap));
	db_done(st);
	return rc == DB_ERROR ? -1 : JB_OK;
}

/* ---- verbs ---- */

struct writing {
	int64_t id;                /* the problem (write) or the comment */
	const struct comment_in *in;
	int64_t out;
};

static int write_verb(struct ctx *c, void *args)
{
	struct writing *x = args;
	bool ok;
	int rc = problem_exists(c->d, c->who->tenant_id, x->id);

	if (rc <= 0)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个难题");
	if (comment_may(c->d, c->who, x->id, "comment.write", &ok) < 0)
		return -1;
	if (!ok)
		return ctx_deny(c, "comment.write", "problem", x->id);
	if (blank(x->in->body))
		return ctx_invalid(c, "body", "missing_field", "请填写意见内容");
	if ((x->out = db_next_id(c->d, c->who->tenant_id, "problem_comment")) < 0)
		return -1;
	if (db_run(c->d, "INSERT INTO problem_comment (tenant_id, id, problem_id, user_id, body, created_at)"
			 " VALUES ($1, $2, $3, $4, $5, $6)", "iiiisi", c->who->tenant_id, x->out, x->id, c->who->user_id,
		   x->in->body, c->now) != DB_DONE)
		return -1;
	return ctx_audit(c, "comment.write", "comment", x->out, NULL,
			 json_pack("{s:I, s:s}", "problem_id", (json_int_t)x->id, "body", x->in->body));
}

int comment_write(struct ctx *c, int64_t problem_id, const struct comment_in *in, int64_t *id)
{
	struct writing x = { problem_id, in, 0 };
	int rc = action_run(c, write_verb, &x);

	*id = rc == JB_OK ? x.out : 0;
	return rc;
}

/* The comment of an edit or a removal: 0, or the verb's result. */
static int load(struct ctx *c, int64_t id, struct comment *k)
{
	int rc = comment_get(c->d, c->a, c->who, id, c->now, k);

	if (rc < 0)
		return -1;
	return rc ? ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这条意见") : 0;
}

static int edit_verb(struct ctx *c, void *args)
{
	struct writing *x = args;
	struct comment k;
	bool ok;
	int rc;

	if ((rc = load(c, x->id, &k)) != 0)
		return rc;
	if (comment_may(c->d, c->who, k.problem_id, "comment.write", &ok) < 0)
		return -1;
	if (!ok || k.user_id != c->who->user_id)
		return ctx_deny(c, "comment.edit", "comment", x->id);
	if (blank(x->in->body))
		return ctx_invalid(c, "body", "missing_field", "请填写意见内容");
	if (k.removed_at)
		return ctx_fail(c, JB_ECONFLICT, NULL, "removed", "这条意见已由管理员删除，不能再修改");
	if (!k.editable)
		return ctx_fail(c, JB_ECONFLICT, NULL, "too_late", "意见发表超过 15 分钟后不能再修改");
	if (db_run(c->d, "UPDATE problem_comment SET body = $3, edited_at = $4 WHERE tenant_id = $1 AND id = $2", "iisi",
		   c->who->tenant_id, x->id, x->in->body, c->now) != DB_DONE)
		return -1;
	return ctx_audit(c, "comment.edit", "comment", x->id, json_pack("{s:s}", "body", k.body),
			 json_pack("{s:I, s:s}", "problem_id", (json_int_t)k.problem_id, "body", x->in->body));
}

int comment_edit(struct ctx *c, int64_t id, const struct comment_in *in)
{
	struct writing x = { id, in, 0 };

	return action_run(c, edit_verb, &x);
}

static int remove_verb(struct ctx *c, void *args)
{
	int64_t id = *(int64_t *)args;
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	struct comment k;
	int rc;

	if (!perm_check(c->who, "comment.remove", &t))
		return ctx_deny(c, "comment.remove", "comment", id);
	if ((rc = load(c, id, &k)) != 0)
		return rc;
	if (k.removed_at)
		return ctx_fail(c, JB_ECONFLICT, NULL, "removed", "这条意见已经删除");
	if (db_run(c->d, "UPDATE problem_comment SET removed_at = $3, removed_by = $4 WHERE tenant_id = $1 AND id = $2",
		   "iiis", c->who->tenant_id, id, c->now, ctx_actor(c).name) != DB_DONE)
		return -1;
	return ctx_audit(c, "comment.remove", "comment", id,
			 json_pack("{s:I, s:s, s:s}", "problem_id", (json_int_t)k.problem_id, "author", k.author, "body",
				   k.body), NULL);
}

int comment_remove(struct ctx *c, int64_t id)
{
	return action_run(c, remove_verb, &id);
}
