/* claim.c - one claim (揭榜): GET /claims/:id with its state, route,
 * light, parties, plan, milestones, metrics and progress, and the actions
 * the claim transition table (claim.h) offers the reader as POST forms to
 * /claims/:id/<action>. The progress and solve forms are in
 * claim_report.c, the comparison of competing applications and the
 * printable pledge in claim_print.c, the application form in
 * claim_form.c. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/claim.h"
#include "domain/state.h"
#include "util/text.h"
#include "web/claim_ui.h"
#include "web/evaluate.h"
#include "web/people.h"
#include "web/practice.h"
#include "web/supervise.h"
#include "web/widgets.h"

/* ---- shared with the other claim pages (claim_ui.h) ---- */

void claim_hidden(buf *b, const char *name, const char *value)
{
	HTML(b, "<input type=\"hidden\" name=\"");
	buf_html(b, name);
	HTML(b, "\" value=\"");
	buf_html(b, value);
	HTML(b, "\">");
}

static bool word_in(const char *words, const char *w, size_t n)
{
	for (const char *p = words; *p; p += strcspn(p, " "), p += strspn(p, " "))
		if (strcspn(p, " ") == n && !strncmp(p, w, n))
			return true;
	return false;
}

/* The row index of key under "list." (its field after it into *field), or
 * -1 when key is not a well-formed row key of list. */
static int row_of(const char *key, const char *list, size_t len, const char **field)
{
	const char *p = key + len + 1;
	long n = 0;

	if (strncmp(key, list, len) || key[len] != '.' || !(*p >= '0' && *p <= '9'))
		return -1;
	while (*p >= '0' && *p <= '9' && n < 100000)
		n = n * 10 + (*p++ - '0');
	if (*p != '.' || n >= 100000)
		return -1;
	*field = p + 1;
	return (int)n;
}

/* Which rows of list in form are kept (not blank but for defaults): *to
 * maps each row number to its new one (-1: dropped), *from each kept row
 * to the one it came from. Returns the highest row number, -1 if none. */
static int row_map(arena *a, const struct kv *form, int nform, const char *list, const char *defaults, int **to,
		   int **from, int *kept)
{
	size_t len = strlen(list);
	const char *field;
	int top = -1, n;
	bool *content;

	*kept = 0;
	for (int i = 0; i < nform; i++)
		if ((n = row_of(form[i].key, list, len, &field)) > top)
			top = n;
	if (top < 0)
		return -1;
	content = arena_alloc(a, (size_t)(top + 1) * sizeof(*content));
	*to = arena_alloc(a, (size_t)(top + 1) * sizeof(**to));
	*from = arena_alloc(a, (size_t)(top + 1) * sizeof(**from));
	memset(content, 0, (size_t)(top + 1) * sizeof(*content));
	for (int i = 0; i < nform; i++)
		if ((n = row_of(form[i].key, list, len, &field)) >= 0 && *form[i].val &&
		    !word_in(defaults, field, strlen(field)))
			content[n] = true;
	for (int i = 0; i <= top; i++) {
		(*to)[i] = content[i] ? *kept : -1;
		if (content[i])
			(*from)[(*kept)++] = i;
	}
	return top;
}

int claim_rows_compact(struct req *r, const char *list, const char *defaults)
{
	size_t len = strlen(list);
	const char *field;
	int *to, *from, kept, n = 0;

	if (row_map(r->a, r->form, r->nform, list, defaults, &to, &from, &kept) < 0)
		return 0;
	for (int i = 0; i < r->nform; i++) {
		struct kv x = r->form[i];
		int row = row_of(x.key, list, len, &field);
		if (row >= 0 && to[row] < 0)
			continue;
		if (row >= 0)
			x.key = arena_printf(r->a, "%s.%d.%s", list, to[row], field);
		r->form[n++] = x;
	}
	r->nform = n;
	return kept;
}

struct form_copy claim_form_save(struct req *r)
{
	struct form_copy s = { arena_alloc(r->a, (size_t)(r->nform ? r->nform : 1) * sizeof(struct kv)), r->nform };

	if (r->nform)
		memcpy(s.form, r->form, (size_t)r->nform * sizeof(struct kv));
	return s;
}

void claim_form_restore(struct req *r, struct ctx *c, const struct form_copy *saved, const char *lists,
			const char *defaults[])
{
	const char *field;
	int *to, *from, kept, k = 0;

	memcpy(r->form, saved->form, (size_t)saved->n * sizeof(struct kv));
	r->nform = saved->n;
	for (const char *p = lists; *p; p += strcspn(p, " "), p += strspn(p, " "), k++) {
		const char *list = arena_strndup(r->a, p, strcspn(p, " "));
		size_t len = strlen(list);
		if (row_map(r->a, saved->form, saved->n, list, defaults[k], &to, &from, &kept) < 0)
			continue;
		for (int i = 0; i < c->nerrs; i++) {
			int row = c->errs[i].field ? row_of(c->errs[i].field, list, len, &field) : -1;
			if (row >= 0 && row < kept)
				c->errs[i].field = arena_printf(r->a, "%s.%d.%s", list, from[row], field);
		}
	}
}

int claim_rows_shown(struct req *r, const char *list, int least, int kept, int max)
{
	const char *s = req_form(r, arena_printf(r->a, "%s_rows", list));
	int64_t posted = 0;
	int n = least;

	if (s && parse_int(s, 0, max, &posted) == 0 && posted > n)
		n = (int)posted;
	if (kept > n)
		n = kept;
	return n > max ? max : n;
}

int claim_or_respond(struct req *r, struct ctx *c, struct claim_detail *d)
{
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return -1;
	web_ctx(r, c);
	if ((rc = claim_get(c, id, d)) != JB_OK) {
		outcome_error(r, c, rc);
		return -1;
	}
	return 0;
}

/* ---- pieces of the page ---- */

const char *claim_path(struct req *r, int64_t id, const char *tail)
{
	return arena_printf(r->a, "/claims/%lld%s", (long long)id, tail);
}

void claim_link(buf *b, struct req *r, const char *path, const char *text)
{
	HTML(b, "<a href=\"");
	html_path(b, r, path);
	HTML(b, "\">");
	buf_html(b, text);
	HTML(b, "</a>");
}

static void button_link(buf *b, struct req *r, const char *path, const char *text)
{
	HTML(b, "<a class=\"button\" href=\"");
	html_path(b, r, path);
	HTML(b, "\">");
	buf_html(b, text);
	HTML(b, "</a>");
}

static void claim_state_badge(buf *b, int state)
{
	HTML(b, "<span class=\"state cstate-");
	buf_html(b, claim_state_info[state].code);
	HTML(b, "\">");
	buf_html(b, claim_state_info[state].zh);
	HTML(b, "</span>");
}

static void fact(buf *b, const char *term, const char *text)
{
	HTML(b, "<dt>");
	buf_html(b, term);
	HTML(b, "</dt><dd>");
	buf_html(b, text && *text ? text : "—");
	HTML(b, "</dd>\n");
}

static void fact_at(buf *b, const char *term, int64_t at)
{
	if (!at)
		return;
	HTML(b, "<dt>");
	buf_html(b, term);
	HTML(b, "</dt><dd>");
	fmt_datetime(b, at);
	HTML(b, "</dd>\n");
}

/* A figure of a metric with its unit: money as ¥, the rest as
 * metric_format() writes them. */
static void metric_value(struct req *r, const char *kind, const char *uom, int64_t v)
{
	buf *b = &r->out;

	if (!strcmp(kind, "money")) {
		fmt_metric(b, kind, uom, v);
		return;
	}
	buf_html(b, metric_format(r->a, kind, v));
	if (*uom) {
		buf_putc(b, ' ');
		buf_html(b, uom);
	}
}

static const char *role_zh(const char *role)
{
	if (!strcmp(role, "lead"))
		return "挂帅领导";
	if (!strcmp(role, "owner"))
		return "主要负责人";
	return label_of(member_roles, role) ? label_of(member_roles, role) : role;
}

/* "王广宁（县委宣传部副部长）". */
static void person_with_title(buf *b, const char *name, const char *title)
{
	buf_html(b, name);
	if (title && *title) {
		HTML(b, "（");
		buf_html(b, title);
		HTML(b, "）");
	}
}

static void facts_section(struct req *r, const struct claim_detail *d)
{
	buf *b = &r->out;

	HTML(b, "<dl class=\"facts\">\n");
	buf_printf(b, "<dt>申请编号</dt><dd>%lld</dd>\n", (long long)d->id);
	fact(b, "揭榜方式", label_of(claim_routes, d->route));
	fact(b, "揭榜单位", d->unit);
	HTML(b, "<dt>配合单位</dt><dd>");
	for (int i = 0; i < d->ncooperators; i++) {
		if (i)
			HTML(b, "、");
		buf_html(b, d->cooperators[i].name);
	}
	if (!d->ncooperators)
		HTML(b, "—");
	HTML(b, "</dd>\n<dt>挂帅领导</dt><dd>");
	person_with_title(b, d->lead, d->lead_title);
	HTML(b, "</dd>\n<dt>主要负责人</dt><dd>");
	person_with_title(b, d->owner, d->owner_title);
	HTML(b, "</dd>\n");
	fact(b, "批次", d->batch);
	if (d->deadline) {
		HTML(b, "<dt>完成时限</dt><dd>");
		fmt_date(b, d->deadline);
		HTML(b, "</dd>\n");
	}
	fact_at(b, "申请时间", d->applied_at);
	fact_at(b, "单位推荐", d->endorsed_at);
	fact_at(b, "批准时间", d->approved_at);
	fact_at(b, "主要负责人签署", d->owner_signed_at);
	fact_at(b, "挂帅领导签署", d->lead_signed_at);
	fact_at(b, "破题时间", d->solved_at);
	fact_at(b, "办结时间", d->closed_at);
	if (d->decided_reason && *d->decided_reason)
		fact(b, "处理理由", d->decided_reason);
	HTML(b, "</dl>\n");
}

static void team_section(struct req *r, const struct claim_detail *d)
{
	static const struct table_col cols[] = { { "姓名", COL_TITLE }, { "职务", 0 }, { "单位", 0 }, { "分工", 0 },
						 { NULL, 0 } };
	struct table t = { .cols = cols };
	buf *b = &r->out;
	int units = 0;

	for (int i = 0; i < d->nmembers; i++) {
		int seen = 0;
		for (int j = 0; j < i && !seen; j++)
			seen = d->members[j].unit_id == d->members[i].unit_id;
		units += !seen;
	}
	buf_printf(b, "<section aria-labelledby=\"team-h\">\n<h2 id=\"team-h\">破题战队<small>%d 人，来自 %d 个单位</small></h2>\n",
		   d->nmembers, units);
	table_open(b, &t);
	for (int i = 0; i < d->nmembers; i++) {
		const struct claim_member *m = &d->members[i];
		table_row(b, &t);
		table_cell(b, &t);
		buf_html(b, m->name);
		table_cell(b, &t);
		buf_html(b, *m->title ? m->title : "—");
		table_cell(b, &t);
		buf_html(b, m->unit);
		table_cell(b, &t);
		buf_html(b, role_zh(m->role));
	}
	table_close(b, &t);
	HTML(b, "</section>\n");
}

static void text_section(buf *b, const char *id, const char *title, const char *text)
{
	if (!text || !*text)
		return;
	buf_printf(b, "<section aria-labelledby=\"%s\">\n<h2 id=\"%s\">", id, id);
	buf_html(b, title);
	HTML(b, "</h2>\n");
	html_paragraphs(b, text);
	HTML(b, "</section>\n");
}

static void milestones_section(struct req *r, const struct claim_detail *d)
{
	buf *b = &r->out;

	if (!d->nmilestones)
		return;
	HTML(b, "<section aria-labelledby=\"ms-h\">\n<h2 id=\"ms-h\">节点计划</h2>\n<ol class=\"milestones\">\n");
	for (int i = 0; i < d->nmilestones; i++) {
		const struct claim_milestone *m = &d->milestones[i];
		html_milestone(b, m->title, m->due_at, m->done_at, m->overdue, "未完成");
	}
	HTML(b, "</ol>\n</section>\n");
}

static void metrics_section(struct req *r, const struct claim_detail *d)
{
	static const struct table_col cols[] = { { "指标", COL_TITLE }, { "基线", 0 }, { "目标", 0 }, { "已完成", 0 },
						 { "完成率", 0 }, { NULL, 0 } };
	struct table t = { .cols = cols, .cls = "metrics" };
	buf *b = &r->out;

	if (!d->nmetrics)
		return;
	HTML(b, "<section aria-labelledby=\"metric-h\">\n<h2 id=\"metric-h\">目标与完成</h2>\n");
	table_open(b, &t);
	for (int i = 0; i < d->nmetrics; i++) {
		const struct claim_metric *m = &d->metrics[i];
		table_row(b, &t);
		table_cell(b, &t);
		buf_html(b, m->name);
		table_cell(b, &t);
		metric_value(r, m->kind, m->uom, m->baseline);
		table_cell(b, &t);
		metric_value(r, m->kind, m->uom, m->target);
		table_cell(b, &t);
		metric_value(r, m->kind, m->uom, m->achieved);
		table_cell(b, &t);
		html_completion(b, m->completion);
	}
	table_close(b, &t);
	HTML(b, "</section>\n");
}

static const struct claim_metric *metric_of(const struct claim_detail *d, int64_t id)
{
	for (int i = 0; i < d->nmetrics; i++)
		if (d->metrics[i].id == id)
			return &d->metrics[i];
	return NULL;
}

static void labelled_text(buf *b, const char *label, const char *text)
{
	if (!text || !*text)
		return;
	HTML(b, "<h4>");
	buf_html(b, label);
	HTML(b, "</h4>\n");
	html_paragraphs(b, text);
}

static void report_item(struct req *r, const struct claim_detail *d, const struct claim_report *e)
{
	buf *b = &r->out;

	HTML(b, "<li><time>");
	fmt_datetime(b, e->at);
	HTML(b, "</time><h3>");
	buf_html(b, !strcmp(e->kind, "solve") ? "破题申报" : "进展报告");
	HTML(b, "</h3>\n");
	html_paragraphs(b, e->text ? e->text : "");
	if (e->nvalues) {
		HTML(b, "<ul class=\"values\">\n");
		for (int i = 0; i < e->nvalues; i++) {
			const struct claim_metric *m = metric_of(d, e->values[i].metric_id);
			if (!m)
				continue;
			HTML(b, "<li>");
			buf_html(b, m->name);
			HTML(b, "：");
			metric_value(r, m->kind, m->uom, e->values[i].value);
			HTML(b, "</li>\n");
		}
		HTML(b, "</ul>\n");
	}
	if (e->internal_shown) {
		labelled_text(b, "遇到的困难", e->difficulties);
		labelled_text(b, "需协调事项", e->help_needed);
	}
	labelled_text(b, "下步打算", e->next_steps);
	if (e->nfiles) {
		HTML(b, "<ul class=\"files\">\n");
		for (int i = 0; i < e->nfiles; i++) {
			const struct claim_evidence *f = &e->files[i];
			HTML(b, "<li><a href=\"");
			html_path(b, r, arena_printf(r->a, "/files/%s", f->sha256));
			HTML(b, "\">");
			buf_html(b, *f->name ? f->name : f->sha256);
			HTML(b, "</a> <span class=\"muted\">");
			buf_printf(b, "%lld KB", (long long)((f->size + 1023) / 1024));
			HTML(b, "</span></li>\n");
		}
		HTML(b, "</ul>\n");
	}
	HTML(b, "<p class=\"muted\">报告人：");
	buf_html(b, e->author);
	HTML(b, "</p></li>\n");
}

/* Milestones done in a report: the report's text says which; the dates
 * are on the milestones themselves (milestones_section). */
static void progress_section(struct req *r, const struct claim_detail *d)
{
	buf *b = &r->out;

	HTML(b, "<section aria-labelledby=\"tl-h\">\n<h2 id=\"tl-h\">攻坚进展</h2>\n");
	if (!d->nprogress) {
		HTML(b, "<p class=\"empty\">尚无进展报告。</p>\n</section>\n");
		return;
	}
	HTML(b, "<ol class=\"timeline\">\n");
	for (int i = 0; i < d->nprogress; i++)
		report_item(r, d, &d->progress[i]);
	HTML(b, "</ol>\n</section>\n");
}

static void pledge_section(struct req *r, const struct claim_detail *d)
{
	buf *b = &r->out;

	HTML(b, "<section aria-labelledby=\"pledge-h\">\n<h2 id=\"pledge-h\">军令状</h2>\n");
	if (d->pledge && *d->pledge) {
		HTML(b, "<blockquote class=\"pledge\">");
		html_paragraphs(b, d->pledge);
		HTML(b, "</blockquote>\n");
	}
	if (d->reward_penalty && *d->reward_penalty) {
		HTML(b, "<h3>奖惩条款</h3>\n");
		html_paragraphs(b, d->reward_penalty);
	}
	HTML(b, "<p>");
	claim_link(b, r, claim_path(r, d->id, "/pledge"), "查看和打印军令状");
	HTML(b, "</p>\n</section>\n");
}

/* ---- the actions ---- */

/* A refused action shown on the page again: its errors in its own box. */
struct refused {
	struct ctx *c;
	const char *action;
	int rc;
};

static struct claim_party party_of(struct req *r, const struct claim_detail *d)
{
	return (struct claim_party){ r->tenant_id, d->unit_id, d->rel };
}

/* The state changes the claim page offers, each a POST to
 * /claims/:id/<action> (routes.c); the table's other rows (progress,
 * solve, extend, supervise) have forms of their own. */
static const char *const page_actions[] = { "endorse", "approve", "reject", "accept-assignment",
					    "decline-assignment", "sign", "withdraw", "return", NULL };

/* The row of action that the reader may take on d now (the table may have
 * several rows of one action, with different permissions, labels and
 * needs), or NULL. */
const struct claim_transition *claim_row_for(struct req *r, const struct claim_detail *d, const char *action)
{
	struct claim_party pt = party_of(r, d);

	for (const struct claim_transition *t = claim_transition_find(action);
	     t && t < claim_transitions + claim_transitions_count && !strcmp(t->action, action); t++)
		if (claim_row_from(t, d->state) && claim_row_permits(r->who, t, &pt))
			return t;
	return NULL;
}

/* Whether action is a refusal or an end that one click should not make. */
static bool grave(const char *action)
{
	return !strcmp(action, "reject") || !strcmp(action, "decline-assignment") || !strcmp(action, "withdraw") ||
	       !strcmp(action, "return");
}

static void action_form_open(struct req *r, const struct claim_detail *d, const struct claim_transition *t,
			     const char *cls)
{
	buf *b = &r->out;

	HTML(b, "<form class=\"");
	buf_html(b, cls);
	HTML(b, "\" method=\"post\" action=\"");
	html_path(b, r, claim_path(r, d->id, arena_printf(r->a, "/%s", t->action)));
	HTML(b, "\">");
	html_csrf(r);
	claim_hidden(b, "from", claim_state_info[d->state].code);
}

static void action_button(struct req *r, const struct claim_transition *t)
{
	buf *b = &r->out;

	HTML(b, "<button type=\"submit\"");
	if (grave(t->action))
		HTML(b, " class=\"danger\"");
	HTML(b, ">");
	buf_html(b, t->zh);
	HTML(b, "</button>");
}

/* The reason form of t (c: its refused submission, or NULL). */
static void reason_box(struct req *r, const struct claim_detail *d, const struct claim_transition *t,
		       const struct ctx *c)
{
	buf *b = &r->out;

	HTML(b, "<div class=\"action-box\"><h3>");
	buf_html(b, t->zh);
	HTML(b, "</h3>\n");
	action_form_open(r, d, t, "stack");
	field_textarea(r, c, "reason", arena_printf(r->a, "%s的理由", t->zh), field_value(r, c, "reason", ""),
		       " required maxlength=\"500\" rows=\"2\"");
	if (!strcmp(t->action, "return")) {   /* 整改: required when the round is graded 不合格 */
		field_textarea(r, c, "rectify_plan", "整改要求（考评不合格时必填）", field_value(r, c, "rectify_plan", ""),
			       " maxlength=\"5000\" rows=\"2\"");
		field_input(r, c, "date", "rectify_due", "整改期限（考评不合格时必填）", field_value(r, c, "rectify_due", ""), "");
	}
	action_button(r, t);
	HTML(b, "</form>\n</div>\n");
}

/* The actions the reader may take, and the reports they may file. */
static void actions_section(struct req *r, const struct claim_detail *d, const struct refused *x)
{
	const struct claim_transition *rows[8];
	int n = 0;
	bool report = r->csrf && claim_row_for(r, d, "progress"), solve = r->csrf && claim_row_for(r, d, "solve");
	buf *b = &r->out;

	for (int i = 0; r->csrf && page_actions[i]; i++)
		if ((rows[n] = claim_row_for(r, d, page_actions[i])))
			n++;
	if (!n && !report && !solve)
		return;
	HTML(b, "<section aria-labelledby=\"act-h\" class=\"claim-actions\">\n<h2 id=\"act-h\">办理</h2>\n<div class=\"actions\">");
	for (int i = 0; i < n; i++) {
		if (rows[i]->needs & CT_REASON)
			continue;
		action_form_open(r, d, rows[i], "inline");
		action_button(r, rows[i]);
		HTML(b, "</form>");
	}
	if (report)
		button_link(b, r, claim_path(r, d->id, "/progress"), "报送进展");
	if (solve)
		button_link(b, r, claim_path(r, d->id, "/solve"), "申报破题");
	HTML(b, "</div>\n<div class=\"boxes\">\n");
	for (int i = 0; i < n; i++)
		if (rows[i]->needs & CT_REASON)
			reason_box(r, d, rows[i], x && x->action && !strcmp(x->action, rows[i]->action) ? x->c : NULL);
	HTML(b, "</div>\n</section>\n");
}

/* "?done=approve": what just happened, said once. */
static void done_notice(struct req *r)
{
	const char *done = req_query(r, "done");
	const struct claim_transition *t;
	buf *b = &r->out;

	if (!done)
		return;
	HTML(b, "<p class=\"notice\" role=\"status\">");
	if (!strcmp(done, "apply"))
		HTML(b, "揭榜申请已提交。");
	else if (!strcmp(done, "progress"))
		HTML(b, "进展已报送。");
	else if (!strcmp(done, "solve"))
		HTML(b, "已申报破题，等待验收。");
	else if (!strcmp(done, "risk"))
		HTML(b, "中期评估风险标记已保存。");
	else if ((t = claim_transition_find(done))) {
		HTML(b, "已完成“");
		buf_html(b, t->zh);
		HTML(b, "”。");
	}
	HTML(b, "</p>\n");
}

/* A refused action's message for the whole page: a conflict names the
 * state the claim is in now. */
static void refused_notice(struct req *r, const struct claim_detail *d, const struct refused *x)
{
	buf *b = &r->out;

	if (!x)
		return;
	HTML(b, "<div class=\"form-errors\" role=\"alert\"><p>");
	if (x->rc == JB_ECONFLICT) {
		HTML(b, "操作未完成：");
		buf_html(b, ctx_message(x->c, x->rc));
		HTML(b, "</p><p>本申请现在的状态是“");
		buf_html(b, claim_state_info[d->state].zh);
		HTML(b, "”，请看下面的最新情况。");
	} else {
		buf_html(b, ctx_message(x->c, x->rc));
	}
	HTML(b, "</p></div>\n");
}

static void claim_page(struct req *r, const struct claim_detail *d, const struct refused *x, int status)
{
	buf *b = &r->out;

	page_begin(r, arena_printf(r->a, "揭榜：%s", d->problem_title), NAV_BOARD);
	HTML(b, "<p class=\"crumbs\">");
	claim_link(b, r, "/", "榜单");
	HTML(b, " › ");
	claim_link(b, r, arena_printf(r->a, "/problems/%lld", (long long)d->problem_id), d->problem_title);
	HTML(b, "</p>\n<h1>揭榜：");
	buf_html(b, d->problem_title);
	HTML(b, "</h1>\n<p class=\"badges\">");
	claim_state_badge(b, d->state);
	HTML(b, " ");
	html_light(b, d->light);
	HTML(b, "</p>\n");
	done_notice(r);
	refused_notice(r, d, x);
	facts_section(r, d);
	claim_certificate_link(r, d);
	actions_section(r, d, x);
	claim_risk_section(r, d);
	team_section(r, d);
	text_section(b, "plan-h", "工作方案", d->plan);
	text_section(b, "goals-h", "目标和验收标准", d->goals);
	milestones_section(r, d);
	metrics_section(r, d);
	progress_section(r, d);
	supervise_section(r, d->id);
	evaluation_section(r, d);
	practice_claim_section(r, d);
	tolerance_section(r, d->id, NULL);
	pledge_section(r, d);
	page_finish(r, status);
}

void page_claim(struct req *r)
{
	struct claim_detail d;
	struct ctx c;

	if (claim_or_respond(r, &c, &d) == 0)
		claim_page(r, &d, NULL, 200);
}

/* The claim page again after a refused action (read anew: someone may
 * have moved it meanwhile); other results as error pages. */
static void action_refused(struct req *r, struct ctx *c, int rc, const char *action)
{
	struct refused x = { c, action, rc };
	struct claim_detail d;
	struct ctx rc2;

	if (r->is_api || (rc != JB_EINVALID && rc != JB_ECONFLICT)) {
		outcome_error(r, c, rc);
		return;
	}
	buf_reset(&r->out);
	if (claim_or_respond(r, &rc2, &d) == 0)
		claim_page(r, &d, &x, rc == JB_EINVALID ? 400 : 409);
}

/* What signing means, asked before the signature is recorded. */
static bool sign_confirmed(struct req *r, const struct claim_detail *d)
{
	bool owner = d->rel & CR_OWNER;
	struct confirm q = {
		.title = "签订军令状",
		.ask = owner ? "确定以主要负责人身份签署" : "确定以挂帅领导身份签署",
		.subject = arena_printf(r->a, "“%s”", d->problem_title),
		.ask_end = "的军令状吗？",
		.detail = "签署即承诺按军令状所列的目标、节点和完成时限完成任务，并接受其中的奖惩条款。"
			  "主要负责人和挂帅领导都签署后军令状生效，本题进入攻坚；此后目标、节点和时限只能经批准的延期变更。",
		.button = "签署军令状",
		.back = claim_path(r, d->id, ""),
		.nav = NAV_BOARD,
	};
	return confirmed_or_ask_keeping(r, &q);
}

static bool withdraw_confirmed(struct req *r, const struct claim_detail *d, const struct claim_transition *t,
			       const char *reason)
{
	struct confirm q = {
		.title = t->zh,
		.ask = arena_printf(r->a, "确定要%s", t->zh),
		.subject = arena_printf(r->a, "“%s”", d->problem_title),
		.ask_end = "吗？",
		.detail = reason && *reason ? arena_printf(r->a, "理由：%s。这一步不能撤销。", reason) : "这一步不能撤销。",
		.button = arena_printf(r->a, "确认%s", t->zh),
		.back = claim_path(r, d->id, ""),
		.nav = NAV_BOARD,
	};
	return confirmed_or_ask_keeping(r, &q);
}

/* Whether the action may go on: signing and withdrawing ask first, once
 * the table lets the reader take them (a refusal is never dressed as a
 * question); the question answers r itself. */
static bool confirmed(struct req *r, const struct claim_detail *d, const char *action, const char *reason)
{
	const struct claim_transition *t = claim_row_for(r, d, action);

	if (!t)
		return true;
	if (!strcmp(action, "sign"))
		return sign_confirmed(r, d);
	if (!strcmp(action, "withdraw"))
		return withdraw_confirmed(r, d, t, reason);
	return true;
}

/* POST /claims/:id/<action>: the action named by the path's last segment,
 * by the claim transition table. A claim the reader may not see goes to
 * the verb all the same, which refuses it as it refuses the API. */
void act_claim_act(struct req *r)
{
	const char *action = strrchr(r->path, '/') + 1;
	const struct claim_transition *t = NULL;
	struct claim_act_in in = { 0 };
	struct claim_act_out out = { 0 };
	struct claim_detail d;
	struct ctx c;
	int64_t id;
	bool seen;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	seen = claim_get(&c, id, &d) == JB_OK;
	web_ctx(r, &c);
	if (seen)
		t = claim_row_for(r, &d, action);
	rc = bind_request(r, &c, claim_act_fields, &in, NULL);
	if (rc == JB_OK && t && (t->needs & CT_REASON) && !(in.reason && *in.reason))
		rc = ctx_invalid(&c, "reason", "missing_field", arena_printf(c.a, "请填写%s的理由", t->zh));
	if (rc == JB_OK && seen && !confirmed(r, &d, action, in.reason))
		return;
	if (rc == JB_OK)
		rc = claim_act(&c, id, action, &in, &out);
	if (rc == JB_OK)
		reply_redirect(r, claim_path(r, id, arena_printf(r->a, "?done=%s", action)));
	else
		action_refused(r, &c, rc, action);
}

