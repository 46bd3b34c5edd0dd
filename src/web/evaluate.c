/* evaluate.c - the pages of 考评验收 (web/evaluate.h): a batch's panels and
 * results, an evaluator's queue, the scoring form, and the claim page's
 * result section. */
#include "web/evaluate.h"

#include <string.h>

#include "domain/evaluate.h"
#include "domain/perm.h"
#include "util/clock.h"
#include "web/claim_ui.h"
#include "web/fields.h"
#include "web/web.h"
#include "web/widgets.h"

static void pts(buf *b, int64_t hundredths)
{
	char s[24];

	buf_html(b, score_format(hundredths, s, sizeof(s)));
}

static void link_to(buf *b, struct req *r, const char *path, const char *text)
{
	HTML(b, "<a href=\"");
	html_path(b, r, path);
	HTML(b, "\">");
	buf_html(b, text);
	HTML(b, "</a>");
}

static void hidden(buf *b, const char *name, const char *value)
{
	HTML(b, "<input type=\"hidden\" name=\"");
	buf_html(b, name);
	HTML(b, "\" value=\"");
	buf_html(b, value);
	HTML(b, "\">");
}

/* "良好（85.32 分）" for a round as far as the reader may see it. */
static void round_result(buf *b, const struct eval_round *w)
{
	if (!w->complete || w->grade < 0) {
		HTML(b, "未完成");
		return;
	}
	HTML(b, "<strong>");
	pts(b, w->agg.score);
	HTML(b, "</strong> 分，");
	buf_html(b, grades[w->grade].zh);
	if (w->agg.trimmed)
		HTML(b, "（去掉一个最高分和一个最低分）");
}

static void error_beside(buf *b, const struct ctx *c, const char *name)
{
	const struct field_error *e = field_error_of(c, name);

	if (!e)
		return;
	HTML(b, "<span class=\"field-error\" id=\"f-");
	buf_html(b, name);
	HTML(b, "-err\">");
	buf_html(b, e->message);
	HTML(b, "</span>");
}

/* ---- the scoring form ---- */

/* The score the form shows for criterion i: what was typed, else the
 * reader's earlier entry (a reopened one), else nothing. */
static const char *shown_score(struct req *r, const struct ctx *c, const struct eval_view *v, int i)
{
	const char *name = arena_printf(r->a, "scores.%d.score", i);
	char s[24];

	if (c)
		return field_value(r, c, name, "");
	for (int k = 0; v->mine && k < v->mine->nscores; k++)
		if (!strcmp(v->mine->scores[k].criterion, v->rubric.c[i].name))
			return arena_strdup(r->a, score_format(v->mine->scores[k].score, s, sizeof(s)));
	return "";
}

static bool same_score(const char *typed, int64_t hundredths)
{
	char s[24];
	size_t n;

	if (!typed || !*typed)
		return false;
	score_format(hundredths, s, sizeof(s));
	if (!strcmp(typed, s))
		return true;
	n = strlen(s);   /* "90" or "90.0" for "90.00" */
	return (!strncmp(typed, s, n - 3) && (typed[n - 3] == 0 || (typed[n - 3] == '.' && (typed[n - 2] == 0 ||
		(typed[n - 2] == s[n - 2] && (typed[n - 1] == 0 || typed[n - 1] == s[n - 1]))))));
}

static void criterion_field(struct req *r, const struct ctx *c, const struct eval_view *v, int i)
{
	const struct criterion *k = &v->rubric.c[i];
	const char *name = arena_printf(r->a, "scores.%d.score", i), *typed = shown_score(r, c, v, i);
	bool bad = field_error_of(c, name) != NULL;
	buf *b = &r->out;

	HTML(b, "<fieldset class=\"criterion");
	if (bad)
		HTML(b, " has-error");
	HTML(b, "\"><legend>");
	buf_html(b, k->name);
	HTML(b, "（权重 ");
	buf_printf(b, "%d", k->weight);
	HTML(b, "%，满分 ");
	pts(b, k->max);
	HTML(b, " 分）</legend>\n");
	if (k->description && *k->description) {
		HTML(b, "<p class=\"hint\">");
		buf_html(b, k->description);
		HTML(b, "</p>\n");
	}
	hidden(b, arena_printf(r->a, "scores.%d.criterion", i), k->name);
	for (int j = 0; j < k->nbands; j++) {
		char s[24];
		HTML(b, "<label class=\"check\"><input type=\"radio\" name=\"");
		buf_html(b, name);
		HTML(b, "\" value=\"");
		buf_html(b, score_format(k->bands[j].score, s, sizeof(s)));
		HTML(b, "\" required");
		if (same_score(typed, k->bands[j].score))
			HTML(b, " checked");
		HTML(b, "> ");
		buf_html(b, k->bands[j].label);
		HTML(b, "（");
		pts(b, k->bands[j].score);
		HTML(b, " 分）</label>\n");
	}
	if (!k->nbands) {
		char s[24];
		HTML(b, "<label>分数（0 到 ");
		pts(b, k->max);
		HTML(b, "，可保留两位小数）<input type=\"number\" inputmode=\"decimal\" step=\"0.01\" min=\"0\" max=\"");
		buf_html(b, score_format(k->max, s, sizeof(s)));
		HTML(b, "\" name=\"");
		buf_html(b, name);
		HTML(b, "\" value=\"");
		buf_html(b, typed);
		HTML(b, "\" required");
		if (bad) {
			HTML(b, " aria-invalid=\"true\" aria-describedby=\"f-");
			buf_html(b, name);
			HTML(b, "-err\"");
		}
		HTML(b, "></label>\n");
	}
	error_beside(b, c, name);
	HTML(b, "</fieldset>\n");
}

static void entry_table(struct req *r, const struct eval_view *v, const struct eval_entry *const *es, int n,
			const char *caption)
{
	static const struct table_col cols[] = { { "评委", COL_TITLE }, { "各项得分", COL_WIDE }, { "加权总分", 0 },
						 { "评语", COL_WIDE }, { "状态", 0 }, { NULL, 0 } };
	struct table t = { .cols = cols, .caption = caption };
	buf *b = &r->out;

	table_open(b, &t);
	for (int i = 0; i < n; i++) {
		const struct eval_entry *e = es[i];
		table_row(b, &t);
		table_cell(b, &t);
		buf_html(b, e->evaluator);
		table_cell(b, &t);
		for (int k = 0; k < e->nscores; k++) {
			buf_html(b, k ? "；" : "");
			buf_html(b, e->scores[k].criterion);
			HTML(b, " ");
			pts(b, e->scores[k].score);
		}
		table_cell(b, &t);
		pts(b, e->total);
		table_cell(b, &t);
		buf_html(b, *e->comment ? e->comment : "—");
		table_cell(b, &t);
		if (!strcmp(e->state, "submitted")) {
			HTML(b, "已提交");
		} else {
			HTML(b, "已退回重评：");
			buf_html(b, e->reopen_reason);
		}
	}
	table_close(b, &t);
	(void)v;
}

/* Every entry of the round the reader may see. */
static void round_entries(struct req *r, const struct eval_view *v, int round, const char *caption)
{
	const struct eval_entry **es = arena_alloc(r->a, sizeof(*es) * (size_t)(v->nentries + 1));
	int n = 0;

	for (int i = 0; i < v->nentries; i++)
		if (v->entries[i].round == round)
			es[n++] = &v->entries[i];
	if (n)
		entry_table(r, v, es, n, caption);
}

static void score_results(struct req *r, const struct eval_view *v)
{
	buf *b = &r->out;

	if (v->mine && !strcmp(v->mine->state, "submitted")) {
		const struct eval_entry *mine = v->mine;
		HTML(b, "<section aria-labelledby=\"mine-h\"><h2 id=\"mine-h\">我的评分</h2>\n");
		entry_table(r, v, &mine, 1, NULL);
		HTML(b, "<p>已提交，如需修改请联系管理员退回。</p></section>\n");
	}
	if (!v->sees_all)
		return;
	HTML(b, "<section aria-labelledby=\"all-h\"><h2 id=\"all-h\">考评组评分</h2>\n<p>已提交 ");
	buf_printf(b, "%d / %d", v->now.submitted, v->expected);
	HTML(b, "。综合得分：");
	round_result(b, &v->now);
	HTML(b, "</p>\n");
	round_entries(r, v, v->round, arena_printf(r->a, "第 %d 轮评分", v->round));
	HTML(b, "</section>\n");
}

void score_form_page(struct req *r, int64_t claim_id, const char *stage, const struct ctx *cerr, int status)
{
	struct eval_view v;
	struct ctx c;
	buf *b = &r->out;
	int rc;

	web_ctx(r, &c);
	if ((rc = evaluation_view(&c, claim_id, stage, &v)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	page_begin(r, arena_printf(r->a, "%s评分：%s", label_of(eval_stages, stage), v.problem), NAV_NONE);
	HTML(b, "<p class=\"crumbs\">");
	link_to(b, r, "/me/evaluations", "我的考评");
	HTML(b, " › 评分</p>\n<h1>");
	buf_html(b, label_of(eval_stages, stage));
	HTML(b, "评分：");
	buf_html(b, v.problem);
	HTML(b, "</h1>\n<p>揭榜单位：");
	buf_html(b, v.unit);
	HTML(b, "　考评组：");
	buf_html(b, v.panel_id ? v.panel : "未分配");
	HTML(b, "　");
	link_to(b, r, claim_path(r, claim_id, ""), "查看揭榜详情");
	HTML(b, "</p>\n");
	if (req_query(r, "done"))
		HTML(b, "<p class=\"notice\" role=\"status\">评分已提交。</p>\n");
	if (v.my_recusal) {
		HTML(b, "<p class=\"notice\">您需回避这项揭榜的评分：");
		buf_html(b, recusal_reasons[v.my_recusal]);
		HTML(b, "。</p>\n");
	}
	if (v.mine && !strcmp(v.mine->state, "reopened")) {
		HTML(b, "<p class=\"notice\">您的评分已被退回，理由：");
		buf_html(b, v.mine->reopen_reason);
		HTML(b, "。请修改后重新提交。</p>\n");
	}
	if (v.may_score && r->csrf) {
		form_errors(r, cerr);
		form_open(r, claim_path(r, claim_id, "/score"));
		hidden(b, "stage", stage);
		HTML(b, "<p>请独立评分。提交前看不到其他评委的评分；提交后不能自行修改。</p>\n");
		for (int i = 0; i < v.rubric.n; i++)
			criterion_field(r, cerr, &v, i);
		field_textarea(r, cerr, "comment", "评语（评为最低一档的评分项须说明理由）",
			       cerr ? field_value(r, cerr, "comment", "") : v.mine ? v.mine->comment : "",
			       " rows=\"4\" maxlength=\"2000\"");
		HTML(b, "<button type=\"submit\">提交评分</button>\n</form>\n");
	} else if (!v.mine && !v.my_recusal) {
		HTML(b, "<p>这项揭榜现在不能评分。</p>\n");
	}
	score_results(r, &v);
	page_finish(r, status);
}

void page_claim_score(struct req *r)
{
	const char *stage = req_query(r, "stage");
	int64_t id;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	if (stage && strcmp(stage, "final") && strcmp(stage, "midterm")) {
		reply_error(r, 400, "bad_stage", "考评阶段须为 final 或 midterm", "stage");
		return;
	}
	score_form_page(r, id, stage ? stage : "final", NULL, 200);
}

/* ---- the queue ---- */

void page_my_evaluations(struct req *r)
{
	static const struct table_col cols[] = { { "揭榜", COL_TITLE }, { "揭榜单位", 0 }, { "阶段", 0 },
						 { "考评组", 0 }, { "状态", 0 }, { NULL, 0 } };
	struct table t = { .cols = cols };
	struct eval_task *ts;
	struct ctx c;
	buf *b = &r->out;
	int n, rc;

	web_ctx(r, &c);
	if ((rc = evaluation_queue(&c, &ts, &n)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	page_begin(r, "我的考评", NAV_EVALUATIONS);
	HTML(b, "<h1>我的考评</h1>\n");
	if (!n) {
		HTML(b, "<p>您所在的考评组还没有分配考评任务。</p>\n");
		page_end(r);
		return;
	}
	table_open(b, &t);
	for (int i = 0; i < n; i++) {
		const struct eval_task *e = &ts[i];
		table_row(b, &t);
		table_cell(b, &t);
		link_to(b, r, claim_path(r, e->claim_id, ""), e->problem);
		table_cell(b, &t);
		buf_html(b, e->unit);
		table_cell(b, &t);
		buf_html(b, label_of(eval_stages, e->stage));
		table_cell(b, &t);
		buf_html(b, e->panel ? e->panel : "");
		table_cell(b, &t);
		if (!strcmp(e->state, "recused")) {
			HTML(b, "回避（");
			buf_html(b, recusal_reasons[e->recused]);
			HTML(b, "）");
		} else if (!strcmp(e->state, "pending")) {
			link_to(b, r, claim_path(r, e->claim_id, arena_printf(r->a, "/score?stage=%s", e->stage)), "待评分：去评分");
		} else {
			link_to(b, r, claim_path(r, e->claim_id, arena_printf(r->a, "/score?stage=%s", e->stage)),
				eval_task_zh(e->state));
		}
	}
	table_close(b, &t);
	page_end(r);
}

/* ---- the batch page ---- */

static void notices(struct req *r, const struct batch_eval *be)
{
	buf *b = &r->out;
	const char *q;

	if (req_query(r, "done"))
		HTML(b, "<p class=\"notice\" role=\"status\">考评组已组建。</p>\n");
	if ((q = req_query(r, "assigned"))) {
		HTML(b, "<p class=\"notice\" role=\"status\">已分配 ");
		buf_html(b, q);
		HTML(b, " 项揭榜。</p>\n");
	}
	if (req_query(r, "accepted"))
		HTML(b, "<p class=\"notice\" role=\"status\">已通过验收。</p>\n");
	if (be->over_cap) {
		HTML(b, "<p class=\"form-errors\" role=\"alert\">本批次优秀等次已超过 ");
		buf_printf(b, "%d%% 的比例上限（%d / %d 项为优秀）。等次不会被自动调整，请考评组复核。", be->grading.cap,
			   be->excellent, be->graded);
		HTML(b, "</p>\n");
	}
}

static void member_list(buf *b, const struct panel_info *p)
{
	HTML(b, "<ul class=\"members\">");
	for (int i = 0; i < p->nmembers; i++) {
		const struct eval_member *m = &p->members[i];
		HTML(b, "<li>");
		buf_html(b, m->name);
		if (*m->organisation) {
			HTML(b, "（");
			buf_html(b, m->organisation);
			HTML(b, "）");
		}
		if (m->external)
			HTML(b, " <span class=\"badge\">外部成员</span>");
		HTML(b, "</li>");
	}
	HTML(b, "</ul>\n");
}

static void assign_forms(struct req *r, const struct batch_eval *be, const struct panel_info *p)
{
	const char *action = arena_printf(r->a, "/panels/%lld/assignments", (long long)p->id);
	const char *back = arena_printf(r->a, "/batches/%lld/evaluation", (long long)be->batch_id);
	buf *b = &r->out;
	bool any = false;

	HTML(b, "<div class=\"actions\">");
	form_open(r, action);
	hidden(b, "back", back);
	hidden(b, "all", "1");
	HTML(b, "<button type=\"submit\">分配全部待验收揭榜</button></form>\n");
	form_open(r, action);
	hidden(b, "back", back);
	HTML(b, "<label>按类别分配<select name=\"category_id\" required>");
	for (int i = 0; i < be->ncategories; i++) {
		buf_printf(b, "<option value=\"%lld\">", (long long)be->categories[i].id);
		buf_html(b, be->categories[i].name);
		HTML(b, "</option>");
	}
	HTML(b, "</select></label> <button type=\"submit\">分配本类别</button></form>\n</div>\n");
	for (int i = 0; i < be->nclaims && !any; i++)
		any = be->claims[i].claim_state == CLAIM_SOLVED;
	if (!any)
		return;
	HTML(b, "<details><summary>选择揭榜分配给“");
	buf_html(b, p->name);
	HTML(b, "”</summary>\n");
	form_open(r, action);
	hidden(b, "back", back);
	HTML(b, "<fieldset><legend>待验收的揭榜</legend>\n");
	for (int i = 0; i < be->nclaims; i++) {
		const struct eval_view *v = &be->claims[i];
		if (v->claim_state != CLAIM_SOLVED)
			continue;
		buf_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"claim_ids\" value=\"%lld\"> ",
			   (long long)v->claim_id);
		buf_html(b, v->problem);
		HTML(b, "（");
		buf_html(b, v->unit);
		HTML(b, "）</label>\n");
	}
	HTML(b, "</fieldset><button type=\"submit\">分配选中的揭榜</button></form></details>\n");
}

static void panels_section(struct req *r, const struct batch_eval *be, bool manage)
{
	buf *b = &r->out;

	HTML(b, "<section aria-labelledby=\"panels-h\"><h2 id=\"panels-h\">考评组</h2>\n");
	if (!be->npanels)
		HTML(b, "<p>本批次还没有考评组。</p>\n");
	for (int i = 0; i < be->npanels; i++) {
		const struct panel_info *p = &be->panels[i];
		HTML(b, "<article class=\"panel\"><h3>");
		buf_html(b, p->name);
		HTML(b, "</h3>\n<p>组建于 ");
		fmt_date(b, p->created_at);
		buf_printf(b, "，%d 名成员，已分配 %d 项考评验收任务。</p>\n", p->nmembers, p->nclaims);
		member_list(b, p);
		if (manage && r->csrf)
			assign_forms(r, be, p);
		HTML(b, "</article>\n");
	}
	HTML(b, "</section>\n");
}

static void panel_form(struct req *r, const struct batch_eval *be, const struct ctx *c)
{
	buf *b = &r->out;
	const char *ids[PANEL_MEMBERS_MAX];
	int nids = c ? field_values(r, "user_ids", ids, PANEL_MEMBERS_MAX) : 0;

	HTML(b, "<section aria-labelledby=\"new-h\"><h2 id=\"new-h\">组建考评组</h2>\n");
	form_errors(r, c);
	form_open(r, arena_printf(r->a, "/batches/%lld/panels", (long long)be->batch_id));
	field_input(r, c, "text", "name", "考评组名称", field_value(r, c, "name", ""), " required maxlength=\"60\"");
	HTML(b, "<fieldset");
	if (field_error_of(c, "user_ids"))
		HTML(b, " class=\"has-error\"");
	HTML(b, "><legend>成员（具有“考评人员”角色的账号）</legend>\n");
	for (int i = 0; i < be->nevaluators; i++) {
		const struct eval_candidate *e = &be->evaluators[i];
		char id[24];
		bool on = false;
		snprintf(id, sizeof(id), "%lld", (long long)e->id);
		for (int k = 0; k < nids; k++)
			on = on || !strcmp(ids[k], id);
		HTML(b, "<label class=\"check\"><input type=\"checkbox\" name=\"user_ids\" value=\"");
		buf_html(b, id);
		HTML(b, "\"");
		if (on)
			HTML(b, " checked");
		HTML(b, "> ");
		buf_html(b, e->name);
		if (*e->unit) {
			HTML(b, "，");
			buf_html(b, e->unit);
		}
		HTML(b, "</label>\n");
	}
	error_beside(b, c, "user_ids");
	HTML(b, "</fieldset>\n");
	for (int i = 0; i < 2; i++) {
		static const char *const f[][2] = { { "name", "姓名" }, { "organisation", "工作单位" },
						    { "login", "登录名" }, { "password", "初始密码（至少 12 位）" } };
		buf_printf(b, "<fieldset><legend>外部成员 %d（可选）</legend>\n", i + 1);
		for (int k = 0; k < 4; k++) {
			const char *name = arena_printf(r->a, "externals.%d.%s", i, f[k][0]);
			field_input(r, c, k == 3 ? "password" : "text", name, f[k][1], k == 3 ? "" : field_value(r, c, name, ""),
				    k == 3 ? " autocomplete=\"new-password\"" : " maxlength=\"60\"");
		}
		HTML(b, "</fieldset>\n");
	}
	HTML(b, "<button type=\"submit\">组建考评组</button>\n</form>\n</section>\n");
}

static void claim_actions(struct req *r, const struct batch_eval *be, const struct eval_view *v)
{
	const char *back = arena_printf(r->a, "/batches/%lld/evaluation", (long long)be->batch_id);
	buf *b = &r->out;

	if (v->claim_state != CLAIM_SOLVED || !r->csrf)
		return;
	if (v->now.complete && v->now.grade != GRADE_FAIL) {
		form_open(r, claim_path(r, v->claim_id, "/accept"));
		hidden(b, "back", back);
		HTML(b, "<button type=\"submit\">通过验收</button></form>\n");
	}
	HTML(b, "<details><summary>退回</summary>\n");
	form_open(r, claim_path(r, v->claim_id, "/return"));
	hidden(b, "from", "solved");
	field_textarea(r, NULL, "reason", "退回理由", "", " required maxlength=\"500\" rows=\"2\"");
	if (v->now.complete && v->now.grade == GRADE_FAIL) {
		HTML(b, "<p>考评结果为不合格，须限期整改：</p>\n");
		field_textarea(r, NULL, "rectify_plan", "整改要求", "", " required maxlength=\"5000\" rows=\"3\"");
		field_input(r, NULL, "date", "rectify_due", "整改期限", "", " required");
	}
	HTML(b, "<button type=\"submit\" class=\"danger\">退回并继续攻坚</button></form></details>\n");
	for (int i = 0; i < v->nentries; i++) {
		const struct eval_entry *e = &v->entries[i];
		if (e->round != v->round || strcmp(e->state, "submitted"))
			continue;
		HTML(b, "<details><summary>退回 ");
		buf_html(b, e->evaluator);
		HTML(b, " 的评分</summary>\n");
		form_open(r, arena_printf(r->a, "/evaluations/%lld/reopen", (long long)e->id));
		hidden(b, "back", back);
		field_textarea(r, NULL, "reason", "退回评分的理由", "", " required maxlength=\"500\" rows=\"2\"");
		HTML(b, "<button type=\"submit\">退回重评</button></form></details>\n");
	}
}

static void claims_section(struct req *r, const struct batch_eval *be, bool manage)
{
	static const struct table_col cols[] = { { "揭榜", COL_TITLE }, { "状态", 0 }, { "考评组", 0 }, { "已提交", 0 },
						 { "回避", COL_WIDE }, { "综合得分", 0 }, { "办理", COL_WIDE }, { NULL, 0 } };
	struct table t = { .cols = cols };
	buf *b = &r->out;

	HTML(b, "<section aria-labelledby=\"claims-h\"><h2 id=\"claims-h\">待验收和已验收的揭榜</h2>\n");
	if (!be->nclaims) {
		HTML(b, "<p>本批次还没有已破题的揭榜。</p></section>\n");
		return;
	}
	table_open(b, &t);
	for (int i = 0; i < be->nclaims; i++) {
		const struct eval_view *v = &be->claims[i];
		bool none = true;
		table_row(b, &t);
		table_cell(b, &t);
		link_to(b, r, claim_path(r, v->claim_id, ""), v->problem);
		HTML(b, "<br>");
		buf_html(b, v->unit);
		table_cell(b, &t);
		buf_html(b, claim_state_info[v->claim_state].zh);
		table_cell(b, &t);
		buf_html(b, v->panel_id ? v->panel : "未分配");
		table_cell(b, &t);
		if (v->panel_id)
			buf_printf(b, "%d / %d", v->now.submitted, v->expected);
		table_cell(b, &t);
		for (int k = 0; k < v->nmembers; k++) {
			if (!v->members[k].recused)
				continue;
			if (!none)
				HTML(b, "<br>");
			buf_html(b, v->members[k].name);
			HTML(b, "：");
			buf_html(b, recusal_reasons[v->members[k].recused]);
			none = false;
		}
		if (none)
			HTML(b, "无");
		table_cell(b, &t);
		if (v->panel_id)
			round_result(b, &v->now);
		for (int k = 0; k < v->nhistory; k++) {
			buf_printf(b, "<br>第 %d 轮：", v->history[k].round);
			round_result(b, &v->history[k]);
		}
		table_cell(b, &t);
		if (manage)
			claim_actions(r, be, v);
	}
	table_close(b, &t);
	HTML(b, "</section>\n");
}

void batch_evaluation_page(struct req *r, int64_t batch_id, const struct ctx *cerr, const char *form, int status)
{
	struct batch_eval be;
	struct ctx c;
	bool manage;
	buf *b = &r->out;
	int rc;

	web_ctx(r, &c);
	if ((rc = evaluation_batch(&c, batch_id, "final", &be)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	manage = perm_any(r->who, "evaluation.manage");
	page_begin(r, arena_printf(r->a, "考评验收：%s", be.batch), NAV_BATCHES);
	HTML(b, "<h1>考评验收：");
	buf_html(b, be.batch);
	HTML(b, "</h1>\n<p>等次分数线：优秀 ≥ ");
	pts(b, be.grading.excellent);
	HTML(b, "，良好 ≥ ");
	pts(b, be.grading.good);
	HTML(b, "，合格 ≥ ");
	pts(b, be.grading.pass);
	buf_printf(b, "；优秀比例上限 %d%%。五名以上评委时去掉一个最高分和一个最低分。</p>\n", be.grading.cap);
	notices(r, &be);
	panels_section(r, &be, manage);
	if (manage && r->csrf)
		panel_form(r, &be, form && !strcmp(form, "panel") ? cerr : NULL);
	claims_section(r, &be, manage);
	page_finish(r, status);
}

void page_batch_evaluation(struct req *r)
{
	int64_t id;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	batch_evaluation_page(r, id, NULL, NULL, 200);
}

/* ---- the claim page's section ---- */

void evaluation_section(struct req *r, const struct claim_detail *d)
{
	struct eval_result res;
	struct eval_view v;
	struct ctx c;
	buf *b = &r->out;
	int g;
	bool view;

	if (evaluation_result(r->db, r->a, r->tenant_id, d->id, &res) != 0)
		return;
	web_ctx(r, &c);
	view = r->who->user_id && evaluation_view(&c, d->id, "final", &v) == JB_OK && v.panel_id;
	g = grade_index(res.grade);
	if (g < 0 && !*res.rectify_plan && !view)
		return;
	HTML(b, "<section aria-labelledby=\"eval-h\"><h2 id=\"eval-h\">考评验收</h2>\n<dl class=\"facts\">");
	if (g >= 0) {
		HTML(b, "<div><dt>综合得分</dt><dd>");
		pts(b, res.score);
		HTML(b, " 分</dd></div><div><dt>等次</dt><dd>");
		buf_html(b, grades[g].zh);
		HTML(b, "</dd></div><div><dt>验收日期</dt><dd>");
		fmt_date(b, res.evaluated_at);
		HTML(b, "</dd></div>");
	}
	if (*res.rectify_plan) {
		HTML(b, "<div><dt>整改要求</dt><dd>");
		buf_html(b, res.rectify_plan);
		HTML(b, "</dd></div><div><dt>整改期限</dt><dd>");
		if (res.rectify_due)
			fmt_date(b, res.rectify_due);
		HTML(b, "</dd></div>");
	}
	if (view) {
		HTML(b, "<div><dt>考评组</dt><dd>");
		buf_html(b, v.panel);
		HTML(b, "（分配于 ");
		fmt_date(b, v.assigned_at);
		HTML(b, "）</dd></div>");
	}
	HTML(b, "</dl>\n");
	if (view && v.may_score)
		link_to(b, r, claim_path(r, d->id, "/score"), "去评分");
	if (view && v.sees_all)
		for (int k = 0; k < v.nhistory; k++) {
			buf_printf(b, "<p>第 %d 轮（已退回）：", v.history[k].round);
			round_result(b, &v.history[k]);
			HTML(b, "</p>\n");
			round_entries(r, &v, v.history[k].round, arena_printf(r->a, "第 %d 轮评分", v.history[k].round));
		}
	HTML(b, "</section>\n");
}
