/* admin.c - managing users (create, roles, links, disable, reset) and
 * reading the audit log: the pages and the /api/v1 calls that do the same.
 * Every change calls perm_check() on the user it touches; a unit_admin
 * reaches only the users of its own unit and may only make cadres. */
#include "web/export.h"
#include "web/web.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/audit.h"
#include "domain/bind.h"
#include "domain/labels.h"
#include "domain/password.h"
#include "domain/perm.h"
#include "domain/session.h"
#include "domain/timeline.h"
#include "domain/user.h"
#include "util/text.h"
#include "web/fields.h"
#include "web/people.h"
#include "web/widgets.h"

#define INITIAL_PW_CHARS 16

static json_t *user_json(const struct user *u)
{
	return json_pack("{s:I, s:s, s:o, s:o, s:s, s:o, s:s, s:b, s:b, s:I, s:I}", "id", (json_int_t)u->id,
			 "login", u->login, "roles", user_roles_json(u->roles),
			 "person_id", u->person_id ? json_integer(u->person_id) : json_null(), "person", u->person_name,
			 "unit_id", u->unit_id ? json_integer(u->unit_id) : json_null(), "unit", u->unit_name,
			 "disabled", u->disabled, "must_change", u->must_change,
			 "created_at", (json_int_t)u->created_at, "password_at", (json_int_t)u->password_at);
}

static struct perm_target user_target(struct req *r, const struct user *u)
{
	return (struct perm_target){ r->tenant_id, u->unit_id, u->id, false };
}

/* The user of route parameter 0, or answer 400/404/500 and return -1. */
static int user_or_respond(struct req *r, struct user *u)
{
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return -1;
	rc = user_get(r->db, r->a, r->tenant_id, id, u);
	if (rc < 0) {
		web_store_error(r);
		return -1;
	}
	if (rc > 0) {
		reply_error(r, 404, "not_found", "没有这个用户", NULL);
		return -1;
	}
	return 0;
}

/* The role fields (repeated, or a JSON array of codes) as bits into
 * *roles; an unknown role, or too many, is a field error in c. */
static int bind_roles(struct req *r, struct ctx *c, unsigned *roles)
{
	const char *v[8];
	int n = field_values(r, "role", v, 8);

	*roles = 0;
	if (n > 8)
		return ctx_invalid(c, "role", "bad_role", "角色过多");
	for (int i = 0; i < n; i++) {
		unsigned bit = role_bit(v[i]);
		if (!bit)
			n = -1;
		*roles |= bit;
	}
	if (n < 0)
		return ctx_invalid(c, "role", "bad_role", "没有这个角色（admin、unit_admin、cadre、evaluator、leader）");
	return JB_OK;
}

/* A user's fields: the account's log-in name, its person and unit. */
struct user_fields {
	const char *login;
	int64_t person, unit;
};

const struct bind_field new_user_fields[] = {
	BIND_TEXT(struct user_fields, login, "登录名", BIND_REQUIRED, 0, LOGIN_MAX),
	BIND_ID(struct user_fields, person, "人员", 0),
	BIND_ID(struct user_fields, unit, "单位", 0),
	BIND_END,
};

const struct bind_field link_fields[] = {
	BIND_ID(struct user_fields, person, "人员", 0),
	BIND_ID(struct user_fields, unit, "单位", 0),
	BIND_END,
};

/* The user of id *outcome as it is now; NULL when it cannot be read. */
static json_t *changed_json(struct req *r, const void *outcome)
{
	struct user u;

	if (user_get(r->db, r->a, r->tenant_id, *(const int64_t *)outcome, &u) != 0)
		return NULL;
	return json_pack("{s:o}", "user", user_json(&u));
}

/* After a change to user id: its page again, or its JSON. */
static void changed(struct req *r, int64_t id)
{
	present(r, 200, &(struct presentation){ .json = changed_json, .redirect = arena_printf(r->a, "/admin/users/%lld", (long long)id) },
		&id);
}

/* A generated password (new user, reset), shown this once. */
struct initial {
	const struct user *u;
	const char *pw, *title;
};

static json_t *initial_json(struct req *r, const void *outcome)
{
	const struct initial *x = outcome;

	return json_pack("{s:o, s:s}", "user", user_json(x->u), "initial_password", x->pw);
}

static void initial_page(struct req *r, const void *outcome, int status)
{
	const struct initial *x = outcome;
	const struct user *u = x->u;
	const char *pw = x->pw, *title = x->title;
	buf *b = &r->out;

	page_begin(r, title, NAV_USERS);
	HTML(b, "<h1>");
	buf_html(b, title);
	HTML(b, "</h1>\n<p>用户 <strong>");
	buf_html(b, u->login);
	HTML(b, "</strong> 的初始密码如下。它只显示这一次，请通过安全渠道交给本人；首次登录时必须改成自己的密码。</p>\n"
		"<p class=\"secret\"><code>");
	buf_html(b, pw);
	HTML(b, "</code></p>\n<p><a href=\"");
	html_path(b, r, arena_printf(r->a, "/admin/users/%lld", (long long)u->id));
	HTML(b, "\">查看该用户</a> · <a href=\"");
	html_path(b, r, "/admin/users");
	HTML(b, "\">返回用户列表</a></p>\n");
	page_finish(r, status);
}

static void show_initial(struct req *r, int status, const struct user *u, const char *pw, const char *title)
{
	r->no_store = true;
	present(r, status, &(struct presentation){ .json = initial_json, .page = initial_page }, &(struct initial){ u, pw, title });
}

/* ---- forms ---- */

static void role_checkboxes(struct req *r, unsigned checked)
{
	buf *b = &r->out;

	HTML(b, "<fieldset><legend>角色</legend>");
	for (int i = 0; i < ROLE_COUNT; i++) {
		if (!perm_any(r->who, role_grant_action(1u << i)) && !(checked & (1u << i)))
			continue;
		HTML(b, "<label class=\"check\"><input type=\"checkbox\" name=\"role\" value=\"");
		buf_html(b, role_codes[i]);
		HTML(b, "\"");
		if (checked & (1u << i))
			HTML(b, " checked");
		if (!perm_any(r->who, role_grant_action(1u << i)))
			HTML(b, " disabled");
		HTML(b, ">");
		buf_html(b, role_names[i]);
		HTML(b, "</label>");
		/* A role the actor may not give or take is kept as it is: a
		 * disabled box is not sent, so send the role alongside. */
		if (!perm_any(r->who, role_grant_action(1u << i))) {
			HTML(b, "<input type=\"hidden\" name=\"role\" value=\"");
			buf_html(b, role_codes[i]);
			HTML(b, "\">");
		}
	}
	HTML(b, "</fieldset>\n");
}

static void unit_select(struct req *r, const struct named *units, int n, int64_t selected, bool allow_none)
{
	buf *b = &r->out;

	HTML(b, "<label>单位<select name=\"unit\">");
	if (allow_none)
		HTML(b, "<option value=\"\">（无，或所选人员的单位）</option>");
	for (int i = 0; i < n; i++) {
		buf_printf(b, "<option value=\"%lld\"%s>", (long long)units[i].id, units[i].id == selected ? " selected" : "");
		buf_html(b, units[i].name);
		HTML(b, "</option>");
	}
	HTML(b, "</select></label>\n");
}

/* The person picker of a user form (widgets.h): the people within
 * scope_unit (0: the tenant), current checked, the search the query
 * string asks for. 0, or -1 having answered. */
static int user_picker_or_respond(struct req *r, struct picker *pk, const char *page, int64_t scope_unit,
				  const struct person *current)
{
	struct named *units;

	*pk = (struct picker){ .field = "person", .legend = "人员（可选）", .page = page, .current = current,
			       .allow_none = true, .all_units = scope_unit == 0 };
	if (user_units(r->db, r->a, r->tenant_id, scope_unit, &units, &pk->nunits) < 0) {
		web_store_error(r);
		return -1;
	}
	pk->units = units;
	return picker_load_or_respond(r, pk);
}

/* The form that makes a user; pk is its loaded person picker. */
static void create_form(struct req *r, const struct picker *pk, int64_t scope_unit)
{
	buf *b = &r->out;

	HTML(b, "<h2>新建用户</h2>\n");
	html_picker_form(r, pk);
	HTML(b, "<form class=\"stack\" method=\"post\" action=\"");
	html_path(b, r, "/admin/users");
	HTML(b, "\">");
	html_csrf(r);
	HTML(b, "\n");
	html_picker(r, pk);
	unit_select(r, pk->units, pk->nunits, scope_unit, scope_unit == 0);
	HTML(b, "<label>登录名<input name=\"login\" required maxlength=\"64\" pattern=\"[A-Za-z0-9][A-Za-z0-9._@-]{1,63}\"></label>\n");
	role_checkboxes(r, 0);
	HTML(b, "<p class=\"muted\">系统会生成一个随机初始密码，只显示一次；用户首次登录时必须修改。</p>\n"
		"<button type=\"submit\">创建用户</button>\n</form>\n");
}

/* ---- pages ---- */

/* A page of the user list, for its page and its JSON. */
struct user_list {
	struct user *users;
	int n;
	int64_t total, page, unit;
};

static json_t *users_json(struct req *r, const void *outcome)
{
	const struct user_list *l = outcome;
	json_t *items = json_array();

	for (int i = 0; i < l->n; i++)
		json_array_append_new(items, user_json(&l->users[i]));
	return json_pack("{s:o, s:I, s:I, s:i}", "items", items, "total", (json_int_t)l->total, "page",
			 (json_int_t)l->page, "per_page", USER_PAGE);
}

static void user_state(buf *b, const struct user *u)
{
	if (u->disabled)
		HTML(b, "<span class=\"state state-off\">已停用</span>");
	else if (u->must_change)
		HTML(b, "<span class=\"state\">待改初始密码</span>");
	else
		HTML(b, "<span class=\"state state-accepted\">正常</span>");
}

static void user_table(struct req *r, const struct user_list *l)
{
	static const struct table_col cols[] = { { "编号", 0 }, { "登录名", COL_TITLE }, { "人员", 0 }, { "单位", 0 },
						 { "角色", 0 }, { "状态", 0 }, { NULL, 0 } };
	struct table t = { .cols = cols };
	buf *b = &r->out;

	table_open(b, &t);
	for (int i = 0; i < l->n; i++) {
		const struct user *u = &l->users[i];
		table_row(b, &t);
		table_cell(b, &t);
		buf_printf(b, "%lld", (long long)u->id);
		table_cell(b, &t);
		HTML(b, "<a href=\"");
		html_path(b, r, arena_printf(r->a, "/admin/users/%lld", (long long)u->id));
		HTML(b, "\">");
		buf_html(b, u->login);
		HTML(b, "</a>");
		table_cell(b, &t);
		html_record_link(r, u->person_id, u->person_name);
		table_cell(b, &t);
		buf_html(b, *u->unit_name ? u->unit_name : "—");
		table_cell(b, &t);
		html_roles(b, u->roles, "—");
		table_cell(b, &t);
		user_state(b, u);
	}
	table_close(b, &t);
}

static void users_page(struct req *r, const void *outcome, int status)
{
	const struct user_list *l = outcome;
	bool manage = perm_any(r->who, "user.manage") && r->csrf;
	struct picker pk;
	buf *b = &r->out;

	if (manage && user_picker_or_respond(r, &pk, "/admin/users", l->unit, NULL) < 0)
		return;
	page_begin(r, "用户管理", NAV_USERS);
	buf_printf(b, "<h1>用户管理</h1>\n<p class=\"summary\">共 <strong>%lld</strong> 个用户", (long long)l->total);
	if (l->unit)
		HTML(b, "（本单位）");
	HTML(b, "</p>\n");
	if (l->n)
		user_table(r, l);
	if (l->total > l->page * USER_PAGE || l->page > 1) {
		HTML(b, "<nav class=\"pager\" aria-label=\"分页\">");
		if (l->page > 1) {
			HTML(b, "<a rel=\"prev\" href=\"");
			html_path(b, r, arena_printf(r->a, "/admin/users?page=%lld", (long long)(l->page - 1)));
			HTML(b, "\">上一页</a>");
		}
		if (l->total > l->page * USER_PAGE) {
			HTML(b, "<a rel=\"next\" href=\"");
			html_path(b, r, arena_printf(r->a, "/admin/users?page=%lld", (long long)(l->page + 1)));
			HTML(b, "\">下一页</a>");
		}
		HTML(b, "</nav>\n");
	}
	if (manage)
		create_form(r, &pk, l->unit);
	page_finish(r, status);
}

void page_users(struct req *r)
{
	struct perm_target none = { r->tenant_id, -1, -1, false };
	struct user_list l = { .page = 1 };
	const char *p = req_query(r, "page");

	if (!perm_unit_scope(r->who, "user.read", &l.unit)) {
		perm_or_respond(r, "user.read", "user", 0, &none);
		return;
	}
	if (p && *p && parse_int(p, 1, 100000, &l.page) < 0) {
		reply_error(r, 400, "bad_parameter", "页码必须是 1 到 100000 之间的整数", "page");
		return;
	}
	if (user_list(r->db, r->a, r->tenant_id, l.unit, l.page, &l.users, &l.n, &l.total) < 0) {
		web_store_error(r);
		return;
	}
	present(r, 200, &(struct presentation){ .json = users_json, .page = users_page }, &l);
}

static void user_facts(struct req *r, const struct user *u)
{
	buf *b = &r->out;

	HTML(b, "<dl class=\"facts\">\n<dt>角色</dt><dd>");
	html_roles(b, u->roles, "—");
	HTML(b, "</dd>\n<dt>人员</dt><dd>");
	html_record_link(r, u->person_id, u->person_name);
	HTML(b, "</dd>\n<dt>单位</dt><dd>");
	buf_html(b, *u->unit_name ? u->unit_name : "—");
	HTML(b, "</dd>\n<dt>状态</dt><dd>");
	buf_puts(b, u->disabled ? "已停用" : u->must_change ? "待修改初始密码" : "正常");
	HTML(b, "</dd>\n<dt>创建于</dt><dd>");
	fmt_datetime(b, u->created_at);
	HTML(b, "</dd>\n<dt>密码修改于</dt><dd>");
	fmt_datetime(b, u->password_at);
	HTML(b, "</dd>\n</dl>\n");
}

/* The forms that change account u: roles, person and unit, disable or
 * enable, reset the password. pk is the loaded person picker. */
static void manage_forms(struct req *r, const struct user *u, const struct picker *pk, int64_t scope_unit)
{
	const char *base = arena_printf(r->a, "/admin/users/%lld", (long long)u->id);
	/* The person's own unit reads as "the person's unit", so picking
	 * another person moves the account along with it. */
	bool same = scope_unit == 0 && pk->current && pk->current->unit_id == u->unit_id;
	buf *b = &r->out;

	HTML(b, "<h2>角色</h2>\n<form class=\"stack\" method=\"post\" action=\"");
	html_path(b, r, arena_printf(r->a, "%s/roles", base));
	HTML(b, "\">");
	html_csrf(r);
	role_checkboxes(r, u->roles);
	HTML(b, "<button type=\"submit\">保存角色</button></form>\n<h2>人员和单位</h2>\n");
	html_picker_form(r, pk);
	HTML(b, "<form class=\"stack\" method=\"post\" action=\"");
	html_path(b, r, arena_printf(r->a, "%s/link", base));
	HTML(b, "\">");
	html_csrf(r);
	html_picker(r, pk);
	unit_select(r, pk->units, pk->nunits, same ? 0 : u->unit_id, scope_unit == 0);
	HTML(b, "<button type=\"submit\">保存关联</button></form>\n<h2>账号</h2>\n<div class=\"actions\">");
	if (u->disabled)
		html_button_form(r, arena_printf(r->a, "%s/enable", base), "启用账号", false);
	else
		html_button_form(r, arena_printf(r->a, "%s/disable", base), "停用账号", true);
	html_button_form(r, arena_printf(r->a, "%s/reset-password", base), "重置密码", true);
	HTML(b, "</div>\n");
}

static void token_list(struct req *r, const struct apitoken *toks, int n)
{
	buf *b = &r->out;

	HTML(b, "<h2>API 令牌</h2>\n");
	if (!n) {
		HTML(b, "<p class=\"empty\">没有 API 令牌。</p>\n");
		return;
	}
	HTML(b, "<ul class=\"plain\">");
	for (int i = 0; i < n; i++) {
		buf_printf(b, "<li>%lld · ", (long long)toks[i].id);
		buf_html(b, toks[i].name);
		if (toks[i].revoked_at) {
			HTML(b, "（已撤销）");
		} else if (r->csrf) {
			HTML(b, " ");
			html_button_form(r, arena_printf(r->a, "/account/tokens/%lld/revoke", (long long)toks[i].id), "撤销", true);
		}
		HTML(b, "</li>");
	}
	HTML(b, "</ul>\n");
}

static json_t *user_view_json(struct req *r, const void *outcome)
{
	return user_json(outcome);
}

/* User *outcome's page: its facts, and the forms and tokens the reader
 * may manage. */
static void user_page(struct req *r, const void *outcome, int status)
{
	const struct user *u = outcome;
	struct perm_target t = user_target(r, u);
	bool manage = user_may_manage(r->who, u) && r->csrf, tokens = perm_check(r->who, "token.manage", &t);
	struct apitoken *toks;
	struct person current;
	struct picker pk;
	int64_t scope_unit;
	buf *b = &r->out;
	int n = 0, rc = 0;

	(void)perm_unit_scope(r->who, "user.read", &scope_unit);
	if ((tokens && apitoken_list(r->db, r->a, r->tenant_id, u->id, &toks, &n) < 0) ||
	    (manage && u->person_id && (rc = person_get(r->db, r->a, r->tenant_id, u->person_id, &current)) < 0)) {
		web_store_error(r);
		return;
	}
	if (manage && user_picker_or_respond(r, &pk, arena_printf(r->a, "/admin/users/%lld", (long long)u->id),
					     scope_unit, u->person_id && rc == 0 ? &current : NULL) < 0)
		return;
	page_begin(r, u->login, NAV_USERS);
	HTML(b, "<p class=\"crumbs\"><a href=\"");
	html_path(b, r, "/admin/users");
	HTML(b, "\">用户管理</a> › 用户</p>\n<h1>");
	buf_html(b, u->login);
	HTML(b, "</h1>\n");
	user_facts(r, u);
	if (manage)
		manage_forms(r, u, &pk, scope_unit);
	if (tokens)
		token_list(r, toks, n);
	page_finish(r, status);
}

void page_user(struct req *r)
{
	struct perm_target t;
	struct user u;

	if (user_or_respond(r, &u) < 0)
		return;
	t = user_target(r, &u);
	if (!perm_or_respond(r, "user.read", "user", u.id, &t))
		return;
	present(r, 200, &(struct presentation){ .json = user_view_json, .page = user_page }, &u);
}

/* ---- changes ---- */

/* Hash a new random initial password into pw and hash; false (answered
 * 503) when the hashing capacity is exhausted. */
static bool initial_password_or_respond(struct req *r, char pw[INITIAL_PW_CHARS + 1], char hash[PW_HASH_MAX])
{
	pw_random(pw, INITIAL_PW_CHARS + 1);
	if (pw_hash(pw, hash) == PW_OK)
		return true;
	req_header(r, "Retry-After", "5");
	reply_error(r, 503, "busy", "服务器繁忙，请稍后再试", NULL);
	return false;
}

void act_user_create(struct req *r)
{
	char pw[INITIAL_PW_CHARS + 1], hash[PW_HASH_MAX];
	struct user_new n = { .must_change = true, .hash = hash };
	struct user_fields f;
	const char *why;
	struct user u;
	struct ctx c;
	int rc;

	web_ctx(r, &c);
	rc = bind_request(r, &c, new_user_fields, &f, NULL);
	if (bind_roles(r, &c, &n.roles) != JB_OK && rc == JB_OK)
		rc = JB_EINVALID;
	if (rc == JB_OK && (why = user_login_problem(f.login)))
		rc = ctx_invalid(&c, "login", "bad_login", why);
	if (rc != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	n.login = user_fold_login(r->a, f.login);
	n.person_id = f.person;
	n.unit_id = f.unit;
	/* Refuse before the slow hash what the change itself would refuse. */
	if ((rc = user_create_allowed(&c, &n)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	if (!initial_password_or_respond(r, pw, hash))
		return;
	if ((rc = user_create(&c, &n)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	if (user_get(r->db, r->a, r->tenant_id, n.id, &u) != 0) {
		web_store_error(r);
		return;
	}
	show_initial(r, 201, &u, pw, "用户已创建");
}

/* The account of route parameter 0 if who may manage it, into *u and a
 * fresh context *c; else answer and return -1. */
static int managed_or_respond(struct req *r, struct ctx *c, struct user *u)
{
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return -1;
	web_ctx(r, c);
	if ((rc = user_load_managed(c, id, u)) != JB_OK) {
		outcome_error(r, c, rc < 0 ? JB_ESTORE : rc);
		return -1;
	}
	return 0;
}

/* The question before a dangerous change to account u (widgets.h). */
static bool user_confirmed_or_ask(struct req *r, const struct user *u, const char *title, const char *ask,
				  const char *ask_end, const char *detail)
{
	struct confirm q = { title, ask, u->login, ask_end, detail, title,
			     arena_printf(r->a, "/admin/users/%lld", (long long)u->id), NAV_USERS };

	return confirmed_or_ask(r, &q);
}

static void set_disabled(struct req *r, bool disabled)
{
	struct user u;
	struct ctx c;
	int rc;

	if (managed_or_respond(r, &c, &u) < 0 || (disabled && !reauth_or_ask(r)))
		return;
	if (disabled && !user_confirmed_or_ask(r, &u, "停用账号", "确定要停用账号", "吗？",
					      "停用后该用户不能再登录，它的所有登录立即结束，API 令牌全部撤销；"
					      "重新启用后这些令牌也不会恢复。"))
		return;
	if ((rc = user_set_disabled(&c, u.id, disabled)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	changed(r, u.id);
}

void act_user_disable(struct req *r)
{
	set_disabled(r, true);
}

void act_user_enable(struct req *r)
{
	set_disabled(r, false);
}

void act_user_roles(struct req *r)
{
	unsigned roles;
	struct user u;
	struct ctx c;
	int rc;

	if (managed_or_respond(r, &c, &u) < 0 || !reauth_or_ask(r))
		return;
	if ((rc = bind_roles(r, &c, &roles)) != JB_OK || (rc = user_set_roles(&c, u.id, roles)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	changed(r, u.id);
}

void act_user_link(struct req *r)
{
	struct user_fields f;
	struct user u;
	struct ctx c;
	int rc;

	if (managed_or_respond(r, &c, &u) < 0)
		return;
	if ((rc = bind_request(r, &c, link_fields, &f, NULL)) != JB_OK ||
	    (rc = user_set_link(&c, u.id, f.person, f.unit)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	changed(r, u.id);
}

void act_user_reset(struct req *r)
{
	char pw[INITIAL_PW_CHARS + 1], hash[PW_HASH_MAX];
	struct user u;
	struct ctx c;
	int rc;

	if (managed_or_respond(r, &c, &u) < 0 || !reauth_or_ask(r) ||
	    !user_confirmed_or_ask(r, &u, "重置密码", "确定要重置账号", "的密码吗？",
				   "系统会生成一个新的初始密码（只显示一次），该用户的所有登录立即结束，"
				   "API 令牌全部撤销，下次登录时必须修改密码。") ||
	    !initial_password_or_respond(r, pw, hash))
		return;
	if ((rc = user_reset_password(&c, u.id, hash)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	if (user_get(r->db, r->a, r->tenant_id, u.id, &u) != 0) {
		web_store_error(r);
		return;
	}
	show_initial(r, 200, &u, pw, "密码已重置");
}

/* ---- the audit log ---- */

static int date_arg(struct req *r, const char *name, int64_t *out)
{
	const char *v = req_query(r, name);

	*out = 0;
	if (!v || !*v)
		return 0;
	if ((*out = bind_parse_date(v)) < 0) {
		reply_error(r, 400, "bad_parameter", "日期格式应为 YYYY-MM-DD", name);
		return -1;
	}
	return 0;
}

static int short_arg(struct req *r, const char *name, const char **out)
{
	const char *v = req_query(r, name);

	*out = v && *v ? v : NULL;
	if (*out && utf8_len(*out) > 64) {
		reply_error(r, 400, "bad_parameter", "筛选条件最多 64 个字符", name);
		return -1;
	}
	return 0;
}

static void filter_input(buf *b, const char *label, const char *name, const char *value, const char *type)
{
	buf_printf(b, "<label>%s<input type=\"%s\" name=\"%s\" value=\"", label, type, name);
	buf_html(b, value ? value : "");
	HTML(b, "\"></label>\n");
}

static void option(buf *b, const char *value, const char *text, const char *current)
{
	HTML(b, "<option value=\"");
	buf_html(b, value);
	HTML(b, "\"");
	if (current && !strcmp(current, value))
		HTML(b, " selected");
	HTML(b, ">");
	buf_html(b, text);
	HTML(b, "</option>");
}

/* A select of the labels of tables (a NULL-terminated list), "any" first;
 * a current value in none of them (typed into the address) stays selected
 * as "其他". */
static void filter_select(buf *b, const char *label, const char *name, const char *value, const char *any,
			  const struct label *const *tables)
{
	bool known = !value || !*value;

	buf_printf(b, "<label>%s<select name=\"%s\">", label, name);
	option(b, "", any, value ? value : "");
	for (const struct label *const *t = tables; *t; t++)
		for (const struct label *l = *t; l->code; l++) {
			option(b, l->code, l->zh, value);
			known = known || !strcmp(l->code, value);
		}
	if (!known)
		option(b, value, "其他（地址中的条件）", value);
	HTML(b, "</select></label>\n");
}

/* One entry as a table row: the words first; the stored values folded
 * away under a Chinese label, for whoever needs them. */
static const struct table_col audit_cols[] = { { "时间", 0 }, { "操作人", 0 }, { "操作", COL_TITLE }, { "对象", 0 },
					       { "结果", 0 }, { "来源地址", 0 }, { "详情", COL_WIDE }, { NULL, 0 } };

static void audit_row(buf *b, struct table *tb, const struct audit_entry *e, const struct audit_text *t)
{
	const char *out = label_of(audit_outcomes, e->outcome);

	table_row(b, tb);
	table_cell(b, tb);
	fmt_datetime(b, e->at);
	table_cell(b, tb);
	buf_html(b, t->actor);
	if (t->login && strcmp(t->login, t->actor)) {
		HTML(b, "<br><span class=\"muted\">");
		buf_html(b, t->login);
		HTML(b, "</span>");
	}
	table_cell(b, tb);
	buf_html(b, t->title);
	table_cell(b, tb);
	buf_html(b, *t->object ? t->object : "—");
	table_cell_class(b, tb, !strcmp(e->outcome, "ok") ? "outcome-ok" : "outcome-bad");
	buf_html(b, out ? out : "其他");
	table_cell(b, tb);
	buf_html(b, *e->client_addr ? e->client_addr : "—");
	table_cell(b, tb);
	buf_html(b, *t->detail ? t->detail : "—");
	HTML(b, "<details><summary>原始记录</summary><dl class=\"raw\"><dt>操作代码</dt><dd><code>");
	buf_html(b, e->action);
	HTML(b, "</code></dd><dt>变更前</dt><dd><code>");
	buf_html(b, *e->before_json ? e->before_json : "—");
	HTML(b, "</code></dd><dt>变更后</dt><dd><code>");
	buf_html(b, *e->after_json ? e->after_json : "—");
	HTML(b, "</code></dd></dl></details>");
}

/* Query string of the current filters (for the "older" link). */
static void filter_query(buf *b, struct req *r)
{
	static const char *const keys[] = { "actor", "action", "object", "object_id", "from", "to" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = req_query(r, keys[i]);
		if (!v || !*v)
			continue;
		buf_printf(b, "&amp;%s=", keys[i]);
		buf_url(b, v);
	}
}

void page_audit(struct req *r)
{
	struct perm_target t = { r->tenant_id, 0, 0, false };
	static const struct label *const actions[] = { audit_action_groups, audit_actions, NULL };
	static const struct label *const objects[] = { audit_objects, NULL };
	struct audit_filter f = { .limit = 50 };
	struct audit_entry *e;
	struct audit_text *tx;
	bool more;
	buf *b = &r->out;
	int n;

	if (!perm_or_respond(r, "audit.read", "audit_event", 0, &t))
		return;
	if (short_arg(r, "actor", &f.actor) < 0 || short_arg(r, "action", &f.action) < 0 ||
	    short_arg(r, "object", &f.object_type) < 0 || date_arg(r, "from", &f.from) < 0 ||
	    date_arg(r, "to", &f.to) < 0)
		return;
	if (f.to)
		f.to += 86400; /* "to" includes that day */
	{
		const char *oid = req_query(r, "object_id"), *before = req_query(r, "before");
		if ((oid && *oid && parse_int(oid, 1, INT64_MAX, &f.object_id) < 0) ||
		    (before && *before && parse_int(before, 1, INT64_MAX, &f.before_id) < 0)) {
			reply_error(r, 400, "bad_parameter", "编号必须是正整数", oid && *oid ? "object_id" : "before");
			return;
		}
	}
	if (audit_list(r->db, r->a, r->tenant_id, &f, &e, &n, &more) < 0) {
		web_store_error(r);
		return;
	}
	tx = arena_alloc(r->a, (size_t)(n ? n : 1) * sizeof(*tx));
	if (timeline_describe(r->db, r->a, r->tenant_id, r->who, e, n, tx) < 0) {
		web_store_error(r);
		return;
	}
	if (r->is_api) {
		json_t *items = json_array();
		for (int i = 0; i < n; i++) {
			json_t *before = *e[i].before_json ? json_loads(e[i].before_json, 0, NULL) : NULL;
			json_t *after = *e[i].after_json ? json_loads(e[i].after_json, 0, NULL) : NULL;
			json_array_append_new(items, json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:s, s:s}",
				"id", (json_int_t)e[i].id, "at", (json_int_t)e[i].at, "actor", e[i].actor,
				"action", e[i].action, "object_type", e[i].object_type,
				"object_id", e[i].object_id ? json_integer(e[i].object_id) : json_null(),
				"before", before ? before : json_null(), "after", after ? after : json_null(),
				"client_addr", e[i].client_addr, "outcome", e[i].outcome,
				"title", tx[i].title, "detail", tx[i].detail));
		}
		reply_json(r, 200, json_pack("{s:o, s:o}", "items", items,
					     "next_before", more && n ? json_integer(e[n - 1].id) : json_null()));
		return;
	}
	page_begin(r, "审计日志", NAV_AUDIT);
	HTML(b, "<h1>审计日志</h1>\n");
	export_links(r, "audit", false);
	HTML(b, "<p class=\"muted\">所有变更、登录、退出、登录失败和被拒绝的操作都记录在此；记录不能修改或删除。</p>\n"
		"<form class=\"filters\" method=\"get\" action=\"");
	html_path(b, r, "/admin/audit");
	HTML(b, "\">\n");
	filter_input(b, "操作人", "actor", req_query(r, "actor"), "text");
	filter_select(b, "操作", "action", req_query(r, "action"), "全部操作", actions);
	filter_select(b, "对象类型", "object", req_query(r, "object"), "全部对象", objects);
	filter_input(b, "对象编号", "object_id", req_query(r, "object_id"), "text");
	filter_input(b, "从", "from", req_query(r, "from"), "date");
	filter_input(b, "到", "to", req_query(r, "to"), "date");
	HTML(b, "<button type=\"submit\">筛选</button> <a href=\"");
	html_path(b, r, "/admin/audit");
	HTML(b, "\">清除</a>\n</form>\n");
	if (!n) {
		HTML(b, "<p class=\"empty\">没有符合条件的记录。</p>\n");
	} else {
		struct table tb = { .cols = audit_cols, .cls = "audit" };
		table_open(b, &tb);
		for (int i = 0; i < n; i++)
			audit_row(b, &tb, &e[i], &tx[i]);
		table_close(b, &tb);
	}
	if (more && n) {
		HTML(b, "<nav class=\"pager\" aria-label=\"分页\"><a rel=\"next\" href=\"");
		html_path(b, r, arena_printf(r->a, "/admin/audit?before=%lld", (long long)e[n - 1].id));
		filter_query(b, r);
		HTML(b, "\">更早的记录</a></nav>\n");
	}
	page_end(r);
}
