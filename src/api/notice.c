/* notice.c - the verbs of public notices and objections for the page forms
 * and /api/v1 alike, and their JSON (web/notice.h lists the routes). Under
 * /api/ a verb answers JSON; a page form is redirected to the page that
 * shows the change, or shown again with its errors (invalid: 400,
 * conflict: 409, too frequent: 429). */
#include "web/notice.h"

#include <string.h>

#include "domain/notice.h"
#include "util/text.h"
#include "web/fields.h"
#include "web/web.h"

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *objection_json(const struct objection *o)
{
	return json_pack("{s:I, s:I, s:o, s:s, s:s, s:s, s:I, s:o, s:o, s:o, s:s}", "id", (json_int_t)o->id, "notice_id",
			 (json_int_t)o->notice_id, "position", o->position ? json_integer(o->position) : json_null(), "name",
			 o->name, "contact", o->contact, "body", o->body, "created_at", (json_int_t)o->created_at, "answer",
			 o->answered_at ? json_string(o->answer) : json_null(), "kind", str_or_null(o->finding),
			 "answered_at", o->answered_at ? json_integer(o->answered_at) : json_null(), "answered_by",
			 o->answered_by);
}

static bool may_answer_or_respond(struct req *r, int64_t id)
{
	struct perm_target t = { r->tenant_id, 0, 0, false };

	return perm_or_respond(r, "objection.answer", "notice", id, &t);
}

void api_notice_objections(struct req *r)
{
	struct objection *list;
	json_t *arr;
	int64_t id;
	int n;

	if (id_param_or_respond(r, 0, &id) < 0 || !may_answer_or_respond(r, id) ||
	    !row_or_respond(r, "notice", id, "没有这份公示"))
		return;
	if (notice_objections(r->db, r->a, r->tenant_id, id, &list, &n) < 0) {
		web_store_error(r);
		return;
	}
	arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, objection_json(&list[i]));
	reply_json(r, 200, json_pack("{s:o}", "objections", arr));
}

void api_notice_candidates(struct req *r)
{
	struct perm_target t = { r->tenant_id, 0, 0, false };
	const char *kind = req_query(r, "kind");
	struct notice_candidate *list;
	json_t *arr;
	int64_t batch;
	int n;

	if (id_param_or_respond(r, 0, &batch) < 0 || !perm_or_respond(r, "notice.manage", "batch", batch, &t))
		return;
	if (!kind || !label_of(notice_kinds, kind)) {
		reply_error(r, 400, "bad_parameter", "kind 只能是 results（验收结果）或 promotions（提拔使用）", "kind");
		return;
	}
	if (notice_candidates(r->db, r->a, r->tenant_id, batch, kind, &list, &n) < 0) {
		web_store_error(r);
		return;
	}
	arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)list[i].id, "text", list[i].text,
						     "noticed", list[i].noticed));
	reply_json(r, 200, json_pack("{s:s, s:o}", "kind", kind, "candidates", arr));
}

/* ---- verbs ---- */

void act_notice_create(struct req *r)
{
	struct notice_in in;
	int64_t batch, id = 0;
	struct ctx c;
	json_t *j;
	int rc;

	if (id_param_or_respond(r, 0, &batch) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, notice_fields, &in, NULL);
	if (rc == JB_OK)
		rc = notice_create(&c, batch, &in, &id);
	if (rc == JB_OK && !r->is_api) {
		reply_redirect(r, arena_printf(r->a, "/admin/notices/%lld?created=1", (long long)id));
	} else if (rc == JB_OK) {
		if ((j = notice_json(r, id)))
			reply_json(r, 201, j);
		else
			web_store_error(r);
	} else if (!r->is_api && (rc == JB_EINVALID || rc == JB_ECONFLICT)) {
		notice_new_page(r, batch, field_value(r, &c, "kind", "results"), &c, rc == JB_EINVALID ? 400 : 409);
	} else {
		outcome_error(r, &c, rc);
	}
}

void act_objection_lodge(struct req *r)
{
	struct objection_in in;
	int64_t page_notice = 0, id = 0;
	struct ctx c;
	int rc;

	if (!r->is_api && id_param_or_respond(r, 0, &page_notice) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, objection_fields, &in, NULL);
	if (page_notice)
		in.notice_id = page_notice;
	if (rc == JB_OK)
		rc = objection_lodge(&c, &in, &id);
	if (rc == JB_OK && !r->is_api) {
		reply_redirect(r, arena_printf(r->a, "/notices/%lld?lodged=1#objection", (long long)in.notice_id));
	} else if (rc == JB_OK) {
		r->no_store = true;
		reply_json(r, 201, json_pack("{s:{s:I, s:I, s:s}}", "objection", "id", (json_int_t)id, "notice_id",
					     (json_int_t)in.notice_id, "state", "open"));
	} else if (!r->is_api && page_notice && (rc == JB_EINVALID || rc == JB_ECONFLICT || rc == JB_ELIMITED)) {
		if (rc == JB_ELIMITED)
			req_header(r, "Retry-After", arena_printf(r->a, "%lld", (long long)(c.retry_after > 0 ? c.retry_after : 60)));
		notice_public_page(r, page_notice, &c, rc == JB_EINVALID ? 400 : rc == JB_ECONFLICT ? 409 : 429);
	} else {
		outcome_error(r, &c, rc);
	}
}

void act_objection_answer(struct req *r)
{
	struct objection_answer_in in;
	struct ctx c;
	int64_t id, notice = 0;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, objection_answer_fields, &in, NULL);
	if (rc == JB_OK)
		rc = objection_answer(&c, id, &in);
	if (rc == JB_OK && r->is_api) {
		reply_json(r, 200, json_pack("{s:{s:I, s:s, s:s}}", "objection", "id", (json_int_t)id, "kind", in.kind,
					     "answer", in.answer));
		return;
	}
	if (rc != JB_OK && (r->is_api || (rc != JB_EINVALID && rc != JB_ECONFLICT))) {
		outcome_error(r, &c, rc);
		return;
	}
	/* The page: back to the notice's admin view (the form's notice field). */
	{
		const char *v = req_form(r, "notice");
		if (!v || parse_int(v, 1, INT64_MAX, &notice) < 0) {
			reply_error(r, 400, "bad_parameter", "缺少公示编号", "notice");
			return;
		}
	}
	if (rc == JB_OK)
		reply_redirect(r, arena_printf(r->a, "/admin/notices/%lld?answered=1#objection-%lld", (long long)notice,
					       (long long)id));
	else
		notice_admin_page(r, notice, &c, rc == JB_EINVALID ? 400 : 409);
}

void act_notice_close(struct req *r)
{
	struct notice_closed out;
	struct ctx c;
	json_t *j;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	rc = notice_close(&c, id, &out);
	if (rc == JB_OK && !r->is_api) {
		reply_redirect(r, arena_printf(r->a, "/admin/notices/%lld?closed=1&final=%d&held=%d", (long long)id,
					       out.finalized, out.held));
	} else if (rc == JB_OK) {
		if (!(j = notice_json(r, id))) {
			web_store_error(r);
			return;
		}
		json_object_set_new(j, "finalized", json_integer(out.finalized));
		json_object_set_new(j, "held", json_integer(out.held));
		reply_json(r, 200, j);
	} else if (!r->is_api && rc == JB_ECONFLICT) {
		notice_admin_page(r, id, &c, 409);
	} else {
		outcome_error(r, &c, rc);
	}
}
