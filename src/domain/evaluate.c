/* evaluate.c - the evaluation verbs (evaluate.h): panels, assignment,
 * scores, reopening, acceptance and the return's next round. The reads
 * they share with the pages are in evaluate_read.c. */
#include "domain/robot.h"
#include "domain/evaluate.h"

#include <string.h>

#include "domain/claim.h"
#include "domain/evaluate_int.h"
#include "domain/notify.h"
#include "domain/password.h"
#include "domain/user.h"
#include "util/text.h"

#define DAY 86400
#define TZ_OFFSET (8 * 3600)

static const struct bind_field external_fields[] = {
	BIND_TEXT(struct external_in, name, "姓名", BIND_REQUIRED, 1, 40),
	BIND_TEXT(struct external_in, organisation, "工作单位", BIND_REQUIRED, 1, 60),
	BIND_TEXT(struct external_in, login, "登录名", BIND_REQUIRED, 2, LOGIN_MAX),
	BIND_TEXT(struct external_in, password, "初始密码", BIND_REQUIRED, 1, 128),
	BIND_END,
};

const struct bind_field panel_fields[] = {
	BIND_TEXT(struct panel_in, name, "考评组名称", BIND_REQUIRED, 1, PANEL_NAME_MAX),
	BIND_IDS(struct panel_in, user_ids, "考评组成员", 0, PANEL_MEMBERS_MAX),
	BIND_LIST(struct panel_in, externals, "外部成员", 0, PANEL_EXTERNALS_MAX, external_fields, struct external_in),
	BIND_END,
};

const struct bind_field panel_update_fields[] = {
	BIND_TEXT(struct panel_update_in, name, "考评组名称", 0, 1, PANEL_NAME_MAX),
	BIND_IDS(struct panel_update_in, add_user_ids, "增加的成员", 0, PANEL_MEMBERS_MAX),
	BIND_IDS(struct panel_update_in, remove_user_ids, "移出的成员", 0, PANEL_MEMBERS_MAX),
	BIND_LIST(struct panel_update_in, externals, "外部成员", 0, PANEL_EXTERNALS_MAX, external_fields,
		  struct external_in),
	BIND_END,
};

const struct bind_field assign_fields[] = {
	BIND_IDS(struct assign_in, claim_ids, "揭榜", 0, 1000),
	BIND_ID(struct assign_in, category_id, "类别", 0),
	BIND_BOOL(struct assign_in, all, "全部"),
	BIND_CHOICE(struct assign_in, stage, "考评阶段", 0, eval_stages),
	BIND_END,
};

static const struct bind_field score_fields[] = {
	BIND_TEXT(struct score_in, criterion, "评分项", BIND_REQUIRED, 1, RUBRIC_NAME_MAX),
	BIND_DECIMAL(struct score_in, score, "分数", BIND_REQUIRED, 2, 0, RUBRIC_SCORE_MAX),
	BIND_END,
};

const struct bind_field submit_fields[] = {
	BIND_LIST(struct submit_in, scores, "评分", BIND_REQUIRED, RUBRIC_CRITERIA_MAX, score_fields, struct score_in),
	BIND_TEXT(struct submit_in, comment, "评语", BIND_MULTILINE, 0, EVAL_COMMENT_MAX),
	BIND_CHOICE(struct submit_in, stage, "考评阶段", 0, eval_stages),
	BIND_END,
};

const struct bind_field reopen_fields[] = {
	BIND_TEXT(struct reopen_in, reason, "退回理由", BIND_REQUIRED | BIND_MULTILINE, 1, EVAL_REASON_MAX),
	BIND_END,
};

/* ---- permissions and notices ---- */

static bool may(struct ctx *c, const char *action)
{
	struct perm_target t = { c->who->tenant_id, 0, 0, false };

	return perm_check(c->who, action, &t);
}

static int manage_or_deny(struct ctx *c, const char *object_type, int64_t id)
{
	return may(c, "evaluation.manage") ? JB_OK : ctx_deny(c, "evaluation.manage", object_type, id);
}

/* Tell a panel's members, except the actor. */
static int tell_panel(struct ctx *c, int64_t panel_id, const char *kind, const char *title)
{
	db_stmt *st = db_query(c->d, "SELECT m.user_id FROM panel_member m JOIN app_user u ON u.tenant_id = m.tenant_id"
				     " AND u.id = m.user_id WHERE m.tenant_id = $1 AND m.panel_id = $2 AND u.disabled = 0"
				     " AND m.user_id <> $3 ORDER BY m.user_id",
			       "iii", c->who->tenant_id, panel_id, c->who->user_id);

	return notify_users(c, st, kind, "panel", panel_id, title, "") < 0 ? -1 : 0;
}

/* Tell the claim's task force and the tenant's admins (either may be off). */
static int tell_claim(struct ctx *c, const struct ek *k, bool team, bool admins, const char *kind, const char *title,
		      const char *body)
{
	db_stmt *st = db_query(c->d,
		"SELECT u.id FROM app_user u WHERE u.tenant_id = $1 AND u.disabled = 0 AND u.id <> $2 AND ("
		" ($3 <> 0 AND u.person_id IN (SELECT m.person_id FROM claim_member m WHERE m.tenant_id = $1"
		"   AND m.claim_id = $4))"
		" OR ($5 <> 0 AND EXISTS (SELECT 1 FROM user_role r WHERE r.tenant_id = $1 AND r.user_id = u.id"
		"   AND r.role = 'admin'))) ORDER BY u.id",
		"iiiii", c->who->tenant_id, c->who->user_id, (int64_t)team, k->id, (int64_t)admins);

	return notify_users(c, st, kind, "claim", k->id, title, body) < 0 ? -1 : 0;
}

/* ---- panels ---- */

struct pn {
	int64_t id, batch_id;
	const char *name;
};

static int load_panel(struct ctx *c, int64_t id, struct pn *p)
{
	db_stmt *st = db_query(c->d, "SELECT id, batch_id, name FROM panel WHERE tenant_id = $1 AND id = $2", "ii",
			       c->who->tenant_id, id);
	int rc;

	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		p->id = db_col_int(st, 0);
		p->batch_id = db_col_int(st, 1);
		p->name = arena_strdup(c->a, db_col_text(st, 2));
	}
	db_done(st);
	if (rc == DB_DONE)
		return ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", arena_printf(c->a, "没有编号为 %lld 的考评组", (long long)id));
	return rc == DB_ROW ? JB_OK : -1;
}

/* Whether user id is an enabled evaluator of the tenant: JB_OK, or the
 * reason as field's error. */
static int check_evaluator(struct ctx *c, const char *field, int64_t id)
{
	db_stmt *st = db_query(c->d, "SELECT u.login, u.disabled, " ROLE_BITS_SQL " FROM app_user u"
				     " WHERE u.tenant_id = $1 AND u.id = $2", "ii", c->who->tenant_id, id);
	const char *login = NULL;
	int64_t disabled = 0, roles = 0;
	int rc;

	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		login = arena_strdup(c->a, db_col_text(st, 0));
		disabled = db_col_int(st, 1);
		roles = db_col_int(st, 2);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	if (!login)
		return ctx_invalid(c, field, "bad_user", arena_printf(c->a, "没有编号为 %lld 的账号", (long long)id));
	if (disabled)
		return ctx_invalid(c, field, "disabled", arena_printf(c->a, "账号“%s”已停用，不能加入考评组", login));
	if (!(roles & ROLE_EVALUATOR))
		return ctx_invalid(c, field, "not_evaluator",
				   arena_printf(c->a, "账号“%s”没有“考评人员”角色，不能加入考评组", login));
	return JB_OK;
}

static int member_count(struct ctx *c, int64_t panel_id, int64_t user_id, int64_t *n)
{
	return db_scalar(c->d, "SELECT count(*) FROM panel_member WHERE tenant_id = $1 AND panel_id = $2 AND user_id = $3",
			 n, 3, c->who->tenant_id, panel_id, user_id) < 0 ? -1 : 0;
}

/* name and organisation: an external member's ("" for an account of the county's). */
static int insert_member(struct ctx *c, int64_t panel_id, int64_t user_id, const char *name, const char *organisation)
{
	return db_run(c->d, "INSERT INTO panel_member (tenant_id, panel_id, user_id, name, organisation, added_at)"
			    " VALUES ($1, $2, $3, $4, $5, $6)",
		      "iiissi", c->who->tenant_id, panel_id, user_id, name, organisation, c->now) == DB_DONE ? 0 : -1;
}

/* Check the accounts to add (ids, field names its errors), none twice
 * nor already on the panel (panel_id 0: a new one). */
static int check_ids(struct ctx *c, const struct bind_ids *ids, const char *field, int64_t panel_id)
{
	int errs = c->nerrs;

	for (int i = 0; i < ids->n; i++) {
		int64_t on = 0;
		int rc = check_evaluator(c, field, ids->v[i]);
		if (rc < 0)
			return -1;
		for (int j = 0; j < i && rc == JB_OK; j++)
			if (ids->v[j] == ids->v[i])
				rc = ctx_invalid(c, field, "duplicate", "同一个账号选了两次");
		if (rc == JB_OK && panel_id && member_count(c, panel_id, ids->v[i], &on) < 0)
			return -1;
		if (on)
			ctx_invalid(c, field, "member", "这个账号已在考评组中");
	}
	return c->nerrs > errs ? JB_EINVALID : JB_OK;
}

static int login_count(struct ctx *c, const char *login, int64_t *n)
{
	db_stmt *st = db_query(c->d, "SELECT count(*) FROM app_user WHERE tenant_id = $1 AND login = $2", "is",
			       c->who->tenant_id, login);
	int rc;

	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		*n = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

/* Check the external members before any is created. */
static int check_externals(struct ctx *c, const struct bind_list *l)
{
	const struct external_in *x = l->items;
	int errs = c->nerrs;

	for (int i = 0; i < l->n; i++) {
		const char *login = user_fold_login(c->a, x[i].login), *why = user_login_problem(login);
		const char *f = arena_printf(c->a, "externals.%d.login", i);
		int64_t taken = 0;
		if (why) {
			ctx_invalid(c, f, "bad_login", why);
			continue;
		}
		if (login_count(c, login, &taken) < 0)
			return -1;
		for (int j = 0; j < i; j++)
			if (!strcmp(user_fold_login(c->a, x[j].login), login))
				taken = 1;
		if (taken)
			ctx_invalid(c, f, "login_taken", "这个登录名已被使用");
		if (!x[i].hash)
			ctx_invalid(c, arena_printf(c->a, "externals.%d.password", i), "bad_password", "请设置初始密码");
	}
	return c->nerrs > errs ? JB_EINVALID : JB_OK;
}

/* Create the external members' accounts and add them to the panel. */
static int add_externals(struct ctx *c, int64_t panel_id, const struct bind_list *l, json_t *log)
{
	const struct external_in *x = l->items;

	for (int i = 0; i < l->n; i++) {
		struct user_new n = { .login = user_fold_login(c->a, x[i].login), .roles = ROLE_EVALUATOR,
				      .hash = x[i].hash, .must_change = true };
		int rc = user_create(c, &n);
		if (rc != JB_OK)
			return rc;
		if (insert_member(c, panel_id, n.id, x[i].name, x[i].organisation) < 0)
			return -1;
		json_array_append_new(log, json_pack("{s:I, s:s, s:s, s:s}", "user_id", (json_int_t)n.id, "login", n.login,
						     "name", x[i].name, "organisation", x[i].organisation));
	}
	return JB_OK;
}

static json_t *ids_json(const struct bind_ids *ids)
{
	json_t *a = json_array();

	for (int i = 0; i < ids->n; i++)
		json_array_append_new(a, json_integer(ids->v[i]));
	return a;
}

static int name_taken(struct ctx *c, int64_t batch_id, const char *name, int64_t except)
{
	db_stmt *st = db_query(c->d, "SELECT count(*) FROM panel WHERE tenant_id = $1 AND batch_id = $2 AND name = $3"
				     " AND id <> $4", "iisi", c->who->tenant_id, batch_id, name, except);
	int64_t n = -1;

	if (st && db_step(st) == DB_ROW)
		n = db_col_int(st, 0);
	if (st)
		db_done(st);
	if (n < 0)
		return -1;
	return n ? ctx_invalid(c, "name", "name_taken", "本批次已有同名的考评组") : JB_OK;
}

struct create_args {
	int64_t batch_id;
	struct panel_in *in;
	int64_t *id;
};

static int create_verb(struct ctx *c, void *args)
{
	struct create_args *x = args;
	struct panel_in *in = x->in;
	int64_t batch = 0;
	json_t *ext;
	int rc;

	if ((rc = manage_or_deny(c, "batch", x->batch_id)) != JB_OK)
		return rc;
	if (db_scalar(c->d, "SELECT count(*) FROM batch WHERE tenant_id = $1 AND id = $2", &batch, 2, c->who->tenant_id,
		      x->batch_id) < 0)
		return -1;
	if (!batch)
		return ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个批次");
	if ((rc = name_taken(c, x->batch_id, in->name, 0)) != JB_OK)
		return rc;
	if (in->user_ids.n + in->externals.n == 0)
		return ctx_invalid(c, "user_ids", "no_members", "请至少选择一名考评组成员");
	if ((rc = check_ids(c, &in->user_ids, "user_ids", 0)) < 0)
		return -1;
	if (check_externals(c, &in->externals) < 0)
		return -1;
	if (c->nerrs)
		return JB_EINVALID;
	if ((*x->id = db_next_id(c->d, c->who->tenant_id, "panel")) < 0 ||
	    db_run(c->d, "INSERT INTO panel (tenant_id, id, batch_id, name, created_at) VALUES ($1, $2, $3, $4, $5)",
		   "iiisi", c->who->tenant_id, *x->id, x->batch_id, in->name, c->now) != DB_DONE)
		return -1;
	for (int i = 0; i < in->user_ids.n; i++)
		if (insert_member(c, *x->id, in->user_ids.v[i], "", "") < 0)
			return -1;
	ext = json_array();
	if ((rc = add_externals(c, *x->id, &in->externals, ext)) != JB_OK) {
		json_decref(ext);
		return rc;
	}
	if (ctx_audit(c, "panel.create", "panel", *x->id, NULL,
		      json_pack("{s:I, s:s, s:o, s:o}", "batch_id", (json_int_t)x->batch_id, "name", in->name, "user_ids",
				ids_json(&in->user_ids), "externals", ext)) < 0)
		return -1;
	return tell_panel(c, *x->id, "panel.create", arena_printf(c->a, "您已加入考评组“%s”", in->name));
}

int panel_create(struct ctx *c, int64_t batch_id, struct panel_in *in, int64_t *panel_id)
{
	struct create_args x = { batch_id, in, panel_id };

	*panel_id = 0;
	return action_run(c, create_verb, &x);
}

/* Remove user from the panel, unless they have scored for it. */
static int remove_member(struct ctx *c, const struct pn *p, int64_t user_id)
{
	int64_t scored = 0;
	int rc;

	if (db_scalar(c->d, "SELECT count(*) FROM evaluation WHERE tenant_id = $1 AND panel_id = $2 AND user_id = $3",
		      &scored, 3, c->who->tenant_id, p->id, user_id) < 0)
		return -1;
	if (scored)
		return ctx_fail(c, JB_ECONFLICT, "remove_user_ids", "scored",
				arena_printf(c->a, "编号为 %lld 的成员已提交评分，不能移出考评组", (long long)user_id));
	rc = db_run(c->d, "DELETE FROM panel_member WHERE tenant_id = $1 AND panel_id = $2 AND user_id = $3 RETURNING user_id",
		    "iii", c->who->tenant_id, p->id, user_id);
	if (rc == DB_ERROR)
		return -1;
	if (rc == DB_DONE)
		return ctx_invalid(c, "remove_user_ids", "not_member",
				   arena_printf(c->a, "编号为 %lld 的账号不在这个考评组中", (long long)user_id));
	return JB_OK;
}

struct update_args {
	int64_t id;
	struct panel_update_in *in;
};

static int update_verb(struct ctx *c, void *args)
{
	struct update_args *x = args;
	struct panel_update_in *in = x->in;
	struct pn p;
	json_t *ext;
	int rc;

	if ((rc = manage_or_deny(c, "panel", x->id)) != JB_OK || (rc = load_panel(c, x->id, &p)) != JB_OK)
		return rc;
	if (in->name && (rc = name_taken(c, p.batch_id, in->name, p.id)) != JB_OK)
		return rc;
	if ((rc = check_ids(c, &in->add_user_ids, "add_user_ids", p.id)) < 0 || check_externals(c, &in->externals) < 0)
		return -1;
	if (c->nerrs)
		return JB_EINVALID;
	for (int i = 0; i < in->remove_user_ids.n; i++)
		if ((rc = remove_member(c, &p, in->remove_user_ids.v[i])) != JB_OK)
			return rc;
	for (int i = 0; i < in->add_user_ids.n; i++)
		if (insert_member(c, p.id, in->add_user_ids.v[i], "", "") < 0)
			return -1;
	if (in->name && db_run(c->d, "UPDATE panel SET name = $3 WHERE tenant_id = $1 AND id = $2", "iis",
			       c->who->tenant_id, p.id, in->name) != DB_DONE)
		return -1;
	ext = json_array();
	if ((rc = add_externals(c, p.id, &in->externals, ext)) != JB_OK) {
		json_decref(ext);
		return rc;
	}
	return ctx_audit(c, "panel.update", "panel", p.id, json_pack("{s:s}", "name", p.name),
			 json_pack("{s:s, s:o, s:o, s:o}", "name", in->name ? in->name : p.name, "added",
				   ids_json(&in->add_user_ids), "removed", ids_json(&in->remove_user_ids), "externals",
				   ext)) < 0 ? -1 : JB_OK;
}

int panel_update(struct ctx *c, int64_t panel_id, struct panel_update_in *in)
{
	struct update_args x = { panel_id, in };

	return action_run(c, update_verb, &x);
}

/* ---- assignment ---- */

static const char final_candidates_sql[] =
	"SELECT k.id FROM claim k JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
	" WHERE k.tenant_id = $1 AND p.batch_id = $2 AND ($3 = 0 OR p.category_id = $3) AND k.state = $4 ORDER BY k.id";
static const char midterm_candidates_sql[] =
	"SELECT k.id FROM claim k JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
	" WHERE k.tenant_id = $1 AND p.batch_id = $2 AND ($3 = 0 OR p.category_id = $3) AND k.state IN "
	STATE_SQL_WORKING_CLAIMS " ORDER BY k.id";

/* The claims of the batch that may be assigned for stage (of a category,
 * 0: any). */
static int candidates(struct ctx *c, int64_t batch, const char *stage, int64_t category, int64_t **ids, int *n)
{
	bool final = !strcmp(stage, "final");
	db_stmt *st = final ? db_query(c->d, final_candidates_sql, "iiis", c->who->tenant_id, batch, category,
				       claim_state_info[CLAIM_SOLVED].code)
			    : db_query(c->d, midterm_candidates_sql, "iii", c->who->tenant_id, batch, category);
	int cap = 0, rc;

	*ids = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		*ARENA_PUSH(c->a, *ids, *n, cap) = db_col_int(st, 0);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static bool has_id(const int64_t *ids, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* Assign one claim to p for stage: 1 when it changed, 0 when it was
 * already p's, or the refusal. */
static int assign_one(struct ctx *c, const struct pn *p, int64_t claim, const char *stage)
{
	db_stmt *st = db_query(c->d, "SELECT pc.panel_id, k.eval_round FROM claim k LEFT JOIN panel_claim pc"
				     " ON pc.tenant_id = k.tenant_id AND pc.claim_id = k.id AND pc.stage = $3"
				     " WHERE k.tenant_id = $1 AND k.id = $2", "iis", c->who->tenant_id, claim, stage);
	int64_t now_panel = 0, round = 1, scored = 0;
	int rc;

	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		now_panel = db_col_int(st, 0);
		round = db_col_int(st, 1);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	if (now_panel == p->id)
		return 0;
	if (!now_panel)
		return db_run(c->d, "INSERT INTO panel_claim (tenant_id, claim_id, stage, panel_id, assigned_at)"
				    " VALUES ($1, $2, $3, $4, $5)", "iisii", c->who->tenant_id, claim, stage, p->id,
			      c->now) == DB_DONE ? 1 : -1;
	st = db_query(c->d, "SELECT count(*) FROM evaluation WHERE tenant_id = $1 AND claim_id = $2 AND stage = $3"
			    " AND round = $4", "iisi", c->who->tenant_id, claim, stage, round);
	if (!st)
		return -1;
	if (db_step(st) == DB_ROW)
		scored = db_col_int(st, 0);
	db_done(st);
	if (scored)
		return ctx_fail(c, JB_ECONFLICT, "claim_ids", "scored",
				arena_printf(c->a, "揭榜 #%lld 已有评委打分，不能改派给其他考评组", (long long)claim));
	return db_run(c->d, "UPDATE panel_claim SET panel_id = $4, assigned_at = $5 WHERE tenant_id = $1 AND claim_id = $2"
			    " AND stage = $3", "iisii", c->who->tenant_id, claim, stage, p->id, c->now) == DB_DONE ? 1 : -1;
}

struct assign_args {
	int64_t id;
	struct assign_in *in;
	int *assigned;
};

/* The claims an assignment names: checked against the candidates. */
static int assign_pick(struct ctx *c, const struct pn *p, const struct assign_in *in, const char *stage, int64_t **ids,
		       int *n)
{
	int64_t *all;
	int nall, errs = c->nerrs;
	bool final = !strcmp(stage, "final");

	if (!in->all && !in->category_id && !in->claim_ids.n)
		return ctx_invalid(c, "claim_ids", "missing_field", "请选择要分配的揭榜，或按类别、全部分配");
	if (candidates(c, p->batch_id, stage, in->claim_ids.n ? 0 : in->category_id, &all, &nall) < 0)
		return -1;
	if (!in->claim_ids.n) {
		*ids = all;
		*n = nall;
		if (!nall)
			return ctx_invalid(c, in->category_id ? "category_id" : "all", "none",
					   final ? "没有待验收（已破题）的揭榜可以分配" : "没有攻坚中的揭榜可以分配");
		return JB_OK;
	}
	for (int i = 0; i < in->claim_ids.n; i++)
		if (!has_id(all, nall, in->claim_ids.v[i]))
			ctx_invalid(c, "claim_ids", "not_candidate",
				    arena_printf(c->a, final ? "揭榜 #%lld 不是本批次待验收（已破题）的揭榜"
							     : "揭榜 #%lld 不是本批次攻坚中的揭榜",
						 (long long)in->claim_ids.v[i]));
	*ids = in->claim_ids.v;
	*n = in->claim_ids.n;
	return c->nerrs > errs ? JB_EINVALID : JB_OK;
}

static int assign_verb(struct ctx *c, void *args)
{
	struct assign_args *x = args;
	const char *stage = x->in->stage ? x->in->stage : "final";
	int64_t *ids;
	int n, rc, done = 0;
	json_t *log;
	struct pn p;

	if ((rc = manage_or_deny(c, "panel", x->id)) != JB_OK || (rc = load_panel(c, x->id, &p)) != JB_OK ||
	    (rc = assign_pick(c, &p, x->in, stage, &ids, &n)) != JB_OK)
		return rc;
	log = json_array();
	for (int i = 0; i < n; i++) {
		if ((rc = assign_one(c, &p, ids[i], stage)) < 0 || rc > 1) {
			json_decref(log);
			return rc;
		}
		if (rc == 1) {
			done++;
			json_array_append_new(log, json_integer(ids[i]));
		}
	}
	*x->assigned = done;
	if (ctx_audit(c, "panel.assign", "panel", p.id, NULL,
		      json_pack("{s:s, s:o}", "stage", stage, "claim_ids", log)) < 0)
		return -1;
	if (!done)
		return JB_OK;
	return tell_panel(c, p.id, "panel.assign",
			  arena_printf(c->a, "考评组“%s”新分配了 %d 项%s任务", p.name, done, label_of(eval_stages, stage)));
}

int panel_assign(struct ctx *c, int64_t panel_id, struct assign_in *in, int *assigned)
{
	struct assign_args x = { panel_id, in, assigned };

	*assigned = 0;
	return action_run(c, assign_verb, &x);
}

/* ---- scoring ---- */

/* Write the rows of a default rubric, so that scores can name their
 * criteria; sets r's ids. */
static int rubric_pin(struct ctx *c, int64_t batch, const char *stage, struct rubric *r)
{
	for (int i = 0; i < r->n; i++) {
		struct criterion *k = &r->c[i];
		if ((k->id = db_next_id(c->d, c->who->tenant_id, "rubric_criterion")) < 0 ||
		    db_run(c->d, "INSERT INTO rubric_criterion (tenant_id, id, batch_id, stage, position, name, weight,"
				 " max_score, description) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
			   "iiisisiis", c->who->tenant_id, k->id, batch, stage, (int64_t)i, k->name, (int64_t)k->weight, k->max,
			   k->description ? k->description : "") != DB_DONE)
			return -1;
		for (int j = 0; j < k->nbands; j++)
			if (db_run(c->d, "INSERT INTO rubric_band (tenant_id, criterion_id, position, label, score)"
					 " VALUES ($1, $2, $3, $4, $5)", "iiisi", c->who->tenant_id, k->id, (int64_t)j,
				   k->bands[j].label, k->bands[j].score) != DB_DONE)
				return -1;
	}
	r->is_default = false;
	return 0;
}

/* The scores in rubric order, from the input (every criterion once). */
static int scores_check(struct ctx *c, const struct rubric *r, const struct grading *g, const struct submit_in *in,
			int64_t *scores, int *bands)
{
	const struct score_in *s = in->scores.items;
	bool seen[RUBRIC_CRITERIA_MAX] = { false };
	const char *needs = NULL;
	int errs = c->nerrs;

	for (int i = 0; i < in->scores.n; i++) {
		int k = 0;
		const char *why;
		while (k < r->n && strcmp(r->c[k].name, s[i].criterion))
			k++;
		if (k == r->n || seen[k]) {
			ctx_invalid(c, arena_printf(c->a, "scores.%d.criterion", i), "bad_criterion",
				    k == r->n ? arena_printf(c->a, "没有“%s”这个评分项", s[i].criterion)
					      : arena_printf(c->a, "“%s”打了两次分", s[i].criterion));
			continue;
		}
		seen[k] = true;
		if ((why = rubric_score_check(&r->c[k], s[i].score))) {
			ctx_invalid(c, arena_printf(c->a, "scores.%d.score", i), "bad_score",
				    arena_printf(c->a, "“%s”：%s", r->c[k].name, why));
			continue;
		}
		scores[k] = s[i].score;
		bands[k] = -1;
		for (int j = 0; j < r->c[k].nbands; j++)
			if (r->c[k].bands[j].score == s[i].score)
				bands[k] = j;
		if (!needs && rubric_needs_comment(&r->c[k], s[i].score, g))
			needs = r->c[k].name;
	}
	for (int k = 0; k < r->n; k++)
		if (!seen[k])
			ctx_invalid(c, arena_printf(c->a, "scores.%d.score", k), "missing_score",
				    arena_printf(c->a, "请为“%s”打分", r->c[k].name));
	if (needs && !(in->comment && *in->comment))
		ctx_invalid(c, "comment", "comment_required",
			    arena_printf(c->a, "“%s”的分数在最低一档，请填写评语说明理由", needs));
	return c->nerrs > errs ? JB_EINVALID : JB_OK;
}

/* This round's evaluation of c->who: id and state, 0 when none. */
static int own_evaluation(struct ctx *c, const struct ek *k, const char *stage, int64_t *id, const char **state,
			  int64_t *total)
{
	db_stmt *st = db_query(c->d, "SELECT id, state, total FROM evaluation WHERE tenant_id = $1 AND claim_id = $2"
				     " AND stage = $3 AND round = $4 AND user_id = $5",
			       "iisii", c->who->tenant_id, k->id, stage, (int64_t)k->round, c->who->user_id);
	int rc;

	*id = 0;
	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		*id = db_col_int(st, 0);
		*state = arena_strdup(c->a, db_col_text(st, 1));
		*total = db_col_int(st, 2);
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* The refusal of a reader who may not score k at stage now (NULL: may). */
static int may_score(struct ctx *c, const struct ek *k, const char *stage, struct eval_view *v)
{
	bool final = !strcmp(stage, "final");
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	int rc;

	if (final ? k->state != CLAIM_SOLVED : !(claim_state_info[k->state].flags & CS_WORKING))
		return ctx_fail(c, JB_ECONFLICT, NULL, "wrong_state",
				arena_printf(c->a, "这项揭榜现为“%s”，不在%s中", claim_state_info[k->state].zh,
					     label_of(eval_stages, stage)));
	if ((rc = eval_build(c, k, stage, true, v)) != JB_OK)
		return rc;
	t.member = v->is_member && v->my_recusal == RECUSE_NONE;
	if (perm_check(c->who, "evaluation.score", &t))
		return JB_OK;
	c->denied_action = "evaluation.score";
	c->object_type = "claim";
	c->object_id = k->id;
	if (v->is_member && v->my_recusal != RECUSE_NONE)
		return ctx_fail(c, JB_EDENIED, NULL, "recused",
				arena_printf(c->a, "您需回避这项揭榜的评分：%s", recusal_reasons[v->my_recusal]));
	return ctx_fail(c, JB_EDENIED, NULL, "forbidden", "您不是这项揭榜所分配考评组的成员，不能评分");
}

static int write_scores(struct ctx *c, int64_t eval, const struct rubric *r, const int64_t *scores, const int *bands)
{
	if (db_run(c->d, "DELETE FROM evaluation_score WHERE tenant_id = $1 AND evaluation_id = $2", "ii",
		   c->who->tenant_id, eval) == DB_ERROR)
		return -1;
	for (int i = 0; i < r->n; i++)
		if (db_run(c->d, "INSERT INTO evaluation_score (tenant_id, evaluation_id, criterion_id, score, band)"
				 " VALUES ($1, $2, $3, $4, $5)", "iiiid", c->who->tenant_id, eval, r->c[i].id, scores[i],
			   (int64_t)(bands[i] + 1)) != DB_DONE)
			return -1;
	return 0;
}

struct submit_args {
	int64_t claim_id;
	struct submit_in *in;
	int64_t *id;
};

/* Insert this round's evaluation of c->who, or (prev_id) submit the
 * reopened one again in place; then its scores. */
static int store_submission(struct ctx *c, const struct ek *k, const char *stage, const struct eval_view *v,
			    const int64_t *scores, const int *bands, int64_t total, const char *comment, int64_t prev_id,
			    int64_t *id)
{
	if (prev_id) {
		*id = prev_id;
		if (db_run(c->d, "UPDATE evaluation SET state = 'submitted', total = $3, comment = $4, submitted_at = $5"
				 " WHERE tenant_id = $1 AND id = $2 AND state = 'reopened' RETURNING id",
			   "iiisi", c->who->tenant_id, prev_id, total, comment, c->now) != DB_ROW)
			return ctx_fail(c, JB_ECONFLICT, NULL, "submitted", "已提交，如需修改请联系管理员退回");
	} else if ((*id = db_next_id(c->d, c->who->tenant_id, "evaluation")) < 0 ||
		   db_run(c->d, "INSERT INTO evaluation (tenant_id, id, claim_id, stage, round, panel_id, user_id, state,"
				" total, comment, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'submitted', $8, $9, $10)",
			  "iiisiiiisi", c->who->tenant_id, *id, k->id, stage, (int64_t)k->round, v->panel_id,
			  c->who->user_id, total, comment, c->now) != DB_DONE) {
		return -1;
	}
	return write_scores(c, *id, &v->rubric, scores, bands) < 0 ? -1 : JB_OK;
}

static int submit_verb(struct ctx *c, void *args)
{
	struct submit_args *x = args;
	const char *stage = x->in->stage ? x->in->stage : "final", *prev = NULL;
	int64_t scores[RUBRIC_CRITERIA_MAX] = { 0 }, total, old_total = 0, prev_id = 0;
	int bands[RUBRIC_CRITERIA_MAX];
	struct eval_view v;
	struct ek k;
	int rc;

	if ((rc = eval_load_claim(c, x->claim_id, &k)) != JB_OK || (rc = may_score(c, &k, stage, &v)) != JB_OK)
		return rc;
	if (own_evaluation(c, &k, stage, &prev_id, &prev, &old_total) < 0)
		return -1;
	if (prev_id && !strcmp(prev, "submitted"))
		return ctx_fail(c, JB_ECONFLICT, NULL, "submitted", "已提交，如需修改请联系管理员退回");
	if ((rc = scores_check(c, &v.rubric, &v.grading, x->in, scores, bands)) != JB_OK)
		return rc;
	if (v.rubric.is_default && rubric_pin(c, k.batch_id, stage, &v.rubric) < 0)
		return -1;
	total = rubric_total(&v.rubric, scores);
	if ((rc = store_submission(c, &k, stage, &v, scores, bands, total, x->in->comment ? x->in->comment : "", prev_id,
				   x->id)) != JB_OK)
		return rc;
	if (ctx_audit(c, "evaluation.score", "evaluation", *x->id,
		      prev_id ? json_pack("{s:s, s:I}", "state", "reopened", "total", (json_int_t)old_total) : NULL,
		      json_pack("{s:I, s:s, s:i, s:I}", "claim_id", (json_int_t)k.id, "stage", stage, "round", k.round,
				"total", (json_int_t)total)) < 0)
		return -1;
	if (v.now.submitted + 1 < v.expected)
		return JB_OK;
	return tell_claim(c, &k, false, true, "evaluation.score",
			  arena_printf(c->a, "“%s”的%s评分已全部提交", k.title, label_of(eval_stages, stage)), "");
}

int evaluation_submit(struct ctx *c, int64_t claim_id, struct submit_in *in, int64_t *evaluation_id)
{
	struct submit_args x = { claim_id, in, evaluation_id };

	*evaluation_id = 0;
	return action_run(c, submit_verb, &x);
}

/* ---- reopening ---- */

struct reopen_args {
	int64_t id;
	struct reopen_in *in;
	int64_t *claim_id;
};

static int reopen_verb(struct ctx *c, void *args)
{
	struct reopen_args *x = args;
	db_stmt *st;
	int64_t claim = 0, user = 0, total = 0;
	int round = 0, rc;
	const char *state = NULL, *stage = NULL;
	struct ek k;

	if ((rc = manage_or_deny(c, "evaluation", x->id)) != JB_OK)
		return rc;
	if (!(st = db_query(c->d, "SELECT claim_id, user_id, state, stage, round, total FROM evaluation"
				  " WHERE tenant_id = $1 AND id = $2", "ii", c->who->tenant_id, x->id)))
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		claim = db_col_int(st, 0);
		user = db_col_int(st, 1);
		state = arena_strdup(c->a, db_col_text(st, 2));
		stage = arena_strdup(c->a, db_col_text(st, 3));
		round = (int)db_col_int(st, 4);
		total = db_col_int(st, 5);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	if (!state)
		return ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这份评分");
	*x->claim_id = claim;
	if ((rc = eval_load_claim(c, claim, &k)) != JB_OK)
		return rc;
	if (strcmp(state, "submitted"))
		return ctx_fail(c, JB_ECONFLICT, NULL, "reopened", "这份评分已退回，等待评委重新提交");
	if (round != k.round || (!strcmp(stage, "final") ? k.state != CLAIM_SOLVED
							  : !(claim_state_info[k.state].flags & CS_WORKING)))
		return ctx_fail(c, JB_ECONFLICT, NULL, "closed", "这一轮考评已结束，不能再退回评分");
	if (db_run(c->d, "UPDATE evaluation SET state = 'reopened', reopened_at = $3, reopened_by = $4, reopen_reason = $5"
			 " WHERE tenant_id = $1 AND id = $2 AND state = 'submitted' RETURNING id",
		   "iiiss", c->who->tenant_id, x->id, c->now, ctx_actor(c).name, x->in->reason) != DB_ROW)
		return ctx_fail(c, JB_ECONFLICT, NULL, "changed", "这份评分刚被他人处理，请刷新后再试");
	if (ctx_audit(c, "evaluation.reopen", "evaluation", x->id, json_pack("{s:s, s:I}", "state", "submitted", "total",
									    (json_int_t)total),
		      json_pack("{s:s, s:s, s:I}", "state", "reopened", "reason", x->in->reason, "claim_id",
				(json_int_t)claim)) < 0)
		return -1;
	return notify(c, user, "evaluation.reopen", "claim", claim,
		      arena_printf(c->a, "您对“%s”的评分已退回，请重新提交", k.title),
		      arena_printf(c->a, "理由：%s", x->in->reason)) < 0 ? -1 : JB_OK;
}

int evaluation_reopen(struct ctx *c, int64_t evaluation_id, struct reopen_in *in, int64_t *claim_id)
{
	struct reopen_args x = { evaluation_id, in, claim_id };

	*claim_id = 0;
	return action_run(c, reopen_verb, &x);
}

/* ---- acceptance ---- */

/* The batch's accepted claims with a grade, and how many are 优秀. */
static int batch_grades(db *d, int64_t tenant, int64_t batch, int *excellent, int *graded)
{
	db_stmt *st = db_query(d, "SELECT count(*), coalesce(sum(CASE WHEN k.grade = $4 THEN 1 ELSE 0 END), 0)"
				  " FROM claim k JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
				  " WHERE k.tenant_id = $1 AND p.batch_id = $2 AND k.state = $3 AND k.grade <> ''",
			       "iiss", tenant, batch, claim_state_info[CLAIM_ACCEPTED].code, grades[GRADE_EXCELLENT].code);
	int rc;

	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		*graded = (int)db_col_int(st, 0);
		*excellent = (int)db_col_int(st, 1);
	}
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

int eval_batch_grades(db *d, int64_t tenant, int64_t batch, int *excellent, int *graded)
{
	*excellent = *graded = 0;
	return batch_grades(d, tenant, batch, excellent, graded);
}

static int accept_write(struct ctx *c, const struct ek *k, const struct eval_view *v)
{
	const char *code = grades[v->now.grade].code;
	json_t *after;

	if (db_run(c->d, "UPDATE claim SET state = $3, score = $4, grade = $5, evaluated_at = $6, accepted_at = $6,"
			 " closed_at = $6, updated_at = $6 WHERE tenant_id = $1 AND id = $2 AND state = $7 RETURNING id",
		   "iisisis", c->who->tenant_id, k->id, claim_state_info[CLAIM_ACCEPTED].code, v->now.agg.score, code,
		   c->now, claim_state_info[CLAIM_SOLVED].code) != DB_ROW)
		return ctx_fail(c, JB_ECONFLICT, NULL, "changed", "这项揭榜刚被他人处理，请刷新后再试");
	after = json_pack("{s:s, s:s, s:I, s:s, s:i, s:i}", "from", "solved", "to", "accepted", "score",
			  (json_int_t)v->now.agg.score, "grade", code, "round", k->round, "evaluators", v->now.agg.n);
	if (ctx_audit(c, "claim.accept", "claim", k->id, NULL, after) < 0)
		return -1;
	if (k->problem_state != PROBLEM_SOLVED)
		return JB_OK;
	if (db_run(c->d, "UPDATE problem SET state = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2 AND state = $5"
			 " RETURNING id", "iisis", c->who->tenant_id, k->problem_id, problem_state_info[PROBLEM_ACCEPTED].code,
		   c->now, problem_state_info[PROBLEM_SOLVED].code) != DB_ROW)
		return ctx_fail(c, JB_ECONFLICT, NULL, "changed", "这道题刚被他人处理，请刷新后再试");
	return ctx_audit(c, "problem.accepted", "problem", k->problem_id, NULL,
			 json_pack("{s:s, s:s, s:I, s:s, s:s}", "from", "solved", "to", "accepted", "claim_id",
				   (json_int_t)k->id, "unit", k->unit, "grade", grades[v->now.grade].zh)) < 0 ? -1 : JB_OK;
}

struct accept_args {
	int64_t id;
	struct accept_out *out;
};

static int accept_verb(struct ctx *c, void *args)
{
	struct accept_args *x = args;
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	char sc[24];
	struct eval_view v;
	struct ek k;
	int rc;

	if ((rc = eval_load_claim(c, x->id, &k)) != JB_OK)
		return rc;
	t.unit_id = k.unit_id;
	if (!perm_check(c->who, "claim.accept", &t))
		return ctx_deny(c, "claim.accept", "claim", k.id);
	if (k.state != CLAIM_SOLVED)
		return ctx_fail(c, JB_ECONFLICT, NULL, "wrong_state",
				arena_printf(c->a, "这项揭榜现为“%s”，只能验收已破题的揭榜", claim_state_info[k.state].zh));
	if ((rc = eval_build(c, &k, "final", true, &v)) != JB_OK)
		return rc;
	if (!v.panel_id)
		return ctx_fail(c, JB_ECONFLICT, NULL, "no_panel", "这项揭榜还没有分配考评组，不能验收");
	if (!v.now.complete)
		return ctx_fail(c, JB_ECONFLICT, NULL, "incomplete",
				arena_printf(c->a, "考评组还有评委未提交评分（已提交 %d / %d），不能验收", v.now.submitted,
					     v.expected));
	if (v.now.grade == GRADE_FAIL)
		return ctx_fail(c, JB_ECONFLICT, NULL, "failed", "考评结果为不合格，不能通过验收；请退回并限期整改");
	if ((rc = accept_write(c, &k, &v)) != JB_OK)
		return rc;
	x->out->score = v.now.agg.score;
	x->out->grade = v.now.grade;
	x->out->cap = v.grading.cap;
	if (eval_batch_grades(c->d, c->who->tenant_id, k.batch_id, &x->out->excellent, &x->out->graded) < 0)
		return -1;
	x->out->over_cap = grade_over_cap(&v.grading, x->out->excellent, x->out->graded);
	if (outbox_event(c, "evaluation_result", arena_printf(c->a, "验收结果：%s", k.title),
			 arena_printf(c->a, "已通过验收：%s 分，%s（%s）", score_format(v.now.agg.score, sc, sizeof(sc)),
				      grades[v.now.grade].zh, k.unit),
			 arena_printf(c->a, "/claims/%lld", (long long)k.id),
			 json_pack("{s:I, s:s, s:s, s:s, s:s}", "claim_id", (json_int_t)k.id, "problem", k.title, "unit", k.unit,
				   "score", sc, "grade", grades[v.now.grade].zh)) < 0)
		return -1;
	return tell_claim(c, &k, true, false, "claim.accept",
			  arena_printf(c->a, "“%s”已通过验收：%s 分，%s", k.title, score_format(v.now.agg.score, sc, sizeof(sc)),
				       grades[v.now.grade].zh), "");
}

int claim_accept(struct ctx *c, int64_t claim_id, struct accept_out *out)
{
	struct accept_args x = { claim_id, out };

	memset(out, 0, sizeof(*out));
	return action_run(c, accept_verb, &x);
}

/* ---- the return's next round ---- */

/* Midnight (Asia/Shanghai) after the day of now. */
static int64_t tomorrow(int64_t now)
{
	return ((now + TZ_OFFSET) / DAY + 1) * DAY - TZ_OFFSET;
}

int evaluation_on_return(struct ctx *c, int64_t claim_id, const char *plan, int64_t due)
{
	struct eval_view v;
	struct ek k;
	int rc;

	if ((rc = eval_load_claim(c, claim_id, &k)) != JB_OK)
		return rc;
	/* the claim has just moved solved -> signed: judge the round it left */
	k.state = CLAIM_SOLVED;
	if ((rc = eval_build(c, &k, "final", true, &v)) != JB_OK)
		return rc;
	if (v.panel_id && v.now.complete && v.now.grade == GRADE_FAIL) {
		int errs = c->nerrs;
		if (!plan || !*plan)
			ctx_invalid(c, "rectify_plan", "missing_field", "考评结果为不合格，请填写整改要求");
		if (!due)
			ctx_invalid(c, "rectify_due", "missing_field", "考评结果为不合格，请填写整改期限");
		else if (due < tomorrow(c->now))
			ctx_invalid(c, "rectify_due", "past", "整改期限须在今天之后");
		if (c->nerrs > errs)
			return JB_EINVALID;
	} else if ((plan && *plan) || due) {
		if (due && due < tomorrow(c->now))
			return ctx_invalid(c, "rectify_due", "past", "整改期限须在今天之后");
	}
	if (db_run(c->d, "UPDATE claim SET eval_round = eval_round + 1 WHERE tenant_id = $1 AND id = $2", "ii",
		   c->who->tenant_id, claim_id) != DB_DONE)
		return -1;
	if (((plan && *plan) || due) &&
	    db_run(c->d, "UPDATE claim SET rectify_plan = $3, rectify_due = $4,"
			 " deadline = CASE WHEN $5 > coalesce(deadline, 0) THEN $5 ELSE deadline END"
			 " WHERE tenant_id = $1 AND id = $2", "iisdi", c->who->tenant_id, claim_id, plan ? plan : "", due,
		   due) != DB_DONE)
		return -1;
	return JB_OK;
}
