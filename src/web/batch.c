/* batch.c - the batch pages (/admin/batches) and /api/v1/batches: list,
 * create and edit batches with their dated phases. */
#include "util/clock.h"
#include "web/web.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/batch.h"
#include "domain/perm.h"
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
	return json_pack("{s:I, s:s, s:I, s:s, s:s, s:b, s:o, s:s}", "id", (json_int_t)b->id, "name", b->name, "year",
			 (json_int_t)b->year, "phase", batch_phase_info[batch_phase_now(b, now)].code, "phase_set",
			 batch_phase_info[b->phase < 0 ? PHASE_COLLECTING : b->phase].code, "by_dates", b->by_dates,
			 "phases", ph, "as_of", batch_date(r->a, batch_as_of(b, now)));
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
	HTML(b_, "</tbody></table></fieldset>\n<button type=\"submit\">");
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

	web_ctx(r, &c);
	rc = bind_batch(r, &c, &in, NULL);
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
