/* bind.c - the request binder (bind.h). */
#include "domain/bind.h"

#include <stdio.h>
#include <string.h>

#include "util/text.h"

/* One object being bound: JSON members of obj, or form pairs whose keys
 * start with prefix ("" at the top, "milestones.2." inside a list). */
struct node {
	const struct bind_src *src;
	const json_t *obj;
	const char *prefix;
};

/* What a field was sent as: its text (NULL when absent), how many values
 * there were, and for JSON the value itself. */
struct sent {
	const char *text;
	int count;
	const json_t *json;
	bool bad_json;              /* an object, or an array where one value belongs */
};

static const char *full_name(struct ctx *c, const struct node *n, const char *name)
{
	return *n->prefix ? arena_printf(c->a, "%s%s", n->prefix, name) : name;
}

static int field_error(struct ctx *c, const struct node *n, const struct bind_field *f, const char *code,
		       const char *message)
{
	return ctx_invalid(c, full_name(c, n, f->name), code, message);
}

/* JSON scalar as text on a; NULL for null, objects and arrays. */
static const char *json_text(struct ctx *c, const json_t *v)
{
	if (json_is_string(v))
		return arena_strndup(c->a, json_string_value(v), json_string_length(v));
	if (json_is_integer(v))
		return arena_printf(c->a, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return arena_printf(c->a, "%.15g", json_real_value(v));
	if (json_is_true(v))
		return "true";
	if (json_is_false(v))
		return "false";
	return NULL;
}

static struct sent lookup(struct ctx *c, const struct node *n, const char *name)
{
	struct sent s = { 0 };

	if (n->obj) {
		const json_t *v = json_object_get(n->obj, name);
		s.json = v;
		if (!v || json_is_null(v))
			return s;
		if (json_is_array(v)) {
			s.count = (int)json_array_size(v);
			s.text = s.count ? json_text(c, json_array_get(v, 0)) : NULL;
			return s;
		}
		s.count = 1;
		s.text = json_text(c, v);
		s.bad_json = !s.text;
		return s;
	}
	const char *key = full_name(c, n, name);
	for (int i = 0; i < n->src->npairs; i++) {
		if (strcmp(n->src->pairs[i].key, key))
			continue;
		if (!s.count++)
			s.text = n->src->pairs[i].val;
	}
	return s;
}

/* ---- scalars ---- */

static bool text_ok(const char *s, size_t len, bool multiline)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == 0 || ch == 0x7f || (ch < 0x20 && !(multiline && (ch == '\n' || ch == '\t' || ch == '\r'))))
			return false;
	}
	return utf8_valid(s, len);
}

/* "12.5" with scale 2 -> 1250; -1 when it is not such a number. */
static int parse_decimal(const char *s, int scale, int64_t *out)
{
	int64_t v = 0;
	int frac = -1;
	bool neg = *s == '-';

	if (neg)
		s++;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s == '.' && frac < 0 && s[1]) {
			frac = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || frac >= scale || v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
		if (frac >= 0)
			frac++;
	}
	for (int i = frac < 0 ? 0 : frac; i < scale; i++) {
		if (v > INT64_MAX / 10)
			return -1;
		v *= 10;
	}
	*out = neg ? -v : v;
	return 0;
}

static bool parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "true", "on", "yes" }, *const no[] = { "0", "false", "off", "no", "" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!strcmp(s, yes[i]))
			return (*out = true);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (!strcmp(s, no[i]))
			return !(*out = false);
	return false;
}

/* A decimal scaled by 10^scale, as text ("12.50"), for messages. */
static const char *decimal_text(struct ctx *c, int64_t v, int scale)
{
	int64_t p = 1;

	for (int i = 0; i < scale; i++)
		p *= 10;
	if (!scale)
		return arena_printf(c->a, "%lld", (long long)v);
	return arena_printf(c->a, "%s%lld.%0*lld", v < 0 ? "-" : "", (long long)(v < 0 ? -(v / p) : v / p), scale,
			    (long long)(v < 0 ? -(v % p) : v % p));
}

/* Bind one scalar field from s into the struct at base. */
static int bind_scalar(struct ctx *c, const struct node *n, const struct bind_field *f, const struct sent *s,
		       char *base)
{
	void *dst = base + f->offset;
	const char *t = s->text;
	int64_t v;

	switch (f->type) {
	case BF_TEXT: {
		size_t len = s->json && json_is_string(s->json) ? json_string_length(s->json) : strlen(t);
		size_t chars;
		if (!text_ok(t, len, f->flags & BIND_MULTILINE))
			return field_error(c, n, f, "bad_text", arena_printf(c->a, "%s不能包含控制字符", f->label));
		chars = utf8_len(t);
		if ((int64_t)chars > f->max)
			return field_error(c, n, f, "too_long", arena_printf(c->a, "%s最多 %lld 个字（现在 %zu 个）",
									      f->label, (long long)f->max, chars));
		if ((int64_t)chars < f->min)
			return field_error(c, n, f, "too_short",
					   arena_printf(c->a, "%s至少 %lld 个字", f->label, (long long)f->min));
		*(const char **)dst = t;
		return JB_OK;
	}
	case BF_INT:
		if (parse_int(t, f->min, f->max, &v) < 0)
			return field_error(c, n, f, "bad_number",
					   arena_printf(c->a, "%s必须是 %lld 到 %lld 之间的整数", f->label,
							(long long)f->min, (long long)f->max));
		*(int64_t *)dst = v;
		return JB_OK;
	case BF_ID:
		if (parse_int(t, 1, INT64_MAX, &v) < 0)
			return field_error(c, n, f, "bad_id", arena_printf(c->a, "%s编号必须是正整数", f->label));
		*(int64_t *)dst = v;
		return JB_OK;
	case BF_BOOL:
		if (!parse_bool(t, (bool *)dst))
			return field_error(c, n, f, "bad_bool", arena_printf(c->a, "%s只能是“是”或“否”", f->label));
		return JB_OK;
	case BF_DATE:
		if ((v = bind_parse_date(t)) < 0)
			return field_error(c, n, f, "bad_date",
					   arena_printf(c->a, "%s应为“年-月-日”格式的日期，如 2027-03-31", f->label));
		*(int64_t *)dst = v;
		return JB_OK;
	case BF_CHOICE:
		if (!label_of(f->choices, t))
			return field_error(c, n, f, "bad_choice", arena_printf(c->a, "%s的取值无效", f->label));
		*(const char **)dst = t;
		return JB_OK;
	case BF_DECIMAL:
		if (parse_decimal(t, f->scale, &v) < 0)
			return field_error(c, n, f, "bad_number",
					   arena_printf(c->a, "%s必须是数字，最多 %d 位小数", f->label, f->scale));
		if (v < f->min || v > f->max)
			return field_error(c, n, f, "out_of_range",
					   arena_printf(c->a, "%s必须在 %s 到 %s 之间", f->label,
							decimal_text(c, f->min, f->scale), decimal_text(c, f->max, f->scale)));
		*(int64_t *)dst = v;
		return JB_OK;
	default:
		return JB_ESTORE;
	}
}

/* ---- repeated ids and lists ---- */

static int bind_ids(struct ctx *c, const struct node *n, const struct bind_field *f, const struct sent *s,
		    char *base)
{
	struct bind_ids *ids = (struct bind_ids *)(base + f->offset);
	const char *key = full_name(c, n, f->name);
	int k = 0;

	if (s->count > f->max)
		return field_error(c, n, f, "too_many", arena_printf(c->a, "%s最多 %lld 项", f->label, (long long)f->max));
	ids->v = arena_alloc(c->a, (size_t)(s->count ? s->count : 1) * sizeof(*ids->v));
	for (int i = 0; i < s->count; i++) {
		const char *t;
		if (n->obj) {
			const json_t *v = json_is_array(s->json) ? json_array_get(s->json, (size_t)i) : s->json;
			t = json_text(c, v);
		} else {
			t = NULL;
			for (int j = 0, seen = 0; j < n->src->npairs && !t; j++)
				if (!strcmp(n->src->pairs[j].key, key) && seen++ == i)
					t = n->src->pairs[j].val;
		}
		if (t && !*t && !n->obj)
			continue; /* an empty repeated field of a form: nothing chosen */
		if (!t || parse_int(t, 1, INT64_MAX, &ids->v[k]) < 0)
			return field_error(c, n, f, "bad_id", arena_printf(c->a, "%s编号必须是正整数", f->label));
		k++;
	}
	ids->n = k;
	return JB_OK;
}

static int bind_fields(struct ctx *c, const struct node *n, const struct bind_field *fields, char *base);

/* How many items a form sends for list name: 1 + the highest N of any
 * "prefix name.N.field" key, or -1 when an N is malformed or beyond max. */
static int form_items(struct ctx *c, const struct node *n, const char *name, int64_t max)
{
	const char *p = arena_printf(c->a, "%s%s.", n->prefix, name);
	size_t plen = strlen(p);
	int items = 0;

	for (int i = 0; i < n->src->npairs; i++) {
		const char *k = n->src->pairs[i].key, *e;
		int64_t idx;
		if (strncmp(k, p, plen))
			continue;
		e = strchr(k + plen, '.');
		if (!e || e == k + plen || parse_int(arena_strndup(c->a, k + plen, (size_t)(e - k - plen)), 0, max, &idx) < 0)
			return -1;
		if (idx + 1 > items)
			items = (int)idx + 1;
	}
	return items;
}

/* Whether a form sends nothing but empty values under prefix (a blank row). */
static bool blank_row(const struct node *n)
{
	size_t plen = strlen(n->prefix);

	for (int i = 0; i < n->src->npairs; i++)
		if (!strncmp(n->src->pairs[i].key, n->prefix, plen) && *n->src->pairs[i].val)
			return false;
	return true;
}

static int bind_list(struct ctx *c, const struct node *n, const struct bind_field *f, char *base)
{
	struct bind_list *list = (struct bind_list *)(base + f->offset);
	const json_t *arr = n->obj ? json_object_get(n->obj, f->name) : NULL;
	int items, rc = JB_OK;

	if (n->obj && arr && !json_is_null(arr) && !json_is_array(arr))
		return field_error(c, n, f, "bad_list", arena_printf(c->a, "%s应为一个列表", f->label));
	items = n->obj ? (arr ? (int)json_array_size(arr) : 0) : form_items(c, n, f->name, f->max);
	if (items < 0 || items > f->max)
		return field_error(c, n, f, "too_many", arena_printf(c->a, "%s最多 %lld 项", f->label, (long long)f->max));
	list->items = arena_alloc(c->a, (size_t)(items ? items : 1) * f->size);
	memset(list->items, 0, (size_t)(items ? items : 1) * f->size);
	list->n = 0;
	for (int i = 0; i < items; i++) {
		struct node sub = { n->src, NULL, arena_printf(c->a, "%s%s.%d.", n->prefix, f->name, i) };
		if (n->obj) {
			sub.obj = json_array_get(arr, (size_t)i);
			if (!json_is_object(sub.obj)) {
				rc = ctx_invalid(c, arena_printf(c->a, "%s%s.%d", n->prefix, f->name, i), "bad_item",
						 arena_printf(c->a, "%s第 %d 项的格式不对", f->label, i + 1));
				continue;
			}
		} else if (blank_row(&sub)) {
			continue;
		}
		if (bind_fields(c, &sub, f->sub, (char *)list->items + (size_t)list->n * f->size) != JB_OK)
			rc = JB_EINVALID;
		list->n++;
	}
	if (rc == JB_OK && (f->flags & BIND_REQUIRED) && !list->n)
		return field_error(c, n, f, "missing_field", arena_printf(c->a, "请至少填写一项%s", f->label));
	return rc;
}

static int bind_one(struct ctx *c, const struct node *n, const struct bind_field *f, char *base)
{
	struct sent s;

	if (f->type == BF_LIST)
		return bind_list(c, n, f, base);
	s = lookup(c, n, f->name);
	if (f->type == BF_IDS) {
		if (s.bad_json)
			return field_error(c, n, f, "bad_value", arena_printf(c->a, "%s的格式不对", f->label));
		return bind_ids(c, n, f, &s, base);
	}
	if (s.count > 1 || s.bad_json || (s.count == 1 && !s.text))
		return field_error(c, n, f, "not_single", arena_printf(c->a, "%s只能填写一个值", f->label));
	if (!s.text || !*s.text) {
		if (!(f->flags & BIND_REQUIRED))
			return JB_OK;
		return field_error(c, n, f, "missing_field",
				   arena_printf(c->a, "%s%s", f->type == BF_CHOICE ? "请选择" : "请填写", f->label));
	}
	return bind_scalar(c, n, f, &s, base);
}

static int bind_fields(struct ctx *c, const struct node *n, const struct bind_field *fields, char *base)
{
	int rc = JB_OK;

	for (const struct bind_field *f = fields; f->name; f++)
		if (bind_one(c, n, f, base) != JB_OK)
			rc = JB_EINVALID;
	return rc;
}

static size_t struct_size(const struct bind_field *fields)
{
	size_t end = 0;

	for (const struct bind_field *f = fields; f->name; f++) {
		size_t sz = f->type == BF_TEXT || f->type == BF_CHOICE ? sizeof(const char *)
			    : f->type == BF_BOOL ? sizeof(bool)
			    : f->type == BF_IDS ? sizeof(struct bind_ids)
			    : f->type == BF_LIST ? sizeof(struct bind_list) : sizeof(int64_t);
		if (f->offset + sz > end)
			end = f->offset + sz;
	}
	return end;
}

int bind_input(struct ctx *c, const struct bind_src *src, const struct bind_field *fields, void *out)
{
	struct node top = { src, src->json, "" };

	if (src->json && !json_is_object(src->json))
		return ctx_invalid(c, NULL, "bad_body", "请求体必须是一个 JSON 对象");
	memset(out, 0, struct_size(fields));
	return bind_fields(c, &top, fields, out);
}

int64_t bind_parse_date(const char *s)
{
	int y, m, d, n = 0;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || s[n] || s[4] != '-' ||
	    s[7] != '-' || y < 2000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)))
		return -1;
	int64_t yy = y - (m <= 2);
	int64_t era = yy / 400, yoe = yy - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468) * 86400 - 8 * 3600;
}
