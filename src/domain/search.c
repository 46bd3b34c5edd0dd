/* search.c - the character-pair index behind Chinese substring search. */
#include "domain/search.h"

#include <string.h>

#include "util/text.h"

char *search_fold(arena *a, const char *s)
{
	char *out = arena_strdup(a, s);
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return out;
}

/* Byte offsets of each code point of s, plus one past the end; n points. */
static size_t *cp_offsets(arena *a, const char *s, size_t *n)
{
	size_t len = strlen(s);
	size_t *off = arena_alloc(a, (len + 1) * sizeof(*off));
	size_t k = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			off[k++] = i;
	off[k] = len;
	*n = k;
	return off;
}

static int is_blank_pair(const char *g)
{
	return strchr(" \t\r\n", g[0]) || strchr(" \t\r\n", g[strlen(g) - 1]);
}

int search_grams(arena *a, const char *q, const char **out, int max)
{
	const char *f = search_fold(a, q);
	size_t n, *off = cp_offsets(a, f, &n);
	const char **all;
	int count = 0;

	if (n < 2 || max <= 0)
		return 0;
	all = arena_alloc(a, n * sizeof(*all));
	for (size_t i = 0; i + 1 < n; i++) {
		const char *g = arena_strndup(a, f + off[i], off[i + 2] - off[i]);
		int dup = is_blank_pair(g);
		for (int j = 0; j < count && !dup; j++)
			dup = !strcmp(all[j], g);
		if (!dup)
			all[count++] = g;
	}
	if (count <= max) {
		memcpy(out, all, (size_t)count * sizeof(*out));
		return count;
	}
	/* Too many: keep max pairs spread evenly, first and last included. */
	for (int k = 0; k < max; k++)
		out[k] = all[max > 1 ? (size_t)k * (size_t)(count - 1) / (size_t)(max - 1) : 0];
	return max;
}

int search_index_problem(db *d, int64_t tenant_id, int64_t problem_id, const char *title,
			 const char *description)
{
	arena *a = arena_new();
	const char *text = search_fold(a, arena_printf(a, "%s\n%s", title, description));
	size_t n, *off = cp_offsets(a, text, &n);
	db_stmt *del, *ins;
	int rc = -1;

	del = db_prepare(d, "DELETE FROM problem_gram WHERE tenant_id = $1 AND problem_id = $2");
	if (!del)
		goto out;
	db_bind_int(del, 1, tenant_id);
	db_bind_int(del, 2, problem_id);
	rc = db_step(del) == DB_DONE ? 0 : -1;
	db_done(del);
	if (rc < 0)
		goto out;
	ins = db_prepare(d, "INSERT INTO problem_gram (tenant_id, gram, problem_id) VALUES ($1, $2, $3)"
			 " ON CONFLICT DO NOTHING");
	if (!ins) {
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i + 1 < n && rc == 0; i++) {
		const char *g = arena_strndup(a, text + off[i], off[i + 2] - off[i]);
		if (is_blank_pair(g))
			continue;
		db_bind_int(ins, 1, tenant_id);
		db_bind_text(ins, 2, g);
		db_bind_int(ins, 3, problem_id);
		if (db_step(ins) != DB_DONE)
			rc = -1;
		db_done(ins);
	}
out:
	arena_free(a);
	return rc;
}

const char *search_like(arena *a, const char *q)
{
	size_t n = strlen(q);
	char *p = arena_alloc(a, 2 * n + 3), *w = p;

	if (!n)
		return "";
	*w++ = '%';
	for (const char *s = search_fold(a, q); *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*w++ = '\\';
		*w++ = *s;
	}
	*w++ = '%';
	*w = '\0';
	return p;
}
