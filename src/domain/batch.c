/* batch.c - batches and their phases (batch.h). */
#include "domain/batch.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/audit.h"
#include "domain/perm.h"
#include "domain/rubric.h"

#define DAY 86400
#define TZ_OFFSET (8 * 3600) /* Asia/Shanghai, no daylight saving */

static const struct bind_field phase_fields[] = {
	BIND_CHOICE(struct batch_phase_in, phase, "阶段", BIND_REQUIRED, batch_phases),
	BIND_DATE(struct batch_phase_in, starts, "开始日期", BIND_REQUIRED),
	BIND_DATE(struct batch_phase_in, ends, "结束日期", BIND_REQUIRED),
	BIND_END,
};

const struct bind_field batch_fields[] = {
	BIND_TEXT(struct batch_in, name, "批次名称", BIND_REQUIRED, 2, BATCH_NAME_MAX),
	BIND_INT(struct batch_in, year, "年度", BIND_REQUIRED, 2000, 2100),
	BIND_CHOICE(struct batch_in, phase, "当前阶段", 0, batch_phases),
	BIND_BOOL(struct batch_in, by_dates, "按日期自动切换阶段"),
	BIND_LIST(struct batch_in, phases, "阶段日期", 0, PHASE_COUNT, phase_fields, struct batch_phase_in),
	BIND_INT(struct batch_in, max_parallel, "每道难题最多并行的团队数（赛马）", 0, 1, 3),
	BIND_INT(struct batch_in, report_day, "每月报送进展的截止日", 0, 1, 28),
	BIND_INT(struct batch_in, warn_days, "节点临近预警天数", 0, 1, 60),
	BATCH_GRADING_FIELDS,
	BIND_END,
};

const char *batch_date(arena *a, int64_t epoch)
{
	time_t t = (time_t)(epoch + TZ_OFFSET);
	struct tm tm;

	gmtime_r(&t, &tm);
	return arena_printf(a, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* ---- reading ---- */

#define BATCH_COLS "SELECT id, name, year, phase, by_dates, opens_at, closes_at, updated_at, max_parallel, report_day," \
	" warn_days, grade_excellent, grade_good, grade_pass, excellent_cap, notice_days, coalesce(midterm_on, 0)" \
	" FROM batch"

static void fill(arena *a, db_stmt *st, struct batch *b)
{
	memset(b, 0, sizeof(*b));
	b->id = db_col_int(st, 0);
	b->name = arena_strdup(a, db_col_text(st, 1));
	b->year = db_col_int(st, 2);
	b->phase = batch_phase_of(db_col_text(st, 3));
	b->by_dates = db_col_int(st, 4) != 0;
	b->opens_at = db_col_int(st, 5);
	b->closes_at = db_col_int(st, 6);
	b->updated_at = db_col_int(st, 7);
	b->max_parallel = (int)db_col_int(st, 8);
	b->report_day = (int)db_col_int(st, 9);
	b->warn_days = (int)db_col_int(st, 10);
	b->grade_excellent = db_col_int(st, 11);
	b->grade_good = db_col_int(st, 12);
	b->grade_pass = db_col_int(st, 13);
	b->excellent_cap = (int)db_col_int(st, 14);
	b->notice_days = (int)db_col_int(st, 15);
	b->midterm_on = db_col_int(st, 16);
}

/* The dated phases of the n batches in bs. */
static int load_phases(db *d, int64_t tenant_id, struct batch *bs, int n)
{
	db_stmt *st = db_prepare(d, "SELECT batch_id, phase, starts_at, ends_at FROM batch_phase WHERE tenant_id = $1");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		int p = batch_phase_of(db_col_text(st, 1));
		for (int i = 0; i < n && p >= 0; i++)
			if (bs[i].id == id)
				bs[i].dates[p] = (struct batch_dates){ db_col_int(st, 2), db_col_int(st, 3) };
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int batch_get(db *d, arena *a, int64_t tenant_id, int64_t id, struct batch *out)
{
	db_stmt *st = db_prepare(d, BATCH_COLS " WHERE tenant_id = $1 AND id = $2");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		fill(a, st, out);
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	return load_phases(d, tenant_id, out, 1);
}

int batch_list(db *d, arena *a, int64_t tenant_id, struct batch **out, int *n)
{
	db_stmt *st = db_prepare(d, BATCH_COLS " WHERE tenant_id = $1 ORDER BY year DESC, id DESC");
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	while ((rc = db_step(st)) == DB_ROW)
		fill(a, st, ARENA_PUSH(a, *out, *n, cap));
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	return load_phases(d, tenant_id, *out, *n);
}

/* ---- phases ---- */

int batch_phase_now(const struct batch *b, int64_t now)
{
	int last = -1;

	if (!b->by_dates)
		return b->phase < 0 ? PHASE_COLLECTING : b->phase;
	for (int p = 0; p < PHASE_COUNT; p++) {
		const struct batch_dates *dt = &b->dates[p];
		if (!dt->starts)
			continue;
		if (now >= dt->starts && now <= dt->ends)
			return p;
		if (now >= dt->starts)
			last = p;
	}
	/* Before the first phase: collecting has not begun; after a phase
	 * ended and before the next: still the one that ended. */
	return last >= 0 ? last : PHASE_COLLECTING;
}

int64_t batch_as_of(const struct batch *b, int64_t now)
{
	int64_t end = 0;

	if (batch_phase_now(b, now) != PHASE_CLOSED)
		return now;
	for (int p = 0; p < PHASE_COUNT; p++)
		if (b->dates[p].ends > end && p != PHASE_CLOSED)
			end = b->dates[p].ends;
	if (!end)
		end = b->closes_at;
	return end && end < now ? end : now;
}

const char *batch_phase_refusal(arena *a, const struct batch *b, int phase, int64_t now, const char *what)
{
	int cur = batch_phase_now(b, now);
	const struct batch_dates *dt = &b->dates[cur];
	const char *when = "";

	if (cur == phase)
		return NULL;
	if (dt->starts)
		when = arena_printf(a, "（%s 至 %s）", batch_date(a, dt->starts), batch_date(a, dt->ends));
	return arena_printf(a, "“%s”现处于“%s”阶段%s，不能%s；%s在“%s”阶段进行", b->name,
			    batch_phase_info[cur].zh, when, what, what, batch_phase_info[phase].zh);
}

int batch_collecting_now(struct ctx *c, struct batch *out)
{
	struct batch *bs;
	int n, open = 0;

	if (batch_list(c->d, c->a, c->who->tenant_id, &bs, &n) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (batch_phase_now(&bs[i], c->now) == PHASE_COLLECTING)
			*out = bs[open++];
	if (open == 0)
		return ctx_invalid(c, "batch_id", "not_collecting", "目前没有正在征集难题的批次");
	if (open > 1)
		return ctx_invalid(c, "batch_id", "missing_field", "有多个批次正在征集，请选择批次");
	return JB_OK;
}

/* ---- changes ---- */

/* The grade settings' defaults for what is 0 (batch_in). */
static void grading_defaults(struct batch_in *in)
{
	const struct grading g = GRADING_DEFAULT;

	if (!in->grade_excellent)
		in->grade_excellent = g.excellent;
	if (!in->grade_good)
		in->grade_good = g.good;
	if (!in->grade_pass)
		in->grade_pass = g.pass;
	if (!in->notice_days)
		in->notice_days = 5;
}

/* grading_check() on in's settings: rc, or JB_EINVALID with the error. */
static int check_grading(struct ctx *c, const struct batch_in *in, int rc)
{
	struct grading g = { in->grade_excellent, in->grade_good, in->grade_pass, (int)in->excellent_cap };
	const char *why = grading_check(&g);

	if (!why)
		return rc;
	return ctx_invalid(c, in->excellent_cap < 0 || in->excellent_cap > 100 ? "excellent_cap" : "grade_excellent",
			   "bad_grading", why);
}

/* The rules a batch's input must keep; JB_OK or the field errors. Fills
 * dates from in (ends as the last second of its day). */
static int check_input(struct ctx *c, const struct batch_in *in, struct batch_dates dates[PHASE_COUNT])
{
	const struct batch_phase_in *ph = in->phases.items;
	int rc = JB_OK, prev = -1;

	memset(dates, 0, PHASE_COUNT * sizeof(*dates));
	for (int i = 0; i < in->phases.n; i++) {
		int p = batch_phase_of(ph[i].phase);
		const char *field = arena_printf(c->a, "phases.%d.ends", i);
		if (dates[p].starts) {
			rc = ctx_invalid(c, arena_printf(c->a, "phases.%d.phase", i), "phase_twice",
					 arena_printf(c->a, "“%s”阶段填了两次", batch_phase_info[p].zh));
			continue;
		}
		if (ph[i].ends < ph[i].starts) {
			rc = ctx_invalid(c, field, "ends_before_starts",
					 arena_printf(c->a, "“%s”阶段的结束日期早于开始日期", batch_phase_info[p].zh));
			continue;
		}
		dates[p] = (struct batch_dates){ ph[i].starts, ph[i].ends + DAY - 1 };
	}
	for (int p = 0; rc == JB_OK && p < PHASE_COUNT; p++) {
		if (!dates[p].starts)
			continue;
		if (prev >= 0 && dates[p].starts <= dates[prev].ends)
			rc = ctx_invalid(c, "phases", "phases_overlap",
					 arena_printf(c->a, "“%s”阶段应在“%s”阶段结束之后开始", batch_phase_info[p].zh,
						      batch_phase_info[prev].zh));
		prev = p;
	}
	rc = check_grading(c, in, rc);
	if (in->by_dates && !in->phases.n)
		rc = ctx_invalid(c, "phases", "no_dates", "按日期切换阶段时，请至少填写一个阶段的日期");
	if (!in->by_dates && !in->phase)
		rc = ctx_invalid(c, "phase", "missing_field", "请选择当前阶段，或按日期自动切换阶段");
	return rc;
}

static json_t *batch_json(const struct batch_in *in, const struct batch_dates *dates, arena *a)
{
	json_t *ph = json_array();

	for (int p = 0; p < PHASE_COUNT; p++)
		if (dates[p].starts)
			json_array_append_new(ph, json_pack("{s:s, s:s, s:s}", "phase", batch_phase_info[p].code, "starts",
							    batch_date(a, dates[p].starts), "ends", batch_date(a, dates[p].ends)));
	char ex[24], good[24], pass[24];

	return json_pack("{s:s, s:I, s:s?, s:b, s:o, s:I, s:I, s:I, s:s, s:s, s:s, s:I, s:I, s:s?}", "name", in->name,
			 "year", (json_int_t)in->year, "phase", in->phase, "by_dates", in->by_dates, "phases", ph,
			 "max_parallel", (json_int_t)(in->max_parallel ? in->max_parallel : 1), "report_day",
			 (json_int_t)(in->report_day ? in->report_day : 25), "warn_days",
			 (json_int_t)(in->warn_days ? in->warn_days : 7), "grade_excellent",
			 score_format(in->grade_excellent, ex, sizeof(ex)), "grade_good",
			 score_format(in->grade_good, good, sizeof(good)), "grade_pass",
			 score_format(in->grade_pass, pass, sizeof(pass)), "excellent_cap", (json_int_t)in->excellent_cap,
			 "notice_days", (json_int_t)in->notice_days, "midterm_on",
			 in->midterm_on ? batch_date(a, in->midterm_on) : NULL);
}

/* Write the batch row (insert when new) and its phases. */
static int write_batch(struct ctx *c, int64_t id, bool new, const struct batch_in *in,
		       const struct batch_dates *dates)
{
	int64_t opens = 0, closes = 0, tenant = c->who->tenant_id;
	db_stmt *st;
	int rc;

	for (int p = 0; p < PHASE_COUNT; p++) {
		if (dates[p].starts && (!opens || dates[p].starts < opens))
			opens = dates[p].starts;
		if (dates[p].ends > closes)
			closes = dates[p].ends;
	}
	if (!opens) { /* undated: the calendar year */
		opens = bind_parse_date(arena_printf(c->a, "%04lld-01-01", (long long)in->year));
		closes = bind_parse_date(arena_printf(c->a, "%04lld-12-31", (long long)in->year)) + DAY - 1;
	}
	st = db_prepare(c->d, new ? "INSERT INTO batch (tenant_id, id, name, year, phase, by_dates, opens_at, closes_at,"
				    " updated_at, max_parallel, report_day, warn_days, grade_excellent, grade_good,"
				    " grade_pass, excellent_cap, notice_days, midterm_on)"
				    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
				  : "UPDATE batch SET name = $3, year = $4, phase = $5, by_dates = $6, opens_at = $7,"
				    " closes_at = $8, updated_at = $9, max_parallel = $10, report_day = $11, warn_days = $12,"
				    " grade_excellent = $13, grade_good = $14, grade_pass = $15, excellent_cap = $16,"
				    " notice_days = $17, midterm_on = $18 WHERE tenant_id = $1 AND id = $2");
	if (!st)
		return -1;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, id);
	db_bind_text(st, 3, in->name);
	db_bind_int(st, 4, in->year);
	db_bind_text(st, 5, in->phase ? in->phase : batch_phase_info[PHASE_COLLECTING].code);
	db_bind_int(st, 6, in->by_dates);
	db_bind_int(st, 7, opens);
	db_bind_int(st, 8, closes);
	db_bind_int(st, 9, c->now);
	db_bind_int(st, 10, in->max_parallel ? in->max_parallel : 1);
	db_bind_int(st, 11, in->report_day ? in->report_day : 25);
	db_bind_int(st, 12, in->warn_days ? in->warn_days : 7);
	db_bind_int(st, 13, in->grade_excellent);
	db_bind_int(st, 14, in->grade_good);
	db_bind_int(st, 15, in->grade_pass);
	db_bind_int(st, 16, in->excellent_cap);
	db_bind_int(st, 17, in->notice_days);
	db_bind_id(st, 18, in->midterm_on);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	st = db_prepare(c->d, "DELETE FROM batch_phase WHERE tenant_id = $1 AND batch_id = $2");
	if (!st)
		return -1;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, id);
	rc = db_step(st);
	db_done(st);
	for (int p = 0; rc == DB_DONE && p < PHASE_COUNT; p++) {
		if (!dates[p].starts)
			continue;
		st = db_prepare(c->d, "INSERT INTO batch_phase (tenant_id, batch_id, phase, starts_at, ends_at)"
				      " VALUES ($1, $2, $3, $4, $5)");
		if (!st)
			return -1;
		db_bind_int(st, 1, tenant);
		db_bind_int(st, 2, id);
		db_bind_text(st, 3, batch_phase_info[p].code);
		db_bind_int(st, 4, dates[p].starts);
		db_bind_int(st, 5, dates[p].ends);
		rc = db_step(st);
		db_done(st);
	}
	return rc == DB_DONE ? 0 : -1;
}

/* Whether another batch of the tenant (not id) has name. 1 yes, 0 no, -1. */
static int name_taken(struct ctx *c, const char *name, int64_t id)
{
	db_stmt *st = db_prepare(c->d, "SELECT count(*) FROM batch WHERE tenant_id = $1 AND name = $2 AND id <> $3");
	int64_t n = -1;

	if (!st)
		return -1;
	db_bind_int(st, 1, c->who->tenant_id);
	db_bind_text(st, 2, name);
	db_bind_int(st, 3, id);
	if (db_step(st) == DB_ROW)
		n = db_col_int(st, 0);
	db_done(st);
	return n < 0 ? -1 : n > 0;
}

struct batch_change {
	int64_t id;
	struct batch_in *in;
};

static int save_verb(struct ctx *c, void *args)
{
	struct batch_change *x = args;
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	struct batch_dates dates[PHASE_COUNT];
	json_t *before = NULL;
	struct batch old;
	int rc;

	if (!perm_check(c->who, "batch.manage", &t))
		return ctx_deny(c, "batch.manage", "batch", x->id);
	if (x->id) {
		rc = batch_get(c->d, c->a, c->who->tenant_id, x->id, &old);
		if (rc)
			return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个批次");
	}
	grading_defaults(x->in);
	if ((rc = check_input(c, x->in, dates)) != JB_OK)
		return rc;
	if ((rc = name_taken(c, x->in->name, x->id)) != 0)
		return rc < 0 ? -1 : ctx_fail(c, JB_ECONFLICT, "name", "name_taken", "已有同名的批次");
	if (x->id) {
		struct batch_in was = { old.name, old.year, batch_phase_info[old.phase].code, old.by_dates, { 0 },
					old.max_parallel, old.report_day, old.warn_days, old.grade_excellent,
					old.grade_good, old.grade_pass, old.excellent_cap, old.notice_days,
					old.midterm_on };
		before = batch_json(&was, old.dates, c->a);
	} else if ((x->id = db_next_id(c->d, c->who->tenant_id, "batch")) < 0) {
		return -1;
	}
	if (write_batch(c, x->id, before == NULL, x->in, dates) < 0) {
		json_decref(before);
		return -1;
	}
	return ctx_audit(c, before ? "batch.update" : "batch.create", "batch", x->id, before, batch_json(x->in, dates, c->a));
}

int batch_create(struct ctx *c, struct batch_in *in, int64_t *id)
{
	struct batch_change x = { 0, in };
	int rc = action_run(c, save_verb, &x);

	*id = rc == JB_OK ? x.id : 0;
	return rc;
}

int batch_update(struct ctx *c, int64_t id, struct batch_in *in)
{
	struct batch_change x = { id, in };

	return action_run(c, save_verb, &x);
}
