/* claim_form.c - the application form (揭榜): GET and POST
 * /problems/:id/claim. The claiming unit and route, the lead and the owner
 * and every task-force member chosen with person pickers (widgets.h, pick
 * mode, their search fields inside this form), cooperating units, plan,
 * goals, deadline, milestone and metric rows, the pledge and its clause.
 *
 * Without scripts, 查找 and 添加一行 are submit buttons (op=find, op=add:<list>)
 * that show the form again with everything typed kept, the people found and
 * one more row; web/claim.js adds rows in the page instead. A refused
 * application is shown again the same way with each message beside its
 * field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/person.h"
#include "domain/state.h"
#include "domain/user.h"
#include "http/assets.h"
#include "util/text.h"
#include "web/claim_ui.h"
#include "web/widgets.h"

enum { MEMBER_ROWS = 3, MILESTONE_ROWS = 3, METRIC_ROWS = 2 };

/* The roles of a member row: member_roles but the lead and the owner,
 * who have pickers of their own. On a. */
static const struct label *team_roles(arena *a)
{
	int n = 0;
	struct label *out;

	while (member_roles[n].code)
		n++;
	out = arena_alloc(a, (size_t)(n + 1) * sizeof(*out));
	n = 0;
	for (const struct label *l = member_roles; l->code; l++)
		if (strcmp(l->code, "lead") && strcmp(l->code, "owner"))
			out[n++] = *l;
	out[n] = (struct label){ NULL, NULL };
	return out;
}

/* A list of the form: its name, label, the rows shown at least, the fields
 * whose preset does not make a row count, and how one row is drawn. */
struct claim_view;
typedef void (*row_fn)(struct req *r, const struct claim_view *v, const char *n);
struct rows {
	const char *list, *legend, *add;
	int least, max;
	const char *defaults;
	row_fn row;
};

/* Everything the form shows. */
struct claim_view {
	const struct problem_detail *p;
	const struct ctx *c;          /* kept values and errors; NULL: a new form */
	struct named *units;
	int nunits;
	bool assign;                  /* the reader names someone (组织点将) */
	bool apply;                   /* the reader applies (自荐, 单位推荐) */
	int rows[3];                  /* shown, by lists[] */
	struct picker *members;       /* rows[0] loaded pickers of the member rows */
};

static void member_row(struct req *r, const struct claim_view *v, const char *n);
static void milestone_row(struct req *r, const struct claim_view *v, const char *n);
static void metric_row(struct req *r, const struct claim_view *v, const char *n);

static const struct rows lists[3] = {
	{ "members", "破题战队成员", "添加一行成员", MEMBER_ROWS, CLAIM_TEAM_MAX - 2, "role", member_row },
	{ "milestones", "节点计划", "添加一行节点", MILESTONE_ROWS, CLAIM_MILESTONES_MAX, "", milestone_row },
	{ "metrics", "量化指标", "添加一行指标", METRIC_ROWS, CLAIM_METRICS_MAX, "kind", metric_row },
};

/* ---- kept values ---- */

static const char *kept(struct req *r, const struct claim_view *v, const char *name, const char *fallback)
{
	return field_value(r, v->c, name, fallback);
}

static const char *sub_name(struct req *r, const char *list, const char *n, const char *field)
{
	return arena_printf(r->a, "%s.%s.%s", list, n, field);
}

static const char *error_message(const struct ctx *c, const char *name)
{
	const struct field_error *e = field_error_of(c, name);

	return e ? e->message : NULL;
}

/* The person a picker shows as chosen: the posted id, else fallback (0:
 * none). A chosen person who cannot be read (gone, or not to be picked)
 * is left unchosen: the verb says why when the form is sent. */
static const struct person *chosen(struct req *r, const struct claim_view *v, const char *field, int64_t fallback)
{
	const char *s = v->c ? req_form(r, field) : NULL;
	int64_t id = fallback;
	struct person *x;
	struct ctx c;

	if (s && parse_int(s, 1, INT64_MAX, &id) < 0)
		return NULL;
	if (v->c && (!s || !*s))
		return NULL;
	if (!id)
		return NULL;
	x = arena_alloc(r->a, sizeof(*x));
	web_ctx(r, &c);
	return person_pick_get(&c, id, x) == JB_OK ? x : NULL;
}

/* A picker of field in pick mode inside the form, loaded from the post;
 * -1 having answered. */
static int picker_or_respond(struct req *r, const struct claim_view *v, struct picker *pk, const char *field,
			     const char *legend, int64_t fallback, bool allow_none)
{
	*pk = (struct picker){ .field = field, .legend = legend, .current = chosen(r, v, field, fallback),
			       .allow_none = allow_none, .units = v->units, .nunits = v->nunits, .all_units = true,
			       .pick = true, .in_form = true, .error = error_message(v->c, field) };
	return picker_load_or_respond(r, pk);
}

/* <select name> of the units, with a blank first choice when blank. */
static void unit_select(struct req *r, const struct claim_view *v, const char *name, const char *label,
			const char *blank, int64_t fallback)
{
	const struct field_error *e = field_error_of(v->c, name);
	const char *s = kept(r, v, name, fallback ? arena_printf(r->a, "%lld", (long long)fallback) : "");
	buf *b = &r->out;

	HTML(b, "<label");
	if (e)
		HTML(b, " class=\"has-error\"");
	HTML(b, ">");
	buf_html(b, label);
	HTML(b, "<select name=\"");
	buf_html(b, name);
	HTML(b, "\"");
	if (e) {
		HTML(b, " aria-invalid=\"true\" aria-describedby=\"f-");
		buf_html(b, name);
		HTML(b, "-err\"");
	}
	HTML(b, ">");
	if (blank) {
		HTML(b, "<option value=\"\">");
		buf_html(b, blank);
		HTML(b, "</option>");
	}
	for (int i = 0; i < v->nunits; i++) {
		const char *id = arena_printf(r->a, "%lld", (long long)v->units[i].id);
		buf_printf(b, "<option value=\"%s\"%s>", id, !strcmp(id, s) ? " selected" : "");
		buf_html(b, v->units[i].name);
		HTML(b, "</option>");
	}
	HTML(b, "</select>");
	if (e) {
		HTML(b, "<span class=\"field-error\" id=\"f-");
		buf_html(b, name);
		HTML(b, "-err\">");
		buf_html(b, e->message);
		HTML(b, "</span>");
	}
	HTML(b, "</label>\n");
}

/* ---- rows ---- */

/* A member row: numbered n, or the script's template row ("__N__", its
 * number "__M__", both replaced when a row is added). */
static void member_row(struct req *r, const struct claim_view *v, const char *n)
{
	bool tmpl = *n == '_';
	struct picker blank;
	buf *b = &r->out;

	HTML(b, "<fieldset class=\"row member-row\"><legend>成员 ");
	buf_html(b, tmpl ? "__M__" : arena_printf(r->a, "%d", atoi(n) + 1));
	HTML(b, "</legend>\n");
	if (tmpl) {
		blank = (struct picker){ .field = sub_name(r, "members", n, "person_id"), .legend = "人员",
					 .allow_none = true, .units = v->units, .nunits = v->nunits, .all_units = true,
					 .pick = true, .in_form = true, .query = { "", 0, true } };
		html_picker(r, &blank);
	} else {
		html_picker(r, &v->members[atoi(n)]);
	}
	HTML(b, "<div class=\"row-fields\">\n");
	unit_select(r, v, sub_name(r, "members", n, "unit_id"), "代表单位", "本人所在单位", 0);
	field_select(r, v->c, sub_name(r, "members", n, "role"), "分工", team_roles(r->a),
		     kept(r, v, sub_name(r, "members", n, "role"), "member"), NULL);
	HTML(b, "</div>\n</fieldset>\n");
}

static void milestone_row(struct req *r, const struct claim_view *v, const char *n)
{
	const char *title = sub_name(r, "milestones", n, "title"), *due = sub_name(r, "milestones", n, "due");
	buf *b = &r->out;

	HTML(b, "<div class=\"row-fields milestone-row\">\n");
	field_input(r, v->c, "text", title, "节点内容", kept(r, v, title, ""), " maxlength=\"100\"");
	field_input(r, v->c, "date", due, "完成时限", kept(r, v, due, ""), NULL);
	HTML(b, "</div>\n");
}

static void metric_row(struct req *r, const struct claim_view *v, const char *n)
{
	const char *name = sub_name(r, "metrics", n, "name"), *kind = sub_name(r, "metrics", n, "kind");
	const char *uom = sub_name(r, "metrics", n, "uom"), *base = sub_name(r, "metrics", n, "baseline");
	const char *target = sub_name(r, "metrics", n, "target");
	buf *b = &r->out;

	HTML(b, "<div class=\"row-fields metric-row\">\n");
	field_input(r, v->c, "text", name, "指标名称", kept(r, v, name, ""), " maxlength=\"60\"");
	field_select(r, v->c, kind, "类型", metric_kinds, kept(r, v, kind, "count"), NULL);
	field_input(r, v->c, "text", uom, "单位（如 米、根、%）", kept(r, v, uom, ""), " maxlength=\"20\"");
	field_input(r, v->c, "text", base, "基线值", kept(r, v, base, ""), " inputmode=\"decimal\" maxlength=\"20\"");
	field_input(r, v->c, "text", target, "目标值", kept(r, v, target, ""), " inputmode=\"decimal\" maxlength=\"20\"");
	HTML(b, "</div>\n");
}

/* One list: its rows, the count the server keeps, 添加一行, and the
 * template the script adds rows from. */
static void rows_section(struct req *r, const struct claim_view *v, int k)
{
	const struct rows *l = &lists[k];
	const char *e = error_message(v->c, l->list);
	buf *b = &r->out;

	HTML(b, "<fieldset class=\"rows\" id=\"");
	buf_html(b, l->list);
	HTML(b, "-rows\" data-rows=\"");
	buf_html(b, l->list);
	buf_printf(b, "\" data-rows-max=\"%d\"><legend>", l->max);
	buf_html(b, l->legend);
	HTML(b, "</legend>\n");
	if (e) {
		HTML(b, "<p class=\"field-error\">");
		buf_html(b, e);
		HTML(b, "</p>\n");
	}
	HTML(b, "<div data-rows-body>\n");
	for (int i = 0; i < v->rows[k]; i++)
		l->row(r, v, arena_printf(r->a, "%d", i));
	HTML(b, "</div>\n<input type=\"hidden\" name=\"");
	buf_html(b, l->list);
	buf_printf(b, "_rows\" value=\"%d\" data-rows-count>\n", v->rows[k]);
	if (v->rows[k] < l->max) {
		HTML(b, "<button type=\"submit\" class=\"secondary\" name=\"op\" value=\"add:");
		buf_html(b, l->list);
		HTML(b, "\" data-rows-add>");
		buf_html(b, l->add);
		HTML(b, "</button>\n");
	}
	/* The script's row: a clean row numbered __N__ (no kept values). */
	HTML(b, "<template data-rows-template>\n");
	struct claim_view blank = *v;
	blank.c = NULL;
	l->row(r, &blank, "__N__");
	HTML(b, "</template>\n</fieldset>\n");
}

/* ---- the form ---- */

static void route_field(struct req *r, const struct claim_view *v)
{
	struct label *opts = arena_alloc(r->a, 4 * sizeof(*opts));
	int n = 0;

	for (const struct label *l = claim_routes; l->code; l++)
		if (!strcmp(l->code, "assigned") ? v->assign : v->apply)
			opts[n++] = *l;
	opts[n] = (struct label){ NULL, NULL };
	field_select(r, v->c, "route", "揭榜方式", opts, kept(r, v, "route", opts[0].code), NULL);
}

static void coop_units(struct req *r, const struct claim_view *v)
{
	const char *sel[CLAIM_COOP_MAX + 1];
	int nsel = v->c ? req_form_all(r, "cooperating_unit_ids", sel, CLAIM_COOP_MAX + 1) : 0;
	const char *e = error_message(v->c, "cooperating_unit_ids");
	buf *b = &r->out;

	if (nsel > CLAIM_COOP_MAX + 1)
		nsel = CLAIM_COOP_MAX + 1;
	buf_printf(b, "<fieldset class=\"units-box\"><legend>配合单位（联合揭榜，可多选，最多 %d 个）</legend>\n",
		   CLAIM_COOP_MAX);
	if (e) {
		HTML(b, "<p class=\"field-error\">");
		buf_html(b, e);
		HTML(b, "</p>\n");
	}
	HTML(b, "<div class=\"unit-checks\">\n");
	for (int i = 0; i < v->nunits; i++) {
		const char *id = arena_printf(r->a, "%lld", (long long)v->units[i].id);
		bool on = false;
		for (int j = 0; j < nsel && !on; j++)
			on = !strcmp(sel[j], id);
		buf_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"cooperating_unit_ids\" value=\"%s\"%s>", id,
			   on ? " checked" : "");
		buf_html(b, v->units[i].name);
		HTML(b, "</label>\n");
	}
	HTML(b, "</div>\n</fieldset>\n");
}

/* Whether field is one the form shows beside a control. */
static bool shown_field(const struct claim_view *v, const char *field)
{
	static const char *const top[] = { "unit_id", "route", "lead_person_id", "owner_person_id",
					   "cooperating_unit_ids", "plan", "goals", "pledge", "reward_penalty",
					   "deadline", "members", "milestones", "metrics", NULL };
	for (int i = 0; top[i]; i++)
		if (!strcmp(field, top[i]))
			return true;
	for (int k = 0; k < 3; k++) {
		size_t n = strlen(lists[k].list);
		char *end;
		long row;
		if (strncmp(field, lists[k].list, n) || field[n] != '.')
			continue;
		row = strtol(field + n + 1, &end, 10);
		return end != field + n + 1 && *end == '.' && row >= 0 && row < v->rows[k];
	}
	return false;
}

/* The summary of a refused form: how many fields to fix, and the messages
 * about anything the form does not show beside a control. */
static void claim_errors(struct req *r, const struct claim_view *v)
{
	buf *b = &r->out;
	int beside = 0;

	if (!v->c || !v->c->nerrs)
		return;
	for (int i = 0; i < v->c->nerrs; i++)
		beside += v->c->errs[i].field && shown_field(v, v->c->errs[i].field);
	HTML(b, "<div class=\"form-errors\" role=\"alert\">");
	if (beside)
		buf_printf(b, "<p>提交的内容有 %d 处需要修改，请看下面标出的地方。</p>", beside);
	for (int i = 0; i < v->c->nerrs; i++) {
		if (v->c->errs[i].field && shown_field(v, v->c->errs[i].field))
			continue;
		HTML(b, "<p>");
		buf_html(b, v->c->errs[i].message);
		HTML(b, "</p>");
	}
	HTML(b, "</div>\n");
}

static void claim_form_page(struct req *r, struct claim_view *v, int status)
{
	const struct problem_detail *p = v->p;
	const char *path = arena_printf(r->a, "/problems/%lld/claim", (long long)p->id);
	struct picker lead, owner;
	buf *b = &r->out;
	int64_t me = r->who->person_id;

	/* Pickers first: a search that fails answers before the page starts. */
	if (picker_or_respond(r, v, &lead, "lead_person_id", "挂帅领导", 0, false) < 0 ||
	    picker_or_respond(r, v, &owner, "owner_person_id", "主要负责人", v->apply && !v->assign ? me : 0, false) < 0)
		return;
	v->members = arena_alloc(r->a, (size_t)v->rows[0] * sizeof(*v->members));
	for (int i = 0; i < v->rows[0]; i++)
		if (picker_or_respond(r, v, &v->members[i], sub_name(r, "members", arena_printf(r->a, "%d", i), "person_id"),
				      "人员", 0, true) < 0)
			return;
	page_begin(r, v->apply ? "我要揭榜" : "组织点将", NAV_BOARD);
	HTML(b, "<p class=\"crumbs\"><a href=\"");
	html_path(b, r, "/");
	HTML(b, "\">榜单</a> › <a href=\"");
	html_path(b, r, arena_printf(r->a, "/problems/%lld", (long long)p->id));
	HTML(b, "\">");
	buf_html(b, p->title);
	HTML(b, "</a></p>\n<h1>");
	buf_html(b, v->apply ? "我要揭榜" : "组织点将");
	HTML(b, "：");
	buf_html(b, p->title);
	HTML(b, "</h1>\n");
	claim_errors(r, v);
	HTML(b, "<form class=\"claim-form\" method=\"post\" action=\"");
	html_path(b, r, path);
	HTML(b, "\">");
	html_csrf(r);
	HTML(b, "\n<section aria-labelledby=\"who-h\">\n<h2 id=\"who-h\">揭榜单位和人员</h2>\n<div class=\"row-fields\">\n");
	unit_select(r, v, "unit_id", "揭榜单位（牵头单位）", "请选择", r->who->unit_id);
	route_field(r, v);
	HTML(b, "</div>\n<div class=\"pickers\">\n");
	html_picker(r, &lead);
	html_picker(r, &owner);
	HTML(b, "</div>\n");
	rows_section(r, v, 0);
	coop_units(r, v);
	HTML(b, "</section>\n<section aria-labelledby=\"plan-h\">\n<h2 id=\"plan-h\">方案和目标</h2>\n");
	field_textarea(r, v->c, "plan", "工作方案（思路和措施）", kept(r, v, "plan", ""), " maxlength=\"5000\" rows=\"5\"");
	field_textarea(r, v->c, "goals", "目标和验收标准", kept(r, v, "goals", ""), " maxlength=\"5000\"");
	field_input(r, v->c, "date", "deadline", "完成时限", kept(r, v, "deadline", ""), NULL);
	rows_section(r, v, 1);
	rows_section(r, v, 2);
	HTML(b, "<p class=\"muted\">数值可带小数，如 6.5；金额以元为单位，百分比填数字（如 5 表示 5%）。</p>\n"
		"</section>\n<section aria-labelledby=\"pledge-h\">\n<h2 id=\"pledge-h\">军令状</h2>\n");
	field_textarea(r, v->c, "pledge", "承诺内容", kept(r, v, "pledge", ""), " maxlength=\"5000\"");
	field_textarea(r, v->c, "reward_penalty", "奖惩条款", kept(r, v, "reward_penalty", ""), " maxlength=\"5000\"");
	HTML(b, "<p class=\"muted\">获批后，主要负责人和挂帅领导分别签署军令状，签署后目标、节点和时限只能经批准的延期变更。</p>\n"
		"</section>\n<div class=\"actions\"><button type=\"submit\" name=\"op\" value=\"submit\">");
	buf_html(b, v->apply ? "提交揭榜申请" : "提交点将");
	HTML(b, "</button> <a class=\"cancel\" href=\"");
	html_path(b, r, arena_printf(r->a, "/problems/%lld", (long long)p->id));
	HTML(b, "\">取消</a></div>\n</form>\n");
	html_picker_script(r);
	HTML(b, "<script src=\"/static/claim.js?v=");
	buf_html(b, assets_version("claim.js"));
	HTML(b, "\" defer></script>\n");
	page_finish(r, status);
}

/* ---- handlers ---- */

/* The problem and the units; whether the reader may apply or assign at
 * all (the verb decides on the problem itself). -1 having answered. */
static int view_or_respond(struct req *r, struct claim_view *v, struct problem_detail *p)
{
	*v = (struct claim_view){ .p = p };
	if (problem_or_respond(r, p) < 0)
		return -1;
	v->apply = perm_any(r->who, "claim.apply");
	v->assign = perm_any(r->who, "claim.assign");
	if (!v->apply && !v->assign) {
		deny(r, "claim.apply", "problem", p->id, "permission");
		reply_error(r, 403, "forbidden", "您没有揭榜的权限", NULL);
		return -1;
	}
	if (user_units(r->db, r->a, r->tenant_id, 0, &v->units, &v->nunits) < 0) {
		web_store_error(r);
		return -1;
	}
	for (int k = 0; k < 3; k++)
		v->rows[k] = lists[k].least;
	return 0;
}

void page_claim_form(struct req *r)
{
	struct problem_detail p;
	struct claim_view v;

	if (view_or_respond(r, &v, &p) == 0)
		claim_form_page(r, &v, 200);
}

static void refused_form(struct req *r, const void *outcome, int status)
{
	claim_form_page(r, (struct claim_view *)outcome, status);
}

void act_claim_apply(struct req *r)
{
	const char *op = req_form(r, "op");
	struct problem_detail p;
	struct claim_view v;
	struct claim_in in;
	struct ctx c;
	int64_t id = 0;
	int rc, kept_rows[3];

	if (view_or_respond(r, &v, &p) < 0)
		return;
	/* Shown again for 查找 or 添加一行, the rows stay where they were typed;
	 * sent, blank rows go (claim_ui.h), and the form shown again after a
	 * refusal shows the rows as they were bound. */
	bool again = op && (!strcmp(op, "find") || !strncmp(op, "add:", 4));
	for (int k = 0; k < 3; k++) {
		kept_rows[k] = again ? 0 : claim_rows_compact(r, lists[k].list, lists[k].defaults);
		v.rows[k] = claim_rows_shown(r, lists[k].list, lists[k].least, kept_rows[k], lists[k].max);
	}
	web_ctx(r, &c);
	v.c = &c;
	if (again) {
		for (int k = 0; k < 3; k++)
			if (!strncmp(op, "add:", 4) && !strcmp(op + 4, lists[k].list) && v.rows[k] < lists[k].max)
				v.rows[k]++;
		claim_form_page(r, &v, 200);
		return;
	}
	memset(&in, 0, sizeof(in));
	rc = bind_request(r, &c, claim_fields, &in, NULL);
	if (rc == JB_OK)
		rc = claim_apply(&c, p.id, &in, &id);
	if (rc == JB_OK) {
		reply_redirect(r, arena_printf(r->a, "/claims/%lld?done=apply", (long long)id));
		return;
	}
	present_outcome_error(r, &c, rc, refused_form, &v);
}
