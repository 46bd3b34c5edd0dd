/* routes.c - the route table (method, pattern, handler, flags) and the
 * request preconditions every handler shares. */
#include "http/router.h"
#include "web/web.h"

#include <string.h>
#include <time.h>

#include "domain/labels.h"
#include "domain/tenant.h"
#include "util/text.h"

const struct route routes[] = {
	{ "GET", "/", page_board, 0 },
	{ "GET", "/problems/:id", page_problem, 0 },
	{ "GET", "/stats", page_stats, 0 },
	{ "GET", "/api/v1/problems", api_problems, 0 },
	{ "GET", "/api/v1/problems/:id", api_problem, 0 },
	{ "GET", "/api/v1/stats", api_stats, 0 },
	{ "GET", "/healthz", api_healthz, 0 },
};
const size_t routes_count = sizeof(routes) / sizeof(routes[0]);

int tenant_or_respond(struct req *r)
{
	int rc = tenant_find(r->db, r->a, NULL, &r->tenant_id, &r->tenant_name);

	if (rc < 0) {
		web_store_error(r);
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

int board_filter_or_respond(struct req *r, struct problem_filter *f)
{
	const char *q = req_query(r, "q"), *sort = req_query(r, "sort");
	int64_t per_page;

	memset(f, 0, sizeof(*f));
	if (int_arg(r, "batch", INT64_MAX, &f->batch_id, "批次编号必须是正整数") < 0 ||
	    category_arg(r, &f->category_id) < 0 ||
	    code_arg(r, "state", problem_states, &f->state, "没有这个状态") < 0 ||
	    code_arg(r, "unit_kind", unit_kinds, &f->unit_kind, "没有这个单位类型") < 0 ||
	    int_arg(r, "page", 1000000, &f->page, "页码必须是 1 到 1000000 之间的整数") < 0 ||
	    int_arg(r, "per_page", PROBLEM_MAX_PER_PAGE, &per_page, "每页条数必须是 1 到 100 之间的整数") < 0)
		return -1;
	if (f->state && (!strcmp(f->state, "proposed") || !strcmp(f->state, "selected") ||
			 !strcmp(f->state, "rejected") || !strcmp(f->state, "merged") ||
			 !strcmp(f->state, "withdrawn"))) {
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
	f->now = (int64_t)time(NULL);
	return 0;
}

void api_healthz(struct req *r)
{
	int64_t one;

	if (db_scalar(r->db, "SELECT 1", &one, 0) != 0) {
		reply_error(r, 503, "unavailable", "数据库无法访问", NULL);
		return;
	}
	buf_puts(&r->out, "{\"status\":\"ok\"}\n");
	reply(r, 200, "application/json; charset=utf-8");
}
