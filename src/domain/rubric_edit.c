/* rubric_edit.c - editing a batch's rubric (rubric.h, "Editing"): the
 * input's binding and conversion, the lock once scores exist, and the verb
 * that replaces a stage's criteria and bands. */
#include "domain/rubric.h"

#include <string.h>

#include "domain/perm.h"
#include "util/text.h"

static const struct bind_field band_fields[] = {
	BIND_TEXT(struct band_in, label, "分档名称", BIND_REQUIRED, 1, RUBRIC_NAME_MAX),
	BIND_DECIMAL(struct band_in, score, "分档分数", BIND_REQUIRED, 2, 0, RUBRIC_SCORE_MAX),
	BIND_END,
};

static const struct bind_field criterion_fields[] = {
	BIND_TEXT(struct criterion_in, name, "评分项名称", BIND_REQUIRED, 1, RUBRIC_NAME_MAX),
	BIND_INT(struct criterion_in, weight, "权重", BIND_REQUIRED, 1, 100),
	BIND_DECIMAL(struct criterion_in, max, "满分", BIND_REQUIRED, 2, 1, RUBRIC_SCORE_MAX),
	BIND_TEXT(struct criterion_in, description, "评分说明", BIND_MULTILINE, 0, RUBRIC_TEXT_MAX),
	BIND_LIST(struct criterion_in, bands, "分档", 0, RUBRIC_BANDS_MAX, band_fields, struct band_in),
	BIND_TEXT(struct criterion_in, bands_text, "分档", BIND_MULTILINE, 0, RUBRIC_BANDS_TEXT_MAX),
	BIND_END,
};

const struct bind_field rubric_fields[] = {
	BIND_CHOICE(struct rubric_in, stage, "评估类型", 0, eval_stages),
	BIND_LIST(struct rubric_in, criteria, "评分项", BIND_REQUIRED, RUBRIC_CRITERIA_MAX, criterion_fields,
		  struct criterion_in),
	BIND_END,
};

/* "92.5" (points, at most two decimals, at most RUBRIC_SCORE_MAX) ->
 * hundredths; -1 when it is not such a number. */
static int64_t points_parse(const char *s)
{
	int64_t v = 0;
	int frac = -1;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s == '.' && frac < 0 && s[1]) {
			frac = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || frac >= 2 || v > RUBRIC_SCORE_MAX)
			return -1;
		v = v * 10 + (*s - '0');
		if (frac >= 0)
			frac++;
	}
	for (int i = frac < 0 ? 0 : frac; i < 2; i++)
		v *= 10;
	return v > RUBRIC_SCORE_MAX ? -1 : v;
}

/* s without leading and trailing spaces (ASCII and U+3000), on a. */
static char *trimmed(arena *a, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '\r')) {
		s++;
		n--;
	}
	while (n >= 3 && !memcmp(s, "\xe3\x80\x80", 3)) {
		s += 3;
		n -= 3;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	while (n >= 3 && !memcmp(s + n - 3, "\xe3\x80\x80", 3))
		n -= 3;
	return arena_strndup(a, s, n);
}

int rubric_bands_parse(arena *a, const char *text, struct band *out, int *n, int *line)
{
	const char *p = text;
	int ln = 0;

	*n = 0;
	*line = 0;
	while (*p) {
		const char *end = strchr(p, '\n'), *eq;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *row = trimmed(a, p, len);
		size_t sep = 1;
		ln++;
		p += len + (end ? 1 : 0);
		if (!*row)
			continue;
		*line = ln;
		eq = strrchr(row, '=');
		if (!eq && (eq = strstr(row, "\xef\xbc\x9d")))   /* the full-width ＝ */
			sep = 3;
		if (!eq)
			return -1;
		if (*n == RUBRIC_BANDS_MAX)
			return -2;
		out[*n].label = trimmed(a, row, (size_t)(eq - row));
		out[*n].score = points_parse(trimmed(a, eq + sep, strlen(eq + sep)));
		if (!*out[*n].label || out[*n].score < 0)
			return -1;
		(*n)++;
	}
	*line = 0;
	return 0;
}

/* The bands of criterion i of in into c: the list, or the text's lines. */
static int bands_of(struct ctx *c, int i, const struct criterion_in *ci, struct criterion *k)
{
	const struct band_in *b = ci->bands.items;
	int line, rc;

	if (ci->bands_text && *ci->bands_text) {
		rc = rubric_bands_parse(c->a, ci->bands_text, k->bands, &k->nbands, &line);
		if (rc == -2)
			return ctx_invalid(c, arena_printf(c->a, "criteria.%d.bands_text", i), "too_many",
					   arena_printf(c->a, "评分项“%s”最多分 %d 档", ci->name, RUBRIC_BANDS_MAX));
		if (rc < 0)
			return ctx_invalid(c, arena_printf(c->a, "criteria.%d.bands_text", i), "bad_band",
					   arena_printf(c->a, "评分项“%s”分档第 %d 行应为“名称=分数”，如“全面完成=100”",
							ci->name, line));
		return JB_OK;
	}
	for (int j = 0; j < ci->bands.n; j++)
		k->bands[j] = (struct band){ b[j].label, b[j].score };
	k->nbands = ci->bands.n;
	return JB_OK;
}

int rubric_from_input(struct ctx *c, const struct rubric_in *in, struct rubric *r)
{
	const struct criterion_in *ci = in->criteria.items;
	const char *why;
	int rc = JB_OK, at;

	memset(r, 0, sizeof(*r));
	r->n = in->criteria.n;
	for (int i = 0; i < r->n; i++) {
		struct criterion *k = &r->c[i];
		k->name = ci[i].name;
		k->description = ci[i].description ? ci[i].description : "";
		k->weight = (int)ci[i].weight;
		k->max = ci[i].max;
		if (bands_of(c, i, &ci[i], k) != JB_OK)
			rc = JB_EINVALID;
	}
	if (rc != JB_OK)
		return rc;
	if (!(why = rubric_check(r, &at)))
		return JB_OK;
	if (at < 0)
		return ctx_invalid(c, "criteria", "bad_rubric", why);
	return ctx_invalid(c, arena_printf(c->a, "criteria.%d", at), "bad_criterion",
			   arena_printf(c->a, "评分项“%s”：%s", r->c[at].name && *r->c[at].name ? r->c[at].name : "（未命名）",
					why));
}

int rubric_locked(db *d, int64_t tenant_id, int64_t batch_id, const char *stage, bool *locked)
{
	int64_t n = 0;
	db_stmt *st = db_query(d, "SELECT count(*) FROM evaluation e"
				  " JOIN claim k ON k.tenant_id = e.tenant_id AND k.id = e.claim_id"
				  " JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
				  " WHERE e.tenant_id = $1 AND p.batch_id = $2 AND e.stage = $3",
			       "iis", tenant_id, batch_id, stage);
	int rc;

	*locked = false;
	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		n = db_col_int(st, 0);
	db_done(st);
	*locked = n > 0;
	return rc == DB_ROW ? 0 : -1;
}

/* {"stage", "default", "criteria": [{"name", "weight", "max", "bands"}]}:
 * what the audit entry keeps of a rubric. */
static json_t *summary_json(const struct rubric *r, const char *stage)
{
	json_t *cs = json_array();
	char max[24];

	for (int i = 0; i < r->n; i++)
		json_array_append_new(cs, json_pack("{s:s, s:i, s:s, s:i}", "name", r->c[i].name, "weight", r->c[i].weight,
						    "max", score_format(r->c[i].max, max, sizeof(max)), "bands",
						    r->c[i].nbands));
	return json_pack("{s:s, s:b, s:o}", "stage", stage, "default", r->is_default, "criteria", cs);
}

static int write_rubric(struct ctx *c, int64_t batch_id, const char *stage, const struct rubric *r)
{
	int64_t tenant = c->who->tenant_id;

	if (db_run(c->d, "DELETE FROM rubric_band WHERE tenant_id = $1 AND criterion_id IN (SELECT id FROM"
			 " rubric_criterion WHERE tenant_id = $1 AND batch_id = $2 AND stage = $3)",
		   "iis", tenant, batch_id, stage) < 0 ||
	    db_run(c->d, "DELETE FROM rubric_criterion WHERE tenant_id = $1 AND batch_id = $2 AND stage = $3", "iis",
		   tenant, batch_id, stage) < 0)
		return -1;
	for (int i = 0; i < r->n; i++) {
		const struct criterion *k = &r->c[i];
		int64_t id = db_next_id(c->d, tenant, "rubric_criterion");
		if (id < 0 || db_run(c->d, "INSERT INTO rubric_criterion (tenant_id, id, batch_id, stage, position, name,"
					   " weight, max_score, description) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
				     "iiisisiis", tenant, id, batch_id, stage, (int64_t)i, k->name, (int64_t)k->weight, k->max,
				     k->description ? k->description : "") < 0)
			return -1;
		for (int j = 0; j < k->nbands; j++)
			if (db_run(c->d, "INSERT INTO rubric_band (tenant_id, criterion_id, position, label, score)"
					 " VALUES ($1, $2, $3, $4, $5)",
				   "iiisi", tenant, id, (int64_t)j, k->bands[j].label, k->bands[j].score) < 0)
				return -1;
	}
	return 0;
}

struct rubric_change {
	int64_t batch_id;
	const struct rubric_in *in;
};

static int save_verb(struct ctx *c, void *args)
{
	const struct rubric_change *x = args;
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	const char *stage = x->in->stage ? x->in->stage : "final";
	struct rubric old, neu;
	int64_t found = 0;
	bool locked;
	int rc;

	if (!perm_check(c->who, "evaluation.manage", &t))
		return ctx_deny(c, "evaluation.manage", "batch", x->batch_id);
	if ((rc = db_scalar(c->d, "SELECT count(*) FROM batch WHERE tenant_id = $1 AND id = $2", &found, 2,
			    c->who->tenant_id, x->batch_id)) < 0)
		return -1;
	if (!found)
		return ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个批次");
	if ((rc = rubric_from_input(c, x->in, &neu)) != JB_OK)
		return rc;
	if (rubric_locked(c->d, c->who->tenant_id, x->batch_id, stage, &locked) < 0)
		return -1;
	if (locked)
		return ctx_fail(c, JB_ECONFLICT, NULL, "scored",
				arena_printf(c->a, "已有评分，不能修改评分标准（%s）", label_of(eval_stages, stage)));
	if (rubric_load(c->d, c->a, c->who->tenant_id, x->batch_id, stage, &old) < 0 ||
	    write_rubric(c, x->batch_id, stage, &neu) < 0)
		return -1;
	neu.is_default = false;
	return ctx_audit(c, "rubric.update", "batch", x->batch_id, summary_json(&old, stage), summary_json(&neu, stage));
}

int rubric_save(struct ctx *c, int64_t batch_id, const struct rubric_in *in)
{
	struct rubric_change x = { batch_id, in };

	return action_run(c, save_verb, &x);
}
