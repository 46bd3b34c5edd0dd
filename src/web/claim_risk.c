/* claim_risk.c - the mid-term review's risk mark on the claim page: the
 * risk and its note for the readers of the claim's internals (the team,
 * admins, leaders; the public sees only the light), the batch's mid-term
 * date, and the admins' form to mark or clear it (POST /claims/:id/risk,
 * handled with the API's in src/api/evaluation_setup.c); GET
 * /claims/:id/risk is that form on its own page, where a refused one is
 * shown again. */
#include <string.h>

#include "domain/batch.h"
#include "domain/perm.h"
#include "web/claim_ui.h"
#include "web/fields.h"

static const struct label risk_choices[] = {
	{ "yellow", "黄灯：有风险，需加快推进" },
	{ "red", "红灯：风险较大，可能完不成" },
	{ "", "清除风险标记" },
	{ NULL, NULL },
};

static bool may_mark(struct req *r, const struct claim_detail *d)
{
	struct perm_target t = { r->tenant_id, 0, 0, false };

	return r->csrf && d->state >= 0 && (claim_state_info[d->state].flags & CS_WORKING) &&
	       perm_check(r->who, "evaluation.manage", &t);
}

static void risk_form(struct req *r, const struct claim_detail *d, const struct claim_risk *k, const struct ctx *c)
{
	const char *level = field_value(r, c, "level", k->risk == RISK_NONE ? "yellow" : claim_risks[k->risk - 1].code);

	form_errors(r, c);
	form_open(r, claim_path(r, d->id, "/risk"));
	field_select(r, c, "level", "风险等级", risk_choices, level, NULL);
	field_textarea(r, c, "note", "风险说明（标记风险时必填；团队、管理员和县领导可见，公众只看到灯色）",
		       field_value(r, c, "note", k->note), " rows=\"3\" maxlength=\"500\"");
	HTML(&r->out, "<button type=\"submit\">保存风险标记</button>\n</form>\n");
}

/* The mark, its note and the mid-term date. */
static void risk_facts(struct req *r, const struct claim_risk *k)
{
	buf *b = &r->out;

	HTML(b, "<dl class=\"facts\">\n<dt>中期评估日期</dt><dd>");
	if (k->midterm_on)
		fmt_date(b, k->midterm_on);
	else
		HTML(b, "未定");
	HTML(b, "</dd>\n<dt>风险标记</dt><dd>");
	if (k->risk == RISK_NONE) {
		HTML(b, "无");
	} else {
		HTML(b, "<strong>");
		buf_html(b, claim_risks[k->risk - 1].zh);
		HTML(b, "</strong>（标记于 ");
		fmt_date(b, k->at);
		HTML(b, "）");
	}
	HTML(b, "</dd>\n");
	if (k->risk != RISK_NONE) {
		HTML(b, "<dt>风险说明</dt><dd>");
		buf_html(b, k->note);
		HTML(b, "</dd>\n");
	}
	HTML(b, "</dl>\n");
}

/* The section for d's internal readers; c: a refused mark, or NULL. */
static void section(struct req *r, const struct claim_detail *d, const struct claim_risk *k, const struct ctx *c)
{
	buf *b = &r->out;

	HTML(b, "<section aria-labelledby=\"risk-h\">\n<h2 id=\"risk-h\">中期评估</h2>\n");
	risk_facts(r, k);
	if (may_mark(r, d)) {
		HTML(b, "<details class=\"action-box\"");
		if (c)
			HTML(b, " open");
		HTML(b, "><summary>标记或清除风险</summary>\n");
		risk_form(r, d, k, c);
		HTML(b, "</details>\n");
	}
	HTML(b, "</section>\n");
}

void claim_risk_section(struct req *r, const struct claim_detail *d)
{
	struct claim_risk k;
	struct ctx c;

	if (!claim_reads_internal(r->who, d) || d->state < 0 || !(claim_state_info[d->state].flags & CS_WORKING))
		return;
	web_ctx(r, &c);
	if (claim_risk_get(&c, d, &k) < 0) {
		HTML(&r->out, "<p class=\"notice\">中期评估的风险标记暂时读不出来，请稍后刷新。</p>\n");
		return;
	}
	section(r, d, &k, NULL);
}

void claim_risk_form_page(struct req *r, const struct ctx *refused, int status)
{
	struct claim_detail d;
	struct claim_risk k;
	struct ctx c;
	buf *b = &r->out;

	if (claim_or_respond(r, &c, &d) < 0)
		return;
	if (claim_risk_get(&c, &d, &k) < 0) {
		web_store_error(r);
		return;
	}
	page_begin(r, arena_printf(r->a, "中期评估风险：%s", d.problem_title), NAV_BOARD);
	HTML(b, "<p class=\"crumbs\">");
	claim_link(b, r, claim_path(r, d.id, ""), "返回揭榜详情");
	HTML(b, "</p>\n<h1>中期评估风险标记</h1>\n<p class=\"lead\">");
	buf_html(b, d.problem_title);
	HTML(b, "（");
	buf_html(b, d.unit);
	HTML(b, "）</p>\n");
	risk_facts(r, &k);
	if (may_mark(r, &d))
		risk_form(r, &d, &k, refused);
	else
		HTML(b, "<p class=\"notice\">只有管理员可以为攻坚中的揭榜标记风险。</p>\n");
	page_finish(r, status);
}

void page_claim_risk(struct req *r)
{
	claim_risk_form_page(r, NULL, 200);
}
