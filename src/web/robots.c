/* robots.c - 推送机器人 (GET/POST /admin/robots, robot.manage): the
 * tenant's 钉钉 / 企业微信 group robots and webhooks, their test message,
 * and the outbox with its dead letters and 重新发送 (domain/robot.h).
 * The secret is write-only: shown as 已设置, never again as text. */
#include <string.h>

#include "domain/robot.h"
#include "web/fields.h"
#include "web/robots.h"
#include "web/web.h"
#include "web/widgets.h"

/* What a refused submission shows again: the robot being edited (id 0:
 * the new one) with the request's values and c's errors. */
struct robot_form {
	int64_t id;
	const struct robot *was;   /* NULL for a new robot */
	struct ctx *c;
};

static bool may_manage(struct req *r)
{
	struct perm_target t = { r->tenant_id, 0, 0, false };

	return perm_or_respond(r, "robot.manage", "tenant", r->tenant_id, &t);
}

static void event_names(buf *b, const char *events)
{
	bool any = false;

	for (const struct label *l = robot_events; l->code; l++)
		if (robot_has_event(events, l->code)) {
			if (any)
				HTML(b, "、");
			buf_html(b, l->zh);
			any = true;
		}
	if (!any)
		HTML(b, "（无）");
}

static void events_field(struct req *r, const struct ctx *c, const char *events)
{
	const struct field_error *e = field_error_of(c, "events");
	const char *sent[8];
	int n = c ? req_form_all(r, "events", sent, 8) : 0;
	buf *b = &r->out;

	HTML(b, "<fieldset class=\"checks\"><legend>推送哪些事件</legend>\n");
	for (const struct label *l = robot_events; l->code; l++) {
		bool on = false;
		if (c)
			for (int i = 0; i < n && i < 8; i++)
				on |= !strcmp(sent[i], l->code);
		else
			on = robot_has_event(events, l->code);
		HTML(b, "<label class=\"check\"><input type=\"checkbox\" name=\"events\" value=\"");
		buf_html(b, l->code);
		HTML(b, "\"");
		if (on)
			HTML(b, " checked");
		HTML(b, ">");
		buf_html(b, l->zh);
		HTML(b, "</label>\n");
	}
	if (e) {
		HTML(b, "<span class=\"field-error\" id=\"events-err\">");
		buf_html(b, e->message);
		HTML(b, "</span>");
	}
	HTML(b, "</fieldset>\n");
}

static void robot_form_fields(struct req *r, const struct robot_form *f)
{
	const struct robot *w = f->was;
	struct ctx *c = f->c;
	buf *b = &r->out;
	const char *enabled = req_form(r, "enabled");

	form_errors(r, c);
	form_open(r, f->id ? arena_printf(r->a, "/admin/robots/%lld", (long long)f->id) : "/admin/robots");
	field_select(r, c, "kind", "类型", robot_kinds, field_value(r, c, "kind", w ? w->kind : "dingtalk"), NULL);
	field_input(r, c, "text", "name", "名称", field_value(r, c, "name", w ? w->name : ""),
		    " required maxlength=\"64\"");
	field_input(r, c, "url", "url", "Webhook 地址", field_value(r, c, "url", w ? w->url : ""),
		    " required maxlength=\"1024\" placeholder=\"https://oapi.dingtalk.com/robot/send?access_token=…\"");
	field_input(r, c, "password", "secret",
		    w && w->has_secret ? "密钥（已设置；留空则不变）" : "密钥（钉钉“加签”的 SEC… 或 Webhook 的签名密钥，可不填）", "",
		    " autocomplete=\"new-password\" maxlength=\"256\"");
	if (w && w->has_secret)
		field_check(r, c, "clear_secret", "清除已设置的密钥", false);
	events_field(r, c, w ? w->events : "board_published,claim_approved,supervision_issued,overdue_digest,"
					   "evaluation_result,notice_opened");
	field_check(r, c, "enabled", "启用", c ? enabled && !strcmp(enabled, "1") : w ? w->enabled : true);
	HTML(b, "<button type=\"submit\">");
	buf_html(b, f->id ? "保存修改" : "添加机器人");
	HTML(b, "</button>\n</form>\n");
}

static const struct table_col robot_cols[] = { { "名称", COL_TITLE }, { "类型", 0 }, { "推送事件", COL_WIDE },
					       { "密钥", 0 }, { "状态", 0 }, { "操作", COL_WIDE }, { NULL, 0 } };

static void robots_table(struct req *r, const struct robot *rb, int n)
{
	struct table t = { .cols = robot_cols, .caption = "已配置的机器人" };
	buf *b = &r->out;

	if (!n) {
		HTML(b, "<p class=\"empty\">还没有配置机器人。</p>\n");
		return;
	}
	table_open(b, &t);
	for (int i = 0; i < n; i++) {
		const char *base = arena_printf(r->a, "/admin/robots/%lld", (long long)rb[i].id);
		table_row(b, &t);
		table_cell(b, &t);
		HTML(b, "<a href=\"");
		html_path(b, r, base);
		HTML(b, "\">");
		buf_html(b, rb[i].name);
		HTML(b, "</a>");
		table_cell(b, &t);
		buf_html(b, label_of(robot_kinds, rb[i].kind));
		table_cell(b, &t);
		event_names(b, rb[i].events);
		table_cell(b, &t);
		buf_html(b, rb[i].has_secret ? "已设置" : "未设置");
		table_cell(b, &t);
		buf_html(b, rb[i].enabled ? "启用" : "已停用");
		table_cell(b, &t);
		html_button_form(r, arena_printf(r->a, "%s/test", base), "发送测试消息", false);
		HTML(b, " ");
		html_button_form(r, arena_printf(r->a, "%s/delete", base), "删除", true);
	}
	table_close(b, &t);
}

static const char *state_zh(const char *s)
{
	return !strcmp(s, "sent") ? "已送达" : !strcmp(s, "dead") ? "失败（死信）" : "待发送";
}

static const struct table_col outbox_cols[] = { { "编号", 0 }, { "机器人", COL_TITLE }, { "事件", 0 },
						{ "产生时间", 0 }, { "状态", 0 }, { "尝试次数", 0 },
						{ "最近错误", COL_WIDE }, { "投递编号", COL_WIDE }, { "操作", 0 },
						{ NULL, 0 } };

static void outbox_table(struct req *r, const struct outbox_row *o, int n)
{
	struct table t = { .cols = outbox_cols, .caption = "最近的推送记录" };
	buf *b = &r->out;

	if (!n) {
		HTML(b, "<p class=\"empty\">还没有推送记录。</p>\n");
		return;
	}
	table_open(b, &t);
	for (int i = 0; i < n; i++) {
		const char *ev = label_of(robot_events, o[i].event);
		table_row(b, &t);
		table_cell(b, &t);
		buf_printf(b, "%lld", (long long)o[i].id);
		table_cell(b, &t);
		buf_html(b, o[i].robot_name);
		table_cell(b, &t);
		buf_html(b, ev ? ev : !strcmp(o[i].event, "test") ? "测试消息" : o[i].event);
		table_cell(b, &t);
		fmt_datetime(b, o[i].created_at);
		table_cell_class(b, &t, arena_printf(r->a, "outbox-%s", o[i].state));
		buf_html(b, state_zh(o[i].state));
		table_cell(b, &t);
		buf_printf(b, "%lld", (long long)o[i].attempts);
		table_cell(b, &t);
		buf_html(b, *o[i].last_error ? o[i].last_error : "—");
		table_cell(b, &t);
		HTML(b, "<code>");
		buf_html(b, o[i].delivery_id);
		HTML(b, "</code>");
		table_cell(b, &t);
		if (!strcmp(o[i].state, "dead"))
			html_button_form(r, arena_printf(r->a, "/admin/outbox/%lld/resend", (long long)o[i].id), "重新发送",
					 false);
		else
			HTML(b, "—");
	}
	table_close(b, &t);
}

/* The list page, with the new robot's form (f: a refused one, or NULL). */
static void robots_page(struct req *r, const void *outcome, int status)
{
	const struct robot_form *f = outcome;
	const char *done = req_query(r, "done");
	struct robot_form blank = { 0, NULL, NULL };
	struct robot *rb;
	struct outbox_row *o;
	int n, no;
	buf *b = &r->out;

	if (robot_list(r->db, r->a, r->tenant_id, &rb, &n) < 0 ||
	    outbox_list(r->db, r->a, r->tenant_id, NULL, OUTBOX_PAGE, &o, &no) < 0) {
		web_store_error(r);
		return;
	}
	page_begin(r, "推送机器人", NAV_ROBOTS);
	HTML(b, "<h1>推送机器人</h1>\n<p class=\"muted\">把榜单发布、揭榜申请通过、督办、逾期汇总、验收结果和公示开始推送到"
		"钉钉群、企业微信群或其他系统（Webhook）。消息在事件发生的同一事务中写入待发队列，由后台逐条发送，失败会按指数退避重试。</p>\n");
	if (done && *done)
		HTML(b, "<p class=\"notice\" role=\"status\">已完成。</p>\n");
	robots_table(r, rb, n);
	HTML(b, "<h2 id=\"new\">添加机器人</h2>\n");
	robot_form_fields(r, f && !f->id ? f : &blank);
	HTML(b, "<h2 id=\"outbox\">推送记录</h2>\n<p class=\"muted\">“失败（死信）”是多次重试仍未送达的消息，可以在排除问题后重新发送；"
		"接收方可按投递编号去重。</p>\n");
	outbox_table(r, o, no);
	page_finish(r, status);
}

void page_robots(struct req *r)
{
	if (tenant_or_respond(r) < 0 || !may_manage(r))
		return;
	robots_page(r, NULL, 200);
}

static void edit_page(struct req *r, const void *outcome, int status)
{
	const struct robot_form *f = outcome;
	buf *b = &r->out;

	page_begin(r, "修改推送机器人", NAV_ROBOTS);
	HTML(b, "<p><a href=\"");
	html_path(b, r, "/admin/robots");
	HTML(b, "\">← 推送机器人</a></p>\n<h1>修改推送机器人</h1>\n");
	robot_form_fields(r, f);
	page_finish(r, status);
}

void page_robot(struct req *r)
{
	struct robot_form f = { 0, NULL, NULL };
	struct robot *w = arena_alloc(r->a, sizeof(*w));
	int64_t id;
	int rc;

	if (tenant_or_respond(r) < 0 || id_param_or_respond(r, 0, &id) < 0 || !may_manage(r))
		return;
	if ((rc = robot_get(r->db, r->a, r->tenant_id, id, w)) != 0) {
		if (rc < 0)
			web_store_error(r);
		else
			web_render_error(r, 404, "not_found", "没有这个机器人", NULL);
		return;
	}
	f.id = id;
	f.was = w;
	edit_page(r, &f, 200);
}

/* The robot the request sends. */
static void robot_from_request(struct req *r, struct robot_in *in)
{
	const char *en = req_form(r, "enabled"), *clr = req_form(r, "clear_secret");

	memset(in, 0, sizeof(*in));
	in->kind = req_form(r, "kind");
	in->name = req_form(r, "name");
	in->url = req_form(r, "url");
	in->secret = req_form(r, "secret");
	in->nevents = req_form_all(r, "events", in->events, 8);
	if (in->nevents > 8)
		in->nevents = 8;
	if (in->nevents < 0)
		in->nevents = 0;
	in->enabled = en && !strcmp(en, "1");
	in->clear_secret = clr && !strcmp(clr, "1");
}

void act_robot_create(struct req *r)
{
	struct robot_in in;
	struct ctx c;
	int64_t id;
	int rc;

	if (tenant_or_respond(r) < 0)
		return;
	robot_from_request(r, &in);
	web_ctx(r, &c);
	if ((rc = robot_save(&c, 0, &in, &id)) != JB_OK) {
		struct robot_form f = { 0, NULL, &c };
		present_outcome_error(r, &c, rc, robots_page, &f);
		return;
	}
	present(r, 200, &(struct presentation){ .json = json_ok, .redirect = "/admin/robots?done=1" }, NULL);
}

void act_robot_update(struct req *r)
{
	struct robot *w;
	struct robot_in in;
	struct ctx c;
	int64_t id, out;
	int rc;

	if (tenant_or_respond(r) < 0 || id_param_or_respond(r, 0, &id) < 0)
		return;
	robot_from_request(r, &in);
	web_ctx(r, &c);
	if ((rc = robot_save(&c, id, &in, &out)) != JB_OK) {
		struct robot_form f = { id, NULL, &c };
		w = arena_alloc(r->a, sizeof(*w));
		if (rc == JB_EINVALID && robot_get(r->db, r->a, r->tenant_id, id, w) == 0)
			f.was = w;
		present_outcome_error(r, &c, rc, edit_page, &f);
		return;
	}
	present(r, 200, &(struct presentation){ .json = json_ok, .redirect = "/admin/robots?done=1" }, NULL);
}

/* A one-button change on robot or outbox row :id. */
static void act_simple(struct req *r, int (*verb)(struct ctx *, int64_t), const char *back)
{
	struct ctx c;
	int64_t id;
	int rc;

	if (tenant_or_respond(r) < 0 || id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	if ((rc = verb(&c, id)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	present(r, 200, &(struct presentation){ .json = json_ok, .redirect = back }, NULL);
}

void act_robot_delete(struct req *r)
{
	act_simple(r, robot_delete, "/admin/robots?done=1");
}

void act_robot_test(struct req *r)
{
	act_simple(r, robot_test, "/admin/robots?done=1#outbox");
}

void act_outbox_resend(struct req *r)
{
	act_simple(r, outbox_resend, "/admin/robots?done=1#outbox");
}

/* ---- the API: GET /api/v1/robots (robots and the outbox) ---- */

void api_robots(struct req *r)
{
	struct robot *rb;
	struct outbox_row *o;
	const char *state = req_query(r, "state");
	json_t *robots = json_array(), *outbox = json_array();
	int n, no;

	if (tenant_or_respond(r) < 0 || !may_manage(r)) {
		json_decref(robots);
		json_decref(outbox);
		return;
	}
	if (state && strcmp(state, "pending") && strcmp(state, "sent") && strcmp(state, "dead"))
		state = NULL;
	if (robot_list(r->db, r->a, r->tenant_id, &rb, &n) < 0 ||
	    outbox_list(r->db, r->a, r->tenant_id, state, OUTBOX_PAGE, &o, &no) < 0) {
		json_decref(robots);
		json_decref(outbox);
		web_store_error(r);
		return;
	}
	for (int i = 0; i < n; i++)
		json_array_append_new(robots, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:b, s:o, s:o}", "id",
							(json_int_t)rb[i].id, "kind", rb[i].kind, "name", rb[i].name, "url",
							rb[i].url, "events", rb[i].events, "secret_set", rb[i].has_secret,
							"enabled", rb[i].enabled, "created_at", json_at(rb[i].created_at),
							"updated_at", json_at(rb[i].updated_at)));
	for (int i = 0; i < no; i++)
		json_array_append_new(outbox, json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:o, s:o}", "id",
							(json_int_t)o[i].id, "robot_id", (json_int_t)o[i].robot_id, "event",
							o[i].event, "delivery_id", o[i].delivery_id, "state", o[i].state,
							"attempts", (json_int_t)o[i].attempts, "last_error", o[i].last_error,
							"created_at", json_at(o[i].created_at), "sent_at",
							json_at(o[i].sent_at)));
	reply_json(r, 200, json_pack("{s:o, s:o}", "robots", robots, "outbox", outbox));
}
