/* certificate.c - the printable acceptance certificate (验收证书, GET
 * /claims/:id/certificate): an A4 page like the pledge's (the site's
 * header hidden in print by the stylesheet) for an accepted claim, to
 * whoever may see the claim; a claim not accepted is 404 with the reason. */
#include "domain/rubric.h"
#include "web/claim_ui.h"

static void fact(buf *b, const char *term, const char *text)
{
	HTML(b, "<dt>");
	buf_html(b, term);
	HTML(b, "</dt><dd>");
	buf_html(b, text && *text ? text : "—");
	HTML(b, "</dd>\n");
}

void certificate_html(buf *b, const struct claim_detail *d, const struct certificate *k)
{
	const char *grade = label_of(grades, k->grade);
	char score[24];

	HTML(b, "<article class=\"pledge-doc certificate-doc\">\n<h1>验收证书</h1>\n");
	buf_printf(b, "<p class=\"doc-no\">〔%d〕验字第 %lld 号</p>\n", k->year, (long long)k->number);
	HTML(b, "<p class=\"cert-lead\">经");
	buf_html(b, k->county);
	HTML(b, "揭榜挂帅考评组考评，下列揭榜项目已通过验收，特发此证。</p>\n<dl class=\"facts\">\n");
	fact(b, "难题", d->problem_title);
	fact(b, "揭榜单位", d->unit);
	HTML(b, "<dt>配合单位</dt><dd>");
	for (int i = 0; i < d->ncooperators; i++) {
		if (i)
			HTML(b, "、");
		buf_html(b, d->cooperators[i].name);
	}
	if (!d->ncooperators)
		HTML(b, "—");
	HTML(b, "</dd>\n");
	claim_party_fact(b, "挂帅领导", d->lead, d->lead_title);
	claim_party_fact(b, "主要负责人", d->owner, d->owner_title);
	claim_team_fact(b, d);
	fact(b, "验收等次", grade);
	HTML(b, "<dt>验收得分</dt><dd>");
	buf_html(b, score_format(k->score, score, sizeof(score)));
	HTML(b, " 分</dd>\n<dt>验收日期</dt><dd>");
	if (k->evaluated_at)
		fmt_date_zh(b, k->evaluated_at);
	else
		HTML(b, "—");
	HTML(b, "</dd>\n</dl>\n<div class=\"cert-seal\"><p class=\"sig-name\">");
	buf_html(b, k->county);
	HTML(b, "揭榜挂帅工作领导小组</p><p>（盖章）</p><p>");
	if (k->evaluated_at)
		fmt_date_zh(b, k->evaluated_at);
	HTML(b, "</p></div>\n</article>\n");
}

void claim_certificate_link(struct req *r, const struct claim_detail *d)
{
	if (d->state != CLAIM_ACCEPTED)
		return;
	HTML(&r->out, "<p class=\"claim-links\">");
	claim_link(&r->out, r, claim_path(r, d->id, "/certificate"), "查看和打印验收证书");
	HTML(&r->out, "</p>\n");
}

void page_claim_certificate(struct req *r)
{
	struct claim_detail d;
	struct certificate k;
	struct ctx c;
	int64_t id;
	int rc;
	buf *b = &r->out;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	if ((rc = certificate_get(&c, id, r->tenant_name, &d, &k)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	page_begin(r, arena_printf(r->a, "验收证书：%s", d.problem_title), NAV_BOARD);
	HTML(b, "<p class=\"crumbs no-print\"><a href=\"");
	html_path(b, r, claim_path(r, d.id, ""));
	HTML(b, "\">返回揭榜详情</a> · 用浏览器的“打印”可打印或存为 PDF（A4）。</p>\n");
	certificate_html(b, &d, &k);
	page_end(r);
}
