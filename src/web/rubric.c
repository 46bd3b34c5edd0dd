/* rubric.c - a batch's rubric (评分标准): GET /batches/:id/rubric shows the
 * rubric of a stage (?stage=final|midterm; the default marked 默认) and,
 * for those who manage evaluations, the form that replaces it (criterion
 * rows with their bands a line each, "名称=分数", no script needed); POST
 * is that form. GET and PUT /api/v1/batches/:id/rubric are the same in
 * JSON (domain/rubric.h, "Editing"). */
#include <string.h>

#include "domain/batch.h"
#include "domain/perm.h"
#include "domain/rubric.h"
#include "web/claim_ui.h"
#include "web/fields.h"
#include "web/web.h"
#include "web/widgets.h"

#define EXTRA_ROWS 2   /* empty criterion rows offered beyond the current ones */

/* What the page and the JSON show. */
struct rubric_view {
	struct batch bt;
	const char *stage;
	struct rubric rb;
	bool locked;            /* scores exist: the rubric is fixed */
	const struct ctx *c;    /* a refused change to show again, or NULL */
};

/* hundredths as points: "100", "92.5", "92.25". */
static const char *points(struct req *r, int64_t v)
{
	if (v % 100 == 0)
		return arena_printf(r->a, "%lld", (long long)(v / 100));
	if (v % 10 == 0)
		return arena_printf(r->a, "%lld.%lld", (long long)(v / 100), (long long)(v % 100 / 10));
	return arena_printf(r->a, "%lld.%02lld", (long long)(v / 100), (long long)(v % 100));
}

static json_t *rubric_json(struct req *r, const void *outcome)
{
	const struct rubric_view *v = outcome;
	json_t *cs = json_array();

	for (int i = 0; i < v->rb.n; i++) {
		const struct criterion *k = &v->rb.c[i];
		json_t *bands = json_array();
		for (int j = 0; j < k->nbands; j++)
			json_array_append_new(bands, json_pack("{s:s, s:f}", "label", k->bands[j].label, "score",
							       (double)k->bands[j].score / 100));
		json_array_append_new(cs, json_pack("{s:s, s:i, s:f, s:s, s:o}", "name", k->name, "weight", k->weight, "max",
						    (double)k->max / 100, "description", k->description ? k->description : "",
						    "bands", bands));
	}
	return json_pack("{s:I, s:s, s:b, s:b, s:o}", "batch_id", (json_int_t)v->bt.id, "stage", v->stage, "is_default",
			 v->rb.is_default, "locked", v->locked, "criteria", cs);
}

static bool may_manage(struct req *r)
{
	struct perm_target t = { r->tenant_id, 0, 0, false };

	return perm_check(r->who, "evaluation.manage", &t);
}

/* The rubric as a table: one row per criterion with its bands. */
static void rubric_table(struct req *r, const struct rubric *rb)
{
	static const struct table_col cols[] = { { "评分项", COL_TITLE }, { "权重", 0 }, { "满分", 0 },
						 { "评分说明", COL_WIDE }, { "分档", COL_WIDE }, { NULL, 0 } };
	struct table t = { .cols = cols, .caption = "各评分项按权重折算成百分制后相加" };
	buf *b = &r->out;

	table_open(b, &t);
	for (int i = 0; i < rb->n; i++) {
		const struct criterion *k = &rb->c[i];
		table_row(b, &t);
		table_cell(b, &t);
		buf_html(b, k->name);
		table_cell(b, &t);
		buf_printf(b, "%d", k->weight);
		table_cell(b, &t);
		buf_html(b, points(r, k->max));
		table_cell(b, &t);
		buf_html(b, k->description && *k->description ? k->description : "—");
		table_cell(b, &t);
		if (!k->nbands)
			HTML(b, "不分档（0 至满分之间打分）");
		for (int j = 0; j < k->nbands; j++) {
			if (j)
				HTML(b, "；");
			buf_html(b, k->bands[j].label);
			HTML(b, " ");
			buf_html(b, points(r, k->bands[j].score));
			HTML(b, " 分");
		}
	}
	table_close(b, &t);
}

/* The message c holds for name, as a paragraph (for a row or the form as
 * a whole, which have no control of their own). */
static void field_note(struct req *r, const struct ctx *c, const char *name)
{
	const struct field_error *e = field_error_of(c, name);

	if (!e)
		return;
	HTML(&r->out, "<p class=\"field-error\" role=\"alert\">");
	buf_html(&r->out, e->message);
	HTML(&r->out, "</p>\n");
}

/* The bands of k as the form's text: "名称=分数" a line. */
static const char *bands_text(struct req *r, const struct criterion *k)
{
	buf t = BUF_INIT;
	const char *s;

	for (int j = 0; j < k->nbands; j++)
		buf_printf(&t, "%s%s=%s", j ? "\n" : "", k->bands[j].label, points(r, k->bands[j].score));
	s = arena_strdup(r->a, t.s ? t.s : "");
	buf_release(&t);
	return s;
}

/* Criterion row i of the form: k its current values (NULL: an empty row). */
static void criterion_row(struct req *r, const struct ctx *c, int i, const struct criterion *k)
{
	buf *b = &r->out;
	const char *n = arena_printf(r->a, "criteria.%d.", i);
	const char *name = arena_printf(r->a, "%sname", n), *weight = arena_printf(r->a, "%sweight", n);
	const char *max = arena_printf(r->a, "%smax", n), *desc = arena_printf(r->a, "%sdescription", n);
	const char *bands = arena_printf(r->a, "%sbands_text", n);

	buf_printf(b, "<fieldset class=\"criterion\"><legend>评分项 %d</legend>\n", i + 1);
	field_note(r, c, arena_printf(r->a, "criteria.%d", i));
	field_input(r, c, "text", name, "名称", field_value(r, c, name, k ? k->name : ""), " maxlength=\"40\"");
	field_input(r, c, "number", weight, "权重", field_value(r, c, weight, k ? arena_printf(r->a, "%d", k->weight) : ""),
		    " min=\"1\" max=\"100\"");
	field_input(r, c, "text", max, "满分（分）", field_value(r, c, max, k ? points(r, k->max) : ""),
		    " inputmode=\"decimal\" size=\"6\"");
	field_textarea(r, c, desc, "评分说明", field_value(r, c, desc, k && k->description ? k->description : ""),
		       " rows=\"2\" maxlength=\"500\"");
	field_textarea(r, c, bands, "分档（每行一档，写作“名称=分数”，从高分到低分；不分档请留空）",
		       field_value(r, c, bands, k ? bands_text(r, k) : ""), " rows=\"5\"");
	HTML(b, "</fieldset>\n");
}

static void rubric_form(struct req *r, const struct rubric_view *v)
{
	const struct ctx *c = v->c;
	int rows = v->rb.n + EXTRA_ROWS;
	buf *b = &r->out;

	if (c)
		rows = claim_rows_shown(r, "criteria", rows, 0, RUBRIC_CRITERIA_MAX);
	if (rows > RUBRIC_CRITERIA_MAX)
		rows = RUBRIC_CRITERIA_MAX;
	HTML(b, "<h2>修改评分标准</h2>\n<p class=\"hint\">各评分项的权重合计须为 100，总分为各项得分按权重折算后的百分制分数。"
		"分档每行一档，写作“名称=分数”（如“全面完成或提前完成=100”），分数从高到低、各不相同，最高不超过满分；"
		"分档的评分项只能按档打分。不需要的行留空即可。</p>\n");
	form_errors(r, c);
	form_open(r, arena_printf(r->a, "/batches/%lld/rubric", (long long)v->bt.id));
	claim_hidden(b, "stage", v->stage);
	claim_hidden(b, "criteria_rows", arena_printf(r->a, "%d", rows));
	field_note(r, c, "criteria");
	for (int i = 0; i < rows; i++)
		criterion_row(r, c, i, c || i >= v->rb.n ? NULL : &v->rb.c[i]);
	HTML(b, "<button type=\"submit\">保存评分标准</button>\n</form>\n");
}

/* Links to the two stages' rubrics, the one shown marked. */
static void stage_links(struct req *r, const struct rubric_view *v)
{
	buf *b = &r->out;

	HTML(b, "<nav aria-label=\"评估类型\"><ul class=\"tabs\">");
	for (const struct label *l = eval_stages; l->code; l++) {
		HTML(b, "<li><a href=\"");
		html_path(b, r, arena_printf(r->a, "/batches/%lld/rubric?stage=%s", (long long)v->bt.id, l->code));
		HTML(b, "\"");
		if (!strcmp(l->code, v->stage))
			HTML(b, " aria-current=\"page\"");
		HTML(b, ">");
		buf_html(b, l->zh);
		HTML(b, "</a></li>");
	}
	HTML(b, "</ul></nav>\n");
}

static void rubric_page(struct req *r, const void *outcome, int status)
{
	const struct rubric_view *v = outcome;
	buf *b = &r->out;

	page_begin(r, arena_printf(r->a, "评分标准：%s", v->bt.name), NAV_BATCHES);
	HTML(b, "<p class=\"crumbs\"><a href=\"");
	html_path(b, r, "/admin/batches");
	HTML(b, "\">批次管理</a> › <a href=\"");
	html_path(b, r, arena_printf(r->a, "/admin/batches/%lld", (long long)v->bt.id));
	HTML(b, "\">");
	buf_html(b, v->bt.name);
	HTML(b, "</a> › 评分标准</p>\n<h1>评分标准：");
	buf_html(b, v->bt.name);
	HTML(b, "</h1>\n");
	stage_links(r, v);
	if (req_query(r, "done") && !v->c)
		HTML(b, "<p class=\"notice\" role=\"status\">评分标准已保存。</p>\n");
	HTML(b, "<h2>");
	buf_html(b, label_of(eval_stages, v->stage));
	HTML(b, "</h2>\n<p class=\"summary\">");
	if (v->rb.is_default)
		HTML(b, "<strong>默认</strong>：本批次还没有自定评分标准，使用默认评分标准。");
	else
		HTML(b, "本批次自定的评分标准。");
	HTML(b, "</p>\n");
	rubric_table(r, &v->rb);
	if (v->locked) {
		form_errors(r, v->c);
		HTML(b, "<p class=\"notice\">已有评分，不能修改评分标准。</p>\n");
	}
	else if (may_manage(r) && r->csrf)
		rubric_form(r, v);
	page_finish(r, status);
}

/* The view of route parameter 0's batch and stage; -1 having answered. */
static int view_or_respond(struct req *r, const char *stage, struct rubric_view *v)
{
	int64_t id;
	int rc;

	memset(v, 0, sizeof(*v));
	v->stage = stage && *stage ? stage : "final";
	if (!label_of(eval_stages, v->stage)) {
		reply_error(r, 400, "bad_stage", "评估类型只能是 final（考评验收）或 midterm（中期评估）", "stage");
		return -1;
	}
	if (id_param_or_respond(r, 0, &id) < 0)
		return -1;
	if ((rc = batch_get(r->db, r->a, r->tenant_id, id, &v->bt)) > 0) {
		reply_error(r, 404, "not_found", "没有这个批次", NULL);
		return -1;
	}
	if (rc < 0 || rubric_load(r->db, r->a, r->tenant_id, id, v->stage, &v->rb) < 0 ||
	    rubric_locked(r->db, r->tenant_id, id, v->stage, &v->locked) < 0) {
		web_store_error(r);
		return -1;
	}
	return 0;
}

void page_rubric(struct req *r)
{
	struct rubric_view v;

	if (view_or_respond(r, req_query(r, "stage"), &v) == 0)
		present(r, 200, &(struct presentation){ .json = rubric_json, .page = rubric_page }, &v);
}

/* The form again with the refused change (outcome: the view, its c set). */
static void refused_page(struct req *r, const void *outcome, int status)
{
	rubric_page(r, outcome, status);
}

void act_rubric_save(struct req *r)
{
	const json_t *sent = NULL;
	struct rubric_view v;
	struct rubric_in in;
	struct ctx c;
	int rc;

	if (!r->is_api)
		claim_rows_compact(r, "criteria", "");
	web_ctx(r, &c);
	rc = bind_request(r, &c, rubric_fields, &in, &sent);
	if (view_or_respond(r, rc == JB_OK ? in.stage : r->is_api ? NULL : req_form(r, "stage"), &v) < 0)
		return;
	if (rc == JB_OK)
		rc = rubric_save(&c, v.bt.id, &in);
	if (rc != JB_OK) {
		v.c = &c;
		present_outcome_error(r, &c, rc, refused_page, &v);
		return;
	}
	if (view_or_respond(r, v.stage, &v) < 0)
		return;
	present(r, 200, &(struct presentation){ .json = rubric_json,
		.redirect = arena_printf(r->a, "/batches/%lld/rubric?stage=%s&done=1", (long long)v.bt.id, v.stage) }, &v);
}
