/* request.c - what the page handlers and the JSON ones (src/api) share
 * about a request: who acts (the audit actor, a verb's context, refusals),
 * the outcome of a verb, the one answer in two presentations, the tenant,
 * route and query parameters, and JSON answers (web.h). */
#include "util/clock.h"
#include "web/web.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/claim.h"
#include "domain/labels.h"
#include "domain/search.h"
#include "domain/state.h"
#include "domain/tenant.h"
#include "util/text.h"
#include "web/app.h"

/* ---- who acts ---- */

static const char *actor_name(struct req *r)
{
	return r->who && r->who->login ? r->who->login : "anonymous";
}

struct actor req_actor(struct req *r)
{
	return (struct actor){ r->tenant_id, actor_name(r), req_client_addr(r) };
}

/* Anonymous refusals pass the gate (bounded writes per address); a
 * signed-in user's are always written. */
static struct audit_gate *gate_for(struct req *r)
{
	return r->who && r->who->user_id ? NULL : req_app(r)->gate;
}

void deny(struct req *r, const char *action, const char *object_type, int64_t object_id, const char *reason)
{
	audit_denied(r->db, gate_for(r), r->tenant_id, actor_name(r), action ? action : "unknown", object_type,
		     object_id, reason, NULL, req_client_addr(r));
}

void deny_login(struct req *r, const char *login, const char *reason)
{
	audit_denied(r->db, gate_for(r), r->tenant_id, actor_name(r), "session.create", "user", 0, reason, login,
		     req_client_addr(r));
}

void web_ctx(struct req *r, struct ctx *c)
{
	ctx_init(c, r->db, r->a, r->who, req_client_addr(r));
	c->gate = gate_for(r);
}

void outcome_error(struct req *r, struct ctx *c, int rc)
{
	static const int status[] = { [JB_EINVALID] = 400, [JB_EDENIED] = 403, [JB_ENOTFOUND] = 404,
				      [JB_ECONFLICT] = 409, [JB_EBUSY] = 503, [JB_ELIMITED] = 429 };
	const struct field_error *e = c->nerrs ? &c->errs[0] : NULL;

	if (rc == JB_ESTORE || rc <= JB_OK || rc > JB_ELIMITED) {
		web_store_error(r);
		return;
	}
	if (rc == JB_EDENIED)
		ctx_log_denial(c);
	if (rc == JB_EBUSY)
		req_header(r, "Retry-After", "5");
	if (rc == JB_ELIMITED)
		req_header(r, "Retry-After", arena_printf(r->a, "%lld", (long long)(c->retry_after > 0 ? c->retry_after : 60)));
	if (r->is_api && c->nerrs > 1) {
		json_t *fields = json_array();
		for (int i = 0; i < c->nerrs; i++)
			json_array_append_new(fields, json_pack("{s:s?, s:s?, s:s}", "field", c->errs[i].field, "code",
								 c->errs[i].code, "message", c->errs[i].message));
		reply_json(r, status[rc], json_pack("{s:{s:s, s:s, s:s?, s:o, s:s}}", "error", "code",
						     e->code ? e->code : "invalid", "message", ctx_message(c, rc),
						     "field", e->field, "fields", fields, "request_id", r->id));
		return;
	}
	reply_error(r, status[rc],
		    e && e->code ? e->code : rc == JB_EDENIED ? "forbidden" : rc == JB_EBUSY ? "busy" : "error",
		    ctx_message(c, rc), e ? e->field : NULL);
}

bool perm_or_respond(struct req *r, const char *action, const char *object_type, int64_t object_id,
		     const struct perm_target *t)
{
	if (perm_check(r->who, action, t))
		return true;
	deny(r, action, object_type, object_id, "permission");
	reply_error(r, 403, "forbidden", "您没有权限执行此操作", NULL);
	return false;
}


/* ---- one outcome, two presentations ---- */

json_t *json_points(int64_t hundredths)
{
	return hundredths < 0 ? json_null() : json_real((double)hundredths / 100.0);
}

json_t *json_date(int64_t epoch)
{
	buf b = BUF_INIT;
	json_t *j;

	if (!epoch)
		return json_null();
	fmt_date(&b, epoch);
	j = json_string(b.s);
	buf_release(&b);
	return j;
}

json_t *json_at(int64_t epoch)
{
	return epoch ? json_integer(epoch) : json_null();
}

void reply_json(struct req *r, int status, json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(15));

	json_decref(v);
	if (!s) { /* only when a string was not UTF-8: a bug upstream */
		reply_error(r, 500, "internal", "服务器内部错误", NULL);
		return;
	}
	buf_puts(&r->out, s);
	buf_putc(&r->out, '\n');
	free(s);
	reply(r, status, "application/json; charset=utf-8");
}

json_t *json_ok(struct req *r, const void *outcome)
{
	return json_pack("{s:b}", "ok", 1);
}

void present(struct req *r, int status, const struct presentation *p, const void *outcome)
{
	json_t *v;

	if (r->is_api) {
		if (!(v = p->json(r, outcome))) {
			web_store_error(r);
			return;
		}
		reply_json(r, status, v);
	} else if (p->redirect) {
		reply_redirect(r, p->redirect);
	} else {
		p->page(r, outcome, status);
	}
}

void present_refusal(struct req *r, int status, const char *code, const char *message, const char *field,
		     page_fn page, const void *outcome)
{
	if (r->is_api) {
		reply_error(r, status, code, message, field);
		return;
	}
	buf_reset(&r->out);
	page(r, outcome, status);
}

void present_outcome_error(struct req *r, struct ctx *c, int rc, page_fn form, const void *outcome)
{
	if (r->is_api || (rc != JB_EINVALID && rc != JB_ECONFLICT)) {
		outcome_error(r, c, rc);
		return;
	}
	buf_reset(&r->out);
	form(r, outcome, rc == JB_EINVALID ? 400 : 409);
}

/* ---- the tenant, route and query parameters ---- */

int tenant_or_respond(struct req *r)
{
	int rc;

	if (r->tenant_id)
		return 0;
	rc = tenant_resolve(r->db, r->a, r->host, r->tenant_slug, &r->tenant_id, &r->tenant_name);
	if (rc < 0) {
		web_store_error(r);
		return -1;
	}
	if (rc > 0 && r->tenant_slug) {
		reply_error(r, 404, "not_found", "您访问的页面不存在", NULL);
		return -1;
	}
	if (rc > 0) {
		reply_error(r, 503, "not_initialised", "尚未创建任何单位数据，请先运行 jiebang init 或 jiebang demo", NULL);
		return -1;
	}
	return 0;
}

int id_param_or_respond(struct req *r, int idx, int64_t *id)
{
	if (idx >= r->nparams || parse_int(r->params[idx], 1, INT64_MAX, id) < 0) {
		reply_error(r, 400, "bad_id", "编号必须是正整数", "id");
		return -1;
	}
	return 0;
}

bool row_or_respond(struct req *r, const char *table, int64_t id, const char *message)
{
	int rc = tenant_row_exists(r->db, r->tenant_id, table, id);

	if (rc < 0)
		web_store_error(r);
	else if (rc > 0)
		reply_error(r, 404, "not_found", message, NULL);
	return rc == 0;
}

/* Optional positive integer parameter; 0 when absent or empty. */
static int int_arg(struct req *r, const char *name, int64_t max, int64_t *out, const char *msg)
{
	const char *v = req_query(r, name);

	*out = 0;
	if (!v || !*v)
		return 0;
	if (parse_int(v, 1, max, out) < 0) {
		reply_error(r, 400, "bad_parameter", msg, name);
		return -1;
	}
	return 0;
}

/* category=<id> or category=<name>; must name one of the tenant's. */
static int category_arg(struct req *r, int64_t *out)
{
	const char *v = req_query(r, "category");
	struct named *cats;
	int64_t id = 0;
	int n;

	*out = 0;
	if (!v || !*v)
		return 0;
	if (problem_categories(r->db, r->a, r->tenant_id, &cats, &n) < 0) {
		web_store_error(r);
		return -1;
	}
	if (parse_int(v, 1, INT64_MAX, &id) < 0)
		id = 0;
	for (int i = 0; i < n; i++)
		if (cats[i].id == id || !strcmp(cats[i].name, v))
			*out = cats[i].id;
	if (!*out) {
		reply_error(r, 400, "bad_parameter", "没有这个类别", "category");
		return -1;
	}
	return 0;
}

static int code_arg(struct req *r, const char *name, const struct label *table, const char **out,
		    const char *msg)
{
	const char *v = req_query(r, name);

	*out = NULL;
	if (!v || !*v)
		return 0;
	if (!label_of(table, v)) {
		reply_error(r, 400, "bad_parameter", msg, name);
		return -1;
	}
	*out = v;
	return 0;
}

/* light=<code>: one of the lights a claim shows (claim.h lights[]). */
static int light_arg(struct req *r, const char **out)
{
	const char *v = req_query(r, "light");

	*out = NULL;
	if (!v || !*v)
		return 0;
	for (int i = LIGHT_GREEN; i <= LIGHT_AWAITING; i++)
		if (!strcmp(lights[i].code, v))
			*out = lights[i].code;
	if (!*out) {
		reply_error(r, 400, "bad_parameter", "没有这个灯色", "light");
		return -1;
	}
	return 0;
}

int board_filter_or_respond(struct req *r, struct problem_filter *f)
{
	const char *q = req_query(r, "q"), *sort = req_query(r, "sort");
	int64_t per_page;

	memset(f, 0, sizeof(*f));
	if (int_arg(r, "batch", INT64_MAX, &f->batch_id, "批次编号必须是正整数") < 0 ||
	    category_arg(r, &f->category_id) < 0 ||
	    code_arg(r, "state", problem_states, &f->state, "没有这个状态") < 0 ||
	    code_arg(r, "unit_kind", unit_kinds, &f->unit_kind, "没有这个单位类型") < 0 ||
	    light_arg(r, &f->light) < 0 ||
	    int_arg(r, "page", 1000000, &f->page, "页码必须是 1 到 1000000 之间的整数") < 0 ||
	    int_arg(r, "per_page", PROBLEM_MAX_PER_PAGE, &per_page, "每页条数必须是 1 到 100 之间的整数") < 0)
		return -1;
	if (f->state && !problem_state_has(f->state, PS_PUBLIC)) {
		reply_error(r, 400, "bad_parameter", "该状态的难题不在公开榜单上", "state");
		return -1;
	}
	if (q) {
		while (*q == ' ')
			q++;
		if (utf8_len(q) > PROBLEM_MAX_QUERY) {
			reply_error(r, 400, "bad_parameter", "搜索词过长，最多 64 个字", "q");
			return -1;
		}
		if (search_terms(r->a, q, NULL, 0) > SEARCH_MAX_TERMS) {
			reply_error(r, 400, "bad_parameter", "搜索词最多 5 个，请用空格分隔", "q");
			return -1;
		}
		f->q = q;
	}
	f->sort = SORT_ID;
	if (sort && *sort) {
		if (!strcmp(sort, "updated"))
			f->sort = SORT_UPDATED;
		else if (!strcmp(sort, "category"))
			f->sort = SORT_CATEGORY;
		else if (strcmp(sort, "id")) {
			reply_error(r, 400, "bad_parameter", "排序方式只能是 id、updated 或 category", "sort");
			return -1;
		}
	}
	f->page = f->page ? f->page : 1;
	f->per_page = per_page ? per_page : 20;
	f->now = clock_now();
	return 0;
}
