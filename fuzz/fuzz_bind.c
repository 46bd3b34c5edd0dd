/* fuzz_bind.c - libFuzzer target: the body binder (domain/bind.h) with the
 * project's own field tables, on a JSON body (parsed as server.c parses
 * one) or a urlencoded form (form_parse(), as server.c calls it). The
 * first byte picks the table and the source (odd: JSON). The binder must
 * never crash, answers JB_OK or JB_EINVALID with at least one error, and
 * what it binds keeps its table's limits: texts are valid UTF-8 within
 * their lengths, choices one of the codes, numbers within range, lists
 * and id lists within their counts (and, inside a list, the same for each
 * item's fields). */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "domain/bind.h"
#include "domain/bulletin.h"
#include "domain/calendar.h"
#include "domain/claim.h"
#include "domain/evaluate.h"
#include "domain/notice.h"
#include "domain/practice.h"
#include "domain/promotion.h"
#include "domain/supervise.h"
#include "domain/tenant_admin.h"
#include "http/form.h"
#include "http/req.h"
#include "util/text.h"
#include "web/web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct bind_field *const tables[] = {
	claim_fields, claim_act_fields, progress_fields, promotion_fields, calendar_fields, tenant_fields,
	notice_fields, practice_fields, supervision_fields, bulletin_fields, panel_fields, submit_fields,
	login_fields, new_user_fields,
};
#define NTABLES (int)(sizeof(tables) / sizeof(tables[0]))

static bool is_choice(const struct label *l, const char *v)
{
	for (; l && l->code; l++)
		if (!strcmp(l->code, v))
			return true;
	return false;
}

static void check(const struct bind_field *fields, const unsigned char *base, int depth)
{
	assert(depth < 4);
	for (const struct bind_field *f = fields; f->name; f++) {
		const void *p = base + f->offset;
		switch (f->type) {
		case BF_TEXT: {
			const char *s = *(const char *const *)p;
			if (!s) {
				assert(!(f->flags & BIND_REQUIRED));
				break;
			}
			assert(utf8_valid(s, strlen(s)));
			assert((int64_t)utf8_len(s) <= f->max);
			assert(!*s || (int64_t)utf8_len(s) >= f->min);
			if (!(f->flags & BIND_MULTILINE))
				assert(!strpbrk(s, "\r\n"));
			break;
		}
		case BF_CHOICE: {
			const char *s = *(const char *const *)p;
			assert(s ? is_choice(f->choices, s) : !(f->flags & BIND_REQUIRED));
			break;
		}
		case BF_INT: {
			int64_t v = *(const int64_t *)p;
			assert(v == 0 || (v >= f->min && v <= f->max));
			break;
		}
		case BF_ID:
			assert(*(const int64_t *)p >= 0);
			break;
		case BF_DECIMAL: {
			int64_t v = *(const int64_t *)p;
			assert(v == 0 || (v >= f->min && v <= f->max));
			break;
		}
		case BF_IDS: {
			const struct bind_ids *ids = p;
			assert(ids->n >= 0 && ids->n <= f->max);
			for (int i = 0; i < ids->n; i++)
				assert(ids->v[i] >= 1);
			break;
		}
		case BF_LIST: {
			const struct bind_list *l = p;
			assert(l->n >= 0 && l->n <= f->max);
			for (int i = 0; i < l->n; i++)
				check(f->sub, (const unsigned char *)l->items + (size_t)i * f->size, depth + 1);
			break;
		}
		case BF_BOOL:
		case BF_DATE:
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct principal who = { .tenant_id = 1 };
	_Alignas(16) unsigned char out[8192];
	const struct bind_field *fields;
	struct bind_src src = { 0 };
	json_t *json = NULL;
	struct ctx c;
	arena *a;
	int rc;

	if (size < 1)
		return 0;
	fields = tables[(data[0] >> 1) % NTABLES];
	a = arena_new();
	ctx_init(&c, NULL, a, &who, "");
	if (data[0] & 1) {
		json_error_t err;
		json = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, &err);
		if (!json_is_object(json))
			goto done;
		src.json = json;
	} else {
		struct kv *kv;
		const char *why;
		int n = form_parse(a, (const char *)data + 1, size - 1, 1024, &kv, &why);
		struct bind_pair *pairs;
		if (n < 0)
			goto done;
		pairs = arena_alloc(a, (size_t)(n ? n : 1) * sizeof(*pairs));
		for (int i = 0; i < n; i++)
			pairs[i] = (struct bind_pair){ kv[i].key, kv[i].val };
		src.pairs = pairs;
		src.npairs = n;
	}
	memset(out, 0, sizeof(out));
	rc = bind_input(&c, &src, fields, out);
	assert(rc == JB_OK || rc == JB_EINVALID);
	if (rc == JB_OK) {
		assert(c.nerrs == 0);
		check(fields, out, 0);
	} else {
		assert(c.nerrs > 0);
		for (int i = 0; i < c.nerrs; i++)
			assert(c.errs[i].message && utf8_valid(c.errs[i].message, strlen(c.errs[i].message)));
	}
done:
	json_decref(json);
	arena_free(a);
	return 0;
}
