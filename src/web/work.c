/* work.c - 我的工作 (/me/work): what concerns the signed-in person, with
 * the reply and decision forms inline (domain/work.h). The JSON of the
 * same is GET /api/v1/me/work (src/api/supervise.c). */
#include "web/supervise.h"

#include <string.h>

#include "domain/claim.h"
#include "domain/state.h"
#include "domain/supervise.h"
#include "domain/work.h"
#include "util/clock.h"
#include "web/fields.h"
#include "web/web.h"

static const char *item_path(struct req *r, const struct work_item *x)
{
	if (x->claim_id)
		return arena_printf(r->a, "/claims/%lld", (long long)x->claim_id);
	return arena_printf(r->a, x->state && problem_state_has(x->state, PS_PUBLIC) ? "/problems/%lld" : "/proposals/%lld",
			    (long long)x->problem_id);
}

static void state_words(buf *b, const struct work_item *x)
{
	const char *zh = x->claim_id ? label_of(claim_states, x->state) : label_of(problem_states, x->state);

	buf_html(b, zh ? zh : x->state);
}

static void role_words(buf *b, const char *role)
{
	static const struct label roles[] = {
		{ "owner", "主要负责人" }, { "lead", "挂帅领导" }, { "member", "成员" }, { "liaison", "联络员" },
		{ "mentor", "帮带导师" }, { "applicant", "申请人" }, { NULL, NULL },
	};
	const char *zh = label_of(roles, role);

	buf_html(b, zh ? zh : role);
}

/* One item: its link, what it is and, for notices to answer and requests
 * to decide, the form. */
static void item(struct req *r, const struct work_item *x)
{
	int64_t now = clock_now();
	buf *b = &r->out;

	HTML(b, "<li><p class=\"n-head\">");
	if (strcmp(x->kind, "claim") && strcmp(x->kind, "proposal") && strcmp(x->kind, "milestone")) {
		HTML(b, "<span class=\"flag\">");
		buf_html(b, label_of(work_kinds, x->kind));
		HTML(b, "</span> ");
	}
	HTML(b, "<a href=\"");
	html_path(b, r, item_path(r, x));
	HTML(b, "\">");
	buf_html(b, x->title);
	HTML(b, "</a></p>\n<p class=\"muted\">");
	state_words(b, x);
	if (*x->role) {
		HTML(b, " · ");
		role_words(b, x->role);
	}
	if (*x->light) {
		HTML(b, " · <span class=\"light light-");
		buf_html(b, x->light);
		HTML(b, "\">");
		buf_html(b, label_of(lights, x->light));
		HTML(b, "</span>");
	}
	if (*x->detail) {
		HTML(b, " · ");
		buf_html(b, x->detail);
	}
	if (x->due) {
		if (!strcmp(x->kind, "reply") || !strcmp(x->kind, "overdue_reply"))
			HTML(b, " · 答复期限 ");
		else if (!strcmp(x->kind, "decide"))
			HTML(b, " · 申请延至 ");
		else
			HTML(b, " · 时限 ");
		fmt_date(b, x->due);
	}
	HTML(b, "</p>\n");
	if (!strcmp(x->kind, "reply") || !strcmp(x->kind, "decide")) {
		struct supervision s;
		struct extension e;
		if (!strcmp(x->kind, "reply") && supervision_get(r->db, r->a, r->tenant_id, x->object_id, now, &s) == 0 &&
		    r->csrf) {
			HTML(b, "<details><summary>答复</summary>\n");
			html_paragraphs(b, s.reason);
			form_open(r, arena_printf(r->a, "/supervisions/%lld/reply", (long long)s.id));
			HTML(b, "<input type=\"hidden\" name=\"back\" value=\"/me/work?done=1\">\n");
			field_textarea(r, NULL, "reply", arena_printf(r->a, "答复 %s", s.number), "", " rows=\"3\" required maxlength=\"2000\"");
			HTML(b, "<button type=\"submit\">提交答复</button></form></details>\n");
		}
		if (!strcmp(x->kind, "decide") && extension_get(r->db, r->a, r->tenant_id, x->object_id, &e) == 0 && r->csrf) {
			HTML(b, "<div class=\"actions\">");
			form_open(r, arena_printf(r->a, "/extensions/%lld/approve", (long long)e.id));
			HTML(b, "<input type=\"hidden\" name=\"back\" value=\"/me/work?done=1\"><button type=\"submit\">同意延期</button></form>");
			HTML(b, "<a href=\"");
			html_path(b, r, arena_printf(r->a, "/extensions/%lld/refuse", (long long)e.id));
			HTML(b, "\">不同意…</a></div>\n");
		}
	}
	HTML(b, "</li>\n");
}

static void list(struct req *r, const char *id, const char *heading, const struct work_item *xs, int n,
		 const char *empty)
{
	buf *b = &r->out;

	buf_printf(b, "<section aria-labelledby=\"%s\">\n<h2 id=\"%s\">", id, id);
	buf_html(b, heading);
	buf_printf(b, "（%d）</h2>\n", n);
	if (!n) {
		HTML(b, "<p class=\"empty\">");
		buf_html(b, empty);
		HTML(b, "</p>\n</section>\n");
		return;
	}
	HTML(b, "<ul class=\"notices\">\n");
	for (int i = 0; i < n; i++)
		item(r, &xs[i]);
	HTML(b, "</ul>\n</section>\n");
}

void page_work(struct req *r)
{
	struct work w;
	buf *b = &r->out;

	if (work_of(r->db, r->a, r->who, clock_now(), &w) < 0) {
		web_store_error(r);
		return;
	}
	r->no_store = true;
	page_begin(r, "我的工作", NAV_WORK);
	HTML(b, "<h1>我的工作</h1>\n");
	if (req_query(r, "done"))
		HTML(b, "<p class=\"notice\" role=\"status\">已提交。</p>\n");
	list(r, "w-wait", "待我办理", w.waiting, w.nwaiting, "没有等待您办理的事项。");
	list(r, "w-soon", "7 天内到期的节点", w.milestones, w.nmilestones, "7 天内没有到期的节点。");
	list(r, "w-claims", "我的揭榜与破题团队", w.claims, w.nclaims, "您还没有参与揭榜。");
	list(r, "w-props", "我的出卷", w.proposals, w.nproposals, "您还没有出卷。");
	page_end(r);
}
