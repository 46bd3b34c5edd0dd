/* tenants.c - 地区管理, the deployment operator's pages (tenant.manage):
 * every tenant of the deployment, a form to create one (with its first
 * admin's one-time password shown once) and to change one's name, parent,
 * time zone, host names and categories (domain/tenant_admin.h). */
#include "web/region.h"

#include <string.h>

#include "domain/tenant_admin.h"
#include "web/fields.h"
#include "web/widgets.h"

/* The categories a new county starts with (those of the report's county). */
static const char default_categories[] = "项目建设类\n城市建设类\n乡村振兴类\n民生发展类\n社会治理类\n队伍建设类\n生态环保类\n其他";

static bool may_manage(struct req *r)
{
	struct perm_target t = { .tenant_id = r->tenant_id };

	if (tenant_or_respond(r) < 0)
		return false;
	t.tenant_id = r->tenant_id;
	return perm_or_respond(r, "tenant.manage", "tenant", 0, &t);
}

static const char *tenant_path(struct req *r, int64_t id)
{
	return arena_printf(r->a, "/ops/tenants/%lld", (long long)id);
}

void page_tenants(struct req *r)
{
	static const struct table_col cols[] = {
		{ "名称", COL_TITLE }, { "简称", 0 }, { "上级地区", 0 }, { "下辖", 0 }, { "域名", COL_WIDE }, { NULL, 0 },
	};
	struct table t = { .cols = cols };
	struct tenant_info *ts;
	buf *b = &r->out;
	int n;

	if (!may_manage(r))
		return;
	if (tenant_admin_list(r->db, r->a, &ts, &n) < 0) {
		web_store_error(r);
		return;
	}
	page_begin(r, "地区管理", NAV_TENANTS);
	HTML(b, "<h1>地区管理</h1>\n<p>本平台上的全部地区（租户）。设置上级地区后，上级地区的管理员和领导可在“辖区汇总”"
		"中看到下辖地区的公开数字。</p>\n<p>");
	a_href(r, "/ops/tenants/new", "新建地区");
	HTML(b, "</p>\n");
	table_open(b, &t);
	for (int i = 0; i < n; i++) {
		table_row(b, &t);
		table_row_head(b, &t);
		a_href(r, tenant_path(r, ts[i].id), ts[i].name);
		table_cell(b, &t);
		buf_html(b, ts[i].slug);
		table_cell(b, &t);
		buf_html(b, *ts[i].parent ? ts[i].parent : "—");
		table_cell(b, &t);
		buf_printf(b, "%lld", (long long)ts[i].children);
		table_cell(b, &t);
		buf_html(b, *ts[i].hosts ? ts[i].hosts : "—");
	}
	table_close(b, &t);
	page_end(r);
}

/* The parent choices: every tenant but self (0: none). */
static const struct label *parents(struct req *r, int64_t self)
{
	struct tenant_info *ts;
	struct label *out;
	int n, k = 0;

	if (tenant_admin_list(r->db, r->a, &ts, &n) < 0)
		return NULL;
	out = arena_alloc(r->a, (size_t)(n + 1) * sizeof(*out));
	for (int i = 0; i < n; i++)
		if (ts[i].id != self)
			out[k++] = (struct label){ arena_printf(r->a, "%lld", (long long)ts[i].id), ts[i].name };
	out[k] = (struct label){ NULL, NULL };
	return out;
}

/* The form of tenant t (id 0: a new one); c: a refused submission or NULL. */
static void tenant_form(struct req *r, const struct tenant_info *t, const struct ctx *c, int status)
{
	const struct label *ps = parents(r, t->id);
	const char *parent = t->parent_id ? arena_printf(r->a, "%lld", (long long)t->parent_id) : "";
	const char *title = t->id ? arena_printf(r->a, "地区：%s", t->name) : "新建地区";
	buf *b = &r->out;

	if (!ps) {
		web_store_error(r);
		return;
	}
	page_begin(r, title, NAV_TENANTS);
	HTML(b, "<p class=\"crumbs\">");
	a_href(r, "/ops/tenants", "地区管理");
	HTML(b, " › ");
	buf_html(b, t->id ? t->name : "新建地区");
	HTML(b, "</p>\n<h1>");
	buf_html(b, title);
	HTML(b, "</h1>\n");
	if (req_query(r, "saved"))
		HTML(b, "<p class=\"notice\" role=\"status\">已保存。</p>\n");
	form_errors(r, c);
	form_open(r, t->id ? tenant_path(r, t->id) : "/ops/tenants");
	field_input(r, c, "text", "name", "名称（如 滦南县）", field_value(r, c, "name", t->name), " required maxlength=\"64\"");
	if (t->id) {
		HTML(b, "<p>简称（网址用）：<code>");
		buf_html(b, t->slug);
		HTML(b, "</code>（创建后不能修改）</p>\n");
	} else {
		field_input(r, c, "text", "slug", "简称（网址用，小写字母、数字或短横线，如 luannan）",
			    field_value(r, c, "slug", ""), " required maxlength=\"32\" pattern=\"[a-z0-9\\-]+\"");
	}
	field_select(r, c, "parent_id", "上级地区", ps, field_value(r, c, "parent_id", parent), "（无）");
	field_select(r, c, "tz", "时区", tenant_zones, field_value(r, c, "tz", t->tz), NULL);
	field_textarea(r, c, "hosts", "域名（每行一个，如 jb.luannan.gov.cn；可不填）", field_value(r, c, "hosts", t->hosts),
		       NULL);
	field_textarea(r, c, "categories", t->id ? "难题类别（每行一个；只能增加，已有类别由本地区管理员维护）"
						 : "难题类别（每行一个）",
		       field_value(r, c, "categories", t->categories), " rows=\"8\"");
	HTML(b, "<button type=\"submit\">");
	buf_puts(b, t->id ? "保存" : "创建地区和它的管理员");
	HTML(b, "</button>\n</form>\n");
	page_finish(r, status);
}

static void new_form_page(struct req *r, const void *outcome, int status)
{
	struct tenant_info t = { .tz = "Asia/Shanghai", .name = "", .slug = "", .hosts = "",
				 .categories = default_categories, .parent = "" };

	tenant_form(r, &t, outcome, status);
}

void page_tenant_new(struct req *r)
{
	if (may_manage(r))
		new_form_page(r, NULL, 200);
}

/* The result of a creation: the new tenant and its admin's password. */
struct made {
	int64_t id;
	const char *slug, *name;
	char pw[17];
};

static json_t *made_json(struct req *r, const void *outcome)
{
	const struct made *m = outcome;

	return json_pack("{s:I, s:s, s:s, s:{s:s, s:s}}", "id", (json_int_t)m->id, "slug", m->slug, "name", m->name,
			 "admin", "login", "admin", "initial_password", m->pw);
}

static void made_page(struct req *r, const void *outcome, int status)
{
	const struct made *m = outcome;
	buf *b = &r->out;

	page_begin(r, "地区已创建", NAV_TENANTS);
	HTML(b, "<h1>地区已创建</h1>\n<p class=\"notice\" role=\"status\">");
	buf_html(b, m->name);
	HTML(b, "（");
	buf_html(b, m->slug);
	HTML(b, "）已创建。它的管理员登录名为 <code>admin</code>，初始密码：</p>\n<p class=\"secret\"><code>");
	buf_html(b, m->pw);
	HTML(b, "</code></p>\n<p>初始密码只显示这一次，请当面或通过安全渠道交给该地区的管理员；首次登录后必须修改。"
		"该地区的网址为 <code>/t/");
	buf_html(b, m->slug);
	HTML(b, "/</code>（或上面设置的域名）。</p>\n<p>");
	a_href(r, tenant_path(r, m->id), "查看该地区");
	HTML(b, " · ");
	a_href(r, "/ops/tenants", "返回地区管理");
	HTML(b, "</p>\n");
	page_finish(r, status);
}

void act_tenant_create(struct req *r)
{
	struct tenant_in in = { 0 };
	struct made *m = arena_alloc(r->a, sizeof(*m));
	struct ctx c;
	int rc;

	if (tenant_or_respond(r) < 0)
		return;
	web_ctx(r, &c);
	memset(m, 0, sizeof(*m));
	if ((rc = bind_request(r, &c, tenant_fields, &in, NULL)) == JB_OK)
		rc = tenant_admin_create(&c, &in, &m->id, m->pw);
	if (rc != JB_OK) {
		present_outcome_error(r, &c, rc, new_form_page, &c);
		return;
	}
	m->slug = in.slug;
	m->name = in.name;
	req_header(r, "Cache-Control", "no-store");
	present(r, 201, &(struct presentation){ .json = made_json, .page = made_page }, m);
}

/* The tenant of route parameter 0, for the operator; answers and returns
 * -1 when there is none. */
static int tenant_or_404(struct req *r, struct tenant_info *t)
{
	int64_t id;
	int rc;

	if (!may_manage(r) || id_param_or_respond(r, 0, &id) < 0)
		return -1;
	if ((rc = tenant_admin_get(r->db, r->a, id, t)) != 0) {
		if (rc < 0)
			web_store_error(r);
		else
			reply_error(r, 404, "not_found", "没有这个地区", NULL);
		return -1;
	}
	return 0;
}

static void edit_form_page(struct req *r, const void *outcome, int status)
{
	struct tenant_info t;
	int64_t id = 0;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	if (tenant_admin_get(r->db, r->a, id, &t) != 0) {
		web_store_error(r);
		return;
	}
	tenant_form(r, &t, outcome, status);
}

void page_tenant(struct req *r)
{
	struct tenant_info t;

	if (tenant_or_404(r, &t) == 0)
		tenant_form(r, &t, NULL, 200);
}

void act_tenant_update(struct req *r)
{
	struct tenant_in in = { 0 };
	struct tenant_info t;
	struct ctx c;
	int rc;

	if (tenant_or_404(r, &t) < 0 || !reauth_or_ask(r))
		return;
	web_ctx(r, &c);
	if ((rc = bind_request(r, &c, tenant_fields, &in, NULL)) == JB_OK)
		rc = tenant_admin_update(&c, t.id, &in);
	if (rc != JB_OK) {
		present_outcome_error(r, &c, rc, edit_form_page, &c);
		return;
	}
	present(r, 200, &(struct presentation){ .json = json_ok, .redirect = arena_printf(r->a, "%s?saved=1", tenant_path(r, t.id)) },
		NULL);
}
