/* promotion.c - the promotions page (提拔使用, web/people.h): the list
 * with its filters for admins and leaders, and the admins' form with the
 * person picker and the chosen person's claims to link. */
#include "web/export.h"
#include "web/people.h"

#include <string.h>

#include "domain/claim.h"
#include "domain/perm.h"
#include "domain/problem.h"
#include "domain/promotion.h"
#include "domain/record.h"
#include "domain/user.h"
#include "util/text.h"
#include "web/fields.h"
#include "web/web.h"
#include "web/widgets.h"

static const char *or_dash(const char *s)
{
	return s && *s ? s : "—";
}

int promotion_filter_or_respond(struct req *r, struct promotion_filter *f)
{
	const char *batch = req_query(r, "batch"), *person = req_query(r, "person"), *kind = req_query(r, "kind");

	memset(f, 0, sizeof(*f));
	if (batch && *batch && parse_int(batch, 1, INT64_MAX, &f->batch_id) < 0) {
		reply_error(r, 400, "bad_param", "批次参数不对", "batch");
		return -1;
	}
	if (person && *person && parse_int(person, 1, INT64_MAX, &f->person_id) < 0) {
		reply_error(r, 400, "bad_param", "人员参数不对", "person");
		return -1;
	}
	if (kind && *kind && !label_of(promotion_kinds, kind)) {
		reply_error(r, 400, "bad_param", "类别参数不对", "kind");
		return -1;
	}
	f->kind = kind && *kind ? kind : NULL;
	return 0;
}

static void filter_form(struct req *r, const struct promotion_filter *f, const struct named *batches, int nb)
{
	buf *b = &r->out;

	HTML(b, "<form class=\"filters\" method=\"get\" action=\"");
	html_path(b, r, "/promotions");
	HTML(b, "\">\n<label>批次<select name=\"batch\"><option value=\"\">全部批次</option>");
	for (int i = 0; i < nb; i++) {
		buf_printf(b, "<option value=\"%lld\"%s>", (long long)batches[i].id, batches[i].id == f->batch_id ? " selected" : "");
		buf_html(b, batches[i].name);
		HTML(b, "</option>");
	}
	HTML(b, "</select></label>\n<label>类别<select name=\"kind\"><option value=\"\">全部类别</option>");
	for (const struct label *l = promotion_kinds; l->code; l++) {
		HTML(b, "<option value=\"");
		buf_html(b, l->code);
		HTML(b, "\"");
		if (f->kind && !strcmp(f->kind, l->code))
			HTML(b, " selected");
		HTML(b, ">");
		buf_html(b, l->zh);
		HTML(b, "</option>");
	}
	HTML(b, "</select></label>\n");
	if (f->person_id)
		buf_printf(b, "<input type=\"hidden\" name=\"person\" value=\"%lld\">", (long long)f->person_id);
	HTML(b, "<button type=\"submit\" class=\"secondary\">筛选</button>\n</form>\n");
}

static void list_table(struct req *r, const struct promotion *v, int n)
{
	static const struct table_col cols[] = { { "人员", COL_TITLE }, { "日期", 0 }, { "单位", 0 }, { "类别", 0 },
						 { "原任职务", 0 }, { "新任职务", 0 }, { "文号", 0 },
						 { "关联揭榜", COL_WIDE }, { "记录人", 0 }, { NULL, 0 } };
	struct table t = { .cols = cols, .cls = "promotions", .caption = "按日期排列，最近的在前" };
	buf *b = &r->out;

	table_open(b, &t);
	for (int i = 0; i < n; i++) {
		const struct promotion *p = &v[i];
		table_row(b, &t);
		table_cell(b, &t);
		a_href(r, arena_printf(r->a, "/people/%lld/record", (long long)p->person_id), p->person);
		table_cell(b, &t);
		fmt_date(b, p->at);
		table_cell(b, &t);
		buf_html(b, p->unit);
		table_cell(b, &t);
		buf_html(b, or_dash(label_of(promotion_kinds, p->kind)));
		table_cell(b, &t);
		buf_html(b, or_dash(p->from_post));
		table_cell(b, &t);
		buf_html(b, or_dash(p->to_post));
		table_cell(b, &t);
		buf_html(b, or_dash(p->doc_no));
		table_cell(b, &t);
		for (int k = 0; k < p->nclaims; k++) {
			if (k)
				HTML(b, "<br>");
			a_href(r, arena_printf(r->a, "/claims/%lld", (long long)p->claims[k].id), p->claims[k].title);
		}
		if (!p->nclaims)
			HTML(b, "—");
		table_cell(b, &t);
		buf_html(b, or_dash(p->recorded_by));
	}
	table_close(b, &t);
}

/* The person the form shows as chosen: the posted one, else ?person=. */
static int64_t chosen_id(struct req *r)
{
	const char *s = strcmp(r->method, "GET") ? req_form(r, "person_id") : req_query(r, "person");
	int64_t id = 0;

	if (s && *s && parse_int(s, 1, INT64_MAX, &id) < 0)
		id = 0;
	return id;
}

static bool posted_claim(struct req *r, int64_t id)
{
	const char *v[PROMOTION_CLAIMS_MAX * 2];
	int n = req_form_all(r, "claim_ids", v, PROMOTION_CLAIMS_MAX * 2);
	int64_t x;

	for (int i = 0; i < n && i < PROMOTION_CLAIMS_MAX * 2; i++)
		if (parse_int(v[i], 1, INT64_MAX, &x) == 0 && x == id)
			return true;
	return false;
}

/* The chosen person's claims as checkboxes (their record's claims). */
static void claim_checks(struct req *r, const struct ctx *c, const struct record *x)
{
	buf *b = &r->out;
	bool err = false;

	for (int i = 0; c && i < c->nerrs; i++)
		err |= c->errs[i].field && !strcmp(c->errs[i].field, "claim_ids");
	buf_printf(b, "<fieldset class=\"claim-checks%s\"%s><legend>关联揭榜（可多选，", err ? " has-error" : "",
		   err ? " aria-describedby=\"claim_ids-err\"" : "");
	buf_html(b, x ? x->person.name : "");
	HTML(b, "所在团队的揭榜）</legend>\n");
	if (err) {
		HTML(b, "<p class=\"field-error\" id=\"claim_ids-err\">");
		for (int i = 0; i < c->nerrs; i++) {
			if (!c->errs[i].field || strcmp(c->errs[i].field, "claim_ids"))
				continue;
			buf_html(b, c->errs[i].message);
			HTML(b, " ");
		}
		HTML(b, "</p>\n");
	}
	if (x && !x->nclaims)
		HTML(b, "<p class=\"empty\">此人没有参加过揭榜。</p>\n");
	for (int i = 0; x && i < x->nclaims; i++) {
		const struct record_claim *k = &x->claims[i];
		buf_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"claim_ids\" value=\"%lld\"%s> ",
			   (long long)k->id, posted_claim(r, k->id) ? " checked" : "");
		buf_html(b, k->title);
		HTML(b, "（");
		buf_html(b, claim_state_info[k->state].zh);
		HTML(b, "）</label>\n");
	}
	HTML(b, "</fieldset>\n");
}

static void record_form(struct req *r, const struct ctx *c, struct picker *pk, const struct record *x)
{
	buf *b = &r->out;

	HTML(b, "<section aria-labelledby=\"new\">\n<h2 id=\"new\">记录提拔使用</h2>\n");
	form_errors(r, c);
	HTML(b, "<form class=\"stack promotion-form\" method=\"post\" action=\"");
	html_path(b, r, "/promotions");
	HTML(b, "\">");
	html_csrf(r);
	html_picker(r, pk);
	if (pk->current)
		claim_checks(r, c, x);
	else
		HTML(b, "<p class=\"muted\">选定人员后，点“列出揭榜”可勾选此人参加过的揭榜。</p>\n");
	HTML(b, "<p><button type=\"submit\" class=\"secondary\" name=\"op\" value=\"claims\" formnovalidate>列出揭榜</button></p>\n"
		"<div class=\"row-fields\">\n");
	field_input(r, c, "date", "at", "日期（不晚于今天）", field_value(r, c, "at", ""), " required");
	field_select(r, c, "kind", "类别", promotion_kinds, field_value(r, c, "kind", ""), "请选择");
	HTML(b, "</div>\n<div class=\"row-fields\">\n");
	field_input(r, c, "text", "from_post", "原任职务", field_value(r, c, "from_post", ""), " maxlength=\"100\"");
	field_input(r, c, "text", "to_post", "新任职务（表彰可不填）", field_value(r, c, "to_post", ""), " maxlength=\"100\"");
	field_input(r, c, "text", "doc_no", "文号", field_value(r, c, "doc_no", ""), " maxlength=\"100\"");
	HTML(b, "</div>\n");
	field_textarea(r, c, "note", "说明", field_value(r, c, "note", ""), " rows=\"3\" maxlength=\"2000\"");
	HTML(b, "<div class=\"actions\"><button type=\"submit\" name=\"op\" value=\"submit\">记录</button></div>\n</form>\n");
	html_picker_script(r);
	HTML(b, "</section>\n");
}

/* The form's picker, loaded; the chosen person's record into *x (NULL
 * when none is chosen or readable). -1 having answered. */
static int form_parts_or_respond(struct req *r, const struct ctx *c, struct picker *pk, struct record **x)
{
	struct named *units;
	struct person *p = NULL;
	struct ctx rc_ctx;
	int64_t id = chosen_id(r);
	int nunits;

	*x = NULL;
	if (user_units(r->db, r->a, r->tenant_id, 0, &units, &nunits) < 0) {
		web_store_error(r);
		return -1;
	}
	if (id) {
		struct record *rec = arena_alloc(r->a, sizeof(*rec));
		web_ctx(r, &rc_ctx);
		if (record_get(&rc_ctx, id, rec) == JB_OK) {
			*x = rec;
			p = &rec->person;
		}
	}
	*pk = (struct picker){ .field = "person_id", .legend = "人员", .current = p, .units = units, .nunits = nunits,
			       .all_units = true, .pick = true, .in_form = true };
	{
		const struct field_error *e = field_error_of(c, "person_id");
		pk->error = e ? e->message : NULL;
	}
	return picker_load_or_respond(r, pk);
}

void promotions_page(struct req *r, const struct ctx *c, int status)
{
	struct perm_target t = { r->tenant_id, 0, 0, false };
	struct promotion_filter f;
	struct promotion *v;
	struct named *batches;
	struct record *x = NULL;
	struct picker pk;
	struct ctx lc;
	buf *b = &r->out;
	bool manage;
	int n, nb, rc;

	if (!perm_or_respond(r, "promotion.read", "promotion", 0, &t) || promotion_filter_or_respond(r, &f) < 0)
		return;
	manage = r->csrf && perm_check(r->who, "promotion.manage", &t);
	if (manage && form_parts_or_respond(r, c, &pk, &x) < 0)
		return;
	web_ctx(r, &lc);
	if ((rc = promotion_list(&lc, &f, &v, &n)) != JB_OK) {
		outcome_error(r, &lc, rc);
		return;
	}
	if (problem_batches(r->db, r->a, r->tenant_id, &batches, &nb) < 0) {
		web_store_error(r);
		return;
	}
	page_begin(r, "提拔使用", NAV_PROMOTIONS);
	HTML(b, "<h1>提拔使用</h1>\n");
	export_links(r, "promotions", false);
	if (req_query(r, "done"))
		HTML(b, "<p class=\"notice\" role=\"status\">已记录。</p>\n");
	HTML(b, "<p class=\"lead\">揭榜挂帅中表现突出、被提拔或进一步使用、晋升职级和受到表彰的干部。只有管理员和县领导可以查看。</p>\n");
	filter_form(r, &f, batches, nb);
	if (f.person_id) {
		HTML(b, "<p>只看");
		if (n) {
			HTML(b, " <strong>");
			buf_html(b, v[0].person);
			HTML(b, "</strong> ");
		}
		HTML(b, "这一人员的记录。");
		a_href(r, "/promotions", "查看全部人员");
		HTML(b, "</p>\n");
	}
	buf_printf(b, "<p class=\"summary\">共 %d 条。</p>\n", n);
	if (n)
		list_table(r, v, n);
	else
		HTML(b, "<p class=\"empty\">没有符合条件的记录。</p>\n");
	if (manage)
		record_form(r, c, &pk, x);
	page_finish(r, status);
}

void page_promotions(struct req *r)
{
	promotions_page(r, NULL, 200);
}
