/* batch.c - the batch pages (/admin/batches) and /api/v1/batches: list,
 * create and edit batches with their dated phases. */
#include "util/clock.h"
#include "web/web.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/batch.h"
#include "domain/perm.h"
#include "domain/rubric.h"
#include "web/fields.h"
#include "web/widgets.h"

static json_t *batch_json(struct req *r, const struct batch *b, int64_t now)
{
	json_t *ph = json_array();

	for (int p = 0; p < PHASE_COUNT; p++)
		if (b->dates[p].starts)
			json_array_append_new(ph, json_pack("{s:s, s:s, s:s}", "phase", batch_phase_info[p].code, "starts",
							    batch_date(r->a, b->dates[p].starts), "ends",
							    batch_date(r->a, b->dates[p].ends)));
	return json_pack("{s:I, s:s, s:I, s:s, s:s, s:b, s:o, s:s, s:i, s:i, s:i, s:f, s:f, s:f, s:i, s:i, s:s?}", "id",
			 (json_int_t)b->id, "name", b->name, "year", (json_int_t)b->year, "phase",
			 batch_phase_info[batch_phase_now(b, now)].code, "phase_set",
			 batch_phase_info[b->phase < 0 ? PHASE_COLLECTING : b->phase].code, "by_dates", b->by_dates, "phases",
			 ph, "as_of", batch_date(r->a, batch_as_of(b, now)), "max_parallel", b->max_parallel, "report_day",
			 b->report_day, "warn_days", b->warn_days, "grade_excellent", (double)b->grade_excellent / 100,
			 "grade_good", (double)b->grade_good / 100, "grade_pass", (double)b->grade_pass / 100,
			 "excellent_cap", b->excellent_cap, "notice_days", b->notice_days, "midterm_on",
			 b->midterm_on ? batch_date(r->a, b->midterm_on) : NULL);
}

static bool may_manage(struct req *r)
{
	struct perm_target t = { r->tenant_id, 0, 0, false };

	return perm_check(r->who, "batch.manage", &t);
}

/* "2027-01-01 至 2027-02-28" of phase p, or "—". */
static void phase_dates(struct req *r, const struct batch *b, int p)
{
	if (!b->dates[p].starts) {
		HTML(&r->out, "—");
		return;
	}
	buf_html(&r->out, batch_date(r->a, b->dates[p].starts));
	HTML(&r->out, " 至 ");
	buf_html(&r->out, batch_date(r->a, b->dates[p].ends));
}

/* hundredths as points for a form field: "90", "92.5". */
static const char *points_text(struct req *r, int64_t v)
{
	if (v % 100 == 0)
		return arena_printf(r->a, "%lld", (long long)(v / 100));
	if (v % 10 == 0)
		return arena_printf(r->a, "%lld.%lld", (long long)(v / 100), (long long)(v % 100 / 10));
	return arena_printf(r->a, "%lld.%02lld", (long long)(v / 100), (long long)(v % 100));
}

/* The evaluation's settings of the form: thresholds in points, the 优秀
 * cap, the notice's working days, the mid-term date. */
static void grading_fieldset(struct req *r, const struct batch *b, const struct ctx *c)
{
	const struct grading g = GRADING_DEFAULT;
	buf *o = &r->out;

	HTML(o, "<fieldset><legend>考评验收规则</legend>\n<p class=\"hint\">等次分数线按百分制填写（可带两位小数），"
		"须满足 合格 ≤ 良好 ≤ 优秀；得分达到分数线即为该等次。</p>\n");
	field_input(r, c, "text", "grade_excellent", "优秀分数线（分）",
		    field_value(r, c, "grade_excellent", points_text(r, b ? b->grade_excellent : g.excellent)),
		    " inputmode=\"decimal\" size=\"6\"");
	field_input(r, c, "text", "grade_good", "良好分数线（分）",
		    field_value(r, c, "grade_good", points_text(r, b ? b->grade_good : g.good)),
		    " inputmode=\"decimal\" size=\"6\"");
	field_input(r, c, "text", "grade_pass", "合格分数线（分，低于此为不合格）",
		    field_value(r, c, "grade_pass", points_text(r, b ? b->grade_pass : g.pass)),
		    " inputmode=\"decimal\" size=\"6\"");
	field_input(r, c, "number", "excellent_cap", "优秀比例上限（%，0 表示不限；超出时提示，不自动降等）",
		    field_value(r, c, "excellent_cap", arena_printf(r->a, "%d", b ? b->excellent_cap : g.cap)),
		    " min=\"0\" max=\"100\"");
	field_input(r, c, "number", "notice_days", "公示天数（工作日，1-30）",
		    field_value(r, c, "notice_days", arena_printf(r->a, "%d", b ? b->notice_days : 5)),
		    " min=\"1\" max=\"30\"");
	field_input(r, c, "date", "midterm_on", "中期评估日期（可选）",
		    field_value(r, c, "midterm_on", b && b->midterm_on ? batch_date(r->a, b->midterm_on) : ""), NULL);
	HTML(o, "</fieldset>\n");
}

/* The create or edit form; b NULL for a new batch. c: the refused
 * submission to show again, or NULL. */
static void batch_form(struct req *r, const struct batch *b, const struct ctx *c)
{
	buf *b_ = &r->out;
	const char *action = b ? arena_printf(r->a, "/admin/batches/%lld", (long long)b->id) : "/admin/batches";

	form_errors(r, c);
	form_open(r, action);
	field_input(r, c, "text", "name", "批次名称", field_value(r, c, "name", b ? b->name : ""),
		    " required maxlength=\"64\" placeholder=\"如：2027年第一批\"");
	field_input(r, c, "number", "year", "年度",
		    field_value(r, c, "year", b ? arena_printf(r->a, "%lld", (long long)b->year) : ""),
		    " required min=\"2000\" max=\"2100\"");
	field_select(r, c, "phase", "当前阶段（不按日期切换时）", batch_phases,
		     field_value(r, c, "phase", b && b->phase >= 0 ? batch_phase_info[b->phase].code : "collecting"), NULL);
	field_check(r, c, "by_dates", "按下面的日期自动切换阶段",
		    c ? req_form(r, "by_dates") != NULL : b && b->by_dates);
	HTML(b_, "<fieldset><legend>阶段日期（可选；按顺序，互不重叠）</legend>\n"
		 "<table class=\"phases\">\n<thead><tr><th scope=\"col\">阶段</th><th scope=\"col\">开始日期</th>"
		 "<th scope=\"col\">结束日期</th></tr></thead>\n<tbody>\n");
	for (int p = 0; p < PHASE_COUNT; p++) {
		const char *n = arena_printf(r->a, "phases.%d.", p);
		HTML(b_, "<tr><th scope=\"row\">");
		buf_html(b_, batch_phase_info[p].zh);
		HTML(b_, "<input type=\"hidden\" name=\"");
		buf_html(b_, n);
		HTML(b_, "phase\" value=\"");
		buf_html(b_, batch_phase_info[p].code);
		HTML(b_, "\"></th><td>");
		field_input(r, c, "date", arena_printf(r->a, "%sstarts", n), "开始",
			    field_value(r, c, arena_printf(r->a, "%sstarts", n),
					b && b->dates[p].starts ? batch_date(r->a, b->dates[p].starts) : ""), NULL);
		HTML(b_, "</td><td>");
		field_input(r, c, "date", arena_printf(r->a, "%sends", n), "结束",
			    field_value(r, c, arena_printf(r->a, "%sends", n),
					b && b->dates[p].ends ? batch_date(r->a, b->dates[p].ends) : ""), NULL);
		HTML(b_, "</td></tr>\n");
	}
	HTML(b_, "</tbody></table></fieldset>\n<fieldset><legend>揭榜攻坚规则</legend>\n");
	field_input(r, c, "number", "max_parallel", "每道难题最多批准几个团队并行攻坚（赛马，1-3）",
		    field_value(r, c, "max_parallel", arena_printf(r->a, "%d", b ? b->max_parallel : 1)), " min=\"1\" max=\"3\"");
	field_input(r, c, "number", "report_day", "每月几日前报送攻坚进展（1-28）",
		    field_value(r, c, "report_day", arena_printf(r->a, "%d", b ? b->report_day : 25)), " min=\"1\" max=\"28\"");
	field_input(r, c, "number", "warn_days", "节点或完成时限前几天亮黄灯（1-60）",
		    field_value(r, c, "warn_days", arena_printf(r->a, "%d", b ? b->warn_days : 7)), " min=\"1\" max=\"60\"");
	HTML(b_, "</fieldset>\n");
	grading_fieldset(r, b, c);
	HTML(b_, "<button type=\"submit\">");
	buf_puts(b_, b ? "保存批次" : "创建批次");
	HTML(b_, "</button>\n</form>\n");
}

/* A form's phase rows send their code even when left blank: a row with
 * neither date is no phase. */
static void drop_undated(struct batch_in *in)
{
	struct batch_phase_in *ph = in->phases.items;
	int k = 0;

	for (int i = 0; i < in->phases.n; i++)
		if (ph[i].starts || ph[i].ends)
			ph[k++] = ph[i];
	in->phases.n = k;
}

static const struct bind_field phase_row_fields[] = {
	BIND_CHOICE(struct batch_phase_in, phase, "阶段", BIND_REQUIRED, batch_phases),
	BIND_DATE(struct batch_phase_in, starts, "开始日期", 0),
	BIND_DATE(struct batch_phase_in, ends, "结束日期", 0),
	BIND_END,
};

/* The form's fields: as the API's, but a phase row may be left blank, and
 * then a row with one date only is an error said here. */
static const struct bind_field form_fields[] = {
	BIND_TEXT(struct batch_in, name, "批次名称", BIND_REQUIRED, 2, BATCH_NAME_MAX),
	BIND_INT(struct batch_in, year, "年度", BIND_REQUIRED, 2000, 2100),
	BIND_CHOICE(struct batch_in, phase, "当前阶段", 0, batch_phases),
	BIND_BOOL(struct batch_in, by_dates, "按日期自动切换阶段"),
	BIND_LIST(struct batch_in, phases, "阶段日期", 0, PHASE_COUNT, phase_row_fields, struct batch_phase_in),
	BIND_INT(struct batch_in, max_parallel, "每道难题最多并行的团队数（赛马）", 0, 1, 3),
	BIND_INT(struct batch_in, report_day, "每月报送进展的截止日", 0, 1, 28),
	BIND_INT(struct batch_in, warn_days, "节点临近预警天数", 0, 1, 60),
	BATCH_GRADING_FIELDS,
	BIND_END,
};

static int bind_batch(struct req *r, struct ctx *c, struct batch_in *in, const json_t **json)
{
	int rc = bind_request(r, c, r->is_api ? batch_fields : form_fields, in, json);
	const struct batch_phase_in *ph = in->phases.items;

	if (r->is_api)
		return rc;
	for (int i = 0; i < in->phases.n; i++)
		if (!ph[i].starts != !ph[i].ends)
			rc = ctx_invalid(c, arena_printf(r->a, "phases.%d.%s", i, ph[i].starts ? "ends" : "starts"),
					 "missing_field", "请同时填写开始和结束日期");
	drop_undated(in);
	return rc;
}

/* The batches, for the list's page and its JSON. */
struct batch_list {
	struct batch *bs;
	int n;
	const struct ctx *c;    /* a refused new batch to show again, or NULL */
};

static json_t *batches_json(struct req *r, const void *outcome)
{
	const struct batch_list *l = outcome;
	json_t *items = json_array();

	for (int i = 0; i < l->n; i++)
		json_array_append_new(items, batch_json(r, &l->bs[i], clock_now()));
	return json_pack("{s:o}", "items", items);
}

static void batch_table(struct req *r, const struct batch_list *l)
{
	static const struct table_col cols[] = { { "批次", COL_TITLE }, { "年度", 0 }, { "当前阶段", 0 }, { "阶段切换", 0 },
						 { "本阶段日期", 0 }, { NULL, 0 } };
	struct table t = { .cols = cols };
	buf *b = &r->out;

	table_open(b, &t);
	for (int i = 0; i < l->n; i++) {
		int p = batch_phase_now(&l->bs[i], clock_now());
		table_row(b, &t);
		table_cell(b, &t);
		HTML(b, "<a href=\"");
		html_path(b, r, arena_printf(r->a, "/admin/batches/%lld", (long long)l->bs[i].id));
		HTML(b, "\">");
		buf_html(b, l->bs[i].name);
		HTML(b, "</a>");
		table_cell(b, &t);
		buf_printf(b, "%lld", (long long)l->bs[i].year);
		table_cell(b, &t);
		buf_html(b, batch_phase_info[p].zh);
		table_cell(b, &t);
		buf_puts(b, l->bs[i].by_dates ? "按日期" : "手动");
		table_cell(b, &t);
		phase_dates(r, &l->bs[i], p);
	}
	table_close(b, &t);
}

static void batches_page(struct req *r, const void *outcome, int status)
{
	const struct batch_list *l = outcome;
	buf *b = &r->out;

	page_begin(r, "批次管理", NAV_BATCHES);
	HTML(b, "<h1>批次管理</h1>\n");
	if (!l->n)
		HTML(b, "<p class=\"empty\">还没有批次。</p>\n");
	else
		batch_table(r, l);
	if (may_manage(r) && r->csrf) {
		HTML(b, "<h2>新建批次</h2>\n");
		batch_form(r, NULL, l->c);
	}
	page_finish(r, status);
}

/* The list of batches with status; c: a refused new batch, or NULL. */
static void list_page(struct req *r, const struct ctx *c, int status)
{
	struct batch_list l = { .c = c };

	if (batch_list(r->db, r->a, r->tenant_id, &l.bs, &l.n) < 0) {
		web_store_error(r);
		return;
	}
	present(r, status, &(struct presentation){ .json = batches_json, .page = batches_page }, &l);
}

void page_batches(struct req *r)
{
	list_page(r, NULL, 200);
}

/* The batch of route parameter 0, or answer and return -1. */
static int batch_or_respond(struct req *r, struct batch *out)
{
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return -1;
	rc = batch_get(r->db, r->a, r->tenant_id, id, out);
	if (rc == 0)
		return 0;
	if (rc < 0)
		web_store_error(r);
	else
		reply_error(r, 404, "not_found", "没有这个批次", NULL);
	return -1;
}

/* The batch's evaluation rules in a sentence, and its rubrics' links. */
static void grading_summary(struct req *r, const struct batch *bt)
{
	buf *b = &r->out;
	char ex[24], good[24], pass[24];

	buf_printf(b, "<p class=\"muted\">考评验收：优秀 ≥ %s 分，良好 ≥ %s 分，合格 ≥ %s 分；",
		   score_format(bt->grade_excellent, ex, sizeof(ex)), score_format(bt->grade_good, good, sizeof(good)),
		   score_format(bt->grade_pass, pass, sizeof(pass)));
	if (bt->excellent_cap)
		buf_printf(b, "优秀比例上限 %d%%；", bt->excellent_cap);
	else
		HTML(b, "优秀比例不限；");
	buf_printf(b, "结果公示 %d 个工作日；中期评估：", bt->notice_days);
	buf_html(b, bt->midterm_on ? batch_date(r->a, bt->midterm_on) : "未定");
	HTML(b, "。</p>\n<p>评分标准：<a href=\"");
	html_path(b, r, arena_printf(r->a, "/batches/%lld/rubric", (long long)bt->id));
	HTML(b, "\">考评验收</a> · <a href=\"");
	html_path(b, r, arena_printf(r->a, "/batches/%lld/rubric?stage=midterm", (long long)bt->id));
	HTML(b, "\">中期评估</a></p>\n");
	if (perm_any(r->who, "export.read")) {
		HTML(b, "<p>年度汇报材料：<a href=\"");
		html_path(b, r, arena_printf(r->a, "/batches/%lld/report", (long long)bt->id));
		HTML(b, "\">打印版</a> · <a href=\"");
		html_path(b, r, arena_printf(r->a, "/batches/%lld/report.docx", (long long)bt->id));
		HTML(b, "\" download>.docx</a></p>\n");
	}
}

static void edit_page(struct req *r, const struct batch *bt, const struct ctx *c, int status)
{
	buf *b = &r->out;

	page_begin(r, bt->name, NAV_BATCHES);
	HTML(b, "<p class=\"crumbs\"><a href=\"");
	html_path(b, r, "/admin/batches");
	HTML(b, "\">批次管理</a> › 批次</p>\n<h1>");
	buf_html(b, bt->name);
	HTML(b, "</h1>\n<p class=\"summary\">当前阶段：<strong>");
	buf_html(b, batch_phase_info[batch_phase_now(bt, clock_now())].zh);
	HTML(b, "</strong>（");
	buf_puts(b, bt->by_dates ? "按日期自动切换" : "手动设置");
	HTML(b, "）</p>\n");
	grading_summary(r, bt);
	if (may_manage(r) && r->csrf)
		batch_form(r, bt, c);
	page_finish(r, status);
}

/* One batch, for its page and its JSON; c: a refused change to show
 * again in its form, or NULL. */
struct batch_view {
	const struct batch *bt;
	const struct ctx *c;
};

static json_t *batch_view_json(struct req *r, const void *outcome)
{
	const struct batch_view *v = outcome;

	return json_pack("{s:o}", "batch", batch_json(r, v->bt, clock_now()));
}

static void batch_view_page(struct req *r, const void *outcome, int status)
{
	const struct batch_view *v = outcome;

	edit_page(r, v->bt, v->c, status);
}

void page_batch(struct req *r)
{
	struct batch bt;

	if (batch_or_respond(r, &bt) < 0)
		return;
	present(r, 200, &(struct presentation){ .json = batch_view_json, .page = batch_view_page },
		&(struct batch_view){ &bt, NULL });
}

/* The batch of id *outcome as saved; NULL when it cannot be read. */
static json_t *saved_json(struct req *r, const void *outcome)
{
	struct batch bt;

	if (batch_get(r->db, r->a, r->tenant_id, *(const int64_t *)outcome, &bt) != 0)
		return NULL;
	return json_pack("{s:o}", "batch", batch_json(r, &bt, clock_now()));
}

/* After a change: the batch's page, or its JSON with status. */
static void saved(struct req *r, int64_t id, int status)
{
	present(r, status, &(struct presentation){ .json = saved_json,
		.redirect = arena_printf(r->a, "/admin/batches/%lld", (long long)id) }, &id);
}

/* The list again with the refused new batch (the context *outcome). */
static void create_refused_page(struct req *r, const void *outcome, int status)
{
	list_page(r, outcome, status);
}

void act_batch_create(struct req *r)
{
	struct batch_in in;
	struct ctx c;
	int64_t id;
	int rc;

	const json_t *sent = NULL;

	web_ctx(r, &c);
	rc = bind_batch(r, &c, &in, &sent);
	if (sent && !json_object_get(sent, "excellent_cap"))
		in.excellent_cap = GRADING_DEFAULT.cap;   /* 0 would mean no cap */
	if (rc == JB_OK)
		rc = batch_create(&c, &in, &id);
	if (rc == JB_OK)
		saved(r, id, 201);
	else
		present_outcome_error(r, &c, rc, create_refused_page, &c);
}

/* PATCH: members not sent keep the batch's values. */
static void keep_unsent(const json_t *sent, const struct batch *old, struct batch_in *in, arena *a)
{
	if (!sent)
		return;
	if (!json_object_get(sent, "name"))
		in->name = old->name;
	if (!json_object_get(sent, "year"))
		in->year = old->year;
	if (!json_object_get(sent, "phase"))
		in->phase = batch_phase_info[old->phase < 0 ? PHASE_COLLECTING : old->phase].code;
	if (!json_object_get(sent, "by_dates"))
		in->by_dates = old->by_dates;
	if (!json_object_get(sent, "max_parallel"))
		in->max_parallel = old->max_parallel;
	if (!json_object_get(sent, "report_day"))
		in->report_day = old->report_day;
	if (!json_object_get(sent, "warn_days"))
		in->warn_days = old->warn_days;
	if (!json_object_get(sent, "grade_excellent"))
		in->grade_excellent = old->grade_excellent;
	if (!json_object_get(sent, "grade_good"))
		in->grade_good = old->grade_good;
	if (!json_object_get(sent, "grade_pass"))
		in->grade_pass = old->grade_pass;
	if (!json_object_get(sent, "excellent_cap"))
		in->excellent_cap = old->excellent_cap;
	if (!json_object_get(sent, "notice_days"))
		in->notice_days = old->notice_days;
	if (!json_object_get(sent, "midterm_on"))
		in->midterm_on = old->midterm_on;
	if (!json_object_get(sent, "phases")) {
		struct batch_phase_in *ph = arena_alloc(a, PHASE_COUNT * sizeof(*ph));
		int n = 0;
		for (int p = 0; p < PHASE_COUNT; p++)
			if (old->dates[p].starts)
				ph[n++] = (struct batch_phase_in){ batch_phase_info[p].code, old->dates[p].starts,
								   old->dates[p].ends - 86399 };
		in->phases = (struct bind_list){ ph, n };
	}
}

void act_batch_update(struct req *r)
{
	const json_t *sent = NULL;
	struct batch old;
	struct batch_in in;
	struct ctx c;
	int rc;

	if (batch_or_respond(r, &old) < 0)
		return;
	web_ctx(r, &c);
	if (r->is_api) {
		/* Bind with nothing required, then fill in what was not sent. */
		rc = bind_request(r, &c, batch_fields, &in, &sent);
		if (rc != JB_OK) {
			int k = 0;
			for (int i = 0; i < c.nerrs; i++)
				if (strcmp(c.errs[i].code, "missing_field") || json_object_get(sent, c.errs[i].field))
					c.errs[k++] = c.errs[i];
			c.nerrs = k;
			rc = k ? JB_EINVALID : JB_OK;
		}
		keep_unsent(sent, &old, &in, r->a);
	} else {
		rc = bind_batch(r, &c, &in, NULL);
	}
	if (rc == JB_OK)
		rc = batch_update(&c, old.id, &in);
	if (rc == JB_OK)
		saved(r, old.id, 200);
	else
		present_outcome_error(r, &c, rc, batch_view_page, &(struct batch_view){ &old, &c });
}
