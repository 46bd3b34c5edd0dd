/* timeline.c - audit entries in words (timeline.h): titles, details built
 * from before/after, actors as the reader may see them. */
#include "domain/timeline.h"

#include <jansson.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "domain/labels.h"
#include "domain/state.h"
#include "util/buf.h"

#define TZ_OFFSET (8 * 3600) /* Asia/Shanghai, as the pages show times */

/* ---- names of the objects entries point at, looked up once per reader ---- */

enum lookup { LK_PERSON, LK_UNIT, LK_BATCH, LK_CATEGORY, LK_PROBLEM, LK_USER, LK_TOKEN, LK_TENANT, LK_COUNT };

/* Each gives (name, visible): visible is 0 only for a problem that is not
 * public. $1 the tenant, $2 the id. */
static const char *const lookup_sql[LK_COUNT] = {
	"SELECT name, 1 FROM person WHERE tenant_id = $1 AND id = $2",
	"SELECT name, 1 FROM unit WHERE tenant_id = $1 AND id = $2",
	"SELECT name, 1 FROM batch WHERE tenant_id = $1 AND id = $2",
	"SELECT name, 1 FROM category WHERE tenant_id = $1 AND id = $2",
	"SELECT title, CASE WHEN is_public = 1 AND state IN " STATE_SQL_PUBLIC " THEN 1 ELSE 0 END"
	" FROM problem WHERE tenant_id = $1 AND id = $2",
	"SELECT login, 1 FROM app_user WHERE tenant_id = $1 AND id = $2",
	"SELECT name, 1 FROM api_token WHERE tenant_id = $1 AND id = $2",
	"SELECT name, 1 FROM tenant WHERE id = $1 AND id = $2",
};

static const char user_sql[] =
	"SELECT u.id, coalesce(p.name, ''), coalesce(n.name, '') FROM app_user u"
	" LEFT JOIN person p ON p.tenant_id = u.tenant_id AND p.id = u.person_id"
	" LEFT JOIN unit n ON n.tenant_id = u.tenant_id AND n.id = coalesce(u.unit_id, p.unit_id)"
	" WHERE u.tenant_id = $1 AND u.login = $2";
static const char roles_sql[] = "SELECT role FROM user_role WHERE tenant_id = $1 AND user_id = $2";

struct name {
	enum lookup kind;
	int64_t id;
	const char *text;       /* "" when there is no such object */
	bool visible;
};

struct account {
	const char *login;
	const char *person, *unit; /* "" when not linked */
	unsigned roles;
	bool found;
};

/* One reader of many entries. A failed lookup is sticky (failed) and
 * reads as "": the renderers stay straight-line and the caller checks once. */
struct reader {
	db *d;
	arena *a;
	int64_t tenant;
	bool full;              /* may read the audit log */
	bool failed;
	struct name *names;
	int nnames, cap_names;
	struct account *accounts;
	int naccounts, cap_accounts;
};

static const struct name *lookup(struct reader *rd, enum lookup kind, int64_t id)
{
	struct name *nm;
	db_stmt *st;
	int rc;

	for (int i = 0; i < rd->nnames; i++)
		if (rd->names[i].kind == kind && rd->names[i].id == id)
			return &rd->names[i];
	nm = ARENA_PUSH(rd->a, rd->names, rd->nnames, rd->cap_names);
	*nm = (struct name){ kind, id, "", false };
	st = db_query(rd->d, lookup_sql[kind], "ii", rd->tenant, id);
	if (!st) {
		rd->failed = true;
		return nm;
	}
	rc = db_step(st);
	if (rc == DB_ROW) {
		nm->text = arena_strdup(rd->a, db_col_text(st, 0));
		nm->visible = db_col_int(st, 1) != 0;
	}
	db_done(st);
	if (rc == DB_ERROR)
		rd->failed = true;
	return nm;
}

static int read_roles(struct reader *rd, int64_t user_id, unsigned *roles)
{
	db_stmt *st = db_query(rd->d, roles_sql, "ii", rd->tenant, user_id);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		*roles |= role_bit(db_col_text(st, 0));
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

static const struct account *account_of(struct reader *rd, const char *login)
{
	struct account *ac;
	int64_t id = 0;
	db_stmt *st;
	int rc;

	for (int i = 0; i < rd->naccounts; i++)
		if (!strcmp(rd->accounts[i].login, login))
			return &rd->accounts[i];
	ac = ARENA_PUSH(rd->a, rd->accounts, rd->naccounts, rd->cap_accounts);
	*ac = (struct account){ arena_strdup(rd->a, login), "", "", 0, false };
	st = db_query(rd->d, user_sql, "is", rd->tenant, login);
	if (!st) {
		rd->failed = true;
		return ac;
	}
	rc = db_step(st);
	if (rc == DB_ROW) {
		id = db_col_int(st, 0);
		ac->person = arena_strdup(rd->a, db_col_text(st, 1));
		ac->unit = arena_strdup(rd->a, db_col_text(st, 2));
		ac->found = true;
	}
	db_done(st);
	if (rc == DB_ERROR || (id && read_roles(rd, id, &ac->roles) < 0))
		rd->failed = true;
	return ac;
}

/* ---- actors ---- */

static const char *first_role(unsigned roles)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (roles & (1u << i))
			return role_names[i];
	return "工作人员";
}

/* Who acted, as the reader may see it (timeline.h). */
static void describe_actor(struct reader *rd, const struct audit_entry *e, struct audit_text *t)
{
	const struct account *ac;

	if (!strcmp(e->actor, "anonymous")) {
		t->actor = !strcmp(e->object_type, "problem") || !strcmp(e->object_type, "complaint") ? "群众" : "未登录访客";
		return;
	}
	if (!strcmp(e->actor, "cli") || !strcmp(e->actor, "system")) { /* "system": the demo's own entries */
		t->actor = "系统";
		return;
	}
	ac = account_of(rd, e->actor);
	if (!rd->full) {
		t->actor = *ac->unit ? ac->unit : first_role(ac->roles);
		return;
	}
	t->login = ac->login;
	if (*ac->person)
		t->actor = *ac->unit ? arena_printf(rd->a, "%s（%s）", ac->person, ac->unit) : ac->person;
	else
		t->actor = *ac->unit ? arena_printf(rd->a, "%s（%s）", ac->login, ac->unit) : ac->login;
}

/* ---- reading before/after ---- */

/* One entry being described: its parsed JSON (empty objects when absent
 * or not an object) and the detail line being built. */
struct ev {
	struct reader *rd;
	const struct audit_entry *e;
	json_t *before, *after;
	struct audit_text *t;
	buf line;
};

static json_t *parse(const char *text)
{
	json_t *o = *text ? json_loads(text, 0, NULL) : NULL;

	if (!json_is_object(o)) {
		json_decref(o);
		o = json_object();
	}
	return o;
}

/* A string field copied to the arena, or NULL. */
static const char *str(struct ev *v, json_t *o, const char *key)
{
	json_t *x = json_object_get(o, key);

	return json_is_string(x) ? arena_strdup(v->rd->a, json_string_value(x)) : NULL;
}

static bool num(json_t *o, const char *key, int64_t *out)
{
	json_t *x = json_object_get(o, key);

	if (!json_is_integer(x))
		return false;
	*out = json_integer_value(x);
	return true;
}

static bool yes(json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

/* Append one part of the detail, "；" between parts. */
static void part(struct ev *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void part(struct ev *v, const char *fmt, ...)
{
	va_list ap;

	if (v->line.len)
		buf_puts(&v->line, "；");
	va_start(ap, fmt);
	buf_vprintf(&v->line, fmt, ap);
	va_end(ap);
}

static const char *state_zh(const char *code)
{
	const char *zh = label_of(problem_states, code);

	return zh ? zh : "未知状态";
}

static const char *phase_zh(const char *code)
{
	const char *zh = label_of(batch_phases, code);

	return zh ? zh : "未知阶段";
}

/* A reference field as a name: the text itself, or the name of the id in
 * key or key_id; NULL when absent. */
static const char *named(struct ev *v, json_t *o, const char *key, enum lookup kind)
{
	const char *s = str(v, o, key);
	int64_t id;

	if (s)
		return s;
	if (!num(o, key, &id) && !num(o, arena_printf(v->rd->a, "%s_id", key), &id))
		return NULL;
	s = id > 0 ? lookup(v->rd, kind, id)->text : "";
	return *s ? s : arena_printf(v->rd->a, "#%lld", (long long)id);
}

/* An optional id (null, absent or 0: none) as a name, "无" for none. */
static const char *ref(struct ev *v, json_t *o, const char *key, enum lookup kind)
{
	int64_t id;
	const char *s;

	if (!num(o, key, &id) || id <= 0)
		return "无";
	s = lookup(v->rd, kind, id)->text;
	return *s ? s : arena_printf(v->rd->a, "#%lld", (long long)id);
}

/* "干部、考评组成员" from a JSON array of role codes; "无" when empty. */
static const char *roles_zh(struct ev *v, json_t *o, const char *key)
{
	json_t *arr = json_object_get(o, key), *x;
	unsigned bits = 0;
	size_t i;
	buf b = BUF_INIT;
	const char *s;

	json_array_foreach(arr, i, x)
		bits |= json_is_string(x) ? role_bit(json_string_value(x)) : 0;
	for (int r = 0; r < ROLE_COUNT; r++)
		if (bits & (1u << r)) {
			if (b.len)
				buf_puts(&b, "、");
			buf_puts(&b, role_names[r]);
		}
	s = arena_strdup(v->rd->a, b.len ? b.s : "无");
	buf_release(&b);
	return s;
}

static const char *clock_of(struct reader *rd, int64_t epoch)
{
	time_t t = (time_t)(epoch + TZ_OFFSET);
	struct tm tm;
	char s[24];

	gmtime_r(&t, &tm);
	strftime(s, sizeof(s), "%Y-%m-%d %H:%M", &tm);
	return arena_strdup(rd->a, s);
}

/* ---- one renderer per action ---- */

/* problem.select/reject/merge/return/publish/withdraw: after {from, to,
 * reason?, into?, publication_id?, round?}. */
static void render_transition(struct ev *v)
{
	struct audit_text *t = v->t;
	int64_t into, round;

	t->from = str(v, v->after, "from");
	t->to = str(v, v->after, "to");
	t->reason = str(v, v->after, "reason");
	if (t->reason && !*t->reason)
		t->reason = NULL;
	if (t->from && t->to && strcmp(t->from, t->to))
		part(v, "由“%s”变为“%s”", state_zh(t->from), state_zh(t->to));
	if (num(v->after, "into", &into) && into > 0) {
		const struct name *nm = lookup(v->rd, LK_PROBLEM, into);
		if (*nm->text && (nm->visible || v->rd->full))
			part(v, "并入：#%lld %s", (long long)into, nm->text);
		else
			part(v, "并入：#%lld", (long long)into);
	}
	if (num(v->after, "round", &round) && round > 0)
		part(v, "第%lld轮发榜", (long long)round);
	if (t->reason)
		part(v, "理由：%s", t->reason);
}

/* problem.claimed / pledged / solved / resumed / reopened (claim.c): after
 * {from, to, claim_id, unit, reason?}. */
static void render_claim_step(struct ev *v)
{
	const char *unit = str(v, v->after, "unit");

	render_transition(v);
	if (unit && *unit)
		part(v, "揭榜单位：%s", unit);
}

/* problem.noticed / finalized (notice.c): after {notice_id, claim_id, unit,
 * starts_on?, ends_on, working_days?}. */
static void render_notice_step(struct ev *v)
{
	const char *starts = str(v, v->after, "starts_on"), *ends = str(v, v->after, "ends_on");
	const char *unit = str(v, v->after, "unit");
	int64_t days = 0;

	if (starts && ends && num(v->after, "working_days", &days))
		part(v, "公示期：%s 至 %s（%lld 个工作日）", starts, ends, (long long)days);
	else if (ends)
		part(v, "公示期至 %s 届满", ends);
	if (unit && *unit)
		part(v, "揭榜单位：%s", unit);
}

/* problem.propose / propose_public: after {title, category, batch, unit ...};
 * a resident's contact fields are never read. */
static void render_propose(struct ev *v)
{
	static const struct { const char *key, *zh; enum lookup kind; } refs[] = {
		{ "category", "类别", LK_CATEGORY }, { "batch", "批次", LK_BATCH }, { "unit", "出卷单位", LK_UNIT },
	};
	const char *title = str(v, v->after, "title");

	if (title)
		part(v, "“%s”", title);
	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		const char *s = named(v, v->after, refs[i].key, refs[i].kind);
		if (s && *s)
			part(v, "%s：%s", refs[i].zh, s);
	}
}

/* problem.screen_update: before/after {category, priority}. A reader who
 * may not see priorities sees only a change of category, or nothing. */
static void render_screen_update(struct ev *v)
{
	const char *was = named(v, v->before, "category", LK_CATEGORY);
	const char *is = named(v, v->after, "category", LK_CATEGORY);
	int64_t p0 = 0, p1 = 0;
	bool p_was = num(v->before, "priority", &p0), p_is = num(v->after, "priority", &p1);

	if (is && was && strcmp(was, is))
		part(v, "类别：%s → %s", was, is);
	else if (is && !was)
		part(v, "类别：%s", is);
	if (v->rd->full && p_is && (!p_was || p0 != p1)) {
		if (p_was)
			part(v, "优先级：%lld → %lld", (long long)p0, (long long)p1);
		else
			part(v, "优先级：%lld", (long long)p1);
	}
	if (!v->line.len && !v->rd->full)
		v->t->hidden = true;
}

/* problem.revise: the fields the proposer changed (after, or a "fields"
 * list of their names). */
static void render_revise(struct ev *v)
{
	static const struct label fields[] = {
		{ "title", "标题" }, { "description", "问题描述" }, { "expected_outcome", "期望成效" },
		{ "category", "类别" }, { "category_id", "类别" }, { "residents_concern", "是否群众关切" },
		{ NULL, NULL },
	};
	json_t *list = json_object_get(v->after, "fields"), *x;
	buf b = BUF_INIT;
	size_t i;

	for (const struct label *f = fields; f->code; f++) {
		bool listed = false;
		json_array_foreach(list, i, x)
			listed = listed || (json_is_string(x) && !strcmp(json_string_value(x), f->code));
		json_t *now = json_object_get(v->after, f->code), *then = json_object_get(v->before, f->code);
		if (!listed && (!now || json_equal(now, then)))
			continue;
		if (strstr(b.s, f->zh))
			continue; /* category and category_id */
		if (b.len)
			buf_puts(&b, "、");
		buf_puts(&b, f->zh);
	}
	if (b.len)
		part(v, "修改了%s", b.s);
	buf_release(&b);
}

/* publication.create: after {batch_id, round, n}. */
static void render_publication(struct ev *v)
{
	const char *batch = named(v, v->after, "batch", LK_BATCH);
	int64_t round, n;

	if (batch)
		part(v, "%s", batch);
	if (num(v->after, "round", &round))
		part(v, "第%lld轮发榜", (long long)round);
	if (num(v->after, "n", &n))
		part(v, "共 %lld 个难题", (long long)n);
}

/* problem.carry: the batch it left and the one it went into. */
static void render_carry(struct ev *v)
{
	const char *from = named(v, v->before, "batch", LK_BATCH), *to = named(v, v->after, "batch", LK_BATCH);

	if (from && to)
		part(v, "由“%s”转入“%s”", from, to);
	else if (to)
		part(v, "转入“%s”", to);
}

/* complaint.create / answer: its kind and reference only; what it says and
 * who sent it stay in the complaint. */
static void render_complaint(struct ev *v)
{
	const char *kind = str(v, v->after, "kind"), *ref_no = str(v, v->after, "ref");

	if (kind && (!strcmp(kind, "complaint") || !strcmp(kind, "suggestion")))
		part(v, "%s", !strcmp(kind, "complaint") ? "投诉" : "建议");
	if (ref_no)
		part(v, "编号 %s", ref_no);
}

static void render_session(struct ev *v)
{
	if (yes(v->after, "rehashed"))
		part(v, "密码存储已按新参数更新");
}

/* user.create: after {login, roles, person_id, unit_id, must_change}. */
static void render_user_create(struct ev *v)
{
	const char *login = str(v, v->after, "login");
	const char *person = ref(v, v->after, "person_id", LK_PERSON), *unit = ref(v, v->after, "unit_id", LK_UNIT);

	if (login)
		part(v, "登录名 %s", login);
	part(v, "角色：%s", roles_zh(v, v->after, "roles"));
	if (strcmp(person, "无"))
		part(v, "人员：%s", person);
	if (strcmp(unit, "无"))
		part(v, "单位：%s", unit);
	if (yes(v->after, "must_change"))
		part(v, "首次登录须修改密码");
}

static void render_user_roles(struct ev *v)
{
	part(v, "%s → %s", roles_zh(v, v->before, "roles"), roles_zh(v, v->after, "roles"));
}

/* user.link: before/after {person_id, unit_id}; the changed ones. */
static void render_user_link(struct ev *v)
{
	static const struct { const char *key, *zh; enum lookup kind; } refs[] = {
		{ "person_id", "人员", LK_PERSON }, { "unit_id", "单位", LK_UNIT },
	};

	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		const char *was = ref(v, v->before, refs[i].key, refs[i].kind);
		const char *is = ref(v, v->after, refs[i].key, refs[i].kind);
		if (strcmp(was, is))
			part(v, "%s：%s → %s", refs[i].zh, was, is);
	}
	if (!v->line.len)
		part(v, "未作改动");
}

static void render_user_password(struct ev *v)
{
	if (yes(v->after, "must_change"))
		part(v, "须在下次登录时修改密码");
}

static void render_user_reset(struct ev *v)
{
	part(v, "已生成临时密码，须在下次登录时修改");
}

static void render_token_create(struct ev *v)
{
	const char *name = str(v, v->after, "name");

	if (name)
		part(v, "名称“%s”", name);
}

/* demo.create: after {name, ...} of the tenant or batch it made. */
static void render_demo(struct ev *v)
{
	const char *name = str(v, v->after, "name");

	if (name)
		part(v, "名称“%s”", name);
}

static void render_domain(struct ev *v)
{
	const char *host = str(v, v->after, "host");

	if (!host)
		host = str(v, v->before, "host");
	if (host)
		part(v, "域名 %s", host);
}

/* The phases and dates of a batch as "征集 2027-01-01 至 2027-02-28，……". */
static const char *phase_dates(struct ev *v, json_t *o)
{
	json_t *arr = json_object_get(o, "phases"), *x;
	buf b = BUF_INIT;
	size_t i;
	const char *s;

	json_array_foreach(arr, i, x) {
		const char *p = str(v, x, "phase"), *from = str(v, x, "starts"), *to = str(v, x, "ends");
		if (!p)
			continue;
		if (b.len)
			buf_puts(&b, "，");
		buf_printf(&b, "%s %s 至 %s", phase_zh(p), from ? from : "", to ? to : "");
	}
	s = arena_strdup(v->rd->a, b.len ? b.s : "无");
	buf_release(&b);
	return s;
}

static const char *phase_zh_or_none(struct ev *v, json_t *o)
{
	const char *p = str(v, o, "phase");

	return p ? phase_zh(p) : "无";
}

/* How the batch's phase is set: "按日期切换阶段" or "当前阶段：征集". */
static const char *batch_mode(struct ev *v, json_t *o)
{
	if (yes(o, "by_dates"))
		return "按日期切换阶段";
	return arena_printf(v->rd->a, "当前阶段：%s", phase_zh_or_none(v, o));
}

/* batch.create / update: after {name, year, phase, by_dates, phases}; an
 * update lists what changed. */
static void render_batch(struct ev *v)
{
	const char *name = str(v, v->after, "name"), *was = str(v, v->before, "name");
	int64_t year = 0, was_year = 0;
	bool has_year = num(v->after, "year", &year);

	if (!json_object_size(v->before)) {
		if (name)
			part(v, "名称“%s”", name);
		if (has_year)
			part(v, "年度 %lld", (long long)year);
		part(v, "%s", batch_mode(v, v->after));
		if (yes(v->after, "by_dates"))
			part(v, "%s", phase_dates(v, v->after));
		return;
	}
	if (name && was && strcmp(name, was))
		part(v, "名称：“%s” → “%s”", was, name);
	if (has_year && num(v->before, "year", &was_year) && year != was_year)
		part(v, "年度：%lld → %lld", (long long)was_year, (long long)year);
	if (yes(v->before, "by_dates") != yes(v->after, "by_dates"))
		part(v, "%s", yes(v->after, "by_dates") ? "改为按日期切换阶段" : batch_mode(v, v->after));
	else if (!yes(v->after, "by_dates") && strcmp(batch_mode(v, v->before), batch_mode(v, v->after)))
		part(v, "当前阶段：%s → %s", phase_zh_or_none(v, v->before), phase_zh_or_none(v, v->after));
	if (!json_equal(json_object_get(v->before, "phases"), json_object_get(v->after, "phases")))
		part(v, "阶段日期：%s", phase_dates(v, v->after));
	if (!v->line.len)
		part(v, "未作改动");
}

/* refusal.summary: after {addr, count, since, until}. */
static void render_summary(struct ev *v)
{
	const char *addr = str(v, v->after, "addr");
	int64_t count = 0, since = 0, until = 0;

	num(v->after, "count", &count);
	num(v->after, "since", &since);
	num(v->after, "until", &until);
	part(v, "来自 %s 的 %lld 次未登录请求被拒绝（%s 至 %s），只记此一条", addr ? addr : "未知地址",
	     (long long)count, clock_of(v->rd, since), clock_of(v->rd, until));
}

/* A failed log-in or a refused action: after {reason, login?}. */
static void render_refusal(struct ev *v)
{
	const char *reason = str(v, v->after, "reason"), *login = str(v, v->after, "login");
	const char *zh = label_of(audit_reasons, reason);

	if (reason)
		part(v, "原因：%s", zh ? zh : "其他");
	if (login)
		part(v, "登录名“%s”", login);
}

static const struct {
	const char *action;
	void (*fn)(struct ev *);
} renderers[] = {
	{ "problem.select", render_transition },
	{ "problem.reject", render_transition },
	{ "problem.merge", render_transition },
	{ "problem.return", render_transition },
	{ "problem.publish", render_transition },
	{ "problem.withdraw", render_transition },
	{ "problem.propose", render_propose },
	{ "problem.propose_public", render_propose },
	{ "problem.screen_update", render_screen_update },
	{ "problem.revise", render_revise },
	{ "publication.create", render_publication },
	{ "problem.carry", render_carry },
	{ "problem.claimed", render_claim_step },
	{ "problem.pledged", render_claim_step },
	{ "problem.solved", render_claim_step },
	{ "problem.resumed", render_claim_step },
	{ "problem.accepted", render_claim_step },
	{ "problem.reopened", render_claim_step },
	{ "problem.noticed", render_notice_step },
	{ "problem.finalized", render_notice_step },
	{ "complaint.create", render_complaint },
	{ "complaint.answer", render_complaint },
	{ "session.create", render_session },
	{ "user.create", render_user_create },
	{ "user.roles", render_user_roles },
	{ "user.link", render_user_link },
	{ "user.password", render_user_password },
	{ "user.password_reset", render_user_reset },
	{ "token.create", render_token_create },
	{ "tenant.domain_add", render_domain },
	{ "tenant.domain_remove", render_domain },
	{ "batch.create", render_batch },
	{ "batch.update", render_batch },
	{ "demo.create", render_demo },
};

/* ---- entries ---- */

/* The lookup naming an object type, or LK_COUNT when it has none. */
static enum lookup object_kind(const char *type)
{
	static const struct { const char *type; enum lookup kind; } kinds[] = {
		{ "user", LK_USER }, { "api_token", LK_TOKEN }, { "batch", LK_BATCH }, { "problem", LK_PROBLEM },
		{ "person", LK_PERSON }, { "unit", LK_UNIT }, { "category", LK_CATEGORY }, { "tenant", LK_TENANT },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].type, type))
			return kinds[i].kind;
	return LK_COUNT;
}

/* "用户 #5 zhang", "页面"; "" when the entry names no object. */
static const char *describe_object(struct reader *rd, const struct audit_entry *e)
{
	const char *type = label_of(audit_objects, e->object_type);
	enum lookup kind = object_kind(e->object_type);
	const char *name = "";

	if (!*e->object_type)
		return "";
	if (!type)
		type = "其他对象";
	if (!e->object_id)
		return type;
	if (kind != LK_COUNT) {
		const struct name *nm = lookup(rd, kind, e->object_id);
		if (kind != LK_PROBLEM || nm->visible || rd->full)
			name = nm->text;
	}
	return *name ? arena_printf(rd->a, "%s #%lld %s", type, (long long)e->object_id, name)
		     : arena_printf(rd->a, "%s #%lld", type, (long long)e->object_id);
}

static void describe_one(struct reader *rd, const struct audit_entry *e, struct audit_text *t)
{
	const char *title = label_of(audit_actions, e->action);
	struct ev v = { rd, e, parse(e->before_json), parse(e->after_json), t, BUF_INIT };

	*t = (struct audit_text){ .title = title ? title : "其他操作" };
	describe_actor(rd, e, t);
	t->object = describe_object(rd, e);
	if (!strcmp(e->action, "refusal.summary")) {
		render_summary(&v);
	} else if (strcmp(e->outcome, AUDIT_OK)) {
		render_refusal(&v);
	} else {
		for (size_t i = 0; i < sizeof(renderers) / sizeof(renderers[0]); i++)
			if (!strcmp(renderers[i].action, e->action)) {
				renderers[i].fn(&v);
				break;
			}
	}
	t->detail = arena_strdup(rd->a, v.line.s);
	buf_release(&v.line);
	json_decref(v.before);
	json_decref(v.after);
}

static void reader_init(struct reader *rd, db *d, arena *a, int64_t tenant_id, const struct principal *who)
{
	struct perm_target all = { tenant_id, 0, 0, false };

	*rd = (struct reader){ .d = d, .a = a, .tenant = tenant_id };
	rd->full = who && perm_check(who, "audit.read", &all);
}

int timeline_describe(db *d, arena *a, int64_t tenant_id, const struct principal *who,
		      const struct audit_entry *e, int n, struct audit_text *out)
{
	struct reader rd;

	reader_init(&rd, d, a, tenant_id, who);
	for (int i = 0; i < n && !rd.failed; i++)
		describe_one(&rd, &e[i], &out[i]);
	return rd.failed ? -1 : 0;
}

int timeline_problem(db *d, arena *a, int64_t tenant_id, int64_t problem_id, const struct principal *who,
		     struct timeline_entry **out, int *n, bool *more)
{
	struct audit_filter f = { .object_type = "problem", .object_id = problem_id, .outcome = AUDIT_OK,
				  .oldest_first = true, .limit = 200 };
	struct timeline_entry *tl = NULL;
	int cap = 0, got;
	struct reader rd;
	bool again = true;

	*out = NULL;
	*n = 0;
	*more = false;
	reader_init(&rd, d, a, tenant_id, who);
	while (again && !*more) {
		struct audit_entry *e;
		if (audit_list(d, a, tenant_id, &f, &e, &got, &again) < 0)
			return -1;
		for (int i = 0; i < got; i++) {
			struct audit_text t;
			describe_one(&rd, &e[i], &t);
			if (rd.failed)
				return -1;
			if (t.hidden)
				continue;
			if (*n == TIMELINE_MAX) {
				*more = true;
				break;
			}
			*ARENA_PUSH(a, tl, *n, cap) = (struct timeline_entry){ e[i].at, e[i].action, t };
		}
		if (got)
			f.after_id = e[got - 1].id;
	}
	*out = tl;
	return 0;
}
